//! The unified task model from the overlay: an operation's `x-task` extension says how
//! its items become the facade's `Task`s. From it, regen writes each provider's
//! `TaskSource` impl (`crates/tasks-sdk/src/task_sources.rs`) and the mapping tables of
//! the facade's `sources` rustdoc (`crates/tasks-sdk/src/sources.md`).
//!
//! ```yaml
//! x-task:
//!   id: id                      # a path in the item (`a.b`), or `$`: the item itself
//!   name: title                 # optional
//!   status: latestJobStatus     # optional; absent: Unknown("")
//!   created_at: createdAt       # optional; a date-time, or an RFC 3339 string
//!   updated_at: [completed_at, started_at]   # optional; the first one present
//!   statuses: {PENDING: Queued, IN_PROGRESS: Running}   # wire → normalized
//!   status_from_filter: false   # true: items carry no status; they take the filter's
//!   status_filter:              # absent: a status filter applies to the stream
//!     param: status             # the query parameter (wire name)
//!     values: {Succeeded: merged}   # normalized → the wire value sent
//!     unknown: server           # Unknown(s): sent as `s` (server, default) or stream
//!     unmapped: stream          # a status without a value: stream (default) or nothing
//!   notes: Free text for the facade's rustdoc.
//! ```
//!
//! Field and parameter names are wire names; the generator finds the Rust ones in
//! progenitor's output (serde renames included) and fails regen with the path when one
//! is missing, so a typo never reaches the compiler.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::emit::stream;
use crate::model::Prepared;
use crate::spec;
use crate::spec::naming;

/// The facade's normalized statuses, as its `TaskStatus` variants.
pub const NORMALIZED: [&str; 6] = [
    "Queued",
    "Running",
    "WaitingForInput",
    "Succeeded",
    "Failed",
    "Cancelled",
];

/// One operation's `x-task`, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskModel {
    /// The Rust method name of the operation that lists tasks.
    pub method: String,
    /// Where the extension is, for errors: `$.paths['/tasks'].get.x-task`.
    pub at: String,
    pub id: String,
    pub name: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Vec<String>,
    /// (wire value, normalized variant)
    pub statuses: Vec<(String, String)>,
    pub status_from_filter: bool,
    pub status_filter: Option<StatusFilter>,
    /// The query parameter a filter's page size goes to (`x-pagination.limit_param`).
    pub page_size_param: Option<String>,
    pub notes: Option<String>,
}

/// Which statuses the server filters, and how they are spelled on the wire.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusFilter {
    pub param: String,
    /// (normalized variant, wire value)
    pub values: Vec<(String, String)>,
    /// `Unknown(s)` is sent as `s` (else it is applied to the stream).
    pub unknown_on_server: bool,
    /// A normalized status without a value lists nothing (else the stream filters).
    pub unmapped_lists_nothing: bool,
}

/// The `x-task` of the document, if an operation has one (at most one may).
pub fn task_model(doc: &Value) -> Result<Option<TaskModel>, String> {
    let mut found: Option<TaskModel> = None;
    for op in spec::operations(doc) {
        let Some(x_task) = op.op.get("x-task") else {
            continue;
        };
        let at = format!("{}.x-task", op.at);
        if let Some(first) = &found {
            return Err(format!(
                "two operations have `x-task` ({} and {at}): one lists the tasks",
                first.at
            ));
        }
        let method = op.method_name();
        let page_size_param = op
            .op
            .pointer("/x-pagination/limit_param")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let model =
            parse(x_task, method, page_size_param, op.op).map_err(|e| format!("{e} at {at}"))?;
        found = Some(TaskModel { at, ..model });
    }
    Ok(found)
}

fn parse(
    x_task: &Value,
    method: String,
    page_size_param: Option<String>,
    op: &Value,
) -> Result<TaskModel, String> {
    const KEYS: &[&str] = &[
        "id",
        "name",
        "status",
        "created_at",
        "updated_at",
        "statuses",
        "status_from_filter",
        "status_filter",
        "notes",
    ];
    let Value::Object(map) = x_task else {
        return Err("`x-task` must be an object".into());
    };
    if let Some(key) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "`{key}` is not an x-task key ({})",
            KEYS.join(", ")
        ));
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(other) => Err(format!("`{key}` must be a field path, not {other}")),
        }
    };
    let id = text("id")?.ok_or("`id` (the path of the task's id in an item) is required")?;
    let updated_at = match map.get("updated_at") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(paths)) => paths
            .iter()
            .map(|p| {
                p.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`updated_at` lists {p}, not a field path"))
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(format!(
                "`updated_at` must be a path or a list of paths, not {other}"
            ));
        }
    };
    let statuses = match map.get("statuses") {
        None => Vec::new(),
        Some(Value::Object(table)) => table
            .iter()
            .map(|(wire, normalized)| {
                let normalized =
                    normalized_name(normalized).map_err(|e| format!("`statuses.{wire}`: {e}"))?;
                Ok((wire.clone(), normalized))
            })
            .collect::<Result<_, String>>()?,
        Some(other) => {
            return Err(format!(
                "`statuses` must map wire values to statuses, not {other}"
            ));
        }
    };
    let status_from_filter = match map.get("status_from_filter") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(format!(
                "`status_from_filter` must be a boolean, not {other}"
            ));
        }
    };
    let status = text("status")?;
    if status_from_filter && (status.is_some() || !statuses.is_empty()) {
        return Err(
            "`status_from_filter: true` means items carry no status: drop `status` and `statuses`"
                .into(),
        );
    }
    let status_filter = match map.get("status_filter") {
        None => None,
        Some(filter) => Some(status_filter(filter, op)?),
    };
    if status_from_filter && status_filter.is_none() {
        return Err("`status_from_filter: true` needs a `status_filter` the server applies".into());
    }
    let notes = match map.get("notes") {
        None => None,
        Some(Value::String(s)) => Some(s.split_whitespace().collect::<Vec<_>>().join(" ")),
        Some(other) => return Err(format!("`notes` must be text, not {other}")),
    };
    Ok(TaskModel {
        method,
        at: String::new(),
        id,
        name: text("name")?,
        status,
        created_at: text("created_at")?,
        updated_at,
        statuses,
        status_from_filter,
        status_filter,
        page_size_param,
        notes,
    })
}

fn normalized_name(value: &Value) -> Result<String, String> {
    match value.as_str() {
        Some(name) if NORMALIZED.contains(&name) => Ok(name.to_owned()),
        _ => Err(format!(
            "{value} is not a normalized status ({})",
            NORMALIZED.join(", ")
        )),
    }
}

fn status_filter(filter: &Value, op: &Value) -> Result<StatusFilter, String> {
    const KEYS: &[&str] = &["param", "values", "unknown", "unmapped"];
    let Value::Object(map) = filter else {
        return Err("`status_filter` must be an object".into());
    };
    if let Some(key) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "`status_filter.{key}` is not a key ({})",
            KEYS.join(", ")
        ));
    }
    let param = map
        .get("param")
        .and_then(Value::as_str)
        .ok_or("`status_filter.param` (the query parameter's name) is required")?
        .to_owned();
    let schema = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| {
            p.get("in").and_then(Value::as_str) == Some("query")
                && p.get("name").and_then(Value::as_str) == Some(param.as_str())
        })
        .and_then(|p| p.get("schema"))
        .ok_or_else(|| {
            format!("`status_filter.param: {param}` is not a query parameter of the operation")
        })?;
    let enum_values: Option<Vec<&str>> = schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_str).collect());
    let values: Vec<(String, String)> = match map.get("values") {
        None => Vec::new(),
        Some(Value::Object(table)) => table
            .iter()
            .map(|(normalized, wire)| {
                let normalized = normalized_name(&Value::String(normalized.clone()))
                    .map_err(|e| format!("`status_filter.values`: {e}"))?;
                let wire = wire
                    .as_str()
                    .ok_or_else(|| format!("`status_filter.values.{normalized}` must be text"))?;
                if let Some(allowed) = enum_values.as_ref().filter(|a| !a.contains(&wire)) {
                    return Err(format!(
                        "`status_filter.values.{normalized}: {wire}` is not a value of `{param}` ({})",
                        allowed.join(", ")
                    ));
                }
                Ok((normalized, wire.to_owned()))
            })
            .collect::<Result<_, String>>()?,
        Some(other) => {
            return Err(format!(
                "`status_filter.values` must map statuses to wire values, not {other}"
            ));
        }
    };
    let choice = |key: &str, default: &str, options: [&str; 2]| -> Result<bool, String> {
        let value = map.get(key).and_then(Value::as_str).unwrap_or(default);
        if options.contains(&value) {
            Ok(value == options[0])
        } else {
            Err(format!(
                "`status_filter.{key}: {value}` must be `{}` or `{}`",
                options[0], options[1]
            ))
        }
    };
    Ok(StatusFilter {
        param,
        values,
        unknown_on_server: choice("unknown", "server", ["server", "stream"])?,
        unmapped_lists_nothing: choice("unmapped", "stream", ["nothing", "stream"])?,
    })
}

/// The provider's `impl TaskSource for <provider>::Client`, for the facade, checked
/// against the types progenitor generated (`file`).
pub fn source_impl(
    p: &Prepared,
    model: &TaskModel,
    file: &syn::File,
) -> Result<TokenStream, String> {
    let at = |e: String| format!("{e} at {}", model.at);
    let name = &p.provider.name;
    let module = format_ident!("{name}");
    let method = format_ident!("{}", model.method);
    let op = p
        .operations
        .iter()
        .find(|op| op.id == model.method)
        .ok_or_else(|| at(format!("the operation `{}` is not generated", model.method)))?;
    let item = stream::item_type(op, file).map_err(at)?;

    let field = |key: &str, path: &str| -> Result<Access, String> {
        access(file, &item, path)
            .map(|access| Access {
                key: format!("`{key}: {path}`"),
                ..access
            })
            .map_err(|e| at(format!("`{key}: {path}`: {e}")))
    };
    let id = field("id", &model.id)?.text().map_err(at)?;
    let name_expr = match &model.name {
        Some(path) => field("name", path)?.text().map_err(at)?,
        None => quote!(None),
    };
    let created_at = match &model.created_at {
        Some(path) => field("created_at", path)?.timestamp().map_err(at)?,
        None => quote!(None),
    };
    // The first of the paths that is present.
    let mut updated_at: Option<TokenStream> = None;
    for path in model.updated_at.iter().rev() {
        let this = field("updated_at", path)?.timestamp().map_err(at)?;
        updated_at = Some(match updated_at {
            None => this,
            Some(rest) => quote!(#this.or_else(|| #rest)),
        });
    }
    let updated_at = updated_at.unwrap_or(quote!(None));

    let variant = |normalized: &str| {
        let v = format_ident!("{normalized}");
        quote!(crate::TaskStatus::#v)
    };
    let status = if model.status_from_filter {
        quote!(status_of_filter.clone())
    } else if let Some(path) = &model.status {
        let wire = field("status", path)?.text().map_err(at)?;
        let arms = NORMALIZED.iter().filter_map(|normalized| {
            let wires: Vec<&str> = model
                .statuses
                .iter()
                .filter(|(_, n)| n == normalized)
                .map(|(w, _)| w.as_str())
                .collect();
            let v = variant(normalized);
            (!wires.is_empty()).then(|| quote!(#(#wires)|* => #v,))
        });
        if model.statuses.is_empty() {
            quote!(crate::TaskStatus::Unknown(#wire.unwrap_or_default()))
        } else {
            quote! {{
                let wire = #wire.unwrap_or_default();
                match wire.as_str() {
                    #(#arms)*
                    _ => crate::TaskStatus::Unknown(wire),
                }
            }}
        }
    } else {
        quote!(crate::TaskStatus::Unknown(::std::string::String::new()))
    };

    let page_size = match &model.page_size_param {
        Some(param) => {
            let setter_name = naming::setter_name(param);
            let setter = format_ident!("{setter_name}");
            let ty = builder_field_type(file, &model.method, &setter_name).ok_or_else(|| {
                at(format!(
                    "x-pagination `limit_param: {param}` is not a parameter of the operation"
                ))
            })?;
            let size = page_size_as(&ty).map_err(|e| at(format!("`limit_param: {param}`: {e}")))?;
            quote! {
                if let Some(size) = filter.page_size {
                    request = request.#setter(#size);
                }
            }
        }
        None => quote!(),
    };

    let (status_filter, on_stream) = match &model.status_filter {
        None => (quote!(), quote!(true)),
        Some(f) => {
            let setter = format_ident!("{}", naming::setter_name(&f.param));
            // One arm per status: its wire value, nothing to list, or the stream's job.
            let arms = NORMALIZED.iter().map(|normalized| {
                let v = variant(normalized);
                match f.values.iter().find(|(n, _)| n == normalized) {
                    Some((_, wire)) => quote!(#v => Some(#wire.to_owned()),),
                    // The provider has no such status: nothing matches.
                    None if f.unmapped_lists_nothing => {
                        quote!(#v => return Box::pin(futures_util::stream::empty()),)
                    }
                    None => quote!(#v => None,),
                }
            });
            let unknown = if f.unknown_on_server {
                quote!(crate::TaskStatus::Unknown(other) => Some(other.clone()),)
            } else {
                quote!(crate::TaskStatus::Unknown(_) => None,)
            };
            (
                quote! {
                    let mut on_server = false;
                    if let Some(status) = &filter.status {
                        let wire: Option<::std::string::String> = match status {
                            #(#arms)*
                            #unknown
                        };
                        if let Some(wire) = wire {
                            request = request.#setter(wire.as_str());
                            on_server = true;
                        }
                    }
                },
                quote!(!on_server),
            )
        }
    };
    let status_of_filter = if model.status_from_filter {
        quote! {
            let status_of_filter = filter
                .status
                .clone()
                .unwrap_or_else(|| crate::TaskStatus::Unknown(::std::string::String::new()));
        }
    } else {
        quote!()
    };
    let mutability = if model.page_size_param.is_some() || model.status_filter.is_some() {
        quote!(mut)
    } else {
        quote!()
    };
    let doc_cfg = name.as_str();
    Ok(quote! {
        #[cfg(feature = #doc_cfg)]
        impl crate::TaskSource for crate::#module::Client {
            fn provider(&self) -> &'static tasks_sdk_core::Provider {
                &crate::#module::PROVIDER
            }

            fn tasks(&self, filter: &crate::TaskFilter) -> crate::TaskStream<'_> {
                let #mutability request = self.#method();
                #page_size
                #status_filter
                #status_of_filter
                crate::sources::finish(request.stream(), filter, #on_stream, move |item| {
                    let status = #status;
                    crate::Task {
                        provider: #doc_cfg,
                        id: #id.unwrap_or_default(),
                        name: #name_expr,
                        status,
                        created_at: #created_at,
                        updated_at: #updated_at,
                        raw: crate::sources::raw(&item),
                    }
                })
            }
        }
    })
}

/// The type progenitor's builder keeps for a parameter: `T` of its
/// `Result<Option<T>, String>` field.
fn builder_field_type(file: &syn::File, method: &str, field: &str) -> Option<syn::Type> {
    let builder = naming::builder_name(method);
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => {
            m.content.as_ref()?.1.iter().find_map(|item| match item {
                syn::Item::Struct(s) if s.ident == builder => s.fields.iter().find_map(|f| {
                    if f.ident.as_ref()? != field {
                        return None;
                    }
                    let ok = stream::generic_arg(&f.ty)?;
                    stream::option_inner(ok).cloned()
                }),
                _ => None,
            })
        }
        _ => None,
    })
}

/// The filter's page size (`u32`, in `size`) as the parameter's type takes it: integers
/// clamped to their range (a `NonZero` one through its primitive, the setter checks),
/// floats and text converted.
fn page_size_as(ty: &syn::Type) -> Result<TokenStream, String> {
    let name = stream::type_ident(ty).unwrap_or_default();
    let primitive = match name.strip_prefix("NonZero") {
        Some("") => stream::generic_arg(ty).and_then(stream::type_ident),
        Some(rest) => Some(rest.to_lowercase()),
        None => Some(name),
    }
    .unwrap_or_default();
    const INTEGERS: &[&str] = &[
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ];
    let ty = || format_ident!("{primitive}");
    if primitive == "u32" {
        Ok(quote!(size))
    } else if ["u64", "u128", "i64", "i128", "f64"].contains(&primitive.as_str()) {
        let ty = ty();
        Ok(quote!(#ty::from(size)))
    } else if INTEGERS.contains(&primitive.as_str()) {
        let ty = ty();
        Ok(quote!(#ty::try_from(size).unwrap_or(#ty::MAX)))
    } else if primitive == "f32" {
        Ok(quote!(size as f32))
    } else if primitive == "String" {
        Ok(quote!(size.to_string()))
    } else {
        Err(format!("a page size cannot be a `{primitive}`"))
    }
}

/// A field of the item: an expression of type `Option<&T>` and `T`.
struct Access {
    /// `` `id: path` ``, for errors.
    key: String,
    expr: TokenStream,
    ty: syn::Type,
    is_struct: bool,
}

impl Access {
    /// `Option<String>`: text as is, anything else through `Display`.
    fn text(&self) -> Result<TokenStream, String> {
        let expr = &self.expr;
        if self.is_struct || is_named(&self.ty, &["Vec", "HashMap", "Map", "Value"]) {
            return Err(format!(
                "{}: an object or a list, not a text or a number",
                self.key
            ));
        }
        Ok(if is_named(&self.ty, &["String"]) {
            quote!(#expr.cloned())
        } else {
            quote!(#expr.map(|v| v.to_string()))
        })
    }

    /// `Option<DateTime<Utc>>`: a date-time as is, a string when it parses as RFC 3339.
    fn timestamp(&self) -> Result<TokenStream, String> {
        let expr = &self.expr;
        if is_named(&self.ty, &["DateTime"]) {
            Ok(quote!(#expr.copied()))
        } else if is_named(&self.ty, &["String"]) {
            Ok(quote! {
                #expr.and_then(|v| chrono::DateTime::parse_from_rfc3339(v).ok()).map(|d| d.to_utc())
            })
        } else {
            Err(format!(
                "{}: not a date-time (`format: date-time`) nor a string",
                self.key
            ))
        }
    }
}

fn is_named(ty: &syn::Type, names: &[&str]) -> bool {
    stream::type_ident(ty).is_some_and(|n| names.contains(&n.as_str()))
}

/// `path` followed from the item `item` (of type `item_ty`); `$` is the item itself.
/// Plain field access up to the first optional field, `and_then`/`map` after it.
fn access(file: &syn::File, item_ty: &syn::Type, path: &str) -> Result<Access, String> {
    let mut place = quote!(item);
    let mut optional: Option<TokenStream> = None;
    let mut ty = item_ty.clone();
    let segments = path.split('.').filter(|_| path != "$");
    for segment in segments {
        let current = stream::type_ident(&ty)
            .and_then(|name| stream::find_item_struct(file, "types", &name))
            .ok_or_else(|| format!("`{segment}`'s parent is not an object"))?;
        let (ident, field_ty) = stream::field(current, segment)
            .ok_or_else(|| format!("no field `{segment}` in `{}`", current.ident))?;
        let inner = stream::option_inner(field_ty);
        ty = inner.unwrap_or(field_ty).clone();
        optional = match (optional.take(), inner) {
            (None, None) => {
                place = quote!(#place.#ident);
                None
            }
            (None, Some(_)) => Some(quote!(#place.#ident.as_ref())),
            (Some(expr), Some(_)) => Some(quote!(#expr.and_then(|v| v.#ident.as_ref()))),
            (Some(expr), None) => Some(quote!(#expr.map(|v| &v.#ident))),
        };
    }
    let expr = optional.unwrap_or_else(|| quote!(Some(&#place)));
    let is_struct = stream::type_ident(&ty)
        .is_some_and(|n| stream::find_item_struct(file, "types", &n).is_some());
    Ok(Access {
        key: String::new(),
        expr,
        ty,
        is_struct,
    })
}

/// Markdown for the facade's `sources` module: how each provider fills a `Task`, and
/// the status mapping.
pub fn doc_tables(all: &[(&Prepared, &TaskModel)]) -> String {
    let code = |path: &str| -> String {
        if path == "$" {
            "the item".into()
        } else {
            format!("`{path}`")
        }
    };
    let or_none = |path: &Option<String>| path.as_deref().map_or("none".into(), code);
    let mut out = String::from(
        "# How each provider fills a [`Task`]\n\n\
         | Provider | `id` | `name` | `created_at` | `updated_at` | Status filter |\n\
         |---|---|---|---|---|---|\n",
    );
    for (p, m) in all {
        let updated = if m.updated_at.is_empty() {
            "none".into()
        } else {
            m.updated_at
                .iter()
                .map(|u| code(u))
                .collect::<Vec<_>>()
                .join(", else ")
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            p.provider.title,
            code(&m.id),
            or_none(&m.name),
            or_none(&m.created_at),
            updated,
            filter_cell(m)
        ));
    }
    out.push_str(
        "\nTimestamps are the provider's date-times, or its strings when they parse as RFC 3339.\n\
         \n# Status mapping\n\n",
    );
    out.push_str("| Normalized |");
    for (p, m) in all {
        let source = match (&m.status, m.status_from_filter) {
            (Some(path), _) => format!(" (`{path}`)"),
            (None, true) => " (the filter)".into(),
            (None, false) => String::new(),
        };
        out.push_str(&format!(" {}{source} |", p.provider.title));
    }
    out.push_str(&format!("\n|---|{}\n", "---|".repeat(all.len())));
    for normalized in NORMALIZED {
        out.push_str(&format!("| `{normalized}` |"));
        for (_, m) in all {
            out.push_str(&format!(" {} |", status_cell(m, normalized)));
        }
        out.push('\n');
    }
    out.push_str("| `Unknown(s)` |");
    for (_, m) in all {
        let cell = match (&m.status, m.status_from_filter) {
            (None, true) => "`\"\"` without a filter".to_owned(),
            (None, false) => "always `\"\"`: no status".to_owned(),
            (Some(_), _) if m.statuses.is_empty() => "always, with the provider's value".into(),
            (Some(_), _) => "any other value; `\"\"` when absent".into(),
        };
        out.push_str(&format!(" {cell} |"));
    }
    out.push('\n');
    let notes: Vec<String> = all
        .iter()
        .filter_map(|(p, m)| {
            m.notes
                .as_ref()
                .map(|n| format!("- **{}**: {n}", p.provider.title))
        })
        .collect();
    if !notes.is_empty() {
        out.push_str(&format!("\n{}\n", notes.join("\n")));
    }
    out
}

fn filter_cell(m: &TaskModel) -> String {
    let Some(f) = &m.status_filter else {
        return "on the stream".into();
    };
    let mut server: Vec<String> = f.values.iter().map(|(n, _)| format!("`{n}`")).collect();
    if f.unknown_on_server {
        server.push("`Unknown(s)`".into());
    }
    let all_mapped = NORMALIZED
        .iter()
        .all(|n| f.values.iter().any(|(v, _)| v == n));
    let rest = if all_mapped {
        String::new()
    } else if f.unmapped_lists_nothing {
        "; other statuses list nothing".into()
    } else {
        "; other statuses on the stream".into()
    };
    if all_mapped && f.unknown_on_server {
        format!("the `{}` query{rest}", f.param)
    } else {
        format!("the `{}` query for {}{rest}", f.param, server.join(", "))
    }
}

fn status_cell(m: &TaskModel, normalized: &str) -> String {
    let wires: Vec<String> = if m.status_from_filter {
        Vec::new()
    } else {
        m.statuses
            .iter()
            .filter(|(_, n)| n == normalized)
            .map(|(w, _)| format!("`{w}`"))
            .collect()
    };
    let filter = m
        .status_filter
        .as_ref()
        .and_then(|f| f.values.iter().find(|(n, _)| n == normalized))
        .map(|(_, w)| w.as_str());
    match filter {
        Some(wire) if m.status_from_filter || wires.is_empty() => {
            if m.status_from_filter {
                format!("`{wire}`")
            } else {
                format!("(filter: `{wire}`)")
            }
        }
        _ => wires.join(", "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(x_task: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/tasks": {"get": {
                "operationId": "listTasks",
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "done"]}},
                    {"name": "pageSize", "in": "query", "schema": {"type": "integer"}}
                ],
                "x-pagination": {"style": "page", "page_param": "page", "limit_param": "pageSize", "items": "data"},
                "x-task": x_task
            }}}
        })
    }

    #[test]
    fn x_task_is_read_with_wire_names_and_defaults() {
        let model = task_model(&doc(json!({
            "id": "id",
            "name": "title",
            "status": "state",
            "updated_at": ["finishedAt", "startedAt"],
            "statuses": {"open": "Running", "done": "Succeeded"},
            "status_filter": {"param": "status", "values": {"Succeeded": "done"}}
        })))
        .unwrap()
        .unwrap();
        assert_eq!(model.method, "list_tasks");
        assert_eq!(model.at, "$.paths['/tasks'].get.x-task");
        assert_eq!(model.updated_at, ["finishedAt", "startedAt"]);
        assert_eq!(model.page_size_param.as_deref(), Some("pageSize"));
        let filter = model.status_filter.unwrap();
        assert!(filter.unknown_on_server && !filter.unmapped_lists_nothing);
        assert_eq!(filter.values, [("Succeeded".to_owned(), "done".to_owned())]);
    }

    #[test]
    fn bad_x_task_says_where_and_what() {
        let err = |x: Value| task_model(&doc(x)).unwrap_err();
        assert_eq!(
            err(json!({"name": "title"})),
            "`id` (the path of the task's id in an item) is required at $.paths['/tasks'].get.x-task"
        );
        assert!(
            err(json!({"id": "id", "statuses": {"open": "Open"}}))
                .starts_with("`statuses.open`: \"Open\" is not a normalized status (Queued,")
        );
        assert!(
            err(json!({"id": "id", "status_filter": {"param": "state"}}))
                .starts_with("`status_filter.param: state` is not a query parameter")
        );
        assert!(err(json!({"id": "id", "status_filter": {"param": "status", "values": {"Failed": "broken"}}}))
            .starts_with("`status_filter.values.Failed: broken` is not a value of `status` (open, done)"));
        assert!(
            err(json!({"id": "id", "colour": "x"})).starts_with("`colour` is not an x-task key")
        );
        assert!(
            err(json!({"id": "id", "status_from_filter": true}))
                .starts_with("`status_from_filter: true` needs a `status_filter`")
        );
    }

    /// A tiny provider whose list operation carries `x_task`.
    fn generate(x_task: Value) -> Result<String, String> {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "Acme", "version": "1"},
            "servers": [{"url": "https://acme.test"}],
            "paths": {"/tasks": {"get": {
                "operationId": "listTasks",
                "parameters": [
                    {"name": "state", "in": "query", "schema": {"type": "string", "enum": ["open", "done"]}},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "pageSize", "in": "query", "schema": {"type": "integer", "format": "int32", "minimum": 1}}
                ],
                "x-pagination": {"style": "page", "page_param": "page", "limit_param": "pageSize", "items": "data"},
                "x-task": x_task,
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object", "required": ["data"],
                    "properties": {"data": {"type": "array", "items": {"$ref": "#/components/schemas/Job"}}}
                }}}}}
            }}},
            "components": {"schemas": {"Job": {
                "type": "object", "required": ["jobId"],
                "properties": {
                    "jobId": {"type": "integer"},
                    "label": {"type": "string"},
                    "meta": {"type": "object", "properties": {"finishedAt": {"type": "string", "format": "date-time"}}},
                    "state": {"type": "string", "enum": ["open", "done"], "title": "JobState"}
                }
            }}}
        });
        let prepared = crate::model::prepare_doc("acme", "acme.json".into(), doc, None)?;
        let (_, source) = crate::emit::generate::generate_with_source(&prepared)?;
        Ok(source.expect("x-task gives a TaskSource").to_string())
    }

    #[test]
    fn the_task_source_reads_wire_names_through_rust_names() {
        let code = generate(json!({
            "id": "jobId",
            "name": "label",
            "status": "state",
            "updated_at": "meta.finishedAt",
            "statuses": {"open": "Running", "done": "Succeeded"},
            "status_filter": {"param": "state", "values": {"Running": "open"}, "unmapped": "nothing"}
        }))
        .unwrap();
        let has = |needle: &str| {
            let compact: String = code.split_whitespace().collect();
            let needle: String = needle.split_whitespace().collect();
            assert!(compact.contains(&needle), "{needle} not in {code}");
        };
        has("impl crate :: TaskSource for crate :: acme :: Client");
        // `int32` with `minimum: 1` is a `NonZeroU32`: the filter's `u32` goes as is.
        has("request = request . page_size (size)");
        has("id : Some (& item . job_id) . map (| v | v . to_string ()) . unwrap_or_default ()");
        has("item . meta . as_ref () . and_then (| v | v . finished_at . as_ref ()) . copied ()");
        has("\"open\" => crate :: TaskStatus :: Running");
        has("crate :: TaskStatus :: Running => Some (\"open\" . to_owned ())");
        has(
            "crate :: TaskStatus :: Failed => return Box :: pin (futures_util :: stream :: empty ())",
        );
        has("request = request . state (wire . as_str ())");
    }

    #[test]
    fn a_wrong_path_fails_regen_with_where_and_what() {
        assert_eq!(
            generate(json!({"id": "jobId", "name": "title"})).unwrap_err(),
            "acme.json: `name: title`: no field `title` in `Job` at $.paths['/tasks'].get.x-task"
        );
        assert_eq!(
            generate(json!({"id": "meta"})).unwrap_err(),
            "acme.json: `id: meta`: an object or a list, not a text or a number at $.paths['/tasks'].get.x-task"
        );
        assert_eq!(
            generate(json!({"id": "jobId", "created_at": "label.x"})).unwrap_err(),
            "acme.json: `created_at: label.x`: `x`'s parent is not an object at $.paths['/tasks'].get.x-task"
        );
    }
}

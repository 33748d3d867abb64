//! Each provider's `TaskSource` impl for the facade (`crates/tasks-sdk/src/task_sources.rs`)
//! and the mapping tables of the facade's `sources` rustdoc (`crates/tasks-sdk/src/sources.md`),
//! written from the provider's [`TaskModel`] (its checked `x-task`, [`crate::model::task`]).
//!
//! Field and parameter names of the model are wire names; the Rust ones are found here
//! in progenitor's output (serde renames included), and regen fails with the path when
//! one is missing, so a typo never reaches the compiler.
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::document::naming;
use crate::emit::stream;
use crate::emit::syntax;
use crate::model::Prepared;
use crate::model::task::{NORMALIZED, TaskModel};

/// The provider's `impl TaskSource for <provider>::Client`, for the facade, checked
/// against the types progenitor generated (`file`).
pub fn source_impl(
    p: &Prepared,
    model: &TaskModel,
    file: &syn::File,
) -> Result<TokenStream, String> {
    let at = |e: String| format!("{e} at {}", model.at);
    let name = &p.provider.name;
    // The facade's module: a raw identifier for a keyword (`r#box`).
    let module = if p.provider.module == *name {
        format_ident!("{name}")
    } else {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    };
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
                    let ok = syntax::generic_arg(&f.ty)?;
                    syntax::option_inner(ok).cloned()
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
    let name = syntax::type_ident(ty).unwrap_or_default();
    let primitive = match name.strip_prefix("NonZero") {
        Some("") => syntax::generic_arg(ty).and_then(syntax::type_ident),
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
    /// `T` when the type is a newtype `struct X(T)` of a scalar (which derefs to `T`).
    newtype_of: Option<syn::Type>,
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

    /// `Option<DateTime<Utc>>`: a date-time as is (or in a newtype); text (a `String`, or
    /// typify's newtype of one for a string with a `pattern` or a length) through the facade's
    /// `time_from_text` (RFC 3339, or a date-time without offset read as UTC); an integer
    /// through `time_from_unix` (Unix seconds, or milliseconds by magnitude).
    fn timestamp(&self) -> Result<TokenStream, String> {
        let expr = &self.expr;
        let text = |ty: &syn::Type| is_named(ty, &["String"]);
        let date_time = |ty: &syn::Type| is_named(ty, &["DateTime"]);
        // A newtype (typify's for a named `date-time` component, as Kubernetes' `Time`,
        // or for a string with a `pattern`) derefs to its value.
        let newtype = self.newtype_of.as_ref();
        if date_time(&self.ty) {
            Ok(quote!(#expr.copied()))
        } else if newtype.is_some_and(date_time) {
            Ok(quote!(#expr.map(|v| **v)))
        } else if text(&self.ty) || newtype.is_some_and(text) {
            Ok(quote! {
                #expr.and_then(|v| crate::sources::time_from_text(v.as_str()))
            })
        } else if let Some(value) = integer_value(&self.ty) {
            Ok(quote! {
                #expr
                    .and_then(|v| i64::try_from(#value).ok())
                    .and_then(crate::sources::time_from_unix)
            })
        } else {
            Err(format!(
                "{}: not a date-time (`format: date-time`), a string nor an integer (Unix time)",
                self.key
            ))
        }
    }
}

/// The value of `v: &T` as a primitive integer, when `T` is one or a `NonZero` one.
fn integer_value(ty: &syn::Type) -> Option<TokenStream> {
    const INTEGERS: &[&str] = &[
        "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128", "isize",
    ];
    let name = syntax::type_ident(ty)?;
    if INTEGERS.contains(&name.as_str()) {
        return Some(quote!(*v));
    }
    let rest = name.strip_prefix("NonZero")?;
    let primitive = if rest.is_empty() {
        syntax::generic_arg(ty).and_then(syntax::type_ident)?
    } else {
        rest.to_lowercase()
    };
    INTEGERS
        .contains(&primitive.as_str())
        .then(|| quote!(v.get()))
}

/// `T` of `struct X(T);` whose one field is not a list, a map or JSON.
fn scalar_newtype_of(s: &syn::ItemStruct) -> Option<&syn::Type> {
    match &s.fields {
        syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
            let inner = &fields.unnamed[0].ty;
            (!is_named(inner, &["Vec", "HashMap", "Map", "Value"])).then_some(inner)
        }
        _ => None,
    }
}

fn is_named(ty: &syn::Type, names: &[&str]) -> bool {
    syntax::type_ident(ty).is_some_and(|n| names.contains(&n.as_str()))
}

/// `path` followed from the item `item` (of type `item_ty`); `$` is the item itself.
/// Plain field access up to the first optional field, `and_then`/`map` after it.
fn access(file: &syn::File, item_ty: &syn::Type, path: &str) -> Result<Access, String> {
    let mut place = quote!(item);
    let mut optional: Option<TokenStream> = None;
    let mut ty = item_ty.clone();
    let segments = path.split('.').filter(|_| path != "$");
    for segment in segments {
        let current = syntax::type_ident(&ty)
            .and_then(|name| syntax::find_item_struct(file, "types", &name))
            .ok_or_else(|| format!("`{segment}`'s parent is not an object"))?;
        let (ident, field_ty) = syntax::field(current, segment)
            .ok_or_else(|| format!("no field `{segment}` in `{}`", current.ident))?;
        let inner = syntax::option_inner(field_ty);
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
    // A struct of progenitor's `types` is an object, unless it is a newtype of a
    // scalar (typify's type for a string with a `pattern` or a length, an integer with
    // bounds), which derefs to it and reads as text.
    let item_struct =
        syntax::type_ident(&ty).and_then(|n| syntax::find_item_struct(file, "types", &n));
    let newtype_of = item_struct.and_then(scalar_newtype_of).cloned();
    Ok(Access {
        key: String::new(),
        expr,
        is_struct: item_struct.is_some() && newtype_of.is_none(),
        ty,
        newtype_of,
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
        "\nTimestamps are the provider's date-times; its strings when they parse as RFC 3339, or as \
         an ISO 8601 date-time without an offset (read as UTC); its integers as Unix seconds (a \
         value of 10^11 or more, as milliseconds).\n\
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
    use serde_json::{Value, json};

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
            "components": {"schemas": {"Time": {"type": "string", "format": "date-time", "description": "Kubernetes' wrapper"}, "Job": {
                "type": "object", "required": ["jobId"],
                "properties": {
                    "jobId": {"type": "integer"},
                    "uid": {"type": "string", "format": "uuid"},
                    "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]+$"},
                    "slug": {"type": "string", "maxLength": 64},
                    "rank": {"type": "integer", "minimum": 1},
                    "label": {"type": "string"},
                    "meta": {"type": "object", "properties": {"finishedAt": {"type": "string", "format": "date-time"}}},
                    "created": {"type": "string", "pattern": "^\\d{4}-\\d{2}-\\d{2}T"},
                    "startedAt": {"type": "integer", "format": "unixtime"},
                    "endedAt": {"type": "integer", "format": "int32", "minimum": 1, "nullable": true},
                    "day": {"type": "string", "format": "date"},
                    "stamp": {"$ref": "#/components/schemas/Time"},
                    "state": {"type": "string", "enum": ["open", "done"], "title": "JobState"}
                }
            }}}
        });
        let mut prepared = crate::model::prepare_doc("acme", "acme.json".into(), doc, None)?;
        let (_, source) = crate::emit::generate_with_source(&mut prepared)?;
        Ok(source.expect("x-task gives a TaskSource").to_string())
    }

    /// An id of any scalar type is read as text: a uuid, a string with a pattern or a
    /// length (a newtype), an integer with bounds.
    #[test]
    fn an_id_of_any_scalar_type_is_text() {
        for field in ["uid", "code", "slug", "rank", "jobId"] {
            let code = generate(json!({"id": field})).unwrap_or_else(|e| panic!("{field}: {e}"));
            assert!(code.contains(". to_string ()"), "{field}: {code}");
        }
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

    /// A time is a date-time (a newtype of one too: a named `date-time` component), text
    /// (a `String` or a newtype of one: a string with a `pattern`) or an integer of Unix
    /// time (a `NonZero` one too); text and integers go through the facade's conversion.
    #[test]
    fn times_are_date_times_text_or_unix_integers() {
        let code = generate(json!({
            "id": "jobId",
            "created_at": "created",
            "updated_at": ["endedAt", "startedAt", "label", "stamp"]
        }))
        .unwrap();
        let compact: String = code.split_whitespace().collect();
        for needle in [
            "created_at:item.created.as_ref().and_then(|v|crate::sources::time_from_text(v.as_str()))",
            "item.ended_at.as_ref().and_then(|v|i64::try_from(v.get()).ok()).and_then(crate::sources::time_from_unix)",
            "item.started_at.as_ref().and_then(|v|i64::try_from(*v).ok()).and_then(crate::sources::time_from_unix)",
            "item.label.as_ref().and_then(|v|crate::sources::time_from_text(v.as_str()))",
            "item.stamp.as_ref().map(|v|**v)",
        ] {
            assert!(compact.contains(needle), "{needle} not in {code}");
        }
        assert_eq!(
            generate(json!({"id": "jobId", "created_at": "day"})).unwrap_err(),
            "acme.json: `created_at: day`: not a date-time (`format: date-time`), a string nor an integer (Unix time) at $.paths['/tasks'].get.x-task"
        );
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

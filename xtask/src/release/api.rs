//! The public API of a generated provider crate, read from the syntax tree of its
//! `generated.rs` (progenitor's output plus [`crate::emit::extend`]'s): what a Rust user can
//! name and call. [`crate::release::report`] diffs two of them.
//!
//! - operations: each `Client` method, the parameters its builder takes (type, required
//!   or optional), the success type of `send()`/`call()` and its operation group (the
//!   cargo feature in the method's `#[cfg(feature = "..")]`);
//! - types: every item of `types` (structs with their public fields, enums with their
//!   variants, newtypes and aliases) and every forward-compatible enum of `enums`.

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Api {
    /// By method name.
    pub operations: BTreeMap<String, Operation>,
    /// By type name.
    pub types: BTreeMap<String, Type>,
    /// The traits each type of `types` derives or implements (`Default`, `From`, ...).
    pub traits: BTreeMap<String, BTreeSet<String>>,
    /// The types of `types` that have a builder (`Task::builder()`, `types::builder::Task`).
    pub builders: BTreeSet<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Operation {
    /// By setter name.
    pub params: BTreeMap<String, Param>,
    /// What `call()` returns.
    pub success: String,
    /// What `stream()` yields, when the builder has one.
    pub stream: Option<String>,
    /// The operation's group, the cargo feature that compiles it (`None` in a crate
    /// generated before operations had groups).
    pub group: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub ty: String,
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// A struct with named fields: field name → type (`Option<..>` when optional).
    Struct(BTreeMap<String, String>),
    /// An enum: variant → its payload (`""` for a unit variant).
    Enum(BTreeMap<String, String>),
    /// Anything else (a newtype, an alias): its definition in one line.
    Other(String),
}

impl Type {
    pub fn kind(&self) -> &'static str {
        match self {
            Type::Struct(_) => "struct",
            Type::Enum(_) => "enum",
            Type::Other(_) => "type",
        }
    }
}

impl Api {
    /// The API of a generated file.
    pub fn from_file(file: &syn::File) -> Api {
        // Types read the same whether a prelude name is spelled out or not (generated
        // files before and after `short_paths`).
        let mut file = file.clone();
        crate::emit::short_paths::shorten(&mut file);
        let mut api = Api::default();
        let mut builders: BTreeMap<String, BTreeMap<String, Param>> = BTreeMap::new();
        // (method, builder, group)
        let mut methods: Vec<(String, String, Option<String>)> = Vec::new();
        let mut streams: BTreeMap<String, String> = BTreeMap::new(); // builder -> item type
        for item in &file.items {
            match item {
                syn::Item::Mod(m) if m.ident == "types" => {
                    for item in module_items(m) {
                        if let Some((name, ty)) = type_item(item) {
                            api.types.insert(name, ty);
                        }
                        for (name, t) in traits_of(item) {
                            api.traits.entry(name).or_default().insert(t);
                        }
                        if let syn::Item::Impl(imp) = item
                            && imp.trait_.is_none()
                            && imp.items.iter().any(
                                |i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "builder"),
                            )
                            && let Some(ty) = crate::emit::syntax::type_ident(&imp.self_ty)
                        {
                            api.builders.insert(ty);
                        }
                    }
                }
                syn::Item::Mod(m) if m.ident == "enums" => {
                    for item in module_items(m) {
                        let syn::Item::Macro(mac) = item else {
                            continue;
                        };
                        if let Ok(e) = syn::parse2::<syn::ItemEnum>(mac.mac.tokens.clone()) {
                            let mut variants = enum_variants(&e);
                            variants.insert("Unknown".into(), "(String)".into());
                            api.types.insert(e.ident.to_string(), Type::Enum(variants));
                        }
                    }
                }
                syn::Item::Mod(m) if m.ident == "builder" => {
                    for item in module_items(m) {
                        if let syn::Item::Struct(s) = item {
                            builders.insert(s.ident.to_string(), builder_params(s));
                        }
                    }
                }
                syn::Item::Impl(imp) if is_client(&imp.self_ty) && imp.trait_.is_none() => {
                    for item in &imp.items {
                        let syn::ImplItem::Fn(f) = item else { continue };
                        let takes_self =
                            matches!(f.sig.inputs.first(), Some(syn::FnArg::Receiver(_)));
                        if !matches!(f.vis, syn::Visibility::Public(_)) || !takes_self {
                            continue;
                        }
                        let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                            continue;
                        };
                        if let Some(builder) = builder_of(ty) {
                            let group = feature_of(&f.attrs);
                            methods.push((f.sig.ident.to_string(), builder, group));
                        }
                    }
                }
                syn::Item::Impl(imp) if imp.trait_.is_none() => {
                    let Some(builder) = builder_of(&imp.self_ty) else {
                        continue;
                    };
                    for item in &imp.items {
                        let syn::ImplItem::Fn(f) = item else { continue };
                        if f.sig.ident == "stream"
                            && let syn::ReturnType::Type(_, ty) = &f.sig.output
                        {
                            let item = crate::emit::syntax::generic_arg(ty).map(type_string);
                            streams.insert(builder.clone(), item.unwrap_or_default());
                        }
                    }
                }
                _ => {}
            }
        }
        let success: BTreeMap<String, syn::Type> =
            crate::emit::syntax::send_types(&file).into_iter().collect();
        for (method, builder, group) in methods {
            api.operations.insert(
                method,
                Operation {
                    params: builders.remove(&builder).unwrap_or_default(),
                    success: success.get(&builder).map(type_string).unwrap_or_default(),
                    stream: streams.remove(&builder),
                    group,
                },
            );
        }
        api
    }

    /// The operation groups (cargo features) and how many operations each has.
    pub fn groups(&self) -> BTreeMap<&str, usize> {
        let mut groups = BTreeMap::new();
        for op in self.operations.values() {
            if let Some(group) = &op.group {
                *groups.entry(group.as_str()).or_default() += 1;
            }
        }
        groups
    }

    /// Every type a request can carry: the types of the builders' parameters and what
    /// they contain, transitively. A required field added to one of them breaks the code
    /// that builds it.
    pub fn request_types(&self) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        let mut todo: Vec<String> = self
            .operations
            .values()
            .flat_map(|op| op.params.values())
            .flat_map(|p| idents(&p.ty))
            .collect();
        while let Some(name) = todo.pop() {
            let Some(ty) = self.types.get(&name) else {
                continue;
            };
            if !found.insert(name) {
                continue;
            }
            let inner: Vec<String> = match ty {
                Type::Struct(fields) => fields.values().flat_map(|t| idents(t)).collect(),
                Type::Enum(variants) => variants.values().flat_map(|t| idents(t)).collect(),
                Type::Other(def) => idents(def),
            };
            todo.extend(inner);
        }
        found
    }
}

fn module_items(m: &syn::ItemMod) -> &[syn::Item] {
    m.content
        .as_ref()
        .map_or(&[], |(_, items)| items.as_slice())
}

fn is_client(ty: &syn::Type) -> bool {
    crate::emit::syntax::type_ident(ty).as_deref() == Some("Client")
}

/// `builder::ListTasks<'_>` → `ListTasks`.
fn builder_of(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    let segments: Vec<_> = p.path.segments.iter().collect();
    match segments.as_slice() {
        [module, last] if module.ident == "builder" => Some(last.ident.to_string()),
        _ => None,
    }
}

/// `x` of a `#[cfg(feature = "x")]` among `attrs` (an operation's group).
fn feature_of(attrs: &[syn::Attribute]) -> Option<String> {
    crate::emit::syntax::cfg_attrs(attrs)
        .into_iter()
        .find_map(|a| {
            let meta: syn::MetaNameValue = a.parse_args().ok()?;
            if !meta.path.is_ident("feature") {
                return None;
            }
            match meta.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            }
        })
}

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn type_item(item: &syn::Item) -> Option<(String, Type)> {
    match item {
        syn::Item::Struct(s) if is_public(&s.vis) => {
            let ty = match &s.fields {
                syn::Fields::Named(named) => Type::Struct(
                    named
                        .named
                        .iter()
                        .filter(|f| is_public(&f.vis))
                        .map(|f| (f.ident.as_ref().unwrap().to_string(), type_string(&f.ty)))
                        .collect(),
                ),
                syn::Fields::Unnamed(unnamed) => Type::Other(format!(
                    "({})",
                    unnamed
                        .unnamed
                        .iter()
                        .map(|f| type_string(&f.ty))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
                syn::Fields::Unit => Type::Other("unit struct".into()),
            };
            Some((s.ident.to_string(), ty))
        }
        syn::Item::Enum(e) if is_public(&e.vis) => {
            Some((e.ident.to_string(), Type::Enum(enum_variants(e))))
        }
        syn::Item::Type(t) if is_public(&t.vis) => Some((
            t.ident.to_string(),
            Type::Other(format!("= {}", type_string(&t.ty))),
        )),
        _ => None,
    }
}

/// tasks-sdk-core's traits that only generated code implements and calls, hidden from
/// its documentation (`object::Object`): how a type is read, not what a user names.
const GENERATOR_TRAITS: &[&str] = &["tasks_sdk_core::object::Object"];

fn is_generator_trait(path: &syn::Path) -> bool {
    GENERATOR_TRAITS.contains(&path_text(path).as_str())
}

fn is_object_macro(path: &syn::Path) -> bool {
    path_text(path) == "tasks_sdk_core::object"
}

/// `a::b::c`, without a leading `::`.
fn path_text(path: &syn::Path) -> String {
    let text: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    text.join("::")
}

/// (type, trait) pairs of an item: its `#[derive(..)]`s, or the trait it implements
/// (not a [`GENERATOR_TRAITS`] one).
fn traits_of(item: &syn::Item) -> Vec<(String, String)> {
    let derives = |name: &syn::Ident, attrs: &[syn::Attribute]| -> Vec<(String, String)> {
        let mut out = Vec::new();
        for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
            let _ = attr.parse_nested_meta(|meta| {
                if let Some(last) = meta.path.segments.last() {
                    out.push((name.to_string(), last.ident.to_string()));
                }
                Ok(())
            });
        }
        out
    };
    match item {
        syn::Item::Struct(s) if is_public(&s.vis) => derives(&s.ident, &s.attrs),
        syn::Item::Enum(e) if is_public(&e.vis) => derives(&e.ident, &e.attrs),
        // `tasks_sdk_core::object!(Task { .. })`: Task's `Deserialize`.
        syn::Item::Macro(m) if is_object_macro(&m.mac.path) => m
            .mac
            .tokens
            .clone()
            .into_iter()
            .find_map(|t| match t {
                proc_macro2::TokenTree::Ident(i) if i != "deny_unknown_fields" => {
                    Some(vec![(i.to_string(), "Deserialize".to_owned())])
                }
                _ => None,
            })
            .unwrap_or_default(),
        syn::Item::Impl(imp) => {
            let (Some((_, path, _)), Some(ty)) =
                (&imp.trait_, crate::emit::syntax::type_ident(&imp.self_ty))
            else {
                return Vec::new();
            };
            let Some(last) = path.segments.last() else {
                return Vec::new();
            };
            if is_generator_trait(path) {
                return Vec::new();
            }
            let args = match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => format!(
                    "<{}>",
                    a.args
                        .iter()
                        .map(|arg| match arg {
                            syn::GenericArgument::Type(t) => type_string(t),
                            other => compact(&other.to_token_stream().to_string()),
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => String::new(),
            };
            vec![(ty, format!("{}{args}", last.ident))]
        }
        _ => Vec::new(),
    }
}

fn enum_variants(e: &syn::ItemEnum) -> BTreeMap<String, String> {
    e.variants
        .iter()
        .map(|v| {
            let payload = match &v.fields {
                syn::Fields::Unit => String::new(),
                syn::Fields::Unnamed(u) => format!(
                    "({})",
                    u.unnamed
                        .iter()
                        .map(|f| type_string(&f.ty))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                syn::Fields::Named(n) => format!(
                    "{{ {} }}",
                    n.named
                        .iter()
                        .map(|f| format!("{}: {}", f.ident.as_ref().unwrap(), type_string(&f.ty)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            (v.ident.to_string(), payload)
        })
        .collect()
}

/// A builder's parameters: its fields but `client`, each `Result<T, String>` where an
/// optional parameter's `T` is `Option<..>`.
fn builder_params(s: &syn::ItemStruct) -> BTreeMap<String, Param> {
    s.fields
        .iter()
        .filter_map(|f| {
            let name = f.ident.as_ref()?.to_string();
            if name == "client" {
                return None;
            }
            let inner = crate::emit::syntax::generic_arg(&f.ty).unwrap_or(&f.ty);
            let (ty, required) = match crate::emit::syntax::option_inner(inner) {
                Some(t) => (t, false),
                None => (inner, true),
            };
            Some((
                name,
                Param {
                    ty: type_string(ty),
                    required,
                },
            ))
        })
        .collect()
}

/// A type as a reader writes it: each path by its last segment (`Option<DateTime<Utc>>`,
/// `Vec<Task>`, `String`), builder types as `builder::X`.
pub fn type_string(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => {
            let segments: Vec<_> = p.path.segments.iter().collect();
            let Some(last) = segments.last() else {
                return String::new();
            };
            let prefix = match segments.as_slice() {
                [.., module, _] if module.ident == "builder" => "builder::",
                _ => "",
            };
            let args = match &last.arguments {
                syn::PathArguments::AngleBracketed(a) => {
                    let inner: Vec<String> = a
                        .args
                        .iter()
                        .map(|arg| match arg {
                            syn::GenericArgument::Type(t) => type_string(t),
                            other => compact(&other.to_token_stream().to_string()),
                        })
                        .collect();
                    format!("<{}>", inner.join(", "))
                }
                _ => String::new(),
            };
            format!("{prefix}{}{args}", last.ident)
        }
        syn::Type::Reference(r) => format!("&{}", type_string(&r.elem)),
        syn::Type::Slice(s) => format!("[{}]", type_string(&s.elem)),
        syn::Type::Array(a) => format!(
            "[{}; {}]",
            type_string(&a.elem),
            compact(&a.len.to_token_stream().to_string())
        ),
        syn::Type::Tuple(t) => format!(
            "({})",
            t.elems
                .iter()
                .map(type_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => compact(&other.to_token_stream().to_string()),
    }
}

fn compact(tokens: &str) -> String {
    tokens
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace(" >", ">")
        .replace("< ", "<")
        .replace(" ,", ",")
}

/// The identifiers of a type string.
fn idents(ty: &str) -> Vec<String> {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_is_read_from_the_generated_items() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(Clone, ::serde::Serialize)]
                pub struct Task {
                    pub id: ::uuid::Uuid,
                    #[serde(rename = "createdAt")]
                    pub created_at: ::std::option::Option<::chrono::DateTime<::chrono::offset::Utc>>,
                    pub status: crate::generated::enums::TaskStatus,
                    hidden: u8,
                }
                pub struct TaskPage { pub items: ::std::vec::Vec<Task> }
                pub struct Query { pub q: ::std::string::String }
                pub enum Body { A(Task), B { n: i64 }, C }
                pub struct Id(::std::string::String);
                impl ::std::convert::From<&Task> for Task { fn from(v: &Task) -> Self { todo!() } }
                ::tasks_sdk_core::object!(Task { 0 id: "id", 1 created_at: "createdAt" });
                impl ::tasks_sdk_core::object::Object for TaskPage {}
                pub mod builder { pub struct Task { id: Result<::uuid::Uuid, String> } }
            }
            pub struct Client { baseurl: String }
            impl Client {
                pub fn new() -> Self { todo!() }
                #[doc = "List tasks"]
                #[cfg(feature = "tasks")]
                pub fn list_tasks(&self) -> builder::ListTasks<'_> { todo!() }
            }
            pub mod builder {
                pub struct ListTasks<'a> {
                    client: &'a super::Client,
                    limit: Result<Option<::std::num::NonZeroU32>, String>,
                    query: Result<types::Query, String>,
                }
                impl<'a> ListTasks<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::TaskPage>, Error<()>> { todo!() }
                }
            }
            impl<'a> builder::ListTasks<'a> {
                pub fn stream(self) -> tasks_sdk_core::Items<'a, types::Task> { todo!() }
            }
            pub mod enums {
                tasks_sdk_core::open_enum! {
                    #[doc = "Status"]
                    pub enum TaskStatus { #[doc = "`queued`"] Queued = "queued", Done = "done", }
                }
            }
        };
        let api = Api::from_file(&file);
        let op = &api.operations["list_tasks"];
        assert_eq!(op.success, "TaskPage");
        assert_eq!(op.stream.as_deref(), Some("Task"));
        assert_eq!(op.group.as_deref(), Some("tasks"));
        assert_eq!(api.groups().into_iter().collect::<Vec<_>>(), [("tasks", 1)]);
        assert_eq!(
            op.params["limit"],
            Param {
                ty: "NonZeroU32".into(),
                required: false
            }
        );
        assert!(op.params["query"].required);
        assert_eq!(api.operations.len(), 1, "new() is not an operation");
        let Type::Struct(task) = &api.types["Task"] else {
            panic!()
        };
        assert_eq!(task["created_at"], "Option<DateTime<Utc>>");
        assert_eq!(task["status"], "TaskStatus");
        assert!(!task.contains_key("hidden"));
        let Type::Enum(body) = &api.types["Body"] else {
            panic!()
        };
        assert_eq!(body["A"], "(Task)");
        assert_eq!(body["B"], "{ n: i64 }");
        assert_eq!(body["C"], "");
        assert_eq!(api.types["Id"], Type::Other("(String)".into()));
        assert_eq!(
            api.traits["Task"].iter().collect::<Vec<_>>(),
            ["Clone", "Deserialize", "From<&Task>", "Serialize"],
            "object! is Task's Deserialize"
        );
        assert!(
            !api.traits.contains_key("TaskPage"),
            "the generator's own traits are not API: {:?}",
            api.traits.get("TaskPage")
        );
        let Type::Enum(status) = &api.types["TaskStatus"] else {
            panic!()
        };
        assert_eq!(
            status.keys().collect::<Vec<_>>(),
            ["Done", "Queued", "Unknown"]
        );
        assert_eq!(
            api.request_types().into_iter().collect::<Vec<_>>(),
            ["Query"]
        );
    }
}

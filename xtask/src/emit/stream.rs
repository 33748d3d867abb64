//! `stream()` on the request builder of an operation with a pagination (the overlay's
//! `x-pagination`, checked by [`crate::model::paging`], or one [`crate::model::detect`] found): a lazy
//! `tasks_sdk_core::Items` over every item of every page, in each style the runtime
//! knows (cursor, page numbers, offsets, a next-page link in the body or in the `Link`
//! header, a single page).
//!
//! Wire names are mapped to progenitor's and typify's Rust names by reading their
//! output: a field is found by its `#[serde(rename)]`, a parameter's builder field and
//! setter by [`naming::setter_name`], and every type (the page, its fields, the
//! parameters) is checked before code is written, so that a wrong `x-pagination` is a
//! regen error that names the problem rather than generated code that does not compile.
//!
//! progenitor's builder fields are private to its `builder` module; a stream that needs
//! one (the page size the caller set, or the client for link styles) gets a
//! `pub(crate)` accessor there ([`Stream::accessors`]).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::document::naming;
use crate::emit::syntax::{
    error_type, field, find_item_struct, generic_arg, option_inner, qualify, type_ident,
};
use crate::model::OperationFacts;

/// What one operation's stream adds to the generated code.
pub struct Stream {
    /// `pub fn stream(self)`, for the `impl builder::X` next to `call()`.
    pub method: TokenStream,
    /// Functions for an `impl` inside progenitor's `builder` module.
    pub accessors: Vec<TokenStream>,
    /// The item type (`types::Task`), as seen from the crate's `types` module's parent.
    pub item: TokenStream,
}

/// `stream()` for the operation `op`, whose builder is `builder` (in progenitor's
/// `builder` module) and whose `send()` returns `page` (e.g. `types::TaskPage`).
pub fn stream(
    pagination: &Value,
    op: &OperationFacts,
    builder: &str,
    page: &syn::Type,
    file: &syn::File,
) -> Result<Stream, String> {
    let get = |key: &str| pagination.get(key).and_then(Value::as_str);
    let require = |key: &str| get(key).ok_or_else(|| format!("x-pagination needs `{key}`"));
    let builder_struct = find_item_struct(file, "builder", builder)
        .ok_or_else(|| format!("progenitor wrote no builder struct `{builder}`"))?;
    let shape = shape(file, page)?;
    let style = require("style")?;
    let mut accessors = Vec::new();

    // The items, moved out of `page`.
    let (items, item_ty) = match (&shape, get("items")) {
        (Shape::Object(root), Some(path)) => take_items(file, root, path)
            .map_err(|e| format!("x-pagination `items: {path}`: {e}"))?,
        (Shape::Object(_), None) => {
            return Err("x-pagination needs `items` (the page is an object)".into());
        }
        (Shape::List { .. }, Some(path)) => {
            return Err(format!(
                "x-pagination `items: {path}`: the page is a JSON array: leave `items` out"
            ));
        }
        (Shape::List { suffix, item }, None) => (quote!(page #suffix), *item),
    };
    let item_ty = qualify(item_ty);

    // A signal of the page: `Option<T>` of the field at `key`'s path, checked by `ok`.
    let signal = |key: &str, what: &str, ok: fn(Scalar) -> bool| -> Result<TokenStream, String> {
        let Some(path) = get(key) else {
            return Ok(quote!(None));
        };
        let in_key = |e: String| format!("x-pagination `{key}: {path}`: {e}");
        let Shape::Object(root) = &shape else {
            return Err(in_key("the page is a JSON array, without fields".into()));
        };
        let steps = resolve_path(file, root, path).map_err(in_key)?;
        let leaf = steps.last().expect("a path has a step").ty;
        let leaf = option_inner(leaf).unwrap_or(leaf);
        if !ok(scalar(leaf)) {
            return Err(in_key(format!("is `{}`, not {what}", rust(leaf))));
        }
        Ok(access(&steps))
    };
    let more_key = if get("has_next").is_some() {
        "has_next"
    } else {
        "has_more"
    };
    let more = signal(more_key, "a boolean", |s| s == Scalar::Bool)?;
    let total = |key: &str| -> Result<TokenStream, String> {
        let access = signal(key, "a number", Scalar::is_number)?;
        Ok(match get(key) {
            Some(_) => quote!(#access.and_then(tasks_sdk_core::pagination::total)),
            None => quote!(None),
        })
    };

    // The page size the request asks for: the caller's, else the default; with the
    // accessor that reads the caller's.
    let page_size = || -> Result<(Option<TokenStream>, Option<TokenStream>), String> {
        let fallback = pagination
            .get("page_size")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        let Some(limit) = get("limit_param") else {
            return Ok(((fallback > 0).then(|| quote!(#fallback)), None));
        };
        let (field, ty, required) = builder_field(builder_struct, limit).ok_or_else(|| {
            format!("x-pagination `limit_param: {limit}`: progenitor wrote no builder field for it")
        })?;
        if !scalar(ty).is_number() {
            return Err(not_a(limit, "limit_param", ty, "number"));
        }
        let set = if required {
            quote!(Ok(value))
        } else {
            quote!(Ok(Some(value)))
        };
        let accessor = quote! {
            #[doc(hidden)]
            pub(crate) fn __tasks_sdk_page_size(&self) -> Option<u64> {
                match &self.#field {
                    #set => tasks_sdk_core::pagination::total(*value),
                    _ => None,
                }
            }
        };
        Ok((
            Some(quote!(self.__tasks_sdk_page_size().unwrap_or(#fallback))),
            Some(accessor),
        ))
    };
    let client_accessor = quote! {
        #[doc(hidden)]
        pub(crate) fn __tasks_sdk_client(&self) -> &'a super::Client {
            self.client
        }
    };
    let error_ty = error_type(file, builder);

    let body = match style {
        "cursor" => {
            let cursor_param = require("cursor_param")?;
            let next_cursor = signal("next_cursor", "a string or a number", |s| {
                s == Scalar::Str || s.is_number()
            })?;
            let (setter, ty) = setter(builder_struct, "cursor_param", cursor_param)?;
            let set = match scalar(ty) {
                Scalar::Str => quote!(Ok::<_, ::std::string::String>(self.clone().#setter(cursor))),
                s if s.is_number() => quote! {
                    match cursor.parse::<#ty>() {
                        Ok(cursor) => Ok(self.clone().#setter(cursor)),
                        Err(_) => Err(cursor),
                    }
                },
                _ => return Err(not_a(cursor_param, "cursor_param", ty, "string or number")),
            };
            quote! {
                tasks_sdk_core::Items::cursor(move |cursor: ::std::option::Option<::std::string::String>| {
                    let request = match cursor {
                        Some(cursor) => #set,
                        None => Ok(self.clone()),
                    };
                    async move {
                        let request = request.map_err(|cursor| tasks_sdk_core::Error::Pagination {
                            reason: format!("the next cursor {cursor:?} is not a number"),
                        })?;
                        let (response, page) = request.call_with_response().await?.into_parts();
                        let next_cursor = #next_cursor.map(|cursor| cursor.to_string());
                        let more = #more;
                        Ok(tasks_sdk_core::Page::new(#items).next_cursor(next_cursor).more(more).response(response))
                    }
                })
            }
        }
        "page" | "offset" => {
            let key = if style == "page" {
                "page_param"
            } else {
                "offset_param"
            };
            let name = require(key)?;
            let (setter, ty) = setter(builder_struct, key, name)?;
            let first = if style == "page" {
                pagination
                    .get("first_page")
                    .and_then(Value::as_u64)
                    .unwrap_or(1)
            } else {
                0
            };
            if first == 0 && type_ident(ty).is_some_and(|n| n.starts_with("NonZero")) {
                return Err(format!(
                    "x-pagination `{key}: {name}` is `{}` (its schema says it is at least 1), but the first {} is 0",
                    rust(ty),
                    if style == "page" {
                        "page (`first_page`)"
                    } else {
                        "offset"
                    }
                ));
            }
            let arg = match scalar(ty) {
                Scalar::Int => quote!(number),
                Scalar::NonZero(prim) => {
                    let prim = format_ident!("{prim}");
                    quote!(#prim::try_from(number).unwrap_or(0))
                }
                Scalar::Float(f) => {
                    let f = format_ident!("{f}");
                    quote!(number as #f)
                }
                Scalar::Str => quote!(number.to_string()),
                _ => return Err(not_a(name, key, ty, "number")),
            };
            let (total_items, total_pages) = (total("total_items")?, total("total_pages")?);
            let constructor = if style == "page" {
                quote!(tasks_sdk_core::Items::pages_from(#first, move |number: u64| {
                    let request = self.clone().#setter(#arg);
                    async move {
                        let (response, page) = request.call_with_response().await?.into_parts();
                        let (more, total_items, total_pages) = (#more, #total_items, #total_pages);
                        Ok(tasks_sdk_core::Page::new(#items)
                            .more(more)
                            .total_items(total_items)
                            .total_pages(total_pages)
                            .response(response))
                    }
                }))
            } else {
                quote!(tasks_sdk_core::Items::offset(move |number: u64| {
                    let request = self.clone().#setter(#arg);
                    async move {
                        let (response, page) = request.call_with_response().await?.into_parts();
                        let (more, total_items) = (#more, #total_items);
                        Ok(tasks_sdk_core::Page::new(#items).more(more).total_items(total_items).response(response))
                    }
                }))
            };
            let (size, accessor) = page_size()?;
            accessors.extend(accessor);
            match size {
                Some(size) => quote! {
                    let page_size = #size;
                    #constructor.page_size(page_size)
                },
                None => constructor,
            }
        }
        "links" | "link_header" => {
            accessors.push(client_accessor);
            let follow = quote! {
                tasks_sdk_core::pagination::follow_link::<#page, #error_ty>(&client.inner, &client.client, Self::OPERATION, &link).await?
            };
            let fetch = if style == "links" {
                let next = signal("next", "a string", |s| s == Scalar::Str)?;
                quote! {
                    let (response, page) = match link {
                        None => first.call_with_response().await?,
                        Some(link) => #follow,
                    }
                    .into_parts();
                    let next = #next;
                }
            } else {
                quote! {
                    let response = match link {
                        None => first.call_with_response().await?,
                        Some(link) => #follow,
                    };
                    let next = tasks_sdk_core::next_link(response.headers());
                    let (response, page) = response.into_parts();
                }
            };
            quote! {
                let client = self.__tasks_sdk_client();
                tasks_sdk_core::Items::links(move |link: ::std::option::Option<::std::string::String>| {
                    let first = self.clone();
                    async move {
                        #fetch
                        let more = #more;
                        Ok(tasks_sdk_core::Page::new(#items).next_cursor(next).more(more).response(response))
                    }
                })
            }
        }
        "none" => quote! {
            tasks_sdk_core::Items::single(async move {
                let (response, page) = self.call_with_response().await?.into_parts();
                Ok(tasks_sdk_core::Page::new(#items).response(response))
            })
        },
        other => return Err(format!("unknown x-pagination style {other:?}")),
    };
    let source = if op.pagination_detected {
        "detected from the parameter and field names; an overlay's `x-pagination` can \
         correct it"
            .to_owned()
    } else {
        "from the spec's `x-pagination`".to_owned()
    };
    let doc = format!(
        "Every item of every page, as a lazy stream: the next page is fetched only when this \
         one's items are used up (pagination: `{style}`, {source}). Bound it with \
         `max_items`/`max_pages`; errors (after retries) end it."
    );
    Ok(Stream {
        method: quote! {
            #[doc = #doc]
            pub fn stream(self) -> tasks_sdk_core::Items<'a, #item_ty> {
                #body
            }
        },
        accessors,
        item: item_ty,
    })
}

/// Adds `impl<'a> Builder<'a> { accessors }` to progenitor's `builder` module.
pub fn insert_accessors(
    file: &mut syn::File,
    accessors: Vec<(syn::Ident, Vec<TokenStream>)>,
) -> Result<(), String> {
    if accessors.is_empty() {
        return Ok(());
    }
    let module = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut(),
            _ => None,
        })
        .ok_or("progenitor wrote no `builder` module")?;
    for (builder, functions) in accessors {
        let item: syn::Item = syn::parse2(quote! {
            impl<'a> #builder<'a> {
                #(#functions)*
            }
        })
        .map_err(|e| format!("a stream accessor does not parse: {e}"))?;
        module.1.push(item);
    }
    Ok(())
}

/// What a page is.
enum Shape<'f> {
    /// A struct with fields.
    Object(&'f syn::ItemStruct),
    /// A JSON array: `Vec<T>`, or a newtype of one (`suffix` is then `.0`).
    List {
        suffix: TokenStream,
        item: &'f syn::Type,
    },
}

fn shape<'f>(file: &'f syn::File, page: &'f syn::Type) -> Result<Shape<'f>, String> {
    if let Some((suffix, item)) = vec_item(file, page) {
        return Ok(Shape::List { suffix, item });
    }
    type_ident(page)
        .and_then(|name| find_item_struct(file, "types", &name))
        .filter(|s| matches!(s.fields, syn::Fields::Named(_)))
        .map(Shape::Object)
        .ok_or_else(|| {
            format!(
                "the page type `{}` is neither an object with fields nor an array",
                rust(page)
            )
        })
}

/// `Vec<T>` → `("", T)`; a `types` newtype `struct X(pub Vec<T>)` → `(".0", T)`.
fn vec_item<'f>(file: &'f syn::File, ty: &'f syn::Type) -> Option<(TokenStream, &'f syn::Type)> {
    match type_ident(ty)?.as_str() {
        "Vec" => Some((quote!(), generic_arg(ty)?)),
        name => {
            let newtype = find_item_struct(file, "types", name)?;
            let syn::Fields::Unnamed(fields) = &newtype.fields else {
                return None;
            };
            let [inner] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
                return None;
            };
            (type_ident(&inner.ty)? == "Vec").then_some(())?;
            Some((quote!(.0), generic_arg(&inner.ty)?))
        }
    }
}

/// One field on the way down a path.
struct Step<'f> {
    ident: &'f syn::Ident,
    ty: &'f syn::Type,
}

/// The fields along a dotted wire path. A JSON name may contain dots itself
/// (`@odata.nextLink`): at each level the longest run of segments that names a field
/// wins.
fn resolve_path<'f>(
    file: &'f syn::File,
    root: &'f syn::ItemStruct,
    path: &str,
) -> Result<Vec<Step<'f>>, String> {
    let segments: Vec<&str> = path.split('.').collect();
    let mut steps = Vec::new();
    let mut current = root;
    let mut at = 0;
    while at < segments.len() {
        let (len, (ident, ty)) = (1..=segments.len() - at)
            .rev()
            .find_map(|len| Some((len, field(current, &segments[at..at + len].join("."))?)))
            .ok_or_else(|| format!("no field `{}`", segments[at]))?;
        steps.push(Step { ident, ty });
        at += len;
        if at < segments.len() {
            let inner = option_inner(ty).unwrap_or(ty);
            current = type_ident(inner)
                .and_then(|name| find_item_struct(file, "types", &name))
                .filter(|s| matches!(s.fields, syn::Fields::Named(_)))
                .ok_or_else(|| format!("`{}` is not an object", segments[at - 1]))?;
        }
    }
    Ok(steps)
}

/// `Some(&page)` followed along the steps, each optional one with `and_then`, cloned at
/// the end: an `Option<T>` of the last field.
fn access(steps: &[Step]) -> TokenStream {
    let mut expr = quote!(Some(&page));
    for Step { ident, ty } in steps {
        expr = match option_inner(ty) {
            Some(_) => quote!(#expr.and_then(|v| v.#ident.as_ref())),
            None => quote!(#expr.map(|v| &v.#ident)),
        };
    }
    quote!(#expr.cloned())
}

/// The items at `path`, moved out of `page` (an absent optional array is empty), and
/// their type.
fn take_items<'f>(
    file: &'f syn::File,
    root: &'f syn::ItemStruct,
    path: &str,
) -> Result<(TokenStream, &'f syn::Type), String> {
    let steps = resolve_path(file, root, path)?;
    let last = steps.last().expect("a path has a step");
    let leaf_optional = option_inner(last.ty).is_some();
    let leaf = option_inner(last.ty).unwrap_or(last.ty);
    let (suffix, item) = vec_item(file, leaf).ok_or("is not an array")?;
    if let [only] = &steps[..] {
        let ident = only.ident;
        return Ok(match (leaf_optional, suffix.is_empty()) {
            (true, true) => (quote!(page.#ident.unwrap_or_default()), item),
            (true, false) => (
                quote!(page.#ident.map(|v| v #suffix).unwrap_or_default()),
                item,
            ),
            (false, _) => (quote!(page.#ident #suffix), item),
        });
    }
    let mut expr = quote!(Some(page));
    for Step { ident, ty } in &steps {
        expr = match option_inner(ty) {
            Some(_) => quote!(#expr.and_then(|v| v.#ident)),
            None => quote!(#expr.map(|v| v.#ident)),
        };
    }
    if !suffix.is_empty() {
        expr = quote!(#expr.map(|v| v #suffix));
    }
    Ok((quote!(#expr.unwrap_or_default()), item))
}

/// A type as Rust code: `::std::string::String`, `Option<i64>`.
fn rust(ty: &syn::Type) -> String {
    quote!(#ty).to_string().replace(' ', "").replace(',', ", ")
}

/// What a parameter or field holds, for the conversions a stream writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scalar {
    Str,
    Bool,
    /// A primitive integer, or `NonZeroU64`: `TryFrom<u64>`.
    Int,
    /// Another `NonZero*`, with its primitive.
    NonZero(&'static str),
    Float(&'static str),
    Other,
}

impl Scalar {
    fn is_number(self) -> bool {
        matches!(self, Scalar::Int | Scalar::NonZero(_) | Scalar::Float(_))
    }
}

fn scalar(ty: &syn::Type) -> Scalar {
    const NON_ZERO: &[(&str, &str)] = &[
        ("NonZeroU8", "u8"),
        ("NonZeroU16", "u16"),
        ("NonZeroU32", "u32"),
        ("NonZeroU128", "u128"),
        ("NonZeroUsize", "usize"),
        ("NonZeroI8", "i8"),
        ("NonZeroI16", "i16"),
        ("NonZeroI32", "i32"),
        ("NonZeroI64", "i64"),
        ("NonZeroI128", "i128"),
        ("NonZeroIsize", "isize"),
    ];
    let Some(name) = type_ident(ty) else {
        return Scalar::Other;
    };
    match name.as_str() {
        "String" => Scalar::Str,
        "bool" => Scalar::Bool,
        "f64" => Scalar::Float("f64"),
        "f32" => Scalar::Float("f32"),
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" | "u8" | "u16" | "u32" | "u64" | "u128"
        | "usize" | "NonZeroU64" => Scalar::Int,
        other => NON_ZERO
            .iter()
            .find(|(n, _)| *n == other)
            .map_or(Scalar::Other, |(_, prim)| Scalar::NonZero(prim)),
    }
}

fn not_a(name: &str, key: &str, ty: &syn::Type, what: &str) -> String {
    format!(
        "x-pagination `{key}: {name}` is a `{}` parameter, not a {what}",
        rust(ty)
    )
}

/// The builder's field for the query parameter `wire`: (field, its value type, whether
/// the parameter is required). progenitor keeps `Result<Option<T>, String>` for an
/// optional parameter, `Result<T, String>` for a required one.
fn builder_field<'f>(
    builder: &'f syn::ItemStruct,
    wire: &str,
) -> Option<(&'f syn::Ident, &'f syn::Type, bool)> {
    let name = naming::setter_name(wire);
    builder.fields.iter().find_map(|f| {
        let ident = f.ident.as_ref()?;
        if *ident != name {
            return None;
        }
        let value = generic_arg(&f.ty)?;
        Some(match option_inner(value) {
            Some(inner) => (ident, inner, false),
            None => (ident, value, true),
        })
    })
}

/// The setter of the parameter at `key` and the type it takes.
fn setter<'f>(
    builder: &'f syn::ItemStruct,
    key: &str,
    wire: &str,
) -> Result<(syn::Ident, &'f syn::Type), String> {
    let (_, ty, _) = builder_field(builder, wire).ok_or_else(|| {
        format!("x-pagination `{key}: {wire}`: progenitor wrote no builder field for it")
    })?;
    Ok((format_ident!("{}", naming::setter_name(wire)), ty))
}

/// The element type of `op`'s `stream()` items (as written in progenitor's `types`
/// module), for code that consumes the stream: the facade's `TaskSource`.
pub(crate) fn item_type(op: &OperationFacts, file: &syn::File) -> Result<syn::Type, String> {
    let pagination = op
        .pagination
        .as_ref()
        .ok_or("the operation has no pagination (its `stream()` lists the tasks)")?;
    let builder = naming::builder_name(&op.id);
    let page = crate::emit::syntax::send_types(file)
        .into_iter()
        .find(|(b, _)| *b == builder)
        .map(|(_, t)| t)
        .ok_or_else(|| format!("progenitor wrote no builder `{builder}`"))?;
    match shape(file, &page)? {
        Shape::List { item, .. } => Ok(item.clone()),
        Shape::Object(root) => {
            let path = pagination
                .get("items")
                .and_then(Value::as_str)
                .ok_or("x-pagination needs `items` (the page is an object)")?;
            take_items(file, root, path)
                .map(|(_, item)| item.clone())
                .map_err(|e| format!("x-pagination `items: {path}`: {e}"))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    /// Regen of a one-operation document whose `GET /t` declares `pagination`.
    fn regen(pagination: Value) -> Result<String, String> {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/t": {"get": {
                "operationId": "list",
                "x-pagination": pagination,
                "parameters": [
                    {"name": "pageNumber", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}},
                    {"name": "limit", "in": "query", "schema": {"type": "string"}}
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object",
                    "required": ["items"],
                    "properties": {
                        "items": {"type": "array", "items": {"type": "string"}},
                        "name": {"type": "string"},
                        "meta": {"type": "object", "properties": {"total": {"type": "integer"}, "more": {"type": "boolean"}}}
                    }
                }}}}}
            }}}
        });
        let mut prepared =
            crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, "t.yaml".into(), doc, None)?;
        let outputs = crate::emit::generate(&mut prepared)?;
        Ok(outputs
            .into_iter()
            .find(|o| o.path.ends_with("src/generated.rs"))
            .unwrap()
            .contents)
    }

    #[test]
    fn a_declared_pagination_the_types_contradict_is_a_regen_error() {
        let page = |extra: Value| {
            let mut p = json!({"style": "page", "page_param": "pageNumber", "items": "items"});
            p.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            p
        };
        let cases = [
            (
                page(json!({"items": "missing"})),
                "x-pagination `items: missing`: no field `missing`",
            ),
            (
                page(json!({"items": "name"})),
                "x-pagination `items: name`: is not an array",
            ),
            (
                page(json!({"total_items": "name"})),
                "x-pagination `total_items: name`: is `::std::string::String`, not a number",
            ),
            (
                page(json!({"has_next": "meta.total"})),
                "x-pagination `has_next: meta.total`: is `i64`, not a boolean",
            ),
            (
                page(json!({"total_pages": "name.length"})),
                "x-pagination `total_pages: name.length`: `name` is not an object",
            ),
            (
                page(json!({"first_page": 0})),
                "x-pagination `page_param: pageNumber` is `::std::num::NonZeroU64` (its schema says it is at least 1), but the first page (`first_page`) is 0",
            ),
            (
                page(json!({"limit_param": "limit"})),
                "x-pagination `limit_param: limit` is a `::std::string::String` parameter, not a number",
            ),
            (
                json!({"style": "page", "page_param": "kind", "items": "items"}),
                "x-pagination `page_param: kind` is a `types::ListKind` parameter, not a number",
            ),
            (
                json!({"style": "cursor", "cursor_param": "kind", "next_cursor": "name", "items": "items"}),
                "x-pagination `cursor_param: kind` is a `types::ListKind` parameter, not a string or number",
            ),
            (
                json!({"style": "link_header"}),
                "x-pagination needs `items` (the page is an object)",
            ),
        ];
        for (pagination, expected) in cases {
            let e = regen(pagination.clone()).unwrap_err();
            assert!(
                e.starts_with(&format!("t.yaml: {expected} at $.paths['/t'].get")),
                "{pagination}: {e}"
            );
        }
    }

    #[test]
    fn nested_fields_and_the_limit_default_reach_the_code() {
        let code = regen(json!({
            "style": "page", "page_param": "pageNumber", "items": "items",
            "total_items": "meta.total", "has_more": "meta.more", "page_size": 20
        }))
        .unwrap();
        assert!(code.contains(".and_then(|v| v.meta.as_ref())"), "{code}");
        assert!(code.contains(".and_then(tasks_sdk_core::pagination::total)"));
        assert!(code.contains("let page_size = 20u64;"));
        assert!(code.contains("(pagination: `page`, from the spec's `x-pagination`)"));
    }
}

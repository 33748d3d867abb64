//! What tasks-sdk adds to progenitor's output in `generated.rs`, from facts of the
//! normalized spec:
//!
//! - `PROVIDER`, the `tasks_sdk_core::Provider` the runtime reads: base URL, auth
//!   scheme, env vars, the quota from `info.x-rate-limit`, and per operation the
//!   `minimum`/`maximum` of numeric query parameters and the `x-error-envelope`;
//! - one `call()` per operation builder: progenitor's `send()` with the runtime's
//!   error taxonomy;
//! - one `stream()` per operation with an `x-pagination` extension: a lazy
//!   `tasks_sdk_core::Items` over every item of every page;
//! - `enums`: every named string enum as a forward-compatible `open_enum!` (with an
//!   `Unknown(String)` variant), which progenitor is told to use in place of its own.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::model::{AuthScheme, OperationFacts, Prepared};
use crate::naming;

fn option_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// The tokens appended to progenitor's output. `send_types` maps an operation id to the
/// success type of its `send()`, read from progenitor's own output.
pub fn tokens(p: &Prepared, progenitor: &syn::File) -> Result<TokenStream, String> {
    let (name, title, base_url) = (&p.provider.name, &p.provider.title, &p.base_url);
    let (key_env, base_env) = (&p.provider.api_key_env, &p.provider.base_url_env);
    let env_prefix = &p.env_prefix;
    let auth = p.auth.schemes.iter().map(|scheme| match scheme {
        AuthScheme::Bearer => quote!(tasks_sdk_core::AuthScheme::Bearer),
        AuthScheme::Header(h) => quote!(tasks_sdk_core::AuthScheme::Header(#h)),
        AuthScheme::Query(q) => quote!(tasks_sdk_core::AuthScheme::Query(#q)),
        AuthScheme::Cookie(c) => quote!(tasks_sdk_core::AuthScheme::Cookie(#c)),
        AuthScheme::Basic => quote!(tasks_sdk_core::AuthScheme::Basic),
        AuthScheme::OAuth2ClientCredentials { token_url, scopes } => quote! {
            tasks_sdk_core::AuthScheme::OAuth2ClientCredentials { token_url: #token_url, scopes: &[#(#scopes),*] }
        },
    });
    let rate_limit = match p.rate_limit {
        Some((requests, seconds)) => quote! {
            Some(tasks_sdk_core::RateLimit { requests: #requests, period: ::std::time::Duration::from_secs(#seconds) })
        },
        None => quote!(None),
    };
    let send_types = send_types(progenitor);
    let facts = &p.operations;
    let operations = facts.iter().map(|op| {
        let id = &op.id;
        let bounds = op.bounds.iter().map(|(name, min, max)| {
            let (min, max) = (option_f64(*min), option_f64(*max));
            quote!(tasks_sdk_core::ParamBounds { name: #name, minimum: #min, maximum: #max })
        });
        let envelope = match &op.envelope {
            Some((pointer, value)) => quote!(Some(tasks_sdk_core::ErrorEnvelope { pointer: #pointer, value: #value })),
            None => quote!(None),
        };
        let requires_auth = op.requires_auth;
        quote!(tasks_sdk_core::Operation { id: #id, bounds: &[#(#bounds),*], error_envelope: #envelope, requires_auth: #requires_auth })
    });
    let provider_doc =
        format!("{title}, as the runtime sees it: written by `cargo xtask regen` from the spec.");

    let mut calls = Vec::new();
    for op in facts {
        let builder_name = naming::builder_name(&op.id);
        let builder = format_ident!("{}", builder_name);
        let id = &op.id;
        let success = send_types
            .iter()
            .find(|(b, _)| *b == builder_name)
            .map(|(_, t)| t)
            .ok_or_else(|| format!("progenitor wrote no builder `{builder_name}` with a `send()` for operation {id:?}"))?;
        let doc = "Sends the request like [`send`](Self::send), and returns the decoded body or a \
                   [`tasks_sdk_core::Error`]: one error type for every provider, with the status, \
                   the request id and the typed error body.";
        let stream = match &op.pagination {
            Some(pagination) => stream_method(pagination, op, success, progenitor)
                .map_err(|e| format!("{e} at {}", op.at))?,
            None => quote!(),
        };
        calls.push(quote! {
            impl<'a> builder::#builder<'a> {
                #[doc = #doc]
                pub async fn call(self) -> ::std::result::Result<#success, tasks_sdk_core::Error> {
                    tasks_sdk_core::call(&PROVIDER, #id, self.send()).await
                }

                /// Sends the request like [`call`](Self::call), with per-call options
                /// (timeout, headers, retry policy) that apply to this call only.
                pub fn with_options(self, options: tasks_sdk_core::RequestOptions) -> tasks_sdk_core::WithOptions<'a, #success> {
                    tasks_sdk_core::WithOptions::new(&PROVIDER, #id, options, self.send())
                }

                /// Like [`call`](Self::call), with the response's status, headers, request
                /// id and the number of attempts it took.
                pub async fn call_with_response(self) -> ::std::result::Result<tasks_sdk_core::Response<#success>, tasks_sdk_core::Error> {
                    tasks_sdk_core::call_with_response(&PROVIDER, #id, self.send()).await
                }

                #stream
            }
        });
    }

    let enum_defs = p.enums.iter().map(|e| {
        let ident = format_ident!("{}", naming::type_name(&e.name));
        let doc = e
            .description
            .clone()
            .unwrap_or_else(|| format!("`{}`", e.name));
        let variants = e.variants.iter().map(|(variant, wire)| {
            let variant = format_ident!("{}", variant);
            let doc = format!("`{wire}`");
            quote!(#[doc = #doc] #variant = #wire,)
        });
        quote! {
            tasks_sdk_core::open_enum! {
                #[doc = #doc]
                #[non_exhaustive]
                pub enum #ident { #(#variants)* }
            }
        }
    });

    Ok(quote! {
        #[doc = #provider_doc]
        pub const PROVIDER: tasks_sdk_core::Provider = tasks_sdk_core::Provider {
            name: #name,
            title: #title,
            default_base_url: #base_url,
            api_key_env: #key_env,
            base_url_env: #base_env,
            env_prefix: #env_prefix,
            auth: &[#(#auth),*],
            rate_limit: #rate_limit,
            operations: &[#(#operations),*],
        };

        #(#calls)*

        /// String enums of the spec, forward-compatible: a value the spec does not list
        /// decodes as `Unknown(String)`. Re-exported in [`types`](crate::types).
        pub mod enums {
            #(#enum_defs)*
        }
    })
}

/// `send()`'s success type per builder (named after its operation), from progenitor's
/// `builder` module.
pub fn send_types(file: &syn::File) -> Vec<(String, syn::Type)> {
    let mut out = Vec::new();
    for item in &file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "builder" {
            continue;
        }
        for item in module.content.iter().flat_map(|(_, items)| items) {
            let syn::Item::Impl(imp) = item else { continue };
            let syn::Type::Path(self_ty) = &*imp.self_ty else {
                continue;
            };
            let Some(builder) = self_ty.path.segments.last() else {
                continue;
            };
            for item in &imp.items {
                let syn::ImplItem::Fn(f) = item else { continue };
                if f.sig.ident != "send" {
                    continue;
                }
                if let Some(ty) = ok_inner_type(&f.sig.output) {
                    out.push((builder.ident.to_string(), ty));
                }
            }
        }
    }
    out
}

/// The item type of an operation's `stream()`: the element type of the page field that
/// `x-pagination.items` names, as written in progenitor's `types` module.
pub(crate) fn stream_item_type(op: &OperationFacts, file: &syn::File) -> Result<syn::Type, String> {
    let pagination = op
        .pagination
        .as_ref()
        .ok_or("the operation has no `x-pagination` (its `stream()` lists the tasks)")?;
    let items_name = pagination
        .get("items")
        .and_then(Value::as_str)
        .ok_or("x-pagination needs `items`")?;
    let builder_name = naming::builder_name(&op.id);
    let page = send_types(file)
        .into_iter()
        .find(|(b, _)| *b == builder_name)
        .map(|(_, t)| t)
        .ok_or_else(|| format!("progenitor wrote no builder `{builder_name}`"))?;
    let page_struct = type_ident(&page)
        .and_then(|name| find_struct(file, &name))
        .ok_or("the page type is not a struct")?;
    let (_, items_ty) = field(page_struct, items_name)
        .ok_or_else(|| format!("x-pagination `items: {items_name}` is not a field of the page"))?;
    generic_arg(option_inner(items_ty).unwrap_or(items_ty))
        .cloned()
        .ok_or_else(|| format!("x-pagination `items: {items_name}` is not an array"))
}

/// `stream()` for one operation, from its `x-pagination` and the page type progenitor
/// generated (`page`, e.g. `types::TaskPage`).
fn stream_method(
    pagination: &Value,
    op: &OperationFacts,
    page: &syn::Type,
    file: &syn::File,
) -> Result<TokenStream, String> {
    let get = |key: &str| pagination.get(key).and_then(Value::as_str);
    let require = |key: &str| get(key).ok_or_else(|| format!("x-pagination needs `{key}`"));
    let page_struct = type_ident(page)
        .and_then(|name| find_struct(file, &name))
        .ok_or("the page type is not a struct")?;

    let items_name = require("items")?;
    let (items_ident, items_ty) = field(page_struct, items_name)
        .ok_or_else(|| format!("x-pagination `items: {items_name}` is not a field of the page"))?;
    let (items_expr, vec_ty) = match option_inner(items_ty) {
        Some(inner) => (quote!(page.#items_ident.unwrap_or_default()), inner),
        None => (quote!(page.#items_ident), items_ty),
    };
    let item_ty = generic_arg(vec_ty)
        .ok_or_else(|| format!("x-pagination `items: {items_name}` is not an array"))?;
    let item_ty = qualify(item_ty);

    let optional_access = |key: &str| -> Result<TokenStream, String> {
        match get(key) {
            None => Ok(quote!(None)),
            Some(path) => access(file, page_struct, path)
                .map_err(|e| format!("x-pagination `{key}: {path}`: {e}")),
        }
    };
    let style = require("style")?;
    let doc = format!(
        "Every item of every page, as a lazy stream: the next page is fetched only when this \
         one's items are used up (pagination: `{style}`, from the spec's `x-pagination`). \
         Bound it with `max_items`/`max_pages`; errors (after retries) end it."
    );
    let body = match style {
        "cursor" => {
            let cursor_param = require("cursor_param")?;
            let setter = format_ident!("{}", naming::setter_name(cursor_param));
            let next_cursor = optional_access("next_cursor")?;
            let more = optional_access("has_more")?;
            // The token travels as text; a numeric cursor parameter gets it parsed back.
            let numeric = op
                .query_types
                .iter()
                .any(|(name, ty)| name == cursor_param && (ty == "integer" || ty == "number"));
            let set = if numeric {
                let parse_type = if op
                    .query_types
                    .iter()
                    .any(|(n, t)| n == cursor_param && t == "number")
                {
                    quote!(f64)
                } else {
                    quote!(i64)
                };
                quote! {
                    match cursor.parse::<#parse_type>() {
                        Ok(cursor) => Ok(self.clone().#setter(cursor)),
                        Err(_) => Err(cursor),
                    }
                }
            } else {
                quote!(Ok::<_, ::std::string::String>(self.clone().#setter(cursor)))
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
                        let page = request.call().await?;
                        let next_cursor = #next_cursor.map(|cursor| cursor.to_string());
                        let more = #more;
                        Ok(tasks_sdk_core::Page::new(#items_expr).next_cursor(next_cursor).more(more))
                    }
                })
            }
        }
        "page" | "offset" => {
            let param = if style == "page" {
                "page_param"
            } else {
                "offset_param"
            };
            let setter = format_ident!("{}", naming::setter_name(require(param)?));
            let more = optional_access("has_next").and_then(|next| match get("has_next") {
                Some(_) => Ok(next),
                None => optional_access("has_more"),
            })?;
            let total = |key: &str| -> Result<TokenStream, String> {
                let access = optional_access(key)?;
                Ok(match get(key) {
                    Some(_) => quote!(#access.and_then(tasks_sdk_core::pagination::total)),
                    None => quote!(None),
                })
            };
            let (total_items, total_pages) = (total("total_items")?, total("total_pages")?);
            let constructor = if style == "page" {
                let first = pagination
                    .get("first_page")
                    .and_then(Value::as_u64)
                    .unwrap_or(1);
                quote!(tasks_sdk_core::Items::pages_from(#first, move |number: u64| {
                    let request = self.clone().#setter(number);
                    async move {
                        let page = request.call().await?;
                        let (more, total_items, total_pages) = (#more, #total_items, #total_pages);
                        Ok(tasks_sdk_core::Page::new(#items_expr)
                            .more(more)
                            .total_items(total_items)
                            .total_pages(total_pages))
                    }
                }))
            } else {
                quote!(tasks_sdk_core::Items::offset(move |offset: u64| {
                    let request = self.clone().#setter(offset);
                    async move {
                        let page = request.call().await?;
                        let (more, total_items) = (#more, #total_items);
                        Ok(tasks_sdk_core::Page::new(#items_expr).more(more).total_items(total_items))
                    }
                }))
            };
            match pagination.get("page_size").and_then(Value::as_u64) {
                Some(size) => quote!(#constructor.page_size(#size)),
                None => constructor,
            }
        }
        "none" => quote! {
            tasks_sdk_core::Items::single(async move {
                let page = self.call().await?;
                Ok(tasks_sdk_core::Page::new(#items_expr))
            })
        },
        other => {
            return Err(format!(
                "unknown x-pagination style {other:?} (cursor, page, offset or none)"
            ));
        }
    };
    Ok(quote! {
        #[doc = #doc]
        pub fn stream(self) -> tasks_sdk_core::Items<'a, #item_ty> {
            #body
        }
    })
}

/// `Some(&page)` followed along `a.b.c`, each optional step with `and_then`, cloned at
/// the end: an `Option<T>` of the last field.
fn access(file: &syn::File, root: &syn::ItemStruct, path: &str) -> Result<TokenStream, String> {
    let mut expr = quote!(Some(&page));
    let mut current = root;
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let (ident, ty) = field(current, segment).ok_or_else(|| format!("no field `{segment}`"))?;
        let inner = option_inner(ty);
        expr = match inner {
            Some(_) => quote!(#expr.and_then(|v| v.#ident.as_ref())),
            None => quote!(#expr.map(|v| &v.#ident)),
        };
        if i + 1 < segments.len() {
            let next = inner.unwrap_or(ty);
            current = type_ident(next)
                .and_then(|name| find_struct(file, &name))
                .ok_or_else(|| format!("`{segment}` is not an object"))?;
        }
    }
    Ok(quote!(#expr.cloned()))
}

/// The struct `name` of progenitor's `types` module.
pub(crate) fn find_struct<'f>(file: &'f syn::File, name: &str) -> Option<&'f syn::ItemStruct> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => {
            m.content.as_ref()?.1.iter().find_map(|item| match item {
                syn::Item::Struct(s) if s.ident == name => Some(s),
                _ => None,
            })
        }
        _ => None,
    })
}

/// The field whose JSON name is `json_name` (`#[serde(rename)]`, else the field's name).
pub(crate) fn field<'s>(
    item: &'s syn::ItemStruct,
    json_name: &str,
) -> Option<(&'s syn::Ident, &'s syn::Type)> {
    item.fields.iter().find_map(|f| {
        let ident = f.ident.as_ref()?;
        let mut name = ident.to_string();
        for attr in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    name = meta.value()?.parse::<syn::LitStr>()?.value();
                } else if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                }
                Ok(())
            });
        }
        (name == json_name).then_some((ident, &f.ty))
    })
}

/// The last path segment's name: `types::TaskPage` → `TaskPage`.
pub(crate) fn type_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => Some(p.path.segments.last()?.ident.to_string()),
        _ => None,
    }
}

/// The first generic argument: `Vec<T>` → `T`.
pub(crate) fn generic_arg(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// `Option<T>` → `T`.
pub(crate) fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    (type_ident(ty)? == "Option")
        .then(|| generic_arg(ty))
        .flatten()
}

/// A type named inside progenitor's `types` module, as seen from outside it.
fn qualify(ty: &syn::Type) -> TokenStream {
    match ty {
        syn::Type::Path(p)
            if p.qself.is_none()
                && p.path.leading_colon.is_none()
                && p.path.segments.len() == 1 =>
        {
            let name = &p.path.segments[0].ident;
            const PRIMITIVES: &[&str] = &[
                "bool", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64",
            ];
            if PRIMITIVES.contains(&name.to_string().as_str()) {
                quote!(#ty)
            } else {
                quote!(types::#ty)
            }
        }
        _ => quote!(#ty),
    }
}

/// `Result<ResponseValue<T>, _>` → `T`.
fn ok_inner_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let first_arg = |ty: &syn::Type| -> Option<syn::Type> {
        let syn::Type::Path(p) = ty else { return None };
        let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
            return None;
        };
        args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        })
    };
    first_arg(&first_arg(ty)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_types_are_read_from_progenitor_output() {
        let file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListTasks<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::TaskPage>, Error<types::ErrorBody>> { todo!() }
                }
            }
        };
        let types = send_types(&file);
        assert_eq!(types.len(), 1);
        assert_eq!(types[0].0, "ListTasks");
        let ty = &types[0].1;
        assert_eq!(quote!(#ty).to_string(), "types :: TaskPage");
    }
}

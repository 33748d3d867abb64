//! Tidies the `send()` of every operation builder progenitor writes.
//!
//! progenitor puts an `api-version` header (the spec's `info.version`) on every request,
//! a convention of Azure's APIs that no provider here asks for: it costs a header map
//! allocation per call, and a provider could read it as a version it does not serve.
//! The generator removes it at the source, so the runtime has nothing to strip.
//!
//! progenitor also adds every query parameter with `.query(&QueryParam::new(name,
//! &value))`, which parses and rewrites the URL's query even when an optional value is
//! absent (most of them, in most calls). Optional ones go through
//! `tasks_sdk_core`'s `OptionalQuery::optional_query` instead: the same encoding when
//! present, nothing at all when absent.

use std::collections::{HashMap, HashSet};

use quote::ToTokens;

use crate::emit::syntax;

/// The items of progenitor's `builder` module, if the file has one.
pub fn builder_items(file: &mut syn::File) -> Option<&mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Every builder's `send()` among `items`, with the builder's name.
pub fn send_fns(items: &mut [syn::Item]) -> impl Iterator<Item = (String, &mut syn::ImplItemFn)> {
    items
        .iter_mut()
        .filter_map(|item| match item {
            syn::Item::Impl(block) => Some((syntax::type_ident(&block.self_ty)?, &mut block.items)),
            _ => None,
        })
        .flat_map(|(builder, members)| {
            members.iter_mut().filter_map(move |member| match member {
                syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some((builder.clone(), f)),
                _ => None,
            })
        })
}

/// Removes the `api-version` header from every builder's `send()` in progenitor's
/// `builder` module, and the capacity progenitor reserved for it.
pub fn drop_api_version_header(file: &mut syn::File) {
    let Some(items) = builder_items(file) else {
        return;
    };
    for (_, f) in send_fns(items) {
        drop_from(&mut f.block);
    }
}

/// Rewrites progenitor's `.query(&progenitor_client::QueryParam::new("name", &name))`
/// into `.optional_query("name", &name)` in every builder's `send()` where the
/// builder's field `name` is a `Result<Option<_>, String>` (an optional parameter), and
/// brings the trait into the `builder` module's scope.
pub fn optional_query_params(file: &mut syn::File) {
    let Some(items) = builder_items(file) else {
        return;
    };
    let optional = optional_fields(items);
    let mut rewritten = false;
    for (builder, f) in send_fns(items) {
        let Some(fields) = optional.get(&builder) else {
            continue;
        };
        for_each_chained_call(f, |call| {
            if call.method == "query"
                && call.args.len() == 1
                && let Some((name, value)) = query_param(&call.args[0])
                && fields.contains(&value.to_string())
            {
                call.method = syn::Ident::new("optional_query", call.method.span());
                call.args = syn::parse_quote!(#name, &#value);
                rewritten = true;
            }
        });
    }
    if rewritten {
        items.insert(
            0,
            syn::parse_quote!(
                #[allow(unused_imports)]
                use tasks_sdk_core::__private::OptionalQuery as _;
            ),
        );
    }
}

/// progenitor calls the HTTP method as a method of `reqwest::Client`
/// (`client.client.options(url)`), which has `get`, `post`, `put`, `patch`, `delete` and
/// `head` only: an `OPTIONS` or `TRACE` operation became code that does not compile
/// (box.com). Those become `client.client.request(::reqwest::Method::OPTIONS, url)`.
pub fn methods_reqwest_lacks(file: &mut syn::File) {
    let Some(items) = builder_items(file) else {
        return;
    };
    for (_, f) in send_fns(items) {
        for_each_chained_call(f, |call| {
            let method = call.method.to_string();
            if matches!(method.as_str(), "options" | "trace")
                && call.args.len() == 1
                && matches!(&*call.receiver, syn::Expr::Field(field)
                    if matches!(&field.member, syn::Member::Named(n) if n == "client"))
            {
                let verb = syn::Ident::new(&method.to_uppercase(), call.method.span());
                let url = call.args[0].clone();
                call.method = syn::Ident::new("request", call.method.span());
                call.args = syn::parse_quote!(::reqwest::Method::#verb, #url);
            }
        });
    }
}

/// Every method call of the chains `send()` builds its `let`s from (`client.get(url)
/// .query(..).build()?`), outermost first, through `?`.
fn for_each_chained_call(f: &mut syn::ImplItemFn, mut visit: impl FnMut(&mut syn::ExprMethodCall)) {
    for stmt in &mut f.block.stmts {
        let syn::Stmt::Local(local) = stmt else {
            continue;
        };
        let Some(init) = &mut local.init else {
            continue;
        };
        let mut expr = &mut *init.expr;
        loop {
            match expr {
                syn::Expr::Try(t) => expr = &mut t.expr,
                syn::Expr::MethodCall(call) => {
                    visit(call);
                    expr = &mut call.receiver;
                }
                _ => break,
            }
        }
    }
}

/// For each builder struct, its fields of type `Result<Option<_>, String>`.
fn optional_fields(items: &[syn::Item]) -> HashMap<String, HashSet<String>> {
    let mut out = HashMap::new();
    for item in items {
        let syn::Item::Struct(s) = item else {
            continue;
        };
        let fields = s
            .fields
            .iter()
            .filter(|f| {
                let ty = f.ty.to_token_stream().to_string();
                ty.starts_with("Result < Option <")
            })
            .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
            .collect();
        out.insert(s.ident.to_string(), fields);
    }
    out
}

/// `&progenitor_client::QueryParam::new("name", &value)`: the name and the value's
/// identifier.
fn query_param(arg: &syn::Expr) -> Option<(syn::LitStr, syn::Ident)> {
    let syn::Expr::Reference(reference) = arg else {
        return None;
    };
    let syn::Expr::Call(call) = &*reference.expr else {
        return None;
    };
    if call.func.to_token_stream().to_string() != "progenitor_client :: QueryParam :: new"
        || call.args.len() != 2
    {
        return None;
    }
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(name),
        ..
    }) = &call.args[0]
    else {
        return None;
    };
    let syn::Expr::Reference(value) = &call.args[1] else {
        return None;
    };
    let syn::Expr::Path(path) = &*value.expr else {
        return None;
    };
    Some((name.clone(), path.path.get_ident()?.clone()))
}

fn drop_from(block: &mut syn::Block) {
    let before = block.stmts.len();
    block.stmts.retain(|stmt| !is_api_version_append(stmt));
    let removed = before - block.stmts.len();
    if removed == 0 {
        return;
    }
    let still_appended = block.stmts.iter().any(|stmt| {
        stmt.to_token_stream()
            .to_string()
            .contains("header_map . append")
    });
    for stmt in &mut block.stmts {
        if let syn::Stmt::Local(local) = stmt
            && let Some(init) = &mut local.init
            && let syn::Expr::Call(call) = &mut *init.expr
            && call.func.to_token_stream().to_string()
                == ":: reqwest :: header :: HeaderMap :: with_capacity"
            && let Some(syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(capacity),
                ..
            })) = call.args.first_mut()
            && let Ok(n) = capacity.base10_parse::<usize>()
        {
            let left = n.saturating_sub(removed);
            *capacity = syn::LitInt::new(&format!("{left}usize"), capacity.span());
            // Nothing else goes into the map: it need not be `mut` (rustc would warn).
            if !still_appended && let syn::Pat::Ident(binding) = &mut local.pat {
                binding.mutability = None;
            }
        }
    }
}

/// `header_map.append(HeaderName::from_static("api-version"), ...);`
fn is_api_version_append(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    call.method == "append"
        && call.args.first().is_some_and(|name| {
            name.to_token_stream()
                .to_string()
                .contains("from_static (\"api-version\")")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_and_trace_are_sent_with_request() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> Preflight<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let mut request = client.client.options(url).header(A, B).build()?;
                        Ok(())
                    }
                }
                impl<'a> Echo<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let mut request = client.client.trace(url).build()?;
                        let other = client.client.get(url).build()?;
                        Ok(())
                    }
                }
            }
        };
        methods_reqwest_lacks(&mut file);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains(".request(::reqwest::Method::OPTIONS, url)"),
            "{code}"
        );
        assert!(
            code.contains(".request(::reqwest::Method::TRACE, url)"),
            "{code}"
        );
        assert!(code.contains("client.client.get(url)"), "{code}");
        assert!(!code.contains(".options("), "{code}");
    }

    #[test]
    fn optional_query_parameters_use_optional_query_and_required_ones_stay() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub struct ListTasks<'a> {
                    client: &'a super::Client,
                    cursor: Result<Option<::std::string::String>, String>,
                    project: Result<::std::string::String, String>,
                }
                impl<'a> ListTasks<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let Self { client, cursor, project } = self;
                        let request = client
                            .client
                            .get(url)
                            .query(&progenitor_client::QueryParam::new("cursor", &cursor))
                            .query(&progenitor_client::QueryParam::new("project", &project))
                            .build()?;
                        Ok(())
                    }
                }
            }
        };
        optional_query_params(&mut file);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains(".optional_query(\"cursor\", &cursor)"),
            "{code}"
        );
        assert!(
            code.contains(".query(&progenitor_client::QueryParam::new(\"project\", &project))"),
            "a required parameter keeps progenitor's call: {code}"
        );
        assert!(
            code.contains("use tasks_sdk_core::__private::OptionalQuery as _;"),
            "{code}"
        );
    }

    #[test]
    fn the_api_version_header_and_its_capacity_are_removed() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListTasks<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        header_map.append("x-tenant", value);
                        Ok(())
                    }
                    pub fn limit(self) -> Self {
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            x,
                        );
                        self
                    }
                }
            }
        };
        drop_api_version_header(&mut file);
        let code = prettyplease::unparse(&file);
        assert!(code.contains("HeaderMap::with_capacity(1usize)"), "{code}");
        assert!(
            code.contains("header_map.append(\"x-tenant\", value)"),
            "{code}"
        );
        let send = &code[..code.find("pub fn limit").unwrap()];
        assert!(!send.contains("api-version"), "{code}");
        assert!(
            code[code.find("pub fn limit").unwrap()..].contains("api-version"),
            "only send() is tidied: {code}"
        );
        assert!(
            code.contains("let mut header_map"),
            "still appended to: {code}"
        );
    }

    #[test]
    fn a_map_left_empty_is_not_mut() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListTasks<'a> {
                    pub async fn send(self) -> Result<(), ()> {
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        header_map.append(
                            ::reqwest::header::HeaderName::from_static("api-version"),
                            ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
                        );
                        let request = client.get(url).headers(header_map).build()?;
                        Ok(())
                    }
                }
            }
        };
        drop_api_version_header(&mut file);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("let header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);"),
            "{code}"
        );
        assert!(!code.contains("api-version"), "{code}");
    }
}

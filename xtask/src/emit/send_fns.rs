//! Tidies the `send()` of every operation builder progenitor writes.
//!
//! progenitor puts an `api-version` header (the spec's `info.version`) on every request,
//! a convention of Azure's APIs that no provider here asks for: it costs a header map
//! allocation per call, and a provider could read it as a version it does not serve.
//! The generator removes it at the source, so the runtime has nothing to strip.
//!
//! progenitor calls `reqwest::Client::options` and `trace`, which do not exist:
//! [`methods_reqwest_lacks`]. How parameters are serialized is
//! [`crate::emit::params`]'s, which finds the `send()`s through [`builder_items`] and
//! [`send_fns`].

use std::collections::HashMap;

use quote::{ToTokens, quote};

use crate::document::naming;
use crate::emit::syntax;
use crate::model::OperationFacts;

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

/// progenitor takes only 2xx (and `101`) as success: an operation whose document lists
/// no success but 3xx statuses ([`OperationFacts::redirects`]: httpbin's
/// `/redirect-to`, an OAuth authorization endpoint) answered its documented redirect
/// (one the client does not follow: cross-origin, or without a `Location`) with
/// `UnexpectedResponse`, which the runtime made an API error. The arm progenitor conses
/// up for such an operation, `200..=299 => Ok(ResponseValue::stream(response))`, takes
/// those statuses too, so the caller gets the response (status, `Location`) as the
/// answer.
pub fn redirects_are_answers(file: &mut syn::File, operations: &[OperationFacts]) {
    let by_builder: HashMap<String, &[(u16, u16)]> = operations
        .iter()
        .filter(|op| !op.redirects.is_empty())
        .map(|op| (naming::builder_name(&op.id), op.redirects.as_slice()))
        .collect();
    if by_builder.is_empty() {
        return;
    }
    let Some(items) = builder_items(file) else {
        return;
    };
    for (builder, f) in send_fns(items) {
        let Some(redirects) = by_builder.get(&builder) else {
            continue;
        };
        for stmt in &mut f.block.stmts {
            let syn::Stmt::Expr(syn::Expr::Match(m), _) = stmt else {
                continue;
            };
            for arm in &mut m.arms {
                if arm.pat.to_token_stream().to_string() != "200 ..= 299" {
                    continue;
                }
                let extra = redirects.iter().map(|&(from, to)| {
                    let (from, to) = (
                        proc_macro2::Literal::u16_unsuffixed(from),
                        proc_macro2::Literal::u16_unsuffixed(to),
                    );
                    if from.to_string() == to.to_string() {
                        quote!(#from)
                    } else {
                        quote!(#from..=#to)
                    }
                });
                let pat = &arm.pat;
                arm.pat = syn::parse_quote!(#pat #(| #extra)*);
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

    #[test]
    fn documented_redirects_of_an_operation_without_a_success_are_answers() {
        let send = |name: &str| -> syn::Item {
            let builder = syn::Ident::new(name, proc_macro2::Span::call_site());
            syn::parse_quote! {
                impl<'a> #builder<'a> {
                    pub async fn send(self) -> Result<ResponseValue<ByteStream>, Error<()>> {
                        let response = result?;
                        match response.status().as_u16() {
                            200..=299 => Ok(ResponseValue::stream(response)),
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }
        };
        let (a, b) = (send("RedirectTo"), send("Authorize"));
        let mut file: syn::File = syn::parse_quote!(pub mod builder { #a #b });
        let facts = |id: &str, redirects: Vec<(u16, u16)>| OperationFacts {
            id: id.into(),
            at: String::new(),
            pagination: None,
            pagination_detected: false,
            bounds: Vec::new(),
            envelope: None,
            requires_auth: false,
            typed_error: false,
            media: Default::default(),
            security: None,
            params: Vec::new(),
            redirects,
            group: String::new(),
        };
        redirects_are_answers(
            &mut file,
            &[
                facts("redirect_to", vec![(302, 302), (307, 307)]),
                facts("authorize", vec![(300, 399)]),
            ],
        );
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("200..=299 | 302 | 307 => Ok(ResponseValue::stream(response))"),
            "{code}"
        );
        assert!(
            code.contains("200..=299 | 300..=399 => Ok(ResponseValue::stream(response))"),
            "{code}"
        );
    }
}

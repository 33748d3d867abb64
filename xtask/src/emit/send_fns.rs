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
    syntax::module_mut(&mut file.items, "builder")
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

/// progenitor writes its three hooks out in every `send()`:
///
/// ```text
/// let info = OperationInfo { operation_id: "list_tasks" };
/// client.pre(&mut request, &info).await?;
/// let result = client.exec(request, &info).await;
/// client.post(&result, &info).await?;
/// let response = result?;
/// ```
///
/// They become one await of `tasks_sdk_core::exchange`, which does the same once for
/// every operation: `let response = exchange::<_, E>(client, request,
/// "list_tasks").await?;` (`E`, the error body type of `send()`'s `Error<E>`; the
/// `builder` module imports `exchange`).
pub fn one_exchange(file: &mut syn::File) {
    let Some(items) = builder_items(file) else {
        return;
    };
    let mut rewritten = false;
    for (_, f) in send_fns(items) {
        let Some(error) = error_type(&f.sig) else {
            continue;
        };
        let stmts = &mut f.block.stmts;
        let Some(at) = (0..stmts.len())
            .find(|i| stmts.len() >= i + 5 && hooks_at(&stmts[*i..*i + 5]).is_some())
        else {
            continue;
        };
        let Some((id, client, request, response)) = hooks_at(&stmts[at..at + 5]) else {
            continue;
        };
        let call: syn::Stmt = syn::parse_quote!(
            let #response = exchange::<_, #error>(#client, #request, #id).await?;
        );
        stmts.splice(at..at + 5, [call]);
        rewritten = true;
    }
    if rewritten {
        // Named once: the call then fits on one line.
        items.insert(
            0,
            syn::parse_quote!(
                #[allow(unused_imports)]
                use tasks_sdk_core::exchange;
            ),
        );
    }
}

/// `E` of a `send()` returning `Result<ResponseValue<T>, Error<E>>`.
fn error_type(sig: &syn::Signature) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = &sig.output else {
        return None;
    };
    let syn::Type::Path(result) = &**ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &result.path.segments.last()?.arguments else {
        return None;
    };
    let error = args.args.iter().filter_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    syntax::generic_arg(error.clone().nth(1)?).cloned()
}

/// The operation id, the client, the request and the response's pattern of progenitor's
/// five hook statements, if `stmts` are they.
fn hooks_at(stmts: &[syn::Stmt]) -> Option<(syn::Expr, syn::Expr, syn::Ident, syn::Pat)> {
    let text = |s: &syn::Stmt| s.to_token_stream().to_string();
    let [info, pre, exec, post, unwrap] = stmts else {
        return None;
    };
    let syn::Stmt::Local(info) = info else {
        return None;
    };
    let syn::Expr::Struct(fields) = &*info.init.as_ref()?.expr else {
        return None;
    };
    if !fields.path.is_ident("OperationInfo") || fields.fields.len() != 1 {
        return None;
    }
    let id = fields.fields.first()?.expr.clone();
    // `client.pre(&mut request, &info).await?;`
    let syn::Stmt::Expr(syn::Expr::Try(pre_try), _) = pre else {
        return None;
    };
    let syn::Expr::Await(pre_await) = &*pre_try.expr else {
        return None;
    };
    let syn::Expr::MethodCall(pre_call) = &*pre_await.base else {
        return None;
    };
    let syn::Expr::Reference(request) = pre_call.args.first()? else {
        return None;
    };
    let syn::Expr::Path(request) = &*request.expr else {
        return None;
    };
    let request = request.path.get_ident()?.clone();
    let client = (*pre_call.receiver).clone();
    let expected: [syn::Stmt; 3] = [
        syn::parse_quote!(#client.pre(&mut #request, &info).await?;),
        syn::parse_quote!(let result = #client.exec(#request, &info).await;),
        syn::parse_quote!(#client.post(&result, &info).await?;),
    ];
    if pre_call.method != "pre"
        || text(pre) != text(&expected[0])
        || text(exec) != text(&expected[1])
        || text(post) != text(&expected[2])
    {
        return None;
    }
    let syn::Stmt::Local(unwrap) = unwrap else {
        return None;
    };
    let result: syn::Expr = syn::parse_quote!(result?);
    if unwrap.init.as_ref()?.expr.to_token_stream().to_string()
        != result.to_token_stream().to_string()
    {
        return None;
    }
    Some((id, client, request, unwrap.pat.clone()))
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
    fn the_three_hooks_become_one_exchange() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> GetTask<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::Task>, Error<types::Problem>> {
                        let Self { client, id } = self;
                        #[allow(unused_mut)]
                        let mut request = client.client.get(url).build()?;
                        let info = OperationInfo { operation_id: "get_task" };
                        client.pre(&mut request, &info).await?;
                        let result = client.exec(request, &info).await;
                        client.post(&result, &info).await?;
                        let response = result?;
                        match response.status().as_u16() {
                            200u16 => ResponseValue::from_response(response).await,
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
                impl<'a> Other<'a> {
                    pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                        let info = OperationInfo { operation_id: "other" };
                        client.pre(&mut request, &info).await?;
                        log(&info);
                        Ok(())
                    }
                }
            }
        };
        one_exchange(&mut file);
        let code: String = quote!(#file).to_string().split_whitespace().collect();
        assert!(
            code.contains(
                r#"letmutrequest=client.client.get(url).build()?;letresponse=exchange::<_,types::Problem>(client,request,"get_task").await?;matchresponse"#
            ),
            "{code}"
        );
        // Statements that are not the five hooks stay as they are.
        assert!(code.contains("log(&info)"), "{code}");
        assert_eq!(code.matches(".pre(").count(), 1, "{code}");
    }

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

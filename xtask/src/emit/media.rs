//! Bodies and `Accept` as the document's media types say, in every builder's `send()`.
//!
//! progenitor knows `application/json` only: it sends `Accept: application/json` and a
//! JSON body as `application/json`, and a form body through serde_urlencoded, which
//! refuses arrays and objects. Where the model says otherwise
//! ([`crate::model::media::MediaFacts`]):
//!
//! - `Accept` lists the JSON media types the operation's responses declare
//!   (`application/scim+json`): a server that answers 406 to `application/json` accepts
//!   the request;
//! - a JSON body goes out with its own `Content-Type` (`application/merge-patch+json`),
//!   set before `.json(..)`, which then keeps it; a byte body with the one media type
//!   the document names for it (`image/png`), not `application/octet-stream`;
//! - every form body goes through `tasks_sdk_core::params::form_body` with the
//!   operation's `encoding` (arrays exploded, objects as `deepObject` keys, or as JSON
//!   where the encoding says `application/json`);
//! - a `multipart/form-data` body (typed, progenitor's `.json(&body)`) goes through
//!   `tasks_sdk_core::multipart::encode(&body)?.apply(..)`, which sets the parts, the
//!   `Content-Type` and its boundary; `encode_with(&body, &[(property, content type)])`
//!   when the document's `encoding` gives properties a `contentType`;
//! - a success that progenitor returns as bytes and the document as events, a file or
//!   text gets an `Accept` (progenitor sends none); a text body is read as a `String`;
//! - an operation whose response is JSON or events gets a second `send_events()`,
//!   `send()` with `Accept: text/event-stream` whose success is the bytes.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::document::naming;
use crate::emit::send_fns::{builder_items, send_fns};
use crate::model::OperationFacts;
use crate::model::media::{MediaFacts, Success};

/// Rewrites the `send()` of every builder whose operation asks for it.
pub fn rewrite(file: &mut syn::File, operations: &[OperationFacts]) {
    let by_builder: HashMap<String, &MediaFacts> = operations
        .iter()
        .map(|op| (naming::builder_name(&op.id), &op.media))
        .collect();
    let Some(items) = builder_items(file) else {
        return;
    };
    for (builder, f) in send_fns(items) {
        let Some(media) = by_builder.get(&builder) else {
            continue;
        };
        // progenitor sends no `Accept` for a success it returns as bytes.
        let add = media.success != Success::Decoded;
        rewrite_requests(f, media, media.accept.as_deref(), add);
        if media.success == Success::Text {
            text_response(f);
        }
    }
    // `send_events()` beside `send()`, from the rewritten `send()`.
    for item in items.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(builder) = crate::emit::syntax::type_ident(&block.self_ty) else {
            continue;
        };
        let Some(media) = by_builder.get(&builder) else {
            continue;
        };
        if !media.events.as_ref().is_some_and(|e| e.beside_json) {
            continue;
        }
        let send = block.items.iter().find_map(|member| match member {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f.clone()),
            _ => None,
        });
        if let Some(send) = send {
            block
                .items
                .push(syn::ImplItem::Fn(send_events(send, media)));
        }
    }
}

/// The request-building statements of a `send()` rewritten as `media` says, `accept`
/// its `Accept`.
fn rewrite_requests(f: &mut syn::ImplItemFn, media: &MediaFacts, accept: Option<&str>, add: bool) {
    for stmt in &mut f.block.stmts {
        let syn::Stmt::Local(local) = stmt else {
            continue;
        };
        if let Some(init) = &mut local.init {
            rewrite_chain(&mut init.expr, media, accept, add);
        }
    }
}

/// `send()` as `send_events()`: `Accept: text/event-stream` (and the JSON types of the
/// other responses), and its success the bytes (`ResponseValue::stream`).
fn send_events(mut f: syn::ImplItemFn, media: &MediaFacts) -> syn::ImplItemFn {
    f.sig.ident = syn::Ident::new("send_events", f.sig.ident.span());
    let mut accept = vec!["text/event-stream".to_owned()];
    for media_type in media
        .accept
        .as_deref()
        .unwrap_or("application/json")
        .split(", ")
    {
        if !accept.iter().any(|a| a == media_type) {
            accept.push(media_type.to_owned());
        }
    }
    let accept = accept.join(", ");
    for stmt in &mut f.block.stmts {
        let syn::Stmt::Local(local) = stmt else {
            continue;
        };
        if let Some(init) = &mut local.init {
            // `send()` was rewritten: only `Accept` changes, added if `send()` has none.
            replace_accept(&mut init.expr, &accept);
            add_accept(&mut init.expr, &accept);
        }
    }
    set_success_type(&mut f.sig, syn::parse_quote!(ByteStream));
    map_success_arms(&mut f.block, |_| {
        syn::parse_quote!(Ok(ResponseValue::stream(response)))
    });
    f.attrs.retain(|a| !a.path().is_ident("doc"));
    f.attrs.push(syn::parse_quote!(
        #[doc = "`send()` asking for the response's event stream: its bytes."]
    ));
    f
}

/// `.header(ACCEPT, accept)` added to a request chain that has none.
fn add_accept(expr: &mut syn::Expr, accept: &str) {
    let media = MediaFacts::default();
    rewrite_chain(expr, &media, Some(accept), true);
}

/// Every `.header(ACCEPT, ..)` of a request chain set to `accept`.
fn replace_accept(expr: &mut syn::Expr, accept: &str) {
    let mut expr = expr;
    loop {
        match expr {
            syn::Expr::Try(t) => expr = &mut t.expr,
            syn::Expr::MethodCall(call) => {
                if call.method == "header" && is_accept(call) {
                    call.args[1] = syn::parse_quote!(
                        ::reqwest::header::HeaderValue::from_static(#accept)
                    );
                }
                expr = &mut call.receiver;
            }
            _ => return,
        }
    }
}

/// A text success read as a `String`: `send()`'s success type, and each success arm's
/// `Ok(ResponseValue::stream(response))` reading the body as text.
fn text_response(f: &mut syn::ImplItemFn) {
    set_success_type(&mut f.sig, syn::parse_quote!(::std::string::String));
    map_success_arms(&mut f.block, |_| {
        syn::parse_quote!({
            let status = response.status();
            let headers = response.headers().clone();
            let text = response.text().await.map_err(Error::ResponseBodyError)?;
            Ok(ResponseValue::new(text, status, headers))
        })
    });
}

/// `Result<ResponseValue<T>, Error<E>>` → `Result<ResponseValue<ty>, Error<E>>`.
fn set_success_type(sig: &mut syn::Signature, ty: syn::Type) {
    let syn::ReturnType::Type(_, ret) = &mut sig.output else {
        return;
    };
    let Some(value) = crate::emit::syntax::generic_arg_mut(ret) else {
        return;
    };
    if let Some(inner) = crate::emit::syntax::generic_arg_mut(value) {
        *inner = ty;
    }
}

/// Each arm of the `match response.status().as_u16()` of `block` whose body is a success
/// (not `Err(..)`) replaced by `arm`.
fn map_success_arms(block: &mut syn::Block, arm: impl Fn(&syn::Expr) -> syn::Expr) {
    let Some(syn::Stmt::Expr(syn::Expr::Match(m), _)) = block.stmts.last_mut() else {
        return;
    };
    for case in &mut m.arms {
        let body = match &*case.body {
            syn::Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
                syn::Stmt::Expr(e, None) => e.clone(),
                _ => continue,
            },
            other => other.clone(),
        };
        let is_error = match &body {
            syn::Expr::Call(call) => {
                matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("Err"))
            }
            _ => false,
        };
        if is_error {
            continue;
        }
        *case.body = arm(&body);
    }
}

/// Walks a request builder's method chain (`client.client.post(url).header(..).json(&body)
/// .build()?`) from its last call down to its receiver; `accept` replaces a JSON
/// `Accept`, or is added (`add`) where progenitor sends none.
fn rewrite_chain(expr: &mut syn::Expr, media: &MediaFacts, accept: Option<&str>, add: bool) {
    let mut expr = expr;
    let mut saw_accept = false;
    loop {
        if media.multipart
            && let syn::Expr::MethodCall(call) = expr
            && call.method == "json"
            && call.args.len() == 1
        {
            // `.json(&body)` → the parts of the body, encoded by the runtime.
            let receiver = &call.receiver;
            let body = &call.args[0];
            let encode = if media.part_types.is_empty() {
                quote!(tasks_sdk_core::multipart::encode(#body))
            } else {
                let types = media
                    .part_types
                    .iter()
                    .map(|(name, content_type)| quote!((#name, #content_type)));
                quote!(tasks_sdk_core::multipart::encode_with(#body, &[#(#types),*]))
            };
            *expr = syn::parse_quote! {
                #encode
                    .and_then(|parts| parts.apply(#receiver))
                    .map_err(|e| Error::InvalidRequest(e.to_string()))?
            };
            // Go on below the receiver, inside the closure.
            let syn::Expr::Try(t) = expr else { return };
            let syn::Expr::MethodCall(map_err) = &mut *t.expr else {
                return;
            };
            let syn::Expr::MethodCall(and_then) = &mut *map_err.receiver else {
                return;
            };
            let Some(syn::Expr::Closure(closure)) = and_then.args.first_mut() else {
                return;
            };
            let syn::Expr::MethodCall(apply) = &mut *closure.body else {
                return;
            };
            let Some(receiver) = apply.args.first_mut() else {
                return;
            };
            expr = receiver;
            continue;
        }
        if let syn::Expr::Try(t) = expr
            && let syn::Expr::MethodCall(call) = &*t.expr
            && call.method == "form_urlencoded"
            && call.args.len() == 1
        {
            // `.form_urlencoded(&body)?` → `.header(CONTENT_TYPE, ..).body(form_body(&body, ENCODING)?)`
            let receiver = &call.receiver;
            let body = &call.args[0];
            let encoding = form_encoding(media);
            *expr = syn::parse_quote! {
                #receiver
                    .header(
                        ::reqwest::header::CONTENT_TYPE,
                        ::reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"),
                    )
                    .body(tasks_sdk_core::params::form_body(#body, &[#encoding])?)
            };
            // Go on below the receiver: the rewritten call is `.body(..)` on `.header(..)`.
            let syn::Expr::MethodCall(body_call) = expr else {
                return;
            };
            let syn::Expr::MethodCall(header_call) = &mut *body_call.receiver else {
                return;
            };
            expr = &mut header_call.receiver;
            continue;
        }
        match expr {
            syn::Expr::Try(t) => expr = &mut t.expr,
            syn::Expr::MethodCall(call)
                if add
                    && !saw_accept
                    && accept.is_some()
                    && is_http_method(call)
                    && matches!(&*call.receiver, syn::Expr::Field(_)) =>
            {
                // `client.client.get(url)`: progenitor set no `Accept`.
                let accept = accept.expect("checked");
                let request = call.clone();
                *expr = syn::parse_quote! {
                    #request.header(
                        ::reqwest::header::ACCEPT,
                        ::reqwest::header::HeaderValue::from_static(#accept),
                    )
                };
                return;
            }
            syn::Expr::MethodCall(call) => {
                if call.method == "header" && is_accept(call) {
                    saw_accept = true;
                }
                if call.method == "header"
                    && let Some(accept) = accept
                    && is_accept_json(call)
                {
                    call.args[1] = syn::parse_quote!(
                        ::reqwest::header::HeaderValue::from_static(#accept)
                    );
                }
                // A byte body progenitor labels `application/octet-stream`.
                if call.method == "header"
                    && let Some(content_type) = &media.content_type
                    && is_octet_stream(call)
                {
                    call.args[1] = syn::parse_quote!(
                        ::reqwest::header::HeaderValue::from_static(#content_type)
                    );
                }
                if call.method == "json"
                    && let Some(content_type) = &media.content_type
                {
                    let receiver = &call.receiver;
                    *call.receiver = syn::parse_quote! {
                        #receiver.header(
                            ::reqwest::header::CONTENT_TYPE,
                            ::reqwest::header::HeaderValue::from_static(#content_type),
                        )
                    };
                }
                expr = &mut call.receiver;
            }
            _ => return,
        }
    }
}

/// `.get(url)`, `.post(url)`, ...: the request itself.
fn is_http_method(call: &syn::ExprMethodCall) -> bool {
    [
        "get", "post", "put", "patch", "delete", "head", "options", "request",
    ]
    .iter()
    .any(|m| call.method == m)
}

/// `.header(::reqwest::header::ACCEPT, ..)`.
fn is_accept(call: &syn::ExprMethodCall) -> bool {
    use quote::ToTokens;
    call.args.len() == 2
        && call.args[0]
            .to_token_stream()
            .to_string()
            .ends_with("header :: ACCEPT")
}

/// `.header(::reqwest::header::ACCEPT, HeaderValue::from_static("application/json"))`.
fn is_accept_json(call: &syn::ExprMethodCall) -> bool {
    use quote::ToTokens;
    call.args.len() == 2
        && call.args[0]
            .to_token_stream()
            .to_string()
            .ends_with("header :: ACCEPT")
        && call.args[1]
            .to_token_stream()
            .to_string()
            .contains("\"application/json\"")
}

/// `.header(::reqwest::header::CONTENT_TYPE, HeaderValue::from_static("application/octet-stream"))`.
fn is_octet_stream(call: &syn::ExprMethodCall) -> bool {
    use quote::ToTokens;
    call.args.len() == 2
        && call.args[0]
            .to_token_stream()
            .to_string()
            .ends_with("header :: CONTENT_TYPE")
        && call.args[1]
            .to_token_stream()
            .to_string()
            .contains("\"application/octet-stream\"")
}

/// The `tasks_sdk_core::params::QueryParam`s of the form properties the document's
/// `encoding` names.
fn form_encoding(media: &MediaFacts) -> TokenStream {
    let fields = media.form_encoding.iter().map(|f| {
        let name = &f.name;
        if f.json {
            return quote!(tasks_sdk_core::params::QueryParam::json(#name));
        }
        let style = format_ident!("{}", f.style);
        let (explode, reserved) = (f.explode, f.allow_reserved);
        quote! {
            tasks_sdk_core::params::QueryParam::new(#name, tasks_sdk_core::params::QueryStyle::#style)
                .with_explode(#explode)
                .with_allow_reserved(#reserved)
        }
    });
    quote!(#(#fields),*)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::media::{FormField, Success};

    fn send(body: TokenStream) -> syn::File {
        syn::parse_quote! {
            pub mod builder {
                impl<'a> UpdateUser<'a> {
                    pub async fn send(self) -> Result<ResponseValue<types::User>, Error<()>> {
                        #[allow(unused_mut)]
                        let mut request = client
                            .client
                            .patch(url)
                            .header(
                                ::reqwest::header::ACCEPT,
                                ::reqwest::header::HeaderValue::from_static("application/json"),
                            )
                            #body
                            .headers(header_map)
                            .build()?;
                        todo!()
                    }
                }
            }
        }
    }

    fn facts(media: MediaFacts) -> Vec<OperationFacts> {
        vec![OperationFacts {
            id: "update_user".into(),
            at: String::new(),
            pagination: None,
            pagination_detected: false,
            bounds: Vec::new(),
            envelope: None,
            requires_auth: true,
            typed_error: false,
            media,
            security: None,
            params: Vec::new(),
            redirects: Vec::new(),
            group: String::new(),
        }]
    }

    fn compact(file: &syn::File) -> String {
        quote::ToTokens::to_token_stream(file)
            .to_string()
            .split_whitespace()
            .collect()
    }

    #[test]
    fn json_variants_keep_their_media_type_on_the_wire() {
        let mut file = send(quote!(.json(&body)));
        rewrite(
            &mut file,
            &facts(MediaFacts {
                accept: Some("application/scim+json".into()),
                content_type: Some("application/merge-patch+json".into()),
                ..MediaFacts::default()
            }),
        );
        let code = compact(&file);
        assert!(
            code.contains(r#"HeaderValue::from_static("application/scim+json")"#),
            "{code}"
        );
        assert!(!code.contains(r#""application/json""#), "{code}");
        assert!(
            code.contains(r#".header(::reqwest::header::CONTENT_TYPE,::reqwest::header::HeaderValue::from_static("application/merge-patch+json"),).json(&body)"#),
            "{code}"
        );
    }

    #[test]
    fn form_bodies_go_through_the_runtime_with_their_encoding() {
        let mut file = send(quote!(.form_urlencoded(&body)?));
        rewrite(
            &mut file,
            &facts(MediaFacts {
                form_encoding: vec![FormField {
                    name: "tags".into(),
                    style: "PipeDelimited",
                    explode: false,
                    allow_reserved: false,
                    json: false,
                }],
                ..MediaFacts::default()
            }),
        );
        let code = compact(&file);
        assert!(!code.contains("form_urlencoded"), "{code}");
        assert!(
            code.contains(r#".body(tasks_sdk_core::params::form_body(&body,&[tasks_sdk_core::params::QueryParam::new("tags",tasks_sdk_core::params::QueryStyle::PipeDelimited).with_explode(false).with_allow_reserved(false)])?)"#),
            "{code}"
        );
        // Accept stays: the document declares application/json.
        assert!(
            code.contains(r#"from_static("application/json")"#),
            "{code}"
        );
    }

    #[test]
    fn a_byte_body_goes_with_the_media_type_the_document_names() {
        let mut file = send(quote! {
            .header(
                ::reqwest::header::CONTENT_TYPE,
                ::reqwest::header::HeaderValue::from_static("application/octet-stream"),
            )
            .body(body)
        });
        rewrite(
            &mut file,
            &facts(MediaFacts {
                content_type: Some("image/png".into()),
                ..MediaFacts::default()
            }),
        );
        let code = compact(&file);
        assert!(
            code.contains(r#".header(::reqwest::header::CONTENT_TYPE,::reqwest::header::HeaderValue::from_static("image/png"),).body(body)"#),
            "{code}"
        );
        assert!(!code.contains("octet-stream"), "{code}");
    }

    #[test]
    fn an_operation_that_asks_for_nothing_is_left_as_it_is() {
        let mut file = send(quote!(.json(&body)));
        let before = compact(&file);
        rewrite(&mut file, &facts(MediaFacts::default()));
        assert_eq!(compact(&file), before);
    }

    fn get(success: TokenStream, ret: TokenStream) -> syn::File {
        syn::parse_quote! {
            pub mod builder {
                impl<'a> UpdateUser<'a> {
                    pub async fn send(self) -> Result<ResponseValue<#ret>, Error<types::Problem>> {
                        #[allow(unused_mut)]
                        let mut request = client
                            .client
                            .get(url)
                            #success
                            .headers(header_map)
                            .build()?;
                        let info = OperationInfo { operation_id: "update_user" };
                        match response.status().as_u16() {
                            200u16 => Ok(ResponseValue::stream(response)),
                            404u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_multipart_body_is_encoded_by_the_runtime() {
        let mut file = send(quote!(.json(&body)));
        rewrite(
            &mut file,
            &facts(MediaFacts {
                multipart: true,
                ..MediaFacts::default()
            }),
        );
        let code = compact(&file);
        assert!(!code.contains(".json("), "{code}");
        assert!(
            code.contains(r#"letmutrequest=tasks_sdk_core::multipart::encode(&body).and_then(|parts|parts.apply(client.client.patch(url).header(::reqwest::header::ACCEPT,::reqwest::header::HeaderValue::from_static("application/json"),))).map_err(|e|Error::InvalidRequest(e.to_string()))?.headers(header_map).build()?;"#),
            "{code}"
        );
    }

    #[test]
    fn a_multipart_encoding_s_content_types_go_to_the_runtime() {
        let mut file = send(quote!(.json(&body)));
        rewrite(
            &mut file,
            &facts(MediaFacts {
                multipart: true,
                part_types: vec![
                    ("meta".into(), "application/vnd.acme+json".into()),
                    ("note".into(), "text/plain".into()),
                ],
                ..MediaFacts::default()
            }),
        );
        let code = compact(&file);
        assert!(
            code.contains(r#"letmutrequest=tasks_sdk_core::multipart::encode_with(&body,&[("meta","application/vnd.acme+json"),("note","text/plain")]).and_then(|parts|parts.apply(client.client.patch(url)"#),
            "{code}"
        );
    }

    #[test]
    fn a_streamed_success_gets_its_accept_and_text_is_read_as_a_string() {
        let mut file = get(quote!(), quote!(ByteStream));
        rewrite(
            &mut file,
            &facts(MediaFacts {
                accept: Some("application/pdf, application/json".into()),
                success: Success::Download,
                ..MediaFacts::default()
            }),
        );
        let code = compact(&file);
        assert!(
            code.contains(r#".get(url).header(::reqwest::header::ACCEPT,::reqwest::header::HeaderValue::from_static("application/pdf,application/json"),).headers(header_map)"#),
            "{code}"
        );
        assert!(
            code.contains("Ok(ResponseValue::stream(response))"),
            "{code}"
        );

        let mut file = get(quote!(), quote!(ByteStream));
        rewrite(
            &mut file,
            &facts(MediaFacts {
                accept: Some("text/plain".into()),
                success: Success::Text,
                ..MediaFacts::default()
            }),
        );
        let code = compact(&file);
        assert!(
            code.contains("Result<ResponseValue<::std::string::String>,Error<types::Problem>>"),
            "{code}"
        );
        assert!(
            code.contains("200u16=>{letstatus=response.status();letheaders=response.headers().clone();lettext=response.text().await.map_err(Error::ResponseBodyError)?;Ok(ResponseValue::new(text,status,headers))}"),
            "{code}"
        );
        // The error arm is left as it is.
        assert!(code.contains("404u16=>Err(Error::ErrorResponse("), "{code}");

        // A decoded success keeps progenitor's `Accept` (none here).
        let mut file = get(quote!(), quote!(ByteStream));
        rewrite(
            &mut file,
            &facts(MediaFacts {
                accept: Some("application/problem+json".into()),
                ..MediaFacts::default()
            }),
        );
        assert!(!compact(&file).contains("ACCEPT"));
    }

    #[test]
    fn json_beside_events_gets_a_send_events() {
        let accept = quote! {
            .header(
                ::reqwest::header::ACCEPT,
                ::reqwest::header::HeaderValue::from_static("application/json"),
            )
        };
        let mut file = get(accept, quote!(types::Job));
        rewrite(
            &mut file,
            &facts(MediaFacts {
                events: Some(crate::model::media::EventFacts {
                    item: None,
                    terminator: None,
                    beside_json: true,
                }),
                ..MediaFacts::default()
            }),
        );
        let code = compact(&file);
        let (send, events) = code
            .split_once("pubasyncfnsend_events")
            .expect("send_events");
        assert!(
            send.contains(r#"from_static("application/json")"#),
            "{send}"
        );
        assert!(
            events.starts_with("(self)->Result<ResponseValue<ByteStream>,Error<types::Problem>>"),
            "{events}"
        );
        assert!(
            events.contains(r#"from_static("text/event-stream,application/json")"#),
            "{events}"
        );
        assert!(
            events.contains("200u16=>Ok(ResponseValue::stream(response))"),
            "{events}"
        );
    }
}

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
//!   where the encoding says `application/json`).

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::document::naming;
use crate::emit::send_fns::{builder_items, send_fns};
use crate::model::OperationFacts;
use crate::model::media::MediaFacts;

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
        for stmt in &mut f.block.stmts {
            let syn::Stmt::Local(local) = stmt else {
                continue;
            };
            if let Some(init) = &mut local.init {
                rewrite_chain(&mut init.expr, media);
            }
        }
    }
}

/// Walks a request builder's method chain (`client.client.post(url).header(..).json(&body)
/// .build()?`) from its last call down to its receiver.
fn rewrite_chain(expr: &mut syn::Expr, media: &MediaFacts) {
    let mut expr = expr;
    loop {
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
            syn::Expr::MethodCall(call) => {
                if call.method == "header"
                    && let Some(accept) = &media.accept
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
    use crate::model::media::FormField;

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
                form_encoding: Vec::new(),
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
}

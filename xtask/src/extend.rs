//! What tasks-sdk adds to progenitor's output in `generated.rs`, from facts of the
//! normalized spec:
//!
//! - `PROVIDER`, the `tasks_sdk_core::Provider` the runtime reads: base URL, auth
//!   scheme, env vars, the quota from `info.x-rate-limit`, and per operation the
//!   `minimum`/`maximum` of numeric query parameters and the `x-error-envelope`;
//! - one `call()` per operation builder: progenitor's `send()` with the runtime's
//!   error taxonomy;
//! - one `stream()` per paginated operation (its `x-pagination`, or a pagination
//!   detected from conventional names): a lazy `tasks_sdk_core::Items` over every item
//!   of every page ([`crate::stream`]);
//! - `enums`: every named string enum as a forward-compatible `open_enum!` (with an
//!   `Unknown(String)` variant), which progenitor is told to use in place of its own.

use crate::model::{AuthScheme, Prepared};
use crate::{naming, stream};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

fn option_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// The tokens appended to progenitor's output. The accessors streams need are added to
/// progenitor's `builder` module in place.
pub fn tokens(p: &Prepared, progenitor: &mut syn::File) -> Result<TokenStream, String> {
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
    let mut accessors = Vec::new();
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
            Some(pagination) => {
                match stream::stream(pagination, op, &builder_name, success, progenitor) {
                    Ok(stream) => {
                        if !stream.accessors.is_empty() {
                            accessors.push((builder.clone(), stream.accessors));
                        }
                        stream.method
                    }
                    // A detected pagination the generated types cannot follow: no stream.
                    Err(_) if op.pagination_detected => quote!(),
                    Err(e) => return Err(format!("{e} at {}", op.at)),
                }
            }
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

    stream::insert_accessors(progenitor, accessors)?;
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

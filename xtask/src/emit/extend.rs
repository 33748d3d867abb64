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
//!   of every page ([`crate::emit::stream`]);
//! - `enums`: every named string enum as a forward-compatible `open_enum!` (with an
//!   `Unknown(String)` variant), which progenitor is told to use in place of its own.

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::document::naming;
use crate::emit::stream;
use crate::emit::syntax::{send_error_types, send_types};
use crate::model::media::{EventFacts, Success};
use crate::model::{AuthScheme, Prepared};

/// A success response the runtime streams.
enum Streamed<'a> {
    Events(&'a EventFacts),
    Download,
}

/// The event data type and the options of an event stream's call (its terminator).
fn event_parts(events: &EventFacts) -> (TokenStream, TokenStream) {
    let item: syn::Type = syn::parse_str(events.item_type()).expect("a type path");
    let with_terminator = match &events.terminator {
        Some(terminator) => quote! {
            let options = if options.get_terminator().is_none() {
                options.terminator(#terminator)
            } else {
                options
            };
        },
        None => quote!(),
    };
    (quote!(#item), with_terminator)
}

/// `call()`, `with_options()` and `call_with_response()` of an operation whose success
/// is an event stream or a download: the runtime's `EventStream<T>` or `Download`. An
/// event stream whose builder can resend its request knows how to reconnect.
fn streamed_methods(kind: Streamed, resendable: bool) -> TokenStream {
    let reconnects = matches!(kind, Streamed::Events(_)) && resendable;
    let (value, runtime, what, with_terminator) = match kind {
        Streamed::Events(events) => {
            let (item, with_terminator) = event_parts(events);
            let terminator = match &events.terminator {
                Some(t) => format!(" The document's terminator, `{t}`, ends it."),
                None => String::new(),
            };
            (
                quote!(tasks_sdk_core::EventStream<#item>),
                quote!(tasks_sdk_core::EventStream),
                format!(
                    "its events as they arrive (`text/event-stream`), each event's data decoded as \
                     [`{}`].{terminator}",
                    events.item_type().replace("::std::string::", "")
                ),
                with_terminator,
            )
        }
        Streamed::Download => (
            quote!(tasks_sdk_core::Download),
            quote!(tasks_sdk_core::Download),
            "its body unread, a file to read as a stream of chunks or whole \
             ([`Download`](tasks_sdk_core::Download))."
                .to_owned(),
            quote!(),
        ),
    };
    let doc = format!(
        "Sends the request and returns {what} Getting the response is a call like any \
         other (retries, the [`tasks_sdk_core::Error`] taxonomy); its body is read as you \
         go, each read bounded by the client's read timeout.{}",
        if reconnects { RECONNECT_DOC } else { "" }
    );
    let send = if reconnects {
        quote!(with_options_resending(
            &PROVIDER,
            Self::OPERATION,
            options,
            self.send(),
            resend
        ))
    } else {
        quote!(with_options(
            &PROVIDER,
            Self::OPERATION,
            options,
            self.send()
        ))
    };
    let resend = reconnects.then(|| quote!(let resend = self.__tasks_sdk_resend();));
    quote! {
        #[doc = #doc]
        pub async fn call(self) -> ::std::result::Result<#value, tasks_sdk_core::Error> {
            self.with_options(tasks_sdk_core::StreamOptions::new()).call().await
        }

        /// Sends the request like [`call`](Self::call), with per-call options: a
        /// [`RequestOptions`](tasks_sdk_core::RequestOptions) (timeout of the response's
        /// head, headers, retry policy) or a
        /// [`StreamOptions`](tasks_sdk_core::StreamOptions) (also a read timeout).
        pub fn with_options(self, options: impl ::std::convert::Into<tasks_sdk_core::StreamOptions>) -> tasks_sdk_core::StreamCall<'a, #value> {
            let options: tasks_sdk_core::StreamOptions = options.into();
            #with_terminator
            #resend
            #runtime::#send
        }

        /// Like [`call`](Self::call), with the response's status, headers, request id
        /// and the number of attempts it took.
        pub async fn call_with_response(self) -> ::std::result::Result<tasks_sdk_core::Response<#value>, tasks_sdk_core::Error> {
            self.with_options(tasks_sdk_core::StreamOptions::new()).call_with_response().await
        }
    }
}

/// `call_events()`, `events_with_options()` and `call_events_with_response()` of an
/// operation whose response is JSON or an event stream: its stream, through the
/// `send_events()` [`crate::emit::media`] adds to the builder.
fn events_beside_json(events: &EventFacts, resendable: bool) -> TokenStream {
    let (item, with_terminator) = event_parts(events);
    let value = quote!(tasks_sdk_core::EventStream<#item>);
    let doc = format!(
        "Sends the request asking for its event stream (`Accept: text/event-stream`) instead \
         of the JSON body [`call`](Self::call) returns: its events as they arrive, each \
         event's data decoded as [`{}`].{}",
        events.item_type().replace("::std::string::", ""),
        if resendable { RECONNECT_DOC } else { "" }
    );
    let (resend, send) = if resendable {
        (
            quote!(let resend = self.__tasks_sdk_resend_events();),
            quote!(with_options_resending(
                &PROVIDER,
                Self::OPERATION,
                options,
                self.send_events(),
                resend
            )),
        )
    } else {
        (
            quote!(),
            quote!(with_options(
                &PROVIDER,
                Self::OPERATION,
                options,
                self.send_events()
            )),
        )
    };
    quote! {
        #[doc = #doc]
        pub async fn call_events(self) -> ::std::result::Result<#value, tasks_sdk_core::Error> {
            self.events_with_options(tasks_sdk_core::StreamOptions::new()).call().await
        }

        /// Like [`call_events`](Self::call_events), with per-call options (a
        /// [`RequestOptions`](tasks_sdk_core::RequestOptions) or a
        /// [`StreamOptions`](tasks_sdk_core::StreamOptions)).
        pub fn events_with_options(self, options: impl ::std::convert::Into<tasks_sdk_core::StreamOptions>) -> tasks_sdk_core::StreamCall<'a, #value> {
            let options: tasks_sdk_core::StreamOptions = options.into();
            #with_terminator
            #resend
            tasks_sdk_core::EventStream::#send
        }

        /// Like [`call_events`](Self::call_events), with the response's status, headers,
        /// request id and the number of attempts it took.
        pub async fn call_events_with_response(self) -> ::std::result::Result<tasks_sdk_core::Response<#value>, tasks_sdk_core::Error> {
            self.events_with_options(tasks_sdk_core::StreamOptions::new()).call_with_response().await
        }
    }
}

/// What the doc of an event stream's call says of reconnection.
const RECONNECT_DOC: &str = "\n\nThe stream does not reconnect unless asked: \
    `.reconnect(max)` on it sends this request again (the same arguments and options, and \
    `Last-Event-ID`: the last event ID it saw) when the stream breaks, at most `max` times \
    ([`EventStream::reconnect`](tasks_sdk_core::EventStream::reconnect)).";

/// `__tasks_sdk_resend()` (`__tasks_sdk_resend_events()` for `send_events`) in progenitor's
/// `builder` module: the builder's `send` as a function that sends the request again
/// each time it is called, a future of its own (the builder's arguments, cloned, on a
/// clone of the client) that an event stream keeps to reconnect. `None` when the builder
/// is not `Clone` (progenitor does not derive it for a streamed body): its stream does
/// not reconnect.
fn resend(
    progenitor: &syn::File,
    builder: &syn::Ident,
    send: &str,
    error: &syn::Type,
) -> Option<TokenStream> {
    let item = crate::emit::syntax::find_item_struct(progenitor, "builder", &builder.to_string())?;
    let derives_clone = item.attrs.iter().any(|attr| {
        attr.path().is_ident("derive")
            && attr
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
                )
                .is_ok_and(|paths| paths.iter().any(|p| p.is_ident("Clone")))
    });
    let syn::Fields::Named(fields) = &item.fields else {
        return None;
    };
    let idents: Vec<&syn::Ident> = fields
        .named
        .iter()
        .filter_map(|f| f.ident.as_ref())
        .collect();
    if !derives_clone || !idents.iter().any(|i| *i == "client") {
        return None;
    }
    let args: Vec<&syn::Ident> = idents.into_iter().filter(|i| *i != "client").collect();
    let name = format_ident!("__tasks_sdk_re{}", send);
    let unpack = (!args.is_empty())
        .then(|| quote!(let Self { client: _, #(#args),* } = ::std::clone::Clone::clone(self);));
    let send = format_ident!("{}", send);
    let doc = format!(
        "[`{send}`](Self::{send}) again each time it is called, with the same arguments, \
         on a clone of the client: how an event stream of this request reconnects."
    );
    Some(quote! {
        #[doc = #doc]
        pub(crate) fn #name(&self) -> impl ::std::ops::FnMut() -> ::std::pin::Pin<::std::boxed::Box<
            dyn ::std::future::Future<Output = Result<ResponseValue<ByteStream>, Error<#error>>> + ::std::marker::Send
        >> + ::std::marker::Send + 'static + use<> {
            let client: super::Client = ::std::clone::Clone::clone(self.client);
            #unpack
            move || {
                let client = ::std::clone::Clone::clone(&client);
                #(let #args = ::std::clone::Clone::clone(&#args);)*
                ::std::boxed::Box::pin(async move {
                    #builder { client: &client, #(#args),* }.#send().await
                })
            }
        }
    })
}

fn option_f64(value: Option<f64>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// `scheme` as the runtime's `tasks_sdk_core::AuthScheme`.
fn auth_scheme(scheme: &AuthScheme) -> TokenStream {
    match scheme {
        AuthScheme::Bearer => quote!(tasks_sdk_core::AuthScheme::Bearer),
        AuthScheme::Header(h) => quote!(tasks_sdk_core::AuthScheme::Header(#h)),
        AuthScheme::Query(q) => quote!(tasks_sdk_core::AuthScheme::Query(#q)),
        AuthScheme::Cookie(c) => quote!(tasks_sdk_core::AuthScheme::Cookie(#c)),
        AuthScheme::Basic => quote!(tasks_sdk_core::AuthScheme::Basic),
        AuthScheme::OAuth2ClientCredentials { token_url, scopes } => quote! {
            tasks_sdk_core::AuthScheme::OAuth2ClientCredentials { token_url: #token_url, scopes: &[#(#scopes),*] }
        },
    }
}

/// The tokens appended to progenitor's output, with the item type of each stream. The
/// accessors streams need are added to progenitor's `builder` module in place.
pub fn tokens(p: &Prepared, progenitor: &mut syn::File) -> Result<Extension, String> {
    let (name, title, base_url) = (&p.provider.name, &p.provider.title, &p.base_url);
    let (key_env, base_env) = (&p.provider.api_key_env, &p.provider.base_url_env);
    let env_prefix = &p.env_prefix;
    let auth = p.auth.schemes.iter().map(auth_scheme);
    // Each scheme by its document name, for `.credential(name, ..)` and the operations'
    // requirements (only when some operation declares them).
    let security_schemes = p
        .operations
        .iter()
        .any(|op| op.security.is_some())
        .then(|| {
            let named = p.auth.named.iter().map(|n| {
                let (name, scheme, env) = (&n.name, auth_scheme(&n.scheme), &n.env_var);
                quote!(tasks_sdk_core::SecurityScheme::new(#name, #scheme, #env))
            });
            quote!(.with_security_schemes(&[#(#named),*]))
        });
    // `Provider` and `Operation` are `#[non_exhaustive]`: built with their `const`
    // constructors, and only what differs from the defaults is set.
    let rate_limit = p.rate_limit.map(|(requests, seconds)| {
        quote! {
            .with_rate_limit(tasks_sdk_core::RateLimit::new(#requests, ::std::time::Duration::from_secs(#seconds)))
        }
    });
    // By builder name: looked up once per operation (a document can have 20,000).
    let send_types: HashMap<String, syn::Type> = send_types(progenitor).into_iter().collect();
    let error_types: HashMap<String, syn::Type> =
        send_error_types(progenitor).into_iter().collect();
    let facts = &p.operations;
    // The operations whose error body progenitor types: (method name, the type).
    let mut typed_errors: Vec<(&str, syn::Type)> = Vec::new();
    for op in facts {
        let builder_name = naming::builder_name(&op.id);
        let error = error_types.get(&builder_name).cloned();
        let typed = error.filter(is_typed_body);
        if typed.is_some() != op.typed_error {
            return Err(format!(
                "progenitor's error type for operation {:?} does not match its error responses at {}",
                op.id, op.at
            ));
        }
        if let Some(ty) = typed {
            typed_errors.push((&op.id, ty));
        }
    }
    let common_error = p.provider.error_schema.is_some();
    let typed_by_id: HashMap<&str, &syn::Type> =
        typed_errors.iter().map(|(id, ty)| (*id, ty)).collect();
    // Each operation's facts are a constant of its builder, which `PROVIDER` lists: an
    // operation whose group is off (`emit::groups`) leaves both.
    let operation_facts = facts.iter().map(|op| {
        let id = &op.id;
        let bounds = op.bounds.iter().map(|(name, min, max)| {
            let (min, max) = (option_f64(*min), option_f64(*max));
            quote!(tasks_sdk_core::ParamBounds::new(#name, #min, #max))
        });
        let bounds = (!op.bounds.is_empty()).then(|| quote!(.with_bounds(&[#(#bounds),*])));
        let envelope = op.envelope.as_ref().map(|(pointer, value)| {
            quote!(.with_error_envelope(tasks_sdk_core::ErrorEnvelope::new(#pointer, #value)))
        });
        let requires_auth = (!op.requires_auth).then(|| quote!(.with_requires_auth(false)));
        let error_body = match typed_by_id.get(op.id.as_str()) {
            Some(ty) if common_error => {
                Some(quote!(.with_error_body(tasks_sdk_core::ErrorBodyType::of::<#ty>())))
            }
            _ => None,
        };
        let security = op.security.as_ref().map(|requirements| {
            let requirements = requirements.iter().map(|schemes| quote!(&[#(#schemes),*]));
            quote!(.with_security(&[#(#requirements),*]))
        });
        quote!(tasks_sdk_core::Operation::new(#id) #bounds #envelope #requires_auth #error_body #security)
    });
    let mut operation_facts: Vec<TokenStream> = operation_facts.collect();
    let operations = facts.iter().map(|op| {
        let builder = format_ident!("{}", naming::builder_name(&op.id));
        quote!(builder::#builder::OPERATION_FACTS)
    });
    let provider_doc =
        format!("{title}, as the runtime sees it: written by `cargo xtask regen` from the spec.");

    let mut calls = Vec::new();
    let mut accessors = Vec::new();
    let mut stream_items = std::collections::HashMap::new();
    for (index, op) in facts.iter().enumerate() {
        let operation = std::mem::take(&mut operation_facts[index]);
        let builder_name = naming::builder_name(&op.id);
        let builder = format_ident!("{}", builder_name);
        let id = &op.id;
        let success = send_types.get(&builder_name).ok_or_else(|| {
            format!(
                "progenitor wrote no builder `{builder_name}` with a `send()` for operation {id:?}"
            )
        })?;
        let stream = match &op.pagination {
            Some(pagination) => {
                match stream::stream(pagination, op, &builder_name, success, progenitor) {
                    Ok(stream) => {
                        stream_items.insert(id.clone(), stream.item);
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
        let op_doc = format!("`{id}` in [`PROVIDER`]'s operations: what the runtime knows of it.");
        let text: syn::Type = syn::parse_quote!(::std::string::String);
        let success = match op.media.success {
            Success::Text => &text,
            _ => success,
        };
        // An event stream's builder resends its request, to reconnect.
        let resent = match (&op.media.success, &op.media.events) {
            (Success::Events, Some(_)) => Some("send"),
            (_, Some(events)) if events.beside_json => Some("send_events"),
            _ => None,
        }
        .and_then(|send| {
            let error = error_types.get(&builder_name)?;
            resend(progenitor, &builder, send, error)
        });
        let resendable = resent.is_some();
        if let Some(resent) = resent {
            accessors.push((builder.clone(), vec![resent]));
        }
        let methods = match (&op.media.success, &op.media.events) {
            (Success::Events, Some(events)) => {
                streamed_methods(Streamed::Events(events), resendable)
            }
            (Success::Download, _) => streamed_methods(Streamed::Download, false),
            // One line: the three methods are written once, in tasks-sdk-core.
            _ => quote!(tasks_sdk_core::call_methods!('a, PROVIDER, #success);),
        };
        let events_beside = match &op.media.events {
            Some(events) if events.beside_json => events_beside_json(events, resendable),
            _ => quote!(),
        };
        calls.push(quote! {
            impl<'a> builder::#builder<'a> {
                #[doc = #op_doc]
                const OPERATION_FACTS: tasks_sdk_core::Operation = #operation;
                const OPERATION: &'static tasks_sdk_core::Operation = &Self::OPERATION_FACTS;

                #methods

                #events_beside

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
    let error_bodies = error_bodies(p, &typed_errors);
    let tokens = quote! {
        #[doc = #provider_doc]
        pub const PROVIDER: tasks_sdk_core::Provider = tasks_sdk_core::Provider::new(#name, #title)
            .with_default_base_url(#base_url)
            .with_env(#key_env, #base_env, #env_prefix)
            .with_auth(&[#(#auth),*])
            #security_schemes
            #rate_limit
            .with_operations(&[#(#operations),*]);

        #(#calls)*

        #error_bodies

        /// String enums of the spec, forward-compatible: a value the spec does not list
        /// decodes as `Unknown(String)`. Re-exported in [`types`](crate::types).
        pub mod enums {
            #(#enum_defs)*
        }
    };
    Ok(Extension {
        tokens,
        stream_items,
    })
}

/// What [`tokens`] adds, and what it learnt on the way.
pub struct Extension {
    /// Appended to progenitor's output.
    pub tokens: TokenStream,
    /// The item type of each operation (by method name) that has a `stream()`.
    pub stream_items: std::collections::HashMap<String, TokenStream>,
}

/// The name of the trait of error-body accessors, when the crate has one.
pub const ERROR_BODIES: &str = "ErrorBodies";

/// Whether progenitor's error type is a body a user can read: not `()` (no documented
/// error body) nor `ByteStream` (a non-JSON one).
fn is_typed_body(ty: &syn::Type) -> bool {
    match ty {
        syn::Type::Tuple(t) => !t.elems.is_empty(),
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident != "ByteStream"),
        _ => true,
    }
}

/// The trait `ErrorBodies`: one accessor per operation whose error body is typed,
/// `<operation>_error_body()`, implemented for `tasks_sdk_core::Error` and `ApiError`.
fn error_bodies(p: &Prepared, typed: &[(&str, syn::Type)]) -> TokenStream {
    let Some((first, first_ty)) = typed.first() else {
        return quote!();
    };
    let krate = format!("tasks_sdk_{}", p.provider.name);
    let trait_ident = format_ident!("{}", ERROR_BODIES);
    let accessor = |id: &str| format_ident!("{}_error_body", id.trim_start_matches("r#"));
    let common = match &p.provider.error_schema {
        Some(schema) => format!(
            "\n\nThe provider sends `{schema}` as the body of every error (the overlay's \
             `x-provider.error_schema`): the error statuses the spec lists without a body are \
             typed with it, and the body of a status it does not list (or of a 2xx error \
             envelope) is decoded as the operation's error type too."
        ),
        None => String::new(),
    };
    let first_accessor = accessor(first);
    let type_text = quote!(#first_ty).to_string().replace(' ', "");
    let name = &p.provider.name;
    let trait_doc = format!(
        "The provider's typed error body of a failed call, one accessor per operation: \
         `err.{first_accessor}()`.\n\n\
         Implemented for the [`Error`](crate::Error) a `call()` returns and for its \
         [`ApiError`](tasks_sdk_core::ApiError); bring it into scope with \
         `use {krate}::{ERROR_BODIES} as _;` (through the `tasks-sdk` facade: \
         `tasks_sdk::{name}::{ERROR_BODIES}`). Each accessor returns the error body as the \
         spec types it, without naming its type (`{first_accessor}()` returns a \
         `{type_text}`); `None` when the error did not come from that operation, has no \
         response (a timeout, say), or its body is not one the spec describes (read \
         [`ApiError::json`](tasks_sdk_core::ApiError::json) then). \
         [`ApiError::body`](tasks_sdk_core::ApiError::body) reads the same body by its \
         type.{common}\n\n\
         ```no_run\n\
         # use {krate}::{{Client, {ERROR_BODIES}}};\n\
         # async fn example(client: Client) {{\n\
         match client.{first}().call().await {{\n    \
             Ok(response) => println!(\"{{response:?}}\"),\n    \
             Err(err) => match err.{first_accessor}() {{\n        \
                 // The provider's own error, as its spec types it.\n        \
                 Some(body) => eprintln!(\"{{err}}: {{body:?}}\"),\n        \
                 None => eprintln!(\"{{err}}\"),\n    \
             }},\n\
         }}\n\
         # }}\n\
         ```"
    );
    let methods = typed.iter().map(|(id, ty)| {
        let name = accessor(id);
        let type_text = quote!(#ty).to_string().replace(' ', "");
        let doc = format!(
            "The error body of [`Client::{id}`](crate::Client::{id}) (`{type_text}`), when the \
             error came from it and its body is one the spec describes."
        );
        quote!(#[doc = #doc] fn #name(&self) -> ::std::option::Option<&#ty>;)
    });
    let error_impls = typed.iter().map(|(id, ty)| {
        let name = accessor(id);
        quote! {
            fn #name(&self) -> ::std::option::Option<&#ty> {
                self.api_error()?.#name()
            }
        }
    });
    let api_impls = typed.iter().map(|(id, ty)| {
        let name = accessor(id);
        quote! {
            fn #name(&self) -> ::std::option::Option<&#ty> {
                if self.operation != #id {
                    return None;
                }
                self.body::<#ty>()
            }
        }
    });
    quote! {
        #[doc = #trait_doc]
        pub trait #trait_ident: error_bodies::Sealed {
            #(#methods)*
        }

        impl #trait_ident for tasks_sdk_core::Error {
            #(#error_impls)*
        }

        impl #trait_ident for tasks_sdk_core::ApiError {
            #(#api_impls)*
        }

        mod error_bodies {
            /// Only the runtime's error types read error bodies.
            pub trait Sealed {}
            impl Sealed for tasks_sdk_core::Error {}
            impl Sealed for tasks_sdk_core::ApiError {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_stream_builder_resends_its_arguments_unless_it_is_not_clone() {
        let file = |derive: TokenStream| -> syn::File {
            syn::parse_quote! {
                pub mod builder {
                    #derive
                    pub struct TailLogs<'a> {
                        client: &'a super::Client,
                        level: Result<::std::string::String, String>,
                        r#type: Result<Option<i64>, String>,
                    }
                }
            }
        };
        let builder = format_ident!("TailLogs");
        let error: syn::Type = syn::parse_quote!(types::Problem);
        let code = resend(
            &file(quote!(#[derive(Debug, Clone)])),
            &builder,
            "send_events",
            &error,
        )
        .expect("a Clone builder resends")
        .to_string()
        .replace(' ', "");
        assert!(
            code.contains("pub(crate)fn__tasks_sdk_resend_events(&self)"),
            "{code}"
        );
        assert!(
            code.contains("Output=Result<ResponseValue<ByteStream>,Error<types::Problem>>"),
            "{code}"
        );
        assert!(
            code.contains("letSelf{client:_,level,r#type}=::std::clone::Clone::clone(self);"),
            "{code}"
        );
        assert!(
            code.contains("TailLogs{client:&client,level,r#type}.send_events().await"),
            "{code}"
        );
        // progenitor does not derive `Clone` for a streamed body: no reconnection.
        assert!(resend(&file(quote!(#[derive(Debug)])), &builder, "send", &error).is_none());
    }

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

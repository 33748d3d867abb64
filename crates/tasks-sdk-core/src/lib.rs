//! # tasks-sdk-core
//!
//! The hand-written runtime shared by every generated `tasks-sdk-<provider>` crate.
//! Users meet it through each provider's `Client::builder()` ([`ClientBuilder`]) and
//! the [`Error`] every `call()` returns. Through the `tasks-sdk` facade it is
//! `tasks_sdk::core`, and each provider crate re-exports what its users need
//! (`tasks_sdk_deck::Error`, ...): the examples below name no crate, so that they read
//! the same from every one.
//!
//! Generated clients (progenitor) call into this crate through their hooks:
//! - [`Runtime::prepare`] (async) runs before every request: it checks documented
//!   parameter ranges and that an operation needing a credential has one, adds the
//!   credential (only towards the configured base URL's origin; fetching an OAuth2 token
//!   if needed) and sets the `User-Agent`;
//! - [`Runtime::execute`] sends the request: rate limiter (opt-in), retries with backoff
//!   and `Retry-After` ([`RetryPolicy`]), one tracing span per request;
//! - [`call`] turns the result into the [`Error`] taxonomy, and a 2xx error envelope
//!   (PromptLoop's) into an error; [`call_with_response`] also returns the response's
//!   metadata ([`Response`]); [`WithOptions`] (a builder's `.with_options(..)`) sends one
//!   call with its own [`RequestOptions`] (timeout, headers, retry policy).
//!
//! ## Event streams, downloads, uploads
//! Three shapes of operation do not fit "a JSON body in, a JSON body out", and their
//! generated `call()`s use these types:
//! - [`EventStream<T>`]: a success response that is `text/event-stream` (server-sent
//!   events), a `Stream` of [`Event<T>`]s whose `data` decodes as `T`. An event that does
//!   not decode is one `Err(Error::Decode)` item and the stream goes on; the document's
//!   terminator (e.g. `[DONE]`) ends it; a cut or stalled stream is an `Err` item, then
//!   the end, unless you asked it to [`reconnect`](EventStream::reconnect) (with
//!   `Last-Event-ID`).
//! - [`Download`]: a binary success response (a file), its type, length and file name
//!   (`Content-Disposition`), read as a `Stream` of chunks or whole with a size limit.
//! - [`FilePart`]: the value of a `format: binary` property of a `multipart/form-data`
//!   request body, from bytes, a path, or a stream for large files;
//!   [`multipart::encode`] turns the body into its parts ([`multipart::encode_with`]
//!   with the content types the document's `encoding` gives them).
//!
//! Getting a streamed response is a call like any other (retries, the [`Error`]
//! taxonomy), but its body is never buffered whole, so `max_response_bytes` does not
//! apply, and the client's total timeout covers its head only: each read of the body is
//! bounded by [`ClientBuilder::read_timeout`] (default 30 s) instead.
//!
//! ```no_run
//! # use tasks_sdk_core::{Download, Error, EventStream, FilePart};
//! use futures::StreamExt;
//!
//! // `events` from e.g. `client.stream_completion().call().await?`.
//! async fn print_events(mut events: EventStream<serde_json::Value>) -> Result<(), Error> {
//!     while let Some(event) = events.next().await {
//!         println!("{:?}: {}", event.as_ref().ok().and_then(|e| e.event.clone()), event?.data);
//!     }
//!     Ok(())
//! }
//!
//! // `download` from e.g. `client.get_report().call().await?`.
//! async fn save(download: Download) -> Result<(), Error> {
//!     let name = download.file_name().unwrap_or("download.bin").to_owned();
//!     let bytes = download.bytes(50 * 1024 * 1024).await?; // at most 50 MiB
//!     std::fs::write(name, bytes).expect("writable");
//!     Ok(())
//! }
//!
//! // A file for an upload's body type, e.g. `types::UploadBody { file, .. }`.
//! async fn report() -> Result<FilePart, Error> {
//!     Ok(FilePart::from_path("report.pdf").await?.content_type("application/pdf"))
//! }
//! ```
//!
//! ## Crate organization
//! - [`Provider`], [`AuthScheme`], [`Operation`], [`RateLimit`]: the facts about one
//!   provider the runtime needs, written by the generator from the spec and its overlay.
//! - [`ClientBuilder`]: credentials ([`ApiKey`], basic, OAuth2 client credentials, access
//!   token), base URL, timeouts (total, connect, read), user agent, retry policy and [`RetryBudget`], rate
//!   limit, or a caller-supplied `reqwest::Client`; those settings without a provider
//!   are a [`ClientConfig`], which the builder wraps.
//! - [`Runtime`]: the per-client state that generated code carries as its inner type.
//! - [`Error`], [`ApiError`], [`DecodeError`]: one error taxonomy for every provider.
//! - [`Items`]: the lazy stream over every item of a list operation that each
//!   generated `stream()` returns, for cursor, link, page-number, offset and
//!   single-page listings ([`pagination`] explains the rules); [`next_link`] reads the
//!   next page's URL from RFC 8288 `Link` headers, and [`pagination::follow_link`]
//!   fetches a next-page link through the runtime, like every call.
//! - [`EventStream`], [`Event`], [`Download`], [`StreamOptions`], [`StreamCall`]:
//!   streamed responses;
//!   [`FilePart`] and [`multipart`]: `multipart/form-data` uploads.
//! - [`params`]: a request's path, query, header and cookie parameters serialized as
//!   the document's `style`, `explode`, `allowReserved` or `content` say (the OpenAPI
//!   "Style Examples" table, byte for byte), for generated `send()`s: [`PathParam`],
//!   [`QueryParam`] into a [`QueryString`], [`HeaderParam`], [`CookieParam`] into
//!   [`Cookies`]; a value that cannot be sent is a [`ParamError`].
//! - [`open_enum!`]: forward-compatible string enums for generated code;
//!   [`impl_generated_client!`]: the glue every provider crate's `lib.rs` invokes
//!   (`GeneratedClient`, `Client::builder()`, `Client::from_env()`, progenitor's hooks);
//!   with the `test-util` feature, `mock_server!`: what every generated test kit's
//!   `MockServer` has in common.
//!
//! ## Authentication
//! Every OpenAPI 3.0/3.1 security scheme works. [`Provider::auth`] lists the schemes an
//! API accepts, in the spec's order; without an explicit credential,
//! [`ClientBuilder::build`] reads the environment scheme by scheme and the first complete
//! credential wins (`<PREFIX>` is [`Provider::env_prefix`], e.g. `DECK`):
//!
//! | Spec | [`AuthScheme`] | On the wire | Builder | Environment |
//! |---|---|---|---|---|
//! | `http` `bearer`, `openIdConnect`, `oauth2` (not client credentials) | `Bearer` | `Authorization: Bearer <key>` | [`api_key`](ClientBuilder::api_key), [`access_token`](ClientBuilder::access_token) | [`api_key_env`](Provider::api_key_env) |
//! | `apiKey` `in: header` | `Header(name)` | `<name>: <key>` | `api_key` | `api_key_env` |
//! | `apiKey` `in: query` | `Query(name)` | `?<name>=<key>` | `api_key` | `api_key_env` |
//! | `apiKey` `in: cookie` | `Cookie(name)` | `Cookie: <name>=<key>` | `api_key` | `api_key_env` |
//! | `http` `basic` | `Basic` | `Authorization: Basic base64(user:pass)` | [`basic_auth`](ClientBuilder::basic_auth) | `<PREFIX>_USERNAME`, `<PREFIX>_PASSWORD` |
//! | `oauth2` `clientCredentials` | `OAuth2ClientCredentials` | `Authorization: Bearer <fetched token>` | [`oauth2_client_credentials`](ClientBuilder::oauth2_client_credentials) (or an already-obtained token: `api_key`/`access_token`) | `<PREFIX>_CLIENT_ID`, `<PREFIX>_CLIENT_SECRET` (else `api_key_env` as a token) |
//!
//! Every secret is a sensitive header value (or, for `Query`, a query parameter that is
//! stripped from the URL of the response handed back and never kept in an [`Error`]),
//! is redacted in `Debug` output, never appears in errors or tracing, and is only sent
//! to the base URL's origin. The OAuth2 client secret goes only to the token endpoint;
//! the access token is cached (shared by the client's clones), refreshed 30 s before it
//! expires, and dropped when the API answers 401.
//!
//! A client builds without a credential when the provider documents no scheme, or when
//! some of its operations are public ([`Operation::requires_auth`]); calling an
//! operation that needs one then fails with [`Error::MissingCredentials`], nothing sent.
//!
//! ## TLS
//! One cargo feature chooses the TLS backend of the `reqwest::Client` the builder makes:
//! - `rustls` (default): rustls with the aws-lc-rs crypto provider;
//! - `rustls-ring`: rustls with the ring crypto provider (no C toolchain or CMake for
//!   aws-lc). It is installed as rustls' process-wide default provider when the first
//!   client is built, unless the application installed one;
//! - `native-tls`: the platform's TLS library;
//! - none (`default-features = false` and none of the above): no TLS in this crate; pass
//!   your own configured client to [`ClientBuilder::http_client`] (or enable a TLS
//!   feature of `reqwest` yourself), else `https` base URLs fail to connect.
//!
//! Every provider crate and `tasks-sdk` forward these features. Enable one: with several,
//! each is compiled in (`rustls` then wins over `rustls-ring`).
//!
//! ## Example
//! ```no_run
//! # use tasks_sdk_core::{ClientBuilder, Error, GeneratedClient};
//! use std::time::Duration;
//!
//! /// Any provider's client, e.g. `tasks_sdk::deck::Client` (whose `Client::builder()`
//! /// returns this same builder).
//! fn against_local_mock<C: GeneratedClient>() -> Result<C, Error> {
//!     ClientBuilder::<C>::new()
//!         .api_key("sk_test_...")
//!         .base_url("http://127.0.0.1:4010")
//!         .timeout(Duration::from_secs(30))
//!         .build()
//! }
//! ```
#![warn(missing_docs)]

pub mod args;
mod auth;
mod builder;
mod call;
mod credentials;
mod download;
mod error;
mod events;
mod glue;
mod link;
pub mod multipart;
pub mod object;
mod open_enum;
pub mod pagination;
pub mod params;
mod provider;
#[cfg(feature = "rate-limit")]
mod rate_limit;
mod response_facts;
mod retry;
mod runtime;
mod sse;
mod streamed;
#[cfg(feature = "test-util")]
pub mod testing;

pub use builder::{
    ClientBuilder, ClientConfig, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_READ_TIMEOUT, DEFAULT_TIMEOUT, GeneratedClient,
};
pub use call::{RequestOptions, Response, WithOptions};
pub use credentials::ApiKey;
pub use download::Download;
pub use error::{ApiError, DecodeError, Error};
pub use events::{Event, EventStream};
pub use glue::{exchange, string_enum};
pub use multipart::FilePart;
pub use pagination::{Items, Page, next_link};
pub use params::{
    CookieParam, Cookies, HeaderParam, ParamError, PathParam, PathStyle, QueryParam, QueryString,
    QueryStyle,
};
pub use provider::{
    AuthScheme, ErrorBodyType, ErrorEnvelope, Operation, ParamBounds, Provider, RateLimit,
    SecurityScheme,
};
pub use retry::{RetryBudget, RetryPolicy, Sleep, is_retryable_status, retry_after};
pub use runtime::{Runtime, call, call_with_options, call_with_response};
pub use streamed::{StreamCall, StreamOptions};

#[doc(hidden)]
pub mod __private {
    //! What `open_enum!` and `impl_generated_client!` expand to needs, so that generated
    //! crates name no extra crate.
    pub use progenitor_client;
    pub use reqwest;
    pub use serde;
}

/// The default `User-Agent`: `tasks-sdk/<version>`.
pub const USER_AGENT: &str = concat!("tasks-sdk/", env!("CARGO_PKG_VERSION"));

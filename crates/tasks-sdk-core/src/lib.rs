//! # tasks-sdk-core
//!
//! The hand-written runtime shared by every generated `tasks-sdk-<provider>` crate.
//! Users meet it through each provider's `Client::builder()` ([`ClientBuilder`]) and
//! the [`Error`] every `call()` returns.
//!
//! Generated clients (progenitor) call into this crate through their hooks:
//! - [`Runtime::prepare`] runs before every request: it checks documented parameter
//!   ranges, adds the credential as a sensitive header (only towards the configured base
//!   URL's origin), sets the `User-Agent` and removes progenitor's `api-version` header;
//! - [`Runtime::execute`] sends the request: rate limiter (opt-in), retries with backoff
//!   and `Retry-After` ([`RetryPolicy`]), one tracing span per request;
//! - [`call`] turns the result into the [`Error`] taxonomy, and a 2xx error envelope
//!   (PromptLoop's) into an error.
//!
//! ## Crate organization
//! - [`Provider`], [`AuthScheme`], [`Operation`], [`RateLimit`]: the facts about one
//!   provider the runtime needs, written by the generator from the spec and its overlay.
//! - [`ClientBuilder`]: credentials ([`ApiKey`]), base URL, timeouts, user agent, retry
//!   policy, rate limit, or a caller-supplied `reqwest::Client`.
//! - [`Runtime`]: the per-client state that generated code carries as its inner type.
//! - [`Error`], [`ApiError`], [`DecodeError`]: one error taxonomy for every provider.
//! - [`Items`]: the lazy stream over every item of a list operation that each
//!   generated `stream()` returns, for cursor, link, page-number, offset and
//!   single-page listings ([`pagination`] explains the rules); [`next_link`] reads the
//!   next page's URL from RFC 8288 `Link` headers.
//! - [`open_enum!`]: forward-compatible string enums for generated code.
//!
//! ## Example
//! ```no_run
//! use std::time::Duration;
//! use tasks_sdk_core::{ClientBuilder, Error, GeneratedClient};
//!
//! /// Any provider's client, e.g. `tasks_sdk_deck::Client` (whose `Client::builder()`
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

mod builder;
mod credentials;
mod error;
mod open_enum;
pub mod pagination;
mod provider;
#[cfg(feature = "rate-limit")]
mod rate_limit;
mod retry;
mod runtime;

pub use builder::{
    ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
    GeneratedClient,
};
pub use credentials::ApiKey;
pub use error::{ApiError, DecodeError, Error};
pub use pagination::{Items, Page, next_link};
pub use provider::{AuthScheme, ErrorEnvelope, Operation, ParamBounds, Provider, RateLimit};
pub use retry::{RetryPolicy, Sleep, is_retryable_status, retry_after};
pub use runtime::{Runtime, call};

#[doc(hidden)]
pub mod __private {
    //! What `open_enum!` expands to needs, so that generated crates name no extra crate.
    pub use serde;
}

/// The default `User-Agent`: `tasks-sdk/<version>`.
pub const USER_AGENT: &str = concat!("tasks-sdk/", env!("CARGO_PKG_VERSION"));

//! # tasks-sdk-core
//!
//! The hand-written runtime shared by every generated `tasks-sdk-<provider>` crate.
//! Users rarely name this crate: each provider crate re-exports what it needs, and
//! every generated `Client` is built through [`ClientBuilder`].
//!
//! Generated clients (progenitor) call into this crate through two hooks:
//! - [`Runtime::prepare`] runs before every request: it adds the credential as a
//!   sensitive header (only towards the configured base URL's origin), sets the
//!   `User-Agent` and removes progenitor's `api-version` header;
//! - [`Runtime::execute`] sends the request.
//!
//! ## Crate organization
//! - [`Provider`] and [`AuthScheme`]: the facts about one provider that the runtime
//!   needs (written by the generator from the spec's `servers` and `securitySchemes`).
//! - [`ClientBuilder`]: credentials, base URL, timeouts, user agent, or a caller-supplied
//!   `reqwest::Client`; [`ApiKey`] holds the secret.
//! - [`Runtime`]: the per-client state that the generated code carries as its inner type.
//! - [`Error`]: what building a client can fail with.
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
mod provider;
mod runtime;

pub use builder::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, GeneratedClient};
pub use credentials::ApiKey;
pub use error::Error;
pub use provider::{AuthScheme, Provider};
pub use runtime::Runtime;

/// The default `User-Agent`: `tasks-sdk/<version>`.
pub const USER_AGENT: &str = concat!("tasks-sdk/", env!("CARGO_PKG_VERSION"));

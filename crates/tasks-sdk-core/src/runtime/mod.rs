//! The state every generated client carries (progenitor's "inner type"), the hooks the
//! generated code calls around each request, and [`call`], which turns progenitor's
//! result into this crate's [`Error`](crate::Error) taxonomy.
//!
//! One module per duty: [`state`] is what one call learns on its way (a task-local),
//! [`send`] prepares, sends and retries a request, [`convert`] turns the outcome into
//! the value or the error a `call()` returns.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;

use crate::auth::Auth;
use crate::provider::{AuthScheme, Provider};
use crate::retry::{Bucket, RetryPolicy, Sleep};

mod convert;
mod security;
mod send;
mod state;

pub use convert::{call, call_with_options, call_with_response};
pub(crate) use convert::{call_inner, call_stream, decode_error, status_error};
pub(crate) use send::read_body;
pub(crate) use state::{Keep, StreamLimits};

/// Per-client runtime state: the provider, the prepared credential (and, for OAuth2
/// client credentials, the cached access token), the user agent, the retry policy and
/// the optional rate limiter.
///
/// Cheap to clone (one `Arc`; clones share the OAuth2 token cache). Its `Debug` output
/// never shows a secret.
#[derive(Clone)]
pub struct Runtime {
    shared: Arc<Shared>,
}

pub(crate) struct Shared {
    pub(crate) provider: &'static Provider,
    pub(crate) base_url: Url,
    /// Header values in it are marked sensitive, so reqwest and `http` redact them in
    /// their own `Debug` output.
    pub(crate) auth: Auth,
    /// The prepared credential of each of [`Provider::security_schemes`] that has one
    /// (`.credential(name, ..)` or its environment variable), in their order.
    pub(crate) schemes: Vec<Option<Auth>>,
    /// The client's one credential was given with an `.auth_scheme(..)` override: the
    /// user said how it travels, so it stands for any scheme an operation requires.
    pub(crate) auth_overridden: bool,
    pub(crate) user_agent: HeaderValue,
    /// The client requests go through; also fetches OAuth2 tokens.
    pub(crate) http: reqwest::Client,
    pub(crate) retry: RetryPolicy,
    /// The retry budget's bucket, shared by the clones.
    pub(crate) budget: Bucket,
    pub(crate) sleep: Sleep,
    pub(crate) max_response_bytes: usize,
    /// The longest wait for the next bytes of a streamed response.
    pub(crate) read_timeout: Duration,
    /// The builder's total and connect timeouts; `None` with a caller's `reqwest::Client`.
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    #[cfg(feature = "rate-limit")]
    pub(crate) limiter: Option<crate::rate_limit::Limiter>,
}

impl Runtime {
    pub(crate) fn new(shared: Shared) -> Self {
        Runtime {
            shared: Arc::new(shared),
        }
    }

    /// The provider this client talks to.
    pub fn provider(&self) -> &'static Provider {
        self.shared.provider
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &Url {
        &self.shared.base_url
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.shared.retry
    }

    /// The tokens left in this client's [retry budget](crate::RetryBudget) (shared by its
    /// clones), or `None` when the budget is disabled.
    pub fn retry_tokens(&self) -> Option<u32> {
        self.shared.budget.available()
    }

    /// How this client sends its credential (an access token given to `.access_token`,
    /// or `.api_key` for an OAuth2-only provider, is [`AuthScheme::Bearer`]); `None` when
    /// it has none.
    pub fn auth_scheme(&self) -> Option<AuthScheme> {
        self.shared.auth.scheme()
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = &*self.shared;
        let mut s = f.debug_struct("Runtime");
        s.field("provider", &shared.provider.name)
            .field("base_url", &shared.base_url.as_str())
            .field("auth", &format_args!("{}", shared.auth.redacted()))
            .field("user_agent", &shared.user_agent)
            .field("retry", &shared.retry)
            .field("retry_tokens", &shared.budget.available());
        #[cfg(feature = "rate-limit")]
        s.field("rate_limited", &shared.limiter.is_some());
        s.finish()
    }
}

/// Scheme, host and port equal: the only destinations that may receive the credential.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

//! Building a provider client: credentials, base URL, timeouts, HTTP client.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{HeaderName, HeaderValue};

use crate::credentials::ApiKey;
use crate::error::Error;
use crate::provider::{AuthScheme, Provider, RateLimit};
use crate::retry::{RetryPolicy, Sleep};
use crate::runtime::{Runtime, Shared, same_origin};

/// Default total timeout of one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default timeout for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default cap on a response body: larger ones fail with `Error::Decode` unread.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
/// Redirects followed at most (and only within the base URL's origin).
const MAX_REDIRECTS: usize = 10;

/// Implemented by every generated provider `Client` (the generator writes the impl), so
/// that one [`ClientBuilder`] builds them all.
pub trait GeneratedClient: Sized {
    /// The provider's facts.
    const PROVIDER: &'static Provider;

    /// Assembles the generated client from a base URL, an HTTP client and the runtime.
    fn from_parts(base_url: &str, http: reqwest::Client, runtime: Runtime) -> Self;
}

/// Builds a provider client. Get one from `Client::builder()` of any provider crate.
///
/// Every setting has a default: the credential and base URL come from the provider's
/// environment variables when not given (see [`Provider::api_key_env`] and
/// [`Provider::base_url_env`]), then from the spec's server URL.
pub struct ClientBuilder<C> {
    api_key: Option<ApiKey>,
    base_url: Option<String>,
    auth: Option<AuthScheme>,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
    sleep: Sleep,
    max_response_bytes: usize,
    rate_limit: RateLimitSetting,
    _client: PhantomData<fn() -> C>,
}

/// Whether and how the client limits its own request rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "rate-limit"), allow(dead_code))]
enum RateLimitSetting {
    Off,
    Documented,
    Custom(RateLimit),
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: None,
            auth: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: None,
            http_client: None,
            retry: RetryPolicy::default(),
            sleep: Sleep::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            rate_limit: RateLimitSetting::Off,
            _client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[REDACTED]"))
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.is_some())
            .field("retry", &self.retry)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl<C> ClientBuilder<C> {
    /// A builder with every setting at its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// The API key or token (otherwise read from the provider's environment variable).
    pub fn api_key(mut self, key: impl Into<ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// The base URL, e.g. a self-hosted deployment or a local mock (otherwise
    /// `<PROVIDER>_BASE_URL`, then the spec's server URL).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Overrides how the credential is sent, e.g. `AuthScheme::Bearer` for Enkrypt AI
    /// deployments that expect `Authorization: Bearer` instead of `apikey`.
    pub fn auth_scheme(mut self, auth: AuthScheme) -> Self {
        self.auth = Some(auth);
        self
    }

    /// Total timeout of one request (default [`DEFAULT_TIMEOUT`]). Ignored with
    /// [`ClientBuilder::http_client`], whose own settings apply.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Connection timeout (default [`DEFAULT_CONNECT_TIMEOUT`]). Ignored with
    /// [`ClientBuilder::http_client`].
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header (default [`crate::USER_AGENT`]).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sends requests through this `reqwest::Client` (connection pool, proxy, TLS
    /// settings) instead of one built from the timeouts above.
    ///
    /// The runtime still adds the credential only to requests for the base URL's origin,
    /// but redirects are followed as *your* client's redirect policy says: use
    /// `reqwest::redirect::Policy::none()` there if the API key travels in a custom header.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }
}

impl<C> ClientBuilder<C> {
    /// The retry policy (default: [`RetryPolicy::default`], 3 attempts);
    /// [`RetryPolicy::disabled`] sends every request once.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The largest response body read (default [`DEFAULT_MAX_RESPONSE_BYTES`], 64 MiB):
    /// a larger one fails with [`Error::Decode`] without being read into memory.
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// How to wait between retries (default: `tokio::time::sleep`). For tests that must
    /// not wait for real, and for other async runtimes.
    pub fn sleep_impl(mut self, sleep: Sleep) -> Self {
        self.sleep = sleep;
        self
    }

    /// Limits this client to the provider's documented quota ([`Provider::rate_limit`]),
    /// waiting before a request that would exceed it. No effect for providers that
    /// document none. Needs the `rate-limit` feature.
    #[cfg(feature = "rate-limit")]
    pub fn documented_rate_limit(mut self) -> Self {
        self.rate_limit = RateLimitSetting::Documented;
        self
    }

    /// Limits this client to `limit` requests per period (e.g. a share of a quota that
    /// several processes use). Needs the `rate-limit` feature.
    #[cfg(feature = "rate-limit")]
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = RateLimitSetting::Custom(limit);
        self
    }
}

impl<C: GeneratedClient> ClientBuilder<C> {
    /// Builds the client.
    ///
    /// Fails with [`Error::MissingCredentials`] (naming the environment variable) when no
    /// key was given and the variable is unset, and with [`Error::InvalidArgument`] for a
    /// malformed base URL, key or user agent.
    pub fn build(self) -> Result<C, Error> {
        let provider = C::PROVIDER;
        let api_key =
            match self.api_key {
                Some(key) => key,
                None => env_var(provider.api_key_env).map(ApiKey::new).ok_or(
                    Error::MissingCredentials {
                        provider: provider.name,
                        env_var: provider.api_key_env,
                    },
                )?,
            };
        let base_url = self
            .base_url
            .or_else(|| env_var(provider.base_url_env))
            .unwrap_or_else(|| provider.default_base_url.to_owned());
        // Generated code appends paths that start with '/'.
        let base_url = base_url.trim_end_matches('/').to_owned();
        let parsed = Url::parse(&base_url).map_err(|e| Error::InvalidArgument {
            name: "base_url".into(),
            reason: format!("{base_url:?} is not an absolute URL: {e}"),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::InvalidArgument {
                name: "base_url".into(),
                reason: format!("{base_url:?} must use http or https"),
            });
        }

        let auth = self.auth.unwrap_or(provider.auth);
        let (auth_name, auth_value) = auth_header(auth, &api_key)?;
        let user_agent = self.user_agent.as_deref().unwrap_or(crate::USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| Error::InvalidArgument {
            name: "user_agent".into(),
            reason: "contains characters not allowed in an HTTP header".into(),
        })?;

        let http = match self.http_client {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .redirect(same_origin_redirects())
                .build()
                .map_err(Error::HttpClient)?,
        };
        let quota = match self.rate_limit {
            RateLimitSetting::Off => None,
            RateLimitSetting::Documented => provider.rate_limit,
            RateLimitSetting::Custom(limit) => Some(limit),
        };
        #[cfg(not(feature = "rate-limit"))]
        let _ = quota;
        let runtime = Runtime::new(Shared {
            provider,
            base_url: parsed,
            auth_name,
            auth_value,
            user_agent,
            retry: self.retry,
            sleep: self.sleep,
            max_response_bytes: self.max_response_bytes,
            #[cfg(feature = "rate-limit")]
            limiter: quota.and_then(crate::rate_limit::limiter),
        });
        Ok(C::from_parts(&base_url, http, runtime))
    }
}

/// A set, non-empty environment variable.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn auth_header(auth: AuthScheme, key: &ApiKey) -> Result<(HeaderName, HeaderValue), Error> {
    let invalid = |reason: &str| Error::InvalidArgument {
        name: "api_key".into(),
        reason: reason.to_owned(),
    };
    if key.expose().trim().is_empty() {
        return Err(invalid("is empty"));
    }
    let value = match auth {
        AuthScheme::Bearer => format!("Bearer {}", key.expose()),
        AuthScheme::Header(_) => key.expose().to_owned(),
    };
    let mut value = HeaderValue::from_str(&value)
        .map_err(|_| invalid("contains characters not allowed in an HTTP header"))?;
    value.set_sensitive(true);
    let name = HeaderName::from_static(auth.header_name());
    Ok((name, value))
}

/// Follows redirects only within the origin of the first request: reqwest strips
/// `Authorization` on a cross-origin redirect but keeps custom headers such as
/// `x-api-key` and `apikey`, so a cross-origin redirect is returned to the caller instead.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let previous = attempt.previous();
        if previous.len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if previous
            .first()
            .is_some_and(|first| same_origin(first, attempt.url()))
        {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

//! Building a provider client: credentials, base URL, timeouts, HTTP client.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::HeaderValue;
use secrecy::SecretString;

use crate::auth::{
    Auth, Credential, credential_from_env, credential_required, env_var, missing_credentials,
};
use crate::credentials::ApiKey;
use crate::error::Error;
use crate::provider::{AuthScheme, Provider, RateLimit};
use crate::retry::{Bucket, RetryBudget, RetryPolicy, Sleep};
use crate::runtime::{Runtime, Shared, same_origin};

/// Default total timeout of one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default timeout for establishing a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default read timeout of a streamed response (an event stream, a download): the
/// longest wait for the next bytes of its body.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
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

/// Every setting of a provider client, for no provider in particular: what a
/// [`ClientBuilder`] holds, and what settings shared by several providers' clients are
/// kept in (e.g. `tasks_sdk::SourceOptions`).
///
/// It has the setters of [`ClientBuilder`], with the same names, arguments and defaults;
/// `ClientBuilder::<C>::from(config)` turns it into the builder of one provider's client.
///
/// ```
/// # use tasks_sdk_core::{ClientBuilder, ClientConfig, GeneratedClient, RetryPolicy};
/// use std::time::Duration;
///
/// // Once, for every provider.
/// let config = ClientConfig::new()
///     .connect_timeout(Duration::from_secs(2))
///     .retry_policy(RetryPolicy::with_max_attempts(5))
///     .user_agent("my-app/1.0");
///
/// // Then for any provider's client, e.g. `tasks_sdk::deck::Client`.
/// fn builder_of<C: GeneratedClient>(config: &ClientConfig) -> ClientBuilder<C> {
///     ClientBuilder::from(config.clone())
/// }
/// # let _ = config;
/// ```
#[derive(Clone)]
pub struct ClientConfig {
    credential: Option<Credential>,
    /// `.credential(scheme, secret)`: one secret per named security scheme.
    scheme_credentials: Vec<(String, SecretString)>,
    base_url: Option<String>,
    auth: Option<AuthScheme>,
    timeout: Duration,
    connect_timeout: Duration,
    read_timeout: Duration,
    user_agent: Option<String>,
    http_client: Option<reqwest::Client>,
    retry: RetryPolicy,
    budget: RetryBudget,
    sleep: Sleep,
    max_response_bytes: usize,
    rate_limit: RateLimitSetting,
}

/// Builds a provider client. Get one from `Client::builder()` of any provider crate.
///
/// Every setting has a default: the credential and base URL come from the provider's
/// environment variables when not given (see [`ClientBuilder::build`],
/// [`Provider::api_key_env`], [`Provider::env_prefix`] and [`Provider::base_url_env`]),
/// then the base URL from the spec's server URL.
///
/// One credential is used: the last of [`api_key`](ClientBuilder::api_key),
/// [`access_token`](ClientBuilder::access_token),
/// [`basic_auth`](ClientBuilder::basic_auth) and
/// [`oauth2_client_credentials`](ClientBuilder::oauth2_client_credentials) called.
///
/// The settings themselves are a [`ClientConfig`], which is not tied to a provider:
/// `ClientBuilder::from(config)` starts from one, [`into_config`](Self::into_config)
/// gives it back.
pub struct ClientBuilder<C> {
    config: ClientConfig,
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

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            credential: None,
            scheme_credentials: Vec::new(),
            base_url: None,
            auth: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            user_agent: None,
            http_client: None,
            retry: RetryPolicy::default(),
            budget: RetryBudget::default(),
            sleep: Sleep::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            rate_limit: RateLimitSetting::Off,
        }
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder::from(ClientConfig::default())
    }
}

impl<C> Clone for ClientBuilder<C> {
    fn clone(&self) -> Self {
        ClientBuilder::from(self.config.clone())
    }
}

impl<C> From<ClientConfig> for ClientBuilder<C> {
    fn from(config: ClientConfig) -> Self {
        ClientBuilder {
            config,
            _client: PhantomData,
        }
    }
}

impl ClientConfig {
    /// Every setting at its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// `Debug` of the settings under `name` (the credential redacted).
    fn debug_as(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct(name)
            .field("credential", &self.credential)
            .field(
                "scheme_credentials",
                &self
                    .scheme_credentials
                    .iter()
                    .map(|(name, _)| (name.as_str(), "[REDACTED]"))
                    .collect::<Vec<_>>(),
            )
            .field("base_url", &self.base_url)
            .field("auth", &self.auth)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("user_agent", &self.user_agent)
            .field("http_client", &self.http_client.is_some())
            .field("retry", &self.retry)
            .field("retry_budget", &self.budget)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.debug_as("ClientConfig", f)
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.config.debug_as("ClientBuilder", f)
    }
}

impl<C> ClientBuilder<C> {
    /// A builder with every setting at its default.
    pub fn new() -> Self {
        Self::default()
    }

    /// The settings given so far, for no provider in particular.
    pub fn into_config(self) -> ClientConfig {
        self.config
    }
}

/// Writes each setting once: the setter of [`ClientConfig`], whose body stores it, and
/// the setter of the same name, arguments and docs on [`ClientBuilder`], which forwards
/// to it.
macro_rules! settings {
    ($(
        $(#[$attr:meta])*
        fn $name:ident(&mut $config:ident $(, $arg:ident: $ty:ty)* $(,)?) $body:block
    )*) => {
        impl ClientConfig {
            $(
                $(#[$attr])*
                pub fn $name(mut self $(, $arg: $ty)*) -> Self {
                    let $config = &mut self;
                    $body
                    self
                }
            )*
        }

        impl<C> ClientBuilder<C> {
            $(
                $(#[$attr])*
                pub fn $name(mut self $(, $arg: $ty)*) -> Self {
                    self.config = self.config.$name($($arg),*);
                    self
                }
            )*
        }
    };
}

settings! {
    /// The API key or token (otherwise read from the provider's environment variable,
    /// [`Provider::api_key_env`]). It is sent as the [`auth_scheme`](Self::auth_scheme)
    /// override says, else per the provider's first scheme that takes one secret
    /// ([`AuthScheme::Bearer`], [`Header`](AuthScheme::Header),
    /// [`Query`](AuthScheme::Query), [`Cookie`](AuthScheme::Cookie)); for a provider whose
    /// only scheme is [`AuthScheme::OAuth2ClientCredentials`], it is an already-obtained
    /// access token, sent as `Authorization: Bearer`.
    fn api_key(&mut config, key: impl Into<ApiKey>) {
        config.credential = Some(Credential::ApiKey(key.into()));
    }

    /// An access token (OAuth2, OpenID Connect), always sent as
    /// `Authorization: Bearer <token>`, whatever the provider's schemes.
    fn access_token(&mut config, token: impl Into<ApiKey>) {
        config.credential = Some(Credential::AccessToken(token.into()));
    }

    /// HTTP basic credentials ([`AuthScheme::Basic`]), sent as
    /// `Authorization: Basic base64(username:password)` (otherwise read from
    /// `<PREFIX>_USERNAME` and `<PREFIX>_PASSWORD`, see [`Provider::env_prefix`]). The
    /// username may not contain `:`; the password may be empty.
    fn basic_auth(
        &mut config,
        username: impl Into<String>,
        password: impl Into<SecretString>,
    ) {
        config.credential = Some(Credential::Basic {
            username: SecretString::from(username.into()),
            password: password.into(),
        });
    }

    /// OAuth2 client credentials ([`AuthScheme::OAuth2ClientCredentials`]; otherwise read
    /// from `<PREFIX>_CLIENT_ID` and `<PREFIX>_CLIENT_SECRET`). The client fetches an
    /// access token from the provider's token URL (`grant_type=client_credentials`, the
    /// documented scopes, the client id and secret as HTTP basic auth per RFC 6749
    /// §2.3.1), caches it until 30 s before it expires (shared by the client's clones),
    /// then fetches a new one; a 401 from the API drops it too. The client secret goes
    /// only to the token endpoint, the access token only to the base URL's origin.
    fn oauth2_client_credentials(
        &mut config,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) {
        config.credential = Some(Credential::ClientCredentials {
            client_id: SecretString::from(client_id.into()),
            client_secret: client_secret.into(),
        });
    }

    /// The credential of one security scheme, by its name in the document's
    /// `components.securitySchemes` ([`Provider::security_schemes`]; otherwise read from
    /// its [`env_var`](crate::SecurityScheme::env_var)): the key of an `apiKey` scheme, the
    /// token of `http` bearer, `oauth2` and `openIdConnect` (sent as `Authorization:
    /// Bearer`), `username:password` for `http` basic. Each call then sends what its
    /// operation requires: the first of its security requirements whose credentials are
    /// all set (every scheme of it, when it names several), or none when the operation
    /// allows anonymous calls and nothing else is set. A name the document does not
    /// declare fails [`build`](ClientBuilder::build) with `InvalidArgument`.
    fn credential(&mut config, scheme: impl Into<String>, secret: impl Into<SecretString>) {
        let scheme = scheme.into();
        config.scheme_credentials.retain(|(name, _)| *name != scheme);
        config.scheme_credentials.push((scheme, secret.into()));
    }

    /// The base URL, e.g. a self-hosted deployment or a local mock (otherwise
    /// `<PROVIDER>_BASE_URL`, then the spec's server URL).
    fn base_url(&mut config, url: impl Into<String>) {
        config.base_url = Some(url.into());
    }

    /// Overrides how the [`api_key`](Self::api_key) is sent, e.g. `AuthScheme::Bearer`
    /// for Enkrypt AI deployments that expect `Authorization: Bearer` instead of
    /// `apikey`. With [`AuthScheme::Basic`] the key is `username:password`; with
    /// [`AuthScheme::OAuth2ClientCredentials`] it is an access token (and
    /// [`oauth2_client_credentials`](Self::oauth2_client_credentials) uses this token
    /// URL and scopes). This scheme is also tried first for environment variables.
    fn auth_scheme(&mut config, auth: AuthScheme) {
        config.auth = Some(auth);
    }

    /// Total timeout of one request (default [`DEFAULT_TIMEOUT`]). Ignored with
    /// [`http_client`](Self::http_client), whose own settings apply.
    ///
    /// For a streamed response (an [`EventStream`](crate::EventStream), a
    /// [`Download`](crate::Download)) it covers the response's head only: its body, which
    /// may flow for hours, is bounded by the [`read_timeout`](Self::read_timeout) of
    /// each read instead.
    fn timeout(&mut config, timeout: Duration) {
        config.timeout = timeout;
    }

    /// Connection timeout (default [`DEFAULT_CONNECT_TIMEOUT`]). Ignored with
    /// [`http_client`](Self::http_client).
    fn connect_timeout(&mut config, timeout: Duration) {
        config.connect_timeout = timeout;
    }

    /// The longest wait for the next bytes of a streamed response's body (an
    /// [`EventStream`](crate::EventStream), a [`Download`](crate::Download)): default
    /// [`DEFAULT_READ_TIMEOUT`]. A stream that stalls longer fails with
    /// [`Error::Timeout`]. The runtime times the reads itself, so it applies with an
    /// [`http_client`](Self::http_client) of yours too (whose own total timeout, if it
    /// has one, still covers the whole stream). Responses read whole are bounded by
    /// [`timeout`](Self::timeout).
    fn read_timeout(&mut config, timeout: Duration) {
        config.read_timeout = timeout;
    }

    /// The `User-Agent` header (default [`crate::USER_AGENT`]).
    fn user_agent(&mut config, user_agent: impl Into<String>) {
        config.user_agent = Some(user_agent.into());
    }

    /// Sends requests through this `reqwest::Client` (connection pool, proxy, TLS
    /// settings) instead of one built from the timeouts above.
    ///
    /// The runtime still adds the credential only to requests for the base URL's origin,
    /// but redirects are followed as *your* client's redirect policy says: use
    /// `reqwest::redirect::Policy::none()` there if the API key travels in a custom header
    /// (reqwest drops `Authorization` and `Cookie` on a cross-origin redirect, not
    /// others). This client also fetches OAuth2 tokens.
    fn http_client(&mut config, client: reqwest::Client) {
        config.http_client = Some(client);
    }

    /// The retry policy (default: [`RetryPolicy::default`], 3 attempts);
    /// [`RetryPolicy::disabled`] sends every request once.
    fn retry_policy(&mut config, policy: RetryPolicy) {
        config.retry = policy;
    }

    /// The retry budget (default: [`RetryBudget::default`], AWS's standard quota of
    /// 500 tokens, 5 per retry, 10 per retry after a timeout, refunded on success): one
    /// token bucket for this client and its clones; when it is empty, failed calls are
    /// not retried. [`RetryBudget::disabled`] lets the [`RetryPolicy`] alone decide.
    fn retry_budget(&mut config, budget: RetryBudget) {
        config.budget = budget;
    }

    /// The largest response body read (default [`DEFAULT_MAX_RESPONSE_BYTES`], 64 MiB):
    /// a larger one fails with [`Error::Decode`] without being read into memory.
    fn max_response_bytes(&mut config, limit: usize) {
        config.max_response_bytes = limit;
    }

    /// How to wait between retries (default: `tokio::time::sleep`). For tests that must
    /// not wait for real, and for other async runtimes.
    fn sleep_impl(&mut config, sleep: Sleep) {
        config.sleep = sleep;
    }

    /// Limits this client to the provider's documented quota ([`Provider::rate_limit`]),
    /// waiting before a request that would exceed it. No effect for providers that
    /// document none. Needs the `rate-limit` feature.
    #[cfg(feature = "rate-limit")]
    fn documented_rate_limit(&mut config) {
        config.rate_limit = RateLimitSetting::Documented;
    }

    /// Limits this client to `limit` requests per period (e.g. a share of a quota that
    /// several processes use). Needs the `rate-limit` feature.
    #[cfg(feature = "rate-limit")]
    fn rate_limit(&mut config, limit: RateLimit) {
        config.rate_limit = RateLimitSetting::Custom(limit);
    }
}

impl<C: GeneratedClient> ClientBuilder<C> {
    /// Builds the client.
    ///
    /// Without an explicit credential, the environment is read scheme by scheme, in the
    /// order of [`Provider::auth`] (after an [`auth_scheme`](Self::auth_scheme)
    /// override): single-secret schemes read [`Provider::api_key_env`];
    /// [`AuthScheme::Basic`] reads `<PREFIX>_USERNAME` and `<PREFIX>_PASSWORD` (which may
    /// be set but empty); [`AuthScheme::OAuth2ClientCredentials`] reads
    /// `<PREFIX>_CLIENT_ID` and `<PREFIX>_CLIENT_SECRET`, else `api_key_env` as an access
    /// token. The first complete one wins.
    ///
    /// Fails with [`Error::MissingCredentials`] (naming the environment variables) when
    /// no credential was found and every operation needs one; when some operations are
    /// public, the client builds, and calling one that needs a credential fails with
    /// `MissingCredentials` instead, nothing sent. A provider whose [`Provider::auth`] is
    /// empty needs none. Fails with [`Error::InvalidArgument`] for a malformed base URL,
    /// credential, token URL or user agent, and when the provider documents no server URL
    /// and none was given.
    pub fn build(self) -> Result<C, Error> {
        let config = self.config;
        let provider = C::PROVIDER;
        let credential = config
            .credential
            .or_else(|| credential_from_env(provider, config.auth));
        let schemes = scheme_secrets(provider, config.scheme_credentials)?;
        if credential.is_none()
            && schemes.iter().all(Option::is_none)
            && credential_required(provider)
        {
            return Err(missing_credentials(provider, config.auth));
        }
        let base_url = config
            .base_url
            .or_else(|| env_var(provider.base_url_env))
            .unwrap_or_else(|| provider.default_base_url.to_owned());
        if base_url.trim().is_empty() {
            return Err(Error::InvalidArgument {
                name: "base_url".into(),
                reason: format!(
                    "{} documents no server URL: set {} or call .base_url(..)",
                    provider.title, provider.base_url_env
                ),
            });
        }
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

        let auth = Auth::new(credential, config.auth, provider, &parsed)?;
        let schemes = provider
            .security_schemes
            .iter()
            .zip(schemes)
            .map(|(scheme, secret)| {
                secret
                    .map(|secret| Auth::for_scheme(scheme, secret, provider))
                    .transpose()
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let user_agent = config.user_agent.as_deref().unwrap_or(crate::USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent).map_err(|_| Error::InvalidArgument {
            name: "user_agent".into(),
            reason: format!(
                "contains characters not allowed in an HTTP header, got {user_agent:?}"
            ),
        })?;

        // The timeouts the runtime names in `Error::Timeout`; a caller's client keeps its own.
        let timeouts = match config.http_client {
            Some(_) => (None, None),
            None => (Some(config.timeout), Some(config.connect_timeout)),
        };
        let http = match config.http_client {
            Some(client) => client,
            None => {
                #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
                install_ring_provider();
                reqwest::Client::builder()
                    .timeout(config.timeout)
                    .connect_timeout(config.connect_timeout)
                    .redirect(same_origin_redirects())
                    .build()
                    .map_err(|e| Error::HttpClient(std::sync::Arc::new(e)))?
            }
        };
        let quota = match config.rate_limit {
            RateLimitSetting::Off => None,
            RateLimitSetting::Documented => provider.rate_limit,
            RateLimitSetting::Custom(limit) => Some(limit),
        };
        #[cfg(not(feature = "rate-limit"))]
        let _ = quota;
        let runtime = Runtime::new(Shared {
            provider,
            base_url: parsed,
            auth,
            schemes,
            auth_overridden: config.auth.is_some(),
            user_agent,
            http: http.clone(),
            retry: config.retry,
            budget: Bucket::new(config.budget),
            sleep: config.sleep,
            max_response_bytes: config.max_response_bytes,
            read_timeout: config.read_timeout,
            timeout: timeouts.0,
            connect_timeout: timeouts.1,
            #[cfg(feature = "rate-limit")]
            limiter: quota.and_then(crate::rate_limit::limiter),
        });
        Ok(C::from_parts(&base_url, http, runtime))
    }
}

/// The secret of each of the provider's named security schemes, in their order: the
/// one given with `.credential(name, ..)`, else the scheme's environment variable. A
/// name the provider does not declare is an error that lists the ones it does.
fn scheme_secrets(
    provider: &Provider,
    given: Vec<(String, SecretString)>,
) -> Result<Vec<Option<SecretString>>, Error> {
    let mut secrets: Vec<Option<SecretString>> = vec![None; provider.security_schemes.len()];
    for (name, secret) in given {
        let Some(i) = provider
            .security_schemes
            .iter()
            .position(|s| s.name == name)
        else {
            let names: Vec<&str> = provider.security_schemes.iter().map(|s| s.name).collect();
            return Err(Error::InvalidArgument {
                name: "credential".into(),
                reason: if names.is_empty() {
                    format!("{} names no security scheme, got `{name}`", provider.title)
                } else {
                    format!(
                        "`{name}` is not a security scheme of {}: one of {}",
                        provider.title,
                        names.join(", ")
                    )
                },
            });
        };
        secrets[i] = Some(secret);
    }
    for (secret, scheme) in secrets.iter_mut().zip(provider.security_schemes) {
        if secret.is_none() && !scheme.env_var.is_empty() {
            *secret = env_var(scheme.env_var).map(SecretString::from);
        }
    }
    Ok(secrets)
}

/// With the `rustls-ring` feature (and not `rustls`), reqwest's rustls has no crypto
/// provider of its own: it uses the process default, which this installs (ring) unless
/// the application installed one already.
#[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
fn install_ring_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // Err: another thread installed one meanwhile, which will do.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
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

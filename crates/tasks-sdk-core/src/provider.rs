//! What the runtime needs to know about one provider, written by the generator.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::error::TypedBody;

/// How a provider expects the credential to be sent: one of the OpenAPI 3.0/3.1
/// `securitySchemes`.
///
/// Every secret is sent as a sensitive header (or, for [`AuthScheme::Query`], in the
/// query string), and only to the base URL's origin.
///
/// `#[non_exhaustive]`: a scheme added later is not a breaking change; match it with a
/// `_` arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthScheme {
    /// `Authorization: Bearer <token>`: http bearer, openIdConnect, and oauth2 flows
    /// other than client credentials (the user supplies the access token).
    Bearer,
    /// apiKey in a header: the raw key in the named header (lower-case name, e.g.
    /// `"x-api-key"`).
    Header(&'static str),
    /// apiKey in the query string: `?<name>=<key>`.
    ///
    /// The key is appended by [`Runtime::prepare`](crate::Runtime::prepare), so a
    /// redirect (followed within the origin) goes without it. It is removed from the URL
    /// of the response handed back, and no [`Error`](crate::Error) keeps a URL.
    Query(&'static str),
    /// apiKey in a cookie: `Cookie: <name>=<key>`.
    Cookie(&'static str),
    /// http basic: `Authorization: Basic base64(username:password)`.
    Basic,
    /// oauth2 client-credentials flow: the runtime fetches a token from `token_url`
    /// (absolute, or relative to the base URL) with the client id and secret, caches it
    /// until it expires, refreshes it, and sends it as bearer.
    OAuth2ClientCredentials {
        /// The token endpoint: absolute, or relative to the base URL.
        token_url: &'static str,
        /// The scopes requested (sent space-separated as `scope`; none: no `scope`).
        scopes: &'static [&'static str],
    },
}

impl AuthScheme {
    /// A one-line human description, for docs and the CLI: `Authorization: Bearer <key>`,
    /// `x-api-key: <key>`, `?api_key=<key>` (query), `Cookie: session=<key>`,
    /// `Authorization: Basic <username:password>`,
    /// `OAuth2 client credentials (token URL <url>)`.
    pub fn describe(&self) -> String {
        match self {
            AuthScheme::Bearer => "Authorization: Bearer <key>".to_owned(),
            AuthScheme::Header(name) => format!("{name}: <key>"),
            AuthScheme::Query(name) => format!("?{name}=<key>"),
            AuthScheme::Cookie(name) => format!("Cookie: {name}=<key>"),
            AuthScheme::Basic => "Authorization: Basic <username:password>".to_owned(),
            AuthScheme::OAuth2ClientCredentials { token_url, .. } => {
                format!("OAuth2 client credentials (token URL {token_url})")
            }
        }
    }

    /// The name of the header the credential travels in: `authorization` for
    /// [`Bearer`](AuthScheme::Bearer), [`Basic`](AuthScheme::Basic) and
    /// [`OAuth2ClientCredentials`](AuthScheme::OAuth2ClientCredentials), the named header
    /// for [`Header`](AuthScheme::Header), `cookie` for [`Cookie`](AuthScheme::Cookie),
    /// and `None` for [`Query`](AuthScheme::Query).
    pub fn header_name(&self) -> Option<&'static str> {
        match self {
            AuthScheme::Bearer | AuthScheme::Basic | AuthScheme::OAuth2ClientCredentials { .. } => {
                Some("authorization")
            }
            AuthScheme::Header(name) => Some(name),
            AuthScheme::Cookie(_) => Some("cookie"),
            AuthScheme::Query(_) => None,
        }
    }

    /// Whether the credential is one secret (an API key or token:
    /// [`ClientBuilder::api_key`](crate::ClientBuilder::api_key)): `Bearer`, `Header`,
    /// `Query`, `Cookie`.
    pub fn takes_single_secret(&self) -> bool {
        matches!(
            self,
            AuthScheme::Bearer
                | AuthScheme::Header(_)
                | AuthScheme::Query(_)
                | AuthScheme::Cookie(_)
        )
    }
}

/// A documented request quota: `requests` per `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RateLimit {
    /// Requests allowed per period.
    pub requests: u32,
    /// The period.
    pub period: Duration,
}

impl RateLimit {
    /// `requests` per `period`.
    pub const fn new(requests: u32, period: Duration) -> Self {
        RateLimit { requests, period }
    }
}

/// Facts about one provider, written by `cargo xtask regen` into each provider crate
/// as `PROVIDER`, from the spec (`servers`, `securitySchemes`, parameter ranges), its
/// overlay (`x-rate-limit`, `x-error-envelope`) and xtask's provider table.
///
/// `#[non_exhaustive]`, like the other structs of this module: a field added to it in
/// a later version of this crate does not break a provider crate built against an
/// earlier one. It is built with [`Provider::new`] and the `with_*` methods, which are
/// `const`:
///
/// ```
/// use tasks_sdk_core::{AuthScheme, Operation, Provider};
///
/// const ACME: Provider = Provider::new("acme", "Acme")
///     .with_default_base_url("https://api.acme.test/v1")
///     .with_env("ACME_API_KEY", "ACME_BASE_URL", "ACME")
///     .with_auth(&[AuthScheme::Bearer])
///     .with_operations(&[Operation::new("list_tasks")]);
/// assert_eq!(ACME.operation("list_tasks").unwrap().id, "list_tasks");
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Provider {
    /// Short name, as in the crate name `tasks-sdk-<name>`: `deck`.
    pub name: &'static str,
    /// Display name: `Deck`.
    pub title: &'static str,
    /// The spec's first server URL; `""` when the spec has none (then the user must set a
    /// base URL).
    pub default_base_url: &'static str,
    /// The environment variable of the single-secret credential (API key, bearer token,
    /// access token) that [`ClientBuilder::build`](crate::ClientBuilder::build) reads
    /// when none was given.
    pub api_key_env: &'static str,
    /// The environment variable that overrides the base URL.
    pub base_url_env: &'static str,
    /// Prefix of the environment variables of two-part credentials:
    /// `<PREFIX>_USERNAME` / `<PREFIX>_PASSWORD` ([`AuthScheme::Basic`]) and
    /// `<PREFIX>_CLIENT_ID` / `<PREFIX>_CLIENT_SECRET`
    /// ([`AuthScheme::OAuth2ClientCredentials`]), e.g. `DECK`.
    pub env_prefix: &'static str,
    /// The security schemes the API accepts, in the spec's order; empty: the API needs
    /// no credential.
    pub auth: &'static [AuthScheme],
    /// The documented quota, if any (used by the opt-in client-side rate limiter).
    pub rate_limit: Option<RateLimit>,
    /// The operations, with what the runtime checks before and after sending.
    pub operations: &'static [Operation],
    /// Every security scheme of the document by its name, which
    /// [`ClientBuilder::credential`](crate::ClientBuilder::credential) takes and
    /// [`Operation::security`] refers to by position; empty for a provider generated
    /// before schemes had names (its [`auth`](Self::auth) applies to every operation).
    pub security_schemes: &'static [SecurityScheme],
}

/// One security scheme of the document, by the name `components.securitySchemes` gives
/// it (`adminToken`): how its credential travels and the environment variable that holds
/// it (`<PREFIX>_ADMIN_TOKEN`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecurityScheme {
    /// The scheme's name in the document.
    pub name: &'static str,
    /// How its credential travels.
    pub scheme: AuthScheme,
    /// The environment variable read for its credential when none was given.
    pub env_var: &'static str,
}

impl SecurityScheme {
    /// The scheme `name`, sent as `scheme`, read from `env_var`.
    pub const fn new(name: &'static str, scheme: AuthScheme, env_var: &'static str) -> Self {
        SecurityScheme {
            name,
            scheme,
            env_var,
        }
    }
}

impl Provider {
    /// A provider with no base URL, no environment variables, no credential, no quota
    /// and no operation: the `with_*` methods set them.
    pub const fn new(name: &'static str, title: &'static str) -> Self {
        Provider {
            name,
            title,
            default_base_url: "",
            api_key_env: "",
            base_url_env: "",
            env_prefix: "",
            auth: &[],
            rate_limit: None,
            operations: &[],
            security_schemes: &[],
        }
    }

    /// Sets [`security_schemes`](Self::security_schemes).
    pub const fn with_security_schemes(mut self, schemes: &'static [SecurityScheme]) -> Self {
        self.security_schemes = schemes;
        self
    }

    /// Sets [`default_base_url`](Self::default_base_url).
    pub const fn with_default_base_url(mut self, url: &'static str) -> Self {
        self.default_base_url = url;
        self
    }

    /// Sets [`api_key_env`](Self::api_key_env), [`base_url_env`](Self::base_url_env)
    /// and [`env_prefix`](Self::env_prefix).
    pub const fn with_env(
        mut self,
        api_key_env: &'static str,
        base_url_env: &'static str,
        env_prefix: &'static str,
    ) -> Self {
        self.api_key_env = api_key_env;
        self.base_url_env = base_url_env;
        self.env_prefix = env_prefix;
        self
    }

    /// Sets [`auth`](Self::auth).
    pub const fn with_auth(mut self, auth: &'static [AuthScheme]) -> Self {
        self.auth = auth;
        self
    }

    /// Sets [`rate_limit`](Self::rate_limit).
    pub const fn with_rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.rate_limit = Some(rate_limit);
        self
    }

    /// Sets [`operations`](Self::operations).
    pub const fn with_operations(mut self, operations: &'static [Operation]) -> Self {
        self.operations = operations;
        self
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&'static Operation> {
        self.operations.iter().find(|op| op.id == id)
    }
}

/// One operation of a provider: [`Operation::new`] and the `with_*` methods (`const`).
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct Operation {
    /// The `operationId` (the method name), e.g. `list_tasks`.
    pub id: &'static str,
    /// Numeric query parameters with documented bounds, checked before sending.
    pub bounds: &'static [ParamBounds],
    /// A 2xx body that means failure, if the provider wraps errors that way.
    pub error_envelope: Option<ErrorEnvelope>,
    /// False when the spec says this operation needs no credential (`security: []`, or
    /// no security anywhere): then a client without a credential may call it.
    pub requires_auth: bool,
    /// The operation's typed error body, tried on the error responses the spec gives no
    /// body (a status it does not list, or a 2xx [`error_envelope`](Self::error_envelope)),
    /// when the provider declares a common error schema (the overlay's
    /// `x-provider.error_schema`); `None`: only the documented statuses' bodies are
    /// typed. Statuses the spec lists without a body get the common schema in the spec
    /// itself, so this is the operation's whole error type.
    pub error_body: Option<ErrorBodyType>,
    /// The operation's security requirements, as the document lists them (its own
    /// `security`, else the document's): alternatives, each a set of
    /// [`Provider::security_schemes`] (by position) whose credentials all go with the
    /// request; an empty set means it may be called without one. `None`: not declared
    /// per scheme, [`requires_auth`](Self::requires_auth) and the client's one credential
    /// apply.
    pub security: Option<&'static [&'static [u16]]>,
}

impl Operation {
    /// An operation with no bounds, no error envelope and no common error body, which
    /// requires a credential.
    pub const fn new(id: &'static str) -> Self {
        Operation {
            id,
            bounds: &[],
            error_envelope: None,
            requires_auth: true,
            error_body: None,
            security: None,
        }
    }

    /// Sets [`security`](Self::security).
    pub const fn with_security(mut self, requirements: &'static [&'static [u16]]) -> Self {
        self.security = Some(requirements);
        self
    }

    /// Sets [`bounds`](Self::bounds).
    pub const fn with_bounds(mut self, bounds: &'static [ParamBounds]) -> Self {
        self.bounds = bounds;
        self
    }

    /// Sets [`error_envelope`](Self::error_envelope).
    pub const fn with_error_envelope(mut self, envelope: ErrorEnvelope) -> Self {
        self.error_envelope = Some(envelope);
        self
    }

    /// Sets [`requires_auth`](Self::requires_auth).
    pub const fn with_requires_auth(mut self, requires_auth: bool) -> Self {
        self.requires_auth = requires_auth;
        self
    }

    /// Sets [`error_body`](Self::error_body).
    pub const fn with_error_body(mut self, error_body: ErrorBodyType) -> Self {
        self.error_body = Some(error_body);
        self
    }
}

/// The Rust type of an operation's error body, for the runtime to decode an error
/// response into when progenitor did not ([`Operation::error_body`]); readable through
/// [`ApiError::body`](crate::ApiError::body) and the generated accessors, like any
/// typed error body.
#[derive(Clone, Copy)]
pub struct ErrorBodyType {
    name: fn() -> &'static str,
    decode: fn(&[u8]) -> Option<Arc<dyn TypedBody>>,
}

impl ErrorBodyType {
    /// The JSON error body type `T`, e.g. `ErrorBodyType::of::<types::ListTasksErrorBody>()`.
    pub const fn of<T: serde::de::DeserializeOwned + Send + Sync + 'static>() -> Self {
        ErrorBodyType {
            name: std::any::type_name::<T>,
            decode: decode_as::<T>,
        }
    }

    /// The type's Rust path, as `std::any::type_name` spells it.
    pub fn name(&self) -> &'static str {
        (self.name)()
    }

    /// `body` decoded as the type, if it is one.
    pub(crate) fn decode(&self, body: &[u8]) -> Option<Arc<dyn TypedBody>> {
        (self.decode)(body)
    }
}

fn decode_as<T: serde::de::DeserializeOwned + Send + Sync + 'static>(
    body: &[u8],
) -> Option<Arc<dyn TypedBody>> {
    let value: T = serde_json::from_slice(body).ok()?;
    Some(Arc::new(value))
}

// By the type, not the function pointer (whose address is not unique).
impl PartialEq for ErrorBodyType {
    fn eq(&self, other: &Self) -> bool {
        self.name() == other.name()
    }
}

impl fmt::Debug for ErrorBodyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ErrorBodyType").field(&self.name()).finish()
    }
}

/// A numeric query parameter's documented range (OpenAPI `minimum`/`maximum`).
#[derive(Clone, Copy, Debug, PartialEq)]
#[non_exhaustive]
pub struct ParamBounds {
    /// The parameter's name in the query string.
    pub name: &'static str,
    /// Smallest allowed value.
    pub minimum: Option<f64>,
    /// Largest allowed value.
    pub maximum: Option<f64>,
}

impl ParamBounds {
    /// The range of the query parameter `name`.
    pub const fn new(name: &'static str, minimum: Option<f64>, maximum: Option<f64>) -> Self {
        ParamBounds {
            name,
            minimum,
            maximum,
        }
    }
}

/// "A 2xx body whose field at `pointer` equals `value` is an error", e.g. PromptLoop's
/// envelope `{"status": "error", "message": ...}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorEnvelope {
    /// A JSON pointer into the body, e.g. `/status`.
    pub pointer: &'static str,
    /// The string value that marks an error, e.g. `error`.
    pub value: &'static str,
}

impl ErrorEnvelope {
    /// "A 2xx body whose string at `pointer` is `value` is an error".
    pub const fn new(pointer: &'static str, value: &'static str) -> Self {
        ErrorEnvelope { pointer, value }
    }
}

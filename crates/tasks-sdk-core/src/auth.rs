//! Credentials and how they travel: every OpenAPI security scheme ([`AuthScheme`]).
//!
//! The builder holds a [`Credential`] (given explicitly or found in the environment);
//! [`Auth::new`] turns it, once, into what the runtime adds to each request: a prepared
//! sensitive header, a query pair, a cookie, or an OAuth2 client whose token is fetched,
//! cached and refreshed here.

use std::fmt;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue,
};
use reqwest::{StatusCode, Url};
use secrecy::{ExposeSecret, SecretString};

use crate::credentials::ApiKey;
use crate::error::{ApiError, DecodeError, Error};
use crate::provider::{AuthScheme, Provider};

/// A token is refreshed when less than this much of its life is left.
pub(crate) const REFRESH_MARGIN: Duration = Duration::from_secs(30);
/// The largest token endpoint response read.
const MAX_TOKEN_RESPONSE_BYTES: usize = 1024 * 1024;

/// A credential as the builder holds it, before it is checked and prepared.
#[derive(Clone)]
pub(crate) enum Credential {
    /// One secret, sent as the `.auth_scheme` override says, else per the provider's
    /// first single-secret scheme, else (OAuth2-only providers) as a bearer token.
    ApiKey(ApiKey),
    /// An access token, always `Authorization: Bearer`.
    AccessToken(ApiKey),
    /// HTTP basic.
    Basic {
        username: SecretString,
        password: SecretString,
    },
    /// OAuth2 client credentials.
    ClientCredentials {
        client_id: SecretString,
        client_secret: SecretString,
    },
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Credential::ApiKey(_) => "ApiKey([REDACTED])",
            Credential::AccessToken(_) => "AccessToken([REDACTED])",
            Credential::Basic { .. } => "Basic([REDACTED])",
            Credential::ClientCredentials { .. } => "OAuth2ClientCredentials([REDACTED])",
        })
    }
}

/// A set, non-empty environment variable.
pub(crate) fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The schemes considered, in order: the `.auth_scheme` override first, then the
/// provider's.
fn schemes(provider: &Provider, preferred: Option<AuthScheme>) -> Vec<AuthScheme> {
    preferred
        .into_iter()
        .chain(provider.auth.iter().copied())
        .collect()
}

/// The first complete credential in the environment, scheme by scheme: single-secret
/// schemes read [`Provider::api_key_env`]; `Basic` reads `<PREFIX>_USERNAME` and
/// `<PREFIX>_PASSWORD` (which may be set to the empty string); OAuth2 client credentials
/// read `<PREFIX>_CLIENT_ID` and `<PREFIX>_CLIENT_SECRET`, else `api_key_env` as an
/// already-obtained access token.
pub(crate) fn credential_from_env(
    provider: &Provider,
    preferred: Option<AuthScheme>,
) -> Option<Credential> {
    let prefixed = |suffix: &str| {
        (!provider.env_prefix.is_empty()).then(|| format!("{}_{suffix}", provider.env_prefix))
    };
    for scheme in schemes(provider, preferred) {
        let found = match scheme {
            AuthScheme::Basic => {
                prefixed("USERNAME")
                    .and_then(|u| env_var(&u))
                    .and_then(|username| {
                        let password = std::env::var(prefixed("PASSWORD")?).ok()?;
                        Some(Credential::Basic {
                            username: username.into(),
                            password: password.into(),
                        })
                    })
            }
            AuthScheme::OAuth2ClientCredentials { .. } => prefixed("CLIENT_ID")
                .and_then(|id| env_var(&id))
                .and_then(|client_id| {
                    let client_secret = env_var(&prefixed("CLIENT_SECRET")?)?;
                    Some(Credential::ClientCredentials {
                        client_id: client_id.into(),
                        client_secret: client_secret.into(),
                    })
                })
                .or_else(|| {
                    env_var(provider.api_key_env).map(|t| Credential::ApiKey(ApiKey::new(t)))
                }),
            _ => env_var(provider.api_key_env).map(|k| Credential::ApiKey(ApiKey::new(k))),
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// Whether a client without a credential cannot call anything: the provider documents
/// a scheme, and every operation requires it.
pub(crate) fn credential_required(provider: &Provider) -> bool {
    !provider.auth.is_empty() && provider.operations.iter().all(|op| op.requires_auth)
}

/// [`Error::MissingCredentials`], naming every environment variable and builder method
/// that would do, in the order of the provider's schemes.
pub(crate) fn missing_credentials(provider: &Provider, preferred: Option<AuthScheme>) -> Error {
    let prefix = provider.env_prefix;
    let mut vars: Vec<String> = Vec::new();
    let mut methods: Vec<&str> = Vec::new();
    let mut push = |list_var: Option<String>, method: &'static str| {
        if let Some(var) = list_var
            && !vars.contains(&var)
        {
            vars.push(var);
        }
        if !methods.contains(&method) {
            methods.push(method);
        }
    };
    let schemes = schemes(provider, preferred);
    let single = schemes.iter().any(AuthScheme::takes_single_secret);
    for scheme in &schemes {
        match scheme {
            AuthScheme::Basic => push(
                (!prefix.is_empty()).then(|| format!("{prefix}_USERNAME and {prefix}_PASSWORD")),
                ".basic_auth(...)",
            ),
            AuthScheme::OAuth2ClientCredentials { .. } => {
                push(
                    (!prefix.is_empty())
                        .then(|| format!("{prefix}_CLIENT_ID and {prefix}_CLIENT_SECRET")),
                    ".oauth2_client_credentials(...)",
                );
                if !single {
                    push(Some(provider.api_key_env.to_owned()), ".access_token(...)");
                }
            }
            _ => push(Some(provider.api_key_env.to_owned()), ".api_key(...)"),
        }
    }
    let methods = methods.join(" or ");
    let help = match vars.len() {
        0 => format!("call {methods}"),
        1 => format!("set {} or call {methods}", vars[0]),
        _ => format!("set {}, or call {methods}", vars.join(", or ")),
    };
    Error::MissingCredentials {
        provider: provider.name,
        env_var: provider.api_key_env,
        help,
    }
}

/// What the runtime adds to each request for the base URL's origin.
pub(crate) enum Auth {
    /// No credential.
    None,
    /// A prepared, sensitive header: bearer, apiKey in a header, basic, access token.
    Header {
        scheme: AuthScheme,
        name: HeaderName,
        value: HeaderValue,
    },
    /// `?<name>=<key>`.
    Query { name: &'static str, key: ApiKey },
    /// `<name>=<key>`, added to the `Cookie` header.
    Cookie { name: &'static str, pair: ApiKey },
    /// OAuth2 client credentials: a token fetched on demand.
    OAuth2(Box<ClientCredentials>),
}

fn invalid(name: &str, reason: impl Into<String>) -> Error {
    Error::InvalidArgument {
        name: name.to_owned(),
        reason: reason.into(),
    }
}

fn non_empty(name: &str, secret: &str) -> Result<(), Error> {
    if secret.trim().is_empty() {
        Err(invalid(name, "is empty"))
    } else {
        Ok(())
    }
}

fn sensitive(name: &str, value: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| invalid(name, "contains characters not allowed in an HTTP header"))?;
    value.set_sensitive(true);
    Ok(value)
}

fn basic_value(username: &str, password: &str) -> HeaderValue {
    let mut value = HeaderValue::try_from(format!(
        "Basic {}",
        base64(format!("{username}:{password}").as_bytes())
    ))
    .expect("base64 is a valid header value");
    value.set_sensitive(true);
    value
}

impl Auth {
    /// Checks and prepares `credential` for `provider`; `preferred` is the builder's
    /// `.auth_scheme` override, `base_url` resolves a relative token URL.
    pub(crate) fn new(
        credential: Option<Credential>,
        preferred: Option<AuthScheme>,
        provider: &Provider,
        base_url: &Url,
    ) -> Result<Auth, Error> {
        let Some(credential) = credential else {
            return Ok(Auth::None);
        };
        match credential {
            Credential::ApiKey(key) => {
                let scheme = preferred
                    .or_else(|| provider.auth.iter().copied().find(AuthScheme::takes_single_secret))
                    .or_else(|| {
                        provider
                            .auth
                            .iter()
                            .any(|s| matches!(s, AuthScheme::OAuth2ClientCredentials { .. }))
                            .then_some(AuthScheme::Bearer)
                    })
                    .ok_or_else(|| {
                        invalid(
                            "api_key",
                            format!(
                                "{} takes no API key{}: call .auth_scheme(...) to say how to send it",
                                provider.title,
                                match provider.auth.first() {
                                    Some(AuthScheme::Basic) => " (it uses .basic_auth(...))",
                                    _ => "",
                                }
                            ),
                        )
                    })?;
                Auth::single("api_key", scheme, key, provider)
            }
            Credential::AccessToken(token) => {
                Auth::single("access_token", AuthScheme::Bearer, token, provider)
            }
            Credential::Basic { username, password } => {
                Auth::basic(username.expose_secret(), password.expose_secret())
            }
            Credential::ClientCredentials {
                client_id,
                client_secret,
            } => {
                let scheme = preferred
                    .into_iter()
                    .chain(provider.auth.iter().copied())
                    .find(|s| matches!(s, AuthScheme::OAuth2ClientCredentials { .. }))
                    .ok_or_else(|| {
                        invalid(
                            "oauth2_client_credentials",
                            format!(
                                "{} documents no OAuth2 client-credentials flow: call \
                                 .auth_scheme(AuthScheme::OAuth2ClientCredentials {{ .. }}) \
                                 with its token URL",
                                provider.title
                            ),
                        )
                    })?;
                let AuthScheme::OAuth2ClientCredentials { token_url, scopes } = scheme else {
                    unreachable!("found above")
                };
                ClientCredentials::new(
                    token_url,
                    scopes,
                    client_id.expose_secret(),
                    client_secret.expose_secret(),
                    base_url,
                )
                .map(|cc| Auth::OAuth2(Box::new(cc)))
            }
        }
    }

    /// The credential of one named security scheme (`.credential(name, secret)` or its
    /// environment variable): the key of an `apiKey` scheme, a bearer token for bearer
    /// and OAuth2 schemes, `username:password` for basic.
    pub(crate) fn for_scheme(
        scheme: &crate::SecurityScheme,
        secret: SecretString,
        provider: &Provider,
    ) -> Result<Auth, Error> {
        let sent_as = match scheme.scheme {
            AuthScheme::OAuth2ClientCredentials { .. } => AuthScheme::Bearer,
            other => other,
        };
        let key = ApiKey::new(secret.expose_secret());
        Auth::single(
            &format!("credential `{}`", scheme.name),
            sent_as,
            key,
            provider,
        )
    }

    /// Whether this credential (the client's one, not a named scheme's) can stand for
    /// `scheme`: it travels the same way.
    pub(crate) fn fits(&self, scheme: &AuthScheme) -> bool {
        match (self, scheme) {
            (Auth::None, _) => false,
            (Auth::OAuth2(_), AuthScheme::OAuth2ClientCredentials { .. }) => true,
            (
                Auth::Header {
                    scheme: AuthScheme::Bearer,
                    ..
                },
                AuthScheme::OAuth2ClientCredentials { .. },
            ) => true,
            (auth, scheme) => auth.scheme().as_ref() == Some(scheme),
        }
    }
    fn single(
        what: &str,
        scheme: AuthScheme,
        key: ApiKey,
        provider: &Provider,
    ) -> Result<Auth, Error> {
        let secret = key.expose();
        non_empty(what, secret)?;
        Ok(match scheme {
            AuthScheme::Bearer | AuthScheme::OAuth2ClientCredentials { .. } => Auth::Header {
                scheme: AuthScheme::Bearer,
                name: AUTHORIZATION,
                value: sensitive(what, &format!("Bearer {secret}"))?,
            },
            AuthScheme::Header(name) => Auth::Header {
                scheme,
                name: HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    invalid(
                        "auth_scheme",
                        format!("{name:?} is not a valid header name"),
                    )
                })?,
                value: sensitive(what, secret)?,
            },
            AuthScheme::Query(name) => {
                if name.is_empty() {
                    return Err(invalid("auth_scheme", "the query parameter name is empty"));
                }
                Auth::Query { name, key }
            }
            AuthScheme::Cookie(name) => {
                if name.is_empty() || name.contains(['=', ';', ' ', ',']) {
                    return Err(invalid(
                        "auth_scheme",
                        format!("{name:?} is not a cookie name"),
                    ));
                }
                if secret.contains([';', ',']) {
                    return Err(invalid(what, "contains characters not allowed in a cookie"));
                }
                sensitive(what, secret)?;
                Auth::Cookie {
                    name,
                    pair: ApiKey::new(format!("{name}={secret}")),
                }
            }
            AuthScheme::Basic => {
                let (username, password) = secret.split_once(':').ok_or_else(|| {
                    invalid(
                        what,
                        format!(
                            "{} uses HTTP basic auth: give `username:password`, or call \
                             .basic_auth(...)",
                            provider.title
                        ),
                    )
                })?;
                Auth::basic(username, password)?
            }
        })
    }

    fn basic(username: &str, password: &str) -> Result<Auth, Error> {
        non_empty("username", username)?;
        if username.contains(':') {
            return Err(invalid(
                "username",
                "contains `:`, which HTTP basic auth does not allow",
            ));
        }
        if username
            .chars()
            .chain(password.chars())
            .any(char::is_control)
        {
            return Err(invalid("basic_auth", "contains control characters"));
        }
        Ok(Auth::Header {
            scheme: AuthScheme::Basic,
            name: AUTHORIZATION,
            value: basic_value(username, password),
        })
    }

    /// The scheme in use, `None` without a credential.
    pub(crate) fn scheme(&self) -> Option<AuthScheme> {
        match self {
            Auth::None => None,
            Auth::Header { scheme, .. } => Some(*scheme),
            Auth::Query { name, .. } => Some(AuthScheme::Query(name)),
            Auth::Cookie { name, .. } => Some(AuthScheme::Cookie(name)),
            Auth::OAuth2(cc) => Some(AuthScheme::OAuth2ClientCredentials {
                token_url: cc.token_url_spec,
                scopes: cc.scopes,
            }),
        }
    }

    /// How the credential travels, with every secret shown as `[REDACTED]`.
    pub(crate) fn redacted(&self) -> String {
        match self {
            Auth::None => "none".to_owned(),
            Auth::Header {
                scheme: AuthScheme::Header(_),
                name,
                ..
            } => format!("{name}: [REDACTED]"),
            Auth::Header {
                scheme: AuthScheme::Basic,
                ..
            } => "Authorization: Basic [REDACTED]".to_owned(),
            Auth::Header { .. } => "Authorization: Bearer [REDACTED]".to_owned(),
            Auth::Query { name, .. } => format!("?{name}=[REDACTED]"),
            Auth::Cookie { name, .. } => format!("Cookie: {name}=[REDACTED]"),
            Auth::OAuth2(cc) => format!(
                "OAuth2 client credentials (token URL {}, client [REDACTED])",
                cc.token_url
            ),
        }
    }

    /// The query parameter the key travels in, if it does.
    pub(crate) fn query_name(&self) -> Option<&'static str> {
        match self {
            Auth::Query { name, .. } => Some(name),
            _ => None,
        }
    }
}

/// Adds `name=value` to the request's `Cookie` header (merged into one header).
pub(crate) fn add_cookie(headers: &mut HeaderMap, pair: &str) {
    let mut cookies: Vec<String> = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.trim().trim_end_matches(';').to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    cookies.push(pair.to_owned());
    let mut value = HeaderValue::try_from(cookies.join("; "))
        .expect("each part was checked to be a valid header value");
    value.set_sensitive(true);
    headers.insert(COOKIE, value);
}

/// The OAuth2 client-credentials flow (RFC 6749 §4.4): the token endpoint, the client's
/// prepared `Authorization: Basic` header, and the cached token.
pub(crate) struct ClientCredentials {
    token_url_spec: &'static str,
    token_url: Url,
    scopes: &'static [&'static str],
    /// `Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1), sensitive.
    client_auth: HeaderValue,
    /// One fetch at a time; shared by every clone of the runtime.
    token: futures_util::lock::Mutex<Option<Token>>,
}

struct Token {
    /// `Bearer <access token>`, sensitive.
    header: HeaderValue,
    /// When to fetch a new one; `None`: until the API answers 401.
    refresh_at: Option<Instant>,
}

impl Token {
    fn fresh(&self, now: Instant) -> bool {
        self.refresh_at.is_none_or(|at| now < at)
    }
}

/// When a token that lives `expires_in` from `obtained` must be replaced: when less
/// than [`REFRESH_MARGIN`] of its life is left (at once for tokens shorter than that).
pub(crate) fn refresh_at(obtained: Instant, expires_in: Option<Duration>) -> Option<Instant> {
    expires_in.map(|life| obtained + life.saturating_sub(REFRESH_MARGIN))
}

impl ClientCredentials {
    fn new(
        token_url_spec: &'static str,
        scopes: &'static [&'static str],
        client_id: &str,
        client_secret: &str,
        base_url: &Url,
    ) -> Result<Self, Error> {
        non_empty("client_id", client_id)?;
        non_empty("client_secret", client_secret)?;
        // Relative to the base URL taken as a directory (the builder trims its '/').
        let mut base = base_url.clone();
        if !base.path().ends_with('/') {
            base.set_path(&format!("{}/", base.path()));
        }
        let token_url = base
            .join(token_url_spec)
            .map_err(|e| invalid("token_url", format!("{token_url_spec:?} is not a URL: {e}")))?;
        if !matches!(token_url.scheme(), "http" | "https") {
            return Err(invalid(
                "token_url",
                format!("{token_url} must use http or https"),
            ));
        }
        let client_auth = basic_value(&form_encode(client_id), &form_encode(client_secret));
        Ok(ClientCredentials {
            token_url_spec,
            token_url,
            scopes,
            client_auth,
            token: futures_util::lock::Mutex::new(None),
        })
    }

    /// `Bearer <token>`: the cached token while fresh, else a new one from the endpoint.
    pub(crate) async fn bearer(
        &self,
        http: &reqwest::Client,
        user_agent: &HeaderValue,
        provider: &'static str,
        operation: &'static str,
        attempt: crate::error::Attempt,
    ) -> Result<HeaderValue, Error> {
        let mut cached = self.token.lock().await;
        if let Some(token) = cached.as_ref()
            && token.fresh(Instant::now())
        {
            return Ok(token.header.clone());
        }
        let token = self
            .fetch(http, user_agent, provider, operation, attempt)
            .await?;
        let header = token.header.clone();
        *cached = Some(token);
        Ok(header)
    }

    /// Drops the cached token if it is the one `sent` (the API refused it with a 401),
    /// so that the next request fetches a new one.
    pub(crate) async fn invalidate(&self, sent: &HeaderValue) {
        let mut cached = self.token.lock().await;
        if cached.as_ref().is_some_and(|t| t.header == *sent) {
            *cached = None;
        }
    }

    async fn fetch(
        &self,
        http: &reqwest::Client,
        user_agent: &HeaderValue,
        provider: &'static str,
        operation: &'static str,
        attempt: crate::error::Attempt,
    ) -> Result<Token, Error> {
        let mut body = format!("grant_type={}", form_encode("client_credentials"));
        if !self.scopes.is_empty() {
            body.push_str("&scope=");
            body.push_str(&form_encode(&self.scopes.join(" ")));
        }
        tracing::debug!(token_url = %self.token_url, "fetching an OAuth2 access token");
        let transport = |e: reqwest::Error| Error::transport(provider, operation, e, attempt);
        let obtained = Instant::now();
        let mut response = http
            .post(self.token_url.clone())
            .header(AUTHORIZATION, self.client_auth.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .header(reqwest::header::USER_AGENT, user_agent.clone())
            .body(body)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let mut bytes = bytes::BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if bytes.len() + chunk.len() > MAX_TOKEN_RESPONSE_BYTES {
                return Err(self.decode_error(
                    provider,
                    operation,
                    status,
                    &headers,
                    format!("the token endpoint's response is larger than {MAX_TOKEN_RESPONSE_BYTES} bytes"),
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        let bytes: Bytes = bytes.freeze();
        let json: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
        if !status.is_success() {
            return Err(self.endpoint_error(provider, operation, status, &headers, &bytes, json));
        }
        let decode = |reason: &str| {
            self.decode_error(provider, operation, status, &headers, reason.to_owned())
        };
        let json = json.ok_or_else(|| decode("the token endpoint's response is not JSON"))?;
        let access_token = json
            .get("access_token")
            .and_then(|t| t.as_str())
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| decode("the token endpoint's response has no `access_token` string"))?;
        match json.get("token_type") {
            None | Some(serde_json::Value::Null) => {}
            Some(serde_json::Value::String(t)) if t.eq_ignore_ascii_case("bearer") => {}
            Some(_) => return Err(decode("the token endpoint's `token_type` is not `Bearer`")),
        }
        let expires_in = match json.get("expires_in") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Number(n)) => Some(n.as_f64().unwrap_or(0.0)),
            Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
            Some(_) => None,
        }
        .filter(|secs| secs.is_finite())
        .map(|secs| Duration::from_secs_f64(secs.clamp(0.0, 1e9)));
        let mut header = HeaderValue::try_from(format!("Bearer {access_token}")).map_err(|_| {
            decode("the access token contains characters not allowed in an HTTP header")
        })?;
        header.set_sensitive(true);
        Ok(Token {
            header,
            refresh_at: refresh_at(obtained, expires_in),
        })
    }

    /// A non-2xx answer of the token endpoint: `Error::Unauthorized` (bad client, grant
    /// or scope), or `RateLimited`/`Server` for 429 and 5xx, with the endpoint's status
    /// and message (RFC 6749 §5.2 `error_description`/`error`).
    fn endpoint_error(
        &self,
        provider: &'static str,
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        body: &[u8],
        json: Option<serde_json::Value>,
    ) -> Error {
        let detail = json
            .as_ref()
            .and_then(|j| {
                let error = j.get("error").and_then(|e| e.as_str());
                let description = j.get("error_description").and_then(|e| e.as_str());
                match (error, description) {
                    (Some(e), Some(d)) => Some(format!("{e}: {d}")),
                    (Some(e), None) => Some(e.to_owned()),
                    (None, Some(d)) => Some(d.to_owned()),
                    (None, None) => None,
                }
            })
            .unwrap_or_else(|| {
                crate::response_facts::message(
                    json.as_ref(),
                    &String::from_utf8_lossy(body),
                    status,
                )
            });
        let error = Box::new(ApiError {
            provider,
            operation,
            status,
            request_id: crate::response_facts::request_id(headers, json.as_ref()),
            retry_after: None,
            message: format!("token endpoint {}: {detail}", self.token_url),
            json,
            typed: None,
        });
        match status.as_u16() {
            429 => Error::RateLimited(error),
            500..=599 => Error::Server(error),
            _ => Error::Unauthorized(error),
        }
    }

    /// A 2xx answer that is not a usable token. The body is not kept: it may hold one.
    fn decode_error(
        &self,
        provider: &'static str,
        operation: &'static str,
        status: StatusCode,
        headers: &HeaderMap,
        reason: String,
    ) -> Error {
        Error::Decode(Box::new(DecodeError {
            provider,
            operation,
            status,
            content_type: headers
                .get(CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            request_id: crate::response_facts::request_id(headers, None),
            body_start: "[REDACTED]".to_owned(),
            reason: format!("{reason} ({})", self.token_url),
        }))
    }
}

/// `application/x-www-form-urlencoded` encoding of one name or value.
pub(crate) fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// Standard base64 with padding (RFC 4648 §4), for `Authorization: Basic`.
pub(crate) fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
            ("user:pass", "dXNlcjpwYXNz"),
            ("Aladdin:open sesame", "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="),
        ];
        for (input, expected) in cases {
            assert_eq!(base64(input.as_bytes()), expected, "{input:?}");
        }
        assert_eq!(base64(&[0xff, 0xfe, 0xfd]), "//79");
    }

    #[test]
    fn form_encoding() {
        assert_eq!(form_encode("client_credentials"), "client_credentials");
        assert_eq!(form_encode("read write"), "read+write");
        assert_eq!(form_encode("a:b/c=d&é"), "a%3Ab%2Fc%3Dd%26%C3%A9");
    }

    #[test]
    fn tokens_are_refreshed_with_a_margin() {
        let t0 = Instant::now();
        let hour = refresh_at(t0, Some(Duration::from_secs(3600))).unwrap();
        assert_eq!(hour - t0, Duration::from_secs(3570));
        let token = |refresh_at| Token {
            header: HeaderValue::from_static("Bearer t"),
            refresh_at,
        };
        assert!(token(Some(hour)).fresh(t0 + Duration::from_secs(3569)));
        assert!(!token(Some(hour)).fresh(t0 + Duration::from_secs(3570)));
        // Shorter than the margin: used for the request that fetched it only.
        let short = refresh_at(t0, Some(Duration::from_secs(20)));
        assert!(!token(short).fresh(t0));
        // No expires_in: kept until the API answers 401.
        assert!(token(refresh_at(t0, None)).fresh(t0 + Duration::from_secs(1 << 30)));
    }
}

//! The state every generated client carries (progenitor's "inner type"), the hooks the
//! generated code calls around each request, and [`call`], which turns progenitor's
//! result into this crate's [`Error`] taxonomy.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, USER_AGENT};
use reqwest::{Request, Response, StatusCode, Url};
use tracing::Instrument;

use crate::auth::{Auth, add_cookie, missing_credentials};
use crate::call::RequestOptions;
use crate::error::{ApiError, Attempt, DecodeError, Error};
use crate::provider::{AuthScheme, Provider};
use crate::retry::{Bucket, Failure, RetryPolicy, Sleep, is_retryable, requested_delay};

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
    pub(crate) user_agent: HeaderValue,
    /// The client requests go through; also fetches OAuth2 tokens.
    pub(crate) http: reqwest::Client,
    pub(crate) retry: RetryPolicy,
    /// The retry budget's bucket, shared by the clones.
    pub(crate) budget: Bucket,
    pub(crate) sleep: Sleep,
    pub(crate) max_response_bytes: usize,
    /// The builder's total and connect timeouts; `None` with a caller's `reqwest::Client`.
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Option<Duration>,
    #[cfg(feature = "rate-limit")]
    pub(crate) limiter: Option<crate::rate_limit::Limiter>,
}

// What one `call` learns from the hooks, passed through a task-local because
// progenitor's hooks cannot return it: the last response's metadata and body, and an
// argument error found before sending.
tokio::task_local! {
    static CALL: Arc<Mutex<CallState>>;
}

#[derive(Default)]
struct CallState {
    /// The call's own settings (`with_options`), read by `prepare` and `execute`.
    options: Option<RequestOptions>,
    /// Requests sent by the call's last `execute`.
    attempts: u32,
    /// The timeouts and attempts the last request had, for [`Error::Timeout`].
    attempt: Attempt,
    response: Option<ResponseMeta>,
    invalid: Option<Error>,
    /// The body was larger than this many bytes and was not read.
    oversized: Option<usize>,
}

struct ResponseMeta {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    retry_after: Option<Duration>,
}

fn record(f: impl FnOnce(&mut CallState)) {
    // Outside `call` (a raw progenitor `send()`), there is nothing to record into.
    let _ =
        CALL.try_with(|state| f(&mut state.lock().expect("never poisoned: no panics while held")));
}

/// The options of the call being made, if it has any.
fn call_options() -> Option<RequestOptions> {
    CALL.try_with(|state| state.lock().expect("never poisoned").options.clone())
        .ok()
        .flatten()
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

    /// The query parameter the credential travels in, when it does.
    pub(crate) fn query_credential_name(&self) -> Option<&'static str> {
        self.shared.auth.query_name()
    }

    /// Runs before every request (progenitor's `ClientHooks::pre`): checks the documented
    /// ranges of numeric query parameters, checks that an operation that
    /// [requires a credential](crate::Operation::requires_auth) has one, removes the
    /// `api-version` header progenitor adds, sets `User-Agent`, and adds the credential,
    /// but only when the request goes to the configured base URL's origin: a sensitive
    /// header, a query parameter, a cookie, or an OAuth2 access token (fetched from the
    /// token endpoint when none is cached or it is about to expire).
    ///
    /// A configured credential is sent to every operation of the base URL's origin,
    /// including those that do not require one (optional authentication).
    ///
    /// On an error nothing is sent: the error is recorded for [`call`], which returns it
    /// typed ([`Error::InvalidArgument`], [`Error::MissingCredentials`], or the token
    /// endpoint's [`Error::Unauthorized`]/[`Error::Connection`]/...), and returned here
    /// as its message.
    pub async fn prepare(&self, request: &mut Request, operation: &str) -> Result<(), String> {
        let shared = &*self.shared;
        let op = shared.provider.operation(operation);
        if let Some(op) = op {
            for bounds in op.bounds {
                for (name, value) in request.url().query_pairs() {
                    if name != bounds.name {
                        continue;
                    }
                    if let Err(reason) = check_bounds(&value, bounds.minimum, bounds.maximum) {
                        return Err(fail(Error::InvalidArgument {
                            name: name.into_owned(),
                            reason,
                        }));
                    }
                }
            }
        }
        // Operations not in the provider's table (none, in generated code) need one.
        let requires_auth = op.is_none_or(|op| op.requires_auth);
        if requires_auth && matches!(shared.auth, Auth::None) && !shared.provider.auth.is_empty() {
            return Err(fail(missing_credentials(shared.provider, None)));
        }
        let operation: &'static str = op.map_or("unknown", |op| op.id);
        let same_origin = same_origin(request.url(), &shared.base_url);
        let headers = request.headers_mut();
        headers.remove("api-version");
        headers.insert(USER_AGENT, shared.user_agent.clone());
        if let Some(options) = call_options() {
            let credential_headers: Vec<&str> = shared
                .provider
                .auth
                .iter()
                .copied()
                .chain(shared.auth.scheme())
                .filter_map(|scheme| scheme.header_name())
                .collect();
            let extra = options.checked_headers(&credential_headers).map_err(fail)?;
            let headers = request.headers_mut();
            for (name, value) in extra {
                headers.insert(name, value);
            }
            if let Some(timeout) = options.timeout {
                *request.timeout_mut() = Some(timeout);
            }
        }
        let headers = request.headers_mut();
        if !same_origin {
            if let Auth::Header { name, .. } = &shared.auth {
                headers.remove(name);
            }
            return Ok(());
        }
        match &shared.auth {
            Auth::None => {}
            Auth::Header { name, value, .. } => {
                headers.insert(name.clone(), value.clone());
            }
            Auth::Cookie { pair, .. } => add_cookie(headers, pair.expose()),
            Auth::Query { name, key } => {
                request
                    .url_mut()
                    .query_pairs_mut()
                    .append_pair(name, key.expose());
            }
            Auth::OAuth2(flow) => {
                let bearer = flow
                    .bearer(
                        &shared.http,
                        &shared.user_agent,
                        shared.provider.name,
                        operation,
                        Attempt {
                            timeout: shared.timeout,
                            connect_timeout: shared.connect_timeout,
                            attempt: 1,
                            max_attempts: 1,
                        },
                    )
                    .await
                    .map_err(fail)?;
                headers.insert(AUTHORIZATION, bearer);
            }
        }
        Ok(())
    }

    /// Sends a prepared request (progenitor's `ClientHooks::exec`): waits for the rate
    /// limiter if enabled, retries as the [`RetryPolicy`] says, reads the body (so that a
    /// failed call can report it), and traces one span per request.
    pub async fn execute(
        &self,
        http: &reqwest::Client,
        request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        // A test kit stub's `when(..)` builds a request to match, not to send.
        #[cfg(feature = "test-util")]
        if crate::testing::capturing() {
            return Ok(crate::testing::keep(request));
        }
        let span = tracing::info_span!(
            "tasks_sdk.request",
            provider = self.shared.provider.name,
            operation,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        self.execute_with_retries(http, request)
            .instrument(span)
            .await
    }

    async fn execute_with_retries(
        &self,
        http: &reqwest::Client,
        mut request: Request,
    ) -> reqwest::Result<Response> {
        let per_call = call_options().and_then(|options| options.retry);
        let policy = per_call.as_ref().unwrap_or(&self.shared.retry);
        let started = Instant::now();
        let idempotent = matches!(
            request.method().as_str(),
            "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE"
        );
        // The OAuth2 token this request carries, to drop it from the cache on a 401.
        let bearer = match &self.shared.auth {
            Auth::OAuth2(_) => request.headers().get(AUTHORIZATION).cloned(),
            _ => None,
        };
        let mut attempt = 1;
        let timeout = request.timeout().copied().or(self.shared.timeout);
        let max_attempts = if idempotent { policy.max_attempts } else { 1 };
        // What the last retry took from the budget, refunded on success.
        let mut last_cost = None;
        loop {
            #[cfg(feature = "rate-limit")]
            if let Some(limiter) = &self.shared.limiter {
                limiter.until_ready().await;
            }
            let next = if idempotent && attempt < policy.max_attempts {
                request.try_clone()
            } else {
                None
            };
            // Errors lose their URL: it may carry a query-string API key.
            let outcome = match http.execute(request).await {
                Ok(response) => self.buffer(response).await,
                Err(e) => Err(e.without_url()),
            };
            let delay = match &outcome {
                Ok((response, _)) => {
                    policy.delay_for_status(response.status(), response.headers(), attempt)
                }
                Err(e) if is_retryable(Failure::Transport(e)) => Some(policy.backoff(attempt)),
                Err(_) => None,
            };
            // The budget is charged only for a retry that would happen.
            let cost = match (delay, &next) {
                (Some(_), Some(_)) => {
                    let after_timeout = matches!(&outcome, Err(e) if e.is_timeout());
                    let cost = self.shared.budget.acquire(after_timeout);
                    if cost.is_none() {
                        tracing::debug!(attempt, "retry budget exhausted: not retrying");
                    }
                    cost
                }
                _ => None,
            };
            if let (Some(delay), Some(next), Some(cost)) = (delay, next, cost) {
                last_cost = Some(cost);
                tracing::debug!(
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    outcome = %describe(&outcome),
                    "retrying"
                );
                self.shared.sleep.sleep(delay).await;
                request = next;
                attempt += 1;
                continue;
            }
            let span = tracing::Span::current();
            span.record("attempts", attempt);
            record(|state| {
                state.attempts = attempt;
                state.attempt = Attempt {
                    timeout,
                    connect_timeout: self.shared.connect_timeout,
                    attempt,
                    max_attempts,
                };
            });
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            return match outcome {
                Ok((response, body)) => {
                    span.record("status", response.status().as_u16());
                    if response.status().as_u16() < 400 {
                        self.shared.budget.succeeded(last_cost);
                    }
                    if response.status() == StatusCode::UNAUTHORIZED
                        && let (Auth::OAuth2(flow), Some(sent)) = (&self.shared.auth, &bearer)
                    {
                        flow.invalidate(sent).await;
                    }
                    let meta = ResponseMeta {
                        status: response.status(),
                        headers: response.headers().clone(),
                        body,
                        retry_after: requested_delay(response.headers()),
                    };
                    record(|state| state.response = Some(meta));
                    tracing::debug!(status = response.status().as_u16(), "response");
                    Ok(response)
                }
                Err(e) => {
                    tracing::debug!(error = %e, "request failed");
                    Err(e)
                }
            };
        }
    }
}

impl Runtime {
    /// Reads the whole body (at most `max_response_bytes`), then hands progenitor an
    /// equivalent response over those bytes. A larger body is not read on: the call
    /// records it and fails with [`Error::Decode`], and progenitor sees an empty body.
    /// The handed-over response's URL has no query-string API key, and errors no URL.
    async fn buffer(&self, mut response: Response) -> reqwest::Result<(Response, Bytes)> {
        use reqwest::ResponseBuilderExt;
        let limit = self.shared.max_response_bytes;
        let status = response.status();
        let version = response.version();
        let url = self.without_key(response.url());
        let headers = response.headers().clone();
        let mut body = bytes::BytesMut::new();
        let mut too_large = response.content_length().is_some_and(|n| n > limit as u64);
        while !too_large
            && let Some(chunk) = response
                .chunk()
                .await
                .map_err(reqwest::Error::without_url)?
        {
            too_large = body.len() + chunk.len() > limit;
            if !too_large {
                body.extend_from_slice(&chunk);
            }
        }
        let body = if too_large {
            record(|state| state.oversized = Some(limit));
            Bytes::new()
        } else {
            body.freeze()
        };
        let mut rebuilt = http::Response::builder()
            .status(status)
            .version(version)
            .url(url);
        if let Some(h) = rebuilt.headers_mut() {
            *h = headers;
        }
        let rebuilt = rebuilt
            .body(body.clone())
            .expect("status, version and headers came from a valid response");
        Ok((Response::from(rebuilt), body))
    }

    /// `url` without the query-string API key, if the key travels there.
    fn without_key(&self, url: &Url) -> Url {
        let Some(name) = self.shared.auth.query_name() else {
            return url.clone();
        };
        if !url.query_pairs().any(|(n, _)| n == name) {
            return url.clone();
        }
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(n, _)| n != name)
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        let mut url = url.clone();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
        url
    }
}

/// Records `error` for [`call`] and returns its message (for progenitor's
/// `Error::InvalidRequest`).
fn fail(error: Error) -> String {
    let message = error.to_string();
    record(|state| state.invalid = Some(error));
    message
}

fn describe(outcome: &reqwest::Result<(Response, Bytes)>) -> String {
    match outcome {
        Ok((response, _)) => format!("HTTP {}", response.status()),
        Err(e) => e.to_string(),
    }
}

fn check_bounds(value: &str, minimum: Option<f64>, maximum: Option<f64>) -> Result<(), String> {
    let number: f64 = value
        .parse()
        .map_err(|_| format!("must be a number, got {value:?}"))?;
    let range = match (minimum, maximum) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => return Ok(()),
    };
    if minimum.is_some_and(|min| number < min) || maximum.is_some_and(|max| number > max) {
        return Err(format!("must be {range}, got {value}"));
    }
    Ok(())
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

/// Awaits a generated operation's `send()` and returns its value, or its failure in this
/// crate's [`Error`] taxonomy. The generated `call()` methods are this, one line each.
pub async fn call<T, E, F>(
    provider: &'static Provider,
    operation: &'static str,
    send: F,
) -> Result<T, Error>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    call_inner(provider, operation, None, send)
        .await
        .map(crate::Response::into_inner)
}

/// [`call`], returning the body with the response's metadata ([`crate::Response`]:
/// status, headers, request id, attempts). The generated `call_with_response()` methods
/// are this, one line each.
pub async fn call_with_response<T, E, F>(
    provider: &'static Provider,
    operation: &'static str,
    send: F,
) -> Result<crate::Response<T>, Error>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    call_inner(provider, operation, None, send).await
}

/// [`call`] with per-call [`RequestOptions`] (a timeout, headers, a retry policy) that
/// apply to this call only. Generated builders offer it as
/// `.with_options(options).call()` ([`crate::WithOptions`]).
pub async fn call_with_options<T, E, F>(
    provider: &'static Provider,
    operation: &'static str,
    options: RequestOptions,
    send: F,
) -> Result<T, Error>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    call_inner(provider, operation, Some(options), send)
        .await
        .map(crate::Response::into_inner)
}

pub(crate) async fn call_inner<T, E, F>(
    provider: &'static Provider,
    operation: &'static str,
    options: Option<RequestOptions>,
    send: F,
) -> Result<crate::Response<T>, Error>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    let state = Arc::new(Mutex::new(CallState {
        options,
        ..CallState::default()
    }));
    let result = CALL.scope(state.clone(), send).await;
    let state = std::mem::take(&mut *state.lock().expect("never poisoned"));
    Conversion {
        provider,
        operation,
        state,
    }
    .convert(result)
    .await
}

struct Conversion {
    provider: &'static Provider,
    operation: &'static str,
    state: CallState,
}

impl Conversion {
    async fn convert<T, E>(
        mut self,
        result: Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
    ) -> Result<crate::Response<T>, Error>
    where
        E: Send + Sync + 'static,
    {
        use progenitor_client::Error as P;
        if let (Some(limit), Some(meta)) = (self.state.oversized, &self.state.response) {
            return Err(self.decode_error(
                meta.status,
                format!("the body is larger than the {limit}-byte limit"),
            ));
        }
        match result {
            Ok(value) => match self.envelope_error() {
                Some(error) => Err(error),
                None => {
                    let headers = value.headers().clone();
                    let request_id = request_id(&headers, None).or_else(|| {
                        let body = &self.state.response.as_ref()?.body;
                        request_id(
                            &HeaderMap::new(),
                            serde_json::from_slice(body).ok().as_ref(),
                        )
                    });
                    Ok(crate::Response {
                        status: value.status(),
                        headers,
                        request_id,
                        attempts: self.state.attempts,
                        inner: value.into_inner(),
                    })
                }
            },
            Err(P::ErrorResponse(value)) => {
                let status = value.status();
                Err(self.api_error(status, Some(Arc::new(value.into_inner()))))
            }
            Err(P::UnexpectedResponse(response)) => {
                let status = response.status();
                if self.state.response.is_none() {
                    // Not buffered by our exec (should not happen): read it here.
                    let headers = response.headers().clone();
                    let body = response.bytes().await.unwrap_or_default();
                    self.state.response = Some(ResponseMeta {
                        status,
                        headers,
                        body,
                        retry_after: None,
                    });
                }
                if status.is_success() {
                    Err(self.decode_error(
                        status,
                        format!("HTTP {status} is not a documented response"),
                    ))
                } else {
                    // A status the spec does not list: the provider's common error body,
                    // if it declares one.
                    Err(self.api_error(status, self.common_error_body()))
                }
            }
            Err(P::InvalidResponsePayload(body, e)) => {
                let status = self
                    .state
                    .response
                    .as_ref()
                    .map_or(StatusCode::OK, |m| m.status);
                if let Some(meta) = &mut self.state.response {
                    meta.body = body;
                }
                if status.is_success() {
                    // An error envelope need not have the success body's shape.
                    Err(self
                        .envelope_error()
                        .unwrap_or_else(|| self.decode_error(status, e.to_string())))
                } else {
                    // An error status whose body is not the documented one (an HTML 502
                    // page, say): still an error of that status.
                    Err(self.api_error(status, None))
                }
            }
            Err(P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e)) => Err(
                Error::transport(self.provider.name, self.operation, e, self.state.attempt),
            ),
            Err(P::InvalidRequest(message) | P::Custom(message)) => Err(self
                .state
                .invalid
                .take()
                .unwrap_or_else(|| invalid_argument(message))),
        }
    }

    /// The body decoded as the operation's error type, when the provider declares a
    /// common error schema ([`crate::Operation::error_body`]).
    fn common_error_body(&self) -> Option<Arc<dyn crate::error::TypedBody>> {
        let decoder = self.provider.operation(self.operation)?.error_body?;
        decoder.decode(&self.state.response.as_ref()?.body)
    }

    fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.state.response.as_ref()?.body).ok()
    }

    /// A 2xx whose body matches the operation's declared error envelope.
    fn envelope_error(&self) -> Option<Error> {
        let envelope = self.provider.operation(self.operation)?.error_envelope?;
        let status = self.state.response.as_ref()?.status;
        let json = self.body_json()?;
        (json.pointer(envelope.pointer)?.as_str()? == envelope.value).then(|| {
            Error::Api(Box::new(
                self.api_error_parts(status, self.common_error_body()),
            ))
        })
    }

    fn api_error_parts(
        &self,
        status: StatusCode,
        typed: Option<Arc<dyn crate::error::TypedBody>>,
    ) -> ApiError {
        let meta = self.state.response.as_ref();
        let json = self.body_json();
        let text = meta
            .map(|m| String::from_utf8_lossy(&m.body).into_owned())
            .unwrap_or_default();
        ApiError {
            provider: self.provider.name,
            operation: self.operation,
            status,
            request_id: meta.and_then(|m| request_id(&m.headers, json.as_ref())),
            retry_after: meta.and_then(|m| m.retry_after),
            message: message(json.as_ref(), &text, status),
            json,
            typed,
        }
    }

    fn api_error(
        &self,
        status: StatusCode,
        typed: Option<Arc<dyn crate::error::TypedBody>>,
    ) -> Error {
        let error = Box::new(self.api_error_parts(status, typed));
        match status.as_u16() {
            401 => Error::Unauthorized(error),
            403 => Error::Forbidden(error),
            429 => Error::RateLimited(error),
            500..=599 => Error::Server(error),
            _ => Error::Api(error),
        }
    }

    fn decode_error(&self, status: StatusCode, reason: String) -> Error {
        let meta = self.state.response.as_ref();
        let body = meta.map(|m| m.body.clone()).unwrap_or_default();
        let start = &body[..body.len().min(DecodeError::SNIPPET_LEN)];
        Error::Decode(Box::new(DecodeError {
            provider: self.provider.name,
            operation: self.operation,
            status,
            content_type: meta
                .and_then(|m| m.headers.get(CONTENT_TYPE))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            request_id: meta.and_then(|m| request_id(&m.headers, self.body_json().as_ref())),
            body_start: String::from_utf8_lossy(start).into_owned(),
            reason,
        }))
    }
}

/// The argument error of a generated builder's `send()`. Parameter setters (as the
/// generator rewrites them) say ``invalid argument `NAME`: REASON``; progenitor's own
/// messages, e.g. "conversion to `T` for NAME failed" or "NAME was not initialized",
/// are reworded without the Rust type.
fn invalid_argument(message: String) -> Error {
    if let Some((name, reason)) = message
        .strip_prefix("invalid argument `")
        .and_then(|rest| rest.split_once("`: "))
    {
        return Error::InvalidArgument {
            name: name.to_owned(),
            reason: reason.to_owned(),
        };
    }
    if let Some(name) = message
        .strip_prefix("conversion to `")
        .and_then(|rest| rest.strip_suffix(" failed"))
        .and_then(|rest| rest.rsplit_once(" for "))
        .map(|(_, name)| name)
    {
        return Error::InvalidArgument {
            name: name.to_owned(),
            reason: "is not a valid value for this parameter".to_owned(),
        };
    }
    if let Some(name) = message.strip_suffix(" was not initialized") {
        return Error::InvalidArgument {
            name: name.to_owned(),
            reason: "is required: set it on the request builder".to_owned(),
        };
    }
    Error::InvalidArgument {
        name: "request".to_owned(),
        reason: message,
    }
}

/// The request id: an `x-request-id`/`request-id` header, else a body field.
pub(crate) fn request_id(headers: &HeaderMap, json: Option<&serde_json::Value>) -> Option<String> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|h| {
            headers
                .get(*h)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .or_else(|| {
            ["/request_id", "/requestId"]
                .iter()
                .find_map(|p| json?.pointer(p)?.as_str().map(str::to_owned))
        })
}

/// The most specific human-readable message the body offers, in the shapes the
/// providers use, else the first line of a text body, else the status reason.
pub(crate) fn message(json: Option<&serde_json::Value>, text: &str, status: StatusCode) -> String {
    const POINTERS: &[&str] = &[
        "/error/message",
        "/errors/0/message",
        "/message",
        "/error",
        "/title",
        "/detail",
    ];
    let from_json = json.and_then(|json| {
        POINTERS
            .iter()
            .find_map(|p| json.pointer(p)?.as_str().filter(|s| !s.trim().is_empty()))
    });
    let from_text = || {
        let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
        (json.is_none() && !line.starts_with('<'))
            .then(|| line.chars().take(200).collect::<String>())
    };
    from_json
        .map(str::to_owned)
        .or_else(from_text)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_come_from_each_providers_error_shape() {
        let status = StatusCode::BAD_REQUEST;
        let cases = [
            (
                json!({"error": {"code": "rate_limited", "message": "Slow down"}}),
                "Slow down",
            ),
            (
                json!({"errors": [{"type": "t", "code": "c", "message": "Bad cursor"}], "request_id": "r"}),
                "Bad cursor",
            ),
            (
                json!({"status": "error", "data": {}, "message": "Invalid key"}),
                "Invalid key",
            ),
            (
                json!({"error": "Invalid pagination parameters"}),
                "Invalid pagination parameters",
            ),
            (
                json!({"title": "One or more validation errors occurred.", "errors": {"limit": ["x"]}}),
                "One or more validation errors occurred.",
            ),
            (json!({"unexpected": true}), "Bad Request"),
        ];
        for (body, expected) in cases {
            assert_eq!(message(Some(&body), "", status), expected, "{body}");
        }
        assert_eq!(
            message(None, "upstream timed out\nmore", status),
            "upstream timed out"
        );
        assert_eq!(
            message(
                None,
                "<html><body>502</body></html>",
                StatusCode::BAD_GATEWAY
            ),
            "Bad Gateway"
        );
        assert_eq!(message(None, "", status), "Bad Request");
    }

    #[test]
    fn request_ids_from_headers_then_body() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            request_id(&headers, Some(&json!({"request_id": "req_body"}))).as_deref(),
            Some("req_body")
        );
        headers.insert("x-request-id", HeaderValue::from_static("req_header"));
        assert_eq!(
            request_id(&headers, Some(&json!({"request_id": "req_body"}))).as_deref(),
            Some("req_header")
        );
        assert_eq!(request_id(&HeaderMap::new(), None), None);
    }

    #[test]
    fn bounds_and_argument_names() {
        assert_eq!(check_bounds("100", Some(1.0), Some(100.0)), Ok(()));
        assert_eq!(
            check_bounds("0", Some(1.0), Some(100.0)).unwrap_err(),
            "must be between 1 and 100, got 0"
        );
        assert_eq!(
            check_bounds("101", None, Some(100.0)).unwrap_err(),
            "must be at most 100, got 101"
        );
        assert_eq!(
            check_bounds("0", Some(1.0), None).unwrap_err(),
            "must be at least 1, got 0"
        );
        assert_eq!(
            check_bounds("x", Some(1.0), None).unwrap_err(),
            "must be a number, got \"x\""
        );
    }

    #[test]
    fn builder_argument_errors_name_the_argument_not_a_rust_type() {
        let text = |message: &str| invalid_argument(message.to_owned()).to_string();
        assert_eq!(
            text("invalid argument `limit`: must be between 1 and 100, got 0"),
            "invalid argument `limit`: must be between 1 and 100, got 0"
        );
        let progenitor = text("conversion to `:: std :: num :: NonZeroU64` for limit failed");
        assert_eq!(
            progenitor,
            "invalid argument `limit`: is not a valid value for this parameter"
        );
        assert_eq!(
            text("task_id was not initialized"),
            "invalid argument `task_id`: is required: set it on the request builder"
        );
        assert_eq!(
            text("something else"),
            "invalid argument `request`: something else"
        );
    }
}

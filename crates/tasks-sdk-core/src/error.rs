//! One error taxonomy for every provider.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::StatusCode;

/// Everything a tasks-sdk client call can fail with, for every provider.
///
/// Match on the variant to decide what to do; [`Error::status`], [`Error::request_id`]
/// and [`Error::retry_after`] read the common fields. `Display` is one line and never
/// contains the credential.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// No credential was given or found in the environment, and the provider (or this
    /// operation) needs one. From `build()` when every operation needs a credential;
    /// else from the call of an operation that does (then nothing was sent).
    MissingCredentials {
        /// The provider's short name.
        provider: &'static str,
        /// The provider's single-secret environment variable
        /// ([`Provider::api_key_env`](crate::Provider::api_key_env)); `help` names every
        /// variable that would do.
        env_var: &'static str,
        /// What to do, e.g. `set DECK_API_KEY or call .api_key(...)`, or
        /// `set DECK_API_KEY, or DECK_USERNAME and DECK_PASSWORD, or call .api_key(...) or
        /// .basic_auth(...)`: every environment variable (or pair) and builder method that
        /// supplies a credential the provider accepts, in the spec's order.
        help: String,
    },
    /// An argument is out of its documented range or malformed; nothing was sent.
    InvalidArgument {
        /// The argument's name (a builder setting or an operation parameter).
        name: String,
        /// What is wrong with it (never the credential itself).
        reason: String,
    },
    /// HTTP 401: the credential is missing, wrong or expired.
    Unauthorized(Box<ApiError>),
    /// HTTP 403: the credential may not do this.
    Forbidden(Box<ApiError>),
    /// HTTP 429, after the retries the policy allows; see [`ApiError::retry_after`].
    RateLimited(Box<ApiError>),
    /// Any other error status (4xx, an unfollowed redirect), or a provider's error
    /// envelope in a 2xx body (PromptLoop's `status: "error"`).
    Api(Box<ApiError>),
    /// HTTP 5xx, after the retries the policy allows.
    Server(Box<ApiError>),
    /// The request or reading its response timed out, after the retries the policy
    /// allows. `Display` names the configured duration and the attempt, e.g. `timeout:
    /// deck list_tasks: no complete response within 30s (attempt 3 of 3)`.
    Timeout {
        /// The provider's short name.
        provider: &'static str,
        /// The operation, e.g. `list_tasks`.
        operation: &'static str,
        /// The configured duration that ran out: the total timeout of one attempt (the
        /// call's [`RequestOptions::timeout`](crate::RequestOptions::timeout), else the
        /// client's [`ClientBuilder::timeout`](crate::ClientBuilder::timeout)), or the
        /// connect timeout when no connection was made (`source.is_connect()`). `None`
        /// with a `reqwest::Client` of your own ([`ClientBuilder::http_client`](crate::ClientBuilder::http_client)),
        /// whose settings the runtime does not know.
        timeout: Option<Duration>,
        /// The attempt that timed out: 1 for the first request, 2 for its first retry...
        attempt: u32,
        /// The attempts the call could make (its retry policy's `max_attempts`; 1 for a
        /// request that is never retried).
        max_attempts: u32,
        /// reqwest's error, without its URL (which may carry a query-string API key).
        source: reqwest::Error,
    },
    /// The connection failed or broke, after the retries the policy allows.
    Connection {
        /// The provider's short name.
        provider: &'static str,
        /// The operation, e.g. `list_tasks`.
        operation: &'static str,
        /// reqwest's error, without its URL (which may carry a query-string API key).
        source: reqwest::Error,
    },
    /// A response arrived but its body is not what the spec describes.
    Decode(Box<DecodeError>),
    /// A paginated listing went in circles (a cursor came back, or empty pages kept
    /// saying "more"): the stream stops rather than loop.
    Pagination {
        /// What the provider did.
        reason: String,
    },
    /// The HTTP client could not be built (e.g. the TLS backend failed to initialise).
    /// Shared (`Arc`) so that [`Error::try_clone`] can copy it.
    HttpClient(Arc<reqwest::Error>),
}

// Written out rather than derived (thiserror): one enum does not pay for a proc-macro
// crate in every user's build of a provider crate.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MissingCredentials { provider, help, .. } => {
                write!(f, "missing credentials for {provider}: {help}")
            }
            Error::InvalidArgument { name, reason } => {
                write!(f, "invalid argument `{name}`: {reason}")
            }
            Error::Unauthorized(e) => write!(f, "unauthorized: {e}"),
            Error::Forbidden(e) => write!(f, "forbidden: {e}"),
            Error::RateLimited(e) => write!(f, "rate limited: {e}"),
            Error::Api(e) => write!(f, "API error: {e}"),
            Error::Server(e) => write!(f, "server error: {e}"),
            Error::Timeout {
                provider,
                operation,
                timeout,
                attempt,
                max_attempts,
                source,
            } => {
                let text = TimeoutText {
                    timeout: *timeout,
                    connecting: source.is_connect(),
                    phase: measured_phase(source),
                    attempt: *attempt,
                    max_attempts: *max_attempts,
                };
                write!(f, "timeout: {provider} {operation}: {text}")
            }
            Error::Connection {
                provider,
                operation,
                source,
            } => write!(f, "connection failed: {provider} {operation}: {source}"),
            Error::Decode(e) => write!(f, "undecodable response: {e}"),
            Error::Pagination { reason } => write!(f, "pagination stopped: {reason}"),
            Error::HttpClient(e) => write!(f, "could not build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout { source, .. } | Error::Connection { source, .. } => Some(source),
            Error::HttpClient(e) => Some(&**e),
            _ => None,
        }
    }
}

/// What a request that timed out was allowed: the configured timeouts and its attempt.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Attempt {
    /// The total timeout of one attempt, when known.
    pub(crate) timeout: Option<Duration>,
    /// The connect timeout, when known.
    pub(crate) connect_timeout: Option<Duration>,
    /// 1 for the first request.
    pub(crate) attempt: u32,
    pub(crate) max_attempts: u32,
}

/// `no complete response within 30s (attempt 2 of 3)`.
struct TimeoutText {
    timeout: Option<Duration>,
    connecting: bool,
    /// A timeout the runtime measured itself (a streamed response's).
    phase: Option<Phase>,
    attempt: u32,
    max_attempts: u32,
}

impl fmt::Display for TimeoutText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.phase == Some(Phase::Read) {
            // One read of a stream already under way: attempts do not apply.
            return match self.timeout {
                Some(timeout) => write!(
                    f,
                    "no data for {} while reading the stream (read timeout)",
                    duration_text(timeout)
                ),
                None => f.write_str("no data while reading the stream (read timeout)"),
            };
        }
        let what = if self.connecting {
            "no connection"
        } else if self.phase == Some(Phase::Head) {
            "no response"
        } else {
            "no complete response"
        };
        match self.timeout {
            Some(timeout) => write!(f, "{what} within {}", duration_text(timeout))?,
            None => write!(f, "{what} within the HTTP client's own timeout")?,
        }
        write!(f, " (attempt {} of {})", self.attempt, self.max_attempts)
    }
}

/// What a timeout the runtime measured itself (rather than reqwest) ran out on: the
/// head of a streamed response (the total timeout, which does not cover its body) or
/// one read of its body (the read timeout).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    Head,
    Read,
}

/// The source of the `reqwest::Error` the runtime makes for its own timeouts: an
/// `io::Error` of kind `TimedOut` around it is what makes `is_timeout()` true.
#[derive(Debug)]
struct MeasuredTimeout(Phase);

impl fmt::Display for MeasuredTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Phase::Head => "no response head within the timeout",
            Phase::Read => "no data within the read timeout",
        })
    }
}

impl std::error::Error for MeasuredTimeout {}

/// A `reqwest::Error` that says a timeout ran out (`is_timeout()`), for a timeout the
/// runtime measures itself: [`Error::Timeout`] keeps reqwest's error as its source, and
/// reqwest has no public constructor. It is the error reqwest gives for a body whose
/// stream failed (kind "body"), the failure being an `io::Error` of kind `TimedOut`.
pub(crate) fn timed_out(phase: Phase) -> reqwest::Error {
    use futures_util::FutureExt;
    let failure = std::io::Error::new(std::io::ErrorKind::TimedOut, MeasuredTimeout(phase));
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter([Err::<bytes::Bytes, _>(
        failure,
    )]));
    let mut response = reqwest::Response::from(http::Response::new(body));
    // The stream is ready: its only item is the error, and the first poll returns it.
    match response.chunk().now_or_never() {
        Some(Err(error)) => error,
        _ => unreachable!("a body whose only item is an error fails its first read"),
    }
}

/// Which of the runtime's own timeouts `source` is, if it is one.
fn measured_phase(source: &reqwest::Error) -> Option<Phase> {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(source);
    while let Some(error) = next {
        if let Some(measured) = error
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<MeasuredTimeout>())
        {
            return Some(measured.0);
        }
        next = error.source();
    }
    None
}

/// `30s`, `1.5s`, `250ms`.
pub(crate) fn duration_text(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{}s", d.as_secs())
    } else if d.as_secs() == 0 && d.subsec_nanos().is_multiple_of(1_000_000) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{}s", d.as_secs_f64())
    }
}

impl Error {
    /// A request that got no (complete) response: `Timeout` or `Connection`, keeping the
    /// reqwest error without its URL (it may carry a query-string API key).
    pub(crate) fn transport(
        provider: &'static str,
        operation: &'static str,
        error: reqwest::Error,
        attempt: Attempt,
    ) -> Error {
        let source = error.without_url();
        if source.is_timeout() {
            let timeout = if source.is_connect() {
                attempt.connect_timeout
            } else {
                attempt.timeout
            };
            Error::Timeout {
                provider,
                operation,
                timeout,
                attempt: attempt.attempt.max(1),
                max_attempts: attempt.max_attempts.max(attempt.attempt).max(1),
                source,
            }
        } else {
            Error::Connection {
                provider,
                operation,
                source,
            }
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::RateLimited(e)
            | Error::Api(e)
            | Error::Server(e) => Some(e.status),
            Error::Decode(e) => Some(e.status),
            _ => None,
        }
    }

    /// The provider's request id (`x-request-id` header, or a `request_id` in the body).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::RateLimited(e)
            | Error::Api(e)
            | Error::Server(e) => e.request_id.as_deref(),
            Error::Decode(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// How long the provider asked to wait (`Retry-After`), if it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited(e) | Error::Server(e) | Error::Api(e) => e.retry_after,
            _ => None,
        }
    }

    /// The provider's error details, for the kinds that come from an error response
    /// (the typed body: [`ApiError::body`], or the provider's `ErrorBodies` accessors).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::RateLimited(e)
            | Error::Api(e)
            | Error::Server(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the same call may succeed later: exactly what the retry policy retries
    /// (HTTP 408, 429, 500, 502, 503, 504; connection failures and timeouts; see
    /// [`is_retryable_status`](crate::is_retryable_status)), once its attempts or its
    /// budget ran out. HTTP 501, 505 and other statuses are not transient.
    pub fn is_transient(&self) -> bool {
        use crate::retry::{Failure, is_retryable};
        match self {
            Error::Timeout { .. } => true,
            Error::Connection { source, .. } => is_retryable(Failure::Transport(source)),
            Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::RateLimited(e)
            | Error::Api(e)
            | Error::Server(e) => is_retryable(Failure::Status(e.status)),
            _ => false,
        }
    }

    /// A copy of this error, of the same kind with the same fields, or `None` for
    /// [`Error::Timeout`] and [`Error::Connection`] (reqwest's errors cannot be copied).
    /// A typed error body ([`ApiError::body`]) is shared by the copies.
    pub fn try_clone(&self) -> Option<Error> {
        Some(match self {
            Error::MissingCredentials {
                provider,
                env_var,
                help,
            } => Error::MissingCredentials {
                provider,
                env_var,
                help: help.clone(),
            },
            Error::InvalidArgument { name, reason } => Error::InvalidArgument {
                name: name.clone(),
                reason: reason.clone(),
            },
            Error::Unauthorized(e) => Error::Unauthorized(e.clone()),
            Error::Forbidden(e) => Error::Forbidden(e.clone()),
            Error::RateLimited(e) => Error::RateLimited(e.clone()),
            Error::Api(e) => Error::Api(e.clone()),
            Error::Server(e) => Error::Server(e.clone()),
            Error::Decode(e) => Error::Decode(e.clone()),
            Error::Pagination { reason } => Error::Pagination {
                reason: reason.clone(),
            },
            Error::HttpClient(e) => Error::HttpClient(e.clone()),
            Error::Timeout { .. } | Error::Connection { .. } => return None,
        })
    }
}

/// An error response from a provider.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct ApiError {
    /// The provider's short name.
    pub provider: &'static str,
    /// The operation, e.g. `list_tasks`.
    pub operation: &'static str,
    /// The HTTP status (2xx for an error envelope).
    pub status: StatusCode,
    /// The provider's request id, when it sent one.
    pub request_id: Option<String>,
    /// `Retry-After`, when the provider sent one: its full delay, even when longer than
    /// [`RetryPolicy::max_retry_after`](crate::RetryPolicy::max_retry_after).
    pub retry_after: Option<Duration>,
    /// A readable message: the body's `message`/`error`/... field, else the status reason.
    pub message: String,
    /// The body as JSON, when it is JSON.
    pub json: Option<serde_json::Value>,
    /// The body as the spec types it, when it decoded (see [`ApiError::body`]).
    pub(crate) typed: Option<Arc<dyn TypedBody>>,
}

impl ApiError {
    /// The error body decoded as the spec's type for it, the operation's error type:
    /// e.g. `api.body::<types::ListTasksErrorBody>()` of Deck's (`tasks_sdk::deck::types`).
    /// `None` when the body did not match the spec (read [`ApiError::json`] instead) or
    /// `T` is another type. Each provider's generated `ErrorBodies` trait reads it without
    /// naming the type: `err.list_tasks_error_body()`.
    pub fn body<T: 'static>(&self) -> Option<&T> {
        // `(**body)`: the blanket impl also covers `Arc<dyn TypedBody>` itself.
        self.typed
            .as_ref()
            .and_then(|body| (**body).as_any().downcast_ref::<T>())
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: HTTP {}: {}",
            self.provider, self.operation, self.status, self.message
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        if let Some(after) = self.retry_after {
            write!(f, " (retry after {}s)", after.as_secs_f64())?;
        }
        Ok(())
    }
}

/// A typed error body, kept behind `dyn` so that one [`Error`] serves every provider.
/// Any `Send + Sync + 'static` type qualifies (progenitor's `ByteStream` for non-JSON
/// error bodies has no `Debug`), so its `Debug` output is a placeholder: read
/// [`ApiError::json`] or [`ApiError::body`].
pub(crate) trait TypedBody: Send + Sync {
    fn as_any(&self) -> &dyn Any;
}

impl<T: Send + Sync + 'static> TypedBody for T {
    fn as_any(&self) -> &dyn Any {
        self
    }
}

impl fmt::Debug for dyn TypedBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<typed body>")
    }
}

/// A response whose body does not decode as the spec says.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct DecodeError {
    /// The provider's short name.
    pub provider: &'static str,
    /// The operation, e.g. `list_tasks`.
    pub operation: &'static str,
    /// The HTTP status.
    pub status: StatusCode,
    /// The `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The provider's request id, when it sent one.
    pub request_id: Option<String>,
    /// The first bytes of the body (at most [`DecodeError::SNIPPET_LEN`]), lossily as UTF-8.
    pub body_start: String,
    /// What did not match, e.g. serde's "missing field `id` at line 1 column 20".
    pub reason: String,
}

impl DecodeError {
    /// How many bytes of the body [`DecodeError::body_start`] keeps.
    pub const SNIPPET_LEN: usize = 256;
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: HTTP {} ({}): {}; body starts {:?}",
            self.provider,
            self.operation,
            self.status,
            self.content_type.as_deref().unwrap_or("no content type"),
            self.reason,
            self.body_start
        )?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_timeout_names_the_configured_duration_and_the_attempt() {
        let text = |timeout, connecting, attempt, max_attempts| {
            TimeoutText {
                timeout,
                connecting,
                phase: None,
                attempt,
                max_attempts,
            }
            .to_string()
        };
        assert_eq!(
            text(Some(Duration::from_secs(30)), false, 2, 3),
            "no complete response within 30s (attempt 2 of 3)"
        );
        assert_eq!(
            text(Some(Duration::from_secs(10)), true, 1, 1),
            "no connection within 10s (attempt 1 of 1)"
        );
        assert_eq!(
            text(None, false, 3, 3),
            "no complete response within the HTTP client's own timeout (attempt 3 of 3)"
        );
    }

    #[tokio::test]
    async fn transport_errors_read_as_one_line_and_chain_reqwest_s_error() {
        use std::error::Error as _;
        // Nothing listens on port 1 of the loopback: the connection is refused.
        let refused = reqwest::Client::new()
            .get("http://127.0.0.1:1/tasks?api_key=secret")
            .send()
            .await
            .unwrap_err();
        let error = Error::transport("deck", "list_tasks", refused, Attempt::default());
        let text = error.to_string();
        assert!(
            text.starts_with("connection failed: deck list_tasks: "),
            "{text}"
        );
        assert!(!text.contains("secret"), "{text}");
        let source = error.source().expect("reqwest's error is the source");
        assert!(source.downcast_ref::<reqwest::Error>().is_some());
        assert!(Error::Pagination { reason: "x".into() }.source().is_none());
        assert_eq!(
            Error::InvalidArgument {
                name: "limit".into(),
                reason: "must be at most 100, got 101".into()
            }
            .to_string(),
            "invalid argument `limit`: must be at most 100, got 101"
        );
    }

    #[test]
    fn the_runtime_s_own_timeouts_are_reqwest_timeouts_that_say_what_ran_out() {
        for (phase, text) in [
            (
                Phase::Head,
                "timeout: deck stream_events: no response within 5s (attempt 1 of 3)",
            ),
            (
                Phase::Read,
                "timeout: deck stream_events: no data for 5s while reading the stream (read timeout)",
            ),
        ] {
            let source = timed_out(phase);
            assert!(source.is_timeout() && !source.is_connect(), "{source:?}");
            assert_eq!(measured_phase(&source), Some(phase));
            let attempt = Attempt {
                timeout: Some(Duration::from_secs(5)),
                connect_timeout: None,
                attempt: 1,
                max_attempts: 3,
            };
            let error = Error::transport("deck", "stream_events", source, attempt);
            assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
            assert!(error.is_transient());
            assert_eq!(error.to_string(), text);
        }
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_text(Duration::from_secs(30)), "30s");
        assert_eq!(duration_text(Duration::from_millis(1500)), "1.5s");
        assert_eq!(duration_text(Duration::from_millis(250)), "250ms");
        assert_eq!(duration_text(Duration::from_micros(1500)), "0.0015s");
    }
}

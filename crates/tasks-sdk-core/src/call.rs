//! Per-call options ([`RequestOptions`], [`WithOptions`]) and the response with its
//! metadata ([`Response`]).

use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::Error;
use crate::provider::{Operation, Provider};
use crate::retry::RetryPolicy;
use crate::runtime::Keep;

/// Settings for one call, overriding the client's: a timeout, extra headers, a retry
/// policy. Give them to a generated operation builder's `.with_options(options)`:
///
/// ```
/// # use tasks_sdk_core::{RequestOptions, RetryPolicy};
/// use std::time::Duration;
///
/// let options = RequestOptions::new()
///     .timeout(Duration::from_secs(5))
///     .header("x-trace-id", "abc")
///     .retry_policy(RetryPolicy::disabled());
/// // With any provider's client (e.g. `tasks_sdk::deck::Client`):
/// // let page = client.list_tasks().with_options(options).call().await?;
/// # let _ = options;
/// ```
///
/// The options apply to that call only (every attempt of it), never to the client or
/// its other calls.
///
/// **Headers** are set after the runtime's own (so `user-agent` may be replaced), and
/// may never carry a credential: a header named `authorization`,
/// `proxy-authorization` or `cookie`, or the header of any of the provider's
/// [security schemes](crate::Provider::auth) or of the client's own
/// [scheme](crate::Runtime::auth_scheme) (e.g. `x-api-key`), or a malformed name or
/// value, makes the call fail with [`Error::InvalidArgument`] (argument `header`),
/// nothing sent. Credentials are set on the client's builder only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) retry: Option<RetryPolicy>,
}

impl RequestOptions {
    /// No overrides: the client's settings.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// The total timeout of each attempt of this call (instead of the client's, or of
    /// the `reqwest::Client` it was given).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Adds a header to this call's requests (replacing one of the same name; a second
    /// `header` call with the same name replaces the first). Never a credential header:
    /// see [`RequestOptions`] for the rule.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The retry policy of this call (instead of the client's). The client's
    /// [retry budget](crate::RetryBudget) still applies.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The headers, checked: a malformed one or one that would carry a credential is an
    /// [`Error::InvalidArgument`]. `credential_headers` are lower-case names.
    pub(crate) fn checked_headers(
        &self,
        credential_headers: &[&str],
    ) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
        const ALWAYS: &[&str] = &["authorization", "proxy-authorization", "cookie"];
        let invalid = |reason: String| Error::InvalidArgument {
            name: "header".into(),
            reason,
        };
        self.headers
            .iter()
            .map(|(name, value)| {
                let header = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| invalid(format!("{name:?} is not a valid header name")))?;
                if ALWAYS.contains(&header.as_str())
                    || credential_headers.contains(&header.as_str())
                {
                    return Err(invalid(format!(
                        "`{header}` carries the credential: set it on the client's builder"
                    )));
                }
                let value = HeaderValue::from_str(value).map_err(|_| {
                    invalid(format!(
                        "the value of `{header}` is not a valid header value"
                    ))
                })?;
                Ok((header, value))
            })
            .collect()
    }
}

/// A decoded response body with the response's metadata: what a generated
/// `call_with_response()` returns. Dereferences to the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response<T> {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) request_id: Option<String>,
    pub(crate) attempts: u32,
    pub(crate) inner: T,
}

impl<T> Response<T> {
    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The provider's request id, found as for errors ([`Error::request_id`]): an
    /// `x-request-id` or `request-id` header, else a `request_id`/`requestId` field of
    /// the JSON body.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// How many requests the call sent: 1, plus its retries.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The metadata and the body apart: the metadata can be kept (a stream keeps the
    /// last page's, [`Items::last_response`](crate::Items::last_response)) while the
    /// body is used up.
    pub fn into_parts(self) -> (Response<()>, T) {
        let Response {
            status,
            headers,
            request_id,
            attempts,
            inner,
        } = self;
        let meta = Response {
            status,
            headers,
            request_id,
            attempts,
            inner: (),
        };
        (meta, inner)
    }

    /// The same metadata with `f` of the body.
    pub(crate) fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        let (meta, inner) = self.into_parts();
        Response {
            status: meta.status,
            headers: meta.headers,
            request_id: meta.request_id,
            attempts: meta.attempts,
            inner: f(inner),
        }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

type CallFuture<'a, T> = Pin<Box<dyn Future<Output = Result<Response<T>, Error>> + Send + 'a>>;

/// A generated operation with per-call [`RequestOptions`], ready to send: what a
/// generated builder's `.with_options(options)` returns. Nothing is sent until
/// [`call`](WithOptions::call) or [`call_with_response`](WithOptions::call_with_response)
/// is awaited.
pub struct WithOptions<'a, T> {
    // Which of the two is awaited decides what the call keeps besides the body.
    call: Box<dyn FnOnce(Keep) -> CallFuture<'a, T> + Send + 'a>,
}

impl<'a, T: Send + 'a> WithOptions<'a, T> {
    /// Wraps a generated operation's `send()` future (not yet polled) with `options`:
    /// the generated `with_options` is
    /// `tasks_sdk_core::WithOptions::new(&PROVIDER, OPERATION, options, self.send())`,
    /// `OPERATION` being the operation's entry in [`Provider::operations`].
    pub fn new<F, E>(
        provider: &'static Provider,
        operation: &'static Operation,
        options: RequestOptions,
        send: F,
    ) -> Self
    where
        F: Future<
                Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
            > + Send
            + 'a,
        E: Send + Sync + 'static,
    {
        WithOptions {
            call: Box::new(move |keep| {
                Box::pin(crate::runtime::call_inner(
                    provider,
                    operation,
                    Some(options),
                    keep,
                    send,
                ))
            }),
        }
    }

    /// Sends the request with the options, like the generated `call()`: the decoded body
    /// or an [`Error`].
    pub async fn call(self) -> Result<T, Error> {
        (self.call)(Keep::Body).await.map(Response::into_inner)
    }

    /// Sends the request with the options: the decoded body with the response's
    /// metadata, or an [`Error`].
    pub async fn call_with_response(self) -> Result<Response<T>, Error> {
        (self.call)(Keep::Metadata).await
    }
}

impl<T> fmt::Debug for WithOptions<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WithOptions")
    }
}

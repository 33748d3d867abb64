//! What the streamed response shapes ([`EventStream`](crate::EventStream),
//! [`Download`](crate::Download)) share: getting the response's head through the runtime
//! like any call (retries, the error taxonomy), then its body read chunk by chunk with a
//! per-read timeout, never buffered whole.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use tokio::time::{Instant, Sleep};

use crate::builder::{DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_READ_TIMEOUT};
use crate::call::RequestOptions;
use crate::error::{Attempt, Error, Phase, timed_out};
use crate::provider::{Operation, Provider};
use crate::response_facts::request_id;
use crate::runtime::{StreamLimits, call_stream, decode_error, read_body, status_error};

/// Settings of one streamed call ([`EventStream`](crate::EventStream) or
/// [`Download`](crate::Download)): the generated code gives the document's facts (the
/// terminator), the user the rest.
///
/// ```
/// # use tasks_sdk_core::{RequestOptions, StreamOptions};
/// use std::time::Duration;
///
/// let options = StreamOptions::new()
///     .read_timeout(Duration::from_secs(120))
///     .request_options(RequestOptions::new().header("x-trace-id", "abc"));
/// # let _ = options;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StreamOptions {
    pub(crate) request: Option<RequestOptions>,
    pub(crate) read_timeout: Option<Duration>,
    pub(crate) terminator: Option<Cow<'static, str>>,
    pub(crate) last_event_id: Option<String>,
}

impl StreamOptions {
    /// The client's settings, no terminator.
    pub fn new() -> Self {
        StreamOptions::default()
    }

    /// The call's own [`RequestOptions`]: headers, a retry policy (for getting the
    /// response: never for a body already flowing), and a timeout, which covers the
    /// response's head only.
    pub fn request_options(mut self, options: RequestOptions) -> Self {
        self.request = Some(options);
        self
    }

    /// The longest wait for the next bytes of the body (instead of the client's
    /// [`read_timeout`](crate::ClientBuilder::read_timeout); a stream built from a
    /// `reqwest::Response` has no client: [`DEFAULT_READ_TIMEOUT`](crate::DEFAULT_READ_TIMEOUT)).
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = Some(timeout);
        self
    }

    /// Events only: the `data` that ends the stream (e.g. `[DONE]`), which is not an
    /// event itself. The generated code sets the document's.
    pub fn terminator(mut self, data: impl Into<Cow<'static, str>>) -> Self {
        self.terminator = Some(data.into());
        self
    }

    /// Events only: sends `Last-Event-ID: id`, so that the server resumes after that
    /// event. A [reconnecting](crate::EventStream::reconnect) stream sets it.
    pub fn last_event_id(mut self, id: impl Into<String>) -> Self {
        self.last_event_id = Some(id.into());
        self
    }

    /// The `Last-Event-ID` this call sends, if any.
    pub fn get_last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// The terminator, if one is set (the generated code sets the document's when the
    /// options it is given have none).
    pub fn get_terminator(&self) -> Option<&str> {
        self.terminator.as_deref()
    }

    /// The request options with `Last-Event-ID` added.
    fn request_with_last_id(&self) -> Option<RequestOptions> {
        match &self.last_event_id {
            None => self.request.clone(),
            Some(id) => Some(
                self.request
                    .clone()
                    .unwrap_or_default()
                    .header("last-event-id", id),
            ),
        }
    }
}

impl From<RequestOptions> for StreamOptions {
    /// The client's settings and these request options, no terminator: what a generated
    /// streamed operation's `with_options(RequestOptions::new()...)` sends.
    fn from(options: RequestOptions) -> Self {
        StreamOptions::new().request_options(options)
    }
}

/// A successful streamed response: its head, and its body unread.
pub(crate) struct Streamed {
    pub(crate) head: Head,
    pub(crate) body: Body,
    /// The request id and the attempts of the call (a response got another way: none,
    /// and 1).
    pub(crate) meta: (Option<String>, u32),
}

impl Streamed {
    /// `value` with this response's metadata.
    pub(crate) fn response<S>(
        head: Head,
        meta: (Option<String>, u32),
        value: S,
    ) -> crate::Response<S> {
        let (request_id, attempts) = meta;
        crate::Response {
            status: head.status,
            request_id: request_id.or_else(|| head.request_id()),
            headers: head.headers,
            attempts,
            inner: value,
        }
    }
}

type StreamFuture<'a, S> =
    Pin<Box<dyn Future<Output = Result<crate::Response<S>, Error>> + Send + 'a>>;

/// A streamed operation ([`EventStream`](crate::EventStream) or
/// [`Download`](crate::Download)) with per-call [`StreamOptions`], ready to send: what
/// the generated `with_options(..)` of such an operation returns. Nothing is sent until
/// [`call`](StreamCall::call) or [`call_with_response`](StreamCall::call_with_response)
/// is awaited.
pub struct StreamCall<'a, S> {
    call: StreamFuture<'a, S>,
}

impl<'a, S> StreamCall<'a, S> {
    pub(crate) fn new(call: StreamFuture<'a, S>) -> Self {
        StreamCall { call }
    }

    /// Sends the request with the options: the stream, or an [`Error`].
    pub async fn call(self) -> Result<S, Error> {
        self.call.await.map(crate::Response::into_inner)
    }

    /// Sends the request with the options: the stream with the response's status,
    /// headers, request id and attempts, or an [`Error`].
    pub async fn call_with_response(self) -> Result<crate::Response<S>, Error> {
        self.call.await
    }
}

impl<S> std::fmt::Debug for StreamCall<'_, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StreamCall")
    }
}

/// The head of a streamed response and what the stream needs to report errors.
#[derive(Clone, Debug)]
pub(crate) struct Head {
    pub(crate) provider: &'static Provider,
    pub(crate) operation: &'static Operation,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    /// The largest event an event stream holds (the client's `max_response_bytes`).
    pub(crate) max_event_bytes: usize,
}

impl Head {
    /// The `Content-Type` header, if any and readable.
    pub(crate) fn content_type(&self) -> Option<&str> {
        self.headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
    }

    /// The provider's request id header, if any.
    pub(crate) fn request_id(&self) -> Option<String> {
        request_id(&self.headers, None)
    }

    /// An [`Error::Decode`] about this response, quoting `body_start`.
    pub(crate) fn decode_error(&self, body_start: Bytes, reason: String) -> Error {
        decode_error(
            self.provider,
            self.operation,
            self.status,
            &self.headers,
            body_start,
            reason,
        )
    }
}

type ByteStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send + Sync>>;

/// A generated operation's `send()` (progenitor's, whose success is a byte stream),
/// through the runtime: the status and the error taxonomy as [`call`](crate::call)
/// makes them, the successful body left unread.
pub(crate) async fn from_call<E, F>(
    provider: &'static Provider,
    operation: &'static Operation,
    options: &StreamOptions,
    send: F,
) -> Result<Streamed, Error>
where
    F: Future<
        Output = Result<
            progenitor_client::ResponseValue<progenitor_client::ByteStream>,
            progenitor_client::Error<E>,
        >,
    >,
    E: Send + Sync + 'static,
{
    let (result, limits) =
        call_stream(provider, operation, options.request_with_last_id(), send).await;
    let response = result?;
    let limits = limits.unwrap_or(StreamLimits {
        read_timeout: DEFAULT_READ_TIMEOUT,
        max_event_bytes: DEFAULT_MAX_RESPONSE_BYTES,
    });
    let crate::Response {
        status,
        headers,
        inner,
        request_id,
        attempts,
    } = response;
    let head = Head {
        provider,
        operation,
        status,
        headers,
        max_event_bytes: limits.max_event_bytes,
    };
    let read_timeout = options.read_timeout.unwrap_or(limits.read_timeout);
    let body = Body::new(inner.into_inner(), read_timeout, provider, operation);
    Ok(Streamed {
        head,
        body,
        meta: (request_id, attempts),
    })
}

/// A response got some other way: an error status is the error [`call`](crate::call)
/// makes of it (its body read, up to [`DEFAULT_MAX_RESPONSE_BYTES`]).
pub(crate) async fn from_response(
    provider: &'static Provider,
    operation: &'static Operation,
    mut response: reqwest::Response,
    options: &StreamOptions,
) -> Result<Streamed, Error> {
    let status = response.status();
    if !status.is_success() {
        let declared = response.content_length();
        let limit = DEFAULT_MAX_RESPONSE_BYTES;
        // A body that cannot be read (or is too large) leaves the error its status.
        let body = match declared {
            Some(n) if n > limit as u64 => Bytes::new(),
            _ => read_body(&mut response, limit, declared, true)
                .await
                .ok()
                .flatten()
                .unwrap_or_default(),
        };
        return Err(status_error(
            provider,
            operation,
            status,
            response.headers(),
            body,
        ));
    }
    let headers = std::mem::take(response.headers_mut());
    let head = Head {
        provider,
        operation,
        status,
        headers,
        max_event_bytes: DEFAULT_MAX_RESPONSE_BYTES,
    };
    let read_timeout = options.read_timeout.unwrap_or(DEFAULT_READ_TIMEOUT);
    let body = Body::new(
        Box::pin(response.bytes_stream()),
        read_timeout,
        provider,
        operation,
    );
    Ok(Streamed {
        head,
        body,
        meta: (None, 1),
    })
}

/// A streamed response's body: its chunks as they arrive, each read bounded by the
/// read timeout; a failure is this crate's [`Error`] and the end of the body.
pub(crate) struct Body {
    inner: Option<ByteStream>,
    read_timeout: Duration,
    /// The read timeout's timer, kept between reads (reset, not reallocated).
    timer: Option<Pin<Box<Sleep>>>,
    /// Whether `timer` runs for the read under way.
    armed: bool,
    provider: &'static str,
    operation: &'static str,
}

impl Body {
    pub(crate) fn new(
        inner: ByteStream,
        read_timeout: Duration,
        provider: &'static Provider,
        operation: &'static Operation,
    ) -> Self {
        Body {
            inner: Some(inner),
            read_timeout,
            timer: None,
            armed: false,
            provider: provider.name,
            operation: operation.id,
        }
    }

    /// The body's first bytes (one chunk, at most `max`), for an error that quotes
    /// them; nothing when they do not come.
    pub(crate) async fn start(&mut self, max: usize) -> Bytes {
        match std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await {
            Some(Ok(mut chunk)) => {
                chunk.truncate(max);
                chunk
            }
            _ => Bytes::new(),
        }
    }

    /// Stops reading: the connection is dropped.
    pub(crate) fn close(&mut self) {
        self.inner = None;
        self.timer = None;
    }
}

impl Stream for Body {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        let Some(inner) = this.inner.as_mut() else {
            return Poll::Ready(None);
        };
        match inner.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.armed = false;
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(error))) => {
                this.inner = None;
                let error = Error::transport(this.provider, this.operation, error, once());
                Poll::Ready(Some(Err(error)))
            }
            Poll::Ready(None) => {
                this.inner = None;
                Poll::Ready(None)
            }
            Poll::Pending => {
                let deadline = Instant::now() + this.read_timeout;
                let timer = match (&mut this.timer, this.armed) {
                    (Some(timer), true) => timer,
                    (Some(timer), false) => {
                        timer.as_mut().reset(deadline);
                        timer
                    }
                    (timer @ None, _) => timer.insert(Box::pin(tokio::time::sleep_until(deadline))),
                };
                this.armed = true;
                if timer.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                this.inner = None;
                this.timer = None;
                let attempt = Attempt {
                    timeout: Some(this.read_timeout),
                    ..once()
                };
                let error = Error::transport(
                    this.provider,
                    this.operation,
                    timed_out(Phase::Read),
                    attempt,
                );
                Poll::Ready(Some(Err(error)))
            }
        }
    }
}

/// A body's reads are never retried: one attempt.
fn once() -> Attempt {
    Attempt {
        timeout: None,
        connect_timeout: None,
        attempt: 1,
        max_attempts: 1,
    }
}

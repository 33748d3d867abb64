//! Server-sent events: [`EventStream`], the typed stream of an operation whose success
//! response is `text/event-stream`, and its [`Event`]s.

use std::any::{Any, TypeId};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use futures_util::future::BoxFuture;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use crate::error::{DecodeError, Error};
use crate::provider::{Operation, Provider};
use crate::sse::{Parser, RawEvent};
use crate::streamed::{self, Body, Head, StreamCall, StreamOptions, Streamed};

/// The media type of an event stream.
const EVENT_STREAM: &str = "text/event-stream";

/// How long a reconnecting stream waits when the server set no `retry`.
const DEFAULT_RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// One server-sent event.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event's data (its `data` lines joined by `\n`), decoded as JSON into `T`; as
    /// it came when `T` is `String`.
    pub data: T,
    /// The `event` field (the event's type), if it had a non-empty one (the standard's
    /// default type is `message`).
    pub event: Option<String>,
    /// The last event ID the stream set (an `id` field of this event or of an earlier
    /// one: the standard's `lastEventId`), if not empty.
    pub id: Option<String>,
    /// The reconnection time the server last set (a `retry` field of this event or of an
    /// earlier block), if it set one.
    pub retry: Option<Duration>,
}

/// Sends the request again for a [reconnecting](EventStream::reconnect) stream.
type Connect<T> =
    Box<dyn FnMut(StreamOptions) -> BoxFuture<'static, Result<EventStream<T>, Error>> + Send>;

/// The events of an operation whose success response is `text/event-stream`, as they
/// arrive: a `Stream` of [`Event`]s (`futures::StreamExt::next`), each `data` decoded
/// as `T` (JSON; a `String` as it came, for a stream whose document gives no schema).
///
/// ```no_run
/// # use tasks_sdk_core::{Event, EventStream, Error};
/// use futures::StreamExt;
///
/// # #[derive(serde::Deserialize)] struct Chunk { text: String }
/// # async fn f(mut events: EventStream<Chunk>) -> Result<(), Error> {
/// // `events` from a generated call, e.g. `client.stream_completion().call().await?`.
/// while let Some(event) = events.next().await {
///     match event {
///         Ok(Event { data, .. }) => print!("{}", data.text),
///         // One event's data did not decode: the stream goes on.
///         Err(Error::Decode(e)) => eprintln!("skipped an event: {e}"),
///         // The stream broke (cut, read timeout): it ends.
///         Err(e) => return Err(e),
///     }
/// }
/// # Ok(()) }
/// ```
///
/// - Getting the stream is a call like any other: an error status is its [`Error`]
///   (`Unauthorized`, `RateLimited`, `Server`...), the [`RetryPolicy`](crate::RetryPolicy)
///   retries it; a success that is not `text/event-stream` is an [`Error::Decode`]. The
///   total timeout covers that response's head only.
/// - Then the events: an event whose data does not decode as `T` is one
///   `Err(`[`Error::Decode`]`)` item and the stream goes on. The document's terminator
///   (e.g. `data: [DONE]`) ends the stream, as does the end of the body after a whole
///   event.
/// - A failure ends the stream after one `Err` item: the connection breaking or the body
///   ending in the middle of an event (`Error::Connection`, `Error::Decode`), no bytes
///   for the [read timeout](crate::ClientBuilder::read_timeout) (`Error::Timeout`), an
///   event larger than the client's
///   [`max_response_bytes`](crate::ClientBuilder::max_response_bytes). Events already
///   yielded are never sent again: the retry policy does not apply to them. With
///   [`reconnect`](EventStream::reconnect), the stream instead sends the request again
///   with `Last-Event-ID`.
///
/// Only one event (and one line, and one chunk) is held at a time, whatever the length of
/// the stream. It parses the WHATWG HTML standard's event stream format: a leading BOM,
/// lines ending in CRLF, CR or LF, comments, multi-line `data`, `id` (ignored when it
/// contains NUL), `retry` (digits only).
pub struct EventStream<T> {
    head: Head,
    body: Body,
    parser: Parser,
    /// Events parsed from the last chunk and not yet yielded.
    ready: VecDeque<RawEvent>,
    options: StreamOptions,
    /// Whether the stream ended (terminator, end of body, failure).
    done: bool,
    /// The failure to yield once the events before it are.
    failure: Option<Error>,
    reconnect: Reconnect<T>,
    _data: PhantomData<fn() -> T>,
}

/// A stream's reconnection: how many times it may, has, and how.
struct Reconnect<T> {
    max: u32,
    done: u32,
    connect: Option<Connect<T>>,
    /// A reconnection under way.
    pending: Option<BoxFuture<'static, Result<EventStream<T>, Error>>>,
}

impl<T> EventStream<T>
where
    T: DeserializeOwned + Send + 'static,
{
    /// The stream of a generated operation's `send()` (progenitor's, whose success is a
    /// byte stream): what the generated `call()` of an operation whose success is
    /// `text/event-stream` returns,
    /// `EventStream::call(&PROVIDER, OPERATION, options, self.send())`, with the
    /// document's terminator in `options`.
    ///
    /// Through the runtime like [`call`](crate::call): the same retries and errors; the
    /// successful body is not buffered (nor bounded by `max_response_bytes`).
    pub async fn call<E, F>(
        provider: &'static Provider,
        operation: &'static Operation,
        options: StreamOptions,
        send: F,
    ) -> Result<Self, Error>
    where
        F: Future<
            Output = Result<
                progenitor_client::ResponseValue<progenitor_client::ByteStream>,
                progenitor_client::Error<E>,
            >,
        >,
        E: Send + Sync + 'static,
    {
        let streamed = streamed::from_call(provider, operation, &options, send).await?;
        Self::new(streamed, options).await
    }

    /// [`call`](Self::call), with the response's status, headers, request id and
    /// attempts: what the generated `call_with_response()` of an event stream returns.
    pub async fn call_with_response<E, F>(
        provider: &'static Provider,
        operation: &'static Operation,
        options: StreamOptions,
        send: F,
    ) -> Result<crate::Response<Self>, Error>
    where
        F: Future<
            Output = Result<
                progenitor_client::ResponseValue<progenitor_client::ByteStream>,
                progenitor_client::Error<E>,
            >,
        >,
        E: Send + Sync + 'static,
    {
        let mut streamed = streamed::from_call(provider, operation, &options, send).await?;
        let meta = std::mem::take(&mut streamed.meta);
        let stream = Self::new(streamed, options).await?;
        let head = stream.head.clone();
        Ok(Streamed::response(head, meta, stream))
    }

    /// [`call`](Self::call) and [`call_with_response`](Self::call_with_response) with
    /// per-call options, sent when awaited: what the generated `with_options(..)` of an
    /// event stream returns.
    pub fn with_options<'a, E, F>(
        provider: &'static Provider,
        operation: &'static Operation,
        options: StreamOptions,
        send: F,
    ) -> StreamCall<'a, Self>
    where
        F: Future<
                Output = Result<
                    progenitor_client::ResponseValue<progenitor_client::ByteStream>,
                    progenitor_client::Error<E>,
                >,
            > + Send
            + 'a,
        E: Send + Sync + 'static,
    {
        StreamCall::new(Box::pin(Self::call_with_response(
            provider, operation, options, send,
        )))
    }

    /// [`with_options`](Self::with_options) for a stream that can
    /// [`reconnect`](Self::reconnect): `resend` makes the same request's `send()` again
    /// each time it is called (a future of its own: the generated builder's arguments on
    /// a clone of the client), which a broken stream sends with its options and
    /// `Last-Event-ID`. What the generated `with_options(..)` of an event stream
    /// returns; reconnection stays off until the stream is asked to `reconnect(max)`.
    pub fn with_options_resending<'a, E, F, R, G>(
        provider: &'static Provider,
        operation: &'static Operation,
        options: StreamOptions,
        send: F,
        mut resend: R,
    ) -> StreamCall<'a, Self>
    where
        F: Future<
                Output = Result<
                    progenitor_client::ResponseValue<progenitor_client::ByteStream>,
                    progenitor_client::Error<E>,
                >,
            > + Send
            + 'a,
        R: FnMut() -> G + Send + 'static,
        G: Future<
                Output = Result<
                    progenitor_client::ResponseValue<progenitor_client::ByteStream>,
                    progenitor_client::Error<E>,
                >,
            > + Send
            + 'static,
        E: Send + Sync + 'static,
    {
        let connect =
            move |options: StreamOptions| Self::call(provider, operation, options, resend());
        StreamCall::new(Box::pin(async move {
            let response = Self::call_with_response(provider, operation, options, send).await?;
            Ok(response.map(|stream| stream.reconnect_with(connect)))
        }))
    }

    /// The stream of a `reqwest::Response` got another way (a request of your own): an
    /// error status is the [`Error`] a call makes of it (its body read for the message,
    /// up to [`DEFAULT_MAX_RESPONSE_BYTES`](crate::DEFAULT_MAX_RESPONSE_BYTES)), a success
    /// whose `Content-Type` is not `text/event-stream` an [`Error::Decode`].
    pub async fn from_response(
        provider: &'static Provider,
        operation: &'static Operation,
        response: reqwest::Response,
        options: StreamOptions,
    ) -> Result<Self, Error> {
        let streamed = streamed::from_response(provider, operation, response, &options).await?;
        Self::new(streamed, options).await
    }

    async fn new(streamed: Streamed, options: StreamOptions) -> Result<Self, Error> {
        let Streamed { head, mut body, .. } = streamed;
        let media_type = head
            .content_type()
            .and_then(|value| value.split(';').next())
            .map(str::trim);
        if !media_type.is_some_and(|t| t.eq_ignore_ascii_case(EVENT_STREAM)) {
            let reason = match head.content_type() {
                Some(other) => format!("expected an event stream ({EVENT_STREAM}), got {other}"),
                None => format!("expected an event stream ({EVENT_STREAM}), got no Content-Type"),
            };
            let start = body.start(DecodeError::SNIPPET_LEN).await;
            return Err(head.decode_error(start, reason));
        }
        let parser = Parser::resuming(options.last_event_id.as_deref(), None);
        Ok(EventStream {
            head,
            body,
            parser,
            ready: VecDeque::new(),
            options,
            done: false,
            failure: None,
            reconnect: Reconnect {
                max: 0,
                done: 0,
                connect: None,
                pending: None,
            },
            _data: PhantomData,
        })
    }

    /// Lets the stream reconnect, at most `max` times in all, when it breaks (the
    /// connection fails, the body ends in the middle of an event, a read times out):
    /// it waits the server's `retry` time (else 1 s), sends the request again with
    /// `Last-Event-ID` (the last event ID it saw, when one was set) and goes on with the
    /// new response's events, without an `Err` item. Each reconnection is logged (a
    /// `tracing` warning) and counted ([`reconnects`](Self::reconnects)). Once `max`
    /// are used up, or when a reconnection fails (an error status, a wrong
    /// `Content-Type`...), the failure is an `Err` item and the stream ends.
    ///
    /// Off by default: the stream never reconnects unless asked. It needs to know how to
    /// send its request again, which the stream of a generated call does (its
    /// `call()`, `with_options(..).call()`, `call_events()`: the same arguments and
    /// options, through [`with_options_resending`](Self::with_options_resending)); a
    /// stream made [`from_response`](Self::from_response) or [`call`](Self::call)
    /// without [`reconnect_with`](Self::reconnect_with) does not reconnect.
    ///
    /// ```no_run
    /// # use tasks_sdk_core::{Error, EventStream};
    /// use futures::StreamExt;
    ///
    /// # async fn f(events: EventStream<String>) -> Result<(), Error> {
    /// // `events` from a generated call, e.g. `client.tail_logs().call().await?`.
    /// let mut events = events.reconnect(3);
    /// while let Some(event) = events.next().await {
    ///     // Only after a 4th break, or a reconnection that fails, is there an `Err`.
    ///     println!("{}", event?.data);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn reconnect(mut self, max: u32) -> Self {
        if self.reconnect.connect.is_none() && max > 0 {
            tracing::warn!(
                provider = self.head.provider.name,
                operation = self.head.operation.id,
                "reconnect({max}) on an event stream that cannot send its request again: \
                 it will not reconnect"
            );
        }
        self.reconnect.max = max;
        self
    }

    /// How the stream sends its request again when it [reconnects](Self::reconnect):
    /// `connect` gets the stream's options with the [last event
    /// ID](StreamOptions::last_event_id) set, and returns the new stream (the generated
    /// code sends the same operation with the same arguments,
    /// `EventStream::call(.., options, builder.send())`, through
    /// [`with_options_resending`](Self::with_options_resending)). Does not enable
    /// reconnection.
    pub fn reconnect_with<F, Fut>(mut self, mut connect: F) -> Self
    where
        F: FnMut(StreamOptions) -> Fut + Send + 'static,
        Fut: Future<Output = Result<EventStream<T>, Error>> + Send + 'static,
    {
        self.reconnect.connect = Some(Box::new(move |options| Box::pin(connect(options))));
        self
    }

    /// The HTTP status of the (last) response.
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The headers of the (last) response.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The last event ID the stream set (what a reconnection sends as `Last-Event-ID`).
    pub fn last_event_id(&self) -> Option<&str> {
        self.parser.last_event_id()
    }

    /// How many times the stream reconnected.
    pub fn reconnects(&self) -> u32 {
        self.reconnect.done
    }

    /// One event's data as `T`, or an [`Error::Decode`] that quotes it.
    fn decode(&self, raw: RawEvent) -> Result<Event<T>, Error> {
        let RawEvent {
            data,
            event,
            id,
            retry,
        } = raw;
        let data = if TypeId::of::<T>() == TypeId::of::<String>() {
            // No schema: the data as it came.
            let boxed: Box<dyn Any> = Box::new(data);
            *boxed.downcast::<T>().expect("T is String")
        } else {
            match serde_json::from_str(&data) {
                Ok(value) => value,
                Err(e) => {
                    let reason = format!("an event's data does not decode: {e}");
                    let mut start = Bytes::from(data.into_bytes());
                    start.truncate(DecodeError::SNIPPET_LEN);
                    return Err(self.head.decode_error(start, reason));
                }
            }
        };
        Ok(Event {
            data,
            event,
            id,
            retry,
        })
    }

    /// Starts a reconnection after `failure`, if one is allowed; else gives the failure
    /// back.
    fn try_reconnect(&mut self, failure: Error) -> Result<(), Error> {
        let reconnect = &mut self.reconnect;
        let Some(connect) = reconnect.connect.as_mut() else {
            return Err(failure);
        };
        if reconnect.done >= reconnect.max {
            return Err(failure);
        }
        reconnect.done += 1;
        let delay = self.parser.retry().unwrap_or(DEFAULT_RECONNECT_DELAY);
        let mut options = self.options.clone();
        options.last_event_id = self.parser.last_event_id().map(str::to_owned);
        tracing::warn!(
            provider = self.head.provider.name,
            operation = self.head.operation.id,
            reconnection = reconnect.done,
            max = reconnect.max,
            last_event_id = options.last_event_id.as_deref(),
            delay_ms = delay.as_millis() as u64,
            error = %failure,
            "event stream broke: reconnecting"
        );
        let connecting = connect(options);
        reconnect.pending = Some(Box::pin(async move {
            tokio::time::sleep(delay).await;
            connecting.await
        }));
        Ok(())
    }

    /// Carries on with a reconnection's response: its head and body, the events after
    /// the last event ID (the parser keeps it and the reconnection time).
    fn resume(&mut self, new: EventStream<T>) {
        self.head = new.head;
        self.body = new.body;
        self.parser = Parser::resuming(self.parser.last_event_id(), self.parser.retry());
        self.ready.clear();
    }

    /// The stream ends with `error`, unless it reconnects.
    fn broke(&mut self, error: Error) -> Option<Error> {
        match self.try_reconnect(error) {
            Ok(()) => None,
            Err(error) => {
                self.done = true;
                Some(error)
            }
        }
    }
}

impl<T> Stream for EventStream<T>
where
    T: DeserializeOwned + Send + 'static,
{
    type Item = Result<Event<T>, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(pending) = this.reconnect.pending.as_mut() {
                let outcome = std::task::ready!(pending.as_mut().poll(cx));
                this.reconnect.pending = None;
                match outcome {
                    Ok(new) => this.resume(new),
                    Err(error) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
            }
            if let Some(raw) = this.ready.pop_front() {
                if this.options.terminator.as_deref() == Some(raw.data.as_str()) {
                    this.finish();
                    return Poll::Ready(None);
                }
                return Poll::Ready(Some(this.decode(raw)));
            }
            if this.done {
                return Poll::Ready(this.failure.take().map(Err));
            }
            match std::task::ready!(Pin::new(&mut this.body).poll_next(cx)) {
                Some(Ok(chunk)) => {
                    this.parser.feed(&chunk, &mut this.ready);
                    let limit = this.head.max_event_bytes;
                    if this.parser.pending_len() > limit {
                        let reason = format!("an event is larger than the {limit}-byte limit");
                        // After the events the chunk completed before it.
                        this.failure = Some(this.head.decode_error(Bytes::new(), reason));
                        this.done = true;
                        this.body.close();
                    }
                }
                Some(Err(error)) => {
                    if let Some(error) = this.broke(error) {
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                None if this.parser.in_event() => {
                    let reason = "the stream ended in the middle of an event".to_owned();
                    let error = this.head.decode_error(Bytes::new(), reason);
                    if let Some(error) = this.broke(error) {
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                None => {
                    this.done = true;
                    return Poll::Ready(None);
                }
            }
        }
    }
}

impl<T> EventStream<T> {
    /// Ends the stream: no more reads, no reconnection.
    fn finish(&mut self) {
        self.done = true;
        self.ready.clear();
        self.body.close();
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("provider", &self.head.provider.name)
            .field("operation", &self.head.operation.id)
            .field("status", &self.head.status)
            .field("last_event_id", &self.parser.last_event_id())
            .field("done", &self.done)
            .field("reconnects", &self.reconnect.done)
            .finish()
    }
}

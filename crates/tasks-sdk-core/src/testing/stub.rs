//! Typed stubs: what a test mounts for one operation.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;

use super::body::RequestBody;
use super::capture::capture;
use super::example::Example;
use super::paging::Paging;
use super::server::{Expected, Fault, MockEngine, Reply, Route, credential_params};
use crate::builder::{ClientBuilder, GeneratedClient};
use crate::retry::RetryPolicy;

/// The credential of every client a mock server hands out.
pub const TEST_API_KEY: &str = "test-api-key";

/// The future a generated [`MockOperation::send`] returns.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + 'a>>;

/// One operation of a provider, as its generated `testing` module describes it to
/// [`Stub`]. Implemented by generated code, one zero-sized type per operation.
pub trait MockOperation: 'static {
    /// The provider's client.
    type Client: GeneratedClient;
    /// The operation's request builder (`builder::ListTasks<'a>`).
    type Builder<'a>;
    /// The decoded success body (`()` when the spec gives it no JSON schema).
    type Body: Serialize;
    /// The typed error body (`()` when the spec gives errors no JSON schema).
    type ErrorBody: Serialize + Example;
    /// The operation's route.
    const ROUTE: Route;
    /// The success body is text (`text/plain`): [`Stub::respond`] sends the string as
    /// it is, not as JSON.
    const TEXT_BODY: bool = false;
    /// What each request body must be: the generated code gives every operation with a
    /// typed body its type ([`RequestBody::json::<types::CreateTask>`](RequestBody::json),
    /// the type the request builder's `.body(..)` takes) or its required form fields or
    /// multipart parts. The mock server checks every request against it before it looks
    /// for a reply: a body that does not decode gets a `400` saying what and where. The
    /// generated types enforce their schema when decoded (required fields, enums,
    /// constrained newtypes), so the decoding is the schema check. `None` (the default):
    /// bodies are not checked.
    const REQUEST_BODY: Option<RequestBody> = None;
    /// A request builder of this operation on `client`.
    fn builder(client: &Self::Client) -> Self::Builder<'_>;
    /// Sends the request `builder` describes (its progenitor `send()`).
    fn send<'a>(builder: Self::Builder<'a>) -> SendFuture<'a>;
}

/// A list operation: its items can be served as pages ([`Stub::items`]).
pub trait MockList: MockOperation {
    /// One item of a page.
    type Item: Serialize;
    /// The spec's pagination.
    const PAGING: Paging;
}

/// An operation whose success is an event stream (`text/event-stream`), alone or beside
/// JSON: its events can be served ([`Stub::events`]).
pub trait MockEvents: MockOperation {
    /// Each event's data (`String`: sent as it is; else as JSON).
    type Data: Serialize + 'static;
    /// The data that ends the stream, which the server sends after the events.
    const TERMINATOR: Option<&'static str>;
}

/// An operation whose success is a file (a binary body): it can be served from bytes
/// ([`Stub::download`]).
pub trait MockDownload: MockOperation {
    /// The `Content-Type` of the file, the document's (the first, when it lists several).
    const CONTENT_TYPE: &'static str;
}

impl MockEngine {
    /// Checks the body of every request to `O` against `O`'s
    /// [`REQUEST_BODY`](MockOperation::REQUEST_BODY) from now on (nothing when it is
    /// `None`): a body that does not match gets a `400` saying why, before any reply or
    /// fault of `O` is looked at. `MockServer::start()` does it for every operation of
    /// the provider, and so does [`Stub::new`] for its operation.
    pub fn check_request_body<O: MockOperation>(&self) {
        if let Some(body) = O::REQUEST_BODY {
            self.expect_request_body(O::ROUTE.operation, body);
        }
    }
}

/// A reply (or fault) for one operation, being set up: narrow it with
/// [`when`](Self::when) and [`times`](Self::times), then mount it with one of
/// [`respond`](Self::respond), [`respond_error`](Self::respond_error),
/// [`items`](Self::items) or a fault.
///
/// When several replies match a request, one with a `when(..)` wins over one without,
/// and among those the last mounted. Faults are used first, in the order mounted.
#[must_use = "a stub does nothing until respond(..), items(..) or a fault mounts it"]
pub struct Stub<'s, O: MockOperation> {
    engine: &'s MockEngine,
    capture: &'s O::Client,
    expected: Option<Expected>,
    times: Option<usize>,
    page_size: Option<u64>,
    event_delay: Option<Duration>,
    cut_after: Option<usize>,
    file_name: Option<String>,
    _operation: PhantomData<fn() -> O>,
}

impl<'s, O: MockOperation> Stub<'s, O> {
    /// A stub of `O` on `engine`; `capture` is a client from [`capture_client`], whose
    /// requests [`when`](Self::when) builds (generated code calls this).
    /// Requests to `O` are checked against its body type from now on
    /// ([`MockEngine::check_request_body`]).
    pub fn new(engine: &'s MockEngine, capture: &'s O::Client) -> Self {
        engine.check_request_body::<O>();
        Stub {
            engine,
            capture,
            expected: None,
            times: None,
            page_size: None,
            event_delay: None,
            cut_after: None,
            file_name: None,
            _operation: PhantomData,
        }
    }

    /// Only requests like the one `request` describes: the closure gets the
    /// operation's request builder, as `client.list_tasks()` returns it, and sets what
    /// the request must carry (`|q| q.status("done")`). A request matches when it has
    /// the same path and every query parameter the builder set, serialized as the
    /// client serializes it; other parameters may be present.
    ///
    /// # Panics
    /// When the builder cannot build a request (a required parameter is not set, or a
    /// value is out of its documented range): the message says which.
    pub fn when(mut self, request: impl FnOnce(O::Builder<'s>) -> O::Builder<'s>) -> Self {
        let built = capture(O::send(request(O::builder(self.capture))));
        let built = built.unwrap_or_else(|e| {
            panic!(
                "tasks-sdk testing: {}().when(..) cannot build the request: {e}",
                O::ROUTE.operation
            )
        });
        let secret_params = credential_params(O::Client::PROVIDER);
        self.expected = Some(Expected {
            path: built.url().path().to_owned(),
            query: built
                .url()
                .query_pairs()
                .into_owned()
                .filter(|(name, _)| !secret_params.contains(&name.as_str()))
                .collect(),
        });
        self
    }

    /// For the next `n` matching calls only (by default, a reply serves every call and a
    /// fault one call).
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    /// Replies with the operation's success status and `body` (JSON; a text body as
    /// it is).
    pub fn respond(self, body: O::Body) {
        let status = O::ROUTE.success;
        if O::TEXT_BODY
            && let Ok(serde_json::Value::String(text)) = serde_json::to_value(&body)
        {
            self.respond_raw(status, "text/plain; charset=utf-8", text);
            return;
        }
        self.respond_json(status, &body);
    }

    /// The requests this operation received so far, in order (a multipart body's parts:
    /// [`ReceivedRequest::parts`](super::ReceivedRequest::parts)).
    pub fn received(self) -> Vec<super::ReceivedRequest> {
        self.engine
            .received()
            .into_iter()
            .filter(|request| request.operation == Some(O::ROUTE.operation))
            .collect()
    }

    /// Replies with `status` and the operation's typed error body.
    pub fn respond_error(self, status: u16, body: O::ErrorBody) {
        self.respond_json(status, &body);
    }

    /// Replies with `status`, a `Content-Type` and a body as given, for what the typed
    /// replies cannot say (a body the spec does not describe).
    pub fn respond_raw(self, status: u16, content_type: &str, body: impl Into<Bytes>) {
        self.mount(Reply::Fixed {
            status,
            content_type: content_type.to_owned(),
            body: body.into(),
        });
    }

    /// 429 Too Many Requests with `Retry-After` (whole seconds, rounded up) and an error
    /// body of the operation, for the next call (or [`times`](Self::times) calls).
    pub fn rate_limited(self, retry_after: Duration) {
        self.fault(Fault::RateLimited(retry_after));
    }

    /// 500 with an error body of the operation, for the next `times` calls.
    pub fn server_error(self, times: usize) {
        self.times(times).fault(Fault::ServerError);
    }

    /// Waits `duration` before replying, for the next call (or [`times`](Self::times)
    /// calls): longer than the client's timeout, the call times out.
    pub fn stall(self, duration: Duration) {
        self.fault(Fault::Stall(duration));
    }

    /// A success status whose body is not valid JSON, for the next call (or
    /// [`times`](Self::times) calls).
    pub fn malformed_body(self) {
        self.fault(Fault::MalformedBody);
    }

    /// Closes the connection without answering, for the next call (or
    /// [`times`](Self::times) calls).
    pub fn reset_connection(self) {
        self.fault(Fault::ResetConnection);
    }

    fn fault(self, fault: Fault) {
        let error_body = match serde_json::to_value(O::ErrorBody::example()) {
            Ok(serde_json::Value::Null) | Err(_) => serde_json::json!({
                "error": "injected by the tasks-sdk mock server"
            }),
            Ok(body) => body,
        };
        let times = self.times.unwrap_or(1);
        self.engine.mount(
            O::ROUTE.operation,
            self.expected,
            Reply::Fault {
                fault,
                error_body: Bytes::from(error_body.to_string()),
            },
            Some(times),
        );
    }

    fn respond_json(self, status: u16, body: &impl Serialize) {
        let body = serde_json::to_vec(body).expect("a generated type serializes to JSON");
        self.respond_raw(status, "application/json", body);
    }

    fn mount(self, reply: Reply) {
        self.engine
            .mount(O::ROUTE.operation, self.expected, reply, self.times);
    }
}

impl<O: MockEvents> Stub<'_, O> {
    /// Waits `delay` before each event of [`events`](Self::events).
    pub fn event_delay(mut self, delay: Duration) -> Self {
        self.event_delay = Some(delay);
        self
    }

    /// Cuts the connection after `n` events of [`events`](Self::events), in the middle
    /// of the body (on each connection): the client's stream ends with an error, or
    /// [reconnects](crate::EventStream::reconnect) and gets the next events.
    pub fn disconnect_after(mut self, n: usize) -> Self {
        self.cut_after = Some(n);
        self
    }

    /// Replies with the operation's success status and an event stream of `events`
    /// (each one's data: a `String` as it is, else its JSON; ids `1`, `2`, ...), then
    /// the document's terminator, if it has one, and the end of the body. A request
    /// with `Last-Event-ID: n` (a stream that reconnects) gets the events after the
    /// `n`th.
    pub fn events(self, events: Vec<O::Data>) {
        use std::any::TypeId;
        let text = TypeId::of::<O::Data>() == TypeId::of::<String>();
        let mut blocks: Vec<Bytes> = events
            .iter()
            .enumerate()
            .map(|(i, data)| {
                let value = serde_json::to_value(data).expect("event data serializes");
                let data = match value {
                    serde_json::Value::String(s) if text => s,
                    value => value.to_string(),
                };
                event_block(Some(&(i + 1).to_string()), &data)
            })
            .collect();
        if let Some(terminator) = O::TERMINATOR {
            blocks.push(event_block(None, terminator));
        }
        let (delay, cut) = (self.event_delay, self.cut_after);
        self.mount(Reply::Events {
            status: O::ROUTE.success,
            events: blocks,
            numbered: events.len(),
            delay,
            cut,
        });
    }
}

/// One event: its `id` and `data` lines, and the blank line that ends it.
fn event_block(id: Option<&str>, data: &str) -> Bytes {
    let mut block = String::new();
    if let Some(id) = id {
        block.push_str(&format!("id: {id}\n"));
    }
    for line in data.split('\n') {
        block.push_str(&format!("data: {line}\n"));
    }
    block.push('\n');
    Bytes::from(block)
}

impl<O: MockDownload> Stub<'_, O> {
    /// The file name of [`download`](Self::download) (`Content-Disposition`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Replies with the operation's success status and `body`, its `Content-Type` the
    /// document's.
    pub fn download(self, body: impl Into<Bytes>) {
        let file_name = self.file_name.clone();
        self.mount(Reply::File {
            status: O::ROUTE.success,
            content_type: O::CONTENT_TYPE.to_owned(),
            file_name,
            body: body.into(),
        });
    }
}

impl<O: MockList> Stub<'_, O> {
    /// The page size when the request sets none (default: the spec's, else
    /// [`DEFAULT_PAGE_SIZE`](super::DEFAULT_PAGE_SIZE)).
    pub fn page_size(mut self, size: u64) -> Self {
        self.page_size = Some(size.max(1));
        self
    }

    /// Serves `items` as pages in the spec's own pagination style (cursor, page number,
    /// offset, next link in the body or a `Link` header), honouring the page size the
    /// request sets, and with the totals and "more" flags the spec's pages carry.
    pub fn items(self, items: Vec<O::Item>) {
        let items = items
            .iter()
            .map(|item| serde_json::to_value(item).expect("a generated type serializes to JSON"))
            .collect();
        let paging = Box::new(O::PAGING);
        let page_size = self.page_size;
        self.mount(Reply::Pages {
            paging,
            items,
            page_size,
        });
    }
}

/// A client that never sends: its requests are captured (see [`Stub::when`]).
pub fn capture_client<C: GeneratedClient>() -> C {
    with_test_credential(ClientBuilder::<C>::new())
        .base_url("http://capture.invalid")
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("tasks-sdk testing: a capture client builds")
}

/// A builder for a client of `C` against `engine`: [`TEST_API_KEY`] (when the API has a
/// credential), the engine's URL; every other setting at its default.
pub fn client_builder<C: GeneratedClient>(engine: &MockEngine) -> ClientBuilder<C> {
    with_test_credential(ClientBuilder::<C>::new()).base_url(engine.uri())
}

/// `builder` with [`TEST_API_KEY`] as the credential the provider takes: none for an
/// API without security (a key would be refused), the password of basic auth (user
/// `test`) for one that only takes that, else the API key.
fn with_test_credential<C: GeneratedClient>(builder: ClientBuilder<C>) -> ClientBuilder<C> {
    use crate::provider::AuthScheme;
    match C::PROVIDER.auth {
        [] => builder,
        [AuthScheme::Basic] => builder.basic_auth("test", TEST_API_KEY),
        _ => builder.api_key(TEST_API_KEY),
    }
}

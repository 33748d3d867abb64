//! The engine of every provider crate's test kit (feature `test-util`).
//!
//! Users meet it through a provider's generated `testing` module
//! (`tasks_sdk_deck::testing`, or `tasks_sdk::deck::testing` through the facade):
//!
//! - `MockServer::start().await` serves the provider's API in-process on 127.0.0.1 (a
//!   [`MockEngine`]: no Node.js, no network);
//! - `server.client()` is the provider's `Client` pointed at it with [`TEST_API_KEY`]
//!   (`server.client_builder()` for more settings);
//! - `server.list_tasks()` (one method per operation) returns a typed [`Stub`]:
//!   [`when`](Stub::when) narrows it with the operation's own request builder,
//!   [`respond`](Stub::respond) and [`respond_error`](Stub::respond_error) take the
//!   operation's generated body types, [`items`](Stub::items) serves items as pages in
//!   the spec's pagination style, and the faults ([`rate_limited`](Stub::rate_limited),
//!   [`server_error`](Stub::server_error), [`stall`](Stub::stall),
//!   [`malformed_body`](Stub::malformed_body),
//!   [`reset_connection`](Stub::reset_connection)) hit the next calls;
//! - an event stream's stub serves events ([`events`](Stub::events), with
//!   [`event_delay`](Stub::event_delay) and [`disconnect_after`](Stub::disconnect_after);
//!   a reconnection's `Last-Event-ID` resumes after that event), a download's serves
//!   bytes ([`download`](Stub::download));
//! - `server.received()` (or `server.<op>().received()`) lists the requests
//!   ([`ReceivedRequest`]) with the credential redacted, a multipart body decoded into
//!   its parts ([`ReceivedRequest::parts`]);
//! - [`example::<T>()`](example) is a valid value of every generated type.
//!
//! A request no stub matches gets a 404 whose body says which stub to mount. A request
//! whose body does not match the operation's body type gets a 400 saying what and where
//! ([`RequestBody`]: a JSON body is decoded into the generated type the request
//! builder's `.body(..)` takes, whose deserialization enforces the schema; a form or
//! multipart body must carry its required properties), and its
//! [`ReceivedRequest::body_error`] keeps the message.
//!
//! The part of each generated `testing` module that is the same for every provider
//! (the re-exports, `MockServer` and its own methods) is
//! [`mock_server!`](crate::mock_server), which the generated module invokes.

mod body;
mod capture;
mod example;
mod mock_server;
mod paging;
mod reply;
mod server;
mod stub;

pub use body::{BodyMedia, RequestBody};
pub(crate) use capture::{capturing, keep};
pub use example::{Example, decode_example, example};
pub use paging::{DEFAULT_PAGE_SIZE, LINK_OFFSET_PARAM, NextAtEnd, Paging, PagingStyle};
pub use server::{MockEngine, REDACTED, ReceivedPart, ReceivedRequest, Route};
pub use stub::{
    MockDownload, MockEvents, MockList, MockOperation, SendFuture, Stub, TEST_API_KEY,
    capture_client, client_builder,
};

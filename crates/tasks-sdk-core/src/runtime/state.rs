//! What one `call` learns from the hooks, passed through a task-local because
//! progenitor's hooks cannot return it: the operation and its options going in; the
//! last response's status, body and the headers errors need, the attempts, and an
//! argument error found before sending, coming out.
//!
//! The state lives in the call's own future (`RefCell`, no allocation, no lock) and is
//! taken back out of it when the call ends.

use std::cell::RefCell;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderValue;

use crate::call::RequestOptions;
use crate::error::{Attempt, Error};
use crate::provider::Operation;

tokio::task_local! {
    pub(super) static CALL: RefCell<CallState>;
}

#[derive(Default)]
pub(super) struct CallState {
    /// The generated table's entry of the operation being called.
    pub(super) operation: Option<&'static Operation>,
    /// The call's own settings (`with_options`), read by `prepare` and `execute`.
    pub(super) options: Option<RequestOptions>,
    /// What the call returns besides the body; `execute` copies the response out of
    /// the connection's read buffer when the call keeps its metadata.
    pub(super) keep: Keep,
    /// Requests sent by the call's last `execute`.
    pub(super) attempts: u32,
    /// The timeouts and attempts the last request had, for [`Error::Timeout`].
    pub(super) attempt: Attempt,
    pub(super) response: Option<ResponseMeta>,
    pub(super) invalid: Option<Error>,
    /// The body was larger than this many bytes and was not read.
    pub(super) oversized: Option<usize>,
    /// What the client allows a streamed response ([`Keep::Stream`]), set by `execute`.
    pub(super) limits: Option<StreamLimits>,
}

/// What a client allows a streamed response's body, handed from `execute` (which knows
/// the client) to the stream (which does not).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StreamLimits {
    /// The longest wait for the next bytes.
    pub(crate) read_timeout: Duration,
    /// The largest event of an event stream (the client's `max_response_bytes`).
    pub(crate) max_event_bytes: usize,
}

/// The last response as errors report it. Progenitor gets the headers themselves; this
/// keeps the few values an error needs (header values share their bytes: no copies).
pub(super) struct ResponseMeta {
    pub(super) status: StatusCode,
    pub(super) request_id: Option<HeaderValue>,
    pub(super) content_type: Option<HeaderValue>,
    pub(super) body: Bytes,
    pub(super) retry_after: Option<Duration>,
}

pub(super) fn record(f: impl FnOnce(&mut CallState)) {
    // Outside `call` (a raw progenitor `send()`), there is nothing to record into.
    let _ = CALL.try_with(|state| f(&mut state.borrow_mut()));
}

/// Reads the state of the call being made; `None` outside `call`.
pub(super) fn read<R>(f: impl FnOnce(&CallState) -> R) -> Option<R> {
    CALL.try_with(|state| f(&state.borrow())).ok()
}

/// Records `error` for [`call`](super::call) and returns its message (for progenitor's
/// `Error::InvalidRequest`, which only holds a `String`; `call` returns the typed one).
pub(super) fn fail(error: Error) -> String {
    let message = error.to_string();
    record(|state| state.invalid = Some(error));
    message
}

/// What a successful call returns besides the body: `call()` needs nothing more, so
/// it neither copies the headers nor looks for a request id.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Keep {
    #[default]
    Body,
    Metadata,
    /// A streamed response (an event stream, a download): a successful body is left
    /// unread for the caller, the total timeout covers the head only; the metadata is
    /// kept.
    Stream,
}

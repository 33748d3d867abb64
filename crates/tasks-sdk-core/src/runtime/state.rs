//! What one `call` learns from the hooks, passed through a task-local because
//! progenitor's hooks cannot return it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::call::RequestOptions;
use crate::error::{Attempt, Error};

// What one `call` learns from the hooks, passed through a task-local because
// progenitor's hooks cannot return it: the last response's metadata and body, and an
// argument error found before sending.
tokio::task_local! {
    pub(super) static CALL: Arc<Mutex<CallState>>;
}

#[derive(Default)]
pub(super) struct CallState {
    /// The call's own settings (`with_options`), read by `prepare` and `execute`.
    pub(super) options: Option<RequestOptions>,
    /// Requests sent by the call's last `execute`.
    pub(super) attempts: u32,
    /// The timeouts and attempts the last request had, for [`Error::Timeout`].
    pub(super) attempt: Attempt,
    pub(super) response: Option<ResponseMeta>,
    pub(super) invalid: Option<Error>,
    /// The body was larger than this many bytes and was not read.
    pub(super) oversized: Option<usize>,
}

pub(super) struct ResponseMeta {
    pub(super) status: StatusCode,
    pub(super) headers: HeaderMap,
    pub(super) body: Bytes,
    pub(super) retry_after: Option<Duration>,
}

pub(super) fn record(f: impl FnOnce(&mut CallState)) {
    // Outside `call` (a raw progenitor `send()`), there is nothing to record into.
    let _ =
        CALL.try_with(|state| f(&mut state.lock().expect("never poisoned: no panics while held")));
}

/// The options of the call being made, if it has any.
pub(super) fn call_options() -> Option<RequestOptions> {
    CALL.try_with(|state| state.lock().expect("never poisoned").options.clone())
        .ok()
        .flatten()
}

/// Records `error` for [`call`] and returns its message (for progenitor's
/// `Error::InvalidRequest`).
pub(super) fn fail(error: Error) -> String {
    let message = error.to_string();
    record(|state| state.invalid = Some(error));
    message
}

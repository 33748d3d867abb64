//! What a request builder would send, without sending it: the typed `when(..)` of a
//! stub runs the user's closure on a real request builder of the operation and keeps
//! the request the generated code builds, so a stub matches exactly what `call()` would
//! put on the wire (the same parameter names and serialization).

use std::cell::RefCell;
use std::future::Future;

use reqwest::{Request, Response};

tokio::task_local! {
    static CAPTURE: RefCell<Option<Request>>;
}

/// Called by `Runtime::execute` while [`capturing`]: keeps the request and answers
/// with an empty response (which the capture ignores) instead of sending it.
pub(crate) fn keep(request: Request) -> Response {
    let _ = CAPTURE.try_with(|slot| slot.borrow_mut().replace(request));
    http::Response::new(reqwest::Body::from(Vec::new())).into()
}

/// Whether a capture is under way on this thread.
pub(crate) fn capturing() -> bool {
    CAPTURE.try_with(|_| ()).is_ok()
}

/// Runs `send` (a generated builder's `send()`) to completion on this thread and returns
/// the request it would have sent, or, when it failed before sending (a required
/// parameter not set, a value out of range), its error message. Nothing touches the
/// network.
pub(crate) fn capture<T, E: std::fmt::Display>(
    send: impl Future<Output = Result<T, E>>,
) -> Result<Request, String> {
    CAPTURE.sync_scope(RefCell::new(None), || {
        let outcome = block_on(send);
        match CAPTURE.with(|slot| slot.borrow_mut().take()) {
            Some(request) => Ok(request),
            None => Err(match outcome {
                Err(e) => e.to_string(),
                Ok(_) => "the request was not built".to_owned(),
            }),
        }
    })
}

/// A minimal `block_on`: the future finishes without waiting (it never reaches the
/// network: `intercept` answers at once), so a no-op waker that spins is enough.
fn block_on<F: Future>(future: F) -> F::Output {
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    // Bounded: a future that is still pending after this many polls waits on something
    // real (a rate limiter, a token fetch), which a capture client never has.
    for _ in 0..1_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
        std::thread::yield_now();
    }
    panic!("tasks-sdk testing: building the request for when(..) did not finish");
}

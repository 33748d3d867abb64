//! The HTTP responses the mock server builds: a status, a content type and a body,
//! whole or streamed (server-sent events, with delays and a cut).

use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::Frame;
use serde_json::Value;

/// A reply's body: whole, or a stream of chunks.
pub(crate) type Body = BoxBody<Bytes, std::io::Error>;

pub(crate) type HttpResponse = hyper::Response<Body>;

pub(crate) fn reply(status: u16, content_type: &str, body: Bytes) -> HttpResponse {
    let body = Full::new(body).map_err(|never| match never {}).boxed();
    with_body(status, content_type, body)
}

fn with_body(status: u16, content_type: &str, body: Body) -> HttpResponse {
    let mut response = hyper::Response::new(body);
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Ok(value) = hyper::header::HeaderValue::from_str(content_type) {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, value);
    }
    response
}

pub(crate) fn json_reply(status: u16, body: &Value) -> HttpResponse {
    reply(status, "application/json", Bytes::from(body.to_string()))
}

/// An event stream: each of `events` (encoded blocks) as a chunk of its own, `delay`
/// before each; after `cut` of them the connection is closed in the middle of the body
/// (no terminator, no end of the chunked body).
pub(crate) fn events_reply(
    status: u16,
    events: Vec<Bytes>,
    delay: Option<Duration>,
    cut: Option<usize>,
) -> HttpResponse {
    let chunks = futures_util::stream::unfold(
        (events.into_iter(), 0usize),
        move |(mut events, sent)| async move {
            if sent == usize::MAX {
                return None;
            }
            if cut.is_some_and(|cut| sent >= cut) {
                // Pending once first, so that hyper writes out what was sent before it
                // drops the connection.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let error = std::io::Error::other("the mock server cut the stream, as asked");
                return Some((Err(error), (events, usize::MAX)));
            }
            let event = events.next()?;
            if let Some(delay) = delay {
                tokio::time::sleep(delay).await;
            }
            Some((Ok(Frame::data(event)), (events, sent + 1)))
        },
    );
    let body = StreamBody::new(chunks).boxed();
    let mut response = with_body(status, "text/event-stream", body);
    response.headers_mut().insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-cache"),
    );
    response
}

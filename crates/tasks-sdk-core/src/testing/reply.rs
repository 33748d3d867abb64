//! The HTTP responses the mock server builds: a status, a content type and a body.

use bytes::Bytes;
use http_body_util::Full;
use serde_json::Value;

pub(crate) type HttpResponse = hyper::Response<Full<Bytes>>;

pub(crate) fn reply(status: u16, content_type: &str, body: Bytes) -> HttpResponse {
    let mut response = hyper::Response::new(Full::new(body));
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

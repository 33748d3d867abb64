//! What a response tells about itself, read the same way for an operation's response
//! (the runtime) and for the OAuth2 token endpoint's ([`crate::auth`]): the request id
//! (a header, else a body field), the content type, and the provider's error message.

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

/// The request id: an `x-request-id`/`request-id` header, else a body field.
pub(crate) fn request_id(headers: &HeaderMap, json: Option<&serde_json::Value>) -> Option<String> {
    request_id_header(headers)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            ["/request_id", "/requestId"]
                .iter()
                .find_map(|p| json?.pointer(p)?.as_str().map(str::to_owned))
        })
}

/// The `x-request-id` or `request-id` header.
pub(crate) fn request_id_header(headers: &HeaderMap) -> Option<&HeaderValue> {
    request_id_and_content_type(headers).0
}

/// The request id header (`x-request-id`, else `request-id`) and `Content-Type`, in one
/// pass over the few headers of a response rather than a hashed lookup each.
pub(crate) fn request_id_and_content_type(
    headers: &HeaderMap,
) -> (Option<&HeaderValue>, Option<&HeaderValue>) {
    let (mut x_request_id, mut request_id, mut content_type) = (None, None, None);
    for (name, value) in headers {
        match name.as_str() {
            "x-request-id" => x_request_id = Some(value),
            "request-id" => request_id = Some(value),
            "content-type" => content_type = Some(value),
            _ => {}
        }
    }
    (x_request_id.or(request_id), content_type)
}

/// A top-level `request_id`/`requestId` string of a JSON body, read without building
/// the body's tree (every other field is skipped).
pub(crate) fn body_request_id(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Ids<'a> {
        #[serde(borrow, default)]
        request_id: Option<std::borrow::Cow<'a, str>>,
        #[serde(borrow, default, rename = "requestId")]
        request_id_camel: Option<std::borrow::Cow<'a, str>>,
    }
    let ids: Ids<'_> = serde_json::from_slice(body).ok()?;
    ids.request_id.or(ids.request_id_camel).map(Into::into)
}

/// The most specific human-readable message the body offers, in the shapes the
/// providers use, else the first line of a text body, else the status reason.
pub(crate) fn message(json: Option<&serde_json::Value>, text: &str, status: StatusCode) -> String {
    const POINTERS: &[&str] = &[
        "/error/message",
        "/errors/0/message",
        "/message",
        "/error",
        "/title",
        "/detail",
    ];
    let from_json = json.and_then(|json| {
        POINTERS
            .iter()
            .find_map(|p| json.pointer(p)?.as_str().filter(|s| !s.trim().is_empty()))
    });
    let from_text = || {
        let line = text.lines().map(str::trim).find(|l| !l.is_empty())?;
        (json.is_none() && !line.starts_with('<'))
            .then(|| line.chars().take(200).collect::<String>())
    };
    from_json
        .map(str::to_owned)
        .or_else(from_text)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn messages_come_from_each_providers_error_shape() {
        let status = StatusCode::BAD_REQUEST;
        let cases = [
            (
                json!({"error": {"code": "rate_limited", "message": "Slow down"}}),
                "Slow down",
            ),
            (
                json!({"errors": [{"type": "t", "code": "c", "message": "Bad cursor"}], "request_id": "r"}),
                "Bad cursor",
            ),
            (
                json!({"status": "error", "data": {}, "message": "Invalid key"}),
                "Invalid key",
            ),
            (
                json!({"error": "Invalid pagination parameters"}),
                "Invalid pagination parameters",
            ),
            (
                json!({"title": "One or more validation errors occurred.", "errors": {"limit": ["x"]}}),
                "One or more validation errors occurred.",
            ),
            (json!({"unexpected": true}), "Bad Request"),
        ];
        for (body, expected) in cases {
            assert_eq!(message(Some(&body), "", status), expected, "{body}");
        }
        assert_eq!(
            message(None, "upstream timed out\nmore", status),
            "upstream timed out"
        );
        assert_eq!(
            message(
                None,
                "<html><body>502</body></html>",
                StatusCode::BAD_GATEWAY
            ),
            "Bad Gateway"
        );
        assert_eq!(message(None, "", status), "Bad Request");
    }

    #[test]
    fn request_ids_from_headers_then_body() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            request_id(&headers, Some(&json!({"request_id": "req_body"}))).as_deref(),
            Some("req_body")
        );
        headers.insert("x-request-id", HeaderValue::from_static("req_header"));
        assert_eq!(
            request_id(&headers, Some(&json!({"request_id": "req_body"}))).as_deref(),
            Some("req_header")
        );
        assert_eq!(request_id(&HeaderMap::new(), None), None);
    }
}

//! The generated `call()` entry points and the conversion of progenitor's result into
//! this crate's [`Error`] taxonomy.

use std::future::Future;
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};

use super::state::{CALL, CallState, ResponseMeta};
use crate::call::RequestOptions;
use crate::error::{ApiError, DecodeError, Error};
use crate::provider::Provider;

/// Awaits a generated operation's `send()` and returns its value, or its failure in this
/// crate's [`Error`] taxonomy. The generated `call()` methods are this, one line each.
pub async fn call<T, E, F>(
    provider: &'static Provider,
    operation: &'static str,
    send: F,
) -> Result<T, Error>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    call_inner(provider, operation, None, send)
        .await
        .map(crate::Response::into_inner)
}

/// [`call`], returning the body with the response's metadata ([`crate::Response`]:
/// status, headers, request id, attempts). The generated `call_with_response()` methods
/// are this, one line each.
pub async fn call_with_response<T, E, F>(
    provider: &'static Provider,
    operation: &'static str,
    send: F,
) -> Result<crate::Response<T>, Error>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    call_inner(provider, operation, None, send).await
}

/// [`call`] with per-call [`RequestOptions`] (a timeout, headers, a retry policy) that
/// apply to this call only. Generated builders offer it as
/// `.with_options(options).call()` ([`crate::WithOptions`]).
pub async fn call_with_options<T, E, F>(
    provider: &'static Provider,
    operation: &'static str,
    options: RequestOptions,
    send: F,
) -> Result<T, Error>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    call_inner(provider, operation, Some(options), send)
        .await
        .map(crate::Response::into_inner)
}

pub(crate) async fn call_inner<T, E, F>(
    provider: &'static Provider,
    operation: &'static str,
    options: Option<RequestOptions>,
    send: F,
) -> Result<crate::Response<T>, Error>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    let state = Arc::new(Mutex::new(CallState {
        options,
        ..CallState::default()
    }));
    let result = CALL.scope(state.clone(), send).await;
    let state = std::mem::take(&mut *state.lock().expect("never poisoned"));
    Conversion {
        provider,
        operation,
        state,
    }
    .convert(result)
    .await
}

struct Conversion {
    provider: &'static Provider,
    operation: &'static str,
    state: CallState,
}

impl Conversion {
    async fn convert<T, E>(
        mut self,
        result: Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
    ) -> Result<crate::Response<T>, Error>
    where
        E: Send + Sync + 'static,
    {
        use progenitor_client::Error as P;
        if let (Some(limit), Some(meta)) = (self.state.oversized, &self.state.response) {
            return Err(self.decode_error(
                meta.status,
                format!("the body is larger than the {limit}-byte limit"),
            ));
        }
        match result {
            Ok(value) => match self.envelope_error() {
                Some(error) => Err(error),
                None => {
                    let headers = value.headers().clone();
                    let request_id = request_id(&headers, None).or_else(|| {
                        let body = &self.state.response.as_ref()?.body;
                        request_id(
                            &HeaderMap::new(),
                            serde_json::from_slice(body).ok().as_ref(),
                        )
                    });
                    Ok(crate::Response {
                        status: value.status(),
                        headers,
                        request_id,
                        attempts: self.state.attempts,
                        inner: value.into_inner(),
                    })
                }
            },
            Err(P::ErrorResponse(value)) => {
                let status = value.status();
                Err(self.api_error(status, Some(Arc::new(value.into_inner()))))
            }
            Err(P::UnexpectedResponse(response)) => {
                let status = response.status();
                if self.state.response.is_none() {
                    // Not buffered by our exec (should not happen): read it here.
                    let headers = response.headers().clone();
                    let body = response.bytes().await.unwrap_or_default();
                    self.state.response = Some(ResponseMeta {
                        status,
                        headers,
                        body,
                        retry_after: None,
                    });
                }
                if status.is_success() {
                    Err(self.decode_error(
                        status,
                        format!("HTTP {status} is not a documented response"),
                    ))
                } else {
                    // A status the spec does not list: the provider's common error body,
                    // if it declares one.
                    Err(self.api_error(status, self.common_error_body()))
                }
            }
            Err(P::InvalidResponsePayload(body, e)) => {
                let status = self
                    .state
                    .response
                    .as_ref()
                    .map_or(StatusCode::OK, |m| m.status);
                if let Some(meta) = &mut self.state.response {
                    meta.body = body;
                }
                if status.is_success() {
                    // An error envelope need not have the success body's shape.
                    Err(self
                        .envelope_error()
                        .unwrap_or_else(|| self.decode_error(status, e.to_string())))
                } else {
                    // An error status whose body is not the documented one (an HTML 502
                    // page, say): still an error of that status.
                    Err(self.api_error(status, None))
                }
            }
            Err(P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e)) => Err(
                Error::transport(self.provider.name, self.operation, e, self.state.attempt),
            ),
            Err(P::InvalidRequest(message) | P::Custom(message)) => Err(self
                .state
                .invalid
                .take()
                .unwrap_or_else(|| invalid_argument(message))),
        }
    }

    /// The body decoded as the operation's error type, when the provider declares a
    /// common error schema ([`crate::Operation::error_body`]).
    fn common_error_body(&self) -> Option<Arc<dyn crate::error::TypedBody>> {
        let decoder = self.provider.operation(self.operation)?.error_body?;
        decoder.decode(&self.state.response.as_ref()?.body)
    }

    fn body_json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.state.response.as_ref()?.body).ok()
    }

    /// A 2xx whose body matches the operation's declared error envelope.
    fn envelope_error(&self) -> Option<Error> {
        let envelope = self.provider.operation(self.operation)?.error_envelope?;
        let status = self.state.response.as_ref()?.status;
        let json = self.body_json()?;
        (json.pointer(envelope.pointer)?.as_str()? == envelope.value).then(|| {
            Error::Api(Box::new(
                self.api_error_parts(status, self.common_error_body()),
            ))
        })
    }

    fn api_error_parts(
        &self,
        status: StatusCode,
        typed: Option<Arc<dyn crate::error::TypedBody>>,
    ) -> ApiError {
        let meta = self.state.response.as_ref();
        let json = self.body_json();
        let text = meta
            .map(|m| String::from_utf8_lossy(&m.body).into_owned())
            .unwrap_or_default();
        ApiError {
            provider: self.provider.name,
            operation: self.operation,
            status,
            request_id: meta.and_then(|m| request_id(&m.headers, json.as_ref())),
            retry_after: meta.and_then(|m| m.retry_after),
            message: message(json.as_ref(), &text, status),
            json,
            typed,
        }
    }

    fn api_error(
        &self,
        status: StatusCode,
        typed: Option<Arc<dyn crate::error::TypedBody>>,
    ) -> Error {
        let error = Box::new(self.api_error_parts(status, typed));
        match status.as_u16() {
            401 => Error::Unauthorized(error),
            403 => Error::Forbidden(error),
            429 => Error::RateLimited(error),
            500..=599 => Error::Server(error),
            _ => Error::Api(error),
        }
    }

    fn decode_error(&self, status: StatusCode, reason: String) -> Error {
        let meta = self.state.response.as_ref();
        let body = meta.map(|m| m.body.clone()).unwrap_or_default();
        let start = &body[..body.len().min(DecodeError::SNIPPET_LEN)];
        Error::Decode(Box::new(DecodeError {
            provider: self.provider.name,
            operation: self.operation,
            status,
            content_type: meta
                .and_then(|m| m.headers.get(CONTENT_TYPE))
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            request_id: meta.and_then(|m| request_id(&m.headers, self.body_json().as_ref())),
            body_start: String::from_utf8_lossy(start).into_owned(),
            reason,
        }))
    }
}

/// The argument error of a generated builder's `send()`. Parameter setters (as the
/// generator rewrites them) say ``invalid argument `NAME`: REASON``; progenitor's own
/// messages, e.g. "conversion to `T` for NAME failed" or "NAME was not initialized",
/// are reworded without the Rust type.
fn invalid_argument(message: String) -> Error {
    if let Some((name, reason)) = message
        .strip_prefix("invalid argument `")
        .and_then(|rest| rest.split_once("`: "))
    {
        return Error::InvalidArgument {
            name: name.to_owned(),
            reason: reason.to_owned(),
        };
    }
    if let Some(name) = message
        .strip_prefix("conversion to `")
        .and_then(|rest| rest.strip_suffix(" failed"))
        .and_then(|rest| rest.rsplit_once(" for "))
        .map(|(_, name)| name)
    {
        return Error::InvalidArgument {
            name: name.to_owned(),
            reason: "is not a valid value for this parameter".to_owned(),
        };
    }
    if let Some(name) = message.strip_suffix(" was not initialized") {
        return Error::InvalidArgument {
            name: name.to_owned(),
            reason: "is required: set it on the request builder".to_owned(),
        };
    }
    Error::InvalidArgument {
        name: "request".to_owned(),
        reason: message,
    }
}

/// The request id: an `x-request-id`/`request-id` header, else a body field.
pub(crate) fn request_id(headers: &HeaderMap, json: Option<&serde_json::Value>) -> Option<String> {
    ["x-request-id", "request-id"]
        .iter()
        .find_map(|h| {
            headers
                .get(*h)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        })
        .or_else(|| {
            ["/request_id", "/requestId"]
                .iter()
                .find_map(|p| json?.pointer(p)?.as_str().map(str::to_owned))
        })
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
    use reqwest::header::HeaderValue;
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

    #[test]
    fn builder_argument_errors_name_the_argument_not_a_rust_type() {
        let text = |message: &str| invalid_argument(message.to_owned()).to_string();
        assert_eq!(
            text("invalid argument `limit`: must be between 1 and 100, got 0"),
            "invalid argument `limit`: must be between 1 and 100, got 0"
        );
        let progenitor = text("conversion to `:: std :: num :: NonZeroU64` for limit failed");
        assert_eq!(
            progenitor,
            "invalid argument `limit`: is not a valid value for this parameter"
        );
        assert_eq!(
            text("task_id was not initialized"),
            "invalid argument `task_id`: is required: set it on the request builder"
        );
        assert_eq!(
            text("something else"),
            "invalid argument `request`: something else"
        );
    }
}

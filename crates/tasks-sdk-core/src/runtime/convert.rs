//! The generated `call()` entry points and the conversion of progenitor's result into
//! this crate's [`Error`] taxonomy.

use std::cell::{OnceCell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::FutureExt;
use tokio::task::futures::TaskLocalFuture;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue};

use super::state::{CALL, CallState, Keep, ResponseMeta, StreamLimits};
use crate::call::RequestOptions;
use crate::error::{ApiError, DecodeError, Error};
use crate::provider::{Operation, Provider};
use crate::response_facts::{body_request_id, message, request_id, request_id_and_content_type};

/// Awaits a generated operation's `send()` and returns its value, or its failure in this
/// crate's [`Error`] taxonomy. The generated `call()` methods are this, one line each;
/// `operation` is the operation's entry in the generated [`Provider::operations`].
pub fn call<T, E, F>(
    provider: &'static Provider,
    operation: &'static Operation,
    send: F,
) -> impl Future<Output = Result<T, Error>>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    call_inner(provider, operation, None, Keep::Body, send)
        .map(|result| result.map(crate::Response::into_inner))
}

/// [`call`], returning the body with the response's metadata ([`crate::Response`]:
/// status, headers, request id, attempts). The generated `call_with_response()` methods
/// are this, one line each.
pub fn call_with_response<T, E, F>(
    provider: &'static Provider,
    operation: &'static Operation,
    send: F,
) -> impl Future<Output = Result<crate::Response<T>, Error>>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    call_inner(provider, operation, None, Keep::Metadata, send)
}

/// [`call`] with per-call [`RequestOptions`] (a timeout, headers, a retry policy) that
/// apply to this call only. Generated builders offer it as
/// `.with_options(options).call()` ([`crate::WithOptions`]).
pub fn call_with_options<T, E, F>(
    provider: &'static Provider,
    operation: &'static Operation,
    options: RequestOptions,
    send: F,
) -> impl Future<Output = Result<T, Error>>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    call_inner(provider, operation, Some(options), Keep::Body, send)
        .map(|result| result.map(crate::Response::into_inner))
}

/// The operation's `send()` with a fresh call state in scope.
pub(crate) fn call_inner<F>(
    provider: &'static Provider,
    operation: &'static Operation,
    options: Option<RequestOptions>,
    keep: Keep,
    send: F,
) -> Call<F>
where
    F: Future,
{
    let state = RefCell::new(CallState {
        operation: Some(operation),
        options,
        keep,
        ..CallState::default()
    });
    Call {
        scoped: CALL.scope(state, send),
        provider,
        operation,
    }
}

/// A streamed call (an event stream, a download): the operation's `send()` with a call
/// state that tells `execute` to leave a successful body unread, and what the client
/// allows the body ([`StreamLimits`]; `None` outside a runtime's `execute`). Errors are
/// those of [`call`], from the same conversion.
pub(crate) async fn call_stream<E, F>(
    provider: &'static Provider,
    operation: &'static Operation,
    options: Option<RequestOptions>,
    send: F,
) -> (
    Result<crate::Response<progenitor_client::ByteStream>, Error>,
    Option<StreamLimits>,
)
where
    F: Future<
        Output = Result<
            progenitor_client::ResponseValue<progenitor_client::ByteStream>,
            progenitor_client::Error<E>,
        >,
    >,
    E: Send + Sync + 'static,
{
    let state = RefCell::new(CallState {
        operation: Some(operation),
        options,
        keep: Keep::Stream,
        ..CallState::default()
    });
    let mut scoped = std::pin::pin!(CALL.scope(state, send));
    let result = scoped.as_mut().await;
    let state = scoped
        .as_mut()
        .take_value()
        .map(RefCell::into_inner)
        .unwrap_or_default();
    let limits = state.limits;
    let conversion = Conversion {
        provider,
        operation,
        state,
        json: OnceCell::new(),
    };
    (conversion.convert(result), limits)
}

/// The error `call` makes of an error status with this body, for a response the
/// runtime did not convert (a streamed response built from a `reqwest::Response`).
pub(crate) fn status_error(
    provider: &'static Provider,
    operation: &'static Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body: bytes::Bytes,
) -> Error {
    let mut conversion = Conversion::of(provider, operation, status, headers, body);
    let typed = conversion.common_error_body();
    conversion.api_error(status, typed)
}

/// The [`Error::Decode`] `call` makes of a response whose body (starting with
/// `body_start`) is not what the document says, for `reason`.
pub(crate) fn decode_error(
    provider: &'static Provider,
    operation: &'static Operation,
    status: StatusCode,
    headers: &HeaderMap,
    body_start: bytes::Bytes,
    reason: String,
) -> Error {
    Conversion::of(provider, operation, status, headers, body_start).decode_error(status, reason)
}

pin_project_lite::pin_project! {
    /// The future of one call. A hand-written future rather than `async fn`s calling
    /// each other: each layer of those keeps its own copy of the (large) `send()`
    /// future, and every poll of a call would move them.
    pub(crate) struct Call<F> {
        #[pin]
        scoped: TaskLocalFuture<RefCell<CallState>, F>,
        provider: &'static Provider,
        operation: &'static Operation,
    }
}

impl<T, E, F> Future for Call<F>
where
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
    E: Send + Sync + 'static,
{
    type Output = Result<crate::Response<T>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut this = self.project();
        let result = std::task::ready!(this.scoped.as_mut().poll(cx));
        let state = this
            .scoped
            .take_value()
            .map(RefCell::into_inner)
            .unwrap_or_default();
        let conversion = Conversion {
            provider: this.provider,
            operation: this.operation,
            state,
            json: OnceCell::new(),
        };
        Poll::Ready(conversion.convert(result))
    }
}

struct Conversion {
    provider: &'static Provider,
    operation: &'static Operation,
    state: CallState,
    /// The body parsed as JSON, once, for the error paths that read it.
    json: OnceCell<Option<serde_json::Value>>,
}

impl Conversion {
    /// The conversion of a response read outside `execute`.
    fn of(
        provider: &'static Provider,
        operation: &'static Operation,
        status: StatusCode,
        headers: &HeaderMap,
        body: bytes::Bytes,
    ) -> Self {
        let (request_id, content_type) = request_id_and_content_type(headers);
        let state = CallState {
            operation: Some(operation),
            response: Some(ResponseMeta {
                status,
                request_id: request_id.cloned(),
                content_type: content_type.cloned(),
                body,
                retry_after: crate::retry::requested_delay(headers),
            }),
            ..CallState::default()
        };
        Conversion {
            provider,
            operation,
            state,
            json: OnceCell::new(),
        }
    }

    fn convert<T, E>(
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
                None if self.state.keep == Keep::Body => Ok(crate::Response {
                    status: value.status(),
                    headers: HeaderMap::new(),
                    request_id: None,
                    attempts: self.state.attempts,
                    inner: value.into_inner(),
                }),
                None => {
                    // Owned copies already (`execute` made them): a clone shares them.
                    let headers = value.headers().clone();
                    let request_id = request_id(&headers, None)
                        .or_else(|| body_request_id(&self.state.response.as_ref()?.body));
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
                // Its body was read by our `execute` into the call state; the response
                // progenitor hands back is not read again.
                let status = response.status();
                if status.is_success() {
                    Err(self.decode_error(
                        status,
                        format!("HTTP {status} is not a documented response"),
                    ))
                } else {
                    // A status the spec does not list: the provider's common error body,
                    // if it declares one.
                    let typed = self.common_error_body();
                    Err(self.api_error(status, typed))
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
                Error::transport(self.provider.name, self.operation.id, e, self.state.attempt),
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
        let decoder = self.operation.error_body?;
        decoder.decode(&self.state.response.as_ref()?.body)
    }

    /// The body as JSON, parsed on first use only.
    fn json(&self) -> Option<&serde_json::Value> {
        self.json
            .get_or_init(|| serde_json::from_slice(&self.state.response.as_ref()?.body).ok())
            .as_ref()
    }

    /// A 2xx whose body matches the operation's declared error envelope.
    fn envelope_error(&mut self) -> Option<Error> {
        let envelope = self.operation.error_envelope?;
        let status = self.state.response.as_ref()?.status;
        let matches = self.json()?.pointer(envelope.pointer)?.as_str()? == envelope.value;
        matches.then(|| {
            let typed = self.common_error_body();
            Error::Api(Box::new(self.api_error_parts(status, typed)))
        })
    }

    /// The request id of the last response: its header, else a field of its body.
    fn request_id(&self) -> Option<String> {
        let meta = self.state.response.as_ref()?;
        meta.request_id
            .as_ref()
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| request_id(&HeaderMap::new(), self.json()))
    }

    fn api_error_parts(
        &mut self,
        status: StatusCode,
        typed: Option<Arc<dyn crate::error::TypedBody>>,
    ) -> ApiError {
        let request_id = self.request_id();
        let text = self
            .state
            .response
            .as_ref()
            .map(|m| String::from_utf8_lossy(&m.body))
            .unwrap_or_default();
        let message = message(self.json(), &text, status);
        ApiError {
            provider: self.provider.name,
            operation: self.operation.id,
            status,
            request_id,
            retry_after: self.state.response.as_ref().and_then(|m| m.retry_after),
            message,
            json: self.json.take().flatten(),
            typed,
        }
    }

    fn api_error(
        &mut self,
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
        let body = meta.map(|m| &m.body[..]).unwrap_or_default();
        let start = &body[..body.len().min(DecodeError::SNIPPET_LEN)];
        Error::Decode(Box::new(DecodeError {
            provider: self.provider.name,
            operation: self.operation.id,
            status,
            content_type: meta
                .and_then(|m| m.content_type.as_ref())
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            request_id: self.request_id(),
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

/// A copy of `headers` that holds its own bytes. The values hyper parses share the
/// connection's read buffer, body included: a plain clone kept in a [`Response`]
/// (a stream keeps the last page's) would keep that whole buffer alive.
///
/// [`Response`]: crate::Response
pub(crate) fn owned(headers: &HeaderMap) -> HeaderMap {
    let mut copy = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let mut own =
            HeaderValue::from_bytes(value.as_bytes()).expect("the bytes of a valid header value");
        own.set_sensitive(value.is_sensitive());
        copy.append(name.clone(), own);
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

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

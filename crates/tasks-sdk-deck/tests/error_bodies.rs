//! `err.list_tasks_error_body()` (the generated `ErrorBodies` trait) against a local
//! server: each documented error body, Deck's common `ErrorResponse` on the statuses the
//! spec lists without a body (401, 403) or not at all (429), and `None` where no body
//! the spec describes arrived.

use serde_json::json;
use tasks_sdk_deck::types::ListTasksErrorBody;
use tasks_sdk_deck::{Client, Error, ErrorBodies as _, SendError};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, assert_request, json, only_request, single_attempt};

/// A client for a server mounted at `/v2`, like the real base URL.
fn client(server: &MockServer) -> Client {
    single_attempt(format!("{}/v2", server.uri()))
        .build()
        .unwrap()
}

/// Deck's "Standard error response".
fn error_response(code: &str, message: &str, request_id: &str) -> serde_json::Value {
    json!({
        "errors": [{"type": "auth", "code": code, "message": message}],
        "request_id": request_id
    })
}

/// Mounts `response` for every request and calls `list_tasks` once (with `cursor`).
async fn failed_call(response: ResponseTemplate) -> (MockServer, Error) {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(response)
        .mount(&server)
        .await;
    let err = client(&server)
        .list_tasks()
        .cursor("cur_1")
        .call()
        .await
        .unwrap_err();
    assert_request(
        &only_request(&server).await,
        "GET",
        "/v2/tasks",
        Some("cursor=cur_1"),
        "authorization",
        &format!("Bearer {API_KEY}"),
    );
    (server, err)
}

#[tokio::test]
async fn a_400_validation_body_is_the_validation_variant() {
    let body = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": {"cursor": ["The cursor is not valid."]},
        "traceId": "00-abc-01"
    });
    let (_server, err) = failed_call(json(400, body)).await;

    assert!(
        matches!(&err, Error::Api(api) if api.status.as_u16() == 400),
        "{err:?}"
    );
    let Some(ListTasksErrorBody::ValidationErrorResponse(validation)) = err.list_tasks_error_body()
    else {
        panic!("400: {:?}", err.list_tasks_error_body())
    };
    assert_eq!(
        validation.title.as_deref(),
        Some("One or more validation errors occurred.")
    );
    assert_eq!(validation.status, Some(400));
    assert_eq!(validation.trace_id.as_deref(), Some("00-abc-01"));
    assert_eq!(
        validation.errors["cursor"],
        vec!["The cursor is not valid.".to_owned()]
    );
}

#[tokio::test]
async fn a_422_decodes_whichever_documented_body_arrived() {
    // The spec gives 422 `ErrorResponse`; Deck's framework answers some with its
    // validation problem: the accessor's enum takes either.
    let validation = json!({
        "title": "One or more validation errors occurred.",
        "status": 422,
        "errors": {"limit": ["The field limit must be between 1 and 100."]}
    });
    let (_server, err) = failed_call(json(422, validation)).await;
    let Some(ListTasksErrorBody::ValidationErrorResponse(body)) = err.list_tasks_error_body()
    else {
        panic!("422 (validation): {:?}", err.list_tasks_error_body())
    };
    assert_eq!(body.status, Some(422));
    assert_eq!(
        body.errors["limit"],
        vec!["The field limit must be between 1 and 100.".to_owned()]
    );

    let standard = error_response("task_locked", "The task is being edited", "req_422");
    let (_server, err) = failed_call(json(422, standard)).await;
    let Some(ListTasksErrorBody::ErrorResponse(body)) = err.list_tasks_error_body() else {
        panic!("422 (standard): {:?}", err.list_tasks_error_body())
    };
    assert_eq!(body.request_id, "req_422");
    assert_eq!(body.errors[0].code, "task_locked");
    assert_eq!(body.errors[0].message, "The task is being edited");
    assert_eq!(err.request_id(), Some("req_422"));
}

#[tokio::test]
async fn a_401_with_decks_error_response_decodes_through_the_common_schema() {
    // The spec lists 401 without a body; Deck sends its ErrorResponse.
    let body = error_response("invalid_api_key", "The API key is not valid", "req_401");
    let (server, err) = failed_call(json(401, body)).await;

    let Error::Unauthorized(api) = &err else {
        panic!("expected Unauthorized, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 401);
    assert_eq!(api.message, "The API key is not valid");
    assert_eq!(api.request_id.as_deref(), Some("req_401"));
    let Some(ListTasksErrorBody::ErrorResponse(body)) = err.list_tasks_error_body() else {
        panic!("401: {:?}", err.list_tasks_error_body())
    };
    assert_eq!(body.request_id, "req_401");
    assert_eq!(body.errors.len(), 1);
    assert_eq!(body.errors[0].type_, "auth");
    assert_eq!(body.errors[0].code, "invalid_api_key");
    assert_eq!(body.errors[0].field, None);
    // The same body through the `ApiError` and by its type.
    assert_eq!(api.list_tasks_error_body(), err.list_tasks_error_body());
    assert_eq!(
        api.body::<ListTasksErrorBody>(),
        err.list_tasks_error_body()
    );

    // progenitor's own send() types it too now.
    let raw = client(&server).list_tasks().send().await.unwrap_err();
    let SendError::ErrorResponse(raw) = raw else {
        panic!("{raw:?}")
    };
    assert_eq!(raw.status().as_u16(), 401);
    assert!(matches!(
        raw.into_inner(),
        ListTasksErrorBody::ErrorResponse(body) if body.request_id == "req_401"
    ));
}

#[tokio::test]
async fn a_403_with_decks_error_response_decodes_too() {
    let body = error_response("forbidden", "This key may not list tasks", "req_403");
    let (_server, err) = failed_call(json(403, body)).await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    let Some(ListTasksErrorBody::ErrorResponse(body)) = err.list_tasks_error_body() else {
        panic!("403: {:?}", err.list_tasks_error_body())
    };
    assert_eq!(body.errors[0].message, "This key may not list tasks");
}

#[tokio::test]
async fn an_undocumented_429_is_decoded_as_the_operations_error_type() {
    // Deck's spec lists no 429 at all: the runtime tries the operation's error type.
    let body = error_response("rate_limited", "Slow down", "req_429");
    let (_server, err) = failed_call(json(429, body).insert_header("retry-after", "7")).await;

    let Error::RateLimited(api) = &err else {
        panic!("expected RateLimited, got {err:?}")
    };
    assert_eq!(api.retry_after, Some(std::time::Duration::from_secs(7)));
    let Some(ListTasksErrorBody::ErrorResponse(body)) = err.list_tasks_error_body() else {
        panic!("429: {:?}", err.list_tasks_error_body())
    };
    assert_eq!(body.request_id, "req_429");
    assert_eq!(body.errors[0].code, "rate_limited");
}

#[tokio::test]
async fn no_body_the_spec_describes_gives_none() {
    // A non-JSON 500 (the spec's 500 is ErrorResponse).
    let html = ResponseTemplate::new(500).set_body_raw("<html>upstream down</html>", "text/html");
    let (_server, err) = failed_call(html).await;
    let Error::Server(api) = &err else {
        panic!("expected Server, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(api.message, "Internal Server Error");
    assert_eq!(err.list_tasks_error_body(), None);
    assert_eq!(api.json, None);

    // A non-JSON 502, a status the spec does not list.
    let gateway = ResponseTemplate::new(502).set_body_raw("bad gateway", "text/plain");
    let (_server, err) = failed_call(gateway).await;
    assert!(
        matches!(&err, Error::Server(api) if api.status.as_u16() == 502),
        "{err:?}"
    );
    assert_eq!(err.list_tasks_error_body(), None);

    // JSON of another shape: read as JSON, not typed.
    let other = json(401, json!({"message": "token expired"}));
    let (_server, err) = failed_call(other).await;
    let Error::Unauthorized(api) = &err else {
        panic!("expected Unauthorized, got {err:?}")
    };
    assert_eq!(api.message, "token expired");
    assert_eq!(api.json, Some(json!({"message": "token expired"})));
    assert_eq!(err.list_tasks_error_body(), None);
}

#[tokio::test]
async fn errors_without_a_response_have_no_body() {
    let server = MockServer::start().await;
    let err = client(&server)
        .list_tasks()
        .limit(0u32)
        .call()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
    assert_eq!(err.list_tasks_error_body(), None);
    assert!(server.received_requests().await.unwrap().is_empty());
}

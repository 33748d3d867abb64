//! `GET /tasks` against a local server: the request Deck's client sends and the types it
//! decodes, including each documented error body.

use serde_json::json;
use tasks_sdk_core::Error as SdkError;
use tasks_sdk_deck::types::{ErrorResponse, ListTasksErrorBody, TaskPage, ValidationErrorResponse};
use tasks_sdk_deck::{Client, SendError};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, assert_request, json, only_request, single_attempt};

fn task(id: &str, status: &str) -> serde_json::Value {
    json!({
        "id": id,
        "object": "task",
        "name": "Download invoices",
        "prompt": "Log in and download every invoice of last month",
        "status": status,
        "agent_id": "agt_2Nf8",
        "input_schema": {"type": "object", "properties": {"month": {"type": "string"}}},
        "output_schema": null,
        "storage": null,
        "created_at": "2025-03-01T09:30:00Z",
        "updated_at": "2025-03-02T10:00:00.5Z",
        "request_id": "req_task"
    })
}

/// A client for a server mounted at `/v2`, like the real base URL.
fn client(server: &MockServer) -> Client {
    single_attempt(format!("{}/v2", server.uri()))
        .build()
        .unwrap()
}

fn bearer() -> String {
    format!("Bearer {API_KEY}")
}

#[tokio::test]
async fn sends_every_query_parameter_and_bearer_auth_and_decodes_a_page() {
    let server = MockServer::start().await;
    let body = json!({
        "data": [task("task_1", "live"), task("task_2", "learning")],
        "has_more": true,
        "next_cursor": "cur_2",
        "request_id": "req_123"
    });
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let page: TaskPage = client(&server)
        .list_tasks()
        .limit(100)
        .cursor("cur_1")
        .agent_id("agt_2Nf8")
        .status("live")
        .call()
        .await
        .unwrap();

    let request = only_request(&server).await;
    let query = "agent_id=agt_2Nf8&cursor=cur_1&limit=100&status=live";
    assert_request(
        &request,
        "GET",
        "/v2/tasks",
        Some(query),
        "authorization",
        &bearer(),
    );
    assert_eq!(page.has_more, Some(true));
    assert_eq!(page.next_cursor.as_deref(), Some("cur_2"));
    assert_eq!(page.request_id.as_deref(), Some("req_123"));
    assert_eq!(page.data.len(), 2);
    let first = &page.data[0];
    assert_eq!(first.id, "task_1");
    assert_eq!(first.object, "task");
    assert_eq!(first.status, "live");
    assert_eq!(first.agent_id, "agt_2Nf8");
    assert_eq!(
        first.prompt.as_deref(),
        Some("Log in and download every invoice of last month")
    );
    assert_eq!(
        first.input_schema.as_ref().map(|s| &s.0),
        Some(&json!({"type": "object", "properties": {"month": {"type": "string"}}}))
    );
    assert_eq!(first.output_schema, None);
    assert_eq!(first.created_at.to_rfc3339(), "2025-03-01T09:30:00+00:00");
    assert_eq!(first.updated_at.timestamp_millis(), 1_740_909_600_500);
    assert_eq!(page.data[1].status, "learning");
}

#[tokio::test]
async fn raw_send_keeps_status_and_headers() {
    let server = MockServer::start().await;
    let body = json!({"data": [], "has_more": false, "next_cursor": null, "request_id": null});
    Mock::given(matchers::any())
        .respond_with(json(200, body).insert_header("x-request-id", "req_hdr"))
        .mount(&server)
        .await;

    let response = client(&server).list_tasks().send().await.unwrap();

    assert_request(
        &only_request(&server).await,
        "GET",
        "/v2/tasks",
        None,
        "authorization",
        &bearer(),
    );
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["x-request-id"], "req_hdr");
    let page = response.into_inner();
    assert!(page.data.is_empty());
    assert_eq!(page.has_more, Some(false));
    assert_eq!(page.next_cursor, None);
}

#[tokio::test]
async fn limit_outside_1_to_100_fails_before_sending() {
    let server = MockServer::start().await;
    // 0 fails the builder's conversion, 101 and 5000 the documented range: one message.
    for limit in [0u32, 101, 5000] {
        let err = client(&server)
            .list_tasks()
            .limit(limit)
            .call()
            .await
            .unwrap_err();
        let SdkError::InvalidArgument { name, reason } = &err else {
            panic!("{limit}: {err:?}")
        };
        assert_eq!(name, "limit");
        assert_eq!(reason, &format!("must be between 1 and 100, got {limit}"));
        assert_eq!(
            err.to_string(),
            format!("invalid argument `limit`: must be between 1 and 100, got {limit}")
        );
    }

    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
}

#[tokio::test]
async fn validation_error_400_decodes_to_its_typed_body() {
    let server = MockServer::start().await;
    let body = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": {"cursor": ["The cursor is not valid."]},
        "traceId": "00-abc-01"
    });
    Mock::given(matchers::any())
        .respond_with(json(400, body))
        .mount(&server)
        .await;

    let err = client(&server)
        .list_tasks()
        .cursor("bogus")
        .call()
        .await
        .unwrap_err();

    let SdkError::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.message, "One or more validation errors occurred.");
    let Some(ListTasksErrorBody::ValidationErrorResponse(body)) = api.body::<ListTasksErrorBody>()
    else {
        panic!("400 must decode as ValidationErrorResponse: {api:?}")
    };
    let _: &ValidationErrorResponse = body;
    assert_eq!(body.status, Some(400));
    assert_eq!(body.trace_id.as_deref(), Some("00-abc-01"));
    assert_eq!(
        body.errors["cursor"],
        vec!["The cursor is not valid.".to_owned()]
    );
}

#[tokio::test]
async fn standard_error_responses_decode_for_404_409_422_and_500() {
    for status in [404u16, 409, 422, 500] {
        let server = MockServer::start().await;
        let body = json!({
            "errors": [{"type": "task", "code": format!("code_{status}"), "message": "Something went wrong", "field": null}],
            "request_id": format!("req_{status}")
        });
        Mock::given(matchers::any())
            .respond_with(json(status, body))
            .mount(&server)
            .await;

        let err = client(&server).list_tasks().call().await.unwrap_err();

        match (&err, status) {
            (SdkError::Server(_), 500) | (SdkError::Api(_), 404 | 409 | 422) => {}
            _ => panic!("{status}: wrong kind {err:?}"),
        }
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.request_id(), Some(format!("req_{status}").as_str()));
        let api = err.api_error().unwrap();
        assert_eq!(api.message, "Something went wrong");
        let Some(ListTasksErrorBody::ErrorResponse(body)) = api.body::<ListTasksErrorBody>() else {
            panic!("{status} must decode as ErrorResponse")
        };
        let _: &ErrorResponse = body;
        assert_eq!(body.errors.len(), 1);
        assert_eq!(body.errors[0].type_, "task");
        assert_eq!(body.errors[0].code, format!("code_{status}"));
        assert_eq!(body.errors[0].field, None);
    }
}

#[tokio::test]
async fn body_less_401_and_403_are_unauthorized_and_forbidden() {
    for status in [401u16, 403] {
        let server = MockServer::start().await;
        Mock::given(matchers::any())
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;

        let err = client(&server).list_tasks().call().await.unwrap_err();

        match (&err, status) {
            (SdkError::Unauthorized(api), 401) | (SdkError::Forbidden(api), 403) => {
                assert_eq!(
                    api.message,
                    if status == 401 {
                        "Unauthorized"
                    } else {
                        "Forbidden"
                    }
                );
                assert!(api.body::<ListTasksErrorBody>().is_none());
            }
            _ => panic!("{status}: wrong kind {err:?}"),
        }
        // progenitor's own send() expects Deck's common `ErrorResponse` there
        // (`x-provider.error_schema`), and finds no body.
        let raw = client(&server).list_tasks().send().await.unwrap_err();
        assert!(
            matches!(&raw, SendError::InvalidResponsePayload(body, _) if body.is_empty()),
            "{raw:?}"
        );
    }
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let server = MockServer::start().await;
    let mut item = task("task_1", "paused_by_admin");
    item["brand_new_field"] = json!({"nested": [1, 2, 3]});
    let body = json!({"data": [item], "has_more": false, "next_cursor": null, "request_id": "r", "total": 1});
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let page = client(&server).list_tasks().call().await.unwrap();

    // Deck types `status` as a plain string, so a new status is just another value.
    assert_eq!(page.data[0].status, "paused_by_admin");
}

#[test]
fn the_documented_quota_is_in_provider() {
    assert_eq!(
        tasks_sdk_deck::PROVIDER.rate_limit,
        Some(tasks_sdk_core::RateLimit::new(
            200,
            std::time::Duration::from_secs(10)
        ))
    );
}

/// One error type: the crate's `Error` is the runtime's, the one `call()` returns
/// (progenitor's own is `SendError`, hidden with `send()`).
#[test]
fn the_crates_error_is_the_error_call_returns() {
    fn same(e: tasks_sdk_core::Error) -> tasks_sdk_deck::Error {
        e
    }
    let e = same(SdkError::MissingCredentials {
        provider: "deck",
        env_var: "DECK_API_KEY",
        help: String::new(),
    });
    assert_eq!(e.to_string(), "missing credentials for deck: ");
}

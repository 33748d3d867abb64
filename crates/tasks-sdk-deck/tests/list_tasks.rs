//! `GET /tasks` against a local server: the request Deck's client sends and the types it
//! decodes, including each documented error body.

use serde_json::json;
use tasks_sdk_deck::types::{ListTasksErrorBody, TaskPage};
use tasks_sdk_deck::{Client, Error};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{API_KEY, assert_request, json, only_request};

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
async fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/v2", server.uri()))
        .build()
        .unwrap()
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
        .await
        .list_tasks()
        .limit(100)
        .cursor("cur_1")
        .agent_id("agt_2Nf8")
        .status("live")
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/v2/tasks",
        Some("agent_id=agt_2Nf8&cursor=cur_1&limit=100&status=live"),
        "authorization",
        &format!("Bearer {API_KEY}"),
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
async fn omitted_parameters_are_not_sent_and_the_last_page_has_a_null_cursor() {
    let server = MockServer::start().await;
    let body = json!({"data": [], "has_more": false, "next_cursor": null, "request_id": null});
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let page = client(&server)
        .await
        .list_tasks()
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/v2/tasks",
        None,
        "authorization",
        &format!("Bearer {API_KEY}"),
    );
    assert!(page.data.is_empty());
    assert_eq!(page.has_more, Some(false));
    assert_eq!(page.next_cursor, None);
}

#[tokio::test]
async fn validation_error_400_decodes_to_its_typed_body() {
    let server = MockServer::start().await;
    let body = json!({
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        "title": "One or more validation errors occurred.",
        "status": 400,
        "errors": {"limit": ["The value '0' is not valid for limit."]},
        "traceId": "00-abc-01"
    });
    Mock::given(matchers::any())
        .respond_with(json(400, body))
        .mount(&server)
        .await;

    let err = client(&server)
        .await
        .list_tasks()
        .limit(0)
        .send()
        .await
        .unwrap_err();

    let Error::ErrorResponse(response) = err else {
        panic!("expected a typed error, got {err:?}")
    };
    assert_eq!(response.status().as_u16(), 400);
    let ListTasksErrorBody::ValidationErrorResponse(body) = response.into_inner() else {
        panic!("400 must decode as ValidationErrorResponse")
    };
    assert_eq!(body.status, Some(400));
    assert_eq!(body.trace_id.as_deref(), Some("00-abc-01"));
    assert_eq!(
        body.errors["limit"],
        vec!["The value '0' is not valid for limit.".to_owned()]
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

        let err = client(&server).await.list_tasks().send().await.unwrap_err();

        let Error::ErrorResponse(response) = err else {
            panic!("{status}: expected a typed error, got {err:?}")
        };
        assert_eq!(response.status().as_u16(), status);
        let ListTasksErrorBody::ErrorResponse(body) = response.into_inner() else {
            panic!("{status} must decode as ErrorResponse")
        };
        assert_eq!(body.request_id, format!("req_{status}"));
        assert_eq!(body.errors.len(), 1);
        assert_eq!(body.errors[0].type_, "task");
        assert_eq!(body.errors[0].code, format!("code_{status}"));
        assert_eq!(body.errors[0].field, None);
    }
}

#[tokio::test]
async fn undocumented_body_less_401_is_an_unexpected_response_with_its_status() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(tasks_sdk_testkit::wiremock::ResponseTemplate::new(401))
        .mount(&server)
        .await;

    let err = client(&server).await.list_tasks().send().await.unwrap_err();

    assert!(
        matches!(&err, Error::UnexpectedResponse(r) if r.status().as_u16() == 401),
        "{err:?}"
    );
}

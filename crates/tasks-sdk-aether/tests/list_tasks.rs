//! `GET /tasks` against a local server: the request Aether's client sends and the types
//! it decodes (the documentation's example), including the `{"error": ...}` body of
//! every documented error status.

use serde_json::json;
use tasks_sdk_aether::types::{ErrorBody, TaskStatus, TaskStatusFilter};
use tasks_sdk_aether::{Client, ErrorBodies as _};
use tasks_sdk_core::Error as SdkError;
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{API_KEY, assert_request, json, only_request, single_attempt};

fn client(server: &MockServer) -> Client {
    single_attempt(server.uri()).build().unwrap()
}

fn bearer() -> String {
    format!("Bearer {API_KEY}")
}

#[tokio::test]
async fn sends_filters_and_bearer_token_and_decodes_the_documented_example() {
    let server = MockServer::start().await;
    let body = json!({
        "tasks": [{
            "id": "c3d4e5f6-7890-12ab-cdef-345678901bcd",
            "name": "Add login page",
            "status": "awaiting_input",
            "workspace_id": "f6e5d4c3-7890-12ab-cdef-345678901bcd",
            "started_at": "2025-01-15T10:25:00Z",
            "completed_at": null,
            "pending_question_payload": {"toolId": "tool_1", "toolName": "ask_user", "input": {"question": "Which auth provider?"}},
            "result": "Created login page with email/password form",
            "error": null,
            "summary": "Added a login page component with form validation",
            "created_at": "2025-01-15T10:30:00Z"
        }]
    });
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;
    let project = "0b9f3c1e-2d4a-4e6b-8f7a-1c2d3e4f5a6b";

    let list = client(&server)
        .list_tasks()
        .project_id(project.parse::<uuid::Uuid>().unwrap())
        .status(TaskStatusFilter::AwaitingCi)
        .call()
        .await
        .unwrap();

    let request = only_request(&server).await;
    let query = format!("project_id={project}&status=awaiting_ci");
    assert_request(
        &request,
        "GET",
        "/tasks",
        Some(&query),
        "authorization",
        &bearer(),
    );
    let task = &list.tasks[0];
    assert_eq!(task.id.to_string(), "c3d4e5f6-7890-12ab-cdef-345678901bcd");
    assert_eq!(task.name.as_deref(), Some("Add login page"));
    assert_eq!(task.status, TaskStatus::AwaitingInput);
    assert_eq!(
        task.workspace_id.as_deref(),
        Some("f6e5d4c3-7890-12ab-cdef-345678901bcd")
    );
    assert_eq!(
        task.started_at.unwrap().to_rfc3339(),
        "2025-01-15T10:25:00+00:00"
    );
    assert_eq!(task.completed_at, None);
    let question = task.pending_question_payload.as_ref().unwrap();
    assert_eq!(question.tool_id.as_deref(), Some("tool_1"));
    assert_eq!(question.tool_name.as_deref(), Some("ask_user"));
    assert_eq!(
        question.input,
        Some(json!({"question": "Which auth provider?"}))
    );
    assert_eq!(
        task.result.as_deref(),
        Some("Created login page with email/password form")
    );
    assert_eq!(task.error, None);
    assert_eq!(
        task.summary.as_deref(),
        Some("Added a login page component with form validation")
    );
    assert_eq!(task.created_at.to_rfc3339(), "2025-01-15T10:30:00+00:00");
}

#[tokio::test]
async fn only_required_fields_are_needed() {
    let server = MockServer::start().await;
    let body = json!({"tasks": [{"id": "c3d4e5f6-7890-12ab-cdef-345678901bcd", "status": "queued", "created_at": "2025-01-15T10:30:00Z"}]});
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let list = client(&server).list_tasks().call().await.unwrap();

    assert_request(
        &only_request(&server).await,
        "GET",
        "/tasks",
        None,
        "authorization",
        &bearer(),
    );
    assert_eq!(list.tasks[0].status, TaskStatus::Queued);
    assert_eq!(list.tasks[0].name, None);
    assert_eq!(list.tasks[0].pending_question_payload, None);
}

#[tokio::test]
async fn every_documented_error_status_decodes_to_error_body() {
    for status in [400u16, 401, 403, 404, 409, 429, 500] {
        let server = MockServer::start().await;
        let message = format!("failure {status}");
        let response = json(status, json!({"error": message})).insert_header("retry-after", "7");
        Mock::given(matchers::any())
            .respond_with(response)
            .mount(&server)
            .await;

        let err = client(&server).list_tasks().call().await.unwrap_err();

        match (&err, status) {
            (SdkError::Api(_), 400 | 404 | 409)
            | (SdkError::Unauthorized(_), 401)
            | (SdkError::Forbidden(_), 403)
            | (SdkError::RateLimited(_), 429)
            | (SdkError::Server(_), 500) => {}
            _ => panic!("{status}: wrong kind {err:?}"),
        }
        let api = err.api_error().unwrap();
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.message, message);
        assert_eq!(api.body::<ErrorBody>().unwrap().error, message);
        assert_eq!(err.list_tasks_error_body().unwrap().error, message);
        assert_eq!(api.retry_after, Some(std::time::Duration::from_secs(7)));
    }
}

#[tokio::test]
async fn an_unlisted_status_with_the_error_body_decodes_too() {
    // 502 and 503 are not in the spec; Aether's `{"error": ...}` is its common body.
    for status in [502u16, 503] {
        let server = MockServer::start().await;
        Mock::given(matchers::any())
            .respond_with(json(status, json!({"error": "workspace pool exhausted"})))
            .mount(&server)
            .await;

        let err = client(&server).list_tasks().call().await.unwrap_err();

        assert_request(
            &only_request(&server).await,
            "GET",
            "/tasks",
            None,
            "authorization",
            &bearer(),
        );
        assert!(matches!(&err, SdkError::Server(api) if api.status.as_u16() == status));
        let body = err.list_tasks_error_body().expect("the common error body");
        assert_eq!(body.error, "workspace pool exhausted");
    }
}

#[tokio::test]
async fn unknown_status_and_unknown_fields_decode() {
    let server = MockServer::start().await;
    let body = json!({"tasks": [{
        "id": "c3d4e5f6-7890-12ab-cdef-345678901bcd", "status": "hibernating",
        "created_at": "2025-01-15T10:30:00Z", "cost_usd": 0.42
    }], "next": null});
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let list = client(&server).list_tasks().call().await.unwrap();

    assert_eq!(
        list.tasks[0].status,
        TaskStatus::Unknown("hibernating".into())
    );
}

#[tokio::test]
async fn the_stream_is_the_one_page() {
    let server = MockServer::start().await;
    let task =
        |id: &str| json!({"id": id, "status": "running", "created_at": "2025-01-15T10:30:00Z"});
    let body = json!({"tasks": [task("c3d4e5f6-7890-12ab-cdef-345678901bcd"), task("c3d4e5f6-7890-12ab-cdef-345678901bce")]});
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let tasks: Vec<_> =
        futures::StreamExt::collect::<Vec<_>>(client(&server).list_tasks().stream()).await;

    assert_eq!(tasks.len(), 2);
    assert!(
        tasks
            .iter()
            .all(|t| t.as_ref().unwrap().status == TaskStatus::Running)
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

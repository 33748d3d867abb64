//! `GET /tasks` against a local server: the request Twill's client sends and the types
//! it decodes, including each documented error body (the spec's own examples).

use serde_json::json;
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{API_KEY, assert_request, json, only_request};
use tasks_sdk_twill::types::JobStatus;
use tasks_sdk_twill::{Client, Error};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/api/v1", server.uri()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn sends_cursor_limit_and_bearer_auth_and_decodes_tasks() {
    let server = MockServer::start().await;
    let body = json!({
        "tasks": [
            {
                "id": "tsk_1", "slug": "fix-login", "title": "Fix login redirect",
                "url": "https://twill.ai/t/fix-login", "repositoryUrl": "https://github.com/acme/web",
                "createdAt": "2025-05-01T12:00:00Z", "latestJobStatus": "IN_PROGRESS",
                "pr": {"url": "https://github.com/acme/web/pull/7", "number": 7}
            },
            {
                "id": "tsk_2", "slug": "docs", "title": "Write docs",
                "url": "https://twill.ai/t/docs", "repositoryUrl": "https://github.com/acme/web",
                "createdAt": "2025-05-02T08:15:30Z", "latestJobStatus": null, "pr": null
            }
        ],
        "nextCursor": "c_2"
    });
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let page = client(&server)
        .await
        .list_tasks()
        .limit(100u64)
        .cursor("c_1")
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/api/v1/tasks",
        Some("cursor=c_1&limit=100"),
        "authorization",
        &format!("Bearer {API_KEY}"),
    );
    assert_eq!(page.next_cursor.as_deref(), Some("c_2"));
    assert_eq!(page.tasks.len(), 2);
    let first = &page.tasks[0];
    assert_eq!(
        (first.id.as_str(), first.slug.as_str()),
        ("tsk_1", "fix-login")
    );
    assert_eq!(first.title, "Fix login redirect");
    assert_eq!(first.repository_url, "https://github.com/acme/web");
    assert_eq!(first.created_at.to_rfc3339(), "2025-05-01T12:00:00+00:00");
    assert_eq!(first.latest_job_status, Some(JobStatus::InProgress));
    let pr = first.pr.as_ref().unwrap();
    assert_eq!(
        (pr.url.as_str(), pr.number),
        ("https://github.com/acme/web/pull/7", 7)
    );
    assert_eq!(page.tasks[1].latest_job_status, None);
    assert_eq!(page.tasks[1].pr, None);
}

#[tokio::test]
async fn last_page_has_a_null_cursor_and_no_parameters_are_sent_by_default() {
    let server = MockServer::start().await;
    let body = json!({"tasks": [], "nextCursor": null});
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
        "/api/v1/tasks",
        None,
        "authorization",
        &format!("Bearer {API_KEY}"),
    );
    assert!(page.tasks.is_empty());
    assert_eq!(page.next_cursor, None);
}

#[tokio::test]
async fn every_documented_error_status_decodes_to_api_error_response() {
    let cases = [
        (
            400u16,
            "validation_error",
            "Invalid request body",
            Some(json!({"issues": [{"field": "command", "message": "command is required"}]})),
        ),
        (401, "unauthorized", "Invalid or missing API key", None),
        (
            429,
            "rate_limited",
            "Rate limit exceeded. Max 100 requests per minute.",
            None,
        ),
        (500, "internal_error", "Server error", None),
    ];
    for (status, code, message, details) in cases {
        let server = MockServer::start().await;
        let mut error = json!({"code": code, "message": message});
        if let Some(details) = &details {
            error["details"] = details.clone();
        }
        Mock::given(matchers::any())
            .respond_with(json(status, json!({"error": error})))
            .mount(&server)
            .await;

        let err = client(&server).await.list_tasks().send().await.unwrap_err();

        let Error::ErrorResponse(response) = err else {
            panic!("{status}: expected a typed error, got {err:?}")
        };
        assert_eq!(response.status().as_u16(), status);
        let body = response.into_inner();
        assert_eq!(body.error.code, code);
        assert_eq!(body.error.message, message);
        assert_eq!(body.error.details, details);
    }
}

//! `GET /tasks` against a local server: the request Twill's client sends and the types
//! it decodes, including each documented error body (the spec's own examples).

use serde_json::json;
use tasks_sdk_core::Error as SdkError;
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{API_KEY, assert_request, json, only_request, single_attempt};
use tasks_sdk_twill::types::{ApiErrorResponse, JobStatus};
use tasks_sdk_twill::{Client, ErrorBodies as _};

fn client(server: &MockServer) -> Client {
    single_attempt(format!("{}/api/v1", server.uri()))
        .build()
        .unwrap()
}

fn bearer() -> String {
    format!("Bearer {API_KEY}")
}

fn task(id: &str, status: serde_json::Value) -> serde_json::Value {
    json!({
        "id": id, "slug": "fix-login", "title": "Fix login redirect",
        "url": "https://twill.ai/t/fix-login", "repositoryUrl": "https://github.com/acme/web",
        "createdAt": "2025-05-01T12:00:00Z", "latestJobStatus": status,
        "pr": {"url": "https://github.com/acme/web/pull/7", "number": 7}
    })
}

#[tokio::test]
async fn sends_cursor_limit_and_bearer_auth_and_decodes_tasks() {
    let server = MockServer::start().await;
    let mut second = task("tsk_2", json!(null));
    second["pr"] = json!(null);
    let body = json!({"tasks": [task("tsk_1", json!("IN_PROGRESS")), second], "nextCursor": "c_2"});
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let page = client(&server)
        .list_tasks()
        .limit(100u64)
        .cursor("c_1")
        .call()
        .await
        .unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/api/v1/tasks",
        Some("cursor=c_1&limit=100"),
        "authorization",
        &bearer(),
    );
    assert_eq!(page.next_cursor.as_deref(), Some("c_2"));
    assert_eq!(page.tasks.len(), 2);
    let first = &page.tasks[0];
    assert_eq!(
        (first.id.as_str(), first.slug.as_str()),
        ("tsk_1", "fix-login")
    );
    assert_eq!(first.title, "Fix login redirect");
    assert_eq!(first.url, "https://twill.ai/t/fix-login");
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
    Mock::given(matchers::any())
        .respond_with(json(200, json!({"tasks": [], "nextCursor": null})))
        .mount(&server)
        .await;

    let page = client(&server).list_tasks().call().await.unwrap();

    assert_request(
        &only_request(&server).await,
        "GET",
        "/api/v1/tasks",
        None,
        "authorization",
        &bearer(),
    );
    assert!(page.tasks.is_empty());
    assert_eq!(page.next_cursor, None);
}

#[tokio::test]
async fn limit_outside_1_to_100_fails_before_sending() {
    let server = MockServer::start().await;
    for limit in [0u64, 101, 10_000] {
        let err = client(&server)
            .list_tasks()
            .limit(limit)
            .call()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, SdkError::InvalidArgument { name, .. } if name == "limit"),
            "{limit}: {err}"
        );
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
    );
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

        let err = client(&server).list_tasks().call().await.unwrap_err();

        match (&err, status) {
            (SdkError::Api(_), 400)
            | (SdkError::Unauthorized(_), 401)
            | (SdkError::RateLimited(_), 429)
            | (SdkError::Server(_), 500) => {}
            _ => panic!("{status}: wrong kind {err:?}"),
        }
        let api = err.api_error().unwrap();
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.message, message);
        let body = api.body::<ApiErrorResponse>().expect("typed body");
        assert_eq!(body.error.code, code);
        assert_eq!(body.error.message, message);
        assert_eq!(body.error.details, details);
        assert_eq!(err.list_tasks_error_body(), Some(body));
    }
}

#[tokio::test]
async fn statuses_the_spec_does_not_list_decode_as_api_error_response() {
    // Twill's common error body (`x-provider.error_schema`), on 403 and 404.
    for (status, code) in [(403u16, "forbidden"), (404, "not_found")] {
        let server = MockServer::start().await;
        let body = json!({"error": {"code": code, "message": format!("no ({status})")}});
        Mock::given(matchers::any())
            .respond_with(json(status, body))
            .mount(&server)
            .await;

        let err = client(&server)
            .list_tasks()
            .limit(5)
            .call()
            .await
            .unwrap_err();

        assert_request(
            &only_request(&server).await,
            "GET",
            "/api/v1/tasks",
            Some("limit=5"),
            "authorization",
            &bearer(),
        );
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(
            matches!(
                (&err, status),
                (SdkError::Forbidden(_), 403) | (SdkError::Api(_), 404)
            ),
            "{err:?}"
        );
        let body = err.list_tasks_error_body().expect("the common error body");
        assert_eq!(body.error.code, code);
        assert_eq!(body.error.message, format!("no ({status})"));
        assert_eq!(body.error.details, None);
    }
}

#[tokio::test]
async fn unknown_job_status_and_unknown_fields_decode() {
    let server = MockServer::start().await;
    let mut item = task("tsk_1", json!("WAITING_FOR_REVIEW"));
    item["assignee"] = json!({"id": "u_1"});
    let body = json!({"tasks": [item], "nextCursor": null, "total": 1});
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let page = client(&server).list_tasks().call().await.unwrap();

    let status = page.tasks[0].latest_job_status.clone().unwrap();
    assert_eq!(status, JobStatus::Unknown("WAITING_FOR_REVIEW".into()));
    assert_eq!(status.to_string(), "WAITING_FOR_REVIEW");
}

#[test]
fn the_documented_quota_is_in_provider() {
    assert_eq!(
        tasks_sdk_twill::PROVIDER.rate_limit,
        Some(tasks_sdk_core::RateLimit::new(
            100,
            std::time::Duration::from_secs(60)
        ))
    );
}

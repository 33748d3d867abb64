//! `GET /v0.1/tasks` against a local server: the request PromptLoop's client sends
//! (`x-api-key`) and the envelope it decodes, including the documented error bodies and
//! a 2xx envelope that says `status: "error"`.

use serde_json::json;
use tasks_sdk_core::Error as SdkError;
use tasks_sdk_promptloop::types::{EnvelopeStatus, ErrorResponse};
use tasks_sdk_promptloop::{Client, ErrorBodies as _};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{API_KEY, assert_request, json, only_request, single_attempt};

fn client(server: &MockServer) -> Client {
    // The spec's server URL ends with '/': the client must not send `//v0.1/tasks`.
    single_attempt(format!("{}/", server.uri()))
        .build()
        .unwrap()
}

fn summary() -> serde_json::Value {
    json!({
        "id": "task_abc",
        "name": "Company enrichment",
        "description": "Finds the industry of a company",
        "created_at": "2024-11-02T15:04:05.000Z",
        "live_version": 3,
        "max_version": 4,
        "run_count": 1250
    })
}

#[tokio::test]
async fn sends_the_x_api_key_header_and_decodes_the_envelope() {
    let server = MockServer::start().await;
    let body = json!({"status": "success", "message": "Tasks retrieved", "data": [summary()]});
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let response = client(&server).list_tasks().call().await.unwrap();

    assert_request(
        &only_request(&server).await,
        "GET",
        "/v0.1/tasks",
        None,
        "x-api-key",
        API_KEY,
    );
    assert_eq!(response.status, EnvelopeStatus::Success);
    assert_eq!(response.message, "Tasks retrieved");
    assert_eq!(response.error, None);
    let task = &response.data[0];
    assert_eq!(task.id, "task_abc");
    assert_eq!(task.name, "Company enrichment");
    assert_eq!(task.description, "Finds the industry of a company");
    assert_eq!(task.created_at, "2024-11-02T15:04:05.000Z");
    assert_eq!(
        (task.live_version, task.max_version, task.run_count),
        (3.0, 4.0, 1250.0)
    );
}

#[tokio::test]
async fn a_2xx_envelope_with_status_error_is_an_api_error() {
    let server = MockServer::start().await;
    let body = json!({
        "status": "error", "data": [], "message": "Organization is suspended",
        "error": {"code": 4031, "details": "billing"}
    });
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let err = client(&server).list_tasks().call().await.unwrap_err();

    let SdkError::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 200);
    assert_eq!(api.message, "Organization is suspended");
    assert_eq!(api.json.as_ref().unwrap()["error"]["code"], 4031);
    assert_eq!(
        err.to_string(),
        "API error: promptloop list_tasks: HTTP 200 OK: Organization is suspended"
    );
}

#[tokio::test]
async fn every_documented_error_status_decodes_to_error_response() {
    for status in [400u16, 403, 500] {
        let server = MockServer::start().await;
        let body = json!({
            "status": "error",
            "data": {},
            "message": format!("failed with {status}"),
            "error": {"code": status, "details": "Invalid API key"}
        });
        Mock::given(matchers::any())
            .respond_with(json(status, body))
            .mount(&server)
            .await;

        let err = client(&server).list_tasks().call().await.unwrap_err();

        match (&err, status) {
            (SdkError::Api(_), 400)
            | (SdkError::Forbidden(_), 403)
            | (SdkError::Server(_), 500) => {}
            _ => panic!("{status}: wrong kind {err:?}"),
        }
        let api = err.api_error().unwrap();
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.message, format!("failed with {status}"));
        let body = api.body::<ErrorResponse>().expect("typed body");
        assert_eq!(body.status, EnvelopeStatus::Error);
        let details = body.error.as_ref().unwrap();
        assert_eq!(details.code, f64::from(status));
        assert_eq!(details.details, "Invalid API key");
        assert_eq!(err.list_tasks_error_body(), Some(body));
    }
}

#[tokio::test]
async fn the_envelope_of_any_error_decodes_as_error_response() {
    // Statuses the spec does not list, and a 2xx envelope saying `status: "error"`:
    // PromptLoop's envelope is its common error body (`x-provider.error_schema`).
    for status in [401u16, 404, 429, 200] {
        let server = MockServer::start().await;
        let body = json!({
            "status": "error",
            "data": {},
            "message": format!("refused ({status})"),
            "error": {"code": 4010, "details": "key revoked"}
        });
        Mock::given(matchers::any())
            .respond_with(json(status, body))
            .mount(&server)
            .await;

        let err = client(&server).list_tasks().call().await.unwrap_err();

        assert_request(
            &only_request(&server).await,
            "GET",
            "/v0.1/tasks",
            None,
            "x-api-key",
            API_KEY,
        );
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let body = err.list_tasks_error_body().expect("the envelope");
        assert_eq!(body.status, EnvelopeStatus::Error);
        assert_eq!(body.message, format!("refused ({status})"));
        let details = body.error.as_ref().unwrap();
        assert_eq!(
            (details.code, details.details.as_str()),
            (4010.0, "key revoked")
        );
    }
}

#[tokio::test]
async fn unknown_envelope_status_and_unknown_fields_decode() {
    let server = MockServer::start().await;
    let mut task = summary();
    task["owner"] = json!("team-a");
    let body = json!({"status": "partial", "message": "m", "data": [task], "took_ms": 12});
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let response = client(&server).list_tasks().call().await.unwrap();

    assert_eq!(response.status, EnvelopeStatus::Unknown("partial".into()));
    assert_eq!(response.data[0].id, "task_abc");
}

#[tokio::test]
async fn the_stream_is_the_one_page_and_envelope_errors_end_it() {
    let server = MockServer::start().await;
    let body = json!({"status": "success", "message": "ok", "data": [summary(), summary()]});
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let failed = json!({"status": "error", "message": "Suspended", "data": []});
    Mock::given(matchers::any())
        .respond_with(json(200, failed))
        .mount(&server)
        .await;
    let client = client(&server);

    let tasks: Vec<_> = futures::StreamExt::collect::<Vec<_>>(client.list_tasks().stream()).await;
    assert_eq!(tasks.len(), 2);
    assert!(tasks.iter().all(Result::is_ok));

    let failed: Vec<_> = futures::StreamExt::collect::<Vec<_>>(client.list_tasks().stream()).await;
    assert!(
        matches!(failed.as_slice(), [Err(SdkError::Api(_))]),
        "{failed:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[test]
fn the_documented_quota_is_in_provider() {
    assert_eq!(
        tasks_sdk_promptloop::PROVIDER.rate_limit,
        Some(tasks_sdk_core::RateLimit::new(
            20,
            std::time::Duration::from_secs(60)
        ))
    );
}

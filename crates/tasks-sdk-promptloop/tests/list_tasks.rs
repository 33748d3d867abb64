//! `GET /v0.1/tasks` against a local server: the request PromptLoop's client sends
//! (`x-api-key`) and the envelope it decodes, including the documented error bodies.

use serde_json::json;
use tasks_sdk_promptloop::types::EnvelopeStatus;
use tasks_sdk_promptloop::{Client, Error};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{API_KEY, assert_request, json, only_request};

async fn client(server: &MockServer) -> Client {
    // The spec's server URL ends with '/': the client must not send `//v0.1/tasks`.
    Client::builder()
        .api_key(API_KEY)
        .base_url(format!("{}/", server.uri()))
        .build()
        .unwrap()
}

#[tokio::test]
async fn sends_the_x_api_key_header_and_decodes_the_envelope() {
    let server = MockServer::start().await;
    let body = json!({
        "status": "success",
        "message": "Tasks retrieved",
        "data": [{
            "id": "task_abc",
            "name": "Company enrichment",
            "description": "Finds the industry of a company",
            "created_at": "2024-11-02T15:04:05.000Z",
            "live_version": 3,
            "max_version": 4,
            "run_count": 1250
        }]
    });
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let response = client(&server)
        .await
        .list_tasks()
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server).await;
    assert_request(&request, "GET", "/v0.1/tasks", None, "x-api-key", API_KEY);
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

        let err = client(&server).await.list_tasks().send().await.unwrap_err();

        let Error::ErrorResponse(response) = err else {
            panic!("{status}: expected a typed error, got {err:?}")
        };
        assert_eq!(response.status().as_u16(), status);
        let body = response.into_inner();
        assert_eq!(body.status, EnvelopeStatus::Error);
        assert_eq!(body.message, format!("failed with {status}"));
        let details = body.error.unwrap();
        assert_eq!(details.code, f64::from(status));
        assert_eq!(details.details, "Invalid API key");
    }
}

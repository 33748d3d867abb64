//! `GET /datasets/list-tasks` against a local server: the request Enkrypt AI's client
//! sends (`apikey` header, page-number pagination) and the types it decodes.

use serde_json::json;
use tasks_sdk_enkrypt::types::TaskStatus;
use tasks_sdk_enkrypt::{AuthScheme, Client, Error};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{API_KEY, assert_request, json, only_request};

async fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .build()
        .unwrap()
}

/// The spec's own example response.
fn example_page() -> serde_json::Value {
    json!({
        "datasets": ["Election", "Healthcare"],
        "pagination": {
            "page": 1, "per_page": 10, "total_count": 25, "total_pages": 3,
            "has_next": true, "has_previous": false
        }
    })
}

#[tokio::test]
async fn sends_status_page_per_page_in_the_apikey_header_and_decodes_the_example() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(json(200, example_page()))
        .mount(&server)
        .await;

    let page = client(&server)
        .await
        .list_tasks()
        .status(TaskStatus::Finished)
        .page(1)
        .per_page(10)
        .send()
        .await
        .unwrap()
        .into_inner();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/datasets/list-tasks",
        Some("page=1&per_page=10&status=Finished"),
        "apikey",
        API_KEY,
    );
    assert_eq!(
        page.datasets,
        vec!["Election".to_owned(), "Healthcare".to_owned()]
    );
    let pagination = page.pagination.unwrap();
    assert_eq!(pagination.page, Some(1));
    assert_eq!(pagination.per_page, Some(10));
    assert_eq!(pagination.total_count, Some(25));
    assert_eq!(pagination.total_pages, Some(3));
    assert_eq!(pagination.has_next, Some(true));
    assert_eq!(pagination.has_previous, Some(false));
}

#[tokio::test]
async fn every_status_filter_value_serializes_as_documented() {
    for (status, wire) in [
        (TaskStatus::Queued, "Queued"),
        (TaskStatus::Running, "Running"),
        (TaskStatus::Finished, "Finished"),
        (TaskStatus::Failed, "Failed"),
    ] {
        let server = MockServer::start().await;
        Mock::given(matchers::any())
            .respond_with(json(200, example_page()))
            .mount(&server)
            .await;
        client(&server)
            .await
            .list_tasks()
            .status(status)
            .send()
            .await
            .unwrap();
        let request = only_request(&server).await;
        assert_eq!(request.url.query(), Some(format!("status={wire}").as_str()));
    }
}

#[tokio::test]
async fn bearer_mode_is_opt_in() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(json(200, example_page()))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(API_KEY)
        .base_url(server.uri())
        .auth_scheme(AuthScheme::Bearer)
        .build()
        .unwrap();

    client.list_tasks().send().await.unwrap();

    let request = only_request(&server).await;
    assert_request(
        &request,
        "GET",
        "/datasets/list-tasks",
        None,
        "authorization",
        &format!("Bearer {API_KEY}"),
    );
}

#[tokio::test]
async fn invalid_pagination_400_decodes_to_its_typed_body() {
    let server = MockServer::start().await;
    let message =
        "Invalid pagination parameters. Page must be >= 1, per_page must be between 1 and 100";
    Mock::given(matchers::any())
        .respond_with(json(400, json!({"error": message})))
        .mount(&server)
        .await;

    let err = client(&server)
        .await
        .list_tasks()
        .per_page(100)
        .send()
        .await
        .unwrap_err();

    let Error::ErrorResponse(response) = err else {
        panic!("expected a typed error, got {err:?}")
    };
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(response.into_inner().error.as_deref(), Some(message));
}

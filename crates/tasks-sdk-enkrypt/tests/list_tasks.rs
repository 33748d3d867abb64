//! `GET /datasets/list-tasks` against a local server: the request Enkrypt AI's client
//! sends (`apikey` header, page-number pagination) and the types it decodes.

use serde_json::json;
use tasks_sdk_core::Error as SdkError;
use tasks_sdk_enkrypt::types::{ErrorBody, TaskStatus};
use tasks_sdk_enkrypt::{AuthScheme, Client};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{API_KEY, assert_request, json, only_request, single_attempt};

fn client(server: &MockServer) -> Client {
    single_attempt(server.uri()).build().unwrap()
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

async fn serve_example() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(json(200, example_page()))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn sends_status_page_per_page_in_the_apikey_header_and_decodes_the_example() {
    let server = serve_example().await;

    let page = client(&server)
        .list_tasks()
        .status(TaskStatus::Finished)
        .page(1)
        .per_page(10)
        .call()
        .await
        .unwrap();

    let request = only_request(&server).await;
    let query = "page=1&per_page=10&status=Finished";
    assert_request(
        &request,
        "GET",
        "/datasets/list-tasks",
        Some(query),
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
async fn every_status_filter_value_serializes_as_documented_and_new_ones_pass_through() {
    for (status, wire) in [
        (TaskStatus::Queued, "Queued"),
        (TaskStatus::Running, "Running"),
        (TaskStatus::Finished, "Finished"),
        (TaskStatus::Failed, "Failed"),
        (TaskStatus::Unknown("Paused".into()), "Paused"),
    ] {
        let server = serve_example().await;
        client(&server)
            .list_tasks()
            .status(status)
            .call()
            .await
            .unwrap();
        let request = only_request(&server).await;
        assert_eq!(request.url.query(), Some(format!("status={wire}").as_str()));
    }
}

#[tokio::test]
async fn bearer_mode_is_opt_in() {
    let server = serve_example().await;
    let client: Client = single_attempt(server.uri())
        .auth_scheme(AuthScheme::Bearer)
        .build()
        .unwrap();

    client.list_tasks().call().await.unwrap();

    let request = only_request(&server).await;
    let bearer = format!("Bearer {API_KEY}");
    assert_request(
        &request,
        "GET",
        "/datasets/list-tasks",
        None,
        "authorization",
        &bearer,
    );
}

#[tokio::test]
async fn page_and_per_page_outside_their_ranges_fail_before_sending() {
    let server = MockServer::start().await;
    let c = client(&server);
    let cases = [
        ("page", c.list_tasks().page(0).call().await),
        ("page", c.list_tasks().page(0u64).call().await),
        ("per_page", c.list_tasks().per_page(0).call().await),
        ("per_page", c.list_tasks().per_page(101).call().await),
    ];
    for (param, result) in cases {
        let err = result.unwrap_err();
        assert!(
            matches!(&err, SdkError::InvalidArgument { name, .. } if name == param),
            "{param}: {err}"
        );
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing may be sent"
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
        .list_tasks()
        .per_page(100)
        .call()
        .await
        .unwrap_err();

    let SdkError::Api(api) = &err else {
        panic!("expected an API error, got {err:?}")
    };
    assert_eq!(api.status.as_u16(), 400);
    assert_eq!(api.message, message);
    assert_eq!(
        api.body::<ErrorBody>().unwrap().error.as_deref(),
        Some(message)
    );
}

#[tokio::test]
async fn unknown_fields_are_ignored() {
    let server = MockServer::start().await;
    let mut body = example_page();
    body["pagination"]["cursor"] = json!("abc");
    body["generated_at"] = json!("2025-01-01T00:00:00Z");
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;

    let page = client(&server).list_tasks().call().await.unwrap();

    // Enkrypt's response has no enum (task names are strings); the status enum of the
    // query is forward-compatible (see the filter test above).
    assert_eq!(page.datasets.len(), 2);
    assert_eq!(page.pagination.unwrap().total_count, Some(25));
}

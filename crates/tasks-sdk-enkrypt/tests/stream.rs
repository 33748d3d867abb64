//! `list_tasks().stream()`: Enkrypt AI's page-number pagination (`page` 1, 2, ... while
//! `pagination.has_next`): the crate's test kit for well-behaved pages, wiremock for a
//! hostile one.

use futures::StreamExt;
use serde_json::json;
use tasks_sdk_core::Error as SdkError;
use tasks_sdk_enkrypt::Client;
use tasks_sdk_enkrypt::testing;
use tasks_sdk_enkrypt::types::TaskStatus;
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{json, request_count, single_attempt};

fn page(number: u64, names: &[&str], has_next: bool) -> serde_json::Value {
    json!({
        "datasets": names,
        "pagination": {"page": number, "per_page": 2, "total_count": 5, "total_pages": 3, "has_next": has_next, "has_previous": number > 1}
    })
}

#[tokio::test]
async fn walks_page_numbers_until_has_next_is_false() {
    // The crate's own test kit serves the pages in Enkrypt AI's style.
    let server = testing::MockServer::start().await;
    let names = ["a", "b", "c", "d", "e"].map(String::from);
    server.list_tasks().items(names.to_vec());

    let names: Vec<String> = server
        .client()
        .list_tasks()
        .per_page(2)
        .status(TaskStatus::Finished)
        .stream()
        .map(Result::unwrap)
        .collect()
        .await;

    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    let received = server.received();
    let pages: Vec<Option<&str>> = received.iter().map(|r| r.query_param("page")).collect();
    assert_eq!(pages, [Some("1"), Some("2"), Some("3")]);
    for request in &received {
        assert_eq!(request.query_param("per_page"), Some("2"));
        assert_eq!(request.query_param("status"), Some("Finished"));
    }
}

#[tokio::test]
async fn empty_pages_that_say_has_next_end_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(json(200, page(1, &[], true)))
        .mount(&server)
        .await;
    let client: Client = single_attempt(server.uri()).build().unwrap();

    let results: Vec<_> = client.list_tasks().stream().collect().await;

    assert_eq!(results.len(), 1);
    assert!(
        matches!(&results[0], Err(SdkError::Pagination { .. })),
        "{results:?}"
    );
    assert_eq!(request_count(&server).await, 3);
}

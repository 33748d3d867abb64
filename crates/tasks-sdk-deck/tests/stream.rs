//! `list_tasks().stream()`: Deck's cursor pagination (`cursor` in, `next_cursor` and
//! `has_more` out) against a local multi-page server.

use futures::StreamExt;
use serde_json::json;
use tasks_sdk_core::Error as SdkError;
use tasks_sdk_deck::Client;
use tasks_sdk_testkit::wiremock::{Mock, MockServer, ResponseTemplate, matchers};
use tasks_sdk_testkit::{json, request_count, single_attempt};

fn task(id: usize) -> serde_json::Value {
    json!({
        "id": format!("task_{id}"), "object": "task", "name": format!("Task {id}"), "prompt": null,
        "status": "live", "agent_id": "agt_1", "input_schema": null, "output_schema": null,
        "storage": null, "created_at": "2025-03-01T09:30:00Z", "updated_at": "2025-03-01T09:30:00Z",
        "request_id": "req"
    })
}

/// Serves `pages` pages of `per_page` tasks: page `i` answers `cursor=c{i}` (page 0
/// answers no cursor) and points at `c{i+1}`; the last says `has_more: false`.
async fn serve_pages(server: &MockServer, pages: usize, per_page: usize) {
    for i in 0..pages {
        let last = i + 1 == pages;
        let body = json!({
            "data": (i * per_page..(i + 1) * per_page).map(task).collect::<Vec<_>>(),
            "has_more": !last,
            "next_cursor": if last { serde_json::Value::Null } else { json!(format!("c{}", i + 1)) },
            "request_id": format!("req_{i}")
        });
        let matcher = if i == 0 {
            Mock::given(matchers::query_param_is_missing("cursor"))
        } else {
            Mock::given(matchers::query_param("cursor", format!("c{i}")))
        };
        matcher
            .and(matchers::query_param("limit", "2"))
            .respond_with(json(200, body))
            .mount(server)
            .await;
    }
}

fn client(server: &MockServer) -> Client {
    single_attempt(server.uri()).build().unwrap()
}

fn ids(tasks: &[Result<tasks_sdk_deck::types::Task, SdkError>]) -> Vec<String> {
    tasks
        .iter()
        .map(|t| t.as_ref().unwrap().id.clone())
        .collect()
}

#[tokio::test]
async fn every_item_of_five_pages_arrives_once_in_order() {
    let server = MockServer::start().await;
    serve_pages(&server, 5, 2).await;

    let tasks: Vec<_> = client(&server)
        .list_tasks()
        .limit(2)
        .stream()
        .collect()
        .await;

    let expected: Vec<String> = (0..10).map(|i| format!("task_{i}")).collect();
    assert_eq!(ids(&tasks), expected);
    assert_eq!(request_count(&server).await, 5);
}

#[tokio::test]
async fn pages_are_fetched_only_as_items_are_consumed() {
    let server = MockServer::start().await;
    serve_pages(&server, 5, 2).await;
    let client = client(&server);
    let mut stream = client.list_tasks().limit(2).stream();

    assert_eq!(
        request_count(&server).await,
        0,
        "nothing before the first poll"
    );
    let first_three: Vec<_> = stream.by_ref().take(3).collect().await;

    assert_eq!(ids(&first_three), ["task_0", "task_1", "task_2"]);
    assert_eq!(request_count(&server).await, 2, "3 items need 2 pages of 2");
    assert_eq!(stream.pages_fetched(), 2);
    assert_eq!(stream.next().await.unwrap().unwrap().id, "task_3");
    assert_eq!(
        request_count(&server).await,
        2,
        "task_3 was already on page 2"
    );
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error() {
    let server = MockServer::start().await;
    let page = |cursor: &str| json!({"data": [task(0)], "has_more": true, "next_cursor": cursor, "request_id": "r"});
    Mock::given(matchers::query_param_is_missing("cursor"))
        .respond_with(json(200, page("c1")))
        .mount(&server)
        .await;
    Mock::given(matchers::query_param("cursor", "c1"))
        .respond_with(json(200, page("c2")))
        .mount(&server)
        .await;
    Mock::given(matchers::query_param("cursor", "c2"))
        .respond_with(json(200, page("c1")))
        .mount(&server)
        .await;

    let results: Vec<_> = client(&server).list_tasks().stream().collect().await;

    assert_eq!(
        results.len(),
        4,
        "3 pages of one item, then the error: {results:?}"
    );
    assert!(results[..3].iter().all(Result::is_ok));
    let err = results[3].as_ref().unwrap_err();
    assert!(
        matches!(err, SdkError::Pagination { reason } if reason.contains("\"c1\"")),
        "{err}"
    );
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn an_error_on_page_three_comes_after_the_items_of_pages_one_and_two() {
    let server = MockServer::start().await;
    for i in 0..2 {
        let body = json!({"data": [task(2 * i), task(2 * i + 1)], "has_more": true, "next_cursor": format!("c{}", i + 1), "request_id": "r"});
        let m = if i == 0 {
            Mock::given(matchers::query_param_is_missing("cursor"))
        } else {
            Mock::given(matchers::query_param("cursor", format!("c{i}")))
        };
        m.respond_with(json(200, body)).mount(&server).await;
    }
    let broken = json!({"errors": [{"type": "server", "code": "internal", "message": "boom"}], "request_id": "req_boom"});
    Mock::given(matchers::query_param("cursor", "c2"))
        .respond_with(json(500, broken))
        .mount(&server)
        .await;

    let results: Vec<_> = client(&server).list_tasks().stream().collect().await;

    assert_eq!(results.len(), 5);
    assert_eq!(ids(&results[..4]), ["task_0", "task_1", "task_2", "task_3"]);
    let err = results[4].as_ref().unwrap_err();
    assert!(matches!(err, SdkError::Server(_)), "{err:?}");
    assert_eq!(err.request_id(), Some("req_boom"));
}

#[tokio::test]
async fn max_items_and_max_pages_bound_the_stream() {
    let server = MockServer::start().await;
    serve_pages(&server, 5, 2).await;
    let client = client(&server);

    let three: Vec<_> = client
        .list_tasks()
        .limit(2)
        .stream()
        .max_items(3)
        .collect()
        .await;
    assert_eq!(ids(&three), ["task_0", "task_1", "task_2"]);
    assert_eq!(request_count(&server).await, 2);

    let two_pages: Vec<_> = client
        .list_tasks()
        .limit(2)
        .stream()
        .max_pages(2)
        .collect()
        .await;
    assert_eq!(ids(&two_pages), ["task_0", "task_1", "task_2", "task_3"]);
    assert_eq!(request_count(&server).await, 4);
}

#[tokio::test]
async fn empty_pages_that_keep_saying_more_end_with_an_error() {
    let server = MockServer::start().await;
    for i in 0..10 {
        let body = json!({"data": [], "has_more": true, "next_cursor": format!("c{}", i + 1), "request_id": "r"});
        let m = if i == 0 {
            Mock::given(matchers::query_param_is_missing("cursor"))
        } else {
            Mock::given(matchers::query_param("cursor", format!("c{i}")))
        };
        m.respond_with(json(200, body)).mount(&server).await;
    }

    let results: Vec<_> = client(&server).list_tasks().stream().collect().await;

    assert_eq!(results.len(), 1);
    assert!(
        matches!(&results[0], Err(SdkError::Pagination { .. })),
        "{results:?}"
    );
    assert_eq!(request_count(&server).await, 3);
}

#[tokio::test]
async fn retries_apply_to_every_page() {
    let server = MockServer::start().await;
    serve_pages(&server, 2, 2).await;
    // The second page fails once with 503 before it succeeds.
    Mock::given(matchers::query_param("cursor", "c1"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let (sleep, delays) = tasks_sdk_testkit::recording_sleep();
    let client: Client = tasks_sdk_core::ClientBuilder::new()
        .api_key(tasks_sdk_testkit::API_KEY)
        .base_url(server.uri())
        .sleep_impl(sleep)
        .build()
        .unwrap();

    let tasks: Vec<_> = client.list_tasks().limit(2).stream().collect().await;

    assert_eq!(ids(&tasks), ["task_0", "task_1", "task_2", "task_3"]);
    assert_eq!(delays.lock().unwrap().len(), 1);
    assert_eq!(request_count(&server).await, 3);
}

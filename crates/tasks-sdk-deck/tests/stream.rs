//! `list_tasks().stream()`: Deck's cursor pagination (`cursor` in, `next_cursor` and
//! `has_more` out) against a local multi-page server: the crate's own test kit for
//! well-behaved pages, wiremock for the hostile ones.

use futures::StreamExt;
use serde_json::json;
use tasks_sdk_core::{Error as SdkError, RetryPolicy};
use tasks_sdk_deck::Client;
use tasks_sdk_deck::testing::{self, example};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{json, request_count, single_attempt};

fn task(id: usize) -> serde_json::Value {
    json!({
        "id": format!("task_{id}"), "object": "task", "name": format!("Task {id}"), "prompt": null,
        "status": "live", "agent_id": "agt_1", "input_schema": null, "output_schema": null,
        "storage": null, "created_at": "2025-03-01T09:30:00Z", "updated_at": "2025-03-01T09:30:00Z",
        "request_id": "req"
    })
}

/// A kit server listing `n` tasks (`task_0`...), as pages in Deck's own cursor style,
/// of the size each request sets (`limit`).
async fn serve_tasks(n: usize) -> testing::MockServer {
    let server = testing::MockServer::start().await;
    let tasks = (0..n).map(|i| tasks_sdk_deck::types::Task {
        id: format!("task_{i}"),
        ..example()
    });
    server.list_tasks().items(tasks.collect());
    server
}

/// A client of a kit server that makes one attempt per call.
fn kit_client(server: &testing::MockServer) -> Client {
    server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
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
    let server = serve_tasks(10).await;

    let tasks: Vec<_> = kit_client(&server)
        .list_tasks()
        .limit(2)
        .stream()
        .collect()
        .await;

    let expected: Vec<String> = (0..10).map(|i| format!("task_{i}")).collect();
    assert_eq!(ids(&tasks), expected);
    let received = server.received();
    assert_eq!(received.len(), 5);
    // Each page asks for the next cursor the previous one gave, at the limit set.
    let cursors: Vec<Option<&str>> = received.iter().map(|r| r.query_param("cursor")).collect();
    assert_eq!(cursors, [None, Some("2"), Some("4"), Some("6"), Some("8")]);
    assert!(received.iter().all(|r| r.query_param("limit") == Some("2")));
}

#[tokio::test]
async fn pages_are_fetched_only_as_items_are_consumed() {
    let server = serve_tasks(10).await;
    let client = kit_client(&server);
    let mut stream = client.list_tasks().limit(2).stream();

    assert_eq!(server.received().len(), 0, "nothing before the first poll");
    let first_three: Vec<_> = stream.by_ref().take(3).collect().await;

    assert_eq!(ids(&first_three), ["task_0", "task_1", "task_2"]);
    assert_eq!(server.received().len(), 2, "3 items need 2 pages of 2");
    assert_eq!(stream.pages_fetched(), 2);
    assert_eq!(stream.next().await.unwrap().unwrap().id, "task_3");
    assert_eq!(server.received().len(), 2, "task_3 was already on page 2");
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
    let server = serve_tasks(10).await;
    let client = kit_client(&server);

    let three: Vec<_> = client
        .list_tasks()
        .limit(2)
        .stream()
        .max_items(3)
        .collect()
        .await;
    assert_eq!(ids(&three), ["task_0", "task_1", "task_2"]);
    assert_eq!(server.received().len(), 2);

    let two_pages: Vec<_> = client
        .list_tasks()
        .limit(2)
        .stream()
        .max_pages(2)
        .collect()
        .await;
    assert_eq!(ids(&two_pages), ["task_0", "task_1", "task_2", "task_3"]);
    assert_eq!(server.received().len(), 4);
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
    let server = serve_tasks(4).await;
    // The second page fails once with a 500 before it succeeds.
    server
        .list_tasks()
        .when(|q| q.cursor("2").limit(2))
        .server_error(1);
    let (sleep, delays) = tasks_sdk_testkit::recording_sleep();
    let client = server.client_builder().sleep_impl(sleep).build().unwrap();

    let tasks: Vec<_> = client.list_tasks().limit(2).stream().collect().await;

    assert_eq!(ids(&tasks), ["task_0", "task_1", "task_2", "task_3"]);
    assert_eq!(delays.lock().unwrap().len(), 1);
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn last_response_is_the_metadata_of_the_page_being_yielded() {
    use tasks_sdk_testkit::wiremock::ResponseTemplate;
    let server = MockServer::start().await;
    let page = |id: usize, next: Option<&str>, request_id: &str| json!({"data": [task(id)], "has_more": next.is_some(), "next_cursor": next, "request_id": request_id});
    // Page 1: the request id in a header; page 2: only in the body, after a 503 retried.
    Mock::given(matchers::query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(1, Some("c2"), "req_body_1"))
                .insert_header("x-request-id", "req_header_1"),
        )
        .mount(&server)
        .await;
    Mock::given(matchers::query_param("cursor", "c2"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(matchers::query_param("cursor", "c2"))
        .respond_with(json(200, page(2, None, "req_body_2")))
        .mount(&server)
        .await;
    let (sleep, _) = tasks_sdk_testkit::recording_sleep();
    let client: Client = tasks_sdk_core::ClientBuilder::new()
        .api_key(tasks_sdk_testkit::API_KEY)
        .base_url(server.uri())
        .sleep_impl(sleep)
        .build()
        .unwrap();
    let mut stream = client.list_tasks().stream();
    assert!(stream.last_response().is_none(), "nothing fetched yet");

    assert_eq!(stream.next().await.unwrap().unwrap().id, "task_1");
    let first = stream.last_response().expect("page 1's response");
    assert_eq!(first.status().as_u16(), 200);
    assert_eq!(first.request_id(), Some("req_header_1"), "the header first");
    assert_eq!(first.headers()["x-request-id"], "req_header_1");
    assert_eq!(first.attempts(), 1);

    assert_eq!(stream.next().await.unwrap().unwrap().id, "task_2");
    let second = stream.last_response().expect("page 2's response");
    assert_eq!(
        second.request_id(),
        Some("req_body_2"),
        "else the body's field"
    );
    assert_eq!(second.attempts(), 2, "the 503, then the page");
    assert!(stream.next().await.is_none());
    assert_eq!(request_count(&server).await, 3);
}

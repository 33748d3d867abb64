//! The generated test kit (`tasks_sdk_deck::testing`, feature `test-util`) through the
//! real client: each stub, each fault, the requests recorded, example values.

use std::time::Duration;

use tasks_sdk_core::{Error, RetryPolicy};
use tasks_sdk_deck::testing::{MockServer, REDACTED, TEST_API_KEY, example};
use tasks_sdk_deck::types::{ListTasksErrorBody, Task, TaskPage, ValidationErrorResponse};
use tasks_sdk_testkit::recording_sleep;

fn task(id: &str) -> Task {
    Task {
        id: id.into(),
        ..example()
    }
}

fn page(ids: &[&str]) -> TaskPage {
    TaskPage {
        data: ids.iter().map(|id| task(id)).collect(),
        has_more: Some(false),
        ..example()
    }
}

fn ids(page: &TaskPage) -> Vec<&str> {
    page.data.iter().map(|t| t.id.as_str()).collect()
}

/// A client of `server` that makes one attempt per call.
fn single_attempt(server: &MockServer) -> tasks_sdk_deck::Client {
    server
        .client_builder()
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn respond_serves_the_typed_body_and_received_records_the_request() {
    let server = MockServer::start().await;
    server.list_tasks().respond(page(&["t1", "t2"]));

    let got = server
        .client()
        .list_tasks()
        .status("live")
        .call()
        .await
        .unwrap();
    assert_eq!(ids(&got), ["t1", "t2"]);

    let received = server.received();
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.operation, Some("list_tasks"));
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("GET", "/tasks")
    );
    assert_eq!(request.query, [("status".to_owned(), "live".to_owned())]);
    // The credential was sent, and is not kept.
    assert_eq!(request.header("authorization"), Some(REDACTED));
    assert!(!format!("{received:?}").contains(TEST_API_KEY));
    assert_eq!(request.header("accept"), Some("application/json"));
}

#[tokio::test]
async fn when_matches_the_parameters_the_builder_sets() {
    let server = MockServer::start().await;
    server.list_tasks().respond(page(&["any"]));
    server
        .list_tasks()
        .when(|q| q.status("live").agent_id("agt_1"))
        .respond(page(&["live"]));
    let client = server.client();

    let live = client
        .list_tasks()
        .status("live")
        .agent_id("agt_1")
        .limit(5)
        .call();
    assert_eq!(ids(&live.await.unwrap()), ["live"]);
    let other = client
        .list_tasks()
        .status("paused")
        .agent_id("agt_1")
        .call();
    assert_eq!(ids(&other.await.unwrap()), ["any"]);
    let partial = client.list_tasks().status("live").call();
    assert_eq!(ids(&partial.await.unwrap()), ["any"]);
}

#[tokio::test]
#[should_panic(expected = "list_tasks().when(..) cannot build the request")]
async fn when_with_an_out_of_range_value_says_so() {
    let server = MockServer::start().await;
    // `limit` is documented as 1..=100.
    let _ = server.list_tasks().when(|q| q.limit(101));
}

#[tokio::test]
async fn a_request_without_a_stub_gets_a_404_naming_the_stub_to_mount() {
    let server = MockServer::start().await;
    let error = single_attempt(&server)
        .list_tasks()
        .call()
        .await
        .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status.as_u16(), 404);
    assert!(
        error
            .to_string()
            .contains("mount one with server.list_tasks()"),
        "{error}"
    );
}

#[tokio::test]
async fn respond_error_serves_the_operations_typed_error_body() {
    let server = MockServer::start().await;
    let body = ValidationErrorResponse {
        errors: [("limit".to_owned(), vec!["too large".to_owned()])].into(),
        ..example()
    };
    server
        .list_tasks()
        .respond_error(422, ListTasksErrorBody::ValidationErrorResponse(body));

    let error = server.client().list_tasks().call().await.unwrap_err();
    let api = error.api_error().expect("an API error");
    assert_eq!(api.status.as_u16(), 422);
    let Some(ListTasksErrorBody::ValidationErrorResponse(decoded)) =
        api.body::<ListTasksErrorBody>()
    else {
        panic!("typed body: {error:?}")
    };
    assert_eq!(decoded.errors["limit"], ["too large"]);
}

#[tokio::test]
async fn times_limits_a_reply_to_the_next_calls() {
    let server = MockServer::start().await;
    server.list_tasks().respond(page(&["later"]));
    server.list_tasks().times(1).respond(page(&["first"]));
    let client = server.client();
    assert_eq!(ids(&client.list_tasks().call().await.unwrap()), ["first"]);
    assert_eq!(ids(&client.list_tasks().call().await.unwrap()), ["later"]);
}

#[tokio::test]
async fn items_are_served_as_cursor_pages_honouring_the_limit_sent() {
    let server = MockServer::start().await;
    let tasks: Vec<Task> = (1..=5).map(|i| task(&format!("t{i}"))).collect();
    server.list_tasks().items(tasks);

    let all = server
        .client()
        .list_tasks()
        .limit(2)
        .stream()
        .collect_all()
        .await
        .unwrap();
    let got: Vec<&str> = all.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(got, ["t1", "t2", "t3", "t4", "t5"]);
    let received = server.received();
    let cursors: Vec<Option<&str>> = received.iter().map(|r| r.query_param("cursor")).collect();
    // Deck's own cursor style: the next cursor from each page, and no request past the
    // last page (`has_more: false`).
    assert_eq!(cursors, [None, Some("2"), Some("4")]);
}

#[tokio::test]
async fn rate_limited_sends_429_with_retry_after_which_the_client_honours() {
    let server = MockServer::start().await;
    server.list_tasks().respond(page(&["t1"]));
    server.list_tasks().rate_limited(Duration::from_secs(3));

    // Retries on: the client sleeps the `Retry-After`, then succeeds.
    let (sleep, delays) = recording_sleep();
    let client = server.client_builder().sleep_impl(sleep).build().unwrap();
    assert_eq!(ids(&client.list_tasks().call().await.unwrap()), ["t1"]);
    assert_eq!(*delays.lock().unwrap(), [Duration::from_secs(3)]);
    assert_eq!(server.received().len(), 2);

    // Retries off: the error says when to come back.
    server
        .list_tasks()
        .rate_limited(Duration::from_millis(1500));
    let error = single_attempt(&server)
        .list_tasks()
        .call()
        .await
        .unwrap_err();
    let Error::RateLimited(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.retry_after, Some(Duration::from_secs(2)), "rounded up");
}

#[tokio::test]
async fn server_error_fails_the_next_calls_then_lets_them_through() {
    let server = MockServer::start().await;
    server.list_tasks().respond(page(&["t1"]));
    server.list_tasks().server_error(2);

    let (sleep, delays) = recording_sleep();
    let client = server.client_builder().sleep_impl(sleep).build().unwrap();
    // Three attempts by default: two 500s, then the reply.
    assert_eq!(ids(&client.list_tasks().call().await.unwrap()), ["t1"]);
    assert_eq!(delays.lock().unwrap().len(), 2);
    assert_eq!(server.received().len(), 3);

    server.list_tasks().server_error(1);
    let error = single_attempt(&server)
        .list_tasks()
        .call()
        .await
        .unwrap_err();
    let Error::Server(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status.as_u16(), 500);
}

#[tokio::test]
async fn stall_makes_a_short_timeout_fire() {
    let server = MockServer::start().await;
    server.list_tasks().respond(page(&["t1"]));
    server.list_tasks().stall(Duration::from_secs(5));
    let client = server
        .client_builder()
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let error = client.list_tasks().call().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    // The stall was for one call: the next one is answered at once.
    assert_eq!(ids(&client.list_tasks().call().await.unwrap()), ["t1"]);
}

#[tokio::test]
async fn malformed_body_is_a_decode_error() {
    let server = MockServer::start().await;
    server.list_tasks().malformed_body();
    let error = single_attempt(&server)
        .list_tasks()
        .call()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.status, 200);
}

#[tokio::test]
async fn reset_connection_is_a_connection_error_that_a_retry_gets_past() {
    let server = MockServer::start().await;
    server.list_tasks().respond(page(&["t1"]));
    server.list_tasks().reset_connection();
    let error = single_attempt(&server)
        .list_tasks()
        .call()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");

    server.list_tasks().reset_connection();
    let (sleep, _) = recording_sleep();
    let client = server.client_builder().sleep_impl(sleep).build().unwrap();
    assert_eq!(ids(&client.list_tasks().call().await.unwrap()), ["t1"]);
}

#[test]
fn examples_are_valid_values_of_the_spec() {
    let task: Task = example();
    // Required strings are named after their field; optional fields are left out.
    assert_eq!(task.id, "id-1");
    assert_eq!(task.input_schema, None);
    // An example survives a round trip through the wire format.
    let json = serde_json::to_value(&task).unwrap();
    assert_eq!(serde_json::from_value::<Task>(json).unwrap(), task);
}

//! The retry loop, `Error::is_transient` and the retry budget, at the HTTP boundary.

#[macro_use]
mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Fake, PRIVATE};
use tasks_sdk_core::{ClientBuilder, Error, RetryBudget, RetryPolicy, Sleep};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers};

provider!(Retried, "RETRY_1", &[], PRIVATE, "http://127.0.0.1:1");

/// A sleep that records what it was asked to wait, and returns at once.
fn recording_sleep() -> (Sleep, Arc<Mutex<Vec<Duration>>>) {
    let delays = Arc::new(Mutex::new(Vec::new()));
    let recorded = delays.clone();
    let sleep = Sleep::new(move |d| {
        recorded.lock().unwrap().push(d);
        async {}
    });
    (sleep, delays)
}

fn builder(base_url: &str, max_attempts: u32) -> ClientBuilder<Fake<Retried>> {
    ClientBuilder::new()
        .base_url(base_url)
        .retry_policy(RetryPolicy::with_max_attempts(max_attempts))
        .sleep_impl(recording_sleep().0)
}

#[tokio::test]
async fn the_retry_loop_and_is_transient_agree_on_every_status_from_400_to_599() {
    let server = MockServer::start().await;
    for code in 400u16..=599 {
        Mock::given(matchers::path(format!("/s/{code}")))
            .respond_with(ResponseTemplate::new(code))
            .mount(&server)
            .await;
    }
    let client = builder(&server.uri(), 2).build().unwrap();
    let mut retried = Vec::new();
    for code in 400u16..=599 {
        let before = server.received_requests().await.unwrap().len();
        let err = client.call(&format!("/s/{code}"), "get").await.unwrap_err();
        let sent = server.received_requests().await.unwrap().len() - before;
        assert_eq!(err.status().map(|s| s.as_u16()), Some(code));
        assert_eq!(
            err.is_transient(),
            sent == 2,
            "{code}: sent {sent} time(s), is_transient() = {}",
            err.is_transient()
        );
        assert_eq!(
            tasks_sdk_core::is_retryable_status(err.status().unwrap()),
            sent == 2
        );
        if sent == 2 {
            retried.push(code);
        }
    }
    assert_eq!(retried, [408, 429, 500, 502, 503, 504]);
}

#[tokio::test]
async fn connection_failures_are_retried_and_transient() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (sleep, delays) = recording_sleep();
    let client = builder(&format!("http://127.0.0.1:{port}"), 2)
        .sleep_impl(sleep)
        .build()
        .unwrap();
    let err = client.call("/x", "get").await.unwrap_err();
    assert!(
        matches!(err, tasks_sdk_core::Error::Connection { .. }),
        "{err:?}"
    );
    assert!(err.is_transient());
    assert_eq!(delays.lock().unwrap().len(), 1, "retried once");
}

#[tokio::test]
async fn an_empty_budget_stops_retries_for_the_client_and_its_clones_until_successes_refill_it() {
    let server = MockServer::start().await;
    Mock::given(matchers::path("/busy"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    Mock::given(matchers::path("/ok"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = builder(&server.uri(), 3)
        .retry_budget(RetryBudget::new(12, 5, 10, 1))
        .build()
        .unwrap();
    let clone = client.clone();
    let busy = || async {
        let before = server.received_requests().await.unwrap().len();
        let err = client.call("/busy", "get").await.unwrap_err();
        assert!(matches!(err, Error::Server(_)), "{err:?}");
        server.received_requests().await.unwrap().len() - before
    };

    assert_eq!(busy().await, 3, "two retries: 10 of 12 tokens");
    assert_eq!(client.runtime.retry_tokens(), Some(2));
    assert_eq!(busy().await, 1, "2 tokens left: no retry, the last error");
    assert_eq!(
        clone.runtime.retry_tokens(),
        Some(2),
        "clones share the bucket"
    );
    let before = server.received_requests().await.unwrap().len();
    clone.call("/busy", "get").await.unwrap_err();
    assert_eq!(server.received_requests().await.unwrap().len() - before, 1);

    for _ in 0..3 {
        clone.call("/ok", "get").await.unwrap();
    }
    assert_eq!(client.runtime.retry_tokens(), Some(5), "1 back per success");
    assert_eq!(busy().await, 2, "5 tokens buy one retry");
}

#[tokio::test]
async fn a_disabled_budget_never_stops_retries() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = builder(&server.uri(), 3)
        .retry_budget(RetryBudget::disabled())
        .build()
        .unwrap();
    for _ in 0..10 {
        client.call("/busy", "get").await.unwrap_err();
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 30);
    assert_eq!(client.runtime.retry_tokens(), None);
}

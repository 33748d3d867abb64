//! Tracing output of retried and failing requests of every provider: the span's facts,
//! and never the key (at TRACE level, reqwest's and hyper's events included).
//!
//! One test in a binary of its own: tracing caches per call site whether anyone
//! listens, so other tests running in parallel threads without a subscriber would
//! silence some of these events.

use std::sync::{Arc, Mutex};

use futures::StreamExt;
use serde_json::json;
use tasks_sdk::core::ClientBuilder;
use tasks_sdk::{SourceOptions, TaskFilter, deck};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, recording_sleep};

/// A tracing writer that keeps everything in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn spans_carry_the_facts_and_never_the_key() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // Every provider: a 503 (retried), then a 401 (not retried).
    for provider in ["promptloop", "deck", "aether", "twill", "enkrypt"] {
        let server = MockServer::start().await;
        Mock::given(matchers::any())
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(matchers::any())
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "bad key"})))
            .mount(&server)
            .await;
        let (sleep, delays) = recording_sleep();
        let options = SourceOptions::new()
            .api_key(API_KEY)
            .base_url(server.uri())
            .sleep(sleep);
        let source = tasks_sdk::source_from_env(provider, &options)
            .unwrap()
            .unwrap();
        let results: Vec<_> = source.tasks(&TaskFilter::new()).collect().await;
        assert!(
            matches!(
                results.as_slice(),
                [Err(tasks_sdk::core::Error::Unauthorized(_))]
            ),
            "{provider}: {results:?}"
        );
        assert_eq!(delays.lock().unwrap().len(), 1, "{provider}: one retry");
    }

    // A retried success: the span's fields.
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let page = json!({"data": [], "has_more": false, "next_cursor": null, "request_id": "r"});
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let (sleep, _) = recording_sleep();
    let client: deck::Client = ClientBuilder::new()
        .api_key(API_KEY)
        .base_url(server.uri())
        .sleep_impl(sleep)
        .build()
        .unwrap();
    client.list_tasks().call().await.unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let closes: Vec<&str> = output
        .lines()
        .filter(|l| l.contains("tasks_sdk.request") && l.contains("close"))
        .collect();
    assert_eq!(closes.len(), 6, "one span per request: {output}");
    for provider in ["promptloop", "deck", "aether", "twill", "enkrypt"] {
        assert!(
            closes.iter().any(
                |l| l.contains(&format!("provider=\"{provider}\"")) && l.contains("status=401")
            ),
            "{provider}"
        );
    }
    let last = closes[5];
    for field in [
        "provider=\"deck\"",
        "operation=\"list_tasks\"",
        "method=GET",
        "path=\"/tasks\"",
        "status=200",
        "attempts=2",
        "duration_ms=",
    ] {
        assert!(last.contains(field), "{field} missing from {last}");
    }
    assert_eq!(output.matches("retrying").count(), 6, "{output}");
    assert!(!output.contains(API_KEY), "key in traces: {output}");
}

//! Tracing output of a retried request. In a test binary of its own: tracing caches
//! per call site whether anyone listens, so tests running in parallel threads without a
//! subscriber would silence this one's.

use std::sync::{Arc, Mutex};

use serde_json::json;
use tasks_sdk::core::ClientBuilder;
use tasks_sdk::deck;
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
async fn one_span_per_request_with_its_facts_and_no_secret() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": [], "has_more": false, "next_cursor": null, "request_id": "r"}),
        ))
        .mount(&server)
        .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let (sleep, _) = recording_sleep();
    let client: deck::Client = ClientBuilder::new()
        .api_key(API_KEY)
        .base_url(server.uri())
        .sleep_impl(sleep)
        .build()
        .unwrap();

    client.list_tasks().call().await.unwrap();

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let close = output
        .lines()
        .find(|l| l.contains("close"))
        .unwrap_or_else(|| panic!("no span close in {output}"));
    for field in [
        "tasks_sdk.request",
        "provider=\"deck\"",
        "operation=\"list_tasks\"",
        "method=GET",
        "path=\"/tasks\"",
        "status=200",
        "attempts=2",
        "duration_ms=",
    ] {
        assert!(close.contains(field), "{field} missing from {close}");
    }
    assert!(output.contains("retrying"), "{output}");
    assert!(!output.contains(API_KEY), "key in traces: {output}");
}

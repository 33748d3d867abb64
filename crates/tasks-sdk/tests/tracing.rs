//! Tracing output of retried and failing requests of every provider: the span's facts,
//! and never the key (at TRACE level, reqwest's and hyper's events included).
//!
//! One test in a binary of its own: tracing caches per call site whether anyone
//! listens, so other tests running in parallel threads without a subscriber would
//! silence some of these events.

use std::sync::{Arc, Mutex};

use futures::StreamExt;
use serde_json::json;
use tasks_sdk::{PROVIDERS, SourceOptions, TaskFilter};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, list_example, recording_sleep};

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
    for provider in PROVIDERS.iter().map(|p| p.name) {
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

    // A retried success of the first provider (a valid page of its spec): the span's
    // fields.
    let first = PROVIDERS[0].name;
    let example = list_example(first);
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(example.body()))
        .mount(&server)
        .await;
    let (sleep, _) = recording_sleep();
    let options = SourceOptions::new()
        .api_key(API_KEY)
        .base_url(server.uri())
        .sleep(sleep);
    let source = tasks_sdk::source_from_env(first, &options)
        .unwrap()
        .unwrap();
    let first_page = source
        .tasks(&TaskFilter::new().max_pages(1))
        .collect::<Vec<_>>()
        .await;
    assert!(first_page.iter().all(Result::is_ok), "{first_page:?}");
    let sent = &server.received_requests().await.unwrap()[1];
    let (method, path) = (sent.method.to_string(), sent.url.path().to_owned());

    let output = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let closes: Vec<&str> = output
        .lines()
        .filter(|l| l.contains("tasks_sdk.request") && l.contains("close"))
        .collect();
    assert_eq!(
        closes.len(),
        PROVIDERS.len() + 1,
        "one span per request: {output}"
    );
    for provider in PROVIDERS.iter().map(|p| p.name) {
        assert!(
            closes.iter().any(
                |l| l.contains(&format!("provider=\"{provider}\"")) && l.contains("status=401")
            ),
            "{provider}"
        );
    }
    let last = closes[PROVIDERS.len()];
    for field in [
        format!("provider=\"{first}\""),
        format!("operation=\"{}\"", example.method),
        format!("method={method}"),
        format!("path=\"{path}\""),
        "status=200".to_owned(),
        "attempts=2".to_owned(),
        "duration_ms=".to_owned(),
    ] {
        assert!(last.contains(&field), "{field} missing from {last}");
    }
    assert_eq!(
        output.matches("retrying").count(),
        PROVIDERS.len() + 1,
        "{output}"
    );
    assert!(!output.contains(API_KEY), "key in traces: {output}");
}

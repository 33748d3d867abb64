//! Helpers for the HTTP-boundary tests of the provider crates: a local wiremock server
//! on 127.0.0.1, and assertions on the one request a client sent.
#![warn(missing_docs)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tasks_sdk_core::{ClientBuilder, RetryPolicy, Sleep};
pub use wiremock;
use wiremock::{MockServer, Request, ResponseTemplate};

/// The credential every test client is built with. Tests assert it is sent exactly as
/// the provider's auth scheme says, and nowhere else.
pub const API_KEY: &str = "sk_test_5ecretKey";

/// `User-Agent` every client sends.
pub const USER_AGENT: &str = concat!("tasks-sdk/", env!("CARGO_PKG_VERSION"));

/// A JSON response with the given status.
pub fn json(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// The single request the server received (panics if there were none or several).
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:?}"
    );
    requests.remove(0)
}

/// Asserts the method, path and exact query string of a request, and the headers every
/// request must carry: the credential in `auth_header` as `auth_value`, our
/// `User-Agent`, `Accept: application/json`, and no `api-version` (progenitor adds one).
pub fn assert_request(
    request: &Request,
    method: &str,
    path: &str,
    query: Option<&str>,
    auth_header: &str,
    auth_value: &str,
) {
    assert_eq!(request.method.as_str(), method, "method");
    assert_eq!(request.url.path(), path, "path");
    assert_eq!(request.url.query(), query, "query string");
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header"))
    };
    assert_eq!(
        header(auth_header),
        Some(auth_value),
        "auth header {auth_header}"
    );
    assert_eq!(header("user-agent"), Some(USER_AGENT), "user agent");
    assert_eq!(header("accept"), Some("application/json"), "accept");
    assert_eq!(
        header("api-version"),
        None,
        "progenitor's api-version header must be stripped"
    );
    for other in ["authorization", "x-api-key", "apikey"] {
        if other != auth_header {
            assert_eq!(header(other), None, "no credential in {other}");
        }
    }
}

/// A [`Sleep`] that returns at once and records every delay it was asked for, so that
/// retry tests neither wait nor guess.
pub fn recording_sleep() -> (Sleep, Arc<Mutex<Vec<Duration>>>) {
    let delays = Arc::new(Mutex::new(Vec::new()));
    let recorder = delays.clone();
    let sleep = Sleep::new(move |d| {
        recorder.lock().unwrap().push(d);
        async {}
    });
    (sleep, delays)
}

/// A builder for any provider's client against `base_url`, with [`API_KEY`] and
/// retries disabled (so that one response is one request).
pub fn single_attempt<C>(base_url: String) -> ClientBuilder<C> {
    ClientBuilder::new()
        .api_key(API_KEY)
        .base_url(base_url)
        .retry_policy(RetryPolicy::disabled())
}

/// Number of requests the server has received.
pub async fn request_count(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .len()
}

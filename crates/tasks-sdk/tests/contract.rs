//! Contract tests against Stoplight Prism, an independent implementation of each
//! vendored spec (Deck's 3.1.1 document included, not our normalized form):
//!
//! - every operation with a spread of valid arguments (every query parameter, edge
//!   values such as limit 1 and 100): Prism reports no request violation (no
//!   `sl-violations` header) and the body decodes;
//! - 200 random, schema-valid responses per provider (`Prefer: dynamic=true`) decode.
//!
//! A response valid for the spec that fails to decode is a normalization bug.

use reqwest::header::{HeaderMap, HeaderValue};
use tasks_sdk::core::{ClientBuilder, GeneratedClient, RetryPolicy};
use tasks_sdk::{aether, deck, enkrypt, promptloop, twill};
use tasks_sdk_testkit::start_prism;

const DYNAMIC_RESPONSES: usize = 200;

fn client<C: GeneratedClient>(url: &str, dynamic: bool) -> C {
    let mut headers = HeaderMap::new();
    if dynamic {
        headers.insert("prefer", HeaderValue::from_static("dynamic=true"));
    }
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    ClientBuilder::<C>::new()
        .api_key("contract-test-key")
        .base_url(url)
        .http_client(http)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap()
}

/// Asserts Prism found nothing wrong with the request and the body decoded.
fn assert_valid<T: std::fmt::Debug, E: std::fmt::Debug>(
    what: &str,
    result: Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
) {
    let response = result.unwrap_or_else(|e| panic!("{what}: {e:?}"));
    assert_eq!(response.status().as_u16(), 200, "{what}");
    // Prism lists violations of the request and of its own response. Deck's spec makes
    // every `null` it generates for `oneOf: [{type: 'null'}, JsonElement]` match both
    // arms (JsonElement is any JSON), which Prism reports against its response; only the
    // request is ours.
    let Some(header) = response.headers().get("sl-violations") else {
        return;
    };
    let violations: Vec<serde_json::Value> =
        serde_json::from_slice(header.as_bytes()).expect("JSON violations");
    let ours: Vec<_> = violations
        .iter()
        .filter(|v| v["location"][0] == "request")
        .collect();
    assert!(
        ours.is_empty(),
        "{what}: Prism says the request violates the spec: {ours:?}"
    );
    assert!(
        !violations.is_empty(),
        "{what}: an empty sl-violations header"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn deck() {
    let prism = tokio::task::spawn_blocking(|| start_prism("deck"))
        .await
        .unwrap();
    let c: deck::Client = client(&prism.url, false);
    assert_valid("no parameters", c.list_tasks().send().await);
    assert_valid("limit 1", c.list_tasks().limit(1).send().await);
    assert_valid("limit 100", c.list_tasks().limit(100).send().await);
    assert_valid(
        "every parameter",
        c.list_tasks()
            .limit(20)
            .cursor("eyJpZCI6MTB9")
            .agent_id("agt_2Nf8")
            .status("live")
            .send()
            .await,
    );
    for status in ["learning", "test", "live"] {
        assert_valid(status, c.list_tasks().status(status).send().await);
    }
    let d: deck::Client = client(&prism.url, true);
    for i in 0..DYNAMIC_RESPONSES {
        assert_valid(
            &format!("dynamic #{i}"),
            d.list_tasks().limit(100).send().await,
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn twill() {
    let prism = tokio::task::spawn_blocking(|| start_prism("twill"))
        .await
        .unwrap();
    let c: twill::Client = client(&prism.url, false);
    assert_valid("no parameters", c.list_tasks().send().await);
    assert_valid("limit 1", c.list_tasks().limit(1u64).send().await);
    assert_valid(
        "limit 100 and cursor",
        c.list_tasks().limit(100u64).cursor("c_123").send().await,
    );
    let d: twill::Client = client(&prism.url, true);
    for i in 0..DYNAMIC_RESPONSES {
        assert_valid(&format!("dynamic #{i}"), d.list_tasks().send().await);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn enkrypt() {
    use enkrypt::types::TaskStatus;
    let prism = tokio::task::spawn_blocking(|| start_prism("enkrypt"))
        .await
        .unwrap();
    let c: enkrypt::Client = client(&prism.url, false);
    assert_valid("no parameters", c.list_tasks().send().await);
    for status in TaskStatus::KNOWN {
        assert_valid(
            status.as_str(),
            c.list_tasks().status(status.clone()).send().await,
        );
    }
    assert_valid(
        "page 1, per_page 1",
        c.list_tasks().page(1u64).per_page(1u64).send().await,
    );
    assert_valid(
        "page 7, per_page 100",
        c.list_tasks().page(7u64).per_page(100u64).send().await,
    );
    let d: enkrypt::Client = client(&prism.url, true);
    for i in 0..DYNAMIC_RESPONSES {
        assert_valid(&format!("dynamic #{i}"), d.list_tasks().send().await);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn aether() {
    use aether::types::TaskStatusFilter;
    let prism = tokio::task::spawn_blocking(|| start_prism("aether"))
        .await
        .unwrap();
    let c: aether::Client = client(&prism.url, false);
    assert_valid("no parameters", c.list_tasks().send().await);
    let project: uuid::Uuid = "0b9f3c1e-2d4a-4e6b-8f7a-1c2d3e4f5a6b".parse().unwrap();
    for status in TaskStatusFilter::KNOWN {
        assert_valid(
            status.as_str(),
            c.list_tasks()
                .status(status.clone())
                .project_id(project)
                .send()
                .await,
        );
    }
    let d: aether::Client = client(&prism.url, true);
    for i in 0..DYNAMIC_RESPONSES {
        assert_valid(&format!("dynamic #{i}"), d.list_tasks().send().await);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn promptloop() {
    let prism = tokio::task::spawn_blocking(|| start_prism("promptloop"))
        .await
        .unwrap();
    let c: promptloop::Client = client(&prism.url, false);
    assert_valid("no parameters", c.list_tasks().send().await);
    let d: promptloop::Client = client(&prism.url, true);
    for i in 0..DYNAMIC_RESPONSES {
        assert_valid(&format!("dynamic #{i}"), d.list_tasks().send().await);
    }
}

/// The control: Prism does reject what the spec forbids, so the checks above can fail.
#[tokio::test(flavor = "multi_thread")]
async fn prism_rejects_requests_that_break_the_spec() {
    let prism = tokio::task::spawn_blocking(|| start_prism("enkrypt"))
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let out_of_range = http
        .get(format!("{}/datasets/list-tasks?per_page=500", prism.url))
        .header("apikey", "k")
        .send()
        .await
        .unwrap();
    assert!(
        out_of_range.status().is_client_error(),
        "{}",
        out_of_range.status()
    );
    let violations = out_of_range
        .headers()
        .get("sl-violations")
        .map(|v| v.to_str().unwrap().to_owned());
    assert!(violations.is_some_and(|v| v.contains("per_page")));
    // Enkrypt's documented header is `apikey`: `Authorization: Bearer` is not it.
    let bearer: enkrypt::Client = ClientBuilder::new()
        .api_key("k")
        .base_url(prism.url.clone())
        .auth_scheme(tasks_sdk::core::AuthScheme::Bearer)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = bearer.list_tasks().call().await.unwrap_err();
    assert!(
        matches!(err, tasks_sdk::core::Error::Unauthorized(_)),
        "{err:?}"
    );
}

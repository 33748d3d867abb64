//! Enkrypt AI's parameters against Stoplight Prism serving the vendored spec: every
//! status, the edge values of `page` and `per_page`; Prism reports no request violation
//! and the body decodes. And the control: Prism does reject what the spec forbids, so
//! the contract checks can fail. (Every provider's list call and random valid
//! responses: `crates/tasks-sdk/tests/contract.rs`.)

use tasks_sdk_core::{AuthScheme, ClientBuilder, Error, RetryPolicy};
use tasks_sdk_enkrypt::Client;
use tasks_sdk_enkrypt::types::TaskStatus;
use tasks_sdk_testkit::{assert_valid, prism_client, start_prism};

#[tokio::test(flavor = "multi_thread")]
async fn every_parameter_and_edge_value_is_valid_for_the_spec() {
    let prism = tokio::task::spawn_blocking(|| start_prism("enkrypt"))
        .await
        .unwrap();
    let c: Client = prism_client(&prism.url, false);
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
}

/// The control: an out-of-range `per_page` and the wrong auth header are rejected.
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
    let bearer: Client = ClientBuilder::new()
        .api_key("k")
        .base_url(prism.url.clone())
        .auth_scheme(AuthScheme::Bearer)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = bearer.list_tasks().call().await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
}

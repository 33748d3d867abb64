//! Twill's parameters against Stoplight Prism serving the vendored spec: the edge values
//! of `limit` and a cursor; Prism reports no request violation and the body decodes.
//! (Every provider's list call and random valid responses:
//! `crates/tasks-sdk/tests/contract.rs`.)

use tasks_sdk_testkit::{assert_valid, prism_client, start_prism};
use tasks_sdk_twill::Client;

#[tokio::test(flavor = "multi_thread")]
async fn every_parameter_and_edge_value_is_valid_for_the_spec() {
    let prism = tokio::task::spawn_blocking(|| start_prism("twill"))
        .await
        .unwrap();
    let c: Client = prism_client(&prism.url, false);
    assert_valid("limit 1", c.list_tasks().limit(1u64).send().await);
    assert_valid(
        "limit 100 and cursor",
        c.list_tasks().limit(100u64).cursor("c_123").send().await,
    );
}

//! Deck's parameters against Stoplight Prism serving the vendored spec (its 3.1.1 text,
//! not our normalized form): every query parameter and the edge values of `limit`; Prism
//! reports no request violation and the body decodes. (Every provider's list call and
//! random valid responses: `crates/tasks-sdk/tests/contract.rs`.)

use tasks_sdk_deck::Client;
use tasks_sdk_testkit::{assert_valid, prism_client, start_prism};

#[tokio::test(flavor = "multi_thread")]
async fn every_parameter_and_edge_value_is_valid_for_the_spec() {
    let prism = tokio::task::spawn_blocking(|| start_prism("deck"))
        .await
        .unwrap();
    let c: Client = prism_client(&prism.url, false);
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
}

//! Aether's parameters against Stoplight Prism serving the vendored spec: every status
//! filter with a project id; Prism reports no request violation and the body decodes.
//! (Every provider's list call and random valid responses:
//! `crates/tasks-sdk/tests/contract.rs`.)

use tasks_sdk_aether::Client;
use tasks_sdk_aether::types::TaskStatusFilter;
use tasks_sdk_testkit::{assert_valid, prism_client, start_prism};

#[tokio::test(flavor = "multi_thread")]
async fn every_parameter_and_edge_value_is_valid_for_the_spec() {
    let prism = tokio::task::spawn_blocking(|| start_prism("aether"))
        .await
        .unwrap();
    let c: Client = prism_client(&prism.url, false);
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
}

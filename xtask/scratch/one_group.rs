//! A crate built with one operation group: the crate generated from
//! `xtask/corpus/operation_groups.yaml`, built with `--no-default-features --features
//! rustls,task_runs,test-util` (the group `task_runs` alone, with its test kit), lists
//! every run with `list_runs().stream()` from its own test kit's mock server, and lists
//! only the group's operations. Copied into the scratch crate's `tests/` and run by
//! `scratch::tests` in xtask.
#![deny(warnings)]

use tasks_sdk_groups::testing::{MockServer, example};
use tasks_sdk_groups::types::{Owner, Run};

#[tokio::test]
async fn the_list_stream_of_one_group_reads_every_page_of_its_test_kit() {
    let server = MockServer::start().await;
    let runs: Vec<Run> = (1..=5)
        .map(|i| Run {
            id: format!("r{i}"),
            // A type the group shares with `users` (compiled with either).
            owner: Owner {
                id: format!("o{i}"),
                ..example()
            },
            ..example()
        })
        .collect();
    server.list_runs().page_size(2).items(runs);

    let ids: Vec<(String, String)> = server
        .client()
        .list_runs()
        .stream()
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|run| (run.id, run.owner.id))
        .collect();
    let expected: Vec<(String, String)> =
        (1..=5).map(|i| (format!("r{i}"), format!("o{i}"))).collect();
    assert_eq!(ids, expected);
    let received = server.received();
    assert_eq!(received.len(), 3, "{received:#?}");
    assert!(received.iter().all(|r| r.operation == Some("list_runs")));
}

#[test]
fn the_crate_has_the_groups_operations_only() {
    let mut ids: Vec<&str> = tasks_sdk_groups::PROVIDER
        .operations
        .iter()
        .map(|op| op.id)
        .collect();
    ids.sort();
    assert_eq!(ids, ["list_runs", "start_run"]);
}

//! Contract tests against Stoplight Prism, an independent implementation of each
//! vendored spec (the published text, not our normalized form), for every provider of
//! `tasks_sdk::for_each_provider!`:
//!
//! - its list operation without arguments: Prism reports no request violation (no
//!   `sl-violations` entry about the request) and the body decodes;
//! - 200 random, schema-valid responses (`Prefer: dynamic=true`) decode.
//!
//! A response valid for the spec that fails to decode is a normalization bug. Each
//! provider's own parameters (every query parameter, edge values such as limit 1 and
//! 100) are checked in its crate: `crates/tasks-sdk-<provider>/tests/contract.rs`.

use futures::StreamExt;
use futures::future::BoxFuture;
use tasks_sdk::PROVIDERS;
use tasks_sdk_testkit::{assert_valid, prism_client, start_prism};

const DYNAMIC_RESPONSES: usize = 200;

#[tokio::test(flavor = "multi_thread")]
async fn every_providers_list_operation_against_prism() {
    // One check per provider, each against its own Prism.
    let mut checks: Vec<(&str, BoxFuture<'static, ()>)> = Vec::new();
    macro_rules! check {
        ($provider:ident, $list:ident, $enums:tt) => {
            checks.push((
                stringify!($provider),
                Box::pin(async {
                    let name = stringify!($provider);
                    let prism = tokio::task::spawn_blocking(move || start_prism(name))
                        .await
                        .unwrap();
                    let c: tasks_sdk::$provider::Client = prism_client(&prism.url, false);
                    assert_valid(&format!("{name}: no arguments"), c.$list().send().await);
                    let d: tasks_sdk::$provider::Client = prism_client(&prism.url, true);
                    for i in 0..DYNAMIC_RESPONSES {
                        assert_valid(&format!("{name}: dynamic #{i}"), d.$list().send().await);
                    }
                }),
            ));
        };
    }
    tasks_sdk::for_each_provider!(check);
    let names: Vec<&str> = checks.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, PROVIDERS.iter().map(|p| p.name).collect::<Vec<_>>());
    // Two at a time, as the test harness ran one test per provider on two cores: more
    // Prisms starting at once on a small machine can drop their first connections.
    let results: Vec<_> = futures::stream::iter(
        checks
            .into_iter()
            .map(|(name, check)| async move { (name, tokio::spawn(check).await) }),
    )
    .buffer_unordered(2)
    .collect()
    .await;
    for (name, result) in results {
        if let Err(e) = result {
            panic!("{name}: {e}");
        }
    }
}

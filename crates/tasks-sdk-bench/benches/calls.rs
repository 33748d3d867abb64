//! Criterion benchmarks: per-call overhead of the generated client against a
//! hand-written reqwest + serde_json call, retry overhead, and decode throughput of a
//! 1 MB page per provider. Run: `cargo bench -p tasks-sdk-bench --bench calls`.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tasks_sdk::{aether, deck, enkrypt, promptloop, twill};
use tasks_sdk_bench::{
    aether_page, deck_client, deck_page, enkrypt_page, handwritten_list, promptloop_page, serve,
    twill_page,
};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn per_call(c: &mut Criterion) {
    let rt = runtime();
    let body = deck_page(20).to_string();
    let url = rt.block_on(serve(move |_| body.clone()));
    let generated = deck_client(&url, true);
    let no_retries = deck_client(&url, false);
    let http = reqwest::Client::new();

    let mut group = c.benchmark_group("per_call_20_tasks");
    group.bench_function("generated", |b| {
        b.to_async(&rt)
            .iter(|| async { generated.list_tasks().call().await.unwrap() })
    });
    group.bench_function("handwritten", |b| {
        b.to_async(&rt)
            .iter(|| async { handwritten_list(&http, &url, "sk_bench").await.unwrap() })
    });
    group.finish();

    let mut group = c.benchmark_group("retry_overhead");
    group.bench_function("retries_enabled", |b| {
        b.to_async(&rt)
            .iter(|| async { generated.list_tasks().call().await.unwrap() })
    });
    group.bench_function("retries_disabled", |b| {
        b.to_async(&rt)
            .iter(|| async { no_retries.list_tasks().call().await.unwrap() })
    });
    group.finish();
}

/// About 1 MB of one provider's page: as many items as fit.
fn one_megabyte(page: fn(usize) -> serde_json::Value) -> Vec<u8> {
    let per_item = page(10).to_string().len() / 10;
    page(1024 * 1024 / per_item).to_string().into_bytes()
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode_1mb");
    macro_rules! provider {
        ($name:literal, $page:expr, $ty:ty) => {{
            let bytes = one_megabyte($page);
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_with_input(BenchmarkId::new("typed", $name), &bytes, |b, bytes| {
                b.iter(|| serde_json::from_slice::<$ty>(bytes).unwrap())
            });
            group.bench_with_input(BenchmarkId::new("value", $name), &bytes, |b, bytes| {
                b.iter(|| serde_json::from_slice::<serde_json::Value>(bytes).unwrap())
            });
        }};
    }
    provider!("deck", deck_page, deck::types::TaskPage);
    provider!("twill", twill_page, twill::types::ListTasksResponse);
    provider!("aether", aether_page, aether::types::TaskList);
    provider!(
        "promptloop",
        promptloop_page,
        promptloop::types::TasksResponse
    );
    provider!("enkrypt", enkrypt_page, enkrypt::types::TaskPage);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = per_call, decode
}
criterion_main!(benches);

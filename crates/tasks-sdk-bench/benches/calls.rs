//! Criterion benchmarks: per-call overhead of the generated client (Deck's) against a
//! hand-written reqwest + serde_json call, retry overhead, and decode throughput of a
//! 1 MB page of every provider (`tasks_sdk::for_each_provider!`; the page is the valid
//! example regen builds from the spec, its item repeated).
//! Run: `cargo bench -p tasks-sdk-bench --bench calls`.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use tasks_sdk_bench::{
    deck_client, deck_page, decoder, example_page_of_size, handwritten_list, serve,
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

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode_1mb");
    macro_rules! provider {
        ($provider:ident, $list:ident, $enums:tt) => {{
            let name = stringify!($provider);
            let client: tasks_sdk::$provider::Client = tasks_sdk::core::ClientBuilder::new()
                .api_key("sk_bench")
                .base_url("http://127.0.0.1:9")
                .build()
                .unwrap();
            let typed = decoder(|| client.$list().send());
            let bytes = example_page_of_size(name, 1024 * 1024);
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_with_input(BenchmarkId::new("typed", name), &bytes, |b, bytes| {
                b.iter(|| typed(bytes))
            });
            group.bench_with_input(BenchmarkId::new("value", name), &bytes, |b, bytes| {
                b.iter(|| serde_json::from_slice::<serde_json::Value>(bytes).unwrap())
            });
        }};
    }
    tasks_sdk::for_each_provider!(provider);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = per_call, decode
}
criterion_main!(benches);

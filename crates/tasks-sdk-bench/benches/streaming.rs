//! Streaming memory and fan-out, measured against local servers (not a test: numbers
//! for BENCHMARKS.md). Run: `cargo bench -p tasks-sdk-bench --bench streaming`.
//!
//! 1. Peak heap while streaming 1,000 pages of 100 Deck tasks, against the heap one
//!    decoded page takes. A counting global allocator measures the client's live bytes:
//!    the local server (a minimal HTTP/1.1 loop) runs on a thread of its own whose
//!    allocations are not counted, so that the two rendered copies of a page it holds
//!    while writing do not land, or not, on the client's peak with the timing.
//! 2. `list_all` over every provider (`tasks_sdk::PROVIDERS`, each answering a valid
//!    page of its spec from `tasks_sdk_testkit::LIST_EXAMPLES`) whose servers each answer
//!    after 100 ms, against one provider alone (median of 9 runs each).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use futures::StreamExt;
use serde_json::json;
use tasks_sdk::core::ClientBuilder;
use tasks_sdk::{PROVIDERS, SourceOptions, Sources, TaskFilter, list_all};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    // Set on the server's thread. Const-initialized, no destructor: usable in the allocator.
    static UNCOUNTED: Cell<bool> = const { Cell::new(false) };
}

fn counted() -> bool {
    !UNCOUNTED.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() && counted() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        if counted() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn reset_peak() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

const PAGES: usize = 1_000;
const PER_PAGE: usize = 100;

/// Serves Deck page `n` for `cursor=n` (no cursor: page 0), the last saying no more.
async fn serve_pages() -> String {
    let template = {
        let mut page = tasks_sdk_bench::deck_page(PER_PAGE);
        page["next_cursor"] = json!("{NEXT}");
        page.to_string()
    };
    tasks_sdk_bench::serve(move |head| {
        let page: usize = tasks_sdk_bench::query_param(head, "cursor")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if page + 1 >= PAGES {
            template
                .replace("\"has_more\":true", "\"has_more\":false")
                .replace("\"{NEXT}\"", "null")
        } else {
            template.replace("{NEXT}", &(page + 1).to_string())
        }
    })
    .await
}

fn deck(uri: String) -> tasks_sdk::deck::Client {
    ClientBuilder::new()
        .api_key("sk_bench")
        .base_url(uri)
        .build()
        .unwrap()
}

/// [`serve_pages`] on a thread and runtime of its own, uncounted; returns its URL.
fn serve_pages_uncounted() -> String {
    let (url_tx, url_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        UNCOUNTED.set(true);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        runtime.block_on(async {
            url_tx.send(serve_pages().await).expect("the bench waits");
            std::future::pending::<()>().await
        });
    });
    url_rx.recv().expect("the server's URL")
}

async fn memory() {
    let uri = serve_pages_uncounted();
    let client = deck(uri.clone());
    // Warm up: connection pool, lazy statics.
    client.list_tasks().call().await.unwrap();

    let before = reset_peak();
    let page = client.list_tasks().call().await.unwrap();
    let one_page_peak = PEAK.load(Ordering::Relaxed) - before;
    let one_page_decoded = LIVE.load(Ordering::Relaxed) - before;
    assert_eq!(page.data.len(), PER_PAGE);
    drop(page);

    // The same page through the hand-written reqwest + serde_json call: the floor that
    // the HTTP stack (hyper's connection buffer) and decoding set for any client.
    let http = reqwest::Client::new();
    let _warm = tasks_sdk_bench::handwritten_list(&http, &uri, "sk_bench")
        .await
        .unwrap();
    drop(_warm);
    let before = reset_peak();
    let handwritten = tasks_sdk_bench::handwritten_list(&http, &uri, "sk_bench")
        .await
        .unwrap();
    let handwritten_peak = PEAK.load(Ordering::Relaxed) - before;
    assert_eq!(handwritten.data.len(), PER_PAGE);
    drop(handwritten);

    let before = reset_peak();
    let mut items = 0usize;
    let mut stream = client.list_tasks().stream();
    while let Some(task) = stream.next().await {
        std::hint::black_box(task.unwrap());
        items += 1;
    }
    let stream_peak = PEAK.load(Ordering::Relaxed) - before;
    assert_eq!(items, PAGES * PER_PAGE);

    println!("streaming memory (heap bytes, counting allocator):");
    println!("  one page decoded (live after call):        {one_page_decoded:>10}");
    println!("  one page call, peak:                       {one_page_peak:>10}");
    println!("  one hand-written call, peak:               {handwritten_peak:>10}");
    println!("  {PAGES} pages x {PER_PAGE} tasks via stream(), peak: {stream_peak:>10}");
    println!(
        "  stream peak / one-page call peak:          {:>10.2}",
        stream_peak as f64 / one_page_peak as f64
    );
    println!(
        "  stream peak / one page decoded:            {:>10.2}",
        stream_peak as f64 / one_page_decoded as f64
    ); // For cargo xtask bench.
    println!("RESULT one_page_decoded_bytes {one_page_decoded}");
    println!("RESULT stream_peak_bytes {stream_peak}");
    println!("RESULT handwritten_call_peak_bytes {handwritten_peak}");
}

async fn delayed(body: serde_json::Value) -> MockServer {
    let server = MockServer::builder()
        .disable_request_recording()
        .start()
        .await;
    Mock::given(matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(body)
                .set_delay(Duration::from_millis(100)),
        )
        .mount(&server)
        .await;
    server
}

/// One `list_all` over `sources`, to the last item.
async fn time(sources: &Sources, filter: &TaskFilter) -> Duration {
    let start = Instant::now();
    let results: Vec<_> = list_all(sources, filter).collect().await;
    assert!(results.iter().all(Result::is_ok));
    start.elapsed()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn fan_out() {
    let mut servers = Vec::new();
    for provider in PROVIDERS {
        servers.push(delayed(tasks_sdk_testkit::list_example(provider.name).body()).await);
    }
    let source = |provider: &str, server: &MockServer| {
        let options = SourceOptions::new().api_key("k").base_url(server.uri());
        tasks_sdk::source_from_env(provider, &options)
            .expect("compiled in")
            .unwrap()
    };
    let mut sources = Sources::new();
    for (provider, server) in PROVIDERS.iter().zip(&servers) {
        sources = sources.with_boxed(source(provider.name, server));
    }
    let slowest = Sources::new().with_boxed(source(PROVIDERS[0].name, &servers[0]));
    let filter = TaskFilter::new();
    // Warm up connections.
    time(&sources, &filter).await;
    time(&slowest, &filter).await;
    let mut all = Vec::new();
    let mut one = Vec::new();
    for _ in 0..9 {
        all.push(time(&sources, &filter).await);
        one.push(time(&slowest, &filter).await);
    }
    let (all, one) = (median(all), median(one));
    let n = PROVIDERS.len();
    println!("fan-out ({n} providers, each server answers after 100 ms; median of 9):");
    println!(
        "  list_all, {n} providers: {:>8.1} ms",
        all.as_secs_f64() * 1e3
    );
    println!(
        "  one provider alone:     {:>7.1} ms",
        one.as_secs_f64() * 1e3
    );
    println!(
        "  ratio:                  {:>7.3}",
        all.as_secs_f64() / one.as_secs_f64()
    );
    println!("RESULT fan_out_all_ms {:.1}", all.as_secs_f64() * 1e3);
    println!("RESULT fan_out_slowest_ms {:.1}", one.as_secs_f64() * 1e3);
}

/// Peak resident set size of this process so far (`VmHWM`), in KiB.
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// `STREAMING_RSS=one|stream`: a fresh process that fetches one page, or streams all
/// 1,000, then reports its peak RSS (process-wide: runtime, server and client).
async fn rss(stream_all: bool) {
    let client = deck(serve_pages().await);
    if stream_all {
        let mut stream = client.list_tasks().stream();
        let mut items = 0;
        while let Some(task) = stream.next().await {
            std::hint::black_box(task.unwrap());
            items += 1;
        }
        assert_eq!(items, PAGES * PER_PAGE);
    } else {
        std::hint::black_box(client.list_tasks().call().await.unwrap());
    }
    let key = if stream_all {
        "rss_stream_kib"
    } else {
        "rss_one_page_kib"
    };
    println!("RESULT {key} {}", peak_rss_kib());
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    match std::env::var("STREAMING_RSS").as_deref() {
        Ok("one") => return rss(false).await,
        Ok("stream") => return rss(true).await,
        _ => {}
    }
    memory().await;
    fan_out().await;
}

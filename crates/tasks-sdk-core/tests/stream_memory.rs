//! Streamed responses hold one chunk, not the body: a 100 MB download and 100,000
//! events, each read through the runtime, keep the client's peak heap under 2 MB beyond
//! the largest chunk. A counting global allocator measures the client's live bytes; the
//! local server runs on a thread of its own whose allocations are not counted (as in
//! `tasks-sdk-bench`'s streaming benchmark).
//!
//! One test in its own binary: tests running beside it would count too.

#[macro_use]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{Fake, PRIVATE, Spec, entry};
use futures::StreamExt;
use progenitor_client::{ByteStream, ResponseValue};
use tasks_sdk_core::{ClientBuilder, Download, EventStream, RetryPolicy, StreamOptions};

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

/// Starts the peak over from what is live now, and returns that.
fn reset_peak() -> usize {
    let live = LIVE.load(Ordering::Relaxed);
    PEAK.store(live, Ordering::Relaxed);
    live
}

provider!(Big, "MEMORY_1", &[], PRIVATE, "http://127.0.0.1:1");

const MB: usize = 1024 * 1024;
const DOWNLOAD: usize = 100 * MB;
const EVENTS: usize = 100_000;
const PER_WRITE: usize = 1_000;

/// Serves, on a thread whose allocations are not counted: `/file`, 100 MB in 64 KiB
/// writes; `/events`, 100,000 events in writes of 1,000.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        UNCOUNTED.with(|c| c.set(true));
        let block = vec![0xA5u8; 64 * 1024];
        let batch: String = (0..PER_WRITE)
            .map(|n| format!("id: {n}\ndata: {{\"n\": {n}, \"text\": \"event number {n}\"}}\n\n"))
            .collect();
        for socket in listener.incoming() {
            let mut socket = socket.unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                socket.read_exact(&mut byte).unwrap();
                head.push(byte[0]);
            }
            if head.starts_with(b"GET /file ") {
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {DOWNLOAD}\r\nconnection: close\r\n\r\n"
                );
                socket.write_all(response.as_bytes()).unwrap();
                for _ in 0..DOWNLOAD / block.len() {
                    socket.write_all(&block).unwrap();
                }
            } else {
                socket
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n")
                    .unwrap();
                for _ in 0..EVENTS / PER_WRITE {
                    socket.write_all(batch.as_bytes()).unwrap();
                }
            }
        }
    });
    base_url
}

async fn send(
    client: &Fake<Big>,
    path: &str,
) -> Result<ResponseValue<ByteStream>, progenitor_client::Error<ByteStream>> {
    let mut request = client
        .http
        .get(format!("{}{path}", client.base_url))
        .build()?;
    client
        .runtime
        .prepare(&mut request, "get")
        .await
        .map_err(progenitor_client::Error::InvalidRequest)?;
    let response = client.runtime.execute(&client.http, request, "get").await?;
    Ok(ResponseValue::stream(response))
}

#[derive(serde::Deserialize)]
struct Numbered {
    n: usize,
    #[allow(dead_code)]
    text: String,
}

#[tokio::test]
async fn a_100_mb_download_and_100_000_events_hold_one_chunk_at_a_time() {
    let base_url = serve();
    let client: Fake<Big> = ClientBuilder::new()
        .base_url(&base_url)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .unwrap();
    let operation = entry::<Big>("get");

    let before = reset_peak();
    let mut download = Download::call(
        Big::PROVIDER,
        operation,
        StreamOptions::new(),
        send(&client, "/file"),
    )
    .await
    .unwrap();
    let (mut total, mut largest) = (0, 0);
    while let Some(chunk) = download.next().await {
        let chunk = chunk.unwrap();
        total += chunk.len();
        largest = largest.max(chunk.len());
    }
    drop(download);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert_eq!(total, DOWNLOAD);
    eprintln!(
        "download: 100 MB, peak heap {} KiB, largest chunk {} KiB",
        peak / 1024,
        largest / 1024
    );
    assert!(
        peak < 2 * MB + largest,
        "peak {peak} bytes, largest chunk {largest}"
    );

    let before = reset_peak();
    let mut events = EventStream::<Numbered>::call(
        Big::PROVIDER,
        operation,
        StreamOptions::new(),
        send(&client, "/events"),
    )
    .await
    .unwrap();
    let mut count = 0;
    while let Some(event) = events.next().await {
        let event = event.unwrap();
        assert_eq!(event.data.n, count % PER_WRITE);
        count += 1;
    }
    drop(events);
    let peak = PEAK.load(Ordering::Relaxed) - before;
    assert_eq!(count, EVENTS);
    eprintln!("events: 100,000, peak heap {} KiB", peak / 1024);
    // An event stream's chunks are the server's writes, 62 KiB here.
    assert!(peak < 2 * MB + 64 * 1024, "peak {peak} bytes");
}

//! Shared pieces of the tasks-sdk benchmarks (`cargo xtask bench`): a minimal loopback
//! HTTP/1.1 server, a realistic Deck page (Deck's client is the example of the per-call
//! and streaming benchmarks), and pages of any size for every provider, from the valid
//! page regen builds from each spec (`tasks_sdk_testkit::LIST_EXAMPLES`).
//!
//! The server is hand-written, not wiremock: wiremock keeps every request its mocks
//! match, which would show up as the client's memory and time.

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const CREATED: &str = "2025-03-01T09:30:00Z";

/// A Deck page of `n` tasks.
pub fn deck_page(n: usize) -> Value {
    let tasks: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "id": format!("task_{i:06}"), "object": "task", "name": format!("Download invoices {i}"),
                "prompt": "Log in to the supplier portal and download every invoice of last month",
                "status": "live", "agent_id": "agt_2Nf8Kq", "input_schema": {"type": "object", "properties": {"month": {"type": "string"}}},
                "output_schema": null, "storage": null, "created_at": CREATED,
                "updated_at": "2025-03-02T10:00:00Z", "request_id": "req_0123456789"
            })
        })
        .collect();
    json!({"data": tasks, "has_more": true, "next_cursor": "cur_next", "request_id": "req_page"})
}

/// The decoder of the type a list operation's `send()` decodes (the future is never
/// awaited: `send` only names the type), for the decode benchmarks.
pub fn decoder<T, E, F>(_send: impl FnOnce() -> F) -> fn(&[u8]) -> T
where
    T: serde::de::DeserializeOwned,
    F: std::future::Future<
            Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
        >,
{
    |bytes| serde_json::from_slice(bytes).unwrap()
}

/// About `bytes` of `provider`'s page: the one item of its example page, repeated.
pub fn example_page_of_size(provider: &str, bytes: usize) -> Vec<u8> {
    let example = tasks_sdk_testkit::list_example(provider);
    let item = example.item();
    let per_item = item.to_string().len() + 1;
    example
        .with_items(vec![item; (bytes / per_item).max(1)])
        .to_string()
        .into_bytes()
}

/// Serves `respond(request_head)` as a 200 JSON body to every request, on a loopback
/// port; returns the base URL. Keep-alive, Content-Length, nothing else.
pub async fn serve<F>(respond: F) -> String
where
    F: Fn(&str) -> String + Send + Sync + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("bound"));
    let respond = std::sync::Arc::new(respond);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let _ = socket.set_nodelay(true);
            let respond = respond.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                    buffer.drain(..end + 4);
                    let body = respond(&head);
                    // One write: headers and body in separate segments would meet
                    // Nagle's algorithm and delayed ACKs (a 40 ms stall per call).
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

/// The query parameter `name` of a request head's request line.
pub fn query_param<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    let target = head.lines().next()?.split(' ').nth(1)?;
    let query = target.split_once('?')?.1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

/// The hand-written baseline the generated client is compared with: reqwest and
/// serde_json, decoding the same generated struct.
pub async fn handwritten_list(
    http: &reqwest::Client,
    url: &str,
    key: &str,
) -> Result<tasks_sdk::deck::types::TaskPage, Box<dyn std::error::Error>> {
    let response = http
        .get(format!("{url}/tasks"))
        .bearer_auth(key)
        .send()
        .await?
        .error_for_status()?;
    let bytes = response.bytes().await?;
    Ok(serde_json::from_slice(&bytes)?)
}

/// The generated client for Deck against `url`.
pub fn deck_client(url: &str, retries: bool) -> tasks_sdk::deck::Client {
    let policy = if retries {
        tasks_sdk::core::RetryPolicy::default()
    } else {
        tasks_sdk::core::RetryPolicy::disabled()
    };
    tasks_sdk::core::ClientBuilder::new()
        .api_key("sk_bench")
        .base_url(url)
        .retry_policy(policy)
        .build()
        .expect("a client")
}

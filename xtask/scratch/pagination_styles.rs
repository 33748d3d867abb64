//! Every pagination style through generated code: the crate generated from
//! `xtask/corpus/pagination_styles.yaml` (one operation per style, declared in
//! `x-pagination` or detected from names) against a local server that pages 25 items.
//! Copied into the scratch crate's `tests/` and run by `scratch::tests` in xtask.
#![deny(warnings)]

use futures::StreamExt;
use serde_json::{Value, json};
use tasks_sdk_core::{Error, Items};
use tasks_sdk_paging::Client;
use tasks_sdk_paging::types::Item;
use tasks_sdk_testkit::wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, single_attempt};

/// Items in the listing: ids 0 to 24, pages of 10 by default (10, 10, 5).
const N: u64 = 25;

/// How the server misbehaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Normal,
    /// Every cursor or link after the first page is the same.
    Repeat,
    /// Empty pages that say there is more (a flag, a fresh cursor).
    EmptyMore,
    /// The total says 25, but the page after the first is empty.
    LyingTotal,
}

fn items(start: u64, len: u64) -> Vec<Value> {
    (start..(start + len).min(N))
        .map(|id| json!({ "id": id }))
        .collect()
}

fn text(request: &Request, name: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn number(request: &Request, name: &str) -> Option<u64> {
    text(request, name).map(|v| v.parse().expect("a number"))
}

fn body(value: Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(value)
}

/// The server: one answer per path. `link_base` is where absolute links point.
fn respond(request: &Request, mode: Mode, link_base: &str) -> ResponseTemplate {
    let path = request.url.path().to_owned();
    match path.as_str() {
        "/v1/cursor" => {
            let limit = number(request, "limit").unwrap_or(10);
            let start = number(request, "from").unwrap_or(0);
            let next = match mode {
                Mode::Repeat => Some(10),
                _ => (start + limit < N).then_some(start + limit),
            };
            body(
                json!({"items": items(start, limit), "next_page": next.map(|o| json!({"offset": o}))}),
            )
        }
        "/v1/tokens" => {
            let page: u64 = text(request, "page_token")
                .map_or(0, |t| t.trim_start_matches('t').parse().unwrap());
            if mode == Mode::EmptyMore {
                return body(
                    json!({"tasks": [], "next_page_token": format!("t{}", page + 1), "has_more": true}),
                );
            }
            // The last page still has a token: `has_more: false` must end the stream.
            body(json!({
                "tasks": items(page * 10, 10),
                "next_page_token": format!("t{}", page + 1),
                "has_more": page * 10 + 10 < N
            }))
        }
        "/v1/pages/total-items" => {
            let (page, size) = (
                number(request, "pageNumber").unwrap(),
                number(request, "pageSize").unwrap_or(10),
            );
            let page_items = if mode == Mode::LyingTotal && page > 1 {
                vec![]
            } else {
                items((page - 1) * size, size)
            };
            body(json!({"items": page_items, "totalItems": N}))
        }
        "/v1/pages/total-pages" => {
            let (page, size) = (
                number(request, "page").unwrap(),
                number(request, "per_page").unwrap_or(10),
            );
            body(
                json!({"data": items(page * size, size), "meta": {"total_pages": N.div_ceil(size) as f64}}),
            )
        }
        "/v1/pages/has-next" => {
            let page = number(request, "p").unwrap();
            if mode == Mode::EmptyMore {
                return body(json!({"data": [], "pagination": {"has_next": true}}));
            }
            body(
                json!({"data": items((page - 1) * 10, 10), "pagination": {"has_next": page * 10 < N}}),
            )
        }
        "/v1/pages/short" => {
            let (page, size) = (
                number(request, "page").unwrap(),
                number(request, "limit").unwrap_or(10),
            );
            body(json!({"data": items((page - 1) * size, size)}))
        }
        "/v1/offset/total" => {
            // The server clamps the page size to 10.
            let (offset, size) = (
                number(request, "offset").unwrap(),
                number(request, "limit").unwrap_or(10).min(10),
            );
            let page_items = if mode == Mode::LyingTotal && offset > 0 {
                vec![]
            } else {
                items(offset, size)
            };
            body(json!({"results": page_items, "total": N}))
        }
        "/v1/offset/short" => {
            let (offset, size) = (
                number(request, "$skip").unwrap(),
                number(request, "$top").unwrap_or(10),
            );
            body(json!({"value": items(offset, size)}))
        }
        "/v1/links/body" => {
            let page = number(request, "page").unwrap_or(1);
            let q = text(request, "q").unwrap_or_default();
            let next = match (mode, page) {
                (Mode::Repeat, _) => json!("/v1/links/body?page=2"),
                // An absolute path, then a path relative to the base URL.
                (_, 1) => json!(format!("/v1/links/body?q={q}&page=2")),
                (_, 2) => json!(format!("links/body?q={q}&page=3")),
                _ => Value::Null,
            };
            body(json!({"data": items((page - 1) * 10, 10), "links": {"next": next}}))
        }
        "/v1/links/odata" => {
            let page = number(request, "$skiptoken").unwrap_or(0);
            let mut value = json!({"value": items(page * 10, 10)});
            if page * 10 + 10 < N {
                value["@odata.nextLink"] = json!(format!(
                    "{link_base}/v1/links/odata?$skiptoken={}",
                    page + 1
                ));
            }
            body(value)
        }
        "/v1/links/header" => {
            let page = number(request, "page").unwrap_or(1);
            let size = number(request, "per_page").unwrap_or(30);
            let mut response = body(json!(items((page - 1) * size, size)));
            let next = if mode == Mode::Repeat { 2 } else { page + 1 };
            if mode == Mode::Repeat || page * size < N {
                response = response.insert_header(
                    "link",
                    format!(
                        "<{link_base}/v1/links/header?page=1&per_page={size}>; rel=\"first\", \
                         <{link_base}/v1/links/header?page={next}&per_page={size}>; rel=\"next\""
                    )
                    .as_str(),
                );
            }
            response
        }
        other => ResponseTemplate::new(404).set_body_json(json!({"error": format!("no {other}")})),
    }
}

/// A server in `mode` whose absolute links point at itself.
async fn serve(mode: Mode) -> MockServer {
    let server = MockServer::start().await;
    let uri = server.uri();
    mount(&server, mode, uri).await;
    server
}

async fn mount(server: &MockServer, mode: Mode, link_base: String) {
    Mock::given(matchers::method("GET"))
        .respond_with(move |request: &Request| respond(request, mode, &link_base))
        .mount(server)
        .await;
}

fn connect(server: &MockServer) -> Client {
    single_attempt(format!("{}/v1", server.uri()))
        .build()
        .unwrap()
}

/// Each request the server received, as `path?query` (decoded; progenitor writes query
/// parameters in name order), after checking it is a `GET` with the credential
/// (`credential: false`: without).
async fn requests(server: &MockServer, credential: bool) -> Vec<String> {
    let bearer = format!("Bearer {API_KEY}");
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r.method.as_str(), "GET");
            let auth = r.headers.get("authorization").map(|v| v.to_str().unwrap());
            let expected = credential.then_some(bearer.as_str());
            assert_eq!(auth, expected, "credential on {}", r.url);
            let query: Vec<String> = r
                .url
                .query_pairs()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            if query.is_empty() {
                r.url.path().to_owned()
            } else {
                format!("{}?{}", r.url.path(), query.join("&"))
            }
        })
        .collect()
}

fn ids(results: &[Result<Item, Error>]) -> Vec<i64> {
    results
        .iter()
        .map(|r| r.as_ref().expect("an item").id)
        .collect()
}

type Stream = for<'c> fn(&'c Client) -> Items<'c, Item>;

/// Every style's common checks: all 25 items once and in order with exactly the
/// `expected` requests (none past the end), pages fetched only as items are consumed,
/// and `max_items`/`max_pages`.
async fn battery(stream: Stream, expected: &[&str]) {
    // Everything, in order, and not one request more.
    let server = serve(Mode::Normal).await;
    let client = connect(&server);
    let all: Vec<_> = stream(&client).collect().await;
    assert_eq!(ids(&all), (0..N as i64).collect::<Vec<_>>());
    assert_eq!(requests(&server, true).await, expected);

    // Lazy: nothing before the first poll; the second page when the first is used up.
    let server = serve(Mode::Normal).await;
    let client = connect(&server);
    let mut items = stream(&client);
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    for id in 0..10 {
        assert_eq!(items.next().await.unwrap().unwrap().id, id);
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
    assert_eq!(items.next().await.unwrap().unwrap().id, 10);
    assert_eq!(requests(&server, true).await, expected[..2]);
    assert_eq!(items.pages_fetched(), 2);

    // Bounds: 10 items need one page; 15 two; two pages hold 20.
    for (bounded, items, pages) in [
        (stream(&client).max_items(10), 10, 1),
        (stream(&client).max_items(15), 15, 2),
        (stream(&client).max_pages(2), 20, 2),
        (stream(&client).max_pages(1).max_items(3), 3, 1),
    ] {
        let server_before = server.received_requests().await.unwrap().len();
        let got: Vec<_> = bounded.collect().await;
        assert_eq!(ids(&got), (0..items).collect::<Vec<_>>());
        let sent = server.received_requests().await.unwrap().len() - server_before;
        assert_eq!(sent, pages, "{items} items");
    }
}

/// The stream yields `items` then one `Error::Pagination`, after `requests` requests.
async fn guard(stream: Stream, mode: Mode, items: i64, sent: usize) {
    let server = serve(mode).await;
    let client = connect(&server);
    let results: Vec<_> = stream(&client).collect().await;
    let (last, before) = results.split_last().expect("something");
    assert_eq!(ids(before), (0..items).collect::<Vec<_>>());
    assert!(matches!(last, Err(Error::Pagination { .. })), "{last:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), sent);
}

#[tokio::test]
async fn cursor_nested_numeric_next_page_offset() {
    battery(
        |c| c.list_cursor().limit(10u32).stream(),
        &[
            "/v1/cursor?limit=10",
            "/v1/cursor?from=10&limit=10",
            "/v1/cursor?from=20&limit=10",
        ],
    )
    .await;
    guard(|c| c.list_cursor().stream(), Mode::Repeat, 20, 2).await;
}

#[tokio::test]
async fn cursor_detected_with_has_more() {
    battery(
        |c| c.list_tokens().page_size(10).stream(),
        &[
            "/v1/tokens?page_size=10",
            "/v1/tokens?page_size=10&page_token=t1",
            "/v1/tokens?page_size=10&page_token=t2",
        ],
    )
    .await;
    let empty = tasks_sdk_core::Items::<Item>::MAX_EMPTY_PAGES;
    guard(|c| c.list_tokens().stream(), Mode::EmptyMore, 0, empty).await;
}

/// The known failure: `pageNumber`/`pageSize`/`totalItems`, no `has_next`: 25 items in
/// pages of 10 cost exactly 3 requests (detected, no overlay).
#[tokio::test]
async fn page_numbers_ending_on_total_items() {
    battery(
        |c| c.list_pages_total_items().page_size(10u64).stream(),
        &[
            "/v1/pages/total-items?pageNumber=1&pageSize=10",
            "/v1/pages/total-items?pageNumber=2&pageSize=10",
            "/v1/pages/total-items?pageNumber=3&pageSize=10",
        ],
    )
    .await;
    // The server's own page size: the total still ends it.
    let server = serve(Mode::Normal).await;
    let all: Vec<_> = connect(&server)
        .list_pages_total_items()
        .stream()
        .collect()
        .await;
    assert_eq!(ids(&all).len(), 25);
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    guard(
        |c| c.list_pages_total_items().stream(),
        Mode::LyingTotal,
        10,
        2,
    )
    .await;
}

#[tokio::test]
async fn page_numbers_from_zero_ending_on_total_pages() {
    battery(
        |c| c.list_pages_total_pages().per_page(10u64).stream(),
        &[
            "/v1/pages/total-pages?page=0&per_page=10",
            "/v1/pages/total-pages?page=1&per_page=10",
            "/v1/pages/total-pages?page=2&per_page=10",
        ],
    )
    .await;
}

#[tokio::test]
async fn page_numbers_as_strings_ending_on_a_boolean() {
    battery(
        |c| c.list_pages_has_next().stream(),
        &[
            "/v1/pages/has-next?p=1",
            "/v1/pages/has-next?p=2",
            "/v1/pages/has-next?p=3",
        ],
    )
    .await;
    let empty = tasks_sdk_core::Items::<Item>::MAX_EMPTY_PAGES;
    guard(
        |c| c.list_pages_has_next().stream(),
        Mode::EmptyMore,
        0,
        empty,
    )
    .await;
}

#[tokio::test]
async fn page_numbers_ending_on_a_short_page() {
    // The limit's documented default (10): the third page, with 5, is the last.
    battery(
        |c| c.list_pages_short().stream(),
        &[
            "/v1/pages/short?page=1",
            "/v1/pages/short?page=2",
            "/v1/pages/short?page=3",
        ],
    )
    .await;
    // The limit the caller sets: pages of 7, 7, 7, 4.
    let server = serve(Mode::Normal).await;
    let all: Vec<_> = connect(&server)
        .list_pages_short()
        .limit(7u32)
        .stream()
        .collect()
        .await;
    assert_eq!(ids(&all), (0..25).collect::<Vec<_>>());
    assert_eq!(
        requests(&server, true).await,
        [
            "/v1/pages/short?limit=7&page=1",
            "/v1/pages/short?limit=7&page=2",
            "/v1/pages/short?limit=7&page=3",
            "/v1/pages/short?limit=7&page=4",
        ]
    );
}

#[tokio::test]
async fn offsets_ending_on_a_total() {
    // The server clamps `limit=50` to pages of 10: the total, not the short page, decides.
    battery(
        |c| c.list_offset_total().limit(50u32).stream(),
        &[
            "/v1/offset/total?limit=50&offset=0",
            "/v1/offset/total?limit=50&offset=10",
            "/v1/offset/total?limit=50&offset=20",
        ],
    )
    .await;
    guard(|c| c.list_offset_total().stream(), Mode::LyingTotal, 10, 2).await;
}

#[tokio::test]
async fn offsets_ending_on_a_short_page() {
    // Detected from `$skip`/`$top`; `$top` defaults to 10.
    battery(
        |c| c.list_offset_short().stream(),
        &[
            "/v1/offset/short?$skip=0",
            "/v1/offset/short?$skip=10",
            "/v1/offset/short?$skip=20",
        ],
    )
    .await;
}

#[tokio::test]
async fn next_page_paths_in_the_body() {
    battery(
        |c| c.list_links_body().q("x").stream(),
        &[
            "/v1/links/body?q=x",
            "/v1/links/body?q=x&page=2",
            "/v1/links/body?q=x&page=3",
        ],
    )
    .await;
    guard(|c| c.list_links_body().stream(), Mode::Repeat, 20, 2).await;
}

#[tokio::test]
async fn next_page_urls_in_odata_next_link() {
    battery(
        |c| c.list_links_odata().stream(),
        &[
            "/v1/links/odata",
            "/v1/links/odata?$skiptoken=1",
            "/v1/links/odata?$skiptoken=2",
        ],
    )
    .await;
    // A link to another origin is followed without the credential.
    let api = MockServer::start().await;
    let other = serve(Mode::Normal).await;
    mount(&api, Mode::Normal, other.uri()).await;
    let all: Vec<_> = connect(&api).list_links_odata().stream().collect().await;
    assert_eq!(ids(&all), (0..25).collect::<Vec<_>>());
    assert_eq!(requests(&api, true).await, ["/v1/links/odata"]);
    assert_eq!(
        requests(&other, false).await,
        [
            "/v1/links/odata?$skiptoken=1",
            "/v1/links/odata?$skiptoken=2"
        ]
    );
}

#[tokio::test]
async fn next_page_urls_in_link_headers() {
    battery(
        |c| c.list_links_header().per_page(10).stream(),
        &[
            "/v1/links/header?per_page=10",
            "/v1/links/header?page=2&per_page=10",
            "/v1/links/header?page=3&per_page=10",
        ],
    )
    .await;
    guard(
        |c| c.list_links_header().per_page(10).stream(),
        Mode::Repeat,
        20,
        2,
    )
    .await;
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_the_error_after_the_items_before_it() {
    let server = MockServer::start().await;
    Mock::given(matchers::query_param("page", "2"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"error": "boom"})))
        .mount(&server)
        .await;
    mount(&server, Mode::Normal, server.uri()).await;
    let results: Vec<_> = connect(&server).list_links_body().stream().collect().await;
    let (last, before) = results.split_last().unwrap();
    assert_eq!(ids(before), (0..10).collect::<Vec<_>>());
    assert!(matches!(last, Err(Error::Server(_))), "{last:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

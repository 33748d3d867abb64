//! `Items` for every pagination style, against scripted servers: closures that serve
//! pages from a list in order and record every request they get (no HTTP).

use std::collections::VecDeque;
use std::future::Ready;
use std::sync::{Arc, Mutex};

use futures_util::StreamExt;
use http::header::LINK;
use http::{HeaderMap, HeaderValue};
use tasks_sdk_core::{Error, Items, Page, next_link};

/// What a scripted server answers to one request.
type Served = Result<Page<u32>, Error>;

/// A server that answers requests with its pages in order, and an error once they are
/// used up (so a request past the end shows in the results as well as in the log).
#[derive(Clone, Default)]
struct Script {
    pages: Arc<Mutex<VecDeque<Served>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Script {
    fn new(pages: Vec<Result<Page<u32>, Error>>) -> Self {
        Script {
            pages: Arc::new(Mutex::new(pages.into())),
            requests: Arc::default(),
        }
    }

    fn ok(pages: Vec<Page<u32>>) -> Self {
        Self::new(pages.into_iter().map(Ok).collect())
    }

    fn serve(&self, request: String) -> Ready<Result<Page<u32>, Error>> {
        self.requests.lock().unwrap().push(request.clone());
        let page = self.pages.lock().unwrap().pop_front();
        std::future::ready(page.unwrap_or_else(|| {
            Err(Error::InvalidArgument {
                name: "past_the_end".into(),
                reason: format!("nothing to serve for {request}"),
            })
        }))
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// The styles a generated `stream()` can use, each with its usual end signal.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Style {
    /// Next cursor in the body; the last page has none.
    Cursor,
    /// Page numbers from 1 with `has_next`.
    PageHasNext,
    /// Page numbers from 1 with `totalPages`.
    PageTotalPages,
    /// Page numbers from 1 with `totalItems`.
    PageTotalItems,
    /// Page numbers from 0 with `totalPages`.
    PageZeroBased,
    /// Page numbers from 1, no signal, the requested page size known.
    PageShort,
    /// Offsets with `total`.
    OffsetTotal,
    /// Offsets, no signal, the requested page size known.
    OffsetShort,
    /// Next-page URL in the body; the last page has none.
    Links,
}

const STYLES: [Style; 9] = [
    Style::Cursor,
    Style::PageHasNext,
    Style::PageTotalPages,
    Style::PageTotalItems,
    Style::PageZeroBased,
    Style::PageShort,
    Style::OffsetTotal,
    Style::OffsetShort,
    Style::Links,
];

/// `0..n` in pages of `size` (one empty page for an empty listing).
fn chunks(n: u32, size: u32) -> Vec<Vec<u32>> {
    let all: Vec<u32> = (0..n).collect();
    if all.is_empty() {
        return vec![vec![]];
    }
    all.chunks(size as usize).map(<[u32]>::to_vec).collect()
}

/// The pages a server of `style` returns for `0..n` in pages of `size`.
fn pages(style: Style, n: u32, size: u32) -> Vec<Page<u32>> {
    let chunks = chunks(n, size);
    let count = chunks.len() as u64;
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, items)| {
            let last = i as u64 + 1 == count;
            let page = Page::new(items);
            match style {
                Style::Cursor => page.next_cursor((!last).then(|| format!("c{}", i + 1))),
                Style::PageHasNext => page.more(Some(!last)),
                Style::PageTotalPages | Style::PageZeroBased => page.total_pages(Some(count)),
                Style::PageTotalItems | Style::OffsetTotal => page.total_items(Some(n.into())),
                Style::PageShort | Style::OffsetShort => page,
                Style::Links => page.next_cursor((!last).then(|| format!("/items?page={}", i + 2))),
            }
        })
        .collect()
}

/// The stream a generated `stream()` of `style` builds against `script`.
fn stream(style: Style, script: &Script) -> Items<'static, u32> {
    let s = script.clone();
    match style {
        Style::Cursor => Items::cursor(move |c| s.serve(format!("cursor={c:?}"))),
        Style::PageHasNext | Style::PageTotalPages | Style::PageTotalItems => {
            Items::pages(move |n| s.serve(format!("page={n}")))
        }
        Style::PageZeroBased => Items::pages_from(0, move |n| s.serve(format!("page={n}"))),
        Style::PageShort => Items::pages(move |n| s.serve(format!("page={n}"))).page_size(10),
        Style::OffsetTotal => Items::offset(move |o| s.serve(format!("offset={o}"))),
        Style::OffsetShort => Items::offset(move |o| s.serve(format!("offset={o}"))).page_size(10),
        Style::Links => Items::links(move |l| s.serve(format!("link={l:?}"))),
    }
}

/// The requests a correct stream of `style` makes for 25 items in pages of 10.
fn three_requests(style: Style) -> [&'static str; 3] {
    match style {
        Style::Cursor => [
            "cursor=None",
            r#"cursor=Some("c1")"#,
            r#"cursor=Some("c2")"#,
        ],
        Style::PageHasNext | Style::PageTotalPages | Style::PageTotalItems | Style::PageShort => {
            ["page=1", "page=2", "page=3"]
        }
        Style::PageZeroBased => ["page=0", "page=1", "page=2"],
        Style::OffsetTotal | Style::OffsetShort => ["offset=0", "offset=10", "offset=20"],
        Style::Links => [
            "link=None",
            r#"link=Some("/items?page=2")"#,
            r#"link=Some("/items?page=3")"#,
        ],
    }
}

async fn collect(items: Items<'static, u32>) -> Vec<Result<u32, Error>> {
    items.collect().await
}

fn values(results: &[Result<u32, Error>]) -> Vec<u32> {
    results.iter().map(|r| *r.as_ref().unwrap()).collect()
}

fn is_pagination_error(result: &Result<u32, Error>) -> bool {
    matches!(result, Err(Error::Pagination { .. }))
}

fn boom() -> Error {
    Error::InvalidArgument {
        name: "boom".into(),
        reason: "the server failed".into(),
    }
}

// Every style: every item once, in order, and not one request past the end.

#[tokio::test]
async fn every_style_yields_every_item_once_in_order_in_exactly_three_requests() {
    for style in STYLES {
        let script = Script::ok(pages(style, 25, 10));

        let results = collect(stream(style, &script)).await;

        assert_eq!(
            values(&results),
            (0..25).collect::<Vec<_>>(),
            "{style:?}: {results:?}"
        );
        assert_eq!(script.requests(), three_requests(style), "{style:?}");
    }
}

#[tokio::test]
async fn every_style_makes_one_request_for_an_empty_listing() {
    for style in STYLES {
        let script = Script::ok(pages(style, 0, 10));

        let results = collect(stream(style, &script)).await;

        assert!(results.is_empty(), "{style:?}: {results:?}");
        assert_eq!(script.count(), 1, "{style:?}: {:?}", script.requests());
    }
}

#[tokio::test]
async fn every_style_fetches_pages_only_as_items_are_consumed() {
    for style in STYLES {
        let script = Script::ok(pages(style, 25, 10));
        let mut items = stream(style, &script);
        assert_eq!(
            script.count(),
            0,
            "{style:?}: nothing before the first poll"
        );

        let first_three: Vec<_> = items.by_ref().take(3).collect().await;
        assert_eq!(values(&first_three), [0, 1, 2], "{style:?}");
        assert_eq!(script.count(), 1, "{style:?}: 3 items are on page 1");
        assert_eq!(items.pages_fetched(), 1);

        let up_to_ten: Vec<_> = items.by_ref().take(8).collect().await;
        assert_eq!(values(&up_to_ten), (3..11).collect::<Vec<_>>(), "{style:?}");
        assert_eq!(script.count(), 2, "{style:?}: item 10 is on page 2");

        let up_to_nineteen: Vec<_> = items.by_ref().take(9).collect().await;
        assert_eq!(values(&up_to_nineteen), (11..20).collect::<Vec<_>>());
        assert_eq!(
            script.count(),
            2,
            "{style:?}: item 19 was already on page 2"
        );
        assert_eq!(items.items_yielded(), 20);

        assert_eq!(items.next().await.unwrap().unwrap(), 20, "{style:?}");
        assert_eq!(script.count(), 3, "{style:?}");
        assert_eq!(items.by_ref().count().await, 4, "{style:?}");
        assert!(items.next().await.is_none(), "{style:?}: ended stays ended");
        assert_eq!(script.requests(), three_requests(style), "{style:?}");
    }
}

#[tokio::test]
async fn every_style_yields_an_error_on_page_three_after_the_items_of_pages_one_and_two() {
    for style in STYLES {
        let mut served: Vec<_> = pages(style, 25, 10).into_iter().map(Ok).collect();
        served[2] = Err(boom());
        let script = Script::new(served);
        let mut items = stream(style, &script);

        let results: Vec<_> = items.by_ref().collect().await;

        assert_eq!(results.len(), 21, "{style:?}: {results:?}");
        assert_eq!(values(&results[..20]), (0..20).collect::<Vec<_>>());
        assert!(
            matches!(&results[20], Err(Error::InvalidArgument { name, .. }) if name == "boom"),
            "{style:?}: {results:?}"
        );
        assert!(items.next().await.is_none(), "{style:?}: the error ends it");
        assert_eq!(script.count(), 3, "{style:?}");
    }
}

#[tokio::test]
async fn max_items_and_max_pages_bound_every_style() {
    for style in STYLES {
        let script = Script::ok(pages(style, 25, 10));
        let results = collect(stream(style, &script).max_items(12)).await;
        assert_eq!(values(&results), (0..12).collect::<Vec<_>>(), "{style:?}");
        assert_eq!(script.count(), 2, "{style:?}: item 11 is on page 2");

        let script = Script::ok(pages(style, 25, 10));
        let results = collect(stream(style, &script).max_items(10)).await;
        assert_eq!(values(&results), (0..10).collect::<Vec<_>>(), "{style:?}");
        assert_eq!(script.count(), 1, "{style:?}: no page past the 10th item");

        let script = Script::ok(pages(style, 25, 10));
        let results = collect(stream(style, &script).max_pages(2)).await;
        assert_eq!(values(&results), (0..20).collect::<Vec<_>>(), "{style:?}");
        assert_eq!(script.count(), 2, "{style:?}");

        let script = Script::ok(pages(style, 25, 10));
        let results = collect(stream(style, &script).max_items(0)).await;
        assert!(results.is_empty(), "{style:?}");
        assert_eq!(script.count(), 0, "{style:?}");
    }
}

// Cursor style.

#[tokio::test]
async fn cursor_more_false_ends_even_with_a_next_cursor() {
    let script = Script::ok(vec![
        Page::new(vec![1])
            .next_cursor(Some("c1".into()))
            .more(Some(true)),
        Page::new(vec![2])
            .next_cursor(Some("c2".into()))
            .more(Some(false)),
    ]);

    let results = collect(Items::cursor({
        let s = script.clone();
        move |c| s.serve(format!("{c:?}"))
    }))
    .await;

    assert_eq!(values(&results), [1, 2]);
    assert_eq!(script.count(), 2);
}

#[tokio::test]
async fn cursor_without_a_next_cursor_ends_even_when_more_says_true() {
    for last in [None, Some(String::new())] {
        let script = Script::ok(vec![
            Page::new(vec![1]).next_cursor(Some("c1".into())),
            Page::new(vec![2])
                .next_cursor(last.clone())
                .more(Some(true)),
        ]);

        let results = collect(Items::cursor({
            let s = script.clone();
            move |c| s.serve(format!("{c:?}"))
        }))
        .await;

        assert_eq!(values(&results), [1, 2], "{last:?}");
        assert_eq!(script.count(), 2, "{last:?}");
    }
}

#[tokio::test]
async fn cursor_ignores_totals_and_short_pages() {
    let script = Script::ok(vec![
        Page::new(vec![1])
            .next_cursor(Some("c1".into()))
            .total_items(Some(1)),
        Page::new(vec![2])
            .next_cursor(Some("c2".into()))
            .total_pages(Some(1)),
        Page::new(vec![3]),
    ]);

    let results = collect(
        Items::cursor({
            let s = script.clone();
            move |c| s.serve(format!("{c:?}"))
        })
        .page_size(10),
    )
    .await;

    assert_eq!(values(&results), [1, 2, 3]);
    assert_eq!(script.count(), 3);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_with_an_error_after_its_page() {
    let script = Script::ok(vec![
        Page::new(vec![1])
            .next_cursor(Some("c1".into()))
            .more(Some(true)),
        Page::new(vec![2])
            .next_cursor(Some("c2".into()))
            .more(Some(true)),
        Page::new(vec![3])
            .next_cursor(Some("c1".into()))
            .more(Some(true)),
    ]);

    let results = collect(Items::cursor({
        let s = script.clone();
        move |c| s.serve(format!("{c:?}"))
    }))
    .await;

    assert_eq!(results.len(), 4, "{results:?}");
    assert_eq!(values(&results[..3]), [1, 2, 3]);
    assert!(
        matches!(&results[3], Err(Error::Pagination { reason }) if reason.contains("\"c1\"")),
        "{results:?}"
    );
    assert_eq!(script.count(), 3);
}

// Link style.

#[tokio::test]
async fn links_from_link_headers_are_followed_to_the_last_page() {
    /// A response: its items and its `Link` header.
    fn response(items: Vec<u32>, link: &str) -> (Vec<u32>, HeaderMap) {
        let mut headers = HeaderMap::new();
        if !link.is_empty() {
            headers.insert(LINK, HeaderValue::from_str(link).unwrap());
        }
        (items, headers)
    }
    let responses = Arc::new(Mutex::new(VecDeque::from([
        response(
            (0..10).collect(),
            r#"<https://api.example/items?page=2>; rel="next", <https://api.example/items?page=3>; rel="last""#,
        ),
        response(
            (10..20).collect(),
            r#"<https://api.example/items?page=1>; rel="prev", <https://api.example/items?page=3>; rel="next last""#,
        ),
        response(
            (20..25).collect(),
            r#"<https://api.example/items?page=2>; rel="prev", <https://api.example/items?page=1>; rel="first""#,
        ),
    ])));
    let requests = Arc::new(Mutex::new(Vec::new()));

    let results = collect(Items::links({
        let requests = requests.clone();
        move |link| {
            requests.lock().unwrap().push(link);
            // What generated code does with the response's headers.
            let (items, headers) = responses.lock().unwrap().pop_front().unwrap();
            std::future::ready(Ok(Page::new(items).next_cursor(next_link(&headers))))
        }
    }))
    .await;

    assert_eq!(values(&results), (0..25).collect::<Vec<_>>());
    assert_eq!(
        *requests.lock().unwrap(),
        [
            None,
            Some("https://api.example/items?page=2".to_owned()),
            Some("https://api.example/items?page=3".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_repeated_link_ends_the_stream_with_an_error_after_its_page() {
    let script = Script::ok(vec![
        Page::new(vec![1]).next_cursor(Some("/items?page=2".into())),
        Page::new(vec![2]).next_cursor(Some("/items?page=3".into())),
        Page::new(vec![3]).next_cursor(Some("/items?page=2".into())),
    ]);

    let results = collect(Items::links({
        let s = script.clone();
        move |l| s.serve(format!("{l:?}"))
    }))
    .await;

    assert_eq!(results.len(), 4, "{results:?}");
    assert_eq!(values(&results[..3]), [1, 2, 3]);
    assert!(
        matches!(&results[3], Err(Error::Pagination { reason })
            if reason.contains("link") && reason.contains("/items?page=2")),
        "{results:?}"
    );
    assert_eq!(script.count(), 3);
}

#[tokio::test]
async fn links_more_false_or_an_empty_link_ends() {
    for last in [
        Page::new(vec![2])
            .next_cursor(Some("/p3".into()))
            .more(Some(false)),
        Page::new(vec![2]).next_cursor(Some(String::new())),
    ] {
        let script = Script::ok(vec![
            Page::new(vec![1]).next_cursor(Some("/p2".into())),
            last,
        ]);

        let results = collect(Items::links({
            let s = script.clone();
            move |l| s.serve(format!("{l:?}"))
        }))
        .await;

        assert_eq!(values(&results), [1, 2]);
        assert_eq!(script.count(), 2);
    }
}

// Empty pages that keep saying "more", in every style that can say it.

#[tokio::test]
async fn empty_pages_that_keep_saying_more_end_with_an_error() {
    for style in [
        Style::Cursor,
        Style::Links,
        Style::PageHasNext,
        Style::OffsetTotal,
    ] {
        let empty = (0..10)
            .map(|i| {
                Page::new(vec![])
                    .more(Some(true))
                    .next_cursor(Some(format!("/c{i}")))
            })
            .collect();
        let script = Script::ok(empty);

        let results = collect(stream(style, &script)).await;

        assert_eq!(results.len(), 1, "{style:?}: {results:?}");
        assert!(is_pagination_error(&results[0]), "{style:?}: {results:?}");
        assert_eq!(
            script.count(),
            Items::<u32>::MAX_EMPTY_PAGES,
            "{style:?}: {:?}",
            script.requests()
        );
    }
}

#[tokio::test]
async fn a_page_with_items_resets_the_empty_page_count() {
    let script = Script::ok(vec![
        Page::new(vec![]).more(Some(true)),
        Page::new(vec![]).more(Some(true)),
        Page::new(vec![1]).more(Some(true)),
        Page::new(vec![]).more(Some(true)),
        Page::new(vec![]).more(Some(true)),
        Page::new(vec![2]).more(Some(false)),
    ]);

    let results = collect(Items::pages({
        let s = script.clone();
        move |n| s.serve(format!("page={n}"))
    }))
    .await;

    assert_eq!(values(&results), [1, 2]);
    assert_eq!(script.count(), 6);
}

// Page style: the order of the rules.

#[tokio::test]
async fn pages_without_any_signal_end_on_the_first_empty_page() {
    let mut served = pages(Style::PageShort, 25, 10);
    served.push(Page::new(vec![]));
    let script = Script::ok(served);

    // No page size: a short page is not the end, only an empty one is.
    let results = collect(Items::pages({
        let s = script.clone();
        move |n| s.serve(format!("page={n}"))
    }))
    .await;

    assert_eq!(values(&results), (0..25).collect::<Vec<_>>());
    assert_eq!(script.requests(), ["page=1", "page=2", "page=3", "page=4"]);
}

#[tokio::test]
async fn with_a_page_size_a_full_last_page_costs_one_empty_page() {
    for style in [Style::PageShort, Style::OffsetShort] {
        let mut served = pages(style, 30, 10);
        served.push(Page::new(vec![]));
        let script = Script::ok(served);

        let results = collect(stream(style, &script)).await;

        assert_eq!(values(&results), (0..30).collect::<Vec<_>>(), "{style:?}");
        assert_eq!(script.count(), 4, "{style:?}");
    }
}

#[tokio::test]
async fn pages_from_zero_stop_at_the_last_of_total_pages() {
    let script = Script::ok(vec![Page::new(vec![1, 2]).total_pages(Some(1))]);
    let results = collect(Items::pages_from(0, {
        let s = script.clone();
        move |n| s.serve(format!("page={n}"))
    }))
    .await;
    assert_eq!(values(&results), [1, 2]);
    assert_eq!(script.requests(), ["page=0"]);

    let script = Script::ok(pages(Style::PageTotalItems, 25, 10));
    let results = collect(Items::pages_from(0, {
        let s = script.clone();
        move |n| s.serve(format!("page={n}"))
    }))
    .await;
    assert_eq!(values(&results), (0..25).collect::<Vec<_>>());
    assert_eq!(script.requests(), ["page=0", "page=1", "page=2"]);
}

#[tokio::test]
async fn an_explicit_more_true_keeps_going_past_a_short_page_and_the_totals() {
    let script = Script::ok(vec![
        Page::new(vec![1, 2, 3])
            .more(Some(true))
            .total_items(Some(3)),
        Page::new(vec![]).more(Some(true)).total_pages(Some(1)),
        Page::new(vec![4]).more(Some(false)),
    ]);

    let results = collect(
        Items::pages({
            let s = script.clone();
            move |n| s.serve(format!("page={n}"))
        })
        .page_size(10),
    )
    .await;

    assert_eq!(values(&results), [1, 2, 3, 4]);
    assert_eq!(script.count(), 3);
}

#[tokio::test]
async fn totals_win_over_a_short_page_when_the_server_clamps_the_page_size() {
    for style in [Style::PageTotalItems, Style::OffsetTotal] {
        // The client asks for 20, the server sends at most 10, and says there are 25.
        let script = Script::ok(pages(style, 25, 10));

        let results = collect(stream(style, &script).page_size(20)).await;

        assert_eq!(values(&results), (0..25).collect::<Vec<_>>(), "{style:?}");
        assert_eq!(script.requests(), three_requests(style), "{style:?}");
    }
}

#[tokio::test]
async fn a_total_given_only_on_the_first_page_is_remembered() {
    for style in [
        Style::PageTotalItems,
        Style::PageTotalPages,
        Style::OffsetTotal,
    ] {
        let mut served = pages(style, 25, 10);
        for page in &mut served[1..] {
            page.total_items = None;
            page.total_pages = None;
        }
        let script = Script::ok(served);

        let results = collect(stream(style, &script)).await;

        assert_eq!(values(&results), (0..25).collect::<Vec<_>>(), "{style:?}");
        assert_eq!(script.count(), 3, "{style:?}");
    }
}

#[tokio::test]
async fn a_total_that_keeps_the_stream_going_while_pages_are_empty_is_an_error() {
    for (style, total) in [
        (
            Style::PageTotalItems,
            Page::new(vec![]).total_items(Some(100)),
        ),
        (
            Style::PageTotalPages,
            Page::new(vec![]).total_pages(Some(u64::MAX)),
        ),
        (Style::OffsetTotal, Page::new(vec![]).total_items(Some(100))),
    ] {
        // 25 items, pages that claim more, then an empty page that still claims more.
        let mut served: Vec<_> = chunks(25, 10)
            .into_iter()
            .map(|items| {
                let mut page = total.clone();
                page.items = items;
                page
            })
            .collect();
        served.extend([total.clone(), total.clone(), total.clone()]);
        let script = Script::ok(served);

        let results = collect(stream(style, &script)).await;

        assert_eq!(results.len(), 26, "{style:?}: {results:?}");
        assert_eq!(values(&results[..25]), (0..25).collect::<Vec<_>>());
        assert!(
            matches!(&results[25], Err(Error::Pagination { reason }) if reason.contains("empty")),
            "{style:?}: {results:?}"
        );
        assert_eq!(
            script.count(),
            4,
            "{style:?}: no request after the empty page: {:?}",
            script.requests()
        );
    }
}

#[tokio::test]
async fn a_page_number_past_u64_max_is_an_error_not_a_wrap() {
    let script = Script::ok(vec![Page::new(vec![1]).more(Some(true))]);

    let results = collect(Items::pages_from(u64::MAX, {
        let s = script.clone();
        move |n| s.serve(format!("page={n}"))
    }))
    .await;

    assert_eq!(results.len(), 2, "{results:?}");
    assert!(is_pagination_error(&results[1]), "{results:?}");
    assert_eq!(script.count(), 1);
}

// Offset style.

#[tokio::test]
async fn offsets_advance_by_the_items_received() {
    // The client asks for 10, the server sends 7 at a time.
    let served = chunks(25, 7)
        .into_iter()
        .map(|items| Page::new(items).total_items(Some(25)))
        .collect();
    let script = Script::ok(served);

    let results = collect(
        Items::offset({
            let s = script.clone();
            move |o| s.serve(format!("offset={o}"))
        })
        .page_size(10),
    )
    .await;

    assert_eq!(values(&results), (0..25).collect::<Vec<_>>());
    assert_eq!(
        script.requests(),
        ["offset=0", "offset=7", "offset=14", "offset=21"]
    );
}

#[tokio::test]
async fn offsets_without_any_signal_end_on_the_first_empty_page() {
    let mut served = pages(Style::OffsetShort, 25, 10);
    served.push(Page::new(vec![]));
    let script = Script::ok(served);

    let results = collect(Items::offset({
        let s = script.clone();
        move |o| s.serve(format!("offset={o}"))
    }))
    .await;

    assert_eq!(values(&results), (0..25).collect::<Vec<_>>());
    assert_eq!(
        script.requests(),
        ["offset=0", "offset=10", "offset=20", "offset=25"]
    );
}

// Single page, and `Page` itself.

#[tokio::test]
async fn single_fetches_its_only_page_once() {
    let script = Script::ok(vec![
        Page::new(vec![1, 2])
            .more(Some(true))
            .next_cursor(Some("c".into())),
        Page::new(vec![3]),
    ]);

    let mut items = Items::single(script.serve("all".into())).max_pages(5);
    let results: Vec<_> = items.by_ref().collect().await;

    assert_eq!(values(&results), [1, 2]);
    assert_eq!(script.count(), 1);
    assert_eq!(items.pages_fetched(), 1);
}

#[test]
fn page_new_and_its_setters() {
    let page = Page::new(vec![1u32, 2])
        .next_cursor(Some("c".into()))
        .more(Some(true))
        .total_items(Some(25))
        .total_pages(Some(3));

    assert_eq!(page.items, [1, 2]);
    assert_eq!(page.next_cursor.as_deref(), Some("c"));
    assert_eq!(page.more, Some(true));
    assert_eq!(page.total_items, Some(25));
    assert_eq!(page.total_pages, Some(3));
    assert_eq!(
        Page::new(Vec::<u32>::new()),
        Page::new(vec![])
            .next_cursor(None)
            .more(None)
            .total_items(None)
            .total_pages(None)
    );
}

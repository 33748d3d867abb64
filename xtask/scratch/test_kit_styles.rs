//! The generated test kit against the generated client, for every pagination style:
//! the crate generated from `xtask/corpus/pagination_styles.yaml` serves five items with
//! `server.<op>().items(..)` in each operation's own style, and the client's `stream()`
//! reads them back, once and in order, in exactly three pages of two. Copied into the
//! scratch crate's `tests/` and run by `scratch::tests` in xtask.
#![deny(warnings)]

use tasks_sdk_paging::testing::{MockServer, example};
use tasks_sdk_paging::types::Item;

fn five() -> Vec<Item> {
    (0..5).map(|id| Item { id, ..example() }).collect()
}

/// Serves five items for `$op` (with `$stub` applied to the stub), lists them with the
/// builder `$call` made, and checks the items, the page count and the page size sent.
macro_rules! round_trip {
    ($op:ident, |$s:ident| $stub:expr, |$b:ident| $call:expr, $limit:expr) => {{
        let server = MockServer::start().await;
        let $s = server.$op();
        $stub.items(five());
        let client = server.client();
        let $b = client.$op();
        let ids: Vec<i64> = $call
            .stream()
            .collect_all()
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", stringify!($op)))
            .into_iter()
            .map(|item| item.id)
            .collect();
        assert_eq!(ids, [0, 1, 2, 3, 4], "{}", stringify!($op));
        let received = server.received();
        assert_eq!(received.len(), 3, "{}: {received:#?}", stringify!($op));
        for request in &received {
            assert_eq!(request.operation, Some(stringify!($op)));
            let limit: Option<(&str, &str)> = $limit;
            if let Some((name, value)) = limit {
                assert_eq!(request.query_param(name), Some(value), "{}", stringify!($op));
            }
        }
    }};
}

#[tokio::test]
async fn every_style_round_trips_through_the_client() {
    // A page size sent by the client where the operation takes one; else the stub's.
    round_trip!(list_cursor, |s| s, |b| b.limit(2), Some(("limit", "2")));
    round_trip!(list_tokens, |s| s, |b| b.page_size(2), Some(("page_size", "2")));
    round_trip!(list_pages_total_items, |s| s, |b| b.page_size(2), Some(("pageSize", "2")));
    round_trip!(list_pages_total_pages, |s| s, |b| b.per_page(2), Some(("per_page", "2")));
    round_trip!(list_pages_has_next, |s| s.page_size(2), |b| b, None);
    round_trip!(list_pages_short, |s| s, |b| b.limit(2), Some(("limit", "2")));
    round_trip!(list_offset_total, |s| s, |b| b.limit(2), Some(("limit", "2")));
    round_trip!(list_offset_short, |s| s, |b| b.top(2), Some(("$top", "2")));
    round_trip!(list_links_body, |s| s.page_size(2), |b| b.q("x y"), Some(("q", "x y")));
    round_trip!(list_links_odata, |s| s.page_size(2), |b| b, None);
    // The link-header style has no page-size key (`per_page` is the API's own): the
    // stub's page size.
    round_trip!(list_links_header, |s| s.page_size(2), |b| b.per_page(2), Some(("per_page", "2")));
}

#[tokio::test]
async fn the_page_numbers_and_offsets_sent_are_the_styles_own() {
    let server = MockServer::start().await;
    server.list_pages_total_pages().items(five());
    server.list_offset_total().items(five());
    let client = server.client();
    client.list_pages_total_pages().per_page(2).stream().collect_all().await.unwrap();
    client.list_offset_total().limit(2).stream().collect_all().await.unwrap();
    let sent: Vec<String> = server
        .received()
        .iter()
        .map(|r| format!("page={:?} offset={:?}", r.query_param("page"), r.query_param("offset")))
        .collect();
    assert_eq!(
        sent,
        [
            // Pages from 0 (the spec's `first_page`), then offsets from 0.
            "page=Some(\"0\") offset=None",
            "page=Some(\"1\") offset=None",
            "page=Some(\"2\") offset=None",
            "page=None offset=Some(\"0\")",
            "page=None offset=Some(\"2\")",
            "page=None offset=Some(\"4\")",
        ]
    );
}

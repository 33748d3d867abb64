//! Pages of items in an operation's own pagination style: the mock side of
//! [`crate::pagination`]. Everything here is in wire names (the spec's `x-pagination`),
//! so the generated code hands over constants and JSON, not Rust types.

use bytes::Bytes;
use serde_json::{Value, json};

use super::reply::{json_reply, reply};

/// How many items a page holds when the request sets no page size and the spec
/// documents no default.
pub const DEFAULT_PAGE_SIZE: u64 = 10;

/// The query parameter of the next-page links the mock writes (link styles): the offset
/// of the page's first item.
pub const LINK_OFFSET_PARAM: &str = "mock_offset";

/// A pagination style, as in the spec's `x-pagination` (`style`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PagingStyle {
    /// A cursor parameter, and the next cursor in the body.
    Cursor,
    /// A page-number parameter.
    Page,
    /// An offset parameter.
    Offset,
    /// The next page's URL in the body.
    Links,
    /// The next page's URL in an RFC 8288 `Link` header.
    LinkHeader,
    /// One page holds everything.
    Single,
}

/// What the next cursor or link field holds on the last page, as its schema allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextAtEnd {
    /// Left out (an optional field).
    Absent,
    /// `null` (a required, nullable field).
    Null,
    /// `""` (a required field that cannot be null; the client reads it as the end).
    Empty,
}

/// An operation's pagination in wire names, written by the generator from the spec's
/// `x-pagination`. Nested fields are joined by `.` (`meta.next_cursor`). Build it as
/// `Paging { style, template, ..Paging::SINGLE }` so that fields added later need no
/// change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// The style.
    pub style: PagingStyle,
    /// A valid page of the operation as JSON (every property present), into which each
    /// page's items and signals are written.
    pub template: &'static str,
    /// The items array's field; `None`: the body is the array.
    pub items: Option<&'static str>,
    /// The cursor query parameter (cursor style).
    pub cursor_param: Option<&'static str>,
    /// The body field of the next cursor (cursor style).
    pub next_cursor: Option<&'static str>,
    /// Whether the next cursor is a JSON number rather than a string.
    pub cursor_is_number: bool,
    /// The body field of the next page's URL (links style).
    pub next: Option<&'static str>,
    /// The next cursor or link field on the last page.
    pub next_at_end: NextAtEnd,
    /// The page-number query parameter (page style).
    pub page_param: Option<&'static str>,
    /// The first page's number (page style).
    pub first_page: u64,
    /// The offset query parameter (offset style).
    pub offset_param: Option<&'static str>,
    /// The page-size query parameter.
    pub limit_param: Option<&'static str>,
    /// The page size of a request that sets none, when the spec documents it.
    pub page_size: Option<u64>,
    /// Body fields of the signals the page carries.
    pub has_more: Option<&'static str>,
    /// Like `has_more`.
    pub has_next: Option<&'static str>,
    /// The body field of the number of items of the whole listing.
    pub total_items: Option<&'static str>,
    /// The body field of the number of pages of the whole listing.
    pub total_pages: Option<&'static str>,
}

impl Paging {
    /// A single page whose body is the items array.
    pub const SINGLE: Paging = Paging {
        style: PagingStyle::Single,
        template: "[]",
        items: None,
        cursor_param: None,
        next_cursor: None,
        cursor_is_number: false,
        next: None,
        next_at_end: NextAtEnd::Absent,
        page_param: None,
        first_page: 1,
        offset_param: None,
        limit_param: None,
        page_size: None,
        has_more: None,
        has_next: None,
        total_items: None,
        total_pages: None,
    };
}

/// The page a request asks for, from `items`, in the style of `paging`.
pub(crate) fn serve_page(
    paging: &Paging,
    items: &[Value],
    page_size: Option<u64>,
    success: u16,
    base: &str,
    path: &str,
    query: &[(String, String)],
) -> super::reply::HttpResponse {
    match page(paging, items, page_size, base, path, query) {
        Ok((body, link)) => {
            let mut response = reply(success, "application/json", Bytes::from(body.to_string()));
            if let Some(link) = link
                && let Ok(value) = hyper::header::HeaderValue::from_str(&link)
            {
                response.headers_mut().insert(hyper::header::LINK, value);
            }
            response
        }
        Err(message) => json_reply(
            400,
            &json!({ "error": format!("tasks-sdk mock: {message}") }),
        ),
    }
}

/// The page's body and `Link` header.
fn page(
    paging: &Paging,
    items: &[Value],
    page_size: Option<u64>,
    base: &str,
    path: &str,
    query: &[(String, String)],
) -> Result<(Value, Option<String>), String> {
    let param = |name: Option<&str>| {
        name.and_then(|name| query.iter().find(|(n, _)| n == name))
            .map(|(_, v)| v.as_str())
    };
    let number = |name: Option<&'static str>| -> Result<Option<u64>, String> {
        match param(name) {
            None => Ok(None),
            Some(value) => value.parse().map(Some).map_err(|_| {
                format!(
                    "`{}` must be a whole number, got {value:?}",
                    name.unwrap_or("")
                )
            }),
        }
    };
    let size = match number(paging.limit_param)? {
        Some(0) => {
            return Err(format!(
                "`{}` must be at least 1",
                paging.limit_param.unwrap_or("")
            ));
        }
        Some(size) => size,
        None => page_size.or(paging.page_size).unwrap_or(DEFAULT_PAGE_SIZE),
    };
    let start = match paging.style {
        PagingStyle::Cursor => number(paging.cursor_param)?.unwrap_or(0),
        PagingStyle::Offset => number(paging.offset_param)?.unwrap_or(0),
        PagingStyle::Page => {
            let page = number(paging.page_param)?.unwrap_or(paging.first_page);
            let index = page
                .checked_sub(paging.first_page)
                .ok_or_else(|| format!("pages start at {}, got {page}", paging.first_page))?;
            index.saturating_mul(size)
        }
        PagingStyle::Links | PagingStyle::LinkHeader => {
            number(Some(LINK_OFFSET_PARAM))?.unwrap_or(0)
        }
        PagingStyle::Single => 0,
    };
    let total = items.len() as u64;
    let (from, to) = match paging.style {
        PagingStyle::Single => (0, total),
        _ => (start.min(total), start.saturating_add(size).min(total)),
    };
    let more = to < total;
    let page_items = items[from as usize..to as usize].to_vec();

    let mut body: Value =
        serde_json::from_str(paging.template).map_err(|e| format!("the page template: {e}"))?;
    match paging.items {
        None => body = Value::Array(page_items),
        Some(field) => set(&mut body, field, Value::Array(page_items)),
    }
    let end = || match paging.next_at_end {
        NextAtEnd::Absent => None,
        NextAtEnd::Null => Some(Value::Null),
        NextAtEnd::Empty => Some(Value::String(String::new())),
    };
    let link = more.then(|| next_link(base, path, query, to));
    if let Some(field) = paging.next_cursor {
        let value = match more {
            true if paging.cursor_is_number => Some(json!(to)),
            true => Some(Value::String(to.to_string())),
            false => end(),
        };
        put(&mut body, field, value);
    }
    if let Some(field) = paging.next {
        put(
            &mut body,
            field,
            link.clone().map(Value::String).or_else(end),
        );
    }
    for field in [paging.has_more, paging.has_next].into_iter().flatten() {
        set(&mut body, field, Value::Bool(more));
    }
    if let Some(field) = paging.total_items {
        set(&mut body, field, json!(total));
    }
    if let Some(field) = paging.total_pages {
        set(&mut body, field, json!(total.div_ceil(size).max(1)));
    }
    let header = match paging.style {
        PagingStyle::LinkHeader => link.map(|url| format!("<{url}>; rel=\"next\"")),
        _ => None,
    };
    Ok((body, header))
}

/// The URL of the page starting at `offset`: this request's, with the offset set.
fn next_link(base: &str, path: &str, query: &[(String, String)], offset: u64) -> String {
    let mut url = reqwest::Url::parse(&format!("{base}{path}")).expect("the mock's own URL");
    {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query.iter().filter(|(n, _)| n != LINK_OFFSET_PARAM) {
            pairs.append_pair(name, value);
        }
        pairs.append_pair(LINK_OFFSET_PARAM, &offset.to_string());
    }
    url.into()
}

/// Sets the field at the dotted `path`, or removes it when `value` is `None`.
fn put(body: &mut Value, path: &str, value: Option<Value>) {
    match value {
        Some(value) => set(body, path, value),
        None => {
            let mut current = body;
            let mut rest = path;
            loop {
                let Value::Object(map) = current else { return };
                let (key, next) = split_key(map, rest);
                match next {
                    None => {
                        map.remove(key);
                        return;
                    }
                    Some(next) => match map.get_mut(key) {
                        Some(inner) => (current, rest) = (inner, next),
                        None => return,
                    },
                }
            }
        }
    }
}

/// Sets the field at the dotted `path`, creating objects on the way.
fn set(body: &mut Value, path: &str, value: Value) {
    let mut current = body;
    let mut rest = path;
    loop {
        if !current.is_object() {
            *current = Value::Object(Default::default());
        }
        let map = current.as_object_mut().expect("made an object above");
        let (key, next) = split_key(map, rest);
        let slot = map.entry(key).or_insert(Value::Null);
        match next {
            None => {
                *slot = value;
                return;
            }
            Some(next) => (current, rest) = (slot, next),
        }
    }
}

/// The first key of the dotted `path` in `map`, and the rest: the longest prefix that
/// is a key of `map` (`@odata.nextLink` is one field), else up to the first `.`.
fn split_key<'p>(
    map: &serde_json::Map<String, Value>,
    path: &'p str,
) -> (&'p str, Option<&'p str>) {
    let mut candidates: Vec<usize> = path.match_indices('.').map(|(i, _)| i).collect();
    candidates.push(path.len());
    for &end in candidates.iter().rev() {
        if map.contains_key(&path[..end]) {
            return (
                &path[..end],
                path.get(end + 1..).filter(|_| end < path.len()),
            );
        }
    }
    match path.split_once('.') {
        Some((key, rest)) => (key, Some(rest)),
        None => (path, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: u64) -> Vec<Value> {
        (0..n).map(|i| json!({ "id": format!("t{i}") })).collect()
    }

    fn query(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn ids(body: &Value, field: &str) -> Vec<String> {
        body.pointer(field)
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .map(|item| item["id"].as_str().unwrap().to_owned())
            .collect()
    }

    const CURSOR: Paging = Paging {
        style: PagingStyle::Cursor,
        template: r#"{"data": [], "meta": {"next": "x", "more": true}}"#,
        items: Some("data"),
        cursor_param: Some("cursor"),
        next_cursor: Some("meta.next"),
        has_more: Some("meta.more"),
        limit_param: Some("limit"),
        ..Paging::SINGLE
    };

    #[test]
    fn cursor_pages_follow_the_cursor_and_honour_the_limit() {
        let all = items(5);
        let (first, _) = page(
            &CURSOR,
            &all,
            None,
            "http://h",
            "/t",
            &query(&[("limit", "2")]),
        )
        .unwrap();
        assert_eq!(ids(&first, "/data"), ["t0", "t1"]);
        assert_eq!(first["meta"], json!({ "next": "2", "more": true }));
        let (last, _) = page(
            &CURSOR,
            &all,
            None,
            "http://h",
            "/t",
            &query(&[("limit", "2"), ("cursor", "4")]),
        )
        .unwrap();
        assert_eq!(ids(&last, "/data"), ["t4"]);
        // Not required: the field is left out on the last page.
        assert_eq!(last["meta"], json!({ "more": false }));
    }

    #[test]
    fn page_numbers_count_from_the_first_page_with_totals() {
        let paging = Paging {
            style: PagingStyle::Page,
            template: r#"{"items": []}"#,
            items: Some("items"),
            page_param: Some("page"),
            first_page: 0,
            page_size: Some(2),
            total_pages: Some("total_pages"),
            total_items: Some("total"),
            ..Paging::SINGLE
        };
        let (body, _) = page(
            &paging,
            &items(5),
            None,
            "http://h",
            "/t",
            &query(&[("page", "2")]),
        )
        .unwrap();
        assert_eq!(ids(&body, "/items"), ["t4"]);
        assert_eq!(body["total_pages"], 3);
        assert_eq!(body["total"], 5);
    }

    #[test]
    fn link_header_pages_link_to_the_next_offset_keeping_the_query() {
        let paging = Paging {
            style: PagingStyle::LinkHeader,
            template: "[]",
            page_size: Some(2),
            ..Paging::SINGLE
        };
        let (body, link) = page(
            &paging,
            &items(3),
            None,
            "http://h",
            "/t",
            &query(&[("q", "a b")]),
        )
        .unwrap();
        assert_eq!(ids(&body, ""), ["t0", "t1"]);
        assert_eq!(
            link.as_deref(),
            Some("<http://h/t?q=a+b&mock_offset=2>; rel=\"next\"")
        );
    }

    #[test]
    fn a_bad_cursor_or_zero_limit_is_a_clear_400() {
        let e = page(
            &CURSOR,
            &items(1),
            None,
            "http://h",
            "/t",
            &query(&[("cursor", "zz")]),
        )
        .unwrap_err();
        assert_eq!(e, "`cursor` must be a whole number, got \"zz\"");
        let e = page(
            &CURSOR,
            &items(1),
            None,
            "http://h",
            "/t",
            &query(&[("limit", "0")]),
        )
        .unwrap_err();
        assert_eq!(e, "`limit` must be at least 1");
    }

    #[test]
    fn a_dotted_key_of_the_template_is_one_field() {
        let mut body = json!({ "@odata.nextLink": "x", "meta": { "next": 1 } });
        set(&mut body, "@odata.nextLink", json!("y"));
        set(&mut body, "meta.total", json!(5));
        put(&mut body, "meta.next", None);
        assert_eq!(
            body,
            json!({ "@odata.nextLink": "y", "meta": { "total": 5 } })
        );
    }
}

//! Pagination from conventional names, for a `GET` operation whose overlay declares no
//! `x-pagination`: [`detect`] returns the `x-pagination` it would declare, and the
//! guesses behind it in words (what `cargo xtask add-provider` prints, and writes as
//! comments into a starter overlay).
//!
//! The success body must be a JSON array (the items), or an object with one array
//! field or an array field of a conventional name (`data`, `items`, `results`, ...).
//! Then, in this order, the first that matches wins:
//!
//! 1. `link_header`: the success response documents a `Link` header;
//! 2. `links` from Azure's `x-ms-pageable` (`nextLinkName`, `itemName`);
//! 3. `cursor`: a cursor parameter (`cursor`, `page_token`, `starting_after`, `after`,
//!    ...) and a next-cursor field (`next_cursor`, `nextPageToken`, `cursor.next`,
//!    `paging.cursors.after`, ...), with a `has_more`-like flag if there is one;
//!    or a field the operation takes back as a query parameter of the same name
//!    (`next` and `?next=`);
//! 4. `links`: a next-page URL field (`next`, `next_url`, `nextLink`, `links.next`,
//!    `_links.next.href`, `next_page.uri`, ...);
//! 5. `page`: a page parameter (`page`, `pageNumber`, ...) with a size parameter
//!    (`per_page`, `pageSize`, `limit`, ...) or an end field (`has_next`,
//!    `total_pages`, `totalItems`, `total`, `count`, ...);
//! 6. `offset`: an offset parameter (`offset`, `skip`, `start`, ...) with a size
//!    parameter or an end field.
//!
//! A page or offset parameter whose description or format says it is a time (`start`
//! as a Unix time) is not one. Names compare without case and without `_`, `-`, `.`,
//! `$` or `@` (`page_size`, `pageSize` and `PageSize` are one name). Fields are
//! searched three levels deep.
//! A detection the generated types cannot follow gives no `stream()` (never an error:
//! the overlay can declare what detection missed).

use serde_json::{Map, Value, json};

use crate::document;
use crate::document::query_parameters;
use crate::document::schema::{object_parts, resolve_ref};

/// What [`detect`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct Detected {
    /// The `x-pagination` it would declare (wire names).
    pub pagination: Value,
    /// Each guess in words, e.g. "items: `data` (the only array field)".
    pub guesses: Vec<String>,
}

/// Fields holding the items when the body has several arrays, best first.
const ITEM_FIELDS: &[&str] = &[
    "data",
    "items",
    "results",
    "tasks",
    "records",
    "entries",
    "values",
    "value",
    "elements",
    "content",
    "list",
    "rows",
    "hits",
    "objects",
    "resources",
    "nodes",
    "edges",
];
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "pagetoken",
    "nextpagetoken",
    "startingafter",
    "after",
    "nexttoken",
    "continuationtoken",
    "continuation",
    "pagecursor",
    "nextcursor",
    "startcursor",
    "marker",
    "skiptoken",
    "scrolltoken",
];
/// Next-cursor fields, wherever they are.
const NEXT_CURSOR_FIELDS: &[&str] = &[
    "nextcursor",
    "nextpagetoken",
    "nexttoken",
    "nextpagecursor",
    "continuationtoken",
    "nextcontinuationtoken",
    "nextmarker",
    "endcursor",
    "nextkey",
    "nextpagekey",
    "nextskiptoken",
];
/// Objects whose `next`, `cursor`, `after` (or a field named like the cursor
/// parameter) is the next cursor: `cursor.next`, `paging.cursors.after`.
const CURSOR_CONTAINERS: &[&str] = &[
    "cursor",
    "cursors",
    "next",
    "nextpage",
    "paging",
    "pagination",
    "pageinfo",
    "responsemetadata",
    "meta",
];
const NEXT_URL_FIELDS: &[&str] = &[
    "next",
    "nexturl",
    "nextpageurl",
    "nextlink",
    "nextpagelink",
    "nexthref",
    "nexturi",
    "nextpageuri",
    "nextpagepath",
    "odatanextlink",
    "nextpage",
];
const FLAG_FIELDS: &[&str] = &[
    "hasmore",
    "hasnext",
    "hasnextpage",
    "hasmoreitems",
    "hasmoreresults",
    "hasmorepages",
    "more",
    "moreresults",
    "moreavailable",
];
const PAGE_PARAMS: &[&str] = &["page", "pagenumber", "pagenum", "pageno", "pageindex"];
const SIZE_PARAMS: &[&str] = &[
    "perpage",
    "pagesize",
    "limit",
    "size",
    "pagelimit",
    "itemsperpage",
    "resultsperpage",
    "maxresults",
    "maxitems",
    "top",
    "count",
    "numresults",
];
const OFFSET_PARAMS: &[&str] = &["offset", "skip", "start", "startindex", "startat"];
const TOTAL_PAGES_FIELDS: &[&str] = &[
    "totalpages",
    "pagecount",
    "numpages",
    "totalpagecount",
    "pages",
    "lastpage",
];
/// `count` last: some APIs count the page's items with it, not the listing's.
const TOTAL_ITEMS_FIELDS: &[&str] = &[
    "totalitems",
    "totalcount",
    "totalresults",
    "totalelements",
    "totalrecords",
    "totalentries",
    "totalhits",
    "totalsize",
    "total",
    "numfound",
    "count",
];

/// `pageSize`, `page_size`, `PAGE-SIZE`, `$top`, `@odata.nextLink` → `pagesize`, ...
fn norm(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The JSON type of a (resolved) schema, as detection needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Bool,
    Integer,
    Number,
    Text { url: bool },
    Array,
    Object,
    Other,
}

fn kind(doc: &Value, schema: &Value) -> Kind {
    let schema = resolve_ref(doc, schema);
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    match schema.get("type").and_then(Value::as_str) {
        Some("boolean") => Kind::Bool,
        Some("integer") => Kind::Integer,
        Some("number") => Kind::Number,
        Some("string") => Kind::Text {
            url: matches!(format, "uri" | "url" | "uri-reference" | "iri"),
        },
        Some("array") => Kind::Array,
        Some("object") => Kind::Object,
        None if schema.get("properties").is_some() || schema.get("allOf").is_some() => Kind::Object,
        _ => Kind::Other,
    }
}

/// The properties of an object schema, its `allOf` members' merged in
/// ([`object_parts`]).
fn properties<'a>(doc: &'a Value, schema: &'a Value) -> Vec<(&'a str, &'a Value)> {
    object_parts(doc, schema).0
}

/// A scalar field of the body (not the items), `path` from the top.
#[derive(Debug)]
struct Leaf<'a> {
    path: Vec<&'a str>,
    kind: Kind,
}

impl Leaf<'_> {
    fn dotted(&self) -> String {
        self.path.join(".")
    }

    fn last(&self) -> String {
        norm(self.path.last().copied().unwrap_or_default())
    }

    fn parents(&self) -> impl Iterator<Item = String> + '_ {
        self.path[..self.path.len() - 1].iter().map(|s| norm(s))
    }
}

/// Every scalar field up to three levels deep, in document order (shallow ones first).
fn leaves<'a>(doc: &'a Value, props: &[(&'a str, &'a Value)], skip: Option<&str>) -> Vec<Leaf<'a>> {
    let mut out = Vec::new();
    let mut level: Vec<(Vec<&'a str>, &'a Value)> = props
        .iter()
        .filter(|(name, _)| Some(*name) != skip)
        .map(|(name, schema)| (vec![*name], *schema))
        .collect();
    for depth in 0..3 {
        let mut next = Vec::new();
        for (path, schema) in level {
            match kind(doc, schema) {
                Kind::Object if depth < 2 => {
                    for (name, child) in properties(doc, schema) {
                        let mut child_path = path.clone();
                        child_path.push(name);
                        next.push((child_path, child));
                    }
                }
                Kind::Array | Kind::Object | Kind::Other => {}
                kind => out.push(Leaf { path, kind }),
            }
        }
        level = next;
    }
    out
}

/// A query parameter as detection needs it.
struct Param<'a> {
    name: String,
    kind: Kind,
    required: bool,
    schema: Option<&'a Value>,
    /// Its description or format says it is a time (`start` as a Unix time is no
    /// offset).
    about_time: bool,
}

fn about_time(param: &Value, schema: Option<&Value>) -> bool {
    let format = schema
        .and_then(|s| s.get("format"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let description = [
        param.get("description"),
        schema.and_then(|s| s.get("description")),
    ]
    .into_iter()
    .flatten()
    .filter_map(Value::as_str)
    .collect::<Vec<_>>()
    .join(" ")
    .to_ascii_lowercase();
    matches!(format, "date" | "date-time" | "unix-time" | "timestamp")
        || description
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| matches!(w, "time" | "timestamp" | "date" | "epoch" | "unix"))
}

/// The first parameter whose name is in `names` (in `names`' order) and whose kind
/// `ok` accepts.
fn find_param<'p, 'a>(
    params: &'p [Param<'a>],
    names: &[&str],
    ok: impl Fn(Kind) -> bool,
) -> Option<&'p Param<'a>> {
    names
        .iter()
        .find_map(|n| params.iter().find(|p| norm(&p.name) == *n && ok(p.kind)))
}

/// The first leaf whose last name is in `names` (in `names`' order) and whose kind
/// `ok` accepts.
fn find_leaf<'l, 'a>(
    leaves: &'l [Leaf<'a>],
    names: &[&str],
    ok: impl Fn(Kind) -> bool,
) -> Option<&'l Leaf<'a>> {
    names
        .iter()
        .find_map(|n| leaves.iter().find(|l| l.last() == *n && ok(l.kind)))
}

fn is_number(kind: Kind) -> bool {
    matches!(kind, Kind::Integer | Kind::Number)
}

/// The pagination `op` would declare, from conventional names; `None` when it does not
/// look like a paginated listing (see the module docs for the rules).
pub fn detect(doc: &Value, op: &document::Operation) -> Option<Detected> {
    if op.method != "get" {
        return None;
    }
    let responses = op.op.get("responses")?.as_object()?;
    let (status, response) = responses.iter().find(|(k, _)| k.starts_with('2'))?;
    let response = resolve_ref(doc, response);
    let content = response.get("content")?.as_object()?;
    let body = content
        .get("application/json")
        .or_else(|| {
            content
                .iter()
                .find(|(k, _)| k.contains("json"))
                .map(|(_, v)| v)
        })?
        .get("schema")?;
    let mut guesses = Vec::new();
    let mut out = Map::new();

    // The items.
    let body_kind = kind(doc, body);
    let props = properties(doc, body);
    let pageable = op.op.get("x-ms-pageable");
    let items: Option<&str> = match body_kind {
        Kind::Array => {
            guesses.push(format!(
                "items: the response body (the {status} response is a JSON array)"
            ));
            None
        }
        Kind::Object => {
            let arrays: Vec<&str> = props
                .iter()
                .filter(|(_, s)| kind(doc, s) == Kind::Array)
                .map(|(n, _)| *n)
                .collect();
            let declared = pageable
                .and_then(|p| p.get("itemName"))
                .and_then(Value::as_str)
                .or(pageable.map(|_| "value"))
                .filter(|name| arrays.contains(name));
            let name = if let Some(name) = declared {
                guesses.push(format!("items: `{name}` (`x-ms-pageable.itemName`)"));
                name
            } else if let [only] = arrays.as_slice() {
                guesses.push(format!("items: `{only}` (the only array field)"));
                only
            } else {
                let name = ITEM_FIELDS
                    .iter()
                    .find_map(|c| arrays.iter().find(|a| norm(a) == *c))?;
                guesses.push(format!(
                    "items: `{name}` (a conventional name; the array fields are {})",
                    arrays
                        .iter()
                        .map(|a| format!("`{a}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                name
            };
            Some(name)
        }
        _ => return None,
    };
    let leaves = leaves(doc, &props, items);
    let params: Vec<Param> = query_parameters(op.op)
        .into_iter()
        .map(|(name, p)| {
            let schema = p.get("schema").map(|s| resolve_ref(doc, s));
            Param {
                kind: schema.map_or(Kind::Other, |s| kind(doc, s)),
                required: p.get("required").and_then(Value::as_bool) == Some(true),
                about_time: about_time(p, schema),
                schema,
                name,
            }
        })
        .collect();
    let flag = find_leaf(&leaves, FLAG_FIELDS, |k| k == Kind::Bool);
    let size = find_param(&params, SIZE_PARAMS, is_number);

    let style = detect_style(
        status,
        response,
        pageable,
        &leaves,
        &params,
        (flag, size),
        &mut out,
        &mut guesses,
    )?;
    let mut pagination = Map::new();
    pagination.insert("style".into(), style.into());
    if let Some(items) = items {
        pagination.insert("items".into(), items.into());
    }
    pagination.extend(out);
    Some(Detected {
        pagination: Value::Object(pagination),
        guesses,
    })
}

/// The style and its keys (into `out`), or `None`.
#[allow(clippy::too_many_arguments)]
fn detect_style(
    status: &str,
    response: &Value,
    pageable: Option<&Value>,
    leaves: &[Leaf],
    params: &[Param],
    (flag, size): (Option<&Leaf>, Option<&Param>),
    out: &mut Map<String, Value>,
    guesses: &mut Vec<String>,
) -> Option<&'static str> {
    let with_flag = |out: &mut Map<String, Value>, guesses: &mut Vec<String>, key: &str| {
        if let Some(flag) = flag {
            out.insert(key.into(), flag.dotted().into());
            guesses.push(format!("ends when `{}` is false", flag.dotted()));
        }
    };
    let with_size = |out: &mut Map<String, Value>, guesses: &mut Vec<String>| {
        if let Some(size) = size {
            out.insert("limit_param".into(), size.name.clone().into());
            let default = size
                .schema
                .and_then(|s| s.get("default"))
                .map(|d| format!(", default {d}"))
                .unwrap_or_default();
            guesses.push(format!(
                "page size: query parameter `{}`{default}",
                size.name
            ));
        }
    };

    // 1. A documented `Link` header.
    let link_header = response
        .get("headers")
        .and_then(Value::as_object)
        .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("link")));
    if link_header {
        guesses.push(format!(
            "style: link_header (the {status} response documents a `Link` header: its rel=\"next\" is the next page)"
        ));
        with_flag(out, guesses, "has_more");
        return Some("link_header");
    }

    // 2. Azure's own declaration.
    if let Some(name) = pageable
        .and_then(|p| p.get("nextLinkName"))
        .and_then(Value::as_str)
        && leaves
            .iter()
            .any(|l| l.path.len() == 1 && l.path[0] == name && matches!(l.kind, Kind::Text { .. }))
    {
        out.insert("next".into(), name.into());
        guesses.push(format!(
            "style: links, the next page's URL in `{name}` (`x-ms-pageable.nextLinkName`)"
        ));
        return Some("links");
    }

    // 3. A cursor parameter and a next cursor.
    if let Some(cursor) = find_param(params, CURSOR_PARAMS, |k| {
        matches!(k, Kind::Text { .. } | Kind::Integer | Kind::Number)
    })
    .filter(|p| !p.required)
    {
        let param = norm(&cursor.name);
        let scalar = |k: Kind| matches!(k, Kind::Text { url: false } | Kind::Integer);
        let next = find_leaf(leaves, NEXT_CURSOR_FIELDS, scalar)
            .or_else(|| {
                leaves
                    .iter()
                    .find(|l| scalar(l.kind) && l.last() == format!("next{param}"))
            })
            .or_else(|| {
                let in_container =
                    |l: &&Leaf| l.parents().any(|p| CURSOR_CONTAINERS.contains(&p.as_str()));
                leaves
                    .iter()
                    .filter(in_container)
                    .find(|l| scalar(l.kind) && l.last() == param)
                    .or_else(|| {
                        leaves.iter().filter(in_container).find(|l| {
                            scalar(l.kind) && ["next", "cursor", "after"].contains(&&*l.last())
                        })
                    })
            });
        if let Some(next) = next {
            out.insert("cursor_param".into(), cursor.name.clone().into());
            out.insert("next_cursor".into(), next.dotted().into());
            guesses.push(format!(
                "style: cursor, query parameter `{}` set from the response's `{}`",
                cursor.name,
                next.dotted()
            ));
            with_flag(out, guesses, "has_more");
            with_size(out, guesses);
            if flag.is_none() {
                guesses.push(format!("ends when `{}` is missing or empty", next.dotted()));
            }
            return Some("cursor");
        }
    }

    // 3b. A field the API takes back as a parameter of the same name (`?next=` and
    // `next`): a cursor, not a URL.
    let echoed = leaves.iter().find_map(|leaf| {
        let last = leaf.last();
        let named = NEXT_URL_FIELDS.contains(&last.as_str())
            || NEXT_CURSOR_FIELDS.contains(&last.as_str())
            || last == "cursor";
        if !named || !matches!(leaf.kind, Kind::Text { url: false } | Kind::Integer) {
            return None;
        }
        let param = params.iter().find(|p| {
            norm(&p.name) == last
                && !p.required
                && matches!(p.kind, Kind::Text { .. } | Kind::Integer)
        })?;
        Some((leaf, param))
    });
    if let Some((next, param)) = echoed {
        out.insert("cursor_param".into(), param.name.clone().into());
        out.insert("next_cursor".into(), next.dotted().into());
        guesses.push(format!(
            "style: cursor, query parameter `{}` set from the response's `{}` (the same name)",
            param.name,
            next.dotted()
        ));
        with_flag(out, guesses, "has_more");
        with_size(out, guesses);
        return Some("cursor");
    }

    // 4. A next-page URL.
    let positional = |p: &Param| !p.about_time;
    let page = find_param(params, PAGE_PARAMS, is_number).filter(|p| positional(p));
    let next_url = NEXT_URL_FIELDS.iter().find_map(|name| {
        leaves.iter().find(|l| {
            let Kind::Text { url } = l.kind else {
                return false;
            };
            let last = l.last();
            // `next_page` is a page number as often as a URL; `next_page.uri` is a URL.
            let direct = last == *name && (*name != "nextpage" || url || page.is_none());
            let child = ["href", "uri", "url", "link"].contains(&last.as_str())
                && l.parents().last().as_deref() == Some(*name);
            direct || child
        })
    });
    if let Some(next) = next_url {
        out.insert("next".into(), next.dotted().into());
        guesses.push(format!(
            "style: links, the next page's URL or path in `{}`",
            next.dotted()
        ));
        with_flag(out, guesses, "has_more");
        if flag.is_none() {
            guesses.push(format!("ends when `{}` is missing or empty", next.dotted()));
        }
        return Some("links");
    }

    // 5 and 6. Positions: page numbers, then offsets.
    let total_items = find_leaf(leaves, TOTAL_ITEMS_FIELDS, is_number);
    let total_pages = find_leaf(leaves, TOTAL_PAGES_FIELDS, is_number);
    let offset = find_param(params, OFFSET_PARAMS, is_number).filter(|p| positional(p));
    let (style, param) = match (page, offset) {
        (Some(page), _) => ("page", page),
        (None, Some(offset)) => ("offset", offset),
        (None, None) => return None,
    };
    let total_pages = total_pages.filter(|_| style == "page");
    if size.is_none() && flag.is_none() && total_items.is_none() && total_pages.is_none() {
        return None;
    }
    if style == "page" {
        let zero = |key: &str| {
            param
                .schema
                .and_then(|s| s.get(key))
                .and_then(Value::as_f64)
                == Some(0.0)
        };
        let first = if zero("minimum") || zero("default") {
            0
        } else {
            1
        };
        out.insert("page_param".into(), param.name.clone().into());
        if first == 0 {
            out.insert("first_page".into(), json!(0));
        }
        guesses.push(format!(
            "style: page, page numbers from {first} in query parameter `{}`",
            param.name
        ));
    } else {
        out.insert("offset_param".into(), param.name.clone().into());
        guesses.push(format!(
            "style: offset, item offsets from 0 in query parameter `{}`",
            param.name
        ));
    }
    with_size(out, guesses);
    with_flag(out, guesses, "has_next");
    if let Some(total) =
        total_pages.filter(|t| t.last() != "lastpage" || out.get("first_page").is_none())
    {
        out.insert("total_pages".into(), total.dotted().into());
        guesses.push(format!("ends after `{}` pages", total.dotted()));
    }
    if let Some(total) = total_items {
        out.insert("total_items".into(), total.dotted().into());
        let caution = if total.last() == "count" {
            " (check that it counts the whole listing, not this page)"
        } else {
            ""
        };
        guesses.push(format!("ends after `{}` items{caution}", total.dotted()));
    }
    if flag.is_none() && total_items.is_none() && out.get("total_pages").is_none() {
        guesses.push("ends on a page shorter than the page size".into());
    }
    Some(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Detection on `GET /t` with these query parameters and 200 body.
    fn detect_on(params: Value, body: Value) -> Option<Detected> {
        detect_with(
            params,
            json!({"content": {"application/json": {"schema": body}}}),
        )
    }

    fn detect_with(params: Value, response: Value) -> Option<Detected> {
        let doc = json!({
            "paths": {"/t": {"get": {"operationId": "list", "parameters": params, "responses": {"200": response}}}},
            "components": {"schemas": {
                "Task": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Meta": {"type": "object", "properties": {"totalItems": {"type": "integer"}, "hasNext": {"type": "boolean"}}}
            }}
        });
        let ops = document::operations(&doc);
        detect(&doc, &ops[0])
    }

    fn q(name: &str, ty: &str) -> Value {
        json!({"name": name, "in": "query", "schema": {"type": ty}})
    }

    fn object(props: Value) -> Value {
        json!({"type": "object", "properties": props})
    }

    fn tasks() -> Value {
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Task"}})
    }

    #[test]
    fn page_number_with_size_and_total_items() {
        let found = detect_on(
            json!([
                q("pageNumber", "integer"),
                q("pageSize", "integer"),
                q("q", "string")
            ]),
            object(json!({"items": tasks(), "totalItems": {"type": "integer"}})),
        )
        .unwrap();
        assert_eq!(
            found.pagination,
            json!({"style": "page", "items": "items", "page_param": "pageNumber", "limit_param": "pageSize", "total_items": "totalItems"})
        );
        assert_eq!(
            found.guesses,
            [
                "items: `items` (the only array field)",
                "style: page, page numbers from 1 in query parameter `pageNumber`",
                "page size: query parameter `pageSize`",
                "ends after `totalItems` items",
            ]
        );
    }

    #[test]
    fn page_number_ends_on_nested_flags_and_counts() {
        let found = detect_on(
            json!([q("page", "integer"), {"name": "per_page", "in": "query", "schema": {"type": "integer", "default": 30}}]),
            object(json!({
                "data": tasks(),
                "meta": {"$ref": "#/components/schemas/Meta"},
                "pagination": object(json!({"total_pages": {"type": "integer"}}))
            })),
        )
        .unwrap();
        assert_eq!(
            found.pagination,
            json!({"style": "page", "items": "data", "page_param": "page", "limit_param": "per_page", "has_next": "meta.hasNext", "total_pages": "pagination.total_pages", "total_items": "meta.totalItems"})
        );
        assert!(
            found
                .guesses
                .contains(&"page size: query parameter `per_page`, default 30".to_owned())
        );
        assert!(
            found
                .guesses
                .contains(&"ends when `meta.hasNext` is false".to_owned())
        );
    }

    #[test]
    fn zero_based_pages() {
        let found = detect_on(
            json!([{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 0}}, q("size", "integer")]),
            object(json!({"content": tasks(), "totalPages": {"type": "integer"}, "totalElements": {"type": "integer"}})),
        )
        .unwrap();
        assert_eq!(found.pagination["first_page"], 0);
        assert_eq!(found.pagination["total_pages"], "totalPages");
        assert_eq!(found.pagination["total_items"], "totalElements");
    }

    #[test]
    fn a_page_parameter_alone_is_not_enough() {
        assert_eq!(
            detect_on(
                json!([q("page", "integer")]),
                object(json!({"data": tasks()}))
            ),
            None
        );
    }

    #[test]
    fn offsets_with_a_limit_or_a_total() {
        let found = detect_on(
            json!([q("offset", "integer"), q("limit", "integer")]),
            object(json!({"results": tasks(), "count": {"type": "integer"}})),
        )
        .unwrap();
        assert_eq!(
            found.pagination,
            json!({"style": "offset", "items": "results", "offset_param": "offset", "limit_param": "limit", "total_items": "count"})
        );
        assert!(
            found
                .guesses
                .iter()
                .any(|g| g.contains("check that it counts the whole listing"))
        );
        let found = detect_on(
            json!([q("$skip", "integer")]),
            object(json!({"value": tasks(), "total": {"type": "integer"}})),
        )
        .unwrap();
        assert_eq!(
            found.pagination,
            json!({"style": "offset", "items": "value", "offset_param": "$skip", "total_items": "total"})
        );
    }

    #[test]
    fn cursors_at_any_depth() {
        let cases = [
            (
                q("cursor", "string"),
                object(
                    json!({"data": tasks(), "next_cursor": {"type": "string"}, "has_more": {"type": "boolean"}}),
                ),
                "next_cursor",
                Some("has_more"),
            ),
            (
                q("pageToken", "string"),
                object(json!({"tasks": tasks(), "nextPageToken": {"type": "string"}})),
                "nextPageToken",
                None,
            ),
            (
                q("cursor", "string"),
                object(
                    json!({"data": tasks(), "cursor": object(json!({"next": {"type": "string"}}))}),
                ),
                "cursor.next",
                None,
            ),
            (
                q("after", "string"),
                object(
                    json!({"data": tasks(), "paging": object(json!({"cursors": object(json!({"before": {"type": "string"}, "after": {"type": "string"}}))}))}),
                ),
                "paging.cursors.after",
                None,
            ),
            (
                q("cursor", "string"),
                object(
                    json!({"members": tasks(), "response_metadata": object(json!({"next_cursor": {"type": "string"}}))}),
                ),
                "response_metadata.next_cursor",
                None,
            ),
            (
                q("starting_after", "string"),
                object(
                    json!({"data": tasks(), "pageInfo": object(json!({"endCursor": {"type": "string"}, "hasNextPage": {"type": "boolean"}}))}),
                ),
                "pageInfo.endCursor",
                Some("pageInfo.hasNextPage"),
            ),
        ];
        for (param, body, next, flag) in cases {
            let found = detect_on(json!([param, q("limit", "integer")]), body.clone())
                .unwrap_or_else(|| panic!("{body}"));
            assert_eq!(found.pagination["style"], "cursor", "{body}");
            assert_eq!(found.pagination["next_cursor"], next, "{body}");
            assert_eq!(found.pagination["limit_param"], "limit");
            assert_eq!(
                found.pagination.get("has_more").and_then(Value::as_str),
                flag,
                "{body}"
            );
        }
    }

    #[test]
    fn a_field_taken_back_as_a_parameter_of_its_name_is_a_cursor() {
        let found = detect_on(
            json!([q("next", "string")]),
            object(json!({"data": tasks(), "next": {"type": "string"}})),
        )
        .unwrap();
        assert_eq!(
            found.pagination,
            json!({"style": "cursor", "items": "data", "cursor_param": "next", "next_cursor": "next"})
        );
    }

    #[test]
    fn times_are_not_offsets() {
        let start = |description: &str| {
            detect_on(
                json!([{"name": "start", "in": "query", "description": description, "schema": {"type": "integer"}}, q("limit", "integer")]),
                object(json!({"data": tasks()})),
            )
        };
        assert_eq!(start("Only events after this Unix time."), None);
        assert_eq!(start("Start timestamp"), None);
        assert_eq!(
            start("Index of the first result").unwrap().pagination["offset_param"],
            "start"
        );
    }

    #[test]
    fn a_cursor_parameter_without_a_next_cursor_is_not_a_cursor() {
        assert_eq!(
            detect_on(
                json!([q("cursor", "string")]),
                object(json!({"data": tasks()}))
            ),
            None
        );
    }

    #[test]
    fn next_urls_in_the_body() {
        let cases = [
            (
                object(
                    json!({"results": tasks(), "next": {"type": "string", "nullable": true}, "count": {"type": "integer"}}),
                ),
                "next",
            ),
            (
                object(
                    json!({"data": tasks(), "links": object(json!({"next": {"type": "string"}, "self": {"type": "string"}}))}),
                ),
                "links.next",
            ),
            (
                object(
                    json!({"items": tasks(), "_links": object(json!({"next": object(json!({"href": {"type": "string"}}))}))}),
                ),
                "_links.next.href",
            ),
            (
                object(json!({"value": tasks(), "@odata.nextLink": {"type": "string"}})),
                "@odata.nextLink",
            ),
            (
                object(
                    json!({"items": tasks(), "nextPageUrl": {"type": "string", "format": "uri"}}),
                ),
                "nextPageUrl",
            ),
            (
                object(json!({"accounts": tasks(), "next_page_uri": {"type": "string"}})),
                "next_page_uri",
            ),
            (
                object(
                    json!({"data": tasks(), "next_page": object(json!({"offset": {"type": "string"}, "uri": {"type": "string"}}))}),
                ),
                "next_page.uri",
            ),
        ];
        for (body, next) in cases {
            let found = detect_on(json!([q("page", "integer")]), body.clone())
                .unwrap_or_else(|| panic!("{body}"));
            assert_eq!(found.pagination["style"], "links", "{body}");
            assert_eq!(found.pagination["next"], next, "{body}");
        }
        // `next_page` next to a page parameter is a page number, not a URL.
        let found = detect_on(
            json!([q("page", "integer"), q("per_page", "integer")]),
            object(json!({"data": tasks(), "next_page": {"type": "string"}})),
        )
        .unwrap();
        assert_eq!(found.pagination["style"], "page");
    }

    #[test]
    fn a_documented_link_header_on_an_array_body() {
        let found = detect_with(
            json!([q("page", "integer"), q("per_page", "integer")]),
            json!({
                "headers": {"Link": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": tasks()}}
            }),
        )
        .unwrap();
        assert_eq!(found.pagination, json!({"style": "link_header"}));
        assert_eq!(
            found.guesses[0],
            "items: the response body (the 200 response is a JSON array)"
        );
    }

    #[test]
    fn azure_pageable_operations() {
        let doc = json!({"paths": {"/t": {"get": {
            "operationId": "list",
            "x-ms-pageable": {"nextLinkName": "nextLink"},
            "responses": {"200": {"content": {"application/json": {"schema": object(json!({
                "value": {"type": "array", "items": {"type": "string"}},
                "other": {"type": "array", "items": {"type": "string"}},
                "nextLink": {"type": "string"}
            }))}}}}
        }}}});
        let found = detect(&doc, &document::operations(&doc)[0]).unwrap();
        assert_eq!(
            found.pagination,
            json!({"style": "links", "items": "value", "next": "nextLink"})
        );
    }

    #[test]
    fn what_is_not_a_listing() {
        // Not a GET, no array, several arrays without a conventional name, no body.
        let doc = json!({"paths": {"/t": {"post": {"operationId": "p", "parameters": [q("page", "integer"), q("limit", "integer")],
            "responses": {"200": {"content": {"application/json": {"schema": object(json!({"data": tasks()}))}}}}}}}});
        assert_eq!(detect(&doc, &document::operations(&doc)[0]), None);
        let params = json!([q("page", "integer"), q("limit", "integer")]);
        assert_eq!(
            detect_on(params.clone(), object(json!({"id": {"type": "string"}}))),
            None
        );
        assert_eq!(
            detect_on(params.clone(), object(json!({"a": tasks(), "b": tasks()}))),
            None
        );
        assert_eq!(detect_with(params, json!({"description": "no body"})), None);
    }
}

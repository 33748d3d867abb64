//! The `x-pagination` of each operation, as `emit::stream` reads it: the overlay's
//! (checked here, so that a wrong one is a regen error that says what is wrong), else
//! one [`crate::model::detect`] finds from conventional names.
//!
//! Every name in `x-pagination` is a wire name: parameters as the API spells them
//! (`pageNumber`), fields as JSON spells them, nested fields joined by `.`
//! (`next_page.offset`). The emitter maps them to the Rust names progenitor and typify
//! chose ([`crate::document::naming`]).

use serde_json::Value;

use crate::document;

/// The keys of each style: (style, required keys, optional keys). `style` itself is
/// always allowed. specs/README.md documents each.
pub const STYLES: &[(&str, &[&str], &[&str])] = &[
    (
        "cursor",
        &["cursor_param", "next_cursor"],
        &["items", "has_more", "has_next", "limit_param", "page_size"],
    ),
    (
        "page",
        &["page_param"],
        &[
            "items",
            "first_page",
            "has_more",
            "has_next",
            "total_items",
            "total_pages",
            "limit_param",
            "page_size",
        ],
    ),
    (
        "offset",
        &["offset_param"],
        &[
            "items",
            "has_more",
            "has_next",
            "total_items",
            "limit_param",
            "page_size",
        ],
    ),
    ("links", &["next"], &["items", "has_more", "has_next"]),
    ("link_header", &[], &["items", "has_more", "has_next"]),
    ("none", &[], &["items"]),
];

/// Keys whose value is a non-negative integer; every other key's is a non-empty string.
const NUMBER_KEYS: &[&str] = &["first_page", "page_size"];

/// Keys that name a query parameter of the operation.
const PARAM_KEYS: &[&str] = &["cursor_param", "page_param", "offset_param", "limit_param"];

/// The operation's pagination and whether it was detected (`true`) or declared. A
/// declared one is checked (an error names what is wrong); `x-pagination: false` turns
/// detection off. Either way, when `page_size` is not given and the `limit_param` has a
/// schema `default`, that default becomes the `page_size`: the page size of a request
/// that sets none.
pub fn resolve(doc: &Value, op: &document::Operation) -> Result<(Option<Value>, bool), String> {
    let (pagination, detected) = match op.op.get("x-pagination") {
        Some(Value::Bool(false)) => return Ok((None, false)),
        Some(declared) => {
            check(declared, op.op)
                .map_err(|e| format!("x-pagination: {e} at {}.x-pagination", op.at))?;
            (declared.clone(), false)
        }
        None => match crate::model::detect::detect(doc, op) {
            Some(found) => (found.pagination, true),
            None => return Ok((None, false)),
        },
    };
    Ok((
        Some(with_default_page_size(doc, op.op, pagination)),
        detected,
    ))
}

/// Every rule a declared `x-pagination` must follow that the document alone can check.
pub fn check(pagination: &Value, op: &Value) -> Result<(), String> {
    let Some(map) = pagination.as_object() else {
        return Err("must be a mapping with a `style` (or `false`: no stream)".into());
    };
    let style = map
        .get("style")
        .ok_or("needs a `style`")?
        .as_str()
        .ok_or("`style` must be a string")?;
    let names = || {
        STYLES
            .iter()
            .map(|(s, _, _)| *s)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (_, required, optional) = STYLES
        .iter()
        .find(|(s, _, _)| *s == style)
        .ok_or_else(|| format!("unknown style `{style}` (one of {})", names()))?;
    for key in map.keys().filter(|k| *k != "style") {
        if !required.contains(&key.as_str()) && !optional.contains(&key.as_str()) {
            let known: Vec<&str> = required.iter().chain(optional.iter()).copied().collect();
            return Err(format!(
                "unknown key `{key}` for style `{style}` (its keys: {})",
                known.join(", ")
            ));
        }
    }
    for key in *required {
        if !map.contains_key(*key) {
            return Err(format!("style `{style}` needs `{key}`"));
        }
    }
    if map.contains_key("has_more") && map.contains_key("has_next") {
        return Err("`has_more` and `has_next` mean the same: give one".into());
    }
    let query = document::query_parameters(op);
    for (key, value) in map.iter().filter(|(k, _)| *k != "style") {
        if NUMBER_KEYS.contains(&key.as_str()) {
            if value.as_u64().is_none() {
                return Err(format!("`{key}` must be a non-negative integer"));
            }
            continue;
        }
        let text = value
            .as_str()
            .filter(|s| !s.trim().is_empty())
            .ok_or_else(|| format!("`{key}` must be a non-empty string"))?;
        if PARAM_KEYS.contains(&key.as_str()) && !query.iter().any(|(name, _)| name == text) {
            let names: Vec<&str> = query.iter().map(|(n, _)| n.as_str()).collect();
            return Err(format!(
                "`{key}: {text}` is not a query parameter of the operation (its query parameters: {})",
                if names.is_empty() {
                    "none".to_owned()
                } else {
                    names.join(", ")
                }
            ));
        }
    }
    Ok(())
}

/// `page_size` from the `limit_param`'s schema `default` when not given.
fn with_default_page_size(doc: &Value, op: &Value, mut pagination: Value) -> Value {
    if pagination.get("page_size").is_some() {
        return pagination;
    }
    let Some(limit) = pagination.get("limit_param").and_then(Value::as_str) else {
        return pagination;
    };
    let default = document::query_parameters(op)
        .into_iter()
        .find(|(name, _)| name == limit)
        .and_then(|(_, param)| param.get("schema"))
        .map(|schema| crate::document::schema::resolve_ref(doc, schema))
        .and_then(|schema| schema.get("default"))
        .and_then(|d| {
            d.as_u64()
                .or_else(|| {
                    d.as_f64()
                        .filter(|f| f.fract() == 0.0 && *f >= 1.0)
                        .map(|f| f as u64)
                })
                .or_else(|| d.as_str().and_then(|s| s.parse().ok()))
        })
        .filter(|n| *n > 0);
    if let (Some(n), Some(map)) = (default, pagination.as_object_mut()) {
        map.insert("page_size".into(), n.into());
    }
    pagination
}

/// One line for the README table, from an operation's `x-pagination`.
pub fn describe(pagination: &Value) -> String {
    let field = |k: &str| pagination.get(k).and_then(Value::as_str).unwrap_or("?");
    let flag = ["has_next", "has_more"]
        .into_iter()
        .find(|k| pagination.get(*k).is_some());
    match field("style") {
        "cursor" => format!(
            "cursor: `{}` in, `{}` out",
            field("cursor_param"),
            field("next_cursor")
        ),
        "links" => format!("next-page link in `{}`", field("next")),
        "link_header" => "next-page link in the `Link` header".into(),
        "page" | "offset" => {
            let param = if field("style") == "page" {
                format!("page number: `{}`", field("page_param"))
            } else {
                format!("offset: `{}`", field("offset_param"))
            };
            let mut ends: Vec<String> = Vec::new();
            if let Some(flag) = flag {
                ends.push(format!("`{}` is false", field(flag)));
            }
            if pagination.get("total_pages").is_some() {
                ends.push(format!("the page `{}` counts", field("total_pages")));
            }
            if pagination.get("total_items").is_some() {
                ends.push(format!("`{}` items", field("total_items")));
            }
            if ends.is_empty()
                && (pagination.get("limit_param").is_some()
                    || pagination.get("page_size").is_some())
            {
                ends.push("a short page".into());
            }
            if ends.is_empty() {
                format!("{param}, until an empty page")
            } else {
                format!("{param}, until {}", ends.join(" or "))
            }
        }
        _ => "single page".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn op(pagination: Value) -> Value {
        json!({
            "operationId": "list",
            "x-pagination": pagination,
            "parameters": [
                {"name": "pageNumber", "in": "query", "schema": {"type": "integer"}},
                {"name": "pageSize", "in": "query", "schema": {"$ref": "#/components/schemas/Size"}},
                {"name": "X-Page", "in": "header", "schema": {"type": "integer"}}
            ]
        })
    }

    fn resolved(pagination: Value) -> Result<(Option<Value>, bool), String> {
        let doc = json!({
            "paths": {"/t": {"get": op(pagination)}},
            "components": {"schemas": {"Size": {"type": "integer", "default": 10}}}
        });
        let ops = document::operations(&doc);
        resolve(&doc, &ops[0])
    }

    #[test]
    fn a_declared_pagination_gets_its_limit_params_default_as_page_size() {
        let (p, detected) = resolved(
            json!({"style": "page", "page_param": "pageNumber", "limit_param": "pageSize", "items": "items", "total_items": "totalItems"}),
        )
        .unwrap();
        assert!(!detected);
        assert_eq!(p.unwrap()["page_size"], 10);
        // A declared page_size wins.
        let (p, _) = resolved(
            json!({"style": "page", "page_param": "pageNumber", "limit_param": "pageSize", "page_size": 25}),
        )
        .unwrap();
        assert_eq!(p.unwrap()["page_size"], 25);
    }

    #[test]
    fn false_turns_pagination_off() {
        assert_eq!(resolved(json!(false)).unwrap(), (None, false));
    }

    #[test]
    fn wrong_declarations_are_errors_that_say_what_is_wrong() {
        let error = |p: Value| resolved(p).unwrap_err();
        let cases = [
            (json!("page"), "must be a mapping"),
            (json!({"page_param": "pageNumber"}), "needs a `style`"),
            (
                json!({"style": "pages"}),
                "unknown style `pages` (one of cursor, page, offset, links, link_header, none)",
            ),
            (
                json!({"style": "page", "page_param": "pageNumber", "total_item": "n"}),
                "unknown key `total_item` for style `page`",
            ),
            (
                json!({"style": "cursor", "cursor_param": "pageNumber"}),
                "style `cursor` needs `next_cursor`",
            ),
            (
                json!({"style": "page", "page_param": "page"}),
                "`page_param: page` is not a query parameter of the operation (its query parameters: pageNumber, pageSize)",
            ),
            (
                json!({"style": "page", "page_param": "pageNumber", "limit_param": "X-Page"}),
                "`limit_param: X-Page` is not a query parameter",
            ),
            (
                json!({"style": "page", "page_param": "pageNumber", "first_page": "0"}),
                "`first_page` must be a non-negative integer",
            ),
            (
                json!({"style": "links", "next": ""}),
                "`next` must be a non-empty string",
            ),
            (
                json!({"style": "links", "next": "next", "has_more": "a", "has_next": "b"}),
                "`has_more` and `has_next` mean the same",
            ),
        ];
        for (pagination, expected) in cases {
            let e = error(pagination.clone());
            assert!(e.starts_with("x-pagination: "), "{e}");
            assert!(e.contains(expected), "{pagination}: {e}");
            assert!(e.ends_with("at $.paths['/t'].get.x-pagination"), "{e}");
        }
    }

    #[test]
    fn descriptions_name_every_end() {
        assert_eq!(
            describe(
                &json!({"style": "page", "page_param": "pageNumber", "limit_param": "pageSize", "total_items": "totalItems"})
            ),
            "page number: `pageNumber`, until `totalItems` items"
        );
        assert_eq!(
            describe(
                &json!({"style": "page", "page_param": "page", "limit_param": "limit", "first_page": 0})
            ),
            "page number: `page`, until a short page"
        );
        assert_eq!(
            describe(&json!({"style": "links", "next": "links.next"})),
            "next-page link in `links.next`"
        );
        assert_eq!(
            describe(&json!({"style": "link_header"})),
            "next-page link in the `Link` header"
        );
        assert_eq!(
            describe(&json!({"style": "offset", "offset_param": "skip"})),
            "offset: `skip`, until an empty page"
        );
    }
}

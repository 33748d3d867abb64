//! Degrade, never lose the document: when progenitor or typify cannot generate a client
//! for a document ([`client_file`] fails), the schema that causes it becomes untyped (a
//! `serde_json::Value`, with a doc line saying what was not typed and why), or, when the
//! cause is inside an operation, that operation is left out (listed under "Not
//! generated" on the crate's front page). The rest of the document is generated as
//! usual; regen prints each degradation as a warning and `cargo xtask corpus` counts
//! them.
//!
//! The cause is found by search, not by reading the error (panics rarely say where): a
//! greedy bisection over the component schemas, then over the operations
//! ([`culprits`]), each step one run of progenitor on a changed copy of the document.

use serde_json::{Value, json};

use crate::document;
use crate::emit::progenitor::{CLIENT_FAILURES, client_file};
use crate::model::{self, Prepared};

/// The top-level extension listing what was degraded: `{kind: schema, name, why}` or
/// `{kind: operation, method, path, operationId, why}` (and, from normalization, the
/// dangling `$ref`s: [`document::DEGRADED`]).
pub use crate::document::DEGRADED;

/// Whether `error` (of generating `prepared`) is one degrading can mend.
pub fn can_degrade(error: &str) -> bool {
    CLIENT_FAILURES.iter().any(|f| error.starts_with(f))
}

/// `prepared` with the schemas progenitor cannot type untyped and the operations it
/// cannot generate left out, so that [`client_file`] succeeds; `error` is what it said
/// of `prepared`. An error when nothing the search may change mends it (then the
/// document itself is at fault: its error is returned as it was).
pub fn degrade(prepared: &Prepared, error: &str) -> Result<Prepared, String> {
    let doc = &prepared.doc;
    let why = first_words(error);
    let ok = |doc: &Value| {
        // A document that no longer has the forward-compatible enums it had must not
        // name them as replacements.
        let enums = model::open_enums(doc).unwrap_or_default();
        client_file(doc, &enums, &model::params::param_types(doc)).is_ok()
    };
    let schemas: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().cloned().collect())
        .unwrap_or_default();
    let operations: Vec<(String, String)> = document::operations(doc)
        .iter()
        .map(|op| (op.path.to_owned(), op.method.to_owned()))
        .collect();

    let untype = |doc: &Value, names: &[String]| {
        let mut doc = doc.clone();
        for name in names {
            untype_schema(&mut doc, name, &why);
        }
        doc
    };
    let untype_bodies = |doc: &Value, ops: &[(String, String)]| {
        let mut doc = doc.clone();
        for (path, method) in ops {
            untype_inline_bodies(&mut doc, path, method, &why);
        }
        doc
    };
    let leave_out = |doc: &Value, ops: &[(String, String)]| {
        let mut doc = doc.clone();
        for (path, method) in ops {
            leave_out_operation(&mut doc, path, method, &why);
        }
        doc
    };

    // The schemas alone, then the inline bodies of operations (a schema with no
    // component to untype), then the operations alone, then both (the operations
    // first, with every schema untyped, then as few schemas as those allow).
    let degraded = if let Some(names) = culprits(&schemas, |set| ok(&untype(doc, set))) {
        untype(doc, &names)
    } else if let Some(ops) = culprits(&operations, |set| ok(&untype_bodies(doc, set))) {
        untype_bodies(doc, &ops)
    } else if let Some(ops) = culprits(&operations, |set| ok(&leave_out(doc, set))) {
        leave_out(doc, &ops)
    } else if let Some(ops) = culprits(&operations, |set| {
        ok(&leave_out(&untype(doc, &schemas), set))
    }) {
        let without = leave_out(doc, &ops);
        match culprits(&schemas, |set| ok(&untype(&without, set))) {
            Some(names) => untype(&without, &names),
            None => return Err(error.to_owned()),
        }
    } else {
        return Err(error.to_owned());
    };
    model::prepare_normalized(
        prepared.provider.clone(),
        prepared.spec_file.clone(),
        degraded,
    )
}

/// A small set of `items` whose removal makes `ok` true, found greedily: the shortest
/// prefix (of those not chosen yet) that `ok` accepts, by bisection, gives one item (its
/// last); repeat until the chosen ones alone suffice. `ok(&[])` false and `ok(items)`
/// true are what make a search worth it; `None` when even every item is not enough.
/// About `log2(n) + 1` calls of `ok` per item found.
pub fn culprits<T: Clone + PartialEq>(items: &[T], ok: impl Fn(&[T]) -> bool) -> Option<Vec<T>> {
    if items.is_empty() || !ok(items) {
        return None;
    }
    let mut chosen: Vec<T> = Vec::new();
    while !ok(&chosen) {
        let rest: Vec<T> = items
            .iter()
            .filter(|i| !chosen.contains(i))
            .cloned()
            .collect();
        let with = |k: usize| {
            let mut set = chosen.clone();
            set.extend(rest[..k].iter().cloned());
            set
        };
        // The smallest k in 1..=len with ok(chosen + rest[..k]); ok(chosen + rest) holds.
        let (mut lo, mut hi) = (1, rest.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if ok(&with(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        chosen.push(rest[lo - 1].clone());
    }
    // In the items' order, whatever order they were found in.
    Some(
        items
            .iter()
            .filter(|i| chosen.contains(i))
            .cloned()
            .collect(),
    )
}

/// The component schema `name` becomes any JSON value, its description saying why.
fn untype_schema(doc: &mut Value, name: &str, why: &str) {
    let Some(schema) = doc.pointer_mut(&format!(
        "/components/schemas/{}",
        document::pointer_token(name)
    )) else {
        return;
    };
    let before = schema
        .get("description")
        .and_then(Value::as_str)
        .map(|d| format!("{d}\n\n"))
        .unwrap_or_default();
    *schema = json!({
        "description": format!(
            "{before}Not typed by the generator (any JSON value): {why}."
        )
    });
    push(doc, json!({"kind": "schema", "name": name, "why": why}));
}

/// The inline schemas of the operation's request and response bodies (those that are
/// not a `$ref`: progenitor's `<OperationId>Body`, `<OperationId>Response`) become any
/// JSON value, their description saying why; listed as one degraded schema, named
/// after the operation. The operation stays.
fn untype_inline_bodies(doc: &mut Value, path: &str, method: &str, why: &str) {
    let Some(Value::Object(op)) = doc.pointer_mut(&format!(
        "/paths/{}/{method}",
        document::pointer_token(path)
    )) else {
        return;
    };
    let untyped = json!({
        "description": format!("Not typed by the generator (any JSON value): {why}.")
    });
    let mut media: Vec<&mut Value> = Vec::new();
    for (key, value) in op.iter_mut() {
        match (key.as_str(), value) {
            ("requestBody", body) => {
                if let Some(Value::Object(content)) = body.get_mut("content") {
                    media.extend(content.values_mut());
                }
            }
            ("responses", Value::Object(responses)) => {
                for response in responses.values_mut() {
                    if let Some(Value::Object(content)) = response.get_mut("content") {
                        media.extend(content.values_mut());
                    }
                }
            }
            _ => {}
        }
    }
    let mut changed = false;
    for m in media {
        if let Some(schema) = m.get_mut("schema")
            && schema.get("$ref").is_none()
        {
            *schema = untyped.clone();
            changed = true;
        }
    }
    if changed {
        let name = format!("the inline bodies of {} {path}", method.to_uppercase());
        push(doc, json!({"kind": "schema", "name": name, "why": why}));
    }
}

/// The operation `method path` is removed from the document and listed.
fn leave_out_operation(doc: &mut Value, path: &str, method: &str, why: &str) {
    let Some(Value::Object(item)) =
        doc.pointer_mut(&format!("/paths/{}", document::pointer_token(path)))
    else {
        return;
    };
    let Some(op) = item.shift_remove(method) else {
        return;
    };
    let entry = json!({
        "method": method.to_uppercase(),
        "path": path,
        "operationId": op.get("operationId").cloned().unwrap_or(Value::Null),
        "why": format!("progenitor cannot generate it: {why}"),
    });
    match doc.get_mut("x-tasks-sdk-skipped") {
        Some(Value::Array(list)) => list.push(entry.clone()),
        _ => doc["x-tasks-sdk-skipped"] = json!([entry.clone()]),
    }
    let mut entry = entry;
    entry["kind"] = json!("operation");
    entry["why"] = json!(why);
    push(doc, entry);
}

fn push(doc: &mut Value, entry: Value) {
    match doc.get_mut(DEGRADED) {
        Some(Value::Array(list)) => list.push(entry),
        _ => doc[DEGRADED] = json!([entry]),
    }
}

/// The error's first 160 characters, without a trailing period.
fn first_words(error: &str) -> String {
    let line = error.lines().next().unwrap_or_default();
    let mut words: String = line.chars().take(160).collect();
    if line.chars().count() > 160 {
        words.push('…');
    }
    words.trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_finds_what_must_go_and_no_more() {
        let items: Vec<u32> = (0..40).collect();
        let calls = std::cell::Cell::new(0);
        // 7 and 31 each break generation; nothing else does.
        let ok = |set: &[u32]| {
            calls.set(calls.get() + 1);
            set.contains(&7) && set.contains(&31)
        };
        assert_eq!(culprits(&items, ok), Some(vec![7, 31]));
        assert!(calls.get() <= 2 * 7 + 3, "{} calls", calls.get());
        // One culprit.
        assert_eq!(
            culprits(&items, |set: &[u32]| set.contains(&39)),
            Some(vec![39])
        );
        // Not among these items; or nothing to search.
        assert_eq!(culprits(&items, |_: &[u32]| false), None);
        assert_eq!(culprits(&[] as &[u32], |_: &[u32]| true), None);
    }

    #[test]
    fn an_operation_whose_inline_body_typify_cannot_type_stays_with_an_untyped_body() {
        // gerermesaffaires.com's shape: an inline body typify makes an enum without
        // variants (here two enums with no value in common).
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/invoices": {"post": {
                "operationId": "add_invoice",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                    "allOf": [
                        {"type": "string", "enum": ["commercial"]},
                        {"type": "string", "enum": ["credit"]}
                    ]
                }}}},
                "responses": {"201": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Id"}
                }}}}
            }}},
            "components": {"schemas": {"Id": {"type": "object", "properties": {"id": {"type": "string"}}}}}
        });
        let mut p = crate::model::prepare_doc("c0", "t.yaml".into(), doc, None).unwrap();
        let outputs = crate::emit::generate(&mut p).unwrap();
        let code: String = outputs
            .iter()
            .find(|o| o.path.ends_with("generated.rs"))
            .unwrap()
            .contents
            .split_whitespace()
            .collect();
        assert!(code.contains("pubfnadd_invoice("), "the operation stays");
        assert!(code.contains("Result<ResponseValue<types::Id>"), "{code}");
        let degraded = p.doc[DEGRADED].as_array().unwrap();
        assert_eq!(degraded.len(), 1, "{degraded:?}");
        assert_eq!(degraded[0]["kind"], "schema");
        assert_eq!(degraded[0]["name"], "the inline bodies of POST /invoices");
        assert!(p.doc["x-tasks-sdk-skipped"].is_null(), "nothing left out");
    }

    #[test]
    fn an_untyped_schema_says_why_and_a_left_out_operation_is_listed() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"operationId": "a"}, "post": {"operationId": "b"}}},
            "components": {"schemas": {"A/B": {"type": "object", "description": "Thing."}}}
        });
        untype_schema(&mut doc, "A/B", "typify panicked");
        leave_out_operation(&mut doc, "/a", "post", "typify panicked");
        assert_eq!(
            doc["components"]["schemas"]["A/B"],
            json!({"description": "Thing.\n\nNot typed by the generator (any JSON value): typify panicked."})
        );
        assert!(doc["paths"]["/a"].get("post").is_none());
        assert_eq!(
            doc["x-tasks-sdk-skipped"][0]["why"],
            "progenitor cannot generate it: typify panicked"
        );
        assert_eq!(
            doc[DEGRADED],
            json!([
                {"kind": "schema", "name": "A/B", "why": "typify panicked"},
                {"kind": "operation", "method": "POST", "path": "/a", "operationId": "b", "why": "typify panicked"}
            ])
        );
    }
}

//! Degrade, never lose the document: when progenitor or typify cannot generate a client
//! for a document ([`client_file`] fails), the schema that causes it becomes untyped (a
//! `serde_json::Value`, or a map or list of them when it was an object or an array and
//! that generates, with a doc line saying what was not typed and why), or, when the
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

    // `keep`: the schemas (operations) whose untyped schemas keep their top `type`.
    let untype_keeping = |doc: &Value, names: &[String], keep: &[String]| {
        let mut doc = doc.clone();
        for name in names {
            untype_schema(&mut doc, name, &why, keep.contains(name));
        }
        doc
    };
    let untype = |doc: &Value, names: &[String]| untype_keeping(doc, names, &[]);
    let untype_bodies_keeping =
        |doc: &Value, ops: &[(String, String)], keep: &[(String, String)]| {
            let mut doc = doc.clone();
            for op @ (path, method) in ops {
                untype_inline_bodies(&mut doc, path, method, &why, keep.contains(op));
            }
            doc
        };
    let untype_bodies =
        |doc: &Value, ops: &[(String, String)]| untype_bodies_keeping(doc, ops, &[]);
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
    // Each untyped schema found then keeps its top `type` where that generates too.
    let degraded = if let Some(names) = culprits(&schemas, |set| ok(&untype(doc, set))) {
        let keep = keeping(
            &names,
            |name| schema_keeps(doc, name),
            |keep| ok(&untype_keeping(doc, &names, keep)),
        );
        untype_keeping(doc, &names, &keep)
    } else if let Some(ops) = culprits(&operations, |set| ok(&untype_bodies(doc, set))) {
        let keep = keeping(
            &ops,
            |(path, method)| bodies_keep(doc, path, method),
            |keep| ok(&untype_bodies_keeping(doc, &ops, keep)),
        );
        untype_bodies_keeping(doc, &ops, &keep)
    } else if let Some(ops) = culprits(&operations, |set| ok(&leave_out(doc, set))) {
        leave_out(doc, &ops)
    } else if let Some(ops) = culprits(&operations, |set| {
        ok(&leave_out(&untype(doc, &schemas), set))
    }) {
        let without = leave_out(doc, &ops);
        match culprits(&schemas, |set| ok(&untype(&without, set))) {
            Some(names) => {
                let keep = keeping(
                    &names,
                    |name| schema_keeps(&without, name),
                    |keep| ok(&untype_keeping(&without, &names, keep)),
                );
                untype_keeping(&without, &names, &keep)
            }
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

/// Those of `items` (untyped already) whose untyped schemas may keep their top `type`:
/// all that have one to keep (`keeps`) when `ok` holds with all of them (one call of
/// `ok`: the usual case), else each in turn, while `ok` holds with it and those kept
/// before it (one call per such item; the search found each untyped schema with none
/// kept, and `ok` is one run of progenitor).
fn keeping<T: Clone>(items: &[T], keeps: impl Fn(&T) -> bool, ok: impl Fn(&[T]) -> bool) -> Vec<T> {
    let candidates: Vec<T> = items.iter().filter(|item| keeps(item)).cloned().collect();
    if candidates.len() > 1 && ok(&candidates) {
        return candidates;
    }
    let mut kept: Vec<T> = Vec::new();
    for item in &candidates {
        let mut trial = kept.clone();
        trial.push(item.clone());
        if ok(&trial) {
            kept = trial;
        }
    }
    kept
}

/// What an untyped schema keeps of `schema`: `{type: object}` or `{type: array}` when
/// `schema` is one (one type, not nullable). typify makes such a schema a map (a list)
/// of any JSON values, so the client sends, and the test kit builds (`{}`, `[]`), the
/// kind of value the document wants rather than any JSON value (`"example"`).
fn top_type(schema: &Value) -> Option<&'static str> {
    if schema.get("nullable").and_then(Value::as_bool) == Some(true) {
        return None;
    }
    match schema.get("type").and_then(Value::as_str)? {
        "object" => Some("object"),
        "array" => Some("array"),
        _ => None,
    }
}

/// Whether the component schema `name` has a top `type` to keep when untyped.
fn schema_keeps(doc: &Value, name: &str) -> bool {
    doc.pointer(&format!(
        "/components/schemas/{}",
        document::pointer_token(name)
    ))
    .and_then(top_type)
    .is_some()
}

/// Whether an inline body schema of the operation has a top `type` to keep when
/// untyped.
fn bodies_keep(doc: &Value, path: &str, method: &str) -> bool {
    let Some(op) = doc.pointer(&format!(
        "/paths/{}/{method}",
        document::pointer_token(path)
    )) else {
        return false;
    };
    let bodies = op.pointer("/requestBody/content").into_iter().chain(
        op.get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|r| r.values())
            .filter_map(|r| r.get("content")),
    );
    bodies
        .filter_map(Value::as_object)
        .flat_map(|content| content.values())
        .filter_map(|media| media.get("schema"))
        .any(|schema| schema.get("$ref").is_none() && top_type(schema).is_some())
}

/// The schema that stands for an untyped `schema`: its top `type` when `keep` allows
/// it and [`top_type`] finds one, and a description saying why (after `before`).
fn untyped(schema: &Value, before: &str, why: &str, keep: bool) -> Value {
    match top_type(schema).filter(|_| keep) {
        Some(ty) => json!({
            "type": ty,
            "description": format!("{before}Not typed by the generator (any JSON {ty}): {why}.")
        }),
        None => json!({
            "description": format!("{before}Not typed by the generator (any JSON value): {why}.")
        }),
    }
}

/// The component schema `name` becomes any JSON value (any JSON object or array when
/// `keep` and it was one: [`top_type`]), its description saying why.
fn untype_schema(doc: &mut Value, name: &str, why: &str, keep: bool) {
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
    *schema = untyped(schema, &before, why, keep);
    let mut entry = json!({"kind": "schema", "name": name, "why": why});
    if let Some(ty) = schema.get("type") {
        entry["type"] = ty.clone();
    }
    push(doc, entry);
}

/// The inline schemas of the operation's request and response bodies (those that are
/// not a `$ref`: progenitor's `<OperationId>Body`, `<OperationId>Response`) become any
/// JSON value (an object or array when `keep` and it was one: [`top_type`]), their
/// description saying why; listed as one degraded schema, named after the operation.
/// The operation stays.
fn untype_inline_bodies(doc: &mut Value, path: &str, method: &str, why: &str, keep: bool) {
    let Some(Value::Object(op)) = doc.pointer_mut(&format!(
        "/paths/{}/{method}",
        document::pointer_token(path)
    )) else {
        return;
    };
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
    // The type every untyped body kept, if they all kept the same one.
    let mut kept: Option<Option<Value>> = None;
    for m in media {
        if let Some(schema) = m.get_mut("schema")
            && schema.get("$ref").is_none()
        {
            *schema = untyped(schema, "", why, keep);
            let ty = schema.get("type").cloned();
            kept = Some(match kept {
                Some(before) if before != ty => None,
                _ => ty,
            });
        }
    }
    if let Some(kept) = kept {
        let name = format!("the inline bodies of {} {path}", method.to_uppercase());
        let mut entry = json!({"kind": "schema", "name": name, "why": why});
        if let Some(ty) = kept {
            entry["type"] = ty;
        }
        push(doc, entry);
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
    fn what_may_keep_its_type_is_tried_at_once_then_one_by_one() {
        use std::cell::Cell;
        let calls = Cell::new(0);
        // Every candidate keeps: one run.
        let all = keeping(
            &[1, 2, 3, 4],
            |n| *n != 3,
            |set| {
                calls.set(calls.get() + 1);
                set.len() <= 3
            },
        );
        assert_eq!((all, calls.get()), (vec![1, 2, 4], 1));
        // 2 cannot keep its type: all at once fails, then each in turn.
        calls.set(0);
        let some = keeping(
            &[1, 2, 3, 4],
            |n| *n != 3,
            |set| {
                calls.set(calls.get() + 1);
                !set.contains(&2)
            },
        );
        assert_eq!((some, calls.get()), (vec![1, 4], 4));
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
    fn an_untyped_object_stays_an_object_a_map_whose_example_is_empty() {
        // AssemblyAI's `TranscriptParams`: an object of closed `allOf` arms, which
        // typify merges into an enum without variants.
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/transcripts": {"post": {
                "operationId": "create_transcript",
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Params"}
                }}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Kinds"}
                }}}}
            }}},
            "components": {"schemas": {
                // A list whose items typify cannot type: a list still.
                "Kinds": {"type": "array", "items": {"allOf": [
                    {"type": "string", "enum": ["a"]},
                    {"type": "string", "enum": ["b"]}
                ]}},
                "Params": {
                "type": "object", "additionalProperties": false,
                "allOf": [
                    {"type": "object", "additionalProperties": false, "required": ["url"],
                        "properties": {"url": {"type": "string"}}},
                    {"type": "object", "additionalProperties": false,
                        "properties": {"punctuate": {"type": "boolean"}}}
                ]
            }
        }}});
        let mut p = crate::model::prepare_doc("c0", "t.yaml".into(), doc, None).unwrap();
        let outputs = crate::emit::generate(&mut p).unwrap();
        let file = |name: &str| -> String {
            outputs
                .iter()
                .find(|o| o.path.ends_with(name))
                .unwrap()
                .contents
                .split_whitespace()
                .collect()
        };
        let degraded: Vec<&Value> = p.doc[DEGRADED]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d["name"])
            .collect();
        assert_eq!(degraded, ["Kinds", "Params"]);
        assert_eq!(p.doc[DEGRADED][1]["type"], "object");
        assert!(
            p.warnings
                .iter()
                .any(|w| w.starts_with("t.yaml: schema `Params` is not typed (any JSON object): ")),
            "{:?}",
            p.warnings
        );
        assert_eq!(p.doc["components"]["schemas"]["Params"]["type"], "object");
        assert_eq!(p.doc["components"]["schemas"]["Kinds"]["type"], "array");
        let code = file("generated.rs");
        assert!(
            code.contains("pubstructParams(pub::serde_json::Map<String,::serde_json::Value>);"),
            "{code}"
        );
        assert!(
            code.contains("Nottypedbythegenerator(anyJSONobject)"),
            "{code}"
        );
        assert!(
            code.contains("pubstructKinds(pubVec<::serde_json::Value>);"),
            "{code}"
        );
        let kit = file("testing.rs");
        // The map's example: `{}`.
        assert!(
            kit.contains("Examplefortypes::Params{fnexample()->Self{Self(tasks_sdk_core::testing::Example::example())}}"),
            "{kit}"
        );
    }

    #[test]
    fn an_untyped_schema_keeps_one_object_or_array_type_and_nothing_else() {
        let mut doc = json!({"components": {"schemas": {
            "Object": {"type": "object", "required": ["a"], "properties": {"a": {}}},
            "List": {"type": "array", "items": {"$ref": "#/components/schemas/Object"}},
            "Maybe": {"type": "object", "nullable": true},
            "Text": {"type": "string", "description": "Text."}
        }}});
        for name in ["Object", "List", "Maybe", "Text"] {
            untype_schema(&mut doc, name, "typify panicked", true);
        }
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["Object"],
            json!({"type": "object", "description": "Not typed by the generator (any JSON object): typify panicked."})
        );
        assert_eq!(
            schemas["List"],
            json!({"type": "array", "description": "Not typed by the generator (any JSON array): typify panicked."})
        );
        assert_eq!(
            schemas["Maybe"],
            json!({"description": "Not typed by the generator (any JSON value): typify panicked."})
        );
        assert_eq!(
            schemas["Text"],
            json!({"description": "Text.\n\nNot typed by the generator (any JSON value): typify panicked."})
        );
        // An operation's inline bodies: the object keeps its type, the `$ref` stays.
        let mut doc = json!({"paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"a": {"type": "string"}}}}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/A"}}}}}
        }}}});
        assert!(bodies_keep(&doc, "/a", "post"));
        untype_inline_bodies(&mut doc, "/a", "post", "typify panicked", true);
        let op = &doc["paths"]["/a"]["post"];
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "object", "description": "Not typed by the generator (any JSON object): typify panicked."})
        );
        assert_eq!(
            op["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/A"})
        );
        assert!(!bodies_keep(&doc, "/a", "get"));
    }

    #[test]
    fn an_untyped_schema_says_why_and_a_left_out_operation_is_listed() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"operationId": "a"}, "post": {"operationId": "b"}}},
            "components": {"schemas": {"A/B": {"type": "object", "description": "Thing."}}}
        });
        untype_schema(&mut doc, "A/B", "typify panicked", false);
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

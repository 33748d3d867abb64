//! JSON Schema 2020-12's identifiers (OpenAPI 3.1): `$id` (a schema resource with a base
//! URI of its own), `$anchor` and `$dynamicAnchor` (names of a schema), and the `$ref`s
//! and `$dynamicRef`s that reach them, which progenitor cannot follow: each becomes a
//! JSON Pointer into the document (`#/components/schemas/A/$defs/b`), which
//! [`hoist_deep_refs`](super::hoist_deep_refs) then turns into a component of its own.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::document::{DATA_KEYWORDS as DATA, NAME_MAPS, pointer_token, uri};

/// The schema documents every JSON Schema implementation knows without fetching them
/// (JSON Schema's meta-schemas, OpenAPI's dialect and schemas): a `$ref` to one of them
/// is any JSON value (a schema is an object or a boolean, and typify could not type it
/// anyway), so the `$ref` goes and its siblings stay.
const WELL_KNOWN: &[&str] = &["https://json-schema.org/", "https://spec.openapis.org/oas/"];

/// Where identifiers lead: resources by absolute URI, anchors by resource and name, as
/// JSON Pointers (RFC 6901, escaped) from the document's root.
#[derive(Default)]
struct Registry {
    resources: HashMap<String, String>,
    anchors: HashMap<(String, String), String>,
    /// `$dynamicAnchor` names, with every schema that declares each.
    dynamic: HashMap<String, Vec<String>>,
}

/// Rule [`resolve_schema_identifiers`] of the [module docs](super). Runs before the
/// document's `$ref`s are checked (by `model::prepare_doc`), since it is what makes them
/// checkable; then first in [`normalize`](super::normalize), where it finds nothing
/// left to do.
///
/// - Every `$ref` is resolved against the base URI of the schema it sits in (the
///   nearest `$id`s above it; the document's own URI, unknown, is the empty base, so
///   `#/components/...` stays as it is) and becomes a pointer: to the schema of that
///   `$id` (`https://example.com/tree`, `node` relative to it), into it
///   (`tree#/$defs/node`), or to the schema of an `$anchor` or `$dynamicAnchor`
///   (`#node`). A `$ref` that the base turns into nothing the document holds, but that
///   is a pointer the document does hold (`#/components/schemas/X` written inside an
///   `$id`), is read as that pointer, as authors mean it; a pointer the document's root
///   does not hold but the component schema it is written in does (`#/$defs/a` in a
///   schema pasted from a JSON Schema document of its own) is read from that component.
/// - A `$dynamicRef` whose anchor only one schema of the document declares is that
///   schema, as a `$ref`; with several, which one applies depends on the path
///   validation took (the dynamic scope), which a type cannot know: the keyword goes
///   and the schema accepts what its other keywords allow (loosened).
/// - A `$ref` to a well-known meta-schema ([`WELL_KNOWN`]) goes (any JSON value).
/// - `$id`, `$anchor`, `$dynamicAnchor`, `$schema`, `$vocabulary` and `$comment` are
///   dropped once nothing needs them.
///
/// A `$ref` to a document that is not there stays as it was (`check_refs` refuses it).
pub fn resolve_schema_identifiers(doc: &mut Value) {
    let mut registry = Registry::default();
    register(doc, "", "", false, &mut registry);
    let snapshot = doc.clone();
    let scope = Scope {
        base: String::new(),
        component: None,
    };
    rewrite(doc, "", &scope, false, &registry, &snapshot);
}

/// Where a schema sits: the base URI its `$id`s give it, and the component schema it is
/// part of (`/components/schemas/A`), if any.
#[derive(Clone)]
struct Scope {
    base: String,
    component: Option<String>,
}

/// The base URI an object's `$id` gives its schema (and what it nests), if it has one.
fn own_base(map: &Map<String, Value>, base: &str) -> Option<String> {
    let Some(Value::String(id)) = map.get("$id") else {
        return None;
    };
    Some(uri::split_fragment(&uri::resolve(base, id)).0.to_owned())
}

fn register(value: &Value, pointer: &str, base: &str, names: bool, registry: &mut Registry) {
    match value {
        Value::Object(map) => {
            let mut base = base.to_owned();
            if !names {
                if let Some(id) = own_base(map, &base) {
                    registry
                        .resources
                        .entry(id.clone())
                        .or_insert_with(|| pointer.to_owned());
                    base = id;
                }
                for keyword in ["$anchor", "$dynamicAnchor"] {
                    if let Some(Value::String(name)) = map.get(keyword) {
                        registry
                            .anchors
                            .entry((base.clone(), name.clone()))
                            .or_insert_with(|| pointer.to_owned());
                    }
                }
                if let Some(Value::String(name)) = map.get("$dynamicAnchor") {
                    registry
                        .dynamic
                        .entry(name.clone())
                        .or_default()
                        .push(pointer.to_owned());
                }
            }
            for (key, child) in map {
                if !names && DATA.contains(&key.as_str()) {
                    continue;
                }
                let child_pointer = format!("{pointer}/{}", pointer_token(key));
                let child_names = !names && NAME_MAPS.contains(&key.as_str());
                register(child, &child_pointer, &base, child_names, registry);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                register(item, &format!("{pointer}/{i}"), base, false, registry);
            }
        }
        _ => {}
    }
}

/// Where `target` (resolved, absolute or document-relative) leads, as `#` + pointer.
fn locate(target: &str, registry: &Registry, doc: &Value) -> Option<String> {
    let (resource, fragment) = uri::split_fragment(target);
    let root = if resource.is_empty() {
        String::new()
    } else {
        registry.resources.get(resource)?.clone()
    };
    let pointer = match fragment.as_deref() {
        None | Some("") => root,
        Some(f) if f.starts_with('/') => format!("{root}{f}"),
        Some(name) => registry
            .anchors
            .get(&(resource.to_owned(), name.to_owned()))?
            .clone(),
    };
    doc.pointer(&pointer).map(|_| format!("#{pointer}"))
}

fn well_known(target: &str) -> bool {
    WELL_KNOWN.iter().any(|prefix| target.starts_with(prefix))
}

fn rewrite(
    value: &mut Value,
    pointer: &str,
    scope: &Scope,
    names: bool,
    registry: &Registry,
    doc: &Value,
) {
    match value {
        Value::Object(map) => {
            let mut scope = scope.clone();
            if scope.component.is_none()
                && pointer.starts_with("/components/schemas/")
                && pointer.matches('/').count() == 3
            {
                scope.component = Some(pointer.to_owned());
            }
            if !names {
                if let Some(id) = own_base(map, &scope.base) {
                    scope.base = id;
                }
                rewrite_refs(map, &scope, registry, doc);
            }
            for (key, child) in map.iter_mut() {
                if !names && DATA.contains(&key.as_str()) {
                    continue;
                }
                let child_names = !names && NAME_MAPS.contains(&key.as_str());
                let child_pointer = format!("{pointer}/{}", pointer_token(key));
                rewrite(child, &child_pointer, &scope, child_names, registry, doc);
            }
            if !names {
                for keyword in ["$id", "$anchor", "$dynamicAnchor", "$schema", "$comment"] {
                    if map.get(keyword).is_some_and(Value::is_string) {
                        map.shift_remove(keyword);
                    }
                }
                if map.get("$vocabulary").is_some_and(Value::is_object) {
                    map.shift_remove("$vocabulary");
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                rewrite(item, &format!("{pointer}/{i}"), scope, false, registry, doc);
            }
        }
        _ => {}
    }
}

/// The `$ref` and `$dynamicRef` of one schema object, rewritten.
fn rewrite_refs(map: &mut Map<String, Value>, scope: &Scope, registry: &Registry, doc: &Value) {
    let base = scope.base.as_str();
    if let Some(Value::String(target)) = map.get("$ref").cloned() {
        match resolve_ref(&target, scope, registry, doc) {
            Resolved::Pointer(pointer) if pointer != target => {
                map.insert("$ref".into(), Value::String(pointer));
            }
            Resolved::AnyValue => {
                map.shift_remove("$ref");
                unevaluated_unknown(map);
            }
            _ => {}
        }
    }
    let Some(Value::String(target)) = map.get("$dynamicRef").cloned() else {
        return;
    };
    map.shift_remove("$dynamicRef");
    let resolved = uri::resolve(base, &target);
    // The initial target, as a `$ref` would find it; dynamic only when it declares the
    // fragment's name as a `$dynamicAnchor`.
    let Resolved::Pointer(initial) = resolve_ref(&target, scope, registry, doc) else {
        unevaluated_unknown(map);
        return; // a meta-schema or nothing the document holds: any value
    };
    let fragment = uri::split_fragment(&resolved).1.unwrap_or_default();
    let dynamic = !fragment.is_empty()
        && !fragment.starts_with('/')
        && doc
            .pointer(&initial[1..])
            .and_then(|t| t.get("$dynamicAnchor"))
            .and_then(Value::as_str)
            == Some(fragment.as_str());
    let candidates = registry.dynamic.get(&fragment).map_or(0, Vec::len);
    if dynamic && candidates > 1 {
        unevaluated_unknown(map);
        return; // resolved by the dynamic scope: loosened
    }
    let arm = Value::Object(Map::from_iter([(
        "$ref".to_owned(),
        Value::String(initial),
    )]));
    if map.contains_key("$ref") {
        match map.get_mut("allOf") {
            Some(Value::Array(arms)) => arms.push(arm),
            _ => {
                map.insert("allOf".into(), Value::Array(vec![arm]));
            }
        }
    } else {
        map.insert("$ref".into(), arm["$ref"].clone());
    }
}

/// `unevaluatedProperties`/`unevaluatedItems` beside a reference that went: what the
/// reference would have evaluated is unknown, so they cannot be read (loosened).
fn unevaluated_unknown(map: &mut Map<String, Value>) {
    map.shift_remove("unevaluatedProperties");
    map.shift_remove("unevaluatedItems");
}

enum Resolved {
    /// `#` + a pointer the document holds.
    Pointer(String),
    /// A well-known meta-schema: any value.
    AnyValue,
    /// Nothing the document holds: left for `check_refs` to report.
    Unknown,
}

fn resolve_ref(target: &str, scope: &Scope, registry: &Registry, doc: &Value) -> Resolved {
    // A pointer from the document's root (as a 3.0 document means every `$ref`), or,
    // when the root holds nothing there, from the component schema it is written in
    // (`#/$defs/a` in a schema pasted from a JSON Schema document of its own).
    let as_pointer = || {
        let pointer = target
            .strip_prefix('#')
            .filter(|p| p.is_empty() || p.starts_with('/'))?;
        if doc.pointer(pointer).is_some() {
            return Some(target.to_owned());
        }
        let root = scope.component.as_deref()?;
        doc.pointer(&format!("{root}{pointer}"))
            .map(|_| format!("#{root}{pointer}"))
    };
    // Outside every `$id`, a pointer is the document's own (already decoded by
    // `document::decode_refs`: not decoded twice).
    if scope.base.is_empty()
        && target.starts_with('#')
        && let Some(pointer) = as_pointer()
    {
        return Resolved::Pointer(pointer);
    }
    let resolved = uri::resolve(&scope.base, target);
    if let Some(pointer) = locate(&resolved, registry, doc) {
        return Resolved::Pointer(pointer);
    }
    if well_known(&resolved) {
        return Resolved::AnyValue;
    }
    // Written as a pointer from the document's root, inside an `$id`.
    match as_pointer() {
        Some(pointer) => Resolved::Pointer(pointer),
        None => Resolved::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resolved(schemas: Value) -> Value {
        let mut doc = json!({"components": {"schemas": schemas}});
        resolve_schema_identifiers(&mut doc);
        doc["components"]["schemas"].take()
    }

    #[test]
    fn refs_against_ids_become_pointers() {
        let s = resolved(json!({
            "Tree": {"$id": "https://example.com/tree", "$schema": "https://json-schema.org/draft/2020-12/schema",
                "$vocabulary": {"https://json-schema.org/draft/2020-12/vocab/core": true},
                "properties": {"nodes": {"items": {"$ref": "node"}}, "meta": {"$ref": "#/$defs/meta"}},
                "$defs": {"meta": {"$comment": "c", "type": "string"}}},
            "Node": {"$id": "https://example.com/node", "properties": {"subtree": {"$ref": "tree"}}},
            "Plain": {"$ref": "#/components/schemas/Node"}
        }));
        assert_eq!(
            s["Tree"],
            json!({"properties": {"nodes": {"items": {"$ref": "#/components/schemas/Node"}},
                "meta": {"$ref": "#/components/schemas/Tree/$defs/meta"}},
                "$defs": {"meta": {"type": "string"}}})
        );
        assert_eq!(
            s["Node"]["properties"]["subtree"]["$ref"],
            "#/components/schemas/Tree"
        );
        assert_eq!(s["Plain"]["$ref"], "#/components/schemas/Node");
    }

    #[test]
    fn anchors_and_relative_ids_in_subschemas_are_found() {
        let s = resolved(json!({
            "A": {"$id": "http://localhost:1234/root", "$ref": "http://localhost:1234/nested.json#foo",
                "$defs": {"A": {"$id": "nested.json", "$defs": {"B": {"$anchor": "foo", "type": "integer"}}}}},
            "B": {"$ref": "#bar", "$defs": {"bar": {"$anchor": "bar"}}},
            // A property called `$id` is a schema, not an identifier.
            "C": {"properties": {"$id": {"type": "string"}, "enum": {"$ref": "#/components/schemas/B"}}}
        }));
        assert_eq!(s["A"]["$ref"], "#/components/schemas/A/$defs/A/$defs/B");
        assert_eq!(s["B"]["$ref"], "#/components/schemas/B/$defs/bar");
        assert_eq!(
            s["C"],
            json!({"properties": {"$id": {"type": "string"}, "enum": {"$ref": "#/components/schemas/B"}}})
        );
    }

    #[test]
    fn dynamic_refs_are_refs_when_one_schema_declares_the_anchor() {
        let s = resolved(json!({
            "One": {"$id": "https://e.com/one", "items": {"$dynamicRef": "#items"},
                "$defs": {"foo": {"$dynamicAnchor": "items", "type": "string"}}},
            "List": {"$id": "https://e.com/list", "items": {"$dynamicRef": "#elements", "unevaluatedProperties": false},
                "$defs": {"e": {"$dynamicAnchor": "elements"}}},
            "Ext": {"$id": "https://e.com/ext", "$ref": "list",
                "$defs": {"e": {"$dynamicAnchor": "elements", "type": "integer"}}},
            "Meta": {"$ref": "https://json-schema.org/draft/2020-12/schema", "description": "a schema"}
        }));
        assert_eq!(
            s["One"]["items"],
            json!({"$ref": "#/components/schemas/One/$defs/foo"})
        );
        // Two schemas declare `elements`: the dynamic scope decides, any value here.
        assert_eq!(s["List"]["items"], json!({}));
        assert_eq!(s["Ext"]["$ref"], "#/components/schemas/List");
        assert_eq!(s["Meta"], json!({"description": "a schema"}));
    }

    #[test]
    fn what_the_document_does_not_hold_stays() {
        let s = resolved(json!({
            "A": {"$ref": "other.yaml#/X"},
            // Decoded once already (`%2541` in the document): not decoded again.
            "A%41": {"$ref": "#/components/schemas/A%41"},
            // Pasted from a schema document of its own, without an `$id`.
            "C": {"items": {"$ref": "#/$defs/item"}, "$defs": {"item": {"type": "string"}}},
            "B": {"$id": "https://e.com/b", "$ref": "#/components/schemas/A"}
        }));
        assert_eq!(s["A"]["$ref"], "other.yaml#/X");
        assert_eq!(s["A%41"]["$ref"], "#/components/schemas/A%41");
        assert_eq!(
            s["C"]["items"]["$ref"], "#/components/schemas/C/$defs/item",
            "the component's own `$defs`"
        );
        assert_eq!(
            s["B"]["$ref"], "#/components/schemas/A",
            "a pointer from the root"
        );
        // Idempotent: nothing left to resolve.
        let mut doc = json!({"components": {"schemas": s.clone()}});
        resolve_schema_identifiers(&mut doc);
        assert_eq!(doc["components"]["schemas"], s);
    }
}

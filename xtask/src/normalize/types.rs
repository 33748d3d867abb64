//! `type` values that JSON Schema does not have.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::document::schema::for_each_child_mut;

use super::required::Notes;
use super::walk::visit_schema_positions;

/// The types of JSON Schema (and of OpenAPI 3.0's subset of it).
const JSON_TYPES: &[&str] = &[
    "null", "boolean", "object", "array", "number", "string", "integer",
];

/// [`known_types`]: a `type` that is not one of JSON Schema's (`bool`, `int`,
/// `String`, `date`, written as the author's language says it; focalboard's query
/// parameters are `type: bool`) makes typify stop (`not yet implemented: invalid type`)
/// and cost its operation. A common spelling of a JSON type reads as that type (`bool`
/// → `boolean`; `int`, `long`, `int64` → `integer`; `float`, `double`, `decimal` →
/// `number`; `str`, `text`, `date`, `datetime` → `string`, case aside); any other
/// becomes any value (the keyword goes), in a `type` list too. One warning per
/// spelling (`x-tasks-sdk-repaired`), naming where it is first seen and how often.
pub fn known_types(doc: &mut Value) -> Result<(), String> {
    // spelling -> (first location, count, what it became)
    let mut seen: BTreeMap<String, (String, usize, String)> = BTreeMap::new();
    visit_schema_positions(doc, &mut |schema, _, at| {
        fix(schema, at, &mut seen);
        Ok(())
    })?;
    let mut notes = Notes::default();
    for (spelling, (at, count, done)) in seen {
        let more = match count {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        notes.add(
            &format!("`type: {spelling}` is not a JSON Schema type"),
            &format!("{at}{more}"),
            &done,
        );
    }
    if let Some(top) = doc.as_object_mut() {
        notes.record(top);
    }
    Ok(())
}

/// The JSON type `spelling` stands for, if it is a common one.
fn json_type(spelling: &str) -> Option<&'static str> {
    let lower = spelling.to_ascii_lowercase();
    if let Some(known) = JSON_TYPES.iter().find(|t| **t == lower) {
        return Some(known);
    }
    match lower.as_str() {
        "bool" => Some("boolean"),
        "int" | "int32" | "int64" | "long" | "short" => Some("integer"),
        "float" | "double" | "decimal" => Some("number"),
        "str" | "text" | "date" | "datetime" | "date-time" => Some("string"),
        _ => None,
    }
}

fn fix(schema: &mut Value, at: &str, seen: &mut BTreeMap<String, (String, usize, String)>) {
    let Value::Object(map) = schema else { return };
    let mut note = |spelling: &str, done: String| {
        seen.entry(spelling.to_owned())
            .and_modify(|(_, n, _)| *n += 1)
            .or_insert_with(|| (at.to_owned(), 1, done));
    };
    match map.get("type").cloned() {
        Some(Value::String(t)) if !JSON_TYPES.contains(&t.as_str()) => match json_type(&t) {
            Some(known) => {
                note(&t, format!("read as `{known}`"));
                map.insert("type".into(), json!(known));
            }
            None => {
                note(&t, "any JSON value (the `type` left out)".to_owned());
                map.shift_remove("type");
            }
        },
        Some(Value::Array(types)) => {
            let mut kept: Vec<Value> = Vec::new();
            for t in &types {
                let Some(text) = t.as_str() else { continue };
                match json_type(text) {
                    Some(known) => {
                        if known != text {
                            note(text, format!("read as `{known}`"));
                        }
                        if !kept.contains(&json!(known)) {
                            kept.push(json!(known));
                        }
                    }
                    None => note(text, "left out of the `type` list".to_owned()),
                }
            }
            if kept.len() != types.len() || kept != types {
                if kept.is_empty() {
                    map.shift_remove("type");
                } else {
                    map.insert("type".into(), Value::Array(kept));
                }
            }
        }
        _ => {}
    }
    let _ = for_each_child_mut::<()>(map as &mut Map<String, Value>, |child, _| {
        fix(child, at, seen);
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_json_types_are_read_as_them_and_others_as_any_value() {
        let mut doc = json!({
            "paths": {"/blocks": {"post": {"parameters": [
                {"name": "all", "in": "query", "schema": {"type": "bool"}}
            ]}}},
            "components": {"schemas": {"M": {"type": "object", "properties": {
                "n": {"type": "Integer"},
                "when": {"type": "date"},
                "odd": {"type": "blob", "description": "kept"},
                "either": {"type": ["long", "null", "thing"]},
                "fine": {"type": "string"}
            }}}}
        });
        known_types(&mut doc).unwrap();
        assert_eq!(
            doc["paths"]["/blocks"]["post"]["parameters"][0]["schema"],
            json!({"type": "boolean"})
        );
        let m = &doc["components"]["schemas"]["M"]["properties"];
        assert_eq!(m["n"], json!({"type": "integer"}));
        assert_eq!(m["when"], json!({"type": "string"}));
        assert_eq!(m["odd"], json!({"description": "kept"}));
        assert_eq!(m["either"], json!({"type": ["integer", "null"]}));
        assert_eq!(m["fine"], json!({"type": "string"}));
        let warnings = crate::document::warnings(&doc);
        assert_eq!(warnings.len(), 6, "{warnings:?}");
        assert!(
            warnings.iter().any(|w| w.starts_with("`type: bool` is not a JSON Schema type at $.paths['/blocks'].post.parameters[0].schema: read as `boolean`")),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_document_of_json_types_is_left_alone() {
        let mut doc = json!({"components": {"schemas": {"M": {"type": ["string", "null"]}}}});
        let before = doc.clone();
        known_types(&mut doc).unwrap();
        assert_eq!(doc, before);
    }
}

//! Helpers on `components.schemas` shared by the rules that add or rename schemas.

use serde_json::{Map, Value, json};

/// The names of `components.schemas`.
pub(super) fn component_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// `base`, or `base2`, `base3`, ...: the first name neither an existing component nor a
/// schema about to be added has.
pub(super) fn free_name(base: &str, existing: &[String], added: &[(String, Value)]) -> String {
    let taken =
        |name: &str| existing.iter().any(|e| e == name) || added.iter().any(|(a, _)| a == name);
    let mut name = base.to_owned();
    let mut n = 1;
    while taken(&name) {
        n += 1;
        name = format!("{base}{n}");
    }
    name
}

/// `components.schemas`, created if missing, for rules that add schemas.
pub(super) fn component_schemas(doc: &mut Value) -> Result<&mut Map<String, Value>, String> {
    doc.as_object_mut()
        .ok_or("the document is not a mapping")?
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or("`components` is not a mapping at $.components")?
        .entry("schemas")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or_else(|| "`schemas` is not a mapping at $.components.schemas".to_owned())
}

/// Renames component schemas (in place, keeping their order) and every `$ref` to them.
pub(super) fn rename_components(doc: &mut Value, renames: &[(String, String)]) {
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        let old_map = std::mem::take(schemas);
        for (name, schema) in old_map {
            let name = renames
                .iter()
                .find(|(o, _)| *o == name)
                .map_or(name, |(_, n)| n.clone());
            schemas.insert(name, schema);
        }
    }
    rewrite_refs(doc, renames);
}

fn rewrite_refs(value: &mut Value, renames: &[(String, String)]) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "$ref" {
                    if let Value::String(target) = child {
                        for (old, new) in renames {
                            let prefix = format!("#/components/schemas/{old}");
                            if let Some(rest) = target.strip_prefix(&prefix)
                                && (rest.is_empty() || rest.starts_with('/'))
                            {
                                *target = format!("#/components/schemas/{new}{rest}");
                                break;
                            }
                        }
                    }
                } else {
                    rewrite_refs(child, renames);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, renames)),
        _ => {}
    }
}

/// A schema without the keywords that only document it.
pub(super) fn strip_docs(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Value::Object(obj) = &mut schema {
        for key in ["description", "example", "examples"] {
            obj.shift_remove(key);
        }
    }
    schema
}

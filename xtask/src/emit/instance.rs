//! A valid JSON instance of a (normalized, OpenAPI 3.0.3) schema: every property, one
//! item in every array, the first value of every enum, fixed dates and UUIDs. The
//! cross-provider tests use it as "a valid list response" of a provider whose shapes
//! they do not know (see [`crate::emit::lists`]).

use serde_json::{Map, Value, json};

use crate::document::schema::{nullable, object_parts};

/// Optional properties deeper than this are left out (a recursive schema ends).
const MAX_DEPTH: usize = 8;

/// An instance of `schema`, whose `$ref`s point into `doc`. `name` is the property (or
/// schema) it is for: strings are made from it (`"title-1"`).
pub fn instance(doc: &Value, schema: &Value, name: &str) -> Value {
    Builder {
        doc,
        stack: Vec::new(),
        minimal: None,
        path: Vec::new(),
    }
    .value(schema, name, 0)
    .unwrap_or(Value::Null)
}

/// A valid instance of `schema` with only the required properties, plus the optional
/// ones on the way to each dotted wire path of `keep` (`meta.next_cursor`): small
/// however large the schema (the test kit's page templates, one per list operation).
pub fn minimal_instance(doc: &Value, schema: &Value, name: &str, keep: &[&str]) -> Value {
    Builder {
        doc,
        stack: Vec::new(),
        minimal: Some(keep.iter().map(|k| (*k).to_owned()).collect()),
        path: Vec::new(),
    }
    .value(schema, name, 0)
    .unwrap_or(Value::Null)
}

struct Builder<'a> {
    doc: &'a Value,
    /// The `$ref`s being expanded: a repeat is a cycle.
    stack: Vec<String>,
    /// Required properties only, except on the way to these dotted paths.
    minimal: Option<Vec<String>>,
    /// The property names from the root to the object being built.
    path: Vec<String>,
}

impl<'a> Builder<'a> {
    /// `None`: nothing finite (a cycle); the caller leaves an optional property out.
    fn value(&mut self, schema: &'a Value, name: &str, depth: usize) -> Option<Value> {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            if self.stack.iter().any(|s| s == target) {
                return None;
            }
            let resolved = target.strip_prefix('#').and_then(|p| self.doc.pointer(p))?;
            self.stack.push(target.to_owned());
            let value = self.value(resolved, name, depth);
            self.stack.pop();
            return value;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return values.iter().find(|v| !v.is_null()).cloned();
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array)
            && schema.get("properties").is_none()
        {
            // One part (a nullable or described `$ref`): that part. Several: their objects
            // merged.
            if let [only] = parts.as_slice() {
                return self.value(only, name, depth);
            }
            let mut merged = Map::new();
            for part in parts {
                match self.value(part, name, depth)? {
                    Value::Object(object) => merged.extend(object),
                    other => return Some(other),
                }
            }
            return Some(Value::Object(merged));
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
                return self.alternative(schema, alternatives, name, depth);
            }
        }
        let object_like = schema.get("properties").is_some() || schema.get("allOf").is_some();
        match schema.get("type").and_then(Value::as_str) {
            Some("object") => Some(self.object(schema, depth)),
            None if object_like => Some(self.object(schema, depth)),
            Some("array") => {
                let items = schema.get("items").unwrap_or(&Value::Null);
                let count = schema
                    .get("minItems")
                    .and_then(Value::as_u64)
                    .unwrap_or(1)
                    .max(1);
                let item = self.value(items, &singular(name), depth + 1)?;
                Some(Value::Array(vec![item; count as usize]))
            }
            Some("string") => Some(Value::String(string(schema, name))),
            Some("integer") => Some(json!(number(schema, true) as i64)),
            Some("number") => Some(json!(number(schema, false))),
            Some("boolean") => Some(Value::Bool(false)),
            // Any JSON.
            _ => Some(json!({})),
        }
    }

    fn alternative(
        &mut self,
        schema: &'a Value,
        alternatives: &'a [Value],
        name: &str,
        depth: usize,
    ) -> Option<Value> {
        let discriminator = schema
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str);
        for alternative in alternatives {
            let Some(mut value) = self.value(alternative, name, depth) else {
                continue;
            };
            if let (Some(property), Some(target), Some(object)) = (
                discriminator,
                alternative.get("$ref").and_then(Value::as_str),
                value.as_object_mut(),
            ) {
                let mapped = schema
                    .pointer("/discriminator/mapping")
                    .and_then(Value::as_object)
                    .and_then(|m| m.iter().find(|(_, v)| v.as_str() == Some(target)))
                    .map(|(k, _)| k.clone());
                let tag = mapped
                    .unwrap_or_else(|| target.rsplit('/').next().unwrap_or(target).to_owned());
                object.insert(property.to_owned(), Value::String(tag));
            }
            return Some(value);
        }
        None
    }

    fn object(&mut self, schema: &'a Value, depth: usize) -> Value {
        let (properties, required) = object_parts(self.doc, schema);
        let mut object = Map::new();
        for (name, property) in properties {
            let needed = required.contains(&name);
            if !needed && (depth >= MAX_DEPTH || !self.wanted(name)) {
                continue;
            }
            self.path.push(name.to_owned());
            let value = self.value(property, name, depth + 1);
            self.path.pop();
            match value {
                Some(value) => {
                    object.insert(name.to_owned(), value);
                }
                None if needed && nullable(self.doc, property) => {
                    object.insert(name.to_owned(), Value::Null);
                }
                None => {}
            }
        }
        Value::Object(object)
    }
}

impl Builder<'_> {
    /// Whether the optional property `name` of the current object is built.
    fn wanted(&self, name: &str) -> bool {
        let Some(keep) = &self.minimal else {
            return true;
        };
        // Compared as text: a wire name may hold a dot itself (`@odata.nextLink`).
        let here: String = self.path.iter().map(|p| format!("{p}.")).collect();
        keep.iter().any(|path| {
            path.strip_prefix(&here).is_some_and(|rest| {
                rest == name || rest.strip_prefix(name).is_some_and(|r| r.starts_with('.'))
            })
        })
    }
}

/// `tasks` -> `task`, for the strings of array items.
fn singular(name: &str) -> String {
    name.strip_suffix('s').unwrap_or(name).to_owned()
}

fn string(schema: &Value, name: &str) -> String {
    let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
    let fixed = match format {
        "date-time" => Some("2025-01-15T10:30:00Z"),
        "date" => Some("2025-01-15"),
        "time" => Some("10:30:00"),
        "uuid" => Some("c3d4e5f6-7890-42ab-8def-345678901bcd"),
        "email" => Some("someone@example.com"),
        "uri" | "url" | "uri-reference" => Some("https://example.com/"),
        "hostname" => Some("example.com"),
        "ipv4" => Some("192.0.2.1"),
        "ipv6" => Some("2001:db8::1"),
        "byte" => Some("ZXhhbXBsZQ=="),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return fixed.to_owned();
    }
    // A pattern cannot be met in general: the spec's own example, if it has one.
    if schema.get("pattern").is_some()
        && let Some(example) = schema.get("example").and_then(Value::as_str)
    {
        return example.to_owned();
    }
    let base: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let mut text = format!("{}-1", if base.is_empty() { "value" } else { &base });
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    while text.len() < min {
        text.push('x');
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        text.truncate((max as usize).max(1));
    }
    text
}

fn number(schema: &Value, integer: bool) -> f64 {
    let get = |key: &str| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| schema.get(key).and_then(Value::as_bool) == Some(true);
    let step = if integer { 1.0 } else { 0.5 };
    let value = match (get("minimum"), get("maximum")) {
        (Some(min), _) if exclusive("exclusiveMinimum") => min + step,
        (Some(min), _) => min,
        (None, Some(max)) if max < 1.0 => {
            if exclusive("exclusiveMaximum") {
                max - step
            } else {
                max
            }
        }
        _ => 1.0,
    };
    if integer { value.ceil() } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_property_one_item_fixed_formats_and_no_cycle() {
        let doc = json!({"components": {"schemas": {
            "Page": {"type": "object", "required": ["items"], "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "more": {"type": "boolean"},
                "count": {"type": "integer", "minimum": 0},
                "size": {"type": "integer", "exclusiveMinimum": true, "minimum": 0}
            }},
            "Node": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "at": {"type": "string", "format": "date-time", "nullable": true},
                "status": {"$ref": "#/components/schemas/Status"},
                "code": {"type": "string", "minLength": 12},
                "child": {"$ref": "#/components/schemas/Node"},
                "any": {}
            }},
            "Status": {"type": "string", "enum": ["queued", "done"]}
        }}});
        let page = instance(&doc, &json!({"$ref": "#/components/schemas/Page"}), "page");
        assert_eq!(
            page,
            json!({"items": [{"id": "c3d4e5f6-7890-42ab-8def-345678901bcd", "at": "2025-01-15T10:30:00Z",
                "status": "queued", "code": "code-1xxxxxx", "any": {}}],
                "more": false, "count": 0, "size": 1})
        );
    }

    #[test]
    fn a_minimal_instance_has_the_required_fields_and_the_kept_paths_only() {
        let doc = json!({});
        let schema = json!({"type": "object", "required": ["data"], "properties": {
            "data": {"type": "array", "items": {"type": "object", "required": ["id"],
                "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}}},
            "meta": {"type": "object", "properties": {
                "next": {"type": "string"}, "other": {"type": "string"}}},
            "extra": {"type": "string"}
        }});
        let page = minimal_instance(&doc, &schema, "page", &["meta.next"]);
        assert_eq!(
            page,
            json!({"data": [{"id": 1}], "meta": {"next": "next-1"}})
        );
    }

    #[test]
    fn a_discriminated_alternative_carries_its_tag() {
        let doc = json!({"components": {"schemas": {
            "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}}
        }}});
        let pet = instance(&doc, &json!({"$ref": "#/components/schemas/Pet"}), "pet");
        assert_eq!(pet, json!({"kind": "cat"}));
    }
}

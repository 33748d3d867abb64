//! What every part of the conversion reads: the document-wide `consumes`/`produces`
//! and parameters ([`Context`]) and small readers of Swagger 2.0 objects.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::document::{from_pointer_token, percent_decode};

/// Parameter fields that become `schema` fields in 3.0 (Swagger 2.0's parameter and
/// items objects carry them next to `name` and `in`).
pub(super) const SCHEMA_KEYS: &[&str] = &[
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
];

/// What every part of the conversion reads from the top of the document.
pub(super) struct Context {
    /// The document's `consumes`, or `application/json`.
    pub(super) consumes: Vec<String>,
    /// The document's `produces`, or `application/json`.
    pub(super) produces: Vec<String>,
    /// The document's `parameters`, as published, to resolve `#/parameters/X`.
    pub(super) parameters: Map<String, Value>,
    /// The names of those that are `body` or `formData`: they become
    /// `components.requestBodies`.
    pub(super) request_bodies: BTreeSet<String>,
}

impl Context {
    /// Reads the document-level media types and parameters.
    pub(super) fn new(top: &Map<String, Value>) -> Context {
        let json = vec!["application/json".to_owned()];
        let parameters = top
            .get("parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let request_bodies = parameters
            .iter()
            .filter(|(_, p)| matches!(location(p), "body" | "formData"))
            .map(|(name, _)| name.clone())
            .collect();
        Context {
            consumes: media_types(top.get("consumes"), &json),
            produces: media_types(top.get("produces"), &json),
            parameters,
            request_bodies,
        }
    }

    /// `param`, or the document parameter its `$ref` names (followed through chains),
    /// with the first `#/parameters/` name seen (still escaped, as written).
    pub(super) fn resolve<'a>(&'a self, param: &'a Value) -> (&'a Value, Option<&'a str>) {
        let mut current = param;
        let mut first = None;
        for _ in 0..16 {
            let Some(token) = current
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/parameters/"))
                .filter(|t| !t.contains('/'))
            else {
                break;
            };
            let Some(target) = self.parameter(token) else {
                break;
            };
            first.get_or_insert(token);
            current = target;
        }
        (current, first)
    }

    /// The document parameter named by a JSON Pointer token (`~1`, `%7B` escapes read).
    fn parameter(&self, token: &str) -> Option<&Value> {
        let name = from_pointer_token(token);
        self.parameters
            .get(&name)
            .or_else(|| percent_decode(&name).and_then(|decoded| self.parameters.get(&decoded)))
    }
}

/// A parameter's `in`, or `""`.
pub(super) fn location(param: &Value) -> &str {
    param.get("in").and_then(Value::as_str).unwrap_or_default()
}

/// A `consumes`/`produces` list: its media types when it has any, else `fallback`.
pub(super) fn media_types(list: Option<&Value>, fallback: &[String]) -> Vec<String> {
    let listed: Vec<String> = list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect();
    if listed.is_empty() {
        fallback.to_vec()
    } else {
        listed
    }
}

/// Copies the vendor extensions (`x-…`) of `from` into `to`.
pub(super) fn copy_extensions(from: &Value, to: &mut Map<String, Value>) {
    for (key, value) in from.as_object().into_iter().flatten() {
        if key.starts_with("x-") {
            to.insert(key.clone(), value.clone());
        }
    }
}

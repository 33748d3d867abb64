//! Parameters progenitor can send.

use serde_json::{Value, json};

use crate::document;
use crate::document::naming;

/// [`normalize_parameters`]: parameters progenitor 0.15 can send: `form` query
/// parameters, `simple` path and header parameters, each with a `schema`.
///
/// - `spaceDelimited`/`pipeDelimited` query arrays become one `form` string parameter:
///   the caller passes the already-joined value (`"a b"`, `"a|b"`), which is exactly
///   what the style puts on the wire;
/// - a parameter described by `content` (e.g. JSON in a query string) or with no schema
///   becomes a string the caller serializes;
/// - an optional `deepObject` query parameter, cookie parameter or OpenAPI 3.2
///   `querystring` parameter is left out of the
///   operation and listed in `x-tasks-sdk-skipped-parameters` (the crate docs list it);
///   a required one, or a `label`/`matrix` path parameter, leaves the whole operation
///   out, listed in `x-tasks-sdk-skipped`.
pub fn normalize_parameters(doc: &mut Value) {
    let snapshot = doc.clone();
    let resolve = |param: &Value| -> Value {
        let mut param = param.clone();
        for _ in 0..16 {
            match param.get("$ref").and_then(Value::as_str) {
                Some(target) => match target.strip_prefix('#').and_then(|p| snapshot.pointer(p)) {
                    Some(resolved) => param = resolved.clone(),
                    None => break,
                },
                None => break,
            }
        }
        param
    };
    let mut skipped_ops: Vec<Value> = Vec::new();
    let mut skipped_params: Vec<Value> = Vec::new();
    let mut removed: Vec<(String, String)> = Vec::new();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if let Some(item) = item.as_object_mut() {
            item.shift_remove("parameters");
        }
        for method in document::METHODS {
            let Some(Value::Object(op)) = item.get_mut(*method) else {
                continue;
            };
            // Path-level parameters move onto each operation (an operation's own
            // parameter of the same name and location wins), so each is fixed once.
            let own: Vec<Value> = op
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
                .iter()
                .map(&resolve)
                .collect();
            let key = |p: &Value| {
                (
                    p.get("name")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    p.get("in")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                )
            };
            let mut params: Vec<Value> = shared
                .iter()
                .map(&resolve)
                .filter(|p| !own.iter().any(|o| key(o) == key(p)))
                .collect();
            params.extend(own);
            let mut kept = Vec::new();
            let mut why_skip = None;
            for mut param in params {
                let (name, location) = key(&param);
                let required = param.get("required").and_then(Value::as_bool) == Some(true);
                let style = param
                    .get("style")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let unsupported = match (location.as_str(), style.as_str()) {
                    ("query", "deepObject") => Some("a deepObject query parameter"),
                    ("cookie", _) => Some("a cookie parameter"),
                    ("querystring", _) => Some("an OpenAPI 3.2 querystring parameter"),
                    ("path", "label" | "matrix") => Some("a label or matrix path parameter"),
                    _ => None,
                };
                // A path parameter is always required (OpenAPI says it must be); one
                // marked optional becomes an `Option` progenitor cannot put in the URL.
                // Nor can it be null: a nullable schema is an `Option` too. Neither can a
                // header (absent is its only "no value"): progenitor formats an optional
                // nullable one, an `Option<Option<T>>`, with `to_string()` (box.com).
                if (location == "path" || location == "header")
                    && let Value::Object(p) = &mut param
                {
                    if location == "path" {
                        p.insert("required".into(), json!(true));
                    }
                    if let Some(Value::Object(schema)) = p.get_mut("schema") {
                        schema.shift_remove("nullable");
                        if let Some(Value::Array(types)) = schema.get_mut("type") {
                            types.retain(|t| t != "null");
                        }
                        // An array is sent in OpenAPI's `simple` style, its values joined
                        // with commas: progenitor formats the value with `to_string()`,
                        // which a `Vec` lacks, so the parameter takes the joined string
                        // (beezup.com's `Accept-Language`).
                        if schema.get("type").and_then(Value::as_str) == Some("array") {
                            let note = "Several values are comma-separated (`a,b`).";
                            let description = match p.get("description").and_then(Value::as_str) {
                                Some(d) => format!("{}\n\n{note}", d.trim_end()),
                                None => note.to_owned(),
                            };
                            p.insert("schema".into(), json!({"type": "string"}));
                            p.insert("description".into(), json!(description));
                        }
                    }
                }
                if let Some(what) = unsupported {
                    if required || location == "path" {
                        why_skip = Some(format!(
                            "its required parameter `{name}` is {what}, which the generator does not support yet"
                        ));
                    } else {
                        skipped_params.push(json!({
                            "operationId": op.get("operationId").cloned().unwrap_or(Value::Null),
                            "name": name,
                            "why": format!("{what}, which the generator does not support yet"),
                        }));
                    }
                    continue;
                }
                if let Value::Object(p) = &mut param {
                    if location == "query"
                        && matches!(style.as_str(), "spaceDelimited" | "pipeDelimited")
                    {
                        let joiner = if style == "spaceDelimited" {
                            "spaces"
                        } else {
                            "`|`"
                        };
                        p.insert("style".into(), json!("form"));
                        p.shift_remove("explode");
                        p.insert(
                            "schema".into(),
                            json!({
                                "type": "string",
                                "description": format!("The values joined with {joiner}.")
                            }),
                        );
                    }
                    if p.get("schema").is_none() {
                        p.shift_remove("content");
                        p.insert("schema".into(), json!({"type": "string"}));
                    }
                    // progenitor 0.15 can only send an object as the request body: an
                    // object query parameter (form style: one `key=value` per field)
                    // becomes a map of strings, an object header or path value a string.
                    if p.get("schema")
                        .is_some_and(|schema| is_object_schema(&snapshot, schema, 0))
                    {
                        let schema = if location == "query" {
                            json!({"type": "object", "additionalProperties": {"type": "string"}})
                        } else {
                            json!({"type": "string"})
                        };
                        p.insert("schema".into(), schema);
                    }
                }
                kept.push(param);
            }
            // progenitor keys an operation's parameters by name alone, and names their
            // setters in snake case: of two with one name (a path `id` and a query
            // `id`) or one setter (`$filter` and `filter`), the path one stays, else
            // the first; a parameter whose setter would be `body` next to a request
            // body (progenitor's own setter) is left out too.
            let rust_name = |p: &Value| {
                naming::setter_name(p.get("name").and_then(Value::as_str).unwrap_or_default())
            };
            let has_body = op.contains_key("requestBody");
            let mut by_name: Vec<Value> = Vec::new();
            for param in kept {
                let name = param
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let operation_id = op.get("operationId").cloned().unwrap_or(Value::Null);
                if naming::BUILDER_METHODS.contains(&rust_name(&param).as_str()) {
                    skipped_params.push(json!({
                        "operationId": operation_id,
                        "name": name,
                        "why": format!(
                            "its Rust name would be `{}`, a method every request builder has",
                            rust_name(&param)
                        ),
                    }));
                    continue;
                }
                if has_body && rust_name(&param) == "body" {
                    skipped_params.push(json!({
                        "operationId": operation_id,
                        "name": name,
                        "why": "its Rust name would be `body`, the setter of the request body",
                    }));
                    continue;
                }
                let is_path = param.get("in").and_then(Value::as_str) == Some("path");
                match by_name
                    .iter()
                    .position(|p| rust_name(p) == rust_name(&param))
                {
                    None => by_name.push(param),
                    Some(i) => {
                        let dropped = if is_path {
                            std::mem::replace(&mut by_name[i], param)
                        } else {
                            param
                        };
                        skipped_params.push(json!({
                            "operationId": operation_id,
                            "name": dropped.get("name").cloned().unwrap_or(Value::Null),
                            "why": format!(
                                "a {} parameter whose name (or Rust name) another parameter of the operation has",
                                dropped.get("in").and_then(Value::as_str).unwrap_or("?")
                            ),
                        }));
                    }
                }
            }
            let mut kept = by_name;
            // Path parameters must match the template: every `{name}` declared (as a
            // required string when the document forgot it), nothing else, all required.
            let template: Vec<String> = path
                .split('{')
                .skip(1)
                .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
                .collect();
            kept.retain(|p| {
                p.get("in").and_then(Value::as_str) != Some("path")
                    || p.get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|n| template.iter().any(|t| t == n))
            });
            for name in &template {
                let declared = kept.iter_mut().find(|p| {
                    p.get("in").and_then(Value::as_str) == Some("path")
                        && p.get("name").and_then(Value::as_str) == Some(name.as_str())
                });
                match declared {
                    Some(Value::Object(p)) => {
                        p.insert("required".into(), json!(true));
                    }
                    Some(_) => {}
                    None => kept.push(json!({
                        "name": name, "in": "path", "required": true, "schema": {"type": "string"}
                    })),
                }
            }
            if let Some(why) = why_skip {
                skipped_ops.push(json!({
                    "method": method.to_uppercase(),
                    "path": path,
                    "operationId": op.get("operationId").cloned().unwrap_or(Value::Null),
                    "why": why,
                }));
                removed.push((path.clone(), (*method).to_owned()));
            } else if kept.is_empty() {
                op.shift_remove("parameters");
            } else {
                op.insert("parameters".into(), Value::Array(kept));
            }
        }
    }
    for (path, method) in &removed {
        if let Some(Value::Object(item)) = paths.get_mut(path) {
            item.shift_remove(method);
        }
    }
    for (key, list) in [
        ("x-tasks-sdk-skipped", skipped_ops),
        ("x-tasks-sdk-skipped-parameters", skipped_params),
    ] {
        if list.is_empty() {
            continue;
        }
        match doc.get_mut(key) {
            Some(Value::Array(existing)) => existing.extend(list),
            _ => doc[key] = Value::Array(list),
        }
    }
}

/// Whether a schema (following `$ref`s and `allOf`) describes a JSON object.
fn is_object_schema(doc: &Value, schema: &Value, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return target
            .strip_prefix('#')
            .and_then(|p| doc.pointer(p))
            .is_some_and(|s| is_object_schema(doc, s, depth + 1));
    }
    schema.get("type").and_then(Value::as_str) == Some("object")
        || (schema.get("type").is_none() && schema.get("properties").is_some())
        || schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|arms| arms.iter().any(|a| is_object_schema(doc, a, depth + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::text::unify_line_breaks;

    /// A path parameter marked `required: false` or nullable (parliament.uk's `{uin}`):
    /// progenitor then puts an `Option<String>` into the URL, which does not compile.
    #[test]
    fn path_parameters_are_required_and_prose_has_no_bare_cr() {
        let mut doc = json!({"paths": {"/q/{date}/{uin}/{v}": {"get": {
            "operationId": "q",
            "description": "line one\r\nline two\rthree",
            "parameters": [
                {"name": "date", "in": "path", "required": false, "schema": {"type": "string"}},
                {"name": "uin", "in": "path", "required": true, "schema": {"type": "string", "nullable": true}},
                {"name": "v", "in": "path", "required": true, "schema": {"type": ["string", "null"]}},
                {"name": "x-hints", "in": "header", "schema": {"type": "string", "nullable": true}},
                {"name": "Accept-Language", "in": "header", "description": "Languages.",
                 "schema": {"type": "array", "items": {"type": "string"}}}
            ]
        }}}});
        unify_line_breaks(&mut doc);
        normalize_parameters(&mut doc);
        let op = &doc["paths"]["/q/{date}/{uin}/{v}"]["get"];
        assert_eq!(op["parameters"][0]["required"], true);
        assert_eq!(op["parameters"][1]["schema"], json!({"type": "string"}));
        assert_eq!(op["parameters"][2]["schema"], json!({"type": ["string"]}));
        assert_eq!(
            op["parameters"][3]["schema"],
            json!({"type": "string"}),
            "a header is never null"
        );
        assert_eq!(
            op["parameters"][3].get("required"),
            None,
            "but stays optional"
        );
        // An array header is sent joined with commas (the `simple` style).
        assert_eq!(op["parameters"][4]["schema"], json!({"type": "string"}));
        assert_eq!(
            op["parameters"][4]["description"],
            "Languages.\n\nSeveral values are comma-separated (`a,b`)."
        );
        assert_eq!(op["description"], "line one\nline two\nthree");
    }

    #[test]
    fn parameters_progenitor_cannot_send_are_rewritten_or_listed() {
        let mut doc = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}, {"name": "tags", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "string"}}}],
                "get": {"operationId": "get_a", "parameters": [
                    {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object"}},
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                    {"name": "q", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}}
                ]},
                "put": {"operationId": "put_a", "parameters": [
                    {"name": "filter", "in": "query", "required": true, "style": "deepObject", "schema": {"type": "object"}}
                ]}
            }},
            "components": {"parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}}}
        });
        normalize_parameters(&mut doc);
        let get = &doc["paths"]["/a/{id}"]["get"];
        let names: Vec<&str> = get["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["id", "tags", "q"]);
        assert_eq!(get["parameters"][1]["style"], "form");
        assert_eq!(get["parameters"][1]["schema"]["type"], "string");
        assert_eq!(get["parameters"][2]["schema"], json!({"type": "string"}));
        let mut objects = json!({
            "paths": {"/o": {"get": {"parameters": [
                {"name": "where", "in": "query", "schema": {"$ref": "#/components/schemas/Filter"}},
                {"name": "X-Meta", "in": "header", "schema": {"type": "object", "properties": {}}}
            ]}}},
            "components": {"schemas": {"Filter": {"allOf": [{"type": "object", "properties": {"a": {"type": "string"}}}]}}}
        });
        normalize_parameters(&mut objects);
        let params = &objects["paths"]["/o"]["get"]["parameters"];
        assert_eq!(
            params[0]["schema"],
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        assert_eq!(params[1]["schema"], json!({"type": "string"}));
        assert!(doc["paths"]["/a/{id}"].get("put").is_none());
        assert!(doc["paths"]["/a/{id}"].get("parameters").is_none());
        assert_eq!(doc["x-tasks-sdk-skipped"][0]["operationId"], "put_a");
        let skipped: Vec<&str> = doc["x-tasks-sdk-skipped-parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(skipped, ["filter", "session"]);
        let mut doc = json!({"paths": {"/b/{id}/{undeclared}": {"get": {"parameters": [
            {"name": "id", "in": "query", "schema": {"type": "string"}},
            {"name": "id", "in": "path", "schema": {"type": "integer"}},
            {"name": "stale", "in": "path", "required": true, "schema": {"type": "string"}}
        ]}}}});
        normalize_parameters(&mut doc);
        assert_eq!(
            doc["paths"]["/b/{id}/{undeclared}"]["get"]["parameters"],
            json!([
                {"name": "id", "in": "path", "schema": {"type": "integer"}, "required": true},
                {"name": "undeclared", "in": "path", "required": true, "schema": {"type": "string"}}
            ])
        );
        assert_eq!(doc["x-tasks-sdk-skipped-parameters"][0]["name"], "id");
    }
}

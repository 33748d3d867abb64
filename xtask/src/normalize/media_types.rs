//! Request and response media types progenitor reads.

use serde_json::{Map, Value, json};

use crate::document;

/// Where progenitor 0.15 reads bodies: `application/json` (exactly), form-urlencoded,
/// `application/octet-stream` with a binary string, `text/plain` with a plain string.
fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or(media).trim();
    essence == "application/json" || essence.ends_with("+json") || essence.ends_with("/json")
}

/// [`normalize_media_types`]: media types progenitor understands. For every operation:
///
/// - responses: a JSON-like type (`application/problem+json`, `text/json`,
///   `application/json; charset=utf-8`) becomes `application/json`, which progenitor
///   types; a JSON body without a schema gets the any-JSON schema `{}`; other types stay
///   (progenitor returns their bytes);
/// - request bodies: the first JSON-like type wins (as `application/json`), then
///   `application/x-www-form-urlencoded`, then `text/plain` with a plain string schema;
///   any other type (`application/octet-stream`, `image/png`, `*/*`, ...) becomes a raw
///   `application/octet-stream` body of bytes; `encoding` maps are dropped;
/// - an operation whose only request body is `multipart/form-data` takes raw bytes
///   too, and is marked `x-tasks-sdk-multipart`: progenitor has no multipart body, so
///   the caller sends the encoded form with its `Content-Type` (and boundary) through
///   per-call options; the crate docs list these operations and say how.
pub fn normalize_media_types(doc: &mut Value) {
    let mut skipped: Vec<Value> = Vec::new();
    let mut removed: Vec<(String, String)> = Vec::new();
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            for method in document::METHODS {
                let Some(Value::Object(op)) = item.get_mut(*method) else {
                    continue;
                };
                if let Some(Value::Object(responses)) = op.get_mut("responses") {
                    for response in responses.values_mut() {
                        normalize_response_media(response);
                    }
                }
                if let Some(why) = normalize_request_body(op) {
                    skipped.push(json!({
                        "method": method.to_uppercase(),
                        "path": path,
                        "operationId": op.get("operationId").cloned().unwrap_or(Value::Null),
                        "why": why,
                    }));
                    removed.push((path.clone(), (*method).to_owned()));
                }
            }
        }
        for (path, method) in &removed {
            if let Some(Value::Object(item)) = paths.get_mut(path) {
                item.shift_remove(method);
            }
        }
    }
    if !skipped.is_empty() {
        doc["x-tasks-sdk-skipped"] = Value::Array(skipped);
    }
}

fn normalize_response_media(response: &mut Value) {
    let Some(Value::Object(content)) = response.get_mut("content") else {
        return;
    };
    let json_key = content
        .keys()
        .find(|k| k.as_str() == "application/json")
        .or_else(|| content.keys().find(|k| is_json_media(k)))
        .cloned();
    if let Some(key) = json_key {
        let mut media = content.shift_remove(&key).expect("listed key");
        if let Value::Object(m) = &mut media {
            m.shift_remove("encoding");
            m.entry("schema").or_insert_with(|| json!({}));
        } else {
            media = json!({"schema": {}});
        }
        content.clear();
        content.insert("application/json".into(), media);
    }
}

/// `Some(why)` when the operation cannot be generated.
fn normalize_request_body(op: &mut Map<String, Value>) -> Option<String> {
    let Some(Value::Object(body)) = op.get_mut("requestBody") else {
        return None;
    };
    let Some(Value::Object(content)) = body.get_mut("content") else {
        op.shift_remove("requestBody");
        return None;
    };
    if content.is_empty() {
        op.shift_remove("requestBody");
        return None;
    }
    let essence = |k: &str| k.split(';').next().unwrap_or(k).trim().to_ascii_lowercase();
    let schema_of = |media: &Value| media.get("schema").cloned();
    let chosen = if let Some((_, media)) = content.iter().find(|(k, _)| is_json_media(k)) {
        let schema = schema_of(media).unwrap_or_else(|| json!({}));
        ("application/json", schema)
    } else if let Some((_, media)) = content
        .iter()
        .find(|(k, _)| essence(k) == "application/x-www-form-urlencoded")
    {
        let schema = schema_of(media).unwrap_or_else(|| json!({"type": "object"}));
        ("application/x-www-form-urlencoded", schema)
    } else if let Some((_, media)) = content.iter().find(|(k, m)| {
        essence(k) == "text/plain"
            && m.get("schema").is_some_and(|s| {
                s.get("type").and_then(Value::as_str) == Some("string")
                    && s.as_object().is_some_and(|o| {
                        ![
                            "format",
                            "pattern",
                            "enum",
                            "minLength",
                            "maxLength",
                            "default",
                            "nullable",
                        ]
                        .iter()
                        .any(|key| o.contains_key(*key))
                    })
            })
    }) {
        let _ = media;
        ("text/plain", json!({"type": "string"}))
    } else if content.keys().all(|k| essence(k) == "multipart/form-data") {
        // progenitor has no multipart body: the caller sends the encoded bytes and sets
        // `Content-Type: multipart/form-data; boundary=...` per call (the crate docs
        // list these operations and say how).
        op.insert("x-tasks-sdk-multipart".into(), json!(true));
        let content = op
            .get_mut("requestBody")
            .and_then(|b| b.get_mut("content"))
            .and_then(Value::as_object_mut)
            .expect("checked above");
        content.clear();
        content.insert(
            "application/octet-stream".into(),
            json!({"schema": {"type": "string", "format": "binary"}}),
        );
        return None;
    } else {
        (
            "application/octet-stream",
            json!({"type": "string", "format": "binary"}),
        )
    };
    let (media_type, schema) = chosen;
    content.clear();
    content.insert(media_type.into(), json!({ "schema": schema }));
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_become_what_progenitor_reads() {
        let mut doc = json!({"paths": {
            "/json": {"post": {
                "requestBody": {"content": {
                    "application/xml": {"schema": {"type": "object"}},
                    "application/vnd.api+json": {"schema": {"$ref": "#/components/schemas/A"}, "encoding": {}}
                }},
                "responses": {
                    "200": {"content": {"application/problem+json": {}, "text/html": {}}},
                    "400": {"content": {"text/plain": {"schema": {"type": "string"}}}}
                }
            }},
            "/bytes": {"put": {"requestBody": {"content": {"image/png": {}}}, "responses": {"204": {}}}},
            "/text": {"put": {"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}}}, "responses": {"204": {}}}},
            "/form": {"put": {"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}, "encoding": {"a": {}}}}}, "responses": {"204": {}}}},
            "/multipart": {"post": {"operationId": "upload", "requestBody": {"content": {"multipart/form-data": {}}}, "responses": {"204": {}}}},
            "/empty": {"post": {"requestBody": {"content": {}}, "responses": {"204": {}}}}
        }});
        normalize_media_types(&mut doc);
        let paths = &doc["paths"];
        assert_eq!(
            paths["/json"]["post"]["requestBody"]["content"],
            json!({"application/json": {"schema": {"$ref": "#/components/schemas/A"}}})
        );
        assert_eq!(
            paths["/json"]["post"]["responses"]["200"]["content"],
            json!({"application/json": {"schema": {}}})
        );
        assert_eq!(
            paths["/json"]["post"]["responses"]["400"]["content"],
            json!({"text/plain": {"schema": {"type": "string"}}}),
            "non-JSON responses stay: progenitor returns their bytes"
        );
        assert_eq!(
            paths["/bytes"]["put"]["requestBody"]["content"],
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(
            paths["/text"]["put"]["requestBody"]["content"],
            json!({"text/plain": {"schema": {"type": "string"}}})
        );
        assert_eq!(
            paths["/form"]["put"]["requestBody"]["content"],
            json!({"application/x-www-form-urlencoded": {"schema": {"type": "object"}}})
        );
        let upload = &paths["/multipart"]["post"];
        assert_eq!(
            upload["requestBody"]["content"],
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(upload["x-tasks-sdk-multipart"], true);
        assert!(paths["/empty"]["post"].get("requestBody").is_none());
    }
}

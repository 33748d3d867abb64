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
///   `application/octet-stream` body of bytes;
/// - what progenitor would lose is kept for the emitters, on the operation: the JSON
///   media types its responses declare when one is not `application/json`
///   ([`ACCEPT`]: the request's `Accept`), the JSON-like media type of its request body
///   when it is not `application/json` and of a byte body when the document names one
///   media type (`image/png`) ([`CONTENT_TYPE`]: the body's `Content-Type`),
///   and a form body's `encoding` object ([`FORM_ENCODING`]);
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
                let mut declared: Vec<String> = Vec::new();
                if let Some(Value::Object(responses)) = op.get_mut("responses") {
                    for response in responses.values_mut() {
                        if let Some(media) = normalize_response_media(response)
                            && !declared.contains(&media)
                        {
                            declared.push(media);
                        }
                    }
                }
                if declared.iter().any(|m| m != "application/json") {
                    op.insert(ACCEPT.into(), json!(declared.join(", ")));
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

/// The extension holding an operation's `Accept` value, when its responses declare a
/// JSON media type other than `application/json` (`application/scim+json`).
pub const ACCEPT: &str = "x-tasks-sdk-accept";

/// The extension holding the `Content-Type` of an operation's JSON request body, when
/// it is not `application/json` (`application/merge-patch+json`).
pub const CONTENT_TYPE: &str = "x-tasks-sdk-content-type";

/// The extension holding the `encoding` object of an operation's form body.
pub const FORM_ENCODING: &str = "x-tasks-sdk-form-encoding";

/// The media type essence of a content key (`application/json; charset=utf-8`:
/// `application/json`).
fn essence_of(key: &str) -> String {
    key.split(';')
        .next()
        .unwrap_or(key)
        .trim()
        .to_ascii_lowercase()
}

/// The response's content made `application/json` when JSON-like; the media type (its
/// essence) it was declared with, if JSON-like.
fn normalize_response_media(response: &mut Value) -> Option<String> {
    let Some(Value::Object(content)) = response.get_mut("content") else {
        return None;
    };
    let json_key = content
        .keys()
        .find(|k| k.as_str() == "application/json")
        .or_else(|| content.keys().find(|k| is_json_media(k)))
        .cloned();
    let key = json_key?;
    {
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
    Some(essence_of(&key))
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
    let essence = |k: &str| essence_of(k);
    let schema_of = |media: &Value| media.get("schema").cloned();
    // What progenitor's content type loses, kept on the operation (see the rule's docs).
    let mut kept: Option<(&str, Value)> = None;
    let chosen = if let Some((key, media)) = content.iter().find(|(k, _)| is_json_media(k)) {
        let schema = schema_of(media).unwrap_or_else(|| json!({}));
        if essence(key) != "application/json" {
            kept = Some((CONTENT_TYPE, json!(essence(key))));
        }
        ("application/json", schema)
    } else if let Some((_, media)) = content
        .iter()
        .find(|(k, _)| essence(k) == "application/x-www-form-urlencoded")
    {
        let schema = schema_of(media).unwrap_or_else(|| json!({"type": "object"}));
        if let Some(encoding) = media.get("encoding").filter(|e| e.is_object()) {
            kept = Some((FORM_ENCODING, encoding.clone()));
        }
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
        // Bytes the caller gives, sent with the one media type the document names
        // (`image/png`); a choice or a wildcard (`*/*`) stays `application/octet-stream`.
        if let [key] = content.keys().collect::<Vec<_>>().as_slice()
            && !key.contains('*')
            && essence(key) != "application/octet-stream"
        {
            kept = Some((CONTENT_TYPE, json!(essence(key))));
        }
        (
            "application/octet-stream",
            json!({"type": "string", "format": "binary"}),
        )
    };
    let (media_type, schema) = chosen;
    content.clear();
    content.insert(media_type.into(), json!({ "schema": schema }));
    if let Some((key, value)) = kept {
        op.insert(key.into(), value);
    }
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

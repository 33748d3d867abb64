//! Request and response media types progenitor reads.

use serde_json::{Map, Value, json};

use crate::document;
use crate::document::naming;
use crate::normalize::components::{component_names, component_schemas, free_name};

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
/// - a `multipart/form-data` request body whose schema names properties is typed like
///   a JSON body (it
///   goes to progenitor as `application/json`, marked [`FORM_DATA`]), each binary
///   property (`format: binary`, a 3.1 `contentMediaType` that is not JSON, a
///   `contentEncoding`; or the items of an array of those) a
///   `tasks_sdk_core::FilePart` (typify's `x-rust-type`), and the emitters send it
///   encoded as multipart; one without such a schema takes raw bytes, marked
///   `x-tasks-sdk-multipart`: the caller sends the encoded form with its `Content-Type`
///   (and boundary) through per-call options; the crate docs list these operations
///   and say how;
/// - success responses say what `call()` returns ([`RESPONSE`]), when every success
///   status has the same kind of body: `text/event-stream` (events, whose data schema
///   becomes a component of its own, `<OperationId>Event`, referenced from
///   [`EVENTS`] with the terminator the document or its overlay sets,
///   `x-sse-terminator`); a binary body (any other type but `text/plain` with a string
///   schema, which is text); JSON beside `text/event-stream` in one response is
///   decoded, and the events are kept for a second call ([`EVENTS`], `beside_json`).
///   Those responses' `Accept` is their media types, then the JSON types of the others.
pub fn normalize_media_types(doc: &mut Value) {
    let mut skipped: Vec<Value> = Vec::new();
    let mut removed: Vec<(String, String)> = Vec::new();
    // `$ref`s are read in this copy of the components (the paths are being rewritten).
    let components = json!({"components": {"schemas": doc
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or_else(|| json!({}))}});
    let existing = component_names(doc);
    let mut new_schemas: Vec<(String, Value)> = Vec::new();
    // Components that are a multipart body: their binary properties become files.
    let mut form_components: Vec<String> = Vec::new();
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            for method in document::METHODS {
                let Some(Value::Object(op)) = item.get_mut(*method) else {
                    continue;
                };
                let op_id = op
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let shape = success_shape(op, &components);
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
                let mut accept: Vec<String> = match &shape {
                    Some(Shape { kind, .. }) => kind.accept(),
                    None => Vec::new(),
                };
                let typed_accept = !accept.is_empty();
                for media in &declared {
                    if !accept.contains(media) {
                        accept.push(media.clone());
                    }
                }
                if typed_accept || declared.iter().any(|m| m != "application/json") {
                    op.insert(ACCEPT.into(), json!(accept.join(", ")));
                }
                if let Some(shape) = shape {
                    shape.mark(op, &op_id, &components, &existing, &mut new_schemas);
                }
                if let Some(component) = typed_form_data(op, &components)
                    && !form_components.contains(&component)
                {
                    form_components.push(component);
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
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for name in &form_components {
            if let Some(schema) = schemas.get_mut(name) {
                files_in_form(schema, &components);
            }
        }
    }
    if !new_schemas.is_empty()
        && let Ok(schemas) = component_schemas(doc)
    {
        schemas.extend(new_schemas);
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

/// The extension marking an operation whose typed body (`application/json` to
/// progenitor) is sent as `multipart/form-data`.
pub const FORM_DATA: &str = "x-tasks-sdk-form-data";

/// The extension holding the `contentType` the `encoding` object of an operation's
/// typed `multipart/form-data` body gives some properties: `{property: media type}`.
pub const PART_TYPES: &str = "x-tasks-sdk-part-types";

/// The extension marking an operation whose `multipart/form-data` body has no schema:
/// raw bytes the caller encodes.
pub const RAW_MULTIPART: &str = "x-tasks-sdk-multipart";

/// The extension saying what an operation's success body is when it is not JSON:
/// `events` (`text/event-stream`), `download` (a binary body) or `text` (`text/plain`
/// with a string schema).
pub const RESPONSE: &str = "x-tasks-sdk-response";

/// The extension holding an operation's event stream: `data`, a `$ref` to the schema
/// of each event's data (absent: a string as it came), `terminator`, the data that
/// ends the stream, and `beside_json`, whether a JSON body is the same response's
/// other media type.
pub const EVENTS: &str = "x-tasks-sdk-events";

/// Where a document (or its overlay) sets an event stream's terminator: on the
/// operation, its response or the media type object.
pub const SSE_TERMINATOR: &str = "x-sse-terminator";

/// The `x-rust-type` typify reads for a binary property of a multipart body.
fn file_part_schema(description: Option<&Value>) -> Value {
    let mut schema = json!({
        "type": "string",
        "format": "binary",
        "x-rust-type": {
            "crate": "tasks-sdk-core",
            "version": "*",
            "path": "tasks_sdk_core::FilePart"
        }
    });
    if let Some(description) = description {
        schema["description"] = description.clone();
    }
    schema
}

/// The kind of an operation's success bodies, when not JSON (or JSON beside events).
#[derive(Clone, Debug, PartialEq)]
enum Kind {
    /// JSON; `Some(media)`: a `text/event-stream` media object beside it.
    Json(Option<Value>),
    /// `text/event-stream`, its media object.
    Events(Value),
    /// `text/plain` with a string schema.
    Text,
    /// Any other body: its media types.
    Binary(Vec<String>),
    /// No body.
    Empty,
}

impl Kind {
    /// What the request accepts for this kind (nothing: as progenitor sends it).
    fn accept(&self) -> Vec<String> {
        match self {
            Kind::Events(_) => vec!["text/event-stream".to_owned()],
            Kind::Text => vec!["text/plain".to_owned()],
            Kind::Binary(types) => types.clone(),
            Kind::Json(_) | Kind::Empty => Vec::new(),
        }
    }

    /// Equal kinds of two responses (two event streams, whatever their data).
    fn same(&self, other: &Kind) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// The success bodies of an operation, all of one kind, with the response that says
/// the most of them (the first event stream, for its terminator).
struct Shape {
    kind: Kind,
    /// The first success response's own `x-sse-terminator`, if any.
    terminator: Option<Value>,
}

impl Shape {
    /// Marks `op` with what the model reads ([`RESPONSE`], [`EVENTS`]), the event data
    /// schema added as a component when it is not one.
    fn mark(
        self,
        op: &mut Map<String, Value>,
        op_id: &str,
        doc: &Value,
        existing: &[String],
        new_schemas: &mut Vec<(String, Value)>,
    ) {
        let (events, beside_json) = match self.kind {
            Kind::Events(media) => {
                op.insert(RESPONSE.into(), json!("events"));
                (media, false)
            }
            Kind::Json(Some(media)) => (media, true),
            Kind::Text => {
                op.insert(RESPONSE.into(), json!("text"));
                return;
            }
            Kind::Binary(_) => {
                op.insert(RESPONSE.into(), json!("download"));
                return;
            }
            Kind::Json(None) | Kind::Empty => return,
        };
        let terminator = op
            .get(SSE_TERMINATOR)
            .or(self.terminator.as_ref())
            .or_else(|| events.get(SSE_TERMINATOR))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut facts = Map::new();
        if let Some(data) = event_data_schema(doc, &events) {
            let reference =
                if data.get("$ref").is_some() && data.as_object().is_some_and(|o| o.len() == 1) {
                    data
                } else {
                    let name = free_name(
                        &format!("{}Event", naming::type_name(op_id)),
                        existing,
                        new_schemas,
                    );
                    new_schemas.push((name.clone(), data));
                    json!({"$ref": format!("#/components/schemas/{name}")})
                };
            facts.insert("data".into(), reference);
        }
        if let Some(terminator) = terminator {
            facts.insert("terminator".into(), json!(terminator));
        }
        facts.insert("beside_json".into(), json!(beside_json));
        op.insert(EVENTS.into(), Value::Object(facts));
    }
}

/// The success responses (2xx, else `default`) of `op`, when they all have one kind of
/// body that is not plain JSON; their `text/event-stream` media objects become a plain
/// string schema (progenitor returns their bytes), the data schema kept by the shape.
fn success_shape(op: &mut Map<String, Value>, doc: &Value) -> Option<Shape> {
    let Some(Value::Object(responses)) = op.get_mut("responses") else {
        return None;
    };
    // As `unify_success_responses` reads them: a `101` or `default` only without a 2xx.
    let any_2xx = responses.keys().any(|code| code.starts_with('2'));
    let success =
        |code: &str| code.starts_with('2') || (!any_2xx && (code == "101" || code == "default"));
    let mut shape: Option<Shape> = None;
    for (code, response) in responses.iter() {
        if !success(code) {
            continue;
        }
        let kind = response_kind(doc, response);
        match &shape {
            None => {
                shape = Some(Shape {
                    kind,
                    terminator: response.get(SSE_TERMINATOR).cloned(),
                })
            }
            Some(first) if first.kind.same(&kind) => {}
            Some(_) => return None,
        }
    }
    let shape = shape?;
    if matches!(shape.kind, Kind::Events(_) | Kind::Json(Some(_))) {
        for (code, response) in responses.iter_mut() {
            if !success(code) {
                continue;
            }
            if let Some(Value::Object(content)) = response.get_mut("content") {
                for (key, media) in content.iter_mut() {
                    if essence_of(key) == "text/event-stream" {
                        *media = json!({"schema": {"type": "string"}});
                    }
                }
            }
        }
    }
    Some(shape)
}

/// The kind of one response's body.
fn response_kind(doc: &Value, response: &Value) -> Kind {
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        return Kind::Empty;
    };
    if content.is_empty() {
        return Kind::Empty;
    }
    let events = content
        .iter()
        .find(|(key, _)| essence_of(key) == "text/event-stream")
        .map(|(_, media)| media.clone());
    if content.keys().any(|key| is_json_media(key)) {
        return Kind::Json(events);
    }
    if let Some(events) = events {
        return Kind::Events(events);
    }
    let text = content.iter().all(|(key, media)| {
        essence_of(key) == "text/plain"
            && media.get("schema").is_some_and(|schema| {
                let schema = crate::document::schema::resolve(doc, schema);
                schema.get("type").and_then(Value::as_str) == Some("string")
                    && schema.get("format").is_none()
                    && schema.get("contentMediaType").is_none()
                    && schema.get("contentEncoding").is_none()
            })
    });
    if text {
        return Kind::Text;
    }
    let mut types: Vec<String> = Vec::new();
    for key in content.keys() {
        let essence = essence_of(key);
        if !types.contains(&essence) {
            types.push(essence);
        }
    }
    Kind::Binary(types)
}

/// The schema of one event's data in a `text/event-stream` media object, `None` for a
/// string as it came: OpenAPI 3.2's `itemSchema` (an event object's `data` property,
/// or the schema itself when it describes no event object), else the `schema`; either
/// read through a 3.1 `contentSchema` (the JSON a string holds).
fn event_data_schema(doc: &Value, media: &Value) -> Option<Value> {
    if let Some(item) = media.get("itemSchema") {
        return event_item_data(doc, item);
    }
    data_of_string(doc, media.get("schema")?)
}

/// The data schema of an `itemSchema`: an event object (properties `data`, `event`,
/// `id`, `retry`) gives its `data`; `oneOf`/`anyOf` event objects give `oneOf` their
/// data; any other schema is the data's.
fn event_item_data(doc: &Value, item: &Value) -> Option<Value> {
    let resolved = crate::document::schema::resolve(doc, item);
    if let Some(data) = resolved.pointer("/properties/data") {
        return data_of_string(doc, data);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(arms) = resolved.get(key).and_then(Value::as_array)
            && arms.iter().all(|arm| {
                crate::document::schema::resolve(doc, arm)
                    .pointer("/properties/data")
                    .is_some()
            })
        {
            let data: Vec<Option<Value>> =
                arms.iter().map(|arm| event_item_data(doc, arm)).collect();
            if data.iter().all(Option::is_none) {
                return None;
            }
            let arms: Vec<Value> = data
                .into_iter()
                .map(|d| d.unwrap_or_else(|| json!({"type": "string"})))
                .collect();
            return Some(json!({"oneOf": arms}));
        }
    }
    data_of_string(doc, item)
}

/// What a string of event data holds: its `contentSchema`; nothing for a plain
/// string; the schema itself otherwise.
fn data_of_string(doc: &Value, schema: &Value) -> Option<Value> {
    if let Some(content) = schema.get("contentSchema") {
        return Some(content.clone());
    }
    let resolved = crate::document::schema::resolve(doc, schema);
    if let Some(content) = resolved.get("contentSchema") {
        return Some(content.clone());
    }
    let is_string = resolved.get("type").and_then(Value::as_str) == Some("string")
        || resolved
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|types| types.iter().all(|t| t == "string"));
    let shapeless = resolved.as_object().is_none_or(|o| {
        o.keys().all(|k| {
            matches!(
                k.as_str(),
                "description" | "title" | "example" | "examples" | "x-sse-terminator"
            )
        })
    });
    if is_string || shapeless {
        return None;
    }
    Some(schema.clone())
}

/// A typed `multipart/form-data` body (see [`normalize_media_types`]): the content
/// becomes `application/json` with the schema, its binary properties files, and the
/// operation is marked [`FORM_DATA`]; a component body's name, whose properties are
/// made files once every operation is seen.
fn typed_form_data(op: &mut Map<String, Value>, doc: &Value) -> Option<String> {
    let content = op.get("requestBody")?.get("content")?.as_object()?;
    if content
        .keys()
        .any(|k| is_json_media(k) || essence_of(k) == "application/x-www-form-urlencoded")
    {
        return None;
    }
    let (_, media) = content
        .iter()
        .find(|(k, m)| essence_of(k) == "multipart/form-data" && m.get("schema").is_some())?;
    let mut schema = media.get("schema")?.clone();
    let part_types: Map<String, Value> = media
        .get("encoding")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, e)| {
            let content_type = e.get("contentType")?.as_str()?;
            Some((name.clone(), json!(content_type)))
        })
        .collect();
    // A schema that names no property (`{type: object}`) types nothing a file could go
    // in: raw bytes, as without a schema.
    let resolved = crate::document::schema::resolve(doc, &schema);
    if !["properties", "allOf", "oneOf", "anyOf"]
        .iter()
        .any(|key| resolved.get(*key).is_some())
    {
        return None;
    }
    let component = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned);
    if component.is_none() {
        files_in_form(&mut schema, doc);
    }
    let body = op
        .get_mut("requestBody")
        .and_then(Value::as_object_mut)
        .expect("checked above");
    body.insert(
        "content".into(),
        json!({"application/json": {"schema": schema}}),
    );
    op.insert(FORM_DATA.into(), json!(true));
    if !part_types.is_empty() {
        op.insert(PART_TYPES.into(), Value::Object(part_types));
    }
    component
}

/// Whether a property schema is a file: `format: binary`, a 3.1 `contentMediaType`
/// that is not JSON, or a `contentEncoding`.
fn is_binary(doc: &Value, schema: &Value) -> bool {
    let schema = crate::document::schema::resolve(doc, schema);
    let stringy = match schema.get("type") {
        None => true,
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(types)) => types.iter().any(|t| t == "string"),
        Some(_) => false,
    };
    stringy
        && (schema.get("format").and_then(Value::as_str) == Some("binary")
            || schema
                .get("contentMediaType")
                .and_then(Value::as_str)
                .is_some_and(|m| !is_json_media(m))
            || schema.get("contentEncoding").is_some())
}

/// The binary properties of a multipart body schema (its own, and those of its inline
/// `allOf` arms) made `tasks_sdk_core::FilePart`s; arrays of binaries, arrays of them.
/// `doc` resolves property `$ref`s.
fn files_in_form(schema: &mut Value, doc: &Value) {
    if let Some(Value::Array(arms)) = schema.get_mut("allOf") {
        for arm in arms.iter_mut() {
            if arm.get("$ref").is_none() {
                files_in_form(arm, doc);
            }
        }
    }
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return;
    };
    for property in properties.values_mut() {
        if is_binary(doc, property) {
            *property = file_part_schema(property.get("description"));
            continue;
        }
        if let Some(items) = property.get_mut("items")
            && is_binary(doc, items)
        {
            *items = file_part_schema(None);
        }
    }
}

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
        op.insert(RAW_MULTIPART.into(), json!(true));
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

    #[test]
    fn event_streams_keep_their_data_schema_and_terminator() {
        let mut doc = json!({
            "paths": {
                "/chat": {"post": {
                    "operationId": "stream_chat",
                    "x-sse-terminator": "[DONE]",
                    "responses": {
                        "200": {"content": {"text/event-stream": {"itemSchema": {
                            "type": "object",
                            "properties": {
                                "event": {"type": "string"},
                                "data": {"type": "string", "contentMediaType": "application/json",
                                         "contentSchema": {"$ref": "#/components/schemas/Chunk"}}
                            }
                        }}}},
                        "429": {"content": {"application/problem+json": {"schema": {}}}}
                    }
                }},
                "/jobs": {"get": {
                    "operationId": "get_job",
                    "responses": {"200": {"content": {
                        "application/json": {"schema": {"type": "object"}},
                        "text/event-stream": {"itemSchema": {"type": "object", "properties": {"percent": {"type": "integer"}}}}
                    }}}
                }},
                "/logs": {"get": {
                    "operationId": "logs",
                    "responses": {"200": {"x-sse-terminator": "bye", "content": {"text/event-stream": {
                        "schema": {"type": "string"}
                    }}}}
                }},
                "/legacy": {"get": {
                    "operationId": "legacy",
                    "responses": {"200": {"content": {"text/event-stream": {
                        "schema": {"type": "string", "contentSchema": {"type": "array", "items": {"type": "integer"}}}
                    }}}}
                }}
            },
            "components": {"schemas": {"Chunk": {"type": "object"}, "GetJobEvent": {"type": "string"}}}
        });
        normalize_media_types(&mut doc);
        let op = |path: &str, method: &str| doc["paths"][path][method].clone();
        let chat = op("/chat", "post");
        assert_eq!(chat[RESPONSE], "events");
        assert_eq!(
            chat[EVENTS],
            json!({"data": {"$ref": "#/components/schemas/Chunk"}, "terminator": "[DONE]", "beside_json": false})
        );
        assert_eq!(chat[ACCEPT], "text/event-stream, application/problem+json");
        assert_eq!(
            chat["responses"]["200"]["content"],
            json!({"text/event-stream": {"schema": {"type": "string"}}}),
            "progenitor returns the bytes"
        );
        // JSON beside events: decoded, the events kept; the inline data schema is a
        // component of its own, named after the operation (the next free name).
        let job = op("/jobs", "get");
        assert!(
            job.get(RESPONSE).is_none() && job.get(ACCEPT).is_none(),
            "{job}"
        );
        assert_eq!(
            job[EVENTS],
            json!({"data": {"$ref": "#/components/schemas/GetJobEvent2"}, "beside_json": true})
        );
        assert_eq!(
            doc["components"]["schemas"]["GetJobEvent2"],
            json!({"type": "object", "properties": {"percent": {"type": "integer"}}})
        );
        assert_eq!(
            job["responses"]["200"]["content"],
            json!({"application/json": {"schema": {"type": "object"}}})
        );
        // A plain string: no data schema; the response's own terminator.
        assert_eq!(
            op("/logs", "get")[EVENTS],
            json!({"terminator": "bye", "beside_json": false})
        );
        // A 3.1 `contentSchema` of the schema.
        let legacy = op("/legacy", "get");
        assert_eq!(
            doc["components"]["schemas"]["LegacyEvent"],
            json!({"type": "array", "items": {"type": "integer"}}),
            "{legacy}"
        );
    }

    #[test]
    fn binary_and_text_successes_are_marked() {
        let mut doc = json!({"paths": {
            "/pdf": {"get": {"responses": {
                "200": {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}, "image/*": {}}},
                "404": {"content": {"application/json": {"schema": {}}}}
            }}},
            "/text": {"get": {"responses": {"200": {"content": {"text/plain": {"schema": {"type": "string"}}}}}}},
            "/csv": {"get": {"responses": {"200": {"content": {"text/plain": {"schema": {"type": "object"}}, "text/csv": {}}}}}},
            "/mixed": {"get": {"responses": {"200": {"content": {"application/pdf": {}}}, "204": {}}}},
            "/json": {"get": {"responses": {"200": {"content": {"text/json": {"schema": {}}}}}}}
        }});
        normalize_media_types(&mut doc);
        let op = |path: &str| doc["paths"][path]["get"].clone();
        assert_eq!(op("/pdf")[RESPONSE], "download");
        assert_eq!(
            op("/pdf")[ACCEPT],
            "application/pdf, image/*, application/json"
        );
        assert_eq!(op("/text")[RESPONSE], "text");
        assert_eq!(op("/text")[ACCEPT], "text/plain");
        assert_eq!(op("/csv")[RESPONSE], "download");
        assert_eq!(op("/csv")[ACCEPT], "text/plain, text/csv");
        // A body and no body: bytes, as `unify_success_responses` makes them.
        assert!(op("/mixed").get(RESPONSE).is_none());
        assert!(op("/json").get(RESPONSE).is_none());
    }

    #[test]
    fn multipart_bodies_with_properties_are_typed_with_files() {
        let file = file_part_schema(None);
        let mut doc = json!({
            "paths": {
                "/inline": {"post": {"operationId": "upload", "requestBody": {"content": {"multipart/form-data": {"schema": {
                    "type": "object",
                    "properties": {
                        "file": {"type": "string", "format": "binary", "description": "The file."},
                        "image": {"contentMediaType": "image/png"},
                        "blob": {"type": "string", "contentEncoding": "base64"},
                        "doc": {"type": "string", "contentMediaType": "application/json"},
                        "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                        "logo": {"$ref": "#/components/schemas/Binary"},
                        "title": {"type": "string"}
                    }
                }, "encoding": {
                    "title": {"contentType": "text/markdown"},
                    "doc": {"contentType": "application/vnd.acme+json", "headers": {}},
                    "image": {"style": "form"}
                }}}}, "responses": {"204": {}}}},
                "/component": {"put": {"requestBody": {"content": {"multipart/form-data": {"schema": {
                    "$ref": "#/components/schemas/Avatar"
                }}}}, "responses": {"204": {}}}},
                "/untyped": {"put": {"requestBody": {"content": {"multipart/form-data": {"schema": {"type": "object"}}}}, "responses": {"204": {}}}},
                "/json-too": {"put": {"requestBody": {"content": {
                    "multipart/form-data": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                    "application/json": {"schema": {"type": "object"}}
                }}, "responses": {"204": {}}}}
            },
            "components": {"schemas": {
                "Binary": {"type": "string", "format": "binary"},
                "Avatar": {"type": "object", "properties": {"image": {"type": "string", "format": "binary"}, "alt": {"type": "string"}}}
            }}
        });
        normalize_media_types(&mut doc);
        let inline = &doc["paths"]["/inline"]["post"];
        assert_eq!(inline[FORM_DATA], true);
        let properties =
            &inline["requestBody"]["content"]["application/json"]["schema"]["properties"];
        assert_eq!(
            properties["file"],
            file_part_schema(Some(&json!("The file.")))
        );
        for name in ["image", "blob", "logo"] {
            assert_eq!(properties[name], file, "{name}");
        }
        assert_eq!(properties["files"]["items"], file);
        assert_eq!(properties["doc"]["contentMediaType"], "application/json");
        assert_eq!(properties["title"], json!({"type": "string"}));
        // The encoding's content types, kept for the parts.
        assert_eq!(
            inline[PART_TYPES],
            json!({"title": "text/markdown", "doc": "application/vnd.acme+json"})
        );
        // A component body: the component's files, its `$ref` kept.
        let component = &doc["paths"]["/component"]["put"];
        assert_eq!(component[FORM_DATA], true);
        assert!(component.get(PART_TYPES).is_none());
        assert_eq!(
            component["requestBody"]["content"],
            json!({"application/json": {"schema": {"$ref": "#/components/schemas/Avatar"}}})
        );
        assert_eq!(
            doc["components"]["schemas"]["Avatar"]["properties"]["image"],
            file
        );
        // No property: raw bytes, as without a schema.
        let untyped = &doc["paths"]["/untyped"]["put"];
        assert_eq!(untyped[RAW_MULTIPART], true);
        assert!(untyped.get(FORM_DATA).is_none());
        // JSON offered too: JSON.
        let json_too = &doc["paths"]["/json-too"]["put"];
        assert!(json_too.get(FORM_DATA).is_none());
        assert_eq!(
            json_too["requestBody"]["content"],
            json!({"application/json": {"schema": {"type": "object"}}})
        );
    }
}

//! Stage 3: rewrite a (possibly 3.1) document into the OpenAPI 3.0.3 subset progenitor
//! generates good Rust from. Every rule is generic: it looks at shapes, never at a
//! provider's name. Rules, in order:
//!
//! 1. [`inline_response_refs`]: `responses: {'401': {$ref: '#/components/responses/X'}}`
//!    is replaced by a copy of `X`, so that later rules see every response body.
//! 2. [`downgrade_schemas`] on every schema (3.1 → 3.0):
//!    - `type: [T, 'null']` → `type: T, nullable: true`;
//!    - `type: [A, B]` → in a parameter, `A` (a query string serializes any listed
//!      type); elsewhere `oneOf: [{type: A, ...}, {type: B, ...}]`, with each keyword
//!      moved to the arm whose type it constrains;
//!    - `oneOf`/`anyOf` with a `{type: 'null'}` arm → the other arm under `allOf`
//!      (several: the rest stay under `oneOf`) plus `nullable: true`;
//!    - `const: v` → `enum: [v]`;
//!    - numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (and max);
//!    - `examples: [a, ...]` → `example: a`.
//! 3. [`common_error_body`], then [`unify_error_responses`]: when the overlay declares
//!    the provider's common error schema (`info.x-provider.error_schema`), every error
//!    status listed without a body gets it as its JSON body (the runtime tries it on
//!    statuses not listed at all). progenitor allows one error body type per operation.
//!    Error responses without a body are dropped from the typed set (the runtime still
//!    classifies them by status); two or more different bodies become one component
//!    `<OperationId>ErrorBody` that is `oneOf` them (an untagged Rust enum). Without a
//!    success status, `default` (which progenitor then types as success and as error)
//!    joins the error bodies.
//! 4. [`rename_schemas`]: a component schema with `x-rust-name: N` (set by an overlay)
//!    is renamed to `N`, and every `$ref` to it follows. Then the names typify would
//!    give twice are made distinct: components whose Rust names are equal
//!    ([`distinct_type_names`], 4b), nullable components ([`nullable_at_the_references`],
//!    4c), inline properties named like a component ([`hoist_properties_named_like_components`],
//!    4d), and the properties typify builds when it merges `allOf` arms through `$ref`s
//!    ([`merged_properties_named_like_components`], 4e); an `allOf` arm that is only a
//!    map loosens ([`loosen_map_arms`], 4f).
//! 5. [`hoist_titled_enums`]: an inline string enum with a `title` becomes the component
//!    schema of that name (one for identical copies), so that it is a named type the
//!    generator can make forward-compatible.
//! 6. [`distinct_titles`]: inline schemas whose `title`s typify would turn into one type
//!    name (empty titles, a component's name, two different schemas with one title) get
//!    distinct names.
//! 7. The `openapi` field becomes `3.0.3`.

use serde_json::{Map, Value, json};

use crate::spec::naming;
use crate::spec::schema;
use crate::spec::{self, segment};

/// Runs every rule.
pub fn normalize(doc: &mut Value) -> Result<(), String> {
    unify_line_breaks(doc);
    resolve_path_items(doc);
    name_operations(doc);
    hoist_deep_refs(doc)?;
    inline_response_refs(doc)?;
    inline_request_body_refs(doc);
    normalize_media_types(doc);
    normalize_parameters(doc);
    downgrade_schemas(doc)?;
    unify_success_responses(doc)?;
    common_error_body(doc)?;
    unify_error_responses(doc)?;
    rename_schemas(doc)?;
    distinct_type_names(doc);
    nullable_at_the_references(doc);
    hoist_properties_named_like_components(doc)?;
    merged_properties_named_like_components(doc)?;
    loosen_map_arms(doc);
    hoist_titled_enums(doc)?;
    distinct_titles(doc);
    doc["openapi"] = json!("3.0.3");
    Ok(())
}

/// Prose (`description`, `summary`) with `\r\n` or a lone `\r` gets `\n`: progenitor copies
/// it into doc comments, where rustc refuses a bare CR.
pub fn unify_line_breaks(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(text) if key == "description" || key == "summary" => {
                        if text.contains('\r') {
                            *text = text.replace("\r\n", "\n").replace('\r', "\n");
                        }
                    }
                    _ => unify_line_breaks(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unify_line_breaks),
        _ => {}
    }
}

/// Rule 0a: a path item that is a `$ref` is replaced by a copy of its target (or
/// removed when the target is missing), a `paths` key that is not a path (`$ref`,
/// `x-...`) is dropped, and operations lose their `callbacks` (requests the *server*
/// makes; a client has nothing to generate for them, and progenitor cannot parse some).
pub fn resolve_path_items(doc: &mut Value) {
    let snapshot = doc.clone();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    paths.retain(|path, _| path.starts_with('/'));
    for item in paths.values_mut() {
        let mut hops = 0;
        while let Some(target) = item.get("$ref").and_then(Value::as_str).map(str::to_owned) {
            hops += 1;
            match target.strip_prefix('#').and_then(|p| snapshot.pointer(p)) {
                Some(resolved) if hops <= 16 && resolved.is_object() => *item = resolved.clone(),
                _ => {
                    *item = json!({});
                    break;
                }
            }
        }
        for method in spec::METHODS {
            if let Some(Value::Object(op)) = item.get_mut(*method) {
                op.shift_remove("callbacks");
            }
        }
    }
}

/// Rule 0: every operation gets an `operationId` whose Rust method name is unique.
///
/// An operation without one is named from its method and path: literal segments in
/// snake case, `{param}` segments as `by_<param>`, e.g. `GET /pets/{petId}/toys` →
/// `get_pets_by_pet_id_toys`, `GET /` → `get_root`. Where two operations would get
/// the same method name (a derived name equal to another, or ids such as `getUser` and
/// `get_user` that progenitor spells alike), the later one in document order gets
/// `_2`, `_3`, ... An overlay can set any operation's `operationId` instead.
pub fn name_operations(doc: &mut Value) {
    let ops: Vec<(String, String, Option<String>)> = spec::operations(doc)
        .iter()
        .map(|op| {
            let id = op
                .op
                .get("operationId")
                .and_then(Value::as_str)
                .filter(|id| !id.trim().is_empty())
                .map(str::to_owned);
            (op.path.to_owned(), op.method.to_owned(), id)
        })
        .collect();
    let mut used = std::collections::BTreeSet::new();
    let mut renames = Vec::new();
    for (path, method, id) in &ops {
        match id {
            Some(id) if used.insert(naming::method_name(id)) => {}
            Some(id) => renames.push((path, method, naming::method_name(id))),
            None => renames.push((path, method, derived_operation_id(method, path))),
        }
    }
    for (path, method, base) in renames {
        let mut name = base.clone();
        let mut n = 1;
        while !used.insert(name.clone()) {
            n += 1;
            name = format!("{base}_{n}");
        }
        doc["paths"][path.as_str()][method.as_str()]["operationId"] = json!(name);
    }
}

/// `get` + `/pets/{petId}/toys` → `get_pets_by_pet_id_toys`.
pub fn derived_operation_id(method: &str, path: &str) -> String {
    let mut words = vec![method.to_owned()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{param}")),
            None => words.push(segment.to_owned()),
        }
    }
    if words.len() == 1 {
        words.push("root".into());
    }
    naming::method_name(&words.join("_"))
}

/// Rule 1b: `requestBody: {$ref: '#/components/requestBodies/X'}` is replaced by a
/// copy of `X`, so that rule 1c sees its media types.
pub fn inline_request_body_refs(doc: &mut Value) {
    let snapshot = doc.clone();
    let _ = for_each_operation(doc, |op, _| {
        let mut hops = 0;
        while let Some(Value::String(target)) = op.get("requestBody").and_then(|b| b.get("$ref")) {
            let resolved = target
                .strip_prefix('#')
                .and_then(|p| snapshot.pointer(p))
                .cloned();
            hops += 1;
            match resolved {
                Some(body) if hops <= 16 => {
                    op.insert("requestBody".into(), body);
                }
                _ => break,
            }
        }
        Ok(())
    });
}

/// Where progenitor 0.15 reads bodies: `application/json` (exactly), form-urlencoded,
/// `application/octet-stream` with a binary string, `text/plain` with a plain string.
fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or(media).trim();
    essence == "application/json" || essence.ends_with("+json") || essence.ends_with("/json")
}

/// Rule 1c: media types progenitor understands. For every operation:
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
            for method in spec::METHODS {
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

/// Rule 1d: parameters progenitor 0.15 can send: `form` query parameters, `simple`
/// path and header parameters, each with a `schema`.
///
/// - `spaceDelimited`/`pipeDelimited` query arrays become one `form` string parameter:
///   the caller passes the already-joined value (`"a b"`, `"a|b"`), which is exactly
///   what the style puts on the wire;
/// - a parameter described by `content` (e.g. JSON in a query string) or with no schema
///   becomes a string the caller serializes;
/// - an optional `deepObject` query parameter or cookie parameter is left out of the
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
        for method in spec::METHODS {
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

/// Rule 3a: progenitor allows one success type per operation. `default` next to a
/// success status describes errors: it becomes `4XX` and `5XX` (where the document
/// has no such range), so that rule 3b types it. Success responses (2xx) with
/// different JSON schemas (`101` counts as a success, as in progenitor; one without a
/// body next to a 2xx is dropped) become one
/// component `<OperationId>SuccessBody` that is
/// `oneOf` them; a mix of JSON and non-JSON or empty success bodies (200 with a body
/// and 204 without, say) is returned as bytes (`ByteStream`) for every success status.
pub fn unify_success_responses(doc: &mut Value) -> Result<(), String> {
    let mut new_schemas: Vec<(String, Value)> = Vec::new();
    let existing = component_names(doc);
    for_each_operation(doc, |op, _| {
        let op_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return Ok(());
        };
        let is_success = is_success_status;
        // A `101` without a JSON body is a protocol switch (progenitor: `Upgraded`) that
        // differs from any 2xx type: next to a 2xx, the client takes the 2xx.
        if responses.keys().any(|c| c.starts_with('2')) {
            responses.retain(|code, response| code != "101" || json_schema(response).is_some());
        }
        if responses.keys().any(|c| is_success(c))
            && let Some(default) = responses.shift_remove("default")
        {
            for range in ["4XX", "5XX"] {
                if !responses.keys().any(|c| c.eq_ignore_ascii_case(range)) {
                    responses.insert(range.into(), default.clone());
                }
            }
        }
        let kinds: Vec<Option<Value>> = responses
            .iter()
            .filter(|(c, _)| is_success(c) || c.as_str() == "default")
            .map(|(_, r)| kind_of(r))
            .collect();
        if kinds.len() < 2 {
            return Ok(());
        }
        let all_json = kinds.iter().all(|k| matches!(k, Some(Value::Object(_))));
        if all_json {
            merge_bodies(
                responses,
                |code| is_success(code) || code == "default",
                &op_id,
                "success",
                &existing,
                &mut new_schemas,
            );
            return Ok(());
        }
        let all_same = kinds.windows(2).all(|w| w[0] == w[1]);
        if !all_same {
            for (code, response) in responses.iter_mut() {
                if (is_success(code) || code == "default") && response.is_object() {
                    response["content"] = json!({
                        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                    });
                }
            }
        }
        Ok(())
    })?;
    if !new_schemas.is_empty() {
        component_schemas(doc)?.extend(new_schemas);
    }
    Ok(())
}

/// A response as progenitor sorts it: `Some(schema)` for a JSON body, `Some("raw")`
/// for another body, `None` for no body.
fn kind_of(response: &Value) -> Option<Value> {
    let content = response.get("content").and_then(Value::as_object)?;
    if content.is_empty() {
        return None;
    }
    match content.get("application/json") {
        Some(media) => Some(media.get("schema").cloned().unwrap_or_else(|| json!({}))),
        None => Some(json!("raw")),
    }
}

/// Rule 0b: a `$ref` into the inside of something (`#/components/schemas/A/properties/b`,
/// `#/components/parameters/P/schema`, `#/paths/~1x/get/responses/200/content/...`)
/// is legal JSON Reference but progenitor resolves only `#/components/<kind>/<name>`:
/// the target is copied into a component schema named after its last words
/// (`#/components/schemas/Address/definitions/addressType` → `AddressTypeRef`... see
/// [`deep_ref_name`]) and every such `$ref` points there.
pub fn hoist_deep_refs(doc: &mut Value) -> Result<(), String> {
    for _round in 0..8 {
        let mut refs = Vec::new();
        spec_refs(doc, &mut refs);
        let deep: Vec<String> = {
            let mut d: Vec<String> = refs.into_iter().filter(|r| is_deep_ref(r)).collect();
            d.sort();
            d.dedup();
            d
        };
        if deep.is_empty() {
            return Ok(());
        }
        let mut taken: Vec<String> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        let mut renames: Vec<(String, String)> = Vec::new();
        let mut new_schemas: Vec<(String, Value)> = Vec::new();
        for target in deep {
            let Some(value) = target.strip_prefix('#').and_then(|p| doc.pointer(p)) else {
                continue; // dangling: check_refs reports it
            };
            if !value.is_object() && !value.is_boolean() {
                continue; // not a schema (a string, a number): nothing to name
            }
            let base = deep_ref_name(&target);
            let mut name = base.clone();
            let mut n = 1;
            while taken.contains(&name) {
                n += 1;
                name = format!("{base}{n}");
            }
            taken.push(name.clone());
            new_schemas.push((name.clone(), value.clone()));
            renames.push((target, format!("#/components/schemas/{name}")));
        }
        let schemas = component_schemas(doc)?;
        schemas.extend(new_schemas);
        rewrite_ref_targets(doc, &renames);
    }
    Err("`$ref`s into the inside of other `$ref` targets nest more than 8 deep".into())
}

/// The `$ref`s of the document, outside examples and outside the values of
/// specification extensions (`x-code-samples: [{source: {$ref: ...}}]` is the
/// extension's own business, not a schema).
fn spec_refs(value: &Value, out: &mut Vec<String>) {
    spec_refs_in(value, "", out);
}

/// Maps whose keys are names (a property or a schema called `x-id`), not keywords.
const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "definitions",
    "$defs",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "content",
    "paths",
    "encoding",
];

fn spec_refs_in(value: &Value, parent_key: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let names = NAME_MAPS.contains(&parent_key);
            for (key, child) in map {
                match child {
                    Value::String(target) if key == "$ref" => out.push(target.clone()),
                    _ if key == "example" || key == "examples" => {}
                    _ if key.starts_with("x-") && !names => {}
                    _ => spec_refs_in(child, key, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| spec_refs_in(v, "", out)),
        _ => {}
    }
}

fn rewrite_ref_targets(value: &mut Value, renames: &[(String, String)]) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(target) if key == "$ref" => {
                        if let Some((_, to)) = renames.iter().find(|(from, _)| from == target) {
                            *target = to.clone();
                        }
                    }
                    _ if key == "example" || key == "examples" => {}
                    _ => rewrite_ref_targets(child, renames),
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| rewrite_ref_targets(v, renames)),
        _ => {}
    }
}

/// Local and pointing below `#/components/<kind>/<name>`, or into `paths`.
fn is_deep_ref(target: &str) -> bool {
    let Some(pointer) = target.strip_prefix("#/") else {
        return false;
    };
    let segments: Vec<&str> = pointer.split('/').collect();
    match segments.first() {
        Some(&"components") => segments.len() > 3,
        Some(&"paths") => true,
        _ => false,
    }
}

/// The last two words of a pointer that say what it is, in Pascal case:
/// `#/components/schemas/Address/definitions/addressType` → `AddressAddressType`,
/// `#/components/parameters/companyId/schema` → `CompanyId`,
/// `#/paths/~1returns/get/responses/200/content/application~1json/schema` →
/// `ReturnsGet200`.
pub fn deep_ref_name(target: &str) -> String {
    const NOISE: &[&str] = &[
        "",
        "#",
        "components",
        "schemas",
        "properties",
        "definitions",
        "items",
        "content",
        "schema",
        "paths",
        "responses",
        "parameters",
        "requestBodies",
        "requestBody",
        "headers",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "not",
    ];
    let words: Vec<String> = target
        .split('/')
        .map(spec::from_pointer_token)
        .filter(|s| {
            !NOISE.contains(&s.as_str()) && !s.contains('/') && s.parse::<usize>().is_err()
                || s.parse::<u16>().is_ok_and(|n| (100..600).contains(&n))
        })
        .collect();
    let path_words: Vec<String> = target
        .split('/')
        .map(spec::from_pointer_token)
        .filter(|s| s.starts_with('/'))
        .flat_map(|s| {
            s.split('/')
                .filter(|w| !w.is_empty() && !w.starts_with('{'))
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    let mut all = path_words;
    all.extend(words);
    let start = all
        .len()
        .saturating_sub(if target.starts_with("#/paths/") { 3 } else { 2 });
    let name = crate::spec::naming::type_name(&all[start..].join("-"));
    if name == "X" { "Ref".into() } else { name }
}

/// Rule 1.
pub fn inline_response_refs(doc: &mut Value) -> Result<(), String> {
    let snapshot = doc.clone();
    for_each_operation(doc, |op, at| {
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return Ok(());
        };
        for (code, response) in responses.iter_mut() {
            let mut hops = 0;
            while let Some(Value::String(target)) = response.get("$ref") {
                let pointer = target.strip_prefix('#').unwrap_or(target);
                let resolved = snapshot.pointer(pointer).ok_or_else(|| {
                    format!(
                        "dangling $ref {target:?} at {at}.responses{}",
                        segment(code)
                    )
                })?;
                *response = resolved.clone();
                hops += 1;
                if hops > 16 {
                    return Err(format!("$ref cycle at {at}.responses{}", segment(code)));
                }
            }
        }
        Ok(())
    })
}

fn for_each_operation(
    doc: &mut Value,
    mut f: impl FnMut(&mut Map<String, Value>, &str) -> Result<(), String>,
) -> Result<(), String> {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return Ok(());
    };
    for (path, item) in paths.iter_mut() {
        for method in spec::METHODS {
            if let Some(Value::Object(op)) = item.get_mut(*method) {
                f(op, &format!("$.paths{}.{method}", segment(path)))?;
            }
        }
    }
    Ok(())
}

/// Where a schema sits: a parameter's schema is serialized into a query string or path.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Context {
    Parameter,
    Body,
}

/// Rule 2, applied to every schema position of the document.
pub fn downgrade_schemas(doc: &mut Value) -> Result<(), String> {
    visit_schema_positions(doc, &mut |schema, ctx, at| walk_schema(schema, ctx, at))
}

/// Calls `f` on every top-level schema: components, parameters, bodies, headers.
fn visit_schema_positions(
    doc: &mut Value,
    f: &mut dyn FnMut(&mut Value, Context, &str) -> Result<(), String>,
) -> Result<(), String> {
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for (name, schema) in schemas.iter_mut() {
                f(
                    schema,
                    Context::Body,
                    &format!("$.components.schemas{}", segment(name)),
                )?;
            }
        }
        if let Some(Value::Object(params)) = components.get_mut("parameters") {
            for (name, param) in params.iter_mut() {
                let at = format!("$.components.parameters{}", segment(name));
                if let Some(schema) = param.get_mut("schema") {
                    f(schema, Context::Parameter, &format!("{at}.schema"))?;
                }
            }
        }
        for group in ["responses", "requestBodies"] {
            if let Some(Value::Object(items)) = components.get_mut(group) {
                for (name, item) in items.iter_mut() {
                    visit_body(item, &format!("$.components.{group}{}", segment(name)), f)?;
                }
            }
        }
        if let Some(Value::Object(headers)) = components.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                if let Some(schema) = header.get_mut("schema") {
                    f(
                        schema,
                        Context::Parameter,
                        &format!("$.components.headers{}.schema", segment(name)),
                    )?;
                }
            }
        }
    }
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return Ok(());
    };
    for (path, item) in paths.iter_mut() {
        let item_at = format!("$.paths{}", segment(path));
        visit_parameters(item, &item_at, f)?;
        for method in spec::METHODS {
            let Some(op) = item.get_mut(*method) else {
                continue;
            };
            let at = format!("{item_at}.{method}");
            visit_parameters(op, &at, f)?;
            if let Some(body) = op.get_mut("requestBody") {
                visit_body(body, &format!("{at}.requestBody"), f)?;
            }
            if let Some(Value::Object(responses)) = op.get_mut("responses") {
                for (code, response) in responses.iter_mut() {
                    visit_body(response, &format!("{at}.responses{}", segment(code)), f)?;
                }
            }
        }
    }
    Ok(())
}

fn visit_parameters(
    holder: &mut Value,
    at: &str,
    f: &mut dyn FnMut(&mut Value, Context, &str) -> Result<(), String>,
) -> Result<(), String> {
    if let Some(Value::Array(params)) = holder.get_mut("parameters") {
        for (i, param) in params.iter_mut().enumerate() {
            if let Some(schema) = param.get_mut("schema") {
                f(
                    schema,
                    Context::Parameter,
                    &format!("{at}.parameters[{i}].schema"),
                )?;
            }
        }
    }
    Ok(())
}

/// A response or request body: `content.*.schema` and `headers.*.schema`.
fn visit_body(
    body: &mut Value,
    at: &str,
    f: &mut dyn FnMut(&mut Value, Context, &str) -> Result<(), String>,
) -> Result<(), String> {
    if let Some(Value::Object(content)) = body.get_mut("content") {
        for (media, media_type) in content.iter_mut() {
            if let Some(schema) = media_type.get_mut("schema") {
                f(
                    schema,
                    Context::Body,
                    &format!("{at}.content{}.schema", segment(media)),
                )?;
            }
        }
    }
    if let Some(Value::Object(headers)) = body.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            if let Some(schema) = header.get_mut("schema") {
                f(
                    schema,
                    Context::Parameter,
                    &format!("{at}.headers{}.schema", segment(name)),
                )?;
            }
        }
    }
    Ok(())
}

/// Rewrites one schema, then the schemas nested in it (including arms it just created).
fn walk_schema(schema: &mut Value, ctx: Context, at: &str) -> Result<(), String> {
    // JSON Schema's boolean schemas (3.1): `true` is any value; `false` (nothing may
    // match) is loosened to any value too: 3.0 has no spelling for it that typify reads.
    // (`additionalProperties: false` is read as it is: the keyword is skipped below, a
    // property called `additionalProperties` is not.)
    if schema.is_boolean() {
        *schema = json!({});
    }
    let Value::Object(obj) = schema else {
        return Ok(());
    };
    downgrade_schema(obj, ctx, at)?;
    let allof_arm = at
        .rsplit('.')
        .next()
        .is_some_and(|last| last.starts_with("allOf["));
    if !allof_arm {
        drop_undeclared_required(obj);
    }
    schema::for_each_child_mut(obj, |child, place| {
        walk_schema(child, ctx, &place.location(at))
    })
}

/// The keywords that constrain only one JSON type, so a split `oneOf` arm can take them.
fn keyword_type(keyword: &str, format: Option<&str>) -> Option<&'static str> {
    Some(match keyword {
        "pattern" | "minLength" | "maxLength" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" => "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => {
            "object"
        }
        "format" => match format {
            Some("int32" | "int64" | "float" | "double") => "number",
            _ => "string",
        },
        _ => return None,
    })
}

fn applies_to(keyword_type: &str, ty: &str) -> bool {
    keyword_type == ty || (keyword_type == "number" && ty == "integer")
}

fn is_null_schema(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => {
            matches!(schema.get("enum"), Some(Value::Array(vs)) if vs.iter().all(Value::is_null) && !vs.is_empty())
        }
    }
}

/// JSON Schema 2020-12 keywords (OpenAPI 3.1) that 3.0 cannot express and no rule
/// rewrites yet: a clear error beats a silently different client.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "prefixItems",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "$dynamicRef",
    "$defs",
];

/// JSON Schema 2020-12 keywords that only validate (which map keys, array members or
/// companion properties are allowed) and never change the shape of a value: they are
/// dropped, and the client accepts what the validator would have refused.
const VALIDATION_ONLY_KEYWORDS: &[&str] = &[
    "propertyNames",
    "contains",
    "minContains",
    "maxContains",
    "dependentRequired",
];

/// Keywords whose value is not of the JSON type the specification gives them
/// (`pattern: 0`, `type: {...}`, `required: true` from Swagger 2, `minLength: "1"`):
/// openapiv3 refuses the whole document for one of them. A number written as a string
/// is read as the number; anything else that is malformed is dropped, which only
/// loosens the schema.
fn sanitize_keyword_types(obj: &mut Map<String, Value>) {
    const STRINGS: &[&str] = &["pattern", "format", "title", "description"];
    const COUNTS: &[&str] = &[
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    ];
    const NUMBERS: &[&str] = &["minimum", "maximum", "multipleOf"];
    const FLAGS: &[&str] = &[
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "uniqueItems",
    ];
    for key in STRINGS {
        if obj.get(*key).is_some_and(|v| !v.is_string()) {
            obj.shift_remove(*key);
        }
    }
    for key in COUNTS.iter().chain(NUMBERS) {
        let Some(value) = obj.get(*key) else { continue };
        let number = match value {
            Value::Number(n) => n.as_f64(),
            Value::String(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|n| n.is_finite());
        let fixed = match number {
            Some(n) if COUNTS.contains(key) => {
                (n >= 0.0 && n.fract() == 0.0).then(|| json!(n as u64))
            }
            Some(_) if value.is_number() => Some(value.clone()),
            Some(n) => Some(json!(n)),
            None => None,
        };
        match fixed {
            Some(v) => {
                obj.insert((*key).to_owned(), v);
            }
            None => {
                obj.shift_remove(*key);
            }
        }
    }
    for key in FLAGS {
        if obj.get(*key).is_some_and(|v| !v.is_boolean()) {
            obj.shift_remove(*key);
        }
    }
    if obj.get("type").is_some_and(|t| {
        !t.is_string() && !t.as_array().is_some_and(|a| a.iter().all(Value::is_string))
    }) {
        obj.shift_remove("type");
    }
    match obj.get_mut("required") {
        Some(Value::Array(names)) => names.retain(Value::is_string),
        Some(_) => {
            obj.shift_remove("required");
        }
        None => {}
    }
    if obj.get("enum").is_some_and(|e| !e.is_array()) {
        obj.shift_remove("enum");
    }
    if obj.get("properties").is_some_and(|p| !p.is_object()) {
        obj.shift_remove("properties");
    }
    // Draft-4 tuple `items: [a, b]`: 3.0 has one item schema; the first is the best guess.
    if let Some(Value::Array(tuple)) = obj.get("items") {
        let first = tuple.first().cloned().unwrap_or_else(|| json!({}));
        obj.insert("items".into(), first);
    }
    if obj.get("items").is_some_and(|i| !i.is_object()) {
        obj.insert("items".into(), json!({}));
    }
    if obj
        .get("additionalProperties")
        .is_some_and(|a| !a.is_object() && !a.is_boolean())
    {
        obj.shift_remove("additionalProperties");
    }
}

/// A schema with no `type`, no composition and no `$ref`, whose keywords say what it
/// is, gets that `type`: `format: date-time` → string, `format: int64` → integer, and
/// `properties` → object (dropping array keywords that typify cannot combine with it).
fn infer_missing_type(obj: &mut Map<String, Value>) {
    if obj.contains_key("type")
        || obj.contains_key("$ref")
        || ["oneOf", "anyOf", "allOf", "not"]
            .iter()
            .any(|k| obj.contains_key(*k))
    {
        return;
    }
    if let Some(Value::Array(values)) = obj.get("enum") {
        infer_enum_type(obj, &values.clone());
        return;
    }
    if obj.contains_key("properties") {
        for key in ["items", "minItems", "maxItems", "uniqueItems", "format"] {
            obj.shift_remove(key);
        }
        return;
    }
    let inferred = match obj.get("format").and_then(Value::as_str) {
        Some("int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64") => {
            "integer"
        }
        Some("float" | "double") => "number",
        Some(_) => "string",
        None => return,
    };
    obj.insert("type".into(), json!(inferred));
}

/// `required` names that `properties` does not declare, in a schema that composes
/// nothing, are dropped: they only validate (the generated struct has no field for
/// them), and typify asserts on a `oneOf` arm whose one property is not its one
/// required name. An arm of `allOf` keeps them (a sibling arm may declare them).
fn drop_undeclared_required(obj: &mut Map<String, Value>) {
    if ["allOf", "oneOf", "anyOf", "$ref"]
        .iter()
        .any(|k| obj.contains_key(*k))
    {
        return;
    }
    let Some(Value::Object(properties)) = obj.get("properties") else {
        return;
    };
    let declared: Vec<String> = properties.keys().cloned().collect();
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.retain(|name| {
            name.as_str()
                .is_some_and(|n| declared.iter().any(|d| d == n))
        });
    }
}

/// An `enum` without a `type` gets the JSON type its values share (typify names the
/// variants of a string enum, and rule 5 can hoist it; untyped, `==` and `<=` had no
/// names). Values of several JSON types (`[true, false, 0, 1]`), which typify cannot
/// type, leave an untyped schema: any JSON value.
fn infer_enum_type(obj: &mut Map<String, Value>, values: &[Value]) {
    let mut types: Vec<&str> = Vec::new();
    for value in values {
        let ty = match value {
            Value::Null => continue,
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) | Value::Object(_) => return,
        };
        if !types.contains(&ty) {
            types.push(ty);
        }
    }
    if types.len() == 2 && types.contains(&"integer") && types.contains(&"number") {
        types = vec!["number"];
    }
    match types.as_slice() {
        [] => {}
        [ty] => {
            obj.insert("type".into(), json!(ty));
        }
        _ => {
            obj.shift_remove("enum");
            obj.shift_remove("default");
        }
    }
}

/// Rule 2 on one schema object.
fn downgrade_schema(obj: &mut Map<String, Value>, ctx: Context, at: &str) -> Result<(), String> {
    for keyword in VALIDATION_ONLY_KEYWORDS {
        obj.shift_remove(*keyword);
    }
    if let Some(keyword) = UNSUPPORTED_KEYWORDS.iter().find(|k| obj.contains_key(**k)) {
        return Err(format!(
            "`{keyword}` (JSON Schema 2020-12 / OpenAPI 3.1) is not supported by the normalizer yet at {at}{}",
            segment(keyword)
        ));
    }
    sanitize_keyword_types(obj);
    infer_missing_type(obj);
    let mut nullable = false;

    // `type: 'null'` is `type: ['null']`: next to `oneOf` (or another composition) it
    // can only mean "or null", alone it is the one value `null`.
    if obj.get("type").and_then(Value::as_str) == Some("null") {
        obj.insert("type".into(), json!(["null"]));
    }
    if let Some(Value::Array(types)) = obj.get("type") {
        let mut names = Vec::new();
        for t in types {
            match t.as_str() {
                Some("null") => nullable = true,
                Some(name) => names.push(name.to_owned()),
                None => return Err(format!("`type` lists a non-string {t} at {at}.type")),
            }
        }
        obj.shift_remove("type");
        let composed = ["oneOf", "anyOf", "allOf", "$ref"]
            .iter()
            .any(|k| obj.contains_key(*k));
        match names.len() {
            0 if composed => {}
            0 => {
                obj.insert("enum".into(), json!([null]));
            }
            1 => {
                obj.insert("type".into(), json!(names[0]));
            }
            _ if ctx == Context::Parameter => {
                let first = names[0].clone();
                let format = obj.get("format").and_then(Value::as_str).map(str::to_owned);
                obj.retain(|k, _| {
                    keyword_type(k, format.as_deref()).is_none_or(|kt| applies_to(kt, &first))
                });
                obj.insert("type".into(), json!(first));
            }
            _ => {
                let format = obj.get("format").and_then(Value::as_str).map(str::to_owned);
                let mut arms: Vec<Map<String, Value>> = names
                    .iter()
                    .map(|name| Map::from_iter([("type".to_owned(), json!(name))]))
                    .collect();
                let keys: Vec<String> = obj.keys().cloned().collect();
                for key in keys {
                    let Some(kt) = keyword_type(&key, format.as_deref()) else {
                        continue;
                    };
                    let value = obj.shift_remove(&key).expect("listed key");
                    for (arm, name) in arms.iter_mut().zip(&names) {
                        if applies_to(kt, name) {
                            arm.insert(key.clone(), value.clone());
                        }
                    }
                }
                obj.insert(
                    "oneOf".into(),
                    Value::Array(arms.into_iter().map(Value::Object).collect()),
                );
            }
        }
    }

    // `allOf: [{$ref: A}, {type: 'null'}]` (nothing could match both) means the same.
    if let Some(Value::Array(arms)) = obj.get_mut("allOf") {
        let before = arms.len();
        arms.retain(|arm| !is_null_schema(arm));
        if arms.len() < before {
            nullable = true;
            if arms.is_empty() {
                obj.shift_remove("allOf");
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(arms)) = obj.get_mut(key) else {
            continue;
        };
        let before = arms.len();
        arms.retain(|arm| !is_null_schema(arm));
        if arms.len() == before {
            continue;
        }
        nullable = true;
        let rest = std::mem::take(arms);
        obj.shift_remove(key);
        match rest.len() {
            0 => {}
            1 => match obj.get_mut("allOf") {
                Some(Value::Array(all)) => all.extend(rest),
                _ => {
                    obj.insert("allOf".into(), Value::Array(rest));
                }
            },
            _ => {
                obj.insert(key.into(), Value::Array(rest));
            }
        }
    }

    if ctx == Context::Parameter {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(arms)) = obj.get(key) else {
                continue;
            };
            if let Some(Value::Object(union)) = scalar_union(arms) {
                obj.shift_remove(key);
                obj.extend(union);
            }
        }
    }

    if let Some(value) = obj.shift_remove("const") {
        obj.insert("enum".into(), json!([value]));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if obj.get(exclusive).is_some_and(Value::is_number) {
            let value = obj.shift_remove(exclusive).expect("checked");
            obj.insert(bound.into(), value);
            obj.insert(exclusive.into(), json!(true));
        }
    }
    if let Some(Value::Array(examples)) = obj.get("examples") {
        let first = examples.first().cloned();
        obj.shift_remove("examples");
        if let Some(first) = first {
            obj.entry("example").or_insert(first);
        }
    }
    if nullable {
        obj.insert("nullable".into(), json!(true));
    }
    conform_values(obj);
    distinct_field_names(obj);
    Ok(())
}

/// Rule 2 on a parameter's `anyOf`/`oneOf` whose arms are all scalars (or all arrays of
/// them): a query string or header carries any of them as text, while typify makes an
/// `anyOf` a struct of optional members (which progenitor cannot take as an optional
/// parameter, and which has no text form). The union becomes one schema: the arms'
/// type when they share it (with their `format` and `enum` values when every arm has
/// the same format, or an enum), else `string`; arrays get the union of their items.
fn scalar_union(arms: &[Value]) -> Option<Value> {
    const SCALARS: &[&str] = &["string", "integer", "number", "boolean"];
    let arms: Vec<&Map<String, Value>> =
        arms.iter().map(Value::as_object).collect::<Option<_>>()?;
    if arms.is_empty() || arms.iter().any(|a| a.contains_key("$ref")) {
        return None;
    }
    let types: Vec<&str> = arms
        .iter()
        .map(|a| a.get("type").and_then(Value::as_str))
        .collect::<Option<_>>()?;
    if types.iter().all(|t| *t == "array") {
        let items: Vec<Value> = arms
            .iter()
            .map(|a| a.get("items").cloned())
            .collect::<Option<_>>()?;
        return Some(json!({"type": "array", "items": scalar_union(&items)?}));
    }
    if !types.iter().all(|t| SCALARS.contains(t)) {
        return None;
    }
    if !types.iter().all(|t| *t == types[0]) {
        return Some(json!({"type": "string"}));
    }
    let mut union = Map::new();
    union.insert("type".into(), json!(types[0]));
    let formats: Vec<Option<&Value>> = arms.iter().map(|a| a.get("format")).collect();
    if let Some(Some(format)) = formats.first()
        && formats.iter().all(|f| *f == Some(*format))
    {
        union.insert("format".into(), (*format).clone());
    }
    let enums: Option<Vec<&Vec<Value>>> = arms
        .iter()
        .map(|a| a.get("enum").and_then(Value::as_array))
        .collect();
    if let Some(enums) = enums {
        let mut values: Vec<Value> = Vec::new();
        for value in enums.into_iter().flatten() {
            if !values.contains(value) {
                values.push(value.clone());
            }
        }
        union.insert("enum".into(), Value::Array(values));
    }
    Some(Value::Object(union))
}

/// typify names a struct field after its property in snake case; two properties that
/// become one field (`prefs/background` and `prefs_background`) would not compile, so
/// the later one is dropped (and with it from `required`): its value is ignored like any
/// undocumented field.
fn distinct_field_names(obj: &mut Map<String, Value>) {
    let Some(Value::Object(properties)) = obj.get_mut("properties") else {
        return;
    };
    let mut seen: Vec<String> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    properties.retain(|name, _| {
        let field = naming::field_name(name);
        if seen.contains(&field) {
            dropped.push(name.clone());
            false
        } else {
            seen.push(field);
            true
        }
    });
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.retain(|r| r.as_str().is_none_or(|r| !dropped.iter().any(|d| d == r)));
    }
}

/// Values and formats that contradict the schema's own `type` (common in published
/// documents, and fatal to typify): a `format` on an array, object or boolean (`format:
/// file`, `format: list of urls`) or an integer format typify does not know is dropped;
/// `enum` values of the wrong type are converted where the conversion is exact (`1` →
/// `"1"` for a string enum, `"2"` → `2` for an integer one) and dropped otherwise (a
/// `null` value makes the schema nullable); a `default` that is not of the type, or
/// that sits on an object, array or composite schema, is dropped (it only sets a
/// serde default).
fn conform_values(obj: &mut Map<String, Value>) {
    let ty = obj.get("type").and_then(Value::as_str).map(str::to_owned);
    let format = obj.get("format").and_then(Value::as_str).map(str::to_owned);
    match (ty.as_deref(), format.as_deref()) {
        (Some("array" | "object" | "boolean"), Some(_)) => {
            obj.shift_remove("format");
        }
        (
            Some("integer"),
            Some(
                "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64"
                | "uint",
            ),
        ) => {}
        (Some("integer"), Some(_)) => {
            obj.shift_remove("format");
        }
        (Some("number"), Some("float" | "double")) => {}
        (Some("number"), Some(_)) => {
            obj.shift_remove("format");
        }
        _ => {}
    }
    if !matches!(obj.get("format"), None | Some(Value::String(_))) {
        obj.shift_remove("format");
    }
    let Some(ty) = ty else {
        // No type: a default is kept only when it is a scalar.
        if obj
            .get("default")
            .is_some_and(|d| d.is_object() || d.is_array())
            || ["oneOf", "anyOf", "allOf"]
                .iter()
                .any(|k| obj.contains_key(*k))
        {
            obj.shift_remove("default");
        }
        return;
    };
    if let Some(Value::Array(values)) = obj.get("enum") {
        let mut converted = Vec::new();
        let mut saw_null = false;
        for value in values {
            match conform(value, &ty) {
                Some(v) if !converted.contains(&v) => converted.push(v),
                Some(_) => {}
                None if value.is_null() => saw_null = true,
                None => {}
            }
        }
        if saw_null {
            obj.insert("nullable".into(), json!(true));
        }
        if converted.is_empty() {
            obj.shift_remove("enum");
        } else {
            obj.insert("enum".into(), Value::Array(converted));
        }
    }
    if let Some(default) = obj.get("default") {
        let keep = matches!(ty.as_str(), "string" | "integer" | "number" | "boolean")
            && conform(default, &ty).as_ref() == Some(default)
            && obj
                .get("enum")
                .and_then(Value::as_array)
                .is_none_or(|values| values.contains(default));
        if !keep {
            obj.shift_remove("default");
        }
    }
}

/// `value` as a value of JSON type `ty`, when that is exact.
fn conform(value: &Value, ty: &str) -> Option<Value> {
    match (ty, value) {
        ("string", Value::String(_)) => Some(value.clone()),
        ("string", Value::Number(n)) => Some(json!(n.to_string())),
        ("string", Value::Bool(b)) => Some(json!(b.to_string())),
        ("integer", Value::Number(n)) if n.is_i64() || n.is_u64() => Some(value.clone()),
        ("integer", Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| json!(f as i64)),
        ("integer", Value::String(s)) => s.trim().parse::<i64>().ok().map(|n| json!(n)),
        ("number", Value::Number(_)) => Some(value.clone()),
        ("number", Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| json!(f)),
        ("boolean", Value::Bool(_)) => Some(value.clone()),
        ("boolean", Value::String(s)) => match s.as_str() {
            "true" => Some(json!(true)),
            "false" => Some(json!(false)),
            _ => None,
        },
        ("array", Value::Array(_)) | ("object", Value::Object(_)) => Some(value.clone()),
        _ => None,
    }
}

fn is_error_status(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5')
}

/// Rule 3: the provider's common error schema (`info.x-provider.error_schema`, the name
/// of a component schema, or the `x-rust-name` an overlay gives one) becomes the JSON
/// body of every error status (`4xx`, `5xx`, `4XX`, `5XX`) listed without any body, so
/// that [`unify_error_responses`] types it with the operation's other error bodies. A status listed with
/// a body of another media type keeps it.
pub fn common_error_body(doc: &mut Value) -> Result<(), String> {
    const AT: &str = "$.info.x-provider.error_schema";
    let Some(declared) = doc.pointer("/info/x-provider/error_schema") else {
        return Ok(());
    };
    let Some(declared) = declared.as_str() else {
        return Err(format!(
            "the common error schema must be a schema's name at {AT}"
        ));
    };
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let name = schemas
        .and_then(|schemas| {
            schemas
                .contains_key(declared)
                .then(|| declared.to_owned())
                .or_else(|| {
                    schemas
                        .iter()
                        .find(|(_, s)| {
                            s.get("x-rust-name").and_then(Value::as_str) == Some(declared)
                        })
                        .map(|(name, _)| name.clone())
                })
        })
        .ok_or_else(|| format!("`{declared}` is not a schema of components.schemas at {AT}"))?;
    let body =
        json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}});
    for_each_operation(doc, |op, _| {
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return Ok(());
        };
        for (code, response) in responses.iter_mut() {
            let Some(response) = response.as_object_mut() else {
                continue;
            };
            let bodiless = response
                .get("content")
                .and_then(Value::as_object)
                .is_none_or(Map::is_empty);
            if is_error_status(code) && bodiless {
                response.insert("content".into(), body.clone());
            }
        }
        Ok(())
    })
}

/// The statuses progenitor 0.15 types as success: 2xx, `2XX` and `101` (Switching
/// Protocols).
fn is_success_status(code: &str) -> bool {
    code.starts_with('2') || code == "101"
}

/// Rule 3, second part.
pub fn unify_error_responses(doc: &mut Value) -> Result<(), String> {
    let mut new_schemas: Vec<(String, Value)> = Vec::new();
    let existing = component_names(doc);
    for_each_operation(doc, |op, _| {
        let op_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return Ok(());
        };
        // progenitor types `default` as an error and, without a success status, as the
        // success too: next to error statuses it joins their merge (a 2xx then decodes
        // as the merged type, of which the `default` body is an arm).
        let default_is_error = !responses.keys().any(|c| is_success_status(c))
            && responses.keys().any(|c| is_error_status(c));
        let is_error =
            |code: &str| is_error_status(code) || (default_is_error && code == "default");
        responses.retain(|code, response| !is_error(code) || json_schema(response).is_some());
        merge_bodies(
            responses,
            is_error,
            &op_id,
            "error",
            &existing,
            &mut new_schemas,
        );
        Ok(())
    })?;
    if !new_schemas.is_empty() {
        let schemas = component_schemas(doc)?;
        schemas.extend(new_schemas);
    }
    Ok(())
}

/// Rules 3a and 3b's merge: when the JSON bodies of the responses `select`ed differ,
/// they become one component `<OperationId>SuccessBody`/`ErrorBody` (the next free
/// name) that is `oneOf` them, and every selected response refers to it. Responses
/// without a JSON body are not looked at.
fn merge_bodies(
    responses: &mut Map<String, Value>,
    select: impl Fn(&str) -> bool,
    op_id: &str,
    kind: &str,
    existing: &[String],
    new_schemas: &mut Vec<(String, Value)>,
) {
    let mut distinct: Vec<Value> = Vec::new();
    for (_, response) in responses.iter().filter(|(code, _)| select(code)) {
        if let Some(schema) = json_schema(response)
            && !distinct.contains(schema)
        {
            distinct.push(schema.clone());
        }
    }
    if distinct.len() < 2 {
        return;
    }
    let suffix = if kind == "success" {
        "SuccessBody"
    } else {
        "ErrorBody"
    };
    let name = free_name(
        &format!("{}{suffix}", naming::type_name(op_id)),
        existing,
        new_schemas,
    );
    let reference = json!({"$ref": format!("#/components/schemas/{name}")});
    for (_, response) in responses.iter_mut().filter(|(code, _)| select(code)) {
        if let Some(schema) = json_schema_mut(response) {
            *schema = reference.clone();
        }
    }
    let description =
        format!("Any of the {kind} bodies `{op_id}` documents (one per {kind} status).");
    new_schemas.push((name, json!({"description": description, "oneOf": distinct})));
}

/// The names of `components.schemas`.
fn component_names(doc: &Value) -> Vec<String> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// `base`, or `base2`, `base3`, ...: the first name neither an existing component nor a
/// schema about to be added has.
fn free_name(base: &str, existing: &[String], added: &[(String, Value)]) -> String {
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
fn component_schemas(doc: &mut Value) -> Result<&mut Map<String, Value>, String> {
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

/// The schema of a response's JSON body (`application/json`, else any `*json` type).
fn json_schema(response: &Value) -> Option<&Value> {
    let content = response.get("content")?.as_object()?;
    content
        .get("application/json")
        .or_else(|| {
            content
                .iter()
                .find(|(k, _)| k.contains("json"))
                .map(|(_, v)| v)
        })?
        .get("schema")
}

fn json_schema_mut(response: &mut Value) -> Option<&mut Value> {
    let content = response.get_mut("content")?.as_object_mut()?;
    let key = if content.contains_key("application/json") {
        "application/json".to_owned()
    } else {
        content.keys().find(|k| k.contains("json"))?.clone()
    };
    content.get_mut(&key)?.get_mut("schema")
}

/// Rule 4.
pub fn rename_schemas(doc: &mut Value) -> Result<(), String> {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return Ok(());
    };
    let mut renames: Vec<(String, String)> = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        if let Some(Value::Object(obj)) = Some(schema) {
            match obj.shift_remove("x-rust-name") {
                Some(Value::String(new)) => renames.push((name.clone(), new)),
                Some(other) => {
                    return Err(format!(
                        "x-rust-name must be a string, found {other} at $.components.schemas{}",
                        segment(name)
                    ));
                }
                None => {}
            }
        }
    }
    if renames.is_empty() {
        return Ok(());
    }
    for (old, new) in &renames {
        let taken = schemas
            .keys()
            .any(|k| k == new && !renames.iter().any(|(o, _)| o == k))
            || renames.iter().filter(|(_, n)| n == new).count() > 1;
        if taken {
            return Err(format!(
                "x-rust-name {new:?} of schema {old:?} clashes with another schema"
            ));
        }
    }
    rename_components(doc, &renames);
    Ok(())
}

/// Rule 4b: component schemas whose Rust names are equal (`string` and `String`,
/// `task-status` and `TaskStatus`) or would shadow `Option`, `Result`, `Vec`, `Box` or
/// `String` in generated code get `2`, `3`, ... (references follow).
pub fn distinct_type_names(doc: &mut Value) {
    const PRELUDE: &[&str] = &[
        "Option", "Result", "Vec", "Box", "String", "Some", "None", "Ok", "Err",
    ];
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    let mut used: Vec<String> = PRELUDE.iter().map(|s| s.to_string()).collect();
    let mut renames: Vec<(String, String)> = Vec::new();
    let names: Vec<String> = schemas.keys().cloned().collect();
    for name in &names {
        let rust = naming::type_name(name);
        if !used.contains(&rust) {
            used.push(rust);
            continue;
        }
        let mut n = 2;
        let new = loop {
            let candidate = format!("{name}{n}");
            if !used.contains(&naming::type_name(&candidate)) && !names.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        used.push(naming::type_name(&new));
        renames.push((name.clone(), new));
    }
    if renames.is_empty() {
        return;
    }
    rename_components(doc, &renames);
}

/// Renames component schemas (in place, keeping their order) and every `$ref` to them.
fn rename_components(doc: &mut Value, renames: &[(String, String)]) {
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

/// Rule 4c: a component schema that is itself `nullable` makes typify emit both a
/// newtype `X(Option<X>)` and the struct `X` (two items of one name, and a recursive
/// type): the `nullable` moves from the component to every use of it. A `$ref` to it
/// becomes `{allOf: [{$ref}], nullable: true}`; an arm of `allOf`/`oneOf`/`anyOf` that
/// refers to it makes the schema holding the arms nullable.
pub fn nullable_at_the_references(doc: &mut Value) {
    // A component whose `oneOf` arm is a nullable component becomes nullable itself, and
    // is handled the same way in the next round.
    for _round in 0..16 {
        if !nullable_round(doc) {
            return;
        }
    }
}

/// One round of [`nullable_at_the_references`]; whether it changed anything.
fn nullable_round(doc: &mut Value) -> bool {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return false;
    };
    let mut nullable = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        if let Value::Object(obj) = schema
            && obj.get("nullable") == Some(&json!(true))
            && !obj.contains_key("$ref")
        {
            obj.shift_remove("nullable");
            nullable.push(format!("#/components/schemas/{name}"));
        }
    }
    if nullable.is_empty() {
        return false;
    }
    mark_nullable_refs(doc, &nullable);
    true
}

fn mark_nullable_refs(value: &mut Value, targets: &[String]) {
    let is_target = |v: &Value| {
        v.get("$ref")
            .and_then(Value::as_str)
            .is_some_and(|r| targets.iter().any(|t| t == r))
    };
    match value {
        Value::Object(map) => {
            let mut arm_is_nullable = false;
            for key in ["allOf", "oneOf", "anyOf"] {
                if let Some(Value::Array(arms)) = map.get(key) {
                    arm_is_nullable |= arms.iter().any(is_target);
                }
            }
            for (key, child) in map.iter_mut() {
                if key == "example" || key == "examples" {
                    continue;
                }
                let is_arms = matches!(key.as_str(), "allOf" | "oneOf" | "anyOf");
                match child {
                    Value::Array(items) if is_arms => {
                        for arm in items.iter_mut().filter(|a| !is_target(a)) {
                            mark_nullable_refs(arm, targets);
                        }
                    }
                    _ if is_target(child) => {
                        let reference = std::mem::take(child);
                        *child = json!({"allOf": [reference], "nullable": true});
                    }
                    _ => mark_nullable_refs(child, targets),
                }
            }
            if arm_is_nullable {
                map.insert("nullable".into(), json!(true));
            }
        }
        Value::Array(items) => {
            for item in items.iter_mut() {
                if is_target(item) {
                    let reference = std::mem::take(item);
                    *item = json!({"allOf": [reference], "nullable": true});
                } else {
                    mark_nullable_refs(item, targets);
                }
            }
        }
        _ => {}
    }
}

/// Rule 4d: typify names the type of an inline property schema `<Component><Property>`
/// (`Court` + `system` → `CourtSystem`, also for the properties of its `allOf` arms,
/// which typify merges) without checking that no component has that
/// name: where one does, the property's schema becomes a component of its own,
/// `<Component><Property>2` (or the next free name), so the two types stay apart.
pub fn hoist_properties_named_like_components(doc: &mut Value) -> Result<(), String> {
    let names = component_names(doc);
    let rust_names: Vec<String> = names.iter().map(|n| naming::type_name(n)).collect();
    let mut added: Vec<(String, Value)> = Vec::new();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (component, schema) in schemas.iter_mut() {
            // typify merges the arms of `allOf` into one struct: their properties are
            // named like the component's own.
            let mut holders: Vec<&mut Value> = vec![schema];
            let mut property_maps: Vec<&mut Map<String, Value>> = Vec::new();
            while let Some(holder) = holders.pop() {
                let Value::Object(obj) = holder else {
                    continue;
                };
                for (key, child) in obj.iter_mut() {
                    match (key.as_str(), child) {
                        ("properties", Value::Object(properties)) => property_maps.push(properties),
                        ("allOf", Value::Array(arms)) => holders.extend(arms.iter_mut()),
                        _ => {}
                    }
                }
            }
            for (property, value) in property_maps.into_iter().flat_map(|m| m.iter_mut()) {
                // Only schemas typify makes a named type of: objects, enums, unions
                // and constrained strings; a `$ref` names itself.
                let named = names_a_type(value);
                let inline_name = naming::type_name(&format!("{component}-{property}"));
                if !named || !rust_names.contains(&inline_name) {
                    continue;
                }
                let mut name = free_name(&inline_name, &names, &added);
                if name == inline_name {
                    name = free_name(&format!("{inline_name}2"), &names, &added);
                }
                let definition = hoist_into_component(value, &name);
                added.push((name, definition));
            }
        }
    }
    if !added.is_empty() {
        component_schemas(doc)?.extend(added);
    }
    Ok(())
}

/// Rule 4e, rule 4d through `$ref`s: typify merges a component's `allOf` arms into one
/// struct, following the arms that are `$ref`s (and their own `allOf`s), and names the
/// type of a property it builds there `<Component><Property>`: an inline schema that
/// an arm it refers to declares, or the merge of a property that two arms declare
/// differently (bitbucket.org's `team.links`, beezup.com's `detectedCatalogColumn.links`,
/// both `$ref`s to different components). Where a component already has that name:
/// - an inline property of a referenced component becomes a component of its own,
///   named as typify names it in that component's struct (`<Referenced><Property>`, or
///   the next free name), and both structs share it;
/// - a merge, which no schema of the document spells, keeps typify's name, and the
///   component that had it is renamed to the next free name (`<Name>2`).
pub fn merged_properties_named_like_components(doc: &mut Value) -> Result<(), String> {
    let names = component_names(doc);
    let rust_names: Vec<String> = names.iter().map(|n| naming::type_name(n)).collect();
    // (JSON pointer of the property's schema, new component) and (old name, new name).
    let mut hoists: Vec<(String, String)> = Vec::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    // The names given so far, so that no two get the same one.
    let mut added: Vec<(String, Value)> = Vec::new();
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    for (component, schema) in schemas {
        if schema.get("allOf").is_none() {
            continue;
        }
        let mut declared: Declarations = Vec::new();
        let at = format!("/components/schemas/{}", spec::pointer_token(component));
        collect_declarations(doc, schema, at, None, &mut vec![component], &mut declared);
        for (property, declarations) in declared {
            let clash = naming::type_name(&format!("{component}-{property}"));
            let Some(k) = rust_names.iter().position(|n| *n == clash) else {
                continue;
            };
            let mut distinct: Vec<&Value> = Vec::new();
            for declaration in &declarations {
                if !distinct.contains(&declaration.schema) {
                    distinct.push(declaration.schema);
                }
            }
            match (distinct.as_slice(), declarations.as_slice()) {
                // One inline schema typify names, in a referenced component.
                (
                    [one],
                    [
                        Declaration {
                            owner: Some(owner),
                            pointer,
                            ..
                        },
                        ..,
                    ],
                ) if names_a_type(one) => {
                    if hoists.iter().any(|(p, _)| p == pointer) {
                        continue;
                    }
                    let base = naming::type_name(&format!("{owner}-{property}"));
                    let mut name = free_name(&base, &names, &added);
                    if naming::type_name(&name) == clash {
                        name = free_name(&format!("{base}2"), &names, &added);
                    }
                    added.push((name.clone(), Value::Null));
                    hoists.push((pointer.clone(), name));
                }
                // A merge of different schemas: the component of that name moves.
                ([_, _, ..], _) => {
                    let old = &names[k];
                    if old == component || renames.iter().any(|(o, _)| o == old) {
                        continue;
                    }
                    let new = free_name(&format!("{old}2"), &names, &added);
                    added.push((new.clone(), Value::Null));
                    renames.push((old.clone(), new));
                }
                _ => {}
            }
        }
    }
    let mut hoisted = Vec::new();
    for (pointer, name) in hoists {
        if let Some(slot) = doc.pointer_mut(&pointer) {
            hoisted.push((name.clone(), hoist_into_component(slot, &name)));
        }
    }
    component_schemas(doc)?.extend(hoisted);
    if !renames.is_empty() {
        rename_components(doc, &renames);
    }
    Ok(())
}

/// Whether typify makes a named type of `schema` (inline, not a `$ref`): objects,
/// enums, unions and constrained strings.
fn names_a_type(schema: &Value) -> bool {
    schema.as_object().is_some_and(|o| {
        !o.contains_key("$ref") && NAMED_TYPE_KEYS.iter().any(|key| o.contains_key(*key))
    })
}

/// Replaces the inline schema at `slot` with a reference to the component `name`, and
/// returns the component's schema. `nullable` stays with the reference: a nullable
/// component would make typify emit `X` and `X(Option<X>)` (rule 4c).
fn hoist_into_component(slot: &mut Value, name: &str) -> Value {
    let mut definition = std::mem::take(slot);
    let reference = json!({"$ref": format!("#/components/schemas/{name}")});
    let nullable = definition
        .as_object_mut()
        .and_then(|o| o.shift_remove("nullable"))
        == Some(json!(true));
    *slot = if nullable {
        json!({"allOf": [reference], "nullable": true})
    } else {
        reference
    };
    definition
}

/// One schema that declares a property of a merged struct.
struct Declaration<'a> {
    /// The component it sits in; `None`: the struct's own inline arms.
    owner: Option<&'a str>,
    /// Its JSON pointer in the document.
    pointer: String,
    schema: &'a Value,
}

/// Each property of a merged struct, with the schemas that declare it.
type Declarations<'a> = Vec<(&'a str, Vec<Declaration<'a>>)>;

/// The properties a component's merged struct has, with each schema that declares one
/// (in `allOf` arms, followed through `$ref`s to other components; `visiting` ends
/// cycles). Only the arms' `properties`: a property's own `allOf` is a type of its own.
/// `at` is the JSON pointer of `schema`.
fn collect_declarations<'a>(
    doc: &'a Value,
    schema: &'a Value,
    at: String,
    owner: Option<&'a str>,
    visiting: &mut Vec<&'a str>,
    declared: &mut Declarations<'a>,
) {
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        let Some(name) = target.strip_prefix("#/components/schemas/") else {
            return;
        };
        if visiting.contains(&name) {
            return;
        }
        let pointer = format!("/components/schemas/{}", spec::pointer_token(name));
        let Some(referenced) = doc.pointer(&pointer) else {
            return;
        };
        visiting.push(name);
        collect_declarations(doc, referenced, pointer, Some(name), visiting, declared);
        visiting.pop();
        return;
    }
    if let Some(Value::Object(properties)) = schema.get("properties") {
        for (property, declaration) in properties {
            let declaration = Declaration {
                owner,
                pointer: format!("{at}/properties/{}", spec::pointer_token(property)),
                schema: declaration,
            };
            match declared.iter_mut().find(|(p, _)| *p == property.as_str()) {
                Some((_, list)) => list.push(declaration),
                None => declared.push((property.as_str(), vec![declaration])),
            }
        }
    }
    for (i, arm) in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        collect_declarations(
            doc,
            arm,
            format!("{at}/allOf/{i}"),
            owner,
            visiting,
            declared,
        );
    }
}

/// Rule 4f: an `allOf` arm that is only a map (`additionalProperties: {schema}`, no
/// `properties`) next to arms that declare properties: typify merges it as JSON Schema
/// reads it, every property of the other arms must then also match the map's value
/// schema, which integers or objects next to a map of strings cannot (zuora.com's
/// `Account` with `DataAccessControlField`: empty enums, a struct no value can fill).
/// The arm means "and more fields": it becomes `{type: object}`.
pub fn loosen_map_arms(doc: &mut Value) {
    let maps: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .filter(|(_, schema)| is_map_only(schema))
                .map(|(name, _)| format!("#/components/schemas/{name}"))
                .collect()
        })
        .unwrap_or_default();
    let _ = visit_schema_positions(doc, &mut |schema, _, _| {
        loosen_map_arms_in(schema, &maps);
        Ok(())
    });
}

/// A schema with `additionalProperties` as a schema and nothing that declares fields.
fn is_map_only(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    obj.get("additionalProperties")
        .is_some_and(Value::is_object)
        && !["properties", "allOf", "oneOf", "anyOf", "$ref", "items"]
            .iter()
            .any(|k| obj.contains_key(*k))
}

fn loosen_map_arms_in(schema: &mut Value, maps: &[String]) {
    let Value::Object(obj) = schema else {
        return;
    };
    if let Some(Value::Array(arms)) = obj.get_mut("allOf") {
        let is_map = |arm: &Value| {
            is_map_only(arm)
                || arm
                    .get("$ref")
                    .and_then(Value::as_str)
                    .is_some_and(|r| maps.iter().any(|m| m == r))
        };
        let declares = arms.iter().any(|arm| {
            !is_map(arm) && (arm.get("properties").is_some() || arm.get("$ref").is_some())
        });
        if declares && arms.iter().any(is_map) {
            for arm in arms.iter_mut().filter(|arm| is_map(arm)) {
                *arm = json!({"type": "object"});
            }
        }
    }
    let _ = schema::for_each_child_mut(obj, |child, _| {
        loosen_map_arms_in(child, maps);
        Ok::<_, ()>(())
    });
}

/// Rule 5.
pub fn hoist_titled_enums(doc: &mut Value) -> Result<(), String> {
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    // Component names, as typify spells them (`task-status` and `TaskStatus` are one).
    let taken: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| {
            s.keys()
                .map(|k| crate::spec::naming::type_name(k))
                .collect()
        })
        .unwrap_or_default();
    visit_schema_positions(doc, &mut |schema, _, at| {
        // A component's own title names nothing new; a parameter's or body's does.
        let component = at.starts_with("$.components.schemas");
        hoist_in(schema, at, component, &taken, &mut hoisted)
    })?;
    if hoisted.is_empty() {
        return Ok(());
    }
    let schemas = component_schemas(doc)?;
    for (name, schema) in hoisted {
        schemas.insert(name, schema);
    }
    Ok(())
}

/// Rule 6: typify names the type of an inline schema after its `title` (a component
/// is named by its key) and keeps one type per name: a second schema with the same
/// title silently becomes the first one's type (drchrono.com: 67 different list
/// responses titled `""` all decode as one), and a title spelled like a component (or
/// like `Option`, `Vec`, ...) defines a second item of that name (telnyx.com's array
/// component `TemplateComponents` whose items are titled `Template Components`). A
/// title with no letter or digit (typify spells it `X`) is dropped, so the schema is
/// named from where it is; a title typify would spell like a component or like a
/// different titled schema becomes the next free `<Name>2`, `<Name>3`, ...; identical
/// copies (up to their docs) keep sharing one name.
pub fn distinct_titles(doc: &mut Value) {
    const PRELUDE: &[&str] = &[
        "Option", "Result", "Vec", "Box", "String", "Some", "None", "Ok", "Err",
    ];
    let mut taken: Vec<String> = PRELUDE.iter().map(|s| s.to_string()).collect();
    taken.extend(component_names(doc).iter().map(|n| naming::type_name(n)));
    let mut titled: Vec<(String, Value)> = Vec::new();
    let _ = visit_schema_positions(doc, &mut |schema, _, at| {
        // A component's own title names nothing: typify names it by its key.
        let component = at.starts_with("$.components.schemas");
        distinct_titles_in(schema, component, &taken, &mut titled);
        Ok(())
    });
}

/// Keys of a schema that typify makes a named type of: objects, enums, unions and
/// constrained strings.
const NAMED_TYPE_KEYS: [&str; 8] = [
    "properties",
    "enum",
    "oneOf",
    "anyOf",
    "allOf",
    "minLength",
    "maxLength",
    "pattern",
];

fn distinct_titles_in(
    schema: &mut Value,
    component: bool,
    taken: &[String],
    titled: &mut Vec<(String, Value)>,
) {
    let Value::Object(obj) = schema else {
        return;
    };
    if let Some(title) = obj.get("title") {
        let meaningless = match title {
            Value::String(t) => !t.chars().any(char::is_alphanumeric),
            _ => true,
        };
        if meaningless {
            obj.shift_remove("title");
        }
    }
    // Only schemas typify makes a named type of: objects, enums, unions and
    // constrained strings.
    let named = NAMED_TYPE_KEYS.iter().any(|k| obj.contains_key(*k))
        || obj.get("type").and_then(Value::as_str) == Some("object");
    if let Some(Value::String(title)) = obj.get("title")
        && !component
        && named
        && !obj.contains_key("$ref")
    {
        let base = naming::type_name(title);
        let definition = strip_docs(&Value::Object(obj.clone()));
        let mut name = base.clone();
        let mut n = 1;
        loop {
            match titled.iter().find(|(t, _)| *t == name) {
                Some((_, existing)) if *existing == definition => break,
                None if !taken.contains(&name) => {
                    titled.push((name.clone(), definition));
                    break;
                }
                _ => {
                    n += 1;
                    name = format!("{base}{n}");
                }
            }
        }
        if name != base {
            obj.insert("title".into(), json!(name));
        }
    }
    let _ = schema::for_each_child_mut(obj, |child, _| {
        distinct_titles_in(child, false, taken, titled);
        Ok::<_, ()>(())
    });
}

/// typify names an inline enum's variants by its Pascal case, then with the dropped
/// characters as `X`; it panics when both collide (`Failed`/`FAILED`, `<`/`>`,
/// emoji). Such an enum is hoisted into a component, whose forward-compatible
/// `open_enum!` names every value.
fn typify_cannot_name_variants(obj: &Map<String, Value>) -> bool {
    let Some(Value::Array(values)) = obj.get("enum") else {
        return false;
    };
    let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
    let unique = |names: Vec<String>| {
        let mut sorted = names.clone();
        sorted.sort();
        sorted.dedup();
        sorted.len() == names.len()
    };
    let plain = values
        .iter()
        .map(|v| crate::spec::naming::type_name(v))
        .collect();
    let with_x = values
        .iter()
        .map(|v| {
            crate::spec::naming::type_name(&v.replace(
                |c: char| c == '_' || !unicode_ident::is_xid_continue(c),
                "X",
            ))
        })
        .collect();
    !unique(plain) && !unique(with_x)
}

/// A type name from where a schema sits: `$.components.schemas.Issue.properties.state`
/// → `IssueState`; `$.paths['/repos/{owner}'].get.parameters[2].schema` →
/// `ReposGetParameter2`.
pub fn name_from_location(at: &str) -> String {
    const NOISE: &[&str] = &[
        "$",
        "components",
        "schemas",
        "properties",
        "items",
        "content",
        "schema",
        "paths",
        "responses",
        "requestBodies",
        "requestBody",
        "headers",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "not",
        "application/json",
    ];
    let mut words = Vec::new();
    let mut rest = at;
    while !rest.is_empty() {
        let (word, next) = if let Some(r) = rest.strip_prefix("['") {
            let end = r.find("']").unwrap_or(r.len());
            (r[..end].to_owned(), r.get(end + 2..).unwrap_or(""))
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            (
                format!("parameter{}", &r[..end]),
                r.get(end + 1..).unwrap_or(""),
            )
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            (r[..end].to_owned(), &r[end..])
        };
        rest = next;
        if word.starts_with('/') {
            words.extend(
                word.split('/')
                    .filter(|w| !w.is_empty() && !w.starts_with('{'))
                    .map(str::to_owned),
            );
        } else if !NOISE.contains(&word.as_str()) && word != "parameters" {
            words.push(word);
        }
    }
    let words: Vec<String> = words
        .into_iter()
        .map(|w| {
            w.strip_prefix("parameter")
                .map_or(w.clone(), |n| format!("Parameter{n}"))
        })
        .collect();
    let start = words.len().saturating_sub(3);
    crate::spec::naming::type_name(&words[start..].join("-"))
}

fn is_string_enum(obj: &Map<String, Value>) -> bool {
    obj.get("type").and_then(Value::as_str) == Some("string")
        && matches!(obj.get("enum"), Some(Value::Array(values)) if values.iter().all(Value::is_string))
}

fn hoist_in(
    schema: &mut Value,
    at: &str,
    top: bool,
    taken: &[String],
    hoisted: &mut Vec<(String, Value)>,
) -> Result<(), String> {
    let Value::Object(obj) = schema else {
        return Ok(());
    };
    let name = if !top && is_string_enum(obj) {
        match obj.get("title") {
            Some(Value::String(title)) if !title.trim().is_empty() => {
                Some(naming::type_name(title))
            }
            _ if typify_cannot_name_variants(obj) => Some(name_from_location(at)),
            _ => None,
        }
    } else {
        None
    };
    if let Some(base) = name {
        // What stays inline: the reference, plus what describes this use of it.
        let mut definition = obj.clone();
        definition.shift_remove("nullable");
        definition.shift_remove("default");
        let definition = Value::Object(definition);
        // Identical copies share one schema; a different enum with the same title, or
        // a component of that name, gets the next free `<Title>2`, `<Title>3`, ...
        let mut name = base.clone();
        let mut n = 1;
        loop {
            match hoisted.iter().find(|(h, _)| *h == name) {
                Some((_, existing)) if strip_docs(existing) == strip_docs(&definition) => break,
                None if !taken.contains(&name) => {
                    hoisted.push((name.clone(), definition));
                    break;
                }
                _ => {
                    n += 1;
                    name = format!("{base}{n}");
                }
            }
        }
        let mut reference = Map::new();
        reference.insert(
            "allOf".into(),
            json!([{"$ref": format!("#/components/schemas/{name}")}]),
        );
        for keep in ["description", "nullable", "default", "example"] {
            if let Some(v) = obj.get(keep) {
                reference.insert(keep.into(), v.clone());
            }
        }
        *schema = Value::Object(reference);
        return Ok(());
    }
    schema::for_each_child_mut(obj, |child, place| {
        hoist_in(child, &place.location(at), false, taken, hoisted)
    })
}

/// A schema without the keywords that only document it.
fn strip_docs(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Value::Object(obj) = &mut schema {
        for key in ["description", "example", "examples"] {
            obj.shift_remove(key);
        }
    }
    schema
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A document with one schema component `S`, run through rule 2.
    fn downgrade_component(schema: Value) -> Value {
        let mut doc = json!({"components": {"schemas": {"S": schema}}});
        downgrade_schemas(&mut doc).unwrap();
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_with_null_becomes_nullable() {
        assert_eq!(
            downgrade_component(json!({"type": ["null", "string"], "description": "d"})),
            json!({"description": "d", "type": "string", "nullable": true})
        );
    }

    #[test]
    fn nested_properties_are_rewritten() {
        let s = downgrade_component(
            json!({"type": "object", "properties": {"a": {"type": ["integer", "null"]}}}),
        );
        assert_eq!(
            s["properties"]["a"],
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn several_types_in_a_body_become_one_of() {
        let s = downgrade_component(
            json!({"type": ["integer", "string"], "format": "int32", "pattern": "^\\d+$", "description": "d"}),
        );
        assert_eq!(
            s,
            json!({"description": "d", "oneOf": [
                {"type": "integer", "format": "int32"},
                {"type": "string", "pattern": "^\\d+$"}
            ]})
        );
    }

    #[test]
    fn several_types_in_a_parameter_keep_the_first() {
        let mut doc = json!({"paths": {"/t": {"get": {"parameters": [
            {"name": "limit", "in": "query", "schema": {"pattern": "^-?(?:0|[1-9]\\d*)$", "type": ["integer", "string"], "format": "int32"}}
        ]}}}});
        downgrade_schemas(&mut doc).unwrap();
        assert_eq!(
            doc["paths"]["/t"]["get"]["parameters"][0]["schema"],
            json!({"format": "int32", "type": "integer"})
        );
    }

    #[test]
    fn null_arm_of_one_of_becomes_nullable_all_of() {
        let s = downgrade_component(
            json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/J"}], "description": "d"}),
        );
        assert_eq!(
            s,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/J"}], "nullable": true})
        );
        let s = downgrade_component(
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}),
        );
        assert_eq!(
            s,
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
    }

    #[test]
    fn const_and_exclusive_bounds_and_examples() {
        assert_eq!(
            downgrade_component(json!({"const": "task"})),
            json!({"enum": ["task"]})
        );
        assert_eq!(
            downgrade_component(
                json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10})
            ),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        assert_eq!(
            downgrade_component(json!({"type": "string", "examples": ["a", "b"]})),
            json!({"type": "string", "example": "a"})
        );
        // 3.0 boolean form is left alone.
        assert_eq!(
            downgrade_component(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn examples_are_data_not_schemas() {
        let s = downgrade_component(
            json!({"type": "object", "example": {"type": ["a", "null"], "const": 1}}),
        );
        assert_eq!(
            s,
            json!({"type": "object", "example": {"type": ["a", "null"], "const": 1}})
        );
    }

    #[test]
    fn unsupported_31_keywords_are_errors() {
        let mut doc = json!({"components": {"schemas": {"S": {"type": "object", "properties": {
            "t": {"type": "array", "prefixItems": [{"type": "string"}]}
        }}}}});
        assert_eq!(
            downgrade_schemas(&mut doc).unwrap_err(),
            "`prefixItems` (JSON Schema 2020-12 / OpenAPI 3.1) is not supported by the normalizer yet at $.components.schemas.S.properties.t.prefixItems"
        );
    }

    #[test]
    fn a_type_list_with_non_strings_is_dropped() {
        let mut doc =
            json!({"components": {"schemas": {"S": {"type": ["string", 3], "description": "d"}}}});
        downgrade_schemas(&mut doc).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({"description": "d"})
        );
    }

    fn op_with_errors(responses: Value) -> Value {
        json!({"paths": {"/t": {"get": {"operationId": "listTasks", "responses": responses}}},
               "components": {"schemas": {"A": {}, "B": {}}}})
    }

    #[test]
    fn success_bodies_are_unified_and_default_describes_errors() {
        let body = |r: &str| json!({"description": "x", "content": {"application/json": {"schema": {"$ref": r}}}});
        // 200 and 201 with different bodies: one untagged enum; `default` beside them
        // is the error body of 4XX and 5XX.
        let mut doc = op_with_errors(json!({
            "200": body("#/components/schemas/A"),
            "201": body("#/components/schemas/B"),
            "default": body("#/components/schemas/B"),
            "404": {"description": "no body"}
        }));
        unify_success_responses(&mut doc).unwrap();
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        assert!(responses.get("default").is_none());
        assert_eq!(responses["4XX"], body("#/components/schemas/B"));
        assert_eq!(responses["5XX"], body("#/components/schemas/B"));
        for code in ["200", "201"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ListTasksSuccessBody"
            );
        }
        assert_eq!(
            doc["components"]["schemas"]["ListTasksSuccessBody"]["oneOf"],
            json!([{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}])
        );
        // 200 with a body and 204 without: bytes for both.
        let mut doc = op_with_errors(json!({
            "200": body("#/components/schemas/A"),
            "204": {"description": "nothing"}
        }));
        unify_success_responses(&mut doc).unwrap();
        let raw =
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}});
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        assert_eq!(responses["200"]["content"], raw);
        assert_eq!(responses["204"]["content"], raw);
        // One success body: untouched.
        let mut doc = op_with_errors(
            json!({"200": body("#/components/schemas/A"), "201": body("#/components/schemas/A")}),
        );
        let before = doc.clone();
        unify_success_responses(&mut doc).unwrap();
        assert_eq!(doc, before);
    }

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
    fn error_bodies_are_unified() {
        let body = |r: &str| json!({"description": "x", "content": {"application/json": {"schema": {"$ref": r}}}});
        let mut doc = op_with_errors(json!({
            "200": body("#/components/schemas/A"),
            "400": body("#/components/schemas/B"),
            "401": {"description": "no body"},
            "404": body("#/components/schemas/A"),
            "500": body("#/components/schemas/A"),
        }));
        unify_error_responses(&mut doc).unwrap();
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        assert!(responses.get("401").is_none());
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/A"
        );
        for code in ["400", "404", "500"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ListTasksErrorBody"
            );
        }
        assert_eq!(
            doc["components"]["schemas"]["ListTasksErrorBody"]["oneOf"],
            json!([{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/A"}])
        );
    }

    #[test]
    fn the_common_error_schema_fills_the_bodiless_error_statuses() {
        let body = |r: &str| json!({"description": "x", "content": {"application/json": {"schema": {"$ref": r}}}});
        let mut doc = op_with_errors(json!({
            "200": body("#/components/schemas/A"),
            "400": body("#/components/schemas/B"),
            "401": {"description": "no body"},
            "403": {"description": "empty content", "content": {}},
            "409": {"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}},
            "204": {"description": "no body, a success"},
        }));
        doc["components"]["schemas"]["A"]["x-rust-name"] = json!("ErrorResponse");
        doc["info"] = json!({"x-provider": {"error_schema": "ErrorResponse"}});
        common_error_body(&mut doc).unwrap();
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        for code in ["401", "403"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/A",
                "{code}"
            );
        }
        assert_eq!(responses["400"], body("#/components/schemas/B"));
        assert!(
            responses["409"]["content"]
                .get("application/json")
                .is_none()
        );
        assert!(responses["204"].get("content").is_none());
        // Then unify_error_responses keeps 401 and 403 in the typed set: A | B.
        unify_error_responses(&mut doc).unwrap();
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        assert_eq!(
            responses["401"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ListTasksErrorBody"
        );

        let mut wrong = op_with_errors(json!({"401": {"description": "no body"}}));
        wrong["info"] = json!({"x-provider": {"error_schema": "Missing"}});
        assert_eq!(
            common_error_body(&mut wrong).unwrap_err(),
            "`Missing` is not a schema of components.schemas at $.info.x-provider.error_schema"
        );
        // Without a declaration, nothing changes.
        let mut plain = op_with_errors(json!({"401": {"description": "no body"}}));
        let before = plain.clone();
        common_error_body(&mut plain).unwrap();
        assert_eq!(plain, before);
    }

    #[test]
    fn without_a_success_status_default_joins_the_errors_and_101_is_a_success() {
        let body = |r: &str| json!({"description": "x", "content": {"application/json": {"schema": {"$ref": r}}}});
        let mut doc = op_with_errors(json!({
            "301": {"description": "redirect"},
            "400": body("#/components/schemas/B"),
            "default": body("#/components/schemas/U")
        }));
        unify_success_responses(&mut doc).unwrap();
        unify_error_responses(&mut doc).unwrap();
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        for code in ["400", "default"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ListTasksErrorBody"
            );
        }
        assert_eq!(
            doc["components"]["schemas"]["ListTasksErrorBody"]["oneOf"],
            json!([{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/U"}])
        );
        // `default` alone is left to be the success.
        let mut doc = op_with_errors(json!({"default": body("#/components/schemas/U")}));
        let before = doc.clone();
        unify_success_responses(&mut doc).unwrap();
        unify_error_responses(&mut doc).unwrap();
        assert_eq!(doc, before);
        // 101 and 200 with different bodies: one success type; a 101 without a body
        // (a protocol switch) next to a 2xx is left out.
        let mut doc = op_with_errors(json!({
            "101": body("#/components/schemas/A"),
            "200": body("#/components/schemas/B")
        }));
        unify_success_responses(&mut doc).unwrap();
        assert_eq!(
            doc["paths"]["/t"]["get"]["responses"]["101"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/ListTasksSuccessBody"
        );
        let mut doc = op_with_errors(json!({
            "101": {"description": "upgrade"},
            "200": {"description": "no body"}
        }));
        unify_success_responses(&mut doc).unwrap();
        let codes: Vec<&String> = doc["paths"]["/t"]["get"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(codes, ["200"]);
    }

    #[test]
    fn one_error_body_is_left_alone() {
        let body = json!({"description": "x", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}});
        let mut doc = op_with_errors(json!({"400": body.clone(), "500": body.clone()}));
        let before = doc.clone();
        unify_error_responses(&mut doc).unwrap();
        assert_eq!(doc, before);
    }

    #[test]
    fn response_refs_are_inlined() {
        let mut doc = json!({
            "paths": {"/t": {"get": {"responses": {"401": {"$ref": "#/components/responses/U"}}}}},
            "components": {"responses": {"U": {"description": "u"}}}
        });
        inline_response_refs(&mut doc).unwrap();
        assert_eq!(
            doc["paths"]["/t"]["get"]["responses"]["401"],
            json!({"description": "u"})
        );
    }

    #[test]
    fn schemas_are_renamed_with_their_refs() {
        let mut doc = json!({
            "paths": {"/t": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/GetTaskResponse"}}}}}}}},
            "components": {"schemas": {
                "GetTaskResponse": {"x-rust-name": "Task", "type": "object"},
                "GetTaskResponseList": {"type": "array", "items": {"$ref": "#/components/schemas/GetTaskResponse"}}
            }}
        });
        rename_schemas(&mut doc).unwrap();
        assert_eq!(
            doc["components"]["schemas"],
            json!({"Task": {"type": "object"}, "GetTaskResponseList": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}}})
        );
        assert_eq!(
            doc["paths"]["/t"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/Task"
        );
    }

    #[test]
    fn rename_clash_is_an_error() {
        let mut doc = json!({"components": {"schemas": {"A": {"x-rust-name": "B"}, "B": {}}}});
        assert_eq!(
            rename_schemas(&mut doc).unwrap_err(),
            "x-rust-name \"B\" of schema \"A\" clashes with another schema"
        );
    }

    #[test]
    fn titled_inline_enums_become_components() {
        let status =
            json!({"title": "Status", "type": "string", "enum": ["a", "b"], "description": "d"});
        let mut doc = json!({
            "paths": {"/t": {"get": {"parameters": [{"name": "s", "in": "query", "schema": status.clone()}]}}},
            "components": {"schemas": {
                "Env": {"type": "object", "properties": {"status": status, "other": {"type": "string", "enum": ["x"]}}},
                "Top": {"title": "Top", "type": "string", "enum": ["t"]}
            }}
        });
        hoist_titled_enums(&mut doc).unwrap();
        let reference =
            json!({"allOf": [{"$ref": "#/components/schemas/Status"}], "description": "d"});
        assert_eq!(
            doc["paths"]["/t"]["get"]["parameters"][0]["schema"],
            reference
        );
        assert_eq!(
            doc["components"]["schemas"]["Env"]["properties"]["status"],
            reference
        );
        assert_eq!(
            doc["components"]["schemas"]["Env"]["properties"]["other"],
            json!({"type": "string", "enum": ["x"]})
        );
        assert_eq!(
            doc["components"]["schemas"]["Status"],
            json!({"title": "Status", "type": "string", "enum": ["a", "b"], "description": "d"})
        );
        assert_eq!(
            doc["components"]["schemas"]["Top"],
            json!({"title": "Top", "type": "string", "enum": ["t"]})
        );
    }

    #[test]
    fn enums_sharing_a_title_or_a_component_name_get_distinct_names() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {
                "x": {"title": "S", "type": "string", "enum": ["a"]},
                "y": {"title": "S", "type": "string", "enum": ["b"]},
                "z": {"title": "S", "type": "string", "enum": ["a"], "description": "same as x"},
                "w": {"title": "a", "type": "string", "enum": ["c"]}
            }}
        }}});
        hoist_titled_enums(&mut doc).unwrap();
        let props = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(props["x"]["allOf"][0]["$ref"], "#/components/schemas/S");
        assert_eq!(props["y"]["allOf"][0]["$ref"], "#/components/schemas/S2");
        assert_eq!(props["z"]["allOf"][0]["$ref"], "#/components/schemas/S");
        assert_eq!(
            props["w"]["allOf"][0]["$ref"], "#/components/schemas/A2",
            "A is a component"
        );
        assert_eq!(doc["components"]["schemas"]["S2"]["enum"], json!(["b"]));
    }

    #[test]
    fn values_that_contradict_the_type_are_conformed_or_dropped() {
        let mut doc = json!({"components": {"schemas": {
            "Files": {"type": "array", "format": "list of urls", "items": {"type": "string"}},
            "Upload": {"type": "object", "format": "file"},
            "Count": {"type": "integer", "format": "int", "default": "3", "enum": ["1", 2, "x", null]},
            "Code": {"type": "string", "enum": [1, "a", true], "default": 5},
            "Flag": {"type": "boolean", "default": "true"},
            "Obj": {"type": "object", "default": {"a": 1}},
            "Pick": {"oneOf": [{"type": "string"}, {"type": "integer"}], "default": "a"}
        }}});
        downgrade_schemas(&mut doc).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(s["Files"].get("format"), None);
        assert_eq!(s["Upload"].get("format"), None);
        assert_eq!(s["Count"]["enum"], json!([1, 2]));
        assert_eq!(s["Count"]["nullable"], true);
        assert_eq!(s["Count"].get("format"), None);
        assert_eq!(s["Count"].get("default"), None, "\"3\" is a string");
        assert_eq!(s["Code"]["enum"], json!(["1", "a", "true"]));
        assert_eq!(s["Code"].get("default"), None);
        assert_eq!(s["Flag"].get("default"), None);
        assert_eq!(s["Obj"].get("default"), None);
        assert_eq!(s["Pick"].get("default"), None);
    }

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

    #[test]
    fn refs_into_the_inside_of_components_become_components() {
        let mut doc = json!({
            "paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Address/definitions/addressType"}}}}}}}},
            "components": {
                "parameters": {"companyId": {"name": "companyId", "in": "path", "schema": {"type": "string", "format": "uuid"}}},
                "schemas": {
                    "Address": {"type": "object", "definitions": {"addressType": {"type": "string", "enum": ["a"]}}},
                    "B": {"type": "object", "properties": {"id": {"$ref": "#/components/parameters/companyId/schema"}}}
                }
            }
        });
        hoist_deep_refs(&mut doc).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["AddressAddressType"],
            json!({"type": "string", "enum": ["a"]})
        );
        assert_eq!(
            schemas["CompanyId"],
            json!({"type": "string", "format": "uuid"})
        );
        assert_eq!(
            schemas["B"]["properties"]["id"]["$ref"],
            "#/components/schemas/CompanyId"
        );
        assert!(crate::spec::check_refs(&doc).is_ok());
        assert_eq!(
            deep_ref_name("#/paths/~1returns/get/responses/200/content/application~1json/schema"),
            "ReturnsGet200"
        );
    }

    #[test]
    fn refs_inside_extensions_or_to_non_schemas_stay_as_they_are() {
        let mut doc = json!({
            "paths": {"/c": {"post": {
                "x-code-samples": [
                    {"lang": "js", "source": "const a = 1;"},
                    {"lang": "node", "source": {"$ref": "#/paths/~1c/post/x-code-samples/0/source"}}
                ],
                "x-extra": {"source": {"$ref": "#/paths/~1c/post/x-code-samples/0"}},
                "responses": {"200": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                    "x-id": {"$ref": "#/components/schemas/A/properties/id"},
                    "title": {"$ref": "#/info/x-title"}
                }}}}}}
            }}},
            "info": {"x-title": "not a schema"},
            "components": {"schemas": {"A": {"type": "object", "properties": {"id": {"type": "string"}}}}}
        });
        let before = doc["paths"]["/c"]["post"]["x-code-samples"].clone();
        hoist_deep_refs(&mut doc).unwrap();
        let names: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, ["A", "AId"], "a property called `x-id` is a schema");
        assert_eq!(doc["paths"]["/c"]["post"]["x-code-samples"], before);
    }

    #[test]
    fn a_property_called_additional_properties_is_a_schema() {
        let mut doc = json!({"components": {"schemas": {"Connection": {"type": "object",
            "properties": {"additionalProperties": false, "a": {"type": "object", "additionalProperties": false}},
            "additionalProperties": false
        }}}});
        downgrade_schemas(&mut doc).unwrap();
        let c = &doc["components"]["schemas"]["Connection"];
        assert_eq!(c["properties"]["additionalProperties"], json!({}));
        assert_eq!(c["properties"]["a"]["additionalProperties"], false);
        assert_eq!(c["additionalProperties"], false);
        assert!(serde_json::from_value::<openapiv3::Schema>(c.clone()).is_ok());
    }

    #[test]
    fn unions_of_scalars_in_parameters_become_one_scalar() {
        let param =
            |name: &str, schema: Value| json!({"name": name, "in": "query", "schema": schema});
        let mut doc = json!({"paths": {"/m": {"get": {"parameters": [
            param("from", json!({"title": "Date From", "anyOf": [
                {"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}
            ], "default": "2025-10-15"})),
            param("order", json!({"anyOf": [
                {"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b", "a"]}
            ]})),
            param("id", json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})),
            param("country", json!({"oneOf": [
                {"type": "array", "items": {"type": "string", "format": "country-code-2"}},
                {"type": "array", "items": {"type": "string", "format": "negated-country-code-2"}}
            ]})),
            param("either", json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "string"}]}))
        ]}}}, "components": {"schemas": {"U": {"anyOf": [{"type": "integer"}, {"type": "string"}]}}}});
        downgrade_schemas(&mut doc).unwrap();
        let p = &doc["paths"]["/m"]["get"]["parameters"];
        assert_eq!(
            p[0]["schema"],
            json!({"title": "Date From", "default": "2025-10-15", "type": "string"})
        );
        assert_eq!(
            p[1]["schema"],
            json!({"type": "string", "enum": ["a", "b"]})
        );
        assert_eq!(p[2]["schema"], json!({"type": "string"}));
        assert_eq!(
            p[3]["schema"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert!(p[4]["schema"].get("anyOf").is_some(), "a reference stays");
        assert!(
            doc["components"]["schemas"]["U"].get("anyOf").is_some(),
            "a body's union is typed"
        );
    }

    #[test]
    fn schemas_typify_could_not_read_are_made_readable() {
        let mut doc = json!({"components": {"schemas": {
            // 3.1 validation-only keywords are dropped.
            "Map": {"type": "object", "additionalProperties": {"type": "string"},
                "propertyNames": {"pattern": "^[a-z]+$"}},
            "List": {"type": "array", "items": {"type": "string"}, "contains": {"const": "a"}, "minContains": 1},
            // Untyped enums: the type their values share; several types, any value.
            "Op": {"enum": ["==", ">=", "<="]},
            "Level": {"enum": [1, 2.5, null]},
            "Flag": {"enum": [true, false, 0, 1], "default": 0},
            // `allOf` with a null arm, `type: 'null'` alone or next to `oneOf`.
            "Currency": {"allOf": [{"$ref": "#/components/schemas/Op"}, {"type": "null"}]},
            "Never": {"type": "null"},
            "Either": {"oneOf": [{"type": "string"}, {"type": "number"}], "type": "null"},
            // An object with a `format` and no type.
            "Org": {"format": "object", "properties": {"id": {"type": "integer"}}},
            // Required names no property declares.
            "Error": {"oneOf": [{"type": "object", "properties": {"Message": {"type": "string"}}, "required": ["data"]}]},
            "Part": {"allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "object", "properties": {"b": {"type": "string"}}, "required": ["a", "b"]}
            ]}
        }}});
        downgrade_schemas(&mut doc).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["Map"],
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        assert_eq!(
            s["List"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            s["Op"],
            json!({"enum": ["==", ">=", "<="], "type": "string"})
        );
        assert_eq!(
            s["Level"],
            json!({"enum": [1, 2.5], "type": "number", "nullable": true})
        );
        assert_eq!(s["Flag"], json!({}));
        assert_eq!(
            s["Currency"],
            json!({"allOf": [{"$ref": "#/components/schemas/Op"}], "nullable": true})
        );
        assert_eq!(s["Never"], json!({"enum": [null], "nullable": true}));
        assert_eq!(
            s["Either"],
            json!({"oneOf": [{"type": "string"}, {"type": "number"}], "nullable": true})
        );
        assert_eq!(s["Org"], json!({"properties": {"id": {"type": "integer"}}}));
        assert_eq!(s["Error"]["oneOf"][0]["required"], json!([]));
        assert_eq!(
            s["Part"]["allOf"][1]["required"],
            json!(["a", "b"]),
            "a sibling arm declares `a`"
        );
        for schema in s.as_object().unwrap().values() {
            assert!(serde_json::from_value::<openapiv3::Schema>(schema.clone()).is_ok());
        }
    }

    #[test]
    fn inline_enums_typify_cannot_name_are_hoisted() {
        let mut doc = json!({"components": {"schemas": {"Sort": {"type": "object", "properties": {
            "order": {"type": "string", "enum": ["asc", "desc", "ASC", "DESC"]},
            "op": {"type": "string", "enum": ["==", "<", ">"]},
            "plain": {"type": "string", "enum": ["a", "b"]}
        }}}}});
        hoist_titled_enums(&mut doc).unwrap();
        let props = &doc["components"]["schemas"]["Sort"]["properties"];
        assert_eq!(
            props["order"]["allOf"][0]["$ref"],
            "#/components/schemas/SortOrder"
        );
        assert_eq!(
            props["op"]["allOf"][0]["$ref"],
            "#/components/schemas/SortOp"
        );
        assert_eq!(
            props["plain"]["enum"],
            json!(["a", "b"]),
            "typify names these itself"
        );
        assert_eq!(
            name_from_location("$.paths['/repos/{owner}'].get.parameters[2].schema"),
            "ReposGetParameter2"
        );
    }

    #[test]
    fn keywords_of_the_wrong_json_type_are_read_or_dropped() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "string", "pattern": 0, "minLength": "2", "maxLength": -1, "nullable": "yes"},
            "B": {"type": {"description": "not a type"}, "required": true, "items": [{"type": "string"}]},
            "C": {"type": "object", "required": ["a", 1], "properties": [], "additionalProperties": "no"}
        }}});
        downgrade_schemas(&mut doc).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(s["A"], json!({"type": "string", "minLength": 2}));
        assert_eq!(s["B"], json!({"items": {"type": "string"}}));
        assert_eq!(s["C"], json!({"type": "object", "required": ["a"]}));
    }

    #[test]
    fn types_are_inferred_from_formats_and_boolean_schemas_loosened() {
        let mut doc = json!({"components": {"schemas": {
            "When": {"format": "date-time", "readOnly": true},
            "Big": {"format": "int64"},
            "Odd": {"maxItems": 1, "properties": {"a": {"type": "number"}}},
            "Any": {"description": "no type, no format"},
            "Obj": {"type": "object", "properties": {"never": false, "any": true}}
        }}});
        downgrade_schemas(&mut doc).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(s["When"]["type"], "string");
        assert_eq!(s["Big"]["type"], "integer");
        assert_eq!(s["Odd"], json!({"properties": {"a": {"type": "number"}}}));
        assert_eq!(s["Any"].get("type"), None);
        assert_eq!(s["Obj"]["properties"], json!({"never": {}, "any": {}}));
        let mut doc = json!({
            "paths": {"/a": {"$ref": "#/components/x-items/A"}, "$ref": "#/nope", "/b": {"get": {"callbacks": {"c": {}}}}},
            "components": {"x-items": {"A": {"get": {"operationId": "a"}}}}
        });
        resolve_path_items(&mut doc);
        assert_eq!(
            doc["paths"],
            json!({"/a": {"get": {"operationId": "a"}}, "/b": {"get": {}}})
        );
    }

    #[test]
    fn names_that_would_collide_in_rust_are_made_distinct() {
        let mut doc = json!({
            "paths": {"/s": {"get": {"parameters": [
                {"name": "new", "in": "query", "schema": {"type": "boolean"}},
                {"name": "page", "in": "query", "schema": {"type": "integer"}}
            ], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/string"}}}}}}}},
            "components": {"schemas": {
                "String": {"type": "object", "properties": {
                    "prefs/background": {"type": "string"}, "prefs_background": {"type": "string"}
                }, "required": ["prefs_background"]},
                "string": {"type": "string"},
                "Vec": {"type": "array", "items": {}}
            }}
        });
        normalize_parameters(&mut doc);
        distinct_type_names(&mut doc);
        downgrade_schemas(&mut doc).unwrap();
        let names: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, ["String2", "string3", "Vec2"]);
        assert_eq!(
            doc["paths"]["/s"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/string3"
        );
        let s = &doc["components"]["schemas"]["String2"];
        assert_eq!(
            s["properties"],
            json!({"prefs/background": {"type": "string"}})
        );
        assert_eq!(s["required"], json!([]));
        let params = doc["paths"]["/s"]["get"]["parameters"].as_array().unwrap();
        assert_eq!(params.len(), 1, "`new` is a builder's constructor");
        assert_eq!(doc["x-tasks-sdk-skipped-parameters"][0]["name"], "new");
    }

    #[test]
    fn nullable_components_become_nullable_references() {
        let mut doc = json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Levels"}
            }}}}}}},
            "components": {"schemas": {
                "Levels": {"type": "object", "nullable": true, "properties": {"a": {"type": "string"}}},
                "Either": {"oneOf": [{"$ref": "#/components/schemas/Levels"}, {"type": "string"}]},
                "Case": {"type": "object", "properties": {
                    "any": {"$ref": "#/components/schemas/Either"},
                    "levels": {"$ref": "#/components/schemas/Levels"},
                    "either": {"oneOf": [{"$ref": "#/components/schemas/Levels"}, {"type": "string"}]},
                    "list": {"type": "array", "items": {"$ref": "#/components/schemas/Levels"}}
                }}
            }}
        });
        nullable_at_the_references(&mut doc);
        let wrapped = json!({"allOf": [{"$ref": "#/components/schemas/Levels"}], "nullable": true});
        let s = &doc["components"]["schemas"];
        assert_eq!(s["Levels"].get("nullable"), None);
        assert_eq!(s["Case"]["properties"]["levels"], wrapped);
        assert_eq!(s["Case"]["properties"]["list"]["items"], wrapped);
        assert_eq!(s["Case"]["properties"]["either"]["nullable"], true);
        assert_eq!(
            s["Either"].get("nullable"),
            None,
            "a component never stays nullable"
        );
        assert_eq!(
            s["Case"]["properties"]["any"],
            json!({"allOf": [{"$ref": "#/components/schemas/Either"}], "nullable": true})
        );
        assert_eq!(
            s["Case"]["properties"]["either"]["oneOf"][0],
            json!({"$ref": "#/components/schemas/Levels"})
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            wrapped
        );
    }

    #[test]
    fn properties_typify_would_name_like_a_component_become_components() {
        let mut doc = json!({"components": {"schemas": {
            "Court": {"type": "object", "properties": {
                "system": {"type": "string", "maxLength": 255},
                "type": {"type": "string"},
                "kind": {"type": "string", "enum": ["a"]}
            }},
            "CourtSystem": {"type": "object"}
        }}});
        hoist_properties_named_like_components(&mut doc).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["Court"]["properties"]["system"],
            json!({"$ref": "#/components/schemas/CourtSystem2"})
        );
        // typify merges `allOf` arms: their properties are named the same way.
        let mut doc = json!({"components": {"schemas": {
            "Bill": {"allOf": [
                {"type": "object", "properties": {"data": {"type": "object", "properties": {"a": {}}}}},
                {"allOf": [{"properties": {"more": {"enum": ["x"], "type": "string"}}}]}
            ]},
            "BillData": {"type": "object", "properties": {"b": {}}},
            "BillMore": {"type": "string"}
        }}});
        hoist_properties_named_like_components(&mut doc).unwrap();
        let bill = &doc["components"]["schemas"]["Bill"]["allOf"];
        assert_eq!(
            bill[0]["properties"]["data"],
            json!({"$ref": "#/components/schemas/BillData2"})
        );
        assert_eq!(
            bill[1]["allOf"][0]["properties"]["more"],
            json!({"$ref": "#/components/schemas/BillMore2"})
        );
        assert_eq!(
            s["CourtSystem2"],
            json!({"type": "string", "maxLength": 255})
        );
        assert_eq!(
            s["Court"]["properties"]["type"],
            json!({"type": "string"}),
            "typify names no type for it"
        );
        assert_eq!(
            s["Court"]["properties"]["kind"]["enum"],
            json!(["a"]),
            "no component CourtKind"
        );
        // A nullable property stays nullable at its reference (stripe.com's
        // `financial_connections.account.ownership`): a nullable component would be
        // two types of one name (rule 4c).
        let mut doc = json!({"components": {"schemas": {
            "Account": {"type": "object", "properties": {"ownership": {
                "anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/AccountOwnership"}],
                "nullable": true
            }}},
            "AccountOwnership": {"type": "object"}
        }}});
        hoist_properties_named_like_components(&mut doc).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["Account"]["properties"]["ownership"],
            json!({"allOf": [{"$ref": "#/components/schemas/AccountOwnership2"}], "nullable": true})
        );
        assert_eq!(s["AccountOwnership2"].get("nullable"), None);
    }

    #[test]
    fn map_arms_of_all_of_next_to_properties_are_loosened() {
        let mut doc = json!({"components": {"schemas": {
            "Fields": {"type": "object", "additionalProperties": {"type": "string"}},
            "Account": {"allOf": [
                {"type": "object", "required": ["day"], "properties": {"day": {"type": "integer"}}},
                {"$ref": "#/components/schemas/Fields"},
                {"additionalProperties": {"type": "string"}}
            ]},
            // Maps alone, or next to no declared field, are left as they are.
            "OnlyMaps": {"allOf": [{"$ref": "#/components/schemas/Fields"}]}
        }}});
        let before = doc.clone();
        loosen_map_arms(&mut doc);
        let s = &doc["components"]["schemas"];
        assert_eq!(s["Account"]["allOf"][1], json!({"type": "object"}));
        assert_eq!(s["Account"]["allOf"][2], json!({"type": "object"}));
        assert_eq!(
            s["Account"]["allOf"][0],
            before["components"]["schemas"]["Account"]["allOf"][0]
        );
        assert_eq!(s["Fields"], before["components"]["schemas"]["Fields"]);
        assert_eq!(s["OnlyMaps"], before["components"]["schemas"]["OnlyMaps"]);
    }

    /// Generates `doc` through the whole pipeline; the code of `generated.rs`.
    fn generated(doc: Value) -> String {
        let prepared =
            crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, "t.yaml".into(), doc, None)
                .unwrap();
        let outputs = crate::emit::generate(&prepared).unwrap();
        outputs
            .into_iter()
            .find(|o| o.path.ends_with("generated.rs"))
            .map(|o| o.contents)
            .unwrap()
    }

    fn one_get(schema: &str) -> Value {
        json!({"/x": {"get": {
            "operationId": "get_x",
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": format!("#/components/schemas/{schema}")}
            }}}}
        }}})
    }

    #[test]
    fn properties_typify_merges_through_refs_get_names_of_their_own() {
        // azure.com/security's shape: the merged `Solution` has a property `kind` whose
        // inline enum sits in the arm it refers to, `SolutionKind`, and typify would
        // name it `SolutionKind`, the arm's own name.
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": one_get("Solution"),
            "components": {"schemas": {
                "Solution": {"allOf": [
                    {"$ref": "#/components/schemas/SolutionKind"},
                    {"type": "object", "properties": {"location": {"type": "string"}}}
                ]},
                "SolutionKind": {"type": "object", "properties": {
                    "kind": {"type": "string", "enum": ["CEF", "ATA"]}
                }}
            }}
        });
        let mut normalized = doc.clone();
        normalize(&mut normalized).unwrap();
        let schemas = &normalized["components"]["schemas"];
        assert_eq!(
            schemas["SolutionKind"]["properties"]["kind"],
            json!({"$ref": "#/components/schemas/SolutionKindKind"})
        );
        assert_eq!(schemas["SolutionKindKind"]["enum"], json!(["CEF", "ATA"]));
        let code = generated(doc);
        assert_eq!(
            code.matches("pub struct SolutionKind {").count(),
            2,
            "{code}"
        );

        // microsoft.com/graph's shape: the inline schema sits in an `allOf` arm of the
        // referenced component (`printer` → `printerBase`'s second arm).
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": one_get("printer"),
            "components": {"schemas": {
                "entity": {"type": "object", "properties": {"id": {"type": "string"}}},
                "printer": {"allOf": [
                    {"$ref": "#/components/schemas/printerBase"},
                    {"type": "object", "properties": {"isShared": {"type": "boolean"}}}
                ]},
                "printerBase": {"allOf": [
                    {"$ref": "#/components/schemas/entity"},
                    {"type": "object", "properties": {"capabilities": {"anyOf": [
                        {"$ref": "#/components/schemas/printerCapabilities"},
                        {"type": "object", "nullable": true}
                    ]}}}
                ]},
                "printerCapabilities": {"type": "object", "properties": {"color": {"type": "boolean"}}}
            }}
        });
        let mut normalized = doc.clone();
        normalize(&mut normalized).unwrap();
        let schemas = &normalized["components"]["schemas"];
        assert_eq!(
            schemas["printerBase"]["allOf"][1]["properties"]["capabilities"],
            json!({"$ref": "#/components/schemas/PrinterBaseCapabilities"})
        );
        assert!(schemas["PrinterBaseCapabilities"]["anyOf"].is_array());
        generated(doc);

        // beezup.com's shape: `Column`'s arms give `links` two different components;
        // typify merges them into `ColumnLinks`, the name of one of those components,
        // which moves to `ColumnLinks2`.
        let links =
            |name: &str| json!({"type": "object", "properties": {name: {"type": "string"}}});
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": one_get("Column"),
            "components": {"schemas": {
                "Base": {"type": "object", "properties": {
                    "id": {"type": "string"},
                    "links": {"$ref": "#/components/schemas/BaseLinks"}
                }},
                "BaseLinks": links("self"),
                "Column": {"allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "properties": {
                        "links": {"$ref": "#/components/schemas/ColumnLinks"}
                    }}
                ]},
                "ColumnLinks": links("map")
            }}
        });
        let mut normalized = doc.clone();
        normalize(&mut normalized).unwrap();
        let schemas = &normalized["components"]["schemas"];
        assert_eq!(schemas["ColumnLinks2"], links("map"));
        assert!(schemas.get("ColumnLinks").is_none());
        assert_eq!(
            schemas["Column"]["allOf"][1]["properties"]["links"],
            json!({"$ref": "#/components/schemas/ColumnLinks2"})
        );
        let code = generated(doc);
        // typify's merge (`self` and `map`) and the renamed component, once each in
        // `types` and in `types::builder`.
        assert_eq!(
            code.matches("pub struct ColumnLinks {").count(),
            2,
            "{code}"
        );
        assert_eq!(
            code.matches("pub struct ColumnLinks2 {").count(),
            2,
            "{code}"
        );
    }

    #[test]
    fn titles_typify_would_name_alike_become_distinct() {
        let list = |item: &str| {
            json!({"title": "", "type": "object", "properties": {
                "data": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}}
            }})
        };
        let mut doc = json!({
            "paths": {
                "/patients": {"get": {"responses": {"200": {"content": {"application/json": {"schema": list("Patient")}}}}}},
                "/tasks": {"get": {"responses": {"200": {"content": {"application/json": {"schema": list("Task")}}}}}}
            },
            "components": {"schemas": {
                "Patient": {"title": "", "type": "object"},
                "Task": {"type": "object", "properties": {
                    "note": {"title": "Patient", "type": "object", "properties": {"a": {"type": "string"}}},
                    "other": {"title": "Note", "type": "object", "properties": {"a": {"type": "string"}}},
                    "same": {"title": "Note", "description": "d", "type": "object", "properties": {"a": {"type": "string"}}},
                    "different": {"title": "note", "type": "object", "properties": {"b": {"type": "string"}}},
                    "result": {"title": "Result", "type": "object"},
                    "id": {"title": "Patient", "type": "integer"}
                }},
                "TemplateComponents": {"type": "array", "items": {
                    "title": "Template Components", "type": "object", "properties": {"a": {"type": "string"}}
                }}
            }}
        });
        distinct_titles(&mut doc);
        let s = &doc["components"]["schemas"];
        let body = |path: &str| {
            doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                .clone()
        };
        assert_eq!(body("/patients").get("title"), None);
        assert_eq!(body("/tasks").get("title"), None);
        assert_eq!(s["Patient"].get("title"), None);
        let task = &s["Task"]["properties"];
        assert_eq!(task["note"]["title"], "Patient2");
        assert_eq!(task["other"]["title"], "Note");
        assert_eq!(
            task["same"]["title"], "Note",
            "an identical copy shares the name"
        );
        assert_eq!(task["different"]["title"], "Note2");
        assert_eq!(task["result"]["title"], "Result2");
        assert_eq!(
            task["id"]["title"], "Patient",
            "typify names no type for it"
        );
        assert_eq!(
            s["TemplateComponents"]["items"]["title"],
            "TemplateComponents2"
        );
    }

    #[test]
    fn operations_without_ids_are_named_from_method_and_path() {
        let mut doc = json!({"paths": {
            "/": {"get": {}},
            "/pets/{petId}/toys": {"get": {}, "post": {"operationId": "addToy"}},
            "/pets": {"get": {"operationId": "get_pets"}, "put": {"operationId": "getPets"}},
            "/users": {"get": {"operationId": "get_pets_by_pet_id_toys"}}
        }});
        name_operations(&mut doc);
        let ids: Vec<&str> = spec::operations(&doc)
            .iter()
            .map(|op| op.op["operationId"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "get_root",
                "get_pets_by_pet_id_toys_2",
                "addToy",
                "get_pets",
                "get_pets_2",
                "get_pets_by_pet_id_toys"
            ]
        );
    }
}

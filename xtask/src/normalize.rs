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
//! 3. [`unify_error_responses`]: progenitor allows one error body type per operation.
//!    Error responses without a body are dropped from the typed set (the runtime still
//!    classifies them by status); two or more different bodies become one component
//!    `<OperationId>ErrorBody` that is `oneOf` them (an untagged Rust enum).
//! 4. [`rename_schemas`]: a component schema with `x-rust-name: N` (set by an overlay)
//!    is renamed to `N`, and every `$ref` to it follows.
//! 5. [`hoist_titled_enums`]: an inline string enum with a `title` becomes the component
//!    schema of that name (one for identical copies), so that it is a named type the
//!    generator can make forward-compatible.
//! 6. The `openapi` field becomes `3.0.3`.

use serde_json::{Map, Value, json};

use crate::naming;
use crate::spec::{self, segment};

/// Runs every rule.
pub fn normalize(doc: &mut Value) -> Result<(), String> {
    name_operations(doc);
    inline_response_refs(doc)?;
    inline_request_body_refs(doc);
    normalize_media_types(doc);
    downgrade_schemas(doc)?;
    unify_success_responses(doc)?;
    unify_error_responses(doc)?;
    rename_schemas(doc)?;
    hoist_titled_enums(doc)?;
    doc["openapi"] = json!("3.0.3");
    Ok(())
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
/// - an operation whose only request body is `multipart/form-data` is removed and
///   listed in `x-tasks-sdk-skipped` (the crate docs list it as not generated, with
///   why): progenitor has no multipart body.
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
        return Some(
            "its request body is multipart/form-data, which the generator does not support yet"
                .into(),
        );
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

/// Rule 3a: progenitor allows one success type per operation. `default` next to a
/// success status describes errors: it becomes `4XX` and `5XX` (where the document
/// has no such range), so that rule 3b types it. Success responses (2xx) with
/// different JSON schemas become one component `<OperationId>SuccessBody` that is
/// `oneOf` them; a mix of JSON and non-JSON or empty success bodies (200 with a body
/// and 204 without, say) is returned as bytes (`ByteStream`) for every success status.
pub fn unify_success_responses(doc: &mut Value) -> Result<(), String> {
    let mut new_schemas: Vec<(String, Value)> = Vec::new();
    let existing: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for_each_operation(doc, |op, _| {
        let op_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return Ok(());
        };
        let is_success = |code: &str| code.starts_with('2');
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
            let mut distinct: Vec<Value> = Vec::new();
            for k in kinds.into_iter().flatten() {
                if !distinct.contains(&k) {
                    distinct.push(k);
                }
            }
            if distinct.len() < 2 {
                return Ok(());
            }
            let base = format!("{}SuccessBody", pascal_case(&op_id));
            let mut name = base.clone();
            let mut n = 1;
            while existing.contains(&name) || new_schemas.iter().any(|(s, _)| *s == name) {
                n += 1;
                name = format!("{base}{n}");
            }
            let reference = json!({"$ref": format!("#/components/schemas/{name}")});
            for (code, response) in responses.iter_mut() {
                if is_success(code) || code == "default" {
                    response["content"]["application/json"]["schema"] = reference.clone();
                }
            }
            let description =
                format!("Any of the success bodies `{op_id}` documents (one per success status).");
            new_schemas.push((name, json!({"description": description, "oneOf": distinct})));
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
    let Value::Object(obj) = schema else {
        return Ok(());
    };
    downgrade_schema(obj, ctx, at)?;
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = obj.get_mut(key) {
            walk_schema(child, ctx, &format!("{at}.{key}"))?;
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(arms)) = obj.get_mut(key) {
            for (i, arm) in arms.iter_mut().enumerate() {
                walk_schema(arm, ctx, &format!("{at}.{key}[{i}]"))?;
            }
        }
    }
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(props)) = obj.get_mut(key) {
            for (name, prop) in props.iter_mut() {
                walk_schema(prop, ctx, &format!("{at}.{key}{}", segment(name)))?;
            }
        }
    }
    Ok(())
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
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    "$dynamicRef",
    "$defs",
];

/// Rule 2 on one schema object.
fn downgrade_schema(obj: &mut Map<String, Value>, ctx: Context, at: &str) -> Result<(), String> {
    if let Some(keyword) = UNSUPPORTED_KEYWORDS.iter().find(|k| obj.contains_key(**k)) {
        return Err(format!(
            "`{keyword}` (JSON Schema 2020-12 / OpenAPI 3.1) is not supported by the normalizer yet at {at}{}",
            segment(keyword)
        ));
    }
    let mut nullable = false;

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
        match names.len() {
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
    Ok(())
}

fn is_error_status(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5')
}

/// Rule 3.
pub fn unify_error_responses(doc: &mut Value) -> Result<(), String> {
    let mut new_schemas: Vec<(String, Value)> = Vec::new();
    let existing: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    for_each_operation(doc, |op, at| {
        let op_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return Ok(());
        };
        responses
            .retain(|code, response| !is_error_status(code) || json_schema(response).is_some());
        let mut distinct: Vec<Value> = Vec::new();
        for (code, response) in responses.iter() {
            if is_error_status(code) {
                let schema = json_schema(response).expect("kept above").clone();
                if !distinct.contains(&schema) {
                    distinct.push(schema);
                }
            }
        }
        if distinct.len() < 2 {
            return Ok(());
        }
        let name = format!("{}ErrorBody", pascal_case(&op_id));
        if existing.contains(&name) || new_schemas.iter().any(|(n, _)| *n == name) {
            return Err(format!(
                "cannot name the merged error body of {at}: schema {name:?} exists"
            ));
        }
        let reference = json!({"$ref": format!("#/components/schemas/{name}")});
        for (code, response) in responses.iter_mut() {
            if is_error_status(code) {
                *json_schema_mut(response).expect("kept above") = reference.clone();
            }
        }
        let description =
            format!("Any of the error bodies `{op_id}` documents (one per error status).");
        new_schemas.push((name, json!({"description": description, "oneOf": distinct})));
        Ok(())
    })?;
    if !new_schemas.is_empty() {
        let schemas = component_schemas(doc)?;
        schemas.extend(new_schemas);
    }
    Ok(())
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

/// `list_tasks`, `listTasks`, `datasets-list` → `ListTasks`, `ListTasks`, `DatasetsList`.
pub fn pascal_case(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            let first = chars.next().expect("non-empty").to_ascii_uppercase();
            std::iter::once(first).chain(chars).collect::<String>()
        })
        .collect()
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
    let old_map = std::mem::take(schemas);
    for (name, schema) in old_map {
        let name = renames
            .iter()
            .find(|(o, _)| *o == name)
            .map_or(name, |(_, n)| n.clone());
        schemas.insert(name, schema);
    }
    rewrite_refs(doc, &renames);
    Ok(())
}

/// Rule 5.
pub fn hoist_titled_enums(doc: &mut Value) -> Result<(), String> {
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    // Component names, as typify spells them (`task-status` and `TaskStatus` are one).
    let taken: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| s.keys().map(|k| crate::naming::type_name(k)).collect())
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
    if !top
        && is_string_enum(obj)
        && let Some(Value::String(title)) = obj.get("title")
    {
        let base = pascal_case(title);
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
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = obj.get_mut(key) {
            hoist_in(child, &format!("{at}.{key}"), false, taken, hoisted)?;
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(arms)) = obj.get_mut(key) {
            for (i, arm) in arms.iter_mut().enumerate() {
                hoist_in(arm, &format!("{at}.{key}[{i}]"), false, taken, hoisted)?;
            }
        }
    }
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        for (name, prop) in props.iter_mut() {
            hoist_in(
                prop,
                &format!("{at}.properties{}", segment(name)),
                false,
                taken,
                hoisted,
            )?;
        }
    }
    Ok(())
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
    fn non_string_type_entries_are_errors() {
        let mut doc = json!({"components": {"schemas": {"S": {"type": ["string", 3]}}}});
        assert_eq!(
            downgrade_schemas(&mut doc).unwrap_err(),
            "`type` lists a non-string 3 at $.components.schemas.S.type"
        );
    }

    fn op_with_errors(responses: Value) -> Value {
        json!({"paths": {"/t": {"get": {"operationId": "listTasks", "responses": responses}}},
               "components": {"schemas": {"A": {}, "B": {}}}})
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

    #[test]
    fn pascal_case_of_operation_ids() {
        assert_eq!(pascal_case("list_tasks"), "ListTasks");
        assert_eq!(pascal_case("listTasks"), "ListTasks");
        assert_eq!(
            pascal_case("TasksController_getTasks"),
            "TasksControllerGetTasks"
        );
    }
}

//! Parameters progenitor can send.

use serde_json::{Map, Value, json};

use crate::document;
use crate::document::naming;

/// [`normalize_parameters`]: every parameter as progenitor 0.15 takes it (`form` query
/// parameters, `simple` path and header parameters, each with a `schema`), with what
/// the document says of its serialization kept for the model ([`for_progenitor`]):
/// `deepObject`, `spaceDelimited`, `pipeDelimited`, `label`, `matrix`, cookie and
/// `content` parameters are generated with their typed schema, and the generated
/// `send()` serializes each as the document says.
///
/// - Path-level parameters move onto each operation (an operation's own parameter of
///   the same name and location wins); `$ref`s are resolved;
/// - an optional OpenAPI 3.2 `querystring` parameter is left out of the operation and
///   listed in `x-tasks-sdk-skipped-parameters` (the crate docs list it); a required
///   one leaves the whole operation out, listed in `x-tasks-sdk-skipped`;
/// - of two parameters with one Rust name, the path one stays, else the first; one
///   named like a builder method or `body` next to a request body is left out (listed);
/// - path parameters match the template: every `{name}` declared, all required.
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
                if location == "querystring" {
                    let what = "an OpenAPI 3.2 querystring parameter";
                    if required {
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
                    for_progenitor(p, &location, &snapshot);
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
                    None => {
                        // A query string written into the path (`/search?query={query}`,
                        // medium.com's) with its parameter declared in the query: the
                        // template is where the value goes, as a path parameter's.
                        let in_query = kept.iter_mut().find(|p| {
                            p.get("in").and_then(Value::as_str) == Some("query")
                                && p.get("name").and_then(Value::as_str) == Some(name.as_str())
                        });
                        match in_query {
                            Some(Value::Object(p)) if path.contains('?') => {
                                p.retain(|key, _| {
                                    !matches!(key.as_str(), "style" | "explode" | "allowReserved")
                                        && !key.starts_with("x-tasks-sdk-")
                                });
                                p.insert("in".into(), json!("path"));
                                p.insert("required".into(), json!(true));
                            }
                            _ => kept.push(json!({
                                "name": name, "in": "path", "required": true, "schema": {"type": "string"}
                            })),
                        }
                    }
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

/// One parameter as progenitor 0.15 takes it: a `schema`, `form` in a query, `simple`
/// in a path or header, no cookie. What the document says that progenitor would refuse
/// is kept for the model (`model::ParamFacts`) in extensions, and the
/// generated `send()` serializes the parameter as the document says
/// (`emit::params`):
///
/// - `content` with a JSON media type: that media type's schema, the media type in
///   [`document::PARAM_CONTENT`] (the value is sent as its JSON text); another media
///   type, or neither `schema` nor `content`: a string the caller serializes;
/// - a `style` progenitor refuses (`deepObject`, `spaceDelimited`, `pipeDelimited`,
///   `label`, `matrix`): the default style of the location, the document's in
///   [`document::PARAM_STYLE`];
/// - a cookie: a header, `cookie` in [`document::PARAM_IN`];
/// - a path, header or cookie parameter is never null (an `Option` progenitor cannot
///   put in the URL or a header), a path parameter always required;
/// - what the setters took before the parameters were serialized by the runtime stays
///   (their types are public API): an array or object header is the string the caller
///   joins (sent as it is, which is the `simple` style when joined with commas), an
///   object `form` query parameter a map of strings (`key=value` per field).
fn for_progenitor(p: &mut Map<String, Value>, location: &str, doc: &Value) {
    if p.contains_key("schema") {
        p.shift_remove("content");
    } else {
        let json_media = p
            .get("content")
            .and_then(Value::as_object)
            .and_then(|content| content.iter().find(|(media, _)| is_json(media)))
            .map(|(media, body)| {
                let schema = body.get("schema").cloned().unwrap_or_else(|| json!({}));
                (media.clone(), schema)
            });
        p.shift_remove("content");
        let schema = match json_media {
            Some((media, schema)) => {
                p.insert(document::PARAM_CONTENT.into(), json!(media));
                schema
            }
            None => json!({"type": "string"}),
        };
        p.insert("schema".into(), schema);
    }
    let json = p.contains_key(document::PARAM_CONTENT);
    // A path parameter is always required (OpenAPI says it must be); one marked
    // optional becomes an `Option` progenitor cannot put in the URL. Nor can it be
    // null: a nullable schema is an `Option` too. Neither can a header (absent is its
    // only "no value"): progenitor formats an optional nullable one, an
    // `Option<Option<T>>`, with `to_string()` (box.com); nor a cookie, a header to
    // progenitor.
    if matches!(location, "path" | "header" | "cookie") {
        if location == "path" {
            p.insert("required".into(), json!(true));
        }
        if let Some(Value::Object(schema)) = p.get_mut("schema") {
            schema.shift_remove("nullable");
            if let Some(Value::Array(types)) = schema.get_mut("type") {
                types.retain(|t| t != "null");
            }
        }
    }
    // The style progenitor takes, the document's kept aside.
    let taken = match location {
        "query" => Some("form"),
        "path" | "header" => Some("simple"),
        _ => None,
    };
    let style = p.get("style").and_then(Value::as_str).map(str::to_owned);
    if let Some(style) = &style
        && Some(style.as_str()) != taken
    {
        p.insert(document::PARAM_STYLE.into(), json!(style));
        match taken {
            Some(taken) => p.insert("style".into(), json!(taken)),
            None => p.shift_remove("style"),
        };
    }
    if location == "cookie" {
        p.insert("in".into(), json!("header"));
        p.insert(document::PARAM_IN.into(), json!("cookie"));
    }
    if json {
        return;
    }
    let is_object = p
        .get("schema")
        .is_some_and(|schema| is_object_schema(doc, schema, 0));
    match location {
        // progenitor formats a header with `to_string()`, which a `Vec` or a struct
        // lacks: the setter took the joined string (beezup.com's `Accept-Language`),
        // which the runtime sends as it is.
        "header" => {
            let is_array = p
                .get("schema")
                .and_then(|schema| schema.get("type"))
                .and_then(Value::as_str)
                == Some("array");
            if is_array {
                let note = "Several values are comma-separated (`a,b`).";
                let description = match p.get("description").and_then(Value::as_str) {
                    Some(d) => format!("{}\n\n{note}", d.trim_end()),
                    None => note.to_owned(),
                };
                p.insert("schema".into(), json!({"type": "string"}));
                p.insert("description".into(), json!(description));
            } else if is_object {
                p.insert("schema".into(), json!({"type": "string"}));
            }
        }
        // A `form` object was a map of strings (`key=value` per field, exploded).
        "query" if style.as_deref().is_none_or(|s| s == "form") && is_object => {
            p.insert(
                "schema".into(),
                json!({"type": "object", "additionalProperties": {"type": "string"}}),
            );
        }
        _ => {}
    }
}

/// `application/json` and `+json` types: what the runtime sends as JSON text.
fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.to_ascii_lowercase().ends_with("+json")
}

/// [`struct_parameters`]: progenitor 0.15 asserts that a parameter whose type is a
/// struct (one with a builder) is the request body: a parameter whose schema typify
/// makes a struct (an object with `properties`: a `deepObject` filter, a path object,
/// a JSON `content` one) refers instead to a component marked
/// [`document::PARAM_TYPE`], which progenitor writes as the struct's own type (a
/// replacement: `crate::generated::types::Filter`). An inline schema becomes that
/// struct's component first, named as progenitor names a parameter's type
/// (`<OperationId><Parameter>`). The last rule: the names it gives are final.
pub fn struct_parameters(doc: &mut Value) {
    let snapshot = doc.clone();
    let mut taken: std::collections::HashSet<String> = snapshot
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemas| schemas.keys())
        .map(|name| naming::type_name(name))
        .collect();
    let mut unique = |base: String| {
        let mut name = base.clone();
        let mut n = 1;
        while !taken.insert(name.clone()) {
            n += 1;
            name = format!("{base}{n}");
        }
        name
    };
    // (component, schema) to add; each struct's alias, once.
    let mut added: Vec<(String, Value)> = Vec::new();
    let mut aliases: std::collections::HashMap<String, String> = Default::default();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        for method in document::METHODS {
            let Some(Value::Object(op)) = item.get_mut(*method) else {
                continue;
            };
            let operation_id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let Some(Value::Array(params)) = op.get_mut("parameters") else {
                continue;
            };
            for param in params {
                let name = param
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let Some(schema) = param.get_mut("schema") else {
                    continue;
                };
                if !is_struct_schema(&snapshot, schema, 0) {
                    continue;
                }
                let target = match schema
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                {
                    Some(component) => component.to_owned(),
                    _ => {
                        let mut inline = schema.take();
                        if let Value::Object(s) = &mut inline {
                            s.shift_remove("nullable");
                        }
                        let component =
                            unique(naming::type_name(&format!("{operation_id}-{name}")));
                        added.push((component.clone(), inline));
                        component
                    }
                };
                let alias = aliases
                    .entry(target.clone())
                    .or_insert_with(|| {
                        let alias = unique(format!("{}Parameter", naming::type_name(&target)));
                        added.push((
                            alias.clone(),
                            json!({
                                "$ref": format!("#/components/schemas/{}", document::pointer_token(&target)),
                                (document::PARAM_TYPE): target,
                            }),
                        ));
                        alias
                    })
                    .clone();
                *schema = json!({"$ref": format!("#/components/schemas/{alias}")});
            }
        }
    }
    if added.is_empty() {
        return;
    }
    if !doc.get("components").is_some_and(Value::is_object) {
        doc["components"] = json!({});
    }
    if !doc["components"]
        .get("schemas")
        .is_some_and(Value::is_object)
    {
        doc["components"]["schemas"] = json!({});
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.extend(added);
    }
}

/// Whether typify makes a schema (following `$ref`s and `allOf`) a struct: an object
/// with `properties`.
fn is_struct_schema(doc: &Value, schema: &Value, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
        return target
            .strip_prefix('#')
            .and_then(|p| doc.pointer(p))
            .is_some_and(|s| is_struct_schema(doc, s, depth + 1));
    }
    let object = matches!(
        schema.get("type").and_then(Value::as_str),
        None | Some("object")
    );
    (object
        && schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty()))
        || schema
            .get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|arms| arms.iter().any(|a| is_struct_schema(doc, a, depth + 1)))
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
    fn every_style_goes_to_progenitor_as_it_takes_it_with_the_documents_kept() {
        let mut doc = json!({
            "paths": {"/a/{id}/{at}": {
                "parameters": [{"$ref": "#/components/parameters/Id"}, {"name": "tags", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "string"}}}],
                "get": {"operationId": "get_a", "parameters": [
                    {"name": "at", "in": "path", "required": true, "style": "matrix", "explode": true, "schema": {"type": "object", "properties": {"x": {"type": "integer"}}}},
                    {"name": "filter", "in": "query", "style": "deepObject", "schema": {"type": "object"}},
                    {"name": "session", "in": "cookie", "schema": {"type": "string", "nullable": true}},
                    {"name": "q", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
                    {"name": "X-Doc", "in": "header", "content": {"application/vnd.api+json": {}}},
                    {"name": "csv", "in": "query", "content": {"text/csv": {"schema": {"type": "array"}}}},
                    {"name": "raw", "in": "querystring", "content": {"application/x-www-form-urlencoded": {}}}
                ]},
                "put": {"operationId": "put_a", "parameters": [
                    {"name": "filter", "in": "query", "required": true, "style": "deepObject", "schema": {"type": "object"}},
                    {"name": "raw", "in": "querystring", "required": true, "content": {"text/plain": {}}}
                ]}
            }},
            "components": {"parameters": {"Id": {"name": "id", "in": "path", "required": true, "style": "label", "schema": {"type": "array", "items": {"type": "string"}}}}}
        });
        normalize_parameters(&mut doc);
        let get = &doc["paths"]["/a/{id}/{at}"]["get"];
        assert_eq!(
            get["parameters"],
            json!([
                // Path styles: `simple` to progenitor; an array or object stays typed.
                {"name": "id", "in": "path", "required": true, "style": "simple", "schema": {"type": "array", "items": {"type": "string"}}, "x-tasks-sdk-style": "label"},
                {"name": "tags", "in": "query", "style": "form", "schema": {"type": "array", "items": {"type": "string"}}, "x-tasks-sdk-style": "pipeDelimited"},
                {"name": "at", "in": "path", "required": true, "style": "simple", "explode": true, "schema": {"type": "object", "properties": {"x": {"type": "integer"}}}, "x-tasks-sdk-style": "matrix"},
                {"name": "filter", "in": "query", "style": "form", "schema": {"type": "object"}, "x-tasks-sdk-style": "deepObject"},
                // A cookie is a header to progenitor, never null.
                {"name": "session", "in": "header", "schema": {"type": "string"}, "x-tasks-sdk-in": "cookie"},
                // JSON content: its schema (any JSON value without one); another media
                // type: a string.
                {"name": "q", "in": "query", "x-tasks-sdk-content": "application/json", "schema": {"type": "object"}},
                {"name": "X-Doc", "in": "header", "x-tasks-sdk-content": "application/vnd.api+json", "schema": {}},
                {"name": "csv", "in": "query", "schema": {"type": "string"}}
            ])
        );
        // What progenitor's types cannot hold the way the document sends it stays as the
        // setters took it: a form object is a map of strings, a header object a string.
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
        assert!(doc["paths"]["/a/{id}/{at}"].get("parameters").is_none());
        // Only OpenAPI 3.2's querystring is left out: the parameter, or its operation
        // when required.
        assert!(doc["paths"]["/a/{id}/{at}"].get("put").is_none());
        assert_eq!(doc["x-tasks-sdk-skipped"][0]["operationId"], "put_a");
        assert_eq!(
            doc["x-tasks-sdk-skipped-parameters"],
            json!([{"operationId": "get_a", "name": "raw", "why": "an OpenAPI 3.2 querystring parameter, which the generator does not support yet"}])
        );
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
    fn a_struct_parameter_refers_to_a_component_progenitor_writes_as_the_struct() {
        let mut doc = json!({
            "paths": {
                "/a": {"get": {"operationId": "getA", "parameters": [
                    {"name": "filter", "in": "query", "schema": {"$ref": "#/components/schemas/Filter"}},
                    {"name": "range", "in": "query", "schema": {"type": "object", "nullable": true, "properties": {"from": {"type": "integer"}}}},
                    {"name": "map", "in": "query", "schema": {"type": "object", "additionalProperties": {"type": "string"}}},
                    {"name": "ids", "in": "query", "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Filter"}}}
                ]}},
                "/b": {"get": {"operationId": "getB", "parameters": [
                    {"name": "f", "in": "header", "schema": {"allOf": [{"$ref": "#/components/schemas/Filter"}]}},
                    {"name": "g", "in": "header", "schema": {"$ref": "#/components/schemas/Filter"}}
                ]}}
            },
            "components": {"schemas": {
                "Filter": {"type": "object", "properties": {"a": {"type": "string"}}},
                "GetARange": {"type": "string"}
            }}
        });
        struct_parameters(&mut doc);
        let schema =
            |path: &str, i: usize| doc["paths"][path]["get"]["parameters"][i]["schema"].clone();
        let alias = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        assert_eq!(schema("/a", 0), alias("FilterParameter"));
        // An inline struct: a component named as progenitor names the parameter's type
        // (taken here: numbered), never null.
        assert_eq!(schema("/a", 1), alias("GetARange2Parameter"));
        assert_eq!(
            doc["components"]["schemas"]["GetARange2"],
            json!({"type": "object", "properties": {"from": {"type": "integer"}}})
        );
        assert_eq!(
            doc["components"]["schemas"]["GetARange2Parameter"],
            json!({"$ref": "#/components/schemas/GetARange2", "x-tasks-sdk-parameter-type": "GetARange2"})
        );
        // A map and an array are no structs.
        assert_eq!(schema("/a", 2)["additionalProperties"]["type"], "string");
        assert_eq!(schema("/a", 3)["type"], "array");
        // One alias per struct.
        assert_eq!(schema("/b", 1), alias("FilterParameter"));
        assert_eq!(schema("/b", 0), alias("GetBfParameter"));
        assert_eq!(
            crate::model::params::param_types(&doc)
                .iter()
                .map(|t| (t.alias.as_str(), t.target.as_str()))
                .collect::<Vec<_>>(),
            [
                ("FilterParameter", "Filter"),
                ("GetARange2Parameter", "GetARange2"),
                ("GetBfParameter", "GetBf")
            ]
        );
    }
}

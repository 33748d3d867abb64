//! Swagger 2.0 operations, parameters and responses in OpenAPI 3.0's words.

use serde_json::{Map, Value, json};

use super::context::{Context, SCHEMA_KEYS, copy_extensions, location, media_types};
use super::schemas::fix_schema;

/// A non-body parameter: a `$ref` stays (rewritten later), one written out goes
/// through [`parameter`].
pub(super) fn non_body(param: &Value, resolved: &Value) -> Result<Value, String> {
    if param.get("$ref").is_some() {
        Ok(param.clone())
    } else {
        Ok(parameter(resolved))
    }
}

/// One operation: `consumes`/`produces` become the media types of its `requestBody`
/// and responses (its own, else the document's, else `application/json`), `body` and
/// `formData` parameters (its own, and the path item's it does not redeclare) its
/// `requestBody`; `schemes` is dropped (3.0 would need a server per operation, which
/// the generator does not read).
pub(super) fn operation(
    op: &Value,
    inherited: &[Value],
    cx: &Context,
    at: &str,
) -> Result<Value, String> {
    let Some(fields) = op.as_object() else {
        return Ok(op.clone());
    };
    let consumes = media_types(fields.get("consumes"), &cx.consumes);
    let produces = media_types(fields.get("produces"), &cx.produces);
    let own: Vec<&Value> = fields
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .collect();
    let key_of = |p: &Value| {
        let (resolved, _) = cx.resolve(p);
        (
            resolved.get("name").cloned().unwrap_or_default(),
            location(resolved).to_owned(),
        )
    };
    let declared: Vec<_> = own.iter().map(|p| key_of(p)).collect();
    let mut params = Vec::new();
    let mut body = None;
    let mut form = Vec::new();
    let overridden = |p: &&Value| declared.contains(&key_of(p));
    for param in inherited
        .iter()
        .filter(|p| !overridden(p))
        .chain(own.iter().copied())
    {
        let (resolved, component) = cx.resolve(param);
        match location(resolved) {
            "body" if body.is_some() => {
                return Err(format!("more than one body parameter at {at}.parameters"));
            }
            "body" => body = Some((resolved, component)),
            "formData" => form.push(resolved),
            _ => params.push(non_body(param, resolved)?),
        }
    }
    let request_body = match (body, form.is_empty()) {
        (Some(_), false) => {
            return Err(format!(
                "both body and formData parameters at {at}.parameters (Swagger 2.0 allows one or the other)"
            ));
        }
        // The component was built with the document's media types: the operation
        // refers to it when its own are the same.
        (Some((_, Some(name))), _) if consumes == cx.consumes => {
            Some(json!({"$ref": format!("#/components/requestBodies/{name}")}))
        }
        (Some((param, _)), _) => Some(body_request(param, &consumes)),
        (None, false) => Some(form_request(&form, &consumes)),
        (None, true) => None,
    };
    let mut out = Map::new();
    for (key, value) in fields {
        match key.as_str() {
            "consumes" | "produces" | "schemes" => {}
            "parameters" => {
                if !params.is_empty() {
                    out.insert(key.clone(), Value::Array(params.clone()));
                }
                if let Some(body) = &request_body {
                    out.insert("requestBody".into(), body.clone());
                }
            }
            "responses" => {
                out.insert(key.clone(), responses(value, &produces));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(body) = request_body
        && !out.contains_key("requestBody")
    {
        out.insert("requestBody".into(), body);
    }
    Ok(Value::Object(out))
}

/// A `body` parameter → a request body with its schema under each media type of
/// `consumes`; `description`, `required` and vendor extensions kept.
pub(super) fn body_request(param: &Value, consumes: &[String]) -> Value {
    let mut schema = param.get("schema").cloned().unwrap_or_else(|| json!({}));
    fix_schema(&mut schema);
    let mut out = Map::new();
    if let Some(description) = param.get("description") {
        out.insert("description".into(), description.clone());
    }
    let content: Map<String, Value> = consumes
        .iter()
        .map(|media| (media.clone(), json!({"schema": schema.clone()})))
        .collect();
    out.insert("content".into(), Value::Object(content));
    if param.get("required") == Some(&json!(true)) {
        out.insert("required".into(), json!(true));
    }
    copy_extensions(param, &mut out);
    Value::Object(out)
}

/// `formData` parameters → one request body whose schema is an object with a property
/// per parameter (`required` from theirs): `multipart/form-data` when `consumes` lists
/// it or a parameter is a file, else `application/x-www-form-urlencoded` (whose arrays
/// get an `encoding` from their `collectionFormat`).
pub(super) fn form_request(params: &[&Value], consumes: &[String]) -> Value {
    let multipart = consumes.iter().any(|m| essence(m) == "multipart/form-data")
        || params
            .iter()
            .any(|p| p.get("type").and_then(Value::as_str) == Some("file"));
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut encoding = Map::new();
    for param in params {
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let (mut schema, serialization) = parameter_schema(param, "formData");
        if let (Some(description), Value::Object(s)) = (param.get("description"), &mut schema) {
            s.insert("description".into(), description.clone());
        }
        if param.get("required") == Some(&json!(true)) {
            required.push(json!(name));
        }
        if let Some(Serialization::Style(style, explode)) = serialization
            && !multipart
        {
            encoding.insert(name.clone(), json!({"style": style, "explode": explode}));
        }
        properties.insert(name, schema);
    }
    let mut schema = json!({"type": "object", "properties": properties});
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    let media = if multipart {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut media_type = json!({"schema": schema});
    if !encoding.is_empty() {
        media_type["encoding"] = Value::Object(encoding);
    }
    let mut out = json!({"content": {media: media_type}});
    if params
        .iter()
        .any(|p| p.get("required") == Some(&json!(true)))
    {
        out["required"] = json!(true);
    }
    out
}

/// A media type without its parameters: `multipart/form-data; boundary=x` →
/// `multipart/form-data`.
pub(super) fn essence(media: &str) -> &str {
    media.split(';').next().unwrap_or(media).trim()
}

/// How an array parameter travels, from its `collectionFormat`.
#[derive(Debug, PartialEq)]
pub(super) enum Serialization {
    /// A 3.0 `style` and `explode`.
    Style(&'static str, bool),
    /// No 3.0 style says it: the parameter becomes the string the caller joins with
    /// this separator (named for the description).
    Joined(&'static str),
}

/// `collectionFormat` (absent: `csv`, 2.0's default) of an array parameter `in`
/// `location` → its 3.0 serialization. `formData` reads as `query` (the form encoding
/// uses the same styles).
pub(super) fn serialization(collection_format: Option<&str>, location: &str) -> Serialization {
    let query = matches!(location, "query" | "formData");
    match (collection_format.unwrap_or("csv"), query) {
        ("multi", true) => Serialization::Style("form", true),
        ("ssv", true) => Serialization::Style("spaceDelimited", false),
        ("pipes", true) => Serialization::Style("pipeDelimited", false),
        // 3.0 has no tab-separated style, nor space- or pipe-separated values outside
        // a query: one string, which the caller joins with the separator (the wire
        // value is then exact; the item type is lost).
        ("tsv", _) => Serialization::Joined("tabs"),
        ("ssv", false) => Serialization::Joined("spaces"),
        ("pipes", false) => Serialization::Joined("`|`"),
        // `csv` (and anything unknown): commas, which is `form` without explode in a
        // query and `simple` in a path or header. `multi` outside a query is not
        // valid 2.0: `simple` too.
        (_, true) => Serialization::Style("form", false),
        (_, false) => Serialization::Style("simple", false),
    }
}

/// The schema of a non-body parameter (its `type`, `format`, `items`, `enum`,
/// `default`, bounds, ...; `x-nullable` read) and, for an array, its serialization.
/// A `Joined` array becomes a string schema.
pub(super) fn parameter_schema(param: &Value, location: &str) -> (Value, Option<Serialization>) {
    let mut schema = Map::new();
    for key in SCHEMA_KEYS {
        if let Some(value) = param.get(*key) {
            let value = if *key == "items" {
                items_schema(value)
            } else {
                value.clone()
            };
            schema.insert((*key).into(), value);
        }
    }
    if param.get("x-nullable") == Some(&json!(true)) {
        schema.insert("nullable".into(), json!(true));
    }
    let mut schema = Value::Object(schema);
    fix_schema(&mut schema);
    if schema.get("type").and_then(Value::as_str) != Some("array") {
        return (schema, None);
    }
    let format = param.get("collectionFormat").and_then(Value::as_str);
    let serialization = serialization(format, location);
    if let Serialization::Joined(separator) = serialization {
        schema = json!({
            "type": "string",
            "description": format!(
                "The values joined with {separator} (Swagger 2.0 `collectionFormat: {}`).",
                format.unwrap_or("csv")
            )
        });
    }
    (schema, Some(serialization))
}

/// A 2.0 items object (a parameter's or header's `items`) → a schema: the same fields,
/// nested `items` too; a nested `collectionFormat` has no 3.0 equivalent and goes.
pub(super) fn items_schema(items: &Value) -> Value {
    let Some(fields) = items.as_object() else {
        return items.clone();
    };
    let mut out = Map::new();
    for (key, value) in fields {
        match key.as_str() {
            "collectionFormat" => {}
            "items" => {
                out.insert(key.clone(), items_schema(value));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

/// A non-body parameter → 3.0: its schema fields move into `schema`, `collectionFormat`
/// becomes `style`/`explode` ([`serialization`]); `name`, `in`, `description`,
/// `required`, `allowEmptyValue` and vendor extensions stay.
pub(super) fn parameter(param: &Value) -> Value {
    let Some(fields) = param.as_object() else {
        return param.clone();
    };
    let location = location(param);
    let (schema, serialization) = parameter_schema(param, location);
    let mut out = Map::new();
    for (key, value) in fields {
        if SCHEMA_KEYS.contains(&key.as_str()) || key == "collectionFormat" || key == "x-nullable" {
            continue;
        }
        out.insert(key.clone(), value.clone());
    }
    if schema.as_object().is_some_and(|s| !s.is_empty()) {
        out.insert("schema".into(), schema);
    }
    match serialization {
        Some(Serialization::Style(style, explode)) => {
            out.insert("style".into(), json!(style));
            if style != "simple" {
                out.insert("explode".into(), json!(explode));
            }
        }
        Some(Serialization::Joined(_)) => {
            // Kept, so that the original format is still there to read.
            let format = param
                .get("collectionFormat")
                .cloned()
                .unwrap_or(json!("csv"));
            out.insert("x-collectionFormat".into(), format);
        }
        None => {}
    }
    Value::Object(out)
}

/// An operation's (or the components') `responses`: each through [`response`]; a
/// `$ref` stays (rewritten later).
pub(super) fn responses(value: &Value, produces: &[String]) -> Value {
    let Some(codes) = value.as_object() else {
        return value.clone();
    };
    let out: Map<String, Value> = codes
        .iter()
        .map(|(code, r)| (code.clone(), response(r, produces)))
        .collect();
    Value::Object(out)
}

/// One response: its `schema` under each media type of `produces` as `content` (an
/// `examples` entry of that media type as its `example`), its `headers` converted.
pub(super) fn response(value: &Value, produces: &[String]) -> Value {
    let Some(fields) = value.as_object() else {
        return value.clone();
    };
    if fields.contains_key("$ref") {
        return value.clone();
    }
    let examples = fields.get("examples").and_then(Value::as_object);
    let mut out = Map::new();
    for (key, value) in fields {
        match key.as_str() {
            "schema" => {
                let mut schema = value.clone();
                fix_schema(&mut schema);
                let content: Map<String, Value> = produces
                    .iter()
                    .map(|media| {
                        let mut entry = json!({"schema": schema.clone()});
                        if let Some(example) = examples.and_then(|e| e.get(media)) {
                            entry["example"] = example.clone();
                        }
                        (media.clone(), entry)
                    })
                    .collect();
                out.insert("content".into(), Value::Object(content));
            }
            "examples" => {}
            "headers" => {
                let headers: Map<String, Value> = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, h)| (name.clone(), header(h)))
                    .collect();
                out.insert(key.clone(), Value::Object(headers));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(out)
}

/// A response header: `description` and vendor extensions stay, the rest is its
/// `schema` (a `csv` array is the `simple` style, a header's default).
pub(super) fn header(value: &Value) -> Value {
    let Some(fields) = value.as_object() else {
        return value.clone();
    };
    let (schema, _) = parameter_schema(value, "header");
    let mut out = Map::new();
    for (key, value) in fields {
        if !SCHEMA_KEYS.contains(&key.as_str()) && key != "collectionFormat" && key != "x-nullable"
        {
            out.insert(key.clone(), value.clone());
        }
    }
    out.insert("schema".into(), schema);
    Value::Object(out)
}

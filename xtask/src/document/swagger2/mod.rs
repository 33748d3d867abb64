//! Swagger 2.0 → OpenAPI 3.0.3, in memory, with the mapping of the OpenAPI 3.0
//! specification. [`upgrade`] is called by [`crate::document::parse`] (and by `pull`
//! after its own parse), so every reader of a document (regen, `corpus`,
//! `add-provider`, `pull`, the release baseline) sees 3.0; the vendored file stays as
//! published.
//!
//! - `host` + `basePath` + `schemes` → `servers` ([`servers`]);
//! - `definitions`, `parameters`, `responses`, `securityDefinitions` → `components`
//!   ([`components`]), every `$ref` rewritten ([`rewrite_refs`]);
//! - `body` parameters → `requestBody` ([`body_request`]), `formData` parameters → one
//!   form `requestBody` ([`form_request`]), the others get a `schema` and a
//!   `style`/`explode` ([`parameter`]);
//! - response `schema`s → `content` ([`operations::response`]);
//! - schemas: `x-nullable`, a string `discriminator`, `type: file` ([`fix_schema`]).
//!
//! What 3.0 cannot say is approximated, each case at its function: a `tsv` array (and
//! `ssv`/`pipes` outside a query) becomes the joined string; operation-level `schemes`
//! are dropped.
//!
//! Files: this one walks the document; `context` holds what every part reads (the
//! top-level `consumes`/`produces`/`parameters`), `operations` converts operations,
//! parameters and responses, `schemas` converts schemas, `$ref`s and security schemes.

mod context;
mod operations;
mod schemas;

use context::{Context, location};
use operations::{body_request, form_request, non_body, operation, parameter};
use schemas::{fix_schema, rewrite_refs, security_scheme};
use serde_json::{Map, Value, json};

use super::segment;

/// The `openapi` version a converted document declares.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// The document every later stage reads: a Swagger 2.0 document converted to OpenAPI
/// 3.0.3, anything else as it is (`check_version` judges it). Another Swagger version
/// is an error that says so.
pub fn upgrade(doc: Value) -> Result<Value, String> {
    if doc.get("openapi").is_some() {
        return Ok(doc);
    }
    let (key, version) = match (doc.get("swagger"), doc.get("swaggerVersion")) {
        (Some(v), _) => ("swagger", v),
        // Swagger 1.x names its version `swaggerVersion`.
        (None, Some(v)) => ("swaggerVersion", v),
        (None, None) => return Ok(doc),
    };
    // `swagger: 2.0` unquoted in YAML is a number; the intent is plain.
    let is_two = match version {
        Value::String(v) => v == "2.0",
        Value::Number(n) => n.as_f64() == Some(2.0),
        _ => false,
    };
    if key == "swagger" && is_two {
        return convert(&doc);
    }
    let shown = match version {
        Value::String(v) => format!("{v:?}"),
        other => other.to_string(),
    };
    Err(format!(
        "unsupported Swagger version {shown} at $.{key} (Swagger 2.0 is converted to \
         OpenAPI {OPENAPI_VERSION}; OpenAPI 3.0.x and 3.1.x are read as they are)"
    ))
}

/// Converts a Swagger 2.0 document (a mapping) to OpenAPI 3.0.3. Top-level fields keep
/// their order; `servers` follow `info`, `components` come last.
pub fn convert(doc: &Value) -> Result<Value, String> {
    let top = doc.as_object().cloned().unwrap_or_default();
    let cx = Context::new(&top);
    let servers = servers(&top);
    let mut out = Map::new();
    for (key, value) in &top {
        match key.as_str() {
            "swagger" => {
                out.insert("openapi".into(), json!(OPENAPI_VERSION));
            }
            "info" => {
                out.insert(key.clone(), value.clone());
                if !servers.is_empty() {
                    out.insert("servers".into(), Value::Array(servers.clone()));
                }
            }
            "paths" => {
                out.insert(key.clone(), paths(value, &cx)?);
            }
            "host"
            | "basePath"
            | "schemes"
            | "consumes"
            | "produces"
            | "definitions"
            | "parameters"
            | "responses"
            | "securityDefinitions" => {}
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if !servers.is_empty() && !out.contains_key("servers") {
        out.insert("servers".into(), Value::Array(servers));
    }
    let components = components(&top, &cx)?;
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    let mut out = Value::Object(out);
    rewrite_refs(&mut out, &cx.request_bodies);
    Ok(out)
}

/// `host` + `basePath` + `schemes` → one server per scheme, `https` first (no
/// `schemes`: `https`). Without a `host`, the server is the relative `basePath` (the
/// document's own host, which the generator cannot know); with neither, none.
fn servers(top: &Map<String, Value>) -> Vec<Value> {
    let base_path = match top.get("basePath").and_then(Value::as_str) {
        Some(p) if !p.is_empty() && !p.starts_with('/') => format!("/{p}"),
        Some(p) => p.to_owned(),
        None => String::new(),
    };
    let Some(host) = top
        .get("host")
        .and_then(Value::as_str)
        .filter(|h| !h.is_empty())
    else {
        return if base_path.is_empty() {
            Vec::new()
        } else {
            vec![json!({"url": base_path})]
        };
    };
    // A host written with its scheme (`https://api.example.com`) is read leniently.
    let host = host.split_once("://").map_or(host, |(_, h)| h);
    let host = host.trim_end_matches('/');
    let mut schemes: Vec<&str> = top
        .get("schemes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if schemes.is_empty() {
        schemes.push("https");
    }
    // Stable: `https` first, the rest in document order.
    schemes.sort_by_key(|s| *s != "https");
    schemes.dedup();
    let path = base_path.trim_end_matches('/');
    schemes
        .into_iter()
        .map(|scheme| json!({"url": format!("{scheme}://{host}{path}")}))
        .collect()
}

/// `paths`: every path item through [`path_item`].
fn paths(value: &Value, cx: &Context) -> Result<Value, String> {
    let Some(items) = value.as_object() else {
        return Ok(value.clone());
    };
    let mut out = Map::new();
    for (path, item) in items {
        let at = format!("$.paths{}", segment(path));
        out.insert(path.clone(), path_item(item, cx, &at)?);
    }
    Ok(Value::Object(out))
}

/// One path item: its operations through [`operation`]; its own `body`/`formData`
/// parameters move down to each operation (3.0 has no path-level request body), the
/// others stay, converted.
fn path_item(item: &Value, cx: &Context, at: &str) -> Result<Value, String> {
    let Some(fields) = item.as_object() else {
        return Ok(item.clone());
    };
    let mut shared = Vec::new();
    let mut inherited = Vec::new();
    for param in fields
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let (resolved, _) = cx.resolve(param);
        if matches!(location(resolved), "body" | "formData") {
            inherited.push(param.clone());
        } else {
            shared.push(non_body(param, resolved)?);
        }
    }
    let mut out = Map::new();
    for (key, value) in fields {
        if super::METHODS.contains(&key.as_str()) {
            let op_at = format!("{at}.{key}");
            out.insert(key.clone(), operation(value, &inherited, cx, &op_at)?);
        } else if key == "parameters" {
            if !shared.is_empty() {
                out.insert(key.clone(), Value::Array(shared.clone()));
            }
        } else {
            out.insert(key.clone(), value.clone());
        }
    }
    Ok(Value::Object(out))
}

/// `components` from `definitions` (→ `schemas`), `responses`, `parameters` (→
/// `parameters`, or `requestBodies` for `body` and `formData` ones, with the
/// document's media types) and `securityDefinitions` (→ `securitySchemes`).
fn components(top: &Map<String, Value>, cx: &Context) -> Result<Map<String, Value>, String> {
    let mut out = Map::new();
    if let Some(definitions) = top.get("definitions").and_then(Value::as_object) {
        let schemas: Map<String, Value> = definitions
            .iter()
            .map(|(name, schema)| {
                let mut schema = schema.clone();
                fix_schema(&mut schema);
                (name.clone(), schema)
            })
            .collect();
        out.insert("schemas".into(), Value::Object(schemas));
    }
    if let Some(responses) = top.get("responses") {
        out.insert(
            "responses".into(),
            operations::responses(responses, &cx.produces),
        );
    }
    let mut parameters = Map::new();
    let mut request_bodies = Map::new();
    for (name, param) in &cx.parameters {
        match location(param) {
            "body" => {
                request_bodies.insert(name.clone(), body_request(param, &cx.consumes));
            }
            "formData" => {
                request_bodies.insert(name.clone(), form_request(&[param], &cx.consumes));
            }
            _ if param.get("$ref").is_some() => {
                parameters.insert(name.clone(), param.clone());
            }
            _ => {
                parameters.insert(name.clone(), parameter(param));
            }
        }
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Object(parameters));
    }
    if !request_bodies.is_empty() {
        out.insert("requestBodies".into(), Value::Object(request_bodies));
    }
    if let Some(definitions) = top.get("securityDefinitions").and_then(Value::as_object) {
        let mut schemes = Map::new();
        for (name, scheme) in definitions {
            let at = format!("$.securityDefinitions{}", segment(name));
            schemes.insert(name.clone(), security_scheme(scheme, &at)?);
        }
        out.insert("securitySchemes".into(), Value::Object(schemes));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2.0 document with `fields` added to a minimal top level.
    fn doc(fields: Value) -> Value {
        let mut doc =
            json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}});
        for (key, value) in fields.as_object().unwrap() {
            doc[key] = value.clone();
        }
        doc
    }

    fn converted(fields: Value) -> Value {
        convert(&doc(fields)).unwrap()
    }

    /// The converted document's `paths['/x'].<method>`, for a 2.0 operation.
    fn converted_op(method: &str, op: Value, more: Value) -> Value {
        let mut fields = more;
        fields["paths"] = json!({"/x": {method: op}});
        converted(fields)["paths"]["/x"][method].clone()
    }

    #[test]
    fn versions_are_read_and_others_refused() {
        let out = upgrade(doc(json!({}))).unwrap();
        assert_eq!(out["openapi"], "3.0.3");
        assert!(out.get("swagger").is_none());
        let keys: Vec<&String> = out.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["openapi", "info", "paths"], "order kept");
        // `swagger: 2.0` unquoted in YAML is a number.
        let number = upgrade(json!({"swagger": 2.0, "info": {}, "paths": {}})).unwrap();
        assert_eq!(number["openapi"], "3.0.3");
        let err = upgrade(json!({"swagger": "1.2"})).unwrap_err();
        assert!(
            err.starts_with(
                "unsupported Swagger version \"1.2\" at $.swagger (Swagger 2.0 is converted"
            ),
            "{err}"
        );
        let err = upgrade(json!({"swaggerVersion": "1.2"})).unwrap_err();
        assert!(
            err.starts_with("unsupported Swagger version \"1.2\" at $.swaggerVersion"),
            "{err}"
        );
        let err = upgrade(json!({"swagger": 3})).unwrap_err();
        assert!(
            err.starts_with("unsupported Swagger version 3 at $.swagger"),
            "{err}"
        );
        // OpenAPI, and documents that are neither, are not touched.
        let openapi = json!({"openapi": "3.0.3", "swagger": "2.0"});
        assert_eq!(upgrade(openapi.clone()).unwrap(), openapi);
        assert_eq!(upgrade(json!({"info": {}})).unwrap(), json!({"info": {}}));
    }

    #[test]
    fn host_base_path_and_schemes_become_servers() {
        let out = converted(json!({
            "host": "api.example.test", "basePath": "/v2", "schemes": ["http", "wss", "https"]
        }));
        assert_eq!(
            out["servers"],
            json!([
                {"url": "https://api.example.test/v2"},
                {"url": "http://api.example.test/v2"},
                {"url": "wss://api.example.test/v2"}
            ])
        );
        let keys: Vec<&String> = out.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["openapi", "info", "servers", "paths"]);
        // No schemes: https. A basePath of `/` adds nothing.
        let out = converted(json!({"host": "api.example.test", "basePath": "/"}));
        assert_eq!(out["servers"], json!([{"url": "https://api.example.test"}]));
        // No host: the basePath, relative.
        let out = converted(json!({"basePath": "/api", "schemes": ["http"]}));
        assert_eq!(out["servers"], json!([{"url": "/api"}]));
        // Neither: no server (the user gives the base URL).
        assert!(converted(json!({})).get("servers").is_none());
    }

    #[test]
    fn definitions_parameters_and_responses_become_components_and_refs_follow() {
        let out = converted(json!({
            "definitions": {
                "Task": {"type": "object", "properties": {
                    "owner": {"$ref": "#/definitions/User"},
                    "tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}},
                    "extra": {"additionalProperties": {"$ref": "#/definitions/Tag"}}
                }},
                "User": {"allOf": [{"$ref": "#/definitions/Base"}, {"type": "object"}]},
                "Base": {"type": "object", "example": {"$ref": "#/definitions/Data"}},
                "Tag": {"type": "string"}
            },
            "parameters": {
                "Limit": {"name": "limit", "in": "query", "type": "integer", "maximum": 100},
                "NewTask": {"name": "task", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Task"}}
            },
            "responses": {
                "NotFound": {"description": "missing", "schema": {"$ref": "#/definitions/Base"}}
            },
            "paths": {"/tasks": {
                "get": {
                    "parameters": [{"$ref": "#/parameters/Limit"}],
                    "responses": {
                        "200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Task"}}},
                        "404": {"$ref": "#/responses/NotFound"}
                    }
                },
                "post": {
                    "parameters": [{"$ref": "#/parameters/NewTask"}],
                    "responses": {"201": {"description": "created"}}
                }
            }}
        }));
        let c = &out["components"];
        let keys: Vec<&String> = c.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["schemas", "responses", "parameters", "requestBodies"]
        );
        let task = &c["schemas"]["Task"]["properties"];
        assert_eq!(task["owner"], json!({"$ref": "#/components/schemas/User"}));
        assert_eq!(
            task["tags"]["items"],
            json!({"$ref": "#/components/schemas/Tag"})
        );
        assert_eq!(
            task["extra"]["additionalProperties"]["$ref"],
            "#/components/schemas/Tag"
        );
        assert_eq!(
            c["schemas"]["User"]["allOf"][0]["$ref"],
            "#/components/schemas/Base"
        );
        assert_eq!(
            c["schemas"]["Base"]["example"],
            json!({"$ref": "#/definitions/Data"}),
            "examples are data"
        );
        assert_eq!(
            c["parameters"]["Limit"],
            json!({"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}})
        );
        assert_eq!(
            c["requestBodies"]["NewTask"],
            json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}, "required": true})
        );
        assert_eq!(
            c["responses"]["NotFound"],
            json!({"description": "missing", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Base"}}}})
        );
        let get = &out["paths"]["/tasks"]["get"];
        assert_eq!(
            get["parameters"],
            json!([{"$ref": "#/components/parameters/Limit"}])
        );
        assert_eq!(
            get["responses"]["404"],
            json!({"$ref": "#/components/responses/NotFound"})
        );
        assert_eq!(
            get["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"],
            "#/components/schemas/Task"
        );
        let post = &out["paths"]["/tasks"]["post"];
        assert!(post.get("parameters").is_none());
        assert_eq!(
            post["requestBody"],
            json!({"$ref": "#/components/requestBodies/NewTask"})
        );
        // A property called `example` is a schema, not an example; one called
        // `properties` has keywords.
        let named = converted(json!({"definitions": {
            "A": {"type": "object", "properties": {
                "example": {"$ref": "#/definitions/B"},
                "properties": {"$ref": "#/definitions/B", "description": "d"}
            }},
            "B": {"type": "string"}
        }}));
        let a = &named["components"]["schemas"]["A"]["properties"];
        assert_eq!(a["example"]["$ref"], "#/components/schemas/B");
        assert_eq!(a["properties"]["$ref"], "#/components/schemas/B");
        let mut refs = Vec::new();
        super::super::collect_refs(&out, "$", false, &mut refs);
        assert!(
            refs.iter().all(|(r, _)| r.starts_with("#/components/")),
            "{refs:?}"
        );
    }

    #[test]
    fn body_parameters_become_request_bodies_with_consumes() {
        let body = json!({"name": "task", "in": "body", "description": "The task.", "required": true,
                          "x-example": 1, "schema": {"type": "object"}});
        // The operation's consumes first.
        let op = converted_op(
            "post",
            json!({"consumes": ["application/xml", "application/json"], "parameters": [body], "responses": {"204": {"description": "ok"}}}),
            json!({"consumes": ["text/plain"]}),
        );
        assert_eq!(
            op["requestBody"],
            json!({
                "description": "The task.",
                "content": {
                    "application/xml": {"schema": {"type": "object"}},
                    "application/json": {"schema": {"type": "object"}}
                },
                "required": true,
                "x-example": 1
            })
        );
        assert!(op.get("consumes").is_none() && op.get("parameters").is_none());
        // Then the document's, then JSON.
        let op = converted_op(
            "put",
            json!({"parameters": [body], "responses": {"204": {"description": "ok"}}}),
            json!({"consumes": ["application/vnd.api+json"]}),
        );
        assert_eq!(
            op["requestBody"]["content"],
            json!({"application/vnd.api+json": {"schema": {"type": "object"}}})
        );
        let op = converted_op(
            "put",
            json!({"parameters": [body], "responses": {"204": {"description": "ok"}}}),
            json!({}),
        );
        assert_eq!(
            op["requestBody"]["content"],
            json!({"application/json": {"schema": {"type": "object"}}})
        );
        // A body parameter component, with other media types than the document's: a copy.
        let op = converted_op(
            "put",
            json!({"consumes": ["application/xml"], "parameters": [{"$ref": "#/parameters/Body"}], "responses": {"204": {"description": "ok"}}}),
            json!({"parameters": {"Body": body}}),
        );
        assert_eq!(
            op["requestBody"]["content"],
            json!({"application/xml": {"schema": {"type": "object"}}})
        );
    }

    #[test]
    fn path_level_body_parameters_move_to_each_operation() {
        let out = converted(json!({"paths": {"/x/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": true, "type": "string"},
                {"name": "task", "in": "body", "schema": {"type": "object"}}
            ],
            "put": {"responses": {"204": {"description": "ok"}}},
            "patch": {"parameters": [{"name": "task", "in": "body", "schema": {"type": "string"}}], "responses": {"204": {"description": "ok"}}}
        }}}));
        let item = &out["paths"]["/x/{id}"];
        assert_eq!(
            item["parameters"],
            json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
        );
        assert_eq!(
            item["put"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "object"})
        );
        assert_eq!(
            item["patch"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "string"}),
            "redeclared"
        );
        let err = convert(&doc(json!({"paths": {"/x": {"post": {
            "parameters": [{"name": "a", "in": "body", "schema": {}}, {"name": "b", "in": "formData", "type": "string"}],
            "responses": {"204": {"description": "ok"}}
        }}}}))).unwrap_err();
        assert_eq!(
            err,
            "both body and formData parameters at $.paths['/x'].post.parameters (Swagger 2.0 allows one or the other)"
        );
    }

    #[test]
    fn form_data_parameters_become_one_form_body() {
        let name = json!({"name": "name", "in": "formData", "type": "string", "required": true, "description": "Its name."});
        let tags = json!({"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"});
        let op = converted_op(
            "post",
            json!({"parameters": [name, tags], "responses": {"204": {"description": "ok"}}}),
            json!({}),
        );
        assert_eq!(
            op["requestBody"],
            json!({
                "content": {"application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string", "description": "Its name."},
                            "tags": {"type": "array", "items": {"type": "string"}}
                        },
                        "required": ["name"]
                    },
                    "encoding": {"tags": {"style": "form", "explode": true}}
                }},
                "required": true
            })
        );
        // A file: multipart, a binary string.
        let file = json!({"name": "file", "in": "formData", "type": "file"});
        let op = converted_op(
            "post",
            json!({"consumes": ["application/x-www-form-urlencoded"], "parameters": [name, file], "responses": {"204": {"description": "ok"}}}),
            json!({}),
        );
        assert_eq!(
            op["requestBody"]["content"],
            json!({"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "Its name."},
                    "file": {"type": "string", "format": "binary"}
                },
                "required": ["name"]
            }}})
        );
        // consumes says multipart.
        let op = converted_op(
            "post",
            json!({"parameters": [{"name": "n", "in": "formData", "type": "integer"}], "responses": {"204": {"description": "ok"}}}),
            json!({"consumes": ["multipart/form-data"]}),
        );
        assert_eq!(
            op["requestBody"],
            json!({"content": {"multipart/form-data": {"schema": {"type": "object", "properties": {"n": {"type": "integer"}}}}}})
        );
    }

    #[test]
    fn non_body_parameters_get_a_schema_and_a_style() {
        let param = |p: Value| parameter(&p);
        assert_eq!(
            param(
                json!({"name": "q", "in": "query", "description": "d", "required": false, "allowEmptyValue": true,
                         "type": "string", "format": "date", "enum": ["a"], "default": "a", "minLength": 1,
                         "maxLength": 9, "pattern": "^a", "x-nullable": true, "x-kept": 1})
            ),
            json!({"name": "q", "in": "query", "description": "d", "required": false, "allowEmptyValue": true, "x-kept": 1,
                   "schema": {"type": "string", "format": "date", "enum": ["a"], "default": "a", "maxLength": 9, "minLength": 1, "pattern": "^a", "nullable": true}})
        );
        assert_eq!(
            param(
                json!({"name": "n", "in": "header", "type": "integer", "minimum": 1, "exclusiveMinimum": true, "maximum": 5, "multipleOf": 1})
            ),
            json!({"name": "n", "in": "header", "schema": {"type": "integer", "maximum": 5, "minimum": 1, "exclusiveMinimum": true, "multipleOf": 1}})
        );
        let array = |location: &str, format: Option<&str>| {
            let mut p = json!({"name": "ids", "in": location, "type": "array", "items": {"type": "integer", "collectionFormat": "csv"},
                               "minItems": 1, "uniqueItems": true});
            if let Some(format) = format {
                p["collectionFormat"] = json!(format);
            }
            parameter(&p)
        };
        let items = json!({"type": "array", "items": {"type": "integer"}, "minItems": 1, "uniqueItems": true});
        // csv (also when absent: 2.0's default): commas.
        for format in [Some("csv"), None] {
            let p = array("query", format);
            assert_eq!(
                (&p["schema"], &p["style"], &p["explode"]),
                (&items, &json!("form"), &json!(false)),
                "{format:?}"
            );
            for location in ["path", "header"] {
                let p = array(location, format);
                assert_eq!((&p["style"], p.get("explode")), (&json!("simple"), None));
            }
        }
        assert_eq!(
            (
                &array("query", Some("ssv"))["style"],
                &array("query", Some("ssv"))["explode"]
            ),
            (&json!("spaceDelimited"), &json!(false))
        );
        assert_eq!(array("query", Some("pipes"))["style"], "pipeDelimited");
        let multi = array("query", Some("multi"));
        assert_eq!(
            (&multi["style"], &multi["explode"]),
            (&json!("form"), &json!(true))
        );
        // tsv: the joined string (no 3.0 style says tabs), its format kept.
        let tsv = array("query", Some("tsv"));
        assert_eq!(
            tsv,
            json!({"name": "ids", "in": "query", "schema": {"type": "string",
                   "description": "The values joined with tabs (Swagger 2.0 `collectionFormat: tsv`)."},
                   "x-collectionFormat": "tsv"})
        );
        assert_eq!(array("header", Some("pipes"))["schema"]["type"], "string");
        // Not an array: collectionFormat means nothing.
        assert_eq!(
            param(json!({"name": "a", "in": "query", "type": "string", "collectionFormat": "csv"})),
            json!({"name": "a", "in": "query", "schema": {"type": "string"}})
        );
    }

    #[test]
    fn responses_get_content_from_produces_and_headers_schemas() {
        let op = converted_op(
            "get",
            json!({
                "produces": ["application/json", "text/csv"],
                "responses": {
                    "200": {
                        "description": "ok",
                        "schema": {"type": "array", "items": {"type": "string"}},
                        "examples": {"text/csv": "a,b"},
                        "headers": {
                            "X-Rate-Limit": {"type": "integer", "format": "int32", "description": "per hour", "x-h": 1},
                            "X-Ids": {"type": "array", "items": {"type": "string"}, "collectionFormat": "csv"}
                        },
                        "x-r": true
                    },
                    "204": {"description": "empty"}
                }
            }),
            json!({"produces": ["application/xml"]}),
        );
        assert_eq!(
            op["responses"]["200"],
            json!({
                "description": "ok",
                "content": {
                    "application/json": {"schema": {"type": "array", "items": {"type": "string"}}},
                    "text/csv": {"schema": {"type": "array", "items": {"type": "string"}}, "example": "a,b"}
                },
                "headers": {
                    "X-Rate-Limit": {"description": "per hour", "x-h": 1, "schema": {"type": "integer", "format": "int32"}},
                    "X-Ids": {"schema": {"type": "array", "items": {"type": "string"}}}
                },
                "x-r": true
            })
        );
        assert_eq!(op["responses"]["204"], json!({"description": "empty"}));
        assert!(op.get("produces").is_none());
        // The document's produces, then JSON; a file is bytes.
        let file = json!({"responses": {"200": {"description": "ok", "schema": {"type": "file"}}}});
        let op = converted_op(
            "get",
            file.clone(),
            json!({"produces": ["application/pdf"]}),
        );
        assert_eq!(
            op["responses"]["200"]["content"],
            json!({"application/pdf": {"schema": {"type": "string", "format": "binary"}}})
        );
        let op = converted_op("get", file, json!({}));
        assert_eq!(
            op["responses"]["200"]["content"],
            json!({"application/json": {"schema": {"type": "string", "format": "binary"}}})
        );
    }

    #[test]
    fn security_definitions_become_security_schemes() {
        let out = converted(json!({"securityDefinitions": {
            "basic": {"type": "basic", "description": "user and password"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header", "x-vendor": 1},
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a.test/auth", "scopes": {"read": "Read"}},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a.test/token", "scopes": {}},
            "application": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a.test/token"},
            "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a.test/auth", "tokenUrl": "https://a.test/token", "scopes": {"w": "Write"}}
        }, "security": [{"key": []}]}));
        assert_eq!(out["security"], json!([{"key": []}]));
        assert_eq!(
            out["components"]["securitySchemes"],
            json!({
                "basic": {"type": "http", "scheme": "basic", "description": "user and password"},
                "key": {"type": "apiKey", "name": "X-Key", "in": "header", "x-vendor": 1},
                "implicit": {"type": "oauth2", "flows": {"implicit": {"authorizationUrl": "https://a.test/auth", "scopes": {"read": "Read"}}}},
                "password": {"type": "oauth2", "flows": {"password": {"tokenUrl": "https://a.test/token", "scopes": {}}}},
                "application": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://a.test/token", "scopes": {}}}},
                "code": {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "https://a.test/auth", "tokenUrl": "https://a.test/token", "scopes": {"w": "Write"}}}}
            })
        );
        let err = convert(&doc(
            json!({"securityDefinitions": {"o": {"type": "oauth2", "flow": "device"}}}),
        ))
        .unwrap_err();
        assert!(
            err.starts_with("unknown OAuth2 flow \"device\" at $.securityDefinitions.o.flow"),
            "{err}"
        );
        let err = convert(&doc(
            json!({"securityDefinitions": {"d": {"type": "digest"}}}),
        ))
        .unwrap_err();
        assert!(
            err.starts_with(
                "unknown security scheme type \"digest\" at $.securityDefinitions.d.type"
            ),
            "{err}"
        );
    }

    #[test]
    fn schemas_read_x_nullable_discriminators_and_keep_examples_and_extensions() {
        let out = converted(json!({"definitions": {
            "Pet": {
                "type": "object",
                "discriminator": "kind",
                "required": ["kind"],
                "example": {"kind": "cat"},
                "x-go-name": "PetModel",
                "properties": {
                    "kind": {"type": "string"},
                    "nickname": {"type": "string", "x-nullable": true},
                    "owner": {"$ref": "#/definitions/Owner", "x-nullable": true, "description": "who"},
                    "age": {"type": "integer", "x-nullable": false}
                }
            },
            "Owner": {"type": "object", "x-nullable": true}
        }}));
        let schemas = &out["components"]["schemas"];
        assert_eq!(
            schemas["Pet"],
            json!({
                "type": "object",
                "discriminator": {"propertyName": "kind"},
                "required": ["kind"],
                "example": {"kind": "cat"},
                "x-go-name": "PetModel",
                "properties": {
                    "kind": {"type": "string"},
                    "nickname": {"type": "string", "nullable": true},
                    "owner": {"description": "who", "allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true},
                    "age": {"type": "integer"}
                }
            })
        );
        assert_eq!(
            schemas["Owner"],
            json!({"type": "object", "nullable": true})
        );
    }

    #[test]
    fn vendor_extensions_and_other_fields_stay() {
        let out = converted(json!({
            "x-top": {"$ref": "#/definitions/A"},
            "tags": [{"name": "t"}],
            "externalDocs": {"url": "https://d.test"},
            "definitions": {"A": {"type": "string"}},
            "paths": {"/x": {"x-path": 1, "get": {"operationId": "get_x", "tags": ["t"], "deprecated": true,
                "x-op": 2, "schemes": ["http"], "security": [], "responses": {"200": {"description": "ok"}}}}}
        }));
        assert_eq!(
            out["x-top"],
            json!({"$ref": "#/components/schemas/A"}),
            "refs everywhere follow"
        );
        assert_eq!(out["tags"], json!([{"name": "t"}]));
        assert_eq!(out["externalDocs"]["url"], "https://d.test");
        assert_eq!(out["paths"]["/x"]["x-path"], 1);
        assert_eq!(
            out["paths"]["/x"]["get"],
            json!({"operationId": "get_x", "tags": ["t"], "deprecated": true, "x-op": 2, "security": [],
                   "responses": {"200": {"description": "ok"}}})
        );
    }
}

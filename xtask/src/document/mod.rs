//! The document stage, the lowest: in, a provider's files (`specs/<name>/openapi.yaml`,
//! `overlay.yaml`) or any OpenAPI document; out, a `serde_json::Value` checked for what
//! every later stage relies on (a supported OpenAPI version, resolvable `$ref`s,
//! operations with unique ids and at least one response), and the helpers every stage
//! reads a document with:
//!
//! - this file: load (YAML or JSON), checks, JSON Pointer tokens, the operations of a
//!   document and their parameters and success schemas;
//! - [`swagger2`]: a Swagger 2.0 document converted to OpenAPI 3.0.3 as it is parsed,
//!   so that every later stage (and every command) reads 3.0;
//! - [`overlay`]: OpenAPI Overlay 1.0, applied to the vendored document;
//! - [`schema`]: the one schema walker (nested schemas, `$ref` resolution, `allOf` merge);
//! - [`naming`]: the one case converter, spelling every Rust identifier as progenitor does;
//! - [`providers`]: the provider folders under `specs/` and each one's `x-provider` facts.
//!
//! It imports nothing from the other stages.

pub mod naming;
pub mod overlay;
pub mod providers;
pub mod schema;
pub mod swagger2;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// The HTTP methods of an OpenAPI path item.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Reads and parses a YAML (or JSON, a subset) document.
pub fn load(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    parse(&text)
}

/// Parses a JSON or YAML document ([`parse_verbatim`]); a Swagger 2.0 document comes
/// back converted to OpenAPI 3.0.3 ([`swagger2::upgrade`]). Every command reads
/// documents through here (or [`load`]; `pull` takes the two steps itself, to word
/// their errors apart), so none of them sees 2.0; the file itself is never rewritten.
pub fn parse(text: &str) -> Result<Value, String> {
    swagger2::upgrade(parse_verbatim(text)?)
}

/// Parses a JSON or YAML document as it is written (no conversion); the error names the
/// line and column. JSON goes through serde_json: the YAML loader rejects integers
/// beyond 64 bits and some escaped control characters that are valid JSON.
pub fn parse_verbatim(text: &str) -> Result<Value, String> {
    let value: Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?
    } else {
        serde_norway::from_str(text).map_err(|e| format!("invalid YAML: {e}"))?
    };
    if !value.is_object() {
        return Err("invalid document: the top level is not a mapping".into());
    }
    Ok(value)
}

/// Accepts OpenAPI 3.0.x and 3.1.x (a Swagger 2.0 document has been converted by
/// [`parse`]).
pub fn check_version(doc: &Value) -> Result<(), String> {
    match doc.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v.starts_with("3.1.") => Ok(()),
        Some(Value::String(v)) => Err(format!(
            "unsupported OpenAPI version {v:?} at $.openapi (3.0.x and 3.1.x are supported)"
        )),
        Some(other) => Err(format!(
            "OpenAPI version must be a string, found {other} at $.openapi"
        )),
        None if doc.get("swagger").is_some() => Err(
            "a Swagger document not converted to OpenAPI: read it with `document::parse`".into(),
        ),
        None => Err(
            "not an OpenAPI document: no `openapi` version (nor `swagger: \"2.0\"`) at $".into(),
        ),
    }
}

/// Rewrites every local `$ref` with percent-escapes (`#/components/schemas/A%7BB%7D`,
/// legal in a URI fragment, RFC 6901 §6) into its plain JSON pointer, so that every
/// later stage (and progenitor) resolves it with `Value::pointer`.
pub fn decode_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(target) if key == "$ref" && target.contains('%') => {
                        if let Some(decoded) = percent_decode(target) {
                            *target = decoded;
                        }
                    }
                    _ if key == "example" || key == "examples" => {}
                    _ => decode_refs(child),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(decode_refs),
        _ => {}
    }
}

/// `%7B` → `{`; `None` when an escape is malformed or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Every `$ref` is local (`#/...`) and points at something.
pub fn check_refs(doc: &Value) -> Result<(), String> {
    let mut refs = Vec::new();
    collect_refs(doc, "$", &mut refs);
    for (target, at) in refs {
        let Some(pointer) = target.strip_prefix('#') else {
            return Err(format!("external $ref {target:?} at {at} is not supported"));
        };
        let Some(mut node) = doc.pointer(pointer) else {
            return Err(format!("dangling $ref {target:?} at {at}"));
        };
        // A chain of objects that are nothing but `$ref` must end somewhere.
        let mut seen = vec![target.as_str()];
        while let Some(Value::String(next)) = node.get("$ref") {
            if seen.contains(&next.as_str()) {
                return Err(format!(
                    "$ref cycle {} -> {next} at {at}",
                    seen.join(" -> ")
                ));
            }
            seen.push(next);
            node = next
                .strip_prefix('#')
                .and_then(|p| doc.pointer(p))
                .ok_or_else(|| format!("dangling $ref {next:?} reached from {at}"))?;
        }
    }
    Ok(())
}

fn collect_refs(value: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_at = format!("{at}{}", segment(key));
                if key == "$ref" {
                    if let Value::String(target) = child {
                        out.push((target.clone(), child_at));
                    }
                } else if key != "example" && key != "examples" {
                    collect_refs(child, &child_at, out);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect_refs(child, &format!("{at}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// One step of a JSONPath-style location: `.name` or `['/odd name']`.
pub fn segment(key: &str) -> String {
    // RFC 9535 member-name shorthand: a letter or '_', then letters, digits or '_'.
    let shorthand = key.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if shorthand {
        format!(".{key}")
    } else {
        format!("['{}']", key.replace('\'', "\\'"))
    }
}

/// `name` as one token of a JSON Pointer (RFC 6901): `~` and `/` escaped.
pub fn pointer_token(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// One token of a JSON Pointer read back: `~1` and `~0` unescaped.
pub fn from_pointer_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// An operation found in `paths`.
pub struct Operation<'a> {
    pub path: &'a str,
    pub method: &'a str,
    pub op: &'a Value,
    /// `$.paths['/tasks'].get`
    pub at: String,
}

impl Operation<'_> {
    /// The Rust method progenitor writes for it: its `operationId` through
    /// [`crate::document::naming::method_name`] (also the id the runtime's hooks see).
    pub fn method_name(&self) -> String {
        crate::document::naming::method_name(
            self.op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default(),
        )
    }
}

/// Every operation of the document, in document order.
pub fn operations(doc: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(*method) {
                    out.push(Operation {
                        path,
                        method,
                        op,
                        at: format!("$.paths{}.{method}", segment(path)),
                    });
                }
            }
        }
    }
    out
}

/// Every operation has at least one response, and no two share an `operationId`
/// (missing ids are named later, by `normalize::name_operations`).
pub fn check_operations(doc: &Value) -> Result<(), String> {
    let mut seen = BTreeMap::new();
    for op in &operations(doc) {
        if let Some(Value::String(id)) = op.op.get("operationId")
            && !id.is_empty()
            && let Some(first) = seen.insert(id.clone(), op.at.clone())
        {
            return Err(format!(
                "duplicate operationId {id:?} at {} (first at {first})",
                op.at
            ));
        }
        match op.op.get("responses") {
            Some(Value::Object(r)) if !r.is_empty() => {}
            _ => return Err(format!("no responses at {}", op.at)),
        }
    }
    Ok(())
}

/// An operation's first success (2xx) JSON schema.
pub fn success_schema(op: &Value) -> Option<&Value> {
    response_schema(op, |code| code.starts_with('2'))
}

/// The JSON schema of the first response whose status code `matches`.
pub fn response_schema(op: &Value, matches: impl Fn(&str) -> bool) -> Option<&Value> {
    let responses = op.get("responses")?.as_object()?;
    let (_, response) = responses
        .iter()
        .filter(|(code, _)| matches(code))
        .find(|(_, r)| r.get("content").is_some())?;
    let content = response.get("content")?.as_object()?;
    let media = content
        .get("application/json")
        .or_else(|| content.values().next())?;
    media.get("schema")
}

/// The operation's query parameters: (wire name, parameter object). Normalization has
/// resolved `$ref`s and moved path-level parameters onto the operation.
pub fn query_parameters(op: &Value) -> Vec<(String, &Value)> {
    op.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
        .filter_map(|p| Some((p.get("name")?.as_str()?.to_owned(), p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn invalid_yaml_names_line_and_column() {
        let err = parse("openapi: 3.0.3\npaths: [\n").unwrap_err();
        assert!(err.starts_with("invalid YAML"), "{err}");
        assert!(err.contains("line"), "{err}");
    }

    #[test]
    fn version_is_checked() {
        assert!(check_version(&json!({"openapi": "3.0.3"})).is_ok());
        assert!(check_version(&json!({"openapi": "3.1.1"})).is_ok());
        let err = check_version(&json!({"info": {}})).unwrap_err();
        assert_eq!(
            err,
            "not an OpenAPI document: no `openapi` version (nor `swagger: \"2.0\"`) at $"
        );
        let err = check_version(&json!({"swagger": "2.0"})).unwrap_err();
        assert!(err.contains("read it with `document::parse`"), "{err}");
        let err = check_version(&json!({"openapi": "2.0"})).unwrap_err();
        assert!(err.contains("unsupported OpenAPI version \"2.0\""), "{err}");
    }

    #[test]
    fn swagger_2_is_parsed_as_openapi_3() {
        let text =
            "swagger: '2.0'\ninfo: {title: t, version: '1'}\nhost: api.example.test\npaths: {}\n";
        let doc = parse(text).unwrap();
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["servers"][0]["url"], "https://api.example.test");
        assert!(check_version(&doc).is_ok());
        assert_eq!(parse_verbatim(text).unwrap()["swagger"], "2.0");
        let err = parse("swaggerVersion: '1.2'\napis: []\n").unwrap_err();
        assert!(
            err.starts_with("unsupported Swagger version \"1.2\" at $.swaggerVersion"),
            "{err}"
        );
        let overlay = parse("overlay: 1.0.0\nactions: []\n").unwrap();
        assert_eq!(
            overlay,
            json!({"overlay": "1.0.0", "actions": []}),
            "overlays untouched"
        );
    }

    #[test]
    fn dangling_ref_is_located() {
        let doc = json!({"paths": {"/t": {"get": {"responses": {"200": {"$ref": "#/components/responses/Nope"}}}}}});
        let err = check_refs(&doc).unwrap_err();
        assert_eq!(
            err,
            "dangling $ref \"#/components/responses/Nope\" at $.paths['/t'].get.responses['200']['$ref']"
        );
    }

    #[test]
    fn pure_ref_cycles_are_errors_but_recursive_schemas_are_not() {
        let cycle = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"}
        }}});
        let err = check_refs(&cycle).unwrap_err();
        assert!(err.starts_with("$ref cycle #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B"), "{err}");
        let tree = json!({"components": {"schemas": {
            "Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}}}
        }}});
        assert!(check_refs(&tree).is_ok());
    }

    #[test]
    fn percent_encoded_refs_are_decoded() {
        let mut doc = json!({
            "components": {"schemas": {"Page{Task}": {"type": "object"}}},
            "x": {"$ref": "#/components/schemas/Page%7BTask%7D"},
            "y": {"$ref": "#/bad%zz"}
        });
        decode_refs(&mut doc);
        assert_eq!(doc["x"]["$ref"], "#/components/schemas/Page{Task}");
        assert_eq!(doc["y"]["$ref"], "#/bad%zz", "malformed escapes stay");
        doc.as_object_mut().unwrap().remove("y");
        assert!(check_refs(&doc).is_ok());
    }

    #[test]
    fn json_documents_with_huge_integers_load() {
        let doc =
            parse(r#"{"openapi": "3.0.0", "x": {"maximum": 9223372036854776000000}}"#).unwrap();
        assert!(doc["x"]["maximum"].is_f64());
        assert!(parse("{").unwrap_err().starts_with("invalid JSON"));
    }

    #[test]
    fn refs_inside_examples_are_data() {
        let doc = json!({"components": {"schemas": {"A": {"example": {"$ref": "#/x"}}}}});
        assert!(check_refs(&doc).is_ok());
    }

    #[test]
    fn operations_need_unique_ids_and_responses() {
        let doc = json!({"paths": {"/t": {"get": {"responses": {"200": {}}}}}});
        assert!(
            check_operations(&doc).is_ok(),
            "named later from method and path"
        );
        let doc = json!({"paths": {"/t": {"get": {"operationId": "a"}}}});
        assert_eq!(
            check_operations(&doc).unwrap_err(),
            "no responses at $.paths['/t'].get"
        );
        let doc = json!({"paths": {
            "/t": {"get": {"operationId": "a", "responses": {"200": {}}}},
            "/u": {"get": {"operationId": "a", "responses": {"200": {}}}}}});
        let err = check_operations(&doc).unwrap_err();
        assert!(
            err.starts_with("duplicate operationId \"a\" at $.paths['/u'].get"),
            "{err}"
        );
    }
}

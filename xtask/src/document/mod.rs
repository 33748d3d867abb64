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
//! - [`uri`]: URI references resolved against a base (RFC 3986), as `$id` and `$ref` are;
//! - [`providers`]: the provider folders under `specs/` and each one's `x-provider` facts.
//!
//! It imports nothing from the other stages.

pub mod naming;
pub mod overlay;
pub mod providers;
pub mod schema;
pub mod swagger2;
pub mod uri;

use std::path::Path;

use serde_json::Value;

/// The HTTP methods of an OpenAPI path item.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords of a schema whose values are data (`enum: [{$ref: x}]` is a value with a
/// member called `$ref`, not a reference), outside [`NAME_MAPS`].
pub const DATA_KEYWORDS: &[&str] = &["enum", "const", "default", "example", "examples"];

/// Maps whose keys are names (of properties, schemas, media types, ...), not keywords: a
/// property called `enum`, `$id` or `x-id` is a schema.
pub const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "content",
    "paths",
    "encoding",
    "callbacks",
    "links",
    "securitySchemes",
    "examples",
    "pathItems",
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
        match serde_json::from_str(text) {
            Ok(value) => value,
            // A number beyond f64 (`1e400`): YAML's reader, a superset, reads it.
            Err(e) if e.to_string().starts_with("number out of range") => {
                serde_norway::from_str::<Lenient>(text)
                    .map_err(|e| format!("invalid JSON: {e}"))?
                    .0
            }
            Err(e) => return Err(format!("invalid JSON: {e}")),
        }
    } else {
        serde_norway::from_str::<Lenient>(text)
            .map_err(|e| format!("invalid YAML: {e}"))?
            .0
    };
    if !value.is_object() {
        return Err("invalid document: the top level is not a mapping".into());
    }
    Ok(value)
}

/// A document read into a `serde_json::Value` whatever its numbers: an integer beyond
/// 64 bits (`-9223372036854776000`, a JSON writer's rounding of `i64::MIN`) becomes the
/// nearest float; a float beyond f64 (`1e400`) is read by YAML's rules, as text, which
/// normalization treats like any mistyped keyword (numbers only constrain or illustrate
/// in a schema, and no constraint is better than a refused document).
struct Lenient(Value);

impl<'de> serde::Deserialize<'de> for Lenient {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LenientVisitor).map(Lenient)
    }
}

struct LenientVisitor;

impl<'de> serde::de::Visitor<'de> for LenientVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(u64::try_from(v).map_or_else(|_| float(v as f64), Value::from))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Lenient(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some((key, Lenient(v))) = map.next_entry::<MapKey, Lenient>()? {
            out.insert(key.0, v);
        }
        Ok(Value::Object(out))
    }
}

/// A finite float as a JSON number, else `null`.
fn float(v: f64) -> Value {
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// A mapping key: YAML allows numbers and booleans there (`200:` for a status), which
/// JSON spells as text.
struct MapKey(String);

impl<'de> serde::Deserialize<'de> for MapKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let key = match d.deserialize_any(LenientVisitor)? {
            Value::String(s) => s,
            Value::Null => "null".to_owned(),
            other => other.to_string(),
        };
        Ok(MapKey(key))
    }
}

/// Accepts OpenAPI 3.0.x, 3.1.x and 3.2.x (3.2's schema dialect is 3.1's; what else it
/// adds is read by `normalize::openapi32_additions`; a Swagger 2.0 document has been
/// converted by [`parse`]).
pub fn check_version(doc: &Value) -> Result<(), String> {
    match doc.get("openapi") {
        Some(Value::String(v)) if ["3.0.", "3.1.", "3.2."].iter().any(|p| v.starts_with(p)) => {
            Ok(())
        }
        Some(Value::String(v)) => Err(format!(
            "unsupported OpenAPI version {v:?} at $.openapi (3.0.x, 3.1.x and 3.2.x are supported)"
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
    collect_refs(doc, "$", false, &mut refs);
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

/// The `$ref`s of `value` with their locations, outside data ([`DATA_KEYWORDS`]);
/// `names`: `value` is one of the [`NAME_MAPS`].
fn collect_refs(value: &Value, at: &str, names: bool, out: &mut Vec<(String, String)>) {
    let mut sites = Vec::new();
    walk_refs(value, &mut Vec::new(), at, names, &mut sites);
    out.extend(sites.into_iter().map(|s| (s.target, s.at)));
}

/// A `$ref` of a document.
#[derive(Debug)]
pub struct RefSite {
    /// What it points at, as written (`#/components/schemas/Task`).
    pub target: String,
    /// The JSON Pointer tokens of the object that holds the `$ref`, unescaped.
    pub tokens: Vec<String>,
    /// Where the `$ref` is, JSONPath-style: `$.paths['/t'].get.responses['200']['$ref']`.
    pub at: String,
}

/// Every `$ref` of the document, in document order, outside data ([`DATA_KEYWORDS`]):
/// the ones [`check_refs`] checks.
pub fn ref_sites(doc: &Value) -> Vec<RefSite> {
    let mut out = Vec::new();
    walk_refs(doc, &mut Vec::new(), "$", false, &mut out);
    out
}

fn walk_refs(
    value: &Value,
    tokens: &mut Vec<String>,
    at: &str,
    names: bool,
    out: &mut Vec<RefSite>,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let child_at = format!("{at}{}", segment(key));
                if key == "$ref" {
                    if let Value::String(target) = child {
                        out.push(RefSite {
                            target: target.clone(),
                            tokens: tokens.clone(),
                            at: child_at,
                        });
                    }
                } else if names || !DATA_KEYWORDS.contains(&key.as_str()) {
                    let child_names = !names && NAME_MAPS.contains(&key.as_str());
                    tokens.push(key.clone());
                    walk_refs(child, tokens, &child_at, child_names, out);
                    tokens.pop();
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                tokens.push(i.to_string());
                walk_refs(child, tokens, &format!("{at}[{i}]"), false, out);
                tokens.pop();
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

/// The extension `normalize` leaves on an operation it renamed because another one
/// had its `operationId` first: the id the document gave it.
pub const DUPLICATE_ID: &str = "x-tasks-sdk-duplicate-operation-id";

/// The extension `normalize` leaves on an operation that listed no response (it is
/// given an untyped `default` one).
pub const NO_RESPONSES: &str = "x-tasks-sdk-no-responses";

/// The extension `normalize` leaves on a parameter it gives progenitor in another
/// location than the document's (a cookie goes to progenitor as a header): the
/// document's `in`. The model reads it (`model::ParamFacts`).
pub const PARAM_IN: &str = "x-tasks-sdk-in";

/// The extension `normalize` leaves on a parameter whose `style` progenitor cannot take
/// (`deepObject`, `spaceDelimited`, `pipeDelimited`, `label`, `matrix`, a cookie's): the
/// document's `style`; the parameter goes to progenitor in the default style of its
/// location.
pub const PARAM_STYLE: &str = "x-tasks-sdk-style";

/// The extension `normalize` leaves on a parameter described by `content` with a JSON
/// media type: the media type; the parameter goes to progenitor with that media type's
/// schema as its `schema`.
pub const PARAM_CONTENT: &str = "x-tasks-sdk-content";

/// The extension on a component `normalize` adds for parameters whose type is a
/// struct (progenitor 0.15 takes no struct parameter but the body): the component is
/// `{$ref: <the struct>, x-tasks-sdk-parameter-type: <the struct's component>}`, which
/// progenitor is told to write as the struct's type (a replacement, whose type has no
/// builder), and the parameters refer to it.
pub const PARAM_TYPE: &str = "x-tasks-sdk-parameter-type";

/// The top-level extension listing what was degraded to generate the rest: `{kind:
/// schema, name, why}` (a schema that is any JSON value, or with `type: object` or
/// `array` any JSON object or array: `emit::degrade`'s, found by
/// search; a dangling `$ref`'s, `normalize::dangling_refs`; or one typify cannot type,
/// found by shape, as `normalize::untype_merged_fields_named_alike`), `{kind: operation, method, path,
/// operationId, why}` (left out by `emit::degrade`) or `{kind: reference, what, name,
/// done, why}` (a parameter, header, path item... whose `$ref` points at nothing, and
/// what became of it: "is left out").
pub const DEGRADED: &str = "x-tasks-sdk-degraded";

/// The top-level extension listing what OpenAPI requires that the document lacks and
/// the generator filled in (`normalize::required_fields`): `{problem, at, done}`.
pub const REPAIRED: &str = "x-tasks-sdk-repaired";

/// What an untyped schema of [`DEGRADED`] (`entry`) stands for: `any JSON value`, or
/// `any JSON object` (`array`) when it kept that type.
pub fn untyped_as(entry: &Value) -> String {
    let what = entry.get("type").and_then(Value::as_str).unwrap_or("value");
    format!("any JSON {what}")
}

/// The warnings a document earns without failing, read after normalization: a
/// required field it lacks and what was filled in ([`REPAIRED`]); what was degraded
/// ([`DEGRADED`]: untyped, left out); an
/// operation whose `operationId` repeats an earlier one's (`normalize::name_operations`
/// renames it, marking it with [`DUPLICATE_ID`]) and what it was named instead; an
/// operation without responses ([`NO_RESPONSES`]).
pub fn warnings(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for entry in doc
        .get(REPAIRED)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let get = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("?");
        out.push(format!(
            "{} at {}: {}",
            get("problem"),
            get("at"),
            get("done")
        ));
    }
    for entry in doc
        .get(DEGRADED)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let get = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or("?");
        out.push(match get("kind") {
            "schema" => format!(
                "schema `{}` is not typed ({}): {}",
                get("name"),
                untyped_as(entry),
                get("why")
            ),
            "reference" => format!(
                "{} `{}` {}: {}",
                get("what"),
                get("name"),
                get("done"),
                get("why")
            ),
            _ => format!(
                "`{} {}` is not generated: {}",
                get("method"),
                get("path"),
                get("why")
            ),
        });
    }
    for op in &operations(doc) {
        if op.op.get(NO_RESPONSES).is_some() {
            out.push(format!(
                "no responses at {}: generated with an untyped `default` response",
                op.at
            ));
        }
        if let Some(Value::String(id)) = op.op.get(DUPLICATE_ID) {
            out.push(format!(
                "duplicate operationId {id:?} at {}: generated as `{}` (an overlay can set another operationId)",
                op.at,
                op.method_name()
            ));
        }
    }
    out
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
        assert!(check_version(&json!({"openapi": "3.2.0"})).is_ok());
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
    fn numbers_beyond_64_bits_are_the_nearest_float_or_null() {
        let doc = parse("a: -9223372036854776000\nb: 1.0e+400\nc: 18446744073709551615\n200: ok\n")
            .unwrap();
        assert_eq!(doc["a"].as_f64(), Some(-9_223_372_036_854_775_808.0));
        // YAML reads a float it cannot hold as text.
        assert_eq!(doc["b"], "1.0e+400");
        assert_eq!(doc["c"].as_u64(), Some(u64::MAX));
        assert_eq!(doc["200"], "ok");
        let doc = parse(r#"{"x": {"maximum": 1e400, "minimum": -1}}"#).unwrap();
        assert_eq!(doc["x"], json!({"maximum": "1e400", "minimum": -1}));
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
    fn renamed_duplicates_and_operations_without_responses_are_warnings() {
        let doc = json!({"paths": {
            "/t": {"get": {"operationId": "a_get", DUPLICATE_ID: "a", "responses": {"200": {}}}},
            "/u": {"get": {"operationId": "b", NO_RESPONSES: true, "responses": {}}}}});
        assert_eq!(
            warnings(&doc),
            [
                "duplicate operationId \"a\" at $.paths['/t'].get: generated as `a_get` (an overlay can set another operationId)",
                "no responses at $.paths['/u'].get: generated with an untyped `default` response"
            ]
        );
    }
}

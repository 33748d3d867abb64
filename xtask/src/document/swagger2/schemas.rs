//! Swagger 2.0 schemas, `$ref`s and security schemes in OpenAPI 3.0's words.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::context::copy_extensions;
use crate::document::{from_pointer_token, percent_decode};

/// A security definition → a security scheme: `basic` → `http` `basic`, `apiKey` as
/// it is, `oauth2` with one `flow` → `flows` with that flow (`application` is
/// `clientCredentials`, `accessCode` `authorizationCode`), its URLs and `scopes`.
pub(super) fn security_scheme(scheme: &Value, at: &str) -> Result<Value, String> {
    let kind = scheme
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut out = Map::new();
    match kind {
        "basic" => {
            out.insert("type".into(), json!("http"));
            out.insert("scheme".into(), json!("basic"));
        }
        "apiKey" => {
            for key in ["type", "name", "in"] {
                if let Some(value) = scheme.get(key) {
                    out.insert(key.into(), value.clone());
                }
            }
        }
        "oauth2" => {
            let flow = scheme
                .get("flow")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let (name, urls): (&str, &[&str]) = match flow {
                "implicit" => ("implicit", &["authorizationUrl"]),
                "password" => ("password", &["tokenUrl"]),
                "application" => ("clientCredentials", &["tokenUrl"]),
                "accessCode" => ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
                other => {
                    return Err(format!(
                        "unknown OAuth2 flow {other:?} at {at}.flow (implicit, password, \
                         application and accessCode are Swagger 2.0's)"
                    ));
                }
            };
            let mut details = Map::new();
            for url in urls {
                if let Some(value) = scheme.get(*url) {
                    details.insert((*url).into(), value.clone());
                }
            }
            let scopes = scheme.get("scopes").cloned().unwrap_or_else(|| json!({}));
            details.insert("scopes".into(), scopes);
            out.insert("type".into(), json!("oauth2"));
            out.insert("flows".into(), json!({name: details}));
        }
        other => {
            return Err(format!(
                "unknown security scheme type {other:?} at {at}.type (basic, apiKey and \
                 oauth2 are Swagger 2.0's)"
            ));
        }
    }
    if let Some(description) = scheme.get("description") {
        out.insert("description".into(), description.clone());
    }
    copy_extensions(scheme, &mut out);
    Ok(Value::Object(out))
}

/// A schema and every schema inside it, 2.0 → 3.0: `x-nullable: true` → `nullable:
/// true` (next to a `$ref`, whose siblings 3.0 ignores: `allOf: [{$ref}]` beside it);
/// a string `discriminator` → `{propertyName: …}`; `type: file` → a binary string.
/// `example` and vendor extensions stay as they are.
pub(super) fn fix_schema(schema: &mut Value) {
    let Value::Object(map) = schema else {
        return;
    };
    if let Some(nullable) = map.shift_remove("x-nullable")
        && nullable == json!(true)
    {
        if let Some(reference) = map.shift_remove("$ref") {
            map.insert("allOf".into(), json!([{"$ref": reference}]));
        }
        map.insert("nullable".into(), json!(true));
    }
    if let Some(Value::String(property)) = map.get("discriminator") {
        let property = property.clone();
        map.insert("discriminator".into(), json!({"propertyName": property}));
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), json!("string"));
        map.insert("format".into(), json!("binary"));
    }
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(children)) = map.get_mut(key) {
            children.values_mut().for_each(fix_schema);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        match map.get_mut(key) {
            Some(Value::Array(children)) => children.iter_mut().for_each(fix_schema),
            Some(child @ Value::Object(_)) => fix_schema(child),
            _ => {}
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(children)) = map.get_mut(key) {
            children.iter_mut().for_each(fix_schema);
        }
    }
}

/// Every `$ref` of the converted document (examples aside: they are data) pointed at
/// 3.0's places: `#/definitions/X` → `#/components/schemas/X`, `#/responses/X` →
/// `#/components/responses/X`, `#/parameters/X` → `#/components/parameters/X`, or
/// `#/components/requestBodies/X` when `X` (in `request_bodies`) was a body or form.
pub(super) fn rewrite_refs(value: &mut Value, request_bodies: &BTreeSet<String>) {
    rewrite_refs_in(value, false, request_bodies);
}

/// The fields whose value is a map from names to objects (a property or a component
/// called `example` is not an example, one called `$ref` not a reference).
pub(super) const NAME_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "paths",
];

/// [`rewrite_refs`] on `value`; `names`: its keys are names. What a name map holds is
/// an object again (a schema called `properties` has keywords, not names).
pub(super) fn rewrite_refs_in(value: &mut Value, names: bool, request_bodies: &BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (field, child) in map.iter_mut() {
                if names {
                    rewrite_refs_in(child, false, request_bodies);
                    continue;
                }
                match child {
                    Value::String(target) if field == "$ref" => {
                        *target = rewrite_ref(target, request_bodies);
                    }
                    _ if matches!(
                        field.as_str(),
                        "example" | "examples" | "x-example" | "x-examples"
                    ) => {}
                    _ => {
                        rewrite_refs_in(child, NAME_MAPS.contains(&field.as_str()), request_bodies)
                    }
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_refs_in(item, false, request_bodies)),
        _ => {}
    }
}

/// One `$ref` target, as [`rewrite_refs`] says; others unchanged.
pub(super) fn rewrite_ref(target: &str, request_bodies: &BTreeSet<String>) -> String {
    if let Some(rest) = target.strip_prefix("#/definitions/") {
        return format!("#/components/schemas/{rest}");
    }
    if let Some(rest) = target.strip_prefix("#/responses/") {
        return format!("#/components/responses/{rest}");
    }
    if let Some(rest) = target.strip_prefix("#/parameters/") {
        let token = rest.split('/').next().unwrap_or(rest);
        let name = from_pointer_token(token);
        let decoded = percent_decode(&name).unwrap_or_else(|| name.clone());
        let folder = if request_bodies.contains(&name) || request_bodies.contains(&decoded) {
            "requestBodies"
        } else {
            "parameters"
        };
        return format!("#/components/{folder}/{rest}");
    }
    target.to_owned()
}

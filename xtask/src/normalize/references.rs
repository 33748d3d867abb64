//! `$ref`s progenitor cannot follow: into the inside of a component, to a response or
//! to a request body.

use serde_json::Value;

use crate::document::{self, DATA_KEYWORDS, NAME_MAPS, segment};

use super::components::component_schemas;
use super::walk::for_each_operation;

/// [`hoist_deep_refs`]: a `$ref` into the inside of something
/// (`#/components/schemas/A/properties/b`, `#/components/parameters/P/schema`,
/// `#/paths/~1x/get/responses/200/content/...`) is legal JSON Reference but progenitor
/// resolves only `#/components/<kind>/<name>`: the target is copied into a component
/// schema named after its last words
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

/// The `$ref`s of the document, outside examples and other data (`enum`, `const`,
/// `default`) and outside the values of specification extensions (`x-code-samples: [{source: {$ref: ...}}]` is the
/// extension's own business, not a schema).
fn spec_refs(value: &Value, out: &mut Vec<String>) {
    spec_refs_in(value, "", out);
}

fn spec_refs_in(value: &Value, parent_key: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let names = NAME_MAPS.contains(&parent_key);
            for (key, child) in map {
                match child {
                    Value::String(target) if key == "$ref" => out.push(target.clone()),
                    _ if !names && DATA_KEYWORDS.contains(&key.as_str()) => {}
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
        "$defs",
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
        .map(document::from_pointer_token)
        .filter(|s| {
            !NOISE.contains(&s.as_str()) && !s.contains('/') && s.parse::<usize>().is_err()
                || s.parse::<u16>().is_ok_and(|n| (100..600).contains(&n))
        })
        .collect();
    let path_words: Vec<String> = target
        .split('/')
        .map(document::from_pointer_token)
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
    let name = crate::document::naming::type_name(&all[start..].join("-"));
    if name == "X" { "Ref".into() } else { name }
}

/// Rule [`inline_response_refs`] of the [module docs](super).
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

/// [`inline_request_body_refs`]: `requestBody: {$ref: '#/components/requestBodies/X'}`
/// is replaced by a copy of `X`, so that
/// [`normalize_media_types`](super::normalize_media_types) sees its media types.
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        assert!(crate::document::check_refs(&doc).is_ok());
        assert_eq!(
            deep_ref_name("#/paths/~1returns/get/responses/200/content/application~1json/schema"),
            "ReturnsGet200"
        );
    }

    #[test]
    fn defs_targets_become_components_with_distinct_names() {
        // As `resolve_schema_identifiers` leaves `$ref`s into `$defs` (JSON Schema 2020-12).
        let mut doc = json!({"components": {"schemas": {
            "A": {"properties": {"b": {"$ref": "#/components/schemas/A/$defs/b"},
                "c": {"$ref": "#/components/schemas/A/$defs/c"}},
                "$defs": {"b": {"type": "string"}, "c": {"$ref": "#/components/schemas/A/$defs/b"}}},
            "AB": {"type": "integer"}
        }}});
        hoist_deep_refs(&mut doc).unwrap();
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["AB2"], json!({"type": "string"}), "`AB` is taken");
        assert_eq!(schemas["AC"], json!({"$ref": "#/components/schemas/AB2"}));
        assert_eq!(
            schemas["A"]["properties"]["c"]["$ref"],
            "#/components/schemas/AC"
        );
        assert!(crate::document::check_refs(&doc).is_ok());
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
}

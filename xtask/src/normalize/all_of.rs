//! What typify builds when it merges `allOf` arms: nullable components, properties
//! named like a component, arms that are only a map; and operation bodies progenitor
//! names like a component.

use serde_json::{Map, Value, json};

use crate::document;
use crate::document::naming;
use crate::document::schema;

use super::components::{component_names, component_schemas, free_name, rename_components};
use super::names::NAMED_TYPE_KEYS;
use super::walk::{for_each_operation, visit_schema_positions};

/// [`nullable_at_the_references`]: a component schema that is itself `nullable` makes
/// typify emit both a newtype `X(Option<X>)` and the struct `X` (two items of one name,
/// and a recursive type): the `nullable` moves from the component to every use of it. A
/// `$ref` to it becomes `{allOf: [{$ref}], nullable: true}`; an arm of
/// `allOf`/`oneOf`/`anyOf` that refers to it makes the schema holding the arms
/// nullable.
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

/// [`hoist_properties_named_like_components`]: typify names the type of an inline
/// property schema `<Component><Property>` (`Court` + `system` → `CourtSystem`, also
/// for the properties of its `allOf` arms, which typify merges) without checking that
/// no component has that name: where one does, the property's schema becomes a
/// component of its own, `<Component><Property>2` (or the next free name), so the two
/// types stay apart.
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

/// [`hoist_bodies_named_like_components`]: progenitor names the type of an inline
/// request body `<OperationId>Body` and of an inline response body
/// `<OperationId>Response`, and typify keeps one type per name: where a component has
/// that name (qdrant's `facet` operation answers `{usage, time, status, result:
/// FacetResponse}`), the operation was typed as the component, and the answer did not
/// decode. The inline schema becomes a component of its own, `<Name>2` (or the next
/// free name).
pub fn hoist_bodies_named_like_components(doc: &mut Value) -> Result<(), String> {
    let rust_names: Vec<String> = component_names(doc)
        .iter()
        .map(|n| naming::type_name(n))
        .collect();
    let mut added: Vec<(String, Value)> = Vec::new();
    for_each_operation(doc, |op, _| {
        let Some(id) = op.get("operationId").and_then(Value::as_str) else {
            return Ok(());
        };
        let (body_name, response_name) = (
            naming::type_name(&format!("{id}-body")),
            naming::type_name(&format!("{id}-response")),
        );
        let mut slots: Vec<(&String, &mut Value)> = Vec::new();
        for (key, value) in op.iter_mut() {
            match key.as_str() {
                "requestBody" => {
                    if let Some(Value::Object(content)) = value.get_mut("content") {
                        slots.extend(content.values_mut().map(|m| (&body_name, m)));
                    }
                }
                "responses" => {
                    let responses = value
                        .as_object_mut()
                        .into_iter()
                        .flat_map(|r| r.values_mut());
                    for response in responses {
                        if let Some(Value::Object(content)) = response.get_mut("content") {
                            slots.extend(content.values_mut().map(|m| (&response_name, m)));
                        }
                    }
                }
                _ => {}
            }
        }
        // One component per distinct schema: the `4XX` and `5XX` that `default` became
        // carry the same body, and two components of it would be two error types.
        let mut hoisted: Vec<(Value, Value)> = Vec::new();
        for (inline_name, media) in slots {
            let Some(schema) = media.get_mut("schema") else {
                continue;
            };
            if !names_a_type(schema) || !rust_names.contains(inline_name) {
                continue;
            }
            if let Some((_, reference)) = hoisted.iter().find(|(s, _)| s == schema) {
                *schema = reference.clone();
                continue;
            }
            // The first of `<Name>2`, `<Name>3`, ... no component's Rust name is.
            let taken = |n: &str| {
                let rust = naming::type_name(n);
                rust_names.contains(&rust)
                    || added.iter().any(|(a, _)| naming::type_name(a) == rust)
            };
            let Some(name) = (2..)
                .map(|k| format!("{inline_name}{k}"))
                .find(|n| !taken(n))
            else {
                continue;
            };
            let original = schema.clone();
            let definition = hoist_into_component(schema, &name);
            hoisted.push((original, schema.clone()));
            added.push((name, definition));
        }
        Ok(())
    })?;
    if !added.is_empty() {
        component_schemas(doc)?.extend(added);
    }
    Ok(())
}

/// [`merged_properties_named_like_components`], [`hoist_properties_named_like_components`]
/// through `$ref`s: typify merges a component's `allOf` arms into one
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
        let at = format!("/components/schemas/{}", document::pointer_token(component));
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
/// component would make typify emit `X` and `X(Option<X>)`
/// ([`nullable_at_the_references`]).
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
        let pointer = format!("/components/schemas/{}", document::pointer_token(name));
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
                pointer: format!("{at}/properties/{}", document::pointer_token(property)),
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

/// [`loosen_map_arms`]: an `allOf` arm that is only a map (`additionalProperties:
/// {schema}`, no `properties`) next to arms that declare properties: typify merges it
/// as JSON Schema reads it, every property of the other arms must then also match the
/// map's value schema, which integers or objects next to a map of strings cannot
/// (zuora.com's `Account` with `DataAccessControlField`: empty enums, a struct no value
/// can fill). The arm means "and more fields": it becomes `{type: object}`.
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // two types of one name (`nullable_at_the_references`).
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
    fn bodies_progenitor_would_name_like_a_component_become_components() {
        let envelope = json!({"type": "object", "properties": {
            "time": {"type": "number"},
            "result": {"$ref": "#/components/schemas/FacetResponse"}
        }});
        let mut doc = json!({
            "paths": {"/facet": {"post": {
                "operationId": "facet",
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"key": {"type": "string"}}
                }}}},
                "responses": {
                    "200": {"content": {"application/json": {"schema": envelope}}},
                    "4XX": {"content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/FacetResponse"}]}}}},
                    "5XX": {"content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/FacetResponse"}]}}}}
                }
            }}, "/other": {"get": {
                "operationId": "other",
                "responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "object", "properties": {"a": {"type": "string"}}
                }}}}}
            }}},
            "components": {"schemas": {
                "FacetResponse": {"type": "object", "properties": {"hits": {"type": "array"}}},
                "FacetResponse2": {"type": "string"},
                "facet_body": {"type": "object"}
            }}
        });
        hoist_bodies_named_like_components(&mut doc).unwrap();
        let op = &doc["paths"]["/facet"]["post"];
        let schema = |v: &Value| v["content"]["application/json"]["schema"].clone();
        // `FacetResponse` and `FacetResponse2` are taken; `facet_body` is `FacetBody`.
        assert_eq!(
            schema(&op["responses"]["200"]),
            json!({"$ref": "#/components/schemas/FacetResponse3"})
        );
        assert_eq!(doc["components"]["schemas"]["FacetResponse3"], envelope);
        // plaid.com's `default` error, as `4XX` and `5XX`: one body, one component.
        assert_eq!(
            schema(&op["responses"]["4XX"]),
            json!({"$ref": "#/components/schemas/FacetResponse4"})
        );
        assert_eq!(
            schema(&op["responses"]["5XX"]),
            schema(&op["responses"]["4XX"])
        );
        assert!(doc["components"]["schemas"].get("FacetResponse5").is_none());
        assert_eq!(
            schema(&op["requestBody"]),
            json!({"$ref": "#/components/schemas/FacetBody2"})
        );
        // The component keeps its name and shape; a body no component is named like
        // stays inline.
        assert_eq!(
            doc["components"]["schemas"]["FacetResponse"]["properties"]["hits"],
            json!({"type": "array"})
        );
        assert_eq!(
            schema(&doc["paths"]["/other"]["get"]["responses"]["200"])["type"],
            "object"
        );
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
}

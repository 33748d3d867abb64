//! Inline string enums that become components: titled ones, and ones whose variants
//! typify cannot name.

use serde_json::{Map, Value, json};

use crate::document::naming;
use crate::document::schema;

use super::components::{component_schemas, strip_docs};
use super::names::name_from_location;
use super::walk::visit_schema_positions;

/// Rule [`hoist_titled_enums`] of the [module docs](super).
pub fn hoist_titled_enums(doc: &mut Value) -> Result<(), String> {
    let mut hoisted: Vec<(String, Value)> = Vec::new();
    // Component names, as typify spells them (`task-status` and `TaskStatus` are one).
    let taken: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|s| {
            s.keys()
                .map(|k| crate::document::naming::type_name(k))
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
        .map(|v| crate::document::naming::type_name(v))
        .collect();
    let with_x = values
        .iter()
        .map(|v| {
            crate::document::naming::type_name(&v.replace(
                |c: char| c == '_' || !unicode_ident::is_xid_continue(c),
                "X",
            ))
        })
        .collect();
    !unique(plain) && !unique(with_x)
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

#[cfg(test)]
mod tests {
    use super::*;

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
}

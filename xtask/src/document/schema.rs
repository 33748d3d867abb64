//! A JSON schema's structure, written down once for every stage: which keywords hold
//! the schemas nested in it ([`for_each_child_mut`], the walk normalization's rules
//! share), and how a schema reads through its references and `allOf` arms
//! ([`resolve_ref`], [`resolve`], [`nullable`], [`object_parts`], which detection,
//! the test kit, the cross-provider lists and `add-provider` share).

use serde_json::{Map, Value};

use crate::document::segment;

/// `$ref` chains and `allOf` nestings longer than this are taken for cycles and end.
const MAX_HOPS: usize = 32;

/// Where a schema nested in another sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Child<'a> {
    /// `items`, `not` or `additionalProperties`.
    Keyword(&'static str),
    /// Arm `i` of `allOf`, `oneOf` or `anyOf`.
    Arm(&'static str, usize),
    /// The schema of a property (`properties`) or of a pattern (`patternProperties`).
    Property(&'static str, &'a str),
}

impl Child<'_> {
    /// The child's location, below its parent's `at` (`$.components.schemas.Task`).
    pub fn location(&self, at: &str) -> String {
        match self {
            Child::Keyword(key) => format!("{at}.{key}"),
            Child::Arm(key, i) => format!("{at}.{key}[{i}]"),
            Child::Property(key, name) => format!("{at}.{key}{}", segment(name)),
        }
    }
}

/// Calls `f` on each schema nested directly in `schema`: `items`, `not`,
/// `additionalProperties` (when it is a schema rather than `true`/`false`), the arms
/// of `allOf`, `oneOf` and `anyOf`, then each of `properties` and `patternProperties`,
/// in that order. The first error ends the walk.
pub fn for_each_child_mut<E>(
    schema: &mut Map<String, Value>,
    mut f: impl FnMut(&mut Value, Child<'_>) -> Result<(), E>,
) -> Result<(), E> {
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = schema.get_mut(key) {
            if key == "additionalProperties" && child.is_boolean() {
                continue;
            }
            f(child, Child::Keyword(key))?;
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(arms)) = schema.get_mut(key) {
            for (i, arm) in arms.iter_mut().enumerate() {
                f(arm, Child::Arm(key, i))?;
            }
        }
    }
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(properties)) = schema.get_mut(key) {
            for (name, property) in properties.iter_mut() {
                f(property, Child::Property(key, name))?;
            }
        }
    }
    Ok(())
}

/// `schema` with its `$ref`s followed (a cycle ends after [`MAX_HOPS`]).
pub fn resolve_ref<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..MAX_HOPS {
        let Some(target) = schema.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match target.strip_prefix('#').and_then(|p| doc.pointer(p)) {
            Some(next) => schema = next,
            None => break,
        }
    }
    schema
}

/// `schema` with its `$ref`s followed, and a lone `allOf` arm without properties
/// beside it (normalization's `{allOf: [{$ref}], nullable: true}`) taken for the arm.
pub fn resolve<'a>(doc: &'a Value, mut schema: &'a Value) -> &'a Value {
    for _ in 0..MAX_HOPS {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            match target.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(next) => schema = next,
                None => return schema,
            }
        } else if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            && schema.get("properties").is_none()
        {
            schema = only;
        } else {
            return schema;
        }
    }
    schema
}

/// Whether `schema` admits `null` (`nullable: true`, itself or behind its `$ref`s and
/// lone `allOf` arms).
pub fn nullable(doc: &Value, schema: &Value) -> bool {
    let mut current = schema;
    for _ in 0..MAX_HOPS {
        if current.get("nullable").and_then(Value::as_bool) == Some(true) {
            return true;
        }
        let next = current
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
            .or_else(|| {
                match current
                    .get("allOf")
                    .and_then(Value::as_array)
                    .map(Vec::as_slice)
                {
                    Some([only]) => Some(only),
                    _ => None,
                }
            });
        match next {
            Some(next) => current = next,
            None => return false,
        }
    }
    false
}

/// The properties and the required names of an object schema, its `allOf` arms
/// merged in as typify merges them: the arms' properties first (in document order),
/// then its own; a name defined twice keeps its first place and takes its last
/// schema (a schema's own property refines the one it inherits). Required names
/// appear once each.
pub fn object_parts<'a>(
    doc: &'a Value,
    schema: &'a Value,
) -> (Vec<(&'a str, &'a Value)>, Vec<&'a str>) {
    let mut properties: Vec<(&'a str, &'a Value)> = Vec::new();
    let mut required: Vec<&'a str> = Vec::new();
    collect_parts(doc, schema, 0, &mut properties, &mut required);
    (properties, required)
}

fn collect_parts<'a>(
    doc: &'a Value,
    schema: &'a Value,
    depth: usize,
    properties: &mut Vec<(&'a str, &'a Value)>,
    required: &mut Vec<&'a str>,
) {
    if depth > MAX_HOPS {
        return;
    }
    let schema = resolve(doc, schema);
    for arm in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_parts(doc, arm, depth + 1, properties, required);
    }
    if let Some(Value::Object(own)) = schema.get("properties") {
        for (name, property) in own {
            match properties.iter_mut().find(|(n, _)| *n == name.as_str()) {
                Some(earlier) => earlier.1 = property,
                None => properties.push((name.as_str(), property)),
            }
        }
    }
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !required.contains(&name) {
            required.push(name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn children_are_visited_in_keyword_order_with_their_locations() {
        let mut schema = json!({
            "properties": {"id": {"type": "string"}, "odd name": {}},
            "allOf": [{"type": "object"}],
            "items": {"type": "string"},
            "additionalProperties": false,
            "patternProperties": {"^x": {}},
        });
        let mut seen = Vec::new();
        for_each_child_mut(schema.as_object_mut().unwrap(), |_, child| {
            seen.push(child.location("$.s"));
            Ok::<_, ()>(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                "$.s.items",
                "$.s.allOf[0]",
                "$.s.properties.id",
                "$.s.properties['odd name']",
                "$.s.patternProperties['^x']"
            ]
        );
        let stopped = for_each_child_mut(schema.as_object_mut().unwrap(), |_, child| match child {
            Child::Arm(..) => Err("stop"),
            _ => Ok(()),
        });
        assert_eq!(stopped, Err("stop"));
    }

    #[test]
    fn parts_merge_all_of_arms_and_own_properties_refine_inherited_ones() {
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string"}, "kind": {"type": "string"}
            }},
            "Loop": {"allOf": [{"$ref": "#/components/schemas/Loop"}]},
        }}});
        let schema = json!({
            "allOf": [{"$ref": "#/components/schemas/Base"}],
            "required": ["id", "kind"],
            "properties": {"kind": {"enum": ["a"]}, "extra": {"type": "integer"}}
        });
        let (properties, required) = object_parts(&doc, &schema);
        let names: Vec<&str> = properties.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["id", "kind", "extra"]);
        assert_eq!(properties[1].1, &json!({"enum": ["a"]}));
        assert_eq!(required, ["id", "kind"]);
        // A cycle of `allOf`s ends.
        let looping = json!({"$ref": "#/components/schemas/Loop"});
        assert_eq!(object_parts(&doc, &looping).0, vec![]);
    }

    #[test]
    fn references_and_lone_all_of_arms_are_followed_and_nullability_found() {
        let doc = json!({"components": {"schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"type": "string", "nullable": true},
        }}});
        let wrapped = json!({"allOf": [{"$ref": "#/components/schemas/A"}]});
        assert_eq!(
            resolve(&doc, &wrapped),
            &json!({"type": "string", "nullable": true})
        );
        assert_eq!(resolve_ref(&doc, &wrapped), &wrapped);
        assert!(nullable(&doc, &wrapped));
        assert!(!nullable(&doc, &json!({"type": "string"})));
    }
}

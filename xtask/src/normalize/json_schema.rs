//! JSON Schema 2020-12's keywords (OpenAPI 3.1) that OpenAPI 3.0 (and so openapiv3,
//! progenitor and typify) has no word for, rewritten into what it has: typed where 3.0
//! can say the same, loosened (the client accepts more than a validator would) where it
//! cannot, kept as documentation where the keyword is an annotation. Never an error:
//! a keyword a rule does not know is ignored by openapiv3, which only loosens.
//!
//! Called on every schema by [`downgrade_schemas`](super::downgrade_schemas):
//! [`rewrite_keywords`] first, on the schema as written; [`constraint_unions`] after its
//! nested schemas.
//!
//! `type: integer` stays a Rust integer although JSON Schema 2020-12 counts `1.0` as
//! an integer: reading such fields as `f64` (the suite's choice) would cost every real
//! document's counts, ids and timestamps their integer type for a value servers do not
//! send; the suite's tests of it are listed as failures in GENERATOR.md.

use serde_json::{Map, Value, json};

/// What a rule needs to know about the document and the place of the schema in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Facts {
    /// The document's schemas are JSON Schema 2020-12 (OpenAPI 3.1 and later), not
    /// OpenAPI 3.0's dialect of draft 5.
    pub json_schema_2020: bool,
}

/// Keywords that only validate (which values, keys, members or companions are allowed)
/// or that apply a schema under a condition (`if`, `dependentSchemas`), never the shape
/// of a value every valid instance has: dropped, and the client accepts what the
/// validator would have refused.
const VALIDATION_ONLY: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "not",
    "contains",
    "minContains",
    "maxContains",
    "propertyNames",
    // Draft 2019-09 and 7 spellings.
    "additionalItems",
    "dependencies",
];

/// Keywords beside a `$ref` that say nothing about valid values: a `$ref` with only
/// these stays a reference (openapiv3 reads a `$ref` and ignores its siblings).
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "summary",
    "deprecated",
    "readOnly",
    "writeOnly",
    "example",
    "examples",
    "default",
    "nullable",
    "externalDocs",
    "xml",
    "$defs",
    "definitions",
];

/// Keywords that give a schema a shape of its own (a type, a reference, members): a
/// `oneOf`/`anyOf` arm without any only constrains values whose shape comes from
/// elsewhere.
const SHAPES: &[&str] = &[
    "type",
    "$ref",
    "properties",
    "additionalProperties",
    "items",
    "enum",
    "allOf",
    "anyOf",
    "oneOf",
];

/// The 2020-12 keywords of one schema, before [`downgrade_schemas`](super::downgrade_schemas)'
/// own rules:
///
/// - a `$ref` with assertions beside it (2020-12 applies both; 3.0 ignores the
///   siblings) becomes the first arm of `allOf`;
/// - `unevaluatedProperties` / `unevaluatedItems` become `additionalProperties` /
///   `items` where nothing else evaluates properties or items (no `allOf`, `anyOf`,
///   `oneOf`, `$ref`, conditionals, and no `additionalProperties` / `items` of its
///   own), else they are dropped;
/// - `prefixItems` (a tuple) becomes `items`: the one schema every position shares, or
///   any value; `items: false` becomes `maxItems` (the tuple's length, or 0);
/// - `patternProperties` become the map's values when `additionalProperties: false`
///   leaves no other key (one pattern, or patterns of one schema); otherwise they are
///   dropped and `additionalProperties` is loosened to any value (a key matching a
///   pattern may hold what the pattern allows);
/// - [`VALIDATION_ONLY`] keywords, `$defs` (their targets are components by now) and
///   `contentSchema` are dropped; `contentMediaType` and `contentEncoding` become a
///   line of the description;
/// - a `pattern` regress cannot read as ECMA-262 with the `u` flag reads it (typify
///   compiles patterns with regress in non-Unicode mode: `\p{Letter}` would match
///   `p{Letter}`), or cannot read at all, is dropped with a line of the description;
/// - in a 2020-12 document, a `format` without a `type` is an annotation (typify would
///   type the value from it: `{format: ipv4}` refusing `"::1"` or `true`): dropped;
/// - `anyOf` and `oneOf` beside each other or beside `allOf` (typify asserts there is
///   one) become arms of `allOf`, which means the same.
pub(super) fn rewrite_keywords(obj: &mut Map<String, Value>, facts: Facts) {
    if facts.json_schema_2020 {
        ref_with_siblings(obj);
    }
    one_composition(obj);
    unevaluated(obj);
    prefix_items(obj);
    pattern_properties(obj);
    for keyword in VALIDATION_ONLY {
        obj.shift_remove(*keyword);
    }
    obj.shift_remove("$defs");
    content(obj);
    pattern(obj);
    if facts.json_schema_2020 && !obj.contains_key("type") {
        obj.shift_remove("format");
    }
}

/// `{$ref: A, required: [x]}` → `{allOf: [{$ref: A}], required: [x]}`.
fn ref_with_siblings(obj: &mut Map<String, Value>) {
    let asserts = obj
        .keys()
        .any(|k| k != "$ref" && !k.starts_with("x-") && !ANNOTATIONS.contains(&k.as_str()));
    if !asserts {
        return;
    }
    let Some(target) = obj.shift_remove("$ref") else {
        return;
    };
    let arm = json!({"$ref": target});
    match obj.get_mut("allOf") {
        Some(Value::Array(arms)) => arms.insert(0, arm),
        _ => {
            obj.insert("allOf".into(), json!([arm]));
        }
    }
}

/// `{allOf: [A], anyOf: [B, C], oneOf: [D, E]}` → `{allOf: [A, {anyOf: [B, C]}, {oneOf:
/// [D, E]}]}`.
fn one_composition(obj: &mut Map<String, Value>) {
    let count = ["allOf", "anyOf", "oneOf"]
        .iter()
        .filter(|k| obj.contains_key(**k))
        .count();
    if count < 2 {
        return;
    }
    let mut arms = match obj.shift_remove("allOf") {
        Some(Value::Array(arms)) => arms,
        _ => Vec::new(),
    };
    for key in ["anyOf", "oneOf"] {
        if let Some(union) = obj.shift_remove(key) {
            arms.push(json!({ key: union }));
        }
    }
    obj.insert("allOf".into(), Value::Array(arms));
}

/// Keywords next to which `unevaluated*` cannot be read from the schema alone.
const IN_PLACE: &[&str] = &[
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "dependentSchemas",
    "$ref",
    "$dynamicRef",
];

fn unevaluated(obj: &mut Map<String, Value>) {
    let in_place = IN_PLACE.iter().any(|k| obj.contains_key(*k));
    if let Some(rest) = obj.shift_remove("unevaluatedProperties")
        && !in_place
        && !obj.contains_key("additionalProperties")
        && rest != json!(true)
    {
        obj.insert("additionalProperties".into(), rest);
    }
    if let Some(rest) = obj.shift_remove("unevaluatedItems")
        && !in_place
        && !["items", "prefixItems", "contains"]
            .iter()
            .any(|k| obj.contains_key(*k))
        && rest != json!(true)
    {
        obj.insert("items".into(), rest);
    }
}

fn prefix_items(obj: &mut Map<String, Value>) {
    let any = json!({});
    let as_schema = |v: &Value| {
        if v == &json!(true) {
            any.clone()
        } else {
            v.clone()
        }
    };
    let prefix = match obj.shift_remove("prefixItems") {
        Some(Value::Array(prefix)) => Some(prefix),
        _ => None,
    };
    let items = obj.get("items").cloned();
    let closed = items == Some(json!(false));
    if closed {
        obj.shift_remove("items");
        let length = prefix.as_ref().map_or(0, Vec::len);
        let max = obj
            .get("maxItems")
            .and_then(Value::as_u64)
            .map_or(length as u64, |m| m.min(length as u64));
        obj.insert("maxItems".into(), json!(max));
    }
    let Some(prefix) = prefix else {
        return;
    };
    let mut positions: Vec<Value> = prefix.iter().map(as_schema).collect();
    match &items {
        Some(rest) if !closed => positions.push(as_schema(rest)),
        Some(_) => {}
        None => positions.push(any.clone()),
    }
    let shared = match positions.first() {
        Some(first) if positions.iter().all(|p| p == first) => first.clone(),
        _ => any,
    };
    obj.insert("items".into(), shared);
}

fn pattern_properties(obj: &mut Map<String, Value>) {
    let Some(Value::Object(patterns)) = obj.shift_remove("patternProperties") else {
        return;
    };
    let Some(first) = patterns.values().next() else {
        return;
    };
    let one_schema = patterns.values().all(|p| p == first);
    match obj.get("additionalProperties") {
        Some(Value::Bool(false)) if one_schema => {
            let values = if first == &json!(true) {
                json!({})
            } else {
                first.clone()
            };
            obj.insert("additionalProperties".into(), values);
        }
        Some(Value::Bool(false) | Value::Object(_)) => {
            obj.insert("additionalProperties".into(), json!({}));
        }
        _ => {}
    }
}

fn content(obj: &mut Map<String, Value>) {
    obj.shift_remove("contentSchema");
    let media = obj.shift_remove("contentMediaType");
    let encoding = obj.shift_remove("contentEncoding");
    let line = match (
        media.as_ref().and_then(Value::as_str),
        encoding.as_ref().and_then(Value::as_str),
    ) {
        (Some(media), Some(encoding)) => format!("Content: {media}, {encoding}-encoded."),
        (Some(media), None) => format!("Content: {media}."),
        (None, Some(encoding)) => format!("Content: {encoding}-encoded."),
        (None, None) => return,
    };
    add_line(obj, &line);
}

fn pattern(obj: &mut Map<String, Value>) {
    let Some(Value::String(pattern)) = obj.get("pattern") else {
        return;
    };
    let why = match regress::Regex::new(pattern) {
        Err(e) => format!("regress cannot read it: {e}"),
        Ok(_) if unicode_only(pattern) => "it needs Unicode mode".to_owned(),
        Ok(_) => return,
    };
    let pattern = pattern.clone();
    obj.shift_remove("pattern");
    add_line(
        obj,
        &format!("Pattern (not checked by the client: {why}): `{pattern}`."),
    );
}

/// A pattern with escapes only ECMA-262's Unicode mode reads (`\p{L}`, `\u{1F600}`),
/// which regress reads in that mode.
fn unicode_only(pattern: &str) -> bool {
    let mut chars = pattern.chars();
    let mut escapes = false;
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('p' | 'P') => escapes = true,
                Some('u') if chars.clone().next() == Some('{') => escapes = true,
                _ => {}
            }
        }
    }
    escapes && regress::Regex::with_flags(pattern, "u").is_ok()
}

/// Appends `line` to the schema's description (a paragraph of its own).
fn add_line(obj: &mut Map<String, Value>, line: &str) {
    let text = match obj.get("description").and_then(Value::as_str) {
        Some(d) if !d.trim().is_empty() => format!("{}\n\n{line}", d.trim_end()),
        _ => line.to_owned(),
    };
    obj.insert("description".into(), json!(text));
}

/// `enum` values that are arrays or objects holding numbers: typify compares a value
/// with them as JSON text, where `[1.0]` is not `[1]`, while JSON Schema compares
/// numbers by value. The `enum` is dropped (loosened).
pub(super) fn composite_enums(obj: &mut Map<String, Value>) {
    fn holds_number(value: &Value) -> bool {
        match value {
            Value::Number(_) => true,
            Value::Array(items) => items.iter().any(holds_number),
            Value::Object(map) => map.values().any(holds_number),
            _ => false,
        }
    }
    if let Some(Value::Array(values)) = obj.get("enum")
        && values
            .iter()
            .any(|v| (v.is_array() || v.is_object()) && holds_number(v))
    {
        obj.shift_remove("enum");
    }
}

/// `oneOf`/`anyOf` arms without a shape of their own ([`SHAPES`]: `{maxLength: 2}`,
/// `{required: [a]}`, `{}`) only constrain values whose shape the schema's other
/// keywords give, and typify would make a struct of them that refuses valid values:
///
/// - when every arm is such a constraint, or one of them admits values of every JSON
///   type (`{}`, `{required: [a], minLength: 1}`), the union is dropped (loosened);
/// - otherwise each constraint arm gets the one JSON type its keywords constrain
///   (`{minimum: 2}` → `{type: number, minimum: 2}`), so that typify types every arm.
///
/// Then, in a body (`body`), an `anyOf` with an arm that is not an object (its `type`, or the type its
/// keywords constrain: `{type: integer}`, `{items: {}}`) becomes a `oneOf`: typify makes
/// an `anyOf` whose arms may overlap a struct of optional flattened members, which
/// only an object can fill, and a `oneOf` an untagged enum, whose first arm that
/// reads a value takes it (what decoding an `anyOf` needs).
///
/// Run after the arms themselves are rewritten (boolean arms are `{}` by then).
pub(super) fn constraint_unions(obj: &mut Map<String, Value>, body: bool) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(arms)) = obj.get(key) else {
            continue;
        };
        let shape_free = |arm: &Value| {
            arm.as_object()
                .is_some_and(|a| !a.keys().any(|k| SHAPES.contains(&k.as_str())))
        };
        if !arms.iter().any(shape_free) {
            continue;
        }
        let implied: Vec<Option<&'static str>> = arms
            .iter()
            .map(|arm| {
                if shape_free(arm) {
                    implied_type(arm.as_object().expect("an object"))
                } else {
                    Some("")
                }
            })
            .collect();
        if arms.iter().all(shape_free) || implied.iter().any(Option::is_none) {
            obj.shift_remove(key);
            continue;
        }
        let Some(Value::Array(arms)) = obj.get_mut(key) else {
            continue;
        };
        for (arm, ty) in arms.iter_mut().zip(implied) {
            if let (Some(ty), Value::Object(arm)) = (ty, arm)
                && !ty.is_empty()
            {
                arm.insert("type".into(), json!(ty));
            }
        }
    }
    let not_an_object = |arm: &Value| {
        let Some(arm) = arm.as_object() else {
            return false;
        };
        match arm.get("type").and_then(Value::as_str) {
            Some(ty) => ty != "object",
            None => !arm.contains_key("$ref") && implied_type(arm).is_some_and(|t| t != "object"),
        }
    };
    if body
        && !obj.contains_key("oneOf")
        && let Some(Value::Array(arms)) = obj.get("anyOf")
        && arms.iter().any(not_an_object)
    {
        let arms = obj.shift_remove("anyOf").expect("checked");
        obj.insert("oneOf".into(), arms);
    }
}

/// The one JSON type a shape-free schema's keywords constrain, if there is one.
fn implied_type(arm: &Map<String, Value>) -> Option<&'static str> {
    let format = arm.get("format").and_then(Value::as_str);
    let mut found: Option<&'static str> = None;
    for key in arm.keys() {
        let Some(ty) = keyword_type(key, format) else {
            continue;
        };
        match found {
            Some(f) if f != ty => return None,
            _ => found = Some(ty),
        }
    }
    found
}

/// The keywords that constrain only one JSON type, so a split `oneOf` arm can take them.
pub(super) fn keyword_type(keyword: &str, format: Option<&str>) -> Option<&'static str> {
    Some(match keyword {
        "pattern" | "minLength" | "maxLength" => "string",
        "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" | "multipleOf" => "number",
        "items" | "minItems" | "maxItems" | "uniqueItems" => "array",
        "properties" | "required" | "additionalProperties" | "minProperties" | "maxProperties" => {
            "object"
        }
        "format" => match format {
            Some("int32" | "int64" | "float" | "double") => "number",
            _ => "string",
        },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const V31: Facts = Facts {
        json_schema_2020: true,
    };

    fn rewritten(schema: Value, facts: Facts) -> Value {
        let Value::Object(mut obj) = schema else {
            panic!("an object")
        };
        rewrite_keywords(&mut obj, facts);
        Value::Object(obj)
    }

    #[test]
    fn a_ref_with_assertions_beside_it_becomes_an_all_of_arm() {
        assert_eq!(
            rewritten(
                json!({"$ref": "#/A", "required": ["a"], "description": "d"}),
                V31
            ),
            json!({"required": ["a"], "description": "d", "allOf": [{"$ref": "#/A"}]})
        );
        assert_eq!(
            rewritten(json!({"$ref": "#/A", "description": "d", "x-a": 1}), V31),
            json!({"$ref": "#/A", "description": "d", "x-a": 1})
        );
        let v30 = Facts {
            json_schema_2020: false,
        };
        assert_eq!(
            rewritten(json!({"$ref": "#/A", "type": "object"}), v30),
            json!({"$ref": "#/A", "type": "object"}),
            "3.0 ignores a $ref's siblings"
        );
    }

    #[test]
    fn several_compositions_become_arms_of_one_all_of() {
        assert_eq!(
            rewritten(
                json!({"allOf": [{"minimum": 1}], "anyOf": [{"maximum": 3}], "oneOf": [{"type": "string"}]}),
                V31
            ),
            json!({"allOf": [{"minimum": 1}, {"anyOf": [{"maximum": 3}]}, {"oneOf": [{"type": "string"}]}]})
        );
        assert_eq!(
            rewritten(
                json!({"anyOf": [{"type": "string"}], "oneOf": [{"type": "string"}]}),
                V31
            ),
            json!({"allOf": [{"anyOf": [{"type": "string"}]}, {"oneOf": [{"type": "string"}]}]})
        );
    }

    #[test]
    fn unevaluated_keywords_are_additional_ones_where_nothing_else_evaluates() {
        assert_eq!(
            rewritten(
                json!({"type": "object", "properties": {"a": {}}, "unevaluatedProperties": false}),
                V31
            ),
            json!({"type": "object", "properties": {"a": {}}, "additionalProperties": false})
        );
        assert_eq!(
            rewritten(
                json!({"allOf": [{"properties": {"a": {}}}], "unevaluatedProperties": false}),
                V31
            ),
            json!({"allOf": [{"properties": {"a": {}}}]})
        );
        assert_eq!(
            rewritten(
                json!({"type": "array", "unevaluatedItems": {"type": "string"}}),
                V31
            ),
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            rewritten(
                json!({"items": {}, "unevaluatedItems": false, "unevaluatedProperties": true}),
                V31
            ),
            json!({"items": {}})
        );
    }

    #[test]
    fn prefix_items_and_closed_items_become_one_item_schema() {
        assert_eq!(
            rewritten(
                json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}),
                V31
            ),
            json!({"type": "array", "items": {}})
        );
        assert_eq!(
            rewritten(
                json!({"prefixItems": [{"type": "string"}, true], "items": false}),
                V31
            ),
            json!({"maxItems": 2, "items": {}})
        );
        assert_eq!(
            rewritten(
                json!({"prefixItems": [{"type": "string"}], "items": {"type": "string"}}),
                V31
            ),
            json!({"items": {"type": "string"}})
        );
        assert_eq!(
            rewritten(json!({"type": "array", "items": false}), V31),
            json!({"type": "array", "maxItems": 0})
        );
    }

    #[test]
    fn pattern_properties_become_map_values_or_loosen_the_map() {
        assert_eq!(
            rewritten(
                json!({"patternProperties": {"^a": {"type": "integer"}}, "additionalProperties": false}),
                V31
            ),
            json!({"additionalProperties": {"type": "integer"}})
        );
        assert_eq!(
            rewritten(
                json!({"properties": {"b": {}}, "patternProperties": {"^a": {"type": "integer"}, "^c": {}},
                "additionalProperties": {"type": "string"}}),
                V31
            ),
            json!({"properties": {"b": {}}, "additionalProperties": {}})
        );
        assert_eq!(
            rewritten(
                json!({"patternProperties": {"^a": {"type": "integer"}}}),
                V31
            ),
            json!({})
        );
    }

    #[test]
    fn conditionals_and_validation_only_keywords_are_dropped() {
        assert_eq!(
            rewritten(
                json!({"type": "object", "if": {"properties": {"k": {"const": 1}}}, "then": {"required": ["a"]},
                "else": false, "dependentSchemas": {"a": {}}, "dependentRequired": {"a": ["b"]},
                "not": {"type": "null"}, "propertyNames": {"maxLength": 3}, "$defs": {"x": {}}}),
                V31
            ),
            json!({"type": "object"})
        );
        assert_eq!(
            rewritten(
                json!({"type": "array", "contains": {"type": "integer"}, "minContains": 1, "maxContains": 2}),
                V31
            ),
            json!({"type": "array"})
        );
    }

    #[test]
    fn keywords_typify_reads_stay() {
        let kept = json!({"type": "object", "title": "T", "description": "d", "deprecated": true,
            "readOnly": true, "writeOnly": false, "default": {}, "minProperties": 1, "maxProperties": 3,
            "required": ["a"], "properties": {"a": {"type": "string", "minLength": 1, "maxLength": 9}},
            "additionalProperties": {"type": "array", "items": {"type": "integer"}, "minItems": 1,
                "maxItems": 2, "uniqueItems": true}, "allOf": [{"type": "object"}]});
        assert_eq!(rewritten(kept.clone(), V31), kept);
    }

    #[test]
    fn content_keywords_are_documentation() {
        assert_eq!(
            rewritten(
                json!({"type": "string", "description": "A token.", "contentMediaType": "application/json",
                "contentEncoding": "base64", "contentSchema": {"type": "object"}}),
                V31
            ),
            json!({"type": "string", "description": "A token.\n\nContent: application/json, base64-encoded."})
        );
    }

    #[test]
    fn patterns_regress_misreads_are_dropped_with_a_note() {
        assert_eq!(
            rewritten(json!({"type": "string", "pattern": "^\\p{Letter}+$"}), V31),
            json!({"type": "string", "description": "Pattern (not checked by the client: it needs Unicode mode): `^\\p{Letter}+$`."})
        );
        let dropped = rewritten(json!({"type": "string", "pattern": "(unclosed"}), V31);
        assert!(dropped.get("pattern").is_none());
        assert!(
            dropped["description"]
                .as_str()
                .unwrap()
                .contains("regress cannot read it")
        );
        assert_eq!(
            rewritten(json!({"type": "string", "pattern": "^[a-z]+\\d$"}), V31),
            json!({"type": "string", "pattern": "^[a-z]+\\d$"})
        );
    }

    #[test]
    fn formats_without_a_type_are_annotations_in_2020_12() {
        assert_eq!(rewritten(json!({"format": "ipv4"}), V31), json!({}));
        assert_eq!(
            rewritten(json!({"type": "string", "format": "date-time"}), V31),
            json!({"type": "string", "format": "date-time"})
        );
        let v30 = Facts {
            json_schema_2020: false,
        };
        assert_eq!(
            rewritten(json!({"format": "date-time"}), v30),
            json!({"format": "date-time"})
        );
    }

    #[test]
    fn composite_enum_values_with_numbers_are_dropped() {
        let run = |schema: Value| {
            let Value::Object(mut obj) = schema else {
                panic!()
            };
            composite_enums(&mut obj);
            Value::Object(obj)
        };
        assert_eq!(run(json!({"enum": [[0], "a"]})), json!({}));
        assert_eq!(
            run(json!({"enum": [["a"], 1]})),
            json!({"enum": [["a"], 1]})
        );
    }

    #[test]
    fn unions_of_constraints_are_dropped_or_typed() {
        let run = |schema: Value| {
            let Value::Object(mut obj) = schema else {
                panic!()
            };
            constraint_unions(&mut obj, true);
            Value::Object(obj)
        };
        assert_eq!(
            run(json!({"type": "string", "anyOf": [{"maxLength": 2}, {"minLength": 4}]})),
            json!({"type": "string"})
        );
        assert_eq!(
            run(json!({"type": "object", "oneOf": [{"required": ["a"]}, {"required": ["b"]}]})),
            json!({"type": "object"})
        );
        assert_eq!(run(json!({"anyOf": [{"type": "integer"}, {}]})), json!({}));
        assert_eq!(
            run(json!({"oneOf": [{"type": "integer"}, {"minimum": 2}]})),
            json!({"oneOf": [{"type": "integer"}, {"minimum": 2, "type": "number"}]})
        );
        assert_eq!(
            run(json!({"oneOf": [{"type": "integer"}, {"$ref": "#/A"}]})),
            json!({"oneOf": [{"type": "integer"}, {"$ref": "#/A"}]})
        );
        // Arms that overlap and are not all objects: an untagged enum, not a struct.
        assert_eq!(
            run(json!({"anyOf": [{"type": "integer"}, {"minimum": 2}]})),
            json!({"oneOf": [{"type": "integer"}, {"minimum": 2, "type": "number"}]})
        );
        assert_eq!(
            run(json!({"anyOf": [{"items": {}}, {"items": {"type": "string"}}]})),
            json!({"oneOf": [{"items": {}}, {"items": {"type": "string"}}]})
        );
        assert_eq!(
            run(json!({"anyOf": [{"$ref": "#/A"}, {"properties": {"a": {}}}]})),
            json!({"anyOf": [{"$ref": "#/A"}, {"properties": {"a": {}}}]})
        );
    }
}

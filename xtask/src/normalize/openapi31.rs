//! Every schema rewritten from OpenAPI 3.1 (JSON Schema 2020-12) into what OpenAPI 3.0
//! and typify read.

use serde_json::{Map, Value, json};

use crate::document::naming;
use crate::document::schema;

use super::json_schema::{self, Facts, keyword_type};
use super::walk::{Context, visit_schema_positions};

/// Rule [`downgrade_schemas`] of the [module docs](super), applied to every schema
/// position of the document.
pub fn downgrade_schemas(doc: &mut Value) -> Result<(), String> {
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let json_schema_2020 = version.starts_with('3') && !version.starts_with("3.0");
    visit_schema_positions(doc, &mut |schema, ctx, at| {
        walk_schema(schema, ctx, at, Facts { json_schema_2020 })
    })
}

/// Rewrites one schema, then the schemas nested in it (including arms it just created).
fn walk_schema(schema: &mut Value, ctx: Context, at: &str, facts: Facts) -> Result<(), String> {
    // JSON Schema's boolean schemas (3.1): `true` is any value; `false` (nothing may
    // match) is loosened to any value too: 3.0 has no spelling for it that typify reads.
    // (`additionalProperties: false` is read as it is: the keyword is skipped below, a
    // property called `additionalProperties` is not.)
    if schema.is_boolean() {
        *schema = json!({});
    }
    let Value::Object(obj) = schema else {
        return Ok(());
    };
    downgrade_schema(obj, ctx, at, facts)?;
    let allof_arm = at
        .rsplit('.')
        .next()
        .is_some_and(|last| last.starts_with("allOf["));
    if !allof_arm {
        drop_undeclared_required(obj);
    }
    schema::for_each_child_mut(obj, |child, place| {
        walk_schema(child, ctx, &place.location(at), facts)
    })?;
    json_schema::constraint_unions(obj, ctx == Context::Body);
    Ok(())
}

fn applies_to(keyword_type: &str, ty: &str) -> bool {
    keyword_type == ty || (keyword_type == "number" && ty == "integer")
}

fn is_null_schema(schema: &Value) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(ts)) => !ts.is_empty() && ts.iter().all(|t| t == "null"),
        _ => {
            matches!(schema.get("enum"), Some(Value::Array(vs)) if vs.iter().all(Value::is_null) && !vs.is_empty())
        }
    }
}

/// Keywords whose value is not of the JSON type the specification gives them
/// (`pattern: 0`, `type: {...}`, `required: true` from Swagger 2, `minLength: "1"`):
/// openapiv3 refuses the whole document for one of them. A number written as a string
/// is read as the number; anything else that is malformed is dropped, which only
/// loosens the schema.
fn sanitize_keyword_types(obj: &mut Map<String, Value>) {
    const STRINGS: &[&str] = &["pattern", "format", "title", "description"];
    const COUNTS: &[&str] = &[
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    ];
    const NUMBERS: &[&str] = &["minimum", "maximum", "multipleOf"];
    const FLAGS: &[&str] = &[
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "uniqueItems",
    ];
    for key in STRINGS {
        if obj.get(*key).is_some_and(|v| !v.is_string()) {
            obj.shift_remove(*key);
        }
    }
    for key in COUNTS.iter().chain(NUMBERS) {
        let Some(value) = obj.get(*key) else { continue };
        let number = match value {
            Value::Number(n) => n.as_f64(),
            Value::String(text) => text.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|n| n.is_finite());
        let fixed = match number {
            Some(n) if COUNTS.contains(key) => {
                (n >= 0.0 && n.fract() == 0.0).then(|| json!(n as u64))
            }
            Some(_) if value.is_number() => Some(value.clone()),
            Some(n) => Some(json!(n)),
            None => None,
        };
        match fixed {
            Some(v) => {
                obj.insert((*key).to_owned(), v);
            }
            None => {
                obj.shift_remove(*key);
            }
        }
    }
    for key in FLAGS {
        if obj.get(*key).is_some_and(|v| !v.is_boolean()) {
            obj.shift_remove(*key);
        }
    }
    if obj.get("type").is_some_and(|t| {
        !t.is_string() && !t.as_array().is_some_and(|a| a.iter().all(Value::is_string))
    }) {
        obj.shift_remove("type");
    }
    match obj.get_mut("required") {
        Some(Value::Array(names)) => names.retain(Value::is_string),
        Some(_) => {
            obj.shift_remove("required");
        }
        None => {}
    }
    if obj.get("enum").is_some_and(|e| !e.is_array()) {
        obj.shift_remove("enum");
    }
    if obj.get("properties").is_some_and(|p| !p.is_object()) {
        obj.shift_remove("properties");
    }
    // Draft-4 tuple `items: [a, b]`: 3.0 has one item schema; the first is the best guess.
    if let Some(Value::Array(tuple)) = obj.get("items") {
        let first = tuple.first().cloned().unwrap_or_else(|| json!({}));
        obj.insert("items".into(), first);
    }
    if obj.get("items").is_some_and(|i| !i.is_object()) {
        obj.insert("items".into(), json!({}));
    }
    if obj
        .get("additionalProperties")
        .is_some_and(|a| !a.is_object() && !a.is_boolean())
    {
        obj.shift_remove("additionalProperties");
    }
}

/// A schema with no `type`, no composition and no `$ref`, whose keywords say what it
/// is, gets that `type`: `format: date-time` → string, `format: int64` → integer,
/// bounds or `multipleOf` → number (typify panics on them without a type), and
/// `properties` → object (dropping the keywords of other types, which typify cannot
/// combine with it). Keywords that constrain several JSON types (`{minLength: 1,
/// minItems: 1}`: typify panics) admit each of them: they are dropped (any value).
/// Next to a composition, which gives the value its shape, bounds and `multipleOf`
/// are dropped.
fn infer_missing_type(obj: &mut Map<String, Value>) {
    const NUMERIC: &[&str] = &[
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
    ];
    if obj.contains_key("type") || obj.contains_key("$ref") {
        return;
    }
    if ["oneOf", "anyOf", "allOf", "not"]
        .iter()
        .any(|k| obj.contains_key(*k))
    {
        for key in NUMERIC {
            obj.shift_remove(*key);
        }
        return;
    }
    if let Some(Value::Array(values)) = obj.get("enum") {
        infer_enum_type(obj, &values.clone());
        return;
    }
    let format = obj.get("format").and_then(Value::as_str).map(str::to_owned);
    let typed = |key: &str| keyword_type(key, format.as_deref());
    if obj.contains_key("properties") {
        obj.retain(|key, _| typed(key).is_none_or(|t| t == "object"));
        return;
    }
    let mut types: Vec<&str> = obj.keys().filter_map(|k| typed(k)).collect();
    types.sort_unstable();
    types.dedup();
    let inferred = match (types.as_slice(), format.as_deref()) {
        ([_, _, ..], _) => {
            obj.retain(|key, _| typed(key).is_none());
            return;
        }
        (
            _,
            Some("int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64"),
        ) => "integer",
        (_, Some("float" | "double")) => "number",
        (_, Some(_)) => "string",
        (["number"], None) => "number",
        _ => return,
    };
    obj.insert("type".into(), json!(inferred));
}

/// `required` names that `properties` does not declare, in a schema that composes
/// nothing, are dropped: they only validate (the generated struct has no field for
/// them), and typify asserts on a `oneOf` arm whose one property is not its one
/// required name. An arm of `allOf` keeps them (a sibling arm may declare them).
fn drop_undeclared_required(obj: &mut Map<String, Value>) {
    if ["allOf", "oneOf", "anyOf", "$ref"]
        .iter()
        .any(|k| obj.contains_key(*k))
    {
        return;
    }
    let Some(Value::Object(properties)) = obj.get("properties") else {
        return;
    };
    let declared: Vec<String> = properties.keys().cloned().collect();
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.retain(|name| {
            name.as_str()
                .is_some_and(|n| declared.iter().any(|d| d == n))
        });
    }
}

/// An `enum` without a `type` gets the JSON type its values share (typify names the
/// variants of a string enum, and [`hoist_titled_enums`](super::hoist_titled_enums) can
/// hoist it; untyped, `==` and `<=` had no names). Values of several JSON types
/// (`[true, false, 0, 1]`), which typify cannot type, leave an untyped schema: any JSON
/// value.
fn infer_enum_type(obj: &mut Map<String, Value>, values: &[Value]) {
    let mut types: Vec<&str> = Vec::new();
    for value in values {
        let ty = match value {
            Value::Null => continue,
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) | Value::Object(_) => return,
        };
        if !types.contains(&ty) {
            types.push(ty);
        }
    }
    if types.len() == 2 && types.contains(&"integer") && types.contains(&"number") {
        types = vec!["number"];
    }
    match types.as_slice() {
        [] => {}
        [ty] => {
            obj.insert("type".into(), json!(ty));
        }
        _ => {
            obj.shift_remove("enum");
            obj.shift_remove("default");
        }
    }
}

/// [`downgrade_schemas`] on one schema object.
fn downgrade_schema(
    obj: &mut Map<String, Value>,
    ctx: Context,
    at: &str,
    facts: Facts,
) -> Result<(), String> {
    json_schema::rewrite_keywords(obj, facts);
    sanitize_keyword_types(obj);
    infer_missing_type(obj);
    let mut nullable = false;

    // `type: 'null'` is `type: ['null']`: next to `oneOf` (or another composition) it
    // can only mean "or null", alone it is the one value `null`.
    if obj.get("type").and_then(Value::as_str) == Some("null") {
        obj.insert("type".into(), json!(["null"]));
    }
    if let Some(Value::Array(types)) = obj.get("type") {
        let mut names = Vec::new();
        for t in types {
            match t.as_str() {
                Some("null") => nullable = true,
                Some(name) => names.push(name.to_owned()),
                None => return Err(format!("`type` lists a non-string {t} at {at}.type")),
            }
        }
        obj.shift_remove("type");
        let composed = ["oneOf", "anyOf", "allOf", "$ref"]
            .iter()
            .any(|k| obj.contains_key(*k));
        match names.len() {
            0 if composed => {}
            0 => {
                obj.insert("enum".into(), json!([null]));
            }
            1 => {
                obj.insert("type".into(), json!(names[0]));
            }
            _ if ctx == Context::Parameter => {
                let first = names[0].clone();
                let format = obj.get("format").and_then(Value::as_str).map(str::to_owned);
                obj.retain(|k, _| {
                    keyword_type(k, format.as_deref()).is_none_or(|kt| applies_to(kt, &first))
                });
                obj.insert("type".into(), json!(first));
            }
            _ => {
                let format = obj.get("format").and_then(Value::as_str).map(str::to_owned);
                let mut arms: Vec<Map<String, Value>> = names
                    .iter()
                    .map(|name| Map::from_iter([("type".to_owned(), json!(name))]))
                    .collect();
                let keys: Vec<String> = obj.keys().cloned().collect();
                for key in keys {
                    let Some(kt) = keyword_type(&key, format.as_deref()) else {
                        continue;
                    };
                    let value = obj.shift_remove(&key).expect("listed key");
                    for (arm, name) in arms.iter_mut().zip(&names) {
                        if applies_to(kt, name) {
                            arm.insert(key.clone(), value.clone());
                        }
                    }
                }
                obj.insert(
                    "oneOf".into(),
                    Value::Array(arms.into_iter().map(Value::Object).collect()),
                );
            }
        }
    }

    // `allOf: [{$ref: A}, {type: 'null'}]` (nothing could match both) means the same.
    if let Some(Value::Array(arms)) = obj.get_mut("allOf") {
        let before = arms.len();
        arms.retain(|arm| !is_null_schema(arm));
        if arms.len() < before {
            nullable = true;
            if arms.is_empty() {
                obj.shift_remove("allOf");
            }
        }
    }
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(arms)) = obj.get_mut(key) else {
            continue;
        };
        let before = arms.len();
        arms.retain(|arm| !is_null_schema(arm));
        if arms.len() == before {
            continue;
        }
        nullable = true;
        let rest = std::mem::take(arms);
        obj.shift_remove(key);
        match rest.len() {
            0 => {}
            1 => match obj.get_mut("allOf") {
                Some(Value::Array(all)) => all.extend(rest),
                _ => {
                    obj.insert("allOf".into(), Value::Array(rest));
                }
            },
            _ => {
                obj.insert(key.into(), Value::Array(rest));
            }
        }
    }

    if ctx == Context::Parameter {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(arms)) = obj.get(key) else {
                continue;
            };
            if let Some(Value::Object(union)) = scalar_union(arms) {
                obj.shift_remove(key);
                obj.extend(union);
            }
        }
    }

    if let Some(value) = obj.shift_remove("const") {
        obj.insert("enum".into(), json!([value]));
    }
    json_schema::composite_enums(obj);
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if obj.get(exclusive).is_some_and(Value::is_number) {
            let value = obj.shift_remove(exclusive).expect("checked");
            obj.insert(bound.into(), value);
            obj.insert(exclusive.into(), json!(true));
        }
    }
    if let Some(Value::Array(examples)) = obj.get("examples") {
        let first = examples.first().cloned();
        obj.shift_remove("examples");
        if let Some(first) = first {
            obj.entry("example").or_insert(first);
        }
    }
    if nullable {
        obj.insert("nullable".into(), json!(true));
    }
    conform_values(obj);
    distinct_field_names(obj);
    Ok(())
}

/// [`downgrade_schemas`] on a parameter's `anyOf`/`oneOf` whose arms are all scalars
/// (or all arrays of them): a query string or header carries any of them as text, while
/// typify makes an `anyOf` a struct of optional members (which progenitor cannot take
/// as an optional parameter, and which has no text form). The union becomes one schema:
/// the arms' type when they share it (with their `format` and `enum` values when every
/// arm has the same format, or an enum), else `string`; arrays get the union of their
/// items.
fn scalar_union(arms: &[Value]) -> Option<Value> {
    const SCALARS: &[&str] = &["string", "integer", "number", "boolean"];
    let arms: Vec<&Map<String, Value>> =
        arms.iter().map(Value::as_object).collect::<Option<_>>()?;
    if arms.is_empty() || arms.iter().any(|a| a.contains_key("$ref")) {
        return None;
    }
    let types: Vec<&str> = arms
        .iter()
        .map(|a| a.get("type").and_then(Value::as_str))
        .collect::<Option<_>>()?;
    if types.iter().all(|t| *t == "array") {
        let items: Vec<Value> = arms
            .iter()
            .map(|a| a.get("items").cloned())
            .collect::<Option<_>>()?;
        return Some(json!({"type": "array", "items": scalar_union(&items)?}));
    }
    if !types.iter().all(|t| SCALARS.contains(t)) {
        return None;
    }
    if !types.iter().all(|t| *t == types[0]) {
        return Some(json!({"type": "string"}));
    }
    let mut union = Map::new();
    union.insert("type".into(), json!(types[0]));
    let formats: Vec<Option<&Value>> = arms.iter().map(|a| a.get("format")).collect();
    if let Some(Some(format)) = formats.first()
        && formats.iter().all(|f| *f == Some(*format))
    {
        union.insert("format".into(), (*format).clone());
    }
    let enums: Option<Vec<&Vec<Value>>> = arms
        .iter()
        .map(|a| a.get("enum").and_then(Value::as_array))
        .collect();
    if let Some(enums) = enums {
        let mut values: Vec<Value> = Vec::new();
        for value in enums.into_iter().flatten() {
            if !values.contains(value) {
                values.push(value.clone());
            }
        }
        union.insert("enum".into(), Value::Array(values));
    }
    Some(Value::Object(union))
}

/// typify names a struct field after its property in snake case; two properties that
/// become one field (`prefs/background` and `prefs_background`) would not compile, so
/// the later one is dropped (and with it from `required`): its value is ignored like any
/// undocumented field. typify also makes a field of each `required` name no property
/// declares (`serde_json::Value`): such a name whose field another name has is dropped
/// (it only validates).
fn distinct_field_names(obj: &mut Map<String, Value>) {
    let mut seen: Vec<String> = Vec::new();
    let mut dropped: Vec<String> = Vec::new();
    if let Some(Value::Object(properties)) = obj.get_mut("properties") {
        properties.retain(|name, _| {
            let field = naming::field_name(name);
            if seen.contains(&field) {
                dropped.push(name.clone());
                false
            } else {
                seen.push(field);
                true
            }
        });
    }
    let declared: Vec<String> = match obj.get("properties") {
        Some(Value::Object(properties)) => properties.keys().cloned().collect(),
        _ => Vec::new(),
    };
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.retain(|r| {
            let Some(r) = r.as_str() else { return true };
            if dropped.iter().any(|d| d == r) {
                return false;
            }
            if declared.iter().any(|d| d == r) {
                return true;
            }
            let field = naming::field_name(r);
            if seen.contains(&field) {
                false
            } else {
                seen.push(field);
                true
            }
        });
    }
}

/// Values and formats that contradict the schema's own `type` (common in published
/// documents, and fatal to typify): a `format` on an array, object or boolean (`format:
/// file`, `format: list of urls`) or an integer format typify does not know is dropped;
/// `enum` values of the wrong type are converted where the conversion is exact (`1` →
/// `"1"` for a string enum, `"2"` → `2` for an integer one) and dropped otherwise (a
/// `null` value makes the schema nullable); a `default` that is not of the type, or
/// that sits on an object, array or composite schema, is dropped (it only sets a
/// serde default).
fn conform_values(obj: &mut Map<String, Value>) {
    let ty = obj.get("type").and_then(Value::as_str).map(str::to_owned);
    let format = obj.get("format").and_then(Value::as_str).map(str::to_owned);
    match (ty.as_deref(), format.as_deref()) {
        (Some("array" | "object" | "boolean"), Some(_)) => {
            obj.shift_remove("format");
        }
        (
            Some("integer"),
            Some(
                "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64"
                | "uint",
            ),
        ) => {}
        (Some("integer"), Some(_)) => {
            obj.shift_remove("format");
        }
        (Some("number"), Some("float" | "double")) => {}
        (Some("number"), Some(_)) => {
            obj.shift_remove("format");
        }
        _ => {}
    }
    if !matches!(obj.get("format"), None | Some(Value::String(_))) {
        obj.shift_remove("format");
    }
    let Some(ty) = ty else {
        // No type: a default is kept only when it is a scalar.
        if obj
            .get("default")
            .is_some_and(|d| d.is_object() || d.is_array())
            || ["oneOf", "anyOf", "allOf"]
                .iter()
                .any(|k| obj.contains_key(*k))
        {
            obj.shift_remove("default");
        }
        return;
    };
    if let Some(Value::Array(values)) = obj.get("enum") {
        let mut converted = Vec::new();
        let mut saw_null = false;
        for value in values {
            match conform(value, &ty) {
                Some(v) if !converted.contains(&v) => converted.push(v),
                Some(_) => {}
                None if value.is_null() => saw_null = true,
                None => {}
            }
        }
        if saw_null {
            obj.insert("nullable".into(), json!(true));
        }
        if converted.is_empty() {
            obj.shift_remove("enum");
        } else {
            obj.insert("enum".into(), Value::Array(converted));
        }
    }
    if let Some(default) = obj.get("default") {
        let keep = matches!(ty.as_str(), "string" | "integer" | "number" | "boolean")
            && conform(default, &ty).as_ref() == Some(default)
            && obj
                .get("enum")
                .and_then(Value::as_array)
                .is_none_or(|values| values.contains(default));
        if !keep {
            obj.shift_remove("default");
        }
    }
}

/// `value` as a value of JSON type `ty`, when that is exact.
fn conform(value: &Value, ty: &str) -> Option<Value> {
    match (ty, value) {
        ("string", Value::String(_)) => Some(value.clone()),
        ("string", Value::Number(n)) => Some(json!(n.to_string())),
        ("string", Value::Bool(b)) => Some(json!(b.to_string())),
        ("integer", Value::Number(n)) if n.is_i64() || n.is_u64() => Some(value.clone()),
        ("integer", Value::Number(n)) => n
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .map(|f| json!(f as i64)),
        ("integer", Value::String(s)) => s.trim().parse::<i64>().ok().map(|n| json!(n)),
        ("number", Value::Number(_)) => Some(value.clone()),
        ("number", Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(|f| json!(f)),
        ("boolean", Value::Bool(_)) => Some(value.clone()),
        ("boolean", Value::String(s)) => match s.as_str() {
            "true" => Some(json!(true)),
            "false" => Some(json!(false)),
            _ => None,
        },
        ("array", Value::Array(_)) | ("object", Value::Object(_)) => Some(value.clone()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::paths::resolve_path_items;

    /// A document with one schema component `S`, run through [`downgrade_schemas`].
    fn downgrade_component(schema: Value) -> Value {
        let mut doc = json!({"components": {"schemas": {"S": schema}}});
        downgrade_schemas(&mut doc).unwrap();
        doc["components"]["schemas"]["S"].take()
    }

    #[test]
    fn type_with_null_becomes_nullable() {
        assert_eq!(
            downgrade_component(json!({"type": ["null", "string"], "description": "d"})),
            json!({"description": "d", "type": "string", "nullable": true})
        );
    }

    #[test]
    fn nested_properties_are_rewritten() {
        let s = downgrade_component(
            json!({"type": "object", "properties": {"a": {"type": ["integer", "null"]}}}),
        );
        assert_eq!(
            s["properties"]["a"],
            json!({"type": "integer", "nullable": true})
        );
    }

    #[test]
    fn several_types_in_a_body_become_one_of() {
        let s = downgrade_component(
            json!({"type": ["integer", "string"], "format": "int32", "pattern": "^\\d+$", "description": "d"}),
        );
        assert_eq!(
            s,
            json!({"description": "d", "oneOf": [
                {"type": "integer", "format": "int32"},
                {"type": "string", "pattern": "^\\d+$"}
            ]})
        );
    }

    #[test]
    fn several_types_in_a_parameter_keep_the_first() {
        let mut doc = json!({"paths": {"/t": {"get": {"parameters": [
            {"name": "limit", "in": "query", "schema": {"pattern": "^-?(?:0|[1-9]\\d*)$", "type": ["integer", "string"], "format": "int32"}}
        ]}}}});
        downgrade_schemas(&mut doc).unwrap();
        assert_eq!(
            doc["paths"]["/t"]["get"]["parameters"][0]["schema"],
            json!({"format": "int32", "type": "integer"})
        );
    }

    #[test]
    fn null_arm_of_one_of_becomes_nullable_all_of() {
        let s = downgrade_component(
            json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/J"}], "description": "d"}),
        );
        assert_eq!(
            s,
            json!({"description": "d", "allOf": [{"$ref": "#/components/schemas/J"}], "nullable": true})
        );
        let s = downgrade_component(
            json!({"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}),
        );
        // Arms that are not objects: an untagged enum (`oneOf`), not typify's struct.
        assert_eq!(
            s,
            json!({"nullable": true, "oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
    }

    #[test]
    fn const_and_exclusive_bounds_and_examples() {
        assert_eq!(
            downgrade_component(json!({"const": "task"})),
            json!({"enum": ["task"]})
        );
        assert_eq!(
            downgrade_component(
                json!({"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10})
            ),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
        );
        assert_eq!(
            downgrade_component(json!({"type": "string", "examples": ["a", "b"]})),
            json!({"type": "string", "example": "a"})
        );
        // 3.0 boolean form is left alone.
        assert_eq!(
            downgrade_component(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn examples_are_data_not_schemas() {
        let s = downgrade_component(
            json!({"type": "object", "example": {"type": ["a", "null"], "const": 1}}),
        );
        assert_eq!(
            s,
            json!({"type": "object", "example": {"type": ["a", "null"], "const": 1}})
        );
    }

    #[test]
    fn keywords_of_2020_12_are_rewritten_never_refused() {
        let mut doc = json!({"openapi": "3.1.0", "paths": {"/t": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/In"}}}},
            "responses": {"200": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                "count": {"type": "integer"}
            }}}}}}
        }}}, "components": {"schemas": {
            "S": {"type": "object", "properties": {
                "t": {"type": "array", "prefixItems": [{"type": "string"}]},
                "c": {"if": {"const": 1}, "then": {"type": "integer"}, "else": false},
                "u": {"type": "object", "properties": {"a": {"type": "integer"}}, "unevaluatedProperties": false},
                "d": {"dependentSchemas": {"a": {"required": ["b"]}}, "$dynamicRef": "#x"}
            }},
            "In": {"type": "object", "properties": {"n": {"type": "integer"}}}
        }}});
        downgrade_schemas(&mut doc).unwrap();
        let s = &doc["components"]["schemas"]["S"]["properties"];
        assert_eq!(s["t"], json!({"type": "array", "items": {}}));
        assert_eq!(s["c"], json!({}));
        assert_eq!(
            s["u"],
            json!({"type": "object", "properties": {"a": {"type": "integer"}},
                "additionalProperties": false})
        );
        assert!(
            serde_json::from_value::<openapiv3::Schema>(doc["components"]["schemas"]["S"].clone())
                .is_ok()
        );
        // Integers stay integers, in requests and responses (`1.0` is not read: see
        // json_schema.rs).
        assert_eq!(
            doc["components"]["schemas"]["In"]["properties"]["n"],
            json!({"type": "integer"})
        );
        let response = &doc["paths"]["/t"]["post"]["responses"]["200"]["content"]["application/json"]
            ["schema"];
        assert_eq!(response["properties"]["count"]["type"], "integer");
    }

    #[test]
    fn bounds_without_a_type_make_a_number_or_go() {
        assert_eq!(
            downgrade_component(json!({"maximum": 3, "multipleOf": 1.5})),
            json!({"maximum": 3, "multipleOf": 1.5, "type": "number"})
        );
        assert_eq!(
            downgrade_component(json!({"minimum": 30, "properties": {"a": {"type": "string"}}})),
            json!({"properties": {"a": {"type": "string"}}})
        );
        // Keywords of several types: any value.
        assert_eq!(
            downgrade_component(json!({"minLength": 1, "minItems": 1, "description": "d"})),
            json!({"description": "d"})
        );
        assert_eq!(
            downgrade_component(json!({"format": "int32", "minimum": 0})),
            json!({"format": "int32", "minimum": 0, "type": "integer"})
        );
        assert_eq!(
            downgrade_component(
                json!({"exclusiveMinimum": 1, "oneOf": [{"type": "integer"}, {"type": "string"}]})
            ),
            json!({"oneOf": [{"type": "integer"}, {"type": "string"}]})
        );
    }

    #[test]
    fn required_names_typify_would_make_one_field_are_made_distinct() {
        let s = downgrade_component(json!({"type": "object",
            "required": ["a_b", "a\nb", "foo\"bar", "foo\\bar", "c"]}));
        assert_eq!(s["required"], json!(["a_b", "foo\"bar", "c"]));
    }

    #[test]
    fn a_type_list_with_non_strings_is_dropped() {
        let mut doc =
            json!({"components": {"schemas": {"S": {"type": ["string", 3], "description": "d"}}}});
        downgrade_schemas(&mut doc).unwrap();
        assert_eq!(
            doc["components"]["schemas"]["S"],
            json!({"description": "d"})
        );
    }

    #[test]
    fn values_that_contradict_the_type_are_conformed_or_dropped() {
        let mut doc = json!({"components": {"schemas": {
            "Files": {"type": "array", "format": "list of urls", "items": {"type": "string"}},
            "Upload": {"type": "object", "format": "file"},
            "Count": {"type": "integer", "format": "int", "default": "3", "enum": ["1", 2, "x", null]},
            "Code": {"type": "string", "enum": [1, "a", true], "default": 5},
            "Flag": {"type": "boolean", "default": "true"},
            "Obj": {"type": "object", "default": {"a": 1}},
            "Pick": {"oneOf": [{"type": "string"}, {"type": "integer"}], "default": "a"}
        }}});
        downgrade_schemas(&mut doc).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(s["Files"].get("format"), None);
        assert_eq!(s["Upload"].get("format"), None);
        assert_eq!(s["Count"]["enum"], json!([1, 2]));
        assert_eq!(s["Count"]["nullable"], true);
        assert_eq!(s["Count"].get("format"), None);
        assert_eq!(s["Count"].get("default"), None, "\"3\" is a string");
        assert_eq!(s["Code"]["enum"], json!(["1", "a", "true"]));
        assert_eq!(s["Code"].get("default"), None);
        assert_eq!(s["Flag"].get("default"), None);
        assert_eq!(s["Obj"].get("default"), None);
        assert_eq!(s["Pick"].get("default"), None);
    }

    #[test]
    fn a_property_called_additional_properties_is_a_schema() {
        let mut doc = json!({"components": {"schemas": {"Connection": {"type": "object",
            "properties": {"additionalProperties": false, "a": {"type": "object", "additionalProperties": false}},
            "additionalProperties": false
        }}}});
        downgrade_schemas(&mut doc).unwrap();
        let c = &doc["components"]["schemas"]["Connection"];
        assert_eq!(c["properties"]["additionalProperties"], json!({}));
        assert_eq!(c["properties"]["a"]["additionalProperties"], false);
        assert_eq!(c["additionalProperties"], false);
        assert!(serde_json::from_value::<openapiv3::Schema>(c.clone()).is_ok());
    }

    #[test]
    fn unions_of_scalars_in_parameters_become_one_scalar() {
        let param =
            |name: &str, schema: Value| json!({"name": name, "in": "query", "schema": schema});
        let mut doc = json!({"paths": {"/m": {"get": {"parameters": [
            param("from", json!({"title": "Date From", "anyOf": [
                {"type": "string", "format": "date-time"}, {"type": "string", "format": "date"}
            ], "default": "2025-10-15"})),
            param("order", json!({"anyOf": [
                {"type": "string", "enum": ["a"]}, {"type": "string", "enum": ["b", "a"]}
            ]})),
            param("id", json!({"anyOf": [{"type": "integer"}, {"type": "string"}]})),
            param("country", json!({"oneOf": [
                {"type": "array", "items": {"type": "string", "format": "country-code-2"}},
                {"type": "array", "items": {"type": "string", "format": "negated-country-code-2"}}
            ]})),
            param("either", json!({"anyOf": [{"$ref": "#/components/schemas/A"}, {"type": "string"}]}))
        ]}}}, "components": {"schemas": {"U": {"anyOf": [{"type": "integer"}, {"type": "string"}]}}}});
        downgrade_schemas(&mut doc).unwrap();
        let p = &doc["paths"]["/m"]["get"]["parameters"];
        assert_eq!(
            p[0]["schema"],
            json!({"title": "Date From", "default": "2025-10-15", "type": "string"})
        );
        assert_eq!(
            p[1]["schema"],
            json!({"type": "string", "enum": ["a", "b"]})
        );
        assert_eq!(p[2]["schema"], json!({"type": "string"}));
        assert_eq!(
            p[3]["schema"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert!(p[4]["schema"].get("anyOf").is_some(), "a reference stays");
        assert!(
            doc["components"]["schemas"]["U"].get("oneOf").is_some(),
            "a body's union is typed"
        );
    }

    #[test]
    fn schemas_typify_could_not_read_are_made_readable() {
        let mut doc = json!({"components": {"schemas": {
            // 3.1 validation-only keywords are dropped.
            "Map": {"type": "object", "additionalProperties": {"type": "string"},
                "propertyNames": {"pattern": "^[a-z]+$"}},
            "List": {"type": "array", "items": {"type": "string"}, "contains": {"const": "a"}, "minContains": 1},
            // Untyped enums: the type their values share; several types, any value.
            "Op": {"enum": ["==", ">=", "<="]},
            "Level": {"enum": [1, 2.5, null]},
            "Flag": {"enum": [true, false, 0, 1], "default": 0},
            // `allOf` with a null arm, `type: 'null'` alone or next to `oneOf`.
            "Currency": {"allOf": [{"$ref": "#/components/schemas/Op"}, {"type": "null"}]},
            "Never": {"type": "null"},
            "Either": {"oneOf": [{"type": "string"}, {"type": "number"}], "type": "null"},
            // An object with a `format` and no type.
            "Org": {"format": "object", "properties": {"id": {"type": "integer"}}},
            // Required names no property declares.
            "Error": {"oneOf": [{"type": "object", "properties": {"Message": {"type": "string"}}, "required": ["data"]}]},
            "Part": {"allOf": [
                {"type": "object", "properties": {"a": {"type": "string"}}},
                {"type": "object", "properties": {"b": {"type": "string"}}, "required": ["a", "b"]}
            ]}
        }}});
        downgrade_schemas(&mut doc).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(
            s["Map"],
            json!({"type": "object", "additionalProperties": {"type": "string"}})
        );
        assert_eq!(
            s["List"],
            json!({"type": "array", "items": {"type": "string"}})
        );
        assert_eq!(
            s["Op"],
            json!({"enum": ["==", ">=", "<="], "type": "string"})
        );
        assert_eq!(
            s["Level"],
            json!({"enum": [1, 2.5], "type": "number", "nullable": true})
        );
        assert_eq!(s["Flag"], json!({}));
        assert_eq!(
            s["Currency"],
            json!({"allOf": [{"$ref": "#/components/schemas/Op"}], "nullable": true})
        );
        assert_eq!(s["Never"], json!({"enum": [null], "nullable": true}));
        assert_eq!(
            s["Either"],
            json!({"oneOf": [{"type": "string"}, {"type": "number"}], "nullable": true})
        );
        assert_eq!(s["Org"], json!({"properties": {"id": {"type": "integer"}}}));
        assert_eq!(s["Error"]["oneOf"][0]["required"], json!([]));
        assert_eq!(
            s["Part"]["allOf"][1]["required"],
            json!(["a", "b"]),
            "a sibling arm declares `a`"
        );
        for schema in s.as_object().unwrap().values() {
            assert!(serde_json::from_value::<openapiv3::Schema>(schema.clone()).is_ok());
        }
    }

    #[test]
    fn keywords_of_the_wrong_json_type_are_read_or_dropped() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "string", "pattern": 0, "minLength": "2", "maxLength": -1, "nullable": "yes"},
            "B": {"type": {"description": "not a type"}, "required": true, "items": [{"type": "string"}]},
            "C": {"type": "object", "required": ["a", 1], "properties": [], "additionalProperties": "no"}
        }}});
        downgrade_schemas(&mut doc).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(s["A"], json!({"type": "string", "minLength": 2}));
        assert_eq!(s["B"], json!({"items": {"type": "string"}}));
        assert_eq!(s["C"], json!({"type": "object", "required": ["a"]}));
    }

    #[test]
    fn types_are_inferred_from_formats_and_boolean_schemas_loosened() {
        let mut doc = json!({"components": {"schemas": {
            "When": {"format": "date-time", "readOnly": true},
            "Big": {"format": "int64"},
            "Odd": {"maxItems": 1, "properties": {"a": {"type": "number"}}},
            "Any": {"description": "no type, no format"},
            "Obj": {"type": "object", "properties": {"never": false, "any": true}}
        }}});
        downgrade_schemas(&mut doc).unwrap();
        let s = &doc["components"]["schemas"];
        assert_eq!(s["When"]["type"], "string");
        assert_eq!(s["Big"]["type"], "integer");
        assert_eq!(s["Odd"], json!({"properties": {"a": {"type": "number"}}}));
        assert_eq!(s["Any"].get("type"), None);
        assert_eq!(s["Obj"]["properties"], json!({"never": {}, "any": {}}));
        let mut doc = json!({
            "paths": {"/a": {"$ref": "#/components/x-items/A"}, "$ref": "#/nope", "/b": {"get": {"callbacks": {"c": {}}}}},
            "components": {"x-items": {"A": {"get": {"operationId": "a"}}}}
        });
        resolve_path_items(&mut doc);
        assert_eq!(
            doc["paths"],
            json!({"/a": {"get": {"operationId": "a"}}, "/b": {"get": {}}})
        );
    }
}

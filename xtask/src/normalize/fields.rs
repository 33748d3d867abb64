//! Struct fields typify would declare twice: two JSON property names that typify spells
//! as one Rust field, brought into one struct by a merge.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use crate::document::{self, naming, schema, segment};

use super::walk::visit_schema_positions;

/// At most this many `oneOf`/`anyOf` variants are checked per merge.
const MAX_VARIANTS: usize = 64;

/// [`untype_merged_fields_named_alike`]: typify names a struct field after its JSON
/// property in snake case (`recase`, which is [`naming::field_name`]), honours nothing
/// that would choose another name, and declares one field per name it meets. Within one
/// object's `properties` two names with one field (`type` and `Type`, `foo-bar` and
/// `foo_bar`) are already one (`downgrade_schemas` keeps the first); but typify also
/// builds one struct from a schema's own `properties` and `required`, the arms of its
/// `allOf` (followed through `$ref`s and their own `allOf`s) and, for each `oneOf` or
/// `anyOf` variant, that variant's properties, and there two names can meet that no
/// one object has (flipt's `FlagResourcePayload: allOf: [$ref AtType, $ref Flag]`,
/// with `@type` and `type`: `field type_ is already declared`). The same goes for a
/// property called `extra` next to `additionalProperties` (typify's map of the other
/// properties is the field `extra`). No crate with such a struct compiles, and no
/// choice of one property over the other keeps every value, so each schema typify
/// would build such a struct from becomes any JSON value (`serde_json::Value`), its
/// description saying why, listed as degraded (a warning, counted by `cargo xtask
/// corpus`): the merge, and each merge that includes it (which would otherwise lose
/// its fields without a word); the components it merges stay as they are, and so does
/// a schema that only refers to it (`allOf: [$ref]` alone, `nullable`'s wrapper).
pub fn untype_merged_fields_named_alike(doc: &mut Value) {
    let mut walk = Walk {
        memo: Memo {
            schemas: None,
            done: component_fields(doc),
            visiting: Vec::new(),
        },
        found: Vec::new(),
    };
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            let at = format!("$.components.schemas{}", segment(name));
            walk.visit(schema, &at, Some(name));
        }
    }
    let _ = visit_schema_positions(doc, &mut |schema, _, at| {
        if !at.starts_with("$.components.schemas") {
            walk.visit(schema, at, None);
        }
        Ok(())
    });
    if !walk.found.is_empty() {
        match doc.get_mut(document::DEGRADED) {
            Some(Value::Array(list)) => list.extend(walk.found),
            _ => doc[document::DEGRADED] = Value::Array(walk.found),
        }
    }
}

/// The fields of every component's struct, as a merge that refers to it meets them.
fn component_fields(doc: &Value) -> HashMap<String, Fields> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return HashMap::new();
    };
    let mut memo = Memo {
        schemas: Some(schemas),
        done: HashMap::new(),
        visiting: Vec::new(),
    };
    for name in schemas.keys() {
        memo.component(name);
    }
    memo.done
}

/// The JSON names of the fields typify gives the struct(s) it builds from a schema.
#[derive(Clone, Default)]
struct Fields {
    /// The properties and `required` names of the schema and of its `allOf` arms.
    names: BTreeSet<String>,
    /// Whether one of them has `additionalProperties` as a schema (typify's `extra`).
    map: bool,
    /// The names each `oneOf`/`anyOf` variant adds (typify merges the rest into each).
    variants: Vec<(BTreeSet<String>, bool)>,
}

/// Two JSON names of one struct that typify spells as one field.
enum Clash {
    Names(String, String, String),
    Extra(String),
}

impl Clash {
    fn why(&self) -> String {
        match self {
            Clash::Names(a, b, field) => format!(
                "the properties `{a}` and `{b}` would both be the Rust field `{field}` of the struct typify merges from it"
            ),
            Clash::Extra(a) => format!(
                "the property `{a}` would be the Rust field `extra`, which typify also gives its map of the other properties (`additionalProperties`)"
            ),
        }
    }
}

impl Fields {
    fn clash(&self) -> Option<Clash> {
        if let Some(clash) = clash_in(self.names.iter(), self.map) {
            return Some(clash);
        }
        if self.names.is_empty() {
            // No common part: each variant is a type of its own, checked where it is.
            return None;
        }
        self.variants
            .iter()
            .find_map(|(names, map)| clash_in(self.names.union(names), self.map || *map))
    }
}

fn clash_in<'a>(names: impl Iterator<Item = &'a String>, map: bool) -> Option<Clash> {
    let mut fields: HashMap<String, &str> = HashMap::new();
    for name in names {
        let field = naming::field_name(name);
        if map && field == "extra" {
            return Some(Clash::Extra(name.clone()));
        }
        if let Some(first) = fields.get(&field) {
            return Some(Clash::Names((*first).to_owned(), name.clone(), field));
        }
        fields.insert(field, name);
    }
    None
}

/// [`Fields`] of schemas, components computed once (`schemas` `None`: only those).
struct Memo<'a> {
    schemas: Option<&'a Map<String, Value>>,
    done: HashMap<String, Fields>,
    /// Components being computed: a cycle of `allOf` arms ends there.
    visiting: Vec<String>,
}

impl Memo<'_> {
    fn component(&mut self, name: &str) -> Fields {
        if let Some(fields) = self.done.get(name) {
            return fields.clone();
        }
        let Some(schema) = self.schemas.and_then(|s| s.get(name)) else {
            return Fields::default();
        };
        if self.visiting.iter().any(|v| v == name) {
            return Fields::default();
        }
        self.visiting.push(name.to_owned());
        let fields = self.of(schema);
        self.visiting.pop();
        self.done.insert(name.to_owned(), fields.clone());
        fields
    }

    fn of(&mut self, schema: &Value) -> Fields {
        let Some(obj) = schema.as_object() else {
            return Fields::default();
        };
        if let Some(target) = obj.get("$ref").and_then(Value::as_str) {
            let Some(token) = target.strip_prefix("#/components/schemas/") else {
                return Fields::default();
            };
            let name = document::from_pointer_token(token);
            return self.component(&name);
        }
        let mut fields = Fields::default();
        if let Some(Value::Object(properties)) = obj.get("properties") {
            fields.names.extend(properties.keys().cloned());
        }
        if let Some(Value::Array(required)) = obj.get("required") {
            fields
                .names
                .extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        fields.map = obj
            .get("additionalProperties")
            .is_some_and(Value::is_object);
        for arm in obj
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let arm = self.of(arm);
            fields.names.extend(arm.names);
            fields.map |= arm.map;
            fields.variants.extend(arm.variants);
        }
        for key in ["oneOf", "anyOf"] {
            for arm in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
                let arm = self.of(arm);
                if arm.variants.is_empty() {
                    fields.variants.push((arm.names, arm.map));
                } else {
                    for (names, map) in arm.variants {
                        let names = arm.names.union(&names).cloned().collect();
                        fields.variants.push((names, arm.map || map));
                    }
                }
            }
        }
        fields.variants.truncate(MAX_VARIANTS);
        fields
    }
}

/// The walk over every schema, outermost first.
struct Walk<'a> {
    memo: Memo<'a>,
    /// The entries of [`document::DEGRADED`] for the schemas untyped.
    found: Vec<Value>,
}

impl Walk<'_> {
    /// Checks `schema` (at `at`; `component`: it is that component), untypes it if its
    /// fields collide, else goes on into the schemas nested in it.
    fn visit(&mut self, schema: &mut Value, at: &str, component: Option<&str>) {
        if schema.get("$ref").is_some() || names_another_type(schema) {
            return;
        }
        let fields = match component {
            Some(name) => self.memo.component(name),
            None => self.memo.of(schema),
        };
        if let Some(clash) = fields.clash() {
            let why = clash.why();
            untype(schema, &why);
            self.found.push(json!({
                "kind": "schema",
                "name": component.unwrap_or(at),
                "why": why,
            }));
            return;
        }
        let Value::Object(obj) = schema else {
            return;
        };
        let _ = schema::for_each_child_mut(obj, |child, place| {
            self.visit(child, &place.location(at), None);
            Ok::<_, ()>(())
        });
    }
}

/// Whether `schema` is `{allOf: [{$ref}]}` with nothing typify would merge into it
/// (`nullable`, docs): typify gives it the referenced type, and builds no struct.
fn names_another_type(schema: &Value) -> bool {
    let Some(obj) = schema.as_object() else {
        return false;
    };
    let merges = [
        "properties",
        "required",
        "additionalProperties",
        "oneOf",
        "anyOf",
    ]
    .iter()
    .any(|k| obj.contains_key(*k));
    match obj
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([arm]) => !merges && arm.get("$ref").is_some(),
        _ => false,
    }
}

/// `schema` becomes any JSON value, its description saying why.
fn untype(schema: &mut Value, why: &str) {
    let before = schema
        .get("description")
        .and_then(Value::as_str)
        .map(|d| format!("{d}\n\n"))
        .unwrap_or_default();
    *schema = json!({
        "description": format!("{before}Not typed by the generator (any JSON value): {why}.")
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(properties: &[&str]) -> Value {
        let properties: Map<String, Value> = properties
            .iter()
            .map(|p| ((*p).to_owned(), json!({"type": "string"})))
            .collect();
        json!({"type": "object", "properties": properties})
    }

    fn reference(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    /// The names listed as degraded, in order.
    fn degraded(doc: &Value) -> Vec<String> {
        doc.get(document::DEGRADED)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect()
    }

    fn untyped(schema: &Value) -> bool {
        schema.as_object().is_some_and(|o| o.len() == 1)
            && schema["description"]
                .as_str()
                .is_some_and(|d| d.contains("Not typed by the generator"))
    }

    #[test]
    fn merges_whose_fields_collide_are_untyped() {
        let mut doc = json!({"components": {"schemas": {
            // flipt's shape: `@type` and `type` meet in the merge of two references.
            "AtType": {"type": "object", "required": ["@type"], "properties": {"@type": {"type": "string"}}},
            "Flag": object(&["type", "key"]),
            "FlagResourcePayload": {"type": "object", "description": "A flag.", "allOf": [reference("AtType"), reference("Flag")]},
            // Through a chain of `allOf`s and `$ref`s, and with an inline arm.
            "Middle": {"allOf": [reference("Flag")]},
            "Chained": {"allOf": [reference("Middle"), object(&["Type"])]},
            // A `required` name no arm declares is a field too.
            "Required": {"allOf": [{"required": ["@type"]}, reference("Flag")]},
            // `foo-bar` and `foo_bar` in two inline arms.
            "Inline": {"allOf": [object(&["foo-bar"]), object(&["foo_bar"])]},
            // typify merges the common part into each `oneOf` variant.
            "Variants": {"type": "object", "properties": {"type": {"type": "string"}},
                "oneOf": [object(&["@type"]), object(&["b"])]},
            // Its map of other properties is the field `extra`.
            "Extra": {"allOf": [object(&["extra"]), {"additionalProperties": {"type": "integer"}}]}
        }}});
        untype_merged_fields_named_alike(&mut doc);
        let s = &doc["components"]["schemas"];
        for name in [
            "FlagResourcePayload",
            "Chained",
            "Required",
            "Inline",
            "Variants",
            "Extra",
        ] {
            assert!(untyped(&s[name]), "{name}: {}", s[name]);
        }
        assert_eq!(
            s["FlagResourcePayload"]["description"],
            "A flag.\n\nNot typed by the generator (any JSON value): the properties `@type` and `type` would both be the Rust field `type_` of the struct typify merges from it."
        );
        assert_eq!(s["AtType"]["properties"]["@type"]["type"], "string");
        assert_eq!(s["Flag"], object(&["type", "key"]));
        assert_eq!(s["Middle"], json!({"allOf": [reference("Flag")]}));
        assert_eq!(
            degraded(&doc),
            [
                "FlagResourcePayload",
                "Chained",
                "Required",
                "Inline",
                "Variants",
                "Extra"
            ]
        );
        assert!(
            doc[document::DEGRADED][5]["why"]
                .as_str()
                .unwrap()
                .contains("`extra`")
        );
    }

    #[test]
    fn what_typify_keeps_apart_stays_typed() {
        let mut doc = json!({"components": {"schemas": {
            "AtType": object(&["@type"]),
            "Flag": object(&["type"]),
            // One name declared by two arms is one field.
            "Same": {"allOf": [object(&["type"]), reference("Flag")]},
            // Variants without a common part are types of their own.
            "Either": {"oneOf": [reference("AtType"), reference("Flag")]},
            // A property's own `allOf` is a type of its own, not part of the merge.
            "Holder": {"allOf": [reference("Flag"), {"properties": {"at": {"allOf": [reference("AtType")]}}}]},
            "Map": {"type": "object", "properties": {"extras": {"type": "string"}}, "additionalProperties": {"type": "string"}}
        }}});
        let before = doc.clone();
        untype_merged_fields_named_alike(&mut doc);
        assert_eq!(doc, before);
    }

    #[test]
    fn each_schema_typify_would_merge_the_clash_into_goes() {
        let mut doc = json!({
            "paths": {"/a": {"post": {"requestBody": {"content": {"application/json": {"schema": {
                "allOf": [reference("Flag"), object(&["Type"])]
            }}}}, "responses": {"200": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"payload": {"allOf": [reference("AtType"), reference("Flag")]}}
            }}}}}}}},
            "components": {"schemas": {
                "AtType": object(&["@type"]),
                "Flag": object(&["type"]),
                "Payload": {"allOf": [reference("AtType"), reference("Flag")]},
                // Merges `Payload`'s fields: typed, it would lose them.
                "Envelope": {"allOf": [reference("Payload"), object(&["id"])]},
                "Outer": {"allOf": [reference("Envelope")], "description": "d"},
                "Nullable": {"type": "object", "properties": {"p": {"allOf": [reference("Payload")], "nullable": true}}},
                // Refers to it, merges nothing of it.
                "Listing": {"type": "object", "properties": {"items": {"type": "array", "items": reference("Payload")}}}
            }}
        });
        untype_merged_fields_named_alike(&mut doc);
        let s = &doc["components"]["schemas"];
        for name in ["Payload", "Envelope"] {
            assert!(untyped(&s[name]), "{name}: {}", s[name]);
        }
        // One reference, nothing merged: typify gives it `Envelope`'s type.
        assert_eq!(
            s["Outer"],
            json!({"allOf": [reference("Envelope")], "description": "d"})
        );
        assert_eq!(
            s["Listing"]["properties"]["items"]["items"],
            reference("Payload")
        );
        assert_eq!(
            s["Nullable"]["properties"]["p"],
            json!({"allOf": [reference("Payload")], "nullable": true})
        );
        let op = &doc["paths"]["/a"]["post"];
        assert!(untyped(
            &op["requestBody"]["content"]["application/json"]["schema"]
        ));
        let response = &op["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(untyped(&response["properties"]["payload"]));
        assert_eq!(response["type"], "object", "only the merge goes");
        assert_eq!(
            degraded(&doc),
            [
                "Payload",
                "Envelope",
                "$.paths['/a'].post.requestBody.content['application/json'].schema",
                "$.paths['/a'].post.responses['200'].content['application/json'].schema.properties.payload",
            ]
        );
    }
}

//! Type names: components renamed by overlays, and the names typify would give twice
//! (equal Rust names, equal titles) made distinct.

use serde_json::{Value, json};

use crate::document::naming;
use crate::document::schema;
use crate::document::segment;

use super::components::strip_docs;
use super::components::{component_names, rename_components};
use super::walk::visit_schema_positions;

/// Rule [`rename_schemas`] of the [module docs](super).
pub fn rename_schemas(doc: &mut Value) -> Result<(), String> {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return Ok(());
    };
    let mut renames: Vec<(String, String)> = Vec::new();
    for (name, schema) in schemas.iter_mut() {
        if let Some(Value::Object(obj)) = Some(schema) {
            match obj.shift_remove("x-rust-name") {
                Some(Value::String(new)) => renames.push((name.clone(), new)),
                Some(other) => {
                    return Err(format!(
                        "x-rust-name must be a string, found {other} at $.components.schemas{}",
                        segment(name)
                    ));
                }
                None => {}
            }
        }
    }
    if renames.is_empty() {
        return Ok(());
    }
    for (old, new) in &renames {
        let taken = schemas
            .keys()
            .any(|k| k == new && !renames.iter().any(|(o, _)| o == k))
            || renames.iter().filter(|(_, n)| n == new).count() > 1;
        if taken {
            return Err(format!(
                "x-rust-name {new:?} of schema {old:?} clashes with another schema"
            ));
        }
    }
    rename_components(doc, &renames);
    Ok(())
}

/// [`distinct_type_names`]: component schemas whose Rust names are equal (`string` and
/// `String`, `task-status` and `TaskStatus`) or would shadow `Option`, `Result`, `Vec`,
/// `Box` or `String` in generated code get `2`, `3`, ... (references follow).
pub fn distinct_type_names(doc: &mut Value) {
    const PRELUDE: &[&str] = &[
        "Option", "Result", "Vec", "Box", "String", "Some", "None", "Ok", "Err",
    ];
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    let mut used: Vec<String> = PRELUDE.iter().map(|s| s.to_string()).collect();
    let mut renames: Vec<(String, String)> = Vec::new();
    let names: Vec<String> = schemas.keys().cloned().collect();
    for name in &names {
        let rust = naming::type_name(name);
        if !used.contains(&rust) {
            used.push(rust);
            continue;
        }
        let mut n = 2;
        let new = loop {
            let candidate = format!("{name}{n}");
            if !used.contains(&naming::type_name(&candidate)) && !names.contains(&candidate) {
                break candidate;
            }
            n += 1;
        };
        used.push(naming::type_name(&new));
        renames.push((name.clone(), new));
    }
    if renames.is_empty() {
        return;
    }
    rename_components(doc, &renames);
}

/// [`distinct_titles`]: typify names the type of an inline schema after its `title` (a
/// component is named by its key) and keeps one type per name: a second schema with the
/// same title silently becomes the first one's type (drchrono.com: 67 different list
/// responses titled `""` all decode as one), and a title spelled like a component (or
/// like `Option`, `Vec`, ...) defines a second item of that name (telnyx.com's array
/// component `TemplateComponents` whose items are titled `Template Components`). A
/// title with no letter or digit (typify spells it `X`) is dropped, so the schema is
/// named from where it is; a title typify would spell like a component or like a
/// different titled schema becomes the next free `<Name>2`, `<Name>3`, ...; identical
/// copies (up to their docs) keep sharing one name.
pub fn distinct_titles(doc: &mut Value) {
    const PRELUDE: &[&str] = &[
        "Option", "Result", "Vec", "Box", "String", "Some", "None", "Ok", "Err",
    ];
    let mut taken: Vec<String> = PRELUDE.iter().map(|s| s.to_string()).collect();
    taken.extend(component_names(doc).iter().map(|n| naming::type_name(n)));
    let mut titled: Vec<(String, Value)> = Vec::new();
    let _ = visit_schema_positions(doc, &mut |schema, _, at| {
        // A component's own title names nothing: typify names it by its key.
        let component = at.starts_with("$.components.schemas");
        distinct_titles_in(schema, component, &taken, &mut titled);
        Ok(())
    });
}

/// Keys of a schema that typify makes a named type of: objects, enums, unions and
/// constrained strings.
pub(super) const NAMED_TYPE_KEYS: [&str; 8] = [
    "properties",
    "enum",
    "oneOf",
    "anyOf",
    "allOf",
    "minLength",
    "maxLength",
    "pattern",
];

fn distinct_titles_in(
    schema: &mut Value,
    component: bool,
    taken: &[String],
    titled: &mut Vec<(String, Value)>,
) {
    let Value::Object(obj) = schema else {
        return;
    };
    if let Some(title) = obj.get("title") {
        let meaningless = match title {
            Value::String(t) => !t.chars().any(char::is_alphanumeric),
            _ => true,
        };
        if meaningless {
            obj.shift_remove("title");
        }
    }
    // Only schemas typify makes a named type of: objects, enums, unions and
    // constrained strings.
    let named = NAMED_TYPE_KEYS.iter().any(|k| obj.contains_key(*k))
        || obj.get("type").and_then(Value::as_str) == Some("object");
    if let Some(Value::String(title)) = obj.get("title")
        && !component
        && named
        && !obj.contains_key("$ref")
    {
        let base = naming::type_name(title);
        let definition = strip_docs(&Value::Object(obj.clone()));
        let mut name = base.clone();
        let mut n = 1;
        loop {
            match titled.iter().find(|(t, _)| *t == name) {
                Some((_, existing)) if *existing == definition => break,
                None if !taken.contains(&name) => {
                    titled.push((name.clone(), definition));
                    break;
                }
                _ => {
                    n += 1;
                    name = format!("{base}{n}");
                }
            }
        }
        if name != base {
            obj.insert("title".into(), json!(name));
        }
    }
    let _ = schema::for_each_child_mut(obj, |child, _| {
        distinct_titles_in(child, false, taken, titled);
        Ok::<_, ()>(())
    });
}

/// A type name from where a schema sits: `$.components.schemas.Issue.properties.state`
/// → `IssueState`; `$.paths['/repos/{owner}'].get.parameters[2].schema` →
/// `ReposGetParameter2`.
pub fn name_from_location(at: &str) -> String {
    const NOISE: &[&str] = &[
        "$",
        "components",
        "schemas",
        "properties",
        "items",
        "content",
        "schema",
        "paths",
        "responses",
        "requestBodies",
        "requestBody",
        "headers",
        "allOf",
        "oneOf",
        "anyOf",
        "additionalProperties",
        "not",
        "application/json",
    ];
    let mut words = Vec::new();
    let mut rest = at;
    while !rest.is_empty() {
        let (word, next) = if let Some(r) = rest.strip_prefix("['") {
            let end = r.find("']").unwrap_or(r.len());
            (r[..end].to_owned(), r.get(end + 2..).unwrap_or(""))
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            (
                format!("parameter{}", &r[..end]),
                r.get(end + 1..).unwrap_or(""),
            )
        } else {
            let r = rest.strip_prefix('.').unwrap_or(rest);
            let end = r.find(['.', '[']).unwrap_or(r.len());
            (r[..end].to_owned(), &r[end..])
        };
        rest = next;
        if word.starts_with('/') {
            words.extend(
                word.split('/')
                    .filter(|w| !w.is_empty() && !w.starts_with('{'))
                    .map(str::to_owned),
            );
        } else if !NOISE.contains(&word.as_str()) && word != "parameters" {
            words.push(word);
        }
    }
    let words: Vec<String> = words
        .into_iter()
        .map(|w| {
            w.strip_prefix("parameter")
                .map_or(w.clone(), |n| format!("Parameter{n}"))
        })
        .collect();
    let start = words.len().saturating_sub(3);
    crate::document::naming::type_name(&words[start..].join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::openapi31::downgrade_schemas;
    use crate::normalize::parameters::normalize_parameters;

    #[test]
    fn schemas_are_renamed_with_their_refs() {
        let mut doc = json!({
            "paths": {"/t": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/GetTaskResponse"}}}}}}}},
            "components": {"schemas": {
                "GetTaskResponse": {"x-rust-name": "Task", "type": "object"},
                "GetTaskResponseList": {"type": "array", "items": {"$ref": "#/components/schemas/GetTaskResponse"}}
            }}
        });
        rename_schemas(&mut doc).unwrap();
        assert_eq!(
            doc["components"]["schemas"],
            json!({"Task": {"type": "object"}, "GetTaskResponseList": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}}})
        );
        assert_eq!(
            doc["paths"]["/t"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/Task"
        );
    }

    #[test]
    fn rename_clash_is_an_error() {
        let mut doc = json!({"components": {"schemas": {"A": {"x-rust-name": "B"}, "B": {}}}});
        assert_eq!(
            rename_schemas(&mut doc).unwrap_err(),
            "x-rust-name \"B\" of schema \"A\" clashes with another schema"
        );
    }

    #[test]
    fn names_that_would_collide_in_rust_are_made_distinct() {
        let mut doc = json!({
            "paths": {"/s": {"get": {"parameters": [
                {"name": "new", "in": "query", "schema": {"type": "boolean"}},
                {"name": "page", "in": "query", "schema": {"type": "integer"}}
            ], "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/string"}}}}}}}},
            "components": {"schemas": {
                "String": {"type": "object", "properties": {
                    "prefs/background": {"type": "string"}, "prefs_background": {"type": "string"}
                }, "required": ["prefs_background"]},
                "string": {"type": "string"},
                "Vec": {"type": "array", "items": {}}
            }}
        });
        normalize_parameters(&mut doc);
        distinct_type_names(&mut doc);
        downgrade_schemas(&mut doc).unwrap();
        let names: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(names, ["String2", "string3", "Vec2"]);
        assert_eq!(
            doc["paths"]["/s"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/string3"
        );
        let s = &doc["components"]["schemas"]["String2"];
        assert_eq!(
            s["properties"],
            json!({"prefs/background": {"type": "string"}})
        );
        assert_eq!(s["required"], json!([]));
        let params = doc["paths"]["/s"]["get"]["parameters"].as_array().unwrap();
        assert_eq!(params.len(), 1, "`new` is a builder's constructor");
        assert_eq!(doc["x-tasks-sdk-skipped-parameters"][0]["name"], "new");
    }

    #[test]
    fn titles_typify_would_name_alike_become_distinct() {
        let list = |item: &str| {
            json!({"title": "", "type": "object", "properties": {
                "data": {"type": "array", "items": {"$ref": format!("#/components/schemas/{item}")}}
            }})
        };
        let mut doc = json!({
            "paths": {
                "/patients": {"get": {"responses": {"200": {"content": {"application/json": {"schema": list("Patient")}}}}}},
                "/tasks": {"get": {"responses": {"200": {"content": {"application/json": {"schema": list("Task")}}}}}}
            },
            "components": {"schemas": {
                "Patient": {"title": "", "type": "object"},
                "Task": {"type": "object", "properties": {
                    "note": {"title": "Patient", "type": "object", "properties": {"a": {"type": "string"}}},
                    "other": {"title": "Note", "type": "object", "properties": {"a": {"type": "string"}}},
                    "same": {"title": "Note", "description": "d", "type": "object", "properties": {"a": {"type": "string"}}},
                    "different": {"title": "note", "type": "object", "properties": {"b": {"type": "string"}}},
                    "result": {"title": "Result", "type": "object"},
                    "id": {"title": "Patient", "type": "integer"}
                }},
                "TemplateComponents": {"type": "array", "items": {
                    "title": "Template Components", "type": "object", "properties": {"a": {"type": "string"}}
                }}
            }}
        });
        distinct_titles(&mut doc);
        let s = &doc["components"]["schemas"];
        let body = |path: &str| {
            doc["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                .clone()
        };
        assert_eq!(body("/patients").get("title"), None);
        assert_eq!(body("/tasks").get("title"), None);
        assert_eq!(s["Patient"].get("title"), None);
        let task = &s["Task"]["properties"];
        assert_eq!(task["note"]["title"], "Patient2");
        assert_eq!(task["other"]["title"], "Note");
        assert_eq!(
            task["same"]["title"], "Note",
            "an identical copy shares the name"
        );
        assert_eq!(task["different"]["title"], "Note2");
        assert_eq!(task["result"]["title"], "Result2");
        assert_eq!(
            task["id"]["title"], "Patient",
            "typify names no type for it"
        );
        assert_eq!(
            s["TemplateComponents"]["items"]["title"],
            "TemplateComponents2"
        );
    }
}

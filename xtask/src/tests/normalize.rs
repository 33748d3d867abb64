//! The normalization rules, checked on the code generated from their output.

use serde_json::{Value, json};

use crate::normalize::normalize;

/// Generates `doc` through the whole pipeline; the code of `generated.rs`.
fn generated(doc: Value) -> String {
    let mut prepared =
        crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, "t.yaml".into(), doc, None)
            .unwrap();
    let outputs = crate::emit::generate(&mut prepared).unwrap();
    outputs
        .into_iter()
        .find(|o| o.path.ends_with("generated.rs"))
        .map(|o| o.contents)
        .unwrap()
}

fn one_get(schema: &str) -> Value {
    json!({"/x": {"get": {
        "operationId": "get_x",
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": format!("#/components/schemas/{schema}")}
        }}}}
    }}})
}

#[test]
fn properties_typify_merges_through_refs_get_names_of_their_own() {
    // azure.com/security's shape: the merged `Solution` has a property `kind` whose
    // inline enum sits in the arm it refers to, `SolutionKind`, and typify would
    // name it `SolutionKind`, the arm's own name.
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": one_get("Solution"),
        "components": {"schemas": {
            "Solution": {"allOf": [
                {"$ref": "#/components/schemas/SolutionKind"},
                {"type": "object", "properties": {"location": {"type": "string"}}}
            ]},
            "SolutionKind": {"type": "object", "properties": {
                "kind": {"type": "string", "enum": ["CEF", "ATA"]}
            }}
        }}
    });
    let mut normalized = doc.clone();
    normalize(&mut normalized).unwrap();
    let schemas = &normalized["components"]["schemas"];
    assert_eq!(
        schemas["SolutionKind"]["properties"]["kind"],
        json!({"$ref": "#/components/schemas/SolutionKindKind"})
    );
    assert_eq!(schemas["SolutionKindKind"]["enum"], json!(["CEF", "ATA"]));
    let code = generated(doc);
    assert_eq!(
        code.matches("pub struct SolutionKind {").count(),
        1,
        "{code}"
    );

    // microsoft.com/graph's shape: the inline schema sits in an `allOf` arm of the
    // referenced component (`printer` → `printerBase`'s second arm).
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": one_get("printer"),
        "components": {"schemas": {
            "entity": {"type": "object", "properties": {"id": {"type": "string"}}},
            "printer": {"allOf": [
                {"$ref": "#/components/schemas/printerBase"},
                {"type": "object", "properties": {"isShared": {"type": "boolean"}}}
            ]},
            "printerBase": {"allOf": [
                {"$ref": "#/components/schemas/entity"},
                {"type": "object", "properties": {"capabilities": {"anyOf": [
                    {"$ref": "#/components/schemas/printerCapabilities"},
                    {"type": "object", "nullable": true}
                ]}}}
            ]},
            "printerCapabilities": {"type": "object", "properties": {"color": {"type": "boolean"}}}
        }}
    });
    let mut normalized = doc.clone();
    normalize(&mut normalized).unwrap();
    let schemas = &normalized["components"]["schemas"];
    assert_eq!(
        schemas["printerBase"]["allOf"][1]["properties"]["capabilities"],
        json!({"$ref": "#/components/schemas/PrinterBaseCapabilities"})
    );
    assert!(schemas["PrinterBaseCapabilities"]["anyOf"].is_array());
    generated(doc);

    // beezup.com's shape: `Column`'s arms give `links` two different components;
    // typify merges them into `ColumnLinks`, the name of one of those components,
    // which moves to `ColumnLinks2`.
    let links = |name: &str| json!({"type": "object", "properties": {name: {"type": "string"}}});
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": one_get("Column"),
        "components": {"schemas": {
            "Base": {"type": "object", "properties": {
                "id": {"type": "string"},
                "links": {"$ref": "#/components/schemas/BaseLinks"}
            }},
            "BaseLinks": links("self"),
            "Column": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"type": "object", "properties": {
                    "links": {"$ref": "#/components/schemas/ColumnLinks"}
                }}
            ]},
            "ColumnLinks": links("map")
        }}
    });
    let mut normalized = doc.clone();
    normalize(&mut normalized).unwrap();
    let schemas = &normalized["components"]["schemas"];
    assert_eq!(schemas["ColumnLinks2"], links("map"));
    assert!(schemas.get("ColumnLinks").is_none());
    assert_eq!(
        schemas["Column"]["allOf"][1]["properties"]["links"],
        json!({"$ref": "#/components/schemas/ColumnLinks2"})
    );
    let code = generated(doc);
    // typify's merge (`self` and `map`) and the renamed component, once each in
    // `types` (a response's types have no builder).
    assert_eq!(
        code.matches("pub struct ColumnLinks {").count(),
        1,
        "{code}"
    );
    assert_eq!(
        code.matches("pub struct ColumnLinks2 {").count(),
        1,
        "{code}"
    );
}

#[test]
fn an_inline_response_named_like_a_component_keeps_its_own_type() {
    // qdrant's shape: `facet` answers an envelope whose `result` is the component
    // `FacetResponse`, the name progenitor gives the envelope.
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/facet": {"post": {
            "operationId": "facet",
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"status": {"type": "string"}, "result": {"$ref": "#/components/schemas/FacetResponse"}}
            }}}}}
        }}},
        "components": {"schemas": {"FacetResponse": {
            "type": "object", "required": ["hits"],
            "properties": {"hits": {"type": "array", "items": {"type": "string"}}}
        }}}
    });
    let code: String = generated(doc).split_whitespace().collect();
    assert!(
        code.contains("Result<ResponseValue<types::FacetResponse2>,Error<()>>"),
        "{code}"
    );
    assert!(code.contains("pubresult:Option<FacetResponse>"), "{code}");
}

/// A JSON Schema 2020-12 document through the whole pipeline: `$id` and `$anchor`
/// references, `$defs` hoisted into components, a tuple, conditionals, unevaluated and
/// pattern properties, a `\p{..}` pattern, a response-only integer; every keyword is
/// typed, loosened or documented, none refused.
#[test]
fn a_json_schema_2020_12_document_generates() {
    let doc = json!({
        "openapi": "3.1.0", "info": {"title": "t", "version": "1"},
        "paths": one_get("Task"),
        "components": {"schemas": {
            "Task": {
                "$id": "https://example.com/task",
                "type": "object",
                "required": ["id", "owner"],
                "properties": {
                    "id": {"type": "integer"},
                    "owner": {"$ref": "#person"},
                    "point": {"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false},
                    "name": {"type": "string", "pattern": "^\\p{Letter}+$"},
                    "labels": {"type": "object", "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false},
                    "kind": {"const": "task"}
                },
                "if": {"properties": {"kind": {"const": "task"}}},
                "then": {"required": ["name"]},
                "unevaluatedProperties": false,
                "$defs": {"person": {"$anchor": "person", "type": "object",
                    "properties": {"login": {"type": "string"}}, "unevaluatedProperties": false}}
            }
        }}
    });
    let mut normalized = doc.clone();
    normalize(&mut normalized).unwrap();
    let schemas = &normalized["components"]["schemas"];
    assert_eq!(
        schemas["Task"]["properties"]["owner"],
        json!({"$ref": "#/components/schemas/TaskPerson"})
    );
    assert_eq!(schemas["TaskPerson"]["additionalProperties"], false);
    let code = generated(doc);
    for expected in [
        "pub struct TaskPerson {",
        "pub id: i64,",
        "pub owner: TaskPerson,",
        "pub point: Vec<f64>,",
        "Pattern (not checked by the client: it needs Unicode mode)",
        "pub labels: ::std::collections::HashMap<",
    ] {
        assert!(code.contains(expected), "{expected}:\n{code}");
    }
}

/// `Type.field` for every field a struct (or a variant of an enum) of `code` declares
/// more than once (which no crate compiles: `field is already declared`), in every
/// module.
fn duplicate_fields(code: &str) -> Vec<String> {
    fn check(owner: String, fields: &syn::Fields, out: &mut Vec<String>) {
        let mut seen = Vec::new();
        for field in fields {
            let Some(name) = field.ident.as_ref().map(|i| i.to_string()) else {
                continue;
            };
            if seen.contains(&name) {
                out.push(format!("{owner}.{name}"));
            }
            seen.push(name);
        }
    }
    fn visit(items: &[syn::Item], out: &mut Vec<String>) {
        for item in items {
            match item {
                syn::Item::Struct(s) => check(s.ident.to_string(), &s.fields, out),
                syn::Item::Enum(e) => {
                    for variant in &e.variants {
                        check(
                            format!("{}::{}", e.ident, variant.ident),
                            &variant.fields,
                            out,
                        );
                    }
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        visit(items, out);
                    }
                }
                _ => {}
            }
        }
    }
    let file = syn::parse_file(code).expect("generated.rs parses");
    let mut out = Vec::new();
    visit(&file.items, &mut out);
    out
}

#[test]
fn properties_typify_would_make_one_field_never_meet_in_a_struct() {
    // flipt's `FlagResourcePayload` (`@type` and `type` through two references), a
    // merge of it, one object with five names of two fields, and a `oneOf` variant
    // typify merges a common `type` into.
    let string = json!({"type": "string"});
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {
            "/flags": {"post": {
                "operationId": "create_flag",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Odd"}
                }}}}
            }},
            "/variants": {"get": {
                "operationId": "get_variants",
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"type": string},
                        "oneOf": [{"type": "object", "properties": {"@type": string}},
                                  {"type": "object", "properties": {"b": string}}]}
                }}}}
            }}
        },
        "components": {"schemas": {
            "AtType": {"type": "object", "required": ["@type"], "properties": {
                "@type": {"title": "atType", "type": "string", "enum": ["flipt.core.Flag"]}
            }},
            "Flag": {"type": "object", "properties": {
                "key": string, "type": {"type": "string", "enum": ["BOOLEAN_FLAG_TYPE"]}
            }},
            "FlagResourcePayload": {"type": "object", "allOf": [
                {"$ref": "#/components/schemas/AtType"}, {"$ref": "#/components/schemas/Flag"}
            ]},
            "Envelope": {"allOf": [
                {"$ref": "#/components/schemas/FlagResourcePayload"},
                {"type": "object", "properties": {"id": string}}
            ]},
            "Odd": {"type": "object", "properties": {
                "type": string, "@type": string, "Type": string, "foo-bar": string, "foo_bar": string
            }}
        }}
    });
    let mut normalized = doc.clone();
    normalize(&mut normalized).unwrap();
    let degraded: Vec<&str> = normalized["x-tasks-sdk-degraded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        degraded,
        [
            "FlagResourcePayload",
            "Envelope",
            "$.paths['/variants'].get.responses['200'].content['application/json'].schema"
        ]
    );
    let code = generated(doc);
    assert_eq!(duplicate_fields(&code), Vec::<String>::new(), "{code}");
    for expected in [
        "pub struct FlagResourcePayload(pub ::serde_json::Value);",
        "pub struct Envelope(pub ::serde_json::Value);",
        "pub struct AtType {",
        "pub struct Flag {",
        "pub struct Odd {",
        "pub type_: Option<String>,",
        "pub foo_bar: Option<String>,",
    ] {
        assert!(code.contains(expected), "{expected}:\n{code}");
    }
}

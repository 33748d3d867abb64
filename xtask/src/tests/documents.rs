//! Documents as providers publish them, with what OpenAPI forbids and real documents
//! still do: each is generated (never refused), with a warning that says what was done.

use serde_json::json;

use crate::model::{CORPUS_PROVIDER, Prepared, prepare_doc};

fn prepared(paths: serde_json::Value) -> Prepared {
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.invalid"}],
        "paths": paths
    });
    prepare_doc(CORPUS_PROVIDER, "t.yaml".into(), doc, None).unwrap()
}

fn generated(p: &mut Prepared) -> String {
    crate::emit::generate(p)
        .unwrap()
        .into_iter()
        .find(|o| o.path.ends_with("generated.rs"))
        .unwrap()
        .contents
}

#[test]
fn repeated_operation_ids_are_made_unique_from_method_or_path_with_a_warning() {
    let ok = json!({"200": {"description": "ok"}});
    let mut p = prepared(json!({
        "/v1/things/{id}": {
            "get": {"operationId": "getThing", "responses": ok},
            "head": {"operationId": "getThing", "responses": ok}
        },
        "/v2/things/{id}": {"get": {"operationId": "getThing", "responses": ok}}
    }));
    let code = generated(&mut p);
    for method in [
        "pub fn get_thing(",
        "pub fn get_thing_head(",
        "pub fn get_thing_v2(",
    ] {
        assert!(code.contains(method), "{method} not in the client");
    }
    assert_eq!(
        p.warnings,
        [
            "t.yaml: duplicate operationId \"getThing\" at $.paths['/v1/things/{id}'].head: generated as `get_thing_head` (an overlay can set another operationId)",
            "t.yaml: duplicate operationId \"getThing\" at $.paths['/v2/things/{id}'].get: generated as `get_thing_v2` (an overlay can set another operationId)",
        ]
    );
}

#[test]
fn an_operation_without_responses_is_generated_with_a_warning() {
    let mut p = prepared(json!({"/ping": {"post": {"operationId": "ping"}}}));
    assert!(generated(&mut p).contains("pub fn ping("));
    assert_eq!(
        p.warnings,
        [
            "t.yaml: no responses at $.paths['/ping'].post: generated with an untyped `default` response"
        ]
    );
}

#[test]
fn an_openapi_32_document_generates_and_lists_what_is_not_generated() {
    let doc = json!({
        "openapi": "3.2.0", "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.invalid"}],
        "paths": {"/tasks": {
            "get": {
                "operationId": "listTasks",
                "parameters": [
                    {"name": "q", "in": "querystring", "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}},
                    {"name": "limit", "in": "query", "schema": {"type": ["integer", "null"]}}
                ],
                "responses": {"200": {"content": {"application/json": {"schema": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Task"}
                }}}}}
            },
            "query": {"operationId": "searchTasks", "responses": {"200": {"description": "ok"}}}
        }},
        "components": {"schemas": {"Task": {
            "type": "object", "required": ["id"],
            "properties": {"id": {"type": "string"}, "done": {"const": true}}
        }}}
    });
    let mut p = prepare_doc(CORPUS_PROVIDER, "t.yaml".into(), doc, None).unwrap();
    let outputs = crate::emit::generate(&mut p).unwrap();
    let code = &outputs
        .iter()
        .find(|o| o.path.ends_with("generated.rs"))
        .unwrap()
        .contents;
    assert!(
        code.contains("pub fn list_tasks("),
        "list_tasks is generated"
    );
    assert!(code.contains("pub fn limit<"), "its query parameter too");
    let lib = &outputs
        .iter()
        .find(|o| o.path.ends_with("lib.rs"))
        .unwrap()
        .contents;
    assert!(
        lib.contains("//! - `QUERY /tasks`: an OpenAPI 3.2 QUERY operation"),
        "{lib}"
    );
    assert!(
        lib.contains("//! - parameter `q` of `listTasks`: an OpenAPI 3.2 querystring parameter"),
        "{lib}"
    );
}

#[test]
fn numbers_beyond_64_bits_are_read() {
    for text in [
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/n": {"get": {"operationId": "n", "parameters": [{"name": "x", "in": "query", "schema": {"type": "integer", "format": "int64", "minimum": -9223372036854776000, "maximum": 18446744073709551616}}], "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "integer", "minimum": -9223372036854776000, "multipleOf": 1e400}}}}}}}}}"#,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /n:\n    get:\n      operationId: n\n      parameters:\n        - {name: x, in: query, schema: {type: integer, format: int64, minimum: -9223372036854776000, maximum: 18446744073709551616}}\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: integer, minimum: -9223372036854776000}}}}\n",
    ] {
        let doc = crate::document::parse(text).unwrap();
        let mut p = prepare_doc(CORPUS_PROVIDER, "t.yaml".into(), doc, None).unwrap();
        assert!(generated(&mut p).contains("pub fn n("));
    }
}

/// Degrade, never lose the document: a schema typify cannot type (a `not` of an object
/// panics it) costs that schema, an operation whose inline schema does costs that
/// operation; the rest is generated, and each is a warning. Normalization drops `not`
/// (it only validates), so the document skips it (`prepare_normalized`): it stands for
/// whatever construct normalization does not know yet.
#[test]
fn what_progenitor_cannot_generate_costs_one_schema_or_one_operation() {
    let not_an_object = json!({"not": {"type": "object", "properties": {"a": {"type": "string"}}}});
    let ok_body = |schema: serde_json::Value| json!({"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}});
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {
            "/holders": {"get": {"operationId": "holders", "responses": ok_body(json!({"$ref": "#/components/schemas/Holder"}))}},
            "/tasks": {"get": {"operationId": "tasks", "responses": ok_body(json!({"$ref": "#/components/schemas/Task"}))}},
            "/odd": {"get": {"operationId": "odd", "responses": ok_body(json!({
                "type": "object", "properties": {"inline": not_an_object}
            }))}}
        },
        "components": {"schemas": {
            "Task": {"type": "object", "properties": {"id": {"type": "string"}}},
            "Holder": {"type": "object", "description": "Holds.", "properties": {"odd": not_an_object}}
        }}
    });
    let provider =
        crate::document::providers::ProviderInfo::from_doc(CORPUS_PROVIDER, &doc).unwrap();
    let mut p = crate::model::prepare_normalized(provider, "t.yaml".into(), doc).unwrap();
    let code = generated(&mut p);
    assert!(code.contains("pub fn holders(") && code.contains("pub fn tasks("));
    assert!(!code.contains("pub fn odd("), "the operation is left out");
    assert!(
        code.contains("pub struct Task {"),
        "the rest keeps its types"
    );
    assert!(
        code.contains("Not typed by the generator (any JSON object): progenitor failed on a construct it does not support"),
        "the untyped schema says why"
    );
    assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    for start in [
        "t.yaml: schema `Holder` is not typed (any JSON object): progenitor failed",
        "t.yaml: `GET /odd` is not generated: progenitor failed",
    ] {
        assert!(
            p.warnings.iter().any(|w| w.starts_with(start)),
            "{start}: {:?}",
            p.warnings
        );
    }
    let lib = crate::emit::generate(&mut p)
        .unwrap()
        .into_iter()
        .find(|o| o.path.ends_with("lib.rs"))
        .unwrap()
        .contents;
    assert!(
        lib.contains("//! - `GET /odd`: progenitor cannot generate it: "),
        "{lib}"
    );
    assert!(
        lib.contains("//! - schema `Holder`: not typed (any JSON object): "),
        "{lib}"
    );
}

/// A `$ref` to nothing (a renamed component, a parameter never written) costs what it
/// stands for: the component is any JSON value, the parameter is left out, the
/// response's body is any JSON value; each is a warning and listed in the crate docs.
#[test]
fn dangling_refs_cost_what_they_stand_for() {
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.invalid"}],
        "paths": {"/boards/{id}": {"get": {
            "operationId": "getBoard",
            "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                {"$ref": "#/components/parameters/Page"}
            ],
            "responses": {
                "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Board"}}}},
                "404": {"$ref": "#/components/responses/NotFound"}
            }
        }}},
        "components": {"schemas": {"Board": {"type": "object", "properties": {
            "id": {"type": "string"},
            "stats": {"$ref": "#/components/schemas/BoardStatistics"}
        }}}}
    });
    let mut p = prepare_doc(CORPUS_PROVIDER, "t.yaml".into(), doc, None).unwrap();
    let outputs = crate::emit::generate(&mut p).unwrap();
    let file = |name: &str| {
        outputs
            .iter()
            .find(|o| o.path.ends_with(name))
            .unwrap()
            .contents
            .clone()
    };
    let code = file("generated.rs");
    assert!(
        code.contains("pub fn get_board("),
        "the operation is generated"
    );
    assert!(
        code.contains("pub struct BoardStatistics(pub ::serde_json::Value);"),
        "the missing schema is any JSON value"
    );
    assert!(
        code.contains("pub stats: Option<BoardStatistics>,"),
        "the rest keeps its types"
    );
    assert!(
        !code.contains("fn page<"),
        "the dangling parameter is left out"
    );
    let first = |at: &str| format!("($ref at `{at}`)");
    assert_eq!(
        p.warnings,
        [
            format!(
                "t.yaml: parameter `#/components/parameters/Page` is left out: \"#/components/parameters/Page\" is not in the document {}",
                first("$.paths['/boards/{id}'].get.parameters[1]['$ref']")
            ),
            format!(
                "t.yaml: schema `#/components/responses/NotFound` is not typed (any JSON value): \"#/components/responses/NotFound\" is not in the document {}",
                first("$.paths['/boards/{id}'].get.responses['404']['$ref']")
            ),
            format!(
                "t.yaml: schema `BoardStatistics` is not typed (any JSON value): \"#/components/schemas/BoardStatistics\" is not in the document {}",
                first("$.components.schemas.Board.properties.stats['$ref']")
            ),
        ]
    );
    let lib = file("lib.rs");
    assert!(
        lib.contains("//! - schema `BoardStatistics`: not typed (any JSON value): \"#/components/schemas/BoardStatistics\" is not in the document"),
        "{lib}"
    );
    assert!(
        lib.contains("//! - parameter `#/components/parameters/Page` is left out: "),
        "{lib}"
    );
}

/// What OpenAPI requires and a document lacks is filled in with a warning; a document
/// that is not OpenAPI at all is still refused, with its own error.
#[test]
fn missing_required_fields_are_filled_in_but_a_document_that_is_not_openapi_is_refused() {
    let text = "openapi: 3.0.3\ninfo: {title: Boards API}\npaths:\n  /boards:\n    get:\n      operationId: listBoards\n      responses:\n        '200': {content: {application/json: {schema: {type: array, items: {type: string}}}}}\n";
    let doc = crate::document::parse(text).unwrap();
    let mut p = prepare_doc("boards", "specs/boards/openapi.yaml".into(), doc, None).unwrap();
    let outputs = crate::emit::generate(&mut p).unwrap();
    let lib = &outputs
        .iter()
        .find(|o| o.path.ends_with("lib.rs"))
        .unwrap()
        .contents;
    assert!(lib.contains("(\"Boards API\", version unknown)"), "{lib}");
    assert_eq!(
        p.warnings,
        [
            "specs/boards/openapi.yaml: no `info.version` (OpenAPI requires one) at $.info: read as \"unknown\"",
            "specs/boards/openapi.yaml: a response without a `description` (OpenAPI requires one) at $.paths['/boards'].get.responses['200']: given an empty one",
        ]
    );
    for (text, error) in [
        (
            "info: {title: t, version: '1'}\npaths: {}\n",
            "t.yaml: not an OpenAPI document: no `openapi` version (nor `swagger: \"2.0\"`) at $",
        ),
        (
            "openapi: 2.5.0\ninfo: {}\n",
            "t.yaml: unsupported OpenAPI version \"2.5.0\" at $.openapi (3.0.x, 3.1.x and 3.2.x are supported)",
        ),
    ] {
        let doc = crate::document::parse(text).unwrap();
        let err = prepare_doc(CORPUS_PROVIDER, "t.yaml".into(), doc, None)
            .err()
            .unwrap();
        assert_eq!(err, error);
    }
}

/// Per-operation security: each scheme by name with its env var, each operation's
/// requirements (AND within one, alternatives, anonymous) in the provider table, and an
/// optional parameter that repeats an API key left out.
#[test]
fn operations_carry_their_own_security_requirements() {
    let ok = json!({"200": {"description": "ok"}});
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.invalid"}],
        "security": [{"apiKey": []}],
        "paths": {
            "/me": {"get": {"operationId": "me", "security": [{"userToken": []}], "responses": ok}},
            "/items": {"get": {"operationId": "items", "parameters": [
                {"name": "X-Api-Key", "in": "header", "schema": {"type": "string"}}
            ], "responses": ok}},
            "/purge": {"post": {"operationId": "purge", "security": [{"apiKey": [], "adminToken": []}], "responses": ok}},
            "/maybe": {"get": {"operationId": "maybe", "security": [{"userToken": []}, {}], "responses": ok}},
            "/open": {"get": {"operationId": "open", "security": [], "responses": ok}}
        },
        "components": {"securitySchemes": {
            "userToken": {"type": "http", "scheme": "bearer"},
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "adminToken": {"type": "apiKey", "in": "header", "name": "X-Admin-Token"}
        }}
    });
    let mut p = prepare_doc(CORPUS_PROVIDER, "t.yaml".into(), doc, None).unwrap();
    // Without the trailing commas prettyplease puts in a call it breaks over lines.
    let code: String = generated(&mut p)
        .split_whitespace()
        .collect::<String>()
        .replace(",)", ")");
    for expected in [
        r#"tasks_sdk_core::SecurityScheme::new("apiKey",tasks_sdk_core::AuthScheme::Header("x-api-key"),"CORPUS_API_KEY")"#,
        r#"tasks_sdk_core::SecurityScheme::new("userToken",tasks_sdk_core::AuthScheme::Bearer,"CORPUS_USER_TOKEN")"#,
        r#"tasks_sdk_core::SecurityScheme::new("adminToken",tasks_sdk_core::AuthScheme::Header("x-admin-token"),"CORPUS_ADMIN_TOKEN")"#,
        r#"Operation::new("me").with_security(&[&[1u16]])"#,
        r#"Operation::new("items").with_security(&[&[0u16]])"#,
        r#"Operation::new("purge").with_security(&[&[0u16,2u16]])"#,
        r#"Operation::new("maybe").with_requires_auth(false).with_security(&[&[1u16],&[]])"#,
        r#"Operation::new("open").with_requires_auth(false).with_security(&[])"#,
    ] {
        assert!(
            code.contains(expected),
            "{expected} not in the provider table"
        );
    }
    // The optional `X-Api-Key` parameter of `items` repeats the scheme: no setter.
    assert!(!code.contains("pubfnx_api_key<"), "no setter for the key");
}

#[test]
fn an_operation_that_only_redirects_answers_with_its_redirect() {
    // httpbin's `/redirect-to` and an OAuth authorization endpoint: no 2xx, a 302.
    let mut p = prepared(json!({
        "/redirect-to": {"get": {
            "operationId": "redirect_to",
            "responses": {"302": {"description": "a redirection"}, "400": {"description": "bad"}}
        }},
        "/pages": {"get": {
            "operationId": "pages",
            "responses": {"200": {"description": "ok"}, "301": {"description": "moved"}}
        }}
    }));
    let redirects = |id: &str| {
        p.operations
            .iter()
            .find(|o| o.id == id)
            .unwrap()
            .redirects
            .clone()
    };
    assert_eq!(redirects("redirect_to"), [(302, 302)]);
    // With a success status, the 3xx is not the answer.
    assert_eq!(redirects("pages"), []);
    let code = generated(&mut p);
    assert_eq!(
        code.matches("200..=299 | 302 => Ok(ResponseValue::stream(response))")
            .count(),
        1,
        "{code}"
    );
}

#[test]
fn a_required_parameter_that_repeats_the_key_the_operation_requires_is_sent_once() {
    // soundcloud.com's `/connect`: `client_id` is a `$ref`'d required query parameter
    // and the query key of the `ClientId` scheme the operation requires.
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.invalid"}],
        "components": {
            "securitySchemes": {"ClientId": {"type": "apiKey", "in": "query", "name": "client_id"}},
            "parameters": {"client_id": {"name": "client_id", "in": "query", "required": true, "schema": {"type": "string"}}}
        },
        "paths": {"/connect": {"get": {
            "operationId": "connect",
            "security": [{"ClientId": []}],
            "parameters": [
                {"$ref": "#/components/parameters/client_id"},
                {"name": "scope", "in": "query", "required": true, "schema": {"type": "string"}}
            ],
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let mut p = prepare_doc(CORPUS_PROVIDER, "t.yaml".into(), doc, None).unwrap();
    let params: Vec<&str> = p.operations[0]
        .params
        .iter()
        .map(|param| param.name.as_str())
        .collect();
    assert_eq!(params, ["scope"]);
    let code = generated(&mut p);
    assert!(!code.contains("pub fn client_id"), "{code}");
}

#[test]
fn a_websocket_operation_leaves_the_test_kit_compilable() {
    // togethercomputer's `GET /realtime`: only `101 Switching Protocols`. progenitor
    // answers `ResponseValue<reqwest::Upgraded>`, which a stub cannot serve as JSON.
    let mut p = prepared(json!({
        "/realtime": {"get": {
            "operationId": "realtime",
            "responses": {"101": {"description": "switching to WebSocket"}}
        }},
        "/models": {"get": {
            "operationId": "models",
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"type": "array", "items": {"type": "string"}}
            }}}}
        }}
    }));
    let outputs = crate::emit::generate(&mut p).unwrap();
    let file = |name: &str| -> String {
        outputs
            .iter()
            .find(|o| o.path.ends_with(name))
            .unwrap()
            .contents
            .split_whitespace()
            .collect()
    };
    assert!(
        file("generated.rs").contains("ResponseValue<reqwest::Upgraded>"),
        "the operation is generated as progenitor types it"
    );
    let kit = file("testing.rs");
    let body = |builder: &str| {
        let at = kit.find(&format!("implMockOperationfor{builder}")).unwrap();
        let rest = &kit[at..];
        let start = rest.find("typeBody=").unwrap() + "typeBody=".len();
        rest[start..start + rest[start..].find(';').unwrap()].to_owned()
    };
    assert_eq!(body("Realtime"), "()");
    assert_eq!(body("Models"), "::std::vec::Vec<::std::string::String>");
}

#[test]
fn a_query_string_written_into_the_path_sends_its_parameter_there() {
    // medium.com's `/search/articles?query={query}`, `query` declared in the query.
    let mut p = prepared(json!({
        "/search/articles?query={query}": {"get": {
            "operationId": "search",
            "parameters": [{"in": "query", "name": "query", "required": true, "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}
        }}
    }));
    let params: Vec<(String, bool)> = p.operations[0]
        .params
        .iter()
        .map(|param| {
            (
                param.name.clone(),
                param.location == crate::model::params::Location::Path,
            )
        })
        .collect();
    assert_eq!(params, [("query".to_owned(), true)]);
    let code: String = generated(&mut p).split_whitespace().collect();
    assert!(
        code.contains(r#"format!("{}/search/articles?query={}",client.baseurl,query,)"#),
        "{code}"
    );
}

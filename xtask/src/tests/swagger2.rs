//! Swagger 2.0 documents through the whole pipeline: converted when parsed
//! (`crate::document::swagger2`), then normalized and generated like any OpenAPI 3.0
//! document.

use serde_json::json;

/// `text` (a Swagger 2.0 document) parsed and prepared as the corpus provider.
fn prepared(name: &str, text: &str) -> crate::model::Prepared {
    let doc = crate::document::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
    crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, name.into(), doc, None)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The code of `generated.rs` for `prepared`.
fn generated(prepared: &mut crate::model::Prepared) -> String {
    crate::emit::generate(prepared)
        .unwrap()
        .into_iter()
        .find(|o| o.path.ends_with("generated.rs"))
        .map(|o| o.contents)
        .unwrap()
}

/// A body parameter, form fields, a `csv` query array, `definitions` with `$ref`s and
/// an `x-nullable`, an API key.
const TASKS: &str = r#"
swagger: '2.0'
info: {title: Tasks, version: '1'}
host: tasks.example.test
basePath: /v1
security: [{key: []}]
securityDefinitions:
  key: {type: apiKey, in: header, name: X-Api-Key}
paths:
  /tasks:
    get:
      operationId: list_tasks
      parameters:
        - {name: tags, in: query, type: array, items: {type: string}, collectionFormat: csv}
        - {name: limit, in: query, type: integer, format: int32, maximum: 100}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/TaskList'}}
    post:
      operationId: create_task
      parameters:
        - {name: task, in: body, required: true, schema: {$ref: '#/definitions/NewTask'}}
      responses:
        '201': {description: created, schema: {$ref: '#/definitions/Task'}}
  /tasks/{id}/notes:
    post:
      operationId: add_note
      consumes: [application/x-www-form-urlencoded]
      parameters:
        - {name: id, in: path, required: true, type: string}
        - {name: text, in: formData, required: true, type: string}
        - {name: pinned, in: formData, type: boolean}
      responses:
        '204': {description: added}
definitions:
  TaskList:
    type: object
    properties:
      tasks: {type: array, items: {$ref: '#/definitions/Task'}}
  Task:
    type: object
    required: [id, title]
    properties:
      id: {type: string}
      title: {type: string}
      owner: {$ref: '#/definitions/User', x-nullable: true}
      due: {type: string, format: date, x-nullable: true}
  NewTask:
    type: object
    required: [title]
    properties:
      title: {type: string}
  User:
    type: object
    properties:
      name: {type: string}
"#;

#[test]
fn a_swagger_2_document_generates_with_its_body_and_parameter_types() {
    let mut p = prepared("tasks.yaml", TASKS);
    assert_eq!(p.base_url, "https://tasks.example.test/v1");
    let code = generated(&mut p);
    for expected in [
        // The body parameter: the referenced definition.
        "V: TryInto<types::NewTask>,",
        "pub async fn send(self) -> Result<ResponseValue<types::Task>, Error<()>>",
        // The form fields: one form-urlencoded body, `text` required.
        "pub struct AddNoteBody {",
        "pub text: String,",
        "pub pinned: Option<bool>,",
        "tasks_sdk_core::params::form_body(&body, &[])?",
        // The query parameters.
        "tags: Result<Option<Vec<String>>, String>,",
        "limit: Result<Option<i32>, String>,",
        // `x-nullable` next to a `$ref`, and on a string.
        "pub owner: Option<User>,",
        "pub due: Option<::chrono::naive::NaiveDate>,",
        // The API key.
        "tasks_sdk_core::AuthScheme::Header(\"x-api-key\")",
    ] {
        assert!(code.contains(expected), "{expected:?} not in:\n{code}");
    }
    // The csv array as OpenAPI 3 says it: commas, not one `tags=` per value.
    let tags = &p.doc["paths"]["/tasks"]["get"]["parameters"][0];
    assert_eq!(
        (&tags["style"], &tags["explode"]),
        (&json!("form"), &json!(false))
    );
}

/// The Swagger 2.0 documents of `xtask/fixtures/swagger2/`, each (name, text).
fn fixtures() -> Vec<(String, String)> {
    let dir = crate::workspace::root()
        .unwrap()
        .join("xtask/fixtures/swagger2");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(f).unwrap())
        })
        .collect()
}

/// The operations a document as published declares.
fn published_operations(text: &str) -> usize {
    let doc = crate::document::parse_verbatim(text).unwrap();
    crate::document::operations(&doc).len()
}

#[test]
fn every_swagger_2_fixture_generates_every_operation() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 3,
        "{:?}",
        fixtures.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (name, text) in &fixtures {
        let mut p = prepared(name, text);
        assert_eq!(
            p.generated_operations(),
            published_operations(text),
            "{name}"
        );
        for skipped in ["x-tasks-sdk-skipped", "x-tasks-sdk-skipped-parameters"] {
            assert!(
                p.doc.get(skipped).is_none(),
                "{name}: {skipped}: {:?}",
                p.doc[skipped]
            );
        }
        let code = generated(&mut p);
        let expected: &[&str] = match name.as_str() {
            // Form fields: a typed form body (the upload, with a file, is a typed
            // multipart body whose file is a `FilePart`, checked below).
            "petstore.yaml" => &[
                "body: Result<types::builder::UpdatePetWithFormBody, String>,",
                "status: Result<Vec<types::FindPetsByStatusStatusItem>, String>,",
                "pub category: Option<Category>,",
            ],
            // A pipes array is a `pipeDelimited` one, sent by the runtime; a tsv array
            // (no 3.0 style) the joined string.
            "tasks_legacy.json" => &[
                "assignees: Result<Option<Vec<i64>>, String>,",
                "fields: Result<Option<String>, String>,",
                "body: Result<types::builder::TaskPatch, String>,",
            ],
            "uploads.yaml" => &["body: Result<types::builder::RenameFilesBody, String>,"],
            _ => &[],
        };
        for expected in expected {
            assert!(
                code.contains(expected),
                "{name}: {expected:?} not in:\n{code}"
            );
        }
    }
    let petstore = prepared("petstore.yaml", &fixtures[0].1);
    assert_eq!(
        petstore.doc["paths"]["/pet/{petId}/uploadImage"]["post"]["x-tasks-sdk-form-data"],
        true
    );
    assert!(petstore.operations.iter().any(|op| op.media.multipart));
    let uploads = prepared("uploads.yaml", &fixtures[2].1);
    assert_eq!(
        uploads.base_url, "/files/v1",
        "no host: the relative basePath"
    );
}

/// `add-provider` reads the document through `document::parse`: its guesses see 3.0.
#[test]
fn add_provider_detects_from_a_swagger_2_document() {
    let (_, text) = fixtures()
        .into_iter()
        .find(|(name, _)| name == "tasks_legacy.json")
        .unwrap();
    let doc = crate::document::parse(&text).unwrap();
    let found =
        crate::model::guess::detect("legacy", "specs/legacy/openapi.yaml", doc, None).unwrap();
    assert_eq!(found.list_operation, Some(("/tasks".into(), "get".into())));
    assert_eq!(
        found.pagination,
        Some(json!({
            "style": "page", "items": "items", "page_param": "page", "limit_param": "per_page",
            "total_items": "total_count", "page_size": 25
        }))
    );
    assert_eq!(
        found.x_task.as_ref().unwrap()["status_filter"]["param"],
        "status"
    );
}

/// A Swagger 2.0 document with what invalid ones in the wild have (swagger-codegen's
/// `petstore_issue_7999.json`, `issue-7355.yaml`, `discriminatorTest.json`): no
/// `info.title`, `info.version: 1.0` (a number), a response without a `description`,
/// a `$ref` to a definition that is not there. It generates, with a warning each.
#[test]
fn an_invalid_swagger_2_document_generates_with_warnings() {
    let text = r#"
swagger: '2.0'
info: {version: 1.0}
host: api.example.test
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {$ref: '#/parameters/Missing'}
      responses:
        '200':
          schema: {type: array, items: {$ref: '#/definitions/Pet'}}
definitions:
  Owner: {type: object, properties: {pets: {type: array, items: {$ref: '#/definitions/Pet'}}}}
"#;
    let mut p = prepared("pets.yaml", text);
    let code = generated(&mut p);
    assert!(code.contains("pub fn list_pets("));
    assert!(code.contains("pub struct Pet(pub ::serde_json::Value);"));
    assert_eq!(
        p.warnings,
        [
            "pets.yaml: no `info.title` (OpenAPI requires one) at $.info: read as \"pets\"",
            "pets.yaml: `info.version` is not a string (1.0) at $.info: read as \"1.0\"",
            "pets.yaml: a response without a `description` (OpenAPI requires one) at $.paths['/pets'].get.responses['200']: given an empty one",
            "pets.yaml: parameter `#/components/parameters/Missing` is left out: \"#/components/parameters/Missing\" is not in the document ($ref at `$.paths['/pets'].get.parameters[0]['$ref']`)",
            "pets.yaml: schema `Pet` is not typed (any JSON value): \"#/components/schemas/Pet\" is not in the document ($ref at `$.paths['/pets'].get.responses['200'].content['application/json'].schema.items['$ref']` and 1 more)",
        ]
    );
}

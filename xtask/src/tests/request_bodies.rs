//! The test kit's check of request bodies, as regen writes it for each media type of a
//! typed body (`MockOperation::REQUEST_BODY`).

use serde_json::json;

use crate::model::{CORPUS_PROVIDER, prepare_doc};

#[test]
fn each_typed_request_body_gets_the_check_of_its_media_type_in_the_test_kit() {
    let object = json!({
        "type": "object",
        "required": ["name", "tags", "note", "file"],
        "properties": {
            "name": {"type": "string"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "note": {"type": "string", "nullable": true},
            "file": {"type": "string", "format": "binary"},
            "size": {"type": "integer"}
        }
    });
    let op = |id: &str, media: &str, required: bool| {
        json!({"post": {
            "operationId": id,
            "requestBody": {"required": required, "content": {media: {"schema": object}}},
            "responses": {"204": {"description": "ok"}}
        }})
    };
    let doc = json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://api.example.invalid"}],
        "paths": {
        "/json": op("create_json", "application/json", true),
        "/patch": op("patch_json", "application/merge-patch+json", false),
        "/form": op("create_form", "application/x-www-form-urlencoded", true),
        "/upload": op("upload", "multipart/form-data", true),
        "/raw": {"put": {
            "operationId": "put_raw",
            "requestBody": {"content": {"application/octet-stream": {
                "schema": {"type": "string", "format": "binary"}
            }}},
            "responses": {"204": {"description": "ok"}}
        }}
    }});
    let mut p = prepare_doc(CORPUS_PROVIDER, "t.yaml".into(), doc, None).unwrap();
    let outputs = crate::emit::generate(&mut p).unwrap();
    let kit = outputs
        .iter()
        .find(|o| o.path.ends_with("testing.rs"))
        .unwrap()
        .contents
        .split_whitespace()
        .collect::<String>()
        // prettyplease's trailing commas where it breaks a line.
        .replace(",>", ">")
        .replace(",)", ")");
    let check = |builder: &str| -> Option<String> {
        let at = kit
            .find(&format!("implMockOperationfor{builder}{{"))
            .unwrap();
        let rest = &kit[at..];
        let rest = &rest[..rest.find("fnbuilder").unwrap()];
        let start = rest.find("constREQUEST_BODY")?;
        Some(rest[start..start + rest[start..].find(';').unwrap()].to_owned())
    };
    let body = "constREQUEST_BODY:Option<tasks_sdk_core::testing::RequestBody>=Some(\
                tasks_sdk_core::testing::RequestBody::";
    // JSON: decoded into the type `.body(..)` takes; an optional body may be empty.
    assert_eq!(
        check("CreateJson").unwrap(),
        format!("{body}json::<types::CreateJsonBody>(\"CreateJsonBody\"))")
    );
    assert_eq!(
        check("PatchJson").unwrap(),
        format!("{body}json::<types::PatchJsonBody>(\"PatchJsonBody\").optional())")
    );
    // A form or multipart body: its required non-null scalars, on the wire.
    assert_eq!(
        check("CreateForm").unwrap(),
        format!("{body}form(\"CreateFormBody\",&[\"name\",\"file\"]))")
    );
    assert_eq!(
        check("Upload").unwrap(),
        format!("{body}multipart(\"UploadBody\",&[\"name\",\"file\"]))")
    );
    // Raw bytes: not checked.
    assert_eq!(check("PutRaw"), None);
}

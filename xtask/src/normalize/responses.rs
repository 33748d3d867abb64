//! One success type and one error type per operation, as progenitor allows.

use serde_json::{Map, Value, json};

use crate::document;
use crate::document::naming;

use super::components::{component_names, component_schemas, free_name};
use super::walk::for_each_operation;

/// [`responses_for_every_operation`]: an operation without `responses` (OpenAPI 3.0
/// requires them; 3.1 documents and hand-written ones omit them) gets an untyped
/// `default` response, so it is generated rather than the document refused, and the
/// extension [`document::NO_RESPONSES`], which regen prints as a warning.
pub fn responses_for_every_operation(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for item in paths.values_mut() {
        for method in document::METHODS {
            let Some(Value::Object(op)) = item.get_mut(*method) else {
                continue;
            };
            if op
                .get("responses")
                .and_then(Value::as_object)
                .is_some_and(|r| !r.is_empty())
            {
                continue;
            }
            op.insert(
                "responses".into(),
                json!({"default": {"description": "The document lists no response."}}),
            );
            op.insert(document::NO_RESPONSES.into(), json!(true));
        }
    }
}

/// [`unify_success_responses`]: progenitor allows one success type per operation.
/// `default` next to a success status describes errors: it becomes `4XX` and `5XX`
/// (where the document has no such range), so that [`unify_error_responses`] types it.
/// Success responses (2xx) with different JSON schemas (`101` counts as a success, as
/// in progenitor; one without a body next to a 2xx is dropped) become one component
/// `<OperationId>SuccessBody` that is `oneOf` them; a mix of JSON and non-JSON or empty
/// success bodies (200 with a body and 204 without, say) is returned as bytes
/// (`ByteStream`) for every success status.
pub fn unify_success_responses(doc: &mut Value) -> Result<(), String> {
    let mut new_schemas: Vec<(String, Value)> = Vec::new();
    let existing = component_names(doc);
    for_each_operation(doc, |op, _| {
        let op_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return Ok(());
        };
        let is_success = is_success_status;
        // A `101` without a JSON body is a protocol switch (progenitor: `Upgraded`) that
        // differs from any 2xx type: next to a 2xx, the client takes the 2xx.
        if responses.keys().any(|c| c.starts_with('2')) {
            responses.retain(|code, response| code != "101" || json_schema(response).is_some());
        }
        if responses.keys().any(|c| is_success(c))
            && let Some(default) = responses.shift_remove("default")
        {
            for range in ["4XX", "5XX"] {
                if !responses.keys().any(|c| c.eq_ignore_ascii_case(range)) {
                    responses.insert(range.into(), default.clone());
                }
            }
        }
        let kinds: Vec<Option<Value>> = responses
            .iter()
            .filter(|(c, _)| is_success(c) || c.as_str() == "default")
            .map(|(_, r)| kind_of(r))
            .collect();
        if kinds.len() < 2 {
            return Ok(());
        }
        let all_json = kinds.iter().all(|k| matches!(k, Some(Value::Object(_))));
        if all_json {
            merge_bodies(
                responses,
                |code| is_success(code) || code == "default",
                &op_id,
                "success",
                &existing,
                &mut new_schemas,
            );
            return Ok(());
        }
        let all_same = kinds.windows(2).all(|w| w[0] == w[1]);
        if !all_same {
            for (code, response) in responses.iter_mut() {
                if (is_success(code) || code == "default") && response.is_object() {
                    response["content"] = json!({
                        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                    });
                }
            }
            // Bytes, whatever `normalize_media_types` read of the bodies.
            op.shift_remove(crate::normalize::media_types::RESPONSE);
            op.shift_remove(crate::normalize::media_types::EVENTS);
        }
        Ok(())
    })?;
    if !new_schemas.is_empty() {
        component_schemas(doc)?.extend(new_schemas);
    }
    Ok(())
}

/// A response as progenitor sorts it: `Some(schema)` for a JSON body, `Some("raw")`
/// for another body, `None` for no body.
fn kind_of(response: &Value) -> Option<Value> {
    let content = response.get("content").and_then(Value::as_object)?;
    if content.is_empty() {
        return None;
    }
    match content.get("application/json") {
        Some(media) => Some(media.get("schema").cloned().unwrap_or_else(|| json!({}))),
        None => Some(json!("raw")),
    }
}

fn is_error_status(code: &str) -> bool {
    code.starts_with('4') || code.starts_with('5')
}

/// [`common_error_body`]: the provider's common error schema
/// (`info.x-provider.error_schema`, the name of a component schema, or the
/// `x-rust-name` an overlay gives one) becomes the JSON body of every error status
/// (`4xx`, `5xx`, `4XX`, `5XX`) listed without any body, so that
/// [`unify_error_responses`] types it with the operation's other error bodies. A status
/// listed with a body of another media type keeps it.
pub fn common_error_body(doc: &mut Value) -> Result<(), String> {
    const AT: &str = "$.info.x-provider.error_schema";
    let Some(declared) = doc.pointer("/info/x-provider/error_schema") else {
        return Ok(());
    };
    let Some(declared) = declared.as_str() else {
        return Err(format!(
            "the common error schema must be a schema's name at {AT}"
        ));
    };
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    let name = schemas
        .and_then(|schemas| {
            schemas
                .contains_key(declared)
                .then(|| declared.to_owned())
                .or_else(|| {
                    schemas
                        .iter()
                        .find(|(_, s)| {
                            s.get("x-rust-name").and_then(Value::as_str) == Some(declared)
                        })
                        .map(|(name, _)| name.clone())
                })
        })
        .ok_or_else(|| format!("`{declared}` is not a schema of components.schemas at {AT}"))?;
    let body =
        json!({"application/json": {"schema": {"$ref": format!("#/components/schemas/{name}")}}});
    for_each_operation(doc, |op, _| {
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return Ok(());
        };
        for (code, response) in responses.iter_mut() {
            let Some(response) = response.as_object_mut() else {
                continue;
            };
            let bodiless = response
                .get("content")
                .and_then(Value::as_object)
                .is_none_or(Map::is_empty);
            if is_error_status(code) && bodiless {
                response.insert("content".into(), body.clone());
            }
        }
        Ok(())
    })
}

/// The statuses progenitor 0.15 types as success: 2xx, `2XX` and `101` (Switching
/// Protocols).
fn is_success_status(code: &str) -> bool {
    code.starts_with('2') || code == "101"
}

/// Rule [`unify_error_responses`] of the [module docs](super), after
/// [`common_error_body`].
pub fn unify_error_responses(doc: &mut Value) -> Result<(), String> {
    let mut new_schemas: Vec<(String, Value)> = Vec::new();
    let existing = component_names(doc);
    for_each_operation(doc, |op, _| {
        let op_id = op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let Some(Value::Object(responses)) = op.get_mut("responses") else {
            return Ok(());
        };
        // progenitor types `default` as an error and, without a success status, as the
        // success too: next to error statuses it joins their merge (a 2xx then decodes
        // as the merged type, of which the `default` body is an arm).
        let default_is_error = !responses.keys().any(|c| is_success_status(c))
            && responses.keys().any(|c| is_error_status(c));
        let is_error =
            |code: &str| is_error_status(code) || (default_is_error && code == "default");
        responses.retain(|code, response| !is_error(code) || json_schema(response).is_some());
        merge_bodies(
            responses,
            is_error,
            &op_id,
            "error",
            &existing,
            &mut new_schemas,
        );
        Ok(())
    })?;
    if !new_schemas.is_empty() {
        let schemas = component_schemas(doc)?;
        schemas.extend(new_schemas);
    }
    Ok(())
}

/// [`unify_success_responses`] and [`unify_error_responses`]'s merge: when the JSON
/// bodies of the responses `select`ed differ, they become one component
/// `<OperationId>SuccessBody`/`ErrorBody` (the next free name) that is `oneOf` them,
/// and every selected response refers to it. Responses without a JSON body are not
/// looked at.
fn merge_bodies(
    responses: &mut Map<String, Value>,
    select: impl Fn(&str) -> bool,
    op_id: &str,
    kind: &str,
    existing: &[String],
    new_schemas: &mut Vec<(String, Value)>,
) {
    let mut distinct: Vec<Value> = Vec::new();
    for (_, response) in responses.iter().filter(|(code, _)| select(code)) {
        if let Some(schema) = json_schema(response)
            && !distinct.contains(schema)
        {
            distinct.push(schema.clone());
        }
    }
    if distinct.len() < 2 {
        return;
    }
    let suffix = if kind == "success" {
        "SuccessBody"
    } else {
        "ErrorBody"
    };
    let name = free_name(
        &format!("{}{suffix}", naming::type_name(op_id)),
        existing,
        new_schemas,
    );
    let reference = json!({"$ref": format!("#/components/schemas/{name}")});
    for (_, response) in responses.iter_mut().filter(|(code, _)| select(code)) {
        if let Some(schema) = json_schema_mut(response) {
            *schema = reference.clone();
        }
    }
    let description =
        format!("Any of the {kind} bodies `{op_id}` documents (one per {kind} status).");
    new_schemas.push((name, json!({"description": description, "oneOf": distinct})));
}

/// The schema of a response's JSON body (`application/json`, else any `*json` type).
fn json_schema(response: &Value) -> Option<&Value> {
    let content = response.get("content")?.as_object()?;
    content
        .get("application/json")
        .or_else(|| {
            content
                .iter()
                .find(|(k, _)| k.contains("json"))
                .map(|(_, v)| v)
        })?
        .get("schema")
}

fn json_schema_mut(response: &mut Value) -> Option<&mut Value> {
    let content = response.get_mut("content")?.as_object_mut()?;
    let key = if content.contains_key("application/json") {
        "application/json".to_owned()
    } else {
        content.keys().find(|k| k.contains("json"))?.clone()
    };
    content.get_mut(&key)?.get_mut("schema")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op_with_errors(responses: Value) -> Value {
        json!({"paths": {"/t": {"get": {"operationId": "listTasks", "responses": responses}}},
               "components": {"schemas": {"A": {}, "B": {}}}})
    }

    #[test]
    fn success_bodies_are_unified_and_default_describes_errors() {
        let body = |r: &str| json!({"description": "x", "content": {"application/json": {"schema": {"$ref": r}}}});
        // 200 and 201 with different bodies: one untagged enum; `default` beside them
        // is the error body of 4XX and 5XX.
        let mut doc = op_with_errors(json!({
            "200": body("#/components/schemas/A"),
            "201": body("#/components/schemas/B"),
            "default": body("#/components/schemas/B"),
            "404": {"description": "no body"}
        }));
        unify_success_responses(&mut doc).unwrap();
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        assert!(responses.get("default").is_none());
        assert_eq!(responses["4XX"], body("#/components/schemas/B"));
        assert_eq!(responses["5XX"], body("#/components/schemas/B"));
        for code in ["200", "201"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ListTasksSuccessBody"
            );
        }
        assert_eq!(
            doc["components"]["schemas"]["ListTasksSuccessBody"]["oneOf"],
            json!([{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}])
        );
        // 200 with a body and 204 without: bytes for both.
        let mut doc = op_with_errors(json!({
            "200": body("#/components/schemas/A"),
            "204": {"description": "nothing"}
        }));
        unify_success_responses(&mut doc).unwrap();
        let raw =
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}});
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        assert_eq!(responses["200"]["content"], raw);
        assert_eq!(responses["204"]["content"], raw);
        // One success body: untouched.
        let mut doc = op_with_errors(
            json!({"200": body("#/components/schemas/A"), "201": body("#/components/schemas/A")}),
        );
        let before = doc.clone();
        unify_success_responses(&mut doc).unwrap();
        assert_eq!(doc, before);
    }

    #[test]
    fn error_bodies_are_unified() {
        let body = |r: &str| json!({"description": "x", "content": {"application/json": {"schema": {"$ref": r}}}});
        let mut doc = op_with_errors(json!({
            "200": body("#/components/schemas/A"),
            "400": body("#/components/schemas/B"),
            "401": {"description": "no body"},
            "404": body("#/components/schemas/A"),
            "500": body("#/components/schemas/A"),
        }));
        unify_error_responses(&mut doc).unwrap();
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        assert!(responses.get("401").is_none());
        assert_eq!(
            responses["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/A"
        );
        for code in ["400", "404", "500"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ListTasksErrorBody"
            );
        }
        assert_eq!(
            doc["components"]["schemas"]["ListTasksErrorBody"]["oneOf"],
            json!([{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/A"}])
        );
    }

    #[test]
    fn the_common_error_schema_fills_the_bodiless_error_statuses() {
        let body = |r: &str| json!({"description": "x", "content": {"application/json": {"schema": {"$ref": r}}}});
        let mut doc = op_with_errors(json!({
            "200": body("#/components/schemas/A"),
            "400": body("#/components/schemas/B"),
            "401": {"description": "no body"},
            "403": {"description": "empty content", "content": {}},
            "409": {"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}},
            "204": {"description": "no body, a success"},
        }));
        doc["components"]["schemas"]["A"]["x-rust-name"] = json!("ErrorResponse");
        doc["info"] = json!({"x-provider": {"error_schema": "ErrorResponse"}});
        common_error_body(&mut doc).unwrap();
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        for code in ["401", "403"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/A",
                "{code}"
            );
        }
        assert_eq!(responses["400"], body("#/components/schemas/B"));
        assert!(
            responses["409"]["content"]
                .get("application/json")
                .is_none()
        );
        assert!(responses["204"].get("content").is_none());
        // Then unify_error_responses keeps 401 and 403 in the typed set: A | B.
        unify_error_responses(&mut doc).unwrap();
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        assert_eq!(
            responses["401"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ListTasksErrorBody"
        );

        let mut wrong = op_with_errors(json!({"401": {"description": "no body"}}));
        wrong["info"] = json!({"x-provider": {"error_schema": "Missing"}});
        assert_eq!(
            common_error_body(&mut wrong).unwrap_err(),
            "`Missing` is not a schema of components.schemas at $.info.x-provider.error_schema"
        );
        // Without a declaration, nothing changes.
        let mut plain = op_with_errors(json!({"401": {"description": "no body"}}));
        let before = plain.clone();
        common_error_body(&mut plain).unwrap();
        assert_eq!(plain, before);
    }

    #[test]
    fn without_a_success_status_default_joins_the_errors_and_101_is_a_success() {
        let body = |r: &str| json!({"description": "x", "content": {"application/json": {"schema": {"$ref": r}}}});
        let mut doc = op_with_errors(json!({
            "301": {"description": "redirect"},
            "400": body("#/components/schemas/B"),
            "default": body("#/components/schemas/U")
        }));
        unify_success_responses(&mut doc).unwrap();
        unify_error_responses(&mut doc).unwrap();
        let responses = &doc["paths"]["/t"]["get"]["responses"];
        for code in ["400", "default"] {
            assert_eq!(
                responses[code]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ListTasksErrorBody"
            );
        }
        assert_eq!(
            doc["components"]["schemas"]["ListTasksErrorBody"]["oneOf"],
            json!([{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/U"}])
        );
        // `default` alone is left to be the success.
        let mut doc = op_with_errors(json!({"default": body("#/components/schemas/U")}));
        let before = doc.clone();
        unify_success_responses(&mut doc).unwrap();
        unify_error_responses(&mut doc).unwrap();
        assert_eq!(doc, before);
        // 101 and 200 with different bodies: one success type; a 101 without a body
        // (a protocol switch) next to a 2xx is left out.
        let mut doc = op_with_errors(json!({
            "101": body("#/components/schemas/A"),
            "200": body("#/components/schemas/B")
        }));
        unify_success_responses(&mut doc).unwrap();
        assert_eq!(
            doc["paths"]["/t"]["get"]["responses"]["101"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/ListTasksSuccessBody"
        );
        let mut doc = op_with_errors(json!({
            "101": {"description": "upgrade"},
            "200": {"description": "no body"}
        }));
        unify_success_responses(&mut doc).unwrap();
        let codes: Vec<&String> = doc["paths"]["/t"]["get"]["responses"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(codes, ["200"]);
    }

    #[test]
    fn one_error_body_is_left_alone() {
        let body = json!({"description": "x", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}}});
        let mut doc = op_with_errors(json!({"400": body.clone(), "500": body.clone()}));
        let before = doc.clone();
        unify_error_responses(&mut doc).unwrap();
        assert_eq!(doc, before);
    }
}

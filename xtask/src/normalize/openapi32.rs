//! What OpenAPI 3.2 (September 2025) adds beyond 3.1's schema dialect (which
//! [`super::downgrade_schemas`] reads for 3.1 and 3.2 alike).

use serde_json::{Value, json};

/// [`openapi32_additions`]:
///
/// - a path item's `query` operation (the HTTP QUERY method) and its
///   `additionalOperations` (other methods by name) are left out, listed in
///   `x-tasks-sdk-skipped` (the crate's "Not generated");
/// - a response without a `description` (optional from 3.2) gets an empty one;
/// - `in: querystring` parameters are left out by [`super::normalize_parameters`];
///   `itemSchema` (the schema of each item of a streamed media type) is kept for the
///   stream's item type and otherwise read as no schema (the body travels as bytes).
pub fn openapi32_additions(doc: &mut Value) {
    let mut skipped = Vec::new();
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            if let Some(op) = item.shift_remove("query") {
                skipped.push(json!({
                    "method": "QUERY",
                    "path": path,
                    "operationId": op.get("operationId").cloned().unwrap_or(Value::Null),
                    "why": "an OpenAPI 3.2 QUERY operation",
                }));
            }
            if let Some(Value::Object(more)) = item.shift_remove("additionalOperations") {
                for (method, op) in more {
                    skipped.push(json!({
                        "method": method.to_uppercase(),
                        "path": path,
                        "operationId": op.get("operationId").cloned().unwrap_or(Value::Null),
                        "why": "an OpenAPI 3.2 additional operation",
                    }));
                }
            }
        }
    }
    described_responses(doc);
    if skipped.is_empty() {
        return;
    }
    match doc.get_mut("x-tasks-sdk-skipped") {
        Some(Value::Array(existing)) => existing.extend(skipped),
        _ => doc["x-tasks-sdk-skipped"] = Value::Array(skipped),
    }
}

/// Every response object (of operations and `components.responses`) has a
/// `description`.
fn described_responses(doc: &mut Value) {
    let describe = |responses: &mut Value| {
        if let Value::Object(responses) = responses {
            for response in responses.values_mut() {
                if let Value::Object(r) = response
                    && !r.contains_key("$ref")
                    && !r.contains_key("description")
                {
                    r.insert("description".into(), json!(""));
                }
            }
        }
    };
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for item in paths.values_mut() {
            for method in crate::document::METHODS {
                if let Some(responses) =
                    item.get_mut(*method).and_then(|op| op.get_mut("responses"))
                {
                    describe(responses);
                }
            }
        }
    }
    if let Some(responses) = doc.pointer_mut("/components/responses") {
        describe(responses);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_and_additional_operations_are_listed_and_responses_described() {
        let mut doc = json!({"openapi": "3.2.0", "paths": {"/search": {
            "get": {"operationId": "list", "responses": {"200": {"content": {}}}},
            "query": {"operationId": "search", "responses": {"200": {"description": "ok"}}},
            "additionalOperations": {"purge": {"operationId": "purge", "responses": {}}}
        }}, "components": {"responses": {"Gone": {}}}});
        openapi32_additions(&mut doc);
        let item = &doc["paths"]["/search"];
        assert!(item.get("query").is_none() && item.get("additionalOperations").is_none());
        assert_eq!(item["get"]["responses"]["200"]["description"], "");
        assert_eq!(doc["components"]["responses"]["Gone"]["description"], "");
        assert_eq!(
            doc["x-tasks-sdk-skipped"],
            json!([
                {"method": "QUERY", "path": "/search", "operationId": "search", "why": "an OpenAPI 3.2 QUERY operation"},
                {"method": "PURGE", "path": "/search", "operationId": "purge", "why": "an OpenAPI 3.2 additional operation"}
            ])
        );
    }
}

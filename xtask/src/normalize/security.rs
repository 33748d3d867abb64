//! Parameters that are credentials.

use serde_json::Value;

use crate::document;

use super::walk::for_each_operation;

/// [`credential_parameters`]: a parameter that repeats an `apiKey` security scheme
/// (same name, same place: `api_key` in the query, `X-Api-Key` in a header, header
/// names compared without case) is left out of the operation when it is optional, or
/// when it is required and every security requirement of the operation (its own
/// `security`, else the document's) names that scheme: the runtime sends the scheme's
/// credential, and a setter for it would send the key twice (Prism refuses a query
/// parameter given twice as "must be string") or a second, different key. A required
/// one stays where a requirement the caller may meet does not send the scheme.
pub fn credential_parameters(doc: &mut Value) -> Result<(), String> {
    // (scheme name, place, comparable parameter name)
    let keys: Vec<(String, String, String)> = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemes| schemes.iter())
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("apiKey"))
        .filter_map(|(scheme, s)| {
            let place = s.get("in")?.as_str()?.to_owned();
            let name = s.get("name")?.as_str()?;
            Some((scheme.clone(), place.clone(), comparable(&place, name)))
        })
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    let document_security = doc.get("security").cloned();
    for_each_operation(doc, |op, _| {
        // The schemes every requirement names (none when there is no requirement, or
        // an empty one: anonymous calls).
        let always_sent: Vec<&str> = match op.get("security").or(document_security.as_ref()) {
            Some(Value::Array(requirements)) if !requirements.is_empty() => keys
                .iter()
                .map(|(scheme, _, _)| scheme.as_str())
                .filter(|scheme| requirements.iter().all(|r| r.get(*scheme).is_some()))
                .collect(),
            _ => Vec::new(),
        };
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            params.retain(|p| {
                // Run after `normalize_parameters`: a cookie is a header to progenitor by
                // then, its place kept in `x-tasks-sdk-in`.
                let place = p
                    .get(document::PARAM_IN)
                    .or_else(|| p.get("in"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let name = comparable(
                    place,
                    p.get("name").and_then(Value::as_str).unwrap_or_default(),
                );
                let required = p.get("required").and_then(Value::as_bool) == Some(true);
                !keys.iter().any(|(scheme, p, n)| {
                    p == place
                        && *n == name
                        && (!required || always_sent.contains(&scheme.as_str()))
                })
            });
        }
        Ok(())
    })
}

/// A parameter name as its place compares it: header names without case.
fn comparable(place: &str, name: &str) -> String {
    if place == "header" {
        name.to_ascii_lowercase()
    } else {
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn optional_parameters_that_repeat_an_api_key_are_left_out() {
        let mut doc = json!({
            "components": {"securitySchemes": {
                "q": {"type": "apiKey", "in": "query", "name": "api-key"},
                "h": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
                "b": {"type": "http", "scheme": "bearer"}
            }},
            "paths": {"/t": {"get": {"parameters": [
                {"name": "api-key", "in": "query", "schema": {"type": "string"}},
                {"name": "x-api-key", "in": "header", "schema": {"type": "string"}},
                {"name": "api-key", "in": "header", "schema": {"type": "string"}},
                {"name": "X-Api-Key", "in": "header", "required": true, "schema": {"type": "string"}},
                {"name": "limit", "in": "query", "schema": {"type": "integer"}}
            ]}}}
        });
        credential_parameters(&mut doc).unwrap();
        let kept: Vec<(&str, &str)> = doc["paths"]["/t"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["in"].as_str().unwrap(), p["name"].as_str().unwrap()))
            .collect();
        assert_eq!(
            kept,
            [
                ("header", "api-key"),
                ("header", "X-Api-Key"),
                ("query", "limit")
            ]
        );
    }

    #[test]
    fn required_parameters_that_repeat_a_key_every_requirement_sends_are_left_out() {
        // soundcloud.com's `/connect`: `client_id` is a required query parameter and
        // the `ClientId` scheme the operation requires (with `AuthHeader`).
        let op = |security: Value| {
            json!({"security": security, "parameters": [
                {"name": "client_id", "in": "query", "required": true, "schema": {"type": "string"}},
                {"name": "scope", "in": "query", "required": true, "schema": {"type": "string"}}
            ]})
        };
        let mut doc = json!({
            "components": {"securitySchemes": {
                "ClientId": {"type": "apiKey", "in": "query", "name": "client_id"},
                "AuthHeader": {"type": "apiKey", "in": "header", "name": "Authorization"},
                "Session": {"type": "apiKey", "in": "cookie", "name": "sid"}
            }},
            "security": [{"ClientId": []}],
            "paths": {
                "/connect": {"get": op(json!([{"AuthHeader": [], "ClientId": []}]))},
                "/either": {"get": op(json!([{"ClientId": []}, {"AuthHeader": []}]))},
                "/anonymous": {"get": op(json!([]))},
                "/inherited": {"get": {"parameters": [
                    {"name": "client_id", "in": "query", "required": true, "schema": {"type": "string"}}
                ]}},
                // A cookie as `normalize_parameters` leaves it: a header to progenitor.
                "/cookie": {"get": {"security": [{"Session": []}], "parameters": [
                    {"name": "sid", "in": "header", "x-tasks-sdk-in": "cookie", "required": true, "schema": {"type": "string"}},
                    {"name": "sid", "in": "query", "required": true, "schema": {"type": "string"}}
                ]}}
            }
        });
        credential_parameters(&mut doc).unwrap();
        let names = |path: &str| -> Vec<String> {
            doc["paths"][path]["get"]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect()
        };
        assert_eq!(names("/connect"), ["scope"]);
        assert_eq!(names("/inherited"), Vec::<String>::new());
        assert_eq!(names("/cookie"), ["sid"]);
        assert_eq!(
            doc["paths"]["/cookie"]["get"]["parameters"][0]["in"],
            "query"
        );
        // A requirement without the scheme, or none at all: the caller needs the setter.
        assert_eq!(names("/either"), ["client_id", "scope"]);
        assert_eq!(names("/anonymous"), ["client_id", "scope"]);
    }
}

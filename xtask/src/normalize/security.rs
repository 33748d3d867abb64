//! Parameters that are credentials.

use serde_json::Value;

use super::walk::for_each_operation;

/// [`credential_parameters`]: an optional parameter that repeats an `apiKey` security
/// scheme (same name, same place: `api_key` in the query, `X-Api-Key` in a header,
/// header names compared without case) is left out of the operation: the runtime sends
/// the scheme's credential, and a setter for it would send the key twice or a second,
/// different key.
pub fn credential_parameters(doc: &mut Value) -> Result<(), String> {
    let keys: Vec<(String, String)> = doc
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemes| schemes.values())
        .filter(|s| s.get("type").and_then(Value::as_str) == Some("apiKey"))
        .filter_map(|s| {
            let place = s.get("in")?.as_str()?.to_owned();
            let name = s.get("name")?.as_str()?;
            Some((place.clone(), comparable(&place, name)))
        })
        .collect();
    if keys.is_empty() {
        return Ok(());
    }
    for_each_operation(doc, |op, _| {
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            params.retain(|p| {
                let place = p.get("in").and_then(Value::as_str).unwrap_or_default();
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                let required = p.get("required").and_then(Value::as_bool) == Some(true);
                required
                    || !keys
                        .iter()
                        .any(|(p, n)| p == place && *n == comparable(place, name))
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
}

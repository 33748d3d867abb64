//! What an operation's media types ask of the request beyond what progenitor sends: the
//! `Accept` its responses declare, the `Content-Type` of its JSON body, and how its form
//! body encodes each property. Read from what `normalize::normalize_media_types` kept.

use serde_json::Value;

use crate::normalize::media_types::{ACCEPT, CONTENT_TYPE, FORM_ENCODING};

/// An operation's media facts; empty when `application/json` everywhere.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MediaFacts {
    /// The request's `Accept`, when a response declares a JSON media type other than
    /// `application/json` (`application/scim+json`).
    pub accept: Option<String>,
    /// The JSON body's `Content-Type`, when not `application/json`.
    pub content_type: Option<String>,
    /// The form body's properties its `encoding` object names, in the document's order.
    pub form_encoding: Vec<FormField>,
}

/// One property of a form body's `encoding` object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormField {
    /// The property's name.
    pub name: String,
    /// `style` as the runtime names it: `Form`, `SpaceDelimited`, `PipeDelimited`,
    /// `DeepObject`.
    pub style: &'static str,
    pub explode: bool,
    pub allow_reserved: bool,
    /// `contentType` is JSON: the property is sent as its JSON text.
    pub json: bool,
}

/// The media facts of `op` (normalized); `at` names it in errors.
pub fn media_facts(op: &Value, at: &str) -> Result<MediaFacts, String> {
    let text = |key: &str| op.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut form_encoding = Vec::new();
    if let Some(Value::Object(encoding)) = op.get(FORM_ENCODING) {
        for (name, e) in encoding {
            let style = match e.get("style").and_then(Value::as_str).unwrap_or("form") {
                "form" => "Form",
                "spaceDelimited" => "SpaceDelimited",
                "pipeDelimited" => "PipeDelimited",
                "deepObject" => "DeepObject",
                other => {
                    return Err(format!(
                        "encoding of form property `{name}`: style `{other}` is not one of form, spaceDelimited, pipeDelimited, deepObject at {at}.requestBody"
                    ));
                }
            };
            let json = e
                .get("contentType")
                .and_then(Value::as_str)
                .is_some_and(|c| c.split(';').next().unwrap_or(c).trim().ends_with("json"));
            form_encoding.push(FormField {
                name: name.clone(),
                style,
                explode: e
                    .get("explode")
                    .and_then(Value::as_bool)
                    .unwrap_or(style == "Form"),
                allow_reserved: e.get("allowReserved").and_then(Value::as_bool) == Some(true),
                json,
            });
        }
    }
    Ok(MediaFacts {
        accept: text(ACCEPT),
        content_type: text(CONTENT_TYPE),
        form_encoding,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn media_facts_are_read_from_what_normalization_kept() {
        let op = json!({
            ACCEPT: "application/scim+json",
            CONTENT_TYPE: "application/merge-patch+json",
            FORM_ENCODING: {
                "tags": {"style": "pipeDelimited"},
                "meta": {"contentType": "application/json"},
                "ids": {"explode": false, "allowReserved": true}
            }
        });
        let facts = media_facts(&op, "$.paths['/u'].post").unwrap();
        assert_eq!(facts.accept.as_deref(), Some("application/scim+json"));
        assert_eq!(
            facts.content_type.as_deref(),
            Some("application/merge-patch+json")
        );
        assert_eq!(
            facts.form_encoding,
            [
                FormField {
                    name: "tags".into(),
                    style: "PipeDelimited",
                    explode: false,
                    allow_reserved: false,
                    json: false
                },
                FormField {
                    name: "meta".into(),
                    style: "Form",
                    explode: true,
                    allow_reserved: false,
                    json: true
                },
                FormField {
                    name: "ids".into(),
                    style: "Form",
                    explode: false,
                    allow_reserved: true,
                    json: false
                },
            ]
        );
        assert_eq!(media_facts(&json!({}), "").unwrap(), MediaFacts::default());
        let bad = json!({FORM_ENCODING: {"x": {"style": "matrix"}}});
        assert!(
            media_facts(&bad, "$.p")
                .unwrap_err()
                .contains("style `matrix`")
        );
    }
}

//! What an operation's media types ask of the request beyond what progenitor sends: the
//! `Accept` its responses declare, the `Content-Type` of its JSON body, how its form
//! body encodes each property, whether its body is `multipart/form-data`, and what its
//! success response is when not JSON (events, a download, text). Read from what
//! `normalize::normalize_media_types` kept.

use serde_json::Value;

use crate::document::naming;
use crate::normalize::media_types::{
    ACCEPT, CONTENT_TYPE, EVENTS, FORM_DATA, FORM_ENCODING, PART_TYPES, RAW_MULTIPART, RESPONSE,
};

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
    /// The typed body is sent as `multipart/form-data` (its binary properties are
    /// `tasks_sdk_core::FilePart`s).
    pub multipart: bool,
    /// The content type the multipart body's `encoding` gives some properties,
    /// `(property, media type)` in the document's order: only single media types (not
    /// `image/*`, not a list: a file's own type decides then).
    pub part_types: Vec<(String, String)>,
    /// The body is `multipart/form-data` without a schema: raw bytes the caller encodes.
    pub raw_multipart: bool,
    /// What `call()` returns.
    pub success: Success,
    /// The operation's event stream: what `call()` returns ([`Success::Events`]), or
    /// `call_events()` beside the JSON `call()`.
    pub events: Option<EventFacts>,
}

/// What an operation's `call()` returns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Success {
    /// The body progenitor decodes (JSON, no body, or bytes for a mix).
    #[default]
    Decoded,
    /// `tasks_sdk_core::EventStream<T>` ([`MediaFacts::events`]).
    Events,
    /// `tasks_sdk_core::Download`.
    Download,
    /// A `String` (`text/plain` with a string schema).
    Text,
}

/// A `text/event-stream` success response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventFacts {
    /// The Rust type of each event's data, from `generated.rs` (`types::Chunk`,
    /// `enums::Level`); `None`: a `String` as it came.
    pub item: Option<String>,
    /// The data that ends the stream (`[DONE]`), from `x-sse-terminator`.
    pub terminator: Option<String>,
    /// The same response is JSON too: `call()` decodes it, `call_events()` streams.
    pub beside_json: bool,
}

impl EventFacts {
    /// The data type as the generated code names it.
    pub fn item_type(&self) -> &str {
        self.item.as_deref().unwrap_or("::std::string::String")
    }
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

/// The media facts of `op` (normalized); `at` names it in errors; `enums`: the
/// components that are forward-compatible enums (in `generated.rs`'s `enums`).
pub fn media_facts(op: &Value, at: &str, enums: &[&str]) -> Result<MediaFacts, String> {
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
    let success = match op.get(RESPONSE).and_then(Value::as_str) {
        Some("events") => Success::Events,
        Some("download") => Success::Download,
        Some("text") => Success::Text,
        _ => Success::Decoded,
    };
    let events = op.get(EVENTS).map(|e| EventFacts {
        item: e.get("data").and_then(reference).map(|name| {
            if enums.contains(&name) {
                format!("enums::{}", naming::type_name(name))
            } else {
                format!("types::{}", naming::type_name(name))
            }
        }),
        terminator: e
            .get("terminator")
            .and_then(Value::as_str)
            .map(str::to_owned),
        beside_json: e.get("beside_json").and_then(Value::as_bool) == Some(true),
    });
    if success == Success::Events && events.is_none() {
        return Err(format!(
            "an event stream without its facts at {at}.responses"
        ));
    }
    Ok(MediaFacts {
        accept: text(ACCEPT),
        content_type: text(CONTENT_TYPE),
        form_encoding,
        multipart: op.get(FORM_DATA).and_then(Value::as_bool) == Some(true),
        part_types: op
            .get(PART_TYPES)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(name, t)| {
                Some((
                    name.clone(),
                    t.as_str().filter(|t| is_media_type(t))?.to_owned(),
                ))
            })
            .collect(),
        raw_multipart: op.get(RAW_MULTIPART).and_then(Value::as_bool) == Some(true),
        success,
        events,
    })
}

/// Whether `text` is one media type with no wildcard (`type/subtype`, parameters
/// allowed): what a part's `Content-Type` can be.
fn is_media_type(text: &str) -> bool {
    let essence = text.split(';').next().unwrap_or("").trim();
    let token = |t: &str| {
        !t.is_empty()
            && t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
    };
    let parameters_ok = text.split(';').skip(1).all(|p| {
        p.trim()
            .split_once('=')
            .is_some_and(|(name, value)| token(name) && !value.is_empty())
    });
    !text.contains(',')
        && text.parse::<reqwest::header::HeaderValue>().is_ok()
        && essence
            .split_once('/')
            .is_some_and(|(t, s)| token(t) && token(s))
        && parameters_ok
}

/// The component a schema names: its `$ref`, or the one arm of an `allOf` a later
/// rule may have wrapped it in.
fn reference(schema: &Value) -> Option<&str> {
    let target = schema
        .get("$ref")
        .or_else(|| schema.pointer("/allOf/0/$ref"))?;
    target.as_str()?.strip_prefix("#/components/schemas/")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_multipart_encoding_gives_parts_single_media_types_only() {
        let op = json!({
            FORM_DATA: true,
            PART_TYPES: {
                "title": "text/markdown; charset=utf-8",
                "meta": "application/vnd.acme+json",
                "image": "image/png, image/jpeg",
                "any": "image/*",
                "broken": "text/plain; charset",
                "word": "json"
            }
        });
        let facts = media_facts(&op, "$.p", &[]).unwrap();
        assert!(facts.multipart);
        assert_eq!(
            facts.part_types,
            [
                (
                    "title".to_owned(),
                    "text/markdown; charset=utf-8".to_owned()
                ),
                ("meta".to_owned(), "application/vnd.acme+json".to_owned()),
            ]
        );
    }

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
        let facts = media_facts(&op, "$.paths['/u'].post", &[]).unwrap();
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
        assert_eq!(
            media_facts(&json!({}), "", &[]).unwrap(),
            MediaFacts::default()
        );
        let bad = json!({FORM_ENCODING: {"x": {"style": "matrix"}}});
        assert!(
            media_facts(&bad, "$.p", &[])
                .unwrap_err()
                .contains("style `matrix`")
        );
    }

    #[test]
    fn streams_downloads_and_uploads_are_read_from_their_markers() {
        let events = json!({
            RESPONSE: "events",
            EVENTS: {"data": {"$ref": "#/components/schemas/chunk-data"}, "terminator": "[DONE]", "beside_json": false}
        });
        let facts = media_facts(&events, "$.p", &[]).unwrap();
        assert_eq!(facts.success, Success::Events);
        assert_eq!(
            facts.events,
            Some(EventFacts {
                item: Some("types::ChunkData".into()),
                terminator: Some("[DONE]".into()),
                beside_json: false
            })
        );
        // An enum component is one of `enums`; a wrapped `$ref` is read through.
        let level = json!({EVENTS: {"data": {"allOf": [{"$ref": "#/components/schemas/Level"}]}, "beside_json": true}});
        let facts = media_facts(&level, "$.p", &["Level"]).unwrap();
        assert_eq!(facts.success, Success::Decoded);
        let events = facts.events.unwrap();
        assert_eq!(
            (events.item_type(), events.beside_json),
            ("enums::Level", true)
        );
        let plain = EventFacts {
            item: None,
            terminator: None,
            beside_json: false,
        };
        assert_eq!(plain.item_type(), "::std::string::String");
        let download =
            media_facts(&json!({RESPONSE: "download", FORM_DATA: true}), "$.p", &[]).unwrap();
        assert_eq!(
            (download.success, download.multipart),
            (Success::Download, true)
        );
        let text =
            media_facts(&json!({RESPONSE: "text", RAW_MULTIPART: true}), "$.p", &[]).unwrap();
        assert_eq!((text.success, text.raw_multipart), (Success::Text, true));
        assert!(
            media_facts(&json!({RESPONSE: "events"}), "$.p", &[])
                .unwrap_err()
                .contains("without its facts")
        );
    }
}

//! The request body a stub expects: what `MockOperation::REQUEST_BODY` says, and
//! the check the mock server runs on each request before it looks for a reply. Below
//! the server (which calls [`RequestBody::check`] with what it received) and the stubs.

use std::fmt;

use serde::de::DeserializeOwned;

use reqwest::Url;

/// How an operation's request body is encoded, as its document declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyMedia {
    /// JSON (`application/json`, or a `+json` variant): decoded into the body's type.
    Json,
    /// `application/x-www-form-urlencoded`: its required properties must be present.
    Form,
    /// `multipart/form-data`: a part for each of its required properties.
    Multipart,
}

/// What a stub of an operation checks in each request body before answering (see
/// `MockOperation::REQUEST_BODY`): the body's
/// type, its encoding, and how to check it.
///
/// - JSON ([`json`](Self::json)): the body is decoded into the type, the type the
///   generated request builder's `.body(..)` takes. The generated types enforce their
///   schema when they are decoded (required fields, `enum`s, and the constrained
///   newtypes of lengths, bounds and patterns), so decoding is the schema check.
/// - A form ([`form`](Self::form)) or a multipart body ([`multipart`](Self::multipart)):
///   each required property must be there (a key or a part of that name, or
///   `name[...]` for an object); the values are not decoded.
///
/// A body that fails the check gets a `400` whose JSON body says what and where
/// (``{"error": "request body does not match CreateTask: missing field `title` at line 1
/// column 2"}``), and the received request keeps the message
/// (`ReceivedRequest::body_error`).
#[derive(Clone, Copy)]
pub struct RequestBody {
    type_name: &'static str,
    media: BodyMedia,
    optional: bool,
    fields: &'static [&'static str],
    decode: Option<Decode>,
}

/// Decodes a JSON body into the body's type: `Err` says what and where.
type Decode = fn(&[u8]) -> Result<(), String>;

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBody")
            .field("type_name", &self.type_name)
            .field("media", &self.media)
            .field("optional", &self.optional)
            .field("fields", &self.fields)
            .finish_non_exhaustive()
    }
}

impl RequestBody {
    /// A JSON body decoded into `T` (named `type_name` in messages).
    pub const fn json<T: DeserializeOwned>(type_name: &'static str) -> RequestBody {
        RequestBody {
            type_name,
            media: BodyMedia::Json,
            optional: false,
            fields: &[],
            decode: Some(decode_json::<T>),
        }
    }

    /// A form body (`application/x-www-form-urlencoded`) of type `type_name` whose
    /// `required` properties (their names on the wire) must be present.
    pub const fn form(type_name: &'static str, required: &'static [&'static str]) -> RequestBody {
        RequestBody {
            type_name,
            media: BodyMedia::Form,
            optional: false,
            fields: required,
            decode: None,
        }
    }

    /// A `multipart/form-data` body of type `type_name` with a part for each of its
    /// `required` properties (their names on the wire).
    pub const fn multipart(
        type_name: &'static str,
        required: &'static [&'static str],
    ) -> RequestBody {
        RequestBody {
            type_name,
            media: BodyMedia::Multipart,
            optional: false,
            fields: required,
            decode: None,
        }
    }

    /// The body may be left out (the document does not require it): an empty body
    /// passes.
    pub const fn optional(self) -> RequestBody {
        RequestBody {
            optional: true,
            ..self
        }
    }

    /// The body's type, as messages name it.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The body's encoding.
    pub fn media(&self) -> BodyMedia {
        self.media
    }

    /// What is wrong with a received `body`, in the words of the 400 the server sends;
    /// `None` when it passes. `part_names` gives the names of a multipart body's parts
    /// (`None`: it is not a `multipart/form-data` body).
    pub fn check(
        &self,
        body: &[u8],
        part_names: impl FnOnce() -> Option<Vec<String>>,
    ) -> Option<String> {
        if self.optional && body.is_empty() {
            return None;
        }
        let problem = match self.media {
            BodyMedia::Json => self.decode.and_then(|decode| decode(body).err()),
            BodyMedia::Form => {
                let pairs = std::str::from_utf8(body)
                    .map(url_query_pairs)
                    .map_err(|_| "the body is not UTF-8 text".to_owned());
                match pairs {
                    Ok(pairs) => self.missing(pairs.iter().map(|(name, _)| name.as_str())),
                    Err(e) => Some(e),
                }
            }
            BodyMedia::Multipart => match part_names() {
                Some(names) => self.missing(names.iter().map(String::as_str)),
                None => Some(
                    "not a multipart/form-data body (no boundary in its Content-Type, or \
                     the body does not hold it)"
                        .to_owned(),
                ),
            },
        }?;
        Some(format!(
            "request body does not match {}: {problem}",
            self.type_name
        ))
    }

    /// The first required property none of `names` carries: `name`, or `name[...]`.
    fn missing<'n>(&self, names: impl Iterator<Item = &'n str> + Clone) -> Option<String> {
        let has = |field: &str| {
            names.clone().any(|name| {
                name == field
                    || name
                        .strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with('['))
            })
        };
        let what = match self.media {
            BodyMedia::Multipart => "part",
            _ => "field",
        };
        self.fields
            .iter()
            .find(|field| !has(field))
            .map(|field| format!("missing {what} `{field}`"))
    }
}

/// Decodes `body` as a `T`: `Err` says what and where (the path of the value, then
/// serde_json's message with its line and column).
fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<(), String> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => deserializer.end().map_err(|e| e.to_string()),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            Err(if path == "." {
                inner.to_string()
            } else {
                format!("at `{path}`: {inner}")
            })
        }
    }
}

/// Decoded `name=value` pairs of a query string (or of a form body).
pub(crate) fn url_query_pairs(query: &str) -> Vec<(String, String)> {
    let url = Url::parse(&format!("http://mock.invalid/?{query}")).ok();
    url.map(|url| url.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

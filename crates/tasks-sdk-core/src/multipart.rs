//! Uploads: [`FilePart`], the value of a request body's binary property (`type: string,
//! format: binary`), and [`encode`], which turns a `multipart/form-data` request body
//! into its parts for the generated `send()`.
//!
//! ```no_run
//! # use tasks_sdk_core::{Error, FilePart};
//! # async fn f() -> Result<(), Error> {
//! // A file read whole (its name from the path), or bytes already in memory.
//! let report = FilePart::from_path("report.pdf").await?.content_type("application/pdf");
//! let notes = FilePart::new("hello").file_name("notes.txt").content_type("text/plain");
//! // A large file, streamed as it is sent (then the upload is not retried).
//! let video = FilePart::open("video.mp4").await?.content_type("video/mp4");
//! // Then set them on the generated body type, e.g.
//! // client.upload().body(types::UploadBody { file: report, .. }).call().await?;
//! # let _ = (report, notes, video); Ok(()) }
//! ```

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;
use std::path::Path;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::{FutureExt, StreamExt, TryStreamExt};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use reqwest::multipart::{Form, Part};
use serde::ser::{self, Serialize, SerializeMap, SerializeStruct, Serializer};
use serde::{Deserialize, Deserializer};

use crate::error::Error;

/// The content type of a part whose type was not set.
const DEFAULT_CONTENT_TYPE: &str = "application/octet-stream";

/// How much of a streamed file is read at a time.
const READ_CHUNK: usize = 64 * 1024;

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type PartStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A file to upload: the value of a request body's binary property (`format: binary`)
/// in a `multipart/form-data` body, with its file name and content type (default
/// `application/octet-stream`).
///
/// Its content is bytes in memory ([`new`](FilePart::new),
/// [`from_path`](FilePart::from_path)), which a retried upload sends again, or a stream
/// read as it is sent ([`open`](FilePart::open), [`stream`](FilePart::stream)), for
/// files too large to hold: a request with a streamed part is sent once, never retried
/// (its bytes are gone), and a streamed part (or its clones, which share the stream) can
/// be sent in one request only.
///
/// The generated body types derive `Serialize`, `Deserialize`, `PartialEq`, `Clone` and
/// `Debug`, so this does too, harmlessly: serialized outside [`encode`] (say, in a log
/// as JSON) it is its description, `{"file_name": "a.pdf", "content_type":
/// "application/pdf", "length": 1024}` (`length` null for a stream of unknown length),
/// never its content; deserialized from that shape it is a part with those name and type
/// and no content. Two parts are equal when their names, types and bytes are (a
/// streamed part equals only its clones). `Debug` shows no content either.
#[derive(Clone)]
pub struct FilePart {
    content: Content,
    file_name: Option<String>,
    content_type: Cow<'static, str>,
}

#[derive(Clone)]
enum Content {
    Bytes(Bytes),
    /// Taken (`None`) by the request that sends it.
    Stream {
        stream: Arc<Mutex<Option<PartStream>>>,
        length: Option<u64>,
    },
}

impl FilePart {
    /// A file of these bytes (no file name: set one with [`file_name`](Self::file_name),
    /// which many servers need to take the part as a file).
    pub fn new(content: impl Into<Bytes>) -> Self {
        FilePart {
            content: Content::Bytes(content.into()),
            file_name: None,
            content_type: Cow::Borrowed(DEFAULT_CONTENT_TYPE),
        }
    }

    /// The file at `path`, read whole into memory; its file name is the path's last
    /// component. A file that cannot be read is an [`Error::InvalidArgument`] naming the
    /// path.
    pub async fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let content = tokio::fs::read(path)
            .await
            .map_err(|e| unreadable(path, &e))?;
        Ok(FilePart::new(content).with_name_of(path))
    }

    /// The file at `path`, streamed: read in chunks as the request is sent, never whole
    /// in memory, its length sent from the file's metadata. Its file name is the path's
    /// last component. A file that cannot be opened is an [`Error::InvalidArgument`]
    /// naming the path; one that fails while it is sent fails the call. The upload is
    /// not retried.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        use tokio::io::AsyncReadExt;
        let path = path.as_ref();
        let file = tokio::fs::File::open(path)
            .await
            .map_err(|e| unreadable(path, &e))?;
        let length = file
            .metadata()
            .await
            .map_err(|e| unreadable(path, &e))?
            .len();
        let chunks = futures_util::stream::try_unfold(file, |mut file| async move {
            let mut chunk = BytesMut::with_capacity(READ_CHUNK);
            match file.read_buf(&mut chunk).await? {
                0 => Ok::<_, std::io::Error>(None),
                _ => Ok(Some((chunk.freeze(), file))),
            }
        });
        Ok(FilePart::stream(chunks, Some(length)).with_name_of(path))
    }

    /// A file whose content is `stream`, read as the request is sent; `length`, when
    /// known, is sent as the part's length (else the body is sent chunked). The upload
    /// is not retried.
    pub fn stream<S, B, E>(stream: S, length: Option<u64>) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes> + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream: PartStream = Box::pin(stream.map_ok(Into::into).map_err(Into::into));
        FilePart {
            content: Content::Stream {
                stream: Arc::new(Mutex::new(Some(stream))),
                length,
            },
            file_name: None,
            content_type: Cow::Borrowed(DEFAULT_CONTENT_TYPE),
        }
    }

    /// The file name sent with the part (`filename` of its `Content-Disposition`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's content type (default `application/octet-stream`). One that is not a
    /// media type fails the call with [`Error::InvalidArgument`], nothing sent.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Cow::Owned(content_type.into());
        self
    }

    /// The file name, if set.
    pub fn get_file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type.
    pub fn get_content_type(&self) -> &str {
        &self.content_type
    }

    /// The content's length: the bytes', or a stream's when known.
    pub fn len(&self) -> Option<u64> {
        match &self.content {
            Content::Bytes(bytes) => Some(bytes.len() as u64),
            Content::Stream { length, .. } => *length,
        }
    }

    /// Whether the content is known to be empty.
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The content when it is in memory; `None` for a streamed part.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.content {
            Content::Bytes(bytes) => Some(bytes),
            Content::Stream { .. } => None,
        }
    }

    /// Whether the content is streamed (then a request that sends it is not retried).
    pub fn is_streamed(&self) -> bool {
        matches!(self.content, Content::Stream { .. })
    }

    /// Whether the content type is the default one, not set
    /// ([`content_type`](Self::content_type) always sets an owned one).
    fn has_default_content_type(&self) -> bool {
        matches!(self.content_type, Cow::Borrowed(_))
    }

    fn with_name_of(self, path: &Path) -> Self {
        match path.file_name() {
            Some(name) => self.file_name(name.to_string_lossy()),
            None => self,
        }
    }

    /// The part reqwest sends, for the property `name`; a streamed content is taken.
    fn into_part(self, name: &str) -> Result<Part, Error> {
        let part = match self.content {
            Content::Bytes(bytes) => Part::stream_with_length(bytes.clone(), bytes.len() as u64),
            Content::Stream { stream, length } => {
                let taken = stream.lock().unwrap_or_else(|e| e.into_inner()).take();
                let Some(stream) = taken else {
                    return Err(invalid(
                        name,
                        "its streamed file was sent already: a streamed FilePart is sent once"
                            .to_owned(),
                    ));
                };
                let body = reqwest::Body::wrap_stream(stream);
                match length {
                    Some(length) => Part::stream_with_length(body, length),
                    None => Part::stream(body),
                }
            }
        };
        let part = part.mime_str(&self.content_type).map_err(|_| {
            invalid(
                name,
                format!(
                    "{:?} is not a media type (FilePart::content_type)",
                    self.content_type
                ),
            )
        })?;
        Ok(match self.file_name {
            Some(file_name) => part.file_name(file_name),
            None => part,
        })
    }
}

fn unreadable(path: &Path, error: &std::io::Error) -> Error {
    Error::InvalidArgument {
        name: "file".to_owned(),
        reason: format!("cannot read {}: {error}", path.display()),
    }
}

fn invalid(name: &str, reason: String) -> Error {
    Error::InvalidArgument {
        name: name.to_owned(),
        reason,
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("length", &self.len())
            .field("streamed", &self.is_streamed())
            .finish()
    }
}

impl PartialEq for FilePart {
    fn eq(&self, other: &Self) -> bool {
        let same_content = match (&self.content, &other.content) {
            (Content::Bytes(a), Content::Bytes(b)) => a == b,
            (Content::Stream { stream: a, .. }, Content::Stream { stream: b, .. }) => {
                Arc::ptr_eq(a, b)
            }
            _ => false,
        };
        same_content && self.file_name == other.file_name && self.content_type == other.content_type
    }
}

/// What a `FilePart` serializes as outside [`encode`], and deserializes from.
#[derive(serde::Serialize, Deserialize)]
struct Description<'a> {
    #[serde(default)]
    file_name: Option<Cow<'a, str>>,
    #[serde(default)]
    content_type: Option<Cow<'a, str>>,
    #[serde(default)]
    length: Option<u64>,
}

thread_local! {
    /// The parts being collected by [`encode`] on this thread: a `FilePart` serialized
    /// meanwhile joins them and serializes as a marker naming its index.
    static COLLECTING: RefCell<Option<Vec<FilePart>>> = const { RefCell::new(None) };
}

/// The start of the string a `FilePart` serializes as while [`encode`] collects parts.
/// The NUL keeps it apart from any text a body would hold.
const MARKER: &str = "\0tasks-sdk-file-part:";

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let index = COLLECTING.with(|parts| {
            let mut parts = parts.borrow_mut();
            let parts = parts.as_mut()?;
            parts.push(self.clone());
            Some(parts.len() - 1)
        });
        match index {
            Some(index) => serializer.serialize_str(&format!("{MARKER}{index}")),
            None => Description {
                file_name: self.file_name.as_deref().map(Cow::Borrowed),
                content_type: Some(Cow::Borrowed(&self.content_type)),
                length: self.len(),
            }
            .serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let description = Description::deserialize(deserializer)?;
        let mut part = FilePart::new(Bytes::new());
        part.file_name = description.file_name.map(Cow::into_owned);
        if let Some(content_type) = description.content_type {
            part.content_type = Cow::Owned(content_type.into_owned());
        }
        Ok(part)
    }
}

#[cfg(feature = "test-util")]
impl crate::testing::Example for FilePart {
    /// `example.txt`, `text/plain`, `example`.
    fn example() -> Self {
        FilePart::new("example")
            .file_name("example.txt")
            .content_type("text/plain")
    }
}

/// A `multipart/form-data` request body, in parts: what [`encode`] makes of a body.
/// Give it to the request with [`apply`](Multipart::apply).
pub struct Multipart {
    fields: Vec<(String, Field)>,
}

enum Field {
    /// A scalar: a text part (`text/plain`, no header said).
    Text(String),
    /// An object: a JSON part (`application/json`).
    Json(String),
    /// A text or JSON part with the content type the document's `encoding` gives it.
    Typed {
        text: String,
        content_type: String,
    },
    File(FilePart),
}

/// The parts of a `multipart/form-data` request body `body` (a generated body type: a
/// struct, or a map), one property after another in their order, as OpenAPI's default
/// `encoding` says:
/// - a string, number or boolean: a text part of its value;
/// - a [`FilePart`]: a file part (its file name, its content type);
/// - an object: a JSON part (`application/json`);
/// - an array: one part per item, each by these rules (so an array of files is that
///   many file parts of one name); an array inside an array is a JSON part;
/// - `null` or an absent optional property: no part.
///
/// A `FilePart` inside an object property cannot be sent (JSON has no place for it), nor
/// a body that is not an object: both are [`Error::InvalidArgument`]. A generated
/// `send()` returns it as progenitor's `Error::InvalidRequest(error.to_string())`, which
/// [`call`](crate::call) turns back into this error.
pub fn encode<B: Serialize + ?Sized>(body: &B) -> Result<Multipart, Error> {
    encode_with(body, &[])
}

/// [`encode`], with the `contentType` the document's `encoding` object gives some
/// properties, `(property, media type)`: what the generated `send()` of a body whose
/// `encoding` names content types calls.
/// - a string, number or boolean: its text part has that `Content-Type`
///   (`text/plain`, `application/xml`...);
/// - an object: its JSON part has that type when it is a JSON type
///   (`application/vnd.acme+json`); JSON stays `application/json` otherwise (the
///   object is never sent as anything but JSON);
/// - an array of scalars or objects with a JSON type: one JSON part of the whole array
///   with that type, instead of one part per item; with another type, each item's
///   part has it;
/// - a [`FilePart`] whose type was not set ([`FilePart::content_type`]): that type
///   instead of `application/octet-stream`; one set keeps its own.
///
/// A media type that is not one (`image/*`, a list) is an [`Error::InvalidArgument`]
/// when the part is encoded: the generator gives only single media types.
pub fn encode_with<B: Serialize + ?Sized>(
    body: &B,
    content_types: &[(&str, &str)],
) -> Result<Multipart, Error> {
    let mut fields = Vec::new();
    body.serialize(TopLevel {
        fields: &mut fields,
        content_types,
    })
    .map_err(|e| invalid("body", e.0))?;
    Ok(Multipart { fields })
}

/// Whether a media type is JSON: `application/json`, `*/*+json`.
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.to_ascii_lowercase().ends_with("+json")
}

impl Multipart {
    /// Whether every part is in memory: then [`apply`](Self::apply) gives the request one
    /// body that a retry can send again (else it is streamed, and sent once).
    pub fn is_reusable(&self) -> bool {
        self.fields
            .iter()
            .all(|(_, field)| !matches!(field, Field::File(file) if file.is_streamed()))
    }

    /// The names of the parts, in order (a repeated name for each item of an array).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|(name, _)| name.as_str())
    }

    /// The parts as a `reqwest::multipart::Form` (reqwest's encoder: its body is a
    /// stream, so a request that carries it is not retried; [`apply`](Self::apply)
    /// encodes the in-memory parts into one reusable body instead). Takes the streams
    /// of streamed parts.
    pub fn into_form(self) -> Result<Form, Error> {
        let mut form = Form::new();
        for (name, field) in self.fields {
            let part = match field {
                Field::Text(text) => Part::text(text),
                Field::Json(json) => Part::text(json)
                    .mime_str("application/json")
                    .expect("a valid media type"),
                Field::Typed { text, content_type } => {
                    Part::text(text).mime_str(&content_type).map_err(|_| {
                        invalid(
                            &name,
                            format!("{content_type:?} is not a media type (its encoding)"),
                        )
                    })?
                }
                Field::File(file) => file.into_part(&name)?,
            };
            form = form.part(name, part);
        }
        Ok(form)
    }

    /// Sets the body on `request`, with its `Content-Type` (`multipart/form-data` and the
    /// boundary). When every part is in memory ([`is_reusable`](Self::is_reusable)), the
    /// parts are encoded (by reqwest's encoder) into one body of bytes, which an
    /// idempotent request's retry sends again; with a streamed part, the body is
    /// streamed, and the request sent once.
    pub fn apply(self, request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, Error> {
        if !self.is_reusable() {
            return Ok(request.multipart(self.into_form()?));
        }
        let (content_type, body) = self.into_bytes()?;
        Ok(request.header(CONTENT_TYPE, content_type).body(body))
    }

    /// The parts, all in memory, encoded into one body, and its `Content-Type`.
    fn into_bytes(self) -> Result<(HeaderValue, Bytes), Error> {
        let form = self.into_form()?;
        let content_type = HeaderValue::from_str(&format!(
            "multipart/form-data; boundary={}",
            form.boundary()
        ))
        .expect("reqwest's boundary is a valid header value");
        let mut stream = Box::pin(form.into_stream());
        let mut body = BytesMut::new();
        // Every part is in memory: each chunk of the stream is ready at once.
        while let Some(chunk) = stream
            .next()
            .now_or_never()
            .expect("in-memory parts are ready")
        {
            let chunk = chunk.map_err(|e| invalid("body", format!("cannot be encoded: {e}")))?;
            body.extend_from_slice(&chunk);
        }
        Ok((content_type, body.freeze()))
    }
}

impl fmt::Debug for Multipart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, field) in &self.fields {
            match field {
                Field::Text(_) => list.entry(&format_args!("{name}: text")),
                Field::Json(_) => list.entry(&format_args!("{name}: json")),
                Field::Typed { content_type, .. } => {
                    list.entry(&format_args!("{name}: {content_type}"))
                }
                Field::File(file) => list.entry(&format_args!("{name}: {file:?}")),
            };
        }
        list.finish()
    }
}

/// Serializes `value` as JSON, the `FilePart`s in it collected.
fn collect(
    value: &(impl Serialize + ?Sized),
) -> Result<(serde_json::Value, Vec<FilePart>), String> {
    let previous = COLLECTING.with(|parts| parts.borrow_mut().replace(Vec::new()));
    let json = serde_json::to_value(value);
    let parts = COLLECTING
        .with(|parts| std::mem::replace(&mut *parts.borrow_mut(), previous))
        .unwrap_or_default();
    json.map(|json| (json, parts)).map_err(|e| e.to_string())
}

/// The part a JSON value stands for, if a marker: the `FilePart` collected.
fn file_of(value: &serde_json::Value, files: &[FilePart]) -> Option<FilePart> {
    let index: usize = value.as_str()?.strip_prefix(MARKER)?.parse().ok()?;
    files.get(index).cloned()
}

/// Whether a JSON value holds a collected `FilePart` somewhere.
fn holds_file(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => s.starts_with(MARKER),
        serde_json::Value::Array(items) => items.iter().any(holds_file),
        serde_json::Value::Object(map) => map.values().any(holds_file),
        _ => false,
    }
}

/// The parts of one property; `content_type`, the one its encoding gives it.
fn add_property(
    fields: &mut Vec<(String, Field)>,
    name: &str,
    value: &(impl Serialize + ?Sized),
    content_type: Option<&str>,
) -> Result<(), String> {
    use serde_json::Value;
    let (value, files) = collect(value)?;
    let typed = |text: String| match content_type {
        Some(content_type) => Field::Typed {
            text,
            content_type: content_type.to_owned(),
        },
        None => Field::Text(text),
    };
    let json = |text: String| match content_type {
        Some(content_type) if is_json(content_type) => Field::Typed {
            text,
            content_type: content_type.to_owned(),
        },
        _ => Field::Json(text),
    };
    let one = |value: Value, nested: bool| -> Result<Option<Field>, String> {
        if let Some(mut file) = file_of(&value, &files) {
            if let Some(content_type) = content_type
                && file.has_default_content_type()
            {
                file = file.content_type(content_type);
            }
            return Ok(Some(Field::File(file)));
        }
        Ok(Some(match value {
            Value::Null => return Ok(None),
            Value::String(text) => typed(text),
            Value::Bool(_) | Value::Number(_) => typed(value.to_string()),
            Value::Array(_) | Value::Object(_) if holds_file(&value) => {
                return Err(format!(
                    "property `{name}`: a file inside {} cannot be sent as multipart/form-data",
                    if nested {
                        "a nested array"
                    } else {
                        "an object"
                    }
                ));
            }
            Value::Array(_) | Value::Object(_) => json(value.to_string()),
        }))
    };
    match value {
        // An array whose encoding is JSON: one part.
        Value::Array(_) if content_type.is_some_and(is_json) && !holds_file(&value) => {
            fields.push((name.to_owned(), json(value.to_string())));
        }
        Value::Array(items) => {
            for item in items {
                let nested = item.is_array();
                if let Some(field) = one(item, nested)? {
                    fields.push((name.to_owned(), field));
                }
            }
        }
        value => {
            if let Some(field) = one(value, false)? {
                fields.push((name.to_owned(), field));
            }
        }
    }
    Ok(())
}

/// Why a body could not be taken apart.
#[derive(Debug)]
struct EncodeError(String);

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

impl ser::Error for EncodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        EncodeError(msg.to_string())
    }
}

/// The serializer of the body itself: a struct or a map, whose properties become parts.
struct TopLevel<'a> {
    fields: &'a mut Vec<(String, Field)>,
    content_types: &'a [(&'a str, &'a str)],
}

/// The properties of the body, one at a time.
struct Properties<'a> {
    fields: &'a mut Vec<(String, Field)>,
    content_types: &'a [(&'a str, &'a str)],
    key: Option<String>,
}

/// The content type the encoding gives the property `name`.
fn content_type_of<'a>(content_types: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    content_types
        .iter()
        .find(|(property, _)| *property == name)
        .map(|(_, content_type)| *content_type)
}

fn not_an_object<T>() -> Result<T, EncodeError> {
    Err(EncodeError(
        "a multipart/form-data body must be an object".to_owned(),
    ))
}

/// `serialize_*` methods of a kind a body cannot be.
macro_rules! not_an_object {
    ($($method:ident($($arg:ty),*) -> $ok:ty;)*) => {
        $(
            fn $method(self, $(_: $arg),*) -> Result<$ok, EncodeError> {
                not_an_object()
            }
        )*
    };
}

impl<'a> Serializer for TopLevel<'a> {
    type Ok = ();
    type Error = EncodeError;
    type SerializeSeq = ser::Impossible<(), EncodeError>;
    type SerializeTuple = ser::Impossible<(), EncodeError>;
    type SerializeTupleStruct = ser::Impossible<(), EncodeError>;
    type SerializeTupleVariant = ser::Impossible<(), EncodeError>;
    type SerializeMap = Properties<'a>;
    type SerializeStruct = Properties<'a>;
    type SerializeStructVariant = ser::Impossible<(), EncodeError>;

    not_an_object! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_i64(i64) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_u64(u64) -> ();
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }

    fn serialize_none(self) -> Result<(), EncodeError> {
        Ok(())
    }

    fn serialize_unit(self) -> Result<(), EncodeError> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), EncodeError> {
        value.serialize(self)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        // An untagged-like wrapper around the body (typify's `oneOf` of objects).
        value.serialize(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Properties<'a>, EncodeError> {
        Ok(Properties {
            fields: self.fields,
            content_types: self.content_types,
            key: None,
        })
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Properties<'a>, EncodeError> {
        self.serialize_map(None)
    }
}

impl SerializeStruct for Properties<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), EncodeError> {
        let content_type = content_type_of(self.content_types, key);
        add_property(self.fields, key, value, content_type).map_err(EncodeError)
    }

    fn end(self) -> Result<(), EncodeError> {
        Ok(())
    }
}

impl SerializeMap for Properties<'_> {
    type Ok = ();
    type Error = EncodeError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), EncodeError> {
        let key = match serde_json::to_value(key) {
            Ok(serde_json::Value::String(key)) => key,
            Ok(other) => other.to_string(),
            Err(e) => return Err(EncodeError(e.to_string())),
        };
        self.key = Some(key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), EncodeError> {
        let key = self.key.take().unwrap_or_default();
        let content_type = content_type_of(self.content_types, &key);
        add_property(self.fields, &key, value, content_type).map_err(EncodeError)
    }

    fn end(self) -> Result<(), EncodeError> {
        Ok(())
    }
}

//! Binary responses: [`Download`], the body of an operation whose success is a file,
//! streamed, and what its head says of it (type, length, file name).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;
use futures_util::StreamExt;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_LENGTH, HeaderMap};

use crate::error::{DecodeError, Error};
use crate::provider::{Operation, Provider};
use crate::streamed::{self, Body, Head, StreamCall, StreamOptions, Streamed};

/// The body of a binary success response (a file: `application/octet-stream`, an
/// image, a PDF...), not read yet: what the generated `call()` of such an operation
/// returns.
///
/// Read it as a `Stream` of chunks (`futures::StreamExt::next`), which holds one chunk
/// at a time, or whole with [`bytes`](Download::bytes) and a size limit. Each read is
/// bounded by the client's [read timeout](crate::ClientBuilder::read_timeout); the
/// client's total timeout covers the response's head only, and its
/// `max_response_bytes` does not apply.
///
/// ```no_run
/// # use tasks_sdk_core::{Download, Error};
/// use futures::StreamExt;
///
/// # async fn f(download: Download, mut download2: Download) -> Result<(), Error> {
/// // `download` from a generated call, e.g. `client.get_report().id("r1").call().await?`.
/// println!("{:?}, {:?} bytes", download.file_name(), download.content_length());
/// let small = download.bytes(10 * 1024 * 1024).await?; // at most 10 MiB
///
/// // Or chunk by chunk, e.g. into a file.
/// while let Some(chunk) = download2.next().await {
///     let chunk = chunk?;
///     # let _ = chunk;
/// }
/// # let _ = small; Ok(()) }
/// ```
pub struct Download {
    head: Head,
    body: Body,
    file_name: Option<String>,
}

impl Download {
    /// The download of a generated operation's `send()` (progenitor's, whose success is
    /// a byte stream): what the generated `call()` of an operation whose success is a
    /// binary body returns, `Download::call(&PROVIDER, OPERATION, options, self.send())`.
    ///
    /// Through the runtime like [`call`](crate::call): the same retries and errors; the
    /// successful body is not buffered.
    pub async fn call<E, F>(
        provider: &'static Provider,
        operation: &'static Operation,
        options: StreamOptions,
        send: F,
    ) -> Result<Self, Error>
    where
        F: Future<
            Output = Result<
                progenitor_client::ResponseValue<progenitor_client::ByteStream>,
                progenitor_client::Error<E>,
            >,
        >,
        E: Send + Sync + 'static,
    {
        let streamed = streamed::from_call(provider, operation, &options, send).await?;
        Ok(Self::new(streamed))
    }

    /// [`call`](Self::call), with the response's status, headers, request id and
    /// attempts: what the generated `call_with_response()` of a download returns.
    pub async fn call_with_response<E, F>(
        provider: &'static Provider,
        operation: &'static Operation,
        options: StreamOptions,
        send: F,
    ) -> Result<crate::Response<Self>, Error>
    where
        F: Future<
            Output = Result<
                progenitor_client::ResponseValue<progenitor_client::ByteStream>,
                progenitor_client::Error<E>,
            >,
        >,
        E: Send + Sync + 'static,
    {
        let mut streamed = streamed::from_call(provider, operation, &options, send).await?;
        let meta = std::mem::take(&mut streamed.meta);
        let download = Self::new(streamed);
        let head = download.head.clone();
        Ok(Streamed::response(head, meta, download))
    }

    /// [`call`](Self::call) and [`call_with_response`](Self::call_with_response) with
    /// per-call options, sent when awaited: what the generated `with_options(..)` of a
    /// download returns.
    pub fn with_options<'a, E, F>(
        provider: &'static Provider,
        operation: &'static Operation,
        options: StreamOptions,
        send: F,
    ) -> StreamCall<'a, Self>
    where
        F: Future<
                Output = Result<
                    progenitor_client::ResponseValue<progenitor_client::ByteStream>,
                    progenitor_client::Error<E>,
                >,
            > + Send
            + 'a,
        E: Send + Sync + 'static,
    {
        StreamCall::new(Box::pin(Self::call_with_response(
            provider, operation, options, send,
        )))
    }

    /// The download of a `reqwest::Response` got another way: an error status is the
    /// [`Error`] a call makes of it (its body read for the message, up to
    /// [`DEFAULT_MAX_RESPONSE_BYTES`](crate::DEFAULT_MAX_RESPONSE_BYTES)).
    pub async fn from_response(
        provider: &'static Provider,
        operation: &'static Operation,
        response: reqwest::Response,
        options: StreamOptions,
    ) -> Result<Self, Error> {
        let streamed = streamed::from_response(provider, operation, response, &options).await?;
        Ok(Self::new(streamed))
    }

    fn new(streamed: Streamed) -> Self {
        let Streamed { head, body, .. } = streamed;
        let file_name = head
            .headers
            .get(CONTENT_DISPOSITION)
            .and_then(|value| content_disposition_file_name(value.as_bytes()));
        Download {
            head,
            body,
            file_name,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The `Content-Type` header, e.g. `application/pdf`.
    pub fn content_type(&self) -> Option<&str> {
        self.head.content_type()
    }

    /// The `Content-Length` header: the body's size, when the server said it.
    pub fn content_length(&self) -> Option<u64> {
        self.head
            .headers
            .get(CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .trim()
            .parse()
            .ok()
    }

    /// The file name the server suggests (`Content-Disposition`, RFC 6266: its
    /// `filename*` when it has one, else its `filename`), without any directory part:
    /// `../../etc/passwd` is `passwd`. Still the server's word: check it before using it
    /// as a path.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The provider's request id, when it sent one.
    pub fn request_id(&self) -> Option<String> {
        self.head.request_id()
    }

    /// The whole body, at most `limit` bytes: a larger one (by its `Content-Length`, or
    /// as it arrives) is an [`Error::Decode`] saying so, read no further.
    pub async fn bytes(mut self, limit: usize) -> Result<Bytes, Error> {
        let declared = self.content_length();
        if declared.is_some_and(|n| n > limit as u64) {
            return Err(self.too_large(limit, Bytes::new()));
        }
        let mut body = BytesMut::with_capacity(declared.map_or(0, |n| n as usize));
        while let Some(chunk) = self.body.next().await {
            let chunk = chunk?;
            if body.len() + chunk.len() > limit {
                let mut start = body.freeze();
                if start.is_empty() {
                    start = chunk;
                }
                start.truncate(DecodeError::SNIPPET_LEN);
                return Err(self.too_large(limit, start));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }

    fn too_large(&self, limit: usize, start: Bytes) -> Error {
        let reason = format!("the body is larger than the {limit}-byte limit");
        self.head.decode_error(start, reason)
    }
}

impl Stream for Download {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.body).poll_next(cx)
    }
}

impl fmt::Debug for Download {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Download")
            .field("provider", &self.head.provider.name)
            .field("operation", &self.head.operation.id)
            .field("status", &self.head.status)
            .field("content_type", &self.content_type())
            .field("content_length", &self.content_length())
            .field("file_name", &self.file_name)
            .finish()
    }
}

/// The file name of a `Content-Disposition` value (RFC 6266): `filename*` (RFC 8187,
/// UTF-8 or ISO-8859-1) wins over `filename` (a token or a quoted string); the directory
/// part is dropped; empty is none.
pub(crate) fn content_disposition_file_name(value: &[u8]) -> Option<String> {
    // Header bytes beyond ASCII are taken as ISO-8859-1, as HTTP says (a server sending
    // raw UTF-8 in `filename` gets it back lossily: `filename*` is the way).
    let value: String = match std::str::from_utf8(value) {
        Ok(text) => text.to_owned(),
        Err(_) => value.iter().map(|&b| char::from(b)).collect(),
    };
    let mut rest = value.as_str();
    // The disposition type.
    token(&mut rest);
    let (mut plain, mut extended) = (None, None);
    loop {
        rest = rest.trim_start();
        let Some(after) = rest.strip_prefix(';') else {
            break;
        };
        rest = after.trim_start();
        let end = rest.find(['=', ';']).unwrap_or(rest.len());
        let name = rest[..end].trim().to_ascii_lowercase();
        rest = &rest[end..];
        rest = rest.trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            // A parameter without a value: skip to the next one.
            rest = rest.find(';').map_or("", |i| &rest[i..]);
            continue;
        };
        rest = after.trim_start();
        let value = if rest.starts_with('"') {
            quoted(&mut rest)
        } else {
            Some(token(&mut rest).to_owned())
        };
        match name.as_str() {
            "filename" if plain.is_none() => plain = value,
            "filename*" if extended.is_none() => extended = value.as_deref().and_then(ext_value),
            _ => {}
        }
    }
    let name = extended.or(plain)?;
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    (!name.is_empty() && name != "." && name != "..").then(|| name.to_owned())
}

/// A token (or anything up to `;`, leniently), taken off the front of `rest`.
fn token<'a>(rest: &mut &'a str) -> &'a str {
    let end = rest.find(';').unwrap_or(rest.len());
    let (token, after) = rest.split_at(end);
    *rest = after;
    token.trim()
}

/// A quoted string with `\` escapes, taken off the front of `rest`; `None` unterminated.
fn quoted(rest: &mut &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = rest.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                *rest = &rest[i + 1..];
                return Some(out);
            }
            '\\' => out.push(chars.next()?.1),
            c => out.push(c),
        }
    }
    *rest = "";
    None
}

/// An RFC 8187 `ext-value`, `charset'[language]'pct-encoded`, decoded: UTF-8 or
/// ISO-8859-1, else none.
fn ext_value(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let (charset, _language, encoded) = (parts.next()?, parts.next()?, parts.next()?);
    let mut bytes = Vec::with_capacity(encoded.len());
    let mut input = encoded.bytes();
    while let Some(b) = input.next() {
        if b == b'%' {
            let hex = [input.next()?, input.next()?];
            let hex = std::str::from_utf8(&hex).ok()?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
        } else {
            bytes.push(b);
        }
    }
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        Some(bytes.into_iter().map(char::from).collect())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::content_disposition_file_name as name;

    #[test]
    fn file_names_per_rfc_6266() {
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"attachment; filename=example.html", Some("example.html")),
            (
                b"attachment; filename=\"an example.html\"",
                Some("an example.html"),
            ),
            (b"inline; FILENAME= \"a\\\"b\\.txt\" ", Some("a\"b.txt")),
            // RFC 6266 §5: filename* wins whatever the order.
            (
                b"attachment; filename*=UTF-8''%e2%82%ac%20rates; filename=\"EURO rates\"",
                Some("\u{20AC} rates"),
            ),
            (
                b"attachment; filename=\"EURO rates\"; filename*=utf-8'en'%e2%82%ac%20rates",
                Some("\u{20AC} rates"),
            ),
            (
                b"attachment; filename*=iso-8859-1'en'%A3%20rates",
                Some("\u{A3} rates"),
            ),
            // An unknown charset or a bad encoding falls back to filename.
            (
                b"attachment; filename*=koi8-r''%F0; filename=plain.txt",
                Some("plain.txt"),
            ),
            (
                b"attachment; filename*=UTF-8''%ZZ; filename=plain.txt",
                Some("plain.txt"),
            ),
            (b"attachment; filename*=UTF-8''%FF", None),
            // Directories are dropped.
            (b"attachment; filename=\"../../etc/passwd\"", Some("passwd")),
            (
                b"attachment; filename=\"C:\\\\temp\\\\x.txt\"",
                Some("x.txt"),
            ),
            (b"attachment; filename=\"..\"", None),
            (b"attachment; filename=\"\"", None),
            (b"attachment", None),
            (b"attachment; size=3; name=\"x\"", None),
            (b"attachment; creation-date; filename=a.bin", Some("a.bin")),
            (b"attachment; filename=\"unterminated", None),
            // Latin-1 bytes of a plain filename.
            (
                b"attachment; filename=\"caf\xe9.txt\"",
                Some("caf\u{e9}.txt"),
            ),
            (
                b"form-data; name=\"file\"; filename=\"a;b.txt\"",
                Some("a;b.txt"),
            ),
        ];
        for (value, expected) in cases {
            assert_eq!(
                name(value).as_deref(),
                *expected,
                "{}",
                String::from_utf8_lossy(value)
            );
        }
    }
}

//! The crate page's section on the operations that are not "a JSON body in, a JSON body
//! out": event streams (`tasks_sdk_core::EventStream<T>`), downloads
//! (`tasks_sdk_core::Download`) and multipart uploads (`tasks_sdk_core::FilePart`), with
//! an example that compiles (`no_run`) on the crate's own operations. Empty for a crate
//! that has none.

use crate::document::naming;
use crate::emit::syntax;
use crate::model::Prepared;
use crate::model::media::Success;

/// The `//!` lines of the section (starting with a line break, ending with `//!`), or
/// nothing. `file`: the generated client, for the upload body's type and file field.
pub fn section(p: &Prepared, file: &syn::File) -> String {
    let krate = format!("tasks_sdk_{}", p.provider.name.replace('-', "_"));
    let mut bullets: Vec<String> = Vec::new();
    let mut code: Vec<String> = Vec::new();
    let events = p.operations.iter().find(|op| op.media.events.is_some());
    if let Some(op) = events {
        let facts = op.media.events.as_ref().expect("found with events");
        let (id, call) = (&op.id, call_of(op));
        let list = list_of(
            p,
            |op| op.media.events.is_some(),
            |op| {
                if op.media.success == Success::Events {
                    "`call()`"
                } else {
                    "`call_events()` (`call()`: its JSON)"
                }
            },
        );
        bullets.push(format!(
            "//! - Event streams ({list}): a [`tasks_sdk_core::EventStream<T>`], a `Stream` of\n\
             //!   [`tasks_sdk_core::Event`]s whose `data` is the event's data type (a `String`\n\
             //!   when the document gives none). An event that does not decode is one\n\
             //!   `Err(Error::Decode)` item and the stream goes on; the document's terminator\n\
             //!   ends it; `call_with_response()` has the status and headers. A stream that\n\
             //!   breaks ends with an `Err` item, unless you ask it to `.reconnect(max)`: it\n\
             //!   then sends the same request again with `Last-Event-ID`."
        ));
        let data = if facts.item.is_some() {
            "event.data"
        } else {
            "event.data.len()"
        };
        code.push(format!(
            "//! // Events as they arrive, each one's data typed.\n\
             //! let mut events = client.{id}().{call}().await?;\n\
             //! while let Some(event) = events.next().await {{\n\
             //!     let event = event?;\n\
             //!     println!(\"{{:?}}\", {data});\n\
             //! }}\n"
        ));
    }
    if let Some(op) = p
        .operations
        .iter()
        .find(|op| op.media.success == Success::Download)
    {
        let list = list_of(p, |op| op.media.success == Success::Download, |_| "");
        bullets.push(format!(
            "//! - Downloads ({list}): `call()` returns a [`tasks_sdk_core::Download`], the\n\
             //!   body unread: its `content_type()`, `content_length()` and `file_name()`,\n\
             //!   read whole with a size limit or as a `Stream` of chunks."
        ));
        code.push(format!(
            "//! // A file: its name, then its bytes (at most 10 MiB).\n\
             //! let download = client.{}().call().await?;\n\
             //! println!(\"{{:?}}\", download.file_name());\n\
             //! let bytes = download.bytes(10 * 1024 * 1024).await?;\n\
             //! # let _ = bytes;\n",
            op.id
        ));
    }
    if let Some((op, body, field)) = p
        .operations
        .iter()
        .filter(|op| op.media.multipart)
        .find_map(|op| upload_example(file, &op.id).map(|(body, field)| (op, body, field)))
    {
        let list = list_of(p, |op| op.media.multipart, |_| "");
        bullets.push(format!(
            "//! - Uploads ({list}): the `multipart/form-data` body is a type of [`types`]\n\
             //!   like a JSON body; its binary properties are [`tasks_sdk_core::FilePart`]s\n\
             //!   (bytes, a file read whole, or a stream for large files), the other\n\
             //!   properties text parts, objects JSON parts, arrays repeated parts, unless\n\
             //!   the document's `encoding` gives a property a `contentType`. The client\n\
             //!   sets the boundary and the parts' headers."
        ));
        code.push(format!(
            "//! // An upload: the body's files are `FilePart`s (and its other fields).\n\
             //! let file = FilePart::new(\"hello\").file_name(\"hello.txt\").content_type(\"text/plain\");\n\
             //! let body = {krate}::types::{body}::builder().{field}(file);\n\
             //! let response = client.{}().body(body).call().await?;\n\
             //! # let _ = response;\n",
            op.id
        ));
    }
    if bullets.is_empty() {
        return String::new();
    }
    let uses = if code.iter().any(|c| c.contains("FilePart::")) {
        format!("//! use futures::StreamExt;\n//! use {krate}::FilePart;\n")
    } else {
        "//! use futures::StreamExt;\n".to_owned()
    };
    format!(
        "\n//! # Event streams, downloads and uploads\n//!\n{}\n//!\n\
         //! A streamed response is never read whole into memory: the client's total timeout\n\
         //! covers its head only, and each read of the body is bounded by the client's\n\
         //! `read_timeout` (30 s by default; per call: `.with_options(StreamOptions::new()\n\
         //! .read_timeout(..))`).\n//!\n\
         //! ```no_run\n{uses}//!\n\
         //! # async fn example(client: {krate}::Client) -> Result<(), {krate}::Error> {{\n\
         {}//! # Ok(())\n//! # }}\n//! ```\n//!",
        bullets.join("\n"),
        code.join("//!\n"),
    )
}

/// The method a stream example calls: `call`, or `call_events` beside JSON.
fn call_of(op: &crate::model::OperationFacts) -> &'static str {
    if op.media.success == Success::Events {
        "call"
    } else {
        "call_events"
    }
}

/// The operations `pick` selects, as links, each with `note`'s words.
fn list_of(
    p: &Prepared,
    pick: impl Fn(&crate::model::OperationFacts) -> bool,
    note: impl Fn(&crate::model::OperationFacts) -> &'static str,
) -> String {
    p.operations
        .iter()
        .filter(|op| pick(op))
        .map(|op| {
            let note = note(op);
            let note = if note.is_empty() {
                String::new()
            } else {
                format!(" {note}")
            };
            format!("[`Client::{}`]{note}", op.id)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The body type of operation `id`'s builder and its first file field (a `FilePart`).
fn upload_example(file: &syn::File, id: &str) -> Option<(String, String)> {
    let builder = syntax::find_item_struct(file, "builder", &naming::builder_name(id))?;
    let body = builder
        .fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))?;
    // `Result<types::X, String>` (or `Result<builder::X, String>`, typify's builder).
    let body = syntax::type_ident(syntax::generic_arg(&body.ty)?)?;
    let ty = syntax::find_item_struct(file, "types", &body)?;
    let field = ty
        .fields
        .iter()
        .find(|f| syntax::type_ident(&f.ty).is_some_and(|t| t == "FilePart"))?;
    Some((body, field.ident.as_ref()?.to_string()))
}

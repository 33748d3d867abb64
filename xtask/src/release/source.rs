//! Where a provider's document comes from: `specs/<name>/source.yaml`, read by
//! `cargo xtask pull`.
//!
//! ```yaml
//! page: https://docs.example.com/api-reference/tasks/list-tasks      # the documentation page
//! markdown: https://docs.example.com/api-reference/tasks/list-tasks.md  # what `pull` downloads
//! openapi: verbatim        # the page's ```yaml block, byte for byte; or `hand-written`
//! prose_sha256: 3f2a...    # optional: the page's text outside the block is tracked
//! ```
//!
//! `openapi: verbatim` makes `openapi.yaml` the page's (first) ```` ```yaml ```` block.
//! `openapi: hand-written` means the document was written from the page's prose, which
//! is then always tracked: its SHA-256 is `prose_sha256` and its text, as last reviewed,
//! `specs/<name>/page.md`, so that `pull` can say that the page changed and show how.
//! A verbatim provider whose overlay takes text from the prose tracks it too (a
//! `prose_sha256` line).

use std::path::Path;

use serde_json::Value;

/// How `openapi.yaml` is made from the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Openapi {
    /// The page's ```` ```yaml ```` block, byte for byte.
    Verbatim,
    /// Written by hand from the page's prose.
    HandWritten,
}

/// `specs/<name>/source.yaml`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The documentation page (for people).
    pub page: String,
    /// The page as Markdown: what `pull` downloads.
    pub markdown: String,
    pub openapi: Openapi,
    /// The SHA-256 (hex) of the prose as last reviewed, when the prose is tracked.
    pub prose_sha256: Option<String>,
}

impl Source {
    /// Whether `pull` compares the page's prose with `page.md`.
    pub fn tracks_prose(&self) -> bool {
        self.openapi == Openapi::HandWritten || self.prose_sha256.is_some()
    }
}

pub const FILE: &str = "source.yaml";
/// The prose as last reviewed, beside `source.yaml`.
pub const PROSE_FILE: &str = "page.md";

/// Reads `specs/<name>/source.yaml`; `Ok(None)` when the folder has none.
pub fn load(root: &Path, name: &str) -> Result<Option<Source>, String> {
    let file = format!("specs/{name}/{FILE}");
    let path = root.join(&file);
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{file}: cannot read: {e}"))?;
    parse(&text).map(Some).map_err(|e| format!("{file}: {e}"))
}

pub fn parse(text: &str) -> Result<Source, String> {
    let doc: Value = serde_norway::from_str(text).map_err(|e| format!("invalid YAML: {e}"))?;
    let text_of = |key: &str| -> Result<Option<String>, String> {
        match doc.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
            Some(other) => Err(format!("`{key}` must be a non-empty string, not {other}")),
        }
    };
    if let Some(key) = doc.as_object().and_then(|o| {
        o.keys()
            .find(|k| !["page", "markdown", "openapi", "prose_sha256"].contains(&k.as_str()))
    }) {
        return Err(format!(
            "`{key}` is not a source key (page, markdown, openapi, prose_sha256)"
        ));
    }
    let page = text_of("page")?.ok_or("`page` (the documentation page's URL) is missing")?;
    let markdown = text_of("markdown")?.unwrap_or_else(|| format!("{page}.md"));
    let openapi = match text_of("openapi")?.as_deref() {
        None | Some("verbatim") => Openapi::Verbatim,
        Some("hand-written") => Openapi::HandWritten,
        Some(other) => {
            return Err(format!(
                "`openapi: {other}`: `verbatim` (the page's yaml block) or `hand-written`"
            ));
        }
    };
    let prose_sha256 = text_of("prose_sha256")?;
    if let Some(hash) = &prose_sha256
        && (hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()))
    {
        return Err(format!("`prose_sha256: {hash}` is not a SHA-256 in hex"));
    }
    Ok(Source {
        page,
        markdown,
        openapi,
        prose_sha256,
    })
}

/// `source.yaml`'s text with `prose_sha256` set to `hash` (other lines, comments
/// included, kept).
pub fn with_prose_hash(text: &str, hash: &str) -> String {
    let line = format!("prose_sha256: {hash}\n");
    let mut found = false;
    let mut out: String = text
        .split_inclusive('\n')
        .map(|l| {
            if l.starts_with("prose_sha256:") {
                found = true;
                line.clone()
            } else {
                l.to_owned()
            }
        })
        .collect();
    if !found {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&line);
    }
    out
}

/// The page's first fenced block whose info string is `yaml`: the text between its
/// fence lines, byte for byte.
pub fn yaml_block(page: &str) -> Option<&str> {
    yaml_block_range(page).map(|range| &page[range])
}

/// The byte range of [`yaml_block`]'s text in `page`.
fn yaml_block_range(page: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    // The open block: its fence character and length, whether it is yaml, where its
    // text starts.
    let mut open: Option<(char, usize, bool, usize)> = None;
    for line in page.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let Some(fence) = trimmed.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let length = trimmed.chars().take_while(|c| *c == fence).count();
        if length < 3 {
            continue;
        }
        let rest = &trimmed[length..];
        match open {
            None => {
                let info = rest.split_whitespace().next().unwrap_or_default();
                let yaml = info.eq_ignore_ascii_case("yaml") || info.eq_ignore_ascii_case("yml");
                open = Some((fence, length, yaml, offset));
            }
            Some((f, l, yaml, content_start)) => {
                if f == fence && length >= l && rest.trim().is_empty() {
                    if yaml {
                        return Some(content_start..start);
                    }
                    open = None;
                }
            }
        }
    }
    None
}

/// The page's text without its yaml block (the fence lines stay, so the diff shows
/// where it was).
pub fn prose(page: &str) -> String {
    match yaml_block_range(page) {
        Some(range) => format!("{}{}", &page[..range.start], &page[range.end..]),
        None => page.to_owned(),
    }
}

/// SHA-256 of `text`, lower-case hex.
pub fn sha256(text: &str) -> String {
    ring::digest::digest(&ring::digest::SHA256, text.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Downloads `url` (http or https), following redirects; the body as text. Errors are
/// one line.
pub fn fetch(url: &str) -> Result<String, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("{url}: {e}"))?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .user_agent("tasks-sdk xtask pull")
            .build()
            .map_err(|e| format!("{url}: {e}"))?;
        let response = client.get(url).send().await.map_err(|e| {
            let mut message = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(inner) = source {
                message = format!("{message}: {inner}");
                source = inner.source();
            }
            format!("{url}: {message}")
        })?;
        let status = response.status();
        if !status.is_success() {
            return Err(format!("{url}: HTTP {status}"));
        }
        response
            .text()
            .await
            .map_err(|e| format!("{url}: reading the body: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_yaml_block_is_taken_byte_for_byte() {
        let page = "# T\n\n```json\n{\"a\": 1}\n```\n\n## OpenAPI\n\n````yaml openapi.json get /t\nopenapi: 3.0.0\ninfo:\n  title: x  \n\n````\ntail\n";
        let block = yaml_block(page).unwrap();
        assert_eq!(block, "openapi: 3.0.0\ninfo:\n  title: x  \n\n");
        assert_eq!(
            prose(page),
            "# T\n\n```json\n{\"a\": 1}\n```\n\n## OpenAPI\n\n````yaml openapi.json get /t\n````\ntail\n"
        );
        // A shorter fence inside does not close it; CRLF lines keep their bytes.
        let page = "````yaml\na: |\n  ```\n  x\n  ```\r\n````\r\n";
        assert_eq!(yaml_block(page).unwrap(), "a: |\n  ```\n  x\n  ```\r\n");
        assert!(yaml_block("no block\n```bash\ncurl\n```\n").is_none());
        assert!(yaml_block("````yaml\nunclosed\n").is_none());
    }

    #[test]
    fn sources_are_parsed_and_checked() {
        let s = parse("page: https://d.example/p\nopenapi: hand-written\n").unwrap();
        assert_eq!(s.markdown, "https://d.example/p.md");
        assert!(s.tracks_prose());
        assert!(parse("page: x\nopenapi: guessed\n").is_err());
        assert!(parse("page: x\nurl: y\n").unwrap_err().contains("`url`"));
        assert!(parse("page: x\nprose_sha256: abc\n").is_err());
        assert_eq!(
            with_prose_hash("# c\npage: x\nprose_sha256: old\n", "new"),
            "# c\npage: x\nprose_sha256: new\n"
        );
        assert_eq!(
            with_prose_hash("page: x", "h"),
            "page: x\nprose_sha256: h\n"
        );
        assert_eq!(
            sha256("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}

//! `cargo xtask pull [<provider>]`: download each provider's documentation page (its
//! `specs/<name>/source.yaml`, [`crate::release::source`]), take its OpenAPI block byte for byte,
//! write `openapi.yaml` only when it changed, then regenerate: `regen` prints what changed
//! for Rust users ([`crate::release::report`]), bumps the versions and writes the changelogs.
//!
//! For a hand-written document (or a tracked prose), the page's text is compared with
//! the copy last reviewed (`page.md`, whose SHA-256 `source.yaml` records): a change is
//! reported as "the page changed: review the hand-written spec", with a diff, and the
//! new text and hash are written for the reviewer to commit with the updated spec.
//!
//! All or nothing: every page is downloaded and checked (it has a yaml block, the block
//! parses as an OpenAPI document, the document generates) before any file is written; a
//! failure is one line and leaves every file untouched.

use std::path::Path;
use std::process::ExitCode;

use crate::document;
use crate::document::providers;
use crate::emit;
use crate::model;
use crate::release::source::{self, Openapi, Source};

/// What one provider's page brought.
struct Pulled {
    name: String,
    /// The new `openapi.yaml`, when it differs from the committed one.
    spec: Option<String>,
    /// The new prose and its hash, when they differ from the recorded ones.
    prose: Option<(String, String)>,
}

pub fn run(root: &Path, only: Option<&str>, date: &str) -> Result<ExitCode, String> {
    let pulled = download(root, only)?;
    let changed = apply(root, &pulled)?;
    if !changed {
        println!("pull: every page is as recorded; nothing changed");
        return Ok(ExitCode::SUCCESS);
    }
    if pulled.iter().all(|p| p.spec.is_none()) {
        // Only prose changed: the documents, and so the crates, are as they were.
        return Ok(ExitCode::SUCCESS);
    }
    crate::commands::regen::regen(root, None, false, date)
}

/// Downloads and checks every page, writing nothing.
fn download(root: &Path, only: Option<&str>) -> Result<Vec<Pulled>, String> {
    let names = providers::names(root)?;
    if let Some(only) = only.filter(|only| !names.iter().any(|n| n == only)) {
        return Err(format!(
            "no provider `{only}`: specs/ has {}",
            names.join(", ")
        ));
    }
    let mut pulled = Vec::new();
    for name in names.iter().filter(|n| only.is_none_or(|only| *n == only)) {
        let Some(source) = source::load(root, name)? else {
            if only.is_some() {
                return Err(format!(
                    "specs/{name}/{}: missing: it says where the document comes from (specs/README.md)",
                    source::FILE
                ));
            }
            println!("{name}: no specs/{name}/{}, skipped", source::FILE);
            continue;
        };
        pulled.push(pull_one(root, name, &source)?);
    }
    Ok(pulled)
}

fn pull_one(root: &Path, name: &str, source: &Source) -> Result<Pulled, String> {
    let at = format!("specs/{name}/{}", source::FILE);
    let page = source::fetch(&source.markdown).map_err(|e| format!("{at}: {e}"))?;
    let spec_file = format!("specs/{name}/openapi.yaml");
    let spec = match source.openapi {
        Openapi::HandWritten => None,
        Openapi::Verbatim => {
            let block = source::yaml_block(&page)
                .ok_or_else(|| format!("{at}: {} has no ```yaml block", source.markdown))?;
            // What `document::parse` does, in two steps: a syntax error "does not
            // parse", another version (or a Swagger 2.0 document that cannot be
            // converted) is named as such.
            let doc = document::parse_verbatim(block).map_err(|e| {
                format!(
                    "{at}: the yaml block of {} does not parse: {}",
                    source.markdown,
                    e.lines().next().unwrap_or_default()
                )
            })?;
            let doc = document::swagger2::upgrade(doc)
                .map_err(|e| format!("{at}: the yaml block of {}: {e}", source.markdown))?;
            document::check_version(&doc)
                .map_err(|e| format!("{at}: the yaml block of {} is {e}", source.markdown))?;
            let current = std::fs::read_to_string(root.join(&spec_file)).unwrap_or_default();
            if current == block {
                None
            } else {
                check_generates(root, name, doc, block)?;
                Some(block.to_owned())
            }
        }
    };
    let prose = if source.tracks_prose() {
        let text = source::prose(&page);
        let hash = source::sha256(&text);
        (source.prose_sha256.as_deref() != Some(hash.as_str())).then_some((text, hash))
    } else {
        None
    };
    Ok(Pulled {
        name: name.to_owned(),
        spec,
        prose,
    })
}

/// The new document through the whole generator, in memory. On failure it is saved
/// under `target/pull/` for a look, and nothing else is written.
fn check_generates(
    root: &Path,
    name: &str,
    doc: serde_json::Value,
    text: &str,
) -> Result<(), String> {
    let spec_file = format!("specs/{name}/openapi.yaml");
    let overlay = crate::document::overlay::load(root, name)?;
    let result = model::prepare_doc(name, spec_file.clone(), doc, overlay)
        .and_then(|mut p| emit::generate(&mut p).map(|_| ()));
    result.map_err(|e| {
        let saved = root.join("target/pull").join(name);
        let kept = std::fs::create_dir_all(&saved)
            .and_then(|()| std::fs::write(saved.join("openapi.yaml"), text))
            .map(|()| format!("; it is in target/pull/{name}/openapi.yaml"))
            .unwrap_or_default();
        format!(
            "the new {spec_file} does not generate, nothing written{kept}: {}",
            e.lines().next().unwrap_or_default()
        )
    })
}

/// Writes what changed; says what it wrote. Returns whether anything changed.
fn apply(root: &Path, pulled: &[Pulled]) -> Result<bool, String> {
    let mut changed = false;
    for p in pulled {
        let name = &p.name;
        let folder = root.join("specs").join(name);
        match &p.spec {
            Some(text) => {
                let file = format!("specs/{name}/openapi.yaml");
                let old = std::fs::read_to_string(root.join(&file)).unwrap_or_default();
                write(root, &file, text)?;
                println!(
                    "{name}: {file} updated ({} -> {} lines)",
                    old.lines().count(),
                    text.lines().count()
                );
                changed = true;
            }
            None => println!("{name}: openapi.yaml unchanged"),
        }
        if let Some((text, hash)) = &p.prose {
            let prose_file = format!("specs/{name}/{}", source::PROSE_FILE);
            let old = std::fs::read_to_string(folder.join(source::PROSE_FILE)).unwrap_or_default();
            println!("{name}: the page changed: review the hand-written spec");
            let diff = similar::TextDiff::from_lines(&old, text);
            print!(
                "{}",
                diff.unified_diff()
                    .context_radius(2)
                    .header(&format!("{prose_file} (reviewed)"), "the page now")
            );
            write(root, &prose_file, text)?;
            let source_file = format!("specs/{name}/{}", source::FILE);
            let source_text = std::fs::read_to_string(root.join(&source_file))
                .map_err(|e| format!("{source_file}: {e}"))?;
            write(
                root,
                &source_file,
                &source::with_prose_hash(&source_text, hash),
            )?;
            println!(
                "{name}: wrote {prose_file} and its prose_sha256: update the spec or its overlay, then commit them together"
            );
            changed = true;
        }
    }
    Ok(changed)
}

fn write(root: &Path, file: &str, text: &str) -> Result<(), String> {
    crate::emit::files::write(
        root,
        &[crate::emit::files::Output::new(file.into(), text.into())],
    )
    .map(|_| ())
    .map_err(|e| format!("{file}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{PageServer, scratch_root};

    const SPEC: &str = "specs/{p}/openapi.yaml";

    fn spec_of(root: &Path, name: &str) -> String {
        std::fs::read_to_string(root.join(SPEC.replace("{p}", name))).unwrap()
    }

    /// The first provider whose document is verbatim, with its source pointed at `url`.
    fn verbatim_provider(root: &Path, url: &str) -> String {
        let name = providers::names(root)
            .unwrap()
            .into_iter()
            .find(|n| {
                source::load(root, n)
                    .unwrap()
                    .is_some_and(|s| s.openapi == Openapi::Verbatim && !s.tracks_prose())
            })
            .expect("a provider with a verbatim document");
        std::fs::write(
            root.join(format!("specs/{name}/source.yaml")),
            format!("page: {url}\nmarkdown: {url}\nopenapi: verbatim\n"),
        )
        .unwrap();
        name
    }

    fn page_with(spec: &str) -> String {
        format!(
            "# List tasks\n\nSome prose.\n\n## OpenAPI\n\n````yaml openapi.json get /tasks\n{spec}````\n"
        )
    }

    #[test]
    fn an_unchanged_page_writes_nothing_and_a_changed_one_writes_its_block_byte_for_byte() {
        let root = scratch_root("pull-verbatim");
        let server = PageServer::start();
        let name = verbatim_provider(&root, &server.url("/page.md"));
        let spec = spec_of(&root, &name);

        server.set("/page.md", 200, &page_with(&spec));
        let pulled = download(&root, Some(&name)).unwrap();
        assert!(pulled[0].spec.is_none(), "the same block is no change");

        // One more line, whose trailing spaces and CRLF survive.
        assert!(
            spec.contains("\ninfo:\n"),
            "{name}'s spec has an info block"
        );
        let new_spec = spec.replacen("\ninfo:\n", "\ninfo:\n  x-pulled: yes  \r\n", 1);
        server.set("/page.md", 200, &page_with(&new_spec));
        let pulled = download(&root, Some(&name)).unwrap();
        assert_eq!(pulled[0].spec.as_deref(), Some(new_spec.as_str()));
        assert!(apply(&root, &pulled).unwrap());
        assert_eq!(spec_of(&root, &name).as_bytes(), new_spec.as_bytes());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn network_errors_missing_and_broken_blocks_leave_every_file_untouched() {
        let root = scratch_root("pull-errors");
        let server = PageServer::start();
        let name = verbatim_provider(&root, &server.url("/page.md"));
        let before = spec_of(&root, &name);

        // Nothing listens on the port of a stopped server.
        let closed = PageServer::start();
        let closed_url = closed.url("/gone.md");
        drop(closed);
        std::fs::write(
            root.join(format!("specs/{name}/source.yaml")),
            format!("page: {closed_url}\nmarkdown: {closed_url}\n"),
        )
        .unwrap();
        let cases: Vec<(Option<(u16, String)>, &str)> = vec![
            (None, "error sending request"),
            (Some((404, "not here".into())), "HTTP 404"),
            (
                Some((200, "# A page\n\n```bash\ncurl\n```\n".into())),
                "has no ```yaml block",
            ),
            (
                Some((200, page_with("openapi: [3.0.0\n  bad: {\n"))),
                "does not parse",
            ),
            (
                Some((200, page_with("info: {title: t}\n"))),
                "is not an OpenAPI document",
            ),
            (
                Some((200, page_with("swaggerVersion: '1.2'\n"))),
                "unsupported Swagger version \"1.2\"",
            ),
            // Swagger 2.0 is read (converted), then stops where a 3.0 document would.
            (
                Some((
                    200,
                    page_with("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"),
                )),
                "does not generate, nothing written",
            ),
            (
                Some((
                    200,
                    page_with("openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
                )),
                "does not generate, nothing written",
            ),
        ];
        for (page, expect) in cases {
            if let Some((status, body)) = page {
                verbatim_provider(&root, &server.url("/page.md"));
                server.set("/page.md", status, &body);
            }
            let err = run(&root, Some(&name), crate::testing::DATE).unwrap_err();
            assert!(err.contains(expect), "expected {expect:?} in {err:?}");
            assert!(!err.contains('\n'), "one line: {err}");
            assert_eq!(spec_of(&root, &name), before, "{expect}");
        }
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_hand_written_spec_is_flagged_when_its_page_changes() {
        let root = scratch_root("pull-prose");
        let server = PageServer::start();
        let url = server.url("/prose.md");
        let name = providers::names(&root).unwrap()[0].clone();
        let spec_before = spec_of(&root, &name);
        let page = "# List Tasks\n\nReturns tasks.\n\n| status | running |\n";
        let source = format!(
            "page: {url}\nmarkdown: {url}\nopenapi: hand-written\nprose_sha256: {}\n",
            source::sha256(page)
        );
        std::fs::write(root.join(format!("specs/{name}/source.yaml")), &source).unwrap();
        std::fs::write(root.join(format!("specs/{name}/page.md")), page).unwrap();

        server.set("/prose.md", 200, page);
        let pulled = download(&root, Some(&name)).unwrap();
        assert!(pulled[0].prose.is_none() && pulled[0].spec.is_none());

        let new_page = page.replace("| running |", "| running, paused |");
        server.set("/prose.md", 200, &new_page);
        let pulled = download(&root, Some(&name)).unwrap();
        let (text, hash) = pulled[0].prose.clone().unwrap();
        assert_eq!(text, new_page);
        assert!(apply(&root, &pulled).unwrap());
        let page_md = std::fs::read_to_string(root.join(format!("specs/{name}/page.md"))).unwrap();
        assert_eq!(page_md, new_page);
        let recorded = source::load(&root, &name).unwrap().unwrap();
        assert_eq!(recorded.prose_sha256, Some(hash));
        assert_eq!(
            spec_of(&root, &name),
            spec_before,
            "the spec is ours to edit"
        );
        // Recorded now: the next pull says nothing.
        assert!(download(&root, Some(&name)).unwrap()[0].prose.is_none());
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_committed_sources_are_valid_and_their_prose_matches_page_md() {
        let root = crate::workspace::root().unwrap();
        for name in providers::names(&root).unwrap() {
            let source = source::load(&root, &name)
                .unwrap()
                .unwrap_or_else(|| panic!("specs/{name}/source.yaml is missing"));
            assert!(source.page.starts_with("https://"), "{name}");
            if source.tracks_prose() {
                let page = std::fs::read_to_string(root.join(format!("specs/{name}/page.md")))
                    .unwrap_or_else(|e| panic!("specs/{name}/page.md: {e}"));
                assert_eq!(
                    source.prose_sha256.as_deref(),
                    Some(source::sha256(&page).as_str()),
                    "{name}: prose_sha256 is page.md's"
                );
            }
        }
    }
}

//! A scratch Cargo workspace for generated crates that are not part of this one (the
//! corpus's compile sample, the naming tests, `add-provider`'s end-to-end test):
//! the crates are written under `target/`, depend on this workspace's runtime by path,
//! resolve against a copy of its `Cargo.lock`, and share its target directory so that
//! dependencies compile once.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::emit::files::Output;

/// What `cargo check` said: the crates that did not compile, each with its first error.
pub struct Check {
    pub failed: BTreeMap<String, String>,
    pub log: String,
}

/// Writes `crates` (a short name and the generated files of `crates/tasks-sdk-corpus`
/// or any other provider crate) into a workspace at `ws`, renamed
/// `tasks-sdk-<short name>`, and runs one `cargo check --keep-going` over them, test
/// kits included (`--features test-util`).
pub fn check_crates(
    root: &Path,
    ws: &Path,
    crates: &[(String, Vec<Output>)],
) -> Result<Check, String> {
    write_workspace(root, ws, crates)?;
    let io = |e: std::io::Error| format!("{}: {e}", ws.display());
    let output = cargo(root, ws)
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=short",
            "--offline",
            // The test kit is generated code too.
            "--features",
            "test-util",
        ])
        .output()
        .map_err(|e| format!("cargo check: {e}"))?;
    let log = String::from_utf8_lossy(&output.stderr).into_owned();
    std::fs::write(ws.join("check.log"), &log).map_err(io)?;
    let mut failed = BTreeMap::new();
    for (name, _) in crates {
        let krate = format!("tasks-sdk-{name}");
        if log.contains(&format!("could not compile `{krate}`")) {
            let dir = format!("crates/{krate}/");
            let first_error = log
                .lines()
                .find(|l| l.contains(&dir) && l.contains("error"))
                .unwrap_or("(see check.log)")
                .to_owned();
            failed.insert(krate, first_error);
        }
    }
    if !output.status.success() && failed.is_empty() {
        return Err(format!(
            "cargo check failed before compiling the crates (see {}/check.log): {}",
            ws.display(),
            log.lines()
                .rev()
                .find(|l| l.starts_with("error"))
                .unwrap_or("")
        ));
    }
    Ok(Check { failed, log })
}

/// Writes one generated crate into a workspace at `ws` (as [`check_crates`] does), with
/// `tests` (file name, source) in its `tests/` directory, and runs those test targets
/// (`cargo test --test ...`: not its doc tests). The output of cargo and of the tests
/// when they pass, as the error when not.
#[cfg(test)]
pub fn test_crate(
    root: &Path,
    ws: &Path,
    name: &str,
    outputs: Vec<Output>,
    tests: &[(&str, &str)],
) -> Result<String, String> {
    write_workspace(root, ws, &[(name.to_owned(), outputs)])?;
    let dir = ws.join(format!("crates/tasks-sdk-{name}/tests"));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut command = cargo(root, ws);
    command.args(["test", "--offline", "-p", &format!("tasks-sdk-{name}")]);
    for (file, source) in tests {
        std::fs::write(dir.join(file), source).map_err(|e| format!("{file}: {e}"))?;
        command.args(["--test", file.trim_end_matches(".rs")]);
    }
    let output = command.output().map_err(|e| format!("cargo test: {e}"))?;
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    if output.status.success() {
        Ok(log)
    } else {
        Err(log)
    }
}

/// `cargo` in the scratch workspace `ws`, sharing this workspace's target directory.
pub fn cargo(root: &Path, ws: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", root.join("target"));
    command
}

/// The scratch workspace at `ws` with `crates` in it, replacing what was there.
pub fn write_workspace(
    root: &Path,
    ws: &Path,
    crates: &[(String, Vec<Output>)],
) -> Result<(), String> {
    let io = |e: std::io::Error| format!("{}: {e}", ws.display());
    let _ = std::fs::remove_dir_all(ws);
    std::fs::create_dir_all(ws.join("crates")).map_err(io)?;
    for (name, outputs) in crates {
        for output in outputs {
            // Generated paths are `crates/tasks-sdk-<provider>/...`.
            let path = output.path.to_string_lossy();
            let mut parts = path.splitn(3, '/');
            let (Some("crates"), Some(krate), Some(rest)) =
                (parts.next(), parts.next(), parts.next())
            else {
                continue; // a shared file (facade, README): not part of a crate
            };
            let old = krate.to_owned();
            let contents = output
                .contents
                .replace(&old, &format!("tasks-sdk-{name}"))
                .replace(&old.replace('-', "_"), &format!("tasks_sdk_{name}"));
            let target = ws
                .join("crates")
                .join(format!("tasks-sdk-{name}"))
                .join(rest);
            std::fs::create_dir_all(target.parent().expect("a file in a crate")).map_err(io)?;
            std::fs::write(&target, contents).map_err(io)?;
        }
    }
    // This workspace's dependency table and package fields, with paths made absolute.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let deps = manifest
        .split_once("[workspace.dependencies]")
        .map(|(_, d)| d)
        .ok_or("Cargo.toml has no [workspace.dependencies]")?
        .replace(
            "path = \"crates/",
            &format!("path = \"{}/crates/", root.display()),
        );
    let package = manifest
        .split_once("[workspace.package]")
        .and_then(|(_, p)| p.split_once("\n[").map(|(p, _)| p))
        .ok_or("Cargo.toml has no [workspace.package]")?;
    std::fs::write(
        ws.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [\"crates/*\"]\n\n[workspace.package]{package}\n[workspace.dependencies]{deps}"
        ),
    )
    .map_err(io)?;
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).map_err(io)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CORPUS_PROVIDER;

    /// Regen never exits 0 with code that does not compile: a spec with camelCase,
    /// kebab-case, reserved, colliding and digit-led names, a page-number stream keyed
    /// by `pageNumber`, every auth kind and bodies progenitor cannot type goes through
    /// the whole pipeline, and the crate it writes passes `cargo check`.
    #[test]
    fn a_spec_with_hostile_names_generates_a_crate_that_compiles() {
        let root = crate::workspace::root().unwrap();
        let spec = root.join("xtask/corpus/hostile_names.yaml");
        let doc = crate::document::load(&spec).unwrap();
        let mut prepared = crate::model::prepare_doc(
            CORPUS_PROVIDER,
            "xtask/corpus/hostile_names.yaml".into(),
            doc,
            None,
        )
        .unwrap();
        let outputs = crate::emit::generate(&mut prepared).unwrap();
        let lib = &outputs
            .iter()
            .find(|o| o.path.ends_with("src/lib.rs"))
            .unwrap()
            .contents;
        assert!(
            lib.contains("# Multipart uploads") && lib.contains("[`Client::upload`]"),
            "skipped upload is listed:\n{lib}"
        );
        assert!(
            !lib.contains("parameter `where`") && !lib.contains("parameter `session`"),
            "a deepObject and a cookie parameter are generated:\n{lib}"
        );
        let ws = root.join("target/xtask-tests/hostile-names");
        let check = check_crates(&root, &ws, &[("hostile".into(), outputs)]).unwrap();
        assert!(check.failed.is_empty(), "{}", check.log);
    }

    /// Operation groups as cargo features: the crate generated from
    /// `operation_groups.yaml` (tags, a renamed `Default` tag, an untagged operation,
    /// types shared by two groups, types no operation uses, a stream, typed error
    /// bodies) passes `cargo check` with its test kit with every group (default
    /// features), with one group alone and with none, without a warning of its own;
    /// built with the list operation's group alone and its test kit, its stream reads
    /// every page from the test kit's mock server (`xtask/scratch/one_group.rs`).
    #[test]
    fn a_crate_compiles_with_one_operation_group_and_with_all() {
        let root = crate::workspace::root().unwrap();
        let spec = "xtask/corpus/operation_groups.yaml";
        let doc = crate::document::load(&root.join(spec)).unwrap();
        let mut prepared =
            crate::model::prepare_doc(CORPUS_PROVIDER, spec.into(), doc, None).unwrap();
        let outputs = crate::emit::generate(&mut prepared).unwrap();
        let ws = root.join("target/xtask-tests/operation-groups");
        write_workspace(&root, &ws, &[("groups".into(), outputs)]).unwrap();
        for features in [
            &["--features", "test-util"][..],
            &[
                "--no-default-features",
                "--features",
                "rustls,test-util,users",
            ],
            &["--no-default-features", "--features", "rustls,task_runs"],
            &["--no-default-features", "--features", "rustls,test-util"],
        ] {
            let output = cargo(&root, &ws)
                .args(["check", "--offline", "--message-format=short"])
                .args(["-p", "tasks-sdk-groups"])
                .args(features)
                .output()
                .unwrap();
            let log = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "{features:?}:\n{log}");
            assert!(
                !log.contains("tasks-sdk-groups/src/"),
                "{features:?}: no warning of the crate's own:\n{log}"
            );
        }
        // One group, run: the crate's own dev-dependency on itself takes no default
        // features, so the test is built with `task_runs` alone.
        let tests = ws.join("crates/tasks-sdk-groups/tests");
        std::fs::create_dir_all(&tests).unwrap();
        std::fs::write(
            tests.join("one_group.rs"),
            include_str!("../../scratch/one_group.rs"),
        )
        .unwrap();
        let output = cargo(&root, &ws)
            .args(["test", "--offline", "-p", "tasks-sdk-groups"])
            .args(["--no-default-features", "--features"])
            .args(["rustls,task_runs,test-util", "--test", "one_group"])
            .output()
            .unwrap();
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(output.status.success(), "{log}");
        assert!(log.contains("test result: ok. 2 passed"), "{log}");
    }

    /// Media types through the generated code: the crate generated from
    /// `media_types.yaml` sends a JSON variant with its own `Content-Type` and `Accept`,
    /// and a form body with arrays and objects, to a local server; its test kit answers
    /// a form with its required fields and refuses one without with a 400
    /// (`xtask/scratch/media_types.rs`).
    #[test]
    fn media_types_go_on_the_wire_as_the_document_says() {
        let root = crate::workspace::root().unwrap();
        let spec = "xtask/corpus/media_types.yaml";
        let doc = crate::document::load(&root.join(spec)).unwrap();
        let mut prepared =
            crate::model::prepare_doc(CORPUS_PROVIDER, spec.into(), doc, None).unwrap();
        let outputs = crate::emit::generate(&mut prepared).unwrap();
        let ws = root.join("target/xtask-tests/media-types");
        let log = test_crate(
            &root,
            &ws,
            "media",
            outputs,
            &[(
                "media_types.rs",
                include_str!("../../scratch/media_types.rs"),
            )],
        )
        .unwrap_or_else(|log| panic!("the scratch crate's tests failed:\n{log}"));
        assert!(log.contains("test result: ok. 3 passed"), "{log}");
    }

    /// Event streams, uploads and downloads through the generated code: the crate
    /// generated from `streams_uploads.yaml` uploads files as multipart parts checked
    /// byte for byte, reads every event from a local server that splits them across
    /// chunks anywhere (typed data, a terminator, a string stream, events beside JSON),
    /// downloads a body, reads a text body, and does the same through its own test kit,
    /// which refuses an upload without a required part with a 400
    /// (`xtask/scratch/streams_uploads.rs`).
    #[test]
    fn streams_uploads_and_downloads_go_through_generated_code() {
        let root = crate::workspace::root().unwrap();
        let spec = "xtask/corpus/streams_uploads.yaml";
        let doc = crate::document::load(&root.join(spec)).unwrap();
        let mut prepared =
            crate::model::prepare_doc(CORPUS_PROVIDER, spec.into(), doc, None).unwrap();
        assert!(prepared.warnings.is_empty(), "{:?}", prepared.warnings);
        let outputs = crate::emit::generate(&mut prepared).unwrap();
        let lib = &outputs
            .iter()
            .find(|o| o.path.ends_with("src/lib.rs"))
            .unwrap()
            .contents;
        assert!(
            lib.contains("# Event streams, downloads and uploads"),
            "{lib}"
        );
        assert!(!lib.contains("# Multipart uploads"), "{lib}");
        let ws = root.join("target/xtask-tests/streams-uploads");
        let log = test_crate(
            &root,
            &ws,
            "streams",
            outputs,
            &[(
                "streams_uploads.rs",
                include_str!("../../scratch/streams_uploads.rs"),
            )],
        )
        .unwrap_or_else(|log| panic!("the scratch crate's tests failed:\n{log}"));
        assert!(log.contains("test result: ok. 6 passed"), "{log}");
    }

    /// Every pagination style, declared or detected, through the generated code: the
    /// crate generated from `pagination_styles.yaml` runs `xtask/scratch/
    /// pagination_styles.rs` against a local server (all items once and in order, the
    /// exact requests, lazy pages, guards, bounds), and `test_kit_styles.rs` against its
    /// own generated test kit (pages served in each style and read back). One `cargo test` in the scratch
    /// workspace, sharing this workspace's target directory.
    #[test]
    fn every_pagination_style_streams_through_generated_code() {
        let root = crate::workspace::root().unwrap();
        let spec = "xtask/corpus/pagination_styles.yaml";
        let doc = crate::document::load(&root.join(spec)).unwrap();
        let mut prepared =
            crate::model::prepare_doc(CORPUS_PROVIDER, spec.into(), doc, None).unwrap();
        let detected: Vec<(&str, bool)> = prepared
            .operations
            .iter()
            .filter(|op| op.pagination.is_some())
            .map(|op| (op.id.as_str(), op.pagination_detected))
            .collect();
        assert_eq!(
            detected,
            [
                ("list_cursor", false),
                ("list_tokens", true),
                ("list_pages_total_items", true),
                ("list_pages_total_pages", false),
                ("list_pages_has_next", false),
                ("list_pages_short", false),
                ("list_offset_total", false),
                ("list_offset_short", true),
                ("list_links_body", false),
                ("list_links_odata", true),
                ("list_links_header", true),
                ("list_start_index", true),
            ]
        );
        let outputs = crate::emit::generate(&mut prepared).unwrap();
        let code = &outputs
            .iter()
            .find(|o| o.path.ends_with("src/generated.rs"))
            .unwrap()
            .contents;
        // A detected pagination the types cannot follow (offsets from 0 into a parameter
        // that is at least 1): no stream, and no error.
        assert_eq!(code.matches("pub fn stream(self)").count(), 11);
        let start_index = code
            .split("impl<'a> builder::ListStartIndex<'a> {")
            .nth(1)
            .unwrap();
        let start_index = start_index.split("\nimpl").next().unwrap();
        assert!(!start_index.contains("pub fn stream"), "{start_index}");

        let ws = root.join("target/xtask-tests/pagination-styles");
        let log = test_crate(
            &root,
            &ws,
            "paging",
            outputs,
            &[
                (
                    "pagination_styles.rs",
                    include_str!("../../scratch/pagination_styles.rs"),
                ),
                (
                    "test_kit_styles.rs",
                    include_str!("../../scratch/test_kit_styles.rs"),
                ),
            ],
        )
        .unwrap_or_else(|log| panic!("the scratch crate's tests failed:\n{log}"));
        assert!(log.contains("test result: ok. 12 passed"), "{log}");
        // The test kit's pages in every style, read back by the client.
        assert!(log.contains("test result: ok. 2 passed"), "{log}");
    }

    /// Every row of the parameter serialization table through the generated code: the
    /// crate generated from `parameter_styles.yaml` runs `xtask/scratch/
    /// parameter_styles.rs` against a local server, which checks the raw path, query,
    /// headers and cookies it receives byte for byte.
    #[test]
    fn every_parameter_style_reaches_the_server_as_the_table_says() {
        let root = crate::workspace::root().unwrap();
        let spec = "xtask/corpus/parameter_styles.yaml";
        let doc = crate::document::load(&root.join(spec)).unwrap();
        let mut prepared =
            crate::model::prepare_doc(CORPUS_PROVIDER, spec.into(), doc, None).unwrap();
        let outputs = crate::emit::generate(&mut prepared).unwrap();
        assert!(prepared.warnings.is_empty(), "{:?}", prepared.warnings);
        let lib = &outputs
            .iter()
            .find(|o| o.path.ends_with("src/lib.rs"))
            .unwrap()
            .contents;
        assert!(!lib.contains("# Not generated"), "{lib}");

        let ws = root.join("target/xtask-tests/parameter-styles");
        let log = test_crate(
            &root,
            &ws,
            "styles",
            outputs,
            &[(
                "parameter_styles.rs",
                include_str!("../../scratch/parameter_styles.rs"),
            )],
        )
        .unwrap_or_else(|log| panic!("the scratch crate's tests failed:\n{log}"));
        assert!(log.contains("test result: ok. 10 passed"), "{log}");
    }

    /// Every `example::<T>()` of a generated test kit is valid for its type's schema:
    /// the crate generated from `constrained_examples.yaml` (bounds, formats, patterns
    /// generated or the schema's own, lookaheads, `minItems`, `uniqueItems`,
    /// `multipleOf`, `oneOf`, parameters and an inline body) serializes the example of
    /// each of its types in a test of its own, and each is checked here against the
    /// schema the generator found for the type, with a JSON Schema validator. The same
    /// crate's test kit checks request bodies (`xtask/scratch/request_bodies.rs`): the
    /// example body is answered, one without a required field or with a string below its
    /// `minLength`, sent by hand, gets a 400 naming the field.
    #[test]
    fn every_test_kit_example_is_valid_for_its_schema() {
        let root = crate::workspace::root().unwrap();
        let spec = "xtask/corpus/constrained_examples.yaml";
        let doc = crate::document::load(&root.join(spec)).unwrap();
        let mut prepared =
            crate::model::prepare_doc(CORPUS_PROVIDER, spec.into(), doc, None).unwrap();
        let outputs = crate::emit::generate(&mut prepared).unwrap();
        let generated: syn::File = syn::parse_str(
            &outputs
                .iter()
                .find(|o| o.path.ends_with("src/generated.rs"))
                .unwrap()
                .contents,
        )
        .unwrap();
        let schemas = crate::emit::test_kit::examples::type_schemas(&prepared, &generated);
        let mut names: Vec<&String> = schemas.keys().collect();
        names.sort();
        assert!(names.len() >= 20, "{names:?}");
        let lines: String = names
            .iter()
            .map(|name| {
                format!(
                    "    out.insert(\"{name}\".into(), serde_json::to_value(example::<types::{name}>()).unwrap());\n"
                )
            })
            .collect();
        let test = format!(
            "use tasks_sdk_examples::testing::example;\nuse tasks_sdk_examples::types;\n\n\
             #[test]\nfn every_example_serializes() {{\n    \
             let mut out = serde_json::Map::new();\n{lines}    \
             let path = concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/examples.json\");\n    \
             std::fs::write(path, serde_json::to_string(&out).unwrap()).unwrap();\n}}\n"
        );
        let ws = root.join("target/xtask-tests/examples");
        let log = test_crate(
            &root,
            &ws,
            "examples",
            outputs,
            &[
                ("examples.rs", &test),
                (
                    "request_bodies.rs",
                    include_str!("../../scratch/request_bodies.rs"),
                ),
            ],
        )
        .unwrap_or_else(|log| panic!("the scratch crate's tests failed:\n{log}"));
        // The examples, and the test kit's check of request bodies.
        assert_eq!(log.matches("test result: ok. 1 passed").count(), 2, "{log}");
        let written =
            std::fs::read_to_string(ws.join("crates/tasks-sdk-examples/examples.json")).unwrap();
        let examples: serde_json::Value = serde_json::from_str(&written).unwrap();
        let validator = crate::tests::examples::Schemas::new(&prepared.doc).unwrap();
        let mut failures = Vec::new();
        for name in names {
            let (schema, _) = &schemas[name];
            let example = &examples[name.as_str()];
            let errors = validator.violations(schema, example).unwrap();
            if !errors.is_empty() {
                failures.push(format!("{name} {example}: {}", errors.join("; ")));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        // The pattern newtypes' examples are what was generated for them.
        assert_eq!(examples["Word"], "alpha");
        assert_eq!(examples["Twice"], "abab");
        assert!(examples["Thing"]["messages"].as_array().unwrap().len() == 1);
    }
}

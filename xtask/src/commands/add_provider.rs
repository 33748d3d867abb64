//! `cargo xtask add-provider <name> --spec <file>`: a new provider in one command.
//!
//! It copies the published document verbatim to `specs/<name>/openapi.yaml`, detects
//! what the unified model needs (the operation that lists tasks, how it pages, the
//! task's id/name/status/time fields, the status mapping and filter, the display
//! title and env vars), writes them as a starter `specs/<name>/overlay.yaml` with a
//! comment on each guess, runs regen (which registers the provider everywhere: the
//! folder is the registration), adds the crate to `Cargo.lock`, and prints what it
//! detected and what a maintainer should review. If the document cannot be generated,
//! nothing is left behind.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use serde_json::{Value, json};

use crate::document;
use crate::document::providers::{self, ProviderInfo};
use crate::model::guess::{Detection, Dropped, detect};

/// The command: `root` is the workspace, `operation` overrides the detected list
/// operation (`GET /path` or an operationId), `page` is the documentation page the
/// document was published on (written to `specs/<name>/source.yaml` for
/// `cargo xtask pull`).
pub fn run(
    root: &Path,
    name: &str,
    spec_path: &Path,
    operation: Option<&str>,
    page: Option<&str>,
    date: &str,
) -> Result<ExitCode, String> {
    providers::check_name(name)?;
    let folder = root.join("specs").join(name);
    if folder.exists() {
        return Err(format!(
            "specs/{name}/ exists already: to update a provider's document, run `cargo xtask pull {name}` (or replace its openapi.yaml and run `cargo xtask regen`)"
        ));
    }
    let text = std::fs::read_to_string(spec_path)
        .map_err(|e| format!("{}: cannot read: {e}", spec_path.display()))?;
    let doc = document::parse(&text).map_err(|e| format!("{}: {e}", spec_path.display()))?;
    let spec_file = format!("specs/{name}/openapi.yaml");
    // Errors name the user's file, not the copy that is rolled back.
    let theirs = |e: String| e.replace(&spec_file, &spec_path.display().to_string());
    let mut detection = detect(name, &spec_file, doc, operation).map_err(theirs)?;

    let krate = root.join("crates").join(format!("tasks-sdk-{name}"));
    if krate.exists() {
        return Err(format!(
            "crates/tasks-sdk-{name}/ exists already: remove it or choose another name"
        ));
    }
    let lock_file = root.join("Cargo.lock");
    let lock_before = std::fs::read(&lock_file).map_err(|e| format!("Cargo.lock: {e}"))?;
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let result = (|| {
        std::fs::write(folder.join("openapi.yaml"), &text)
            .map_err(|e| format!("{spec_file}: {e}"))?;
        if let Some(page) = page {
            let source = format!(
                "# Where specs/{name}/openapi.yaml comes from (read by `cargo xtask pull {name}`; specs/README.md).\npage: {page}\nmarkdown: {page}.md\nopenapi: verbatim\n"
            );
            crate::release::source::parse(&source).map_err(|e| format!("--page {page}: {e}"))?;
            std::fs::write(folder.join(crate::release::source::FILE), source)
                .map_err(|e| format!("specs/{name}/{}: {e}", crate::release::source::FILE))?;
        }
        // A guess that stops regen is dropped (and said), never the provider: first the
        // task mapping, then the pagination; what is left is the document's own.
        loop {
            std::fs::write(
                folder.join("overlay.yaml"),
                overlay_yaml(name, spec_path, &detection),
            )
            .map_err(|e| format!("specs/{name}/overlay.yaml: {e}"))?;
            match crate::commands::regen::regen(root, None, false, date) {
                Ok(_) => break,
                Err(e) if drop_failed_guess(&mut detection, &e) => continue,
                Err(e) => return Err(e),
            }
        }
        lock(root)
    })();
    if let Err(e) = result {
        let e = theirs(e);
        // Back to the tree as it was: no folder, no crate, the old lock file, and the
        // shared files regenerated without the provider.
        let _ = std::fs::remove_dir_all(&folder);
        let _ = std::fs::remove_dir_all(&krate);
        let _ = std::fs::write(&lock_file, &lock_before);
        let restored = crate::commands::regen::regen(root, None, false, date);
        let restored = match restored {
            Ok(_) => "nothing was added".to_owned(),
            Err(again) => format!("restoring the shared files failed too: {again}"),
        };
        return Err(format!("{e}\nadd-provider: {restored}"));
    }

    let info = ProviderInfo::from_doc(
        name,
        &json!({"info": {"x-provider": provider_facts(name, &detection)}}),
    )?;
    println!("\nadded provider `{name}` ({}):", info.title);
    println!("  specs/{name}/openapi.yaml   the document, verbatim");
    println!("  specs/{name}/overlay.yaml   what was detected (review it):");
    for guess in &detection.guesses {
        println!("    - {guess}");
    }
    println!(
        "  crates/tasks-sdk-{name}/     the generated crate; the facade has feature and module `{name}`"
    );
    println!(
        "  credential: {} (base URL: {}, or the spec's server)",
        info.api_key_env, info.base_url_env
    );
    if !detection.review.is_empty() {
        println!("\nreview before committing:");
        for item in &detection.review {
            println!("  - {item}");
        }
    }
    if detection.x_task.is_some() {
        println!(
            "\nthen: cargo build --workspace && {}=... cargo run -p tasks-cli -- list --provider {name}",
            info.api_key_env
        );
    } else {
        println!(
            "\nthen: cargo build --workspace; the client is `tasks_sdk_{name}::Client`. The facade \
             lists its tasks once `x-task` is filled in (specs/{name}/overlay.yaml) and \
             `cargo xtask regen` has run."
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds the new crate to `Cargo.lock` (CI builds with `--locked`), changing no other
/// entry: `cargo update --workspace` only locks the workspace's own packages.
fn lock(root: &Path) -> Result<(), String> {
    let output =
        std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(root)
            .args(["update", "--workspace", "--offline", "--quiet"])
            .output()
            .map_err(|e| format!("cargo update: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo update --workspace (to add the crate to Cargo.lock) failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// Drops the guess `error` (from regen) blames, with a review item saying so: the one
/// `x-task` field the error names (`` `created_at: created`: ...``; `status` takes its
/// `statuses` along), kept as a comment in the overlay; the whole `x-task` when the
/// error names its id or no field of it (or is about the overlay); the `x-pagination`
/// with it when the pagination is wrong (the task mapping reads the stream). `false`:
/// the error is not about a guess of ours, or nothing is left to drop: it is the
/// document's.
fn drop_failed_guess(d: &mut Detection, error: &str) -> bool {
    let error = error.lines().next().unwrap_or_default();
    let pagination_blamed = error.contains("x-pagination") && !error.contains("x-task");
    let ours = pagination_blamed || error.contains("x-task") || error.contains("overlay.yaml");
    if !ours || (d.x_task.is_none() && (d.pagination.is_none() || !pagination_blamed)) {
        return false;
    }
    if !pagination_blamed && drop_task_field(d, error) {
        return true;
    }
    d.x_task = None;
    if pagination_blamed {
        d.pagination = None;
    }
    d.review.push(format!(
        "{} did not generate ({error}): left out of the overlay; fill it in by hand",
        if pagination_blamed {
            "the detected x-pagination and x-task"
        } else {
            "the detected x-task"
        }
    ));
    true
}

/// The x-task keys an error can name, as regen writes them: `` `key: path` `` (the
/// emitter: the field's Rust type) or `` `key.…` ``/`` `key: …` `` (the model's checks).
const DROPPABLE: &[&str] = &[
    "name",
    "status",
    "created_at",
    "updated_at",
    "statuses",
    "status_filter",
];

/// Drops the one field of the guessed `x-task` that `error` names first (its first
/// `` `…` ``), if it is not the id: `true` when one was.
fn drop_task_field(d: &mut Detection, error: &str) -> bool {
    let Some(Value::Object(task)) = &mut d.x_task else {
        return false;
    };
    let Some(quoted) = error.split('`').nth(1) else {
        return false;
    };
    let Some(key) = DROPPABLE.iter().copied().find(|k| {
        quoted
            .strip_prefix(k)
            .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('.'))
    }) else {
        return false;
    };
    let path = quoted
        .strip_prefix(key)
        .and_then(|rest| rest.strip_prefix(": "))
        .map(str::to_owned);
    let mut dropped = Vec::new();
    match (key, task.get_mut(key)) {
        // One path of several: the others stay.
        ("updated_at", Some(Value::Array(paths))) if paths.len() > 1 => {
            let Some(at) = paths.iter().position(|p| p.as_str() == path.as_deref()) else {
                return false;
            };
            dropped.push((key, paths.remove(at)));
        }
        (_, Some(_)) => {
            dropped.extend(task.shift_remove(key).map(|v| (key, v)));
            // Without its field, the status mapping means nothing (the server filter
            // still filters).
            if key == "status" {
                dropped.extend(task.shift_remove("statuses").map(|v| ("statuses", v)));
            }
        }
        (_, None) => return false,
    }
    let what: Vec<String> = dropped.iter().map(|(k, _)| format!("`{k}`")).collect();
    d.review.push(format!(
        "x-task {} did not generate ({error}): commented out in the overlay, the rest of the \
         x-task kept; fix it by hand or leave it out",
        what.join(" and ")
    ));
    d.dropped
        .extend(dropped.into_iter().map(|(key, value)| Dropped {
            key: key.to_owned(),
            value,
            why: error.to_owned(),
        }));
    true
}

fn provider_facts(name: &str, d: &Detection) -> Value {
    let upper = name.to_uppercase();
    json!({
        "title": d.title,
        "api_key_env": format!("{upper}_API_KEY"),
        "base_url_env": format!("{upper}_BASE_URL"),
    })
}

/// YAML for `value`, indented by `indent` spaces (serde's quoting).
fn yaml(value: &Value, indent: usize) -> String {
    let text = serde_norway::to_string(value).unwrap_or_default();
    let pad = " ".repeat(indent);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

/// The starter overlay: the provider's facts, then the list operation's `x-pagination`
/// and `x-task`, each guess as a comment; what was not recognized as commented lines.
pub fn overlay_yaml(name: &str, spec_path: &Path, d: &Detection) -> String {
    let target = match &d.list_operation {
        Some((path, method)) => format!("$.paths{}.{method}", document::segment(path)),
        None => "$.paths['/<the path that lists tasks>'].get".to_owned(),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `cargo xtask add-provider {name}` from {}.\n\
         # Every value below is a guess from the document's names: review, edit, then run\n\
         # `cargo xtask regen`. specs/README.md documents each extension.",
        spec_path
            .file_name()
            .map(|f| f.to_string_lossy())
            .unwrap_or_default()
    );
    out.push_str("overlay: 1.0.0\ninfo:\n");
    out.push_str(&yaml(&json!({"title": format!("tasks-sdk changes to {}'s published OpenAPI document", d.title), "version": "1.0.0"}), 2));
    out.push_str("actions:\n");
    out.push_str("  # The display title (from info.title) and the default env var names.\n");
    out.push_str("  - target: $.info\n    description: Provider facts the document does not state (`x-provider`).\n    update:\n");
    out.push_str(&yaml(&json!({"x-provider": provider_facts(name, d)}), 6));
    out.push_str("  # Detected:\n");
    for guess in &d.guesses {
        let _ = writeln!(out, "  #   {}", guess.replace('\n', " "));
    }
    let mut update = serde_json::Map::new();
    if let Some(p) = &d.pagination {
        update.insert("x-pagination".into(), p.clone());
    }
    if let Some(task) = &d.x_task {
        update.insert("x-task".into(), task.clone());
    }
    if !update.is_empty() {
        let _ = writeln!(out, "  - target: {}", yaml(&json!(target), 0).trim());
        out.push_str("    description: >-\n      How the list is paged (`x-pagination`) and how the facade reads a task (`x-task`).\n    update:\n");
        out.push_str(&yaml(&Value::Object(update), 6));
        // The x-task is the update's last key: its dropped fields go at its end.
        if d.x_task.is_some() {
            for dropped in &d.dropped {
                // The error from the field it names on, without the place (the action's).
                let why = &dropped.why[dropped.why.find('`').unwrap_or(0)..];
                let why = why.rsplit_once(" at $").map_or(why, |(what, _)| what);
                let _ = writeln!(
                    out,
                    "        # Did not generate: {}",
                    why.replace('\n', " ")
                );
                let field = yaml(&json!({&dropped.key: dropped.value}), 0);
                for line in field.lines() {
                    let _ = writeln!(out, "        # {line}");
                }
            }
        }
    }
    if d.x_task.is_none() {
        // What was not recognized is a comment to fill in, never a value that breaks regen.
        let target = yaml(&json!(target), 0);
        for line in [
            "Not detected: how the facade reads a task, so it does not list this provider's",
            "tasks yet. Uncomment, fill in (specs/README.md, `x-task`), run `cargo xtask regen`:",
            &format!("- target: {}", target.trim()),
            "  update:",
            "    x-task:",
            "      id: <the task's id field>",
            "      name: <its name field (optional)>",
            "      status: <its status field (optional)>",
        ] {
            let _ = writeln!(out, "  # {line}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detection(x_task: Option<Value>, pagination: Option<Value>) -> Detection {
        Detection {
            title: "Acme".into(),
            list_operation: Some(("/tasks".into(), "get".into())),
            pagination,
            x_task,
            guesses: vec!["task id: `id`".into()],
            review: Vec::new(),
            dropped: Vec::new(),
        }
    }

    #[test]
    fn an_undetected_task_mapping_is_a_commented_template() {
        let d = detection(None, Some(json!({"style": "none"})));
        let overlay = overlay_yaml("acme", Path::new("acme.json"), &d);
        assert!(
            overlay.contains("      x-pagination:\n        style: none\n"),
            "{overlay}"
        );
        assert!(
            !overlay.contains("\n      x-task:"),
            "no x-task value: {overlay}"
        );
        assert!(overlay.contains("  # - target: $.paths['/tasks'].get\n  #   update:\n  #     x-task:\n  #       id: <the task's id field>"), "{overlay}");
        // It is an overlay regen reads: the comments are comments.
        let parsed = crate::document::parse(&overlay).unwrap();
        assert_eq!(parsed["actions"].as_array().unwrap().len(), 2);
        let d = Detection {
            list_operation: None,
            ..detection(None, None)
        };
        let overlay = overlay_yaml("acme", Path::new("acme.json"), &d);
        assert_eq!(
            crate::document::parse(&overlay).unwrap()["actions"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert!(overlay.contains("# - target: $.paths['/<the path that lists tasks>'].get"));
    }

    /// Only the field regen refuses goes, commented out in the overlay and said; the
    /// rest of the `x-task` stays. Run as `run` does, with the generator in place of
    /// regen, on a tiny document whose `created_on` is a date (no time of day) and one
    /// of whose two `updated_at` paths is one too.
    #[test]
    fn only_the_field_that_stops_regen_is_commented_out() {
        let doc = |x_task: &Value| {
            json!({
                "openapi": "3.0.3",
                "info": {"title": "Acme", "version": "1"},
                "servers": [{"url": "https://acme.test"}],
                "paths": {"/tasks": {"get": {
                    "operationId": "listTasks",
                    "x-pagination": {"style": "none"},
                    "x-task": x_task,
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "array", "items": {"type": "object", "required": ["id"], "properties": {
                            "id": {"type": "string"},
                            "state": {"type": "string", "enum": ["running", "done"]},
                            "created_on": {"type": "string", "format": "date"},
                            "closed_on": {"type": "string", "format": "date"},
                            "updated_at": {"type": "integer"}
                        }}
                    }}}}}
                }}}
            })
        };
        let mut d = detection(
            Some(json!({
                "id": "id", "created_at": "created_on", "updated_at": ["closed_on", "updated_at"],
                "status": "state", "statuses": {"running": "Running", "done": "Succeeded"}
            })),
            Some(json!({"style": "none"})),
        );
        let mut attempts = 0;
        loop {
            attempts += 1;
            let doc = doc(d.x_task.as_ref().unwrap());
            let mut prepared =
                crate::model::prepare_doc("acme", "specs/acme/openapi.yaml".into(), doc, None)
                    .unwrap();
            match crate::emit::generate_with_source(&mut prepared) {
                Ok(_) => break,
                Err(e) => assert!(drop_failed_guess(&mut d, &e), "{e}"),
            }
        }
        assert_eq!(attempts, 3);
        assert_eq!(
            d.x_task,
            Some(json!({
                "id": "id", "updated_at": ["updated_at"],
                "status": "state", "statuses": {"running": "Running", "done": "Succeeded"}
            }))
        );
        assert_eq!(
            d.dropped
                .iter()
                .map(|x| (x.key.as_str(), x.value.clone()))
                .collect::<Vec<_>>(),
            [
                ("created_at", json!("created_on")),
                ("updated_at", json!("closed_on"))
            ]
        );
        assert!(
            d.review[0].starts_with(
                "x-task `created_at` did not generate (specs/acme/openapi.yaml: `created_at: created_on`: not a date-time"
            ),
            "{:?}",
            d.review
        );
        assert!(d.review[0].ends_with("commented out in the overlay, the rest of the x-task kept; fix it by hand or leave it out"));
        let overlay = overlay_yaml("acme", Path::new("acme.json"), &d);
        assert!(
            overlay.contains(
                "      x-task:\n        id: id\n        updated_at:\n        - updated_at\n"
            ),
            "{overlay}"
        );
        assert!(
            overlay.contains("        # Did not generate: `created_at: created_on`: not a date-time (`format: date-time`), a string nor an integer (Unix time)\n")
                && overlay.contains("        # created_at: created_on\n")
                && overlay.contains("        # updated_at: closed_on\n"),
            "{overlay}"
        );
        // The overlay regen reads has the x-task without them.
        let parsed = crate::document::parse(&overlay).unwrap();
        assert_eq!(
            parsed["actions"][1]["update"]["x-task"],
            d.x_task.clone().unwrap()
        );

        // A status goes with its mapping; the server's filter stays.
        let mut d = detection(
            Some(
                json!({"id": "id", "status": "state", "statuses": {"a": "Running"}, "status_filter": {"param": "state"}}),
            ),
            None,
        );
        assert!(drop_failed_guess(
            &mut d,
            "specs/acme/openapi.yaml: `status: state`: an object or a list, not a text or a number at $.paths['/tasks'].get.x-task"
        ));
        assert_eq!(
            d.x_task,
            Some(json!({"id": "id", "status_filter": {"param": "state"}}))
        );
        assert!(d.review[0].starts_with("x-task `status` and `statuses` did not generate"));
    }

    #[test]
    fn a_guess_that_stops_regen_is_dropped_and_said() {
        let mut d = detection(Some(json!({"id": "meta"})), Some(json!({"style": "none"})));
        assert!(drop_failed_guess(
            &mut d,
            "specs/acme/openapi.yaml: `id: meta`: an object or a list, not a text or a number at $.paths['/tasks'].get.x-task"
        ));
        assert_eq!((d.x_task.is_none(), d.pagination.is_some()), (true, true));
        assert!(d.review[0].starts_with(
            "the detected x-task did not generate (specs/acme/openapi.yaml: `id: meta`"
        ));
        let mut d = detection(Some(json!({"id": "id"})), Some(json!({"style": "cursor"})));
        assert!(drop_failed_guess(
            &mut d,
            "x-pagination `next_cursor: next`: no field `next` in the page"
        ));
        assert_eq!((d.x_task, d.pagination), (None, None));
        // The document's own errors are not ours to drop; nor is anything once dropped.
        let mut d = detection(Some(json!({"id": "id"})), None);
        assert!(!drop_failed_guess(
            &mut d,
            "specs/acme/openapi.yaml: progenitor cannot generate a client"
        ));
        let mut d = detection(None, None);
        assert!(!drop_failed_guess(&mut d, "x-task: anything"));
    }
}

#[cfg(test)]
mod end_to_end {
    use std::path::{Path, PathBuf};
    use std::process::Command;

    /// A copy of what a workspace build reads: manifests, lock file, crates, specs.
    fn copy_workspace(root: &Path, to: &Path) {
        let _ = std::fs::remove_dir_all(to);
        fn copy_dir(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).unwrap();
            for entry in std::fs::read_dir(from).unwrap() {
                let entry = entry.unwrap();
                let name = entry.file_name();
                if name == "target" || name == "node_modules" {
                    continue;
                }
                let (src, dst) = (entry.path(), to.join(&name));
                if src.is_dir() {
                    copy_dir(&src, &dst);
                } else {
                    std::fs::copy(&src, &dst).unwrap();
                }
            }
        }
        for dir in ["crates", "xtask", "specs"] {
            copy_dir(&root.join(dir), &to.join(dir));
        }
        for file in ["Cargo.toml", "Cargo.lock", "README.md"] {
            std::fs::copy(root.join(file), to.join(file)).unwrap();
        }
    }

    /// The check, on a scratch copy of the workspace: a page-number 3.1 document
    /// (`pageNumber`/`pageSize`, a `totalItems` count, an `X-…-API-Key` header, FastAPI's
    /// 422 body) becomes a provider with one command and no file edited by hand; the
    /// facade then lists every task from a local server with no request past the end.
    /// The provider is named `box`, a Rust keyword: its facade module is `r#box`.
    #[test]
    fn add_provider_then_the_facade_lists_every_task_from_a_local_server() {
        let root = crate::workspace::root().unwrap();
        let ws: PathBuf = root.join("target/xtask-tests/add-provider");
        copy_workspace(&root, &ws);
        let spec = root.join("xtask/fixtures/acme_tasks.yaml");

        super::run(&ws, "box", &spec, None, None, crate::testing::DATE).unwrap();

        let overlay = std::fs::read_to_string(ws.join("specs/box/overlay.yaml")).unwrap();
        for expected in [
            "title: Acme Tasks",
            "api_key_env: BOX_API_KEY",
            "target: $.paths['/v2/tasks'].get",
            "page_param: pageNumber",
            "limit_param: pageSize",
            "total_items: totalItems",
            "id: taskId",
            "name: title",
            "status: state",
            "in_progress: Running",
            "canceled: Cancelled",
            "param: status",
        ] {
            assert!(
                overlay.contains(expected),
                "{expected:?} not in:\n{overlay}"
            );
        }
        assert!(ws.join("crates/tasks-sdk-box/src/generated.rs").exists());
        let lock = std::fs::read_to_string(ws.join("Cargo.lock")).unwrap();
        assert!(
            lock.contains("name = \"tasks-sdk-box\""),
            "Cargo.lock has the crate"
        );
        // Adding it again is refused, and changes nothing.
        let again = super::run(&ws, "box", &spec, None, None, crate::testing::DATE).unwrap_err();
        assert!(again.starts_with("specs/box/ exists already"), "{again}");

        // A document shaped as the second test bed's: the id one level down, a time of
        // each kind the facade reads.
        let jobs = root.join("xtask/fixtures/acme_jobs.yaml");
        super::run(
            &ws,
            "jobs",
            &jobs,
            Some("GET /v1/jobs"),
            None,
            crate::testing::DATE,
        )
        .unwrap();
        let overlay = std::fs::read_to_string(ws.join("specs/jobs/overlay.yaml")).unwrap();
        for expected in [
            "        id: metadata.uid\n",
            "        name: metadata.name\n",
            "        created_at: metadata.created\n",
            "        updated_at:\n        - updatedAt\n        - finished_at\n",
        ] {
            assert!(
                overlay.contains(expected),
                "{expected:?} not in:\n{overlay}"
            );
        }

        // The facade's own tests, against a local server, through `source_from_env`.
        std::fs::write(
            ws.join("crates/tasks-sdk/tests/added_provider.rs"),
            include_str!("../../fixtures/added_provider_test.rs"),
        )
        .unwrap();
        std::fs::write(
            ws.join("crates/tasks-sdk/tests/added_jobs.rs"),
            include_str!("../../fixtures/added_jobs_test.rs"),
        )
        .unwrap();
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .current_dir(&ws)
            .env("CARGO_TARGET_DIR", root.join("target"))
            .args([
                "test",
                "--offline",
                "--locked",
                "-p",
                "tasks-sdk",
                "--test",
                "added_provider",
                "--test",
                "added_jobs",
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::remove_dir_all(&ws).unwrap();
    }
}

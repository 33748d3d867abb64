//! A scratch Cargo workspace for generated crates that are not part of this one (the
//! corpus's compile sample, the naming tests, `add-provider`'s end-to-end test):
//! the crates are written under `target/`, depend on this workspace's runtime by path,
//! resolve against a copy of its `Cargo.lock`, and share its target directory so that
//! dependencies compile once.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::files::Output;

/// What `cargo check` said: the crates that did not compile, each with its first error.
pub struct Check {
    pub failed: BTreeMap<String, String>,
    pub log: String,
}

/// Writes `crates` (a short name and the generated files of `crates/tasks-sdk-corpus`
/// or any other provider crate) into a workspace at `ws`, renamed
/// `tasks-sdk-<short name>`, and runs one `cargo check --keep-going` over them.
pub fn check_crates(
    root: &Path,
    ws: &Path,
    crates: &[(String, Vec<Output>)],
) -> Result<Check, String> {
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
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .args([
            "check",
            "--workspace",
            "--keep-going",
            "--message-format=short",
            "--offline",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::CORPUS_PROVIDER;

    /// Regen never exits 0 with code that does not compile: a spec with camelCase,
    /// kebab-case, reserved, colliding and digit-led names, a page-number stream keyed
    /// by `pageNumber`, every auth kind and bodies progenitor cannot type goes through
    /// the whole pipeline, and the crate it writes passes `cargo check`.
    #[test]
    fn a_spec_with_hostile_names_generates_a_crate_that_compiles() {
        let root = crate::workspace_root();
        let spec = root.join("xtask/corpus/hostile_names.yaml");
        let doc = crate::spec::load(&spec).unwrap();
        let prepared = crate::model::prepare_doc(
            CORPUS_PROVIDER,
            "xtask/corpus/hostile_names.yaml".into(),
            doc,
            None,
        )
        .unwrap();
        let outputs = crate::generate::generate(&prepared).unwrap();
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
            lib.contains("parameter `where`"),
            "skipped deepObject is listed"
        );
        let ws = root.join("target/xtask-tests/hostile-names");
        let check = check_crates(&root, &ws, &[("hostile".into(), outputs)]).unwrap();
        assert!(check.failed.is_empty(), "{}", check.log);
    }
}

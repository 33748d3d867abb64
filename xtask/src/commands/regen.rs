//! `cargo xtask regen [--check]`: every provider's crate and the files that list the
//! providers, generated in memory ([`outputs`]) and then written, or compared.

use std::path::Path;
use std::process::ExitCode;

use crate::document::providers;
use crate::emit;
use crate::emit::files::{self, Output};
use crate::model;
use crate::release::{self, report};

/// Everything `regen` writes, each provider's release (what changed since the last
/// commit, its version) and the facade's version (on a full run).
type Regenerated = (Vec<Output>, Vec<release::Release>, Option<String>);

/// [`Regenerated`], computed in memory.
pub fn outputs(root: &Path, only: Option<&str>, date: &str) -> Result<Regenerated, String> {
    let names = providers::names(root)?;
    if let Some(only) = only.filter(|only| !names.iter().any(|n| n == only)) {
        return Err(format!(
            "no provider `{only}`: specs/ has {}",
            names.join(", ")
        ));
    }
    let baseline = release::Baseline::new(root);
    let mut prepared = Vec::new();
    let mut outputs: Vec<Output> = Vec::new();
    let mut releases = Vec::new();
    for name in names.iter().filter(|n| only.is_none_or(|only| *n == only)) {
        let mut p = model::prepare(root, name)?;
        let (mut files, task_source) = emit::generate_with_source(&mut p)?;
        for warning in &p.warnings {
            eprintln!("warning: {warning}");
        }
        let release = release::release(root, &baseline, &p, &files)?;
        release::apply(root, &release, date, &mut files)?;
        outputs.extend(files);
        prepared.push((p, task_source));
        releases.push(release);
    }
    let mut facade_version = None;
    if only.is_none() {
        let versions: std::collections::BTreeMap<String, String> = releases
            .iter()
            .map(|r| (r.name.clone(), r.version.clone()))
            .collect();
        let mut shared = emit::facade::shared_outputs(root, &prepared, &versions)?;
        let facade_toml = shared
            .iter_mut()
            .find(|o| o.path == Path::new("crates/tasks-sdk/Cargo.toml"))
            .ok_or("the facade's Cargo.toml is not generated")?;
        let (toml, more, version) =
            release::facade(root, &baseline, &releases, date, &facade_toml.contents)?;
        facade_toml.contents = toml;
        facade_version = Some(version);
        outputs.extend(shared);
        outputs.extend(more);
    }
    Ok((outputs, releases, facade_version))
}

/// Generates everything in memory first: a bad spec leaves the tree untouched. `date`
/// dates the changelog entries of a version bump (`YYYY-MM-DD`).
pub fn regen(root: &Path, only: Option<&str>, check: bool, date: &str) -> Result<ExitCode, String> {
    let (outputs, releases, facade_version) = outputs(root, only, date)?;
    let changed: Vec<&release::Release> = releases
        .iter()
        .filter(|r| r.report.level() > report::Level::None)
        .collect();

    if check {
        let stale = files::stale(root, &outputs);
        if stale.is_empty() {
            println!(
                "regen --check: {} generated files are up to date",
                outputs.len()
            );
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!(
            "regen --check: {} generated file(s) are stale; run `cargo xtask regen`:",
            stale.len()
        );
        for r in &changed {
            eprintln!(
                "{} (the spec changed since the last commit)",
                r.report.text(&r.old_version, &r.version).trim_end()
            );
        }
        for output in &stale {
            eprintln!("{}", stale_api(root, output));
        }
        for output in stale {
            eprintln!("{}", files::short_diff(root, output, 40));
        }
        return Ok(ExitCode::FAILURE);
    }
    let written =
        files::write(root, &outputs).map_err(|e| format!("writing generated files: {e}"))?;
    for path in &written {
        println!("wrote {}", path.display());
    }
    println!("regen: {} files, {} changed", outputs.len(), written.len());
    if !changed.is_empty() {
        println!("\nwhat changed for Rust users since the last commit:");
        for r in &changed {
            print!("{}", r.report.text(&r.old_version, &r.version));
        }
        match facade_version {
            Some(version) => {
                println!("tasks-sdk: {version} (its CHANGELOG.md lists the providers that changed)")
            }
            None => println!(
                "tasks-sdk: its version and requirements follow on a full `cargo xtask regen`"
            ),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// For a stale `generated.rs`: how the committed file's public API differs from the
/// regenerated one's.
fn stale_api(root: &Path, output: &Output) -> String {
    let path = output.path.display().to_string();
    if !path.ends_with("/src/generated.rs") {
        return format!("{path}: stale");
    }
    let committed = std::fs::read_to_string(root.join(&output.path)).unwrap_or_default();
    match (
        release::api_of_text(&committed),
        release::api_of_text(&output.contents),
    ) {
        (Ok(old), Ok(new)) => {
            let changes = report::diff(&old, &new);
            if changes.is_empty() {
                return format!("{path}: stale, with the same public API (documentation or code)");
            }
            let mut text = format!("{path}: stale; regenerating it changes its public API:");
            for c in changes {
                text.push_str(&format!(
                    "\n  {}: {}",
                    if c.breaking { "breaking" } else { "additive" },
                    c.text
                ));
            }
            text
        }
        _ => format!("{path}: stale"),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::document;
    use crate::testing::{DATE, scratch_root};

    fn generated_files(root: &Path) -> Vec<PathBuf> {
        let crates = root.join("crates");
        let mut found = Vec::new();
        for name in providers::names(&crate::workspace::root().unwrap()).unwrap() {
            let krate = crates.join(format!("tasks-sdk-{name}"));
            if krate.exists() {
                found.push(krate);
            }
        }
        found
    }

    #[test]
    fn regen_is_deterministic_and_matches_the_committed_files() {
        let root = crate::workspace::root().unwrap();
        let (first, _, _) = outputs(&root, None, "2000-01-01").unwrap();
        let (second, _, _) = outputs(&root, None, "2000-01-01").unwrap();
        let bytes = |o: &[Output]| {
            o.iter()
                .map(|o| (o.path.clone(), o.contents.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            bytes(&first),
            bytes(&second),
            "two runs must give identical bytes"
        );
        for output in &first {
            let committed = std::fs::read_to_string(root.join(&output.path)).unwrap_or_default();
            assert!(
                committed == output.contents,
                "{} is stale: run cargo xtask regen",
                output.path.display()
            );
        }
    }

    /// `xtask/corpus/*.yaml`: broken (and one legitimate) specs. Each file's first line
    /// says what regen must answer: `# expect: <start of the error line>` or
    /// `# expect: ok`. The spec stands in for the first provider's (without its overlay;
    /// `specs/<p>/` in an expect line is its folder); a failing regen must write nothing.
    #[test]
    fn the_corpus_of_broken_specs_fails_with_one_line_and_writes_nothing() {
        let corpus = crate::workspace::root().unwrap().join("xtask/corpus");
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        cases.sort();
        assert!(cases.len() >= 15, "the corpus lost cases: {cases:?}");
        for case in cases {
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&case).unwrap();
            let stand_in = providers::names(&crate::workspace::root().unwrap()).unwrap()[0].clone();
            let folder = format!("specs/{stand_in}/");
            let expect = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# expect: "))
                .expect("an expect line")
                .replace("specs/<p>/", &folder);
            let expect = expect.as_str();
            let root = scratch_root("corpus");
            std::fs::write(root.join(&folder).join("openapi.yaml"), &text).unwrap();
            let _ = std::fs::remove_file(root.join(&folder).join("overlay.yaml"));
            let readme_before = std::fs::read_to_string(root.join("README.md")).unwrap();

            // The crate alone: the facade needs an `x-task`, which these specs lack.
            let result = regen(&root, Some(&stand_in), false, DATE);

            if expect.starts_with("ok") {
                assert!(result.is_ok(), "{name}: {result:?}");
            } else {
                let err = result.unwrap_err();
                assert!(
                    err.starts_with(expect),
                    "{name}: expected {expect:?}, got {err:?}"
                );
                assert!(!err.contains('\n'), "{name}: one line, got {err}");
                assert!(
                    generated_files(&root).is_empty(),
                    "{name}: nothing may be written"
                );
                assert_eq!(
                    std::fs::read_to_string(root.join("README.md")).unwrap(),
                    readme_before,
                    "{name}"
                );
            }
            std::fs::remove_dir_all(&root).unwrap();
        }
    }

    /// A provider whose spec names no task list is generated (its crate, module and
    /// feature) without a `TaskSource`: the facade lists the others.
    #[test]
    fn a_provider_without_x_task_is_generated_without_a_task_source() {
        let root = scratch_root("no-x-task");
        // The first provider's spec, replaced by one without `x-task`.
        let first = providers::names(&root).unwrap()[0].clone();
        let folder = format!("specs/{first}/");
        let spec = std::fs::read_to_string(
            crate::workspace::root()
                .unwrap()
                .join("xtask/corpus/hostile_names.yaml"),
        );
        std::fs::write(root.join(&folder).join("openapi.yaml"), spec.unwrap()).unwrap();
        std::fs::remove_file(root.join(&folder).join("overlay.yaml")).unwrap();
        let (outputs, _, _) = outputs(&root, None, DATE).unwrap();
        let file = |path: &str| {
            &outputs
                .iter()
                .find(|o| o.path == Path::new(path))
                .unwrap_or_else(|| panic!("{path} is not generated"))
                .contents
        };
        assert!(
            file(&format!("crates/tasks-sdk-{first}/src/generated.rs"))
                .contains("pub struct Client")
        );
        let providers_rs = file("crates/tasks-sdk/src/providers.rs");
        assert!(
            providers_rs.contains(&format!("pub mod {first} {{")),
            "{providers_rs}"
        );
        assert!(providers_rs.contains(&format!("&{first}::PROVIDER,")));
        assert!(
            !providers_rs.contains(&format!("\"{first}\" => Some(")),
            "{providers_rs}"
        );
        let second = providers::names(&root).unwrap()[1].clone();
        assert!(providers_rs.contains(&format!("\"{second}\" => Some(")));
        let impls = file("crates/tasks-sdk/src/task_sources.rs");
        assert!(
            !impls.contains(&format!("crate::{first}::Client")),
            "{impls}"
        );
        assert!(impls.contains(&format!("crate::{second}::Client")));
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn check_fails_after_a_one_word_change_to_a_description() {
        let root = scratch_root("check");
        assert_eq!(regen(&root, None, false, DATE).unwrap(), ExitCode::SUCCESS);
        assert_eq!(regen(&root, None, true, DATE).unwrap(), ExitCode::SUCCESS);
        // One more word in the first provider's `info.description` (written back as
        // JSON, which is YAML too).
        let first = providers::names(&root).unwrap()[0].clone();
        let spec_path = root.join("specs").join(&first).join("openapi.yaml");
        let mut spec = document::load(&spec_path).unwrap();
        let description = spec
            .pointer("/info/description")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned();
        spec["info"]["description"] = format!("{description} Changed.").into();
        std::fs::write(&spec_path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
        assert_eq!(regen(&root, None, true, DATE).unwrap(), ExitCode::FAILURE);
        std::fs::remove_dir_all(&root).unwrap();
    }
}

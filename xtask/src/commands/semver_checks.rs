//! `cargo xtask semver-checks`: CI's proof that each version bump is large enough.
//!
//! - Every published crate (the runtime, each provider's and the facade) is checked by
//!   cargo-semver-checks against the last commit of its previous version
//!   (`--baseline-rev`): the parent of the commit that set its current version. A crate
//!   whose version never changed has nothing to be compared with and is skipped.
//! - `--scenarios` also replays spec changes in a scratch clone of the last commit
//!   ([`Scenario`]: an enum value added, a field removed, a required parameter added, a
//!   description changed): each is committed after `regen` bumped the version, and
//!   cargo-semver-checks must accept every bump; then a field removal committed with a
//!   patch bump only must be refused, which shows the check has teeth.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use serde_json::Value;

use crate::document::providers;

/// The crates checked: the runtime (whose version is set by hand), every provider's and
/// the facade (whose versions `regen` manages).
fn published(root: &Path) -> Result<Vec<String>, String> {
    let mut crates = vec!["tasks-sdk-core".to_owned()];
    crates.extend(
        providers::names(root)?
            .into_iter()
            .map(|n| format!("tasks-sdk-{n}")),
    );
    crates.push("tasks-sdk".into());
    Ok(crates)
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "git {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// A crate's version at `rev` (`None`: the crate is not there).
fn version_at(root: &Path, rev: &str, manifest: &str) -> Option<String> {
    let toml = git(root, &["show", &format!("{rev}:{manifest}")]).ok()?;
    let workspace = git(root, &["show", &format!("{rev}:Cargo.toml")])
        .ok()
        .and_then(|t| crate::release::manifest_version(&t, "0.1.0"))
        .unwrap_or_else(|| "0.1.0".into());
    crate::release::manifest_version(&toml, &workspace)
}

/// The commit to compare `krate` with: the parent of the commit that set its current
/// version, with that parent's version. `None` when it always had this version.
pub fn baseline_rev(root: &Path, krate: &str) -> Result<Option<(String, String)>, String> {
    let manifest = format!("crates/{krate}/Cargo.toml");
    let Some(current) = version_at(root, "HEAD", &manifest) else {
        return Ok(None);
    };
    let log = git(
        root,
        &[
            "log",
            "--first-parent",
            "--format=%H",
            "HEAD",
            "--",
            &manifest,
            "Cargo.toml",
        ],
    )?;
    let mut bump: Option<&str> = None;
    for commit in log.lines() {
        match version_at(root, commit, &manifest) {
            Some(v) if v == current => bump = Some(commit),
            Some(previous) => {
                return Ok(bump.map(|b| (format!("{b}^"), previous)));
            }
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// The cargo-semver-checks command line for `krate` against `rev`.
fn semver_checks(manifest_path: &Path, krate: &str, rev: &str) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args(["semver-checks", "check-release", "--package", krate])
        .arg("--manifest-path")
        .arg(manifest_path)
        .args(["--baseline-rev", rev, "--default-features"]);
    command
}

/// `plan`: only say what would be compared with what.
pub fn run(root: &Path, scenarios: bool, plan: bool, date: &str) -> Result<ExitCode, String> {
    let mut failed = Vec::new();
    for krate in published(root)? {
        match baseline_rev(root, &krate)? {
            None => println!(
                "{krate}: no earlier version in the history, nothing to compare with (skipped)"
            ),
            Some((rev, previous)) => {
                let now = version_at(root, "HEAD", &format!("crates/{krate}/Cargo.toml"))
                    .unwrap_or_default();
                println!("{krate}: {previous} -> {now}, against {rev}");
                if plan {
                    continue;
                }
                let status = semver_checks(&root.join("Cargo.toml"), &krate, &rev)
                    .status()
                    .map_err(|e| format!("cargo semver-checks: {e}"))?;
                if !status.success() {
                    failed.push(krate);
                }
            }
        }
    }
    if plan {
        return Ok(ExitCode::SUCCESS);
    }
    if scenarios {
        failed.extend(run_scenarios(root, date)?);
    }
    if failed.is_empty() {
        println!("semver-checks: every bump covers its API change");
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("semver-checks: failed for {}", failed.join(", "));
        Ok(ExitCode::FAILURE)
    }
}

/// A kind of spec change, applied to a provider's document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// A value appended to a component's string enum.
    EnumValueAdded,
    /// An optional property of a response object removed (one the overlay names nowhere).
    FieldRemoved,
    /// A required query parameter added to the list operation.
    RequiredParameterAdded,
    /// `info.description` changed.
    DescriptionOnly,
}

pub const SCENARIOS: [Scenario; 4] = [
    Scenario::EnumValueAdded,
    Scenario::FieldRemoved,
    Scenario::RequiredParameterAdded,
    Scenario::DescriptionOnly,
];

impl Scenario {
    /// Applies the change to `doc` (the provider's `openapi.yaml`), avoiding what
    /// `overlay` (its text) names. Returns what was changed, `None` when the document has
    /// nothing to change this way.
    pub fn apply(self, doc: &mut Value, overlay: &str) -> Option<String> {
        match self {
            Scenario::EnumValueAdded => {
                let schemas = doc.pointer_mut("/components/schemas")?.as_object_mut()?;
                let (name, schema) = schemas.iter_mut().find(|(_, s)| {
                    s.get("type").and_then(Value::as_str) == Some("string")
                        && s.get("enum").is_some_and(Value::is_array)
                })?;
                schema["enum"]
                    .as_array_mut()?
                    .push(Value::String("scenario_value".into()));
                Some(format!("{name}: value `scenario_value`"))
            }
            Scenario::FieldRemoved => {
                let schemas = doc.pointer_mut("/components/schemas")?.as_object_mut()?;
                for (name, schema) in schemas.iter_mut() {
                    let required: Vec<String> = schema
                        .get("required")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect();
                    let Some(properties) =
                        schema.get_mut("properties").and_then(Value::as_object_mut)
                    else {
                        continue;
                    };
                    let field = properties
                        .keys()
                        .find(|k| !required.contains(k) && !overlay.contains(k.as_str()))
                        .cloned();
                    if let Some(field) = field {
                        properties.remove(&field);
                        return Some(format!("{name}.{field}"));
                    }
                }
                None
            }
            Scenario::RequiredParameterAdded => {
                let paths = doc.get_mut("paths")?.as_object_mut()?;
                let (path, item) = paths
                    .iter_mut()
                    .find(|(_, item)| item.get("get").is_some())?;
                let op = item.get_mut("get")?.as_object_mut()?;
                let parameters = op
                    .entry("parameters")
                    .or_insert_with(|| Value::Array(Vec::new()))
                    .as_array_mut()?;
                parameters.push(serde_json::json!({
                    "name": "scenario_scope", "in": "query", "required": true,
                    "schema": {"type": "string"}
                }));
                Some(format!("GET {path}: `scenario_scope`"))
            }
            Scenario::DescriptionOnly => {
                let info = doc.get_mut("info")?.as_object_mut()?;
                let before = info
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                info.insert(
                    "description".into(),
                    Value::String(format!("{before} Revised.").trim().to_owned()),
                );
                Some("info.description".into())
            }
        }
    }

    /// The first provider (in order) whose document this applies to: (name, new spec
    /// text as JSON, what changed).
    pub fn on(self, root: &Path) -> Result<(String, String, String), String> {
        for name in providers::names(root)? {
            let spec_file = root.join(format!("specs/{name}/openapi.yaml"));
            let mut doc = crate::document::load(&spec_file)?;
            let overlay = std::fs::read_to_string(root.join(format!("specs/{name}/overlay.yaml")))
                .unwrap_or_default();
            if let Some(what) = self.apply(&mut doc, &overlay) {
                let text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
                return Ok((name, text + "\n", what));
            }
        }
        Err(format!("no provider's spec has what {self:?} changes"))
    }
}

/// Replays the scenarios in a scratch clone of HEAD; the crates cargo-semver-checks
/// disagreed on.
fn run_scenarios(root: &Path, date: &str) -> Result<Vec<String>, String> {
    let clone: PathBuf = root.join("target/semver-scenarios");
    let _ = std::fs::remove_dir_all(&clone);
    git(
        root,
        &[
            "clone",
            "--quiet",
            "--no-hardlinks",
            ".",
            &clone.to_string_lossy(),
        ],
    )?;
    let commit = |message: &str| -> Result<(), String> {
        git(&clone, &["add", "-A"])?;
        git(
            &clone,
            &[
                "-c",
                "user.name=semver-scenarios",
                "-c",
                "user.email=ci@localhost",
                "commit",
                "--quiet",
                "-m",
                message,
            ],
        )
        .map(|_| ())
    };
    let mut failed = Vec::new();
    let manifest = clone.join("Cargo.toml");
    for scenario in SCENARIOS {
        let (name, text, what) = scenario.on(&clone)?;
        std::fs::write(clone.join(format!("specs/{name}/openapi.yaml")), text)
            .map_err(|e| e.to_string())?;
        crate::commands::regen::regen(&clone, None, false, date)?;
        commit(&format!("scenario {scenario:?}: {what}"))?;
        let krate = format!("tasks-sdk-{name}");
        println!("scenario {scenario:?} ({what}): cargo semver-checks {krate} against HEAD^");
        let ok = semver_checks(&manifest, &krate, "HEAD^")
            .status()
            .map_err(|e| format!("cargo semver-checks: {e}"))?
            .success();
        if !ok {
            failed.push(format!("{krate} (scenario {scenario:?})"));
        }
    }
    // A breaking change committed with a patch bump must be refused.
    let (name, text, what) = Scenario::FieldRemoved.on(&clone)?;
    std::fs::write(clone.join(format!("specs/{name}/openapi.yaml")), text)
        .map_err(|e| e.to_string())?;
    crate::commands::regen::regen(&clone, None, false, date)?;
    let krate = format!("tasks-sdk-{name}");
    let manifest_file = format!("crates/{krate}/Cargo.toml");
    let read =
        |file: &str| std::fs::read_to_string(clone.join(file)).map_err(|e| format!("{file}: {e}"));
    let minor = crate::release::manifest_version(&read(&manifest_file)?, "").unwrap_or_default();
    let before = version_at(&clone, "HEAD", &manifest_file).unwrap_or_default();
    let patch = crate::release::report::bump(&before, crate::release::report::Level::Docs)?;
    // The crate, the facade's requirement and the lock file all say `patch`.
    let (quoted_minor, quoted_patch) = (format!("\"{minor}\""), format!("\"{patch}\""));
    let facade_line = format!("{krate} = {{ path = \"../{krate}\", version = ");
    for (file, prefix) in [
        (manifest_file.as_str(), "version = "),
        ("crates/tasks-sdk/Cargo.toml", facade_line.as_str()),
    ] {
        let text = read(file)?;
        let text = text
            .lines()
            .map(|line| {
                if line.starts_with(prefix) {
                    line.replace(&quoted_minor, &quoted_patch)
                } else {
                    line.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
            + "\n";
        std::fs::write(clone.join(file), text).map_err(|e| format!("{file}: {e}"))?;
    }
    let lock =
        crate::release::lock_versions(&read("Cargo.lock")?, &[(krate.clone(), patch.clone())]);
    std::fs::write(clone.join("Cargo.lock"), lock).map_err(|e| format!("Cargo.lock: {e}"))?;
    commit(&format!("control: {what} with a patch bump only"))?;
    println!("control ({what}, {before} -> {patch}): cargo semver-checks must refuse it");
    let output = semver_checks(&manifest, &krate, "HEAD^")
        .output()
        .map_err(|e| format!("cargo semver-checks: {e}"))?;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    print!("{said}");
    if !output.status.success() && said.contains("requires new") {
        println!("control: refused, as it must be");
    } else {
        failed.push(format!(
            "{krate} (control: a removed field passed with a patch bump)"
        ));
    }
    Ok(failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::report::Level;
    use crate::testing::{DATE, copy, scratch_root};

    fn git_ok(root: &Path, args: &[&str]) {
        let mut all = vec!["-c", "user.name=t", "-c", "user.email=t@localhost"];
        all.extend_from_slice(args);
        git(root, &all).unwrap();
    }

    /// A git repository holding what regen reads, committed: its HEAD is the baseline.
    fn scratch_repo(tag: &str) -> PathBuf {
        let real = crate::workspace::root().unwrap();
        let root = scratch_root(tag);
        let mut files = vec!["Cargo.toml".to_owned(), "Cargo.lock".to_owned()];
        for krate in published(&real).unwrap() {
            for file in ["Cargo.toml", "CHANGELOG.md"] {
                files.push(format!("crates/{krate}/{file}"));
            }
        }
        for file in files {
            if real.join(&file).exists() {
                copy(&real, &root, &file);
            }
        }
        git_ok(&root, &["init", "--quiet"]);
        git_ok(&root, &["add", "-A"]);
        git_ok(&root, &["commit", "--quiet", "-m", "baseline"]);
        root
    }

    fn output<'a>(outputs: &'a [crate::emit::files::Output], path: &str) -> &'a str {
        &outputs
            .iter()
            .find(|o| o.path == Path::new(path))
            .unwrap_or_else(|| panic!("{path} is not generated"))
            .contents
    }

    #[test]
    fn each_spec_change_is_reported_classified_bumped_and_logged_once() {
        let root = scratch_repo("scenarios");
        let date = DATE;
        let (_, before, facade_before) =
            crate::commands::regen::outputs(&root, None, date).unwrap();
        assert!(before.iter().all(|r| r.report.level() == Level::None));
        let facade_before = facade_before.unwrap();
        for (scenario, level, needle) in [
            (
                Scenario::EnumValueAdded,
                Level::Additive,
                "additive: variant `",
            ),
            (Scenario::FieldRemoved, Level::Breaking, "breaking: field `"),
            (
                Scenario::RequiredParameterAdded,
                Level::Breaking,
                "breaking: required parameter `scenario_scope: String` added to `",
            ),
            (
                Scenario::DescriptionOnly,
                Level::Docs,
                "documentation only: no public API changed",
            ),
        ] {
            git_ok(&root, &["reset", "--quiet", "--hard"]);
            git_ok(&root, &["clean", "--quiet", "-fdx"]);
            let (name, text, what) = scenario.on(&root).unwrap();
            std::fs::write(root.join(format!("specs/{name}/openapi.yaml")), text).unwrap();
            let krate = format!("tasks-sdk-{name}");

            let (outputs, releases, facade) =
                crate::commands::regen::outputs(&root, None, date).unwrap();
            let r = releases.iter().find(|r| r.name == name).unwrap();
            let old = before
                .iter()
                .find(|b| b.name == name)
                .unwrap()
                .version
                .clone();
            let report = r.report.text(&r.old_version, &r.version);
            assert_eq!(r.report.level(), level, "{scenario:?} ({what}): {report}");
            assert!(report.contains(needle), "{scenario:?} ({what}): {report}");
            let expected = crate::release::report::bump(&old, level).unwrap();
            assert_eq!(
                (r.old_version.as_str(), r.version.as_str()),
                (old.as_str(), expected.as_str())
            );
            assert!(
                report.starts_with(&format!(
                    "{krate}: {} ({old} -> {expected}); spec info.version",
                    level.word()
                )),
                "{report}"
            );
            let manifest = output(&outputs, &format!("crates/{krate}/Cargo.toml"));
            assert!(
                manifest.contains(&format!("\nversion = \"{expected}\"\n")),
                "{manifest}"
            );
            let changelog = output(&outputs, &format!("crates/{krate}/CHANGELOG.md"));
            let entry = format!(
                "## [{expected}] - {date}\n\nGenerated from a new spec (spec info.version "
            );
            assert_eq!(changelog.matches(&entry).count(), 1, "{changelog}");
            assert!(changelog.contains(&format!("## [{old}]")), "{changelog}");
            // Every other provider keeps its version; the facade follows.
            for other in releases.iter().filter(|o| o.name != name) {
                assert_eq!(other.version, other.old_version, "{}", other.name);
            }
            let facade_expected = crate::release::report::bump(&facade_before, level).unwrap();
            assert_eq!(facade.as_deref(), Some(facade_expected.as_str()));
            let facade_toml = output(&outputs, "crates/tasks-sdk/Cargo.toml");
            assert!(facade_toml.contains(&format!("\nversion = \"{facade_expected}\"\n")));
            assert!(facade_toml.contains(&format!(
                "{krate} = {{ path = \"../{krate}\", version = \"{expected}\""
            )));
            let facade_log = output(&outputs, "crates/tasks-sdk/CHANGELOG.md");
            assert!(
                facade_log.contains(&format!("- `{krate}` {old} -> {expected}")),
                "{facade_log}"
            );
            assert!(output(&outputs, "Cargo.toml").contains(&format!(
                "tasks-sdk = {{ path = \"crates/tasks-sdk\", version = \"{facade_expected}\" }}"
            )));
            let lock = output(&outputs, "Cargo.lock");
            assert!(lock.contains(&format!("name = \"{krate}\"\nversion = \"{expected}\"\n")));

            // `regen --check` says what is stale; regen twice bumps once.
            assert_eq!(
                crate::commands::regen::regen(&root, None, true, date).unwrap(),
                ExitCode::FAILURE
            );
            assert_eq!(
                crate::commands::regen::regen(&root, None, false, date).unwrap(),
                ExitCode::SUCCESS
            );
            assert_eq!(
                crate::commands::regen::regen(&root, None, false, date).unwrap(),
                ExitCode::SUCCESS
            );
            let again =
                std::fs::read_to_string(root.join(format!("crates/{krate}/CHANGELOG.md"))).unwrap();
            assert_eq!(again, changelog, "a second regen changes nothing");
            assert_eq!(
                crate::commands::regen::regen(&root, None, true, date).unwrap(),
                ExitCode::SUCCESS
            );

            // Committed: the spec is HEAD's, nothing moves any more.
            git_ok(&root, &["add", "-A"]);
            git_ok(&root, &["commit", "--quiet", "-m", "spec change"]);
            let (_, after, facade_after) =
                crate::commands::regen::outputs(&root, None, "2030-01-01").unwrap();
            let r = after.iter().find(|r| r.name == name).unwrap();
            assert_eq!(
                (r.report.level(), r.version.as_str()),
                (Level::None, expected.as_str())
            );
            assert_eq!(facade_after.as_deref(), Some(facade_expected.as_str()));
            assert_eq!(
                crate::commands::regen::regen(&root, None, true, date).unwrap(),
                ExitCode::SUCCESS
            );
            git_ok(&root, &["reset", "--quiet", "--hard", "HEAD^"]);
        }
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// A generator change that changes a crate's public API is versioned like a spec
    /// change (reported, bumped, logged); one that keeps the API bumps nothing.
    #[test]
    fn a_generator_change_to_the_public_api_is_reported_and_bumped() {
        let root = scratch_repo("generator-change");
        let real = crate::workspace::root().unwrap();
        let name = providers::names(&root).unwrap()[0].clone();
        let krate = format!("tasks-sdk-{name}");
        let generated = format!("crates/{krate}/src/generated.rs");
        copy(&real, &root, &generated);
        // The committed crate as an earlier generator wrote it: one more public type,
        // and (for the second case) only a comment more.
        let text = std::fs::read_to_string(root.join(&generated)).unwrap();
        let with_type = text.replacen(
            "pub mod types {",
            "pub mod types {\n    pub struct GoneWithTheGenerator;",
            1,
        );
        assert_ne!(with_type, text);
        std::fs::write(root.join(&generated), &with_type).unwrap();
        git_ok(&root, &["add", "-A"]);
        git_ok(&root, &["commit", "--quiet", "-m", "an earlier generator"]);

        let (outputs, releases, facade) =
            crate::commands::regen::outputs(&root, None, DATE).unwrap();
        let r = releases.iter().find(|r| r.name == name).unwrap();
        let report = r.report.text(&r.old_version, &r.version);
        assert_eq!(r.report.level(), Level::Breaking, "{report}");
        assert!(
            report.contains("the generator changed") && report.contains("GoneWithTheGenerator"),
            "{report}"
        );
        let expected = crate::release::report::bump(&r.old_version, Level::Breaking).unwrap();
        assert_eq!(r.version, expected);
        let changelog = output(&outputs, &format!("crates/{krate}/CHANGELOG.md"));
        assert!(
            changelog.contains(&format!(
                "## [{expected}] - {DATE}\n\nGenerated again by a changed generator"
            )),
            "{changelog}"
        );
        assert!(facade.is_some());
        for other in releases.iter().filter(|o| o.name != name) {
            assert_eq!(other.version, other.old_version, "{}", other.name);
        }

        // The same API, other text: nothing to version.
        std::fs::write(
            root.join(&generated),
            format!("// an older comment\n{text}"),
        )
        .unwrap();
        git_ok(&root, &["add", "-A"]);
        git_ok(&root, &["commit", "--quiet", "-m", "same API"]);
        let (_, releases, _) = crate::commands::regen::outputs(&root, None, DATE).unwrap();
        let r = releases.iter().find(|r| r.name == name).unwrap();
        assert_eq!(r.report.level(), Level::None);
        assert_eq!(r.version, r.old_version);
        std::fs::remove_dir_all(&root).unwrap();
    }

    /// The issue's flow end to end: a provider's page changes, `pull` writes its block and
    /// regenerates, and the crate comes out bumped with a changelog entry.
    #[test]
    fn pull_of_a_changed_page_bumps_the_crate_and_logs_the_change() {
        let root = scratch_repo("pull-bump");
        let server = crate::testing::PageServer::start();
        let url = server.url("/list-tasks.md");
        let (name, text, level) = providers::names(&root)
            .unwrap()
            .into_iter()
            .filter(|n| {
                crate::release::source::load(&root, n)
                    .unwrap()
                    .is_some_and(|s| {
                        s.openapi == crate::release::source::Openapi::Verbatim && !s.tracks_prose()
                    })
            })
            .find_map(|name| {
                let spec = root.join(format!("specs/{name}/openapi.yaml"));
                let overlay =
                    std::fs::read_to_string(root.join(format!("specs/{name}/overlay.yaml")))
                        .unwrap_or_default();
                [
                    (Scenario::EnumValueAdded, Level::Additive),
                    (Scenario::FieldRemoved, Level::Breaking),
                ]
                .into_iter()
                .find_map(|(scenario, level)| {
                    let mut doc = crate::document::load(&spec).unwrap();
                    scenario.apply(&mut doc, &overlay)?;
                    Some((
                        name.clone(),
                        serde_json::to_string_pretty(&doc).unwrap() + "\n",
                        level,
                    ))
                })
            })
            .expect("a verbatim provider with an enum or an optional field");
        std::fs::write(
            root.join(format!("specs/{name}/source.yaml")),
            format!("page: {url}\nmarkdown: {url}\nopenapi: verbatim\n"),
        )
        .unwrap();
        git_ok(
            &root,
            &["commit", "--quiet", "-am", "the page is served here"],
        );
        let krate = format!("tasks-sdk-{name}");
        let before =
            std::fs::read_to_string(root.join(format!("crates/{krate}/Cargo.toml"))).unwrap();
        let before = before
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .unwrap()
            .to_owned();
        server.set(
            "/list-tasks.md",
            200,
            &format!(
                "# List tasks\n\n## OpenAPI\n\n````yaml openapi.json get /tasks\n{text}````\n"
            ),
        );
        assert_eq!(
            crate::commands::pull::run(&root, Some(&name), DATE).unwrap(),
            ExitCode::SUCCESS
        );

        let spec =
            std::fs::read_to_string(root.join(format!("specs/{name}/openapi.yaml"))).unwrap();
        assert_eq!(spec, text, "the block, byte for byte");
        let manifest =
            std::fs::read_to_string(root.join(format!("crates/{krate}/Cargo.toml"))).unwrap();
        let version = crate::release::report::bump(&before, level).unwrap();
        assert!(
            manifest.contains(&format!("\nversion = \"{version}\"\n")),
            "{manifest}"
        );
        let changelog =
            std::fs::read_to_string(root.join(format!("crates/{krate}/CHANGELOG.md"))).unwrap();
        assert!(
            changelog.contains(&format!("## [{version}] - ")) && changelog.contains(level.word()),
            "{changelog}"
        );
        // Pulled again: the page is what was written, nothing changes.
        assert_eq!(
            crate::commands::pull::run(&root, Some(&name), DATE).unwrap(),
            ExitCode::SUCCESS
        );
        assert_eq!(
            crate::commands::regen::regen(&root, None, true, DATE).unwrap(),
            ExitCode::SUCCESS
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn the_baseline_of_a_crate_is_the_parent_of_its_bump() {
        let root = scratch_repo("baseline-rev");
        let krate = format!("tasks-sdk-{}", providers::names(&root).unwrap()[0]);
        assert_eq!(
            baseline_rev(&root, &krate).unwrap(),
            None,
            "one version so far"
        );
        let manifest = root.join(format!("crates/{krate}/Cargo.toml"));
        let text = std::fs::read_to_string(&manifest).unwrap();
        let version = crate::release::manifest_version(&text, "0.1.0").unwrap();
        let bumped = crate::release::report::bump(&version, Level::Breaking).unwrap();
        let text = text
            .lines()
            .map(|l| {
                if l.starts_with("version") {
                    format!("version = \"{bumped}\"")
                } else {
                    l.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(&manifest, text + "\n").unwrap();
        git_ok(&root, &["commit", "--quiet", "-am", "bump"]);
        std::fs::write(root.join("README.md"), "later\n").unwrap();
        git_ok(&root, &["commit", "--quiet", "-am", "later"]);
        let bump = git(&root, &["rev-parse", "HEAD^"]).unwrap();
        assert_eq!(
            baseline_rev(&root, &krate).unwrap(),
            Some((format!("{}^", bump.trim()), version))
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}

//! The release stage: versions and changelogs, written by `regen` from what changed
//! since the last commit. In, the emitted files of each provider and the last commit's;
//! out, each crate's version, `CHANGELOG.md` entry and the report printed to the
//! maintainer. The public API is read from the syntax tree ([`api`]) and diffed
//! ([`report`]); [`source`] is where each document is published (for `pull`).
//!
//! The baseline of each provider is the last commit (`git show HEAD:...`): its
//! `specs/<name>/openapi.yaml` and `overlay.yaml` go through the same pipeline as the
//! working ones (with this generator, so only the spec's changes count), and the two
//! generated APIs are diffed ([`crate::release::report`]). The crate's version is then its version
//! at HEAD, bumped for the report's [`Level`]; its `CHANGELOG.md` gets one entry for the
//! new version. Because both come from HEAD, running `regen` twice bumps once, and once
//! the change is committed the spec equals HEAD's and nothing moves.
//!
//! The facade's version follows (the largest level of its providers), as do its
//! dependency requirements, the workspace's requirement on it, `Cargo.lock`'s entries and
//! its `CHANGELOG.md`, which lists the providers that changed.

pub mod api;
pub mod report;
pub mod source;

use std::path::Path;
use std::process::Command;

use self::report::{Cause, Level, Report};
use crate::emit;
use crate::emit::files::Output;
use crate::model::{self, Prepared};
use crate::release::api::Api;

/// The last commit of the repository at the workspace root, read with git.
pub struct Baseline<'a> {
    root: &'a Path,
    /// Whether `root` is a git work tree with a commit.
    available: bool,
}

impl<'a> Baseline<'a> {
    pub fn new(root: &'a Path) -> Baseline<'a> {
        let available = git(root, &["rev-parse", "--verify", "--quiet", "HEAD"]).is_some();
        Baseline { root, available }
    }

    /// `path` (relative to the root) as committed at HEAD; `None` when it is not there
    /// or there is no repository.
    pub fn file(&self, path: &str) -> Option<String> {
        if !self.available {
            return None;
        }
        git(self.root, &["show", &format!("HEAD:{path}")])
    }
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// A provider crate's release: what changed and the version it gets.
pub struct Release {
    pub name: String,
    pub report: Report,
    /// The version at HEAD (or the working one without a repository).
    pub old_version: String,
    pub version: String,
}

/// `version = "x"` of a manifest's `[package]`, or the workspace's version for
/// `version.workspace = true`.
pub fn manifest_version(toml: &str, workspace: &str) -> Option<String> {
    let mut in_package = false;
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]" || line == "[workspace.package]";
            continue;
        }
        if !in_package {
            continue;
        }
        if line.replace(' ', "") == "version.workspace=true" {
            return Some(workspace.to_owned());
        }
        if let Some(rest) = line.strip_prefix("version")
            && let Some(value) = rest.trim_start().strip_prefix('=')
        {
            return Some(value.trim().trim_matches('"').to_owned());
        }
    }
    None
}

/// The workspace's `[workspace.package] version` at HEAD, else in the tree, else 0.1.0.
fn workspace_version(root: &Path, baseline: &Baseline) -> String {
    baseline
        .file("Cargo.toml")
        .or_else(|| std::fs::read_to_string(root.join("Cargo.toml")).ok())
        .and_then(|t| manifest_version(&t, "0.1.0"))
        .unwrap_or_else(|| "0.1.0".into())
}

/// A crate's version at HEAD; without a repository, the one in the tree.
fn crate_version(root: &Path, baseline: &Baseline, manifest: &str) -> String {
    let workspace = workspace_version(root, baseline);
    baseline
        .file(manifest)
        .or_else(|| std::fs::read_to_string(root.join(manifest)).ok())
        .and_then(|t| manifest_version(&t, &workspace))
        .unwrap_or(workspace)
}

fn info_version(doc: &serde_json::Value) -> String {
    doc.pointer("/info/version")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("?")
        .to_owned()
}

/// The crate files a user reads (the manifest and changelog are ours).
fn user_files(outputs: &[Output]) -> Vec<&Output> {
    outputs
        .iter()
        .filter(|o| {
            let path = o.path.to_string_lossy();
            path.ends_with("/src/generated.rs")
                || path.ends_with("/src/lib.rs")
                || path.ends_with("/README.md")
        })
        .collect()
}

/// The API of a crate's generated outputs.
pub fn api_of(outputs: &[Output]) -> Result<Api, String> {
    let generated = outputs
        .iter()
        .find(|o| o.path.to_string_lossy().ends_with("/src/generated.rs"))
        .ok_or("no generated.rs")?;
    api_of_text(&generated.contents)
}

pub fn api_of_text(text: &str) -> Result<Api, String> {
    let file: syn::File =
        syn::parse_file(text).map_err(|e| format!("generated.rs does not parse: {e}"))?;
    Ok(Api::from_file(&file))
}

/// What changed in provider `p` since HEAD, and its version.
pub fn release(
    root: &Path,
    baseline: &Baseline,
    p: &Prepared,
    outputs: &[Output],
) -> Result<Release, String> {
    let name = &p.provider.name;
    let krate = format!("tasks-sdk-{name}");
    let old_version = crate_version(root, baseline, &format!("crates/{krate}/Cargo.toml"));
    let spec_file = format!("specs/{name}/openapi.yaml");
    let overlay_file = format!("specs/{name}/overlay.yaml");
    let new_spec_version = info_version(&p.doc);
    let unchanged = |old_spec: Option<String>| Report {
        krate: krate.clone(),
        spec_version: (old_spec, new_spec_version.clone()),
        changes: Vec::new(),
        files_changed: false,
        no_baseline: None,
        cause: Cause::Spec,
    };
    let report = if !baseline.available {
        unchanged(None)
    } else {
        match baseline.file(&spec_file) {
            None => Report {
                no_baseline: Some(format!(
                    "a new crate: `{spec_file}` is not in the last commit"
                )),
                ..unchanged(None)
            },
            Some(old_text) => {
                let old_overlay = baseline.file(&overlay_file);
                let now_text = std::fs::read_to_string(root.join(&spec_file)).unwrap_or_default();
                let now_overlay = std::fs::read_to_string(root.join(&overlay_file)).ok();
                if old_text == now_text && old_overlay == now_overlay {
                    let doc = crate::document::parse(&old_text).ok();
                    let report = unchanged(doc.map(|d| info_version(&d)));
                    generator_changes(baseline, &krate, outputs, report)?
                } else {
                    compare(
                        name,
                        &spec_file,
                        &overlay_file,
                        &old_text,
                        old_overlay,
                        p,
                        outputs,
                    )?
                }
            }
        }
    };
    let version = if report.no_baseline.is_some() {
        old_version.clone()
    } else {
        report::bump(&old_version, report.level())
            .map_err(|e| format!("crates/{krate}/Cargo.toml: {e}"))?
    };
    Ok(Release {
        name: name.clone(),
        report,
        old_version,
        version,
    })
}

/// `report` (of an unchanged spec) with the public API changes between the committed
/// `generated.rs` and this generator's: a generator change that changes what users can
/// call is versioned like a spec change. One that keeps the public API (code, docs) is
/// not: it ships with the crate's next release.
fn generator_changes(
    baseline: &Baseline,
    krate: &str,
    outputs: &[Output],
    report: Report,
) -> Result<Report, String> {
    let Some(committed) = baseline.file(&format!("crates/{krate}/src/generated.rs")) else {
        return Ok(report);
    };
    let Ok(old_api) = api_of_text(&committed) else {
        return Ok(report);
    };
    let changes = report::diff(&old_api, &api_of(outputs)?);
    if changes.is_empty() {
        return Ok(report);
    }
    Ok(Report {
        changes,
        files_changed: true,
        cause: Cause::Generator,
        ..report
    })
}

/// The report between the committed spec (through this generator) and `p`.
fn compare(
    name: &str,
    spec_file: &str,
    overlay_file: &str,
    old_text: &str,
    old_overlay: Option<String>,
    p: &Prepared,
    outputs: &[Output],
) -> Result<Report, String> {
    let krate = format!("tasks-sdk-{name}");
    let new_api = api_of(outputs)?;
    let old = (|| -> Result<(Prepared, Vec<Output>), String> {
        let doc = crate::document::parse(old_text)?;
        let overlay = match old_overlay {
            Some(text) => Some((overlay_file.to_owned(), crate::document::parse(&text)?)),
            None => None,
        };
        let mut old = model::prepare_doc(name, spec_file.to_owned(), doc, overlay)?;
        let files = emit::generate(&mut old)?;
        Ok((old, files))
    })();
    let (old, old_outputs) = match old {
        Ok(old) => old,
        Err(e) => {
            // Nothing to compare with: everything counts as changed.
            return Ok(Report {
                krate,
                spec_version: (None, info_version(&p.doc)),
                changes: vec![report::Change {
                    breaking: true,
                    text: format!(
                        "the last commit's spec does not generate with this generator ({}): \
                         every change is taken as breaking",
                        e.lines().next().unwrap_or_default()
                    ),
                }],
                files_changed: true,
                no_baseline: None,
                cause: Cause::Spec,
            });
        }
    };
    let old_api = api_of(&old_outputs)?;
    let changes = report::diff(&old_api, &new_api);
    let files_changed = user_files(&old_outputs)
        .iter()
        .zip(user_files(outputs))
        .any(|(a, b)| a.contents != b.contents);
    Ok(Report {
        krate,
        spec_version: (Some(info_version(&old.doc)), info_version(&p.doc)),
        changes,
        files_changed,
        no_baseline: None,
        cause: Cause::Spec,
    })
}

/// The crate's manifest with its version, and its changelog, among `outputs`.
pub fn apply(
    root: &Path,
    release: &Release,
    date: &str,
    outputs: &mut Vec<Output>,
) -> Result<(), String> {
    let krate = format!("tasks-sdk-{}", release.name);
    let manifest = format!("crates/{krate}/Cargo.toml");
    let output = outputs
        .iter_mut()
        .find(|o| o.path.to_string_lossy() == manifest)
        .ok_or_else(|| format!("{manifest}: not generated"))?;
    output.contents = output.contents.replacen(
        "version.workspace = true\n",
        &format!("version = \"{}\"\n", release.version),
        1,
    );
    let path = format!("crates/{krate}/CHANGELOG.md");
    let entry = (release.version != release.old_version || release.report.no_baseline.is_some())
        .then(|| release.report.changelog());
    let changelog = changelog(
        root,
        &path,
        &krate,
        &release.old_version,
        &release.version,
        date,
        entry.as_deref(),
    )?;
    outputs.push(Output::new(path, changelog));
    Ok(())
}

const CHANGELOG_HEAD: &str = "# Changelog\n\nAll notable changes to `{krate}` are written here by `cargo xtask regen` when its\nspec changes, from what changed in its public API (README.md, \"When a provider changes\nits spec\"). The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),\nand this crate adheres to [Semantic Versioning](https://semver.org/spec/v2.0.0.html)\n(0.x: a breaking change bumps the minor version, anything else the patch version).\n";

/// `path`'s text with the entry of `version` (`None`: no entry), dropping the entries
/// of versions after `old_version` that an earlier run wrote (so runs do not pile up)
/// and one of `version` itself.
/// A missing file starts with the header and an entry for `old_version`.
fn changelog(
    root: &Path,
    path: &str,
    krate: &str,
    old_version: &str,
    version: &str,
    date: &str,
    entry: Option<&str>,
) -> Result<String, String> {
    let text = match std::fs::read_to_string(root.join(path)) {
        Ok(text) => text,
        Err(_) => format!(
            "{}\n## [{old_version}] - {date}\n\nThe first version.\n",
            CHANGELOG_HEAD.replace("{krate}", krate)
        ),
    };
    let old = parse_version(old_version)?;
    // Split into the head and `## [x.y.z]` sections.
    let mut head = String::new();
    let mut sections: Vec<(Option<[u64; 3]>, String)> = Vec::new();
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix("## [") {
            let v = rest.split(']').next().and_then(|v| parse_version(v).ok());
            sections.push((v, line.to_owned()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push_str(line);
        } else {
            head.push_str(line);
        }
    }
    let new = parse_version(version)?;
    // An entry replaces any of the same version (a new crate's first one).
    sections.retain(|(v, _)| v.is_none_or(|v| v <= old && (entry.is_none() || v != new)));
    let mut out = head;
    if let Some(entry) = entry {
        out.push_str(&format!("## [{version}] - {date}\n\n{entry}\n"));
    }
    for (_, body) in sections {
        out.push_str(&body);
    }
    Ok(out)
}

fn parse_version(v: &str) -> Result<[u64; 3], String> {
    let parts: Vec<u64> = v
        .trim()
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| format!("version `{v}` is not MAJOR.MINOR.PATCH"))?;
    parts
        .try_into()
        .map_err(|_| format!("version `{v}` is not MAJOR.MINOR.PATCH"))
}

/// The facade's version, requirements, changelog; the workspace's requirement on it and
/// `Cargo.lock`. `facade_toml` is the facade manifest as generated so far.
pub fn facade(
    root: &Path,
    baseline: &Baseline,
    releases: &[Release],
    date: &str,
    facade_toml: &str,
) -> Result<(String, Vec<Output>, String), String> {
    let manifest = "crates/tasks-sdk/Cargo.toml";
    let old_version = crate_version(root, baseline, manifest);
    let mut level = releases
        .iter()
        .map(|r| r.report.level())
        .max()
        .unwrap_or(Level::None);
    let mut lines = Vec::new();
    for r in releases.iter().filter(|r| r.report.level() > Level::None) {
        lines.push(format!(
            "- `tasks-sdk-{}` {} ({}): {}",
            r.name,
            if r.report.no_baseline.is_some() {
                format!("{} (new)", r.version)
            } else {
                format!("{} -> {}", r.old_version, r.version)
            },
            r.report.spec_line(),
            r.report.level().word()
        ));
        for c in &r.report.changes {
            lines.push(format!(
                "  - {}{}",
                if c.breaking { "**Breaking:** " } else { "" },
                c.text
            ));
        }
    }
    // A provider of the last commit that is gone: its module and feature are too.
    if baseline.available {
        let now: Vec<&str> = releases.iter().map(|r| r.name.as_str()).collect();
        for old in git(root, &["ls-tree", "--name-only", "HEAD", "specs/"])
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.strip_prefix("specs/"))
        {
            if baseline
                .file(&format!("specs/{old}/openapi.yaml"))
                .is_some()
                && !now.contains(&old)
            {
                level = Level::Breaking;
                lines.push(format!(
                    "- **Breaking:** provider `{old}` removed (module and feature)"
                ));
            }
        }
    }
    // A new provider adds a module and a feature.
    if releases.iter().any(|r| r.report.no_baseline.is_some()) {
        level = level.max(Level::Additive);
    }
    let version = report::bump(&old_version, level).map_err(|e| format!("{manifest}: {e}"))?;
    let facade_toml = crate::emit::files::replace_region(
        facade_toml,
        "version",
        &format!("version = \"{version}\"\n"),
    )
    .map_err(|e| format!("{manifest}: {e}"))?;

    let entry = (level > Level::None).then(|| {
        format!(
            "Providers whose spec changed ({}):\n\n{}\n",
            level.word(),
            lines.join("\n")
        )
    });
    let changelog = changelog(
        root,
        "crates/tasks-sdk/CHANGELOG.md",
        "tasks-sdk",
        &old_version,
        &version,
        date,
        entry.as_deref(),
    )?;

    let root_toml = std::fs::read_to_string(root.join("Cargo.toml")).ok();
    let mut outputs = vec![Output::new(
        "crates/tasks-sdk/CHANGELOG.md".into(),
        changelog,
    )];
    if let Some(root_toml) = root_toml {
        let root_toml = crate::emit::files::replace_region(
            &root_toml,
            "facade-version",
            &format!("tasks-sdk = {{ path = \"crates/tasks-sdk\", version = \"{version}\" }}\n"),
        )
        .map_err(|e| format!("Cargo.toml: {e}"))?;
        outputs.push(Output::new("Cargo.toml".into(), root_toml));
    }
    if let Ok(lock) = std::fs::read_to_string(root.join("Cargo.lock")) {
        let mut versions: Vec<(String, String)> = releases
            .iter()
            .map(|r| (format!("tasks-sdk-{}", r.name), r.version.clone()))
            .collect();
        versions.push(("tasks-sdk".into(), version.clone()));
        outputs.push(Output::new(
            "Cargo.lock".into(),
            lock_versions(&lock, &versions),
        ));
    }
    Ok((facade_toml, outputs, version))
}

/// `Cargo.lock` with the `version` of each named package set.
pub fn lock_versions(lock: &str, versions: &[(String, String)]) -> String {
    let mut out = String::with_capacity(lock.len());
    let mut current: Option<&str> = None;
    for line in lock.split_inclusive('\n') {
        if line == "[[package]]\n" {
            current = None;
        } else if let Some(name) = line.strip_prefix("name = \"") {
            let name = name.trim_end().trim_end_matches('"');
            current = versions
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str());
        } else if let (Some(version), true) = (current, line.starts_with("version = \"")) {
            out.push_str(&format!("version = \"{version}\"\n"));
            current = None;
            continue;
        }
        out.push_str(line);
    }
    out
}

/// Today's date (UTC), or that of `SOURCE_DATE_EPOCH` when set, as `YYYY-MM-DD`.
///
/// Read once, in `main`, and passed down. Tests give a fixed date instead
/// (`testing::DATE`): under `cfg(test)` this panics, so no test's expectation can
/// depend on the day it runs.
#[cfg(test)]
pub fn today() -> String {
    panic!("a test reached release::today(): pass a fixed date (testing::DATE) instead")
}

/// Today's date (UTC), or that of `SOURCE_DATE_EPOCH` when set, as `YYYY-MM-DD`.
#[cfg(not(test))]
pub fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    civil_date(seconds.div_euclid(86_400))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's
/// `civil_from_days`).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_versions_and_lock_entries() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_780), "2026-11-23");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(
            manifest_version("[package]\nname = \"a\"\nversion = \"0.3.1\"\n", "9.9.9").as_deref(),
            Some("0.3.1")
        );
        assert_eq!(
            manifest_version("[package]\nversion.workspace = true\n", "0.1.0").as_deref(),
            Some("0.1.0")
        );
        let lock = "[[package]]\nname = \"tasks-sdk-deck\"\nversion = \"0.1.0\"\ndependencies = [\n \"x\",\n]\n\n[[package]]\nname = \"x\"\nversion = \"0.1.0\"\n";
        assert_eq!(
            lock_versions(lock, &[("tasks-sdk-deck".into(), "0.2.0".into())]),
            lock.replacen("0.1.0", "0.2.0", 1)
        );
    }

    #[test]
    fn changelog_entries_replace_pending_ones_and_never_pile_up() {
        let dir = std::env::temp_dir().join(format!("xtask-changelog-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let log = |old: &str, new: &str, entry: Option<&str>| {
            changelog(&dir, "CHANGELOG.md", "k", old, new, "2026-11-24", entry).unwrap()
        };
        let first = log("0.1.0", "0.1.0", None);
        assert!(first.starts_with("# Changelog\n\nAll notable changes to `k`"));
        assert!(first.ends_with("## [0.1.0] - 2026-11-24\n\nThe first version.\n"));
        std::fs::write(dir.join("CHANGELOG.md"), &first).unwrap();
        let bumped = log("0.1.0", "0.2.0", Some("Breaking.\n"));
        assert_eq!(
            bumped,
            first.replace(
                "## [0.1.0]",
                "## [0.2.0] - 2026-11-24\n\nBreaking.\n\n## [0.1.0]"
            )
        );
        std::fs::write(dir.join("CHANGELOG.md"), &bumped).unwrap();
        assert_eq!(
            log("0.1.0", "0.2.0", Some("Breaking.\n")),
            bumped,
            "idempotent"
        );
        // The spec changed again before the commit: the pending entry is replaced.
        let patched = log("0.1.0", "0.1.1", Some("Additive.\n"));
        assert_eq!(
            patched,
            bumped
                .replace("[0.2.0]", "[0.1.1]")
                .replace("Breaking.", "Additive.")
        );
        // Reverted: no entry.
        assert_eq!(log("0.1.0", "0.1.0", None), first);
        // A new crate's entry replaces the first-version one.
        let new_crate = log("0.1.0", "0.1.0", Some("New.\n"));
        assert_eq!(new_crate, first.replace("The first version.", "New.\n"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

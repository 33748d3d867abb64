//! `cargo xtask conformance [--dir D] [DOC...]`: is every request a generated client
//! sends one its document allows, and does it read every answer?
//!
//! Each document is generated as a provider crate (in memory, then into one scratch
//! workspace under `target/conformance/`), with a program that calls each operation
//! once ([`crate::emit::conformance`]: the test kit's example value of every required
//! parameter and body, a credential for every security scheme). The programs are built
//! with one `cargo build`, then each runs against Stoplight Prism's mock of the
//! *original* document (an independent implementation: it validates the request and
//! answers from the document), in static mode (the documented examples) and dynamic
//! mode (`-d`: random schema-valid answers). Each call is `right`, `rejected` (Prism
//! refused the request: the client sent what the document does not allow),
//! `undecoded` (the answer did not decode) or `client` (the client stopped before
//! sending, or the document could not be generated).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::commands::prism::{Mock, prism};
use crate::commands::scratch;
use crate::emit;
use crate::emit::files::Output;

/// Options of `cargo xtask conformance`.
pub struct Options {
    /// Documents, and the documents of a folder.
    pub documents: Vec<PathBuf>,
    pub dir: Option<PathBuf>,
    /// Static mode only (no `-d`).
    pub static_only: bool,
}

/// One call's outcome.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Call {
    operation: String,
    class: String,
    what: String,
}

/// One document's results, per mode.
struct Outcome {
    document: PathBuf,
    /// Why nothing was called (the document did not generate, its crate did not build,
    /// Prism refused the document).
    failed: Option<String>,
    modes: Vec<(&'static str, Vec<Call>)>,
}

pub fn run(root: &Path, options: &Options) -> Result<ExitCode, String> {
    let documents = documents(root, options)?;
    if documents.is_empty() {
        return Err("no document: name files, or a folder with --dir".into());
    }
    let prism = prism(root)?;
    let work = root.join("target/conformance");
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;

    // Every document's crate and program, into one workspace built once.
    let mut outcomes = Vec::new();
    let mut crates = Vec::new();
    for (i, document) in documents.iter().enumerate() {
        let name = format!("c{i}");
        match generate(&name, document) {
            Ok(outputs) => crates.push((name, outputs)),
            Err(e) => outcomes.push(Outcome {
                document: document.clone(),
                failed: Some(format!("not generated: {e}")),
                modes: Vec::new(),
            }),
        }
    }
    let ws = work.join("workspace");
    scratch::write_workspace(root, &ws, &crates)?;
    // No program of an earlier run (of another document) may stand in for one that
    // does not build now.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    for (name, _) in &crates {
        let _ = std::fs::remove_file(
            target
                .join("debug/examples")
                .join(format!("conformance_{name}")),
        );
    }
    let build = scratch::cargo(root, &ws)
        .args([
            "build",
            "--offline",
            "--keep-going",
            "--examples",
            "--workspace",
        ])
        .output()
        .map_err(|e| format!("cargo build: {e}"))?;
    let build_log = work.join("build.log");
    std::fs::write(&build_log, [build.stdout, build.stderr].concat())
        .map_err(|e| format!("{}: {e}", build_log.display()))?;

    let modes: &[(&str, bool)] = if options.static_only {
        &[("static", false)]
    } else {
        &[("static", false), ("dynamic", true)]
    };
    for (i, document) in documents.iter().enumerate() {
        let name = format!("c{i}");
        if !crates.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let program = target
            .join("debug/examples")
            .join(format!("conformance_{name}"));
        if !program.exists() {
            outcomes.push(Outcome {
                document: document.clone(),
                failed: Some(format!(
                    "its crate does not build (see {})",
                    build_log.display()
                )),
                modes: Vec::new(),
            });
            continue;
        }
        let mut outcome = Outcome {
            document: document.clone(),
            failed: None,
            modes: Vec::new(),
        };
        for &(mode, dynamic) in modes {
            // One log per mock: `prism-c0-static.log`, `prism-c0-static-<operation>.log`.
            let start = |tag: &str| {
                let log = work.join(format!("prism-{name}-{mode}{tag}.log"));
                Mock::start(&prism, document, 0, dynamic, &log)
            };
            match start("").and_then(|mut mock| {
                let calls = call_all(&program, &mock, None)?;
                if mock.alive() {
                    return Ok(calls);
                }
                again_after_a_crash(calls, &program, start)
            }) {
                Ok(calls) => outcome.modes.push((mode, calls)),
                Err(e) => {
                    outcome.failed = Some(format!("{mode}: {e}"));
                    break;
                }
            }
        }
        outcomes.push(outcome);
    }
    outcomes.sort_by(|a, b| a.document.cmp(&b.document));
    Ok(report(root, &outcomes))
}

/// The documents named, then those of `--dir` (YAML or JSON), in name order.
fn documents(root: &Path, options: &Options) -> Result<Vec<PathBuf>, String> {
    let mut out: Vec<PathBuf> = options.documents.iter().map(|d| root.join(d)).collect();
    if let Some(dir) = &options.dir {
        let dir = root.join(dir);
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
            })
            .collect();
        found.sort();
        out.extend(found);
    }
    for document in &out {
        if !document.is_file() {
            return Err(format!("{}: no such file", document.display()));
        }
    }
    Ok(out)
}

/// The crate of `document` as provider `name`, with its conformance program.
fn generate(name: &str, document: &Path) -> Result<Vec<Output>, String> {
    let doc = crate::document::load(document)?;
    let mut prepared = crate::model::prepare_doc(name, document.display().to_string(), doc, None)?;
    let mut outputs = emit::generate(&mut prepared)?;
    let code = outputs
        .iter()
        .find(|o| o.path.ends_with("src/generated.rs"))
        .map(|o| o.contents.clone())
        .ok_or("no generated.rs")?;
    outputs.push(Output::new(
        format!("crates/tasks-sdk-{name}/examples/conformance_{name}.rs"),
        emit::conformance::program(&prepared, &code)?,
    ));
    Ok(outputs)
}

/// Prism crashed on one of `calls` (a fault of Prism: it dies on some requests it
/// should validate), and the calls after it found no server: each is made again against
/// a new mock, alone; one that crashes it again is classed `prism`.
fn again_after_a_crash(
    calls: Vec<Call>,
    program: &Path,
    start: impl Fn(&str) -> Result<Mock, String>,
) -> Result<Vec<Call>, String> {
    let mut out = Vec::with_capacity(calls.len());
    for call in calls {
        if call.class != "client" || !call.what.contains("connection failed") {
            out.push(call);
            continue;
        }
        let mut mock = start(&format!("-{}", call.operation))?;
        let mut again = call_all(program, &mock, Some(&call.operation))?;
        // A mock that crashed on the request may still be exiting.
        std::thread::sleep(std::time::Duration::from_millis(300));
        match again.pop() {
            Some(_) if !mock.alive() => out.push(Call {
                class: "prism".into(),
                what: format!(
                    "the mock crashed on this request (a fault of Prism): {}",
                    mock.crash().unwrap_or_default()
                ),
                ..call
            }),
            Some(answer) => out.push(answer),
            None => out.push(call),
        }
    }
    Ok(out)
}

/// Runs `program` against `mock` (`only`: that operation); its lines, one per call.
fn call_all(program: &Path, mock: &Mock, only: Option<&str>) -> Result<Vec<Call>, String> {
    let mut command = std::process::Command::new(program);
    if let Some(only) = only {
        command.env("CONFORMANCE_ONLY", only);
    }
    let output = command
        .env("CONFORMANCE_BASE_URL", format!("http://{}", mock.address))
        .output()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    let calls: Vec<Call> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(3, '\t');
            Some(Call {
                operation: parts.next()?.to_owned(),
                class: parts.next()?.to_owned(),
                what: parts.next().unwrap_or_default().to_owned(),
            })
        })
        .collect();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!(
            "the program stopped after {} calls ({}): {last}",
            calls.len(),
            output.status
        ));
    }
    Ok(calls)
}

/// Prints the report; success when every call of every document is right.
fn report(root: &Path, outcomes: &[Outcome]) -> ExitCode {
    let mut all_right = true;
    let (mut calls, mut right) = (0, 0);
    for outcome in outcomes {
        let name = outcome
            .document
            .strip_prefix(root)
            .unwrap_or(&outcome.document)
            .display();
        if let Some(why) = &outcome.failed {
            println!("{name}: {why}");
            all_right = false;
        }
        for (mode, list) in &outcome.modes {
            let count = |class: &str| list.iter().filter(|c| c.class == class).count();
            calls += list.len();
            right += count("right");
            println!(
                "{name}: {mode}: {} calls, right {}, rejected {}, undecoded {}, client {}, mock crashed {}",
                list.len(),
                count("right"),
                count("rejected"),
                count("undecoded"),
                count("client"),
                count("prism")
            );
            for call in list.iter().filter(|c| c.class != "right") {
                all_right = false;
                println!("  {} {}: {}", call.operation, call.class, call.what);
            }
        }
    }
    println!(
        "conformance: {right} of {calls} calls right in {} documents",
        outcomes.len()
    );
    if all_right {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

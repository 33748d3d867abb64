//! `cargo xtask`: the tasks-sdk generator.
//!
//! `cargo xtask regen` reads `specs/<provider>/openapi.yaml` (+ `overlay.yaml`) and
//! writes `crates/tasks-sdk-<provider>/` and the files that list every provider.
//! Stages, one module each: [`spec`] (load, check), [`overlay`], [`normalize`],
//! [`generate`] (progenitor, crate files), [`files`] (atomic writes, `--check`).
//! `cargo xtask corpus` ([`corpus`]) runs the same stages on thousands of public documents.

mod bench;
mod catch;
mod corpus;
mod demo;
mod detect;
mod extend;
mod files;
mod generate;
mod model;
mod naming;
mod normalize;
mod overlay;
mod paging;
mod providers;
mod scratch;
mod spec;
mod stream;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::files::Output;
use crate::providers::PROVIDERS;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Maintenance tasks of the tasks-sdk workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate the provider crates from specs/ (all of them, or one).
    Regen {
        /// Only this provider (its crate; the shared files need a full run).
        #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(PROVIDERS.iter().map(|p| p.name)))]
        provider: Option<String>,
        /// Write nothing; exit 1 with a short diff if committed files are stale.
        #[arg(long)]
        check: bool,
    },
    /// Start Stoplight Prism for every spec and list tasks from all five mocks.
    Demo,
    /// Run every benchmark and write the results into BENCHMARKS.md (needs valgrind and hyperfine).
    Bench,
    /// Run the generator (in memory) on every document of the APIs.guru collection
    /// (`npm ci` installs it) and print the failure classes.
    Corpus {
        /// Also write a deterministic sample of N generated crates to target/corpus/ and
        /// `cargo check` them.
        #[arg(long, value_name = "N")]
        compile: Option<usize>,
        /// Only documents whose path contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// Print every failing document with its error line.
        #[arg(long)]
        verbose: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = workspace_root();
    let result = match cli.command {
        Command::Regen { provider, check } => regen(&root, provider.as_deref(), check),
        Command::Demo => demo::run(&root),
        Command::Bench => bench::run(&root),
        Command::Corpus {
            compile,
            filter,
            verbose,
        } => corpus::run(
            &root,
            &corpus::Options {
                compile,
                filter,
                verbose,
            },
        ),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace")
        .to_path_buf()
}

/// Generates everything in memory first: a bad spec leaves the tree untouched.
fn regen(root: &Path, only: Option<&str>, check: bool) -> Result<ExitCode, String> {
    let rows = PROVIDERS
        .iter()
        .filter(|p| only.is_none_or(|name| p.name == name));
    let mut prepared = Vec::new();
    let mut outputs: Vec<Output> = Vec::new();
    for row in rows {
        let p = model::prepare(root, *row)?;
        outputs.extend(generate::generate(&p)?);
        prepared.push(p);
    }
    if only.is_none() {
        outputs.extend(generate::shared_outputs(root, &prepared)?);
    }

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
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scratch copy of what regen reads: specs/, the facade manifest, README.md.
    fn scratch_root(tag: &str) -> PathBuf {
        let real = workspace_root();
        let dir = std::env::temp_dir().join(format!("xtask-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for row in PROVIDERS {
            let specs = dir.join("specs").join(row.name);
            std::fs::create_dir_all(&specs).unwrap();
            for file in ["openapi.yaml", "overlay.yaml"] {
                let from = real.join("specs").join(row.name).join(file);
                if from.exists() {
                    std::fs::copy(from, specs.join(file)).unwrap();
                }
            }
        }
        std::fs::create_dir_all(dir.join("crates/tasks-sdk")).unwrap();
        for file in ["crates/tasks-sdk/Cargo.toml", "README.md"] {
            std::fs::copy(real.join(file), dir.join(file)).unwrap();
        }
        dir
    }

    fn generated_files(root: &Path) -> Vec<PathBuf> {
        let crates = root.join("crates");
        let mut found = Vec::new();
        for row in PROVIDERS {
            let krate = crates.join(format!("tasks-sdk-{}", row.name));
            if krate.exists() {
                found.push(krate);
            }
        }
        found
    }

    #[test]
    fn regen_is_deterministic_and_matches_the_committed_crates() {
        let root = workspace_root();
        let generate_all = || {
            PROVIDERS
                .iter()
                .flat_map(|row| generate::generate(&model::prepare(&root, *row).unwrap()).unwrap())
                .map(|o| (o.path, o.contents))
                .collect::<Vec<_>>()
        };
        let first = generate_all();
        assert_eq!(first, generate_all(), "two runs must give identical bytes");
        for (path, contents) in &first {
            let committed = std::fs::read_to_string(root.join(path)).unwrap();
            assert!(
                committed == *contents,
                "{} is stale: run cargo xtask regen",
                path.display()
            );
        }
    }

    /// `xtask/corpus/*.yaml`: broken (and one legitimate) specs. Each file's first line
    /// says what regen must answer: `# expect: <start of the error line>` or
    /// `# expect: ok`. The spec stands in for Twill's (without its overlay); a failing
    /// regen must write nothing.
    #[test]
    fn the_corpus_of_broken_specs_fails_with_one_line_and_writes_nothing() {
        let corpus = workspace_root().join("xtask/corpus");
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&corpus)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        cases.sort();
        assert!(cases.len() >= 15, "the corpus lost cases: {cases:?}");
        for case in cases {
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&case).unwrap();
            let expect = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix("# expect: "))
                .expect("an expect line");
            let root = scratch_root("corpus");
            std::fs::write(root.join("specs/twill/openapi.yaml"), &text).unwrap();
            std::fs::remove_file(root.join("specs/twill/overlay.yaml")).unwrap();
            let readme_before = std::fs::read_to_string(root.join("README.md")).unwrap();

            let result = regen(&root, None, false);

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

    #[test]
    fn check_fails_after_a_one_word_change_to_a_description() {
        let root = scratch_root("check");
        assert_eq!(regen(&root, None, false).unwrap(), ExitCode::SUCCESS);
        assert_eq!(regen(&root, None, true).unwrap(), ExitCode::SUCCESS);
        let spec_path = root.join("specs/deck/openapi.yaml");
        let spec = std::fs::read_to_string(&spec_path).unwrap();
        std::fs::write(
            &spec_path,
            spec.replacen(
                "Display name for the task.",
                "Display label for the task.",
                1,
            ),
        )
        .unwrap();
        assert_eq!(regen(&root, None, true).unwrap(), ExitCode::FAILURE);
        std::fs::remove_dir_all(&root).unwrap();
    }
}

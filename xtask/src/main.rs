//! `cargo xtask`: the tasks-sdk generator.
//!
//! `cargo xtask regen` reads `specs/<provider>/openapi.yaml` (+ `overlay.yaml`) and
//! writes `crates/tasks-sdk-<provider>/` and the files that list every provider. One
//! folder per stage, each importing only from the stages below it:
//!
//! ```text
//! commands   regen, add-provider, corpus, schema-suite, bench, demo, pull, semver-checks
//!    |
//! release    public API of a generated crate, change report, versions, changelogs
//!    |
//! emit       progenitor and the Rust we add to it, the test kit, crate and facade files
//!    |
//! model      the one typed provider model: operations, auth, pagination, task mapping
//!    |
//! normalize  any 3.0/3.1 document -> the OpenAPI 3.0.3 subset progenitor generates from
//!    |
//! document   load, check, overlay, JSON Pointer, the schema walker, naming
//! ```
//!
//! Beside them: [`workspace`] (where the checkout is, found at run time). Tests that run
//! a tiny document through every stage are in `tests/`; each stage's own unit tests sit
//! next to its code. Where to add:
//!
//! - a rewrite of documents progenitor cannot generate from: a function in the
//!   `normalize/` file of its family, called in order from `normalize::normalize`;
//! - a fact the emitters need (about operations, auth, paging, tasks): `model/`, computed
//!   once in `model::prepare_doc` and read from `Prepared`;
//! - Rust or files written from the model: a file in `emit/`, called from
//!   `emit::generate` (one crate) or `emit::facade::shared_outputs` (every provider);
//! - a command: a file in `commands/`, a variant of `Command` below.

mod commands;
mod document;
mod emit;
mod model;
mod normalize;
mod release;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;
mod workspace;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::{
    add_provider, bench, conformance, corpus, demo, print_providers, provider_names, pull,
    regen::regen, schema_suite, semver_checks,
};

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
        /// Only this provider, a folder of specs/ (its crate; the shared files need a
        /// full run).
        #[arg(long, value_parser = provider_names())]
        provider: Option<String>,
        /// Write nothing; exit 1 with a short diff if committed files are stale.
        #[arg(long)]
        check: bool,
    },
    /// Download each provider's documentation page (`specs/<name>/source.yaml`), write
    /// its OpenAPI block to `openapi.yaml` when it changed, and regenerate (which prints
    /// what changed for Rust users and bumps the versions). A hand-written spec is
    /// flagged for review when its page's text changed.
    Pull {
        /// Only this provider (a folder of specs/).
        #[arg(value_parser = provider_names())]
        provider: Option<String>,
    },
    /// Add a provider from its published OpenAPI document: copy it to `specs/<name>/`,
    /// write a starter overlay with what was detected, regenerate, print what to review.
    AddProvider {
        /// The provider's name: crate `tasks-sdk-<name>`, module and feature `<name>`.
        name: String,
        /// The published document (OpenAPI 3.0, 3.1 or 3.2, or Swagger 2.0; YAML or JSON).
        #[arg(long, value_name = "FILE")]
        spec: PathBuf,
        /// The operation that lists tasks, when detection picks the wrong one:
        /// `"GET /path"` or an operationId.
        #[arg(long)]
        operation: Option<String>,
        /// The documentation page the document is published on (a Markdown page whose
        /// ```yaml block is the document): written to `specs/<name>/source.yaml`, so
        /// that `cargo xtask pull <name>` can download it again.
        #[arg(long, value_name = "URL")]
        page: Option<String>,
    },
    /// Run cargo-semver-checks on every provider crate and the facade against the last
    /// commit of its previous version (CI's proof that each bump is large enough).
    SemverChecks {
        /// Also replay spec changes (enum value added, field removed, required parameter
        /// added, description only) in a scratch clone and check each bump, plus a
        /// too-small bump that must be refused.
        #[arg(long)]
        scenarios: bool,
        /// Only print which crate would be compared with which commit.
        #[arg(long, conflicts_with = "scenarios")]
        plan: bool,
    },
    /// Start Stoplight Prism for every spec and list tasks from every mock.
    Demo,
    /// Generate each document's client and call every operation once against Stoplight
    /// Prism's mock of the document (static and dynamic mode); report each call as
    /// right, rejected by Prism, undecoded or a client error. Fails unless every call
    /// is right.
    Conformance {
        /// The documents (OpenAPI 3.x or Swagger 2.0, YAML or JSON).
        documents: Vec<std::path::PathBuf>,
        /// Also every document of this folder.
        #[arg(long, value_name = "FOLDER")]
        dir: Option<std::path::PathBuf>,
        /// Static mode only (Prism's documented examples, no `-d`).
        #[arg(long = "static")]
        static_only: bool,
    },
    /// Print the providers' names, one per line, in the order of the generated list.
    Providers,
    /// Run every benchmark and write the results into BENCHMARKS.md (needs valgrind and hyperfine).
    Bench {
        /// Only the generated code's size and compile time (lines per operation against
        /// progenitor's builder output, `cargo check` of a large crate with every group
        /// and with one).
        #[arg(long)]
        size: bool,
        /// With `--size`: print these documents' line counts instead of measuring the
        /// panel (nothing is written).
        #[arg(requires = "size")]
        documents: Vec<std::path::PathBuf>,
    },
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
        /// Another collection of documents (`*.json`, `*.yaml`, `*.yml` under it) instead
        /// of the APIs.guru one.
        #[arg(long, value_name = "FOLDER")]
        dir: Option<std::path::PathBuf>,
    },
    /// Run the generator on every test group of the official JSON Schema test suite
    /// (draft 2020-12, vendored in xtask/testsuite/), build the generated crates in one
    /// scratch workspace and decode every instance the suite calls valid.
    SchemaSuite {
        /// Only groups whose file name or description contains this text.
        #[arg(long)]
        filter: Option<String>,
        /// Generate only: no scratch workspace, no cargo.
        #[arg(long)]
        no_compile: bool,
        /// Print every failure (not just the first 40).
        #[arg(long)]
        verbose: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match workspace::root() {
        Ok(root) => root,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    // The one place the clock is read: the date of changelog entries, passed down so
    // that tests give their own.
    let today = release::today();
    let result = match cli.command {
        Command::Regen { provider, check } => regen(&root, provider.as_deref(), check, &today),
        Command::Pull { provider } => pull::run(&root, provider.as_deref(), &today),
        Command::AddProvider {
            name,
            spec,
            operation,
            page,
        } => add_provider::run(
            &root,
            &name,
            &spec,
            operation.as_deref(),
            page.as_deref(),
            &today,
        ),
        Command::SemverChecks { scenarios, plan } => {
            semver_checks::run(&root, scenarios, plan, &today)
        }
        Command::Demo => demo::run(&root),
        Command::Conformance {
            documents,
            dir,
            static_only,
        } => conformance::run(
            &root,
            &conformance::Options {
                documents,
                dir,
                static_only,
            },
        ),
        Command::Providers => print_providers(&root),
        Command::Bench { size, documents } => bench::run(&root, size, &documents),
        Command::Corpus {
            compile,
            filter,
            verbose,
            dir,
        } => corpus::run(
            &root,
            &corpus::Options {
                compile,
                filter,
                verbose,
                dir,
            },
        ),
        Command::SchemaSuite {
            filter,
            no_compile,
            verbose,
        } => schema_suite::run(
            &root,
            &schema_suite::Options {
                filter,
                no_compile,
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

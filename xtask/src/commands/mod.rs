//! The commands of `cargo xtask`, one file each: thin, they call the stages below.

pub mod add_provider;
pub mod bench;
pub mod code_size;
pub mod conformance;
pub mod corpus;
pub mod demo;
pub mod prism;
pub mod pull;
pub mod regen;
pub mod schema_suite;
pub mod scratch;
pub mod semver_checks;

use std::path::Path;
use std::process::ExitCode;

use crate::document::providers;

/// The target directory cargo builds into (`CARGO_TARGET_DIR`, else `target/`): where
/// the benchmarks write what they build and measure.
pub fn target_dir(root: &Path) -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

/// [`providers::names`] for clap's `--provider` values.
pub fn provider_names() -> clap::builder::PossibleValuesParser {
    // clap keeps `&'static str` values; parsed once per run.
    let names: Vec<&'static str> = crate::workspace::root()
        .and_then(|root| providers::names(&root))
        .unwrap_or_default()
        .into_iter()
        .map(|name| &*name.leak())
        .collect();
    clap::builder::PossibleValuesParser::new(names)
}

/// `cargo xtask providers`: one name per line on stdout (`.ci/run` loops over it).
pub fn print_providers(root: &Path) -> Result<ExitCode, String> {
    for name in providers::names(root)? {
        println!("{name}");
    }
    Ok(ExitCode::SUCCESS)
}

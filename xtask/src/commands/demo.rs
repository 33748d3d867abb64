//! `cargo xtask demo`: the whole stack against Stoplight Prism, with no account.
//!
//! Installs the pinned Prism (`npm ci`, from package.json and its lock file) if needed,
//! starts one `prism mock` per provider on 127.0.0.1 (ports 4010, 4011, ..., in the order
//! of [`crate::document::providers`]), points
//! each provider's `<PROVIDER>_BASE_URL` at its mock with a placeholder key, and runs
//! `tasks list --provider all --max-pages 1`. The mocks are stopped when it returns.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use crate::commands::prism::{Mock, prism};
use crate::document::providers::{self, ProviderInfo};

/// First port; provider `i` of [`crate::document::providers`] listens on `FIRST_PORT + i`.
pub const FIRST_PORT: u16 = 4010;

/// Starts one mock per provider and waits until each accepts connections.
pub fn start_mocks(root: &Path, providers: &[ProviderInfo]) -> Result<Vec<Mock>, String> {
    let prism = prism(root)?;
    let logs = root.join("target/demo");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    providers
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let document = root.join("specs").join(&row.name).join("openapi.yaml");
            let log = logs.join(format!("prism-{}.log", row.name));
            Mock::start(&prism, &document, FIRST_PORT + i as u16, false, &log)
                .map_err(|e| format!("{}: {e}", row.name))
        })
        .collect()
}

/// The environment that points every provider at its mock.
pub fn mock_env(providers: &[ProviderInfo]) -> Vec<(String, String)> {
    providers
        .iter()
        .enumerate()
        .flat_map(|(i, row)| {
            [
                (row.api_key_env.clone(), "demo-key".to_owned()),
                (
                    row.base_url_env.clone(),
                    format!("http://127.0.0.1:{}", FIRST_PORT + i as u16),
                ),
            ]
        })
        .collect()
}

pub fn run(root: &Path) -> Result<ExitCode, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let built = Command::new(&cargo)
        .args(["build", "--quiet", "-p", "tasks-cli"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err("cargo build -p tasks-cli failed".into());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let tasks = target.join("debug").join("tasks");

    let providers = providers::all(root)?;
    eprintln!(
        "starting {} Prism mocks on 127.0.0.1:{}..{}",
        providers.len(),
        FIRST_PORT,
        FIRST_PORT + providers.len() as u16 - 1
    );
    let mocks = start_mocks(root, &providers)?;
    eprintln!("$ tasks list --provider all --max-pages 1");
    let status = Command::new(&tasks)
        .args(["list", "--provider", "all", "--max-pages", "1"])
        .envs(mock_env(&providers))
        .status()
        .map_err(|e| format!("cannot run {}: {e}", tasks.display()))?;
    drop(mocks);
    Ok(ExitCode::from(status.code().unwrap_or(1) as u8))
}

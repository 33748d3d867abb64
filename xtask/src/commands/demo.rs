//! `cargo xtask demo`: the whole stack against Stoplight Prism, with no account.
//!
//! Installs the pinned Prism (`npm ci`, from package.json and its lock file) if needed,
//! starts one `prism mock` per provider on 127.0.0.1 (ports 4010, 4011, ..., in the order
//! of [`crate::document::providers`]), points
//! each provider's `<PROVIDER>_BASE_URL` at its mock with a placeholder key, and runs
//! `tasks list --provider all --max-pages 1`. The mocks are stopped when it returns.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::document::providers::{self, ProviderInfo};

/// First port; provider `i` of [`crate::document::providers`] listens on `FIRST_PORT + i`.
pub const FIRST_PORT: u16 = 4010;

/// The Prism processes, killed on drop whatever happens.
pub struct Mocks {
    children: Vec<(String, Child, PathBuf)>,
}

impl Drop for Mocks {
    fn drop(&mut self) {
        for (_, child, _) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `node_modules/.bin/prism`, installed with `npm ci` when missing.
pub fn prism(root: &Path) -> Result<PathBuf, String> {
    let prism = root.join("node_modules/.bin/prism");
    if !prism.exists() {
        eprintln!("installing Stoplight Prism (npm ci)...");
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(root)
            .status()
            .map_err(|e| format!("cannot run npm (is Node.js installed?): {e}"))?;
        if !status.success() || !prism.exists() {
            return Err(format!("npm ci failed ({status}); see its output above"));
        }
    }
    Ok(prism)
}

/// Starts one mock per provider and waits until each accepts connections.
pub fn start_mocks(root: &Path, providers: &[ProviderInfo]) -> Result<Mocks, String> {
    let prism = prism(root)?;
    let logs = root.join("target/demo");
    std::fs::create_dir_all(&logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let mut mocks = Mocks {
        children: Vec::new(),
    };
    for (i, row) in providers.iter().enumerate() {
        let port = FIRST_PORT + i as u16;
        let log_path = logs.join(format!("prism-{}.log", row.name));
        let log =
            std::fs::File::create(&log_path).map_err(|e| format!("{}: {e}", log_path.display()))?;
        let child = Command::new(&prism)
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(root.join("specs").join(&row.name).join("openapi.yaml"))
            .stdout(Stdio::from(log.try_clone().map_err(|e| e.to_string())?))
            .stderr(Stdio::from(log))
            .spawn()
            .map_err(|e| format!("cannot start prism: {e}"))?;
        mocks.children.push((row.name.clone(), child, log_path));
    }
    let deadline = Instant::now() + Duration::from_secs(90);
    for (i, (name, child, log)) in mocks.children.iter_mut().enumerate() {
        let address = format!("127.0.0.1:{}", FIRST_PORT + i as u16);
        while TcpStream::connect(&address).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                let tail = std::fs::read_to_string(&*log).unwrap_or_default();
                return Err(format!("prism for {name} exited ({status}):\n{tail}"));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "prism for {name} did not listen on {address} within 90 s; see {}",
                    log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    Ok(mocks)
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

//! Stoplight Prism (`node_modules/.bin/prism`, pinned in package.json): the independent
//! mock of a document that `demo` lists tasks from and `conformance` sends every
//! operation to. A [`Mock`] is one `prism mock` process on 127.0.0.1, stopped on drop.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// One running `prism mock`.
pub struct Mock {
    child: Child,
    /// `127.0.0.1:<port>`.
    pub address: String,
    /// Its output (errors, and the requests it refused, with why).
    pub log: PathBuf,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Mock {
    /// Starts `prism mock` on `document` (`dynamic`: `-d`, random schema-valid answers)
    /// on `port` (0: a free one), logging to `log`; returns once it accepts connections.
    pub fn start(
        prism: &Path,
        document: &Path,
        port: u16,
        dynamic: bool,
        log: &Path,
    ) -> Result<Mock, String> {
        let port = if port == 0 { free_port()? } else { port };
        let out = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let mut command = Command::new(prism);
        command
            .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
            .arg(document)
            .stdout(Stdio::from(out.try_clone().map_err(|e| e.to_string())?))
            .stderr(Stdio::from(out));
        if dynamic {
            command.arg("-d");
        }
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start prism: {e}"))?;
        let mut mock = Mock {
            child,
            address: format!("127.0.0.1:{port}"),
            log: log.to_owned(),
        };
        mock.wait_until_listening(Duration::from_secs(90))?;
        Ok(mock)
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The first line of the error it died with, if its log has one.
    pub fn crash(&self) -> Option<String> {
        let log = std::fs::read_to_string(&self.log).ok()?;
        log.lines()
            .find(|l| l.contains("Error:") && !l.contains("[HTTP SERVER]"))
            .map(|l| l.trim().to_owned())
    }

    fn wait_until_listening(&mut self, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        while TcpStream::connect(&self.address).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                let tail = std::fs::read_to_string(&self.log).unwrap_or_default();
                let tail: String = tail.lines().rev().take(5).collect::<Vec<_>>().join(" | ");
                return Err(format!("prism exited ({status}): {tail}"));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "prism did not listen on {} within {} s; see {}",
                    self.address,
                    limit.as_secs(),
                    self.log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(())
    }
}

/// A port nothing listens on now.
fn free_port() -> Result<u16, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port on 127.0.0.1: {e}"))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

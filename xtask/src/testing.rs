//! Test helpers: a scratch copy of what `regen` reads, and a local page server.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::document::providers;

/// The date tests give `regen`, `pull` and `add-provider` for changelog entries: a test
/// never reads the clock (`release::today` panics under `cfg(test)`), so that
/// what it expects holds on any day.
pub const DATE: &str = "2026-11-24";

/// A scratch copy of what regen reads: every file of each `specs/<name>/` folder, the
/// facade's and the CLI's manifests, README.md.
pub fn scratch_root(tag: &str) -> PathBuf {
    let real = crate::workspace::root().unwrap();
    let dir = std::env::temp_dir().join(format!("xtask-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for name in providers::names(&real).unwrap() {
        let from = real.join("specs").join(&name);
        let specs = dir.join("specs").join(&name);
        std::fs::create_dir_all(&specs).unwrap();
        for entry in std::fs::read_dir(&from).unwrap() {
            let path = entry.unwrap().path();
            if path.is_file() {
                std::fs::copy(&path, specs.join(path.file_name().unwrap())).unwrap();
            }
        }
    }
    for file in [
        "crates/tasks-sdk/Cargo.toml",
        "crates/tasks-cli/Cargo.toml",
        "README.md",
    ] {
        copy(&real, &dir, file);
    }
    dir
}

/// Copies `file` (relative) from `from` to `to`, creating folders.
pub fn copy(from: &Path, to: &Path, file: &str) {
    std::fs::create_dir_all(to.join(file).parent().unwrap()).unwrap();
    std::fs::copy(from.join(file), to.join(file)).unwrap();
}

type Pages = Arc<Mutex<HashMap<String, (u16, String)>>>;

/// An HTTP/1.1 server on 127.0.0.1 answering GETs from a table of pages (404
/// otherwise), one request per connection. It stops when dropped, or after a minute.
pub struct PageServer {
    addr: SocketAddr,
    pages: Pages,
    stop: Arc<AtomicBool>,
}

impl PageServer {
    pub fn start() -> PageServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let pages: Pages = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let (served, stopped) = (pages.clone(), stop.clone());
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(60);
            for (count, stream) in listener.incoming().enumerate() {
                if stopped.load(Ordering::SeqCst) || Instant::now() > deadline || count > 500 {
                    return;
                }
                if let Ok(stream) = stream {
                    let _ = answer(stream, &served);
                }
            }
        });
        PageServer { addr, pages, stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn set(&self, path: &str, status: u16, body: &str) {
        self.pages
            .lock()
            .unwrap()
            .insert(path.to_owned(), (status, body.to_owned()));
    }
}

impl Drop for PageServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

fn answer(mut stream: TcpStream, pages: &Pages) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        request.extend_from_slice(&buf[..n]);
    }
    let request = String::from_utf8_lossy(&request);
    let path = request.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let (status, body) = pages
        .lock()
        .unwrap()
        .get(&path)
        .cloned()
        .unwrap_or((404, "not found".into()));
    write!(
        stream,
        "HTTP/1.1 {status} X\r\ncontent-type: text/markdown; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

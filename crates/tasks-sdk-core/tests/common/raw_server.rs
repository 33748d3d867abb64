//! A scripted HTTP/1.1 server on 127.0.0.1 for the streamed responses' tests: each
//! connection reads one request and plays the next script (bytes written when and as
//! cut as the test says, pauses, a stall), then closes. wiremock writes a body at once;
//! these tests need its bytes in chosen pieces, and connections that break.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// One step of a scripted response.
#[derive(Clone)]
pub enum Step {
    /// Writes these bytes (one write, flushed).
    Write(Vec<u8>),
    /// Waits.
    Pause(Duration),
    /// Waits until the test says so.
    Wait(Arc<Notify>),
    /// Never goes on (the connection stays open, silent).
    Stall,
}

/// A request as the server read it.
#[derive(Clone, Debug)]
pub struct Received {
    /// The request line and headers, header names lower-cased.
    pub head: String,
    /// The body (de-chunked).
    pub body: Vec<u8>,
}

impl Received {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

pub struct RawServer {
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl RawServer {
    /// Serves `scripts[n]` to the n-th connection (the last one to any after it).
    pub async fn start(scripts: Vec<Vec<Step>>) -> RawServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let received = Arc::new(Mutex::new(Vec::new()));
        let log = received.clone();
        tokio::spawn(async move {
            let mut n = 0;
            while let Ok((socket, _)) = listener.accept().await {
                let script = scripts[n.min(scripts.len() - 1)].clone();
                n += 1;
                let log = log.clone();
                tokio::spawn(async move { play(socket, script, log).await });
            }
        });
        RawServer { base_url, received }
    }

    /// The requests read so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn play(mut socket: TcpStream, script: Vec<Step>, log: Arc<Mutex<Vec<Received>>>) {
    socket.set_nodelay(true).unwrap();
    let Some(request) = read_request(&mut socket).await else {
        return;
    };
    log.lock().unwrap().push(request);
    for step in script {
        match step {
            Step::Write(bytes) => {
                if socket.write_all(&bytes).await.is_err() {
                    return;
                }
                let _ = socket.flush().await;
            }
            Step::Pause(d) => tokio::time::sleep(d).await,
            Step::Wait(notify) => notify.notified().await,
            Step::Stall => std::future::pending::<()>().await,
        }
    }
}

async fn read_request(socket: &mut TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(&buf, b"\r\n\r\n") {
            break i;
        }
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut rest = buf[head_end + 4..].to_vec();
    let received = Received {
        head,
        body: Vec::new(),
    };
    let mut more = async |rest: &mut Vec<u8>| -> Option<()> {
        let n = socket.read(&mut chunk).await.ok()?;
        (n > 0).then(|| rest.extend_from_slice(&chunk[..n]))
    };
    let body = if let Some(length) = received.header("content-length") {
        let length: usize = length.parse().ok()?;
        while rest.len() < length {
            more(&mut rest).await?;
        }
        rest.truncate(length);
        rest
    } else if received
        .header("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(i) = find(&rest, b"\r\n") {
                    break i;
                }
                more(&mut rest).await?;
            };
            let size =
                usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).ok()?, 16).ok()?;
            rest.drain(..line_end + 2);
            while rest.len() < size + 2 {
                more(&mut rest).await?;
            }
            body.extend_from_slice(&rest[..size]);
            rest.drain(..size + 2);
            if size == 0 {
                break body;
            }
        }
    } else {
        Vec::new()
    };
    Some(Received { body, ..received })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A response head: status line, these headers, `Connection: close`.
pub fn head(status: u16, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status} X\r\nconnection: close\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    head.into_bytes()
}

/// The head of an event stream whose body ends when the connection closes.
pub fn sse_head() -> Vec<u8> {
    head(200, &[("content-type", "text/event-stream")])
}

/// The head of an event stream sent in chunks (`Transfer-Encoding: chunked`).
pub fn chunked_sse_head() -> Vec<u8> {
    head(
        200,
        &[
            ("content-type", "text/event-stream"),
            ("transfer-encoding", "chunked"),
        ],
    )
}

/// One chunk of a chunked body.
pub fn chunk(bytes: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", bytes.len()).into_bytes();
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
    out
}

/// The end of a chunked body.
pub const LAST_CHUNK: &[u8] = b"0\r\n\r\n";

/// A whole response with a `Content-Length`.
pub fn whole(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let length = body.len().to_string();
    let mut all: Vec<(&str, &str)> = headers.to_vec();
    all.push(("content-length", &length));
    let mut out = head(status, &all);
    out.extend_from_slice(body);
    out
}

/// One part of a `multipart/form-data` body as a server reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormPart {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// The parts of a `multipart/form-data` body (RFC 7578), by its `Content-Type`'s boundary.
pub fn form_parts(content_type: &str, body: &[u8]) -> Vec<FormPart> {
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let boundary = content_type.split("boundary=").nth(1).unwrap();
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut rest = body;
    let start = find(rest, delimiter.as_bytes()).expect("a first boundary");
    assert_eq!(start, 0, "the body starts with the boundary");
    rest = &rest[delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            assert_eq!(&rest[2..], b"\r\n", "the closing boundary ends the body");
            return parts;
        }
        rest = rest.strip_prefix(b"\r\n").expect("CRLF after a boundary");
        let end = find(rest, format!("\r\n{delimiter}").as_bytes()).expect("a next boundary");
        let part = &rest[..end];
        rest = &rest[end + 2 + delimiter.len()..];
        let head_end = find(part, b"\r\n\r\n").expect("part headers");
        let head = std::str::from_utf8(&part[..head_end]).unwrap();
        let mut form_part = FormPart {
            name: String::new(),
            file_name: None,
            content_type: None,
            body: part[head_end + 4..].to_vec(),
        };
        for line in head.split("\r\n") {
            let (name, value) = line.split_once(": ").unwrap();
            if name.eq_ignore_ascii_case("content-type") {
                form_part.content_type = Some(value.to_owned());
            } else if name.eq_ignore_ascii_case("content-disposition") {
                for param in value.split("; ").skip(1) {
                    let (key, value) = param.split_once('=').unwrap();
                    let value = value.trim_matches('"').to_owned();
                    match key {
                        "name" => form_part.name = value,
                        "filename" => form_part.file_name = Some(value),
                        _ => panic!("unexpected parameter {param}"),
                    }
                }
            }
        }
        parts.push(form_part);
    }
}

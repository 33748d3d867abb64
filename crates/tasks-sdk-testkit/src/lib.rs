//! Helpers for the HTTP-boundary tests of the provider crates: a local wiremock server
//! on 127.0.0.1, and assertions on the one request a client sent; for the
//! cross-provider tests, a valid list response of every provider ([`LIST_EXAMPLES`]).
#![warn(missing_docs)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tasks_sdk_core::{ClientBuilder, Provider, RetryPolicy, Sleep};
pub use wiremock;
use wiremock::{MockServer, Request, ResponseTemplate};

#[rustfmt::skip]
mod examples;
pub use examples::LIST_EXAMPLES;

/// One provider's list operation and a valid success body for it, written by
/// `cargo xtask regen` from the spec's schemas into [`LIST_EXAMPLES`]: every property,
/// one item in every array, fixed dates and UUIDs, the first value of every enum, and
/// pagination fields saying there is no next page. For tests that need "a valid page"
/// of a provider whose shapes they do not know.
#[derive(Clone, Copy, Debug)]
pub struct ListExample {
    /// The provider's name.
    pub provider: &'static str,
    /// The client method that lists tasks.
    pub method: &'static str,
    /// The body, as JSON text.
    pub body: &'static str,
    /// JSON pointer of the items array in the body (`""`: the body is the array).
    pub items: &'static str,
    /// Whether the page's schema requires the items field.
    pub items_required: bool,
    /// A required, non-nullable field of an item (`None`: items are not objects, or
    /// require nothing).
    pub required_item_field: Option<&'static str>,
    /// JSON pointer of a string holding a forward-compatible enum, where a value the
    /// spec does not list must decode.
    pub open_enum: Option<&'static str>,
    /// A body of the operation's first documented error response with a JSON schema,
    /// as JSON text.
    pub error_body: Option<&'static str>,
}

impl ListExample {
    /// The body, parsed.
    pub fn body(&self) -> serde_json::Value {
        serde_json::from_str(self.body).expect("generated JSON")
    }

    /// The body with its items array replaced by `items`.
    pub fn with_items(&self, items: Vec<serde_json::Value>) -> serde_json::Value {
        let mut body = self.body();
        *body.pointer_mut(self.items).expect("the items") = serde_json::Value::Array(items);
        body
    }

    /// The first item of the body.
    pub fn item(&self) -> serde_json::Value {
        self.body()
            .pointer(&format!("{}/0", self.items))
            .expect("one item")
            .clone()
    }
}

/// The example of `provider`; panics naming what to do when regen wrote none.
pub fn list_example(provider: &str) -> &'static ListExample {
    LIST_EXAMPLES
        .iter()
        .find(|e| e.provider == provider)
        .unwrap_or_else(|| {
            panic!("no list example for {provider}: its spec has no JSON list operation (see xtask/src/lists.rs)")
        })
}

/// Every environment variable through which `provider`'s client reads configuration:
/// the key, the base URL, and the two-part credentials' `<PREFIX>_...` variables.
pub fn env_vars(provider: &Provider) -> Vec<String> {
    let mut vars = vec![
        provider.api_key_env.to_owned(),
        provider.base_url_env.to_owned(),
    ];
    if !provider.env_prefix.is_empty() {
        for suffix in ["USERNAME", "PASSWORD", "CLIENT_ID", "CLIENT_SECRET"] {
            vars.push(format!("{}_{suffix}", provider.env_prefix));
        }
    }
    vars
}

/// The credential every test client is built with. Tests assert it is sent exactly as
/// the provider's auth scheme says, and nowhere else.
pub const API_KEY: &str = "sk_test_5ecretKey";

/// `User-Agent` every client sends.
pub const USER_AGENT: &str = concat!("tasks-sdk/", env!("CARGO_PKG_VERSION"));

/// A JSON response with the given status.
pub fn json(status: u16, body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

/// The single request the server received (panics if there were none or several).
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is on");
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {requests:?}"
    );
    requests.remove(0)
}

/// Asserts the method, path and exact query string of a request, and the headers every
/// request must carry: the credential in `auth_header` as `auth_value`, our
/// `User-Agent`, `Accept: application/json`, and no `api-version` (progenitor writes one;
/// the generator removes it).
pub fn assert_request(
    request: &Request,
    method: &str,
    path: &str,
    query: Option<&str>,
    auth_header: &str,
    auth_value: &str,
) {
    assert_eq!(request.method.as_str(), method, "method");
    assert_eq!(request.url.path(), path, "path");
    assert_eq!(request.url.query(), query, "query string");
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header"))
    };
    assert_eq!(
        header(auth_header),
        Some(auth_value),
        "auth header {auth_header}"
    );
    assert_eq!(header("user-agent"), Some(USER_AGENT), "user agent");
    assert_eq!(header("accept"), Some("application/json"), "accept");
    assert_eq!(
        header("api-version"),
        None,
        "the generator removes progenitor's api-version header"
    );
    for other in ["authorization", "x-api-key", "apikey"] {
        if other != auth_header {
            assert_eq!(header(other), None, "no credential in {other}");
        }
    }
}

/// A [`Sleep`] that returns at once and records every delay it was asked for, so that
/// retry tests neither wait nor guess.
pub fn recording_sleep() -> (Sleep, Arc<Mutex<Vec<Duration>>>) {
    let delays = Arc::new(Mutex::new(Vec::new()));
    let recorder = delays.clone();
    let sleep = Sleep::new(move |d| {
        recorder.lock().unwrap().push(d);
        async {}
    });
    (sleep, delays)
}

/// A builder for any provider's client against `base_url`, with [`API_KEY`] and
/// retries disabled (so that one response is one request).
pub fn single_attempt<C>(base_url: String) -> ClientBuilder<C> {
    ClientBuilder::new()
        .api_key(API_KEY)
        .base_url(base_url)
        .retry_policy(RetryPolicy::disabled())
}

/// Number of requests the server has received.
pub async fn request_count(server: &MockServer) -> usize {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .len()
}

/// What a [`raw_server`] does after reading a request's head: misbehaviours wiremock
/// cannot produce.
#[derive(Clone, Copy, Debug)]
pub enum RawBehaviour {
    /// Closes the connection without answering.
    CloseBeforeHeaders,
    /// Sends the status line, headers (promising 1,000 bytes) and a few bytes of the
    /// body, then stalls for a minute.
    StallMidBody,
}

/// A TCP server on 127.0.0.1 that misbehaves as told on every connection; returns its
/// base URL. It runs until the test's runtime stops.
pub async fn raw_server(behaviour: RawBehaviour) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().expect("bound"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut byte).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&byte[..n]),
                    }
                }
                match behaviour {
                    RawBehaviour::CloseBeforeHeaders => drop(socket),
                    RawBehaviour::StallMidBody => {
                        let start = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"tasks\": [";
                        let _ = socket.write_all(start.as_bytes()).await;
                        tokio::time::sleep(Duration::from_secs(60)).await;
                    }
                }
            });
        }
    });
    url
}

/// A `prism mock` of one spec on 127.0.0.1 (Stoplight Prism, installed from the
/// workspace's package.json with `npm ci` when missing). Killed on drop.
pub struct Prism {
    /// The mock's base URL.
    pub url: String,
    child: std::process::Child,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace")
}

/// Starts Prism on `specs/<provider>/openapi.yaml`, the vendored file itself, and waits
/// until it listens. Panics with what to do when Node.js or npm is missing.
pub fn start_prism(provider: &str) -> Prism {
    static INSTALL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let root = workspace_root();
    let prism = root.join("node_modules/.bin/prism");
    {
        let _one_at_a_time = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
        if !prism.exists() {
            let status = std::process::Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&root)
                .status()
                .expect("the contract tests need Node.js and npm for Stoplight Prism");
            assert!(
                status.success() && prism.exists(),
                "npm ci failed: {status}"
            );
        }
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let log = std::env::temp_dir().join(format!("prism-{provider}-{port}.log"));
    let log_file = std::fs::File::create(&log).expect("a log file");
    let child = std::process::Command::new(&prism)
        .args([
            "mock",
            "--errors",
            "false",
            "-h",
            "127.0.0.1",
            "-p",
            &port.to_string(),
        ])
        .arg(root.join("specs").join(provider).join("openapi.yaml"))
        .stdout(log_file.try_clone().expect("a log file"))
        .stderr(log_file)
        .spawn()
        .expect("prism starts");
    let mut prism = Prism {
        url: format!("http://127.0.0.1:{port}"),
        child,
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = prism.child.try_wait() {
            panic!(
                "prism exited ({status}): {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        assert!(
            std::time::Instant::now() < deadline,
            "prism did not listen within 90 s; see {}",
            log.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    prism
}

/// A client of `C` for a Prism mock at `url` (from [`start_prism`]): a placeholder key,
/// no retries; with `dynamic`, every request asks Prism for a random response valid for
/// the spec (`Prefer: dynamic=true`) instead of its examples.
pub fn prism_client<C: tasks_sdk_core::GeneratedClient>(url: &str, dynamic: bool) -> C {
    let mut headers = reqwest::header::HeaderMap::new();
    if dynamic {
        headers.insert(
            "prefer",
            reqwest::header::HeaderValue::from_static("dynamic=true"),
        );
    }
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("a reqwest client");
    ClientBuilder::<C>::new()
        .api_key("contract-test-key")
        .base_url(url)
        .http_client(http)
        .retry_policy(RetryPolicy::disabled())
        .build()
        .expect("a client for Prism")
}

/// Asserts a call to Prism succeeded, its body decoded, and Prism found nothing wrong
/// with the request (no request violation in its `sl-violations` header).
pub fn assert_valid<T: std::fmt::Debug, E: std::fmt::Debug>(
    what: &str,
    result: Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>,
) {
    let response = result.unwrap_or_else(|e| panic!("{what}: {e:?}"));
    assert_eq!(response.status().as_u16(), 200, "{what}");
    // Prism lists violations of the request and of its own response. Deck's spec makes
    // every `null` it generates for `oneOf: [{type: 'null'}, JsonElement]` match both
    // arms (JsonElement is any JSON), which Prism reports against its response; only the
    // request is ours.
    let Some(header) = response.headers().get("sl-violations") else {
        return;
    };
    let violations: Vec<serde_json::Value> =
        serde_json::from_slice(header.as_bytes()).expect("JSON violations");
    let ours: Vec<_> = violations
        .iter()
        .filter(|v| v["location"][0] == "request")
        .collect();
    assert!(
        ours.is_empty(),
        "{what}: Prism says the request violates the spec: {ours:?}"
    );
    assert!(
        !violations.is_empty(),
        "{what}: an empty sl-violations header"
    );
}

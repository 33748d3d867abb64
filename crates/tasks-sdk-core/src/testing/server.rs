//! The in-process HTTP server behind every provider's `testing::MockServer`: routes
//! requests to the operations of a spec, answers from what tests mounted (fixed replies,
//! pages of items, faults) and records every request.
//!
//! It is a hyper server on 127.0.0.1 rather than wiremock because one fault,
//! [`reset_connection`](super::Stub::reset_connection), must close a connection without
//! answering, which wiremock cannot do; matching is typed (see [`super::Stub::when`]),
//! so wiremock's matchers would not be used anyway.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

use super::body::{RequestBody, url_query_pairs};
use super::paging::{Paging, serve_page};
use super::reply::{HttpResponse, events_reply, json_reply, reply};
use crate::provider::{AuthScheme, Provider};

/// What a credential's value is replaced with in [`ReceivedRequest`].
pub const REDACTED: &str = "[REDACTED]";

/// One operation of the spec, as the mock server routes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The operation's method name, e.g. `list_tasks`.
    pub operation: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template, e.g. `/tasks/{task_id}`.
    pub path: &'static str,
    /// The status of a successful reply (the spec's first 2xx).
    pub success: u16,
}

impl Route {
    /// Whether a request's method and (percent-encoded) path are this operation's.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        if !self.method.eq_ignore_ascii_case(method) {
            return false;
        }
        let mut template = self.path.trim_matches('/').split('/');
        let mut actual = path.trim_matches('/').split('/');
        loop {
            match (template.next(), actual.next()) {
                (None, None) => return true,
                (Some(t), Some(a)) if t.contains('{') && t.contains('}') => {
                    // `{id}`, or `{id}.pdf`: the literal text around the variables.
                    let prefix = &t[..t.find('{').expect("checked")];
                    let suffix = &t[t.rfind('}').expect("checked") + 1..];
                    if a.len() <= prefix.len() + suffix.len()
                        || !a.starts_with(prefix)
                        || !a.ends_with(suffix)
                    {
                        return false;
                    }
                }
                (Some(t), Some(a)) if t == a => {}
                _ => return false,
            }
        }
    }
}

/// A request the mock server received, with the credential's value replaced by
/// [`REDACTED`] (in its header, query parameter or cookie).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The operation the request was routed to (its method name, e.g. `list_tasks`), or
    /// `None` when it matched no operation of the spec.
    pub operation: Option<&'static str>,
    /// The HTTP method, e.g. `GET`.
    pub method: String,
    /// The path, percent-encoded as sent.
    pub path: String,
    /// The query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers, names in lower case, in order.
    pub headers: Vec<(String, String)>,
    /// The body as sent.
    pub body: Bytes,
    /// Why the body does not match the operation's body type, when it does not.
    body_error: Option<String>,
}

impl ReceivedRequest {
    /// The first value of the query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first value of the header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// Why the body does not match the type of the operation's body, when it does not
    /// (the server answered `400` with this message): e.g. ``request body does not match
    /// CreateTask: missing field `title` at line 1 column 2``. `None` when it matches, or
    /// when the operation's body is not checked (see `MockOperation::REQUEST_BODY`).
    pub fn body_error(&self) -> Option<&str> {
        self.body_error.as_deref()
    }

    #[cfg(test)]
    pub(crate) fn new_for_tests(content_type: &str, body: &str) -> ReceivedRequest {
        ReceivedRequest {
            operation: None,
            method: "POST".into(),
            path: "/".into(),
            query: Vec::new(),
            headers: vec![("content-type".into(), content_type.into())],
            body: Bytes::from(body.to_owned()),
            body_error: None,
        }
    }

    /// The parts of a `multipart/form-data` body, in order, decoded (names, file names,
    /// content types, contents); `None` when the body is not one (its `Content-Type`
    /// names no boundary, or the body does not hold it).
    pub fn parts(&self) -> Option<Vec<ReceivedPart>> {
        let content_type = self.header("content-type")?;
        let (media, params) = content_type.split_once(';').unwrap_or((content_type, ""));
        if !media.trim().eq_ignore_ascii_case("multipart/form-data") {
            return None;
        }
        let boundary = parameter(params, "boundary")?;
        parse_multipart(&self.body, &boundary)
    }

    /// The names of [`parts`](Self::parts), for [`RequestBody::check`].
    pub(crate) fn part_names(&self) -> Option<Vec<String>> {
        self.parts()
            .map(|parts| parts.into_iter().map(|part| part.name).collect())
    }
}

/// One part of a `multipart/form-data` request body the mock server received.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedPart {
    /// The part's name (the body's property).
    pub name: String,
    /// The file name, for a file part.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if it has one (a text part has none).
    pub content_type: Option<String>,
    /// The part's content.
    pub body: Bytes,
}

impl ReceivedPart {
    /// The content's size in bytes.
    pub fn len(&self) -> usize {
        self.body.len()
    }

    /// Whether the content is empty.
    pub fn is_empty(&self) -> bool {
        self.body.is_empty()
    }

    /// The content as text, when it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.body).ok()
    }

    /// The content as JSON, when it is JSON.
    pub fn json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// The value of parameter `name` in `; a=b; c="d"` (a quoted string unescaped).
fn parameter(params: &str, name: &str) -> Option<String> {
    let mut rest = params;
    loop {
        rest = rest.trim_start_matches([';', ' ', '\t']);
        if rest.is_empty() {
            return None;
        }
        let (key, after) = rest.split_once('=')?;
        let key = key.trim();
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push(escaped);
                        }
                    }
                    c => value.push(c),
                }
            }
            (value, &quoted[end.min(quoted.len())..])
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(value);
        }
        rest = next;
    }
}

/// The parts of a multipart body delimited by `boundary` (RFC 7578), `None` when the
/// body is not one.
fn parse_multipart(body: &[u8], boundary: &str) -> Option<Vec<ReceivedPart>> {
    let delimiter = format!("--{boundary}");
    let find = |haystack: &[u8], needle: &[u8], from: usize| -> Option<usize> {
        haystack
            .get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let mut at = find(body, delimiter.as_bytes(), 0)? + delimiter.len();
    let close = format!("\r\n{delimiter}");
    let mut parts = Vec::new();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some(parts);
        }
        // The line break after the delimiter.
        at = find(body, b"\r\n", at)? + 2;
        let head_end = find(body, b"\r\n\r\n", at)?;
        let head = std::str::from_utf8(&body[at..head_end]).ok()?;
        let content_start = head_end + 4;
        let content_end = find(body, close.as_bytes(), content_start)?;
        let (mut name, mut file_name, mut content_type) = (None, None, None);
        for line in head.split("\r\n") {
            let Some((header, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if header.trim().eq_ignore_ascii_case("content-disposition") {
                let params = value.split_once(';').map_or("", |(_, p)| p);
                name = parameter(params, "name");
                file_name = crate::download::content_disposition_file_name(value.as_bytes());
            } else if header.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(value.to_owned());
            }
        }
        parts.push(ReceivedPart {
            name: name?,
            file_name,
            content_type,
            body: Bytes::copy_from_slice(&body[content_start..content_end]),
        });
        at = content_end + close.len();
    }
}

/// What a stub expects of a request, from the request its `when(..)` built.
#[derive(Clone, Debug)]
pub(crate) struct Expected {
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
}

impl Expected {
    fn matches(&self, path: &str, query: &[(String, String)]) -> bool {
        self.path == path && self.query.iter().all(|pair| query.contains(pair))
    }
}

/// A fault the server injects instead of (or before) its reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    /// 429 with `Retry-After`.
    RateLimited(Duration),
    /// 500.
    ServerError,
    /// Waits this long, then replies as it would have.
    Stall(Duration),
    /// 200 with a body that is not valid JSON.
    MalformedBody,
    /// Closes the connection without answering.
    ResetConnection,
}

/// A reply mounted for an operation.
pub(crate) enum Reply {
    Fixed {
        status: u16,
        content_type: String,
        body: Bytes,
    },
    Pages {
        // Boxed: a `Paging` is large next to the other replies.
        paging: Box<Paging>,
        items: Vec<Value>,
        page_size: Option<u64>,
    },
    Fault {
        fault: Fault,
        /// The body of a 429 or 500: an error body of the operation.
        error_body: Bytes,
    },
    /// A file: its content type, and a `Content-Disposition` when it has a name.
    File {
        status: u16,
        content_type: String,
        file_name: Option<String>,
        body: Bytes,
    },
    /// Server-sent events, each an encoded block sent as a chunk of its own; the first
    /// `numbered` have the ids `1`, `2`...: a request with `Last-Event-ID: n` gets the
    /// events after the `n`th.
    Events {
        status: u16,
        events: Vec<Bytes>,
        numbered: usize,
        delay: Option<Duration>,
        cut: Option<usize>,
    },
}

struct Mount {
    operation: &'static str,
    expected: Option<Expected>,
    reply: Reply,
    /// Calls left; `None`: every call.
    remaining: Option<usize>,
}

struct State {
    mounts: Vec<Mount>,
    received: Vec<ReceivedRequest>,
    /// The body each operation's requests must have, by operation (kept by `reset`).
    bodies: Vec<(&'static str, RequestBody)>,
}

struct Shared {
    provider: &'static Provider,
    routes: &'static [Route],
    uri: String,
    state: Mutex<State>,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panic while held is a bug in this module; the state is still consistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The server engine under each provider's `testing::MockServer`: a hyper server on
/// 127.0.0.1, stopped when dropped. Provider crates wrap it with typed stubs; use it
/// directly only to write such a wrapper.
pub struct MockEngine {
    shared: Arc<Shared>,
    accept: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for MockEngine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockEngine")
            .field("provider", &self.shared.provider.name)
            .field("uri", &self.shared.uri)
            .finish_non_exhaustive()
    }
}

impl Drop for MockEngine {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl MockEngine {
    /// Starts serving `routes` of `provider` on a free port of 127.0.0.1.
    ///
    /// # Panics
    /// When no loopback port can be bound, or outside a tokio runtime.
    pub async fn start(provider: &'static Provider, routes: &'static [Route]) -> MockEngine {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("tasks-sdk testing: cannot bind a port on 127.0.0.1");
        let address = listener
            .local_addr()
            .expect("tasks-sdk testing: a bound listener has an address");
        let shared = Arc::new(Shared {
            provider,
            routes,
            uri: format!("http://{address}"),
            state: Mutex::new(State {
                mounts: Vec::new(),
                received: Vec::new(),
                bodies: Vec::new(),
            }),
        });
        let accept = tokio::spawn(accept_loop(listener, shared.clone()));
        MockEngine { shared, accept }
    }

    /// The server's base URL, e.g. `http://127.0.0.1:49152`.
    pub fn uri(&self) -> &str {
        &self.shared.uri
    }

    /// The provider it serves.
    pub fn provider(&self) -> &'static Provider {
        self.shared.provider
    }

    /// Every request received so far, in order.
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.shared.state().received.clone()
    }

    /// Checks the body of every request to `operation` with `body` from now on (the
    /// stubs' `MockEngine::check_request_body`, in stub.rs, says when).
    pub(crate) fn expect_request_body(&self, operation: &'static str, body: RequestBody) {
        let mut state = self.shared.state();
        match state.bodies.iter_mut().find(|(op, _)| *op == operation) {
            Some((_, known)) => *known = body,
            None => state.bodies.push((operation, body)),
        }
    }

    /// Forgets every mounted reply and received request.
    pub fn reset(&self) {
        let mut state = self.shared.state();
        state.mounts.clear();
        state.received.clear();
    }

    pub(crate) fn mount(
        &self,
        operation: &'static str,
        expected: Option<Expected>,
        reply: Reply,
        remaining: Option<usize>,
    ) {
        self.shared.state().mounts.push(Mount {
            operation,
            expected,
            reply,
            remaining,
        });
    }
}

async fn accept_loop(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, say: try again shortly rather than spin.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| handle(shared.clone(), request));
            // An error here is a client that went away, or a reset we made on purpose.
            let _ = http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct ResetConnection;

impl fmt::Display for ResetConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection reset by the mock server, as asked")
    }
}

impl std::error::Error for ResetConnection {}

/// The parts of a request that routing and matching look at.
struct Arrived {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    /// The `Last-Event-ID` a reconnecting event stream sent.
    last_event_id: Option<String>,
}

async fn handle(
    shared: Arc<Shared>,
    request: hyper::Request<Incoming>,
) -> Result<HttpResponse, ResetConnection> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .unwrap_or_default();
    let path = parts.uri.path().to_owned();
    let query: Vec<(String, String)> = parts.uri.query().map(url_query_pairs).unwrap_or_default();
    let incoming = Arrived {
        method: parts.method.as_str().to_owned(),
        path,
        query,
        last_event_id: parts
            .headers
            .get("last-event-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
    };
    let route = shared
        .routes
        .iter()
        .find(|route| route.matches(&incoming.method, &incoming.path));
    let mut received = redacted(
        shared.provider,
        route.map(|r| r.operation),
        &incoming,
        &parts.headers,
        body,
    );
    let body_check = route.and_then(|route| {
        let state = shared.state();
        let (_, body) = state.bodies.iter().find(|(op, _)| *op == route.operation)?;
        Some(*body)
    });
    received.body_error =
        body_check.and_then(|body| body.check(&received.body, || received.part_names()));
    let body_error = received.body_error.clone();
    shared.state().received.push(received);
    if let Some(message) = body_error {
        return Ok(json_reply(400, &json!({ "error": message })));
    }
    let Some(route) = route else {
        return Ok(json_reply(
            404,
            &json!({ "error": format!(
                "tasks-sdk mock: {} {} is not an operation of the {} spec",
                incoming.method, incoming.path, shared.provider.title
            )}),
        ));
    };

    // Faults first, in the order mounted; a stall then lets the reply through.
    let mut stalled = false;
    loop {
        let fault = take_fault(&shared, route, &incoming, stalled);
        match fault {
            Some((Fault::Stall(duration), _)) => {
                tokio::time::sleep(duration).await;
                stalled = true;
            }
            Some((Fault::ResetConnection, _)) => return Err(ResetConnection),
            Some((Fault::MalformedBody, _)) => {
                return Ok(reply(
                    route.success,
                    "application/json",
                    Bytes::from_static(b"{\"tasks-sdk mock\": \"malformed"),
                ));
            }
            Some((Fault::ServerError, body)) => {
                return Ok(reply(500, "application/json", body));
            }
            Some((Fault::RateLimited(retry_after), body)) => {
                let mut response = reply(429, "application/json", body);
                // Whole seconds, rounded up: a `Retry-After` of 0 would mean "now".
                let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                response
                    .headers_mut()
                    .insert("retry-after", hyper::header::HeaderValue::from(seconds));
                return Ok(response);
            }
            None => break,
        }
    }
    Ok(stub_reply(&shared, route, &incoming))
}

/// Takes one call from the first fault mounted for this request (a stall only once).
fn take_fault(
    shared: &Shared,
    route: &Route,
    incoming: &Arrived,
    stalled: bool,
) -> Option<(Fault, Bytes)> {
    let mut state = shared.state();
    let index = state.mounts.iter().position(|mount| {
        matches!(&mount.reply, Reply::Fault { fault, .. }
            if !(stalled && matches!(fault, Fault::Stall(_))))
            && applies(mount, route, incoming)
    })?;
    let mount = &mut state.mounts[index];
    let Reply::Fault { fault, error_body } = &mount.reply else {
        unreachable!("found as a fault")
    };
    let taken = (*fault, error_body.clone());
    use_once(&mut state.mounts, index);
    Some(taken)
}

fn applies(mount: &Mount, route: &Route, incoming: &Arrived) -> bool {
    mount.operation == route.operation
        && mount.remaining != Some(0)
        && mount
            .expected
            .as_ref()
            .is_none_or(|e| e.matches(&incoming.path, &incoming.query))
}

fn use_once(mounts: &mut Vec<Mount>, index: usize) {
    if let Some(remaining) = &mut mounts[index].remaining {
        *remaining -= 1;
        if *remaining == 0 {
            mounts.remove(index);
        }
    }
}

/// The reply of the stub that matches: one with a `when(..)` before one without, and
/// among those the last mounted.
fn stub_reply(shared: &Shared, route: &Route, incoming: &Arrived) -> HttpResponse {
    let mut state = shared.state();
    let chosen = state
        .mounts
        .iter()
        .enumerate()
        .filter(|(_, mount)| {
            !matches!(mount.reply, Reply::Fault { .. }) && applies(mount, route, incoming)
        })
        .max_by_key(|(index, mount)| (mount.expected.is_some(), *index))
        .map(|(index, _)| index);
    let Some(index) = chosen else {
        let query: Vec<String> = incoming
            .query
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        return json_reply(
            404,
            &json!({ "error": format!(
                "tasks-sdk mock: no reply mounted for {} {}{}{} ({}): mount one with server.{}()",
                incoming.method,
                incoming.path,
                if query.is_empty() { "" } else { "?" },
                query.join("&"),
                route.operation,
                route.operation,
            )}),
        );
    };
    let response = match &state.mounts[index].reply {
        Reply::Fixed {
            status,
            content_type,
            body,
        } => reply(*status, content_type, body.clone()),
        Reply::Pages {
            paging,
            items,
            page_size,
        } => serve_page(
            paging,
            items,
            *page_size,
            route.success,
            &shared.uri,
            &incoming.path,
            &incoming.query,
        ),
        Reply::File {
            status,
            content_type,
            file_name,
            body,
        } => {
            let mut response = reply(*status, content_type, body.clone());
            let disposition = file_name.as_ref().and_then(|name| {
                let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
                hyper::header::HeaderValue::from_str(&format!("attachment; filename=\"{escaped}\""))
                    .ok()
            });
            if let Some(disposition) = disposition {
                response
                    .headers_mut()
                    .insert(hyper::header::CONTENT_DISPOSITION, disposition);
            }
            response
        }
        Reply::Events {
            status,
            events,
            numbered,
            delay,
            cut,
        } => {
            // A reconnection resumes after the last event it saw.
            let seen = incoming
                .last_event_id
                .as_deref()
                .and_then(|id| id.parse::<usize>().ok())
                .map_or(0, |n| n.min(*numbered));
            events_reply(*status, events[seen..].to_vec(), *delay, *cut)
        }
        Reply::Fault { .. } => unreachable!("faults are filtered out"),
    };
    use_once(&mut state.mounts, index);
    response
}

/// The query parameters that carry the provider's credential (`apiKey` in query).
pub(crate) fn credential_params(provider: &Provider) -> Vec<&'static str> {
    provider
        .auth
        .iter()
        .filter_map(|scheme| match scheme {
            AuthScheme::Query(name) => Some(*name),
            _ => None,
        })
        .collect()
}

/// The request as recorded: the credential's value replaced by [`REDACTED`].
fn redacted(
    provider: &Provider,
    operation: Option<&'static str>,
    incoming: &Arrived,
    headers: &hyper::HeaderMap,
    body: Bytes,
) -> ReceivedRequest {
    let mut secret_headers = vec!["authorization".to_owned(), "cookie".to_owned()];
    for scheme in provider.auth {
        if let AuthScheme::Header(name) = scheme {
            secret_headers.push(name.to_ascii_lowercase());
        }
    }
    let secret_params = credential_params(provider);
    let headers = headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_owned();
            let value = if secret_headers.contains(&name) {
                REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name, value)
        })
        .collect();
    let query = incoming
        .query
        .iter()
        .map(|(name, value)| {
            let value = if secret_params.contains(&name.as_str()) {
                REDACTED.to_owned()
            } else {
                value.clone()
            };
            (name.clone(), value)
        })
        .collect();
    ReceivedRequest {
        operation,
        method: incoming.method.clone(),
        path: incoming.path.clone(),
        query,
        headers,
        body,
        body_error: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROUTE: Route = Route {
        operation: "get_task",
        method: "GET",
        path: "/tasks/{task_id}",
        success: 200,
    };

    #[test]
    fn a_route_matches_its_method_and_template() {
        assert!(ROUTE.matches("GET", "/tasks/t1"));
        assert!(ROUTE.matches("get", "/tasks/t%201/"));
        assert!(!ROUTE.matches("POST", "/tasks/t1"));
        assert!(!ROUTE.matches("GET", "/tasks"));
        assert!(!ROUTE.matches("GET", "/tasks/"));
        assert!(!ROUTE.matches("GET", "/tasks/t1/notes"));
        let file = Route {
            path: "/reports/{id}.pdf",
            ..ROUTE
        };
        assert!(file.matches("GET", "/reports/r1.pdf"));
        assert!(!file.matches("GET", "/reports/.pdf"));
        assert!(!file.matches("GET", "/reports/r1.png"));
    }

    #[test]
    fn expected_pairs_are_a_subset_of_the_query() {
        let expected = Expected {
            path: "/tasks".into(),
            query: vec![("status".into(), "done".into())],
        };
        let query = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        };
        assert!(expected.matches("/tasks", &query(&[("limit", "2"), ("status", "done")])));
        assert!(!expected.matches("/tasks", &query(&[("status", "open")])));
        assert!(!expected.matches("/other", &query(&[("status", "done")])));
    }

    #[test]
    fn query_pairs_are_decoded() {
        assert_eq!(
            url_query_pairs("a=1&b=x%20y&a=2"),
            vec![
                ("a".to_owned(), "1".to_owned()),
                ("b".to_owned(), "x y".to_owned()),
                ("a".to_owned(), "2".to_owned())
            ]
        );
    }

    #[test]
    fn a_multipart_body_is_decoded_into_its_parts() {
        let body = "preamble\r\n--XyZ\r\n\
                    Content-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".txt\"\r\n\
                    Content-Type: text/plain\r\n\r\n\
                    line 1\r\nline 2\r\n\
                    --XyZ\r\n\
                    Content-Disposition: form-data; name=\"title\"\r\n\r\n\
                    Q3\r\n\
                    --XyZ--\r\n";
        let request = ReceivedRequest {
            operation: None,
            method: "POST".into(),
            path: "/".into(),
            query: Vec::new(),
            headers: vec![(
                "content-type".into(),
                "multipart/form-data; boundary=\"XyZ\"".into(),
            )],
            body: Bytes::from(body),
            body_error: None,
        };
        let parts = request.parts().unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "file");
        assert_eq!(parts[0].file_name.as_deref(), Some("a \"b\".txt"));
        assert_eq!(parts[0].content_type.as_deref(), Some("text/plain"));
        assert_eq!(parts[0].text(), Some("line 1\r\nline 2"));
        assert_eq!(parts[0].len(), 14);
        assert_eq!(
            (
                parts[1].name.as_str(),
                parts[1].file_name.as_deref(),
                parts[1].content_type.as_deref()
            ),
            ("title", None, None)
        );
        assert_eq!(parts[1].body, &b"Q3"[..]);
        let json = ReceivedRequest {
            headers: vec![("content-type".into(), "application/json".into())],
            ..request
        };
        assert!(json.parts().is_none());
    }
}

#[cfg(test)]
mod request_body_tests {
    //! `RequestBody::check` on what the server received (body.rs sits below the server).
    use super::*;

    trait CheckRequest {
        fn check_request(&self, request: &ReceivedRequest) -> Option<String>;
    }

    impl CheckRequest for RequestBody {
        fn check_request(&self, request: &ReceivedRequest) -> Option<String> {
            self.check(&request.body, || request.part_names())
        }
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Task {
        title: String,
        notes: Option<Vec<Note>>,
    }

    #[derive(serde::Deserialize)]
    #[allow(dead_code)]
    struct Note {
        text: String,
    }

    fn request(content_type: &str, body: &str) -> ReceivedRequest {
        ReceivedRequest::new_for_tests(content_type, body)
    }

    #[test]
    fn a_json_body_decodes_into_its_type_or_says_where_it_does_not() {
        let check = RequestBody::json::<Task>("Task");
        assert_eq!(
            check.check_request(&request("application/json", r#"{"title":"a"}"#)),
            None
        );
        assert_eq!(
            check
                .check_request(&request("application/json", r#"{"notes":[]}"#))
                .unwrap(),
            "request body does not match Task: missing field `title` at line 1 column 12"
        );
        assert_eq!(
            check
                .check_request(&request(
                    "application/json",
                    r#"{"title":"a","notes":[{"text":1}]}"#
                ))
                .unwrap(),
            "request body does not match Task: at `notes[0].text`: invalid type: integer `1`, \
             expected a string at line 1 column 31"
        );
        assert!(
            check
                .check_request(&request("application/json", r#"{"title":"a"} x"#))
                .unwrap()
                .contains("trailing characters")
        );
        assert!(
            check
                .check_request(&request("application/json", ""))
                .unwrap()
                .contains("EOF while parsing")
        );
        assert_eq!(
            check
                .optional()
                .check_request(&request("application/json", "")),
            None
        );
    }

    #[test]
    fn a_form_or_multipart_body_needs_its_required_properties() {
        let form = RequestBody::form("Invite", &["email", "meta"]);
        let content_type = "application/x-www-form-urlencoded";
        assert_eq!(
            form.check_request(&request(content_type, "email=a%40b&meta[x]=1")),
            None
        );
        assert_eq!(
            form.check_request(&request(content_type, "emails=a&meta=1"))
                .unwrap(),
            "request body does not match Invite: missing field `email`"
        );
        let multipart = RequestBody::multipart("Upload", &["title"]);
        let body = "--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--b--\r\n";
        assert_eq!(
            multipart
                .check_request(&request("multipart/form-data; boundary=b", body))
                .unwrap(),
            "request body does not match Upload: missing part `title`"
        );
        let body = body.replace("\"file\"", "\"title\"");
        assert_eq!(
            multipart.check_request(&request("multipart/form-data; boundary=b", &body)),
            None
        );
        assert!(
            multipart
                .check_request(&request("application/json", "{}"))
                .unwrap()
                .contains("not a multipart/form-data body")
        );
    }
}

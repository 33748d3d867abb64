//! Preparing (credential, user agent, parameter ranges, per-call options), sending and
//! retrying one request, and buffering its body.

use std::time::Instant;

use bytes::Bytes;
use futures_util::future::BoxFuture;
use reqwest::header::{AUTHORIZATION, USER_AGENT};
use reqwest::{Request, Response, StatusCode, Url};
use tracing::Instrument;

use super::convert::owned;
use super::security;
use super::state::Keep;
use super::state::{self, ResponseMeta, StreamLimits, fail, record};
use super::{Runtime, same_origin};
use crate::auth::{Auth, add_cookie, missing_credentials};
use crate::error::{Attempt, Error, Phase, timed_out};
use crate::response_facts::request_id_and_content_type;
use crate::retry::{Failure, is_retryable, requested_delay};

/// The total timeout given to reqwest for a streamed request: none that will run out
/// (reqwest's would cover the body too); the runtime bounds the head itself.
const UNBOUNDED: std::time::Duration = std::time::Duration::from_secs(100 * 365 * 24 * 3600);

impl Runtime {
    /// Runs before every request (progenitor's `ClientHooks::pre`): checks the documented
    /// ranges of numeric query parameters, checks that an operation that
    /// [requires a credential](crate::Operation::requires_auth) has one, applies the
    /// call's own headers and timeout ([`RequestOptions`](crate::RequestOptions)), sets
    /// `User-Agent`, and adds the credential, but only when the request goes to the
    /// configured base URL's origin: a sensitive header, a query parameter, a cookie, or
    /// an OAuth2 access token (fetched from the token endpoint when none is cached or it
    /// is about to expire).
    ///
    /// A configured credential is sent to every operation of the base URL's origin,
    /// including those that do not require one (optional authentication).
    ///
    /// On an error nothing is sent: the error is recorded for [`call`](crate::call), which
    /// returns it typed ([`Error::InvalidArgument`], [`Error::MissingCredentials`], or
    /// the token endpoint's [`Error::Unauthorized`]/[`Error::Connection`]/...), and
    /// returned here as its message.
    pub async fn prepare(&self, request: &mut Request, operation: &str) -> Result<(), String> {
        match self.prepare_now(request, operation)? {
            Some(token) => token.await,
            None => Ok(()),
        }
    }

    /// [`Runtime::prepare`]'s work, done at once but for fetching an OAuth2 token,
    /// which is returned to be awaited. An ordinary function rather than an `async`
    /// one: the state machine of an `async fn` is compiled again into every crate that
    /// awaits it (every provider crate), an ordinary function once, here.
    fn prepare_now<'a>(
        &'a self,
        request: &'a mut Request,
        operation: &str,
    ) -> Result<Option<BoxFuture<'a, Result<(), String>>>, String> {
        let shared = &*self.shared;
        // The generated table's entry, carried by the call; looked up by id only for a
        // raw progenitor `send()`.
        let op = state::read(|call| call.operation)
            .flatten()
            .or_else(|| shared.provider.operation(operation));
        if let Some(op) = op
            && !op.bounds.is_empty()
        {
            for (name, value) in request.url().query_pairs() {
                let Some(bounds) = op.bounds.iter().find(|b| b.name == name) else {
                    continue;
                };
                if let Err(reason) = check_bounds(&value, bounds.minimum, bounds.maximum) {
                    return Err(fail(Error::InvalidArgument {
                        name: name.into_owned(),
                        reason,
                    }));
                }
            }
        }
        // What goes with the request: the credentials the operation's security
        // requirement needs, or (requirements not declared per scheme) the client's one.
        let credentials = match op.and_then(|op| op.security) {
            Some(requirements) => security::choose(shared, requirements).map_err(fail)?,
            None => {
                // Operations not in the provider's table (none, in generated code) need one.
                let requires_auth = op.is_none_or(|op| op.requires_auth);
                if requires_auth
                    && matches!(shared.auth, Auth::None)
                    && !shared.provider.auth.is_empty()
                {
                    return Err(fail(missing_credentials(shared.provider, None)));
                }
                security::Credentials::Client(&shared.auth)
            }
        };
        let operation: &'static str = op.map_or("unknown", |op| op.id);
        let same_origin = same_origin(request.url(), &shared.base_url);
        let headers = request.headers_mut();
        headers.insert(USER_AGENT, shared.user_agent.clone());
        // The call's own headers and timeout, read in place (no copy of the options).
        let per_call = state::read(|call| {
            let options = call.options.as_ref()?;
            let credential_headers: Vec<&str> = shared
                .provider
                .auth
                .iter()
                .copied()
                .chain(shared.auth.scheme())
                .filter_map(|scheme| scheme.header_name())
                .collect();
            Some(
                options
                    .checked_headers(&credential_headers)
                    .map(|extra| (extra, options.timeout)),
            )
        })
        .flatten();
        if let Some(per_call) = per_call {
            let (extra, timeout) = per_call.map_err(fail)?;
            let headers = request.headers_mut();
            for (name, value) in extra {
                headers.insert(name, value);
            }
            if let Some(timeout) = timeout {
                *request.timeout_mut() = Some(timeout);
            }
        }
        let headers = request.headers_mut();
        if !same_origin {
            credentials.each(shared, |credential| {
                if let Auth::Header { name, .. } = credential {
                    headers.remove(name);
                }
            });
            return Ok(None);
        }
        let mut flow = None;
        credentials.each(shared, |credential| match credential {
            Auth::None => {}
            Auth::Header { name, value, .. } => {
                request.headers_mut().insert(name.clone(), value.clone());
            }
            Auth::Cookie { pair, .. } => add_cookie(request.headers_mut(), pair.expose()),
            Auth::Query { name, key } => {
                request
                    .url_mut()
                    .query_pairs_mut()
                    .append_pair(name, key.expose());
            }
            Auth::OAuth2(f) => flow = Some(f),
        });
        match flow {
            None => {}
            Some(flow) => {
                // Boxed: the token fetch is a large future, and every call's future would
                // otherwise carry (and move) its size.
                return Ok(Some(Box::pin(async move {
                    let bearer = flow
                        .bearer(
                            &shared.http,
                            &shared.user_agent,
                            shared.provider.name,
                            operation,
                            Attempt {
                                timeout: shared.timeout,
                                connect_timeout: shared.connect_timeout,
                                attempt: 1,
                                max_attempts: 1,
                            },
                        )
                        .await
                        .map_err(fail)?;
                    request.headers_mut().insert(AUTHORIZATION, bearer);
                    Ok(())
                })));
            }
        }
        Ok(None)
    }

    /// Sends a prepared request (progenitor's `ClientHooks::exec`): waits for the rate
    /// limiter if enabled, retries as the [`RetryPolicy`](crate::RetryPolicy) says, reads
    /// the body (so that a failed call can report it), and traces one span per request.
    pub async fn execute(
        &self,
        http: &reqwest::Client,
        request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        // A test kit stub's `when(..)` builds a request to match, not to send.
        #[cfg(feature = "test-util")]
        if crate::testing::capturing() {
            return Ok(crate::testing::keep(request));
        }
        let span = tracing::info_span!(
            "tasks_sdk.request",
            provider = self.shared.provider.name,
            operation,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        // With no subscriber interested, the span is not entered at every poll.
        if span.is_disabled() {
            self.execute_with_retries(http, request, false).await
        } else {
            self.execute_with_retries(http, request, true)
                .instrument(span)
                .await
        }
    }

    async fn execute_with_retries(
        &self,
        http: &reqwest::Client,
        mut request: Request,
        traced: bool,
    ) -> reqwest::Result<Response> {
        let per_call = state::read(|call| call.options.as_ref()?.retry.clone()).flatten();
        let policy = per_call.as_ref().unwrap_or(&self.shared.retry);
        // Only the span's `duration_ms` needs the clock.
        let started = traced.then(Instant::now);
        let idempotent = matches!(
            request.method().as_str(),
            "GET" | "HEAD" | "OPTIONS" | "PUT" | "DELETE"
        );
        // The OAuth2 token this request carries, to drop it from the cache on a 401.
        let bearer = match &self.shared.auth {
            Auth::OAuth2(_) => request.headers().get(AUTHORIZATION).cloned(),
            _ => None,
        };
        let mut attempt = 1;
        let timeout = request.timeout().copied().or(self.shared.timeout);
        let max_attempts = if idempotent { policy.max_attempts } else { 1 };
        let streamed = state::read(|call| call.keep == Keep::Stream).unwrap_or(false);
        // A streamed response's body may flow for longer than any total timeout: reqwest's
        // (which would cover the body) is pushed out of the way and the runtime bounds the
        // head itself; the body's reads are bounded by the read timeout. With a caller's
        // `reqwest::Client` and no per-call timeout, the runtime knows none: its own
        // settings apply, as for any call.
        let head_timeout = if streamed {
            record(|state| {
                state.limits = Some(StreamLimits {
                    read_timeout: self.shared.read_timeout,
                    max_event_bytes: self.shared.max_response_bytes,
                })
            });
            timeout
        } else {
            None
        };
        if head_timeout.is_some() {
            *request.timeout_mut() = Some(UNBOUNDED);
        }
        // What the last retry took from the budget, refunded on success.
        let mut last_cost = None;
        loop {
            #[cfg(feature = "rate-limit")]
            if let Some(limiter) = &self.shared.limiter {
                limiter.until_ready().await;
            }
            let next = if idempotent && attempt < policy.max_attempts {
                request.try_clone()
            } else {
                None
            };
            // Errors lose their URL: it may carry a query-string API key.
            let sent = http.execute(request);
            let sent = match head_timeout {
                Some(limit) => tokio::time::timeout(limit, sent)
                    .await
                    .unwrap_or_else(|_| Err(timed_out(Phase::Head))),
                None => sent.await,
            };
            let outcome = match sent {
                // Left unread: the caller streams it.
                Ok(response) if streamed && response.status().is_success() => {
                    Ok((response, Bytes::new()))
                }
                Ok(response) => self.buffer(response).await,
                Err(e) => Err(e.without_url()),
            };
            let delay = match &outcome {
                Ok((response, _)) => {
                    policy.delay_for_status(response.status(), response.headers(), attempt)
                }
                Err(e) if is_retryable(Failure::Transport(e)) => Some(policy.backoff(attempt)),
                Err(_) => None,
            };
            // The budget is charged only for a retry that would happen.
            let cost = match (delay, &next) {
                (Some(_), Some(_)) => {
                    let after_timeout = matches!(&outcome, Err(e) if e.is_timeout());
                    let cost = self.shared.budget.acquire(after_timeout);
                    if cost.is_none() {
                        tracing::debug!(attempt, "retry budget exhausted: not retrying");
                    }
                    cost
                }
                _ => None,
            };
            if let (Some(delay), Some(next), Some(cost)) = (delay, next, cost) {
                last_cost = Some(cost);
                tracing::debug!(
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    outcome = %describe(&outcome),
                    "retrying"
                );
                self.shared.sleep.sleep(delay).await;
                request = next;
                attempt += 1;
                continue;
            }
            let span = traced.then(tracing::Span::current);
            if let (Some(span), Some(started)) = (&span, started) {
                span.record("attempts", attempt);
                span.record("duration_ms", started.elapsed().as_millis() as u64);
            }
            record(|state| {
                state.attempts = attempt;
                state.attempt = Attempt {
                    timeout,
                    connect_timeout: self.shared.connect_timeout,
                    attempt,
                    max_attempts,
                };
            });
            return match outcome {
                Ok((response, body)) => {
                    if let Some(span) = &span {
                        span.record("status", response.status().as_u16());
                    }
                    if response.status().as_u16() < 400 {
                        self.shared.budget.succeeded(last_cost);
                    }
                    if response.status() == StatusCode::UNAUTHORIZED
                        && let (Auth::OAuth2(flow), Some(sent)) = (&self.shared.auth, &bearer)
                    {
                        flow.invalidate(sent).await;
                    }
                    let headers = response.headers();
                    let (request_id, content_type) = request_id_and_content_type(headers);
                    let meta = ResponseMeta {
                        status: response.status(),
                        request_id: request_id.cloned(),
                        content_type: content_type.cloned(),
                        body,
                        retry_after: requested_delay(headers),
                    };
                    record(|state| state.response = Some(meta));
                    tracing::debug!(status = response.status().as_u16(), "response");
                    Ok(response)
                }
                Err(e) => {
                    tracing::debug!(error = %e, "request failed");
                    Err(e)
                }
            };
        }
    }
}

impl Runtime {
    /// Reads the whole body (at most `max_response_bytes`), then hands progenitor an
    /// equivalent response over those bytes. A larger body is not read on: the call
    /// records it and fails with [`Error::Decode`], and progenitor sees an empty body.
    /// The handed-over response's URL has no query-string API key, and errors no URL.
    ///
    /// hyper parses header values, and a body that arrives in one read, as slices of
    /// the connection's read buffer (64 KiB once it has grown), and it takes a new
    /// buffer as soon as it reads on while those slices live. `call()` keeps them (no
    /// copy; they are dropped when it returns). A call that keeps the response's
    /// metadata ([`Keep::Metadata`]: `call_with_response()`, every page of a stream)
    /// copies headers and body out instead, so that the old buffer is freed before the
    /// body is decoded: a stream's peak is then one page, its body and one buffer.
    async fn buffer(&self, mut response: Response) -> reqwest::Result<(Response, Bytes)> {
        use reqwest::ResponseBuilderExt;
        let limit = self.shared.max_response_bytes;
        let status = response.status();
        let version = response.version();
        let url = self.without_key(response.url());
        let copy_out = state::read(|state| state.keep == Keep::Metadata).unwrap_or(false);
        // Moved, not cloned: the response is rebuilt around them below.
        let headers = std::mem::take(response.headers_mut());
        let headers = if copy_out { owned(&headers) } else { headers };
        let declared = response.content_length();
        let body = if declared.is_some_and(|n| n > limit as u64) {
            None
        } else {
            read_body(&mut response, limit, declared, copy_out).await?
        };
        let body = body.unwrap_or_else(|| {
            record(|state| state.oversized = Some(limit));
            Bytes::new()
        });
        let mut rebuilt = http::Response::builder()
            .status(status)
            .version(version)
            .url(url);
        if let Some(h) = rebuilt.headers_mut() {
            *h = headers;
        }
        let rebuilt = rebuilt
            .body(body.clone())
            .expect("status, version and headers came from a valid response");
        Ok((Response::from(rebuilt), body))
    }

    /// `url` without the query-string API key, if the key travels there.
    pub(crate) fn without_key(&self, url: &Url) -> Url {
        let Some(name) = self.shared.auth.query_name() else {
            return url.clone();
        };
        if !url.query_pairs().any(|(n, _)| n == name) {
            return url.clone();
        }
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(n, _)| n != name)
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        let mut url = url.clone();
        if kept.is_empty() {
            url.set_query(None);
        } else {
            url.query_pairs_mut().clear().extend_pairs(kept);
        }
        url
    }
}

/// The body, at most `limit` bytes (`None` beyond). One chunk is kept as it is
/// unless `copy_out` (see [`Runtime::buffer`]); more are gathered into one buffer
/// sized from `Content-Length` when the server sent it, so that it does not grow by
/// doubling.
pub(crate) async fn read_body(
    response: &mut Response,
    limit: usize,
    declared: Option<u64>,
    copy_out: bool,
) -> reqwest::Result<Option<Bytes>> {
    let mut next = async || response.chunk().await.map_err(reqwest::Error::without_url);
    let Some(first) = next().await? else {
        return Ok(Some(Bytes::new()));
    };
    if first.len() > limit {
        return Ok(None);
    }
    let Some(second) = next().await? else {
        return Ok(Some(if copy_out {
            Bytes::copy_from_slice(&first)
        } else {
            first
        }));
    };
    let capacity = declared.map_or(2 * (first.len() + second.len()), |n| n as usize);
    let mut body = bytes::BytesMut::with_capacity(capacity.min(limit));
    let mut chunk = Some(second);
    body.extend_from_slice(&first);
    while let Some(bytes) = chunk {
        if body.len() + bytes.len() > limit {
            return Ok(None);
        }
        body.extend_from_slice(&bytes);
        chunk = next().await?;
    }
    Ok(Some(body.freeze()))
}

fn describe(outcome: &reqwest::Result<(Response, Bytes)>) -> String {
    match outcome {
        Ok((response, _)) => format!("HTTP {}", response.status()),
        Err(e) => e.to_string(),
    }
}

fn check_bounds(value: &str, minimum: Option<f64>, maximum: Option<f64>) -> Result<(), String> {
    let number: f64 = value
        .parse()
        .map_err(|_| format!("must be a number, got {value:?}"))?;
    let range = match (minimum, maximum) {
        (Some(min), Some(max)) => format!("between {min} and {max}"),
        (Some(min), None) => format!("at least {min}"),
        (None, Some(max)) => format!("at most {max}"),
        (None, None) => return Ok(()),
    };
    if minimum.is_some_and(|min| number < min) || maximum.is_some_and(|max| number > max) {
        return Err(format!("must be {range}, got {value}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: reqwest::Body) -> Response {
        Response::from(http::Response::new(body))
    }

    #[tokio::test]
    async fn a_single_chunk_is_kept_by_call_and_copied_out_by_metadata_keeping_calls() {
        let chunk = Bytes::from(vec![7u8; 1000]);
        let declared = Some(1000);
        let kept = read_body(&mut response(chunk.clone().into()), 4096, declared, false)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(kept, chunk);
        assert_eq!(
            kept.as_ptr(),
            chunk.as_ptr(),
            "call() keeps the chunk as it is"
        );
        let copied = read_body(&mut response(chunk.clone().into()), 4096, declared, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(copied, chunk);
        assert_ne!(copied.as_ptr(), chunk.as_ptr(), "a copy of its own");
    }

    #[tokio::test]
    async fn chunks_are_gathered_up_to_the_limit() {
        // Two chunks, as a body read from the network arrives.
        let body = || {
            let chunks = [&b"{\"a\":"[..], &b"1}"[..]].map(Ok::<_, std::io::Error>);
            reqwest::Body::wrap_stream(futures_util::stream::iter(chunks))
        };
        let whole = read_body(&mut response(body()), 8, None, false)
            .await
            .unwrap();
        assert_eq!(whole.as_deref(), Some(&b"{\"a\":1}"[..]));
        let too_large = read_body(&mut response(body()), 6, None, false)
            .await
            .unwrap();
        assert_eq!(too_large, None, "7 bytes are over a 6-byte limit");
        let mut empty = response(reqwest::Body::from(Vec::new()));
        let empty = read_body(&mut empty, 7, Some(0), true).await.unwrap();
        assert_eq!(empty.as_deref(), Some(&b""[..]));
    }

    #[test]
    fn bounds_and_argument_names() {
        assert_eq!(check_bounds("100", Some(1.0), Some(100.0)), Ok(()));
        assert_eq!(
            check_bounds("0", Some(1.0), Some(100.0)).unwrap_err(),
            "must be between 1 and 100, got 0"
        );
        assert_eq!(
            check_bounds("101", None, Some(100.0)).unwrap_err(),
            "must be at most 100, got 101"
        );
        assert_eq!(
            check_bounds("0", Some(1.0), None).unwrap_err(),
            "must be at least 1, got 0"
        );
        assert_eq!(
            check_bounds("x", Some(1.0), None).unwrap_err(),
            "must be a number, got \"x\""
        );
    }
}

//! Following a next-page link (link pagination) through the client's runtime:
//! [`follow_link`] and the rule that turns a link into a URL, [`resolve_link`].

use reqwest::header::{ACCEPT, HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};
use serde::de::DeserializeOwned;

use crate::call::Response;
use crate::error::Error;
use crate::provider::Operation;
use crate::runtime::{Keep, Runtime};

/// The URL of a next-page link taken from a page (its body, or its `Link` header),
/// relative to the client's base URL `base`:
///
/// - an absolute `http`/`https` URL is taken as it is (it may point to another origin;
///   the credential is then not sent, see [`follow_link`]);
/// - `//host/path` takes the base URL's scheme;
/// - an absolute path (`/v2/tasks?page=2`) is on the base URL's host, and keeps the base
///   URL's path prefix when it does not already start with it: with the base URL
///   `https://api.example/v2`, both `/v2/tasks?page=2` and `/tasks?page=2` are
///   `https://api.example/v2/tasks?page=2` (APIs write either);
/// - anything else (`tasks?page=2`, `?page=2`) continues the base URL's path, as if it
///   ended with `/`: `https://api.example/v2/tasks?page=2`.
///
/// A link that is empty, not a valid URL reference, or of another scheme is an
/// [`Error::Pagination`].
///
/// ```
/// # use reqwest::Url;
/// # use tasks_sdk_core::pagination::resolve_link;
/// let base = Url::parse("https://api.example/v2").unwrap();
/// let at = |link: &str| resolve_link(&base, link).unwrap().to_string();
/// assert_eq!(at("https://cdn.example/p/2"), "https://cdn.example/p/2");
/// assert_eq!(at("/v2/tasks?page=2"), "https://api.example/v2/tasks?page=2");
/// assert_eq!(at("/tasks?page=2"), "https://api.example/v2/tasks?page=2");
/// assert_eq!(at("tasks?page=2"), "https://api.example/v2/tasks?page=2");
/// ```
pub fn resolve_link(base: &Url, link: &str) -> Result<Url, Error> {
    let link = link.trim();
    let invalid = |why: String| Error::Pagination {
        reason: format!("the next-page link {link:?} {why}"),
    };
    if link.is_empty() {
        return Err(invalid("is empty".into()));
    }
    let url = if has_scheme(link) {
        Url::parse(link).map_err(|e| invalid(format!("is not a URL: {e}")))?
    } else {
        let prefix = base.path().trim_end_matches('/');
        let joined = if link.starts_with("//") {
            base.join(link)
        } else if let Some(path) = link.strip_prefix('/') {
            let path_only = link.split(['?', '#']).next().unwrap_or(link);
            let has_prefix = prefix.is_empty()
                || path_only == prefix
                || path_only.starts_with(&format!("{prefix}/"));
            if has_prefix {
                base.join(link)
            } else {
                base.join(&format!("{prefix}/{path}"))
            }
        } else {
            let mut dir = base.clone();
            dir.set_path(&format!("{prefix}/"));
            dir.join(link)
        };
        joined.map_err(|e| invalid(format!("is not a URL reference: {e}")))?
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!(
            "has the scheme {:?} (http or https expected)",
            url.scheme()
        )));
    }
    Ok(url)
}

/// Fetches the page at a next-page `link` (link pagination: a URL or path from the
/// previous page's body or `Link` header), as the operation `operation` of the client
/// whose runtime is `runtime` and whose HTTP client is `http`, and decodes it as `T`,
/// the operation's page type. Generated `stream()` methods call it for every page after
/// the first.
///
/// The request is a `GET` that goes through the same runtime as every generated call:
/// the link is resolved by [`resolve_link`]; [`Runtime::prepare`] adds the credential
/// only when the link is on the base URL's origin (a query-string API key the link
/// already carries is removed first, so it is neither doubled nor sent elsewhere);
/// [`Runtime::execute`] retries; the answer becomes the same [`Error`] taxonomy as
/// [`crate::call`]'s (an error status with a body that decodes as `E`, the operation's
/// error type, carries it typed). Returns the decoded page with its headers (a `Link`
/// header for the next link).
pub async fn follow_link<T, E>(
    runtime: &Runtime,
    http: &reqwest::Client,
    operation: &'static Operation,
    link: &str,
) -> Result<Response<T>, Error>
where
    T: DeserializeOwned,
    E: DeserializeOwned + Send + Sync + 'static,
{
    // A key the link already carries is dropped: `prepare` adds the client's own.
    let url = runtime.without_key(&resolve_link(runtime.base_url(), link)?);
    crate::runtime::call_inner(
        runtime.provider(),
        operation,
        None,
        Keep::Metadata,
        send::<T, E>(runtime, http, operation.id, url),
    )
    .await
}

/// RFC 3986: `scheme ":" ...`, the scheme a letter then letters, digits, `+`, `-`, `.`.
fn has_scheme(link: &str) -> bool {
    let Some((scheme, _)) = link.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// What a generated `send()` does, for a `GET` of `url`.
async fn send<T, E>(
    runtime: &Runtime,
    http: &reqwest::Client,
    operation: &'static str,
    url: Url,
) -> Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>
where
    T: DeserializeOwned,
    E: DeserializeOwned,
{
    use progenitor_client::{Error as P, ResponseValue};
    let mut request = http
        .get(url)
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .build()
        .map_err(P::CommunicationError)?;
    runtime
        .prepare(&mut request, operation)
        .await
        .map_err(P::InvalidRequest)?;
    let response = runtime
        .execute(http, request, operation)
        .await
        .map_err(P::CommunicationError)?;
    let status = response.status();
    if status.is_success() {
        return ResponseValue::from_response(response).await;
    }
    let headers = response.headers().clone();
    let body = response.bytes().await.map_err(P::ResponseBodyError)?;
    match serde_json::from_slice::<E>(&body) {
        Ok(typed) if status.is_client_error() || status.is_server_error() => {
            Err(P::ErrorResponse(ResponseValue::new(typed, status, headers)))
        }
        _ => Err(P::UnexpectedResponse(rebuilt(status, headers, body))),
    }
}

/// A response over bytes already read.
fn rebuilt(status: StatusCode, headers: HeaderMap, body: bytes::Bytes) -> reqwest::Response {
    let mut response = http::Response::new(body);
    *response.status_mut() = status;
    *response.headers_mut() = headers;
    reqwest::Response::from(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(base: &str, link: &str) -> Result<String, String> {
        resolve_link(&Url::parse(base).unwrap(), link)
            .map(|u| u.to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn absolute_urls_are_kept() {
        assert_eq!(
            at("https://api.example/v2", "https://other.example/x?p=2#f"),
            Ok("https://other.example/x?p=2#f".into())
        );
        assert_eq!(
            at("https://api.example", "http://api.example:8080/a"),
            Ok("http://api.example:8080/a".into())
        );
    }

    #[test]
    fn absolute_paths_keep_the_base_path_prefix() {
        let base = "https://api.example/v2";
        assert_eq!(
            at(base, "/v2/tasks?page=2"),
            Ok("https://api.example/v2/tasks?page=2".into())
        );
        assert_eq!(
            at(base, "/tasks?page=2"),
            Ok("https://api.example/v2/tasks?page=2".into())
        );
        assert_eq!(at(base, "/v2"), Ok("https://api.example/v2".into()));
        assert_eq!(at(base, "/v2?x=1"), Ok("https://api.example/v2?x=1".into()));
        // `/v20` is not under `/v2`.
        assert_eq!(
            at(base, "/v20/a"),
            Ok("https://api.example/v2/v20/a".into())
        );
        // A base URL with a trailing slash, and one without a path.
        assert_eq!(
            at("https://api.example/v2/", "/tasks"),
            Ok("https://api.example/v2/tasks".into())
        );
        assert_eq!(
            at("https://api.example", "/tasks?after=x"),
            Ok("https://api.example/tasks?after=x".into())
        );
    }

    #[test]
    fn relative_references_continue_the_base_path() {
        let base = "http://127.0.0.1:4010/api/v1";
        assert_eq!(
            at(base, "tasks?page=2"),
            Ok("http://127.0.0.1:4010/api/v1/tasks?page=2".into())
        );
        assert_eq!(
            at(base, "?page=2"),
            Ok("http://127.0.0.1:4010/api/v1/?page=2".into())
        );
        assert_eq!(
            at(base, "//cdn.example/p"),
            Ok("http://cdn.example/p".into())
        );
    }

    #[test]
    fn bad_links_are_pagination_errors() {
        let base = "https://api.example/v2";
        for link in [
            "",
            "  ",
            "ftp://x.example/a",
            "javascript:alert(1)",
            "http://[::1",
        ] {
            let e = at(base, link).unwrap_err();
            assert!(
                e.starts_with("pagination stopped: the next-page link"),
                "{link:?}: {e}"
            );
        }
    }
}

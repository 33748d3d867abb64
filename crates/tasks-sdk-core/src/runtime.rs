//! The state every generated client carries (progenitor's "inner type") and the two
//! hooks the generated code calls around each request.

use std::fmt;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue, USER_AGENT};
use reqwest::{Request, Response, Url};

use crate::provider::Provider;

/// Per-client runtime state: the provider, the prepared auth header and the user agent.
///
/// Cheap to clone (one `Arc`). Its `Debug` output never shows the credential.
#[derive(Clone)]
pub struct Runtime {
    shared: Arc<Shared>,
}

struct Shared {
    provider: &'static Provider,
    base_url: Url,
    auth_name: HeaderName,
    /// Marked sensitive, so reqwest and `http` redact it in their own `Debug` output.
    auth_value: HeaderValue,
    user_agent: HeaderValue,
}

impl Runtime {
    pub(crate) fn new(
        provider: &'static Provider,
        base_url: Url,
        auth_name: HeaderName,
        mut auth_value: HeaderValue,
        user_agent: HeaderValue,
    ) -> Self {
        auth_value.set_sensitive(true);
        Runtime {
            shared: Arc::new(Shared {
                provider,
                base_url,
                auth_name,
                auth_value,
                user_agent,
            }),
        }
    }

    /// The provider this client talks to.
    pub fn provider(&self) -> &'static Provider {
        self.shared.provider
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &Url {
        &self.shared.base_url
    }

    /// Runs before every request (progenitor's `ClientHooks::pre`): removes the
    /// `api-version` header progenitor adds, sets `User-Agent`, and adds the credential,
    /// but only when the request goes to the configured base URL's origin.
    pub fn prepare(&self, request: &mut Request) {
        let shared = &*self.shared;
        let same_origin = same_origin(request.url(), &shared.base_url);
        let headers = request.headers_mut();
        headers.remove("api-version");
        headers.insert(USER_AGENT, shared.user_agent.clone());
        if same_origin {
            headers.insert(shared.auth_name.clone(), shared.auth_value.clone());
        } else {
            headers.remove(&shared.auth_name);
        }
    }

    /// Sends a prepared request (progenitor's `ClientHooks::exec`).
    pub async fn execute(
        &self,
        http: &reqwest::Client,
        request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        tracing::debug!(
            provider = self.shared.provider.name,
            operation,
            method = %request.method(),
            path = request.url().path(),
            "sending request"
        );
        http.execute(request).await
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("provider", &self.shared.provider.name)
            .field("base_url", &self.shared.base_url.as_str())
            .field(
                "auth",
                &format_args!("{}: [REDACTED]", self.shared.auth_name),
            )
            .field("user_agent", &self.shared.user_agent)
            .finish()
    }
}

/// Scheme, host and port equal: the only destinations that may receive the credential.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

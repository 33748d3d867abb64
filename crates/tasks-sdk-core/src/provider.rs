//! What the runtime needs to know about one provider, written by the generator.

use std::time::Duration;

/// How a provider expects the credential to be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// `Authorization: Bearer <key>` (OpenAPI `type: http, scheme: bearer`).
    Bearer,
    /// The raw key in a named header (OpenAPI `type: apiKey, in: header`), e.g. `x-api-key`.
    Header(&'static str),
}

impl AuthScheme {
    /// The name of the header the credential travels in.
    pub fn header_name(&self) -> &'static str {
        match self {
            AuthScheme::Bearer => "authorization",
            AuthScheme::Header(name) => name,
        }
    }
}

/// A documented request quota: `requests` per `period`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per period.
    pub requests: u32,
    /// The period.
    pub period: Duration,
}

/// Facts about one provider, written by `cargo xtask regen` into each provider crate
/// as `PROVIDER`, from the spec (`servers`, `securitySchemes`, parameter ranges), its
/// overlay (`x-rate-limit`, `x-error-envelope`) and xtask's provider table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Provider {
    /// Short name, as in the crate name `tasks-sdk-<name>`: `deck`.
    pub name: &'static str,
    /// Display name: `Deck`.
    pub title: &'static str,
    /// The spec's first server URL.
    pub default_base_url: &'static str,
    /// The environment variable [`ClientBuilder::build`](crate::ClientBuilder::build)
    /// reads the credential from when none was given.
    pub api_key_env: &'static str,
    /// The environment variable that overrides the base URL.
    pub base_url_env: &'static str,
    /// How the credential is sent, from the spec's `securitySchemes`.
    pub auth: AuthScheme,
    /// The documented quota, if any (used by the opt-in client-side rate limiter).
    pub rate_limit: Option<RateLimit>,
    /// The operations, with what the runtime checks before and after sending.
    pub operations: &'static [Operation],
}

impl Provider {
    /// The operation with this `operationId`.
    pub fn operation(&self, id: &str) -> Option<&'static Operation> {
        self.operations.iter().find(|op| op.id == id)
    }
}

/// One operation of a provider.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Operation {
    /// The `operationId` (the method name), e.g. `list_tasks`.
    pub id: &'static str,
    /// Numeric query parameters with documented bounds, checked before sending.
    pub bounds: &'static [ParamBounds],
    /// A 2xx body that means failure, if the provider wraps errors that way.
    pub error_envelope: Option<ErrorEnvelope>,
}

/// A numeric query parameter's documented range (OpenAPI `minimum`/`maximum`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamBounds {
    /// The parameter's name in the query string.
    pub name: &'static str,
    /// Smallest allowed value.
    pub minimum: Option<f64>,
    /// Largest allowed value.
    pub maximum: Option<f64>,
}

/// "A 2xx body whose field at `pointer` equals `value` is an error", e.g. PromptLoop's
/// envelope `{"status": "error", "message": ...}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorEnvelope {
    /// A JSON pointer into the body, e.g. `/status`.
    pub pointer: &'static str,
    /// The string value that marks an error, e.g. `error`.
    pub value: &'static str,
}

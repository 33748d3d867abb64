//! What the runtime needs to know about one provider.

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

/// Facts about one provider, written by `cargo xtask regen` into each provider crate
/// as `PROVIDER`, from the spec (`servers`, `securitySchemes`) and xtask's provider table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Provider {
    /// Short name, as in the crate name `tasks-sdk-<name>`: `deck`.
    pub name: &'static str,
    /// Display name: `Deck`.
    pub title: &'static str,
    /// The spec's first server URL.
    pub default_base_url: &'static str,
    /// The environment variable [`ClientBuilder::build`](crate::ClientBuilder::build)
    /// reads the credential from.
    pub api_key_env: &'static str,
    /// The environment variable that overrides the base URL.
    pub base_url_env: &'static str,
    /// How the credential is sent, from the spec's `securitySchemes`.
    pub auth: AuthScheme,
}

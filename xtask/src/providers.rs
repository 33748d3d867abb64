//! The one table that lists the providers. Adding a provider is a folder
//! `specs/<name>/` (openapi.yaml, optional overlay.yaml) and one row here; everything
//! else (crate, docs, facade feature, README row) is derived from the spec.

/// What the spec cannot say about a provider.
#[derive(Clone, Copy, Debug)]
pub struct ProviderRow {
    /// Folder under `specs/`, crate `tasks-sdk-<name>`, facade module and feature.
    pub name: &'static str,
    /// Display name.
    pub title: &'static str,
    /// Environment variable holding the credential (the provider's documented one).
    pub api_key_env: &'static str,
    /// Environment variable overriding the base URL.
    pub base_url_env: &'static str,
}

#[rustfmt::skip]
pub const PROVIDERS: &[ProviderRow] = &[
    ProviderRow { name: "promptloop", title: "PromptLoop", api_key_env: "PROMPTLOOP_API_KEY", base_url_env: "PROMPTLOOP_BASE_URL" },
    ProviderRow { name: "deck", title: "Deck", api_key_env: "DECK_API_KEY", base_url_env: "DECK_BASE_URL" },
    ProviderRow { name: "aether", title: "Aether", api_key_env: "AETHER_TOKEN", base_url_env: "AETHER_BASE_URL" },
    ProviderRow { name: "twill", title: "Twill", api_key_env: "TWILL_API_KEY", base_url_env: "TWILL_BASE_URL" },
    ProviderRow { name: "enkrypt", title: "Enkrypt AI", api_key_env: "ENKRYPTAI_API_KEY", base_url_env: "ENKRYPTAI_BASE_URL" },
];

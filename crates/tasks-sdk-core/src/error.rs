//! Errors of building a client.

/// Why a client could not be built.
///
/// `Display` is one line and never contains the credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No credential was given and the provider's environment variable is unset or empty.
    #[error("missing credentials for {provider}: set {env_var} or call .api_key(...)")]
    MissingCredentials {
        /// The provider's short name.
        provider: &'static str,
        /// The environment variable that was read.
        env_var: &'static str,
    },
    /// An argument is out of its documented range or malformed.
    #[error("invalid argument `{name}`: {reason}")]
    InvalidArgument {
        /// The argument's name.
        name: &'static str,
        /// What is wrong with it (never the credential itself).
        reason: String,
    },
    /// The HTTP client could not be built (e.g. the TLS backend failed to initialise).
    #[error("could not build the HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
}

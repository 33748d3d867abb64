//! The credential, kept out of `Debug`, `Display`, errors and logs.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// An API key or token. Its `Debug` output is `ApiKey([REDACTED])`; the only way to read
/// it is [`ApiKey::expose`], which the runtime calls to build the auth header (once) or,
/// for [`AuthScheme::Query`](crate::AuthScheme::Query), the query parameter of each
/// request.
#[derive(Clone)]
pub struct ApiKey(SecretString);

impl ApiKey {
    /// Wraps a key.
    pub fn new(key: impl Into<String>) -> Self {
        ApiKey(SecretString::from(key.into()))
    }

    /// The key itself. Do not log it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([REDACTED])")
    }
}

impl From<String> for ApiKey {
    fn from(key: String) -> Self {
        ApiKey::new(key)
    }
}

impl From<&str> for ApiKey {
    fn from(key: &str) -> Self {
        ApiKey::new(key)
    }
}

impl From<SecretString> for ApiKey {
    fn from(key: SecretString) -> Self {
        ApiKey(key)
    }
}

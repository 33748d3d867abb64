//! Listing every provider at once.

use std::fmt;

use futures_core::Stream;
use futures_util::StreamExt;
use futures_util::stream::{self, BoxStream};
use tasks_sdk_core::Error;

use crate::sources::TaskSource;
use crate::task::{Task, TaskFilter};

/// An error from one provider, tagged with its name.
#[derive(Debug)]
pub struct ProviderError {
    /// The provider's short name.
    pub provider: &'static str,
    /// What went wrong.
    pub error: Error,
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.provider, self.error)
    }
}

impl std::error::Error for ProviderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// The providers to list: configured clients, those that could not be configured
/// (their error is reported by [`list_all`] like any other), and, from
/// [`Sources::from_env`], those skipped because no credential is set.
#[derive(Default)]
pub struct Sources {
    sources: Vec<Box<dyn TaskSource>>,
    unavailable: Vec<ProviderError>,
    skipped: Vec<(&'static str, &'static str)>,
}

impl Sources {
    /// No providers.
    pub fn new() -> Self {
        Sources::default()
    }

    /// Every provider compiled in (cargo features) that has a credential, each
    /// configured from its env vars (`Client::from_env()`).
    ///
    /// A provider whose credential is not set (its build fails with
    /// [`Error::MissingCredentials`]) is not an error here: it is left out, and listed by
    /// [`Sources::skipped`], so [`list_all`] over these sources yields no
    /// missing-credential errors. Any other configuration error (e.g. a malformed
    /// `<PROVIDER>_BASE_URL`) is kept and reported by [`list_all`].
    pub fn from_env() -> Self {
        Sources::from_env_with(&crate::SourceOptions::new())
    }

    /// [`Sources::from_env`] with `options` (retry policy, timeout, ...) applied to every
    /// provider; what they leave unset comes from each provider's env vars.
    pub fn from_env_with(options: &crate::SourceOptions) -> Self {
        let mut sources = Sources::new();
        for provider in crate::PROVIDERS {
            // A provider without a task list (no `x-task`) is not a source.
            let Some(source) = crate::source_from_env(provider.name, options) else {
                continue;
            };
            match source {
                Ok(source) => sources.sources.push(source),
                Err(Error::MissingCredentials { env_var, .. }) => {
                    sources.skipped.push((provider.name, env_var));
                }
                Err(error) => sources.unavailable.push(ProviderError {
                    provider: provider.name,
                    error,
                }),
            }
        }
        sources
    }

    /// Adds a configured boxed source (see [`crate::source_from_env`]).
    pub fn with_boxed(mut self, source: Box<dyn TaskSource>) -> Self {
        self.sources.push(source);
        self
    }

    /// Adds the error of a provider that could not be configured.
    pub fn with_unavailable(mut self, provider: &'static str, error: Error) -> Self {
        self.unavailable.push(ProviderError { provider, error });
        self
    }

    /// Adds a configured client.
    pub fn with(mut self, source: impl TaskSource + 'static) -> Self {
        self.sources.push(Box::new(source));
        self
    }

    /// Adds a client, or the error of configuring it.
    pub fn add_result<S: TaskSource + 'static>(
        &mut self,
        provider: &'static str,
        source: Result<S, Error>,
    ) {
        match source {
            Ok(source) => self.sources.push(Box::new(source)),
            Err(error) => self.unavailable.push(ProviderError { provider, error }),
        }
    }

    /// The configured sources.
    pub fn configured(&self) -> impl Iterator<Item = &dyn TaskSource> {
        self.sources.iter().map(|s| s.as_ref())
    }

    /// The providers that could not be configured (reported by [`list_all`]).
    pub fn unavailable(&self) -> &[ProviderError] {
        &self.unavailable
    }

    /// The providers [`Sources::from_env`] left out because no credential is set, as
    /// `(provider, env var)` pairs, e.g. `("deck", "DECK_API_KEY")`: the env var is the
    /// provider's [`api_key_env`](crate::core::Provider::api_key_env). Not reported by
    /// [`list_all`]; show them to the user if it matters.
    pub fn skipped(&self) -> &[(&'static str, &'static str)] {
        &self.skipped
    }
}

impl fmt::Debug for Sources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sources")
            .field(
                "configured",
                &self
                    .sources
                    .iter()
                    .map(|s| s.provider().name)
                    .collect::<Vec<_>>(),
            )
            .field("unavailable", &self.unavailable)
            .field("skipped", &self.skipped)
            .finish()
    }
}

/// Lists every source concurrently and yields tasks as they arrive, each provider's in
/// its own order. A provider that fails (or could not be configured) yields its error,
/// tagged with its name, and the others go on. Providers [`Sources::skipped`] are not
/// listed and yield nothing.
pub fn list_all<'a>(
    sources: &'a Sources,
    filter: &TaskFilter,
) -> impl Stream<Item = Result<Task, ProviderError>> + Send + 'a {
    let mut streams: Vec<BoxStream<'a, Result<Task, ProviderError>>> = Vec::new();
    for source in &sources.sources {
        let provider = source.provider().name;
        streams.push(
            source
                .tasks(filter)
                .map(move |r| r.map_err(|error| ProviderError { provider, error }))
                .boxed(),
        );
    }
    for unavailable in &sources.unavailable {
        let error = ProviderError {
            provider: unavailable.provider,
            error: copy_error(&unavailable.error),
        };
        streams.push(stream::iter([Err(error)]).boxed());
    }
    stream::select_all(streams)
}

/// Configuration errors are reported each time `list_all` runs, so each run gets a copy
/// of the same kind ([`Error::try_clone`]: `HttpClient` stays `HttpClient`, and the CLI
/// exits as for the original). Timeouts and connection failures cannot be copied (a
/// configuration never fails with one): they are reported as `InvalidArgument` with the
/// original message.
fn copy_error(error: &Error) -> Error {
    error.try_clone().unwrap_or_else(|| Error::InvalidArgument {
        name: "client".into(),
        reason: error.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_keep_the_kind_of_every_configuration_error() {
        // A real HttpClient error: reqwest refuses a malformed proxy URL.
        let reqwest_error = reqwest::Proxy::all("http://[::1").unwrap_err();
        let original = Error::HttpClient(std::sync::Arc::new(reqwest_error));
        let copy = copy_error(&original);
        assert!(matches!(copy, Error::HttpClient(_)), "{copy:?}");
        assert_eq!(copy.to_string(), original.to_string());

        let missing = Error::MissingCredentials {
            provider: "deck",
            env_var: "DECK_API_KEY",
            help: "set DECK_API_KEY".into(),
        };
        assert!(matches!(
            copy_error(&missing),
            Error::MissingCredentials { provider: "deck", env_var: "DECK_API_KEY", help } if help == "set DECK_API_KEY"
        ));
        let invalid = Error::InvalidArgument {
            name: "base_url".into(),
            reason: "bad".into(),
        };
        assert!(matches!(
            copy_error(&invalid),
            Error::InvalidArgument { name, reason } if name == "base_url" && reason == "bad"
        ));
    }
}

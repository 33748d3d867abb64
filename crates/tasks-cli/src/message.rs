//! Error messages for a shell user: one line, the provider named once, and what to do
//! in shell terms (the env var to set, the flag to pass), never a builder method.

use std::time::Duration;

use tasks_sdk::core::Error;
use tasks_sdk::{PROVIDERS, ProviderError};

/// What the CLI configured, to name in messages the errors cannot carry.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// The total timeout of one request (`--timeout`).
    pub timeout: Duration,
    /// Attempts per request (`--max-attempts`).
    pub max_attempts: u32,
}

/// One line: `error: <provider>: <what happened>[: details][; what to do]`.
pub fn describe(e: &ProviderError, settings: &Settings) -> String {
    format!(
        "error: {}: {}",
        e.provider,
        what(e.provider, &e.error, settings)
    )
}

fn what(provider: &str, error: &Error, settings: &Settings) -> String {
    let key_var = PROVIDERS
        .iter()
        .find(|p| p.name == provider)
        .map(|p| p.api_key_env);
    let url_var = PROVIDERS
        .iter()
        .find(|p| p.name == provider)
        .map(|p| p.base_url_env);
    let kind = match error {
        Error::MissingCredentials { env_var, help, .. } => {
            return missing_credentials(env_var, help);
        }
        Error::InvalidArgument { name, reason } => {
            return invalid_argument(name, reason, url_var);
        }
        Error::Timeout {
            timeout,
            attempt,
            max_attempts,
            source,
            ..
        } => {
            let within = seconds(timeout.unwrap_or(settings.timeout));
            let attempt = format!("attempt {attempt} of {max_attempts}");
            return if source.is_connect() {
                let where_to = url_var
                    .map(|var| format!("; check --base-url or {var}"))
                    .unwrap_or_default();
                format!("timed out: no connection within {within} ({attempt}){where_to}")
            } else {
                format!(
                    "timed out: no complete response within {within} ({attempt}); \
                     pass --timeout SECS to wait longer"
                )
            };
        }
        Error::Connection { source, .. } => {
            let url_hint = url_var
                .map(|var| format!("; check --base-url or {var}"))
                .unwrap_or_default();
            return format!(
                "connection failed ({}): {}{url_hint}",
                attempts(settings.max_attempts),
                innermost(source)
            );
        }
        Error::Decode(d) => {
            let mut line = format!(
                "undecodable response: HTTP {} ({}): {}; body starts {:?}",
                d.status,
                d.content_type.as_deref().unwrap_or("no content type"),
                d.reason,
                d.body_start
            );
            if let Some(id) = &d.request_id {
                line.push_str(&format!(", request id {id}"));
            }
            return line;
        }
        Error::Pagination { reason } => return format!("pagination stopped: {reason}"),
        Error::HttpClient(source) => {
            return format!("could not start the HTTP client: {}", innermost(source));
        }
        Error::Unauthorized(_) => "unauthorized",
        Error::Forbidden(_) => "forbidden",
        Error::RateLimited(_) => "rate limited",
        Error::Api(_) => "API error",
        Error::Server(_) => "server error",
        other => return strip_provider(&other.to_string(), provider),
    };
    let api = error
        .api_error()
        .expect("the kinds above come from a response");
    let mut line = format!("{kind}: HTTP {}", api.status);
    if let Some(id) = &api.request_id {
        line.push_str(&format!(", request id {id}"));
    }
    if let Some(after) = api.retry_after {
        line.push_str(&format!(", retry after {}s", after.as_secs()));
    }
    line.push_str(&format!(": {}", api.message));
    if matches!(error, Error::Unauthorized(_) | Error::Forbidden(_))
        && let Some(var) = key_var
    {
        line.push_str(&format!("; check the key in {var}"));
    }
    line
}

/// `missing credentials: set DECK_API_KEY (export DECK_API_KEY=<key>)`; with other
/// ways to authenticate (e.g. `DECK_USERNAME and DECK_PASSWORD`), every variable.
fn missing_credentials(env_var: &str, help: &str) -> String {
    // `help` is written for Rust callers: "set A, or B and C, or call .api_key(...)".
    let vars = help
        .split(" or call ")
        .next()
        .unwrap_or("")
        .trim_end_matches([',', ' ']);
    match vars.strip_prefix("set ") {
        Some(vars) if vars != env_var => format!("missing credentials: set {vars}"),
        _ => format!("missing credentials: set {env_var} (export {env_var}=<your key>)"),
    }
}

/// Names the flag or variable the argument came from.
fn invalid_argument(name: &str, reason: &str, url_var: Option<&str>) -> String {
    // Reasons written for Rust callers end with "or call .method(..)".
    let reason = reason.split(" or call .").next().unwrap_or(reason);
    match (name, url_var) {
        ("base_url", Some(var)) => {
            // "Deck documents no server URL: set DECK_BASE_URL": the provider and the
            // variable are named once, below.
            let reason = if reason.contains("documents no server URL") {
                "the provider documents no server URL"
            } else {
                reason
            };
            format!("invalid base URL: {reason}; pass --base-url URL or set {var}")
        }
        // The page size the CLI passes as the provider's limit parameter.
        ("limit" | "per_page" | "page_size", _) => format!("invalid --limit: {reason}"),
        ("status", _) => format!("invalid --status: {reason}"),
        _ => format!("invalid argument `{name}`: {reason}"),
    }
}

/// `30s`, `1.5s`, `250ms`.
pub fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else if d.as_secs() == 0 {
        format!("{}ms", d.as_millis())
    } else {
        format!("{}s", d.as_secs_f64())
    }
}

/// `1 attempt`, `3 attempts`.
fn attempts(n: u32) -> String {
    crate::progress::plural(u64::from(n), "attempt", "attempts")
}

/// The root cause of an error chain ("Connection refused (os error 111)"), with the
/// top-level message when it says more than the cause.
fn innermost(error: &(dyn std::error::Error + 'static)) -> String {
    let top = error.to_string();
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    let root = cause.to_string();
    if root == top {
        top
    } else {
        format!("{top}: {root}")
    }
}

/// `<provider> ` or `for <provider>` repeated by an error's own `Display`, removed.
fn strip_provider(text: &str, provider: &str) -> String {
    text.replacen(&format!(" for {provider}"), "", 1)
        .replacen(&format!(": {provider} "), ": ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SETTINGS: Settings = Settings {
        timeout: Duration::from_secs(30),
        max_attempts: 3,
    };

    fn line(provider: &'static str, error: Error) -> String {
        describe(&ProviderError { provider, error }, &SETTINGS)
    }

    #[test]
    fn missing_credentials_name_the_variable_not_the_builder() {
        let text = line(
            "deck",
            Error::MissingCredentials {
                provider: "deck",
                env_var: "DECK_API_KEY",
                help: "set DECK_API_KEY or call .api_key(...)".into(),
            },
        );
        assert_eq!(
            text,
            "error: deck: missing credentials: set DECK_API_KEY (export DECK_API_KEY=<your key>)"
        );
        let several = line(
            "deck",
            Error::MissingCredentials {
                provider: "deck",
                env_var: "DECK_API_KEY",
                help: "set DECK_API_KEY, or DECK_USERNAME and DECK_PASSWORD, or call \
                       .api_key(...) or .basic_auth(...)"
                    .into(),
            },
        );
        assert_eq!(
            several,
            "error: deck: missing credentials: set DECK_API_KEY, or DECK_USERNAME and DECK_PASSWORD"
        );
    }

    #[test]
    fn a_bad_base_url_names_the_flag_and_the_variable() {
        let text = line(
            "enkrypt",
            Error::InvalidArgument {
                name: "base_url".into(),
                reason: "\"x\" is not an absolute URL: relative URL without a base".into(),
            },
        );
        assert_eq!(
            text,
            "error: enkrypt: invalid base URL: \"x\" is not an absolute URL: relative URL \
             without a base; pass --base-url URL or set ENKRYPTAI_BASE_URL"
        );
        let no_server = line(
            "deck",
            Error::InvalidArgument {
                name: "base_url".into(),
                reason: "Deck documents no server URL: set DECK_BASE_URL or call .base_url(..)"
                    .into(),
            },
        );
        assert_eq!(
            no_server,
            "error: deck: invalid base URL: the provider documents no server URL; pass \
             --base-url URL or set DECK_BASE_URL"
        );
        // The provider once (its variable aside), not its title too.
        assert!(!no_server.contains("Deck"), "{no_server}");
        assert_eq!(no_server.matches("deck").count(), 1, "{no_server}");
    }

    #[test]
    fn an_out_of_range_limit_names_the_flag_the_range_and_the_value() {
        let text = line(
            "twill",
            Error::InvalidArgument {
                name: "limit".into(),
                reason: "must be between 1 and 100, got 0".into(),
            },
        );
        assert_eq!(
            text,
            "error: twill: invalid --limit: must be between 1 and 100, got 0"
        );
        let other = line(
            "enkrypt",
            Error::InvalidArgument {
                name: "page".into(),
                reason: "must be at least 1, got 0".into(),
            },
        );
        assert_eq!(
            other,
            "error: enkrypt: invalid argument `page`: must be at least 1, got 0"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(seconds(Duration::from_secs(30)), "30s");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5s");
        assert_eq!(seconds(Duration::from_millis(250)), "250ms");
    }
}

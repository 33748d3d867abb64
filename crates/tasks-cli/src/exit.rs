//! Exit codes: what a script can tell apart.

use tasks_sdk::core::Error;

/// Success.
pub const OK: u8 = 0;
/// Bad usage or an invalid argument.
pub const USAGE: u8 = 2;
/// Missing or rejected credentials (missing env var, 401, 403).
pub const CREDENTIALS: u8 = 3;
/// Any other API error (4xx, an unfollowed redirect, an error envelope).
pub const API: u8 = 4;
/// Server error, rate limit, network or timeout, after retries.
pub const UNAVAILABLE: u8 = 5;
/// A response that could not be decoded (or pagination that went in circles).
pub const UNDECODABLE: u8 = 6;

/// The `--help` text that documents them.
pub const HELP: &str = "\
Exit codes:
  0  success
  2  bad usage or invalid argument
  3  missing or rejected credentials (missing env var, 401, 403)
  4  other API error (4xx)
  5  server error, rate limit, or network/timeout after retries
  6  undecodable response
With --provider all: the highest code of any provider that failed.";

/// The exit code for an SDK error.
pub fn code(error: &Error) -> u8 {
    match error {
        Error::InvalidArgument { .. } => USAGE,
        Error::MissingCredentials { .. } | Error::Unauthorized(_) | Error::Forbidden(_) => {
            CREDENTIALS
        }
        Error::Api(_) => API,
        Error::Decode(_) | Error::Pagination { .. } => UNDECODABLE,
        _ => UNAVAILABLE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_errors_have_their_codes() {
        let missing = Error::MissingCredentials {
            provider: "deck",
            env_var: "DECK_API_KEY",
            help: "set DECK_API_KEY".into(),
        };
        assert_eq!(code(&missing), CREDENTIALS);
        let invalid = Error::InvalidArgument {
            name: "limit".into(),
            reason: "too big".into(),
        };
        assert_eq!(code(&invalid), USAGE);
        assert_eq!(
            code(&Error::Pagination {
                reason: "loop".into()
            }),
            UNDECODABLE
        );
    }
}

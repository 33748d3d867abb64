//! Which credentials go with a request whose operation declares its security
//! requirements per scheme ([`Operation::security`](crate::Operation::security)): the
//! first requirement whose schemes all have a credential, all of them at once.

use crate::auth::Auth;
use crate::error::Error;
use crate::provider::Provider;

use super::Shared;

/// The credentials chosen for one request. No allocation: a requirement is a slice of
/// the provider's table, its credentials looked up as they are applied.
pub(crate) enum Credentials<'a> {
    /// The client's one credential (`.api_key(..)`, ...), the operation declaring none
    /// per scheme.
    Client(&'a Auth),
    /// Every scheme of this requirement, each with its credential.
    Requirement(&'a [u16]),
    /// None: the operation allows anonymous calls and no requirement is met.
    Anonymous,
}

impl<'a> Credentials<'a> {
    /// Calls `f` on each credential to send.
    pub(crate) fn each(&self, shared: &'a Shared, mut f: impl FnMut(&'a Auth)) {
        match self {
            Credentials::Client(auth) => f(auth),
            Credentials::Requirement(schemes) => {
                // The client's one credential, standing for several schemes, goes once.
                let mut client_sent = false;
                for &i in schemes.iter() {
                    match credential(shared, i) {
                        Some(auth) if std::ptr::eq(auth, &shared.auth) && client_sent => {}
                        Some(auth) => {
                            client_sent |= std::ptr::eq(auth, &shared.auth);
                            f(auth);
                        }
                        None => {}
                    }
                }
            }
            Credentials::Anonymous => {}
        }
    }
}

/// The credential of scheme `i`: its own (`.credential(name, ..)` or its environment
/// variable), else the client's one when it travels the same way (or the user said how
/// it travels, with `.auth_scheme(..)`).
fn credential(shared: &Shared, i: u16) -> Option<&Auth> {
    let i = usize::from(i);
    shared.schemes.get(i).and_then(Option::as_ref).or_else(|| {
        let scheme = shared.provider.security_schemes.get(i)?;
        let stands_for = shared.auth.fits(&scheme.scheme)
            || (shared.auth_overridden && !matches!(shared.auth, Auth::None));
        stands_for.then_some(&shared.auth)
    })
}

/// The first requirement (in the document's order) whose every scheme has a credential;
/// an empty requirement (`{}`: anonymous allowed) only when no other is met. Else
/// [`Error::MissingCredentials`] naming what the operation needs.
pub(crate) fn choose<'a>(
    shared: &'a Shared,
    requirements: &'a [&'a [u16]],
) -> Result<Credentials<'a>, Error> {
    let met = requirements.iter().find(|schemes| {
        !schemes.is_empty() && schemes.iter().all(|&i| credential(shared, i).is_some())
    });
    match met {
        Some(schemes) => Ok(Credentials::Requirement(schemes)),
        // `security: []` (no requirement) or an empty one (`{}`): anonymous is allowed.
        None if requirements.is_empty() || requirements.iter().any(|s| s.is_empty()) => {
            Ok(Credentials::Anonymous)
        }
        None => Err(missing(shared.provider, requirements)),
    }
}

/// `MissingCredentials` for an operation none of whose `requirements` is met: each
/// alternative, its schemes joined by `and`, with the environment variables and the
/// builder call that give them.
fn missing(provider: &Provider, requirements: &[&[u16]]) -> Error {
    let alternatives: Vec<String> = requirements
        .iter()
        .map(|schemes| {
            let each: Vec<String> = schemes
                .iter()
                .filter_map(|&i| provider.security_schemes.get(usize::from(i)))
                .map(|s| {
                    if s.env_var.is_empty() {
                        format!(".credential(\"{}\", ..)", s.name)
                    } else {
                        format!("{} (or .credential(\"{}\", ..))", s.env_var, s.name)
                    }
                })
                .collect();
            each.join(" and ")
        })
        .collect();
    let first_var = requirements
        .first()
        .and_then(|schemes| schemes.first())
        .and_then(|&i| provider.security_schemes.get(usize::from(i)))
        .map_or(provider.api_key_env, |s| s.env_var);
    Error::MissingCredentials {
        provider: provider.name,
        env_var: first_var,
        help: format!("this operation needs {}", alternatives.join(", or ")),
    }
}

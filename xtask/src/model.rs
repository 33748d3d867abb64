//! The typed facts about one provider that the emitters read, computed once from the
//! normalized document in [`crate::generate::prepare_doc`]: nothing is parsed twice or
//! decided inside an emitter.

use serde_json::Value;

use crate::spec::{self, segment};

/// One way the API accepts a credential (an OpenAPI security scheme), as the runtime's
/// `tasks_sdk_core::AuthScheme` spells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthScheme {
    /// `http` bearer, `openIdConnect`, and `oauth2` flows other than client credentials.
    Bearer,
    /// `apiKey` in a header (lower-case name).
    Header(String),
    /// `apiKey` in the query string.
    Query(String),
    /// `apiKey` in a cookie.
    Cookie(String),
    /// `http` basic.
    Basic,
    /// `oauth2` with a `clientCredentials` flow.
    OAuth2ClientCredentials {
        token_url: String,
        scopes: Vec<String>,
    },
}

impl AuthScheme {
    /// One line for docs and tables, e.g. `Authorization: Bearer <key>`.
    pub fn describe(&self) -> String {
        match self {
            AuthScheme::Bearer => "Authorization: Bearer <key>".into(),
            AuthScheme::Header(name) => format!("{name}: <key>"),
            AuthScheme::Query(name) => format!("?{name}=<key>"),
            AuthScheme::Cookie(name) => format!("Cookie: {name}=<key>"),
            AuthScheme::Basic => "Authorization: Basic <username:password>".into(),
            AuthScheme::OAuth2ClientCredentials { token_url, .. } => {
                format!("OAuth2 client credentials (token URL {token_url})")
            }
        }
    }
}

/// How the API authenticates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Auth {
    /// Every scheme the runtime can send, in the order the spec names them (the
    /// requirements first, then schemes only defined); empty: no credential at all.
    pub schemes: Vec<AuthScheme>,
    /// Schemes of the spec the runtime cannot send (e.g. `http` digest, `mutualTLS`):
    /// (name, why), listed in the crate docs.
    pub unsupported: Vec<(String, String)>,
}

impl Auth {
    /// One line for the README table.
    pub fn describe(&self) -> String {
        if self.schemes.is_empty() {
            return "none".into();
        }
        self.schemes
            .iter()
            .map(AuthScheme::describe)
            .collect::<Vec<_>>()
            .join(" or ")
    }
}

/// Every security scheme of `components.securitySchemes` the runtime can use: the ones
/// the document's or an operation's `security` names first, in order, then the rest.
pub fn auth(doc: &Value) -> Result<Auth, String> {
    let mut names: Vec<String> = Vec::new();
    let mut requirements: Vec<&Value> = doc.get("security").into_iter().collect();
    requirements.extend(
        spec::operations(doc)
            .into_iter()
            .filter_map(|op| op.op.get("security")),
    );
    for requirement in requirements {
        for alternative in requirement.as_array().into_iter().flatten() {
            for name in alternative.as_object().into_iter().flat_map(|o| o.keys()) {
                if !names.contains(name) {
                    names.push(name.clone());
                }
            }
        }
    }
    if let Some(Value::Object(defined)) = doc.pointer("/components/securitySchemes") {
        for name in defined.keys() {
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
    }
    let mut auth = Auth::default();
    for name in names {
        let at = format!("$.components.securitySchemes{}", segment(&name));
        let Some(scheme) = doc
            .pointer("/components/securitySchemes")
            .and_then(|s| s.get(&name))
        else {
            // A requirement naming no defined scheme: the document is wrong, but the
            // other schemes still work.
            auth.unsupported
                .push((name, format!("no such scheme is defined at {at}")));
            continue;
        };
        match scheme_of(scheme) {
            Ok(s) => {
                if !auth.schemes.contains(&s) {
                    auth.schemes.push(s);
                }
            }
            Err(why) => auth.unsupported.push((name, why)),
        }
    }
    Ok(auth)
}

fn scheme_of(scheme: &Value) -> Result<AuthScheme, String> {
    let get = |k: &str| scheme.get(k).and_then(Value::as_str).unwrap_or_default();
    match get("type") {
        "apiKey" => {
            let name = get("name");
            if name.is_empty() {
                return Err("an apiKey scheme without a `name`".into());
            }
            match get("in") {
                "header" => Ok(AuthScheme::Header(name.to_ascii_lowercase())),
                "query" => Ok(AuthScheme::Query(name.to_owned())),
                "cookie" => Ok(AuthScheme::Cookie(name.to_owned())),
                other => Err(format!("an apiKey scheme `in: {other}`")),
            }
        }
        "http" => match get("scheme").to_ascii_lowercase().as_str() {
            "bearer" => Ok(AuthScheme::Bearer),
            "basic" => Ok(AuthScheme::Basic),
            other => Err(format!(
                "http scheme `{other}` (use `.http_client(..)` with your own authentication)"
            )),
        },
        "oauth2" => {
            let flow = scheme.pointer("/flows/clientCredentials");
            match flow.and_then(|f| f.get("tokenUrl")).and_then(Value::as_str) {
                Some(token_url) if !token_url.is_empty() => {
                    let scopes = flow
                        .and_then(|f| f.get("scopes"))
                        .and_then(Value::as_object)
                        .map(|s| s.keys().cloned().collect())
                        .unwrap_or_default();
                    Ok(AuthScheme::OAuth2ClientCredentials {
                        token_url: token_url.to_owned(),
                        scopes,
                    })
                }
                // Authorization code, implicit, password: the user brings the token.
                _ => Ok(AuthScheme::Bearer),
            }
        }
        "openIdConnect" => Ok(AuthScheme::Bearer),
        "mutualTLS" => Err(
            "mutual TLS (configure the certificate on a `reqwest::Client` and pass it to `.http_client(..)`)"
                .into(),
        ),
        other => Err(format!("unknown security scheme type `{other}`")),
    }
}

/// Whether an operation needs a credential: its own `security`, else the document's;
/// none, `[]`, or an alternative `{}` (optional auth) mean it does not.
pub fn requires_auth(doc: &Value, op: &Value) -> bool {
    let requirement = op.get("security").or_else(|| doc.get("security"));
    match requirement.and_then(Value::as_array) {
        None => false,
        Some(alternatives) => {
            !alternatives.is_empty()
                && alternatives
                    .iter()
                    .all(|a| a.as_object().is_some_and(|o| !o.is_empty()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_security_scheme_maps_to_the_runtime() {
        let doc = json!({
            "security": [{"key": []}, {"oauth": ["read"]}],
            "paths": {"/a": {"get": {"security": [{"basic": []}]}}},
            "components": {"securitySchemes": {
                "cookie": {"type": "apiKey", "in": "cookie", "name": "session"},
                "query": {"type": "apiKey", "in": "query", "name": "api_key"},
                "basic": {"type": "http", "scheme": "Basic"},
                "oauth": {"type": "oauth2", "flows": {
                    "clientCredentials": {"tokenUrl": "https://auth.example/token", "scopes": {"read": "r", "write": "w"}}
                }},
                "code": {"type": "oauth2", "flows": {"authorizationCode": {"authorizationUrl": "a", "tokenUrl": "t", "scopes": {}}}},
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://x/.well-known"},
                "digest": {"type": "http", "scheme": "digest"},
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"}
            }}
        });
        let auth = auth(&doc).unwrap();
        assert_eq!(
            auth.schemes,
            vec![
                AuthScheme::Header("x-api-key".into()),
                AuthScheme::OAuth2ClientCredentials {
                    token_url: "https://auth.example/token".into(),
                    scopes: vec!["read".into(), "write".into()]
                },
                AuthScheme::Basic,
                AuthScheme::Cookie("session".into()),
                AuthScheme::Query("api_key".into()),
                AuthScheme::Bearer,
            ]
        );
        let unsupported: Vec<&str> = auth.unsupported.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(unsupported, ["digest", "mtls"]);
        assert_eq!(
            auth.describe().split(" or ").next(),
            Some("x-api-key: <key>")
        );
    }

    #[test]
    fn documents_without_security_need_no_credential() {
        let doc = json!({"paths": {"/a": {"get": {}}}});
        assert_eq!(auth(&doc).unwrap(), Auth::default());
        assert!(!requires_auth(&doc, &json!({})));
    }

    #[test]
    fn operation_security_overrides_the_documents() {
        let doc = json!({"security": [{"k": []}]});
        assert!(requires_auth(&doc, &json!({})));
        assert!(!requires_auth(&doc, &json!({"security": []})));
        assert!(!requires_auth(&doc, &json!({"security": [{}, {"k": []}]})));
        assert!(requires_auth(&json!({}), &json!({"security": [{"k": []}]})));
    }
}

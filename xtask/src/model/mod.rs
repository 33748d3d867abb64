//! The model stage: the one typed model of a provider. In, a provider's files (or a
//! document in memory); out, [`Prepared`]. [`prepare`] loads the document, applies the
//! overlay ([`crate::document`]), normalizes ([`crate::normalize`]), and computes every
//! fact the emitters read: auth schemes, operations and what the runtime checks of
//! them, how their parameters are serialized ([`params`]), pagination ([`paging`], [`detect`]), enums, quota, the task mapping ([`task`])
//! and the list operation ([`list`]). Nothing is parsed twice or decided inside an
//! emitter. [`guess`] is what `add-provider` guesses before an overlay exists.

pub mod detect;
pub mod groups;
pub mod guess;
pub mod list;
pub mod media;
pub mod paging;
pub mod params;
pub mod task;

use std::path::Path;

use serde_json::Value;

use crate::document::naming;
use crate::document::overlay;
use crate::document::providers::ProviderInfo;
use crate::document::{self, segment};
use crate::normalize;

pub use params::{Location, ParamFacts, ParamType, Style};

/// A provider's spec after overlay and normalization, with the facts the crate needs.
pub struct Prepared {
    /// Names and env vars (`info.x-provider`).
    pub provider: ProviderInfo,
    pub spec_file: String,
    pub doc: Value,
    pub base_url: String,
    pub auth: Auth,
    /// One line for the README table, from the first `x-pagination`.
    pub pagination: String,
    /// Prefix of two-part credentials' env vars: `DECK` (`DECK_USERNAME`, ...).
    pub env_prefix: String,
    /// Every named string enum, as forward-compatible enums.
    pub enums: Vec<OpenEnum>,
    /// The components progenitor writes as a struct parameter's type.
    pub param_types: Vec<ParamType>,
    /// What the runtime checks per operation, in document order.
    pub operations: Vec<OperationFacts>,
    /// `info.x-rate-limit`: (requests, period in seconds).
    pub rate_limit: Option<(u32, u64)>,
    /// The operation's `x-task`: how the facade lists its tasks.
    pub task: Option<task::TaskModel>,
    /// The operation groups, each a cargo feature of the crate, by feature name
    /// ([`groups`]).
    pub groups: Vec<groups::Group>,
    /// What the document earned without failing (`<spec file>: <what> at <where>`):
    /// printed by `regen` and `add-provider`.
    pub warnings: Vec<String>,
}

impl Prepared {
    /// The operations the generated client has.
    pub fn generated_operations(&self) -> usize {
        document::operations(&self.doc).len()
    }
}

/// The provider name every corpus document stands in for.
pub const CORPUS_PROVIDER: &str = "corpus";

/// Stages 1-3 for one provider. Errors are `<file>: <what> at <where>`.
pub fn prepare(root: &Path, name: &str) -> Result<Prepared, String> {
    let spec_file = format!("specs/{name}/openapi.yaml");
    let doc = document::load(&root.join(&spec_file)).map_err(|e| format!("{spec_file}: {e}"))?;
    prepare_doc(
        name,
        spec_file,
        doc,
        crate::document::overlay::load(root, name)?,
    )
}

/// Stages 1-3 on a document already in memory (`cargo xtask corpus` runs this on
/// documents that are not under `specs/`). `spec_file` names it in errors.
pub fn prepare_doc(
    name: &str,
    spec_file: String,
    mut doc: Value,
    overlay: Option<(String, Value)>,
) -> Result<Prepared, String> {
    let in_spec = |e: String| format!("{spec_file}: {e}");
    document::check_version(&doc).map_err(in_spec)?;
    document::decode_refs(&mut doc);
    // `$id`s and anchors say where 3.1 `$ref`s lead: read them before checking those.
    normalize::resolve_schema_identifiers(&mut doc);
    if let Some((overlay_file, overlay_doc)) = overlay {
        overlay::apply(&mut doc, &overlay_doc).map_err(|e| format!("{overlay_file}: {e}"))?;
    }
    // What the document gets wrong, mended with a warning (after the overlay, which
    // can mend it better): missing required fields, then `$ref`s to nothing.
    normalize::required_fields(&mut doc, &fallback_title(name, &spec_file));
    normalize::dangling_refs(&mut doc);
    document::check_refs(&doc).map_err(in_spec)?;
    let provider = ProviderInfo::from_doc(name, &doc).map_err(in_spec)?;
    normalize::normalize(&mut doc).map_err(in_spec)?;
    document::check_refs(&doc).map_err(|e| format!("{spec_file}: after normalization: {e}"))?;
    prepare_normalized(provider, spec_file, doc)
}

/// The `info.title` of a document without one: the provider's name, or the file's for a
/// document that stands in for one (`corpus`).
fn fallback_title(name: &str, spec_file: &str) -> String {
    if name != CORPUS_PROVIDER {
        return name.to_owned();
    }
    Path::new(spec_file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "API".to_owned())
}

/// The model of a normalized document: every fact the emitters read, computed once.
/// Also what `emit` calls again after it degraded a schema or an operation progenitor
/// could not generate.
pub fn prepare_normalized(
    provider: ProviderInfo,
    spec_file: String,
    doc: Value,
) -> Result<Prepared, String> {
    let in_spec = |e: String| format!("{spec_file}: {e}");
    let warnings = document::warnings(&doc)
        .into_iter()
        .map(|w| format!("{spec_file}: {w}"))
        .collect();

    // No server: the user must give a base URL (the builder says so).
    let base_url = doc
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut auth = auth(&doc).map_err(in_spec)?;
    let pagination = document::operations(&doc)
        .iter()
        .find_map(|op| {
            op.op
                .get("x-pagination")
                .map(crate::model::paging::describe)
        })
        .unwrap_or_else(|| "single page".into());
    let env_prefix = provider
        .base_url_env
        .strip_suffix("_BASE_URL")
        .unwrap_or(&provider.base_url_env)
        .to_owned();
    for named in &mut auth.named {
        named.env_var = format!("{env_prefix}_{}", naming::env_name(&named.name));
    }
    let enums = open_enums(&doc).map_err(in_spec)?;
    let param_types = params::param_types(&doc);
    let mut operations = operation_facts(&doc, &auth.named).map_err(in_spec)?;
    let ops = document::operations(&doc);
    let named: Vec<(String, &Value, &str)> = operations
        .iter()
        .zip(&ops)
        .map(|(facts, op)| (facts.id.clone(), op.op, op.path))
        .collect();
    let (per_op, groups) = groups::groups(&named);
    for (facts, group) in operations.iter_mut().zip(per_op) {
        facts.group = group;
    }
    let rate_limit = rate_limit(&doc).map_err(in_spec)?;
    let task = task::task_model(&doc).map_err(in_spec)?;
    Ok(Prepared {
        provider,
        spec_file,
        doc,
        base_url,
        auth,
        pagination,
        env_prefix,
        enums,
        param_types,
        operations,
        rate_limit,
        task,
        groups,
        warnings,
    })
}

/// A named string enum of the spec.
pub struct OpenEnum {
    pub name: String,
    pub description: Option<String>,
    /// (Rust variant, wire value)
    pub variants: Vec<(String, String)>,
}

/// Every component schema that is a string enum (normalization made titled inline enums
/// components).
pub fn open_enums(doc: &Value) -> Result<Vec<OpenEnum>, String> {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return Ok(Vec::new());
    };
    let mut enums = Vec::new();
    for (name, schema) in schemas {
        let Some(values) = string_enum_values(schema) else {
            continue;
        };
        let variants = naming::variant_names(&values);
        let description = schema
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        enums.push(OpenEnum {
            name: name.clone(),
            description,
            variants,
        });
    }
    Ok(enums)
}

fn string_enum_values(schema: &Value) -> Option<Vec<String>> {
    if schema.get("type").and_then(Value::as_str) != Some("string") {
        return None;
    }
    let values = schema.get("enum")?.as_array()?;
    values
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Facts about one operation that the runtime checks.
pub struct OperationFacts {
    pub id: String,
    /// `$.paths[...].get`, for error messages.
    pub at: String,
    pub pagination: Option<Value>,
    /// The pagination was detected from conventional names, not declared: one the
    /// generated types cannot follow gives no `stream()` instead of an error.
    pub pagination_detected: bool,
    pub bounds: Vec<(String, Option<f64>, Option<f64>)>,
    pub envelope: Option<(String, String)>,
    pub requires_auth: bool,
    /// Some error status has a JSON body: progenitor types the operation's error body
    /// (normalization left only JSON error bodies).
    pub typed_error: bool,
    /// `Accept`, the body's `Content-Type` and a form body's encoding, where the
    /// document asks for more than `application/json`.
    pub media: media::MediaFacts,
    /// Its security requirements by [`Auth::named`] position ([`security`]).
    pub security: Option<Vec<Vec<u16>>>,
    /// How each parameter is serialized, in the document's order ([`params`]).
    pub params: Vec<ParamFacts>,
    /// The 3xx statuses the document lists for an operation that lists no success
    /// (2xx, `101`, `default`), as inclusive ranges (`302` is `(302, 302)`, `3XX`
    /// `(300, 399)`): they are its answers, returned as successes ([`redirects`]).
    pub redirects: Vec<(u16, u16)>,
    /// The feature of its group ([`groups`]).
    pub group: String,
}

/// [`OperationFacts::redirects`] of `op`: an operation that only redirects (httpbin's
/// `/redirect-to`, an OAuth authorization endpoint) answers with its documented 3xx
/// status, which progenitor, taking 2xx as success, made an error.
pub fn redirects(op: &Value) -> Vec<(u16, u16)> {
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return Vec::new();
    };
    if responses
        .keys()
        .any(|code| code.starts_with('2') || code == "101" || code == "default")
    {
        return Vec::new();
    }
    responses
        .keys()
        .filter(|code| code.starts_with('3') && code.len() == 3)
        .filter_map(|code| {
            if code[1..].eq_ignore_ascii_case("XX") {
                Some((300, 399))
            } else {
                code.parse().ok().map(|c: u16| (c, c))
            }
        })
        .collect()
}

pub fn operation_facts(doc: &Value, named: &[NamedScheme]) -> Result<Vec<OperationFacts>, String> {
    // The components that are forward-compatible enums: an event's data type may be one.
    let enums: Vec<&str> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| string_enum_values(schema).is_some())
        .map(|(name, _)| name.as_str())
        .collect();
    document::operations(doc)
        .iter()
        .map(|op| {
            // progenitor's method name: also the `operation_id` its hooks see.
            let id = op.method_name();
            let mut bounds = Vec::new();
            for param in op.op.get("parameters").and_then(Value::as_array).into_iter().flatten() {
                if param.get("in").and_then(Value::as_str) != Some("query") {
                    continue;
                }
                let (Some(name), Some(schema)) = (param.get("name").and_then(Value::as_str), param.get("schema"))
                else {
                    continue;
                };
                let integer = schema.get("type").and_then(Value::as_str) == Some("integer");
                let bound = |key: &str, exclusive: &str, step: f64| {
                    let value = schema.get(key)?.as_f64()?;
                    let is_exclusive = schema.get(exclusive).and_then(Value::as_bool) == Some(true);
                    Some(if is_exclusive && integer { value + step } else { value })
                };
                let (minimum, maximum) = (bound("minimum", "exclusiveMinimum", 1.0), bound("maximum", "exclusiveMaximum", -1.0));
                if minimum.is_some() || maximum.is_some() {
                    bounds.push((name.to_owned(), minimum, maximum));
                }
            }
            let envelope = match op.op.get("x-error-envelope") {
                None => None,
                Some(e) => {
                    let get = |k: &str| e.get(k).and_then(Value::as_str).map(str::to_owned);
                    match (get("pointer"), get("value")) {
                        (Some(pointer), Some(value)) if pointer.starts_with('/') => Some((pointer, value)),
                        _ => {
                            return Err(format!(
                                "x-error-envelope needs `pointer` (a JSON pointer) and `value` at {}.x-error-envelope",
                                op.at
                            ));
                        }
                    }
                }
            };
            let (pagination, pagination_detected) = crate::model::paging::resolve(doc, op)?;
            let requires_auth = crate::model::requires_auth(doc, op.op);
            // progenitor's error type is that of the 4xx, 5xx, 4XX, 5XX *and* `default`
            // responses (`is_error_or_default`): typed when one of them has a JSON body.
            let typed_error = op.op.get("responses").and_then(Value::as_object).is_some_and(|responses| {
                responses.iter().any(|(code, response)| {
                    (code.starts_with('4') || code.starts_with('5') || code == "default")
                        && response.get("content").and_then(Value::as_object).is_some_and(|c| c.keys().any(|k| k.contains("json")))
                })
            });
            let media = media::media_facts(op.op, &op.at, &enums)?;
            let security = security(doc, op.op, named);
            let params = params::param_facts(op.path, op.op);
            let redirects = redirects(op.op);
            Ok(OperationFacts { id, at: op.at.clone(), bounds, envelope, pagination, pagination_detected, requires_auth, typed_error, media, security, params, redirects, group: String::new() })
        })
        .collect()
}

pub fn rate_limit(doc: &Value) -> Result<Option<(u32, u64)>, String> {
    let Some(limit) = doc.pointer("/info/x-rate-limit") else {
        return Ok(None);
    };
    let requests = limit
        .get("requests")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0 && *n <= u64::from(u32::MAX));
    let period = limit
        .get("period_seconds")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0);
    match (requests, period) {
        (Some(r), Some(p)) => Ok(Some((r as u32, p))),
        _ => Err(
            "x-rate-limit needs positive `requests` and `period_seconds` at $.info.x-rate-limit"
                .into(),
        ),
    }
}

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
    /// Every scheme the runtime can send, by its name in `components.securitySchemes`,
    /// in the order of [`Auth::schemes`] (two schemes that travel alike are both here):
    /// what `.credential(name, ..)` takes and operations' requirements refer to.
    pub named: Vec<NamedScheme>,
}

/// One security scheme by its document name, with the environment variable its
/// credential is read from (`<PREFIX>_<NAME>`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedScheme {
    pub name: String,
    pub scheme: AuthScheme,
    pub env_var: String,
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
        document::operations(doc)
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
                    auth.schemes.push(s.clone());
                }
                auth.named.push(NamedScheme {
                    name,
                    scheme: s,
                    env_var: String::new(),
                });
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

/// An operation's security requirements (its own `security`, else the document's) as
/// positions in [`Auth::named`]: alternatives, each a set of schemes sent together; an
/// empty set allows anonymous calls. An alternative naming a scheme the runtime cannot
/// send is left out (it can never be met). `None`: no `security` anywhere, or none of
/// its alternatives can be sent.
pub fn security(doc: &Value, op: &Value, named: &[NamedScheme]) -> Option<Vec<Vec<u16>>> {
    let alternatives = op
        .get("security")
        .or_else(|| doc.get("security"))?
        .as_array()?;
    let sendable: Vec<Vec<u16>> = alternatives
        .iter()
        .filter_map(|alternative| {
            alternative
                .as_object()?
                .keys()
                .map(|name| {
                    let i = named.iter().position(|n| n.name == *name)?;
                    u16::try_from(i).ok()
                })
                .collect::<Option<Vec<u16>>>()
        })
        .collect();
    if !alternatives.is_empty() && sendable.is_empty() {
        return None;
    }
    Some(sendable)
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
    fn component_string_enums_are_found() {
        let doc = json!({
            "components": {"schemas": {
                "JobStatus": {"type": "string", "enum": ["PENDING", "DONE"], "description": "d"},
                "Other": {"type": "integer", "enum": [1, 2]},
                "Obj": {"type": "object"}
            }}
        });
        let enums = open_enums(&doc).unwrap();
        assert_eq!(enums.len(), 1);
        assert_eq!(enums[0].name, "JobStatus");
        assert_eq!(enums[0].description.as_deref(), Some("d"));
        assert_eq!(
            enums[0].variants,
            vec![
                ("Pending".into(), "PENDING".into()),
                ("Done".into(), "DONE".into())
            ]
        );
    }

    #[test]
    fn bounds_and_envelopes_come_from_the_operation() {
        let doc = json!({"paths": {"/t": {"get": {
            "operationId": "list_tasks",
            "x-error-envelope": {"pointer": "/status", "value": "error"},
            "parameters": [
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 0, "exclusiveMinimum": true}},
                {"name": "cursor", "in": "query", "schema": {"type": "string"}},
                {"name": "id", "in": "path", "schema": {"type": "integer", "minimum": 1}}
            ]
        }}}});
        let facts = operation_facts(&doc, &[]).unwrap();
        assert_eq!(
            facts[0].bounds,
            vec![
                ("limit".into(), Some(1.0), Some(100.0)),
                ("page".into(), Some(1.0), None)
            ]
        );
        assert_eq!(facts[0].envelope, Some(("/status".into(), "error".into())));
        let bad = json!({"paths": {"/t": {"get": {"operationId": "x", "x-error-envelope": {"value": "error"}}}}});
        assert!(
            operation_facts(&bad, &[])
                .err()
                .unwrap()
                .contains("x-error-envelope needs")
        );
    }

    #[test]
    fn a_json_default_response_types_the_error_as_progenitor_does() {
        let json_body = json!({"application/json": {"schema": {
            "type": "object", "properties": {"message": {"type": "string"}}
        }}});
        let doc = |responses: Value| {
            json!({
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "paths": {"/t": {"get": {"operationId": "get_t", "responses": responses}}}
            })
        };
        let ok = json!({"description": "ok", "content": {"application/json": {"schema": {"type": "string"}}}});
        let cases = [
            // progenitor puts `default` among the error responses: its JSON body is the
            // error type, as a 4xx's is (the 16 corpus documents that failed on this).
            (
                json!({"200": ok, "default": {"description": "e", "content": json_body}}),
                true,
            ),
            (
                json!({"200": ok, "4XX": {"description": "e", "content": json_body}}),
                true,
            ),
            (json!({"200": ok, "default": {"description": "e"}}), false),
            (json!({"200": ok}), false),
        ];
        for (responses, typed) in cases {
            let facts = operation_facts(&doc(responses.clone()), &[]).unwrap();
            assert_eq!(facts[0].typed_error, typed, "{responses}");
            // The whole pipeline agrees with progenitor (extend checks the two match).
            let mut prepared = crate::model::prepare_doc(
                crate::model::CORPUS_PROVIDER,
                "t.yaml".into(),
                doc(responses.clone()),
                None,
            )
            .unwrap();
            if let Err(e) = crate::emit::generate(&mut prepared) {
                panic!("{responses}: {e}");
            }
        }
    }

    #[test]
    fn rate_limits_are_validated() {
        assert_eq!(
            rate_limit(&json!({"info": {"x-rate-limit": {"requests": 20, "period_seconds": 60}}})),
            Ok(Some((20, 60)))
        );
        assert_eq!(rate_limit(&json!({"info": {}})), Ok(None));
        assert!(
            rate_limit(&json!({"info": {"x-rate-limit": {"requests": 0, "period_seconds": 60}}}))
                .is_err()
        );
    }

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

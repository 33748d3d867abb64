//! Fields OpenAPI requires that a document lacks (or writes as the wrong type), where a
//! default says as much as the document did.

use serde_json::{Map, Value, json};

use crate::document::{DATA_KEYWORDS, METHODS, NAME_MAPS, REPAIRED, segment};

/// What `info.version` reads as when the document has none: not a number, which would
/// pass for a version the provider published.
pub const NO_VERSION: &str = "unknown";

/// [`required_fields`]: what OpenAPI (and openapiv3, which progenitor reads the document
/// with) requires and the document lacks, filled in or left out, each a line of
/// [`REPAIRED`] (a warning):
///
/// - no `info`: `{title, version}` from the two rules below;
/// - no `info.title`: `title` (the provider's name, or the file's); no `info.version`:
///   [`NO_VERSION`]; either written as a number or a boolean (`version: 1.0`): its
///   text;
/// - no `paths` (3.0 requires them; 3.1 does not, silently): none;
/// - a response without a `description` (3.0 and 3.1; 3.2 made it optional, and
///   [`super::openapi32_additions`] fills it silently): an empty one, one warning for
///   all of them;
/// - a parameter without a `name` or an `in`: left out (nothing could send it; a
///   component parameter goes, and `$ref`s to it are then dangling:
///   [`super::dangling_refs`] leaves them out);
/// - a server without a `url`, a tag without a `name`, an `info.license` without a
///   `name`, an `externalDocs` without a `url`, a `discriminator` without a
///   `propertyName`, an OAuth2 flow without its `authorizationUrl` or `tokenUrl`:
///   left out (documentation, or nothing the client can use); a server variable
///   without a `default`: its first `enum` value, else empty; an OAuth2 flow without
///   `scopes`: none.
///
/// A document that is not OpenAPI at all never gets here (`check_version` refuses it).
pub fn required_fields(doc: &mut Value, title: &str) {
    let version = doc
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let Some(top) = doc.as_object_mut() else {
        return;
    };
    let mut notes = Notes::default();
    info(top, title, &mut notes);
    if !top.contains_key("paths") {
        top.insert("paths".into(), json!({}));
        if version.starts_with("3.0.") {
            notes.add("no `paths`", "$", "read as none");
        }
    }
    // 3.2 made a response's description optional.
    if version.starts_with("3.0.") || version.starts_with("3.1.") {
        described_responses(top, &mut notes);
    }
    named_parameters(top, &mut notes);
    servers(top.get_mut("servers"), "$.servers", &mut notes);
    if let Some(Value::Object(paths)) = top.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = format!("$.paths{}", segment(path));
            servers(
                item.get_mut("servers"),
                &format!("{at}.servers"),
                &mut notes,
            );
            for method in METHODS {
                if let Some(op) = item.get_mut(*method) {
                    let at = format!("{at}.{method}.servers");
                    servers(op.get_mut("servers"), &at, &mut notes);
                }
            }
        }
    }
    if let Some(Value::Array(tags)) = top.get_mut("tags") {
        let mut i = 0;
        tags.retain(|tag| {
            let keep = tag.get("name").is_some_and(Value::is_string);
            if !keep {
                notes.add(
                    "a tag without a `name`",
                    &format!("$.tags[{i}]"),
                    "left out",
                );
            }
            i += 1;
            keep
        });
    }
    if let Some(Value::Object(schemes)) = top
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
    {
        for (name, scheme) in schemes.iter_mut() {
            let at = format!("$.components.securitySchemes{}.flows", segment(name));
            if let Some(Value::Object(flows)) = scheme.get_mut("flows") {
                oauth2_flows(flows, &at, &mut notes);
            }
        }
    }
    documentation(top, "$", false, &mut notes);
    notes.record(top);
}

/// Lines of [`REPAIRED`]: what the document lacked, where, and what was done.
#[derive(Default)]
pub(super) struct Notes(Vec<Value>);

impl Notes {
    pub(super) fn add(&mut self, problem: &str, at: &str, done: &str) {
        self.0
            .push(json!({"problem": problem, "at": at, "done": done}));
    }

    /// Appends the lines to the document's [`REPAIRED`] list (`top` is the document).
    pub(super) fn record(self, top: &mut Map<String, Value>) {
        if self.0.is_empty() {
            return;
        }
        match top.get_mut(REPAIRED) {
            Some(Value::Array(list)) => list.extend(self.0),
            _ => {
                top.insert(REPAIRED.into(), Value::Array(self.0));
            }
        }
    }
}

/// `info`, `info.title`, `info.version`, `info.license.name`.
fn info(top: &mut Map<String, Value>, title: &str, notes: &mut Notes) {
    let info = match top.get_mut("info") {
        Some(Value::Object(info)) => info,
        other => {
            let problem = match other {
                None => "no `info` (OpenAPI requires one, with a `title` and a `version`)",
                Some(_) => "`info` is not a mapping",
            };
            notes.add(
                problem,
                "$",
                &format!("read as title {title:?}, version {NO_VERSION:?}"),
            );
            top.insert(
                "info".into(),
                json!({"title": title, "version": NO_VERSION}),
            );
            return;
        }
    };
    for (key, default) in [("title", title), ("version", NO_VERSION)] {
        let (problem, value) = match info.get(key) {
            Some(Value::String(_)) => continue,
            Some(v @ (Value::Number(_) | Value::Bool(_))) => {
                (format!("`info.{key}` is not a string ({v})"), v.to_string())
            }
            None | Some(Value::Null) => (
                format!("no `info.{key}` (OpenAPI requires one)"),
                default.to_owned(),
            ),
            Some(_) => (format!("`info.{key}` is not a string"), default.to_owned()),
        };
        notes.add(&problem, "$.info", &format!("read as {value:?}"));
        info.insert(key.into(), json!(value));
    }
    if let Some(license) = info.get("license")
        && !license.get("name").is_some_and(Value::is_string)
    {
        info.shift_remove("license");
        notes.add(
            "`info.license` without a `name`",
            "$.info.license",
            "left out",
        );
    }
}

/// Every response object without a `description` (of operations and
/// `components.responses`) gets an empty one; one note for all.
fn described_responses(top: &mut Map<String, Value>, notes: &mut Notes) {
    let mut found: Vec<String> = Vec::new();
    let mut describe = |responses: Option<&mut Value>, at: &str| {
        let Some(Value::Object(responses)) = responses else {
            return;
        };
        for (code, response) in responses.iter_mut() {
            if let Value::Object(r) = response
                && !r.contains_key("$ref")
                && !r.contains_key("description")
            {
                r.insert("description".into(), json!(""));
                found.push(format!("{at}{}", segment(code)));
            }
        }
    };
    if let Some(Value::Object(paths)) = top.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            for method in METHODS {
                if let Some(op) = item.get_mut(*method) {
                    let at = format!("$.paths{}.{method}.responses", segment(path));
                    describe(op.get_mut("responses"), &at);
                }
            }
        }
    }
    if let Some(components) = top.get_mut("components") {
        describe(components.get_mut("responses"), "$.components.responses");
    }
    if let Some(first) = found.first() {
        let at = match found.len() {
            1 => first.clone(),
            n => format!("{first} and {} more", n - 1),
        };
        notes.add(
            "a response without a `description` (OpenAPI requires one)",
            &at,
            "given an empty one",
        );
    }
}

/// Parameters without a `name` or an `in` (not `$ref`s) are left out of path items,
/// operations and `components.parameters`.
fn named_parameters(top: &mut Map<String, Value>, notes: &mut Notes) {
    let unusable = |p: &Value| {
        p.get("$ref").is_none()
            && !(p.get("name").is_some_and(Value::is_string)
                && p.get("in").is_some_and(Value::is_string))
    };
    let list = |params: Option<&mut Value>, at: &str, notes: &mut Notes| {
        let Some(Value::Array(params)) = params else {
            return;
        };
        let mut i = 0;
        params.retain(|p| {
            let keep = !unusable(p);
            if !keep {
                let at = format!("{at}[{i}]");
                notes.add("a parameter without a `name` or an `in`", &at, "left out");
            }
            i += 1;
            keep
        });
    };
    if let Some(Value::Object(paths)) = top.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let at = format!("$.paths{}", segment(path));
            list(
                item.get_mut("parameters"),
                &format!("{at}.parameters"),
                notes,
            );
            for method in METHODS {
                if let Some(op) = item.get_mut(*method) {
                    let at = format!("{at}.{method}.parameters");
                    list(op.get_mut("parameters"), &at, notes);
                }
            }
        }
    }
    if let Some(Value::Object(params)) = top
        .get_mut("components")
        .and_then(|c| c.get_mut("parameters"))
    {
        params.retain(|name, p| {
            let keep = !unusable(p);
            if !keep {
                let at = format!("$.components.parameters{}", segment(name));
                notes.add("a parameter without a `name` or an `in`", &at, "left out");
            }
            keep
        });
    }
}

/// A `servers` list: servers without a `url` are left out, variables without a
/// `default` get their first `enum` value (else an empty one).
fn servers(list: Option<&mut Value>, at: &str, notes: &mut Notes) {
    let Some(Value::Array(servers)) = list else {
        return;
    };
    let mut i = 0;
    servers.retain(|s| {
        let keep = s.get("url").is_some_and(Value::is_string);
        if !keep {
            notes.add(
                "a server without a `url`",
                &format!("{at}[{i}]"),
                "left out",
            );
        }
        i += 1;
        keep
    });
    for (i, server) in servers.iter_mut().enumerate() {
        let Some(Value::Object(variables)) = server.get_mut("variables") else {
            continue;
        };
        for (name, variable) in variables.iter_mut() {
            let Value::Object(variable) = variable else {
                continue;
            };
            if variable.get("default").is_some_and(Value::is_string) {
                continue;
            }
            let value = variable
                .get("enum")
                .and_then(|e| e.get(0))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let at = format!("{at}[{i}].variables{}", segment(name));
            notes.add(
                "a server variable without a `default`",
                &at,
                &format!("read as {value:?}"),
            );
            variable.insert("default".into(), json!(value));
        }
    }
}

/// OAuth2 flows: without the URL their kind requires, left out; without `scopes`, none.
fn oauth2_flows(flows: &mut Map<String, Value>, at: &str, notes: &mut Notes) {
    flows.retain(|kind, flow| {
        let urls: &[&str] = match kind.as_str() {
            "implicit" => &["authorizationUrl"],
            "password" | "clientCredentials" => &["tokenUrl"],
            "authorizationCode" => &["authorizationUrl", "tokenUrl"],
            _ => &[],
        };
        let flow_at = format!("{at}{}", segment(kind));
        if let Some(url) = urls
            .iter()
            .find(|u| !flow.get(**u).is_some_and(Value::is_string))
        {
            notes.add(
                &format!("an OAuth2 flow without its `{url}`"),
                &flow_at,
                "left out",
            );
            return false;
        }
        if let Value::Object(flow) = flow
            && !urls.is_empty()
            && !flow.get("scopes").is_some_and(Value::is_object)
        {
            notes.add("an OAuth2 flow without `scopes`", &flow_at, "read as none");
            flow.insert("scopes".into(), json!({}));
        }
        true
    });
}

/// `externalDocs` without a `url` and `discriminator` without a `propertyName`, wherever
/// they are keywords (not names of properties, not inside examples or extensions);
/// `names`: `map` is one of the [`NAME_MAPS`].
fn documentation(map: &mut Map<String, Value>, at: &str, names: bool, notes: &mut Notes) {
    if !names {
        for (key, required) in [("externalDocs", "url"), ("discriminator", "propertyName")] {
            if map
                .get(key)
                .is_some_and(|v| !v.get(required).is_some_and(Value::is_string))
            {
                map.shift_remove(key);
                notes.add(
                    &format!("`{key}` without a `{required}`"),
                    &format!("{at}.{key}"),
                    "left out",
                );
            }
        }
    }
    for (key, child) in map.iter_mut() {
        if !names && (DATA_KEYWORDS.contains(&key.as_str()) || key.starts_with("x-")) {
            continue;
        }
        let child_names = !names && NAME_MAPS.contains(&key.as_str());
        within(child, &format!("{at}{}", segment(key)), child_names, notes);
    }
}

fn within(value: &mut Value, at: &str, names: bool, notes: &mut Notes) {
    match value {
        Value::Object(map) => documentation(map, at, names, notes),
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                within(child, &format!("{at}[{i}]"), false, notes);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repaired(mut doc: Value) -> (Value, Vec<String>) {
        required_fields(&mut doc, "acme");
        let warnings = crate::document::warnings(&doc);
        (doc, warnings)
    }

    #[test]
    fn info_title_and_version_are_filled_or_read_as_text() {
        let (doc, warnings) = repaired(json!({"openapi": "3.0.3", "paths": {}}));
        assert_eq!(doc["info"], json!({"title": "acme", "version": "unknown"}));
        assert_eq!(
            warnings,
            [
                "no `info` (OpenAPI requires one, with a `title` and a `version`) at $: read as title \"acme\", version \"unknown\""
            ]
        );
        let (doc, warnings) = repaired(
            json!({"openapi": "3.0.3", "info": {"version": 1.0, "license": {"url": "https://x.test"}}, "paths": {}}),
        );
        assert_eq!(doc["info"], json!({"version": "1.0", "title": "acme"}));
        assert_eq!(
            warnings,
            [
                "no `info.title` (OpenAPI requires one) at $.info: read as \"acme\"",
                "`info.version` is not a string (1.0) at $.info: read as \"1.0\"",
                "`info.license` without a `name` at $.info.license: left out",
            ]
        );
        let (doc, warnings) =
            repaired(json!({"openapi": "3.1.0", "info": {"title": 7, "version": "2"}}));
        assert_eq!(doc["info"]["title"], "7");
        assert_eq!(doc["paths"], json!({}), "3.1 needs no paths: no warning");
        assert_eq!(
            warnings,
            ["`info.title` is not a string (7) at $.info: read as \"7\""]
        );
        let (_, warnings) =
            repaired(json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}}));
        assert_eq!(warnings, ["no `paths` at $: read as none"]);
        let (doc, warnings) = repaired(
            json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}),
        );
        assert!(warnings.is_empty() && doc.get(REPAIRED).is_none());
    }

    #[test]
    fn responses_get_a_description_with_one_warning_for_all() {
        let doc = |version: &str| {
            json!({"openapi": version, "info": {"title": "t", "version": "1"}, "paths": {"/a": {"get": {"responses": {
                "200": {"content": {}}, "404": {"$ref": "#/components/responses/E"}, "500": {"description": "x"}
            }}}}, "components": {"responses": {"E": {}}}})
        };
        let (fixed, warnings) = repaired(doc("3.0.3"));
        assert_eq!(
            fixed["paths"]["/a"]["get"]["responses"]["200"]["description"],
            ""
        );
        assert_eq!(fixed["components"]["responses"]["E"]["description"], "");
        assert_eq!(
            warnings,
            [
                "a response without a `description` (OpenAPI requires one) at $.paths['/a'].get.responses['200'] and 1 more: given an empty one"
            ]
        );
        let (_, warnings) = repaired(doc("3.2.0"));
        assert!(warnings.is_empty(), "optional in 3.2: {warnings:?}");
    }

    #[test]
    fn what_cannot_be_used_without_its_required_field_is_left_out() {
        let (doc, warnings) = repaired(json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "servers": [{"description": "no url"}, {"url": "https://{region}.x.test", "variables": {"region": {"enum": ["eu", "us"]}}}],
            "tags": [{"description": "no name"}, {"name": "ok"}],
            "externalDocs": {"description": "no url"},
            "paths": {"/a": {"get": {
                "parameters": [{"in": "query", "schema": {"type": "string"}}, {"name": "ok", "in": "query"}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object", "discriminator": {"mapping": {}},
                    "properties": {"discriminator": {"type": "string"}, "externalDocs": {"type": "object", "externalDocs": {}}},
                    "example": {"externalDocs": {}}
                }}}}}
            }}},
            "components": {"securitySchemes": {"oauth": {"type": "oauth2", "flows": {
                "clientCredentials": {"scopes": {}},
                "implicit": {"authorizationUrl": "https://x.test/auth"}
            }}}}
        }));
        assert_eq!(
            doc["servers"],
            json!([{"url": "https://{region}.x.test", "variables": {"region": {"enum": ["eu", "us"], "default": "eu"}}}])
        );
        assert_eq!(doc["tags"], json!([{"name": "ok"}]));
        assert!(doc.get("externalDocs").is_none());
        assert_eq!(
            doc["paths"]["/a"]["get"]["parameters"],
            json!([{"name": "ok", "in": "query"}])
        );
        let schema =
            &doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert!(schema.get("discriminator").is_none());
        assert_eq!(
            schema["properties"]["discriminator"],
            json!({"type": "string"}),
            "a property's name"
        );
        assert_eq!(
            schema["properties"]["externalDocs"],
            json!({"type": "object"})
        );
        assert_eq!(schema["example"], json!({"externalDocs": {}}), "data");
        assert_eq!(
            doc["components"]["securitySchemes"]["oauth"]["flows"],
            json!({"implicit": {"authorizationUrl": "https://x.test/auth", "scopes": {}}})
        );
        assert_eq!(
            warnings,
            [
                "a parameter without a `name` or an `in` at $.paths['/a'].get.parameters[0]: left out",
                "a server without a `url` at $.servers[0]: left out",
                "a server variable without a `default` at $.servers[0].variables.region: read as \"eu\"",
                "a tag without a `name` at $.tags[0]: left out",
                "an OAuth2 flow without its `tokenUrl` at $.components.securitySchemes.oauth.flows.clientCredentials: left out",
                "an OAuth2 flow without `scopes` at $.components.securitySchemes.oauth.flows.implicit: read as none",
                "`externalDocs` without a `url` at $.externalDocs: left out",
                "`discriminator` without a `propertyName` at $.paths['/a'].get.responses['200'].content['application/json'].schema.discriminator: left out",
                "`externalDocs` without a `url` at $.paths['/a'].get.responses['200'].content['application/json'].schema.properties.externalDocs.externalDocs: left out",
            ]
        );
    }
}

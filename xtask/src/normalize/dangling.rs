//! `$ref`s that point at nothing in the document: the document's own error, which
//! costs what the reference stands for, never the document.

use serde_json::{Value, json};

use crate::document::{self, DEGRADED, METHODS, RefSite, pointer_token};

use super::components::component_schemas;

/// [`dangling_refs`]: a local `$ref` whose target is not in the document (a schema
/// renamed and not followed, a component never written) is replaced by what costs the
/// least, by what it stands in (where the `$ref` is, not what it names):
///
/// - a schema: any JSON value (`serde_json::Value`), with a description saying what
///   was not found; a missing `#/components/schemas/<Name>` is added as that untyped
///   schema, so that every `$ref` to it agrees and the Rust type keeps its name; any
///   other target is replaced where the `$ref` stands;
/// - a parameter: left out of its operation (its name, location and type are what is
///   missing; the operation stays, and a path parameter comes back as a string from
///   the path template, [`super::normalize_parameters`]); a component parameter that is
///   such a `$ref` goes, and so do the parameters that refer to it;
/// - a request body: any JSON value (the caller sends what the server wants);
/// - a response: its status kept, with any JSON value as its body (none for `204`,
///   `205`, `304` and `1xx`, which have none);
/// - a path item, header, link, callback or security scheme: left out; anywhere else
///   (an extension) the `$ref` member goes.
///
/// Each target is one entry of [`DEGRADED`], which names the first `$ref` to it and
/// counts the others: `regen` and `add-provider` print it as a warning, `corpus` counts
/// it (a schema as untyped, the rest as references left out). A Swagger 2.0 document
/// has been converted first, so its `#/definitions/X` is `#/components/schemas/X`
/// here. An external `$ref` is not dangling (`check_refs` refuses it).
pub fn dangling_refs(doc: &mut Value) {
    // Leaving out a component parameter leaves the `$ref`s to it dangling: again.
    for _ in 0..16 {
        let sites: Vec<RefSite> = document::ref_sites(doc)
            .into_iter()
            .filter(|s| {
                s.target
                    .strip_prefix('#')
                    .is_some_and(|p| doc.pointer(p).is_none())
            })
            .collect();
        if sites.is_empty() {
            return;
        }
        repair(doc, &sites);
    }
}

/// What a `$ref` stands in, by where it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Site {
    Schema,
    Parameter,
    RequestBody,
    Response,
    PathItem,
    Header,
    Link,
    Callback,
    SecurityScheme,
    /// An example, an extension, anything OpenAPI gives no meaning to.
    Other,
}

impl Site {
    fn what(self) -> &'static str {
        match self {
            Site::Schema => "schema",
            Site::Parameter => "parameter",
            Site::RequestBody => "request body",
            Site::Response => "response",
            Site::PathItem => "path item",
            Site::Header => "header",
            Site::Link => "link",
            Site::Callback => "callback",
            Site::SecurityScheme => "security scheme",
            Site::Other => "reference",
        }
    }
}

/// The object of an OpenAPI 3.x document at the end of `tokens` (the object holding a
/// `$ref`), read down from the top.
fn site_of(tokens: &[String]) -> Site {
    #[derive(Clone, Copy)]
    enum S {
        Root,
        Components,
        PathMap,
        PathItem,
        ParamList,
        Parameter,
        Operation,
        Responses,
        Response,
        BodyMap,
        Body,
        ContentMap,
        Media,
        EncodingMap,
        Encoding,
        HeaderMap,
        Header,
        LinkMap,
        Link,
        CallbackMap,
        Callback,
        SecurityMap,
        SecurityScheme,
        SchemaMap,
        Schema,
        Other,
    }
    let mut state = S::Root;
    for token in tokens {
        let t = token.as_str();
        state = match (state, t) {
            (S::Root, "paths" | "webhooks") => S::PathMap,
            (S::Root, "components") => S::Components,
            (S::Components, "schemas") => S::SchemaMap,
            (S::Components, "parameters") => S::ParamList,
            (S::Components, "responses") => S::Responses,
            (S::Components, "requestBodies") => S::BodyMap,
            (S::Components, "headers") => S::HeaderMap,
            (S::Components, "links") => S::LinkMap,
            (S::Components, "callbacks") => S::CallbackMap,
            (S::Components, "securitySchemes") => S::SecurityMap,
            (S::Components, "pathItems") => S::PathMap,
            (S::PathMap, _) | (S::Callback, _) => S::PathItem,
            (S::PathItem | S::Operation, "parameters") => S::ParamList,
            (S::PathItem, m) if METHODS.contains(&m) => S::Operation,
            (S::ParamList, _) => S::Parameter,
            (S::Operation, "requestBody") => S::Body,
            (S::Operation, "responses") => S::Responses,
            (S::Operation, "callbacks") => S::CallbackMap,
            (S::Responses, _) => S::Response,
            (S::Response, "headers") | (S::Encoding, "headers") => S::HeaderMap,
            (S::Response, "links") => S::LinkMap,
            (S::Response | S::Body | S::Parameter | S::Header, "content") => S::ContentMap,
            (S::BodyMap, _) => S::Body,
            (S::ContentMap, _) => S::Media,
            (S::Media | S::Parameter | S::Header, "schema") => S::Schema,
            (S::Media, "encoding") => S::EncodingMap,
            (S::EncodingMap, _) => S::Encoding,
            (S::HeaderMap, _) => S::Header,
            (S::LinkMap, _) => S::Link,
            (S::CallbackMap, _) => S::Callback,
            (S::SecurityMap, _) => S::SecurityScheme,
            (S::SchemaMap | S::Schema, _) => S::Schema,
            _ => S::Other,
        };
    }
    match state {
        S::Schema => Site::Schema,
        S::Parameter => Site::Parameter,
        S::Body => Site::RequestBody,
        S::Response => Site::Response,
        S::PathItem => Site::PathItem,
        S::Header => Site::Header,
        S::Link => Site::Link,
        S::Callback => Site::Callback,
        S::SecurityScheme => Site::SecurityScheme,
        _ => Site::Other,
    }
}

/// One pass of [`dangling_refs`] over the `$ref`s whose targets are missing.
fn repair(doc: &mut Value, sites: &[RefSite]) {
    // One group per target and site: the `$ref`s' locations.
    let mut groups: Vec<(&str, Site, Vec<&RefSite>)> = Vec::new();
    for s in sites {
        let site = site_of(&s.tokens);
        match groups
            .iter_mut()
            .find(|(t, k, _)| *t == s.target && *k == site)
        {
            Some((_, _, list)) => list.push(s),
            None => groups.push((&s.target, site, vec![s])),
        }
    }
    // Parameters leave their lists after every other change, so that indices hold.
    let mut lists: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    for (target, site, refs) in groups {
        let more = match refs.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        let why = format!(
            "{target:?} is not in the document ($ref at `{}`{more})",
            refs[0].at
        );
        let description = format!("Not typed by the generator (any JSON value): {why}.");
        let untyped = json!({ "description": description });
        let untyped_body = json!({
            "description": description,
            "content": {"application/json": {"schema": untyped}},
        });
        let mut name = target.to_owned();
        let mut typed_any = true;
        match site {
            Site::Schema => {
                let component = target
                    .strip_prefix("#/components/schemas/")
                    .filter(|n| !n.contains('/'))
                    .map(document::from_pointer_token);
                match component.and_then(|c| Some((c, component_schemas(doc).ok()?))) {
                    Some((component, schemas)) => {
                        schemas.insert(component.clone(), untyped);
                        name = component;
                    }
                    None => {
                        for r in &refs {
                            let Some(Value::Object(object)) = doc.pointer_mut(&pointer(&r.tokens))
                            else {
                                continue;
                            };
                            object.shift_remove("$ref");
                            let text = match object.get("description").and_then(Value::as_str) {
                                Some(before) => format!("{before}\n\n{description}"),
                                None => description.clone(),
                            };
                            object.insert("description".into(), json!(text));
                        }
                    }
                }
            }
            Site::Parameter => {
                typed_any = false;
                for r in &refs {
                    match r.tokens.as_slice() {
                        [top, kind, key] if top == "components" && kind == "parameters" => {
                            remove_entry(doc, &r.tokens[..2], key);
                        }
                        [list @ .., _] => {
                            if let Some(slot) = doc.pointer_mut(&pointer(&r.tokens)) {
                                *slot = Value::Null;
                                lists.push(pointer(list));
                            }
                        }
                        [] => {}
                    }
                }
            }
            Site::RequestBody => {
                for r in &refs {
                    if let Some(slot) = doc.pointer_mut(&pointer(&r.tokens)) {
                        *slot = untyped_body.clone();
                    }
                }
            }
            Site::Response => {
                typed_any = false;
                for r in &refs {
                    // An operation's response has a status; one without a body gets none.
                    let status = match r.tokens.as_slice() {
                        [.., responses, status] if responses == "responses" => status.as_str(),
                        _ => "",
                    };
                    let bodiless =
                        matches!(status, "204" | "205" | "304") || status.starts_with('1');
                    let response = if bodiless {
                        json!({ "description": description })
                    } else {
                        typed_any = true;
                        untyped_body.clone()
                    };
                    if let Some(slot) = doc.pointer_mut(&pointer(&r.tokens)) {
                        *slot = response;
                    }
                }
            }
            Site::PathItem | Site::Header | Site::Link | Site::Callback | Site::SecurityScheme => {
                typed_any = false;
                for r in &refs {
                    if let [parent @ .., key] = r.tokens.as_slice() {
                        remove_entry(doc, parent, key);
                    }
                }
            }
            Site::Other => {
                typed_any = false;
                for r in &refs {
                    if let Some(Value::Object(object)) = doc.pointer_mut(&pointer(&r.tokens)) {
                        object.shift_remove("$ref");
                    }
                }
            }
        }
        entries.push(if typed_any {
            json!({"kind": "schema", "name": name, "why": why})
        } else {
            let done = match site {
                Site::Response => "is kept without a body",
                Site::Other => "is dropped",
                _ => "is left out",
            };
            json!({"kind": "reference", "what": site.what(), "name": name, "done": done, "why": why})
        });
    }
    lists.sort();
    lists.dedup();
    for list in lists {
        if let Some(Value::Array(items)) = doc.pointer_mut(&list) {
            items.retain(|p| !p.is_null());
        }
    }
    match doc.get_mut(DEGRADED) {
        Some(Value::Array(list)) => list.extend(entries),
        _ => doc[DEGRADED] = Value::Array(entries),
    }
}

/// The JSON Pointer of `tokens`.
fn pointer(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", pointer_token(t)))
        .collect()
}

/// Removes `key` from the mapping at `parent`.
fn remove_entry(doc: &mut Value, parent: &[String], key: &str) {
    if let Some(Value::Object(map)) = doc.pointer_mut(&pointer(parent)) {
        map.shift_remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn missing(target: &str) -> Value {
        json!({ "$ref": target })
    }

    #[test]
    fn a_missing_component_schema_is_added_untyped_and_other_targets_untyped_in_place() {
        let mut doc = json!({"openapi": "3.0.3", "paths": {"/a": {"post": {
            "requestBody": {"content": {"application/json": {"schema": {
                "$ref": "#/definitions/Old", "description": "The old one."
            }}}},
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "array", "items": missing("#/components/schemas/Link")
            }}}}}
        }}}, "components": {"schemas": {
            "Holder": {"type": "object", "properties": {"links": {"type": "array", "items": missing("#/components/schemas/Link")}}}
        }}});
        dangling_refs(&mut doc);
        let why = "\"#/components/schemas/Link\" is not in the document ($ref at \
                   `$.paths['/a'].post.responses['200'].content['application/json'].schema.items['$ref']` and 1 more)";
        assert_eq!(
            doc["components"]["schemas"]["Link"],
            json!({"description": format!("Not typed by the generator (any JSON value): {why}.")})
        );
        assert_eq!(
            doc["components"]["schemas"]["Holder"]["properties"]["links"]["items"],
            missing("#/components/schemas/Link"),
            "the $refs stay: they lead to the added schema"
        );
        let body =
            &doc["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]["schema"];
        assert!(body.get("$ref").is_none(), "{body}");
        assert!(
            body["description"]
                .as_str()
                .unwrap()
                .starts_with("The old one.\n\nNot typed by the generator (any JSON value): \"#/definitions/Old\" is not in the document"),
            "{body}"
        );
        assert!(crate::document::check_refs(&doc).is_ok());
        let warnings = crate::document::warnings(&doc);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert_eq!(
            warnings[1],
            format!("schema `Link` is not typed (any JSON value): {why}")
        );
        assert!(
            warnings[0].starts_with("schema `#/definitions/Old` is not typed (any JSON value): \"#/definitions/Old\" is not in the document ($ref at `$.paths['/a'].post.requestBody"),
            "{warnings:?}"
        );
    }

    #[test]
    fn parameters_go_bodies_and_responses_become_any_value_and_the_rest_is_left_out() {
        let mut doc = json!({"openapi": "3.0.3", "paths": {
            "/a/{id}": {
                "parameters": [missing("#/components/parameters/Id")],
                "get": {
                    "parameters": [
                        missing("#/components/parameters/Limit"),
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        missing("#/components/parameters/Chain")
                    ],
                    "requestBody": missing("#/components/requestBodies/Thing"),
                    "responses": {
                        "200": missing("#/components/responses/Thing"),
                        "204": missing("#/components/responses/Nothing"),
                        "404": {"description": "no", "headers": {"X-Why": missing("#/components/headers/Why")}}
                    }
                }
            },
            "/b": missing("#/components/pathItems/B")
        }, "components": {"parameters": {"Chain": missing("#/components/parameters/Gone")}}});
        dangling_refs(&mut doc);
        let get = &doc["paths"]["/a/{id}"]["get"];
        assert_eq!(
            get["parameters"],
            json!([{"name": "q", "in": "query", "schema": {"type": "string"}}]),
            "the dangling ones and the one whose component led nowhere are left out"
        );
        assert_eq!(doc["paths"]["/a/{id}"]["parameters"], json!([]));
        assert_eq!(doc["components"]["parameters"], json!({}));
        let body = &get["requestBody"]["content"]["application/json"]["schema"];
        assert!(
            body["description"]
                .as_str()
                .unwrap()
                .starts_with("Not typed by the generator")
        );
        assert!(get["responses"]["200"]["content"]["application/json"]["schema"].is_object());
        assert!(
            get["responses"]["204"].get("content").is_none(),
            "a 204 has no body"
        );
        assert_eq!(get["responses"]["404"]["headers"], json!({}));
        assert!(doc["paths"].get("/b").is_none());
        assert!(crate::document::check_refs(&doc).is_ok());
        let warnings = crate::document::warnings(&doc);
        let starts = [
            "parameter `#/components/parameters/Id` is left out: \"#/components/parameters/Id\" is not in the document ($ref at `$.paths['/a/{id}'].parameters[0]['$ref']`)",
            "parameter `#/components/parameters/Limit` is left out",
            "schema `#/components/requestBodies/Thing` is not typed (any JSON value)",
            "schema `#/components/responses/Thing` is not typed (any JSON value)",
            "response `#/components/responses/Nothing` is kept without a body",
            "header `#/components/headers/Why` is left out",
            "path item `#/components/pathItems/B` is left out",
            "parameter `#/components/parameters/Gone` is left out: \"#/components/parameters/Gone\" is not in the document ($ref at `$.components.parameters.Chain['$ref']`)",
            // The second pass: the component that led nowhere is gone.
            "parameter `#/components/parameters/Chain` is left out",
        ];
        assert_eq!(warnings.len(), starts.len(), "{warnings:#?}");
        for (warning, start) in warnings.iter().zip(starts) {
            assert!(warning.starts_with(start), "{warning}\n{start}");
        }
    }

    #[test]
    fn sites_are_read_from_the_structure_not_from_names() {
        let site = |pointer: &str| {
            let tokens: Vec<String> = pointer
                .split('/')
                .skip(1)
                .map(crate::document::from_pointer_token)
                .collect();
            site_of(&tokens)
        };
        assert_eq!(site("/components/schemas/parameters"), Site::Schema);
        assert_eq!(
            site("/components/schemas/A/properties/headers/items"),
            Site::Schema
        );
        assert_eq!(site("/components/parameters/schema"), Site::Parameter);
        assert_eq!(site("/paths/~1x/get/parameters/0/schema"), Site::Schema);
        assert_eq!(
            site("/paths/~1x/get/responses/200/headers/schema"),
            Site::Header
        );
        assert_eq!(
            site("/paths/~1x/get/responses/200/content/a~1b/schema/items"),
            Site::Schema
        );
        assert_eq!(site("/paths/~1x/get/callbacks/c/{$url}"), Site::PathItem);
        assert_eq!(site("/paths/~1x/get/x-code-samples/0"), Site::Other);
        assert_eq!(site("/components/requestBodies/B"), Site::RequestBody);
    }
}

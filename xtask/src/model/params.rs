//! How each parameter of an operation goes on the wire: its location, `style`,
//! `explode`, `allowReserved` and `content`, as the document says (normalization gave
//! progenitor what it takes and kept the rest in extensions: [`document::PARAM_IN`],
//! [`document::PARAM_STYLE`], [`document::PARAM_CONTENT`]). The generated `send()`
//! serializes each parameter from these facts through `tasks_sdk_core::params`.

use serde_json::Value;

use crate::document;
use crate::document::naming;

/// Where a parameter goes (the document's `in`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
}

/// A parameter's `style`, defaulted as OpenAPI says for its location.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Path and header (their default).
    Simple,
    /// Path: `.blue`.
    Label,
    /// Path: `;color=blue`.
    Matrix,
    /// Query and cookie (their default).
    Form,
    /// Query: `color=blue%20black`.
    SpaceDelimited,
    /// Query: `color=blue%7Cblack`.
    PipeDelimited,
    /// Query: `color%5BR%5D=100`.
    DeepObject,
}

/// How one parameter is serialized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamFacts {
    /// The name in the document (`X-Request-Id`, `filter[status]`).
    pub name: String,
    /// progenitor's Rust name for it: the builder's field, `send()`'s local.
    pub rust_name: String,
    pub location: Location,
    pub style: Style,
    /// `explode`, defaulted (`true` for `form`, else `false`).
    pub explode: bool,
    /// `allowReserved` (a query parameter's only).
    pub allow_reserved: bool,
    /// `content` with a JSON media type: the value is sent as its JSON text (`style` and
    /// `explode` do not apply).
    pub json: bool,
    /// A path parameter that is a whole segment of the path (`/tasks/{id}/runs`, not
    /// `/files/{name}.json`): a value that would make the segment empty, `.` or `..`
    /// is refused.
    pub whole_segment: bool,
}

/// The parameters of a normalized operation at `path`, in the document's order.
pub fn param_facts(path: &str, op: &Value) -> Vec<ParamFacts> {
    let segments: Vec<&str> = path.split('/').collect();
    op.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|param| {
            let text = |key: &str| param.get(key).and_then(Value::as_str);
            let name = text("name")?;
            let location = match text(document::PARAM_IN).or_else(|| text("in"))? {
                "path" => Location::Path,
                "query" => Location::Query,
                "header" => Location::Header,
                "cookie" => Location::Cookie,
                _ => return None,
            };
            let style = style(
                location,
                text(document::PARAM_STYLE).or_else(|| text("style")),
            );
            let explode = param
                .get("explode")
                .and_then(Value::as_bool)
                .unwrap_or(style == Style::Form);
            let whole_segment =
                location == Location::Path && segments.iter().any(|s| *s == format!("{{{name}}}"));
            Some(ParamFacts {
                name: name.to_owned(),
                rust_name: naming::setter_name(name),
                location,
                style,
                explode,
                allow_reserved: location == Location::Query
                    && param.get("allowReserved").and_then(Value::as_bool) == Some(true),
                json: param.get(document::PARAM_CONTENT).is_some(),
                whole_segment,
            })
        })
        .collect()
}

/// A component progenitor writes as another's type ([`document::PARAM_TYPE`]): a
/// parameter's struct.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamType {
    /// typify's name of the component the parameters refer to (`FilterParameter`).
    pub alias: String,
    /// typify's name of the struct it stands for (`Filter`).
    pub target: String,
}

/// Every [`ParamType`] of a normalized document.
pub fn param_types(doc: &Value) -> Vec<ParamType> {
    doc.pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(name, schema)| {
            let target = schema.get(document::PARAM_TYPE)?.as_str()?;
            Some(ParamType {
                alias: naming::type_name(name),
                target: naming::type_name(target),
            })
        })
        .collect()
}

/// The style the document gives (`None`: absent), as its location allows it; a style the
/// location does not have (`style: matrix` in a query) is the location's default.
fn style(location: Location, given: Option<&str>) -> Style {
    match (location, given) {
        (Location::Path, Some("label")) => Style::Label,
        (Location::Path, Some("matrix")) => Style::Matrix,
        (Location::Path | Location::Header, _) => Style::Simple,
        (Location::Query, Some("spaceDelimited")) => Style::SpaceDelimited,
        (Location::Query, Some("pipeDelimited")) => Style::PipeDelimited,
        (Location::Query, Some("deepObject")) => Style::DeepObject,
        // OpenAPI 3.2's `style: cookie` sends what `form` sends in a `Cookie` header.
        (Location::Query | Location::Cookie, _) => Style::Form,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn facts(path: &str, params: Value) -> Vec<ParamFacts> {
        let mut doc =
            json!({"paths": {path: {"get": {"operationId": "op", "parameters": params}}}});
        crate::normalize::normalize_parameters(&mut doc);
        param_facts(path, &doc["paths"][path]["get"])
    }

    #[test]
    fn styles_and_explode_default_by_location_and_survive_normalization() {
        let got = facts(
            "/c/{id}/{name}.json",
            json!([
                {"name": "id", "in": "path", "required": true, "style": "matrix", "explode": true, "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "name", "in": "path", "required": true, "style": "label", "schema": {"type": "string"}},
                {"name": "ids", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "integer"}}},
                {"name": "filter", "in": "query", "style": "deepObject", "explode": true, "schema": {"type": "object"}},
                {"name": "q", "in": "query", "allowReserved": true, "schema": {"type": "string"}},
                {"name": "where", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
                {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                {"name": "prefs", "in": "cookie", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}}
            ]),
        );
        fn row(f: &ParamFacts) -> (&str, Location, Style, bool, bool, bool, bool) {
            (
                f.name.as_str(),
                f.location,
                f.style,
                f.explode,
                f.allow_reserved,
                f.json,
                f.whole_segment,
            )
        }
        let rows: Vec<_> = got.iter().map(row).collect();
        use Location::*;
        use Style::*;
        assert_eq!(
            rows,
            [
                ("id", Path, Matrix, true, false, false, true),
                ("name", Path, Label, false, false, false, false),
                ("ids", Query, PipeDelimited, false, false, false, false),
                ("filter", Query, DeepObject, true, false, false, false),
                ("q", Query, Form, true, true, false, false),
                ("where", Query, Form, true, false, true, false),
                ("X-Trace", Header, Simple, false, false, false, false),
                ("session", Cookie, Form, true, false, false, false),
                ("prefs", Cookie, Form, false, false, false, false),
            ]
        );
        assert_eq!(got[3].rust_name, "filter");
        assert_eq!(got[6].rust_name, "x_trace");
    }
}

//! Walks over the document shared by several rules: every operation, every top-level
//! schema position.

use serde_json::{Map, Value};

use crate::document::{self, segment};

pub(super) fn for_each_operation(
    doc: &mut Value,
    mut f: impl FnMut(&mut Map<String, Value>, &str) -> Result<(), String>,
) -> Result<(), String> {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return Ok(());
    };
    for (path, item) in paths.iter_mut() {
        for method in document::METHODS {
            if let Some(Value::Object(op)) = item.get_mut(*method) {
                f(op, &format!("$.paths{}.{method}", segment(path)))?;
            }
        }
    }
    Ok(())
}

/// Where a schema sits: a parameter's schema is serialized into a query string or path.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Context {
    Parameter,
    Body,
}

/// Calls `f` on every top-level schema: components, parameters, bodies, headers.
pub(super) fn visit_schema_positions(
    doc: &mut Value,
    f: &mut dyn FnMut(&mut Value, Context, &str) -> Result<(), String>,
) -> Result<(), String> {
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
            for (name, schema) in schemas.iter_mut() {
                f(
                    schema,
                    Context::Body,
                    &format!("$.components.schemas{}", segment(name)),
                )?;
            }
        }
        if let Some(Value::Object(params)) = components.get_mut("parameters") {
            for (name, param) in params.iter_mut() {
                let at = format!("$.components.parameters{}", segment(name));
                if let Some(schema) = param.get_mut("schema") {
                    f(schema, Context::Parameter, &format!("{at}.schema"))?;
                }
            }
        }
        for group in ["responses", "requestBodies"] {
            if let Some(Value::Object(items)) = components.get_mut(group) {
                for (name, item) in items.iter_mut() {
                    visit_body(item, &format!("$.components.{group}{}", segment(name)), f)?;
                }
            }
        }
        if let Some(Value::Object(headers)) = components.get_mut("headers") {
            for (name, header) in headers.iter_mut() {
                if let Some(schema) = header.get_mut("schema") {
                    f(
                        schema,
                        Context::Parameter,
                        &format!("$.components.headers{}.schema", segment(name)),
                    )?;
                }
            }
        }
    }
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return Ok(());
    };
    for (path, item) in paths.iter_mut() {
        let item_at = format!("$.paths{}", segment(path));
        visit_parameters(item, &item_at, f)?;
        for method in document::METHODS {
            let Some(op) = item.get_mut(*method) else {
                continue;
            };
            let at = format!("{item_at}.{method}");
            visit_parameters(op, &at, f)?;
            if let Some(body) = op.get_mut("requestBody") {
                visit_body(body, &format!("{at}.requestBody"), f)?;
            }
            if let Some(Value::Object(responses)) = op.get_mut("responses") {
                for (code, response) in responses.iter_mut() {
                    visit_body(response, &format!("{at}.responses{}", segment(code)), f)?;
                }
            }
        }
    }
    Ok(())
}

fn visit_parameters(
    holder: &mut Value,
    at: &str,
    f: &mut dyn FnMut(&mut Value, Context, &str) -> Result<(), String>,
) -> Result<(), String> {
    if let Some(Value::Array(params)) = holder.get_mut("parameters") {
        for (i, param) in params.iter_mut().enumerate() {
            if let Some(schema) = param.get_mut("schema") {
                f(
                    schema,
                    Context::Parameter,
                    &format!("{at}.parameters[{i}].schema"),
                )?;
            }
        }
    }
    Ok(())
}

/// A response or request body: `content.*.schema` and `headers.*.schema`.
fn visit_body(
    body: &mut Value,
    at: &str,
    f: &mut dyn FnMut(&mut Value, Context, &str) -> Result<(), String>,
) -> Result<(), String> {
    if let Some(Value::Object(content)) = body.get_mut("content") {
        for (media, media_type) in content.iter_mut() {
            if let Some(schema) = media_type.get_mut("schema") {
                f(
                    schema,
                    Context::Body,
                    &format!("{at}.content{}.schema", segment(media)),
                )?;
            }
        }
    }
    if let Some(Value::Object(headers)) = body.get_mut("headers") {
        for (name, header) in headers.iter_mut() {
            if let Some(schema) = header.get_mut("schema") {
                f(
                    schema,
                    Context::Parameter,
                    &format!("{at}.headers{}.schema", segment(name)),
                )?;
            }
        }
    }
    Ok(())
}

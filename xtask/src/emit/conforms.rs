//! Whether a JSON value is an instance of a (normalized, OpenAPI 3.0.3) schema: the
//! check [`crate::emit::instance`] runs on what it builds and on the document's own
//! examples before it uses them. It reads what instances are built for: `$ref`,
//! `nullable`, `enum`, `type`, `allOf`/`oneOf`/`anyOf`/`not`, object properties,
//! `required`, `additionalProperties`, `min`/`maxProperties`, `items`,
//! `min`/`maxItems`, `uniqueItems`, string lengths (in characters), `pattern` (as
//! typify's code reads it, with regress), the formats instances are built for, and
//! numeric bounds (exclusive ones as booleans or numbers) and `multipleOf`.
//! xtask's tests check instances with a full JSON Schema validator too.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde_json::Value;

use crate::emit::pattern::Pattern;

/// Nesting deeper than this (a `$ref` cycle in the schema) is not checked further.
const MAX_DEPTH: usize = 64;

/// Where `value` breaks `schema` (whose `$ref`s point into `doc`), one line each
/// (`$.messages: 0 items, fewer than minItems 1`); empty when it is an instance.
pub fn violations(doc: &Value, schema: &Value, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(doc, schema, value, "$", 0, &mut out);
    out
}

/// Whether `value` is an instance of `schema`.
pub fn conforms(doc: &Value, schema: &Value, value: &Value) -> bool {
    violations(doc, schema, value).is_empty()
}

fn check(
    doc: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    depth: usize,
    out: &mut Vec<String>,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let Some(map) = schema.as_object() else {
        // `true`/`false` schemas (additionalProperties).
        if schema == &Value::Bool(false) {
            out.push(format!("{at}: no value is allowed here"));
        }
        return;
    };
    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
        match target.strip_prefix('#').and_then(|p| doc.pointer(p)) {
            Some(resolved) => check(doc, resolved, value, at, depth + 1, out),
            None => out.push(format!("{at}: unresolved $ref {target}")),
        }
        return;
    }
    let nullable = map.get("nullable").and_then(Value::as_bool) == Some(true);
    if let Some(values) = map.get("enum").and_then(Value::as_array)
        && !values.iter().any(|v| same(v, value))
        && !(nullable && value.is_null())
    {
        out.push(format!("{at}: {value} is not one of the enum's values"));
        return;
    }
    if value.is_null() && nullable {
        return;
    }
    if let Some(ty) = map.get("type").and_then(Value::as_str)
        && !has_type(value, ty)
    {
        out.push(format!("{at}: {} is not of type {ty}", short(value)));
        return;
    }
    compositions(doc, map, value, at, depth, out);
    match value {
        Value::Object(object) => object_rules(doc, map, object, at, depth, out),
        Value::Array(items) => array_rules(doc, map, items, at, depth, out),
        Value::String(s) => string_rules(map, s, at, out),
        Value::Number(n) => number_rules(map, n.as_f64().unwrap_or(0.0), at, out),
        _ => {}
    }
}

fn compositions(
    doc: &Value,
    map: &serde_json::Map<String, Value>,
    value: &Value,
    at: &str,
    depth: usize,
    out: &mut Vec<String>,
) {
    let arms = |key: &str| map.get(key).and_then(Value::as_array);
    if let Some(arms) = arms("allOf") {
        for arm in arms {
            check(doc, arm, value, at, depth + 1, out);
        }
    }
    let matching = |arms: &Vec<Value>| {
        arms.iter()
            .filter(|arm| {
                let mut inner = Vec::new();
                check(doc, arm, value, at, depth + 1, &mut inner);
                inner.is_empty()
            })
            .count()
    };
    if let Some(arms) = arms("oneOf") {
        match matching(arms) {
            1 => {}
            0 => out.push(format!("{at}: matches none of the oneOf alternatives")),
            n => out.push(format!(
                "{at}: matches {n} of the oneOf alternatives, not one"
            )),
        }
    }
    if let Some(arms) = arms("anyOf")
        && matching(arms) == 0
    {
        out.push(format!("{at}: matches none of the anyOf alternatives"));
    }
    if let Some(not) = map.get("not") {
        let mut inner = Vec::new();
        check(doc, not, value, at, depth + 1, &mut inner);
        if inner.is_empty() {
            out.push(format!("{at}: matches the schema of `not`"));
        }
    }
}

fn object_rules(
    doc: &Value,
    map: &serde_json::Map<String, Value>,
    object: &serde_json::Map<String, Value>,
    at: &str,
    depth: usize,
    out: &mut Vec<String>,
) {
    let properties = map.get("properties").and_then(Value::as_object);
    for name in map
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !object.contains_key(name) {
            out.push(format!("{at}: the required property `{name}` is missing"));
        }
    }
    for (name, value) in object {
        let here = format!("{at}.{name}");
        match properties.and_then(|p| p.get(name)) {
            Some(property) => check(doc, property, value, &here, depth + 1, out),
            None => match map.get("additionalProperties") {
                Some(Value::Bool(false)) => {
                    out.push(format!("{at}: `{name}` is not a declared property"))
                }
                Some(extra @ Value::Object(_)) => check(doc, extra, value, &here, depth + 1, out),
                _ => {}
            },
        }
    }
    let count = object.len() as u64;
    if let Some(min) = map.get("minProperties").and_then(Value::as_u64)
        && count < min
    {
        out.push(format!(
            "{at}: {count} properties, fewer than minProperties {min}"
        ));
    }
    if let Some(max) = map.get("maxProperties").and_then(Value::as_u64)
        && count > max
    {
        out.push(format!(
            "{at}: {count} properties, more than maxProperties {max}"
        ));
    }
}

fn array_rules(
    doc: &Value,
    map: &serde_json::Map<String, Value>,
    items: &[Value],
    at: &str,
    depth: usize,
    out: &mut Vec<String>,
) {
    let count = items.len() as u64;
    if let Some(min) = map.get("minItems").and_then(Value::as_u64)
        && count < min
    {
        out.push(format!("{at}: {count} items, fewer than minItems {min}"));
    }
    if let Some(max) = map.get("maxItems").and_then(Value::as_u64)
        && count > max
    {
        out.push(format!("{at}: {count} items, more than maxItems {max}"));
    }
    if map.get("uniqueItems").and_then(Value::as_bool) == Some(true)
        && items
            .iter()
            .enumerate()
            .any(|(i, a)| items[..i].iter().any(|b| same(a, b)))
    {
        out.push(format!("{at}: the items are not unique"));
    }
    if let Some(schema) = map.get("items") {
        for (i, item) in items.iter().enumerate() {
            check(doc, schema, item, &format!("{at}[{i}]"), depth + 1, out);
        }
    }
}

fn string_rules(map: &serde_json::Map<String, Value>, s: &str, at: &str, out: &mut Vec<String>) {
    let n = s.chars().count() as u64;
    if let Some(min) = map.get("minLength").and_then(Value::as_u64)
        && n < min
    {
        out.push(format!("{at}: {n} characters, fewer than minLength {min}"));
    }
    if let Some(max) = map.get("maxLength").and_then(Value::as_u64)
        && n > max
    {
        out.push(format!("{at}: {n} characters, more than maxLength {max}"));
    }
    if let Some(pattern) = map.get("pattern").and_then(Value::as_str)
        && let Ok(compiled) = Pattern::new(pattern)
        && !compiled.matches(s)
    {
        out.push(format!(
            "{at}: {s:?} does not match the pattern `{pattern}`"
        ));
    }
    if let Some(format) = map.get("format").and_then(Value::as_str)
        && !format_ok(format, s)
    {
        out.push(format!("{at}: {s:?} is not a valid {format}"));
    }
}

fn number_rules(map: &serde_json::Map<String, Value>, n: f64, at: &str, out: &mut Vec<String>) {
    for (problem, broken) in number_problems(map, n) {
        if broken {
            out.push(format!("{at}: {n} {problem}"));
        }
    }
}

/// The numeric rules of a schema and whether `n` breaks each.
fn number_problems(map: &serde_json::Map<String, Value>, n: f64) -> Vec<(String, bool)> {
    let get = |key: &str| map.get(key).and_then(Value::as_f64);
    let flag = |key: &str| map.get(key).and_then(Value::as_bool) == Some(true);
    let mut problems = Vec::new();
    if let Some(min) = get("minimum") {
        if flag("exclusiveMinimum") {
            problems.push((
                format!("is not above the exclusive minimum {min}"),
                n <= min,
            ));
        } else {
            problems.push((format!("is below the minimum {min}"), n < min));
        }
    }
    if let Some(max) = get("maximum") {
        if flag("exclusiveMaximum") {
            problems.push((
                format!("is not below the exclusive maximum {max}"),
                n >= max,
            ));
        } else {
            problems.push((format!("is above the maximum {max}"), n > max));
        }
    }
    // JSON Schema 2019+ numeric exclusive bounds.
    if let Some(min) = get("exclusiveMinimum") {
        problems.push((
            format!("is not above the exclusive minimum {min}"),
            n <= min,
        ));
    }
    if let Some(max) = get("exclusiveMaximum") {
        problems.push((
            format!("is not below the exclusive maximum {max}"),
            n >= max,
        ));
    }
    if let Some(step) = get("multipleOf").filter(|s| *s > 0.0) {
        problems.push((
            format!("is not a multiple of {step}"),
            !multiple_of(n, step),
        ));
    }
    problems
}

/// Whether `n` meets the numeric rules of `schema` (bounds and `multipleOf`).
pub fn number_ok(schema: &Value, n: f64) -> bool {
    schema
        .as_object()
        .is_none_or(|map| number_problems(map, n).iter().all(|(_, broken)| !broken))
}

/// `n` is a whole number of `step`s (exactly, for the values instances are built from).
pub fn multiple_of(n: f64, step: f64) -> bool {
    let quotient = n / step;
    quotient.is_finite() && quotient.fract() == 0.0
}

fn has_type(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => match value {
            Value::Number(n) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        },
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "null" => value.is_null(),
        _ => true,
    }
}

/// JSON equality, numbers by value (`1` is `1.0`).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}...", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// Whether `s` is a valid string of `format`, for the formats instances are built for
/// (any other format accepts any string).
pub fn format_ok(format: &str, s: &str) -> bool {
    match format {
        "date" => date(s),
        "date-time" => s
            .split_once(['T', 't'])
            .is_some_and(|(d, t)| date(d) && time(t)),
        "time" => time(s),
        "uuid" => uuid(s),
        "email" => s.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && !s.contains(char::is_whitespace) && hostname(domain)
        }),
        "ipv4" => s.parse::<Ipv4Addr>().is_ok(),
        "ipv6" => s.parse::<Ipv6Addr>().is_ok(),
        "hostname" => hostname(s),
        "uri" | "url" => uri(s),
        "uri-reference" => !s.contains(|c: char| c.is_whitespace() || c.is_control()),
        _ => true,
    }
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn date(s: &str) -> bool {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Some(y), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// `hh:mm:ss[.frac](Z|±hh:mm)`; a bare `hh:mm:ss` too (OpenAPI's `time` has no zone).
fn time(s: &str) -> bool {
    let (clock, zone) = match s.find(['Z', 'z', '+', '-']) {
        Some(i) => s.split_at(i),
        None => (s, ""),
    };
    let clock = clock.split_once('.').map_or(clock, |(c, frac)| {
        if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) {
            c
        } else {
            "x"
        }
    });
    let mut hms = clock.split(':');
    let ok_clock = matches!(
        (hms.next().and_then(|h| digits(h, 2)), hms.next().and_then(|m| digits(m, 2)),
         hms.next().and_then(|s| digits(s, 2)), hms.next()),
        (Some(h), Some(m), Some(s), None) if h < 24 && m < 60 && s < 61
    );
    let ok_zone = match zone {
        "" | "Z" | "z" => true,
        offset => {
            let offset = &offset[1..];
            offset.split_once(':').is_some_and(|(h, m)| {
                digits(h, 2).is_some_and(|h| h < 24) && digits(m, 2).is_some_and(|m| m < 60)
            })
        }
    };
    ok_clock && ok_zone
}

fn uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

fn uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.contains(|c: char| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_rule_names_where_it_breaks() {
        let doc = json!({"components": {"schemas": {
            "Message": {"type": "object", "required": ["text"],
                "properties": {"text": {"type": "string", "minLength": 1}}}
        }}});
        let schema = json!({"type": "object", "required": ["messages", "n"], "properties": {
            "messages": {"type": "array", "minItems": 1,
                "items": {"$ref": "#/components/schemas/Message"}},
            "n": {"type": "integer", "minimum": 5, "exclusiveMaximum": true, "maximum": 10},
            "link": {"type": "string", "format": "uri"},
            "code": {"type": "string", "pattern": "^(alpha|beta)$"},
            "note": {"type": "string", "nullable": true}
        }, "additionalProperties": false});
        let problems = violations(
            &doc,
            &schema,
            &json!({"messages": [], "n": 10, "link": "link-1", "code": "gamma", "note": null, "x": 1}),
        );
        assert_eq!(
            problems,
            [
                "$.messages: 0 items, fewer than minItems 1",
                "$.n: 10 is not below the exclusive maximum 10",
                "$.link: \"link-1\" is not a valid uri",
                "$.code: \"gamma\" does not match the pattern `^(alpha|beta)$`",
                "$: `x` is not a declared property",
            ]
        );
        assert!(conforms(
            &doc,
            &schema,
            &json!({"messages": [{"text": "a"}], "n": 9, "link": "https://example.com/", "code": "beta"})
        ));
        let problems = violations(&doc, &schema, &json!({"messages": [{"text": ""}], "n": 5}));
        assert_eq!(
            problems,
            ["$.messages[0].text: 0 characters, fewer than minLength 1"]
        );
    }

    #[test]
    fn one_of_wants_exactly_one_and_numbers_compare_by_value() {
        let doc = json!({});
        let either = json!({"oneOf": [{"type": "object"}, {"type": "object", "required": ["a"]}]});
        assert!(!conforms(&doc, &either, &json!({"a": 1})));
        assert!(conforms(&doc, &either, &json!({})));
        assert!(conforms(&doc, &json!({"enum": [1.0]}), &json!(1)));
        assert!(conforms(&doc, &json!({"type": "integer"}), &json!(2.0)));
        assert!(!conforms(
            &doc,
            &json!({"type": "number", "multipleOf": 0.25}),
            &json!(0.3)
        ));
    }

    #[test]
    fn formats() {
        for (format, good, bad) in [
            ("date", "2024-02-29", "2023-02-29"),
            (
                "date-time",
                "2025-01-15T10:30:00.5+01:00",
                "2025-01-15 10:30",
            ),
            ("uuid", "c3d4e5f6-7890-42ab-8def-345678901bcd", "c3d4e5f6"),
            ("email", "someone@example.com", "someone"),
            ("ipv4", "192.0.2.1", "192.0.2"),
            ("ipv6", "2001:db8::1", "2001:db8:::1"),
            ("hostname", "api.example.com", "-bad-.com"),
            ("uri", "https://example.com/", "example"),
            ("uri-reference", "/a/b", "a b"),
        ] {
            assert!(format_ok(format, good), "{format} {good}");
            assert!(!format_ok(format, bad), "{format} {bad}");
        }
    }
}

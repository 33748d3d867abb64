//! A valid JSON instance of a (normalized, OpenAPI 3.0.3) schema: every property, one
//! item in every array (or `minItems`), the first value of every enum, fixed dates and
//! UUIDs. The cross-provider tests use it as "a valid list response" of a provider whose
//! shapes they do not know (see [`crate::emit::lists`]), the test kit as the example
//! value of each type ([`example`]).
//!
//! What an instance meets: `required` properties present (`minProperties` too),
//! `minItems`/`maxItems` (distinct items under `uniqueItems`), `minimum`/`maximum`
//! (exclusive too) and `multipleOf` for integers and numbers, `minLength`/`maxLength`,
//! the formats `date-time`, `date`, `time`, `uuid`, `email`, `uri`, `uri-reference`,
//! `hostname`, `ipv4`, `ipv6`, `byte`, a `pattern` (the schema's own `example`,
//! `examples` or `default` when they match, else a string generated from it: see
//! [`crate::emit::pattern`]), `enum` (its first value), `nullable`, and exactly one
//! arm of a `oneOf`. Where nothing valid can be built (a pattern no string is generated
//! for, bounds that exclude each other), the schema's own example is used if it has
//! one, else the closest value, and [`Instance::notes`] says why.

use serde_json::{Map, Value, json};

use crate::document::schema::{nullable, object_parts, resolve};
use crate::emit::conforms::{conforms, format_ok, multiple_of, number_ok};
use crate::emit::pattern::{Lengths, Pattern};

/// Optional properties deeper than this are left out (a recursive schema ends).
const MAX_DEPTH: usize = 8;

/// An instance and what it could not meet.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    pub value: Value,
    /// Why a part of `value` breaks its schema, one line each, with where
    /// (`code: no string generated from the pattern ...`); empty when it is valid.
    pub notes: Vec<String>,
}

/// An instance of `schema`, whose `$ref`s point into `doc`. `name` is the property (or
/// schema) it is for: strings are made from it (`"title-1"`).
pub fn instance(doc: &Value, schema: &Value, name: &str) -> Value {
    build(doc, schema, name, Shape::Full).value
}

/// [`instance`], with the notes of what it could not meet.
#[cfg(test)]
pub fn instance_with_notes(doc: &Value, schema: &Value, name: &str) -> Instance {
    build(doc, schema, name, Shape::Full)
}

/// A valid instance of `schema` with only the required properties, plus the optional
/// ones on the way to each dotted wire path of `keep` (`meta.next_cursor`): small
/// however large the schema (the test kit's page templates, one per list operation).
pub fn minimal_instance(doc: &Value, schema: &Value, name: &str, keep: &[&str]) -> Value {
    let keep = keep.iter().map(|k| (*k).to_owned()).collect();
    build(doc, schema, name, Shape::Minimal { keep }).value
}

/// The test kit's example of `schema`: its required properties only, arrays with their
/// `minItems` (none without), every value valid as [`instance`]'s.
pub fn example(doc: &Value, schema: &Value, name: &str) -> Instance {
    build(doc, schema, name, Shape::Fewest)
}

/// Which optional parts an instance has.
enum Shape {
    /// Every property down to [`MAX_DEPTH`], one item in every array.
    Full,
    /// Required properties, and the optional ones on the way to the dotted `keep`
    /// paths; one item in every array.
    Minimal { keep: Vec<String> },
    /// Required properties only, and the fewest items each array allows.
    Fewest,
}

fn build(doc: &Value, schema: &Value, name: &str, shape: Shape) -> Instance {
    let mut builder = Builder {
        doc,
        stack: Vec::new(),
        shape,
        path: Vec::new(),
        notes: Vec::new(),
    };
    let value = builder.value(schema, name, 0, 0).unwrap_or(Value::Null);
    Instance {
        value,
        notes: builder.notes,
    }
}

struct Builder<'a> {
    doc: &'a Value,
    /// The `$ref`s being expanded: a repeat is a cycle.
    stack: Vec<String>,
    shape: Shape,
    /// The property names from the root to the value being built.
    path: Vec<String>,
    notes: Vec<String>,
}

impl Builder<'_> {
    fn note(&mut self, why: String) {
        let at = if self.path.is_empty() {
            "the value".to_owned()
        } else {
            format!("`{}`", self.path.join("."))
        };
        let note = format!("{at}: {why}");
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// `None`: nothing finite (a cycle); the caller leaves an optional property out.
    /// `nth`: which of several distinct values (the items of a `uniqueItems` array).
    fn value(&mut self, schema: &Value, name: &str, depth: usize, nth: usize) -> Option<Value> {
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            if self.stack.iter().any(|s| s == target) {
                return None;
            }
            let resolved = target.strip_prefix('#').and_then(|p| self.doc.pointer(p))?;
            self.stack.push(target.to_owned());
            let value = self.value(resolved, name, depth, nth);
            self.stack.pop();
            return value;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
            if values.is_empty() {
                return Some(Value::Null);
            }
            return Some(values[nth % values.len()].clone());
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array)
            && schema.get("properties").is_none()
        {
            // One part (a nullable or described `$ref`): that part.
            if let [only] = parts.as_slice() {
                return self.value(only, name, depth, nth);
            }
            // Objects: their properties and required names merged. Anything else: one
            // schema of all the parts' keywords.
            let objects = parts.iter().any(|part| {
                let part = resolve(self.doc, part);
                part.get("type").and_then(Value::as_str) == Some("object")
                    || part.get("properties").is_some()
            });
            if objects {
                let mut value = self.object(schema, depth, nth);
                // A part that is a union (`allOf: [Base, {oneOf: [...]}]`): the
                // properties of one of its alternatives too.
                for part in parts {
                    let part = resolve(self.doc, part);
                    for key in ["oneOf", "anyOf"] {
                        let Some(alternatives) = part.get(key).and_then(Value::as_array) else {
                            continue;
                        };
                        let chosen =
                            self.alternative(part, alternatives, key == "oneOf", name, depth, nth);
                        if let (Some(Value::Object(chosen)), Value::Object(object)) =
                            (chosen, &mut value)
                        {
                            for (k, v) in chosen {
                                object.entry(k).or_insert(v);
                            }
                        }
                    }
                }
                return Some(value);
            }
            let merged = merge_parts(self.doc, parts);
            return self.value(&merged, name, depth, nth);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
                return self.alternative(schema, alternatives, key == "oneOf", name, depth, nth);
            }
        }
        let object_like = schema.get("properties").is_some() || schema.get("allOf").is_some();
        let ty = schema
            .get("type")
            .and_then(Value::as_str)
            .or_else(|| implied_type(schema));
        match ty {
            Some("object") => Some(self.object(schema, depth, nth)),
            None if object_like => Some(self.object(schema, depth, nth)),
            Some("array") => self.array(schema, name, depth, nth),
            Some("string") => Some(Value::String(self.string(schema, name, nth))),
            Some("integer") => Some(self.number(schema, true, nth)),
            Some("number") => Some(self.number(schema, false, nth)),
            Some("boolean") => Some(Value::Bool(nth % 2 == 1)),
            // Any JSON.
            _ => Some(json!({})),
        }
    }

    fn alternative(
        &mut self,
        schema: &Value,
        alternatives: &[Value],
        one_of: bool,
        name: &str,
        depth: usize,
        nth: usize,
    ) -> Option<Value> {
        let discriminator = schema
            .pointer("/discriminator/propertyName")
            .and_then(Value::as_str);
        // The first alternative built, its notes and whether it is exclusive: used
        // when no alternative gives a valid, exclusive instance.
        let mut first: Option<(Value, Vec<String>, bool)> = None;
        for (i, alternative) in alternatives.iter().enumerate() {
            let notes_before = self.notes.len();
            let Some(mut value) = self.value(alternative, name, depth, nth) else {
                continue;
            };
            if let (Some(property), Some(target), Some(object)) = (
                discriminator,
                alternative.get("$ref").and_then(Value::as_str),
                value.as_object_mut(),
            ) {
                let mapped = schema
                    .pointer("/discriminator/mapping")
                    .and_then(Value::as_object)
                    .and_then(|m| m.iter().find(|(_, v)| v.as_str() == Some(target)))
                    .map(|(k, _)| k.clone());
                let tag = mapped
                    .unwrap_or_else(|| target.rsplit('/').next().unwrap_or(target).to_owned());
                object.insert(property.to_owned(), Value::String(tag));
            }
            let notes: Vec<String> = self.notes.drain(notes_before..).collect();
            // oneOf: an instance of no other alternative (or a discriminator tells).
            let others_match = |value: &Value| {
                alternatives
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && conforms(self.doc, other, value))
            };
            let mut exclusive = !one_of || discriminator.is_some() || !others_match(&value);
            if !exclusive {
                // Arms told apart by an optional property of one value (`type: {enum:
                // [areacode]}`), which the fewest properties leave out: with it set.
                let tags = self.tags(alternative);
                if let Value::Object(object) = &mut value
                    && !tags.is_empty()
                {
                    for (property, tag) in tags {
                        object.entry(property).or_insert(tag);
                    }
                    exclusive = !others_match(&value);
                }
            }
            if !exclusive
                && let Some(told_apart) =
                    self.with_telling_properties(alternatives, i, &value, depth, nth)
            {
                value = told_apart;
                exclusive = true;
            }
            if exclusive && notes.is_empty() {
                return Some(value);
            }
            if first.is_none() {
                first = Some((value, notes, exclusive));
            }
        }
        let (value, notes, exclusive) = first?;
        self.notes.extend(notes);
        if !exclusive {
            self.note(
                "every instance built matches more than one alternative of its oneOf".to_owned(),
            );
        }
        Some(value)
    }

    /// `value`, an object instance of `alternatives[i]` that another alternative
    /// accepts too (the fewest properties: `{}` matches every open object), with
    /// optional properties `alternatives[i]` declares, each with a value built for it,
    /// so that no other alternative accepts it: one property when one is enough, else
    /// each property that turns away another alternative (one closed by
    /// `additionalProperties: false`, or whose property of that name has another type,
    /// format or enum). Declared properties only: a typed client's struct keeps no
    /// other, so an undeclared one would never reach the wire. `None` when these
    /// properties do not tell the alternative apart.
    fn with_telling_properties(
        &mut self,
        alternatives: &[Value],
        i: usize,
        value: &Value,
        depth: usize,
        nth: usize,
    ) -> Option<Value> {
        let object = value.as_object()?;
        if depth >= MAX_DEPTH {
            return None;
        }
        let doc = self.doc;
        let alternative = &alternatives[i];
        let (properties, _) = object_parts(doc, alternative);
        // A valid value of each optional property not set yet.
        let mut added = Vec::new();
        for (name, property) in properties {
            if object.contains_key(name) {
                continue;
            }
            let notes_before = self.notes.len();
            self.path.push(name.to_owned());
            let built = self.value(property, name, depth + 1, nth);
            self.path.pop();
            let clean = self.notes.len() == notes_before;
            self.notes.truncate(notes_before);
            if let (Some(built), true) = (built, clean) {
                added.push((name.to_owned(), built));
            }
        }
        // How many other alternatives accept `candidate`; `None` when its own does not.
        let others = |candidate: &Map<String, Value>| {
            let candidate = Value::Object(candidate.clone());
            conforms(doc, alternative, &candidate).then(|| {
                alternatives
                    .iter()
                    .enumerate()
                    .filter(|(j, other)| *j != i && conforms(doc, other, &candidate))
                    .count()
            })
        };
        let with = |base: &Map<String, Value>, (name, built): &(String, Value)| {
            let mut candidate = base.clone();
            candidate.insert(name.clone(), built.clone());
            candidate
        };
        // One property, the first that is enough.
        if let Some(candidate) = added
            .iter()
            .map(|property| with(object, property))
            .find(|candidate| others(candidate) == Some(0))
        {
            return Some(Value::Object(candidate));
        }
        // Else each property that turns away one more alternative.
        let mut current = object.clone();
        let mut left = others(&current)?;
        for property in &added {
            let candidate = with(&current, property);
            if let Some(n) = others(&candidate).filter(|n| *n < left) {
                current = candidate;
                left = n;
            }
        }
        (left == 0).then_some(Value::Object(current))
    }

    /// The properties of `schema` (an object alternative) that allow one value only
    /// (`enum: [x]`), with that value: what tells such an alternative apart.
    fn tags(&self, schema: &Value) -> Vec<(String, Value)> {
        let (properties, _) = object_parts(self.doc, schema);
        properties
            .into_iter()
            .filter_map(|(name, property)| {
                match resolve(self.doc, property)
                    .get("enum")
                    .and_then(Value::as_array)?
                    .as_slice()
                {
                    [only] if !only.is_null() => Some((name.to_owned(), only.clone())),
                    _ => None,
                }
            })
            .collect()
    }

    fn array(&mut self, schema: &Value, name: &str, depth: usize, nth: usize) -> Option<Value> {
        let min = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as usize;
        let max = schema
            .get("maxItems")
            .and_then(Value::as_u64)
            .map(|m| m as usize);
        let wanted = match self.shape {
            Shape::Fewest => min,
            _ => min.max(1),
        };
        let count = max.map_or(wanted, |max| wanted.min(max));
        if min > count {
            self.note(format!("minItems {min} is above maxItems {count}"));
        }
        let items = schema.get("items").unwrap_or(&Value::Null);
        let unique = schema.get("uniqueItems").and_then(Value::as_bool) == Some(true);
        let mut values = Vec::with_capacity(count);
        for i in 0..count {
            // Distinct items (for `uniqueItems`, and because a list of one value
            // repeated says little); the `nth` array of several gets other values.
            let k = nth * count + i;
            match self.value(items, &singular(name), depth + 1, k) {
                Some(item) => {
                    if unique && values.contains(&item) {
                        self.note(format!("no {} distinct items could be built", count));
                    }
                    values.push(item);
                }
                // A cycle: no finite item.
                None if min == 0 => break,
                None => return None,
            }
        }
        Some(Value::Array(values))
    }

    fn object(&mut self, schema: &Value, depth: usize, nth: usize) -> Value {
        let (properties, required) = object_parts(self.doc, schema);
        let max = object_keyword(self.doc, schema, "maxProperties", 0)
            .and_then(Value::as_u64)
            .map_or(usize::MAX, |m| m as usize);
        // Optional properties only while the required ones leave room (`maxProperties`).
        let mut room = max.saturating_sub(required.len());
        let mut object = Map::new();
        let mut left_out = Vec::new();
        for (name, property) in &properties {
            let needed = required.contains(name);
            if !needed && (depth >= MAX_DEPTH || !self.wanted(name) || room == 0) {
                left_out.push((*name, *property));
                continue;
            }
            self.path.push((*name).to_owned());
            let value = self.value(property, name, depth + 1, nth);
            match value {
                Some(value) => {
                    if !needed {
                        room -= 1;
                    }
                    object.insert((*name).to_owned(), value);
                }
                None if needed && nullable(self.doc, property) => {
                    object.insert((*name).to_owned(), Value::Null);
                }
                None if needed => {
                    self.note("no finite value (the schema refers to itself)".to_owned())
                }
                None => {}
            }
            self.path.pop();
        }
        // Required names no property declares: a string.
        for name in &required {
            if !object.contains_key(*name) && !properties.iter().any(|(n, _)| n == name) {
                object.insert((*name).to_owned(), Value::String(format!("{name}-1")));
            }
        }
        // `minProperties`: optional properties, then free ones where allowed.
        let min = object_keyword(self.doc, schema, "minProperties", 0)
            .and_then(Value::as_u64)
            .unwrap_or(0) as usize;
        for (name, property) in left_out {
            if object.len() >= min {
                break;
            }
            self.path.push(name.to_owned());
            if let Some(value) = self.value(property, name, depth + 1, nth) {
                object.insert(name.to_owned(), value);
            }
            self.path.pop();
        }
        let extra = object_keyword(self.doc, schema, "additionalProperties", 0);
        let mut i = 1;
        while object.len() < min && extra != Some(&Value::Bool(false)) {
            let key = format!("key{i}");
            let value = match extra {
                Some(schema @ Value::Object(_)) => {
                    self.path.push(key.clone());
                    let value = self.value(schema, "value", depth + 1, i);
                    self.path.pop();
                    value.unwrap_or(Value::Null)
                }
                _ => Value::String(format!("value-{i}")),
            };
            object.insert(key, value);
            i += 1;
        }
        if object.len() < min {
            self.note(format!("fewer properties than minProperties {min}"));
        }
        Value::Object(object)
    }

    /// Whether the optional property `name` of the current object is built.
    fn wanted(&self, name: &str) -> bool {
        let keep = match &self.shape {
            Shape::Full => return true,
            Shape::Fewest => return false,
            Shape::Minimal { keep } => keep,
        };
        // Compared as text: a wire name may hold a dot itself (`@odata.nextLink`).
        let here: String = self.path.iter().map(|p| format!("{p}.")).collect();
        keep.iter().any(|path| {
            path.strip_prefix(&here).is_some_and(|rest| {
                rest == name || rest.strip_prefix(name).is_some_and(|r| r.starts_with('.'))
            })
        })
    }

    /// A string valid for the schema's lengths, format and pattern.
    fn string(&mut self, schema: &Value, name: &str, nth: usize) -> String {
        let lengths = Lengths {
            min: schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize,
            max: schema
                .get("maxLength")
                .and_then(Value::as_u64)
                .map(|m| m as usize),
        };
        let format = schema.get("format").and_then(Value::as_str).unwrap_or("");
        let pattern = match schema
            .get("pattern")
            .and_then(Value::as_str)
            .map(Pattern::new)
        {
            Some(Ok(pattern)) => Some(pattern),
            Some(Err(why)) => {
                self.note(why);
                None
            }
            None => None,
        };
        let ok = |s: &str| {
            lengths.admit(s)
                && format_ok(format, s)
                && pattern.as_ref().is_none_or(|p| p.matches(s))
        };
        let spec = spec_strings(schema);
        // A pattern: the document's own strings first.
        if pattern.is_some()
            && let Some(own) = spec.iter().filter(|s| ok(s)).nth(nth)
        {
            return own.clone();
        }
        let fixed = formatted(format, nth);
        if let Some(fixed) = &fixed
            && ok(fixed)
        {
            return fixed.clone();
        }
        let mut why = None;
        // A string the pattern and lengths accept (typify's code checks those, not the
        // format): the fallback before the schema's own example.
        let mut of_pattern = None;
        if let Some(pattern) = &pattern {
            match pattern.generate(lengths, nth) {
                Ok(s) if ok(&s) => return s,
                Ok(s) => {
                    // A format too: the format's own start before what the pattern
                    // gives (`someone` + `@example.org`), in a few generated strings.
                    let starts = format_starts(format);
                    let combined = (nth..nth + 8)
                        .filter_map(|k| pattern.generate(lengths, k).ok())
                        .flat_map(|s| starts.iter().map(move |start| format!("{start}{s}")))
                        .find(|s| ok(s));
                    if let Some(combined) = combined {
                        return combined;
                    }
                    why = Some(format!("{s:?}, generated from the pattern, is no {format}"));
                    of_pattern = Some(s);
                }
                Err(e) => why = Some(e),
            }
        }
        let plain = fit(&named(name, nth), lengths);
        if ok(&plain) {
            return plain;
        }
        // Nothing valid: the document's example, else the closest string.
        let why = why.unwrap_or_else(|| match &fixed {
            Some(fixed) => format!("the {format} {fixed:?} is not {}", length_words(lengths)),
            None if lengths.max.is_some_and(|max| max < lengths.min) => {
                format!("minLength {} is above maxLength", lengths.min)
            }
            None => format!("no {format} string is {}", length_words(lengths)),
        });
        if let Some(s) = of_pattern {
            self.note(format!("{why}; it is used"));
            return s;
        }
        let fallback = spec.first().cloned();
        self.note(match &fallback {
            Some(own) => format!("{why}; the schema's own example {own:?} is used"),
            None => why,
        });
        fallback.or(fixed).unwrap_or(plain)
    }

    /// A number valid for the schema's bounds and `multipleOf`: `1` (`nth + 1` for
    /// distinct values) when it is, else the closest valid value.
    fn number(&mut self, schema: &Value, integer: bool, nth: usize) -> Value {
        let get = |key: &str| schema.get(key).and_then(Value::as_f64);
        let (min, max, step) = (get("minimum"), get("maximum"), get("multipleOf"));
        let exclusive_min = get("exclusiveMinimum");
        let exclusive_max = get("exclusiveMaximum");
        let low = min.or(exclusive_min);
        let high = max.or(exclusive_max);
        // The low bound when there is one (just above it when exclusive), else 1;
        // `nth` steps further for distinct values.
        let preferred = 1.0 + nth as f64;
        let mut candidates = Vec::new();
        for bound in [low, high].into_iter().flatten() {
            for offset in [0.0, 1.0, 0.5, -1.0, -0.5] {
                let shift = if offset >= 0.0 {
                    nth as f64
                } else {
                    -(nth as f64)
                };
                candidates.push(bound + offset + shift);
            }
        }
        candidates.insert(if low.is_some() { 3 } else { 0 }, preferred);
        if let (Some(low), Some(high)) = (low, high) {
            candidates.push((low + high) / 2.0);
        }
        if let Some(step) = step.filter(|s| *s > 0.0) {
            let mut multiples = Vec::new();
            for c in &candidates {
                for k in [
                    (c / step).ceil(),
                    (c / step).floor(),
                    (c / step).ceil() + 1.0,
                ] {
                    multiples.push((k + nth as f64) * step);
                }
            }
            multiples.push(step * (1.0 + nth as f64));
            // Multiples first: a bound is rarely one.
            multiples.extend(candidates);
            candidates = multiples;
        }
        candidates.push(0.0);
        let valid = |n: f64| {
            n.is_finite()
                && (!integer || n.fract() == 0.0)
                && number_ok(schema, n)
                && step.is_none_or(|s| s <= 0.0 || multiple_of(n, s))
        };
        let mut chosen = candidates.iter().copied().find(|n| valid(*n));
        if chosen.is_none() {
            // Integers within the bounds, a few steps from the low one.
            if let (true, Some(low)) = (integer, low) {
                chosen = (0..64).map(|k| low.ceil() + k as f64).find(|n| valid(*n));
            }
        }
        let value = match chosen {
            Some(n) => n,
            None => {
                self.note(format!(
                    "no {} meets minimum {}, maximum {}{}",
                    if integer { "integer" } else { "number" },
                    low.map_or("-".to_owned(), |n| n.to_string()),
                    high.map_or("-".to_owned(), |n| n.to_string()),
                    step.map_or(String::new(), |s| format!(" and multipleOf {s}"))
                ));
                let n = low.unwrap_or(preferred);
                if integer { n.ceil() } else { n }
            }
        };
        if integer && value.abs() < 9.0e15 {
            json!(value as i64)
        } else {
            json!(value)
        }
    }
}

/// The string values the schema itself gives: `example`, `examples`, `default`.
fn spec_strings(schema: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |v: Option<&Value>| {
        if let Some(s) = v.and_then(Value::as_str)
            && !out.iter().any(|o| o == s)
        {
            out.push(s.to_owned());
        }
    };
    add(schema.get("example"));
    match schema.get("examples") {
        Some(Value::Array(list)) => list.iter().for_each(|v| add(Some(v))),
        // OpenAPI's map of Example Objects.
        Some(Value::Object(map)) => map.values().for_each(|v| add(v.get("value"))),
        _ => {}
    }
    add(schema.get("default"));
    out
}

/// A fixed valid string of a format (`nth`: another one).
fn formatted(format: &str, nth: usize) -> Option<String> {
    let n = nth % 28;
    Some(match format {
        "date-time" => format!("2025-01-{:02}T10:30:00Z", 15 - (n % 14)),
        "date" => format!("2025-01-{:02}", 15 - (n % 14)),
        "time" => format!("10:{:02}:00", 30 + n),
        "uuid" => format!("c3d4e5f6-7890-42ab-8def-3456789{:05x}", 0x01bcd + nth),
        "email" if nth == 0 => "someone@example.com".to_owned(),
        "email" => format!("someone{nth}@example.com"),
        "uri" | "url" | "uri-reference" | "iri" | "iri-reference" if nth == 0 => {
            "https://example.com/".to_owned()
        }
        "uri" | "url" | "uri-reference" | "iri" | "iri-reference" => {
            format!("https://example.com/{nth}")
        }
        "uri-template" => "https://example.com/{id}".to_owned(),
        "hostname" | "idn-hostname" if nth == 0 => "example.com".to_owned(),
        "hostname" | "idn-hostname" => format!("host{nth}.example.com"),
        "ipv4" => format!("192.0.2.{}", 1 + nth % 250),
        "ipv6" => format!("2001:db8::{:x}", 1 + nth),
        "byte" if nth == 0 => "ZXhhbXBsZQ==".to_owned(),
        "byte" => "ZXhhbXBsZTI=".to_owned(),
        "duration" => format!("P{}D", 1 + nth),
        "json-pointer" => format!("/example/{nth}"),
        "regex" => "^example$".to_owned(),
        _ => return None,
    })
}

/// What a valid string of `format` can start with, before a pattern's match.
fn format_starts(format: &str) -> &'static [&'static str] {
    match format {
        "email" | "idn-email" => &["someone", "someone@example.com"],
        "uri" | "url" | "iri" => &["https://example.com/", "https://"],
        "uri-reference" | "iri-reference" => &["https://example.com/", "/"],
        "hostname" | "idn-hostname" => &["example.", "a"],
        _ => &[""],
    }
}

/// `title` -> `title-1` (`title-2` for `nth` 1).
fn named(name: &str, nth: usize) -> String {
    let base: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    format!(
        "{}-{}",
        if base.is_empty() { "value" } else { &base },
        nth + 1
    )
}

/// `text` padded with `x`, or cut to `lengths` (its name shortened first, keeping the
/// distinguishing `-N`).
fn fit(text: &str, lengths: Lengths) -> String {
    let mut text = text.to_owned();
    let n = text.chars().count();
    if n < lengths.min {
        text.extend(std::iter::repeat_n('x', lengths.min - n));
    }
    if let Some(max) = lengths.max
        && text.chars().count() > max
    {
        let suffix = text.rfind('-').map_or("", |i| &text[i..]);
        text = if suffix.len() < max {
            let base: String = text.chars().take(max - suffix.len()).collect();
            format!("{base}{suffix}")
        } else {
            text.chars().take(max).collect()
        };
    }
    text
}

fn length_words(lengths: Lengths) -> String {
    match (lengths.min, lengths.max) {
        (min, Some(max)) => format!("between {min} and {max} characters long"),
        (min, None) => format!("at least {min} characters long"),
    }
}

/// The type a schema without `type` is about, from its keywords.
fn implied_type(schema: &Value) -> Option<&'static str> {
    let has = |keys: &[&str]| keys.iter().any(|k| schema.get(k).is_some());
    if has(&["pattern", "minLength", "maxLength", "format"]) {
        Some("string")
    } else if has(&[
        "minimum",
        "maximum",
        "multipleOf",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ]) {
        Some("number")
    } else if has(&["items", "minItems", "maxItems"]) {
        Some("array")
    } else {
        None
    }
}

/// The keywords of `allOf` parts that are not objects, as one schema: the tighter
/// bound of each pair, the last of anything else.
fn merge_parts(doc: &Value, parts: &[Value]) -> Value {
    let mut merged = Map::new();
    for part in parts {
        let Some(part) = resolve(doc, part).as_object() else {
            continue;
        };
        for (key, value) in part {
            let tighter = match (key.as_str(), merged.get(key), value.as_f64()) {
                ("minimum" | "minLength" | "minItems", Some(old), Some(new)) => {
                    old.as_f64().is_some_and(|old| old > new)
                }
                ("maximum" | "maxLength" | "maxItems", Some(old), Some(new)) => {
                    old.as_f64().is_some_and(|old| old < new)
                }
                _ => false,
            };
            if !tighter {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    Value::Object(merged)
}

/// An object keyword of `schema` (through `$ref`s), or of one of its `allOf` parts.
fn object_keyword<'v>(
    doc: &'v Value,
    schema: &'v Value,
    key: &str,
    depth: usize,
) -> Option<&'v Value> {
    let schema = resolve(doc, schema);
    if depth > 8 {
        return None;
    }
    schema.get(key).or_else(|| {
        schema
            .get("allOf")
            .and_then(Value::as_array)?
            .iter()
            .find_map(|part| object_keyword(doc, part, key, depth + 1))
    })
}

/// `tasks` -> `task`, for the strings of array items.
fn singular(name: &str) -> String {
    name.strip_suffix('s').unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_property_one_item_fixed_formats_and_no_cycle() {
        let doc = json!({"components": {"schemas": {
            "Page": {"type": "object", "required": ["items"], "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                "more": {"type": "boolean"},
                "count": {"type": "integer", "minimum": 0},
                "size": {"type": "integer", "exclusiveMinimum": true, "minimum": 0}
            }},
            "Node": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "string", "format": "uuid"},
                "at": {"type": "string", "format": "date-time", "nullable": true},
                "status": {"$ref": "#/components/schemas/Status"},
                "code": {"type": "string", "minLength": 12},
                "child": {"$ref": "#/components/schemas/Node"},
                "any": {}
            }},
            "Status": {"type": "string", "enum": ["queued", "done"]}
        }}});
        let page = instance(&doc, &json!({"$ref": "#/components/schemas/Page"}), "page");
        assert_eq!(
            page,
            json!({"items": [{"id": "c3d4e5f6-7890-42ab-8def-345678901bcd", "at": "2025-01-15T10:30:00Z",
                "status": "queued", "code": "code-1xxxxxx", "any": {}}],
                "more": false, "count": 0, "size": 1})
        );
    }

    #[test]
    fn a_minimal_instance_has_the_required_fields_and_the_kept_paths_only() {
        let doc = json!({});
        let schema = json!({"type": "object", "required": ["data"], "properties": {
            "data": {"type": "array", "items": {"type": "object", "required": ["id"],
                "properties": {"id": {"type": "integer"}, "note": {"type": "string"}}}},
            "meta": {"type": "object", "properties": {
                "next": {"type": "string"}, "other": {"type": "string"}}},
            "extra": {"type": "string"}
        }});
        let page = minimal_instance(&doc, &schema, "page", &["meta.next"]);
        assert_eq!(
            page,
            json!({"data": [{"id": 1}], "meta": {"next": "next-1"}})
        );
    }

    #[test]
    fn a_discriminated_alternative_carries_its_tag() {
        let doc = json!({"components": {"schemas": {
            "Cat": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
            "Pet": {"oneOf": [{"$ref": "#/components/schemas/Cat"}],
                    "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}}
        }}});
        let pet = instance(&doc, &json!({"$ref": "#/components/schemas/Pet"}), "pet");
        assert_eq!(pet, json!({"kind": "cat"}));
    }

    /// Checks `value` against `schema` and returns it.
    fn valid(doc: &Value, schema: &Value, built: Instance) -> Value {
        assert!(built.notes.is_empty(), "{:?}", built.notes);
        let problems = crate::emit::conforms::violations(doc, schema, &built.value);
        assert!(problems.is_empty(), "{}: {problems:?}", built.value);
        built.value
    }

    fn one(schema: Value) -> Value {
        let doc = json!({});
        valid(&doc, &schema, instance_with_notes(&doc, &schema, "value"))
    }

    fn fewest(schema: Value) -> Value {
        let doc = json!({});
        valid(&doc, &schema, example(&doc, &schema, "value"))
    }

    #[test]
    fn arrays_have_their_min_items_distinct_when_unique_and_no_more_than_max() {
        let messages = json!({"type": "array", "minItems": 1,
            "items": {"type": "object", "required": ["text"],
                "properties": {"text": {"type": "string", "minLength": 1}}}});
        assert_eq!(fewest(messages.clone()), json!([{"text": "text-1"}]));
        assert_eq!(one(messages), json!([{"text": "text-1"}]));
        assert_eq!(
            fewest(json!({"type": "array", "items": {"type": "string"}})),
            json!([])
        );
        assert_eq!(
            fewest(json!({"type": "array", "minItems": 3, "uniqueItems": true,
                "items": {"type": "integer", "minimum": 0, "maximum": 10}})),
            json!([0, 1, 2])
        );
        assert_eq!(
            fewest(json!({"type": "array", "minItems": 2, "uniqueItems": true,
                "items": {"type": "string", "enum": ["a", "b", "c"]}})),
            json!(["a", "b"])
        );
        assert_eq!(
            one(json!({"type": "array", "maxItems": 0, "items": {}})),
            json!([])
        );
    }

    #[test]
    fn numbers_meet_their_bounds_exclusive_ones_and_multiple_of() {
        assert_eq!(
            one(json!({"type": "integer", "minimum": 5, "maximum": 10})),
            json!(5)
        );
        assert_eq!(one(json!({"type": "integer", "maximum": -3})), json!(-3));
        assert_eq!(
            one(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true})),
            json!(6)
        );
        assert_eq!(
            one(json!({"type": "integer", "maximum": 0, "exclusiveMaximum": true})),
            json!(-1)
        );
        assert_eq!(
            one(
                json!({"type": "number", "minimum": 0, "exclusiveMinimum": true,
                "maximum": 1, "exclusiveMaximum": true})
            ),
            json!(0.5)
        );
        // 3.1's numeric exclusive bounds too.
        assert_eq!(
            one(json!({"type": "number", "exclusiveMinimum": 2.5, "exclusiveMaximum": 2.75})),
            json!(2.625)
        );
        assert_eq!(
            one(json!({"type": "integer", "multipleOf": 7, "minimum": 10})),
            json!(14)
        );
        assert_eq!(
            one(json!({"type": "number", "multipleOf": 0.25, "maximum": 0.5})),
            json!(0.5)
        );
        assert_eq!(
            one(json!({"type": "integer", "minimum": 100000})),
            json!(100000)
        );
    }

    #[test]
    fn strings_meet_lengths_formats_and_patterns() {
        assert_eq!(
            one(json!({"type": "string", "minLength": 9})),
            json!("value-1xx")
        );
        assert_eq!(
            one(json!({"type": "string", "maxLength": 4})),
            json!("va-1")
        );
        assert_eq!(
            one(json!({"type": "string", "minLength": 3, "maxLength": 5})),
            json!("val-1")
        );
        for (format, expected) in [
            ("uri", "https://example.com/"),
            ("uri-reference", "https://example.com/"),
            ("email", "someone@example.com"),
            ("uuid", "c3d4e5f6-7890-42ab-8def-345678901bcd"),
            ("date", "2025-01-15"),
            ("date-time", "2025-01-15T10:30:00Z"),
            ("ipv4", "192.0.2.1"),
            ("ipv6", "2001:db8::1"),
            ("hostname", "example.com"),
        ] {
            assert_eq!(
                one(json!({"type": "string", "format": format})),
                json!(expected)
            );
        }
        // A pattern: the schema's own strings first when they match.
        assert_eq!(
            one(json!({"type": "string", "pattern": "^[a-z]+$",
                "example": "Not This", "examples": ["this"], "default": "nor-this"})),
            json!("this")
        );
        let word = one(json!({"type": "string", "pattern": "^(alpha|beta)$"}));
        assert!(word == json!("alpha") || word == json!("beta"), "{word}");
        // Generated, deterministic, with the lengths.
        let code = one(json!({"type": "string", "pattern": "^[A-Z]{3}-\\d{4}$"}));
        assert_eq!(
            code,
            one(json!({"type": "string", "pattern": "^[A-Z]{3}-\\d{4}$"}))
        );
        let long = one(json!({"type": "string", "pattern": "^[a-z]+$", "minLength": 12}));
        assert!(long.as_str().unwrap().len() >= 12, "{long}");
        // A format and a pattern together.
        let email = one(json!({"type": "string", "format": "email", "pattern": "@example\\.org$"}));
        assert!(email.as_str().unwrap().ends_with("@example.org"), "{email}");
    }

    #[test]
    fn enums_consts_required_properties_and_nullable() {
        assert_eq!(
            one(json!({"type": "string", "enum": ["b", "a"]})),
            json!("b")
        );
        // A const, as normalization writes it.
        assert_eq!(one(json!({"enum": [3]})), json!(3));
        assert_eq!(one(json!({"enum": [null], "nullable": true})), json!(null));
        let doc = json!({"components": {"schemas": {
            "Loop": {"type": "object", "required": ["next"], "properties": {
                "next": {"allOf": [{"$ref": "#/components/schemas/Loop"}], "nullable": true}}}
        }}});
        let schema = json!({"$ref": "#/components/schemas/Loop"});
        let value = valid(&doc, &schema, example(&doc, &schema, "loop"));
        assert_eq!(value, json!({"next": null}));
        // Required properties only, and `minProperties` met by optional ones.
        assert_eq!(
            fewest(
                json!({"type": "object", "required": ["a"], "minProperties": 2,
                "properties": {"a": {"type": "boolean"}, "b": {"type": "boolean"},
                    "c": {"type": "boolean"}}})
            ),
            json!({"a": false, "b": false})
        );
        assert_eq!(
            fewest(json!({"type": "object", "minProperties": 1,
                "additionalProperties": {"type": "integer", "minimum": 3}})),
            json!({"key1": 4})
        );
    }

    #[test]
    fn a_one_of_instance_matches_exactly_one_alternative() {
        let schema = json!({"oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}}
        ]});
        // The first alternative's `{}`... also matches nothing else; `{"a": ..}` with
        // every property would match the first only too.
        assert_eq!(one(schema.clone()), json!({"a": "a-1"}));
        let overlapping = json!({"oneOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}
        ]});
        // `{"a": ...}` matches both: the second alternative's instance does too, so the
        // first is kept and the note says why.
        let doc = json!({});
        let built = instance_with_notes(&doc, &overlapping, "x");
        assert_eq!(built.notes.len(), 1, "{:?}", built.notes);
        assert!(
            built.notes[0].contains("more than one alternative"),
            "{:?}",
            built.notes
        );
    }

    #[test]
    fn alternatives_told_apart_by_a_one_value_property_set_it() {
        // intellifi.nl's `SpotSetCreate`: a base object and a union of open objects
        // whose optional `type` has one value each; `{}` matches every alternative.
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "properties": {"label": {"type": "string"}}},
            "Area": {"type": "object", "properties": {
                "type": {"type": "string", "enum": ["areacode"]},
                "area_code": {"type": "integer", "minimum": 1}}},
            "Length": {"type": "object", "properties": {
                "type": {"type": "string", "enum": ["codelength"]},
                "length": {"type": "integer"}}}
        }}});
        let schema = json!({"allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"oneOf": [
                {"$ref": "#/components/schemas/Area"},
                {"$ref": "#/components/schemas/Length"}
            ]}
        ]});
        let value = valid(&doc, &schema, example(&doc, &schema, "set"));
        assert_eq!(value, json!({"type": "areacode"}));
    }

    #[test]
    fn optional_properties_an_other_alternative_turns_away_tell_a_one_of_arm_apart() {
        // A cursor or a reset: every property optional, so `{}` matches both.
        // A closed reset turns away the cursor's own property.
        let closed = json!({"oneOf": [
            {"type": "object", "properties": {"cursor": {"type": "string"}}},
            {"type": "object", "additionalProperties": false,
                "properties": {"limit": {"type": "integer", "minimum": 1}}}
        ]});
        assert_eq!(fewest(closed), json!({"cursor": "cursor-1"}));
        // A property of the same name and another type (or format) does too; the first
        // property that is enough, and no more.
        let typed = json!({"oneOf": [
            {"type": "object", "properties": {
                "note": {"type": "string"}, "since": {"type": "string", "format": "date"}}},
            {"type": "object", "properties": {
                "note": {"type": "string"}, "since": {"type": "integer"}}}
        ]});
        assert_eq!(fewest(typed), json!({"since": "2025-01-15"}));
        // Two other alternatives, each turned away by another property: both set.
        let two = json!({"oneOf": [
            {"type": "object", "properties": {
                "a": {"type": "string"}, "b": {"type": "string"}, "c": {"type": "string"}}},
            {"type": "object", "properties": {"a": {"type": "integer"}}},
            {"type": "object", "properties": {"b": {"type": "boolean"}}}
        ]});
        assert_eq!(fewest(two), json!({"a": "a-1", "b": "b-1"}));
        // 1password's events: open objects with properties of other names. Only an
        // undeclared property would tell them apart (a typed struct drops it): the
        // note stays.
        let doc = json!({});
        let open = json!({"oneOf": [
            {"properties": {"cursor": {"type": "string"}}},
            {"properties": {"limit": {"type": "number", "minimum": 1},
                "start_time": {"type": "string", "format": "date-time"}}}
        ]});
        let built = example(&doc, &open, "body");
        assert_eq!(built.value, json!({}));
        assert_eq!(
            built.notes,
            ["the value: every instance built matches more than one alternative of its oneOf"]
        );
    }

    #[test]
    fn what_cannot_be_met_falls_back_and_says_why() {
        let doc = json!({});
        // A backreference: nothing is generated; the schema's own example is used.
        let schema = json!({"type": "string", "pattern": "^(a)\\1$", "example": "aa"});
        let built = instance_with_notes(&doc, &schema, "twice");
        assert_eq!(built.value, json!("aa"));
        assert!(
            built.notes.is_empty(),
            "the example matches: {:?}",
            built.notes
        );
        let schema = json!({"type": "string", "pattern": "^(a)\\1$", "example": "ab"});
        let built = instance_with_notes(&doc, &schema, "twice");
        assert_eq!(built.value, json!("ab"));
        assert_eq!(built.notes.len(), 1);
        assert!(
            built.notes[0].starts_with("the value: the pattern `^(a)\\1$` is not one rand_regex")
                && built.notes[0].ends_with("the schema's own example \"ab\" is used"),
            "{:?}",
            built.notes
        );
        // Bounds that exclude each other: the closest value, and why.
        let schema = json!({"type": "object", "required": ["n"], "properties": {
            "n": {"type": "integer", "minimum": 5, "maximum": 4}}});
        let built = instance_with_notes(&doc, &schema, "x");
        assert_eq!(built.value, json!({"n": 5}));
        assert_eq!(built.notes, ["`n`: no integer meets minimum 5, maximum 4"]);
    }
}

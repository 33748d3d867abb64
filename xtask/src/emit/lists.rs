//! What is written from the list of providers, beyond the facade's modules and features
//! ([`crate::emit::facade::shared_outputs`]): every other place that names the providers is
//! generated here, so adding or removing a `specs/<name>/` folder changes no
//! hand-written file.
//!
//! - README.md regions: the opening sentence (`intro`), the example (`example`), the CLI
//!   examples and `--provider` values (`cli-examples`, `cli-providers`), the runtime facts
//!   per provider (`facts`);
//! - the `description` of the facade's and the CLI's Cargo.toml;
//! - `crates/tasks-sdk/src/example.md` (the facade's front-page example) and
//!   `crates/tasks-sdk/src/each_provider.rs` (`tasks_sdk::for_each_provider!`, for code
//!   written once for every provider's own types: tests, benchmarks);
//! - `crates/tasks-sdk-testkit/src/examples.rs`: a valid response of each provider's list
//!   operation, built from its schemas ([`crate::emit::instance`]), for the cross-provider tests.

use std::path::Path;

use serde_json::Value;

use crate::document;
use crate::document::naming;
use crate::emit::files::{Output, header, replace_region};
use crate::emit::instance;
use crate::model::list::{ListOperation, list_operation};
use crate::model::{AuthScheme, Prepared};

/// A valid success body of the list operation and where its parts are.
pub struct ListExample {
    pub method: String,
    pub body: Value,
    /// JSON pointer of the items array (`""`: the body is the array).
    pub items: String,
    /// Whether the page schema requires the items field.
    pub items_required: bool,
    /// A required, non-nullable field of an item.
    pub required_item_field: Option<String>,
    /// JSON pointer of a string holding a forward-compatible enum.
    pub open_enum: Option<String>,
    /// A body of the first documented error response with a JSON schema.
    pub error_body: Option<Value>,
}

pub fn list_example(p: &Prepared) -> Option<ListExample> {
    let list = list_operation(p)?;
    let schema = document::success_schema(list.op)?;
    let doc = &p.doc;
    let mut body = instance::instance(doc, schema, "page");
    let field = |key: &str| {
        list.pagination
            .and_then(|x| x.get(key))
            .and_then(Value::as_str)
    };

    // Where the items are: `x-pagination.items`, else the first array field.
    let items_path: Vec<String> = match field("items") {
        Some(path) => path.split('.').map(str::to_owned).collect(),
        None if body.is_array() => Vec::new(),
        None => vec![
            body.as_object()?
                .iter()
                .find(|(_, v)| v.is_array())?
                .0
                .clone(),
        ],
    };
    let items = pointer(&items_path);
    let mut page_schema = schema;
    let mut items_required = true;
    for segment in &items_path {
        let (properties, required) = crate::document::schema::object_parts(doc, page_schema);
        items_required &= required.contains(&segment.as_str());
        page_schema = properties
            .iter()
            .find(|(name, _)| name == segment)
            .map(|(_, s)| *s)?;
    }
    let item_schema = crate::document::schema::resolve(doc, page_schema).get("items")?;

    // One page: the pagination fields say there is no next one.
    let path_of =
        |key: &str| field(key).map(|p| p.split('.').map(str::to_owned).collect::<Vec<_>>());
    if let Some(path) = path_of("next_cursor") {
        set_end(doc, schema, &mut body, &path, Value::Null);
    }
    for key in ["has_more", "has_next"] {
        if let Some(path) = path_of(key) {
            set_end(doc, schema, &mut body, &path, Value::Bool(false));
        }
    }
    let count = body
        .pointer(&items)
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    for (key, value) in [("total_items", count), ("total_pages", 1)] {
        if let Some(path) = path_of(key) {
            set_end(doc, schema, &mut body, &path, Value::from(value));
        }
    }
    // Not the 2xx error envelope.
    if let Some(envelope) = list.op.get("x-error-envelope") {
        let get = |k: &str| envelope.get(k).and_then(Value::as_str);
        if let (Some(at), Some(error)) = (get("pointer"), get("value"))
            && let Some(slot) = body.pointer_mut(at)
            && slot.as_str() == Some(error)
        {
            *slot = Value::String("ok".into());
        }
    }

    let (item_properties, item_required) = crate::document::schema::object_parts(doc, item_schema);
    let required_item_field = item_required
        .iter()
        .filter(|name| {
            item_properties
                .iter()
                .any(|(n, s)| n == *name && !crate::document::schema::nullable(doc, s))
        })
        .min_by_key(|name| **name != "id")
        .map(|name| (*name).to_owned());
    let open_enum = open_enum_field(p, &item_properties)
        .map(|name| format!("{items}/0/{}", document::pointer_token(name)))
        .or_else(|| {
            let (properties, _) = crate::document::schema::object_parts(doc, schema);
            open_enum_field(p, &properties)
                .map(|name| format!("/{}", document::pointer_token(name)))
        });
    let error_body = document::response_schema(list.op, |code| !code.starts_with('2'))
        .map(|schema| instance::instance(doc, schema, "error"));
    Some(ListExample {
        method: list.method,
        error_body,
        body,
        items,
        items_required,
        required_item_field,
        open_enum,
    })
}

/// A property whose schema is (a reference to) one of the spec's forward-compatible enums.
fn open_enum_field<'a>(p: &Prepared, properties: &[(&'a str, &Value)]) -> Option<&'a str> {
    properties.iter().find_map(|(name, schema)| {
        let mut current = *schema;
        for _ in 0..8 {
            if let Some(target) = current.get("$ref").and_then(Value::as_str) {
                let component = target.strip_prefix("#/components/schemas/")?;
                if p.enums.iter().any(|e| e.name == component) {
                    return Some(*name);
                }
                current = p.doc.pointer(target.strip_prefix('#')?)?;
            } else if let Some([only]) = current
                .get("allOf")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
            {
                current = only;
            } else {
                return None;
            }
        }
        None
    })
}

/// Sets the field at `path` to `value` when the schema allows it (`null` only where
/// nullable; else an optional field is removed).
fn set_end(doc: &Value, schema: &Value, body: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut field_schema = schema;
    let mut required = false;
    for segment in path {
        let (properties, names) = crate::document::schema::object_parts(doc, field_schema);
        required = names.contains(&segment.as_str());
        match properties.iter().find(|(name, _)| name == segment) {
            Some((_, s)) => field_schema = s,
            None => return,
        }
    }
    let Some(Value::Object(parent)) = body.pointer_mut(&pointer(parents)) else {
        return;
    };
    if value.is_null() && !crate::document::schema::nullable(doc, field_schema) {
        if !required {
            parent.remove(last);
        }
        return;
    }
    parent.insert(last.clone(), value);
}

fn pointer(path: &[String]) -> String {
    path.iter()
        .map(|s| format!("/{}", document::pointer_token(s)))
        .collect()
}

/// `A, B and C`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `five` for 5 (up to twelve), else the digits.
fn count_word(n: usize) -> String {
    const WORDS: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// Words joined into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

fn titles(all: &[&Prepared]) -> Vec<String> {
    all.iter().map(|p| p.provider.title.to_owned()).collect()
}

/// The provider the examples use: the first whose list operation streams pages and
/// whose credential is one key (`.api_key(..)`).
fn example_provider<'a>(all: &[&'a Prepared]) -> Option<(&'a Prepared, ListOperation<'a>)> {
    let candidates = || {
        all.iter()
            .copied()
            .filter_map(|p| Some((p, list_operation(p)?)))
    };
    let streams = |l: &ListOperation| {
        l.pagination
            .and_then(|x| x.get("style"))
            .and_then(Value::as_str)
            .is_some_and(|style| style != "none")
    };
    let one_key = |p: &Prepared| {
        p.auth.schemes.iter().any(|s| {
            matches!(
                s,
                AuthScheme::Bearer
                    | AuthScheme::Header(_)
                    | AuthScheme::Query(_)
                    | AuthScheme::Cookie(_)
            )
        })
    };
    candidates()
        .find(|(p, l)| streams(l) && one_key(p))
        .or_else(|| candidates().find(|(p, _)| one_key(p)))
        .or_else(|| candidates().next())
}

/// The Rust example of README.md and of the facade's front page: a whole program that
/// compiles as written (README's `[dependencies]`: `tasks-sdk` and `tokio`).
fn example_code(all: &[&Prepared]) -> String {
    let provider = example_provider(all);
    let typed_error = provider.as_ref().is_some_and(|(p, list)| {
        p.operations
            .iter()
            .any(|op| op.id == list.method && op.typed_error)
    });
    let mut code = String::from("use tasks_sdk::core::Error;\n");
    if let (Some((p, _)), true) = (&provider, typed_error) {
        code.push_str(&format!(
            "use tasks_sdk::{}::ErrorBodies as _;\n",
            p.provider.name
        ));
    }
    code.push_str(
        "use tasks_sdk::{Sources, StreamExt, TaskFilter, TaskStatus};\n\n\
         #[tokio::main]\n\
         async fn main() -> Result<(), Box<dyn std::error::Error>> {\n",
    );
    if let Some((p, list)) = &provider {
        // The facade's module, and the client's variable: `r#box` for a keyword.
        let name = &p.provider.module;
        let title = &p.provider.title;
        let method = &list.method;
        let key = &p.provider.api_key_env;
        let other = if typed_error {
            format!(
                "        // {title}'s own error body, as its spec types it.\n        \
                 Err(e) => match e.{}_error_body() {{\n            \
                     Some(body) => eprintln!(\"{{e}}: {{body:?}}\"),\n            \
                     None => return Err(e.into()),\n        \
                 }},\n",
                method.trim_start_matches("r#")
            )
        } else {
            "        Err(e) => return Err(e.into()),\n".to_owned()
        };
        code.push_str(&format!(
            "    // One provider, its own types. Reads {key} (and {base}, if set).\n    \
             let {name} = tasks_sdk::{name}::Client::from_env()?;\n    \
             match {name}.{method}().call().await {{\n        \
                 Ok(page) => println!(\"{{page:?}}\"),\n        \
                 Err(Error::RateLimited(e)) => eprintln!(\"still limited after retries: {{e}}\"),\n\
             {other}    \
             }}\n",
            base = p.provider.base_url_env,
        ));
        if list.pagination.is_some() {
            code.push_str(&format!(
                "\n    // Every item of every page, fetched lazily.\n    \
                 let mut items = {name}.{method}().stream().max_items(500);\n    \
                 while let Some(item) = items.next().await {{\n        \
                     println!(\"{{:?}}\", item?);\n    \
                 }}\n"
            ));
        } else {
            code.push_str(&format!("    drop({name});\n"));
        }
        code.push('\n');
    }
    code.push_str(
        "    // Every provider whose key is set, at once, in the unified model; the others are\n    \
         // left out and named by `sources.skipped()` (provider, env var).\n    \
         let sources = Sources::from_env();\n    \
         let filter = TaskFilter::new().status(TaskStatus::Running).max_items(50);\n    \
         let mut all = tasks_sdk::list_all(&sources, &filter);\n    \
         while let Some(result) = all.next().await {\n        \
             match result {\n            \
                 Ok(task) => println!(\"{:<10} {} {}\", task.provider, task.id, task.status),\n            \
                 Err(e) => eprintln!(\"{e}\"), // tagged with the provider; the others go on\n        \
             }\n    \
         }\n    \
         Ok(())\n\
         }\n",
    );
    code
}

/// The README regions that name providers.
pub fn readme(text: &str, all: &[&Prepared]) -> Result<String, String> {
    let titles = titles(all);
    let intro = wrap(
        &format!(
            "Typed Rust clients for the \"list tasks\" APIs of {} provider{} ({}), generated from their OpenAPI documents.",
            count_word(all.len()),
            if all.len() == 1 { "" } else { "s" },
            and_list(&titles)
        ),
        88,
    );
    let example = format!("```rust,no_run\n{}```\n", example_code(all));

    let names: Vec<&str> = all.iter().map(|p| p.provider.name.as_str()).collect();
    let cli_providers = format!("```text\n--provider <{}|all>\n```\n", names.join("|"));
    let cli_examples = match example_provider(all) {
        Some((p, _)) => format!(
            "```sh\ncargo run -p tasks-cli -- providers\nexport {key}=...   # {title}'s key\ncargo run -p tasks-cli -- list --provider {name} --status running --output json\ncargo run -p tasks-cli -- list --provider all --max-items 20\n```\n",
            key = p.provider.api_key_env,
            title = p.provider.title,
            name = p.provider.name,
        ),
        None => "```sh\ncargo run -p tasks-cli -- providers\ncargo run -p tasks-cli -- list --provider all --max-items 20\n```\n".to_owned(),
    };

    let mut facts = String::from(
        "| Provider | Base URL variable | Documented quota | Checked before sending |\n|---|---|---|---|\n",
    );
    for p in all {
        let quota = match p.rate_limit {
            Some((requests, seconds)) => format!("{requests} requests / {}", duration(seconds)),
            None => "none".into(),
        };
        let several = p.operations.len() > 1;
        let checks: Vec<String> = p
            .operations
            .iter()
            .flat_map(|op| {
                op.bounds.iter().map(move |(name, min, max)| {
                    let range = match (min, max) {
                        (Some(min), Some(max)) => format!("{}-{}", number(*min), number(*max)),
                        (Some(min), None) => format!(">= {}", number(*min)),
                        (None, Some(max)) => format!("<= {}", number(*max)),
                        (None, None) => String::new(),
                    };
                    if several {
                        format!("`{}` `{name}` {range}", op.id)
                    } else {
                        format!("`{name}` {range}")
                    }
                })
            })
            .collect();
        let checks = if checks.is_empty() {
            "nothing documented".to_owned()
        } else {
            checks.join(", ")
        };
        facts.push_str(&format!(
            "| {} | `{}` | {quota} | {checks} |\n",
            p.provider.title, p.provider.base_url_env
        ));
    }

    let mut text = text.to_owned();
    for (region, content) in [
        ("intro", intro),
        ("example", example),
        ("cli-examples", cli_examples),
        ("cli-providers", cli_providers),
        ("facts", facts),
    ] {
        text = replace_region(&text, region, &content).map_err(|e| format!("README.md: {e}"))?;
    }
    Ok(text)
}

fn duration(seconds: u64) -> String {
    match seconds {
        60 => "minute".into(),
        3600 => "hour".into(),
        86400 => "day".into(),
        s => format!("{s} s"),
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

/// A Cargo.toml's `description` region.
fn description(path: &str, text: &str, description: &str) -> Result<String, String> {
    let line = format!("description = {description:?}\n");
    replace_region(text, "description", &line).map_err(|e| format!("{path}: {e}"))
}

/// The facade's Cargo.toml description.
pub fn facade_toml(text: &str, all: &[&Prepared]) -> Result<String, String> {
    description(
        "crates/tasks-sdk/Cargo.toml",
        text,
        &format!(
            "Typed Rust clients for the task APIs of {}",
            and_list(&titles(all))
        ),
    )
}

/// The generated files of this module, and the CLI's Cargo.toml.
pub fn outputs(root: &Path, all: &[&Prepared]) -> Result<Vec<Output>, String> {
    let cli_toml_path = "crates/tasks-cli/Cargo.toml";
    let cli_toml = std::fs::read_to_string(root.join(cli_toml_path))
        .map_err(|e| format!("{cli_toml_path}: cannot read: {e}"))?;
    let cli_toml = description(
        cli_toml_path,
        &cli_toml,
        &format!(
            "The `tasks` command: list tasks of {} from a shell",
            and_list(&titles(all))
        ),
    )?;

    let example_md = format!(
        "<!-- {} -->\n```no_run\n{}```\n",
        header("specs/*/openapi.yaml", "").trim(),
        example_code(all)
    );

    Ok(vec![
        Output::new(cli_toml_path.into(), cli_toml),
        Output::new("crates/tasks-sdk/src/example.md".into(), example_md),
        Output::new(
            "crates/tasks-sdk/src/each_provider.rs".into(),
            each_provider_rs(all),
        ),
        Output::new(
            "crates/tasks-sdk-testkit/src/examples.rs".into(),
            examples_rs(all),
        ),
    ])
}

/// `tasks_sdk::for_each_provider!` and its per-feature helpers.
fn each_provider_rs(all: &[&Prepared]) -> String {
    let mut calls = String::new();
    let mut helpers = String::new();
    for p in all {
        let name = &p.provider.name;
        let module = &p.provider.module;
        let method = list_operation(p).map_or_else(|| "_".to_owned(), |l| l.method);
        let enums: Vec<String> = p.enums.iter().map(|e| naming::type_name(&e.name)).collect();
        calls.push_str(&format!(
            "        $crate::__if_{name}! {{ $callback!({module}, {method}, [{}]); }}\n",
            enums.join(", ")
        ));
        helpers.push_str(&format!(
            "\n#[cfg(feature = \"{name}\")]\n#[doc(hidden)]\n#[macro_export]\nmacro_rules! __if_{name} {{\n    ($($tokens:tt)*) => {{ $($tokens)* }};\n}}\n\
             #[cfg(not(feature = \"{name}\"))]\n#[doc(hidden)]\n#[macro_export]\nmacro_rules! __if_{name} {{\n    ($($tokens:tt)*) => {{}};\n}}\n"
        ));
    }
    format!(
        r#"{header}
/// Expands `$callback!(<module>, <list method>, [<open enums>]);` once for every provider
/// compiled in, in the order of [`PROVIDERS`](crate::PROVIDERS): code written once for
/// every provider's own types (`tasks_sdk::<module>::Client`, `types`, `PROVIDER`).
/// `<list method>` is the client method that lists tasks (`_` when there is none) and
/// `<open enums>` the names of the forward-compatible enums in `types`.
///
/// ```
/// macro_rules! print_name {{
///     ($provider:ident, $list:ident, [$($enum:ident),*]) => {{
///         println!("{{}}", tasks_sdk::$provider::PROVIDER.name);
///     }};
/// }}
/// tasks_sdk::for_each_provider!(print_name);
/// ```
#[macro_export]
macro_rules! for_each_provider {{
    ($callback:ident) => {{
{calls}    }};
}}
{helpers}"#,
        header = header("specs/*/openapi.yaml", "//"),
    )
}

/// The testkit's `LIST_EXAMPLES`.
fn examples_rs(all: &[&Prepared]) -> String {
    let mut rows = String::new();
    for p in all {
        let Some(example) = list_example(p) else {
            continue;
        };
        let option = |value: &Option<String>| match value {
            Some(v) => format!("Some({v:?})"),
            None => "None".to_owned(),
        };
        rows.push_str(&format!(
            "    ListExample {{\n        provider: {:?},\n        method: {:?},\n        body: {:?},\n        items: {:?},\n        items_required: {},\n        required_item_field: {},\n        open_enum: {},\n        error_body: {},\n    }},\n",
            p.provider.name,
            example.method,
            example.body.to_string(),
            example.items,
            example.items_required,
            option(&example.required_item_field),
            option(&example.open_enum),
            option(&example.error_body.as_ref().map(Value::to_string)),
        ));
    }
    format!(
        "{header}\nuse crate::ListExample;\n\n/// A valid success body of each provider's list operation, built from its spec's\n/// schemas by `cargo xtask regen`, in the order of the provider list.\npub const LIST_EXAMPLES: &[ListExample] = &[\n{rows}];\n",
        header = header("specs/*/openapi.yaml", "//"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn committed() -> Vec<Prepared> {
        let root = crate::workspace::root().unwrap();
        crate::document::providers::names(&root)
            .unwrap()
            .iter()
            .map(|name| crate::model::prepare(&root, name).unwrap())
            .collect()
    }

    #[test]
    fn every_provider_has_a_list_example_with_items() {
        for p in committed() {
            let example = list_example(&p).unwrap_or_else(|| panic!("{}", p.provider.name));
            let items = example.body.pointer(&example.items);
            assert!(
                items
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty()),
                "{}: {}",
                p.provider.name,
                example.body
            );
        }
    }

    #[test]
    fn lists_and_counts_read_as_english() {
        assert_eq!(
            and_list(&["A".into(), "B".into(), "C".into()]),
            "A, B and C"
        );
        assert_eq!(and_list(&["A".into()]), "A");
        assert_eq!(count_word(5), "five");
        assert_eq!(count_word(20), "20");
        assert_eq!(wrap("aa bb cc", 5), "aa bb\ncc\n");
    }
}

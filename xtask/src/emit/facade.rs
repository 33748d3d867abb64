//! The files every provider shares: the facade's modules, features and `TaskSource`
//! impls, its mock sources, the README's provider table, and the rest of the lists in
//! [`crate::emit::lists`].

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::crate_files::{credential_line, doc_lines, example_call, info, operation_lines};
use crate::emit::files::{Output, header, replace_region};
use crate::model::Prepared;

/// The docs of the facade's module of one provider: what the provider crate's page
/// says, with `tasks_sdk::<name>::` paths.
pub fn facade_module_doc(p: &Prepared) -> String {
    let row = &p.provider;
    let name = &row.name;
    let description = doc_lines(info(p, "description"), "/// ");
    let description = if description.is_empty() {
        String::new()
    } else {
        format!("///\n{description}\n")
    };
    let operations = operation_lines(p, true).join("; ");
    let error_bodies = match p.operations.iter().find(|op| op.typed_error) {
        Some(op) => format!(
            "\n/// - [`ErrorBodies`]: the provider's typed error body of a failed call, per operation\n\
             ///   and without naming its type: `err.{}_error_body()`.",
            op.id.trim_start_matches("r#")
        ),
        None => String::new(),
    };
    format!(
        r#"/// The **{title}** client ("{api_title}", version {version}): the crate `tasks-sdk-{name}`,
/// generated from `{spec_file}`, compiled in with the cargo feature `{name}`.
{description}///
/// | | |
/// |---|---|
/// | Base URL | `{base_url}`, or `{base_env}`, or `.base_url(..)` |
/// | Credential | {credential} |
/// | Operations | {operations} |
///
/// ```no_run
/// # async fn example() -> Result<(), tasks_sdk::core::Error> {{
/// // Reads {key_env} (and {base_env}, if set).
/// let client = tasks_sdk::{module}::Client::from_env()?;
{example_call}/// # Ok(())
/// # }}
/// ```
///
/// - [`Client`]: one method per operation; each returns a request builder (in
///   [`builder`]) whose `call()` returns the decoded body or a
///   [`tasks_sdk::core::Error`](crate::core::Error), the error of every provider.{error_bodies}
/// - [`types`]: the request and response types of the spec.
/// - [`PROVIDER`]: the base URL, auth scheme, env vars, quota and parameter ranges the
///   runtime uses."#,
        title = row.title,
        api_title = info(p, "title"),
        version = info(p, "version"),
        spec_file = p.spec_file,
        base_url = p.base_url,
        base_env = row.base_url_env,
        key_env = row.api_key_env,
        credential = credential_line(p),
        example_call = example_call(p, "/// "),
        module = row.module,
    )
}

/// The files that list every provider: the facade's module list and its Cargo features,
/// and the provider table of the top-level README.
pub fn shared_outputs(
    root: &Path,
    providers: &[(Prepared, Option<TokenStream>)],
    versions: &std::collections::BTreeMap<String, String>,
) -> Result<Vec<Output>, String> {
    let mut impls = Vec::new();
    let mut models = Vec::new();
    // A provider whose spec names no task list (no `x-task`) is a module and a feature
    // like any other, without a `TaskSource`: `list_all` and `source_from_env` leave it
    // out until its overlay names the list.
    for (p, source) in providers {
        if let (Some(model), Some(source)) = (&p.task, source) {
            impls.push(source.clone());
            models.push((p, model));
        }
    }
    let all: Vec<&Prepared> = providers.iter().map(|(p, _)| p).collect();
    // A module per provider, with docs of its own: its examples use `tasks_sdk::` paths
    // (the provider crate's page, with `tasks_sdk_<name>::` ones, is not inlined).
    let modules: String = all
        .iter()
        .map(|p| {
            format!(
                "#[cfg(feature = \"{name}\")]\npub mod {module} {{\n{doc}\n\n    #[doc(inline)]\n    pub use tasks_sdk_{name}::*;\n}}\n",
                doc = facade_module_doc(p)
                    .lines()
                    .map(|line| format!("    //!{}", &line[3..]))
                    .collect::<Vec<_>>()
                    .join("\n"),
                name = p.provider.name,
                module = p.provider.module
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    let constants: String = all
        .iter()
        .map(|p| {
            format!(
                "    #[cfg(feature = \"{name}\")]\n    &{module}::PROVIDER,\n",
                name = p.provider.name,
                module = p.provider.module
            )
        })
        .collect();
    let arms: String = all
        .iter()
        .filter(|p| p.task.is_some())
        .map(|p| {
            format!(
                "        #[cfg(feature = \"{name}\")]\n        \"{name}\" => Some(crate::sources::configure::<{module}::Client>(options)),\n",
                name = p.provider.name,
                module = p.provider.module
            )
        })
        .collect();
    let providers_rs = format!(
        r#"{header}
{modules}
/// Every provider compiled in (one cargo feature each), in a fixed order.
pub const PROVIDERS: &[&tasks_sdk_core::Provider] = &[
{constants}];

/// The provider `name`'s client as a [`TaskSource`](crate::TaskSource), configured from
/// `options` and, for what they leave unset, its environment variables. `None` when no
/// provider of that name is compiled in, or when its spec names no task list (no
/// `x-task`: its client is in its module, but it lists no tasks here).
pub fn source_from_env(
    name: &str,
    options: &crate::SourceOptions,
) -> Option<Result<Box<dyn crate::TaskSource>, tasks_sdk_core::Error>> {{
    let _ = options; // unused when no provider is compiled in
    match name {{
{arms}        _ => None,
    }}
}}
"#,
        header = header("specs/*/openapi.yaml", "//"),
    );

    let facade_toml_path = "crates/tasks-sdk/Cargo.toml";
    let facade_toml = read(root, facade_toml_path)?;
    let names: Vec<&str> = all.iter().map(|p| p.provider.name.as_str()).collect();
    // The providers come without their default TLS feature; the facade's own `rustls`
    // (default) or `rustls-ring`/`native-tls` picks the one backend of tasks-sdk-core.
    // Each provider comes with every operation group (`full`): its `TaskSource` calls
    // the list operation, and `tasks_sdk::<provider>` is the whole client.
    let features = format!(
        "default = [{}, \"rustls\"]\n{}",
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", "),
        names
            .iter()
            .map(|n| format!("{n} = [\"dep:tasks-sdk-{n}\", \"tasks-sdk-{n}/full\"]\n"))
            .collect::<String>()
    );
    // The test kit of every provider compiled in (`tasks_sdk::testing`, `MockSources`).
    let features = format!(
        "{features}test-util = [\"tasks-sdk-core/test-util\", {}]\n",
        names
            .iter()
            .map(|n| format!("\"tasks-sdk-{n}?/test-util\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let deps: String = names
        .iter()
        .map(|n| {
            let version = versions.get(*n).map_or("0.1.0", String::as_str);
            format!("tasks-sdk-{n} = {{ path = \"../tasks-sdk-{n}\", version = \"{version}\", optional = true, default-features = false }}\n")
        })
        .collect();
    let facade_toml = replace_region(&facade_toml, "features", &features)
        .map_err(|e| format!("{facade_toml_path}: {e}"))?;
    let facade_toml = replace_region(&facade_toml, "dependencies", &deps)
        .map_err(|e| format!("{facade_toml_path}: {e}"))?;
    let facade_toml = crate::emit::lists::facade_toml(&facade_toml, &all)?;

    let readme = read(root, "README.md")?;
    let mut table = String::from(
        "| Provider | Crate | Base URL | Auth header | Env var | Pagination |\n|---|---|---|---|---|---|\n",
    );
    for p in &all {
        table.push_str(&format!(
            "| {} | `tasks-sdk-{}` | `{}` | `{}` | `{}` | {} |\n",
            p.provider.title,
            p.provider.name,
            p.base_url,
            p.auth.describe(),
            p.provider.api_key_env,
            p.pagination
        ));
    }
    let readme =
        replace_region(&readme, "providers", &table).map_err(|e| format!("README.md: {e}"))?;
    let readme = crate::emit::lists::readme(&readme, &all)?;

    let mut providers_md = format!(
        "<!-- {} -->\n| Module | Crate | Feature | API |\n|---|---|---|---|\n",
        header("specs/*/openapi.yaml", "").trim()
    );
    for p in &all {
        providers_md.push_str(&format!(
            "| {link} | `tasks-sdk-{name}` | `{name}` | {title}: {ops} |\n",
            link = if p.provider.module == p.provider.name {
                format!("[`{}`]", p.provider.name)
            } else {
                format!("[`{}`](crate::{})", p.provider.name, p.provider.module)
            },
            name = p.provider.name,
            title = p.provider.title,
            ops = operation_lines(p, false).join("; ")
        ));
    }
    providers_md.push('\n');

    let task_sources: syn::File = syn::parse2(quote!(#(#impls)*))
        .map_err(|e| format!("the generated TaskSource impls do not parse: {e}"))?;
    let task_sources = format!(
        "{}//! Each provider's [`TaskSource`](crate::TaskSource), from the `x-task` extension of its\n//! spec (the tables are in [`crate::sources`]).\n\n{}",
        header("specs/*/openapi.yaml", "//"),
        prettyplease::unparse(&task_sources)
    );
    let sources_md = format!(
        "<!-- {} -->\n{}",
        header("specs/*/openapi.yaml", "").trim(),
        crate::emit::task_source::doc_tables(&models)
    );

    let mut outputs = vec![
        Output::new("crates/tasks-sdk/src/task_sources.rs".into(), task_sources),
        Output::new(
            "crates/tasks-sdk/src/mock_sources.rs".into(),
            format!(
                "{}{}",
                header("specs/*/openapi.yaml", "//"),
                crate::emit::test_kit::mock_sources_rs(&all)
            ),
        ),
        Output::new("crates/tasks-sdk/src/sources.md".into(), sources_md),
        Output::new("crates/tasks-sdk/src/providers.rs".into(), providers_rs),
        Output::new("crates/tasks-sdk/src/providers.md".into(), providers_md),
        Output::new(facade_toml_path.into(), facade_toml),
        Output::new("README.md".into(), readme),
    ];
    outputs.extend(crate::emit::lists::outputs(root, &all)?);
    Ok(outputs)
}

pub fn read(root: &Path, path: &str) -> Result<String, String> {
    std::fs::read_to_string(root.join(path)).map_err(|e| format!("{path}: cannot read: {e}"))
}

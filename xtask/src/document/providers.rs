//! The providers: one folder each under `specs/`, and nothing else. A folder
//! `specs/<name>/` with an `openapi.yaml` (and an optional `overlay.yaml`) is a
//! provider; `cargo xtask add-provider` writes one. What the document cannot say
//! (display title, env var names, the common error schema) is the overlay's
//! `x-provider` extension on `info`; without it, the defaults below apply.

use std::path::Path;

use serde_json::Value;

/// What the generator knows of a provider beyond its API: its names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProviderInfo {
    /// Folder under `specs/`, crate `tasks-sdk-<name>`, facade feature.
    pub name: String,
    /// The facade's module, as Rust code names it: the name, or `r#<name>` for a Rust
    /// keyword (`box`: `tasks_sdk::r#box::Client`).
    pub module: String,
    /// Display name (`x-provider.title`, else the name capitalized).
    pub title: String,
    /// Environment variable holding the credential (`x-provider.api_key_env`, else
    /// `<NAME>_API_KEY`).
    pub api_key_env: String,
    /// Environment variable overriding the base URL (`x-provider.base_url_env`, else
    /// `<NAME>_BASE_URL`).
    pub base_url_env: String,
    /// The component schema the provider sends as the body of every error response
    /// (`x-provider.error_schema`): given to the error statuses the spec lists without
    /// a body, and tried on those it does not list. `None`: only documented bodies.
    pub error_schema: Option<String>,
}

/// The keys of `x-provider`.
const FACTS: &[&str] = &["title", "api_key_env", "base_url_env", "error_schema"];

impl ProviderInfo {
    /// The facts of provider `name` from `info.x-provider` of its document (after the
    /// overlay), with the defaults for what it leaves out.
    pub fn from_doc(name: &str, doc: &Value) -> Result<ProviderInfo, String> {
        check_name(name)?;
        let upper = name.to_uppercase();
        let facts = doc.pointer("/info/x-provider");
        if let Some(facts) = facts {
            let Value::Object(map) = facts else {
                return Err(format!(
                    "`info.x-provider` must be an object ({})",
                    FACTS.join(", ")
                ));
            };
            if let Some(key) = map.keys().find(|k| !FACTS.contains(&k.as_str())) {
                return Err(format!(
                    "`info.x-provider.{key}` is not a provider fact ({})",
                    FACTS.join(", ")
                ));
            }
        }
        let text = |key: &str| -> Result<Option<String>, String> {
            match facts.and_then(|f| f.get(key)) {
                None => Ok(None),
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(Some(s.trim().to_owned())),
                Some(other) => Err(format!(
                    "`info.x-provider.{key}` must be a non-empty string, not {other}"
                )),
            }
        };
        let env = |key: &str, default: String| -> Result<String, String> {
            let var = text(key)?.unwrap_or(default);
            let valid = var.starts_with(|c: char| c.is_ascii_uppercase())
                && var
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if valid {
                Ok(var)
            } else {
                Err(format!(
                    "`info.x-provider.{key}: {var}` is not an environment variable name (A-Z, 0-9, _)"
                ))
            }
        };
        Ok(ProviderInfo {
            name: name.to_owned(),
            module: module_name(name),
            title: text("title")?.unwrap_or_else(|| capitalized(name)),
            api_key_env: env("api_key_env", format!("{upper}_API_KEY"))?,
            base_url_env: env("base_url_env", format!("{upper}_BASE_URL"))?,
            error_schema: text("error_schema")?,
        })
    }
}

/// A provider name is a crate suffix, a Rust module and a cargo feature at once. A Rust
/// keyword (`box`, `type`, `move`) is a name like any other: its module is written as
/// a raw identifier ([`module_name`]); only the keywords a raw identifier cannot spell
/// (`crate`, `self`, `super`) and the facade's own names are refused.
pub fn check_name(name: &str) -> Result<(), String> {
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !["crate", "self", "super"].contains(&name)
        && !["all", "core", "sources", "types"].contains(&name);
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` cannot name a provider: it must be lowercase letters, digits and `_`, \
             start with a letter, and not be crate, self, super, all, core, sources or types"
        ))
    }
}

/// The provider's module as Rust code names it: `name`, or `r#name` when `name` is a
/// Rust keyword (strict or reserved, 2024 edition: `box`, `gen`, `type`).
pub fn module_name(name: &str) -> String {
    // syn knows the keywords of every edition but 2024's `gen`.
    if syn::parse_str::<syn::Ident>(name).is_ok() && name != "gen" {
        name.to_owned()
    } else {
        format!("r#{name}")
    }
}

fn capitalized(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The providers' names: every folder of `specs/` holding an `openapi.yaml`, sorted.
pub fn names(root: &Path) -> Result<Vec<String>, String> {
    let specs = root.join("specs");
    let entries =
        std::fs::read_dir(&specs).map_err(|e| format!("{}: cannot read: {e}", specs.display()))?;
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", specs.display()))?;
        if !entry.path().join("openapi.yaml").is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        check_name(&name).map_err(|e| format!("specs/{name}/: {e}"))?;
        names.push(name);
    }
    names.sort();
    Ok(names)
}

/// Every provider's facts, in [`names`] order: its document with the overlay applied
/// (not normalized), read for `info.x-provider`.
pub fn all(root: &Path) -> Result<Vec<ProviderInfo>, String> {
    names(root)?
        .iter()
        .map(|name| {
            let spec_file = format!("specs/{name}/openapi.yaml");
            let mut doc = crate::document::load(&root.join(&spec_file))
                .map_err(|e| format!("{spec_file}: {e}"))?;
            if let Some((overlay_file, overlay)) = crate::document::overlay::load(root, name)? {
                crate::document::overlay::apply(&mut doc, &overlay)
                    .map_err(|e| format!("{overlay_file}: {e}"))?;
            }
            ProviderInfo::from_doc(name, &doc).map_err(|e| format!("{spec_file}: {e}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn facts_come_from_x_provider_with_defaults() {
        let doc = json!({"info": {"x-provider": {"title": "Enkrypt AI", "api_key_env": "ENKRYPTAI_API_KEY"}}});
        assert_eq!(
            ProviderInfo::from_doc("enkrypt", &doc).unwrap(),
            ProviderInfo {
                name: "enkrypt".into(),
                module: "enkrypt".into(),
                title: "Enkrypt AI".into(),
                api_key_env: "ENKRYPTAI_API_KEY".into(),
                base_url_env: "ENKRYPT_BASE_URL".into(),
                error_schema: None,
            }
        );
        let deck = json!({"info": {"x-provider": {"error_schema": "ErrorResponse"}}});
        assert_eq!(
            ProviderInfo::from_doc("deck", &deck)
                .unwrap()
                .error_schema
                .as_deref(),
            Some("ErrorResponse")
        );
        let plain = ProviderInfo::from_doc("acme_tasks", &json!({"info": {}})).unwrap();
        assert_eq!(plain.title, "Acme_tasks");
        assert_eq!(plain.api_key_env, "ACME_TASKS_API_KEY");
        assert_eq!(plain.base_url_env, "ACME_TASKS_BASE_URL");
    }

    #[test]
    fn bad_facts_and_names_say_what_is_wrong() {
        let err = |doc: Value| ProviderInfo::from_doc("acme", &doc).unwrap_err();
        assert!(
            err(json!({"info": {"x-provider": {"api_key_env": "acme-key"}}})).contains(
                "`info.x-provider.api_key_env: acme-key` is not an environment variable name"
            )
        );
        assert!(
            err(json!({"info": {"x-provider": {"titel": "Acme"}}}))
                .contains("`info.x-provider.titel` is not a provider fact")
        );
        assert!(err(json!({"info": {"x-provider": {"title": 3}}})).contains("non-empty string"));
        for bad in ["Acme", "acme-tasks", "1acme", "self", "crate", "all", ""] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        for good in ["acme2_tasks", "box", "type", "gen", "move"] {
            check_name(good).unwrap();
        }
        assert_eq!(module_name("box"), "r#box");
        assert_eq!(module_name("gen"), "r#gen");
        assert_eq!(module_name("acme"), "acme");
    }
}

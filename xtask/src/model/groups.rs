//! Operation groups: each operation belongs to one group, and each group is a cargo
//! feature of the provider's crate (issue 27, "A provider crate costs what its users
//! use"). A user who calls one part of a large API compiles that part only.
//!
//! An operation's group is, in this order:
//! - its `x-group` (a string; an overlay can regroup operations with it);
//! - its first tag, in snake case ([`crate::document::naming::sanitize`], the converter of every name
//!   the generator writes);
//! - `untagged`, when another operation of the document has a tag;
//! - the first segment of its path that is not a parameter (`/v1/tasks/{id}`: `v1`),
//!   in snake case, when no operation has a tag; `root` for `/`.
//!
//! Two names that are alike in snake case are one group. A group whose name is a feature
//! the crate already has ([`RESERVED`]: `default`, `full`, the TLS backends,
//! `test-util`, ...; `-` and `_` alike) is renamed `<name>_operations`.
//!
//! The emitters read [`Group`]s ([`crate::model::Prepared::groups`]) and each
//! operation's [`crate::model::OperationFacts::group`]: `Cargo.toml` lists the features,
//! `emit::groups` puts `#[cfg(feature = ...)]` on what only a group's operations use.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::document::naming::{Case, sanitize};

/// The extension that puts an operation in a group of the overlay's choosing.
pub const X_GROUP: &str = "x-group";

/// The features every provider crate has besides its groups (`Cargo.toml`), and `full`
/// (every group): a group of one of these names is renamed.
pub const RESERVED: &[&str] = &[
    "default",
    "full",
    "rustls",
    "rustls-ring",
    "native-tls",
    "rate-limit",
    "test-util",
];

/// The group of operations without a tag in a document whose other operations have one.
pub const UNTAGGED: &str = "untagged";

/// One group of operations: a cargo feature of the crate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// The feature's name.
    pub feature: String,
    /// What the group was named after (the tag, `x-group` or path segment), for docs.
    pub source: String,
    /// Its operations' method names, in document order.
    pub operations: Vec<String>,
}

/// The group of each operation of `ops` (in their order, method name beside), and the
/// groups sorted by feature name.
pub fn groups(ops: &[(String, &Value, &str)]) -> (Vec<String>, Vec<Group>) {
    let tagged = ops.iter().any(|(_, op, _)| first_tag(op).is_some());
    // The name each operation is grouped under before renaming, and what it came from.
    let named: Vec<(String, String)> = ops
        .iter()
        .map(|(_, op, path)| {
            let source = match (op.get(X_GROUP).and_then(Value::as_str), first_tag(op)) {
                (Some(group), _) if !group.trim().is_empty() => group.to_owned(),
                (_, Some(tag)) => tag.to_owned(),
                _ if tagged => UNTAGGED.to_owned(),
                _ => first_segment(path),
            };
            (feature_name(&source), source)
        })
        .collect();
    let mut by_name: BTreeMap<String, Group> = BTreeMap::new();
    for ((id, _, _), (name, source)) in ops.iter().zip(&named) {
        by_name
            .entry(name.clone())
            .or_insert_with(|| Group {
                feature: name.clone(),
                source: source.clone(),
                operations: Vec::new(),
            })
            .operations
            .push(id.clone());
    }
    // Renaming: a reserved name, then whatever the new name collides with.
    let mut taken: Vec<String> = RESERVED.iter().map(|r| r.replace('-', "_")).collect();
    let names: Vec<String> = by_name.keys().cloned().collect();
    taken.extend(names.iter().filter(|n| !is_reserved(n)).cloned());
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for name in &names {
        if !is_reserved(name) {
            continue;
        }
        let mut candidate = format!("{name}_operations");
        let mut n = 2;
        while taken.contains(&candidate) {
            candidate = format!("{name}_operations_{n}");
            n += 1;
        }
        taken.push(candidate.clone());
        renamed.insert(name.clone(), candidate);
    }
    let rename = |name: &String| renamed.get(name).cloned().unwrap_or_else(|| name.clone());
    let per_op = named.iter().map(|(name, _)| rename(name)).collect();
    let mut groups: Vec<Group> = by_name
        .into_values()
        .map(|mut g| {
            g.feature = rename(&g.feature);
            g
        })
        .collect();
    groups.sort_by(|a, b| a.feature.cmp(&b.feature));
    (per_op, groups)
}

/// Whether `name` is one of the crate's other features (`-` and `_` alike).
fn is_reserved(name: &str) -> bool {
    RESERVED
        .iter()
        .any(|r| r.replace('-', "_") == name.replace('-', "_"))
}

/// A group name as a cargo feature: snake case, as the generator writes every name.
pub fn feature_name(source: &str) -> String {
    sanitize(source, Case::Snake)
}

fn first_tag(op: &Value) -> Option<&str> {
    op.get("tags")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .find(|t| !t.trim().is_empty())
}

/// The first segment of `path` that is not a path parameter, or `root`.
fn first_segment(path: &str) -> String {
    path.split('/')
        .find(|s| !s.is_empty() && !s.starts_with('{'))
        .unwrap_or("root")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn grouped(ops: &[(&str, Value, &str)]) -> (Vec<String>, Vec<Group>) {
        let ops: Vec<(String, &Value, &str)> = ops
            .iter()
            .map(|(id, op, path)| ((*id).to_owned(), op, *path))
            .collect();
        groups(&ops)
    }

    #[test]
    fn groups_come_from_first_tags_in_snake_case_and_untagged() {
        let (per_op, groups) = grouped(&[
            (
                "list_tasks",
                json!({"tags": ["Task Runs", "Other"]}),
                "/tasks",
            ),
            ("get_task", json!({"tags": ["task-runs"]}), "/tasks/{id}"),
            ("list_users", json!({"tags": ["Users"]}), "/users"),
            ("ping", json!({}), "/ping"),
        ]);
        assert_eq!(per_op, ["task_runs", "task_runs", "users", "untagged"]);
        let summary: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|g| {
                (
                    g.feature.as_str(),
                    g.operations.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("task_runs", vec!["list_tasks", "get_task"]),
                ("untagged", vec!["ping"]),
                ("users", vec!["list_users"]),
            ]
        );
        assert_eq!(groups[0].source, "Task Runs");
    }

    #[test]
    fn without_tags_the_first_path_segment_groups() {
        let (per_op, _) = grouped(&[
            ("a", json!({}), "/v0.1/tasks"),
            ("b", json!({}), "/{tenant}/users/{id}"),
            ("c", json!({}), "/"),
        ]);
        assert_eq!(per_op, ["v0_1", "users", "root"]);
    }

    /// Through the whole model: an overlay's `x-group` regroups an operation, and the
    /// document's own tags group the others.
    #[test]
    fn an_overlay_regroups_an_operation_with_x_group() {
        let ok = json!({"200": {"description": "ok"}});
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {
                "/tasks": {"get": {"operationId": "listTasks", "tags": ["Tasks"], "responses": ok}},
                "/admin/purge": {"post": {"operationId": "purge", "tags": ["Tasks"], "responses": ok}}
            }
        });
        let overlay = json!({
            "overlay": "1.0.0", "info": {"title": "o", "version": "1"},
            "actions": [{"target": "$.paths['/admin/purge'].post", "update": {"x-group": "Admin"}}]
        });
        let p = crate::model::prepare_doc(
            crate::model::CORPUS_PROVIDER,
            "t.yaml".into(),
            doc,
            Some(("overlay.yaml".into(), overlay)),
        )
        .unwrap();
        let per_op: Vec<(&str, &str)> = p
            .operations
            .iter()
            .map(|op| (op.id.as_str(), op.group.as_str()))
            .collect();
        assert_eq!(per_op, [("list_tasks", "tasks"), ("purge", "admin")]);
        let features: Vec<&str> = p.groups.iter().map(|g| g.feature.as_str()).collect();
        assert_eq!(features, ["admin", "tasks"]);
    }

    #[test]
    fn x_group_regroups_and_reserved_names_are_renamed() {
        let (per_op, groups) = grouped(&[
            ("a", json!({"tags": ["Default"]}), "/a"),
            ("b", json!({"tags": ["Full"]}), "/b"),
            ("c", json!({"tags": ["test_util"]}), "/c"),
            ("d", json!({"tags": ["Rustls"]}), "/d"),
            ("e", json!({"tags": ["Tasks"], "x-group": "admin"}), "/e"),
            // The renamed name is taken already: numbered.
            ("f", json!({"tags": ["default_operations"]}), "/f"),
        ]);
        assert_eq!(
            per_op,
            [
                "default_operations_2",
                "full_operations",
                "test_util_operations",
                "rustls_operations",
                "admin",
                "default_operations",
            ]
        );
        assert!(groups.iter().all(|g| !is_reserved(&g.feature)));
    }
}

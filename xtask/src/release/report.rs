//! What changed for Rust users between two versions of a provider crate: the diff of
//! two [`Api`]s, each change classified as cargo-semver-checks would for a user of the
//! crate, given that every generated struct and enum is `#[non_exhaustive]`
//! ([`crate::emit`]) and every parameter goes through a builder:
//!
//! | Change | Class |
//! |---|---|
//! | operation, type, optional parameter added | additive |
//! | operation group (cargo feature) added | additive |
//! | enum variant added (enums are `#[non_exhaustive]`) | additive |
//! | optional field added (structs are `#[non_exhaustive]`, built with builders) | additive |
//! | required field added to a response type | additive (only code that builds one itself must set it) |
//! | required field added to a request type | breaking (`builder()` fails without it) |
//! | required parameter added; optional parameter became required | breaking (calls without it fail) |
//! | required parameter became optional | additive |
//! | operation, parameter, type, field or variant removed | breaking |
//! | operation group (cargo feature) removed | breaking (a build that names the feature fails) |
//! | operation moved to another group that was already there | breaking (a build with its old group alone lacks it) |
//! | type of a field, parameter, payload or response changed (`T` ↔ `Option<T>` too) | breaking |
//! | trait implementation added / removed (typify derives `Default` only while every field is optional) | additive / breaking |
//! | only documentation (descriptions, examples) | documentation |
//!
//! [`Level`] is the largest class of a report; [`bump`] turns it into the next version
//! (0.x: breaking → minor, anything else → patch; from 1.0: major, minor, patch).

use std::fmt::Write as _;

use crate::release::api::{Api, Type};

/// How much a change set requires of the version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Nothing a user sees changed.
    None,
    /// The docs changed, the API did not.
    Docs,
    /// Every change is additive.
    Additive,
    /// At least one change breaks code that compiled (or worked) before.
    Breaking,
}

impl Level {
    pub fn word(self) -> &'static str {
        match self {
            Level::None => "no change",
            Level::Docs => "documentation only",
            Level::Additive => "additive",
            Level::Breaking => "breaking",
        }
    }
}

/// One change of the public API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub breaking: bool,
    pub text: String,
}

fn breaking(text: String) -> Change {
    Change {
        breaking: true,
        text,
    }
}

fn additive(text: String) -> Change {
    Change {
        breaking: false,
        text,
    }
}

/// The changes from `old` to `new`: operations first, then types, each by name.
pub fn diff(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    for (name, op) in &old.operations {
        if !new.operations.contains_key(name) {
            out.push(breaking(format!("operation `{name}` removed")));
        } else {
            let now = &new.operations[name];
            if op.success != now.success {
                out.push(breaking(format!(
                    "`{name}` returns `{}` (was `{}`)",
                    now.success, op.success
                )));
            }
            match (&op.stream, &now.stream) {
                (Some(_), None) => out.push(breaking(format!("`{name}().stream()` removed"))),
                (None, Some(item)) => out.push(additive(format!(
                    "`{name}().stream()` added (items `{item}`)"
                ))),
                (Some(a), Some(b)) if a != b => out.push(breaking(format!(
                    "`{name}().stream()` yields `{b}` (was `{a}`)"
                ))),
                _ => {}
            }
            for (param, p) in &op.params {
                match now.params.get(param) {
                    None => out.push(breaking(format!("parameter `{param}` of `{name}` removed"))),
                    Some(q) if q.ty != p.ty => out.push(breaking(format!(
                        "parameter `{param}` of `{name}` is `{}` (was `{}`)",
                        q.ty, p.ty
                    ))),
                    Some(q) if q.required && !p.required => out.push(breaking(format!(
                        "parameter `{param}` of `{name}` became required: calls without it fail"
                    ))),
                    Some(q) if !q.required && p.required => out.push(additive(format!(
                        "parameter `{param}` of `{name}` became optional"
                    ))),
                    Some(_) => {}
                }
            }
            for (param, q) in &now.params {
                if op.params.contains_key(param) {
                    continue;
                }
                out.push(if q.required {
                    breaking(format!(
                        "required parameter `{param}: {}` added to `{name}`: calls without it fail",
                        q.ty
                    ))
                } else {
                    additive(format!(
                        "optional parameter `{param}: {}` added to `{name}`",
                        q.ty
                    ))
                });
            }
        }
    }
    for (name, op) in &new.operations {
        if !old.operations.contains_key(name) {
            out.push(additive(format!(
                "operation `{name}` added (returns `{}`)",
                op.success
            )));
        }
    }
    out.extend(group_changes(old, new));

    let requests = new.request_types();
    for (name, ty) in &old.types {
        let Some(now) = new.types.get(name) else {
            out.push(breaking(format!("{} `{name}` removed", ty.kind())));
            continue;
        };
        match (ty, now) {
            (Type::Struct(a), Type::Struct(b)) => {
                for (field, t) in a {
                    match b.get(field) {
                        None => out.push(breaking(format!("field `{name}.{field}` removed"))),
                        Some(u) if u == t => {}
                        Some(u) if option_of(t) == Some(u.as_str()) => out.push(breaking(format!(
                            "field `{name}.{field}` became required: `{u}` (was `{t}`)"
                        ))),
                        Some(u) if option_of(u) == Some(t.as_str()) => out.push(breaking(format!(
                            "field `{name}.{field}` became optional: `{u}` (was `{t}`)"
                        ))),
                        Some(u) => out.push(breaking(format!(
                            "field `{name}.{field}` is `{u}` (was `{t}`)"
                        ))),
                    }
                }
                for (field, u) in b {
                    if a.contains_key(field) {
                        continue;
                    }
                    out.push(if option_of(u).is_some() {
                        additive(format!("optional field `{name}.{field}: {u}` added"))
                    } else if requests.contains(name) {
                        breaking(format!(
                            "required field `{name}.{field}: {u}` added to a request type: \
                             building `{name}` without it fails"
                        ))
                    } else {
                        additive(format!("required field `{name}.{field}: {u}` added"))
                    });
                }
            }
            (Type::Enum(a), Type::Enum(b)) => {
                for (variant, payload) in a {
                    match b.get(variant) {
                        None => out.push(breaking(format!("variant `{name}::{variant}` removed"))),
                        Some(p) if p != payload => out.push(breaking(format!(
                            "variant `{name}::{variant}` holds `{p}` (was `{payload}`)"
                        ))),
                        Some(_) => {}
                    }
                }
                for variant in b.keys().filter(|v| !a.contains_key(*v)) {
                    out.push(additive(format!("variant `{name}::{variant}` added")));
                }
            }
            (Type::Other(a), Type::Other(b)) if a == b => {}
            (a, b) if a.kind() == b.kind() => out.push(breaking(format!(
                "{} `{name}` changed: {} (was {})",
                b.kind(),
                describe(b),
                describe(a)
            ))),
            (a, b) => out.push(breaking(format!(
                "`{name}` is now a {} (was a {})",
                b.kind(),
                a.kind()
            ))),
        }
    }
    for (name, ty) in &new.types {
        if !old.types.contains_key(name) {
            out.push(additive(format!("{} `{name}` added", ty.kind())));
        }
    }
    // Traits of the types both have (e.g. typify derives `Default` only while every
    // field is optional).
    let none = std::collections::BTreeSet::new();
    for (name, traits) in &old.traits {
        if !new.types.contains_key(name) {
            continue;
        }
        let now = new.traits.get(name).unwrap_or(&none);
        for t in traits.difference(now) {
            out.push(breaking(format!("`{name}` no longer implements `{t}`")));
        }
    }
    for (name, traits) in &new.traits {
        if !old.types.contains_key(name) {
            continue;
        }
        let before = old.traits.get(name).unwrap_or(&none);
        for t in traits.difference(before) {
            out.push(additive(format!("`{name}` implements `{t}` (added)")));
        }
    }
    // Builders of the types both have: a type only responses carry has none
    // (`emit::builders`); one a request starts to carry gets one.
    for name in old.builders.difference(&new.builders) {
        if new.types.contains_key(name) {
            out.push(breaking(format!(
                "`{name}::builder()` and `types::builder::{name}` removed"
            )));
        }
    }
    for name in new.builders.difference(&old.builders) {
        if old.types.contains_key(name) {
            out.push(additive(format!("`{name}::builder()` added")));
        }
    }
    out
}

/// Operation groups (each a cargo feature of the crate) added, removed, and operations
/// that moved from a group that is still there to another: a user who built with
/// `default-features = false, features = ["<group>"]` must change their manifest for a
/// removed group (cargo refuses a feature the crate does not have) and loses the
/// operations that moved out of their group. A crate generated before operations had
/// groups compiled everything: its groups are all added, none moved.
fn group_changes(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    let (before, now) = (old.groups(), new.groups());
    for group in before.keys().filter(|g| !now.contains_key(*g)) {
        out.push(breaking(format!(
            "operation group `{group}` removed: its cargo feature is gone, and a build that \
             enables `{group}` fails"
        )));
    }
    for (name, op) in &old.operations {
        let (Some(was), Some(is)) = (
            op.group.as_deref(),
            new.operations.get(name).and_then(|o| o.group.as_deref()),
        ) else {
            continue;
        };
        if was != is && now.contains_key(was) {
            out.push(breaking(format!(
                "operation `{name}` moved from group `{was}` to `{is}`: a build with feature \
                 `{was}` alone no longer has it"
            )));
        }
    }
    for (group, n) in now.iter().filter(|(g, _)| !before.contains_key(*g)) {
        let s = if *n == 1 { "" } else { "s" };
        out.push(additive(format!(
            "operation group `{group}` added: cargo feature `{group}` ({n} operation{s})"
        )));
    }
    out
}

/// `Option<T>` → `T`.
fn option_of(ty: &str) -> Option<&str> {
    ty.strip_prefix("Option<")?.strip_suffix('>')
}

fn describe(ty: &Type) -> String {
    match ty {
        Type::Other(def) => format!("`{def}`"),
        Type::Struct(f) => format!("{} fields", f.len()),
        Type::Enum(v) => format!("{} variants", v.len()),
    }
}

/// One crate's report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// `tasks-sdk-<name>`.
    pub krate: String,
    /// The spec's `info.version`: before (when there was a spec), now.
    pub spec_version: (Option<String>, String),
    pub changes: Vec<Change>,
    /// Whether the crate's files changed at all (docs included).
    pub files_changed: bool,
    /// Why there is no previous API to compare with, if so (a new crate).
    pub no_baseline: Option<String>,
    /// What the changes come from.
    pub cause: Cause,
}

/// What a crate's changes come from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Cause {
    /// The provider's spec or overlay changed (the last commit's, through this
    /// generator, against the working one).
    #[default]
    Spec,
    /// The spec is as committed, but this generator writes another public API than the
    /// committed `generated.rs` has.
    Generator,
}

impl Report {
    pub fn level(&self) -> Level {
        if self.changes.iter().any(|c| c.breaking) {
            Level::Breaking
        } else if !self.changes.is_empty() || self.no_baseline.is_some() {
            Level::Additive
        } else if self.files_changed {
            Level::Docs
        } else {
            Level::None
        }
    }

    pub fn spec_line(&self) -> String {
        if self.cause == Cause::Generator {
            return format!(
                "spec info.version {} unchanged, the generator changed",
                self.spec_version.1
            );
        }
        match &self.spec_version {
            (Some(old), new) if old != new => format!("spec info.version {old} -> {new}"),
            (_, new) => format!("spec info.version {new}"),
        }
    }

    /// The report as printed by `regen`: one header line, then one line per change.
    pub fn text(&self, old_version: &str, new_version: &str) -> String {
        if let Some(why) = &self.no_baseline {
            return format!(
                "{}: a new crate ({new_version}); {}\n  {why}\n",
                self.krate,
                self.spec_line()
            );
        }
        let mut out = format!(
            "{}: {} ({old_version} -> {new_version}); {}\n",
            self.krate,
            self.level().word(),
            self.spec_line()
        );
        for c in &self.changes {
            let _ = writeln!(
                out,
                "  {}: {}",
                if c.breaking { "breaking" } else { "additive" },
                c.text
            );
        }
        if self.level() == Level::Docs {
            out.push_str("  documentation only: no public API changed\n");
        }
        out
    }

    /// The report as a Keep a Changelog section body (without its `## [x.y.z]` line).
    pub fn changelog(&self) -> String {
        if self.no_baseline.is_some() {
            return format!(
                "The first version, generated from its spec ({}).\n",
                self.spec_line()
            );
        }
        let mut out = match self.cause {
            Cause::Spec => format!(
                "Generated from a new spec ({}): {}.\n",
                self.spec_line(),
                self.level().word()
            ),
            Cause::Generator => format!(
                "Generated again by a changed generator (spec info.version {}, unchanged): {}.\n",
                self.spec_version.1,
                self.level().word()
            ),
        };
        let section = |title: &str, items: Vec<&Change>, out: &mut String| {
            if items.is_empty() {
                return;
            }
            let _ = writeln!(out, "\n### {title}\n");
            for c in items {
                let mark = if c.breaking { "**Breaking:** " } else { "" };
                let _ = writeln!(out, "- {mark}{}", c.text);
            }
        };
        let is = |c: &&Change, words: &[&str]| words.iter().any(|w| c.text.contains(w));
        let removed: Vec<&Change> = self
            .changes
            .iter()
            .filter(|c| is(c, &[" removed"]))
            .collect();
        let added: Vec<&Change> = self
            .changes
            .iter()
            .filter(|c| !is(c, &[" removed"]) && is(c, &[" added"]))
            .collect();
        let changed: Vec<&Change> = self
            .changes
            .iter()
            .filter(|c| !is(c, &[" removed", " added"]))
            .collect();
        section("Added", added, &mut out);
        section("Changed", changed, &mut out);
        section("Removed", removed, &mut out);
        if self.level() == Level::Docs {
            out.push_str("\n### Changed\n\n- Documentation only: no public API changed.\n");
        }
        out
    }
}

/// `version` bumped for `level`: 0.x.y → 0.(x+1).0 when breaking, else 0.x.(y+1); from
/// 1.0, major, minor or patch. `None` keeps it.
pub fn bump(version: &str, level: Level) -> Result<String, String> {
    let parts: Vec<u64> = version
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("version `{version}` is not MAJOR.MINOR.PATCH"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!("version `{version}` is not MAJOR.MINOR.PATCH"));
    };
    Ok(match (level, major) {
        (Level::None, _) => version.to_owned(),
        (Level::Breaking, 0) => format!("0.{}.0", minor + 1),
        (Level::Breaking, _) => format!("{}.0.0", major + 1),
        (Level::Additive, m) if m > 0 => format!("{major}.{}.0", minor + 1),
        _ => format!("{major}.{minor}.{}", patch + 1),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::release::api::{Operation, Param};

    fn api() -> Api {
        let mut api = Api::default();
        api.operations.insert(
            "list_tasks".into(),
            Operation {
                params: [(
                    "limit".into(),
                    Param {
                        ty: "NonZeroU32".into(),
                        required: false,
                    },
                )]
                .into(),
                success: "TaskPage".into(),
                stream: Some("Task".into()),
                group: Some("tasks".into()),
            },
        );
        api.types.insert(
            "Task".into(),
            Type::Struct(
                [
                    ("id".into(), "String".into()),
                    ("name".into(), "Option<String>".into()),
                ]
                .into(),
            ),
        );
        api.types.insert(
            "TaskStatus".into(),
            Type::Enum(
                [
                    ("Queued".into(), String::new()),
                    ("Unknown".into(), "(String)".into()),
                ]
                .into(),
            ),
        );
        api
    }

    fn texts(old: &Api, new: &Api) -> Vec<(bool, String)> {
        diff(old, new)
            .into_iter()
            .map(|c| (c.breaking, c.text))
            .collect()
    }

    #[test]
    fn each_kind_of_change_is_classified() {
        let old = api();
        assert!(diff(&old, &old).is_empty());

        let mut new = api();
        let Type::Enum(v) = new.types.get_mut("TaskStatus").unwrap() else {
            panic!()
        };
        v.insert("Paused".into(), String::new());
        assert_eq!(
            texts(&old, &new),
            [(false, "variant `TaskStatus::Paused` added".to_owned())]
        );
        assert_eq!(
            texts(&new, &old),
            [(true, "variant `TaskStatus::Paused` removed".to_owned())]
        );

        let mut new = api();
        let Type::Struct(f) = new.types.get_mut("Task").unwrap() else {
            panic!()
        };
        f.remove("name");
        f.insert("id".into(), "Option<String>".into());
        f.insert("agent".into(), "Option<String>".into());
        assert_eq!(
            texts(&old, &new),
            [
                (
                    true,
                    "field `Task.id` became optional: `Option<String>` (was `String`)".to_owned()
                ),
                (true, "field `Task.name` removed".to_owned()),
                (
                    false,
                    "optional field `Task.agent: Option<String>` added".to_owned()
                ),
            ]
        );

        let mut new = api();
        let op = new.operations.get_mut("list_tasks").unwrap();
        op.params.insert(
            "project".into(),
            Param {
                ty: "String".into(),
                required: true,
            },
        );
        op.params.get_mut("limit").unwrap().required = true;
        assert_eq!(
            texts(&old, &new),
            [
                (
                    true,
                    "parameter `limit` of `list_tasks` became required: calls without it fail"
                        .to_owned()
                ),
                (
                    true,
                    "required parameter `project: String` added to `list_tasks`: calls without it fail"
                        .to_owned()
                ),
            ]
        );
        // A required field in a request type breaks; in a response type it does not.
        let mut new = api();
        new.types.insert(
            "Query".into(),
            Type::Struct([("q".into(), "String".into())].into()),
        );
        new.operations.get_mut("list_tasks").unwrap().params.insert(
            "body".into(),
            Param {
                ty: "Query".into(),
                required: false,
            },
        );
        let mut newer = new.clone();
        let Type::Struct(q) = newer.types.get_mut("Query").unwrap() else {
            panic!()
        };
        q.insert("scope".into(), "String".into());
        let Type::Struct(t) = newer.types.get_mut("Task").unwrap() else {
            panic!()
        };
        t.insert("owner".into(), "String".into());
        let changes = texts(&new, &newer);
        assert!(
            changes[0].0
                && changes[0]
                    .1
                    .contains("`Query.scope: String` added to a request type")
        );
        assert_eq!(
            changes[1],
            (false, "required field `Task.owner: String` added".into())
        );

        // A type's builder: removed breaks, added does not.
        let mut with_builder = api();
        with_builder.builders.insert("Task".into());
        assert_eq!(
            texts(&with_builder, &api()),
            [(
                true,
                "`Task::builder()` and `types::builder::Task` removed".to_owned()
            )]
        );
        assert_eq!(
            texts(&api(), &with_builder),
            [(false, "`Task::builder()` added".to_owned())]
        );
    }

    /// The API of a tiny document whose operations are `(operationId, tag)`, through the
    /// generator: each operation's group is read back from its `#[cfg(feature)]`.
    fn tagged(ops: &[(&str, &str)]) -> Api {
        let mut paths = serde_json::Map::new();
        for (id, tag) in ops {
            paths.insert(
                format!("/{id}"),
                serde_json::json!({"get": {
                    "operationId": id, "tags": [tag],
                    "responses": {"200": {"description": "ok", "content": {"application/json":
                        {"schema": {"type": "object", "properties": {"id": {"type": "string"}}}}}}}
                }}),
            );
        }
        let doc = serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://api.example.invalid"}],
            "paths": paths
        });
        let mut p =
            crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, "t.yaml".into(), doc, None)
                .unwrap();
        crate::release::api_of(&crate::emit::generate(&mut p).unwrap()).unwrap()
    }

    #[test]
    fn operation_groups_added_removed_or_left_are_reported() {
        let old = tagged(&[
            ("listTasks", "Tasks"),
            ("ping", "Tasks"),
            ("getUser", "Users"),
        ]);
        assert_eq!(
            old.groups().into_iter().collect::<Vec<_>>(),
            [("tasks", 2), ("users", 1)]
        );
        // `Users` gone (its operation now in `Tasks`), `ping` moved out of `tasks` to a
        // new group, and a new group with a new operation.
        let new = tagged(&[
            ("listTasks", "Tasks"),
            ("ping", "Health"),
            ("getUser", "Tasks"),
            ("listProjects", "Projects"),
        ]);
        let groups: Vec<(bool, String)> = texts(&old, &new)
            .into_iter()
            .filter(|(_, t)| t.contains("group"))
            .collect();
        assert_eq!(
            groups,
            [
                (
                    true,
                    "operation group `users` removed: its cargo feature is gone, and a build \
                     that enables `users` fails"
                        .to_owned()
                ),
                (
                    true,
                    "operation `ping` moved from group `tasks` to `health`: a build with \
                     feature `tasks` alone no longer has it"
                        .to_owned()
                ),
                (
                    false,
                    "operation group `health` added: cargo feature `health` (1 operation)"
                        .to_owned()
                ),
                (
                    false,
                    "operation group `projects` added: cargo feature `projects` (1 operation)"
                        .to_owned()
                ),
            ]
        );
        let report = |changes| Report {
            krate: "tasks-sdk-x".into(),
            spec_version: (Some("1".into()), "2".into()),
            changes,
            files_changed: true,
            no_baseline: None,
            cause: Cause::Spec,
        };
        let removed = report(diff(&old, &new));
        assert_eq!(removed.level(), Level::Breaking);
        assert_eq!(bump("0.1.3", removed.level()).unwrap(), "0.2.0");
        let entry = removed.changelog();
        assert!(
            entry.contains("### Removed\n\n- **Breaking:** operation group `users` removed"),
            "{entry}"
        );
        assert!(
            entry.contains("### Changed\n\n- **Breaking:** operation `ping` moved"),
            "{entry}"
        );

        // A group added, nothing else: additive (a patch in 0.x, a minor from 1.0).
        let added = tagged(&[
            ("listTasks", "Tasks"),
            ("ping", "Tasks"),
            ("getUser", "Users"),
            ("listProjects", "Projects"),
        ]);
        let added = report(diff(&old, &added));
        assert_eq!(added.level(), Level::Additive);
        assert!(
            added
                .text("1.2.3", "1.3.0")
                .contains("  additive: operation group `projects` added: cargo feature `projects` (1 operation)\n"),
            "{}",
            added.text("1.2.3", "1.3.0")
        );
        assert_eq!(bump("1.2.3", added.level()).unwrap(), "1.3.0");

        // From a crate generated before operations had groups: every group is added,
        // nothing moved or removed.
        let mut before_groups = old.clone();
        for op in before_groups.operations.values_mut() {
            op.group = None;
        }
        let changes = texts(&before_groups, &old);
        assert_eq!(
            changes,
            [
                (
                    false,
                    "operation group `tasks` added: cargo feature `tasks` (2 operations)".into()
                ),
                (
                    false,
                    "operation group `users` added: cargo feature `users` (1 operation)".into()
                ),
            ]
        );
    }

    #[test]
    fn reports_read_as_text_and_changelog_entries() {
        let report = Report {
            krate: "tasks-sdk-x".into(),
            spec_version: (Some("1.0".into()), "1.1".into()),
            changes: diff(&api(), &Api::default()),
            files_changed: true,
            no_baseline: None,
            cause: Cause::Spec,
        };
        let text = report.text("0.1.0", "0.2.0");
        assert!(
            text.starts_with(
                "tasks-sdk-x: breaking (0.1.0 -> 0.2.0); spec info.version 1.0 -> 1.1\n  breaking: operation `list_tasks` removed\n"
            ),
            "{text}"
        );
        let entry = report.changelog();
        assert!(
            entry.starts_with("Generated from a new spec (spec info.version 1.0 -> 1.1): breaking.\n\n### Removed\n\n- **Breaking:** operation `list_tasks` removed\n"),
            "{entry}"
        );
        let new = Report {
            changes: Vec::new(),
            cause: Cause::Spec,
            no_baseline: Some(
                "a new crate: `specs/x/openapi.yaml` is not in the last commit".into(),
            ),
            ..report
        };
        assert_eq!(new.level(), Level::Additive);
        assert_eq!(
            new.text("0.1.0", "0.1.0"),
            "tasks-sdk-x: a new crate (0.1.0); spec info.version 1.0 -> 1.1\n  a new crate: `specs/x/openapi.yaml` is not in the last commit\n"
        );
        assert_eq!(
            new.changelog(),
            "The first version, generated from its spec (spec info.version 1.0 -> 1.1).\n"
        );
    }

    #[test]
    fn levels_bump_versions_by_semver() {
        assert_eq!(bump("0.1.0", Level::Breaking).unwrap(), "0.2.0");
        assert_eq!(bump("0.1.3", Level::Additive).unwrap(), "0.1.4");
        assert_eq!(bump("0.1.3", Level::Docs).unwrap(), "0.1.4");
        assert_eq!(bump("0.1.3", Level::None).unwrap(), "0.1.3");
        assert_eq!(bump("1.2.3", Level::Breaking).unwrap(), "2.0.0");
        assert_eq!(bump("1.2.3", Level::Additive).unwrap(), "1.3.0");
        assert_eq!(bump("1.2.3", Level::Docs).unwrap(), "1.2.4");
        assert!(bump("0.1", Level::Docs).is_err());
    }
}

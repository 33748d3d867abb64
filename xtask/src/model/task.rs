//! The unified task model from the overlay: an operation's `x-task` extension says how
//! its items become the facade's `Task`s, read and checked here into a [`TaskModel`].
//! From it, `emit::task_source` writes each provider's `TaskSource` impl
//! (`crates/tasks-sdk/src/task_sources.rs`) and the mapping tables of the facade's
//! `sources` rustdoc (`crates/tasks-sdk/src/sources.md`).
//!
//! ```yaml
//! x-task:
//!   id: id                      # a path in the item (`a.b`), or `$`: the item itself
//!   name: title                 # optional
//!   status: latestJobStatus     # optional; absent: Unknown("")
//!   created_at: createdAt       # optional; a date-time, text (RFC 3339), or Unix seconds
//!   updated_at: [completed_at, started_at]   # optional; the first one present
//!   statuses: {PENDING: Queued, IN_PROGRESS: Running}   # wire → normalized
//!   status_from_filter: false   # true: items carry no status; they take the filter's
//!   status_filter:              # absent: a status filter applies to the stream
//!     param: status             # the query parameter (wire name)
//!     values: {Succeeded: merged}   # normalized → the wire value sent
//!     unknown: server           # Unknown(s): sent as `s` (server, default) or stream
//!     unmapped: stream          # a status without a value: stream (default) or nothing
//!   notes: Free text for the facade's rustdoc.
//! ```
//!
//! Field and parameter names are wire names; the generator finds the Rust ones in
//! progenitor's output (serde renames included) and fails regen with the path when one
//! is missing, so a typo never reaches the compiler.

use serde_json::Value;

use crate::document;

/// The facade's normalized statuses, as its `TaskStatus` variants.
pub const NORMALIZED: [&str; 6] = [
    "Queued",
    "Running",
    "WaitingForInput",
    "Succeeded",
    "Failed",
    "Cancelled",
];

/// One operation's `x-task`, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskModel {
    /// The Rust method name of the operation that lists tasks.
    pub method: String,
    /// Where the extension is, for errors: `$.paths['/tasks'].get.x-task`.
    pub at: String,
    pub id: String,
    pub name: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Vec<String>,
    /// (wire value, normalized variant)
    pub statuses: Vec<(String, String)>,
    pub status_from_filter: bool,
    pub status_filter: Option<StatusFilter>,
    /// The query parameter a filter's page size goes to (`x-pagination.limit_param`).
    pub page_size_param: Option<String>,
    pub notes: Option<String>,
}

/// Which statuses the server filters, and how they are spelled on the wire.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusFilter {
    pub param: String,
    /// (normalized variant, wire value)
    pub values: Vec<(String, String)>,
    /// `Unknown(s)` is sent as `s` (else it is applied to the stream).
    pub unknown_on_server: bool,
    /// A normalized status without a value lists nothing (else the stream filters).
    pub unmapped_lists_nothing: bool,
}

/// The `x-task` of the document, if an operation has one (at most one may).
pub fn task_model(doc: &Value) -> Result<Option<TaskModel>, String> {
    let mut found: Option<TaskModel> = None;
    for op in document::operations(doc) {
        let Some(x_task) = op.op.get("x-task") else {
            continue;
        };
        let at = format!("{}.x-task", op.at);
        if let Some(first) = &found {
            return Err(format!(
                "two operations have `x-task` ({} and {at}): one lists the tasks",
                first.at
            ));
        }
        let method = op.method_name();
        let page_size_param = op
            .op
            .pointer("/x-pagination/limit_param")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let model =
            parse(x_task, method, page_size_param, op.op).map_err(|e| format!("{e} at {at}"))?;
        found = Some(TaskModel { at, ..model });
    }
    Ok(found)
}

fn parse(
    x_task: &Value,
    method: String,
    page_size_param: Option<String>,
    op: &Value,
) -> Result<TaskModel, String> {
    const KEYS: &[&str] = &[
        "id",
        "name",
        "status",
        "created_at",
        "updated_at",
        "statuses",
        "status_from_filter",
        "status_filter",
        "notes",
    ];
    let Value::Object(map) = x_task else {
        return Err("`x-task` must be an object".into());
    };
    if let Some(key) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "`{key}` is not an x-task key ({})",
            KEYS.join(", ")
        ));
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(other) => Err(format!("`{key}` must be a field path, not {other}")),
        }
    };
    let id = text("id")?.ok_or("`id` (the path of the task's id in an item) is required")?;
    let updated_at = match map.get("updated_at") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(paths)) => paths
            .iter()
            .map(|p| {
                p.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("`updated_at` lists {p}, not a field path"))
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(format!(
                "`updated_at` must be a path or a list of paths, not {other}"
            ));
        }
    };
    let statuses = match map.get("statuses") {
        None => Vec::new(),
        Some(Value::Object(table)) => table
            .iter()
            .map(|(wire, normalized)| {
                let normalized =
                    normalized_name(normalized).map_err(|e| format!("`statuses.{wire}`: {e}"))?;
                Ok((wire.clone(), normalized))
            })
            .collect::<Result<_, String>>()?,
        Some(other) => {
            return Err(format!(
                "`statuses` must map wire values to statuses, not {other}"
            ));
        }
    };
    let status_from_filter = match map.get("status_from_filter") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(format!(
                "`status_from_filter` must be a boolean, not {other}"
            ));
        }
    };
    let status = text("status")?;
    if status_from_filter && (status.is_some() || !statuses.is_empty()) {
        return Err(
            "`status_from_filter: true` means items carry no status: drop `status` and `statuses`"
                .into(),
        );
    }
    let status_filter = match map.get("status_filter") {
        None => None,
        Some(filter) => Some(status_filter(filter, op)?),
    };
    if status_from_filter && status_filter.is_none() {
        return Err("`status_from_filter: true` needs a `status_filter` the server applies".into());
    }
    let notes = match map.get("notes") {
        None => None,
        Some(Value::String(s)) => Some(s.split_whitespace().collect::<Vec<_>>().join(" ")),
        Some(other) => return Err(format!("`notes` must be text, not {other}")),
    };
    Ok(TaskModel {
        method,
        at: String::new(),
        id,
        name: text("name")?,
        status,
        created_at: text("created_at")?,
        updated_at,
        statuses,
        status_from_filter,
        status_filter,
        page_size_param,
        notes,
    })
}

fn normalized_name(value: &Value) -> Result<String, String> {
    match value.as_str() {
        Some(name) if NORMALIZED.contains(&name) => Ok(name.to_owned()),
        _ => Err(format!(
            "{value} is not a normalized status ({})",
            NORMALIZED.join(", ")
        )),
    }
}

fn status_filter(filter: &Value, op: &Value) -> Result<StatusFilter, String> {
    const KEYS: &[&str] = &["param", "values", "unknown", "unmapped"];
    let Value::Object(map) = filter else {
        return Err("`status_filter` must be an object".into());
    };
    if let Some(key) = map.keys().find(|k| !KEYS.contains(&k.as_str())) {
        return Err(format!(
            "`status_filter.{key}` is not a key ({})",
            KEYS.join(", ")
        ));
    }
    let param = map
        .get("param")
        .and_then(Value::as_str)
        .ok_or("`status_filter.param` (the query parameter's name) is required")?
        .to_owned();
    let schema = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|p| {
            p.get("in").and_then(Value::as_str) == Some("query")
                && p.get("name").and_then(Value::as_str) == Some(param.as_str())
        })
        .and_then(|p| p.get("schema"))
        .ok_or_else(|| {
            format!("`status_filter.param: {param}` is not a query parameter of the operation")
        })?;
    let enum_values: Option<Vec<&str>> = schema
        .get("enum")
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_str).collect());
    let values: Vec<(String, String)> = match map.get("values") {
        None => Vec::new(),
        Some(Value::Object(table)) => table
            .iter()
            .map(|(normalized, wire)| {
                let normalized = normalized_name(&Value::String(normalized.clone()))
                    .map_err(|e| format!("`status_filter.values`: {e}"))?;
                let wire = wire
                    .as_str()
                    .ok_or_else(|| format!("`status_filter.values.{normalized}` must be text"))?;
                if let Some(allowed) = enum_values.as_ref().filter(|a| !a.contains(&wire)) {
                    return Err(format!(
                        "`status_filter.values.{normalized}: {wire}` is not a value of `{param}` ({})",
                        allowed.join(", ")
                    ));
                }
                Ok((normalized, wire.to_owned()))
            })
            .collect::<Result<_, String>>()?,
        Some(other) => {
            return Err(format!(
                "`status_filter.values` must map statuses to wire values, not {other}"
            ));
        }
    };
    let choice = |key: &str, default: &str, options: [&str; 2]| -> Result<bool, String> {
        let value = map.get(key).and_then(Value::as_str).unwrap_or(default);
        if options.contains(&value) {
            Ok(value == options[0])
        } else {
            Err(format!(
                "`status_filter.{key}: {value}` must be `{}` or `{}`",
                options[0], options[1]
            ))
        }
    };
    Ok(StatusFilter {
        param,
        values,
        unknown_on_server: choice("unknown", "server", ["server", "stream"])?,
        unmapped_lists_nothing: choice("unmapped", "stream", ["nothing", "stream"])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(x_task: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {"/tasks": {"get": {
                "operationId": "listTasks",
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "done"]}},
                    {"name": "pageSize", "in": "query", "schema": {"type": "integer"}}
                ],
                "x-pagination": {"style": "page", "page_param": "page", "limit_param": "pageSize", "items": "data"},
                "x-task": x_task
            }}}
        })
    }

    #[test]
    fn x_task_is_read_with_wire_names_and_defaults() {
        let model = task_model(&doc(json!({
            "id": "id",
            "name": "title",
            "status": "state",
            "updated_at": ["finishedAt", "startedAt"],
            "statuses": {"open": "Running", "done": "Succeeded"},
            "status_filter": {"param": "status", "values": {"Succeeded": "done"}}
        })))
        .unwrap()
        .unwrap();
        assert_eq!(model.method, "list_tasks");
        assert_eq!(model.at, "$.paths['/tasks'].get.x-task");
        assert_eq!(model.updated_at, ["finishedAt", "startedAt"]);
        assert_eq!(model.page_size_param.as_deref(), Some("pageSize"));
        let filter = model.status_filter.unwrap();
        assert!(filter.unknown_on_server && !filter.unmapped_lists_nothing);
        assert_eq!(filter.values, [("Succeeded".to_owned(), "done".to_owned())]);
    }

    #[test]
    fn bad_x_task_says_where_and_what() {
        let err = |x: Value| task_model(&doc(x)).unwrap_err();
        assert_eq!(
            err(json!({"name": "title"})),
            "`id` (the path of the task's id in an item) is required at $.paths['/tasks'].get.x-task"
        );
        assert!(
            err(json!({"id": "id", "statuses": {"open": "Open"}}))
                .starts_with("`statuses.open`: \"Open\" is not a normalized status (Queued,")
        );
        assert!(
            err(json!({"id": "id", "status_filter": {"param": "state"}}))
                .starts_with("`status_filter.param: state` is not a query parameter")
        );
        assert!(err(json!({"id": "id", "status_filter": {"param": "status", "values": {"Failed": "broken"}}}))
            .starts_with("`status_filter.values.Failed: broken` is not a value of `status` (open, done)"));
        assert!(
            err(json!({"id": "id", "colour": "x"})).starts_with("`colour` is not an x-task key")
        );
        assert!(
            err(json!({"id": "id", "status_from_filter": true}))
                .starts_with("`status_from_filter: true` needs a `status_filter`")
        );
    }
}

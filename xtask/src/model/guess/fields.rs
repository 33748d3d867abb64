//! The task's fields in a listed item: its id (by name, by the resource the path
//! lists, one level down), name, status (and the mapping of its values) and times.

use serde_json::{Value, json};

use crate::document::schema::resolve;
use crate::model::task::NORMALIZED;

/// The statuses a word means: `in_progress` → Running.
pub(super) fn normalized_status(wire: &str) -> Option<&'static str> {
    let w: String = wire
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    const TABLE: &[(&str, &[&str])] = &[
        (
            "Queued",
            &[
                "queued",
                "pending",
                "waiting",
                "scheduled",
                "created",
                "submitted",
                "new",
                "provisioning",
                "notstarted",
                "todo",
                "open",
            ],
        ),
        (
            "Running",
            &[
                "running",
                "inprogress",
                "processing",
                "started",
                "active",
                "executing",
                "working",
            ],
        ),
        (
            "WaitingForInput",
            &[
                "awaitinginput",
                "waitingforinput",
                "needsinput",
                "inputrequired",
                "blocked",
                "paused",
            ],
        ),
        (
            "Succeeded",
            &[
                "succeeded",
                "success",
                "successful",
                "completed",
                "complete",
                "done",
                "finished",
                "merged",
                "resolved",
            ],
        ),
        (
            "Failed",
            &[
                "failed", "failure", "error", "errored", "timedout", "timeout",
            ],
        ),
        (
            "Cancelled",
            &[
                "cancelled",
                "canceled",
                "aborted",
                "stopped",
                "killed",
                "terminated",
            ],
        ),
    ];
    TABLE
        .iter()
        .find(|(_, words)| words.contains(&w.as_str()))
        .map(|(n, _)| *n)
}

pub(super) fn enum_values(doc: &Value, schema: &Value) -> Vec<String> {
    let schema = resolve(doc, schema);
    let values = schema
        .get("enum")
        .or_else(|| {
            schema
                .get("items")
                .map(|i| resolve(doc, i))
                .and_then(|i| i.get("enum"))
        })
        .and_then(Value::as_array);
    values
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// The `x-task` for the item schema (`None`: no task id was recognized), its guesses
/// and what to review. `path` is the list operation's (its last word names the
/// resource: `/v2/sandboxes` lists sandboxes, whose id is `sandboxID`).
pub(super) fn x_task(
    doc: &Value,
    path: &str,
    op: &Value,
    item: Option<&Value>,
) -> (Option<Value>, Vec<String>, Vec<String>) {
    let mut guesses = Vec::new();
    let mut review = Vec::new();
    let mut task = serde_json::Map::new();
    let merged = item.map(|i| properties(doc, i)).filter(|p| !p.is_empty());
    let props = merged.as_ref();
    let is_text = item.and_then(|i| i.get("type")).and_then(Value::as_str) == Some("string");
    let Some(props) = props else {
        if is_text {
            guesses.push("each task is a string: it is the task's id and name".into());
            task.insert("id".into(), json!("$"));
            task.insert("name".into(), json!("$"));
            return (Some(Value::Object(task)), guesses, review);
        }
        review.push(
            "x-task: the item schema has no properties, so no task id was recognized; the \
             facade does not list this provider's tasks until `x-task` names the id field \
             (commented in the overlay)"
                .into(),
        );
        return (None, guesses, review);
    };
    let Some(found) = id_field(doc, props, resource(path).as_deref()) else {
        let fields: Vec<&str> = props.keys().map(String::as_str).take(8).collect();
        review.push(format!(
            "x-task: no id field was recognized among the task's fields ({}); the \
             facade does not list this provider's tasks until `x-task` names it \
             (commented in the overlay)",
            fields.join(", ")
        ));
        return (None, guesses, review);
    };
    guesses.push(format!("task id: `{}`, {}", found.path, found.why));
    if let Some(check) = &found.review {
        review.push(check.clone());
    }
    task.insert("id".into(), json!(found.path));
    // The other fields are looked for in the item, then in the object that holds its
    // id (Kubernetes' `metadata` has `uid`, `name` and `creationTimestamp`).
    let nested = found
        .path
        .split_once('.')
        .map(|(object, _)| (format!("{object}."), properties(doc, &props[object])));
    let mut scopes = vec![(String::new(), props.clone())];
    scopes.extend(nested);
    let scalar = |props: &serde_json::Map<String, Value>, k: &str| is_scalar(doc, &props[k]);
    let mut taken = vec![found.path.clone()];
    // Every candidate path present and scalar, in order of scope, then of candidate.
    let present = |candidates: &[&str]| -> Vec<String> {
        scopes
            .iter()
            .flat_map(|(prefix, props)| {
                candidates
                    .iter()
                    .filter(|c| props.contains_key(**c) && scalar(props, c))
                    .map(move |c| format!("{prefix}{c}"))
            })
            .collect()
    };
    for (key, candidates) in [
        (
            "name",
            &[
                "name",
                "title",
                "display_name",
                "displayName",
                "label",
                "summary",
            ][..],
        ),
        (
            "created_at",
            &[
                "created_at",
                "createdAt",
                "created",
                "creation_time",
                "createdTime",
                "created_time",
                "create_time",
                "createTime",
                "created_on",
                "date_created",
                "dateCreated",
                "creationTimestamp",
                "creation_timestamp",
                "inserted_at",
                "submitted_at",
            ][..],
        ),
    ] {
        match present(candidates).into_iter().find(|p| !taken.contains(p)) {
            Some(field) => {
                guesses.push(format!("task {key}: `{field}`"));
                taken.push(field.clone());
                task.insert(key.into(), json!(field));
            }
            None => guesses.push(format!("task {key}: none recognized")),
        }
    }
    let updated: Vec<String> = present(&[
        "updated_at",
        "updatedAt",
        "updated",
        "update_time",
        "updateTime",
        "date_updated",
        "dateUpdated",
        "modified_at",
        "modifiedAt",
        "last_modified",
        "lastModified",
        "completed_at",
        "completedAt",
        "finished_at",
        "finishedAt",
    ])
    .into_iter()
    .filter(|p| !taken.contains(p))
    .take(2)
    .collect();
    if updated.is_empty() {
        guesses.push("task updated_at: none recognized".into());
    } else {
        guesses.push(format!(
            "task updated_at: {}",
            updated
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", else ")
        ));
        task.insert("updated_at".into(), json!(updated));
    }

    let status = present(&[
        "status",
        "state",
        "task_status",
        "taskStatus",
        "latestStatus",
        "latest_status",
    ])
    .into_iter()
    .next()
    .or_else(|| {
        props
            .keys()
            .find(|k| k.to_lowercase().contains("status") && scalar(props, k))
            .cloned()
    });
    let mut statuses = serde_json::Map::new();
    if let Some(field) = &status {
        task.insert("status".into(), json!(field));
        let values = field_schema(&scopes, field)
            .map(|schema| enum_values(doc, schema))
            .unwrap_or_default();
        let mut unmapped = Vec::new();
        for value in &values {
            match normalized_status(value) {
                Some(n) => {
                    statuses.insert(value.clone(), json!(n));
                }
                None => unmapped.push(format!("`{value}`")),
            }
        }
        guesses.push(format!(
            "task status: `{field}`{}",
            if values.is_empty() {
                ", with no documented values".to_owned()
            } else {
                format!(
                    " ({} of {} values mapped by name)",
                    statuses.len(),
                    values.len()
                )
            }
        ));
        if !unmapped.is_empty() {
            review.push(format!("statuses: {} stay `Unknown(s)`; map them in `x-task.statuses` if they mean a normalized status", unmapped.join(", ")));
        }
        if !statuses.is_empty() {
            task.insert("statuses".into(), Value::Object(statuses.clone()));
        }
    } else {
        guesses.push("task status: none recognized (tasks are `Unknown(\"\")`)".into());
    }

    // A status query parameter: the server filters.
    let param = op
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
        .find(|p| {
            let n = p.get("name").and_then(Value::as_str).unwrap_or_default();
            ["status", "state"].contains(&n) || Some(n) == status.as_deref()
        });
    if let Some(param) = param {
        let name = param["name"].as_str().unwrap_or_default().to_owned();
        let schema = param.get("schema").cloned().unwrap_or(Value::Null);
        let is_text = resolve(doc, &schema).get("type").and_then(Value::as_str) == Some("string");
        if is_text {
            let wires = enum_values(doc, &schema);
            let mut values = serde_json::Map::new();
            for normalized in NORMALIZED {
                let wire = if wires.is_empty() {
                    statuses
                        .iter()
                        .find(|(_, n)| n.as_str() == Some(normalized))
                        .map(|(w, _)| w.clone())
                } else {
                    wires
                        .iter()
                        .find(|w| normalized_status(w) == Some(normalized))
                        .cloned()
                };
                if let Some(wire) = wire {
                    values.insert(normalized.into(), json!(wire));
                }
            }
            guesses.push(format!(
                "status filter: the server's `{name}` query for {} status(es) and `Unknown(s)`; the others on the stream",
                values.len()
            ));
            task.insert(
                "status_filter".into(),
                json!({"param": name, "values": values}),
            );
        }
    } else {
        guesses.push("status filter: on the stream (no status query parameter)".into());
    }
    (Some(Value::Object(task)), guesses, review)
}

/// The schema of the field at `path` (`name` or `object.name`) among `scopes`.
pub(super) fn field_schema<'a>(
    scopes: &'a [(String, serde_json::Map<String, Value>)],
    path: &str,
) -> Option<&'a Value> {
    scopes
        .iter()
        .rev()
        .find_map(|(prefix, props)| props.get(path.strip_prefix(prefix.as_str())?))
}

/// Not an object nor a list: a field the facade can read as text or a time.
pub(super) fn is_scalar(doc: &Value, schema: &Value) -> bool {
    let s = resolve(doc, schema);
    !matches!(
        s.get("type").and_then(Value::as_str),
        Some("object" | "array")
    ) && s.get("properties").is_none()
}

/// The task's id field, how it was found, and what to check about it.
pub(super) struct IdField {
    path: String,
    why: String,
    review: Option<String>,
}

/// Names that are ids by themselves, then the weaker ones (used only in the item).
pub(super) const ID_NAMES: &[&str] = &[
    "id",
    "uid",
    "gid",
    "_id",
    "sid",
    "uuid",
    "task_id",
    "taskId",
    "identifier",
];

pub(super) const WEAK_ID_NAMES: &[&str] = &["key", "slug", "name"];

/// The id of a listed task, in this order: in the item, a name that is an id by itself
/// (`id`, `uid`, `sid`, ...), then one named after the resource the path lists
/// (`run_id` for `/runs`, `sandboxID` for `/sandboxes`), then `key`, `slug` or `name`;
/// then the same first two one level down, in an object of the item (`metadata.uid`,
/// `execution.workflowId`); last, the item's only field named like an id (`*_id`,
/// `*Id`, `*ID`, `*_sid`), with a review line since it may be another resource's.
pub(super) fn id_field(
    doc: &Value,
    props: &serde_json::Map<String, Value>,
    resource: Option<&str>,
) -> Option<IdField> {
    let is_id = |props: &serde_json::Map<String, Value>, k: &str| {
        let s = resolve(doc, &props[k]);
        is_scalar(doc, s) && s.get("type").and_then(Value::as_str) != Some("boolean")
    };
    let named = |props: &serde_json::Map<String, Value>, names: &[&str]| {
        names
            .iter()
            .find(|n| props.contains_key(**n) && is_id(props, n))
            .map(|n| n.to_string())
    };
    // A field `<resource>_id` (or whose stem ends with the resource, `pipeline_run_id`).
    let of_resource = |props: &serde_json::Map<String, Value>| -> Option<String> {
        let resource = resource?;
        let stems: Vec<(&String, String)> = props
            .keys()
            .filter(|k| is_id(props, k))
            .filter_map(|k| Some((k, id_stem(k)?)))
            .filter(|(_, stem)| !stem.is_empty())
            .collect();
        stems
            .iter()
            .find(|(_, stem)| stem == resource)
            .or_else(|| stems.iter().find(|(_, stem)| stem.ends_with(resource)))
            .map(|(k, _)| k.to_string())
    };
    let resource_why = |field: &str| {
        format!(
            "named after the resource the path lists (`{}`)",
            resource.unwrap_or_default()
        ) + if field.contains('.') {
            ", in an object of the item"
        } else {
            ""
        }
    };
    if let Some(field) = named(props, ID_NAMES) {
        return Some(IdField {
            path: field,
            why: "a name that is an id".into(),
            review: None,
        });
    }
    if let Some(field) = of_resource(props) {
        let why = resource_why(&field);
        return Some(IdField {
            path: field,
            why,
            review: None,
        });
    }
    if let Some(field) = named(props, WEAK_ID_NAMES) {
        return Some(IdField {
            path: field,
            why: "no field is named like an id; this one often is".into(),
            review: None,
        });
    }
    let objects: Vec<(&String, serde_json::Map<String, Value>)> = props
        .iter()
        .filter(|(_, schema)| !is_scalar(doc, schema))
        .map(|(k, schema)| (k, properties(doc, schema)))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let in_object = |find: &dyn Fn(&serde_json::Map<String, Value>) -> Option<String>| {
        objects
            .iter()
            .find_map(|(object, p)| Some(format!("{object}.{}", find(p)?)))
    };
    if let Some(path) = in_object(&|p| named(p, ID_NAMES)) {
        let object = path.split('.').next().unwrap_or_default();
        return Some(IdField {
            why: format!("a name that is an id, in the item's `{object}`"),
            path,
            review: None,
        });
    }
    if let Some(path) = in_object(&of_resource) {
        return Some(IdField {
            why: resource_why(&path),
            path,
            review: None,
        });
    }
    let like_ids: Vec<&String> = props
        .keys()
        .filter(|k| is_id(props, k) && id_stem(k).is_some_and(|s| !s.is_empty()))
        .collect();
    match like_ids[..] {
        [only] => Some(IdField {
            path: only.clone(),
            why: "the only field named like an id".into(),
            review: Some(format!(
                "x-task: the id `{only}` is the only field named like an id, but not after the \
                 resource the path lists: check it is the task's own id, not another resource's"
            )),
        }),
        _ => None,
    }
}

/// The words of a field name: `sandboxID` → sandbox, id; `run_id` → run, id;
/// `HTTPServerId` → http, server, id.
pub(super) fn words(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            continue;
        }
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1);
        let boundary = c.is_ascii_uppercase()
            && prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
            });
        if boundary && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// What a field named like an id identifies: `run_id` → `run`, `sandboxID` → `sandbox`,
/// `account_sid` → `account`, `id` → ``; `None` when the name does not end in an id word.
pub(super) fn id_stem(name: &str) -> Option<String> {
    let mut words = words(name);
    let last = words.pop()?;
    ["id", "sid", "uid", "uuid", "gid"]
        .contains(&last.as_str())
        .then(|| words.concat())
}

/// The resource the path lists, singular: `/v2/sandboxes` → `sandbox`,
/// `/api/v1/workflows/{namespace}` → `workflow`, `/Tasks` → `task`.
pub(super) fn resource(path: &str) -> Option<String> {
    let last = path
        .split('/')
        .rfind(|s| !s.is_empty() && !s.starts_with('{'))?;
    let word: String = words(last).concat();
    let singular = if let Some(stem) = word.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["sses", "shes", "ches", "xes", "zes"]
        .iter()
        .any(|end| word.ends_with(end))
    {
        word[..word.len() - 2].to_owned()
    } else if let Some(stem) = word.strip_suffix('s').filter(|_| !word.ends_with("ss")) {
        stem.to_owned()
    } else {
        word
    };
    (!singular.is_empty()).then_some(singular)
}

/// A schema's properties, with those of its `allOf` members (resolved) merged in
/// ([`crate::document::schema::object_parts`]).
pub(super) fn properties(doc: &Value, schema: &Value) -> serde_json::Map<String, Value> {
    crate::document::schema::object_parts(doc, schema)
        .0
        .into_iter()
        .map(|(name, property)| (name.to_owned(), property.clone()))
        .collect()
}

//! What `cargo xtask add-provider` guesses from a published document before any overlay
//! exists: the operation that lists tasks, how it pages ([`crate::model::detect`]), the
//! task's id/name/status/time fields, the status mapping and filter, the display title.
//! Each guess comes with why, for the starter overlay's comments and the review list.

use serde_json::{Value, json};

use crate::document;
use crate::document::providers::ProviderInfo;
use crate::document::schema::resolve;
use crate::model;
use crate::model::task::NORMALIZED;

/// What `add-provider` found in a document, each with why.
#[derive(Debug)]
pub struct Detection {
    pub title: String,
    /// (path, method) of the operation that lists tasks; `None` when none was
    /// recognized (the provider is added without the facade's task mapping).
    pub list_operation: Option<(String, String)>,
    /// The `x-pagination` to declare, or `None` when the operation is not paged.
    pub pagination: Option<Value>,
    /// The `x-task` to declare; `None` when no task id was recognized (the overlay then
    /// has it as commented lines to fill in).
    pub x_task: Option<Value>,
    /// Comment lines, one per guess, written above the overlay actions and printed.
    pub guesses: Vec<String>,
    /// What a maintainer should check before committing.
    pub review: Vec<String>,
    /// Fields of the guessed `x-task` that regen refused: left out of it, and written
    /// in the overlay as comments (`add-provider` fills this in).
    pub dropped: Vec<Dropped>,
}

/// One field of a guessed `x-task` left out, with the error that refused it.
#[derive(Clone, Debug, PartialEq)]
pub struct Dropped {
    /// The `x-task` key (`created_at`), and the value left out (`created_at`, or one
    /// path of `updated_at`).
    pub key: String,
    pub value: Value,
    /// Regen's error line.
    pub why: String,
}

/// Everything add-provider guesses from `doc`, on the normalized document (so 3.1,
/// `$ref`s and missing operationIds look like what the generator sees).
pub fn detect(
    name: &str,
    spec_file: &str,
    doc: Value,
    operation: Option<&str>,
) -> Result<Detection, String> {
    let prepared = model::prepare_doc(name, spec_file.to_owned(), doc, None)?;
    let doc = &prepared.doc;
    let mut guesses = Vec::new();
    let mut review = Vec::new();

    let title = title(doc, name);
    guesses.push(format!("title `{title}`, from `info.title`"));

    let (path, method, why) = match list_operation(doc, operation) {
        Ok(found) => found,
        Err(why) if operation.is_none() => {
            review.push(format!(
                "no task list: {why}. The provider is added without the facade's task mapping; \
                 to list its tasks, set `x-task` on the operation that lists them (the overlay \
                 has a template) or run add-provider again with --operation"
            ));
            return Ok(Detection {
                title,
                list_operation: None,
                pagination: None,
                x_task: None,
                guesses,
                review,
                dropped: Vec::new(),
            });
        }
        Err(why) => return Err(why),
    };
    guesses.push(format!(
        "the tasks are listed by `{} {path}`: {why}",
        method.to_uppercase()
    ));
    let op = &doc["paths"][&path][&method];

    let facts = prepared
        .operations
        .iter()
        .find(|f| f.at == format!("$.paths{}.{method}", document::segment(&path)));
    let pagination = facts.and_then(|f| f.pagination.clone());
    let detected = facts.is_some_and(|f| f.pagination_detected);
    let items_field = match &pagination {
        Some(p) => {
            guesses.push(format!("pages: {}", model_pagination_line(p)));
            // Why detection chose each key, in its words.
            let why = document::operations(doc)
                .iter()
                .find(|o| o.path == path && o.method == method)
                .and_then(|o| crate::model::detect::detect(doc, o))
                .filter(|_| detected)
                .map(|d| d.guesses)
                .unwrap_or_default();
            guesses.extend(why.into_iter().map(|g| format!("  {g}")));
            p.get("items").and_then(Value::as_str).map(str::to_owned)
        }
        None => None,
    };
    let body_is_array = success_schema(doc, op)
        .and_then(|b| b.get("type"))
        .and_then(Value::as_str)
        == Some("array");
    let (items_field, pagination) = match (items_field, pagination) {
        (Some(items), pagination) => (Some(items), pagination),
        // A stream over a body that is the array itself.
        (None, Some(p)) => (None, Some(p)),
        (None, None) => {
            let items = items_field_of(doc, op);
            if items.is_none() && !body_is_array {
                review.push(format!(
                    "no task list: `{} {path}` returns no list (an array, or an object with one). \
                     The provider is added without the facade's task mapping; pass --operation \
                     or set `x-task` on the operation that lists the tasks",
                    method.to_uppercase()
                ));
                return Ok(Detection {
                    title,
                    list_operation: None,
                    pagination: None,
                    x_task: None,
                    guesses,
                    review,
                    dropped: Vec::new(),
                });
            }
            let place = items
                .as_deref()
                .map_or("the body".into(), |i| format!("`{i}`"));
            guesses.push(format!(
                "one page: no cursor, page or offset parameter was recognized; the tasks are {place}"
            ));
            review.push(
                "pagination: the list is read as a single page; declare `x-pagination` if it pages"
                    .into(),
            );
            let mut none = json!({"style": "none"});
            if let Some(items) = &items {
                none["items"] = json!(items);
            }
            (items, Some(none))
        }
    };

    let item = item_schema(doc, op, items_field.as_deref());
    let (x_task, task_guesses, task_review) = x_task(doc, &path, op, item.as_ref());
    guesses.extend(task_guesses);
    review.extend(task_review);
    Ok(Detection {
        title,
        list_operation: Some((path, method)),
        pagination,
        x_task,
        guesses,
        review,
        dropped: Vec::new(),
    })
}

fn model_pagination_line(p: &Value) -> String {
    let mut parts = vec![format!("style `{}`", p["style"].as_str().unwrap_or("?"))];
    if let Value::Object(map) = p {
        for (k, v) in map.iter().filter(|(k, _)| k.as_str() != "style") {
            match v {
                Value::String(s) => parts.push(format!("{k} `{s}`")),
                other => parts.push(format!("{k} {other}")),
            }
        }
    }
    parts.join(", ")
}

/// `info.title` without a trailing "API".
fn title(doc: &Value, name: &str) -> String {
    let raw = doc
        .pointer("/info/title")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut words: Vec<&str> = raw.split_whitespace().collect();
    while let Some(last) = words.last() {
        let l = last.to_lowercase();
        if [
            "api",
            "apis",
            "rest",
            "public",
            "openapi",
            "reference",
            "v1",
            "v2",
            "v3",
        ]
        .contains(&l.as_str())
        {
            words.pop();
        } else {
            break;
        }
    }
    let title = words.join(" ");
    if title.is_empty() {
        ProviderInfo::from_doc(name, &json!({}))
            .map(|i| i.title)
            .unwrap_or_else(|_| name.to_owned())
    } else {
        title
    }
}

/// The GET operation that lists tasks: `--operation` if given, else the best-scored one.
fn list_operation(doc: &Value, wanted: Option<&str>) -> Result<(String, String, String), String> {
    let ops = document::operations(doc);
    if let Some(wanted) = wanted {
        let (method, path) = wanted
            .split_once(' ')
            .map(|(m, p)| (m.to_lowercase(), p.to_owned()))
            .unwrap_or_default();
        return ops
            .iter()
            .find(|op| {
                (op.method == method && op.path == path)
                    || op.op.get("operationId").and_then(Value::as_str) == Some(wanted)
            })
            .map(|op| {
                (
                    op.path.to_owned(),
                    op.method.to_owned(),
                    "given by --operation".to_owned(),
                )
            })
            .ok_or_else(|| {
                format!("--operation {wanted}: no such operation (`GET /path` or an operationId)")
            });
    }
    let mut best: Option<(i32, String, String, String)> = None;
    for op in ops.iter().filter(|op| op.method == "get") {
        let is_array = success_schema(doc, op.op)
            .and_then(|b| b.get("type"))
            .and_then(Value::as_str)
            == Some("array");
        if items_field_of(doc, op.op).is_none() && !is_array {
            continue;
        }
        let segments: Vec<&str> = op.path.split('/').filter(|s| !s.is_empty()).collect();
        let last = segments.last().copied().unwrap_or_default().to_lowercase();
        let id = op
            .op
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_lowercase();
        let mut score = 0;
        let mut why = Vec::new();
        if last == "tasks" {
            score += 10;
            why.push("its path ends in `/tasks`".to_owned());
        } else if last.contains("task") {
            score += 6;
            why.push(format!("its path ends in `{last}`"));
        } else if op.path.to_lowercase().contains("task") {
            score += 3;
            why.push("its path names tasks".to_owned());
        }
        if id.contains("task") && (id.contains("list") || id.contains("get") || id.contains("all"))
        {
            score += 4;
            why.push(format!("its operationId is `{id}`"));
        }
        if score == 0 {
            continue;
        }
        // A top-level collection beats a nested one.
        score -= segments.iter().filter(|s| s.starts_with('{')).count() as i32 * 3;
        score -= segments.len() as i32 / 3;
        why.push("it returns a list".into());
        if best.as_ref().is_none_or(|(s, ..)| score > *s) {
            best = Some((
                score,
                op.path.to_owned(),
                op.method.to_owned(),
                why.join(", "),
            ));
        }
    }
    best.map(|(_, path, method, why)| (path, method, why)).ok_or_else(|| {
        "no GET operation that lists tasks was found (a path or operationId naming tasks, returning a list); pass --operation \"GET /path\"".into()
    })
}

fn success_schema<'a>(doc: &'a Value, op: &'a Value) -> Option<&'a Value> {
    let responses = op.get("responses")?.as_object()?;
    let (_, response) = responses.iter().find(|(code, _)| code.starts_with('2'))?;
    let response = resolve(doc, response);
    let content = response.get("content")?.as_object()?;
    let schema = content
        .iter()
        .find(|(t, _)| t.contains("json"))
        .map(|(_, c)| c.get("schema"))??;
    Some(resolve(doc, schema))
}

/// The field of the success body that holds the list.
fn items_field_of(doc: &Value, op: &Value) -> Option<String> {
    let body = success_schema(doc, op)?;
    let props = body.get("properties")?.as_object()?;
    let arrays: Vec<&String> = props
        .iter()
        .filter(|(_, s)| resolve(doc, s).get("type").and_then(Value::as_str) == Some("array"))
        .map(|(k, _)| k)
        .collect();
    const NAMES: &[&str] = &[
        "tasks", "data", "items", "results", "records", "entries", "list", "values", "content",
        "nodes",
    ];
    NAMES
        .iter()
        .find_map(|n| arrays.iter().find(|a| a.as_str() == *n))
        .or_else(|| (arrays.len() == 1).then(|| &arrays[0]))
        .map(|s| s.to_string())
}

/// The schema of one listed task: the elements of the array at the dotted path `items`
/// of the success body, or of the body itself.
fn item_schema(doc: &Value, op: &Value, items: Option<&str>) -> Option<Value> {
    let mut list = success_schema(doc, op)?;
    for segment in items.into_iter().flat_map(|i| i.split('.')) {
        list = resolve(doc, list.get("properties")?.get(segment)?);
    }
    Some(resolve(doc, list.get("items")?).clone())
}

/// The statuses a word means: `in_progress` → Running.
fn normalized_status(wire: &str) -> Option<&'static str> {
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

fn enum_values(doc: &Value, schema: &Value) -> Vec<String> {
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
fn x_task(
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
fn field_schema<'a>(
    scopes: &'a [(String, serde_json::Map<String, Value>)],
    path: &str,
) -> Option<&'a Value> {
    scopes
        .iter()
        .rev()
        .find_map(|(prefix, props)| props.get(path.strip_prefix(prefix.as_str())?))
}

/// Not an object nor a list: a field the facade can read as text or a time.
fn is_scalar(doc: &Value, schema: &Value) -> bool {
    let s = resolve(doc, schema);
    !matches!(
        s.get("type").and_then(Value::as_str),
        Some("object" | "array")
    ) && s.get("properties").is_none()
}

/// The task's id field, how it was found, and what to check about it.
struct IdField {
    path: String,
    why: String,
    review: Option<String>,
}

/// Names that are ids by themselves, then the weaker ones (used only in the item).
const ID_NAMES: &[&str] = &[
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
const WEAK_ID_NAMES: &[&str] = &["key", "slug", "name"];

/// The id of a listed task, in this order: in the item, a name that is an id by itself
/// (`id`, `uid`, `sid`, ...), then one named after the resource the path lists
/// (`run_id` for `/runs`, `sandboxID` for `/sandboxes`), then `key`, `slug` or `name`;
/// then the same first two one level down, in an object of the item (`metadata.uid`,
/// `execution.workflowId`); last, the item's only field named like an id (`*_id`,
/// `*Id`, `*ID`, `*_sid`), with a review line since it may be another resource's.
fn id_field(
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
fn words(name: &str) -> Vec<String> {
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
fn id_stem(name: &str) -> Option<String> {
    let mut words = words(name);
    let last = words.pop()?;
    ["id", "sid", "uid", "uuid", "gid"]
        .contains(&last.as_str())
        .then(|| words.concat())
}

/// The resource the path lists, singular: `/v2/sandboxes` → `sandbox`,
/// `/api/v1/workflows/{namespace}` → `workflow`, `/Tasks` → `task`.
fn resource(path: &str) -> Option<String> {
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
fn properties(doc: &Value, schema: &Value) -> serde_json::Map<String, Value> {
    crate::document::schema::object_parts(doc, schema)
        .0
        .into_iter()
        .map(|(name, property)| (name.to_owned(), property.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(paths: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "Acme API", "version": "1"},
            "paths": paths,
            "components": {"schemas": {"ObjectMeta": {"type": "object", "properties": {
                "creationTimestamp": {"type": "string", "format": "date-time"},
                "name": {"type": "string"},
                "namespace": {"type": "string"},
                "uid": {"type": "string"}
            }}}}
        })
    }

    /// Unrecognized things are review items, never values: no id field (or none at
    /// all), no task list.
    #[test]
    fn what_is_not_recognized_is_left_out_and_said() {
        let list = |item: Value| {
            doc(
                json!({"/tasks": {"get": {"operationId": "listTasks", "responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"type": "array", "items": item}}}
                }}}}}),
            )
        };
        let no_id = list(
            json!({"type": "object", "properties": {"foo": {"type": "string"}, "bar": {"type": "integer"}}}),
        );
        let d = detect("acme", "acme.yaml", no_id, None).unwrap();
        assert_eq!(
            d.list_operation,
            Some(("/tasks".to_owned(), "get".to_owned()))
        );
        assert_eq!(d.x_task, None);
        assert!(
            d.review.iter().any(
                |r| r.contains("no id field was recognized among the task's fields (foo, bar)")
            ),
            "{:?}",
            d.review
        );
        let untyped = list(json!({}));
        let d = detect("acme", "acme.yaml", untyped, None).unwrap();
        assert_eq!(d.x_task, None);
        assert!(
            d.review.iter().any(|r| r.contains("no properties")),
            "{:?}",
            d.review
        );

        let no_list = doc(
            json!({"/health": {"get": {"operationId": "health", "responses": {"200": {"description": "ok"}}}}}),
        );
        let d = detect("acme", "acme.yaml", no_list, None).unwrap();
        assert_eq!(
            (d.list_operation, d.pagination, d.x_task),
            (None, None, None)
        );
        assert!(
            d.review.iter().any(|r| r.starts_with("no task list: ")),
            "{:?}",
            d.review
        );
        // A wrong --operation is the user's, not a guess.
        let no_list = doc(
            json!({"/health": {"get": {"operationId": "health", "responses": {"200": {"description": "ok"}}}}}),
        );
        assert!(detect("acme", "acme.yaml", no_list, Some("GET /nope")).is_err());
    }

    /// The x-task guessed for items of `item` listed by `GET path` (an array body).
    fn guessed(path: &str, item: Value) -> Detection {
        let doc = doc(
            json!({path: {"get": {"operationId": "listThings", "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"type": "array", "items": item}}}
            }}}}}),
        );
        detect("acme", "acme.yaml", doc, Some(&format!("GET {path}"))).unwrap()
    }

    fn object(props: Value) -> Value {
        json!({"type": "object", "properties": props})
    }

    #[test]
    fn field_names_split_into_words_and_ids_into_their_stem() {
        assert_eq!(words("sandboxID"), ["sandbox", "id"]);
        assert_eq!(words("HTTPServerId"), ["http", "server", "id"]);
        assert_eq!(words("pipeline_version-id"), ["pipeline", "version", "id"]);
        assert_eq!(id_stem("run_id").as_deref(), Some("run"));
        assert_eq!(id_stem("workflowId").as_deref(), Some("workflow"));
        assert_eq!(id_stem("account_sid").as_deref(), Some("account"));
        assert_eq!(id_stem("ID").as_deref(), Some(""));
        assert_eq!(id_stem("paid"), None);
        assert_eq!(id_stem("valid"), None);
        assert_eq!(resource("/v2/sandboxes").as_deref(), Some("sandbox"));
        assert_eq!(
            resource("/api/v1/workflows/{namespace}").as_deref(),
            Some("workflow")
        );
        assert_eq!(
            resource("/v1/Workspaces/{WorkspaceSid}/Tasks").as_deref(),
            Some("task")
        );
        assert_eq!(resource("/batches").as_deref(), Some("batch"));
        assert_eq!(resource("/policies").as_deref(), Some("policy"));
        assert_eq!(resource("/{id}"), None);
    }

    /// Ids as the second test bed's documents name them: `sid` (Twilio), the resource's
    /// id among others' (`run_id` for `/runs`: Kubeflow; `sandboxID`: E2B), one level
    /// down (`metadata.uid`: Argo; `execution.workflowId`: Temporal).
    #[test]
    fn ids_are_found_by_name_by_resource_and_one_level_down() {
        let x_task = |path: &str, item: Value| guessed(path, item).x_task.unwrap();
        let id = |path: &str, item: Value| x_task(path, item)["id"].clone();
        assert_eq!(
            id(
                "/Tasks",
                object(json!({"account_sid": {"type": "string"}, "sid": {"type": "string"}}))
            ),
            "sid"
        );
        assert_eq!(
            id(
                "/apis/v2beta1/runs",
                object(json!({
                    "experiment_id": {"type": "string"}, "recurring_run_id": {"type": "string"},
                    "run_id": {"type": "string"}
                }))
            ),
            "run_id"
        );
        assert_eq!(
            id(
                "/v2/sandboxes",
                object(json!({"templateID": {"type": "string"}, "sandboxID": {"type": "string"}}))
            ),
            "sandboxID"
        );
        // Kubernetes' metadata: the id, and the name and creation time beside it.
        let argo = x_task(
            "/api/v1/workflows/{namespace}",
            object(json!({
                "kind": {"type": "string"},
                "metadata": {"$ref": "#/components/schemas/ObjectMeta"},
                "spec": object(json!({"entrypoint": {"type": "string"}}))
            })),
        );
        assert_eq!(argo["id"], "metadata.uid");
        assert_eq!(argo["name"], "metadata.name");
        assert_eq!(argo["created_at"], "metadata.creationTimestamp");
        // Temporal: `execution` comes before the parent's execution; a top-level status.
        let temporal = x_task(
            "/api/v1/namespaces/{namespace}/workflows",
            object(json!({
                "execution": object(json!({"workflowId": {"type": "string"}, "runId": {"type": "string"}})),
                "type": object(json!({"name": {"type": "string"}})),
                "parentNamespaceId": {"type": "string"},
                "assignedBuildId": {"type": "string"},
                "parentExecution": object(json!({"workflowId": {"type": "string"}})),
                "status": {"type": "string", "enum": ["RUNNING", "COMPLETED"]}
            })),
        );
        assert_eq!(temporal["id"], "execution.workflowId");
        assert_eq!(temporal["status"], "status");
        assert!(temporal.get("name").is_none(), "{temporal}");
        let d = guessed(
            "/api/v1/namespaces/{namespace}/workflows",
            object(json!({"execution": object(json!({"workflowId": {"type": "string"}}))})),
        );
        assert!(
            d.guesses.iter().any(|g| g
                == "task id: `execution.workflowId`, named after the resource the path lists (`workflow`), in an object of the item"),
            "{:?}",
            d.guesses
        );
    }

    /// A field named like an id but after another resource is taken only when it is
    /// the only one, and said; a boolean is never an id.
    #[test]
    fn another_resources_id_is_taken_alone_and_said() {
        let d = guessed(
            "/jobs",
            object(json!({"project_id": {"type": "string"}, "paid": {"type": "boolean"}})),
        );
        assert_eq!(d.x_task.unwrap()["id"], "project_id");
        assert!(
            d.review
                .iter()
                .any(|r| r.contains("the id `project_id` is the only field named like an id")),
            "{:?}",
            d.review
        );
        let d = guessed(
            "/jobs",
            object(json!({"project_id": {"type": "string"}, "owner_id": {"type": "string"}})),
        );
        assert_eq!(d.x_task, None);
        let d = guessed(
            "/jobs",
            object(json!({"is_valid": {"type": "boolean"}, "paidId": {"type": "boolean"}})),
        );
        assert_eq!(d.x_task, None);
    }

    #[test]
    fn statuses_are_mapped_by_their_words() {
        assert_eq!(normalized_status("IN_PROGRESS"), Some("Running"));
        assert_eq!(normalized_status("Canceled"), Some("Cancelled"));
        assert_eq!(normalized_status("awaiting-input"), Some("WaitingForInput"));
        assert_eq!(normalized_status("learning"), None);
    }

    #[test]
    fn titles_drop_a_trailing_api() {
        assert_eq!(
            title(&json!({"info": {"title": "Acme Tasks API"}}), "acme"),
            "Acme Tasks"
        );
        assert_eq!(title(&json!({"info": {"title": "API"}}), "acme"), "Acme");
    }

    #[test]
    fn the_list_operation_and_the_task_fields_are_detected_by_their_names() {
        let root = crate::workspace::root().unwrap();
        let doc = crate::document::load(&root.join("xtask/fixtures/acme_tasks.yaml")).unwrap();
        let d = detect("acme", "acme.yaml", doc, None).unwrap();
        assert_eq!(d.title, "Acme Tasks");
        assert_eq!(
            d.list_operation,
            Some(("/v2/tasks".to_owned(), "get".to_owned()))
        );
        assert_eq!(
            d.x_task.unwrap(),
            json!({
                "id": "taskId", "name": "title", "created_at": "createdAt",
                "updated_at": ["updatedAt"], "status": "state",
                "statuses": {"pending": "Queued", "in_progress": "Running", "done": "Succeeded", "failed": "Failed", "canceled": "Cancelled"},
                "status_filter": {"param": "status", "values": {"Queued": "pending", "Running": "in_progress", "Succeeded": "done", "Failed": "failed", "Cancelled": "canceled"}}
            })
        );
        assert!(
            d.review
                .iter()
                .any(|r| r.contains("`archived` stay `Unknown(s)`")),
            "{:?}",
            d.review
        );
        let err = detect(
            "acme",
            "acme.yaml",
            crate::document::load(&root.join("xtask/fixtures/acme_tasks.yaml")).unwrap(),
            Some("GET /nope"),
        )
        .unwrap_err();
        assert!(
            err.starts_with("--operation GET /nope: no such operation"),
            "{err}"
        );
    }
    #[test]
    fn task_fields_are_found_through_all_of_members() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "Asana", "version": "1"},
            "servers": [{"url": "https://app.asana.test/api/1.0"}],
            "paths": {"/tasks": {"get": {"operationId": "getTasks", "responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/TaskCompact"}}
                }}}}
            }}}}},
            "components": {"schemas": {
                "Resource": {"type": "object", "properties": {"gid": {"type": "string", "readOnly": true}}},
                "TaskCompact": {"allOf": [
                    {"$ref": "#/components/schemas/Resource"},
                    {"type": "object", "properties": {"name": {"type": "string"}}}
                ]}
            }}
        });
        let d = detect("asana", "asana.json", doc, None).unwrap();
        assert_eq!(d.x_task, Some(json!({"id": "gid", "name": "name"})));
        assert_eq!(
            d.pagination,
            Some(json!({"style": "none", "items": "data"}))
        );
    }
    #[test]
    fn a_body_that_is_the_array_itself_is_a_list() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "Jobs API", "version": "1"},
            "paths": {"/jobs/tasks": {"get": {"responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"uuid": {"type": "string"}, "state": {"type": "string", "enum": ["queued", "ok", "cancelled"]}}
                }}}}
            }}}}}
        });
        let d = detect("jobs", "jobs.json", doc, None).unwrap();
        assert_eq!(
            d.list_operation,
            Some(("/jobs/tasks".to_owned(), "get".to_owned()))
        );
        assert_eq!(d.pagination, Some(json!({"style": "none"})));
        assert_eq!(
            d.x_task,
            Some(
                json!({"id": "uuid", "status": "state", "statuses": {"queued": "Queued", "cancelled": "Cancelled"}})
            )
        );
        assert!(
            d.review
                .iter()
                .any(|r| r.contains("`ok` stay `Unknown(s)`")),
            "{:?}",
            d.review
        );
    }
}

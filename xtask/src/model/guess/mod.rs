//! What `cargo xtask add-provider` guesses from a published document before any overlay
//! exists: the operation that lists tasks, how it pages ([`crate::model::detect`]), the
//! task's id/name/status/time fields, the status mapping and filter, the display title.
//! Each guess comes with why, for the starter overlay's comments and the review list.

mod fields;

use serde_json::{Value, json};

use crate::document;
use crate::document::providers::ProviderInfo;
use crate::document::schema::resolve;
use crate::model;

use fields::x_task;

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

#[cfg(test)]
mod tests {
    use super::fields::{id_stem, normalized_status, resource, words};
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

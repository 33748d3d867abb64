//! The unified model: every provider's tasks as `tasks_sdk::Task`, the status filter,
//! and `list_all` across providers with failures.

use std::collections::BTreeMap;

use futures::StreamExt;
use serde_json::json;
use tasks_sdk::core::{ClientBuilder, Error, RetryPolicy};
use tasks_sdk::{
    ProviderError, SourceOptions, Sources, Task, TaskFilter, TaskSource, TaskStatus, list_all,
};
use tasks_sdk::{aether, deck, enkrypt, promptloop, twill};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, json};

fn builder<C>(server: &MockServer) -> ClientBuilder<C> {
    ClientBuilder::new()
        .api_key(API_KEY)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::disabled())
}

async fn serve(body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(json(200, body))
        .mount(&server)
        .await;
    server
}

async fn collect(source: &dyn TaskSource, filter: &TaskFilter) -> Vec<Task> {
    source.tasks(filter).map(Result::unwrap).collect().await
}

fn aether_task(id: &str, status: &str) -> serde_json::Value {
    json!({"id": id, "name": "Add login", "status": status, "created_at": "2025-01-15T10:30:00Z",
           "started_at": "2025-01-15T10:31:00Z", "completed_at": null})
}

#[tokio::test]
async fn aether_statuses_map_and_the_filter_goes_to_the_server() {
    let id = |i: usize| format!("00000000-0000-0000-0000-00000000000{i}");
    let statuses = [
        "queued",
        "provisioning",
        "running",
        "awaiting_input",
        "failed",
        "aborted",
    ];
    let body = json!({"tasks": statuses.iter().enumerate().map(|(i, s)| aether_task(&id(i), s)).collect::<Vec<_>>()});
    let server = serve(body).await;
    let client: aether::Client = builder(&server).build().unwrap();

    let tasks = collect(
        &client,
        &TaskFilter::new().status(TaskStatus::WaitingForInput),
    )
    .await;

    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.query(), Some("status=awaiting_input"));
    let got: Vec<TaskStatus> = tasks.iter().map(|t| t.status.clone()).collect();
    use TaskStatus::*;
    assert_eq!(
        got,
        [Queued, Queued, Running, WaitingForInput, Failed, Cancelled],
        "the server filtered, not us"
    );
    let first = &tasks[0];
    assert_eq!(
        (first.provider, first.id.as_str()),
        ("aether", id(0).as_str())
    );
    assert_eq!(first.name.as_deref(), Some("Add login"));
    assert_eq!(
        first.created_at.unwrap().to_rfc3339(),
        "2025-01-15T10:30:00+00:00"
    );
    assert_eq!(
        first.updated_at.unwrap().to_rfc3339(),
        "2025-01-15T10:31:00+00:00"
    );
    assert_eq!(first.raw["status"], "queued");
}

#[tokio::test]
async fn twill_statuses_map_and_the_filter_applies_to_the_stream() {
    let task = |id: &str, status: serde_json::Value| {
        json!({"id": id, "slug": id, "title": format!("Title {id}"), "url": "u", "repositoryUrl": "r",
               "createdAt": "2025-05-01T12:00:00Z", "latestJobStatus": status, "pr": null})
    };
    let body = json!({"tasks": [
        task("a", json!("PENDING")), task("b", json!("IN_PROGRESS")), task("c", json!("COMPLETED")),
        task("d", json!("FAILED")), task("e", json!("CANCELLED")), task("f", json!(null)), task("g", json!("PAUSED")),
        task("h", json!("COMPLETED"))
    ], "nextCursor": null});
    let server = serve(body).await;
    let client: twill::Client = builder(&server).build().unwrap();

    let all = collect(&client, &TaskFilter::new().page_size(50)).await;
    let completed = collect(&client, &TaskFilter::new().status(TaskStatus::Succeeded)).await;

    let statuses: BTreeMap<String, String> = all
        .iter()
        .map(|t| (t.id.clone(), t.status.to_string()))
        .collect();
    let expected = [
        ("a", "queued"),
        ("b", "running"),
        ("c", "succeeded"),
        ("d", "failed"),
        ("e", "cancelled"),
        ("f", ""),
        ("g", "PAUSED"),
        ("h", "succeeded"),
    ];
    assert_eq!(
        statuses,
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    );
    assert_eq!(all[0].name.as_deref(), Some("Title a"));
    assert_eq!(
        completed.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["c", "h"]
    );
    let first_query = server.received_requests().await.unwrap()[0]
        .url
        .query()
        .map(str::to_owned);
    assert_eq!(first_query.as_deref(), Some("limit=50"));
}

#[tokio::test]
async fn enkrypt_names_take_the_status_of_the_filter() {
    let body = json!({"datasets": ["Election", "Healthcare"], "pagination": {"page": 1, "has_next": false}});
    let server = serve(body).await;
    let client: enkrypt::Client = builder(&server).build().unwrap();

    let finished = collect(
        &client,
        &TaskFilter::new()
            .status(TaskStatus::Succeeded)
            .page_size(25),
    )
    .await;
    let unfiltered = collect(&client, &TaskFilter::new()).await;
    let waiting = collect(
        &client,
        &TaskFilter::new().status(TaskStatus::WaitingForInput),
    )
    .await;

    let queries: Vec<Option<String>> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().map(str::to_owned))
        .collect();
    assert_eq!(
        queries,
        [
            Some("page=1&per_page=25&status=Finished".to_owned()),
            Some("page=1".to_owned())
        ]
    );
    assert_eq!(finished.len(), 2);
    assert_eq!(
        (finished[0].id.as_str(), finished[0].name.as_deref()),
        ("Election", Some("Election"))
    );
    assert_eq!(finished[0].status, TaskStatus::Succeeded);
    assert_eq!(finished[0].raw, json!("Election"));
    assert_eq!(unfiltered[1].status, TaskStatus::Unknown(String::new()));
    assert!(waiting.is_empty(), "Enkrypt has no such status");
}

#[tokio::test]
async fn deck_and_promptloop_fill_what_they_have() {
    let deck_server = serve(json!({"data": [{
        "id": "task_1", "object": "task", "name": "Invoices", "prompt": null, "status": "live",
        "agent_id": "agt_1", "input_schema": null, "output_schema": null, "storage": null,
        "created_at": "2025-03-01T09:30:00Z", "updated_at": "2025-03-02T09:30:00Z", "request_id": "r"
    }], "has_more": false, "next_cursor": null})).await;
    let promptloop_server = serve(json!({"status": "success", "message": "ok", "data": [{
        "id": "pl_1", "name": "Enrich", "description": "d", "created_at": "2024-11-02T15:04:05.000Z",
        "live_version": 1, "max_version": 1, "run_count": 3
    }]})).await;
    let deck: deck::Client = builder(&deck_server).build().unwrap();
    let promptloop: promptloop::Client = builder(&promptloop_server).build().unwrap();

    let deck_tasks = collect(&deck, &TaskFilter::new()).await;
    let live = collect(
        &deck,
        &TaskFilter::new().status(TaskStatus::Unknown("live".into())),
    )
    .await;
    let promptloop_tasks = collect(&promptloop, &TaskFilter::new()).await;

    assert_eq!(deck_tasks[0].status, TaskStatus::Unknown("live".into()));
    assert_eq!(
        deck_tasks[0].updated_at.unwrap().to_rfc3339(),
        "2025-03-02T09:30:00+00:00"
    );
    assert_eq!(live.len(), 1);
    let deck_queries: Vec<_> = deck_server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.query().map(str::to_owned))
        .collect();
    assert_eq!(deck_queries, [None, Some("status=live".to_owned())]);
    let task = &promptloop_tasks[0];
    assert_eq!(
        (task.provider, task.id.as_str(), task.name.as_deref()),
        ("promptloop", "pl_1", Some("Enrich"))
    );
    assert_eq!(task.status, TaskStatus::Unknown(String::new()));
    assert_eq!(
        task.created_at.unwrap().to_rfc3339(),
        "2024-11-02T15:04:05+00:00"
    );
    assert_eq!(task.raw["run_count"], 3.0);
}

#[tokio::test]
async fn list_all_returns_every_other_provider_and_the_failing_ones_errors() {
    let twill_server = serve(json!({"tasks": (0..3).map(|i| json!({
        "id": format!("t{i}"), "slug": "s", "title": "T", "url": "u", "repositoryUrl": "r",
        "createdAt": "2025-05-01T12:00:00Z", "latestJobStatus": "COMPLETED", "pr": null
    })).collect::<Vec<_>>(), "nextCursor": null}))
    .await;
    let enkrypt_server =
        serve(json!({"datasets": ["e0", "e1"], "pagination": {"has_next": false}})).await;
    let deck_server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({"errors": [{"type": "t", "code": "c", "message": "down"}], "request_id": "req_down"})))
        .mount(&deck_server)
        .await;
    let mut sources = Sources::new()
        .with(builder::<twill::Client>(&twill_server).build().unwrap())
        .with(builder::<deck::Client>(&deck_server).build().unwrap())
        .with(builder::<enkrypt::Client>(&enkrypt_server).build().unwrap());
    sources.add_result::<aether::Client>(
        "aether",
        Err(Error::MissingCredentials {
            provider: "aether",
            env_var: "AETHER_TOKEN",
            help: "set AETHER_TOKEN or call .api_key(...)".into(),
        }),
    );

    let results: Vec<Result<Task, ProviderError>> =
        list_all(&sources, &TaskFilter::new()).collect().await;

    let mut ok: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .map(|t| format!("{}:{}", t.provider, t.id))
        .collect();
    ok.sort();
    assert_eq!(
        ok,
        [
            "enkrypt:e0",
            "enkrypt:e1",
            "twill:t0",
            "twill:t1",
            "twill:t2"
        ]
    );
    let mut errors: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(ToString::to_string)
        .collect();
    errors.sort();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("aether: missing credentials for aether: set AETHER_TOKEN"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("deck: server error: deck list_tasks: HTTP 500"),
        "{errors:?}"
    );
    assert!(errors[1].contains("req_down"));
    // Each provider's own order is kept.
    let twill_order: Vec<&str> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter(|t| t.provider == "twill")
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(twill_order, ["t0", "t1", "t2"]);
}

#[tokio::test]
async fn from_env_skips_the_providers_without_a_key() {
    let twill_server = serve(json!({"tasks": [{
        "id": "t0", "slug": "s", "title": "T", "url": "u", "repositoryUrl": "r",
        "createdAt": "2025-05-01T12:00:00Z", "latestJobStatus": "COMPLETED", "pr": null
    }], "nextCursor": null}))
    .await;
    let vars = [
        "PROMPTLOOP_API_KEY",
        "DECK_API_KEY",
        "AETHER_TOKEN",
        "ENKRYPTAI_API_KEY",
        "PROMPTLOOP_BASE_URL",
        "DECK_BASE_URL",
        "AETHER_BASE_URL",
        "ENKRYPTAI_BASE_URL",
    ];
    // SAFETY: the only test of this binary that reads or writes the environment (the
    // others configure every client explicitly), and nothing in this process reads the
    // environment outside Rust's `std::env` (which serialises access).
    unsafe {
        for var in vars {
            std::env::remove_var(var);
        }
        std::env::set_var("TWILL_API_KEY", API_KEY);
        std::env::set_var("TWILL_BASE_URL", twill_server.uri());
    }

    let sources =
        Sources::from_env_with(&SourceOptions::new().retry_policy(RetryPolicy::disabled()));
    let results: Vec<Result<Task, ProviderError>> =
        list_all(&sources, &TaskFilter::new()).collect().await;

    // In the providers' order: their folders' names under specs/, sorted.
    let skipped = [
        ("aether", "AETHER_TOKEN"),
        ("deck", "DECK_API_KEY"),
        ("enkrypt", "ENKRYPTAI_API_KEY"),
        ("promptloop", "PROMPTLOOP_API_KEY"),
    ];
    assert_eq!(sources.skipped(), skipped);
    assert!(sources.unavailable().is_empty(), "{sources:?}");
    let configured: Vec<&str> = sources.configured().map(|s| s.provider().name).collect();
    assert_eq!(configured, ["twill"]);
    let listed: Vec<String> = results
        .into_iter()
        .map(|r| r.map(|t| format!("{}:{}", t.provider, t.id)).unwrap())
        .collect();
    assert_eq!(listed, ["twill:t0"], "no missing-credential errors");
    assert_eq!(Sources::from_env().skipped(), skipped);
}

#[tokio::test]
async fn max_items_counts_tasks_after_the_status_filter() {
    let task = |id: usize, status: &str| {
        json!({
            "id": format!("t{id}"), "slug": "s", "title": "T", "url": "u", "repositoryUrl": "r",
            "createdAt": "2025-05-01T12:00:00Z", "latestJobStatus": status, "pr": null
        })
    };
    let body = json!({"tasks": [task(0, "FAILED"), task(1, "COMPLETED"), task(2, "FAILED"), task(3, "FAILED")], "nextCursor": null});
    let server = serve(body).await;
    let client: twill::Client = builder(&server).build().unwrap();

    let failed = collect(
        &client,
        &TaskFilter::new().status(TaskStatus::Failed).max_items(2),
    )
    .await;

    assert_eq!(
        failed.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        ["t0", "t2"]
    );
}

#[test]
fn statuses_serialize_as_their_normalized_names() {
    let task = Task {
        provider: "twill",
        id: "t".into(),
        name: None,
        status: TaskStatus::WaitingForInput,
        created_at: None,
        updated_at: None,
        raw: json!({}),
    };
    let value = serde_json::to_value(&task).unwrap();
    assert_eq!(
        value,
        json!({"provider": "twill", "id": "t", "name": null, "status": "waiting_for_input", "created_at": null, "updated_at": null, "raw": {}})
    );
    for status in [
        "queued",
        "running",
        "waiting_for_input",
        "succeeded",
        "failed",
        "cancelled",
        "PAUSED",
    ] {
        assert_eq!(TaskStatus::parse(status).as_str(), status);
    }
}

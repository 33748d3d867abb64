//! The unified model: every provider's tasks as `tasks_sdk::Task`, the status filter,
//! and `list_all` across providers with failures.
//!
//! The mapping of each provider's fields and statuses is checked per provider (the
//! tables of `tasks_sdk::sources`); what holds for every provider iterates
//! `tasks_sdk::PROVIDERS`, with a valid page of each spec from `LIST_EXAMPLES`.

use std::collections::BTreeMap;

use futures::StreamExt;
use serde_json::json;
use tasks_sdk::core::Provider;
use tasks_sdk::core::{ClientBuilder, Error, RetryPolicy};
use tasks_sdk::{
    PROVIDERS, ProviderError, SourceOptions, Sources, Task, TaskFilter, TaskSource, TaskStatus,
    list_all,
};
use tasks_sdk::{aether, deck, enkrypt, promptloop, twill};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, env_vars, json, list_example};

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

/// `provider`'s source against `server`, its key given, no retries.
fn source(provider: &str, server: &MockServer) -> Box<dyn TaskSource> {
    let options = SourceOptions::new()
        .api_key(API_KEY)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::disabled());
    tasks_sdk::source_from_env(provider, &options)
        .expect("compiled in")
        .unwrap()
}

/// `provider`'s example page (a valid body of its spec) with `n` items; string items
/// (names) are told apart by a suffix.
fn example_page(provider: &str, n: usize) -> serde_json::Value {
    let example = list_example(provider);
    let item = example.item();
    let items = (0..n)
        .map(|i| match item.as_str() {
            Some(text) => json!(format!("{text}-{i}")),
            None => item.clone(),
        })
        .collect();
    example.with_items(items)
}

#[tokio::test]
async fn every_provider_lists_the_tasks_of_a_valid_page_of_its_spec() {
    for provider in PROVIDERS {
        let server = serve(example_page(provider.name, 3)).await;

        let tasks = collect(source(provider.name, &server).as_ref(), &TaskFilter::new()).await;

        assert_eq!(tasks.len(), 3, "{}: {tasks:?}", provider.name);
        assert!(tasks.iter().all(|t| t.provider == provider.name));
        let sent = server.received_requests().await.unwrap();
        assert_eq!(sent.len(), 1, "{}: one page", provider.name);
    }
}

#[tokio::test]
async fn list_all_returns_every_other_provider_and_the_failing_ones_errors() {
    // The first provider could not be configured, the second fails with a 500, every
    // other one answers a valid page of three tasks.
    let (missing, failing) = (PROVIDERS[0], PROVIDERS[1]);
    let failing_server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(500).insert_header("x-request-id", "req_down"))
        .mount(&failing_server)
        .await;
    let mut sources = Sources::new().with_boxed(source(failing.name, &failing_server));
    let mut servers = Vec::new();
    for provider in &PROVIDERS[2..] {
        let server = serve(example_page(provider.name, 3)).await;
        sources = sources.with_boxed(source(provider.name, &server));
        servers.push(server);
    }
    sources = sources.with_unavailable(
        missing.name,
        Error::MissingCredentials {
            provider: missing.name,
            env_var: missing.api_key_env,
            help: format!("set {} or call .api_key(...)", missing.api_key_env),
        },
    );

    let results: Vec<Result<Task, ProviderError>> =
        list_all(&sources, &TaskFilter::new()).collect().await;

    // Each other provider's tasks, in its own order: what its stream alone yields.
    for (provider, server) in PROVIDERS[2..].iter().zip(&servers) {
        let listed: Vec<&Task> = results
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .filter(|t| t.provider == provider.name)
            .collect();
        let alone = collect(source(provider.name, server).as_ref(), &TaskFilter::new()).await;
        assert_eq!(listed.len(), 3, "{}", provider.name);
        assert_eq!(
            listed,
            alone.iter().collect::<Vec<_>>(),
            "{}",
            provider.name
        );
    }
    let errors: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(ToString::to_string)
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let missing_line = format!(
        "{0}: missing credentials for {0}: set {1}",
        missing.name, missing.api_key_env
    );
    assert!(
        errors.iter().any(|e| e.starts_with(&missing_line)),
        "{missing_line} in {errors:?}"
    );
    let failing_line = format!(
        "{0}: server error: {0} {1}: HTTP 500",
        failing.name,
        list_example(failing.name).method
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(&failing_line) && e.contains("req_down")),
        "{failing_line} in {errors:?}"
    );
}

#[tokio::test]
async fn from_env_skips_the_providers_without_a_key() {
    // Only the first provider has a key (and a local base URL).
    let first = PROVIDERS[0];
    let server = serve(example_page(first.name, 1)).await;
    // SAFETY: the only test of this binary that reads or writes the environment (the
    // others configure every client explicitly), and nothing in this process reads the
    // environment outside Rust's `std::env` (which serialises access).
    unsafe {
        for var in PROVIDERS.iter().flat_map(|p| env_vars(p)) {
            std::env::remove_var(var);
        }
        std::env::set_var(first.api_key_env, API_KEY);
        // Here too (and for a provider that needs no key): nothing leaves 127.0.0.1.
        for provider in PROVIDERS {
            std::env::set_var(provider.base_url_env, server.uri());
        }
    }

    let sources =
        Sources::from_env_with(&SourceOptions::new().retry_policy(RetryPolicy::disabled()));
    let results: Vec<Result<Task, ProviderError>> =
        list_all(&sources, &TaskFilter::new()).collect().await;

    let needs_key =
        |p: &Provider| !p.auth.is_empty() && p.operations.iter().all(|o| o.requires_auth);
    let skipped: Vec<(&str, &str)> = PROVIDERS[1..]
        .iter()
        .filter(|p| needs_key(p))
        .map(|p| (p.name, p.api_key_env))
        .collect();
    assert_eq!(sources.skipped(), skipped);
    assert!(sources.unavailable().is_empty(), "{sources:?}");
    let configured: Vec<&str> = sources.configured().map(|s| s.provider().name).collect();
    assert_eq!(configured[0], first.name);
    assert_eq!(configured.len(), PROVIDERS.len() - skipped.len());
    assert!(
        !results.iter().any(|r| matches!(
            r,
            Err(ProviderError {
                error: Error::MissingCredentials { .. },
                ..
            })
        )),
        "no missing-credential errors: {results:?}"
    );
    let first_listed: Vec<&Task> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter(|t| t.provider == first.name)
        .collect();
    assert_eq!(first_listed.len(), 1, "{results:?}");
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

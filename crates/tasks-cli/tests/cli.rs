//! The built `tasks` binary against local servers: exit codes, output formats (parsed),
//! `--max-items`, `--base-url`, a missing key, and `--provider all` with a failing one.

use std::process::Output;

use assert_cmd::Command;
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers};

const KEY_VARS: [&str; 5] = [
    "PROMPTLOOP_API_KEY",
    "DECK_API_KEY",
    "AETHER_TOKEN",
    "TWILL_API_KEY",
    "ENKRYPTAI_API_KEY",
];
const URL_VARS: [&str; 5] = [
    "PROMPTLOOP_BASE_URL",
    "DECK_BASE_URL",
    "AETHER_BASE_URL",
    "TWILL_BASE_URL",
    "ENKRYPTAI_BASE_URL",
];
const SECRET: &str = "sk_cli_TopSecret";

/// `tasks <args>` with no provider configured except through `env`.
async fn tasks(args: &[&str], env: &[(&str, String)]) -> Output {
    let mut command = Command::cargo_bin("tasks").unwrap();
    for var in KEY_VARS.iter().chain(&URL_VARS) {
        command.env_remove(var);
    }
    command.args(args);
    if args.first() == Some(&"list") {
        // One attempt: the failure cases must not wait for backoff.
        command.args(["--max-attempts", "1"]);
    }
    for (k, v) in env {
        command.env(k, v);
    }
    // Run the blocking child off the runtime that serves the mocks.
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn twill_task(id: &str, status: &str) -> Value {
    json!({"id": id, "slug": id, "title": format!("Fix {id}"), "url": "u", "repositoryUrl": "r",
           "createdAt": "2025-05-01T12:00:00Z", "latestJobStatus": status, "pr": null})
}

async fn serve(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

fn twill_env(server: &MockServer) -> Vec<(&'static str, String)> {
    vec![
        ("TWILL_API_KEY", SECRET.to_owned()),
        ("TWILL_BASE_URL", server.uri()),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn json_output_is_one_array_of_unified_tasks() {
    let server = serve(200, json!({"tasks": [twill_task("a", "IN_PROGRESS"), twill_task("b", "COMPLETED")], "nextCursor": null})).await;

    let output = tasks(
        &[
            "list",
            "--provider",
            "twill",
            "--output",
            "json",
            "--limit",
            "50",
            "--status",
            "running",
        ],
        &twill_env(&server),
    )
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let listed: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1);
    let task = &listed[0];
    assert_eq!(task["provider"], "twill");
    assert_eq!(task["id"], "a");
    assert_eq!(task["name"], "Fix a");
    assert_eq!(task["status"], "running");
    assert_eq!(task["created_at"], "2025-05-01T12:00:00Z");
    assert_eq!(task["raw"]["latestJobStatus"], "IN_PROGRESS");
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.query(), Some("limit=50"));
    assert_eq!(
        request.headers["authorization"],
        format!("Bearer {SECRET}").as_str()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ndjson_and_table_outputs() {
    let server = serve(200, json!({"tasks": [twill_task("a", "FAILED"), twill_task(&"x".repeat(60), "PENDING")], "nextCursor": null})).await;

    let ndjson = tasks(
        &["list", "--provider", "twill", "--output", "ndjson"],
        &twill_env(&server),
    )
    .await;
    let table = tasks(&["list", "--provider", "twill"], &twill_env(&server)).await;

    let lines: Vec<Value> = stdout(&ndjson)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[0]["id"].as_str(), lines[0]["status"].as_str()),
        (Some("a"), Some("failed"))
    );
    let text = stdout(&table);
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0].split_whitespace().collect::<Vec<_>>(),
        ["PROVIDER", "ID", "STATUS", "CREATED", "NAME"]
    );
    assert_eq!(
        rows[1].split_whitespace().collect::<Vec<_>>(),
        ["twill", "a", "failed", "2025-05-01", "12:00", "Fix", "a"]
    );
    assert!(rows.iter().all(|r| r.chars().count() <= 100), "{text}");
    assert!(rows[2].contains('…'), "long ids are cut: {}", rows[2]);
    assert!(
        stderr(&table).is_empty(),
        "no spinner when stderr is not a terminal: {}",
        stderr(&table)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn max_items_stops_the_listing_early() {
    let server = MockServer::start().await;
    let page = |ids: [&str; 2], next: Value| json!({"tasks": [twill_task(ids[0], "PENDING"), twill_task(ids[1], "PENDING")], "nextCursor": next});
    Mock::given(matchers::query_param_is_missing("cursor"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(["a", "b"], json!("n1"))))
        .mount(&server)
        .await;
    Mock::given(matchers::query_param("cursor", "n1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(["c", "d"], json!(null))))
        .mount(&server)
        .await;

    let three = tasks(
        &[
            "list",
            "--provider",
            "twill",
            "--output",
            "ndjson",
            "--max-items",
            "3",
        ],
        &twill_env(&server),
    )
    .await;
    let requests_for_three = server.received_requests().await.unwrap().len();
    let one = tasks(
        &[
            "list",
            "--provider",
            "twill",
            "--output",
            "ndjson",
            "--max-items",
            "1",
        ],
        &twill_env(&server),
    )
    .await;

    assert_eq!(stdout(&three).lines().count(), 3);
    assert_eq!(requests_for_three, 2);
    assert_eq!(stdout(&one).lines().count(), 1);
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        3,
        "one page for one item"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn base_url_flag_wins_over_the_environment() {
    let flagged = serve(
        200,
        json!({"tasks": [twill_task("from_flag", "PENDING")], "nextCursor": null}),
    )
    .await;
    let from_env = serve(
        200,
        json!({"tasks": [twill_task("from_env", "PENDING")], "nextCursor": null}),
    )
    .await;

    let output = tasks(
        &[
            "list",
            "--provider",
            "twill",
            "--output",
            "ndjson",
            "--base-url",
            &flagged.uri(),
        ],
        &twill_env(&from_env),
    )
    .await;

    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("from_flag"));
    assert!(from_env.received_requests().await.unwrap().is_empty());
    let all = tasks(
        &["list", "--provider", "all", "--base-url", &flagged.uri()],
        &[],
    )
    .await;
    assert_eq!(all.status.code(), Some(2), "--base-url needs one provider");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_key_exits_3_naming_the_variable() {
    let output = tasks(&["list", "--provider", "aether"], &[]).await;

    assert_eq!(output.status.code(), Some(3));
    assert!(
        stdout(&output).lines().count() <= 1,
        "at most the table header"
    );
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("aether") && err.contains("AETHER_TOKEN"),
        "{err}"
    );
    assert_eq!(err.matches("aether").count(), 1, "the provider once: {err}");
    assert!(
        err.contains("export AETHER_TOKEN=") && !err.contains(".api_key"),
        "shell words, not builder methods: {err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timeout_names_the_configured_duration_and_the_flag() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"tasks": [], "nextCursor": null}))
                .set_delay(std::time::Duration::from_secs(5)),
        )
        .mount(&server)
        .await;

    let output = tasks(
        &["list", "--provider", "twill", "--timeout", "1"],
        &twill_env(&server),
    )
    .await;

    assert_eq!(output.status.code(), Some(5));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: twill: timed out"), "{err}");
    assert!(
        err.contains("within 1s") && err.contains("--timeout"),
        "{err}"
    );
    assert_eq!(err.matches("twill").count(), 1, "the provider once: {err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_failure_has_its_exit_code_and_one_line() {
    let cases: [(u16, Value, i32, &str); 5] = [
        (
            401,
            json!({"error": {"code": "unauthorized", "message": "Invalid or missing API key"}}),
            3,
            "unauthorized: HTTP 401 Unauthorized: Invalid or missing API key",
        ),
        (
            403,
            json!({"error": {"code": "forbidden", "message": "Not yours"}}),
            3,
            "forbidden: HTTP 403 Forbidden",
        ),
        (
            404,
            json!({"error": {"code": "not_found", "message": "No workspace"}}),
            4,
            "API error: HTTP 404 Not Found: No workspace",
        ),
        (
            429,
            json!({"error": {"code": "rate_limited", "message": "Rate limit exceeded"}}),
            5,
            "rate limited: HTTP 429 Too Many Requests",
        ),
        (
            500,
            json!({"error": {"code": "internal_error", "message": "Server error"}}),
            5,
            "server error: HTTP 500 Internal Server Error: Server error",
        ),
    ];
    for (status, body, code, line) in cases {
        let server = serve(status, body).await;
        let output = tasks(&["list", "--provider", "twill"], &twill_env(&server)).await;
        assert_eq!(output.status.code(), Some(code), "{status}");
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!("error: twill: {line}")),
            "{status}: {err}"
        );
        assert!(!err.contains(SECRET));
    }

    let garbage = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_raw("{\"tasks\": [", "application/json"))
        .mount(&garbage)
        .await;
    let undecodable = tasks(&["list", "--provider", "twill"], &twill_env(&garbage)).await;
    assert_eq!(
        undecodable.status.code(),
        Some(6),
        "{}",
        stderr(&undecodable)
    );

    let invalid = tasks(&["list", "--provider", "twill", "--limit", "0"], &[]).await;
    assert_eq!(invalid.status.code(), Some(2));
    let bad_url = tasks(
        &["list", "--provider", "twill", "--base-url", "not a url"],
        &[("TWILL_API_KEY", SECRET.to_owned())],
    )
    .await;
    assert_eq!(bad_url.status.code(), Some(2), "{}", stderr(&bad_url));

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = tasks(
        &[
            "list",
            "--provider",
            "twill",
            "--base-url",
            &format!("http://127.0.0.1:{port}"),
        ],
        &[("TWILL_API_KEY", SECRET.to_owned())],
    )
    .await;
    assert_eq!(unreachable.status.code(), Some(5));
}

#[tokio::test(flavor = "multi_thread")]
async fn all_providers_with_one_failing_lists_the_others_and_exits_with_its_code() {
    let twill = serve(
        200,
        json!({"tasks": [twill_task("t1", "COMPLETED")], "nextCursor": null}),
    )
    .await;
    let enkrypt = serve(
        200,
        json!({"datasets": ["e1", "e2"], "pagination": {"has_next": false}}),
    )
    .await;
    let aether = serve(200, json!({"tasks": [{"id": "c3d4e5f6-7890-12ab-cdef-345678901bcd", "status": "running", "created_at": "2025-01-15T10:30:00Z"}]})).await;
    let promptloop = serve(200, json!({"status": "success", "message": "ok", "data": [{"id": "p1", "name": "n", "description": "d", "created_at": "2024-11-02T15:04:05Z", "live_version": 1, "max_version": 1, "run_count": 0}]})).await;
    let deck = serve(500, json!({"errors": [{"type": "server", "code": "internal", "message": "boom"}], "request_id": "req_boom"})).await;
    let env = vec![
        ("TWILL_API_KEY", SECRET.to_owned()),
        ("TWILL_BASE_URL", twill.uri()),
        ("ENKRYPTAI_API_KEY", SECRET.to_owned()),
        ("ENKRYPTAI_BASE_URL", enkrypt.uri()),
        ("AETHER_TOKEN", SECRET.to_owned()),
        ("AETHER_BASE_URL", aether.uri()),
        ("PROMPTLOOP_API_KEY", SECRET.to_owned()),
        ("PROMPTLOOP_BASE_URL", promptloop.uri()),
        ("DECK_API_KEY", SECRET.to_owned()),
        ("DECK_BASE_URL", deck.uri()),
    ];

    let output = tasks(&["list", "--provider", "all", "--output", "json"], &env).await;

    assert_eq!(output.status.code(), Some(5));
    let listed: Vec<Value> = serde_json::from_str(&stdout(&output)).unwrap();
    let mut seen: Vec<String> = listed
        .iter()
        .map(|t| {
            format!(
                "{}:{}",
                t["provider"].as_str().unwrap(),
                t["id"].as_str().unwrap()
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            "aether:c3d4e5f6-7890-12ab-cdef-345678901bcd",
            "enkrypt:e1",
            "enkrypt:e2",
            "promptloop:p1",
            "twill:t1"
        ]
    );
    let err = stderr(&output);
    assert_eq!(
        err.trim(),
        "error: deck: server error: HTTP 500 Internal Server Error, request id req_boom: boom"
    );

    // One more provider without a key: skipped (one line on stderr, no exit code of its
    // own), so deck's 5 stays.
    let without_aether: Vec<_> = env
        .iter()
        .filter(|(k, _)| *k != "AETHER_TOKEN")
        .cloned()
        .collect();
    let output = tasks(
        &["list", "--provider", "all", "--output", "ndjson"],
        &without_aether,
    )
    .await;
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(stderr(&output).lines().count(), 2);
    assert!(
        stderr(&output).contains("aether: skipped, AETHER_TOKEN is not set"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output).lines().count(), 4);
}

#[tokio::test(flavor = "multi_thread")]
async fn providers_table_shows_configuration_but_never_the_key() {
    let output = tasks(
        &["providers"],
        &[
            ("DECK_API_KEY", SECRET.to_owned()),
            ("DECK_BASE_URL", "http://127.0.0.1:4011".to_owned()),
        ],
    )
    .await;

    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(!text.contains(SECRET));
    let rows: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "PROVIDER", "BASE", "URL", "BASE", "URL", "VAR", "AUTH", "KEY", "VAR", "KEY", "SET"
        ]
    );
    assert!(rows.contains(&vec![
        "deck",
        "http://127.0.0.1:4011",
        "DECK_BASE_URL",
        "Authorization:",
        "Bearer",
        "<key>",
        "DECK_API_KEY",
        "yes"
    ]));
    assert!(rows.contains(&vec![
        "enkrypt",
        "https://api.enkryptai.com",
        "ENKRYPTAI_BASE_URL",
        "apikey:",
        "<key>",
        "ENKRYPTAI_API_KEY",
        "no"
    ]));
    assert!(rows.contains(&vec![
        "promptloop",
        "https://api.promptloop.com/",
        "PROMPTLOOP_BASE_URL",
        "x-api-key:",
        "<key>",
        "PROMPTLOOP_API_KEY",
        "no"
    ]));
    assert!(text.contains("tasks-sdk-<provider>"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_skips_the_providers_without_a_key_and_exits_0() {
    let server = serve(
        200,
        json!({"tasks": [twill_task("t1", "COMPLETED")], "nextCursor": null}),
    )
    .await;

    let output = tasks(
        &["list", "--provider", "all", "--output", "ndjson"],
        &twill_env(&server),
    )
    .await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 1);
    let err = stderr(&output);
    let mut skipped: Vec<&str> = err.lines().collect();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            "aether: skipped, AETHER_TOKEN is not set",
            "deck: skipped, DECK_API_KEY is not set",
            "enkrypt: skipped, ENKRYPTAI_API_KEY is not set",
            "promptloop: skipped, PROMPTLOOP_API_KEY is not set",
        ]
    );

    // No key at all: nothing to list is an error, naming the variables once.
    let none = tasks(&["list", "--provider", "all"], &[]).await;
    assert_eq!(none.status.code(), Some(3));
    let err = stderr(&none);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("DECK_API_KEY") && err.contains("TWILL_API_KEY"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_listing_says_no_tasks() {
    let server = serve(200, json!({"tasks": [], "nextCursor": null})).await;

    let table = tasks(&["list", "--provider", "twill"], &twill_env(&server)).await;
    let json = tasks(
        &["list", "--provider", "twill", "--output", "json"],
        &twill_env(&server),
    )
    .await;
    let ndjson = tasks(
        &["list", "--provider", "twill", "--output", "ndjson"],
        &twill_env(&server),
    )
    .await;

    assert_eq!(table.status.code(), Some(0), "{}", stderr(&table));
    let text = stdout(&table);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["PROVIDER", "ID", "STATUS", "CREATED", "NAME"]
    );
    assert_eq!(lines[1], "no tasks");
    assert_eq!(stdout(&json), "[]\n");
    assert_eq!(stdout(&ndjson), "");
    assert!(stderr(&table).is_empty(), "{}", stderr(&table));
}

#[tokio::test(flavor = "multi_thread")]
async fn completions_print_a_script_for_each_shell() {
    for shell in ["bash", "zsh", "fish"] {
        let output = tasks(&["completions", shell], &[]).await;
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            stderr(&output)
        );
        let script = stdout(&output);
        assert!(!script.trim().is_empty(), "{shell}");
        assert!(script.contains("tasks"), "{shell}");
        assert!(script.contains("provider"), "{shell}: flags are completed");
        assert!(stderr(&output).is_empty(), "{shell}");
    }
    let unknown = tasks(&["completions", "powershell"], &[]).await;
    assert_eq!(unknown.status.code(), Some(2));
}

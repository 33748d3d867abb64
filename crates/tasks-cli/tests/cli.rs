//! The built `tasks` binary against local servers: exit codes, output formats (parsed),
//! `--max-items`, `--base-url`, a missing key, and `--provider all` with a failing one.
//!
//! One provider's client (Twill's) is the example for the behaviour of `tasks list`;
//! what concerns every provider (`--provider all`, `tasks providers`, missing keys)
//! iterates `tasks_sdk::PROVIDERS`, with a valid page of each spec from the testkit's
//! `LIST_EXAMPLES`.

use std::process::Output;

use assert_cmd::Command;
use serde_json::{Value, json};
use tasks_sdk::PROVIDERS;
use tasks_sdk::core::Provider;
use tasks_sdk_testkit::{env_vars, list_example};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers};

const SECRET: &str = "sk_cli_TopSecret";

/// `tasks <args>` with no provider configured except through `env`.
async fn tasks(args: &[&str], env: &[(&str, String)]) -> Output {
    let mut command = Command::cargo_bin("tasks").unwrap();
    for var in PROVIDERS.iter().flat_map(|p| env_vars(p)) {
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

/// Whether `provider` cannot list without a credential.
fn needs_key(provider: &Provider) -> bool {
    !provider.auth.is_empty() && provider.operations.iter().all(|op| op.requires_auth)
}

/// A local server answering a valid page of `provider`'s spec (two items).
async fn serve_example(provider: &str) -> MockServer {
    let example = list_example(provider);
    serve(200, example.with_items(vec![example.item(); 2])).await
}

/// The key and base URL of `provider`, pointed at `server`.
fn env_for(provider: &Provider, server: &MockServer) -> [(&'static str, String); 2] {
    [
        (provider.api_key_env, SECRET.to_owned()),
        (provider.base_url_env, server.uri()),
    ]
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
    for provider in PROVIDERS.iter().filter(|p| needs_key(p)) {
        let (name, var) = (provider.name, provider.api_key_env);

        let output = tasks(&["list", "--provider", name], &[]).await;

        assert_eq!(output.status.code(), Some(3), "{name}");
        assert!(
            stdout(&output).lines().count() <= 1,
            "{name}: at most the table header"
        );
        let err = stderr(&output);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(name) && err.contains(var), "{err}");
        assert_eq!(err.matches(name).count(), 1, "the provider once: {err}");
        assert!(
            err.contains(&format!("export {var}=")) && !err.contains(".api_key"),
            "shell words, not builder methods: {err}"
        );
    }
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
    // The configured duration, the attempt that timed out, and the flag to pass.
    assert_eq!(
        err.trim_end(),
        "error: twill: timed out: no complete response within 1s (attempt 1 of 1); pass \
         --timeout SECS to wait longer"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
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
    // The flag, the value and the range, in shell words.
    let err = stderr(&invalid);
    assert!(
        err.contains("'0'") && err.contains("--limit") && err.contains("1..=100"),
        "{err}"
    );
    let bad_url = tasks(
        &["list", "--provider", "twill", "--base-url", "not a url"],
        &[("TWILL_API_KEY", SECRET.to_owned())],
    )
    .await;
    assert_eq!(bad_url.status.code(), Some(2), "{}", stderr(&bad_url));
    assert_eq!(
        stderr(&bad_url).trim_end(),
        "error: twill: invalid base URL: \"not a url\" is not an absolute URL: relative URL \
         without a base; pass --base-url URL or set TWILL_BASE_URL"
    );

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
    let err = stderr(&unreachable);
    assert!(
        err.starts_with("error: twill: connection failed (1 attempt): ")
            && err
                .trim_end()
                .ends_with("; check --base-url or TWILL_BASE_URL"),
        "{err}"
    );
    assert_eq!(err.matches("twill").count(), 1, "the provider once: {err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_providers_with_one_failing_lists_the_others_and_exits_with_its_code() {
    // The first provider fails with a 500; every other one answers a valid page of its
    // spec with two tasks.
    let failing = PROVIDERS[0];
    let failing_server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(500).insert_header("x-request-id", "req_boom"))
        .mount(&failing_server)
        .await;
    let mut env: Vec<(&str, String)> = env_for(failing, &failing_server).into();
    let mut servers = Vec::new();
    for provider in &PROVIDERS[1..] {
        let server = serve_example(provider.name).await;
        env.extend(env_for(provider, &server));
        servers.push(server);
    }

    let output = tasks(&["list", "--provider", "all", "--output", "json"], &env).await;

    assert_eq!(output.status.code(), Some(5));
    let listed: Vec<Value> = serde_json::from_str(&stdout(&output)).unwrap();
    let mut seen: Vec<&str> = listed
        .iter()
        .map(|t| t["provider"].as_str().unwrap())
        .collect();
    seen.sort();
    let mut expected: Vec<&str> = PROVIDERS[1..]
        .iter()
        .flat_map(|p| [p.name, p.name])
        .collect();
    expected.sort();
    assert_eq!(seen, expected, "two tasks of every other provider");
    for (provider, server) in PROVIDERS[1..].iter().zip(&servers) {
        let sent = server.received_requests().await.unwrap();
        assert_eq!(sent.len(), 1, "{}: one request", provider.name);
    }
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!(
            "error: {}: server error: HTTP 500 Internal Server Error, request id req_boom",
            failing.name
        )),
        "{err}"
    );

    // One more provider without a key: skipped (one line on stderr, no exit code of its
    // own), so the failing one's 5 stays.
    let Some(unset) = PROVIDERS[1..].iter().find(|p| needs_key(p)) else {
        return;
    };
    let without_one: Vec<_> = env
        .iter()
        .filter(|(k, _)| *k != unset.api_key_env)
        .cloned()
        .collect();
    let output = tasks(
        &["list", "--provider", "all", "--output", "ndjson"],
        &without_one,
    )
    .await;
    assert_eq!(output.status.code(), Some(5));
    assert_eq!(stderr(&output).lines().count(), 2);
    assert!(
        stderr(&output).contains(&format!(
            "{}: skipped, {} is not set",
            unset.name, unset.api_key_env
        )),
        "{}",
        stderr(&output)
    );
    assert_eq!(stdout(&output).lines().count(), expected.len() - 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn providers_table_shows_configuration_but_never_the_key() {
    // The first provider has a key and a moved base URL; the others have neither.
    let first = PROVIDERS[0];
    let output = tasks(
        &["providers"],
        &[
            (first.api_key_env, SECRET.to_owned()),
            (first.base_url_env, "http://127.0.0.1:4011".to_owned()),
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
    for provider in PROVIDERS {
        let is_first = provider.name == first.name;
        let row = format!(
            "{} {} {} {} {} {}",
            provider.name,
            if is_first {
                "http://127.0.0.1:4011"
            } else {
                provider.default_base_url
            },
            provider.base_url_env,
            provider
                .auth
                .first()
                .map_or_else(|| "none".to_owned(), |s| s.describe()),
            provider.api_key_env,
            if is_first { "yes" } else { "no" },
        );
        let row: Vec<&str> = row.split_whitespace().collect();
        assert!(rows.contains(&row), "{row:?} in {text}");
    }
    assert!(text.contains("tasks-sdk-<provider>"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn all_skips_the_providers_without_a_key_and_exits_0() {
    // Only the first provider has a key (a provider that needs none lists too, from a
    // local server).
    let first = PROVIDERS[0];
    let mut env: Vec<(&str, String)> = Vec::new();
    let mut servers = Vec::new();
    for provider in PROVIDERS
        .iter()
        .filter(|p| p.name == first.name || !needs_key(p))
    {
        let server = serve_example(provider.name).await;
        env.extend(env_for(provider, &server));
        servers.push(server);
    }

    let output = tasks(&["list", "--provider", "all", "--output", "ndjson"], &env).await;

    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 2 * servers.len());
    let err = stderr(&output);
    let mut skipped: Vec<&str> = err.lines().collect();
    skipped.sort();
    let mut expected: Vec<String> = PROVIDERS[1..]
        .iter()
        .filter(|p| needs_key(p))
        .map(|p| format!("{}: skipped, {} is not set", p.name, p.api_key_env))
        .collect();
    expected.sort();
    assert_eq!(skipped, expected);

    // No key at all: nothing to list is an error, naming the variables once.
    let none = tasks(&["list", "--provider", "all"], &[]).await;
    assert_eq!(none.status.code(), Some(3));
    let err = stderr(&none);
    assert_eq!(err.lines().count(), 1, "{err}");
    for provider in PROVIDERS.iter().filter(|p| needs_key(p)) {
        assert!(err.contains(provider.api_key_env), "{err}");
    }
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

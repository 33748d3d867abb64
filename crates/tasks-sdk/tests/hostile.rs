//! Hostile responses, table-driven, for every provider: each case ends in `Ok` or the
//! error kind the table names, within the configured timeout; never a panic or a hang.
//! The table is documented in TESTING.md.

use std::time::{Duration, SystemTime};

use futures::StreamExt;
use serde_json::{Value, json};
use tasks_sdk::core::{Error, RetryPolicy};
use tasks_sdk::{SourceOptions, TaskFilter};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, RawBehaviour, raw_server, recording_sleep};

/// The client's total timeout in these tests.
const TIMEOUT: Duration = Duration::from_millis(300);

/// One provider: a valid page body and where its items and fields are.
struct Provider {
    name: &'static str,
    valid: Value,
    /// The top-level array of items.
    items: &'static str,
    /// A required field of an item (`None`: items are strings).
    required: Option<&'static str>,
    /// A field holding a spec enum, with a value the spec does not list:
    /// (`true` if it sits in the item, else at the top level, field, value).
    enum_field: Option<(bool, &'static str, &'static str)>,
    /// Whether removing a required field must fail (Enkrypt AI requires nothing).
    missing_fails: bool,
}

fn providers() -> Vec<Provider> {
    let created = "2025-01-15T10:30:00Z";
    vec![
        Provider {
            name: "promptloop",
            valid: json!({"status": "success", "message": "ok", "data": [{"id": "p1", "name": "n", "description": "d", "created_at": created, "live_version": 1, "max_version": 2, "run_count": 3}]}),
            items: "data",
            required: Some("id"),
            enum_field: Some((false, "status", "partial")),
            missing_fails: true,
        },
        Provider {
            name: "deck",
            valid: json!({"data": [{"id": "task_1", "object": "task", "name": "n", "prompt": null, "status": "live", "agent_id": "agt_1", "input_schema": null, "output_schema": null, "storage": null, "created_at": created, "updated_at": created, "request_id": "r"}], "has_more": false, "next_cursor": null, "request_id": "r"}),
            items: "data",
            required: Some("id"),
            enum_field: None,
            missing_fails: true,
        },
        Provider {
            name: "aether",
            valid: json!({"tasks": [{"id": "c3d4e5f6-7890-12ab-cdef-345678901bcd", "status": "running", "created_at": created}]}),
            items: "tasks",
            required: Some("id"),
            enum_field: Some((true, "status", "hibernating")),
            missing_fails: true,
        },
        Provider {
            name: "twill",
            valid: json!({"tasks": [{"id": "t1", "slug": "s", "title": "t", "url": "u", "repositoryUrl": "r", "createdAt": created, "latestJobStatus": "PENDING", "pr": null}], "nextCursor": null}),
            items: "tasks",
            required: Some("id"),
            enum_field: Some((true, "latestJobStatus", "NEW_STATUS")),
            missing_fails: true,
        },
        Provider {
            name: "enkrypt",
            valid: json!({"datasets": ["Election"], "pagination": {"page": 1, "has_next": false}}),
            items: "datasets",
            required: None,
            enum_field: None,
            missing_fails: false,
        },
    ]
}

/// The outcomes the table names.
#[derive(Clone, Copy, Debug)]
enum Expect {
    Ok,
    Decode,
    Server,
    RateLimited,
    /// `Retry-After` read as between the two bounds, in seconds (`None`: not read).
    RetryAfter(Option<(u64, u64)>),
    Timeout,
    Connection,
    Redirect,
}

impl Expect {
    fn check(self, provider: &str, case: &str, result: &Result<(), Error>) {
        let ok = match (self, result) {
            (Expect::Ok, Ok(())) => true,
            (Expect::Decode, Err(Error::Decode(_))) => true,
            (Expect::Server, Err(Error::Server(api))) => api.status.as_u16() == 502,
            (Expect::RateLimited, Err(Error::RateLimited(_))) => true,
            (Expect::RetryAfter(bounds), Err(Error::RateLimited(api))) => match bounds {
                Some((low, high)) => api.retry_after.is_some_and(|d| {
                    d >= Duration::from_secs(low) && d <= Duration::from_secs(high)
                }),
                None => api.retry_after.is_none(),
            },
            (Expect::Timeout, Err(Error::Timeout { .. })) => true,
            (Expect::Connection, Err(Error::Connection { .. })) => true,
            (Expect::Redirect, Err(Error::Api(api))) => api.status.as_u16() == 307,
            _ => false,
        };
        assert!(ok, "{provider} / {case}: expected {self:?}, got {result:?}");
    }
}

/// The first page of `provider` against `base_url` (`Ok` when it came, empty or not),
/// with 3 attempts, no real waiting between them, and a short timeout.
async fn call(provider: &str, base_url: String) -> Result<(), Error> {
    let (sleep, _) = recording_sleep();
    let options = SourceOptions::new()
        .api_key(API_KEY)
        .base_url(base_url)
        .timeout(TIMEOUT)
        .retry_policy(RetryPolicy::default())
        .sleep(sleep);
    let run = async {
        let source = tasks_sdk::source_from_env(provider, &options).expect("compiled in")?;
        let first = source.tasks(&TaskFilter::new()).next().await;
        first.map_or(Ok(()), |r| r.map(drop))
    };
    // A hang is a failure: 3 attempts of TIMEOUT each fit well within 10 s.
    tokio::time::timeout(Duration::from_secs(10), run)
        .await
        .expect("the call must not hang")
}

async fn serve(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn json_body(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

/// The cases whose response is a body: (name, response, expected).
fn body_cases(p: &Provider) -> Vec<(&'static str, ResponseTemplate, Expect)> {
    let valid = p.valid.to_string();
    let mut wrong_type = p.valid.clone();
    wrong_type[p.items] = json!(42);
    let mut null_required = p.valid.clone();
    let mut missing_required = p.valid.clone();
    match p.required {
        Some(field) => {
            null_required[p.items][0][field] = Value::Null;
            missing_required[p.items][0]
                .as_object_mut()
                .unwrap()
                .remove(field);
        }
        None => {
            null_required[p.items][0] = Value::Null;
            missing_required.as_object_mut().unwrap().remove(p.items);
        }
    }
    let mut unknown_enum = p.valid.clone();
    if let Some((in_item, field, value)) = p.enum_field {
        let target = if in_item {
            &mut unknown_enum[p.items][0]
        } else {
            &mut unknown_enum
        };
        target[field] = json!(value);
    }
    let mut extra = p.valid.clone();
    extra["added_later"] = json!({"nested": [1, 2]});
    if let Some(item) = extra[p.items][0].as_object_mut() {
        item.insert("also_new".into(), json!(true));
    }
    // About 10 MB: the one item, repeated.
    let mut huge = p.valid.clone();
    let item = p.valid[p.items][0].clone();
    let copies = 10 * 1024 * 1024 / item.to_string().len() + 1;
    huge[p.items] = Value::Array(vec![item; copies]);
    // Far enough ahead to survive the cases before it.
    let in_40s = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(40));
    vec![
        ("valid", json_body(200, &p.valid), Expect::Ok),
        (
            "truncated JSON",
            ResponseTemplate::new(200)
                .set_body_raw(valid[..valid.len() / 2].to_owned(), "application/json"),
            Expect::Decode,
        ),
        (
            "wrong JSON types",
            json_body(200, &wrong_type),
            Expect::Decode,
        ),
        (
            "null for a required field",
            json_body(200, &null_required),
            Expect::Decode,
        ),
        (
            "missing required field",
            json_body(200, &missing_required),
            if p.missing_fails {
                Expect::Decode
            } else {
                Expect::Ok
            },
        ),
        (
            "unknown enum value",
            json_body(200, &unknown_enum),
            Expect::Ok,
        ),
        ("extra fields", json_body(200, &extra), Expect::Ok),
        (
            "HTML 502 page",
            ResponseTemplate::new(502).set_body_raw(
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
                "text/html",
            ),
            Expect::Server,
        ),
        ("empty 200 body", ResponseTemplate::new(200), Expect::Decode),
        (
            "200 text/plain",
            ResponseTemplate::new(200).set_body_raw("all good", "text/plain"),
            Expect::Decode,
        ),
        ("10 MB body", json_body(200, &huge), Expect::Ok),
        (
            "429 Retry-After seconds",
            ResponseTemplate::new(429).insert_header("retry-after", "2"),
            Expect::RetryAfter(Some((2, 2))),
        ),
        (
            "429 Retry-After HTTP-date",
            ResponseTemplate::new(429).insert_header("retry-after", in_40s.as_str()),
            Expect::RetryAfter(Some((20, 40))),
        ),
        (
            "429 Retry-After garbage",
            ResponseTemplate::new(429).insert_header("retry-after", "soon-ish"),
            Expect::RetryAfter(None),
        ),
        (
            "429 without Retry-After",
            ResponseTemplate::new(429),
            Expect::RateLimited,
        ),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_bodies_and_statuses() {
    for p in providers() {
        for (case, response, expect) in body_cases(&p) {
            let server = serve(response).await;
            let result = call(p.name, server.uri()).await;
            expect.check(p.name, case, &result);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_connections() {
    for p in providers() {
        let stalled = raw_server(RawBehaviour::StallMidBody).await;
        Expect::Timeout.check(p.name, "body stalls mid-way", &call(p.name, stalled).await);
        let closed = raw_server(RawBehaviour::CloseBeforeHeaders).await;
        Expect::Connection.check(
            p.name,
            "connection closed before headers",
            &call(p.name, closed).await,
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_another_port_is_not_followed() {
    for p in providers() {
        let elsewhere = serve(json_body(200, &p.valid)).await;
        let home = serve(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/tasks", elsewhere.uri())),
        )
        .await;
        Expect::Redirect.check(
            p.name,
            "3xx to another port",
            &call(p.name, home.uri()).await,
        );
        assert!(
            elsewhere.received_requests().await.unwrap().is_empty(),
            "{}: followed",
            p.name
        );
    }
}

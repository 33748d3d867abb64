//! Hostile responses, table-driven, for every provider of `tasks_sdk::PROVIDERS`: each
//! case ends in `Ok` or the error kind the table names, within the configured timeout;
//! never a panic or a hang. The cases are mutations of a valid page regen built from the
//! provider's spec (`tasks_sdk_testkit::LIST_EXAMPLES`). The table is documented in
//! TESTING.md.

use std::time::{Duration, SystemTime};

use futures::StreamExt;
use serde_json::{Value, json};
use tasks_sdk::core::{Error, RetryPolicy};
use tasks_sdk::{SourceOptions, TaskFilter};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, RawBehaviour, list_example, raw_server, recording_sleep};

/// The client's total timeout in these tests.
const TIMEOUT: Duration = Duration::from_millis(300);

/// One provider: a valid page body and where its items and fields are.
struct Provider {
    name: &'static str,
    valid: Value,
    /// JSON pointer of the array of items.
    items: &'static str,
    /// A required field of an item (`None`: items are strings, or require nothing).
    required: Option<&'static str>,
    /// JSON pointer of a field holding a spec enum, given a value the spec does not list.
    enum_field: Option<&'static str>,
    /// Whether removing a required field must fail (the item's, else the items array).
    missing_fails: bool,
}

/// Every provider, with the valid page regen built from its spec (`LIST_EXAMPLES`).
fn providers() -> Vec<Provider> {
    tasks_sdk::PROVIDERS
        .iter()
        .map(|p| {
            let example = list_example(p.name);
            Provider {
                name: p.name,
                valid: example.body(),
                items: example.items,
                required: example.required_item_field,
                enum_field: example.open_enum,
                missing_fails: example.required_item_field.is_some() || example.items_required,
            }
        })
        .collect()
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
    let first_item = format!("{}/0", p.items);
    let mut wrong_type = p.valid.clone();
    *wrong_type.pointer_mut(p.items).unwrap() = json!(42);
    let mut null_required = p.valid.clone();
    let mut missing_required = p.valid.clone();
    match p.required {
        Some(field) => {
            null_required.pointer_mut(&first_item).unwrap()[field] = Value::Null;
            missing_required
                .pointer_mut(&first_item)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove(field);
        }
        None => {
            *null_required.pointer_mut(&first_item).unwrap() = Value::Null;
            let (parent, field) = p.items.rsplit_once('/').unwrap();
            let field = field.replace("~1", "/").replace("~0", "~");
            missing_required
                .pointer_mut(parent)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove(&field);
        }
    }
    let mut unknown_enum = p.valid.clone();
    if let Some(field) = p.enum_field {
        *unknown_enum.pointer_mut(field).unwrap() = json!("A_VALUE_THE_SPEC_DOES_NOT_LIST");
    }
    let mut extra = p.valid.clone();
    extra["added_later"] = json!({"nested": [1, 2]});
    if let Some(item) = extra.pointer_mut(&first_item).unwrap().as_object_mut() {
        item.insert("also_new".into(), json!(true));
    }
    // About 10 MB: the one item, repeated.
    let mut huge = p.valid.clone();
    let item = p.valid.pointer(&first_item).unwrap().clone();
    let copies = 10 * 1024 * 1024 / item.to_string().len() + 1;
    *huge.pointer_mut(p.items).unwrap() = Value::Array(vec![item; copies]);
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

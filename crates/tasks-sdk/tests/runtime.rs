//! The runtime's duties, through the generated clients: retries and their delays,
//! the error taxonomy, redirects, secrets in `Debug` and traces, the rate limiter.
//!
//! The tests of one behaviour use Deck's client as the example; those that hold for
//! every provider iterate `tasks_sdk::PROVIDERS` (or `tasks_sdk::for_each_provider!`,
//! for each provider's own client type), so a provider added under `specs/` is tested
//! too.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use futures::StreamExt;
use serde_json::json;
use tasks_sdk::core::{ClientBuilder, Error, RateLimit, RetryPolicy, Sleep};
use tasks_sdk::{PROVIDERS, SourceOptions, TaskFilter, deck};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, env_vars, recording_sleep};

/// How a test wants its clients: one shape for every provider's builder.
#[derive(Clone)]
struct Settings {
    base_url: String,
    retry: RetryPolicy,
    sleep: Sleep,
    delays: Arc<Mutex<Vec<Duration>>>,
}

impl Settings {
    /// Default retry policy, with a sleep that records instead of waiting.
    fn new(base_url: String) -> Self {
        let (sleep, delays) = recording_sleep();
        Settings {
            base_url,
            retry: RetryPolicy::default(),
            sleep,
            delays,
        }
    }

    fn builder<C>(&self) -> ClientBuilder<C> {
        ClientBuilder::new()
            .api_key(API_KEY)
            .base_url(self.base_url.clone())
            .retry_policy(self.retry.clone())
            .sleep_impl(self.sleep.clone())
    }

    fn delays(&self) -> Vec<Duration> {
        self.delays.lock().unwrap().clone()
    }
}

/// Builds `provider`'s client from `settings` and lists its first page: `Ok` when the
/// page came (empty or not), else the error.
async fn list_once(provider: &str, settings: &Settings) -> Result<(), Error> {
    let options = SourceOptions::new()
        .api_key(API_KEY)
        .base_url(settings.base_url.clone())
        .retry_policy(settings.retry.clone())
        .sleep(settings.sleep.clone());
    let source = tasks_sdk::source_from_env(provider, &options).expect("compiled in")?;
    let first = source.tasks(&TaskFilter::new()).next().await;
    first.map_or(Ok(()), |r| r.map(drop))
}

async fn deck_once(settings: &Settings) -> Result<deck::types::TaskPage, Error> {
    let client: deck::Client = settings.builder().build()?;
    client.list_tasks().call().await
}

fn empty_deck_page() -> serde_json::Value {
    json!({"data": [], "has_more": false, "next_cursor": null, "request_id": "req_ok"})
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_429_with_retry_after_seconds_is_retried_after_that_long() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("retry-after", "2")
        .set_body_json(json!({"errors": [{"type": "rate_limit", "code": "rate_limit_exceeded", "message": "Slow down"}], "request_id": "req_429"}));
    Mock::given(matchers::any())
        .respond_with(limited)
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());

    let err = deck_once(&settings).await.unwrap_err();

    assert_eq!(requests(&server).await, 3, "3 attempts by default");
    assert_eq!(settings.delays(), vec![Duration::from_secs(2); 2]);
    let Error::RateLimited(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.retry_after, Some(Duration::from_secs(2)));
    assert_eq!(err.request_id(), Some("req_429"));
    assert_eq!(
        err.to_string(),
        "rate limited: deck list_tasks: HTTP 429 Too Many Requests: Slow down (request id req_429) (retry after 2s)"
    );
}

#[tokio::test]
async fn a_429_with_an_http_date_waits_until_then() {
    let server = MockServer::start().await;
    let at = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3));
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", at.as_str()))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(empty_deck_page()))
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());

    let page = deck_once(&settings).await.unwrap();

    assert_eq!(page.request_id.as_deref(), Some("req_ok"));
    assert_eq!(requests(&server).await, 2);
    let delays = settings.delays();
    assert_eq!(delays.len(), 1);
    // HTTP-dates have whole seconds: the wait is what is left of those 3 s.
    assert!(
        delays[0] > Duration::from_secs(1) && delays[0] <= Duration::from_secs(3),
        "{delays:?}"
    );
}

#[tokio::test]
async fn a_garbage_retry_after_falls_back_to_backoff() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "whenever"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(empty_deck_page()))
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());

    deck_once(&settings).await.unwrap();

    let delays = settings.delays();
    assert_eq!(delays.len(), 1, "{delays:?}");
    assert!(
        delays[0] <= Duration::from_millis(500),
        "backoff before retry 1: {delays:?}"
    );
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_ends_the_call_at_once_with_the_full_delay() {
    for (status, date) in [(429u16, false), (503, false), (429, true)] {
        let server = MockServer::start().await;
        let value = if date {
            httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600))
        } else {
            "86400".to_owned()
        };
        Mock::given(matchers::any())
            .respond_with(
                ResponseTemplate::new(status).insert_header("retry-after", value.as_str()),
            )
            .mount(&server)
            .await;
        let settings = Settings::new(server.uri());

        let err = deck_once(&settings).await.unwrap_err();

        assert_eq!(requests(&server).await, 1, "{status}: not retried");
        assert!(settings.delays().is_empty(), "{status}: no sleep");
        match status {
            429 => assert!(matches!(err, Error::RateLimited(_)), "{err:?}"),
            _ => assert!(matches!(err, Error::Server(_)), "{err:?}"),
        }
        let after = err.retry_after().expect("the delay is reported");
        if date {
            assert!(after > Duration::from_secs(3590), "{after:?}");
        } else {
            assert_eq!(after, Duration::from_secs(86400));
        }
        assert!(err.is_transient());
    }
    // At the cap (60 s): waited for, then retried.
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "60"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(empty_deck_page()))
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());
    deck_once(&settings).await.unwrap();
    assert_eq!(settings.delays(), [Duration::from_secs(60)]);
}

#[tokio::test]
async fn a_503_is_retried_with_jittered_exponential_backoff() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>busy</html>"))
        .mount(&server)
        .await;
    let mut settings = Settings::new(server.uri());
    settings.retry = RetryPolicy::with_max_attempts(5);

    let err = deck_once(&settings).await.unwrap_err();

    assert_eq!(requests(&server).await, 5);
    let delays = settings.delays();
    let ceilings = [500, 1000, 2000, 4000].map(Duration::from_millis);
    assert_eq!(delays.len(), 4);
    for (delay, ceiling) in delays.iter().zip(ceilings) {
        assert!(*delay <= ceiling, "{delays:?}");
    }
    let Error::Server(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status.as_u16(), 503);
    assert_eq!(
        api.message, "Service Unavailable",
        "an HTML page is not a message"
    );
}

#[tokio::test]
async fn other_4xx_are_never_retried() {
    for status in [400u16, 401, 403, 404, 409, 422] {
        let server = MockServer::start().await;
        Mock::given(matchers::any())
            .respond_with(ResponseTemplate::new(status))
            .mount(&server)
            .await;
        let settings = Settings::new(server.uri());

        let err = deck_once(&settings).await.unwrap_err();

        assert_eq!(requests(&server).await, 1, "{status}");
        assert!(settings.delays().is_empty());
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(!err.is_transient());
    }
}

#[tokio::test]
async fn retries_can_be_disabled() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let mut settings = Settings::new(server.uri());
    settings.retry = RetryPolicy::disabled();

    let err = deck_once(&settings).await.unwrap_err();

    assert_eq!(requests(&server).await, 1);
    assert!(matches!(err, Error::Server(_)) && err.is_transient());
}

#[tokio::test]
async fn connection_failures_are_retried_then_reported() {
    // A port nothing listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let settings = Settings::new(format!("http://127.0.0.1:{port}"));

    let err = deck_once(&settings).await.unwrap_err();

    assert_eq!(settings.delays().len(), 2, "3 attempts");
    assert!(
        matches!(
            &err,
            Error::Connection {
                provider: "deck",
                operation: "list_tasks",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn a_slow_response_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(empty_deck_page())
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());
    let client: deck::Client = settings
        .builder()
        .retry_policy(RetryPolicy::disabled())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let err = client.list_tasks().call().await.unwrap_err();

    assert!(
        matches!(
            &err,
            Error::Timeout {
                provider: "deck",
                operation: "list_tasks",
                timeout: Some(t),
                attempt: 1,
                max_attempts: 1,
                ..
            } if *t == Duration::from_millis(200)
        ),
        "{err:?}"
    );
    // The configured duration and the attempt, in words.
    assert_eq!(
        err.to_string(),
        "timeout: deck list_tasks: no complete response within 200ms (attempt 1 of 1)"
    );
}

#[tokio::test]
async fn a_timeout_after_retries_names_the_last_attempt_and_the_calls_own_timeout() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(empty_deck_page())
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());
    let client: deck::Client = settings.builder().build().unwrap();
    let options = tasks_sdk::core::RequestOptions::new().timeout(Duration::from_millis(150));

    let err = client
        .list_tasks()
        .with_options(options)
        .call()
        .await
        .unwrap_err();

    assert_eq!(requests(&server).await, 3, "the default policy: 3 attempts");
    assert_eq!(settings.delays().len(), 2);
    assert_eq!(
        err.to_string(),
        "timeout: deck list_tasks: no complete response within 150ms (attempt 3 of 3)"
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn an_undecodable_200_is_a_decode_error_with_the_body_start() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req_bad")
                .set_body_raw("<html>maintenance</html>", "text/html"),
        )
        .mount(&server)
        .await;

    let err = deck_once(&Settings::new(server.uri())).await.unwrap_err();

    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(decode.content_type.as_deref(), Some("text/html"));
    assert_eq!(decode.body_start, "<html>maintenance</html>");
    assert_eq!(decode.request_id.as_deref(), Some("req_bad"));
    assert!(
        decode.reason.contains("expected value"),
        "{}",
        decode.reason
    );
}

#[tokio::test]
async fn no_provider_follows_a_redirect_to_another_port_or_leaks_its_key_there() {
    for provider in PROVIDERS.iter().map(|p| p.name) {
        let home = MockServer::start().await;
        let elsewhere = MockServer::start().await;
        Mock::given(matchers::any())
            .respond_with(ResponseTemplate::new(200))
            .mount(&elsewhere)
            .await;
        Mock::given(matchers::any())
            .respond_with(
                ResponseTemplate::new(307)
                    .insert_header("location", format!("{}/collect", elsewhere.uri())),
            )
            .mount(&home)
            .await;

        let err = list_once(provider, &Settings::new(home.uri()))
            .await
            .unwrap_err();

        assert!(
            matches!(&err, Error::Api(api) if api.status.as_u16() == 307),
            "{provider}: {err:?}"
        );
        assert!(
            elsewhere.received_requests().await.unwrap().is_empty(),
            "{provider} followed the redirect"
        );
        let sent = &home.received_requests().await.unwrap()[0];
        let auth = ["authorization", "x-api-key", "apikey"]
            .iter()
            .filter(|h| sent.headers.contains_key(**h))
            .count();
        assert_eq!(auth, 1, "{provider} sent its key home exactly once");
    }
}

#[tokio::test]
async fn a_missing_key_names_each_providers_variable() {
    let mut checked = Vec::new();
    macro_rules! check {
        ($provider:ident, $list:ident, $enums:tt) => {{
            let provider = &tasks_sdk::$provider::PROVIDER;
            for var in env_vars(provider) {
                assert!(
                    std::env::var_os(&var).is_none(),
                    "unset {var} to run this test"
                );
            }
            let needs_key =
                !provider.auth.is_empty() && provider.operations.iter().all(|op| op.requires_auth);
            let result = tasks_sdk::$provider::Client::from_env().map(drop);
            if needs_key {
                let err = result.unwrap_err();
                let var = provider.api_key_env;
                assert!(
                    matches!(err, Error::MissingCredentials { env_var, .. } if env_var == var),
                    "{}: {err:?}",
                    provider.name
                );
                assert!(err.to_string().contains(var), "{err}");
            } else {
                assert!(result.is_ok(), "{}: needs no key", provider.name);
            }
            checked.push(provider.name);
        }};
    }
    tasks_sdk::for_each_provider!(check);
    let all: Vec<&str> = PROVIDERS.iter().map(|p| p.name).collect();
    assert_eq!(checked, all);
}

#[tokio::test]
async fn debug_and_display_never_show_the_key() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "bad token"})))
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());
    let mut shown = Vec::new();
    // Every provider's builder and client, as `{:?}` and `{:#?}`; the client shows how
    // its key travels, redacted.
    macro_rules! debug_of {
        ($provider:ident, $list:ident, $enums:tt) => {{
            let builder = settings.builder::<tasks_sdk::$provider::Client>();
            shown.push(format!("{builder:?} {builder:#?}"));
            let client = builder.build().unwrap();
            let text = format!("{client:?} {client:#?}");
            let provider = &tasks_sdk::$provider::PROVIDER;
            if let Some(scheme) = provider.auth.iter().find(|s| s.takes_single_secret()) {
                let redacted = scheme.describe().replace("<key>", "[REDACTED]");
                assert!(
                    text.contains(&redacted),
                    "{}: {redacted} in {text}",
                    provider.name
                );
            }
            shown.push(text);
        }};
    }
    tasks_sdk::for_each_provider!(debug_of);
    assert_eq!(shown.len(), 2 * PROVIDERS.len());
    for provider in PROVIDERS {
        let err = list_once(provider.name, &settings).await.unwrap_err();
        shown.push(format!("{err:?} {err} {err:#}"));
    }
    shown.push(format!("{:?}", tasks_sdk::core::ApiKey::new(API_KEY)));
    // One provider configured (its server answers 401), one that could not be.
    let (configured, missing) = (PROVIDERS[0], PROVIDERS[PROVIDERS.len() - 1]);
    let options = SourceOptions::new()
        .api_key(API_KEY)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::disabled());
    let sources = tasks_sdk::Sources::new()
        .with_boxed(
            tasks_sdk::source_from_env(configured.name, &options)
                .unwrap()
                .unwrap(),
        )
        .with_unavailable(
            missing.name,
            Error::MissingCredentials {
                provider: missing.name,
                env_var: missing.api_key_env,
                help: format!("set {} or call .api_key(...)", missing.api_key_env),
            },
        );
    shown.push(format!("{sources:?}"));
    let all: Vec<_> = futures::StreamExt::collect::<Vec<_>>(tasks_sdk::list_all(
        &sources,
        &tasks_sdk::TaskFilter::new(),
    ))
    .await;
    for result in &all {
        if let Err(e) = result {
            shown.push(format!("{e:?} {e}"));
        }
    }
    assert_eq!(all.iter().filter(|r| r.is_err()).count(), 2);
    for text in &shown {
        assert!(!text.contains(API_KEY), "key leaked: {text}");
    }
}

#[tokio::test]
async fn the_opt_in_rate_limiter_holds_back_requests_over_the_quota() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(empty_deck_page()))
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());
    let one_per_hour = RateLimit::new(1, Duration::from_secs(3600));
    let client: deck::Client = settings.builder().rate_limit(one_per_hour).build().unwrap();

    client.list_tasks().call().await.unwrap();
    let second = tokio::time::timeout(Duration::from_millis(300), client.list_tasks().call()).await;

    assert!(
        second.is_err(),
        "the second request must wait for the quota"
    );
    assert_eq!(requests(&server).await, 1);
    // The documented quotas (each provider crate's tests check its own) are used.
    assert!(deck::PROVIDER.rate_limit.is_some());
    let documented: deck::Client = settings.builder().documented_rate_limit().build().unwrap();
    assert!(format!("{documented:?}").contains("rate_limited: true"));
}

#[tokio::test]
async fn calls_can_be_spawned() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(empty_deck_page()))
        .mount(&server)
        .await;
    let client: deck::Client = Settings::new(server.uri()).builder().build().unwrap();
    let handle = tokio::spawn(async move { client.list_tasks().call().await });
    assert!(handle.await.unwrap().is_ok());
}

#[tokio::test]
async fn a_body_over_the_size_limit_is_not_read_and_fails_to_decode() {
    let server = MockServer::start().await;
    let big = json!({"data": [], "has_more": false, "next_cursor": null, "request_id": "x".repeat(2 * 1024 * 1024)});
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(big))
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());
    let limited: deck::Client = settings
        .builder()
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap();
    let default: deck::Client = settings.builder().build().unwrap();

    let err = limited.list_tasks().call().await.unwrap_err();

    let Error::Decode(decode) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(decode.status.as_u16(), 200);
    assert_eq!(
        decode.reason,
        "the body is larger than the 1048576-byte limit"
    );
    assert_eq!(decode.body_start, "");
    assert_eq!(requests(&server).await, 1, "not retried");
    assert_eq!(
        default
            .list_tasks()
            .call()
            .await
            .unwrap()
            .request_id
            .map(|r| r.len()),
        Some(2 * 1024 * 1024)
    );
}

#[tokio::test]
async fn list_all_reports_an_unavailable_providers_error_with_its_kind_on_every_run() {
    let http_client_error = reqwest::Proxy::all("http://[::1").unwrap_err();
    let sources = tasks_sdk::Sources::new()
        .with_unavailable("deck", Error::HttpClient(Arc::new(http_client_error)));
    for _ in 0..2 {
        let results: Vec<_> = tasks_sdk::list_all(&sources, &TaskFilter::new())
            .collect()
            .await;
        let [Err(e)] = &results[..] else {
            panic!("{results:?}")
        };
        assert_eq!(e.provider, "deck");
        assert!(matches!(e.error, Error::HttpClient(_)), "{:?}", e.error);
        assert!(!e.error.is_transient());
    }
}

#[tokio::test]
async fn a_burst_of_503s_exhausts_the_default_retry_budget_shared_by_clones() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());
    let client: deck::Client = settings.builder().build().unwrap();
    let clone = client.clone();

    // 500 tokens, 5 per retry: 50 calls of 3 attempts (2 retries) empty the bucket.
    for _ in 0..50 {
        let err = client.list_tasks().call().await.unwrap_err();
        assert!(matches!(err, Error::Server(_)), "{err:?}");
    }
    assert_eq!(requests(&server).await, 150);
    assert_eq!(settings.delays().len(), 100);

    for c in [&client, &clone, &client] {
        let err = c.list_tasks().call().await.unwrap_err();
        assert!(
            matches!(err, Error::Server(_)) && err.is_transient(),
            "{err:?}"
        );
    }
    assert_eq!(
        requests(&server).await,
        153,
        "one attempt each, for the clone too"
    );
    assert_eq!(settings.delays().len(), 100, "no more sleeps");
}

/// What the generated `with_options` and `call_with_response` of every operation builder
/// are, one line each, against Deck's real generated `send()`.
#[tokio::test]
async fn generated_builders_take_per_call_options_and_return_response_metadata() {
    use tasks_sdk::core::{RequestOptions, WithOptions, call_with_response};
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req_meta")
                .set_body_json(empty_deck_page()),
        )
        .mount(&server)
        .await;
    let settings = Settings::new(server.uri());
    let client: deck::Client = settings.builder().build().unwrap();

    // The generated table's entry, as generated code passes it.
    let list_tasks = deck::PROVIDER.operation("list_tasks").unwrap();
    let options = RequestOptions::new()
        .header("x-trace-id", "trace-7")
        .timeout(Duration::from_secs(5));
    let page = WithOptions::new(
        &deck::PROVIDER,
        list_tasks,
        options,
        client.list_tasks().send(),
    )
    .call()
    .await
    .unwrap();
    assert_eq!(page.request_id.as_deref(), Some("req_ok"));
    let response = call_with_response(&deck::PROVIDER, list_tasks, client.list_tasks().send())
        .await
        .unwrap();
    assert_eq!(response.request_id(), Some("req_meta"), "the header first");
    assert_eq!(response.attempts(), 1);
    assert_eq!(response.has_more, Some(false), "derefs to the page");

    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].headers["x-trace-id"], "trace-7");
    assert!(
        !received[1].headers.contains_key("x-trace-id"),
        "that call only"
    );

    let err = WithOptions::new(
        &deck::PROVIDER,
        list_tasks,
        RequestOptions::new().header("authorization", "Bearer stolen"),
        client.list_tasks().send(),
    )
    .call()
    .await
    .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
    assert_eq!(requests(&server).await, 2, "nothing sent");
}

#[tokio::test]
async fn every_client_setting_given_through_source_options_reaches_the_wire() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    // A setting SourceOptions has no field for (the user agent), and a caller's own
    // reqwest client (its default header), given as a ClientConfig.
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-from-my-client", "yes".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let options = SourceOptions::new()
        .api_key(API_KEY)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::disabled())
        .config(|c| c.user_agent("sources-test/1.0").http_client(http));

    let mut failed = Vec::new();
    for provider in PROVIDERS {
        let source = tasks_sdk::source_from_env(provider.name, &options).expect("compiled in");
        let first = source.unwrap().tasks(&TaskFilter::new()).next().await;
        failed.extend(first.and_then(Result::err));
    }

    assert_eq!(failed.len(), PROVIDERS.len(), "each got the 401");
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received.len(),
        PROVIDERS.len(),
        "one request each: no retry"
    );
    for request in &received {
        assert_eq!(request.headers["user-agent"], "sources-test/1.0");
        assert_eq!(request.headers["x-from-my-client"], "yes");
    }
}

#[tokio::test]
async fn source_options_from_a_client_config_configure_the_client_and_fields_win() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_json(empty_deck_page()))
        .mount(&server)
        .await;
    let config = tasks_sdk::core::ClientConfig::new()
        .api_key(API_KEY)
        .base_url("http://127.0.0.1:9") // overridden by the field below
        .max_response_bytes(16) // an empty Deck page is larger
        .retry_policy(RetryPolicy::disabled());
    let options = SourceOptions::from(config).base_url(server.uri());

    let source = tasks_sdk::source_from_env("deck", &options).expect("compiled in");
    let first = source.unwrap().tasks(&TaskFilter::new()).next().await;

    let Some(Err(Error::Decode(decode))) = &first else {
        panic!("{first:?}")
    };
    assert_eq!(decode.reason, "the body is larger than the 16-byte limit");
    assert_eq!(requests(&server).await, 1, "the field's base URL, no retry");
    // The builder of one provider's client, from the same options.
    let client: deck::Client =
        ClientBuilder::from(options.client_config().max_response_bytes(4096))
            .build()
            .unwrap();
    assert!(client.list_tasks().call().await.is_ok());
    assert_eq!(requests(&server).await, 2);
}

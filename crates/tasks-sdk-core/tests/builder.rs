//! The client builder and runtime, with a stand-in for a generated client.

use std::time::Duration;

use reqwest::Method;
use tasks_sdk_core::{
    AuthScheme, ClientBuilder, ClientConfig, Error, GeneratedClient, Provider, RetryPolicy, Runtime,
};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_live_TopSecret42";

/// What a generated client keeps: base URL, HTTP client, runtime.
#[derive(Debug)]
struct FakeClient {
    base_url: String,
    http: reqwest::Client,
    runtime: Runtime,
}

impl GeneratedClient for FakeClient {
    const PROVIDER: &'static Provider = &Provider::new("fake", "Fake")
        .with_default_base_url("https://api.fake.example/v1/")
        .with_env(
            "TASKS_SDK_CORE_TEST_KEY_NEVER_SET",
            "TASKS_SDK_CORE_TEST_URL_NEVER_SET",
            "TASKS_SDK_CORE_TEST_NEVER_SET",
        )
        .with_auth(&[AuthScheme::Header("x-api-key")]);

    fn from_parts(base_url: &str, http: reqwest::Client, runtime: Runtime) -> Self {
        FakeClient {
            base_url: base_url.to_owned(),
            http,
            runtime,
        }
    }
}

impl FakeClient {
    /// What a generated operation does: build, run the pre hook, execute.
    async fn get(&self, url: &str) -> reqwest::Result<reqwest::Response> {
        let mut request = self.http.request(Method::GET, url).build()?;
        self.runtime.prepare(&mut request, "get").await.unwrap();
        self.runtime.execute(&self.http, request, "get").await
    }
}

fn builder() -> ClientBuilder<FakeClient> {
    ClientBuilder::new()
}

#[test]
fn missing_key_names_the_environment_variable() {
    let err = builder().build().unwrap_err();
    assert!(matches!(
        err,
        Error::MissingCredentials {
            provider: "fake",
            env_var: "TASKS_SDK_CORE_TEST_KEY_NEVER_SET",
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "missing credentials for fake: set TASKS_SDK_CORE_TEST_KEY_NEVER_SET or call .api_key(...)"
    );
}

#[test]
fn defaults_come_from_the_provider_without_a_trailing_slash() {
    let client = builder().api_key(KEY).build().unwrap();
    assert_eq!(client.base_url, "https://api.fake.example/v1");
    assert_eq!(client.runtime.provider().name, "fake");
}

#[test]
fn bad_arguments_are_invalid_argument_errors_without_the_key() {
    let err = builder()
        .api_key(KEY)
        .base_url("not a url")
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument { name, .. } if name == "base_url"),
        "{err}"
    );
    let err = builder()
        .api_key(KEY)
        .base_url("ftp://host")
        .build()
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument { name, .. } if name == "base_url"),
        "{err}"
    );
    let err = builder().api_key("").build().unwrap_err();
    assert_eq!(err.to_string(), "invalid argument `api_key`: is empty");
    let err = builder()
        .api_key("sk_live_line\nbreak")
        .build()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument `api_key`: contains characters not allowed in an HTTP header"
    );
    assert!(!format!("{err:?}").contains("sk_live"));
}

#[test]
fn debug_output_never_shows_the_key() {
    let builder = builder().api_key(KEY).timeout(Duration::from_secs(5));
    let text = format!("{builder:?}");
    assert!(text.contains("[REDACTED]") && !text.contains(KEY), "{text}");
    let client = builder.build().unwrap();
    let text = format!("{client:?} {:#?}", client.runtime);
    assert!(
        text.contains("x-api-key: [REDACTED]") && !text.contains(KEY),
        "{text}"
    );
}

#[tokio::test]
async fn requests_carry_the_key_and_user_agent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    // The builder's setters, and the same settings as a ClientConfig (for no provider in
    // particular) that becomes the builder, twice: it is left as it was.
    let config = ClientConfig::new()
        .api_key(KEY)
        .base_url(server.uri())
        .user_agent("my-app/1.0");
    let builders = [
        builder()
            .api_key(KEY)
            .base_url(server.uri())
            .user_agent("my-app/1.0"),
        ClientBuilder::from(config.clone()),
        ClientBuilder::from(config),
    ];

    for builder in builders {
        let client = builder.build().unwrap();
        client
            .get(&format!("{}/tasks", client.base_url))
            .await
            .unwrap();
    }

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        let headers = &request.headers;
        assert_eq!(headers.get("x-api-key").unwrap(), KEY);
        assert_eq!(headers.get("user-agent").unwrap(), "my-app/1.0");
    }
}

#[tokio::test]
async fn a_redirect_to_another_port_is_not_followed_and_the_key_stays_home() {
    let home = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&elsewhere)
        .await;
    Mock::given(path("/tasks"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/steal", elsewhere.uri())),
        )
        .mount(&home)
        .await;
    let client = builder().api_key(KEY).base_url(home.uri()).build().unwrap();

    let response = client
        .get(&format!("{}/tasks", client.base_url))
        .await
        .unwrap();

    assert_eq!(
        response.status().as_u16(),
        302,
        "cross-origin redirects are returned, not followed"
    );
    assert!(elsewhere.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_with_the_key() {
    let server = MockServer::start().await;
    Mock::given(path("/old"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/new"))
        .mount(&server)
        .await;
    Mock::given(path("/new"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = builder()
        .api_key(KEY)
        .base_url(server.uri())
        .build()
        .unwrap();

    let response = client
        .get(&format!("{}/old", client.base_url))
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 200);
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].headers.get("x-api-key").unwrap(), KEY);
}

#[tokio::test]
async fn a_request_to_another_origin_never_gets_the_key() {
    let other = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&other)
        .await;
    let client = builder()
        .api_key(KEY)
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();

    client.get(&format!("{}/x", other.uri())).await.unwrap();

    let requests = other.received_requests().await.unwrap();
    assert!(requests[0].headers.get("x-api-key").is_none());
}

#[tokio::test]
async fn a_builders_settings_survive_into_config_and_back() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let config = builder()
        .api_key(KEY)
        .base_url(server.uri())
        .retry_policy(RetryPolicy::disabled())
        .timeout(Duration::from_secs(7))
        .into_config();
    let text = format!("{config:?}");
    assert!(
        text.starts_with("ClientConfig {") && text.contains("timeout: 7s"),
        "{text}"
    );
    assert!(text.contains("[REDACTED]") && !text.contains(KEY), "{text}");

    let client = ClientBuilder::<FakeClient>::from(config).build().unwrap();
    let response = client
        .get(&format!("{}/tasks", client.base_url))
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        1,
        "the retry policy came along: no retry"
    );
}

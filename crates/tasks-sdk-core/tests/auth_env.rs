//! Credentials from environment variables, scheme by scheme. Every test uses its own
//! variables (`TASKS_SDK_CORE_AUTHTEST_<N>_...`), so they may run in parallel.

#[macro_use]
mod common;

use common::{PRIVATE, builder};
use tasks_sdk_core::AuthScheme;
use wiremock::matchers::{body_string, header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

provider!(
    KeyFromEnv,
    "21",
    &[AuthScheme::Header("x-api-key")],
    PRIVATE
);
provider!(BasicFromEnv, "22", &[AuthScheme::Basic], PRIVATE);
provider!(
    FallThrough,
    "23",
    &[AuthScheme::Basic, AuthScheme::Query("api_key")],
    PRIVATE
);
provider!(
    FirstWins,
    "24",
    &[AuthScheme::Basic, AuthScheme::Query("api_key")],
    PRIVATE
);
provider!(
    OAuthFromEnv,
    "25",
    &[AuthScheme::OAuth2ClientCredentials {
        token_url: "/token",
        scopes: &["tasks"],
    }],
    PRIVATE
);
provider!(
    TokenFromEnv,
    "26",
    &[AuthScheme::OAuth2ClientCredentials {
        token_url: "/token",
        scopes: &[],
    }],
    PRIVATE
);
provider!(ExplicitWins, "27", &[AuthScheme::Bearer], PRIVATE);
provider!(EmptyPassword, "28", &[AuthScheme::Basic], PRIVATE);
provider!(
    Overridden,
    "29",
    &[AuthScheme::Header("x-api-key")],
    PRIVATE
);

fn set(name: &str, value: &str) {
    // SAFETY: each test sets variables no other test reads, and nothing in this process
    // reads the environment outside Rust's `std::env` (which serialises access).
    unsafe { std::env::set_var(name, value) }
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    received.remove(0)
}

fn header_of<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

#[tokio::test]
async fn env_single_secret_scheme_reads_the_api_key_variable() {
    set("TASKS_SDK_CORE_AUTHTEST_21_KEY", "env-key");
    let server = server().await;
    let client = builder::<KeyFromEnv>()
        .base_url(server.uri())
        .build()
        .unwrap();
    client.call("/x", "get").await.unwrap();
    assert_eq!(
        header_of(&only_request(&server).await, "x-api-key"),
        Some("env-key")
    );
}

#[tokio::test]
async fn env_basic_reads_username_and_password() {
    set("TASKS_SDK_CORE_AUTHTEST_22_USERNAME", "env-user");
    set("TASKS_SDK_CORE_AUTHTEST_22_PASSWORD", "env-pass");
    let server = server().await;
    let client = builder::<BasicFromEnv>()
        .base_url(server.uri())
        .build()
        .unwrap();
    client.call("/x", "get").await.unwrap();
    assert_eq!(
        header_of(&only_request(&server).await, "authorization"),
        Some("Basic ZW52LXVzZXI6ZW52LXBhc3M=")
    );
}

#[tokio::test]
async fn env_basic_password_may_be_set_but_empty() {
    set("TASKS_SDK_CORE_AUTHTEST_28_USERNAME", "env-user");
    set("TASKS_SDK_CORE_AUTHTEST_28_PASSWORD", "");
    let server = server().await;
    let client = builder::<EmptyPassword>()
        .base_url(server.uri())
        .build()
        .unwrap();
    client.call("/x", "get").await.unwrap();
    // base64("env-user:")
    assert_eq!(
        header_of(&only_request(&server).await, "authorization"),
        Some("Basic ZW52LXVzZXI6")
    );
}

#[tokio::test]
async fn env_an_incomplete_pair_falls_through_to_the_next_scheme() {
    set("TASKS_SDK_CORE_AUTHTEST_23_USERNAME", "env-user");
    set("TASKS_SDK_CORE_AUTHTEST_23_KEY", "env-key");
    let server = server().await;
    let client = builder::<FallThrough>()
        .base_url(server.uri())
        .build()
        .unwrap();
    client.call("/x", "get").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header_of(&request, "authorization"), None);
    assert_eq!(request.url.query(), Some("api_key=env-key"));
}

#[tokio::test]
async fn env_the_first_complete_scheme_wins() {
    set("TASKS_SDK_CORE_AUTHTEST_24_USERNAME", "env-user");
    set("TASKS_SDK_CORE_AUTHTEST_24_PASSWORD", "env-pass");
    set("TASKS_SDK_CORE_AUTHTEST_24_KEY", "env-key");
    let server = server().await;
    let client = builder::<FirstWins>()
        .base_url(server.uri())
        .build()
        .unwrap();
    client.call("/x", "get").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(
        header_of(&request, "authorization"),
        Some("Basic ZW52LXVzZXI6ZW52LXBhc3M=")
    );
    assert_eq!(request.url.query(), None);
}

#[tokio::test]
async fn env_oauth2_reads_client_id_and_secret() {
    set("TASKS_SDK_CORE_AUTHTEST_25_CLIENT_ID", "env-user");
    set("TASKS_SDK_CORE_AUTHTEST_25_CLIENT_SECRET", "env-pass");
    let server = server().await;
    Mock::given(method("POST"))
        .and(header("authorization", "Basic ZW52LXVzZXI6ZW52LXBhc3M="))
        .and(body_string("grant_type=client_credentials&scope=tasks"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "env-token",
            "token_type": "bearer",
            "expires_in": 3600,
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder::<OAuthFromEnv>()
        .base_url(server.uri())
        .build()
        .unwrap();
    client.call("/x", "get").await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].url.path(), "/token");
    assert_eq!(
        header_of(&received[1], "authorization"),
        Some("Bearer env-token")
    );
}

#[tokio::test]
async fn env_oauth2_falls_back_to_an_access_token_in_the_key_variable() {
    set("TASKS_SDK_CORE_AUTHTEST_26_KEY", "env-token");
    let server = server().await;
    let client = builder::<TokenFromEnv>()
        .base_url(server.uri())
        .build()
        .unwrap();
    client.call("/x", "get").await.unwrap();
    assert_eq!(
        header_of(&only_request(&server).await, "authorization"),
        Some("Bearer env-token")
    );
}

#[tokio::test]
async fn env_explicit_credentials_beat_the_environment() {
    set("TASKS_SDK_CORE_AUTHTEST_27_KEY", "env-key");
    let server = server().await;
    let client = builder::<ExplicitWins>()
        .api_key("explicit")
        .base_url(server.uri())
        .build()
        .unwrap();
    client.call("/x", "get").await.unwrap();
    assert_eq!(
        header_of(&only_request(&server).await, "authorization"),
        Some("Bearer explicit")
    );
}

#[tokio::test]
async fn env_key_follows_the_auth_scheme_override() {
    set("TASKS_SDK_CORE_AUTHTEST_29_KEY", "env-key");
    let server = server().await;
    let client = builder::<Overridden>()
        .auth_scheme(AuthScheme::Bearer)
        .base_url(server.uri())
        .build()
        .unwrap();
    client.call("/x", "get").await.unwrap();
    let request = only_request(&server).await;
    assert_eq!(header_of(&request, "authorization"), Some("Bearer env-key"));
    assert_eq!(header_of(&request, "x-api-key"), None);
}

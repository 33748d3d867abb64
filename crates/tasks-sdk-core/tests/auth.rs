//! Every security scheme: what reaches the wire, when a credential is required, and
//! where secrets never go (other origins, errors, `Debug`, traces).

#[macro_use]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Fake, MIXED, PRIVATE, Spec, assert_absent, builder, leak};
use progenitor_client::ByteStream;
use reqwest::Method;
use tasks_sdk_core::{AuthScheme, ClientBuilder, Error, RetryPolicy, Sleep};
use wiremock::matchers::{any, body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk_live_TopSecret42";
const USERNAME: &str = "alice-Uname";
const PASSWORD: &str = "pw-Secret";
const CLIENT_ID: &str = "client-id-Xyz";
const CLIENT_SECRET: &str = "client-secret-Shh";
/// base64("client-id-Xyz:client-secret-Shh")
const CLIENT_BASIC: &str = "Basic Y2xpZW50LWlkLVh5ejpjbGllbnQtc2VjcmV0LVNoaA==";

provider!(HeaderApi, "1", &[AuthScheme::Header("x-api-key")], PRIVATE);
provider!(BearerApi, "2", &[AuthScheme::Bearer], PRIVATE);
provider!(BasicApi, "3", &[AuthScheme::Basic], PRIVATE);
provider!(CookieApi, "4", &[AuthScheme::Cookie("session")], PRIVATE);
provider!(QueryApi, "5", &[AuthScheme::Query("api_key")], PRIVATE);
provider!(
    OAuthApi,
    "6",
    &[AuthScheme::OAuth2ClientCredentials {
        token_url: "/oauth/token",
        scopes: &["read", "write"],
    }],
    PRIVATE
);
const SEVERAL: &[AuthScheme] = &[
    AuthScheme::Header("x-api-key"),
    AuthScheme::Basic,
    AuthScheme::OAuth2ClientCredentials {
        token_url: "https://auth.example.invalid/token",
        scopes: &[],
    },
];
provider!(MixedApi, "7", SEVERAL, MIXED);
provider!(AllPrivateApi, "8", SEVERAL, PRIVATE);
provider!(OpenApi, "9", &[], MIXED);
provider!(NoServerApi, "10", &[AuthScheme::Bearer], PRIVATE, "");

/// A server that answers 204 to everything.
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

/// Builds against a fresh 204 server, calls `GET /tasks?limit=5`, returns what arrived.
async fn on_the_wire<S: Spec>(builder: ClientBuilder<Fake<S>>) -> Request {
    let server = server().await;
    let client = builder.base_url(server.uri()).build().unwrap();
    client.call("/tasks?limit=5", "get").await.unwrap();
    let mut received = requests(&server).await;
    assert_eq!(received.len(), 1);
    received.remove(0)
}

/// An origin nothing listens on (a port that was free a moment ago).
fn closed_origin() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn oauth_to(token_server: &MockServer, scopes: &'static [&'static str]) -> AuthScheme {
    AuthScheme::OAuth2ClientCredentials {
        token_url: leak(format!("{}/oauth/token", token_server.uri())),
        scopes,
    }
}

fn token_response(token: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({
        "access_token": token,
        "token_type": "Bearer",
        "expires_in": expires_in,
    }))
}

#[test]
fn describe_is_one_line_per_scheme() {
    let cases = [
        (AuthScheme::Bearer, "Authorization: Bearer <key>"),
        (AuthScheme::Header("x-api-key"), "x-api-key: <key>"),
        (AuthScheme::Query("api_key"), "?api_key=<key>"),
        (AuthScheme::Cookie("session"), "Cookie: session=<key>"),
        (
            AuthScheme::Basic,
            "Authorization: Basic <username:password>",
        ),
        (
            AuthScheme::OAuth2ClientCredentials {
                token_url: "https://auth.example/token",
                scopes: &["a"],
            },
            "OAuth2 client credentials (token URL https://auth.example/token)",
        ),
    ];
    for (scheme, expected) in cases {
        assert_eq!(scheme.describe(), expected);
    }
    assert_eq!(AuthScheme::Header("apikey").header_name(), Some("apikey"));
    assert_eq!(AuthScheme::Query("api_key").header_name(), None);
    assert_eq!(AuthScheme::Basic.header_name(), Some("authorization"));
}

#[tokio::test]
async fn header_api_key_is_sent_raw_in_its_header() {
    let request = on_the_wire(builder::<HeaderApi>().api_key("k")).await;
    assert_eq!(header_of(&request, "x-api-key"), Some("k"));
    assert_eq!(header_of(&request, "authorization"), None);
    assert_eq!(request.url.query(), Some("limit=5"));
}

#[tokio::test]
async fn bearer_token_is_sent_as_authorization_bearer() {
    let request = on_the_wire(builder::<BearerApi>().api_key("k")).await;
    assert_eq!(header_of(&request, "authorization"), Some("Bearer k"));
}

#[tokio::test]
async fn basic_auth_is_base64_of_username_and_password() {
    let request = on_the_wire(builder::<BasicApi>().basic_auth("user", "pass")).await;
    assert_eq!(
        header_of(&request, "authorization"),
        Some("Basic dXNlcjpwYXNz")
    );
    // `.auth_scheme(Basic)` reads `.api_key` as `username:password`.
    let request = on_the_wire(
        builder::<HeaderApi>()
            .auth_scheme(AuthScheme::Basic)
            .api_key("user:pass"),
    )
    .await;
    assert_eq!(
        header_of(&request, "authorization"),
        Some("Basic dXNlcjpwYXNz")
    );
    assert_eq!(header_of(&request, "x-api-key"), None);
    // An empty password (keys-as-username APIs) is allowed.
    let request = on_the_wire(builder::<BasicApi>().basic_auth(USERNAME, "")).await;
    assert_eq!(
        header_of(&request, "authorization"),
        Some("Basic YWxpY2UtVW5hbWU6")
    );
}

#[tokio::test]
async fn cookie_api_key_is_a_sensitive_cookie_merged_with_existing_ones() {
    let request = on_the_wire(builder::<CookieApi>().api_key("k")).await;
    assert_eq!(header_of(&request, "cookie"), Some("session=k"));
    assert_eq!(header_of(&request, "authorization"), None);

    let client = builder::<CookieApi>()
        .api_key("k")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    let mut request = client
        .http
        .get("http://127.0.0.1:9/x")
        .header("cookie", "theme=dark")
        .build()
        .unwrap();
    client.runtime.prepare(&mut request, "get").await.unwrap();
    let cookies: Vec<_> = request.headers().get_all("cookie").iter().collect();
    assert_eq!(cookies.len(), 1);
    assert_eq!(cookies[0], "theme=dark; session=k");
    assert!(cookies[0].is_sensitive());
}

#[tokio::test]
async fn query_api_key_is_in_the_query_string_and_nowhere_else() {
    let request = on_the_wire(builder::<QueryApi>().api_key(KEY)).await;
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        [
            ("limit".to_owned(), "5".to_owned()),
            ("api_key".to_owned(), KEY.to_owned())
        ]
    );
    for (name, value) in request.headers.iter() {
        assert!(
            !value.to_str().unwrap_or("").contains(KEY),
            "the key is in header {name}"
        );
    }
}

#[tokio::test]
async fn access_token_is_always_bearer() {
    let request = on_the_wire(builder::<HeaderApi>().access_token("tok")).await;
    assert_eq!(header_of(&request, "authorization"), Some("Bearer tok"));
    assert_eq!(header_of(&request, "x-api-key"), None);
}

#[tokio::test]
async fn an_api_key_for_an_oauth2_only_provider_is_an_access_token() {
    let server = server().await;
    let client = builder::<OAuthApi>()
        .api_key("tok")
        .base_url(server.uri())
        .build()
        .unwrap();
    assert_eq!(client.runtime.auth_scheme(), Some(AuthScheme::Bearer));
    client.call("/tasks", "get").await.unwrap();
    let received = requests(&server).await;
    assert_eq!(received.len(), 1, "no token request");
    assert_eq!(header_of(&received[0], "authorization"), Some("Bearer tok"));
}

#[test]
fn build_fails_naming_every_env_var_when_every_operation_needs_a_credential() {
    let err = builder::<AllPrivateApi>().build().unwrap_err();
    assert!(
        matches!(
            &err,
            Error::MissingCredentials {
                provider: "AllPrivateApi",
                env_var: "TASKS_SDK_CORE_AUTHTEST_8_KEY",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "missing credentials for AllPrivateApi: set TASKS_SDK_CORE_AUTHTEST_8_KEY, or \
         TASKS_SDK_CORE_AUTHTEST_8_USERNAME and TASKS_SDK_CORE_AUTHTEST_8_PASSWORD, or \
         TASKS_SDK_CORE_AUTHTEST_8_CLIENT_ID and TASKS_SDK_CORE_AUTHTEST_8_CLIENT_SECRET, or \
         call .api_key(...) or .basic_auth(...) or .oauth2_client_credentials(...)"
    );
    let err = builder::<OAuthApi>().build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing credentials for OAuthApi: set TASKS_SDK_CORE_AUTHTEST_6_CLIENT_ID and \
         TASKS_SDK_CORE_AUTHTEST_6_CLIENT_SECRET, or TASKS_SDK_CORE_AUTHTEST_6_KEY, or call \
         .oauth2_client_credentials(...) or .access_token(...)"
    );
}

#[tokio::test]
async fn public_operations_work_without_a_credential_and_private_ones_fail_unsent() {
    let server = server().await;
    let client = builder::<MixedApi>()
        .base_url(server.uri())
        .build()
        .unwrap();
    assert_eq!(client.runtime.auth_scheme(), None);

    client.call("/public", "public").await.unwrap();
    let err = client.call("/private", "get").await.unwrap_err();

    assert!(
        matches!(
            &err,
            Error::MissingCredentials {
                provider: "MixedApi",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("TASKS_SDK_CORE_AUTHTEST_7_KEY"),
        "{err}"
    );
    let received = requests(&server).await;
    assert_eq!(received.len(), 1, "the private call sent nothing");
    assert_eq!(received[0].url.path(), "/public");
    for name in ["authorization", "x-api-key", "cookie"] {
        assert_eq!(header_of(&received[0], name), None, "{name}");
    }
}

#[tokio::test]
async fn a_configured_credential_also_goes_to_public_operations() {
    let server = server().await;
    let client = builder::<MixedApi>()
        .api_key("k")
        .base_url(server.uri())
        .build()
        .unwrap();
    client.call("/public", "public").await.unwrap();
    let received = requests(&server).await;
    assert_eq!(header_of(&received[0], "x-api-key"), Some("k"));
}

#[tokio::test]
async fn a_provider_without_schemes_needs_and_sends_no_credential() {
    let server = server().await;
    let client = builder::<OpenApi>().base_url(server.uri()).build().unwrap();
    client.call("/x", "get").await.unwrap();
    client.call("/y", "public").await.unwrap();
    for request in requests(&server).await {
        assert_eq!(header_of(&request, "authorization"), None);
    }
}

#[test]
fn a_provider_without_a_server_url_needs_a_base_url() {
    let err = builder::<NoServerApi>().api_key("k").build().unwrap_err();
    assert!(
        matches!(&err, Error::InvalidArgument { name, reason } if name == "base_url"
            && reason == "NoServerApi documents no server URL: set \
                TASKS_SDK_CORE_AUTHTEST_10_BASE_URL or call .base_url(..)"),
        "{err:?}"
    );
    builder::<NoServerApi>()
        .api_key("k")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
}

#[test]
fn malformed_credentials_are_invalid_arguments_without_the_secret() {
    let name_of = |err: Error| match err {
        Error::InvalidArgument { name, reason } => {
            assert!(
                !reason.contains(PASSWORD) && !reason.contains(KEY),
                "{reason}"
            );
            name
        }
        other => panic!("{other:?}"),
    };
    let err = builder::<BasicApi>()
        .basic_auth("a:b", PASSWORD)
        .build()
        .unwrap_err();
    assert_eq!(name_of(err), "username");
    let err = builder::<BasicApi>().api_key(KEY).build().unwrap_err();
    assert_eq!(name_of(err), "api_key");
    let err = builder::<HeaderApi>()
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap_err();
    assert_eq!(name_of(err), "oauth2_client_credentials");
    let err = builder::<OAuthApi>()
        .oauth2_client_credentials(CLIENT_ID, "")
        .build()
        .unwrap_err();
    assert_eq!(name_of(err), "client_secret");
    let err = builder::<CookieApi>()
        .api_key(format!("{KEY};x=y"))
        .build()
        .unwrap_err();
    assert_eq!(name_of(err), "api_key");
    let err = builder::<OpenApi>().api_key(KEY).build().unwrap_err();
    assert_eq!(name_of(err), "api_key");
}

#[tokio::test]
async fn no_scheme_sends_its_credential_to_another_origin() {
    let other = server().await;
    let token_server = server().await;
    let steal = format!("{}/steal", other.uri());
    let home = "http://127.0.0.1:9";

    let in_header = builder::<HeaderApi>()
        .api_key(KEY)
        .base_url(home)
        .build()
        .unwrap();
    in_header.call_url(&steal, "get").await.unwrap();
    let bearer = builder::<BearerApi>()
        .api_key(KEY)
        .base_url(home)
        .build()
        .unwrap();
    bearer.call_url(&steal, "get").await.unwrap();
    let token = builder::<HeaderApi>()
        .access_token(KEY)
        .base_url(home)
        .build()
        .unwrap();
    token.call_url(&steal, "get").await.unwrap();
    let basic = builder::<BasicApi>()
        .basic_auth(USERNAME, PASSWORD)
        .base_url(home)
        .build()
        .unwrap();
    basic.call_url(&steal, "get").await.unwrap();
    let cookie = builder::<CookieApi>()
        .api_key(KEY)
        .base_url(home)
        .build()
        .unwrap();
    cookie.call_url(&steal, "get").await.unwrap();
    let query = builder::<QueryApi>()
        .api_key(KEY)
        .base_url(home)
        .build()
        .unwrap();
    query.call_url(&steal, "get").await.unwrap();
    let oauth = builder::<OAuthApi>()
        .auth_scheme(oauth_to(&token_server, &[]))
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(home)
        .build()
        .unwrap();
    oauth.call_url(&steal, "get").await.unwrap();

    let received = requests(&other).await;
    assert_eq!(received.len(), 7);
    for request in &received {
        for secret in [
            KEY,
            USERNAME,
            PASSWORD,
            CLIENT_ID,
            CLIENT_SECRET,
            "Basic",
            "Bearer",
        ] {
            assert_absent(request, secret);
        }
        assert_eq!(header_of(request, "cookie"), None);
        assert_eq!(request.url.query(), None);
    }
    assert!(
        requests(&token_server).await.is_empty(),
        "no token is fetched for another origin"
    );
}

#[tokio::test]
async fn oauth2_fetches_one_token_for_many_calls_and_sends_it_as_bearer() {
    let api = MockServer::start().await;
    let token_server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(header("authorization", CLIENT_BASIC))
        .and(body_string(
            "grant_type=client_credentials&scope=read+write",
        ))
        .respond_with(token_response("tok-1", 3600))
        .expect(1)
        .mount(&token_server)
        .await;
    Mock::given(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(204))
        .expect(4)
        .mount(&api)
        .await;
    let client = builder::<OAuthApi>()
        .auth_scheme(oauth_to(&token_server, &["read", "write"]))
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(api.uri())
        .build()
        .unwrap();

    client.call("/a", "get").await.unwrap();
    client.call("/b", "get").await.unwrap();
    // Clones share the cache; so do concurrent calls.
    let clone = client.clone();
    let (c, d) =
        futures_util::future::join(clone.call("/c", "get"), client.call("/d", "get")).await;
    c.unwrap();
    d.unwrap();

    assert_eq!(requests(&token_server).await.len(), 1);
    for request in requests(&api).await {
        for secret in [CLIENT_ID, CLIENT_SECRET, CLIENT_BASIC] {
            assert_absent(&request, secret);
        }
    }
}

#[tokio::test]
async fn oauth2_relative_token_urls_resolve_against_the_base_url() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(body_string(
            "grant_type=client_credentials&scope=read+write",
        ))
        .respond_with(token_response("tok-root", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/auth/token"))
        .and(body_string("grant_type=client_credentials"))
        .respond_with(token_response("tok-v1", 3600))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let base = format!("{}/v1/", server.uri());

    // "/oauth/token": from the origin's root.
    let client = builder::<OAuthApi>()
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(&base)
        .build()
        .unwrap();
    client.call("/tasks", "get").await.unwrap();
    // "auth/token": under the base URL.
    let client = builder::<OAuthApi>()
        .auth_scheme(AuthScheme::OAuth2ClientCredentials {
            token_url: "auth/token",
            scopes: &[],
        })
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(&base)
        .build()
        .unwrap();
    client.call("/tasks", "get").await.unwrap();

    let bearers: Vec<String> = requests(&server)
        .await
        .iter()
        .filter(|r| r.method == Method::GET)
        .map(|r| header_of(r, "authorization").unwrap().to_owned())
        .collect();
    assert_eq!(bearers, ["Bearer tok-root", "Bearer tok-v1"]);
}

#[tokio::test]
async fn oauth2_token_is_refreshed_when_it_expires() {
    let api = server().await;
    let token_server = MockServer::start().await;
    // Shorter-lived than the 30 s refresh margin: stale at once.
    Mock::given(method("POST"))
        .respond_with(token_response("tok-1", 1))
        .up_to_n_times(1)
        .mount(&token_server)
        .await;
    Mock::given(method("POST"))
        .respond_with(token_response("tok-2", 1))
        .up_to_n_times(1)
        .mount(&token_server)
        .await;
    let client = builder::<OAuthApi>()
        .auth_scheme(oauth_to(&token_server, &[]))
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(api.uri())
        .build()
        .unwrap();

    client.call("/a", "get").await.unwrap();
    client.call("/b", "get").await.unwrap();

    let bearers: Vec<_> = requests(&api)
        .await
        .iter()
        .map(|r| header_of(r, "authorization").unwrap().to_owned())
        .collect();
    assert_eq!(bearers, ["Bearer tok-1", "Bearer tok-2"]);
    assert_eq!(requests(&token_server).await.len(), 2);
}

#[tokio::test]
async fn oauth2_a_401_from_the_api_drops_the_cached_token() {
    let api = MockServer::start().await;
    let token_server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(token_response("tok-revoked", 3600))
        .up_to_n_times(1)
        .mount(&token_server)
        .await;
    Mock::given(method("POST"))
        .respond_with(token_response("tok-new", 3600))
        .mount(&token_server)
        .await;
    Mock::given(header("authorization", "Bearer tok-revoked"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&api)
        .await;
    Mock::given(header("authorization", "Bearer tok-new"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&api)
        .await;
    let client = builder::<OAuthApi>()
        .auth_scheme(oauth_to(&token_server, &[]))
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(api.uri())
        .build()
        .unwrap();

    let err = client.call("/a", "get").await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized(_)), "{err:?}");
    client.call("/b", "get").await.unwrap();
    client.call("/c", "get").await.unwrap();

    assert_eq!(requests(&token_server).await.len(), 2);
}

#[tokio::test]
async fn oauth2_token_endpoint_refusal_is_unauthorized_without_the_secret() {
    let api = server().await;
    let token_server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": "Client authentication failed",
        })))
        .mount(&token_server)
        .await;
    let client = builder::<OAuthApi>()
        .auth_scheme(oauth_to(&token_server, &[]))
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(api.uri())
        .build()
        .unwrap();

    let err = client.call("/a", "get").await.unwrap_err();

    let Error::Unauthorized(details) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(details.status.as_u16(), 401);
    assert_eq!(details.operation, "get");
    assert!(
        details
            .message
            .contains("invalid_client: Client authentication failed"),
        "{}",
        details.message
    );
    assert!(details.message.contains("token endpoint"));
    for text in [format!("{err}"), format!("{err:?}")] {
        for secret in [CLIENT_SECRET, CLIENT_BASIC, "Y2xpZW50"] {
            assert!(!text.contains(secret), "{text}");
        }
    }
    assert!(requests(&api).await.is_empty(), "nothing sent to the API");
}

#[tokio::test]
async fn oauth2_unusable_token_response_is_a_decode_error_without_the_token() {
    let api = server().await;
    let token_server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "tok-Secret-mac",
            "token_type": "mac",
        })))
        .mount(&token_server)
        .await;
    let client = builder::<OAuthApi>()
        .auth_scheme(oauth_to(&token_server, &[]))
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(api.uri())
        .build()
        .unwrap();

    let err = client.call("/a", "get").await.unwrap_err();

    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains("tok-Secret-mac"), "{text}");
        assert!(!text.contains(CLIENT_SECRET), "{text}");
    }
    assert!(requests(&api).await.is_empty());
}

/// Collects what a `tracing` subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn a_query_key_never_appears_in_errors_traces_or_response_urls() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let no_wait = Sleep::new(|_| async {});

    // Connection refused, retried once (a "retrying" debug event), then given up.
    let client = builder::<QueryApi>()
        .api_key(KEY)
        .base_url(closed_origin())
        .retry_policy(RetryPolicy::with_max_attempts(2))
        .sleep_impl(no_wait)
        .build()
        .unwrap();
    let err = client.call("/tasks?limit=5", "get").await.unwrap_err();
    assert!(matches!(err, Error::Connection { .. }), "{err:?}");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains(KEY), "{text}");
    }

    // A timeout: a listener that accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let client = builder::<QueryApi>()
        .api_key(KEY)
        .base_url(format!("http://{}", silent.local_addr().unwrap()))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.call("/tasks", "get").await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains(KEY), "{text}");
    }

    // An error status, and the response handed back to progenitor.
    let server = MockServer::start().await;
    Mock::given(path("/missing"))
        .respond_with(ResponseTemplate::new(404).set_body_string("not here"))
        .mount(&server)
        .await;
    Mock::given(path("/tasks"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = builder::<QueryApi>()
        .api_key(KEY)
        .base_url(server.uri())
        .build()
        .unwrap();
    let err = client.call("/missing", "get").await.unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains(KEY), "{text}");
    }
    let mut request = client
        .http
        .get(format!("{}/tasks?limit=5", client.base_url))
        .build()
        .unwrap();
    client.runtime.prepare(&mut request, "get").await.unwrap();
    let response = client
        .runtime
        .execute(&client.http, request, "get")
        .await
        .unwrap();
    assert_eq!(response.url().query(), Some("limit=5"));
    let received = requests(&server).await;
    assert!(received.iter().all(|r| r.url.as_str().contains(KEY)));

    let logs = captured.text();
    assert!(
        logs.contains("retrying") && logs.contains("request failed"),
        "{logs}"
    );
    assert!(!logs.contains(KEY), "{logs}");
}

#[tokio::test]
async fn debug_output_never_shows_a_secret_for_any_scheme() {
    let token_server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(token_response("tok-Debug-1", 3600))
        .mount(&token_server)
        .await;
    let api = server().await;
    let secrets = [
        KEY,
        USERNAME,
        PASSWORD,
        CLIENT_ID,
        CLIENT_SECRET,
        "tok-Debug-1",
    ];
    let check = |text: String, expected: &str| {
        assert!(
            text.contains(expected) && text.contains("[REDACTED]"),
            "{expected}: {text}"
        );
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    };

    let b = builder::<HeaderApi>().api_key(KEY);
    check(format!("{b:?}"), "ApiKey");
    check(format!("{:?}", b.build().unwrap()), "x-api-key: [REDACTED]");
    let b = builder::<HeaderApi>().access_token(KEY);
    check(format!("{b:?}"), "AccessToken");
    check(
        format!("{:?}", b.build().unwrap()),
        "Authorization: Bearer [REDACTED]",
    );
    let b = builder::<BearerApi>().api_key(KEY);
    check(
        format!("{:?}", b.build().unwrap()),
        "Authorization: Bearer [REDACTED]",
    );
    let b = builder::<BasicApi>().basic_auth(USERNAME, PASSWORD);
    check(format!("{b:?}"), "Basic");
    check(
        format!("{:#?}", b.build().unwrap()),
        "Authorization: Basic [REDACTED]",
    );
    let b = builder::<CookieApi>().api_key(KEY);
    check(
        format!("{:?}", b.build().unwrap()),
        "Cookie: session=[REDACTED]",
    );
    let b = builder::<QueryApi>().api_key(KEY);
    check(format!("{:?}", b.build().unwrap()), "?api_key=[REDACTED]");
    let b = builder::<OAuthApi>()
        .auth_scheme(oauth_to(&token_server, &[]))
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .base_url(api.uri());
    check(format!("{b:?}"), "OAuth2ClientCredentials");
    let client = b.build().unwrap();
    client.call("/a", "get").await.unwrap();
    check(
        format!("{client:?} {:#?}", client.runtime),
        "OAuth2 client credentials (token URL http://127.0.0.1:",
    );
}

#[tokio::test]
async fn typed_error_bodies_need_no_debug() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_string("plain text error"))
        .mount(&server)
        .await;
    let client = builder::<OpenApi>().base_url(server.uri()).build().unwrap();

    let err = client.call("/x", "get").await.unwrap_err();

    let details = err.api_error().expect("an API error");
    assert_eq!(details.message, "plain text error");
    assert!(details.body::<ByteStream>().is_some());
    assert!(format!("{err:?}").contains("<typed body>"), "{err:?}");
}

#[test]
fn prepare_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let client = builder::<OAuthApi>()
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .build()
        .unwrap();
    let mut request = client
        .http
        .get("https://api.example.invalid/v1/x")
        .build()
        .unwrap();
    let future = client.runtime.prepare(&mut request, "get");
    assert_send(&future);
}

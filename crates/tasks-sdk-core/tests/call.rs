//! Per-call options (`with_options`) and response metadata (`call_with_response`), at
//! the HTTP boundary.

#[macro_use]
mod common;

use std::time::Duration;

use common::{Fake, PRIVATE};
use tasks_sdk_core::{AuthScheme, ClientBuilder, Error, RequestOptions, RetryPolicy, Sleep};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers};

provider!(Bearer, "CALL_1", &[AuthScheme::Bearer], PRIVATE);
provider!(
    KeyHeader,
    "CALL_2",
    &[
        AuthScheme::Header("x-api-key"),
        AuthScheme::Cookie("session")
    ],
    PRIVATE
);

fn builder<S: common::Spec>(base_url: &str) -> ClientBuilder<Fake<S>> {
    ClientBuilder::new()
        .api_key("sk_call_test")
        .base_url(base_url)
        .retry_policy(RetryPolicy::with_max_attempts(3))
        .sleep_impl(Sleep::new(|_| async {}))
}

#[tokio::test]
async fn options_apply_to_their_call_only() {
    let server = MockServer::start().await;
    Mock::given(matchers::path("/slow"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(400)))
        .mount(&server)
        .await;
    Mock::given(matchers::path("/fast"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = builder::<Bearer>(&server.uri()).build().unwrap();
    let options = RequestOptions::new()
        .timeout(Duration::from_millis(50))
        .header("X-Trace-Id", "trace-1")
        .retry_policy(RetryPolicy::disabled());

    let err = client
        .with_options("/slow", "get", options.clone())
        .call()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1, "the call's policy: no retries");
    assert_eq!(received[0].headers["x-trace-id"], "trace-1");
    assert_eq!(
        received[0].headers["authorization"], "Bearer sk_call_test",
        "the client's credential still goes"
    );

    // The same client, without options: the client's timeout (30 s), no header.
    client.call("/slow", "get").await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    assert!(!received[1].headers.contains_key("x-trace-id"));

    // Headers may replace the runtime's own, e.g. the user agent.
    let options = RequestOptions::new()
        .header("user-agent", "my-app/1.0")
        .header("x-trace-id", "first")
        .header("x-trace-id", "second");
    client
        .with_options("/fast", "get", options)
        .call()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[2].headers["user-agent"], "my-app/1.0");
    let traces: Vec<_> = received[2].headers.get_all("x-trace-id").iter().collect();
    assert_eq!(traces, ["second"]);
}

#[tokio::test]
async fn option_headers_never_carry_a_credential_and_must_be_well_formed() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let bearer = builder::<Bearer>(&server.uri()).build().unwrap();
    let keyed = builder::<KeyHeader>(&server.uri()).build().unwrap();
    let rejected = |name: &str, value: &str| RequestOptions::new().header(name, value);

    for name in ["Authorization", "cookie", "proxy-authorization"] {
        let err = bearer
            .with_options("/x", "get", rejected(name, "Bearer other"))
            .call()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidArgument { name, reason } if name == "header" && reason.contains("credential")),
            "{err:?}"
        );
        assert!(
            !err.to_string().contains("other"),
            "no value in the message"
        );
    }
    for name in ["X-API-KEY", "authorization", "Cookie"] {
        let err = keyed
            .with_options("/x", "get", rejected(name, "k"))
            .call()
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgument { .. }),
            "{name}: {err:?}"
        );
    }
    for (name, value) in [("bad name", "v"), ("x-ok", "line\nbreak")] {
        let err = bearer
            .with_options("/x", "get", rejected(name, value))
            .call()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing sent"
    );
    // A header another provider's scheme uses is fine here.
    bearer
        .with_options("/x", "get", rejected("x-api-key", "not-a-credential-here"))
        .call()
        .await
        .unwrap();
}

#[tokio::test]
async fn responses_carry_status_headers_request_id_and_attempts() {
    let server = MockServer::start().await;
    Mock::given(matchers::path("/header"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "req_header")
                .insert_header("x-extra", "yes"),
        )
        .mount(&server)
        .await;
    Mock::given(matchers::path("/body"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(matchers::path("/body"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"request_id": "req_body"})),
        )
        .mount(&server)
        .await;
    let client = builder::<Bearer>(&server.uri()).build().unwrap();

    let response = client.call_with_response("/header", "get").await.unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.headers()["x-extra"], "yes");
    assert_eq!(response.request_id(), Some("req_header"));
    assert_eq!(response.attempts(), 1);
    let (): () = *response;
    response.into_inner();

    let response = client.call_with_response("/body", "get").await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.request_id(), Some("req_body"));
    assert_eq!(response.attempts(), 2, "one retry after the 503");

    let response = client
        .with_options("/header", "get", RequestOptions::new().header("x-a", "b"))
        .call_with_response()
        .await
        .unwrap();
    assert_eq!(response.request_id(), Some("req_header"));
}

//! `pagination::follow_link`: a next-page link fetched through the client's runtime, at
//! the HTTP boundary (where it goes, which credential it carries, retries, errors,
//! decoding).

#[macro_use]
mod common;

use common::{Fake, PRIVATE};
use serde::Deserialize;
use tasks_sdk_core::pagination::follow_link;
use tasks_sdk_core::{AuthScheme, ClientBuilder, Error, RetryPolicy, Sleep};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers};

provider!(Bearer, "LINK_1", &[AuthScheme::Bearer], PRIVATE);
provider!(
    KeyHeader,
    "LINK_2",
    &[AuthScheme::Header("x-api-key")],
    PRIVATE
);
provider!(KeyQuery, "LINK_3", &[AuthScheme::Query("api_key")], PRIVATE);

const KEY: &str = "sk_link_test";

#[derive(Debug, Deserialize, PartialEq)]
struct Page {
    items: Vec<u32>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct ErrorBody {
    error: String,
}

fn client<S: common::Spec>(base_url: &str) -> Fake<S> {
    ClientBuilder::new()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(RetryPolicy::with_max_attempts(3))
        .sleep_impl(Sleep::new(|_| async {}))
        .build()
        .unwrap()
}

async fn follow<S: common::Spec>(
    client: &Fake<S>,
    link: &str,
) -> Result<tasks_sdk_core::Response<Page>, Error> {
    follow_link::<Page, ErrorBody>(
        &client.runtime,
        &client.http,
        common::entry::<S>("get"),
        link,
    )
    .await
}

fn page(items: &[u32]) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({ "items": items }))
}

#[tokio::test]
async fn a_path_goes_to_the_base_url_with_the_credential_and_decodes_the_page() {
    let server = MockServer::start().await;
    Mock::given(matchers::method("GET"))
        .and(matchers::path("/v2/items"))
        .respond_with(page(&[3, 4]).insert_header("link", "</v2/items?page=3>; rel=\"next\""))
        .mount(&server)
        .await;
    let client = client::<Bearer>(&format!("{}/v2", server.uri()));

    // With and without the base URL's path prefix, and relative to it.
    for link in ["/v2/items?page=2", "/items?page=2", "items?page=2"] {
        let response = follow(&client, link).await.unwrap();
        assert_eq!(*response, Page { items: vec![3, 4] }, "{link}");
        assert_eq!(
            tasks_sdk_core::next_link(response.headers()).as_deref(),
            Some("/v2/items?page=3")
        );
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    for request in &received {
        assert_eq!(request.url.path(), "/v2/items");
        assert_eq!(request.url.query(), Some("page=2"));
        assert_eq!(request.headers["authorization"], format!("Bearer {KEY}"));
        assert_eq!(request.headers["accept"], "application/json");
        assert_eq!(
            request.headers["user-agent"],
            tasks_sdk_core::USER_AGENT,
            "the runtime prepared it"
        );
    }
}

#[tokio::test]
async fn a_link_to_another_origin_carries_no_credential() {
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(page(&[1]))
        .mount(&other)
        .await;

    let bearer = client::<Bearer>(&api.uri());
    let header = client::<KeyHeader>(&api.uri());
    let query = client::<KeyQuery>(&api.uri());
    let link = format!("{}/items?page=2", other.uri());
    follow(&bearer, &link).await.unwrap();
    follow(&header, &link).await.unwrap();
    // A key the link carries (echoed by the API) is not sent to the other origin.
    follow(&query, &format!("{link}&api_key={KEY}"))
        .await
        .unwrap();

    assert!(api.received_requests().await.unwrap().is_empty());
    let received = other.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    for request in &received {
        assert_eq!(request.url.path(), "/items");
        assert_eq!(request.url.query(), Some("page=2"));
        assert!(request.headers.get("authorization").is_none());
        assert!(request.headers.get("x-api-key").is_none());
    }
}

#[tokio::test]
async fn a_query_key_the_link_echoes_is_sent_once() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(page(&[]))
        .mount(&server)
        .await;
    let client = client::<KeyQuery>(&server.uri());

    follow(&client, "/items?api_key=stale&page=2")
        .await
        .unwrap();

    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].url.query(),
        Some(&*format!("page=2&api_key={KEY}"))
    );
}

#[tokio::test]
async fn transient_failures_are_retried() {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(matchers::any())
        .respond_with(page(&[9]))
        .mount(&server)
        .await;
    let client = client::<Bearer>(&server.uri());

    let response = follow(&client, "/items?page=2").await.unwrap();

    assert_eq!(response.attempts(), 3);
    assert_eq!(response.into_inner(), Page { items: vec![9] });
}

#[tokio::test]
async fn errors_use_the_taxonomy_with_typed_bodies() {
    let server = MockServer::start().await;
    Mock::given(matchers::path("/gone"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(serde_json::json!({"error": "no such page"}))
                .insert_header("x-request-id", "req_404"),
        )
        .mount(&server)
        .await;
    Mock::given(matchers::path("/denied"))
        .respond_with(ResponseTemplate::new(401).set_body_string("nope"))
        .mount(&server)
        .await;
    Mock::given(matchers::path("/garbled"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"items": "x"})))
        .mount(&server)
        .await;
    let client = client::<Bearer>(&server.uri());

    let e = follow(&client, "/gone").await.unwrap_err();
    let Error::Api(api) = &e else { panic!("{e:?}") };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.operation, "get");
    assert_eq!(api.message, "no such page");
    assert_eq!(e.request_id(), Some("req_404"));
    assert_eq!(
        e.api_error().and_then(|a| a.body::<ErrorBody>()),
        Some(&ErrorBody {
            error: "no such page".into()
        })
    );

    let e = follow(&client, "/denied").await.unwrap_err();
    assert!(matches!(e, Error::Unauthorized(_)), "{e:?}");
    assert_eq!(e.api_error().and_then(|a| a.body::<ErrorBody>()), None);

    let e = follow(&client, "/garbled").await.unwrap_err();
    assert!(matches!(e, Error::Decode(_)), "{e:?}");
}

#[tokio::test]
async fn a_bad_link_sends_nothing() {
    let server = MockServer::start().await;
    let client = client::<Bearer>(&server.uri());

    for link in ["", "ftp://files.example/p2", "http://[::1"] {
        let e = follow(&client, link).await.unwrap_err();
        assert!(matches!(e, Error::Pagination { .. }), "{link:?}: {e:?}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

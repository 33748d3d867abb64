//! Every row of the parameter serialization table through generated code: the crate
//! generated from `xtask/corpus/parameter_styles.yaml` (one operation per row: path
//! `simple`, `label`, `matrix`; query `form`, `spaceDelimited`, `pipeDelimited`,
//! `deepObject`, `allowReserved`, JSON `content`; headers; cookies) sends each request
//! to a local server, and the raw path, query, headers and cookie bytes it receives are
//! compared with strings written out by hand. Copied into the scratch crate's `tests/`
//! and run by `scratch::tests` in xtask.
//!
//! wiremock parses each request target into a `Url`, a parse that leaves `%XX` and
//! every character these requests hold as they are: its `path()` and `query()` are
//! the bytes that arrived.
#![deny(warnings)]

use std::collections::HashMap;

use serde_json::json;
use tasks_sdk_core::Error;
use tasks_sdk_styles::Client;
use tasks_sdk_styles::types::{Filter, GetDeepRange, Owner, Point};
use tasks_sdk_testkit::wiremock::{Mock, MockServer, Request, ResponseTemplate, matchers};
use tasks_sdk_testkit::{API_KEY, single_attempt};

async fn serve() -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = single_attempt(format!("{}/v1", server.uri()))
        .build()
        .unwrap();
    (server, client)
}

/// The one request the server received.
async fn received(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "one request");
    requests.pop().unwrap()
}

/// The path and the query, as they arrived.
async fn target(server: &MockServer) -> (String, Option<String>) {
    let request = received(server).await;
    (
        request.url.path().to_owned(),
        request.url.query().map(str::to_owned),
    )
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

fn point() -> Point {
    serde_json::from_value(json!({"R": 100, "G": 200, "B": 150})).unwrap()
}

fn filter() -> Filter {
    serde_json::from_value(json!({"status": "open", "owner": {"id": 7}, "tags": ["a", "b"]}))
        .unwrap()
}

/// The argument error of a call that must send nothing.
async fn refused(server: &MockServer, result: Result<(), Error>) -> (String, String) {
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
    match result {
        Err(Error::InvalidArgument { name, reason }) => (name, reason),
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}

#[tokio::test]
async fn a_path_value_is_percent_encoded_commas_included() {
    let (server, client) = serve().await;
    client
        .get_place()
        .id("5500-Grand-Lake-Dr,-San-Antonio,-TX-78244")
        .call()
        .await
        .unwrap();
    assert_eq!(
        target(&server).await,
        (
            "/v1/places/5500-Grand-Lake-Dr%2C-San-Antonio%2C-TX-78244".into(),
            None
        )
    );

    let (server, client) = serve().await;
    client.get_place().id("a/b ?#é").call().await.unwrap();
    assert_eq!(
        target(&server).await.0,
        "/v1/places/a%2Fb%20%3F%23%C3%A9"
    );
}

#[tokio::test]
async fn a_path_value_that_would_name_another_path_is_refused() {
    for id in ["..", ".", ""] {
        let (server, client) = serve().await;
        let (name, reason) = refused(&server, client.get_place().id(id).call().await).await;
        assert_eq!(name, "id", "{id:?}");
        assert!(reason.contains("another path"), "{id:?}: {reason}");
    }
}

#[tokio::test]
async fn path_simple_label_and_matrix() {
    let (server, client) = serve().await;
    client
        .get_colors()
        .color(strings(&["blue", "black", "brown"]))
        .call()
        .await
        .unwrap();
    assert_eq!(target(&server).await.0, "/v1/colors/blue,black,brown");

    // A comma of a value is told apart from the commas between values.
    let (server, client) = serve().await;
    client
        .get_colors()
        .color(strings(&["a,b", "c"]))
        .call()
        .await
        .unwrap();
    assert_eq!(target(&server).await.0, "/v1/colors/a%2Cb,c");

    // `simple`, `explode: true`, an object (typify orders a struct's fields by name).
    let (server, client) = serve().await;
    client.get_point().point(point()).call().await.unwrap();
    assert_eq!(target(&server).await.0, "/v1/points/B=150,G=200,R=100");

    let (server, client) = serve().await;
    client
        .get_labels()
        .color(strings(&["blue", "black", "brown"]))
        .exploded(strings(&["a", "b"]))
        .call()
        .await
        .unwrap();
    assert_eq!(target(&server).await.0, "/v1/labels/.blue,black,brown/.a.b");

    let (server, client) = serve().await;
    client
        .get_matrix()
        .color(strings(&["blue", "black", "brown"]))
        .point(point())
        .call()
        .await
        .unwrap();
    assert_eq!(
        target(&server).await.0,
        "/v1/matrix/;color=blue,black,brown/;B=150;G=200;R=100"
    );

    // Part of a segment: `{name}.json`.
    let (server, client) = serve().await;
    client.get_file().name("a b").call().await.unwrap();
    assert_eq!(target(&server).await.0, "/v1/files/a%20b.json");
}

#[tokio::test]
async fn query_form_exploded_or_not() {
    let (server, client) = serve().await;
    client
        .get_form()
        .tags(strings(&["a b", "c"]))
        .ids(vec![1, 2, 3])
        .where_(HashMap::from([("status".to_owned(), "open".to_owned())]))
        .point(HashMap::from([("R".to_owned(), "100".to_owned())]))
        .limit(5)
        .call()
        .await
        .unwrap();
    // In the order progenitor adds them (by name).
    assert_eq!(
        target(&server).await,
        (
            "/v1/form".into(),
            Some("ids=1,2,3&limit=5&point=R,100&tags=a%20b&tags=c&status=open".into())
        )
    );

    // Absent optional parameters: no query at all.
    let (server, client) = serve().await;
    client.get_form().call().await.unwrap();
    assert_eq!(target(&server).await, ("/v1/form".into(), None));

    // The documented range is still checked before anything is sent.
    let (server, client) = serve().await;
    let (name, reason) = refused(&server, client.get_form().limit(500).call().await).await;
    assert_eq!(name, "limit");
    assert!(reason.contains("100"), "{reason}");
}

#[tokio::test]
async fn query_space_and_pipe_delimited() {
    let (server, client) = serve().await;
    client
        .get_space()
        .color(strings(&["blue", "black", "brown"]))
        .words(strings(&["a", "b"]))
        .call()
        .await
        .unwrap();
    assert_eq!(
        target(&server).await.1.as_deref(),
        Some("color=blue%20black%20brown&words=a&words=b")
    );

    let (server, client) = serve().await;
    client
        .get_pipe()
        .color(strings(&["blue", "black", "brown"]))
        .ids(vec![1, 2])
        .call()
        .await
        .unwrap();
    assert_eq!(
        target(&server).await.1.as_deref(),
        Some("color=blue%7Cblack%7Cbrown&ids=1&ids=2")
    );
}

#[tokio::test]
async fn query_deep_object_nested_and_indexed() {
    let (server, client) = serve().await;
    let range: GetDeepRange = serde_json::from_value(json!({"from": 1})).unwrap();
    client
        .get_deep()
        .filter(filter())
        .range(range)
        .call()
        .await
        .unwrap();
    // `filter[owner][id]=7&filter[status]=open&filter[tags][0]=a&...`, brackets encoded.
    assert_eq!(
        target(&server).await.1.as_deref(),
        Some(
            "filter%5Bowner%5D%5Bid%5D=7&filter%5Bstatus%5D=open\
             &filter%5Btags%5D%5B0%5D=a&filter%5Btags%5D%5B1%5D=b&range%5Bfrom%5D=1"
        )
    );
}

#[tokio::test]
async fn query_allow_reserved_and_json_content() {
    let (server, client) = serve().await;
    client
        .get_reserved()
        .path("/docs/a b,c?x=1")
        .plain("/docs/a b,c?x=1")
        .call()
        .await
        .unwrap();
    assert_eq!(
        target(&server).await.1.as_deref(),
        Some("path=/docs/a%20b,c?x=1&plain=%2Fdocs%2Fa%20b%2Cc%3Fx%3D1")
    );

    let (server, client) = serve().await;
    let owner: Filter = serde_json::from_value(json!({"status": "open"})).unwrap();
    client.get_json().filter(owner).call().await.unwrap();
    assert_eq!(
        target(&server).await.1.as_deref(),
        Some("filter=%7B%22status%22%3A%22open%22%7D")
    );
}

#[tokio::test]
async fn headers_as_they_are_and_cr_lf_refused() {
    let (server, client) = serve().await;
    client
        .get_headers()
        .x_trace("São Paulo, SP")
        .x_limit(5)
        .x_tags("a,b")
        .x_filter(filter())
        .call()
        .await
        .unwrap();
    let request = received(&server).await;
    assert_eq!(
        request.headers["x-trace"].as_bytes(),
        "São Paulo, SP".as_bytes()
    );
    assert_eq!(request.headers["x-limit"].as_bytes(), b"5");
    assert_eq!(request.headers["x-tags"].as_bytes(), b"a,b");
    assert_eq!(
        request.headers["x-filter"].as_bytes(),
        br#"{"owner":{"id":7},"status":"open","tags":["a","b"]}"#
    );

    // Absent optional headers are not sent.
    let (server, client) = serve().await;
    client.get_headers().x_trace("t").call().await.unwrap();
    let request = received(&server).await;
    assert!(request.headers.get("x-limit").is_none());
    assert!(request.headers.get("x-filter").is_none());

    let (server, client) = serve().await;
    let (name, reason) = refused(
        &server,
        client
            .get_headers()
            .x_trace("a\r\nInjected: yes")
            .call()
            .await,
    )
    .await;
    assert_eq!(name, "X-Trace");
    assert!(reason.contains("CR or LF"), "{reason}");
}

#[tokio::test]
async fn cookies_in_one_header_with_the_credential() {
    let (server, client) = serve().await;
    client
        .get_cookies()
        .session("a;b c")
        .prefs(strings(&["dark", "compact"]))
        .ids(vec![1, 2])
        .call()
        .await
        .unwrap();
    let request = received(&server).await;
    let cookies: Vec<&[u8]> = request
        .headers
        .get_all("cookie")
        .iter()
        .map(|v| v.as_bytes())
        .collect();
    assert_eq!(
        cookies,
        [format!("ids=1; ids=2; prefs=dark,compact; session=a%3Bb%20c; key={API_KEY}").as_bytes()]
    );
}

#[tokio::test]
async fn every_location_at_once_and_no_parameter() {
    let (server, client) = serve().await;
    let owner: Owner = serde_json::from_value(json!({"id": 1})).unwrap();
    client
        .post_mixed()
        .id(5)
        .q("x y")
        .x_trace("t")
        .session("s")
        .body(owner)
        .call()
        .await
        .unwrap();
    let request = received(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/v1/mixed/5");
    assert_eq!(request.url.query(), Some("q=x%20y"));
    assert_eq!(request.headers["x-trace"].as_bytes(), b"t");
    assert_eq!(
        request.headers["cookie"].as_bytes(),
        format!("session=s; key={API_KEY}").as_bytes()
    );
    assert_eq!(request.body, br#"{"id":1}"#);

    let (server, client) = serve().await;
    client.ping().call().await.unwrap();
    assert_eq!(target(&server).await, ("/v1/ping".into(), None));
}

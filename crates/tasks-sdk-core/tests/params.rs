//! `tasks_sdk_core::params` on the wire: what a server receives is what the module
//! returned, byte for byte; reqwest, the URL parser under it, and the runtime's
//! query-string credential encode nothing again.
//!
//! wiremock parses each request target into a `Url`: a parse that leaves `%XX`
//! untouched and would only encode characters none of these requests hold (WHATWG
//! URL's path and query percent-encode sets), so its `path()` and `query()` are the
//! bytes that arrived. The expected strings are written out by hand, not computed.

#[macro_use]
mod common;

use common::{PRIVATE, builder};
use serde::Serialize;
use serde_json::json;
use tasks_sdk_core::AuthScheme;
use tasks_sdk_core::params::{
    CookieParam, Cookies, HeaderParam, ParamError, PathParam, PathStyle, QueryParam, QueryString,
    QueryStyle,
};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

provider!(
    QueryKeyApi,
    "PARAMS_1",
    &[AuthScheme::Query("api_key")],
    PRIVATE
);

#[derive(Serialize)]
struct Size {
    w: u32,
    h: &'static str,
}

#[derive(Serialize)]
struct Inner {
    b: u8,
}

#[derive(Serialize)]
struct Filter {
    a: Inner,
    c: &'static str,
    d: Option<&'static str>,
}

/// The path of `/places/{id}/cities/{city}/photo{;size*}/tags{.tags}`.
fn path() -> Result<String, ParamError> {
    Ok(format!(
        "/places/{}/cities/{}/photo{}/tags{}",
        PathParam::new("id", PathStyle::Simple)
            .serialize_segment("5500-Grand-Lake-Dr,-San-Antonio,-TX-78244")?,
        tasks_sdk_core::params::segment("city", "São Paulo/Zona Sul?#")?,
        PathParam::new("size", PathStyle::Matrix)
            .with_explode(true)
            .serialize(&Size { w: 100, h: "a;b" })?,
        PathParam::new("tags", PathStyle::Label).serialize(&["x,y", "z"])?,
    ))
}

const PATH: &str = "/places/5500-Grand-Lake-Dr%2C-San-Antonio%2C-TX-78244\
                    /cities/S%C3%A3o%20Paulo%2FZona%20Sul%3F%23/photo;w=100;h=a%3Bb/tags.x%2Cy,z";

/// One parameter of each query style, reserved characters, non-ASCII, `allowReserved`,
/// a JSON parameter, and an absent one.
fn query() -> Result<QueryString, ParamError> {
    let mut query = QueryString::new();
    query
        .push(
            QueryParam::new("ids", QueryStyle::Form).with_explode(false),
            &["a,b", "c d"],
        )?
        .push(QueryParam::new("tag", QueryStyle::Form), &["é", "+"])?
        .push(
            QueryParam::new("words", QueryStyle::SpaceDelimited),
            &["a", "b"],
        )?
        .push(QueryParam::new("nums", QueryStyle::PipeDelimited), &[1, 2])?
        .push(
            QueryParam::new("filter", QueryStyle::DeepObject),
            &Filter {
                a: Inner { b: 1 },
                c: "x y",
                d: None,
            },
        )?
        .push(
            QueryParam::new("path", QueryStyle::Form).with_allow_reserved(true),
            "a/b?c:d@e[f]",
        )?
        .push(QueryParam::json("json"), &json!({"k": "v"}))?
        .push(QueryParam::new("flag", QueryStyle::Form), &true)?
        .push(QueryParam::new("cursor", QueryStyle::Form), &None::<String>)?;
    Ok(query)
}

const QUERY: &str = "ids=a%2Cb,c%20d&tag=%C3%A9&tag=%2B&words=a%20b&nums=1%7C2\
                     &filter%5Ba%5D%5Bb%5D=1&filter%5Bc%5D=x%20y&path=a/b?c:d@e[f]\
                     &json=%7B%22k%22%3A%22v%22%7D&flag=true";

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

async fn received(server: &MockServer, path_start: &str) -> Request {
    let requests = server.received_requests().await.unwrap();
    let mut matching = requests
        .into_iter()
        .filter(|r| r.url.path().starts_with(path_start));
    let request = matching.next().expect("the request arrived");
    assert!(matching.next().is_none(), "one request");
    request
}

#[tokio::test]
async fn the_server_receives_the_serialized_bytes_as_they_are() {
    let server = server().await;
    let mut url = format!("{}{}", server.uri(), path().unwrap());
    query().unwrap().append_to(&mut url);

    let mut cookies = Cookies::new();
    cookies
        .push(CookieParam::new("session"), "a;b c")
        .unwrap()
        .push(CookieParam::new("ids"), &[1, 2])
        .unwrap();
    let http = reqwest::Client::new();
    let response = http
        .get(&url)
        .header(
            "x-color",
            HeaderParam::new("X-Color")
                .with_explode(true)
                .serialize(&json!({"G": 200, "R": 100}))
                .unwrap()
                .unwrap(),
        )
        .header(
            "x-city",
            HeaderParam::new("X-City")
                .serialize("São Paulo, SP")
                .unwrap()
                .unwrap(),
        )
        .header(reqwest::header::COOKIE, cookies.header_value().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);

    let request = received(&server, "/places/").await;
    assert_eq!(request.url.path(), PATH);
    assert_eq!(request.url.query(), Some(QUERY));
    assert_eq!(request.headers["x-color"].as_bytes(), b"G=200,R=100");
    // Not percent-encoded: the UTF-8 bytes as they are.
    assert_eq!(
        request.headers["x-city"].as_bytes(),
        "São Paulo, SP".as_bytes()
    );
    assert_eq!(
        request.headers["cookie"].as_bytes(),
        b"session=a%3Bb%20c; ids=1; ids=2"
    );
}

#[tokio::test]
async fn a_query_applied_to_a_built_request_follows_its_pairs_unchanged() {
    let server = server().await;
    let http = reqwest::Client::new();
    let mut request = http
        .get(format!("{}/applied?v=1", server.uri()))
        .build()
        .unwrap();
    query().unwrap().apply_to(request.url_mut());
    http.execute(request).await.unwrap();

    let request = received(&server, "/applied").await;
    assert_eq!(request.url.query(), Some(format!("v=1&{QUERY}").as_str()));
}

#[tokio::test]
async fn the_runtime_adds_a_query_key_after_the_pairs_without_encoding_them_again() {
    let server = server().await;
    let client = builder::<QueryKeyApi>()
        .api_key("key-1")
        .base_url(server.uri())
        .build()
        .unwrap();
    let mut url = format!("{}/search", server.uri());
    query().unwrap().append_to(&mut url);
    client.call_url(&url, "get").await.unwrap();

    let request = received(&server, "/search").await;
    assert_eq!(
        request.url.query(),
        Some(format!("{QUERY}&api_key=key-1").as_str())
    );
}

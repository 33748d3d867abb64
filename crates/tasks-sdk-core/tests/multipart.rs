//! `FilePart` and the `multipart/form-data` encoder, the parts checked one by one as a
//! local server reads them; retried and streamed uploads.

#[macro_use]
mod common;

use std::time::Duration;

use common::raw_server::{FormPart, RawServer, Step, form_parts, whole};
use common::{Fake, PRIVATE, Spec, entry};
use progenitor_client::{ByteStream, ResponseValue};
use serde::{Deserialize, Serialize};
use tasks_sdk_core::multipart::{self, Multipart};
use tasks_sdk_core::{ClientBuilder, Error, FilePart, RetryPolicy, Sleep};

provider!(Uploads, "MULTIPART_1", &[], PRIVATE, "http://127.0.0.1:1");

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Meta {
    kind: String,
    tags: Vec<String>,
}

/// A request body as typify generates one: binary properties are `FilePart`s.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct UploadBody {
    title: String,
    count: u32,
    draft: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    meta: Meta,
    file: FilePart,
    attachments: Vec<FilePart>,
    labels: Vec<String>,
}

fn body() -> UploadBody {
    UploadBody {
        title: "Q3 \"report\"".into(),
        count: 3,
        draft: false,
        note: None,
        meta: Meta {
            kind: "pdf".into(),
            tags: vec!["a".into(), "b".into()],
        },
        file: FilePart::new(&b"%PDF-1.7 \x00\xFF binary"[..])
            .file_name("report.pdf")
            .content_type("application/pdf"),
        attachments: vec![
            FilePart::new("one")
                .file_name("1.txt")
                .content_type("text/plain"),
            FilePart::new(vec![2u8; 70_000]).file_name("2.bin"),
        ],
        labels: vec!["x".into(), "y".into()],
    }
}

fn part(name: &str, file_name: Option<&str>, content_type: Option<&str>, body: &[u8]) -> FormPart {
    FormPart {
        name: name.into(),
        file_name: file_name.map(Into::into),
        content_type: content_type.map(Into::into),
        body: body.to_vec(),
    }
}

fn expected_parts() -> Vec<FormPart> {
    vec![
        part("title", None, None, b"Q3 \"report\""),
        part("count", None, None, b"3"),
        part("draft", None, None, b"false"),
        part(
            "meta",
            None,
            Some("application/json"),
            br#"{"kind":"pdf","tags":["a","b"]}"#,
        ),
        part(
            "file",
            Some("report.pdf"),
            Some("application/pdf"),
            b"%PDF-1.7 \x00\xFF binary",
        ),
        part("attachments", Some("1.txt"), Some("text/plain"), b"one"),
        part(
            "attachments",
            Some("2.bin"),
            Some("application/octet-stream"),
            &[2u8; 70_000],
        ),
        part("labels", None, None, b"x"),
        part("labels", None, None, b"y"),
    ]
}

/// What a generated `send()` with a multipart body does.
async fn send(
    client: &Fake<Uploads>,
    method: reqwest::Method,
    form: Multipart,
) -> Result<ResponseValue<()>, progenitor_client::Error<ByteStream>> {
    let url = format!("{}/upload", client.base_url);
    let request = form
        .apply(client.http.request(method, url))
        .map_err(|e| progenitor_client::Error::InvalidRequest(e.to_string()))?;
    let mut request = request.build()?;
    client
        .runtime
        .prepare(&mut request, "upload")
        .await
        .map_err(progenitor_client::Error::InvalidRequest)?;
    let response = client
        .runtime
        .execute(&client.http, request, "upload")
        .await?;
    if response.status().is_success() {
        Ok(ResponseValue::empty(response))
    } else {
        Err(progenitor_client::Error::ErrorResponse(
            ResponseValue::stream(response),
        ))
    }
}

async fn upload(
    client: &Fake<Uploads>,
    method: reqwest::Method,
    form: Multipart,
) -> Result<tasks_sdk_core::Response<()>, Error> {
    tasks_sdk_core::call_with_response(
        Uploads::PROVIDER,
        entry::<Uploads>("upload"),
        send(client, method, form),
    )
    .await
}

fn client(server: &RawServer) -> ClientBuilder<Fake<Uploads>> {
    ClientBuilder::new()
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::disabled())
}

fn ok() -> Vec<Step> {
    vec![Step::Write(whole(200, &[], b""))]
}

fn parts_of(received: &common::raw_server::Received) -> Vec<FormPart> {
    form_parts(received.header("content-type").unwrap(), &received.body)
}

#[tokio::test]
async fn every_part_reaches_the_server_as_openapi_s_default_encoding_says() {
    let server = RawServer::start(vec![ok()]).await;
    let client = client(&server).build().unwrap();
    let form = multipart::encode(&body()).unwrap();
    assert!(form.is_reusable());
    assert_eq!(
        form.names().collect::<Vec<_>>(),
        [
            "title",
            "count",
            "draft",
            "meta",
            "file",
            "attachments",
            "attachments",
            "labels",
            "labels"
        ]
    );
    upload(&client, reqwest::Method::POST, form).await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    // One body of known length: no chunked encoding.
    assert!(
        received[0].header("content-length").is_some(),
        "{}",
        received[0].head
    );
    assert_eq!(parts_of(&received[0]), expected_parts());
}

#[tokio::test]
async fn the_encoding_s_content_types_reach_the_parts() {
    let server = RawServer::start(vec![ok()]).await;
    let client = client(&server).build().unwrap();
    let mut body = body();
    body.note = Some("<note>hi</note>".into());
    let form = multipart::encode_with(
        &body,
        &[
            ("title", "text/plain; charset=utf-8"),
            ("note", "application/xml"),
            ("meta", "application/vnd.acme+json"),
            // A set type stays; an unset one (the 70,000 bytes) takes the encoding's.
            ("attachments", "image/png"),
            // An array of scalars whose encoding is JSON: one JSON part.
            ("labels", "application/json"),
            ("nothing", "text/csv"),
        ],
    )
    .unwrap();
    upload(&client, reqwest::Method::POST, form).await.unwrap();
    let received = server.received();
    let mut expected = expected_parts();
    expected[0].content_type = Some("text/plain; charset=utf-8".into());
    expected.insert(
        3,
        part("note", None, Some("application/xml"), b"<note>hi</note>"),
    );
    expected[4].content_type = Some("application/vnd.acme+json".into());
    expected[7].content_type = Some("image/png".into());
    expected.truncate(8);
    expected.push(part(
        "labels",
        None,
        Some("application/json"),
        br#"["x","y"]"#,
    ));
    assert_eq!(parts_of(&received[0]), expected);

    // An object is JSON whatever the encoding says; a bad media type is an error.
    let form = multipart::encode_with(&body, &[("meta", "application/xml")]).unwrap();
    assert!(format!("{form:?}").contains("meta: json"), "{form:?}");
    let form = multipart::encode_with(&body, &[("title", "not a type")]).unwrap();
    assert!(matches!(
        form.into_form(),
        Err(Error::InvalidArgument { name, .. }) if name == "title"
    ));
}

#[tokio::test]
async fn a_retried_upload_sends_the_same_parts_again() {
    let server = RawServer::start(vec![vec![Step::Write(whole(503, &[], b"busy"))], ok()]).await;
    let client = client(&server)
        .retry_policy(RetryPolicy::with_max_attempts(2))
        .sleep_impl(Sleep::new(|_| async {}))
        .build()
        .unwrap();
    let response = upload(
        &client,
        reqwest::Method::PUT,
        multipart::encode(&body()).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(response.attempts(), 2);
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body, "byte for byte");
    assert_eq!(parts_of(&received[1]), expected_parts());
}

#[tokio::test]
async fn a_streamed_file_is_sent_as_it_is_read_and_never_retried() {
    let dir = std::env::temp_dir().join(format!("tasks-sdk-multipart-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.bin");
    let content: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &content).unwrap();

    let file = FilePart::open(&path).await.unwrap();
    assert!(file.is_streamed());
    assert_eq!(file.len(), Some(300_000));
    assert_eq!(file.get_file_name(), Some("big.bin"));
    let read_whole = FilePart::from_path(&path).await.unwrap();
    assert!(!read_whole.is_streamed());
    assert_eq!(read_whole.bytes().map(|b| b.len()), Some(300_000));

    #[derive(Serialize)]
    struct Body {
        name: &'static str,
        file: FilePart,
    }
    let server = RawServer::start(vec![vec![Step::Write(whole(503, &[], b"busy"))], ok()]).await;
    let client = client(&server)
        .retry_policy(RetryPolicy::with_max_attempts(3))
        .sleep_impl(Sleep::new(|_| async {}))
        .build()
        .unwrap();
    let body = Body {
        name: "big",
        file: file.clone(),
    };
    let form = multipart::encode(&body).unwrap();
    assert!(!form.is_reusable());
    let error = upload(&client, reqwest::Method::PUT, form)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Server(_)), "{error:?}");
    let received = server.received();
    assert_eq!(received.len(), 1, "not retried");
    let parts = parts_of(&received[0]);
    assert_eq!(
        parts,
        [
            part("name", None, None, b"big"),
            part(
                "file",
                Some("big.bin"),
                Some("application/octet-stream"),
                &content
            ),
        ]
    );

    // Its stream is gone: the part (and its clones) cannot be sent again.
    let error = multipart::encode(&body).unwrap().into_form().unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid argument `file`: its streamed file was sent already: a streamed FilePart is sent once"
    );

    // A stream of unknown length goes chunked.
    let chunks = futures::stream::iter([Ok::<_, std::io::Error>("ab"), Ok("cd")]);
    let body = Body {
        name: "s",
        file: FilePart::stream(chunks, None).file_name("s.txt"),
    };
    let server = RawServer::start(vec![ok()]).await;
    let client = self::client(&server).build().unwrap();
    upload(
        &client,
        reqwest::Method::POST,
        multipart::encode(&body).unwrap(),
    )
    .await
    .unwrap();
    let received = server.received();
    assert_eq!(received[0].header("transfer-encoding"), Some("chunked"));
    assert_eq!(parts_of(&received[0])[1].body, b"abcd");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn a_file_that_cannot_be_read_is_an_error_naming_its_path() {
    for result in [
        FilePart::from_path("/nonexistent/tasks-sdk/a.pdf").await,
        FilePart::open("/nonexistent/tasks-sdk/a.pdf").await,
    ] {
        let error = result.unwrap_err();
        let Error::InvalidArgument { name, reason } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(name, "file");
        assert!(
            reason.starts_with("cannot read /nonexistent/tasks-sdk/a.pdf: "),
            "{reason}"
        );
    }
}

#[test]
fn bodies_that_cannot_be_multipart_are_invalid_arguments() {
    #[derive(Serialize)]
    struct Nested {
        inner: Inner,
    }
    #[derive(Serialize)]
    struct Inner {
        file: FilePart,
    }
    let error = multipart::encode(&Nested {
        inner: Inner {
            file: FilePart::new("x"),
        },
    })
    .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid argument `body`: property `inner`: a file inside an object cannot be sent as multipart/form-data"
    );
    let error = multipart::encode(&vec![1, 2]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid argument `body`: a multipart/form-data body must be an object"
    );
    // A bad content type is found before anything is sent.
    #[derive(Serialize)]
    struct One {
        file: FilePart,
    }
    let error = multipart::encode(&One {
        file: FilePart::new("x").content_type("not a type"),
    })
    .unwrap()
    .into_form()
    .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidArgument { name, .. } if name == "file"),
        "{error:?}"
    );
    // A map body keeps its entries' order; null values send no part.
    let map = serde_json::json!({"a": 1, "b": null});
    assert_eq!(
        multipart::encode(&map).unwrap().names().collect::<Vec<_>>(),
        ["a"]
    );
}

#[test]
fn a_file_part_serializes_as_its_description_never_its_content() {
    let part = FilePart::new("secret content")
        .file_name("a.txt")
        .content_type("text/plain");
    let json = serde_json::to_value(&part).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"file_name": "a.txt", "content_type": "text/plain", "length": 14})
    );
    assert!(!format!("{part:?}").contains("secret"));
    // Back from JSON: the description, no content.
    let back: FilePart = serde_json::from_value(json).unwrap();
    assert_eq!(back.get_file_name(), Some("a.txt"));
    assert_eq!(back.get_content_type(), "text/plain");
    assert!(back.is_empty());
    assert_ne!(back, part);
    assert_eq!(part.clone(), part);
    // The body struct holding it round-trips its other fields.
    let body = body();
    let text = serde_json::to_string(&body).unwrap();
    let back: UploadBody = serde_json::from_str(&text).unwrap();
    assert_eq!((back.title, back.labels), (body.title, body.labels));
    // The test kit's example value.
    let example: FilePart = tasks_sdk_core::testing::example();
    assert_eq!(example.get_file_name(), Some("example.txt"));
    assert_eq!(example.bytes().map(|b| &b[..]), Some(&b"example"[..]));
    let _ = Duration::ZERO;
}

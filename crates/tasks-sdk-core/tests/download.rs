//! `Download` against local servers: what the head says, the size limit, streaming
//! without buffering, the error taxonomy.

#[macro_use]
mod common;

use std::sync::Arc;
use std::time::Duration;

use common::raw_server::{LAST_CHUNK, RawServer, Step, chunk, head, whole};
use common::{Fake, PRIVATE, Spec, entry};
use futures::StreamExt;
use progenitor_client::{ByteStream, ResponseValue};
use tasks_sdk_core::{ClientBuilder, Download, Error, RetryPolicy, StreamOptions};
use tokio::sync::Notify;

provider!(Files, "DOWNLOAD_1", &[], PRIVATE, "http://127.0.0.1:1");

async fn send(
    client: &Fake<Files>,
) -> Result<ResponseValue<ByteStream>, progenitor_client::Error<ByteStream>> {
    let url = format!("{}/file", client.base_url);
    let mut request = client.http.get(url).build()?;
    client
        .runtime
        .prepare(&mut request, "get")
        .await
        .map_err(progenitor_client::Error::InvalidRequest)?;
    let response = client.runtime.execute(&client.http, request, "get").await?;
    if response.status().is_success() {
        Ok(ResponseValue::stream(response))
    } else {
        Err(progenitor_client::Error::ErrorResponse(
            ResponseValue::stream(response),
        ))
    }
}

/// What a generated `call()` of an operation whose success is binary does.
async fn download(client: &Fake<Files>) -> Result<Download, Error> {
    Download::call(
        Files::PROVIDER,
        entry::<Files>("get"),
        StreamOptions::new(),
        send(client),
    )
    .await
}

fn client(server: &RawServer) -> ClientBuilder<Fake<Files>> {
    ClientBuilder::new()
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::disabled())
}

#[tokio::test]
async fn the_head_names_the_file_and_bytes_collect_it() {
    let body = vec![7u8; 5000];
    let server = RawServer::start(vec![vec![Step::Write(whole(
        200,
        &[
            ("content-type", "application/pdf"),
            (
                "content-disposition",
                "attachment; filename=\"report.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf",
            ),
        ],
        &body,
    ))]])
    .await;
    // The client's max_response_bytes is for buffered responses, not downloads.
    let client = client(&server).max_response_bytes(1000).build().unwrap();
    let download = download(&client).await.unwrap();
    assert_eq!(download.status(), 200);
    assert_eq!(download.content_type(), Some("application/pdf"));
    assert_eq!(download.content_length(), Some(5000));
    assert_eq!(download.file_name(), Some("r\u{e9}sum\u{e9}.pdf"));
    assert_eq!(download.bytes(5000).await.unwrap(), body);
}

#[tokio::test]
async fn a_body_over_the_limit_is_a_clear_error() {
    let server = RawServer::start(vec![
        // Known from Content-Length: nothing read. The server would stall.
        vec![
            Step::Write(head(200, &[("content-length", "100000")])),
            Step::Stall,
        ],
        // Found as it arrives.
        vec![
            Step::Write(head(200, &[("transfer-encoding", "chunked")])),
            Step::Write(chunk(&[1u8; 600])),
            Step::Write(chunk(&[2u8; 600])),
            Step::Stall,
        ],
    ])
    .await;
    let client = client(&server).build().unwrap();
    for _ in 0..2 {
        let error = tokio::time::timeout(Duration::from_secs(5), async {
            download(&client)
                .await
                .unwrap()
                .bytes(1000)
                .await
                .unwrap_err()
        })
        .await
        .expect("no wait for the rest of the body");
        let Error::Decode(decode) = &error else {
            panic!("{error:?}");
        };
        assert_eq!(decode.reason, "the body is larger than the 1000-byte limit");
        assert_eq!(decode.status, 200);
    }
}

#[tokio::test]
async fn chunks_arrive_as_the_server_sends_them() {
    let go_on = Arc::new(Notify::new());
    let server = RawServer::start(vec![vec![
        Step::Write(head(200, &[("transfer-encoding", "chunked")])),
        Step::Write(chunk(b"first")),
        // The rest only once the client has the first chunk.
        Step::Wait(go_on.clone()),
        Step::Write(chunk(b"second")),
        Step::Write(LAST_CHUNK.to_vec()),
    ]])
    .await;
    let client = client(&server).build().unwrap();
    let mut download = download(&client).await.unwrap();
    assert_eq!(download.content_length(), None);
    let first = tokio::time::timeout(Duration::from_secs(5), download.next())
        .await
        .expect("the first chunk before the body is complete");
    assert_eq!(first.unwrap().unwrap(), "first");
    go_on.notify_one();
    let mut rest = Vec::new();
    while let Some(chunk) = download.next().await {
        rest.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(rest, b"second");
}

#[tokio::test]
async fn a_broken_or_stalled_body_is_an_err_item() {
    let server = RawServer::start(vec![
        vec![
            Step::Write(head(200, &[("content-length", "100")])),
            Step::Write(vec![0u8; 10]),
        ],
        vec![
            Step::Write(head(200, &[("content-length", "100")])),
            Step::Write(vec![0u8; 10]),
            Step::Stall,
        ],
    ])
    .await;
    let client = client(&server)
        .read_timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = download(&client)
        .await
        .unwrap()
        .bytes(1000)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    let mut stalled = download(&client).await.unwrap();
    assert_eq!(stalled.next().await.unwrap().unwrap().len(), 10);
    let error = stalled.next().await.unwrap().unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(stalled.next().await.is_none(), "the end after the error");
}

#[tokio::test]
async fn an_error_status_is_the_call_s_error() {
    let server = RawServer::start(vec![vec![Step::Write(whole(
        403,
        &[("content-type", "application/json")],
        br#"{"error": "not yours"}"#,
    ))]])
    .await;
    let client = client(&server).build().unwrap();
    let error = download(&client).await.unwrap_err();
    let Error::Forbidden(api) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(api.message, "not yours");
    // From a response got another way, the same.
    let response = reqwest::get(format!("{}/file", server.base_url))
        .await
        .unwrap();
    let error = Download::from_response(
        Files::PROVIDER,
        entry::<Files>("get"),
        response,
        StreamOptions::new(),
    )
    .await
    .unwrap_err();
    assert!(matches!(error, Error::Forbidden(_)), "{error:?}");
}

//! Event streams, uploads and downloads through the client generated from
//! `xtask/corpus/streams_uploads.yaml`: a multipart upload checked byte for byte by a
//! local server, events read from a local server that splits them across chunks
//! anywhere, a download, a text body, and the same shapes through the crate's own test
//! kit. Copied into the scratch crate's `tests/` and run by `scratch::tests` in xtask.
#![deny(warnings)]

use std::time::Duration;

use futures::StreamExt;
use tasks_sdk_streams::types::{
    Chunk, GetJobEvent, Job, Prompt, Stored, UploadFilesBody, UploadFilesBodyMeta,
};
use tasks_sdk_streams::{Error, FilePart, RequestOptions, StreamOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(uri: &str) -> tasks_sdk_streams::Client {
    tasks_sdk_streams::Client::builder()
        .api_key("k")
        .base_url(uri)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_upload_goes_as_multipart_parts_byte_for_byte() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/uploads"))
        .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "s1"})))
        .expect(1)
        .mount(&server)
        .await;
    let body = UploadFilesBody {
        attachments: vec![
            FilePart::new(&b"\x00\x01\x02"[..]).file_name("a.bin"),
            FilePart::new("second")
                .file_name("b.txt")
                .content_type("text/plain"),
        ],
        count: Some(3),
        file: FilePart::new("%PDF-1.7 report")
            .file_name("report.pdf")
            .content_type("application/pdf"),
        meta: Some(UploadFilesBodyMeta {
            pages: Some(2),
            source: Some("scan".into()),
        }),
        tags: vec!["q3".into(), "scan".into()],
        title: "Q3 report".into(),
    };
    let stored = client(&server.uri())
        .upload_files()
        .body(body)
        .call()
        .await
        .unwrap();
    assert_eq!(stored.id, "s1");
    let received = server.received_requests().await.unwrap();
    let request = &received[0];
    let content_type = request
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("{content_type}"));
    let part = |disposition: &str, content_type: Option<&str>, content: &[u8]| {
        let mut part = format!("--{boundary}\r\nContent-Disposition: form-data; {disposition}\r\n");
        if let Some(content_type) = content_type {
            part.push_str(&format!("Content-Type: {content_type}\r\n"));
        }
        part.push_str("\r\n");
        let mut part = part.into_bytes();
        part.extend_from_slice(content);
        part.extend_from_slice(b"\r\n");
        part
    };
    // Properties in the body type's order; an array is one part per item; `None` is no
    // part; an object is JSON. The document's `encoding` types `title` (its charset),
    // `meta` (its own JSON type) and `tags` (one JSON part).
    let expected: Vec<u8> = [
        part(
            "name=\"attachments\"; filename=\"a.bin\"",
            Some("application/octet-stream"),
            b"\x00\x01\x02",
        ),
        part(
            "name=\"attachments\"; filename=\"b.txt\"",
            Some("text/plain"),
            b"second",
        ),
        part("name=\"count\"", None, b"3"),
        part(
            "name=\"file\"; filename=\"report.pdf\"",
            Some("application/pdf"),
            b"%PDF-1.7 report",
        ),
        part(
            "name=\"meta\"",
            Some("application/vnd.streams.meta+json"),
            br#"{"pages":2,"source":"scan"}"#,
        ),
        part(
            "name=\"tags\"",
            Some("application/json"),
            br#"["q3","scan"]"#,
        ),
        part(
            "name=\"title\"",
            Some("text/plain; charset=utf-8"),
            b"Q3 report",
        ),
        format!("--{boundary}--\r\n").into_bytes(),
    ]
    .concat();
    assert_eq!(
        String::from_utf8_lossy(&request.body),
        String::from_utf8_lossy(&expected)
    );
    assert_eq!(request.body, expected);
    assert_eq!(
        request
            .headers
            .get("content-length")
            .unwrap()
            .to_str()
            .unwrap(),
        expected.len().to_string()
    );
}

/// A server on 127.0.0.1 that answers one request with `head` and then `body` in
/// chunks of `split` bytes (HTTP chunked encoding, a flush and a pause between them),
/// and hands back the request it read.
async fn chunking_server(
    content_type: &'static str,
    body: String,
    split: usize,
) -> (String, tokio::task::JoinHandle<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let request = read_request(&mut socket).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\nx-request-id: req-1\r\n\r\n"
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        // The client may stop reading (at a terminator) and close: then writing fails.
        for piece in body.as_bytes().chunks(split) {
            let chunk = [format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat();
            if socket.write_all(&chunk).await.is_err() || socket.flush().await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
        let _ = socket.flush().await;
        request
    });
    (uri, task)
}

/// One request read from `socket`: the head, then the body its Content-Length announces.
async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = socket.read(&mut buffer).await.unwrap();
        request.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&request).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                })
                .unwrap_or(0);
            if request.len() >= end + 4 + length {
                break;
            }
        }
        if n == 0 {
            break;
        }
    }
    String::from_utf8_lossy(&request).into_owned()
}

/// The event `id: i`: a `Chunk` of index `i`, and a `GetJobEvent` of `i` percent.
fn chunk_event(i: i64) -> String {
    format!("id: {i}\ndata: {{\"index\": {i}, \"percent\": {i}, \"text\": \"part {i}\"}}\n\n")
}

/// A server on 127.0.0.1 whose event stream breaks: the first request gets events 0 to
/// 2 (and a 10 ms `retry`), half of event 3, and the connection is cut; a request that
/// sends `Last-Event-ID: 2` gets events 3 and 4 and the end of the body, any other the
/// stream from the start. Serves `connections` connections, and hands back the requests.
async fn breaking_server(connections: usize) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut requests = Vec::new();
        for _ in 0..connections {
            let (mut socket, _) = listener.accept().await.unwrap();
            let request = read_request(&mut socket).await;
            let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
            let resumed = request.to_ascii_lowercase().contains("\r\nlast-event-id: 2\r\n");
            let (body, cut) = if resumed {
                (format!("{}{}", chunk_event(3), chunk_event(4)), false)
            } else {
                let events: String = (0..3).map(chunk_event).collect();
                (format!("retry: 10\n{events}id: 3\ndata: {{\"ind"), true)
            };
            requests.push(request);
            let chunk = format!("{:x}\r\n{body}\r\n", body.len());
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(chunk.as_bytes()).await;
            let _ = socket.flush().await;
            if cut {
                // No last chunk: the body ends in the middle of an event.
                tokio::time::sleep(Duration::from_millis(20)).await;
                drop(socket);
            } else {
                let _ = socket.write_all(b"0\r\n\r\n").await;
                let _ = socket.flush().await;
            }
        }
        requests
    });
    (uri, task)
}

#[tokio::test]
async fn a_broken_stream_reconnects_with_last_event_id_only_when_asked() {
    let expected: Vec<Chunk> = (0..5)
        .map(|i| Chunk {
            index: i,
            text: format!("part {i}"),
        })
        .collect();
    // `call()`: the same request again (its body, `Last-Event-ID: 2`), every event
    // once, no `Err` item.
    let (uri, requests) = breaking_server(2).await;
    let mut stream = client(&uri)
        .stream_completion()
        .body(Prompt { text: "hi".into() })
        .call()
        .await
        .unwrap()
        .reconnect(3);
    let mut read = Vec::new();
    while let Some(event) = stream.next().await {
        read.push(event.unwrap_or_else(|e| panic!("after {read:?}: {e}")).data);
    }
    assert_eq!(read, expected);
    assert_eq!(stream.reconnects(), 1);
    assert_eq!(stream.last_event_id(), Some("4"));
    let requests = requests.await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(!requests[0].to_ascii_lowercase().contains("last-event-id"));
    for request in &requests {
        assert!(request.starts_with("POST /completions "), "{request}");
        assert!(request.ends_with("{\"text\":\"hi\"}"), "{request}");
    }

    // `with_options(..).call()`: the options go again too.
    let (uri, requests) = breaking_server(2).await;
    let options = StreamOptions::new().request_options(RequestOptions::new().header("x-trace", "t1"));
    let read: Vec<Chunk> = client(&uri)
        .stream_completion()
        .body(Prompt { text: "hi".into() })
        .with_options(options)
        .call()
        .await
        .unwrap()
        .reconnect(1)
        .map(|event| event.unwrap().data)
        .collect()
        .await;
    assert_eq!(read, expected);
    let requests = requests.await.unwrap();
    assert!(
        requests
            .iter()
            .all(|r| r.to_ascii_lowercase().contains("\r\nx-trace: t1\r\n")),
        "{requests:?}"
    );

    // `call_events()` beside JSON, with a path argument.
    let (uri, requests) = breaking_server(2).await;
    let percents: Vec<i64> = client(&uri)
        .get_job()
        .id("j1")
        .call_events()
        .await
        .unwrap()
        .reconnect(1)
        .map(|event| event.unwrap().data.percent)
        .collect()
        .await;
    assert_eq!(percents, [0, 1, 2, 3, 4]);
    let requests = requests.await.unwrap();
    assert!(requests[1].starts_with("GET /jobs/j1 "), "{}", requests[1]);
    assert!(
        requests[1]
            .to_ascii_lowercase()
            .contains("\r\naccept: text/event-stream, application/json\r\n"),
        "{}",
        requests[1]
    );

    // Not asked to reconnect: the events before the cut, then an error, one request.
    let (uri, requests) = breaking_server(1).await;
    let items: Vec<_> = client(&uri)
        .stream_completion()
        .body(Prompt { text: "hi".into() })
        .call()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(items[..3].iter().all(Result::is_ok), "{items:?}");
    assert!(items[3].is_err(), "{items:?}");
    assert_eq!(requests.await.unwrap().len(), 1);
}

#[tokio::test]
async fn every_event_is_read_from_chunks_split_anywhere() {
    // CRLF, LF, a comment, an id, an event type, and an event after the terminator that
    // must never be read.
    let mut body = String::from("\u{feff}: a comment\r\n\r\n");
    for i in 0..5 {
        body.push_str(&format!(
            "event: chunk\r\nid: {i}\r\ndata: {{\"index\": {i},\r\ndata: \"text\": \"part {i}\"}}\r\n\r\n"
        ));
    }
    body.push_str("data: [DONE]\n\ndata: {\"index\": 99, \"text\": \"after\"}\n\n");
    for split in [1, 3, 7, 64] {
        let (uri, request) = chunking_server("text/event-stream", body.clone(), split).await;
        let response = client(&uri)
            .stream_completion()
            .body(Prompt { text: "hi".into() })
            .call_with_response()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.request_id(), Some("req-1"));
        let events: Vec<_> = response.into_inner().collect().await;
        let chunks: Vec<Chunk> = events
            .into_iter()
            .map(|event| {
                let event = event.unwrap_or_else(|e| panic!("split {split}: {e}"));
                assert_eq!(event.event.as_deref(), Some("chunk"));
                assert_eq!(
                    event.id.as_deref(),
                    Some(event.data.index.to_string().as_str())
                );
                event.data
            })
            .collect();
        let expected: Vec<Chunk> = (0..5)
            .map(|i| Chunk {
                index: i,
                text: format!("part {i}"),
            })
            .collect();
        assert_eq!(chunks, expected, "split {split}");
        let request = request.await.unwrap();
        assert!(
            request
                .to_ascii_lowercase()
                .contains("accept: text/event-stream, application/json\r\n"),
            "{request}"
        );
        assert!(request.ends_with("{\"text\":\"hi\"}"), "{request}");
    }
}

#[tokio::test]
async fn events_without_a_schema_are_strings_and_json_beside_them_is_decoded() {
    let (uri, _) = chunking_server(
        "text/event-stream",
        "data: one\ndata: two\n\ndata: three\n\n".into(),
        5,
    )
    .await;
    let lines: Vec<String> = client(&uri)
        .tail_logs()
        .with_options(StreamOptions::new().read_timeout(Duration::from_secs(5)))
        .call()
        .await
        .unwrap()
        .map(|event| event.unwrap().data)
        .collect()
        .await;
    assert_eq!(lines, ["one\ntwo", "three"]);

    // `get_job`: `call()` decodes the JSON, `call_events()` streams the events.
    let (uri, request) = chunking_server(
        "application/json",
        r#"{"id": "j1", "state": "running"}"#.into(),
        4,
    )
    .await;
    let job: Job = client(&uri).get_job().id("j1").call().await.unwrap();
    assert_eq!((job.id.as_str(), job.state.as_str()), ("j1", "running"));
    assert!(
        request
            .await
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept: application/json\r\n")
    );
    let (uri, request) = chunking_server(
        "text/event-stream",
        "data: {\"percent\": 50}\n\ndata: {\"percent\": 100, \"note\": \"done\"}\n\n".into(),
        6,
    )
    .await;
    let progress: Vec<GetJobEvent> = client(&uri)
        .get_job()
        .id("j1")
        .call_events()
        .await
        .unwrap()
        .map(|event| event.unwrap().data)
        .collect()
        .await;
    assert_eq!(progress.len(), 2);
    assert_eq!(
        (progress[1].percent, progress[1].note.as_deref()),
        (100, Some("done"))
    );
    let request = request.await.unwrap().to_ascii_lowercase();
    assert!(
        request.contains("accept: text/event-stream, application/json\r\n"),
        "{request}"
    );
}

#[tokio::test]
async fn a_download_is_streamed_with_its_name_and_text_is_a_string() {
    let server = MockServer::start().await;
    let pdf: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/reports/r1.pdf"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(pdf.clone(), "application/pdf")
                .insert_header("content-disposition", "attachment; filename=\"q3.pdf\""),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/readme"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("hello\nworld", "text/plain"))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let download = client.get_report().id("r1").call().await.unwrap();
    assert_eq!(download.file_name(), Some("q3.pdf"));
    assert_eq!(download.content_type(), Some("application/pdf"));
    assert_eq!(download.content_length(), Some(100_000));
    assert_eq!(download.bytes(1 << 20).await.unwrap(), pdf);
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[0].headers.get("accept").unwrap(),
        "application/pdf, application/json"
    );
    // Chunk by chunk.
    let mut download = client.get_report().id("r1").call().await.unwrap();
    let mut read = Vec::new();
    while let Some(chunk) = download.next().await {
        read.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(read, pdf);
    // Too large for the limit: an error, not the bytes.
    let small = client
        .get_report()
        .id("r1")
        .call()
        .await
        .unwrap()
        .bytes(10)
        .await;
    assert!(matches!(small, Err(Error::Decode(_))), "{small:?}");

    let readme: String = client.get_readme().call().await.unwrap();
    assert_eq!(readme, "hello\nworld");
}

#[tokio::test]
async fn the_test_kit_serves_events_files_and_text_and_decodes_parts() {
    use tasks_sdk_streams::testing::{MockServer, example};

    let server = MockServer::start().await;
    let chunks: Vec<Chunk> = (0..3)
        .map(|i| Chunk {
            index: i,
            text: format!("t{i}"),
        })
        .collect();
    server
        .stream_completion()
        .event_delay(Duration::from_millis(5))
        .events(chunks.clone());
    let client = server.client();
    let read: Vec<Chunk> = client
        .stream_completion()
        .body(Prompt { text: "x".into() })
        .call()
        .await
        .unwrap()
        .map(|event| event.unwrap().data)
        .collect()
        .await;
    assert_eq!(read, chunks);

    // Cut after one event: the stream ends with an error.
    server.reset();
    server
        .stream_completion()
        .disconnect_after(1)
        .events(chunks.clone());
    let items: Vec<_> = client
        .stream_completion()
        .body(Prompt { text: "x".into() })
        .call()
        .await
        .unwrap()
        .collect()
        .await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, chunks[0]);
    assert!(items[1].is_err(), "{items:?}");

    // Asked to reconnect: the stub resumes after the `Last-Event-ID` it is sent.
    server.reset();
    server
        .stream_completion()
        .disconnect_after(2)
        .events(chunks.clone());
    let mut stream = client
        .stream_completion()
        .body(Prompt { text: "x".into() })
        .call()
        .await
        .unwrap()
        .reconnect(1);
    let mut read = Vec::new();
    while let Some(event) = stream.next().await {
        read.push(event.unwrap().data);
    }
    assert_eq!(read, chunks);
    assert_eq!(stream.reconnects(), 1);
    let received = server.stream_completion().received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].header("last-event-id"), None);
    assert_eq!(received[1].header("last-event-id"), Some("2"));
    assert_eq!(received[1].body, received[0].body);

    server
        .tail_logs()
        .events(vec!["a\nb".to_owned(), "c".to_owned()]);
    let lines: Vec<String> = client
        .tail_logs()
        .call()
        .await
        .unwrap()
        .map(|event| event.unwrap().data)
        .collect()
        .await;
    assert_eq!(lines, ["a\nb", "c"]);

    server
        .get_report()
        .file_name("q3.pdf")
        .download(&b"%PDF"[..]);
    let download = client.get_report().id("r1").call().await.unwrap();
    assert_eq!(download.file_name(), Some("q3.pdf"));
    assert_eq!(download.content_type(), Some("application/pdf"));
    assert_eq!(download.bytes(100).await.unwrap(), &b"%PDF"[..]);

    server.get_readme().respond("plain text".into());
    assert_eq!(client.get_readme().call().await.unwrap(), "plain text");

    server.upload_files().respond(Stored {
        id: "s2".into(),
        ..example()
    });
    let body = UploadFilesBody {
        attachments: vec![FilePart::new("12345").file_name("x.bin")],
        count: None,
        file: FilePart::new("hello")
            .file_name("hello.txt")
            .content_type("text/plain"),
        meta: None,
        tags: vec!["a".into()],
        title: "T".into(),
    };
    let stored = client.upload_files().body(body).call().await.unwrap();
    assert_eq!(stored.id, "s2");
    let received = server.upload_files().received();
    assert_eq!(received.len(), 1);
    let parts = received[0].parts().expect("a multipart body");
    let seen: Vec<(&str, Option<&str>, Option<&str>, usize)> = parts
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.file_name.as_deref(),
                p.content_type.as_deref(),
                p.len(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "attachments",
                Some("x.bin"),
                Some("application/octet-stream"),
                5
            ),
            ("file", Some("hello.txt"), Some("text/plain"), 5),
            ("tags", None, Some("application/json"), 5),
            ("title", None, Some("text/plain; charset=utf-8"), 1),
        ]
    );
    assert_eq!(parts[1].text(), Some("hello"));
    assert_eq!(received[0].body_error(), None);

    // A multipart body without a required part, sent by hand: a 400 naming it.
    let body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n\
                hello\r\n--b--\r\n";
    let response = reqwest::Client::new()
        .post(format!("{}/uploads", server.uri()))
        .header("content-type", "multipart/form-data; boundary=b")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let answer: serde_json::Value = response.json().await.unwrap();
    let message = "request body does not match UploadFilesBody: missing part `title`";
    assert_eq!(answer["error"], message);
    let received = server.upload_files().received();
    assert_eq!(received[1].body_error(), Some(message));
}

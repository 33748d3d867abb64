//! `EventStream` against local servers: the event stream format over real connections
//! (cut at every byte), decoding, the terminator, cuts, stalls, the head's errors and
//! timeouts, reconnection.

#[macro_use]
mod common;

use std::time::{Duration, Instant};

use common::raw_server::{
    LAST_CHUNK, RawServer, Step, chunk, chunked_sse_head, head, sse_head, whole,
};
use common::{Fake, PRIVATE, Spec, entry};
use futures::StreamExt;
use progenitor_client::{ByteStream, ResponseValue};
use tasks_sdk_core::{
    ClientBuilder, Error, Event, EventStream, RetryPolicy, StreamCall, StreamOptions,
};

provider!(Sse, "EVENTS_1", &[], PRIVATE, "http://127.0.0.1:1");

/// What a generated `send()` of an operation whose success is a byte stream does.
async fn send(
    client: &Fake<Sse>,
    path: &str,
) -> Result<ResponseValue<ByteStream>, progenitor_client::Error<ByteStream>> {
    let url = format!("{}{path}", client.base_url);
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

/// What a generated `call()` of an event stream operation does.
async fn events<T>(client: &Fake<Sse>, options: StreamOptions) -> Result<EventStream<T>, Error>
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    EventStream::call(
        Sse::PROVIDER,
        entry::<Sse>("get"),
        options,
        send(client, "/events"),
    )
    .await
}

fn client(server: &RawServer) -> ClientBuilder<Fake<Sse>> {
    ClientBuilder::new()
        .base_url(&server.base_url)
        .retry_policy(RetryPolicy::disabled())
}

async fn all<T>(stream: EventStream<T>) -> Vec<Result<Event<T>, Error>>
where
    T: serde::de::DeserializeOwned + Send + 'static,
{
    stream.collect().await
}

fn data<T: Clone>(items: &[Result<Event<T>, Error>]) -> Vec<T> {
    items
        .iter()
        .map(|item| item.as_ref().expect("an event").data.clone())
        .collect()
}

/// Every feature of the format at once: a BOM, CRLF, CR and LF, comments, multi-line
/// data, ids, retry, an unknown field.
const STREAM: &[u8] = b"\xEF\xBB\xBF: hello\r\nretry: 2500\r\nid: 1\r\nevent: greeting\r\ndata: one\r\ndata: two\r\n\r\n\
    data: three\rid: 2\r\r\
    foo: bar\n: comment\ndata:four\n\n";

fn expected() -> Vec<(String, Option<&'static str>, Option<&'static str>)> {
    vec![
        ("one\ntwo".to_owned(), Some("greeting"), Some("1")),
        ("three".to_owned(), None, Some("2")),
        ("four".to_owned(), None, Some("2")),
    ]
}

#[tokio::test]
async fn events_cut_at_every_byte_boundary_arrive_whole() {
    let mut scripts = Vec::new();
    for i in 0..=STREAM.len() {
        scripts.push(vec![
            Step::Write(sse_head()),
            Step::Write(STREAM[..i].to_vec()),
            Step::Pause(Duration::from_millis(3)),
            Step::Write(STREAM[i..].to_vec()),
        ]);
    }
    let server = RawServer::start(scripts).await;
    let client = client(&server).build().unwrap();
    for i in 0..=STREAM.len() {
        let items = all::<String>(events(&client, StreamOptions::new()).await.unwrap()).await;
        let got: Vec<_> = items
            .into_iter()
            .map(|item| {
                let event = item.unwrap_or_else(|e| panic!("cut at {i}: {e}"));
                assert_eq!(event.retry, Some(Duration::from_millis(2500)), "cut at {i}");
                (event.data, event.event, event.id)
            })
            .collect();
        let want: Vec<_> = expected()
            .into_iter()
            .map(|(d, e, id)| (d, e.map(str::to_owned), id.map(str::to_owned)))
            .collect();
        assert_eq!(got, want, "cut at {i}");
    }
    // And one byte per write.
    let bytes: Vec<Step> = std::iter::once(Step::Write(sse_head()))
        .chain(STREAM.iter().map(|b| Step::Write(vec![*b])))
        .collect();
    let server = RawServer::start(vec![bytes]).await;
    let client = self::client(&server).build().unwrap();
    let items = all::<String>(events(&client, StreamOptions::new()).await.unwrap()).await;
    assert_eq!(data(&items), ["one\ntwo", "three", "four"]);
}

#[derive(Clone, Debug, PartialEq, serde::Deserialize)]
struct Tick {
    n: u32,
}

#[tokio::test]
async fn data_decodes_as_t_and_an_undecodable_event_is_one_err_item() {
    let body = b"data: {\"n\": 1}\n\ndata: not json\n\ndata: {\"n\":\ndata: 2}\n\n";
    let server = RawServer::start(vec![vec![
        Step::Write(head(
            200,
            &[
                ("content-type", "text/event-stream; charset=utf-8"),
                ("x-request-id", "req-7"),
            ],
        )),
        Step::Write(body.to_vec()),
    ]])
    .await;
    let client = client(&server).build().unwrap();
    let stream = events::<Tick>(&client, StreamOptions::new()).await.unwrap();
    assert_eq!(stream.status(), 200);
    let items = all(stream).await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, Tick { n: 1 });
    let Err(Error::Decode(error)) = &items[1] else {
        panic!("{:?}", items[1]);
    };
    assert_eq!(error.body_start, "not json");
    assert_eq!(error.request_id.as_deref(), Some("req-7"));
    assert!(
        error.reason.starts_with("an event's data does not decode"),
        "{}",
        error.reason
    );
    assert_eq!(
        items[2].as_ref().unwrap().data,
        Tick { n: 2 },
        "multi-line JSON"
    );
    // Any JSON as serde_json::Value.
    let server = RawServer::start(vec![vec![
        Step::Write(sse_head()),
        Step::Write(b"data: [1, {\"a\": null}]\n\n".to_vec()),
    ]])
    .await;
    let client = self::client(&server).build().unwrap();
    let items =
        all::<serde_json::Value>(events(&client, StreamOptions::new()).await.unwrap()).await;
    assert_eq!(data(&items), [serde_json::json!([1, {"a": null}])]);
}

#[tokio::test]
async fn the_terminator_ends_the_stream() {
    let server = RawServer::start(vec![vec![
        Step::Write(sse_head()),
        Step::Write(b"data: {\"n\": 1}\n\ndata: [DONE]\n\ndata: {\"n\": 2}\n\n".to_vec()),
        // The server would go on: the stream does not wait for it.
        Step::Stall,
    ]])
    .await;
    let client = client(&server).build().unwrap();
    let options = StreamOptions::new().terminator("[DONE]");
    let stream = events::<Tick>(&client, options).await.unwrap();
    let items = tokio::time::timeout(Duration::from_secs(5), all(stream))
        .await
        .expect("the terminator ends the stream without waiting for the server");
    assert_eq!(data(&items), [Tick { n: 1 }]);
}

#[tokio::test]
async fn a_stream_cut_in_the_middle_of_an_event_is_an_err_item_then_the_end() {
    // The connection closes cleanly (the body ends with it) mid-event.
    let server = RawServer::start(vec![vec![
        Step::Write(sse_head()),
        Step::Write(b"data: a\n\ndata: b".to_vec()),
    ]])
    .await;
    let client = client(&server).build().unwrap();
    let items = all::<String>(events(&client, StreamOptions::new()).await.unwrap()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, "a");
    let Err(Error::Decode(error)) = &items[1] else {
        panic!("{:?}", items[1]);
    };
    assert_eq!(error.reason, "the stream ended in the middle of an event");

    // The connection breaks inside a chunked body.
    let server = RawServer::start(vec![vec![
        Step::Write(chunked_sse_head()),
        Step::Write(chunk(b"data: a\n\n")),
        Step::Write(b"20\r\ndata: b".to_vec()),
    ]])
    .await;
    let client = self::client(&server).build().unwrap();
    let items = all::<String>(events(&client, StreamOptions::new()).await.unwrap()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().unwrap().data, "a");
    assert!(
        matches!(&items[1], Err(Error::Connection { .. })),
        "{:?}",
        items[1]
    );

    // A stream that ends between events just ends; a chunked one too.
    let server = RawServer::start(vec![vec![
        Step::Write(chunked_sse_head()),
        Step::Write(chunk(b"data: a\n\n: bye\n")),
        Step::Write(LAST_CHUNK.to_vec()),
    ]])
    .await;
    let client = self::client(&server).build().unwrap();
    let items = all::<String>(events(&client, StreamOptions::new()).await.unwrap()).await;
    assert_eq!(data(&items), ["a"]);
}

#[tokio::test]
async fn a_stalled_stream_hits_the_read_timeout() {
    let server = RawServer::start(vec![vec![
        Step::Write(sse_head()),
        Step::Write(b"data: a\n\n".to_vec()),
        Step::Stall,
    ]])
    .await;
    let client = client(&server)
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let started = Instant::now();
    let items = all::<String>(events(&client, StreamOptions::new()).await.unwrap()).await;
    let elapsed = started.elapsed();
    assert_eq!(items.len(), 2, "{items:?}");
    let Err(error @ Error::Timeout { timeout, .. }) = &items[1] else {
        panic!("{:?}", items[1]);
    };
    assert_eq!(*timeout, Some(Duration::from_millis(300)));
    assert_eq!(
        error.to_string(),
        "timeout: Sse get: no data for 300ms while reading the stream (read timeout)"
    );
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(5),
        "{elapsed:?}"
    );

    // The call's own read timeout wins over the client's.
    let client = self::client(&server).build().unwrap();
    let options = StreamOptions::new().read_timeout(Duration::from_millis(100));
    let items = all::<String>(events(&client, options).await.unwrap()).await;
    assert!(
        matches!(&items[1], Err(Error::Timeout { timeout: Some(t), .. }) if *t == Duration::from_millis(100))
    );
}

#[tokio::test]
async fn the_total_timeout_covers_the_head_only() {
    // Ten events over a second: longer than the 300 ms total timeout.
    let mut script = vec![Step::Write(sse_head())];
    for n in 0..10 {
        script.push(Step::Pause(Duration::from_millis(100)));
        script.push(Step::Write(format!("data: {n}\n\n").into_bytes()));
    }
    let server = RawServer::start(vec![script]).await;
    let client = client(&server)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let items = all::<String>(events(&client, StreamOptions::new()).await.unwrap()).await;
    assert_eq!(data(&items).len(), 10, "{items:?}");

    // A head that does not come within it is a timeout of the call.
    let server = RawServer::start(vec![vec![Step::Stall]]).await;
    let client = self::client(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = events::<String>(&client, StreamOptions::new())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        "timeout: Sse get: no response within 200ms (attempt 1 of 1)"
    );
}

#[tokio::test]
async fn an_error_status_or_another_content_type_is_an_err_before_any_event() {
    let server = RawServer::start(vec![
        vec![Step::Write(whole(
            429,
            &[("content-type", "application/json"), ("retry-after", "7")],
            br#"{"error": {"message": "slow down"}}"#,
        ))],
        vec![Step::Write(whole(
            200,
            &[("content-type", "application/json")],
            br#"{"events": []}"#,
        ))],
        vec![Step::Write(whole(200, &[], b"data: x\n\n"))],
    ])
    .await;
    let client = client(&server).build().unwrap();
    let error = events::<String>(&client, StreamOptions::new())
        .await
        .unwrap_err();
    let Error::RateLimited(api) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(api.message, "slow down");
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));

    let error = events::<String>(&client, StreamOptions::new())
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        decode.reason,
        "expected an event stream (text/event-stream), got application/json"
    );
    assert_eq!(decode.body_start, r#"{"events": []}"#);

    let error = events::<String>(&client, StreamOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Decode(d) if d.reason.ends_with("got no Content-Type")),
        "{error:?}"
    );
}

#[tokio::test]
async fn the_retry_policy_applies_to_getting_the_stream() {
    let server = RawServer::start(vec![
        vec![Step::Write(whole(503, &[], b"busy"))],
        vec![
            Step::Write(sse_head()),
            Step::Write(b"data: a\n\n".to_vec()),
        ],
    ])
    .await;
    let client = client(&server)
        .retry_policy(RetryPolicy::with_max_attempts(2))
        .build()
        .unwrap();
    let items = all::<String>(events(&client, StreamOptions::new()).await.unwrap()).await;
    assert_eq!(data(&items), ["a"]);
    assert_eq!(server.received().len(), 2);
}

/// A stream that reconnects through `client`, as the generated code wires it.
fn reconnecting(stream: EventStream<String>, client: Fake<Sse>, max: u32) -> EventStream<String> {
    stream
        .reconnect_with(move |options| {
            let client = client.clone();
            async move { events::<String>(&client, options).await }
        })
        .reconnect(max)
}

#[tokio::test]
async fn reconnection_sends_last_event_id_and_only_when_asked() {
    let first = vec![
        Step::Write(sse_head()),
        Step::Write(b"retry: 10\nid: 1\ndata: a\n\ndata: cut".to_vec()),
    ];
    let second = vec![
        Step::Write(sse_head()),
        Step::Write(b"id: 2\ndata: b\n\n".to_vec()),
    ];
    let server = RawServer::start(vec![first.clone(), second.clone()]).await;
    let client = client(&server).build().unwrap();
    let stream = events::<String>(&client, StreamOptions::new())
        .await
        .unwrap();
    let mut stream = reconnecting(stream, client.clone(), 3);
    let mut got = Vec::new();
    while let Some(item) = stream.next().await {
        let event = item.unwrap();
        got.push((event.data, event.id));
    }
    assert_eq!(
        got,
        [
            ("a".into(), Some("1".into())),
            ("b".into(), Some("2".into()))
        ]
    );
    assert_eq!(stream.reconnects(), 1);
    assert_eq!(stream.last_event_id(), Some("2"));
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].header("last-event-id"), None);
    assert_eq!(received[1].header("last-event-id"), Some("1"));

    // Without `.reconnect`, the cut is an error and nothing is sent again.
    let server = RawServer::start(vec![first.clone(), second]).await;
    let client = self::client(&server).build().unwrap();
    let stream = events::<String>(&client, StreamOptions::new())
        .await
        .unwrap();
    let items = all(stream).await;
    assert_eq!(items.len(), 2);
    assert!(items[1].is_err());
    assert_eq!(server.received().len(), 1);

    // Reconnections used up: the last cut is an error.
    let server = RawServer::start(vec![first]).await;
    let client = self::client(&server).build().unwrap();
    let stream = events::<String>(&client, StreamOptions::new())
        .await
        .unwrap();
    let items = all(reconnecting(stream, client.clone(), 2)).await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(
        items[..3]
            .iter()
            .all(|item| item.as_ref().unwrap().data == "a")
    );
    assert!(matches!(&items[3], Err(Error::Decode(_))), "{:?}", items[3]);
    assert_eq!(server.received().len(), 3);

    // A reconnection that fails ends the stream with its error.
    let server = RawServer::start(vec![
        vec![
            Step::Write(sse_head()),
            Step::Write(b"retry: 1\ndata: a\n\ndata: x".to_vec()),
        ],
        vec![Step::Write(whole(401, &[], b""))],
    ])
    .await;
    let client = self::client(&server).build().unwrap();
    let stream = events::<String>(&client, StreamOptions::new())
        .await
        .unwrap();
    let items = all(reconnecting(stream, client.clone(), 5)).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        matches!(&items[1], Err(Error::Unauthorized(_))),
        "{:?}",
        items[1]
    );
}

/// What a generated `with_options(..)` of an event stream does: the stream knows how
/// to send its request again, and does only when asked.
fn generated_call(
    client: &Fake<Sse>,
    options: StreamOptions,
) -> StreamCall<'_, EventStream<String>> {
    let owned = client.clone();
    EventStream::with_options_resending(
        Sse::PROVIDER,
        entry::<Sse>("get"),
        options,
        send(client, "/events"),
        move || {
            let client = owned.clone();
            async move { send(&client, "/events").await }
        },
    )
}

#[tokio::test]
async fn a_generated_stream_reconnects_with_its_own_request_when_asked() {
    let first = vec![
        Step::Write(sse_head()),
        Step::Write(b"retry: 10\nid: 1\ndata: a\n\nid: 2\ndata: b\n\ndata: cu".to_vec()),
    ];
    let second = vec![
        Step::Write(sse_head()),
        Step::Write(b"id: 3\ndata: c\n\n".to_vec()),
    ];
    let server = RawServer::start(vec![first.clone(), second.clone()]).await;
    let client = client(&server).build().unwrap();
    let options = StreamOptions::new()
        .request_options(tasks_sdk_core::RequestOptions::new().header("x-trace", "t1"));
    let response = generated_call(&client, options)
        .call_with_response()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let mut stream = response.into_inner().reconnect(2);
    let mut got = Vec::new();
    while let Some(item) = stream.next().await {
        got.push(item.unwrap().data);
    }
    assert_eq!(got, ["a", "b", "c"]);
    assert_eq!(stream.reconnects(), 1);
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].header("last-event-id"), None);
    assert_eq!(received[1].header("last-event-id"), Some("2"));
    // The call's own options go with the reconnection.
    assert_eq!(received[1].header("x-trace"), Some("t1"));

    // Not asked: the cut is the stream's last item, nothing sent again.
    let server = RawServer::start(vec![first, second]).await;
    let client = self::client(&server).build().unwrap();
    let stream = generated_call(&client, StreamOptions::new())
        .call()
        .await
        .unwrap();
    let items = all(stream).await;
    assert_eq!(items.len(), 3, "{items:?}");
    assert!(items[2].is_err());
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn an_event_larger_than_max_response_bytes_ends_the_stream() {
    let server = RawServer::start(vec![vec![
        Step::Write(sse_head()),
        Step::Write(b"data: small\n\n".to_vec()),
        Step::Write(format!("data: {}", "x".repeat(2000)).into_bytes()),
        Step::Stall,
    ]])
    .await;
    let client = client(&server).max_response_bytes(1000).build().unwrap();
    let items = all::<String>(events(&client, StreamOptions::new()).await.unwrap()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(
        matches!(&items[1], Err(Error::Decode(d)) if d.reason == "an event is larger than the 1000-byte limit"),
        "{:?}",
        items[1]
    );
}

#[tokio::test]
async fn from_response_checks_a_response_got_another_way() {
    let server = RawServer::start(vec![
        vec![
            Step::Write(sse_head()),
            Step::Write(b"data: a\n\n".to_vec()),
        ],
        vec![Step::Write(whole(
            404,
            &[("content-type", "application/json"), ("x-request-id", "r1")],
            br#"{"message": "no such stream"}"#,
        ))],
    ])
    .await;
    let operation = entry::<Sse>("get");
    let response = reqwest::get(format!("{}/e", server.base_url))
        .await
        .unwrap();
    let stream = EventStream::<String>::from_response(
        Sse::PROVIDER,
        operation,
        response,
        StreamOptions::new(),
    )
    .await
    .unwrap();
    assert_eq!(data(&all(stream).await), ["a"]);
    let response = reqwest::get(format!("{}/e", server.base_url))
        .await
        .unwrap();
    let error = EventStream::<String>::from_response(
        Sse::PROVIDER,
        operation,
        response,
        StreamOptions::new(),
    )
    .await
    .unwrap_err();
    let Error::Api(api) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        (api.status.as_u16(), api.message.as_str()),
        (404, "no such stream")
    );
    assert_eq!(error.request_id(), Some("r1"));
}

#[test]
fn an_event_stream_is_an_unpin_send_stream() {
    fn check<S: futures::Stream + Unpin + Send>() {}
    check::<EventStream<String>>();
    check::<EventStream<Tick>>();
    check::<tasks_sdk_core::Download>();
}

//! `list_tasks().stream()`: Twill's cursor pagination (`cursor` in, `nextCursor` out,
//! null on the last page).

use futures::StreamExt;
use serde_json::json;
use tasks_sdk_testkit::wiremock::{Mock, MockServer, matchers};
use tasks_sdk_testkit::{json, request_count, single_attempt};
use tasks_sdk_twill::Client;

fn task(id: usize) -> serde_json::Value {
    json!({
        "id": format!("tsk_{id}"), "slug": format!("t{id}"), "title": "T", "url": "https://twill.ai/t",
        "repositoryUrl": "https://github.com/acme/web", "createdAt": "2025-05-01T12:00:00Z",
        "latestJobStatus": "COMPLETED", "pr": null
    })
}

#[tokio::test]
async fn follows_next_cursor_until_it_is_null() {
    let server = MockServer::start().await;
    for i in 0..3 {
        let next = if i == 2 {
            serde_json::Value::Null
        } else {
            json!(format!("n{}", i + 1))
        };
        let body = json!({"tasks": [task(2 * i), task(2 * i + 1)], "nextCursor": next});
        let m = if i == 0 {
            Mock::given(matchers::query_param_is_missing("cursor"))
        } else {
            Mock::given(matchers::query_param("cursor", format!("n{i}")))
        };
        m.and(matchers::query_param("limit", "2"))
            .respond_with(json(200, body))
            .mount(&server)
            .await;
    }
    let client: Client = single_attempt(server.uri()).build().unwrap();

    let ids: Vec<String> = client
        .list_tasks()
        .limit(2u64)
        .stream()
        .map(|t| t.unwrap().id)
        .collect()
        .await;

    assert_eq!(ids, ["tsk_0", "tsk_1", "tsk_2", "tsk_3", "tsk_4", "tsk_5"]);
    assert_eq!(request_count(&server).await, 3);
}

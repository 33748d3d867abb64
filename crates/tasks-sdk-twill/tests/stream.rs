//! `list_tasks().stream()`: Twill's cursor pagination (`cursor` in, `nextCursor` out,
//! null on the last page), served by the crate's own test kit.

use futures::StreamExt;
use tasks_sdk_twill::testing::{MockServer, example};
use tasks_sdk_twill::types::Task;

#[tokio::test]
async fn follows_next_cursor_until_it_is_null() {
    let server = MockServer::start().await;
    let tasks = (0..6).map(|i| Task {
        id: format!("tsk_{i}"),
        ..example()
    });
    server.list_tasks().items(tasks.collect());
    let client = server.client();

    let ids: Vec<String> = client
        .list_tasks()
        .limit(2u64)
        .stream()
        .map(|t| t.unwrap().id)
        .collect()
        .await;

    assert_eq!(ids, ["tsk_0", "tsk_1", "tsk_2", "tsk_3", "tsk_4", "tsk_5"]);
    let received = server.received();
    let cursors: Vec<Option<&str>> = received.iter().map(|r| r.query_param("cursor")).collect();
    assert_eq!(cursors, [None, Some("2"), Some("4")]);
    assert!(received.iter().all(|r| r.query_param("limit") == Some("2")));
    // The last page says `nextCursor: null`: no fourth request.
    assert_eq!(received.len(), 3);
}

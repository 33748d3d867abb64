//! Property test of response decoding: whatever bytes a provider sends, decoding every
//! provider's page and error types (generated structs and forward-compatible enums)
//! returns `Ok` or `Err`, never panics.
//!
//! Inputs: arbitrary JSON documents; valid pages of each provider with one value
//! replaced by arbitrary JSON at a random place; and arbitrary bytes. CI runs the
//! default number of cases; the long run is
//! `PROPTEST_CASES=1000000 cargo test --release -p tasks-sdk --test fuzz_decode`
//! (numbers in TESTING.md).

use proptest::prelude::*;
use serde_json::{Value, json};
use tasks_sdk::{aether, deck, enkrypt, promptloop, twill};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

/// Decodes `bytes` as every type a provider's response may carry.
fn decode_everything(bytes: &[u8]) {
    fn try_decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) {
        let _ = serde_json::from_slice::<T>(bytes);
    }
    try_decode::<promptloop::types::TasksResponse>(bytes);
    try_decode::<promptloop::types::ErrorResponse>(bytes);
    try_decode::<deck::types::TaskPage>(bytes);
    try_decode::<deck::types::ListTasksErrorBody>(bytes);
    try_decode::<aether::types::TaskList>(bytes);
    try_decode::<aether::types::ErrorBody>(bytes);
    try_decode::<aether::types::TaskStatus>(bytes);
    try_decode::<twill::types::ListTasksResponse>(bytes);
    try_decode::<twill::types::ApiErrorResponse>(bytes);
    try_decode::<twill::types::JobStatus>(bytes);
    try_decode::<enkrypt::types::TaskPage>(bytes);
    try_decode::<enkrypt::types::ErrorBody>(bytes);
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        // Values the specs use: enum members, dates, ids.
        prop::sample::select(vec![
            "PENDING",
            "running",
            "Finished",
            "success",
            "error",
            "2025-01-15T10:30:00Z",
            "c3d4e5f6-7890-12ab-cdef-345678901bcd",
            "not-a-date"
        ])
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "id",
                    "status",
                    "data",
                    "tasks",
                    "datasets",
                    "pagination",
                    "error",
                    "errors",
                    "message",
                    "nextCursor",
                    "has_more",
                    "created_at",
                    "x"
                ]),
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

fn valid_pages() -> Vec<Value> {
    let created = "2025-01-15T10:30:00Z";
    vec![
        json!({"status": "success", "message": "ok", "data": [{"id": "p", "name": "n", "description": "d", "created_at": created, "live_version": 1, "max_version": 2, "run_count": 3}]}),
        json!({"data": [{"id": "t", "object": "task", "name": "n", "prompt": null, "status": "live", "agent_id": "a", "input_schema": {"type": "object"}, "output_schema": null, "storage": null, "created_at": created, "updated_at": created, "request_id": "r"}], "has_more": true, "next_cursor": "c", "request_id": "r"}),
        json!({"tasks": [{"id": "c3d4e5f6-7890-12ab-cdef-345678901bcd", "status": "running", "created_at": created, "pending_question_payload": {"toolId": "t", "toolName": "n", "input": {}}}]}),
        json!({"tasks": [{"id": "t", "slug": "s", "title": "t", "url": "u", "repositoryUrl": "r", "createdAt": created, "latestJobStatus": "PENDING", "pr": {"url": "u", "number": 1}}], "nextCursor": null}),
        json!({"datasets": ["a"], "pagination": {"page": 1, "per_page": 10, "total_count": 1, "total_pages": 1, "has_next": false, "has_previous": false}}),
        json!({"errors": [{"type": "t", "code": "c", "message": "m", "field": null}], "request_id": "r"}),
        json!({"error": {"code": "c", "message": "m", "details": {"a": 1}}}),
    ]
}

/// Every path into `value` (object keys and array indexes), to pick one to replace.
fn paths(value: &Value, prefix: &str, out: &mut Vec<String>) {
    out.push(prefix.to_owned());
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| paths(v, &format!("{prefix}/{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| paths(v, &format!("{prefix}/{i}"), out)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(value in any_json()) {
        decode_everything(value.to_string().as_bytes());
    }

    #[test]
    fn mutated_valid_pages_never_panic(which in 0usize..7, pick in any::<prop::sample::Index>(), replacement in any_json(), truncate in any::<Option<prop::sample::Index>>()) {
        let mut page = valid_pages().swap_remove(which);
        let mut all = Vec::new();
        paths(&page, "", &mut all);
        let path = pick.get(&all).clone();
        if path.is_empty() {
            page = replacement;
        } else if let Some(slot) = page.pointer_mut(&path) {
            *slot = replacement;
        }
        let mut bytes = page.to_string().into_bytes();
        if let Some(cut) = truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        decode_everything(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        decode_everything(&bytes);
    }
}

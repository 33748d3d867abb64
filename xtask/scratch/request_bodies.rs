//! The generated test kit checks the request bodies it receives against the schema:
//! the crate generated from `xtask/corpus/constrained_examples.yaml` answers a body the
//! client builds from its types, and refuses with a 400 naming the field a body sent by
//! hand that the generated type does not decode (a required field missing, a string
//! shorter than its `minLength`). Copied into the scratch crate's `tests/` and run by
//! `scratch::tests` in xtask.
#![deny(warnings)]

use tasks_sdk_examples::testing::{MockServer, example};
use tasks_sdk_examples::types::{CreateThingBody, Thing};

#[tokio::test]
async fn a_body_of_the_schema_is_answered_and_one_that_is_not_gets_a_400_naming_the_field() {
    let server = MockServer::start().await;
    let thing: Thing = example();
    server.create_thing().respond(thing.clone());

    // What the client sends from the generated types: answered.
    let body: CreateThingBody = example();
    let created = server
        .client()
        .create_thing()
        .body(body.clone())
        .call()
        .await
        .unwrap();
    assert_eq!(created, thing);
    assert_eq!(server.received()[0].body_error(), None);

    // Bodies sent by hand, which the schema refuses.
    let valid = serde_json::to_value(&body).unwrap();
    let mut missing = valid.clone();
    missing.as_object_mut().unwrap().remove("reason");
    let mut short = valid.clone();
    short["reason"] = "too short".into();
    let cases = [
        (missing, "missing field `reason` at line 1 column "),
        (short, "at `reason`: shorter than 10 characters at line 1 column "),
    ];
    let raw = reqwest::Client::new();
    for (i, (sent, expected)) in cases.into_iter().enumerate() {
        let response = raw
            .post(format!("{}/things", server.uri()))
            .json(&sent)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{sent}");
        let answer: serde_json::Value = response.json().await.unwrap();
        let message = answer["error"].as_str().unwrap().to_owned();
        let prefix = format!("request body does not match CreateThingBody: {expected}");
        assert!(message.starts_with(&prefix), "{message}");
        let received = &server.received()[i + 1];
        assert_eq!(received.operation, Some("create_thing"));
        assert_eq!(received.body_error(), Some(message.as_str()));
    }
}

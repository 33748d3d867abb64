//! Media types on the wire, through the client generated from
//! `xtask/corpus/media_types.yaml`: a JSON variant keeps its own `Content-Type` and the
//! `Accept` the responses declare, and a form body encodes arrays and objects as the
//! document's `encoding` says. Copied into the scratch crate's `tests/` and run by
//! `scratch::tests` in xtask.
#![deny(warnings)]

use tasks_sdk_media::types::{Invite, InviteContext, InviteMeta, UserPatch};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> tasks_sdk_media::Client {
    tasks_sdk_media::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_json_variant_is_sent_and_accepted_as_itself() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/users/u%201"))
        .and(header("content-type", "application/merge-patch+json"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(r#"{"id":"u 1","name":"Ann"}"#, "application/scim+json"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let user = client(&server)
        .patch_user()
        .id("u 1")
        .body(UserPatch {
            name: Some("Ann".into()),
        })
        .call()
        .await;
    let received = server.received_requests().await.unwrap();
    let user = user.unwrap_or_else(|e| panic!("{e}: sent {received:#?}"));
    assert_eq!((user.id.as_str(), user.name.as_str()), ("u 1", "Ann"));
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].body, br#"{"name":"Ann"}"#);
    // What the responses declare, and one Content-Type (not application/json beside it).
    assert_eq!(
        received[0].headers.get("accept").unwrap(),
        "application/scim+json, application/problem+json"
    );
    assert_eq!(received[0].headers.get_all("content-type").iter().count(), 1);
}

#[tokio::test]
async fn a_form_body_encodes_arrays_and_objects_as_its_encoding_says() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/invites"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .invite()
        .body(Invite {
            email: "a+b@example.com".into(),
            roles: vec!["admin".into(), "billing".into()],
            labels: vec!["x".into(), "y z".into()],
            meta: Some(InviteMeta {
                source: Some("web".into()),
                depth: Some(2),
            }),
            context: Some(InviteContext {
                tz: Some("UTC".into()),
            }),
        })
        .call()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    let body = String::from_utf8(received[0].body.clone()).unwrap();
    let mut pairs: Vec<&str> = body.split('&').collect();
    pairs.sort_unstable();
    assert_eq!(
        pairs,
        [
            // `encoding: {contentType: application/json}`: the object's JSON text.
            "context=%7B%22tz%22%3A%22UTC%22%7D",
            "email=a%2Bb%40example.com",
            // `encoding: {style: pipeDelimited}`.
            "labels=x%7Cy%20z",
            // An object by default: deepObject keys.
            "meta%5Bdepth%5D=2",
            "meta%5Bsource%5D=web",
            // An array by default: exploded form, one pair per item.
            "roles=admin",
            "roles=billing",
        ],
        "{body}"
    );
}

#[tokio::test]
async fn the_test_kit_answers_a_form_with_its_required_fields_and_refuses_one_without() {
    use tasks_sdk_media::testing::{MockServer, example};

    let server = MockServer::start().await;
    server.invite().respond(());
    let client = server.client();
    client.invite().body(example::<Invite>()).call().await.unwrap();
    assert_eq!(server.received()[0].body_error(), None);

    // Without `email`, sent by hand: a 400 naming it.
    let response = reqwest::Client::new()
        .post(format!("{}/invites", server.uri()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("roles=admin&meta%5Bdepth%5D=2")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let answer: serde_json::Value = response.json().await.unwrap();
    let message = "request body does not match Invite: missing field `email`";
    assert_eq!(answer["error"], message);
    assert_eq!(server.received()[1].body_error(), Some(message));
}

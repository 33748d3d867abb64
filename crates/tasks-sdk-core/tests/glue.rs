//! The glue every provider crate invokes, compiled and tested once here:
//! `impl_generated_client!` on a hand-written stand-in for a progenitor client (the
//! shape progenitor generates with `inner_type = Runtime`), and, with `test-util`,
//! `mock_server!` on the same client.

use tasks_sdk_core::{AuthScheme, Error, GeneratedClient, Operation, ParamBounds, Provider};
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk_glue_TopSecret";

/// The facts regen would write for this stand-in provider. Its variables are never set
/// by another test.
pub static PROVIDER: Provider = Provider::new("glue", "Glue")
    .with_default_base_url("https://api.glue.invalid/v1")
    .with_env(
        "TASKS_SDK_CORE_GLUE_KEY",
        "TASKS_SDK_CORE_GLUE_BASE_URL",
        "TASKS_SDK_CORE_GLUE",
    )
    .with_auth(&[AuthScheme::Header("x-api-key")])
    .with_operations(&[
        Operation::new("get_thing").with_bounds(&[ParamBounds::new(
            "limit",
            Some(1.0),
            Some(100.0),
        )]),
        Operation::new("create_thing"),
    ]);

/// What progenitor generates, cut down to one operation: the client struct, its
/// constructor, `ClientInfo`, and a builder whose `send()` runs the hooks as
/// progenitor's does (`pre`, `exec`, `post`).
mod generated {
    use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo, ResponseValue};
    use tasks_sdk_core::Runtime;

    #[derive(Clone, Debug)]
    pub struct Client {
        pub(crate) baseurl: String,
        pub(crate) client: reqwest::Client,
        pub(crate) inner: Runtime,
    }

    impl Client {
        pub fn new_with_client(baseurl: &str, client: reqwest::Client, inner: Runtime) -> Self {
            Client {
                baseurl: baseurl.to_string(),
                client,
                inner,
            }
        }

        pub fn get_thing(&self) -> builder::GetThing<'_> {
            builder::GetThing {
                client: self,
                limit: None,
            }
        }

        pub fn create_thing(&self) -> builder::CreateThing<'_> {
            builder::CreateThing {
                client: self,
                body: None,
            }
        }
    }

    pub mod types {
        /// A request body, as typify writes one: a required field and an enum.
        #[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
        pub struct NewThing {
            pub name: String,
            pub size: Size,
        }

        #[derive(Clone, Copy, Debug, serde::Deserialize, serde::Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum Size {
            Small,
            Large,
        }
    }

    impl ClientInfo<Runtime> for Client {
        fn api_version() -> &'static str {
            "1.0.0"
        }
        fn baseurl(&self) -> &str {
            &self.baseurl
        }
        fn client(&self) -> &reqwest::Client {
            &self.client
        }
        fn inner(&self) -> &Runtime {
            &self.inner
        }
    }

    pub mod builder {
        use super::*;

        #[derive(Debug, Clone)]
        pub struct GetThing<'a> {
            pub(super) client: &'a super::Client,
            pub(super) limit: Option<u32>,
        }

        impl GetThing<'_> {
            pub fn limit(mut self, limit: u32) -> Self {
                self.limit = Some(limit);
                self
            }

            pub async fn send(self) -> Result<ResponseValue<serde_json::Value>, Error<()>> {
                let client = self.client;
                let mut request = client
                    .client
                    .get(format!("{}/things", client.baseurl))
                    .query(&[("limit", self.limit)])
                    .build()?;
                let info = OperationInfo {
                    operation_id: "get_thing",
                };
                client.pre(&mut request, &info).await?;
                let result = client.exec(request, &info).await;
                client.post(&result, &info).await?;
                let response = result?;
                if response.status().is_success() {
                    ResponseValue::from_response(response).await
                } else {
                    Err(Error::UnexpectedResponse(response))
                }
            }
        }

        #[derive(Debug, Clone)]
        pub struct CreateThing<'a> {
            pub(super) client: &'a super::Client,
            pub(super) body: Option<super::types::NewThing>,
        }

        impl CreateThing<'_> {
            pub fn body(mut self, body: super::types::NewThing) -> Self {
                self.body = Some(body);
                self
            }

            pub async fn send(self) -> Result<ResponseValue<serde_json::Value>, Error<()>> {
                let client = self.client;
                let body = self
                    .body
                    .ok_or_else(|| Error::InvalidRequest("body was not set".into()))?;
                let mut request = client
                    .client
                    .post(format!("{}/things", client.baseurl))
                    .json(&body)
                    .build()?;
                let info = OperationInfo {
                    operation_id: "create_thing",
                };
                client.pre(&mut request, &info).await?;
                let result = client.exec(request, &info).await;
                client.post(&result, &info).await?;
                let response = result?;
                if response.status().is_success() {
                    ResponseValue::from_response(response).await
                } else {
                    Err(Error::UnexpectedResponse(response))
                }
            }
        }
    }
}

use generated::Client;

tasks_sdk_core::impl_generated_client! {
    client: Client,
    provider: PROVIDER,
    title: "Glue",
    api_key_env: "TASKS_SDK_CORE_GLUE_KEY",
    base_url_env: "TASKS_SDK_CORE_GLUE_BASE_URL",
    base_url: "https://api.glue.invalid/v1",
}

async fn server_of_things() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "t1"})))
        .mount(&server)
        .await;
    server
}

#[test]
fn the_client_is_a_generated_client_of_its_provider() {
    assert!(std::ptr::eq(
        <Client as GeneratedClient>::PROVIDER,
        &PROVIDER
    ));
    // from_parts: progenitor's `new_with_client`, with the builder's base URL (not the
    // default: another test sets the base URL variable).
    let client = Client::builder()
        .api_key(KEY)
        .base_url("https://eu.glue.invalid/v1/")
        .build()
        .unwrap();
    assert_eq!(client.baseurl, "https://eu.glue.invalid/v1");
    assert_eq!(client.inner.provider().name, "glue");
}

#[test]
fn from_env_reads_the_providers_variables() {
    // Nothing set: the error names the key variable the macro was given.
    let err = Client::from_env().unwrap_err();
    assert!(
        matches!(
            err,
            Error::MissingCredentials {
                provider: "glue",
                env_var: "TASKS_SDK_CORE_GLUE_KEY",
                ..
            }
        ),
        "{err}"
    );
    // SAFETY: only this test reads or writes these variables, and nothing in this
    // process reads the environment outside Rust's `std::env`.
    unsafe {
        std::env::set_var("TASKS_SDK_CORE_GLUE_KEY", KEY);
        std::env::set_var(
            "TASKS_SDK_CORE_GLUE_BASE_URL",
            "http://127.0.0.1:9/from-env/",
        );
    }
    let client = Client::from_env().unwrap();
    unsafe {
        std::env::remove_var("TASKS_SDK_CORE_GLUE_KEY");
        std::env::remove_var("TASKS_SDK_CORE_GLUE_BASE_URL");
    }
    assert_eq!(client.baseurl, "http://127.0.0.1:9/from-env");
}

#[tokio::test]
async fn the_hooks_send_through_the_runtime() {
    let server = server_of_things().await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .user_agent("glue-test/1.0")
        .build()
        .unwrap();

    let thing = client.get_thing().limit(10).send().await.unwrap();

    assert_eq!(thing.into_inner(), serde_json::json!({"id": "t1"}));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let headers = &requests[0].headers;
    // pre: the credential and the user agent.
    assert_eq!(headers.get("x-api-key").unwrap(), KEY);
    assert_eq!(headers.get("user-agent").unwrap(), "glue-test/1.0");
}

#[tokio::test]
async fn a_bad_argument_fails_in_the_pre_hook_and_nothing_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .build()
        .unwrap();

    let err = client.get_thing().limit(0).send().await.unwrap_err();

    let progenitor_client::Error::InvalidRequest(message) = &err else {
        panic!("{err}")
    };
    assert!(message.contains("limit"), "{message}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_exec_hook_retries_as_the_runtime_does() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "t2"})))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .sleep_impl(tasks_sdk_core::Sleep::new(|_| async {}))
        .build()
        .unwrap();

    let thing = client.get_thing().send().await.unwrap();

    assert_eq!(thing.into_inner()["id"], "t2");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// `mock_server!` on the same client: what each provider's `testing` module declares.
#[cfg(feature = "test-util")]
mod testing {
    use tasks_sdk_core::testing::{MockOperation, Route, SendFuture};

    tasks_sdk_core::mock_server! {
        title: "Glue",
        client: super::Client,
        provider: super::PROVIDER,
        routes: ROUTES,
        stubs: {
            /// A stub of `GET /things`.
            get_thing: operations::GetThing,
            /// A stub of `POST /things`.
            create_thing: operations::CreateThing,
        },
    }

    const ROUTES: &[Route] = &[
        Route {
            operation: "get_thing",
            method: "GET",
            path: "/things",
            success: 200,
        },
        Route {
            operation: "create_thing",
            method: "POST",
            path: "/things",
            success: 201,
        },
    ];

    pub mod operations {
        use super::{MockOperation, Route, SendFuture};
        use crate::generated::{builder, types};
        use tasks_sdk_core::testing::RequestBody;

        /// What regen writes for an operation with a JSON body: its type, checked.
        #[derive(Debug, Clone, Copy)]
        pub struct CreateThing;

        impl MockOperation for CreateThing {
            type Client = crate::Client;
            type Builder<'a> = builder::CreateThing<'a>;
            type Body = serde_json::Value;
            type ErrorBody = ();
            const ROUTE: Route = super::ROUTES[1];
            const REQUEST_BODY: Option<RequestBody> =
                Some(RequestBody::json::<types::NewThing>("NewThing"));
            fn builder(client: &crate::Client) -> builder::CreateThing<'_> {
                client.create_thing()
            }
            fn send<'a>(builder: Self::Builder<'a>) -> SendFuture<'a> {
                Box::pin(async move { builder.send().await.map(|_| ()).map_err(|e| e.to_string()) })
            }
        }

        #[derive(Debug, Clone, Copy)]
        pub struct GetThing;

        impl MockOperation for GetThing {
            type Client = crate::Client;
            type Builder<'a> = builder::GetThing<'a>;
            type Body = serde_json::Value;
            type ErrorBody = ();
            const ROUTE: Route = super::ROUTES[0];
            fn builder(client: &crate::Client) -> builder::GetThing<'_> {
                client.get_thing()
            }
            fn send<'a>(builder: Self::Builder<'a>) -> SendFuture<'a> {
                Box::pin(async move { builder.send().await.map(|_| ()).map_err(|e| e.to_string()) })
            }
        }
    }
}

#[cfg(feature = "test-util")]
#[tokio::test]
async fn the_mock_server_of_the_macro_serves_its_stubs_to_its_client() {
    use testing::{MockServer, REDACTED, TEST_API_KEY};

    let server = MockServer::start().await;
    assert!(
        server.uri().starts_with("http://127.0.0.1:"),
        "{}",
        server.uri()
    );
    assert_eq!(server.engine().provider().name, "glue");
    server
        .get_thing()
        .when(|q| q.limit(5))
        .respond(serde_json::json!({"id": "five"}));
    server.get_thing().respond(serde_json::json!({"id": "any"}));

    // `client()`: the real client, the test key, the server's URL.
    let client = server.client();
    let five = client.get_thing().limit(5).send().await.unwrap();
    let any = client.get_thing().limit(6).send().await.unwrap();
    assert_eq!(five.into_inner()["id"], "five");
    assert_eq!(any.into_inner()["id"], "any");

    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].operation, Some("get_thing"));
    assert_eq!(received[0].query_param("limit"), Some("5"));
    assert_eq!(received[0].header("x-api-key"), Some(REDACTED));
    assert_ne!(TEST_API_KEY, REDACTED);

    // `reset()` forgets stubs and requests; `client_builder()` takes more settings.
    server.reset();
    assert!(server.received().is_empty());
    let quick = server
        .client_builder()
        .retry_policy(tasks_sdk_core::RetryPolicy::disabled())
        .build()
        .unwrap();
    let err = quick.get_thing().send().await.unwrap_err();
    assert!(err.to_string().contains("404"), "{err}");
    assert_eq!(server.received().len(), 1);
}

#[cfg(feature = "test-util")]
#[tokio::test]
async fn a_stub_answers_a_body_of_its_type_and_refuses_another_with_a_400_saying_why() {
    use generated::types::{NewThing, Size};
    use testing::MockServer;

    let server = MockServer::start().await;
    server
        .create_thing()
        .respond(serde_json::json!({"id": "t1"}));
    let client = server.client();

    // A body of the type the builder takes: answered.
    let created = client
        .create_thing()
        .body(NewThing {
            name: "a".into(),
            size: Size::Small,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    assert_eq!(created.into_inner()["id"], "t1");
    assert_eq!(server.received()[0].body_error(), None);

    // Bodies the type does not decode, sent by hand: 400, what and where.
    let raw = reqwest::Client::new();
    let url = format!("{}/things", server.uri());
    let cases = [
        (
            r#"{"size":"small"}"#,
            "request body does not match NewThing: missing field `name` at line 1 column 16",
        ),
        (
            r#"{"name":"a","size":"huge"}"#,
            "request body does not match NewThing: at `size`: unknown variant `huge`, expected \
             `small` or `large` at line 1 column 25",
        ),
        (
            "size=small",
            "request body does not match NewThing: expected value at line 1 column 1",
        ),
    ];
    for (body, message) in cases {
        let response = raw
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{body}");
        let answer: serde_json::Value = response.json().await.unwrap();
        assert_eq!(answer["error"], message, "{body}");
        let received = server.received();
        let last = received.last().unwrap();
        assert_eq!(last.operation, Some("create_thing"));
        assert_eq!(last.body_error(), Some(message));
    }

    // Checked from the start, with no stub mounted: 400, not the 404 of a missing stub.
    server.reset();
    let response = raw.post(&url).body("{}").send().await.unwrap();
    assert_eq!(response.status(), 400);
    assert!(
        server.received()[0]
            .body_error()
            .unwrap()
            .contains("missing field `name`")
    );
    // An operation without a typed body is not checked.
    server.get_thing().respond(serde_json::json!({"id": "any"}));
    let response = raw.get(&url).body("not json").send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.received()[1].body_error(), None);
}

//! [`mock_server!`](crate::mock_server): what every provider's generated `testing`
//! module has in common, written once.

/// Declares a provider's `MockServer` (feature `test-util`): the part of each generated
/// `testing` module that is the same for every provider. `cargo xtask regen` writes one
/// call into each provider crate's `src/testing.rs`, next to what is the provider's own
/// (the `ROUTES`, the `operations` types and the `Example` impls):
///
/// ```text
/// tasks_sdk_core::mock_server! {
///     title: "Deck",
///     client: crate::Client,
///     provider: crate::PROVIDER,
///     routes: ROUTES,
///     stubs: {
///         /// A stub of `GET /tasks` ([`Client::list_tasks`](crate::Client::list_tasks)).
///         list_tasks: operations::ListTasks,
///     },
/// }
/// ```
///
/// It expands to:
/// - the re-exports users of the module need: [`DEFAULT_PAGE_SIZE`](crate::testing::DEFAULT_PAGE_SIZE),
///   [`Example`](crate::testing::Example), [`REDACTED`](crate::testing::REDACTED),
///   [`ReceivedRequest`](crate::testing::ReceivedRequest), [`Stub`](crate::testing::Stub),
///   [`TEST_API_KEY`](crate::testing::TEST_API_KEY) and [`example`](crate::testing::example);
/// - `pub struct MockServer` (a [`MockEngine`](crate::testing::MockEngine) serving `routes` for
///   `provider`, and a [`capture_client`](crate::testing::capture_client) of `client` for
///   [`Stub::when`](crate::testing::Stub::when)), documented with the provider's `title`;
/// - its methods `start()`, `uri()`, `client()`, `client_builder()`, `received()`,
///   `reset()` and `engine()`;
/// - one method per entry of `stubs`, with the entry's docs, returning a
///   [`Stub`](crate::testing::Stub) of that operation type (a [`MockOperation`](crate::testing::MockOperation)
///   whose client is `client`).
#[macro_export]
macro_rules! mock_server {
    (
        title: $title:literal,
        client: $client:ty,
        provider: $provider:path,
        routes: $routes:expr,
        stubs: {
            $(
                $(#[$stub_attr:meta])*
                $stub:ident: $operation:ty
            ),* $(,)?
        } $(,)?
    ) => {
        pub use $crate::testing::{
            DEFAULT_PAGE_SIZE, Example, REDACTED, ReceivedPart, ReceivedRequest, Stub, TEST_API_KEY,
            example,
        };

        #[doc = concat!(
            "The ", $title, " API, served in-process on 127.0.0.1 for tests: typed stubs per ",
            "operation, pages in the spec's own style, faults, and the requests received."
        )]
        ///
        /// Stopped when dropped. Each stub method returns a [`Stub`]: narrow it with
        /// `when(..)` and `times(..)`, then mount a reply (`respond`, `respond_error`,
        /// `items`) or a fault (`rate_limited`, `server_error`, `stall`,
        /// `malformed_body`, `reset_connection`). A request nothing matches gets a 404
        /// whose body names the stub to mount; a request whose body does not decode into
        /// the operation's body type (the type its builder's `.body(..)` takes, which
        /// enforces the schema) gets a 400 saying what and where, also kept in
        /// [`ReceivedRequest::body_error`].
        #[derive(Debug)]
        pub struct MockServer {
            engine: $crate::testing::MockEngine,
            // The client whose requests `when(..)` builds without sending them.
            capture: $client,
        }

        impl MockServer {
            /// Starts a server on a free port of 127.0.0.1.
            ///
            /// # Panics
            /// Outside a tokio runtime, or when no loopback port can be bound.
            pub async fn start() -> MockServer {
                let engine = $crate::testing::MockEngine::start(&$provider, $routes).await;
                // Every operation's request bodies are checked against its body type
                // (an operation its group's feature leaves out has no type: the stub's
                // `#[cfg]` goes with it; its doc comment is the stub's).
                $(
                    #[allow(unused_doc_comments)]
                    $(#[$stub_attr])*
                    engine.check_request_body::<$operation>();
                )*
                MockServer {
                    engine,
                    capture: $crate::testing::capture_client(),
                }
            }

            /// The server's base URL, e.g. `http://127.0.0.1:49152`.
            pub fn uri(&self) -> &str {
                self.engine.uri()
            }

            /// A client of this server, with [`TEST_API_KEY`] and default settings
            /// (retries included).
            pub fn client(&self) -> $client {
                self.client_builder()
                    .build()
                    .expect("a client of the mock server builds")
            }

            /// A builder of such a client, for more settings (retry policy, timeout).
            pub fn client_builder(&self) -> $crate::ClientBuilder<$client> {
                $crate::testing::client_builder(&self.engine)
            }

            /// Every request received so far, in order, credential redacted.
            pub fn received(&self) -> ::std::vec::Vec<ReceivedRequest> {
                self.engine.received()
            }

            /// Forgets every stub and received request.
            pub fn reset(&self) {
                self.engine.reset()
            }

            /// The engine, for what the typed methods do not cover.
            pub fn engine(&self) -> &$crate::testing::MockEngine {
                &self.engine
            }

            $(
                $(#[$stub_attr])*
                pub fn $stub(&self) -> Stub<'_, $operation> {
                    Stub::new(&self.engine, &self.capture)
                }
            )*
        }
    };
}

//! The test kit (feature `test-util`): each provider's mock server is
//! `tasks_sdk::<provider>::testing::MockServer` (typed stubs per operation, pages in the
//! spec's own pagination style, faults, the requests received); [`MockSources`] puts
//! every provider behind one, for code that uses [`list_all`](crate::list_all).
//!
//! ```
//! use tasks_sdk::deck::types::Task;
//! use tasks_sdk::testing::{MockSources, example};
//! use tasks_sdk::{StreamExt, TaskFilter, list_all};
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() {
//!     let mocks = MockSources::start().await;
//!     mocks.deck.list_tasks().items(vec![Task { id: "task_1".into(), ..example() }]);
//!     // The other providers list nothing.
//!
//!     let sources = mocks.sources();
//!     let tasks: Vec<_> = list_all(&sources, &TaskFilter::default()).collect().await;
//!     let ids: Vec<String> = tasks.into_iter().map(|t| t.unwrap().id).collect();
//!     assert_eq!(ids, ["task_1"]);
//! }
//! ```

#[doc(inline)]
pub use crate::mock_sources::MockSources;
pub use tasks_sdk_core::testing::{
    DEFAULT_PAGE_SIZE, Example, REDACTED, ReceivedRequest, Stub, TEST_API_KEY, example,
};

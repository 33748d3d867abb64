//! # tasks-sdk
//!
//! Typed Rust clients for the "list tasks" APIs of five providers, generated from their
//! OpenAPI documents. Each provider is a module (and a cargo feature, all on by
//! default) re-exporting its own crate:
//!
#![doc = include_str!("providers.md")]
//! Depend on one provider crate to compile only that client, or on this facade with
//! `default-features = false, features = ["deck"]`.
//!
//! # Example
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // Reads DECK_API_KEY (and DECK_BASE_URL, if set).
//! let deck = tasks_sdk::deck::Client::from_env()?;
//! let page = deck.list_tasks().limit(50).send().await?.into_inner();
//! for task in &page.data {
//!     println!("{} {} {}", task.id, task.name, task.status);
//! }
//!
//! // Or configure a client explicitly, e.g. against a local mock.
//! let twill = tasks_sdk::twill::Client::builder()
//!     .api_key("twill-key")
//!     .base_url("http://127.0.0.1:4010")
//!     .build()?;
//! let tasks = twill.list_tasks().limit(10).send().await?.into_inner().tasks;
//! # let _ = tasks;
//! # Ok(())
//! # }
//! ```
//!
//! # Crate organization
//!
//! - One module per provider (see the table): its `Client`, `types`, `builder` and
//!   `PROVIDER` facts, all generated from `specs/<provider>/openapi.yaml`.
//! - [`core`]: the shared runtime (credentials, client builder, errors of building).
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod providers;

pub use providers::*;
#[doc(inline)]
pub use tasks_sdk_core as core;

/// Compiles the Rust examples of the top-level README as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

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
//! use futures_util::StreamExt;
//! use tasks_sdk::{Sources, TaskFilter, TaskStatus};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! // One provider, its own types: every task of every page, fetched lazily.
//! let deck = tasks_sdk::deck::Client::from_env()?; // DECK_API_KEY (and DECK_BASE_URL)
//! let mut tasks = deck.list_tasks().limit(100).stream().max_items(500);
//! while let Some(task) = tasks.next().await {
//!     let task = task?;
//!     println!("{} {} {}", task.id, task.name, task.status);
//! }
//!
//! // Every provider whose key is set, at once, in the unified model; the others are
//! // left out and named by `sources.skipped()` (provider, env var).
//! let sources = Sources::from_env();
//! let filter = TaskFilter::new().status(TaskStatus::Running).max_items(50);
//! let mut all = tasks_sdk::list_all(&sources, &filter);
//! while let Some(result) = all.next().await {
//!     match result {
//!         Ok(task) => println!("{:<10} {} {}", task.provider, task.id, task.status),
//!         Err(e) => eprintln!("{e}"), // tagged with the provider; the others go on
//!     }
//! }
//!
//! // Or configure a client explicitly, e.g. against a local mock.
//! let twill = tasks_sdk::twill::Client::builder()
//!     .api_key("twill-key")
//!     .base_url("http://127.0.0.1:4010")
//!     .build()?;
//! let page = twill.list_tasks().limit(10u64).call().await?;
//! # let _ = page;
//! # Ok(())
//! # }
//! ```
//!
//! # Crate organization
//!
//! - One module per provider (see the table): its `Client`, `types`, `builder` and
//!   `PROVIDER` facts, all generated from `specs/<provider>/openapi.yaml`.
//! - [`Task`], [`TaskStatus`], [`TaskFilter`]: one task model for every provider;
//!   [`sources`] has the mapping tables.
//! - [`TaskSource`]: implemented by every provider's `Client`; [`list_all`] lists
//!   several [`Sources`] concurrently.
//! - [`core`]: the shared runtime (client builder, retries, the [`core::Error`]
//!   taxonomy, pagination streams).
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod list_all;
mod providers;
pub mod sources;
mod task;
#[rustfmt::skip] // written by regen
mod task_sources;

pub use list_all::{ProviderError, Sources, list_all};
pub use providers::*;
pub use sources::{SourceOptions, TaskSource, TaskStream};
pub use task::{Task, TaskFilter, TaskStatus};
#[doc(inline)]
pub use tasks_sdk_core as core;

/// Compiles the Rust examples of the top-level README as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

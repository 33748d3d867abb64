//! # tasks-sdk
//!
//! Typed Rust clients for the "list tasks" APIs of the providers below, generated from
//! their OpenAPI documents. Each provider is a module (and a cargo feature, all on by
//! default) re-exporting its own crate; [`PROVIDERS`] lists the ones compiled in:
//!
#![doc = include_str!("providers.md")]
//! To compile one client only, depend on this facade with
//! `default-features = false, features = ["<provider>", "rustls"]` (a TLS backend:
//! `rustls`, `rustls-ring` or `native-tls`; `rate-limit` adds the opt-in client-side
//! limiter), or on the provider's own crate.
//!
//! A `Cargo.toml` needs this crate and an async runtime only:
//!
//! ```toml
//! [dependencies]
//! tasks-sdk = "0.1"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! # Example
//!
//! Written by `cargo xtask regen` for the first provider (in the table's order) whose
//! list operation streams pages:
//!
#![doc = include_str!("example.md")]
//!
//! # Crate organization
//!
//! - One module per provider (see the table): its `Client`, `types`, `builder`,
//!   `ErrorBodies` (the typed error body of a failed call, e.g.
//!   `err.list_tasks_error_body()`) and `PROVIDER` facts, all generated from
//!   `specs/<provider>/openapi.yaml`; [`for_each_provider!`] expands code once per
//!   provider, with its own types.
//! - [`Task`], [`TaskStatus`], [`TaskFilter`]: one task model for every provider;
//!   [`sources`] has the mapping tables.
//! - [`TaskSource`]: implemented by every provider's `Client`; [`list_all`] lists
//!   several [`Sources`] concurrently.
//! - [`core`]: the shared runtime (client builder, retries, the [`core::Error`]
//!   taxonomy, pagination streams).
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod each_provider;
mod list_all;
#[cfg(feature = "test-util")]
#[rustfmt::skip] // written by regen
mod mock_sources;
mod providers;
pub mod sources;
mod task;
#[rustfmt::skip] // written by regen
mod task_sources;
#[cfg(feature = "test-util")]
pub mod testing;

pub use list_all::{ProviderError, Sources, list_all};
pub use providers::*;
pub use sources::{SourceOptions, TaskSource, TaskStream};
pub use task::{Task, TaskFilter, TaskStatus};

/// The stream traits the listings need in scope (`stream.next().await`), so that an
/// application depends on `tasks-sdk` (and an async runtime) only.
pub use futures_util::{Stream, StreamExt};

/// The date-time crate of `Task::created_at` and of generated types' `date-time`
/// fields, to build and compare them without a dependency of your own.
#[doc(no_inline)]
pub use chrono;
#[doc(inline)]
pub use tasks_sdk_core as core;

/// Compiles the Rust examples of the top-level README as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

//! Emit: the Rust written from the typed model. progenitor's output and what we add to it
//! (`send()` rewrites, setters, `call()`/`stream()`, error bodies), the test kit, each
//! crate's files, the facade and every file that lists the providers.

pub mod catch;
pub mod extend;
pub mod files;
pub mod generate;
pub mod instance;
pub mod lists;
pub mod send_fns;
pub mod setters;
pub mod stream;
pub mod syntax;
pub mod task_source;
pub mod test_kit;

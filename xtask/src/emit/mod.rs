//! Emit: the Rust written from the typed model ([`crate::model::Prepared`]) of each
//! provider, and the files that list every provider. In: the model; out:
//! [`files::Output`]s (path and contents), written or compared by the command.
//!
//! - One provider's crate ([`generate`]): [`progenitor`] runs progenitor and post-processes
//!   its client with [`extend`] (`call()`, error bodies, `stream()` from [`stream`]),
//!   [`setters`], [`send_fns`] and [`params`] (parameters serialized as the document
//!   says), all reading progenitor's code through [`syntax`]; the
//!   test kit is [`test_kit`] (example values from [`instance`]); `lib.rs`, `Cargo.toml`
//!   and `README.md` are [`crate_files`] (the front page's section on event streams,
//!   downloads and uploads: [`shapes`]). [`media`] rewrites bodies and `Accept` as the
//!   document's media types say (multipart bodies, text, `send_events()`).
//! - Every provider at once: [`facade`] (modules, features, `TaskSource` impls from
//!   [`task_source`]) and [`lists`] (README regions, CLI, cross-provider test data).
//!
//! A new emitter goes in a file of its own here and is called from [`generate`] or
//! [`facade::shared_outputs`]; it reads the model, never the spec files.

pub mod builders;
pub mod catch;
pub mod conformance;
pub mod conforms;
pub mod crate_files;
pub mod degrade;
pub mod extend;
pub mod facade;
pub mod files;
pub mod groups;
pub mod instance;
pub mod lists;
pub mod media;
pub mod objects;
pub mod params;
pub mod pattern;
pub mod progenitor;
pub mod send_fns;
pub mod setters;
pub mod shapes;
pub mod short_paths;
pub mod stream;
pub mod string_enums;
pub mod syntax;
pub mod task_source;
pub mod test_kit;

use proc_macro2::TokenStream;

use crate::emit::crate_files::{cargo_toml, lib_rs, readme};
use crate::emit::files::{Output, header};
use crate::emit::progenitor::{Generated, generated_rs};
use crate::model::Prepared;

/// The files of one provider's crate.
pub fn generate(prepared: &mut Prepared) -> Result<Vec<Output>, String> {
    generate_with_source(prepared).map(|(outputs, _)| outputs)
}

/// The four files of the provider's crate, and its facade `TaskSource` impl when the
/// spec has an `x-task`.
///
/// When progenitor cannot generate a client for the document, `prepared` is replaced by
/// its [`degrade`]d model first (a schema untyped, an operation left out, each listed),
/// so that callers go on with the model the crate was generated from.
pub fn generate_with_source(
    prepared: &mut Prepared,
) -> Result<(Vec<Output>, Option<TokenStream>), String> {
    let generated = match generated_rs(prepared) {
        Err(e) if degrade::can_degrade(&e) => {
            *prepared = degrade::degrade(prepared, &e)
                .map_err(|e| format!("{}: {e}", prepared.spec_file))?;
            generated_rs(prepared)
        }
        other => other,
    };
    let prepared = &*prepared;
    let Generated {
        code,
        testing,
        testing_doc,
        shapes_doc,
        task_source,
        type_cfgs,
    } = generated.map_err(|e| format!("{}: {e}", prepared.spec_file))?;
    let krate = format!("crates/tasks-sdk-{}", prepared.provider.name);
    let outputs = vec![
        Output::new(
            format!("{krate}/src/generated.rs"),
            format!("{}\n{code}", header(&prepared.spec_file, "//")),
        ),
        Output::new(
            format!("{krate}/src/testing.rs"),
            format!("{}\n{testing}", header(&prepared.spec_file, "//")),
        ),
        Output::new(
            format!("{krate}/src/lib.rs"),
            lib_rs(prepared, &testing_doc, &shapes_doc, &type_cfgs),
        ),
        Output::new(format!("{krate}/Cargo.toml"), cargo_toml(prepared, &code)),
        Output::new(format!("{krate}/README.md"), readme(prepared)),
    ];
    Ok((outputs, task_source))
}

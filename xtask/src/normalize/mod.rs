//! The normalize stage: in, a checked document (possibly 3.1); out, the same document
//! rewritten into the OpenAPI 3.0.3 subset progenitor
//! generates good Rust from. Every rule is generic: it looks at shapes, never at a
//! provider's name. Nothing here refuses a document for a JSON Schema 2020-12 keyword:
//! what 3.0 cannot say is typed another way, loosened or kept as documentation (the
//! table of every keyword is in GENERATOR.md, "JSON Schema 2020-12").
//!
//! Two rules mend what the document itself gets wrong, each with a warning; they run
//! from `model::prepare_doc` (which knows the provider's name), after the overlay and
//! before `$ref`s are checked:
//!
//! - [`required_fields`]: what OpenAPI requires and the document lacks is filled in
//!   (no `info.version`: `unknown`; no `info.title`: the provider's name; a response
//!   without a `description`: an empty one; ...) or left out (a server without a
//!   `url`, an `externalDocs` without a `url`, ...).
//! - [`dangling_refs`]: a `$ref` whose target is not in the document stands for any
//!   JSON value (a missing component schema is added as one), or what it stands in is
//!   left out (a parameter, a header); each is degraded (`x-tasks-sdk-degraded`).
//!
//! Rules, in order:
//!
//! - [`resolve_schema_identifiers`] (also run by `model::prepare_doc` before `$ref`s are
//!   checked): `$ref`s resolved against `$id`s, `$anchor`s and `$dynamicAnchor`s become
//!   JSON pointers; a `$dynamicRef` is a `$ref` when one schema declares its anchor,
//!   else loosened; a `$ref` to a meta-schema is any value; the identifiers go.
//! - [`unify_line_breaks`]: prose with `\r\n` or a lone `\r` gets `\n`.
//! - [`resolve_path_items`]: a path item that is a `$ref` is replaced by a copy of its
//!   target; operations lose their `callbacks`.
//! - [`openapi32_additions`]: OpenAPI 3.2's QUERY and additional operations are listed
//!   as not generated; responses without a description get an empty one.
//! - [`name_operations`]: every operation gets an `operationId` whose Rust method name
//!   is unique.
//! - [`responses_for_every_operation`]: an operation without responses gets an untyped
//!   `default` one (and a warning).
//! - [`hoist_deep_refs`]: a `$ref` into the inside of something is pointed at a copy of
//!   its target in `components.schemas` (`$defs` targets among them:
//!   `#/components/schemas/A/$defs/b` → `AB`).
//! - [`inline_response_refs`]: `responses: {'401': {$ref: '#/components/responses/X'}}`
//!   is replaced by a copy of `X`, so that later rules see every response body.
//! - [`inline_request_body_refs`]: the same for a `requestBody` that is a `$ref`.
//! - [`normalize_media_types`]: media types progenitor understands; a typed
//!   `multipart/form-data` body goes to progenitor as JSON with its files
//!   `tasks_sdk_core::FilePart`s (`x-rust-type`); event streams (their data schema a
//!   component), files and text successes are marked for the model.
//! - [`normalize_parameters`]: every parameter as progenitor takes it (`form` query,
//!   `simple` path and header, a schema), what the document says of its serialization
//!   kept in extensions for the model; OpenAPI 3.2 `querystring` parameters (or their
//!   operations) are left out and listed.
//! - [`credential_parameters`]: an optional parameter that repeats an `apiKey` scheme
//!   is left out (the runtime sends the credential), and a required one when every
//!   security requirement of its operation names that scheme (on the parameters
//!   `normalize_parameters` left: `$ref`s resolved, path-level ones on operations).
//! - [`known_types`]: a `type` JSON Schema does not have (`bool`, `int`, `date`) is read
//!   as the JSON type it spells, else left out (any value), with a warning.
//! - [`downgrade_schemas`] on every schema (3.1 → 3.0):
//!   - `type: [T, 'null']` → `type: T, nullable: true`;
//!   - `type: [A, B]` → in a parameter, `A` (a query string serializes any listed
//!     type); elsewhere `oneOf: [{type: A, ...}, {type: B, ...}]`, with each keyword
//!     moved to the arm whose type it constrains;
//!   - `oneOf`/`anyOf` with a `{type: 'null'}` arm → the other arm under `allOf`
//!     (several: the rest stay under `oneOf`) plus `nullable: true`;
//!   - `const: v` → `enum: [v]`;
//!   - numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (and max);
//!   - `examples: [a, ...]` → `example: a`;
//!   - the 2020-12 keywords of `json_schema.rs`: a `$ref` with assertions beside it
//!     → an `allOf` arm; `prefixItems` → one `items` schema; `items: false` →
//!     `maxItems`; `unevaluatedProperties`/`unevaluatedItems` → `additional*`/`items`
//!     where nothing else evaluates, else dropped; `patternProperties` → map values or
//!     a loosened map; `if`/`then`/`else`, `dependentSchemas`, `dependentRequired`,
//!     `not`, `contains`, `minContains`, `maxContains`, `propertyNames` dropped;
//!     `contentMediaType`/`contentEncoding` → a line of the description; a `pattern`
//!     regress would misread dropped with a line of the description; `format`
//!     without a `type` dropped (an annotation); `anyOf` next to `oneOf` or `allOf` →
//!     `allOf` arms; `enum` arrays/objects holding numbers dropped;
//!     `oneOf`/`anyOf` of shape-free constraints dropped (or their arms typed), an
//!     `anyOf` with non-object arms → `oneOf`;
//!   - an untyped schema gets the type its keywords constrain (`format`, bounds →
//!     number, `properties` → object); keywords of several types are dropped.
//! - [`wide_floats`]: `format: float` numbers are read as `f64` (an `f32` would read a
//!   value beyond its range as infinity).
//! - [`unify_success_responses`]: progenitor allows one success type per operation;
//!   different success bodies become one `<OperationId>SuccessBody` that is `oneOf`
//!   them.
//! - [`common_error_body`], then [`unify_error_responses`]: when the overlay declares
//!   the provider's common error schema (`info.x-provider.error_schema`), every error
//!   status listed without a body gets it as its JSON body (the runtime tries it on
//!   statuses not listed at all). progenitor allows one error body type per operation.
//!   Error responses without a body are dropped from the typed set (the runtime still
//!   classifies them by status); two or more different bodies become one component
//!   `<OperationId>ErrorBody` that is `oneOf` them (an untagged Rust enum). Without a
//!   success status, `default` (which progenitor then types as success and as error)
//!   joins the error bodies.
//! - [`rename_schemas`]: a component schema with `x-rust-name: N` (set by an overlay)
//!   is renamed to `N`, and every `$ref` to it follows. Then the names typify would
//!   give twice are made distinct: components whose Rust names are equal
//!   ([`distinct_type_names`]), nullable components ([`nullable_at_the_references`]),
//!   inline request and response bodies named like a component (progenitor's
//!   `<OperationId>Body`, `<OperationId>Response`:
//!   [`hoist_bodies_named_like_components`]), inline properties named like a component
//!   ([`hoist_properties_named_like_components`]), and the properties typify builds
//!   when it merges `allOf` arms through `$ref`s
//!   ([`merged_properties_named_like_components`]); an `allOf` arm that is only a map
//!   loosens ([`loosen_map_arms`]).
//! - [`untype_merged_fields_named_alike`]: a struct typify would merge from `allOf`
//!   arms (through `$ref`s) or into `oneOf`/`anyOf` variants with two properties of
//!   one Rust field name (`@type` and `type`), or a property `extra` next to
//!   `additionalProperties`, cannot compile: the schema holding the merge (and each
//!   merge that includes it) becomes any JSON value, listed as degraded.
//! - [`hoist_titled_enums`]: an inline string enum with a `title` becomes the component
//!   schema of that name (one for identical copies), so that it is a named type the
//!   generator can make forward-compatible.
//! - [`distinct_titles`]: inline schemas whose `title`s typify would turn into one type
//!   name (empty titles, a component's name, two different schemas with one title) get
//!   distinct names.
//! - [`struct_parameters`]: a parameter whose type typify makes a struct refers to a
//!   component progenitor writes as that struct's type (progenitor takes no struct
//!   parameter but the body).
//! - The `openapi` field becomes `3.0.3`.

mod all_of;
mod components;
mod dangling;
mod enums;
mod fields;
mod identifiers;
mod json_schema;
pub mod media_types;
mod names;
mod numbers;
mod openapi31;
mod openapi32;
mod parameters;
mod paths;
mod references;
mod required;
mod responses;
mod security;
mod text;
mod types;
mod walk;

use serde_json::{Value, json};

pub use all_of::{
    hoist_bodies_named_like_components, hoist_properties_named_like_components, loosen_map_arms,
    merged_properties_named_like_components, nullable_at_the_references,
};
pub use dangling::dangling_refs;
pub use enums::hoist_titled_enums;
pub use fields::untype_merged_fields_named_alike;
pub use identifiers::resolve_schema_identifiers;
pub use media_types::normalize_media_types;
pub use names::{distinct_titles, distinct_type_names, rename_schemas};
pub use numbers::wide_floats;
pub use openapi31::downgrade_schemas;
pub use openapi32::openapi32_additions;
pub use parameters::{normalize_parameters, struct_parameters};
pub use paths::{name_operations, resolve_path_items};
pub use references::{hoist_deep_refs, inline_request_body_refs, inline_response_refs};
pub use required::required_fields;
pub use responses::{
    common_error_body, responses_for_every_operation, unify_error_responses,
    unify_success_responses,
};
pub use security::credential_parameters;
pub use text::unify_line_breaks;
pub use types::known_types;

/// Runs every rule.
pub fn normalize(doc: &mut Value) -> Result<(), String> {
    resolve_schema_identifiers(doc);
    unify_line_breaks(doc);
    resolve_path_items(doc);
    openapi32_additions(doc);
    name_operations(doc);
    responses_for_every_operation(doc);
    hoist_deep_refs(doc)?;
    inline_response_refs(doc)?;
    inline_request_body_refs(doc);
    normalize_media_types(doc);
    normalize_parameters(doc);
    credential_parameters(doc)?;
    known_types(doc)?;
    downgrade_schemas(doc)?;
    wide_floats(doc)?;
    unify_success_responses(doc)?;
    common_error_body(doc)?;
    unify_error_responses(doc)?;
    rename_schemas(doc)?;
    distinct_type_names(doc);
    nullable_at_the_references(doc);
    hoist_bodies_named_like_components(doc)?;
    hoist_properties_named_like_components(doc)?;
    merged_properties_named_like_components(doc)?;
    loosen_map_arms(doc);
    untype_merged_fields_named_alike(doc);
    hoist_titled_enums(doc)?;
    distinct_titles(doc);
    struct_parameters(doc);
    doc["openapi"] = json!("3.0.3");
    Ok(())
}

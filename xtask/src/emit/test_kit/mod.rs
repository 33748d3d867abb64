//! `src/testing.rs` of each provider crate (feature `test-util`): the provider's test
//! kit on `tasks_sdk_core::testing`.
//!
//! - `MockServer`, with one typed stub method per operation (`server.list_tasks()`),
//!   declared by a call of `tasks_sdk_core::mock_server!`, which writes what every
//!   provider's `MockServer` has in common (the struct, `start()`, `client()`, ...);
//! - `operations`: one zero-sized type per operation implementing `MockOperation`
//!   (route, request builder, body and error body types), and `MockList` for those
//!   with a pagination the generated `stream()` follows (item type and the spec's
//!   `x-pagination` in wire names, with a page template from the schema);
//! - `Example` for every type of `types` and `enums`, valid for the type's schema: the
//!   spec's own example when it is valid, else built field by field where that is
//!   valid (required fields set, `Option`s `None`, empty collections, strings named
//!   after their field), else decoded from the schema's example instance
//!   ([`instance::example`]: bounds, lengths, formats, patterns, `minItems`, ...).
//!
//! Everything is read from progenitor's output (the builders' `send()` signatures, the
//! `types` module) and from the normalized spec, like [`crate::emit::stream`] does.

pub(crate) mod examples;

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::document;
use crate::document::naming;
use crate::emit::instance;
use crate::emit::syntax;
use crate::model::Prepared;
use crate::model::media::Success;
use examples::{example_impls, module_items};

/// `MockServer`'s own methods (those `tasks_sdk_core::mock_server!` writes): an operation
/// method of the same name gets `_operation`.
const RESERVED: &[&str] = &[
    "start",
    "uri",
    "client",
    "client_builder",
    "received",
    "reset",
    "engine",
];

/// What [`tokens`] writes.
pub struct TestKit {
    /// The head of `testing.rs`: its imports and the call of `tasks_sdk_core::mock_server!`
    /// (the provider's `MockServer`, with one stub method per operation), as text.
    pub server: String,
    /// The rest of `testing.rs` (routes, operation types, examples), to be pretty-printed.
    pub code: TokenStream,
    /// The user test on the crate's front page: rustdoc lines (`//! ...`).
    pub doc_example: String,
}

/// The list operation the front page's user test stubs: (method name, item type as
/// written in `types`, whether the item is a struct with a `String` `id`).
struct DocList {
    id: String,
    item: String,
    with_id: bool,
}

/// The provider's test kit.
/// `stream_items`: the item type of each operation with a `stream()`, as
/// [`crate::emit::extend::tokens`] found them.
pub fn tokens(
    p: &Prepared,
    file: &syn::File,
    stream_items: &HashMap<String, TokenStream>,
) -> Result<TestKit, String> {
    let mut doc_list: Option<DocList> = None;
    // By builder name: looked up once per operation.
    let send_types: std::collections::HashMap<String, syn::Type> =
        crate::emit::syntax::send_types(file).into_iter().collect();
    let error_types = syntax::error_types(file);
    let body_types = syntax::body_types(file);
    let mut routes = Vec::new();
    let mut stubs = Vec::new();
    let mut operations = Vec::new();
    for (op, facts) in document::operations(&p.doc).iter().zip(&p.operations) {
        let id = &facts.id;
        let builder_name = naming::builder_name(id);
        let builder = format_ident!("{}", builder_name);
        let method_ident = format_ident!("{}", id);
        let stub_ident = if RESERVED.contains(&id.as_str()) {
            format_ident!("{}_operation", id)
        } else {
            method_ident.clone()
        };
        let Some(success_ty) = send_types.get(&builder_name) else {
            return Err(format!(
                "progenitor wrote no builder `{builder_name}` for {}",
                op.at
            ));
        };
        let body = json_type(success_ty);
        let error = error_types
            .get(&builder_name)
            .cloned()
            .unwrap_or_else(|| quote!(()));
        let http_method = op.method.to_ascii_uppercase();
        let path = op.path;
        let success = success_status(op.op);
        let route = quote! {
            tasks_sdk_core::testing::Route { operation: #id, method: #http_method, path: #path, success: #success }
        };
        // Each operation's route is its own constant, listed in `ROUTES` as long as its
        // group is on (`emit::groups`).
        let cfg: TokenStream = crate::emit::groups::operation_cfg(p, id)
            .parse()
            .map_err(|e| format!("a group's cfg does not parse: {e}"))?;
        routes.push(quote!(#cfg <operations::#builder as MockOperation>::ROUTE));
        let doc =
            format!("A stub of `{http_method} {path}` ([`Client::{id}`](crate::Client::{id})).");
        stubs.push(format!(
            "{}        {}\n        {stub_ident}: operations::{builder_name},\n",
            doc_comment(&doc, "        "),
            crate::emit::groups::operation_cfg(p, id),
        ));
        let op_doc = format!(
            "`{http_method} {path}`: the types of [`MockServer::{stub_ident}`](super::MockServer::{stub_ident})."
        );
        let text_body = (facts.media.success == Success::Text).then(|| {
            quote!(
                const TEXT_BODY: bool = true;
            )
        });
        let request_body = body_types
            .get(&builder_name)
            .and_then(|ty| request_body(p, op.op, &facts.media, ty))
            .map(|check| {
                quote!(
                    const REQUEST_BODY: Option<tasks_sdk_core::testing::RequestBody> = Some(#check);
                )
            });
        operations.push(quote! {
            #[doc = #op_doc]
            #[derive(Debug, Clone, Copy)]
            pub struct #builder;

            impl MockOperation for #builder {
                type Client = crate::Client;
                type Builder<'a> = crate::builder::#builder<'a>;
                type Body = #body;
                type ErrorBody = #error;
                const ROUTE: Route = #route;
                #text_body
                #request_body
                fn builder(client: &crate::Client) -> crate::builder::#builder<'_> {
                    client.#method_ident()
                }
                fn send<'a>(builder: Self::Builder<'a>) -> SendFuture<'a> {
                    Box::pin(async move { builder.send().await.map(|_| ()).map_err(|e| e.to_string()) })
                }
            }
        });
        if let Some(events) = &facts.media.events {
            let data: syn::Type = syn::parse_str(events.item_type()).expect("a type path");
            let data = match events.item {
                // `types::X` and `enums::X` from `generated.rs` are `crate::types::X`.
                Some(_) => {
                    let name = events.item_type().rsplit("::").next().unwrap_or_default();
                    let name = format_ident!("{}", name);
                    quote!(crate::types::#name)
                }
                None => quote!(#data),
            };
            let terminator = match &events.terminator {
                Some(t) => quote!(Some(#t)),
                None => quote!(None),
            };
            operations.push(quote! {
                impl tasks_sdk_core::testing::MockEvents for #builder {
                    type Data = #data;
                    const TERMINATOR: Option<&'static str> = #terminator;
                }
            });
        }
        if facts.media.success == Success::Download {
            let content_type = download_type(op.op);
            operations.push(quote! {
                impl tasks_sdk_core::testing::MockDownload for #builder {
                    const CONTENT_TYPE: &'static str = #content_type;
                }
            });
        }
        if let Some((list, item)) = list_impl(p, op, facts, &builder, stream_items.get(id)) {
            operations.push(list);
            let better = doc_list.as_ref().is_none_or(|d| d.id != "list_tasks");
            if better && !has_required_input(op.op) {
                doc_list = Some(DocList {
                    id: id.clone(),
                    with_id: item_has_string_id(file, &item),
                    item: item.to_string().replace(' ', ""),
                });
            }
        }
    }
    let examples = example_impls(p, file);
    let title = &p.provider.title;
    let krate = format!("tasks_sdk_{}", p.provider.name.replace('-', "_"));
    let doc_example = doc_example(&krate, doc_list.as_ref());
    // Written as text: prettyplease would print the macro's input on a few long lines.
    let server = format!(
        "use crate::types;\n\
         #[allow(unused_imports)]\n\
         use tasks_sdk_core::testing::{{\n    \
             MockList, MockOperation, NextAtEnd, Paging, PagingStyle, Route, SendFuture,\n\
         }};\n\n\
         tasks_sdk_core::mock_server! {{\n    \
             title: {title},\n    \
             client: crate::Client,\n    \
             provider: crate::PROVIDER,\n    \
             routes: ROUTES,\n    \
             stubs: {{\n{stubs}    }},\n\
         }}\n\n",
        title = proc_macro2::Literal::string(title),
        stubs = stubs.concat(),
    );
    let code = quote! {
        const ROUTES: &[Route] = &[#(#routes),*];

        /// One type per operation, naming its request builder, body types and
        /// pagination for [`Stub`].
        pub mod operations {
            #[allow(unused_imports)]
            use super::{types, MockList, MockOperation, NextAtEnd, Paging, PagingStyle, Route, SendFuture};

            #(#operations)*
        }

        #(#examples)*
    };
    Ok(TestKit {
        server,
        code,
        doc_example,
    })
}

/// `doc` as the doc comment of an item indented by `indent`: `///` lines, or a `#[doc]`
/// attribute when a line break would end the comment early.
fn doc_comment(doc: &str, indent: &str) -> String {
    if doc.contains(['\n', '\r']) {
        format!("{indent}#[doc = {}]\n", proc_macro2::Literal::string(doc))
    } else {
        format!("{indent}/// {doc}\n")
    }
}

/// Whether calling the operation needs more than the builder alone: a required
/// parameter or body.
fn has_required_input(op: &Value) -> bool {
    let required = |v: &Value| v.get("required").and_then(Value::as_bool) == Some(true);
    op.get("parameters")
        .and_then(Value::as_array)
        .is_some_and(|params| params.iter().any(required))
        || op.get("requestBody").is_some_and(required)
}

/// Whether `item` (`types::Task`) is a struct of `types` with an `id: String` field.
fn item_has_string_id(file: &syn::File, item: &TokenStream) -> bool {
    let name = item.to_string().replace(' ', "");
    let Some(name) = name.strip_prefix("types::") else {
        return false;
    };
    module_items(file, "types").any(|i| match i {
        syn::Item::Struct(s) if s.ident == name => s.fields.iter().any(|f| {
            f.ident.as_ref().is_some_and(|i| i == "id")
                && matches!(&f.ty, syn::Type::Path(p)
                    if p.path.segments.last().is_some_and(|s| s.ident == "String"))
        }),
        _ => false,
    })
}

/// The front page's user test: items served as pages and read back through the real
/// client, when the API has a list operation that needs no input; else a smaller test.
fn doc_example(krate: &str, list: Option<&DocList>) -> String {
    let code = match list {
        Some(DocList { id, item, with_id }) => {
            // `use` the item type when it is one of `types`.
            let (import, item) = match item.strip_prefix("types::") {
                Some(name) => (format!("use {krate}::types::{name};\n"), name.to_owned()),
                None => (String::new(), item.clone()),
            };
            let (make, check) = if *with_id {
                (
                    format!("(1..=3).map(|i| {item} {{ id: format!(\"t{{i}}\"), ..example() }}).collect()"),
                    "let ids: Vec<String> = all.into_iter().map(|item| item.id).collect();\n    assert_eq!(ids, [\"t1\", \"t2\", \"t3\"]);".to_owned(),
                )
            } else {
                (
                    "vec![example(), example(), example()]".to_owned(),
                    "assert_eq!(all.len(), 3);".to_owned(),
                )
            };
            format!(
                "use {krate}::testing::{{MockServer, example}};\n{import}\n\
                 #[tokio::main(flavor = \"current_thread\")]\n\
                 async fn main() -> Result<(), {krate}::Error> {{\n    \
                 let server = MockServer::start().await;\n    \
                 // Three items, served as pages of two in the spec's pagination style.\n    \
                 let items: Vec<{item}> = {make};\n    \
                 server.{id}().page_size(2).items(items);\n\n    \
                 let all = server.client().{id}().stream().collect_all().await?;\n    \
                 {check}\n    \
                 assert_eq!(server.received()[0].operation, Some(\"{id}\"));\n    \
                 Ok(())\n\
                 }}"
            )
        }
        None => format!(
            "use {krate}::testing::MockServer;\n\n\
             #[tokio::main(flavor = \"current_thread\")]\n\
             async fn main() {{\n    \
             let server = MockServer::start().await;\n    \
             let _client = server.client();\n    \
             assert!(server.received().is_empty());\n\
             }}"
        ),
    };
    let mut out = String::from("//! ```\n");
    for line in code.lines() {
        if line.is_empty() {
            out.push_str("//!\n");
        } else {
            out.push_str(&format!("//! {line}\n"));
        }
    }
    out.push_str("//! ```\n");
    out
}

/// The media type a download's stub serves: the first success body's (a wildcard,
/// `application/octet-stream`).
fn download_type(op: &Value) -> String {
    op.get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(code, _)| code.starts_with('2') || code.as_str() == "default")
        .find_map(|(_, response)| response.get("content")?.as_object()?.keys().next())
        .map(|key| key.split(';').next().unwrap_or(key).trim().to_owned())
        .filter(|key| !key.contains('*'))
        .unwrap_or_else(|| "application/octet-stream".to_owned())
}

/// The check of an operation's typed request body `ty` (`types::CreateTask`, what its
/// builder's `.body(..)` takes): a JSON body decoded into the type (its deserialization
/// enforces the schema); a form or multipart body's required properties present, those
/// that are non-null scalars (the runtime leaves out a `None`, an empty array or object).
/// `None` for a body of another kind (text).
fn request_body(
    p: &Prepared,
    op: &Value,
    media: &crate::model::media::MediaFacts,
    ty: &syn::Type,
) -> Option<TokenStream> {
    let request = op.get("requestBody")?;
    let content = request.get("content")?.as_object()?;
    let essence = |key: &str| {
        key.split(';')
            .next()
            .unwrap_or(key)
            .trim()
            .to_ascii_lowercase()
    };
    let type_name = syntax::type_ident(ty)?;
    let form = content
        .iter()
        .find(|(key, _)| essence(key) == "application/x-www-form-urlencoded");
    let json = content.keys().any(|key| {
        let key = essence(key);
        key == "application/json" || key.ends_with("+json")
    });
    let required_names = |schema: Option<&Value>| -> Vec<String> {
        let Some(schema) = schema else {
            return Vec::new();
        };
        let (properties, required) = crate::document::schema::object_parts(&p.doc, schema);
        // A scalar that cannot be null: always sent (a `None`, an empty array or
        // object is left out).
        let scalar = |schema: &Value| {
            let schema = crate::document::schema::resolve(&p.doc, schema);
            matches!(
                schema.get("type").and_then(Value::as_str),
                Some("string" | "integer" | "number" | "boolean")
            ) && !crate::document::schema::nullable(&p.doc, schema)
        };
        required
            .into_iter()
            .filter(|name| {
                properties
                    .iter()
                    .any(|(n, schema)| n == name && scalar(schema))
            })
            .map(str::to_owned)
            .collect()
    };
    let check = if media.multipart {
        // The typed body goes to progenitor as JSON: its schema is the multipart one.
        let schema = content.values().find_map(|m| m.get("schema"));
        let names = required_names(schema);
        quote!(tasks_sdk_core::testing::RequestBody::multipart(#type_name, &[#(#names),*]))
    } else if let Some((_, media_type)) = form.filter(|_| !json) {
        let names = required_names(media_type.get("schema"));
        quote!(tasks_sdk_core::testing::RequestBody::form(#type_name, &[#(#names),*]))
    } else if json {
        quote!(tasks_sdk_core::testing::RequestBody::json::<#ty>(#type_name))
    } else {
        return None;
    };
    let required = request.get("required").and_then(Value::as_bool) == Some(true);
    Some(if required {
        check
    } else {
        quote!(#check.optional())
    })
}

/// The first 2xx status of the operation (200 when it documents only `2XX`/`default`).
fn success_status(op: &Value) -> u16 {
    op.get("responses")
        .and_then(Value::as_object)
        .and_then(|responses| {
            responses
                .keys()
                .filter_map(|code| code.parse::<u16>().ok())
                .find(|code| (200..300).contains(code))
        })
        .unwrap_or(200)
}

/// The body type as a stub takes it: `()` for bodies progenitor does not decode: bytes
/// (`ByteStream`) and the connection of a `101 Switching Protocols` answer
/// (`reqwest::Upgraded`: a WebSocket), which no stub can serve as JSON.
fn json_type(ty: &syn::Type) -> TokenStream {
    let is_raw = matches!(ty, syn::Type::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "ByteStream" || s.ident == "Upgraded"));
    if is_raw { quote!(()) } else { quote!(#ty) }
}

/// `impl MockList` for an operation whose pagination the generated `stream()` follows.
/// `item`: the operation's stream item type; without a `stream()`, `server.x().items(..)`
/// would serve pages the client cannot follow, so there is no `MockList`.
fn list_impl(
    p: &Prepared,
    op: &document::Operation,
    facts: &crate::model::OperationFacts,
    builder: &syn::Ident,
    item: Option<&TokenStream>,
) -> Option<(TokenStream, TokenStream)> {
    let (Some(pagination), Some(item)) = (&facts.pagination, item) else {
        return None;
    };
    let get = |key: &str| pagination.get(key).and_then(Value::as_str);
    let opt = |key: &str| match get(key) {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let style = match get("style").unwrap_or("none") {
        "cursor" => quote!(PagingStyle::Cursor),
        "page" => quote!(PagingStyle::Page),
        "offset" => quote!(PagingStyle::Offset),
        "links" => quote!(PagingStyle::Links),
        "link_header" => quote!(PagingStyle::LinkHeader),
        _ => quote!(PagingStyle::Single),
    };
    let schema = crate::document::success_schema(op.op);
    // Required fields, and the pagination's own fields: small for any schema.
    let signals: Vec<&str> = [
        "items",
        "next_cursor",
        "next",
        "has_more",
        "has_next",
        "total_items",
        "total_pages",
    ]
    .iter()
    .filter_map(|key| get(key))
    .collect();
    let template = schema
        .map(|s| instance::minimal_instance(&p.doc, s, "page", &signals))
        .unwrap_or(Value::Array(Vec::new()))
        .to_string();
    let field = |key: &str| {
        let path = get(key)?;
        schema.and_then(|s| field_schema(&p.doc, s, path))
    };
    let cursor_is_number = field("next_cursor").is_some_and(|(s, _)| {
        matches!(
            crate::document::schema::resolve(&p.doc, s)
                .get("type")
                .and_then(Value::as_str),
            Some("integer" | "number")
        )
    });
    let next_key = if get("next").is_some() {
        "next"
    } else {
        "next_cursor"
    };
    let next_at_end = match field(next_key) {
        Some((s, true)) if crate::document::schema::nullable(&p.doc, s) => quote!(NextAtEnd::Null),
        Some((_, true)) => quote!(NextAtEnd::Empty),
        _ => quote!(NextAtEnd::Absent),
    };
    let first_page = pagination
        .get("first_page")
        .and_then(Value::as_u64)
        .unwrap_or(1);
    let page_size = match pagination.get("page_size").and_then(Value::as_u64) {
        Some(n) => quote!(Some(#n)),
        None => quote!(None),
    };
    let [
        items,
        cursor_param,
        next_cursor,
        next,
        page_param,
        offset_param,
        limit_param,
        has_more,
        has_next,
        total_items,
        total_pages,
    ] = [
        "items",
        "cursor_param",
        "next_cursor",
        "next",
        "page_param",
        "offset_param",
        "limit_param",
        "has_more",
        "has_next",
        "total_items",
        "total_pages",
    ]
    .map(opt);
    let list = quote! {
        impl MockList for #builder {
            type Item = #item;
            const PAGING: Paging = Paging {
                style: #style,
                template: #template,
                items: #items,
                cursor_param: #cursor_param,
                next_cursor: #next_cursor,
                cursor_is_number: #cursor_is_number,
                next: #next,
                next_at_end: #next_at_end,
                page_param: #page_param,
                first_page: #first_page,
                offset_param: #offset_param,
                limit_param: #limit_param,
                page_size: #page_size,
                has_more: #has_more,
                has_next: #has_next,
                total_items: #total_items,
                total_pages: #total_pages,
            };
        }
    };
    Some((list, item.clone()))
}

/// The schema of the field at the dotted wire `path` of an object schema, and whether
/// its object requires it.
fn field_schema<'a>(doc: &'a Value, schema: &'a Value, path: &str) -> Option<(&'a Value, bool)> {
    let mut current = schema;
    let mut required = true;
    for segment in path.split('.') {
        let (properties, names) = crate::document::schema::object_parts(doc, current);
        current = properties
            .iter()
            .find(|(name, _)| *name == segment)
            .map(|(_, s)| *s)?;
        required = names.contains(&segment);
    }
    Some((current, required))
}

/// The facade's `MockSources` (`crates/tasks-sdk/src/mock_sources.rs`): one mock server
/// per provider compiled in, and `Sources` of clients pointed at them. Every provider
/// of the facade is a `TaskSource` (regen requires its `x-task`).
pub fn mock_sources_rs(all: &[&Prepared]) -> String {
    let mut fields = String::new();
    let mut starts = String::new();
    let mut fields_init = String::new();
    let mut adds = String::new();
    for p in all {
        let (name, module, title) = (&p.provider.name, &p.provider.module, &p.provider.title);
        fields.push_str(&format!(
            "    /// {title}'s mock server: stub `list_tasks()` and the rest here.\n    \
             #[cfg(feature = \"{name}\")]\n    pub {module}: crate::{module}::testing::MockServer,\n"
        ));
        starts.push_str(&format!(
            "        #[cfg(feature = \"{name}\")]\n        let {module} = crate::{module}::testing::MockServer::start().await;\n"
        ));
        // An empty listing until the test mounts items (a later stub wins).
        if let Some(list) = crate::model::list::list_operation(p)
            && p.operations
                .iter()
                .any(|op| op.id == list.method && op.pagination.is_some())
        {
            starts.push_str(&format!(
                "        #[cfg(feature = \"{name}\")]\n        {module}.{}().items(Vec::new());\n",
                list.method
            ));
        }
        fields_init.push_str(&format!(
            "            #[cfg(feature = \"{name}\")]\n            {module},\n"
        ));
        adds.push_str(&format!(
            "        #[cfg(feature = \"{name}\")]\n        let sources = sources.with(self.{module}.client());\n"
        ));
    }
    format!(
        r#"
/// Every provider compiled in, each behind its own in-process mock server: for testing
/// code that uses [`list_all`](crate::list_all) without a network.
///
/// ```
/// use tasks_sdk::testing::MockSources;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {{
/// let mocks = MockSources::start().await;
/// // Each field is that provider's `testing::MockServer`, listing nothing for now.
/// let sources = mocks.sources();
/// # let _ = sources;
/// # }}
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub struct MockSources {{
{fields}}}

impl MockSources {{
    /// Starts one mock server per provider, each listing no tasks until the test
    /// mounts some (`mocks.deck.list_tasks().items(..)`).
    pub async fn start() -> MockSources {{
{starts}        MockSources {{
{fields_init}        }}
    }}

    /// Sources of one client per provider, each pointed at its mock server with the
    /// test key: pass them to [`list_all`](crate::list_all).
    pub fn sources(&self) -> crate::Sources {{
        let sources = crate::Sources::new();
{adds}        sources
    }}
}}
"#
    )
}

#[cfg(test)]
mod tests {
    use super::examples::{struct_example, value_example};
    use super::*;

    #[test]
    fn values_are_built_per_type() {
        let show = |ty: syn::Type, name: &str| value_example(&ty, name).to_string();
        assert_eq!(show(syn::parse_quote!(Option<Task>), "x"), "None");
        assert_eq!(
            show(syn::parse_quote!(::std::string::String), "title"),
            quote!(::std::string::String::from("title-1")).to_string()
        );
        assert_eq!(
            show(syn::parse_quote!(Box<Task>), "x"),
            quote!(::std::boxed::Box::new(
                tasks_sdk_core::testing::Example::example()
            ))
            .to_string()
        );
        assert!(
            show(
                syn::parse_quote!(chrono::DateTime<chrono::offset::Utc>),
                "x"
            )
            .contains("from_timestamp")
        );
    }

    #[test]
    fn an_enum_example_is_its_first_unit_variant() {
        let file: syn::File = syn::parse_quote! {
            pub mod types {
                pub enum Shape { Circle(f64), Empty, Square { side: f64 } }
                pub struct Task { pub id: ::std::string::String, pub done: Option<bool> }
            }
        };
        let items: Vec<_> = module_items(&file, "types").collect();
        assert_eq!(items.len(), 2);
        let syn::Item::Struct(task) = items[1] else {
            panic!()
        };
        assert_eq!(
            struct_example(&task.fields).to_string(),
            quote!({ id: ::std::string::String::from("id-1"), done: None }).to_string()
        );
    }

    #[test]
    fn a_field_schema_is_found_through_nested_objects() {
        let doc = serde_json::json!({});
        let schema = serde_json::json!({
            "type": "object",
            "required": ["meta"],
            "properties": { "meta": {
                "type": "object",
                "properties": { "next": { "type": "integer" } }
            }}
        });
        let (next, required) = field_schema(&doc, &schema, "meta.next").unwrap();
        assert_eq!(next["type"], "integer");
        assert!(!required);
        assert!(field_schema(&doc, &schema, "meta.missing").is_none());
    }
}

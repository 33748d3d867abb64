//! `src/generated.rs` and `src/testing.rs` of a provider crate: progenitor's client for
//! the normalized document, and what we add to and change in it ([`crate::emit::extend`],
//! [`crate::emit::setters`], [`crate::emit::send_fns`], [`crate::emit::params`],
//! [`crate::emit::test_kit`]),
//! pretty-printed.

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;

use crate::emit::extend;
use crate::model::{OpenEnum, ParamType, Prepared};

/// progenitor's client plus what [`extend`] adds, pretty-printed; and the facade's
/// `TaskSource` impl, checked against progenitor's types.
pub fn generated_rs(prepared: &Prepared) -> Result<Generated, String> {
    let mut file = client_file(&prepared.doc, &prepared.enums, &prepared.param_types)?;
    non_exhaustive(&mut file);
    let task_source = match &prepared.task {
        Some(model) => Some(crate::emit::task_source::source_impl(
            prepared, model, &file,
        )?),
        None => None,
    };
    let extend::Extension {
        tokens: extension,
        stream_items,
    } = extend::tokens(prepared, &mut file)?;
    let extension: syn::File = syn::parse2(extension)
        .map_err(|e| format!("the generated extension does not parse: {e}"))?;
    file.items.extend(extension.items);
    crate::emit::setters::rewrite(&mut file, &prepared.operations);
    crate::emit::setters::rewrite_type_builders(&mut file);
    crate::emit::send_fns::drop_api_version_header(&mut file);
    crate::emit::params::rewrite(&mut file, &prepared.operations)?;
    crate::emit::send_fns::methods_reqwest_lacks(&mut file);
    crate::emit::send_fns::redirects_are_answers(&mut file, &prepared.operations);
    crate::emit::media::rewrite(&mut file, &prepared.operations);
    crate::emit::send_fns::one_exchange(&mut file);
    crate::emit::builders::keep_request_builders(&mut file);
    crate::emit::string_enums::rewrite(&mut file);
    crate::emit::objects::rewrite(&mut file);
    let kit = crate::emit::test_kit::tokens(prepared, &file, &stream_items)?;
    let mut testing: syn::File =
        syn::parse2(kit.code).map_err(|e| format!("the generated test kit does not parse: {e}"))?;
    let type_cfgs = crate::emit::groups::rewrite(prepared, &mut file, &mut testing);
    let shapes_doc = crate::emit::shapes::section(prepared, &file);
    one_documented_path(&mut file);
    compiled_operation_examples(&mut file, &format!("tasks_sdk_{}", prepared.provider.name));
    crate::emit::short_paths::shorten(&mut file);
    Ok(Generated {
        code: prettyplease::unparse(&file),
        testing: format!("{}{}", kit.server, prettyplease::unparse(&testing)),
        testing_doc: kit.doc_example,
        shapes_doc,
        task_source,
        type_cfgs,
    })
}

/// The start of every error line of [`client_file`]: what [`crate::emit::degrade`] can
/// mend by untyping a schema or leaving out an operation.
pub const CLIENT_FAILURES: &[&str] = &[
    "not a valid OpenAPI 3.0 document after normalization",
    "progenitor cannot generate a client",
    "progenitor failed on a construct it does not support",
    "progenitor produced code that does not parse",
    "typify defines",
];

/// progenitor's client for `doc` as it writes it (our forward-compatible `enums` in
/// place of its own), with what it cannot get right refused, one line each (they start
/// with one of [`CLIENT_FAILURES`]): a document openapiv3 cannot read, a panic or an
/// error of progenitor or typify, code that does not parse, a type defined twice
/// differently, an enum without variants (it decodes nothing).
pub fn client_file(
    doc: &serde_json::Value,
    enums: &[OpenEnum],
    param_types: &[ParamType],
) -> Result<syn::File, String> {
    let api: OpenAPI = serde_path_to_error::deserialize(doc).map_err(|e| {
        format!(
            "not a valid OpenAPI 3.0 document after normalization at $.{}: {}",
            e.path(),
            e.inner()
        )
    })?;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(tasks_sdk_core::Runtime))
        .with_hooks(HooksMode::Expected)
        .with_derive("PartialEq")
        // The binary properties of a multipart body are `tasks_sdk_core::FilePart`s
        // (`x-rust-type`, written by `normalize_media_types`).
        .with_crate("tasks-sdk-core", progenitor::CrateVers::Any, None);
    for e in enums {
        // progenitor uses our forward-compatible enum wherever the spec names this one.
        let impls = [TypeImpl::Display, TypeImpl::FromStr];
        let name = crate::document::naming::type_name(&e.name);
        // The enums module's path, not `crate::types` (which re-exports both modules):
        // typify may name an inline type of its own the same.
        settings.with_replacement(
            &name,
            format!("crate::generated::enums::{name}"),
            impls.into_iter(),
        );
    }
    for t in param_types {
        // A struct parameter: the struct's own type, which progenitor (seeing no
        // builder) takes as a parameter.
        settings.with_replacement(
            &t.alias,
            format!("crate::generated::types::{}", t.target),
            std::iter::empty(),
        );
    }
    // progenitor asserts on some inputs: a panic becomes an error line.
    let tokens = match crate::emit::catch::catch(|| Generator::new(&settings).generate_tokens(&api))
    {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(e)) => {
            return Err(one_line(&format!(
                "progenitor cannot generate a client: {e}"
            )));
        }
        Err(message) => {
            return Err(one_line(&format!(
                "progenitor failed on a construct it does not support: {message}"
            )));
        }
    };
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("progenitor produced code that does not parse: {e}"))?;
    drop_repeated_types(&mut file)?;
    if let Some(name) = empty_enum(&file) {
        return Err(format!(
            "typify defines `types::{name}` as an enum without variants (it decodes nothing)"
        ));
    }
    Ok(file)
}

/// The first enum of progenitor's `types` module (or a module inside it) without a
/// variant.
fn empty_enum(file: &syn::File) -> Option<String> {
    fn find(items: &[syn::Item]) -> Option<String> {
        items.iter().find_map(|item| match item {
            syn::Item::Enum(e) if e.variants.is_empty() => Some(e.ident.to_string()),
            syn::Item::Mod(m) => m.content.as_ref().and_then(|(_, items)| find(items)),
            _ => None,
        })
    }
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == "types" => {
            m.content.as_ref().and_then(|(_, items)| find(items))
        }
        _ => None,
    })
}

/// What [`generated_rs`] writes.
pub struct Generated {
    /// `generated.rs`.
    pub code: String,
    /// `testing.rs`.
    pub testing: String,
    /// The user test on the crate's front page.
    pub testing_doc: String,
    /// The front page's section on event streams, downloads and uploads (or nothing).
    pub shapes_doc: String,
    pub task_source: Option<TokenStream>,
    /// The features of each type that is not always compiled ([`crate::emit::groups`]).
    pub type_cfgs: crate::emit::groups::TypeCfgs,
}

/// `call()` is the one documented way to send a request: progenitor's `send()` (whose
/// error has no body and no request id) and `Client::new(.., Runtime)` (a `Runtime` only
/// the builder makes) stay callable but leave the docs, and each operation's example
/// calls `.call()`.
pub fn one_documented_path(file: &mut syn::File) {
    let hidden: syn::Attribute = syn::parse_quote!(#[doc(hidden)]);
    let is_client = |ty: &syn::Type| matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"));
    for item in &mut file.items {
        match item {
            syn::Item::Impl(block) if block.trait_.is_none() && is_client(&block.self_ty) => {
                for member in &mut block.items {
                    let syn::ImplItem::Fn(f) = member else {
                        continue;
                    };
                    if f.sig.ident == "new" || f.sig.ident == "new_with_client" {
                        f.attrs.push(hidden.clone());
                        continue;
                    }
                    for attr in &mut f.attrs {
                        let syn::Meta::NameValue(doc) = &mut attr.meta else {
                            continue;
                        };
                        if !doc.path.is_ident("doc") {
                            continue;
                        }
                        if let syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(text),
                            ..
                        }) = &mut doc.value
                        {
                            let value = text.value().replace(".send()", ".call()");
                            *text = syn::LitStr::new(&value, text.span());
                        }
                    }
                }
            }
            syn::Item::Mod(module) if module.ident == "builder" => {
                let Some((_, items)) = &mut module.content else {
                    continue;
                };
                for item in items {
                    let syn::Item::Impl(block) = item else {
                        continue;
                    };
                    for member in &mut block.items {
                        if let syn::ImplItem::Fn(f) = member
                            && f.sig.ident == "send"
                        {
                            f.attrs.push(hidden.clone());
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// progenitor's example on each operation (`let response = client.op().p(p)....`) is
/// `ignore`d, for want of the crate's name and of the arguments: it becomes a `no_run`
/// doctest whose hidden lines declare the client and each argument with its setter's
/// type, so that it compiles as shown. An example it cannot read stays as it is.
pub fn compiled_operation_examples(file: &mut syn::File, krate: &str) {
    // (builder, setter) → the setter's `TryInto` target.
    let mut setters: Vec<(String, String, syn::Type)> = Vec::new();
    let mut optional = std::collections::HashMap::new();
    for item in &file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "builder" {
            continue;
        }
        if let Some((_, items)) = &module.content {
            optional = crate::emit::syntax::optional_fields(items);
        }
        for item in module.content.iter().flat_map(|(_, items)| items) {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            let syn::Type::Path(self_ty) = &*block.self_ty else {
                continue;
            };
            let Some(builder) = self_ty.path.segments.last() else {
                continue;
            };
            for member in &block.items {
                if let syn::ImplItem::Fn(f) = member
                    && let Some(target) = crate::emit::setters::try_into_target(&f.sig)
                {
                    setters.push((builder.ident.to_string(), f.sig.ident.to_string(), target));
                }
            }
        }
    }
    let is_client = |ty: &syn::Type| matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"));
    for item in &mut file.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() || !is_client(&block.self_ty) {
            continue;
        }
        for member in &mut block.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                continue;
            };
            let syn::Type::Path(ret) = &**ty else {
                continue;
            };
            let Some(builder) = ret.path.segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            for attr in &mut f.attrs {
                let syn::Meta::NameValue(doc) = &mut attr.meta else {
                    continue;
                };
                if !doc.path.is_ident("doc") {
                    continue;
                }
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &mut doc.value
                    && let Some(value) = compiled_example(
                        &text.value(),
                        &builder,
                        &setters,
                        optional.get(&builder),
                        krate,
                    )
                {
                    *text = syn::LitStr::new(&value, text.span());
                }
            }
        }
    }
}

/// The doc `text` with its ```` ```ignore ```` example made a `no_run` doctest, or `None`.
/// The example sets the required parameters and the body; the `optional` ones are
/// listed under "Arguments" (a setter line each would make every operation's example as
/// long as its list of parameters).
pub fn compiled_example(
    text: &str,
    builder: &str,
    setters: &[(String, String, syn::Type)],
    optional: Option<&std::collections::HashSet<String>>,
    krate: &str,
) -> Option<String> {
    const OPEN: &str = "```ignore\n";
    let start = text.find(OPEN)?;
    let body_start = start + OPEN.len();
    let body_len = text[body_start..].find("\n```")?;
    let example = &text[body_start..body_start + body_len];
    if !example.starts_with("let response = client.") {
        return None;
    }
    let mut hidden = Vec::new();
    let mut kept = Vec::new();
    for (i, full_line) in example.lines().enumerate() {
        let line = full_line.trim();
        if i == 0 || line == ".call()" || line == ".await;" {
            kept.push(full_line);
            continue;
        }
        let (name, arg) = line.strip_prefix('.')?.strip_suffix(')')?.split_once('(')?;
        if name != arg {
            return None;
        }
        if optional.is_some_and(|o| o.contains(name)) {
            continue;
        }
        kept.push(full_line);
        let (_, _, ty) = setters.iter().find(|(b, s, _)| b == builder && s == name)?;
        let ty = quote!(#ty)
            .to_string()
            .replace(' ', "")
            .replace("crate::generated::enums::", &format!("{krate}::types::"))
            .replace("super::types::", &format!("{krate}::types::"));
        let ty = match ty.strip_prefix("types::") {
            Some(rest) => format!("{krate}::types::{rest}"),
            None => ty,
        };
        hidden.push(format!("# let {name}: {ty} = todo!();\n"));
    }
    Some(format!(
        "{before}```no_run\n# async fn example(client: {krate}::Client) {{\n{hidden}{example}\n# let _ = response;\n# }}{after}",
        before = &text[..start],
        hidden = hidden.concat(),
        example = kept.join("\n"),
        after = &text[body_start + body_len..],
    ))
}

/// Marks every struct with named fields and every enum of progenitor's `types` module
/// `#[non_exhaustive]`, as aws-sdk-rust does: a provider adding a field or an enum value
/// is then an additive change for users (cargo-semver-checks agrees), who build the
/// structs with `X::builder()` (or `Default`) and match the enums with a `_` arm.
/// Newtypes keep their private field and their constructors.
///
/// Structs are exhaustive with the `test-util` feature, so that a user's tests can write
/// `Task { id: "t1".into(), ..example() }` (functional update, which stays valid when a
/// field is added); semver is checked, and applications build, without it.
pub fn non_exhaustive(file: &mut syn::File) {
    let attr: syn::Attribute = syn::parse_quote!(#[non_exhaustive]);
    let struct_attr: syn::Attribute =
        syn::parse_quote!(#[cfg_attr(not(feature = "test-util"), non_exhaustive)]);
    for item in &mut file.items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "types" {
            continue;
        }
        for item in module.content.iter_mut().flat_map(|(_, items)| items) {
            let (attrs, attr) = match item {
                syn::Item::Struct(s) if matches!(s.fields, syn::Fields::Named(_)) => {
                    (&mut s.attrs, &struct_attr)
                }
                syn::Item::Enum(e) => (&mut e.attrs, &attr),
                _ => continue,
            };
            if !attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
                attrs.push(attr.clone());
            }
        }
    }
}

/// typify can define one type twice, alike: when it merges an `allOf` whose arms give a
/// property two different schemas, it names the merged type after a title it finds
/// there, which can be a component's own name (bitbucket.org's `TeamLinks`, see the
/// test). A type (and each impl of it) that repeats an earlier one token for token
/// (doc comments aside), in `types` or a module inside it, is dropped; two different
/// types of one name are an error here rather than a crate that does not compile.
pub fn drop_repeated_types(file: &mut syn::File) -> Result<(), String> {
    for item in &mut file.items {
        if let syn::Item::Mod(module) = item
            && module.ident == "types"
        {
            drop_repeated_items(module, "types")?;
        }
    }
    Ok(())
}

pub fn drop_repeated_items(module: &mut syn::ItemMod, path: &str) -> Result<(), String> {
    use std::collections::{HashMap, HashSet};
    let Some((_, items)) = &mut module.content else {
        return Ok(());
    };
    let name = |item: &syn::Item| match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        syn::Item::Fn(f) => Some(f.sig.ident.to_string()),
        _ => None,
    };
    // The common case, no name defined twice, costs one pass over the names.
    let mut names = HashSet::new();
    let repeated: HashSet<String> = items
        .iter()
        .filter_map(name)
        .filter(|n| !names.insert(n.clone()))
        .collect();
    if !repeated.is_empty() {
        let mut first: HashMap<String, String> = HashMap::new();
        let mut impls = HashSet::new();
        let mut differ = None;
        items.retain(|item| {
            let key = match (name(item), item) {
                (Some(n), _) if repeated.contains(&n) => n,
                (_, syn::Item::Impl(i))
                    if crate::emit::syntax::type_ident(&i.self_ty)
                        .is_some_and(|n| repeated.contains(&n)) =>
                {
                    return impls.insert(without_docs(item));
                }
                _ => return true,
            };
            let tokens = without_docs(item);
            match first.get(&key) {
                None => {
                    first.insert(key, tokens);
                    true
                }
                Some(earlier) if *earlier == tokens => false,
                Some(_) => {
                    differ.get_or_insert(key);
                    true
                }
            }
        });
        if let Some(name) = differ {
            return Err(format!(
                "typify defines `{path}::{name}` twice, differently (two schemas it names alike)"
            ));
        }
    }
    for item in items.iter_mut() {
        if let syn::Item::Mod(inner) = item {
            let inner_path = format!("{path}::{}", inner.ident);
            drop_repeated_items(inner, &inner_path)?;
        }
    }
    Ok(())
}

/// `item`'s tokens without its doc comments (nor its fields', variants' or methods'):
/// typify repeats a type with the description of one use of it or of another
/// (zuora.com's `PostAccountTypeBillToContact`), and the first one's docs are kept.
pub fn without_docs(item: &syn::Item) -> String {
    use quote::ToTokens;
    fn strip(attrs: &mut Vec<syn::Attribute>) {
        attrs.retain(|a| !a.path().is_ident("doc"));
    }
    let mut item = item.clone();
    match &mut item {
        syn::Item::Struct(s) => {
            strip(&mut s.attrs);
            s.fields.iter_mut().for_each(|f| strip(&mut f.attrs));
        }
        syn::Item::Enum(e) => {
            strip(&mut e.attrs);
            for variant in &mut e.variants {
                strip(&mut variant.attrs);
                variant.fields.iter_mut().for_each(|f| strip(&mut f.attrs));
            }
        }
        syn::Item::Impl(i) => {
            strip(&mut i.attrs);
            for member in &mut i.items {
                if let syn::ImplItem::Fn(f) = member {
                    strip(&mut f.attrs);
                }
            }
        }
        syn::Item::Type(t) => strip(&mut t.attrs),
        syn::Item::Fn(f) => strip(&mut f.attrs),
        _ => {}
    }
    item.to_token_stream().to_string()
}

/// An error line: whitespace runs (progenitor's messages embed pretty-printed schemas)
/// become one space, and it stops after 300 characters.
pub fn one_line(message: &str) -> String {
    let line = message.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(300) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_and_new_leave_the_docs_and_examples_call() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn new(baseurl: &str) -> Self { todo!() }
                #[doc = "```ignore\nlet response = client.list_tasks()\n    .send()\n    .await;\n```"]
                pub fn list_tasks(&self) -> builder::ListTasks<'_> { todo!() }
            }
            pub mod builder {
                impl<'a> ListTasks<'a> {
                    pub async fn send(self) -> Result<(), ()> { todo!() }
                    pub fn limit(self) -> Self { self }
                }
            }
        };
        one_documented_path(&mut file);
        let code = prettyplease::unparse(&file);
        assert!(code.contains("#[doc(hidden)]\n    pub fn new("), "{code}");
        assert!(
            code.contains(".call()") && !code.contains(".send()"),
            "{code}"
        );
        assert!(
            code.contains("#[doc(hidden)]\n        pub async fn send("),
            "{code}"
        );
        assert!(
            !code.contains("#[doc(hidden)]\n        pub fn limit("),
            "{code}"
        );
    }

    #[test]
    fn operation_examples_become_doctests_with_typed_arguments() {
        let setters = vec![
            (
                "ListTasks".to_owned(),
                "limit".to_owned(),
                syn::parse_quote!(::std::num::NonZeroU32),
            ),
            (
                "ListTasks".to_owned(),
                "status".to_owned(),
                syn::parse_quote!(crate::generated::enums::TaskStatus),
            ),
            (
                "ListTasks".to_owned(),
                "body".to_owned(),
                syn::parse_quote!(types::NewTask),
            ),
        ];
        let doc = "List tasks\n\n```ignore\nlet response = client.list_tasks()\n    .limit(limit)\n    .status(status)\n    .body(body)\n    .call()\n    .await;\n```";
        let compiled =
            compiled_example(doc, "ListTasks", &setters, None, "tasks_sdk_acme").unwrap();
        assert_eq!(
            compiled,
            "List tasks\n\n```no_run\n\
             # async fn example(client: tasks_sdk_acme::Client) {\n\
             # let limit: ::std::num::NonZeroU32 = todo!();\n\
             # let status: tasks_sdk_acme::types::TaskStatus = todo!();\n\
             # let body: tasks_sdk_acme::types::NewTask = todo!();\n\
             let response = client.list_tasks()\n    .limit(limit)\n    .status(status)\n    .body(body)\n    .call()\n    .await;\n\
             # let _ = response;\n\
             # }\n```"
        );
        // A parameter without a known setter: left as it is.
        let unknown = doc.replace(".limit(limit)", ".other(other)");
        assert_eq!(
            compiled_example(&unknown, "ListTasks", &setters, None, "tasks_sdk_acme"),
            None
        );
    }

    /// bitbucket.org's shape: `team` is `allOf` an `account` whose `links` is the
    /// component `account_links` and an arm whose `links` is `team_links`, itself `allOf`
    /// `account_links` and more, titled "Team Links". typify merges the two `links` into
    /// an inline type named after that title, `TeamLinks`, and defines the component
    /// `team_links` as `TeamLinks` too: the same struct twice, which does not compile.
    #[test]
    fn a_type_typify_defines_twice_alike_is_defined_once() {
        let link =
            serde_json::json!({"type": "object", "properties": {"href": {"type": "string"}}});
        let doc = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/teams/{id}": {"get": {
                "operationId": "get_team",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/team"}
                }}}}
            }}},
            // In bitbucket.org's (alphabetical) order: typify meets `team`'s merged
            // `links` before the component `team_links`.
            "components": {"schemas": {
                "account": {"allOf": [
                    {"$ref": "#/components/schemas/object"},
                    {"type": "object", "additionalProperties": true, "title": "Account", "properties": {
                        "name": {"type": "string"},
                        "links": {"$ref": "#/components/schemas/account_links"}
                    }}
                ]},
                "account_links": {"type": "object", "additionalProperties": true, "title": "Account Links", "properties": {
                    "avatar": {"$ref": "#/components/schemas/link"}
                }},
                "link": link,
                // Swagger's base type: a discriminator, and open to more properties.
                "object": {
                    "type": "object", "additionalProperties": true,
                    "discriminator": {"propertyName": "type"},
                    "properties": {"type": {"type": "string"}}, "required": ["type"]
                },
                "project": {"type": "object", "properties": {
                    "owner": {"$ref": "#/components/schemas/team"}
                }},
                "team": {"allOf": [
                    {"$ref": "#/components/schemas/account"},
                    {"type": "object", "additionalProperties": true, "title": "Team", "properties": {
                        "links": {"$ref": "#/components/schemas/team_links"}
                    }}
                ]},
                "team_links": {"allOf": [
                    {"$ref": "#/components/schemas/account_links"},
                    {"type": "object", "additionalProperties": true, "title": "Team Links", "properties": {
                        "members": {"$ref": "#/components/schemas/link"}
                    }}
                ]}
            }}
        });
        let mut prepared =
            crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, "t.yaml".into(), doc, None)
                .unwrap();
        let outputs = crate::emit::generate(&mut prepared).unwrap();
        let code = outputs
            .iter()
            .find(|o| o.path.ends_with("generated.rs"))
            .map(|o| o.contents.as_str())
            .unwrap();
        // Once, in `types` (a response's type: no builder, `emit::builders`).
        assert_eq!(code.matches("pub struct TeamLinks {").count(), 1, "{code}");
    }

    #[test]
    fn repeated_items_are_dropped_and_different_ones_refused() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                /// One use of A.
                pub struct A { pub x: u8 }
                impl A { pub fn builder() {} }
                /// Another use of A.
                pub struct A { pub x: u8 }
                impl A { pub fn builder() {} }
                impl B { pub fn other() {} }
                impl B { pub fn other() {} }
                pub mod builder {
                    pub struct A { x: u8 }
                    pub struct A { x: u8 }
                }
            }
        };
        drop_repeated_types(&mut file).unwrap();
        let code = prettyplease::unparse(&file);
        // One in `types`, one in `types::builder`; the first one's docs.
        assert_eq!(code.matches("pub struct A {").count(), 2, "{code}");
        assert!(
            code.contains("One use of A.") && !code.contains("Another use"),
            "{code}"
        );
        assert_eq!(code.matches("impl A {").count(), 1, "{code}");
        // `B` is not defined twice: its impls are left to the compiler.
        assert_eq!(code.matches("impl B {").count(), 2, "{code}");

        let mut differ: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    pub struct A { x: u8 }
                    pub struct A { y: u8 }
                }
            }
        };
        assert_eq!(
            drop_repeated_types(&mut differ).unwrap_err(),
            "typify defines `types::builder::A` twice, differently (two schemas it names alike)"
        );
    }
}

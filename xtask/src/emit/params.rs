//! Every builder's `send()` serializes its parameters as the document says, through
//! `tasks_sdk_core::params` (the OpenAPI "Style Examples" table, RFC 6570
//! percent-encoding), from the model's [`ParamFacts`]:
//!
//! - progenitor's path arguments, `encode_path(&id.to_string())` (which leaves `,`,
//!   `;`, `=` and `..` as they are), become `params::PathParam::new("id",
//!   params::PathStyle::Label).serialize_segment(&id)?` (`serialize` for a parameter that
//!   is only part of a segment), or `params::segment("id", &id)?` for the common
//!   `simple` one, not exploded, that is a whole segment;
//! - progenitor's `.query(&progenitor_client::QueryParam::new(name, &value))` calls
//!   (serde_urlencoded: `explode: false` ignored, objects refused) become one
//!   `params::QueryString`, each parameter pushed with its style, `explode` and
//!   `allowReserved`, appended to the URL string as it is; an absent optional one is an
//!   `if let Some(..)` that does nothing else;
//! - progenitor's header appends (`value.to_string().try_into()?`) become
//!   `params::HeaderParam::serialize` (an undefined value sends no header, CR or LF
//!   are refused);
//! - cookie parameters (progenitor's headers, see `normalize_parameters`) go into one
//!   `params::Cookies`, sent as one `Cookie` header.
//!
//! A value that cannot be sent is a `ParamError`, which `?` turns into progenitor's
//! `Error::InvalidRequest` (``invalid argument `id`: ...``) before anything is sent. An
//! operation without parameters is left as it is.

use std::collections::{HashMap, HashSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::document::naming;
use crate::emit::{send_fns, syntax};
use crate::model::{Location, OperationFacts, ParamFacts, Style};

/// Rewrites the `send()` of every builder whose operation has parameters; brings
/// `tasks_sdk_core::params` into the `builder` module when one was rewritten. An error
/// names the operation and the parameter whose code progenitor did not write as
/// expected.
pub fn rewrite(file: &mut syn::File, operations: &[OperationFacts]) -> Result<(), String> {
    let by_builder: HashMap<String, &OperationFacts> = operations
        .iter()
        .filter(|op| !op.params.is_empty())
        .map(|op| (naming::builder_name(&op.id), op))
        .collect();
    if by_builder.is_empty() {
        return Ok(());
    }
    let Some(items) = send_fns::builder_items(file) else {
        return Ok(());
    };
    let optional = syntax::optional_fields(items);
    let none = HashSet::new();
    let mut rewritten = false;
    for (builder, f) in send_fns::send_fns(items) {
        let Some(op) = by_builder.get(&builder) else {
            continue;
        };
        let optional = optional.get(&builder).unwrap_or(&none);
        rewrite_send(f, &op.params, optional)
            .map_err(|e| format!("the `send()` of {} (`{builder}`): {e}", op.at))?;
        rewritten = true;
    }
    if rewritten {
        items.insert(
            0,
            syn::parse_quote!(
                #[allow(unused_imports)]
                use tasks_sdk_core::params;
            ),
        );
    }
    Ok(())
}

/// One `send()`: `optional` are the builder's fields that hold an `Option`.
fn rewrite_send(
    f: &mut syn::ImplItemFn,
    params: &[ParamFacts],
    optional: &HashSet<String>,
) -> Result<(), String> {
    let of = |location: Location| -> Vec<&ParamFacts> {
        params.iter().filter(|p| p.location == location).collect()
    };
    let (path, query, headers, cookies) = (
        of(Location::Path),
        of(Location::Query),
        of(Location::Header),
        of(Location::Cookie),
    );
    // Locals of ours must not hide a parameter's.
    let mut taken: HashSet<String> = params.iter().map(|p| p.rust_name.clone()).collect();
    let (at, url, mut args) =
        syntax::url_statement(&f.block).ok_or("progenitor's `let url = format!(..)` not found")?;
    taken.insert(url.to_string());

    // Path: each `encode_path(&local.to_string())` becomes the local, which holds the
    // parameter's text from a `let` before the URL's.
    let mut path_lets: Vec<syn::Stmt> = Vec::new();
    let mut bound = HashSet::new();
    for arg in args.iter_mut() {
        let Some(local) = syntax::encode_path_arg(arg).cloned() else {
            continue;
        };
        let param = path
            .iter()
            .find(|p| local == p.rust_name.as_str())
            .ok_or_else(|| format!("the path argument `{local}` is no path parameter"))?;
        if bound.insert(param.rust_name.clone()) {
            let value = path_value(param);
            path_lets.push(syn::parse_quote!(let #local = #value;));
        }
        *arg = syn::parse_quote!(#local);
    }
    if let Some(missing) = path.iter().find(|p| !bound.contains(&p.rust_name)) {
        return Err(format!(
            "path parameter `{}` is not in the URL",
            missing.name
        ));
    }
    set_init(&mut f.block.stmts[at], quote!(format!(#args)))?;
    let lets = path_lets.len();
    f.block.stmts.splice(at..at, path_lets);
    let at = at + lets;

    // Query: one string, in progenitor's order of `.query()` calls.
    let mut inserted: Vec<syn::Stmt> = Vec::new();
    if !query.is_empty() {
        let order = remove_query_calls(&mut f.block)?;
        let local = unique("query", &taken);
        taken.insert(local.to_string());
        inserted.push(syn::parse_quote!(let mut #local = params::QueryString::new();));
        let mut pushed = HashSet::new();
        for name in order {
            let Some(param) = query.iter().find(|p| p.name == name) else {
                return Err(format!(
                    "`.query()` of `{name}`, which is no query parameter"
                ));
            };
            pushed.insert(&param.name);
            let value = ident(&param.rust_name);
            let serializer = query_param(param);
            // An optional value that is `None` is undefined: `push` leaves it out.
            inserted.push(syn::parse_quote!(#local.push(#serializer, &#value)?;));
        }
        if let Some(missing) = query.iter().find(|p| !pushed.contains(&p.name)) {
            return Err(format!("query parameter `{}` is not sent", missing.name));
        }
        inserted.push(syn::parse_quote!(#local.append_to(&mut #url);));
        if let syn::Stmt::Local(local) = &mut f.block.stmts[at]
            && let syn::Pat::Ident(binding) = &mut local.pat
        {
            binding.mutability = Some(Default::default());
        }
    }
    f.block.stmts.splice(at + 1..at + 1, inserted);

    // Headers and cookies: in place of progenitor's appends.
    if headers.is_empty() && cookies.is_empty() {
        return Ok(());
    }
    let map_at =
        syntax::header_map_statement(&f.block).ok_or("progenitor's `let header_map` not found")?;
    let mut replaced: Vec<syn::Stmt> = Vec::new();
    let mut cookie_stmts: Vec<syn::Stmt> = Vec::new();
    let cookie_jar = unique("cookies", &taken);
    let mut sent = HashSet::new();
    let mut first = None;
    let mut i = 0;
    while i < f.block.stmts.len() {
        let Some(name) = syntax::header_append(&f.block.stmts[i]) else {
            i += 1;
            continue;
        };
        let Some(param) = headers
            .iter()
            .chain(&cookies)
            .find(|p| p.name == name && !sent.contains(&p.name))
        else {
            i += 1;
            continue;
        };
        f.block.stmts.remove(i);
        first.get_or_insert(i);
        sent.insert(&param.name);
        let value = ident(&param.rust_name);
        let is_optional = optional.contains(&param.rust_name);
        if param.location == Location::Cookie {
            let serializer = cookie_param(param);
            cookie_stmts.push(if is_optional {
                syn::parse_quote! {
                    if let Some(#value) = &#value {
                        #cookie_jar.push(#serializer, #value)?;
                    }
                }
            } else {
                syn::parse_quote!(#cookie_jar.push(#serializer, &#value)?;)
            });
            continue;
        }
        let serializer = header_param(param);
        let header = &param.name;
        replaced.push(if is_optional {
            syn::parse_quote! {
                if let Some(#value) = &#value
                    && let Some(value) = #serializer.serialize(#value)?
                {
                    header_map.append(#header, value);
                }
            }
        } else {
            syn::parse_quote! {
                if let Some(value) = #serializer.serialize(&#value)? {
                    header_map.append(#header, value);
                }
            }
        });
    }
    if let Some(missing) = headers
        .iter()
        .chain(&cookies)
        .find(|p| !sent.contains(&p.name))
    {
        return Err(format!(
            "{} parameter `{}` is not appended to the headers",
            if missing.location == Location::Cookie {
                "cookie"
            } else {
                "header"
            },
            missing.name
        ));
    }
    if !cookie_stmts.is_empty() {
        replaced.push(syn::parse_quote!(let mut #cookie_jar = params::Cookies::new();));
        replaced.extend(cookie_stmts);
        replaced.push(syn::parse_quote! {
            if let Some(value) = #cookie_jar.header_value() {
                header_map.append(::reqwest::header::COOKIE, value);
            }
        });
    }
    let first = first.unwrap_or(map_at + 1);
    f.block.stmts.splice(first..first, replaced);
    if let syn::Stmt::Local(local) = &mut f.block.stmts[map_at]
        && let syn::Pat::Ident(binding) = &mut local.pat
    {
        binding.mutability = Some(Default::default());
    }
    Ok(())
}

/// Replaces the initializer of a `let`.
fn set_init(stmt: &mut syn::Stmt, init: TokenStream) -> Result<(), String> {
    let syn::Stmt::Local(local) = stmt else {
        return Err("not a `let`".into());
    };
    let local_init = local.init.as_mut().ok_or("a `let` without a value")?;
    *local_init.expr = syn::parse2(init).map_err(|e| e.to_string())?;
    Ok(())
}

/// Removes progenitor's `.query(&progenitor_client::QueryParam::new(..))` calls from
/// the request chains of `send()` (its `let`s); the names in the order progenitor
/// added them.
fn remove_query_calls(block: &mut syn::Block) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for stmt in &mut block.stmts {
        let syn::Stmt::Local(local) = stmt else {
            continue;
        };
        let Some(init) = &mut local.init else {
            continue;
        };
        // Outermost call first: `names` comes out last call first.
        let mut found = Vec::new();
        let mut expr = &mut *init.expr;
        loop {
            match expr {
                syn::Expr::Try(t) => expr = &mut t.expr,
                syn::Expr::MethodCall(call) => {
                    while let syn::Expr::MethodCall(inner) = &mut *call.receiver
                        && let Some((name, _)) = syntax::query_param_call(inner)
                    {
                        found.push(name);
                        let receiver = std::mem::replace(
                            &mut *inner.receiver,
                            syn::Expr::Verbatim(TokenStream::new()),
                        );
                        *call.receiver = receiver;
                    }
                    expr = &mut call.receiver;
                }
                _ => break,
            }
        }
        found.reverse();
        names.extend(found);
    }
    if names.is_empty() {
        return Err("progenitor's `.query(..)` calls not found".into());
    }
    Ok(names)
}

/// `name`, or `name_`, `name__`... : a local no parameter has.
fn unique(base: &str, taken: &HashSet<String>) -> syn::Ident {
    let mut name = base.to_owned();
    while taken.contains(&name) {
        name.push('_');
    }
    format_ident!("{}", name)
}

fn ident(rust_name: &str) -> syn::Ident {
    format_ident!("{}", rust_name)
}

/// The path parameter's text in place of `{name}`.
fn path_value(param: &ParamFacts) -> TokenStream {
    let name = &param.name;
    let value = ident(&param.rust_name);
    let simple = !matches!(param.style, Style::Label | Style::Matrix);
    if !param.json && simple && !param.explode && param.whole_segment {
        // The common case, in one line.
        return quote!(params::segment(#name, &#value)?);
    }
    let serializer = if param.json {
        quote!(params::PathParam::json(#name))
    } else {
        let style = match param.style {
            Style::Label => quote!(Label),
            Style::Matrix => quote!(Matrix),
            _ => quote!(Simple),
        };
        let explode = param.explode.then(|| quote!(.with_explode(true)));
        quote!(params::PathParam::new(#name, params::PathStyle::#style)#explode)
    };
    if param.whole_segment {
        quote!(#serializer.serialize_segment(&#value)?)
    } else {
        quote!(#serializer.serialize(&#value)?)
    }
}

/// The query parameter's `params::QueryParam`.
fn query_param(param: &ParamFacts) -> TokenStream {
    let name = &param.name;
    let allow_reserved = param
        .allow_reserved
        .then(|| quote!(.with_allow_reserved(true)));
    if param.json {
        return quote!(params::QueryParam::json(#name)#allow_reserved);
    }
    let style = match param.style {
        Style::SpaceDelimited => quote!(SpaceDelimited),
        Style::PipeDelimited => quote!(PipeDelimited),
        Style::DeepObject => quote!(DeepObject),
        _ => quote!(Form),
    };
    if param.style == Style::Form && param.explode {
        return quote!(params::QueryParam::form(#name)#allow_reserved);
    }
    // `QueryParam::new` explodes `form` only; `explode` means nothing to `deepObject`.
    let default = param.style == Style::Form;
    let explode = (param.explode != default && param.style != Style::DeepObject).then(|| {
        let explode = param.explode;
        quote!(.with_explode(#explode))
    });
    quote!(params::QueryParam::new(#name, params::QueryStyle::#style)#explode #allow_reserved)
}

/// The header parameter's `params::HeaderParam`.
fn header_param(param: &ParamFacts) -> TokenStream {
    let name = &param.name;
    if param.json {
        return quote!(params::HeaderParam::json(#name));
    }
    let explode = param.explode.then(|| quote!(.with_explode(true)));
    quote!(params::HeaderParam::new(#name)#explode)
}

/// The cookie parameter's `params::CookieParam`.
fn cookie_param(param: &ParamFacts) -> TokenStream {
    let name = &param.name;
    if param.json {
        return quote!(params::CookieParam::json(#name));
    }
    let explode = (!param.explode).then(|| quote!(.with_explode(false)));
    quote!(params::CookieParam::new(#name)#explode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Code without whitespace nor the trailing commas prettyplease adds to arguments
    /// it breaks over lines.
    fn squeeze(code: &str) -> String {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        code.replace(",)", ")")
    }

    /// The `send()` of each builder of the client generated from `paths`, squeezed.
    fn sends(paths: serde_json::Value) -> HashMap<String, String> {
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://api.example.invalid"}],
            "paths": paths
        });
        let mut prepared =
            crate::model::prepare_doc(crate::model::CORPUS_PROVIDER, "t.yaml".into(), doc, None)
                .unwrap();
        assert!(prepared.warnings.is_empty(), "{:?}", prepared.warnings);
        let code = crate::emit::generate(&mut prepared)
            .unwrap()
            .into_iter()
            .find(|o| o.path.ends_with("generated.rs"))
            .unwrap()
            .contents;
        let file: syn::File = syn::parse_str(&code).unwrap();
        let mut file = file;
        let items = send_fns::builder_items(&mut file).unwrap();
        send_fns::send_fns(items)
            .map(|(builder, f)| {
                let text = prettyplease::unparse(&syn::parse_quote!(#f));
                (builder, squeeze(&text))
            })
            .collect()
    }

    fn get(params: serde_json::Value) -> serde_json::Value {
        json!({"get": {"operationId": "op", "parameters": params, "responses": {"204": {"description": "done"}}}})
    }

    fn has(send: &str, expected: &str) {
        assert!(
            send.contains(&squeeze(expected)),
            "{expected}\nnot in:\n{send}"
        );
    }

    #[test]
    fn path_parameters_are_serialized_before_the_url_by_style() {
        let sends = sends(json!({"/a/{id}/{color}/{point}/{name}.json": get(json!([
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "color", "in": "path", "required": true, "style": "label", "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "point", "in": "path", "required": true, "style": "matrix", "explode": true, "schema": {"type": "object", "properties": {"x": {"type": "integer"}}}},
            {"name": "name", "in": "path", "required": true, "content": {"application/json": {"schema": {"type": "string"}}}}
        ]))}));
        let send = &sends["Op"];
        has(send, r#"let id = params::segment("id", &id)?;"#);
        has(
            send,
            r#"let color = params::PathParam::new("color", params::PathStyle::Label).serialize_segment(&color)?;"#,
        );
        has(
            send,
            r#"let point = params::PathParam::new("point", params::PathStyle::Matrix).with_explode(true).serialize_segment(&point)?;"#,
        );
        // Part of a segment: no segment check.
        has(
            send,
            r#"let name = params::PathParam::json("name").serialize(&name)?;"#,
        );
        has(
            send,
            r#"let url = format!("{}/a/{}/{}/{}/{}.json", client.baseurl, id, color, point, name,);"#,
        );
        assert!(!send.contains("encode_path"), "{send}");
    }

    #[test]
    fn query_parameters_go_into_one_query_string_absent_ones_doing_nothing() {
        let sends = sends(json!({
            "/q": get(json!([
                {"name": "tags", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "ids", "in": "query", "required": true, "explode": false, "schema": {"type": "array", "items": {"type": "integer"}}},
                {"name": "words", "in": "query", "style": "spaceDelimited", "schema": {"type": "array", "items": {"type": "string"}}},
                {"name": "nums", "in": "query", "style": "pipeDelimited", "explode": true, "schema": {"type": "array", "items": {"type": "integer"}}},
                {"name": "filter", "in": "query", "style": "deepObject", "explode": false, "schema": {"type": "object", "properties": {"s": {"type": "string"}}}},
                {"name": "path", "in": "query", "allowReserved": true, "schema": {"type": "string"}},
                {"name": "where", "in": "query", "allowReserved": true, "content": {"application/json": {"schema": {"type": "object"}}}}
            ])),
            "/none": {"get": {"operationId": "none", "responses": {"204": {"description": "done"}}}}
        }));
        let send = &sends["Op"];
        has(
            send,
            r#"let mut url = format!("{}/q", client.baseurl,); let mut query = params::QueryString::new();"#,
        );
        // In progenitor's order (by name); an optional one that is `None` is undefined,
        // which `push` leaves out.
        has(
            send,
            r#"query.push(params::QueryParam::new("filter", params::QueryStyle::DeepObject), &filter)?;"#,
        );
        has(
            send,
            r#"query.push(params::QueryParam::new("ids", params::QueryStyle::Form).with_explode(false), &ids)?;"#,
        );
        has(
            send,
            r#"params::QueryParam::new("nums", params::QueryStyle::PipeDelimited).with_explode(true)"#,
        );
        has(
            send,
            r#"params::QueryParam::form("path").with_allow_reserved(true)"#,
        );
        has(
            send,
            r#"query.push(params::QueryParam::form("tags"), &tags)?;"#,
        );
        has(
            send,
            r#"params::QueryParam::json("where").with_allow_reserved(true)"#,
        );
        has(
            send,
            r#"params::QueryParam::new("words", params::QueryStyle::SpaceDelimited)"#,
        );
        has(send, r#"query.append_to(&mut url); let header_map"#);
        assert!(!send.contains(".query("), "{send}");
        // An operation without parameters is sent as progenitor wrote it.
        let none = &sends["None"];
        has(
            none,
            r#"let url = format!("{}/none", client.baseurl,); let header_map"#,
        );
        assert!(!none.contains("params::"), "{none}");
    }

    #[test]
    fn headers_and_cookies_replace_progenitors_appends() {
        let sends = sends(json!({"/h": get(json!([
            {"name": "X-Trace", "in": "header", "required": true, "schema": {"type": "string"}},
            {"name": "X-Point", "in": "header", "explode": true, "schema": {"type": "integer"}},
            {"name": "X-Filter", "in": "header", "content": {"application/json": {"schema": {"type": "object", "properties": {"s": {"type": "string"}}}}}},
            {"name": "session", "in": "cookie", "required": true, "schema": {"type": "string"}},
            {"name": "prefs", "in": "cookie", "explode": false, "schema": {"type": "array", "items": {"type": "string"}}},
            {"name": "doc", "in": "cookie", "content": {"application/json": {"schema": {"type": "object"}}}}
        ]))}));
        let send = &sends["Op"];
        has(
            send,
            r#"let mut header_map = ::reqwest::header::HeaderMap::with_capacity(6usize);"#,
        );
        has(
            send,
            r#"if let Some(x_filter) = &x_filter && let Some(value) = params::HeaderParam::json("X-Filter").serialize(x_filter)? { header_map.append("X-Filter", value); }"#,
        );
        has(
            send,
            r#"params::HeaderParam::new("X-Point").with_explode(true).serialize(x_point)?"#,
        );
        has(
            send,
            r#"if let Some(value) = params::HeaderParam::new("X-Trace").serialize(&x_trace)? { header_map.append("X-Trace", value); }"#,
        );
        has(
            send,
            r#"let mut cookies = params::Cookies::new(); if let Some(doc) = &doc { cookies.push(params::CookieParam::json("doc"), doc)?; }"#,
        );
        has(
            send,
            r#"cookies.push(params::CookieParam::new("prefs").with_explode(false), prefs)?;"#,
        );
        has(
            send,
            r#"cookies.push(params::CookieParam::new("session"), &session)?;"#,
        );
        has(
            send,
            r#"if let Some(value) = cookies.header_value() { header_map.append(::reqwest::header::COOKIE, value); }"#,
        );
        assert!(!send.contains("to_string()"), "{send}");
        assert!(!send.contains(r#"append("session""#), "{send}");
    }

    /// progenitor's code, as [`rewrite_send`] reads it, for parameters whose Rust names
    /// are those of the locals it adds.
    #[test]
    fn locals_of_the_rewrite_never_hide_a_parameter() {
        let mut f: syn::ImplItemFn = syn::parse_quote! {
            pub async fn send(self) -> Result<(), ()> {
                let Self { client, query, cookies } = self;
                let url = format!("{}/q", client.baseurl,);
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                if let Some(value) = cookies {
                    header_map.append("cookies", value.to_string().try_into()?);
                }
                let request = client
                    .client
                    .get(url)
                    .query(&progenitor_client::QueryParam::new("query", &query))
                    .headers(header_map)
                    .build()?;
                Ok(())
            }
        };
        let param = |name: &str, location, style| ParamFacts {
            name: name.into(),
            rust_name: name.into(),
            location,
            style,
            explode: true,
            allow_reserved: false,
            json: false,
            whole_segment: false,
        };
        let params = [
            param("query", Location::Query, Style::Form),
            param("cookies", Location::Cookie, Style::Form),
        ];
        let optional = HashSet::from(["cookies".to_owned()]);
        rewrite_send(&mut f, &params, &optional).unwrap();
        let code = squeeze(&prettyplease::unparse(&syn::parse_quote!(#f)));
        has(
            &code,
            r#"let mut query_ = params::QueryString::new(); query_.push(params::QueryParam::form("query"), &query)?;"#,
        );
        has(
            &code,
            r#"let mut cookies_ = params::Cookies::new(); if let Some(cookies) = &cookies { cookies_.push(params::CookieParam::new("cookies"), cookies)?; }"#,
        );
        has(&code, ".get(url).headers(header_map).build()?");

        // What progenitor did not write is an error naming the parameter.
        let mut f: syn::ImplItemFn = syn::parse_quote! {
            pub async fn send(self) -> Result<(), ()> {
                let url = format!("{}/q", client.baseurl,);
                let header_map = ::reqwest::header::HeaderMap::with_capacity(0usize);
                let request = client.client.get(url).query(&progenitor_client::QueryParam::new("query", &query)).build()?;
                Ok(())
            }
        };
        let err = rewrite_send(&mut f, &params, &optional).unwrap_err();
        assert_eq!(
            err,
            "cookie parameter `cookies` is not appended to the headers"
        );
        let err = rewrite_send(
            &mut f,
            &[param("id", Location::Path, Style::Simple)],
            &HashSet::new(),
        )
        .unwrap_err();
        assert_eq!(err, "path parameter `id` is not in the URL");
    }
}

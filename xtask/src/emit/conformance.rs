//! The program `cargo xtask conformance` runs against Stoplight Prism for one generated
//! crate: `examples/conformance.rs`, which calls every operation of the client once,
//! with the test kit's example value of each required parameter and body
//! (`tasks_sdk_core::testing::example`), a credential for every security scheme, and
//! prints one line per call (only the operation `CONFORMANCE_ONLY` names, when set):
//! `<operation>\t<class>\t<what happened>`, where the class is
//! `right`, `rejected` (the server answered an error status: Prism refused the
//! request), `undecoded` (the answer did not decode) or `client` (the client stopped
//! before or while sending).

use quote::ToTokens;

use crate::document::naming;
use crate::emit::syntax;
use crate::model::{AuthScheme, Prepared};

/// The secret given to every scheme (Prism checks that a credential is present, not
/// what it is); `user:password` for basic.
const SECRET: &str = "conformance:secret";

/// The raw body sent where an operation takes bytes: "conformance" in base64.
const RAW_BODY: &str = "Y29uZm9ybWFuY2U=";

/// The example value of `ty` (as named outside the crate): the test kit's, or for a
/// type of another crate (`uuid::Uuid`, `chrono`'s dates), which the runtime's
/// `Example` does not cover, the first common value its `Deserialize` accepts.
fn example(ty: &str) -> String {
    if ["::uuid::", "::chrono::", "::std::net::"]
        .iter()
        .any(|c| ty.starts_with(c))
    {
        format!("tasks_sdk_core::testing::decode_example::<{ty}>({ty:?}, None)")
    } else {
        format!("tasks_sdk_core::testing::example::<{ty}>()")
    }
}

/// `examples/conformance.rs` for `p`, whose `generated.rs` is `code`.
pub fn program(p: &Prepared, code: &str) -> Result<String, String> {
    let file = syn::parse_file(code).map_err(|e| format!("generated.rs does not parse: {e}"))?;
    let krate = format!("tasks_sdk_{}", p.provider.name);
    let mut calls = String::new();
    for op in &p.operations {
        let builder = naming::builder_name(&op.id);
        let Some(item) = syntax::find_item_struct(&file, "builder", &builder) else {
            continue;
        };
        let mut call = format!("client.{}()", op.id);
        for field in &item.fields {
            let Some(name) = field.ident.as_ref().map(ToString::to_string) else {
                continue;
            };
            // `Result<T, String>`: required; `Result<Option<T>, String>`: optional (left
            // unset, as a caller who needs only what is required).
            let Some(ty) = syntax::generic_arg(&field.ty) else {
                continue;
            };
            if syntax::option_inner(ty).is_some() || name == "client" {
                continue;
            }
            // A list gets one item (an empty one is no value in a path or a form), a
            // raw body (bytes the caller encodes) any bytes.
            let item = syntax::type_ident(ty)
                .filter(|n| n == "Vec")
                .and_then(|_| syntax::generic_arg(ty));
            let value = match item {
                Some(item) => format!(
                    "vec![{}]",
                    example(&outside(&item.to_token_stream().to_string(), &krate))
                ),
                None => {
                    let ty = outside(&ty.to_token_stream().to_string(), &krate);
                    if ty.ends_with("reqwest::Body") {
                        // Any bytes do for a binary body; these are also base64 (a
                        // `format: byte` string body) and text.
                        format!("{RAW_BODY:?}")
                    } else {
                        example(&ty)
                    }
                }
            };
            call.push_str(&format!("\n        .{name}({value})"));
        }
        calls.push_str(&format!(
            "    if only.as_deref().is_none_or(|o| o == \"{id}\") {{\n        report(\"{id}\", {call}\n            .call()\n            .await\n            .map(|_| ()));\n    }}\n",
            id = op.id,
            call = call.replace("\n        .", "\n            .")
        ));
    }
    // As the crate's page tells a caller: `.credential(name, ..)` for each scheme when
    // operations name their schemes (the crate then declares them), else the one
    // credential of the provider's first scheme.
    let named = p.operations.iter().any(|op| op.security.is_some());
    let credentials: String = if named {
        p.auth
            .named
            .iter()
            .map(|n| format!("\n        .credential({:?}, {SECRET:?})", n.name))
            .collect()
    } else {
        match p.auth.schemes.first() {
            None => String::new(),
            Some(AuthScheme::Basic) => {
                let (user, password) = SECRET.split_once(':').unwrap_or((SECRET, ""));
                format!("\n        .basic_auth({user:?}, {password:?})")
            }
            Some(_) => format!("\n        .api_key({SECRET:?})"),
        }
    };
    Ok(format!(
        r#"//! Calls every operation of `{spec}` once, for `cargo xtask conformance`.
#![allow(unused_imports)]

use tasks_sdk_core::Error;

#[tokio::main(flavor = "current_thread")]
async fn main() {{
    let base_url = std::env::var("CONFORMANCE_BASE_URL").expect("CONFORMANCE_BASE_URL");
    // One operation only, when set (to call again what a crashed mock did not answer).
    let only = std::env::var("CONFORMANCE_ONLY").ok();
    let client = {krate}::Client::builder()
        .base_url(base_url){credentials}
        .retry_policy(tasks_sdk_core::RetryPolicy::disabled())
        .build()
        .expect("the client builds");
{calls}}}

/// One line per call: the operation, the class, what happened.
fn report(operation: &str, result: Result<(), Error>) {{
    let (class, what) = match &result {{
        Ok(()) => ("right", String::new()),
        Err(Error::Decode(_)) => ("undecoded", result.unwrap_err().to_string()),
        Err(
            Error::Api(_)
            | Error::Unauthorized(_)
            | Error::Forbidden(_)
            | Error::RateLimited(_)
            | Error::Server(_),
        ) => ("rejected", result.unwrap_err().to_string()),
        Err(_) => ("client", result.unwrap_err().to_string()),
    }};
    println!("{{operation}}\t{{class}}\t{{}}", what.replace(['\n', '\t'], " "));
}}
"#,
        spec = p.spec_file,
    ))
}

/// A type as written in progenitor's `builder` module, as the example program outside
/// the crate names it: `types::builder::Task` (a body's builder) is `types::Task`,
/// `types::` and `super::types::` are the crate's, `crate::` is the crate.
fn outside(ty: &str, krate: &str) -> String {
    let ty = ty.replace(' ', "");
    let ty = ty.replace("types::builder::", "types::");
    let ty = ty.replace("super::types::", "types::");
    let ty = ty.replace("crate::generated::enums::", "types::");
    let ty = ty.replace("crate::generated::types::", "types::");
    let ty = ty.replace("crate::", &format!("{krate}::"));
    // A bare `types::X` (not `...::types::X`) is the crate's.
    let mut out = String::new();
    let mut rest = ty.as_str();
    while let Some(i) = rest.find("types::") {
        let before = &rest[..i];
        out.push_str(before);
        let qualified = before.ends_with("::");
        if !qualified {
            out.push_str(krate);
            out.push_str("::");
        }
        out.push_str("types::");
        rest = &rest[i + "types::".len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_types_are_named_from_outside_the_crate() {
        let k = "tasks_sdk_c0";
        assert_eq!(
            outside("types :: builder :: Task", k),
            "tasks_sdk_c0::types::Task"
        );
        assert_eq!(
            outside(":: std :: vec :: Vec < types :: Tag >", k),
            "::std::vec::Vec<tasks_sdk_c0::types::Tag>"
        );
        assert_eq!(
            outside("crate :: generated :: enums :: Status", k),
            "tasks_sdk_c0::types::Status"
        );
        assert_eq!(outside("::std::string::String", k), "::std::string::String");
        assert_eq!(
            outside("crate :: generated :: types :: Point", k),
            "tasks_sdk_c0::types::Point"
        );
    }
}

#[cfg(test)]
mod program_tests {
    use serde_json::json;

    use super::*;

    /// Every operation is called with its required parameters and body (a list with
    /// one item) and a credential for every scheme; optional parameters stay unset.
    #[test]
    fn every_operation_is_called_with_what_it_requires() {
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "security": [{"key": []}],
            "components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}},
            "paths": {"/tasks/{id}": {"put": {
                "operationId": "put_task",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "tags", "in": "query", "required": true, "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "dry_run", "in": "query", "schema": {"type": "boolean"}}
                ],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}},
                "responses": {"204": {"description": "done"}}
            }}}
        });
        let mut p = crate::model::prepare_doc("c0", "t.yaml".into(), doc, None).unwrap();
        let outputs = crate::emit::generate(&mut p).unwrap();
        let code = &outputs
            .iter()
            .find(|o| o.path.ends_with("generated.rs"))
            .unwrap()
            .contents;
        let program: String = program(&p, code).unwrap().split_whitespace().collect();
        for expected in [
            r#".credential("key","conformance:secret")"#,
            r#"report("put_task",client.put_task()"#,
            r#".id(tasks_sdk_core::testing::example::<String>())"#,
            r#".tags(vec![tasks_sdk_core::testing::example::<String>()])"#,
            r#".body(tasks_sdk_core::testing::example::<tasks_sdk_c0::types::PutTaskBody>())"#,
        ] {
            assert!(program.contains(expected), "{expected} not in {program}");
        }
        assert!(
            !program.contains(".dry_run("),
            "optional parameters stay unset"
        );
    }

    /// What a caller without the test kit's `Example` needs: a UUID parameter from a
    /// common value, a byte body that is also base64; a provider whose operations name
    /// no scheme gets the one credential its page documents (`.basic_auth` for basic).
    #[test]
    fn foreign_types_bytes_and_the_one_credential() {
        let doc = json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "components": {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"}}},
            "paths": {"/images/{id}": {"put": {
                "operationId": "put_image",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}
                ],
                "requestBody": {"required": true, "content": {"image/jpeg": {"schema": {"type": "string", "format": "byte"}}}},
                "responses": {"204": {"description": "done"}}
            }}}
        });
        let mut p = crate::model::prepare_doc("c0", "t.yaml".into(), doc, None).unwrap();
        let outputs = crate::emit::generate(&mut p).unwrap();
        let code = &outputs
            .iter()
            .find(|o| o.path.ends_with("generated.rs"))
            .unwrap()
            .contents;
        let program: String = program(&p, code).unwrap().split_whitespace().collect();
        for expected in [
            r#".basic_auth("conformance","secret")"#,
            r#".id(tasks_sdk_core::testing::decode_example::<::uuid::Uuid>("::uuid::Uuid",None))"#,
            r#".body("Y29uZm9ybWFuY2U=")"#,
        ] {
            assert!(program.contains(expected), "{expected} not in {program}");
        }
        assert!(!program.contains(".credential("), "{program}");
        assert!(!program.contains(".api_key("), "{program}");
    }
}

//! Reading progenitor's output (a parsed `generated.rs`): its `builder` module's
//! `send()` functions and the types they return, the structs of its `types` module and
//! their fields, and the small type shapes (`Option<T>`, `Vec<T>`) the emitters look
//! through. Every emitter that inspects progenitor's code reads it through here.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// The error body type of the builder's `send()` (`Error<E>`), as `follow_link` decodes
/// it: `()` for none or for raw bytes.
pub fn error_type(file: &syn::File, builder: &str) -> TokenStream {
    send_error_type(builder_impls(file, builder).find_map(send_error_arg))
}

/// [`error_type`] of every builder (by name), from one pass over progenitor's `builder`
/// module: for code that needs it for every operation.
pub fn error_types(file: &syn::File) -> std::collections::HashMap<String, TokenStream> {
    let mut found = std::collections::HashMap::new();
    for imp in builder_module_impls(file) {
        let Some(name) = type_ident(&imp.self_ty) else {
            continue;
        };
        if let Some(error) = send_fns(imp).find_map(send_error_arg) {
            found.insert(name, send_error_type(Some(error)));
        }
    }
    found
}

/// `E` of a `send()` returning `Result<_, Error<E>>`.
fn send_error_arg(f: &syn::ImplItemFn) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = &f.sig.output else {
        return None;
    };
    let syn::Type::Path(result) = &**ty else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &result.path.segments.last()?.arguments else {
        return None;
    };
    let error = args
        .args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .nth(1)?;
    generic_arg(error).cloned()
}

fn send_error_type(error: Option<syn::Type>) -> TokenStream {
    match error {
        Some(ty) if type_ident(&ty).is_some_and(|n| n != "ByteStream") => quote!(#ty),
        _ => quote!(()),
    }
}

/// The `send()` functions of the builder's impls.
fn builder_impls<'f>(
    file: &'f syn::File,
    builder: &'f str,
) -> impl Iterator<Item = &'f syn::ImplItemFn> {
    builder_module_impls(file)
        .filter(move |imp| type_ident(&imp.self_ty).as_deref() == Some(builder))
        .flat_map(send_fns)
}

/// The typed request body of every builder that has one (by builder name): `T` of its
/// `pub fn body<V>(..) where V: std::convert::TryInto<T>` (`types::CreateTask`). A raw
/// body (`B: Into<reqwest::Body>`) has none.
pub fn body_types(file: &syn::File) -> std::collections::HashMap<String, syn::Type> {
    let mut found = std::collections::HashMap::new();
    for imp in builder_module_impls(file) {
        let Some(name) = type_ident(&imp.self_ty) else {
            continue;
        };
        let body = imp.items.iter().find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == "body" => Some(f),
            _ => None,
        });
        let Some(body) = body else { continue };
        let bounds = body
            .sig
            .generics
            .where_clause
            .iter()
            .flat_map(|w| &w.predicates)
            .filter_map(|p| match p {
                syn::WherePredicate::Type(t) => Some(&t.bounds),
                _ => None,
            })
            .chain(body.sig.generics.type_params().map(|t| &t.bounds))
            .flatten();
        for bound in bounds {
            let syn::TypeParamBound::Trait(t) = bound else {
                continue;
            };
            let Some(last) = t.path.segments.last() else {
                continue;
            };
            if last.ident != "TryInto" {
                continue;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                continue;
            };
            if let Some(syn::GenericArgument::Type(ty)) = args.args.first() {
                found.insert(name.clone(), ty.clone());
                break;
            }
        }
    }
    found
}

/// The `impl` blocks of progenitor's `builder` module.
fn builder_module_impls(file: &syn::File) -> impl Iterator<Item = &syn::ItemImpl> {
    file.items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "builder" => m.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
        .filter_map(|item| match item {
            syn::Item::Impl(imp) => Some(imp),
            _ => None,
        })
}

/// The `send()` functions of one `impl`.
fn send_fns(imp: &syn::ItemImpl) -> impl Iterator<Item = &syn::ImplItemFn> {
    imp.items.iter().filter_map(|item| match item {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
        _ => None,
    })
}

/// The struct `name` of progenitor's module `module` (`types` or `builder`).
pub fn find_item_struct<'f>(
    file: &'f syn::File,
    module: &str,
    name: &str,
) -> Option<&'f syn::ItemStruct> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == module => {
            m.content.as_ref()?.1.iter().find_map(|item| match item {
                syn::Item::Struct(s) if s.ident == name => Some(s),
                _ => None,
            })
        }
        _ => None,
    })
}

/// The field whose JSON name is `json_name` (`#[serde(rename)]`, else the field's name).
pub fn field<'s>(
    item: &'s syn::ItemStruct,
    json_name: &str,
) -> Option<(&'s syn::Ident, &'s syn::Type)> {
    item.fields.iter().find_map(|f| {
        let ident = f.ident.as_ref()?;
        (wire_name(f)? == json_name).then_some((ident, &f.ty))
    })
}

/// A named field's JSON name: its `#[serde(rename)]`, else its name.
pub fn wire_name(f: &syn::Field) -> Option<String> {
    let mut name = f.ident.as_ref()?.to_string();
    for attr in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                name = meta.value()?.parse::<syn::LitStr>()?.value();
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    Some(name)
}

/// The last path segment's name: `types::TaskPage` → `TaskPage`.
pub fn type_ident(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => Some(p.path.segments.last()?.ident.to_string()),
        _ => None,
    }
}

/// The first generic argument: `Vec<T>` → `T`.
pub fn generic_arg(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// [`generic_arg`], mutable.
pub fn generic_arg_mut(ty: &mut syn::Type) -> Option<&mut syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &mut p.path.segments.last_mut()?.arguments
    else {
        return None;
    };
    args.args.iter_mut().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// `Option<T>` → `T`.
pub fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    (type_ident(ty)? == "Option")
        .then(|| generic_arg(ty))
        .flatten()
}

/// A type as written inside progenitor's `types` module (`Task`, `Vec<Task>`), as seen
/// from outside it (`types::Task`), generic arguments included.
pub fn qualify(ty: &syn::Type) -> TokenStream {
    let mut ty = ty.clone();
    qualify_in_place(&mut ty);
    quote!(#ty)
}

fn qualify_in_place(ty: &mut syn::Type) {
    const PRIMITIVES: &[&str] = &[
        "bool", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
        "usize", "f32", "f64", "char", "str",
    ];
    let syn::Type::Path(p) = ty else { return };
    if p.qself.is_none()
        && p.path.leading_colon.is_none()
        && p.path.segments.len() == 1
        && !PRIMITIVES.contains(&p.path.segments[0].ident.to_string().as_str())
    {
        p.path
            .segments
            .insert(0, syn::PathSegment::from(format_ident!("types")));
    }
    for segment in &mut p.path.segments {
        if let syn::PathArguments::AngleBracketed(args) = &mut segment.arguments {
            for arg in &mut args.args {
                if let syn::GenericArgument::Type(t) = arg {
                    qualify_in_place(t);
                }
            }
        }
    }
}

/// `send()`'s error body type per builder: `E` of `Result<_, Error<E>>`.
pub fn send_error_types(file: &syn::File) -> Vec<(String, syn::Type)> {
    send_outputs(file)
        .into_iter()
        .filter_map(|(builder, output)| Some((builder, error_inner_type(&output)?)))
        .collect()
}

/// Each builder's `send()` return type.
fn send_outputs(file: &syn::File) -> Vec<(String, syn::ReturnType)> {
    builder_module_impls(file)
        .filter_map(|imp| Some((type_ident(&imp.self_ty)?, imp)))
        .flat_map(|(builder, imp)| {
            send_fns(imp).map(move |f| (builder.clone(), f.sig.output.clone()))
        })
        .collect()
}

/// `Result<_, Error<E>>` → `E`.
fn error_inner_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let args = |ty: &syn::Type| -> Option<Vec<syn::Type>> {
        let syn::Type::Path(p) = ty else { return None };
        let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
            return None;
        };
        Some(
            args.args
                .iter()
                .filter_map(|a| match a {
                    syn::GenericArgument::Type(t) => Some(t.clone()),
                    _ => None,
                })
                .collect(),
        )
    };
    let error = args(ty)?.into_iter().nth(1)?;
    // progenitor's `Error<E>` defaults `E` to `()`.
    Some(
        args(&error)
            .and_then(|a| a.into_iter().next())
            .unwrap_or_else(|| syn::parse_quote!(())),
    )
}

/// `send()`'s success type per builder (named after its operation), from progenitor's
/// `builder` module.
pub fn send_types(file: &syn::File) -> Vec<(String, syn::Type)> {
    send_outputs(file)
        .into_iter()
        .filter_map(|(builder, output)| Some((builder, ok_inner_type(&output)?)))
        .collect()
}

/// `Result<ResponseValue<T>, _>` → `T`.
fn ok_inner_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let first_arg = |ty: &syn::Type| -> Option<syn::Type> {
        let syn::Type::Path(p) = ty else { return None };
        let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
            return None;
        };
        args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        })
    };
    first_arg(&first_arg(ty)?)
}

/// For each struct of progenitor's `builder` module (`items`), its fields of type
/// `Result<Option<_>, String>`: the optional parameters, which `send()` holds as an
/// `Option`.
pub fn optional_fields(
    items: &[syn::Item],
) -> std::collections::HashMap<String, std::collections::HashSet<String>> {
    use quote::ToTokens;
    let mut out = std::collections::HashMap::new();
    for item in items {
        let syn::Item::Struct(s) = item else {
            continue;
        };
        let fields = s
            .fields
            .iter()
            .filter(|f| {
                let ty = f.ty.to_token_stream().to_string();
                ty.starts_with("Result < Option <")
            })
            .filter_map(|f| f.ident.as_ref().map(ToString::to_string))
            .collect();
        out.insert(s.ident.to_string(), fields);
    }
    out
}

/// progenitor's `let url = format!("{}/tasks/{}", client.baseurl, encode_path(..),)`
/// in a `send()`: the statement's index, the local's name (progenitor names it `url`
/// unless a parameter is called that) and the `format!` arguments.
pub fn url_statement(
    block: &syn::Block,
) -> Option<(
    usize,
    syn::Ident,
    syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
)> {
    block.stmts.iter().enumerate().find_map(|(at, stmt)| {
        let syn::Stmt::Local(local) = stmt else {
            return None;
        };
        let syn::Pat::Ident(binding) = &local.pat else {
            return None;
        };
        let syn::Expr::Macro(mac) = &*local.init.as_ref()?.expr else {
            return None;
        };
        if !mac.mac.path.is_ident("format") {
            return None;
        }
        let args = mac
            .mac
            .parse_body_with(syn::punctuated::Punctuated::parse_terminated)
            .ok()?;
        let base = args.iter().nth(1)?;
        let is_base_url = matches!(base, syn::Expr::Field(f)
            if matches!(&f.member, syn::Member::Named(n) if n == "baseurl"));
        is_base_url.then(|| (at, binding.ident.clone(), args))
    })
}

/// `encode_path(&id.to_string())`: progenitor's path argument, the parameter's local.
pub fn encode_path_arg(arg: &syn::Expr) -> Option<&syn::Ident> {
    let syn::Expr::Call(call) = arg else {
        return None;
    };
    let syn::Expr::Path(func) = &*call.func else {
        return None;
    };
    if !func.path.is_ident("encode_path") || call.args.len() != 1 {
        return None;
    }
    let syn::Expr::Reference(reference) = &call.args[0] else {
        return None;
    };
    let syn::Expr::MethodCall(to_string) = &*reference.expr else {
        return None;
    };
    if to_string.method != "to_string" || !to_string.args.is_empty() {
        return None;
    }
    let syn::Expr::Path(local) = &*to_string.receiver else {
        return None;
    };
    local.path.get_ident()
}

/// `.query(&progenitor_client::QueryParam::new("name", &value))` (a call of the request
/// chain): the name and the value's local.
pub fn query_param_call(call: &syn::ExprMethodCall) -> Option<(String, syn::Ident)> {
    use quote::ToTokens;
    if call.method != "query" || call.args.len() != 1 {
        return None;
    }
    let syn::Expr::Reference(reference) = &call.args[0] else {
        return None;
    };
    let syn::Expr::Call(new) = &*reference.expr else {
        return None;
    };
    if new.func.to_token_stream().to_string() != "progenitor_client :: QueryParam :: new"
        || new.args.len() != 2
    {
        return None;
    }
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(name),
        ..
    }) = &new.args[0]
    else {
        return None;
    };
    let syn::Expr::Reference(value) = &new.args[1] else {
        return None;
    };
    let syn::Expr::Path(path) = &*value.expr else {
        return None;
    };
    Some((name.value(), path.path.get_ident()?.clone()))
}

/// progenitor's statement for a header parameter: `header_map.append("name",
/// value.to_string().try_into()?);`, or the same in `if let Some(value) = name { .. }`
/// for an optional one: the header's name.
pub fn header_append(stmt: &syn::Stmt) -> Option<String> {
    let append = match stmt {
        syn::Stmt::Expr(syn::Expr::MethodCall(call), _) => call,
        syn::Stmt::Expr(syn::Expr::If(branch), _) if branch.else_branch.is_none() => {
            match branch.then_branch.stmts.as_slice() {
                [syn::Stmt::Expr(syn::Expr::MethodCall(call), _)] => call,
                _ => return None,
            }
        }
        _ => return None,
    };
    let is_header_map =
        matches!(&*append.receiver, syn::Expr::Path(p) if p.path.is_ident("header_map"));
    if append.method != "append" || !is_header_map || append.args.len() != 2 {
        return None;
    }
    match &append.args[0] {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        }) => Some(name.value()),
        _ => None,
    }
}

/// progenitor's `let mut header_map = HeaderMap::with_capacity(n);`: its index.
pub fn header_map_statement(block: &syn::Block) -> Option<usize> {
    block.stmts.iter().position(|stmt| {
        matches!(stmt, syn::Stmt::Local(local)
            if matches!(&local.pat, syn::Pat::Ident(b) if b.ident == "header_map"))
    })
}

/// The items of the inline module `name` among `items` (`types`, `builder`, ...).
pub fn module<'a>(items: &'a [syn::Item], name: &str) -> Option<&'a [syn::Item]> {
    items.iter().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| &items[..]),
        _ => None,
    })
}

/// [`module`], to change.
pub fn module_mut<'a>(items: &'a mut [syn::Item], name: &str) -> Option<&'a mut Vec<syn::Item>> {
    items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// Removes the serde derives named in `drop` (`"Deserialize"`, `"Serialize"`) from a
/// type's `#[derive(..)]`; false, and nothing removed, unless it derives both
/// `::serde::Deserialize` and `::serde::Serialize` (typify's types do).
pub fn drop_serde_derives(attrs: &mut [syn::Attribute], drop: &[&str]) -> bool {
    let is_serde = |p: &syn::Path, name: &str| {
        p.segments.len() == 2 && p.segments[0].ident == "serde" && p.segments[1].ident == name
    };
    for attr in attrs.iter_mut() {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        if !(paths.iter().any(|p| is_serde(p, "Deserialize"))
            && paths.iter().any(|p| is_serde(p, "Serialize")))
        {
            continue;
        }
        let kept = paths
            .iter()
            .filter(|p| !drop.iter().any(|name| is_serde(p, name)));
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        return true;
    }
    false
}

/// The `#[cfg(..)]` attributes among `attrs`: what an item written beside a type takes
/// from it (its operation group).
pub fn cfg_attrs(attrs: &[syn::Attribute]) -> Vec<&syn::Attribute> {
    attrs.iter().filter(|a| a.path().is_ident("cfg")).collect()
}

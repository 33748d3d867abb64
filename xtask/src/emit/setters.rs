//! Readable argument errors from progenitor's parameter setters.
//!
//! progenitor's builder setters convert their argument with `TryInto` and, when that
//! fails, keep the message ``conversion to `:: std :: num :: NonZeroU32` for limit
//! failed``, which `send()` returns before anything is checked or sent. The generator
//! rewrites each such setter so that the message names the argument, the value and the
//! range it must be in, without a Rust type:
//! ``invalid argument `limit`: must be between 1 and 100, got 0`` (the documented range
//! of the parameter, within what its Rust type holds). The runtime turns that into
//! `Error::InvalidArgument { name: "limit", reason: "must be between 1 and 100, got 0" }`.
//!
//! To show the value, the setter's `V` also needs `Debug` (every number, string, UUID
//! and generated type has it); the value is formatted before the conversion. Setters
//! of `String` parameters (whose conversions do not fail) are left as progenitor wrote
//! them.

use quote::quote;

use crate::document::naming;
use crate::model::OperationFacts;

/// Rewrites the setters of every operation builder in progenitor's `builder` module.
pub fn rewrite(file: &mut syn::File, operations: &[OperationFacts]) {
    let Some(items) = crate::emit::send_fns::builder_items(file) else {
        return;
    };
    // Each builder's operation, named once (not once per builder and operation: a
    // document can have 20,000 of them).
    let by_builder: std::collections::HashMap<String, &OperationFacts> = operations
        .iter()
        .map(|op| (naming::builder_name(&op.id), op))
        .collect();
    for item in items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(builder) = crate::emit::syntax::type_ident(&block.self_ty) else {
            continue;
        };
        let op = by_builder.get(&builder).copied();
        for member in &mut block.items {
            if let syn::ImplItem::Fn(f) = member {
                rewrite_setter(f, op);
            }
        }
    }
}

/// One setter `fn name<V>(mut self, value: V) -> Self where V: TryInto<T>`, if it is one.
fn rewrite_setter(f: &mut syn::ImplItemFn, op: Option<&OperationFacts>) {
    let Some(target) = try_into_target(&f.sig) else {
        return;
    };
    let Some(name) = failing_argument(&f.block) else {
        return;
    };
    let Some(reason) = reason(&target, &name, op) else {
        return;
    };
    // `V: TryInto<T>` gets `+ Debug`.
    if let Some(where_clause) = &mut f.sig.generics.where_clause {
        for predicate in &mut where_clause.predicates {
            if let syn::WherePredicate::Type(p) = predicate
                && is_ident(&p.bounded_ty, "V")
            {
                p.bounds.push(syn::parse_quote!(::std::fmt::Debug));
            }
        }
    }
    let prefix = format!("invalid argument `{name}`: {reason}, got {{}}");
    let closure: syn::Expr = syn::parse_quote!(|_| ::std::format!(#prefix, shown));
    if replace_failure(&mut f.block, closure) {
        f.block.stmts.insert(
            0,
            syn::parse_quote!(let shown = ::std::format!("{:?}", value);),
        );
    }
}

/// `T` of the setter's `where V: TryInto<T>`.
pub fn try_into_target(sig: &syn::Signature) -> Option<syn::Type> {
    let predicates = &sig.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(p) = predicate else {
            return None;
        };
        if !is_ident(&p.bounded_ty, "V") {
            return None;
        }
        p.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(t) = bound else {
                return None;
            };
            let last = t.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            args.args.iter().find_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t.clone()),
                _ => None,
            })
        })
    })
}

fn is_ident(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident(name))
}

/// The `NAME` of progenitor's "conversion to `T` for NAME failed" in the setter.
fn failing_argument(block: &syn::Block) -> Option<String> {
    let text = quote!(#block).to_string();
    let start = text.find("\"conversion to `")? + 1;
    let literal = &text[start..];
    let literal = &literal[..literal.find('"')?];
    literal
        .strip_suffix(" failed")?
        .rsplit_once(" for ")
        .map(|(_, name)| name.to_owned())
}

/// Replaces the `|_| "conversion to ...".to_string()` closure given to `map_err` in the
/// setter's assignment; false when there is none.
fn replace_failure(block: &mut syn::Block, closure: syn::Expr) -> bool {
    for stmt in &mut block.stmts {
        let syn::Stmt::Expr(syn::Expr::Assign(assign), _) = stmt else {
            continue;
        };
        let mut expr = &mut *assign.right;
        while let syn::Expr::MethodCall(call) = expr {
            if call.method == "map_err"
                && let Some(arg) = call.args.first_mut()
                && quote!(#arg).to_string().contains("conversion to `")
            {
                *arg = closure;
                return true;
            }
            expr = &mut call.receiver;
        }
    }
    false
}

/// What the value must be, in words; `None` for a `String` (left as it is).
fn reason(target: &syn::Type, name: &str, op: Option<&OperationFacts>) -> Option<String> {
    let syn::Type::Path(path) = target else {
        return Some("is not a valid value".into());
    };
    let ident = path.path.segments.last()?.ident.to_string();
    if ident == "String" {
        return None;
    }
    if ident == "Uuid" {
        return Some("must be a UUID".into());
    }
    if matches!(ident.as_str(), "f32" | "f64") {
        return Some(match documented(name, op) {
            Some((min, max)) => range_words(min, max),
            None => "must be a number".into(),
        });
    }
    let Some((type_min, type_max, wide)) = integer_range(&ident) else {
        return Some("is not a valid value".into());
    };
    let (doc_min, doc_max) = documented(name, op).unwrap_or((None, None));
    let min = doc_min.map_or(type_min, |m| (m.ceil() as i128).max(type_min));
    let max = doc_max.map_or(type_max, |m| (m.floor() as i128).min(type_max));
    // A 64-bit type's own maximum is no range a reader needs.
    let show_max = doc_max.is_some() || !wide;
    Some(if show_max {
        format!("must be between {min} and {max}")
    } else {
        format!("must be at least {min}")
    })
}

/// The documented `minimum`/`maximum` of the query parameter whose setter is `name`.
fn documented(name: &str, op: Option<&OperationFacts>) -> Option<(Option<f64>, Option<f64>)> {
    op?.bounds
        .iter()
        .find(|(wire, _, _)| naming::setter_name(wire) == name)
        .map(|(_, min, max)| (*min, *max))
}

fn range_words(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(min), Some(max)) => format!("must be between {min} and {max}"),
        (Some(min), None) => format!("must be at least {min}"),
        (None, Some(max)) => format!("must be at most {max}"),
        (None, None) => "must be a number".into(),
    }
}

/// The values an integer type holds, and whether it is 64 bits or wider.
fn integer_range(ident: &str) -> Option<(i128, i128, bool)> {
    let (min, max): (i128, i128) = match ident {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX.into()),
        "NonZeroU8" => (1, u8::MAX.into()),
        "NonZeroU16" => (1, u16::MAX.into()),
        "NonZeroU32" => (1, u32::MAX.into()),
        "NonZeroU64" | "NonZeroUsize" => (1, u64::MAX.into()),
        "NonZeroI8" => (i8::MIN.into(), i8::MAX.into()),
        "NonZeroI16" => (i16::MIN.into(), i16::MAX.into()),
        "NonZeroI32" => (i32::MIN.into(), i32::MAX.into()),
        "NonZeroI64" => (i64::MIN.into(), i64::MAX.into()),
        _ => return None,
    };
    let wide = max > i128::from(u32::MAX);
    Some((min, max, wide))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(bounds: Vec<(String, Option<f64>, Option<f64>)>) -> OperationFacts {
        OperationFacts {
            id: "list_tasks".into(),
            at: "$.paths['/tasks'].get".into(),
            pagination: None,
            pagination_detected: false,
            bounds,
            envelope: None,
            requires_auth: true,
            typed_error: false,
            media: Default::default(),
            security: None,
            params: Vec::new(),
            redirects: Vec::new(),
            group: String::new(),
        }
    }

    fn rewritten(setter: syn::ImplItemFn, op: &OperationFacts) -> String {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> ListTasks<'a> {
                    #setter
                }
            }
        };
        rewrite(&mut file, std::slice::from_ref(op));
        prettyplease::unparse(&file)
    }

    #[test]
    fn a_numeric_setter_names_the_argument_the_range_and_the_value() {
        let setter: syn::ImplItemFn = syn::parse_quote! {
            pub fn limit<V>(mut self, value: V) -> Self
            where
                V: std::convert::TryInto<::std::num::NonZeroU32>,
            {
                self.limit = value
                    .try_into()
                    .map(Some)
                    .map_err(|_| "conversion to `:: std :: num :: NonZeroU32` for limit failed".to_string());
                self
            }
        };
        let op = facts(vec![("limit".into(), Some(1.0), Some(100.0))]);
        let code = rewritten(setter, &op);
        assert!(
            code.contains("V: std::convert::TryInto<::std::num::NonZeroU32> + ::std::fmt::Debug"),
            "{code}"
        );
        assert!(
            code.contains("let shown = ::std::format!(\"{:?}\", value);"),
            "{code}"
        );
        assert!(
            code.contains("\"invalid argument `limit`: must be between 1 and 100, got {}\""),
            "{code}"
        );
        assert!(code.contains("shown"), "{code}");
        assert!(!code.contains("conversion to"), "{code}");
    }

    #[test]
    fn reasons_come_from_the_documented_range_and_the_type() {
        let ty = |t: &str| syn::parse_str::<syn::Type>(t).unwrap();
        let op = facts(vec![
            ("page".into(), Some(1.0), None),
            ("pageSize".into(), Some(0.0), Some(500.0)),
        ]);
        let r = |t: &str, name: &str| reason(&ty(t), name, Some(&op));
        assert_eq!(
            r("::std::num::NonZeroU64", "page").as_deref(),
            Some("must be at least 1")
        );
        // The type holds no 0: its range wins where it is narrower.
        assert_eq!(
            r("::std::num::NonZeroU32", "page_size").as_deref(),
            Some("must be between 1 and 500")
        );
        assert_eq!(
            r("u32", "other").as_deref(),
            Some("must be between 0 and 4294967295")
        );
        assert_eq!(r("::uuid::Uuid", "id").as_deref(), Some("must be a UUID"));
        assert_eq!(r("f64", "score").as_deref(), Some("must be a number"));
        assert_eq!(
            r("types::TaskStatus", "status").as_deref(),
            Some("is not a valid value")
        );
        assert_eq!(r("::std::string::String", "cursor"), None);
    }
}

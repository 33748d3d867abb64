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
    let mut rewritten = false;
    for item in items.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let Some(builder) = crate::emit::syntax::type_ident(&block.self_ty) else {
            continue;
        };
        let op = by_builder.get(&builder).copied();
        for member in &mut block.items {
            if let syn::ImplItem::Fn(f) = member {
                rewritten |= rewrite_setter(f, op);
            }
        }
    }
    if rewritten {
        items.insert(
            0,
            syn::parse_quote!(
                #[allow(unused_imports)]
                use tasks_sdk_core::args;
            ),
        );
    }
}

/// The setters of typify's type builders (`types::builder::Task::id(..)`): their bodies
/// become one call of `tasks_sdk_core::args::field`, with the same message.
pub fn rewrite_type_builders(file: &mut syn::File) {
    let Some(builders) = crate::emit::syntax::module_mut(&mut file.items, "types")
        .and_then(|types| crate::emit::syntax::module_mut(types, "builder"))
    else {
        return;
    };
    for item in builders {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        if block.trait_.is_some() {
            continue;
        }
        for member in &mut block.items {
            let syn::ImplItem::Fn(f) = member else {
                continue;
            };
            let Some(name) = field_in_message(&f.block) else {
                continue;
            };
            let Some((field, _)) = assigned_field(&f.block) else {
                continue;
            };
            f.block = syn::parse_quote!({
                self.#field = ::tasks_sdk_core::args::field(value, #name);
                self
            });
        }
    }
}

/// `FIELD` of typify's "error converting supplied value for FIELD: {e}".
fn field_in_message(block: &syn::Block) -> Option<String> {
    let text = quote!(#block).to_string();
    let start = text.find("\"error converting supplied value for ")?;
    let rest = &text[start + "\"error converting supplied value for ".len()..];
    Some(rest[..rest.find(':')?].to_owned())
}

/// One setter `fn name<V>(mut self, value: V) -> Self where V: TryInto<T>`, if it is one:
/// its body becomes one call of `tasks_sdk_core::args` (the conversion and its message,
/// type-checked once there), `self.name = args::some(value, "name"); self`.
fn rewrite_setter(f: &mut syn::ImplItemFn, op: Option<&OperationFacts>) -> bool {
    let Some(target) = try_into_target(&f.sig) else {
        return false;
    };
    let Some(name) = failing_argument(&f.block) else {
        return false;
    };
    let Some((field, optional)) = assigned_field(&f.block) else {
        return false;
    };
    let call = match reason(&target, &name, op) {
        Some(reason) => {
            // `V: TryInto<T>` gets `+ Debug`, to show the value.
            if let Some(where_clause) = &mut f.sig.generics.where_clause {
                for predicate in &mut where_clause.predicates {
                    if let syn::WherePredicate::Type(p) = predicate
                        && is_ident(&p.bounded_ty, "V")
                    {
                        p.bounds.push(syn::parse_quote!(::std::fmt::Debug));
                    }
                }
            }
            let function = if optional {
                quote!(shown_some)
            } else {
                quote!(shown)
            };
            quote!(args::#function(value, #name, #reason))
        }
        None => {
            let function = if optional {
                quote!(some)
            } else {
                quote!(required)
            };
            quote!(args::#function(value, #name))
        }
    };
    f.block = syn::parse_quote!({
        self.#field = #call;
        self
    });
    true
}

/// The field progenitor's setter assigns (`self.name = value.try_into()...`), and
/// whether it keeps the value as `Some` (an optional parameter).
fn assigned_field(block: &syn::Block) -> Option<(syn::Member, bool)> {
    block.stmts.iter().find_map(|stmt| {
        let syn::Stmt::Expr(syn::Expr::Assign(assign), _) = stmt else {
            return None;
        };
        let syn::Expr::Field(target) = &*assign.left else {
            return None;
        };
        let right = &assign.right;
        let optional = quote!(#right).to_string().contains("map (Some)");
        Some((target.member.clone(), optional))
    })
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
        // The body is one call of the runtime, which formats the value and the reason.
        assert!(
            code.contains(
                "self.limit = args::shown_some(value, \"limit\", \"must be between 1 and 100\");"
            ),
            "{code}"
        );
        assert!(code.contains("use tasks_sdk_core::args;"), "{code}");
        assert!(!code.contains("conversion to"), "{code}");
    }

    #[test]
    fn string_and_type_builder_setters_are_one_call_of_the_runtime() {
        let setter: syn::ImplItemFn = syn::parse_quote! {
            pub fn name<V>(mut self, value: V) -> Self
            where
                V: std::convert::TryInto<::std::string::String>,
            {
                self.name = value
                    .try_into()
                    .map_err(|_| "conversion to `:: std :: string :: String` for name failed".to_string());
                self
            }
        };
        let code = rewritten(setter, &facts(Vec::new()));
        assert!(
            code.contains("self.name = args::required(value, \"name\");"),
            "{code}"
        );
        assert!(!code.contains("Debug"), "{code}");

        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub mod builder {
                    impl Task {
                        pub fn r#type<T>(mut self, value: T) -> Self
                        where
                            T: ::std::convert::TryInto<::std::option::Option<super::Kind>>,
                            T::Error: ::std::fmt::Display,
                        {
                            self.type_ = value.try_into().map_err(|e| {
                                format!("error converting supplied value for type_: {e}")
                            });
                            self
                        }
                    }
                }
            }
        };
        rewrite_type_builders(&mut file);
        let code = prettyplease::unparse(&file);
        assert!(
            code.contains("self.type_ = ::tasks_sdk_core::args::field(value, \"type_\");"),
            "{code}"
        );
        assert!(code.contains("T::Error: ::std::fmt::Display,"), "{code}");
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

//! typify's structs without serde's `Deserialize` derive: each is one
//! `tasks_sdk_core::object!(Task { 0 id, 1 type_: "type", 2 tags = default })`,
//! whose `Deserialize` reads the fields by their index through `tasks_sdk_core::object`.
//!
//! The derive writes a field enum, its visitor and impl, and a second visitor with
//! `visit_seq` and `visit_map` into every struct; a large API has more than a thousand
//! structs (PagerDuty REST: 1,410), and their derives were 40% of its `cargo check`.
//! What the derive read from JSON is read the same, with the same messages (tested in
//! tasks-sdk-core's `object`), except a struct given as a JSON array of its fields.
//!
//! Only a struct with named fields, no generics, both serde derives, and serde
//! attributes among `deny_unknown_fields` (on the struct) and `rename`, `default`,
//! `default = "path"`, `skip_serializing_if` (on fields) is rewritten; the others
//! (`flatten`, `deserialize_with`, `transparent`, ...) keep their derive. `Serialize`
//! stays derived (one function per struct), and registers the `serde` attributes.

use quote::quote;
use syn::ext::IdentExt;

/// How an absent field is filled.
enum Absent {
    /// `object::required`: `None` for an `Option`, else "missing field".
    Required,
    /// `#[serde(default)]`.
    Default,
    /// `#[serde(default = "path")]`.
    Function(syn::ExprPath),
}

struct Field {
    ident: syn::Ident,
    wire: String,
    absent: Absent,
}

/// Rewrites the structs of `types`; how many.
pub fn rewrite(file: &mut syn::File) -> usize {
    let Some(types) = crate::emit::syntax::module_mut(&mut file.items, "types") else {
        return 0;
    };
    let mut macros: Vec<(usize, syn::Item)> = Vec::new();
    for (index, item) in types.iter_mut().enumerate() {
        let syn::Item::Struct(s) = item else {
            continue;
        };
        let Some((fields, deny_unknown)) = readable(s) else {
            continue;
        };
        // `Serialize` stays derived, and registers the `#[serde]` attributes.
        if !crate::emit::syntax::drop_serde_derives(&mut s.attrs, &["Deserialize"]) {
            continue;
        }
        macros.push((index, object_macro(s, &fields, deny_unknown)));
    }
    let count = macros.len();
    // From the last, so that the indexes before stay right.
    for (index, item) in macros.into_iter().rev() {
        types.insert(index + 1, item);
    }
    count
}

/// The struct's fields and whether it refuses unknown fields, when every serde
/// attribute it has is one [`object_macro`] writes.
fn readable(s: &syn::ItemStruct) -> Option<(Vec<Field>, bool)> {
    let syn::Fields::Named(named) = &s.fields else {
        return None;
    };
    if !s.generics.params.is_empty() {
        return None;
    }
    let mut deny_unknown = false;
    for attr in s.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("deny_unknown_fields") {
                deny_unknown = true;
                Ok(())
            } else {
                Err(meta.error("not written by object_macro"))
            }
        })
        .ok()?;
    }
    let fields = named
        .named
        .iter()
        .map(|f| {
            let ident = f.ident.clone()?;
            let mut field = Field {
                wire: ident.unraw().to_string(),
                ident,
                absent: Absent::Required,
            };
            for attr in f.attrs.iter().filter(|a| a.path().is_ident("serde")) {
                attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename") {
                        field.wire = meta.value()?.parse::<syn::LitStr>()?.value();
                    } else if meta.path.is_ident("default") {
                        field.absent = match meta.value() {
                            Ok(value) => Absent::Function(value.parse::<syn::LitStr>()?.parse()?),
                            Err(_) => Absent::Default,
                        };
                    } else if meta.path.is_ident("skip_serializing_if") {
                        meta.value()?.parse::<syn::LitStr>()?;
                    } else {
                        return Err(meta.error("not written by object_macro"));
                    }
                    Ok(())
                })
                .ok()?;
            }
            Some(field)
        })
        .collect::<Option<Vec<Field>>>()?;
    Some((fields, deny_unknown))
}

/// `::tasks_sdk_core::object!(Name { 0 id, 1 kind: "type", 2 tags = default, .. });`
/// with the struct's `#[cfg]`s.
fn object_macro(s: &syn::ItemStruct, fields: &[Field], deny_unknown: bool) -> syn::Item {
    let ident = &s.ident;
    let cfg = crate::emit::syntax::cfg_attrs(&s.attrs);
    let deny = deny_unknown.then(|| quote!(deny_unknown_fields));
    let entries = fields.iter().enumerate().map(|(index, f)| {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let field = &f.ident;
        // The wire name only where it is not the field's (a raw `r#type` always).
        let wire = (*field != f.wire).then(|| {
            let wire = &f.wire;
            quote!(: #wire)
        });
        let absent = match &f.absent {
            Absent::Required => quote!(),
            Absent::Default => quote!(= default),
            Absent::Function(path) => quote!(= (#path)),
        };
        quote!(#index #field #wire #absent)
    });
    syn::parse_quote! {
        #(#cfg)*
        ::tasks_sdk_core::object!(#deny #ident { #(#entries),* });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn compact(file: &syn::File) -> String {
        file.to_token_stream()
            .to_string()
            .split_whitespace()
            .collect()
    }

    #[test]
    fn a_plain_struct_reads_itself_through_tasks_sdk_core_object() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[cfg(feature = "tasks")]
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug, PartialEq)]
                pub struct Task {
                    pub id: String,
                    #[serde(rename = "type")]
                    pub type_: Kind,
                    #[serde(default, skip_serializing_if = "Option::is_none")]
                    pub title: Option<String>,
                    #[serde(default = "defaults::task_priority")]
                    pub priority: i64,
                    pub r#match: Option<bool>,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(deny_unknown_fields)]
                pub struct Strict { pub id: String }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Empty {}
            }
        };
        assert_eq!(rewrite(&mut file), 3);
        let code = compact(&file);
        assert!(
            code.contains(r#"#[derive(::serde::Serialize,Clone,Debug,PartialEq)]pubstructTask{pubid:String,#[serde(rename="type")]pubtype_:Kind,"#),
            "{code}"
        );
        assert!(
            code.contains(r#"#[cfg(feature="tasks")]::tasks_sdk_core::object!(Task{0id,1type_:"type",2title=default,3priority=(defaults::task_priority),4r#match:"match"});"#),
            "{code}"
        );
        assert!(
            code.contains(r#"::tasks_sdk_core::object!(deny_unknown_fieldsStrict{0id});"#),
            "{code}"
        );
        assert!(
            code.contains(r#"::tasks_sdk_core::object!(Empty{});"#),
            "{code}"
        );
    }

    #[test]
    fn a_struct_with_another_serde_attribute_keeps_its_derive() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Flat {
                    pub id: String,
                    #[serde(flatten)]
                    pub extra: ::serde_json::Map<String, ::serde_json::Value>,
                }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(transparent)]
                pub struct Id { pub id: String }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Tuple(pub String);
                #[derive(::serde::Deserialize, Clone, Debug)]
                pub struct ReadOnly { pub id: String }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub struct Custom {
                    #[serde(deserialize_with = "custom")]
                    pub id: String,
                }
            }
        };
        assert_eq!(rewrite(&mut file), 0);
        let code = compact(&file);
        assert_eq!(code.matches("::serde::Deserialize,").count(), 5, "{code}");
        assert!(!code.contains("object"), "{code}");
    }
}

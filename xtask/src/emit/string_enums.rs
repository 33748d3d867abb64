//! typify's string enums (`enum Status { #[serde(rename = "in-progress")] InProgress }`)
//! without serde's derives: `Serialize` writes the enum's `Display` (the wire value,
//! which typify's `Display` already writes), `Deserialize` is one call of
//! `tasks_sdk_core::string_enum` with the values, which parses with the enum's `FromStr`
//! and refuses another value with serde's own "unknown variant" message. The derives
//! wrote a field enum, two visitors and their impls into every enum: a large API has a
//! thousand of them (PagerDuty REST: 887), and they were a tenth of its `cargo check`.
//!
//! Only an enum of unit variants with nothing but `rename` for serde, and with typify's
//! `Display` and `FromStr`, is rewritten; the others keep their derives.

use std::collections::HashSet;

/// Rewrites the string enums of `types`; how many.
pub fn rewrite(file: &mut syn::File) -> usize {
    let Some(types) = crate::emit::syntax::module_mut(&mut file.items, "types") else {
        return 0;
    };
    // The types with typify's `Display` and `FromStr`.
    let mut display = HashSet::new();
    let mut from_str = HashSet::new();
    for item in types.iter() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let (Some((_, path, _)), Some(ty)) = (
            &block.trait_,
            crate::emit::syntax::type_ident(&block.self_ty),
        ) else {
            continue;
        };
        match path.segments.last().map(|s| s.ident.to_string()).as_deref() {
            Some("Display") => display.insert(ty),
            Some("FromStr") => from_str.insert(ty),
            _ => false,
        };
    }
    let mut impls: Vec<(usize, [syn::Item; 2])> = Vec::new();
    for (index, item) in types.iter_mut().enumerate() {
        let syn::Item::Enum(e) = item else {
            continue;
        };
        let name = e.ident.to_string();
        if !display.contains(&name) || !from_str.contains(&name) {
            continue;
        }
        let Some(wires) = wire_values(e) else {
            continue;
        };
        if !crate::emit::syntax::drop_serde_derives(&mut e.attrs, &["Deserialize", "Serialize"]) {
            continue;
        }
        for variant in &mut e.variants {
            variant.attrs.retain(|a| !a.path().is_ident("serde"));
        }
        let ident = &e.ident;
        let cfg = crate::emit::syntax::cfg_attrs(&e.attrs);
        impls.push((
            index,
            [
                syn::parse_quote! {
                    #(#cfg)*
                    impl ::serde::Serialize for #ident {
                        fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                            serializer.collect_str(self)
                        }
                    }
                },
                syn::parse_quote! {
                    #(#cfg)*
                    impl<'de> ::serde::Deserialize<'de> for #ident {
                        fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                            ::tasks_sdk_core::string_enum(deserializer, &[#(#wires),*])
                        }
                    }
                },
            ],
        ));
    }
    let count = impls.len();
    // From the last, so that the indexes before stay right.
    for (index, pair) in impls.into_iter().rev() {
        types.splice(index + 1..index + 1, pair);
    }
    count
}

/// Each variant's value on the wire (its `#[serde(rename)]`, else its name), when every
/// variant is a unit variant and the enum's serde attributes are renames only.
fn wire_values(e: &syn::ItemEnum) -> Option<Vec<String>> {
    if e.attrs.iter().any(|a| a.path().is_ident("serde")) {
        return None;
    }
    e.variants
        .iter()
        .map(|variant| {
            if !matches!(variant.fields, syn::Fields::Unit) || variant.discriminant.is_some() {
                return None;
            }
            let mut wire = variant.ident.to_string();
            for attr in variant.attrs.iter().filter(|a| a.path().is_ident("serde")) {
                let mut renamed = false;
                attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename") {
                        let value: syn::LitStr = meta.value()?.parse()?;
                        wire = value.value();
                        renamed = true;
                        Ok(())
                    } else {
                        Err(meta.error("not a rename"))
                    }
                })
                .ok()?;
                if !renamed {
                    return None;
                }
            }
            Some(wire)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn a_string_enum_serializes_through_display_and_from_str() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                #[cfg(feature = "tasks")]
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug)]
                pub enum Status {
                    #[serde(rename = "in-progress")]
                    InProgress,
                    Done,
                }
                impl ::std::fmt::Display for Status { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { todo!() } }
                impl ::std::str::FromStr for Status { type Err = (); fn from_str(v: &str) -> Result<Self, ()> { todo!() } }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                #[serde(untagged)]
                pub enum Either { A, B }
                impl ::std::fmt::Display for Either { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { todo!() } }
                impl ::std::str::FromStr for Either { type Err = (); fn from_str(v: &str) -> Result<Self, ()> { todo!() } }
                #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Debug)]
                pub enum Payload { Text(String) }
            }
        };
        assert_eq!(rewrite(&mut file), 1);
        let code: String = file
            .to_token_stream()
            .to_string()
            .split_whitespace()
            .collect();
        assert!(
            code.contains("#[derive(Clone,Copy,Debug)]pubenumStatus{InProgress,Done,}"),
            "{code}"
        );
        assert!(
            code.contains(r#"#[cfg(feature="tasks")]impl::serde::SerializeforStatus{fnserialize<S:::serde::Serializer>(&self,serializer:S)->Result<S::Ok,S::Error>{serializer.collect_str(self)}}"#),
            "{code}"
        );
        assert!(
            code.contains(r#"::tasks_sdk_core::string_enum(deserializer,&["in-progress","Done"])"#),
            "{code}"
        );
        // An untagged enum and one with data keep their derives.
        assert!(code.contains("#[serde(untagged)]pubenumEither"), "{code}");
        assert_eq!(
            code.matches("::serde::Deserialize,::serde::Serialize")
                .count(),
            2,
            "{code}"
        );
    }
}

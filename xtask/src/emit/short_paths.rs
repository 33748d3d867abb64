//! Prelude names written as such: progenitor and typify spell every standard type out
//! (`::std::option::Option<::std::string::String>`) so that a type of the document named
//! `Option` or `String` cannot capture it. Where no item of the file is named like the
//! prelude's type, the short name means the same type; paths of a name the file
//! declares stay long. Written this way the generated file is about a quarter shorter
//! (`cargo xtask bench --size`) and reads like hand-written Rust; the public API is the
//! same types ([`crate::release::api`] reads both spellings alike).

use std::collections::BTreeSet;

use syn::visit::Visit;
use syn::visit_mut::VisitMut;

/// `std::<module>::<Name>` paths whose `<Name>` is in the 2021/2024 prelude.
const PRELUDE: &[(&str, &str)] = &[
    ("option", "Option"),
    ("result", "Result"),
    ("string", "String"),
    ("string", "ToString"),
    ("vec", "Vec"),
    ("boxed", "Box"),
    ("default", "Default"),
    ("clone", "Clone"),
    ("convert", "TryInto"),
    ("convert", "TryFrom"),
    ("convert", "From"),
    ("convert", "Into"),
    ("convert", "AsRef"),
    ("borrow", "ToOwned"),
    ("iter", "Iterator"),
    ("iter", "IntoIterator"),
    ("iter", "FromIterator"),
];

/// Shortens the prelude paths of `file` that no item of it shadows.
pub fn shorten(file: &mut syn::File) {
    let mut declared = Declared::default();
    declared.visit_file(file);
    let mut shortener = Shortener {
        shadowed: declared.names,
    };
    shortener.visit_file_mut(file);
}

/// Every name an item, an import or a generic parameter of the file declares.
#[derive(Default)]
struct Declared {
    names: BTreeSet<String>,
}

impl<'ast> Visit<'ast> for Declared {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let ident = match item {
            syn::Item::Struct(i) => Some(&i.ident),
            syn::Item::Enum(i) => Some(&i.ident),
            syn::Item::Type(i) => Some(&i.ident),
            syn::Item::Trait(i) => Some(&i.ident),
            syn::Item::Union(i) => Some(&i.ident),
            syn::Item::Mod(i) => Some(&i.ident),
            // A macro that defines items (the forward-compatible enums): its tokens may
            // name a type; the first identifier after `enum`/`struct` is it.
            syn::Item::Macro(m) => {
                let mut after_keyword = false;
                for token in m.mac.tokens.clone() {
                    if let proc_macro2::TokenTree::Ident(ident) = token {
                        if after_keyword {
                            self.names.insert(ident.to_string());
                        }
                        after_keyword = ident == "enum" || ident == "struct" || ident == "type";
                    }
                }
                None
            }
            _ => None,
        };
        if let Some(ident) = ident {
            self.names.insert(ident.to_string());
        }
        syn::visit::visit_item(self, item);
    }

    fn visit_use_tree(&mut self, tree: &'ast syn::UseTree) {
        match tree {
            syn::UseTree::Name(n) => {
                self.names.insert(n.ident.to_string());
            }
            syn::UseTree::Rename(r) => {
                self.names.insert(r.rename.to_string());
            }
            // A glob can bring any name: nothing is shortened.
            syn::UseTree::Glob(_) => {
                self.names
                    .extend(PRELUDE.iter().map(|(_, name)| (*name).to_owned()));
            }
            _ => {}
        }
        syn::visit::visit_use_tree(self, tree);
    }

    fn visit_generic_param(&mut self, param: &'ast syn::GenericParam) {
        if let syn::GenericParam::Type(t) = param {
            self.names.insert(t.ident.to_string());
        }
        syn::visit::visit_generic_param(self, param);
    }
}

struct Shortener {
    shadowed: BTreeSet<String>,
}

impl VisitMut for Shortener {
    // `<V as std::convert::TryInto<T>>::Error`: the trait's segments are counted by
    // `qself.position`, which follows the shortened path.
    fn visit_type_path_mut(&mut self, node: &mut syn::TypePath) {
        let before = node.path.segments.len();
        syn::visit_mut::visit_type_path_mut(self, node);
        follow(&mut node.qself, before, node.path.segments.len());
    }

    fn visit_expr_path_mut(&mut self, node: &mut syn::ExprPath) {
        let before = node.path.segments.len();
        syn::visit_mut::visit_expr_path_mut(self, node);
        follow(&mut node.qself, before, node.path.segments.len());
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        syn::visit_mut::visit_path_mut(self, path);
        let segments: Vec<String> = path
            .segments
            .iter()
            .take(3)
            .map(|s| s.ident.to_string())
            .collect();
        let [krate, module, name] = segments.as_slice() else {
            return;
        };
        let is_prelude = (krate == "std" || krate == "core")
            && PRELUDE.iter().any(|(m, n)| m == module && n == name);
        // Only the two first segments may have no arguments (`std::option`).
        let bare_prefix = path.segments.iter().take(2).all(|s| s.arguments.is_none());
        if !is_prelude || !bare_prefix || self.shadowed.contains(name) {
            return;
        }
        path.leading_colon = None;
        path.segments = path.segments.clone().into_iter().skip(2).collect();
    }
}

fn follow(qself: &mut Option<syn::QSelf>, before: usize, after: usize) {
    if let Some(qself) = qself {
        qself.position = qself.position.saturating_sub(before - after);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shortened(code: &str) -> String {
        let mut file: syn::File = syn::parse_str(code).unwrap();
        shorten(&mut file);
        prettyplease::unparse(&file)
    }

    #[test]
    fn prelude_paths_become_their_names() {
        let code = shortened(
            "pub mod types { pub struct Task { pub id: ::std::option::Option<::std::string::String>, \
             pub tags: ::std::vec::Vec<::std::string::String> } \
             impl ::std::convert::TryFrom<&str> for Task { type Error = ::std::string::String; \
             fn try_from(v: &str) -> ::std::result::Result<Self, ::std::string::String> { \
             ::std::result::Result::Err(::std::string::ToString::to_string(v)) } } \
             pub fn f(x: ::std::fmt::Formatter) {} \
             pub fn g<V>(v: V) where V: ::std::convert::TryInto<u8>, \
             <V as ::std::convert::TryInto<u8>>::Error: ::std::fmt::Display {} }",
        );
        assert!(code.contains("pub id: Option<String>,"), "{code}");
        assert!(code.contains("pub tags: Vec<String>,"), "{code}");
        assert!(code.contains("impl TryFrom<&str> for Task"), "{code}");
        assert!(code.contains("-> Result<Self, String>"), "{code}");
        assert!(
            code.contains("Result::Err(ToString::to_string(v))"),
            "{code}"
        );
        assert!(
            code.contains("<V as TryInto<u8>>::Error: ::std::fmt::Display"),
            "{code}"
        );
        // Not in the prelude: unchanged.
        assert!(code.contains("::std::fmt::Formatter"), "{code}");
    }

    #[test]
    fn a_name_the_file_declares_keeps_its_long_path() {
        let code = shortened(
            "pub mod types { pub struct Result { pub ok: bool } \
             pub struct Page { pub next: ::std::option::Option<::std::string::String>, \
             pub last: ::std::result::Result<Result, ::std::string::String> } }",
        );
        assert!(code.contains("pub next: Option<String>,"), "{code}");
        assert!(
            code.contains("pub last: ::std::result::Result<Result, String>,"),
            "{code}"
        );
    }

    #[test]
    fn a_glob_import_or_a_type_parameter_or_a_macro_type_keeps_long_paths() {
        let code =
            shortened("mod a { use other::*; pub struct S { pub x: ::std::string::String } }");
        assert!(code.contains("::std::string::String"), "{code}");
        let code = shortened(
            "pub fn f<Vec>(v: Vec) -> ::std::vec::Vec<u8> { todo!() } \
             pub mod enums { open_enum! { pub enum Option { A } } } \
             pub struct S { pub x: ::std::option::Option<u8>, pub y: ::std::string::String }",
        );
        assert!(code.contains("-> ::std::vec::Vec<u8>"), "{code}");
        assert!(code.contains("pub x: ::std::option::Option<u8>"), "{code}");
        assert!(code.contains("pub y: String"), "{code}");
    }
}

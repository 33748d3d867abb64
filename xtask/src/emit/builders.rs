//! Type builders where a request needs them. typify gives every struct of `types` a
//! builder (`types::builder::Task`, `Task::builder()`): a struct, its `Default`, a setter
//! per field and two conversions, about as much code again as the type. The structs are
//! `#[non_exhaustive]`, so a builder is how a user makes a value to send; a type that
//! only arrives in responses is decoded, never built (tests build them with the
//! `test-util` feature's struct literals and `testing::example()`). Its builder is left
//! out: in a large API most types are answers only (PagerDuty REST: `cargo xtask bench
//! --size`), and the builders' conversion impls are what rustc's coherence check spends
//! its time on.
//!
//! Kept: the builder of every type an operation's parameter or body names, and of every
//! type those contain, transitively.

use std::collections::BTreeSet;

use quote::ToTokens;

use crate::emit::syntax;

/// Removes the builders of the types no request carries; the names of those kept.
pub fn keep_request_builders(file: &mut syn::File) -> BTreeSet<String> {
    let keep = request_types(file);
    let Some(types) = syntax::module_mut(&mut file.items, "types") else {
        return keep;
    };
    for item in types.iter_mut() {
        match item {
            syn::Item::Mod(m) if m.ident == "builder" => {
                if let Some((_, items)) = &mut m.content {
                    items.retain(|item| builder_subject(item).is_none_or(|s| keep.contains(&s)));
                }
            }
            // `impl Task { pub fn builder() -> builder::Task }`.
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let Some(subject) = syntax::type_ident(&block.self_ty) else {
                    continue;
                };
                if !keep.contains(&subject) {
                    block.items.retain(|member| {
                        !matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "builder")
                    });
                }
            }
            _ => {}
        }
    }
    // An `impl` left empty goes too.
    types.retain(|item| !matches!(item, syn::Item::Impl(block) if block.items.is_empty()));
    keep
}

/// The builder type an item of `types::builder` defines or implements something for:
/// `struct Task`, `impl Task`, `impl Default for Task`, `impl TryFrom<Task> for
/// super::Task`, `impl From<super::Task> for Task`.
fn builder_subject(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Impl(block) => syntax::type_ident(&block.self_ty),
        _ => None,
    }
}

/// The types of `types` that an operation builder's fields name, and those they
/// contain, transitively.
fn request_types(file: &syn::File) -> BTreeSet<String> {
    let module_items = |name: &str| syntax::module(&file.items, name).unwrap_or_default();
    // Each type's definition, as the identifiers it names.
    let mut definitions: std::collections::HashMap<String, BTreeSet<String>> =
        std::collections::HashMap::new();
    for item in module_items("types") {
        let (name, tokens) = match item {
            syn::Item::Struct(s) => (s.ident.to_string(), s.fields.to_token_stream()),
            syn::Item::Enum(e) => (e.ident.to_string(), e.variants.to_token_stream()),
            syn::Item::Type(t) => (t.ident.to_string(), t.ty.to_token_stream()),
            _ => continue,
        };
        definitions.insert(name, idents(tokens));
    }
    let mut todo: Vec<String> = Vec::new();
    for item in module_items("builder") {
        if let syn::Item::Struct(s) = item {
            todo.extend(idents(s.fields.to_token_stream()));
        }
    }
    let mut found = BTreeSet::new();
    while let Some(name) = todo.pop() {
        let Some(inner) = definitions.get(&name) else {
            continue;
        };
        if found.insert(name) {
            todo.extend(inner.iter().cloned());
        }
    }
    found
}

fn idents(tokens: proc_macro2::TokenStream) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for token in tokens {
        match token {
            proc_macro2::TokenTree::Ident(i) => {
                out.insert(i.to_string());
            }
            proc_macro2::TokenTree::Group(g) => out.extend(idents(g.stream())),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_types_a_request_carries_keep_their_builders() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct NewTask { pub owner: Person }
                pub struct Person { pub name: String }
                pub struct Task { pub id: String, pub owner: Person }
                impl NewTask { pub fn builder() -> builder::NewTask { Default::default() } }
                impl Person { pub fn builder() -> builder::Person { Default::default() } }
                impl Task { pub fn builder() -> builder::Task { Default::default() } }
                pub mod builder {
                    pub struct NewTask { owner: Result<super::Person, String> }
                    impl Default for NewTask { fn default() -> Self { todo!() } }
                    pub struct Person { name: Result<String, String> }
                    impl Person { pub fn name<T>(self, value: T) -> Self { todo!() } }
                    pub struct Task { id: Result<String, String> }
                    impl Default for Task { fn default() -> Self { todo!() } }
                    impl Task { pub fn id<T>(self, value: T) -> Self { todo!() } }
                    impl TryFrom<Task> for super::Task { type Error = String; fn try_from(v: Task) -> Result<Self, String> { todo!() } }
                    impl From<super::Task> for Task { fn from(v: super::Task) -> Self { todo!() } }
                }
            }
            pub mod builder {
                pub struct CreateTask<'a> { client: &'a super::Client, body: Result<types::builder::NewTask, String> }
                pub struct GetTask<'a> { client: &'a super::Client, id: Result<String, String> }
            }
        };
        let kept = keep_request_builders(&mut file);
        assert_eq!(
            kept,
            BTreeSet::from(["NewTask".to_owned(), "Person".to_owned()])
        );
        let code = prettyplease::unparse(&file);
        // The body's type and the type it contains keep theirs.
        assert!(
            code.contains("pub struct NewTask {\n            owner"),
            "{code}"
        );
        assert!(
            code.contains("impl Person {\n        pub fn builder()"),
            "{code}"
        );
        assert!(code.contains("pub fn name<T>"), "{code}");
        // The answer's type keeps itself, without a builder.
        assert!(code.contains("pub struct Task {"), "{code}");
        assert!(!code.contains("builder::Task"), "{code}");
        assert!(!code.contains("for Task"), "{code}");
        assert!(!code.contains("impl Task"), "{code}");
        assert!(!code.contains("pub fn id<T>"), "{code}");
    }
}

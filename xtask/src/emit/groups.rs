//! Operation groups as cargo features ([`crate::model::groups`]): with a group's feature
//! off, its operations and every type only they use are not compiled.
//!
//! [`rewrite`] puts `#[cfg(feature = "<group>")]` on, in `generated.rs`:
//! - each operation's `Client` method, its request builder (progenitor's struct and
//!   impls in `builder`, our `call()`/`stream()`/`with_options()` impls and its
//!   `OPERATION_FACTS` in `PROVIDER`'s operations), and its `ErrorBodies` accessor;
//! - each item of `types` (and `types::builder`, `enums`, ...) that the operations of
//!   some groups reach and nothing else does: `#[cfg(any(feature = "a", feature =
//!   "b"))]` for a type two groups use; `#[cfg(feature = "full")]` for a type no
//!   operation reaches (a schema of the document nothing refers to) and the types only
//!   it reaches. A type anything unconditional names, and every type it reaches, stays
//!   unconditional.
//!
//! and, in `testing.rs`, on each operation's `operations` type and each type's
//! `Example` impl (the stubs and routes get theirs from [`operation_cfg`], in
//! [`crate::emit::test_kit`]).
//!
//! Reachability is computed over the Rust progenitor wrote, by name: an item of a
//! type module "owns" its type (an impl owns its self type, or the first type it names);
//! each item's type names are edges from its owner. Names are over-approximated (a type
//! named anywhere in an item is reached, but not a variant or associated item after
//! `Self::` or `Type::`, nor an enum's variant names), never under.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;

use crate::document::naming;
use crate::model::Prepared;

/// The feature of every group at once (`Cargo.toml`'s `full`): what compiles a type no
/// operation reaches.
const FULL: &str = "full";

/// The features of each type of the crate that is not always compiled, by name
/// (`types` and `enums` items share one namespace here: a name in both is one node).
#[derive(Default)]
pub struct TypeCfgs {
    pub features: HashMap<String, BTreeSet<String>>,
    /// Each distinct `#[cfg]`, made once, by its text.
    attrs: HashMap<String, syn::Attribute>,
}

impl TypeCfgs {
    fn new(features: HashMap<String, BTreeSet<String>>) -> TypeCfgs {
        let attrs = features
            .values()
            .map(|f| (cfg_text(f), f))
            .collect::<HashMap<_, _>>()
            .into_iter()
            .map(|(text, f)| (text, cfg_attribute(f)))
            .collect();
        TypeCfgs { features, attrs }
    }

    /// The `#[cfg]` of the type `name`, or `None` when it is always compiled.
    pub fn cfg(&self, name: &str) -> Option<syn::Attribute> {
        let features = self.features.get(name)?;
        self.attrs.get(&cfg_text(features)).cloned()
    }
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`.
pub fn cfg_attribute(features: &BTreeSet<String>) -> syn::Attribute {
    let text = cfg_text(features);
    syn::parse_str::<syn::ItemStruct>(&format!("{text} struct S;"))
        .expect("a cfg attribute")
        .attrs
        .remove(0)
}

/// [`cfg_attribute`] as text.
pub fn cfg_text(features: &BTreeSet<String>) -> String {
    let each: Vec<String> = features
        .iter()
        .map(|f| format!("feature = {}", proc_macro2::Literal::string(f)))
        .collect();
    match each.as_slice() {
        [one] => format!("#[cfg({one})]"),
        _ => format!("#[cfg(any({}))]", each.join(", ")),
    }
}

/// The `#[cfg]` of the operation whose method name is `id`, as text (for the test
/// kit's macro input, written as text).
pub fn operation_cfg(p: &Prepared, id: &str) -> String {
    p.operations
        .iter()
        .find(|op| op.id == id)
        .map(|op| cfg_text(&BTreeSet::from([op.group.clone()])))
        .unwrap_or_default()
}

/// Puts the groups' `#[cfg]`s on `code` (`generated.rs`) and `testing` (`testing.rs`);
/// returns the features of each type that is not always compiled.
pub fn rewrite(p: &Prepared, code: &mut syn::File, testing: &mut syn::File) -> TypeCfgs {
    let by_builder: HashMap<String, String> = p
        .operations
        .iter()
        .map(|op| (naming::builder_name(&op.id), op.group.clone()))
        .collect();
    let by_method: HashMap<String, String> = p
        .operations
        .iter()
        .map(|op| (op.id.clone(), op.group.clone()))
        .collect();
    let by_accessor: HashMap<String, String> = p
        .operations
        .iter()
        .map(|op| {
            (
                format!("{}_error_body", op.id.trim_start_matches("r#")),
                op.group.clone(),
            )
        })
        .collect();
    // The names the type modules define, first: only those are worth collecting.
    let mut graph = Graph::default();
    for item in &code.items {
        if let syn::Item::Mod(m) = item
            && (m.ident == "types" || m.ident == "enums")
        {
            graph.collect_names(m);
        }
    }
    let mut marks = Marks {
        names: graph.names.clone(),
        ..Marks::default()
    };
    for item in &mut code.items {
        match item {
            syn::Item::Impl(block) if block.trait_.is_none() => {
                if let Some(group) = self_name(&block.self_ty).and_then(|n| by_builder.get(&n)) {
                    // `impl builder::X<'a>`: `call()`, `stream()`, `OPERATION_FACTS`.
                    let tokens = block.to_token_stream();
                    marks.item(&mut block.attrs, group, tokens);
                } else if is_ident(&block.self_ty, "Client") {
                    for member in &mut block.items {
                        if let syn::ImplItem::Fn(f) = member
                            && let Some(group) = by_method.get(&f.sig.ident.to_string())
                        {
                            let tokens = f.to_token_stream();
                            marks.item(&mut f.attrs, group, tokens);
                        }
                    }
                }
            }
            syn::Item::Impl(block) => {
                let is_error_bodies = block.trait_.as_ref().is_some_and(|(_, path, _)| {
                    path.segments
                        .last()
                        .is_some_and(|s| s.ident == crate::emit::extend::ERROR_BODIES)
                });
                if is_error_bodies {
                    for member in &mut block.items {
                        if let syn::ImplItem::Fn(f) = member
                            && let Some(group) = by_accessor.get(&f.sig.ident.to_string())
                        {
                            let tokens = f.to_token_stream();
                            marks.item(&mut f.attrs, group, tokens);
                        }
                    }
                }
            }
            syn::Item::Trait(t) if t.ident == crate::emit::extend::ERROR_BODIES => {
                for member in &mut t.items {
                    if let syn::TraitItem::Fn(f) = member
                        && let Some(group) = by_accessor.get(&f.sig.ident.to_string())
                    {
                        let tokens = f.to_token_stream();
                        marks.item(&mut f.attrs, group, tokens);
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "builder" => {
                for item in m.content.iter_mut().flat_map(|(_, items)| items) {
                    let name = match item {
                        syn::Item::Struct(s) => Some(s.ident.to_string()),
                        syn::Item::Impl(i) => self_name(&i.self_ty),
                        _ => None,
                    };
                    if let Some(group) = name.and_then(|n| by_builder.get(&n)) {
                        let tokens = item.to_token_stream();
                        if let Some(attrs) = item_attrs(item) {
                            marks.item(attrs, group, tokens);
                        }
                    }
                }
            }
            syn::Item::Const(c) if c.ident == "PROVIDER" => {
                // `.with_operations(&[builder::X::OPERATION_FACTS, ...])`
                mark_operation_list(&mut c.expr, &by_builder, &mut marks);
            }
            _ => {}
        }
    }

    // The type modules: every item's owner and the names it mentions.
    for item in &code.items {
        if let syn::Item::Mod(m) = item
            && (m.ident == "types" || m.ident == "enums")
        {
            graph.collect_edges(m);
        }
    }

    // What each group reaches; what unconditional code names is always compiled; a
    // type no operation reaches is compiled with `full` (every group).
    let mut features: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (group, roots) in &marks.roots {
        for name in graph.reach(roots.iter().cloned()) {
            features.entry(name).or_default().insert(group.clone());
        }
    }
    let unreached: Vec<String> = graph
        .names
        .iter()
        .filter(|n| !features.contains_key(*n))
        .cloned()
        .collect();
    let mut unconditional = HashSet::new();
    for item in &code.items {
        match item {
            syn::Item::Mod(m) if m.ident == "types" || m.ident == "enums" => {}
            _ => unconditional_names(item, &marks.attrs, &graph.names, &mut unconditional),
        }
    }
    let always = graph.reach(
        unconditional
            .into_iter()
            .filter(|n| graph.names.contains(n)),
    );
    for name in &always {
        features.remove(name);
    }
    for name in graph.reach(unreached) {
        if !always.contains(&name) {
            // A type a group also reaches keeps that group's cfg: `full` turns it on.
            features
                .entry(name)
                .or_insert_with(|| BTreeSet::from([FULL.to_owned()]));
        }
    }
    let cfgs = TypeCfgs::new(features);

    for item in &mut code.items {
        if let syn::Item::Mod(m) = item
            && (m.ident == "types" || m.ident == "enums")
        {
            apply_type_cfgs(m, &graph, &cfgs);
        }
    }
    rewrite_testing(testing, &by_builder, &cfgs);
    cfgs
}

/// What [`rewrite`] marked: the attributes it added (to tell them apart later) and the
/// type names each group's items mention.
#[derive(Default)]
struct Marks {
    /// The names of the type modules.
    names: HashSet<String>,
    attrs: HashSet<String>,
    roots: BTreeMap<String, HashSet<String>>,
    /// Each group's attribute, made once.
    cfgs: HashMap<String, syn::Attribute>,
}

impl Marks {
    fn item(&mut self, attrs: &mut Vec<syn::Attribute>, group: &str, tokens: TokenStream) {
        let attr = self
            .cfgs
            .entry(group.to_owned())
            .or_insert_with(|| {
                let attr = cfg_attribute(&BTreeSet::from([group.to_owned()]));
                self.attrs.insert(attr.to_token_stream().to_string());
                attr
            })
            .clone();
        attrs.insert(0, attr);
        let roots = self.roots.entry(group.to_owned()).or_default();
        idents(tokens, &self.names, roots);
    }
}

/// Marks each element `builder::X::OPERATION_FACTS` of the array in `expr`.
fn mark_operation_list(
    expr: &mut syn::Expr,
    by_builder: &HashMap<String, String>,
    marks: &mut Marks,
) {
    match expr {
        syn::Expr::MethodCall(call) => {
            mark_operation_list(&mut call.receiver, by_builder, marks);
            for arg in &mut call.args {
                mark_operation_list(arg, by_builder, marks);
            }
        }
        syn::Expr::Reference(r) => mark_operation_list(&mut r.expr, by_builder, marks),
        syn::Expr::Array(array) => {
            for element in &mut array.elems {
                if let syn::Expr::Path(path) = element {
                    let segments: Vec<String> = path
                        .path
                        .segments
                        .iter()
                        .map(|s| s.ident.to_string())
                        .collect();
                    if let [.., builder, last] = segments.as_slice()
                        && last == "OPERATION_FACTS"
                        && let Some(group) = by_builder.get(builder)
                    {
                        marks.item(&mut path.attrs, group, TokenStream::new());
                    }
                }
            }
        }
        _ => {}
    }
}

/// The names defined in the type modules, what owns each item, and the names each
/// item mentions (edges from its owner).
#[derive(Default)]
struct Graph {
    names: HashSet<String>,
    edges: HashMap<String, HashSet<String>>,
}

impl Graph {
    fn collect_names(&mut self, module: &syn::ItemMod) {
        for item in module.content.iter().flat_map(|(_, items)| items) {
            match item {
                syn::Item::Mod(m) => self.collect_names(m),
                _ => {
                    if let Some(name) = defined_name(item) {
                        self.names.insert(name);
                    }
                }
            }
        }
    }

    fn collect_edges(&mut self, module: &syn::ItemMod) {
        for item in module.content.iter().flat_map(|(_, items)| items) {
            if let syn::Item::Mod(m) = item {
                self.collect_edges(m);
                continue;
            }
            let Some(owner) = self.owner(item) else {
                continue;
            };
            let mut mentioned = HashSet::new();
            item_idents(item, &self.names, &mut mentioned);
            mentioned.remove(&owner);
            self.edges.entry(owner).or_default().extend(mentioned);
        }
    }

    /// The type an item of a type module belongs to: the one it defines, an impl's self
    /// type, else the first type it names (`impl From<X> for String`, a `defaults` fn).
    fn owner(&self, item: &syn::Item) -> Option<String> {
        if let Some(name) = defined_name(item) {
            return Some(name);
        }
        if let syn::Item::Impl(i) = item
            && let Some(name) = self_name(&i.self_ty)
            && self.names.contains(&name)
        {
            return Some(name);
        }
        first_ident(item.to_token_stream(), &self.names)
    }

    /// Every name reached from `roots` (themselves included, when they are names).
    fn reach(&self, roots: impl IntoIterator<Item = String>) -> HashSet<String> {
        let mut seen = HashSet::new();
        let mut stack: Vec<String> = roots
            .into_iter()
            .filter(|n| self.names.contains(n))
            .collect();
        while let Some(name) = stack.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(next) = self.edges.get(&name) {
                stack.extend(next.iter().filter(|n| !seen.contains(*n)).cloned());
            }
        }
        seen
    }
}

/// The type (or function) an item defines, and for `open_enum! { pub enum X ... }`, `X`.
fn defined_name(item: &syn::Item) -> Option<String> {
    match item {
        syn::Item::Struct(s) => Some(s.ident.to_string()),
        syn::Item::Enum(e) => Some(e.ident.to_string()),
        syn::Item::Type(t) => Some(t.ident.to_string()),
        syn::Item::Macro(m) => {
            let mut tokens = m.mac.tokens.clone().into_iter();
            while let Some(token) = tokens.next() {
                if let TokenTree::Ident(i) = &token
                    && (i == "enum" || i == "struct")
                    && let Some(TokenTree::Ident(name)) = tokens.next()
                {
                    return Some(name.to_string());
                }
            }
            None
        }
        _ => None,
    }
}

/// Puts each owned item's `#[cfg]` on it, in a type module and the modules inside it.
fn apply_type_cfgs(module: &mut syn::ItemMod, graph: &Graph, cfgs: &TypeCfgs) {
    for item in module.content.iter_mut().flat_map(|(_, items)| items) {
        if let syn::Item::Mod(m) = item {
            apply_type_cfgs(m, graph, cfgs);
            continue;
        }
        let Some(attr) = graph.owner(item).and_then(|owner| cfgs.cfg(&owner)) else {
            continue;
        };
        if let Some(attrs) = item_attrs(item) {
            attrs.insert(0, attr);
        }
    }
}

/// `testing.rs`: each operation's types in `operations`, and each type's `Example`.
fn rewrite_testing(testing: &mut syn::File, by_builder: &HashMap<String, String>, cfgs: &TypeCfgs) {
    for item in &mut testing.items {
        match item {
            syn::Item::Mod(m) if m.ident == "operations" => {
                for item in m.content.iter_mut().flat_map(|(_, items)| items) {
                    let name = match item {
                        syn::Item::Struct(s) => Some(s.ident.to_string()),
                        syn::Item::Impl(i) => self_name(&i.self_ty),
                        _ => None,
                    };
                    if let Some(group) = name.and_then(|n| by_builder.get(&n))
                        && let Some(attrs) = item_attrs(item)
                    {
                        attrs.insert(0, cfg_attribute(&BTreeSet::from([group.clone()])));
                    }
                }
            }
            syn::Item::Impl(i) => {
                if let Some(attr) = self_name(&i.self_ty).and_then(|n| cfgs.cfg(&n)) {
                    i.attrs.insert(0, attr);
                }
            }
            _ => {}
        }
    }
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Struct(s) => Some(&mut s.attrs),
        syn::Item::Enum(e) => Some(&mut e.attrs),
        syn::Item::Type(t) => Some(&mut t.attrs),
        syn::Item::Impl(i) => Some(&mut i.attrs),
        syn::Item::Fn(f) => Some(&mut f.attrs),
        syn::Item::Macro(m) => Some(&mut m.attrs),
        syn::Item::Const(c) => Some(&mut c.attrs),
        syn::Item::Static(s) => Some(&mut s.attrs),
        syn::Item::Trait(t) => Some(&mut t.attrs),
        syn::Item::Use(u) => Some(&mut u.attrs),
        _ => None,
    }
}

/// The last segment of a path type (`builder::ListTasks<'a>`: `ListTasks`).
fn self_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn is_ident(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident(name))
}

/// Every identifier in `tokens` that is one of `names`, but one right after `Self::` or
/// `<a name>::`: a variant or an associated item, never a type (`Self::Incident`, a
/// variant named like the type `Incident`, does not reach it).
fn idents(tokens: TokenStream, names: &HashSet<String>, out: &mut HashSet<String>) {
    let mut last: Option<String> = None;
    let mut colons = 0;
    for token in tokens {
        match token {
            TokenTree::Ident(i) => {
                let name = i.to_string();
                let of_a_type = colons == 2
                    && last
                        .as_ref()
                        .is_some_and(|l| l == "Self" || names.contains(l));
                if !of_a_type && names.contains(&name) {
                    out.insert(name.clone());
                }
                last = Some(name);
                colons = 0;
            }
            TokenTree::Punct(p) if p.as_char() == ':' => colons += 1,
            TokenTree::Group(g) => {
                idents(g.stream(), names, out);
                last = None;
                colons = 0;
            }
            _ => {
                last = None;
                colons = 0;
            }
        }
    }
}

/// The names an item of a type module mentions: [`idents`], but an enum's variants
/// are not mentions (only their fields' types are), and an `open_enum!` (unit variants
/// with their wire strings) mentions none.
fn item_idents(item: &syn::Item, names: &HashSet<String>, out: &mut HashSet<String>) {
    match item {
        syn::Item::Enum(e) => {
            for attr in &e.attrs {
                idents(attr.to_token_stream(), names, out);
            }
            idents(e.generics.to_token_stream(), names, out);
            for variant in &e.variants {
                for attr in &variant.attrs {
                    idents(attr.to_token_stream(), names, out);
                }
                idents(variant.fields.to_token_stream(), names, out);
            }
        }
        syn::Item::Macro(_) if defined_name(item).is_some() => {}
        _ => idents(item.to_token_stream(), names, out),
    }
}

/// The first identifier of `tokens` that is one of `names`.
fn first_ident(tokens: TokenStream, names: &HashSet<String>) -> Option<String> {
    for token in tokens {
        match token {
            TokenTree::Ident(i) => {
                let name = i.to_string();
                if names.contains(&name) {
                    return Some(name);
                }
            }
            TokenTree::Group(g) => {
                if let Some(name) = first_ident(g.stream(), names) {
                    return Some(name);
                }
            }
            _ => {}
        }
    }
    None
}

/// The identifiers of code that is always compiled, in `item` (outside the type
/// modules): everything but the items and members [`rewrite`] marked. (The marked
/// elements of `PROVIDER`'s operations name builders only.)
fn unconditional_names(
    item: &syn::Item,
    marked: &HashSet<String>,
    names: &HashSet<String>,
    out: &mut HashSet<String>,
) {
    let is_marked = |attrs: &[syn::Attribute]| {
        attrs
            .iter()
            .any(|a| marked.contains(&a.to_token_stream().to_string()))
    };
    match item {
        syn::Item::Impl(i) if is_marked(&i.attrs) => {}
        syn::Item::Impl(i) => {
            idents(i.generics.to_token_stream(), names, out);
            idents(i.self_ty.to_token_stream(), names, out);
            if let Some((_, path, _)) = &i.trait_ {
                idents(path.to_token_stream(), names, out);
            }
            for member in &i.items {
                match member {
                    syn::ImplItem::Fn(f) if is_marked(&f.attrs) => {}
                    _ => idents(member.to_token_stream(), names, out),
                }
            }
        }
        syn::Item::Trait(t) => {
            for member in &t.items {
                match member {
                    syn::TraitItem::Fn(f) if is_marked(&f.attrs) => {}
                    _ => idents(member.to_token_stream(), names, out),
                }
            }
        }
        syn::Item::Mod(m) => {
            for item in m.content.iter().flat_map(|(_, items)| items) {
                match item {
                    syn::Item::Struct(s) if is_marked(&s.attrs) => {}
                    syn::Item::Impl(i) if is_marked(&i.attrs) => {}
                    _ => unconditional_names(item, marked, names, out),
                }
            }
        }
        _ => idents(item.to_token_stream(), names, out),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use quote::ToTokens;

    use crate::model::{CORPUS_PROVIDER, prepare_doc};

    /// Each file of the crate generated from `xtask/corpus/operation_groups.yaml`, by
    /// the end of its path.
    fn generated() -> (crate::model::Prepared, HashMap<String, String>) {
        let root = crate::workspace::root().unwrap();
        let spec = "xtask/corpus/operation_groups.yaml";
        let doc = crate::document::load(&root.join(spec)).unwrap();
        let mut p = prepare_doc(CORPUS_PROVIDER, spec.into(), doc, None).unwrap();
        let files = crate::emit::generate(&mut p)
            .unwrap()
            .into_iter()
            .map(|o| {
                let path = o.path.to_string_lossy().into_owned();
                let name = path.rsplit_once("tasks-sdk-corpus/").unwrap().1.to_owned();
                (name, o.contents)
            })
            .collect();
        (p, files)
    }

    /// The `cfg` of each item named `name` (struct, enum, `open_enum!`, impl of it) in
    /// the module `module` of `code`, without spaces; `""` for none.
    fn cfgs_of(code: &str, module: &str, name: &str) -> Vec<String> {
        let file = syn::parse_file(code).unwrap();
        let items = file
            .items
            .iter()
            .find_map(|item| match item {
                syn::Item::Mod(m) if m.ident == module => m.content.as_ref().map(|c| &c.1),
                _ => None,
            })
            .unwrap();
        let mut out = Vec::new();
        for item in items {
            let matches = super::defined_name(item).as_deref() == Some(name)
                || matches!(item, syn::Item::Impl(i) if super::self_name(&i.self_ty).as_deref() == Some(name));
            if !matches {
                continue;
            }
            let attrs: &[syn::Attribute] = match item {
                syn::Item::Struct(s) => &s.attrs,
                syn::Item::Enum(e) => &e.attrs,
                syn::Item::Impl(i) => &i.attrs,
                syn::Item::Macro(m) => &m.attrs,
                _ => continue,
            };
            let cfg = attrs
                .iter()
                .find(|a| a.path().is_ident("cfg"))
                .map(|a| a.meta.to_token_stream().to_string().replace(' ', ""))
                .unwrap_or_default();
            out.push(cfg);
        }
        assert!(!out.is_empty(), "no item {module}::{name}");
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn a_variant_or_associated_item_named_like_a_type_is_not_a_mention_of_it() {
        let names: HashSet<String> = ["Actor", "User", "Owner", "Run"].map(String::from).into();
        let item: syn::Item = syn::parse_quote! {
            pub enum Actor { User(Owner), Run { note: String } }
        };
        let mut out = HashSet::new();
        super::item_idents(&item, &names, &mut out);
        assert_eq!(out, HashSet::from(["Owner".to_owned()]));
        let item: syn::Item = syn::parse_quote! {
            impl From<&Actor> for Actor {
                fn from(a: &Actor) -> Self { match a { Self::User(o) => Self::User(o.clone()), Actor::Run { .. } => todo!(), } }
            }
        };
        let mut out = HashSet::new();
        super::item_idents(&item, &names, &mut out);
        assert_eq!(out, HashSet::from(["Actor".to_owned()]));
        let item: syn::Item = syn::parse_quote! {
            impl Actor { fn user(&self) -> Option<&types::User> { todo!() } }
        };
        let mut out = HashSet::new();
        super::item_idents(&item, &names, &mut out);
        assert_eq!(out, HashSet::from(["Actor".to_owned(), "User".to_owned()]));
    }

    #[test]
    fn operations_and_the_types_only_they_use_get_their_groups_cfg() {
        let (p, files) = generated();
        let features: Vec<&str> = p.groups.iter().map(|g| g.feature.as_str()).collect();
        // The tag `Default` is a feature the crate has: renamed.
        assert_eq!(
            features,
            ["default_operations", "task_runs", "untagged", "users"]
        );
        let code = &files["src/generated.rs"];
        let one = |f: &str| vec![format!("cfg(feature=\"{f}\")")];
        let runs_and_users = vec![r#"cfg(any(feature="task_runs",feature="users"))"#.to_owned()];
        // Used by one group (its struct, impls and builder alike).
        assert_eq!(cfgs_of(code, "types", "RunPage"), one("task_runs"));
        assert_eq!(cfgs_of(code, "types", "Run"), one("task_runs"));
        assert_eq!(cfgs_of(code, "types", "User"), one("users"));
        assert_eq!(cfgs_of(code, "enums", "RunState"), one("task_runs"));
        // By two groups: `Owner` through `Run` and `User`, the error body through
        // `list_runs` and `get_user`, and the enum inside `Owner`.
        assert_eq!(cfgs_of(code, "types", "Owner"), runs_and_users);
        assert_eq!(cfgs_of(code, "types", "Problem"), runs_and_users);
        assert_eq!(cfgs_of(code, "enums", "OwnerKind"), runs_and_users);
        // By no operation, and what only that uses: with `full` (every group). `Owner`,
        // which `Audit` uses too, keeps its groups' cfg (`full` turns them on).
        assert_eq!(cfgs_of(code, "types", "Audit"), one("full"));
        assert_eq!(cfgs_of(code, "types", "AuditDetail"), one("full"));
        // The operation's builder and its impls (ours too), and its `Client` method.
        assert_eq!(cfgs_of(code, "builder", "GetUser"), one("users"));
        assert_eq!(cfgs_of(code, "builder", "Ping"), one("untagged"));
        let file = syn::parse_file(code).unwrap();
        let client_methods: HashMap<String, String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(i) if super::is_ident(&i.self_ty, "Client") => Some(&i.items),
                _ => None,
            })
            .flatten()
            .filter_map(|member| match member {
                syn::ImplItem::Fn(f) => Some((
                    f.sig.ident.to_string(),
                    f.attrs
                        .iter()
                        .find(|a| a.path().is_ident("cfg"))
                        .map(|a| a.meta.to_token_stream().to_string().replace(' ', ""))
                        .unwrap_or_default(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(client_methods["get_settings"], one("default_operations")[0]);
        assert_eq!(client_methods["ping"], one("untagged")[0]);
        assert_eq!(client_methods["start_run"], one("task_runs")[0]);
        assert_eq!(client_methods["new"], "");
        let compact: String = code.split_whitespace().collect();
        assert!(
            compact.contains("#[cfg(feature=\"task_runs\")]impl<'a>builder::ListRuns<'a>{"),
            "call() and stream(): {code}"
        );
        assert!(
            compact.contains("#[cfg(feature=\"users\")]builder::GetUser::OPERATION_FACTS"),
            "PROVIDER's operations: {code}"
        );
        assert!(
            compact.contains("#[cfg(feature=\"users\")]fnget_user_error_body("),
            "ErrorBodies: {code}"
        );

        // The test kit: stubs, routes, operation types, examples.
        let testing: String = files["src/testing.rs"].split_whitespace().collect();
        for expected in [
            "#[cfg(feature=\"users\")]get_user:operations::GetUser,",
            "#[cfg(feature=\"users\")]<operations::GetUserasMockOperation>::ROUTE,",
            "#[cfg(feature=\"users\")]implMockOperationforGetUser{",
            "#[cfg(feature=\"task_runs\")]implMockListforListRuns{",
            "#[cfg(any(feature=\"task_runs\",feature=\"users\"))]impltasks_sdk_core::testing::Examplefortypes::Owner{",
        ] {
            assert!(testing.contains(expected), "{expected}: {testing}");
        }
        assert!(
            testing.contains(
                "#[cfg(feature=\"full\")]impltasks_sdk_core::testing::Examplefortypes::Audit{"
            ),
            "{testing}"
        );

        // Cargo.toml: `default` has `full`, `full` every group.
        let toml = &files["Cargo.toml"];
        assert!(
            toml.contains("default = [\"rustls\", \"full\"]\n"),
            "{toml}"
        );
        assert!(
            toml.contains(
                "full = [\"default_operations\", \"task_runs\", \"untagged\", \"users\"]\n\
                 default_operations = []\ntask_runs = []\nuntagged = []\nusers = []\n"
            ),
            "{toml}"
        );
        // The front page: each group's operations, and one group alone.
        let lib = &files["src/lib.rs"];
        assert!(
            lib.contains(
                "default-features = false, features = [\"rustls\", \"default_operations\"]"
            ),
            "{lib}"
        );
        assert!(
            lib.contains("//! | `task_runs` (Task Runs) | [`list_runs`](Client::list_runs), [`start_run`](Client::start_run) |"),
            "{lib}"
        );
        assert!(
            lib.contains("//! | `untagged` | [`ping`](Client::ping) |"),
            "{lib}"
        );
        // The enums one group uses are re-exported under its cfg.
        assert!(
            lib.contains("    #[cfg(feature = \"task_runs\")]\n    #[doc(inline)]\n    pub use crate::generated::enums::RunState;"),
            "{lib}"
        );
    }
}

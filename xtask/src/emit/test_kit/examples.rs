//! `Example` for every type of a provider's `types` and `enums` modules: the spec's own
//! example when it is valid for the type's schema, else one built field by field, else
//! one decoded from the schema's example instance ([`instance::example`]).

use std::collections::HashMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::document;
use crate::document::naming;
use crate::emit::conforms;
use crate::emit::instance;
use crate::emit::syntax;
use crate::model::Prepared;

/// `impl Example` for every struct and enum of `types`, and every forward-compatible
/// enum of `enums`.
///
/// A type whose schema is known ([`type_schemas`]) is its schema's example as JSON
/// ([`instance::example`]: required properties, each value valid for its bounds,
/// format and pattern; the document's own example instead when it is valid), decoded
/// when called; if it does not decode, the value built field by field. Other types are
/// built field by field (required fields set, `Option`s `None`, empty collections,
/// strings named after their field), or through `Deserialize` from a few common
/// values for a newtype that checks a constraint. What the generator could not make
/// valid is said in a doc line of the impl.
pub(super) fn example_impls(p: &Prepared, file: &syn::File) -> Vec<TokenStream> {
    let schemas = type_schemas(p, file);
    let mut impls = Vec::new();
    for item in module_items(file, "types") {
        let (ident, generics) = match item {
            syn::Item::Struct(s) => (&s.ident, &s.generics),
            syn::Item::Enum(e) => (&e.ident, &e.generics),
            _ => continue,
        };
        if !generics.params.is_empty() {
            continue;
        }
        let schema = schemas.get(&ident.to_string());
        // The document's own example, when it is valid for the schema.
        let own = schema.and_then(|(schema, _)| {
            schema
                .get("example")
                .or_else(|| schema.get("examples").and_then(|e| e.get(0)))
                .filter(|own| conforms::conforms(&p.doc, schema, own))
        });
        let example = schema.map(|(schema, name)| match own {
            Some(own) => instance::Instance {
                value: own.clone(),
                notes: Vec::new(),
            },
            None => instance::example(&p.doc, schema, name),
        });
        // The document's example; else built field by field where that is valid
        // (readable, and `..example()` reads as it did), decoded from the JSON
        // example where the schema needs it.
        let needs_json = own.is_some()
            || schema.is_some_and(|(schema, _)| !field_by_field_is_valid(&p.doc, item, schema));
        let json = example
            .as_ref()
            .filter(|_| needs_json)
            .map(|e| e.value.to_string());
        let doc = example.as_ref().filter(|e| !e.notes.is_empty()).map(|e| {
            format!(
                " Not valid for its schema: {}.",
                e.notes.join("; ").trim_end_matches('.')
            )
        });
        let doc = doc.map(|d| quote!(#[doc = #d]));
        let body = match item {
            // A newtype whose constructor checks a constraint: through `Deserialize`.
            syn::Item::Struct(s)
                if matches!(&s.fields, syn::Fields::Unnamed(f)
                    if f.unnamed.iter().any(|f| matches!(f.vis, syn::Visibility::Inherited))) =>
            {
                let name = s.ident.to_string();
                let json = match &json {
                    Some(json) => quote!(Some(#json)),
                    None => quote!(None),
                };
                quote!(tasks_sdk_core::testing::decode_example(#name, #json))
            }
            syn::Item::Struct(s) => {
                let fields = struct_example(&s.fields);
                decoded(json.as_deref(), quote!(Self #fields))
            }
            syn::Item::Enum(e) => {
                let Some(variant) = e
                    .variants
                    .iter()
                    .find(|v| matches!(v.fields, syn::Fields::Unit))
                    .or_else(|| e.variants.first())
                else {
                    continue;
                };
                let name = &variant.ident;
                let fields = struct_example(&variant.fields);
                // Unit variants only: the first is the enum's first value.
                let plain = e
                    .variants
                    .iter()
                    .all(|v| matches!(v.fields, syn::Fields::Unit));
                let json = json.as_deref().filter(|_| !plain);
                decoded(json, quote!(Self::#name #fields))
            }
            _ => continue,
        };
        impls.push(quote! {
            #doc
            impl tasks_sdk_core::testing::Example for types::#ident {
                fn example() -> Self {
                    #body
                }
            }
        });
    }
    for e in &p.enums {
        let ident = format_ident!("{}", naming::type_name(&e.name));
        let Some((variant, _)) = e.variants.first() else {
            continue;
        };
        let variant = format_ident!("{}", variant);
        impls.push(quote! {
            impl tasks_sdk_core::testing::Example for crate::generated::enums::#ident {
                fn example() -> Self {
                    Self::#variant
                }
            }
        });
    }
    impls
}

/// Whether the value [`struct_example`] builds for `item` is valid for `schema`: each
/// field's value (as [`value_example`] makes it) checked against its property's
/// schema; fields of the crate's own types count as valid (their own examples are).
/// Newtypes that check a constraint and enums with data are not built so.
fn field_by_field_is_valid(doc: &Value, item: &syn::Item, schema: &Value) -> bool {
    let schema = crate::document::schema::resolve(doc, schema);
    match item {
        syn::Item::Struct(s) => match &s.fields {
            syn::Fields::Named(named) => {
                let (properties, required) = crate::document::schema::object_parts(doc, schema);
                let min = schema
                    .get("minProperties")
                    .and_then(Value::as_u64)
                    .unwrap_or(0);
                let set = named
                    .named
                    .iter()
                    .filter(|f| syntax::option_inner(&f.ty).is_none())
                    .count() as u64;
                set >= min
                    && named.named.iter().all(|f| {
                        let Some(wire) = syntax::wire_name(f) else {
                            return true;
                        };
                        let Some((_, property)) = properties.iter().find(|(name, _)| *name == wire)
                        else {
                            return true;
                        };
                        let ident = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                        let absent = !required.contains(&wire.as_str());
                        leaf_is_valid(doc, &f.ty, property, ident.trim_start_matches("r#"), absent)
                    })
            }
            syn::Fields::Unnamed(fields) => {
                fields.unnamed.len() == 1
                    && !matches!(fields.unnamed[0].vis, syn::Visibility::Inherited)
                    && leaf_is_valid(doc, &fields.unnamed[0].ty, schema, "example", false)
            }
            syn::Fields::Unit => true,
        },
        syn::Item::Enum(e) => e
            .variants
            .iter()
            .all(|v| matches!(v.fields, syn::Fields::Unit)),
        _ => true,
    }
}

/// Whether [`value_example`]'s value of `ty` is valid for `schema`; `absent`: an
/// optional property (`None` leaves it out).
fn leaf_is_valid(doc: &Value, ty: &syn::Type, schema: &Value, name: &str, absent: bool) -> bool {
    let Some(last) = syntax::type_ident(ty) else {
        return false;
    };
    let value = match last.as_str() {
        "Option" if absent => return true,
        "Option" => Value::Null,
        "Box" => {
            return syntax::generic_arg(ty)
                .is_some_and(|inner| leaf_is_valid(doc, inner, schema, name, absent));
        }
        "String" => Value::String(format!("{name}-1")),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "NonZeroU8"
        | "NonZeroU16" | "NonZeroU32" | "NonZeroU64" | "NonZeroUsize" | "NonZeroI64" => {
            serde_json::json!(1)
        }
        "f32" | "f64" => serde_json::json!(1.0),
        "bool" => Value::Bool(true),
        "DateTime" => Value::from("2026-01-01T00:00:00Z"),
        "NaiveDate" => Value::from("2026-01-01"),
        "NaiveTime" => Value::from("12:00:00"),
        "Uuid" => Value::from("6f9619ff-8b86-4d01-b42d-00c04fc964ff"),
        "Ipv4Addr" | "IpAddr" => Value::from("127.0.0.1"),
        "Ipv6Addr" => Value::from("::1"),
        "Vec" | "HashSet" | "BTreeSet" => Value::Array(Vec::new()),
        "HashMap" | "BTreeMap" | "Map" => Value::Object(serde_json::Map::new()),
        "Value" => Value::from("example"),
        // One of the crate's types (`types::Task`, `crate::generated::enums::Status`):
        // its own example is valid.
        _ => return true,
    };
    conforms::conforms(doc, schema, &value)
}

/// `json` decoded, else `fallback`; `fallback` alone without JSON.
fn decoded(json: Option<&str>, fallback: TokenStream) -> TokenStream {
    match json {
        Some(json) => quote! {
            ::serde_json::from_str(#json).unwrap_or_else(|_| #fallback)
        },
        None => fallback,
    }
}

/// The schema of each type of `types` whose schema the document tells, with the name
/// its strings are made from: components by their type name, operations' bodies and
/// parameters through the fields of their builders and success types, and every type
/// reached from those through struct fields, `Option`, `Box`, items, map values and
/// the alternatives of untagged enums. The schemas are read through `$ref`s and lone
/// `allOf` arms; the first schema found for a type is its schema.
pub(crate) fn type_schemas<'a>(
    p: &'a Prepared,
    file: &syn::File,
) -> HashMap<String, (&'a Value, String)> {
    let items: HashMap<String, &syn::Item> = module_items(file, "types")
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), item)),
            syn::Item::Enum(e) => Some((e.ident.to_string(), item)),
            _ => None,
        })
        .collect();
    let mut walk = TypeWalk {
        doc: &p.doc,
        items,
        found: HashMap::new(),
    };
    for (name, schema) in p
        .doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let ident = naming::type_name(name);
        if walk.items.contains_key(&ident) {
            let ty: syn::Type = match syn::parse_str(&ident) {
                Ok(ty) => ty,
                Err(_) => continue,
            };
            walk.walk(&ty, schema, name);
        }
    }
    let send_types: HashMap<String, syn::Type> = syntax::send_types(file).into_iter().collect();
    for (op, facts) in document::operations(&p.doc).iter().zip(&p.operations) {
        let builder_name = naming::builder_name(&facts.id);
        if let (Some(ty), Some(schema)) = (
            send_types.get(&builder_name),
            document::success_schema(op.op),
        ) {
            walk.walk(ty, schema, "response");
        }
        let Some(builder) = syntax::find_item_struct(file, "builder", &builder_name) else {
            continue;
        };
        for field in &builder.fields {
            let Some(field_name) = field.ident.as_ref().map(|i| i.to_string()) else {
                continue;
            };
            // `Result<T, String>`: T.
            let Some(ty) = syntax::generic_arg(&field.ty) else {
                continue;
            };
            if field_name == "body" {
                if let Some(schema) = request_schema(op.op) {
                    walk.walk(ty, schema, "body");
                }
                continue;
            }
            let parameter = op
                .op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|param| crate::document::schema::resolve_ref(&p.doc, param))
                .find(|param| {
                    param
                        .get("name")
                        .and_then(Value::as_str)
                        .is_some_and(|name| naming::setter_name(name) == field_name)
                });
            if let Some(param) = parameter
                && let Some(schema) = param.get("schema")
            {
                let name = param.get("name").and_then(Value::as_str).unwrap_or("value");
                walk.walk(ty, schema, name);
            }
        }
    }
    walk.found
}

/// The JSON schema of an operation's request body.
fn request_schema(op: &Value) -> Option<&Value> {
    let content = op.pointer("/requestBody/content")?.as_object()?;
    content
        .iter()
        .find(|(media, _)| media.contains("json"))
        .or_else(|| content.iter().next())
        .and_then(|(_, media)| media.get("schema"))
}

struct TypeWalk<'a, 'f> {
    doc: &'a Value,
    items: HashMap<String, &'f syn::Item>,
    found: HashMap<String, (&'a Value, String)>,
}

impl<'a> TypeWalk<'a, '_> {
    fn walk(&mut self, ty: &syn::Type, schema: &'a Value, name: &str) {
        let schema = crate::document::schema::resolve(self.doc, schema);
        let Some(last) = syntax::type_ident(ty) else {
            return;
        };
        match last.as_str() {
            "Option" | "Box" => {
                if let Some(inner) = syntax::generic_arg(ty) {
                    self.walk(inner, schema, name);
                }
            }
            "Vec" => {
                if let (Some(inner), Some(items)) = (syntax::generic_arg(ty), schema.get("items")) {
                    self.walk(inner, items, &singular(name));
                }
            }
            "HashMap" | "BTreeMap" | "IndexMap" => {
                if let (Some(value), Some(values @ Value::Object(_))) =
                    (last_generic_arg(ty), schema.get("additionalProperties"))
                {
                    self.walk(value, values, name);
                }
            }
            ident => {
                let Some(item) = self.items.get(ident).copied() else {
                    return;
                };
                if self.found.contains_key(ident) {
                    return;
                }
                self.found
                    .insert(ident.to_owned(), (schema, name.to_owned()));
                match item {
                    syn::Item::Struct(s) => match &s.fields {
                        syn::Fields::Named(_) => {
                            let (properties, _) =
                                crate::document::schema::object_parts(self.doc, schema);
                            for (property, property_schema) in properties {
                                if let Some((_, field_ty)) = syntax::field(s, property) {
                                    self.walk(field_ty, property_schema, property);
                                }
                            }
                        }
                        syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                            self.walk(&fields.unnamed[0].ty, schema, name);
                        }
                        _ => {}
                    },
                    syn::Item::Enum(e) => {
                        // An untagged enum of one-field variants: one per alternative.
                        let arms = ["oneOf", "anyOf"]
                            .iter()
                            .find_map(|key| schema.get(*key).and_then(Value::as_array));
                        let Some(arms) = arms else { return };
                        let singles: Vec<&syn::Type> = e
                            .variants
                            .iter()
                            .filter_map(|v| match &v.fields {
                                syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                                    Some(&f.unnamed[0].ty)
                                }
                                _ => None,
                            })
                            .collect();
                        if singles.len() == arms.len() && singles.len() == e.variants.len() {
                            for (variant_ty, arm) in singles.into_iter().zip(arms) {
                                self.walk(variant_ty, arm, name);
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// The last generic argument: `HashMap<String, T>` → `T`.
fn last_generic_arg(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args.iter().rev().find_map(|a| match a {
        syn::GenericArgument::Type(t) => Some(t),
        _ => None,
    })
}

/// `tasks` -> `task`, for the strings of array items.
fn singular(name: &str) -> String {
    name.strip_suffix('s').unwrap_or(name).to_owned()
}

pub(super) fn module_items<'f>(
    file: &'f syn::File,
    name: &str,
) -> impl Iterator<Item = &'f syn::Item> {
    file.items
        .iter()
        .filter_map(move |item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items)
}

/// The fields of a struct or variant, each set to an example: `{ a: .., b: .. }`,
/// `(..)`, or nothing.
pub(super) fn struct_example(fields: &syn::Fields) -> TokenStream {
    match fields {
        syn::Fields::Named(named) => {
            let fields = named.named.iter().map(|f| {
                let ident = f.ident.as_ref().expect("named");
                let name = ident.to_string();
                let value = value_example(&f.ty, name.trim_start_matches("r#"));
                quote!(#ident: #value)
            });
            quote!({ #(#fields),* })
        }
        syn::Fields::Unnamed(unnamed) => {
            let fields = unnamed
                .unnamed
                .iter()
                .map(|f| value_example(&f.ty, "example"));
            quote!((#(#fields),*))
        }
        syn::Fields::Unit => quote!(),
    }
}

/// An example value of `ty`; strings are made from `name` (`"title-1"`).
pub(super) fn value_example(ty: &syn::Type, name: &str) -> TokenStream {
    match ty {
        syn::Type::Tuple(t) => {
            let parts = t.elems.iter().map(|e| value_example(e, name));
            quote!((#(#parts),*))
        }
        syn::Type::Array(a) => {
            let inner = value_example(&a.elem, name);
            quote!(::std::array::from_fn(|_| #inner))
        }
        syn::Type::Path(p) => {
            let Some(last) = p.path.segments.last() else {
                return quote!(tasks_sdk_core::testing::Example::example());
            };
            let first_arg = match &last.arguments {
                syn::PathArguments::AngleBracketed(args) => {
                    args.args.iter().find_map(|a| match a {
                        syn::GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                }
                _ => None,
            };
            match (last.ident.to_string().as_str(), first_arg) {
                ("Option", _) => quote!(None),
                ("Box", Some(inner)) => {
                    let inner = value_example(inner, name);
                    quote!(::std::boxed::Box::new(#inner))
                }
                ("String", _) => {
                    let text = format!("{name}-1");
                    quote!(::std::string::String::from(#text))
                }
                ("DateTime", _) => quote! {
                    ::chrono::DateTime::<::chrono::Utc>::from_timestamp(1_767_225_600, 0)
                        .expect("2026-01-01 is a valid date")
                        .into()
                },
                ("NaiveDate", _) => {
                    quote!(::chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid date"))
                }
                ("NaiveTime", _) => {
                    quote!(::chrono::NaiveTime::from_hms_opt(12, 0, 0).expect("a valid time"))
                }
                ("Uuid", _) => quote!(::uuid::Uuid::from_u128(
                    0x6f9619ff_8b86_4d01_b42d_00c04fc964ff
                )),
                ("Ipv4Addr", _) => quote!(::std::net::Ipv4Addr::LOCALHOST),
                ("Ipv6Addr", _) => quote!(::std::net::Ipv6Addr::LOCALHOST),
                ("IpAddr", _) => quote!(::std::net::IpAddr::V4(::std::net::Ipv4Addr::LOCALHOST)),
                _ => quote!(tasks_sdk_core::testing::Example::example()),
            }
        }
        _ => quote!(tasks_sdk_core::testing::Example::example()),
    }
}

//! How a generated struct reads itself from a JSON object, written once here instead
//! of serde's derive in every struct.
//!
//! `#[derive(Deserialize)]` writes a field enum, its visitor (three `visit_*`
//! functions), a second visitor with `visit_seq` and `visit_map`, and their impls into
//! every struct: a large API has more than a thousand structs (PagerDuty REST: 1,410),
//! and their derives were 40% of its `cargo check`. For a struct whose serde attributes
//! are the common ones (`rename`, `default`, `default = "path"`, `skip_serializing_if`,
//! `deny_unknown_fields`), `cargo xtask regen` writes one [`object!`](crate::object!)
//! instead: each field's index and name, its wire name when it is another, and what an
//! absent field is.
//!
//! ```
//! #[derive(Debug, PartialEq)]
//! pub struct Task {
//!     pub id: String,
//!     pub title: Option<String>,
//!     pub r#type: String,
//!     pub tags: Vec<String>,
//!     pub priority: u8,
//! }
//!
//! fn default_priority() -> u8 {
//!     3
//! }
//!
//! tasks_sdk_core::object!(Task {
//!     0 id,
//!     1 title,
//!     2 r#type: "kind",
//!     3 tags = default,
//!     4 priority = (default_priority),
//! });
//!
//! let task: Task = serde_json::from_str(r#"{"id": "t1", "kind": "bug", "extra": 1}"#).unwrap();
//! assert_eq!(
//!     task,
//!     Task { id: "t1".into(), title: None, r#type: "bug".into(), tags: vec![], priority: 3 }
//! );
//! let missing = serde_json::from_str::<Task>(r#"{"kind": "bug"}"#).unwrap_err();
//! assert_eq!(missing.to_string(), "missing field `id` at line 1 column 15");
//! ```
//!
//! It reads what the derive read from JSON, with the derive's messages (`missing field`,
//! `duplicate field`, `unknown field`, `invalid type: ..., expected struct Task`); an
//! `Option` field that is absent is `None`. Unlike the derive it does not read a struct
//! from a JSON array of its fields in order, which no OpenAPI document describes.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A struct's `Deserialize` through [`Object`]: `Name { index field, ... }`, the indexes
/// counting from 0 in the order of `FIELDS`. Each field is followed by `: "wire name"`
/// when that is not the field's name (always for a raw identifier: `r#type: "type"`),
/// and by `= default` when an absent field is `Default::default()` (serde's `default`)
/// or `= (function)` when it is `function()` (serde's `default = "function"`), rather
/// than `None` for an `Option` or "missing field". `deny_unknown_fields Name { ... }`
/// refuses a field not listed. See [the module](mod@crate::object).
#[macro_export]
macro_rules! object {
    (deny_unknown_fields $name:ident { $($fields:tt)* }) => {
        $crate::object!(@impl $name, key_or_refuse, { $($fields)* });
    };
    ($name:ident { $($fields:tt)* }) => {
        $crate::object!(@impl $name, key, { $($fields)* });
    };
    (@impl $name:ident, $key:ident, {
        $($index:literal $field:ident $(: $wire:literal)? $(= $absent:tt)?),* $(,)?
    }) => {
        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::object::deserialize(deserializer)
            }
        }
        impl $crate::object::Object for $name {
            const NAME: &'static str = ::core::stringify!($name);
            const FIELDS: &'static [&'static str] = &[$($crate::object!(@wire $field $($wire)?)),*];
            fn index(name: &str) -> ::core::option::Option<usize> {
                match name {
                    $($crate::object!(@wire $field $($wire)?) => ::core::option::Option::Some($index),)*
                    _ => ::core::option::Option::None,
                }
            }
            fn from_map<'de, A: $crate::__private::serde::de::MapAccess<'de>>(
                mut map: A,
            ) -> ::core::result::Result<Self, A::Error> {
                // The slots are named like the fields: the macro's own names (`map`,
                // `field`) are its own, whatever the fields are called.
                $(let mut $field = ::core::option::Option::None;)*
                while let ::core::option::Option::Some(field) = $crate::object::$key::<Self, A>(&mut map)? {
                    match field {
                        $($index => $crate::object::value(
                            &mut map,
                            &mut $field,
                            $crate::object!(@wire $field $($wire)?),
                        )?,)*
                        _ => {}
                    }
                }
                ::core::result::Result::Ok(Self {
                    $($field: $crate::object!(
                        @absent $field, $crate::object!(@wire $field $($wire)?) $(, $absent)?
                    ),)*
                })
            }
        }
    };
    (@wire $field:ident) => {
        ::core::stringify!($field)
    };
    (@wire $field:ident $wire:literal) => {
        $wire
    };
    (@absent $slot:ident, $wire:expr) => {
        $crate::object::required($slot, $wire)?
    };
    (@absent $slot:ident, $wire:expr, default) => {
        $slot.unwrap_or_default()
    };
    (@absent $slot:ident, $wire:expr, $function:tt) => {
        $slot.unwrap_or_else($function)
    };
}

/// A struct read from an object's fields: what [`object!`](crate::object!) implements
/// (hidden from the documentation: its impls are the generator's, not a user's API).
#[doc(hidden)]
pub trait Object: Sized {
    /// The struct's name, for "expected struct ...".
    const NAME: &'static str;
    /// The fields' names on the wire, in the struct's order: [`key`] returns an index
    /// into them.
    const FIELDS: &'static [&'static str];

    /// The index in [`FIELDS`](Self::FIELDS) of the field named `name` on the wire (a
    /// `match`, which the compiler turns into a few comparisons).
    fn index(name: &str) -> Option<usize>;

    /// Reads the struct from the object's entries.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `T::deserialize`: asks `deserializer` for a struct (an object in JSON) and reads it
/// with [`Object::from_map`].
#[inline]
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::FIELDS, ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// The index of the object's next field of `T` (its place in `T::FIELDS`), `None` after
/// its last. The value of a field `T` does not have is skipped ([`key_or_refuse`]
/// refuses it with serde's "unknown field" message).
#[inline]
pub fn key<'de, T: Object, A: MapAccess<'de>>(map: &mut A) -> Result<Option<usize>, A::Error> {
    next_key::<T, A>(map, false)
}

/// [`key`] for a struct that refuses unknown fields.
#[inline]
pub fn key_or_refuse<'de, T: Object, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<usize>, A::Error> {
    next_key::<T, A>(map, true)
}

#[inline]
fn next_key<'de, T: Object, A: MapAccess<'de>>(
    map: &mut A,
    refuse_unknown: bool,
) -> Result<Option<usize>, A::Error> {
    loop {
        match map.next_key_seed(FieldIndex::<T>(refuse_unknown, PhantomData))? {
            None => return Ok(None),
            Some(Some(index)) => return Ok(Some(index)),
            Some(None) => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
}

/// Reads a key: its index in `T::FIELDS` ([`Object::index`]), `None` for another name
/// (or an error, when `.0`: unknown fields refused).
struct FieldIndex<T>(bool, PhantomData<T>);

impl<'de, T: Object> DeserializeSeed<'de> for FieldIndex<T> {
    type Value = Option<usize>;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, T: Object> Visitor<'de> for FieldIndex<T> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, name: &str) -> Result<Option<usize>, E> {
        match T::index(name) {
            Some(index) => Ok(Some(index)),
            None if self.0 => Err(E::unknown_field(name, T::FIELDS)),
            None => Ok(None),
        }
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Option<usize>, E> {
        match std::str::from_utf8(name) {
            Ok(name) => self.visit_str(name),
            Err(_) if self.0 => Err(E::unknown_field(&String::from_utf8_lossy(name), T::FIELDS)),
            Err(_) => Ok(None),
        }
    }

    // A format whose keys are numbers (not JSON): the field at that index, as the
    // derive's field visitor reads it.
    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Option<usize>, E> {
        match usize::try_from(index).ok().filter(|i| *i < T::FIELDS.len()) {
            Some(index) => Ok(Some(index)),
            None if self.0 => Err(E::invalid_value(
                de::Unexpected::Unsigned(index),
                &"the index of a field",
            )),
            None => Ok(None),
        }
    }
}

/// Reads the current entry's value into `slot`; a field given twice is refused with
/// serde's "duplicate field" message.
#[inline]
pub fn value<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: de::Deserialize<'de>,
{
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A field without a default: its value, or, when the object did not have it, what
/// the derive gives: `None` for an `Option`, serde's "missing field" error otherwise.
#[inline]
pub fn required<'de, T, E>(slot: Option<T>, name: &'static str) -> Result<T, E>
where
    T: de::Deserialize<'de>,
    E: de::Error,
{
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// The value of an absent field: an `Option` reads it as `None`, anything else fails
/// with "missing field" (what serde's derive does).
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {

    /// What the generator writes for a struct (`emit::objects`), with each kind of field.
    #[derive(Debug, PartialEq)]
    struct Task {
        id: String,
        title: Option<String>,
        tags: Vec<String>,
        priority: u8,
    }

    fn default_priority() -> u8 {
        3
    }

    crate::object!(Task {
        0 id,
        1 title: "title",
        2 tags = default,
        3 priority: "priority" = (default_priority),
    });

    /// The same structs with serde's derive, named alike (its messages name them): what
    /// the generated impls must match.
    mod derived {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        pub struct Task {
            pub id: String,
            pub title: Option<String>,
            #[serde(default)]
            pub tags: Vec<String>,
            #[serde(default = "super::default_priority")]
            pub priority: u8,
        }

        #[derive(Debug, PartialEq, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        pub struct Strict {
            pub id: String,
        }
    }

    #[derive(Debug, PartialEq)]
    struct Strict {
        id: String,
    }

    crate::object!(deny_unknown_fields Strict { 0 id });

    /// Fields named like the macro's own variables.
    #[derive(Debug, PartialEq)]
    struct Names {
        map: u8,
        field: u8,
        deserializer: u8,
        next: u8,
    }

    crate::object!(Names { 0 map, 1 field, 2 deserializer: "d", 3 next });

    #[test]
    fn fields_may_be_named_like_the_macros_variables() {
        let names: Names =
            serde_json::from_str(r#"{"d": 3, "next": 4, "field": 2, "map": 1}"#).unwrap();
        assert_eq!(
            names,
            Names {
                map: 1,
                field: 2,
                deserializer: 3,
                next: 4
            }
        );
    }

    fn both(json: &str) -> (Result<Task, String>, Result<derived::Task, String>) {
        (
            serde_json::from_str::<Task>(json).map_err(|e| e.to_string()),
            serde_json::from_str::<derived::Task>(json).map_err(|e| e.to_string()),
        )
    }

    #[test]
    fn a_struct_reads_what_the_derive_reads_with_its_messages() {
        let (ours, derived) = both(
            r#"{"priority": 1, "extra": {"a": [1, 2]}, "tags": ["x"], "id": "t1", "title": null}"#,
        );
        assert_eq!(
            ours.unwrap(),
            Task {
                id: "t1".into(),
                title: None,
                tags: vec!["x".into()],
                priority: 1
            }
        );
        assert_eq!(derived.unwrap().priority, 1);
        // Absent: an Option is None, a default is its default.
        let (ours, _) = both(r#"{"id": "t2"}"#);
        assert_eq!(
            ours.unwrap(),
            Task {
                id: "t2".into(),
                title: None,
                tags: vec![],
                priority: 3
            }
        );
        // An escaped key is read too (serde_json hands it over owned).
        let (ours, _) = both(r#"{"i\u0064": "t3"}"#);
        assert_eq!(ours.unwrap().id, "t3");
        // The derive's messages, word for word.
        for json in [
            r#"{"title": "no id"}"#,
            r#"{"id": "a", "id": "b"}"#,
            r#"{"id": 3}"#,
            r#""a string""#,
            r#"{"id": "a", "tags": "x"}"#,
        ] {
            let (ours, derived) = both(json);
            assert_eq!(ours.unwrap_err(), derived.unwrap_err(), "{json}");
        }
        let (ours, _) = both(r#"{"title": "no id"}"#);
        assert_eq!(ours.unwrap_err(), "missing field `id` at line 1 column 18");
    }

    #[test]
    fn a_struct_that_denies_unknown_fields_refuses_them_with_the_derive_message() {
        let ours = serde_json::from_str::<Strict>(r#"{"id": "a", "other": 1}"#).unwrap_err();
        let derived =
            serde_json::from_str::<derived::Strict>(r#"{"id": "a", "other": 1}"#).unwrap_err();
        assert_eq!(ours.to_string(), derived.to_string());
        assert_eq!(
            serde_json::from_str::<Strict>(r#"{"id": "a"}"#).unwrap(),
            Strict { id: "a".into() }
        );
    }

    #[test]
    fn a_format_whose_keys_are_numbers_reads_fields_by_index_as_the_derive_does() {
        use serde::Deserialize;
        use serde::de::value::{Error, MapDeserializer};
        let strict = |entries: Vec<(u64, &'static str)>| {
            Strict::deserialize(MapDeserializer::<_, Error>::new(entries.into_iter()))
        };
        assert_eq!(strict(vec![(0, "a")]).unwrap(), Strict { id: "a".into() });
        // Another index: refused where unknown fields are, skipped elsewhere.
        assert!(strict(vec![(5, "x"), (0, "a")]).is_err());
        let task = Task::deserialize(MapDeserializer::<_, Error>::new(
            vec![(7u64, "x"), (0, "t")].into_iter(),
        ))
        .unwrap();
        assert_eq!(task.id, "t");
    }

    #[test]
    fn a_flattened_or_untagged_parent_reads_the_struct_through_its_fields() {
        // serde's own derive around ours: flatten hands over only FIELDS' entries,
        // untagged tries each arm on buffered content.
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Parent {
            #[serde(flatten)]
            task: Task,
            #[serde(flatten)]
            rest: std::collections::BTreeMap<String, serde_json::Value>,
        }
        let parent: Parent = serde_json::from_str(r#"{"id": "t", "x": 1}"#).unwrap();
        assert_eq!(parent.task.id, "t");
        assert_eq!(parent.rest.keys().collect::<Vec<_>>(), ["x"]);

        #[derive(Debug, PartialEq, serde::Deserialize)]
        #[serde(untagged)]
        enum Either {
            Task(Task),
            Text(String),
        }
        let either: Vec<Either> = serde_json::from_str(r#"[{"id": "t"}, "s"]"#).unwrap();
        assert!(matches!(&either[0], Either::Task(t) if t.id == "t"));
        assert_eq!(either[1], Either::Text("s".into()));
    }
}

//! Example values of every type: `testing::example::<T>()`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::num::{NonZeroI64, NonZeroU8, NonZeroU16, NonZeroU32, NonZeroU64, NonZeroUsize};

/// A valid value of a type, for tests: each provider crate's `testing` module implements
/// it for every type of its spec, valid for the type's schema so that a strict server
/// accepts it as a body: the spec's own example when it is valid for the schema, else
/// a value built for it (required fields set, optional ones `None`; arrays with their
/// `minItems`, distinct items under `uniqueItems`; numbers within `minimum`/`maximum`,
/// exclusive ones too, and `multipleOf`; strings of their `minLength`/`maxLength`,
/// `format` and `pattern`, the spec's own string when it matches, else one generated
/// from the pattern; an enum's first value). The generator checks each value against
/// the schema; an impl it could not make valid (a pattern no string was generated for,
/// bounds that exclude each other) says why in its documentation.
///
/// Start from it and set what your test is about:
/// `Task { id: "t1".into(), ..example() }`.
pub trait Example: Sized {
    /// The example value.
    fn example() -> Self;
}

/// An example value of `T` (see [`Example`]).
pub fn example<T: Example>() -> T {
    T::example()
}

/// Values tried, in order, for a type whose constraints (a pattern, a length, a range)
/// the generated code cannot construct directly: the first its `Deserialize` accepts
/// wins.
const CANDIDATES: &[&str] = &[
    r#""example""#,
    "1",
    r#""1""#,
    r#""a""#,
    "0",
    "100",
    "1.5",
    r#""example@example.com""#,
    r#""https://example.com/""#,
    r#""2026-01-01""#,
    r#""2026-01-01T00:00:00Z""#,
    r#""6f9619ff-8b86-4d01-b42d-00c04fc964ff""#,
    r#""EXAMPLE""#,
    r#""Example""#,
    r#""example-1""#,
    r#""example_1""#,
    r#""ab""#,
    r#""abc""#,
    r#""abcd""#,
    r#""abcdefgh""#,
    r#""abcdefghijklmnop""#,
    r#""abcdefghijklmnopqrstuvwxyzabcdef""#,
    "true",
    "{}",
    "[]",
];

/// The example of a type the generated code cannot build field by field (a newtype
/// whose constructor checks a pattern, a length or a range): `spec`, the value the
/// generator built for the schema (checked against the pattern and lengths with the
/// engine the type's constructor uses), when it decodes; else the first of a few
/// common values that decodes.
///
/// # Panics
/// Only when none decodes: the type checks a constraint no value meets (the generator
/// says why in the documentation of the type's `Example` impl), and there is no way to
/// build it. The message names the type and what to do.
pub fn decode_example<T: serde::de::DeserializeOwned>(type_name: &str, spec: Option<&str>) -> T {
    spec.into_iter()
        .chain(CANDIDATES.iter().copied())
        .find_map(|json| serde_json::from_str(json).ok())
        .unwrap_or_else(|| {
            panic!(
                "testing::example::<{type_name}>(): no value meets the schema's constraints \
                 (see the documentation of its `Example` impl); give the schema an \
                 `example` that does in the spec or its overlay"
            )
        })
}

impl Example for () {
    fn example() -> Self {}
}

impl Example for bool {
    fn example() -> Self {
        true
    }
}

impl Example for String {
    fn example() -> Self {
        "example".to_owned()
    }
}

macro_rules! one {
    ($($ty:ty => $value:expr),* $(,)?) => {
        $(impl Example for $ty {
            fn example() -> Self {
                $value
            }
        })*
    };
}

one! {
    i8 => 1, i16 => 1, i32 => 1, i64 => 1, u8 => 1, u16 => 1, u32 => 1, u64 => 1,
    usize => 1, f32 => 1.0, f64 => 1.0,
    NonZeroU8 => NonZeroU8::MIN, NonZeroU16 => NonZeroU16::MIN,
    NonZeroU32 => NonZeroU32::MIN, NonZeroU64 => NonZeroU64::MIN,
    NonZeroUsize => NonZeroUsize::MIN, NonZeroI64 => NonZeroI64::new(1).expect("1 is not zero"),
    // Any JSON: a string, not `null`, which a form body, a query or a header leaves
    // out (a required untyped form field would be missing).
    serde_json::Value => serde_json::Value::String("example".to_owned()),
    serde_json::Map<String, serde_json::Value> => serde_json::Map::new(),
}

impl<T> Example for Option<T> {
    fn example() -> Self {
        None
    }
}

impl<T> Example for Vec<T> {
    fn example() -> Self {
        Vec::new()
    }
}

impl<T: Example> Example for Box<T> {
    fn example() -> Self {
        Box::new(T::example())
    }
}

impl<K, V, S: Default> Example for HashMap<K, V, S> {
    fn example() -> Self {
        HashMap::default()
    }
}

impl<K, V> Example for BTreeMap<K, V> {
    fn example() -> Self {
        BTreeMap::new()
    }
}

impl<T, S: Default> Example for HashSet<T, S> {
    fn example() -> Self {
        HashSet::default()
    }
}

impl<T> Example for BTreeSet<T> {
    fn example() -> Self {
        BTreeSet::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_constrained_value_is_the_first_candidate_that_decodes() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Upper(String);
        // Like typify's checked newtypes: deserialization enforces the constraint.
        fn upper<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Upper, D::Error> {
            let s = <String as serde::Deserialize>::deserialize(d)?;
            if s.chars().all(|c| c.is_ascii_uppercase()) {
                Ok(Upper(s))
            } else {
                Err(serde::de::Error::custom("not upper case"))
            }
        }
        #[derive(serde::Deserialize, Debug, PartialEq)]
        struct Wrapper(#[serde(deserialize_with = "upper")] Upper);
        let value: Wrapper = decode_example("Upper", None);
        assert_eq!(value, Wrapper(Upper("EXAMPLE".into())));
        let from_spec: Wrapper = decode_example("Upper", Some(r#""ABC""#));
        assert_eq!(from_spec, Wrapper(Upper("ABC".into())));
    }

    #[test]
    #[should_panic(expected = "example::<Never>(): no value meets")]
    fn a_type_no_candidate_meets_says_what_to_do() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct Never {
            _required: std::marker::PhantomData<u8>,
            _also: u8,
        }
        let _: Never = decode_example("Never", None);
    }

    #[test]
    fn leaves_are_valid_minimal_values() {
        assert_eq!(example::<Option<u32>>(), None);
        assert_eq!(example::<Vec<String>>(), Vec::<String>::new());
        assert_eq!(example::<NonZeroU32>().get(), 1);
        assert_eq!(example::<Box<String>>().as_str(), "example");
        assert_eq!(example::<serde_json::Value>(), serde_json::json!("example"));
    }
}

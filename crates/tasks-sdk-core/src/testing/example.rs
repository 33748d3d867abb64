//! Example values of every type: `testing::example::<T>()`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::num::{NonZeroI64, NonZeroU8, NonZeroU16, NonZeroU32, NonZeroU64, NonZeroUsize};

/// A valid value of a type, for tests: each provider crate's `testing` module implements
/// it for every type of its spec, from the spec's own example when it has one, else a
/// value valid for the schema (required fields set, optional ones `None`, empty lists).
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
    serde_json::Value => serde_json::Value::Null,
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
    fn leaves_are_valid_minimal_values() {
        assert_eq!(example::<Option<u32>>(), None);
        assert_eq!(example::<Vec<String>>(), Vec::<String>::new());
        assert_eq!(example::<NonZeroU32>().get(), 1);
        assert_eq!(example::<Box<String>>().as_str(), "example");
        assert_eq!(example::<serde_json::Value>(), serde_json::Value::Null);
    }
}

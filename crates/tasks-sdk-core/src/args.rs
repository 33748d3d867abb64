//! The arguments of generated builders, converted here once instead of in every setter.
//!
//! A generated setter takes any value that converts into the parameter's type
//! (`V: TryInto<T>`) and keeps the result until `send()`, which returns the first
//! failure as [`Error::InvalidArgument`](crate::Error::InvalidArgument). Each setter's
//! body is one call of a function below, with the argument's name (and what the value
//! must be), so that a crate with thousands of setters type-checks this code once:
//!
//! ```
//! use tasks_sdk_core::args;
//!
//! let limit: Result<Option<u8>, String> = args::shown_some(300, "limit", "must be between 1 and 100");
//! assert_eq!(
//!     limit.unwrap_err(),
//!     "invalid argument `limit`: must be between 1 and 100, got 300"
//! );
//! let name: Result<String, String> = args::required("Ada", "name");
//! assert_eq!(name.unwrap(), "Ada");
//! ```

use std::fmt::{Debug, Display};

/// A required argument: the message names the argument and the type it did not convert
/// to (the runtime reports it as "is not a valid value for this parameter").
pub fn required<T, V: TryInto<T>>(value: V, name: &str) -> Result<T, String> {
    value.try_into().map_err(|_| not_converted::<T>(name))
}

/// An optional argument, set: as [`required`], kept as `Some`.
pub fn some<T, V: TryInto<T>>(value: V, name: &str) -> Result<Option<T>, String> {
    required(value, name).map(Some)
}

/// A required argument whose failure shows the value and what it must be:
/// ``invalid argument `NAME`: REASON, got VALUE``.
pub fn shown<T, V: TryInto<T> + Debug>(value: V, name: &str, reason: &str) -> Result<T, String> {
    let shown = format!("{value:?}");
    value
        .try_into()
        .map_err(|_| format!("invalid argument `{name}`: {reason}, got {shown}"))
}

/// An optional argument, set: as [`shown`], kept as `Some`.
pub fn shown_some<T, V: TryInto<T> + Debug>(
    value: V,
    name: &str,
    reason: &str,
) -> Result<Option<T>, String> {
    shown(value, name, reason).map(Some)
}

/// A field of a type's builder (`types::builder::*`): the conversion's own error,
/// ``error converting supplied value for FIELD: ERROR``.
pub fn field<T, V>(value: V, name: &str) -> Result<T, String>
where
    V: TryInto<T>,
    V::Error: Display,
{
    value
        .try_into()
        .map_err(|e| format!("error converting supplied value for {name}: {e}"))
}

fn not_converted<T>(name: &str) -> String {
    format!(
        "conversion to `{}` for {name} failed",
        std::any::type_name::<T>()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_names_the_argument() {
        let small: Result<u8, String> = required(300_i64, "limit");
        assert_eq!(small.unwrap_err(), "conversion to `u8` for limit failed");
        let small: Result<Option<u8>, String> = some(-1_i32, "limit");
        assert_eq!(small.unwrap_err(), "conversion to `u8` for limit failed");
        assert_eq!(some::<u8, _>(7_i32, "limit"), Ok(Some(7)));
        let shown_err: Result<u8, String> = shown(-1_i32, "limit", "must be at least 0");
        assert_eq!(
            shown_err.unwrap_err(),
            "invalid argument `limit`: must be at least 0, got -1"
        );
        assert_eq!(shown_some::<u8, _>(5_i32, "limit", "x"), Ok(Some(5)));
        let field_err: Result<std::num::NonZeroU8, String> = field(0_u8, "count");
        assert!(
            field_err
                .unwrap_err()
                .starts_with("error converting supplied value for count: "),
        );
        assert_eq!(field::<String, _>("x", "name"), Ok("x".to_owned()));
    }
}

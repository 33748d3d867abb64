//! Forward-compatible string enums for generated code.

/// Defines a string enum that decodes values it does not know as `Unknown(String)`
/// instead of failing, so that a provider adding a status never breaks a page of results.
///
/// The generator uses it for every named string enum of a spec; known values match
/// without allocating.
///
/// ```
/// # use tasks_sdk_core::open_enum;
/// open_enum! {
///     /// A job's status.
///     pub enum JobStatus {
///         /// Waiting.
///         Pending = "PENDING",
///         Done = "DONE",
///     }
/// }
/// let s: JobStatus = serde_json::from_str("\"PAUSED\"").unwrap();
/// assert_eq!(s, JobStatus::Unknown("PAUSED".into()));
/// assert_eq!(serde_json::to_string(&JobStatus::Pending).unwrap(), "\"PENDING\"");
/// assert_eq!("DONE".parse::<JobStatus>(), Ok(JobStatus::Done));
/// assert_eq!(JobStatus::Unknown("PAUSED".into()).to_string(), "PAUSED");
/// ```
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )*
            /// A value this version of the SDK does not know (the provider added it later).
            Unknown(::std::string::String),
        }

        impl $name {
            /// Every value the spec documents.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The value as the provider sends it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Unknown(value) => value,
                }
            }

            fn from_wire(value: &str) -> Option<Self> {
                match value {
                    $( $wire => Some($name::$variant), )*
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::from_wire(value).unwrap_or_else(|| $name::Unknown(value.to_owned()))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::from_wire(&value).unwrap_or($name::Unknown(value))
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> $crate::__private::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " string"))
                    }
                    fn visit_str<E: $crate::__private::serde::de::Error>(self, value: &str) -> ::std::result::Result<$name, E> {
                        Ok($name::from(value))
                    }
                    fn visit_string<E: $crate::__private::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<$name, E> {
                        Ok($name::from(value))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

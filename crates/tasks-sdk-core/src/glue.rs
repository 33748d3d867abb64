//! The glue between a generated (progenitor) client and this runtime, written once here
//! instead of into every provider crate: [`impl_generated_client!`](crate::impl_generated_client),
//! [`exchange`] (the request/response step of every generated `send()`) and
//! [`call_methods!`](crate::call_methods) (every builder's `call()`, `with_options()`
//! and `call_with_response()`).

use progenitor_client::{ClientHooks, Error, OperationInfo};

use crate::Runtime;

/// Sends a generated operation's request through the client's hooks (progenitor's
/// `pre`, `exec` and `post`: [`Runtime::prepare`] and [`Runtime::execute`]) and returns
/// the response. A generated `send()` awaits this once where progenitor writes the
/// three hooks out: one future compiled here for every operation of every crate.
pub async fn exchange<C, E>(
    client: &C,
    mut request: reqwest::Request,
    operation_id: &'static str,
) -> Result<reqwest::Response, Error<E>>
where
    C: ClientHooks<Runtime>,
{
    let info = OperationInfo { operation_id };
    client.pre(&mut request, &info).await?;
    let result = client.exec(request, &info).await;
    client.post(&result, &info).await?;
    Ok(result?)
}

/// A generated builder's `call()`, `with_options()` and `call_with_response()`, for
/// an operation whose success body is `$success`: `cargo xtask regen` writes one call
/// into each builder's `impl`, which has `OPERATION` (its [`Operation`](crate::Operation))
/// and progenitor's `send()`:
///
/// ```text
/// impl<'a> builder::ListTasks<'a> {
///     const OPERATION: &'static tasks_sdk_core::Operation = &...;
///     tasks_sdk_core::call_methods!('a, PROVIDER, types::TaskPage);
/// }
/// ```
#[macro_export]
macro_rules! call_methods {
    ($lifetime:lifetime, $provider:path, $success:ty) => {
        /// Sends the request like [`send`](Self::send), and returns the decoded body or a
        /// [`tasks_sdk_core::Error`]: one error type for every provider, with the status,
        /// the request id and the typed error body.
        pub async fn call(self) -> ::core::result::Result<$success, $crate::Error> {
            $crate::call(&$provider, Self::OPERATION, self.send()).await
        }

        /// Sends the request like [`call`](Self::call), with per-call options
        /// (timeout, headers, retry policy) that apply to this call only.
        pub fn with_options(
            self,
            options: $crate::RequestOptions,
        ) -> $crate::WithOptions<$lifetime, $success> {
            $crate::WithOptions::new(&$provider, Self::OPERATION, options, self.send())
        }

        /// Like [`call`](Self::call), with the response's status, headers, request
        /// id and the number of attempts it took.
        pub async fn call_with_response(
            self,
        ) -> ::core::result::Result<$crate::Response<$success>, $crate::Error> {
            $crate::call_with_response(&$provider, Self::OPERATION, self.send()).await
        }
    };
}

/// Connects a progenitor-generated `Client` to this runtime, and gives it its
/// constructors. `cargo xtask regen` writes one call into each provider crate's
/// `src/lib.rs`:
///
/// ```text
/// tasks_sdk_core::impl_generated_client! {
///     client: Client,
///     provider: PROVIDER,
///     title: "Deck",
///     api_key_env: "DECK_API_KEY",
///     base_url_env: "DECK_BASE_URL",
///     base_url: "https://api.deck.co/v2",
/// }
/// ```
///
/// It expands to:
/// - `impl GeneratedClient for Client`, with [`GeneratedClient::PROVIDER`] = `provider`,
///   so that [`ClientBuilder<Client>`](crate::ClientBuilder) builds it (through
///   progenitor's `Client::new_with_client`);
/// - `Client::builder()` (a [`ClientBuilder`](crate::ClientBuilder)) and
///   `Client::from_env()`, documented with the provider's `title`, environment variables
///   and default base URL (literals, so that they appear in the crate's rustdoc);
/// - progenitor's `ClientHooks<Runtime>` for `Client`: its `pre` hook is
///   [`Runtime::prepare`] (an argument error becomes progenitor's `InvalidRequest`), its
///   `exec` hook [`Runtime::execute`].
///
/// `client` must be a progenitor client generated with `inner_type = Runtime`: it
/// implements `progenitor_client::ClientInfo<Runtime>` and has
/// `new_with_client(&str, reqwest::Client, Runtime)`.
///
/// [`GeneratedClient::PROVIDER`]: crate::GeneratedClient::PROVIDER
/// [`Runtime::prepare`]: crate::Runtime::prepare
/// [`Runtime::execute`]: crate::Runtime::execute
#[macro_export]
macro_rules! impl_generated_client {
    (
        client: $client:ident,
        provider: $provider:path,
        title: $title:literal,
        api_key_env: $key_env:literal,
        base_url_env: $base_env:literal,
        base_url: $base_url:literal $(,)?
    ) => {
        impl $crate::GeneratedClient for $client {
            const PROVIDER: &'static $crate::Provider = &$provider;

            fn from_parts(
                base_url: &str,
                http: $crate::__private::reqwest::Client,
                runtime: $crate::Runtime,
            ) -> Self {
                $client::new_with_client(base_url, http, runtime)
            }
        }

        impl $client {
            #[doc = concat!(
                "A builder for a ", $title, " client: credential, base URL, timeouts, retries."
            )]
            pub fn builder() -> $crate::ClientBuilder<$client> {
                $crate::ClientBuilder::new()
            }

            #[doc = concat!(
                "A client whose credential comes from `", $key_env, "` and whose base URL ",
                "comes from `", $base_env, "` when set (else `", $base_url, "`)."
            )]
            pub fn from_env() -> ::core::result::Result<$client, $crate::Error> {
                $client::builder().build()
            }
        }

        impl $crate::__private::progenitor_client::ClientHooks<$crate::Runtime> for $client {
            async fn pre<E>(
                &self,
                request: &mut $crate::__private::reqwest::Request,
                info: &$crate::__private::progenitor_client::OperationInfo,
            ) -> ::core::result::Result<(), $crate::__private::progenitor_client::Error<E>> {
                use $crate::__private::progenitor_client::ClientInfo;
                self.inner()
                    .prepare(request, info.operation_id)
                    .await
                    .map_err($crate::__private::progenitor_client::Error::InvalidRequest)
            }

            async fn exec(
                &self,
                request: $crate::__private::reqwest::Request,
                info: &$crate::__private::progenitor_client::OperationInfo,
            ) -> $crate::__private::reqwest::Result<$crate::__private::reqwest::Response> {
                use $crate::__private::progenitor_client::ClientInfo;
                self.inner()
                    .execute(self.client(), request, info.operation_id)
                    .await
            }
        }
    };
}

/// The `Deserialize` of a generated string enum (`X: FromStr`, which knows its values):
/// a string is parsed; one the enum does not list is serde's "unknown variant `v`,
/// expected one of ...", as the derive says. One generic function instead of the
/// derive's field enum and two visitors in every enum of every crate.
pub fn string_enum<'de, T, D>(
    deserializer: D,
    variants: &'static [&'static str],
) -> Result<T, D::Error>
where
    T: std::str::FromStr,
    D: serde::Deserializer<'de>,
{
    struct Values<T>(&'static [&'static str], std::marker::PhantomData<T>);
    impl<T: std::str::FromStr> serde::de::Visitor<'_> for Values<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("variant identifier")
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            value.parse().map_err(|_| E::unknown_variant(value, self.0))
        }
    }
    deserializer.deserialize_str(Values(variants, std::marker::PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the generator writes for a string enum (`emit::string_enums`).
    #[derive(Debug, PartialEq)]
    enum Status {
        InProgress,
        Done,
    }
    impl std::fmt::Display for Status {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(match self {
                Status::InProgress => "in-progress",
                Status::Done => "done",
            })
        }
    }
    impl std::str::FromStr for Status {
        type Err = &'static str;
        fn from_str(value: &str) -> Result<Self, &'static str> {
            match value {
                "in-progress" => Ok(Status::InProgress),
                "done" => Ok(Status::Done),
                _ => Err("invalid value"),
            }
        }
    }
    impl serde::Serialize for Status {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_str(self)
        }
    }
    impl<'de> serde::Deserialize<'de> for Status {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            string_enum(deserializer, &["in-progress", "done"])
        }
    }

    #[test]
    fn a_string_enum_reads_and_writes_its_wire_values_as_the_derive_did() {
        let status: Vec<Status> = serde_json::from_str(r#"["in-progress", "done"]"#).unwrap();
        assert_eq!(status, [Status::InProgress, Status::Done]);
        assert_eq!(
            serde_json::to_string(&status).unwrap(),
            r#"["in-progress","done"]"#
        );
        // An escaped string is read too (serde_json hands it over owned).
        let escaped: Status = serde_json::from_str(r#""in\u002dprogress""#).unwrap();
        assert_eq!(escaped, Status::InProgress);
        // serde's derive's messages.
        let unknown = serde_json::from_str::<Status>(r#""paused""#).unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "unknown variant `paused`, expected `in-progress` or `done` at line 1 column 8"
        );
        let number = serde_json::from_str::<Status>("3").unwrap_err();
        assert_eq!(
            number.to_string(),
            "invalid type: integer `3`, expected variant identifier at line 1 column 1"
        );
    }
}

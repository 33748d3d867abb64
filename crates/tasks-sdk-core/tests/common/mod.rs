//! A stand-in for a generated client, generic over the provider facts, shared by the
//! auth tests.
#![allow(dead_code)]

pub mod raw_server;

use std::marker::PhantomData;

use progenitor_client::{ByteStream, ResponseValue};
use tasks_sdk_core::{
    ClientBuilder, Error, GeneratedClient, Operation, Provider, RetryPolicy, Runtime,
};

/// The facts of one fake provider.
pub trait Spec: 'static {
    const PROVIDER: &'static Provider;
}

/// Declares a fake provider `$marker` whose environment variables are
/// `TASKS_SDK_CORE_AUTHTEST_<$n>_KEY`, `..._BASE_URL` and prefix
/// `TASKS_SDK_CORE_AUTHTEST_<$n>` (unique per test: tests run in parallel).
macro_rules! provider {
    ($marker:ident, $n:literal, $auth:expr, $ops:expr) => {
        provider!($marker, $n, $auth, $ops, "https://api.example.invalid/v1/");
    };
    ($marker:ident, $n:literal, $auth:expr, $ops:expr, $base:expr) => {
        #[derive(Debug, Clone)]
        struct $marker;
        impl crate::common::Spec for $marker {
            const PROVIDER: &'static tasks_sdk_core::Provider =
                &tasks_sdk_core::Provider::new(stringify!($marker), stringify!($marker))
                    .with_default_base_url($base)
                    .with_env(
                        concat!("TASKS_SDK_CORE_AUTHTEST_", $n, "_KEY"),
                        concat!("TASKS_SDK_CORE_AUTHTEST_", $n, "_BASE_URL"),
                        concat!("TASKS_SDK_CORE_AUTHTEST_", $n),
                    )
                    .with_auth($auth)
                    .with_operations($ops);
        }
    };
}

/// One operation, `get`, that needs a credential.
pub const PRIVATE: &[Operation] = &[Operation::new("get")];

/// `get` needs a credential, `public` does not.
pub const MIXED: &[Operation] = &[
    Operation::new("get"),
    Operation::new("public").with_requires_auth(false),
];

/// What a generated client keeps: base URL, HTTP client, runtime.
#[derive(Debug, Clone)]
pub struct Fake<S> {
    pub base_url: String,
    pub http: reqwest::Client,
    pub runtime: Runtime,
    _spec: PhantomData<fn() -> S>,
}

impl<S: Spec> GeneratedClient for Fake<S> {
    const PROVIDER: &'static Provider = S::PROVIDER;

    fn from_parts(base_url: &str, http: reqwest::Client, runtime: Runtime) -> Self {
        Fake {
            base_url: base_url.to_owned(),
            http,
            runtime,
            _spec: PhantomData,
        }
    }
}

/// A builder that never retries (no waits in tests).
pub fn builder<S: Spec>() -> ClientBuilder<Fake<S>> {
    ClientBuilder::new().retry_policy(RetryPolicy::disabled())
}

impl<S: Spec> Fake<S> {
    /// What a generated operation's `send()` does: build, run the pre hook (async),
    /// execute, and decode (an error status gives its body as progenitor's `ByteStream`,
    /// which has no `Debug`).
    pub async fn send(
        &self,
        url: &str,
        operation: &'static str,
    ) -> Result<ResponseValue<()>, progenitor_client::Error<ByteStream>> {
        let mut request = self.http.get(url).build()?;
        self.runtime
            .prepare(&mut request, operation)
            .await
            .map_err(progenitor_client::Error::InvalidRequest)?;
        let response = self.runtime.execute(&self.http, request, operation).await?;
        if response.status().is_success() {
            Ok(ResponseValue::empty(response))
        } else {
            Err(progenitor_client::Error::ErrorResponse(
                ResponseValue::stream(response),
            ))
        }
    }

    /// What a generated `call()` does, for `path` under the base URL.
    pub async fn call(&self, path: &str, operation: &'static str) -> Result<(), Error> {
        self.call_url(&format!("{}{path}", self.base_url), operation)
            .await
    }

    /// What a generated `call_with_response()` does, for `path` under the base URL.
    pub async fn call_with_response(
        &self,
        path: &str,
        operation: &'static str,
    ) -> Result<tasks_sdk_core::Response<()>, Error> {
        let url = format!("{}{path}", self.base_url);
        tasks_sdk_core::call_with_response(
            S::PROVIDER,
            entry::<S>(operation),
            self.send(&url, operation),
        )
        .await
    }

    /// What a generated `with_options(options)` does, for `path` under the base URL.
    pub fn with_options(
        &self,
        path: &str,
        operation: &'static str,
        options: tasks_sdk_core::RequestOptions,
    ) -> tasks_sdk_core::WithOptions<'_, ()> {
        let url = format!("{}{path}", self.base_url);
        tasks_sdk_core::WithOptions::new(S::PROVIDER, entry::<S>(operation), options, async move {
            self.send(&url, operation).await
        })
    }

    /// `call` for any URL.
    pub async fn call_url(&self, url: &str, operation: &'static str) -> Result<(), Error> {
        tasks_sdk_core::call(
            S::PROVIDER,
            entry::<S>(operation),
            self.send(url, operation),
        )
        .await
    }
}

/// The provider table's entry for `operation`, as generated code passes it; an
/// operation the table does not list gets what the runtime assumes of one (it requires
/// a credential, no ranges).
pub fn entry<S: Spec>(operation: &'static str) -> &'static tasks_sdk_core::Operation {
    S::PROVIDER
        .operation(operation)
        .unwrap_or_else(|| Box::leak(Box::new(tasks_sdk_core::Operation::new(operation))))
}

/// Asserts that `secret` appears nowhere in a request: no header value, not the URL.
pub fn assert_absent(request: &wiremock::Request, secret: &str) {
    assert!(
        !request.url.as_str().contains(secret),
        "{secret:?} in the URL {}",
        request.url
    );
    for (name, value) in request.headers.iter() {
        assert!(
            !String::from_utf8_lossy(value.as_bytes()).contains(secret),
            "{secret:?} in header {name}"
        );
    }
    assert!(
        !String::from_utf8_lossy(&request.body).contains(secret),
        "{secret:?} in the body"
    );
}

/// Leaks a string: a token URL that points at a mock server's dynamic port must be
/// `&'static str` like the generated ones.
pub fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

//! The TLS features: whichever backend is compiled in, building a client works (with
//! `rustls-ring` alone, reqwest's rustls has no provider of its own: the builder installs
//! ring), and without one, a client passed to `.http_client(..)` is used.

#[macro_use]
mod common;

use common::{Fake, PRIVATE};
use tasks_sdk_core::ClientBuilder;

provider!(Tls, "TLS_1", &[], PRIVATE, "https://api.example.invalid/v1");

#[test]
fn a_client_builds_with_the_compiled_in_tls_backend() {
    let client: Fake<Tls> = ClientBuilder::new().build().unwrap();
    assert_eq!(client.base_url, "https://api.example.invalid/v1");
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_some(),
        "ring installed as the process default"
    );
}

#[test]
fn a_configured_reqwest_client_is_used_as_given() {
    let http = reqwest::Client::builder().build().unwrap();
    let client: Fake<Tls> = ClientBuilder::new().http_client(http).build().unwrap();
    assert_eq!(client.runtime.base_url().scheme(), "https");
}

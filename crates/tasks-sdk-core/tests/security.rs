//! Per-operation security: each call sends what its operation's security requirements
//! ask for (an alternative whose schemes all have a credential, all of them at once),
//! `.credential(name, ..)` per scheme, and `MissingCredentials` naming what is needed.

#[allow(unused_macros)]
mod common;

use common::{Fake, Spec, assert_absent, builder};
use tasks_sdk_core::{AuthScheme, ClientBuilder, Error, Operation, Provider, SecurityScheme};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Three schemes: a bearer token for users, an API key for most operations, an admin
/// token for some; operations that need one, two at once, either, or none.
#[derive(Debug, Clone)]
struct Shop;

const SCHEMES: &[SecurityScheme] = &[
    SecurityScheme::new(
        "userToken",
        AuthScheme::Bearer,
        "SHOP_SECURITY_TEST_USER_TOKEN",
    ),
    SecurityScheme::new(
        "apiKey",
        AuthScheme::Header("x-api-key"),
        "SHOP_SECURITY_TEST_API_KEY",
    ),
    SecurityScheme::new(
        "adminToken",
        AuthScheme::Header("x-admin-token"),
        "SHOP_SECURITY_TEST_ADMIN_TOKEN",
    ),
];

impl Spec for Shop {
    const PROVIDER: &'static Provider = &Provider::new("shop", "Shop")
        .with_default_base_url("https://api.shop.invalid")
        .with_env(
            "SHOP_SECURITY_TEST_KEY_NEVER_SET",
            "SHOP_SECURITY_TEST_URL",
            "SHOP_SECURITY_TEST",
        )
        .with_auth(&[
            AuthScheme::Bearer,
            AuthScheme::Header("x-api-key"),
            AuthScheme::Header("x-admin-token"),
        ])
        .with_security_schemes(SCHEMES)
        .with_operations(&[
            Operation::new("me").with_security(&[&[0]]),
            Operation::new("items").with_security(&[&[1]]),
            Operation::new("purge").with_security(&[&[1, 2]]),
            Operation::new("either").with_security(&[&[0], &[1]]),
            Operation::new("maybe").with_security(&[&[1], &[]]),
            Operation::new("open")
                .with_security(&[])
                .with_requires_auth(false),
        ]);
}

async fn sent(
    client: &Fake<Shop>,
    server: &MockServer,
    operation: &'static str,
) -> Result<Request, Error> {
    let before = server.received_requests().await.unwrap().len();
    client.call("/x", operation).await?;
    let mut all = server.received_requests().await.unwrap();
    assert_eq!(all.len(), before + 1);
    Ok(all.remove(before))
}

fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).map(|v| v.to_str().unwrap())
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    server
}

fn client(
    server: &MockServer,
    with: impl FnOnce(ClientBuilder<Fake<Shop>>) -> ClientBuilder<Fake<Shop>>,
) -> Fake<Shop> {
    with(builder::<Shop>())
        .base_url(server.uri())
        .build()
        .unwrap()
}

#[tokio::test]
async fn each_operation_gets_the_credentials_its_requirement_names() {
    let server = server().await;
    let shop = client(&server, |b| {
        b.credential("userToken", "tok-user")
            .credential("apiKey", "key-1")
            .credential("adminToken", "adm-9")
    });
    let me = sent(&shop, &server, "me").await.unwrap();
    assert_eq!(header(&me, "authorization"), Some("Bearer tok-user"));
    assert_eq!(header(&me, "x-api-key"), None);
    let items = sent(&shop, &server, "items").await.unwrap();
    assert_eq!(header(&items, "x-api-key"), Some("key-1"));
    assert_eq!(header(&items, "authorization"), None);
    // Two schemes at once (AND).
    let purge = sent(&shop, &server, "purge").await.unwrap();
    assert_eq!(
        (header(&purge, "x-api-key"), header(&purge, "x-admin-token")),
        (Some("key-1"), Some("adm-9"))
    );
    assert_eq!(header(&purge, "authorization"), None);
    // Alternatives: the first one met.
    let either = sent(&shop, &server, "either").await.unwrap();
    assert_eq!(header(&either, "authorization"), Some("Bearer tok-user"));
    assert_eq!(header(&either, "x-api-key"), None);
    // Public: nothing.
    let open = sent(&shop, &server, "open").await.unwrap();
    for secret in ["tok-user", "key-1", "adm-9"] {
        assert_absent(&open, secret);
    }
}

#[tokio::test]
async fn alternatives_and_anonymous_are_chosen_by_what_is_set() {
    let server = server().await;
    let key_only = client(&server, |b| b.credential("apiKey", "key-1"));
    // `either`: the bearer alternative is not met, the API key one is.
    let either = sent(&key_only, &server, "either").await.unwrap();
    assert_eq!(
        (
            header(&either, "x-api-key"),
            header(&either, "authorization")
        ),
        (Some("key-1"), None)
    );
    // `maybe` allows anonymous calls, but a met requirement comes first.
    let maybe = sent(&key_only, &server, "maybe").await.unwrap();
    assert_eq!(header(&maybe, "x-api-key"), Some("key-1"));
    // One of two schemes of `purge` is not enough: nothing is sent.
    let err = key_only.call("/x", "purge").await.unwrap_err();
    let Error::MissingCredentials {
        env_var, ref help, ..
    } = err
    else {
        panic!("{err:?}");
    };
    assert_eq!(env_var, "SHOP_SECURITY_TEST_API_KEY");
    assert_eq!(
        help,
        "this operation needs SHOP_SECURITY_TEST_API_KEY (or .credential(\"apiKey\", ..)) and SHOP_SECURITY_TEST_ADMIN_TOKEN (or .credential(\"adminToken\", ..))"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    // Without any credential, `maybe` goes anonymous and `me` says what it needs.
    let none = client(&server, |b| b);
    let maybe = sent(&none, &server, "maybe").await.unwrap();
    assert_eq!(header(&maybe, "x-api-key"), None);
    let err = none.call("/x", "me").await.unwrap_err().to_string();
    assert!(
        err.contains("this operation needs SHOP_SECURITY_TEST_USER_TOKEN"),
        "{err}"
    );
    assert!(!err.contains("key-1"), "{err}");
}

#[tokio::test]
async fn the_clients_one_credential_stands_for_the_schemes_it_fits() {
    let server = server().await;
    // `.api_key(..)`: sent as the provider's first single-secret scheme, the bearer one.
    let shop = client(&server, |b| b.api_key("tok-legacy"));
    let me = sent(&shop, &server, "me").await.unwrap();
    assert_eq!(header(&me, "authorization"), Some("Bearer tok-legacy"));
    // It does not travel as a scheme it does not fit.
    assert!(matches!(
        shop.call("/x", "items").await.unwrap_err(),
        Error::MissingCredentials { .. }
    ));
}

#[test]
fn an_undeclared_scheme_name_is_an_invalid_argument_and_debug_hides_secrets() {
    let builder = builder::<Shop>().credential("apikey", "key-1");
    assert!(!format!("{builder:?}").contains("key-1"));
    let err = builder.base_url("http://127.0.0.1:9").build().unwrap_err();
    let Error::InvalidArgument { name, reason } = err else {
        panic!("{err:?}");
    };
    assert_eq!(name, "credential");
    assert_eq!(
        reason,
        "`apikey` is not a security scheme of Shop: one of userToken, apiKey, adminToken"
    );
}

/// The same API, whose admin token variable only the next test sets.
#[derive(Debug, Clone)]
struct EnvShop;

impl Spec for EnvShop {
    const PROVIDER: &'static Provider = &Provider::new("envshop", "EnvShop")
        .with_env(
            "ENVSHOP_SECURITY_TEST_KEY_NEVER_SET",
            "ENVSHOP_SECURITY_TEST_URL",
            "ENVSHOP_SECURITY_TEST",
        )
        .with_auth(&[
            AuthScheme::Header("x-api-key"),
            AuthScheme::Header("x-admin-token"),
        ])
        .with_security_schemes(&[
            SecurityScheme::new(
                "apiKey",
                AuthScheme::Header("x-api-key"),
                "ENVSHOP_SECURITY_TEST_NEVER_SET",
            ),
            SecurityScheme::new(
                "adminToken",
                AuthScheme::Header("x-admin-token"),
                "ENVSHOP_SECURITY_TEST_ADMIN_TOKEN",
            ),
        ])
        .with_operations(&[Operation::new("purge").with_security(&[&[0, 1]])]);
}

#[tokio::test]
async fn each_scheme_reads_its_own_environment_variable() {
    // SAFETY: no other test of this binary reads this variable.
    unsafe { std::env::set_var("ENVSHOP_SECURITY_TEST_ADMIN_TOKEN", "adm-env") };
    let server = server().await;
    let shop: Fake<EnvShop> = builder::<EnvShop>()
        .credential("apiKey", "key-1")
        .base_url(server.uri())
        .build()
        .unwrap();
    shop.call("/x", "purge").await.unwrap();
    let purge = server.received_requests().await.unwrap().remove(0);
    assert_eq!(header(&purge, "x-admin-token"), Some("adm-env"));
    assert_eq!(header(&purge, "x-api-key"), Some("key-1"));
    unsafe { std::env::remove_var("ENVSHOP_SECURITY_TEST_ADMIN_TOKEN") };
}

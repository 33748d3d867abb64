//! Property test of response decoding: whatever bytes a provider sends, decoding every
//! provider's page and error types (generated structs and forward-compatible enums)
//! returns `Ok` or `Err`, never panics. The providers and their types come from
//! `tasks_sdk::for_each_provider!`.
//!
//! Inputs: arbitrary JSON documents (with the keys and values of the specs); valid pages
//! and error bodies of each provider (built by regen from its spec,
//! `tasks_sdk_testkit::LIST_EXAMPLES`) with one value replaced by arbitrary JSON at a
//! random place; and arbitrary bytes. CI runs the
//! default number of cases; the long run is
//! `PROPTEST_CASES=1000000 cargo test --release -p tasks-sdk --test fuzz_decode`
//! (numbers in TESTING.md).

use std::future::Future;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tasks_sdk_testkit::LIST_EXAMPLES;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000)
}

fn try_decode<T: DeserializeOwned>(bytes: &[u8]) {
    let _ = serde_json::from_slice::<T>(bytes);
}

/// The decoders of a list operation's success and error bodies, named by the type of
/// its `send()` future (never awaited).
fn page_and_error<T, E, F>(_send: impl FnOnce() -> F) -> [fn(&[u8]); 2]
where
    T: DeserializeOwned,
    E: DeserializeOwned,
    F: Future<Output = Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<E>>>,
{
    [try_decode::<T>, try_decode::<E>]
}

/// Every provider's page and error types and its forward-compatible enums
/// (`tasks_sdk::for_each_provider!`), and the values those enums know.
struct Types {
    decoders: Vec<fn(&[u8])>,
    enum_values: Vec<String>,
}

fn types() -> &'static Types {
    static TYPES: OnceLock<Types> = OnceLock::new();
    TYPES.get_or_init(|| {
        let mut decoders: Vec<fn(&[u8])> = Vec::new();
        let mut enum_values = Vec::new();
        macro_rules! provider {
            ($provider:ident, $list:ident, [$($enum:ident),*]) => {{
                let client: tasks_sdk::$provider::Client = tasks_sdk::core::ClientBuilder::new()
                    .api_key("k")
                    .base_url("http://127.0.0.1:9")
                    .build()
                    .unwrap();
                decoders.extend(page_and_error(|| client.$list().send()));
                $(
                    decoders.push(try_decode::<tasks_sdk::$provider::types::$enum>);
                    enum_values.extend(
                        tasks_sdk::$provider::types::$enum::KNOWN.iter().map(|v| v.as_str().to_owned()),
                    );
                )*
            }};
        }
        tasks_sdk::for_each_provider!(provider);
        Types {
            decoders,
            enum_values,
        }
    })
}

/// Decodes `bytes` as every type a provider's response may carry.
fn decode_everything(bytes: &[u8]) {
    for decode in &types().decoders {
        decode(bytes);
    }
}

/// The valid bodies regen built from the specs: every provider's page and error body.
fn valid_pages() -> Vec<Value> {
    LIST_EXAMPLES
        .iter()
        .flat_map(|e| [Some(e.body), e.error_body])
        .flatten()
        .map(|text| serde_json::from_str(text).unwrap())
        .collect()
}

/// Every object key and string of `value`.
fn words(value: &Value, keys: &mut Vec<String>, strings: &mut Vec<String>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| {
            keys.push(k.clone());
            words(v, keys, strings);
        }),
        Value::Array(items) => items.iter().for_each(|v| words(v, keys, strings)),
        Value::String(s) => strings.push(s.clone()),
        _ => {}
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    // The names and values the specs use: the valid bodies' keys and strings, and every
    // enum member; plus dates, ids and a non-date.
    let (mut keys, mut strings) = (vec!["x".to_owned()], Vec::new());
    for page in valid_pages() {
        words(&page, &mut keys, &mut strings);
    }
    strings.extend(types().enum_values.iter().cloned());
    strings.extend(
        [
            "2025-01-15T10:30:00Z",
            "c3d4e5f6-7890-12ab-cdef-345678901bcd",
            "not-a-date",
        ]
        .map(str::to_owned),
    );
    keys.sort();
    keys.dedup();
    strings.sort();
    strings.dedup();
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(strings).prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(keys.clone()), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Every path into `value` (object keys and array indexes), to pick one to replace.
fn paths(value: &Value, prefix: &str, out: &mut Vec<String>) {
    out.push(prefix.to_owned());
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| paths(v, &format!("{prefix}/{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| paths(v, &format!("{prefix}/{i}"), out)),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(value in any_json()) {
        decode_everything(value.to_string().as_bytes());
    }

    #[test]
    fn mutated_valid_pages_never_panic(which in any::<prop::sample::Index>(), pick in any::<prop::sample::Index>(), replacement in any_json(), truncate in any::<Option<prop::sample::Index>>()) {
        let mut pages = valid_pages();
        let mut page = pages.swap_remove(which.index(pages.len()));
        let mut all = Vec::new();
        paths(&page, "", &mut all);
        let path = pick.get(&all).clone();
        if path.is_empty() {
            page = replacement;
        } else if let Some(slot) = page.pointer_mut(&path) {
            *slot = replacement;
        }
        let mut bytes = page.to_string().into_bytes();
        if let Some(cut) = truncate {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        decode_everything(&bytes);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        decode_everything(&bytes);
    }
}

//! Decoding alone, for callgrind: `decode_counts PROVIDER N` decodes that provider's
//! 1 MB page (the bench's `decode_1mb` input) N times into the generated list type;
//! `decode_counts floats N` decodes a 1 MB array of doubles of 17 significant digits N
//! times into `Vec<f64>`. Run under `valgrind --tool=callgrind` with two values of N, so
//! that start-up cancels out: the difference over the extra decodes is the instructions
//! of one decode, a measure the shared machine's load does not move. BENCHMARKS.md
//! ("Doubles read exactly") compares builds with and without serde_json's
//! `float_roundtrip` this way.

use std::hint::black_box;

use tasks_sdk_bench::{decoder, example_page_of_size};

/// Decodes a page into a list operation's type, the result dropped after use.
type Decode = Box<dyn Fn(&[u8])>;

/// About 1 MB of `[0.1234567890123456, ...]`: doubles that need every digit.
fn floats() -> Vec<u8> {
    let values: Vec<f64> = (1..=56_000u32)
        .map(|i| f64::from(i) / 7.0 + 1e-9 * f64::from(i % 97))
        .collect();
    serde_json::to_vec(&values).expect("doubles serialize")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [what, n] = args.as_slice() else {
        eprintln!("usage: decode_counts PROVIDER|floats N");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("a count");
    if what == "floats" {
        let bytes = floats();
        for _ in 0..n {
            black_box(serde_json::from_slice::<Vec<f64>>(black_box(&bytes)).expect("doubles"));
        }
        return;
    }
    let mut decode: Option<(Decode, Vec<u8>)> = None;
    macro_rules! provider {
        ($provider:ident, $list:ident, $enums:tt) => {{
            if what == stringify!($provider) {
                let client: tasks_sdk::$provider::Client = tasks_sdk::core::ClientBuilder::new()
                    .api_key("sk_bench")
                    .base_url("http://127.0.0.1:9")
                    .build()
                    .expect("the client builds");
                let typed = decoder(|| client.$list().send());
                let typed: Decode = Box::new(move |bytes| {
                    black_box(typed(bytes));
                });
                decode = Some((typed, example_page_of_size(what, 1024 * 1024)));
            }
        }};
    }
    tasks_sdk::for_each_provider!(provider);
    let Some((typed, bytes)) = decode else {
        eprintln!("decode_counts: no provider {what:?}");
        std::process::exit(2);
    };
    for _ in 0..n {
        typed(black_box(&bytes));
    }
}

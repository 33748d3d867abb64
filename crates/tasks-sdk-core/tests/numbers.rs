//! Numbers decode to the value the server wrote.

/// A double is decoded to the nearest `f64` (serde_json's `float_roundtrip`): the same
/// value Rust's own correctly rounded parser gives, last bit included, for decimals with
/// 17 significant digits (where the default parser may be one unit in the last place
/// off).
#[test]
fn doubles_round_trip_to_the_last_bit() {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20_000 {
        let mantissa = next() % 100_000_000_000_000_000;
        let exponent = (next() % 80) as i32 - 40;
        let text = format!("{mantissa}e{exponent}");
        let exact: f64 = text.parse().unwrap();
        let decoded: f64 = serde_json::from_str(&text).unwrap();
        assert_eq!(decoded.to_bits(), exact.to_bits(), "{text}");
        // Inside a document, as a generated type reads it.
        let field: serde_json::Value = serde_json::from_str(&format!("{{\"x\": {text}}}")).unwrap();
        assert_eq!(
            field["x"].as_f64().unwrap().to_bits(),
            exact.to_bits(),
            "{text}"
        );
    }
}

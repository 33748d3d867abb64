//! The styles: RFC 6570 expansion (RFC 6570 §3.2 and its Appendix A algorithm) for
//! `simple`, `label`, `matrix` and `form`; the query styles RFC 6570 has no operator for
//! (`spaceDelimited`, `pipeDelimited`, `deepObject`); and percent-encoding.

use super::value::Value;

/// Which characters of a name or value are sent as they are; every other byte of their
/// UTF-8 is sent as `%XX` (upper-case hex).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    /// RFC 3986 unreserved only: `A-Z a-z 0-9 - . _ ~` (RFC 6570 simple expansion).
    Unreserved,
    /// Unreserved, the RFC 3986 reserved set but `#` and `'`, and percent-encoded
    /// triples (`%2F`) as they are (RFC 6570 reserved expansion, `allowReserved`). `#`
    /// would end the query, and `'` the URL parser under reqwest encodes in an http(s)
    /// query whatever we send (WHATWG URL's special-query percent-encode set): sending
    /// `%27` ourselves keeps what this module returns the bytes the server receives.
    Reserved,
    /// Nothing encoded: header values.
    None,
}

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// RFC 3986 `gen-delims` and `sub-delims`, less `#` and `'` (see [`Encoding::Reserved`]).
fn is_kept_reserved(b: u8) -> bool {
    matches!(
        b,
        b':' | b'/'
            | b'?'
            | b'['
            | b']'
            | b'@'
            | b'!'
            | b'$'
            | b'&'
            | b'('
            | b')'
            | b'*'
            | b'+'
            | b','
            | b';'
            | b'='
    )
}

/// Appends `text` to `out`, percent-encoded as `encoding` says.
pub(crate) fn encode(out: &mut String, text: &str, encoding: Encoding) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if encoding == Encoding::None {
        out.push_str(text);
        return;
    }
    let reserved = encoding == Encoding::Reserved;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if is_unreserved(b) || (reserved && is_kept_reserved(b)) {
            out.push(char::from(b));
        } else if reserved
            && b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        {
            out.push_str(&text[i..i + 3]);
            i += 3;
            continue;
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
        i += 1;
    }
}

/// A value that RFC 6570 does not call undefined (§2.3): a primitive, or an array or
/// object with at least one member that is not null, its null members left out.
pub(crate) enum Defined<'v> {
    Primitive(&'v Value),
    Array(Vec<&'v Value>),
    Object(Vec<(&'v str, &'v Value)>),
}

/// `None` for null, and for arrays and objects with no member but nulls.
pub(crate) fn defined(value: &Value) -> Option<Defined<'_>> {
    match value {
        Value::Null => None,
        Value::Array(items) => {
            let items: Vec<&Value> = items.iter().filter(|v| **v != Value::Null).collect();
            (!items.is_empty()).then_some(Defined::Array(items))
        }
        Value::Object(members) => {
            let members: Vec<(&str, &Value)> = members
                .iter()
                .filter(|(_, v)| *v != Value::Null)
                .map(|(k, v)| (k.as_str(), v))
                .collect();
            (!members.is_empty()).then_some(Defined::Object(members))
        }
        _ => Some(Defined::Primitive(value)),
    }
}

/// An RFC 6570 operator: the columns of its Appendix A table, and how keys and values
/// are encoded.
pub(crate) struct Operator {
    /// What comes before the expansion.
    first: &'static str,
    /// Between the members of an exploded array or object.
    sep: &'static str,
    /// Whether the name is sent (`name=value`).
    named: bool,
    /// After a name whose value is empty.
    if_empty: &'static str,
    /// The keys of an exploded object, and the name.
    keys: Encoding,
    /// Values, and the keys of an object that is not exploded (part of the value).
    values: Encoding,
}

/// `{name}`: path `simple`.
pub(crate) const SIMPLE: Operator = Operator {
    first: "",
    sep: ",",
    named: false,
    if_empty: "",
    keys: Encoding::Unreserved,
    values: Encoding::Unreserved,
};

/// `{name}` without percent-encoding: header `simple` (OpenAPI: "URI percent-encoding
/// MUST NOT be applied" to headers).
pub(crate) const HEADER: Operator = Operator {
    keys: Encoding::None,
    values: Encoding::None,
    ..SIMPLE
};

/// `{.name}`: path `label`.
pub(crate) const LABEL: Operator = Operator {
    first: ".",
    sep: ".",
    ..SIMPLE
};

/// `{;name}`: path `matrix`.
pub(crate) const MATRIX: Operator = Operator {
    first: ";",
    sep: ";",
    named: true,
    ..SIMPLE
};

/// `{?name}` without its `?` (the caller joins the query's pairs): query `form`.
pub(crate) const fn form(values: Encoding) -> Operator {
    Operator {
        first: "",
        sep: "&",
        named: true,
        if_empty: "=",
        keys: Encoding::Unreserved,
        values,
    }
}

/// Cookie `form`: as query `form`, but the pairs of an exploded value are separated as
/// a `Cookie` header separates cookies (`; `), never by `&`.
pub(crate) const COOKIE: Operator = Operator {
    sep: "; ",
    ..form(Encoding::Unreserved)
};

/// RFC 6570 Appendix A: appends the expansion of `name` = `value` under `op`. An array
/// or object member that is itself an array or object (which RFC 6570 does not define)
/// is sent as its JSON text.
pub(crate) fn expand(out: &mut String, op: &Operator, name: &str, value: &Defined, explode: bool) {
    out.push_str(op.first);
    match value {
        Defined::Primitive(v) => {
            let text = v.text();
            if op.named {
                encode(out, name, op.keys);
                out.push_str(if text.is_empty() { op.if_empty } else { "=" });
            }
            encode(out, &text, op.values);
        }
        Defined::Array(items) if !explode => {
            if op.named {
                encode(out, name, op.keys);
                out.push('=');
            }
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode(out, &item.text(), op.values);
            }
        }
        Defined::Object(members) if !explode => {
            if op.named {
                encode(out, name, op.keys);
                out.push('=');
            }
            for (i, (key, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                encode(out, key, op.values);
                out.push(',');
                encode(out, &v.text(), op.values);
            }
        }
        Defined::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(op.sep);
                }
                let text = item.text();
                if op.named {
                    encode(out, name, op.keys);
                    out.push_str(if text.is_empty() { op.if_empty } else { "=" });
                }
                encode(out, &text, op.values);
            }
        }
        Defined::Object(members) => {
            for (i, (key, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(op.sep);
                }
                let text = v.text();
                encode(out, key, op.keys);
                out.push_str(if op.named && text.is_empty() {
                    op.if_empty
                } else {
                    "="
                });
                encode(out, &text, op.values);
            }
        }
    }
}

/// `spaceDelimited` and `pipeDelimited` without `explode`: `name=` and the array's
/// members, or the object's keys and values, joined by `delimiter` (already encoded:
/// `%20`, `%7C`). A primitive is sent as an array of one (`name=value`).
pub(crate) fn delimited(
    out: &mut String,
    delimiter: &str,
    name: &str,
    value: &Defined,
    values: Encoding,
) {
    encode(out, name, Encoding::Unreserved);
    out.push('=');
    match value {
        Defined::Primitive(v) => encode(out, &v.text(), values),
        Defined::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(delimiter);
                }
                encode(out, &item.text(), values);
            }
        }
        Defined::Object(members) => {
            for (i, (key, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push_str(delimiter);
                }
                encode(out, key, values);
                out.push_str(delimiter);
                encode(out, &v.text(), values);
            }
        }
    }
}

/// `deepObject`: one `name[key]=value` pair per primitive member, the brackets sent as
/// `%5B` and `%5D`; nested objects add a bracket per level (`filter[a][b]=1`), arrays
/// their index (`filter[ids][0]=1`); null members, empty arrays and empty objects
/// send nothing. A primitive is sent as `name=value`.
pub(crate) fn deep_object(out: &mut String, name: &str, value: &Value, values: Encoding) {
    let mut prefix = String::new();
    encode(&mut prefix, name, Encoding::Unreserved);
    let start = out.len();
    deep(out, start, &mut prefix, value, values);
}

/// Appends the pairs of `value` under `prefix` (the encoded `name[a][b]` so far); `&`
/// before each but the first pair written after `start`.
fn deep(out: &mut String, start: usize, prefix: &mut String, value: &Value, values: Encoding) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                deep_member(out, start, prefix, &i.to_string(), item, values);
            }
        }
        Value::Object(members) => {
            for (key, item) in members {
                deep_member(out, start, prefix, key, item, values);
            }
        }
        Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            if out.len() > start {
                out.push('&');
            }
            out.push_str(prefix);
            out.push('=');
            encode(out, &value.text(), values);
        }
    }
}

fn deep_member(
    out: &mut String,
    start: usize,
    prefix: &mut String,
    key: &str,
    value: &Value,
    values: Encoding,
) {
    let len = prefix.len();
    prefix.push_str("%5B");
    encode(prefix, key, Encoding::Unreserved);
    prefix.push_str("%5D");
    deep(out, start, prefix, value, values);
    prefix.truncate(len);
}

#[cfg(test)]
mod tests {
    use super::{Encoding, encode};

    fn encoded(text: &str, encoding: Encoding) -> String {
        let mut out = String::new();
        encode(&mut out, text, encoding);
        out
    }

    #[test]
    fn unreserved_encoding_keeps_only_rfc3986_unreserved() {
        let unreserved = "ABCXYZabcxyz0189-._~";
        assert_eq!(encoded(unreserved, Encoding::Unreserved), unreserved);
        // Every other ASCII byte, reserved ones included, as %XX.
        for b in 0u8..0x80 {
            let c = char::from(b);
            if unreserved.contains(c) || b.is_ascii_alphanumeric() {
                continue;
            }
            assert_eq!(
                encoded(&c.to_string(), Encoding::Unreserved),
                format!("%{b:02X}"),
                "{c:?}"
            );
        }
        assert_eq!(
            encoded("é€𝄞", Encoding::Unreserved),
            "%C3%A9%E2%82%AC%F0%9D%84%9E"
        );
        assert_eq!(encoded("%2F", Encoding::Unreserved), "%252F");
    }

    #[test]
    fn reserved_encoding_keeps_the_reserved_set_and_percent_triples() {
        assert_eq!(
            encoded(":/?[]@!$&()*+,;=", Encoding::Reserved),
            ":/?[]@!$&()*+,;="
        );
        // `#` would end the query; `'` the URL parser would encode.
        assert_eq!(encoded("#'", Encoding::Reserved), "%23%27");
        assert_eq!(encoded("%2F%2f", Encoding::Reserved), "%2F%2f");
        assert_eq!(
            encoded("100% %zz %4", Encoding::Reserved),
            "100%25%20%25zz%20%254"
        );
        assert_eq!(
            encoded(" \"<>\\^`{|}é", Encoding::Reserved),
            "%20%22%3C%3E%5C%5E%60%7B%7C%7D%C3%A9"
        );
    }
}

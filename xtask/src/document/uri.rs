//! URI references as JSON Schema 2020-12 (OpenAPI 3.1) reads `$id` and `$ref`: resolved
//! against a base URI by RFC 3986 §5.2 (no scheme-specific normalization: the suite's
//! `urn:` and `file:` identifiers stay as written), and split at the fragment.

/// The five parts of a URI reference (RFC 3986 §3): `scheme:` `//authority` `path`
/// `?query` `#fragment`.
#[derive(Debug, Default, PartialEq, Eq)]
struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<&'a str>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn parts(reference: &str) -> Parts<'_> {
    let (rest, fragment) = match reference.split_once('#') {
        Some((rest, fragment)) => (rest, Some(fragment)),
        None => (reference, None),
    };
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest, Some(query)),
        None => (rest, None),
    };
    // A scheme is letters, digits, `+`, `-`, `.` before the first `:`, starting with a
    // letter, and before any `/`.
    let scheme_end = rest.find(':').filter(|&end| {
        let scheme = &rest[..end];
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    let (scheme, rest) = match scheme_end {
        Some(end) => (Some(&rest[..end]), &rest[end + 1..]),
        None => (None, rest),
    };
    let (authority, path) = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find('/').unwrap_or(after.len());
            (Some(&after[..end]), &after[end..])
        }
        None => (None, rest),
    };
    Parts {
        scheme,
        authority,
        path,
        query,
        fragment,
    }
}

fn compose(p: &Parts<'_>, path: &str) -> String {
    let mut out = String::new();
    if let Some(scheme) = p.scheme {
        out.push_str(scheme);
        out.push(':');
    }
    if let Some(authority) = p.authority {
        out.push_str("//");
        out.push_str(authority);
    }
    out.push_str(path);
    if let Some(query) = p.query {
        out.push('?');
        out.push_str(query);
    }
    if let Some(fragment) = p.fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// RFC 3986 §5.2.4.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path.to_owned();
    let mut output = String::new();
    while !input.is_empty() {
        if let Some(rest) = input.strip_prefix("../") {
            input = rest.to_owned();
        } else if let Some(rest) = input.strip_prefix("./") {
            input = rest.to_owned();
        } else if input.starts_with("/./") {
            input = input[2..].to_owned();
        } else if input == "/." {
            input = "/".into();
        } else if input.starts_with("/../") || input == "/.." {
            input = if input == "/.." {
                "/".into()
            } else {
                input[3..].to_owned()
            };
            match output.rfind('/') {
                Some(i) => output.truncate(i),
                None => output.clear(),
            }
        } else if input == "." || input == ".." {
            input.clear();
        } else {
            let start = usize::from(input.starts_with('/'));
            let end = input[start..].find('/').map_or(input.len(), |i| i + start);
            output.push_str(&input[..end]);
            input = input[end..].to_owned();
        }
    }
    output
}

/// `reference` resolved against `base` (RFC 3986 §5.2.2); a base without a scheme (the
/// document's own, unknown) resolves as if it were one.
pub fn resolve(base: &str, reference: &str) -> String {
    let r = parts(reference);
    let b = parts(base);
    if r.scheme.is_some() {
        let path = remove_dot_segments(r.path);
        return compose(&r, &path);
    }
    let mut t = Parts {
        scheme: b.scheme,
        fragment: r.fragment,
        ..Parts::default()
    };
    let path;
    if r.authority.is_some() {
        t.authority = r.authority;
        t.query = r.query;
        path = remove_dot_segments(r.path);
    } else {
        t.authority = b.authority;
        if r.path.is_empty() {
            path = b.path.to_owned();
            t.query = r.query.or(b.query);
        } else {
            t.query = r.query;
            path = if r.path.starts_with('/') {
                remove_dot_segments(r.path)
            } else {
                // §5.2.3 merge.
                let merged = if b.authority.is_some() && b.path.is_empty() {
                    format!("/{}", r.path)
                } else {
                    match b.path.rfind('/') {
                        Some(i) => format!("{}{}", &b.path[..=i], r.path),
                        None => r.path.to_owned(),
                    }
                };
                remove_dot_segments(&merged)
            };
        }
    }
    compose(&t, &path)
}

/// `uri` without its fragment, and the fragment (`""` for a bare `#`), percent-decoded.
pub fn split_fragment(uri: &str) -> (&str, Option<String>) {
    match uri.split_once('#') {
        Some((resource, fragment)) => (
            resource,
            Some(super::percent_decode(fragment).unwrap_or_else(|| fragment.to_owned())),
        ),
        None => (uri, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_as_rfc_3986_says() {
        // RFC 3986 §5.4.1 and §5.4.2, on its base.
        let base = "http://a/b/c/d;p?q";
        for (reference, expected) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("g?y", "http://a/b/c/g?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("g#s", "http://a/b/c/g#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../g", "http://a/b/g"),
            ("../..", "http://a/"),
            ("../../../g", "http://a/g"),
            ("/./g", "http://a/g"),
            ("g/../h", "http://a/b/c/h"),
            ("http:g", "http:g"),
        ] {
            assert_eq!(resolve(base, reference), expected, "{reference}");
        }
        assert_eq!(
            resolve(
                "urn:uuid:deadbeef-1234-ffff-ffff-4321feebdaed",
                "#/$defs/bar"
            ),
            "urn:uuid:deadbeef-1234-ffff-ffff-4321feebdaed#/$defs/bar"
        );
        assert_eq!(
            resolve(
                "http://localhost:1234/draft2020-12/",
                "baseUriChange/folderInteger.json"
            ),
            "http://localhost:1234/draft2020-12/baseUriChange/folderInteger.json"
        );
        assert_eq!(
            split_fragment("http://x/y.json#/$defs/a%25b"),
            ("http://x/y.json", Some("/$defs/a%b".to_owned()))
        );
    }
}

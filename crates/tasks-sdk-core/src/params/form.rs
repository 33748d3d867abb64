//! `application/x-www-form-urlencoded` bodies, as the document's `encoding` object says.

use serde::Serialize;

use super::value::Value;
use super::{Location, ParamError, QueryParam, QueryStyle, tree};

/// The `application/x-www-form-urlencoded` text of `body` (an object): each property a
/// `name=value` pair serialized like a query parameter (RFC 6570, percent-encoded,
/// spaces as `%20`), by the `encoding` the document gives it, else by default:
///
/// | property | sent as | example |
/// |---|---|---|
/// | primitive | `form` | `name=Ann%20Lee` |
/// | array | `form`, exploded: one pair per item | `tags=a&tags=b` |
/// | object | `deepObject` keys | `meta%5Bsource%5D=web` (`meta[source]=web`) |
/// | any, with `encoding.contentType: application/json` ([`QueryParam::json`]) | its JSON text | `meta=%7B%22source%22%3A%22web%22%7D` |
///
/// `encoding` holds the properties the document's `encoding` object names, each with
/// its `style`, `explode`, `allowReserved` or JSON `contentType`. A property whose
/// value is undefined (`None`, `[]`, `{}`) is left out. The error names the property.
///
/// ```
/// use tasks_sdk_core::params::{QueryParam, QueryStyle, form_body};
///
/// #[derive(serde::Serialize)]
/// struct Invite {
///     email: String,
///     roles: Vec<String>,
///     labels: Vec<String>,
/// }
/// let body = Invite {
///     email: "a+b@example.com".into(),
///     roles: vec!["admin".into(), "billing".into()],
///     labels: vec!["x".into(), "y".into()],
/// };
/// let encoding = [QueryParam::new("labels", QueryStyle::Form).with_explode(false)];
/// assert_eq!(
///     form_body(&body, &encoding).unwrap(),
///     "email=a%2Bb%40example.com&roles=admin&roles=billing&labels=x,y"
/// );
/// ```
pub fn form_body<T: Serialize + ?Sized>(
    body: &T,
    encoding: &[QueryParam<'_>],
) -> Result<String, ParamError> {
    let members = match tree("body", Location::Query, body)? {
        Value::Object(members) => members,
        Value::Null => return Ok(String::new()),
        _ => {
            return Err(ParamError::new(
                "body",
                Location::Query,
                "a form body must be an object: name=value pairs",
            ));
        }
    };
    let mut out = String::new();
    for (name, value) in members {
        let param = match encoding.iter().find(|p| p.name == name) {
            Some(given) => *given,
            None if matches!(value, Value::Object(_)) => {
                QueryParam::new(&name, QueryStyle::DeepObject)
            }
            None => QueryParam::new(&name, QueryStyle::Form),
        };
        let param = QueryParam {
            name: &name,
            ..param
        };
        let mark = out.len();
        if !out.is_empty() {
            out.push('&');
        }
        if !param.write_tree(&mut out, value)? {
            out.truncate(mark);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn properties_follow_their_encoding_or_the_defaults() {
        // A struct, as generated code passes: its members keep their order.
        #[derive(Serialize)]
        struct Body {
            name: &'static str,
            tags: Vec<&'static str>,
            meta: serde_json::Value,
            json: serde_json::Value,
            none: Option<u8>,
            empty: Vec<u8>,
            pipes: Vec<&'static str>,
        }
        let body = Body {
            name: "Ann Lee",
            tags: vec!["a", "b&c"],
            meta: json!({"depth": {"n": 1}}),
            json: json!({"k": [1, 2]}),
            none: None,
            empty: Vec::new(),
            pipes: vec!["x", "y"],
        };
        let encoding = [
            QueryParam::json("json"),
            QueryParam::new("pipes", QueryStyle::PipeDelimited),
        ];
        assert_eq!(
            form_body(&body, &encoding).unwrap(),
            "name=Ann%20Lee&tags=a&tags=b%26c&meta%5Bdepth%5D%5Bn%5D=1\
             &json=%7B%22k%22%3A%5B1%2C2%5D%7D&pipes=x%7Cy"
        );
    }

    #[test]
    fn a_body_that_is_not_an_object_is_refused_and_nothing_is_empty() {
        let err = form_body(&json!(["a"]), &[]).unwrap_err();
        assert_eq!(err.name(), "body");
        assert!(err.to_string().contains("must be an object"), "{err}");
        assert_eq!(form_body(&json!(null), &[]).unwrap(), "");
        assert_eq!(form_body(&json!({"a": null}), &[]).unwrap(), "");
    }
}

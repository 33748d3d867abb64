//! Request parameters serialized as the OpenAPI document says: `style`, `explode`,
//! `allowReserved` and `content`, for path, query, header and cookie parameters
//! (OpenAPI 3.0.4 / 3.1.1 / 3.2.0, "Style Values" and "Style Examples").
//!
//! A generated `send()` describes each parameter with a [`PathParam`], [`QueryParam`],
//! [`HeaderParam`] or [`CookieParam`] (written by the generator from the document; their
//! constructors are `const`) and hands it the value, any `serde::Serialize` type. What
//! comes back is what the request needs, already encoded:
//!
//! | Location | Call | Returns |
//! |---|---|---|
//! | path | [`PathParam::serialize_segment`] (the parameter is a whole segment, `/tasks/{id}`), [`PathParam::serialize`] (part of one, `/files/{name}.json`) | the text to put in place of `{name}` |
//! | query | [`QueryString::push`] (or [`QueryParam::serialize`]) | `name=value` pairs joined by `&`, for [`QueryString::append_to`] a URL string or [`QueryString::apply_to`] a `Url` |
//! | header | [`HeaderParam::serialize`] | a [`HeaderValue`] |
//! | cookie | [`Cookies::push`] (or [`CookieParam::serialize`]) | `name=value` pieces joined by `; `, for [`Cookies::header_value`] |
//!
//! A value serde writes as `null` (`None`, `()`), an empty array, an empty object, or an
//! array or object of nulls only is what RFC 6570 calls undefined: the query, header or
//! cookie parameter is left out (`Ok(None)`), and a path parameter expands to nothing
//! (which [`PathParam::serialize_segment`] refuses).
//!
//! Nothing downstream encodes these pieces again: reqwest's URL parser (WHATWG URL)
//! leaves `%XX` and every character these functions send as they are, so the server
//! receives these bytes (`tests/params.rs` checks it on a local server).
//!
//! # What is sent
//!
//! For a parameter named `color` (the specification's example), with the value `""`,
//! `"blue"`, `["blue","black","brown"]` and `{"R":100,"G":200,"B":150}`:
//!
//! | `in` | `style` | `explode` | `""` | `"blue"` | array | object |
//! |---|---|---|---|---|---|---|
//! | path | `matrix` | false | `;color` | `;color=blue` | `;color=blue,black,brown` | `;color=R,100,G,200,B,150` |
//! | path | `matrix` | true | `;color` | `;color=blue` | `;color=blue;color=black;color=brown` | `;R=100;G=200;B=150` |
//! | path | `label` | false | `.` | `.blue` | `.blue,black,brown` | `.R,100,G,200,B,150` |
//! | path | `label` | true | `.` | `.blue` | `.blue.black.brown` | `.R=100.G=200.B=150` |
//! | path | `simple` | false | (nothing) | `blue` | `blue,black,brown` | `R,100,G,200,B,150` |
//! | path | `simple` | true | (nothing) | `blue` | `blue,black,brown` | `R=100,G=200,B=150` |
//! | query | `form` | false | `color=` | `color=blue` | `color=blue,black,brown` | `color=R,100,G,200,B,150` |
//! | query | `form` | true | `color=` | `color=blue` | `color=blue&color=black&color=brown` | `R=100&G=200&B=150` |
//! | query | `spaceDelimited` | false | `color=`¹ | `color=blue`¹ | `color=blue%20black%20brown` | `color=R%20100%20G%20200%20B%20150` |
//! | query | `spaceDelimited` | true | as `form` true¹ | | | |
//! | query | `pipeDelimited` | false | `color=`¹ | `color=blue`¹ | `color=blue%7Cblack%7Cbrown` | `color=R%7C100%7CG%7C200%7CB%7C150` |
//! | query | `pipeDelimited` | true | as `form` true¹ | | | |
//! | query | `deepObject` | (any) | `color=`¹ | `color=blue`¹ | `color%5B0%5D=blue&color%5B1%5D=black&color%5B2%5D=brown`¹ | `color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150` |
//! | header | `simple` | false | (empty value) | `blue` | `blue,black,brown` | `R,100,G,200,B,150` |
//! | header | `simple` | true | (empty value) | `blue` | `blue,black,brown` | `R=100,G=200,B=150` |
//! | cookie | `form` | false | `color=` | `color=blue` | `color=blue,black,brown` | `color=R,100,G,200,B,150` |
//! | cookie | `form` | true | `color=` | `color=blue` | `color=blue; color=black; color=brown`² | `R=100; G=200; B=150`² |
//! | any | `content: application/json` | | `color=%22%22` (query) | `color=%22blue%22` | `color=%5B%22blue%22%2C...` | `color=%7B%22R%22%3A100%2C...` |
//!
//! ¹ The specification marks these _n/a_ (undefined); we send a primitive as an array of
//! one, `explode: true` as OpenAPI 2.0's `multi` did (`form`'s repeated pairs), and an
//! array in `deepObject` with its indexes, as nested arrays are sent (below).
//! ² Cookies are separated by `; ` in a `Cookie` header; the `&` of the `form` table
//! would make one cookie of them all (OpenAPI 3.1.1 Appendix D: `form` "is always
//! incorrect" there with `&`). OpenAPI 3.2's `style: cookie` sends the same separators.
//!
//! The table of OpenAPI 3.0.0–3.0.3 and 3.1.0 prints four things otherwise; we send
//! what 3.0.4, 3.1.1 and 3.2.0 print, which those patch releases corrected to agree
//! with RFC 6570 and RFC 3986:
//! - `label` without `explode` joins with `,` (`.blue,black,brown`, RFC 6570 §3.2.5),
//!   not `.` (`.blue.black.brown`);
//! - `pipeDelimited` sends its delimiter as `%7C`, not `|`, and `deepObject` its
//!   brackets as `%5B` `%5D`, not `[` `]`: RFC 3986 allows neither `|` nor `[` `]` in a
//!   query, and OpenAPI 3.1.1 Appendix E says these delimiters "MUST be
//!   percent-encoded". A server decodes `color%5BR%5D=100` to `color[R]=100` before
//!   reading the brackets (Rails, PHP, Express's `qs`, ASP.NET, Spring do);
//! - `spaceDelimited` and `pipeDelimited` include `color=`, which the old table left
//!   out of the cell but a query needs;
//! - the column of `""` was named `empty` there and `undefined` since; its cells are
//!   what RFC 6570 expands an empty string to, which is what we send for `""`. A value
//!   RFC 6570 calls undefined (`null`, `[]`, `{}`) sends nothing, as RFC 6570 §3.2.1
//!   and the 3.1.1 Appendix C example (`{?formulas*,words}` with `formulas: {}` gives
//!   `?words=hello,world`) say.
//!
//! # Values
//! - A string is sent as it is (then percent-encoded), a number as serde_json writes it
//!   (`100`, `-1.5`, `1e+20`), a boolean as `true` / `false`. Enums, dates, UUIDs and
//!   other serde types are sent as serde_json would write them.
//! - An object's members go in the order the value serializes them (a struct's fields
//!   in the order they are declared; typify declares a generated struct's by name): not
//!   through `serde_json::Value`, whose maps sort their keys.
//! - `null` members of arrays and objects are left out.
//! - An array or object inside an array or object, which RFC 6570 does not define, is
//!   sent as its JSON text (`ids=[1,2],[3]` percent-encoded). In `deepObject`, nested
//!   objects add brackets (`filter[a][b]=1`, sent `filter%5Ba%5D%5Bb%5D=1`) and arrays
//!   their index (`filter[ids][0]=1`), the convention of `qs` and PHP, which keeps
//!   arrays of objects unambiguous; empty nested arrays and objects send nothing.
//! - `content: {application/json: ...}` ([`PathParam::json`] and the others): the
//!   value's JSON text, then encoded as a primitive of its location (`style` and
//!   `explode` do not apply).
//!
//! # Percent-encoding
//! Path, query and cookie names, values and object keys are sent as their UTF-8 bytes,
//! every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`) as `%XX`:
//! `,` `/` `?` `:` `@` `!` `$` `&` `'` `(` `)` `*` `+` `;` `=` `[` `]` `|` `#` `%` and
//! space (`%20`, never `+`) included. The delimiters the styles add are sent as the
//! table shows (`,` `;` `.` `=` `&` as they are; `%20` `%7C` `%5B` `%5D`), so a `,` in
//! a value (`%2C`) is told apart from the `,` between values.
//!
//! With `allowReserved: true` ([`QueryParam::with_allow_reserved`], query only), a
//! value's RFC 3986 reserved characters and its percent-encoded triples (`%2F`) are
//! sent as they are (RFC 6570 reserved expansion), other characters encoded, a lone
//! `%` as `%25`; two reserved characters are still encoded: `#` (`%23`), which would end
//! the query, and `'` (`%27`), which reqwest's URL parser encodes in an http(s) query
//! whatever we send. Names and the keys of exploded objects stay fully encoded.
//!
//! Headers are not percent-encoded (OpenAPI 3.2: "URI percent-encoding MUST NOT be
//! applied"): the value's UTF-8 is sent as it is. A value with a CR or LF, which could
//! end the header and add others, is refused with a [`ParamError`] naming the
//! parameter, as is one with another control character.
//!
//! # Paths
//! [`PathParam::serialize_segment`] refuses a value that expands to an empty segment,
//! `.` or `..`: the URL would name another resource (`/tasks/` for `/tasks/{id}`) or
//! drop the segment as a dot-segment (`/tasks/..` is `/`), so the request would go to
//! another path. [`PathParam::serialize`] returns the expansion as it is, for a
//! parameter that is only part of a segment.
//!
//! # No RFC 6570 crate
//! The two maintained RFC 6570 crates, `iri-string` (its `template` module; about 1 s
//! more to compile, 18,700 lines) and `std-uritemplate` (0.15 s), expand templates
//! (`{;color*}`), which covers `simple`, `label`, `matrix` and `form` without
//! `allowReserved`. Everything else would still be written here: `spaceDelimited`,
//! `pipeDelimited` and `deepObject` (RFC 6570 has no operator for them), `form` with
//! `allowReserved` (RFC 6570 cannot combine `?` and `+`), headers (no encoding) and
//! cookies (`; `), nested values, and parameter names that are not RFC 6570 variable
//! names (`X-Request-Id`, `filter[status]`), which a template would need encoded. A
//! crate would add a template string to build and parse per parameter and a dependency
//! for every user, to save the forty lines of [RFC 6570's Appendix A
//! algorithm](https://www.rfc-editor.org/rfc/rfc6570#appendix-A) that `expand.rs`
//! follows; so the expansion and its percent-encoder are written here, with no new
//! dependency.
//!
//! # Example
//! ```
//! use tasks_sdk_core::params::{
//!     Cookies, CookieParam, HeaderParam, ParamError, PathParam, PathStyle, QueryParam,
//!     QueryString, QueryStyle,
//! };
//!
//! # fn main() -> Result<(), ParamError> {
//! // What a generated `send()` does for `GET /places/{id}` with four parameters.
//! let id = "5500-Grand-Lake-Dr,-San-Antonio,-TX-78244";
//! let mut url = format!(
//!     "https://api.example.test/v1/places/{}",
//!     PathParam::new("id", PathStyle::Simple).serialize_segment(id)?
//! );
//! let mut query = QueryString::new();
//! query
//!     .push(QueryParam::new("tags", QueryStyle::Form).with_explode(false), &["a b", "c"])?
//!     .push(
//!         QueryParam::new("filter", QueryStyle::DeepObject),
//!         &serde_json::json!({ "status": "open" }),
//!     )?
//!     .push(QueryParam::new("cursor", QueryStyle::Form), &None::<String>)?;
//! query.append_to(&mut url);
//! assert_eq!(
//!     url,
//!     "https://api.example.test/v1/places/5500-Grand-Lake-Dr%2C-San-Antonio%2C-TX-78244\
//!      ?tags=a%20b,c&filter%5Bstatus%5D=open"
//! );
//!
//! let trace = HeaderParam::new("X-Trace").serialize(&["a", "b"])?;
//! assert_eq!(trace.unwrap(), "a,b");
//! let bad = HeaderParam::new("X-Trace").serialize("a\r\nInjected: yes");
//! assert_eq!(bad.unwrap_err().name(), "X-Trace");
//!
//! let mut cookies = Cookies::new();
//! cookies.push(CookieParam::new("session"), "a;b")?;
//! assert_eq!(cookies.header_value().unwrap(), "session=a%3Bb");
//! # Ok(())
//! # }
//! ```

mod expand;
mod form;
#[cfg(test)]
mod tests;
mod value;

use std::fmt;

use http::HeaderValue;
use serde::Serialize;

use expand::{COOKIE, Encoding, HEADER, LABEL, MATRIX, SIMPLE};
use value::Value;

pub use form::form_body;

/// The `style` of a path parameter.
///
/// `#[non_exhaustive]`: a style added to the specification later is not a breaking
/// change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PathStyle {
    /// `simple` (the default): `blue,black,brown` (RFC 6570 `{color}`).
    #[default]
    Simple,
    /// `label`: `.blue,black,brown` (RFC 6570 `{.color}`).
    Label,
    /// `matrix`: `;color=blue,black,brown` (RFC 6570 `{;color}`).
    Matrix,
}

/// The `style` of a query parameter.
///
/// `#[non_exhaustive]`: a style added to the specification later is not a breaking
/// change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum QueryStyle {
    /// `form` (the default): `color=blue,black,brown`, or exploded
    /// `color=blue&color=black&color=brown` (RFC 6570 `{?color}`).
    #[default]
    Form,
    /// `spaceDelimited`: `color=blue%20black%20brown`.
    SpaceDelimited,
    /// `pipeDelimited`: `color=blue%7Cblack%7Cbrown`.
    PipeDelimited,
    /// `deepObject`: `color%5BR%5D=100&color%5BG%5D=200` (`color[R]=100&color[G]=200`).
    DeepObject,
}

/// A parameter described by `content` rather than `schema` and `style`: its value is
/// serialized as the media type says, then encoded as a primitive of its location.
///
/// `#[non_exhaustive]`: more media types may come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Content {
    /// `application/json` (and `+json` types): the value's JSON text.
    Json,
}

/// Where a parameter goes (the Parameter Object's `in`).
///
/// `#[non_exhaustive]`: OpenAPI 3.2's `querystring` may come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Location {
    /// `in: path`.
    Path,
    /// `in: query`.
    Query,
    /// `in: header`.
    Header,
    /// `in: cookie`.
    Cookie,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
            Location::Cookie => "cookie",
        })
    }
}

/// A parameter that cannot be sent, and why; nothing should be sent.
///
/// `Display` is ``invalid argument `NAME`: REASON``, the form of the generated setters'
/// argument errors, so that a generated `send()` can return it as progenitor's
/// `Error::InvalidRequest` (`?` converts it) and the runtime's [`call`](crate::call)
/// turns it into [`Error::InvalidArgument`](crate::Error::InvalidArgument) with this
/// name and reason (`From` converts it directly, too).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    name: String,
    location: Location,
    reason: String,
}

impl ParamError {
    fn new(name: &str, location: Location, reason: impl Into<String>) -> Self {
        ParamError {
            name: name.to_owned(),
            location,
            reason: reason.into(),
        }
    }

    fn serialize(name: &str, location: Location, error: impl fmt::Display) -> Self {
        ParamError::new(
            name,
            location,
            format!("cannot be serialized as a {location} parameter: {error}"),
        )
    }

    /// The parameter's name, as in the document (`X-Request-Id`, `id`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Where the parameter goes.
    pub fn location(&self) -> Location {
        self.location
    }

    /// What is wrong with its value, e.g. `contains CR or LF, which would end the
    /// header`. Never the value itself.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid argument `{}`: {}", self.name, self.reason)
    }
}

impl std::error::Error for ParamError {}

impl From<ParamError> for crate::Error {
    fn from(error: ParamError) -> Self {
        crate::Error::InvalidArgument {
            name: error.name,
            reason: error.reason,
        }
    }
}

impl<E> From<ParamError> for progenitor_client::Error<E> {
    fn from(error: ParamError) -> Self {
        progenitor_client::Error::InvalidRequest(error.to_string())
    }
}

/// The value serialized, or `None` when RFC 6570 calls it undefined.
fn tree<T: Serialize + ?Sized>(
    name: &str,
    location: Location,
    value: &T,
) -> Result<Value, ParamError> {
    Value::from_serialize(value).map_err(|e| ParamError::serialize(name, location, e))
}

/// The value's JSON text, `None` for `null`.
fn json<T: Serialize + ?Sized>(
    name: &str,
    location: Location,
    value: &T,
) -> Result<Option<String>, ParamError> {
    let text =
        serde_json::to_string(value).map_err(|e| ParamError::serialize(name, location, e))?;
    Ok((text != "null").then_some(text))
}

/// A path parameter: its name, `style`, `explode` or `content`, as in the document.
///
/// ```
/// use tasks_sdk_core::params::{PathParam, PathStyle};
///
/// const COLOR: PathParam = PathParam::new("color", PathStyle::Matrix).with_explode(true);
/// assert_eq!(COLOR.serialize(&["blue", "black"]).unwrap(), ";color=blue;color=black");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PathParam<'a> {
    /// The parameter's name (`name`), sent by `matrix`.
    pub name: &'a str,
    /// `style` (default `simple`).
    pub style: PathStyle,
    /// `explode` (default `false`).
    pub explode: bool,
    /// `content`: when set, `style` and `explode` do not apply.
    pub content: Option<Content>,
}

/// A path parameter as OpenAPI assumes when it says nothing of its style (`simple`, not
/// exploded) that is a whole segment (`/tasks/{id}`): `PathParam::new(name,
/// PathStyle::Simple).serialize_segment(value)`, what a generated `send()` writes for
/// most path parameters, in one line.
///
/// ```
/// # fn main() -> Result<(), tasks_sdk_core::ParamError> {
/// assert_eq!(tasks_sdk_core::params::segment("id", "a/b c")?, "a%2Fb%20c");
/// assert!(tasks_sdk_core::params::segment("id", "..").is_err());
/// # Ok(())
/// # }
/// ```
pub fn segment<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, ParamError> {
    PathParam::new(name, PathStyle::Simple).serialize_segment(value)
}

impl<'a> PathParam<'a> {
    /// A parameter of this `style`, not exploded.
    pub const fn new(name: &'a str, style: PathStyle) -> Self {
        PathParam {
            name,
            style,
            explode: false,
            content: None,
        }
    }

    /// A parameter with `content: {application/json: ...}`.
    pub const fn json(name: &'a str) -> Self {
        PathParam {
            content: Some(Content::Json),
            ..PathParam::new(name, PathStyle::Simple)
        }
    }

    /// Sets [`explode`](Self::explode).
    pub const fn with_explode(mut self, explode: bool) -> Self {
        self.explode = explode;
        self
    }

    /// The text to put in place of `{name}` in the path: the RFC 6570 expansion of the
    /// value, percent-encoded (a `,` in a value is `%2C`, a `/` is `%2F`); nothing when
    /// the value is undefined (`null`, `[]`, `{}`). For a parameter that is a whole
    /// segment, [`serialize_segment`](Self::serialize_segment) is safer.
    pub fn serialize<T: Serialize + ?Sized>(&self, value: &T) -> Result<String, ParamError> {
        let mut out = String::new();
        if self.content == Some(Content::Json) {
            if let Some(text) = json(self.name, Location::Path, value)? {
                expand::encode(&mut out, &text, Encoding::Unreserved);
            }
            return Ok(out);
        }
        let value = tree(self.name, Location::Path, value)?;
        if let Some(value) = expand::defined(&value) {
            let op = match self.style {
                PathStyle::Simple => &SIMPLE,
                PathStyle::Label => &LABEL,
                PathStyle::Matrix => &MATRIX,
            };
            expand::expand(&mut out, op, self.name, &value, self.explode);
        }
        Ok(out)
    }

    /// As [`serialize`](Self::serialize), for a parameter that is a whole path segment
    /// (`/tasks/{id}/runs`): an expansion that is empty, `.` or `..` is refused, as it
    /// would send the request to another path (`/tasks//runs`, or a dot-segment the URL
    /// drops: `/tasks/../runs` is `/runs`).
    pub fn serialize_segment<T: Serialize + ?Sized>(
        &self,
        value: &T,
    ) -> Result<String, ParamError> {
        let segment = self.serialize(value)?;
        let reason = match segment.as_str() {
            "" => "is empty: the request would go to another path",
            "." | ".." => {
                "expands to a dot-segment (`.` or `..`), which the URL would drop: the \
                 request would go to another path"
            }
            _ => return Ok(segment),
        };
        Err(ParamError::new(self.name, Location::Path, reason))
    }
}

/// A query parameter: its name, `style`, `explode`, `allowReserved` or `content`, as in
/// the document.
///
/// ```
/// use tasks_sdk_core::params::{QueryParam, QueryStyle};
///
/// const IDS: QueryParam = QueryParam::new("ids", QueryStyle::PipeDelimited);
/// assert_eq!(IDS.serialize(&[1, 2]).unwrap().unwrap(), "ids=1%7C2");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueryParam<'a> {
    /// The parameter's name (`name`).
    pub name: &'a str,
    /// `style` (default `form`).
    pub style: QueryStyle,
    /// `explode` (default `true` for `form`, else `false`; no effect on `deepObject`).
    pub explode: bool,
    /// `allowReserved` (default `false`): the value's reserved characters are sent as
    /// they are (see [the module](self)).
    pub allow_reserved: bool,
    /// `content`: when set, `style` and `explode` do not apply.
    pub content: Option<Content>,
}

impl<'a> QueryParam<'a> {
    /// A parameter of this `style`, with its default `explode` (`true` for `form`, else
    /// `false`) and `allowReserved: false`.
    pub const fn new(name: &'a str, style: QueryStyle) -> Self {
        QueryParam {
            name,
            style,
            explode: matches!(style, QueryStyle::Form),
            allow_reserved: false,
            content: None,
        }
    }

    /// A `form` parameter, exploded: what OpenAPI assumes when a query parameter says
    /// nothing of its style (`QueryParam::new(name, QueryStyle::Form)`).
    pub const fn form(name: &'a str) -> Self {
        QueryParam::new(name, QueryStyle::Form)
    }

    /// A parameter with `content: {application/json: ...}`: `name=` and the value's
    /// JSON text, percent-encoded.
    pub const fn json(name: &'a str) -> Self {
        QueryParam {
            content: Some(Content::Json),
            ..QueryParam::new(name, QueryStyle::Form)
        }
    }

    /// Sets [`explode`](Self::explode).
    pub const fn with_explode(mut self, explode: bool) -> Self {
        self.explode = explode;
        self
    }

    /// Sets [`allow_reserved`](Self::allow_reserved).
    pub const fn with_allow_reserved(mut self, allow_reserved: bool) -> Self {
        self.allow_reserved = allow_reserved;
        self
    }

    /// The parameter's `name=value` pairs joined by `&`, percent-encoded (`color=blue`,
    /// `color=blue&color=black`), to be appended to a query string as they are; `None`
    /// when the value is undefined (`null`, `[]`, `{}`): the parameter is left out.
    pub fn serialize<T: Serialize + ?Sized>(
        &self,
        value: &T,
    ) -> Result<Option<String>, ParamError> {
        let mut out = String::new();
        Ok(self.write(&mut out, value)?.then_some(out))
    }

    /// Appends the pairs to `out`; whether there were any.
    fn write<T: Serialize + ?Sized>(
        &self,
        out: &mut String,
        value: &T,
    ) -> Result<bool, ParamError> {
        let values = if self.allow_reserved {
            Encoding::Reserved
        } else {
            Encoding::Unreserved
        };
        if self.content == Some(Content::Json) {
            let Some(text) = json(self.name, Location::Query, value)? else {
                return Ok(false);
            };
            expand::encode(out, self.name, Encoding::Unreserved);
            out.push('=');
            expand::encode(out, &text, values);
            return Ok(true);
        }
        self.write_tree(out, tree(self.name, Location::Query, value)?)
    }

    /// [`write`](Self::write) of a value already serialized.
    fn write_tree(&self, out: &mut String, tree: Value) -> Result<bool, ParamError> {
        let values = if self.allow_reserved {
            Encoding::Reserved
        } else {
            Encoding::Unreserved
        };
        if self.content == Some(Content::Json) {
            if tree == Value::Null {
                return Ok(false);
            }
            expand::encode(out, self.name, Encoding::Unreserved);
            out.push('=');
            expand::encode(out, &tree.to_json(), values);
            return Ok(true);
        }
        let Some(defined) = expand::defined(&tree) else {
            return Ok(false);
        };
        let start = out.len();
        match (self.style, self.explode) {
            (QueryStyle::DeepObject, _) => expand::deep_object(out, self.name, &tree, values),
            (QueryStyle::SpaceDelimited, false) => {
                expand::delimited(out, "%20", self.name, &defined, values)
            }
            (QueryStyle::PipeDelimited, false) => {
                expand::delimited(out, "%7C", self.name, &defined, values)
            }
            (_, explode) => {
                expand::expand(out, &expand::form(values), self.name, &defined, explode)
            }
        }
        Ok(out.len() > start)
    }
}

/// A header parameter (`style: simple`): its name, `explode` or `content`, as in the
/// document.
///
/// ```
/// use tasks_sdk_core::params::HeaderParam;
///
/// #[derive(serde::Serialize)]
/// struct Color {
///     r: u8,
///     g: u8,
/// }
///
/// const COLOR: HeaderParam = HeaderParam::new("X-Color").with_explode(true);
/// let value = COLOR.serialize(&Color { r: 100, g: 200 }).unwrap();
/// assert_eq!(value.unwrap(), "r=100,g=200");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HeaderParam<'a> {
    /// The header's name (`name`), for errors: the caller inserts the value under it.
    pub name: &'a str,
    /// `explode` (default `false`).
    pub explode: bool,
    /// `content`: when set, `explode` does not apply.
    pub content: Option<Content>,
}

impl<'a> HeaderParam<'a> {
    /// A `simple` header parameter, not exploded.
    pub const fn new(name: &'a str) -> Self {
        HeaderParam {
            name,
            explode: false,
            content: None,
        }
    }

    /// A parameter with `content: {application/json: ...}`: the JSON text as the value.
    pub const fn json(name: &'a str) -> Self {
        HeaderParam {
            content: Some(Content::Json),
            ..HeaderParam::new(name)
        }
    }

    /// Sets [`explode`](Self::explode).
    pub const fn with_explode(mut self, explode: bool) -> Self {
        self.explode = explode;
        self
    }

    /// The header value: the `simple` expansion, not percent-encoded (UTF-8 as it is);
    /// `None` when the value is undefined (`null`, `[]`, `{}`): no header. A value with
    /// CR or LF (which would end the header), or another control character but tab, is
    /// an error naming the parameter.
    pub fn serialize<T: Serialize + ?Sized>(
        &self,
        value: &T,
    ) -> Result<Option<HeaderValue>, ParamError> {
        let text = if self.content == Some(Content::Json) {
            match json(self.name, Location::Header, value)? {
                Some(text) => text,
                None => return Ok(None),
            }
        } else {
            let tree = tree(self.name, Location::Header, value)?;
            let Some(defined) = expand::defined(&tree) else {
                return Ok(None);
            };
            let mut out = String::new();
            expand::expand(&mut out, &HEADER, self.name, &defined, self.explode);
            out
        };
        if text.contains(['\r', '\n']) {
            return Err(ParamError::new(
                self.name,
                Location::Header,
                "contains CR or LF, which would end the header",
            ));
        }
        HeaderValue::from_str(&text).map(Some).map_err(|_| {
            ParamError::new(
                self.name,
                Location::Header,
                "contains a control character, which a header value cannot hold",
            )
        })
    }
}

/// A cookie parameter (`style: form`): its name, `explode` or `content`, as in the
/// document.
///
/// ```
/// use tasks_sdk_core::params::CookieParam;
///
/// const IDS: CookieParam = CookieParam::new("ids");
/// assert_eq!(IDS.serialize(&[1, 2]).unwrap().unwrap(), "ids=1; ids=2");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CookieParam<'a> {
    /// The cookie's name (`name`).
    pub name: &'a str,
    /// `explode` (default `true`, as for `form`).
    pub explode: bool,
    /// `content`: when set, `explode` does not apply.
    pub content: Option<Content>,
}

impl<'a> CookieParam<'a> {
    /// A `form` cookie parameter, exploded.
    pub const fn new(name: &'a str) -> Self {
        CookieParam {
            name,
            explode: true,
            content: None,
        }
    }

    /// A parameter with `content: {application/json: ...}`: `name=` and the value's
    /// JSON text, percent-encoded.
    pub const fn json(name: &'a str) -> Self {
        CookieParam {
            content: Some(Content::Json),
            ..CookieParam::new(name)
        }
    }

    /// Sets [`explode`](Self::explode).
    pub const fn with_explode(mut self, explode: bool) -> Self {
        self.explode = explode;
        self
    }

    /// The `name=value` pieces joined by `; `, percent-encoded (so no value can hold a
    /// `;`, `,`, space or quote of the `Cookie` syntax), for a `Cookie` header; `None`
    /// when the value is undefined (`null`, `[]`, `{}`): no cookie.
    pub fn serialize<T: Serialize + ?Sized>(
        &self,
        value: &T,
    ) -> Result<Option<String>, ParamError> {
        let mut out = String::new();
        Ok(self.write(&mut out, value)?.then_some(out))
    }

    fn write<T: Serialize + ?Sized>(
        &self,
        out: &mut String,
        value: &T,
    ) -> Result<bool, ParamError> {
        if self.content == Some(Content::Json) {
            let Some(text) = json(self.name, Location::Cookie, value)? else {
                return Ok(false);
            };
            expand::encode(out, self.name, Encoding::Unreserved);
            out.push('=');
            expand::encode(out, &text, Encoding::Unreserved);
            return Ok(true);
        }
        let tree = tree(self.name, Location::Cookie, value)?;
        let Some(defined) = expand::defined(&tree) else {
            return Ok(false);
        };
        expand::expand(out, &COOKIE, self.name, &defined, self.explode);
        Ok(true)
    }
}

/// A request's query string, built parameter by parameter: `name=value` pairs,
/// percent-encoded, joined by `&`, without the `?`.
///
/// Append it to the URL as it is, with [`append_to`](Self::append_to) (a URL string,
/// before reqwest parses it) or [`apply_to`](Self::apply_to) (a parsed `Url`): not
/// through `Url::query_pairs_mut` or reqwest's `.query()`, which would encode it again.
///
/// ```
/// use tasks_sdk_core::params::{QueryParam, QueryString, QueryStyle};
///
/// let mut query = QueryString::new();
/// query
///     .push(QueryParam::new("status", QueryStyle::Form), &["open", "done"])?
///     .push(QueryParam::new("limit", QueryStyle::Form), &Some(10))?;
/// let mut url = String::from("https://api.example.test/tasks");
/// query.append_to(&mut url);
/// assert_eq!(url, "https://api.example.test/tasks?status=open&status=done&limit=10");
/// # Ok::<(), tasks_sdk_core::params::ParamError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QueryString {
    query: String,
}

impl QueryString {
    /// An empty query string.
    pub fn new() -> Self {
        QueryString::default()
    }

    /// Adds the parameter's pairs (nothing when its value is undefined: `None`, `[]`,
    /// `{}`).
    pub fn push<T: Serialize + ?Sized>(
        &mut self,
        param: QueryParam<'_>,
        value: &T,
    ) -> Result<&mut Self, ParamError> {
        let before = self.query.len();
        if before > 0 {
            self.query.push('&');
        }
        match param.write(&mut self.query, value) {
            Ok(true) => {}
            Ok(false) => self.query.truncate(before),
            Err(e) => {
                self.query.truncate(before);
                return Err(e);
            }
        }
        Ok(self)
    }

    /// The query string, without `?`: `a=1&b=2`.
    pub fn as_str(&self) -> &str {
        &self.query
    }

    /// Whether no parameter was added (or every one was undefined).
    pub fn is_empty(&self) -> bool {
        self.query.is_empty()
    }

    /// Appends the pairs to a URL string (with no `#fragment`): after `?`, or after `&`
    /// when the URL has a query already. Nothing when empty.
    pub fn append_to(&self, url: &mut String) {
        if self.query.is_empty() {
            return;
        }
        match url.find('?') {
            None => url.push('?'),
            Some(at) if at + 1 == url.len() || url.ends_with('&') => {}
            Some(_) => url.push('&'),
        }
        url.push_str(&self.query);
    }

    /// Appends the pairs to the query of `url` (after its pairs, if any), as they are:
    /// `Url::set_query` leaves `%XX` and every character this sends untouched. Nothing
    /// when empty.
    pub fn apply_to(&self, url: &mut reqwest::Url) {
        if self.query.is_empty() {
            return;
        }
        let query = match url.query() {
            Some(existing) if !existing.is_empty() && !existing.ends_with('&') => {
                format!("{existing}&{}", self.query)
            }
            Some(existing) => format!("{existing}{}", self.query),
            None => self.query.clone(),
        };
        url.set_query(Some(&query));
    }
}

impl fmt::Display for QueryString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.query)
    }
}

/// A request's cookie parameters, built parameter by parameter: `name=value` pieces,
/// percent-encoded, joined by `; `, the value of a `Cookie` header.
///
/// The runtime adds an `apiKey` cookie credential to this header rather than replacing
/// it ([`Runtime::prepare`](crate::Runtime::prepare)).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cookies {
    cookies: String,
}

impl Cookies {
    /// No cookie.
    pub fn new() -> Self {
        Cookies::default()
    }

    /// Adds the parameter's pieces (nothing when its value is undefined: `None`, `[]`,
    /// `{}`).
    pub fn push<T: Serialize + ?Sized>(
        &mut self,
        param: CookieParam<'_>,
        value: &T,
    ) -> Result<&mut Self, ParamError> {
        let before = self.cookies.len();
        if before > 0 {
            self.cookies.push_str("; ");
        }
        match param.write(&mut self.cookies, value) {
            Ok(true) => {}
            Ok(false) => self.cookies.truncate(before),
            Err(e) => {
                self.cookies.truncate(before);
                return Err(e);
            }
        }
        Ok(self)
    }

    /// The pieces: `a=1; b=2`.
    pub fn as_str(&self) -> &str {
        &self.cookies
    }

    /// Whether no cookie was added (or every one was undefined).
    pub fn is_empty(&self) -> bool {
        self.cookies.is_empty()
    }

    /// The `Cookie` header's value; `None` when there is no cookie.
    pub fn header_value(&self) -> Option<HeaderValue> {
        if self.cookies.is_empty() {
            return None;
        }
        Some(
            HeaderValue::from_str(&self.cookies)
                .expect("percent-encoded pieces are visible ASCII and spaces"),
        )
    }
}

impl fmt::Display for Cookies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.cookies)
    }
}

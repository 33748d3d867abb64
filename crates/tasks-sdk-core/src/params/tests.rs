//! The specification's "Style Examples" tables as data, cell by cell, and each rule of
//! the module's documentation.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::json;

use super::{
    CookieParam, Cookies, HeaderParam, Location, ParamError, PathParam, PathStyle, QueryParam,
    QueryString, QueryStyle,
};

/// The specification's example object, `{ "R": 100, "G": 200, "B": 150 }`, in that
/// order (a `serde_json::Value` would sort its keys).
#[derive(Serialize)]
struct Color {
    #[serde(rename = "R")]
    r: u8,
    #[serde(rename = "G")]
    g: u8,
    #[serde(rename = "B")]
    b: u8,
}

const OBJECT: Color = Color {
    r: 100,
    g: 200,
    b: 150,
};
const ARRAY: [&str; 3] = ["blue", "black", "brown"];

/// One row of a "Style Examples" table: `style`, `explode`, then the cells of the
/// columns `empty` (the empty string `""`), `string` (`"blue"`), `array` and `object`,
/// as printed; `None` where the table says _n/a_.
type Row = (&'static str, bool, [Option<&'static str>; 4]);

/// OpenAPI 3.0.4 and 3.1.1 (identical tables; 3.1.2 and 3.2.0 print the same cells
/// without the `?`), byte for byte but for the HTML `<span>` around query cells. Their
/// first column is headed `undefined` but holds what RFC 6570 gives an empty string;
/// `_empty_` is the empty text. Query cells start with `?`, "as if it were the only
/// query parameter"; what we return is the parameter's part of the query, after the
/// `?` the URL adds.
#[rustfmt::skip]
const OAS_3_1_1: &[Row] = &[
    ("matrix", false, [Some(";color"), Some(";color=blue"), Some(";color=blue,black,brown"), Some(";color=R,100,G,200,B,150")]),
    ("matrix", true, [Some(";color"), Some(";color=blue"), Some(";color=blue;color=black;color=brown"), Some(";R=100;G=200;B=150")]),
    ("label", false, [Some("."), Some(".blue"), Some(".blue,black,brown"), Some(".R,100,G,200,B,150")]),
    ("label", true, [Some("."), Some(".blue"), Some(".blue.black.brown"), Some(".R=100.G=200.B=150")]),
    ("simple", false, [Some(""), Some("blue"), Some("blue,black,brown"), Some("R,100,G,200,B,150")]),
    ("simple", true, [Some(""), Some("blue"), Some("blue,black,brown"), Some("R=100,G=200,B=150")]),
    ("form", false, [Some("?color="), Some("?color=blue"), Some("?color=blue,black,brown"), Some("?color=R,100,G,200,B,150")]),
    ("form", true, [Some("?color="), Some("?color=blue"), Some("?color=blue&color=black&color=brown"), Some("?R=100&G=200&B=150")]),
    ("spaceDelimited", false, [None, None, Some("?color=blue%20black%20brown"), Some("?color=R%20100%20G%20200%20B%20150")]),
    ("spaceDelimited", true, [None, None, None, None]),
    ("pipeDelimited", false, [None, None, Some("?color=blue%7Cblack%7Cbrown"), Some("?color=R%7C100%7CG%7C200%7CB%7C150")]),
    ("pipeDelimited", true, [None, None, None, None]),
    ("deepObject", false, [None, None, None, None]),
    ("deepObject", true, [None, None, None, Some("?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150")]),
];

/// What we send where [`OAS_3_1_1`] says _n/a_ (undefined behaviour), as the module's
/// documentation says: a primitive as an array of one, `explode: true` of the delimited
/// styles as `form`'s, `deepObject` arrays with their indexes (and `explode` ignored).
#[rustfmt::skip]
const OUR_NOT_APPLICABLE: &[Row] = &[
    ("spaceDelimited", false, [Some("color="), Some("color=blue"), None, None]),
    ("spaceDelimited", true, [Some("color="), Some("color=blue"), Some("color=blue&color=black&color=brown"), Some("R=100&G=200&B=150")]),
    ("pipeDelimited", false, [Some("color="), Some("color=blue"), None, None]),
    ("pipeDelimited", true, [Some("color="), Some("color=blue"), Some("color=blue&color=black&color=brown"), Some("R=100&G=200&B=150")]),
    ("deepObject", false, [Some("color="), Some("color=blue"), Some("color%5B0%5D=blue&color%5B1%5D=black&color%5B2%5D=brown"), Some("color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150")]),
    ("deepObject", true, [Some("color="), Some("color=blue"), Some("color%5B0%5D=blue&color%5B1%5D=black&color%5B2%5D=brown"), None]),
];

/// OpenAPI 3.0.0–3.0.3 and 3.1.0 (identical tables), byte for byte but for the
/// Markdown: `\|` unescaped to `|`, and the spaces around three label cells trimmed.
/// `n/a` is `None`; its `empty` column is the empty string's.
#[rustfmt::skip]
const OAS_3_0_3: &[Row] = &[
    ("matrix", false, [Some(";color"), Some(";color=blue"), Some(";color=blue,black,brown"), Some(";color=R,100,G,200,B,150")]),
    ("matrix", true, [Some(";color"), Some(";color=blue"), Some(";color=blue;color=black;color=brown"), Some(";R=100;G=200;B=150")]),
    ("label", false, [Some("."), Some(".blue"), Some(".blue.black.brown"), Some(".R.100.G.200.B.150")]),
    ("label", true, [Some("."), Some(".blue"), Some(".blue.black.brown"), Some(".R=100.G=200.B=150")]),
    ("form", false, [Some("color="), Some("color=blue"), Some("color=blue,black,brown"), Some("color=R,100,G,200,B,150")]),
    ("form", true, [Some("color="), Some("color=blue"), Some("color=blue&color=black&color=brown"), Some("R=100&G=200&B=150")]),
    ("simple", false, [None, Some("blue"), Some("blue,black,brown"), Some("R,100,G,200,B,150")]),
    ("simple", true, [None, Some("blue"), Some("blue,black,brown"), Some("R=100,G=200,B=150")]),
    ("spaceDelimited", false, [None, None, Some("blue%20black%20brown"), Some("R%20100%20G%20200%20B%20150")]),
    ("pipeDelimited", false, [None, None, Some("blue|black|brown"), Some("R|100|G|200|B|150")]),
    ("deepObject", true, [None, None, None, Some("color[R]=100&color[G]=200&color[B]=150")]),
];

const ARRAY_COLUMN: usize = 2;
const OBJECT_COLUMN: usize = 3;

/// The cells of [`OAS_3_0_3`] we send otherwise (what it printed, what we send), each
/// corrected by 3.0.4 / 3.1.1 (see the module's documentation for why).
#[rustfmt::skip]
const DIFFERS_FROM_3_0_3: &[(&str, bool, usize, &str, &str)] = &[
    // RFC 6570 §3.2.5: {.list} is ".red,green,blue", {.keys} ".semi,%3B,dot,.,comma,%2C".
    ("label", false, ARRAY_COLUMN, ".blue.black.brown", ".blue,black,brown"),
    ("label", false, OBJECT_COLUMN, ".R.100.G.200.B.150", ".R,100,G,200,B,150"),
    // A query needs the name; 3.0.3 printed only the value.
    ("spaceDelimited", false, ARRAY_COLUMN, "blue%20black%20brown", "color=blue%20black%20brown"),
    ("spaceDelimited", false, OBJECT_COLUMN, "R%20100%20G%20200%20B%20150", "color=R%20100%20G%20200%20B%20150"),
    // RFC 3986 allows neither `|` nor `[` `]` in a query: the delimiters are encoded.
    ("pipeDelimited", false, ARRAY_COLUMN, "blue|black|brown", "color=blue%7Cblack%7Cbrown"),
    ("pipeDelimited", false, OBJECT_COLUMN, "R|100|G|200|B|150", "color=R%7C100%7CG%7C200%7CB%7C150"),
    ("deepObject", true, OBJECT_COLUMN, "color[R]=100&color[G]=200&color[B]=150", "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
];

fn path_style(style: &str) -> Option<PathStyle> {
    match style {
        "simple" => Some(PathStyle::Simple),
        "label" => Some(PathStyle::Label),
        "matrix" => Some(PathStyle::Matrix),
        _ => None,
    }
}

fn query_style(style: &str) -> QueryStyle {
    match style {
        "form" => QueryStyle::Form,
        "spaceDelimited" => QueryStyle::SpaceDelimited,
        "pipeDelimited" => QueryStyle::PipeDelimited,
        "deepObject" => QueryStyle::DeepObject,
        other => panic!("no such style: {other}"),
    }
}

/// What we send for `color` = `value` in this style: a path style's expansion, or a
/// query style's pairs (`None`: left out).
fn send<T: Serialize + ?Sized>(style: &str, explode: bool, value: &T) -> Option<String> {
    match path_style(style) {
        Some(path) => Some(
            PathParam::new("color", path)
                .with_explode(explode)
                .serialize(value)
                .unwrap(),
        ),
        None => QueryParam::new("color", query_style(style))
            .with_explode(explode)
            .serialize(value)
            .unwrap(),
    }
}

/// The four columns, sent.
fn sent_row(style: &str, explode: bool) -> [Option<String>; 4] {
    [
        send(style, explode, ""),
        send(style, explode, "blue"),
        send(style, explode, &ARRAY),
        send(style, explode, &OBJECT),
    ]
}

#[test]
fn every_cell_of_the_style_examples_table_of_openapi_3_1_1() {
    let mut checked = 0;
    for &(style, explode, cells) in OAS_3_1_1 {
        let ours = OUR_NOT_APPLICABLE
            .iter()
            .find(|(s, e, _)| *s == style && *e == explode)
            .map(|(_, _, cells)| *cells);
        let sent = sent_row(style, explode);
        for (column, (cell, sent)) in cells.iter().zip(sent).enumerate() {
            let expected = match cell {
                // The `?` is the URL's, before the first pair.
                Some(printed) => printed.strip_prefix('?').unwrap_or(printed),
                None => ours.and_then(|cells| cells[column]).unwrap_or_else(|| {
                    panic!("{style} explode={explode} column {column}: n/a without our choice")
                }),
            };
            assert_eq!(
                sent.as_deref(),
                Some(expected),
                "{style} explode={explode} column {column}"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 14 * 4);
}

#[test]
fn every_cell_of_the_style_examples_table_of_openapi_3_0_3_or_the_listed_correction() {
    let mut differing = 0;
    for &(style, explode, cells) in OAS_3_0_3 {
        let sent = sent_row(style, explode);
        for (column, (cell, sent)) in cells.iter().zip(sent).enumerate() {
            let Some(printed) = cell else { continue };
            let correction = DIFFERS_FROM_3_0_3
                .iter()
                .find(|(s, e, c, ..)| *s == style && *e == explode && *c == column);
            match correction {
                None => assert_eq!(
                    sent.as_deref(),
                    Some(*printed),
                    "{style} explode={explode} column {column}"
                ),
                Some(&(.., was, now)) => {
                    assert_eq!(*printed, was, "the list quotes 3.0.3 as it is");
                    assert_ne!(was, now);
                    assert_eq!(sent.as_deref(), Some(now), "{style} explode={explode}");
                    differing += 1;
                }
            }
        }
    }
    assert_eq!(differing, DIFFERS_FROM_3_0_3.len());
}

/// `simple` is also the header style: the table's values need no encoding, so a header
/// is the path's expansion, and undefined sends no header.
#[test]
fn header_simple_follows_the_table() {
    for explode in [false, true] {
        let header = HeaderParam::new("X-Color").with_explode(explode);
        let row = OAS_3_1_1
            .iter()
            .find(|(s, e, _)| *s == "simple" && *e == explode)
            .unwrap();
        let sent = [
            header.serialize("").unwrap(),
            header.serialize("blue").unwrap(),
            header.serialize(&ARRAY).unwrap(),
            header.serialize(&OBJECT).unwrap(),
        ];
        for (cell, sent) in row.2.iter().zip(sent) {
            assert_eq!(sent.unwrap(), cell.unwrap());
        }
        assert_eq!(header.serialize(&None::<u8>).unwrap(), None);
    }
}

/// `form` is also the cookie style: the table's cells, but pieces separated by `; `.
#[test]
fn cookie_form_follows_the_table_with_cookie_separators() {
    for explode in [false, true] {
        let cookie = CookieParam::new("color").with_explode(explode);
        let row = OAS_3_1_1
            .iter()
            .find(|(s, e, _)| *s == "form" && *e == explode)
            .unwrap();
        let sent = [
            cookie.serialize("").unwrap(),
            cookie.serialize("blue").unwrap(),
            cookie.serialize(&ARRAY).unwrap(),
            cookie.serialize(&OBJECT).unwrap(),
        ];
        for (cell, sent) in row.2.iter().zip(sent) {
            let expected = cell.unwrap().trim_start_matches('?').replace('&', "; ");
            assert_eq!(sent.unwrap(), expected);
        }
    }
    assert_eq!(
        CookieParam::new("color")
            .serialize(&ARRAY)
            .unwrap()
            .unwrap(),
        "color=blue; color=black; color=brown"
    );
}

fn path(style: PathStyle, explode: bool, value: &(impl Serialize + ?Sized)) -> String {
    PathParam::new("id", style)
        .with_explode(explode)
        .serialize(value)
        .unwrap()
}

fn query(param: QueryParam<'_>, value: &(impl Serialize + ?Sized)) -> Option<String> {
    param.serialize(value).unwrap()
}

fn form(name: &str) -> QueryParam<'_> {
    QueryParam::new(name, QueryStyle::Form)
}

/// Every ASCII character outside RFC 3986 unreserved, and non-ASCII text.
const RESERVED: &str = "[]|,/?:@!$&'()*+;= #%\"<>\\^`{}";
const RESERVED_ENCODED: &str =
    "%5B%5D%7C%2C%2F%3F%3A%40%21%24%26%27%28%29%2A%2B%3B%3D%20%23%25%22%3C%3E%5C%5E%60%7B%7D";

#[test]
fn path_values_encode_every_reserved_character_commas_included() {
    assert_eq!(
        path(
            PathStyle::Simple,
            false,
            "5500-Grand-Lake-Dr,-San-Antonio,-TX-78244"
        ),
        "5500-Grand-Lake-Dr%2C-San-Antonio%2C-TX-78244"
    );
    assert_eq!(path(PathStyle::Simple, false, RESERVED), RESERVED_ENCODED);
    assert_eq!(
        path(PathStyle::Simple, false, "São Paulo/β ü 日本 😀"),
        "S%C3%A3o%20Paulo%2F%CE%B2%20%C3%BC%20%E6%97%A5%E6%9C%AC%20%F0%9F%98%80"
    );
    // The unreserved characters, `.` and `~` included, as they are.
    assert_eq!(path(PathStyle::Simple, false, "A-z_0.9~"), "A-z_0.9~");
    // A `,` in a member is told apart from the `,` between members.
    assert_eq!(path(PathStyle::Simple, false, &["a,b", "c"]), "a%2Cb,c");
    assert_eq!(path(PathStyle::Label, false, &["a.b", "c/d"]), ".a.b,c%2Fd");
    assert_eq!(path(PathStyle::Label, true, &["x y", "é"]), ".x%20y.%C3%A9");
    assert_eq!(path(PathStyle::Matrix, false, "a;b=c"), ";id=a%3Bb%3Dc");
    assert_eq!(
        path(PathStyle::Matrix, true, &json!({"k;1": "v=2"})),
        ";k%3B1=v%3D2"
    );
    // A name that is no RFC 6570 variable name is encoded too.
    assert_eq!(
        PathParam::new("a b", PathStyle::Matrix)
            .serialize("c")
            .unwrap(),
        ";a%20b=c"
    );
}

#[test]
fn a_whole_segment_that_would_change_the_path_is_refused() {
    let id = PathParam::new("id", PathStyle::Simple);
    for value in ["", ".", ".."] {
        let err = id.serialize_segment(value).unwrap_err();
        assert_eq!(err.name(), "id");
        assert_eq!(err.location(), Location::Path);
        assert!(
            err.to_string().starts_with("invalid argument `id`: "),
            "{err}"
        );
    }
    // Undefined expands to nothing, an empty segment.
    assert!(id.serialize_segment(&None::<String>).is_err());
    assert!(id.serialize_segment(&Vec::<u8>::new()).is_err());
    // `label` of "" is ".".
    assert!(
        PathParam::new("id", PathStyle::Label)
            .serialize_segment("")
            .is_err()
    );
    // Not whole segments: `serialize` sends them.
    assert_eq!(id.serialize("..").unwrap(), "..");
    assert_eq!(id.serialize("").unwrap(), "");
    assert_eq!(id.serialize_segment("...").unwrap(), "...");
    assert_eq!(id.serialize_segment("a.").unwrap(), "a.");
}

#[test]
fn query_values_encode_every_reserved_character_and_spaces_as_percent_20() {
    assert_eq!(
        query(form("q"), RESERVED).unwrap(),
        format!("q={RESERVED_ENCODED}")
    );
    assert_eq!(query(form("q"), "a b+c").unwrap(), "q=a%20b%2Bc");
    assert_eq!(
        query(form("city"), "São Paulo").unwrap(),
        "city=S%C3%A3o%20Paulo"
    );
    // Names are encoded as values are.
    assert_eq!(
        query(form("filter[status]"), "open").unwrap(),
        "filter%5Bstatus%5D=open"
    );
    assert_eq!(
        query(form("tags").with_explode(false), &["a,b", "c&d"]).unwrap(),
        "tags=a%2Cb,c%26d"
    );
    assert_eq!(
        query(
            QueryParam::new("q", QueryStyle::SpaceDelimited),
            &["a b", "c|d"]
        )
        .unwrap(),
        "q=a%20b%20c%7Cd"
    );
    assert_eq!(
        query(
            QueryParam::new("q", QueryStyle::PipeDelimited),
            &["a|b", "é"]
        )
        .unwrap(),
        "q=a%7Cb%7C%C3%A9"
    );
    assert_eq!(
        query(
            QueryParam::new("f", QueryStyle::DeepObject),
            &json!({"a b": "c[d]"})
        )
        .unwrap(),
        "f%5Ba%20b%5D=c%5Bd%5D"
    );
}

#[test]
fn allow_reserved_sends_the_reserved_set_as_it_is() {
    let reserved = |param: QueryParam<'_>, value: &serde_json::Value| {
        query(param.with_allow_reserved(true), value).unwrap()
    };
    assert_eq!(
        reserved(form("q"), &json!(":/?[]@!$&()*+,;=")),
        "q=:/?[]@!$&()*+,;="
    );
    // Why `'` is sent as `%27` all the same: the URL parser under reqwest would.
    let parsed = reqwest::Url::parse("http://h/?q=a'b").unwrap();
    assert_eq!(parsed.query(), Some("q=a%27b"));
    // Percent-encoded triples pass; a lone `%`, `#`, `'`, spaces, non-ASCII and the
    // characters outside both sets do not.
    assert_eq!(
        reserved(form("q"), &json!("a%2Fb 100% #x 'y' é|^")),
        "q=a%2Fb%20100%25%20%23x%20%27y%27%20%C3%A9%7C%5E"
    );
    // The name and exploded keys stay fully encoded; the style's delimiters are the
    // style's.
    assert_eq!(reserved(form("a/b"), &json!({"k/1": "v/1"})), "k%2F1=v/1");
    assert_eq!(
        reserved(form("a/b").with_explode(false), &json!({"k/1": "v/1"})),
        "a%2Fb=k/1,v/1"
    );
    assert_eq!(
        reserved(
            QueryParam::new("p", QueryStyle::PipeDelimited),
            &json!(["a/b", "c"])
        ),
        "p=a/b%7Cc"
    );
    assert_eq!(
        reserved(
            QueryParam::new("f", QueryStyle::DeepObject),
            &json!({"k[1]": "a/b"})
        ),
        "f%5Bk%5B1%5D%5D=a/b"
    );
    assert_eq!(
        reserved(QueryParam::json("j"), &json!({"u": "a/b"})),
        "j=%7B%22u%22:%22a/b%22%7D"
    );
}

#[test]
fn numbers_and_booleans_are_sent_as_json_writes_them() {
    assert_eq!(query(form("n"), &42u8).unwrap(), "n=42");
    assert_eq!(query(form("n"), &-1.5f64).unwrap(), "n=-1.5");
    assert_eq!(query(form("n"), &0.1f32).unwrap(), "n=0.1");
    // serde_json writes `1e+20`; its `+` is encoded as any other.
    assert_eq!(serde_json::to_string(&1e20f64).unwrap(), "1e+20");
    assert_eq!(query(form("n"), &1e20f64).unwrap(), "n=1e%2B20");
    assert_eq!(
        query(form("n"), &u64::MAX).unwrap(),
        "n=18446744073709551615"
    );
    assert_eq!(query(form("b"), &true).unwrap(), "b=true");
    assert_eq!(
        query(form("v").with_explode(false), &(1, false, "x")).unwrap(),
        "v=1,false,x"
    );
    assert_eq!(
        path(PathStyle::Matrix, true, &[1.25, 2.0]),
        ";id=1.25;id=2.0"
    );
    // A struct, not `json!`: serde_json's map order depends on its features, which
    // the workspace unifies (xtask turns on `preserve_order`).
    #[derive(serde::Serialize)]
    struct Toggle {
        n: f64,
        on: bool,
    }
    assert_eq!(
        HeaderParam::new("X-N")
            .serialize(&Toggle { n: -0.5, on: true })
            .unwrap()
            .unwrap(),
        "n,-0.5,on,true"
    );
    // NaN and infinities are JSON's null: undefined.
    assert_eq!(query(form("n"), &f64::NAN), None);
}

#[test]
fn deep_object_nests_objects_and_indexes_arrays() {
    let filter = QueryParam::new("filter", QueryStyle::DeepObject);
    assert_eq!(
        query(filter, &json!({"a": {"b": 1}})).unwrap(),
        "filter%5Ba%5D%5Bb%5D=1"
    );
    #[derive(Serialize)]
    struct Range {
        min: u8,
        max: Option<u8>,
    }
    #[derive(Serialize)]
    struct Filter {
        status: &'static str,
        range: Range,
        ids: Vec<u8>,
        tags: BTreeMap<String, String>,
        owner: Option<&'static str>,
    }
    let value = Filter {
        status: "open",
        range: Range { min: 1, max: None },
        ids: vec![7, 9],
        tags: BTreeMap::new(),
        owner: None,
    };
    // Declaration order; nulls and the empty map send nothing.
    assert_eq!(
        query(filter, &value).unwrap(),
        "filter%5Bstatus%5D=open&filter%5Brange%5D%5Bmin%5D=1\
         &filter%5Bids%5D%5B0%5D=7&filter%5Bids%5D%5B1%5D=9"
    );
    assert_eq!(
        query(filter, &json!({"a": [{"b": 1}, {"b": 2}]})).unwrap(),
        "filter%5Ba%5D%5B0%5D%5Bb%5D=1&filter%5Ba%5D%5B1%5D%5Bb%5D=2"
    );
    // `explode` has no effect.
    assert_eq!(
        query(filter.with_explode(false), &json!({"a": {"b": 1}})),
        query(filter, &json!({"a": {"b": 1}}))
    );
    // Nothing but empties: left out.
    assert_eq!(query(filter, &json!({"a": {}, "b": [], "c": null})), None);
}

#[test]
fn arrays_and_objects_inside_arrays_and_objects_are_sent_as_json() {
    assert_eq!(
        query(form("ids").with_explode(false), &json!([[1, 2], [3]])).unwrap(),
        "ids=%5B1%2C2%5D,%5B3%5D"
    );
    assert_eq!(
        query(form("o"), &json!({"a": {"b": "c"}})).unwrap(),
        "a=%7B%22b%22%3A%22c%22%7D"
    );
    assert_eq!(
        HeaderParam::new("X-O")
            .serialize(&json!([{"b": "c d"}]))
            .unwrap()
            .unwrap(),
        r#"{"b":"c d"}"#
    );
}

#[test]
fn undefined_values_leave_the_parameter_out_and_empty_strings_do_not() {
    let none: Option<&str> = None;
    let empty_array: Vec<String> = Vec::new();
    let empty_object: BTreeMap<String, u8> = BTreeMap::new();
    let nulls = json!([null, null]);
    let null_members = json!({"a": null});
    // What `None`, `Vec::new()` and an empty map serialize to, and arrays and objects
    // of nulls only.
    assert_eq!(
        super::Value::from_serialize(&(none, &empty_array, &empty_object)).unwrap(),
        super::Value::from_serialize(&json!([null, [], {}])).unwrap()
    );
    let undefined = [
        json!(null),
        json!([]),
        json!({}),
        nulls,
        null_members.clone(),
    ];
    for style in [
        QueryStyle::Form,
        QueryStyle::SpaceDelimited,
        QueryStyle::PipeDelimited,
        QueryStyle::DeepObject,
    ] {
        for explode in [false, true] {
            let param = QueryParam::new("p", style).with_explode(explode);
            for value in &undefined {
                assert_eq!(
                    query(param, value),
                    None,
                    "{style:?} explode={explode} {value}"
                );
            }
            assert_eq!(query(param, &none), None);
            assert_eq!(query(param, "").unwrap(), "p=");
            assert_eq!(query(param, &Some("")).unwrap(), "p=");
        }
    }
    assert_eq!(query(QueryParam::json("p"), &none), None);
    for explode in [false, true] {
        let header = HeaderParam::new("X-P").with_explode(explode);
        assert_eq!(header.serialize(&empty_array).unwrap(), None);
        assert_eq!(header.serialize(&empty_object).unwrap(), None);
        assert_eq!(header.serialize("").unwrap().unwrap(), "");
        let cookie = CookieParam::new("p").with_explode(explode);
        assert_eq!(cookie.serialize(&empty_array).unwrap(), None);
        assert_eq!(cookie.serialize(&null_members).unwrap(), None);
        assert_eq!(cookie.serialize("").unwrap().unwrap(), "p=");
        for style in [PathStyle::Simple, PathStyle::Label, PathStyle::Matrix] {
            // RFC 6570: undefined expands to nothing, not even the `.` or `;`.
            assert_eq!(path(style, explode, &empty_array), "");
            assert_eq!(path(style, explode, &empty_object), "");
        }
    }
    // Null members are left out of what is sent.
    assert_eq!(
        query(form("p"), &json!(["a", null, "b"])).unwrap(),
        "p=a&p=b"
    );
    assert_eq!(
        path(PathStyle::Matrix, true, &json!({"a": 1, "b": null})),
        ";a=1"
    );
    // RFC 6570: an empty member of an exploded `;` expansion has no `=`, of `?` has.
    assert_eq!(path(PathStyle::Matrix, true, &["a", ""]), ";id=a;id");
    assert_eq!(query(form("p"), &["a", ""]).unwrap(), "p=a&p=");
}

#[test]
fn headers_are_not_percent_encoded_and_refuse_line_breaks() {
    let header = HeaderParam::new("X-Note");
    assert_eq!(
        header.serialize("a,b; c=d %41 [x]").unwrap().unwrap(),
        "a,b; c=d %41 [x]"
    );
    // Non-ASCII goes as its UTF-8 bytes.
    let value = header.serialize("São Paulo 😀").unwrap().unwrap();
    assert_eq!(value.as_bytes(), "São Paulo 😀".as_bytes());
    assert_eq!(header.serialize("a\tb").unwrap().unwrap(), "a\tb");
    for bad in ["a\r\nX-Injected: 1", "a\nb", "a\rb", "\r\n"] {
        let err = header.serialize(bad).unwrap_err();
        assert_eq!(err.name(), "X-Note");
        assert_eq!(err.location(), Location::Header);
        assert_eq!(
            err.to_string(),
            "invalid argument `X-Note`: contains CR or LF, which would end the header"
        );
    }
    // Inside an array or object too.
    assert!(header.serialize(&["ok", "no\r\n"]).is_err());
    assert!(
        header
            .with_explode(true)
            .serialize(&json!({"k\n": "v"}))
            .is_err()
    );
    let err = header.serialize("nul\0").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid argument `X-Note`: contains a control character, which a header value cannot hold"
    );
    assert!(header.serialize("del\u{7f}").is_err());
    // JSON escapes line breaks: a JSON header is never refused for them.
    assert_eq!(
        HeaderParam::json("X-J")
            .serialize(&json!({"a": "x\r\ny é"}))
            .unwrap()
            .unwrap()
            .as_bytes(),
        r#"{"a":"x\r\ny é"}"#.as_bytes()
    );
}

#[test]
fn cookies_are_percent_encoded_pieces_of_one_header() {
    let session = CookieParam::new("session");
    assert_eq!(
        session.serialize("a;b, c\"d\\é").unwrap().unwrap(),
        "session=a%3Bb%2C%20c%22d%5C%C3%A9"
    );
    assert_eq!(
        session
            .with_explode(false)
            .serialize(&OBJECT)
            .unwrap()
            .unwrap(),
        "session=R,100,G,200,B,150"
    );
    assert_eq!(
        CookieParam::json("prefs")
            .serialize(&json!({"a": 1}))
            .unwrap()
            .unwrap(),
        "prefs=%7B%22a%22%3A1%7D"
    );
    let mut cookies = Cookies::new();
    assert_eq!(cookies.header_value(), None);
    cookies
        .push(session, "s1")
        .unwrap()
        .push(CookieParam::new("absent"), &None::<u8>)
        .unwrap()
        .push(CookieParam::new("ids"), &[1, 2])
        .unwrap();
    assert_eq!(cookies.as_str(), "session=s1; ids=1; ids=2");
    assert_eq!(cookies.header_value().unwrap(), "session=s1; ids=1; ids=2");
    assert_eq!(cookies.to_string(), cookies.as_str());
}

#[test]
fn a_json_content_query_parameter_is_its_json_text_percent_encoded() {
    #[derive(Serialize)]
    struct Filter {
        status: &'static str,
        tags: Vec<&'static str>,
        limit: Option<u8>,
    }
    let value = Filter {
        status: "open",
        tags: vec!["a b", "é"],
        limit: None,
    };
    // Fields in declaration order, nulls kept: it is the value's JSON.
    assert_eq!(
        query(QueryParam::json("filter"), &value).unwrap(),
        "filter=%7B%22status%22%3A%22open%22%2C%22tags%22%3A%5B%22a%20b%22%2C%22%C3%A9%22%5D%2C%22limit%22%3Anull%7D"
    );
    assert_eq!(
        query(QueryParam::json("s"), "blue").unwrap(),
        "s=%22blue%22"
    );
    assert_eq!(query(QueryParam::json("s"), &7).unwrap(), "s=7");
    // `style` and `explode` do not apply.
    assert_eq!(
        query(QueryParam::json("a").with_explode(true), &["x", "y"]).unwrap(),
        "a=%5B%22x%22%2C%22y%22%5D"
    );
    assert_eq!(
        PathParam::json("p").serialize(&json!({"k": [1]})).unwrap(),
        "%7B%22k%22%3A%5B1%5D%7D"
    );
}

#[test]
fn the_query_string_appends_raw_pairs_and_leaves_out_undefined_ones() {
    let mut q = QueryString::new();
    assert!(q.is_empty());
    q.push(form("a"), &None::<u8>)
        .unwrap()
        .push(form("b"), "x y")
        .unwrap()
        .push(form("c"), &Vec::<u8>::new())
        .unwrap()
        .push(
            QueryParam::new("d", QueryStyle::DeepObject),
            &json!({"e": 1}),
        )
        .unwrap();
    assert_eq!(q.as_str(), "b=x%20y&d%5Be%5D=1");
    assert_eq!(q.to_string(), q.as_str());

    // An error adds nothing.
    let mut keys = BTreeMap::new();
    keys.insert((1, 2), "tuple key");
    let err = q.push(form("bad"), &keys).unwrap_err();
    assert_eq!(err.name(), "bad");
    assert_eq!(err.location(), Location::Query);
    assert_eq!(
        err.reason(),
        "cannot be serialized as a query parameter: an object key must be a string, a \
         number or a boolean"
    );
    assert_eq!(q.as_str(), "b=x%20y&d%5Be%5D=1");

    let cases = [
        ("http://h/p", "http://h/p?b=x%20y&d%5Be%5D=1"),
        ("http://h/p?", "http://h/p?b=x%20y&d%5Be%5D=1"),
        ("http://h/p?k=1", "http://h/p?k=1&b=x%20y&d%5Be%5D=1"),
        ("http://h/p?k=1&", "http://h/p?k=1&b=x%20y&d%5Be%5D=1"),
    ];
    for (before, after) in cases {
        let mut url = before.to_owned();
        q.append_to(&mut url);
        assert_eq!(url, after);
        let mut parsed = reqwest::Url::parse(before).unwrap();
        q.apply_to(&mut parsed);
        assert_eq!(parsed.as_str(), after);
        // reqwest parses the string into the same URL: nothing encoded again.
        assert_eq!(reqwest::Url::parse(&url).unwrap().as_str(), after);
    }
    let mut url = "http://h/p".to_owned();
    QueryString::new().append_to(&mut url);
    assert_eq!(url, "http://h/p");
}

#[test]
fn param_errors_become_invalid_argument_errors() {
    let err: ParamError = HeaderParam::new("X-Trace").serialize("a\nb").unwrap_err();
    let text = err.to_string();
    let runtime: crate::Error = err.clone().into();
    assert!(matches!(
        &runtime,
        crate::Error::InvalidArgument { name, reason }
            if name == "X-Trace" && reason == "contains CR or LF, which would end the header"
    ));
    assert_eq!(runtime.to_string(), text);
    let progenitor: progenitor_client::Error<()> = err.into();
    assert!(matches!(
        progenitor,
        progenitor_client::Error::InvalidRequest(message) if message == text
    ));
}

#[test]
fn descriptors_have_the_documents_defaults() {
    let form = QueryParam::new("q", QueryStyle::Form);
    assert!(form.explode);
    assert!(!form.allow_reserved);
    for style in [
        QueryStyle::SpaceDelimited,
        QueryStyle::PipeDelimited,
        QueryStyle::DeepObject,
    ] {
        assert!(!QueryParam::new("q", style).explode);
    }
    assert!(!PathParam::new("p", PathStyle::Matrix).explode);
    assert!(!HeaderParam::new("h").explode);
    assert!(CookieParam::new("c").explode);
    assert_eq!(PathStyle::default(), PathStyle::Simple);
    assert_eq!(QueryStyle::default(), QueryStyle::Form);
}

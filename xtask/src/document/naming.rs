//! The one case converter: every Rust identifier the generator emits. Names next to
//! progenitor's code are spelled the way progenitor spells it (progenitor-impl 0.15's
//! `util::sanitize`, which is private, reproduced here with the same crates; a test
//! compares both on progenitor's own output); the variants of our forward-compatible
//! enums follow [`variant_names`].

use heck::{ToPascalCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

/// The two cases progenitor uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Types and builders: `ListTasks`.
    Pascal,
    /// Methods, fields and setters: `list_tasks`.
    Snake,
}

/// progenitor's spelling of `input` in `case`: a valid Rust identifier.
pub fn sanitize(input: &str, case: Case) -> String {
    recase(input, case, "_")
}

/// typify's spelling of a schema name as a Rust type (`components.schemas` keys):
/// like [`sanitize`], but a name that cannot start an identifier gets an `X` prefix.
pub fn type_name(schema_name: &str) -> String {
    recase(schema_name, Case::Pascal, "X")
}

/// typify's field name for a JSON property: [`sanitize`] in snake case, with typify's
/// `x` prefix for a name that cannot start an identifier.
pub fn field_name(property: &str) -> String {
    recase(property, Case::Snake, "x")
}

/// The rule progenitor and typify share (heck's case, non-identifier characters as word
/// breaks, a trailing `_` after a keyword); they differ only in what goes before a name
/// that cannot start an identifier: progenitor `_`, typify `x`/`X`.
fn recase(input: &str, case: Case, prefix: &str) -> String {
    let to_case = |s: &str| match case {
        Case::Pascal => s.to_pascal_case(),
        Case::Snake => s.to_snake_case(),
    };
    // If every case was special then none of them would be (progenitor's words).
    let out = match input {
        "+1" => "plus1".to_owned(),
        "-1" => "minus1".to_owned(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    };
    let out = match out.chars().next() {
        None => to_case("x"),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("{prefix}{out}"),
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

/// Methods progenitor and the generator put on every request builder: a parameter
/// whose setter would have one of these names cannot be generated.
pub const BUILDER_METHODS: &[&str] = &[
    "new",
    "send",
    "call",
    "stream",
    "with_options",
    "call_with_response",
    "client",
];

/// An environment variable's part for a name of the document: `adminToken`,
/// `admin-token`: `ADMIN_TOKEN`.
pub fn env_name(name: &str) -> String {
    use heck::ToShoutySnakeCase;
    let upper: String = name
        .to_shouty_snake_case()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if upper.is_empty() {
        "KEY".to_owned()
    } else {
        upper
    }
}

/// The method progenitor writes on `Client` for an operation id.
pub fn method_name(operation_id: &str) -> String {
    sanitize(operation_id, Case::Snake)
}

/// The request builder progenitor writes for an operation id (in `builder`).
pub fn builder_name(operation_id: &str) -> String {
    sanitize(&method_name(operation_id), Case::Pascal)
}

/// The setter progenitor writes on a builder for a parameter's wire name.
pub fn setter_name(parameter: &str) -> String {
    sanitize(parameter, Case::Snake)
}

/// `IN_PROGRESS` → `InProgress`, `awaiting_input` → `AwaitingInput`, `Queued` → `Queued`;
/// a value of symbols only is spelled out (`<=` → `LtEq`).
pub fn variant_name(wire: &str) -> String {
    let name: String = wire
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = if w.chars().all(|c| !c.is_ascii_lowercase()) {
                w.to_ascii_lowercase()
            } else {
                w.to_owned()
            };
            let mut chars = lower.chars();
            let first = chars.next().expect("non-empty").to_ascii_uppercase();
            std::iter::once(first).chain(chars).collect::<String>()
        })
        .collect();
    let name = if name.is_empty() {
        wire.chars().map(symbol_name).collect::<String>()
    } else {
        name
    };
    match name.chars().next() {
        None => "Empty".into(),
        Some(c) if c.is_ascii_digit() => format!("V{name}"),
        Some(_) => name,
    }
}

fn symbol_name(c: char) -> &'static str {
    match c {
        '=' => "Eq",
        '<' => "Lt",
        '>' => "Gt",
        '!' => "Not",
        '+' => "Plus",
        '-' => "Minus",
        '*' => "Star",
        '/' => "Slash",
        '\\' => "Backslash",
        '%' => "Percent",
        '&' => "And",
        '|' => "Or",
        '^' => "Caret",
        '~' => "Tilde",
        '.' => "Dot",
        ',' => "Comma",
        ':' => "Colon",
        ';' => "Semicolon",
        '?' => "Question",
        '@' => "At",
        '#' => "Hash",
        '$' => "Dollar",
        '_' => "Underscore",
        '\'' | '"' | '`' => "Quote",
        '(' | ')' | '[' | ']' | '{' | '}' => "Bracket",
        ' ' => "Space",
        _ => "Symbol",
    }
}

/// Rust variants for the values of a string enum: `Unknown` (the forward-compatible
/// variant's name) and values that convert to the same name get a numeric suffix, in
/// document order; a repeated value is listed once.
pub fn variant_names(values: &[String]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for wire in values {
        if out.iter().any(|(_, w)| w == wire) {
            continue;
        }
        let base = variant_name(wire);
        let mut name = base.clone();
        let mut n = 1;
        while name == "Unknown" || out.iter().any(|(v, _)| *v == name) {
            n += 1;
            name = format!("{base}{n}");
        }
        out.push((name, wire.clone()));
    }
    out
}

/// typify's list of words that cannot be identifiers (Rust keywords, `gen` included).
fn is_keyword(ident: &str) -> bool {
    matches!(
        ident,
        "_" | "abstract"
            | "as"
            | "async"
            | "await"
            | "become"
            | "box"
            | "break"
            | "const"
            | "continue"
            | "crate"
            | "do"
            | "dyn"
            | "else"
            | "enum"
            | "extern"
            | "false"
            | "final"
            | "fn"
            | "for"
            | "gen"
            | "if"
            | "impl"
            | "in"
            | "let"
            | "loop"
            | "macro"
            | "match"
            | "mod"
            | "move"
            | "mut"
            | "override"
            | "priv"
            | "pub"
            | "ref"
            | "return"
            | "Self"
            | "self"
            | "static"
            | "struct"
            | "super"
            | "trait"
            | "true"
            | "try"
            | "type"
            | "typeof"
            | "unsafe"
            | "unsized"
            | "use"
            | "virtual"
            | "where"
            | "while"
            | "yield"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_follow_rust_conventions() {
        assert_eq!(variant_name("IN_PROGRESS"), "InProgress");
        assert_eq!(variant_name("awaiting_input"), "AwaitingInput");
        assert_eq!(variant_name("Queued"), "Queued");
        assert_eq!(variant_name("2fa"), "V2fa");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("<="), "LtEq");
        let names = |values: &[&str]| -> Vec<String> {
            let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
            variant_names(&values).into_iter().map(|(n, _)| n).collect()
        };
        assert_eq!(names(&["a-b", "a_b", "A B"]), ["AB", "AB2", "AB3"]);
        assert_eq!(names(&["unknown", "Unknown"]), ["Unknown2", "Unknown3"]);
        assert_eq!(names(&["none", "NONE", "none"]), ["None", "None2"]);
        assert_eq!(
            names(&["==", "<", "<=", ">", ">="]),
            ["EqEq", "Lt", "LtEq", "Gt", "GtEq"]
        );
    }

    /// The names we compute appear in what progenitor itself generates.
    #[test]
    fn names_match_progenitors_output() {
        let ids = [
            "DownloadFileByID",
            "list-tasks",
            "2fa_enable",
            "getHTTPStatus",
            "type",
        ];
        let params = ["pageNumber", "page-size", "type", "$filter", "X-Request-ID"];
        let mut paths = serde_json::Map::new();
        for (i, id) in ids.iter().enumerate() {
            let parameters: Vec<_> = params
                .iter()
                .map(
                    |p| serde_json::json!({"name": p, "in": "query", "schema": {"type": "string"}}),
                )
                .collect();
            paths.insert(
                format!("/p{i}"),
                serde_json::json!({"get": {"operationId": id, "parameters": parameters,
                    "responses": {"204": {"description": "none"}}}}),
            );
        }
        let doc = serde_json::json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths});
        let api: openapiv3::OpenAPI = serde_json::from_value(doc).unwrap();
        let mut settings = progenitor::GenerationSettings::new();
        settings.with_interface(progenitor::InterfaceStyle::Builder);
        let code = progenitor::Generator::new(&settings)
            .generate_tokens(&api)
            .unwrap()
            .to_string();
        for id in ids {
            assert!(
                code.contains(&format!("pub struct {} <", builder_name(id))),
                "{id}"
            );
            assert!(
                code.contains(&format!("pub fn {} (", method_name(id))),
                "{id}"
            );
        }
        for p in params {
            assert!(
                code.contains(&format!("pub fn {} <", setter_name(p))),
                "{p}"
            );
        }
    }

    #[test]
    fn names_follow_progenitor() {
        assert_eq!(builder_name("DownloadFileByID"), "DownloadFileById");
        assert_eq!(method_name("DownloadFileByID"), "download_file_by_id");
        assert_eq!(builder_name("list_tasks"), "ListTasks");
        assert_eq!(builder_name("datasets-list"), "DatasetsList");
        assert_eq!(setter_name("pageNumber"), "page_number");
        assert_eq!(setter_name("page-size"), "page_size");
        assert_eq!(setter_name("type"), "type_");
        assert_eq!(setter_name("$filter"), "filter");
        assert_eq!(method_name("2fa_enable"), "_2fa_enable");
        assert_eq!(builder_name("2fa_enable"), "_2faEnable");
        assert_eq!(type_name("task-status"), "TaskStatus");
        assert_eq!(type_name("2fa.Mode"), "X2faMode");
        assert_eq!(
            type_name("TasksController_getTasks"),
            "TasksControllerGetTasks"
        );
        assert_eq!(type_name("listTasks"), "ListTasks");
        assert_eq!(field_name("prefs/background"), "prefs_background");
        assert_eq!(field_name("2fa"), "x2fa");
    }
}

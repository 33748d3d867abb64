//! The one case converter: every Rust identifier the generator emits next to
//! progenitor's code is spelled the way progenitor spells it (progenitor-impl 0.15's
//! `util::sanitize`, which is private, reproduced here with the same crates; a test
//! compares both on progenitor's own output).

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
    let to_case = |s: &str| match case {
        Case::Pascal => s.to_pascal_case(),
        Case::Snake => s.to_snake_case(),
    };
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
        Some(_) => format!("_{out}"),
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
    }
}

/// typify's spelling of a schema name as a Rust type (`components.schemas` keys):
/// like [`sanitize`], but a name that cannot start an identifier gets an `X` prefix.
pub fn type_name(schema_name: &str) -> String {
    let out = schema_name
        .replace('\'', "")
        .replace(|c: char| !is_xid_continue(c), "-")
        .to_pascal_case();
    let out = match out.chars().next() {
        None => "X".to_owned(),
        Some(c) if is_xid_start(c) => out,
        Some(_) => format!("X{out}"),
    };
    if is_keyword(&out) {
        format!("{out}_")
    } else {
        out
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
    }
}

//! Path items and operation names: `$ref` path items resolved, callbacks dropped, every
//! operation given a unique `operationId`.

use serde_json::{Value, json};

use crate::document;
use crate::document::naming;

/// [`resolve_path_items`]: a path item that is a `$ref` is replaced by a copy of its
/// target (or removed when the target is missing), a `paths` key that is not a path
/// (`$ref`, `x-...`) is dropped, and operations lose their `callbacks` (requests the
/// *server* makes; a client has nothing to generate for them, and progenitor cannot
/// parse some).
pub fn resolve_path_items(doc: &mut Value) {
    let snapshot = doc.clone();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    paths.retain(|path, _| path.starts_with('/'));
    for item in paths.values_mut() {
        let mut hops = 0;
        while let Some(target) = item.get("$ref").and_then(Value::as_str).map(str::to_owned) {
            hops += 1;
            match target.strip_prefix('#').and_then(|p| snapshot.pointer(p)) {
                Some(resolved) if hops <= 16 && resolved.is_object() => *item = resolved.clone(),
                _ => {
                    *item = json!({});
                    break;
                }
            }
        }
        for method in document::METHODS {
            if let Some(Value::Object(op)) = item.get_mut(*method) {
                op.shift_remove("callbacks");
            }
        }
    }
}

/// [`name_operations`]: every operation gets an `operationId` whose Rust method name is
/// unique.
///
/// An `operationId` the document repeats (which OpenAPI forbids, and published
/// documents still do) is kept by the first operation; each later one gets a suffix
/// from what tells it apart ([`distinguishing`]: `getThing_head`, `listTasks_v2`) and
/// the extension [`document::DUPLICATE_ID`], which regen prints as a warning.
///
/// An operation without one is named from its method and path: literal segments in
/// snake case, `{param}` segments as `by_<param>`, e.g. `GET /pets/{petId}/toys` →
/// `get_pets_by_pet_id_toys`, `GET /` → `get_root`. Where two operations would get
/// the same method name (a derived name equal to another, or ids such as `getUser` and
/// `get_user` that progenitor spells alike), the later one in document order gets
/// `_2`, `_3`, ... An overlay can set any operation's `operationId` instead.
pub fn name_operations(doc: &mut Value) {
    let ops: Vec<(String, String, Option<String>)> = document::operations(doc)
        .iter()
        .map(|op| {
            let id = op
                .op
                .get("operationId")
                .and_then(Value::as_str)
                .filter(|id| !id.trim().is_empty())
                .map(str::to_owned);
            (op.path.to_owned(), op.method.to_owned(), id)
        })
        .collect();
    let mut used = std::collections::BTreeSet::new();
    // The first holder of each id: (path, method).
    let mut first: std::collections::BTreeMap<&str, (&str, &str)> = Default::default();
    let mut renames = Vec::new();
    for (path, method, id) in &ops {
        match id {
            Some(id)
                if !first.contains_key(id.as_str()) && used.insert(naming::method_name(id)) =>
            {
                first.insert(id, (path, method));
            }
            Some(id) => match first.get(id.as_str()) {
                // The same id again: named after what tells it from the first.
                Some((first_path, first_method)) => renames.push((
                    path,
                    method,
                    naming::method_name(&format!(
                        "{id}_{}",
                        distinguishing(first_path, first_method, path, method)
                    )),
                    Some(id),
                )),
                // Another id that progenitor spells alike (`getPets`, `get_pets`).
                None => renames.push((path, method, naming::method_name(id), None)),
            },
            None => renames.push((path, method, derived_operation_id(method, path), None)),
        }
    }
    for (path, method, base, duplicate) in renames {
        let mut name = base.clone();
        let mut n = 1;
        while !used.insert(name.clone()) {
            n += 1;
            name = format!("{base}_{n}");
        }
        let op = &mut doc["paths"][path.as_str()][method.as_str()];
        op["operationId"] = json!(name);
        if let Some(id) = duplicate {
            op[document::DUPLICATE_ID] = json!(id);
        }
    }
}

/// What tells a repeated operationId's operation (`method path`) from the first one's:
/// its method when they differ (`GET` and `HEAD` of one path), else the literal path
/// segments the first one's path lacks (`/v2/tasks` beside `/v1/tasks`: `v2`), else its
/// method.
fn distinguishing(first_path: &str, first_method: &str, path: &str, method: &str) -> String {
    if method != first_method {
        return method.to_owned();
    }
    let literal = |p: &str| -> Vec<String> {
        p.split('/')
            .filter(|s| !s.is_empty() && !s.starts_with('{'))
            .map(str::to_owned)
            .collect()
    };
    let theirs = literal(first_path);
    let own: Vec<String> = literal(path)
        .into_iter()
        .filter(|s| !theirs.contains(s))
        .collect();
    if own.is_empty() {
        method.to_owned()
    } else {
        own.join("_")
    }
}

/// `get` + `/pets/{petId}/toys` → `get_pets_by_pet_id_toys`.
pub fn derived_operation_id(method: &str, path: &str) -> String {
    let mut words = vec![method.to_owned()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{param}")),
            None => words.push(segment.to_owned()),
        }
    }
    if words.len() == 1 {
        words.push("root".into());
    }
    naming::method_name(&words.join("_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_without_ids_are_named_from_method_and_path() {
        let mut doc = json!({"paths": {
            "/": {"get": {}},
            "/pets/{petId}/toys": {"get": {}, "post": {"operationId": "addToy"}},
            "/pets": {"get": {"operationId": "get_pets"}, "put": {"operationId": "getPets"}},
            "/users": {"get": {"operationId": "get_pets_by_pet_id_toys"}}
        }});
        name_operations(&mut doc);
        let ids: Vec<&str> = document::operations(&doc)
            .iter()
            .map(|op| op.op["operationId"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "get_root",
                "get_pets_by_pet_id_toys_2",
                "addToy",
                "get_pets",
                "get_pets_2",
                "get_pets_by_pet_id_toys"
            ]
        );
    }
}

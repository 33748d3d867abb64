//! Stage 2: apply an OpenAPI Overlay 1.0 document (`specs/<p>/overlay.yaml`) to the
//! vendored spec. Targets are RFC 9535 JSONPath expressions (serde_json_path).
//!
//! - `update`: objects merge recursively (the update's keys win), arrays are
//!   concatenated, anything else is replaced.
//! - `remove: true`: the targeted nodes are removed.
//!
//! A target that matches nothing is an error: a stale overlay must not pass silently
//! when the provider changes its spec.

use std::path::Path;

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

/// Applies every action of `overlay` to `doc`, in order.
pub fn apply(doc: &mut Value, overlay: &Value) -> Result<(), String> {
    match overlay.get("overlay") {
        Some(Value::String(v)) if v.starts_with("1.") => {}
        _ => {
            return Err(
                "not an Overlay 1.x document: `overlay: 1.0.0` missing at $.overlay".into(),
            );
        }
    }
    let Some(Value::Array(actions)) = overlay.get("actions") else {
        return Err("no `actions` list at $.actions".into());
    };
    for (i, action) in actions.iter().enumerate() {
        apply_action(doc, action).map_err(|e| format!("{e} at $.actions[{i}]"))?;
    }
    Ok(())
}

fn apply_action(doc: &mut Value, action: &Value) -> Result<(), String> {
    let Some(Value::String(target)) = action.get("target") else {
        return Err("missing `target`".into());
    };
    let path = JsonPath::parse(target).map_err(|e| format!("invalid JSONPath {target:?}: {e}"))?;
    let pointers: Vec<String> = path
        .query_located(doc)
        .locations()
        .map(|location| location.to_json_pointer())
        .collect();
    if pointers.is_empty() {
        return Err(format!("target {target:?} matches nothing"));
    }
    let remove = matches!(action.get("remove"), Some(Value::Bool(true)));
    match (remove, action.get("update")) {
        (true, None) => {
            // Back to front, so that removing one array element does not shift the next.
            for pointer in pointers.iter().rev() {
                remove_at(doc, pointer);
            }
        }
        (false, Some(update)) => {
            for pointer in &pointers {
                let node = doc.pointer_mut(pointer).expect("located by the query");
                merge(node, update.clone());
            }
        }
        (true, Some(_)) => return Err("an action has both `update` and `remove`".into()),
        (false, None) => return Err("an action needs `update` or `remove: true`".into()),
    }
    Ok(())
}

fn remove_at(doc: &mut Value, pointer: &str) {
    let (parent, last) = pointer
        .rsplit_once('/')
        .expect("a located node has a parent");
    let key = crate::document::from_pointer_token(last);
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                items.remove(i);
            }
        }
        _ => {}
    }
}

/// Overlay `update` semantics.
pub fn merge(target: &mut Value, update: Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => merge_maps(target, update),
        (Value::Array(target), Value::Array(update)) => target.extend(update),
        (target, update) => *target = update,
    }
}

fn merge_maps(target: &mut Map<String, Value>, update: Map<String, Value>) {
    for (key, value) in update {
        match target.get_mut(&key) {
            Some(existing) => merge(existing, value),
            None => {
                target.insert(key, value);
            }
        }
    }
}

/// `specs/<name>/overlay.yaml` (its path, for errors, and its document), if the
/// provider has one.
pub fn load(root: &Path, name: &str) -> Result<Option<(String, Value)>, String> {
    let overlay_file = format!("specs/{name}/overlay.yaml");
    if !root.join(&overlay_file).exists() {
        return Ok(None);
    }
    let overlay_doc = crate::document::load(&root.join(&overlay_file))
        .map_err(|e| format!("{overlay_file}: {e}"))?;
    Ok(Some((overlay_file, overlay_doc)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn overlay(actions: Value) -> Value {
        json!({"overlay": "1.0.0", "info": {"title": "t", "version": "1"}, "actions": actions})
    }

    #[test]
    fn update_merges_objects_and_replaces_scalars() {
        let mut doc = json!({"paths": {"/t": {"get": {"operationId": "old", "tags": ["a"]}}}});
        let o = overlay(
            json!([{"target": "$.paths['/t'].get", "update": {"operationId": "list_tasks", "tags": ["b"], "x-y": 1}}]),
        );
        apply(&mut doc, &o).unwrap();
        assert_eq!(
            doc,
            json!({"paths": {"/t": {"get": {"operationId": "list_tasks", "tags": ["a", "b"], "x-y": 1}}}})
        );
    }

    #[test]
    fn update_applies_to_every_match() {
        let mut doc = json!({"s": {"A": {"p": {}}, "B": {"p": {}}, "C": {}}});
        apply(
            &mut doc,
            &overlay(json!([{"target": "$.s[*].p", "update": {"title": "T"}}])),
        )
        .unwrap();
        assert_eq!(
            doc,
            json!({"s": {"A": {"p": {"title": "T"}}, "B": {"p": {"title": "T"}}, "C": {}}})
        );
    }

    #[test]
    fn remove_deletes_keys_and_array_elements() {
        let mut doc = json!({"a": {"b": 1, "c/d": 2}, "l": [{"n": "x"}, {"n": "y"}, {"n": "x"}]});
        let o = overlay(json!([
            {"target": "$.a['c/d']", "remove": true},
            {"target": "$.l[?@.n == 'x']", "remove": true}
        ]));
        apply(&mut doc, &o).unwrap();
        assert_eq!(doc, json!({"a": {"b": 1}, "l": [{"n": "y"}]}));
    }

    #[test]
    fn stale_or_broken_actions_are_errors() {
        let mut doc = json!({"a": {}});
        let err = apply(
            &mut doc,
            &overlay(json!([{"target": "$.nope", "update": {}}])),
        )
        .unwrap_err();
        assert_eq!(err, "target \"$.nope\" matches nothing at $.actions[0]");
        let err = apply(&mut doc, &overlay(json!([{"target": "$[", "update": {}}]))).unwrap_err();
        assert!(err.starts_with("invalid JSONPath \"$[\""), "{err}");
        let err = apply(&mut doc, &overlay(json!([{"target": "$.a"}]))).unwrap_err();
        assert_eq!(
            err,
            "an action needs `update` or `remove: true` at $.actions[0]"
        );
        let err = apply(&mut doc, &json!({"actions": []})).unwrap_err();
        assert!(err.starts_with("not an Overlay 1.x document"), "{err}");
    }
}

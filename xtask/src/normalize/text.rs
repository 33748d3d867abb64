//! Prose the generated code copies into doc comments.

use serde_json::Value;

/// Prose (`description`, `summary`) with `\r\n` or a lone `\r` gets `\n`: progenitor copies
/// it into doc comments, where rustc refuses a bare CR.
pub fn unify_line_breaks(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                match v {
                    Value::String(text) if key == "description" || key == "summary" => {
                        if text.contains('\r') {
                            *text = text.replace("\r\n", "\n").replace('\r', "\n");
                        }
                    }
                    _ => unify_line_breaks(v),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unify_line_breaks),
        _ => {}
    }
}

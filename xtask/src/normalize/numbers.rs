//! Numbers as the client must read them.

use serde_json::{Value, json};

use crate::document::schema::for_each_child_mut;

use super::walk::visit_schema_positions;

/// [`wide_floats`]: a `number` with `format: float` is read as a 64-bit float (`format:
/// double`). typify types it `f32`, and serde reads a JSON number beyond `f32`'s range
/// (`1e39`) into an `f32` as infinity, silently; as `f64` the value is kept (and one
/// beyond `f64`'s range is a decode error, as it is for every number).
pub fn wide_floats(doc: &mut Value) -> Result<(), String> {
    visit_schema_positions(doc, &mut |schema, _, _| {
        widen(schema);
        Ok(())
    })
}

fn widen(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    if map.get("format").and_then(Value::as_str) == Some("float") {
        map.insert("format".into(), json!("double"));
    }
    let _ = for_each_child_mut::<()>(map, |child, _| {
        widen(child);
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_read_as_doubles_everywhere() {
        let mut doc = json!({
            "components": {"schemas": {"M": {"type": "object", "properties": {
                "score": {"type": "number", "format": "float"},
                "list": {"type": "array", "items": {"type": "number", "format": "float"}},
                "n": {"type": "integer", "format": "int32"}
            }}}},
            "paths": {"/m": {"get": {"parameters": [
                {"name": "min", "in": "query", "schema": {"type": "number", "format": "float"}}
            ]}}}
        });
        wide_floats(&mut doc).unwrap();
        let m = &doc["components"]["schemas"]["M"]["properties"];
        assert_eq!(m["score"]["format"], "double");
        assert_eq!(m["list"]["items"]["format"], "double");
        assert_eq!(m["n"]["format"], "int32");
        assert_eq!(
            doc["paths"]["/m"]["get"]["parameters"][0]["schema"]["format"],
            "double"
        );
    }
}

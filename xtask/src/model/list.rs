//! The operation that lists a provider's tasks, which the README example, the test kit's
//! mock sources and the cross-provider tests call.

use serde_json::Value;

use crate::document;
use crate::model::Prepared;

/// The operation that lists a provider's tasks: `list_tasks`, else the first with an
/// `x-pagination`, else the first GET.
pub struct ListOperation<'a> {
    /// The client's method name.
    pub method: String,
    pub op: &'a Value,
    pub pagination: Option<&'a Value>,
}

pub fn list_operation(p: &Prepared) -> Option<ListOperation<'_>> {
    let ops = document::operations(&p.doc);
    let chosen = ops
        .iter()
        .find(|o| o.method_name() == "list_tasks")
        .or_else(|| ops.iter().find(|o| o.op.get("x-pagination").is_some()))
        .or_else(|| ops.iter().find(|o| o.method == "get"))?;
    Some(ListOperation {
        method: chosen.method_name(),
        op: chosen.op,
        pagination: chosen.op.get("x-pagination"),
    })
}

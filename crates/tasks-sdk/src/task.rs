//! One task model for every provider.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Serialize, Serializer};

/// A task from any provider, in one shape. Filled from each provider's own type as the
/// tables in [`crate::sources`] say; `raw` keeps the provider's object.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Task {
    /// The provider's short name: `deck`, `twill`, ...
    pub provider: &'static str,
    /// The provider's id for the task (for Enkrypt AI, the task's name).
    pub id: String,
    /// A human-readable name, when the provider has one.
    pub name: Option<String>,
    /// The normalized status.
    pub status: TaskStatus,
    /// When the task was created, when the provider says.
    pub created_at: Option<DateTime<Utc>>,
    /// When the task last changed, when the provider says.
    pub updated_at: Option<DateTime<Utc>>,
    /// The provider's object as the typed client decoded it, as JSON (every field the
    /// spec documents; fields it does not document are not kept).
    pub raw: serde_json::Value,
}

/// A task's status, normalized across providers. The mapping from each provider's
/// statuses is in [`crate::sources`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// Waiting to start.
    Queued,
    /// Being worked on.
    Running,
    /// Paused until a person answers.
    WaitingForInput,
    /// Finished successfully.
    Succeeded,
    /// Finished with an error.
    Failed,
    /// Stopped before finishing.
    Cancelled,
    /// A status with no normalized meaning: the provider's own value, or empty when the
    /// provider reports no status at all.
    Unknown(String),
}

impl TaskStatus {
    /// `queued`, `running`, `waiting_for_input`, `succeeded`, `failed`, `cancelled`, or
    /// the provider's own value for [`TaskStatus::Unknown`].
    pub fn as_str(&self) -> &str {
        match self {
            TaskStatus::Queued => "queued",
            TaskStatus::Running => "running",
            TaskStatus::WaitingForInput => "waiting_for_input",
            TaskStatus::Succeeded => "succeeded",
            TaskStatus::Failed => "failed",
            TaskStatus::Cancelled => "cancelled",
            TaskStatus::Unknown(value) => value,
        }
    }

    /// The status whose [`TaskStatus::as_str`] is `value`; anything else is `Unknown`.
    pub fn parse(value: &str) -> TaskStatus {
        match value {
            "queued" => TaskStatus::Queued,
            "running" => TaskStatus::Running,
            "waiting_for_input" => TaskStatus::WaitingForInput,
            "succeeded" => TaskStatus::Succeeded,
            "failed" => TaskStatus::Failed,
            "cancelled" => TaskStatus::Cancelled,
            other => TaskStatus::Unknown(other.to_owned()),
        }
    }
}

impl fmt::Display for TaskStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for TaskStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Which tasks to list, for every provider at once. Each provider applies what its API
/// can ([`crate::sources`] says which) and the rest is applied to the stream.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct TaskFilter {
    /// Only tasks with this status.
    pub status: Option<TaskStatus>,
    /// Items per request, where the provider pages (Deck, Twill: `limit`; Enkrypt AI:
    /// `per_page`); 1-100.
    pub page_size: Option<u32>,
    /// Stop after this many tasks (per provider).
    pub max_items: Option<usize>,
    /// Stop after this many pages (per provider).
    pub max_pages: Option<usize>,
}

impl TaskFilter {
    /// Every task.
    pub fn new() -> Self {
        TaskFilter::default()
    }

    /// Only tasks with `status`.
    pub fn status(mut self, status: TaskStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Items per request.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = Some(size);
        self
    }

    /// At most `n` tasks per provider.
    pub fn max_items(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }

    /// At most `n` pages per provider.
    pub fn max_pages(mut self, n: usize) -> Self {
        self.max_pages = Some(n);
        self
    }
}

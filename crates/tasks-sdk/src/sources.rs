//! [`TaskSource`]: every provider's client as a source of unified [`Task`]s.
//!
//! # How each provider fills a [`Task`]
//!
//! | Provider | `id` | `name` | `created_at` | `updated_at` | Status filter |
//! |---|---|---|---|---|---|
//! | PromptLoop | `id` | `name` | `created_at` (RFC 3339 string, when it parses) | none | on the stream |
//! | Deck | `id` | `name` | `created_at` | `updated_at` | on the stream; `Unknown(s)` is sent as Deck's `status=s` |
//! | Aether | `id` | `name` | `created_at` | `completed_at`, else `started_at` | Aether's `status` query |
//! | Twill | `id` | `title` | `createdAt` | none | on the stream |
//! | Enkrypt AI | the task name | the task name | none | none | Enkrypt's `status` query |
//!
//! # Status mapping
//!
//! | Normalized | PromptLoop | Deck | Aether (`status`) | Twill (`latestJobStatus`) | Enkrypt AI (filter) |
//! |---|---|---|---|---|---|
//! | `Queued` | | | `queued`, `provisioning` | `PENDING` | `Queued` |
//! | `Running` | | | `running` | `IN_PROGRESS` | `Running` |
//! | `WaitingForInput` | | | `awaiting_input` | | |
//! | `Succeeded` | | | (filter: `merged`) | `COMPLETED` | `Finished` |
//! | `Failed` | | | `failed` | `FAILED` | `Failed` |
//! | `Cancelled` | | | `aborted` | `CANCELLED` | |
//! | `Unknown(s)` | always `""`: tasks have no status | always: `learning`, `test`, `live` describe a task definition, not a run | any other value | any other value; `""` when no job ran | `""` without a filter |
//!
//! Enkrypt AI returns task names only, so its tasks' status is the status of the filter
//! that listed them (`Unknown("")` without one). A filter status a provider cannot
//! express server-side is applied to the stream; for Enkrypt AI a status it does not
//! have (`WaitingForInput`, `Cancelled`) lists nothing.

use std::pin::Pin;

use futures_core::Stream;
use futures_util::StreamExt;
use tasks_sdk_core::{Error, Items, Provider};

use crate::task::{Task, TaskFilter, TaskStatus};

/// A stream of unified tasks from one provider.
pub type TaskStream<'a> = Pin<Box<dyn Stream<Item = Result<Task, Error>> + Send + 'a>>;

/// A provider client that lists tasks in the unified model. Implemented by every
/// provider's `Client`; provider-specific filters stay on the client's own
/// `list_tasks()` builder.
pub trait TaskSource: Send + Sync {
    /// The provider this source lists from.
    fn provider(&self) -> &'static Provider;

    /// Every task matching `filter`, lazily, page by page.
    fn tasks(&self, filter: &TaskFilter) -> TaskStream<'_>;
}

/// The common tail of every source: map items to tasks, apply what the provider could
/// not (status), then bound the count.
fn finish<'a, T: Send + 'a>(
    items: Items<'a, T>,
    filter: &TaskFilter,
    status_on_stream: bool,
    to_task: impl Fn(T) -> Task + Send + 'a,
) -> TaskStream<'a> {
    let items = match filter.max_pages {
        Some(n) => items.max_pages(n),
        None => items,
    };
    let wanted = filter.status.clone().filter(|_| status_on_stream);
    let tasks = items
        .map(move |item| item.map(&to_task))
        .filter(move |task| {
            let keep = match (&wanted, task) {
                (Some(status), Ok(task)) => task.status == *status,
                _ => true,
            };
            std::future::ready(keep)
        });
    match filter.max_items {
        Some(n) => Box::pin(tasks.take(n)),
        None => Box::pin(tasks),
    }
}

/// What [`crate::source_from_env`] sets on a client; what is left unset comes from the
/// provider's environment variables (key, base URL) or the defaults.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct SourceOptions {
    /// In place of the provider's key variable.
    pub api_key: Option<tasks_sdk_core::ApiKey>,
    /// In place of `<PROVIDER>_BASE_URL` and the spec's server URL.
    pub base_url: Option<String>,
    /// In place of the default retry policy.
    pub retry_policy: Option<tasks_sdk_core::RetryPolicy>,
    /// In place of the default total timeout of one request.
    pub timeout: Option<std::time::Duration>,
    /// In place of `tokio::time::sleep` between retries.
    pub sleep: Option<tasks_sdk_core::Sleep>,
}

impl SourceOptions {
    /// Nothing beyond the environment variables.
    pub fn new() -> Self {
        SourceOptions::default()
    }

    /// Sets the key.
    pub fn api_key(mut self, key: impl Into<tasks_sdk_core::ApiKey>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Sets the base URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Sets the retry policy.
    pub fn retry_policy(mut self, policy: tasks_sdk_core::RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Sets the total timeout of one request.
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets how to wait between retries.
    pub fn sleep(mut self, sleep: tasks_sdk_core::Sleep) -> Self {
        self.sleep = Some(sleep);
        self
    }
}

/// A provider's client configured from `options` and, for what they leave unset, its
/// environment variables, as a boxed [`TaskSource`].
pub(crate) fn configure<C>(options: &SourceOptions) -> Result<Box<dyn TaskSource>, Error>
where
    C: tasks_sdk_core::GeneratedClient + TaskSource + 'static,
{
    let mut builder = tasks_sdk_core::ClientBuilder::<C>::new();
    if let Some(key) = &options.api_key {
        builder = builder.api_key(key.clone());
    }
    if let Some(url) = &options.base_url {
        builder = builder.base_url(url.clone());
    }
    if let Some(policy) = &options.retry_policy {
        builder = builder.retry_policy(policy.clone());
    }
    if let Some(timeout) = options.timeout {
        builder = builder.timeout(timeout);
    }
    if let Some(sleep) = &options.sleep {
        builder = builder.sleep_impl(sleep.clone());
    }
    Ok(Box::new(builder.build()?))
}

fn raw<T: serde::Serialize>(item: &T) -> serde_json::Value {
    serde_json::to_value(item).unwrap_or(serde_json::Value::Null)
}

/// No status: the provider reports none.
fn no_status() -> TaskStatus {
    TaskStatus::Unknown(String::new())
}

#[cfg(feature = "promptloop")]
impl TaskSource for crate::promptloop::Client {
    fn provider(&self) -> &'static Provider {
        &crate::promptloop::PROVIDER
    }

    fn tasks(&self, filter: &TaskFilter) -> TaskStream<'_> {
        finish(self.list_tasks().stream(), filter, true, |t| Task {
            provider: "promptloop",
            created_at: chrono::DateTime::parse_from_rfc3339(&t.created_at)
                .ok()
                .map(|d| d.to_utc()),
            updated_at: None,
            status: no_status(),
            raw: raw(&t),
            name: Some(t.name),
            id: t.id,
        })
    }
}

#[cfg(feature = "deck")]
impl TaskSource for crate::deck::Client {
    fn provider(&self) -> &'static Provider {
        &crate::deck::PROVIDER
    }

    fn tasks(&self, filter: &TaskFilter) -> TaskStream<'_> {
        let mut request = self.list_tasks();
        if let Some(size) = filter.page_size {
            request = request.limit(size);
        }
        // Deck's own statuses (learning, test, live) are only reachable as Unknown(s).
        let on_server = match &filter.status {
            Some(TaskStatus::Unknown(status)) => {
                request = request.status(status.clone());
                true
            }
            _ => false,
        };
        finish(request.stream(), filter, !on_server, |t| Task {
            provider: "deck",
            status: TaskStatus::Unknown(t.status.clone()),
            created_at: Some(t.created_at),
            updated_at: Some(t.updated_at),
            raw: raw(&t),
            name: Some(t.name),
            id: t.id,
        })
    }
}

#[cfg(feature = "aether")]
impl TaskSource for crate::aether::Client {
    fn provider(&self) -> &'static Provider {
        &crate::aether::PROVIDER
    }

    fn tasks(&self, filter: &TaskFilter) -> TaskStream<'_> {
        use crate::aether::types::TaskStatusFilter as F;
        let mut request = self.list_tasks();
        if let Some(status) = &filter.status {
            request = request.status(match status {
                TaskStatus::Queued => F::Queued,
                TaskStatus::Running => F::Running,
                TaskStatus::WaitingForInput => F::AwaitingInput,
                TaskStatus::Succeeded => F::Merged,
                TaskStatus::Failed => F::Failed,
                TaskStatus::Cancelled => F::Aborted,
                TaskStatus::Unknown(other) => F::from(other.as_str()),
            });
        }
        finish(request.stream(), filter, false, |t| {
            use crate::aether::types::TaskStatus as S;
            let status = match &t.status {
                S::Queued | S::Provisioning => TaskStatus::Queued,
                S::Running => TaskStatus::Running,
                S::AwaitingInput => TaskStatus::WaitingForInput,
                S::Failed => TaskStatus::Failed,
                S::Aborted => TaskStatus::Cancelled,
                S::Unknown(other) => TaskStatus::Unknown(other.clone()),
            };
            Task {
                provider: "aether",
                id: t.id.to_string(),
                status,
                created_at: Some(t.created_at),
                updated_at: t.completed_at.or(t.started_at),
                raw: raw(&t),
                name: t.name,
            }
        })
    }
}

#[cfg(feature = "twill")]
impl TaskSource for crate::twill::Client {
    fn provider(&self) -> &'static Provider {
        &crate::twill::PROVIDER
    }

    fn tasks(&self, filter: &TaskFilter) -> TaskStream<'_> {
        let mut request = self.list_tasks();
        if let Some(size) = filter.page_size {
            request = request.limit(u64::from(size));
        }
        finish(request.stream(), filter, true, |t| {
            use crate::twill::types::JobStatus as J;
            let status = match &t.latest_job_status {
                None => no_status(),
                Some(J::Pending) => TaskStatus::Queued,
                Some(J::InProgress) => TaskStatus::Running,
                Some(J::Completed) => TaskStatus::Succeeded,
                Some(J::Failed) => TaskStatus::Failed,
                Some(J::Cancelled) => TaskStatus::Cancelled,
                Some(J::Unknown(other)) => TaskStatus::Unknown(other.clone()),
            };
            Task {
                provider: "twill",
                status,
                created_at: Some(t.created_at),
                updated_at: None,
                raw: raw(&t),
                name: Some(t.title),
                id: t.id,
            }
        })
    }
}

#[cfg(feature = "enkrypt")]
impl TaskSource for crate::enkrypt::Client {
    fn provider(&self) -> &'static Provider {
        &crate::enkrypt::PROVIDER
    }

    fn tasks(&self, filter: &TaskFilter) -> TaskStream<'_> {
        use crate::enkrypt::types::TaskStatus as E;
        let mut request = self.list_tasks();
        if let Some(size) = filter.page_size {
            request = request.per_page(u64::from(size));
        }
        let (server_status, status) = match &filter.status {
            None => (None, no_status()),
            Some(TaskStatus::Queued) => (Some(E::Queued), TaskStatus::Queued),
            Some(TaskStatus::Running) => (Some(E::Running), TaskStatus::Running),
            Some(TaskStatus::Succeeded) => (Some(E::Finished), TaskStatus::Succeeded),
            Some(TaskStatus::Failed) => (Some(E::Failed), TaskStatus::Failed),
            Some(TaskStatus::Unknown(other)) => (
                Some(E::from(other.as_str())),
                TaskStatus::Unknown(other.clone()),
            ),
            // Enkrypt AI has no such status: nothing matches.
            Some(TaskStatus::WaitingForInput | TaskStatus::Cancelled) => {
                return Box::pin(futures_util::stream::empty());
            }
        };
        if let Some(server_status) = server_status {
            request = request.status(server_status);
        }
        finish(request.stream(), filter, false, move |name| Task {
            provider: "enkrypt",
            id: name.clone(),
            status: status.clone(),
            created_at: None,
            updated_at: None,
            raw: serde_json::Value::String(name.clone()),
            name: Some(name),
        })
    }
}

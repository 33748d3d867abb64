//! The spinner on stderr: pages and tasks per provider, while listing. Pages are counted
//! from the SDK's own `tasks_sdk.request` tracing spans (one per page fetched).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tracing::Subscriber;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// Pages and tasks seen per provider.
#[derive(Default)]
struct Counts {
    pages: BTreeMap<String, u64>,
    tasks: BTreeMap<String, u64>,
}

/// A spinner, or nothing when stderr is not a terminal or `--quiet` is given.
pub struct Progress {
    bar: Option<ProgressBar>,
    counts: Arc<Mutex<Counts>>,
    _tracing: Option<tracing::subscriber::DefaultGuard>,
}

impl Progress {
    pub fn new(enabled: bool) -> Self {
        let counts = Arc::new(Mutex::new(Counts::default()));
        if !enabled {
            return Progress {
                bar: None,
                counts,
                _tracing: None,
            };
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(ProgressStyle::with_template("{spinner} {msg}").expect("a valid template"));
        bar.enable_steady_tick(Duration::from_millis(120));
        let layer = PageCounter {
            counts: counts.clone(),
        };
        let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(layer));
        Progress {
            bar: Some(bar),
            counts,
            _tracing: Some(guard),
        }
    }

    /// One more task from `provider`.
    pub fn task(&self, provider: &str) {
        let Some(bar) = &self.bar else { return };
        let mut counts = self.counts.lock().expect("not poisoned");
        *counts.tasks.entry(provider.to_owned()).or_default() += 1;
        let message: Vec<String> = counts
            .tasks
            .iter()
            .map(|(p, n)| {
                format!(
                    "{p}: {} pages, {n} tasks",
                    counts.pages.get(p).copied().unwrap_or(0)
                )
            })
            .collect();
        bar.set_message(message.join(" | "));
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// `1 page`, `0 pages`, `3 pages`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Counts closed `tasks_sdk.request` spans by their `provider` field.
struct PageCounter {
    counts: Arc<Mutex<Counts>>,
}

struct ProviderName(String);

struct ProviderField(Option<String>);

impl Visit for ProviderField {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "provider" {
            self.0 = Some(value.to_owned());
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for PageCounter {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "tasks_sdk.request" {
            return;
        }
        let mut field = ProviderField(None);
        attrs.record(&mut field);
        if let (Some(provider), Some(span)) = (field.0, ctx.span(id)) {
            span.extensions_mut().insert(ProviderName(provider));
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        if let Some(ProviderName(provider)) = span.extensions().get::<ProviderName>() {
            *self
                .counts
                .lock()
                .expect("not poisoned")
                .pages
                .entry(provider.clone())
                .or_default() += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_for_one_only() {
        assert_eq!(plural(0, "page", "pages"), "0 pages");
        assert_eq!(plural(1, "page", "pages"), "1 page");
        assert_eq!(plural(1, "task", "tasks"), "1 task");
        assert_eq!(plural(250, "task", "tasks"), "250 tasks");
    }
}

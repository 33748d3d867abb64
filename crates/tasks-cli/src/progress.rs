//! The spinner on stderr: what it is doing per provider (`deck: listing…`, then
//! `deck: 3 pages, 250 tasks`), while listing. Pages are counted
//! from the SDK's own `tasks_sdk.request` tracing spans (one per page fetched).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tracing::Subscriber;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// What the spinner shows: per provider, pages and tasks seen, or that it failed.
struct State {
    bar: ProgressBar,
    /// The providers being listed, in order.
    providers: Vec<&'static str>,
    pages: BTreeMap<String, u64>,
    tasks: BTreeMap<String, u64>,
    failed: BTreeSet<String>,
    /// Said after the counts, e.g. why the output waits.
    note: Option<String>,
}

impl State {
    /// `deck: listing… | twill: 3 pages, 250 tasks`, then the note.
    fn show(&self) {
        let parts: Vec<String> = self
            .providers
            .iter()
            .map(|p| {
                let pages = self.pages.get(*p).copied().unwrap_or(0);
                let tasks = self.tasks.get(*p).copied().unwrap_or(0);
                if self.failed.contains(*p) {
                    format!("{p}: failed")
                } else if pages == 0 && tasks == 0 {
                    format!("{p}: listing…")
                } else {
                    format!(
                        "{p}: {}, {}",
                        plural(pages, "page", "pages"),
                        plural(tasks, "task", "tasks")
                    )
                }
            })
            .collect();
        let mut message = parts.join(" | ");
        if let Some(note) = &self.note {
            message.push_str(" · ");
            message.push_str(note);
        }
        self.bar.set_message(message);
    }
}

/// A spinner, or nothing when stderr is not a terminal or `--quiet` is given.
pub struct Progress {
    state: Option<Arc<Mutex<State>>>,
    _tracing: Option<tracing::subscriber::DefaultGuard>,
}

impl Progress {
    /// A spinner saying `<provider>: listing…` for each of `providers` from its first
    /// frame, then their counts, and `note` after them.
    pub fn new(enabled: bool, providers: Vec<&'static str>, note: Option<String>) -> Self {
        if !enabled || providers.is_empty() {
            return Progress {
                state: None,
                _tracing: None,
            };
        }
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {wide_msg}").expect("a valid template"),
        );
        let state = State {
            bar: bar.clone(),
            providers,
            pages: BTreeMap::new(),
            tasks: BTreeMap::new(),
            failed: BTreeSet::new(),
            note,
        };
        state.show();
        bar.enable_steady_tick(Duration::from_millis(120));
        let state = Arc::new(Mutex::new(state));
        let layer = PageCounter {
            state: state.clone(),
        };
        let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(layer));
        Progress {
            state: Some(state),
            _tracing: Some(guard),
        }
    }

    /// One more task from `provider`.
    pub fn task(&self, provider: &str) {
        let Some(state) = &self.state else { return };
        let mut state = state.lock().expect("not poisoned");
        *state.tasks.entry(provider.to_owned()).or_default() += 1;
        state.show();
    }

    /// `provider` failed (its error is printed separately).
    pub fn failed(&self, provider: &str) {
        let Some(state) = &self.state else { return };
        let mut state = state.lock().expect("not poisoned");
        state.failed.insert(provider.to_owned());
        state.show();
    }

    /// Clears the spinner before other text goes to stderr, and at the end.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.state {
            Some(state) => {
                let bar = state.lock().expect("not poisoned").bar.clone();
                bar.suspend(f)
            }
            None => f(),
        }
    }

    pub fn finish(&self) {
        if let Some(state) = &self.state {
            state.lock().expect("not poisoned").bar.finish_and_clear();
        }
    }
}

/// `1 page`, `0 pages`, `3 pages`.
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Counts closed `tasks_sdk.request` spans by their `provider` field.
struct PageCounter {
    state: Arc<Mutex<State>>,
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
            let mut state = self.state.lock().expect("not poisoned");
            *state.pages.entry(provider.clone()).or_default() += 1;
            state.show();
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

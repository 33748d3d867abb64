//! When and how long to wait before trying a request again.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The retry policy of a client: which failures are retried, how often, and how long to
/// wait in between.
///
/// Retried: connection errors, timeouts, and HTTP 408, 429, 500, 502, 503, 504, for
/// idempotent requests (every list operation is a `GET`). Never: other 4xx. The wait is
/// the response's `Retry-After` (seconds or HTTP-date) when present and readable, else
/// exponential backoff with full jitter: a random duration in
/// `[0, min(max_delay, base_delay * 2^(n-1))]` before retry `n`.
///
/// A `Retry-After` longer than [`RetryPolicy::max_retry_after`] is not waited for: the
/// call ends at once, without sleeping, with [`Error::RateLimited`](crate::Error) (or
/// [`Error::Server`](crate::Error) for a 503) whose
/// [`retry_after`](crate::Error::retry_after) is the provider's full delay, so the caller
/// can schedule the retry itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retries). Default 3.
    pub max_attempts: u32,
    /// Backoff base. Default 500 ms.
    pub base_delay: Duration,
    /// Backoff cap. Default 8 s.
    pub max_delay: Duration,
    /// The longest `Retry-After` waited for; a longer one ends the call at once with the
    /// error (carrying the full delay) instead. Default 60 s.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The default policy with `max_attempts` attempts in all.
    pub fn with_max_attempts(max_attempts: u32) -> Self {
        RetryPolicy {
            max_attempts: max_attempts.max(1),
            ..RetryPolicy::default()
        }
    }

    /// The backoff before retry number `retry` (1 for the first retry), jittered.
    pub fn backoff(&self, retry: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
            .min(self.max_delay);
        // Full jitter: spreads clients that failed together over the whole window.
        ceiling.mul_f64(jitter_fraction())
    }

    /// How long to wait before retrying a response with this status, or `None` if the
    /// status is not retried, or its `Retry-After` is longer than
    /// [`max_retry_after`](RetryPolicy::max_retry_after) (then the call ends with it).
    pub fn delay_for_status(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        retry: u32,
    ) -> Option<Duration> {
        if !is_retryable(Failure::Status(status)) {
            return None;
        }
        match requested_delay(headers) {
            Some(asked) if asked > self.max_retry_after => None,
            Some(asked) => Some(asked),
            None => Some(self.backoff(retry)),
        }
    }
}

/// One failed attempt, as [`is_retryable`] sees it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Failure<'a> {
    /// A response with this status arrived.
    Status(StatusCode),
    /// No (complete) response: reqwest's error.
    Transport(&'a reqwest::Error),
}

/// The one rule for "retryable", used by the retry loop and by
/// [`Error::is_transient`](crate::Error::is_transient): HTTP 408, 429, 500, 502, 503 and
/// 504; connection failures, timeouts, and requests or bodies broken in transit. Not
/// retryable: every other status (501 and 505 included), redirect and decode errors.
pub(crate) fn is_retryable(failure: Failure<'_>) -> bool {
    match failure {
        Failure::Status(status) => matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504),
        Failure::Transport(e) => e.is_connect() || e.is_timeout() || e.is_request() || e.is_body(),
    }
}

/// Whether a response with this status is retried: 408, 429, 500, 502, 503, 504 (the
/// same rule as [`Error::is_transient`](crate::Error::is_transient)).
pub fn is_retryable_status(status: StatusCode) -> bool {
    is_retryable(Failure::Status(status))
}

/// `Retry-After` as a duration: delta-seconds or an HTTP-date (in the past: zero),
/// capped at `cap`. `None` when absent or unreadable.
pub fn retry_after(headers: &HeaderMap, cap: Duration) -> Option<Duration> {
    requested_delay(headers).map(|delay| delay.min(cap))
}

/// `Retry-After` as a duration, uncapped: what the provider asked for.
pub(crate) fn requested_delay(headers: &HeaderMap) -> Option<Duration> {
    requested_delay_at(headers, SystemTime::now())
}

/// [`requested_delay`] as seen at `now` (an HTTP-date is a point in time).
fn requested_delay_at(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let delay = if let Ok(seconds) = value.parse::<u64>() {
        Duration::from_secs(seconds)
    } else {
        let at = httpdate::parse_http_date(value).ok()?;
        at.duration_since(now).unwrap_or(Duration::ZERO)
    };
    Some(delay)
}

/// A client's retry quota: a token bucket shared by the client and its clones, after
/// the AWS SDKs' standard retry mode, so that a struggling provider is not hammered by
/// retries from every call at once.
///
/// The bucket starts full (`capacity` tokens). Each retry takes `retry_cost` tokens
/// (`timeout_cost` after a timeout); when the bucket holds fewer, the call is not retried
/// and fails with its last error. A successful response (status below 400) puts tokens
/// back: what the call's last retry took, or `success_reward` when it was not retried;
/// never above `capacity`.
///
/// The default is AWS's: 500 tokens, 5 per retry, 10 per retry after a timeout, 1 back
/// per success: 100 consecutive retries (50 calls failing with the default 3 attempts)
/// empty it. [`RetryBudget::disabled`] never limits retries (only
/// [`RetryPolicy::max_attempts`] does).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryBudget {
    limits: Option<BudgetLimits>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct BudgetLimits {
    capacity: u32,
    retry_cost: u32,
    timeout_cost: u32,
    success_reward: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget::new(500, 5, 10, 1)
    }
}

impl RetryBudget {
    /// A bucket of `capacity` tokens; a retry costs `retry_cost` (`timeout_cost` after a
    /// timeout), a success without retries gives back `success_reward`.
    pub fn new(capacity: u32, retry_cost: u32, timeout_cost: u32, success_reward: u32) -> Self {
        RetryBudget {
            limits: Some(BudgetLimits {
                capacity,
                retry_cost,
                timeout_cost,
                success_reward,
            }),
        }
    }

    /// No quota: retries are limited by the [`RetryPolicy`] alone.
    pub fn disabled() -> Self {
        RetryBudget { limits: None }
    }

    /// Whether retries are limited by a bucket.
    pub fn is_enabled(&self) -> bool {
        self.limits.is_some()
    }

    /// The bucket's size (`None` when disabled).
    pub fn capacity(&self) -> Option<u32> {
        self.limits.map(|l| l.capacity)
    }
}

/// The live bucket of one client (shared by its clones).
#[derive(Debug)]
pub(crate) struct Bucket {
    limits: Option<BudgetLimits>,
    tokens: std::sync::Mutex<u32>,
}

impl Bucket {
    pub(crate) fn new(budget: RetryBudget) -> Self {
        Bucket {
            limits: budget.limits,
            tokens: std::sync::Mutex::new(budget.limits.map_or(0, |l| l.capacity)),
        }
    }

    /// Takes the cost of one retry: `Some(tokens taken)` (0 when disabled), or `None`
    /// when the bucket holds too few (then the call must not retry).
    pub(crate) fn acquire(&self, after_timeout: bool) -> Option<u32> {
        let Some(limits) = self.limits else {
            return Some(0);
        };
        let cost = if after_timeout {
            limits.timeout_cost
        } else {
            limits.retry_cost
        };
        let mut tokens = self.tokens.lock().expect("never poisoned");
        *tokens = tokens.checked_sub(cost)?;
        Some(cost)
    }

    /// A successful response: gives back what the last retry took (`last_cost`), or the
    /// success reward when the call was not retried.
    pub(crate) fn succeeded(&self, last_cost: Option<u32>) {
        let Some(limits) = self.limits else { return };
        let back = last_cost.unwrap_or(limits.success_reward);
        let mut tokens = self.tokens.lock().expect("never poisoned");
        *tokens = tokens.saturating_add(back).min(limits.capacity);
    }

    /// The tokens left (`None` when disabled).
    pub(crate) fn available(&self) -> Option<u32> {
        self.limits
            .map(|_| *self.tokens.lock().expect("never poisoned"))
    }
}

/// How the runtime waits between attempts. The default is `tokio::time::sleep`; tests
/// (or runtimes other than tokio) can supply their own with
/// [`ClientBuilder::sleep_impl`](crate::ClientBuilder::sleep_impl).
#[derive(Clone)]
pub struct Sleep(Arc<SleepFn>);

type SleepFuture = Pin<Box<dyn Future<Output = ()> + Send>>;
type SleepFn = dyn Fn(Duration) -> SleepFuture + Send + Sync;

impl Sleep {
    /// Wraps a sleep function.
    pub fn new<F, Fut>(sleep: F) -> Self
    where
        F: Fn(Duration) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Sleep(Arc::new(move |d| Box::pin(sleep(d))))
    }

    /// Waits `duration`.
    pub async fn sleep(&self, duration: Duration) {
        (self.0)(duration).await
    }
}

impl Default for Sleep {
    fn default() -> Self {
        Sleep::new(tokio::time::sleep)
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sleep")
    }
}

/// A uniform fraction in [0, 1) for the backoff's jitter. std's hasher is keyed at
/// random, with fresh keys for each `RandomState`, so its hash of nothing is a random
/// number; no random-number crate is compiled into users' builds for this.
fn jitter_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    // The top 53 bits: every value an f64 in [0, 1) can hold at that spacing.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        h
    }

    #[test]
    fn retry_after_seconds_dates_and_garbage() {
        let cap = Duration::from_secs(60);
        assert_eq!(
            retry_after(&headers("2"), cap),
            Some(Duration::from_secs(2))
        );
        assert_eq!(retry_after(&headers("3600"), cap), Some(cap));
        assert_eq!(retry_after(&headers("soon"), cap), None);
        assert_eq!(retry_after(&headers("-1"), cap), None);
        assert_eq!(retry_after(&HeaderMap::new(), cap), None);
        // An HTTP-date, read at a fixed instant (no clock in the test).
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_000);
        let in_10s = httpdate::fmt_http_date(now + Duration::from_secs(10));
        assert_eq!(
            requested_delay_at(&headers(&in_10s), now),
            Some(Duration::from_secs(10))
        );
        let past = httpdate::fmt_http_date(now - Duration::from_secs(10));
        assert_eq!(
            requested_delay_at(&headers(&past), now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn the_budget_charges_retries_and_refunds_successes_like_aws() {
        let bucket = Bucket::new(RetryBudget::default());
        assert_eq!(bucket.available(), Some(500));
        assert_eq!(bucket.acquire(false), Some(5));
        assert_eq!(bucket.acquire(true), Some(10));
        assert_eq!(bucket.available(), Some(485));
        bucket.succeeded(Some(10));
        assert_eq!(
            bucket.available(),
            Some(495),
            "the last retry's cost comes back"
        );
        bucket.succeeded(None);
        bucket.succeeded(None);
        assert_eq!(
            bucket.available(),
            Some(497),
            "1 per success without retries"
        );
        for _ in 0..10 {
            bucket.succeeded(None);
        }
        assert_eq!(bucket.available(), Some(500), "never above capacity");

        let small = Bucket::new(RetryBudget::new(12, 5, 10, 1));
        assert_eq!(small.acquire(true), Some(10));
        assert_eq!(small.acquire(false), None, "2 tokens left, a retry costs 5");
        assert_eq!(small.available(), Some(2), "a refused retry takes nothing");

        let off = Bucket::new(RetryBudget::disabled());
        for _ in 0..1000 {
            assert_eq!(off.acquire(true), Some(0));
        }
        assert_eq!(off.available(), None);
    }

    #[test]
    fn backoff_is_jittered_below_an_exponential_ceiling() {
        let policy = RetryPolicy::default();
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(500));
            assert!(policy.backoff(2) <= Duration::from_secs(1));
            assert!(policy.backoff(5) <= Duration::from_secs(8));
            assert!(policy.backoff(40) <= Duration::from_secs(8));
        }
        let spread: std::collections::BTreeSet<_> = (0..50).map(|_| policy.backoff(3)).collect();
        assert!(spread.len() > 40, "full jitter draws from the whole window");
    }

    #[test]
    fn jitter_is_uniform_over_zero_to_one() {
        let draws: Vec<f64> = (0..2000).map(|_| jitter_fraction()).collect();
        assert!(draws.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((0.45..0.55).contains(&mean), "mean {mean}");
        for tenth in 0..10 {
            let (low, high) = (tenth as f64 / 10.0, (tenth + 1) as f64 / 10.0);
            let n = draws.iter().filter(|x| (low..high).contains(*x)).count();
            assert!((120..280).contains(&n), "{n} draws in [{low}, {high})");
        }
    }

    #[test]
    fn only_transient_statuses_are_retried() {
        let policy = RetryPolicy::default();
        for code in [408, 429, 500, 502, 503, 504] {
            let status = StatusCode::from_u16(code).unwrap();
            assert!(
                policy
                    .delay_for_status(status, &HeaderMap::new(), 1)
                    .is_some(),
                "{code}"
            );
        }
        for code in [200, 301, 400, 401, 403, 404, 409, 422, 501] {
            let status = StatusCode::from_u16(code).unwrap();
            assert_eq!(
                policy.delay_for_status(status, &HeaderMap::new(), 1),
                None,
                "{code}"
            );
        }
        for code in 100..=599 {
            let status = StatusCode::from_u16(code).unwrap();
            assert_eq!(
                policy
                    .delay_for_status(status, &HeaderMap::new(), 1)
                    .is_some(),
                is_retryable_status(status),
                "{code}"
            );
        }
        let status = StatusCode::TOO_MANY_REQUESTS;
        assert_eq!(
            policy.delay_for_status(status, &headers("2"), 1),
            Some(Duration::from_secs(2))
        );
        assert_eq!(
            policy.delay_for_status(status, &headers("60"), 1),
            Some(Duration::from_secs(60)),
            "the cap itself is waited for"
        );
        assert_eq!(
            policy.delay_for_status(status, &headers("61"), 1),
            None,
            "longer: not retried"
        );
    }
}

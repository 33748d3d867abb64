//! The opt-in client-side rate limiter (feature `rate-limit`), on governor.

use std::num::NonZeroU32;

use governor::{Quota, RateLimiter};

use crate::provider::RateLimit;

/// A direct (not keyed) limiter: one per client.
pub(crate) type Limiter = governor::DefaultDirectRateLimiter;

/// A limiter that allows `requests` per `period`, as a burst of up to `requests` that
/// refills one request every `period / requests`. `None` for a zero quota.
pub(crate) fn limiter(limit: RateLimit) -> Option<Limiter> {
    let burst = NonZeroU32::new(limit.requests)?;
    let quota = Quota::with_period(limit.period / limit.requests)?.allow_burst(burst);
    Some(RateLimiter::direct(quota))
}

//! Client-side nonces: strictly increasing per key, across threads, and when the wall clock steps back.
//!
//! A nonce is the wall clock in milliseconds unless that would not exceed the last nonce handed out, in which
//! case it is the last nonce plus one. The state is one atomic per key, advanced by compare-and-swap, so
//! concurrent callers never receive the same or a smaller value, and a clock that jumps backwards only slows
//! the nonces down to +1 steps until it catches up.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

use crate::Clock;

/// The nonce space of a key is used up: the last nonce was `u64::MAX`. The key cannot sign again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("nonce space exhausted: the last nonce was u64::MAX")]
pub struct NonceExhausted;

/// Strictly increasing nonces for one key.
#[derive(Debug, Default)]
pub struct NonceGenerator {
    last: AtomicU64,
}

impl NonceGenerator {
    /// A generator that has handed out nothing yet.
    pub const fn new() -> Self {
        NonceGenerator {
            last: AtomicU64::new(0),
        }
    }

    /// A generator whose next nonce will exceed `last` (for resuming after a restart from a persisted value).
    pub const fn resume_after(last: u64) -> Self {
        NonceGenerator {
            last: AtomicU64::new(last),
        }
    }

    /// The next nonce: `max(clock in ms, last + 1)`.
    pub fn next(&self, clock: &dyn Clock) -> Result<u64, NonceExhausted> {
        self.next_at(clock.unix_millis())
    }

    /// The next nonce given the current time in milliseconds: `max(now_millis, last + 1)`.
    pub fn next_at(&self, now_millis: u64) -> Result<u64, NonceExhausted> {
        let mut current = self.last.load(Ordering::Relaxed);
        loop {
            let candidate = current
                .checked_add(1)
                .ok_or(NonceExhausted)?
                .max(now_millis);
            match self.last.compare_exchange_weak(
                current,
                candidate,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Ok(candidate),
                Err(actual) => current = actual,
            }
        }
    }

    /// The last nonce handed out (0 if none).
    pub fn last(&self) -> u64 {
        self.last.load(Ordering::Acquire)
    }
}

/// A source of nonces for any number of keys.
pub trait NonceSource: Send + Sync {
    /// The next nonce for `key_id`, greater than every nonce this source gave that key before.
    fn next_nonce(&self, key_id: &str) -> Result<u64, NonceExhausted>;
}

/// One [`NonceGenerator`] per key, reading the time from a [`Clock`].
#[derive(Debug)]
pub struct PerKeyNonces<C> {
    clock: C,
    keys: RwLock<HashMap<String, Arc<NonceGenerator>>>,
}

impl<C: Clock> PerKeyNonces<C> {
    /// A source reading `clock`.
    pub fn new(clock: C) -> Self {
        PerKeyNonces {
            clock,
            keys: RwLock::new(HashMap::new()),
        }
    }

    fn generator(&self, key_id: &str) -> Arc<NonceGenerator> {
        // A poisoned lock only means another thread panicked while holding it; the map itself is never left
        // half-updated (one insert), so recovering the guard is sound.
        if let Some(generator) = self
            .keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key_id)
        {
            return Arc::clone(generator);
        }
        let mut keys = self.keys.write().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(keys.entry(key_id.to_owned()).or_default())
    }
}

impl<C: Clock> NonceSource for PerKeyNonces<C> {
    fn next_nonce(&self, key_id: &str) -> Result<u64, NonceExhausted> {
        self.generator(key_id).next(&self.clock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ManualClock;

    #[test]
    fn follows_the_clock_when_it_moves_forward() {
        let generator = NonceGenerator::new();
        assert_eq!(generator.next_at(1000), Ok(1000));
        assert_eq!(generator.next_at(2000), Ok(2000));
    }

    #[test]
    fn steps_by_one_when_the_clock_stalls_or_steps_back() {
        let clock = ManualClock::from_unix_millis(5_000);
        let generator = NonceGenerator::new();
        assert_eq!(generator.next(&clock), Ok(5_000));
        assert_eq!(generator.next(&clock), Ok(5_001));
        clock.advance_millis(-3_000);
        assert_eq!(generator.next(&clock), Ok(5_002));
    }

    #[test]
    fn exhaustion_is_an_error_not_a_wrap() {
        let generator = NonceGenerator::resume_after(u64::MAX - 1);
        assert_eq!(generator.next_at(0), Ok(u64::MAX));
        assert_eq!(generator.next_at(0), Err(NonceExhausted));
        assert_eq!(generator.last(), u64::MAX);
    }

    #[test]
    fn keys_are_independent() {
        let nonces = PerKeyNonces::new(ManualClock::from_unix_millis(10));
        assert_eq!(nonces.next_nonce("a"), Ok(10));
        assert_eq!(nonces.next_nonce("a"), Ok(11));
        assert_eq!(nonces.next_nonce("b"), Ok(10));
    }
}

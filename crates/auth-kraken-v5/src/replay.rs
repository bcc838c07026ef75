//! The optional replay cache (KV5-030): signatures already accepted, per client, for [`REPLAY_LIFETIME`].
//!
//! The timestamp is not signed and the signature is deterministic, so a captured request can be sent again,
//! unchanged or with a fresh `X-Client-Timestamp`, and it verifies. The cache closes that: the verifier consults
//! it last, after every other check passed, and records (client id, signature bytes) only then, so a rejected
//! request never fills it.
//!
//! Why ten minutes: a request accepted at server time `A` carried a timestamp `t` with `A − 300 s ≤ t ≤ A + 300 s`.
//! The same request passes the window at time `R` only while `R ≤ t + 300 s ≤ A + 600 s`. So an entry must live
//! through `A + 600 s`, inclusive (a request stamped at the future edge and replayed at the last instant), and is
//! useless afterwards: the window alone then rejects the replay with any timestamp it could carry… except a fresh
//! one, since the timestamp is unsigned. That is the limit of any cache here: it stops replays within ten minutes
//! of acceptance; the same body sent again later (replayed or genuine) verifies again.
//!
//! The same determinism means the cache also refuses a *genuine* repeat: a client that sends the same body twice
//! within ten minutes (two identical orders, two `GET`s with an empty body) produces the same signature, and the
//! second request is `request-replayed`. That is why the cache is off by default.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use jiff::SignedDuration;

use crate::timestamp::ExactInstant;

/// How long an accepted signature stays in the cache: twice the ±300 s window (see the module doc).
pub const REPLAY_LIFETIME: SignedDuration = SignedDuration::from_secs(600);

/// Accepted (client id, signature) pairs, behind a trait so that a server can share them between instances.
pub trait ReplayCache: Send + Sync {
    /// Atomically: if (`client_id`, `signature`) has an entry that is live at `now` (recorded at `at` with
    /// `now <= at + lifetime`), returns `false` and changes nothing; otherwise records it as accepted at `now`
    /// and returns `true`. Times are exact instants: the server time may carry any number of fraction digits.
    fn check_and_record(&self, client_id: &str, signature: &[u8], now: &ExactInstant) -> bool;
}

impl<R: ReplayCache + ?Sized> ReplayCache for std::sync::Arc<R> {
    fn check_and_record(&self, client_id: &str, signature: &[u8], now: &ExactInstant) -> bool {
        (**self).check_and_record(client_id, signature, now)
    }
}

impl<R: ReplayCache + ?Sized> ReplayCache for &R {
    fn check_and_record(&self, client_id: &str, signature: &[u8], now: &ExactInstant) -> bool {
        (**self).check_and_record(client_id, signature, now)
    }
}

/// An in-memory [`ReplayCache`]. An entry recorded at `A` is live while `now ≤ A + lifetime` (inclusive, exact), so
/// also while `now` is before `A` (a clock stepped back keeps entries, it never frees them early). Expired entries
/// are swept when the map has doubled since the last sweep, so memory stays proportional to the live entries and
/// each call costs amortized O(1).
#[derive(Debug)]
pub struct MemoryReplayCache {
    lifetime: SignedDuration,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// (client id, signature bytes) → when accepted.
    accepted: HashMap<(String, Vec<u8>), ExactInstant>,
    /// Sweep expired entries when the map reaches this size.
    sweep_at: usize,
}

/// The map size below which no sweep runs.
const MIN_SWEEP: usize = 1024;

impl Default for MemoryReplayCache {
    fn default() -> Self {
        MemoryReplayCache::new()
    }
}

impl MemoryReplayCache {
    /// An empty cache keeping entries for [`REPLAY_LIFETIME`].
    pub fn new() -> Self {
        MemoryReplayCache::with_lifetime(REPLAY_LIFETIME)
    }

    /// An empty cache keeping entries for `lifetime` (for tests and servers with a different window).
    pub fn with_lifetime(lifetime: SignedDuration) -> Self {
        MemoryReplayCache {
            lifetime,
            state: Mutex::new(State {
                accepted: HashMap::new(),
                sweep_at: MIN_SWEEP,
            }),
        }
    }

    /// The lifetime of an entry.
    pub fn lifetime(&self) -> SignedDuration {
        self.lifetime
    }

    /// Records (`client_id`, `signature`) as accepted at `accepted_at`, without checks, replacing an earlier
    /// record: for loading state (the testee protocol's `accepted_signatures`, a restart).
    pub fn insert(&self, client_id: &str, signature: &[u8], accepted_at: ExactInstant) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state
            .accepted
            .insert((client_id.to_owned(), signature.to_vec()), accepted_at);
    }

    /// Whether (`client_id`, `signature`) has a live record at `now`.
    pub fn contains(&self, client_id: &str, signature: &[u8], now: &ExactInstant) -> bool {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state
            .accepted
            .get(&(client_id.to_owned(), signature.to_vec()))
            .is_some_and(|at| self.is_live(at, now))
    }

    /// Number of records, live or not yet swept.
    pub fn len(&self) -> usize {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .accepted
            .len()
    }

    /// Whether the cache holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// An entry recorded at `at` still counts at `now`: `now <= at + lifetime`, exactly.
    fn is_live(&self, at: &ExactInstant, now: &ExactInstant) -> bool {
        *now <= at.shifted(self.lifetime)
    }
}

impl ReplayCache for MemoryReplayCache {
    fn check_and_record(&self, client_id: &str, signature: &[u8], now: &ExactInstant) -> bool {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let key = (client_id.to_owned(), signature.to_vec());
        if let Some(at) = state.accepted.get(&key)
            && self.is_live(at, now)
        {
            return false;
        }
        state.accepted.insert(key, now.clone());
        if state.accepted.len() >= state.sweep_at {
            state.accepted.retain(|_, at| self.is_live(at, now));
            state.sweep_at = (state.accepted.len() * 2).max(MIN_SWEEP);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> ExactInstant {
        jiff::Timestamp::from_second(1_700_000_000 + seconds)
            .unwrap()
            .into()
    }

    #[test]
    fn live_through_the_lifetime_inclusive() {
        let cache = MemoryReplayCache::new();
        assert!(cache.check_and_record("c", b"sig", &at(0)));
        assert!(!cache.check_and_record("c", b"sig", &at(0)));
        assert!(!cache.check_and_record("c", b"sig", &at(600)));
        // 10^-10 s after the last live instant.
        let after: ExactInstant = "2023-11-14T22:23:20.0000000001Z".parse().unwrap();
        assert_eq!(after.unix_nanos_floor(), at(600).unix_nanos_floor());
        assert!(cache.check_and_record("c", b"sig", &after));
        // Re-recorded then: live again from there.
        assert!(!cache.check_and_record("c", b"sig", &at(700)));
    }

    #[test]
    fn keyed_by_client_and_signature() {
        let cache = MemoryReplayCache::new();
        assert!(cache.check_and_record("a", b"sig", &at(0)));
        assert!(cache.check_and_record("b", b"sig", &at(0)));
        assert!(cache.check_and_record("a", b"other", &at(0)));
        // No ambiguity between the two parts of the key.
        assert!(cache.check_and_record("ab", b"c", &at(0)));
        assert!(cache.check_and_record("a", b"bc", &at(0)));
        assert_eq!(cache.len(), 5);
    }

    #[test]
    fn a_clock_stepped_back_keeps_entries() {
        let cache = MemoryReplayCache::new();
        cache.insert("c", b"sig", at(1_000));
        assert!(cache.contains("c", b"sig", &at(0)));
        assert!(!cache.check_and_record("c", b"sig", &at(0)));
    }

    #[test]
    fn sweeps_keep_memory_bounded() {
        let cache = MemoryReplayCache::with_lifetime(SignedDuration::from_secs(10));
        for i in 0..10_000_u32 {
            assert!(cache.check_and_record("c", &i.to_be_bytes(), &at(i64::from(i))));
        }
        assert!(cache.len() < 2 * MIN_SWEEP, "{}", cache.len());
    }
}

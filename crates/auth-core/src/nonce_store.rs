//! Verifier-side replay protection: a per-key high-water mark with an optional nonce window.
//!
//! Without a window a nonce must exceed the highest nonce accepted for the key. With a window `w` (Kraken's
//! "nonce window": tolerance for requests that arrive slightly out of order) a nonce must exceed
//! `highest - w`, saturating at 0, and must not have been accepted before: the store remembers the accepted
//! nonces inside the window, so a replay inside the window is still a replay. Memory per key is bounded by
//! `w + 1` nonces.
//!
//! A key that has accepted nothing yet has `highest = 0` (Kraken: "a new starting nonce value of 0"), so with
//! the saturating bound nonce 0 is never accepted, whatever the window.
//!
//! [`NonceStore::check_and_record`] is one atomic step per key: callers must invoke it only once the request
//! is otherwise accepted, so that a rejected request never advances the key's state.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, PoisonError};

/// How far below the highest accepted nonce a new nonce may still be accepted (0: strictly increasing).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct NonceWindow(pub u64);

/// Why a nonce was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NonceRejection {
    /// At or below `highest - window`.
    #[error("nonce {nonce} is not above highest accepted {highest} minus window {window}")]
    Stale {
        /// The refused nonce.
        nonce: u64,
        /// The highest nonce accepted for the key.
        highest: u64,
        /// The window in force.
        window: u64,
    },
    /// Already accepted for this key.
    #[error("nonce {nonce} was already accepted")]
    Replayed {
        /// The refused nonce.
        nonce: u64,
    },
}

/// Per-key nonce state of a verifier.
pub trait NonceStore: Send + Sync {
    /// Accepts and records `nonce` for `key_id`, or refuses it without changing any state.
    fn check_and_record(&self, key_id: &str, nonce: u64) -> Result<(), NonceRejection>;
}

#[derive(Debug)]
struct KeyState {
    highest: u64,
    /// Accepted nonces above `highest - window` (always includes `highest`).
    recent: BTreeSet<u64>,
}

impl KeyState {
    /// A key nothing was accepted for yet: Kraken's "a new starting nonce value of 0".
    fn fresh() -> Self {
        KeyState {
            highest: 0,
            recent: BTreeSet::new(),
        }
    }
}

/// An in-memory [`NonceStore`].
#[derive(Debug, Default)]
pub struct MemoryNonceStore {
    window: NonceWindow,
    keys: Mutex<HashMap<String, KeyState>>,
}

impl MemoryNonceStore {
    /// A store with the given window (use `NonceWindow(0)` for strictly increasing nonces).
    pub fn new(window: NonceWindow) -> Self {
        MemoryNonceStore {
            window,
            keys: Mutex::new(HashMap::new()),
        }
    }

    /// The window in force.
    pub fn window(&self) -> NonceWindow {
        self.window
    }

    /// The highest nonce accepted for `key_id`, if any.
    pub fn highest(&self, key_id: &str) -> Option<u64> {
        self.keys
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key_id)
            .map(|state| state.highest)
    }
}

impl NonceStore for MemoryNonceStore {
    fn check_and_record(&self, key_id: &str, nonce: u64) -> Result<(), NonceRejection> {
        let window = self.window.0;
        // Recovering a poisoned guard is sound: every update below completes before the guard drops.
        let mut keys = self.keys.lock().unwrap_or_else(PoisonError::into_inner);
        let state = keys
            .entry(key_id.to_owned())
            .or_insert_with(KeyState::fresh);
        if nonce <= state.highest.saturating_sub(window) {
            return Err(NonceRejection::Stale {
                nonce,
                highest: state.highest,
                window,
            });
        }
        if !state.recent.insert(nonce) {
            return Err(NonceRejection::Replayed { nonce });
        }
        if nonce > state.highest {
            state.highest = nonce;
            // Forget what can no longer be accepted anyway: nonces at or below the new bound.
            let keep_from = nonce.saturating_sub(window).saturating_add(1);
            state.recent = state.recent.split_off(&keep_from);
        }
        Ok(())
    }
}

impl<S: NonceStore + ?Sized> NonceStore for std::sync::Arc<S> {
    fn check_and_record(&self, key_id: &str, nonce: u64) -> Result<(), NonceRejection> {
        (**self).check_and_record(key_id, nonce)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_window_nonces_must_increase() {
        let store = MemoryNonceStore::new(NonceWindow(0));
        assert_eq!(store.check_and_record("k", 100), Ok(()));
        assert_eq!(
            store.check_and_record("k", 100),
            Err(NonceRejection::Stale {
                nonce: 100,
                highest: 100,
                window: 0
            })
        );
        assert_eq!(
            store.check_and_record("k", 99),
            Err(NonceRejection::Stale {
                nonce: 99,
                highest: 100,
                window: 0
            })
        );
        assert_eq!(store.check_and_record("k", 101), Ok(()));
        assert_eq!(store.highest("k"), Some(101));
    }

    #[test]
    fn window_tolerates_out_of_order_but_not_replay() {
        let store = MemoryNonceStore::new(NonceWindow(10));
        for nonce in [100, 105] {
            assert_eq!(store.check_and_record("k", nonce), Ok(()));
        }
        assert_eq!(store.check_and_record("k", 103), Ok(()));
        assert_eq!(
            store.check_and_record("k", 103),
            Err(NonceRejection::Replayed { nonce: 103 })
        );
        assert_eq!(
            store.check_and_record("k", 105),
            Err(NonceRejection::Replayed { nonce: 105 })
        );
        assert_eq!(store.check_and_record("k", 96), Ok(()));
        assert_eq!(
            store.check_and_record("k", 95),
            Err(NonceRejection::Stale {
                nonce: 95,
                highest: 105,
                window: 10
            })
        );
    }

    #[test]
    fn the_bound_saturates_so_zero_is_never_accepted() {
        let store = MemoryNonceStore::new(NonceWindow(10));
        assert_eq!(
            store.check_and_record("k", 0),
            Err(NonceRejection::Stale {
                nonce: 0,
                highest: 0,
                window: 10
            })
        );
        assert_eq!(store.check_and_record("k", 5), Ok(()));
        assert_eq!(store.check_and_record("k", 1), Ok(()));
        assert_eq!(
            store.check_and_record("k", 0),
            Err(NonceRejection::Stale {
                nonce: 0,
                highest: 5,
                window: 10
            })
        );
    }

    #[test]
    fn extremes_do_not_overflow() {
        let store = MemoryNonceStore::new(NonceWindow(u64::MAX));
        assert_eq!(store.check_and_record("k", u64::MAX), Ok(()));
        assert_eq!(store.check_and_record("k", 1), Ok(()));
        let stale = NonceRejection::Stale {
            nonce: 0,
            highest: u64::MAX,
            window: u64::MAX,
        };
        assert_eq!(store.check_and_record("k", 0), Err(stale));
        assert_eq!(
            store.check_and_record("k", 1),
            Err(NonceRejection::Replayed { nonce: 1 })
        );
        assert_eq!(
            store.check_and_record("k", u64::MAX),
            Err(NonceRejection::Replayed { nonce: u64::MAX })
        );
        let strict = MemoryNonceStore::new(NonceWindow(0));
        assert_eq!(
            strict.check_and_record("k", 0),
            Err(NonceRejection::Stale {
                nonce: 0,
                highest: 0,
                window: 0
            })
        );
        assert_eq!(strict.check_and_record("k", u64::MAX), Ok(()));
        assert!(strict.check_and_record("k", u64::MAX).is_err());
    }

    #[test]
    fn keys_are_independent() {
        let store = MemoryNonceStore::new(NonceWindow(0));
        assert_eq!(store.check_and_record("a", 10), Ok(()));
        assert_eq!(store.check_and_record("b", 1), Ok(()));
        assert_eq!(store.highest("a"), Some(10));
        assert_eq!(store.highest("c"), None);
    }
}

//! Property tests of the nonce machinery against simple models.
//!
//! - The verifier store agrees with a model that remembers every accepted nonce forever (so pruning never
//!   forgets something that could still be replayed), for random windows and nonce sequences.
//! - The client generator hands out strictly increasing nonces across threads while the clock jumps around.

use std::collections::BTreeSet;
use std::sync::Arc;

use auth_core::{
    Clock, ManualClock, MemoryNonceStore, NonceGenerator, NonceRejection, NonceSource, NonceStore,
    NonceWindow, PerKeyNonces,
};
use proptest::prelude::*;

proptest! {
    #[test]
    fn store_matches_unpruned_model(window in 0u64..20, nonces in prop::collection::vec(0u64..60, 1..80)) {
        let store = MemoryNonceStore::new(NonceWindow(window));
        // A fresh key has highest 0; the bound saturates at 0.
        let mut accepted = BTreeSet::new();
        let mut highest = 0u64;
        for nonce in nonces {
            let expected_ok = nonce > highest.saturating_sub(window) && !accepted.contains(&nonce);
            let got = store.check_and_record("k", nonce);
            prop_assert_eq!(got.is_ok(), expected_ok, "nonce {} highest {} window {}", nonce, highest, window);
            if let Err(NonceRejection::Replayed { .. }) = got {
                prop_assert!(accepted.contains(&nonce));
            }
            if expected_ok {
                accepted.insert(nonce);
                highest = highest.max(nonce);
            }
        }
    }

    #[test]
    fn generator_is_strictly_increasing_while_clock_jumps(steps in prop::collection::vec(-5_000i64..5_000, 1..200)) {
        let clock = ManualClock::from_unix_millis(1_700_000_000_000);
        let generator = NonceGenerator::new();
        let mut last = 0;
        for step in steps {
            clock.advance_millis(step);
            let nonce = generator.next(&clock).unwrap();
            prop_assert!(nonce > last);
            prop_assert!(nonce >= clock.unix_millis());
            last = nonce;
        }
    }
}

#[test]
fn nonces_strictly_increase_across_threads() {
    const THREADS: usize = 8;
    const PER_THREAD: usize = 5_000;
    let clock = Arc::new(ManualClock::from_unix_millis(1_700_000_000_000));
    let source = Arc::new(PerKeyNonces::new(Arc::clone(&clock)));
    let handles: Vec<_> = (0..THREADS)
        .map(|thread| {
            let source = Arc::clone(&source);
            let clock = Arc::clone(&clock);
            std::thread::spawn(move || {
                let mut seen = Vec::with_capacity(PER_THREAD);
                for i in 0..PER_THREAD {
                    if i % 97 == 0 {
                        // Some threads step the clock back, others forward.
                        clock.advance_millis(if thread % 2 == 0 { -250 } else { 3 });
                    }
                    seen.push(source.next_nonce("key").unwrap());
                }
                seen
            })
        })
        .collect();
    let mut all = Vec::new();
    for handle in handles {
        let seen = handle.join().unwrap();
        // Each thread observes its own nonces in strictly increasing order...
        assert!(seen.windows(2).all(|pair| pair[0] < pair[1]));
        all.extend(seen);
    }
    // ...and no nonce was handed out twice across threads.
    let unique: BTreeSet<_> = all.iter().copied().collect();
    assert_eq!(unique.len(), THREADS * PER_THREAD);
}

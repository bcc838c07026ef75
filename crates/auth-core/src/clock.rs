//! Injectable time: verifiers and nonce sources read the time through [`Clock`], never from the OS directly,
//! so that tests and vectors can pin it and a server can substitute its own source.

use std::sync::atomic::{AtomicI64, Ordering};

use jiff::Timestamp;

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> Timestamp;

    /// Milliseconds since the Unix epoch, saturating at zero for instants before it.
    fn unix_millis(&self) -> u64 {
        u64::try_from(self.now().as_millisecond()).unwrap_or(0)
    }
}

/// The operating system's wall clock. It may step backwards (NTP, manual changes); users that need
/// monotonic values (nonces) must not assume otherwise.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that shows whatever it is set to: for tests, vectors and simulations. Millisecond precision.
#[derive(Debug)]
pub struct ManualClock {
    millis: AtomicI64,
}

impl ManualClock {
    /// A clock showing `at` (truncated to the millisecond).
    pub fn new(at: Timestamp) -> Self {
        ManualClock {
            millis: AtomicI64::new(at.as_millisecond()),
        }
    }

    /// A clock showing `millis` after the Unix epoch.
    pub fn from_unix_millis(millis: i64) -> Self {
        ManualClock {
            millis: AtomicI64::new(millis),
        }
    }

    /// Sets the time, forwards or backwards.
    pub fn set(&self, at: Timestamp) {
        self.millis.store(at.as_millisecond(), Ordering::SeqCst);
    }

    /// Moves the time by `millis` (negative steps it back).
    pub fn advance_millis(&self, millis: i64) {
        self.millis.fetch_add(millis, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        let millis = self.millis.load(Ordering::SeqCst);
        // Out-of-range values are clamped to jiff's range rather than panicking.
        Timestamp::from_millisecond(millis).unwrap_or(if millis < 0 {
            Timestamp::MIN
        } else {
            Timestamp::MAX
        })
    }
}

impl<C: Clock + ?Sized> Clock for &C {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manual_clock_moves_both_ways() {
        let clock = ManualClock::from_unix_millis(1_616_492_376_594);
        assert_eq!(clock.unix_millis(), 1_616_492_376_594);
        clock.advance_millis(-94);
        assert_eq!(clock.unix_millis(), 1_616_492_376_500);
        assert_eq!(clock.now().to_string(), "2021-03-23T09:39:36.5Z");
    }

    #[test]
    fn before_epoch_saturates_to_zero_millis() {
        let clock = ManualClock::from_unix_millis(-5);
        assert_eq!(clock.unix_millis(), 0);
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.unix_millis() > 1_577_836_800_000);
    }
}

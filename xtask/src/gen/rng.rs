//! The generator's pseudo-random numbers: SplitMix64, written out here so that a seed means the same vectors on
//! every machine and with every version of every dependency (spec/vector-format.md, "Fresh random vectors").
//!
//! - `mix64(z)` is SplitMix64's output function (Steele, Lea and Flood, "Fast splittable pseudorandom number
//!   generators", OOPSLA 2014; the constants of Vigna's `splitmix64.c`):
//!   `z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9; z = (z ^ (z >> 27)) * 0x94d049bb133111eb; z ^ (z >> 31)`,
//!   arithmetic modulo 2^64.
//! - The generator adds `0x9e3779b97f4a7c15` to its 64-bit state and returns `mix64(state)`.
//! - Vector `index` (0, 1, ...) of scheme `S` under seed `N` draws from its own generator, whose initial state is
//!   `mix64(mix64(mix64(N) ^ fnv1a64(S)) ^ index)`, `fnv1a64` being 64-bit FNV-1a over the scheme id's bytes
//!   (offset basis `0xcbf29ce484222325`, prime `0x100000001b3`). So a vector does not depend on the count: the
//!   first K vectors of a larger batch have the same inputs.
//! - `below(n)` is an unbiased draw from `0..n`: draw `x` until `x >= (2^64 - n) mod n`, return `x mod n`.
//!   Every other helper is built on `below` and documented where it is defined.

/// SplitMix64's increment (the golden ratio in 64-bit fixed point).
const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// SplitMix64's output function.
pub(crate) fn mix64(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// 64-bit FNV-1a of `bytes`.
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A SplitMix64 generator.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    state: u64,
}

impl Rng {
    /// The generator of vector `index` of `scheme` under `seed` (module doc).
    pub(crate) fn for_vector(seed: u64, scheme: &str, index: u64) -> Rng {
        Rng {
            state: mix64(mix64(mix64(seed) ^ fnv1a64(scheme.as_bytes())) ^ index),
        }
    }

    /// The next 64 bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix64(self.state)
    }

    /// Uniform in `0..n`; `0` when `n` is `0`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let x = self.next_u64();
            if x >= threshold {
                return x % n;
            }
        }
    }

    /// Uniform in `lo..=hi` (`lo` when `hi < lo`): `lo + below(hi - lo + 1)`, the full range drawing `next_u64`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo {
            return lo;
        }
        match (hi - lo).checked_add(1) {
            Some(span) => lo + self.below(span),
            None => self.next_u64(),
        }
    }

    /// `usize` in `lo..=hi` (same draw as [`Rng::range`]).
    pub(crate) fn size(&mut self, lo: usize, hi: usize) -> usize {
        usize::try_from(self.range(lo as u64, hi as u64)).unwrap_or(lo)
    }

    /// True with probability `percent`/100: `below(100) < percent`.
    pub(crate) fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    /// One element of a non-empty slice, uniformly (`below(len)`); the first for an empty slice is impossible by
    /// construction (every call passes a constant, non-empty slice).
    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let index = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        &items[index]
    }

    /// One text of a non-empty slice of texts ([`Rng::pick`] for `&str`, whose type inference would otherwise
    /// reach for `str`).
    pub(crate) fn pick_str<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let index = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items[index]
    }

    /// Index into `weights`, drawn with probability proportional to each weight: `below(sum)` walked through the
    /// cumulative weights.
    pub(crate) fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut x = self.below(weights.iter().sum());
        for (index, &weight) in weights.iter().enumerate() {
            if x < weight {
                return index;
            }
            x -= weight;
        }
        0
    }

    /// `n` bytes: each the low 8 bits of one `next_u64`.
    pub(crate) fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64().to_le_bytes()[0]).collect()
    }

    /// A text of `lo..=hi` characters, each picked from `alphabet` (a string of ASCII or Unicode characters).
    pub(crate) fn text_from(&mut self, alphabet: &str, lo: usize, hi: usize) -> String {
        let chars: Vec<char> = alphabet.chars().collect();
        let len = self.size(lo, hi);
        (0..len).map(|_| *self.pick(&chars)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_sequence() {
        // Vigna's splitmix64.c seeded with 0 (x = 0) outputs these first values.
        let mut rng = Rng { state: 0 };
        assert_eq!(rng.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(rng.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(rng.next_u64(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn fnv1a64_matches_known_values() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = Rng::for_vector(1, "kraken-spot", 0);
        for n in 1..50 {
            assert!(rng.below(n) < n);
        }
        assert_eq!(rng.range(5, 5), 5);
        let _ = rng.range(0, u64::MAX);
    }
}

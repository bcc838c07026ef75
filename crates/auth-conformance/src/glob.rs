//! Whole-id glob matching for `--id` selections and expected-failure entries.
//!
//! Two wildcards only: `*` matches any run of characters (including `/` and the empty run) and `?` matches exactly
//! one character. Every other character matches itself, case-sensitively. The pattern must match the whole id, so
//! `kraken-spot/official/*` selects one group and `kraken-spot/*` one scheme. There is no escaping: vector ids never
//! contain `*` or `?`.

/// Whether `pattern` matches the whole of `text`.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // Greedy matching with backtracking to the most recent `*` only: linear in practice, never exponential.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some('?') => {
                p += 1;
                t += 1;
            }
            Some(&c) if c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// Whether `pattern` contains a wildcard (an entry without one names a single id).
pub fn is_glob(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

#[cfg(test)]
mod tests {
    use super::glob_match;

    #[test]
    fn literal_matches_only_itself() {
        assert!(glob_match(
            "kraken-spot/official/a",
            "kraken-spot/official/a"
        ));
        assert!(!glob_match(
            "kraken-spot/official/a",
            "kraken-spot/official/ab"
        ));
        assert!(!glob_match(
            "kraken-spot/official/ab",
            "kraken-spot/official/a"
        ));
        assert!(!glob_match(
            "Kraken-spot/official/a",
            "kraken-spot/official/a"
        ));
    }

    #[test]
    fn star_matches_any_run_including_slashes_and_empty() {
        assert!(glob_match("*", ""));
        assert!(glob_match("*", "kraken-spot/a/b"));
        assert!(glob_match(
            "kraken-spot/*",
            "kraken-spot/official/vendor-addorder"
        ));
        assert!(glob_match(
            "kraken-spot/official/*",
            "kraken-spot/official/"
        ));
        assert!(glob_match("*/nonce/*", "kraken-spot/nonce/stale"));
        assert!(glob_match("*order", "kraken-spot/official/vendor-addorder"));
        assert!(glob_match("k*t/*/v*r", "kraken-spot/official/vendor"));
        assert!(!glob_match("kraken-spot/*", "kraken-futures/a/b"));
        assert!(!glob_match("*/nonce/*", "kraken-spot/signing/nonce"));
    }

    #[test]
    fn question_mark_matches_exactly_one_character() {
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("a?c", "a/c"));
        assert!(!glob_match("a?c", "ac"));
        assert!(!glob_match("a?c", "abbc"));
        assert!(glob_match("???", "äöü"));
    }

    #[test]
    fn backtracking_finds_the_later_match() {
        assert!(glob_match("*ab", "aab"));
        assert!(glob_match("a*b*c", "axxbyybzc"));
        assert!(!glob_match("a*b*c", "axxbyybz"));
        assert!(glob_match("**a", "a"));
        assert!(glob_match("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaab"));
        assert!(!glob_match("*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaa"));
    }

    #[test]
    fn whole_id_must_match() {
        assert!(!glob_match("official", "kraken-spot/official/a"));
        assert!(!glob_match(
            "kraken-spot/official",
            "kraken-spot/official/a"
        ));
        assert!(glob_match("*official*", "kraken-spot/official/a"));
    }
}

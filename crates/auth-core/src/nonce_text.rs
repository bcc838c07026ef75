//! Nonce text: canonical decimal of an unsigned 64-bit integer, the nonce syntax of every scheme that has
//! numeric nonces (KSPOT-007, KFUT-007).
//!
//! Canonical means ASCII digits only, no sign, no leading zero (but `0` itself), at most `u64::MAX`. Only a
//! canonical text has one integer and one spelling, so the nonce the server compares and the text both sides
//! hash cannot drift apart. Formatting writes into a caller's stack buffer, for allocation-free hot paths.

/// Digits of `u64::MAX`.
pub const MAX_DIGITS: usize = 20;

/// The value of a canonical nonce text, or `None`.
pub fn parse_canonical(text: &[u8]) -> Option<u64> {
    match text {
        [] => None,
        [b'0'] => Some(0),
        [b'0', ..] => None,
        _ if text.len() > MAX_DIGITS => None,
        _ => text.iter().try_fold(0u64, |value, &byte| {
            let digit = byte.checked_sub(b'0').filter(|d| *d <= 9)?;
            value.checked_mul(10)?.checked_add(u64::from(digit))
        }),
    }
}

/// Writes the canonical text of `value` into `buf` and returns it (no allocation).
pub fn format_canonical(value: u64, buf: &mut [u8; MAX_DIGITS]) -> &[u8] {
    let mut rest = value;
    let mut start = MAX_DIGITS;
    loop {
        start -= 1;
        // `rest % 10` is below 10, so the cast cannot truncate.
        buf[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    &buf[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_texts() {
        assert_eq!(parse_canonical(b"0"), Some(0));
        assert_eq!(parse_canonical(b"1616492376594"), Some(1_616_492_376_594));
        assert_eq!(parse_canonical(b"18446744073709551615"), Some(u64::MAX));
        for bad in [
            &b""[..],
            b"00",
            b"01",
            b"+1",
            b"-1",
            b" 1",
            b"1 ",
            b"1e3",
            b"18446744073709551616",
            b"99999999999999999999",
        ] {
            assert_eq!(
                parse_canonical(bad),
                None,
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn formatting_round_trips() {
        let mut buf = [0; MAX_DIGITS];
        for value in [0, 9, 10, 1_616_492_376_594, u64::MAX] {
            let text = format_canonical(value, &mut buf).to_vec();
            assert_eq!(text, value.to_string().as_bytes());
            assert_eq!(parse_canonical(&text), Some(value));
        }
    }
}

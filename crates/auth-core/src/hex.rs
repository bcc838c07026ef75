//! Hex: lowercase encoding, the spec's encoding of every binary stage (`hmac_key`, `sha256_digest`, ...), and
//! digit values for decoding escapes.

/// `bytes` as lowercase hex, two digits a byte.
pub fn encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

/// The value of an ASCII hex digit, either case (for decoding `%XX` and `\uXXXX` escapes).
pub const fn digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lowercase_two_digits_a_byte() {
        assert_eq!(super::encode(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(super::encode(&[]), "");
    }

    #[test]
    fn digits_either_case() {
        let values: Vec<_> = b"09afAFgG/:".iter().map(|&b| super::digit(b)).collect();
        assert_eq!(
            values,
            [
                Some(0),
                Some(9),
                Some(10),
                Some(15),
                Some(10),
                Some(15),
                None,
                None,
                None,
                None
            ]
        );
    }
}

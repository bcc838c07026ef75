//! EMSA-PKCS1-v1_5 with SHA-256 (RFC 8017 section 9.2), byte by byte: the `digest_info` and `encoded_message`
//! stages of the spec (KV5-007).
//!
//! ```text
//! DigestInfo = 30 31 30 0d 06 09 60 86 48 01 65 03 04 02 01 05 00 04 20 || SHA-256(M)    (51 bytes)
//! EM         = 00 01 || FF × (k − 54) || 00 || DigestInfo                                  (k bytes)
//! ```
//!
//! The signature is `EM` raised to the private exponent modulo n, as k bytes. This module computes the stages
//! independently of the `rsa` crate, which pads internally; the tests check that the two agree (and openssl
//! recovers the same `EM` from our signatures).

/// DER of `DigestInfo { algorithm: id-sha256, NULL }` up to the digest (RFC 8017 section 9.2, note 1).
pub const DIGEST_INFO_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

/// Length of a SHA-256 `DigestInfo`: the prefix and the 32-byte digest.
pub const DIGEST_INFO_LEN: usize = DIGEST_INFO_PREFIX.len() + 32;

/// The `DigestInfo` of a SHA-256 digest.
pub fn digest_info(digest: &[u8; 32]) -> [u8; DIGEST_INFO_LEN] {
    let mut out = [0u8; DIGEST_INFO_LEN];
    out[..DIGEST_INFO_PREFIX.len()].copy_from_slice(&DIGEST_INFO_PREFIX);
    out[DIGEST_INFO_PREFIX.len()..].copy_from_slice(digest);
    out
}

/// `EM` for a modulus of `k` bytes, or `None` when `k` leaves fewer than 8 padding bytes (RFC 8017 step 3:
/// "intended encoded message length too short"; never the case for the keys this crate accepts).
pub fn encoded_message(digest_info: &[u8; DIGEST_INFO_LEN], k: usize) -> Option<Vec<u8>> {
    let padding = k.checked_sub(DIGEST_INFO_LEN + 3).filter(|&n| n >= 8)?;
    let mut em = Vec::with_capacity(k);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(2 + padding, 0xff);
    em.push(0x00);
    em.extend_from_slice(digest_info);
    Some(em)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout() {
        let info = digest_info(&[0xab; 32]);
        assert_eq!(
            auth_core::hex::encode(&info[..19]),
            "3031300d060960864801650304020105000420"
        );
        let em = encoded_message(&info, 256).unwrap();
        assert_eq!(em.len(), 256);
        assert_eq!(&em[..2], &[0x00, 0x01]);
        // k − 3 − 51 = 202 bytes of padding.
        assert!(em[2..204].iter().all(|&b| b == 0xff));
        assert_eq!(em[204], 0x00);
        assert_eq!(&em[205..], &info);
        assert_eq!(encoded_message(&info, 62).map(|em| em.len()), Some(62));
        assert_eq!(encoded_message(&info, 61), None);
    }
}

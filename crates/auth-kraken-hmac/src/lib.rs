#![doc = include_str!("../README.md")]

use auth_core::Secret;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit};
use sha2::Sha512;

/// Length of an HMAC-SHA512 output.
pub const MAC_LEN: usize = 64;

/// Length of a signature: standard base64 (padded) of [`MAC_LEN`] bytes.
pub const SIGNATURE_LEN: usize = 88;

/// Credentials as a Kraken client holds them, for the adapters' one-shot APIs. `Debug` redacts the secret.
pub struct Credentials<'a> {
    /// The API key, as issued.
    pub api_key: &'a str,
    /// The API secret: base64 text, as issued.
    pub secret: &'a str,
}

impl std::fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &self.api_key)
            .field("secret", &"**redacted**")
            .finish()
    }
}

/// Why a secret cannot key the HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// Not standard base64 (RFC 4648 alphabet, canonical `=` padding, no whitespace).
    #[error(
        "the secret is not valid standard base64 (RFC 4648 alphabet with canonical `=` padding)"
    )]
    Invalid,
    /// Decodes to zero bytes.
    #[error("the secret decodes to zero bytes")]
    Empty,
}

/// Decodes a secret as Kraken issues it: standard base64, canonical padding, no whitespace, non-zero
/// trailing bits refused, URL-safe alphabet refused; at least one byte.
pub fn decode_secret(secret: &str) -> Result<Secret, SecretError> {
    let decoded = Secret::new(STANDARD.decode(secret).map_err(|_| SecretError::Invalid)?);
    if decoded.is_empty() {
        return Err(SecretError::Empty);
    }
    Ok(decoded)
}

/// HMAC-SHA512 keyed with `key` (any length: HMAC hashes keys longer than the block). Clone the result per
/// message; the clone carries the precomputed inner and outer pad states.
pub fn keyed_mac(key: &[u8]) -> Hmac<Sha512> {
    match <Hmac<Sha512> as KeyInit>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable_key_length(),
    }
}

#[cold]
fn unreachable_key_length() -> ! {
    // `Hmac::new_from_slice` never fails: HMAC is defined for keys of every length.
    unreachable!("HMAC accepts keys of every length")
}

/// Writes `mac` as standard base64 into `out` and returns it (no allocation).
pub fn encode_signature<'o>(mac: &[u8; MAC_LEN], out: &'o mut [u8; SIGNATURE_LEN]) -> &'o str {
    let written = STANDARD.encode_slice(mac, out).unwrap_or_default();
    debug_assert_eq!(written, SIGNATURE_LEN);
    // Base64 output is ASCII.
    std::str::from_utf8(&out[..written]).unwrap_or_default()
}

/// Reads a signature: standard base64 with canonical padding of exactly [`MAC_LEN`] bytes, else `None`.
pub fn decode_signature(value: &str) -> Option<[u8; MAC_LEN]> {
    // Room for one extra byte, so that a longer value is detected rather than truncated.
    let mut buf = [0u8; MAC_LEN + 3];
    match STANDARD.decode_slice(value, &mut buf) {
        Ok(MAC_LEN) => {
            let mut tag = [0u8; MAC_LEN];
            tag.copy_from_slice(&buf[..MAC_LEN]);
            Some(tag)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_debug_redacts_the_secret() {
        let credentials = Credentials {
            api_key: "k",
            secret: "c2VjcmV0",
        };
        assert_eq!(
            format!("{credentials:?}"),
            r#"Credentials { api_key: "k", secret: "**redacted**" }"#
        );
    }

    #[test]
    fn secrets_are_strict_standard_base64() {
        assert_eq!(
            decode_secret("a2V5").map(|s| s.expose().to_vec()),
            Ok(b"key".to_vec())
        );
        assert_eq!(decode_secret("").map(|_| ()), Err(SecretError::Empty));
        // Missing padding, URL-safe alphabet, whitespace, non-zero trailing bits.
        for bad in ["a2V", "a2V5-_==", " a2V5", "a2V5\n", "a2X="] {
            assert_eq!(
                decode_secret(bad).map(|_| ()),
                Err(SecretError::Invalid),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn signatures_are_exactly_64_canonical_bytes() {
        let mut out = [0u8; SIGNATURE_LEN];
        let ok = encode_signature(&[7u8; 64], &mut out).to_owned();
        assert_eq!(ok, STANDARD.encode([7u8; 64]));
        assert_eq!(decode_signature(&ok), Some([7u8; 64]));
        assert_eq!(decode_signature(&STANDARD.encode([7u8; 63])), None);
        assert_eq!(decode_signature(&STANDARD.encode([7u8; 65])), None);
        assert_eq!(decode_signature(ok.trim_end_matches('=')), None);
        assert_eq!(decode_signature(&ok.replace('H', "-")), None);
        assert_eq!(decode_signature(""), None);
    }
}

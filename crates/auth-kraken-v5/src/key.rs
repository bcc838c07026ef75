//! PEM keys (KV5-003, KV5-004, KV5-033): what a client signs with and what a registry stores.
//!
//! Private keys: `-----BEGIN PRIVATE KEY-----` (PKCS#8 `PrivateKeyInfo`, algorithm `rsaEncryption` with NULL
//! parameters) or `-----BEGIN RSA PRIVATE KEY-----` (PKCS#1 `RSAPrivateKey`, two primes), unencrypted. Public keys:
//! `-----BEGIN PUBLIC KEY-----` (SPKI, `rsaEncryption`) or `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1). Anything else
//! is `key-invalid`: another label (`ENCRYPTED PRIVATE KEY`, `EC PRIVATE KEY`, a public key given as private),
//! text that is not RFC 7468 PEM (headers such as OpenSSL's legacy `Proc-Type: 4,ENCRYPTED`, bad or truncated
//! base64), DER that does not parse completely, another algorithm (EC, Ed25519, and `id-RSASSA-PSS` keys, which are
//! restricted to PSS), or numbers that do not form an RSA key.
//!
//! The decision order is: PEM and DER structure first, then the modulus size (`key-too-small` below
//! [`MIN_MODULUS_BITS`]), then the arithmetic (primes multiply to the modulus, `d·e ≡ 1`), which the `rsa` crate
//! checks when it builds the key. So a well-formed key below 2048 bits is `key-too-small` whatever its numbers. A
//! modulus above [`MAX_MODULUS_BITS`] (the `rsa` crate's limit) or an exponent outside its bounds (2 to 2^33-1) is
//! `key-invalid`: neither occurs in practice.
//!
//! A *PEM text* is the spec's strict reading of RFC 7468 section 2: after optional leading and trailing
//! whitespace (space, tab, CR, LF; keys travel in JSON and environment variables with or without the final
//! newline), exactly one block: `-----BEGIN <label>-----`, base64 lines, `-----END <label>-----` with the same
//! label, LF or CRLF line breaks. The line width is free (64, 76, or everything on one line); the lines joined
//! must be canonical standard base64 of DER with no trailing bytes. Refused: explanatory text outside the block
//! (OpenSSL's `Bag Attributes`), a second block, RFC 1421 headers (`Proc-Type:`, `DEK-Info:`), empty lines or
//! whitespace inside the block, non-canonical base64. The base64 text and the decoded DER are zeroized when
//! dropped.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1::{self, RsaPrivateKeyRef, RsaPublicKeyRef};
use rsa::pkcs8::der::Decode;
use rsa::pkcs8::der::asn1::AnyRef;
use rsa::pkcs8::{PrivateKeyInfoRef, SubjectPublicKeyInfoRef};
use rsa::{RsaPrivateKey, RsaPublicKey};
use zeroize::Zeroizing;

/// The smallest modulus the scheme accepts, in bits (KV5-004).
pub const MIN_MODULUS_BITS: usize = 2048;

/// The largest modulus this implementation accepts, in bits: the `rsa` crate's limit.
pub const MAX_MODULUS_BITS: usize = RsaPublicKey::MAX_SIZE;

/// Why a PEM text is not a usable key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyError {
    /// Not an unencrypted RSA key in one of the accepted forms.
    Invalid,
    /// An RSA key whose modulus (of this many bits) is shorter than [`MIN_MODULUS_BITS`].
    TooSmall(usize),
}

/// PEM label of a PKCS#8 private key.
const PKCS8_PRIVATE: &str = "PRIVATE KEY";
/// PEM label of a PKCS#1 private key.
const PKCS1_PRIVATE: &str = "RSA PRIVATE KEY";
/// PEM label of an SPKI public key.
const SPKI_PUBLIC: &str = "PUBLIC KEY";
/// PEM label of a PKCS#1 public key.
const PKCS1_PUBLIC: &str = "RSA PUBLIC KEY";

/// A private key from PEM (see the module doc for what is accepted).
pub(crate) fn private_key_from_pem(text: &str) -> Result<RsaPrivateKey, KeyError> {
    let (label, der) = decode_pem(text)?;
    let key = match label {
        PKCS8_PRIVATE => {
            let info = PrivateKeyInfoRef::from_der(&der).map_err(|_| KeyError::Invalid)?;
            check_rsa_algorithm(info.algorithm.oid, info.algorithm.parameters)?;
            RsaPrivateKeyRef::try_from(info.private_key).map_err(|_| KeyError::Invalid)?
        }
        PKCS1_PRIVATE => RsaPrivateKeyRef::from_der(&der).map_err(|_| KeyError::Invalid)?,
        _ => return Err(KeyError::Invalid),
    };
    check_modulus(key.modulus.as_bytes())?;
    RsaPrivateKey::try_from(key).map_err(|_| KeyError::Invalid)
}

/// A public key from PEM (see the module doc for what is accepted).
pub(crate) fn public_key_from_pem(text: &str) -> Result<RsaPublicKey, KeyError> {
    let (label, der) = decode_pem(text)?;
    let key = match label {
        SPKI_PUBLIC => {
            let info = SubjectPublicKeyInfoRef::from_der(&der).map_err(|_| KeyError::Invalid)?;
            check_rsa_algorithm(info.algorithm.oid, info.algorithm.parameters)?;
            let bytes = info
                .subject_public_key
                .as_bytes()
                .ok_or(KeyError::Invalid)?;
            RsaPublicKeyRef::try_from(bytes).map_err(|_| KeyError::Invalid)?
        }
        PKCS1_PUBLIC => RsaPublicKeyRef::from_der(&der).map_err(|_| KeyError::Invalid)?,
        _ => return Err(KeyError::Invalid),
    };
    check_modulus(key.modulus.as_bytes())?;
    RsaPublicKey::try_from(key).map_err(|_| KeyError::Invalid)
}

/// The label and the DER of a PEM text (see the module doc).
pub(crate) fn decode_pem(text: &str) -> Result<(&str, Zeroizing<Vec<u8>>), KeyError> {
    let text = text.trim_matches([' ', '\t', '\r', '\n']);
    let mut lines = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line));
    let label = lines
        .next()
        .and_then(|first| first.strip_prefix("-----BEGIN "))
        .and_then(|rest| rest.strip_suffix("-----"))
        .ok_or(KeyError::Invalid)?;
    let mut base64 = Zeroizing::new(String::with_capacity(text.len()));
    let mut ended = false;
    for line in lines {
        if ended {
            // Anything after the end boundary: a second block or trailing text.
            return Err(KeyError::Invalid);
        }
        if let Some(end) = line.strip_prefix("-----END ") {
            if end.strip_suffix("-----") != Some(label) {
                return Err(KeyError::Invalid);
            }
            ended = true;
        } else if line.is_empty() || !line.bytes().all(|b| is_base64_byte(&b)) {
            return Err(KeyError::Invalid);
        } else {
            base64.push_str(line);
        }
    }
    if !ended {
        return Err(KeyError::Invalid);
    }
    let der = STANDARD
        .decode(base64.as_bytes())
        .map_err(|_| KeyError::Invalid)?;
    Ok((label, Zeroizing::new(der)))
}

/// A byte of the standard base64 alphabet or its padding.
fn is_base64_byte(byte: &u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'+' | b'/' | b'=')
}

/// `rsaEncryption` with NULL parameters (RFC 8017 appendix A.1), as the `rsa` crate requires.
fn check_rsa_algorithm(
    oid: rsa::pkcs8::ObjectIdentifier,
    parameters: Option<AnyRef<'_>>,
) -> Result<(), KeyError> {
    if oid == pkcs1::ALGORITHM_OID && parameters == Some(AnyRef::NULL) {
        Ok(())
    } else {
        Err(KeyError::Invalid)
    }
}

/// The modulus (big-endian, as DER holds it) has [`MIN_MODULUS_BITS`] to [`MAX_MODULUS_BITS`] bits.
fn check_modulus(modulus: &[u8]) -> Result<(), KeyError> {
    match modulus_bits(modulus) {
        bits if bits < MIN_MODULUS_BITS => Err(KeyError::TooSmall(bits)),
        bits if bits > MAX_MODULUS_BITS => Err(KeyError::Invalid),
        _ => Ok(()),
    }
}

/// The bit length of a big-endian unsigned integer.
pub(crate) fn modulus_bits(modulus: &[u8]) -> usize {
    let significant = modulus
        .iter()
        .position(|&b| b != 0)
        .map_or(&[][..], |i| &modulus[i..]);
    match significant.first() {
        Some(&first) => significant.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_lengths() {
        assert_eq!(modulus_bits(&[]), 0);
        assert_eq!(modulus_bits(&[0, 0]), 0);
        assert_eq!(modulus_bits(&[1]), 1);
        assert_eq!(modulus_bits(&[0, 0x80, 0]), 16);
        assert_eq!(modulus_bits(&[0x7f; 256]), 2047);
        assert_eq!(modulus_bits(&[0xff; 256]), 2048);
    }

    #[test]
    fn pem_blocks() {
        let block = "-----BEGIN X-----\nAAEC\r\nAw==\n-----END X-----";
        let padded = format!(" \t\r\n{block}\n\n");
        let (label, der) = decode_pem(&padded).unwrap();
        assert_eq!((label, der.as_slice()), ("X", &[0u8, 1, 2, 3][..]));
        for bad in [
            "-----BEGIN X-----\nAAEC\n\nAw==\n-----END X-----",
            "-----BEGIN X-----\nAAEC Aw==\n-----END X-----",
            "-----BEGIN X-----\nAAECAw==\n-----END Y-----",
            "-----BEGIN X-----\nAAECAw==\n",
            "-----BEGIN X-----\nAAECAw==\n-----END X-----\n-----BEGIN X-----\nAA==\n-----END X-----",
            "text\n-----BEGIN X-----\nAAECAw==\n-----END X-----",
            "-----BEGIN X-----\nAAECAw==\n-----END X-----\ntext",
            "-----BEGIN X-----\nAAECAx==\n-----END X-----",
            "-----BEGIN X-----\nAAE=\nAw==\n-----END X-----",
            "-----BEGIN X-----\nProc-Type: 4,ENCRYPTED\n\nAAECAw==\n-----END X-----",
            "-----BEGIN X-----\rAAECAw==\r-----END X-----",
        ] {
            assert_eq!(
                decode_pem(bad).map(|_| ()),
                Err(KeyError::Invalid),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn not_pem_is_invalid() {
        for text in [
            "",
            "garbage",
            "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
            "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
        ] {
            assert_eq!(
                private_key_from_pem(text).map(|_| ()),
                Err(KeyError::Invalid),
                "{text:?}"
            );
            assert_eq!(
                public_key_from_pem(text).map(|_| ()),
                Err(KeyError::Invalid),
                "{text:?}"
            );
        }
    }
}

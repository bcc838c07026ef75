//! The WebSocket challenge (KFUT-015): `signed = base64(HMAC-SHA512(base64decode(secret), SHA256(challenge)))`.
//!
//! The challenge is whatever string the server sent (a UUID in Kraken's example), signed as its UTF-8 bytes.
//! [`FuturesSigner::sign_challenge_into`] is the prebuilt, allocation-free form; [`sign_challenge`] and
//! [`sign_challenge_with_stages`] are one-shots that need only the secret, as a WebSocket client holds it.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

use auth_core::hex::encode as hex;
use auth_kraken_hmac::{encode_signature, keyed_mac};

use crate::signer::{AUTHENT_LEN, MAC_LEN, decode_secret};
use crate::{FuturesSigner, SignError};

/// Length of a signed challenge: standard base64 of 64 bytes, like `Authent`.
pub const SIGNED_CHALLENGE_LEN: usize = AUTHENT_LEN;

/// `mac` (keyed, nothing absorbed yet) after absorbing `SHA256(challenge)`.
fn challenge_state(mut mac: Hmac<Sha512>, challenge: &[u8]) -> Hmac<Sha512> {
    mac.update(&Sha256::digest(challenge));
    mac
}

impl FuturesSigner {
    /// Signs a WebSocket `challenge` (its bytes as received) into `out`. Cannot fail; never allocates.
    pub fn sign_challenge_into<'o>(
        &self,
        challenge: &[u8],
        out: &'o mut [u8; SIGNED_CHALLENGE_LEN],
    ) -> &'o str {
        let mac: [u8; MAC_LEN] = challenge_state(self.mac.clone(), challenge)
            .finalize()
            .into_bytes()
            .into();
        encode_signature(&mac, out)
    }

    /// Verifies `tag` against the MAC of `challenge` in constant time (KFUT-026, -029).
    pub(crate) fn verify_challenge_mac(&self, challenge: &[u8], tag: &[u8; MAC_LEN]) -> bool {
        // `verify_slice` compares in constant time (`subtle`).
        challenge_state(self.mac.clone(), challenge)
            .verify_slice(tag)
            .is_ok()
    }
}

/// One-shot: signs `challenge` with `secret` (base64 text as issued). Refuses `secret-invalid` and
/// `secret-empty` in that order.
pub fn sign_challenge(secret: &str, challenge: &str) -> Result<String, SignError> {
    let key = decode_secret(secret)?;
    let mut out = [0u8; SIGNED_CHALLENGE_LEN];
    let mac: [u8; MAC_LEN] = challenge_state(keyed_mac(key.expose()), challenge.as_bytes())
        .finalize()
        .into_bytes()
        .into();
    Ok(encode_signature(&mac, &mut out).to_owned())
}

/// Every intermediate value of the WebSocket challenge signature, in order (`spec/kraken-futures.md`).
pub struct ChallengeStages {
    /// `hmac_key`: the decoded secret.
    pub hmac_key: auth_core::Secret,
    /// `sha256_input`: the challenge.
    pub sha256_input: String,
    /// `sha256_digest`: SHA-256 of the challenge's UTF-8 bytes.
    pub sha256_digest: [u8; 32],
    /// `hmac_digest`: HMAC-SHA512 of the raw digest under `hmac_key`.
    pub hmac_digest: [u8; MAC_LEN],
    /// `signed_challenge`: standard base64 of `hmac_digest`.
    pub signed_challenge: String,
}

impl std::fmt::Debug for ChallengeStages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChallengeStages")
            .field("hmac_key", &self.hmac_key)
            .field("sha256_input", &self.sha256_input)
            .field("sha256_digest", &hex(&self.sha256_digest))
            .field("hmac_digest", &hex(&self.hmac_digest))
            .field("signed_challenge", &self.signed_challenge)
            .finish()
    }
}

impl ChallengeStages {
    /// The stages by their spec names, encoded as the spec says (hex, text, base64). This exposes the decoded
    /// secret (`hmac_key`): for conformance diagnostics on test credentials only.
    pub fn to_named(&self) -> Vec<(&'static str, String)> {
        vec![
            ("hmac_key", hex(self.hmac_key.expose())),
            ("sha256_input", self.sha256_input.clone()),
            ("sha256_digest", hex(&self.sha256_digest)),
            ("hmac_digest", hex(&self.hmac_digest)),
            ("signed_challenge", self.signed_challenge.clone()),
        ]
    }
}

/// Signs like [`sign_challenge`] and also returns every intermediate stage, computed step by step; in debug
/// builds the result is checked against [`sign_challenge`].
pub fn sign_challenge_with_stages(
    secret: &str,
    challenge: &str,
) -> Result<(String, ChallengeStages), SignError> {
    let hmac_key = decode_secret(secret)?;
    let sha256_digest: [u8; 32] = Sha256::digest(challenge.as_bytes()).into();
    let mut mac = keyed_mac(hmac_key.expose());
    mac.update(&sha256_digest);
    let hmac_digest: [u8; MAC_LEN] = mac.finalize().into_bytes().into();
    let signed_challenge = STANDARD.encode(hmac_digest);
    debug_assert_eq!(
        sign_challenge(secret, challenge).as_ref(),
        Ok(&signed_challenge)
    );
    Ok((
        signed_challenge.clone(),
        ChallengeStages {
            hmac_key,
            sha256_input: challenge.to_owned(),
            sha256_digest,
            hmac_digest,
            signed_challenge,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_refusals() {
        assert_eq!(sign_challenge("!", "x"), Err(SignError::SecretInvalid));
        assert_eq!(sign_challenge("", "x"), Err(SignError::SecretEmpty));
        assert!(matches!(
            sign_challenge_with_stages("", "x"),
            Err(SignError::SecretEmpty)
        ));
    }

    #[test]
    fn prebuilt_and_one_shot_agree_on_any_string() {
        let secret = "cHl0aG9uLWtyYWtlbi1zZGsgdW5pdC10ZXN0IHNlY3JldCB2YWx1ZQ==";
        let signer = FuturesSigner::new("key", secret).unwrap();
        for challenge in ["", "c100b894-1729-464d-ace1-52dbce11db42", "ünïcødé ✓"] {
            let mut out = [0u8; SIGNED_CHALLENGE_LEN];
            let prebuilt = signer.sign_challenge_into(challenge.as_bytes(), &mut out);
            assert_eq!(sign_challenge(secret, challenge).as_deref(), Ok(prebuilt));
        }
    }
}

//! The signer: `X-Client-Signature = base64(RSASSA-PKCS1-v1_5-SIGN(private key, SHA-256, body))`.
//!
//! [`V5Signer`] is the prebuilt form: construction validates the client id and parses the PEM once (KV5-002..004);
//! the key's CRT parameters and Montgomery forms are computed then, and the key is zeroized when the signer drops.
//! Refusals follow the spec's order (client id, key, key size, then per request timestamp, body), so the same bad
//! input always gets the same code.
//!
//! The signed bytes are the body exactly as sent (KV5-006): not the timestamp, method, path or client id, so any
//! of those can change without invalidating the signature (replay inside the window is the verifier's concern,
//! KV5-030). The private-key operation goes through the `rsa` crate's randomized API with the operating system's
//! RNG ([`getrandom::SysRng`]): the exponentiation is blinded with a fresh random factor each time and runs on
//! crypto-bigint's constant-time arithmetic (KV5-032). PKCS#1 v1.5 signatures are deterministic, so blinding does
//! not change the signature bytes.
//!
//! Allocation: RSA signing is not allocation-free and does not try to be. The `rsa` crate allocates its
//! big-integer temporaries (`BoxedUint`, sized to the modulus), the encoded message and the signature;
//! [`V5Signer::sign_into`] adds nothing to that (the base64 goes into the caller's buffer, the body is validated
//! without building a tree) and [`V5Signer::sign`] adds the three header strings.

use auth_core::{Headers, Request, SignOutput, Signer};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rsa::pkcs1v15::{Signature, SigningKey};
use rsa::signature::{RandomizedSigner, SignatureEncoding};
use rsa::traits::PublicKeyParts;
use sha2::{Digest, Sha256};

use crate::error::V5Header;
use crate::key::{self, KeyError, MAX_MODULUS_BITS};
use crate::{SignError, body, emsa, timestamp};

/// Capacity of the buffer [`V5Signer::sign_into`] writes into: base64 of the largest signature (8192-bit key,
/// 1024 bytes). A 2048-bit key's header is 344 characters, 3072 bits 512, 4096 bits 684.
pub const MAX_SIGNATURE_LEN: usize = (MAX_MODULUS_BITS / 8).div_ceil(3) * 4;

/// The prebuilt signer for one client: its id and parsed private key.
#[derive(Clone)]
pub struct V5Signer {
    client_id: String,
    /// The private key (CRT form), zeroized on drop by the `rsa` crate.
    key: SigningKey<Sha256>,
    /// The modulus length in bits.
    bits: usize,
}

impl std::fmt::Debug for V5Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("V5Signer")
            .field("client_id", &self.client_id)
            .field("modulus_bits", &self.bits)
            .field("private_key", &"**redacted**")
            .finish()
    }
}

impl V5Signer {
    /// Builds the signer: validates `client_id` (KV5-002) and parses `private_key_pem` (KV5-003, KV5-004; see
    /// [`crate::key`] for exactly what is accepted).
    pub fn new(client_id: &str, private_key_pem: &str) -> Result<Self, SignError> {
        if !auth_core::is_visible_ascii(client_id) {
            return Err(SignError::ClientIdInvalid);
        }
        let private = key::private_key_from_pem(private_key_pem).map_err(|error| match error {
            KeyError::Invalid => SignError::KeyInvalid,
            KeyError::TooSmall(bits) => SignError::KeyTooSmall { bits },
        })?;
        let bits = key::modulus_bits(&private.n_bytes());
        Ok(V5Signer {
            client_id: client_id.to_owned(),
            key: SigningKey::new(private),
            bits,
        })
    }

    /// The client id this signer signs for.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The modulus length in bits.
    pub fn modulus_bits(&self) -> usize {
        self.bits
    }

    /// k: the modulus length in bytes, which is the signature's length (KV5-008).
    pub fn signature_len(&self) -> usize {
        self.bits.div_ceil(8)
    }

    /// The public key as PEM SPKI (`-----BEGIN PUBLIC KEY-----`, LF line endings), as a registry would store it.
    pub fn public_key_pem(&self) -> String {
        use rsa::pkcs8::EncodePublicKey as _;
        let public = self.key.as_ref().to_public_key();
        // Encoding a valid key into PEM cannot fail; an empty string would be refused at registration.
        public
            .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap_or_default()
    }

    /// The hot path: refuses a body that is neither empty nor JSON (KV5-009), signs the body's bytes and writes
    /// the standard base64 of the k-byte signature into `out` (KV5-006..008).
    pub fn sign_into<'o>(
        &self,
        body: &[u8],
        out: &'o mut [u8; MAX_SIGNATURE_LEN],
    ) -> Result<&'o str, SignError> {
        if !body::is_valid_body(body) {
            return Err(SignError::BodyInvalid);
        }
        let signature = self.signature(body)?;
        let written = STANDARD
            .encode_slice(signature.to_bytes(), out)
            .map_err(|_| SignError::SigningFailed)?;
        // Base64 is ASCII.
        std::str::from_utf8(&out[..written]).map_err(|_| SignError::SigningFailed)
    }

    /// Signs a whole request: checks the timestamp (KV5-005), then the body, and returns the headers to add, in
    /// the order `X-Client-ID`, `X-Client-Signature`, `X-Client-Timestamp` (KV5-001). The timestamp is sent as
    /// given; only the body is signed.
    pub fn sign(&self, request: &Request, timestamp: &str) -> Result<SignOutput, SignError> {
        timestamp::parse(timestamp).map_err(|error| SignError::TimestampInvalid(error.0))?;
        let mut out = [0u8; MAX_SIGNATURE_LEN];
        let signature = self.sign_into(&request.body, &mut out)?;
        let mut headers = Headers::new();
        headers.append(V5Header::ClientId.name(), self.client_id.as_str());
        headers.append(V5Header::Signature.name(), signature);
        headers.append(V5Header::Timestamp.name(), timestamp);
        Ok(SignOutput { headers })
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`, blinded with the OS RNG.
    fn signature(&self, message: &[u8]) -> Result<Signature, SignError> {
        let signature = self
            .key
            .try_sign_with_rng(&mut getrandom::SysRng, message)
            .map_err(|_| SignError::SigningFailed)?;
        debug_assert_eq!(signature.encoded_len(), self.signature_len());
        Ok(signature)
    }
}

/// Signs as [`Signer`]: the context is the timestamp text.
impl Signer for V5Signer {
    type Context = str;
    type Error = SignError;

    fn sign(&self, request: &Request, timestamp: &str) -> Result<SignOutput, SignError> {
        V5Signer::sign(self, request, timestamp)
    }
}

/// Credentials as a client holds them, for the one-shot API. `Debug` redacts the key.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    /// The registered client id.
    pub client_id: &'a str,
    /// The private key, PEM PKCS#8 or PKCS#1.
    pub private_key_pem: &'a str,
}

impl std::fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("private_key_pem", &"**redacted**")
            .finish()
    }
}

/// One-shot signing: builds a [`V5Signer`] (parsing the PEM) and signs `request` once. Prefer a prebuilt signer
/// when signing more than once: parsing a key and precomputing its CRT values costs more than a signature.
pub fn sign(
    credentials: &Credentials<'_>,
    request: &Request,
    timestamp: &str,
) -> Result<SignOutput, SignError> {
    V5Signer::new(credentials.client_id, credentials.private_key_pem)?.sign(request, timestamp)
}

/// Every intermediate value of the spec's algorithm, in order (`spec/kraken-v5.md`, stages).
#[derive(Clone, PartialEq, Eq)]
pub struct Stages {
    /// `sha256_input`: the body, exactly as sent.
    pub sha256_input: Vec<u8>,
    /// `sha256_digest`: SHA-256 of the body.
    pub sha256_digest: [u8; 32],
    /// `digest_info`: [`emsa::DIGEST_INFO_PREFIX`] followed by the digest (51 bytes).
    pub digest_info: [u8; emsa::DIGEST_INFO_LEN],
    /// `encoded_message`: EM = `00 01 FF…FF 00 || digest_info`, k bytes.
    pub encoded_message: Vec<u8>,
    /// `signature`: standard base64 of the k-byte signature, the `X-Client-Signature` value.
    pub signature: String,
}

impl std::fmt::Debug for Stages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut debug = f.debug_struct("Stages");
        for (name, value) in self.to_named() {
            debug.field(name, &value);
        }
        debug.finish()
    }
}

impl Stages {
    /// The stages by their spec names, encoded as the spec says: `sha256_input` as text (a valid body is UTF-8),
    /// `signature` as base64, the others as lowercase hex.
    pub fn to_named(&self) -> Vec<(&'static str, String)> {
        vec![
            (
                "sha256_input",
                String::from_utf8_lossy(&self.sha256_input).into_owned(),
            ),
            ("sha256_digest", auth_core::hex::encode(&self.sha256_digest)),
            ("digest_info", auth_core::hex::encode(&self.digest_info)),
            (
                "encoded_message",
                auth_core::hex::encode(&self.encoded_message),
            ),
            ("signature", self.signature.clone()),
        ]
    }
}

/// Signs like [`sign`] and also returns every intermediate stage; the same checks and refusals apply. The
/// digest, `DigestInfo` and `EM` are computed here from the spec's byte layout ([`emsa`]), the signature by the
/// `rsa` crate; in debug builds the signature is checked to open to exactly this `EM` under the public key.
pub fn sign_with_stages(
    credentials: &Credentials<'_>,
    request: &Request,
    timestamp: &str,
) -> Result<(SignOutput, Stages), SignError> {
    let signer = V5Signer::new(credentials.client_id, credentials.private_key_pem)?;
    let output = signer.sign(request, timestamp)?;
    let stages = signer.stages(&request.body, &output)?;
    Ok((output, stages))
}

impl V5Signer {
    /// The stages of a body already signed into `output`.
    fn stages(&self, body: &[u8], output: &SignOutput) -> Result<Stages, SignError> {
        let signature = output
            .headers
            .get(V5Header::Signature.name())
            .ok_or(SignError::SigningFailed)?
            .to_owned();
        let sha256_digest: [u8; 32] = Sha256::digest(body).into();
        let digest_info = emsa::digest_info(&sha256_digest);
        let encoded_message = emsa::encoded_message(&digest_info, self.signature_len())
            .ok_or(SignError::SigningFailed)?;
        if cfg!(debug_assertions) {
            // The signature opens (s^e mod n) to `00 01 FF…FF 00 || T` with T the tail of our EM: an unprefixed
            // PKCS#1 v1.5 check compares the padding and T byte for byte, so it holds exactly when our EM is the
            // one the signature encodes.
            let bytes = STANDARD.decode(&signature).unwrap_or_default();
            let tail = &encoded_message[encoded_message.len() - emsa::DIGEST_INFO_LEN..];
            let opened = self.key.as_ref().to_public_key().verify(
                rsa::Pkcs1v15Sign::new_unprefixed(),
                tail,
                &bytes,
            );
            debug_assert!(opened.is_ok(), "the signature does not open to EM");
        }
        Ok(Stages {
            sha256_input: body.to_vec(),
            sha256_digest,
            digest_info,
            encoded_message,
            signature,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_ids() {
        assert!(auth_core::is_visible_ascii("partner-1"));
        assert!(auth_core::is_visible_ascii("!~"));
        for bad in ["", " ", "a b", "a\tb", "é", "a\nb", "\u{7f}"] {
            assert!(!auth_core::is_visible_ascii(bad), "{bad:?}");
        }
    }

    #[test]
    fn capacity_fits_the_largest_key() {
        assert_eq!(MAX_SIGNATURE_LEN, 1368);
        assert_eq!(256_usize.div_ceil(3) * 4, 344);
    }

    #[test]
    fn credentials_debug_is_redacted() {
        let credentials = Credentials {
            client_id: "partner",
            private_key_pem: "-----BEGIN PRIVATE KEY-----",
        };
        assert_eq!(
            format!("{credentials:?}"),
            r#"Credentials { client_id: "partner", private_key_pem: "**redacted**" }"#
        );
    }
}

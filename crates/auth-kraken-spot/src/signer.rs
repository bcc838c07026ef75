//! The signer: `API-Sign = base64(HMAC-SHA512(base64decode(secret), path || SHA256(nonce || body)))`.
//!
//! [`SpotSigner`] is the prebuilt form: construction validates the API key, decodes the secret and keys the
//! HMAC once (the inner and outer pad states are computed then and cloned per request). The decoded secret
//! itself is not kept. [`SpotSigner::sign_into`] is the hot path: it checks the path and the body's nonce and
//! writes the 88 base64 characters into a caller's buffer with no heap allocation.
//!
//! Refusals follow the spec's order (KSPOT-004, -002, -003, -005, -006, -007, -012, -008, -009) so that the
//! same bad input always gets the same code.

use auth_core::{Headers, Request, Secret, SignOutput, Signer};
use auth_kraken_hmac::{SecretError, encode_signature, keyed_mac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

use crate::SignError;
use crate::body::{self, BodyError, BodyKind};
use auth_core::nonce_text::{self, MAX_DIGITS};

/// Length of an `API-Sign` value: standard base64 of 64 bytes.
pub const API_SIGN_LEN: usize = auth_kraken_hmac::SIGNATURE_LEN;

pub(crate) use auth_kraken_hmac::MAC_LEN;

/// The prebuilt signer for one API key.
#[derive(Clone)]
pub struct SpotSigner {
    api_key: String,
    /// HMAC-SHA512 keyed with the decoded secret; zeroized on drop (`hmac`'s `zeroize` feature).
    mac: Hmac<Sha512>,
}

impl std::fmt::Debug for SpotSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpotSigner")
            .field("api_key", &self.api_key)
            .field("secret", &"**redacted**")
            .finish()
    }
}

/// Validates the API key (KSPOT-004): non-empty, visible ASCII only.
pub(crate) fn check_api_key(api_key: &str) -> Result<(), SignError> {
    if auth_core::is_visible_ascii(api_key) {
        Ok(())
    } else {
        Err(SignError::ApiKeyInvalid)
    }
}

/// Decodes the secret (KSPOT-002, -003): standard alphabet, canonical padding, no whitespace.
pub(crate) fn decode_secret(secret: &str) -> Result<Secret, SignError> {
    auth_kraken_hmac::decode_secret(secret).map_err(|error| match error {
        SecretError::Invalid => SignError::SecretInvalid,
        SecretError::Empty => SignError::SecretEmpty,
    })
}

/// Checks the path (KSPOT-006): `/0/private/<Endpoint>`, Endpoint `[A-Za-z0-9]+`. Returns the endpoint.
pub(crate) fn check_path(path: &str) -> Option<&str> {
    let endpoint = path.strip_prefix("/0/private/")?;
    (!endpoint.is_empty() && endpoint.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then_some(endpoint)
}

impl SpotSigner {
    /// Builds the signer: validates `api_key`, decodes `secret` (base64 text as Kraken issues it) and keys the
    /// HMAC. The decoded secret is zeroized before this returns.
    pub fn new(api_key: &str, secret: &str) -> Result<Self, SignError> {
        check_api_key(api_key)?;
        let key = decode_secret(secret)?;
        Ok(SpotSigner {
            api_key: api_key.to_owned(),
            mac: keyed_mac(key.expose()),
        })
    }

    /// The API key this signer signs for.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The hot path: signs a POST to `path` whose `body` (of `kind`) carries `nonce`, writing `API-Sign` into
    /// `out`. Refuses a bad path (KSPOT-006), a malformed body (KSPOT-012), a body without a nonce
    /// (KSPOT-008) or with another nonce (KSPOT-009). Never allocates.
    pub fn sign_into<'o>(
        &self,
        path: &str,
        nonce: u64,
        body: &[u8],
        kind: BodyKind,
        out: &'o mut [u8; API_SIGN_LEN],
    ) -> Result<&'o str, SignError> {
        if check_path(path).is_none() {
            return Err(SignError::PathInvalid);
        }
        let mut buf = [0u8; MAX_DIGITS];
        let nonce_text = nonce_text::format_canonical(nonce, &mut buf);
        check_body_nonce(body, kind, nonce_text)?;
        let mac = self.mac_for(path.as_bytes(), nonce_text, body);
        Ok(encode_signature(&mac, out))
    }

    /// Signs a whole request: checks method, path, query, nonce text and body, then returns the `API-Key`
    /// and `API-Sign` headers to add.
    pub fn sign(&self, request: &Request, nonce: &str) -> Result<SignOutput, SignError> {
        let (nonce, kind) = check_request(request, nonce)?;
        let mut out = [0u8; API_SIGN_LEN];
        let api_sign = self.sign_into(&request.path, nonce, &request.body, kind, &mut out)?;
        let mut headers = Headers::new();
        headers.append("API-Key", self.api_key.as_str());
        headers.append("API-Sign", api_sign);
        Ok(SignOutput { headers })
    }

    /// HMAC-SHA512(key, path || SHA256(nonce || body)) from the precomputed key schedule.
    pub(crate) fn mac_for(&self, path: &[u8], nonce_text: &[u8], body: &[u8]) -> [u8; MAC_LEN] {
        self.mac_state(path, nonce_text, body)
            .finalize()
            .into_bytes()
            .into()
    }

    /// Verifies `tag` against the MAC of the request in constant time (KSPOT-024).
    pub(crate) fn verify_mac(
        &self,
        path: &[u8],
        nonce_text: &[u8],
        body: &[u8],
        tag: &[u8; MAC_LEN],
    ) -> bool {
        // `verify_slice` compares in constant time (`subtle`).
        self.mac_state(path, nonce_text, body)
            .verify_slice(tag)
            .is_ok()
    }

    /// The keyed HMAC state (a clone of the precomputed pads) after absorbing `path || SHA256(nonce || body)`.
    fn mac_state(&self, path: &[u8], nonce_text: &[u8], body: &[u8]) -> Hmac<Sha512> {
        let digest = Sha256::new()
            .chain_update(nonce_text)
            .chain_update(body)
            .finalize();
        let mut mac = self.mac.clone();
        mac.update(path);
        mac.update(&digest);
        mac
    }
}

/// Signs as [`Signer`]: the context is the nonce text.
impl Signer for SpotSigner {
    type Context = str;
    type Error = SignError;

    fn sign(&self, request: &Request, nonce: &str) -> Result<SignOutput, SignError> {
        SpotSigner::sign(self, request, nonce)
    }
}

/// Method, path, query and nonce text checks shared by [`SpotSigner::sign`] and [`sign_with_stages`].
fn check_request(request: &Request, nonce: &str) -> Result<(u64, BodyKind), SignError> {
    if request.method != "POST" {
        return Err(SignError::MethodInvalid(request.method.clone()));
    }
    if request.query.is_some() || check_path(&request.path).is_none() {
        return Err(SignError::PathInvalid);
    }
    let nonce = nonce_text::parse_canonical(nonce.as_bytes()).ok_or(SignError::NonceInvalid)?;
    Ok((
        nonce,
        BodyKind::from_content_type(request.headers.get("content-type")),
    ))
}

fn check_body_nonce(body: &[u8], kind: BodyKind, nonce_text: &[u8]) -> Result<(), SignError> {
    let found = body::find_nonce(body, kind).map_err(|error| match error {
        BodyError::Malformed(why) => SignError::BodyInvalid(why),
        BodyError::NonceMissing => SignError::NonceMissing,
    })?;
    if found.is(nonce_text) {
        Ok(())
    } else {
        Err(SignError::NonceMismatch)
    }
}

pub use auth_kraken_hmac::Credentials;

/// One-shot signing: builds a [`SpotSigner`] and signs `request` once. Prefer a prebuilt signer when signing
/// more than once.
pub fn sign(
    credentials: &Credentials<'_>,
    request: &Request,
    nonce: &str,
) -> Result<SignOutput, SignError> {
    SpotSigner::new(credentials.api_key, credentials.secret)?.sign(request, nonce)
}

/// Every intermediate value of the spec's algorithm, in order (`spec/kraken-spot.md`, stages).
pub struct Stages {
    /// `hmac_key`: the decoded secret.
    pub hmac_key: Secret,
    /// `sha256_input`: nonce text followed by the body.
    pub sha256_input: Vec<u8>,
    /// `sha256_digest`: SHA-256 of `sha256_input`.
    pub sha256_digest: [u8; 32],
    /// `hmac_message`: path bytes followed by the raw digest.
    pub hmac_message: Vec<u8>,
    /// `hmac_digest`: HMAC-SHA512 of `hmac_message` under `hmac_key`.
    pub hmac_digest: [u8; MAC_LEN],
    /// `api_sign`: standard base64 of `hmac_digest`.
    pub api_sign: String,
}

impl std::fmt::Debug for Stages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stages")
            .field("hmac_key", &self.hmac_key)
            .field("sha256_input", &String::from_utf8_lossy(&self.sha256_input))
            .field(
                "sha256_digest",
                &auth_core::hex::encode(&self.sha256_digest),
            )
            .field("hmac_message", &auth_core::hex::encode(&self.hmac_message))
            .field("hmac_digest", &auth_core::hex::encode(&self.hmac_digest))
            .field("api_sign", &self.api_sign)
            .finish()
    }
}

impl Stages {
    /// The stages by their spec names, encoded as the spec says (hex, text, base64). This exposes the decoded
    /// secret (`hmac_key`): for conformance diagnostics on test credentials only.
    pub fn to_named(&self) -> Vec<(&'static str, String)> {
        vec![
            ("hmac_key", auth_core::hex::encode(self.hmac_key.expose())),
            (
                "sha256_input",
                String::from_utf8_lossy(&self.sha256_input).into_owned(),
            ),
            ("sha256_digest", auth_core::hex::encode(&self.sha256_digest)),
            ("hmac_message", auth_core::hex::encode(&self.hmac_message)),
            ("hmac_digest", auth_core::hex::encode(&self.hmac_digest)),
            ("api_sign", self.api_sign.clone()),
        ]
    }
}

/// Signs like [`sign`] and also returns every intermediate stage. The same checks and refusals apply; the
/// final value is computed by the prebuilt path, so stages and signature cannot disagree unnoticed.
pub fn sign_with_stages(
    credentials: &Credentials<'_>,
    request: &Request,
    nonce: &str,
) -> Result<(SignOutput, Stages), SignError> {
    let signer = SpotSigner::new(credentials.api_key, credentials.secret)?;
    let output = signer.sign(request, nonce)?;
    let hmac_key = decode_secret(credentials.secret)?;
    let mut sha256_input = Vec::with_capacity(nonce.len() + request.body.len());
    sha256_input.extend_from_slice(nonce.as_bytes());
    sha256_input.extend_from_slice(&request.body);
    let sha256_digest: [u8; 32] = Sha256::digest(&sha256_input).into();
    let mut hmac_message = request.path.as_bytes().to_vec();
    hmac_message.extend_from_slice(&sha256_digest);
    let mut mac = keyed_mac(hmac_key.expose());
    mac.update(&hmac_message);
    let hmac_digest: [u8; MAC_LEN] = mac.finalize().into_bytes().into();
    let api_sign = STANDARD.encode(hmac_digest);
    debug_assert_eq!(output.headers.get("API-Sign"), Some(api_sign.as_str()));
    Ok((
        output,
        Stages {
            hmac_key,
            sha256_input,
            sha256_digest,
            hmac_message,
            hmac_digest,
            api_sign,
        },
    ))
}

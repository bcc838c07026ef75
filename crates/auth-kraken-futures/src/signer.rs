//! The REST signer: `Authent = base64(HMAC-SHA512(base64decode(secret), SHA256(postData || nonce ||
//! endpointPath)))`.
//!
//! [`FuturesSigner`] is the prebuilt form: construction validates the API key, decodes the secret and keys the
//! HMAC once (the inner and outer pad states are computed then and cloned per request). The decoded secret
//! itself is not kept. [`FuturesSigner::sign_into`] is the hot path: it checks the path, streams postData
//! (decoding the legacy form on the fly), the nonce text and endpointPath into SHA-256, and writes the 88
//! base64 characters into a caller's buffer, with no heap allocation.
//!
//! Refusals follow the spec's order (KFUT-004, -002, -003, -005, -007) so that the same bad input always gets
//! the same code. The HTTP method is not signed (KFUT-014): any method signs the same way.

use auth_core::{Headers, Request, Secret, SignOutput, Signer};
use auth_kraken_hmac::{SecretError, encode_signature, keyed_mac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

use crate::SignError;
use crate::post_data::{self, Encoding};
use auth_core::nonce_text::{self, MAX_DIGITS};

/// Length of an `Authent` value (and of a signed challenge): standard base64 of 64 bytes (KFUT-013).
pub const AUTHENT_LEN: usize = auth_kraken_hmac::SIGNATURE_LEN;

pub(crate) use auth_kraken_hmac::MAC_LEN;

/// The prebuilt signer for one API key: REST requests ([`FuturesSigner::sign_into`]) and WebSocket
/// challenges ([`FuturesSigner::sign_challenge_into`]).
#[derive(Clone)]
pub struct FuturesSigner {
    api_key: String,
    /// HMAC-SHA512 keyed with the decoded secret; zeroized on drop (`hmac`'s `zeroize` feature).
    pub(crate) mac: Hmac<Sha512>,
}

impl std::fmt::Debug for FuturesSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FuturesSigner")
            .field("api_key", &self.api_key)
            .field("secret", &"**redacted**")
            .finish()
    }
}

/// Validates the API key (KFUT-004): non-empty, visible ASCII only.
fn check_api_key(api_key: &str) -> Result<(), SignError> {
    if auth_core::is_visible_ascii(api_key) {
        Ok(())
    } else {
        Err(SignError::ApiKeyInvalid)
    }
}

/// Decodes the secret (KFUT-002, -003): standard alphabet, canonical padding, no whitespace.
pub(crate) fn decode_secret(secret: &str) -> Result<Secret, SignError> {
    auth_kraken_hmac::decode_secret(secret).map_err(|error| match error {
        SecretError::Invalid => SignError::SecretInvalid,
        SecretError::Empty => SignError::SecretEmpty,
    })
}

impl FuturesSigner {
    /// Builds the signer: validates `api_key`, decodes `secret` (base64 text as Kraken issues it) and keys the
    /// HMAC. The decoded secret is zeroized before this returns.
    pub fn new(api_key: &str, secret: &str) -> Result<Self, SignError> {
        check_api_key(api_key)?;
        let key = decode_secret(secret)?;
        Ok(FuturesSigner {
            api_key: api_key.to_owned(),
            mac: keyed_mac(key.expose()),
        })
    }

    /// The API key this signer signs for.
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The hot path: signs a request to `path` with `query` (as sent, without `?`) and `body` (as sent),
    /// with `nonce` or without one, hashing postData in `encoding`, and writes `Authent` into `out`. Refuses
    /// a bad path (KFUT-005). Never allocates.
    pub fn sign_into<'o>(
        &self,
        path: &str,
        query: &[u8],
        body: &[u8],
        nonce: Option<u64>,
        encoding: Encoding,
        out: &'o mut [u8; AUTHENT_LEN],
    ) -> Result<&'o str, SignError> {
        let endpoint = post_data::check_path(path).ok_or(SignError::PathInvalid)?;
        let mut buf = [0u8; MAX_DIGITS];
        let nonce_text = match nonce {
            Some(value) => nonce_text::format_canonical(value, &mut buf),
            None => &[],
        };
        let mac: [u8; MAC_LEN] = self
            .authent_state(query, body, nonce_text, endpoint, encoding)
            .finalize()
            .into_bytes()
            .into();
        Ok(encode_signature(&mac, out))
    }

    /// Signs a whole request: checks the path, then the nonce text (canonical decimal u64, KFUT-007), and
    /// returns the headers to add: `APIKey`, `Authent`, and `Nonce` only when `nonce` is given (KFUT-001).
    /// The request's query (if any) and body make postData; its method is not signed.
    pub fn sign(
        &self,
        request: &Request,
        nonce: Option<&str>,
        encoding: Encoding,
    ) -> Result<SignOutput, SignError> {
        let nonce = check_request(request, nonce)?;
        self.sign_checked(request, nonce, encoding)
    }

    /// Signs a request whose nonce is already a number (so cannot be invalid).
    fn sign_checked(
        &self,
        request: &Request,
        nonce: Option<u64>,
        encoding: Encoding,
    ) -> Result<SignOutput, SignError> {
        let mut out = [0u8; AUTHENT_LEN];
        let authent = self.sign_into(
            &request.path,
            query_bytes(request),
            &request.body,
            nonce,
            encoding,
            &mut out,
        )?;
        let mut headers = Headers::new();
        headers.append("APIKey", self.api_key.as_str());
        headers.append("Authent", authent);
        if let Some(nonce) = nonce {
            headers.append("Nonce", nonce.to_string());
        }
        Ok(SignOutput { headers })
    }

    /// Verifies `tag` against the MAC of the request in constant time (KFUT-026).
    pub(crate) fn verify_authent(
        &self,
        query: &[u8],
        body: &[u8],
        nonce_text: &[u8],
        endpoint: &str,
        encoding: Encoding,
        tag: &[u8; MAC_LEN],
    ) -> bool {
        // `verify_slice` compares in constant time (`subtle`).
        self.authent_state(query, body, nonce_text, endpoint, encoding)
            .verify_slice(tag)
            .is_ok()
    }

    /// The keyed HMAC state (a clone of the precomputed pads) after absorbing
    /// `SHA256(postData || nonce || endpointPath)`: shared by signing and verification.
    fn authent_state(
        &self,
        query: &[u8],
        body: &[u8],
        nonce_text: &[u8],
        endpoint: &str,
        encoding: Encoding,
    ) -> Hmac<Sha512> {
        let mut sha = Sha256::new();
        for chunk in post_data::post_data(query, body, encoding) {
            sha.update(chunk);
        }
        sha.update(nonce_text);
        sha.update(endpoint.as_bytes());
        let mut mac = self.mac.clone();
        mac.update(&sha.finalize());
        mac
    }
}

/// What [`Signer::sign`] needs besides the request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignContext {
    /// The nonce, or `None` to sign without one (no `Nonce` header, empty nonce text hashed).
    pub nonce: Option<u64>,
    /// The postData form to hash; [`Encoding::Current`] unless the server needs the legacy one.
    pub encoding: Encoding,
}

/// Signs as [`Signer`]: the context carries the nonce (already a number) and the encoding.
impl Signer for FuturesSigner {
    type Context = SignContext;
    type Error = SignError;

    fn sign(&self, request: &Request, context: &SignContext) -> Result<SignOutput, SignError> {
        self.sign_checked(request, context.nonce, context.encoding)
    }
}

/// The query bytes of `request` (empty when it has none).
pub(crate) fn query_bytes(request: &Request) -> &[u8] {
    request.query.as_deref().unwrap_or_default().as_bytes()
}

/// Path, then nonce text checks shared by [`FuturesSigner::sign`] and [`sign_with_stages`].
fn check_request(request: &Request, nonce: Option<&str>) -> Result<Option<u64>, SignError> {
    if post_data::check_path(&request.path).is_none() {
        return Err(SignError::PathInvalid);
    }
    nonce
        .map(|text| nonce_text::parse_canonical(text.as_bytes()).ok_or(SignError::NonceInvalid))
        .transpose()
}

pub use auth_kraken_hmac::Credentials;

/// One-shot signing: builds a [`FuturesSigner`] and signs `request` once. Prefer a prebuilt signer when
/// signing more than once.
pub fn sign(
    credentials: &Credentials<'_>,
    request: &Request,
    nonce: Option<&str>,
    encoding: Encoding,
) -> Result<SignOutput, SignError> {
    FuturesSigner::new(credentials.api_key, credentials.secret)?.sign(request, nonce, encoding)
}

/// Every intermediate value of the spec's algorithm, in order (`spec/kraken-futures.md`, stages).
pub struct Stages {
    /// `hmac_key`: the decoded secret.
    pub hmac_key: Secret,
    /// `post_data`: the postData actually hashed (current or legacy form, as requested).
    pub post_data: Vec<u8>,
    /// `endpoint_path`: the path without a leading `/derivatives`.
    pub endpoint_path: String,
    /// `sha256_input`: `post_data || nonce || endpoint_path`.
    pub sha256_input: Vec<u8>,
    /// `sha256_digest`: SHA-256 of `sha256_input`.
    pub sha256_digest: [u8; 32],
    /// `hmac_digest`: HMAC-SHA512 of the raw digest under `hmac_key`.
    pub hmac_digest: [u8; MAC_LEN],
    /// `authent`: standard base64 of `hmac_digest`.
    pub authent: String,
}

impl std::fmt::Debug for Stages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stages")
            .field("hmac_key", &self.hmac_key)
            .field("post_data", &String::from_utf8_lossy(&self.post_data))
            .field("endpoint_path", &self.endpoint_path)
            .field("sha256_input", &String::from_utf8_lossy(&self.sha256_input))
            .field(
                "sha256_digest",
                &auth_core::hex::encode(&self.sha256_digest),
            )
            .field("hmac_digest", &auth_core::hex::encode(&self.hmac_digest))
            .field("authent", &self.authent)
            .finish()
    }
}

impl Stages {
    /// The stages by their spec names, encoded as the spec says (hex, text, base64). Text stages are the
    /// UTF-8 text of their bytes; a legacy postData that decodes to bytes outside UTF-8 (`%FF`) leaves
    /// `post_data` and `sha256_input` with no text form, and the spec says to omit them then (the exact bytes
    /// stay in [`Stages::post_data`] and [`Stages::sha256_input`]). This exposes the decoded secret
    /// (`hmac_key`): for conformance diagnostics on test credentials only.
    pub fn to_named(&self) -> Vec<(&'static str, String)> {
        let text = |bytes: &[u8]| std::str::from_utf8(bytes).ok().map(str::to_owned);
        [
            (
                "hmac_key",
                Some(auth_core::hex::encode(self.hmac_key.expose())),
            ),
            ("post_data", text(&self.post_data)),
            ("endpoint_path", Some(self.endpoint_path.clone())),
            ("sha256_input", text(&self.sha256_input)),
            (
                "sha256_digest",
                Some(auth_core::hex::encode(&self.sha256_digest)),
            ),
            (
                "hmac_digest",
                Some(auth_core::hex::encode(&self.hmac_digest)),
            ),
            ("authent", Some(self.authent.clone())),
        ]
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect()
    }
}

/// Signs like [`sign`] and also returns every intermediate stage. The same checks and refusals apply. The
/// stages are computed the plain way (buffers, [`post_data::percent_decode`]) while the headers come from
/// the prebuilt streaming path, so in debug builds the two are checked against each other.
pub fn sign_with_stages(
    credentials: &Credentials<'_>,
    request: &Request,
    nonce: Option<&str>,
    encoding: Encoding,
) -> Result<(SignOutput, Stages), SignError> {
    let output = sign(credentials, request, nonce, encoding)?;
    let hmac_key = decode_secret(credentials.secret)?;
    let mut sent = query_bytes(request).to_vec();
    sent.extend_from_slice(&request.body);
    let post_data = match encoding {
        Encoding::Current => sent,
        Encoding::Legacy => post_data::percent_decode(&sent),
    };
    let endpoint_path = post_data::endpoint_path(&request.path).to_owned();
    let mut sha256_input = post_data.clone();
    sha256_input.extend_from_slice(nonce.unwrap_or_default().as_bytes());
    sha256_input.extend_from_slice(endpoint_path.as_bytes());
    let sha256_digest: [u8; 32] = Sha256::digest(&sha256_input).into();
    let mut mac = keyed_mac(hmac_key.expose());
    mac.update(&sha256_digest);
    let hmac_digest: [u8; MAC_LEN] = mac.finalize().into_bytes().into();
    let authent = STANDARD.encode(hmac_digest);
    debug_assert_eq!(output.headers.get("Authent"), Some(authent.as_str()));
    Ok((
        output,
        Stages {
            hmac_key,
            post_data,
            endpoint_path,
            sha256_input,
            sha256_digest,
            hmac_digest,
            authent,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "cHl0aG9uLWtyYWtlbi1zZGsgdW5pdC10ZXN0IHNlY3JldCB2YWx1ZQ==";

    #[test]
    fn refusal_order() {
        // Every input bad at once: the API key is checked first, then the secret.
        assert_eq!(
            FuturesSigner::new("", "!").map(|_| ()),
            Err(SignError::ApiKeyInvalid)
        );
        assert_eq!(
            FuturesSigner::new("key with space", SECRET).map(|_| ()),
            Err(SignError::ApiKeyInvalid)
        );
        assert_eq!(
            FuturesSigner::new("key", "!").map(|_| ()),
            Err(SignError::SecretInvalid)
        );
        assert_eq!(
            FuturesSigner::new("key", "").map(|_| ()),
            Err(SignError::SecretEmpty)
        );
        let signer = FuturesSigner::new("key", SECRET).unwrap();
        let bad = Request::new("POST", "/0/private/AddOrder");
        assert_eq!(
            signer.sign(&bad, Some("01"), Encoding::Current),
            Err(SignError::PathInvalid)
        );
        let good = Request::new("POST", "/derivatives/api/v3/sendorder");
        for nonce in ["", "01", "-1", "1.0", "18446744073709551616"] {
            assert_eq!(
                signer.sign(&good, Some(nonce), Encoding::Current),
                Err(SignError::NonceInvalid),
                "{nonce:?}"
            );
        }
    }

    #[test]
    fn nonce_header_only_with_a_nonce() {
        let signer = FuturesSigner::new("key", SECRET).unwrap();
        let request = Request::new("GET", "/derivatives/api/v3/openpositions");
        let names = |output: &SignOutput| -> Vec<String> {
            output.headers.iter().map(|(n, _)| n.to_owned()).collect()
        };
        let with = signer.sign(&request, Some("7"), Encoding::Current).unwrap();
        let without = signer.sign(&request, None, Encoding::Current).unwrap();
        assert_eq!(names(&with), ["APIKey", "Authent", "Nonce"]);
        assert_eq!(with.headers.get("Nonce"), Some("7"));
        assert_eq!(names(&without), ["APIKey", "Authent"]);
    }

    #[test]
    fn stages_without_a_text_form_are_omitted() {
        let credentials = Credentials {
            api_key: "key",
            secret: SECRET,
        };
        let request = Request::new("POST", "/derivatives/api/v3/sendorder").body("a=%FF");
        let names = |encoding| -> Vec<&'static str> {
            let (_, stages) = sign_with_stages(&credentials, &request, None, encoding).unwrap();
            stages
                .to_named()
                .into_iter()
                .map(|(name, _)| name)
                .collect()
        };
        assert_eq!(names(Encoding::Current).len(), 7);
        assert_eq!(
            names(Encoding::Legacy),
            [
                "hmac_key",
                "endpoint_path",
                "sha256_digest",
                "hmac_digest",
                "authent"
            ]
        );
    }
}

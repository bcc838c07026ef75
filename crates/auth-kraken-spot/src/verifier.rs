//! The verifier: the server side of `API-Sign`, with replay protection.
//!
//! Checks run in the spec's fixed order (KSPOT-020) so that the same bad request always gets the same answer:
//! method, path, `API-Key`, key lookup, `API-Sign` shape, body, body nonce, MAC (constant time), permission,
//! and last the nonce store, which records the nonce only when everything else passed (KSPOT-028).

use std::collections::BTreeSet;
use std::sync::Arc;

use auth_core::{KeyStore, NonceRejection, NonceStore, Request, Verifier};

use crate::body::{self, BodyError, BodyKind};
use crate::error::AuthHeader;
use crate::signer::{MAC_LEN, check_path};
use crate::{SignError, SpotSigner, VerifyError};
use auth_core::nonce_text::{self, MAX_DIGITS};

/// Which endpoints a key may call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Permissions {
    /// Every endpoint.
    #[default]
    All,
    /// Only these endpoints (the last path segment, e.g. `AddOrder`).
    Endpoints(BTreeSet<String>),
}

impl Permissions {
    /// Whether `endpoint` is allowed.
    pub fn allows(&self, endpoint: &str) -> bool {
        match self {
            Permissions::All => true,
            Permissions::Endpoints(allowed) => allowed.contains(endpoint),
        }
    }
}

/// What the verifier stores per API key: the prebuilt MAC state and the key's permissions.
#[derive(Debug, Clone)]
pub struct SpotKey {
    signer: SpotSigner,
    permissions: Permissions,
}

impl SpotKey {
    /// Registers a key from its API key and base64 secret, as a client would hold them.
    pub fn new(api_key: &str, secret: &str, permissions: Permissions) -> Result<Self, SignError> {
        Ok(SpotKey {
            signer: SpotSigner::new(api_key, secret)?,
            permissions,
        })
    }

    /// The API key.
    pub fn api_key(&self) -> &str {
        self.signer.api_key()
    }

    /// The key's permissions.
    pub fn permissions(&self) -> &Permissions {
        &self.permissions
    }
}

/// Who an accepted request authenticates as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The API key.
    pub api_key: String,
    /// The accepted nonce.
    pub nonce: u64,
    /// The endpoint called.
    pub endpoint: String,
}

/// The verifier, over a key store and a nonce store.
#[derive(Debug)]
pub struct SpotVerifier<K, N> {
    keys: K,
    nonces: N,
}

impl<K, N> SpotVerifier<K, N>
where
    K: KeyStore<Record = Arc<SpotKey>>,
    N: NonceStore,
{
    /// A verifier looking keys up in `keys` and keeping replay state in `nonces`.
    pub fn new(keys: K, nonces: N) -> Self {
        SpotVerifier { keys, nonces }
    }

    /// The nonce store (for inspection).
    pub fn nonces(&self) -> &N {
        &self.nonces
    }

    /// Verifies `request` (see the module doc for the order of checks).
    pub fn verify(&self, request: &Request) -> Result<Principal, VerifyError> {
        if request.method != "POST" {
            return Err(VerifyError::MethodInvalid(request.method.clone()));
        }
        let endpoint = match (&request.query, check_path(&request.path)) {
            (None, Some(endpoint)) => endpoint,
            _ => return Err(VerifyError::PathInvalid),
        };
        let api_key = non_empty_header(request, "API-Key")
            .ok_or(VerifyError::HeaderMissing(AuthHeader::ApiKey))?;
        let key = self.keys.lookup(api_key).ok_or(VerifyError::KeyUnknown)?;
        let api_sign = non_empty_header(request, "API-Sign")
            .ok_or(VerifyError::HeaderMissing(AuthHeader::ApiSign))?;
        let tag = decode_api_sign(api_sign)?;

        let kind = BodyKind::from_content_type(request.headers.get("content-type"));
        let found = body::find_nonce(&request.body, kind).map_err(|error| match error {
            BodyError::Malformed(why) => VerifyError::BodyInvalid(why),
            BodyError::NonceMissing => VerifyError::NonceMissing,
        })?;
        let nonce = found.canonical().ok_or(VerifyError::NonceInvalid)?;
        let mut buf = [0u8; MAX_DIGITS];
        let nonce_text = nonce_text::format_canonical(nonce, &mut buf);

        if !key
            .signer
            .verify_mac(request.path.as_bytes(), nonce_text, &request.body, &tag)
        {
            return Err(VerifyError::SignatureMismatch);
        }
        if !key.permissions.allows(endpoint) {
            return Err(VerifyError::PermissionDenied);
        }
        self.nonces.check_and_record(key.api_key(), nonce).map_err(
            |rejection| match rejection {
                NonceRejection::Stale { .. } => VerifyError::NonceStale(rejection),
                NonceRejection::Replayed { .. } => VerifyError::NonceReplayed(rejection),
            },
        )?;
        Ok(Principal {
            api_key: key.api_key().to_owned(),
            nonce,
            endpoint: endpoint.to_owned(),
        })
    }
}

impl<K, N> Verifier for SpotVerifier<K, N>
where
    K: KeyStore<Record = Arc<SpotKey>>,
    N: NonceStore,
{
    type Principal = Principal;
    type Error = VerifyError;

    fn verify(&self, request: &Request) -> Result<Principal, VerifyError> {
        SpotVerifier::verify(self, request)
    }
}

fn non_empty_header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).filter(|value| !value.is_empty())
}

/// `API-Sign` must be standard base64 (canonical padding) of exactly 64 bytes (KSPOT-022).
fn decode_api_sign(value: &str) -> Result<[u8; MAC_LEN], VerifyError> {
    auth_kraken_hmac::decode_signature(value).ok_or(VerifyError::SignatureMalformed)
}

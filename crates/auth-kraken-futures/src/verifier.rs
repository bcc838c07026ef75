//! The verifiers: the server side of `Authent` (REST) and of the signed WebSocket challenge.
//!
//! REST checks run in the spec's fixed order (KFUT-020) so that the same bad request always gets the same
//! answer: path, `APIKey`, key lookup, `Authent`, `Authent` shape, `Nonce`, MAC over the current postData
//! then, only if enabled, over the legacy one (constant time), and last the nonce store, which records the
//! nonce only when everything else passed (KFUT-027). Every rejection answers HTTP 200 with Kraken's
//! envelope, whose `serverTime` comes from the verifier's [`Clock`].
//!
//! Replay protection is optional, as the scheme's nonce is: [`FuturesVerifier::new`] keeps an in-memory
//! store only when [`VerifierOptions::nonce_window`] is set, and consults nothing otherwise (the store is an
//! `Option`, so "no replay check" is a state of the verifier, not a store that accepts everything).

use std::sync::Arc;

use auth_core::{
    Clock, KeyStore, MemoryNonceStore, NonceRejection, NonceStore, NonceWindow, Request, Verifier,
};

use crate::error::AuthHeader;
use crate::post_data::{self, Encoding};
use auth_kraken_hmac::decode_signature as decode_mac;

use crate::signer::query_bytes;
use crate::{FuturesSigner, SignError, VerifyError, WsVerifyError};

/// What the verifier stores per API key: the prebuilt MAC state.
#[derive(Debug, Clone)]
pub struct FuturesKey {
    signer: FuturesSigner,
}

impl FuturesKey {
    /// Registers a key from its API key and base64 secret, as a client would hold them.
    pub fn new(api_key: &str, secret: &str) -> Result<Self, SignError> {
        Ok(FuturesKey {
            signer: FuturesSigner::new(api_key, secret)?,
        })
    }

    /// The API key.
    pub fn api_key(&self) -> &str {
        self.signer.api_key()
    }
}

/// How strict the REST verifier is. The default is the spec's: current encoding only, nonce optional, no
/// replay check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerifierOptions {
    /// Also accept a MAC over the legacy (percent-decoded) postData (KFUT-025). Off by default.
    pub accept_legacy_encoding: bool,
    /// Reject a request without `Nonce` (`header-missing`). Off by default.
    pub require_nonce: bool,
    /// Check present nonces against a per-key store with this window (KFUT-027); `None`: no replay check.
    /// Read by [`FuturesVerifier::new`]; a store given to [`FuturesVerifier::with_nonce_store`] applies its
    /// own window.
    pub nonce_window: Option<NonceWindow>,
}

/// Who an accepted request authenticates as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The API key.
    pub api_key: String,
    /// The request's nonce, if it carried one.
    pub nonce: Option<u64>,
    /// Which postData form the MAC matched. A request with no `%` in query or body has one form only, reported
    /// as [`Encoding::Current`].
    pub encoding: Encoding,
}

/// The verifier, over a key store, an optional nonce store and a clock (for `serverTime`).
#[derive(Debug)]
pub struct FuturesVerifier<K, N, C> {
    keys: K,
    nonces: Option<N>,
    clock: C,
    options: VerifierOptions,
}

impl<K, C> FuturesVerifier<K, MemoryNonceStore, C>
where
    K: KeyStore<Record = Arc<FuturesKey>>,
    C: Clock,
{
    /// A verifier looking keys up in `keys`, reading the time from `clock`, with an in-memory nonce store of
    /// window `options.nonce_window` when that is set, and no replay check otherwise.
    pub fn new(keys: K, clock: C, options: VerifierOptions) -> Self {
        FuturesVerifier {
            keys,
            nonces: options.nonce_window.map(MemoryNonceStore::new),
            clock,
            options,
        }
    }
}

impl<K, N, C> FuturesVerifier<K, N, C>
where
    K: KeyStore<Record = Arc<FuturesKey>>,
    N: NonceStore,
    C: Clock,
{
    /// A verifier with the caller's nonce store (shared, persistent, ...), consulted for every request that
    /// carries a nonce; the store applies its own window and `options.nonce_window` is not read.
    pub fn with_nonce_store(keys: K, nonces: N, clock: C, options: VerifierOptions) -> Self {
        FuturesVerifier {
            keys,
            nonces: Some(nonces),
            clock,
            options,
        }
    }

    /// The nonce store, if replay checks are on (for inspection and for loading accepted nonces).
    pub fn nonces(&self) -> Option<&N> {
        self.nonces.as_ref()
    }

    /// The options in force.
    pub fn options(&self) -> &VerifierOptions {
        &self.options
    }

    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// Kraken's envelope for a rejection, `serverTime` being the clock's now (KFUT-028).
    pub fn envelope(&self, error: &VerifyError) -> serde_json::Value {
        error.envelope(self.clock.now())
    }

    /// Verifies `request` (see the module doc for the order of checks). `request.query` (without `?`) and
    /// `request.body` make postData; the method is not signed.
    pub fn verify(&self, request: &Request) -> Result<Principal, VerifyError> {
        let endpoint = post_data::check_path(&request.path).ok_or(VerifyError::PathInvalid)?;
        let api_key = non_empty_header(request, AuthHeader::ApiKey)
            .ok_or(VerifyError::HeaderMissing(AuthHeader::ApiKey))?;
        let key = self.keys.lookup(api_key).ok_or(VerifyError::KeyUnknown)?;
        let authent = non_empty_header(request, AuthHeader::Authent)
            .ok_or(VerifyError::HeaderMissing(AuthHeader::Authent))?;
        let tag = decode_mac(authent).ok_or(VerifyError::SignatureMalformed)?;

        // A present `Nonce` must be canonical, an empty one included; its text as sent is what was hashed.
        let nonce = match request.headers.get(AuthHeader::Nonce.name()) {
            Some(text) => Some((
                auth_core::nonce_text::parse_canonical(text.as_bytes())
                    .ok_or(VerifyError::NonceInvalid)?,
                text,
            )),
            None if self.options.require_nonce => {
                return Err(VerifyError::HeaderMissing(AuthHeader::Nonce));
            }
            None => None,
        };
        let nonce_text = nonce.map_or(&b""[..], |(_, text)| text.as_bytes());

        let (query, body) = (query_bytes(request), request.body.as_slice());
        let matches = |encoding| {
            key.signer
                .verify_authent(query, body, nonce_text, endpoint, encoding, &tag)
        };
        let encoding = if matches(Encoding::Current) {
            Encoding::Current
        } else if self.options.accept_legacy_encoding
            // Without a `%` the legacy form is the current one, which did not match.
            && (query.contains(&b'%') || body.contains(&b'%'))
            && matches(Encoding::Legacy)
        {
            Encoding::Legacy
        } else {
            return Err(VerifyError::SignatureMismatch);
        };

        if let (Some(store), Some((value, _))) = (&self.nonces, nonce) {
            store
                .check_and_record(key.api_key(), value)
                .map_err(|rejection| match rejection {
                    NonceRejection::Stale { .. } => VerifyError::NonceStale(rejection),
                    NonceRejection::Replayed { .. } => VerifyError::NonceReplayed(rejection),
                })?;
        }
        Ok(Principal {
            api_key: key.api_key().to_owned(),
            nonce: nonce.map(|(value, _)| value),
            encoding,
        })
    }

    /// Verifies a signed WebSocket challenge (KFUT-029): key known (`key-unknown`), `signed` standard base64
    /// of 64 bytes (`signature-malformed`), MAC in constant time (`signature-mismatch`). Returns the API key.
    /// No nonce, no clock, no state.
    pub fn verify_challenge(
        &self,
        api_key: &str,
        challenge: &[u8],
        signed: &str,
    ) -> Result<String, WsVerifyError> {
        let key = self.keys.lookup(api_key).ok_or(WsVerifyError::KeyUnknown)?;
        let tag = decode_mac(signed).ok_or(WsVerifyError::SignatureMalformed)?;
        if !key.signer.verify_challenge_mac(challenge, &tag) {
            return Err(WsVerifyError::SignatureMismatch);
        }
        Ok(key.api_key().to_owned())
    }
}

impl<K, N, C> Verifier for FuturesVerifier<K, N, C>
where
    K: KeyStore<Record = Arc<FuturesKey>>,
    N: NonceStore,
    C: Clock,
{
    type Principal = Principal;
    type Error = VerifyError;

    fn verify(&self, request: &Request) -> Result<Principal, VerifyError> {
        FuturesVerifier::verify(self, request)
    }
}

fn non_empty_header(request: &Request, header: AuthHeader) -> Option<&str> {
    request
        .headers
        .get(header.name())
        .filter(|value| !value.is_empty())
}

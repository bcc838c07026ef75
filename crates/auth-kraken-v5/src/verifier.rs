//! The verifier: the server side of `X-Client-Signature`, with the timestamp window, key expiry, the IP allowlist
//! and an optional replay cache.
//!
//! Checks run in the spec's fixed order (KV5-020), the first failure deciding, so the same bad request always gets
//! the same answer:
//!
//! 1. `X-Client-ID`, 2. `X-Client-Signature`, 3. `X-Client-Timestamp` present and non-empty (400);
//! 4. the timestamp is RFC 3339 (400);
//! 5. the timestamp is within `server_time ± 300 s`, both edges inclusive, at the fraction's full precision
//!    (`timestamp-stale` / `timestamp-future`);
//! 6. the client id is registered; 7. its key has not expired (`server_time >= expires_at` is expired);
//! 8. the remote address is on its allowlist;
//! 9. the body is empty or JSON;
//! 10. the signature is standard base64 of exactly k bytes (k: the client's modulus length);
//! 11. RSASSA-PKCS1-v1_5 with SHA-256 verifies over the body;
//! 12. with a replay cache, (client id, signature) was not accepted within [`crate::REPLAY_LIFETIME`]; recorded
//!     only here, on acceptance.
//!
//! Every rejection is answered with [`VerifyError::status`] and the `text/plain` body [`VerifyError::text`].
//! The time is the injected [`Clock`]'s, read once per request ([`V5Verifier::verify`]), or an exact instant the
//! caller gives ([`V5Verifier::verify_at`]: the spec lets the server time carry any number of fraction digits).
//! Every comparison of instants (window, expiry, replay lifetime) is exact ([`ExactInstant`]).

use std::net::IpAddr;
use std::sync::Arc;

use auth_core::{Clock, KeyStore, Request, Verifier};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jiff::SignedDuration;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::signature::Verifier as _;
use rsa::traits::PublicKeyParts;
use sha2::Sha256;

use crate::error::V5Header;
use crate::ip::IpNet;
use crate::key::{self, KeyError, MAX_MODULUS_BITS};
use crate::replay::{MemoryReplayCache, ReplayCache};
use crate::timestamp::{self, ExactInstant};
use crate::{RegistrationError, VerifyError, body};

/// Half-width of the acceptance window around the server's clock (KV5-023).
pub const WINDOW: SignedDuration = SignedDuration::from_secs(300);

/// A registered client: what the verifier knows about a client id.
#[derive(Debug, Clone)]
pub struct V5Client {
    client_id: String,
    key: VerifyingKey<Sha256>,
    /// k, the modulus length in bytes.
    k: usize,
    expires_at: Option<ExactInstant>,
    allowlist: Vec<IpNet>,
}

impl V5Client {
    /// Registers a client (KV5-033): the id must be non-empty visible ASCII; the public key PEM SPKI
    /// (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`) of at least 2048 bits; `expires_at`, if any, the first
    /// instant at which the key no longer works (a [`jiff::Timestamp`] converts with `.into()`); `allowlist` the
    /// addresses and ranges requests may come from (empty: none).
    pub fn new(
        client_id: &str,
        public_key_pem: &str,
        expires_at: Option<ExactInstant>,
        allowlist: Vec<IpNet>,
    ) -> Result<Self, RegistrationError> {
        if !auth_core::is_visible_ascii(client_id) {
            return Err(RegistrationError::ClientIdInvalid);
        }
        let public = key::public_key_from_pem(public_key_pem).map_err(|error| match error {
            KeyError::Invalid => RegistrationError::KeyInvalid,
            KeyError::TooSmall(bits) => RegistrationError::KeyTooSmall { bits },
        })?;
        let k = public.size();
        Ok(V5Client {
            client_id: client_id.to_owned(),
            key: VerifyingKey::new(public),
            k,
            expires_at,
            allowlist,
        })
    }

    /// Registers a client from text, as configuration and the testee protocol carry it: `expires_at` an RFC 3339
    /// date-time (strict, [`timestamp::parse`], kept at full precision) or `None` for never, `allowed_ips`
    /// entries as a registry reads them ([`IpNet::parse`]: invalid entries and entries with bits set after the
    /// prefix are refused). A caller that must follow the spec's matching for such entries instead (host bits
    /// ignored, invalid entries matching nothing) builds the list with [`IpNet::parse_masked`] and calls
    /// [`V5Client::new`].
    pub fn from_config<S: AsRef<str>>(
        client_id: &str,
        public_key_pem: &str,
        expires_at: Option<&str>,
        allowed_ips: &[S],
    ) -> Result<Self, RegistrationError> {
        let expires_at = expires_at
            .map(|text| timestamp::parse(text).map_err(|_| RegistrationError::ExpiryInvalid))
            .transpose()?;
        let allowlist = allowed_ips
            .iter()
            .map(|entry| {
                IpNet::parse(entry.as_ref()).map_err(|error| RegistrationError::AllowlistEntry {
                    entry: entry.as_ref().to_owned(),
                    error,
                })
            })
            .collect::<Result<_, _>>()?;
        V5Client::new(client_id, public_key_pem, expires_at, allowlist)
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The public key's modulus length in bits.
    pub fn modulus_bits(&self) -> usize {
        key::modulus_bits(&self.key.as_ref().n_bytes())
    }

    /// When the key stops working, if ever.
    pub fn expires_at(&self) -> Option<&ExactInstant> {
        self.expires_at.as_ref()
    }

    /// The allowlist.
    pub fn allowlist(&self) -> &[IpNet] {
        &self.allowlist
    }

    /// Whether the key is expired at `now`: `now >= expires_at`, exactly (KV5-026).
    pub fn is_expired_at(&self, now: &ExactInstant) -> bool {
        self.expires_at
            .as_ref()
            .is_some_and(|expires_at| now >= expires_at)
    }

    /// Whether `remote` matches an allowlist entry (KV5-027; IPv4-mapped IPv6 compared as IPv4).
    pub fn allows(&self, remote: IpAddr) -> bool {
        self.allowlist.iter().any(|net| net.contains(remote))
    }
}

/// Who an accepted request authenticates as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The client id.
    pub client_id: String,
    /// The request's timestamp, as the instant it names.
    pub timestamp: ExactInstant,
}

/// How the verifier is set up. The default is the spec's: no replay cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerifierOptions {
    /// Keep an in-memory [`MemoryReplayCache`] (KV5-030). Off by default: with it, a client cannot send the same
    /// body twice within ten minutes (see [`crate::replay`]).
    pub replay_cache: bool,
}

/// The verifier, over a client registry, a clock and an optional replay cache.
#[derive(Debug)]
pub struct V5Verifier<K, C, R = MemoryReplayCache> {
    keys: K,
    clock: C,
    replay: Option<R>,
}

impl<K, C> V5Verifier<K, C, MemoryReplayCache>
where
    K: KeyStore<Record = Arc<V5Client>>,
    C: Clock,
{
    /// A verifier looking clients up in `keys` and reading the time from `clock`, with an in-memory replay cache
    /// when `options.replay_cache` is set and none otherwise.
    pub fn new(keys: K, clock: C, options: VerifierOptions) -> Self {
        V5Verifier {
            keys,
            clock,
            replay: options.replay_cache.then(MemoryReplayCache::new),
        }
    }
}

impl<K, C, R> V5Verifier<K, C, R>
where
    K: KeyStore<Record = Arc<V5Client>>,
    C: Clock,
    R: ReplayCache,
{
    /// A verifier with the caller's replay cache (shared, persistent, preloaded, ...).
    pub fn with_replay_cache(keys: K, clock: C, cache: R) -> Self {
        V5Verifier {
            keys,
            clock,
            replay: Some(cache),
        }
    }

    /// The replay cache, if enabled.
    pub fn replay_cache(&self) -> Option<&R> {
        self.replay.as_ref()
    }

    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// Verifies `request` received from `remote` at the clock's time (see the module doc for the order of
    /// checks).
    pub fn verify(&self, request: &Request, remote: IpAddr) -> Result<Principal, VerifyError> {
        self.verify_at(request, Some(remote), &ExactInstant::from(self.clock.now()))
    }

    /// Verifies `request` at server time `now` instead of the clock's, from `remote`, or from an address that
    /// was not a valid address text (`None`: it matches no allowlist entry, so such a request that gets as far
    /// as check 8 is `ip-not-allowed`). For callers that receive the server's state as text, like the testee.
    pub fn verify_at(
        &self,
        request: &Request,
        remote: Option<IpAddr>,
        now: &ExactInstant,
    ) -> Result<Principal, VerifyError> {
        let client_id = header(request, V5Header::ClientId)?;
        let signature = header(request, V5Header::Signature)?;
        let timestamp = header(request, V5Header::Timestamp)?;
        let timestamp =
            timestamp::parse(timestamp).map_err(|error| VerifyError::TimestampInvalid(error.0))?;

        if timestamp < now.shifted(-WINDOW) {
            return Err(VerifyError::TimestampStale);
        }
        if timestamp > now.shifted(WINDOW) {
            return Err(VerifyError::TimestampFuture);
        }

        let client = self.keys.lookup(client_id).ok_or(VerifyError::KeyUnknown)?;
        if client.is_expired_at(now) {
            return Err(VerifyError::KeyExpired);
        }
        if !remote.is_some_and(|remote| client.allows(remote)) {
            return Err(VerifyError::IpNotAllowed);
        }
        if !body::is_valid_body(&request.body) {
            return Err(VerifyError::BodyInvalid);
        }

        let mut buf = [0u8; MAX_MODULUS_BITS / 8];
        let bytes = decode_signature(signature, client.k, &mut buf)?;
        let signature = Signature::try_from(bytes).map_err(|_| VerifyError::SignatureMalformed)?;
        client
            .key
            .verify(&request.body, &signature)
            .map_err(|_| VerifyError::SignatureMismatch)?;

        if let Some(cache) = &self.replay
            && !cache.check_and_record(&client.client_id, bytes, now)
        {
            return Err(VerifyError::RequestReplayed);
        }
        Ok(Principal {
            client_id: client.client_id.clone(),
            timestamp,
        })
    }

    /// This verifier for requests from `remote`, as an [`auth_core::Verifier`] (whose `verify` takes the request
    /// only).
    pub fn from_remote(&self, remote: IpAddr) -> RemoteVerifier<'_, K, C, R> {
        RemoteVerifier {
            verifier: self,
            remote,
        }
    }
}

/// A [`V5Verifier`] bound to one remote address, implementing [`auth_core::Verifier`].
#[derive(Debug)]
pub struct RemoteVerifier<'v, K, C, R> {
    verifier: &'v V5Verifier<K, C, R>,
    remote: IpAddr,
}

impl<K, C, R> Verifier for RemoteVerifier<'_, K, C, R>
where
    K: KeyStore<Record = Arc<V5Client>>,
    C: Clock,
    R: ReplayCache,
{
    type Principal = Principal;
    type Error = VerifyError;

    fn verify(&self, request: &Request) -> Result<Principal, VerifyError> {
        self.verifier.verify(request, self.remote)
    }
}

/// The value of `name`, present and non-empty (KV5-021).
fn header(request: &Request, name: V5Header) -> Result<&str, VerifyError> {
    request
        .headers
        .get(name.name())
        .filter(|value| !value.is_empty())
        .ok_or(VerifyError::HeaderMissing(name))
}

/// Standard base64 (RFC 4648 alphabet, canonical padding, zero trailing bits) of exactly `k` bytes (KV5-028).
fn decode_signature<'b>(
    text: &str,
    k: usize,
    buf: &'b mut [u8; MAX_MODULUS_BITS / 8],
) -> Result<&'b [u8], VerifyError> {
    // Checked first so that an oversized header is refused before decoding.
    if text.len() != k.div_ceil(3) * 4 {
        return Err(VerifyError::SignatureMalformed);
    }
    let written = STANDARD
        .decode_slice(text, buf)
        .map_err(|_| VerifyError::SignatureMalformed)?;
    if written != k {
        return Err(VerifyError::SignatureMalformed);
    }
    Ok(&buf[..written])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_shape() {
        let mut buf = [0u8; MAX_MODULUS_BITS / 8];
        let bytes: Vec<u8> = (0..=255).collect();
        let good = STANDARD.encode(&bytes);
        assert_eq!(good.len(), 344);
        assert_eq!(
            decode_signature(&good, 256, &mut buf).map(<[u8]>::len),
            Ok(256)
        );
        let short = STANDARD.encode(&bytes[1..]);
        let long = STANDARD.encode([&bytes[..], &[0]].concat());
        let unpadded = good.trim_end_matches('=');
        let url_safe = good.replace('+', "-").replace('/', "_");
        let mut trailing_bits = good.clone();
        // 256 bytes end in one data byte and `==`: the last character before the padding carries 4 unused bits.
        trailing_bits.replace_range(341..342, "x");
        for bad in [
            &short,
            &long,
            unpadded,
            &url_safe,
            &trailing_bits,
            &format!(" {good}"),
        ] {
            assert_eq!(
                decode_signature(bad, 256, &mut buf),
                Err(VerifyError::SignatureMalformed),
                "{bad:?}"
            );
        }
    }
}

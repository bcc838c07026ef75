//! `kraken-v5` ops `sign` and `verify`, mapping protocol inputs onto `auth-kraken-v5`.
//!
//! A `verify` input describes a fresh server: its registered clients (public key, expiry, allowlist), whether it
//! keeps a replay cache and what that cache already holds, its clock (`server_time`), and the address the request
//! came from (`remote_addr`).

use std::net::IpAddr;
use std::sync::Arc;

use auth_conformance::protocol::Outcome;
use auth_core::{ManualClock, MemoryKeyStore};
use auth_kraken_v5::{
    CONTENT_TYPE, Credentials, IpNet, MemoryReplayCache, V5Client, V5Verifier, VerifierOptions,
    sign_with_stages, timestamp,
};
use serde::Deserialize;
use serde_json::{Map, json};

use crate::input::HttpRequest;
use crate::{refusal, signed, skipped};

#[derive(Deserialize)]
struct SignCredentials {
    client_id: String,
    private_key_pem: String,
}

#[derive(Deserialize)]
pub(crate) struct SignInput {
    credentials: SignCredentials,
    request: HttpRequest,
    timestamp: String,
}

pub(crate) fn sign(input: SignInput) -> Outcome {
    let credentials = Credentials {
        client_id: &input.credentials.client_id,
        private_key_pem: &input.credentials.private_key_pem,
    };
    match sign_with_stages(
        &credentials,
        &input.request.into_request(),
        &input.timestamp,
    ) {
        Ok((output, stages)) => signed(&output.headers, stages.to_named()),
        Err(error) => refusal(&error, Map::new()),
    }
}

#[derive(Deserialize)]
struct ClientInput {
    client_id: String,
    public_key_pem: String,
    #[serde(default)]
    expires_at: Option<String>,
    #[serde(default)]
    allowed_ips: Vec<String>,
}

#[derive(Deserialize, Default)]
struct Options {
    #[serde(default)]
    replay_cache: bool,
}

#[derive(Deserialize)]
struct AcceptedSignature {
    client_id: String,
    signature: String,
    at: String,
}

#[derive(Deserialize)]
pub(crate) struct VerifyInput {
    clients: Vec<ClientInput>,
    #[serde(default)]
    options: Options,
    #[serde(default)]
    accepted_signatures: Vec<AcceptedSignature>,
    server_time: String,
    remote_addr: String,
    request: HttpRequest,
}

pub(crate) fn verify(input: VerifyInput) -> Outcome {
    let mut clients = MemoryKeyStore::new();
    for client in &input.clients {
        match register(client) {
            Ok(record) => clients.insert(client.client_id.clone(), Arc::new(record)),
            Err(reason) => {
                return skipped(format!(
                    "server state cannot register {:?}: {reason}",
                    client.client_id
                ));
            }
        }
    }
    // The server's clock at full precision (any number of fraction digits, spec/kraken-v5.md).
    let Ok(now) = timestamp::parse(&input.server_time) else {
        return skipped(format!(
            "server_time {:?} is not RFC 3339",
            input.server_time
        ));
    };
    // An address that is not valid address text matches no allowlist entry (checked at its place in the order).
    let remote = input.remote_addr.parse::<IpAddr>().ok();
    // The clock is not read by `verify_at`; the exact `now` is.
    let clock = ManualClock::from_unix_millis(0);
    let request = input.request.into_request();
    let result = if input.options.replay_cache {
        let cache = MemoryReplayCache::new();
        for accepted in &input.accepted_signatures {
            match (
                base64_standard(&accepted.signature),
                timestamp::parse(&accepted.at),
            ) {
                (Some(signature), Ok(at)) => cache.insert(&accepted.client_id, &signature, at),
                _ => return skipped(format!("replay cache cannot hold {:?}", accepted.signature)),
            }
        }
        V5Verifier::with_replay_cache(clients, clock, cache).verify_at(&request, remote, &now)
    } else {
        // Without a replay cache the server remembers no signatures: past acceptances leave no trace.
        V5Verifier::new(clients, clock, VerifierOptions::default())
            .verify_at(&request, remote, &now)
    };
    match result {
        Ok(principal) => Outcome::Result(json!({ "client_id": principal.client_id })),
        Err(error) => {
            let mut rest = Map::new();
            let response = json!({ "status": error.status(), "content_type": CONTENT_TYPE, "body": error.text() });
            rest.insert("response".to_owned(), response);
            refusal(&error, rest)
        }
    }
}

/// Registers a client as the spec's verifier state describes it: an expiry at full precision, and allowlist
/// entries read with their host bits ignored; an entry that is no address or range at all matches nothing.
fn register(client: &ClientInput) -> Result<V5Client, String> {
    let expires_at = match client.expires_at.as_deref().map(timestamp::parse) {
        None => None,
        Some(Ok(instant)) => Some(instant),
        Some(Err(error)) => return Err(format!("expires_at: {error}")),
    };
    let allowlist = client
        .allowed_ips
        .iter()
        .filter_map(|entry| IpNet::parse_masked(entry).ok())
        .collect();
    V5Client::new(
        &client.client_id,
        &client.public_key_pem,
        expires_at,
        allowlist,
    )
    .map_err(|error| error.to_string())
}

/// Strict standard base64, for the replay cache's preloaded signatures.
fn base64_standard(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

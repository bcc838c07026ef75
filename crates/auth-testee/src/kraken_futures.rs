//! `kraken-futures` ops `sign`, `ws-challenge`, `verify` and `ws-verify`, mapping protocol inputs onto
//! `auth-kraken-futures`.
//!
//! A `verify` input describes a fresh server: its keys, its options, the nonces it already accepted and its
//! clock (`server_time`, which the error envelope's `serverTime` comes from).

use std::sync::Arc;

use auth_conformance::protocol::Outcome;
use auth_core::{ManualClock, MemoryKeyStore, MemoryNonceStore, NonceWindow};
use auth_kraken_futures::{
    Credentials, Encoding, FuturesKey, FuturesVerifier, VerifierOptions,
    sign_challenge_with_stages, sign_with_stages,
};
use serde::Deserialize;
use serde_json::{Map, json};

use crate::input::{AcceptedNonce, HttpRequest, preload};
use crate::{refusal, signed, skipped, stage_map};

#[derive(Deserialize)]
struct SignCredentials {
    api_key: String,
    secret: String,
}

#[derive(Deserialize)]
pub(crate) struct SignInput {
    credentials: SignCredentials,
    request: HttpRequest,
    #[serde(default)]
    nonce: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

fn encoding(name: Option<&str>) -> Result<Encoding, Outcome> {
    name.map_or(Ok(Encoding::Current), |name| {
        Encoding::from_name(name).ok_or_else(|| skipped(format!("unknown encoding {name:?}")))
    })
}

pub(crate) fn sign(input: SignInput) -> Outcome {
    let encoding = match encoding(input.encoding.as_deref()) {
        Ok(encoding) => encoding,
        Err(outcome) => return outcome,
    };
    let credentials = Credentials {
        api_key: &input.credentials.api_key,
        secret: &input.credentials.secret,
    };
    let request = input.request.into_request();
    match sign_with_stages(&credentials, &request, input.nonce.as_deref(), encoding) {
        Ok((output, stages)) => signed(&output.headers, stages.to_named()),
        Err(error) => refusal(&error, Map::new()),
    }
}

#[derive(Deserialize)]
struct ChallengeCredentials {
    secret: String,
}

#[derive(Deserialize)]
pub(crate) struct ChallengeInput {
    credentials: ChallengeCredentials,
    challenge: String,
}

pub(crate) fn ws_challenge(input: ChallengeInput) -> Outcome {
    match sign_challenge_with_stages(&input.credentials.secret, &input.challenge) {
        Ok((signed, stages)) => Outcome::Result(
            json!({ "signed_challenge": signed, "stages": stage_map(stages.to_named()) }),
        ),
        Err(error) => refusal(&error, Map::new()),
    }
}

#[derive(Deserialize)]
struct KeyInput {
    api_key: String,
    secret: String,
}

#[derive(Deserialize, Default)]
struct Options {
    #[serde(default)]
    accept_legacy_encoding: bool,
    #[serde(default)]
    require_nonce: bool,
    #[serde(default)]
    nonce_window: Option<u64>,
}

#[derive(Deserialize)]
pub(crate) struct VerifyInput {
    keys: Vec<KeyInput>,
    #[serde(default)]
    options: Options,
    #[serde(default)]
    accepted_nonces: Vec<AcceptedNonce>,
    server_time: String,
    request: HttpRequest,
}

fn key_store(keys: &[KeyInput]) -> Result<MemoryKeyStore<Arc<FuturesKey>>, Outcome> {
    let mut store = MemoryKeyStore::new();
    for key in keys {
        match FuturesKey::new(&key.api_key, &key.secret) {
            Ok(record) => store.insert(key.api_key.clone(), Arc::new(record)),
            Err(error) => {
                return Err(skipped(format!(
                    "server state cannot hold key {:?}: {error}",
                    key.api_key
                )));
            }
        }
    }
    Ok(store)
}

pub(crate) fn verify(input: VerifyInput) -> Outcome {
    let keys = match key_store(&input.keys) {
        Ok(keys) => keys,
        Err(outcome) => return outcome,
    };
    let Ok(now) = input.server_time.parse::<jiff::Timestamp>() else {
        return skipped(format!(
            "server_time {:?} is not RFC 3339",
            input.server_time
        ));
    };
    let options = VerifierOptions {
        accept_legacy_encoding: input.options.accept_legacy_encoding,
        require_nonce: input.options.require_nonce,
        nonce_window: input.options.nonce_window.map(NonceWindow),
    };
    let verifier = match options.nonce_window {
        Some(window) => {
            let nonces = MemoryNonceStore::new(window);
            if let Err(nonce) = preload(
                &nonces,
                &input.accepted_nonces,
                auth_kraken_futures::parse_nonce,
            ) {
                return skipped(format!("server state cannot hold accepted nonce {nonce:?}"));
            }
            FuturesVerifier::with_nonce_store(keys, nonces, ManualClock::new(now), options)
        }
        // Without a window the server keeps no nonce state: past acceptances leave no trace.
        None => FuturesVerifier::new(keys, ManualClock::new(now), options),
    };
    match verifier.verify(&input.request.into_request()) {
        Ok(principal) => Outcome::Result(json!({
            "api_key": principal.api_key,
            "nonce": principal.nonce.map(|nonce| nonce.to_string()),
            "encoding": principal.encoding.as_str(),
        })),
        Err(error) => {
            let mut rest = Map::new();
            let response =
                json!({ "status": error.http_status(), "body": verifier.envelope(&error) });
            rest.insert("response".to_owned(), response);
            refusal(&error, rest)
        }
    }
}

#[derive(Deserialize)]
pub(crate) struct WsVerifyInput {
    keys: Vec<KeyInput>,
    api_key: String,
    challenge: String,
    signed_challenge: String,
}

pub(crate) fn ws_verify(input: WsVerifyInput) -> Outcome {
    let keys = match key_store(&input.keys) {
        Ok(keys) => keys,
        Err(outcome) => return outcome,
    };
    // The challenge check needs neither a clock that matters nor a nonce store.
    let verifier = FuturesVerifier::new(
        keys,
        ManualClock::from_unix_millis(0),
        VerifierOptions::default(),
    );
    match verifier.verify_challenge(
        &input.api_key,
        input.challenge.as_bytes(),
        &input.signed_challenge,
    ) {
        Ok(api_key) => Outcome::Result(json!({ "api_key": api_key })),
        Err(error) => refusal(&error, Map::new()),
    }
}

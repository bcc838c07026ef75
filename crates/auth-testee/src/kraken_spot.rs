//! `kraken-spot` ops `sign` and `verify`, mapping protocol inputs onto `auth-kraken-spot`.
//!
//! A `verify` input describes a fresh server: its registered keys, its nonce window and the nonces it
//! already accepted; the request is then verified against that state.

use std::sync::Arc;

use auth_conformance::protocol::Outcome;
use auth_core::{MemoryKeyStore, MemoryNonceStore, NonceWindow};
use auth_kraken_spot::{Credentials, Permissions, SpotKey, SpotVerifier, sign_with_stages};
use serde::Deserialize;
use serde_json::{Map, json};

use crate::input::{AcceptedNonce, HttpRequest, preload};
use crate::{refusal, signed, skipped};

#[derive(Deserialize)]
struct SignCredentials {
    api_key: String,
    secret: String,
}

#[derive(Deserialize)]
pub(crate) struct SignInput {
    credentials: SignCredentials,
    request: HttpRequest,
    nonce: String,
}

pub(crate) fn sign(input: SignInput) -> Outcome {
    let credentials = Credentials {
        api_key: &input.credentials.api_key,
        secret: &input.credentials.secret,
    };
    match sign_with_stages(&credentials, &input.request.into_request(), &input.nonce) {
        Ok((output, stages)) => signed(&output.headers, stages.to_named()),
        Err(error) => refusal(&error, Map::new()),
    }
}

#[derive(Deserialize)]
struct KeyInput {
    api_key: String,
    secret: String,
    #[serde(default)]
    permissions: Option<Vec<String>>,
}

#[derive(Deserialize)]
pub(crate) struct VerifyInput {
    keys: Vec<KeyInput>,
    #[serde(default)]
    nonce_window: u64,
    #[serde(default)]
    accepted_nonces: Vec<AcceptedNonce>,
    request: HttpRequest,
}

pub(crate) fn verify(input: VerifyInput) -> Outcome {
    let mut keys = MemoryKeyStore::new();
    for key in &input.keys {
        let permissions = match &key.permissions {
            None => Permissions::All,
            Some(endpoints) => Permissions::Endpoints(endpoints.iter().cloned().collect()),
        };
        match SpotKey::new(&key.api_key, &key.secret, permissions) {
            Ok(record) => keys.insert(key.api_key.clone(), Arc::new(record)),
            Err(error) => {
                return skipped(format!(
                    "server state cannot hold key {:?}: {error}",
                    key.api_key
                ));
            }
        }
    }
    let nonces = MemoryNonceStore::new(NonceWindow(input.nonce_window));
    if let Err(nonce) = preload(
        &nonces,
        &input.accepted_nonces,
        auth_kraken_spot::parse_nonce,
    ) {
        return skipped(format!("server state cannot hold accepted nonce {nonce:?}"));
    }
    let verifier = SpotVerifier::new(keys, nonces);
    match verifier.verify(&input.request.into_request()) {
        Ok(principal) => Outcome::Result(
            json!({ "api_key": principal.api_key, "nonce": principal.nonce.to_string() }),
        ),
        Err(error) => {
            let mut rest = Map::new();
            rest.insert(
                "response".to_owned(),
                json!({ "status": error.http_status(), "body": error.envelope() }),
            );
            refusal(&error, rest)
        }
    }
}

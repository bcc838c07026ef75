//! Helpers shared by the integration tests (a module, not a test target): a verifier with registered keys and a signed request builder.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use auth_core::{MemoryKeyStore, MemoryNonceStore, NonceWindow, Request};
use auth_kraken_spot::{Credentials, Permissions, SpotKey, SpotVerifier, sign};

pub const KEY: &str = "authspec-test-key-1";
pub const SECRET: &str =
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";

pub type Verifier = SpotVerifier<MemoryKeyStore<Arc<SpotKey>>, MemoryNonceStore>;

pub fn verifier(window: u64, permissions: Permissions) -> Verifier {
    let mut keys = MemoryKeyStore::new();
    keys.insert(
        KEY,
        Arc::new(SpotKey::new(KEY, SECRET, permissions).unwrap()),
    );
    SpotVerifier::new(keys, MemoryNonceStore::new(NonceWindow(window)))
}

pub fn form_request(path: &str, body: &str) -> Request {
    Request::new("POST", path)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
}

/// `request` with `API-Key` and `API-Sign` added by the one-shot signer.
pub fn signed(request: Request, nonce: &str) -> Request {
    let output = sign(
        &Credentials {
            api_key: KEY,
            secret: SECRET,
        },
        &request,
        nonce,
    )
    .unwrap();
    let mut request = request;
    for (name, value) in output.headers.iter() {
        request.headers.set(name, value);
    }
    request
}

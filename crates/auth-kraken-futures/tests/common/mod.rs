//! Helpers shared by the integration tests (a module, not a test target): a verifier with one registered key
//! on a manual clock, and a signed request builder.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use auth_core::{ManualClock, MemoryKeyStore, MemoryNonceStore, Request};
use auth_kraken_futures::{
    Credentials, Encoding, FuturesKey, FuturesVerifier, VerifierOptions, sign,
};

pub const KEY: &str = "authspec-test-key-1";
pub const SECRET: &str =
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
/// 2024-11-15T10:06:57.631Z.
pub const SERVER_TIME_MS: i64 = 1_731_665_217_631;

pub type Verifier = FuturesVerifier<MemoryKeyStore<Arc<FuturesKey>>, MemoryNonceStore, ManualClock>;

pub fn verifier(options: VerifierOptions) -> Verifier {
    let mut keys = MemoryKeyStore::new();
    keys.insert(KEY, Arc::new(FuturesKey::new(KEY, SECRET).unwrap()));
    FuturesVerifier::new(keys, ManualClock::from_unix_millis(SERVER_TIME_MS), options)
}

/// A request to `path` with `query` (none when empty) and `body`.
pub fn request(method: &str, path: &str, query: &str, body: &str) -> Request {
    let mut request = Request::new(method, path).body(body);
    if !query.is_empty() {
        request.query = Some(query.to_owned());
    }
    request
}

/// `request` with the headers the one-shot signer adds.
pub fn signed(request: Request, nonce: Option<&str>, encoding: Encoding) -> Request {
    let output = sign(
        &Credentials {
            api_key: KEY,
            secret: SECRET,
        },
        &request,
        nonce,
        encoding,
    )
    .unwrap();
    let mut request = request;
    for (name, value) in output.headers.iter() {
        request.headers.set(name, value);
    }
    request
}

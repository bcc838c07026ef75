//! Helpers shared by the integration tests (a module, not a test target): the test-only keys of `tests/data`, a
//! verifier with registered clients on a manual clock, and a signed request builder.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]
#![allow(dead_code, unreachable_pub)]

use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

use auth_core::{ManualClock, MemoryKeyStore, Request};
use auth_kraken_v5::{V5Client, V5Signer, V5Verifier, VerifierOptions};
use jiff::Timestamp;

/// Client A: 2048-bit, PKCS#8 private key, SPKI public key.
pub const CLIENT_A: &str = "partner-a";
pub const KEY_A: &str = include_str!("../data/client-a.pem");
pub const PUB_A: &str = include_str!("../data/client-a.pub.pem");
/// Client B: 2048-bit, PKCS#1 private and public keys.
pub const CLIENT_B: &str = "partner-b";
pub const KEY_B: &str = include_str!("../data/client-b.rsa.pem");
pub const PUB_B: &str = include_str!("../data/client-b.rsa.pub.pem");
/// 1024 bits: below the minimum.
pub const WEAK_KEY: &str = include_str!("../data/weak-1024.pem");
pub const WEAK_PUB: &str = include_str!("../data/weak-1024.pub.pem");

/// The server's clock: 2024-11-15T10:06:57.631Z.
pub const SERVER_TIME: &str = "2024-11-15T10:06:57.631Z";
/// Client A's key expires one day after [`SERVER_TIME`].
pub const EXPIRES_A: &str = "2024-11-16T10:06:57.631Z";
/// Client A's allowlist.
pub const ALLOWED_A: [&str; 3] = ["203.0.113.7", "198.51.100.0/24", "2001:db8::/32"];
/// An address on client A's allowlist.
pub const REMOTE: &str = "203.0.113.7";

pub type Verifier = V5Verifier<MemoryKeyStore<Arc<V5Client>>, ManualClock>;

pub fn server_time() -> Timestamp {
    SERVER_TIME.parse().unwrap()
}

pub fn remote() -> IpAddr {
    REMOTE.parse().unwrap()
}

/// Client A's prebuilt signer (parsed once per test binary).
pub fn signer_a() -> &'static V5Signer {
    static SIGNER: OnceLock<V5Signer> = OnceLock::new();
    SIGNER.get_or_init(|| V5Signer::new(CLIENT_A, KEY_A).unwrap())
}

/// Client B's prebuilt signer.
pub fn signer_b() -> &'static V5Signer {
    static SIGNER: OnceLock<V5Signer> = OnceLock::new();
    SIGNER.get_or_init(|| V5Signer::new(CLIENT_B, KEY_B).unwrap())
}

/// Clients A (expiring, allowlisted) and B (never expiring, allowed from anywhere in IPv4 and IPv6).
pub fn clients() -> MemoryKeyStore<Arc<V5Client>> {
    let mut clients = MemoryKeyStore::new();
    let a = V5Client::from_config(CLIENT_A, PUB_A, Some(EXPIRES_A), &ALLOWED_A).unwrap();
    let b = V5Client::from_config(CLIENT_B, PUB_B, None, &["0.0.0.0/0", "::/0"]).unwrap();
    clients.insert(CLIENT_A, Arc::new(a));
    clients.insert(CLIENT_B, Arc::new(b));
    clients
}

/// A verifier over [`clients`] at [`SERVER_TIME`].
pub fn verifier(options: VerifierOptions) -> Verifier {
    V5Verifier::new(clients(), ManualClock::new(server_time()), options)
}

/// A JSON order body.
pub const BODY: &str = r#"{"pair":"XBTUSD","type":"buy","volume":"1.25"}"#;

/// `request` with the headers `signer` adds at `timestamp`.
pub fn signed_by(signer: &V5Signer, request: Request, timestamp: &str) -> Request {
    let output = signer.sign(&request, timestamp).unwrap();
    let mut request = request;
    for (name, value) in output.headers.iter() {
        request.headers.set(name, value);
    }
    request
}

/// A POST of `body`, signed by client A at `timestamp`.
pub fn signed(body: &str, timestamp: &str) -> Request {
    signed_by(
        signer_a(),
        Request::new("POST", "/v5/orders").body(body),
        timestamp,
    )
}

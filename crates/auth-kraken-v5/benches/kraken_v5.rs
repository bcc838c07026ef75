//! Criterion benches of RSA-SHA256 signing and verification, to set next to `openssl speed rsa2048` (and
//! `rsa4096`) run on the same machine in the same session: both are dominated by the modular exponentiation, so
//! the ratio is what this crate's choice of backend (the `rsa` crate: constant-time crypto-bigint, blinding)
//! costs against OpenSSL's assembly. The body is a 47-byte JSON order; hashing it is noise here.
//!
//! There is no `bound/sha2-compressions` in this group: an RSA private-key operation is four orders of
//! magnitude above its SHA-256 block, so that bound would say nothing (`cargo xtask bench` reports "no bound").
//!
//! - `sign/prebuilt`: [`V5Signer::sign_into`], 2048-bit key (body check, SHA-256, blinded CRT exponentiation,
//!   base64).
//! - `sign/prebuilt-4096`: the same with a 4096-bit key.
//! - `verify`: [`V5Verifier::verify`], 2048-bit key, no replay cache: headers, timestamp, lookup, allowlist, body
//!   check, base64, the public-key operation (e = 65537).
//! - `sign/one-shot`: [`sign`], parsing the PKCS#8 PEM (and validating and precomputing the key) every time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "bench code: a failed setup step should abort the bench"
)]

use std::hint::black_box;
use std::net::IpAddr;
use std::sync::Arc;

use auth_core::{ManualClock, MemoryKeyStore, Request};
use auth_kraken_v5::{
    Credentials, MAX_SIGNATURE_LEN, V5Client, V5Signer, V5Verifier, VerifierOptions, sign,
};
use criterion::{Criterion, criterion_group, criterion_main};

// Test-only keys (tests/data/README.md).
const KEY_2048: &str = include_str!("../tests/data/client-a.pem");
const PUB_2048: &str = include_str!("../tests/data/client-a.pub.pem");
const KEY_4096: &str = include_str!("../tests/data/client-4096.pem");

const BODY: &str = r#"{"pair":"XBTUSD","type":"buy","volume":"1.25"}"#;
const TIMESTAMP: &str = "2024-11-15T10:06:57.631Z";

fn benches(c: &mut Criterion) {
    let signer = V5Signer::new("authspec-test-client", KEY_2048).unwrap();
    let signer_4096 = V5Signer::new("authspec-test-client", KEY_4096).unwrap();
    assert_eq!(
        (signer.modulus_bits(), signer_4096.modulus_bits()),
        (2048, 4096)
    );
    let mut out = [0u8; MAX_SIGNATURE_LEN];

    // One group per scheme: criterion keys results by id, and `cargo xtask bench` reads them per group.
    let mut group = c.benchmark_group("kraken-v5");
    group.bench_function("sign/prebuilt", |b| {
        b.iter(|| {
            black_box(
                signer
                    .sign_into(black_box(BODY.as_bytes()), &mut out)
                    .is_ok(),
            )
        })
    });
    group.bench_function("sign/prebuilt-4096", |b| {
        b.iter(|| {
            black_box(
                signer_4096
                    .sign_into(black_box(BODY.as_bytes()), &mut out)
                    .is_ok(),
            )
        })
    });

    let request = Request::new("POST", "/v5/orders").body(BODY);
    let signed = signer.sign(&request, TIMESTAMP).unwrap();
    let mut received = request.clone();
    for (name, value) in signed.headers.iter() {
        received.headers.set(name, value);
    }
    let mut clients = MemoryKeyStore::new();
    let client =
        V5Client::from_config("authspec-test-client", PUB_2048, None, &["203.0.113.0/24"]).unwrap();
    clients.insert("authspec-test-client", Arc::new(client));
    let verifier = V5Verifier::new(
        clients,
        ManualClock::new(TIMESTAMP.parse().unwrap()),
        VerifierOptions::default(),
    );
    let remote: IpAddr = "203.0.113.7".parse().unwrap();
    assert!(verifier.verify(&received, remote).is_ok());
    group.bench_function("verify", |b| {
        b.iter(|| black_box(verifier.verify(black_box(&received), remote).is_ok()))
    });

    let credentials = Credentials {
        client_id: "authspec-test-client",
        private_key_pem: KEY_2048,
    };
    group.bench_function("sign/one-shot", |b| {
        b.iter(|| black_box(sign(black_box(&credentials), black_box(&request), TIMESTAMP).is_ok()))
    });
    group.finish();
}

criterion_group!(kraken_v5, benches);
criterion_main!(kraken_v5);

//! Criterion benches of the signing hot paths, on python-kraken-sdk's futures vector (30-byte postData, 13-digit
//! nonce, `/derivatives/api/v3/sendorder`) and Kraken's WebSocket challenge example.
//!
//! `bound/sha2-compressions` runs exactly the SHA-2 compression calls the prebuilt signer cannot avoid for
//! the REST vector: SHA-256 over postData || nonce || endpointPath (60 bytes: 2 blocks once padded), then,
//! the HMAC pads being precomputed, 1 inner SHA-512 block (the 32-byte digest) and 1 outer one (the 64-byte
//! inner hash). Compare `sign/prebuilt` with it as a ratio within one run; absolute times on a shared machine
//! mean little.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

use std::hint::black_box;
use std::sync::Arc;

use auth_core::{ManualClock, MemoryKeyStore, Request};
use auth_kraken_futures::{
    AUTHENT_LEN, Credentials, Encoding, FuturesKey, FuturesSigner, FuturesVerifier,
    SIGNED_CHALLENGE_LEN, VerifierOptions, sign,
};
use criterion::{Criterion, criterion_group, criterion_main};

const SECRET: &str = "cHl0aG9uLWtyYWtlbi1zZGsgdW5pdC10ZXN0IHNlY3JldCB2YWx1ZQ==";
const PATH: &str = "/derivatives/api/v3/sendorder";
const ENDPOINT_PATH: &str = "/api/v3/sendorder";
const POST_DATA: &str = "orderType=lmt&symbol=PI_XBTUSD";
const NONCE: u64 = 1_616_492_376_594;
const AUTHENT: &str =
    "Txi+gJVXe3EN1brXYQ46FuV6UVtEVSKhc6dYMhPb7a/HXZLGvO6m9UUg+KVKqhLxrbllOPI7qRkHYmPfJZZSGA==";

const WS_SECRET: &str =
    "7zxMEF5p/Z8l2p2U7Ghv6x14Af+Fx+92tPgUdVQ748FOIrEoT9bgT+bTRfXc5pz8na+hL/QdrCVG7bh9KpT0eMTm";
const WS_CHALLENGE: &str = "c100b894-1729-464d-ace1-52dbce11db42";
const WS_SIGNED: &str =
    "4JEpF3ix66GA2B+ooK128Ift4XQVtc137N9yeg4Kqsn9PI0Kpzbysl9M1IeCEdjg0zl00wkVqcsnG4bmnlMb3A==";

/// SHA-256 blocks for `len` message bytes (1 padding byte and a 64-bit length).
fn sha256_blocks(len: usize) -> usize {
    (len + 1 + 8).div_ceil(64)
}

/// SHA-512 blocks for `len` message bytes after a precomputed pad block (1 padding byte, 128-bit length).
fn sha512_blocks(len: usize) -> usize {
    (len + 1 + 16).div_ceil(128)
}

fn benches(c: &mut Criterion) {
    let signer = FuturesSigner::new("authspec-test-key", SECRET).unwrap();
    let mut out = [0u8; AUTHENT_LEN];
    assert_eq!(
        signer
            .sign_into(
                PATH,
                b"",
                POST_DATA.as_bytes(),
                Some(NONCE),
                Encoding::Current,
                &mut out
            )
            .unwrap(),
        AUTHENT
    );

    // One group per scheme: criterion keys results by id, and `cargo xtask bench` reads ratios per group.
    let mut group = c.benchmark_group("kraken-futures");
    group.bench_function("sign/prebuilt", |b| {
        b.iter(|| {
            let signed = signer.sign_into(
                black_box(PATH),
                black_box(b""),
                black_box(POST_DATA.as_bytes()),
                black_box(Some(NONCE)),
                Encoding::Current,
                &mut out,
            );
            black_box(signed.is_ok());
        })
    });
    let credentials = Credentials {
        api_key: "authspec-test-key",
        secret: SECRET,
    };
    let request = Request::new("POST", PATH).body(POST_DATA);
    group.bench_function("sign/one-shot", |b| {
        b.iter(|| {
            black_box(sign(
                black_box(&credentials),
                black_box(&request),
                Some("1616492376594"),
                Encoding::Current,
            ))
        })
    });

    // No nonce window: no replay store, so this isolates the cryptographic path of verification.
    let mut keys = MemoryKeyStore::new();
    keys.insert(
        "authspec-test-key",
        Arc::new(FuturesKey::new("authspec-test-key", SECRET).unwrap()),
    );
    let verifier = FuturesVerifier::new(
        keys,
        ManualClock::from_unix_millis(0),
        VerifierOptions::default(),
    );
    let received = request
        .clone()
        .header("APIKey", "authspec-test-key")
        .header("Authent", AUTHENT)
        .header("Nonce", "1616492376594");
    assert!(verifier.verify(&received).is_ok());
    group.bench_function("verify", |b| {
        b.iter(|| black_box(verifier.verify(black_box(&received)).is_ok()))
    });

    let ws_signer = FuturesSigner::new("authspec-test-key", WS_SECRET).unwrap();
    let mut ws_out = [0u8; SIGNED_CHALLENGE_LEN];
    assert_eq!(
        ws_signer.sign_challenge_into(WS_CHALLENGE.as_bytes(), &mut ws_out),
        WS_SIGNED
    );
    group.bench_function("ws-challenge/prebuilt", |b| {
        b.iter(|| {
            black_box(
                ws_signer
                    .sign_challenge_into(black_box(WS_CHALLENGE.as_bytes()), &mut ws_out)
                    .len(),
            );
        })
    });

    // The floor: the compression calls sign/prebuilt must make for this request.
    let nonce_text_len = NONCE.to_string().len();
    let (blocks256, blocks512) = (
        sha256_blocks(POST_DATA.len() + nonce_text_len + ENDPOINT_PATH.len()),
        sha512_blocks(32) + sha512_blocks(64),
    );
    assert_eq!((blocks256, blocks512), (2, 2));
    let input256 = vec![[0x5au8; 64]; blocks256];
    let input512 = vec![[0xa5u8; 128]; blocks512];
    group.bench_function("bound/sha2-compressions", |b| {
        b.iter(|| {
            let mut s256 = [0u32; 8];
            let mut s512 = [0u64; 8];
            sha2::block_api::compress256(&mut s256, black_box(&input256));
            sha2::block_api::compress512(&mut s512, black_box(&input512));
            black_box((s256, s512));
        })
    });
    group.finish();
}

criterion_group!(kraken_futures, benches);
criterion_main!(kraken_futures);

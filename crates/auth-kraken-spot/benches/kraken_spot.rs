//! Criterion benches of the signing hot path, on Kraken's worked example (82-byte form body).
//!
//! All benches sit in the group `kraken-spot`. `bound/sha2-compressions` runs exactly the SHA-2 compression
//! calls the prebuilt signer cannot avoid for this request (2 SHA-256 blocks for nonce||body, 1 inner and 1
//! outer SHA-512 block once the HMAC pads are precomputed). Compare `sign/prebuilt` with it as a ratio within one run (`cargo xtask bench` prints the
//! ratios); absolute times on a shared machine mean little.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

use std::hint::black_box;
use std::sync::Arc;

use auth_core::{MemoryKeyStore, NonceRejection, NonceStore, Request};
use auth_kraken_spot::{
    API_SIGN_LEN, BodyKind, Credentials, Permissions, SpotKey, SpotSigner, SpotVerifier, sign,
};
use criterion::{Criterion, criterion_group, criterion_main};

const SECRET: &str =
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";
const PATH: &str = "/0/private/AddOrder";
const NONCE: u64 = 1_616_492_376_594;
const BODY: &str =
    "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
const API_SIGN: &str =
    "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==";

/// Accepts every nonce: isolates the cryptographic path of verification from replay bookkeeping.
struct AcceptAll;

impl NonceStore for AcceptAll {
    fn check_and_record(&self, _key_id: &str, _nonce: u64) -> Result<(), NonceRejection> {
        Ok(())
    }
}

fn request() -> Request {
    Request::new("POST", PATH)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(BODY)
}

/// SHA-256 blocks for `len` message bytes (1 padding byte and a 64-bit length).
fn sha256_blocks(len: usize) -> usize {
    (len + 1 + 8).div_ceil(64)
}

/// SHA-512 blocks for `len` message bytes after a precomputed pad block (1 padding byte, 128-bit length).
fn sha512_blocks(len: usize) -> usize {
    (len + 1 + 16).div_ceil(128)
}

fn benches(c: &mut Criterion) {
    let signer = SpotSigner::new("authspec-test-key", SECRET).unwrap();
    let mut out = [0u8; API_SIGN_LEN];
    assert_eq!(
        signer
            .sign_into(PATH, NONCE, BODY.as_bytes(), BodyKind::Form, &mut out)
            .unwrap(),
        API_SIGN
    );

    // One group per scheme: criterion keys results by id, and `cargo xtask bench` reads ratios per group.
    let mut group = c.benchmark_group("kraken-spot");
    group.bench_function("sign/prebuilt", |b| {
        b.iter(|| {
            let signed = signer.sign_into(
                black_box(PATH),
                black_box(NONCE),
                black_box(BODY.as_bytes()),
                BodyKind::Form,
                &mut out,
            );
            black_box(signed.is_ok());
        })
    });
    let credentials = Credentials {
        api_key: "authspec-test-key",
        secret: SECRET,
    };
    let request = request();
    group.bench_function("sign/one-shot", |b| {
        b.iter(|| {
            black_box(sign(
                black_box(&credentials),
                black_box(&request),
                "1616492376594",
            ))
        })
    });

    let mut keys = MemoryKeyStore::new();
    keys.insert(
        "authspec-test-key",
        Arc::new(SpotKey::new("authspec-test-key", SECRET, Permissions::All).unwrap()),
    );
    let verifier = SpotVerifier::new(keys, AcceptAll);
    let received = request
        .clone()
        .header("API-Key", "authspec-test-key")
        .header("API-Sign", API_SIGN);
    assert!(verifier.verify(&received).is_ok());
    group.bench_function("verify", |b| {
        b.iter(|| black_box(verifier.verify(black_box(&received)).is_ok()))
    });

    // The floor: the compression calls sign/prebuilt must make for this request.
    let nonce_text_len = NONCE.to_string().len();
    let (blocks256, blocks512) = (
        sha256_blocks(nonce_text_len + BODY.len()),
        2 * sha512_blocks(PATH.len() + 32).max(1),
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

criterion_group!(kraken_spot, benches);
criterion_main!(kraken_spot);

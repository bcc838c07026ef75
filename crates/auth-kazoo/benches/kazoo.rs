//! Criterion benches of the Kazoo Crossbar scheme.
//!
//! - `credentials/md5`, `credentials/sha`: [`credentials`] for the published example (ASCII lowercasing, one
//!   hash block, hex).
//! - `token/verify`: [`TokenIssuer::verify`] of an issued token, 2048-bit key: split, base64url, header parse,
//!   the RSA public-key operation (e = 65537), claims parse.
//! - `token/issue`: [`TokenIssuer::issue`], 2048-bit key: claims text, base64url, the blinded CRT private-key
//!   operation.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "bench code: a failed setup step should abort the bench"
)]

use std::hint::black_box;

use auth_kazoo::{AuthMethod, HashMethod, TokenIssuer, credentials};
use criterion::{Criterion, criterion_group, criterion_main};

// Test-only key (tests/data/README.md).
const KEY_2048: &str = include_str!("../tests/data/issuer.pem");
const IAT: i64 = 1_731_665_217;

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("kazoo-crossbar");
    group.bench_function("credentials/md5", |b| {
        b.iter(|| {
            credentials(
                black_box("John@Example.com"),
                black_box("m32c6NfqYEt"),
                HashMethod::Md5,
            )
        })
    });
    group.bench_function("credentials/sha", |b| {
        b.iter(|| {
            credentials(
                black_box("John@Example.com"),
                black_box("m32c6NfqYEt"),
                HashMethod::Sha,
            )
        })
    });

    let issuer = TokenIssuer::from_pem(KEY_2048, 3600).unwrap();
    let issued = issuer
        .issue(
            "a0000000000000000000000000000001",
            "u0000000000000000000000000000001",
            AuthMethod::UserAuth,
            IAT,
        )
        .unwrap();
    assert!(issuer.verify(&issued.token, IAT).is_ok());
    group.bench_function("token/verify", |b| {
        b.iter(|| black_box(issuer.verify(black_box(&issued.token), IAT).is_ok()))
    });
    group.bench_function("token/issue", |b| {
        b.iter(|| {
            black_box(
                issuer
                    .issue(
                        black_box("a0000000000000000000000000000001"),
                        "u0000000000000000000000000000001",
                        AuthMethod::UserAuth,
                        IAT,
                    )
                    .is_ok(),
            )
        })
    });
    group.finish();
}

criterion_group!(kazoo, benches);
criterion_main!(kazoo);

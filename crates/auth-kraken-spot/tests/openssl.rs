//! Differential test against the `openssl` command line: for random keys (1..300 bytes, so shorter than,
//! equal to and longer than SHA-512's 128-byte block), endpoints, nonces and bodies, `API-Sign` must equal
//! what openssl computes step by step (`dgst -sha256`, `dgst -sha512 -mac HMAC`, `base64`). openssl also
//! base64-encodes the secret, so no step of the expectation comes from this crate.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

use std::io::Write;
use std::process::{Command, Stdio};

use auth_kraken_spot::{API_SIGN_LEN, BodyKind, SpotSigner};
use proptest::prelude::*;

fn openssl(args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the openssl command line is required for this test");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "openssl {args:?} failed");
    output.stdout
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn api_sign_matches_openssl(
        key in prop::collection::vec(any::<u8>(), 1..300),
        endpoint in "[A-Za-z0-9]{1,20}",
        nonce in any::<u64>(),
        rest in "[a-z0-9=&.%+]{0,300}",
    ) {
        let secret = String::from_utf8(openssl(&["base64", "-A"], &key)).unwrap();
        let path = format!("/0/private/{endpoint}");
        let body = format!("nonce={nonce}&x{rest}");

        let digest = openssl(&["dgst", "-sha256", "-binary"], format!("{nonce}{body}").as_bytes());
        let mut message = path.as_bytes().to_vec();
        message.extend_from_slice(&digest);
        let macopt = format!("hexkey:{}", hex(&key));
        let mac = openssl(&["dgst", "-sha512", "-mac", "HMAC", "-macopt", &macopt, "-binary"], &message);
        let expected = String::from_utf8(openssl(&["base64", "-A"], &mac)).unwrap();

        let signer = SpotSigner::new("authspec-test-key", secret.trim()).unwrap();
        let mut out = [0u8; API_SIGN_LEN];
        let got = signer.sign_into(&path, nonce, body.as_bytes(), BodyKind::Form, &mut out).unwrap();
        prop_assert_eq!(got, expected.trim());
    }
}

//! Differential test against the `openssl` command line (and, for the legacy form's percent-decoding, Python's
//! `urllib.parse.unquote_to_bytes`): for random keys (1..300 bytes, so shorter than, equal to and longer than
//! SHA-512's 128-byte block), paths with and without the `/derivatives` prefix, queries, bodies and optional
//! nonces, `Authent` must equal what openssl computes step by step (`dgst -sha256`, `dgst -sha512 -mac HMAC`,
//! `base64`). openssl also base64-encodes the secret, so no step of the expectation comes from this crate.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

use std::io::Write;
use std::process::{Command, Stdio};

use auth_kraken_futures::{AUTHENT_LEN, Encoding, FuturesSigner, SIGNED_CHALLENGE_LEN};
use proptest::prelude::*;

fn run(program: &str, args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the openssl and python3 command lines are required for this test");
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{program} {args:?} failed");
    output.stdout
}

fn openssl(args: &[&str], input: &[u8]) -> Vec<u8> {
    run("openssl", args, input)
}

/// Python's percent-decoding of the legacy form: `%XX` decoded, anything else (`+` included) kept.
fn python_unquote(bytes: &[u8]) -> Vec<u8> {
    run(
        "python3",
        &[
            "-c",
            "import sys, urllib.parse; \
             sys.stdout.buffer.write(urllib.parse.unquote_to_bytes(sys.stdin.buffer.read()))",
        ],
        bytes,
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The secret openssl encodes for `key`.
fn secret(key: &[u8]) -> String {
    String::from_utf8(openssl(&["base64", "-A"], key))
        .unwrap()
        .trim()
        .to_owned()
}

/// `base64(HMAC-SHA512(key, SHA256(message)))`, by openssl.
fn expected(key: &[u8], message: &[u8]) -> String {
    let digest = openssl(&["dgst", "-sha256", "-binary"], message);
    let macopt = format!("hexkey:{}", hex(key));
    let mac = openssl(
        &[
            "dgst", "-sha512", "-mac", "HMAC", "-macopt", &macopt, "-binary",
        ],
        &digest,
    );
    String::from_utf8(openssl(&["base64", "-A"], &mac))
        .unwrap()
        .trim()
        .to_owned()
}

fn path() -> impl Strategy<Value = (String, String)> {
    // (path as sent, endpointPath as the spec derives it: the prefix dropped).
    (any::<bool>(), "(/[A-Za-z0-9_.-]{1,12}){1,3}").prop_map(|(prefixed, rest)| {
        let endpoint = format!("/api{rest}");
        let sent = if prefixed {
            format!("/derivatives{endpoint}")
        } else {
            endpoint.clone()
        };
        (sent, endpoint)
    })
}

/// Form-like text with valid, invalid and truncated percent escapes, `+` and other bytes.
fn encoded() -> impl Strategy<Value = String> {
    "([A-Za-z0-9=&+._ ~-]|%[0-9A-Fa-f]{2}|%[0-9A-Ga-g]{0,2}){0,40}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn current_authent_matches_openssl(
        key in prop::collection::vec(any::<u8>(), 1..300),
        (path, endpoint) in path(),
        query in encoded(),
        body in prop::collection::vec(any::<u8>(), 0..200),
        nonce in prop::option::of(any::<u64>()),
    ) {
        let nonce_text = nonce.map(|n| n.to_string()).unwrap_or_default();
        let mut message = query.as_bytes().to_vec();
        message.extend_from_slice(&body);
        message.extend_from_slice(nonce_text.as_bytes());
        message.extend_from_slice(endpoint.as_bytes());

        let signer = FuturesSigner::new("authspec-test-key", &secret(&key)).unwrap();
        let mut out = [0u8; AUTHENT_LEN];
        let got = signer
            .sign_into(&path, query.as_bytes(), &body, nonce, Encoding::Current, &mut out)
            .unwrap();
        prop_assert_eq!(got, expected(&key, &message));
    }

    #[test]
    fn legacy_authent_matches_python_and_openssl(
        key in prop::collection::vec(any::<u8>(), 1..300),
        (path, endpoint) in path(),
        query in encoded(),
        body in encoded(),
        nonce in prop::option::of(any::<u64>()),
    ) {
        let mut sent = query.as_bytes().to_vec();
        sent.extend_from_slice(body.as_bytes());
        let mut message = python_unquote(&sent);
        message.extend_from_slice(nonce.map(|n| n.to_string()).unwrap_or_default().as_bytes());
        message.extend_from_slice(endpoint.as_bytes());

        let signer = FuturesSigner::new("authspec-test-key", &secret(&key)).unwrap();
        let mut out = [0u8; AUTHENT_LEN];
        let got = signer
            .sign_into(&path, query.as_bytes(), body.as_bytes(), nonce, Encoding::Legacy, &mut out)
            .unwrap();
        prop_assert_eq!(got, expected(&key, &message));
    }

    #[test]
    fn signed_challenge_matches_openssl(
        key in prop::collection::vec(any::<u8>(), 1..300),
        challenge in "\\PC{0,64}",
    ) {
        let signer = FuturesSigner::new("authspec-test-key", &secret(&key)).unwrap();
        let mut out = [0u8; SIGNED_CHALLENGE_LEN];
        let got = signer.sign_challenge_into(challenge.as_bytes(), &mut out);
        prop_assert_eq!(got, expected(&key, challenge.as_bytes()));
    }
}

#[test]
fn an_escape_split_between_query_and_body_decodes_as_one() {
    let key = b"authspec differential key";
    // `%4` ends the query and `1` starts the body: postData is `a=%41`, whose legacy form is `a=A`.
    let message = [python_unquote(b"a=%41").as_slice(), b"/api/v3/sendorder"].concat();
    assert_eq!(message, b"a=A/api/v3/sendorder");
    let signer = FuturesSigner::new("authspec-test-key", &secret(key)).unwrap();
    let mut out = [0u8; AUTHENT_LEN];
    let got = signer
        .sign_into(
            "/derivatives/api/v3/sendorder",
            b"a=%4",
            b"1",
            None,
            Encoding::Legacy,
            &mut out,
        )
        .unwrap();
    assert_eq!(got, expected(key, &message));
}

//! PBKDF2-HMAC-SHA256 (RFC 8018) against published vectors and Python's `hashlib.pbkdf2_hmac`; PHC strings.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

use std::io::Write as _;
use std::process::{Command, Stdio};

use auth_haivision::{PasswordHash, hash_password, pbkdf2_hmac_sha256};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use proptest::prelude::*;
use proptest::strategy::ValueTree as _;

fn pbkdf2_hex(password: &[u8], salt: &[u8], iterations: u32, len: usize) -> String {
    let mut out = vec![0u8; len];
    pbkdf2_hmac_sha256(password, salt, iterations, &mut out);
    auth_core::hex::encode(&out)
}

#[test]
fn rfc7914_section11_vectors() {
    // RFC 7914 section 11: PBKDF2-HMAC-SHA256 test vectors.
    assert_eq!(
        pbkdf2_hex(b"passwd", b"salt", 1, 64),
        "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc\
         49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783"
    );
    assert_eq!(
        pbkdf2_hex(b"Password", b"NaCl", 80_000, 64),
        "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56\
         a1d425a1225833549adb841b51c9b3176a272bdebba1d078478f62b397f33c8d"
    );
}

#[test]
fn rfc6070_style_sha256_vectors() {
    // The RFC 6070 inputs with HMAC-SHA256 (as published for PBKDF2-HMAC-SHA256, e.g. in RFC 7914's errata
    // discussions and common test suites).
    assert_eq!(
        pbkdf2_hex(b"password", b"salt", 1, 32),
        "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b"
    );
    assert_eq!(
        pbkdf2_hex(b"password", b"salt", 2, 32),
        "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43"
    );
    assert_eq!(
        pbkdf2_hex(b"password", b"salt", 4096, 32),
        "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a"
    );
    assert_eq!(
        pbkdf2_hex(
            b"passwordPASSWORDpassword",
            b"saltSALTsaltSALTsaltSALTsaltSALTsalt",
            4096,
            40
        ),
        "348c89dbcbd32b2f32d814b8116e84cf2b17347ebc1800181c4e2a1fb8dd53e1c635518c7dac47e9"
    );
    assert_eq!(
        pbkdf2_hex(b"pass\0word", b"sa\0lt", 4096, 16),
        "89b69d0516f829893c696226650a8687"
    );
}

#[test]
fn zero_iterations_is_one_and_empty_output() {
    assert_eq!(pbkdf2_hex(b"p", b"s", 0, 32), pbkdf2_hex(b"p", b"s", 1, 32));
    assert_eq!(pbkdf2_hex(b"p", b"s", 1, 0), "");
    // A prefix of a longer output.
    assert_eq!(
        pbkdf2_hex(b"p", b"s", 3, 33)[..40],
        pbkdf2_hex(b"p", b"s", 3, 20)
    );
}

#[test]
fn phc_strings() {
    let phc = hash_password("s3cret", b"0123456789abcdef", 1000);
    assert!(
        phc.starts_with("$pbkdf2-sha256$i=1000$MDEyMzQ1Njc4OWFiY2RlZg$"),
        "{phc}"
    );
    let hash = PasswordHash::parse(&phc).unwrap();
    assert_eq!(hash.iterations(), 1000);
    assert!(hash.verify("s3cret"));
    assert!(!hash.verify("s3cret "));
    assert!(!hash.verify("S3cret"));
    assert!(!hash.verify(""));
    // The hash part is PBKDF2 of the password, 32 bytes, unpadded base64.
    let tail = phc.rsplit('$').next().unwrap();
    let mut expected = [0u8; 32];
    pbkdf2_hmac_sha256(b"s3cret", b"0123456789abcdef", 1000, &mut expected);
    assert_eq!(STANDARD_NO_PAD.decode(tail).unwrap(), expected);
    // Only 32-byte hashes and 8- to 64-byte salts.
    let short = format!(
        "$pbkdf2-sha256$i=2$c2FsdHNhbHQ${}",
        STANDARD_NO_PAD.encode(expected_short())
    );
    assert!(PasswordHash::parse(&short).is_err());
    assert!(PasswordHash::parse(&hash_password("p", b"1234567", 1)).is_err());
    assert!(
        PasswordHash::parse(&hash_password("p", b"12345678", 1))
            .unwrap()
            .verify("p")
    );
    assert!(!format!("{:?}", PasswordHash::parse(&phc).unwrap()).contains(tail));
}

fn expected_short() -> [u8; 16] {
    let mut out = [0u8; 16];
    pbkdf2_hmac_sha256(b"password", b"salt", 2, &mut out);
    out
}

/// Runs Python's `hashlib.pbkdf2_hmac('sha256', ..)` on each `(password hex, salt hex, iterations, len)`.
fn python_pbkdf2(cases: &[(Vec<u8>, Vec<u8>, u32, usize)]) -> Option<Vec<String>> {
    let script = "import sys, hashlib\n\
        for line in sys.stdin:\n    p, s, c, n = line.split()\n    \
        print(hashlib.pbkdf2_hmac('sha256', bytes.fromhex(p), bytes.fromhex(s), int(c), int(n)).hex())\n";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    let mut input = String::new();
    for (password, salt, iterations, len) in cases {
        // Inputs are non-empty, so no hex field is empty (an empty one would collapse the split).
        let (password, salt) = (
            auth_core::hex::encode(password),
            auth_core::hex::encode(salt),
        );
        input.push_str(&format!("{password} {salt} {iterations} {len}\n"));
    }
    child.stdin.take()?.write_all(input.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    assert!(output.status.success(), "python3 failed");
    Some(
        String::from_utf8(output.stdout)
            .ok()?
            .lines()
            .map(str::to_owned)
            .collect(),
    )
}

#[test]
fn against_python_hashlib() {
    let mut cases = Vec::new();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (
        prop::collection::vec(any::<u8>(), 1..100),
        prop::collection::vec(any::<u8>(), 1..80),
        1u32..50,
        1usize..100,
    );
    for _ in 0..64 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        cases.push(case);
    }
    let Some(expected) = python_pbkdf2(&cases) else {
        eprintln!("python3 not available: skipping the hashlib cross-check");
        return;
    };
    assert_eq!(expected.len(), cases.len());
    for ((password, salt, iterations, len), expected) in cases.iter().zip(expected) {
        assert_eq!(
            pbkdf2_hex(password, salt, *iterations, *len),
            expected,
            "{password:?} {salt:?} {iterations} {len}"
        );
    }
}

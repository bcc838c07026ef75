//! Credentials (KAZOO-001..003): the published hashes, mixed-case usernames, ASCII-only lowercasing, and a
//! differential against Python's `hashlib` (an independent implementation: `str.lower` restricted to ASCII by
//! hand, `hashlib.md5` / `hashlib.sha1`) for random ASCII and non-ASCII usernames and passwords.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

mod common;

use auth_core::{ErrorCode, HasErrorCode};
use auth_kazoo::{HashMethod, KazooError, credentials};
use proptest::prelude::*;

const PUBLISHED_MD5: &str = "82a2dc91686ec828a67152d45a5c5ef7";
const PUBLISHED_SHA: &str = "055cf886cb9b5c5867083463867c527ace0f8ecc";

#[test]
fn published_hashes() {
    assert_eq!(
        credentials("john@example.com", "m32c6NfqYEt", HashMethod::Md5),
        PUBLISHED_MD5
    );
    assert_eq!(
        credentials("john@example.com", "m32c6NfqYEt", HashMethod::Sha),
        PUBLISHED_SHA
    );
}

#[test]
fn mixed_case_usernames_hash_like_lowercase() {
    for username in ["John@Example.com", "JOHN@EXAMPLE.COM", "jOhN@eXaMpLe.CoM"] {
        assert_eq!(
            credentials(username, "m32c6NfqYEt", HashMethod::Md5),
            PUBLISHED_MD5
        );
        assert_eq!(
            credentials(username, "m32c6NfqYEt", HashMethod::Sha),
            PUBLISHED_SHA
        );
    }
}

#[test]
fn passwords_are_case_sensitive_and_untrimmed() {
    let base = credentials("john@example.com", "m32c6NfqYEt", HashMethod::Md5);
    for password in ["M32C6NFQYET", " m32c6NfqYEt", "m32c6NfqYEt\n"] {
        assert_ne!(
            credentials("john@example.com", password, HashMethod::Md5),
            base
        );
    }
}

#[test]
fn lowercasing_is_ascii_only() {
    // `É` (U+00C9) is not lowercased to `é` (U+00E9): the two usernames hash differently.
    assert_ne!(
        credentials("ÉMILE", "x", HashMethod::Md5),
        credentials("émile", "x", HashMethod::Md5)
    );
    assert_eq!(
        credentials("ÉMILE", "x", HashMethod::Md5),
        credentials("Émile", "x", HashMethod::Md5)
    );
    // The Kelvin sign and dotted capital I are left alone too.
    assert_ne!(
        credentials("\u{212a}", "x", HashMethod::Sha),
        credentials("k", "x", HashMethod::Sha)
    );
}

#[test]
fn empty_inputs_hash() {
    // md5(":") and sha1(":").
    assert_eq!(
        credentials("", "", HashMethod::Md5),
        "853ae90f0351324bd73ea615e6487517"
    );
    assert_eq!(
        credentials("", "", HashMethod::Sha),
        "05a79f06cf3f67f726dae68d18a2290f6c9a50c9"
    );
}

#[test]
fn method_names() {
    assert_eq!(HashMethod::from_wire("md5"), Ok(HashMethod::Md5));
    assert_eq!(HashMethod::from_wire("sha"), Ok(HashMethod::Sha));
    for bad in ["sha1", "SHA-1", "sha-1", "Md5", "", "sha256"] {
        let error = HashMethod::from_wire(bad).unwrap_err();
        assert_eq!(error, KazooError::HashMethodInvalid);
        assert_eq!(error.code(), ErrorCode::HashMethodInvalid, "{bad:?}");
    }
    assert_eq!(HashMethod::Sha.as_wire(), "sha");
}

/// A small deterministic generator (xorshift64*), so the differential needs no extra dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn text(&mut self, ascii_only: bool) -> String {
        const EXTRA: &[char] = &[
            'É', 'é', 'ß', 'ẞ', 'İ', 'ı', '\u{212a}', 'Ω', 'Σ', '日', '本', '🎉', '\u{0}', '\t',
            ':', ' ',
        ];
        let len = (self.next() % 24) as usize;
        (0..len)
            .map(|_| {
                let r = self.next();
                if ascii_only || !r.is_multiple_of(4) {
                    char::from(0x20 + (r >> 8) as u8 % 0x5f)
                } else {
                    EXTRA[(r >> 8) as usize % EXTRA.len()]
                }
            })
            .collect()
    }
}

const PYTHON: &str = r#"
import hashlib, json, sys
def lower_ascii(s):
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in s)
out = []
for case in json.load(sys.stdin):
    data = (lower_ascii(case["username"]) + ":" + case["password"]).encode("utf-8")
    out.append({"md5": hashlib.md5(data).hexdigest(), "sha": hashlib.sha1(data).hexdigest()})
json.dump(out, sys.stdout)
"#;

#[test]
fn python_hashlib_agrees() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut cases: Vec<(String, String)> = (0..400)
        .map(|i| (rng.text(i % 2 == 0), rng.text(i % 3 == 0)))
        .collect();
    cases.push(("John@Example.com".into(), "m32c6NfqYEt".into()));
    cases.push(("ÉMILE".into(), "pa:ss word".into()));
    cases.push((String::new(), String::new()));
    let input: Vec<_> = cases
        .iter()
        .map(|(u, p)| serde_json::json!({"username": u, "password": p}))
        .collect();
    let output = common::run(
        "python3",
        &["-c", PYTHON],
        serde_json::to_string(&input).unwrap().as_bytes(),
    );
    let expected: Vec<serde_json::Value> = serde_json::from_slice(&output).unwrap();
    assert_eq!(expected.len(), cases.len());
    for ((username, password), want) in cases.iter().zip(&expected) {
        assert_eq!(
            credentials(username, password, HashMethod::Md5),
            want["md5"],
            "{username:?} {password:?}"
        );
        assert_eq!(
            credentials(username, password, HashMethod::Sha),
            want["sha"],
            "{username:?} {password:?}"
        );
    }
    assert_eq!(expected[400]["md5"], PUBLISHED_MD5);
}

fn method() -> impl Strategy<Value = HashMethod> {
    prop_oneof![Just(HashMethod::Md5), Just(HashMethod::Sha)]
}

proptest! {
    #[test]
    fn ascii_case_of_the_username_does_not_matter(
        username in "\\PC{0,40}", password in "\\PC{0,40}", method in method(), flips in any::<u64>()
    ) {
        let flipped: String = username
            .chars()
            .enumerate()
            .map(|(i, c)| if flips >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
            .collect();
        prop_assert_eq!(
            credentials(&username, &password, method),
            credentials(&flipped, &password, method)
        );
        prop_assert_eq!(
            credentials(&username, &password, method),
            credentials(&username.to_ascii_lowercase(), &password, method)
        );
    }

    #[test]
    fn credentials_are_lowercase_hex_of_the_method_length(
        username in "\\PC{0,20}", password in "\\PC{0,20}", method in method()
    ) {
        let hex = credentials(&username, &password, method);
        prop_assert_eq!(hex.len(), method.hex_len());
        prop_assert!(hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
    }
}

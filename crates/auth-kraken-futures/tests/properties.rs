//! Property tests (KFUT-006..014, -024, -025): whatever the request, what the signer signs the verifier
//! accepts (the legacy form only when switched on), and any change to path, query, body, nonce or `Authent`
//! is rejected, including the `/derivatives` prefix hashed by mistake.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed setup step should abort the test"
)]

mod common;

use auth_core::{ErrorCode, HasErrorCode, Request};
use auth_kraken_futures::{Encoding, VerifierOptions};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{KEY, SECRET, request, signed, verifier};
use hmac::{Hmac, KeyInit, Mac};
use proptest::prelude::*;
use sha2::{Digest, Sha256, Sha512};

fn method() -> impl Strategy<Value = String> {
    prop::sample::select(vec!["GET", "POST", "PUT", "DELETE"]).prop_map(str::to_owned)
}

/// A path the signer accepts, with or without the `/derivatives` prefix.
fn path() -> impl Strategy<Value = String> {
    (any::<bool>(), "(/[A-Za-z0-9_.-]{1,12}){1,3}").prop_map(|(prefixed, rest)| {
        if prefixed {
            format!("/derivatives/api{rest}")
        } else {
            format!("/api{rest}")
        }
    })
}

/// Parameters as sent: url-encoded text with escapes (valid or not) and `+`.
fn params() -> impl Strategy<Value = String> {
    "([A-Za-z0-9=&+._-]|%[0-9A-Fa-f]{2}|%[0-9A-Ga-g]{0,2}){0,40}"
}

fn nonce() -> impl Strategy<Value = Option<u64>> {
    prop::option::of(1..u64::MAX)
}

/// Whether percent-decoding changes `text`: it holds a `%` followed by two hex digits.
fn has_escape(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'%' && w[1].is_ascii_hexdigit() && w[2].is_ascii_hexdigit())
}

fn signed_request(
    method: &str,
    path: &str,
    query: &str,
    body: &str,
    nonce: Option<u64>,
    encoding: Encoding,
) -> Request {
    let nonce = nonce.map(|n| n.to_string());
    signed(
        request(method, path, query, body),
        nonce.as_deref(),
        encoding,
    )
}

/// `Authent` computed here from the algorithm's text, over an explicit `endpoint` (so a wrong one can be
/// hashed on purpose).
fn authent_over(post_data: &str, nonce: Option<u64>, endpoint: &str) -> String {
    let nonce = nonce.map(|n| n.to_string()).unwrap_or_default();
    let digest = Sha256::new()
        .chain_update(post_data)
        .chain_update(nonce)
        .chain_update(endpoint)
        .finalize();
    let key = STANDARD.decode(SECRET).unwrap();
    let mut mac = <Hmac<Sha512> as KeyInit>::new_from_slice(&key).unwrap();
    mac.update(&digest);
    STANDARD.encode(mac.finalize().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sign_then_verify_accepts(
        method in method(), path in path(), query in params(), body in params(), nonce in nonce(),
    ) {
        let request = signed_request(&method, &path, &query, &body, nonce, Encoding::Current);
        for accept_legacy_encoding in [false, true] {
            let options = VerifierOptions { accept_legacy_encoding, ..VerifierOptions::default() };
            let principal = verifier(options).verify(&request).unwrap();
            prop_assert_eq!(principal.api_key.as_str(), KEY);
            prop_assert_eq!(principal.nonce, nonce);
            prop_assert_eq!(principal.encoding, Encoding::Current);
        }
    }

    #[test]
    fn legacy_is_accepted_only_with_the_switch(
        method in method(), path in path(), query in params(), body in params(), nonce in nonce(),
    ) {
        let request = signed_request(&method, &path, &query, &body, nonce, Encoding::Legacy);
        let decodes = has_escape(&format!("{query}{body}"));
        // Without an escape both forms are the same bytes: accepted as the current one either way.
        let strict = verifier(VerifierOptions::default()).verify(&request);
        if decodes {
            prop_assert_eq!(strict.map_err(|e| e.code()), Err(ErrorCode::SignatureMismatch));
        } else {
            prop_assert_eq!(strict.map(|p| p.encoding), Ok(Encoding::Current));
        }
        let lenient = VerifierOptions { accept_legacy_encoding: true, ..VerifierOptions::default() };
        let principal = verifier(lenient).verify(&request).unwrap();
        prop_assert_eq!(principal.nonce, nonce);
        prop_assert_eq!(
            principal.encoding,
            if decodes { Encoding::Legacy } else { Encoding::Current }
        );
    }

    #[test]
    fn any_change_is_rejected(
        path in path(), query in params(), body in params(), nonce in nonce(),
        which in 0..8usize, at in any::<prop::sample::Index>(),
    ) {
        let mut request = signed_request("POST", &path, &query, &body, nonce, Encoding::Current);
        match which {
            // Another endpoint: one more byte, or a character changed (`/` kept so the path stays valid).
            0 => request.path.push('x'),
            1 => {
                let mut bytes = request.path.clone().into_bytes();
                let fixed = if path.starts_with("/derivatives/") { 17 } else { 5 };
                let i = fixed + at.index(bytes.len() - fixed);
                bytes[i] = if bytes[i] == b'Z' { b'Y' } else { b'Z' };
                request.path = String::from_utf8(bytes).unwrap();
            }
            // One more byte of postData, at either end.
            2 => request.query = Some(format!("{query}&")),
            3 => request.body.push(b'&'),
            // Another nonce, a nonce dropped, a nonce added.
            4 => {
                let other = nonce.map_or(1, |n| n - 1);
                request.headers.set("Nonce", other.to_string());
            }
            5 if nonce.is_some() => {
                let kept: Vec<(String, String)> = request
                    .headers
                    .iter()
                    .filter(|(name, _)| !name.eq_ignore_ascii_case("Nonce"))
                    .map(|(n, v)| (n.to_owned(), v.to_owned()))
                    .collect();
                request.headers = kept.into_iter().collect();
            }
            5 => request.headers.set("Nonce", "1"),
            // One Authent character replaced by another base64 character.
            _ => {
                let mut authent = request.headers.get("Authent").unwrap().as_bytes().to_vec();
                let i = at.index(86);
                authent[i] = if authent[i] == b'A' { b'B' } else { b'A' };
                request.headers.set("Authent", String::from_utf8(authent).unwrap());
            }
        }
        let rejected = verifier(VerifierOptions::default()).verify(&request).unwrap_err();
        // A replaced last character before the padding may leave non-zero trailing bits: malformed, not merely
        // mismatched.
        let expected: &[ErrorCode] = match which {
            6 | 7 => &[ErrorCode::SignatureMismatch, ErrorCode::SignatureMalformed],
            _ => &[ErrorCode::SignatureMismatch],
        };
        prop_assert!(expected.contains(&rejected.code()), "{:?}", rejected);
    }

    #[test]
    fn derivatives_prefix_signed_by_mistake_is_rejected(
        rest in "(/[A-Za-z0-9_.-]{1,12}){1,3}", query in params(), body in params(), nonce in nonce(),
    ) {
        let endpoint = format!("/api{rest}");
        let path = format!("/derivatives{endpoint}");
        let post_data = format!("{query}{body}");
        let mut received = request("POST", &path, &query, &body).header("APIKey", KEY);
        if let Some(nonce) = nonce {
            received.headers.set("Nonce", nonce.to_string());
        }
        let verifier = verifier(VerifierOptions { accept_legacy_encoding: true, ..VerifierOptions::default() });
        // The computation here is right when it hashes endpointPath...
        received.headers.set("Authent", authent_over(&post_data, nonce, &endpoint));
        prop_assert!(verifier.verify(&received).is_ok());
        // ...and the mistake, hashing the path as sent, is a mismatch.
        received.headers.set("Authent", authent_over(&post_data, nonce, &path));
        prop_assert_eq!(
            verifier.verify(&received).map_err(|e| e.code()),
            Err(ErrorCode::SignatureMismatch)
        );
    }

    #[test]
    fn what_the_scheme_does_not_sign(
        method in method(), path in path(), query in params(), body in params(), nonce in nonce(),
        split in any::<prop::sample::Index>(), other in method(),
    ) {
        // Consequences of the algorithm, pinned so that they are known rather than discovered: the method,
        // the boundary between query and body, and the `/derivatives` prefix are not authenticated.
        let original = signed_request(&method, &path, &query, &body, nonce, Encoding::Current);
        let post_data = format!("{query}{body}");
        let cut = split.index(post_data.len() + 1);
        let mut moved = original.clone();
        moved.method = other;
        moved.query = Some(post_data[..cut].to_owned());
        moved.body = post_data.as_bytes()[cut..].to_vec();
        moved.path = match path.strip_prefix("/derivatives") {
            Some(unprefixed) => unprefixed.to_owned(),
            None => format!("/derivatives{path}"),
        };
        prop_assert!(verifier(VerifierOptions::default()).verify(&moved).is_ok());
    }
}

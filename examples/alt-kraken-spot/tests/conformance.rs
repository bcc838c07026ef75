//! The authspec corpus run against this crate from `cargo test`, plus known-answer tests of its hand-written
//! primitives against the values their RFCs publish.
//!
//! The adapter below is all an SDK author writes: implement [`KrakenSpot`] for a unit struct by calling the
//! crate's own signer and mapping its errors to the spec's codes, then call [`assert_conforms`]. It lives in the
//! test target because `auth-conformance` is a dev-dependency: the library itself never depends on the runner.

use alt_kraken_spot::{base64_decode, base64_encode, hmac_sha512, sign};
use auth_conformance::kraken_spot::{
    self as conformance, KrakenSpot, SignInput, Signed, assert_conforms,
};

/// This crate, as a kraken-spot testee (sign only: without a verifier, verify vectors are skipped).
struct AltKrakenSpot;

impl KrakenSpot for AltKrakenSpot {
    fn sign(&self, input: &SignInput) -> Result<Signed, conformance::Refusal> {
        // Header names are case-insensitive (HTTP); the protocol hands them over as written.
        let content_type = input
            .headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        let signature = sign(
            &input.api_key,
            &input.secret,
            &input.method,
            &input.path,
            content_type,
            input.body.as_bytes(),
            &input.nonce,
        )
        .map_err(|refusal| conformance::Refusal {
            code: refusal.code().to_owned(),
            message: refusal.to_string(),
        })?;
        Ok(Signed {
            stages: signature
                .stages
                .reported()
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value))
                .collect(),
            api_key: signature.api_key,
            api_sign: signature.api_sign,
        })
    }
}

#[test]
fn conforms_to_the_kraken_spot_corpus() {
    assert_conforms("alt-kraken-spot", &AltKrakenSpot);
}

fn hex(text: &str) -> Result<Vec<u8>, std::num::ParseIntError> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16))
        .collect()
}

/// RFC 4231 section 4, HMAC-SHA-512 values of test cases 1, 2, 6 and 7 (6 and 7 use a 131-byte key, longer than
/// SHA-512's 128-byte block, so the key is hashed first).
#[test]
fn hmac_sha512_matches_rfc_4231() {
    let long_key = [0xaa_u8; 131];
    let cases: [(&[u8], &[u8], &str); 4] = [
        (
            &[0x0b; 20],
            b"Hi There",
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde\
             daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
        ),
        (
            b"Jefe",
            b"what do ya want for nothing?",
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
             9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        ),
        (
            &long_key,
            b"Test Using Larger Than Block-Size Key - Hash Key First",
            "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352\
             6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598",
        ),
        (
            &long_key,
            b"This is a test using a larger than block-size key and a larger than block-size data. \
              The key needs to be hashed before being used by the HMAC algorithm.",
            "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944\
             b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58",
        ),
    ];
    for (i, (key, data, mac)) in cases.into_iter().enumerate() {
        assert_eq!(
            hmac_sha512(key, data).to_vec(),
            hex(mac).unwrap(),
            "RFC 4231 case index {i}"
        );
    }
}

/// RFC 4648 section 10, both directions.
#[test]
fn base64_matches_rfc_4648_section_10() {
    let cases = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];
    for (data, text) in cases {
        assert_eq!(base64_encode(data.as_bytes()), text);
        assert_eq!(
            base64_decode(text).as_deref(),
            Some(data.as_bytes()),
            "decoding {text:?}"
        );
    }
}

/// The strictness the spec demands (`spec/kraken-spot.md`, "Standard base64"): each text below is one rule broken.
#[test]
fn base64_decoder_is_strict() {
    let refused = [
        "Zg",        // padding missing
        "Zg=",       // padding short
        "Zg===",     // padding long
        "Zm9v====",  // a whole quantum of padding
        "Zh==",      // non-zero unused bits (RFC 4648 section 3.5)
        "Zm9=",      // non-zero unused bits, one `=`
        "Zm=v",      // `=` inside the data
        "Zm9v\n",    // trailing newline
        " Zm9v",     // leading space
        "Zm 9v",     // inner space
        "-_-_",      // URL-safe alphabet
        "Zm9vYmFy=", // length not a multiple of 4
    ];
    for text in refused {
        assert_eq!(base64_decode(text), None, "{text:?} must be refused");
    }
    assert_eq!(base64_decode("+/+/"), Some(vec![0xfb, 0xff, 0xbf]));
}

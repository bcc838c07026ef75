//! Published vectors, checked through every entry point of the crate: Kraken's WebSocket challenge example
//! (docs.kraken.com, "Futures WebSocket authentication"), python-kraken-sdk's futures unit-test vector
//! (`tests/futures/test_futures_base_api_unit.py`, `test_signature_matches_golden_value`), and the vendor docs' example secret, which is not valid base64.
//! The expected values are theirs, not ours; the stage values below were computed with Python's `hashlib`
//! and `hmac` from the published inputs.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed setup step should abort the test"
)]

use std::sync::Arc;

use auth_core::{ErrorCode, HasErrorCode, ManualClock, MemoryKeyStore, NonceWindow, Request};
use auth_kraken_futures::{
    AUTHENT_LEN, Credentials, Encoding, FuturesKey, FuturesSigner, FuturesVerifier,
    SIGNED_CHALLENGE_LEN, SignContext, SignError, VerifierOptions, sign, sign_challenge,
    sign_challenge_with_stages, sign_with_stages,
};

/// Kraken's WebSocket challenge example.
mod vendor_ws {
    pub(crate) const SECRET: &str =
        "7zxMEF5p/Z8l2p2U7Ghv6x14Af+Fx+92tPgUdVQ748FOIrEoT9bgT+bTRfXc5pz8na+hL/QdrCVG7bh9KpT0eMTm";
    pub(crate) const CHALLENGE: &str = "c100b894-1729-464d-ace1-52dbce11db42";
    pub(crate) const SIGNED: &str =
        "4JEpF3ix66GA2B+ooK128Ift4XQVtc137N9yeg4Kqsn9PI0Kpzbysl9M1IeCEdjg0zl00wkVqcsnG4bmnlMb3A==";
}

/// python-kraken-sdk's futures REST vector.
mod sdk {
    pub(crate) const SECRET: &str = "cHl0aG9uLWtyYWtlbi1zZGsgdW5pdC10ZXN0IHNlY3JldCB2YWx1ZQ==";
    pub(crate) const POST_DATA: &str = "orderType=lmt&symbol=PI_XBTUSD";
    pub(crate) const NONCE: u64 = 1_616_492_376_594;
    pub(crate) const PATH: &str = "/derivatives/api/v3/sendorder";
    pub(crate) const AUTHENT: &str =
        "Txi+gJVXe3EN1brXYQ46FuV6UVtEVSKhc6dYMhPb7a/HXZLGvO6m9UUg+KVKqhLxrbllOPI7qRkHYmPfJZZSGA==";
}

/// The vendor docs' example secret: 87 characters, so not valid base64.
const VENDOR_DOCS_SECRET: &str =
    "rttp4AzwRfYEdQ7R7X8Z/04Y4TZPa97pqCypi3xXxAqftygftnI6H9yGV+OcUOOJeFtZkr8mVwbAndU3Kz4Q+eG";

const KEY: &str = "key";

/// The SDK's postData travels as the body, as the query, or split between them: postData is their
/// concatenation, so all three sign alike.
fn sdk_placements() -> [(&'static str, &'static str); 3] {
    [
        ("", sdk::POST_DATA),
        (sdk::POST_DATA, ""),
        ("orderType=lmt&", "symbol=PI_XBTUSD"),
    ]
}

fn sdk_request(query: &str, body: &str) -> Request {
    let mut request = Request::new("POST", sdk::PATH).body(body);
    if !query.is_empty() {
        request.query = Some(query.to_owned());
    }
    request
}

fn verifier(
    secret: &str,
) -> FuturesVerifier<MemoryKeyStore<Arc<FuturesKey>>, auth_core::MemoryNonceStore, ManualClock> {
    let mut keys = MemoryKeyStore::new();
    keys.insert(KEY, Arc::new(FuturesKey::new(KEY, secret).unwrap()));
    FuturesVerifier::new(
        keys,
        ManualClock::from_unix_millis(0),
        VerifierOptions {
            nonce_window: Some(NonceWindow(0)),
            require_nonce: true,
            ..VerifierOptions::default()
        },
    )
}

#[test]
fn vendor_ws_challenge_through_every_entry_point() {
    let signer = FuturesSigner::new(KEY, vendor_ws::SECRET).unwrap();
    let mut out = [0u8; SIGNED_CHALLENGE_LEN];
    assert_eq!(
        signer.sign_challenge_into(vendor_ws::CHALLENGE.as_bytes(), &mut out),
        vendor_ws::SIGNED
    );
    assert_eq!(
        sign_challenge(vendor_ws::SECRET, vendor_ws::CHALLENGE).as_deref(),
        Ok(vendor_ws::SIGNED)
    );
    let (signed, stages) =
        sign_challenge_with_stages(vendor_ws::SECRET, vendor_ws::CHALLENGE).unwrap();
    assert_eq!(signed, vendor_ws::SIGNED);
    let named = stages.to_named();
    let names: Vec<_> = named.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "hmac_key",
            "sha256_input",
            "sha256_digest",
            "hmac_digest",
            "signed_challenge"
        ]
    );
    assert_eq!(named[0].1.len(), 2 * 66);
    assert_eq!(named[1].1, vendor_ws::CHALLENGE);
    assert_eq!(
        named[2].1,
        "e169f16ab66e9f9ee0aa0caa71f9a811cb687050693051d90bb487cd5596ac7a"
    );
    assert_eq!(
        named[3].1,
        "e091291778b1eba180d81fa8a0ad76f087ede17415b5cd77ecdf727a0e0aaac9\
         fd3c8d0aa736f2b25f4cd4878211d8e0d33974d30915a9cb271b86e69e531bdc"
    );
    assert_eq!(named[4].1, vendor_ws::SIGNED);
    assert!(format!("{stages:?}").contains("Secret(**redacted**)"));

    let verifier = verifier(vendor_ws::SECRET);
    assert_eq!(
        verifier.verify_challenge(KEY, vendor_ws::CHALLENGE.as_bytes(), vendor_ws::SIGNED),
        Ok(KEY.to_owned())
    );
    // The same signature for another challenge, another key or a malformed one is refused.
    let codes = [
        verifier.verify_challenge(
            KEY,
            b"c100b894-1729-464d-ace1-52dbce11db43",
            vendor_ws::SIGNED,
        ),
        verifier.verify_challenge("other", vendor_ws::CHALLENGE.as_bytes(), vendor_ws::SIGNED),
        verifier.verify_challenge(
            KEY,
            vendor_ws::CHALLENGE.as_bytes(),
            &vendor_ws::SIGNED[..86],
        ),
    ]
    .map(|result| result.map_err(|error| error.code()));
    assert_eq!(
        codes,
        [
            Err(ErrorCode::SignatureMismatch),
            Err(ErrorCode::KeyUnknown),
            Err(ErrorCode::SignatureMalformed)
        ]
    );
}

#[test]
fn sdk_vector_through_the_hot_path() {
    let signer = FuturesSigner::new(KEY, sdk::SECRET).unwrap();
    for (query, body) in sdk_placements() {
        let mut out = [0u8; AUTHENT_LEN];
        let authent = signer.sign_into(
            sdk::PATH,
            query.as_bytes(),
            body.as_bytes(),
            Some(sdk::NONCE),
            Encoding::Current,
            &mut out,
        );
        assert_eq!(authent, Ok(sdk::AUTHENT), "{query:?} {body:?}");
    }
    // python-kraken-sdk's `test_signature_strips_derivatives_prefix`: the unprefixed path signs alike.
    let mut out = [0u8; AUTHENT_LEN];
    assert_eq!(
        signer.sign_into(
            "/api/v3/sendorder",
            b"",
            sdk::POST_DATA.as_bytes(),
            Some(sdk::NONCE),
            Encoding::Current,
            &mut out
        ),
        Ok(sdk::AUTHENT)
    );
    // No `%` in postData: the legacy form is the same bytes, so the same Authent.
    let mut out = [0u8; AUTHENT_LEN];
    assert_eq!(
        signer.sign_into(
            sdk::PATH,
            b"",
            sdk::POST_DATA.as_bytes(),
            Some(sdk::NONCE),
            Encoding::Legacy,
            &mut out
        ),
        Ok(sdk::AUTHENT)
    );
}

#[test]
fn sdk_vector_through_the_request_apis() {
    let credentials = Credentials {
        api_key: KEY,
        secret: sdk::SECRET,
    };
    let signer = FuturesSigner::new(KEY, sdk::SECRET).unwrap();
    let nonce = sdk::NONCE.to_string();
    for (query, body) in sdk_placements() {
        let request = sdk_request(query, body);
        let outputs = [
            signer
                .sign(&request, Some(&nonce), Encoding::Current)
                .unwrap(),
            sign(&credentials, &request, Some(&nonce), Encoding::Current).unwrap(),
            sign_with_stages(&credentials, &request, Some(&nonce), Encoding::Current)
                .unwrap()
                .0,
            auth_core::Signer::sign(
                &signer,
                &request,
                &SignContext {
                    nonce: Some(sdk::NONCE),
                    encoding: Encoding::Current,
                },
            )
            .unwrap(),
        ];
        for output in outputs {
            let headers: Vec<_> = output.headers.iter().collect();
            assert_eq!(
                headers,
                [
                    ("APIKey", KEY),
                    ("Authent", sdk::AUTHENT),
                    ("Nonce", "1616492376594")
                ]
            );
        }
    }
    // The method is not signed.
    let mut get = sdk_request("", sdk::POST_DATA);
    get.method = "DELETE".into();
    assert_eq!(
        signer
            .sign(&get, Some(&nonce), Encoding::Current)
            .unwrap()
            .headers
            .get("Authent"),
        Some(sdk::AUTHENT)
    );
}

#[test]
fn sdk_vector_stages() {
    let credentials = Credentials {
        api_key: KEY,
        secret: sdk::SECRET,
    };
    let request = sdk_request("", sdk::POST_DATA);
    let (_, stages) = sign_with_stages(
        &credentials,
        &request,
        Some("1616492376594"),
        Encoding::Current,
    )
    .unwrap();
    let named = stages.to_named();
    let expected = [
        (
            "hmac_key",
            // "python-kraken-sdk unit-test secret value"
            "707974686f6e2d6b72616b656e2d73646b20756e69742d74657374207365637265742076616c7565",
        ),
        ("post_data", sdk::POST_DATA),
        ("endpoint_path", "/api/v3/sendorder"),
        (
            "sha256_input",
            "orderType=lmt&symbol=PI_XBTUSD1616492376594/api/v3/sendorder",
        ),
        (
            "sha256_digest",
            "a569742ec18b414ed77641dd30f2ab360134dd34ebf48e366cc1fa38320b0ec0",
        ),
        (
            "hmac_digest",
            "4f18be8095577b710dd5bad7610e3a16e57a515b445522a173a7583213dbedaf\
             c75d92c6bceea6f54520f8a54aaa12f1adb96538f23ba919076263df25965218",
        ),
        ("authent", sdk::AUTHENT),
    ];
    let named: Vec<(&str, &str)> = named.iter().map(|(n, v)| (*n, v.as_str())).collect();
    assert_eq!(named, expected);
    assert!(format!("{stages:?}").contains("Secret(**redacted**)"));
    assert!(!format!("{stages:?}").contains("707974686f6e"));
}

#[test]
fn verifier_accepts_the_sdk_vector() {
    for (query, body) in sdk_placements() {
        let verifier = verifier(sdk::SECRET);
        let received = sdk_request(query, body)
            .header("APIKey", KEY)
            .header("Authent", sdk::AUTHENT)
            .header("Nonce", "1616492376594");
        let principal = verifier.verify(&received).unwrap();
        assert_eq!(
            (
                principal.api_key.as_str(),
                principal.nonce,
                principal.encoding
            ),
            (KEY, Some(sdk::NONCE), Encoding::Current)
        );
        // The same request again replays an accepted nonce; another nonce is another signed text.
        assert_eq!(
            verifier.verify(&received).map_err(|e| e.code()),
            Err(ErrorCode::NonceStale)
        );
        let renonced = received.header("Nonce", "1616492376595");
        assert_eq!(
            verifier.verify(&renonced).map_err(|e| e.code()),
            Err(ErrorCode::SignatureMismatch)
        );
    }
}

#[test]
fn both_encodings_of_one_request() {
    // Computed with Python's hashlib/hmac from the SDK secret, nonce and path: postData
    // `greeting=hello%20world` hashed as sent (current) and as `greeting=hello world` (legacy).
    const CURRENT: &str =
        "QM59mWOpS9oBf5bh3wcnLQDjlfUyxC6YRk0Get5lSQnGfvH/W0ZWj8uZ8tp/LHU2VL4ayH1/oxU/G+0vDrFnRw==";
    const LEGACY: &str =
        "gWVeFFQTqAIUp9vS5o9IGWfaw/+4i8Gq8nf8wf5GzSdJ3wbBRMTa4uOZnkH+M008qzdYm0EravqR8KUk/uICVA==";
    let signer = FuturesSigner::new(KEY, sdk::SECRET).unwrap();
    let mut out = [0u8; AUTHENT_LEN];
    for (encoding, expected) in [(Encoding::Current, CURRENT), (Encoding::Legacy, LEGACY)] {
        let authent = signer.sign_into(
            sdk::PATH,
            b"greeting=hello%20world",
            b"",
            Some(sdk::NONCE),
            encoding,
            &mut out,
        );
        assert_eq!(authent, Ok(expected));
    }
}

#[test]
fn vendor_docs_secret_is_refused() {
    assert_eq!(VENDOR_DOCS_SECRET.len(), 87);
    let refusals = [
        FuturesSigner::new(KEY, VENDOR_DOCS_SECRET).map(|_| ()),
        FuturesKey::new(KEY, VENDOR_DOCS_SECRET).map(|_| ()),
        sign(
            &Credentials {
                api_key: KEY,
                secret: VENDOR_DOCS_SECRET,
            },
            &sdk_request("", sdk::POST_DATA),
            Some("1616492376594"),
            Encoding::Current,
        )
        .map(|_| ()),
        sign_challenge(VENDOR_DOCS_SECRET, vendor_ws::CHALLENGE).map(|_| ()),
        sign_challenge_with_stages(VENDOR_DOCS_SECRET, vendor_ws::CHALLENGE).map(|_| ()),
    ];
    for refusal in refusals {
        assert_eq!(refusal, Err(SignError::SecretInvalid));
        assert_eq!(refusal.map_err(|e| e.code()), Err(ErrorCode::SecretInvalid));
    }
}

#[test]
fn keyed_mac_state_is_zeroized_on_drop() {
    // As in auth-kraken-spot: the signer keeps only the keyed HMAC state (two SHA-512 cores and a block
    // buffer), whose parts zeroize themselves with the workspace's `zeroize` features. This stops compiling
    // if the feature is dropped.
    fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    zeroized_on_drop::<sha2::block_api::Sha512VarCore>();
}

//! Verifier behaviour beyond single vectors: the check order (KFUT-020), the nonce rules (KFUT-023, -027),
//! state that only advances on acceptance, and Kraken's envelope (KFUT-028), pinned as a snapshot at a fixed
//! clock time.

mod common;

use auth_core::{ErrorCode, HasErrorCode, MemoryNonceStore, NonceStore, NonceWindow};
use auth_kraken_futures::{
    AuthHeader, Encoding, FuturesVerifier, VerifierOptions, VerifyError, format_server_time,
};
use common::{KEY, request, signed, verifier};

fn replay_checked(window: u64) -> VerifierOptions {
    VerifierOptions {
        nonce_window: Some(NonceWindow(window)),
        ..VerifierOptions::default()
    }
}

fn order(nonce: u64) -> auth_core::Request {
    signed(
        request(
            "POST",
            "/derivatives/api/v3/sendorder",
            "",
            "orderType=lmt&symbol=PI_XBTUSD",
        ),
        Some(&nonce.to_string()),
        Encoding::Current,
    )
}

#[test]
fn a_rejected_request_never_advances_the_nonce() {
    let verifier = verifier(replay_checked(0));
    // A bad signature with a high nonce: rejected, state untouched.
    let mut forged = order(900);
    forged.headers.set("Authent", "A".repeat(86) + "==");
    assert_eq!(
        verifier.verify(&forged).unwrap_err().code(),
        ErrorCode::SignatureMismatch
    );
    // A legacy-signed request on a strict verifier, with a high nonce: rejected, state untouched.
    let legacy = signed(
        request(
            "POST",
            "/derivatives/api/v3/sendorder",
            "",
            "cliOrdId=a%20b",
        ),
        Some("800"),
        Encoding::Legacy,
    );
    assert_eq!(
        verifier.verify(&legacy).unwrap_err().code(),
        ErrorCode::SignatureMismatch
    );
    assert_eq!(verifier.nonces().unwrap().highest(KEY), None);
    // So a lower nonce is still accepted afterwards, and only once.
    assert_eq!(verifier.verify(&order(100)).map(|p| p.nonce), Ok(Some(100)));
    assert_eq!(
        verifier.verify(&order(100)).unwrap_err().code(),
        ErrorCode::NonceStale
    );
    assert_eq!(verifier.nonces().unwrap().highest(KEY), Some(100));
}

#[test]
fn the_window_tolerates_out_of_order_nonces_but_not_replays() {
    let verifier = verifier(replay_checked(10));
    for nonce in [100, 105, 97] {
        assert!(verifier.verify(&order(nonce)).is_ok(), "{nonce}");
    }
    assert!(matches!(
        verifier.verify(&order(97)),
        Err(VerifyError::NonceReplayed(_))
    ));
    assert!(matches!(
        verifier.verify(&order(95)),
        Err(VerifyError::NonceStale(_))
    ));
}

#[test]
fn without_a_window_no_store_is_consulted() {
    let verifier = verifier(VerifierOptions::default());
    assert!(verifier.nonces().is_none());
    // The same nonce twice, and a request without one: all accepted.
    assert!(verifier.verify(&order(5)).is_ok());
    assert!(verifier.verify(&order(5)).is_ok());
    let unsigned_nonce = signed(
        request("GET", "/derivatives/api/v3/openpositions", "", ""),
        None,
        Encoding::Current,
    );
    assert_eq!(verifier.verify(&unsigned_nonce).map(|p| p.nonce), Ok(None));
}

#[test]
fn a_caller_store_is_consulted_for_every_nonce() {
    let mut keys = auth_core::MemoryKeyStore::new();
    keys.insert(
        KEY,
        std::sync::Arc::new(auth_kraken_futures::FuturesKey::new(KEY, common::SECRET).unwrap()),
    );
    let store = std::sync::Arc::new(MemoryNonceStore::new(NonceWindow(0)));
    store.check_and_record(KEY, 50).unwrap();
    let verifier = FuturesVerifier::with_nonce_store(
        keys,
        store.clone(),
        auth_core::ManualClock::from_unix_millis(0),
        VerifierOptions::default(),
    );
    assert!(matches!(
        verifier.verify(&order(50)),
        Err(VerifyError::NonceStale(_))
    ));
    assert!(verifier.verify(&order(51)).is_ok());
    assert_eq!(store.highest(KEY), Some(51));
}

#[test]
fn nonce_header_rules() {
    let required = verifier(VerifierOptions {
        require_nonce: true,
        ..VerifierOptions::default()
    });
    let without = signed(
        request("GET", "/api/history/v2/history", "since=1", ""),
        None,
        Encoding::Current,
    );
    assert_eq!(
        required.verify(&without),
        Err(VerifyError::HeaderMissing(AuthHeader::Nonce))
    );
    // An empty `Nonce` is present, not absent: invalid whatever the options.
    let optional = verifier(VerifierOptions::default());
    for text in ["", "01", "+1", "1 ", "18446744073709551616"] {
        let bad = without.clone().header("Nonce", text);
        assert_eq!(
            optional.verify(&bad),
            Err(VerifyError::NonceInvalid),
            "{text:?}"
        );
        assert_eq!(
            required.verify(&bad),
            Err(VerifyError::NonceInvalid),
            "{text:?}"
        );
    }
}

#[test]
fn first_failing_check_wins() {
    let verifier = verifier(VerifierOptions {
        require_nonce: true,
        ..replay_checked(0)
    });
    // Everything wrong at once: the path is checked first.
    let mut request = request("POST", "/derivatives/v3/sendorder", "", "a=1");
    let code = |request: &auth_core::Request| verifier.verify(request).unwrap_err().code();
    assert_eq!(code(&request), ErrorCode::PathInvalid);
    request.path = "/derivatives/api/v3/sendorder?a=1".into();
    assert_eq!(code(&request), ErrorCode::PathInvalid);
    request.path = "/derivatives/api/v3/sendorder".into();
    assert_eq!(code(&request), ErrorCode::HeaderMissing);
    request.headers.set("APIKey", "");
    assert_eq!(code(&request), ErrorCode::HeaderMissing);
    request.headers.set("APIKey", "someone-else");
    assert_eq!(code(&request), ErrorCode::KeyUnknown);
    request.headers.set("APIKey", KEY);
    assert_eq!(
        verifier.verify(&request),
        Err(VerifyError::HeaderMissing(AuthHeader::Authent))
    );
    request.headers.set("Authent", "not base64!");
    assert_eq!(code(&request), ErrorCode::SignatureMalformed);
    request.headers.set("Authent", "A".repeat(84) + "==");
    assert_eq!(code(&request), ErrorCode::SignatureMalformed);
    request.headers.set("Authent", "A".repeat(86) + "==");
    assert_eq!(
        verifier.verify(&request),
        Err(VerifyError::HeaderMissing(AuthHeader::Nonce))
    );
    request.headers.set("Nonce", "007");
    assert_eq!(code(&request), ErrorCode::NonceInvalid);
    request.headers.set("Nonce", "7");
    assert_eq!(code(&request), ErrorCode::SignatureMismatch);
    // Correctly signed, but with a nonce already accepted: the nonce store decides last.
    let good = order(7);
    assert!(verifier.verify(&good).is_ok());
    assert_eq!(code(&good), ErrorCode::NonceStale);
}

#[test]
fn every_rejection_gets_the_same_envelope_at_the_clock_time() {
    let verifier = verifier(VerifierOptions::default());
    assert_eq!(
        format_server_time(auth_core::Clock::now(verifier.clock())),
        "2024-11-15T10:06:57.631Z"
    );
    let errors = [
        VerifyError::PathInvalid,
        VerifyError::HeaderMissing(AuthHeader::ApiKey),
        VerifyError::KeyUnknown,
        VerifyError::HeaderMissing(AuthHeader::Authent),
        VerifyError::SignatureMalformed,
        VerifyError::NonceInvalid,
        VerifyError::HeaderMissing(AuthHeader::Nonce),
        VerifyError::SignatureMismatch,
    ];
    let cases: Vec<_> = errors
        .iter()
        .map(|error| {
            (
                error.code().as_str(),
                error.http_status(),
                verifier.envelope(error),
            )
        })
        .collect();
    insta::assert_json_snapshot!(cases);
    // The clock moves, the envelope follows.
    verifier.clock().advance_millis(1_369);
    assert_eq!(
        verifier.envelope(&VerifyError::KeyUnknown)["serverTime"],
        "2024-11-15T10:06:59.000Z"
    );
}

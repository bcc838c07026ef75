//! Verifier behaviour beyond single vectors: the check order (KSPOT-020), state that only advances on
//! acceptance (KSPOT-028), and Kraken's envelopes (KSPOT-029), pinned as snapshots.

mod common;

use auth_core::{ErrorCode, HasErrorCode};
use auth_kraken_spot::{Permissions, VerifyError};
use common::{KEY, form_request, signed, verifier};

#[test]
fn a_rejected_request_never_advances_the_nonce() {
    let verifier = verifier(0, Permissions::Endpoints(["Balance".to_owned()].into()));
    // Bad signature with a high nonce: rejected, state untouched.
    let mut forged = signed(form_request("/0/private/Balance", "nonce=900"), "900");
    forged.headers.set("API-Sign", "A".repeat(86) + "==");
    assert_eq!(
        verifier.verify(&forged).unwrap_err().code(),
        ErrorCode::SignatureMismatch
    );
    // Permission denied with a high nonce: rejected, state untouched.
    let denied = signed(form_request("/0/private/AddOrder", "nonce=800"), "800");
    assert_eq!(verifier.verify(&denied), Err(VerifyError::PermissionDenied));
    assert_eq!(verifier.nonces().highest(KEY), None);
    // So a lower nonce is still accepted afterwards.
    let ok = signed(form_request("/0/private/Balance", "nonce=100"), "100");
    assert_eq!(verifier.verify(&ok).map(|p| p.nonce), Ok(100));
    assert_eq!(
        verifier.verify(&ok).unwrap_err().code(),
        ErrorCode::NonceStale
    );
}

#[test]
fn first_failing_check_wins() {
    let verifier = verifier(0, Permissions::All);
    // Everything wrong at once: the method is checked first.
    let mut request = form_request("/0/public/Time?x=1", "");
    request.method = "GET".into();
    assert_eq!(
        verifier.verify(&request).unwrap_err().code(),
        ErrorCode::MethodInvalid
    );
    request.method = "POST".into();
    assert_eq!(
        verifier.verify(&request).unwrap_err().code(),
        ErrorCode::PathInvalid
    );
    request.path = "/0/private/Balance".into();
    assert_eq!(
        verifier.verify(&request).unwrap_err().code(),
        ErrorCode::HeaderMissing
    );
    request.headers.set("API-Key", "someone-else");
    assert_eq!(
        verifier.verify(&request).unwrap_err().code(),
        ErrorCode::KeyUnknown
    );
    request.headers.set("API-Key", KEY);
    assert_eq!(
        verifier.verify(&request).unwrap_err().code(),
        ErrorCode::HeaderMissing
    );
    request.headers.set("API-Sign", "not base64!");
    assert_eq!(
        verifier.verify(&request).unwrap_err().code(),
        ErrorCode::SignatureMalformed
    );
    request.headers.set("API-Sign", "A".repeat(86) + "==");
    request.headers.set("Content-Type", "application/json");
    request.body = b"[]".to_vec();
    assert_eq!(
        verifier.verify(&request).unwrap_err().code(),
        ErrorCode::BodyInvalid
    );
    request.body = b"{}".to_vec();
    assert_eq!(
        verifier.verify(&request).unwrap_err().code(),
        ErrorCode::NonceMissing
    );
    request.body = br#"{"nonce":"007"}"#.to_vec();
    assert_eq!(
        verifier.verify(&request).unwrap_err().code(),
        ErrorCode::NonceInvalid
    );
    request.body = br#"{"nonce":7}"#.to_vec();
    assert_eq!(
        verifier.verify(&request).unwrap_err().code(),
        ErrorCode::SignatureMismatch
    );
}

#[test]
fn envelopes_match_kraken() {
    let cases: Vec<_> = [
        VerifyError::KeyUnknown,
        VerifyError::SignatureMismatch,
        VerifyError::NonceMissing,
        VerifyError::PermissionDenied,
        VerifyError::PathInvalid,
    ]
    .iter()
    .map(|error| (error.code().as_str(), error.http_status(), error.envelope()))
    .collect();
    insta::assert_json_snapshot!(cases);
}

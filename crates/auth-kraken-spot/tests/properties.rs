//! Property tests (KSPOT-013..016, -023): whatever the request, what the signer signs the verifier accepts,
//! and any change to path, body, nonce or signature is rejected.

mod common;

use auth_core::{ErrorCode, HasErrorCode};
use auth_kraken_spot::Permissions;
use common::{form_request, signed, verifier};
use proptest::prelude::*;

fn endpoint() -> impl Strategy<Value = String> {
    "[A-Za-z0-9]{1,24}"
}

fn params() -> impl Strategy<Value = String> {
    // Form pairs that never name `nonce`.
    prop::collection::vec(("[a-mo-z][a-z0-9_]{0,8}", "[A-Za-z0-9.%+-]{0,16}"), 0..6).prop_map(
        |pairs| {
            pairs
                .into_iter()
                .map(|(k, v)| format!("&{k}={v}"))
                .collect()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn sign_then_verify_accepts(endpoint in endpoint(), nonce in any::<u64>(), rest in params()) {
        let request = signed(form_request(&format!("/0/private/{endpoint}"), &format!("nonce={nonce}{rest}")), &nonce.to_string());
        let principal = verifier(0, Permissions::All).verify(&request).unwrap();
        prop_assert_eq!(principal.nonce, nonce);
        prop_assert_eq!(principal.endpoint, endpoint);
    }

    #[test]
    fn any_change_is_rejected(endpoint in endpoint(), nonce in 1..u64::MAX, rest in params(), which in 0..5usize, flip in any::<prop::sample::Index>()) {
        let path = format!("/0/private/{endpoint}");
        let body = format!("nonce={nonce}{rest}");
        let mut request = signed(form_request(&path, &body), &nonce.to_string());
        match which {
            // Another endpoint.
            0 => request.path = format!("{path}X"),
            // A body byte after the nonce, or an extra byte.
            1 => request.body.push(b'x'),
            2 => request.body = format!("nonce={}{rest}", nonce - 1).into_bytes(),
            // One signature character replaced by another base64 character.
            3 => {
                let mut sign = request.headers.get("API-Sign").unwrap().as_bytes().to_vec();
                let at = flip.index(86);
                sign[at] = if sign[at] == b'A' { b'B' } else { b'A' };
                request.headers.set("API-Sign", String::from_utf8(sign).unwrap());
            }
            // A different nonce in a re-encoded but equivalent spelling is still a different signed text.
            _ => request.body = format!("nonce=%3{}{}{rest}", nonce.to_string().as_bytes()[0] - b'0', &nonce.to_string()[1..]).into_bytes(),
        }
        let rejected = verifier(0, Permissions::All).verify(&request).unwrap_err();
        // A byte glued to the nonce makes it unreadable; every other change (including a percent-encoded
        // spelling of the same nonce) is caught by the MAC.
        // A replaced last character before the padding may leave non-zero trailing bits: malformed, not merely
        // mismatched.
        let expected: &[ErrorCode] = match which {
            1 if rest.is_empty() => &[ErrorCode::NonceInvalid],
            3 => &[ErrorCode::SignatureMismatch, ErrorCode::SignatureMalformed],
            _ => &[ErrorCode::SignatureMismatch],
        };
        prop_assert!(expected.contains(&rejected.code()), "{:?}", rejected);
    }
}

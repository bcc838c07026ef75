//! Property tests (KV5-006, -009, -023, -024, -028, -029). RSA is slow, so few cases: whatever the JSON body and
//! timestamp, what the signer signs the verifier accepts; any change to the body or the signature is rejected; a
//! timestamp is accepted exactly when it lies within ±300 s of the server's clock, whatever its offset and
//! fraction. Expectations come from the properties themselves and from jiff (formatting, arithmetic).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed setup step should abort the test"
)]

mod common;

use auth_core::{ErrorCode, HasErrorCode, Request};
use auth_kraken_v5::{VerifierOptions, VerifyError};
use common::{CLIENT_A, remote, server_time, signed, signer_a, verifier};
use jiff::tz::Offset;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;

/// A JSON text: nested objects and arrays of strings (any Unicode), numbers, booleans and null.
fn json() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,16}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map("\\PC{0,8}", inner, 0..4)
                .prop_map(|map| serde_json::Value::Object(map.into_iter().collect())),
        ]
    })
    .prop_map(|value| value.to_string())
}

/// An offset of up to ±23:59, whole minutes.
fn offset() -> impl Strategy<Value = Offset> {
    (-(23 * 60 + 59)..=(23 * 60 + 59))
        .prop_map(|minutes: i32| Offset::from_seconds(minutes * 60).unwrap())
}

/// The server's time moved by `delta`, written by jiff in `offset`.
fn timestamp_at(delta: SignedDuration, offset: Offset) -> String {
    (server_time() + delta)
        .display_with_offset(offset)
        .to_string()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn sign_then_verify_accepts(
        body in prop_oneof![1 => Just(String::new()), 4 => json()],
        millis in -300_000_i64..=300_000,
        offset in offset(),
    ) {
        let timestamp = timestamp_at(SignedDuration::from_millis(millis), offset);
        let request = signed(&body, &timestamp);
        prop_assert_eq!(request.headers.get("X-Client-Timestamp"), Some(timestamp.as_str()));
        let principal = verifier(VerifierOptions { replay_cache: true })
            .verify(&request, remote())
            .unwrap();
        prop_assert_eq!(principal.client_id.as_str(), CLIENT_A);
    }

    #[test]
    fn any_change_to_the_body_is_rejected(
        body in json(),
        which in 0..4usize,
        at in any::<prop::sample::Index>(),
    ) {
        let mut request = signed(&body, common::SERVER_TIME);
        match which {
            // Whitespace around a JSON text keeps it valid JSON and changes the bytes.
            0 => request.body.insert(0, b' '),
            1 => request.body.push(b'\n'),
            // Empty instead.
            2 => request.body.clear(),
            // The same JSON value serialized another way, where there is one (pretty-printed).
            _ => {
                let value: serde_json::Value = serde_json::from_str(&body).unwrap();
                let pretty = serde_json::to_string_pretty(&value).unwrap();
                if pretty == body {
                    let i = at.index(request.body.len() + 1);
                    request.body.insert(i.min(request.body.len()), b' ');
                    // A space inside a string or number may break the text: then the body is refused first.
                } else {
                    request.body = pretty.into_bytes();
                }
            }
        }
        let rejected = verifier(VerifierOptions::default()).verify(&request, remote()).unwrap_err();
        prop_assert!(
            matches!(rejected, VerifyError::SignatureMismatch | VerifyError::BodyInvalid),
            "{:?}",
            rejected
        );
        if auth_kraken_v5::is_valid_body(&request.body) {
            prop_assert_eq!(rejected, VerifyError::SignatureMismatch);
        }
    }

    #[test]
    fn any_change_to_the_signature_is_rejected(
        body in json(),
        at in any::<prop::sample::Index>(),
        replacement in "[A-Za-z0-9+/]",
    ) {
        let mut request = signed(&body, common::SERVER_TIME);
        let signature = request.headers.get("X-Client-Signature").unwrap().to_owned();
        // 344 characters: 342 of data (the last carrying 4 unused bits) and `==`.
        let i = at.index(342);
        prop_assume!(signature[i..=i] != replacement);
        let mut changed = signature.clone();
        changed.replace_range(i..=i, &replacement);
        request.headers.set("X-Client-Signature", changed);
        let rejected = verifier(VerifierOptions::default()).verify(&request, remote()).unwrap_err();
        // Non-zero unused bits make the last data character non-canonical: malformed, not merely mismatched.
        let expected: &[ErrorCode] = if i == 341 {
            &[ErrorCode::SignatureMismatch, ErrorCode::SignatureMalformed]
        } else {
            &[ErrorCode::SignatureMismatch]
        };
        prop_assert!(expected.contains(&rejected.code()), "{:?}", rejected);
    }

    #[test]
    fn the_window_is_exactly_300_seconds_each_way(
        nanos in -900_000_000_000_i64..=900_000_000_000,
        edge in prop::sample::select(vec![-300_000_000_000_i64, 300_000_000_000]),
        near in -2_i64..=2,
        use_edge in any::<bool>(),
        offset in offset(),
    ) {
        let nanos = if use_edge { edge + near } else { nanos };
        let timestamp = timestamp_at(SignedDuration::from_nanos(nanos), offset);
        let result = verifier(VerifierOptions::default()).verify(&signed("", &timestamp), remote());
        let expected = if nanos < -300_000_000_000 {
            Err(VerifyError::TimestampStale)
        } else if nanos > 300_000_000_000 {
            Err(VerifyError::TimestampFuture)
        } else {
            Ok(CLIENT_A.to_owned())
        };
        prop_assert_eq!(result.map(|p| p.client_id), expected, "{}", timestamp);
    }
}

#[test]
fn the_signature_does_not_depend_on_anything_but_the_body() {
    let signer = signer_a();
    let signature = |request: &Request, timestamp: &str| {
        signer
            .sign(request, timestamp)
            .unwrap()
            .headers
            .get("X-Client-Signature")
            .unwrap()
            .to_owned()
    };
    let base = Request::new("POST", "/v5/orders").body(common::BODY);
    let reference = signature(&base, common::SERVER_TIME);
    let mut other = Request::with_target("DELETE", "/elsewhere?x=1").body(common::BODY);
    other.headers.set("Content-Type", "application/json");
    assert_eq!(
        signature(&other, &Timestamp::UNIX_EPOCH.to_string()),
        reference
    );
}

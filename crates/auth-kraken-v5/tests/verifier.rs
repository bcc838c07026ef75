//! Verifier behaviour beyond single vectors: the check order one check at a time (KV5-020), the window and expiry
//! edges (KV5-023, -024, -026), the allowlist with IPv4-mapped IPv6 (KV5-027), the replay cache recording only on
//! acceptance (KV5-030), registration (KV5-033), and the (code, status, text) table pinned as a snapshot (KV5-031).

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed setup step should abort the test"
)]

mod common;

use std::net::IpAddr;
use std::sync::Arc;

use auth_core::{ErrorCode, HasErrorCode, ManualClock, MemoryKeyStore, Request, Verifier as _};
use auth_kraken_v5::{
    CONTENT_TYPE, IpNet, IpNetError, MemoryReplayCache, RegistrationError, V5Client, V5Header,
    V5Verifier, VerifierOptions, VerifyError,
};
use common::{
    BODY, CLIENT_A, CLIENT_B, PUB_A, PUB_B, WEAK_PUB, clients, remote, server_time, signed,
    signed_by, signer_b, verifier,
};
use jiff::{SignedDuration, Timestamp};

const REPLAY: VerifierOptions = VerifierOptions { replay_cache: true };

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

/// [`common::SERVER_TIME`] moved by `delta`, as RFC 3339 text.
fn at(delta: SignedDuration) -> String {
    (server_time() + delta).to_string()
}

#[test]
fn first_failing_check_wins() {
    let verifier = verifier(REPLAY);
    let code = |request: &Request, remote: &str| verifier.verify(request, ip(remote)).unwrap_err();
    // Everything wrong at once: no header at all, bad body, from a stranger.
    let mut request = Request::new("POST", "/v5/orders").body("not json");
    let stranger = "192.0.2.1";
    assert_eq!(
        code(&request, stranger),
        VerifyError::HeaderMissing(V5Header::ClientId)
    );
    request.headers.set("X-Client-ID", "");
    assert_eq!(
        code(&request, stranger),
        VerifyError::HeaderMissing(V5Header::ClientId)
    );
    request.headers.set("X-Client-ID", "nobody");
    assert_eq!(
        code(&request, stranger),
        VerifyError::HeaderMissing(V5Header::Signature)
    );
    request.headers.set("X-Client-Signature", "");
    assert_eq!(
        code(&request, stranger),
        VerifyError::HeaderMissing(V5Header::Signature)
    );
    request.headers.set("X-Client-Signature", "not base64!");
    assert_eq!(
        code(&request, stranger),
        VerifyError::HeaderMissing(V5Header::Timestamp)
    );
    request.headers.set("X-Client-Timestamp", "");
    assert_eq!(
        code(&request, stranger),
        VerifyError::HeaderMissing(V5Header::Timestamp)
    );
    request
        .headers
        .set("X-Client-Timestamp", "2024-11-15 10:06:57Z");
    assert_eq!(code(&request, stranger).code(), ErrorCode::TimestampInvalid);
    request
        .headers
        .set("X-Client-Timestamp", "2024-11-15T09:00:00Z");
    assert_eq!(code(&request, stranger), VerifyError::TimestampStale);
    request
        .headers
        .set("X-Client-Timestamp", "2024-11-15T11:00:00Z");
    assert_eq!(code(&request, stranger), VerifyError::TimestampFuture);
    request
        .headers
        .set("X-Client-Timestamp", "2024-11-15T10:06:57Z");
    assert_eq!(code(&request, stranger), VerifyError::KeyUnknown);
    // Client A expires at SERVER_TIME + 1 day: seen from a clock two days later (timestamp moved along).
    request.headers.set("X-Client-ID", CLIENT_A);
    verifier.clock().advance_millis(2 * 86_400_000);
    request
        .headers
        .set("X-Client-Timestamp", at(SignedDuration::from_hours(48)));
    assert_eq!(code(&request, stranger), VerifyError::KeyExpired);
    verifier.clock().set(server_time());
    request
        .headers
        .set("X-Client-Timestamp", at(SignedDuration::ZERO));
    assert_eq!(code(&request, stranger), VerifyError::IpNotAllowed);
    assert_eq!(code(&request, common::REMOTE), VerifyError::BodyInvalid);
    request.body = BODY.into();
    assert_eq!(
        code(&request, common::REMOTE),
        VerifyError::SignatureMalformed
    );
    // Well-formed base64 of 256 bytes that is not the signature.
    request
        .headers
        .set("X-Client-Signature", "A".repeat(342) + "==");
    assert_eq!(
        code(&request, common::REMOTE),
        VerifyError::SignatureMismatch
    );
    // The real signature: accepted once, then the replay cache decides.
    let good = signed(BODY, &at(SignedDuration::ZERO));
    assert!(verifier.verify(&good, remote()).is_ok());
    assert_eq!(code(&good, common::REMOTE), VerifyError::RequestReplayed);
}

#[test]
fn header_names_are_case_insensitive_and_the_first_value_counts() {
    let verifier = verifier(VerifierOptions::default());
    let good = signed(BODY, common::SERVER_TIME);
    let mut lower = Request::new("POST", "/v5/orders").body(BODY);
    for (name, value) in good.headers.iter() {
        lower.headers.append(name.to_ascii_lowercase(), value);
    }
    assert!(verifier.verify(&lower, remote()).is_ok());
    // A duplicate after the first is ignored; one before it decides.
    let mut twice = good.clone();
    twice.headers.append("X-Client-ID", CLIENT_B);
    assert!(verifier.verify(&twice, remote()).is_ok());
}

#[test]
fn window_edges_are_inclusive_at_full_precision() {
    let verifier = verifier(VerifierOptions::default());
    let verify = |timestamp: &str| {
        verifier
            .verify(&signed(BODY, timestamp), remote())
            .map(|principal| principal.client_id)
    };
    // SERVER_TIME is 10:06:57.631Z: the window is [10:01:57.631Z, 10:11:57.631Z].
    for inside in [
        "2024-11-15T10:01:57.631Z",
        "2024-11-15T10:11:57.631Z",
        "2024-11-15T10:11:57.631000000000Z",
        "2024-11-15T10:01:57.6310000001Z",
        "2024-11-15T11:11:57.631+01:00",
        "2024-11-15t05:01:57.631-05:00",
        "2024-11-15T10:06:57Z",
    ] {
        assert_eq!(verify(inside).as_deref(), Ok(CLIENT_A), "{inside}");
    }
    for (outside, error) in [
        ("2024-11-15T10:01:57.630Z", VerifyError::TimestampStale),
        (
            "2024-11-15T10:01:57.630999999999Z",
            VerifyError::TimestampStale,
        ),
        ("2024-11-15T10:11:57.632Z", VerifyError::TimestampFuture),
        (
            "2024-11-15T10:11:57.6310000000001Z",
            VerifyError::TimestampFuture,
        ),
        (
            "2024-11-15T11:11:57.632+01:00",
            VerifyError::TimestampFuture,
        ),
        ("1970-01-01T00:00:00Z", VerifyError::TimestampStale),
        (
            "9999-12-31T23:59:59.999999999-23:59",
            VerifyError::TimestampFuture,
        ),
    ] {
        assert_eq!(
            verifier.verify(&signed(BODY, outside), remote()),
            Err(error),
            "{outside}"
        );
    }
}

#[test]
fn expiry_is_at_or_after_expires_at() {
    let verifier = verifier(VerifierOptions::default());
    let expires: Timestamp = common::EXPIRES_A.parse().unwrap();
    let check = |now: Timestamp| {
        verifier.clock().set(now);
        verifier.verify(&signed(BODY, &now.to_string()), remote())
    };
    let just_before = expires - SignedDuration::from_millis(1);
    assert!(check(just_before).is_ok());
    assert_eq!(check(expires), Err(VerifyError::KeyExpired));
    assert_eq!(
        check(expires + SignedDuration::from_hours(1)),
        Err(VerifyError::KeyExpired)
    );
    // Client B never expires.
    verifier
        .clock()
        .set(Timestamp::from_second(250_000_000_000).unwrap());
    let far = signed_by(
        signer_b(),
        Request::new("GET", "/v5/balance"),
        &verifier.clock().now_text(),
    );
    assert!(verifier.verify(&far, remote()).is_ok());
}

/// The clock's time as RFC 3339 text.
trait NowText {
    fn now_text(&self) -> String;
}

impl NowText for ManualClock {
    fn now_text(&self) -> String {
        auth_core::Clock::now(self).to_string()
    }
}

#[test]
fn expiry_compares_at_full_precision() {
    let client = V5Client::from_config(
        CLIENT_A,
        PUB_A,
        Some("2030-01-01T00:00:00.0000000002Z"),
        &[""; 0],
    )
    .unwrap();
    let expired = |now: &str| client.is_expired_at(&now.parse().unwrap());
    assert!(!expired("2030-01-01T00:00:00Z"));
    assert!(!expired("2030-01-01T00:00:00.0000000001999Z"));
    assert!(expired("2030-01-01T00:00:00.0000000002Z"));
    assert!(expired("2030-01-01T01:00:00.0000000002+01:00"));
    assert!(expired("2030-01-01T00:00:00.00000000021Z"));
    assert!(expired("2030-01-01T00:00:00.000000001Z"));
    // After jiff's last instant, still an instant.
    let late =
        V5Client::from_config(CLIENT_A, PUB_A, Some("9999-12-31T23:59:59Z"), &[""; 0]).unwrap();
    assert!(late.expires_at().is_some());
    assert!(!late.is_expired_at(&Timestamp::MAX.into()));
}

#[test]
fn a_server_time_below_the_nanosecond_is_exact() {
    // The spec's window table: S = 2025-06-01T08:30:00Z; here S itself carries digits below the nanosecond.
    let verifier = verifier(VerifierOptions::default());
    let verify_at = |server_time: &str, timestamp: &str| {
        verifier
            .verify_at(
                &signed(BODY, timestamp),
                Some(remote()),
                &server_time.parse().unwrap(),
            )
            .map(|principal| principal.client_id)
    };
    let s = "2024-11-15T10:06:57.0000000003Z";
    assert_eq!(
        verify_at(s, "2024-11-15T10:01:57.0000000003Z").as_deref(),
        Ok(CLIENT_A)
    );
    assert_eq!(
        verify_at(s, "2024-11-15T10:01:57.00000000029Z"),
        Err(VerifyError::TimestampStale)
    );
    assert_eq!(
        verify_at(s, "2024-11-15T10:11:57.0000000003Z").as_deref(),
        Ok(CLIENT_A)
    );
    assert_eq!(
        verify_at(s, "2024-11-15T10:11:57.00000000031Z"),
        Err(VerifyError::TimestampFuture)
    );
    // A nanosecond clock truncating S would accept this one.
    assert_eq!(
        verify_at(s, "2024-11-15T10:01:57.0000000002Z"),
        Err(VerifyError::TimestampStale)
    );
}

#[test]
fn allowlist_matching() {
    let verifier = verifier(VerifierOptions::default());
    let request = signed(BODY, common::SERVER_TIME);
    let allowed = |remote: &str| verifier.verify(&request, ip(remote)).is_ok();
    // Client A: 203.0.113.7, 198.51.100.0/24, 2001:db8::/32.
    for yes in [
        "203.0.113.7",
        "::ffff:203.0.113.7",
        "198.51.100.0",
        "198.51.100.255",
        "::ffff:198.51.100.42",
        "2001:db8::1",
        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
    ] {
        assert!(allowed(yes), "{yes}");
    }
    for no in [
        "203.0.113.8",
        "203.0.113.6",
        "198.51.101.0",
        "::203.0.113.7",
        "2001:db9::1",
        "::1",
        "127.0.0.1",
        "64:ff9b::cb00:7107",
    ] {
        assert!(!allowed(no), "{no}");
        assert_eq!(
            verifier.verify(&request, ip(no)),
            Err(VerifyError::IpNotAllowed)
        );
    }
}

#[test]
fn the_spec_matching_of_entries_with_host_bits() {
    // A registry refuses `198.51.100.7/24`; the spec's matching reads it as `198.51.100.0/24`.
    let entries: Vec<_> = ["198.51.100.7/24", "::ffff:203.0.113.9/120"]
        .iter()
        .map(|entry| IpNet::parse_masked(entry).unwrap())
        .collect();
    let client = V5Client::new(CLIENT_A, PUB_A, None, entries).unwrap();
    for yes in ["198.51.100.1", "203.0.113.200", "::ffff:198.51.100.255"] {
        assert!(client.allows(ip(yes)), "{yes}");
    }
    for no in ["198.51.101.7", "203.0.114.9"] {
        assert!(!client.allows(ip(no)), "{no}");
    }
}

#[test]
fn a_remote_address_that_is_not_an_address_matches_nothing() {
    // Client B allows every address; without a valid one, check 8 fails, and only check 8.
    let verifier = verifier(VerifierOptions::default());
    let now = server_time().into();
    let by_b = signed_by(
        signer_b(),
        Request::new("GET", "/v5/balance"),
        common::SERVER_TIME,
    );
    assert!(verifier.verify_at(&by_b, Some(remote()), &now).is_ok());
    assert_eq!(
        verifier.verify_at(&by_b, None, &now),
        Err(VerifyError::IpNotAllowed)
    );
    let unknown = Request::new("GET", "/").header("X-Client-ID", "nobody");
    assert_eq!(
        verifier.verify_at(&unknown, None, &now),
        Err(VerifyError::HeaderMissing(V5Header::Signature))
    );
}

#[test]
fn an_empty_allowlist_allows_nothing() {
    let mut keys = MemoryKeyStore::new();
    let client = V5Client::from_config(CLIENT_A, PUB_A, None, &[""; 0]).unwrap();
    keys.insert(CLIENT_A, Arc::new(client));
    let verifier = V5Verifier::new(
        keys,
        ManualClock::new(server_time()),
        VerifierOptions::default(),
    );
    let request = signed(BODY, common::SERVER_TIME);
    for remote in ["203.0.113.7", "::1", "0.0.0.0"] {
        assert_eq!(
            verifier.verify(&request, ip(remote)),
            Err(VerifyError::IpNotAllowed)
        );
    }
}

#[test]
fn the_replay_cache_records_only_on_acceptance() {
    let verifier = verifier(REPLAY);
    let cache = verifier.replay_cache().unwrap();
    let good = signed(BODY, common::SERVER_TIME);
    // The right signature in rejected requests: wrong address, tampered body, expired clock. Nothing recorded.
    assert_eq!(
        verifier.verify(&good, ip("192.0.2.1")),
        Err(VerifyError::IpNotAllowed)
    );
    let mut tampered = good.clone();
    tampered.body = br#"{"pair":"XBTUSD","type":"buy","volume":"12.5"}"#.to_vec();
    assert_eq!(
        verifier.verify(&tampered, remote()),
        Err(VerifyError::SignatureMismatch)
    );
    // Signed by B, sent as A (a wrong key): rejected, nothing recorded for A.
    let mut wrong_key = signed_by(
        signer_b(),
        Request::new("POST", "/").body(BODY),
        common::SERVER_TIME,
    );
    wrong_key.headers.set("X-Client-ID", CLIENT_A);
    assert_eq!(
        verifier.verify(&wrong_key, remote()),
        Err(VerifyError::SignatureMismatch)
    );
    assert!(cache.is_empty());
    // Accepted once; the same signature again is a replay whatever the timestamp, path or method.
    assert!(verifier.verify(&good, remote()).is_ok());
    assert_eq!(cache.len(), 1);
    let mut moved = good.clone();
    moved.method = "PUT".into();
    moved.path = "/v5/elsewhere".into();
    moved
        .headers
        .set("X-Client-Timestamp", at(SignedDuration::from_secs(10)));
    assert_eq!(
        verifier.verify(&moved, remote()),
        Err(VerifyError::RequestReplayed)
    );
    // A replay is not an acceptance: the cache holds the one record.
    assert_eq!(cache.len(), 1);
    // Client B's signature of the same body is another key.
    let by_b = signed_by(
        signer_b(),
        Request::new("POST", "/").body(BODY),
        common::SERVER_TIME,
    );
    assert!(verifier.verify(&by_b, remote()).is_ok());
    assert_eq!(cache.len(), 2);
}

#[test]
fn a_replay_is_caught_as_long_as_the_window_lets_it_through() {
    let verifier = verifier(REPLAY);
    // Accepted at A with a timestamp at the future edge, A + 300 s.
    let request = signed(BODY, &at(SignedDuration::from_secs(300)));
    assert!(verifier.verify(&request, remote()).is_ok());
    // At A + 600 s the window still admits that timestamp, and the cache still holds the entry.
    verifier.clock().advance_millis(600_000);
    assert_eq!(
        verifier.verify(&request, remote()),
        Err(VerifyError::RequestReplayed)
    );
    // One millisecond later the window rejects it by itself.
    verifier.clock().advance_millis(1);
    assert_eq!(
        verifier.verify(&request, remote()),
        Err(VerifyError::TimestampStale)
    );
}

#[test]
fn a_caller_cache_can_be_preloaded() {
    let good = signed(BODY, common::SERVER_TIME);
    let signature = base64_decode(good.headers.get("X-Client-Signature").unwrap());
    let cache = Arc::new(MemoryReplayCache::new());
    // Accepted 10 minutes ago exactly: still live.
    cache.insert(
        CLIENT_A,
        &signature,
        (server_time() - SignedDuration::from_secs(600)).into(),
    );
    let verifier =
        V5Verifier::with_replay_cache(clients(), ManualClock::new(server_time()), cache.clone());
    assert_eq!(
        verifier.verify(&good, remote()),
        Err(VerifyError::RequestReplayed)
    );
    // Accepted 10 minutes and 1 ms ago: expired, so accepted (and re-recorded now).
    cache.insert(
        CLIENT_A,
        &signature,
        (server_time() - SignedDuration::from_millis(600_001)).into(),
    );
    assert!(verifier.verify(&good, remote()).is_ok());
    assert!(cache.contains(CLIENT_A, &signature, &server_time().into()));
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .unwrap()
}

#[test]
fn without_the_cache_a_replay_within_the_window_is_accepted() {
    let verifier = verifier(VerifierOptions::default());
    assert!(verifier.replay_cache().is_none());
    let good = signed(BODY, common::SERVER_TIME);
    assert!(verifier.verify(&good, remote()).is_ok());
    assert!(verifier.verify(&good, remote()).is_ok());
}

#[test]
fn bodies_empty_or_json() {
    let verifier = verifier(VerifierOptions::default());
    for body in ["", "[]", "\"x\"", " {} "] {
        let request = signed(body, common::SERVER_TIME);
        assert!(verifier.verify(&request, remote()).is_ok(), "{body:?}");
    }
    // A body the signer would refuse, with a signature over its bytes made elsewhere: body-invalid decides
    // before the signature is looked at.
    let mut request = signed("", common::SERVER_TIME);
    request.body = b"a=1&b=2".to_vec();
    assert_eq!(
        verifier.verify(&request, remote()),
        Err(VerifyError::BodyInvalid)
    );
}

#[test]
fn pkcs1_public_keys_register_and_verify() {
    let verifier = verifier(VerifierOptions::default());
    let request = signed_by(
        signer_b(),
        Request::new("GET", "/v5/balance"),
        common::SERVER_TIME,
    );
    let principal = verifier.verify(&request, ip("2001:db8::7")).unwrap();
    assert_eq!(principal.client_id, CLIENT_B);
    assert_eq!(
        principal.timestamp,
        common::SERVER_TIME
            .parse::<auth_kraken_v5::ExactInstant>()
            .unwrap()
    );
}

#[test]
fn registration_refusals() {
    let none: &[&str] = &[];
    let register = |id: &str, pem: &str, expires: Option<&str>, ips: &[&str]| {
        V5Client::from_config(id, pem, expires, ips).map(|_| ())
    };
    assert_eq!(
        register("", PUB_A, None, none),
        Err(RegistrationError::ClientIdInvalid)
    );
    assert_eq!(
        register("a b", PUB_A, None, none),
        Err(RegistrationError::ClientIdInvalid)
    );
    assert_eq!(
        register(CLIENT_A, WEAK_PUB, None, none),
        Err(RegistrationError::KeyTooSmall { bits: 1024 })
    );
    // A private key is not a public key.
    assert_eq!(
        register(CLIENT_A, common::KEY_A, None, none),
        Err(RegistrationError::KeyInvalid)
    );
    assert_eq!(
        register(CLIENT_A, "garbage", None, none),
        Err(RegistrationError::KeyInvalid)
    );
    assert_eq!(
        register(CLIENT_A, PUB_A, Some("2030-01-01"), none),
        Err(RegistrationError::ExpiryInvalid)
    );
    assert_eq!(
        register(CLIENT_A, PUB_A, None, &["203.0.113.7", "10.0.0.1/8"]),
        Err(RegistrationError::AllowlistEntry {
            entry: "10.0.0.1/8".into(),
            error: IpNetError::HostBits
        })
    );
    assert!(
        register(
            CLIENT_B,
            PUB_B,
            Some("2030-01-01T00:00:00+02:00"),
            &["::ffff:10.0.0.0/104"]
        )
        .is_ok()
    );
}

#[test]
fn the_auth_core_adapter_binds_the_remote_address() {
    let verifier = verifier(VerifierOptions::default());
    let request = signed(BODY, common::SERVER_TIME);
    assert!(verifier.from_remote(remote()).verify(&request).is_ok());
    assert_eq!(
        verifier.from_remote(ip("192.0.2.1")).verify(&request),
        Err(VerifyError::IpNotAllowed)
    );
}

#[test]
fn every_rejection_has_its_status_and_exact_text() {
    let errors = [
        VerifyError::HeaderMissing(V5Header::ClientId),
        VerifyError::HeaderMissing(V5Header::Signature),
        VerifyError::HeaderMissing(V5Header::Timestamp),
        VerifyError::TimestampInvalid("any reason"),
        VerifyError::TimestampStale,
        VerifyError::TimestampFuture,
        VerifyError::KeyUnknown,
        VerifyError::KeyExpired,
        VerifyError::IpNotAllowed,
        VerifyError::BodyInvalid,
        VerifyError::SignatureMalformed,
        VerifyError::SignatureMismatch,
        VerifyError::RequestReplayed,
    ];
    let table: Vec<_> = errors
        .iter()
        .map(|error| {
            (
                error.code().as_str(),
                error.status(),
                CONTENT_TYPE,
                error.text(),
            )
        })
        .collect();
    insta::assert_json_snapshot!(table);
}

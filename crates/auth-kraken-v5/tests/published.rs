//! The worked examples of `spec/kraken-v5.md` ("Worked examples"), computed there with OpenSSL 3.0 and Python
//! (`hashlib`, `base64`, `cryptography`) on the spec's published test-only key: (a) a JSON body, (b) the empty
//! body, every stage pinned, and (c) the verification table, row by row.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed setup step should abort the test"
)]

use std::sync::Arc;

use auth_core::{ErrorCode, HasErrorCode, ManualClock, MemoryKeyStore, Request};
use auth_kraken_v5::{
    Credentials, MemoryReplayCache, V5Client, V5Verifier, VerifierOptions, sign_with_stages,
};

const KEY: &str = include_str!("data/spec-example.pem");
const PUB: &str = include_str!("data/spec-example.pub.pem");
const CLIENT: &str = "kv5-test-client";
const TIMESTAMP: &str = "2025-06-01T08:30:00Z";
const BODY: &str = r#"{"amount":25000,"reference":"INV-0001"}"#;

const SIGNATURE_A: &str = "aJ4XAONc3/5dvfUwW9SI+WJ+56J9no97dwQLaIL4kTqjVmjC3hFBYS3hdxDyrtjkq8CrfADxBaQ7WrhHF8acpCa55opTPOanTRBFjC8TXlIoD8tcVWE+T8fJis/gLVAnUn49z296SE+6b8UwwbPS9ojAHrfw7PwaH4icww2eyG0K3M7x1u7FRHNrHfOwgM/23mJTKTY+36g6XBs2SmrJmgbapQJNGVR32UeD6etcZQ89CgKC3RoPO3wdAIxm+v/n6zu7yQGuKrRsRHo8RNSsLS6weIe0P9G0faQSKdcAnVqL55K4UIHgy/oH97Tsrux9GYOYD7F3eeWb+yaqfqctsw==";
const SIGNATURE_B: &str = "Y1zD7Ga8451Mx9iRnWix0FLEXu59feVYYQahRz7V/svjlvOgJUKA/8X++azUiMrXtl02a/WM3uaUgXIpldgJqCWAY2EoaUxlwxjlU9YJDGWdLbIm+aBBMeX2G4iBmRKYSt/PnTbjmEmsszFmogcvgustVh2MwCAHhijK50EOsWmx162woixnVaAGjvNYuLVEPzvhFRgqOd2ezhuhf6kNiujsz886eOLgOPfWo7bPEeSAYF+ZKUsVv21AcRi/t9wCf1W8yfTtFBufxMkyVyUrp4eyp4GEq+e08x8gO8aWIFcMWqyIQsAh9Q+CyIs3WUFhSjYFSJ5dSSNheBlcBLmNpQ==";

fn credentials() -> Credentials<'static> {
    Credentials {
        client_id: CLIENT,
        private_key_pem: KEY,
    }
}

fn stage(stages: &[(&'static str, String)], name: &str) -> String {
    stages
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.clone())
        .unwrap()
}

#[test]
fn a_json_body() {
    let request = Request::new("POST", "/example").body(BODY);
    let (output, stages) = sign_with_stages(&credentials(), &request, TIMESTAMP).unwrap();
    let stages = stages.to_named();
    let digest = "7aed8a8a6cbea6c073df2bf08c0d7988cd6e7509922fdf12d7e07191549661ee";
    let digest_info = format!("3031300d060960864801650304020105000420{digest}");
    assert_eq!(stage(&stages, "sha256_input"), BODY);
    assert_eq!(stage(&stages, "sha256_digest"), digest);
    assert_eq!(stage(&stages, "digest_info"), digest_info);
    assert_eq!(
        stage(&stages, "encoded_message"),
        format!("0001{}00{digest_info}", "ff".repeat(202))
    );
    assert_eq!(stage(&stages, "signature"), SIGNATURE_A);
    let headers: Vec<(&str, &str)> = output.headers.iter().collect();
    assert_eq!(
        headers,
        [
            ("X-Client-ID", CLIENT),
            ("X-Client-Signature", SIGNATURE_A),
            ("X-Client-Timestamp", TIMESTAMP),
        ]
    );
    // The timestamp is not signed: another form of it, the same signature.
    let (other, _) =
        sign_with_stages(&credentials(), &request, "2025-06-01T10:30:00+02:00").unwrap();
    assert_eq!(other.headers.get("X-Client-Signature"), Some(SIGNATURE_A));
}

#[test]
fn the_empty_body() {
    let request = Request::new("GET", "/example");
    let (_, stages) = sign_with_stages(&credentials(), &request, TIMESTAMP).unwrap();
    let stages = stages.to_named();
    assert_eq!(stage(&stages, "sha256_input"), "");
    assert_eq!(
        stage(&stages, "sha256_digest"),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(stage(&stages, "signature"), SIGNATURE_B);
}

/// The registry of (c): the spec key, expiring 2026-01-01, two allowlist entries (or no expiry).
fn registry(expires_at: Option<&str>) -> MemoryKeyStore<Arc<V5Client>> {
    let mut clients = MemoryKeyStore::new();
    let client =
        V5Client::from_config(CLIENT, PUB, expires_at, &["203.0.113.7", "198.51.100.0/24"])
            .unwrap();
    clients.insert(CLIENT, Arc::new(client));
    clients
}

fn request_a() -> Request {
    Request::new("POST", "/example")
        .body(BODY)
        .header("X-Client-ID", CLIENT)
        .header("X-Client-Signature", SIGNATURE_A)
        .header("X-Client-Timestamp", TIMESTAMP)
}

/// (status, text) of the answer, or (200, client id) on acceptance.
fn answer(
    server_time: &str,
    remote: &str,
    request: &Request,
    expires_at: Option<&str>,
) -> (u16, String) {
    let verifier = V5Verifier::new(
        registry(expires_at),
        ManualClock::new(server_time.parse().unwrap()),
        VerifierOptions::default(),
    );
    match verifier.verify(request, remote.parse().unwrap()) {
        Ok(principal) => (200, principal.client_id),
        Err(error) => (error.status(), error.text().to_owned()),
    }
}

#[test]
fn verifying_a() {
    let expiry = Some("2026-01-01T00:00:00Z");
    let ok = (200, CLIENT.to_owned());
    let rejected = |status: u16, text: &str| (status, text.to_owned());
    let changed = |change: &dyn Fn(&mut Request)| {
        let mut request = request_a();
        change(&mut request);
        request
    };
    let a = request_a();
    let cases: Vec<(&str, &str, Request, (u16, String))> = vec![
        ("2025-06-01T08:30:00Z", "203.0.113.7", a.clone(), ok.clone()),
        (
            "2025-06-01T08:30:00Z",
            "::ffff:203.0.113.7",
            a.clone(),
            ok.clone(),
        ),
        (
            "2025-06-01T08:30:00Z",
            "198.51.100.200",
            a.clone(),
            ok.clone(),
        ),
        (
            "2025-06-01T08:30:00Z",
            "203.0.113.8",
            a.clone(),
            rejected(401, "Invalid IP address"),
        ),
        ("2025-06-01T08:35:00Z", "203.0.113.7", a.clone(), ok.clone()),
        (
            "2025-06-01T08:35:00.001Z",
            "203.0.113.7",
            a.clone(),
            rejected(401, "Request too old (more than 5 minutes)"),
        ),
        ("2025-06-01T08:25:00Z", "203.0.113.7", a.clone(), ok.clone()),
        (
            "2025-06-01T08:24:59.999Z",
            "203.0.113.7",
            a.clone(),
            rejected(401, "Request timestamp in the future (more than 5 minutes)"),
        ),
        (
            "2026-01-01T00:00:00Z",
            "203.0.113.7",
            changed(&|r| r.headers.set("X-Client-Timestamp", "2026-01-01T00:00:00Z")),
            rejected(401, "Partner credential key expired"),
        ),
        (
            "2025-06-01T08:30:00Z",
            "203.0.113.7",
            changed(&|r| r.body = br#"{"amount":25001,"reference":"INV-0001"}"#.to_vec()),
            rejected(401, "Signature verification failed"),
        ),
        (
            "2025-06-01T08:30:00Z",
            "203.0.113.7",
            changed(&|r| r.headers.set("X-Client-Signature", SIGNATURE_B)),
            rejected(401, "Signature verification failed"),
        ),
        (
            "2025-06-01T08:30:00Z",
            "203.0.113.7",
            changed(&|r| {
                r.headers
                    .set("X-Client-Signature", SIGNATURE_A.trim_end_matches('='))
            }),
            rejected(401, "Signature verification failed"),
        ),
        (
            "2025-06-01T08:30:00Z",
            "203.0.113.7",
            changed(&|r| r.headers.set("X-Client-ID", "kv5-other")),
            rejected(401, "Invalid partner credential key"),
        ),
        (
            "2025-06-01T08:30:00Z",
            "203.0.113.7",
            changed(&|r| r.body = b"amount=25000".to_vec()),
            rejected(401, "Invalid request body"),
        ),
        (
            "2025-06-01T08:30:00Z",
            "203.0.113.7",
            Request::new("POST", "/example")
                .body(BODY)
                .header("X-Client-ID", CLIENT)
                .header("X-Client-Timestamp", TIMESTAMP),
            rejected(400, "Missing X-Client-Signature header"),
        ),
        (
            "2025-06-01T08:30:00Z",
            "203.0.113.7",
            changed(&|r| r.headers.set("X-Client-Timestamp", "2025-06-01T08:30:00")),
            rejected(400, "Invalid timestamp format (use RFC3339)"),
        ),
    ];
    for (server_time, remote, request, expected) in cases {
        assert_eq!(
            answer(server_time, remote, &request, expiry),
            expected,
            "S = {server_time}, R = {remote}"
        );
    }
    // Nine months later, no expiry: a fresh timestamp on the old body and signature is accepted.
    let fresh = changed(&|r| r.headers.set("X-Client-Timestamp", "2026-03-01T12:00:00Z"));
    assert_eq!(
        answer("2026-03-01T12:00:00Z", "203.0.113.7", &fresh, None),
        ok
    );
}

#[test]
fn the_malformed_and_mismatched_codes_of_a() {
    let verifier = V5Verifier::new(
        registry(None),
        ManualClock::new(TIMESTAMP.parse().unwrap()),
        VerifierOptions::default(),
    );
    let code = |signature: &str| {
        let request = request_a().header("X-Client-Signature", signature);
        verifier
            .verify(&request, "203.0.113.7".parse().unwrap())
            .unwrap_err()
            .code()
    };
    assert_eq!(code(SIGNATURE_B), ErrorCode::SignatureMismatch);
    assert_eq!(
        code(SIGNATURE_A.trim_end_matches('=')),
        ErrorCode::SignatureMalformed
    );
}

#[test]
fn replaying_a_within_ten_minutes() {
    let signature = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD
            .decode(SIGNATURE_A)
            .unwrap()
    };
    let verify = |server_time: &str| {
        let cache = MemoryReplayCache::new();
        cache.insert(CLIENT, &signature, TIMESTAMP.parse().unwrap());
        let verifier = V5Verifier::with_replay_cache(
            registry(None),
            ManualClock::new(server_time.parse().unwrap()),
            cache,
        );
        // A timestamp within the window of each server time.
        let request = request_a().header("X-Client-Timestamp", server_time);
        verifier
            .verify(&request, "203.0.113.7".parse().unwrap())
            .map(|principal| principal.client_id)
            .map_err(|error| error.text())
    };
    assert_eq!(verify("2025-06-01T08:30:00Z"), Err("Request replayed"));
    assert_eq!(verify("2025-06-01T08:40:00Z"), Err("Request replayed"));
    assert_eq!(verify("2025-06-01T08:40:00.001Z"), Ok(CLIENT.to_owned()));
}

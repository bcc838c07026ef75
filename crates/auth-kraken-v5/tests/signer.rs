//! Signer behaviour beyond the openssl differential: the refusal order (KV5-002..005, -009), the headers and their
//! order (KV5-001), the timestamp sent as given (KV5-005), the stages and their encodings (KV5-006..008), PEM text
//! variants, and the `auth_core::Signer` shape.

#![allow(
    clippy::unwrap_used,
    reason = "test code: a failed setup step should abort the test"
)]

mod common;

use auth_core::{ErrorCode, HasErrorCode, Request};
use auth_kraken_v5::{
    Credentials, MAX_SIGNATURE_LEN, SignError, V5Client, V5Signer, sign, sign_with_stages,
};
use common::{BODY, CLIENT_A, KEY_A, KEY_B, WEAK_KEY, signer_a, signer_b};

const TIMESTAMP: &str = "2024-11-15T10:06:57.631Z";

fn request(body: &str) -> Request {
    Request::new("POST", "/v5/orders").body(body)
}

#[test]
fn refusal_order() {
    let code = |client_id: &str, pem: &str, timestamp: &str, body: &str| {
        let credentials = Credentials {
            client_id,
            private_key_pem: pem,
        };
        sign(&credentials, &request(body), timestamp)
            .unwrap_err()
            .code()
    };
    // Everything wrong at once: the client id decides, then the key, its size, the timestamp, the body.
    assert_eq!(
        code("", "garbage", "yesterday", "a=1"),
        ErrorCode::ApiKeyInvalid
    );
    assert_eq!(
        code("a b", KEY_A, TIMESTAMP, BODY),
        ErrorCode::ApiKeyInvalid
    );
    assert_eq!(
        code(CLIENT_A, "garbage", "yesterday", "a=1"),
        ErrorCode::KeyInvalid
    );
    assert_eq!(
        code(CLIENT_A, WEAK_KEY, "yesterday", "a=1"),
        ErrorCode::KeyTooSmall
    );
    assert_eq!(
        code(CLIENT_A, KEY_A, "yesterday", "a=1"),
        ErrorCode::TimestampInvalid
    );
    assert_eq!(
        code(CLIENT_A, KEY_A, TIMESTAMP, "a=1"),
        ErrorCode::BodyInvalid
    );
    assert_eq!(
        V5Signer::new(CLIENT_A, WEAK_KEY).unwrap_err(),
        SignError::KeyTooSmall { bits: 1024 }
    );
}

#[test]
fn headers_in_order_with_the_timestamp_as_given() {
    // Lower-case separators, an offset and a long fraction: sent exactly so.
    let timestamp = "2024-11-15t11:06:57.631000000000+01:00";
    let output = signer_a().sign(&request(BODY), timestamp).unwrap();
    let headers: Vec<(&str, &str)> = output.headers.iter().collect();
    assert_eq!(headers.len(), 3);
    assert_eq!(headers[0], ("X-Client-ID", CLIENT_A));
    assert_eq!(headers[1].0, "X-Client-Signature");
    assert_eq!(headers[1].1.len(), 344);
    assert_eq!(headers[2], ("X-Client-Timestamp", timestamp));
}

#[test]
fn deterministic_and_form_independent() {
    // Blinding randomizes the computation, not the result; PKCS#1 and PKCS#8 encodings of one key sign alike.
    let mut first = [0u8; MAX_SIGNATURE_LEN];
    let mut second = [0u8; MAX_SIGNATURE_LEN];
    let a = signer_a().sign_into(BODY.as_bytes(), &mut first).unwrap();
    let b = signer_a().sign_into(BODY.as_bytes(), &mut second).unwrap();
    assert_eq!(a, b);
    let other = signer_b().sign_into(BODY.as_bytes(), &mut second).unwrap();
    assert_ne!(a, other);
    assert_eq!(signer_a().signature_len(), 256);
    assert_eq!(signer_a().modulus_bits(), 2048);
    assert_eq!(signer_b().modulus_bits(), 2048);
}

#[test]
fn stages_for_the_empty_body() {
    let credentials = Credentials {
        client_id: CLIENT_A,
        private_key_pem: KEY_A,
    };
    let (output, stages) = sign_with_stages(&credentials, &request(""), TIMESTAMP).unwrap();
    let named = stages.to_named();
    let names: Vec<&str> = named.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "sha256_input",
            "sha256_digest",
            "digest_info",
            "encoded_message",
            "signature"
        ]
    );
    let value = |name: &str| named.iter().find(|(n, _)| *n == name).unwrap().1.clone();
    assert_eq!(value("sha256_input"), "");
    // SHA-256 of the empty string (FIPS 180-4 examples).
    let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    assert_eq!(value("sha256_digest"), empty);
    assert_eq!(
        value("digest_info"),
        format!("3031300d060960864801650304020105000420{empty}")
    );
    let em = value("encoded_message");
    assert_eq!(em.len(), 512);
    assert_eq!(
        em,
        format!("0001{}00{}", "ff".repeat(202), value("digest_info"))
    );
    assert_eq!(
        Some(value("signature").as_str()),
        output.headers.get("X-Client-Signature")
    );
    // The one-shot and prebuilt forms agree.
    let prebuilt = signer_a().sign(&request(""), TIMESTAMP).unwrap();
    assert_eq!(prebuilt, output);
    assert!(format!("{stages:?}").contains("encoded_message"));
}

#[test]
fn pem_text_variants() {
    let accepts = |pem: &str| V5Signer::new(CLIENT_A, pem).map(|s| s.modulus_bits());
    assert_eq!(accepts(KEY_A), Ok(2048));
    assert_eq!(accepts(KEY_A.trim_end()), Ok(2048));
    assert_eq!(accepts(&format!("\n  {KEY_A}\n\n")), Ok(2048));
    assert_eq!(accepts(&KEY_A.replace('\n', "\r\n")), Ok(2048));
    // The line width is free: 76 characters, or the whole base64 on one line.
    let lines: Vec<&str> = KEY_A.trim_end().lines().collect();
    let base64 = lines[1..lines.len() - 1].concat();
    let wrapped = |width: usize| {
        let chunks: Vec<String> = base64
            .as_bytes()
            .chunks(width)
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        format!(
            "{}\n{}\n{}\n",
            lines[0],
            chunks.join("\n"),
            lines[lines.len() - 1]
        )
    };
    assert_eq!(accepts(&wrapped(76)), Ok(2048));
    assert_eq!(accepts(&wrapped(base64.len())), Ok(2048));
    assert_eq!(accepts(&wrapped(5)), Ok(2048));
    // Not a PEM text: explanatory text outside the block (OpenSSL's `Bag Attributes`) before or after, the whole
    // block on one line, a cut in the base64, a wrong end label, a label that does not fit the content.
    let refused = [
        format!("Bag Attributes\n    friendlyName: a\n{KEY_A}"),
        format!("{KEY_A}trailing text\n"),
        format!("{KEY_A}{KEY_A}"),
        KEY_A.replacen('\n', "\n\n", 2),
        KEY_A.replacen('\n', " \n", 2),
        KEY_A.replace('\n', ""),
        KEY_A.replacen("MII", "MI", 1),
        KEY_A[..KEY_A.len() / 2].to_owned(),
        KEY_A.replace("END PRIVATE KEY", "END RSA PRIVATE KEY"),
        KEY_B.replace("RSA PRIVATE KEY", "PRIVATE KEY"),
        KEY_A.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
    ];
    for pem in refused {
        assert_eq!(accepts(&pem), Err(SignError::KeyInvalid), "{pem}");
    }
}

#[test]
fn the_public_key_registers() {
    let pem = signer_a().public_key_pem();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
    assert_eq!(pem.trim_end(), common::PUB_A.trim_end());
    let client = V5Client::new(CLIENT_A, &pem, None, Vec::new()).unwrap();
    assert_eq!(client.modulus_bits(), 2048);
}

#[test]
fn the_auth_core_signer_shape() {
    fn sign_generic<S: auth_core::Signer<Context = str>>(signer: &S) -> auth_core::SignOutput {
        signer.sign(&request(BODY), TIMESTAMP).ok().unwrap()
    }
    assert_eq!(
        sign_generic(signer_a()),
        signer_a().sign(&request(BODY), TIMESTAMP).unwrap()
    );
    assert_eq!(
        signer_a().sign(&request("{"), TIMESTAMP).unwrap_err(),
        SignError::BodyInvalid
    );
}

#[test]
fn debug_never_shows_the_key() {
    let debug = format!("{:?}", signer_a());
    assert_eq!(
        debug,
        r#"V5Signer { client_id: "partner-a", modulus_bits: 2048, private_key: "**redacted**" }"#
    );
}

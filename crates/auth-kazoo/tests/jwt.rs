//! RS256 tokens (KAZOO-012..014): byte layout, a differential against `openssl dgst -sha256 -sign` for keys
//! generated here by `openssl genrsa` (PKCS#8 and `-traditional` PKCS#1), rejection of tampered tokens and of
//! `alg` `none` / `HS256`, claim-order independence, the expiry boundary, and a round-trip property.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

mod common;

use auth_core::{ErrorCode, HasErrorCode};
use auth_kazoo::{AuthMethod, JWT_HEADER, KazooError, TokenIssuer, TokenPrincipal};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use proptest::prelude::*;

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn issuer() -> TokenIssuer {
    TokenIssuer::from_pem(common::ISSUER_PEM, 3600).unwrap()
}

const IAT: i64 = 1_731_665_217;

#[test]
fn issued_layout() {
    let issued = issuer()
        .issue("acct", "owner", AuthMethod::UserAuth, IAT)
        .unwrap();
    assert_eq!(issued.jwt_header, r#"{"alg":"RS256","typ":"JWT"}"#);
    assert_eq!(
        issued.jwt_claims,
        r#"{"account_id":"acct","owner_id":"owner","method":"cb_user_auth","iat":1731665217,"exp":1731668817}"#
    );
    assert_eq!(
        issued.signing_input,
        format!("{}.{}", b64(JWT_HEADER), b64(&issued.jwt_claims))
    );
    assert_eq!(
        issued.token,
        format!("{}.{}", issued.signing_input, issued.jwt_signature)
    );
    assert_eq!(
        URL_SAFE_NO_PAD.decode(&issued.jwt_signature).unwrap().len(),
        256
    );
    assert_eq!(
        issued.stages().map(|(name, _)| name),
        ["jwt_header", "jwt_claims", "signing_input", "jwt_signature"]
    );
    // Deterministic despite blinding; PKCS#1 and PKCS#8 forms of the key sign alike.
    let again = TokenIssuer::from_pem(common::ISSUER_RSA_PEM, 3600)
        .unwrap()
        .issue("acct", "owner", AuthMethod::UserAuth, IAT)
        .unwrap();
    assert_eq!(again, issued);
    let api = issuer()
        .issue("acct", "", AuthMethod::ApiAuth, IAT)
        .unwrap();
    assert!(
        api.jwt_claims
            .contains(r#""owner_id":"","method":"cb_api_auth""#)
    );
}

#[test]
fn claims_escape_like_json() {
    let issued = issuer()
        .issue("a\"b", "é\\", AuthMethod::UserAuth, 0)
        .unwrap();
    assert_eq!(
        issued.jwt_claims,
        r#"{"account_id":"a\"b","owner_id":"é\\","method":"cb_user_auth","iat":0,"exp":3600}"#
    );
    let principal = issuer().verify(&issued.token, 0).unwrap();
    assert_eq!(
        (principal.account_id.as_str(), principal.owner_id.as_str()),
        ("a\"b", "é\\")
    );
}

#[test]
fn openssl_signs_the_same_bytes() {
    for bits in ["2048", "3072"] {
        let pkcs8 = common::work_dir().join(format!("jwt-{bits}.pem"));
        let pkcs1 = common::work_dir().join(format!("jwt-{bits}.rsa.pem"));
        let pkcs8_path = pkcs8.to_str().unwrap();
        let pkcs1_path = pkcs1.to_str().unwrap();
        common::run("openssl", &["genrsa", "-out", pkcs8_path, bits], b"");
        common::run(
            "openssl",
            &["rsa", "-in", pkcs8_path, "-traditional", "-out", pkcs1_path],
            b"",
        );
        let pkcs8_text = std::fs::read_to_string(&pkcs8).unwrap();
        let pkcs1_text = std::fs::read_to_string(&pkcs1).unwrap();
        assert!(pkcs8_text.starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(pkcs1_text.starts_with("-----BEGIN RSA PRIVATE KEY-----"));
        for (i, (account, owner, method)) in [
            (
                "a0000000000000000000000000000001",
                "u1",
                AuthMethod::UserAuth,
            ),
            ("acct-é", "", AuthMethod::ApiAuth),
        ]
        .into_iter()
        .enumerate()
        {
            for pem in [&pkcs8_text, &pkcs1_text] {
                let issuer = TokenIssuer::from_pem(pem, 60).unwrap();
                let issued = issuer
                    .issue(account, owner, method, IAT + i as i64)
                    .unwrap();
                let theirs = common::run(
                    "openssl",
                    &["dgst", "-sha256", "-sign", pkcs8_path],
                    issued.signing_input.as_bytes(),
                );
                assert_eq!(issued.jwt_signature, b64(&theirs), "{bits} bits");
                // openssl's verification accepts ours.
                let public = common::temp_file("pub", issuer.public_key_pem().as_bytes());
                let signature = common::temp_file(
                    "sig",
                    &URL_SAFE_NO_PAD.decode(&issued.jwt_signature).unwrap(),
                );
                let verified = common::run(
                    "openssl",
                    &[
                        "dgst",
                        "-sha256",
                        "-verify",
                        public.to_str().unwrap(),
                        "-signature",
                        signature.to_str().unwrap(),
                    ],
                    issued.signing_input.as_bytes(),
                );
                assert_eq!(verified, b"Verified OK\n");
                assert_eq!(
                    issuer.verify(&issued.token, IAT).unwrap().account_id,
                    account
                );
            }
        }
    }
}

fn expect_invalid(issuer: &TokenIssuer, token: &str) {
    let error = issuer.verify(token, IAT).unwrap_err();
    assert!(
        matches!(error, KazooError::TokenInvalid(_)),
        "{token}: {error:?}"
    );
    assert_eq!(error.code(), ErrorCode::TokenInvalid);
    assert_eq!(error.status(), 401);
}

#[test]
fn tampered_tokens_are_invalid() {
    let issuer = issuer();
    let issued = issuer
        .issue("acct", "owner", AuthMethod::UserAuth, IAT)
        .unwrap();
    let [header, claims, signature]: [&str; 3] = issued
        .token
        .split('.')
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    // Claims changed (another account), header changed (extra whitespace), signature bit flipped.
    let forged_claims = b64(issued.jwt_claims.replace("acct", "acc2"));
    expect_invalid(&issuer, &format!("{header}.{forged_claims}.{signature}"));
    let spaced_header = b64(r#"{"alg":"RS256", "typ":"JWT"}"#);
    expect_invalid(&issuer, &format!("{spaced_header}.{claims}.{signature}"));
    let mut sig = URL_SAFE_NO_PAD.decode(signature).unwrap();
    sig[100] ^= 1;
    expect_invalid(&issuer, &format!("{header}.{claims}.{}", b64(&sig)));
    // Truncated or extended signature, wrong key.
    expect_invalid(&issuer, &format!("{header}.{claims}.{}", b64(&sig[..255])));
    let other = TokenIssuer::new(
        rsa::RsaPrivateKey::new(&mut rand_like(), 2048).unwrap(),
        3600,
    );
    expect_invalid(&other, &issued.token);
    // Form: parts, base64url, padding, standard alphabet.
    for bad in [
        String::new(),
        "a.b".to_owned(),
        format!("{}.", issued.token),
        format!("{header}.{claims}"),
        format!("{header}.{claims}.{signature}.x"),
        format!("{header}=.{claims}.{signature}"),
        format!("{header}.{claims}.{signature}=="),
        issued.token.replace('-', "+").replace('_', "/"),
        format!(" {}", issued.token),
    ] {
        if bad != issued.token {
            expect_invalid(&issuer, &bad);
        }
    }
    assert!(issuer.verify(&issued.token, IAT).is_ok());
}

/// rsa's key generation wants a rand_core RNG; the OS RNG is what the crate already uses.
fn rand_like() -> impl rsa::rand_core::CryptoRng {
    rsa::rand_core::UnwrapErr(getrandom::SysRng)
}

#[test]
fn other_algorithms_are_invalid() {
    let issuer = issuer();
    let issued = issuer
        .issue("acct", "owner", AuthMethod::UserAuth, IAT)
        .unwrap();
    let claims = b64(&issued.jwt_claims);
    let header = |text: &str| b64(text);
    // alg none, with and without a signature part.
    for token in [
        format!("{}.{claims}.", header(r#"{"alg":"none","typ":"JWT"}"#)),
        format!("{}.{claims}", header(r#"{"alg":"none","typ":"JWT"}"#)),
        format!(
            "{}.{claims}.{}",
            header(r#"{"alg":"none","typ":"JWT"}"#),
            issued.jwt_signature
        ),
        // HS256 with the public key as the HMAC secret (the classic confusion) and with our signature.
        format!(
            "{}.{claims}.{}",
            header(r#"{"alg":"HS256","typ":"JWT"}"#),
            issued.jwt_signature
        ),
        format!(
            "{}.{claims}.{}",
            header(r#"{"alg":"HS256","typ":"JWT"}"#),
            b64([0u8; 32])
        ),
        format!(
            "{}.{claims}.{}",
            header(r#"{"alg":"RS256"}"#),
            issued.jwt_signature
        ),
        format!(
            "{}.{claims}.{}",
            header(r#"{"alg":"RS256","typ":"JWT","kid":"x"}"#),
            issued.jwt_signature
        ),
        format!("{}.{claims}.{}", header("[]"), issued.jwt_signature),
        format!("{}.{claims}.{}", header("not json"), issued.jwt_signature),
    ] {
        expect_invalid(&issuer, &token);
    }
}

/// Signs arbitrary claims text with the fixture key, as a third party holding it would.
fn sign_raw(header: &str, claims: &str) -> String {
    let input = format!("{}.{}", b64(header), b64(claims));
    let path = common::temp_file("key", common::ISSUER_PEM.as_bytes());
    let signature = common::run(
        "openssl",
        &["dgst", "-sha256", "-sign", path.to_str().unwrap()],
        input.as_bytes(),
    );
    format!("{input}.{}", b64(signature))
}

#[test]
fn claims_are_read_in_any_order() {
    let issuer = issuer();
    let token = sign_raw(
        r#"{"typ":"JWT","alg":"RS256"}"#,
        r#"{ "exp": 1731668817, "method": "cb_api_auth", "owner_id": "o", "account_id": "a", "extra": [1] }"#,
    );
    assert_eq!(
        issuer.verify(&token, IAT).unwrap(),
        TokenPrincipal {
            account_id: "a".into(),
            owner_id: "o".into(),
            method: "cb_api_auth".into(),
            iat: None,
            exp: 1_731_668_817,
        }
    );
    // Correctly signed but missing or mistyped claims: invalid.
    for claims in [
        r#"{"account_id":"a","owner_id":"o","method":"m"}"#,
        r#"{"account_id":"a","owner_id":"o","method":"m","exp":"1731668817"}"#,
        r#"{"account_id":1,"owner_id":"o","method":"m","exp":1731668817}"#,
        r#"{"account_id":"a","owner_id":"o","method":"m","exp":1731668817.5}"#,
        r#"[]"#,
    ] {
        expect_invalid(&issuer, &sign_raw(JWT_HEADER, claims));
    }
}

#[test]
fn expiry_boundary() {
    let issuer = issuer();
    let issued = issuer
        .issue("acct", "owner", AuthMethod::UserAuth, IAT)
        .unwrap();
    let exp = IAT + 3600;
    assert_eq!(issuer.verify(&issued.token, IAT).unwrap().exp, exp);
    assert!(issuer.verify(&issued.token, exp - 1).is_ok());
    for now in [exp, exp + 1, i64::MAX] {
        let error = issuer.verify(&issued.token, now).unwrap_err();
        assert_eq!(error, KazooError::TokenExpired);
        assert_eq!(
            (error.code(), error.status()),
            (ErrorCode::TokenExpired, 401)
        );
    }
    // A tampered expired token is invalid, not expired: the signature is checked first.
    let forged = format!(
        "{}.{}.{}",
        b64(JWT_HEADER),
        b64(issued.jwt_claims.replace("1731668817", "1731668818")),
        issued.jwt_signature
    );
    expect_invalid(&issuer, &forged);
}

#[test]
fn bad_keys_are_refused() {
    for pem in [
        "",
        "garbage",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n",
    ] {
        let error = TokenIssuer::from_pem(pem, 3600).unwrap_err();
        assert_eq!(error, KazooError::KeyInvalid);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn tokens_round_trip(
        account in "\\PC{0,24}", owner in "\\PC{0,24}", api in any::<bool>(),
        iat in 0i64..4_000_000_000, offset in 0i64..3600
    ) {
        let issuer = TokenIssuer::from_pem(common::ISSUER_PEM, 3600).unwrap();
        let method = if api { AuthMethod::ApiAuth } else { AuthMethod::UserAuth };
        let issued = issuer.issue(&account, &owner, method, iat).unwrap();
        let principal = issuer.verify(&issued.token, iat + offset).unwrap();
        prop_assert_eq!(principal, TokenPrincipal {
            account_id: account, owner_id: owner, method: method.as_str().to_owned(),
            iat: Some(iat), exp: iat + 3600,
        });
        prop_assert_eq!(issuer.verify(&issued.token, iat + 3600), Err(KazooError::TokenExpired));
    }
}

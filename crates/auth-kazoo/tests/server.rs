//! The server (KAZOO-004..019): client builders against the server, logins by each selector and method,
//! rejections with their codes and statuses, token and Basic verification, and a snapshot of the envelopes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

mod common;

use auth_core::{ErrorCode, HasErrorCode, Request};
use auth_kazoo::{
    AccountSelector, HashMethod, KazooError, api_auth_request, basic_header, parse_basic,
    token_header, user_auth_request,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{ACCOUNT, API_KEY, NOW, OWNER, server, server_at};
use proptest::prelude::*;
use serde_json::json;

fn login(username: &str, password: &str, method: HashMethod, account: AccountSelector) -> Request {
    user_auth_request(username, password, method, &account).to_request()
}

fn body(json: serde_json::Value) -> Request {
    Request::new("PUT", "/v2/user_auth")
        .header("Content-Type", "application/json")
        .body(json.to_string())
}

#[test]
fn user_auth_request_shape() {
    let request = user_auth_request(
        "John@Example.com",
        "m32c6NfqYEt",
        HashMethod::Sha,
        &AccountSelector::Phone("+14155550100".into()),
    );
    assert_eq!(
        request.to_json(),
        json!({"method": "PUT", "path": "/v2/user_auth",
               "headers": {"Content-Type": "application/json"},
               "json": {"data": {"credentials": "055cf886cb9b5c5867083463867c527ace0f8ecc",
                                 "phone_number": "+14155550100", "method": "sha"}}})
    );
    let api = api_auth_request(API_KEY).unwrap();
    assert_eq!(
        api.to_json(),
        json!({"method": "PUT", "path": "/v2/api_auth",
               "headers": {"Content-Type": "application/json"}, "json": {"data": {"api_key": API_KEY}}})
    );
    for bad in [
        &API_KEY[1..],
        &API_KEY.to_uppercase(),
        &format!("{API_KEY}0"),
        "",
    ] {
        let error = api_auth_request(bad).unwrap_err();
        assert_eq!(error.code(), ErrorCode::ApiKeyInvalid);
    }
    assert_eq!(token_header("t.o.k"), ("X-Auth-Token", "t.o.k".to_owned()));
}

#[test]
fn basic_header_stages() {
    let header = basic_header(ACCOUNT, "John@Example.com", "m32c6NfqYEt");
    assert_eq!(header.credentials, "82a2dc91686ec828a67152d45a5c5ef7");
    assert_eq!(
        header.basic_plain,
        format!("{ACCOUNT}:82a2dc91686ec828a67152d45a5c5ef7")
    );
    assert_eq!(
        header.authorization,
        format!("Basic {}", STANDARD.encode(&header.basic_plain))
    );
    assert_eq!(header.name(), "Authorization");
    assert_eq!(
        header.stages().map(|(name, _)| name),
        ["credentials", "basic_plain", "authorization"]
    );
    assert!(!format!("{header:?}").contains("82a2"));
}

#[test]
fn user_auth_by_every_selector_and_method() {
    let server = server();
    for method in [HashMethod::Md5, HashMethod::Sha] {
        for account in [
            AccountSelector::Name("acme".into()),
            AccountSelector::Realm("acme.sip.example.com".into()),
            AccountSelector::Phone("+14155550100".into()),
        ] {
            for username in ["john@example.com", "JOHN@EXAMPLE.COM"] {
                let success = server
                    .user_auth(&login(username, "m32c6NfqYEt", method, account.clone()))
                    .unwrap();
                assert_eq!(success.status, 201);
                assert_eq!(success.body["data"]["account_id"], ACCOUNT);
                assert_eq!(success.body["data"]["owner_id"], OWNER);
                assert_eq!(success.body["data"]["method"], "cb_user_auth");
                assert_eq!(success.body["auth_token"], success.token.token.as_str());
                assert!(
                    success
                        .token
                        .jwt_claims
                        .contains(&format!(r#""iat":{NOW},"exp":{}"#, NOW + 3600))
                );
                // The token authenticates a later call.
                let call = Request::new("GET", "/v2/accounts/x")
                    .header("X-Auth-Token", &success.token.token);
                let principal = server.verify_token(&call).unwrap();
                assert_eq!(
                    (principal.account_id.as_str(), principal.owner_id.as_str()),
                    (ACCOUNT, OWNER)
                );
            }
        }
    }
    // Non-ASCII usernames: only ASCII is lowercased ("émile" registered; "ÉMILE" is another user).
    let accepted = login(
        "émile",
        "pa:ss word",
        HashMethod::Md5,
        AccountSelector::Name("acme".into()),
    );
    assert!(server.user_auth(&accepted).is_ok());
    let refused = login(
        "ÉMILE",
        "pa:ss word",
        HashMethod::Md5,
        AccountSelector::Name("acme".into()),
    );
    assert_eq!(
        server.user_auth(&refused).unwrap_err(),
        KazooError::CredentialsInvalid
    );
    // Same username and password hash in another account: the account decides.
    let other = login(
        "john@example.com",
        "other-password",
        HashMethod::Md5,
        AccountSelector::Name("other".into()),
    );
    assert_eq!(
        server.user_auth(&other).unwrap().body["data"]["account_id"],
        common::OTHER_ACCOUNT
    );
    // `method` absent is Kazoo's default, md5.
    let md5 = auth_kazoo::credentials("john@example.com", "m32c6NfqYEt", HashMethod::Md5);
    assert!(
        server
            .user_auth(&body(
                json!({"data": {"credentials": md5, "account_name": "acme"}})
            ))
            .is_ok()
    );
}

#[test]
fn user_auth_rejections() {
    let server = server();
    let md5 = auth_kazoo::credentials("john@example.com", "m32c6NfqYEt", HashMethod::Md5);
    let sha = auth_kazoo::credentials("john@example.com", "m32c6NfqYEt", HashMethod::Sha);
    let credentials_invalid = [
        // Wrong password, unknown user, unknown account, user of another account, method mismatch,
        // uppercase hex (Kazoo compares the hex as given).
        login(
            "john@example.com",
            "wrong",
            HashMethod::Md5,
            AccountSelector::Name("acme".into()),
        ),
        login(
            "nobody@example.com",
            "m32c6NfqYEt",
            HashMethod::Md5,
            AccountSelector::Name("acme".into()),
        ),
        login(
            "john@example.com",
            "m32c6NfqYEt",
            HashMethod::Md5,
            AccountSelector::Name("nope".into()),
        ),
        login(
            "john@example.com",
            "m32c6NfqYEt",
            HashMethod::Md5,
            AccountSelector::Name("other".into()),
        ),
        body(json!({"data": {"credentials": md5, "account_name": "acme", "method": "sha"}})),
        body(json!({"data": {"credentials": sha, "account_name": "acme"}})),
        body(json!({"data": {"credentials": md5.to_uppercase(), "account_name": "acme"}})),
    ];
    for request in &credentials_invalid {
        let error = server.user_auth(request).unwrap_err();
        assert_eq!(
            (error.code(), error.status()),
            (ErrorCode::CredentialsInvalid, 401),
            "{request:?}"
        );
    }
    let body_invalid = [
        Request::new("PUT", "/v2/user_auth").body("not json"),
        Request::new("PUT", "/v2/user_auth").body(""),
        body(json!([])),
        body(json!({"credentials": md5, "account_name": "acme"})),
        body(json!({"data": "x"})),
        body(json!({"data": {"credentials": md5, "account_name": "acme", "method": "sha1"}})),
        body(json!({"data": {"credentials": md5, "account_name": "acme", "method": 5}})),
        body(json!({"data": {"credentials": md5}})),
        body(
            json!({"data": {"credentials": md5, "account_name": "acme", "phone_number": "+14155550100"}}),
        ),
        body(json!({"data": {"credentials": md5, "account_name": ""}})),
        body(json!({"data": {"credentials": md5, "account_name": 1}})),
        body(json!({"data": {"credentials": "", "account_name": "acme"}})),
        body(json!({"data": {"account_name": "acme"}})),
    ];
    for request in &body_invalid {
        let error = server.user_auth(request).unwrap_err();
        assert_eq!(
            (error.code(), error.status()),
            (ErrorCode::BodyInvalid, 400),
            "{request:?}"
        );
    }
}

#[test]
fn api_auth() {
    let server = server();
    let success = server
        .api_auth(&api_auth_request(API_KEY).unwrap().to_request())
        .unwrap();
    assert_eq!(success.status, 201);
    assert_eq!(
        success.body["data"],
        json!({"account_id": ACCOUNT, "owner_id": "", "method": "cb_api_auth"})
    );
    let call = Request::new("GET", "/v2/x").header("x-auth-token", &success.token.token);
    assert_eq!(server.verify_token(&call).unwrap().method, "cb_api_auth");

    let unknown = api_auth_request(&"f".repeat(64)).unwrap().to_request();
    assert_eq!(
        server.api_auth(&unknown).unwrap_err(),
        KazooError::CredentialsInvalid
    );
    for bad in [
        json!({"data": {"api_key": API_KEY.to_uppercase()}}),
        json!({"data": {"api_key": &API_KEY[1..]}}),
        json!({"data": {}}),
        json!({"api_key": API_KEY}),
    ] {
        let error = server.api_auth(&body(bad)).unwrap_err();
        assert_eq!(
            (error.code(), error.status()),
            (ErrorCode::BodyInvalid, 400)
        );
    }
}

#[test]
fn tokens_expire_with_the_server_clock() {
    let issued = server()
        .user_auth(&login(
            "john@example.com",
            "m32c6NfqYEt",
            HashMethod::Md5,
            AccountSelector::Name("acme".into()),
        ))
        .unwrap();
    let call = Request::new("GET", "/v2/x").header("X-Auth-Token", &issued.token.token);
    // exp = 2024-11-15T11:06:57Z.
    assert!(
        server_at("2024-11-15T11:06:56.999Z")
            .verify_token(&call)
            .is_ok()
    );
    for late in [
        "2024-11-15T11:06:57Z",
        "2024-11-15T11:06:57.001Z",
        "2025-01-01T00:00:00Z",
    ] {
        assert_eq!(
            server_at(late).verify_token(&call).unwrap_err(),
            KazooError::TokenExpired,
            "{late}"
        );
    }
    let missing = server()
        .verify_token(&Request::new("GET", "/v2/x"))
        .unwrap_err();
    assert_eq!(
        (missing.code(), missing.status()),
        (ErrorCode::HeaderMissing, 401)
    );
    let empty = server()
        .verify_token(&Request::new("GET", "/v2/x").header("X-Auth-Token", ""))
        .unwrap_err();
    assert_eq!(empty.code(), ErrorCode::HeaderMissing);
}

fn basic_request(value: &str) -> Request {
    Request::new("GET", "/v2/x").header("Authorization", value)
}

#[test]
fn basic_verification() {
    let server = server();
    let header = basic_header(ACCOUNT, "JOHN@example.com", "m32c6NfqYEt");
    let principal = server
        .verify_basic(&basic_request(&header.authorization))
        .unwrap();
    assert_eq!(
        (principal.account_id.as_str(), principal.owner_id.as_str()),
        (ACCOUNT, OWNER)
    );
    // The scheme name is case-insensitive.
    let lower = header.authorization.replacen("Basic", "basic", 1);
    assert!(server.verify_basic(&basic_request(&lower)).is_ok());

    let encode = |plain: &str| format!("Basic {}", STANDARD.encode(plain));
    let md5 = "82a2dc91686ec828a67152d45a5c5ef7";
    for (value, code) in [
        // Wrong password, wrong account, unknown account, sha credentials, split at the FIRST ':'.
        (
            basic_header(ACCOUNT, "john@example.com", "x").authorization,
            ErrorCode::CredentialsInvalid,
        ),
        (
            basic_header(common::OTHER_ACCOUNT, "john@example.com", "m32c6NfqYEt").authorization,
            ErrorCode::CredentialsInvalid,
        ),
        (
            encode(&format!("nope:{md5}")),
            ErrorCode::CredentialsInvalid,
        ),
        (
            encode(&format!(
                "{ACCOUNT}:055cf886cb9b5c5867083463867c527ace0f8ecc"
            )),
            ErrorCode::CredentialsInvalid,
        ),
        (
            encode(&format!("{ACCOUNT}:{md5}:")),
            ErrorCode::CredentialsInvalid,
        ),
        (
            encode(&format!(":{ACCOUNT}:{md5}")),
            ErrorCode::CredentialsInvalid,
        ),
        // Not Basic, not base64, no colon.
        (
            format!("Bearer {}", STANDARD.encode(format!("{ACCOUNT}:{md5}"))),
            ErrorCode::TokenInvalid,
        ),
        ("Basic".to_owned(), ErrorCode::TokenInvalid),
        (
            STANDARD.encode(format!("{ACCOUNT}:{md5}")),
            ErrorCode::TokenInvalid,
        ),
        ("Basic !!!".to_owned(), ErrorCode::TokenInvalid),
        (
            format!(
                "Basic {}",
                STANDARD
                    .encode(format!("{ACCOUNT}:{md5}"))
                    .trim_end_matches('=')
            ),
            ErrorCode::TokenInvalid,
        ),
        (encode(&format!("{ACCOUNT}{md5}")), ErrorCode::TokenInvalid),
        (
            format!("Basic {}", STANDARD.encode([0xff, b':', b'a'])),
            ErrorCode::TokenInvalid,
        ),
    ] {
        let error = server.verify_basic(&basic_request(&value)).unwrap_err();
        assert_eq!((error.code(), error.status()), (code, 401), "{value}");
    }
    let missing = server
        .verify_basic(&Request::new("GET", "/v2/x"))
        .unwrap_err();
    assert_eq!(missing, KazooError::HeaderMissing("Authorization"));
}

#[test]
fn basic_splits_at_the_first_colon() {
    let (account, credentials) =
        parse_basic(&format!("Basic {}", STANDARD.encode("a:b:c"))).unwrap();
    assert_eq!((account.as_str(), credentials.as_str()), ("a", "b:c"));
    let (account, credentials) = parse_basic(&format!("Basic {}", STANDARD.encode(":"))).unwrap();
    assert_eq!((account.as_str(), credentials.as_str()), ("", ""));
}

#[test]
fn envelopes() {
    let server = server();
    let success = server
        .user_auth(&login(
            "john@example.com",
            "m32c6NfqYEt",
            HashMethod::Md5,
            AccountSelector::Name("acme".into()),
        ))
        .unwrap();
    let meta = server.meta();
    let errors: Vec<_> = [
        KazooError::CredentialsInvalid,
        KazooError::TokenExpired,
        KazooError::TokenInvalid("x"),
        KazooError::HeaderMissing("X-Auth-Token"),
        KazooError::BodyInvalid("x"),
    ]
    .iter()
    .map(|error| json!({"code": error.code().as_str(), "status": error.status(), "body": error.envelope(meta)}))
    .collect();
    insta::assert_json_snapshot!(
        "envelopes",
        json!({
            "success": {"status": success.status, "body": success.body,
                        "stages": success.token.stages().map(|(n, v)| json!({"name": n, "value": v}))},
            "errors": errors,
        })
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn basic_round_trips(account in "[^:]{0,20}", username in "\\PC{0,20}", password in "\\PC{0,20}") {
        let header = basic_header(&account, &username, &password);
        let (parsed_account, credentials) = parse_basic(&header.authorization).unwrap();
        prop_assert_eq!(parsed_account, account);
        prop_assert_eq!(credentials.as_str(), header.credentials.as_str());
    }
}

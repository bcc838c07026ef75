//! The server (HAIV-002, HAIV-010..019): logins, session checks, expiry, roles, logout; the client against the
//! server; a snapshot of the answers.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

use std::collections::HashSet;

use auth_core::{Clock as _, ErrorCode, HasErrorCode, ManualClock, Request};
use auth_haivision::{
    CookieJar, HaivError, MemorySessionStore, Role, Server, ServerConfig, Session, SessionStore,
    format_time, hash_password, is_session_id, login_request, new_session_id, parse_time,
    session_id,
};
use jiff::Timestamp;
use proptest::prelude::*;
use serde_json::{Value, json};

const T0: &str = "2025-06-02T12:00:00Z";
const SID_A: &str = "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0";
const SID_B: &str = "b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1b1";
const ORIGIN: &str = "https://kraken.example.com";
const CALL: &str = "/apis/v2/system/status";

fn t(seconds: i64) -> Timestamp {
    Timestamp::from_second(parse_time(T0).unwrap().as_second() + seconds).unwrap()
}

fn ts(seconds: i64) -> String {
    format_time(t(seconds))
}

fn users() -> Value {
    let user = |name: &str, password: &str, role: &str| json!({"username": name, "password_hash": hash_password(password, format!("salt-{name:>11}").as_bytes(), 1000), "role": role});
    json!([
        user("admin", "adminpw", "haiadmin"),
        user("op", "oppw", "operator"),
        user("viewer", "viewerpw", "user"),
    ])
}

fn session(id: &str, username: &str, role: &str, created: i64, last_seen: i64) -> Value {
    json!({"id": id, "username": username, "role": role, "created_at": ts(created), "last_seen": ts(last_seen)})
}

fn server_with(sessions: Value, now: i64) -> Server<MemorySessionStore, ManualClock> {
    let config: ServerConfig = serde_json::from_value(json!({
        "users": users(), "sessions": sessions, "now": ts(now), "idle_timeout": 900, "absolute_timeout": 43200,
    }))
    .unwrap();
    Server::from_config(&config).unwrap()
}

fn server() -> Server<MemorySessionStore, ManualClock> {
    server_with(
        json!([
            session(SID_A, "admin", "haiadmin", 0, 0),
            session(SID_B, "op", "operator", 0, 0),
        ]),
        0,
    )
}

fn login_body(body: &str) -> Request {
    Request::new("POST", "/apis/v2/login")
        .header("Content-Type", "application/json")
        .body(body)
}

fn call(cookie: &str) -> Request {
    Request::new("GET", CALL).header("Cookie", cookie)
}

fn code<T: std::fmt::Debug>(result: Result<T, HaivError>) -> ErrorCode {
    result.unwrap_err().code()
}

#[test]
fn login_success_exact_answer() {
    let server = server();
    let success = server
        .login(&login_request("op", "oppw").to_request(), true)
        .unwrap();
    let id = success.session.id.clone();
    assert!(is_session_id(&id), "{id}");
    assert_eq!(
        success.response.to_json(),
        json!({
            "status": 204,
            "headers": {
                "Cache-Control": "no-cache, no-store, must-revalidate",
                "Pragma": "no-cache",
                "Expires": "0",
                "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
            },
            "set_cookie": [
                "DisplayUnsavedWarning=; Max-Age=100000; Path=/; Secure; SameSite=Strict",
                format!("id={id}; Path=/; HttpOnly; Secure; SameSite=Strict"),
            ],
            "body": null,
        })
    );
    let header_names: Vec<_> = success
        .response
        .headers
        .iter()
        .map(|(n, _)| n.as_str())
        .collect();
    assert_eq!(
        header_names,
        [
            "Cache-Control",
            "Pragma",
            "Expires",
            "Strict-Transport-Security"
        ]
    );
    assert_eq!(
        success.session.to_json(),
        json!({"id": id, "username": "op", "role": "operator", "created_at": T0, "last_seen": T0})
    );
    // The session is in the store, next to the existing ones.
    assert_eq!(server.store().len(), 3);
    assert_eq!(server.store().get(&id), Some(success.session));
}

#[test]
fn login_snapshot() {
    let server = server();
    let success = server
        .login(&login_request("admin", "adminpw").to_request(), true)
        .unwrap();
    let text = serde_json::to_string_pretty(&json!({
        "response": success.response.to_json(),
        "session": success.session.to_json(),
    }))
    .unwrap()
    .replace(&success.session.id, "<32 random lowercase hex>");
    let failed = HaivError::CredentialsInvalid.response().to_json();
    insta::assert_snapshot!(
        "login",
        format!("{text}\n{}", serde_json::to_string_pretty(&failed).unwrap())
    );
}

#[test]
fn wrong_password_and_unknown_user_answer_the_same() {
    let server = server();
    let wrong = server
        .login(&login_request("op", "wrong").to_request(), true)
        .unwrap_err();
    let unknown = server
        .login(&login_request("nobody", "oppw").to_request(), true)
        .unwrap_err();
    let case = server
        .login(&login_request("OP", "oppw").to_request(), true)
        .unwrap_err();
    for error in [&wrong, &unknown, &case] {
        assert_eq!(error, &HaivError::CredentialsInvalid);
        assert_eq!(error.code(), ErrorCode::CredentialsInvalid);
        assert_eq!(
            error.response().to_json(),
            json!({"status": 401, "headers": {"Content-Type": "application/json"}, "set_cookie": [],
                   "body": {"error": "invalid credentials"}})
        );
    }
    // No session was created.
    assert_eq!(server.store().len(), 2);
}

#[test]
fn login_over_http_refused() {
    let server = server();
    let error = server
        .login(&login_request("op", "oppw").to_request(), false)
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::TransportInsecure);
    assert_eq!(error.status(), 403);
    // Refused before the body is read.
    assert_eq!(
        code(server.login(&login_body("nope"), false)),
        ErrorCode::TransportInsecure
    );
}

#[test]
fn malformed_login_bodies() {
    let server = server();
    for body in [
        "",
        "not json",
        "[]",
        "\"admin\"",
        r#"{"username":"op"}"#,
        r#"{"password":"oppw"}"#,
        r#"{"username":1,"password":"oppw"}"#,
        r#"{"username":"op","password":null}"#,
        r#"{"user":"op","pass":"oppw"}"#,
    ] {
        let error = server.login(&login_body(body), true).unwrap_err();
        assert_eq!(error.code(), ErrorCode::BodyInvalid, "{body}");
        assert_eq!(
            (error.status(), error.body()),
            (400, json!({"error": "invalid request"}))
        );
    }
    // Extra members are fine; an empty username is simply unknown.
    assert!(
        server
            .login(
                &login_body(r#"{"username":"op","password":"oppw","x":1}"#),
                true
            )
            .is_ok()
    );
    assert_eq!(
        code(server.login(&login_body(r#"{"username":"","password":""}"#), true)),
        ErrorCode::CredentialsInvalid
    );
}

#[test]
fn missing_and_unknown_cookies() {
    let server = server();
    let no_cookie = Request::new("GET", CALL);
    assert_eq!(
        code(server.authorize(&no_cookie, true, Role::User)),
        ErrorCode::SessionMissing
    );
    for cookie in [
        "DisplayUnsavedWarning=",
        "id=",
        "ID=abc",
        "sid=abc",
        "xid=abc; idx=abc",
    ] {
        assert_eq!(
            code(server.authorize(&call(cookie), true, Role::User)),
            ErrorCode::SessionMissing,
            "{cookie}"
        );
    }
    for cookie in [
        "id=ffffffffffffffffffffffffffffffff".to_owned(),
        format!("id={}", SID_A.to_uppercase()),
        format!("id={}", &SID_A[1..]),
        format!("id=\"{SID_A}\""),
    ] {
        let error = server
            .authorize(&call(&cookie), true, Role::User)
            .unwrap_err();
        assert_eq!(error.code(), ErrorCode::SessionInvalid, "{cookie}");
        assert_eq!(
            (error.status(), error.body()),
            (401, json!({"error": "unauthorized"}))
        );
    }
    let missing = HaivError::SessionMissing.response();
    assert_eq!(
        (missing.status, missing.body),
        (401, Some(json!({"error": "unauthorized"})))
    );
    // Over http the transport is refused first.
    assert_eq!(
        code(server.authorize(&call(&format!("id={SID_A}")), false, Role::User)),
        ErrorCode::TransportInsecure
    );
}

#[test]
fn cookie_header_forms() {
    let server = server();
    for cookie in [
        format!("id={SID_A}"),
        format!("DisplayUnsavedWarning=; id={SID_A}"),
        format!("a=1;id={SID_A};b=2"),
        format!("  id = {SID_A} "),
        format!("id={SID_A}; Path=/; Secure; HttpOnly;"),
        format!("junk; id={SID_A}"),
    ] {
        let who = server.authorize(&call(&cookie), true, Role::User).unwrap();
        assert_eq!(who.username, "admin", "{cookie}");
    }
    // Only the first `id` piece counts: an empty one means no session cookie.
    assert_eq!(
        code(server.authorize(&call(&format!("id=; id={SID_A}")), true, Role::User)),
        ErrorCode::SessionMissing
    );
    assert_eq!(
        code(server.authorize(&call(&format!("id=ffff; id={SID_A}")), true, Role::User)),
        ErrorCode::SessionInvalid
    );
    // Header name case-insensitive; several Cookie fields.
    let request = Request::new("GET", CALL).header("cookie", format!("id={SID_B}"));
    assert_eq!(session_id(&request), Some(SID_B));
    let mut request = Request::new("GET", CALL);
    request.headers.append("Cookie", "a=1");
    request.headers.append("Cookie", format!("id={SID_B}"));
    assert_eq!(
        server
            .authorize(&request, true, Role::User)
            .unwrap()
            .username,
        "op"
    );
}

fn at_time(
    sessions: Value,
    now: i64,
    required: Role,
) -> Result<auth_haivision::Authorized, HaivError> {
    server_with(sessions, now).authorize(&call(&format!("id={SID_B}")), true, required)
}

#[test]
fn idle_expiry_boundary() {
    let sessions = json!([session(SID_B, "op", "operator", 0, 100)]);
    let ok = at_time(sessions.clone(), 100 + 899, Role::Operator).unwrap();
    assert_eq!(format_time(ok.session.last_seen), ts(999));
    assert_eq!(format_time(ok.session.created_at), ts(0));
    let error = at_time(sessions.clone(), 100 + 900, Role::Operator).unwrap_err();
    assert_eq!(error.code(), ErrorCode::SessionExpired);
    assert_eq!(
        (error.status(), error.body()),
        (401, json!({"error": "unauthorized"}))
    );
    // Milliseconds count: 899.999 s idle is still alive.
    let config: ServerConfig = serde_json::from_value(json!({
        "users": users(), "sessions": sessions, "now": "2025-06-02T12:16:39.999Z",
    }))
    .unwrap();
    let server = Server::from_config(&config).unwrap();
    assert!(
        server
            .authorize(&call(&format!("id={SID_B}")), true, Role::User)
            .is_ok()
    );
    // That call touched the session: idle now counts from 12:16:39.999.
    server.clock().advance_millis(899_999);
    assert!(
        server
            .authorize(&call(&format!("id={SID_B}")), true, Role::User)
            .is_ok()
    );
    server.clock().advance_millis(900_000);
    assert_eq!(
        code(server.authorize(&call(&format!("id={SID_B}")), true, Role::User)),
        ErrorCode::SessionExpired
    );
}

#[test]
fn absolute_expiry_boundary() {
    // Used a minute ago, but created 12 h ago.
    let sessions = json!([session(SID_B, "op", "operator", 0, 43_140)]);
    assert!(at_time(sessions.clone(), 43_199, Role::User).is_ok());
    assert_eq!(
        code(at_time(sessions, 43_200, Role::User)),
        ErrorCode::SessionExpired
    );
    // Expiry is checked before the role.
    let sessions = json!([session(SID_B, "viewer", "user", 0, 0)]);
    assert_eq!(
        code(at_time(sessions, 900, Role::Haiadmin)),
        ErrorCode::SessionExpired
    );
}

#[test]
fn touch_refreshes_idle_expiry() {
    let server = server();
    let cookie = call(&format!("id={SID_B}"));
    // Calls every 10 minutes keep the session alive well past 15 minutes.
    for step in 1..=6 {
        server.clock().set(t(step * 600));
        let who = server.authorize(&cookie, true, Role::User).unwrap();
        assert_eq!(who.session.last_seen, t(step * 600));
        assert_eq!(who.session.created_at, t(0));
        assert_eq!(server.store().get(SID_B).unwrap().last_seen, t(step * 600));
    }
    server.clock().set(t(3600 + 900));
    assert_eq!(
        code(server.authorize(&cookie, true, Role::User)),
        ErrorCode::SessionExpired
    );
    // A rejected call does not touch.
    assert_eq!(server.store().get(SID_B).unwrap().last_seen, t(3600));
    // Both sessions (SID_A was never used) are past their idle lifetime.
    assert_eq!(server.purge_expired(), 2);
    assert!(server.store().is_empty());
}

#[test]
fn roles_rank() {
    assert!(Role::User < Role::Operator && Role::Operator < Role::Haiadmin);
    let cases = [
        ("user", Role::User, true),
        ("user", Role::Operator, false),
        ("user", Role::Haiadmin, false),
        ("operator", Role::User, true),
        ("operator", Role::Operator, true),
        ("operator", Role::Haiadmin, false),
        ("haiadmin", Role::User, true),
        ("haiadmin", Role::Operator, true),
        ("haiadmin", Role::Haiadmin, true),
    ];
    for (role, required, ok) in cases {
        let sessions = json!([session(SID_B, "someone", role, 0, 0)]);
        let result = at_time(sessions, 60, required);
        if ok {
            let who = result.unwrap();
            assert_eq!(
                (who.username.as_str(), who.role.as_str()),
                ("someone", role)
            );
        } else {
            let error = result.unwrap_err();
            assert_eq!(
                error.code(),
                ErrorCode::PermissionDenied,
                "{role} {required}"
            );
            assert_eq!(
                (error.status(), error.body()),
                (403, json!({"error": "forbidden"}))
            );
        }
    }
    assert_eq!("haiadmin".parse::<Role>(), Ok(Role::Haiadmin));
    assert!("admin".parse::<Role>().is_err());
    let bad: Result<ServerConfig, _> = serde_json::from_value(json!({
        "users": [{"username": "x", "password_hash": hash_password("p", b"s", 1), "role": "root"}], "now": T0,
    }));
    assert!(bad.is_err());
}

#[test]
fn logout_then_call_invalid() {
    let server = server();
    let cookie = call(&format!("DisplayUnsavedWarning=; id={SID_A}"));
    server.clock().set(t(60));
    let out = server.logout(&cookie, true).unwrap();
    assert_eq!(out.session_dropped, SID_A);
    assert_eq!(
        out.response.to_json(),
        json!({
            "status": 204,
            "headers": {
                "Cache-Control": "no-cache, no-store, must-revalidate",
                "Pragma": "no-cache",
                "Expires": "0",
                "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
            },
            "set_cookie": ["id=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"],
            "body": null,
        })
    );
    assert_eq!(
        code(server.authorize(&cookie, true, Role::User)),
        ErrorCode::SessionInvalid
    );
    assert_eq!(
        code(server.logout(&cookie, true)),
        ErrorCode::SessionInvalid
    );
    // The other session stays.
    assert!(
        server
            .authorize(&call(&format!("id={SID_B}")), true, Role::User)
            .is_ok()
    );
    // Logout checks like authorize: transport, missing, expired.
    assert_eq!(
        code(server.logout(&call(&format!("id={SID_B}")), false)),
        ErrorCode::TransportInsecure
    );
    assert_eq!(
        code(server.logout(&Request::new("GET", "/apis/v2/logout"), true)),
        ErrorCode::SessionMissing
    );
    server.clock().set(t(60 + 900));
    assert_eq!(
        code(server.logout(&call(&format!("id={SID_B}")), true)),
        ErrorCode::SessionExpired
    );
}

#[test]
fn relogin_issues_a_new_id_and_client_replaces_it() {
    let server = server();
    let now = server.clock().now();
    let mut jar = CookieJar::new();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let success = server
            .login(&login_request("viewer", "viewerpw").to_request(), true)
            .unwrap();
        jar.apply_set_cookies(
            ORIGIN,
            success.response.set_cookie.iter().map(String::as_str),
            now,
        )
        .unwrap();
        ids.push(success.session.id);
    }
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 3);
    // Every session stays on the server; the client holds the latest.
    assert_eq!(server.store().len(), 5);
    let header = jar
        .cookie_header(&format!("{ORIGIN}{CALL}"), now)
        .unwrap()
        .unwrap();
    assert_eq!(header, format!("DisplayUnsavedWarning=; id={}", ids[2]));
    let who = server.authorize(&call(&header), true, Role::User).unwrap();
    assert_eq!((who.username.as_str(), who.role), ("viewer", Role::User));
    // Logout clears the client's cookie too.
    let out = server.logout(&call(&header), true).unwrap();
    jar.apply_set_cookies(
        ORIGIN,
        out.response.set_cookie.iter().map(String::as_str),
        now,
    )
    .unwrap();
    assert_eq!(
        jar.cookie_header(&format!("{ORIGIN}{CALL}"), now)
            .unwrap()
            .as_deref(),
        Some("DisplayUnsavedWarning=")
    );
}

#[test]
fn config_errors() {
    let config = |value: Value| -> Result<Server<MemorySessionStore, ManualClock>, String> {
        let config: ServerConfig = serde_json::from_value(value).map_err(|e| e.to_string())?;
        Server::from_config(&config).map_err(|e| e.to_string())
    };
    assert!(config(json!({"now": "yesterday"})).is_err());
    // A hash in an unsupported layout: the user exists but matches no password.
    let locked = config(json!({"now": T0, "users": [
        {"username": "x", "password_hash": "plain", "role": "user"},
        {"username": "y", "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$AAAA", "role": "user"},
    ]}))
    .unwrap();
    for (user, password) in [("x", "plain"), ("x", ""), ("y", "")] {
        assert_eq!(
            code(locked.login(&login_request(user, password).to_request(), true)),
            ErrorCode::CredentialsInvalid
        );
    }
    let dup_user = json!({"username": "x", "password_hash": "plain", "role": "user"});
    assert!(config(json!({"now": T0, "users": [dup_user.clone(), dup_user]})).is_err());
    let dup = session(SID_A, "admin", "haiadmin", 0, 0);
    assert!(config(json!({"now": T0, "sessions": [dup.clone(), dup]})).is_err());
    let server = config(json!({"now": T0})).unwrap();
    assert_eq!(server.store().len(), 0);
    // Defaults: 900 s idle.
    let sessions = json!([session(SID_B, "op", "operator", 0, 0)]);
    let config: ServerConfig =
        serde_json::from_value(json!({"now": ts(900), "sessions": sessions})).unwrap();
    let server = Server::from_config(&config).unwrap();
    assert_eq!(
        code(server.authorize(&call(&format!("id={SID_B}")), true, Role::User)),
        ErrorCode::SessionExpired
    );
    // Sessions serialize back as given.
    let session: Session =
        serde_json::from_value(session(SID_A, "admin", "haiadmin", 5, 6)).unwrap();
    assert_eq!(
        session.to_json(),
        json!({"id": SID_A, "username": "admin", "role": "haiadmin",
                                         "created_at": "2025-06-02T12:00:05Z", "last_seen": "2025-06-02T12:00:06Z"})
    );
    assert!(!format!("{session:?}").contains(SID_A));
}

#[test]
fn login_never_adopts_the_offered_id() {
    let server = server();
    let request = login_request("op", "oppw")
        .to_request()
        .header("Cookie", format!("id={SID_A}"));
    let success = server.login(&request, true).unwrap();
    assert_ne!(success.session.id, SID_A);
    assert_eq!(server.store().len(), 3);
}

#[test]
fn session_ids_unique_over_many_draws() {
    let ids: HashSet<String> = (0..10_000).map(|_| new_session_id().unwrap()).collect();
    assert_eq!(ids.len(), 10_000);
    assert!(ids.iter().all(|id| is_session_id(id)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn session_ids_are_32_lowercase_hex(draws in 1usize..64) {
        let ids: Vec<String> = (0..draws).map(|_| new_session_id().unwrap()).collect();
        for id in &ids {
            prop_assert_eq!(id.len(), 32);
            prop_assert!(id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')), "{}", id);
        }
        prop_assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    }

    #[test]
    fn unknown_ids_never_authorize(id in "[0-9a-f]{32}") {
        prop_assume!(id != SID_A && id != SID_B);
        let server = server();
        prop_assert_eq!(code(server.authorize(&call(&format!("id={id}")), true, Role::User)), ErrorCode::SessionInvalid);
    }
}

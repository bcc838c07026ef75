//! The client (HAIV-001, HAIV-003..008): the login request, Set-Cookie parsing into the jar, the Cookie header.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed setup step should abort the test"
)]

use auth_haivision::{
    CookieJar, JarCookie, SameSite, SetCookieOutcome, format_time, login_request, parse_time,
};
use jiff::Timestamp;
use proptest::prelude::*;
use serde_json::json;

const ORIGIN: &str = "https://kraken.example.com";
const SID: &str = "0123456789abcdef0123456789abcdef";

fn now() -> Timestamp {
    parse_time("2025-06-02T12:00:00Z").unwrap()
}

fn at(seconds: i64) -> Option<Timestamp> {
    Some(Timestamp::from_second(now().as_second() + seconds).unwrap())
}

fn cookie(name: &str, value: &str, path: &str) -> JarCookie {
    JarCookie {
        name: name.into(),
        value: value.into(),
        path: path.into(),
        secure: false,
        http_only: false,
        same_site: None,
        expires_at: None,
    }
}

fn parse(origin: &str, fields: &[&str], jar: Vec<JarCookie>) -> CookieJar {
    let mut jar = CookieJar::from_entries(jar);
    jar.apply_set_cookies(origin, fields.iter().copied(), now())
        .unwrap();
    jar
}

fn one(field: &str) -> JarCookie {
    let jar = parse(ORIGIN, &[field], vec![]);
    assert_eq!(jar.len(), 1, "{field}");
    jar.entries().remove(0)
}

fn id_cookie() -> JarCookie {
    JarCookie {
        secure: true,
        http_only: true,
        same_site: Some(SameSite::Strict),
        ..cookie("id", SID, "/")
    }
}

#[test]
fn login_request_shape() {
    assert_eq!(
        login_request("admin", "pä ss\"").to_json(),
        json!({"method": "POST", "path": "/apis/v2/login",
               "headers": {"Content-Type": "application/json"},
               "json": {"username": "admin", "password": "pä ss\""}})
    );
    // The client never refuses.
    assert_eq!(
        login_request("", "").json,
        json!({"username": "", "password": ""})
    );
    let request = login_request("a", "b").to_request();
    assert_eq!(request.body, br#"{"password":"b","username":"a"}"#.to_vec());
    assert_eq!(
        request.headers.get("content-type"),
        Some("application/json")
    );
}

#[test]
fn vendor_login_cookies_to_jar_json() {
    let jar = parse(
        ORIGIN,
        &[
            "DisplayUnsavedWarning=; Max-Age=100000; Path=/; Secure; SameSite=Strict",
            &format!("id={SID}; Path=/; HttpOnly; Secure; SameSite=Strict"),
        ],
        vec![],
    );
    assert_eq!(
        jar.to_json(),
        json!([
            {"name": "DisplayUnsavedWarning", "value": "", "path": "/", "secure": true, "http_only": false,
             "same_site": "Strict", "expires_at": "2025-06-03T15:46:40Z"},
            {"name": "id", "value": SID, "path": "/", "secure": true, "http_only": true,
             "same_site": "Strict", "expires_at": null},
        ])
    );
    let back: Vec<JarCookie> = serde_json::from_value(jar.to_json()).unwrap();
    assert_eq!(back, jar.entries());
}

#[test]
fn attribute_names_any_case_any_order() {
    for field in [
        format!("id={SID}; samesite=strict; SECURE; httponly; pAtH=/"),
        format!("id={SID}; Path=/; HttpOnly; Secure; SameSite=Strict"),
        format!(" id = {SID} ;Path = / ;  HttpOnly ; Secure;SameSite = Strict "),
        format!(
            "id={SID}; Priority=High; Path=/; X-Custom=1; HttpOnly; Comment; Secure=yes; SameSite=Strict"
        ),
        format!("id={SID}; Domain=other.example; Path=/; HttpOnly; Secure; SameSite=Strict"),
    ] {
        assert_eq!(one(&field), id_cookie(), "{field}");
    }
}

#[test]
fn same_site_values() {
    assert_eq!(one("a=1; SameSite=Lax").same_site, Some(SameSite::Lax));
    assert_eq!(one("a=1; SameSite=NONE").same_site, Some(SameSite::None));
    assert_eq!(one("a=1; SameSite=bogus").same_site, None);
    assert_eq!(
        one("a=1; SameSite=Lax; SameSite=Strict").same_site,
        Some(SameSite::Strict)
    );
}

#[test]
fn values_kept_as_given() {
    assert_eq!(one(r#"q="quoted value""#).value, r#""quoted value""#);
    assert_eq!(one("a=b=c").value, "b=c");
    assert_eq!(one("p=%20x").value, "%20x");
    assert_eq!(one("e=").value, "");
}

#[test]
fn malformed_fields_ignored() {
    let mut jar = CookieJar::new();
    for field in ["novalue", "=value", "  =x; Path=/", ""] {
        assert_eq!(
            jar.apply_set_cookie(ORIGIN, field, now()).unwrap(),
            SetCookieOutcome::Ignored,
            "{field:?}"
        );
    }
    assert!(jar.is_empty());
    assert!(jar.apply_set_cookie("ftp://h/", "a=1", now()).is_err());
}

#[test]
fn several_fields_several_cookies_sorted() {
    let jar = parse(
        ORIGIN,
        &[
            "zeta=3; Path=/apis",
            "alpha=1",
            "mid=2; Path=/apis/v2; HttpOnly",
            "alpha=0; Path=/apis",
        ],
        vec![],
    );
    let keys: Vec<_> = jar
        .entries()
        .into_iter()
        .map(|c| (c.name, c.path, c.value))
        .collect();
    assert_eq!(
        keys,
        [
            ("alpha".into(), "/".into(), "1".into()),
            ("alpha".into(), "/apis".into(), "0".into()),
            ("mid".into(), "/apis/v2".into(), "2".into()),
            ("zeta".into(), "/apis".into(), "3".into()),
        ]
    );
}

#[test]
fn max_age_and_expires() {
    let expires = "Expires=Wed, 04 Jun 2025 12:00:00 GMT";
    assert_eq!(one(&format!("a=1; {expires}")).expires_at, at(2 * 86_400));
    // Max-Age wins whichever comes first.
    assert_eq!(
        one(&format!("a=1; {expires}; Max-Age=60")).expires_at,
        at(60)
    );
    assert_eq!(
        one(&format!("a=1; Max-Age=60; {expires}")).expires_at,
        at(60)
    );
    // An invalid Max-Age is ignored: Expires applies.
    assert_eq!(
        one(&format!("a=1; Max-Age=; {expires}")).expires_at,
        at(2 * 86_400)
    );
    assert_eq!(
        one(&format!("a=1; Max-Age=1h; {expires}")).expires_at,
        at(2 * 86_400)
    );
    // The last valid Max-Age wins.
    assert_eq!(one("a=1; Max-Age=60; Max-Age=120").expires_at, at(120));
    // An unparsable Expires is ignored: a session cookie.
    assert_eq!(one("a=1; Expires=tomorrow").expires_at, None);
    // `now` with a fraction: expiry in whole seconds.
    let mut jar = CookieJar::new();
    let fractional = parse_time("2025-06-02T12:00:00.750Z").unwrap();
    jar.apply_set_cookie(ORIGIN, "a=1; Max-Age=10", fractional)
        .unwrap();
    assert_eq!(
        format_time(jar.entries()[0].expires_at.unwrap()),
        "2025-06-02T12:00:10Z"
    );
}

#[test]
fn max_age_zero_or_negative_deletes() {
    let warn = JarCookie {
        secure: true,
        same_site: Some(SameSite::Strict),
        expires_at: at(100_000),
        ..cookie("DisplayUnsavedWarning", "", "/")
    };
    let jar = parse(
        ORIGIN,
        &["id=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"],
        vec![warn.clone(), id_cookie()],
    );
    assert_eq!(jar.entries(), std::slice::from_ref(&warn));
    let jar = parse(
        ORIGIN,
        &["DisplayUnsavedWarning=; Max-Age=-1; Path=/; Secure"],
        vec![warn.clone(), id_cookie()],
    );
    assert_eq!(jar.entries(), [id_cookie()]);
    // Max-Age=0 beats a future Expires; a past Expires deletes too.
    for field in [
        "id=x; Max-Age=0; Expires=Wed, 04 Jun 2030 12:00:00 GMT",
        "id=x; Expires=Sun, 01 Jun 2025 12:00:00 GMT",
        "id=x; Expires=Mon, 02 Jun 2025 12:00:00 GMT",
    ] {
        let mut jar = CookieJar::from_entries([id_cookie()]);
        assert_eq!(
            jar.apply_set_cookie(ORIGIN, field, now()).unwrap(),
            SetCookieOutcome::Removed(true),
            "{field}"
        );
        assert!(jar.is_empty());
    }
    let mut jar = CookieJar::new();
    assert_eq!(
        jar.apply_set_cookie(ORIGIN, "id=x; Max-Age=0", now())
            .unwrap(),
        SetCookieOutcome::Removed(false)
    );
}

#[test]
fn secure_from_http_ignored() {
    let jar = parse(
        "http://kraken.example.com",
        &[
            "DisplayUnsavedWarning=; Max-Age=100000; Path=/; Secure; SameSite=Strict",
            "id=ffffffffffffffffffffffffffffffff; Path=/; HttpOnly; Secure; SameSite=Strict",
            "lang=en; Path=/",
        ],
        vec![id_cookie()],
    );
    assert_eq!(jar.entries(), [id_cookie(), cookie("lang", "en", "/")]);
}

#[test]
fn same_name_and_path_replaces() {
    let other = "ffffffffffffffffffffffffffffffff";
    let mut jar = CookieJar::from_entries([id_cookie(), cookie("z", "1", "/")]);
    let outcome = jar
        .apply_set_cookie(
            ORIGIN,
            &format!("id={other}; Path=/; HttpOnly; Secure"),
            now(),
        )
        .unwrap();
    assert_eq!(outcome, SetCookieOutcome::Replaced);
    // In place: jar order kept.
    let names: Vec<_> = jar
        .iter()
        .map(|c| (c.name.as_str(), c.value.as_str()))
        .collect();
    assert_eq!(names, [("id", other), ("z", "1")]);
    // Another path is another cookie.
    let jar = parse(
        ORIGIN,
        &[&format!("id={other}; Path=/apis; HttpOnly; Secure")],
        vec![id_cookie()],
    );
    assert_eq!(jar.len(), 2);
}

#[test]
fn path_defaults() {
    let paths = |origin: &str| -> Vec<(String, String)> {
        parse(
            origin,
            &["a=1", "b=2; Path=", "c=3; Path=apis/v2", "d=4; Path=/x/"],
            vec![],
        )
        .entries()
        .into_iter()
        .map(|c| (c.name, c.path))
        .collect()
    };
    let expected = |default: &str| -> Vec<(String, String)> {
        [("a", default), ("b", default), ("c", default), ("d", "/x/")]
            .map(|(n, p)| (n.to_owned(), p.to_owned()))
            .to_vec()
    };
    assert_eq!(paths(ORIGIN), expected("/"));
    assert_eq!(paths("https://h/apis"), expected("/"));
    assert_eq!(paths("https://h/apis/v2/login?x=/y"), expected("/apis/v2"));
    assert_eq!(paths("https://h/apis/v2/"), expected("/apis/v2"));
}

#[test]
fn expired_jar_entries_are_evicted() {
    let stale = JarCookie {
        expires_at: at(0),
        ..cookie("old", "1", "/")
    };
    let jar = parse(ORIGIN, &["a=1"], vec![stale]);
    assert_eq!(jar.entries(), [cookie("a", "1", "/")]);
}

fn header(jar: &CookieJar, url: &str, now: Timestamp) -> Option<String> {
    jar.cookie_header(url, now).unwrap()
}

#[test]
fn cookie_header_vendor_jar() {
    let jar = parse(
        ORIGIN,
        &[
            "DisplayUnsavedWarning=; Max-Age=100000; Path=/; Secure; SameSite=Strict",
            &format!("id={SID}; Path=/; HttpOnly; Secure; SameSite=Strict"),
        ],
        vec![],
    );
    let url = "https://kraken.example.com/apis/v2/system/status";
    assert_eq!(
        header(&jar, url, now()).as_deref(),
        Some(format!("DisplayUnsavedWarning=; id={SID}").as_str())
    );
    // Secure cookies never go to http.
    assert_eq!(
        header(&jar, "http://kraken.example.com/apis/v2/x", now()),
        None
    );
    // DisplayUnsavedWarning expires after 100000 s; the session cookie does not.
    assert_eq!(
        header(&jar, url, at(100_000).unwrap()).as_deref(),
        Some(format!("id={SID}").as_str())
    );
    assert_eq!(
        header(&jar, url, at(99_999).unwrap()).as_deref(),
        Some(format!("DisplayUnsavedWarning=; id={SID}").as_str())
    );
}

#[test]
/// Longest path first; equal lengths by name, then path (the jar order), not by insertion.
fn cookie_header_order_and_path_match() {
    let jar = CookieJar::from_entries([
        cookie("b", "1", "/"),
        cookie("a", "2", "/apis"),
        cookie("c", "3", "/apis/v2"),
        cookie("a", "4", "/"),
        cookie("d", "5", "/apis/v20"),
        cookie("e", "6", "/apis/v2/"),
    ]);
    assert_eq!(
        header(&jar, "https://h/apis/v2/x", now()).as_deref(),
        Some("e=6; c=3; a=2; a=4; b=1")
    );
    assert_eq!(
        header(&jar, "https://h/apis/v2", now()).as_deref(),
        Some("c=3; a=2; a=4; b=1")
    );
    assert_eq!(
        header(&jar, "https://h/apis/v20", now()).as_deref(),
        Some("d=5; a=2; a=4; b=1")
    );
    assert_eq!(
        header(&jar, "https://h/apisx", now()).as_deref(),
        Some("a=4; b=1")
    );
    assert_eq!(
        header(&jar, "https://h", now()).as_deref(),
        Some("a=4; b=1")
    );
    assert_eq!(
        header(&jar, "https://h?q=/apis/v2", now()).as_deref(),
        Some("a=4; b=1")
    );
    let only_deep = CookieJar::from_entries([cookie("x", "1", "/apis")]);
    assert_eq!(header(&only_deep, "https://h/other", now()), None);
    assert!(only_deep.cookie_header("kraken/apis", now()).is_err());
}

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
}

fn cookie_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9!#$%&'()*+./:<>?@\\[\\]^_`{|}~-]{0,16}",
        "[A-Za-z0-9]{0,8}".prop_map(|v| format!("\"{v}\"")),
    ]
}

fn jar_cookie() -> impl Strategy<Value = JarCookie> {
    (
        token(),
        cookie_value(),
        prop::collection::vec("[a-z0-9]{1,5}", 0..4),
        any::<bool>(),
        any::<bool>(),
        prop::option::of(prop_oneof![
            Just(SameSite::Strict),
            Just(SameSite::Lax),
            Just(SameSite::None)
        ]),
        prop::option::of(1i64..100_000_000),
    )
        .prop_map(
            |(name, value, segments, secure, http_only, same_site, max_age)| JarCookie {
                name,
                value,
                path: format!("/{}", segments.join("/")),
                secure,
                http_only,
                same_site,
                expires_at: max_age.and_then(at),
            },
        )
}

/// A Set-Cookie field for `cookie` at `now()`, attributes in a shuffled order and random case.
fn format_set_cookie(cookie: &JarCookie, order: &[usize], upper: &[bool]) -> String {
    let mut attributes = vec![format!("Path={}", cookie.path)];
    if cookie.secure {
        attributes.push("Secure".into());
    }
    if cookie.http_only {
        attributes.push("HttpOnly".into());
    }
    if let Some(same_site) = cookie.same_site {
        attributes.push(format!("SameSite={same_site:?}"));
    }
    if let Some(expires_at) = cookie.expires_at {
        attributes.push(format!(
            "Max-Age={}",
            expires_at.as_second() - now().as_second()
        ));
    }
    let mut shuffled: Vec<(usize, String)> = attributes
        .into_iter()
        .enumerate()
        .map(|(i, a)| (order.get(i).copied().unwrap_or(i), a))
        .collect();
    shuffled.sort();
    let mut field = format!("{}={}", cookie.name, cookie.value);
    for (i, (_, attribute)) in shuffled.into_iter().enumerate() {
        let (name, value) = attribute.split_once('=').unwrap_or((&attribute, ""));
        let name = if upper.get(i).copied().unwrap_or(false) {
            name.to_ascii_uppercase()
        } else {
            name.to_ascii_lowercase()
        };
        if attribute.contains('=') {
            field.push_str(&format!("; {name}={value}"));
        } else {
            field.push_str(&format!("; {name}"));
        }
    }
    field
}

proptest! {
    #[test]
    fn set_cookie_round_trip(
        cookie in jar_cookie(),
        order in prop::collection::vec(0usize..8, 5),
        upper in prop::collection::vec(any::<bool>(), 5),
    ) {
        let field = format_set_cookie(&cookie, &order, &upper);
        let jar = parse(ORIGIN, &[&field], vec![]);
        prop_assert_eq!(jar.entries(), vec![cookie.clone()], "{}", field);
        // And through the jar JSON.
        let back: Vec<JarCookie> = serde_json::from_value(jar.to_json()).unwrap();
        prop_assert_eq!(back, vec![cookie.clone()]);
        // The header sends it at its own path over https.
        let sent = header(&jar, &format!("https://h{}", cookie.path), now());
        prop_assert_eq!(sent, Some(cookie.pair()));
    }

    #[test]
    fn parse_never_panics(field in "\\PC{0,64}") {
        let mut jar = CookieJar::new();
        let _ = jar.apply_set_cookie(ORIGIN, &field, now());
        prop_assert!(jar.len() <= 1);
    }
}

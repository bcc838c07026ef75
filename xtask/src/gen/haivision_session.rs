//! Random `haivision-session` vectors (spec/haivision-session.md): the client ops, whose answers are deterministic.
//!
//! Vector `i` is, by `i mod 4`: 0 `login-request`, 1 and 3 `parse-set-cookie`, 2 `cookie-header`.
//!
//! - `login-request`: any two strings (HAIV-001): names, non-ASCII, quotes, backslashes, controls, the empty text.
//! - `parse-set-cookie` (HAIV-003 to HAIV-007): an `https://` origin (sometimes `http://`) with an optional port
//!   and path; `now` a random time (fraction and offset sometimes); an input jar of 0 to 3 valid entries; 1 to 4
//!   `Set-Cookie` values, each a name (often one the jar holds) and a value of cookie-octets (sometimes quoted,
//!   sometimes padded with spaces, which are trimmed) followed by attributes in random order, with names in random
//!   case and separators with or without spaces: `Path` (`/`, `/apis`, `/apis/v2`, `/apis/`, empty or not
//!   starting with `/`, which mean the default-path), `Secure`, `HttpOnly`, `SameSite` (a valid value in any case,
//!   or another value, which is ignored), `Max-Age` (positive up to 400 days, leading zeros, zero, negative, or
//!   not digits), `Expires` (an HTTP date in one of three forms, up to 400 days before or after `now`, or not a
//!   date), `Domain` and unknown attributes (ignored), sometimes an attribute twice; rarely a field without `=` or
//!   with an empty name (ignored whole). From an `http://` origin the input jar holds no `Secure` entry, so no
//!   answer from `http://` meets a `Secure` cookie (RFC 6265bis's overwrite rule, which the spec leaves to a
//!   SHOULD, never applies).
//! - `cookie-header` (HAIV-007, HAIV-008): an `https://` or `http://` URL with a path (sometimes empty, a query or a
//!   fragment), a jar of 1 to 6 entries in random order with paths that path-match or not, `Secure` or not, session
//!   cookies or expiring before, at or after `now`; one entry with path `/`, not `Secure` and not expired always
//!   applies, so the expected `Cookie` header is exact (an expected `{}` would accept any answer).

use serde_json::{Map, Value, json};

use super::Draft;
use super::rng::Rng;
use super::text;

/// Cookie-octets of RFC 6265 section 4.1.1 (no space, `"`, `,`, `;` or `\`).
const COOKIE_OCTETS: &str =
    "!#$%&'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// Token characters for cookie names (RFC 9110 `tchar`).
const TOKEN: &str = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

const HOSTS: &[&str] = &["kraken.example.com", "10.0.0.5", "kraken-01.local"];

/// At most 400 days, in seconds (the spec's bound on `Max-Age` and `Expires`).
const MAX_AGE: i64 = 34_560_000;

/// Draws vector `index` (module doc).
pub(super) fn draw(rng: &mut Rng, index: u64) -> Result<Draft, String> {
    Ok(match index % 4 {
        0 => login_request(rng),
        2 => cookie_header(rng),
        _ => parse_set_cookie(rng),
    })
}

fn login_request(rng: &mut Rng) -> Draft {
    let username = login_field(rng);
    let password = login_field(rng);
    Draft {
        op: "login-request",
        description: format!(
            "A random login request: username of {} characters, password of {} characters.",
            username.chars().count(),
            password.chars().count()
        ),
        requirements: vec!["HAIV-001"],
        input: json!({"username": username, "password": password}),
        stages: None,
    }
}

/// A login username or password: any string (module doc).
fn login_field(rng: &mut Rng) -> String {
    match rng.weighted(&[40, 40, 10, 10]) {
        0 => rng.text_from(text::ALNUM, 1, 16),
        1 => text::value_text(rng, 1, 32),
        2 => {
            let mut s = text::value_text(rng, 0, 8);
            s.push(*rng.pick(&['"', '\\', '\n', '\t', '\u{0}', '\u{7f}', '\u{2028}']));
            s.push_str(&text::value_text(rng, 0, 8));
            s
        }
        _ => String::new(),
    }
}

/// `now`: a random instant in whole seconds and its RFC 3339 text (a fraction and a non-zero offset sometimes).
fn now(rng: &mut Rng) -> (i64, String) {
    let seconds = text::instant(rng);
    let fraction = text::fraction(rng);
    let text = if rng.percent(10) {
        let offset = i64::try_from(rng.range(0, 14 * 60)).unwrap_or(0)
            * if rng.percent(50) { 1 } else { -1 };
        let local = text::utc_seconds_text(seconds + offset * 60);
        let sign = if offset < 0 { '-' } else { '+' };
        format!(
            "{}{fraction}{sign}{:02}:{:02}",
            &local[..19],
            offset.abs() / 60,
            offset.abs() % 60
        )
    } else {
        let utc = text::utc_seconds_text(seconds);
        format!("{}{fraction}Z", &utc[..19])
    };
    (seconds, text)
}

fn cookie_name(rng: &mut Rng) -> String {
    match rng.weighted(&[30, 20, 50]) {
        0 => "id".to_owned(),
        1 => (*rng.pick(&["DisplayUnsavedWarning", "ID", "theme", "lang"])).to_owned(),
        _ => rng.text_from(TOKEN, 1, 12),
    }
}

fn cookie_value(rng: &mut Rng) -> String {
    match rng.weighted(&[20, 60, 10, 10]) {
        0 => text::hex(&rng.bytes(16)),
        1 => rng.text_from(COOKIE_OCTETS, 0, 40),
        2 => format!("\"{}\"", rng.text_from(COOKIE_OCTETS, 0, 20)),
        _ => String::new(),
    }
}

/// A valid jar entry (`expires_at` null or after `now`, so it is a cookie the client could hold).
fn jar_entry(rng: &mut Rng, name: String, path: String, secure: bool, now: i64) -> Value {
    let expires_at = if rng.percent(50) {
        Value::Null
    } else {
        Value::from(text::utc_seconds_text(
            now + i64::try_from(rng.range(1, MAX_AGE as u64)).unwrap_or(1),
        ))
    };
    json!({
        "name": name,
        "value": cookie_value(rng),
        "path": path,
        "secure": secure,
        "http_only": rng.percent(50),
        "same_site": *rng.pick(&[Value::Null, Value::from("Strict"), Value::from("Lax"), Value::from("None")]),
        "expires_at": expires_at,
    })
}

fn parse_set_cookie(rng: &mut Rng) -> Draft {
    let https = rng.percent(85);
    let origin_path = *rng.pick(&[
        "",
        "",
        "/",
        "/apis/v2/login",
        "/apis/v2/",
        "/apis",
        "/a/b/c",
    ]);
    let port = if rng.percent(20) {
        format!(":{}", rng.range(1, 65535))
    } else {
        String::new()
    };
    let origin = format!(
        "{}://{}{port}{origin_path}",
        if https { "https" } else { "http" },
        rng.pick(HOSTS)
    );
    let (now, now_text) = now(rng);
    const PATHS: &[&str] = &["/", "/", "/apis", "/apis/v2", "/apis/"];

    let mut jar: Vec<Value> = Vec::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    for _ in 0..rng.size(0, 3) {
        let name = cookie_name(rng);
        let path = (*rng.pick(PATHS)).to_owned();
        if keys.contains(&(name.clone(), path.clone())) {
            continue;
        }
        keys.push((name.clone(), path.clone()));
        let secure = https && rng.percent(50);
        jar.push(jar_entry(rng, name, path, secure, now));
    }

    let lines: Vec<String> = (0..rng.size(1, 4))
        .map(|_| {
            let name = match keys.len() {
                0 => cookie_name(rng),
                n if rng.percent(40) => keys[rng.size(0, n - 1)].0.clone(),
                _ => cookie_name(rng),
            };
            set_cookie_line(rng, name, now)
        })
        .collect();
    Draft {
        op: "parse-set-cookie",
        description: format!(
            "{} random Set-Cookie values from {origin} at {now_text}, into a jar of {} entries.",
            lines.len(),
            jar.len()
        ),
        requirements: vec!["HAIV-003", "HAIV-004"],
        input: json!({"origin": origin, "set_cookie": lines, "jar": jar, "now": now_text}),
        stages: None,
    }
}

/// One `Set-Cookie` value (module doc).
fn set_cookie_line(rng: &mut Rng, name: String, now: i64) -> String {
    let mut value = cookie_value(rng);
    let mut name = name;
    if rng.percent(5) {
        name = format!(" {name}");
        value = format!("{value}\t ");
    }
    let first = match rng.weighted(&[94, 3, 3]) {
        0 => format!("{name}={value}"),
        1 => rng.text_from(TOKEN, 1, 10),
        _ => format!("={value}"),
    };
    let mut attributes: Vec<String> = Vec::new();
    let case = |rng: &mut Rng, attr: &str| -> String {
        match rng.weighted(&[70, 10, 10, 10]) {
            0 => attr.to_owned(),
            1 => attr.to_ascii_lowercase(),
            2 => attr.to_ascii_uppercase(),
            _ => attr
                .chars()
                .map(|c| {
                    if rng.percent(50) {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect(),
        }
    };
    if rng.percent(60) {
        let path = *rng.pick(&["/", "/", "/apis", "/apis/v2", "/apis/", "", "apis"]);
        attributes.push(format!("{}={path}", case(rng, "Path")));
    }
    if rng.percent(50) {
        attributes.push(case(rng, "Secure"));
    }
    if rng.percent(50) {
        attributes.push(case(rng, "HttpOnly"));
    }
    if rng.percent(60) {
        let value = match rng.weighted(&[80, 10, 10]) {
            0 => (*rng.pick(&["Strict", "Lax", "None"])).to_owned(),
            1 => (*rng.pick(&["strict", "LAX", "none", "sTrIcT"])).to_owned(),
            _ => (*rng.pick(&["Foo", "", "Strict1"])).to_owned(),
        };
        attributes.push(format!("{}={value}", case(rng, "SameSite")));
    }
    if rng.percent(35) {
        let delta = match rng.weighted(&[70, 10, 10, 10]) {
            0 => rng.range(1, MAX_AGE as u64).to_string(),
            1 => format!("00{}", rng.range(1, 99_999)),
            2 => (*rng.pick(&["0", "-1", "-100000"])).to_owned(),
            _ => (*rng.pick(&["1e3", "+60", "1.5", "", "abc"])).to_owned(),
        };
        attributes.push(format!("{}={delta}", case(rng, "Max-Age")));
    }
    if rng.percent(30) {
        let date = if rng.percent(90) {
            let at = now + i64::try_from(rng.range(0, 2 * MAX_AGE as u64)).unwrap_or(0) - MAX_AGE;
            text::http_date(at, rng.size(0, 2))
        } else {
            (*rng.pick(&["tomorrow", "0", "2025-06-01T08:30:00Z"])).to_owned()
        };
        attributes.push(format!("{}={date}", case(rng, "Expires")));
    }
    if rng.percent(10) {
        attributes.push(format!("{}={}", case(rng, "Domain"), rng.pick(HOSTS)));
    }
    if rng.percent(5) {
        attributes.push((*rng.pick(&["Priority=High", "Partitioned", "Foo=bar", ""])).to_owned());
    }
    if rng.percent(5) && !attributes.is_empty() {
        let again = attributes[rng.size(0, attributes.len() - 1)].clone();
        attributes.push(again);
    }
    // Random order.
    for i in (1..attributes.len()).rev() {
        let j = rng.size(0, i);
        attributes.swap(i, j);
    }
    let mut line = first;
    for attribute in attributes {
        line.push_str(rng.pick_str(&["; ", "; ", "; ", ";", " ; ", ";  "]));
        line.push_str(&attribute);
    }
    line
}

fn cookie_header(rng: &mut Rng) -> Draft {
    let https = rng.percent(80);
    let (now, now_text) = now(rng);
    let path = *rng.pick(&[
        "",
        "/",
        "/apis",
        "/apis/",
        "/apis/v2",
        "/apis/v2/streams",
        "/apisx",
        "/other/x",
    ]);
    let tail = match rng.weighted(&[80, 10, 10]) {
        0 => String::new(),
        1 => format!("?session={}", rng.text_from(text::ALNUM, 1, 8)),
        _ => "#top".to_owned(),
    };
    let url = format!(
        "{}://{}{path}{tail}",
        if https { "https" } else { "http" },
        rng.pick(HOSTS)
    );
    const PATHS: &[&str] = &[
        "/",
        "/apis",
        "/apis/",
        "/apis/v2",
        "/apis/v2/streams",
        "/apisx",
        "/ap",
        "/other",
    ];
    let mut jar = Vec::new();
    let mut keys: Vec<(String, String)> = Vec::new();
    let always = cookie_name(rng);
    keys.push((always.clone(), "/".to_owned()));
    jar.push(jar_entry(rng, always, "/".to_owned(), false, now));
    for _ in 0..rng.size(0, 5) {
        let name = cookie_name(rng);
        let path = (*rng.pick(PATHS)).to_owned();
        if keys.contains(&(name.clone(), path.clone())) {
            continue;
        }
        keys.push((name.clone(), path.clone()));
        let secure = rng.percent(40);
        let mut entry = jar_entry(rng, name, path, secure, now);
        if rng.percent(25) {
            // Expired: at `now` (whole seconds) or before; `expires_at <= now` withholds it.
            let back = i64::try_from(rng.range(0, 86_400 * 30)).unwrap_or(0);
            if let Some(map) = entry.as_object_mut() {
                map.insert(
                    "expires_at".to_owned(),
                    Value::from(text::utc_seconds_text(now - back)),
                );
            }
        }
        jar.push(entry);
    }
    for i in (1..jar.len()).rev() {
        let j = rng.size(0, i);
        jar.swap(i, j);
    }
    let mut requirements = vec!["HAIV-008"];
    let has_secure = jar
        .iter()
        .any(|e| e.get("secure").and_then(Value::as_bool) == Some(true));
    if !https && has_secure {
        requirements.push("HAIV-007");
    }
    let mut input = Map::new();
    input.insert("url".to_owned(), Value::from(url.clone()));
    input.insert("jar".to_owned(), Value::Array(jar.clone()));
    input.insert("now".to_owned(), Value::from(now_text.clone()));
    Draft {
        op: "cookie-header",
        description: format!(
            "The Cookie header for {url} at {now_text} from a random jar of {} entries.",
            jar.len()
        ),
        requirements,
        input: Value::Object(input),
        stages: None,
    }
}

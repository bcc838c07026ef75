//! Random `kraken-v5` vectors (spec/kraken-v5.md): `sign` with the committed test keys, and accepting `verify`.
//!
//! RSASSA-PKCS1-v1_5 is deterministic, so a random body under a committed key has one right signature.
//! Vector `i` is a `verify` when `i mod 3 = 2`, else a `sign`.
//!
//! - Key: one of the committed test keys of `vectors/gen/keys/kraken-v5` that a signer must accept (KV5-003,
//!   KV5-004): `rsa2048-a` (PKCS#8 and PKCS#1), `rsa2048-b` (PKCS#1), `spec-example` (PKCS#8 and PKCS#1),
//!   `rsa3072`, `rsa4096`, embedded in the program; sometimes written in another valid PEM form (the base64 on
//!   one line or at 76 columns, CR LF line breaks, whitespace around the block, no final line break).
//! - Client id: any visible-ASCII text (KV5-002).
//! - Timestamp: a random RFC 3339 `date-time` by the grammar of kraken-v5.md (KV5-005): any valid calendar day
//!   from 1970 to 2099 (29 February included), `T` or `t`, a fraction of 1 to 9 digits or none, `Z`, `z` or an
//!   offset `+hh:mm` / `-hh:mm` (`-00:00` included), and rarely a leap second (`:60`, the instant of `:59`).
//! - Body: empty, or a JSON text of any top-level value (mostly objects), with random whitespace around it and
//!   between tokens, escapes and non-ASCII (KV5-006, KV5-009).
//! - Method, path and headers: random, unsigned.
//! - `verify`: the reference signs such a request first. The registry holds the signer's public key (SPKI or
//!   PKCS#1 for `rsa2048-a`, sometimes in another PEM layout) and 0 to 2 other clients. The server time is the
//!   timestamp plus `d`, `-300 s <= d <= 300 s` (the edges exactly, one femtosecond inside them, or anywhere),
//!   written with up to 15 fraction digits and any offset (KV5-023). `expires_at` is null or after the server
//!   time (down to one femtosecond, KV5-026). The remote address is IPv4, IPv6 (full, compressed, leading zeros,
//!   upper case or a dotted IPv4 tail) or IPv4-mapped IPv6; the allowlist holds one entry that matches it (the
//!   address in any text form, or a CIDR range of any prefix length with random host bits, an IPv4-mapped range
//!   of prefix 96 or more for an IPv4 address) among 0 to 3 others, `::/0` and `::ffff:0:0/95` (which match no
//!   IPv4 address) included (KV5-027). The replay cache is on or off; earlier signatures are other signatures,
//!   the request's signature under another client id, the request's own whose entry expired (at most one
//!   femtosecond past `at + 600 s`), or with the cache off a live one (KV5-030).

use serde_json::{Map, Value, json};

use super::rng::Rng;
use super::text;
use super::{Draft, reference};

const SCHEME: &str = "kraken-v5";

const RSA2048_A_SPKI: &str =
    include_str!("../../../vectors/gen/keys/kraken-v5/rsa2048-a.spki.pub.pem");
const RSA2048_A_PKCS1_PUB: &str =
    include_str!("../../../vectors/gen/keys/kraken-v5/rsa2048-a.pkcs1.pub.pem");
const RSA2048_B_SPKI: &str =
    include_str!("../../../vectors/gen/keys/kraken-v5/rsa2048-b.spki.pub.pem");
const SPEC_EXAMPLE_SPKI: &str =
    include_str!("../../../vectors/gen/keys/kraken-v5/spec-example.spki.pub.pem");
const RSA3072_SPKI: &str = include_str!("../../../vectors/gen/keys/kraken-v5/rsa3072.spki.pub.pem");
const RSA4096_SPKI: &str = include_str!("../../../vectors/gen/keys/kraken-v5/rsa4096.spki.pub.pem");

/// A committed key a signer must accept.
struct Key {
    name: &'static str,
    pem: &'static str,
    pkcs1: bool,
    /// Its public key, in each committed form.
    public: &'static [&'static str],
}

const KEYS: &[Key] = &[
    Key {
        name: "rsa2048-a.pkcs8",
        pem: include_str!("../../../vectors/gen/keys/kraken-v5/rsa2048-a.pkcs8.pem"),
        pkcs1: false,
        public: &[RSA2048_A_SPKI, RSA2048_A_PKCS1_PUB],
    },
    Key {
        name: "rsa2048-a.pkcs1",
        pem: include_str!("../../../vectors/gen/keys/kraken-v5/rsa2048-a.pkcs1.pem"),
        pkcs1: true,
        public: &[RSA2048_A_SPKI, RSA2048_A_PKCS1_PUB],
    },
    Key {
        name: "rsa2048-b.pkcs1",
        pem: include_str!("../../../vectors/gen/keys/kraken-v5/rsa2048-b.pkcs1.pem"),
        pkcs1: true,
        public: &[RSA2048_B_SPKI],
    },
    Key {
        name: "spec-example.pkcs8",
        pem: include_str!("../../../vectors/gen/keys/kraken-v5/spec-example.pkcs8.pem"),
        pkcs1: false,
        public: &[SPEC_EXAMPLE_SPKI],
    },
    Key {
        name: "spec-example.pkcs1",
        pem: include_str!("../../../vectors/gen/keys/kraken-v5/spec-example.pkcs1.pem"),
        pkcs1: true,
        public: &[SPEC_EXAMPLE_SPKI],
    },
    Key {
        name: "rsa3072.pkcs8",
        pem: include_str!("../../../vectors/gen/keys/kraken-v5/rsa3072.pkcs8.pem"),
        pkcs1: false,
        public: &[RSA3072_SPKI],
    },
    Key {
        name: "rsa4096.pkcs8",
        pem: include_str!("../../../vectors/gen/keys/kraken-v5/rsa4096.pkcs8.pem"),
        pkcs1: false,
        public: &[RSA4096_SPKI],
    },
];

/// Every committed public key a registry may hold (for other clients).
const PUBLIC_KEYS: &[&str] = &[
    RSA2048_A_SPKI,
    RSA2048_A_PKCS1_PUB,
    RSA2048_B_SPKI,
    SPEC_EXAMPLE_SPKI,
    RSA3072_SPKI,
    RSA4096_SPKI,
];

/// Femtoseconds per second: instants are counted in femtoseconds, so fractions of up to 15 digits are exact.
const UNIT: i128 = 1_000_000_000_000_000;

/// The stages a `verify` vector carries (the signer's, without the signature itself).
const VERIFY_STAGES: &[&str] = &[
    "sha256_input",
    "sha256_digest",
    "digest_info",
    "encoded_message",
];

/// Draws vector `index` (module doc).
pub(super) fn draw(rng: &mut Rng, index: u64) -> Result<Draft, String> {
    let key = &KEYS[rng.weighted(&[30, 15, 15, 10, 10, 12, 8])];
    let (pem, layout) = reformat(rng, key.pem)?;
    let client_id = if rng.percent(50) {
        format!("kv5-{}", rng.text_from(text::ALNUM, 4, 20))
    } else {
        rng.text_from(&text::visible_ascii(), 1, 40)
    };
    let (timestamp, instant) = timestamp(rng);
    let body = match rng.weighted(&[15, 65, 20]) {
        0 => String::new(),
        1 => {
            let members = text::json_members(rng, 0, 7, 2);
            text::json_object(rng, &members)
        }
        _ => text::json_value(rng, 2),
    };
    let body = if !body.is_empty() && rng.percent(10) {
        let before = *rng.pick(&[" ", "\n", "\t", "\r\n"]);
        let after = *rng.pick(&["", " ", "\n"]);
        format!("{before}{body}{after}")
    } else {
        body
    };
    let method = *rng.pick(&["POST", "POST", "GET", "PUT", "DELETE", "post"]);
    let path = format!(
        "/{}",
        rng.pick(&[
            "example",
            "v5/payments",
            "api/v5/transfers",
            "partner/orders"
        ])
    );
    let mut headers = Map::new();
    if !body.is_empty() || rng.percent(30) {
        headers.insert(
            (*rng.pick(&["Content-Type", "content-type"])).to_owned(),
            Value::from(*rng.pick(&[
                "application/json",
                "application/json; charset=utf-8",
                "text/plain",
            ])),
        );
    }
    let mut request = Map::new();
    request.insert("method".to_owned(), Value::from(method));
    request.insert("path".to_owned(), Value::from(path.clone()));
    if !headers.is_empty() || rng.percent(50) {
        request.insert("headers".to_owned(), Value::Object(headers.clone()));
    }
    if !body.is_empty() || rng.percent(50) {
        request.insert("body".to_owned(), Value::from(body.clone()));
    }
    let body_note = if body.is_empty() {
        "an empty body".to_owned()
    } else {
        format!("a {}-byte body", body.len())
    };
    let sign_input = json!({
        "credentials": {"client_id": client_id, "private_key_pem": pem},
        "request": Value::Object(request),
        "timestamp": timestamp,
    });
    if index % 3 != 2 {
        let mut requirements = vec!["KV5-001", "KV5-005", "KV5-006", "KV5-007", "KV5-008"];
        if key.pkcs1 || layout != "as committed" {
            requirements.push("KV5-003");
        }
        if !body.is_empty() {
            requirements.push("KV5-009");
        }
        return Ok(Draft {
            op: "sign",
            description: format!(
                "Signed: {body_note} with the test key {} ({layout}), timestamp {timestamp}.",
                key.name
            ),
            requirements,
            input: sign_input,
            stages: None,
        });
    }

    let signed = reference(SCHEME, "sign", &sign_input)?;
    let signature = signed
        .get("headers")
        .and_then(|h| h.get("X-Client-Signature"))
        .and_then(Value::as_str)
        .ok_or("the reference's sign result has no X-Client-Signature")?
        .to_owned();
    let stages: Option<Map<String, Value>> = match signed.get("stages") {
        Some(Value::Object(stages)) => Some(
            stages
                .iter()
                .filter(|(name, _)| VERIFY_STAGES.contains(&name.as_str()))
                .map(|(name, value)| (name.clone(), value.clone()))
                .collect(),
        ),
        _ => None,
    };
    let mut requirements = vec!["KV5-006", "KV5-007", "KV5-020", "KV5-023", "KV5-027"];

    // The server's clock: d = S - T within the window, edges included.
    let window = 300 * UNIT;
    let d = match rng.weighted(&[10, 10, 5, 5, 70]) {
        0 => window,
        1 => -window,
        2 => window - 1,
        3 => 1 - window,
        _ => i128::from(rng.range(0, 600 * 1_000_000_000_000_000)) - window,
    };
    let server = instant + d;
    let server_time = render_time(rng, server);

    // The client's key and expiry.
    let public = rng.pick_str(key.public);
    let public_pem = reformat(rng, public)?.0;
    let expires_at = if rng.percent(40) {
        Value::Null
    } else {
        requirements.push("KV5-026");
        let later = match rng.weighted(&[10, 30, 60]) {
            0 => 1,
            1 => i128::from(rng.range(1, 3600)) * UNIT,
            _ => {
                i128::from(rng.range(1, 315_360_000)) * UNIT
                    + i128::from(rng.range(0, 999_999_999_999_999))
            }
        };
        Value::from(render_time(rng, server + later))
    };
    let (remote_addr, allowed_ips, matched) = allowlist(rng);
    let mut clients = vec![json!({
        "client_id": client_id,
        "public_key_pem": public_pem,
        "expires_at": expires_at,
        "allowed_ips": allowed_ips,
    })];
    let mut other_ids: Vec<String> = Vec::new();
    for _ in 0..rng.size(0, 2) {
        let id = format!("kv5-other-{}", rng.text_from(text::ALNUM, 1, 8));
        if id == client_id || other_ids.contains(&id) {
            continue;
        }
        other_ids.push(id.clone());
        let (_, ips, _) = allowlist(rng);
        let public = rng.pick_str(PUBLIC_KEYS);
        clients.push(json!({
            "client_id": id,
            "public_key_pem": public,
            "expires_at": Value::Null,
            "allowed_ips": ips,
        }));
    }
    for i in (1..clients.len()).rev() {
        let j = rng.size(0, i);
        clients.swap(i, j);
    }

    // The replay cache and the signatures accepted before.
    let cache = rng.weighted(&[40, 10, 20, 30]);
    let cache_on = cache == 3;
    let k = signature.len() / 4 * 3 - signature.matches('=').count();
    let mut accepted = Vec::new();
    for _ in 0..rng.size(0, 4) {
        let entry = match rng.weighted(&[40, 20, 25, 15]) {
            0 => {
                let id = if other_ids.is_empty() || rng.percent(30) {
                    client_id.clone()
                } else {
                    rng.pick(&other_ids).clone()
                };
                let other = text::base64(&rng.bytes(k));
                let at = server - i128::from(rng.range(0, 1200)) * UNIT;
                (id, other, at)
            }
            1 => {
                let id = format!("kv5-unregistered-{}", rng.text_from(text::ALNUM, 1, 6));
                if id == client_id {
                    continue;
                }
                let at = server - i128::from(rng.range(0, 600)) * UNIT;
                (id, signature.clone(), at)
            }
            2 => {
                // The request's own signature, expired: S > at + 600 s.
                let past = match rng.weighted(&[20, 80]) {
                    0 => 1,
                    _ => i128::from(rng.range(1, 86_400 * 30)) * UNIT,
                };
                (
                    client_id.clone(),
                    signature.clone(),
                    server - 600 * UNIT - past,
                )
            }
            _ if !cache_on => {
                // Live, but the cache is off: never consulted.
                let at = server - i128::from(rng.range(0, 600)) * UNIT;
                (client_id.clone(), signature.clone(), at)
            }
            _ => {
                let other = text::base64(&rng.bytes(k));
                (client_id.clone(), other, server)
            }
        };
        let (id, sig, at) = entry;
        accepted.push(json!({"client_id": id, "signature": sig, "at": render_time(rng, at)}));
    }
    if cache_on && !accepted.is_empty() {
        requirements.push("KV5-030");
    }

    let mut verify_headers = headers;
    let names: [&[&str]; 3] = [
        &["X-Client-ID", "x-client-id", "X-CLIENT-ID"],
        &["X-Client-Signature", "x-client-signature"],
        &["X-Client-Timestamp", "x-client-timestamp"],
    ];
    for (choices, value) in names
        .iter()
        .zip([client_id.clone(), signature, timestamp.clone()])
    {
        let name = rng.pick_str(choices);
        verify_headers.insert(name.to_owned(), Value::from(value));
    }
    let mut input = Map::new();
    input.insert("clients".to_owned(), Value::Array(clients));
    match cache {
        0 => {}
        1 => {
            input.insert("options".to_owned(), json!({}));
        }
        2 => {
            input.insert("options".to_owned(), json!({"replay_cache": false}));
        }
        _ => {
            input.insert("options".to_owned(), json!({"replay_cache": true}));
        }
    }
    let accepted_count = accepted.len();
    if !accepted.is_empty() || rng.percent(20) {
        input.insert("accepted_signatures".to_owned(), Value::Array(accepted));
    }
    input.insert("server_time".to_owned(), Value::from(server_time.clone()));
    input.insert("remote_addr".to_owned(), Value::from(remote_addr.clone()));
    let mut request = Map::new();
    request.insert("method".to_owned(), Value::from(method));
    request.insert("path".to_owned(), Value::from(path));
    request.insert("headers".to_owned(), Value::Object(verify_headers));
    if !body.is_empty() || rng.percent(50) {
        request.insert("body".to_owned(), Value::from(body));
    }
    input.insert("request".to_owned(), Value::Object(request));
    Ok(Draft {
        op: "verify",
        description: format!(
            "Accepted: {body_note} signed with {} at {timestamp}, verified at {server_time} (d = {} s); remote \
             {remote_addr} allowed by {matched}; expiry {}; replay cache {}, {accepted_count} earlier signatures.",
            key.name,
            decimal(d),
            expires_at.as_str().unwrap_or("none"),
            if cache_on { "on" } else { "off" },
        ),
        requirements,
        input: Value::Object(input),
        stages,
    })
}

/// A femtosecond count as seconds in decimal.
fn decimal(units: i128) -> String {
    let sign = if units < 0 { "-" } else { "" };
    let units = units.abs();
    let fraction = format!("{:015}", units % UNIT);
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{sign}{}", units / UNIT)
    } else {
        format!("{sign}{}.{fraction}", units / UNIT)
    }
}

/// The PEM text in one of the valid layouts of kraken-v5.md ("Private key"), and the layout's name.
fn reformat(rng: &mut Rng, pem: &str) -> Result<(String, &'static str), String> {
    let lines: Vec<&str> = pem.lines().collect();
    let (Some(begin), Some(end)) = (lines.first(), lines.last()) else {
        return Err("an embedded key is empty".to_owned());
    };
    let base64: String = lines[1..lines.len() - 1].concat();
    let wrap = |width: usize| -> String {
        base64
            .as_bytes()
            .chunks(width)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    Ok(match rng.weighted(&[60, 8, 8, 8, 8, 8]) {
        0 => (pem.to_owned(), "as committed"),
        1 => (format!("{begin}\n{base64}\n{end}\n"), "base64 on one line"),
        2 => (format!("{begin}\n{}\n{end}\n", wrap(76)), "76 columns"),
        3 => (pem.replace('\n', "\r\n"), "CR LF line breaks"),
        4 => (format!("\n  {pem}\t\n"), "whitespace around the block"),
        _ => (pem.trim_end().to_owned(), "no final line break"),
    })
}

/// A random RFC 3339 `date-time` (module doc) and its instant in femtoseconds since 1970-01-01T00:00:00Z.
fn timestamp(rng: &mut Rng) -> (String, i128) {
    let year = i64::try_from(rng.range(1970, 2099)).unwrap_or(2025);
    let month = i64::try_from(rng.range(1, 12)).unwrap_or(1);
    let day = i64::try_from(rng.range(1, text::days_in_month(year, month) as u64)).unwrap_or(1);
    let hour = i64::try_from(rng.range(0, 23)).unwrap_or(0);
    let minute = i64::try_from(rng.range(0, 59)).unwrap_or(0);
    let second = if rng.percent(2) {
        60
    } else {
        i64::try_from(rng.range(0, 59)).unwrap_or(0)
    };
    let t = if rng.percent(10) { 't' } else { 'T' };
    let (offset_text, offset_minutes) = match rng.weighted(&[55, 10, 30, 5]) {
        0 => ("Z".to_owned(), 0),
        1 => ("z".to_owned(), 0),
        2 => {
            let negative = rng.percent(50);
            let hours = i64::try_from(rng.range(0, 23)).unwrap_or(0);
            let any_minute = i64::try_from(rng.range(0, 59)).unwrap_or(0);
            let minutes = *rng.pick(&[0, 0, 0, 30, 45, any_minute]);
            let total = (hours * 60 + minutes) * if negative { -1 } else { 1 };
            let sign = if negative { '-' } else { '+' };
            (format!("{sign}{hours:02}:{minutes:02}"), total)
        }
        _ => ((*rng.pick(&["+00:00", "-00:00"])).to_owned(), 0),
    };
    let fraction = text::fraction(rng);
    let text = format!(
        "{year:04}-{month:02}-{day:02}{t}{hour:02}:{minute:02}:{second:02}{fraction}{offset_text}"
    );
    // A leap second is the instant of second 59 with the same fraction (kraken-v5.md, "Timestamp").
    let local = text::days_from_civil(year, month, day) * 86_400
        + hour * 3600
        + minute * 60
        + second.min(59);
    let digits = fraction.trim_start_matches('.');
    let fraction_units = if digits.is_empty() {
        0
    } else {
        format!("{digits:0<15}").parse::<i128>().unwrap_or(0)
    };
    let instant = i128::from(local - offset_minutes * 60) * UNIT + fraction_units;
    (text, instant)
}

/// An instant (femtoseconds) as an RFC 3339 time: the exact fraction (sometimes padded with zeros, up to 15
/// digits), `T` or `t`, and `Z`, `z`, `+00:00`, `-00:00` or a random offset.
fn render_time(rng: &mut Rng, instant: i128) -> String {
    let offset_minutes: i64 = match rng.weighted(&[60, 5, 5, 30]) {
        0..=2 => 0,
        _ => {
            let minutes = i64::try_from(rng.range(0, 23 * 60 + 59)).unwrap_or(0);
            if rng.percent(50) { -minutes } else { minutes }
        }
    };
    let zone = if offset_minutes == 0 {
        (*rng.pick(&["Z", "Z", "Z", "z", "+00:00", "-00:00"])).to_owned()
    } else {
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        format!(
            "{sign}{:02}:{:02}",
            offset_minutes.abs() / 60,
            offset_minutes.abs() % 60
        )
    };
    let seconds = i64::try_from(instant.div_euclid(UNIT)).unwrap_or(0);
    let units = instant.rem_euclid(UNIT);
    let digits = format!("{units:015}");
    let needed = digits.trim_end_matches('0').len();
    let shown = match (needed, rng.weighted(&[60, 40])) {
        (0, 0) => 0,
        (0, _) => rng.size(1, 15),
        (needed, 0) => needed,
        (needed, _) => rng.size(needed, 15),
    };
    let fraction = if shown == 0 {
        String::new()
    } else {
        format!(".{}", &digits[..shown])
    };
    let local = text::utc_seconds_text(seconds + offset_minutes * 60);
    let t = if rng.percent(10) { "t" } else { "T" };
    format!("{}{t}{}{fraction}{zone}", &local[..10], &local[11..19])
}

/// An IP address: IPv4 (32 bits) or IPv6 (128 bits).
#[derive(Clone, Copy)]
enum Ip {
    V4(u32),
    V6(u128),
}

/// A remote address, its allowlist, and a note on the entry that matches it (module doc).
fn allowlist(rng: &mut Rng) -> (String, Vec<String>, String) {
    // The remote address, as the verifier normalizes it, and as text.
    let (remote, remote_text) = match rng.weighted(&[50, 30, 20]) {
        0 => {
            let v4 = random_v4(rng);
            (Ip::V4(v4), v4_text(v4))
        }
        1 => {
            let v6 = random_v6(rng);
            (Ip::V6(v6), v6_text(rng, v6))
        }
        _ => {
            let v4 = random_v4(rng);
            (Ip::V4(v4), mapped_text(rng, v4))
        }
    };
    let (entry, note) = match remote {
        Ip::V4(v4) => match rng.weighted(&[25, 45, 15, 15]) {
            0 => (v4_text(v4), "the address itself"),
            1 => {
                let prefix = rng.range(0, 32) as u32;
                let host = host_bits_v4(rng, prefix);
                (format!("{}/{prefix}", v4_text(v4 ^ host)), "an IPv4 range")
            }
            2 => (mapped_text(rng, v4), "the address, IPv4-mapped"),
            _ => {
                let prefix = rng.range(0, 32) as u32;
                let host = host_bits_v4(rng, prefix);
                (
                    format!("{}/{}", mapped_text(rng, v4 ^ host), prefix + 96),
                    "an IPv4-mapped range",
                )
            }
        },
        Ip::V6(v6) => match rng.weighted(&[30, 70]) {
            0 => (v6_text(rng, v6), "the address itself"),
            _ => {
                let prefix = rng.range(0, 128) as u32;
                let host = if prefix >= 128 {
                    0
                } else {
                    let bits = u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64());
                    bits & (u128::MAX >> prefix)
                };
                (
                    format!("{}/{prefix}", v6_text(rng, v6 ^ host)),
                    "an IPv6 range",
                )
            }
        },
    };
    let mut entries = vec![entry.clone()];
    for _ in 0..rng.size(0, 3) {
        let other = match (remote, rng.weighted(&[35, 35, 15, 15])) {
            (_, 0) => v4_text(random_v4(rng)),
            (_, 1) => {
                let v6 = random_v6(rng);
                v6_text(rng, v6)
            }
            (Ip::V4(_), 2) => "::/0".to_owned(),
            (Ip::V4(_), _) => "::ffff:0:0/95".to_owned(),
            (Ip::V6(_), _) => {
                let prefix = rng.range(8, 32);
                format!("{}/{prefix}", v4_text(random_v4(rng)))
            }
        };
        entries.push(other);
    }
    for i in (1..entries.len()).rev() {
        let j = rng.size(0, i);
        entries.swap(i, j);
    }
    (remote_text, entries, format!("{note} ({entry})"))
}

/// Random bits below an IPv4 prefix (the host bits an entry may carry).
fn host_bits_v4(rng: &mut Rng, prefix: u32) -> u32 {
    if prefix >= 32 {
        0
    } else {
        (rng.next_u64() as u32) & (u32::MAX >> prefix)
    }
}

fn random_v4(rng: &mut Rng) -> u32 {
    match rng.weighted(&[50, 20, 15, 15]) {
        0 => rng.next_u64() as u32,
        1 => 0xcb00_7100 | rng.below(256) as u32, // 203.0.113.0/24
        2 => 0xc633_6400 | rng.below(256) as u32, // 198.51.100.0/24
        _ => 0x0a00_0000 | rng.below(1 << 24) as u32, // 10.0.0.0/8
    }
}

fn random_v6(rng: &mut Rng) -> u128 {
    let low = u128::from(rng.next_u64());
    let high = u128::from(rng.next_u64());
    match rng.weighted(&[30, 30, 15, 15, 10]) {
        // 2001:db8::/32 with zero runs.
        0 => (0x2001_0db8u128 << 96) | (low & 0xffff) | ((high & 0xffff) << 64),
        1 => (0x2001_0db8u128 << 96) | (high << 64 | low) & ((1u128 << 96) - 1),
        2 => (0xfe80u128 << 112) | (low & 0xffff_ffff_ffff_ffff),
        3 => 1 + (low & 0xff),
        _ => {
            let v = high << 64 | low;
            // Never in the IPv4-mapped range (that is an IPv4 address once normalized).
            if v >> 32 == 0xffff { v ^ (1 << 100) } else { v }
        }
    }
}

fn v4_text(v4: u32) -> String {
    let [a, b, c, d] = v4.to_be_bytes();
    format!("{a}.{b}.{c}.{d}")
}

/// An IPv4-mapped IPv6 text of `v4`: `::ffff:a.b.c.d`, `::FFFF:hhhh:hhhh`, or the full form.
fn mapped_text(rng: &mut Rng, v4: u32) -> String {
    match rng.weighted(&[50, 25, 25]) {
        0 => format!("::{}:{}", rng.pick(&["ffff", "FFFF"]), v4_text(v4)),
        1 => format!("::ffff:{:x}:{:x}", v4 >> 16, v4 & 0xffff),
        _ => v6_text(rng, (0xffffu128 << 32) | u128::from(v4)),
    }
}

/// An IPv6 text of `v6` in a random form of RFC 4291 section 2.2: groups with or without leading zeros, one
/// run of zero groups compressed to `::` or none, lower or upper case, sometimes the last 32 bits dotted.
fn v6_text(rng: &mut Rng, v6: u128) -> String {
    let groups: Vec<u16> = (0..8).map(|i| (v6 >> (112 - 16 * i)) as u16).collect();
    let dotted = rng.percent(10);
    let count = if dotted { 6 } else { 8 };
    let leading_zeros = rng.percent(20);
    let upper = rng.percent(20);
    let group = |g: u16| -> String {
        let text = if leading_zeros {
            format!("{g:04x}")
        } else {
            format!("{g:x}")
        };
        if upper {
            text.to_ascii_uppercase()
        } else {
            text
        }
    };
    // Runs of zero groups among the first `count` groups: (start, length).
    let mut runs = Vec::new();
    let mut i = 0;
    while i < count {
        if groups[i] == 0 {
            let start = i;
            while i < count && groups[i] == 0 {
                i += 1;
            }
            runs.push((start, i - start));
        } else {
            i += 1;
        }
    }
    let compress = if runs.is_empty() || rng.percent(20) {
        None
    } else if rng.percent(70) {
        runs.iter().max_by_key(|(_, len)| *len).copied()
    } else {
        Some(*rng.pick(&runs))
    };
    let tail = if dotted {
        Some(v4_text(v6 as u32))
    } else {
        None
    };
    let mut parts: Vec<String> = groups[..count].iter().map(|&g| group(g)).collect();
    if let Some(tail) = &tail {
        parts.push(tail.clone());
    }
    match compress {
        None => parts.join(":"),
        Some((start, len)) => {
            let head = parts[..start].join(":");
            let rest = parts[start + len..].join(":");
            format!("{head}::{rest}")
        }
    }
}

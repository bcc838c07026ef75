//! Random `kraken-futures` vectors (spec/kraken-futures.md): `sign` in the current encoding, `ws-challenge`, and
//! accepting `verify` and `ws-verify`.
//!
//! Vector `i` is, by `i mod 6`: 0, 1 and 4 a `sign`, 2 a `ws-challenge`, 3 a `verify`, 5 a `ws-verify`.
//!
//! - `sign`: any visible-ASCII API key (KFUT-004); a secret of random bytes as standard base64 (KFUT-002); a path
//!   under `/derivatives/api/v3/` (most), `/api/history/v2/` or `/api/charts/v1/` (KFUT-005), sometimes with
//!   unusual but signable bytes (upper case, `.` and `..` segments, doubled slashes, `%XX`, `~`, `,`, `:`, `@`,
//!   non-ASCII), never `?` or `#`; any method in any case (KFUT-014); a query only, a body only, both or
//!   neither (KFUT-008), each absent or given (`""` when empty, sometimes), the query percent-encoded parameters,
//!   the body a form, a JSON text, a `json=`-prefixed encoded JSON text (the batchorder style) or opaque text
//!   with `+` and stray `%`; a nonce as canonical decimal u64 (KFUT-007) or none (then no `Nonce` header);
//!   `encoding` absent or `"current"` (KFUT-009); unsigned headers.
//! - `ws-challenge`: a random secret and a challenge: a version-4 UUID (most, lower- or upper-case) or any text,
//!   the empty text, whitespace and non-ASCII included (KFUT-015).
//! - `verify`: a `sign` input as above, signed by the reference in the current encoding or (with
//!   `accept_legacy_encoding` on) sometimes in the legacy one (KFUT-025); the verifier is given the key among 0
//!   to 2 others, options (`accept_legacy_encoding`, `require_nonce` only when the request has a nonce,
//!   `nonce_window` absent, null or a number), accepted nonces that the request's nonce passes when a window is
//!   set (or any, which are not consulted, when none is: KFUT-027), a server time with three fraction digits, and
//!   the request with `APIKey`, `Authent` and `Nonce` added (header names in random case).
//! - `ws-verify`: a `ws-challenge` input as above, signed by the reference, and the key among 0 to 2 others
//!   (KFUT-029).

use serde_json::{Map, Value, json};

use super::rng::Rng;
use super::{Draft, kraken_spot, reference, text};

const SCHEME: &str = "kraken-futures";

const V3_ENDPOINTS: &[&str] = &[
    "accounts",
    "batchorder",
    "cancelallorders",
    "cancelallordersafter",
    "cancelorder",
    "editorder",
    "fills",
    "initialmargin",
    "leveragepreferences",
    "notifications",
    "openorders",
    "openpositions",
    "orders/status",
    "pnlpreferences",
    "sendorder",
    "transfer",
    "transfers",
    "withdrawal",
];

const HISTORY_ENDPOINTS: &[&str] = &[
    "account-log",
    "executions",
    "market/PF_XBTUSD/executions",
    "orders",
    "triggers",
];

/// Draws vector `index` (module doc).
pub(super) fn draw(rng: &mut Rng, index: u64) -> Result<Draft, String> {
    match index % 6 {
        2 => Ok(ws_challenge(rng)),
        3 => verify(rng),
        5 => ws_verify(rng),
        _ => Ok(sign(rng)),
    }
}

/// Registered keys: `api_key` with `secret` at a random place among 0 to 2 others.
fn keys(rng: &mut Rng, api_key: &str, secret: &str) -> (Vec<Value>, usize) {
    let mut keys = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for _ in 0..rng.size(0, 2) {
        let other = text::api_key(rng);
        if other != api_key && !others.contains(&other) {
            keys.push(json!({"api_key": other, "secret": text::secret(rng).0}));
            others.push(other);
        }
    }
    let at = rng.size(0, keys.len());
    keys.insert(at, json!({"api_key": api_key, "secret": secret}));
    (keys, others.len())
}

fn ws_verify(rng: &mut Rng) -> Result<Draft, String> {
    let draft = ws_challenge(rng);
    let signed = reference(SCHEME, "ws-challenge", &draft.input)?;
    let signed_challenge = signed
        .get("signed_challenge")
        .and_then(Value::as_str)
        .ok_or("the reference's ws-challenge result has no signed_challenge")?
        .to_owned();
    let secret = draft.input["credentials"]["secret"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let api_key = text::api_key(rng);
    let (keys, others) = keys(rng, &api_key, &secret);
    let stages = match signed.get("stages") {
        Some(Value::Object(stages)) => Some(stages.clone()),
        _ => None,
    };
    Ok(Draft {
        op: "ws-verify",
        description: format!(
            "Accepted: {} signed by the reference; {others} other keys registered.",
            draft.description.trim_end_matches('.')
        ),
        requirements: vec!["KFUT-015", "KFUT-029"],
        input: json!({
            "keys": keys,
            "api_key": api_key,
            "challenge": draft.input["challenge"],
            "signed_challenge": signed_challenge,
        }),
        stages,
    })
}

fn verify(rng: &mut Rng) -> Result<Draft, String> {
    let mut draft = sign(rng);
    let accept_legacy = rng.percent(35);
    let legacy = accept_legacy && rng.percent(60);
    if let Some(input) = draft.input.as_object_mut() {
        if legacy {
            input.insert("encoding".to_owned(), Value::from("legacy"));
        } else {
            input.remove("encoding");
        }
    }
    let signed = reference(SCHEME, "sign", &draft.input)?;
    let headers = signed
        .get("headers")
        .and_then(Value::as_object)
        .ok_or("the reference's sign result has no headers")?;
    let header = |name: &str| headers.get(name).and_then(Value::as_str).map(str::to_owned);
    let authent = header("Authent").ok_or("the reference's sign result has no Authent")?;
    let nonce = header("Nonce");
    let stages = match signed.get("stages") {
        Some(Value::Object(stages)) => Some(stages.clone()),
        _ => None,
    };
    let credentials = &draft.input["credentials"];
    let api_key = credentials["api_key"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let secret = credentials["secret"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (keys, others) = keys(rng, &api_key, &secret);

    let mut requirements = vec!["KFUT-020", "KFUT-024"];
    let mut options = Map::new();
    if accept_legacy || rng.percent(20) {
        options.insert(
            "accept_legacy_encoding".to_owned(),
            Value::from(accept_legacy),
        );
    }
    if accept_legacy {
        requirements.push("KFUT-025");
    }
    let require_nonce = nonce.is_some() && rng.percent(40);
    if require_nonce || rng.percent(20) {
        options.insert("require_nonce".to_owned(), Value::from(require_nonce));
    }
    if require_nonce {
        requirements.push("KFUT-023");
    }
    let window = match rng.weighted(&[40, 15, 45]) {
        0 => None,
        1 => {
            options.insert("nonce_window".to_owned(), Value::Null);
            None
        }
        _ => {
            let any = rng.range(1, u64::MAX);
            let w = *rng.pick(&[0, 0, 1, 10, 1000, 1_000_000, any]);
            options.insert("nonce_window".to_owned(), Value::from(w));
            Some(w)
        }
    };
    let nonce_value = nonce.as_deref().and_then(|n| n.parse::<u64>().ok());
    let accepted: Vec<u64> = match (window, nonce_value) {
        (Some(w), Some(n)) => {
            requirements.push("KFUT-027");
            kraken_spot::accepted_nonces(rng, n, w)
        }
        // No window, or no nonce: the store is not consulted, whatever it holds.
        (_, n) if rng.percent(30) => {
            let n = n.unwrap_or_else(|| text::nonce(rng, 1));
            let mut values: Vec<u64> = (0..rng.size(1, 3))
                .map(|_| rng.range(n, n.saturating_add(1000)))
                .collect();
            values.sort_unstable();
            values.dedup();
            values
        }
        _ => Vec::new(),
    };
    let mut input = Map::new();
    input.insert("keys".to_owned(), Value::Array(keys));
    if !options.is_empty() || rng.percent(30) {
        input.insert("options".to_owned(), Value::Object(options));
    }
    if !accepted.is_empty() {
        let list: Vec<Value> = accepted
            .iter()
            .map(|n| json!({"api_key": api_key, "nonce": n.to_string()}))
            .collect();
        input.insert("accepted_nonces".to_owned(), Value::Array(list));
    }
    let seconds = text::instant(rng);
    let server_time = format!(
        "{}.{:03}Z",
        &text::utc_seconds_text(seconds)[..19],
        rng.below(1000)
    );
    input.insert("server_time".to_owned(), Value::from(server_time));
    let mut request = draft.input["request"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut request_headers = request
        .get("headers")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let names = [
        (rng.pick_str(&["APIKey", "apikey", "APIKEY"]), Some(api_key)),
        (
            rng.pick_str(&["Authent", "authent", "AUTHENT"]),
            Some(authent),
        ),
        (rng.pick_str(&["Nonce", "nonce", "NONCE"]), nonce.clone()),
    ];
    for (name, value) in names {
        if let Some(value) = value {
            request_headers.insert(name.to_owned(), Value::from(value));
        }
    }
    request.insert("headers".to_owned(), Value::Object(request_headers));
    input.insert("request".to_owned(), Value::Object(request));
    Ok(Draft {
        op: "verify",
        description: format!(
            "Accepted: {}, signed in the {} encoding (legacy accepted: {accept_legacy}); window {}, {} accepted              nonces, {others} other keys.",
            draft.description.trim_end_matches(", current encoding."),
            if legacy { "legacy" } else { "current" },
            window.map_or_else(|| "none".to_owned(), |w| w.to_string()),
            accepted.len()
        ),
        requirements,
        input: Value::Object(input),
        stages,
    })
}

fn ws_challenge(rng: &mut Rng) -> Draft {
    let (secret, secret_len) = text::secret(rng);
    let (challenge, kind) = match rng.weighted(&[70, 10, 20]) {
        0 => (uuid(rng), "a UUID"),
        1 => (uuid(rng).to_ascii_uppercase(), "an upper-case UUID"),
        _ => {
            let challenge = match rng.weighted(&[70, 10, 20]) {
                0 => text::value_text(rng, 1, 80),
                1 => String::new(),
                _ => format!(" {} \n", uuid(rng)),
            };
            (challenge, "not a UUID")
        }
    };
    Draft {
        op: "ws-challenge",
        description: format!(
            "A random challenge ({kind}, {} bytes) signed with a {secret_len}-byte secret.",
            challenge.len()
        ),
        requirements: vec!["KFUT-002", "KFUT-015"],
        input: json!({"credentials": {"secret": secret}, "challenge": challenge}),
        stages: None,
    }
}

/// A version-4 UUID text, lower-case.
fn uuid(rng: &mut Rng) -> String {
    let mut bytes = rng.bytes(16);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = text::hex(&bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn sign(rng: &mut Rng) -> Draft {
    let api_key = text::api_key(rng);
    let (secret, secret_len) = text::secret(rng);
    let path = path(rng);
    let method = (*rng.pick(&[
        "GET", "GET", "POST", "POST", "PUT", "DELETE", "get", "post", "Put", "PATCH",
    ]))
    .to_owned();
    let shape = rng.weighted(&[35, 35, 15, 15]);
    let (query, body) = match shape {
        0 => (Some(query(rng)), None),
        1 => (None, Some(body(rng))),
        2 => (Some(query(rng)), Some(body(rng))),
        _ => (None, None),
    };
    let mut request = Map::new();
    request.insert("method".to_owned(), Value::from(method.clone()));
    request.insert("path".to_owned(), Value::from(path.clone()));
    match &query {
        Some(query) => {
            request.insert("query".to_owned(), Value::from(query.clone()));
        }
        None if rng.percent(30) => {
            request.insert("query".to_owned(), Value::from(""));
        }
        None => {}
    }
    let mut headers = Map::new();
    if let Some((body, content_type)) = &body {
        request.insert("body".to_owned(), Value::from(body.clone()));
        if let Some(content_type) = content_type {
            headers.insert("Content-Type".to_owned(), Value::from(*content_type));
        }
    } else if rng.percent(30) {
        request.insert("body".to_owned(), Value::from(""));
    }
    if rng.percent(20) {
        headers.insert("Accept".to_owned(), Value::from("application/json"));
    }
    if !headers.is_empty() || rng.percent(50) {
        request.insert("headers".to_owned(), Value::Object(headers));
    }
    let mut input = Map::new();
    input.insert(
        "credentials".to_owned(),
        json!({"api_key": api_key, "secret": secret}),
    );
    input.insert("request".to_owned(), Value::Object(request));
    let nonce = rng.percent(70).then(|| text::nonce(rng, 0));
    if let Some(nonce) = nonce {
        input.insert("nonce".to_owned(), Value::from(nonce.to_string()));
    }
    if rng.percent(15) {
        input.insert("encoding".to_owned(), Value::from("current"));
    }
    let mut requirements = vec![
        "KFUT-001", "KFUT-002", "KFUT-006", "KFUT-007", "KFUT-008", "KFUT-009", "KFUT-011",
        "KFUT-012", "KFUT-013",
    ];
    if method != "GET" && method != "POST" {
        requirements.push("KFUT-014");
    }
    let parts = match shape {
        0 => "a query",
        1 => "a body",
        2 => "a query and a body",
        _ => "neither query nor body",
    };
    let nonce_text = nonce.map_or_else(|| "no nonce".to_owned(), |n| format!("nonce {n}"));
    Draft {
        op: "sign",
        description: format!(
            "A random {method} to {path} with {parts}, {nonce_text}, {secret_len}-byte secret, current encoding."
        ),
        requirements,
        input: Value::Object(input),
        stages: None,
    }
}

/// A path in a signed namespace, without `?` or `#`.
fn path(rng: &mut Rng) -> String {
    let base = match rng.weighted(&[60, 25, 5, 10]) {
        0 => format!("/derivatives/api/v3/{}", rng.pick(V3_ENDPOINTS)),
        1 => format!("/api/history/v2/{}", rng.pick(HISTORY_ENDPOINTS)),
        2 => format!(
            "/api/charts/v1/{}/PF_XBTUSD/{}",
            rng.pick(&["trade", "mark", "spot"]),
            rng.pick(&["1m", "1h", "1d"])
        ),
        _ => {
            let prefix = *rng.pick(&["/derivatives/api/", "/api/"]);
            let segments: Vec<String> = (0..rng.size(1, 4))
                .map(|_| match rng.weighted(&[50, 10, 10, 10, 10, 10]) {
                    0 => rng.text_from(
                        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-",
                        1,
                        12,
                    ),
                    1 => (*rng.pick(&[".", ".."])).to_owned(),
                    2 => String::new(),
                    3 => format!("%{:02X}", rng.range(0x20, 0x7e)),
                    4 => rng.text_from("~,:@!$'()*;=", 1, 3),
                    _ => rng.text_from(text::UNICODE, 1, 3),
                })
                .collect();
            format!("{prefix}{}", segments.join("/"))
        }
    };
    if rng.percent(5) {
        format!("{base}/")
    } else {
        base
    }
}

/// A query: percent-encoded parameters joined by `&`.
fn query(rng: &mut Rng) -> String {
    let pieces = text::form_pieces(rng, 1, 6);
    pieces.join("&")
}

/// A body and the `Content-Type` it would be sent with.
fn body(rng: &mut Rng) -> (String, Option<&'static str>) {
    match rng.weighted(&[45, 25, 15, 15]) {
        0 => (
            text::form_pieces(rng, 1, 6).join("&"),
            Some("application/x-www-form-urlencoded"),
        ),
        1 => {
            let members = text::json_members(rng, 1, 5, 2);
            (text::json_object(rng, &members), Some("application/json"))
        }
        2 => {
            let members = text::json_members(rng, 1, 4, 1);
            let json = text::json_object(rng, &members);
            (
                format!("json={}", text::form_encode(rng, &json)),
                Some("application/x-www-form-urlencoded"),
            )
        }
        _ => {
            let mut body = text::value_text(rng, 1, 40);
            body.push_str(rng.pick_str(&["+", "%", "%zz", "%2", "a+b", "%25"]));
            (body, None)
        }
    }
}

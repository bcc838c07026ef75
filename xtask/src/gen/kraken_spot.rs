//! Random `kraken-spot` vectors (spec/kraken-spot.md): `sign` with form and JSON bodies, and accepting `verify`.
//!
//! Vector `i` is, by `i mod 4`: 0 a form `sign`, 1 a JSON `sign`, 2 a form `verify`, 3 a JSON `verify`.
//!
//! - Credentials: any visible-ASCII API key (KSPOT-004); a secret of random bytes (64, or 1 to 200) as standard
//!   base64 (KSPOT-002, KSPOT-003). The request is `POST /0/private/<Endpoint>`, `<Endpoint>` a real endpoint name
//!   or 1 to 24 letters and digits (KSPOT-005, KSPOT-006). The nonce is canonical decimal u64: milliseconds,
//!   nanoseconds, small, or any 64-bit value (KSPOT-007).
//! - Form bodies (no `Content-Type`, the form media type, or another non-JSON media type, KSPOT-017): 0 to 8
//!   parameters with percent-encoded values (`+` or `%20` for spaces, upper- or lower-case hex, non-ASCII as UTF-8
//!   escapes or raw), sometimes a parameter without `=`, an empty value, an empty piece or a trailing `&`, and
//!   exactly one `nonce` parameter at a random place; its value is the nonce, sometimes with some digits
//!   percent-encoded and, rarely, with the name itself written `%6Eonce` (both decode to the nonce, KSPOT-009).
//! - JSON bodies (`Content-Type` with the media type `application/json` in any case, with parameters, spaces or
//!   tabs, KSPOT-017): an object of 0 to 7 members (strings with escapes and non-ASCII, numbers, literals,
//!   nested arrays and objects) and exactly one top-level `nonce` member, a JSON number or a JSON string whose
//!   literal text is the nonce (KSPOT-011), with random whitespace around every token.
//! - `verify`: the reference signs the request first; the verifier is given the key (with no permission list or
//!   a list holding the endpoint), 0 to 3 other keys, a nonce window (0 or positive) and accepted nonces that the
//!   request's nonce passes (KSPOT-026, KSPOT-027), and the request with `API-Key` and `API-Sign` added (header
//!   names in random case). The nonce is at least 1 (a key starts at 0).

use serde_json::{Map, Value, json};

use super::rng::Rng;
use super::text;
use super::{Draft, reference};

const SCHEME: &str = "kraken-spot";

const ENDPOINTS: &[&str] = &[
    "AddOrder",
    "AddOrderBatch",
    "Balance",
    "BalanceEx",
    "CancelAll",
    "CancelOrder",
    "ClosedOrders",
    "DepositMethods",
    "EditOrder",
    "GetWebSocketsToken",
    "Ledgers",
    "OpenOrders",
    "QueryOrders",
    "TradeBalance",
    "TradesHistory",
    "WithdrawStatus",
];

/// Draws vector `index` (module doc).
pub(super) fn draw(rng: &mut Rng, index: u64) -> Result<Draft, String> {
    let json_body = index % 2 == 1;
    let verify = index % 4 >= 2;
    let api_key = text::api_key(rng);
    let (secret, secret_len) = text::secret(rng);
    let endpoint = if rng.percent(70) {
        (*rng.pick(ENDPOINTS)).to_owned()
    } else {
        rng.text_from(text::ALNUM, 1, 24)
    };
    let nonce = text::nonce(rng, u64::from(verify));
    let (body, headers, detail) = if json_body {
        json_request(rng, nonce)
    } else {
        form_request(rng, nonce)
    };
    let path = format!("/0/private/{endpoint}");
    let sign_input = json!({
        "credentials": {"api_key": api_key, "secret": secret},
        "request": {"method": "POST", "path": path, "headers": headers, "body": body},
        "nonce": nonce.to_string(),
    });
    let mut requirements = vec![
        "KSPOT-001",
        "KSPOT-002",
        "KSPOT-013",
        "KSPOT-014",
        "KSPOT-015",
        "KSPOT-016",
    ];
    if json_body {
        requirements.extend(["KSPOT-011", "KSPOT-017"]);
    } else {
        requirements.push("KSPOT-010");
    }
    if !body.is_ascii() {
        requirements.push("KSPOT-018");
    }
    let kind = if json_body { "JSON" } else { "form" };
    if !verify {
        return Ok(Draft {
            op: "sign",
            description: format!(
                "Random {kind} body signed for {path}: {detail}; nonce {nonce}, {secret_len}-byte secret."
            ),
            requirements,
            input: sign_input,
            stages: None,
        });
    }

    let signed = reference(SCHEME, "sign", &sign_input)?;
    let api_sign = signed
        .get("headers")
        .and_then(|h| h.get("API-Sign"))
        .and_then(Value::as_str)
        .ok_or("the reference's sign result has no API-Sign")?
        .to_owned();
    let stages = match signed.get("stages") {
        Some(Value::Object(stages)) => Some(stages.clone()),
        _ => None,
    };
    let mut verify_headers = headers.as_object().cloned().unwrap_or_default();
    let key_name = *rng.pick(&["API-Key", "api-key", "API-KEY", "Api-Key"]);
    let sign_name = *rng.pick(&["API-Sign", "api-sign", "API-SIGN", "Api-Sign"]);
    verify_headers.insert(key_name.to_owned(), Value::from(api_key.clone()));
    verify_headers.insert(sign_name.to_owned(), Value::from(api_sign));

    let mut requirements = vec!["KSPOT-020", "KSPOT-023"];
    let mut key = Map::new();
    key.insert("api_key".to_owned(), Value::from(api_key.clone()));
    key.insert("secret".to_owned(), Value::from(secret));
    let mut permissions_note = "all endpoints";
    if rng.percent(40) {
        let mut endpoints: Vec<Value> = (0..rng.size(0, 3))
            .map(|_| Value::from(*rng.pick(ENDPOINTS)))
            .filter(|e| e.as_str() != Some(endpoint.as_str()))
            .collect();
        let at = rng.size(0, endpoints.len());
        endpoints.insert(at, Value::from(endpoint.clone()));
        key.insert("permissions".to_owned(), Value::Array(endpoints));
        requirements.push("KSPOT-025");
        permissions_note = "a permission list holding the endpoint";
    }
    let mut keys = Vec::new();
    let mut other_keys = Vec::new();
    for _ in 0..rng.size(0, 3) {
        let other = text::api_key(rng);
        if other != api_key && !other_keys.contains(&other) {
            other_keys.push(other);
        }
    }
    for other in &other_keys {
        keys.push(json!({"api_key": other, "secret": text::secret(rng).0}));
    }
    let at = rng.size(0, keys.len());
    keys.insert(at, Value::Object(key));

    let any_window = rng.range(1, u64::MAX);
    let window = if rng.percent(60) {
        0
    } else {
        *rng.pick(&[1, 10, 1000, 10_000, 1_000_000, any_window])
    };
    let accepted_own = accepted_nonces(rng, nonce, window);
    if window == 0 && !accepted_own.is_empty() {
        requirements.push("KSPOT-026");
    }
    if window > 0 {
        requirements.push("KSPOT-027");
    }
    let mut accepted = Vec::new();
    let mut own = accepted_own.iter().peekable();
    let mut others: Vec<(String, Vec<u64>)> = other_keys
        .iter()
        .map(|k| {
            let n = text::nonce(rng, 1);
            (k.clone(), accepted_nonces(rng, n, 0))
        })
        .collect();
    // Interleave the keys' histories; each key's own nonces stay in increasing order.
    loop {
        let pending_others: Vec<usize> = others
            .iter()
            .enumerate()
            .filter(|(_, (_, list))| !list.is_empty())
            .map(|(i, _)| i)
            .collect();
        if own.peek().is_none() && pending_others.is_empty() {
            break;
        }
        if own.peek().is_some() && (pending_others.is_empty() || rng.percent(50)) {
            if let Some(n) = own.next() {
                accepted.push(json!({"api_key": api_key, "nonce": n.to_string()}));
            }
        } else {
            let i = *rng.pick(&pending_others);
            let (other, list) = &mut others[i];
            let n = list.remove(0);
            accepted.push(json!({"api_key": other, "nonce": n.to_string()}));
        }
    }

    let mut input = Map::new();
    input.insert("keys".to_owned(), Value::Array(keys));
    if window > 0 || rng.percent(50) {
        input.insert("nonce_window".to_owned(), Value::from(window));
    }
    if !accepted.is_empty() || rng.percent(30) {
        input.insert("accepted_nonces".to_owned(), Value::Array(accepted));
    }
    input.insert(
        "request".to_owned(),
        json!({"method": "POST", "path": path, "headers": verify_headers, "body": body}),
    );
    Ok(Draft {
        op: "verify",
        description: format!(
            "A {kind} request to {path} signed by the reference, accepted: {detail}; nonce {nonce}, window {window}, \
             {} earlier nonces of the key, {permissions_note}, {} other keys.",
            accepted_own.len(),
            other_keys.len()
        ),
        requirements,
        input: Value::Object(input),
        stages,
    })
}

/// Nonces a key accepted before `nonce`, in increasing order, such that `nonce` then passes with window `window`
/// (KSPOT-026, KSPOT-027): with no window, all below `nonce`; with a window, the highest `H` may be above `nonce`
/// as long as `nonce > H - window`, and `nonce` itself is never among them.
pub(super) fn accepted_nonces(rng: &mut Rng, nonce: u64, window: u64) -> Vec<u64> {
    let count = rng.size(0, 4);
    if count == 0 {
        return Vec::new();
    }
    // In increasing order every value is accepted when recorded; what matters is the highest, H: below the
    // nonce without a window, and H < nonce + window (so nonce > H - window) with one.
    let hi = if window == 0 {
        if nonce <= 1 {
            return Vec::new();
        }
        nonce - 1
    } else {
        nonce.saturating_add(window - 1)
    };
    let spread = if rng.percent(50) {
        hi
    } else {
        window.max(1000).saturating_mul(2)
    };
    let lo = hi.saturating_sub(spread).max(1);
    let mut values: Vec<u64> = (0..count)
        .map(|_| rng.range(lo, hi))
        .filter(|&n| n != nonce)
        .collect();
    values.sort_unstable();
    values.dedup();
    values
}

/// A form body holding `nonce` and its headers: `(body, headers object, description)`.
fn form_request(rng: &mut Rng, nonce: u64) -> (String, Value, String) {
    let mut pieces = text::form_pieces(rng, 0, 8);
    let params = pieces.len();
    let name = if rng.percent(5) { "%6Eonce" } else { "nonce" };
    let digits = nonce.to_string();
    let value = if rng.percent(15) {
        let lower = rng.percent(50);
        digits
            .chars()
            .map(|c| {
                if rng.percent(30) {
                    let code = u32::from(c);
                    if lower {
                        format!("%{code:02x}")
                    } else {
                        format!("%{code:02X}")
                    }
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        digits
    };
    let at = rng.size(0, pieces.len());
    pieces.insert(at, format!("{name}={value}"));
    if rng.percent(10) {
        let at = rng.size(0, pieces.len());
        pieces.insert(at, String::new());
    }
    let mut body = pieces.join("&");
    if rng.percent(5) {
        body.push('&');
    }
    let content_type = match rng.weighted(&[25, 45, 15, 10, 5]) {
        0 => None,
        1 => Some("application/x-www-form-urlencoded".to_owned()),
        2 => Some("application/x-www-form-urlencoded; charset=utf-8".to_owned()),
        3 => Some(
            (*rng.pick(&[
                "text/plain",
                "application/vnd.api+json",
                "multipart/form-data",
            ]))
            .to_owned(),
        ),
        _ => Some("application/jsonx".to_owned()),
    };
    let mut headers = Map::new();
    if let Some(content_type) = &content_type {
        let name = *rng.pick(&["Content-Type", "content-type", "CONTENT-TYPE"]);
        headers.insert(name.to_owned(), Value::from(content_type.clone()));
    }
    if rng.percent(20) {
        headers.insert(
            "User-Agent".to_owned(),
            Value::from(format!("authspec-gen/{}", rng.text_from(text::ALNUM, 1, 8))),
        );
    }
    let detail = format!(
        "{params} parameters besides the nonce, Content-Type {}",
        content_type.as_deref().unwrap_or("absent")
    );
    (body, Value::Object(headers), detail)
}

/// A JSON body holding `nonce` and its headers: `(body, headers object, description)`.
fn json_request(rng: &mut Rng, nonce: u64) -> (String, Value, String) {
    let mut members = text::json_members(rng, 0, 7, 2);
    let params = members.len();
    let as_string = rng.percent(50);
    let token = if as_string {
        format!("\"{nonce}\"")
    } else {
        nonce.to_string()
    };
    let at = rng.size(0, members.len());
    members.insert(at, ("\"nonce\"".to_owned(), token));
    let mut body = String::new();
    if rng.percent(10) {
        body.push_str(text::json_ws(rng));
    }
    body.push_str(&text::json_object(rng, &members));
    if rng.percent(10) {
        body.push_str(rng.pick_str(&[" ", "\n", "\r\n", "\t"]));
    }
    let media = *rng.pick(&[
        "application/json",
        "application/json",
        "application/json",
        "Application/JSON",
        "APPLICATION/JSON",
    ]);
    let content_type = match rng.weighted(&[60, 20, 10, 10]) {
        0 => media.to_owned(),
        1 => format!("{media}; charset={}", rng.pick(&["utf-8", "UTF-8"])),
        2 => format!(" {media} ;charset=utf-8"),
        _ => format!("\t{media}\t"),
    };
    let name = *rng.pick(&["Content-Type", "content-type", "Content-type"]);
    let mut headers = Map::new();
    headers.insert(name.to_owned(), Value::from(content_type.clone()));
    let detail = format!(
        "{params} members besides the nonce (a JSON {}), Content-Type {content_type:?}",
        if as_string { "string" } else { "number" }
    );
    (body, Value::Object(headers), detail)
}

//! Random `kazoo-crossbar` vectors (spec/kazoo-crossbar.md): the client ops `credentials`, `user-auth-request`
//! and `basic-header`.
//!
//! Vector `i` is, by `i mod 3`: 0 `credentials`, 1 `user-auth-request`, 2 `basic-header`.
//!
//! - Username: an e-mail-like or plain name in mixed case, often with non-ASCII letters whose case ASCII
//!   lowercase must leave alone (`É`, `Ü`, `İ`, the Kelvin sign, `ß`, Greek, Cyrillic), spaces and symbols, and
//!   rarely the empty text (KAZOO-002).
//! - Password: any text, non-ASCII, spaces, `:` and the empty text included, used exactly as given (KAZOO-002).
//! - Hash method: `md5` or `sha` (KAZOO-001, KAZOO-003).
//! - Account selector (`user-auth-request`): exactly one of `account_name`, `account_realm`, `phone_number`, with
//!   a string value (KAZOO-005).
//! - Account id (`basic-header`): 32 hex digits, as Kazoo issues them, or any text (KAZOO-008).

use serde_json::json;

use super::Draft;
use super::rng::Rng;
use super::text;

/// Draws vector `index` (module doc).
pub(super) fn draw(rng: &mut Rng, index: u64) -> Result<Draft, String> {
    let username = username(rng);
    let password = password(rng);
    let method = *rng.pick(&["md5", "sha"]);
    let who = format!(
        "username of {} characters{}, password of {} characters",
        username.chars().count(),
        if username.is_ascii() {
            ""
        } else {
            " (non-ASCII)"
        },
        password.chars().count()
    );
    Ok(match index % 3 {
        0 => Draft {
            op: "credentials",
            description: format!("Random {method} credentials: {who}."),
            requirements: vec!["KAZOO-001", "KAZOO-002"],
            input: json!({"username": username, "password": password, "method": method}),
            stages: None,
        },
        1 => {
            let (selector, value) = match rng.below(3) {
                0 => (
                    "account_name",
                    format!(
                        "{}corp",
                        rng.text_from(text::ALNUM, 0, 12).to_ascii_lowercase()
                    ),
                ),
                1 => (
                    "account_realm",
                    format!(
                        "{}.sip.example.net",
                        rng.text_from("abcdefghijklmnopqrstuvwxyz0123456789-", 1, 16)
                    ),
                ),
                _ => (
                    "phone_number",
                    format!("+{}", rng.text_from("0123456789", 8, 15)),
                ),
            };
            let value = if rng.percent(15) {
                text::value_text(rng, 0, 20)
            } else {
                value
            };
            Draft {
                op: "user-auth-request",
                description: format!("A random {method} user_auth request by {selector}: {who}."),
                requirements: vec!["KAZOO-001", "KAZOO-002", "KAZOO-004", "KAZOO-005"],
                input: json!({
                    "username": username,
                    "password": password,
                    "method": method,
                    "account": {selector: value},
                }),
                stages: None,
            }
        }
        _ => {
            let account_id = if rng.percent(85) {
                text::hex(&rng.bytes(16))
            } else {
                text::value_text(rng, 1, 40)
            };
            Draft {
                op: "basic-header",
                description: format!("A random Basic header (MD5 credentials): {who}."),
                requirements: vec!["KAZOO-002", "KAZOO-008"],
                input: json!({"account_id": account_id, "username": username, "password": password}),
                stages: None,
            }
        }
    })
}

/// A username (module doc).
fn username(rng: &mut Rng) -> String {
    const MIXED: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    match rng.weighted(&[40, 30, 25, 5]) {
        0 => format!(
            "{}@{}.{}",
            rng.text_from(MIXED, 1, 12),
            rng.text_from(MIXED, 1, 10),
            rng.pick(&["com", "COM", "Net", "example"])
        ),
        1 => {
            let pool = format!("{MIXED}ÉÜİıKßΣσДжéüñÅ");
            rng.text_from(&pool, 1, 16)
        }
        2 => text::value_text(rng, 1, 24),
        _ => String::new(),
    }
}

/// A password (module doc).
fn password(rng: &mut Rng) -> String {
    if rng.percent(5) {
        String::new()
    } else {
        text::value_text(rng, 1, 32)
    }
}

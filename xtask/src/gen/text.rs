//! Random texts shared by the scheme generators: base64 secrets, API keys, nonces, JSON texts (written token by
//! token, with varied whitespace and escapes), form parameters (percent-encoded), and RFC 3339 times on the
//! proleptic Gregorian calendar. Everything is drawn from [`Rng`], never from a library that could change.

use std::fmt::Write as _;

use super::rng::Rng;

/// Standard base64 (RFC 4648 section 4), padded.
pub(crate) fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Letters and digits.
pub(crate) const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Every visible ASCII character (0x21 to 0x7E).
pub(crate) fn visible_ascii() -> String {
    (0x21u8..=0x7e).map(char::from).collect()
}

/// Non-ASCII characters that trip implementations: Latin-1, combining marks, case-folding traps (dotted I,
/// Kelvin sign, sharp s, final sigma), Greek, Cyrillic, CJK, right-to-left, a no-break space, and characters
/// outside the Basic Multilingual Plane (UTF-16 surrogate pairs).
pub(crate) const UNICODE: &str = "éÉüÜßİıKΣσςДжあ中文한€£\u{a0}\u{301}עبñÅ😀🔑𝔘𐍈";

/// A secret as a standard base64 text: decoded length 64 (as Kraken issues) half the time, else 1 to 200 bytes.
pub(crate) fn secret(rng: &mut Rng) -> (String, usize) {
    let len = if rng.percent(50) {
        64
    } else {
        rng.size(1, 200)
    };
    (base64(&rng.bytes(len)), len)
}

/// An API key: a non-empty text of visible ASCII (KSPOT-004, KFUT-004): Kraken-like base64 of 42 bytes (56
/// characters), an `authspec-` name, or any visible ASCII.
pub(crate) fn api_key(rng: &mut Rng) -> String {
    match rng.weighted(&[5, 3, 2]) {
        0 => base64(&rng.bytes(42)),
        1 => format!("authspec-{}", rng.text_from(ALNUM, 4, 16)),
        _ => rng.text_from(&visible_ascii(), 1, 40),
    }
}

/// A nonce as canonical decimal u64: milliseconds, nanoseconds, small, or any 64-bit value; at least `min`.
pub(crate) fn nonce(rng: &mut Rng, min: u64) -> u64 {
    let n = match rng.weighted(&[35, 25, 20, 20]) {
        0 => rng.range(1_500_000_000_000, 2_500_000_000_000),
        1 => rng.range(1_000_000_000_000_000_000, u64::MAX),
        2 => rng.range(0, 1_000_000),
        _ => rng.next_u64(),
    };
    n.max(min)
}

/// Text for a value: printable ASCII mostly, some non-ASCII, sometimes spaces and controls-free punctuation.
pub(crate) fn value_text(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let len = rng.size(lo, hi);
    let ascii: Vec<char> = (0x20u8..=0x7e).map(char::from).collect();
    let unicode: Vec<char> = UNICODE.chars().collect();
    let alnum: Vec<char> = ALNUM.chars().collect();
    (0..len)
        .map(|_| match rng.weighted(&[6, 3, 1]) {
            0 => *rng.pick(&alnum),
            1 => *rng.pick(&ascii),
            _ => *rng.pick(&unicode),
        })
        .collect()
}

/// Percent-encodes `text` for a form or query: unreserved characters raw; a space as `+` or `%20` (chosen per
/// text); non-ASCII as `%XX` of the UTF-8 bytes or, sometimes, raw; everything else as `%XX`, the hex digits
/// upper-case or lower-case (chosen per text).
pub(crate) fn form_encode(rng: &mut Rng, text: &str) -> String {
    let plus = rng.percent(50);
    let lower = rng.percent(25);
    let raw_unicode = rng.percent(15);
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || "-._~".contains(c) {
            out.push(c);
        } else if c == ' ' && plus {
            out.push('+');
        } else if !c.is_ascii() && raw_unicode {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                if lower {
                    let _ = write!(out, "%{b:02x}");
                } else {
                    let _ = write!(out, "%{b:02X}");
                }
            }
        }
    }
    out
}

/// A parameter name: letters, digits, `_`, `.`, `-`, `[`, `]`, 1 to 12 characters, never `nonce`.
pub(crate) fn param_name(rng: &mut Rng) -> String {
    const NAMES: &[&str] = &[
        "pair",
        "type",
        "ordertype",
        "price",
        "volume",
        "symbol",
        "side",
        "size",
        "limitPrice",
        "orderType",
        "cliOrdId",
        "userref",
        "oflags",
        "asset",
        "amount",
        "key",
        "txid",
        "trades",
        "start",
        "end",
        "otp",
        "Nonce",
        "nonces",
        "orders[0][type]",
    ];
    if rng.percent(60) {
        return (*rng.pick(NAMES)).to_owned();
    }
    loop {
        let name = rng.text_from(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-[]",
            1,
            12,
        );
        if name != "nonce" {
            return name;
        }
    }
}

/// A form (or query) text of `lo..=hi` parameters `name=value` joined by `&`, values percent-encoded; sometimes
/// a parameter without `=` or with an empty value. Returns the pieces, to be joined by the caller (who may add
/// a nonce among them).
pub(crate) fn form_pieces(rng: &mut Rng, lo: usize, hi: usize) -> Vec<String> {
    let count = rng.size(lo, hi);
    (0..count)
        .map(|_| {
            let name = param_name(rng);
            match rng.weighted(&[85, 8, 7]) {
                0 => {
                    let value = value_text(rng, 1, 24);
                    format!("{name}={}", form_encode(rng, &value))
                }
                1 => format!("{name}="),
                _ => name,
            }
        })
        .collect()
}

/// A random JSON string token (with the quotes): raw characters, sometimes a control character (escaped),
/// `\uXXXX` escapes (surrogate pairs for characters outside the BMP), `\/`, never a lone surrogate.
pub(crate) fn json_string(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let mut text = value_text(rng, lo, hi);
    if rng.percent(10) {
        let at = text.char_indices().map(|(i, _)| i).collect::<Vec<_>>();
        let at = if at.is_empty() { 0 } else { *rng.pick(&at) };
        text.insert(
            at,
            *rng.pick(&[
                '\n', '\t', '\r', '\u{1}', '\u{1f}', '\u{7f}', '\u{8}', '\u{c}',
            ]),
        );
    }
    json_quote(rng, &text)
}

/// `text` as a JSON string token, each character written raw or escaped at random (controls always escaped).
pub(crate) fn json_quote(rng: &mut Rng, text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        let escape = rng.percent(8);
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if escape => out.push_str("\\/"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || escape => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    if rng.percent(50) {
                        let _ = write!(out, "\\u{unit:04x}");
                    } else {
                        let _ = write!(out, "\\u{unit:04X}");
                    }
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A random JSON number token (RFC 8259 grammar): integer, fraction and exponent parts, any of them.
pub(crate) fn json_number(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.percent(20) {
        out.push('-');
    }
    if rng.percent(15) {
        out.push('0');
    } else {
        out.push(char::from(b'1' + u8::try_from(rng.below(9)).unwrap_or(0)));
        out.push_str(&rng.text_from("0123456789", 0, 12));
    }
    if rng.percent(30) {
        out.push('.');
        out.push_str(&rng.text_from("0123456789", 1, 8));
    }
    if rng.percent(10) {
        out.push(*rng.pick(&['e', 'E']));
        out.push_str(rng.pick_str(&["", "+", "-"]));
        out.push_str(&rng.text_from("0123456789", 1, 3));
    }
    out
}

/// JSON whitespace between tokens: mostly none.
pub(crate) fn json_ws(rng: &mut Rng) -> &'static str {
    if rng.percent(80) {
        ""
    } else {
        const WS: &[&str] = &[" ", "  ", "\n", "\t", "\r\n", "\n  "];
        rng.pick_str(WS)
    }
}

/// A random JSON value's text, nesting at most `depth` more levels.
pub(crate) fn json_value(rng: &mut Rng, depth: u32) -> String {
    let kinds: &[u64] = if depth == 0 {
        &[4, 3, 1, 1, 0, 0]
    } else {
        &[4, 3, 1, 1, 1, 1]
    };
    match rng.weighted(kinds) {
        0 => json_string(rng, 0, 16),
        1 => json_number(rng),
        2 => (*rng.pick(&["true", "false"])).to_owned(),
        3 => "null".to_owned(),
        4 => {
            let items: Vec<String> = (0..rng.size(0, 4))
                .map(|_| json_value(rng, depth - 1))
                .collect();
            json_array(rng, &items)
        }
        _ => {
            let members = json_members(rng, 0, 4, depth - 1);
            json_object(rng, &members)
        }
    }
}

/// An array text of the given item texts.
pub(crate) fn json_array(rng: &mut Rng, items: &[String]) -> String {
    let mut out = String::from("[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(json_ws(rng));
            out.push(',');
        }
        out.push_str(json_ws(rng));
        out.push_str(item);
    }
    out.push_str(json_ws(rng));
    out.push(']');
    out
}

/// `lo..=hi` object members `(name token, value text)` with distinct names, none of them `nonce`.
pub(crate) fn json_members(
    rng: &mut Rng,
    lo: usize,
    hi: usize,
    depth: u32,
) -> Vec<(String, String)> {
    let mut names: Vec<String> = Vec::new();
    let count = rng.size(lo, hi);
    let mut members = Vec::new();
    for _ in 0..count {
        let name = if rng.percent(85) {
            param_name(rng)
        } else {
            value_text(rng, 1, 8)
        };
        if name == "nonce" || names.contains(&name) {
            continue;
        }
        names.push(name.clone());
        let token = json_quote(rng, &name);
        let value = json_value(rng, depth);
        members.push((token, value));
    }
    members
}

/// An object text of the given members.
pub(crate) fn json_object(rng: &mut Rng, members: &[(String, String)]) -> String {
    let mut out = String::from("{");
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            out.push_str(json_ws(rng));
            out.push(',');
        }
        out.push_str(json_ws(rng));
        out.push_str(name);
        out.push_str(json_ws(rng));
        out.push(':');
        out.push_str(json_ws(rng));
        out.push_str(value);
    }
    out.push_str(json_ws(rng));
    out.push('}');
    out
}

/// Whether `year` is a leap year of the proleptic Gregorian calendar.
pub(crate) fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1 to 12) of `year`.
pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day count since 1970-01-01 (Hinnant's `civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A UTC instant in whole seconds since 1970-01-01T00:00:00Z, as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn utc_seconds_text(seconds: i64) -> String {
    let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
    let rem = seconds.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// An HTTP date (RFC 9110 section 5.6.7) of a UTC instant in whole seconds, in one of three forms:
/// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, asctime `Sun Nov  6 08:49:37 1994`, or
/// `Sun, 06-Nov-1994 08:49:37 GMT`.
pub(crate) fn http_date(seconds: i64, form: usize) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = seconds.div_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let weekday = DAYS[usize::try_from(days.rem_euclid(7)).unwrap_or(0)];
    let month = MONTHS[usize::try_from(month - 1).unwrap_or(0)];
    let rem = seconds.rem_euclid(86_400);
    let time = format!("{:02}:{:02}:{:02}", rem / 3600, rem / 60 % 60, rem % 60);
    match form {
        0 => format!("{weekday}, {day:02} {month} {year:04} {time} GMT"),
        1 => format!("{weekday} {month} {day:>2} {time} {year:04}"),
        _ => format!("{weekday}, {day:02}-{month}-{year:04} {time} GMT"),
    }
}

/// A random instant in whole seconds between 2000-01-01 and 2089-12-31.
pub(crate) fn instant(rng: &mut Rng) -> i64 {
    let lo = days_from_civil(2000, 1, 1) * 86_400;
    let hi = days_from_civil(2090, 1, 1) * 86_400 - 1;
    lo + i64::try_from(rng.below(u64::try_from(hi - lo).unwrap_or(1))).unwrap_or(0)
}

/// A random fraction of a second for an RFC 3339 time: none (half the time), or `.` and 1 to 9 digits.
pub(crate) fn fraction(rng: &mut Rng) -> String {
    if rng.percent(50) {
        String::new()
    } else {
        format!(".{}", rng.text_from("0123456789", 1, 9))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn calendar_round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(utc_seconds_text(1_748_766_600), "2025-06-01T08:30:00Z");
        assert_eq!(http_date(784_111_777, 0), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(784_111_777, 1), "Sun Nov  6 08:49:37 1994");
        assert_eq!(http_date(784_111_777, 2), "Sun, 06-Nov-1994 08:49:37 GMT");
    }
}

#![doc = include_str!("../README.md")]
//!
//! # Module contract
//!
//! [`sign`] is the whole signer: it checks its inputs in the order of `spec/kraken-spot.md`, "Signer refusals",
//! refuses at the first failure with a [`Refusal`] whose [`Refusal::code`] is the spec's error code, and otherwise
//! returns the headers together with every intermediate [`Stages`] value. Everything below it is written by hand
//! on purpose (HMAC over `sha2::Sha512`, base64, the form scan, the nonce syntax, a small JSON reader), so that a
//! shared bug with the reference crate `auth-kraken-spot` is unlikely: the example is a second, independent
//! reading of the spec, and the corpus decides between the two.

use std::fmt;

use sha2::{Digest, Sha256, Sha512};

/// Why the signer produced no signature. Checked, and reported, in this order (first failure wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// The API key is empty or has a byte outside visible ASCII 0x21..=0x7E (KSPOT-004).
    ApiKeyInvalid,
    /// The secret is not canonical, padded, standard base64 (KSPOT-002).
    SecretInvalid,
    /// The secret decodes to zero bytes (KSPOT-003).
    SecretEmpty,
    /// The method is not exactly `POST` (KSPOT-005).
    MethodInvalid,
    /// The path is not `/0/private/<Endpoint>` with an alphanumeric endpoint (KSPOT-006).
    PathInvalid,
    /// The nonce is not the canonical decimal text of a `u64` (KSPOT-007).
    NonceInvalid,
    /// The body is malformed for its kind, or names `nonce` more than once (KSPOT-012).
    BodyInvalid,
    /// The body carries no nonce (KSPOT-008). A JSON `null` nonce counts as none.
    NonceMissing,
    /// The body's nonce differs from the nonce being signed (KSPOT-009).
    NonceMismatch,
}

impl Refusal {
    /// The stable error code of `spec/error-codes.md` (`secret-invalid`, `nonce-mismatch`, ...).
    pub fn code(self) -> &'static str {
        match self {
            Refusal::ApiKeyInvalid => "api-key-invalid",
            Refusal::SecretInvalid => "secret-invalid",
            Refusal::SecretEmpty => "secret-empty",
            Refusal::MethodInvalid => "method-invalid",
            Refusal::PathInvalid => "path-invalid",
            Refusal::NonceInvalid => "nonce-invalid",
            Refusal::BodyInvalid => "body-invalid",
            Refusal::NonceMissing => "nonce-missing",
            Refusal::NonceMismatch => "nonce-mismatch",
        }
    }
}

impl fmt::Display for Refusal {
    /// A human explanation; it never quotes the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let why = match self {
            Refusal::ApiKeyInvalid => "the API key must be non-empty visible ASCII",
            Refusal::SecretInvalid => "the secret is not canonical padded standard base64",
            Refusal::SecretEmpty => "the secret decodes to zero bytes",
            Refusal::MethodInvalid => "private endpoints take POST",
            Refusal::PathInvalid => {
                "the path must be /0/private/<Endpoint> without query or fragment"
            }
            Refusal::NonceInvalid => {
                "the nonce must be canonical decimal of an unsigned 64-bit integer"
            }
            Refusal::BodyInvalid => {
                "the body is malformed for its content type or names the nonce twice"
            }
            Refusal::NonceMissing => "the body carries no nonce",
            Refusal::NonceMismatch => "the body's nonce differs from the nonce being signed",
        };
        write!(f, "{}: {why}", self.code())
    }
}

impl std::error::Error for Refusal {}

/// The intermediate values of one signature, raw; [`Stages::reported`] renders them in the spec's encodings.
#[derive(Clone, PartialEq, Eq)]
pub struct Stages {
    /// `hmac_key`: the decoded secret.
    pub hmac_key: Vec<u8>,
    /// `sha256_input`: the nonce text immediately followed by the body bytes.
    pub sha256_input: Vec<u8>,
    /// `sha256_digest`: SHA-256 of `sha256_input`.
    pub sha256_digest: [u8; 32],
    /// `hmac_message`: the path's bytes followed by the 32 raw digest bytes.
    pub hmac_message: Vec<u8>,
    /// `hmac_digest`: HMAC-SHA-512 keyed with `hmac_key` over `hmac_message`.
    pub hmac_digest: [u8; 64],
}

impl Stages {
    /// `(name, value)` pairs in the spec's order, names and encodings: hex for bytes, text for `sha256_input`,
    /// base64 for `api_sign`. `sha256_input` is left out when the body is not UTF-8 (it then has no text form).
    pub fn reported(&self) -> Vec<(&'static str, String)> {
        let mut stages = vec![("hmac_key", hex(&self.hmac_key))];
        if let Ok(text) = std::str::from_utf8(&self.sha256_input) {
            stages.push(("sha256_input", text.to_owned()));
        }
        stages.push(("sha256_digest", hex(&self.sha256_digest)));
        stages.push(("hmac_message", hex(&self.hmac_message)));
        stages.push(("hmac_digest", hex(&self.hmac_digest)));
        stages.push(("api_sign", base64_encode(&self.hmac_digest)));
        stages
    }
}

impl fmt::Debug for Stages {
    /// Redacts the HMAC key: debug output must never carry the secret (CORE-001).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stages")
            .field(
                "hmac_key",
                &format_args!("<{} bytes redacted>", self.hmac_key.len()),
            )
            .field("sha256_input", &String::from_utf8_lossy(&self.sha256_input))
            .field("sha256_digest", &hex(&self.sha256_digest))
            .field("hmac_message", &hex(&self.hmac_message))
            .field("hmac_digest", &hex(&self.hmac_digest))
            .finish()
    }
}

/// A signed request: the two headers to add, and how they were computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    /// The `API-Key` header value: the API key exactly as given.
    pub api_key: String,
    /// The `API-Sign` header value: padded standard base64 of the 64-byte MAC (88 characters).
    pub api_sign: String,
    /// Every intermediate value, for debugging against the corpus's stages.
    pub stages: Stages,
}

/// Signs a private Kraken spot request, or refuses to.
///
/// `content_type` is the value of the request's `Content-Type` header, if any (finding the header, with a
/// case-insensitive name, is the caller's job); it selects a JSON body for the media type `application/json` and
/// a form body for anything else. `body` is hashed exactly as given; `nonce` is the decimal text to sign with and
/// must equal the nonce inside `body`.
///
/// ```
/// let signature = alt_kraken_spot::sign(
///     "my-api-key",
///     "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
///     "POST",
///     "/0/private/AddOrder",
///     Some("application/x-www-form-urlencoded"),
///     b"nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25",
///     "1616492376594",
/// )?;
/// // Kraken's worked example ("Spot REST Authentication").
/// assert_eq!(
///     signature.api_sign,
///     "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ=="
/// );
/// # Ok::<(), alt_kraken_spot::Refusal>(())
/// ```
pub fn sign(
    api_key: &str,
    secret: &str,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
    nonce: &str,
) -> Result<Signature, Refusal> {
    if api_key.is_empty() || !api_key.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(Refusal::ApiKeyInvalid);
    }
    let hmac_key = base64_decode(secret).ok_or(Refusal::SecretInvalid)?;
    if hmac_key.is_empty() {
        return Err(Refusal::SecretEmpty);
    }
    if method != "POST" {
        return Err(Refusal::MethodInvalid);
    }
    let endpoint = path.strip_prefix("/0/private/").unwrap_or_default();
    if endpoint.is_empty() || !endpoint.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Refusal::PathInvalid);
    }
    if !is_canonical_u64(nonce) {
        return Err(Refusal::NonceInvalid);
    }
    if is_json_media_type(content_type) {
        check_json_nonce(body, nonce)?;
    } else {
        check_form_nonce(body, nonce)?;
    }

    let sha256_input = [nonce.as_bytes(), body].concat();
    let sha256_digest: [u8; 32] = Sha256::digest(&sha256_input).into();
    let hmac_message = [path.as_bytes(), &sha256_digest].concat();
    let hmac_digest = hmac_sha512(&hmac_key, &hmac_message);
    Ok(Signature {
        api_key: api_key.to_owned(),
        api_sign: base64_encode(&hmac_digest),
        stages: Stages {
            hmac_key,
            sha256_input,
            sha256_digest,
            hmac_message,
            hmac_digest,
        },
    })
}

/// SHA-512's block size in bytes, the HMAC key block of RFC 2104.
const BLOCK: usize = 128;

/// HMAC-SHA-512 (RFC 2104) built from plain SHA-512: `H((K ^ opad) || H((K ^ ipad) || message))`, where `K` is
/// the key zero-padded to the 128-byte block, or the key's SHA-512 digest, zero-padded, when it is longer.
pub fn hmac_sha512(key: &[u8], message: &[u8]) -> [u8; 64] {
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..64].copy_from_slice(&Sha512::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut inner_pad = block.map(|b| b ^ 0x36);
    let mut outer_pad = block.map(|b| b ^ 0x5c);
    let inner = Sha512::new()
        .chain_update(inner_pad)
        .chain_update(message)
        .finalize();
    let mac: [u8; 64] = Sha512::new()
        .chain_update(outer_pad)
        .chain_update(inner)
        .finalize()
        .into();
    // Best effort only (no `zeroize` dependency here): the padded key copies do not outlive the call.
    for pad in [&mut block, &mut inner_pad, &mut outer_pad] {
        pad.fill(0);
        std::hint::black_box(pad);
    }
    mac
}

/// The RFC 4648 section 4 alphabet.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with `=` padding (RFC 4648 section 4).
pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for group in data.chunks(3) {
        let word = group
            .iter()
            .enumerate()
            .fold(0u32, |word, (i, &b)| word | (u32::from(b) << (16 - 8 * i)));
        // A group of n bytes carries n + 1 significant characters; the rest of the quantum is padding.
        for i in 0..4 {
            if i <= group.len() {
                out.push(char::from(ALPHABET[(word >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Strict standard base64: only `A-Z a-z 0-9 + /`, length a multiple of 4, exactly the `=` padding the data
/// length needs, no whitespace, and zero unused bits in the last character (the canonical encoding, RFC 4648
/// section 3.5). `None` for anything else, including the URL-safe alphabet. The empty text decodes to no bytes.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return None;
    }
    let padding = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    if padding > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    // A bit accumulator instead of 4-character groups: `pending` holds the `bits` low bits not yet emitted.
    let (mut pending, mut bits) = (0u32, 0u32);
    for &b in &bytes[..bytes.len() - padding] {
        pending = (pending << 6) | sextet(b)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((pending >> bits) as u8);
            pending &= (1 << bits) - 1;
        }
    }
    // With the length a multiple of 4 and at most two `=`, the leftover is 0, 2 or 4 bits: they must be zero.
    (pending == 0).then_some(out)
}

fn sextet(c: u8) -> Option<u32> {
    let value = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes
        .iter()
        .flat_map(|&b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]])
        .map(char::from)
        .collect()
}

/// Canonical decimal of a `u64`, decided on the text alone: digits only, no leading zero, and, at the maximum
/// length of 20 digits, not above `u64::MAX` (equal-length digit strings compare like their values).
fn is_canonical_u64(text: &str) -> bool {
    const MAX: &[u8] = b"18446744073709551615";
    let digits = text.as_bytes();
    let syntax = !digits.is_empty()
        && digits.iter().all(u8::is_ascii_digit)
        && (digits == b"0" || digits[0] != b'0');
    syntax && (digits.len() < MAX.len() || digits.len() == MAX.len() && digits <= MAX)
}

/// KSPOT-017: the media type (before any `;`, spaces and tabs trimmed) is `application/json`, in any case.
fn is_json_media_type(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        let media_type = value
            .split_once(';')
            .map_or(value, |(media_type, _)| media_type);
        media_type
            .trim_matches([' ', '\t'])
            .eq_ignore_ascii_case("application/json")
    })
}

/// The form rules (WHATWG `application/x-www-form-urlencoded` parsing, used only to find the nonce): pieces
/// between `&`, empty ones skipped; name before the first `=`, value after it (empty without `=`); both decoded.
fn check_form_nonce(body: &[u8], nonce: &str) -> Result<(), Refusal> {
    let mut found: Option<Vec<u8>> = None;
    for piece in body.split(|&b| b == b'&').filter(|piece| !piece.is_empty()) {
        let mut halves = piece.splitn(2, |&b| b == b'=');
        let name = halves.next().unwrap_or_default();
        if form_decode(name) != b"nonce" {
            continue;
        }
        let value = form_decode(halves.next().unwrap_or_default());
        if found.replace(value).is_some() {
            return Err(Refusal::BodyInvalid);
        }
    }
    match found {
        None => Err(Refusal::NonceMissing),
        Some(value) if value == nonce.as_bytes() => Ok(()),
        Some(_) => Err(Refusal::NonceMismatch),
    }
}

/// `+` is a space; `%` and two hex digits is that byte; any other `%` stays literal.
fn form_decode(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    while let Some((&first, rest)) = raw.split_first() {
        raw = rest;
        match (first, rest) {
            (b'+', _) => out.push(b' '),
            (b'%', [high, low, after @ ..]) => match (hex_value(*high), hex_value(*low)) {
                (Some(high), Some(low)) => {
                    out.push((high << 4) | low);
                    raw = after;
                }
                _ => out.push(b'%'),
            },
            (other, _) => out.push(other),
        }
    }
    out
}

fn hex_value(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// The value of a top-level JSON member named `nonce`, as far as the nonce rules care.
enum JsonNonce {
    /// A number: its token exactly as written.
    Number(Vec<u8>),
    /// A string: its literal text between the quotes, escapes not resolved.
    Text(Vec<u8>),
    /// `null`: counts as no nonce.
    Null,
    /// `true`, `false`, an object or an array: never a nonce.
    Other,
}

/// KSPOT-009/011/012: a nonce is compared by its literal text (a string's characters between the quotes,
/// escapes kept; a number's token), and a `null` nonce counts as none.
fn check_json_nonce(body: &[u8], nonce: &str) -> Result<(), Refusal> {
    let text = std::str::from_utf8(body).map_err(|_| Refusal::BodyInvalid)?;
    let members = top_level_nonces(text.as_bytes()).ok_or(Refusal::BodyInvalid)?;
    let matches = match members.as_slice() {
        [] | [JsonNonce::Null] => return Err(Refusal::NonceMissing),
        [_, _, ..] => return Err(Refusal::BodyInvalid),
        [JsonNonce::Number(found) | JsonNonce::Text(found)] => found == nonce.as_bytes(),
        [JsonNonce::Other] => false,
    };
    if matches {
        Ok(())
    } else {
        Err(Refusal::NonceMismatch)
    }
}

/// What the JSON reader expects next.
#[derive(Clone, Copy)]
enum Expect {
    /// Any value.
    Value,
    /// A member name, `:`, then a value.
    Member,
    /// A value just ended: `,` or the innermost container's closing bracket (or the end of the text).
    After,
}

/// Reads `json` (RFC 8259, strict) whose top-level value must be an object, and returns the values of every
/// top-level member whose unescaped name is `nonce`; `None` when the text is not such a JSON text. The reader is a
/// loop over an explicit stack of open containers, so nesting depth is bounded by memory, not by recursion.
fn top_level_nonces(json: &[u8]) -> Option<Vec<JsonNonce>> {
    let mut cursor = Cursor {
        bytes: json,
        pos: 0,
    };
    cursor.skip_whitespace();
    if cursor.peek() != Some(b'{') {
        return None;
    }
    let mut open: Vec<u8> = Vec::new(); // closing byte of each open container, innermost last
    let mut nonce_value_at: Option<usize> = None;
    let mut nonces = Vec::new();
    let mut expect = Expect::Value;
    loop {
        expect = match expect {
            Expect::Value => {
                cursor.skip_whitespace();
                match cursor.peek()? {
                    open_byte @ (b'{' | b'[') => {
                        cursor.pos += 1;
                        cursor.skip_whitespace();
                        let (close, inside) = if open_byte == b'{' {
                            (b'}', Expect::Member)
                        } else {
                            (b']', Expect::Value)
                        };
                        if cursor.eat(close) {
                            Expect::After
                        } else {
                            open.push(close);
                            inside
                        }
                    }
                    b'"' => {
                        cursor.string()?;
                        Expect::After
                    }
                    b't' => cursor.literal(b"true")?,
                    b'f' => cursor.literal(b"false")?,
                    b'n' => cursor.literal(b"null")?,
                    _ => cursor.number()?,
                }
            }
            Expect::Member => {
                cursor.skip_whitespace();
                let name = cursor.string()?;
                cursor.skip_whitespace();
                if !cursor.eat(b':') {
                    return None;
                }
                cursor.skip_whitespace();
                if open.len() == 1 && name == b"nonce" {
                    nonce_value_at = Some(cursor.pos);
                }
                Expect::Value
            }
            Expect::After => {
                if open.len() == 1
                    && let Some(start) = nonce_value_at.take()
                {
                    nonces.push(classify(json.get(start..cursor.pos)?)?);
                }
                cursor.skip_whitespace();
                let Some(&close) = open.last() else {
                    // The top-level object is closed: only whitespace may follow.
                    return (cursor.pos == json.len()).then_some(nonces);
                };
                match cursor.bump()? {
                    b',' if close == b'}' => Expect::Member,
                    b',' => Expect::Value,
                    b if b == close => {
                        open.pop();
                        Expect::After
                    }
                    _ => return None,
                }
            }
        };
    }
}

fn classify(token: &[u8]) -> Option<JsonNonce> {
    Some(match token.first()? {
        b'"' => {
            // The token must be a valid string, but the nonce is its literal text between the quotes, escapes
            // kept: the spec compares text, not decoded values (spec/kraken-spot.md, R6).
            Cursor {
                bytes: token,
                pos: 0,
            }
            .string()?;
            JsonNonce::Text(token.get(1..token.len() - 1)?.to_vec())
        }
        b'-' | b'0'..=b'9' => JsonNonce::Number(token.to_vec()),
        b'n' => JsonNonce::Null,
        _ => JsonNonce::Other,
    })
}

/// A position in a JSON text; every reader method returns `None` on a syntax error.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn eat(&mut self, expected: u8) -> bool {
        let hit = self.peek() == Some(expected);
        if hit {
            self.pos += 1;
        }
        hit
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<Expect> {
        let rest = self.bytes.get(self.pos..)?;
        rest.starts_with(word).then(|| {
            self.pos += word.len();
            Expect::After
        })
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Option<Expect> {
        self.eat(b'-');
        match self.bump()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat(b'.') {
            self.digit()?;
            self.digits();
        }
        if self.eat(b'e') || self.eat(b'E') {
            let _sign = self.eat(b'+') || self.eat(b'-');
            self.digit()?;
            self.digits();
        }
        Some(Expect::After)
    }

    fn digit(&mut self) -> Option<()> {
        self.bump().filter(u8::is_ascii_digit).map(drop)
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    /// A string token; returns its value (escapes resolved) as UTF-8 bytes.
    fn string(&mut self) -> Option<Vec<u8>> {
        if !self.eat(b'"') {
            return None;
        }
        let mut value = Vec::new();
        loop {
            let c = match self.bump()? {
                b'"' => return Some(value),
                0x00..=0x1f => return None,
                b'\\' => match self.bump()? {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    b'u' => self.unicode_escape()?,
                    _ => return None,
                },
                raw => {
                    // Already valid UTF-8 (the caller checked the whole text): copy bytes through.
                    value.push(raw);
                    continue;
                }
            };
            value.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }

    /// After `\u`: four hex digits, joined with a following `\uDC00`-`\uDFFF` escape when they are a high
    /// surrogate. RFC 8259's grammar allows lone surrogates; they are kept as U+FFFD, which matches no nonce.
    fn unicode_escape(&mut self) -> Option<char> {
        let unit = self.hex4()?;
        if (0xd800..0xdc00).contains(&unit) && self.bytes.get(self.pos..)?.starts_with(b"\\u") {
            let mut ahead = Cursor {
                bytes: self.bytes,
                pos: self.pos + 2,
            };
            if let Some(low @ 0xdc00..0xe000) = ahead.hex4() {
                self.pos = ahead.pos;
                return char::from_u32(0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00));
            }
        }
        Some(char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER))
    }

    fn hex4(&mut self) -> Option<u32> {
        (0..4).try_fold(0u32, |unit, _| {
            Some((unit << 4) | char::from(self.bump()?).to_digit(16)?)
        })
    }
}

#[cfg(test)]
mod tests {
    //! The hand-written JSON reader against `serde_json` (an independent RFC 8259 parser) on valid and invalid
    //! texts, and the nonce rules on cases the corpus words differently (spec R5, R6).

    use super::*;

    fn nonce_members(json: &str) -> Option<usize> {
        top_level_nonces(json.as_bytes()).map(|members| members.len())
    }

    #[test]
    fn reader_agrees_with_serde_json_on_validity() {
        let texts = [
            r#"{}"#,
            r#" { } "#,
            r#"{"a":[1,2,{"b":null}],"c":{"d":[]},"e":"x\"y\\z\/\b\f\n\r\t\u00e9"}"#,
            r#"{"n":-0.5e+10,"m":0,"o":1E-2,"p":123456789012345678901234567890}"#,
            r#"{"a":[[[[[[[[[[[]]]]]]]]]]]}"#,
            "{\"a\":\"\u{1F680} raw\"}",
            r#"{"a":"\ud83d\ude80"}"#,
            r#"{"a":1,}"#,
            r#"{"a":[1,]}"#,
            r#"{"a" 1}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":1e}"#,
            r#"{"a":+1}"#,
            r#"{"a":-}"#,
            r#"{"a":NaN}"#,
            r#"{"a":tru}"#,
            r#"{"a":"\x"}"#,
            r#"{"a":"\u12g4"}"#,
            "{\"a\":\"tab\there\"}",
            r#"{"a":1}{"b":2}"#,
            r#"{"a":1} x"#,
            r#"{'a':1}"#,
            r#"{a:1}"#,
            r#"{"a":1"#,
            r#"{"a":[1}"#,
            r#"{"a":{1:2}}"#,
            r#"{,}"#,
            r#"{"a":1,,"b":2}"#,
            "",
            "   ",
        ];
        for text in texts {
            let serde_ok = serde_json::from_str::<serde_json::Value>(text).is_ok();
            assert_eq!(
                top_level_nonces(text.as_bytes()).is_some(),
                serde_ok,
                "validity of {text:?}"
            );
        }
    }

    /// Single-character mutations (delete, insert, replace) of valid bodies, from a fixed xorshift stream: every
    /// mutant is valid for the reader exactly when `serde_json` parses it to an object. Texts with `\u` escapes
    /// are left out, because `serde_json` refuses lone surrogates that RFC 8259's grammar allows (the reader keeps
    /// them, as U+FFFD).
    #[test]
    fn reader_agrees_with_serde_json_on_mutants() {
        let seeds = [
            r#"{"nonce":1700000020003,"orders":[{"price":"40000","close":{"type":"stop-loss"}},[]],"x":null}"#,
            "{\n  \"nonce\": \"17\",\n  \"v\": [true, false, -0.5e+10, 0, 1E-2]\n}\n",
            r#"{"a":"q\"\\\/\b\f\n\r\t","b":{},"c":[[],{}]}"#,
        ];
        let alphabet = b"{}[]\":,0123456789-+.eE \t\ntrufalsn\\x/";
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut random = |bound: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % bound as u64) as usize
        };
        let mut checked = 0;
        for round in 0..30_000 {
            let mut text = seeds[round % seeds.len()].as_bytes().to_vec();
            for _ in 0..1 + random(3) {
                let at = random(text.len() + 1);
                let c = alphabet[random(alphabet.len())];
                match random(3) {
                    0 if at < text.len() => drop(text.remove(at)),
                    1 if at < text.len() => text[at] = c,
                    _ => text.insert(at, c),
                }
            }
            let Ok(text) = String::from_utf8(text) else {
                continue;
            };
            if text.contains("\\u") {
                continue;
            }
            let serde = match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(value) => value.is_object(),
                // RFC 8259 puts no limit on a number's range (`1E400` is grammatical); serde_json refuses
                // numbers beyond f64. The reader follows the grammar, so these are not comparable.
                Err(error) if error.to_string().contains("number out of range") => continue,
                Err(_) => false,
            };
            assert_eq!(
                top_level_nonces(text.as_bytes()).is_some(),
                serde,
                "validity of {text:?}"
            );
            checked += 1;
        }
        assert!(checked > 20_000, "only {checked} mutants checked");
    }

    #[test]
    fn reader_refuses_valid_json_that_is_not_an_object() {
        for text in ["[]", "1", "\"nonce\"", "null", " [{\"nonce\":1}]"] {
            assert!(serde_json::from_str::<serde_json::Value>(text).is_ok());
            assert!(top_level_nonces(text.as_bytes()).is_none(), "{text:?}");
        }
    }

    #[test]
    fn reader_finds_only_top_level_nonce_members() {
        assert_eq!(nonce_members(r#"{"nonce":1}"#), Some(1));
        assert_eq!(
            nonce_members(r#"{"a":{"nonce":1},"b":[{"nonce":2}]}"#),
            Some(0)
        );
        assert_eq!(nonce_members(r#"{"non\u0063e":1,"nonce":"1"}"#), Some(2));
        assert_eq!(
            nonce_members(r#"{"nonce":{"nonce":1},"x":{"nonce":2}}"#),
            Some(1)
        );
        assert_eq!(nonce_members(r#"{"Nonce":1,"nonce ":2}"#), Some(0));
    }

    #[test]
    fn json_nonce_rules_follow_the_spec() {
        let check = |body: &str, nonce: &str| {
            check_json_nonce(body.as_bytes(), nonce).map_err(Refusal::code)
        };
        assert_eq!(check(r#"{"nonce":"1"}"#, "1"), Ok(()));
        assert_eq!(check(r#"{"nonce":"\u0031"}"#, "1"), Err("nonce-mismatch"));
        assert_eq!(check(r#"{"nonce":"1\u0030"}"#, "10"), Err("nonce-mismatch"));
        assert_eq!(check(r#"{"nonce":null}"#, "1"), Err("nonce-missing"));
        assert_eq!(
            check(r#"{"nonce":null,"nonce":1}"#, "1"),
            Err("body-invalid")
        );
        assert_eq!(check(r#"{"nonce":1.0}"#, "1"), Err("nonce-mismatch"));
        assert_eq!(check(r#"{"nonce":"1 "}"#, "1"), Err("nonce-mismatch"));
        assert_eq!(check(r#"{"nonce":"\ud800"}"#, "1"), Err("nonce-mismatch"));
        assert_eq!(check(r#"{"nonce":[1]}"#, "1"), Err("nonce-mismatch"));
        assert_eq!(
            check("{\"nonce\":1,\"x\":\"\u{0}\"}", "1"),
            Err("body-invalid")
        );
    }

    #[test]
    fn form_decoding_is_whatwg_style() {
        assert_eq!(form_decode(b"a+b%20c%2Bd%2b"), b"a b c+d+");
        assert_eq!(form_decode(b"100%"), b"100%");
        assert_eq!(form_decode(b"%zz%4"), b"%zz%4");
        assert_eq!(form_decode(b"%e2%82%ac"), "\u{20ac}".as_bytes());
    }

    #[test]
    fn nonce_syntax_is_decided_on_the_text() {
        for good in [
            "0",
            "1",
            "1616492376594",
            "18446744073709551615",
            "9999999999999999999",
        ] {
            assert!(is_canonical_u64(good), "{good}");
        }
        for bad in [
            "",
            "00",
            "01",
            "+1",
            "-1",
            " 1",
            "1.0",
            "18446744073709551616",
            "99999999999999999999",
            "1e3",
        ] {
            assert!(!is_canonical_u64(bad), "{bad}");
        }
    }
}

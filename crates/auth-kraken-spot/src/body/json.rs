//! JSON bodies: a one-pass, allocation-free RFC 8259 scanner that finds the top-level `nonce` member.
//!
//! Contract of [`find_nonce`]: the body must be exactly one JSON text (RFC 8259: UTF-8, whitespace only
//! around the value, strict string, number and literal grammar, surrogate escapes properly paired, at most
//! [`MAX_DEPTH`] nested arrays and objects) whose value is an object; its nonce member is the top-level member
//! whose name, after unescaping, is `nonce`. Anything else is `Malformed`, with a reason that says which rule
//! failed; a second nonce member is `Malformed` (KSPOT-012, even when both are equal); no nonce member, or one
//! whose value is `null`, is `NonceMissing`. The member's value is returned as borrowed text: the token as
//! written, or for a string its content between the quotes with its escapes kept: that literal text is the
//! nonce text (spec R6). [`Unescape`] decodes member names, which are compared by their value.
//!
//! Why a hand-written scanner rather than serde_json: the signer's hot path must never allocate, and
//! serde_json's value skipping allocates for members nested two levels deep or more (Kraken's `AddOrderBatch`
//! body, `{"nonce":1,"orders":[{"ordertype":"limit"}]}`). The scanner is also the one reading of a JSON body
//! that the signer and the verifier share, small enough to be fuzzed on its own. Its acceptance is meant to
//! equal `serde_json::from_slice::<serde_json::Value>` succeeding (the crate's differential tests check this),
//! with one deliberate difference: numbers are checked against the grammar only, so `1e400`, which serde_json
//! refuses as out of the range of an `f64`, is accepted (as the body was before this scanner).

use auth_core::hex::digit as hex;

use super::{BodyError, BodyNonce};

/// The most arrays and objects that may be open at once, the top-level object included.
///
/// serde_json's recursion limit is 128 but it refuses a container when opening it would leave no remaining
/// depth, so it accepts 127 nested containers and refuses 128; this matches it exactly.
const MAX_DEPTH: usize = 127;

/// The reason for any body that is not exactly one well-formed JSON text in UTF-8.
const NOT_JSON: BodyError = BodyError::Malformed("the JSON body is not valid JSON");
/// The reason for a well-formed JSON text whose top-level value is not an object.
const NOT_OBJECT: BodyError = BodyError::Malformed("the JSON body is not a JSON object");
/// The reason for a body with more than one top-level nonce member.
const NONCE_TWICE: BodyError = BodyError::Malformed("the JSON body names `nonce` more than once");

/// Finds the nonce member of a JSON body, validating the whole body on the way, without allocating.
pub(super) fn find_nonce(body: &[u8]) -> Result<BodyNonce<'_>, BodyError> {
    let text = std::str::from_utf8(body).map_err(|_| NOT_JSON)?;
    match Scanner::new(text).document().map_err(|Invalid| NOT_JSON)? {
        TopLevel::NotObject => Err(NOT_OBJECT),
        TopLevel::Object(Members { named: 0, .. }) => Err(BodyError::NonceMissing),
        TopLevel::Object(Members { named: 1, nonce }) => nonce.ok_or(BodyError::NonceMissing),
        TopLevel::Object(Members { .. }) => Err(NONCE_TWICE),
    }
}

/// The body is not one well-formed JSON text (the scanner's only error: the reason is chosen by the caller).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Invalid;

/// What a well-formed body's top-level value is.
#[derive(Debug)]
enum TopLevel<'a> {
    /// An object, with what it says about `nonce`.
    Object(Members<'a>),
    /// Any other value.
    NotObject,
}

/// The top-level object's nonce members.
#[derive(Debug, Default)]
struct Members<'a> {
    /// How many members are named `nonce` (saturating: only 0, 1 and more matter).
    named: u8,
    /// The first nonce member's value, `None` when it is `null` (or when there is none).
    nonce: Option<BodyNonce<'a>>,
}

/// What kind of value was scanned, as far as reading a nonce needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind<'a> {
    /// A string, with its content between the quotes (escapes undecoded).
    String(&'a str),
    /// `null`: no nonce.
    Null,
    /// A number, `true`, `false`, an array or an object: its token is the nonce.
    Other,
}

/// A cursor over a UTF-8 body; every method scans one grammar rule from the cursor and moves past it.
struct Scanner<'a> {
    /// The whole body, already checked to be UTF-8.
    text: &'a str,
    /// The byte offset of the next byte to read; always at an ASCII byte or the end when between tokens.
    pos: usize,
}

impl<'a> Scanner<'a> {
    /// A scanner at the start of `text`.
    fn new(text: &'a str) -> Self {
        Scanner { text, pos: 0 }
    }

    /// The next byte, if any.
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Moves past `byte`, which must be next.
    fn expect(&mut self, byte: u8) -> Result<(), Invalid> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Invalid)
        }
    }

    /// Moves past RFC 8259 whitespace (space, tab, line feed, carriage return; nothing else).
    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// The body's text from `start` to the cursor.
    fn since(&self, start: usize) -> Result<&'a str, Invalid> {
        self.text.get(start..self.pos).ok_or(Invalid)
    }

    /// Scans the whole body: one value with optional whitespace around it, and nothing else.
    fn document(mut self) -> Result<TopLevel<'a>, Invalid> {
        self.skip_whitespace();
        let top = if self.peek() == Some(b'{') {
            let mut members = Members::default();
            self.object(0, Some(&mut members))?;
            TopLevel::Object(members)
        } else {
            self.value(0)?;
            TopLevel::NotObject
        };
        self.skip_whitespace();
        if self.pos == self.text.len() {
            Ok(top)
        } else {
            Err(Invalid)
        }
    }

    /// Scans one value, with `open` arrays and objects open around it.
    fn value(&mut self, open: usize) -> Result<Kind<'a>, Invalid> {
        match self.peek() {
            Some(b'{') => self.object(open, None).map(|()| Kind::Other),
            Some(b'[') => self.array(open).map(|()| Kind::Other),
            Some(b'"') => self.string().map(Kind::String),
            Some(b't') => self.literal(b"true").map(|()| Kind::Other),
            Some(b'f') => self.literal(b"false").map(|()| Kind::Other),
            Some(b'n') => self.literal(b"null").map(|()| Kind::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(|()| Kind::Other),
            _ => Err(Invalid),
        }
    }

    /// The number of containers open once one more opens around `open`, if within [`MAX_DEPTH`].
    fn open(open: usize) -> Result<usize, Invalid> {
        let inner = open + 1;
        if inner <= MAX_DEPTH {
            Ok(inner)
        } else {
            Err(Invalid)
        }
    }

    /// Scans an object (next is `{`) with `open` containers around it. With `members` (the top level only),
    /// records its nonce members there.
    fn object(
        &mut self,
        open: usize,
        mut members: Option<&mut Members<'a>>,
    ) -> Result<(), Invalid> {
        let open = Self::open(open)?;
        self.expect(b'{')?;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            let name = self.string()?;
            self.skip_whitespace();
            self.expect(b':')?;
            self.skip_whitespace();
            let start = self.pos;
            let kind = self.value(open)?;
            if let Some(members) = members.as_deref_mut()
                && Unescape::new(name).eq(b"nonce".iter().copied().map(Ok))
            {
                members.named = members.named.saturating_add(1);
                if members.named == 1 {
                    members.nonce = match kind {
                        Kind::Null => None,
                        Kind::String(content) => Some(BodyNonce::JsonString(content)),
                        Kind::Other => Some(BodyNonce::JsonToken(self.since(start)?)),
                    };
                }
            }
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Invalid),
            }
        }
    }

    /// Scans an array (next is `[`) with `open` containers around it.
    fn array(&mut self, open: usize) -> Result<(), Invalid> {
        let open = Self::open(open)?;
        self.expect(b'[')?;
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            self.value(open)?;
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(Invalid),
            }
        }
    }

    /// Scans a string (next is `"`) and returns its content between the quotes, escapes undecoded. Every escape
    /// must decode (see [`escape`]); raw control characters U+0000..U+001F are refused. Other bytes need no
    /// check: the body is valid UTF-8 and a multi-byte character never contains an ASCII byte.
    fn string(&mut self) -> Result<&'a str, Invalid> {
        self.expect(b'"')?;
        let start = self.pos;
        let bytes = self.text.as_bytes();
        loop {
            match bytes.get(self.pos) {
                Some(b'"') => {
                    let content = self.since(start)?;
                    self.pos += 1;
                    return Ok(content);
                }
                Some(b'\\') => {
                    let (_, len) = bytes.get(self.pos..).and_then(escape).ok_or(Invalid)?;
                    self.pos += len;
                }
                Some(0x00..=0x1f) | None => return Err(Invalid),
                Some(_) => self.pos += 1,
            }
        }
    }

    /// Scans a number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`. What follows is checked by the caller
    /// (so `01` fails there, at the `1`).
    fn number(&mut self) -> Result<(), Invalid> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(Invalid),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.some_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.some_digits()?;
        }
        Ok(())
    }

    /// Moves past any ASCII digits.
    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// Moves past one or more ASCII digits.
    fn some_digits(&mut self) -> Result<(), Invalid> {
        let start = self.pos;
        self.digits();
        if self.pos > start {
            Ok(())
        } else {
            Err(Invalid)
        }
    }

    /// Moves past `word` (`true`, `false` or `null`), which must be next.
    fn literal(&mut self, word: &[u8]) -> Result<(), Invalid> {
        let end = self.pos + word.len();
        if self.text.as_bytes().get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(Invalid)
        }
    }
}

/// Decodes the escape at the start of `bytes` (which starts with its backslash): the character and the escape's
/// length in bytes, or `None` when it is not a JSON escape. A `\u` escape of a high surrogate must be followed
/// at once by a `\u` escape of a low surrogate, the pair standing for one character; a lone surrogate of
/// either kind is refused, as serde_json refuses it when it reads a string.
fn escape(bytes: &[u8]) -> Option<(char, usize)> {
    let simple = match bytes.get(..2)? {
        b"\\\"" => '"',
        b"\\\\" => '\\',
        b"\\/" => '/',
        b"\\b" => '\u{8}',
        b"\\f" => '\u{c}',
        b"\\n" => '\n',
        b"\\r" => '\r',
        b"\\t" => '\t',
        b"\\u" => {
            let unit = hex4(bytes.get(2..6)?)?;
            return match unit {
                0xD800..=0xDBFF => {
                    if bytes.get(6..8)? != b"\\u" {
                        return None;
                    }
                    let low = hex4(bytes.get(8..12)?)?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                        .map(|ch| (ch, 12))
                }
                0xDC00..=0xDFFF => None,
                _ => char::from_u32(unit).map(|ch| (ch, 6)),
            };
        }
        _ => return None,
    };
    Some((simple, 2))
}

/// The value of exactly four hex digits.
fn hex4(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |value, &digit| {
        Some(value << 4 | u32::from(hex(digit)?))
    })
}

/// A JSON string content was found not to unescape (only for hand-built [`BodyNonce::JsonString`] values: what
/// the scanner returns always unescapes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct InvalidEscape;

/// Unescapes a JSON string's content (between the quotes) into the UTF-8 bytes of its value, byte by byte, on
/// the fly: bytes outside escapes as they are, each escape as its character's UTF-8 encoding. At an invalid
/// escape it yields one `Err(InvalidEscape)` and ends.
pub(super) struct Unescape<'a> {
    /// The content not read yet.
    rest: &'a [u8],
    /// The UTF-8 encoding of the last escape's character.
    pending: [u8; 4],
    /// The index of the next byte of `pending` to yield.
    pending_next: usize,
    /// How many bytes of `pending` are in use.
    pending_len: usize,
}

impl<'a> Unescape<'a> {
    /// An unescaper over `raw`, a JSON string's content as written.
    pub(super) fn new(raw: &'a str) -> Self {
        Unescape {
            rest: raw.as_bytes(),
            pending: [0; 4],
            pending_next: 0,
            pending_len: 0,
        }
    }
}

impl Iterator for Unescape<'_> {
    type Item = Result<u8, InvalidEscape>;

    fn next(&mut self) -> Option<Self::Item> {
        let pending = self
            .pending
            .get(self.pending_next..self.pending_len)
            .unwrap_or_default();
        if let Some(&byte) = pending.first() {
            self.pending_next += 1;
            return Some(Ok(byte));
        }
        let (&first, after) = self.rest.split_first()?;
        if first != b'\\' {
            self.rest = after;
            return Some(Ok(first));
        }
        let Some((ch, len)) = escape(self.rest) else {
            self.rest = &[];
            return Some(Err(InvalidEscape));
        };
        self.rest = self.rest.get(len..).unwrap_or_default();
        self.pending_len = ch.encode_utf8(&mut self.pending).len();
        self.pending_next = 1;
        self.pending.first().copied().map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{BodyKind, find_nonce};
    use super::*;

    const NOT_JSON_ERR: Result<BodyNonce<'static>, BodyError> = Err(NOT_JSON);

    /// The scanner's verdict on `body`.
    fn scan(body: &[u8]) -> Result<BodyNonce<'_>, BodyError> {
        find_nonce(body, BodyKind::Json)
    }

    /// `{"nonce":1,"x":VALUE}`, to try `value` in a skipped member.
    fn in_member(value: &str) -> Vec<u8> {
        format!(r#"{{"nonce":1,"x":{value}}}"#).into_bytes()
    }

    /// `depth` containers nested (the outermost an object holding the nonce), alternating objects and arrays.
    fn nested(depth: usize) -> Vec<u8> {
        let mut body = String::from(r#"{"nonce":1,"x":"#);
        for level in 1..depth {
            body.push_str(if level % 2 == 0 { r#"{"a":"# } else { "[" });
        }
        body.push('0');
        for level in (1..depth).rev() {
            body.push(if level % 2 == 0 { '}' } else { ']' });
        }
        body.push('}');
        body.into_bytes()
    }

    /// Decodes a string content with [`Unescape`], `None` at an invalid escape.
    fn unescape(raw: &str) -> Option<Vec<u8>> {
        Unescape::new(raw).map(Result::ok).collect()
    }

    #[test]
    fn nonce_as_number_string_or_other_token() {
        let number = scan(br#"{"pair":{"nonce":1},"nonce":1616492376594}"#).unwrap();
        assert_eq!(number, BodyNonce::JsonToken("1616492376594"));
        assert_eq!(number.canonical(), Some(1_616_492_376_594));
        let string = scan(br#" {"nonce":"16\u0031"}"#).unwrap();
        assert_eq!(string, BodyNonce::JsonString(r"16\u0031"));
        // The literal text counts (spec R6): escapes are not decoded.
        assert!(!string.is(b"161"));
        assert!(string.is(br"16\u0031"));
        assert_eq!(string.canonical(), None);
        assert_eq!(scan(br#"{"nonce":1.5e3}"#).unwrap().canonical(), None);
        assert_eq!(
            scan(br#"{"nonce" : -0 , "a":1}"#),
            Ok(BodyNonce::JsonToken("-0"))
        );
        assert_eq!(scan(br#"{"nonce":true}"#), Ok(BodyNonce::JsonToken("true")));
        assert_eq!(scan(br#"{"nonce":true}"#).unwrap().canonical(), None);
        assert_eq!(
            scan(br#"{"nonce":false}"#),
            Ok(BodyNonce::JsonToken("false"))
        );
        assert_eq!(
            scan(br#"{"nonce": {"a" : [1, "]"]} }"#),
            Ok(BodyNonce::JsonToken(r#"{"a" : [1, "]"]}"#))
        );
        assert_eq!(scan(br#"{"nonce":[]}"#), Ok(BodyNonce::JsonToken("[]")));
        assert_eq!(scan(br#"{"nonce":""}"#), Ok(BodyNonce::JsonString("")));
        assert_eq!(scan(br#"{"nonce":""}"#).unwrap().canonical(), None);
    }

    #[test]
    fn add_order_batch_body() {
        let body = br#"{"nonce":1,"orders":[{"ordertype":"limit"}]}"#;
        assert_eq!(scan(body), Ok(BodyNonce::JsonToken("1")));
    }

    #[test]
    fn missing_or_null_nonce() {
        assert_eq!(scan(br#"{"n":1}"#), Err(BodyError::NonceMissing));
        assert_eq!(scan(b"{}"), Err(BodyError::NonceMissing));
        assert_eq!(scan(br#"{"nonce":null}"#), Err(BodyError::NonceMissing));
        // Only top-level members count; names compare exactly, after unescaping.
        assert_eq!(
            scan(br#"{"a":{"nonce":1},"b":[{"nonce":2}]}"#),
            Err(BodyError::NonceMissing)
        );
        assert_eq!(
            scan(br#"{"Nonce":1,"nonce ":2,"nonc":3,"nonces":4}"#),
            Err(BodyError::NonceMissing)
        );
    }

    #[test]
    fn escaped_names_count() {
        assert_eq!(scan(br#"{"non\u0063e":7}"#), Ok(BodyNonce::JsonToken("7")));
        assert_eq!(
            scan(br#"{"\u006E\u006f\u006e\u0063\u0065":"7"}"#),
            Ok(BodyNonce::JsonString("7"))
        );
        assert_eq!(scan(br#"{"non\\ce":7}"#), Err(BodyError::NonceMissing));
    }

    #[test]
    fn nonce_named_twice() {
        for body in [
            &br#"{"nonce":1,"nonce":1}"#[..],
            br#"{"nonce":1,"non\u0063e":2}"#,
            br#"{"nonce":null,"nonce":1}"#,
            br#"{"nonce":1,"a":{},"nonce":null}"#,
            br#"{"nonce":1,"nonce":2,"nonce":3}"#,
        ] {
            assert_eq!(
                scan(body),
                Err(NONCE_TWICE),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        // The whole body is validated before the duplicate is reported.
        assert_eq!(scan(br#"{"nonce":1,"nonce":2,}"#), NOT_JSON_ERR);
    }

    #[test]
    fn top_level_must_be_an_object() {
        for body in [
            &b"[1]"[..],
            br#"[{"nonce":1}]"#,
            b"1",
            b"\"nonce\"",
            b"null",
            b" true ",
        ] {
            assert_eq!(
                scan(body),
                Err(NOT_OBJECT),
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        // Not JSON at all is not "not an object".
        for body in [&b""[..], b"   ", b"[1", b"nonce=1", b"x"] {
            assert_eq!(
                scan(body),
                NOT_JSON_ERR,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn structure() {
        for body in [
            &br#"{"nonce":1"#[..],
            br#"{"nonce":1,}"#,
            br#"{,"nonce":1}"#,
            br#"{"nonce" 1}"#,
            br#"{"nonce":}"#,
            br#"{"nonce":1 "a":2}"#,
            br#"{nonce:1}"#,
            br#"{'nonce':1}"#,
            br#"{1:1}"#,
            br#"{"nonce":1,"a":[1,]}"#,
            br#"{"nonce":1,"a":[,1]}"#,
            br#"{"nonce":1,"a":[1 2]}"#,
            br#"{"nonce":1,"a":{"b":1]}"#,
            br#"{"nonce":1,"a":"#,
            br#"{"nonce":"1}"#,
            br#"{"nonce":1}}"#,
        ] {
            assert_eq!(
                scan(body),
                NOT_JSON_ERR,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn trailing_garbage_and_whitespace() {
        assert_eq!(
            scan(b" \t\r\n{\"nonce\"\t:\n1\r}\n\r\t "),
            Ok(BodyNonce::JsonToken("1"))
        );
        for body in [&b"{} x"[..], b"{}{}", b"{},", b"{}\0", b"{\"nonce\":1}]"] {
            assert_eq!(
                scan(body),
                NOT_JSON_ERR,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
        // Only RFC 8259 whitespace: no form feed, vertical tab or NBSP.
        for body in [
            &b"\x0c{}"[..],
            b"{}\x0b",
            "\u{a0}{}".as_bytes(),
            "{\u{2028}}".as_bytes(),
        ] {
            assert_eq!(
                scan(body),
                NOT_JSON_ERR,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn numbers() {
        for good in [
            "0", "-0", "7", "-12", "1.5", "0.0", "1e5", "1E+5", "1e-05", "-0.0e0", "12.34E56",
        ] {
            assert_eq!(
                scan(&in_member(good)),
                Ok(BodyNonce::JsonToken("1")),
                "{good}"
            );
            let body = format!(r#"{{"nonce":{good}}}"#);
            assert_eq!(scan(body.as_bytes()), Ok(BodyNonce::JsonToken(good)));
        }
        for bad in [
            "01",
            "-01",
            "00",
            "1.",
            ".5",
            "-",
            "1e",
            "1e+",
            "1E-",
            "+1",
            "1.e3",
            "0x1",
            "1.5.",
            "1e5e",
            "--1",
            "- 1",
            "NaN",
            "Infinity",
            "-Infinity",
            "1_000",
        ] {
            assert_eq!(scan(&in_member(bad)), NOT_JSON_ERR, "{bad}");
        }
        assert_eq!(scan(br#"{"nonce":01}"#), NOT_JSON_ERR);
        // Deliberately accepted although serde_json's `Value` refuses it (out of the range of an f64).
        assert_eq!(scan(&in_member("1e400")), Ok(BodyNonce::JsonToken("1")));
        assert_eq!(scan(br#"{"nonce":1e400}"#).unwrap().canonical(), None);
    }

    #[test]
    fn literals() {
        for good in ["true", "false", "null"] {
            assert_eq!(
                scan(&in_member(good)),
                Ok(BodyNonce::JsonToken("1")),
                "{good}"
            );
        }
        for bad in ["tru", "True", "nul", "nulls", "falsey", "t", "undefined"] {
            assert_eq!(scan(&in_member(bad)), NOT_JSON_ERR, "{bad}");
        }
    }

    #[test]
    fn strings_and_escapes() {
        for good in [
            r#""""#,
            r#""a\"b""#,
            r#""\\\/\b\f\n\r\t""#,
            r#""\u0000\u001F\uFFFF\u00e9""#,
            "\"\u{7f}é😀\"",
        ] {
            assert_eq!(
                scan(&in_member(good)),
                Ok(BodyNonce::JsonToken("1")),
                "{good}"
            );
        }
        for bad in [
            r#""\U0041""#,
            r#""\x41""#,
            r#""\a""#,
            r#""\'""#,
            r#""\u00G1""#,
            r#""\u004""#,
            r#""\u""#,
            r#""\""#,
            r#""a"#,
        ] {
            assert_eq!(scan(&in_member(bad)), NOT_JSON_ERR, "{bad}");
        }
    }

    #[test]
    fn raw_control_characters_are_malformed() {
        for byte in [0x00u8, 0x01, b'\t', b'\n', b'\r', 0x1f] {
            let value = format!("\"a{}b\"", char::from(byte));
            assert_eq!(scan(&in_member(&value)), NOT_JSON_ERR, "{byte:#x}");
            let name = format!("{{\"a{}\":1}}", char::from(byte));
            assert_eq!(scan(name.as_bytes()), NOT_JSON_ERR, "{byte:#x}");
        }
        // DEL is not a JSON control character.
        assert_eq!(
            scan(&in_member("\"\u{7f}\"")),
            Ok(BodyNonce::JsonToken("1"))
        );
    }

    #[test]
    fn surrogates_must_pair() {
        let pair = scan(br#"{"nonce":"\ud83d\uDE00"}"#).unwrap();
        assert_eq!(pair, BodyNonce::JsonString(r"\ud83d\uDE00"));
        // Lone surrogates are malformed anywhere (serde_json refuses them when it reads a string), even in a
        // skipped member, where serde_json's former skipping path let them through.
        for bad in [
            r#""\ud800""#,
            r#""\udc00""#,
            r#""\udfff\ud800""#,
            r#""\ud800x""#,
            r#""\ud800\n""#,
            r#""\ud800\u0041""#,
            r#""\ud800\ud800""#,
            r#""\ud800\u""#,
            r#""\ud800\udc0""#,
        ] {
            assert_eq!(scan(&in_member(bad)), NOT_JSON_ERR, "{bad}");
            assert_eq!(
                scan(format!(r#"{{"nonce":{bad}}}"#).as_bytes()),
                NOT_JSON_ERR,
                "{bad}"
            );
            assert_eq!(
                scan(format!(r#"{{{bad}:1,"nonce":1}}"#).as_bytes()),
                NOT_JSON_ERR,
                "{bad}"
            );
        }
    }

    #[test]
    fn utf8_is_required() {
        for body in [
            &b"\xff"[..],
            b"{\"nonce\":1,\"a\":\"\xff\"}",
            b"{\"nonce\":1,\"a\":\"\xc0\x80\"}",
            b"{\"nonce\":1,\"a\":\"\xed\xa0\x80\"}",
            b"{\"nonce\":1,\"a\":\"\xe2\x82\"}",
        ] {
            assert_eq!(scan(body), NOT_JSON_ERR, "{body:?}");
        }
    }

    #[test]
    fn byte_order_mark_is_malformed_like_serde_json() {
        // serde_json refuses a leading UTF-8 BOM ("expected value at line 1 column 1"), and so does the spec.
        assert_eq!(scan(b"\xef\xbb\xbf{\"nonce\":1}"), NOT_JSON_ERR);
        assert_eq!(scan("{\"nonce\":1}\u{feff}".as_bytes()), NOT_JSON_ERR);
        // Inside a string it is just a character.
        assert_eq!(
            scan("{\"nonce\":\"\u{feff}\"}".as_bytes()),
            Ok(BodyNonce::JsonString("\u{feff}"))
        );
    }

    #[test]
    fn depth_limit_matches_serde_json() {
        assert_eq!(scan(&nested(1)), Ok(BodyNonce::JsonToken("1")));
        assert_eq!(scan(&nested(126)), Ok(BodyNonce::JsonToken("1")));
        assert_eq!(scan(&nested(127)), Ok(BodyNonce::JsonToken("1")));
        assert_eq!(scan(&nested(128)), NOT_JSON_ERR);
        assert_eq!(scan(&nested(129)), NOT_JSON_ERR);
        assert_eq!(scan(&nested(100_000)), NOT_JSON_ERR);
        // The same for a top-level array (counted from 1 too) and inside the nonce value itself.
        let arrays = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(scan(arrays(127).as_bytes()), Err(NOT_OBJECT));
        assert_eq!(scan(arrays(128).as_bytes()), NOT_JSON_ERR);
        let in_nonce = |depth: usize| format!(r#"{{"nonce":{}}}"#, arrays(depth - 1));
        assert!(matches!(
            scan(in_nonce(127).as_bytes()),
            Ok(BodyNonce::JsonToken(_))
        ));
        assert_eq!(scan(in_nonce(128).as_bytes()), NOT_JSON_ERR);
    }

    #[test]
    fn unescaping() {
        assert_eq!(unescape("plain é"), Some("plain é".as_bytes().to_vec()));
        assert_eq!(
            unescape(r#"\"\\\/\b\f\n\r\t"#),
            Some(b"\"\\/\x08\x0c\n\r\t".to_vec())
        );
        assert_eq!(
            unescape(r"\u0041\u00e9\u20AC\ud83d\ude00!"),
            Some("Aé€😀!".as_bytes().to_vec())
        );
        assert_eq!(unescape(r"\u0000"), Some(vec![0]));
        for bad in [r"\", r"\x", r"\u12", r"\ud800", r"\udc00", r"a\u12G4"] {
            assert_eq!(unescape(bad), None, "{bad}");
        }
    }

    #[test]
    fn string_nonces_compare_literal_text() {
        // Spec R6: a string nonce is its literal text, escapes kept; an escaped digit is not a digit.
        let nonce = scan(br#"{"nonce":"\u0031\u0036\u0031"}"#).unwrap();
        assert!(!nonce.is(b"161"));
        assert!(nonce.is(br"\u0031\u0036\u0031"));
        assert_eq!(nonce.canonical(), None);
        let plain = scan(br#"{"nonce":"161"}"#).unwrap();
        assert!(plain.is(b"161"));
        assert!(!plain.is(b"16"));
        assert!(!plain.is(b"1611"));
        assert_eq!(plain.canonical(), Some(161));
        assert_eq!(scan(br#"{"nonce":"1\n"}"#).unwrap().canonical(), None);
        assert_eq!(
            scan(br#"{"nonce":"123456789012345678901"}"#)
                .unwrap()
                .canonical(),
            None
        );
        assert_eq!(
            scan(br#"{"nonce":"18446744073709551615"}"#)
                .unwrap()
                .canonical(),
            Some(u64::MAX)
        );
        // Contents with escapes are never canonical, whatever they would decode to.
        for raw in [r"\x", r"1\u003", r"\ud800", r"\u0031"] {
            let nonce = BodyNonce::JsonString(raw);
            assert!(!nonce.is(b""), "{raw}");
            assert_eq!(nonce.canonical(), None, "{raw}");
        }
        assert!(!BodyNonce::JsonString(r"1\u003").is(b"1"));
    }
}

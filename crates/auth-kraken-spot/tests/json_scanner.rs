//! The JSON body scanner (`find_nonce` with `BodyKind::Json`) checked against serde_json, and proved not to
//! allocate.
//!
//! Differential tests: generated bodies (valid JSON spelled with random whitespace and escapes, mutations of
//! it, token soup, random bytes, nesting around the depth limit) are read by both the scanner and
//! `serde_json::from_slice::<serde_json::Value>`. The scanner must say "valid object" exactly when serde_json
//! parses the body to an object, give the reason serde_json implies otherwise, and return a nonce equal to
//! the `nonce` member serde_json reads. serde_json's `Value` silently keeps the last of duplicate names, so the
//! number of top-level `nonce` members is counted with a separate serde_json visitor. Deliberate difference:
//! serde_json refuses numbers out of the range of an `f64` (`1e400`) where the scanner checks the grammar
//! only; such inputs are left out of the comparison.

use std::fmt;

use auth_kraken_spot::body::{BodyError, BodyKind, BodyNonce, find_nonce};
use auth_kraken_spot::parse_nonce;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use serde::Deserialize;
use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

const NOT_JSON: BodyError = BodyError::Malformed("the JSON body is not valid JSON");
const NOT_OBJECT: BodyError = BodyError::Malformed("the JSON body is not a JSON object");
const NONCE_TWICE: BodyError = BodyError::Malformed("the JSON body names `nonce` more than once");

// ---------------------------------------------------------------------------------------------------------
// The oracle: serde_json.
// ---------------------------------------------------------------------------------------------------------

/// How many top-level members of an object are named `nonce` after unescaping (serde_json decodes the names).
struct NonceNames(usize);

impl<'de> Deserialize<'de> for NonceNames {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Count;
        impl<'de> Visitor<'de> for Count {
            type Value = NonceNames;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NonceNames, A::Error> {
                let mut count = 0;
                while let Some(name) = map.next_key::<String>()? {
                    count += usize::from(name == "nonce");
                    map.next_value::<IgnoredAny>()?;
                }
                Ok(NonceNames(count))
            }
        }
        deserializer.deserialize_map(Count)
    }
}

/// serde_json's reading of a body.
#[derive(Debug, Clone, PartialEq)]
enum Oracle {
    /// Not JSON.
    Invalid,
    /// Refused by serde_json only because a number is out of the range of an `f64`: not compared.
    OutOfRange,
    /// JSON whose value is not an object.
    NotObject,
    /// serde_json reads an object as a `Value` but fails to count its members (a bug in the oracle).
    Inconsistent(String),
    /// An object with `names` top-level `nonce` members, the last of which (serde_json's pick) is `nonce`.
    Object { names: usize, nonce: Option<Value> },
}

fn oracle(body: &[u8]) -> Oracle {
    match serde_json::from_slice::<Value>(body) {
        Err(error) if error.to_string().starts_with("number out of range") => Oracle::OutOfRange,
        Err(_) => Oracle::Invalid,
        Ok(Value::Object(members)) => match serde_json::from_slice::<NonceNames>(body) {
            Ok(NonceNames(names)) => Oracle::Object {
                names,
                nonce: members.get("nonce").cloned(),
            },
            Err(error) => Oracle::Inconsistent(error.to_string()),
        },
        Ok(_) => Oracle::NotObject,
    }
}

/// What kind of case a body is, to check that the generators reach every branch of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Case {
    Invalid,
    OutOfRange,
    NotObject,
    Missing,
    Null,
    Twice,
    String,
    EscapedString,
    U64,
    OtherNumber,
    Bool,
    Container,
}

/// Checks the scanner against serde_json on `body` and says which case it was.
fn check(body: &[u8]) -> Result<Case, TestCaseError> {
    let ours = find_nonce(body, BodyKind::Json);
    let shown = String::from_utf8_lossy(body);
    let case = match oracle(body) {
        Oracle::OutOfRange => Case::OutOfRange,
        Oracle::Inconsistent(error) => {
            return Err(TestCaseError::fail(format!(
                "the oracle fails on {shown:?}: {error}"
            )));
        }
        Oracle::Invalid => {
            prop_assert_eq!(ours, Err(NOT_JSON), "serde_json refuses {:?}", shown);
            Case::Invalid
        }
        Oracle::NotObject => {
            prop_assert_eq!(
                ours,
                Err(NOT_OBJECT),
                "serde_json reads a non-object from {:?}",
                shown
            );
            Case::NotObject
        }
        Oracle::Object { names: 0, .. } => {
            prop_assert_eq!(ours, Err(BodyError::NonceMissing), "{:?}", shown);
            Case::Missing
        }
        Oracle::Object { names: 2.., .. } => {
            prop_assert_eq!(ours, Err(NONCE_TWICE), "{:?}", shown);
            Case::Twice
        }
        Oracle::Object {
            names: 1,
            nonce: None,
        } => {
            return Err(TestCaseError::fail(format!(
                "one nonce name but no member in {shown:?}"
            )));
        }
        Oracle::Object {
            names: 1,
            nonce: Some(value),
        } => check_nonce(&shown, ours, &value)?,
    };
    Ok(case)
}

/// Checks the scanner's nonce against the value serde_json reads for the body's one `nonce` member.
fn check_nonce(
    shown: &str,
    ours: Result<BodyNonce<'_>, BodyError>,
    value: &Value,
) -> Result<Case, TestCaseError> {
    let case = match value {
        Value::Null => {
            prop_assert_eq!(ours, Err(BodyError::NonceMissing), "{:?}", shown);
            Case::Null
        }
        Value::String(expected) => {
            let Ok(BodyNonce::JsonString(raw)) = ours else {
                return Err(TestCaseError::fail(format!(
                    "{ours:?} for the string {expected:?} in {shown:?}"
                )));
            };
            // The raw content is the string's spelling between the quotes: serde_json decodes it to the value.
            prop_assert_eq!(
                &serde_json::from_str::<String>(&format!("\"{raw}\"")).ok(),
                &Some(expected.clone())
            );
            // Spec R6: the nonce is the literal text between the quotes, escapes kept; it equals the decoded
            // value only when nothing is escaped.
            let nonce = BodyNonce::JsonString(raw);
            prop_assert!(nonce.is(raw.as_bytes()), "{:?}", raw);
            prop_assert_eq!(
                nonce.is(expected.as_bytes()),
                raw == expected,
                "{:?} vs {:?}",
                raw,
                expected
            );
            let longer = format!("{raw}0");
            prop_assert!(!nonce.is(longer.as_bytes()), "{:?} is {:?}", raw, longer);
            if let Some(shorter) = raw.as_bytes().split_last().map(|(_, rest)| rest) {
                prop_assert!(!nonce.is(shorter));
            }
            prop_assert_eq!(nonce.canonical(), parse_nonce(raw.as_bytes()), "{:?}", raw);
            if raw.contains('\\') {
                Case::EscapedString
            } else {
                Case::String
            }
        }
        other => {
            let Ok(BodyNonce::JsonToken(token)) = ours else {
                return Err(TestCaseError::fail(format!(
                    "{ours:?} for {other} in {shown:?}"
                )));
            };
            // The token is the value exactly as written: serde_json reads the same value from it alone.
            prop_assert_eq!(
                &serde_json::from_str::<Value>(token).ok(),
                &Some(other.clone()),
                "{:?}",
                token
            );
            let nonce = BodyNonce::JsonToken(token);
            match other {
                Value::Number(number) => {
                    // Canonical exactly when serde_json reads an integer that fits a u64, then its decimal text.
                    prop_assert_eq!(nonce.canonical(), number.as_u64(), "{:?}", token);
                    match number.as_u64() {
                        Some(integer) => {
                            prop_assert_eq!(token, integer.to_string());
                            prop_assert!(nonce.is(integer.to_string().as_bytes()));
                            Case::U64
                        }
                        None => Case::OtherNumber,
                    }
                }
                Value::Bool(flag) => {
                    prop_assert_eq!(token, if *flag { "true" } else { "false" });
                    prop_assert_eq!(nonce.canonical(), None);
                    Case::Bool
                }
                _ => {
                    prop_assert!(token.starts_with(['[', '{']), "{:?}", token);
                    prop_assert_eq!(nonce.canonical(), None);
                    Case::Container
                }
            }
        }
    };
    Ok(case)
}

// ---------------------------------------------------------------------------------------------------------
// Generators.
// ---------------------------------------------------------------------------------------------------------

/// A JSON value, to be written in many spellings.
#[derive(Debug, Clone)]
enum Json {
    Null,
    Bool(bool),
    /// A number token, always valid grammar.
    Number(String),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

/// Number tokens: u64s, grammar-generated tokens (exponents kept within an `f64`), and edge cases.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => any::<u64>().prop_map(|n| n.to_string()),
        1 => (0u64..1000).prop_map(|n| n.to_string()),
        3 => "-?(0|[1-9][0-9]{0,24})(\\.[0-9]{1,6})?([eE][+-]?[0-9]{1,2})?",
        1 => prop::sample::select(vec![
            "0", "-0", "0.0", "1e2", "1E+2", "18446744073709551615", "18446744073709551616", "-1",
            "-9223372036854775808", "1616492376594", "1.5e-300",
        ])
        .prop_map(str::to_owned),
    ]
}

/// Characters that make strings interesting: those that must be escaped, those that may, non-ASCII.
fn character() -> impl Strategy<Value = char> {
    prop_oneof![
        2 => any::<char>(),
        3 => prop::sample::select(vec![
            '"', '\\', '/', '\u{0}', '\u{8}', '\u{c}', '\n', '\r', '\t', '\u{1f}', '\u{7f}', 'é', '€', '😀', '\u{feff}',
            '\u{ffff}', '\u{10ffff}', 'n', 'o', 'c', 'e', '0', '1', '9', ' ',
        ]),
        3 => prop::char::range('0', '9'),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(character(), 0..10).prop_map(String::from_iter)
}

/// Member names, often `nonce` or near it.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just("nonce".to_owned()),
        1 => prop::sample::select(vec!["nonc", "Nonce", "nonce ", "nonces", "non\\ce", "", "orders"]).prop_map(str::to_owned),
        2 => text(),
    ]
}

/// Any JSON value, nested a few levels.
fn json() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        number().prop_map(Json::Number),
        text().prop_map(Json::Str),
    ];
    leaf.prop_recursive(6, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Json::Array),
            prop::collection::vec((name(), inner), 0..5).prop_map(Json::Object),
        ]
    })
}

/// Values a nonce member is likely to hold: u64 numbers and digit strings, else anything.
fn nonce_value() -> impl Strategy<Value = Json> {
    prop_oneof![
        3 => any::<u64>().prop_map(|n| Json::Number(n.to_string())),
        3 => any::<u64>().prop_map(|n| Json::Str(n.to_string())),
        1 => "[0-9]{0,22}".prop_map(Json::Str),
        1 => number().prop_map(Json::Number),
        2 => json(),
    ]
}

/// An object with one `nonce` member among others (whose names may still happen to be `nonce`).
fn one_nonce_object() -> impl Strategy<Value = Json> {
    let other_name = prop_oneof![
        1 => prop::sample::select(vec!["nonc", "Nonce", "nonce ", "nonces", "non\\ce", "", "orders"]).prop_map(str::to_owned),
        2 => text(),
    ];
    (
        prop::collection::vec((other_name, json()), 0..5),
        nonce_value(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(mut members, nonce, at)| {
            members.insert(at.index(members.len() + 1), ("nonce".to_owned(), nonce));
            Json::Object(members)
        })
}

/// A body's value: mostly an object (with `nonce` often once, sometimes twice), sometimes anything.
fn document() -> impl Strategy<Value = Json> {
    prop_oneof![
        3 => one_nonce_object(),
        3 => prop::collection::vec((name(), json()), 0..6).prop_map(Json::Object),
        1 => json(),
    ]
}

/// Spelling choices, from a seed (xorshift): whitespace, escapes, hex digit case.
struct Style {
    /// The generator's state.
    state: u64,
    /// How often (in tenths) a character that may be written as is gets escaped instead.
    escape_rate: u64,
}

impl Style {
    fn new(seed: u64) -> Self {
        let mut style = Style {
            state: seed | 1,
            escape_rate: 0,
        };
        style.escape_rate = [0, 1, 2, 5][style.below(4) as usize];
        style
    }

    /// A number below `n`.
    fn below(&mut self, n: u64) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state % n
    }

    fn whitespace(&mut self, out: &mut String) {
        if self.below(3) == 0 {
            for _ in 0..=self.below(3) {
                out.push([' ', '\t', '\n', '\r'][self.below(4) as usize]);
            }
        }
    }

    fn unit(&mut self, out: &mut String, unit: u16) {
        let spelled = format!("\\u{unit:04x}");
        if self.below(2) == 0 {
            out.push_str(&spelled)
        } else {
            out.push_str(&spelled.to_uppercase().replace("\\U", "\\u"))
        }
    }

    fn string(&mut self, out: &mut String, value: &str) {
        out.push('"');
        for ch in value.chars() {
            let short = match ch {
                '"' => Some("\\\""),
                '\\' => Some("\\\\"),
                '/' => Some("\\/"),
                '\u{8}' => Some("\\b"),
                '\u{c}' => Some("\\f"),
                '\n' => Some("\\n"),
                '\r' => Some("\\r"),
                '\t' => Some("\\t"),
                _ => None,
            };
            let must = matches!(ch, '"' | '\\' | '\u{0}'..='\u{1f}');
            let escape = must || self.below(10) < self.escape_rate;
            match short {
                _ if !escape => out.push(ch),
                Some(short) if self.below(2) == 0 => out.push_str(short),
                _ => {
                    let mut units = [0u16; 2];
                    for &unit in ch.encode_utf16(&mut units).iter() {
                        self.unit(out, unit);
                    }
                }
            }
        }
        out.push('"');
    }

    fn write(&mut self, out: &mut String, value: &Json) {
        match value {
            Json::Null => out.push_str("null"),
            Json::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
            Json::Number(token) => out.push_str(token),
            Json::Str(text) => self.string(out, text),
            Json::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    self.whitespace(out);
                    self.write(out, item);
                    self.whitespace(out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (index, (name, item)) in members.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    self.whitespace(out);
                    self.string(out, name);
                    self.whitespace(out);
                    out.push(':');
                    self.whitespace(out);
                    self.write(out, item);
                    self.whitespace(out);
                }
                out.push('}');
            }
        }
    }
}

/// A valid JSON body, spelled with random whitespace and escapes.
fn valid_body() -> impl Strategy<Value = Vec<u8>> {
    (document(), any::<u64>()).prop_map(|(value, seed)| {
        let mut style = Style::new(seed);
        let mut out = String::new();
        style.whitespace(&mut out);
        style.write(&mut out, &value);
        style.whitespace(&mut out);
        out.into_bytes()
    })
}

/// Bytes that make mutations interesting: JSON punctuation, digits, letters of literals, whitespace, control
/// characters and bytes that break UTF-8.
fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => prop::sample::select(b"{}[]\",:\\ \t\n\r0123456789-+.eEtrufalsnu/\x00\x0b\x0c\x1f\x7f\xa0\xc2\x80\xbf\xc3\xed\xef\xff".to_vec()),
        1 => any::<u8>(),
    ]
}

/// One edit of a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Delete(prop::sample::Index),
    Insert(prop::sample::Index, u8),
    Replace(prop::sample::Index, u8),
    Truncate(prop::sample::Index),
    Repeat(prop::sample::Index, prop::sample::Index),
    /// Inserts text that is whitespace elsewhere but not in JSON after a `{`, `[`, `,` or `:`.
    OtherSpace(prop::sample::Index, &'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<prop::sample::Index>().prop_map(Edit::Delete),
        (any::<prop::sample::Index>(), interesting_byte())
            .prop_map(|(at, byte)| Edit::Insert(at, byte)),
        (any::<prop::sample::Index>(), interesting_byte())
            .prop_map(|(at, byte)| Edit::Replace(at, byte)),
        any::<prop::sample::Index>().prop_map(Edit::Truncate),
        (any::<prop::sample::Index>(), any::<prop::sample::Index>())
            .prop_map(|(a, b)| Edit::Repeat(a, b)),
        (
            any::<prop::sample::Index>(),
            prop::sample::select(vec![
                "\u{b}", "\u{c}", "\u{85}", "\u{a0}", "\u{2028}", "\u{feff}", "\u{3000}"
            ])
        )
            .prop_map(|(at, space)| Edit::OtherSpace(at, space)),
    ]
}

fn apply(mut body: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = body.len();
        match edit {
            Edit::Delete(at) if len > 0 => {
                body.remove(at.index(len));
            }
            Edit::Insert(at, byte) => body.insert(at.index(len + 1), *byte),
            Edit::Replace(at, byte) if len > 0 => body[at.index(len)] = *byte,
            Edit::Truncate(at) => body.truncate(at.index(len + 1)),
            Edit::Repeat(a, b) if len > 0 => {
                let (start, end) = (a.index(len), b.index(len));
                let piece = body[start.min(end)..=start.max(end)].to_vec();
                body.splice(start..start, piece);
            }
            Edit::OtherSpace(at, space) => {
                let after: Vec<usize> = (0..len).filter(|&i| b"{[,:".contains(&body[i])).collect();
                if !after.is_empty() {
                    let at = after[at.index(after.len())] + 1;
                    body.splice(at..at, space.bytes());
                }
            }
            _ => {}
        }
    }
    body
}

/// A valid body with one to four edits.
fn mutated_body() -> impl Strategy<Value = Vec<u8>> {
    (valid_body(), prop::collection::vec(edit(), 1..5))
        .prop_map(|(body, edits)| apply(body, &edits))
}

/// JSON tokens strung together with little regard for grammar.
fn token_soup() -> impl Strategy<Value = Vec<u8>> {
    let token = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        " ",
        "\"nonce\"",
        "\"non\\u0063e\"",
        "\"a\"",
        "\"",
        "\\",
        "1",
        "-0",
        "01",
        "1.",
        "1e5",
        ".5",
        "true",
        "null",
        "nul",
        "\"\\ud800\"",
        "\"\\ud83d\\ude00\"",
        "\"1\"",
        "\u{feff}",
        "\t",
        "\u{b}",
        "\u{c}",
        "\u{a0}",
    ]);
    prop::collection::vec(token, 0..16).prop_map(|tokens| tokens.concat().into_bytes())
}

/// Containers nested around serde_json's depth limit, holding the nonce at the top level or deep inside.
fn deep_body() -> impl Strategy<Value = Vec<u8>> {
    (
        120usize..=132,
        prop::collection::vec(any::<bool>(), 132),
        any::<bool>(),
    )
        .prop_map(|(depth, kinds, top_array)| {
            let mut out = String::from(if top_array { "[" } else { r#"{"nonce":1,"x":"# });
            let mut closers = vec![if top_array { ']' } else { '}' }];
            for &object in kinds.iter().take(depth.saturating_sub(1)) {
                out.push_str(if object { r#"{"nonce":"# } else { "[" });
                closers.push(if object { '}' } else { ']' });
            }
            out.push_str("\"7\"");
            while let Some(closer) = closers.pop() {
                out.push(closer);
            }
            out.into_bytes()
        })
}

/// Every kind of generated body.
fn any_body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => valid_body(),
        4 => mutated_body(),
        2 => token_soup(),
        1 => prop::collection::vec(any::<u8>(), 0..48),
        1 => deep_body(),
    ]
}

// ---------------------------------------------------------------------------------------------------------
// The tests.
// ---------------------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn valid_bodies_agree_with_serde_json(body in valid_body()) {
        check(&body)?;
    }

    #[test]
    fn mutated_bodies_agree_with_serde_json(body in mutated_body()) {
        check(&body)?;
    }

    #[test]
    fn token_soup_agrees_with_serde_json(body in token_soup()) {
        check(&body)?;
    }

    #[test]
    fn random_bytes_agree_with_serde_json(body in prop::collection::vec(any::<u8>(), 0..48)) {
        check(&body)?;
    }

    #[test]
    fn deep_bodies_agree_with_serde_json(body in deep_body()) {
        check(&body)?;
    }
}

/// Guards the differential tests against generators that never reach a branch of the comparison (which would
/// let it pass vacuously).
#[test]
fn generators_reach_every_case() {
    let mut runner = TestRunner::deterministic();
    let strategy = any_body();
    let mut seen = std::collections::BTreeMap::new();
    for _ in 0..4000 {
        let body = strategy.new_tree(&mut runner).expect("a body").current();
        let case = check(&body).unwrap_or_else(|error| panic!("{error}"));
        *seen.entry(case).or_insert(0usize) += 1;
    }
    for case in [
        Case::Invalid,
        Case::NotObject,
        Case::Missing,
        Case::Null,
        Case::Twice,
        Case::String,
        Case::EscapedString,
        Case::U64,
        Case::OtherNumber,
        Case::Bool,
        Case::Container,
    ] {
        assert!(
            seen.get(&case).copied().unwrap_or(0) >= 5,
            "{case:?} too rare: {seen:?}"
        );
    }
    // The one deliberate difference stays rare: it is not what the comparison is about.
    assert!(
        seen.get(&Case::OutOfRange).copied().unwrap_or(0) < 40,
        "{seen:?}"
    );
}

/// The deliberate difference with serde_json, spelled out.
#[test]
fn numbers_out_of_f64_range_are_grammar_checked_only() {
    for body in [
        &br#"{"nonce":1,"x":1e400}"#[..],
        br#"{"nonce":1,"x":-1e400}"#,
    ] {
        assert_eq!(oracle(body), Oracle::OutOfRange);
        assert_eq!(
            find_nonce(body, BodyKind::Json),
            Ok(BodyNonce::JsonToken("1"))
        );
    }
    let huge = format!(r#"{{"nonce":1{}}}"#, "0".repeat(400));
    assert_eq!(oracle(huge.as_bytes()), Oracle::OutOfRange);
    assert!(
        matches!(find_nonce(huge.as_bytes(), BodyKind::Json), Ok(BodyNonce::JsonToken(token)) if token.len() == 401)
    );
}

/// Known bodies through the same comparison (so the oracle itself is seen to work).
#[test]
fn known_bodies_agree_with_serde_json() {
    let cases: [(&[u8], Case); 14] = [
        (br#"{"nonce":1616492376594}"#, Case::U64),
        (br#"{"nonce":"1616492376594"}"#, Case::String),
        (
            br#"{"non\u0063e":"\u0031616492376594"}"#,
            Case::EscapedString,
        ),
        (
            br#"{"nonce":1,"orders":[{"ordertype":"limit"}]}"#,
            Case::U64,
        ),
        (br#"{"nonce":1,"non\u0063e":1}"#, Case::Twice),
        (br#"{"nonce":null}"#, Case::Null),
        (br#"{"nonce":-0}"#, Case::OtherNumber),
        (br#"{"nonce":false}"#, Case::Bool),
        (br#"{"nonce":{"nonce":1}}"#, Case::Container),
        (br#"{"a":{"nonce":1}}"#, Case::Missing),
        (b"[1]", Case::NotObject),
        (b"\xef\xbb\xbf{}", Case::Invalid),
        (br#"{"a":"\ud800"}"#, Case::Invalid),
        (b"{} x", Case::Invalid),
    ];
    for (body, expected) in cases {
        assert_eq!(
            check(body).unwrap_or_else(|error| panic!("{error}")),
            expected,
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// Allocations.
// ---------------------------------------------------------------------------------------------------------

/// A body whose `nonce` member (`nonce`, spelled as given) sits between members nested `depth` levels deep
/// (the top-level object is level 1), like Kraken's `AddOrderBatch`.
fn nested_body(depth: usize, nonce: &str) -> Vec<u8> {
    let mut inner = String::from(r#""limit""#);
    for level in 2..=depth {
        inner = if level % 2 == 0 {
            format!(r#"[{{"ordertype":{inner},"price":"37500.0","flags":[]}},1e-3,true,null]"#)
        } else {
            format!(r#"{{"orders":{inner},"esc":"\u00e9\ud83d\ude00\n","n":-0.5E+3}}"#)
        };
    }
    format!(r#"{{"before":{inner}, "nonce" : {nonce} ,"after":{inner}}}"#).into_bytes()
}

#[test]
fn scanning_and_comparing_never_allocate() {
    let spellings = ["1616492376594", r#""1616492376594""#];
    let mut bodies = Vec::new();
    for depth in 1..=10 {
        for spelling in spellings {
            bodies.push(nested_body(depth, spelling));
        }
    }
    // Escaped spellings of the digits are not the nonce (spec R6: the literal text counts).
    let not_numbers = [
        nested_body(10, r#""\u0031616492376594""#),
        nested_body(10, r#""1616\u00349\u0032376594""#),
        nested_body(10, r#""\ud83d\ude00\"\\\/\b\f\n\r\t""#),
        nested_body(10, r#""\u00e9""#),
        nested_body(10, "true"),
        nested_body(10, "[1,{\"a\":[]}]"),
    ];
    let failures = [
        (nested_body(10, "1,\"non\\u0063e\":2"), NONCE_TWICE),
        (nested_body(10, "null"), BodyError::NonceMissing),
        (nested_body(10, "01"), NOT_JSON),
        (nested_body(10, r#""\ud800""#), NOT_JSON),
        (b"[{\"nonce\":1}]".to_vec(), NOT_OBJECT),
    ];
    let mut outcomes = [false; 64];
    let mut written = 0;
    let info = allocation_counter::measure(|| {
        for body in &bodies {
            let found = find_nonce(std::hint::black_box(body), BodyKind::Json);
            outcomes[written] = found.as_ref().is_ok_and(|nonce| {
                nonce.is(b"1616492376594")
                    && !nonce.is(b"1616492376595")
                    && !nonce.is(b"161649237659")
                    && nonce.canonical() == Some(1_616_492_376_594)
            });
            written += 1;
        }
        for body in &not_numbers {
            let found = find_nonce(std::hint::black_box(body), BodyKind::Json);
            outcomes[written] =
                found.is_ok_and(|nonce| nonce.canonical().is_none() && !nonce.is(b"1"));
            written += 1;
        }
        for (body, error) in &failures {
            outcomes[written] =
                find_nonce(std::hint::black_box(body), BodyKind::Json) == Err(*error);
            written += 1;
        }
        let emoji = find_nonce(&not_numbers[2], BodyKind::Json);
        outcomes[written] = emoji.is_ok_and(|nonce| nonce.is(br#"\ud83d\ude00\"\\\/\b\f\n\r\t"#));
        written += 1;
    });
    assert_eq!(info.count_total, 0, "{info:?}");
    assert_eq!(
        written,
        bodies.len() + not_numbers.len() + failures.len() + 1
    );
    for (index, outcome) in outcomes[..written].iter().enumerate() {
        assert!(outcome, "case {index} failed");
    }
    // The bodies are what they claim to be: serde_json reads them the same way.
    for body in bodies.iter().chain(&not_numbers) {
        assert!(
            !matches!(check(body), Err(_) | Ok(Case::Invalid | Case::OutOfRange)),
            "{}",
            String::from_utf8_lossy(body)
        );
    }
}

#[test]
fn the_counter_does_count() {
    // Guards the test above against a counter that silently counts nothing.
    let info = allocation_counter::measure(|| {
        std::hint::black_box(
            serde_json::from_slice::<Value>(br#"{"nonce":1,"orders":[{"a":1}]}"#).ok(),
        );
    });
    assert!(info.count_total > 0);
}

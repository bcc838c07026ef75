//! Body parsers: find the nonce a Kraken spot request body carries (KSPOT-008, -010, -011, -012, -017).
//!
//! Contract: [`find_nonce`] reads a body of either kind and returns its one nonce, borrowed from the body, or
//! says why there is none ([`BodyError`]); [`BodyNonce::is`] and [`BodyNonce::canonical`] then compare or read
//! it. None of them allocates, so the prebuilt signer's hot path stays off the heap: the form parser scans and
//! percent-decodes on the fly; the JSON parser is a one-pass RFC 8259 scanner that validates the whole body
//! and borrows the `nonce` member's token, leaving escapes to be decoded on the fly when the nonce is compared
//! or read as a number.
//!
//! Why apart from signing: the signer and the verifier must share one reading of the body (two readings are
//! where a signed nonce and a checked nonce drift apart), and [`find_nonce`] is meant to be the entry point of
//! a fuzz target, with no signing state around it.
//!
//! The body itself is never changed or re-serialized: what is hashed is the body exactly as sent.

mod form;
mod json;

use std::convert::Infallible;

/// How a body is encoded, from the request's `Content-Type` (KSPOT-017).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/x-www-form-urlencoded` (also the reading when `Content-Type` is absent or anything else).
    Form,
    /// `application/json`: the nonce is a top-level member.
    Json,
}

impl BodyKind {
    /// The body kind for a `Content-Type` value: JSON when its media type is `application/json`
    /// (case-insensitive, parameters ignored), form otherwise.
    pub fn from_content_type(content_type: Option<&str>) -> Self {
        let media = content_type
            .and_then(|value| value.split(';').next())
            .unwrap_or_default()
            .trim();
        if media.eq_ignore_ascii_case("application/json") {
            BodyKind::Json
        } else {
            BodyKind::Form
        }
    }
}

/// Why a body's nonce could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// Malformed for its kind (JSON that is not UTF-8, not JSON or not an object), or `nonce` named twice.
    #[error("{0}")]
    Malformed(&'static str),
    /// No `nonce` in the body (for JSON, also a `nonce` member whose value is `null`).
    #[error("the body carries no nonce")]
    NonceMissing,
}

/// The nonce as the body carries it, borrowed from the body, before any syntax check of the nonce itself.
///
/// Equality (`==`) compares the borrowed text as sent; [`BodyNonce::is`] compares the nonce text the spec hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyNonce<'a> {
    /// A form value, still percent-encoded as sent.
    Form(&'a [u8]),
    /// A JSON value that is not a string (a number, `true`, an object, ...), its token exactly as written.
    JsonToken(&'a str),
    /// A JSON string's content between the quotes, exactly as written. Its *literal text* is the nonce text
    /// (spec/kraken-spot.md, KSPOT-009 and R6): escapes are never decoded, so `"\u0031"` is not the nonce `1`.
    JsonString(&'a str),
}

impl BodyNonce<'_> {
    /// Whether the body's nonce is exactly `text` (form values compared after percent-decoding, `+` as space;
    /// JSON values by their literal text: a token as written, a string's content between the quotes with its
    /// escapes kept). Never allocates.
    pub fn is(&self, text: &[u8]) -> bool {
        match self {
            BodyNonce::Form(raw) => form::decoded_eq(raw, text),
            BodyNonce::JsonToken(token) => token.as_bytes() == text,
            BodyNonce::JsonString(raw) => raw.as_bytes() == text,
        }
    }

    /// The nonce's value if its text (form: percent-decoded; JSON: literal) is canonical decimal of a u64
    /// (KSPOT-007), else `None`. Never allocates.
    pub fn canonical(&self) -> Option<u64> {
        match self {
            BodyNonce::Form(raw) => {
                canonical_decoded(form::FormDecoder::new(raw).map(Ok::<u8, Infallible>))
            }
            BodyNonce::JsonToken(token) => auth_core::nonce_text::parse_canonical(token.as_bytes()),
            BodyNonce::JsonString(raw) => auth_core::nonce_text::parse_canonical(raw.as_bytes()),
        }
    }
}

/// Finds the nonce in `body` read as `kind`. Never allocates.
pub fn find_nonce(body: &[u8], kind: BodyKind) -> Result<BodyNonce<'_>, BodyError> {
    match kind {
        BodyKind::Form => form::find_nonce(body),
        BodyKind::Json => json::find_nonce(body),
    }
}

/// The canonical u64 of decoded nonce bytes (`None` at the first decoding error): decoded into a stack buffer
/// as long as the longest canonical text, so anything longer is refused without being read to its end.
fn canonical_decoded<E>(decoded: impl Iterator<Item = Result<u8, E>>) -> Option<u64> {
    let mut buf = [0u8; auth_core::nonce_text::MAX_DIGITS];
    let mut len = 0;
    for byte in decoded {
        *buf.get_mut(len)? = byte.ok()?;
        len += 1;
    }
    auth_core::nonce_text::parse_canonical(buf.get(..len)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_selects_the_kind() {
        assert_eq!(BodyKind::from_content_type(None), BodyKind::Form);
        assert_eq!(
            BodyKind::from_content_type(Some("application/x-www-form-urlencoded")),
            BodyKind::Form
        );
        assert_eq!(
            BodyKind::from_content_type(Some("Application/JSON ; charset=UTF-8")),
            BodyKind::Json
        );
        assert_eq!(
            BodyKind::from_content_type(Some("application/jsonx")),
            BodyKind::Form
        );
    }

    #[test]
    fn canonical_stops_at_decoding_errors_and_overlong_texts() {
        assert_eq!(
            canonical_decoded(b"12".iter().copied().map(Ok::<u8, ()>)),
            Some(12)
        );
        assert_eq!(canonical_decoded([Ok(b'1'), Err(())].into_iter()), None);
        assert_eq!(
            canonical_decoded([b'1'; 21].into_iter().map(Ok::<u8, ()>)),
            None
        );
    }
}

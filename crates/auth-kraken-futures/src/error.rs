//! Refusals of the signer and rejections of the verifiers, each mapping to one stable code
//! (`spec/error-codes.md`), and Kraken futures' error envelope (KFUT-028).

use auth_core::{ErrorCode, HasErrorCode, NonceRejection};
use jiff::Timestamp;

/// Why the signer refused a request; no signature is produced. Variants are listed in the order the signer
/// checks them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The API key is empty or holds a byte outside visible ASCII (KFUT-004).
    #[error("the API key must be non-empty visible ASCII (0x21-0x7E)")]
    ApiKeyInvalid,
    /// The secret is not valid standard base64 (KFUT-002).
    #[error(
        "the secret is not valid standard base64 (RFC 4648 alphabet with canonical `=` padding)"
    )]
    SecretInvalid,
    /// The secret decodes to zero bytes (KFUT-003).
    #[error("the secret decodes to zero bytes")]
    SecretEmpty,
    /// The path does not start with `/api/` or `/derivatives/api/`, or holds `?` or `#` (KFUT-005).
    #[error("the path must start with /api/ or /derivatives/api/ and hold no `?` or `#`")]
    PathInvalid,
    /// The nonce text is not canonical decimal of a u64 (KFUT-007).
    #[error("the nonce must be canonical decimal of an unsigned 64-bit integer")]
    NonceInvalid,
}

impl HasErrorCode for SignError {
    fn code(&self) -> ErrorCode {
        match self {
            SignError::ApiKeyInvalid => ErrorCode::ApiKeyInvalid,
            SignError::SecretInvalid => ErrorCode::SecretInvalid,
            SignError::SecretEmpty => ErrorCode::SecretEmpty,
            SignError::PathInvalid => ErrorCode::PathInvalid,
            SignError::NonceInvalid => ErrorCode::NonceInvalid,
        }
    }
}

/// Kraken futures' `error` string for every authentication failure.
pub const AUTHENTICATION_ERROR: &str = "authenticationError";

/// Which authentication header a [`VerifyError::HeaderMissing`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthHeader {
    /// `APIKey`.
    ApiKey,
    /// `Authent`.
    Authent,
    /// `Nonce` (missing only matters when the verifier requires nonces).
    Nonce,
}

impl AuthHeader {
    /// The header's name as Kraken spells it.
    pub const fn name(self) -> &'static str {
        match self {
            AuthHeader::ApiKey => "APIKey",
            AuthHeader::Authent => "Authent",
            AuthHeader::Nonce => "Nonce",
        }
    }
}

/// Why the verifier rejected a request. Variants are listed in the order the verifier checks them
/// (KFUT-020); the first failing check decides. Every rejection answers HTTP 200 with the same envelope
/// ([`VerifyError::envelope`]): the variants exist for the server's logs and the conformance codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The path does not start with `/api/` or `/derivatives/api/`, or holds `?` or `#` (KFUT-030).
    #[error("the path must start with /api/ or /derivatives/api/ and hold no `?` or `#`")]
    PathInvalid,
    /// `APIKey` or `Authent` is missing or empty, or `Nonce` is absent while required (KFUT-021..023).
    #[error("the {} header is missing or empty", .0.name())]
    HeaderMissing(AuthHeader),
    /// No key with that `APIKey` is registered (KFUT-021).
    #[error("unknown API key")]
    KeyUnknown,
    /// `Authent` is not standard base64 of exactly 64 bytes (KFUT-022).
    #[error("Authent is not standard base64 of 64 bytes")]
    SignatureMalformed,
    /// A `Nonce` header (an empty one included) that is not canonical decimal of a u64 (KFUT-023).
    #[error("the Nonce header is not canonical decimal of an unsigned 64-bit integer")]
    NonceInvalid,
    /// The MAC differs from the current form's (and the legacy form's, when accepted) (KFUT-024, -025).
    #[error("the signature does not match the request")]
    SignatureMismatch,
    /// The nonce is not above the key's accepted nonces minus the window (KFUT-027).
    #[error("stale nonce: {0}")]
    NonceStale(NonceRejection),
    /// The nonce was already accepted for this key (KFUT-027).
    #[error("replayed nonce: {0}")]
    NonceReplayed(NonceRejection),
}

impl HasErrorCode for VerifyError {
    fn code(&self) -> ErrorCode {
        match self {
            VerifyError::PathInvalid => ErrorCode::PathInvalid,
            VerifyError::HeaderMissing(_) => ErrorCode::HeaderMissing,
            VerifyError::KeyUnknown => ErrorCode::KeyUnknown,
            VerifyError::SignatureMalformed => ErrorCode::SignatureMalformed,
            VerifyError::NonceInvalid => ErrorCode::NonceInvalid,
            VerifyError::SignatureMismatch => ErrorCode::SignatureMismatch,
            VerifyError::NonceStale(_) => ErrorCode::NonceStale,
            VerifyError::NonceReplayed(_) => ErrorCode::NonceReplayed,
        }
    }
}

impl VerifyError {
    /// The HTTP status Kraken futures answers with: 200, the error travels in the envelope (KFUT-028).
    pub fn http_status(&self) -> u16 {
        200
    }

    /// Kraken futures' response envelope (KFUT-028), the same for every rejection:
    /// `{"result":"error","error":"authenticationError","serverTime":"<server_time>"}`, the time formatted
    /// by [`format_server_time`]. [`crate::FuturesVerifier::envelope`] takes the time from its clock.
    pub fn envelope(&self, server_time: Timestamp) -> serde_json::Value {
        serde_json::json!({
            "result": "error",
            "error": AUTHENTICATION_ERROR,
            "serverTime": format_server_time(server_time),
        })
    }
}

/// `serverTime` text: RFC 3339 in UTC with exactly three fractional digits (truncated, not rounded) and `Z`,
/// e.g. `2024-11-15T10:06:57.631Z`.
pub fn format_server_time(server_time: Timestamp) -> String {
    format!("{server_time:.3}")
}

/// Why the WebSocket challenge verifier rejected a signed challenge (KFUT-029), in the order it checks.
/// WebSocket has no wire response for these: the codes are for logs and conformance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WsVerifyError {
    /// No key with that API key is registered.
    #[error("unknown API key")]
    KeyUnknown,
    /// The signed challenge is not standard base64 of exactly 64 bytes.
    #[error("the signed challenge is not standard base64 of 64 bytes")]
    SignatureMalformed,
    /// The MAC differs.
    #[error("the signed challenge does not match the challenge")]
    SignatureMismatch,
}

impl HasErrorCode for WsVerifyError {
    fn code(&self) -> ErrorCode {
        match self {
            WsVerifyError::KeyUnknown => ErrorCode::KeyUnknown,
            WsVerifyError::SignatureMalformed => ErrorCode::SignatureMalformed,
            WsVerifyError::SignatureMismatch => ErrorCode::SignatureMismatch,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_time_has_exactly_three_fractional_digits() {
        let at = |seconds, nanos| Timestamp::new(seconds, nanos).unwrap();
        assert_eq!(
            format_server_time(at(1_731_665_217, 631_000_000)),
            "2024-11-15T10:06:57.631Z"
        );
        assert_eq!(
            format_server_time(at(1_731_665_217, 0)),
            "2024-11-15T10:06:57.000Z"
        );
        // Truncated, never rounded up into the next millisecond.
        assert_eq!(
            format_server_time(at(1_731_665_217, 999_999_999)),
            "2024-11-15T10:06:57.999Z"
        );
        assert_eq!(
            format_server_time(Timestamp::UNIX_EPOCH),
            "1970-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn header_names() {
        assert_eq!(
            VerifyError::HeaderMissing(AuthHeader::Authent).to_string(),
            "the Authent header is missing or empty"
        );
        assert_eq!(AuthHeader::ApiKey.name(), "APIKey");
        assert_eq!(AuthHeader::Nonce.name(), "Nonce");
    }
}

//! Refusals of the signer and rejections of the verifier, each mapping to one stable code
//! (`spec/error-codes.md`) and, for the verifier, to Kraken's own error string (KSPOT-021..031).

use auth_core::{ErrorCode, HasErrorCode};

/// Why the signer refused a request; no signature is produced. Variants are listed in the order the signer
/// checks them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The API key is empty or holds a byte outside visible ASCII (KSPOT-004).
    #[error("the API key must be non-empty visible ASCII (0x21-0x7E)")]
    ApiKeyInvalid,
    /// The secret is not valid standard base64 (KSPOT-002).
    #[error(
        "the secret is not valid standard base64 (RFC 4648 alphabet with canonical `=` padding)"
    )]
    SecretInvalid,
    /// The secret decodes to zero bytes (KSPOT-003).
    #[error("the secret decodes to zero bytes")]
    SecretEmpty,
    /// The method is not POST (KSPOT-005).
    #[error("private spot requests are POST, not {0:?}")]
    MethodInvalid(String),
    /// The path is not `/0/private/<Endpoint>`, or a query or fragment is present (KSPOT-006).
    #[error("the path must be /0/private/<Endpoint> with no query or fragment")]
    PathInvalid,
    /// The nonce is not canonical decimal of a u64 (KSPOT-007).
    #[error("the nonce must be canonical decimal of an unsigned 64-bit integer")]
    NonceInvalid,
    /// The body is malformed for its content type, or names `nonce` twice (KSPOT-012).
    #[error("malformed body: {0}")]
    BodyInvalid(&'static str),
    /// The body carries no nonce (KSPOT-008).
    #[error("the body carries no nonce")]
    NonceMissing,
    /// The body's nonce differs from the nonce given (KSPOT-009).
    #[error("the body's nonce differs from the nonce given to the signer")]
    NonceMismatch,
}

impl HasErrorCode for SignError {
    fn code(&self) -> ErrorCode {
        match self {
            SignError::ApiKeyInvalid => ErrorCode::ApiKeyInvalid,
            SignError::SecretInvalid => ErrorCode::SecretInvalid,
            SignError::SecretEmpty => ErrorCode::SecretEmpty,
            SignError::MethodInvalid(_) => ErrorCode::MethodInvalid,
            SignError::PathInvalid => ErrorCode::PathInvalid,
            SignError::NonceInvalid => ErrorCode::NonceInvalid,
            SignError::BodyInvalid(_) => ErrorCode::BodyInvalid,
            SignError::NonceMissing => ErrorCode::NonceMissing,
            SignError::NonceMismatch => ErrorCode::NonceMismatch,
        }
    }
}

/// Kraken's answer for `EAPI:Invalid key`.
pub const EAPI_INVALID_KEY: &str = "EAPI:Invalid key";
/// Kraken's answer for `EAPI:Invalid signature`.
pub const EAPI_INVALID_SIGNATURE: &str = "EAPI:Invalid signature";
/// Kraken's answer for `EAPI:Invalid nonce`.
pub const EAPI_INVALID_NONCE: &str = "EAPI:Invalid nonce";
/// Kraken's answer for `EGeneral:Permission denied`.
pub const EGENERAL_PERMISSION_DENIED: &str = "EGeneral:Permission denied";
/// Kraken's answer for `EAPI:Bad request` (used for requests that are not signed-request shaped).
pub const EAPI_BAD_REQUEST: &str = "EAPI:Bad request";

/// Which authentication header a [`VerifyError::HeaderMissing`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthHeader {
    /// `API-Key`.
    ApiKey,
    /// `API-Sign`.
    ApiSign,
}

/// Why the verifier rejected a request. Variants are listed in the order the verifier checks them
/// (KSPOT-020); the first failing check decides.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The method is not POST.
    #[error("private spot requests are POST, not {0:?}")]
    MethodInvalid(String),
    /// The path is not `/0/private/<Endpoint>`, or a query or fragment is present.
    #[error("the path must be /0/private/<Endpoint> with no query or fragment")]
    PathInvalid,
    /// `API-Key` or `API-Sign` is missing or empty.
    #[error("the {} header is missing or empty", match .0 { AuthHeader::ApiKey => "API-Key", AuthHeader::ApiSign => "API-Sign" })]
    HeaderMissing(AuthHeader),
    /// No key with that `API-Key` is registered.
    #[error("unknown API key")]
    KeyUnknown,
    /// `API-Sign` is not standard base64 of exactly 64 bytes.
    #[error("API-Sign is not standard base64 of 64 bytes")]
    SignatureMalformed,
    /// The body is malformed for its content type, or names `nonce` twice.
    #[error("malformed body: {0}")]
    BodyInvalid(&'static str),
    /// The body carries no nonce.
    #[error("the body carries no nonce")]
    NonceMissing,
    /// The body's nonce is not canonical decimal of a u64.
    #[error("the body's nonce is not canonical decimal of an unsigned 64-bit integer")]
    NonceInvalid,
    /// The MAC differs.
    #[error("the signature does not match the request")]
    SignatureMismatch,
    /// The key may not call this endpoint.
    #[error("the key has no permission for this endpoint")]
    PermissionDenied,
    /// The nonce is not above the key's accepted nonces (minus the window).
    #[error("stale nonce: {0}")]
    NonceStale(auth_core::NonceRejection),
    /// The nonce was already accepted for this key.
    #[error("replayed nonce: {0}")]
    NonceReplayed(auth_core::NonceRejection),
}

impl HasErrorCode for VerifyError {
    fn code(&self) -> ErrorCode {
        match self {
            VerifyError::MethodInvalid(_) => ErrorCode::MethodInvalid,
            VerifyError::PathInvalid => ErrorCode::PathInvalid,
            VerifyError::HeaderMissing(_) => ErrorCode::HeaderMissing,
            VerifyError::KeyUnknown => ErrorCode::KeyUnknown,
            VerifyError::SignatureMalformed => ErrorCode::SignatureMalformed,
            VerifyError::BodyInvalid(_) => ErrorCode::BodyInvalid,
            VerifyError::NonceMissing => ErrorCode::NonceMissing,
            VerifyError::NonceInvalid => ErrorCode::NonceInvalid,
            VerifyError::SignatureMismatch => ErrorCode::SignatureMismatch,
            VerifyError::PermissionDenied => ErrorCode::PermissionDenied,
            VerifyError::NonceStale(_) => ErrorCode::NonceStale,
            VerifyError::NonceReplayed(_) => ErrorCode::NonceReplayed,
        }
    }
}

impl VerifyError {
    /// Kraken's error string for this rejection.
    pub fn kraken_error(&self) -> &'static str {
        match self {
            VerifyError::MethodInvalid(_)
            | VerifyError::PathInvalid
            | VerifyError::BodyInvalid(_) => EAPI_BAD_REQUEST,
            VerifyError::HeaderMissing(AuthHeader::ApiKey) | VerifyError::KeyUnknown => {
                EAPI_INVALID_KEY
            }
            VerifyError::HeaderMissing(AuthHeader::ApiSign)
            | VerifyError::SignatureMalformed
            | VerifyError::SignatureMismatch => EAPI_INVALID_SIGNATURE,
            VerifyError::NonceMissing
            | VerifyError::NonceInvalid
            | VerifyError::NonceStale(_)
            | VerifyError::NonceReplayed(_) => EAPI_INVALID_NONCE,
            VerifyError::PermissionDenied => EGENERAL_PERMISSION_DENIED,
        }
    }

    /// The HTTP status Kraken answers with: 200, the error travels in the envelope (KSPOT-029).
    pub fn http_status(&self) -> u16 {
        200
    }

    /// Kraken's response envelope: `{"error":["<string>"],"result":{}}` (KSPOT-029).
    pub fn envelope(&self) -> serde_json::Value {
        serde_json::json!({ "error": [self.kraken_error()], "result": {} })
    }
}

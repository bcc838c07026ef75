//! Refusals of the signer, rejections of the verifier and refusals of the registry, each signer and verifier
//! variant mapping to one stable code (`spec/error-codes.md`) and, for the verifier, to the vendor's status and
//! plain-text answer (KV5-021..031).

use auth_core::{ErrorCode, HasErrorCode};

use crate::ip::IpNetError;

/// Why the signer refused a request; no signature is produced. Variants are listed in the order the signer
/// checks them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The client id is empty or holds a byte outside visible ASCII (KV5-002).
    #[error("the client id must be non-empty visible ASCII (0x21-0x7E)")]
    ClientIdInvalid,
    /// The private key is not an unencrypted RSA key in PEM PKCS#8 or PKCS#1 (KV5-003).
    #[error("the private key is not an unencrypted RSA key in PEM PKCS#8 or PKCS#1")]
    KeyInvalid,
    /// The key's modulus is shorter than 2048 bits (KV5-004).
    #[error("the RSA key has {bits} bits; at least 2048 are required")]
    KeyTooSmall {
        /// The modulus length in bits.
        bits: usize,
    },
    /// The timestamp is not an RFC 3339 date-time (KV5-005).
    #[error("the timestamp is not RFC 3339: {0}")]
    TimestampInvalid(&'static str),
    /// The body is neither empty nor a JSON text (KV5-009).
    #[error("the body is neither empty nor a JSON text")]
    BodyInvalid,
    /// The RSA private-key operation failed: the operating system's RNG (needed for blinding) is unavailable,
    /// or the `rsa` crate's fault check rejected the result. Not a property of the request; the key cannot be
    /// used right now, hence `key-invalid`.
    #[error("the RSA signing operation failed (RNG unavailable or fault detected)")]
    SigningFailed,
}

impl HasErrorCode for SignError {
    fn code(&self) -> ErrorCode {
        match self {
            SignError::ClientIdInvalid => ErrorCode::ApiKeyInvalid,
            SignError::KeyInvalid | SignError::SigningFailed => ErrorCode::KeyInvalid,
            SignError::KeyTooSmall { .. } => ErrorCode::KeyTooSmall,
            SignError::TimestampInvalid(_) => ErrorCode::TimestampInvalid,
            SignError::BodyInvalid => ErrorCode::BodyInvalid,
        }
    }
}

/// The three authentication headers, in the order the verifier checks them (KV5-021).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum V5Header {
    /// `X-Client-ID`.
    ClientId,
    /// `X-Client-Signature`.
    Signature,
    /// `X-Client-Timestamp`.
    Timestamp,
}

impl V5Header {
    /// The header's name as the vendor spells it.
    pub const fn name(self) -> &'static str {
        match self {
            V5Header::ClientId => "X-Client-ID",
            V5Header::Signature => "X-Client-Signature",
            V5Header::Timestamp => "X-Client-Timestamp",
        }
    }
}

/// The media type of every rejection's body (KV5-031).
pub const CONTENT_TYPE: &str = "text/plain";

/// Why the verifier rejected a request. Variants are listed in the order the verifier checks them (KV5-020); the
/// first failing check decides. [`VerifyError::status`] and [`VerifyError::text`] are the HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// A header is missing or empty (KV5-021).
    #[error("the {} header is missing or empty", .0.name())]
    HeaderMissing(V5Header),
    /// `X-Client-Timestamp` is not an RFC 3339 date-time (KV5-022).
    #[error("X-Client-Timestamp is not RFC 3339: {0}")]
    TimestampInvalid(&'static str),
    /// The timestamp is more than 300 s before the server's clock (KV5-023).
    #[error("the timestamp is more than 300 s before the server's clock")]
    TimestampStale,
    /// The timestamp is more than 300 s after the server's clock (KV5-024).
    #[error("the timestamp is more than 300 s after the server's clock")]
    TimestampFuture,
    /// No client with that id is registered (KV5-025).
    #[error("unknown client id")]
    KeyUnknown,
    /// The client's key expired: the server's clock is at or after its expiry (KV5-026).
    #[error("the client's key has expired")]
    KeyExpired,
    /// The remote address matches no entry of the client's allowlist (KV5-027).
    #[error("the remote address is not on the client's allowlist")]
    IpNotAllowed,
    /// The body is neither empty nor a JSON text (KV5-009).
    #[error("the body is neither empty nor a JSON text")]
    BodyInvalid,
    /// `X-Client-Signature` is not standard base64 of exactly k bytes (KV5-028).
    #[error("X-Client-Signature is not standard base64 of the key's modulus length")]
    SignatureMalformed,
    /// The RSASSA-PKCS1-v1_5 verification failed (KV5-029).
    #[error("the signature does not verify")]
    SignatureMismatch,
    /// The replay cache already holds this (client id, signature) (KV5-030).
    #[error("this signature was already accepted for this client")]
    RequestReplayed,
}

impl HasErrorCode for VerifyError {
    fn code(&self) -> ErrorCode {
        match self {
            VerifyError::HeaderMissing(_) => ErrorCode::HeaderMissing,
            VerifyError::TimestampInvalid(_) => ErrorCode::TimestampInvalid,
            VerifyError::TimestampStale => ErrorCode::TimestampStale,
            VerifyError::TimestampFuture => ErrorCode::TimestampFuture,
            VerifyError::KeyUnknown => ErrorCode::KeyUnknown,
            VerifyError::KeyExpired => ErrorCode::KeyExpired,
            VerifyError::IpNotAllowed => ErrorCode::IpNotAllowed,
            VerifyError::BodyInvalid => ErrorCode::BodyInvalid,
            VerifyError::SignatureMalformed => ErrorCode::SignatureMalformed,
            VerifyError::SignatureMismatch => ErrorCode::SignatureMismatch,
            VerifyError::RequestReplayed => ErrorCode::RequestReplayed,
        }
    }
}

impl VerifyError {
    /// The HTTP status: 400 for a request that cannot be authenticated at all (a missing header, an unreadable
    /// timestamp), 401 for every other rejection (KV5-031).
    pub const fn status(&self) -> u16 {
        match self {
            VerifyError::HeaderMissing(_) | VerifyError::TimestampInvalid(_) => 400,
            _ => 401,
        }
    }

    /// The exact `text/plain` body ([`CONTENT_TYPE`]) of the answer (KV5-031): the vendor's strings, and this
    /// project's resolutions for a future timestamp and a replay.
    pub const fn text(&self) -> &'static str {
        match self {
            VerifyError::HeaderMissing(V5Header::ClientId) => "Missing X-Client-ID header",
            VerifyError::HeaderMissing(V5Header::Signature) => "Missing X-Client-Signature header",
            VerifyError::HeaderMissing(V5Header::Timestamp) => "Missing X-Client-Timestamp header",
            VerifyError::TimestampInvalid(_) => "Invalid timestamp format (use RFC3339)",
            VerifyError::TimestampStale => "Request too old (more than 5 minutes)",
            VerifyError::TimestampFuture => "Request timestamp in the future (more than 5 minutes)",
            VerifyError::KeyUnknown => "Invalid partner credential key",
            VerifyError::KeyExpired => "Partner credential key expired",
            VerifyError::IpNotAllowed => "Invalid IP address",
            VerifyError::BodyInvalid => "Invalid request body",
            VerifyError::SignatureMalformed | VerifyError::SignatureMismatch => {
                "Signature verification failed"
            }
            VerifyError::RequestReplayed => "Request replayed",
        }
    }
}

/// Why a registry refused to register a client (KV5-033). Server configuration, not a request: these have no
/// wire answer and no stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistrationError {
    /// The client id is empty or holds a byte outside visible ASCII.
    #[error("the client id must be non-empty visible ASCII (0x21-0x7E)")]
    ClientIdInvalid,
    /// The public key is not an RSA key in PEM SPKI (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`).
    #[error("the public key is not an RSA key in PEM SPKI or PKCS#1")]
    KeyInvalid,
    /// The public key's modulus is shorter than 2048 bits.
    #[error("the RSA public key has {bits} bits; at least 2048 are required")]
    KeyTooSmall {
        /// The modulus length in bits.
        bits: usize,
    },
    /// An allowlist entry is not an address or CIDR range.
    #[error("allowlist entry {entry:?}: {error}")]
    AllowlistEntry {
        /// The entry as given.
        entry: String,
        /// What is wrong with it.
        error: IpNetError,
    },
    /// The expiry is not an RFC 3339 date-time.
    #[error("the expiry is not an RFC 3339 date-time")]
    ExpiryInvalid,
}

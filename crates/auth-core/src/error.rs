//! The stable error codes of `spec/error-codes.md`.
//!
//! Codes are the language-neutral names of every refusal and rejection: testees answer them over the testee
//! protocol and vectors expect them. A code is never renamed or reused; adding a scheme adds codes. Every
//! adapter error type implements [`HasErrorCode`], mapping each of its variants to exactly one code. A test
//! keeps this enum and the table in the spec in step.

use std::fmt;
use std::str::FromStr;

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal,)+) => {
        /// A stable error code from `spec/error-codes.md`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)+
        }

        impl ErrorCode {
            /// Every code, in the order of the spec's table.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)+];

            /// The code as it appears on the wire and in the spec (`signature-mismatch`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $code,)+
                }
            }
        }

        impl FromStr for ErrorCode {
            type Err = UnknownErrorCode;

            fn from_str(code: &str) -> Result<Self, Self::Err> {
                match code {
                    $($code => Ok(ErrorCode::$variant),)+
                    _ => Err(UnknownErrorCode(code.to_owned())),
                }
            }
        }
    };
}

error_codes! {
    /// The API key is empty or holds bytes that cannot appear in a header value.
    ApiKeyInvalid = "api-key-invalid",
    /// The secret is not valid standard base64.
    SecretInvalid = "secret-invalid",
    /// The secret decodes to zero bytes.
    SecretEmpty = "secret-empty",
    /// The HTTP method is not the one the scheme requires.
    MethodInvalid = "method-invalid",
    /// The path does not name an endpoint the scheme signs, or carries a query or fragment.
    PathInvalid = "path-invalid",
    /// The nonce is not canonical decimal of an unsigned 64-bit integer.
    NonceInvalid = "nonce-invalid",
    /// The body is malformed for its content type, or names the nonce twice.
    BodyInvalid = "body-invalid",
    /// The body carries no nonce.
    NonceMissing = "nonce-missing",
    /// The body's nonce differs from the nonce given to the signer.
    NonceMismatch = "nonce-mismatch",
    /// A header the scheme requires is missing or empty.
    HeaderMissing = "header-missing",
    /// The key named by the request is not registered.
    KeyUnknown = "key-unknown",
    /// The signature is not of the scheme's encoding or length.
    SignatureMalformed = "signature-malformed",
    /// The signature does not match the request.
    SignatureMismatch = "signature-mismatch",
    /// The key may not call this endpoint.
    PermissionDenied = "permission-denied",
    /// The nonce is not above the key's accepted nonces (or below the window).
    NonceStale = "nonce-stale",
    /// The nonce was already accepted for this key.
    NonceReplayed = "nonce-replayed",
    /// The private key cannot be used (not PEM, encrypted, not an RSA key in PKCS#8 or PKCS#1).
    KeyInvalid = "key-invalid",
    /// The RSA key is shorter than the scheme's minimum.
    KeyTooSmall = "key-too-small",
    /// The timestamp is not RFC 3339.
    TimestampInvalid = "timestamp-invalid",
    /// The timestamp is older than the scheme's window allows.
    TimestampStale = "timestamp-stale",
    /// The timestamp is further in the future than the scheme's window allows.
    TimestampFuture = "timestamp-future",
    /// The registered key has expired.
    KeyExpired = "key-expired",
    /// The request comes from an address the key is not registered for.
    IpNotAllowed = "ip-not-allowed",
    /// The same signed request was already accepted.
    RequestReplayed = "request-replayed",
    /// The credential hash method is not one the scheme defines.
    HashMethodInvalid = "hash-method-invalid",
    /// The account is not named exactly once.
    AccountInvalid = "account-invalid",
    /// The credentials (user, password hash, account or API key) do not match.
    CredentialsInvalid = "credentials-invalid",
    /// The token is malformed or its signature does not verify.
    TokenInvalid = "token-invalid",
    /// The token has expired.
    TokenExpired = "token-expired",
    /// The request did not come over a secure transport (HTTPS) where the scheme requires one.
    TransportInsecure = "transport-insecure",
    /// The request carries no session cookie.
    SessionMissing = "session-missing",
    /// The session id is unknown (never issued, or dropped at logout).
    SessionInvalid = "session-invalid",
    /// The session has expired (idle or absolute lifetime).
    SessionExpired = "session-expired",
    /// The implementation failed with an error it cannot map to any other code (a third-party library's
    /// unexpected exception, reported by its shim). No vector expects it; the reference never answers it.
    ImplementationError = "implementation-error",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not one of the spec's error codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown error code {0:?}")]
pub struct UnknownErrorCode(pub String);

/// An error that maps to exactly one stable code.
pub trait HasErrorCode {
    /// The stable code of this error.
    fn code(&self) -> ErrorCode;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for &code in ErrorCode::ALL {
            assert_eq!(code.as_str().parse::<ErrorCode>(), Ok(code));
            assert_eq!(code.to_string(), code.as_str());
        }
    }

    #[test]
    fn unknown_code_is_an_error() {
        assert_eq!(
            "sig-bad".parse::<ErrorCode>(),
            Err(UnknownErrorCode("sig-bad".into()))
        );
    }
}

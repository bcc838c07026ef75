//! Every refusal (client builders) and rejection (server), one stable code each (`spec/error-codes.md`), with the
//! HTTP status and the Kazoo error envelope the server answers.

use auth_core::{ErrorCode, HasErrorCode};
use serde_json::{Value, json};

use crate::Meta;

/// Why a builder refused or the server rejected. The server's answers are [`KazooError::status`] and
/// [`KazooError::envelope`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KazooError {
    /// The hash method is not `md5` or `sha` (KAZOO-003; client side).
    #[error("the hash method must be \"md5\" or \"sha\"")]
    HashMethodInvalid,
    /// Not exactly one of account_name / account_realm / phone_number (KAZOO-005; client side).
    #[error("exactly one of account_name, account_realm, phone_number is required")]
    AccountInvalid,
    /// The api key is not 64 characters of `[0-9a-f]` (KAZOO-006; client side).
    #[error("the api key must be 64 lowercase hex characters")]
    ApiKeyInvalid,
    /// The login body is malformed: not JSON, no `data` object, bad method, not exactly one account selector,
    /// credentials not a non-empty string of at most 64 characters, api key not 64 hex (KAZOO-018).
    #[error("invalid request body: {0}")]
    BodyInvalid(&'static str),
    /// Bad credentials, unknown user, account or api key (KAZOO-017, KAZOO-016).
    #[error("invalid credentials")]
    CredentialsInvalid,
    /// `X-Auth-Token` or `Authorization` is missing or empty (KAZOO-015).
    #[error("the {0} header is missing or empty")]
    HeaderMissing(&'static str),
    /// The token (or Basic value) is malformed or its signature does not verify (KAZOO-014).
    #[error("invalid token: {0}")]
    TokenInvalid(&'static str),
    /// The token has expired: server time >= `exp` (KAZOO-013).
    #[error("the token has expired")]
    TokenExpired,
    /// Server configuration: the signing key is not an unencrypted RSA private key in PEM PKCS#8 or PKCS#1.
    #[error("the signing key is not an RSA private key in PEM PKCS#8 or PKCS#1")]
    KeyInvalid,
    /// Server configuration: `server_time` is not an RFC 3339 date-time.
    #[error("the server time is not an RFC 3339 date-time")]
    ServerTimeInvalid,
    /// The RSA signing operation failed (OS RNG unavailable or fault detected).
    #[error("the RSA signing operation failed")]
    SigningFailed,
}

impl HasErrorCode for KazooError {
    fn code(&self) -> ErrorCode {
        match self {
            KazooError::HashMethodInvalid => ErrorCode::HashMethodInvalid,
            KazooError::AccountInvalid => ErrorCode::AccountInvalid,
            KazooError::ApiKeyInvalid => ErrorCode::ApiKeyInvalid,
            KazooError::BodyInvalid(_) => ErrorCode::BodyInvalid,
            KazooError::CredentialsInvalid => ErrorCode::CredentialsInvalid,
            KazooError::HeaderMissing(_) => ErrorCode::HeaderMissing,
            KazooError::TokenInvalid(_) => ErrorCode::TokenInvalid,
            KazooError::TokenExpired => ErrorCode::TokenExpired,
            KazooError::KeyInvalid | KazooError::SigningFailed => ErrorCode::KeyInvalid,
            KazooError::ServerTimeInvalid => ErrorCode::TimestampInvalid,
        }
    }
}

impl KazooError {
    /// The HTTP status: 400 for a malformed request (and for the client-side refusals, which describe one),
    /// 401 for every authentication failure, 500 for server configuration errors.
    pub const fn status(&self) -> u16 {
        match self {
            KazooError::HashMethodInvalid
            | KazooError::AccountInvalid
            | KazooError::ApiKeyInvalid
            | KazooError::BodyInvalid(_) => 400,
            KazooError::CredentialsInvalid
            | KazooError::HeaderMissing(_)
            | KazooError::TokenInvalid(_)
            | KazooError::TokenExpired => 401,
            KazooError::KeyInvalid | KazooError::ServerTimeInvalid | KazooError::SigningFailed => {
                500
            }
        }
    }

    /// The error envelope (KAZOO-017..019): every 401 is the invalid-credentials envelope, every 400 the
    /// invalid-request one, with the server's meta and `auth_token` `""`. 500 (configuration; not part of the
    /// spec) uses `internal_server_error`.
    pub fn envelope(&self, meta: &Meta) -> Value {
        let (data_message, message) = match self.status() {
            400 => ("invalid request", "invalid_request"),
            401 => ("invalid credentials", "invalid_credentials"),
            _ => ("internal server error", "internal_server_error"),
        };
        json!({
            "data": {"message": data_message},
            "error": self.status().to_string(),
            "message": message,
            "status": "error",
            "timestamp": meta.timestamp,
            "version": meta.version,
            "node": meta.node,
            "request_id": meta.request_id,
            "auth_token": "",
        })
    }
}

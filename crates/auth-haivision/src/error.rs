//! Every rejection of the server, one stable code each (`spec/error-codes.md`), with the HTTP answer; and the
//! errors of malformed inputs (server state, URLs, times), which are not protocol answers.

use auth_core::{ErrorCode, HasErrorCode};
use serde_json::{Value, json};

use crate::Response;

/// Why the server rejected a request. The answer is [`HaivError::response`] (status and JSON body).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HaivError {
    /// The request came over plain HTTP (HAIV-010): 403.
    #[error("the request did not come over HTTPS")]
    TransportInsecure,
    /// The login body is not a JSON object with string `username` and `password` (HAIV-011): 400.
    #[error("invalid request body: {0}")]
    BodyInvalid(&'static str),
    /// Unknown user or wrong password, one answer for both (HAIV-012): 401.
    #[error("invalid credentials")]
    CredentialsInvalid,
    /// No `id` cookie, or an empty one (HAIV-014): 401.
    #[error("the request carries no session cookie")]
    SessionMissing,
    /// The session id is unknown: never issued, or dropped at logout (HAIV-014, HAIV-018): 401.
    #[error("the session id is unknown")]
    SessionInvalid,
    /// The session is past its idle or absolute lifetime (HAIV-015): 401.
    #[error("the session has expired")]
    SessionExpired,
    /// The session's role ranks below the required one (HAIV-017): 403.
    #[error("the session's role is below the required role")]
    PermissionDenied,
    /// The OS random number generator failed while drawing a session id: 500 (not part of the spec).
    #[error("the OS random number generator is unavailable")]
    RandomUnavailable,
}

impl HasErrorCode for HaivError {
    fn code(&self) -> ErrorCode {
        match self {
            HaivError::TransportInsecure => ErrorCode::TransportInsecure,
            HaivError::BodyInvalid(_) => ErrorCode::BodyInvalid,
            HaivError::CredentialsInvalid => ErrorCode::CredentialsInvalid,
            HaivError::SessionMissing => ErrorCode::SessionMissing,
            HaivError::SessionInvalid => ErrorCode::SessionInvalid,
            HaivError::SessionExpired => ErrorCode::SessionExpired,
            HaivError::PermissionDenied => ErrorCode::PermissionDenied,
            // As auth-kazoo's RNG failure: the closest existing code; never expected on a working OS.
            HaivError::RandomUnavailable => ErrorCode::KeyInvalid,
        }
    }
}

impl HaivError {
    /// The HTTP status: 400 malformed body, 401 authentication, 403 transport or role, 500 RNG failure.
    pub const fn status(&self) -> u16 {
        match self {
            HaivError::BodyInvalid(_) => 400,
            HaivError::CredentialsInvalid
            | HaivError::SessionMissing
            | HaivError::SessionInvalid
            | HaivError::SessionExpired => 401,
            HaivError::TransportInsecure | HaivError::PermissionDenied => 403,
            HaivError::RandomUnavailable => 500,
        }
    }

    /// The JSON body: `{"error":"invalid credentials"}` for a failed login, `{"error":"unauthorized"}` for every
    /// session failure, `{"error":"https required"}`, `{"error":"forbidden"}`, `{"error":"invalid request"}`,
    /// `{"error":"internal error"}`.
    pub fn body(&self) -> Value {
        let message = match self {
            HaivError::TransportInsecure => "https required",
            HaivError::BodyInvalid(_) => "invalid request",
            HaivError::CredentialsInvalid => "invalid credentials",
            HaivError::SessionMissing | HaivError::SessionInvalid | HaivError::SessionExpired => {
                "unauthorized"
            }
            HaivError::PermissionDenied => "forbidden",
            HaivError::RandomUnavailable => "internal error",
        };
        json!({ "error": message })
    }

    /// The whole answer: [`HaivError::status`], `Content-Type: application/json`, no cookies, [`HaivError::body`].
    pub fn response(&self) -> Response {
        Response {
            status: self.status(),
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            set_cookie: Vec::new(),
            body: Some(self.body()),
        }
    }
}

/// A malformed input that is not a request: server state (users, sessions, times), a URL given to the jar, a
/// PHC string. Not a protocol answer, so it has no error code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Not an RFC 3339 date-time with an offset.
    #[error("not an RFC 3339 date-time: {0:?}")]
    TimeInvalid(String),
    /// Not an absolute `http://` or `https://` URL with a host.
    #[error("not an http or https URL: {0:?}")]
    UrlInvalid(String),
    /// Not a `$pbkdf2-sha256$i=<n>$<salt>$<hash>` PHC string (the string itself is never shown).
    #[error("password hash invalid: {0}")]
    PasswordHashInvalid(&'static str),
    /// The same username twice.
    #[error("duplicate user {0:?}")]
    DuplicateUser(String),
    /// The same session id twice.
    #[error("duplicate session id")]
    DuplicateSession,
}

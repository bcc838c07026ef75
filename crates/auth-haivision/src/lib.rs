#![doc = include_str!("../README.md")]

mod client;
mod error;
mod jar;
mod password;
mod server;
mod session;
mod time;

pub use client::{ClientRequest, LOGIN_PATH, LOGOUT_PATH, SESSION_COOKIE, login_request};
pub use error::{HaivError, InputError};
pub use jar::{CookieJar, CookieUrl, JarCookie, SameSite, SetCookieOutcome, path_matches};
pub use password::{
    HASH_LEN, PBKDF2_SHA256_ID, PasswordHash, SALT_LEN, hash_password, pbkdf2_hmac_sha256,
};
pub use server::{
    Authorized, CLEAR_SESSION_COOKIE, DEFAULT_ABSOLUTE_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
    DISPLAY_UNSAVED_WARNING_COOKIE, LoginSuccess, LogoutSuccess, NO_CACHE_HEADERS, Response,
    Server, ServerConfig, UserConfig, Users, session_cookie, session_id,
};
pub use session::{
    MemorySessionStore, Role, SESSION_ID_BYTES, SESSION_ID_LEN, Session, SessionStore,
    is_session_id, new_session_id,
};

/// Parses an RFC 3339 date-time (with an offset) as the protocol's `now`, `created_at`, `last_seen` are given.
pub fn parse_time(text: &str) -> Result<jiff::Timestamp, InputError> {
    time::parse(text)
}

/// Formats an instant as the protocol writes it: RFC 3339 UTC with `Z`, fractional seconds only when not zero.
pub fn format_time(at: jiff::Timestamp) -> String {
    time::format(at)
}

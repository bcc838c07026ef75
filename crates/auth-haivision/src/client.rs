//! The login request (HAIV-001), as a value (no I/O).

use serde_json::json;

/// Path of the login.
pub const LOGIN_PATH: &str = "/apis/v2/login";
/// Path of the logout.
pub const LOGOUT_PATH: &str = "/apis/v2/logout";
/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "id";

/// A request to send, with its JSON body as a value (shared with the other JSON-body schemes).
pub use auth_core::JsonRequest as ClientRequest;

/// The login (HAIV-001): `POST /apis/v2/login`, `Content-Type: application/json`,
/// `{"username":"..","password":".."}`. Never refuses: an empty username or password is sent as given.
pub fn login_request(username: &str, password: &str) -> ClientRequest {
    ClientRequest::new(
        "POST",
        LOGIN_PATH,
        json!({"username": username, "password": password}),
    )
}

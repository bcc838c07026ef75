//! The login request (HAIV-001), as a value (no I/O).

use auth_core::Request;
use serde_json::{Map, Value, json};

/// Path of the login.
pub const LOGIN_PATH: &str = "/apis/v2/login";
/// Path of the logout.
pub const LOGOUT_PATH: &str = "/apis/v2/logout";
/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "id";

/// A request to send: method, path, headers and the JSON body as a value.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientRequest {
    /// `POST`.
    pub method: &'static str,
    /// The path.
    pub path: &'static str,
    /// The headers: `Content-Type: application/json`.
    pub headers: Vec<(&'static str, String)>,
    /// The body as a JSON value.
    pub json: Value,
}

impl ClientRequest {
    /// The testee-protocol shape: `{"method","path","headers":{..},"json":..}`.
    pub fn to_json(&self) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), Value::from(value.as_str())))
            .collect();
        json!({"method": self.method, "path": self.path, "headers": headers, "json": self.json})
    }

    /// The request with its body serialized as compact JSON.
    pub fn to_request(&self) -> Request {
        let mut request = Request::new(self.method, self.path);
        for (name, value) in &self.headers {
            request.headers.append(*name, value.as_str());
        }
        request.body = self.json.to_string().into_bytes();
        request
    }
}

/// The login (HAIV-001): `POST /apis/v2/login`, `Content-Type: application/json`,
/// `{"username":"..","password":".."}`. Never refuses: an empty username or password is sent as given.
pub fn login_request(username: &str, password: &str) -> ClientRequest {
    ClientRequest {
        method: "POST",
        path: LOGIN_PATH,
        headers: vec![("Content-Type", "application/json".to_owned())],
        json: json!({"username": username, "password": password}),
    }
}

//! The sans-IO session server (HAIV-002, HAIV-010..019): login, authorize, logout as functions of the users, a
//! [`SessionStore`] and a [`Clock`].
//!
//! Check order. Login: transport (https), body (a JSON object with string `username` and `password`), then the
//! credentials (an unknown user costs the same PBKDF2 work as a wrong password and gets the same answer).
//! Authorize and logout: transport, the `id` cookie (missing or empty: `session-missing`), the session
//! (`session-invalid`), its lifetime (`now - created_at >= absolute_timeout` or `now - last_seen >=
//! idle_timeout`: `session-expired`), the role (`permission-denied`). Success touches the session (HAIV-016).

use std::collections::HashMap;

use auth_core::{Clock, ManualClock, Request};
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use zeroize::Zeroize;

use crate::client::SESSION_COOKIE;
use crate::session::{MemorySessionStore, Role, Session, SessionStore, new_session_id};
use crate::{HaivError, InputError, PasswordHash, time};

/// Idle lifetime of a session by default: 15 minutes.
pub const DEFAULT_IDLE_TIMEOUT: u64 = 900;
/// Absolute lifetime of a session by default: 12 hours.
pub const DEFAULT_ABSOLUTE_TIMEOUT: u64 = 43_200;

/// The headers of a successful login or logout, in order (HAIV-002).
pub const NO_CACHE_HEADERS: [(&str, &str); 4] = [
    ("Cache-Control", "no-cache, no-store, must-revalidate"),
    ("Pragma", "no-cache"),
    ("Expires", "0"),
    (
        "Strict-Transport-Security",
        "max-age=31536000; includeSubDomains",
    ),
];
/// The first cookie of a successful login.
pub const DISPLAY_UNSAVED_WARNING_COOKIE: &str =
    "DisplayUnsavedWarning=; Max-Age=100000; Path=/; Secure; SameSite=Strict";
/// The cookie of a logout: clears `id`.
pub const CLEAR_SESSION_COOKIE: &str = "id=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict";

/// The session cookie of a login: `id=<id>; Path=/; HttpOnly; Secure; SameSite=Strict`.
pub fn session_cookie(id: &str) -> String {
    format!("{SESSION_COOKIE}={id}; Path=/; HttpOnly; Secure; SameSite=Strict")
}

/// An HTTP answer: `{"status","headers":{..},"set_cookie":[..],"body"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status.
    pub status: u16,
    /// Header fields other than Set-Cookie, in order.
    pub headers: Vec<(String, String)>,
    /// The Set-Cookie fields, in order.
    pub set_cookie: Vec<String>,
    /// The JSON body; `None` (`null`) for 204.
    pub body: Option<Value>,
}

impl Response {
    fn no_content(set_cookie: Vec<String>) -> Self {
        Response {
            status: 204,
            headers: NO_CACHE_HEADERS
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
            set_cookie,
            body: None,
        }
    }

    /// The testee-protocol shape.
    pub fn to_json(&self) -> Value {
        let headers: Map<String, Value> = self
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), Value::from(value.as_str())))
            .collect();
        json!({
            "status": self.status,
            "headers": headers,
            "set_cookie": self.set_cookie,
            "body": self.body,
        })
    }
}

/// A user as configured: `{"username","password_hash","role"}`.
#[derive(Clone, Deserialize)]
pub struct UserConfig {
    /// The username (case-sensitive).
    pub username: String,
    /// The PHC string (`$pbkdf2-sha256$i=..$..$..`).
    pub password_hash: String,
    /// The role.
    pub role: Role,
}

impl std::fmt::Debug for UserConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserConfig")
            .field("username", &self.username)
            .field("password_hash", &"**redacted**")
            .field("role", &self.role)
            .finish()
    }
}

impl Drop for UserConfig {
    fn drop(&mut self) {
        self.password_hash.zeroize();
    }
}

/// The users: username -> password hash and role. A user whose hash is in a layout this crate does not support
/// (or malformed) is kept, and matches no password.
#[derive(Debug, Clone)]
pub struct Users {
    users: HashMap<String, (Option<PasswordHash>, Role)>,
    decoy: PasswordHash,
}

impl Default for Users {
    fn default() -> Self {
        Users::new()
    }
}

impl Users {
    /// No users.
    pub fn new() -> Self {
        Users {
            users: HashMap::new(),
            decoy: PasswordHash::decoy(1),
        }
    }

    /// Adds a user; [`InputError::DuplicateUser`] when the name is taken.
    pub fn insert(
        &mut self,
        username: impl Into<String>,
        hash: PasswordHash,
        role: Role,
    ) -> Result<(), InputError> {
        self.insert_entry(username.into(), Some(hash), role)
    }

    /// Adds a user who cannot log in (a hash this crate does not support); [`InputError::DuplicateUser`] when the
    /// name is taken.
    pub fn insert_locked(
        &mut self,
        username: impl Into<String>,
        role: Role,
    ) -> Result<(), InputError> {
        self.insert_entry(username.into(), None, role)
    }

    fn insert_entry(
        &mut self,
        username: String,
        hash: Option<PasswordHash>,
        role: Role,
    ) -> Result<(), InputError> {
        if self.users.contains_key(&username) {
            return Err(InputError::DuplicateUser(username));
        }
        // An unknown user costs as much as the most expensive known one.
        if let Some(hash) = &hash
            && hash.iterations() > self.decoy.iterations()
        {
            self.decoy = PasswordHash::decoy(hash.iterations());
        }
        self.users.insert(username, (hash, role));
        Ok(())
    }

    /// The users of a configuration. A `password_hash` that [`PasswordHash::parse`] refuses makes a user who
    /// matches no password (spec: "that user cannot log in"); only a duplicate username is an error.
    pub fn from_config(users: &[UserConfig]) -> Result<Self, InputError> {
        let mut out = Users::new();
        for user in users {
            out.insert_entry(
                user.username.clone(),
                PasswordHash::parse(&user.password_hash).ok(),
                user.role,
            )?;
        }
        Ok(out)
    }

    /// The role of `username` when `password` is right; `None` for a wrong password and for an unknown user,
    /// which still costs one PBKDF2 run (HAIV-012).
    pub fn verify(&self, username: &str, password: &str) -> Option<Role> {
        match self.users.get(username) {
            Some((Some(hash), role)) => hash.verify(password).then_some(*role),
            Some((None, _)) | None => {
                // Same work, result discarded.
                let _ = std::hint::black_box(self.decoy.verify(password));
                None
            }
        }
    }

    /// The role of `username`.
    pub fn role(&self, username: &str) -> Option<Role> {
        self.users.get(username).map(|(_, role)| *role)
    }

    /// Number of users.
    pub fn len(&self) -> usize {
        self.users.len()
    }

    /// Whether there are no users.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }
}

/// The testee protocol's `server` input:
/// `{"users":[..],"sessions":[..],"now":"<RFC 3339>","idle_timeout":900,"absolute_timeout":43200}`.
#[derive(Debug, Clone, Deserialize)]
pub struct ServerConfig {
    /// The users.
    #[serde(default)]
    pub users: Vec<UserConfig>,
    /// The sessions the server holds before the request.
    #[serde(default)]
    pub sessions: Vec<Session>,
    /// The server's clock, RFC 3339.
    pub now: String,
    /// Idle lifetime in seconds; [`DEFAULT_IDLE_TIMEOUT`] when absent.
    #[serde(default = "default_idle")]
    pub idle_timeout: u64,
    /// Absolute lifetime in seconds; [`DEFAULT_ABSOLUTE_TIMEOUT`] when absent.
    #[serde(default = "default_absolute")]
    pub absolute_timeout: u64,
}

fn default_idle() -> u64 {
    DEFAULT_IDLE_TIMEOUT
}

fn default_absolute() -> u64 {
    DEFAULT_ABSOLUTE_TIMEOUT
}

/// A successful login: the 204 answer and the new session (HAIV-002, HAIV-013).
#[derive(Debug, Clone, PartialEq)]
pub struct LoginSuccess {
    /// 204, the no-cache headers, the two cookies.
    pub response: Response,
    /// The new session (`created_at = last_seen = now`), already in the store.
    pub session: Session,
}

/// A successful authorization: who, and the touched session (HAIV-016).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorized {
    /// The session's user.
    pub username: String,
    /// The session's role.
    pub role: Role,
    /// The session with `last_seen = now`.
    pub session: Session,
}

/// A successful logout (HAIV-018).
#[derive(Debug, Clone, PartialEq)]
pub struct LogoutSuccess {
    /// 204, the no-cache headers, the clearing `id` cookie.
    pub response: Response,
    /// The id of the dropped session.
    pub session_dropped: String,
}

/// The session server.
#[derive(Debug)]
pub struct Server<S, C> {
    users: Users,
    store: S,
    clock: C,
    idle_timeout: u64,
    absolute_timeout: u64,
}

impl Server<MemorySessionStore, ManualClock> {
    /// The server the testee protocol describes: its users, its sessions in a [`MemorySessionStore`], the clock
    /// pinned at `now`, its timeouts.
    pub fn from_config(config: &ServerConfig) -> Result<Self, InputError> {
        let now = time::parse(&config.now)?;
        let users = Users::from_config(&config.users)?;
        let store = MemorySessionStore::new();
        for session in &config.sessions {
            if !store.insert(session.clone()) {
                return Err(InputError::DuplicateSession);
            }
        }
        Ok(Server::new(
            users,
            store,
            ManualClock::new(now),
            config.idle_timeout,
            config.absolute_timeout,
        ))
    }
}

impl<S: SessionStore, C: Clock> Server<S, C> {
    /// The server from its parts; timeouts in seconds.
    pub fn new(users: Users, store: S, clock: C, idle_timeout: u64, absolute_timeout: u64) -> Self {
        Server {
            users,
            store,
            clock,
            idle_timeout,
            absolute_timeout,
        }
    }

    /// The users.
    pub fn users(&self) -> &Users {
        &self.users
    }

    /// The session store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }

    /// `POST /apis/v2/login` (HAIV-002, HAIV-010..013). `secure`: the request came over HTTPS.
    pub fn login(&self, request: &Request, secure: bool) -> Result<LoginSuccess, HaivError> {
        if !secure {
            return Err(HaivError::TransportInsecure);
        }
        let body: Value = serde_json::from_slice(&request.body)
            .map_err(|_| HaivError::BodyInvalid("not JSON"))?;
        let Value::Object(body) = body else {
            return Err(HaivError::BodyInvalid("not a JSON object"));
        };
        let (Some(Value::String(username)), Some(Value::String(password))) =
            (body.get("username"), body.get("password"))
        else {
            return Err(HaivError::BodyInvalid(
                "username and password are not both strings",
            ));
        };
        let role = self
            .users
            .verify(username, password)
            .ok_or(HaivError::CredentialsInvalid)?;
        let now = self.clock.now();
        let offered = session_id(request);
        // A new id (HAIV-013): never one in the store, never the one the client offers (no fixation). A collision
        // of 128 random bits is not expected, but costs only another draw.
        for _ in 0..4 {
            let id = new_session_id()?;
            if offered == Some(id.as_str()) {
                continue;
            }
            let session = Session {
                id,
                username: username.clone(),
                role,
                created_at: now,
                last_seen: now,
            };
            if self.store.insert(session.clone()) {
                let response = Response::no_content(vec![
                    DISPLAY_UNSAVED_WARNING_COOKIE.to_owned(),
                    session_cookie(&session.id),
                ]);
                return Ok(LoginSuccess { response, session });
            }
        }
        Err(HaivError::RandomUnavailable)
    }

    /// Any authenticated call (HAIV-010, HAIV-014..017): the session of the `id` cookie, alive, with a role of at
    /// least `required`; its `last_seen` becomes now.
    pub fn authorize(
        &self,
        request: &Request,
        secure: bool,
        required: Role,
    ) -> Result<Authorized, HaivError> {
        let session = self.live_session(request, secure)?;
        if !session.role.satisfies(required) {
            return Err(HaivError::PermissionDenied);
        }
        let session = self
            .store
            .touch(&session.id, self.clock.now())
            .ok_or(HaivError::SessionInvalid)?;
        Ok(Authorized {
            username: session.username.clone(),
            role: session.role,
            session,
        })
    }

    /// `GET /apis/v2/logout` (HAIV-018): as [`Server::authorize`] with any role, then the session is dropped and
    /// the answer clears the cookie.
    pub fn logout(&self, request: &Request, secure: bool) -> Result<LogoutSuccess, HaivError> {
        let session = self.live_session(request, secure)?;
        let dropped = self
            .store
            .remove(&session.id)
            .ok_or(HaivError::SessionInvalid)?;
        Ok(LogoutSuccess {
            response: Response::no_content(vec![CLEAR_SESSION_COOKIE.to_owned()]),
            session_dropped: dropped.id,
        })
    }

    /// Drops every session expired at the clock's time; how many.
    pub fn purge_expired(&self) -> usize {
        let now = self.clock.now();
        self.store
            .retain(&mut |session| self.expired(session, now).is_none())
    }

    fn live_session(&self, request: &Request, secure: bool) -> Result<Session, HaivError> {
        if !secure {
            return Err(HaivError::TransportInsecure);
        }
        let id = session_id(request).ok_or(HaivError::SessionMissing)?;
        let session = self.store.get(id).ok_or(HaivError::SessionInvalid)?;
        match self.expired(&session, self.clock.now()) {
            Some(error) => Err(error),
            None => Ok(session),
        }
    }

    fn expired(&self, session: &Session, now: Timestamp) -> Option<HaivError> {
        let reached = |since: Timestamp, limit: u64| {
            let elapsed = i128::from(now.as_millisecond()) - i128::from(since.as_millisecond());
            elapsed >= i128::from(limit) * 1000
        };
        (reached(session.created_at, self.absolute_timeout)
            || reached(session.last_seen, self.idle_timeout))
        .then_some(HaivError::SessionExpired)
    }
}

/// The session cookie: the value of the first `id` piece of the request's Cookie header(s) (pieces split at `;`,
/// each split at its first `=`, names and values trimmed of spaces and tabs, pieces without `=` ignored); `None`
/// when there is no `id` piece or the first one has an empty value.
pub fn session_id(request: &Request) -> Option<&str> {
    request
        .headers
        .get_all("cookie")
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=')?;
            (name.trim_matches([' ', '\t']) == SESSION_COOKIE)
                .then(|| value.trim_matches([' ', '\t']))
        })
        .next()
        .filter(|value| !value.is_empty())
}

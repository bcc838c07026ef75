//! Sessions (HAIV-013..019): roles, the session record, the store, and session ids.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use crate::{HaivError, time};

/// Bytes of randomness in a session id (128 bits).
pub const SESSION_ID_BYTES: usize = 16;
/// Characters of a session id: lowercase hex of [`SESSION_ID_BYTES`].
pub const SESSION_ID_LEN: usize = 2 * SESSION_ID_BYTES;

/// A role; ranks `User < Operator < Haiadmin` (HAIV-017). Wire names `user`, `operator`, `haiadmin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// `user`: the viewer.
    User,
    /// `operator`.
    Operator,
    /// `haiadmin`: the administrator.
    Haiadmin,
}

impl Role {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Operator => "operator",
            Role::Haiadmin => "haiadmin",
        }
    }

    /// Whether this role may do what `required` may.
    pub fn satisfies(self, required: Role) -> bool {
        self >= required
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "user" => Ok(Role::User),
            "operator" => Ok(Role::Operator),
            "haiadmin" => Ok(Role::Haiadmin),
            other => Err(format!("unknown role {other:?}")),
        }
    }
}

/// A session: the testee protocol's `{"id","username","role","created_at","last_seen"}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The session id (the `id` cookie's value).
    pub id: String,
    /// Who logged in.
    pub username: String,
    /// The user's role at login.
    pub role: Role,
    /// When the session was created (the login).
    #[serde(with = "time::rfc3339")]
    pub created_at: Timestamp,
    /// The last successful use.
    #[serde(with = "time::rfc3339")]
    pub last_seen: Timestamp,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The id is a bearer credential: show a prefix only.
        let prefix: String = self.id.chars().take(4).collect();
        f.debug_struct("Session")
            .field("id", &format_args!("{prefix}.."))
            .field("username", &self.username)
            .field("role", &self.role)
            .field("created_at", &self.created_at)
            .field("last_seen", &self.last_seen)
            .finish()
    }
}

impl Session {
    /// The session as JSON.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// Where sessions live. Methods take `&self` (a store is shared between request handlers).
pub trait SessionStore: Send + Sync {
    /// The session with this id.
    fn get(&self, id: &str) -> Option<Session>;
    /// Whether a session has this id.
    fn contains(&self, id: &str) -> bool {
        self.get(id).is_some()
    }
    /// Adds a session; `false` (and nothing stored) when its id is already taken.
    fn insert(&self, session: Session) -> bool;
    /// Sets `last_seen` of the session to `at`; the updated session.
    fn touch(&self, id: &str, at: Timestamp) -> Option<Session>;
    /// Drops the session; the dropped session.
    fn remove(&self, id: &str) -> Option<Session>;
    /// Drops every session `keep` refuses; how many were dropped.
    fn retain(&self, keep: &mut dyn FnMut(&Session) -> bool) -> usize;
    /// Number of sessions.
    fn len(&self) -> usize;
    /// Whether the store is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Sessions in memory. The map is keyed by SHA-256 of the id, so that the lookup's timing depends on a digest
/// an attacker cannot steer byte by byte; the stored id is then compared in constant time (HAIV-019).
#[derive(Debug, Default)]
pub struct MemorySessionStore {
    sessions: Mutex<HashMap<[u8; 32], Session>>,
}

fn key(id: &str) -> [u8; 32] {
    Sha256::digest(id.as_bytes()).into()
}

impl MemorySessionStore {
    /// An empty store.
    pub fn new() -> Self {
        MemorySessionStore::default()
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<[u8; 32], Session>> {
        // A panic while holding the lock cannot leave the map half-updated: every update is one map call.
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn find<'m>(map: &'m mut HashMap<[u8; 32], Session>, id: &str) -> Option<&'m mut Session> {
        map.get_mut(&key(id))
            .filter(|session| bool::from(session.id.as_bytes().ct_eq(id.as_bytes())))
    }

    /// Every session, sorted by id.
    pub fn sessions(&self) -> Vec<Session> {
        let mut sessions: Vec<Session> = self.lock().values().cloned().collect();
        sessions.sort_by(|a, b| a.id.cmp(&b.id));
        sessions
    }
}

impl SessionStore for MemorySessionStore {
    fn get(&self, id: &str) -> Option<Session> {
        MemorySessionStore::find(&mut self.lock(), id).map(|session| session.clone())
    }

    fn insert(&self, session: Session) -> bool {
        let mut map = self.lock();
        match map.entry(key(&session.id)) {
            std::collections::hash_map::Entry::Occupied(_) => false,
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(session);
                true
            }
        }
    }

    fn touch(&self, id: &str, at: Timestamp) -> Option<Session> {
        let mut map = self.lock();
        let session = MemorySessionStore::find(&mut map, id)?;
        session.last_seen = at;
        Some(session.clone())
    }

    fn remove(&self, id: &str) -> Option<Session> {
        let mut map = self.lock();
        MemorySessionStore::find(&mut map, id)?;
        map.remove(&key(id))
    }

    fn retain(&self, keep: &mut dyn FnMut(&Session) -> bool) -> usize {
        let mut map = self.lock();
        let before = map.len();
        map.retain(|_, session| keep(session));
        before - map.len()
    }

    fn len(&self) -> usize {
        self.lock().len()
    }
}

/// A fresh session id (HAIV-013): 16 bytes from the OS CSPRNG as 32 lowercase hex characters.
pub fn new_session_id() -> Result<String, HaivError> {
    let mut bytes = zeroize::Zeroizing::new([0u8; SESSION_ID_BYTES]);
    getrandom::fill(bytes.as_mut_slice()).map_err(|_| HaivError::RandomUnavailable)?;
    Ok(auth_core::hex::encode(bytes.as_slice()))
}

/// Whether `id` has the shape of an id this crate issues: 32 characters of `[0-9a-f]`.
pub fn is_session_id(id: &str) -> bool {
    id.len() == SESSION_ID_LEN && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

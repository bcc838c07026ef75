//! Client builders (KAZOO-004..008): the login requests and the headers of authenticated calls, as values (no
//! I/O). Request bodies are JSON values ([`ClientRequest::json`]); [`ClientRequest::to_request`] serializes them
//! compactly into an [`auth_core::Request`].

use auth_core::Headers;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::{HashMethod, KazooError, credentials};

/// Path of the user_auth login.
pub const USER_AUTH_PATH: &str = "/v2/user_auth";
/// Path of the api_auth login.
pub const API_AUTH_PATH: &str = "/v2/api_auth";
/// The header authenticated calls carry the token in (KAZOO-007).
pub const TOKEN_HEADER: &str = "X-Auth-Token";
/// The Basic header (KAZOO-008).
pub const BASIC_HEADER: &str = "Authorization";
/// Length of an api key: 64 hex digits (KAZOO-006).
pub const API_KEY_LEN: usize = 64;

/// How a user_auth request names the account (KAZOO-005): exactly one of these.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AccountSelector {
    /// `account_name`.
    Name(String),
    /// `account_realm`.
    Realm(String),
    /// `phone_number`.
    Phone(String),
}

impl AccountSelector {
    /// The selector from optional members: exactly one must be `Some`, else [`KazooError::AccountInvalid`].
    pub fn from_parts(
        account_name: Option<&str>,
        account_realm: Option<&str>,
        phone_number: Option<&str>,
    ) -> Result<Self, KazooError> {
        match (account_name, account_realm, phone_number) {
            (Some(name), None, None) => Ok(AccountSelector::Name(name.to_owned())),
            (None, Some(realm), None) => Ok(AccountSelector::Realm(realm.to_owned())),
            (None, None, Some(phone)) => Ok(AccountSelector::Phone(phone.to_owned())),
            _ => Err(KazooError::AccountInvalid),
        }
    }

    /// The selector from a JSON object such as the `account` input `{"account_name": ".."}`: exactly one of
    /// the three members, a string, and no other member; else [`KazooError::AccountInvalid`].
    pub fn from_json(account: &Value) -> Result<Self, KazooError> {
        let object = account.as_object().ok_or(KazooError::AccountInvalid)?;
        if object.len() != 1 {
            return Err(KazooError::AccountInvalid);
        }
        let get = |key: &str| {
            object
                .get(key)
                .map(|v| v.as_str().ok_or(KazooError::AccountInvalid))
        };
        AccountSelector::from_parts(
            get("account_name").transpose()?,
            get("account_realm").transpose()?,
            get("phone_number").transpose()?,
        )
    }

    /// The member name in the request's `data`.
    pub const fn key(&self) -> &'static str {
        match self {
            AccountSelector::Name(_) => "account_name",
            AccountSelector::Realm(_) => "account_realm",
            AccountSelector::Phone(_) => "phone_number",
        }
    }

    /// The value as given.
    pub fn value(&self) -> &str {
        match self {
            AccountSelector::Name(v) | AccountSelector::Realm(v) | AccountSelector::Phone(v) => v,
        }
    }
}

/// A request to send, with its JSON body as a value (shared with the other JSON-body schemes).
pub use auth_core::JsonRequest as ClientRequest;

/// The user_auth login (KAZOO-004): `PUT /v2/user_auth` with
/// `{"data":{"credentials":"<hex>","<selector>":"..","method":"md5"|"sha"}}`. `method` sits inside `data`, where
/// Kazoo's `user_auth.json` schema (which validates `data`) and `cb_user_auth` (which reads it from `data`) put it.
pub fn user_auth_request(
    username: &str,
    password: &str,
    method: HashMethod,
    account: &AccountSelector,
) -> ClientRequest {
    let mut data = Map::new();
    data.insert(
        "credentials".to_owned(),
        Value::from(credentials(username, password, method)),
    );
    data.insert(account.key().to_owned(), Value::from(account.value()));
    data.insert("method".to_owned(), Value::from(method.as_wire()));
    ClientRequest::new("PUT", USER_AUTH_PATH, json!({ "data": data }))
}

/// Whether `key` is an api key: exactly 64 characters of `[0-9a-f]` (KAZOO-006).
pub fn is_api_key(key: &str) -> bool {
    key.len() == API_KEY_LEN && key.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The api_auth login (KAZOO-006): `PUT /v2/api_auth` with `{"data":{"api_key":".."}}`; an api key that is not
/// 64 characters of `[0-9a-f]` is [`KazooError::ApiKeyInvalid`].
pub fn api_auth_request(api_key: &str) -> Result<ClientRequest, KazooError> {
    if !is_api_key(api_key) {
        return Err(KazooError::ApiKeyInvalid);
    }
    Ok(ClientRequest::new(
        "PUT",
        API_AUTH_PATH,
        json!({"data": {"api_key": api_key}}),
    ))
}

/// The header of an authenticated call (KAZOO-007): `("X-Auth-Token", token)`.
pub fn token_header(auth_token: &str) -> (&'static str, String) {
    (TOKEN_HEADER, auth_token.to_owned())
}

/// The Basic header and its stages (KAZOO-008).
#[derive(Clone, PartialEq, Eq)]
pub struct BasicHeader {
    /// `credentials`: md5 hex of `lower(username) ":" password`.
    pub credentials: String,
    /// `basic_plain`: `account_id ":" credentials`.
    pub basic_plain: String,
    /// `authorization`: `Basic ` and the standard base64 of `basic_plain`.
    pub authorization: String,
}

impl std::fmt::Debug for BasicHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicHeader")
            .field("credentials", &"**redacted**")
            .finish_non_exhaustive()
    }
}

impl BasicHeader {
    /// The header name, `Authorization`.
    pub const fn name(&self) -> &'static str {
        BASIC_HEADER
    }

    /// The stages in the spec's order: `credentials`, `basic_plain`, `authorization`.
    pub fn stages(&self) -> [(&'static str, &str); 3] {
        [
            ("credentials", &self.credentials),
            ("basic_plain", &self.basic_plain),
            ("authorization", &self.authorization),
        ]
    }

    /// The header as a [`Headers`] list.
    pub fn headers(&self) -> Headers {
        [(BASIC_HEADER, self.authorization.as_str())]
            .into_iter()
            .collect()
    }
}

/// `Authorization: Basic base64(account_id ":" md5hex(lower(username) ":" password))` (KAZOO-008); always MD5.
pub fn basic_header(account_id: &str, username: &str, password: &str) -> BasicHeader {
    let credentials = credentials(username, password, HashMethod::Md5);
    let basic_plain = format!("{account_id}:{credentials}");
    let authorization = format!("Basic {}", STANDARD.encode(basic_plain.as_bytes()));
    BasicHeader {
        credentials,
        basic_plain,
        authorization,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_from_json() {
        assert_eq!(
            AccountSelector::from_json(&json!({"account_realm": "r.example.com"})),
            Ok(AccountSelector::Realm("r.example.com".to_owned()))
        );
        for bad in [
            json!({}),
            json!({"account_name": "a", "phone_number": "1"}),
            json!({"account_name": 1}),
            json!({"other": "x"}),
            json!("account_name"),
        ] {
            assert_eq!(
                AccountSelector::from_json(&bad),
                Err(KazooError::AccountInvalid),
                "{bad}"
            );
        }
    }

    #[test]
    fn api_keys() {
        assert!(is_api_key(&"0a".repeat(32)));
        assert!(!is_api_key(&"0A".repeat(32)));
        assert!(!is_api_key(&"0a".repeat(31)));
        assert!(!is_api_key(&format!("{}g", "0".repeat(63))));
    }
}

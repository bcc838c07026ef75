//! The server (KAZOO-010..019): user_auth and api_auth logins, token and Basic verification, as pure functions
//! of a [`Registry`], a [`TokenIssuer`], the envelope [`Meta`] and a [`Clock`].
//!
//! Check order of a login: body is JSON; `data` is an object; (user_auth) `data.method` absent (MD5, Kazoo's
//! default) or `md5`/`sha`; `data.credentials` a non-empty string of at most 64 characters; exactly one account selector, a non-empty
//! string; then the account, then the user. (api_auth) `data.api_key` 64 characters of `[0-9a-f]`; then the key.
//! Every malformed body is `body-invalid` (400); every failed lookup or comparison `credentials-invalid` (401).
//! Credential and api-key comparisons are constant time (KAZOO-020); stored hashes are zeroized on drop.

use auth_core::{Clock, Request};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use subtle::ConstantTimeEq as _;
use zeroize::{Zeroize, Zeroizing};

use crate::client::{BASIC_HEADER, TOKEN_HEADER, is_api_key};
use crate::jwt::{AuthMethod, DEFAULT_LIFETIME, IssuedToken, TokenIssuer, TokenPrincipal};
use crate::{AccountSelector, HashMethod, KazooError, credentials};

/// An account as the registry holds it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Account {
    /// The account id.
    pub account_id: String,
    /// `account_name`, if any.
    #[serde(default)]
    pub account_name: Option<String>,
    /// `account_realm`, if any.
    #[serde(default)]
    pub account_realm: Option<String>,
    /// The account's phone numbers.
    #[serde(default)]
    pub phone_numbers: Vec<String>,
}

impl Account {
    fn selected_by(&self, selector: &AccountSelector) -> bool {
        match selector {
            AccountSelector::Name(name) => self.account_name.as_deref() == Some(name),
            AccountSelector::Realm(realm) => self.account_realm.as_deref() == Some(realm),
            AccountSelector::Phone(phone) => self.phone_numbers.iter().any(|p| p == phone),
        }
    }
}

/// A user as configured: the password in clear (test registries). `Debug` redacts it; it is zeroized on drop.
#[derive(Clone, Deserialize)]
pub struct UserConfig {
    /// The user's account.
    pub account_id: String,
    /// The user's id (the token's `owner_id`).
    pub owner_id: String,
    /// The username.
    pub username: String,
    /// The password.
    pub password: String,
}

impl std::fmt::Debug for UserConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserConfig")
            .field("account_id", &self.account_id)
            .field("owner_id", &self.owner_id)
            .field("username", &self.username)
            .field("password", &"**redacted**")
            .finish()
    }
}

impl Drop for UserConfig {
    fn drop(&mut self) {
        self.password.zeroize();
    }
}

/// An api key entry. `Debug` redacts the key.
#[derive(Clone, Deserialize)]
pub struct ApiKeyConfig {
    /// The account the key authenticates.
    pub account_id: String,
    /// The key, 64 hex characters.
    pub api_key: String,
    /// The token's `owner_id` for this key; `""` when absent (an api key has no user).
    #[serde(default)]
    pub owner_id: String,
}

impl std::fmt::Debug for ApiKeyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeyConfig")
            .field("account_id", &self.account_id)
            .field("owner_id", &self.owner_id)
            .field("api_key", &"**redacted**")
            .finish()
    }
}

/// A user as the server holds it: its credentials for both methods, never the password.
struct User {
    account_id: String,
    owner_id: String,
    md5: Zeroizing<String>,
    sha: Zeroizing<String>,
}

impl User {
    fn credentials(&self, method: HashMethod) -> &str {
        match method {
            HashMethod::Md5 => &self.md5,
            HashMethod::Sha => &self.sha,
        }
    }
}

/// Accounts, users (by their credentials) and api keys.
pub struct Registry {
    accounts: Vec<Account>,
    users: Vec<User>,
    api_keys: Vec<(String, Zeroizing<String>, String)>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("accounts", &self.accounts)
            .field("users", &self.users.len())
            .field("api_keys", &self.api_keys.len())
            .finish()
    }
}

impl Registry {
    /// Builds the registry, hashing every user's credentials for both methods once.
    pub fn new(accounts: Vec<Account>, users: &[UserConfig], api_keys: &[ApiKeyConfig]) -> Self {
        let users = users
            .iter()
            .map(|user| User {
                account_id: user.account_id.clone(),
                owner_id: user.owner_id.clone(),
                md5: Zeroizing::new(credentials(&user.username, &user.password, HashMethod::Md5)),
                sha: Zeroizing::new(credentials(&user.username, &user.password, HashMethod::Sha)),
            })
            .collect();
        let api_keys = api_keys
            .iter()
            .map(|key| {
                (
                    key.account_id.clone(),
                    Zeroizing::new(key.api_key.clone()),
                    key.owner_id.clone(),
                )
            })
            .collect();
        Registry {
            accounts,
            users,
            api_keys,
        }
    }

    /// The first user (in registry order) of an account selected by `selector` whose credentials for `method`
    /// equal `given`: `(account_id, owner_id)`. Every user of every selected account is compared, in constant
    /// time per comparison.
    pub fn find_user(
        &self,
        selector: &AccountSelector,
        method: HashMethod,
        given: &str,
    ) -> Option<(&str, &str)> {
        let mut found = None;
        for account in self.accounts.iter().filter(|a| a.selected_by(selector)) {
            found = found.or(self.match_user(&account.account_id, method, given));
        }
        found
    }

    /// The first user of `account_id` whose credentials for `method` equal `given` (constant-time comparisons,
    /// all users of the account compared).
    pub fn match_user(
        &self,
        account_id: &str,
        method: HashMethod,
        given: &str,
    ) -> Option<(&str, &str)> {
        let mut found = None;
        for user in self.users.iter().filter(|u| u.account_id == account_id) {
            let equal: bool = user
                .credentials(method)
                .as_bytes()
                .ct_eq(given.as_bytes())
                .into();
            if equal && found.is_none() {
                found = Some((user.account_id.as_str(), user.owner_id.as_str()));
            }
        }
        found
    }

    /// The `(account_id, owner_id)` of the api key (constant-time comparisons, every key compared).
    pub fn find_api_key(&self, api_key: &str) -> Option<(&str, &str)> {
        let mut found = None;
        for (account_id, key, owner_id) in &self.api_keys {
            let equal: bool = key.as_bytes().ct_eq(api_key.as_bytes()).into();
            if equal && found.is_none() {
                found = Some((account_id.as_str(), owner_id.as_str()));
            }
        }
        found
    }
}

/// The envelope's meta, as the server answers it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    /// `node`.
    pub node: String,
    /// `version`.
    pub version: String,
    /// `request_id`.
    pub request_id: String,
    /// `revision` (success envelopes only).
    pub revision: String,
    /// `timestamp`: the server time, as text, as given.
    pub timestamp: String,
}

/// The `server` input of the testee protocol.
#[derive(Deserialize)]
pub struct ServerConfig {
    /// Accounts.
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// Users.
    #[serde(default)]
    pub users: Vec<UserConfig>,
    /// Api keys.
    #[serde(default)]
    pub api_keys: Vec<ApiKeyConfig>,
    /// The RSA signing key, PEM PKCS#8 (or PKCS#1). Test-only keys.
    pub signing_key_pem: String,
    /// Token lifetime in seconds; 3600 when absent.
    #[serde(default = "default_lifetime")]
    pub token_lifetime: i64,
    /// The server's clock, RFC 3339; also the envelopes' `timestamp`, as given.
    pub server_time: String,
    /// `node`.
    #[serde(default)]
    pub node: String,
    /// `version`.
    #[serde(default)]
    pub version: String,
    /// `request_id`.
    #[serde(default)]
    pub request_id: String,
    /// `revision`.
    #[serde(default)]
    pub revision: String,
}

impl std::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("accounts", &self.accounts)
            .field("users", &self.users)
            .field("api_keys", &self.api_keys)
            .field("signing_key_pem", &"**redacted**")
            .field("server_time", &self.server_time)
            .finish_non_exhaustive()
    }
}

impl Drop for ServerConfig {
    fn drop(&mut self) {
        self.signing_key_pem.zeroize();
    }
}

fn default_lifetime() -> i64 {
    DEFAULT_LIFETIME
}

/// A successful login: HTTP 201 and the success envelope, with the token's stages.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    /// 201.
    pub status: u16,
    /// The success envelope.
    pub body: Value,
    /// The issued token and its stages.
    pub token: IssuedToken,
}

/// Who a Basic header authenticates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicPrincipal {
    /// The account id.
    pub account_id: String,
    /// The user's id.
    pub owner_id: String,
}

/// The Crossbar authentication server.
#[derive(Debug)]
pub struct Server<C> {
    registry: Registry,
    issuer: TokenIssuer,
    meta: Meta,
    clock: C,
}

impl Server<auth_core::ManualClock> {
    /// The server the testee protocol describes: the clock pinned at `server_time` (also the envelopes'
    /// `timestamp`, as given).
    pub fn from_config(config: &ServerConfig) -> Result<Self, KazooError> {
        let now: jiff::Timestamp = config
            .server_time
            .parse()
            .map_err(|_| KazooError::ServerTimeInvalid)?;
        let issuer = TokenIssuer::from_pem(&config.signing_key_pem, config.token_lifetime)?;
        let registry = Registry::new(config.accounts.clone(), &config.users, &config.api_keys);
        let meta = Meta {
            node: config.node.clone(),
            version: config.version.clone(),
            request_id: config.request_id.clone(),
            revision: config.revision.clone(),
            timestamp: config.server_time.clone(),
        };
        Ok(Server::new(
            registry,
            issuer,
            meta,
            auth_core::ManualClock::new(now),
        ))
    }
}

impl<C: Clock> Server<C> {
    /// The server from its parts.
    pub fn new(registry: Registry, issuer: TokenIssuer, meta: Meta, clock: C) -> Self {
        Server {
            registry,
            issuer,
            meta,
            clock,
        }
    }

    /// The envelope meta.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// The token issuer.
    pub fn issuer(&self) -> &TokenIssuer {
        &self.issuer
    }

    /// The clock's time in Unix seconds, floored.
    fn now_seconds(&self) -> i64 {
        self.clock.now().as_millisecond().div_euclid(1000)
    }

    /// `PUT /v2/user_auth` (KAZOO-010, KAZOO-017, KAZOO-018).
    pub fn user_auth(&self, request: &Request) -> Result<Success, KazooError> {
        let data = data_object(&request.body)?;
        let method = match data.get("method") {
            None => HashMethod::Md5,
            Some(Value::String(name)) => HashMethod::from_wire(name)
                .map_err(|_| KazooError::BodyInvalid("data.method is not md5 or sha"))?,
            Some(_) => return Err(KazooError::BodyInvalid("data.method is not a string")),
        };
        let given = match data.get("credentials") {
            // The schema's bound: `user_auth.json` gives credentials at most 64 characters (spec check 3).
            Some(Value::String(text)) if !text.is_empty() && text.chars().count() <= 64 => {
                text.as_str()
            }
            _ => {
                return Err(KazooError::BodyInvalid(
                    "data.credentials is not a non-empty string of at most 64 characters",
                ));
            }
        };
        let selector = selector(&data)?;
        let (account_id, owner_id) = self
            .registry
            .find_user(&selector, method, given)
            .ok_or(KazooError::CredentialsInvalid)?;
        self.success(account_id, owner_id, AuthMethod::UserAuth)
    }

    /// `PUT /v2/api_auth` (KAZOO-011, KAZOO-017, KAZOO-018).
    pub fn api_auth(&self, request: &Request) -> Result<Success, KazooError> {
        let data = data_object(&request.body)?;
        let api_key = match data.get("api_key") {
            Some(Value::String(key)) if is_api_key(key) => key.as_str(),
            _ => {
                return Err(KazooError::BodyInvalid(
                    "data.api_key is not 64 characters of [0-9a-f]",
                ));
            }
        };
        let (account_id, owner_id) = self
            .registry
            .find_api_key(api_key)
            .ok_or(KazooError::CredentialsInvalid)?;
        self.success(account_id, owner_id, AuthMethod::ApiAuth)
    }

    fn success(
        &self,
        account_id: &str,
        owner_id: &str,
        method: AuthMethod,
    ) -> Result<Success, KazooError> {
        let token = self
            .issuer
            .issue(account_id, owner_id, method, self.now_seconds())?;
        let body = json!({
            "auth_token": token.token,
            "data": {"account_id": account_id, "owner_id": owner_id, "method": method.as_str()},
            "status": "success",
            "request_id": self.meta.request_id,
            "node": self.meta.node,
            "version": self.meta.version,
            "timestamp": self.meta.timestamp,
            "revision": self.meta.revision,
        });
        Ok(Success {
            status: 201,
            body,
            token,
        })
    }

    /// An authenticated call with `X-Auth-Token` (KAZOO-013..015).
    pub fn verify_token(&self, request: &Request) -> Result<TokenPrincipal, KazooError> {
        let token = header(request, TOKEN_HEADER)?;
        self.issuer.verify(token, self.now_seconds())
    }

    /// An authenticated call with `Authorization: Basic ..` (KAZOO-015, KAZOO-016).
    pub fn verify_basic(&self, request: &Request) -> Result<BasicPrincipal, KazooError> {
        let (account_id, given) = parse_basic(header(request, BASIC_HEADER)?)?;
        let (account_id, owner_id) = self
            .registry
            .match_user(&account_id, HashMethod::Md5, &given)
            .ok_or(KazooError::CredentialsInvalid)?;
        Ok(BasicPrincipal {
            account_id: account_id.to_owned(),
            owner_id: owner_id.to_owned(),
        })
    }
}

/// The first value of `name`, non-empty, else `header-missing`.
fn header<'a>(request: &'a Request, name: &'static str) -> Result<&'a str, KazooError> {
    request
        .headers
        .get(name)
        .filter(|value| !value.is_empty())
        .ok_or(KazooError::HeaderMissing(name))
}

/// Splits an `Authorization` value `Basic <base64>` into `(account_id, credentials)` at the first `:` of the
/// decoded text. The scheme name is case-insensitive (RFC 9110), followed by one or more spaces; the base64 is
/// standard with canonical padding and must decode to UTF-8. Every failure is `token-invalid`.
pub fn parse_basic(value: &str) -> Result<(String, Zeroizing<String>), KazooError> {
    let (scheme, rest) = value
        .split_once(' ')
        .ok_or(KazooError::TokenInvalid("not Basic"))?;
    if !scheme.eq_ignore_ascii_case("Basic") {
        return Err(KazooError::TokenInvalid("not Basic"));
    }
    let decoded = Zeroizing::new(
        STANDARD
            .decode(rest.trim_start_matches(' '))
            .map_err(|_| KazooError::TokenInvalid("the Basic value is not base64"))?,
    );
    let text = std::str::from_utf8(&decoded)
        .map_err(|_| KazooError::TokenInvalid("the Basic value is not UTF-8"))?;
    let (account_id, credentials) = text
        .split_once(':')
        .ok_or(KazooError::TokenInvalid("the Basic value has no ':'"))?;
    Ok((
        account_id.to_owned(),
        Zeroizing::new(credentials.to_owned()),
    ))
}

/// The body's `data` object.
fn data_object(body: &[u8]) -> Result<Map<String, Value>, KazooError> {
    let envelope: Value =
        serde_json::from_slice(body).map_err(|_| KazooError::BodyInvalid("not JSON"))?;
    match envelope {
        Value::Object(mut envelope) => match envelope.remove("data") {
            Some(Value::Object(data)) => Ok(data),
            _ => Err(KazooError::BodyInvalid("no data object")),
        },
        _ => Err(KazooError::BodyInvalid("not a JSON object")),
    }
}

/// The one account selector of `data`: exactly one of the three members, a non-empty string.
fn selector(data: &Map<String, Value>) -> Result<AccountSelector, KazooError> {
    let get = |key: &str| match data.get(key) {
        None => Ok(None),
        Some(Value::String(text)) if !text.is_empty() => Ok(Some(text.as_str())),
        Some(_) => Err(KazooError::BodyInvalid(
            "an account selector is not a non-empty string",
        )),
    };
    AccountSelector::from_parts(
        get("account_name")?,
        get("account_realm")?,
        get("phone_number")?,
    )
    .map_err(|_| KazooError::BodyInvalid("not exactly one account selector"))
}

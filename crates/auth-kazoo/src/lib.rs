#![doc = include_str!("../README.md")]

mod client;
mod credentials;
mod error;
pub mod jwt;
mod server;

pub use client::{
    API_AUTH_PATH, API_KEY_LEN, AccountSelector, BASIC_HEADER, BasicHeader, ClientRequest,
    TOKEN_HEADER, USER_AUTH_PATH, api_auth_request, basic_header, is_api_key, token_header,
    user_auth_request,
};
pub use credentials::{HashMethod, credentials};
pub use error::KazooError;
pub use jwt::{AuthMethod, DEFAULT_LIFETIME, IssuedToken, JWT_HEADER, TokenIssuer, TokenPrincipal};
pub use server::{
    Account, ApiKeyConfig, BasicPrincipal, Meta, Registry, Server, ServerConfig, Success,
    UserConfig, parse_basic,
};

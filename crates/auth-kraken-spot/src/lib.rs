#![doc = include_str!("../README.md")]

pub mod body;
mod error;
mod signer;
mod verifier;

pub use auth_core::nonce_text::parse_canonical as parse_nonce;
pub use body::BodyKind;
pub use error::{
    AuthHeader, EAPI_BAD_REQUEST, EAPI_INVALID_KEY, EAPI_INVALID_NONCE, EAPI_INVALID_SIGNATURE,
    EGENERAL_PERMISSION_DENIED, SignError, VerifyError,
};
pub use signer::{API_SIGN_LEN, Credentials, SpotSigner, Stages, sign, sign_with_stages};
pub use verifier::{Permissions, Principal, SpotKey, SpotVerifier};

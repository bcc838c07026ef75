#![doc = include_str!("../README.md")]

mod challenge;
mod error;
pub mod post_data;
mod signer;
mod verifier;

pub use auth_core::nonce_text::parse_canonical as parse_nonce;
pub use challenge::{
    ChallengeStages, SIGNED_CHALLENGE_LEN, sign_challenge, sign_challenge_with_stages,
};
pub use error::{
    AUTHENTICATION_ERROR, AuthHeader, SignError, VerifyError, WsVerifyError, format_server_time,
};
pub use post_data::Encoding;
pub use signer::{
    AUTHENT_LEN, Credentials, FuturesSigner, SignContext, Stages, sign, sign_with_stages,
};
pub use verifier::{FuturesKey, FuturesVerifier, Principal, VerifierOptions};

#![doc = include_str!("../README.md")]

mod clock;
mod error;
pub mod hex;
mod json_request;
mod keystore;
mod nonce;
mod nonce_store;
pub mod nonce_text;
mod request;
mod secret;
mod traits;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{ErrorCode, HasErrorCode, UnknownErrorCode};
pub use json_request::JsonRequest;
pub use keystore::{KeyStore, MemoryKeyStore};
pub use nonce::{NonceGenerator, NonceSource, PerKeyNonces};
pub use nonce_store::{MemoryNonceStore, NonceRejection, NonceStore, NonceWindow};
pub use request::{Headers, Request, is_visible_ascii};
pub use secret::Secret;
pub use traits::{SignOutput, Signer, Verifier};

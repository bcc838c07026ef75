#![doc = include_str!("../README.md")]

mod body;
pub mod emsa;
mod error;
pub mod ip;
pub mod key;
pub mod replay;
mod signer;
pub mod timestamp;
mod verifier;

pub use body::is_valid_body;
pub use error::{CONTENT_TYPE, RegistrationError, SignError, V5Header, VerifyError};
pub use ip::{IpNet, IpNetError};
pub use key::{MAX_MODULUS_BITS, MIN_MODULUS_BITS};
pub use replay::{MemoryReplayCache, REPLAY_LIFETIME, ReplayCache};
pub use signer::{Credentials, MAX_SIGNATURE_LEN, Stages, V5Signer, sign, sign_with_stages};
pub use timestamp::{ExactInstant, TimestampError};
pub use verifier::{Principal, RemoteVerifier, V5Client, V5Verifier, VerifierOptions, WINDOW};

//! The two shapes every adapter implements.
//!
//! A [`Signer`] is built once from credentials (the prebuilt form: secrets decoded, key schedules computed)
//! and turns a [`Request`] plus a per-request context (a nonce, a timestamp) into the header fields to add.
//! A [`Verifier`] is built once with its stores and clock and turns a received [`Request`] into the
//! authenticated principal or a typed error. Neither performs I/O.

use crate::{HasErrorCode, Headers, Request};

/// What a signer adds to a request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignOutput {
    /// Header fields to add, in the order the scheme lists them.
    pub headers: Headers,
}

/// Client side: produces the authentication of a request.
pub trait Signer {
    /// Per-request input that is not part of the request itself (nonce, timestamp).
    type Context: ?Sized;
    /// The refusal type; every variant maps to one stable code.
    type Error: HasErrorCode + std::error::Error;

    /// Signs `request`, or refuses with no signature at all.
    fn sign(&self, request: &Request, context: &Self::Context) -> Result<SignOutput, Self::Error>;
}

/// Server side: authenticates a received request.
pub trait Verifier {
    /// Who the request authenticates as.
    type Principal;
    /// The rejection type; every variant maps to one stable code.
    type Error: HasErrorCode + std::error::Error;

    /// Verifies `request`, updating replay state only when it is accepted.
    fn verify(&self, request: &Request) -> Result<Self::Principal, Self::Error>;
}

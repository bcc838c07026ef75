//! [`Secret`]: key material that is zeroized on drop and never printed.
//!
//! The contract (CORE requirements on secret handling): the bytes are reachable only through
//! [`Secret::expose`], a call that is easy to grep for; `Debug` prints `Secret(**redacted**)`; there is no
//! `Display`, `Serialize` or `Clone` that could copy the bytes somewhere they outlive the value, and `Drop`
//! overwrites them.

use zeroize::Zeroizing;

/// Secret bytes (an API secret, a decoded HMAC key, a password): zeroized on drop, redacted in `Debug`.
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Takes ownership of `bytes`; the buffer is zeroized when the `Secret` drops.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(Zeroizing::new(bytes))
    }

    /// Copies `text` (for example a base64 API secret as issued) into a new `Secret`.
    pub fn from_text(text: &str) -> Self {
        Secret::new(text.as_bytes().to_vec())
    }

    /// The secret bytes. Callers must not log, print or persist them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Number of bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the secret holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(**redacted**)")
    }
}

impl From<Vec<u8>> for Secret {
    fn from(bytes: Vec<u8>) -> Self {
        Secret::new(bytes)
    }
}

impl From<&str> for Secret {
    fn from(text: &str) -> Self {
        Secret::from_text(text)
    }
}

impl From<String> for Secret {
    fn from(text: String) -> Self {
        Secret::new(text.into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let secret = Secret::from_text("kQH5HW/8p1uGOVjbgWA7Fun");
        assert_eq!(format!("{secret:?}"), "Secret(**redacted**)");
        assert_eq!(
            format!("{:#?}", Some(&secret)),
            "Some(\n    Secret(**redacted**),\n)"
        );
    }

    #[test]
    fn expose_returns_the_bytes() {
        let secret = Secret::new(vec![1, 2, 3]);
        assert_eq!(secret.expose(), &[1, 2, 3]);
        assert_eq!(secret.len(), 3);
        assert!(!secret.is_empty());
    }
}

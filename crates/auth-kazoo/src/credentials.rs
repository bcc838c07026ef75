//! Credentials (KAZOO-001..003): `hex(H(lower(username) ":" password))`, H = MD5 (`md5`) or SHA-1 (`sha`).
//!
//! `lower` is ASCII lowercasing only (`A`-`Z` to `a`-`z`), as Kazoo's `kz_term:to_lower_binary` does: `É` stays
//! `É`. The password is used as given (no trimming, no normalization). Both are hashed as their UTF-8 bytes. The
//! hex is lowercase. The result is password-equivalent (KAZOO-021): treat it as a secret.

use md5::{Digest as _, Md5};
use sha1::Sha1;

use crate::KazooError;

/// The credential hash method, as named on the wire (`data.method` of a user_auth request).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HashMethod {
    /// `md5`: MD5, 32 hex digits. Kazoo's default when a request names no method.
    #[default]
    Md5,
    /// `sha`: SHA-1, 40 hex digits.
    Sha,
}

impl HashMethod {
    /// Parses the wire name: exactly `md5` or `sha` (case-sensitive). Anything else, `sha1` included, is
    /// [`KazooError::HashMethodInvalid`] (KAZOO-003).
    pub fn from_wire(name: &str) -> Result<Self, KazooError> {
        match name {
            "md5" => Ok(HashMethod::Md5),
            "sha" => Ok(HashMethod::Sha),
            _ => Err(KazooError::HashMethodInvalid),
        }
    }

    /// The wire name: `md5` or `sha`.
    pub const fn as_wire(self) -> &'static str {
        match self {
            HashMethod::Md5 => "md5",
            HashMethod::Sha => "sha",
        }
    }

    /// Length of the hex credentials: 32 for MD5, 40 for SHA-1.
    pub const fn hex_len(self) -> usize {
        match self {
            HashMethod::Md5 => 32,
            HashMethod::Sha => 40,
        }
    }
}

/// `hex(H(lower(username) ":" password))` in lowercase hex (KAZOO-001, KAZOO-002). Never refuses: an empty
/// username or password hashes like any other.
///
/// ```
/// use auth_kazoo::{HashMethod, credentials};
/// assert_eq!(
///     credentials("John@Example.com", "m32c6NfqYEt", HashMethod::Sha),
///     "055cf886cb9b5c5867083463867c527ace0f8ecc"
/// );
/// ```
pub fn credentials(username: &str, password: &str, method: HashMethod) -> String {
    let mut lowered = zeroize::Zeroizing::new([0u8; 64]);
    match method {
        HashMethod::Md5 => {
            let mut hasher = Md5::new();
            feed(&mut hasher, username, password, &mut lowered);
            auth_core::hex::encode(&hasher.finalize())
        }
        HashMethod::Sha => {
            let mut hasher = Sha1::new();
            feed(&mut hasher, username, password, &mut lowered);
            auth_core::hex::encode(&hasher.finalize())
        }
    }
}

/// Feeds `lower(username) ":" password` without allocating: the username is lowercased in 64-byte chunks.
fn feed<D: md5::Digest>(hasher: &mut D, username: &str, password: &str, buf: &mut [u8; 64]) {
    for chunk in username.as_bytes().chunks(buf.len()) {
        let out = &mut buf[..chunk.len()];
        out.copy_from_slice(chunk);
        out.make_ascii_lowercase();
        hasher.update(&*out);
    }
    hasher.update(b":");
    hasher.update(password.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published() {
        assert_eq!(
            credentials("john@example.com", "m32c6NfqYEt", HashMethod::Md5),
            "82a2dc91686ec828a67152d45a5c5ef7"
        );
        assert_eq!(
            credentials("john@example.com", "m32c6NfqYEt", HashMethod::Sha),
            "055cf886cb9b5c5867083463867c527ace0f8ecc"
        );
    }

    #[test]
    fn wire_names() {
        assert_eq!(HashMethod::from_wire("md5"), Ok(HashMethod::Md5));
        assert_eq!(HashMethod::from_wire("sha"), Ok(HashMethod::Sha));
        for bad in ["sha1", "SHA", "MD5", "", "sha256", " md5"] {
            assert_eq!(
                HashMethod::from_wire(bad),
                Err(KazooError::HashMethodInvalid),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn long_usernames_are_lowercased_across_chunks() {
        let upper = "AB".repeat(100);
        let lower = "ab".repeat(100);
        assert_eq!(
            credentials(&upper, "p", HashMethod::Md5),
            credentials(&lower, "p", HashMethod::Md5)
        );
    }
}

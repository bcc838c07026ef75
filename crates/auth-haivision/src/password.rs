//! Password hashes (HAIV-020): PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2) written over `hmac` + `sha2`, stored as
//! PHC strings `$pbkdf2-sha256$i=<iterations>$<salt>$<hash>` (salt and hash in standard base64 without padding,
//! the PHC string format's B64). Verification compares in constant time; hashes are zeroized on drop and
//! redacted in `Debug`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq as _;
use zeroize::{Zeroize, Zeroizing};

use crate::InputError;

/// The PHC identifier.
pub const PBKDF2_SHA256_ID: &str = "pbkdf2-sha256";
/// Length of the hash [`hash_password`] writes: one SHA-256 block, 32 bytes.
pub const HASH_LEN: usize = 32;
/// The salt lengths a PHC string may carry, in bytes (16 recommended).
pub const SALT_LEN: std::ops::RangeInclusive<usize> = 8..=64;

const BLOCK: usize = 32;

/// PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2) of `password` and `salt` with `iterations` (0 is taken as 1), filling
/// `out` (dkLen = `out.len()`).
pub fn pbkdf2_hmac_sha256(password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
    let Ok(prf) = <Hmac<Sha256> as KeyInit>::new_from_slice(password) else {
        // HMAC accepts keys of every length.
        return;
    };
    let iterations = iterations.max(1);
    for (index, chunk) in out.chunks_mut(BLOCK).enumerate() {
        // dkLen is bounded by memory far below (2^32 - 1) * 32 bytes; saturate rather than wrap regardless.
        let block_index = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let mut mac = prf.clone();
        mac.update(salt);
        mac.update(&block_index.to_be_bytes());
        let mut u: [u8; BLOCK] = mac.finalize().into_bytes().into();
        let mut t = u;
        for _ in 1..iterations {
            let mut mac = prf.clone();
            mac.update(&u);
            u = mac.finalize().into_bytes().into();
            for (t, u) in t.iter_mut().zip(u.iter()) {
                *t ^= u;
            }
        }
        chunk.copy_from_slice(&t[..chunk.len()]);
        u.zeroize();
        t.zeroize();
    }
}

/// The PHC string of `password` with `salt` and `iterations` (0 is taken as 1): a 32-byte hash. For tests, tools
/// and provisioning; the salt should be 16 random bytes in production.
pub fn hash_password(password: &str, salt: &[u8], iterations: u32) -> String {
    let iterations = iterations.max(1);
    let mut hash = Zeroizing::new([0u8; HASH_LEN]);
    pbkdf2_hmac_sha256(password.as_bytes(), salt, iterations, hash.as_mut_slice());
    format!(
        "${PBKDF2_SHA256_ID}$i={iterations}${}${}",
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(hash.as_slice())
    )
}

/// A parsed `$pbkdf2-sha256$i=<n>$<salt>$<hash>` string. `Debug` shows the iteration count only.
#[derive(Clone)]
pub struct PasswordHash {
    iterations: u32,
    salt: Vec<u8>,
    hash: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordHash")
            .field("algorithm", &PBKDF2_SHA256_ID)
            .field("iterations", &self.iterations)
            .field("hash", &"**redacted**")
            .finish_non_exhaustive()
    }
}

impl PasswordHash {
    /// Parses a PHC string: `$pbkdf2-sha256$i=<n>$<salt>$<hash>`, `n` canonical decimal in `1..=u32::MAX`, the
    /// salt ([`SALT_LEN`] bytes) and the hash ([`HASH_LEN`] bytes) in canonical standard base64 without padding;
    /// no other parameter. Other algorithms (argon2, ...) are [`InputError::PasswordHashInvalid`].
    pub fn parse(phc: &str) -> Result<Self, InputError> {
        let invalid = InputError::PasswordHashInvalid;
        let mut fields = phc.split('$');
        if fields.next() != Some("") {
            return Err(invalid("does not start with '$'"));
        }
        if fields.next() != Some(PBKDF2_SHA256_ID) {
            return Err(invalid("not $pbkdf2-sha256$"));
        }
        let (Some(params), Some(salt), Some(hash), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(invalid("not four '$'-separated fields"));
        };
        let count = params
            .strip_prefix("i=")
            .ok_or(invalid("the parameters are not i=<iterations>"))?;
        let canonical = !count.is_empty()
            && count.bytes().all(|b| b.is_ascii_digit())
            && (count == "0" || !count.starts_with('0'));
        let iterations = count
            .parse::<u32>()
            .ok()
            .filter(|n| canonical && *n >= 1)
            .ok_or(invalid(
                "the iteration count is not a canonical decimal in 1..=4294967295",
            ))?;
        let salt = STANDARD_NO_PAD
            .decode(salt)
            .map_err(|_| invalid("the salt is not unpadded standard base64"))?;
        let hash = Zeroizing::new(
            STANDARD_NO_PAD
                .decode(hash)
                .map_err(|_| invalid("the hash is not unpadded standard base64"))?,
        );
        if !SALT_LEN.contains(&salt.len()) {
            return Err(invalid("the salt is not 8 to 64 bytes"));
        }
        if hash.len() != HASH_LEN {
            return Err(invalid("the hash is not 32 bytes"));
        }
        Ok(PasswordHash {
            iterations,
            salt,
            hash,
        })
    }

    /// The iteration count.
    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// Whether `password` hashes to this hash; the comparison is constant time.
    pub fn verify(&self, password: &str) -> bool {
        let mut derived = Zeroizing::new(vec![0u8; self.hash.len()]);
        pbkdf2_hmac_sha256(
            password.as_bytes(),
            &self.salt,
            self.iterations,
            derived.as_mut_slice(),
        );
        derived.as_slice().ct_eq(self.hash.as_slice()).into()
    }

    /// A hash no password is checked against successfully: the work an unknown user costs, so that an unknown
    /// user and a wrong password take the same time (HAIV-012).
    pub(crate) fn decoy(iterations: u32) -> Self {
        PasswordHash {
            iterations: iterations.max(1),
            salt: b"authspec-haivision-decoy".to_vec(),
            hash: Zeroizing::new(vec![0u8; HASH_LEN]),
        }
    }
}

impl std::str::FromStr for PasswordHash {
    type Err = InputError;

    fn from_str(phc: &str) -> Result<Self, Self::Err> {
        PasswordHash::parse(phc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rejects_malformed() {
        let good = hash_password("pw", b"saltsalt", 3);
        assert!(PasswordHash::parse(&good).is_ok());
        let (head, hash) = good.rsplit_once('$').unwrap_or_default();
        assert!(
            PasswordHash::parse(&format!("$pbkdf2-sha256$i=4294967295$c2FsdHNhbHQ${hash}")).is_ok()
        );
        // Salt 7 and 65 bytes; hash 31 and 33 bytes.
        let b64 = |n: usize| STANDARD_NO_PAD.encode(vec![7u8; n]);
        for bad in [
            format!("$pbkdf2-sha256$i=3${}${hash}", b64(7)),
            format!("$pbkdf2-sha256$i=3${}${hash}", b64(65)),
            format!("{head}${}", b64(31)),
            format!("{head}${}", b64(33)),
            format!("$pbkdf2-sha256$i=3,l=32$c2FsdHNhbHQ${hash}"),
            format!("$pbkdf2-sha256$v=1$i=3$c2FsdHNhbHQ${hash}"),
            format!("{good} "),
        ] {
            assert!(PasswordHash::parse(&bad).is_err(), "{bad}");
        }
        for bad in [
            "",
            "pbkdf2-sha256$i=1$c2FsdA$AAAA",
            "$pbkdf2-sha512$i=1$c2FsdA$AAAA",
            "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$AAAA",
            "$pbkdf2-sha256$1000$c2FsdA$AAAA",
            "$pbkdf2-sha256$i=0$c2FsdA$AAAA",
            "$pbkdf2-sha256$i=01$c2FsdA$AAAA",
            "$pbkdf2-sha256$i=-1$c2FsdA$AAAA",
            "$pbkdf2-sha256$i=4294967296$c2FsdHNhbHQ$AAAA",
            "$pbkdf2-sha256$i=1$c2FsdA==$AAAA",
            "$pbkdf2-sha256$i=1$c2FsdA$",
            "$pbkdf2-sha256$i=1$c2F.dA$AAAA",
            "$pbkdf2-sha256$i=1$c2FsdA$AAAA$",
        ] {
            assert!(PasswordHash::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_redacts() {
        let hash = PasswordHash::parse(&hash_password("pw", b"saltsalt", 3))
            .unwrap_or_else(|_| PasswordHash::decoy(1));
        let text = format!("{hash:?}");
        assert!(
            text.contains("redacted") && !text.contains("salt"),
            "{text}"
        );
    }

    #[test]
    fn decoy_never_verifies() {
        assert!(!PasswordHash::decoy(1).verify(""));
    }
}

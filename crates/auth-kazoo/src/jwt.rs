//! RS256 JWT tokens (KAZOO-012..014).
//!
//! Issued tokens are deterministic so vectors can pin them: header bytes exactly `{"alg":"RS256","typ":"JWT"}`,
//! claims bytes exactly `{"account_id":..,"owner_id":..,"method":..,"iat":..,"exp":..}` (compact, this order,
//! strings escaped as `serde_json` does: non-ASCII written as UTF-8), both base64url without padding, and the
//! signature RSASSA-PKCS1-v1_5 SHA-256 over `b64(header) "." b64(claims)` (deterministic; the private-key
//! operation is blinded with the OS RNG).
//!
//! Verification works on the bytes received: three parts, each canonical base64url without padding; the header a
//! JSON object with exactly `alg` = `RS256` and `typ` = `JWT` (any order); the signature verified over the first
//! two parts as received; then the claims parsed without regard to order; then `now >= exp` is expired.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::signature::{RandomizedSigner, SignatureEncoding, Verifier as _};
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde::Deserialize;
use sha2::Sha256;

use crate::KazooError;

/// The header of every issued token.
pub const JWT_HEADER: &str = r#"{"alg":"RS256","typ":"JWT"}"#;

/// The default token lifetime, in seconds.
pub const DEFAULT_LIFETIME: i64 = 3600;

/// The `method` claim: which login issued the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthMethod {
    /// `cb_user_auth`.
    UserAuth,
    /// `cb_api_auth`.
    ApiAuth,
}

impl AuthMethod {
    /// The claim value.
    pub const fn as_str(self) -> &'static str {
        match self {
            AuthMethod::UserAuth => "cb_user_auth",
            AuthMethod::ApiAuth => "cb_api_auth",
        }
    }
}

/// An issued token and its stages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedToken {
    /// The compact JWT.
    pub token: String,
    /// `jwt_header`: the header text.
    pub jwt_header: String,
    /// `jwt_claims`: the claims text.
    pub jwt_claims: String,
    /// `signing_input`: `b64(header) "." b64(claims)`.
    pub signing_input: String,
    /// `jwt_signature`: the signature, base64url without padding.
    pub jwt_signature: String,
}

impl IssuedToken {
    /// The stages in the spec's order: `jwt_header`, `jwt_claims`, `signing_input`, `jwt_signature`.
    pub fn stages(&self) -> [(&'static str, &str); 4] {
        [
            ("jwt_header", &self.jwt_header),
            ("jwt_claims", &self.jwt_claims),
            ("signing_input", &self.signing_input),
            ("jwt_signature", &self.jwt_signature),
        ]
    }
}

/// What a verified token says.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TokenPrincipal {
    /// `account_id`.
    pub account_id: String,
    /// `owner_id` (`""` for api_auth tokens without an owner).
    pub owner_id: String,
    /// `method`: `cb_user_auth` or `cb_api_auth` (any string is accepted).
    pub method: String,
    /// `iat`, when present.
    #[serde(default)]
    pub iat: Option<i64>,
    /// `exp`.
    pub exp: i64,
}

/// The token header as a verifier reads it: exactly these members.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    alg: String,
    typ: String,
}

/// Issues and verifies tokens with one RSA key (PEM PKCS#8 `PRIVATE KEY` or PKCS#1 `RSA PRIVATE KEY`).
#[derive(Clone)]
pub struct TokenIssuer {
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    lifetime: i64,
}

impl std::fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenIssuer")
            .field("lifetime", &self.lifetime)
            .field("signing_key", &"**redacted**")
            .finish()
    }
}

impl TokenIssuer {
    /// Parses the key (unencrypted PEM PKCS#8 or PKCS#1; else [`KazooError::KeyInvalid`]); tokens live
    /// `lifetime` seconds.
    pub fn from_pem(private_key_pem: &str, lifetime: i64) -> Result<Self, KazooError> {
        use rsa::pkcs1::DecodeRsaPrivateKey as _;
        use rsa::pkcs8::DecodePrivateKey as _;
        let pem = private_key_pem.trim_matches([' ', '\t', '\r', '\n']);
        let private = if pem.starts_with("-----BEGIN PRIVATE KEY-----") {
            RsaPrivateKey::from_pkcs8_pem(pem).map_err(|_| KazooError::KeyInvalid)?
        } else if pem.starts_with("-----BEGIN RSA PRIVATE KEY-----") {
            RsaPrivateKey::from_pkcs1_pem(pem).map_err(|_| KazooError::KeyInvalid)?
        } else {
            return Err(KazooError::KeyInvalid);
        };
        Ok(TokenIssuer::new(private, lifetime))
    }

    /// From a parsed key.
    pub fn new(private: RsaPrivateKey, lifetime: i64) -> Self {
        let public = RsaPublicKey::from(&private);
        TokenIssuer {
            signing: SigningKey::new(private),
            verifying: VerifyingKey::new(public),
            lifetime,
        }
    }

    /// The token lifetime in seconds.
    pub fn lifetime(&self) -> i64 {
        self.lifetime
    }

    /// The public key as PEM SPKI (what a verifier elsewhere would hold).
    pub fn public_key_pem(&self) -> String {
        use rsa::pkcs8::EncodePublicKey as _;
        self.verifying
            .as_ref()
            .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
            .unwrap_or_default()
    }

    /// Issues the token for `account_id`/`owner_id`, `iat` the issuing instant in Unix seconds, `exp` =
    /// `iat + lifetime` (KAZOO-012).
    pub fn issue(
        &self,
        account_id: &str,
        owner_id: &str,
        method: AuthMethod,
        iat: i64,
    ) -> Result<IssuedToken, KazooError> {
        let exp = iat.saturating_add(self.lifetime);
        let jwt_claims = format!(
            r#"{{"account_id":{},"owner_id":{},"method":"{}","iat":{iat},"exp":{exp}}}"#,
            json_string(account_id),
            json_string(owner_id),
            method.as_str(),
        );
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(JWT_HEADER),
            URL_SAFE_NO_PAD.encode(&jwt_claims)
        );
        let signature: Signature = self
            .signing
            .try_sign_with_rng(&mut getrandom::SysRng, signing_input.as_bytes())
            .map_err(|_| KazooError::SigningFailed)?;
        let jwt_signature = URL_SAFE_NO_PAD.encode(signature.to_bytes());
        Ok(IssuedToken {
            token: format!("{signing_input}.{jwt_signature}"),
            jwt_header: JWT_HEADER.to_owned(),
            jwt_claims,
            signing_input,
            jwt_signature,
        })
    }

    /// Verifies `token` at `now` (Unix seconds, floored): form, header, signature, claims, then expiry
    /// (`now >= exp` is [`KazooError::TokenExpired`]); every other failure is [`KazooError::TokenInvalid`].
    pub fn verify(&self, token: &str, now: i64) -> Result<TokenPrincipal, KazooError> {
        let mut parts = token.split('.');
        let (Some(header), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(KazooError::TokenInvalid("not three dot-separated parts"));
        };
        let decode = |part: &str| {
            URL_SAFE_NO_PAD
                .decode(part)
                .map_err(|_| KazooError::TokenInvalid("a part is not base64url without padding"))
        };
        let header_bytes = decode(header)?;
        let claims_bytes = decode(claims)?;
        let signature_bytes = decode(signature)?;
        let signing_input = &token[..header.len() + 1 + claims.len()];
        let header: Header = serde_json::from_slice(&header_bytes)
            .map_err(|_| KazooError::TokenInvalid("the header is not a JSON object"))?;
        if header.alg != "RS256" || header.typ != "JWT" {
            return Err(KazooError::TokenInvalid(
                "the header is not {\"alg\":\"RS256\",\"typ\":\"JWT\"}",
            ));
        }
        let signature = Signature::try_from(signature_bytes.as_slice())
            .map_err(|_| KazooError::TokenInvalid("the signature is malformed"))?;
        self.verifying
            .verify(signing_input.as_bytes(), &signature)
            .map_err(|_| KazooError::TokenInvalid("the signature does not verify"))?;
        let principal: TokenPrincipal = serde_json::from_slice(&claims_bytes)
            .map_err(|_| KazooError::TokenInvalid("the claims are not the expected object"))?;
        if now >= principal.exp {
            return Err(KazooError::TokenExpired);
        }
        Ok(principal)
    }
}

/// `text` as a JSON string literal.
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings() {
        assert_eq!(json_string("a\"b\\c\u{1}é"), "\"a\\\"b\\\\c\\u0001é\"");
    }
}

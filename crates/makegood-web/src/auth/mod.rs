//! Authentication: password hashes, secrets, setup tokens, sessions and the `CurrentMember` extractor.

pub(crate) mod audit;
mod client;
mod current;
mod session;

use std::sync::LazyLock;

use anyhow::Context;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use jiff::Timestamp;
use makegood_domain::{MemberId, TokenScope};
use makegood_store::{ApiToken, Store, StoreError};
use sha2::{Digest, Sha256};

pub use client::ClientIp;
pub use current::{CSRF_HEADER, Credential, CurrentMember};
pub use session::SESSION_COOKIE;
pub(crate) use session::{end_session, session_hash, start_session};

/// Shortest and longest password accepted.
const PASSWORD_LEN: std::ops::RangeInclusive<usize> = 10..=1024;

/// Checks a new password: 10 to 1024 characters.
pub fn validate_password(p: &str) -> Result<(), String> {
    let n = p.chars().count();
    if n < *PASSWORD_LEN.start() {
        Err(format!(
            "must be at least {} characters",
            PASSWORD_LEN.start()
        ))
    } else if n > *PASSWORD_LEN.end() {
        Err(format!("must be at most {} characters", PASSWORD_LEN.end()))
    } else {
        Ok(())
    }
}

/// Hashes a password with argon2id into a PHC string.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>())
        .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    Ok(hash.to_string())
}

/// Whether `password` matches the PHC string `hash`; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the email is unknown, so both paths take as long.
pub(crate) static DUMMY_HASH: LazyLock<String> =
    LazyLock::new(|| hash_password("makegood-dummy-password").unwrap_or_default());

/// A fresh random secret, hex-encoded (256 bits).
pub(crate) fn random_secret() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// SHA-256 of a secret, hex-encoded: what the store keeps.
pub(crate) fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The prefix of API token secrets, so they are recognisable in logs and scanners.
pub(crate) const TOKEN_PREFIX: &str = "mg_";

/// A new API token secret: `mg_<random>`.
pub(crate) fn new_token_secret() -> String {
    format!("{TOKEN_PREFIX}{}", random_secret())
}

/// Issues a one-time setup token: stores its hash and returns the secret for the setup link.
pub async fn issue_setup_token(store: &Store, now: Timestamp) -> anyhow::Result<String> {
    let secret = random_secret();
    store
        .set_setup_token(&sha256_hex(&secret), now)
        .await
        .context("storing the setup token")?;
    Ok(secret)
}

/// Compares two secrets in time independent of where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    subtle::ConstantTimeEq::ct_eq(a.as_bytes(), b.as_bytes()).into()
}

/// Issues an API token for `member` that may do what `scope` allows: stores its hash and
/// returns it with the secret, which is shown this once.
pub async fn issue_api_token(
    store: &Store,
    member: MemberId,
    name: &str,
    scope: TokenScope,
    now: Timestamp,
) -> Result<(ApiToken, String), StoreError> {
    let secret = new_token_secret();
    let token = store
        .create_scoped_api_token(member, name, scope, &sha256_hex(&secret), now)
        .await?;
    Ok((token, secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("wrong horse battery", &hash));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn password_rules() {
        assert!(validate_password("short").is_err());
        assert!(validate_password("long enough").is_ok());
        assert!(validate_password(&"x".repeat(1025)).is_err());
        assert!(same_secret("abc", "abc") && !same_secret("abc", "abd") && !same_secret("a", "ab"));
    }
}

//! Passwords, session ids and API tokens: how they are made and how they are kept.
//!
//! Passwords are hashed with argon2id (OWASP's parameters, the crate's defaults). Session ids
//! and tokens are 256 random bits, so a fast SHA-256 is enough to keep them unusable at rest.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The prefix of every API token, so a leaked one is easy to recognise and scan for.
pub const TOKEN_PREFIX: &str = "rdr_";

pub const MIN_PASSWORD_LENGTH: usize = 12;
const MAX_PASSWORD_LENGTH: usize = 1024;

/// 256 random bits, URL-safe.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn new_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_secret())
}

/// A one-time password: 20 characters a person can type.
pub fn one_time_password() -> String {
    random_secret()[..20].to_string()
}

/// The SHA-256 of a session id or token, as hex.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Why a new password is refused, if it is.
pub fn password_problem(password: &str) -> Option<String> {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LENGTH {
        Some(format!(
            "must be at least {MIN_PASSWORD_LENGTH} characters: a passphrase of three or four words is easy to remember"
        ))
    } else if length > MAX_PASSWORD_LENGTH {
        Some(format!("must be at most {MAX_PASSWORD_LENGTH} characters"))
    } else {
        None
    }
}

/// The argon2id PHC string for a password. Slow by design: call from a blocking thread.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 accepts any password up to its limits")
        .to_string()
}

/// Checks a password against a stored hash; with no hash, spends the same time and fails, so
/// the answer's timing does not say whether the account exists.
pub fn verify_password(password: &str, stored: Option<&str>) -> bool {
    static DECOY: OnceLock<String> = OnceLock::new();
    let decoy = DECOY.get_or_init(|| hash_password(&random_secret()));
    let (hash, real) = match stored {
        Some(h) => (h, true),
        None => (decoy.as_str(), false),
    };
    let Ok(parsed) = PasswordHash::new(hash) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && real
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery staple");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", Some(&hash)));
        assert!(!verify_password(
            "correct horse battery stapler",
            Some(&hash)
        ));
        assert!(!verify_password("anything", None));
    }

    #[test]
    fn secrets_are_random_and_digests_fixed() {
        assert_ne!(random_secret(), random_secret());
        assert!(new_token().starts_with("rdr_"));
        assert_eq!(digest("abc").len(), 64);
        assert_eq!(digest("abc"), digest("abc"));
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}

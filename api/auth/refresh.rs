//! Opaque refresh tokens: 32 random bytes, shown to the device once, stored only as SHA-256.
//! A stolen database therefore holds nothing that can be replayed.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub struct NewRefreshToken {
    /// What the device keeps.
    pub token: String,
    /// What the server keeps.
    pub hash: String,
}

pub fn generate() -> NewRefreshToken {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = format!("kt1.{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash(&token);
    NewRefreshToken { token, hash }
}

pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_and_hash_stably() {
        let a = generate();
        let b = generate();
        assert_ne!(a.token, b.token);
        assert_eq!(hash(&a.token), a.hash);
        assert_eq!(a.hash.len(), 64);
    }
}

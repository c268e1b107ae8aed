//! Short-lived access tokens: HS256 JWTs. The algorithm is pinned on decode, so a token
//! signed with `none` or any other algorithm is refused whatever its header says.

use std::time::Duration;

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::role::Role;

const ISSUER: &str = "kiemtra";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// Device id (server-side), so revoking a device ends its access tokens too.
    pub dev: String,
    /// Role when issued; informative only: every request reads the current role.
    pub role: Role,
    pub iss: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("token expired")]
    Expired,
    #[error("token invalid")]
    Invalid,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = 5;
        JwtKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    pub fn issue(
        &self,
        user_id: &str,
        device_id: &str,
        role: Role,
        ttl: Duration,
    ) -> Result<String, TokenError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: user_id.to_owned(),
            dev: device_id.to_owned(),
            role,
            iss: ISSUER.to_owned(),
            iat: now,
            exp: now + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|_| TokenError::Invalid)
    }

    pub fn decode(&self, token: &str) -> Result<Claims, TokenError> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trip() {
        let keys = JwtKeys::new(SECRET);
        let t = keys
            .issue("u1", "d1", Role::Lead, Duration::from_secs(60))
            .unwrap();
        let c = keys.decode(&t).unwrap();
        assert_eq!(
            (c.sub.as_str(), c.dev.as_str(), c.role),
            ("u1", "d1", Role::Lead)
        );
    }

    #[test]
    fn alg_none_is_refused() {
        let keys = JwtKeys::new(SECRET);
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let exp = chrono::Utc::now().timestamp() + 600;
        let body = URL_SAFE_NO_PAD.encode(
            format!(
                r#"{{"sub":"u1","dev":"d1","role":"admin","iss":"kiemtra","iat":0,"exp":{exp}}}"#
            )
            .as_bytes(),
        );
        assert_eq!(
            keys.decode(&format!("{header}.{body}.")),
            Err(TokenError::Invalid)
        );
    }

    #[test]
    fn other_algorithm_and_other_key_are_refused() {
        let keys = JwtKeys::new(SECRET);
        let exp = chrono::Utc::now().timestamp() + 600;
        let claims = Claims {
            sub: "u".into(),
            dev: "d".into(),
            role: Role::Admin,
            iss: ISSUER.into(),
            iat: 0,
            exp,
        };
        let hs512 = encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap();
        assert_eq!(keys.decode(&hs512), Err(TokenError::Invalid));
        let other = JwtKeys::new(b"another-secret-another-secret-xx");
        let t = other
            .issue("u", "d", Role::Admin, Duration::from_secs(60))
            .unwrap();
        assert_eq!(keys.decode(&t), Err(TokenError::Invalid));
    }

    #[test]
    fn expired_is_told_apart() {
        let keys = JwtKeys::new(SECRET);
        let claims = Claims {
            sub: "u".into(),
            dev: "d".into(),
            role: Role::Admin,
            iss: ISSUER.into(),
            iat: 0,
            exp: 1000,
        };
        let t = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(SECRET),
        )
        .unwrap();
        assert_eq!(keys.decode(&t), Err(TokenError::Expired));
    }
}

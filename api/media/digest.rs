//! Checksums a client may send with the bytes, so a photo damaged on the way is refused
//! instead of stored: `Content-Digest` / `Repr-Digest` (RFC 9530), the older `Digest`
//! (RFC 3230), and tus's `Upload-Checksum`. Only SHA-256 is accepted as a fingerprint; the
//! evidence is identified by it anyway.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::error::MediaError;

/// The SHA-256 a `Content-Digest` or `Repr-Digest` (RFC 9530) header claims: `sha-256=:<base64>:`,
/// possibly among other algorithms (`sha-512=:…:, sha-256=:…:`). A header naming only
/// algorithms this server does not check is refused: the client asked for a check that would
/// not happen.
pub fn from_content_digest(name: &str, header: &str) -> Result<[u8; 32], MediaError> {
    let mut found = None;
    for part in header.split(',') {
        let Some((alg, value)) = part.trim().split_once('=') else {
            return Err(MediaError::BadDigest(format!(
                "`{}` is not alg=:value:",
                part.trim()
            )));
        };
        let v = value.trim();
        // A structured-field byte sequence, possibly with parameters after it.
        let inner = v
            .strip_prefix(':')
            .and_then(|v| v.split_once(':'))
            .map(|(inner, _)| inner)
            .ok_or_else(|| MediaError::BadDigest("the value must be wrapped in colons".into()))?;
        if alg.trim().eq_ignore_ascii_case("sha-256") && found.is_none() {
            found = Some(decode(inner)?);
        }
    }
    found.ok_or_else(|| MediaError::DigestUnsupported(name.to_owned()))
}

/// RFC 3230 `Digest: SHA-256=<base64>`, possibly among other algorithms; one naming only
/// others is refused, as above.
pub fn from_legacy_digest(header: &str) -> Result<[u8; 32], MediaError> {
    let mut found = None;
    for part in header.split(',') {
        let Some((alg, value)) = part.trim().split_once('=') else {
            return Err(MediaError::BadDigest(format!(
                "`{}` is not algorithm=value",
                part.trim()
            )));
        };
        if alg.trim().eq_ignore_ascii_case("sha-256") && found.is_none() {
            found = Some(decode(value.trim())?);
        }
    }
    found.ok_or_else(|| MediaError::DigestUnsupported("Digest".into()))
}

/// tus `Upload-Checksum: sha256 <base64>`. Other algorithms are refused with 400, as the tus
/// checksum extension asks (the server lists what it supports in `Tus-Checksum-Algorithm`).
pub fn from_tus_checksum(header: &str) -> Result<[u8; 32], MediaError> {
    let (alg, value) = header
        .trim()
        .split_once(' ')
        .ok_or_else(|| MediaError::BadDigest("expected `<algorithm> <base64>`".into()))?;
    if !alg.eq_ignore_ascii_case("sha256") {
        return Err(MediaError::DigestUnsupported("Upload-Checksum".into()));
    }
    decode(value.trim())
}

fn decode(b64: &str) -> Result<[u8; 32], MediaError> {
    let bytes = STANDARD
        .decode(b64)
        .map_err(|e| MediaError::BadDigest(format!("not base64: {e}")))?;
    bytes
        .try_into()
        .map_err(|_| MediaError::BadDigest("a SHA-256 is 32 bytes".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn b64(data: &[u8]) -> String {
        STANDARD.encode(Sha256::digest(data))
    }

    #[test]
    fn reads_rfc9530_content_digest_among_others() {
        let want: [u8; 32] = Sha256::digest(b"abc").into();
        let h = format!("sha-512=:AAAA:, sha-256=:{}:", b64(b"abc"));
        assert_eq!(from_content_digest("Content-Digest", &h).unwrap(), want);
        assert!(matches!(
            from_content_digest("Content-Digest", "sha-512=:AAAA:"),
            Err(MediaError::DigestUnsupported(_))
        ));
        assert!(matches!(
            from_content_digest("Content-Digest", "md5=:1B2M2Y8AsgTpgAmY7PhCfg==:"),
            Err(MediaError::DigestUnsupported(_))
        ));
        assert!(from_content_digest("Content-Digest", "sha-256=abc").is_err());
        assert!(from_content_digest("Content-Digest", "sha-256=:AAAA:").is_err());
    }

    #[test]
    fn reads_legacy_and_tus_forms() {
        let want: [u8; 32] = Sha256::digest(b"x").into();
        assert_eq!(
            from_legacy_digest(&format!("SHA-256={}", b64(b"x"))).unwrap(),
            want
        );
        assert!(matches!(
            from_legacy_digest("MD5=HUXZLQLMuI/KZ5KDcJPcOA=="),
            Err(MediaError::DigestUnsupported(_))
        ));
        assert_eq!(
            from_tus_checksum(&format!("sha256 {}", b64(b"x"))).unwrap(),
            want
        );
        assert!(matches!(
            from_tus_checksum("md5 AAAA"),
            Err(MediaError::DigestUnsupported(_))
        ));
        assert!(from_tus_checksum("sha256").is_err());
    }
}

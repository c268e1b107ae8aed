//! The tus 1.0 resumable upload protocol (core, creation, termination, checksum, expiration):
//! header parsing and the answers' constant headers. The handlers live in `routes::uploads`.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::error::MediaError;

pub const VERSION: &str = "1.0.0";
pub const EXTENSIONS: &str = "creation,termination,checksum,expiration";
pub const CHECKSUM_ALGORITHMS: &str = "sha256";
pub const OFFSET_CONTENT_TYPE: &str = "application/offset+octet-stream";

/// `Upload-Metadata: key base64value,key2 base64value2` (a key may have no value).
pub fn parse_metadata(header: &str) -> Result<HashMap<String, String>, MediaError> {
    let mut out = HashMap::new();
    for pair in header.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = match pair.split_once(' ') {
            Some((k, v)) => {
                let raw = STANDARD.decode(v.trim()).map_err(|_| {
                    MediaError::BadMetadata(format!("the value of `{k}` is not base64"))
                })?;
                let text = String::from_utf8(raw).map_err(|_| {
                    MediaError::BadMetadata(format!("the value of `{k}` is not UTF-8"))
                })?;
                (k, text)
            }
            None => (pair, String::new()),
        };
        if key.is_empty() || key.contains(|c: char| c.is_whitespace() || c == ',') {
            return Err(MediaError::BadMetadata(format!(
                "`{key}` is not a valid key"
            )));
        }
        out.insert(key.to_owned(), value);
    }
    Ok(out)
}

/// A non-negative integer header (`Upload-Length`, `Upload-Offset`).
pub fn parse_u64(name: &str, value: Option<&str>) -> Result<u64, MediaError> {
    value
        .ok_or_else(|| MediaError::BadMetadata(format!("{name} is required")))?
        .trim()
        .parse::<u64>()
        .map_err(|_| MediaError::BadMetadata(format!("{name} must be a non-negative integer")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_pairs_decode() {
        let id = STANDARD.encode("0192f1c2-0000-7000-8000-000000000001");
        let m = parse_metadata(&format!(
            "evidence_id {id},filename {},is_confidential",
            STANDARD.encode("ảnh 1.jpg")
        ))
        .unwrap();
        assert_eq!(m["evidence_id"], "0192f1c2-0000-7000-8000-000000000001");
        assert_eq!(m["filename"], "ảnh 1.jpg");
        assert_eq!(m["is_confidential"], "");
        assert!(parse_metadata("evidence_id !!!").is_err());
    }

    #[test]
    fn numbers_are_checked() {
        assert_eq!(parse_u64("Upload-Offset", Some("42")).unwrap(), 42);
        assert!(parse_u64("Upload-Offset", Some("-1")).is_err());
        assert!(parse_u64("Upload-Length", None).is_err());
    }
}

//! Perceptual hashes: a 64-bit fingerprint of what a photo shows rather than of its bytes, so a
//! re-saved, resized or slightly cropped copy of a photo lands a few bits from the original
//! while another scene lands about half the bits away. Stored with the blob (blobs are the
//! bytes, keyed by SHA-256, and the hash is a fact about the bytes); compared by
//! `media::flagged` to flag near-duplicates for the lead.
//!
//! The hash is a difference hash (`image_hasher`'s gradient: the image shrunk to 9 × 8 grey,
//! each pixel compared with its right neighbour), taken on the upright image (EXIF orientation applied), so a photo rotated by its EXIF tag and the same
//! photo rotated in its pixels agree.

use std::path::Path;

use image::metadata::Orientation;
use image::DynamicImage;
use image_hasher::{FilterType, HashAlg, HasherConfig};

use super::error::MediaError;
use super::inspect::{Format, Limits};

/// The longest side decoded for hashing: the hash shrinks to 16 px anyway, and a JPEG decodes
/// at 1/8 scale for it.
const DECODE_SIDE: u32 = 256;

/// The hash of an image, as 16 lowercase hex digits. Of the library's 64-bit hashes this one
/// kept copies closest and other photos furthest on the photos of the tests (the DCT hash put
/// two different photos 7 bits apart).
pub fn of_image(img: &DynamicImage) -> String {
    let hasher = HasherConfig::new()
        .hash_size(8, 8)
        .hash_alg(HashAlg::Gradient)
        .resize_filter(FilterType::Triangle)
        .to_hasher();
    let hash = hasher.hash_image(img);
    hash.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of a stored image file, upright.
pub fn of_file(
    path: &Path,
    format: Format,
    orientation: u8,
    limits: &Limits,
) -> Result<String, MediaError> {
    let mut img = super::thumbs::decode(path, format, DECODE_SIDE, limits)?;
    if let Some(o) = Orientation::from_exif(orientation) {
        img.apply_orientation(o);
    }
    Ok(of_image(&img))
}

/// Bits that differ between two stored hashes; `None` when either is not a hash of ours.
pub fn distance(a: &str, b: &str) -> Option<u32> {
    let (a, b) = (parse(a)?, parse(b)?);
    Some((a ^ b).count_ones())
}

fn parse(h: &str) -> Option<u64> {
    if h.len() != 16 {
        return None;
    }
    u64::from_str_radix(h, 16).ok()
}

#[cfg(test)]
mod tests;

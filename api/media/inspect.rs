//! Is it a photo? Decided by decoding, never by the name or the declared media type: the
//! format from the leading bytes; the dimensions, and the memory decoding will take, from the
//! header ([`probe`], so a decompression bomb is refused before a pixel is decoded); then the
//! whole file ([`verify`]): every pixel decoded under the allocation limits, the data agreeing
//! with the header, nothing but the image in the file. The format details are in
//! [`formats`](super::formats).

use std::fs::File;
use std::io::Read;
use std::path::Path;

use image::ImageFormat;

use super::error::MediaError;
use super::exif::{self, ExifFacts};
use super::formats;
use crate::config::MediaSettings;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
        }
    }

    pub fn from_media_type(s: &str) -> Option<Format> {
        match s {
            "image/jpeg" => Some(Format::Jpeg),
            "image/png" => Some(Format::Png),
            "image/webp" => Some(Format::WebP),
            _ => None,
        }
    }

    /// The file extension for a stored media type (JPEG when unknown).
    pub fn extension_of(media_type: Option<&str>) -> &'static str {
        match media_type.and_then(Format::from_media_type) {
            Some(Format::Png) => "png",
            Some(Format::WebP) => "webp",
            _ => "jpg",
        }
    }

    pub fn image_format(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::WebP => ImageFormat::WebP,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_pixels: u64,
    pub max_side: u32,
    pub max_alloc: u64,
}

impl From<&MediaSettings> for Limits {
    fn from(m: &MediaSettings) -> Self {
        Limits {
            max_pixels: m.max_pixels,
            max_side: m.max_side,
            max_alloc: m.max_decode_alloc,
        }
    }
}

impl Limits {
    pub fn check(&self, width: u32, height: u32) -> Result<(), MediaError> {
        let (w, h) = (u64::from(width), u64::from(height));
        if width == 0
            || height == 0
            || width > self.max_side
            || height > self.max_side
            || w * h > self.max_pixels
        {
            return Err(MediaError::TooManyPixels {
                width: w,
                height: h,
            });
        }
        Ok(())
    }

    pub fn image_limits(&self) -> image::Limits {
        let mut l = image::Limits::default();
        l.max_image_width = Some(self.max_side);
        l.max_image_height = Some(self.max_side);
        l.max_alloc = Some(self.max_alloc);
        l
    }
}

/// What verification learned about an accepted image.
#[derive(Debug, Clone)]
pub struct ImageFacts {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub exif: ExifFacts,
}

/// What the header says, read without decoding a pixel: enough to refuse a bomb and to know
/// how much memory decoding will take.
#[derive(Debug, Clone)]
pub struct Probe {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    /// Memory verification takes, bytes.
    pub verify_cost: u64,
    /// Memory making the thumbnails takes, bytes.
    pub thumbnail_cost: u64,
    header: Header,
}

#[derive(Debug, Clone)]
enum Header {
    Jpeg,
    Png,
    WebP(formats::webp::Header),
}

/// Memory the thumbnail work takes beyond the decode of a `w × h` image, bytes: the first
/// pass of a filtered resize (floating-point RGBA, when the image is less than twice the
/// largest thumbnail), the largest thumbnail with its converted and turned copies, and the
/// encoder.
fn thumbnail_work(w: u64, h: u64) -> u64 {
    let size = u64::from(super::thumbs::SIZES[1]);
    let (long, short) = (w.max(h).max(1), w.min(h));
    let resize = if long > size && long < 2 * size {
        size * short * 16
    } else {
        0
    };
    let fitted = long.min(size) * (short * long.min(size)).div_ceil(long);
    resize + fitted * 16 + (1 << 20)
}

/// Dimensions, the memory verification and thumbnails take, and what verification needs.
fn header(path: &Path, format: Format) -> Result<(u32, u32, u64, u64, Header), MediaError> {
    Ok(match format {
        Format::Jpeg => {
            let f = formats::jpeg::probe(path)?;
            let verify = formats::jpeg::verify_cost(&f).max(formats::jpeg::decode_cost(&f, 1));
            let scale = thumbnail_scale(f.width, f.height);
            let (w, h) = (u64::from(f.width), u64::from(f.height));
            let work = thumbnail_work((w * scale).div_ceil(8), (h * scale).div_ceil(8));
            let thumbs = formats::jpeg::decode_cost(&f, scale) + work;
            (f.width, f.height, verify, thumbs, Header::Jpeg)
        }
        Format::Png => {
            let h = formats::png::probe(path)?;
            let work = thumbnail_work(u64::from(h.width), u64::from(h.height));
            let thumbs = h.decode_cost() + work;
            (h.width, h.height, h.verify_cost(), thumbs, Header::Png)
        }
        Format::WebP => {
            let h = formats::webp::probe(path)?;
            let cost = h.decode_cost();
            let work = thumbnail_work(u64::from(h.width), u64::from(h.height));
            (h.width, h.height, cost, cost + work, Header::WebP(h))
        }
    })
}

/// The format by magic bytes.
pub fn sniff(head: &[u8]) -> Result<Format, MediaError> {
    match image::guess_format(head) {
        Ok(ImageFormat::Jpeg) => Ok(Format::Jpeg),
        Ok(ImageFormat::Png) => Ok(Format::Png),
        Ok(ImageFormat::WebP) => Ok(Format::WebP),
        Ok(other) => Err(MediaError::UnsupportedFormat(format!("{other:?}"))),
        Err(_) if is_heif(head) => Err(MediaError::UnsupportedFormat("HEIC/HEIF".into())),
        Err(_) => Err(MediaError::NotAnImage),
    }
}

fn is_heif(head: &[u8]) -> bool {
    head.len() >= 12
        && &head[4..8] == b"ftyp"
        && matches!(
            &head[8..12],
            b"heic" | b"heix" | b"mif1" | b"msf1" | b"heim" | b"heis"
        )
}

/// The DCT scale (in eighths) thumbnails decode a JPEG at: the smallest covering 1280 px.
pub fn thumbnail_scale(width: u32, height: u32) -> u64 {
    let long = u64::from(width.max(height)).max(1);
    let want = long.min(u64::from(super::thumbs::SIZES[1]));
    (1..=8)
        .find(|n| (long * n).div_ceil(8) >= want)
        .unwrap_or(8)
}

/// Reads the format and the header; refuses what is no accepted image, and any image whose
/// dimensions or decoding memory are beyond the limits, before a pixel is decoded.
pub fn probe(path: &Path, limits: &Limits) -> Result<Probe, MediaError> {
    let mut head = [0u8; 32];
    let n = read_head(path, &mut head)?;
    if n == 0 {
        return Err(MediaError::Empty);
    }
    let format = sniff(&head[..n])?;
    let (width, height, verify_cost, thumbnail_cost, header) = header(path, format)?;
    limits.check(width, height)?;
    // Metadata (EXIF, ICC profiles) may be read whole: at most the file's size.
    let verify_cost = verify_cost + std::fs::metadata(path)?.len();
    let needs = verify_cost.max(thumbnail_cost);
    if needs > limits.max_alloc {
        return Err(MediaError::TooBigToDecode {
            width: u64::from(width),
            height: u64::from(height),
            needs,
            budget: limits.max_alloc,
        });
    }
    Ok(Probe {
        format,
        width,
        height,
        verify_cost,
        thumbnail_cost,
        header,
    })
}

/// Verifies the whole file: every pixel decodes, the data agree with the header, and nothing
/// but the image is in the file. Stored dimensions are the decoded ones: each format's check
/// decodes exactly the header's dimensions or fails.
pub fn verify(path: &Path, probe: &Probe, limits: &Limits) -> Result<ImageFacts, MediaError> {
    match &probe.header {
        Header::Jpeg => {
            let end = formats::jpeg::verify(path)?;
            formats::extra::after_jpeg(path, end)?;
            formats::jpeg::decode_eighth(path, limits.max_alloc)?;
        }
        Header::Png => formats::png::verify(path)?,
        Header::WebP(h) => formats::webp::verify(path, h, limits.max_alloc)?,
    }
    formats::extra::refuse_archive(path)?;
    Ok(ImageFacts {
        format: probe.format,
        width: probe.width,
        height: probe.height,
        exif: exif::read(path),
    })
}

/// [`probe`] then [`verify`], on the calling thread (tools and benchmarks; the server runs the
/// two on its image pool, verification weighed against the memory budget).
pub fn inspect(path: &Path, limits: &Limits) -> Result<ImageFacts, MediaError> {
    let p = probe(path, limits)?;
    verify(path, &p, limits)
}

fn read_head(path: &Path, head: &mut [u8]) -> Result<usize, MediaError> {
    let mut f = File::open(path)?;
    let mut n = 0;
    while n < head.len() {
        let k = f.read(&mut head[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(n)
}

pub fn image_error(e: image::ImageError) -> MediaError {
    match e {
        image::ImageError::Limits(l) => {
            MediaError::Damaged(format!("beyond the decoding limits ({l})"))
        }
        image::ImageError::IoError(io) => MediaError::Damaged(io.to_string()),
        other => MediaError::Damaged(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_content() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF").unwrap(), Format::Jpeg);
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR").unwrap(),
            Format::Png
        );
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), Format::WebP);
        assert!(matches!(
            sniff(b"hello, this is text"),
            Err(MediaError::NotAnImage)
        ));
        assert!(matches!(
            sniff(b"GIF89a\x01\0\x01\0"),
            Err(MediaError::UnsupportedFormat(_))
        ));
        assert!(matches!(
            sniff(b"\0\0\0\x18ftypheic\0\0\0\0"),
            Err(MediaError::UnsupportedFormat(_))
        ));
    }

    #[test]
    fn limits_refuse_strips_and_bombs_from_the_header() {
        let l = Limits {
            max_pixels: 100_000_000,
            max_side: 20_000,
            max_alloc: 1 << 29,
        };
        assert!(l.check(4000, 3000).is_ok());
        assert!(l.check(1, 100_000).is_err());
        assert!(l.check(60_000, 60_000).is_err());
        assert!(l.check(15_000, 15_000).is_err());
        assert!(l.check(0, 10).is_err());
    }
}

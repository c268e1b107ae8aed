//! Is it a photo? Decided by decoding, never by the name or the declared media type:
//! the format from the leading bytes, the dimensions from the header (so a decompression
//! bomb is refused before a pixel is decoded), then every byte of image data decoded under
//! the pixel and allocation limits, which also catches truncated files.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use image::{ImageFormat, ImageReader};

use super::error::MediaError;
use super::exif::{self, ExifFacts};
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

    fn image_format(self) -> ImageFormat {
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

    fn image_limits(&self) -> image::Limits {
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

/// Verifies the file and reports its facts; refuses anything that is not a whole image
/// within the limits.
pub fn inspect(path: &Path, limits: &Limits) -> Result<ImageFacts, MediaError> {
    let mut head = [0u8; 32];
    let n = read_head(path, &mut head)?;
    if n == 0 {
        return Err(MediaError::Empty);
    }
    let format = sniff(&head[..n])?;
    let (width, height) = match format {
        Format::Jpeg => verify_jpeg(path, limits)?,
        Format::Png | Format::WebP => verify_other(path, format, limits)?,
    };
    Ok(ImageFacts {
        format,
        width,
        height,
        exif: exif::read(path),
    })
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

/// JPEG: the whole entropy-coded stream is decoded, but at 1/8 scale (DCT scaling), so a
/// 12-megapixel photo costs a fraction of a full decode and little memory.
fn verify_jpeg(path: &Path, limits: &Limits) -> Result<(u32, u32), MediaError> {
    let mut d = jpeg_decoder::Decoder::new(BufReader::new(File::open(path)?));
    d.read_info().map_err(corrupt)?;
    let info = d
        .info()
        .ok_or_else(|| MediaError::Corrupt("no frame header".into()))?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    limits.check(w, h)?;
    d.set_max_decoding_buffer_size(usize::try_from(limits.max_alloc).unwrap_or(usize::MAX));
    d.scale(info.width.div_ceil(8), info.height.div_ceil(8))
        .map_err(corrupt)?;
    d.decode().map_err(corrupt)?;
    Ok((w, h))
}

fn verify_other(path: &Path, format: Format, limits: &Limits) -> Result<(u32, u32), MediaError> {
    // The header alone first, unlimited, so an oversized claim is named as such.
    let r = ImageReader::with_format(BufReader::new(File::open(path)?), format.image_format());
    let (w, h) = r.into_dimensions().map_err(image_error)?;
    limits.check(w, h)?;
    let mut r = ImageReader::with_format(BufReader::new(File::open(path)?), format.image_format());
    r.limits(limits.image_limits());
    r.decode().map_err(image_error)?;
    Ok((w, h))
}

fn corrupt(e: jpeg_decoder::Error) -> MediaError {
    MediaError::Corrupt(e.to_string())
}

pub fn image_error(e: image::ImageError) -> MediaError {
    match e {
        image::ImageError::Limits(l) => {
            MediaError::Corrupt(format!("beyond the decoding limits ({l})"))
        }
        image::ImageError::IoError(io) => MediaError::Corrupt(io.to_string()),
        other => MediaError::Corrupt(other.to_string()),
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

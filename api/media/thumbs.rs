//! Thumbnails: small JPEGs for lists (320 px) and review screens (1280 px), upright (EXIF
//! orientation applied) and carrying no metadata at all, so no GPS position leaks through a
//! thumbnail. JPEGs are decoded at the smallest DCT scale that still covers the largest
//! thumbnail instead of at full size.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageReader, RgbImage};

use super::error::MediaError;
use super::inspect::{image_error, Format, Limits};

/// The sizes served; the longest side of each thumbnail.
pub const SIZES: [u32; 2] = [320, 1280];

const QUALITY: u8 = 82;

/// Each requested size as JPEG bytes, largest image first decoded once.
pub fn render(
    path: &Path,
    format: Format,
    orientation: u8,
    sizes: &[u32],
    limits: &Limits,
) -> Result<Vec<(u32, Vec<u8>)>, MediaError> {
    let biggest = sizes.iter().copied().max().unwrap_or(SIZES[1]);
    let img = decode(path, format, biggest, limits)?;
    let orientation = Orientation::from_exif(orientation);
    let mut sorted: Vec<u32> = sizes.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    // Each smaller size is made from the previous one: cheaper, and just as sharp. Resized
    // before it is turned upright or converted, so no full-size copy of the image is made.
    let mut source = img;
    let mut out = Vec::with_capacity(sorted.len());
    for size in sorted {
        let t = fit(&source, size);
        let mut upright = DynamicImage::ImageRgb8(t.to_rgb8());
        if let Some(o) = orientation {
            upright.apply_orientation(o);
        }
        out.push((size, encode(&upright)?));
        source = t;
    }
    Ok(out)
}

/// The image decoded, a JPEG at the smallest DCT scale whose longest side still covers
/// `biggest` (other formats at full size).
pub fn decode(
    path: &Path,
    format: Format,
    biggest: u32,
    limits: &Limits,
) -> Result<DynamicImage, MediaError> {
    Ok(match format {
        Format::Jpeg => decode_jpeg_scaled(path, biggest, limits)?,
        _ => {
            let mut r =
                ImageReader::with_format(BufReader::new(File::open(path)?), format.image_format());
            r.limits(limits.image_limits());
            r.decode().map_err(image_error)?
        }
    })
}

fn fit(img: &DynamicImage, size: u32) -> DynamicImage {
    let (w, h) = (img.width(), img.height());
    if w.max(h) <= size {
        return img.clone();
    }
    let (nw, nh) = if w >= h {
        (
            size,
            ((u64::from(h) * u64::from(size)) / u64::from(w)).max(1) as u32,
        )
    } else {
        (
            ((u64::from(w) * u64::from(size)) / u64::from(h)).max(1) as u32,
            size,
        )
    };
    // Area averaging in integers: no floating-point copy of the image, and the quality of a
    // box filter is what a downscale wants.
    if w / nw.max(1) >= 2 {
        img.thumbnail_exact(nw, nh)
    } else {
        img.resize_exact(nw, nh, FilterType::Triangle)
    }
}

fn encode(img: &DynamicImage) -> Result<Vec<u8>, MediaError> {
    let mut buf = Vec::with_capacity(64 * 1024);
    JpegEncoder::new_with_quality(&mut buf, QUALITY)
        .encode_image(img)
        .map_err(image_error)?;
    Ok(buf)
}

fn decode_jpeg_scaled(
    path: &Path,
    biggest: u32,
    limits: &Limits,
) -> Result<DynamicImage, MediaError> {
    let mut d = jpeg_decoder::Decoder::new(BufReader::new(File::open(path)?));
    d.read_info()
        .map_err(|e| MediaError::Damaged(e.to_string()))?;
    let info = d
        .info()
        .ok_or_else(|| MediaError::Damaged("no frame header".into()))?;
    let long = u32::from(info.width.max(info.height)).max(1);
    // The decoder picks the smallest of 1/8…8/8 that is at least this big.
    let want = |side: u16| -> u16 {
        let s = (u64::from(side) * u64::from(biggest)).div_ceil(u64::from(long));
        u16::try_from(s.min(u64::from(side))).unwrap_or(side)
    };
    d.set_max_decoding_buffer_size(usize::try_from(limits.max_alloc).unwrap_or(usize::MAX));
    let (w, h) = d
        .scale(want(info.width), want(info.height))
        .map_err(|e| MediaError::Damaged(e.to_string()))?;
    let pixels = d.decode().map_err(|e| MediaError::Damaged(e.to_string()))?;
    let (w, h) = (u32::from(w), u32::from(h));
    let bad = || MediaError::Damaged("decoded size does not match the header".into());
    Ok(match info.pixel_format {
        jpeg_decoder::PixelFormat::RGB24 => {
            DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, pixels).ok_or_else(bad)?)
        }
        jpeg_decoder::PixelFormat::L8 => {
            DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, pixels).ok_or_else(bad)?)
        }
        jpeg_decoder::PixelFormat::L16 => {
            let px: Vec<u16> = pixels
                .chunks_exact(2)
                .map(|c| u16::from_be_bytes([c[0], c[1]]))
                .collect();
            DynamicImage::ImageLuma16(image::ImageBuffer::from_raw(w, h, px).ok_or_else(bad)?)
        }
        jpeg_decoder::PixelFormat::CMYK32 => {
            // Rare from phones; a plain conversion is enough for a preview.
            let rgb: Vec<u8> = pixels
                .chunks_exact(4)
                .flat_map(|p| {
                    let k = u16::from(p[3]);
                    [0, 1, 2].map(|i| ((u16::from(p[i]) * k) / 255) as u8)
                })
                .collect();
            DynamicImage::ImageRgb8(RgbImage::from_raw(w, h, rgb).ok_or_else(bad)?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_the_aspect_ratio_and_never_enlarges() {
        let img = DynamicImage::ImageRgb8(RgbImage::new(4000, 3000));
        let t = fit(&img, 320);
        assert_eq!((t.width(), t.height()), (320, 240));
        let tall = DynamicImage::ImageRgb8(RgbImage::new(300, 1200));
        let t = fit(&tall, 320);
        assert_eq!((t.width(), t.height()), (80, 320));
        let small = DynamicImage::ImageRgb8(RgbImage::new(100, 50));
        assert_eq!(fit(&small, 1280).width(), 100);
    }
}

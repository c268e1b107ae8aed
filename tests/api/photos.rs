//! Test photos made on the spot: JPEGs with camera-like EXIF (time, GPS, orientation), PNGs,
//! and hostile files (a header claiming 60,000 × 60,000 pixels).

use exif::{Field, In, Rational, Tag, Value};
use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};

/// Central Vinh (Phường Thành Vinh since the 2025 reorganisation), Nghệ An.
pub const LAT: f64 = 18.6796;
pub const LON: f64 = 105.6813;

fn picture(w: u32, h: u32, seed: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        // Gradients plus a little hash noise, so the JPEG has real detail to encode.
        let n = (x.wrapping_mul(73_856_093)
            ^ y.wrapping_mul(19_349_663)
            ^ seed.wrapping_mul(83_492_791))
            % 23;
        image::Rgb([
            ((x * 255 / w.max(1)) as u8).wrapping_add(n as u8),
            ((y * 255 / h.max(1)) as u8),
            (seed % 256) as u8,
        ])
    })
}

fn dms(v: f64) -> Vec<Rational> {
    let d = v.trunc();
    let m = ((v - d) * 60.0).trunc();
    let s = ((v - d) * 60.0 - m) * 60.0;
    vec![
        Rational::from((d as u32, 1)),
        Rational::from((m as u32, 1)),
        Rational::from(((s * 1000.0).round() as u32, 1000)),
    ]
}

/// TIFF-form EXIF: taken 2026-05-03 09:12:44 +07:00 in Vinh, orientation 6 (rotate 90° CW).
pub fn exif_block() -> Vec<u8> {
    let fields = [
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![6]),
        },
        Field {
            tag: Tag::DateTimeOriginal,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"2026:05:03 09:12:44".to_vec()]),
        },
        Field {
            tag: Tag::OffsetTimeOriginal,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"+07:00".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"N".to_vec()]),
        },
        Field {
            tag: Tag::GPSLatitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(dms(LAT)),
        },
        Field {
            tag: Tag::GPSLongitudeRef,
            ifd_num: In::PRIMARY,
            value: Value::Ascii(vec![b"E".to_vec()]),
        },
        Field {
            tag: Tag::GPSLongitude,
            ifd_num: In::PRIMARY,
            value: Value::Rational(dms(LON)),
        },
    ];
    let mut w = exif::experimental::Writer::new();
    for f in &fields {
        w.push_field(f);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    w.write(&mut out, false).unwrap();
    out.into_inner()
}

pub fn jpeg(w: u32, h: u32, seed: u32, with_exif: bool) -> Vec<u8> {
    let img = picture(w, h, seed);
    let mut buf = Vec::new();
    let mut enc = JpegEncoder::new_with_quality(&mut buf, 90);
    if with_exif {
        enc.set_exif_metadata(exif_block()).unwrap();
    }
    enc.write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    buf
}

pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = picture(w, h, 7);
    let mut buf = Vec::new();
    image::codecs::png::PngEncoder::new(&mut buf)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    buf
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A well-formed PNG header (valid CRC) claiming `w × h` pixels, then a tiny bogus body: a
/// decompression bomb's calling card.
pub fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(&ihdr);
    out.extend_from_slice(&crc32(&ihdr).to_be_bytes());
    let idat = b"IDAT\x78\x9c\x63\x00\x00\x00\x01\x00\x01";
    out.extend_from_slice(&9u32.to_be_bytes());
    out.extend_from_slice(idat);
    out.extend_from_slice(&crc32(idat).to_be_bytes());
    out
}

/// The same JPEG grown to at least `target` bytes with comment segments (still valid, still
/// decoding to the same picture): a big upload without a slow encode.
pub fn padded(jpeg: &[u8], target: usize) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    while out.len() + jpeg.len() < target {
        let n = (target - out.len() - jpeg.len()).min(65_000);
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&((n + 2) as u16).to_be_bytes());
        out.extend(std::iter::repeat_n(b'k', n));
    }
    out.extend_from_slice(&jpeg[2..]);
    out
}

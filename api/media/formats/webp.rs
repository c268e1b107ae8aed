//! WebP: the RIFF chunks and the bitstream's own header read first (dimensions, lossy or
//! lossless, alpha: what a decode will cost), then the image decoded whole under the `image`
//! crate's limits. The RIFF size must be the file's size: bytes after it are not the image.
//! Animated WebP is refused (no camera makes one).

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use image::{ImageFormat, ImageReader};

use crate::media::error::MediaError;
use crate::media::inspect::image_error;

#[derive(Debug, Clone, Copy)]
pub struct Header {
    pub width: u32,
    pub height: u32,
    lossless: bool,
    alpha: bool,
    /// The RIFF size plus its 8-byte header: where the file must end.
    riff_end: u64,
}

fn damaged(why: impl Into<String>) -> MediaError {
    MediaError::Damaged(why.into())
}

fn le24(b: &[u8]) -> u32 {
    u32::from(b[0]) | (u32::from(b[1]) << 8) | (u32::from(b[2]) << 16)
}

/// The bitstream's own dimensions and whether it is lossless.
fn bitstream(kind: &[u8], d: &[u8]) -> Result<Option<(u32, u32, bool, bool)>, MediaError> {
    match kind {
        b"VP8 " => {
            if d.len() < 10 || d[0] & 1 != 0 || d[3..6] != [0x9D, 0x01, 0x2A] {
                return Err(damaged("the lossy bitstream header is malformed"));
            }
            let w = u32::from(u16::from_le_bytes([d[6], d[7]]) & 0x3FFF);
            let h = u32::from(u16::from_le_bytes([d[8], d[9]]) & 0x3FFF);
            Ok(Some((w, h, false, false)))
        }
        b"VP8L" => {
            if d.len() < 5 || d[0] != 0x2F {
                return Err(damaged("the lossless bitstream header is malformed"));
            }
            let v = u32::from_le_bytes([d[1], d[2], d[3], d[4]]);
            Ok(Some((
                (v & 0x3FFF) + 1,
                ((v >> 14) & 0x3FFF) + 1,
                true,
                v & (1 << 28) != 0,
            )))
        }
        _ => Ok(None),
    }
}

pub fn probe(path: &Path) -> Result<Header, MediaError> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    let mut riff = [0u8; 12];
    f.read_exact(&mut riff)
        .map_err(|_| damaged("the file ends inside its header"))?;
    let riff_end = 8 + u64::from(u32::from_le_bytes([riff[4], riff[5], riff[6], riff[7]]));
    let mut pos = 12u64;
    let mut canvas: Option<(u32, u32, bool)> = None;
    let mut has_alph = false;
    while pos + 8 <= len.min(riff_end) {
        f.seek(SeekFrom::Start(pos))?;
        let mut h = [0u8; 8];
        f.read_exact(&mut h)?;
        let size = u64::from(u32::from_le_bytes([h[4], h[5], h[6], h[7]]));
        let mut d = [0u8; 10];
        let n = f.read(&mut d)?;
        let d = &d[..n.min(size as usize)];
        match &h[..4] {
            b"VP8X" => {
                if d.len() < 10 {
                    return Err(damaged("the extended header is malformed"));
                }
                if d[0] & 0x02 != 0 {
                    return Err(MediaError::UnsupportedFormat("animated WebP".into()));
                }
                canvas = Some((le24(&d[4..7]) + 1, le24(&d[7..10]) + 1, d[0] & 0x10 != 0));
            }
            b"ALPH" => has_alph = true,
            kind => {
                if let Some((w, h, lossless, alpha)) = bitstream(kind, d)? {
                    if canvas.is_some_and(|(cw, ch, _)| (cw, ch) != (w, h)) {
                        return Err(damaged(
                            "the header and the image data disagree on the size",
                        ));
                    }
                    return Ok(Header {
                        width: w,
                        height: h,
                        lossless,
                        alpha: alpha || has_alph || canvas.is_some_and(|c| c.2),
                        riff_end,
                    });
                }
            }
        }
        pos += 8 + size + (size & 1);
    }
    Err(damaged("no image data"))
}

impl Header {
    /// Memory of a decode, bytes: `image-webp` decodes a lossless image to RGBA and then
    /// copies it to RGB (7 bytes a pixel), a lossy one to YUV planes then RGB(A), with the
    /// alpha plane decoded through a lossless image of its own (11 with alpha).
    pub fn decode_cost(&self) -> u64 {
        let per_pixel = match (self.lossless, self.alpha) {
            (true, _) => 8,
            (false, true) => 11,
            (false, false) => 5,
        };
        u64::from(self.width) * u64::from(self.height) * per_pixel + (2 << 20)
    }
}

pub fn verify(path: &Path, header: &Header, max_alloc: u64) -> Result<(), MediaError> {
    let len = std::fs::metadata(path)?.len();
    if len < header.riff_end {
        return Err(damaged("the file ends before its last chunk"));
    }
    if len > header.riff_end {
        return Err(MediaError::ExtraData(format!(
            "{} bytes follow the end of the image",
            len - header.riff_end
        )));
    }
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_alloc);
    let mut r = ImageReader::with_format(BufReader::new(File::open(path)?), ImageFormat::WebP);
    r.limits(limits);
    r.decode().map_err(image_error)?;
    Ok(())
}

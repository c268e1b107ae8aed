//! PNG: the header (`IHDR`) for the limits, then every row decompressed and unfiltered one at a
//! time with the `png` crate (CRCs and the zlib checksum checked), so verification needs a few
//! rows of memory whatever the dimensions; then the chunks followed to `IEND`, which must be
//! the end of the file.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::media::error::MediaError;

#[derive(Debug, Clone, Copy)]
pub struct Header {
    pub width: u32,
    pub height: u32,
    color_type: u8,
    bit_depth: u8,
}

/// Memory the `png` crate may spend on metadata chunks (ICC profiles, text) while verifying.
const METADATA: u64 = 16 << 20;

fn damaged(why: impl Into<String>) -> MediaError {
    MediaError::Damaged(why.into())
}

pub fn probe(path: &Path) -> Result<Header, MediaError> {
    let mut b = [0u8; 29];
    File::open(path)?
        .read_exact(&mut b)
        .map_err(|_| damaged("the file ends inside its header"))?;
    if &b[12..16] != b"IHDR" || u32::from_be_bytes([b[8], b[9], b[10], b[11]]) != 13 {
        return Err(damaged("the first chunk is not the header"));
    }
    let be = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    Ok(Header {
        width: be(16),
        height: be(20),
        bit_depth: b[24],
        color_type: b[25],
    })
}

impl Header {
    fn channels(&self) -> u64 {
        match self.color_type {
            0 => 1,
            2 => 3,
            4 => 2,
            // Palette images are expanded to RGBA when decoded for thumbnails.
            _ => 4,
        }
    }

    /// Bytes of one unfiltered row (with its filter byte).
    fn row_bytes(&self) -> u64 {
        (u64::from(self.width) * self.channels() * u64::from(self.bit_depth)).div_ceil(8) + 1
    }

    /// Memory the row-by-row verification takes, bytes: a few rows, the inflater, and the
    /// metadata chunks (up to [`METADATA`]).
    pub fn verify_cost(&self) -> u64 {
        self.row_bytes() * 4 + METADATA + (4 << 20)
    }

    /// Memory of a whole decode (thumbnails), bytes: every pixel, 8-bit samples expanded to a
    /// byte, 16-bit ones kept at two, and the metadata.
    pub fn decode_cost(&self) -> u64 {
        let sample = if self.bit_depth == 16 { 2 } else { 1 };
        u64::from(self.width) * u64::from(self.height) * self.channels() * sample
            + self.row_bytes() * 4
            + METADATA
    }
}

fn png_error(e: png::DecodingError) -> MediaError {
    match e {
        png::DecodingError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            damaged("the file ends before its last row")
        }
        png::DecodingError::LimitsExceeded => damaged("beyond the decoding limits"),
        other => damaged(other.to_string()),
    }
}

pub fn verify(path: &Path) -> Result<(), MediaError> {
    let mut options = png::DecodeOptions::default();
    options.set_ignore_adler32(false);
    options.set_ignore_crc(false);
    let file = BufReader::new(File::open(path)?);
    let mut d = png::Decoder::new_with_options(file, options);
    d.set_limits(png::Limits {
        bytes: METADATA as usize,
    });
    d.set_transformations(png::Transformations::IDENTITY);
    let mut r = d.read_info().map_err(png_error)?;
    while r.next_row().map_err(png_error)?.is_some() {}
    r.finish().map_err(png_error)?;
    ends_at_iend(path)
}

/// Follows the chunks to `IEND`; anything after it is not the image.
fn ends_at_iend(path: &Path) -> Result<(), MediaError> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    let mut pos = 8u64;
    loop {
        f.seek(SeekFrom::Start(pos))?;
        let mut h = [0u8; 8];
        f.read_exact(&mut h)
            .map_err(|_| damaged("the file ends before its end chunk"))?;
        let n = u64::from(u32::from_be_bytes([h[0], h[1], h[2], h[3]]));
        pos += 12 + n;
        if pos > len {
            return Err(damaged("a chunk runs past the end of the file"));
        }
        if &h[4..] == b"IEND" {
            break;
        }
    }
    if pos < len {
        return Err(MediaError::ExtraData(format!(
            "{} bytes follow the end of the image",
            len - pos
        )));
    }
    Ok(())
}

//! JPEG: the frame header first (dimensions, sampling, progressive or not: what decoding will
//! cost), then the whole file walked segment by segment and every scan's blocks decoded
//! ([`jpeg_scan`]), up to the end-of-image marker. What follows it is judged by
//! [`extra::after_jpeg`](super::extra::after_jpeg).

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::jpeg_huffman::{self, Huffman};
use super::jpeg_markers::{self as m, damaged, Frame};
use super::jpeg_scan::{self, Progress};
use super::source::Source;
use crate::media::error::MediaError;

fn start<R: Read>(src: &mut Source<R>) -> Result<(), MediaError> {
    if src.u8("no start marker")? != 0xFF || src.u8("no start marker")? != m::SOI {
        return Err(damaged("no start-of-image marker"));
    }
    Ok(())
}

/// The frame header, read without decoding anything.
pub fn probe(path: &Path) -> Result<Frame, MediaError> {
    let mut src = Source::new(File::open(path)?);
    start(&mut src)?;
    loop {
        let code = m::next_marker(&mut src)?;
        if m::is_frame(code)? {
            return m::frame(&mut src, code);
        }
        match code {
            m::SOS | m::EOI => return Err(damaged("no frame header before the image data")),
            0x01 | 0xD0..=0xD7 => {}
            _ => m::skip_segment(&mut src)?,
        }
    }
}

/// Memory the structural check takes for this frame, bytes.
pub fn verify_cost(frame: &Frame) -> u64 {
    Progress::cost(frame)
}

type Tables = [Option<Huffman>; 4];

/// Walks the whole image and decodes every scan; returns the offset just past its end marker.
pub fn verify(path: &Path) -> Result<u64, MediaError> {
    let mut src = Source::new(File::open(path)?);
    start(&mut src)?;
    let (mut dc, mut ac): (Tables, Tables) = Default::default();
    let mut quant = [false; 4];
    let mut restart = 0;
    let mut frame: Option<(Frame, Progress)> = None;
    let mut pending: Option<u8> = None;
    loop {
        let code = match pending.take() {
            Some(c) => c,
            None => m::next_marker(&mut src)?,
        };
        if m::is_frame(code)? {
            if frame.is_some() {
                return Err(damaged("two frame headers"));
            }
            let f = m::frame(&mut src, code)?;
            let p = Progress::new(&f);
            frame = Some((f, p));
            continue;
        }
        match code {
            m::DHT => jpeg_huffman::tables(&mut src, &mut dc, &mut ac)?,
            m::DQT => m::quant_tables(&mut src, &mut quant)?,
            m::DRI => restart = m::restart_interval(&mut src)?,
            m::SOS => {
                let (f, p) = frame
                    .as_mut()
                    .ok_or_else(|| damaged("image data before the frame header"))?;
                let s = m::scan(&mut src, f)?;
                if s.comps.iter().any(|c| !quant[f.comps[c.index].tq]) {
                    return Err(damaged("a quantization table is not defined"));
                }
                pending = Some(jpeg_scan::verify(&mut src, f, &s, (&dc, &ac), restart, p)?);
            }
            m::EOI => {
                let (f, p) = frame
                    .as_ref()
                    .ok_or_else(|| damaged("no frame header before the end"))?;
                if !p.complete(f) {
                    return Err(damaged("the image stops before its last scan"));
                }
                return Ok(src.position());
            }
            m::DNL => return Err(MediaError::UnsupportedFormat("JPEG (DNL marker)".into())),
            // Standalone markers carry nothing; libjpeg ignores them between segments too.
            0x01 | 0xD0..=0xD7 => {}
            // APPn, JPGn and COM segments.
            0xE0..=0xFE => m::skip_segment(&mut src)?,
            other => return Err(damaged(format!("unknown marker 0xFF{other:02X}"))),
        }
    }
}

/// Follows the markers of a JPEG starting at `at` without decoding it (the entropy-coded data
/// is skipped up to the next marker); returns the offset just past its end marker. For the
/// further images a phone may append to a photo (MPF previews, Ultra HDR gain maps).
pub fn skip_structure(file: &mut File, at: u64) -> Result<u64, MediaError> {
    file.seek(SeekFrom::Start(at))?;
    let mut src = Source::new(BufReader::new(file));
    start(&mut src)?;
    let mut pending = None;
    loop {
        let code = match pending.take() {
            Some(c) => c,
            None => m::next_marker(&mut src)?,
        };
        match code {
            m::EOI => return Ok(at + src.position()),
            0x01 | 0xD0..=0xD7 => {}
            m::SOS => {
                m::skip_segment(&mut src)?;
                pending = Some(skip_entropy(&mut src)?);
            }
            0xC0..=0xFE => m::skip_segment(&mut src)?,
            other => return Err(damaged(format!("unknown marker 0xFF{other:02X}"))),
        }
    }
}

/// Skips entropy-coded bytes (and restart markers); returns the marker that ends them.
fn skip_entropy<R: Read>(src: &mut Source<R>) -> Result<u8, MediaError> {
    loop {
        if src.u8("no end-of-image marker")? != 0xFF {
            continue;
        }
        let mut b = src.u8("no end-of-image marker")?;
        while b == 0xFF {
            b = src.u8("no end-of-image marker")?;
        }
        if b != 0 && !(0xD0..=0xD7).contains(&b) {
            return Ok(b);
        }
    }
}

/// Memory `jpeg-decoder` takes to decode at `num`/8 scale (DCT scaling), bytes: every
/// coefficient when progressive (two bytes each), a row of MCUs' coefficients, the scaled
/// component planes, and the interleaved output with a converted copy.
pub fn decode_cost(frame: &Frame, num: u64) -> u64 {
    let samples = frame.samples();
    let coefficients = if frame.progressive { samples * 2 } else { 0 };
    let (mx, _) = frame.mcus();
    let row: u64 = (0..frame.comps.len())
        .map(|c| (mx * frame.comps[c].h * frame.comps[c].v * 64 * 2) as u64)
        .sum();
    let planes = samples * num * num / 64;
    let (w, h) = (u64::from(frame.width), u64::from(frame.height));
    let output = (w * num / 8 + 1) * (h * num / 8 + 1) * frame.comps.len().max(3) as u64;
    coefficients + row * 2 + planes + output * 2 + (2 << 20)
}

/// Decodes the whole image at 1/8 scale with `jpeg-decoder`, a second, independent decoder:
/// every entropy-coded byte is decoded, at a fraction of the time and memory of a full
/// decode.
pub fn decode_eighth(path: &Path, max_alloc: u64) -> Result<(), MediaError> {
    let mut d = jpeg_decoder::Decoder::new(BufReader::new(File::open(path)?));
    d.read_info().map_err(|e| damaged(e.to_string()))?;
    let info = d.info().ok_or_else(|| damaged("no frame header"))?;
    d.set_max_decoding_buffer_size(usize::try_from(max_alloc).unwrap_or(usize::MAX));
    d.scale(info.width.div_ceil(8), info.height.div_ceil(8))
        .map_err(|e| damaged(e.to_string()))?;
    d.decode().map_err(|e| damaged(e.to_string()))?;
    Ok(())
}

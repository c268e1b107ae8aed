//! JPEG marker segments (ITU-T T.81 annex B): the frame header, scan headers, tables and
//! restart interval, read from a [`Source`]. Only what phones write is accepted: Huffman-coded
//! baseline, extended-sequential and progressive frames of 8-bit samples. Lossless,
//! hierarchical, arithmetic-coded and 12-bit JPEGs are refused as unsupported.

use std::io::Read;

use super::source::Source;
use crate::media::error::MediaError;

pub const SOI: u8 = 0xD8;
pub const EOI: u8 = 0xD9;
pub const SOS: u8 = 0xDA;
pub const DQT: u8 = 0xDB;
pub const DNL: u8 = 0xDC;
pub const DRI: u8 = 0xDD;
pub const DHT: u8 = 0xC4;
pub const DAC: u8 = 0xCC;

pub fn damaged(why: impl Into<String>) -> MediaError {
    MediaError::Damaged(why.into())
}

fn unsupported(what: &str) -> MediaError {
    MediaError::UnsupportedFormat(format!("JPEG ({what})"))
}

#[derive(Debug, Clone)]
pub struct Component {
    pub id: u8,
    pub h: usize,
    pub v: usize,
    pub tq: usize,
}

#[derive(Debug, Clone)]
pub struct Frame {
    pub progressive: bool,
    pub width: u32,
    pub height: u32,
    pub comps: Vec<Component>,
    pub hmax: usize,
    pub vmax: usize,
}

impl Frame {
    /// MCUs across and down an interleaved scan.
    pub fn mcus(&self) -> (usize, usize) {
        (
            (self.width as usize).div_ceil(8 * self.hmax),
            (self.height as usize).div_ceil(8 * self.vmax),
        )
    }

    /// The blocks a component's own samples need (a non-interleaved scan codes just these).
    pub fn blocks(&self, c: usize) -> (usize, usize) {
        let comp = &self.comps[c];
        let w = (self.width as usize * comp.h).div_ceil(self.hmax);
        let h = (self.height as usize * comp.v).div_ceil(self.vmax);
        (w.div_ceil(8), h.div_ceil(8))
    }

    /// The blocks kept for a component, padded to whole MCUs.
    pub fn stored_blocks(&self, c: usize) -> (usize, usize) {
        let (mx, my) = self.mcus();
        (mx * self.comps[c].h, my * self.comps[c].v)
    }

    /// Samples over all components, padded to whole MCUs: what a decoder keeping every
    /// coefficient holds (two bytes each).
    pub fn samples(&self) -> u64 {
        (0..self.comps.len())
            .map(|c| {
                let (w, h) = self.stored_blocks(c);
                (w * h * 64) as u64
            })
            .sum()
    }
}

#[derive(Debug, Clone)]
pub struct ScanComponent {
    /// Index into the frame's components.
    pub index: usize,
    pub dc_table: usize,
    pub ac_table: usize,
}

#[derive(Debug, Clone)]
pub struct Scan {
    pub comps: Vec<ScanComponent>,
    pub ss: usize,
    pub se: usize,
    pub ah: u8,
    pub al: u8,
}

/// The next marker's code. Any number of 0xFF fill bytes may come before it (B.1.1.2); other
/// bytes between segments are skipped, as libjpeg does (some cameras write them).
pub fn next_marker<R: Read>(src: &mut Source<R>) -> Result<u8, MediaError> {
    loop {
        while src.u8("no end-of-image marker")? != 0xFF {}
        let mut b = src.u8("no end-of-image marker")?;
        while b == 0xFF {
            b = src.u8("no end-of-image marker")?;
        }
        if b != 0 {
            return Ok(b);
        }
    }
}

/// A segment's length, less its own two bytes.
pub fn length<R: Read>(src: &mut Source<R>) -> Result<u64, MediaError> {
    let n = src.u16("a marker segment")?;
    if n < 2 {
        return Err(damaged(format!("a marker segment claims {n} bytes")));
    }
    Ok(u64::from(n - 2))
}

pub fn skip_segment<R: Read>(src: &mut Source<R>) -> Result<(), MediaError> {
    let n = length(src)?;
    src.skip(n, "a marker segment")
}

/// Refuses the frame kinds not accepted; `Ok(true)` for a frame header that is.
pub fn is_frame(code: u8) -> Result<bool, MediaError> {
    match code {
        0xC0..=0xC2 => Ok(true),
        0xC3 => Err(unsupported("lossless")),
        0xC5..=0xC7 | 0xDE => Err(unsupported("hierarchical")),
        0xC9..=0xCB | 0xCD..=0xCF | DAC => Err(unsupported("arithmetic coding")),
        _ => Ok(false),
    }
}

pub fn frame<R: Read>(src: &mut Source<R>, code: u8) -> Result<Frame, MediaError> {
    let n = length(src)?;
    let precision = src.u8("the frame header")?;
    let height = src.u16("the frame header")?;
    let width = src.u16("the frame header")?;
    let count = usize::from(src.u8("the frame header")?);
    if precision != 8 {
        return Err(unsupported(&format!("{precision}-bit samples")));
    }
    if height == 0 {
        return Err(unsupported("height given by a DNL marker"));
    }
    if width == 0 || !(1..=4).contains(&count) || n != 6 + 3 * count as u64 {
        return Err(damaged("the frame header is malformed"));
    }
    let mut comps = Vec::with_capacity(count);
    for _ in 0..count {
        let id = src.u8("the frame header")?;
        let hv = src.u8("the frame header")?;
        let tq = usize::from(src.u8("the frame header")?);
        let (h, v) = (usize::from(hv >> 4), usize::from(hv & 15));
        if !(1..=4).contains(&h) || !(1..=4).contains(&v) || tq > 3 {
            return Err(damaged("a frame component is malformed"));
        }
        if comps.iter().any(|c: &Component| c.id == id) {
            return Err(damaged("two frame components share an id"));
        }
        comps.push(Component { id, h, v, tq });
    }
    let hmax = comps.iter().map(|c| c.h).max().unwrap_or(1);
    let vmax = comps.iter().map(|c| c.v).max().unwrap_or(1);
    Ok(Frame {
        progressive: code == 0xC2,
        width: u32::from(width),
        height: u32::from(height),
        comps,
        hmax,
        vmax,
    })
}

pub fn scan<R: Read>(src: &mut Source<R>, frame: &Frame) -> Result<Scan, MediaError> {
    let n = length(src)?;
    let count = usize::from(src.u8("a scan header")?);
    if !(1..=4).contains(&count) || n != 4 + 2 * count as u64 {
        return Err(damaged("a scan header is malformed"));
    }
    let mut comps: Vec<ScanComponent> = Vec::with_capacity(count);
    for _ in 0..count {
        let id = src.u8("a scan header")?;
        let t = src.u8("a scan header")?;
        let index = frame
            .comps
            .iter()
            .position(|c| c.id == id)
            .ok_or_else(|| damaged("a scan names a component the frame does not have"))?;
        if comps.iter().any(|c| c.index == index) {
            return Err(damaged("a scan names a component twice"));
        }
        let (dc_table, ac_table) = (usize::from(t >> 4), usize::from(t & 15));
        if dc_table > 3 || ac_table > 3 {
            return Err(damaged("a scan names a Huffman table beyond 3"));
        }
        comps.push(ScanComponent {
            index,
            dc_table,
            ac_table,
        });
    }
    let ss = usize::from(src.u8("a scan header")?);
    let se = usize::from(src.u8("a scan header")?);
    let a = src.u8("a scan header")?;
    let s = Scan {
        comps,
        ss,
        se,
        ah: a >> 4,
        al: a & 15,
    };
    check_scan(frame, &s)?;
    Ok(s)
}

fn check_scan(frame: &Frame, s: &Scan) -> Result<(), MediaError> {
    let blocks: usize = s
        .comps
        .iter()
        .map(|c| frame.comps[c.index].h * frame.comps[c.index].v)
        .sum();
    if s.comps.len() > 1 && blocks > 10 {
        return Err(damaged(
            "an interleaved scan has more than 10 blocks per MCU",
        ));
    }
    let ok = if frame.progressive {
        let dc = s.ss == 0 && s.se == 0;
        let ac = s.ss >= 1 && s.ss <= s.se && s.se <= 63 && s.comps.len() == 1;
        (dc || ac) && s.al <= 13 && (s.ah == 0 || s.al + 1 == s.ah)
    } else {
        s.ss == 0 && s.se == 63 && s.ah == 0 && s.al == 0
    };
    if ok {
        Ok(())
    } else {
        Err(damaged(
            "a scan's spectral selection or approximation is invalid",
        ))
    }
}

pub fn restart_interval<R: Read>(src: &mut Source<R>) -> Result<usize, MediaError> {
    if length(src)? != 2 {
        return Err(damaged("the restart interval segment is malformed"));
    }
    Ok(usize::from(src.u16("the restart interval")?))
}

/// Quantization tables: records which are defined.
pub fn quant_tables<R: Read>(
    src: &mut Source<R>,
    defined: &mut [bool; 4],
) -> Result<(), MediaError> {
    let mut n = length(src)?;
    while n > 0 {
        let pq_tq = src.u8("a quantization table")?;
        let size = match pq_tq >> 4 {
            0 => 64,
            1 => 128,
            _ => return Err(damaged("a quantization table has an unknown precision")),
        };
        let t = usize::from(pq_tq & 15);
        if t > 3 || n < 1 + size {
            return Err(damaged("a quantization table is malformed"));
        }
        src.skip(size, "a quantization table")?;
        defined[t] = true;
        n -= 1 + size;
    }
    Ok(())
}

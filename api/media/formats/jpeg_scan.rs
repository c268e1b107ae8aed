//! Every block of every scan decoded from the entropy-coded data (annexes F and G), without the
//! inverse DCT: what tells a whole JPEG from a damaged one. A scan must code exactly the blocks
//! the frame header calls for: data that runs out first (a truncated file with an end marker
//! stuck on) or goes on after the last block (zeroed or replaced data, a header claiming other
//! dimensions) disagree with the header, and the image is damaged. libjpeg reports both only
//! as warnings ("premature end of data segment", "extraneous bytes before marker") and shows
//! grey; evidence must be what the camera wrote, so here they refuse the file. Restart markers
//! must come in order, and a progressive image must carry every coefficient to its last bit.

use std::io::Read;

use super::jpeg_huffman::{Bits, Huffman, Stop};
use super::jpeg_markers::{damaged, Frame, Scan};
use super::source::Source;
use crate::media::error::MediaError;

/// What the scans so far have coded.
pub struct Progress {
    /// Sequential: components coded.
    coded: Vec<bool>,
    /// Progressive: per component and coefficient, the lowest bit coded so far (-1: none).
    bits: Vec<[i8; 64]>,
    /// Progressive: per component and stored block, which coefficients are non-zero.
    nonzero: Vec<Vec<u64>>,
}

impl Progress {
    pub fn new(frame: &Frame) -> Progress {
        let n = frame.comps.len();
        let nonzero = if frame.progressive {
            (0..n)
                .map(|c| {
                    let (w, h) = frame.stored_blocks(c);
                    vec![0u64; w * h]
                })
                .collect()
        } else {
            Vec::new()
        };
        Progress {
            coded: vec![false; n],
            bits: vec![[-1; 64]; n],
            nonzero,
        }
    }

    /// Memory [`Progress::new`] takes for this frame, bytes.
    pub fn cost(frame: &Frame) -> u64 {
        if frame.progressive {
            frame.samples() / 8
        } else {
            0
        }
    }

    /// Whether every component (and, progressive, every coefficient to its last bit) is coded.
    pub fn complete(&self, frame: &Frame) -> bool {
        if frame.progressive {
            self.bits.iter().all(|b| b.iter().all(|&x| x == 0))
        } else {
            self.coded.iter().all(|&c| c)
        }
    }

    /// Checks that the scan follows the ones before it (G.1.1.1.1) and records it.
    fn record(&mut self, frame: &Frame, s: &Scan) -> Result<(), MediaError> {
        let bad = || damaged("the scans do not follow a valid progression");
        for c in &s.comps {
            if !frame.progressive {
                if std::mem::replace(&mut self.coded[c.index], true) {
                    return Err(damaged("a component is coded twice"));
                }
                continue;
            }
            let bits = &mut self.bits[c.index];
            if s.ss > 0 && bits[0] < 0 {
                return Err(bad());
            }
            for b in &mut bits[s.ss..=s.se] {
                let expected = if s.ah == 0 { -1 } else { s.ah as i8 };
                if *b != expected {
                    return Err(bad());
                }
                *b = s.al as i8;
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sequential,
    DcFirst,
    DcRefine,
    AcFirst,
    AcRefine,
}

struct Block<'t> {
    kind: Kind,
    dc: Option<&'t Huffman>,
    ac: Option<&'t Huffman>,
    ss: usize,
    se: usize,
}

/// Decodes one scan; returns the marker that ends it.
pub fn verify<R: Read>(
    src: &mut Source<R>,
    frame: &Frame,
    s: &Scan,
    tables: (&[Option<Huffman>; 4], &[Option<Huffman>; 4]),
    restart_interval: usize,
    progress: &mut Progress,
) -> Result<u8, MediaError> {
    progress.record(frame, s)?;
    let kind = match (frame.progressive, s.ss, s.ah) {
        (false, _, _) => Kind::Sequential,
        (true, 0, 0) => Kind::DcFirst,
        (true, 0, _) => Kind::DcRefine,
        (true, _, 0) => Kind::AcFirst,
        (true, _, _) => Kind::AcRefine,
    };
    let needs_dc = matches!(kind, Kind::Sequential | Kind::DcFirst);
    let needs_ac = matches!(kind, Kind::Sequential | Kind::AcFirst | Kind::AcRefine);
    let mut blocks = Vec::with_capacity(s.comps.len());
    for c in &s.comps {
        let dc = tables.0[c.dc_table].as_ref();
        let ac = tables.1[c.ac_table].as_ref();
        if (needs_dc && dc.is_none()) || (needs_ac && ac.is_none()) {
            return Err(damaged("a scan uses a Huffman table that is not defined"));
        }
        blocks.push(Block {
            kind,
            dc,
            ac,
            ss: s.ss,
            se: s.se,
        });
    }
    let mut bits = Bits::new(src);
    let single = s.comps.len() == 1;
    let (across, down) = if single {
        frame.blocks(s.comps[0].index)
    } else {
        frame.mcus()
    };
    let total = across * down;
    let mut eobrun = 0u32;
    for unit in 0..total {
        if restart_interval > 0 && unit > 0 && unit % restart_interval == 0 {
            let expected = 0xD0 + ((unit / restart_interval - 1) % 8) as u8;
            if bits.end_of_segment()? != Stop::Marker(expected) {
                return Err(damaged("a restart marker is missing or out of order"));
            }
            eobrun = 0;
        }
        let (x, y) = (unit % across, unit / across);
        for (c, b) in s.comps.iter().zip(&blocks) {
            let comp = &frame.comps[c.index];
            let (h, v) = if single { (1, 1) } else { (comp.h, comp.v) };
            let stride = frame.stored_blocks(c.index).0;
            for by in 0..v {
                for bx in 0..h {
                    let at = (y * v + by) * stride + x * h + bx;
                    let mask = progress
                        .nonzero
                        .get_mut(c.index)
                        .and_then(|m| m.get_mut(at));
                    block(&mut bits, b, mask, &mut eobrun)?;
                }
            }
        }
    }
    match bits.end_of_segment()? {
        Stop::Marker(m) => Ok(m),
        Stop::EndOfFile => Err(damaged("the file ends without an end-of-image marker")),
    }
}

fn block<R: Read>(
    bits: &mut Bits<'_, R>,
    b: &Block<'_>,
    mask: Option<&mut u64>,
    eobrun: &mut u32,
) -> Result<(), MediaError> {
    match b.kind {
        Kind::Sequential => sequential(bits, b),
        Kind::DcFirst => dc_first(bits, b),
        Kind::DcRefine => bits.take(1).map(drop),
        Kind::AcFirst => ac_first(bits, b, mask, eobrun),
        Kind::AcRefine => ac_refine(bits, b, mask, eobrun),
    }
}

fn dc_first<R: Read>(bits: &mut Bits<'_, R>, b: &Block<'_>) -> Result<(), MediaError> {
    let t = b.dc.ok_or_else(|| damaged("no DC table"))?;
    let s = bits.decode(t)?;
    if s > 15 {
        return Err(damaged("a DC difference is out of range"));
    }
    bits.take(u32::from(s)).map(drop)
}

fn sequential<R: Read>(bits: &mut Bits<'_, R>, b: &Block<'_>) -> Result<(), MediaError> {
    dc_first(bits, b)?;
    let t = b.ac.ok_or_else(|| damaged("no AC table"))?;
    let mut k = 1;
    while k < 64 {
        let rs = bits.decode(t)?;
        let (r, s) = (usize::from(rs >> 4), u32::from(rs & 15));
        if s == 0 {
            if r != 15 {
                break;
            }
            k += 16;
            continue;
        }
        k += r;
        if k > 63 {
            return Err(damaged("a block codes a coefficient beyond its 64"));
        }
        bits.take(s)?;
        k += 1;
    }
    Ok(())
}

fn ac_first<R: Read>(
    bits: &mut Bits<'_, R>,
    b: &Block<'_>,
    mut mask: Option<&mut u64>,
    eobrun: &mut u32,
) -> Result<(), MediaError> {
    if *eobrun > 0 {
        *eobrun -= 1;
        return Ok(());
    }
    let t = b.ac.ok_or_else(|| damaged("no AC table"))?;
    let mut k = b.ss;
    while k <= b.se {
        let rs = bits.decode(t)?;
        let (r, s) = (u32::from(rs >> 4), u32::from(rs & 15));
        if s == 0 {
            if r < 15 {
                *eobrun = (1 << r) - 1 + bits.take(r)?;
                break;
            }
            k += 16;
            continue;
        }
        k += r as usize;
        if k > b.se {
            return Err(damaged("a block codes a coefficient beyond its band"));
        }
        bits.take(s)?;
        if let Some(m) = mask.as_deref_mut() {
            *m |= 1 << k;
        }
        k += 1;
    }
    Ok(())
}

fn ac_refine<R: Read>(
    bits: &mut Bits<'_, R>,
    b: &Block<'_>,
    mask: Option<&mut u64>,
    eobrun: &mut u32,
) -> Result<(), MediaError> {
    let mut none = 0u64;
    let m = mask.unwrap_or(&mut none);
    let t = b.ac.ok_or_else(|| damaged("no AC table"))?;
    let mut k = b.ss;
    if *eobrun == 0 {
        while k <= b.se {
            let rs = bits.decode(t)?;
            let (mut r, s) = (i32::from(rs >> 4), rs & 15);
            if s == 0 && r < 15 {
                *eobrun = (1 << r) + bits.take(r as u32)?;
                break;
            }
            if s > 1 {
                return Err(damaged(
                    "a refinement codes a coefficient larger than one bit",
                ));
            }
            if s == 1 {
                bits.take(1)?;
            }
            // Coefficients already non-zero each take a correction bit; `r` zero ones are
            // skipped, and a new coefficient lands on the next zero one.
            while k <= b.se {
                if *m & (1 << k) != 0 {
                    bits.take(1)?;
                } else {
                    if r == 0 {
                        break;
                    }
                    r -= 1;
                }
                k += 1;
            }
            if s == 1 {
                if k > b.se {
                    return Err(damaged("a block codes a coefficient beyond its band"));
                }
                *m |= 1 << k;
            }
            k += 1;
        }
    }
    if *eobrun > 0 {
        for j in k..=b.se {
            if *m & (1 << j) != 0 {
                bits.take(1)?;
            }
        }
        *eobrun -= 1;
    }
    Ok(())
}

//! The entropy-coded data of a JPEG scan as bits (B.1.1.5: 0xFF is followed by a stuffed 0x00,
//! any other byte after 0xFF is a marker, which ends the segment), and Huffman tables to decode
//! them (annex C), built and checked as libjpeg does.

use std::io::Read;

use super::jpeg_markers::{damaged, length};
use super::source::Source;
use crate::media::error::MediaError;

const FAST_BITS: u32 = 9;

pub struct Huffman {
    /// Codes of at most `FAST_BITS` bits: `(length << 8) | symbol`, 0 for longer codes.
    fast: Vec<u16>,
    /// Per length 1..=16: the largest code (or -1), and where its symbols start.
    maxcode: [i32; 17],
    mincode: [i32; 17],
    first: [usize; 17],
    symbols: Vec<u8>,
}

impl Huffman {
    pub fn build(counts: &[u8; 16], symbols: Vec<u8>) -> Result<Huffman, MediaError> {
        let mut h = Huffman {
            fast: vec![0; 1 << FAST_BITS],
            maxcode: [-1; 17],
            mincode: [0; 17],
            first: [0; 17],
            symbols,
        };
        let mut code: i32 = 0;
        let mut k = 0usize;
        for len in 1..=16usize {
            let n = usize::from(counts[len - 1]);
            h.first[len] = k;
            h.mincode[len] = code;
            for _ in 0..n {
                // No code may be all ones (or longer than its length allows).
                if code >= (1 << len) - 1 {
                    return Err(damaged("a Huffman table is over-subscribed"));
                }
                if len <= FAST_BITS as usize {
                    let shift = FAST_BITS as usize - len;
                    let start = (code as usize) << shift;
                    let entry = ((len as u16) << 8) | u16::from(h.symbols[k]);
                    h.fast[start..start + (1 << shift)].fill(entry);
                }
                code += 1;
                k += 1;
            }
            if n > 0 {
                h.maxcode[len] = code - 1;
            }
            code <<= 1;
        }
        Ok(h)
    }
}

/// Reads one DHT segment into the tables.
pub fn tables<R: Read>(
    src: &mut Source<R>,
    dc: &mut [Option<Huffman>; 4],
    ac: &mut [Option<Huffman>; 4],
) -> Result<(), MediaError> {
    let mut n = length(src)?;
    while n > 0 {
        let tc_th = src.u8("a Huffman table")?;
        let mut counts = [0u8; 16];
        for c in &mut counts {
            *c = src.u8("a Huffman table")?;
        }
        let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
        if total > 256 || n < 17 + total {
            return Err(damaged("a Huffman table is malformed"));
        }
        let mut symbols = Vec::with_capacity(total as usize);
        for _ in 0..total {
            symbols.push(src.u8("a Huffman table")?);
        }
        let table = Huffman::build(&counts, symbols)?;
        let slot = usize::from(tc_th & 15);
        match (tc_th >> 4, slot) {
            (0, 0..=3) => dc[slot] = Some(table),
            (1, 0..=3) => ac[slot] = Some(table),
            _ => return Err(damaged("a Huffman table has an unknown class or slot")),
        }
        n -= 17 + total;
    }
    Ok(())
}

/// Why the bits stopped coming.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Marker(u8),
    EndOfFile,
}

pub struct Bits<'a, R> {
    src: &'a mut Source<R>,
    /// Unread bits, most significant first.
    acc: u64,
    n: u32,
    stop: Option<Stop>,
}

fn ends_early() -> MediaError {
    damaged("the image data ends before its last block")
}

impl<'a, R: Read> Bits<'a, R> {
    pub fn new(src: &'a mut Source<R>) -> Self {
        Bits {
            src,
            acc: 0,
            n: 0,
            stop: None,
        }
    }

    fn fill(&mut self) -> Result<(), MediaError> {
        while self.n <= 56 && self.stop.is_none() {
            match self.src.byte()? {
                None => self.stop = Some(Stop::EndOfFile),
                Some(0xFF) => {
                    let mut b = self.src.byte()?;
                    while b == Some(0xFF) {
                        b = self.src.byte()?;
                    }
                    match b {
                        Some(0) => self.push(0xFF),
                        Some(m) => self.stop = Some(Stop::Marker(m)),
                        None => self.stop = Some(Stop::EndOfFile),
                    }
                }
                Some(b) => self.push(b),
            }
        }
        Ok(())
    }

    #[inline]
    fn push(&mut self, b: u8) {
        self.acc |= u64::from(b) << (56 - self.n);
        self.n += 8;
    }

    #[inline]
    fn consume(&mut self, k: u32) -> Result<(), MediaError> {
        if k > self.n {
            return Err(ends_early());
        }
        self.acc <<= k;
        self.n -= k;
        Ok(())
    }

    /// Takes `k` bits (at most 16).
    #[inline]
    pub fn take(&mut self, k: u32) -> Result<u32, MediaError> {
        if k == 0 {
            return Ok(0);
        }
        if self.n < k {
            self.fill()?;
        }
        let v = (self.acc >> (64 - k)) as u32;
        self.consume(k)?;
        Ok(v)
    }

    #[inline]
    pub fn decode(&mut self, t: &Huffman) -> Result<u8, MediaError> {
        if self.n < 16 {
            self.fill()?;
        }
        let e = t.fast[(self.acc >> (64 - FAST_BITS)) as usize];
        if e != 0 {
            self.consume(u32::from(e >> 8))?;
            return Ok(e as u8);
        }
        for len in (FAST_BITS as usize + 1)..=16 {
            let code = (self.acc >> (64 - len)) as i32;
            if code <= t.maxcode[len] {
                self.consume(len as u32)?;
                let i = t.first[len] + (code - t.mincode[len]) as usize;
                return t
                    .symbols
                    .get(i)
                    .copied()
                    .ok_or_else(|| damaged("a Huffman code has no symbol"));
            }
        }
        if self.n < 16 && self.stop.is_some() {
            return Err(ends_early());
        }
        Err(damaged("the image data holds an invalid Huffman code"))
    }

    /// The entropy-coded segment must end here: at most seven padding bits, then a marker.
    /// Any whole byte of data left means the data and the header disagree.
    pub fn end_of_segment(&mut self) -> Result<Stop, MediaError> {
        let padding = self.n % 8;
        let mut extra = self.n >= 8;
        if !extra && self.stop.is_none() {
            self.fill()?;
            extra = self.n > padding;
        }
        if extra {
            return Err(damaged(
                "the image data goes on after its last block (the header and the data disagree)",
            ));
        }
        let stop = self.stop.take().unwrap_or(Stop::EndOfFile);
        self.acc = 0;
        self.n = 0;
        Ok(stop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits_of(data: &[u8]) -> Source<&[u8]> {
        Source::new(data)
    }

    #[test]
    fn decodes_codes_and_sees_markers() {
        // Two symbols: 0 -> 'a' (len 1), 10 -> 'b' (len 2).
        let mut counts = [0u8; 16];
        counts[0] = 1;
        counts[1] = 1;
        let t = Huffman::build(&counts, vec![b'a', b'b']).unwrap();
        // 0 10 0 10 1(pad)... = 0b0100_1011 then one padding byte? no: a marker.
        let data = [0b0100_1011u8, 0xFF, 0xD9];
        let mut src = bits_of(&data);
        let mut b = Bits::new(&mut src);
        assert_eq!(b.decode(&t).unwrap(), b'a');
        assert_eq!(b.decode(&t).unwrap(), b'b');
        assert_eq!(b.decode(&t).unwrap(), b'a');
        assert_eq!(b.decode(&t).unwrap(), b'b');
        assert_eq!(b.end_of_segment().unwrap(), Stop::Marker(0xD9));
    }

    #[test]
    fn leftover_bytes_and_early_ends_are_damage() {
        let mut counts = [0u8; 16];
        counts[0] = 1;
        let t = Huffman::build(&counts, vec![7]).unwrap();
        let data = [0x00u8, 0x00, 0xFF, 0xD9];
        let mut src = bits_of(&data);
        let mut b = Bits::new(&mut src);
        b.decode(&t).unwrap();
        assert!(b.end_of_segment().is_err(), "15 bits were left over");

        let data = [0x00u8, 0xFF, 0xD9];
        let mut src = bits_of(&data);
        let mut b = Bits::new(&mut src);
        for _ in 0..8 {
            b.decode(&t).unwrap();
        }
        assert!(b.decode(&t).is_err(), "the marker came first");
    }

    #[test]
    fn an_all_ones_code_is_refused() {
        let mut counts = [0u8; 16];
        counts[0] = 2;
        assert!(Huffman::build(&counts, vec![1, 2]).is_err());
    }
}

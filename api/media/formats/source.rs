//! Bytes of a file read front to back through one small buffer, with the position known: what
//! the format walkers read from, so verifying a 40 MB photo never holds it in memory.

use std::io::Read;

use crate::media::error::MediaError;

const BUFFER: usize = 64 * 1024;

pub struct Source<R> {
    inner: R,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    /// File offset of `buf[0]`.
    base: u64,
}

/// The file stops where its format says more must follow.
pub fn ends_early(what: &str) -> MediaError {
    MediaError::Damaged(format!("the file ends early ({what})"))
}

impl<R: Read> Source<R> {
    pub fn new(inner: R) -> Self {
        Source {
            inner,
            buf: vec![0; BUFFER],
            pos: 0,
            end: 0,
            base: 0,
        }
    }

    fn refill(&mut self) -> Result<bool, MediaError> {
        self.base += self.end as u64;
        self.pos = 0;
        self.end = 0;
        loop {
            match self.inner.read(&mut self.buf) {
                Ok(n) => {
                    self.end = n;
                    return Ok(n > 0);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// The next byte, or `None` at the end of the file.
    #[inline]
    pub fn byte(&mut self) -> Result<Option<u8>, MediaError> {
        if self.pos == self.end && !self.refill()? {
            return Ok(None);
        }
        let b = self.buf[self.pos];
        self.pos += 1;
        Ok(Some(b))
    }

    pub fn u8(&mut self, what: &str) -> Result<u8, MediaError> {
        self.byte()?.ok_or_else(|| ends_early(what))
    }

    pub fn u16(&mut self, what: &str) -> Result<u16, MediaError> {
        Ok(u16::from_be_bytes([self.u8(what)?, self.u8(what)?]))
    }

    pub fn skip(&mut self, mut n: u64, what: &str) -> Result<(), MediaError> {
        while n > 0 {
            if self.pos == self.end && !self.refill()? {
                return Err(ends_early(what));
            }
            let k = ((self.end - self.pos) as u64).min(n);
            self.pos += k as usize;
            n -= k;
        }
        Ok(())
    }

    /// Offset of the next byte from the start of the file.
    pub fn position(&self) -> u64 {
        self.base + self.pos as u64
    }
}

//! Hostile files made on the spot (nothing big is committed): decompression bombs that are
//! tiny on the wire, files whose header lies, truncations, polyglots. Shared by the bad-input
//! corpus tests and the memory benchmark (`benches/hostile.rs` includes this file).
#![allow(dead_code)]

use std::io::Write;

/// MSB-first bits for JPEG entropy-coded data, 0xFF bytes stuffed with 0x00.
#[derive(Default)]
struct JpegBits {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl JpegBits {
    fn put(&mut self, value: u32, bits: u32) {
        for i in (0..bits).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                self.byte();
            }
        }
    }

    fn byte(&mut self) {
        let b = self.acc as u8;
        self.out.push(b);
        if b == 0xFF {
            self.out.push(0);
        }
        self.acc = 0;
        self.n = 0;
    }

    /// Pads the last byte with 1-bits (T.81 F.1.2.3).
    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            let pad = 8 - self.n;
            self.put((1 << pad) - 1, pad);
        }
        self.out
    }
}

fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(body);
}

/// A valid progressive JPEG of `w × h` flat grey pixels in `comps` components (4:4:4), a few
/// hundred kilobytes however large it claims to be: a DC scan of one bit per block, then per
/// component one AC scan made of end-of-band runs. A decoder that keeps every coefficient
/// (progressive decoding needs them all) allocates two bytes per sample.
pub fn jpeg_progressive_flat(w: u16, h: u16, comps: u8) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    let mut dqt = vec![0u8];
    dqt.extend_from_slice(&[1; 64]);
    segment(&mut out, 0xDB, &dqt);
    let mut sof = vec![8];
    sof.extend_from_slice(&h.to_be_bytes());
    sof.extend_from_slice(&w.to_be_bytes());
    sof.push(comps);
    for c in 1..=comps {
        sof.extend_from_slice(&[c, 0x11, 0]);
    }
    segment(&mut out, 0xC2, &sof);
    // DC table 0: the one symbol 0 (no difference), code `0`.
    let mut dht = vec![0x00, 1];
    dht.extend_from_slice(&[0; 15]);
    dht.push(0);
    // AC table 0: EOBr for r = 0..=14, 4-bit codes (0000 … 1110).
    dht.push(0x10);
    let mut counts = [0u8; 16];
    counts[3] = 15;
    dht.extend_from_slice(&counts);
    dht.extend((0..15u8).map(|r| r << 4));
    segment(&mut out, 0xC4, &dht);
    let blocks = u64::from(w).div_ceil(8) * u64::from(h).div_ceil(8);
    let mut sos = vec![comps];
    for c in 1..=comps {
        sos.extend_from_slice(&[c, 0x00]);
    }
    sos.extend_from_slice(&[0, 0, 0]);
    segment(&mut out, 0xDA, &sos);
    let mut dc = JpegBits::default();
    for _ in 0..blocks * u64::from(comps) {
        dc.put(0, 1);
    }
    out.extend(dc.finish());
    for c in 1..=comps {
        segment(&mut out, 0xDA, &[1, c, 0x00, 1, 63, 0]);
        let mut ac = JpegBits::default();
        let mut left = blocks;
        while left > 0 {
            let run = left.min(32_767);
            let r = 63 - run.leading_zeros();
            ac.put(r, 4);
            ac.put((run - (1 << r)) as u32, r);
            left -= run;
        }
        out.extend(ac.finish());
    }
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// LSB-first bits for a WebP lossless bitstream.
#[derive(Default)]
struct WebpBits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl WebpBits {
    fn put(&mut self, value: u64, bits: u32) {
        self.acc |= value << self.n;
        self.n += bits;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

fn riff(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    for (kind, data) in chunks {
        body.extend_from_slice(*kind);
        body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        body.extend_from_slice(data);
        if data.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

fn vp8l_flat(w: u32, h: u32) -> Vec<u8> {
    let mut b = WebpBits::default();
    b.put(0x2F, 8);
    b.put(u64::from(w - 1), 14);
    b.put(u64::from(h - 1), 14);
    b.put(0, 1); // no alpha
    b.put(0, 3); // version 0
    b.put(0, 1); // no transform
    b.put(0, 1); // no colour cache
    b.put(0, 1); // no meta prefix codes
    for _ in 0..5 {
        // A "simple" prefix code of one 1-bit symbol, 0: every pixel costs no bits at all.
        b.put(1, 1);
        b.put(0, 1);
        b.put(0, 1);
        b.put(0, 1);
    }
    b.finish()
}

/// A lossless WebP of `w × h` black pixels in a few dozen bytes: each pixel decodes from zero
/// bits. The bomb of issue 15 is `webp_lossless_flat(10000, 10000)`.
pub fn webp_lossless_flat(w: u32, h: u32) -> Vec<u8> {
    riff(&[(b"VP8L", vp8l_flat(w, h))])
}

/// An extended WebP whose canvas (`VP8X`) claims `w × h` while its bitstream is 16 × 16.
pub fn webp_canvas_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut x = vec![0u8; 4];
    x.extend_from_slice(&(w - 1).to_le_bytes()[..3]);
    x.extend_from_slice(&(h - 1).to_le_bytes()[..3]);
    riff(&[(b"VP8X", x), (b"VP8L", vp8l_flat(16, 16))])
}

/// A PNG of `w × h` zero pixels, 8-bit RGB or 16-bit RGBA: small on the wire (deflate squeezes
/// zeros about a thousandfold), `w × h × 3` or `× 8` bytes decoded. Written row by row.
pub fn png_zeros(w: u32, h: u32, rgba16: bool) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut e = png::Encoder::new(&mut buf, w, h);
    if rgba16 {
        e.set_color(png::ColorType::Rgba);
        e.set_depth(png::BitDepth::Sixteen);
    } else {
        e.set_color(png::ColorType::Rgb);
        e.set_depth(png::BitDepth::Eight);
    }
    e.set_compression(png::Compression::Fast);
    let mut writer = e.write_header().unwrap();
    {
        let mut s = writer.stream_writer().unwrap();
        let row = vec![0u8; w as usize * if rgba16 { 8 } else { 3 }];
        for _ in 0..h {
            s.write_all(&row).unwrap();
        }
        s.finish().unwrap();
    }
    writer.finish().unwrap();
    buf
}

/// A GIF whose screen claims `w × h` (GIF is refused by its magic bytes alone).
pub fn gif_claiming(w: u16, h: u16) -> Vec<u8> {
    let mut g = b"GIF89a".to_vec();
    g.extend_from_slice(&w.to_le_bytes());
    g.extend_from_slice(&h.to_le_bytes());
    g.extend_from_slice(&[0, 0, 0]);
    g.extend_from_slice(b",\0\0\0\0");
    g.extend_from_slice(&w.to_le_bytes());
    g.extend_from_slice(&h.to_le_bytes());
    g.extend_from_slice(&[0, 2, 2, 0x44, 0x01, 0, b';']);
    g
}

/// A JPEG whose frame header claims `w × h` while its data are those of the original.
pub fn jpeg_claiming(jpeg: &[u8], w: u16, h: u16) -> Vec<u8> {
    let mut j = jpeg.to_vec();
    let sof = j
        .windows(2)
        .position(|m| m[0] == 0xFF && (0xC0..=0xC2).contains(&m[1]))
        .unwrap();
    j[sof + 5..sof + 7].copy_from_slice(&h.to_be_bytes());
    j[sof + 7..sof + 9].copy_from_slice(&w.to_be_bytes());
    j
}

/// The first half of a JPEG with an end-of-image marker stuck on.
pub fn jpeg_truncated_with_end(jpeg: &[u8]) -> Vec<u8> {
    let mut j = jpeg[..jpeg.len() / 2].to_vec();
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

/// The JPEG with every byte of its scan data set to zero.
pub fn jpeg_zeroed_scan(jpeg: &[u8]) -> Vec<u8> {
    let mut j = jpeg.to_vec();
    let sos = j.windows(2).position(|m| m == [0xFF, 0xDA]).unwrap();
    let start = sos + 2 + usize::from(u16::from_be_bytes([j[sos + 2], j[sos + 3]]));
    let end = j.len() - 2;
    j[start..end].fill(0);
    j
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

/// A one-file ZIP archive (stored), as `zip` writes it.
pub fn zip_with(name: &str, data: &[u8]) -> Vec<u8> {
    let crc = crc32(data);
    let mut z = Vec::new();
    let local = |z: &mut Vec<u8>| {
        z.extend_from_slice(b"PK\x03\x04\x14\0\0\0\0\0\0\0\0\0");
        z.extend_from_slice(&crc.to_le_bytes());
        z.extend_from_slice(&(data.len() as u32).to_le_bytes());
        z.extend_from_slice(&(data.len() as u32).to_le_bytes());
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&[0, 0]);
        z.extend_from_slice(name.as_bytes());
    };
    local(&mut z);
    z.extend_from_slice(data);
    let cd = z.len();
    z.extend_from_slice(b"PK\x01\x02\x14\0\x14\0\0\0\0\0\0\0\0\0");
    z.extend_from_slice(&crc.to_le_bytes());
    z.extend_from_slice(&(data.len() as u32).to_le_bytes());
    z.extend_from_slice(&(data.len() as u32).to_le_bytes());
    z.extend_from_slice(&(name.len() as u16).to_le_bytes());
    z.extend_from_slice(&[0; 12]);
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(name.as_bytes());
    let cd_len = z.len() - cd;
    z.extend_from_slice(b"PK\x05\x06\0\0\0\0\x01\0\x01\0");
    z.extend_from_slice(&(cd_len as u32).to_le_bytes());
    z.extend_from_slice(&(cd as u32).to_le_bytes());
    z.extend_from_slice(&[0, 0]);
    z
}

/// A JPEG that is also a ZIP: the archive sits in a comment segment and its end record's
/// comment swallows the rest of the image, so unzip finds it at the end of the file.
pub fn jpeg_hiding_zip(jpeg: &[u8]) -> Vec<u8> {
    let zip = zip_with("payload.html", b"<script>alert(1)</script>");
    let rest = &jpeg[2..];
    let mut out = vec![0xFF, 0xD8];
    // The end record's comment length (its last two bytes) must cover the rest of the file.
    let mut z = zip[..zip.len() - 2].to_vec();
    z.extend_from_slice(&(rest.len() as u16).to_le_bytes());
    segment(&mut out, 0xFE, &z);
    out.extend_from_slice(rest);
    out
}

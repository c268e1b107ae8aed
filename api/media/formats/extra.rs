//! A photo is an image and nothing else: bytes after the image's end, or an archive hidden in
//! it (a polyglot: a file that is a JPEG to one program and a ZIP to another), refuse it. Only
//! what phones themselves write after a JPEG is accepted, each part checked for its own
//! structure: further JPEGs (MPF previews, Ultra HDR gain maps), an MP4 (motion photos:
//! ISO-BMFF boxes), Samsung's trailer (`SEFH`…`SEFT`), and padding (0x00 or 0xFF bytes).

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::jpeg;
use crate::media::error::MediaError;

/// The ZIP format's longest possible end record (22 bytes and a 65,535-byte comment).
const ZIP_TAIL: u64 = 22 + 65_535;
/// Parts after a JPEG's end beyond which a file is no photo.
const MAX_PARTS: usize = 16;

fn extra(why: impl Into<String>) -> MediaError {
    MediaError::ExtraData(why.into())
}

fn read_at(file: &mut File, at: u64, buf: &mut [u8]) -> Result<usize, MediaError> {
    file.seek(SeekFrom::Start(at))?;
    let mut n = 0;
    while n < buf.len() {
        let k = file.read(&mut buf[n..])?;
        if k == 0 {
            break;
        }
        n += k;
    }
    Ok(n)
}

/// Refuses a file that a ZIP reader would open: one whose last bytes are a ZIP
/// end-of-central-directory record (its comment reaching exactly to the end of the file),
/// wherever the rest of the archive hides (after the image or inside a metadata segment).
pub fn refuse_archive(path: &Path) -> Result<(), MediaError> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    let n = len.min(ZIP_TAIL) as usize;
    let mut tail = vec![0u8; n];
    let got = read_at(&mut f, len - n as u64, &mut tail)?;
    tail.truncate(got);
    for i in (0..tail.len().saturating_sub(21)).rev() {
        if tail[i..].starts_with(b"PK\x05\x06") {
            let comment = usize::from(u16::from_le_bytes([tail[i + 20], tail[i + 21]]));
            if i + 22 + comment == tail.len() {
                return Err(extra("the file is also a ZIP archive"));
            }
        }
    }
    Ok(())
}

/// Judges what follows a JPEG's end marker at `pos`.
pub fn after_jpeg(path: &Path, mut pos: u64) -> Result<(), MediaError> {
    let mut f = File::open(path)?;
    let len = f.metadata()?.len();
    let end = samsung_trailer(&mut f, len)?.unwrap_or(len);
    if pos > end {
        return Err(extra("a Samsung trailer overlaps the image"));
    }
    for _ in 0..MAX_PARTS {
        if pos == end {
            return Ok(());
        }
        let mut head = [0u8; 12];
        let n = read_at(&mut f, pos, &mut head)?;
        pos = if head[..n].starts_with(&[0xFF, 0xD8, 0xFF]) {
            jpeg::skip_structure(&mut f, pos)
                .map_err(|_| extra("the image is followed by a damaged JPEG"))?
        } else if n >= 8 && &head[4..8] == b"ftyp" {
            boxes(&mut f, pos, end)?
        } else if padding(&mut f, pos, end)? {
            end
        } else {
            return Err(extra(format!(
                "{} bytes follow the end of the image",
                len - pos
            )));
        };
        if pos > end {
            return Err(extra("data after the image runs past the end of the file"));
        }
    }
    Err(extra("too many parts follow the end of the image"))
}

fn padding(f: &mut File, from: u64, to: u64) -> Result<bool, MediaError> {
    f.seek(SeekFrom::Start(from))?;
    let mut left = to - from;
    let mut buf = vec![0u8; 64 * 1024];
    while left > 0 {
        let k = f.read(&mut buf[..left.min(64 * 1024) as usize])?;
        if k == 0 {
            return Ok(false);
        }
        if buf[..k].iter().any(|&b| b != 0 && b != 0xFF) {
            return Ok(false);
        }
        left -= k as u64;
    }
    Ok(true)
}

/// ISO-BMFF boxes (an MP4) from `pos`, while they look like boxes; returns where they stop.
fn boxes(f: &mut File, mut pos: u64, end: u64) -> Result<u64, MediaError> {
    while pos < end {
        let mut h = [0u8; 16];
        if read_at(f, pos, &mut h)? < 8 || !h[4..8].iter().all(u8::is_ascii_graphic) {
            break;
        }
        let size = u64::from(u32::from_be_bytes([h[0], h[1], h[2], h[3]]));
        let size = match size {
            0 => end - pos,
            1 => u64::from_be_bytes([h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]]),
            s => s,
        };
        if size < 8 {
            return Err(extra("a video box after the image is malformed"));
        }
        pos = pos.saturating_add(size);
    }
    Ok(pos)
}

/// Where Samsung's trailer starts, if the file ends with one: `…SEFH` directory, its length
/// (little-endian), `SEFT`; each directory entry points back to its data.
fn samsung_trailer(f: &mut File, len: u64) -> Result<Option<u64>, MediaError> {
    let mut t = [0u8; 8];
    if len < 20 || read_at(f, len - 8, &mut t)? < 8 || &t[4..] != b"SEFT" {
        return Ok(None);
    }
    let bad = || extra("a Samsung trailer is malformed");
    let dir_len = u64::from(u32::from_le_bytes([t[0], t[1], t[2], t[3]]));
    let dir = len.checked_sub(8 + dir_len).ok_or_else(bad)?;
    let mut h = [0u8; 12];
    if dir_len < 12 || read_at(f, dir, &mut h)? < 12 || &h[..4] != b"SEFH" {
        return Err(bad());
    }
    let count = u64::from(u32::from_le_bytes([h[8], h[9], h[10], h[11]]));
    if 12 + count * 12 > dir_len {
        return Err(bad());
    }
    let mut first = dir;
    for i in 0..count {
        let mut e = [0u8; 12];
        read_at(f, dir + 12 + i * 12, &mut e)?;
        let offset = u64::from(u32::from_le_bytes([e[4], e[5], e[6], e[7]]));
        let size = u64::from(u32::from_le_bytes([e[8], e[9], e[10], e[11]]));
        let at = dir.checked_sub(offset).ok_or_else(bad)?;
        if at + size > dir {
            return Err(bad());
        }
        first = first.min(at);
    }
    Ok(Some(first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f
    }

    #[test]
    fn a_zip_at_the_end_is_found() {
        let mut b = vec![0xFFu8, 0xD8, 1, 2, 3];
        b.extend_from_slice(b"PK\x05\x06");
        b.extend_from_slice(&[0; 16]);
        b.extend_from_slice(&3u16.to_le_bytes());
        b.extend_from_slice(b"abc");
        assert!(refuse_archive(file(&b).path()).is_err());
        b.push(b'!');
        assert!(refuse_archive(file(&b).path()).is_ok());
    }

    #[test]
    fn trailers_are_judged() {
        // pos 2 = just after a pretend end marker.
        let ok = file(&[0xFF, 0xD9, 0, 0, 0]);
        assert!(after_jpeg(ok.path(), 2).is_ok());
        let html = file(b"\xFF\xD9<html><script>alert(1)</script>");
        assert!(after_jpeg(html.path(), 2).is_err());
        let mut mp4 = vec![0xFF, 0xD9];
        mp4.extend_from_slice(&16u32.to_be_bytes());
        mp4.extend_from_slice(b"ftypisom\0\0\0\0");
        mp4.extend_from_slice(&8u32.to_be_bytes());
        mp4.extend_from_slice(b"mdat");
        assert!(after_jpeg(file(&mp4).path(), 2).is_ok());
        mp4.extend_from_slice(b"<html>");
        assert!(after_jpeg(file(&mp4).path(), 2).is_err());
    }

    #[test]
    fn a_samsung_trailer_is_accepted() {
        let mut b = vec![0xFF, 0xD9];
        let data_at = b.len() as u64;
        b.extend_from_slice(b"\0\0\x01\x0a\x0e\0\0\0Image_UTC_Data1700000000000");
        let dir = b.len() as u64;
        b.extend_from_slice(b"SEFH");
        b.extend_from_slice(&106u32.to_le_bytes());
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&[0, 0, 0x01, 0x0a]);
        b.extend_from_slice(&((dir - data_at) as u32).to_le_bytes());
        b.extend_from_slice(&((dir - data_at) as u32).to_le_bytes());
        b.extend_from_slice(&24u32.to_le_bytes());
        b.extend_from_slice(b"SEFT");
        assert!(after_jpeg(file(&b).path(), 2).is_ok());
    }
}

//! The format checks against whole images made on the spot, their damaged variants, and real
//! JPEGs that ship in the cargo registry (baseline, progressive, greyscale, a camera original).

use std::io::Write;
use std::path::PathBuf;

use image::codecs::jpeg::JpegEncoder;
use image::{ImageEncoder, RgbImage};

use super::jpeg;
use crate::media::error::MediaError;
use crate::media::inspect::{self, Limits};

fn limits() -> Limits {
    Limits {
        max_pixels: 100_000_000,
        max_side: 20_000,
        max_alloc: 512 << 20,
    }
}

fn photo(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| {
        let n = (x.wrapping_mul(73_856_093) ^ y.wrapping_mul(19_349_663)) % 41;
        image::Rgb([
            (x % 256) as u8 ^ n as u8,
            (y % 256) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut buf = Vec::new();
    JpegEncoder::new_with_quality(&mut buf, 90)
        .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    buf
}

fn file(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().unwrap();
    f.write_all(bytes).unwrap();
    f
}

fn check(bytes: &[u8]) -> Result<inspect::ImageFacts, MediaError> {
    let f = file(bytes);
    inspect::inspect(f.path(), &limits())
}

/// Where the entropy-coded data of the (first) scan starts and ends.
fn scan_data(j: &[u8]) -> (usize, usize) {
    let sos = j.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let start = sos + 2 + usize::from(u16::from_be_bytes([j[sos + 2], j[sos + 3]]));
    let end = j.len() - 2;
    (start, end)
}

#[test]
fn whole_jpegs_pass_and_report_their_size() {
    for (w, h) in [(640, 480), (17, 9), (1, 1), (333, 1025)] {
        let facts = check(&photo(w, h)).unwrap_or_else(|e| panic!("{w}x{h}: {e}"));
        assert_eq!((facts.width, facts.height), (w, h));
    }
}

#[test]
fn a_truncated_jpeg_with_an_end_marker_is_damaged() {
    let mut j = photo(400, 300);
    j.truncate(j.len() / 2);
    j.extend_from_slice(&[0xFF, 0xD9]);
    assert!(
        matches!(check(&j), Err(MediaError::Damaged(_))),
        "{:?}",
        check(&j)
    );
}

#[test]
fn zeroed_scan_data_is_damaged() {
    let mut j = photo(400, 300);
    let (start, end) = scan_data(&j);
    j[start..end].fill(0);
    assert!(
        matches!(check(&j), Err(MediaError::Damaged(_))),
        "{:?}",
        check(&j)
    );
}

#[test]
fn a_header_claiming_other_dimensions_is_damaged() {
    let mut j = photo(640, 480);
    let sof = j.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    j[sof + 5..sof + 7].copy_from_slice(&5000u16.to_be_bytes());
    j[sof + 7..sof + 9].copy_from_slice(&20000u16.to_be_bytes());
    assert!(
        matches!(check(&j), Err(MediaError::Damaged(_))),
        "{:?}",
        check(&j)
    );
    // Smaller than the data, too.
    let mut j = photo(640, 480);
    j[sof + 5..sof + 7].copy_from_slice(&240u16.to_be_bytes());
    assert!(
        matches!(check(&j), Err(MediaError::Damaged(_))),
        "{:?}",
        check(&j)
    );
}

#[test]
fn appended_files_are_extra_data() {
    let mut j = photo(64, 64);
    j.extend_from_slice(b"<html><script>alert(1)</script></html>");
    assert!(matches!(check(&j), Err(MediaError::ExtraData(_))));
    // A JPEG followed by a JPEG (an MPF preview, an Ultra HDR gain map) is one photo.
    let mut two = photo(64, 64);
    two.extend_from_slice(&photo(16, 16));
    check(&two).unwrap();
}

#[test]
fn a_progressive_jpeg_cut_at_a_scan_is_damaged() {
    let Some(p) = registry_file("jpeg-decoder-", "benches/tower_progressive.jpg") else {
        return;
    };
    let j = std::fs::read(p).unwrap();
    check(&j).unwrap();
    // Cut just before the last scan, with an end marker: every scan present is whole.
    let last = j.windows(2).rposition(|w| w == [0xFF, 0xDA]).unwrap();
    let mut cut = j[..last].to_vec();
    cut.extend_from_slice(&[0xFF, 0xD9]);
    assert!(matches!(check(&cut), Err(MediaError::Damaged(_))));
}

/// A file a crate ships in the cargo registry (present wherever this project builds).
pub fn registry_file(krate: &str, rel: &str) -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    for reg in std::fs::read_dir(home.join("registry/src")).ok()?.flatten() {
        for k in std::fs::read_dir(reg.path()).ok()?.flatten() {
            let p = k.path().join(rel);
            if k.file_name().to_string_lossy().starts_with(krate) && p.exists() {
                return Some(p);
            }
        }
    }
    eprintln!("!!!!!!!! {krate}{rel} not in the cargo registry: test skipped");
    None
}

#[test]
fn real_jpegs_pass() {
    for (krate, rel) in [
        ("jpeg-decoder-", "benches/tower.jpg"),
        ("jpeg-decoder-", "benches/tower_progressive.jpg"),
        ("jpeg-decoder-", "benches/tower_grayscale.jpg"),
        ("jpeg-decoder-", "benches/large_image.jpg"),
        ("rust-embed-", "examples/public/images/flower.jpg"),
    ] {
        if let Some(p) = registry_file(krate, rel) {
            let end = jpeg::verify(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert!(end > 0);
            inspect::inspect(&p, &limits()).unwrap_or_else(|e| panic!("{rel}: {e}"));
        }
    }
}

/// `KIEMTRA_JPEG_DIR=<folder>`: every `.jpg` in it must pass (for checking the verifier
/// against a folder of camera photos or `jpegtran` variants by hand).
#[test]
fn a_folder_of_jpegs_passes() {
    let Some(dir) = std::env::var_os("KIEMTRA_JPEG_DIR") else {
        return;
    };
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "jpg") {
            match inspect::inspect(&p, &limits()) {
                Ok(f) => eprintln!("ok   {} {}x{}", p.display(), f.width, f.height),
                Err(err) => eprintln!("FAIL {} {err}", p.display()),
            }
        }
    }
}

//! What a photo says about itself: capture time, GPS position and orientation, from EXIF.
//! Absent or unreadable EXIF is normal (screenshots, edited images) and never refuses a photo.

use std::io::BufReader;
use std::path::Path;

use exif::{In, Reader, Tag, Value};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExifFacts {
    /// `YYYY-MM-DDTHH:MM:SS` as the camera wrote it, with its UTC offset when recorded.
    pub taken_at: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// 1–8 (EXIF); 1 is upright.
    pub orientation: u8,
}

pub fn read(path: &Path) -> ExifFacts {
    let Ok(file) = std::fs::File::open(path) else {
        return ExifFacts::default();
    };
    match Reader::new().read_from_container(&mut BufReader::new(file)) {
        Ok(exif) => facts(&exif),
        Err(_) => ExifFacts {
            orientation: 1,
            ..ExifFacts::default()
        },
    }
}

fn facts(exif: &exif::Exif) -> ExifFacts {
    let orientation = exif
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .and_then(|v| u8::try_from(v).ok())
        .filter(|v| (1..=8).contains(v))
        .unwrap_or(1);
    let ascii = |tag| match exif.get_field(tag, In::PRIMARY).map(|f| &f.value) {
        Some(Value::Ascii(v)) => v
            .first()
            .map(|b| String::from_utf8_lossy(b).trim().to_owned()),
        _ => None,
    };
    let taken_at = [Tag::DateTimeOriginal, Tag::DateTime]
        .into_iter()
        .find_map(|t| ascii(t).and_then(|s| exif_time(&s)))
        .map(|t| match ascii(Tag::OffsetTimeOriginal) {
            Some(off) if valid_offset(&off) => format!("{t}{off}"),
            _ => t,
        });
    ExifFacts {
        taken_at,
        latitude: coordinate(exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S', 90.0),
        longitude: coordinate(exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W', 180.0),
        orientation,
    }
}

/// `2026:05:03 09:12:44` → `2026-05-03T09:12:44`; anything else (blank, zeros) → None.
fn exif_time(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 19 || b[4] != b':' || b[7] != b':' || b[10] != b' ' {
        return None;
    }
    let t = format!("{}-{}-{}T{}", &s[0..4], &s[5..7], &s[8..10], &s[11..19]);
    chrono::NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S").ok()?;
    Some(t)
}

fn valid_offset(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 6 && (b[0] == b'+' || b[0] == b'-') && b[3] == b':'
}

fn coordinate(exif: &exif::Exif, tag: Tag, reference: Tag, negative: u8, max: f64) -> Option<f64> {
    let Value::Rational(parts) = &exif.get_field(tag, In::PRIMARY)?.value else {
        return None;
    };
    if parts.len() < 3 || parts.iter().any(|r| r.denom == 0) {
        return None;
    }
    let v = parts[0].to_f64() + parts[1].to_f64() / 60.0 + parts[2].to_f64() / 3600.0;
    let sign = match &exif.get_field(reference, In::PRIMARY)?.value {
        Value::Ascii(r) if r.first().and_then(|x| x.first()) == Some(&negative) => -1.0,
        _ => 1.0,
    };
    (v.is_finite() && v <= max).then_some(sign * v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_times_become_iso() {
        assert_eq!(
            exif_time("2026:05:03 09:12:44").as_deref(),
            Some("2026-05-03T09:12:44")
        );
        assert_eq!(exif_time("0000:00:00 00:00:00"), None);
        assert_eq!(exif_time("    :  :     :  :  "), None);
        assert!(valid_offset("+07:00"));
        assert!(!valid_offset("07:00"));
    }
}

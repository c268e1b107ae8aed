//! Evidence checks: what a lead should look at twice about a photo, never a reason to refuse
//! it. Each check compares what the photo's own metadata (EXIF) says with what was claimed or
//! expected: the capture time with the inspector's claim and with the inspection's day and the
//! round's dates; the position with the unit's location; and the same bytes (SHA-256) used as
//! evidence more than once, or a near-duplicate (other bytes, a perceptual hash within a few
//! bits: the same photo re-saved, resized or cropped) used so. Plain functions over plain facts; `service::flags` gathers them.
//!
//! EXIF times without an offset are the camera's clock, taken to be in `KIEMTRA_TIMEZONE`
//! (phones in the province are set to Vietnamese time).

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

/// One thing to look at twice.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Flag {
    /// `time_differs_from_claim`, `taken_on_another_day`, `taken_outside_round`,
    /// `far_from_unit`, `reused_in_inspection`, `reused_elsewhere`,
    /// `near_duplicate_in_inspection` or `near_duplicate_elsewhere`.
    pub code: &'static str,
    /// What a lead reads, in Vietnamese.
    pub message: String,
}

/// What one photo says about itself, and what was claimed.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub claimed_taken_at: Option<NaiveDateTime>,
    pub claimed_position: Option<(f64, f64)>,
    /// As stored: RFC 3339 with an offset, or `YYYY-MM-DDTHH:MM:SS` (the camera's clock).
    pub exif_taken_at: Option<String>,
    pub exif_position: Option<(f64, f64)>,
}

/// Where and when the photo was expected.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    pub unit_position: Option<(f64, f64)>,
    /// The inspection's own time (the biên bản's), UTC.
    pub held_at: Option<NaiveDateTime>,
    /// The round's first and last days, local.
    pub round_days: Option<(NaiveDate, NaiveDate)>,
    /// Other evidence with the same bytes: in this inspection, and in other inspections.
    pub same_bytes_here: usize,
    pub same_bytes_elsewhere: usize,
    /// Other evidence with other bytes that looks the same (perceptual hash), likewise.
    pub similar_here: usize,
    pub similar_elsewhere: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_distance_m: f64,
    pub max_clock_minutes: i64,
    pub max_hash_distance: u32,
}

/// Metres between two positions (haversine).
pub fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = 6_371_000.0_f64;
    let (la1, la2) = (a.0.to_radians(), b.0.to_radians());
    let dla = la2 - la1;
    let dlo = (b.1 - a.1).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * r * h.sqrt().asin()
}

/// An EXIF time as UTC: with its offset, or as the camera's clock in `zone`.
pub fn exif_utc(raw: &str, zone: chrono_tz::Tz) -> Option<NaiveDateTime> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(raw) {
        return Some(t.naive_utc());
    }
    let local = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S").ok()?;
    local
        .and_local_timezone(zone)
        .earliest()
        .map(|t| t.naive_utc())
}

/// Kilometres with one decimal and a decimal comma: `7,9`.
fn km(m: f64) -> String {
    format!("{:.1}", m / 1000.0).replace('.', ",")
}

fn time_flags(f: &Facts, e: &Expected, l: Limits, zone: chrono_tz::Tz, out: &mut Vec<Flag>) {
    let Some(taken) = f.exif_taken_at.as_deref().and_then(|t| exif_utc(t, zone)) else {
        return;
    };
    let local_day = |t: NaiveDateTime| crate::time::local_in(zone, t).date_naive();
    if let Some(claimed) = f.claimed_taken_at {
        let minutes = (claimed - taken).num_minutes().abs();
        if minutes > l.max_clock_minutes {
            out.push(Flag {
                code: "time_differs_from_claim",
                message: format!(
                    "Thời điểm chụp trong ảnh lệch {minutes} phút so với thời điểm khai báo."
                ),
            });
        }
    }
    if let Some(held) = e.held_at {
        if local_day(held) != local_day(taken) {
            out.push(Flag {
                code: "taken_on_another_day",
                message: format!(
                    "Ảnh chụp ngày {}, không phải ngày làm việc ghi trong biên bản ({}).",
                    crate::time::date_vn(local_day(taken)),
                    crate::time::date_vn(local_day(held))
                ),
            });
        }
    }
    if let Some((first, last)) = e.round_days {
        let day = local_day(taken);
        if day < first || day > last {
            out.push(Flag {
                code: "taken_outside_round",
                message: format!(
                    "Ảnh chụp ngày {}, ngoài thời gian của đợt kiểm tra ({} – {}).",
                    crate::time::date_vn(day),
                    crate::time::date_vn(first),
                    crate::time::date_vn(last)
                ),
            });
        }
    }
}

/// Everything to look at twice about one photo, in a fixed order.
pub fn flags(f: &Facts, e: &Expected, l: Limits, zone: chrono_tz::Tz) -> Vec<Flag> {
    let mut out = Vec::new();
    time_flags(f, e, l, zone, &mut out);
    let taken_where = f.exif_position.or(f.claimed_position);
    if let (Some(p), Some(unit)) = (taken_where, e.unit_position) {
        let d = distance_m(p, unit);
        if d > l.max_distance_m {
            let source = if f.exif_position.is_some() {
                "trong ảnh"
            } else {
                "khai báo"
            };
            out.push(Flag {
                code: "far_from_unit",
                message: format!("Vị trí {source} cách trụ sở đơn vị khoảng {} km.", km(d)),
            });
        }
    }
    if e.same_bytes_here > 0 {
        out.push(Flag {
            code: "reused_in_inspection",
            message: "Cùng một ảnh (trùng SHA-256) được dùng cho mục khác của phiếu này.".into(),
        });
    }
    if e.same_bytes_elsewhere > 0 {
        out.push(Flag {
            code: "reused_elsewhere",
            message: "Cùng một ảnh (trùng SHA-256) đã được dùng làm minh chứng ở phiếu khác."
                .into(),
        });
    }
    // Never which unit or inspection: the other photo may be another team's.
    if e.similar_here > 0 {
        out.push(Flag {
            code: "near_duplicate_in_inspection",
            message: "Ảnh gần giống một ảnh khác của phiếu này (có thể là cùng ảnh đã cắt, thu nhỏ hoặc lưu lại).".into(),
        });
    }
    if e.similar_elsewhere > 0 {
        out.push(Flag {
            code: "near_duplicate_elsewhere",
            message: "Ảnh gần giống một ảnh đã được dùng làm minh chứng ở phiếu khác (có thể là cùng ảnh đã cắt, thu nhỏ hoặc lưu lại).".into(),
        });
    }
    out
}

#[cfg(test)]
mod tests;

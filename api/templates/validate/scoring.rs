//! The rules on the scoring scheme: bands that cover the range once, a known critical cap,
//! and something worth points.

use std::collections::HashSet;

use super::fault;
use crate::error::FieldError;
use crate::templates::model::{Scoring, Template};

pub(super) fn check_scoring(
    t: &Template,
    scoring: &Scoring,
    total_max: f64,
    out: &mut Vec<FieldError>,
) {
    let mut codes = HashSet::new();
    let mut mins = Vec::new();
    for (bi, band) in scoring.bands.iter().enumerate() {
        if !codes.insert(band.code.as_str()) {
            out.push(fault(
                format!("/scoring/bands/{bi}/code"),
                "duplicate_band",
                format!("Band code `{}` is used twice.", band.code),
                format!("Mã xếp loại `{}` bị trùng.", band.code),
            ));
        }
        if mins.iter().any(|m: &f64| (m - band.min).abs() < 1e-9) {
            out.push(fault(
                format!("/scoring/bands/{bi}/min"),
                "duplicate_band",
                format!("Two bands start at {}.", band.min),
                format!("Hai mức xếp loại cùng bắt đầu từ {}.", band.min),
            ));
        }
        if band.min > scoring.max_score {
            out.push(fault(
                format!("/scoring/bands/{bi}/min"),
                "band_above_max",
                format!("The band starts above max_score {}.", scoring.max_score),
                format!(
                    "Mức xếp loại bắt đầu cao hơn điểm tối đa {}.",
                    scoring.max_score
                ),
            ));
        }
        mins.push(band.min);
    }
    if !mins.contains(&0.0) {
        out.push(fault(
            "/scoring/bands".into(),
            "bands_gap",
            "The bands must cover the whole range: one must start at 0.".into(),
            "Các mức xếp loại phải phủ toàn bộ thang điểm: phải có một mức bắt đầu từ 0.".into(),
        ));
    }
    match &scoring.critical_cap {
        Some(cap) if !codes.contains(cap.as_str()) => out.push(fault(
            "/scoring/critical_cap".into(),
            "critical_cap_unknown",
            format!("No band has code `{cap}`."),
            format!("Không có mức xếp loại mã `{cap}`."),
        )),
        None if t.items().any(|i| i.critical) => out.push(fault(
            "/scoring/critical_cap".into(),
            "critical_cap_missing",
            "Critical items need a critical_cap band.".into(),
            "Có mục điểm liệt thì phải khai báo critical_cap.".into(),
        )),
        _ => {}
    }
    if total_max <= 0.0 {
        out.push(fault(
            "/scoring".into(),
            "no_scored_items",
            "Scoring needs at least one item worth points.".into(),
            "Cần ít nhất một mục có điểm để chấm điểm.".into(),
        ));
    }
}

//! Scoring: points per answer, section weights, a maximum, rating bands, and the critical-item
//! cap (điểm liệt). Computed by the server from the answers; never taken from a client.
//!
//! The rules (docs/checklists.md has worked examples):
//! - An item's points come from its answer: yes/no → `points.yes` (default `max_points`) or
//!   `points.no` (default 0); single choice → the option's points; multi choice → the sum of
//!   the chosen options' points, capped at `max_points`; rating → `max_points` scaled linearly
//!   over the scale. Other types score nothing.
//! - Hidden items and items marked not applicable leave both points and maximum.
//!   Unanswered visible items count 0 of their maximum.
//! - A section's ratio is its points over its maximum; the score is `max_score` times the
//!   weighted mean of the ratios of sections with a non-zero maximum.
//! - The band is the highest whose `min` the score reaches. If a critical item is answered
//!   and earns 0 points, the band is at most `critical_cap`.

use serde::Serialize;
use utoipa::ToSchema;

use super::model::{Answer, Answers, Band, Item, ItemType, Scoring, Template};
use super::visibility::visible_items;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Scored,
    Unanswered,
    NotApplicable,
    Hidden,
    /// Not a scored item (text, number, date, photo, or no points).
    Unscored,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ItemScore {
    pub item_id: String,
    pub status: ItemStatus,
    pub points: f64,
    pub max_points: f64,
    /// Earned less than its maximum while counting (the weak points of a round).
    pub fell_short: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SectionScore {
    pub section_id: String,
    pub points: f64,
    pub max_points: f64,
    /// `points / max_points`; absent when nothing in the section counts.
    pub ratio: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BandRef {
    pub code: String,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ScoreReport {
    /// On the template's `max_score` scale, rounded to 2 decimals; absent when nothing counts.
    pub score: Option<f64>,
    pub max_score: f64,
    pub band: Option<BandRef>,
    /// Critical items answered with 0 points.
    pub critical_failed: Vec<String>,
    /// True when a critical failure lowered the band.
    pub capped: bool,
    /// Whose scheme the score and band follow: the committee's, set per template version,
    /// never the plan's (the plan sets no points). Absent when the template has no scoring.
    pub scheme_note: Option<String>,
    pub sections: Vec<SectionScore>,
    pub items: Vec<ItemScore>,
}

/// The item's maximum and, for an answer, its points.
pub fn item_points(item: &Item, answer: Option<&Answer>) -> (f64, Option<f64>) {
    let chosen = answer.filter(|a| a.is_answered());
    match item.kind {
        ItemType::YesNo => {
            let yes = item
                .points
                .as_ref()
                .and_then(|p| p.yes)
                .or(item.max_points)
                .unwrap_or(0.0);
            let no = item.points.as_ref().and_then(|p| p.no).unwrap_or(0.0);
            let max = item.max_points.unwrap_or(yes.max(no));
            let pts = chosen
                .and_then(|a| a.value.as_str())
                .map(|v| if v == "yes" { yes } else { no });
            (max, pts)
        }
        ItemType::SingleChoice => {
            let pts_of = |v: &str| {
                item.options()
                    .iter()
                    .find(|o| o.value == v)
                    .and_then(|o| o.points)
                    .unwrap_or(0.0)
            };
            let best = item
                .options()
                .iter()
                .filter_map(|o| o.points)
                .fold(0.0, f64::max);
            let max = item.max_points.unwrap_or(best);
            (max, chosen.and_then(|a| a.value.as_str()).map(pts_of))
        }
        ItemType::MultiChoice => {
            let total: f64 = item.options().iter().filter_map(|o| o.points).sum();
            let max = item.max_points.unwrap_or(total);
            let pts = chosen.map(|a| {
                let sum: f64 = a
                    .chosen()
                    .iter()
                    .filter_map(|v| {
                        item.options()
                            .iter()
                            .find(|o| o.value == *v)
                            .and_then(|o| o.points)
                    })
                    .sum();
                sum.min(max)
            });
            (max, pts)
        }
        ItemType::Rating => {
            let max = item.max_points.unwrap_or(0.0);
            let pts = chosen.and_then(|a| a.value.as_f64()).and_then(|v| {
                let s = item.scale.as_ref()?;
                let span = (s.max - s.min) as f64;
                (span > 0.0).then(|| max * ((v - s.min as f64) / span).clamp(0.0, 1.0))
            });
            (max, pts)
        }
        ItemType::Text | ItemType::Number | ItemType::Date | ItemType::Photo => (0.0, None),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn score(template: &Template, answers: &Answers) -> ScoreReport {
    let visible = visible_items(template, answers);
    let mut items = Vec::new();
    let mut sections = Vec::new();
    let mut critical_failed = Vec::new();
    let (mut weighted, mut weights) = (0.0, 0.0);
    for section in &template.sections {
        let (mut pts, mut max) = (0.0, 0.0);
        for item in &section.items {
            let shown = visible.get(&item.id).copied().unwrap_or(false);
            let mut s = item_score(item, answers.get(&item.id), shown);
            if s.status == ItemStatus::Scored && item.critical && s.points <= 0.0 {
                critical_failed.push(item.id.clone());
            }
            pts += s.points;
            max += s.max_points;
            s.points = round2(s.points);
            items.push(s);
        }
        let ratio = (max > 0.0).then(|| pts / max);
        if let Some(r) = ratio {
            weighted += section.weight() * r;
            weights += section.weight();
        }
        sections.push(SectionScore {
            section_id: section.id.clone(),
            points: round2(pts),
            max_points: max,
            ratio,
        });
    }
    let Some(scoring) = &template.scoring else {
        return ScoreReport {
            score: None,
            max_score: 0.0,
            band: None,
            critical_failed,
            capped: false,
            scheme_note: None,
            sections,
            items,
        };
    };
    let score = (weights > 0.0).then(|| round2(scoring.max_score * weighted / weights));
    let (band, capped) = band_of(scoring, score, !critical_failed.is_empty());
    ScoreReport {
        score,
        max_score: scoring.max_score,
        band: band.map(|b| BandRef {
            code: b.code.clone(),
            label: b.label.clone(),
        }),
        critical_failed,
        capped,
        scheme_note: Some(scoring.scheme_note().to_owned()),
        sections,
        items,
    }
}

/// One item's standing and points. Only scored and unanswered items count towards their
/// section; the others carry zeros.
fn item_score(item: &Item, answer: Option<&Answer>, shown: bool) -> ItemScore {
    let (item_max, earned) = item_points(item, answer);
    let status = if !shown {
        ItemStatus::Hidden
    } else if answer.is_some_and(|a| a.na) {
        ItemStatus::NotApplicable
    } else if item_max <= 0.0 {
        ItemStatus::Unscored
    } else if earned.is_some() {
        ItemStatus::Scored
    } else {
        ItemStatus::Unanswered
    };
    let counts = matches!(status, ItemStatus::Scored | ItemStatus::Unanswered);
    let got = earned.unwrap_or(0.0);
    ItemScore {
        item_id: item.id.clone(),
        status,
        points: if counts { got } else { 0.0 },
        max_points: if counts { item_max } else { 0.0 },
        fell_short: counts && got + 1e-9 < item_max,
    }
}

/// The band the score reaches, lowered to the cap when a critical item failed (`capped`).
fn band_of(scoring: &Scoring, score: Option<f64>, critical_failed: bool) -> (Option<&Band>, bool) {
    let mut bands: Vec<_> = scoring.bands.iter().collect();
    bands.sort_by(|a, b| b.min.total_cmp(&a.min));
    let band = score.and_then(|s| bands.iter().find(|b| s + 1e-9 >= b.min).copied());
    let cap = scoring
        .critical_cap
        .as_ref()
        .and_then(|c| bands.iter().find(|b| &b.code == c).copied());
    match (band, cap) {
        (Some(b), Some(cap)) if critical_failed && b.min > cap.min => (Some(cap), true),
        _ => (band, false),
    }
}

#[cfg(test)]
mod tests;

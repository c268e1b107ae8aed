//! The rating distribution and the weak points: per section and per item, the share of
//! approved units that fell short, and the weakest items across the province.

use std::collections::HashMap;

use super::model::{BandCount, WeakPoint};
use super::{share, Approved, WEAKEST};
use crate::templates::model::{Band, Template};
use crate::templates::scoring::ItemScore;

/// The checklist's rating bands, best first.
pub(super) fn bands(template: &Template) -> Vec<Band> {
    template
        .scoring
        .as_ref()
        .map(|s| {
            let mut b = s.bands.clone();
            b.sort_by(|x, y| y.min.total_cmp(&x.min));
            b
        })
        .unwrap_or_default()
}

/// How many approved units each band holds.
pub(super) fn distribution(bands: &[Band], approved: &[Approved]) -> Vec<BandCount> {
    bands
        .iter()
        .map(|b| {
            let count = approved
                .iter()
                .filter(|(_, x)| x.band.as_deref() == Some(b.code.as_str()))
                .count();
            BandCount {
                code: b.code.clone(),
                label: b.label.clone(),
                count,
                share: share(count, approved.len()),
            }
        })
        .collect()
}

/// The items most often fallen short of, weakest first.
pub(super) fn weakest(items: &[WeakPoint]) -> Vec<WeakPoint> {
    let mut weakest: Vec<WeakPoint> = items.iter().filter(|w| w.fell_short > 0).cloned().collect();
    // Stable sort: ties keep the checklist's order.
    weakest.sort_by(|a, b| b.share.total_cmp(&a.share));
    weakest.truncate(WEAKEST);
    weakest
}

/// Per section and per item (in checklist order): among approved units, where it counted and
/// where it fell short. A section falls short for a unit when any of its items does.
pub(super) fn weak_points(
    template: &Template,
    approved: &[Approved],
) -> (Vec<WeakPoint>, Vec<WeakPoint>) {
    let mut sections = Vec::new();
    let mut items = Vec::new();
    let by_unit: Vec<HashMap<&str, &ItemScore>> = approved
        .iter()
        .map(|(_, x)| x.items.iter().map(|s| (s.item_id.as_str(), s)).collect())
        .collect();
    let counts = |s: &ItemScore| s.max_points > 0.0;
    for section in &template.sections {
        let (mut s_counted, mut s_short) = (0, 0);
        for scores in &by_unit {
            let mine: Vec<&&ItemScore> = section
                .items
                .iter()
                .filter_map(|it| scores.get(it.id.as_str()))
                .filter(|s| counts(s))
                .collect();
            if !mine.is_empty() {
                s_counted += 1;
                if mine.iter().any(|s| s.fell_short) {
                    s_short += 1;
                }
            }
        }
        let any_scored = section.items.iter().any(|it| it.kind.is_scorable());
        if any_scored {
            sections.push(WeakPoint {
                id: section.id.clone(),
                section_id: None,
                label: section.title.clone(),
                counted: s_counted,
                fell_short: s_short,
                share: share(s_short, s_counted),
            });
        }
        for item in section.items.iter().filter(|it| it.kind.is_scorable()) {
            let (mut counted, mut short) = (0, 0);
            for scores in &by_unit {
                if let Some(s) = scores.get(item.id.as_str()).filter(|s| counts(s)) {
                    counted += 1;
                    if s.fell_short {
                        short += 1;
                    }
                }
            }
            items.push(WeakPoint {
                id: item.id.clone(),
                section_id: Some(section.id.clone()),
                label: item.label.clone(),
                counted,
                fell_short: short,
                share: share(short, counted),
            });
        }
    }
    (sections, items)
}

//! The answer sheet of one inspection, section by section, on its pinned checklist version:
//! each visible item's text, help, answer in words and points, a mark on critical items, and
//! its photos with what the device claimed beside what the camera recorded, so a lead can see
//! whether a photo was taken where and when it says.

use std::collections::HashMap;

use crate::media::flagged::FlaggedEvidence;
use crate::templates::model::{Answers, Item, ItemType, Template};
use crate::templates::scoring::{ItemScore, ItemStatus, ScoreReport};
use crate::web::format;

use super::words;

pub struct PhotoView {
    pub id: String,
    /// The caption, or a description made from the item when there is none.
    pub caption: String,
    /// The bytes have arrived (a thumbnail can be shown).
    pub stored: bool,
    pub by: String,
    pub claimed_time: String,
    pub claimed_place: String,
    pub claimed_map: String,
    pub exif_time: String,
    pub exif_place: String,
    pub exif_map: String,
    /// Why the claimed and recorded facts disagree, if they do.
    pub mismatch: Vec<String>,
}

pub struct ItemView {
    pub id: String,
    pub label: String,
    pub help: Option<String>,
    pub answer: String,
    pub is_photo_item: bool,
    /// `7,5/10`, or a word when the item does not count; empty for unscored items.
    pub points: String,
    pub critical: bool,
    /// A critical item answered with 0 points (it caps the band).
    pub critical_failed: bool,
    pub required: bool,
    pub photos: Vec<PhotoView>,
}

pub struct SectionView {
    pub title: String,
    pub help: Option<String>,
    pub points: String,
    pub items: Vec<ItemView>,
    /// Items not shown because their condition is not met by the answers.
    pub hidden: usize,
}

fn photo(fe: &FlaggedEvidence, item: &Item, names: &HashMap<String, String>) -> PhotoView {
    let ev = &fe.evidence;
    let claimed_pos = ev.claimed_latitude.zip(ev.claimed_longitude);
    let exif_pos = ev.exif_latitude.zip(ev.exif_longitude);
    let (exif_time, _) = ev
        .exif_taken_at
        .as_deref()
        .map(words::exif_time)
        .unwrap_or_default();
    // The evidence checks' own words (`media::checks`), the same the API's `flags` carry.
    let mismatch = fe.flags.iter().map(|f| f.message.clone()).collect();
    PhotoView {
        id: ev.id.clone(),
        caption: ev
            .caption
            .clone()
            .unwrap_or_else(|| format!("Ảnh minh chứng: {}", item.label)),
        stored: ev.sha256.is_some(),
        by: words::name_in(names, Some(&ev.created_by)),
        claimed_time: format::datetime_opt(ev.claimed_taken_at),
        claimed_place: claimed_pos.map_or_else(String::new, |(a, b)| words::place(a, b)),
        claimed_map: claimed_pos.map_or_else(String::new, |(a, b)| words::map_link(a, b)),
        exif_time,
        exif_place: exif_pos.map_or_else(String::new, |(a, b)| words::place(a, b)),
        exif_map: exif_pos.map_or_else(String::new, |(a, b)| words::map_link(a, b)),
        mismatch,
    }
}

fn points(item: &Item, s: Option<&ItemScore>) -> String {
    match s.map(|s| (s.status, s.points, s.max_points)) {
        Some((ItemStatus::Scored, p, m)) => words::points(p, m),
        Some((ItemStatus::Unanswered, _, m)) => format!("{} (chưa trả lời)", words::points(0.0, m)),
        Some((ItemStatus::NotApplicable, ..)) => "Không tính điểm".into(),
        _ if item.kind.is_scorable() && item.max_points.is_some() => "Không tính điểm".into(),
        _ => String::new(),
    }
}

/// The sections as the lead reads them. Hidden items are left out (and counted), as the
/// score leaves them out.
pub fn sections(
    template: &Template,
    answers: &Answers,
    report: &ScoreReport,
    evidence: &[FlaggedEvidence],
    names: &HashMap<String, String>,
) -> Vec<SectionView> {
    let scores: HashMap<&str, &ItemScore> = report
        .items
        .iter()
        .map(|s| (s.item_id.as_str(), s))
        .collect();
    let visible = crate::templates::visibility::visible_items(template, answers);
    template
        .sections
        .iter()
        .map(|section| {
            let mut items = Vec::new();
            let mut hidden = 0;
            for item in &section.items {
                if !visible.get(&item.id).copied().unwrap_or(true) {
                    hidden += 1;
                    continue;
                }
                let s = scores.get(item.id.as_str()).copied();
                items.push(ItemView {
                    id: item.id.clone(),
                    label: item.label.clone(),
                    help: item.help.clone(),
                    answer: words::answer(item, answers.get(&item.id)),
                    is_photo_item: item.kind == ItemType::Photo,
                    points: points(item, s),
                    critical: item.critical,
                    critical_failed: report.critical_failed.contains(&item.id),
                    required: item.required,
                    photos: evidence
                        .iter()
                        .filter(|e| e.evidence.item_id == item.id)
                        .map(|e| photo(e, item, names))
                        .collect(),
                });
            }
            let sum = report
                .sections
                .iter()
                .find(|s| s.section_id == section.id)
                .filter(|s| s.max_points > 0.0)
                .map(|s| words::points(s.points, s.max_points))
                .unwrap_or_default();
            SectionView {
                title: section.title.clone(),
                help: section.help.clone(),
                points: sum,
                items,
                hidden,
            }
        })
        .collect()
}

//! The round summary: official figures from approved inspections only. Plain functions over
//! plain types; the store gathers the inputs, the exports render the output, and nothing here
//! touches a database or knows HTTP.
//!
//! - per unit: its status, and its score and rating once approved;
//! - the rating distribution and mean score over approved inspections;
//! - per section and per item, the share of approved units that fell short (the weakest points
//!   across the province), weakest first in `weakest`;
//! - every recommendation of approved inspections, with the leads' report rows standing in for
//!   the ones they replace;
//! - the strengths, shortcomings and causes quoted from each approved inspection;
//! - how many units are still pending, so nobody mistakes a partial picture for the whole.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use crate::templates::model::Template;
use crate::templates::scoring::ItemScore;

/// How many items `weakest` lists.
pub const WEAKEST: usize = 10;

#[derive(Debug, Clone)]
pub struct RoundInput {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct UnitInput {
    pub unit_id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub team_id: String,
    pub team_name: String,
    pub inspection: Option<InspectionInput>,
}

#[derive(Debug, Clone)]
pub struct InspectionInput {
    pub id: String,
    pub status: String,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub strengths: Option<String>,
    pub shortcomings: Option<String>,
    pub causes: Option<String>,
    pub approved_at: Option<NaiveDateTime>,
    /// The scoring of its answers, item by item.
    pub items: Vec<ItemScore>,
}

impl InspectionInput {
    pub fn approved(&self) -> bool {
        self.status == "approved"
    }
}

/// An inspector's recommendation, as recorded on an inspection.
#[derive(Debug, Clone)]
pub struct RecommendationInput {
    pub id: String,
    pub inspection_id: String,
    pub content: String,
    pub responsible_unit_id: Option<String>,
    pub responsible_unit_name: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub follow_up: String,
}

/// A lead's row for the report: new wording, a grouping, or several recommendations merged.
#[derive(Debug, Clone)]
pub struct LeadRecommendationInput {
    pub id: String,
    pub team_id: String,
    pub replaces: Vec<String>,
    pub grouping: Option<String>,
    pub content: String,
    pub responsible_unit_id: Option<String>,
    pub responsible_unit_name: Option<String>,
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct ConclusionInput {
    pub id: String,
    pub team_id: String,
    pub body: String,
    pub version: i64,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundRef {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub due_on: NaiveDate,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Counts {
    /// Units assigned to the teams in view.
    pub assigned: usize,
    /// Approved inspections: the only ones the official figures count.
    pub approved: usize,
    /// Assigned units whose inspection is not approved yet (not started included).
    pub pending: usize,
    pub not_started: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitResult {
    pub unit_id: String,
    pub code: String,
    pub name: String,
    /// `department`, `commune`, `ward` or `other`.
    pub kind: String,
    pub team_id: String,
    pub team_name: String,
    /// `not_started`, or the inspection's status.
    pub status: String,
    /// True when approved: only then are score and rating official and counted.
    pub counted: bool,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub band_label: Option<String>,
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub approved_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BandCount {
    pub code: String,
    pub label: String,
    pub count: usize,
    /// `count / approved`, 0 when nothing is approved.
    pub share: f64,
}

/// How often a section or an item fell short among approved units.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WeakPoint {
    pub id: String,
    /// The section, for an item.
    pub section_id: Option<String>,
    pub label: String,
    /// Approved units where it counted (visible, applicable, worth points).
    pub counted: usize,
    /// Of those, units that earned less than its maximum.
    pub fell_short: usize,
    /// `fell_short / counted`, 0 when nothing counted.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RecommendationLine {
    pub id: String,
    /// `inspection` (as the inspectors recorded it) or `lead` (the lead's report row).
    pub source: String,
    /// The inspected unit it concerns; absent for a lead's row spanning several units.
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub team_id: String,
    pub team_name: String,
    pub content: String,
    pub responsible_unit_id: Option<String>,
    /// The responsible unit's name, or the person or body named in words.
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// `open`, `in_progress` or `done`; for a lead's row, the least advanced of those it
    /// replaces.
    pub follow_up: String,
    pub grouping: Option<String>,
    /// The inspectors' recommendations a lead's row stands for.
    pub replaces: Vec<String>,
    /// The lead's row version, for editing it.
    pub version: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingsLine {
    pub unit_id: String,
    pub unit_name: String,
    pub team_name: String,
    /// Ưu điểm.
    pub strengths: Option<String>,
    /// Hạn chế.
    pub shortcomings: Option<String>,
    /// Nguyên nhân.
    pub causes: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConclusionLine {
    pub id: String,
    pub team_id: String,
    pub team_name: String,
    /// Kết luận of the team's lead.
    pub body: String,
    pub version: i64,
    #[serde(serialize_with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Summary {
    pub round: RoundRef,
    pub counts: Counts,
    /// Mean score of approved inspections.
    pub mean_score: Option<f64>,
    pub units: Vec<UnitResult>,
    pub distribution: Vec<BandCount>,
    pub sections: Vec<WeakPoint>,
    pub items: Vec<WeakPoint>,
    /// The items most often fallen short of, weakest first (at most 10).
    pub weakest: Vec<WeakPoint>,
    pub recommendations: Vec<RecommendationLine>,
    pub findings: Vec<FindingsLine>,
    pub conclusions: Vec<ConclusionLine>,
}

pub struct Inputs<'a> {
    pub round: &'a RoundInput,
    pub template: &'a Template,
    pub units: &'a [UnitInput],
    pub recommendations: &'a [RecommendationInput],
    pub lead_recommendations: &'a [LeadRecommendationInput],
    pub conclusions: &'a [ConclusionInput],
}

fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn kind_rank(kind: &str) -> u8 {
    match kind {
        "department" => 0,
        "commune" | "ward" => 1,
        _ => 2,
    }
}

/// A sort key that compares runs of digits as numbers and the rest as text.
fn natural(s: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut n = u64::from(c as u8 - b'0');
            while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                n = n
                    .saturating_mul(10)
                    .saturating_add(u64::from(*d as u8 - b'0'));
                chars.next();
            }
            out.push((std::mem::take(&mut text), n));
        } else {
            text.push(c);
        }
    }
    out.push((text, 0));
    out
}

pub fn compile(i: &Inputs) -> Summary {
    let mut units: Vec<&UnitInput> = i.units.iter().collect();
    // As the committee reads a report: by team, departments before communes and wards, then by
    // name with numbers in numeric order ("Phường 3" before "Phường 11").
    units.sort_by(|a, b| {
        (&a.team_name, kind_rank(&a.kind), natural(&a.name), &a.code).cmp(&(
            &b.team_name,
            kind_rank(&b.kind),
            natural(&b.name),
            &b.code,
        ))
    });
    let approved: Vec<(&UnitInput, &InspectionInput)> = units
        .iter()
        .filter_map(|u| {
            u.inspection
                .as_ref()
                .filter(|x| x.approved())
                .map(|x| (*u, x))
        })
        .collect();
    let bands = i
        .template
        .scoring
        .as_ref()
        .map(|s| {
            let mut b = s.bands.clone();
            b.sort_by(|x, y| y.min.total_cmp(&x.min));
            b
        })
        .unwrap_or_default();
    let band_label = |code: &str| {
        bands
            .iter()
            .find(|b| b.code == code)
            .map(|b| b.label.clone())
    };

    let counts = Counts {
        assigned: units.len(),
        approved: approved.len(),
        pending: units.len() - approved.len(),
        not_started: units.iter().filter(|u| u.inspection.is_none()).count(),
    };
    let scores: Vec<f64> = approved.iter().filter_map(|(_, x)| x.score).collect();
    let mean_score =
        (!scores.is_empty()).then(|| round2(scores.iter().sum::<f64>() / scores.len() as f64));

    let unit_results = units
        .iter()
        .map(|u| {
            let x = u.inspection.as_ref();
            let counted = x.is_some_and(InspectionInput::approved);
            let band = x.filter(|_| counted).and_then(|x| x.band.clone());
            UnitResult {
                unit_id: u.unit_id.clone(),
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind.clone(),
                team_id: u.team_id.clone(),
                team_name: u.team_name.clone(),
                status: x.map_or("not_started".into(), |x| x.status.clone()),
                counted,
                score: x.filter(|_| counted).and_then(|x| x.score),
                band_label: band.as_deref().and_then(band_label),
                band,
                approved_at: x.filter(|_| counted).and_then(|x| x.approved_at),
            }
        })
        .collect();

    let distribution = bands
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
        .collect();

    let (sections, items) = weak_points(i.template, &approved);
    let mut weakest: Vec<WeakPoint> = items.iter().filter(|w| w.fell_short > 0).cloned().collect();
    // Stable sort: ties keep the checklist's order.
    weakest.sort_by(|a, b| b.share.total_cmp(&a.share));
    weakest.truncate(WEAKEST);

    let findings = approved
        .iter()
        .map(|(u, x)| FindingsLine {
            unit_id: u.unit_id.clone(),
            unit_name: u.name.clone(),
            team_name: u.team_name.clone(),
            strengths: x.strengths.clone(),
            shortcomings: x.shortcomings.clone(),
            causes: x.causes.clone(),
        })
        .collect();

    let team_name: HashMap<&str, &str> = units
        .iter()
        .map(|u| (u.team_id.as_str(), u.team_name.as_str()))
        .collect();
    let mut conclusions: Vec<ConclusionLine> = i
        .conclusions
        .iter()
        .filter_map(|c| {
            team_name.get(c.team_id.as_str()).map(|t| ConclusionLine {
                id: c.id.clone(),
                team_id: c.team_id.clone(),
                team_name: (*t).to_owned(),
                body: c.body.clone(),
                version: c.version,
                updated_at: c.updated_at,
            })
        })
        .collect();
    conclusions.sort_by(|a, b| a.team_name.cmp(&b.team_name));

    Summary {
        round: RoundRef {
            id: i.round.id.clone(),
            name: i.round.name.clone(),
            kind: i.round.kind.clone(),
            starts_on: i.round.starts_on,
            due_on: i.round.due_on,
            status: i.round.status.clone(),
        },
        counts,
        mean_score,
        units: unit_results,
        distribution,
        sections,
        items,
        weakest,
        recommendations: recommendations(i, &approved),
        findings,
        conclusions,
    }
}

/// Per section and per item (in checklist order): among approved units, where it counted and
/// where it fell short. A section falls short for a unit when any of its items does.
fn weak_points(
    template: &Template,
    approved: &[(&UnitInput, &InspectionInput)],
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

fn follow_up_rank(f: &str) -> u8 {
    match f {
        "done" => 2,
        "in_progress" => 1,
        _ => 0,
    }
}

/// The recommendations of approved inspections, with each lead's report row in place of the
/// ones it replaces (of that lead's team only: a lead cannot hide another team's).
fn recommendations(
    i: &Inputs,
    approved: &[(&UnitInput, &InspectionInput)],
) -> Vec<RecommendationLine> {
    let unit_of: HashMap<&str, &UnitInput> =
        approved.iter().map(|(u, x)| (x.id.as_str(), *u)).collect();
    let originals: HashMap<&str, (&RecommendationInput, &UnitInput)> = i
        .recommendations
        .iter()
        .filter_map(|r| {
            unit_of
                .get(r.inspection_id.as_str())
                .map(|u| (r.id.as_str(), (r, *u)))
        })
        .collect();
    let team_name: HashMap<&str, &str> = i
        .units
        .iter()
        .map(|u| (u.team_id.as_str(), u.team_name.as_str()))
        .collect();
    let mut replaced: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    for l in i.lead_recommendations {
        let Some(team) = team_name.get(l.team_id.as_str()) else {
            continue;
        };
        let mine: Vec<&(&RecommendationInput, &UnitInput)> = l
            .replaces
            .iter()
            .filter_map(|id| originals.get(id.as_str()))
            .filter(|(_, u)| u.team_id == l.team_id)
            .collect();
        replaced.extend(mine.iter().map(|(r, _)| r.id.as_str()));
        let units: BTreeSet<&str> = mine.iter().map(|(_, u)| u.unit_id.as_str()).collect();
        let unit = (units.len() == 1)
            .then(|| mine.first().map(|(_, u)| *u))
            .flatten();
        let follow_up = mine
            .iter()
            .map(|(r, _)| r.follow_up.as_str())
            .min_by_key(|f| follow_up_rank(f))
            .unwrap_or("open");
        out.push(RecommendationLine {
            id: l.id.clone(),
            source: "lead".into(),
            unit_id: unit.map(|u| u.unit_id.clone()),
            unit_name: unit.map(|u| u.name.clone()),
            team_id: l.team_id.clone(),
            team_name: (*team).to_owned(),
            content: l.content.clone(),
            responsible_unit_id: l.responsible_unit_id.clone(),
            responsible: l.responsible_unit_name.clone().or(l.responsible.clone()),
            due_on: l.due_on,
            follow_up: follow_up.into(),
            grouping: l.grouping.clone(),
            replaces: l.replaces.clone(),
            version: Some(l.version),
        });
    }
    for r in i.recommendations {
        let Some((_, u)) = originals.get(r.id.as_str()) else {
            continue;
        };
        if replaced.contains(r.id.as_str()) {
            continue;
        }
        out.push(RecommendationLine {
            id: r.id.clone(),
            source: "inspection".into(),
            unit_id: Some(u.unit_id.clone()),
            unit_name: Some(u.name.clone()),
            team_id: u.team_id.clone(),
            team_name: u.team_name.clone(),
            content: r.content.clone(),
            responsible_unit_id: r.responsible_unit_id.clone(),
            responsible: r.responsible_unit_name.clone().or(r.responsible.clone()),
            due_on: r.due_on,
            follow_up: r.follow_up.clone(),
            grouping: None,
            replaces: Vec::new(),
            version: None,
        });
    }
    out.sort_by(|a, b| {
        (&a.team_name, &a.grouping, &a.unit_name).cmp(&(&b.team_name, &b.grouping, &b.unit_name))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::templates::scoring::ItemStatus;

    #[test]
    fn names_sort_with_numbers_in_numeric_order() {
        let mut names = vec!["Phường 11", "Phường 3", "Phường 1", "Xã An Sơn"];
        names.sort_by_key(|n| natural(n));
        assert_eq!(names, ["Phường 1", "Phường 3", "Phường 11", "Xã An Sơn"]);
        assert!(kind_rank("department") < kind_rank("commune"));
    }
    use serde_json::json;

    fn template() -> Template {
        serde_json::from_value(json!({
            "code": "t", "title": "T",
            "scoring": {"max_score": 100, "bands": [
                {"code": "tot", "label": "Tốt", "min": 85}, {"code": "kha", "label": "Khá", "min": 70},
                {"code": "yeu", "label": "Yếu", "min": 0}]},
            "sections": [
                {"id": "s1", "title": "Phần 1", "items": [
                    {"id": "a", "type": "yes_no", "label": "A", "max_points": 10},
                    {"id": "b", "type": "yes_no", "label": "B", "max_points": 10}]},
                {"id": "s2", "title": "Phần 2", "items": [
                    {"id": "c", "type": "yes_no", "label": "C", "max_points": 10},
                    {"id": "note", "type": "text", "label": "Ghi chú"}]}
            ]
        }))
        .unwrap()
    }

    fn item(id: &str, short: bool) -> ItemScore {
        ItemScore {
            item_id: id.into(),
            status: ItemStatus::Scored,
            points: if short { 0.0 } else { 10.0 },
            max_points: 10.0,
            fell_short: short,
        }
    }

    fn unit(n: u8, team: &str, status: Option<&str>, score: f64, short: &[&str]) -> UnitInput {
        let band = if score >= 85.0 { "tot" } else { "yeu" };
        UnitInput {
            unit_id: format!("u{n}"),
            code: format!("U{n}"),
            name: format!("Xã số {n}"),
            kind: "commune".into(),
            team_id: team.into(),
            team_name: format!("Đoàn {team}"),
            inspection: status.map(|s| InspectionInput {
                id: format!("i{n}"),
                status: s.into(),
                score: Some(score),
                band: Some(band.into()),
                strengths: Some(format!("Ưu điểm {n}")),
                shortcomings: None,
                causes: None,
                approved_at: None,
                items: ["a", "b", "c"]
                    .iter()
                    .map(|i| item(i, short.contains(i)))
                    .collect(),
            }),
        }
    }

    fn rec(id: &str, inspection: &str, follow_up: &str) -> RecommendationInput {
        RecommendationInput {
            id: id.into(),
            inspection_id: inspection.into(),
            content: format!("Kiến nghị {id}"),
            responsible_unit_id: None,
            responsible_unit_name: None,
            responsible: Some("UBND xã".into()),
            due_on: None,
            follow_up: follow_up.into(),
        }
    }

    fn round() -> RoundInput {
        RoundInput {
            id: "r".into(),
            name: "Đợt".into(),
            kind: "year".into(),
            starts_on: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            due_on: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            status: "open".into(),
        }
    }

    fn compile_units(units: &[UnitInput], recs: &[RecommendationInput]) -> Summary {
        compile(&Inputs {
            round: &round(),
            template: &template(),
            units,
            recommendations: recs,
            lead_recommendations: &[],
            conclusions: &[],
        })
    }

    #[test]
    fn only_approved_inspections_count_and_pending_ones_are_told() {
        let units = [
            unit(1, "1", Some("approved"), 100.0, &[]),
            unit(2, "1", Some("approved"), 60.0, &["a", "c"]),
            // Submitted with a perfect score: not official, not in any figure.
            unit(3, "2", Some("submitted"), 100.0, &[]),
            unit(4, "2", Some("draft"), 10.0, &["a", "b", "c"]),
            unit(5, "2", None, 0.0, &[]),
        ];
        let s = compile_units(&units, &[rec("r1", "i1", "open"), rec("r3", "i3", "open")]);
        assert_eq!(
            s.counts,
            Counts {
                assigned: 5,
                approved: 2,
                pending: 3,
                not_started: 1
            }
        );
        assert_eq!(s.mean_score, Some(80.0));
        let counts: Vec<(&str, usize)> = s
            .distribution
            .iter()
            .map(|b| (b.code.as_str(), b.count))
            .collect();
        assert_eq!(counts, [("tot", 1), ("kha", 0), ("yeu", 1)]);
        assert_eq!(s.distribution[0].share, 0.5);
        let u3 = s.units.iter().find(|u| u.unit_id == "u3").unwrap();
        assert!(!u3.counted && u3.score.is_none() && u3.band.is_none());
        assert_eq!(u3.status, "submitted");
        let u5 = s.units.iter().find(|u| u.unit_id == "u5").unwrap();
        assert_eq!(u5.status, "not_started");
        // The submitted inspection's recommendation and findings are not official yet.
        assert_eq!(s.recommendations.len(), 1);
        assert_eq!(s.recommendations[0].id, "r1");
        assert_eq!(s.findings.len(), 2);
    }

    #[test]
    fn weak_points_are_shares_of_approved_units() {
        let units = [
            unit(1, "1", Some("approved"), 100.0, &[]),
            unit(2, "1", Some("approved"), 60.0, &["a", "c"]),
            unit(3, "1", Some("approved"), 60.0, &["a"]),
            unit(4, "1", Some("approved"), 60.0, &["a", "b"]),
            unit(5, "1", Some("returned"), 0.0, &["b", "c"]),
        ];
        let s = compile_units(&units, &[]);
        let item = |id: &str| s.items.iter().find(|w| w.id == id).unwrap();
        assert_eq!((item("a").counted, item("a").fell_short), (4, 3));
        assert_eq!(item("a").share, 0.75);
        assert_eq!((item("b").fell_short, item("c").fell_short), (1, 1));
        // The text item scores nothing: not a weak point.
        assert!(s.items.iter().all(|w| w.id != "note"));
        let ids: Vec<&str> = s.weakest.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(
            ids,
            ["a", "b", "c"],
            "weakest first, ties in checklist order"
        );
        let s1 = s.sections.iter().find(|w| w.id == "s1").unwrap();
        assert_eq!((s1.counted, s1.fell_short), (4, 3));
        let s2 = s.sections.iter().find(|w| w.id == "s2").unwrap();
        assert_eq!((s2.counted, s2.fell_short), (4, 1));
    }

    #[test]
    fn a_leads_row_stands_in_for_the_ones_it_replaces_in_its_team_only() {
        let units = [
            unit(1, "1", Some("approved"), 100.0, &[]),
            unit(2, "1", Some("approved"), 90.0, &[]),
            unit(3, "2", Some("approved"), 90.0, &[]),
        ];
        let recs = [
            rec("r1", "i1", "done"),
            rec("r2", "i2", "in_progress"),
            rec("r3", "i3", "open"),
            rec("r4", "i1", "open"),
        ];
        let lead = LeadRecommendationInput {
            id: "l1".into(),
            team_id: "1".into(),
            // r3 belongs to team 2: it is not hidden by team 1's lead.
            replaces: vec!["r1".into(), "r2".into(), "r3".into()],
            grouping: Some("Cải cách hành chính".into()),
            content: "Gộp: đẩy mạnh cải cách hành chính".into(),
            responsible_unit_id: None,
            responsible_unit_name: None,
            responsible: None,
            due_on: None,
            version: 1,
        };
        let s = compile(&Inputs {
            round: &round(),
            template: &template(),
            units: &units,
            recommendations: &recs,
            lead_recommendations: std::slice::from_ref(&lead),
            conclusions: &[],
        });
        let ids: BTreeSet<&str> = s.recommendations.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, BTreeSet::from(["l1", "r3", "r4"]));
        let l1 = s.recommendations.iter().find(|r| r.id == "l1").unwrap();
        assert_eq!(l1.source, "lead");
        assert_eq!(
            l1.follow_up, "in_progress",
            "the least advanced it replaces"
        );
        assert!(l1.unit_id.is_none(), "spans two units");
    }
}

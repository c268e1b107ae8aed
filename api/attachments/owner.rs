//! Whose an attachment is, and the one table of owner kinds and the files each accepts. Who may
//! read them is each owner's rule, applied above this module (`crate::files::access`), so this
//! lower layer imports no owning area. Adding an owner is one arm in each `match` here and one
//! in `files::access` (docs/attachments.md).

use super::kind::FileKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKind {
    /// A document a unit sent for an obligation (obligations/); `owner_id` is the
    /// `unit_reports` row.
    UnitReport,
    /// A khắc phục note's documents and photos (recommendations/); `owner_id` is the
    /// `remedies` row.
    Remedy,
    /// Evidence of one item of a unit's self-assessment (selfcheck/); `owner_id` is
    /// `<self-assessment id>/<item id>`, the key of the item's `self_answers` row (a pair:
    /// the row has no id of its own).
    SelfAssessmentItem,
    /// A điểm sáng's files (brightspots/); `owner_id` is the `bright_spots` row.
    BrightSpot,
}

impl OwnerKind {
    /// Every owner kind (add the new one here too).
    pub const ALL: &'static [OwnerKind] = &[
        OwnerKind::UnitReport,
        OwnerKind::Remedy,
        OwnerKind::SelfAssessmentItem,
        OwnerKind::BrightSpot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::UnitReport => "unit_report",
            OwnerKind::Remedy => "remedy",
            OwnerKind::SelfAssessmentItem => "self_assessment_item",
            OwnerKind::BrightSpot => "bright_spot",
        }
    }

    pub fn parse(s: &str) -> Option<OwnerKind> {
        match s {
            "unit_report" => Some(OwnerKind::UnitReport),
            "remedy" => Some(OwnerKind::Remedy),
            "self_assessment_item" => Some(OwnerKind::SelfAssessmentItem),
            "bright_spot" => Some(OwnerKind::BrightSpot),
            _ => None,
        }
    }

    /// The kinds of file this owner takes.
    pub fn accepts(self) -> &'static [FileKind] {
        match self {
            // The plan asks for the document itself: DOCX or PDF.
            OwnerKind::UnitReport => &[FileKind::Docx, FileKind::Pdf],
            // Evidence: "photos or documents" (issue 18); photos are decoded before kept.
            OwnerKind::Remedy | OwnerKind::SelfAssessmentItem | OwnerKind::BrightSpot => &[
                FileKind::Pdf,
                FileKind::Docx,
                FileKind::Jpeg,
                FileKind::Png,
                FileKind::Webp,
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for &k in OwnerKind::ALL {
            assert_eq!(OwnerKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(OwnerKind::parse("evidence"), None);
    }

    #[test]
    fn unit_reports_take_documents_only() {
        let a = OwnerKind::UnitReport.accepts();
        assert!(a.contains(&FileKind::Pdf) && a.contains(&FileKind::Docx));
        assert!(!a.contains(&FileKind::Jpeg));
    }

    #[test]
    fn evidence_owners_take_photos_and_documents() {
        for k in [
            OwnerKind::Remedy,
            OwnerKind::SelfAssessmentItem,
            OwnerKind::BrightSpot,
        ] {
            assert_eq!(k.accepts().len(), 5, "{k:?}");
            assert!(k.accepts().contains(&FileKind::Webp));
        }
    }
}

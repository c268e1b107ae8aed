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
}

impl OwnerKind {
    /// Every owner kind (add the new one here too).
    pub const ALL: &'static [OwnerKind] = &[OwnerKind::UnitReport];

    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::UnitReport => "unit_report",
        }
    }

    pub fn parse(s: &str) -> Option<OwnerKind> {
        match s {
            "unit_report" => Some(OwnerKind::UnitReport),
            _ => None,
        }
    }

    /// The kinds of file this owner takes.
    pub fn accepts(self) -> &'static [FileKind] {
        match self {
            // The plan asks for the document itself: DOCX or PDF.
            OwnerKind::UnitReport => &[FileKind::Docx, FileKind::Pdf],
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
}

//! The Vietnamese words reports print for the codes the API returns, and the ASCII slugs of
//! Vietnamese names that file names are made of.

use super::summary::UnitResult;

// Defined below the reports (the evidence archive prints them too) and re-exported here,
// where the reports' other words are.
pub use crate::inspections::workflow::status_label as status;
pub use crate::text::{percent, score, slug};

pub fn unit_kind(code: &str) -> &'static str {
    match code {
        "department" => "Sở, ban, ngành",
        "commune" => "Xã",
        "ward" => "Phường",
        _ => "Khác",
    }
}

pub fn follow_up(code: &str) -> &'static str {
    match code {
        "done" => "Đã thực hiện",
        "in_progress" => "Đang thực hiện",
        _ => "Chưa thực hiện",
    }
}

/// How a unit stood against the round's deadline: late marks, or "Đúng hạn" once approved on
/// time; nothing while an inspection is pending and not late.
pub fn timeliness(u: &UnitResult) -> Option<&'static str> {
    match (u.submitted_late, u.approved_late) {
        (true, true) => Some("Nộp muộn, duyệt muộn"),
        (true, false) => Some("Nộp muộn"),
        (false, true) => Some("Duyệt muộn"),
        (false, false) if u.counted => Some("Đúng hạn"),
        (false, false) => None,
    }
}

pub fn source(code: &str) -> &'static str {
    match code {
        "lead" => "Trưởng đoàn tổng hợp",
        _ => "Đoàn kiểm tra ghi nhận",
    }
}

//! The Vietnamese words reports print for the codes the API returns, and the ASCII slugs of
//! Vietnamese names that file names are made of.

use unicode_normalization::UnicodeNormalization;

use super::summary::UnitResult;

pub fn status(code: &str) -> &'static str {
    match code {
        "not_started" => "Chưa kiểm tra",
        "draft" => "Đang kiểm tra",
        "submitted" => "Chờ duyệt",
        "returned" => "Trả lại để bổ sung",
        "approved" => "Đã duyệt",
        _ => "Không rõ",
    }
}

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

/// A score as Vietnamese print writes it: decimal comma, at most two decimals.
pub fn score(x: f64) -> String {
    let s = format!("{:.2}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

/// A share as a percentage with one decimal, decimal comma.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0).replace('.', ",")
}

/// A Vietnamese name as a file name every system keeps: lowercase ASCII words joined by `-`
/// ("Kiểm tra năm 2026" → "kiem-tra-nam-2026"), at most `max` characters, cut at a word.
pub fn slug(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.nfd() {
        let c = match c {
            'đ' | 'Đ' => 'd',
            c if c.is_ascii_alphanumeric() => c.to_ascii_lowercase(),
            // Combining marks (the tones and hats NFD split off) vanish.
            c if !c.is_ascii() && unicode_normalization::char::is_combining_mark(c) => continue,
            _ => {
                dash = !out.is_empty();
                continue;
            }
        };
        if dash {
            out.push('-');
            dash = false;
        }
        out.push(c);
    }
    if out.len() > max {
        let cut = out[..=max].rfind('-').unwrap_or(max);
        out.truncate(cut);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_use_the_decimal_comma() {
        assert_eq!(super::score(86.5), "86,5");
        assert_eq!(super::score(90.0), "90");
        assert_eq!(super::score(56.67), "56,67");
        assert_eq!(super::percent(0.375), "37,5%");
    }

    #[test]
    fn slugs_drop_the_marks_and_keep_the_words() {
        assert_eq!(
            super::slug("Kiểm tra công tác dân vận chính quyền năm 2026", 80),
            "kiem-tra-cong-tac-dan-van-chinh-quyen-nam-2026"
        );
        assert_eq!(super::slug("Phường Vinh Hưng 1", 80), "phuong-vinh-hung-1");
        assert_eq!(
            super::slug("ĐOÀN số 2 / Sở Nội vụ", 80),
            "doan-so-2-so-noi-vu"
        );
        assert_eq!(super::slug("Xã Nghĩa Đàn", 12), "xa-nghia-dan");
        assert_eq!(super::slug("Xã Nghĩa Đàn", 10), "xa-nghia");
        assert_eq!(super::slug("  ", 10), "");
    }
}

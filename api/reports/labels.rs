//! The Vietnamese words reports print for the codes the API returns.

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

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_use_the_decimal_comma() {
        assert_eq!(super::score(86.5), "86,5");
        assert_eq!(super::score(90.0), "90");
        assert_eq!(super::score(56.67), "56,67");
        assert_eq!(super::percent(0.375), "37,5%");
    }
}

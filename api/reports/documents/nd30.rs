//! The words Nghị định 30/2020/NĐ-CP (Phụ lục I) fixes: the place-and-date line, the period a
//! report's title names, and the opening that cites the plan. Pure functions, no IO.

use chrono::{Datelike, NaiveDate, NaiveDateTime};

/// "ngày 05 tháng 02 năm 2026": a zero before days under 10 and before months 1 and 2 only
/// (so "tháng 3", "tháng 11"), as the decree writes dates in words.
pub fn date_in_words(d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

/// "Nghệ An, ngày 05 tháng 3 năm 2026".
pub fn place_and_date(place: &str, d: NaiveDate) -> String {
    format!("{}, {}", place.trim(), date_in_words(d))
}

/// A date in figures as documents cite one: "05/3/2026" (the decree's figures follow the
/// same padding rule as its words).
pub fn date_in_figures(d: NaiveDate) -> String {
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("{:02}/{month}/{}", d.day(), d.year())
}

/// What a round's report covers, for its title (trích yếu): "sơ kết 6 tháng đầu năm 2026"
/// for a half-year round, "năm 2026" for a year round, the round's own name (lower-cased
/// first letter, so it reads inside the sentence) for a thematic one.
pub fn period(kind: &str, round_name: &str, year: i32) -> String {
    match kind {
        "half_year" => format!("sơ kết 6 tháng đầu năm {year}"),
        "year" => format!("năm {year}"),
        _ => mid_sentence(round_name),
    }
}

/// The report's trích yếu: "Kết quả kiểm tra công tác dân vận chính quyền năm 2026".
pub fn report_subject(kind: &str, round_name: &str, year: i32) -> String {
    match kind {
        "half_year" | "year" => format!(
            "Kết quả kiểm tra công tác dân vận chính quyền {}",
            period(kind, round_name, year)
        ),
        _ => format!("Kết quả {}", mid_sentence(round_name)),
    }
}

/// The plan a round carries out, as stored on the round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// e.g. `125/KH-BCĐ`.
    pub number: Option<String>,
    pub date: Option<NaiveDate>,
}

/// Who issues the province's plan of the year.
pub const PLAN_ISSUER: &str = "Ban Chỉ đạo thực hiện công tác dân vận chính quyền tỉnh";

/// The basis a document opens with: "Thực hiện Kế hoạch số 125/KH-BCĐ ngày 05/3/2026 của Ban
/// Chỉ đạo …". Without a plan number, a neutral opening that still reads as a sentence start.
pub fn basis(plan: &Plan) -> String {
    match (&plan.number, plan.date) {
        (Some(n), Some(d)) if !n.trim().is_empty() => format!(
            "Thực hiện Kế hoạch số {} ngày {} của {PLAN_ISSUER}",
            n.trim(),
            date_in_figures(d)
        ),
        (Some(n), None) if !n.trim().is_empty() => {
            format!("Thực hiện Kế hoạch số {} của {PLAN_ISSUER}", n.trim())
        }
        _ => format!("Thực hiện kế hoạch kiểm tra của {PLAN_ISSUER}"),
    }
}

/// A name as it reads mid-sentence: its first letter lower-cased ("Kiểm tra …" → "kiểm tra
/// …"), unless it starts with an acronym ("UBND …").
pub fn mid_sentence(s: &str) -> String {
    let s = s.trim();
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s.to_owned(),
    }
}

/// A stored UTC time as read where the documents are signed (`KIEMTRA_TIMEZONE`,
/// Asia/Ho_Chi_Minh by default; `api/time.rs`).
pub fn local(utc: NaiveDateTime) -> NaiveDateTime {
    crate::time::local(utc).naive_local()
}

/// "14 giờ 30 phút" (local time).
pub fn clock_in_words(t: NaiveDateTime) -> String {
    use chrono::Timelike;
    format!("{} giờ {:02} phút", t.hour(), t.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn days_under_ten_and_months_one_and_two_take_a_zero() {
        assert_eq!(date_in_words(d(2026, 2, 5)), "ngày 05 tháng 02 năm 2026");
        assert_eq!(date_in_words(d(2026, 1, 31)), "ngày 31 tháng 01 năm 2026");
        assert_eq!(date_in_words(d(2026, 3, 15)), "ngày 15 tháng 3 năm 2026");
        assert_eq!(date_in_words(d(2026, 5, 1)), "ngày 01 tháng 5 năm 2026");
        assert_eq!(date_in_words(d(2026, 11, 30)), "ngày 30 tháng 11 năm 2026");
        assert_eq!(date_in_words(d(2026, 12, 9)), "ngày 09 tháng 12 năm 2026");
        assert_eq!(
            place_and_date(" Nghệ An ", d(2026, 3, 5)),
            "Nghệ An, ngày 05 tháng 3 năm 2026"
        );
        assert_eq!(date_in_figures(d(2026, 3, 5)), "05/3/2026");
        assert_eq!(date_in_figures(d(2026, 2, 14)), "14/02/2026");
    }

    #[test]
    fn the_title_names_the_period_of_the_round() {
        assert_eq!(
            period("half_year", "x", 2026),
            "sơ kết 6 tháng đầu năm 2026"
        );
        assert_eq!(period("year", "x", 2026), "năm 2026");
        assert_eq!(
            report_subject("half_year", "x", 2026),
            "Kết quả kiểm tra công tác dân vận chính quyền sơ kết 6 tháng đầu năm 2026"
        );
        assert_eq!(
            report_subject("thematic", "Kiểm tra chuyên đề tiếp công dân", 2026),
            "Kết quả kiểm tra chuyên đề tiếp công dân"
        );
    }

    #[test]
    fn the_opening_cites_the_plan_or_reads_neutrally() {
        let full = Plan {
            number: Some("125/KH-BCĐ".into()),
            date: Some(d(2026, 3, 5)),
        };
        assert_eq!(
            basis(&full),
            "Thực hiện Kế hoạch số 125/KH-BCĐ ngày 05/3/2026 của Ban Chỉ đạo thực hiện công tác dân vận chính quyền tỉnh"
        );
        let none = Plan {
            number: None,
            date: None,
        };
        assert!(basis(&none).starts_with("Thực hiện kế hoạch kiểm tra của Ban Chỉ đạo"));
        assert_eq!(mid_sentence("Kiểm tra năm 2026"), "kiểm tra năm 2026");
        assert_eq!(mid_sentence("UBND tỉnh"), "UBND tỉnh");
    }

    #[test]
    fn local_time_is_seven_hours_ahead() {
        let utc = d(2026, 12, 1).and_hms_opt(22, 21, 0).unwrap();
        assert_eq!(local(utc), d(2026, 12, 2).and_hms_opt(5, 21, 0).unwrap());
        assert_eq!(clock_in_words(local(utc)), "5 giờ 21 phút");
    }
}

//! How pages write dates, times, scores and states: local time (`KIEMTRA_TIMEZONE`,
//! Asia/Ho_Chi_Minh by default), dd/mm/yyyy, decimal comma, Vietnamese words.

use chrono::{NaiveDate, NaiveDateTime};

/// `02/12/2026`.
pub fn date(d: NaiveDate) -> String {
    crate::time::date_vn(d)
}

/// A stored UTC time, local: `02/12/2026 05:21`.
pub fn datetime(t: NaiveDateTime) -> String {
    crate::time::local(t).format("%d/%m/%Y %H:%M").to_string()
}

pub fn datetime_opt(t: Option<NaiveDateTime>) -> String {
    t.map(datetime).unwrap_or_default()
}

/// `91,5`.
pub fn score(x: Option<f64>) -> String {
    x.map(crate::reports::labels::score).unwrap_or_default()
}

/// An inspection's state as the dashboard names it.
pub fn status(code: &str) -> &'static str {
    match code {
        "not_started" => "Chưa bắt đầu",
        "draft" => "Đang làm",
        "submitted" => "Đã nộp",
        "returned" => "Trả lại",
        "approved" => "Đã duyệt",
        _ => "Không rõ",
    }
}

/// A round's state.
pub fn round_status(code: &str) -> &'static str {
    match code {
        "planned" => "Chưa mở",
        "open" => "Đang mở",
        "closed" => "Đã đóng",
        _ => "Không rõ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_evening_in_utc_reads_as_the_next_local_morning() {
        let t = NaiveDate::from_ymd_opt(2026, 12, 1)
            .and_then(|d| d.and_hms_opt(22, 21, 0))
            .unwrap_or_default();
        assert_eq!(datetime(t), "02/12/2026 05:21");
        assert_eq!(score(Some(91.5)), "91,5");
        assert_eq!(status("submitted"), "Đã nộp");
    }
}

//! An obligation's status, computed when read (pure): not sent, sent on time, sent late; and
//! whether an unsent one is overdue or due soon. The first submission decides timeliness
//! (docs/unit-reports.md: a later correction does not un-send what arrived on time, nor make
//! a late one on time).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = ObligationStatus)]
pub enum Status {
    /// Chưa nộp.
    NotSubmitted,
    /// Nộp đúng hạn.
    OnTime,
    /// Nộp muộn.
    Late,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::NotSubmitted => "not_submitted",
            Status::OnTime => "on_time",
            Status::Late => "late",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::NotSubmitted => "Chưa nộp",
            Status::OnTime => "Nộp đúng hạn",
            Status::Late => "Nộp muộn",
        }
    }
}

/// The status from the first submission's time (UTC) and the due date (local day, inclusive:
/// on time up to the day's last instant in `tz`).
pub fn status_in(tz: chrono_tz::Tz, first: Option<NaiveDateTime>, due_on: NaiveDate) -> Status {
    match first {
        None => Status::NotSubmitted,
        Some(t) if crate::time::is_late_in(tz, t, due_on) => Status::Late,
        Some(_) => Status::OnTime,
    }
}

/// [`status_in`] in the local zone.
pub fn status(first: Option<NaiveDateTime>, due_on: NaiveDate) -> Status {
    status_in(crate::time::zone(), first, due_on)
}

/// Not sent and its due day has passed.
pub fn overdue(status: Status, due_on: NaiveDate, today: NaiveDate) -> bool {
    status == Status::NotSubmitted && today > due_on
}

/// Not sent and due within `days` (today included), or overdue: what reminders are for.
pub fn needs_reminder(status: Status, due_on: NaiveDate, today: NaiveDate, days: i64) -> bool {
    status == Status::NotSubmitted && (due_on - today).num_days() <= days
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Ho_Chi_Minh as VN;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn utc(m: u32, day: u32, h: u32) -> NaiveDateTime {
        d(m, day).and_hms_opt(h, 0, 0).unwrap()
    }

    #[test]
    fn the_due_day_counts_to_its_local_end() {
        let due = d(3, 10);
        assert_eq!(status_in(VN, None, due), Status::NotSubmitted);
        assert_eq!(status_in(VN, Some(utc(3, 9, 2)), due), Status::OnTime);
        // 16:59 UTC on 10/3 is 23:59 in Vietnam: still on the due day.
        let last = d(3, 10).and_hms_opt(16, 59, 0).unwrap();
        assert_eq!(status_in(VN, Some(last), due), Status::OnTime);
        // 17:00 UTC on 10/3 is 00:00 on 11/3 in Vietnam: late.
        assert_eq!(status_in(VN, Some(utc(3, 10, 17)), due), Status::Late);
        assert_eq!(status_in(VN, Some(utc(4, 1, 2)), due), Status::Late);
    }

    #[test]
    fn overdue_and_reminders() {
        let due = d(3, 10);
        assert!(!overdue(Status::NotSubmitted, due, d(3, 10)));
        assert!(overdue(Status::NotSubmitted, due, d(3, 11)));
        assert!(!overdue(Status::Late, due, d(3, 11)));
        assert!(!needs_reminder(Status::NotSubmitted, due, d(3, 2), 7));
        assert!(needs_reminder(Status::NotSubmitted, due, d(3, 3), 7));
        assert!(needs_reminder(Status::NotSubmitted, due, d(5, 1), 7));
        assert!(!needs_reminder(Status::OnTime, due, d(3, 9), 7));
    }
}

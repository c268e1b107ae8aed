//! A recommendation's status as people follow it up: pure, over its stored follow-up and due
//! date and the current instant.
//!
//! The stored `follow_up` (`open`, `in_progress`, `done`) says what the unit reported; the
//! status adds time: a recommendation not done by the end of its due day (local calendar,
//! see `time::day_end_in`) is `overdue` (quá hạn), whatever the unit reported short of done.

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use serde::Serialize;
use utoipa::ToSchema;

/// What the follow-up of a recommendation stands at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = RecommendationStatus)]
pub enum Status {
    /// Mới: nothing reported yet.
    New,
    /// Đang thực hiện.
    InProgress,
    /// Đã thực hiện.
    Done,
    /// Quá hạn: the due day has ended and it is not done.
    Overdue,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::New,
        Status::InProgress,
        Status::Done,
        Status::Overdue,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::Overdue => "overdue",
        }
    }

    /// The Vietnamese label people read.
    pub fn label_vi(self) -> &'static str {
        match self {
            Status::New => "Mới",
            Status::InProgress => "Đang thực hiện",
            Status::Done => "Đã thực hiện",
            Status::Overdue => "Quá hạn",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still owed: anything but done (what re-inspection and the report's earlier-round
    /// section look at).
    pub fn open(self) -> bool {
        self != Status::Done
    }
}

/// The status of a recommendation with stored `follow_up` and `due_on`, at UTC instant `now`,
/// deadlines read in `tz`. An unknown stored value reads as `open` (the database refuses
/// others; this keeps the function total).
pub fn status_in(tz: Tz, follow_up: &str, due_on: Option<NaiveDate>, now: NaiveDateTime) -> Status {
    if follow_up == "done" {
        return Status::Done;
    }
    if due_on.is_some_and(|d| crate::time::is_late_in(tz, now, d)) {
        return Status::Overdue;
    }
    if follow_up == "in_progress" {
        Status::InProgress
    } else {
        Status::New
    }
}

/// [`status_in`] in the local zone, now.
pub fn status_now(follow_up: &str, due_on: Option<NaiveDate>) -> Status {
    status_in(
        crate::time::zone(),
        follow_up,
        due_on,
        chrono::Utc::now().naive_utc(),
    )
}

/// Whether round `a` came before round `b`, each given as (start date, creation time, id):
/// by start date, then by when it was made, then by id, so the order is total.
pub fn earlier(a: (NaiveDate, NaiveDateTime, &str), b: (NaiveDate, NaiveDateTime, &str)) -> bool {
    a < b
}

#[cfg(test)]
mod tests {
    use super::*;

    const VN: Tz = chrono_tz::Asia::Ho_Chi_Minh;

    fn at(s: &str) -> NaiveDateTime {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().naive_utc()
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn follow_up_maps_to_status_before_the_deadline() {
        let now = at("2026-12-02T05:00:00Z");
        let due = day(2027, 3, 31);
        assert_eq!(status_in(VN, "open", due, now), Status::New);
        assert_eq!(status_in(VN, "in_progress", due, now), Status::InProgress);
        assert_eq!(status_in(VN, "done", due, now), Status::Done);
        // No due date: never overdue.
        assert_eq!(status_in(VN, "open", None, now), Status::New);
        assert_eq!(status_in(VN, "whatever", None, now), Status::New);
    }

    #[test]
    fn overdue_from_the_first_instant_of_the_next_local_day() {
        let due = day(2026, 11, 30);
        // 23:59:59 local on the due day: still in time.
        let last = at("2026-11-30T23:59:59+07:00");
        assert_eq!(status_in(VN, "open", due, last), Status::New);
        assert_eq!(status_in(VN, "in_progress", due, last), Status::InProgress);
        // 00:00 local the next day (17:00 UTC on the due day): overdue, unless done.
        let next = at("2026-11-30T17:00:00Z");
        assert_eq!(status_in(VN, "open", due, next), Status::Overdue);
        assert_eq!(status_in(VN, "in_progress", due, next), Status::Overdue);
        assert_eq!(status_in(VN, "done", due, next), Status::Done);
        // The same instant read in UTC is still the due day.
        assert_eq!(status_in(chrono_tz::UTC, "open", due, next), Status::New);
    }

    #[test]
    fn codes_and_labels_round_trip() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.code()), Some(s));
            assert!(!s.label_vi().is_empty());
        }
        assert_eq!(Status::parse("quá hạn"), None);
        assert_eq!(Status::Overdue.label_vi(), "Quá hạn");
        assert_eq!(Status::InProgress.label_vi(), "Đang thực hiện");
        assert!(Status::Overdue.open() && Status::New.open() && !Status::Done.open());
        let v = serde_json::to_value(Status::InProgress).unwrap();
        assert_eq!(v, "in_progress");
    }

    #[test]
    fn rounds_order_by_start_then_creation() {
        let t = at("2026-01-01T00:00:00Z");
        let later = at("2026-02-01T00:00:00Z");
        let (d1, d2) = (day(2026, 1, 1).unwrap(), day(2027, 1, 1).unwrap());
        assert!(earlier((d1, later, "b"), (d2, t, "a")));
        assert!(!earlier((d2, t, "a"), (d1, later, "b")));
        assert!(earlier((d1, t, "z"), (d1, later, "a")));
        assert!(!earlier((d1, t, "a"), (d1, t, "a")));
    }
}

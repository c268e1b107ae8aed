//! Time as the API writes it and as people read it.
//!
//! The database stores UTC without a zone (portable across both engines); every timestamp the
//! JSON API writes is RFC 3339 in UTC (`…Z`, [`utc`]), so no client has to guess the zone.
//! Everything a person reads (documents, XLSX, CSV, the evidence manifest, messages) is in the
//! local zone, `KIEMTRA_TIMEZONE` (IANA name, `Asia/Ho_Chi_Minh` by default): an approval at
//! 22:21 UTC on 1 December happened on 02/12 in Nghệ An, and that is the date printed.
//!
//! A deadline is a local calendar day and means the whole of it: work is late only from the
//! first instant of the next local day ([`is_late`]).
//!
//! The zone is process-wide, set once at startup ([`install`]); each `_in` function takes it
//! explicitly, so the rules are tested for any zone without touching the process's.

use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde::Serializer;

/// The zone when `KIEMTRA_TIMEZONE` is not set.
pub const DEFAULT_ZONE: &str = "Asia/Ho_Chi_Minh";

static ZONE: OnceLock<Tz> = OnceLock::new();

/// An IANA zone name, or a message saying what is wrong with it.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    name.trim().parse::<Tz>().map_err(|_| {
        format!("timezone `{name}` is not an IANA time zone name (such as {DEFAULT_ZONE})")
    })
}

/// Sets the process's local zone. Once set it stays: servers sharing a process (tests) must
/// agree on the zone, so a second, different zone is refused rather than silently ignored.
pub fn install(tz: Tz) -> Result<(), String> {
    let set = *ZONE.get_or_init(|| tz);
    if set == tz {
        Ok(())
    } else {
        Err(format!(
            "timezone already set to {} in this process; cannot change it to {}",
            set.name(),
            tz.name()
        ))
    }
}

/// The local zone people read times in.
pub fn zone() -> Tz {
    ZONE.get().copied().unwrap_or(chrono_tz::Asia::Ho_Chi_Minh)
}

/// A stored UTC time on the local clock of `tz`.
pub fn local_in(tz: Tz, t: NaiveDateTime) -> DateTime<Tz> {
    tz.from_utc_datetime(&t)
}

/// A stored UTC time on the local clock.
pub fn local(t: NaiveDateTime) -> DateTime<Tz> {
    local_in(zone(), t)
}

/// The local calendar day of a stored UTC time.
pub fn local_date(t: NaiveDateTime) -> NaiveDate {
    local(t).date_naive()
}

/// Today, on the local calendar.
pub fn today_local() -> NaiveDate {
    local(chrono::Utc::now().naive_utc()).date_naive()
}

/// The end of local day `d` in `tz`, as a UTC instant: the first instant of the next local day
/// (an exclusive bound). Where a daylight-saving jump skips midnight, the first local time
/// that exists.
pub fn day_end_in(tz: Tz, d: NaiveDate) -> NaiveDateTime {
    let Some(next) = d.succ_opt() else {
        return NaiveDateTime::MAX;
    };
    (0..24 * 4)
        .map(|quarter| next.and_time(NaiveTime::MIN) + chrono::TimeDelta::minutes(15 * quarter))
        .find_map(|t| tz.from_local_datetime(&t).earliest())
        .map_or(next.and_time(NaiveTime::MIN), |t| t.naive_utc())
}

/// The end of local day `d` as a UTC instant (see [`day_end_in`]).
pub fn day_end(d: NaiveDate) -> NaiveDateTime {
    day_end_in(zone(), d)
}

/// Whether something done at UTC time `t` missed a deadline on local day `due_on` in `tz`: on
/// time up to the last instant of that day, late from the next day's first.
pub fn is_late_in(tz: Tz, t: NaiveDateTime, due_on: NaiveDate) -> bool {
    t >= day_end_in(tz, due_on)
}

/// [`is_late_in`] in the local zone.
pub fn is_late(t: NaiveDateTime, due_on: NaiveDate) -> bool {
    is_late_in(zone(), t, due_on)
}

/// A date as Vietnamese text writes it: `02/12/2026`.
pub fn date_vn(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The local clock time of a stored UTC time: `05:21`.
pub fn clock(t: NaiveDateTime) -> String {
    local(t).format("%H:%M").to_string()
}

/// A stored UTC time as local RFC 3339 with the zone's offset, to the second:
/// `2026-12-02T05:21:00+07:00`. For files people read that still want a full timestamp.
pub fn local_rfc3339(t: NaiveDateTime) -> String {
    local(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

/// `serialize_with` for a stored UTC time: `2026-12-02T05:21:00.123456Z`.
pub fn utc<S: Serializer>(t: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(
        &t.and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
    )
}

/// The same for an optional time (`null` when absent).
pub fn utc_opt<S: Serializer>(t: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => utc(t, s),
        None => s.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        chrono::DateTime::parse_from_rfc3339(s).unwrap().naive_utc()
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const VN: Tz = chrono_tz::Asia::Ho_Chi_Minh;

    #[test]
    fn stored_times_are_written_with_their_offset() {
        #[derive(serde::Serialize)]
        struct Row {
            #[serde(serialize_with = "utc")]
            at: NaiveDateTime,
            #[serde(serialize_with = "utc_opt")]
            maybe: Option<NaiveDateTime>,
        }
        let at = at("2026-12-01T22:21:00.5+00:00");
        let v = serde_json::to_value(Row { at, maybe: None }).unwrap();
        assert_eq!(v["at"], "2026-12-01T22:21:00.500Z");
        assert!(v["maybe"].is_null());
        let back = chrono::DateTime::parse_from_rfc3339(v["at"].as_str().unwrap()).unwrap();
        assert_eq!(back.naive_utc(), at);
    }

    #[test]
    fn an_evening_in_utc_is_the_next_morning_in_vietnam() {
        let t = at("2026-12-01T22:21:00Z");
        assert_eq!(local_in(VN, t).date_naive(), day(2026, 12, 2));
        assert_eq!(date_vn(local_date(t)), "02/12/2026");
        assert_eq!(clock(t), "05:21");
        assert_eq!(local_rfc3339(t), "2026-12-02T05:21:00+07:00");
        let early = at("2026-11-30T23:00:00Z");
        assert_eq!(date_vn(local_date(early)), "01/12/2026");
    }

    #[test]
    fn a_deadline_is_the_end_of_its_local_day() {
        let due = day(2026, 11, 30);
        assert_eq!(day_end_in(VN, due), at("2026-11-30T17:00:00Z"));
        // 23:59 local on the day: on time; 00:00 and 00:01 the next day: late.
        assert!(!is_late_in(VN, at("2026-11-30T23:59:59+07:00"), due));
        assert!(is_late_in(VN, at("2026-12-01T00:00:00+07:00"), due));
        assert!(is_late_in(VN, at("2026-12-01T00:01:00+07:00"), due));
        // 06:00 local on 01/12 is 23:00 UTC on 30/11, and late.
        assert!(is_late_in(VN, at("2026-11-30T23:00:00Z"), due));
        // The same instant in UTC+0 would still be on time.
        assert!(!is_late_in(chrono_tz::UTC, at("2026-11-30T23:00:00Z"), due));
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_ends_at_the_first_time_that_exists() {
        // Santiago springs forward at 00:00 on 6 September 2026: that day starts at 01:00
        // local (04:00 UTC), so 5 September ends there.
        let tz: Tz = "America/Santiago".parse().unwrap();
        assert_eq!(day_end_in(tz, day(2026, 9, 5)), at("2026-09-06T04:00:00Z"));
    }

    #[test]
    fn zone_names_are_checked_and_the_zone_is_set_once() {
        assert_eq!(parse_zone("Asia/Ho_Chi_Minh").unwrap(), VN);
        let e = parse_zone("Asia/Hanoi_City").unwrap_err();
        assert!(e.contains("Asia/Hanoi_City") && e.contains("IANA"), "{e}");
        assert!(parse_zone("+07:00").is_err());
        // The default zone: installing it (again) is always accepted, another one never once
        // the first is set.
        install(VN).unwrap();
        assert_eq!(zone(), VN);
        assert!(install(chrono_tz::UTC).is_err());
    }
}

use super::*;

const ZONE: chrono_tz::Tz = chrono_tz::Asia::Ho_Chi_Minh;
const LIMITS: Limits = Limits {
    max_distance_m: 1000.0,
    max_clock_minutes: 60,
    max_hash_distance: 12,
};
/// Nghi Lộc's commune office, and Cửa Lò's beach some 10 km away.
const NGHI_LOC: (f64, f64) = (18.8076, 105.6486);
const CUA_LO: (f64, f64) = (18.8167, 105.7236);

fn utc(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap_or_default()
}

fn codes(flags: &[Flag]) -> Vec<&'static str> {
    flags.iter().map(|f| f.code).collect()
}

fn expected() -> Expected {
    Expected {
        unit_position: Some(NGHI_LOC),
        // 08:30 on 10/11/2026, Vietnamese time.
        held_at: Some(utc("2026-11-10T01:30:00")),
        round_days: NaiveDate::from_ymd_opt(2026, 9, 1).zip(NaiveDate::from_ymd_opt(2026, 11, 25)),
        same_bytes_here: 0,
        same_bytes_elsewhere: 0,
        similar_here: 0,
        similar_elsewhere: 0,
    }
}

#[test]
fn a_photo_taken_on_site_during_the_meeting_raises_nothing() {
    let f = Facts {
        claimed_taken_at: Some(utc("2026-11-10T01:40:00")),
        claimed_position: Some(NGHI_LOC),
        exif_taken_at: Some("2026-11-10T08:41:00".into()),
        exif_position: Some((18.8080, 105.6490)),
    };
    assert!(flags(&f, &expected(), LIMITS, ZONE).is_empty());
}

#[test]
fn a_photo_from_cua_lo_a_day_earlier_is_flagged_twice() {
    let f = Facts {
        claimed_taken_at: Some(utc("2026-11-10T01:40:00")),
        claimed_position: Some(NGHI_LOC),
        exif_taken_at: Some("2026-11-09T16:05:00".into()),
        exif_position: Some(CUA_LO),
    };
    let found = flags(&f, &expected(), LIMITS, ZONE);
    assert_eq!(
        codes(&found),
        [
            "time_differs_from_claim",
            "taken_on_another_day",
            "far_from_unit"
        ]
    );
    assert!(found[1].message.contains("09/11/2026"), "{found:?}");
    assert!(found[2].message.contains("km"), "{found:?}");
}

#[test]
fn times_outside_the_round_and_reused_bytes_are_flagged() {
    let f = Facts {
        exif_taken_at: Some("2026-08-20T09:00:00+07:00".into()),
        ..Facts::default()
    };
    let e = Expected {
        held_at: None,
        same_bytes_here: 1,
        same_bytes_elsewhere: 2,
        ..expected()
    };
    assert_eq!(
        codes(&flags(&f, &e, LIMITS, ZONE)),
        [
            "taken_outside_round",
            "reused_in_inspection",
            "reused_elsewhere"
        ]
    );
}

#[test]
fn camera_clocks_are_read_in_the_configured_zone() {
    assert_eq!(
        exif_utc("2026-11-10T08:30:00", ZONE),
        Some(utc("2026-11-10T01:30:00"))
    );
    assert_eq!(
        exif_utc("2026-11-10T08:30:00+08:00", ZONE),
        Some(utc("2026-11-10T00:30:00"))
    );
    assert_eq!(exif_utc("rác", ZONE), None);
    let d = distance_m(NGHI_LOC, CUA_LO);
    assert!((7_000.0..9_000.0).contains(&d), "{d}");
}

#[test]
fn near_duplicates_are_flagged_apart_from_reused_bytes() {
    let f = Facts::default();
    let e = Expected {
        similar_here: 1,
        ..expected()
    };
    assert_eq!(
        codes(&flags(&f, &e, LIMITS, ZONE)),
        ["near_duplicate_in_inspection"]
    );
    let e = Expected {
        same_bytes_elsewhere: 1,
        similar_elsewhere: 3,
        ..expected()
    };
    let all = flags(&f, &e, LIMITS, ZONE);
    assert_eq!(
        codes(&all),
        ["reused_elsewhere", "near_duplicate_elsewhere"]
    );
    // The lead reads Vietnamese, and never which unit the other photo belongs to.
    assert!(all[1].message.contains("gần giống"));
    assert!(!all[1].message.contains("Nghi Lộc"));
}

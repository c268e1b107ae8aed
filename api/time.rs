//! Time as the API writes it. The database stores UTC without a zone (portable across both
//! engines); every timestamp a client reads is RFC 3339 with its offset (`…Z`), so no reader
//! has to guess the zone. Dates a person reads are formatted elsewhere, in Asia/Ho_Chi_Minh.

use chrono::NaiveDateTime;
use serde::Serializer;

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

    #[test]
    fn stored_times_are_written_with_their_offset() {
        #[derive(serde::Serialize)]
        struct Row {
            #[serde(serialize_with = "utc")]
            at: NaiveDateTime,
            #[serde(serialize_with = "utc_opt")]
            maybe: Option<NaiveDateTime>,
        }
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-01T22:21:00.5+00:00")
            .unwrap()
            .naive_utc();
        let v = serde_json::to_value(Row { at, maybe: None }).unwrap();
        assert_eq!(v["at"], "2026-12-01T22:21:00.500Z");
        assert!(v["maybe"].is_null());
        let back = chrono::DateTime::parse_from_rfc3339(v["at"].as_str().unwrap()).unwrap();
        assert_eq!(back.naive_utc(), at);
    }
}

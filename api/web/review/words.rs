//! Answers, photo facts and people as a lead reads them: option labels instead of codes,
//! "Có"/"Không", dates dd/mm/yyyy, local times, positions with a map link. The review page
//! and the conflicts page both show answers, so both use these.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::Value;

use crate::db::schema::{devices, users};
use crate::db::DbConn;
use crate::templates::model::{Answer, Item};
use crate::web::format;

/// What a person sees for "not applicable".
pub const NOT_APPLICABLE: &str = "Không áp dụng";

/// A decimal number the Vietnamese way: `2,5`, `12`.
pub fn number(n: f64) -> String {
    crate::reports::labels::score(n)
}

/// A value in words, as the report's answer sheet prints it; empty when there is none.
pub fn value(item: &Item, value: &Value) -> String {
    crate::reports::answer_sheet::words(item, value)
}

/// An answer in words: "Không áp dụng", the value in words, or empty when unanswered.
pub fn answer(item: &Item, a: Option<&Answer>) -> String {
    match a {
        Some(a) if a.na => NOT_APPLICABLE.into(),
        Some(a) => value(item, &a.value),
        None => String::new(),
    }
}

/// Points earned over the maximum: `7,5/10`.
pub fn points(earned: f64, max: f64) -> String {
    format!("{}/{}", number(earned), number(max))
}

/// A position: `18,6796; 105,6813`.
pub fn place(lat: f64, lon: f64) -> String {
    format!(
        "{}; {}",
        format!("{lat:.5}").replace('.', ","),
        format!("{lon:.5}").replace('.', ",")
    )
}

/// A link that shows the position on a map (OpenStreetMap, in a new tab).
pub fn map_link(lat: f64, lon: f64) -> String {
    format!("https://www.openstreetmap.org/?mlat={lat:.6}&mlon={lon:.6}#map=17/{lat:.6}/{lon:.6}")
}

/// The capture time the camera wrote (`2026-05-03T09:12:44+07:00`, the offset optional):
/// with an offset, on the local clock like every other time of the page (and as UTC, to
/// compare); without one, as the camera's own clock read, said so.
pub fn exif_time(raw: &str) -> (String, Option<NaiveDateTime>) {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(raw) {
        let utc = t.naive_utc();
        return (format::datetime(utc), Some(utc));
    }
    match NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S") {
        Ok(t) => (
            format!("{} (giờ của máy ảnh)", t.format("%d/%m/%Y %H:%M")),
            None,
        ),
        Err(_) => (raw.to_owned(), None),
    }
}

/// Full names by user id.
pub fn names(conn: &mut DbConn, ids: &[&str]) -> QueryResult<HashMap<String, String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::full_name))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

/// Device names by device id (a device may have none).
pub fn device_names(conn: &mut DbConn, ids: &[&str]) -> QueryResult<HashMap<String, String>> {
    Ok(devices::table
        .filter(devices::id.eq_any(ids))
        .select((devices::id, devices::name))
        .load::<(String, Option<String>)>(conn)?
        .into_iter()
        .map(|(id, name)| (id, name.unwrap_or_else(|| "Thiết bị không tên".into())))
        .collect())
}

/// A name from `names`, or a plain word when the person is gone.
pub fn name_in(names: &HashMap<String, String>, id: Option<&str>) -> String {
    id.and_then(|i| names.get(i).cloned()).unwrap_or_else(|| {
        if id.is_some() {
            "Người dùng đã xoá"
        } else {
            ""
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(v: Value) -> Item {
        serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn answers_read_in_words() {
        let b = item(
            json!({"id": "b", "type": "single_choice", "label": "B", "options": [
            {"value": "full", "label": "Đầy đủ"}, {"value": "part", "label": "Một phần"}]}),
        );
        assert_eq!(answer(&b, Some(&Answer::value(json!("part")))), "Một phần");
        assert_eq!(answer(&b, Some(&Answer::na())), "Không áp dụng");
        assert_eq!(answer(&b, None), "");
        let a = item(json!({"id": "a", "type": "yes_no", "label": "A"}));
        assert_eq!(value(&a, &json!("yes")), "Có");
        let d =
            item(json!({"id": "d", "type": "rating", "label": "D", "scale": {"min": 1, "max": 5}}));
        assert_eq!(value(&d, &json!(4)), "4/5");
        let n = item(json!({"id": "n", "type": "number", "label": "N"}));
        assert_eq!(value(&n, &json!(2.5)), "2,5");
        assert_eq!(points(7.5, 10.0), "7,5/10");
    }

    #[test]
    fn camera_times_and_places() {
        let (shown, utc) = exif_time("2026-05-03T09:12:44+07:00");
        assert_eq!(shown, "03/05/2026 09:12");
        assert!(utc.is_some());
        let (shown, utc) = exif_time("2026-05-03T09:12:44");
        assert_eq!(shown, "03/05/2026 09:12 (giờ của máy ảnh)");
        assert!(utc.is_none());
        assert_eq!(place(18.6796, 105.6813), "18,67960; 105,68130");
    }
}

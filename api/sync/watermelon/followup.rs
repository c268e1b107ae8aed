//! The follow-up tables of the WatermelonDB face: `notifications` (the caller's own only),
//! `remedies`, `earlier_recommendations` and `self_assessments`. The engine's pull already
//! carries them, scoped (docs/sync.md); here are their columns, and what a team, round or
//! inspection that leaves the device takes of them (`cascade`). A push of them follows the
//! REST API's own rules (`followup_push`), not the engine's mutations.

use diesel::prelude::*;
use serde_json::{json, Map, Value};

use crate::db::schema::{change_heads, recommendations, remedies};
use crate::db::DbConn;
use crate::domain::DomainError;

const NOTIFICATION: &[&str] = &[
    "user_id",
    "kind",
    "title",
    "body",
    "link",
    "round_id",
    "unit_id",
    "created_at",
    "read_at",
    "emailed_at",
];
const REMEDY: &[&str] = &[
    "recommendation_id",
    "inspection_id",
    "note",
    "follow_up",
    "created_by",
    "device_id",
    "created_at",
];
const EARLIER_RECOMMENDATION: &[&str] = &[
    "recommendation_id",
    "assignment_id",
    "for_round_id",
    "inspection_id",
    "round_id",
    "round_name",
    "unit_id",
    "unit_code",
    "unit_name",
    "content",
    "responsible_unit_id",
    "responsible",
    "due_on",
    "follow_up",
    "status",
    "status_vi",
    "version",
];
const SELF_ASSESSMENT: &[&str] = &[
    "round_id",
    "unit_id",
    "template_version_id",
    "status",
    "score",
    "band",
    "submitted_at",
    "version",
];

/// The flat columns of a follow-up entity's table; empty for any other entity.
pub(super) fn columns(entity: &str) -> &'static [&'static str] {
    match entity {
        "notification" => NOTIFICATION,
        "remedy" => REMEDY,
        "earlier_recommendation" => EARLIER_RECOMMENDATION,
        "self_assessment" => SELF_ASSESSMENT,
        _ => &[],
    }
}

/// The columns of a follow-up row that are not taken as they are: `created_at` is
/// WatermelonDB's own column, a number (epoch milliseconds), so notifications and remedies
/// send it so; and JSON documents travel as text (like a checklist's `content`): a
/// self-assessment's `answers` (by item id: `{value, na}`), an earlier recommendation's
/// `latest_remedy` (`null` when it has none).
pub(super) fn documents(entity: &str, data: &Value, m: &mut Map<String, Value>) {
    if matches!(entity, "notification" | "remedy") {
        let ms = data
            .get("created_at")
            .and_then(Value::as_str)
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp_millis());
        m.insert("created_at".into(), json!(ms));
    }
    let column = match entity {
        "self_assessment" => "answers",
        "earlier_recommendation" => "latest_remedy",
        _ => return,
    };
    let v = data.get(column).cloned().unwrap_or(Value::Null);
    let text = if v.is_null() {
        Value::Null
    } else {
        json!(v.to_string())
    };
    m.insert(column.into(), text);
}

/// The follow-up tables, with their entities: a push of them goes through `followup_push`
/// (new remedies and read marks; nothing else), never through the engine's mutations.
pub(super) fn followup_entity(table: &str) -> Option<&'static str> {
    Some(match table {
        "notifications" => "notification",
        "remedies" => "remedy",
        "earlier_recommendations" => "earlier_recommendation",
        "self_assessments" => "self_assessment",
        _ => return None,
    })
}

/// The earlier-recommendation and self-assessment rows keyed to a team or round (by their
/// change heads, which hold the assignment's team and round), as (entity, id). Tombstoned
/// ones too: taking a unit out of a round tombstones its rows in the same transaction that
/// takes the round off the team's devices, and the pull, no longer reading that round, names
/// them only through this cascade (ids a device does not hold are ignored by it).
pub(super) fn keyed_to(
    conn: &mut DbConn,
    entity: &str,
    id: &str,
) -> Result<Vec<(String, String)>, DomainError> {
    let q = change_heads::table
        .filter(change_heads::entity.eq_any(["earlier_recommendation", "self_assessment"]))
        .select((change_heads::entity, change_heads::entity_id))
        .into_boxed();
    let q = match entity {
        "team" => q.filter(change_heads::team_id.eq(id.to_owned())),
        "round" => q.filter(change_heads::round_id.eq(id.to_owned())),
        _ => return Ok(Vec::new()),
    };
    Ok(q.order(change_heads::entity_id.asc()).load(conn)?)
}

/// The remedies of an inspection's recommendations.
pub(super) fn remedies_of(
    conn: &mut DbConn,
    inspection_id: &str,
) -> Result<Vec<String>, DomainError> {
    Ok(remedies::table
        .inner_join(recommendations::table)
        .filter(recommendations::inspection_id.eq(inspection_id))
        .order(remedies::id.asc())
        .select(remedies::id)
        .load(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::watermelon::raw::raw;

    #[test]
    fn a_self_assessment_carries_its_answers_as_json_text() {
        let r = raw(
            "self_assessment",
            "s",
            &json!({"id": "s", "round_id": "r", "unit_id": "u", "status": "submitted",
                "score": 87.5, "band": "kha", "version": 3,
                "answers": {"a": {"value": "yes"}, "b": {"value": null, "na": true}}}),
        );
        assert_eq!(r["score"], json!(87.5));
        assert_eq!(r["status"], json!("submitted"));
        let answers: Value = serde_json::from_str(r["answers"].as_str().unwrap()).unwrap();
        assert_eq!(answers["a"]["value"], "yes");
        assert_eq!(answers["b"]["na"], true);
        assert_eq!(
            r["template_version_id"],
            Value::Null,
            "every column, null if absent"
        );
    }

    #[test]
    fn an_earlier_recommendation_carries_its_latest_remedy_as_json_text() {
        let with = raw(
            "earlier_recommendation",
            "a/r",
            &json!({"recommendation_id": "r", "assignment_id": "a", "content": "Kiện toàn tổ",
                "latest_remedy": {"note": "Đã họp", "follow_up": "in_progress"}}),
        );
        assert_eq!(with["recommendation_id"], "r");
        assert_eq!(with["content"], "Kiện toàn tổ");
        let latest: Value = serde_json::from_str(with["latest_remedy"].as_str().unwrap()).unwrap();
        assert_eq!(latest["note"], "Đã họp");
        let without = raw(
            "earlier_recommendation",
            "a/r",
            &json!({"latest_remedy": null}),
        );
        assert_eq!(without["latest_remedy"], Value::Null);
    }

    #[test]
    fn created_at_is_watermelondbs_number() {
        let data =
            json!({"created_at": "2026-12-03T09:00:00.5Z", "read_at": "2026-12-03T10:00:00Z"});
        let n = raw("notification", "n", &data);
        assert_eq!(n["created_at"], json!(1_796_288_400_500_i64));
        assert_eq!(
            n["read_at"], "2026-12-03T10:00:00Z",
            "other times stay text"
        );
        assert_eq!(
            raw("remedy", "r", &data)["created_at"],
            json!(1_796_288_400_500_i64)
        );
    }

    #[test]
    fn only_the_follow_up_tables_take_the_follow_up_rules() {
        for t in [
            "notifications",
            "remedies",
            "earlier_recommendations",
            "self_assessments",
        ] {
            let e = followup_entity(t).unwrap();
            assert_eq!(crate::sync::watermelon::table_of(e), Some(t));
            assert!(!columns(e).is_empty());
        }
        for t in [
            "answers",
            "inspections",
            "recommendations",
            "comments",
            "evidence",
        ] {
            assert_eq!(followup_entity(t), None);
        }
    }
}

//! Inspection, answer, recommendation, comment and event rows.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::{
    answers, comments, inspection_events, inspections, recommendations, rounds,
};
use crate::db::DbConn;
use crate::templates::model::{Answer, Answers};

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = inspections)]
pub struct InspectionRow {
    pub id: String,
    pub round_id: String,
    pub unit_id: String,
    pub team_id: String,
    /// The checklist version this inspection was made with (pinned).
    pub template_version_id: String,
    /// `draft`, `submitted`, `returned` or `approved`.
    pub status: String,
    /// Computed by the server from the answers; never taken from a client.
    pub score: Option<f64>,
    /// Rating band code (e.g. `tot`, `kha`, `trung_binh`, `yeu`).
    pub band: Option<String>,
    /// Ưu điểm.
    pub strengths: Option<String>,
    /// Hạn chế.
    pub shortcomings: Option<String>,
    /// Nguyên nhân.
    pub causes: Option<String>,
    /// Why the lead returned it, while `returned`.
    pub return_reason: Option<String>,
    pub created_by: String,
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub submitted_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub approved_at: Option<NaiveDateTime>,
    pub approved_by: Option<String>,
    pub version: i64,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
    /// Per findings field: the inspection version and HLC of its last change (for merge).
    #[serde(skip)]
    pub field_meta: Option<String>,
    /// Where the team met the unit (biên bản).
    pub place: Option<String>,
    /// When the meeting began (biên bản), UTC.
    #[serde(serialize_with = "crate::time::utc_opt")]
    pub held_at: Option<NaiveDateTime>,
    /// The team's members present (Thành phần đoàn kiểm tra), in print order. Stored as the
    /// JSON text of the array; read as the array.
    #[serde(serialize_with = "crate::inspections::record::serialize_people")]
    #[schema(value_type = Vec<crate::inspections::record::Person>)]
    pub members: Option<String>,
    /// The unit's attendees (Đại diện đơn vị), in print order; stored like `members`.
    #[serde(serialize_with = "crate::inspections::record::serialize_people")]
    #[schema(value_type = Vec<crate::inspections::record::Person>)]
    pub attendees: Option<String>,
}

/// `QueryableByName` and `Insertable` serve the sync bench, which reads back the rows a push
/// wrote and inserts them again as its floor (benches/sync.rs).
#[derive(Debug, Clone, Queryable, Selectable, QueryableByName, Insertable)]
#[diesel(table_name = answers, treat_none_as_null = true)]
pub struct AnswerRow {
    pub inspection_id: String,
    pub item_id: String,
    pub value: Option<String>,
    pub na: bool,
    pub version: i64,
    pub updated_by: String,
    pub updated_device: Option<String>,
    pub updated_at: NaiveDateTime,
    pub hlc: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = recommendations)]
pub struct RecommendationRow {
    pub id: String,
    pub inspection_id: String,
    /// Kiến nghị.
    pub content: String,
    /// The unit responsible for acting on it.
    pub responsible_unit_id: Option<String>,
    /// Or a person or body named in words.
    pub responsible: Option<String>,
    pub due_on: Option<NaiveDate>,
    /// `open`, `in_progress` or `done`.
    pub follow_up: String,
    pub version: i64,
    pub created_by: String,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::time::utc")]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = comments)]
pub struct CommentRow {
    pub id: String,
    pub inspection_id: String,
    /// The item commented on; absent for a comment on the whole inspection.
    pub item_id: Option<String>,
    pub author_id: String,
    pub body: String,
    pub version: i64,
    #[serde(serialize_with = "crate::time::utc")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = inspection_events)]
pub struct EventRow {
    pub id: String,
    pub inspection_id: String,
    pub from_status: String,
    pub to_status: String,
    pub actor_id: String,
    pub reason: Option<String>,
    #[serde(serialize_with = "crate::time::utc")]
    pub at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, id: &str) -> QueryResult<Option<InspectionRow>> {
    inspections::table
        .find(id)
        .select(InspectionRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn find_for_unit(
    conn: &mut DbConn,
    round_id: &str,
    unit_id: &str,
) -> QueryResult<Option<InspectionRow>> {
    inspections::table
        .filter(inspections::round_id.eq(round_id))
        .filter(inspections::unit_id.eq(unit_id))
        .select(InspectionRow::as_select())
        .first(conn)
        .optional()
}

pub fn round_status(conn: &mut DbConn, round_id: &str) -> QueryResult<String> {
    rounds::table
        .find(round_id)
        .select(rounds::status)
        .get_result(conn)
}

pub fn answer_rows(conn: &mut DbConn, inspection_id: &str) -> QueryResult<Vec<AnswerRow>> {
    answers::table
        .filter(answers::inspection_id.eq(inspection_id))
        .order(answers::item_id.asc())
        .select(AnswerRow::as_select())
        .load(conn)
}

pub fn answer_row(
    conn: &mut DbConn,
    inspection_id: &str,
    item_id: &str,
) -> QueryResult<Option<AnswerRow>> {
    answers::table
        .find((inspection_id, item_id))
        .select(AnswerRow::as_select())
        .get_result(conn)
        .optional()
}

/// Writes these rows as they are, new or replacing, in multi-row upserts.
pub fn upsert_answers(conn: &mut DbConn, rows: &[&AnswerRow]) -> QueryResult<()> {
    use diesel::upsert::excluded;
    let values: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                answers::inspection_id.eq(&r.inspection_id),
                answers::item_id.eq(&r.item_id),
                answers::value.eq(&r.value),
                answers::na.eq(r.na),
                answers::version.eq(r.version),
                answers::updated_by.eq(&r.updated_by),
                answers::updated_device.eq(&r.updated_device),
                answers::updated_at.eq(r.updated_at),
                answers::hlc.eq(&r.hlc),
            )
        })
        .collect();
    // Upserts are never cached by diesel, so rows go in as few statements as possible.
    for chunk in values.chunks(crate::db::ROWS_PER_INSERT) {
        crate::per_engine!(conn, c => diesel::insert_into(answers::table)
            .values(chunk)
            .on_conflict((answers::inspection_id, answers::item_id))
            .do_update()
            .set((
                answers::value.eq(excluded(answers::value)),
                answers::na.eq(excluded(answers::na)),
                answers::version.eq(excluded(answers::version)),
                answers::updated_by.eq(excluded(answers::updated_by)),
                answers::updated_device.eq(excluded(answers::updated_device)),
                answers::updated_at.eq(excluded(answers::updated_at)),
                answers::hlc.eq(excluded(answers::hlc)),
            ))
            .execute(c))?;
    }
    Ok(())
}

/// The answers as the template rules see them.
pub fn answers_of(rows: &[AnswerRow]) -> Answers {
    rows.iter()
        .filter_map(|r| stored_answer(&r.item_id, r.value.as_deref(), r.na))
        .collect()
}

/// One stored answer row (JSON text, n/a flag) as the template rules see it. A cleared answer
/// keeps its row (for its version), but is no answer. Self-assessments store theirs alike.
pub fn stored_answer(item_id: &str, value: Option<&str>, na: bool) -> Option<(String, Answer)> {
    if value.is_none() && !na {
        return None;
    }
    let value = value
        .and_then(|v| serde_json::from_str(v).ok())
        .unwrap_or_default();
    Some((item_id.to_owned(), Answer { value, na }))
}

pub fn recommendations_of(
    conn: &mut DbConn,
    inspection_id: &str,
) -> QueryResult<Vec<RecommendationRow>> {
    recommendations::table
        .filter(recommendations::inspection_id.eq(inspection_id))
        .order(recommendations::created_at.asc())
        .select(RecommendationRow::as_select())
        .load(conn)
}

pub fn find_recommendation(conn: &mut DbConn, id: &str) -> QueryResult<Option<RecommendationRow>> {
    recommendations::table
        .find(id)
        .select(RecommendationRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn comments_of(conn: &mut DbConn, inspection_id: &str) -> QueryResult<Vec<CommentRow>> {
    comments::table
        .filter(comments::inspection_id.eq(inspection_id))
        .order(comments::created_at.asc())
        .select(CommentRow::as_select())
        .load(conn)
}

pub fn find_comment(conn: &mut DbConn, id: &str) -> QueryResult<Option<CommentRow>> {
    comments::table
        .find(id)
        .select(CommentRow::as_select())
        .get_result(conn)
        .optional()
}

/// A review event with who acted, by name: people read the history, not user ids.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    #[serde(flatten)]
    pub event: EventRow,
    /// The actor's full name (absent if the user is gone).
    pub actor_name: Option<String>,
}

pub fn events_of(conn: &mut DbConn, inspection_id: &str) -> QueryResult<Vec<EventView>> {
    let rows: Vec<EventRow> = inspection_events::table
        .filter(inspection_events::inspection_id.eq(inspection_id))
        .order(inspection_events::at.asc())
        .select(EventRow::as_select())
        .load(conn)?;
    let ids: Vec<&str> = rows.iter().map(|r| r.actor_id.as_str()).collect();
    let names: std::collections::HashMap<String, String> = crate::db::schema::users::table
        .filter(crate::db::schema::users::id.eq_any(ids))
        .select((
            crate::db::schema::users::id,
            crate::db::schema::users::full_name,
        ))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|event| EventView {
            actor_name: names.get(&event.actor_id).cloned(),
            event,
        })
        .collect())
}

/// Each unit's code and name, by unit id, for lists that name their units.
pub fn unit_names(
    conn: &mut DbConn,
    unit_ids: &[&str],
) -> QueryResult<std::collections::HashMap<String, (String, String)>> {
    use crate::db::schema::units;
    Ok(units::table
        .filter(units::id.eq_any(unit_ids))
        .select((units::id, units::code, units::name))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, code, name)| (id, (code, name)))
        .collect())
}

pub struct InspectionFilter {
    pub round_id: Option<String>,
    pub unit_id: Option<String>,
    pub team_id: Option<String>,
    pub status: Option<String>,
    /// `None`: no restriction (administrators, viewers).
    pub team_ids: Option<Vec<String>>,
    pub open_rounds_only: bool,
    pub limit: i64,
    pub offset: i64,
}

pub fn list(conn: &mut DbConn, f: &InspectionFilter) -> QueryResult<(Vec<InspectionRow>, i64)> {
    let open_rounds: Vec<String> = if f.open_rounds_only {
        rounds::table
            .filter(rounds::status.eq("open"))
            .select(rounds::id)
            .load(conn)?
    } else {
        Vec::new()
    };
    let filtered = || {
        let mut q = inspections::table.into_boxed();
        if let Some(v) = &f.round_id {
            q = q.filter(inspections::round_id.eq(v.clone()));
        }
        if let Some(v) = &f.unit_id {
            q = q.filter(inspections::unit_id.eq(v.clone()));
        }
        if let Some(v) = &f.team_id {
            q = q.filter(inspections::team_id.eq(v.clone()));
        }
        if let Some(v) = &f.status {
            q = q.filter(inspections::status.eq(v.clone()));
        }
        if let Some(ids) = &f.team_ids {
            q = q.filter(inspections::team_id.eq_any(ids.clone()));
        }
        if f.open_rounds_only {
            q = q.filter(inspections::round_id.eq_any(open_rounds.clone()));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order(inspections::created_at.asc())
        .limit(f.limit)
        .offset(f.offset)
        .select(InspectionRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Open conflicts that block approval: genuine concurrent edits only. A refused edit kept
/// for the lead (`rejected`) is shown, not blocking: its author could not have made it stick.
pub fn blocking_count(conn: &mut DbConn, inspection_id: &str) -> QueryResult<i64> {
    crate::db::schema::conflicts::table
        .filter(crate::db::schema::conflicts::inspection_id.eq(inspection_id))
        .filter(crate::db::schema::conflicts::status.eq("open"))
        .filter(crate::db::schema::conflicts::kind.eq("concurrent"))
        .count()
        .get_result(conn)
}

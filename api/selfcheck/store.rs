//! Self-assessment rows in and out of the database. Plain diesel, no policy.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{self_answers, self_assessments};
use crate::db::DbConn;
use crate::templates::model::{Answer, Answers};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = self_assessments)]
pub struct SelfRow {
    pub id: String,
    pub round_id: String,
    pub unit_id: String,
    pub template_version_id: String,
    /// `draft` or `submitted`.
    pub status: String,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub submitted_by: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = self_answers)]
pub struct SelfAnswerRow {
    pub self_assessment_id: String,
    pub item_id: String,
    pub value: Option<String>,
    pub na: bool,
    pub version: i64,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, round_id: &str, unit_id: &str) -> QueryResult<Option<SelfRow>> {
    self_assessments::table
        .filter(self_assessments::round_id.eq(round_id))
        .filter(self_assessments::unit_id.eq(unit_id))
        .select(SelfRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<SelfRow>> {
    self_assessments::table
        .find(id)
        .select(SelfRow::as_select())
        .first(conn)
        .optional()
}

/// The submitted self-assessments of a round, for its report.
pub fn submitted_of_round(conn: &mut DbConn, round_id: &str) -> QueryResult<Vec<SelfRow>> {
    self_assessments::table
        .filter(self_assessments::round_id.eq(round_id))
        .filter(self_assessments::status.eq("submitted"))
        .select(SelfRow::as_select())
        .load(conn)
}

/// Makes the unit's draft unless one exists; whether this call made it. Two first saves at
/// once (a phone resending) both end here: the second waits for the first and finds its row,
/// rather than failing on the (round, unit) key.
pub fn insert_draft(
    conn: &mut DbConn,
    id: &str,
    round_id: &str,
    unit_id: &str,
    template_version_id: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let row = (
        self_assessments::id.eq(id),
        self_assessments::round_id.eq(round_id),
        self_assessments::unit_id.eq(unit_id),
        self_assessments::template_version_id.eq(template_version_id),
        self_assessments::status.eq("draft"),
        self_assessments::version.eq(1),
        self_assessments::created_at.eq(now),
        self_assessments::updated_at.eq(now),
    );
    let made = crate::per_engine!(conn, c => diesel::insert_into(self_assessments::table)
        .values(row)
        .on_conflict((self_assessments::round_id, self_assessments::unit_id))
        .do_nothing()
        .execute(c))?;
    Ok(made == 1)
}

pub fn answer_rows(conn: &mut DbConn, id: &str) -> QueryResult<Vec<SelfAnswerRow>> {
    self_answers::table
        .filter(self_answers::self_assessment_id.eq(id))
        .select(SelfAnswerRow::as_select())
        .load(conn)
}

/// The answers as the template rules see them (a cleared answer keeps its row, no value).
pub fn answers_of(rows: &[SelfAnswerRow]) -> Answers {
    rows.iter()
        .filter_map(|r| {
            crate::inspections::store::stored_answer(&r.item_id, r.value.as_deref(), r.na)
        })
        .collect()
}

/// Writes one answer: updates its row, or inserts it.
pub fn write_answer(
    conn: &mut DbConn,
    id: &str,
    item: &str,
    answer: &Answer,
    user_id: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let value = (!answer.value.is_null()).then(|| answer.value.to_string());
    let updated = diesel::update(self_answers::table.find((id, item)))
        .set((
            self_answers::value.eq(&value),
            self_answers::na.eq(answer.na),
            self_answers::version.eq(self_answers::version + 1),
            self_answers::updated_by.eq(user_id),
            self_answers::updated_at.eq(now),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(self_answers::table)
            .values((
                self_answers::self_assessment_id.eq(id),
                self_answers::item_id.eq(item),
                self_answers::value.eq(&value),
                self_answers::na.eq(answer.na),
                self_answers::version.eq(1),
                self_answers::updated_by.eq(user_id),
                self_answers::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Stores the new score and bumps the version (and, on submission, the status).
pub fn bump(
    conn: &mut DbConn,
    row: &SelfRow,
    score: Option<f64>,
    band: Option<String>,
    submitted_by: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let status = if submitted_by.is_some() {
        "submitted"
    } else {
        row.status.as_str()
    };
    diesel::update(self_assessments::table.find(&row.id))
        .set((
            self_assessments::score.eq(score),
            self_assessments::band.eq(band),
            self_assessments::status.eq(status),
            self_assessments::submitted_at.eq(submitted_by.map(|_| now).or(row.submitted_at)),
            self_assessments::submitted_by
                .eq(submitted_by.map(str::to_owned).or(row.submitted_by.clone())),
            self_assessments::version.eq(row.version + 1),
            self_assessments::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Locks the row for the rest of the transaction (PostgreSQL; SQLite writers are serialized).
pub fn lock(conn: &mut DbConn, id: &str) -> QueryResult<()> {
    diesel::update(self_assessments::table.find(id))
        .set(self_assessments::version.eq(self_assessments::version))
        .execute(conn)
        .map(|_| ())
}

//! Document settings rows: one per round and issuer.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::issuer::Settings;
use crate::db::schema::document_settings as ds;
use crate::db::{self, DbConn};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ds)]
pub struct SettingsRow {
    pub id: String,
    pub round_id: String,
    pub issuer: String,
    pub team_id: Option<String>,
    pub parent_body: Option<String>,
    pub issuer_name: Option<String>,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub place: Option<String>,
    pub signer_authority: Option<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    /// JSON array of lines.
    pub recipients: Option<String>,
    pub version: i64,
    pub updated_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl SettingsRow {
    pub fn settings(&self) -> Settings {
        Settings {
            parent_body: self.parent_body.clone(),
            issuer_name: self.issuer_name.clone(),
            number: self.number.clone(),
            issued_on: self.issued_on,
            place: self.place.clone(),
            signer_authority: self.signer_authority.clone(),
            signer_title: self.signer_title.clone(),
            signer_name: self.signer_name.clone(),
            recipients: self
                .recipients
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok()),
        }
    }
}

pub fn find(conn: &mut DbConn, round_id: &str, issuer: &str) -> QueryResult<Option<SettingsRow>> {
    ds::table
        .filter(ds::round_id.eq(round_id))
        .filter(ds::issuer.eq(issuer))
        .select(SettingsRow::as_select())
        .first(conn)
        .optional()
}

/// Writes `s` over the row `cur` (or a new one), one version up.
pub fn save(
    conn: &mut DbConn,
    cur: Option<&SettingsRow>,
    round_id: &str,
    issuer: &str,
    team_id: Option<&str>,
    s: &Settings,
    user_id: &str,
) -> QueryResult<()> {
    let now = db::now();
    let recipients = s
        .recipients
        .as_ref()
        .map(|r| serde_json::Value::from(r.clone()).to_string());
    let fields = (
        ds::parent_body.eq(s.parent_body.clone()),
        ds::issuer_name.eq(s.issuer_name.clone()),
        ds::number.eq(s.number.clone()),
        ds::issued_on.eq(s.issued_on),
        ds::place.eq(s.place.clone()),
        ds::signer_authority.eq(s.signer_authority.clone()),
        ds::signer_title.eq(s.signer_title.clone()),
        ds::signer_name.eq(s.signer_name.clone()),
        ds::recipients.eq(recipients),
        ds::updated_by.eq(user_id),
        ds::updated_at.eq(now),
    );
    match cur {
        Some(cur) => diesel::update(ds::table.find(&cur.id))
            .set((fields, ds::version.eq(cur.version + 1)))
            .execute(conn)?,
        None => diesel::insert_into(ds::table)
            .values((
                ds::id.eq(db::new_id()),
                ds::round_id.eq(round_id),
                ds::issuer.eq(issuer),
                ds::team_id.eq(team_id),
                fields,
                ds::version.eq(1),
                ds::created_at.eq(now),
            ))
            .execute(conn)?,
    };
    Ok(())
}

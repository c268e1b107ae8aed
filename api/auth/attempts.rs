//! The login throttle's counters, as stored in `login_attempts`: one row per key (see
//! `throttle::Keys`). In the database, so that every API process sees the same counts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::throttle::{Counts, Failures, Keys};
use crate::db::schema::login_attempts;
use crate::db::DbConn;

/// Serializes attempts that share a key, across processes (PostgreSQL; SQLite writers are
/// serialized already). Taken in a fixed order, so two attempts cannot deadlock.
pub fn lock(conn: &mut DbConn, keys: &Keys) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        let mut all = keys.all();
        all.sort_unstable();
        for key in all {
            diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext('kiemtra.login:' || $1))")
                .bind::<diesel::sql_types::Text, _>(key)
                .execute(c)?;
        }
    }
    Ok(())
}

fn load_one(conn: &mut DbConn, key: &str) -> QueryResult<Option<Failures>> {
    let row: Option<(i32, NaiveDateTime, Option<NaiveDateTime>)> = login_attempts::table
        .find(key)
        .select((
            login_attempts::failures,
            login_attempts::last_failure_at,
            login_attempts::retry_at,
        ))
        .get_result(conn)
        .optional()?;
    Ok(row.map(|(count, last_failure_at, retry_at)| Failures {
        count: u32::try_from(count).unwrap_or(0),
        last_failure_at,
        retry_at,
    }))
}

pub fn load(conn: &mut DbConn, keys: &Keys) -> QueryResult<Counts> {
    Ok(Counts {
        pair: load_one(conn, &keys.pair)?,
        address: load_one(conn, &keys.address)?,
        username: load_one(conn, &keys.username)?,
    })
}

fn save_one(conn: &mut DbConn, key: &str, f: Option<&Failures>) -> QueryResult<()> {
    let Some(f) = f else {
        diesel::delete(login_attempts::table.find(key)).execute(conn)?;
        return Ok(());
    };
    let count = i32::try_from(f.count).unwrap_or(i32::MAX);
    let values = (
        login_attempts::failures.eq(count),
        login_attempts::last_failure_at.eq(f.last_failure_at),
        login_attempts::retry_at.eq(f.retry_at),
    );
    // No race between the two: the key is locked (PostgreSQL) or writers are serialized.
    let updated = diesel::update(login_attempts::table.find(key))
        .set(values)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(login_attempts::table)
            .values((login_attempts::throttle_key.eq(key), values))
            .execute(conn)?;
    }
    Ok(())
}

pub fn save(conn: &mut DbConn, keys: &Keys, counts: &Counts) -> QueryResult<()> {
    save_one(conn, &keys.pair, counts.pair.as_ref())?;
    save_one(conn, &keys.address, counts.address.as_ref())?;
    save_one(conn, &keys.username, counts.username.as_ref())
}

/// Deletes the rows whose failures are forgotten: last one before `before`, back-off over.
pub fn sweep(conn: &mut DbConn, before: NaiveDateTime, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        login_attempts::table
            .filter(login_attempts::last_failure_at.lt(before))
            .filter(
                login_attempts::retry_at
                    .is_null()
                    .or(login_attempts::retry_at.le(now)),
            ),
    )
    .execute(conn)
}

//! The evidence checks for a set of photos: gathers what each check compares against (the
//! unit's location, the inspection's time, the round's dates, other evidence with the same
//! bytes, other photos that look the same) in a few queries, and hands the facts to the pure
//! `checks`.

use std::collections::HashMap;

use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::checks::{self, Expected, Facts, Flag, Limits};
use super::model::EvidenceRow;
use super::phash;
use crate::db::schema::{blobs, evidence};
use crate::db::DbConn;

/// A photo's record with what to look at twice about it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlaggedEvidence {
    #[serde(flatten)]
    pub evidence: EvidenceRow,
    /// Flags for the lead (empty when nothing stands out); never a refusal.
    pub flags: Vec<Flag>,
}

struct Context {
    unit_position: Option<(f64, f64)>,
    held_at: Option<chrono::NaiveDateTime>,
    round_days: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
}

fn context(conn: &mut DbConn, inspection_id: &str) -> QueryResult<Context> {
    let Some(x) = crate::inspections::store::find(conn, inspection_id)? else {
        return Ok(Context {
            unit_position: None,
            held_at: None,
            round_days: None,
        });
    };
    let unit = crate::units::store::find(conn, &x.unit_id)?;
    let round = crate::rounds::store::find(conn, &x.round_id)?;
    Ok(Context {
        unit_position: unit.and_then(|u| u.latitude.zip(u.longitude)),
        held_at: x.held_at,
        round_days: round.map(|r| (r.starts_on, r.ends_on)),
    })
}

/// (evidence id, inspection id) of every photo with one of these digests.
fn same_bytes(
    conn: &mut DbConn,
    digests: &[&str],
) -> QueryResult<HashMap<String, Vec<(String, String)>>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for chunk in digests.chunks(500) {
        let rows: Vec<(String, String, Option<String>)> = evidence::table
            .filter(evidence::sha256.eq_any(chunk))
            .select((evidence::id, evidence::inspection_id, evidence::sha256))
            .load(conn)?;
        for (id, inspection, sha) in rows {
            if let Some(sha) = sha {
                out.entry(sha).or_default().push((id, inspection));
            }
        }
    }
    Ok(out)
}

/// For each digest among `digests` whose blob has a perceptual hash: the (evidence id,
/// inspection id) of every photo with *other* bytes whose hash is within `max` bits. The
/// hashes of all blobs are read (two short columns); other bytes only, since the same bytes
/// are already flagged as reused.
fn look_alikes(
    conn: &mut DbConn,
    digests: &[&str],
    max: u32,
) -> QueryResult<HashMap<String, Vec<(String, String)>>> {
    let hashed: Vec<(String, Option<String>)> = blobs::table
        .filter(blobs::phash.is_not_null())
        .select((blobs::sha256, blobs::phash))
        .load(conn)?;
    let hash_of: HashMap<&str, &str> = hashed
        .iter()
        .filter_map(|(s, p)| Some((s.as_str(), p.as_deref()?)))
        .collect();
    let mut similar: HashMap<&str, Vec<&str>> = HashMap::new();
    for d in digests {
        let Some(mine) = hash_of.get(d) else { continue };
        let near: Vec<&str> = hash_of
            .iter()
            .filter(|(s, p)| s != &d && phash::distance(mine, p).is_some_and(|x| x <= max))
            .map(|(s, _)| *s)
            .collect();
        if !near.is_empty() {
            similar.insert(d, near);
        }
    }
    let wanted: Vec<&str> = similar.values().flatten().copied().collect();
    let holders = same_bytes(conn, &wanted)?;
    Ok(similar
        .into_iter()
        .map(|(d, near)| {
            let all = near
                .iter()
                .filter_map(|s| holders.get(*s))
                .flatten()
                .cloned()
                .collect();
            (d.to_owned(), all)
        })
        .collect())
}

/// Each row with its flags, in the same order.
pub fn flag_all(
    conn: &mut DbConn,
    rows: Vec<EvidenceRow>,
    limits: Limits,
) -> QueryResult<Vec<FlaggedEvidence>> {
    let zone = crate::time::zone();
    let mut contexts: HashMap<String, Context> = HashMap::new();
    for r in &rows {
        if !contexts.contains_key(&r.inspection_id) {
            let c = context(conn, &r.inspection_id)?;
            contexts.insert(r.inspection_id.clone(), c);
        }
    }
    let digests: Vec<&str> = rows.iter().filter_map(|r| r.sha256.as_deref()).collect();
    let twins = same_bytes(conn, &digests)?;
    let alikes = look_alikes(conn, &digests, limits.max_hash_distance)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let c = contexts.get(&r.inspection_id);
            let others: Vec<&(String, String)> = r
                .sha256
                .as_ref()
                .and_then(|s| twins.get(s))
                .map(|v| v.iter().filter(|(id, _)| *id != r.id).collect())
                .unwrap_or_default();
            let here = others.iter().filter(|(_, i)| *i == r.inspection_id).count();
            let similar: &[(String, String)] = r
                .sha256
                .as_ref()
                .and_then(|s| alikes.get(s))
                .map_or(&[], Vec::as_slice);
            let similar_here = similar
                .iter()
                .filter(|(_, i)| *i == r.inspection_id)
                .count();
            let facts = Facts {
                claimed_taken_at: r.claimed_taken_at,
                claimed_position: r.claimed_latitude.zip(r.claimed_longitude),
                exif_taken_at: r.exif_taken_at.clone(),
                exif_position: r.exif_latitude.zip(r.exif_longitude),
            };
            let expected = Expected {
                unit_position: c.and_then(|c| c.unit_position),
                held_at: c.and_then(|c| c.held_at),
                round_days: c.and_then(|c| c.round_days),
                same_bytes_here: here,
                same_bytes_elsewhere: others.len() - here,
                similar_here,
                similar_elsewhere: similar.len() - similar_here,
            };
            let flags = checks::flags(&facts, &expected, limits, zone);
            FlaggedEvidence { evidence: r, flags }
        })
        .collect())
}

//! A real sync conflict for the demo's lead to resolve: the two inspectors of team 1 both
//! changed one answer of the draft while offline, through the same push the phones use.

use serde_json::json;

use super::dataset::as_user;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::role::Role;
use crate::sync::hlc;
use crate::sync::push::{self, Envelope};

const ITEM: &str = "nv1.quan_triet";

fn envelope(
    inspection_id: &str,
    value: &str,
    at_ms: u64,
    node: &str,
) -> Result<Envelope, DomainError> {
    let stamp = format!("{at_ms:013}:0000:{node}");
    serde_json::from_value(json!({
        "mutation_id": uuid::Uuid::new_v4().to_string(),
        "type": "answer.set",
        "inspection_id": inspection_id,
        "item_id": ITEM,
        "value": value,
        "base_version": 1,
        "base_value": {"value": "day_du"},
        "hlc": stamp,
    }))
    .map_err(|e| DomainError::Db(crate::db::DbError::Corrupt(e.to_string())))
}

/// Both inspectors saw version 1 of the answer ("đầy đủ"); one wrote "một phần", the other,
/// a little later, "chưa": the later one wins and the earlier is kept for the lead.
pub fn stage(conn: &mut DbConn, draft: &str) -> Result<(), DomainError> {
    let t = hlc::now_ms() - 3_600_000;
    let (a1, s1) = as_user(conn, "demo.kiemtra1", Role::Inspector)?;
    let (a2, s2) = as_user(conn, "demo.kiemtra2", Role::Inspector)?;
    push::push(
        conn,
        &a1,
        &s1,
        &[envelope(draft, "mot_phan", t, "demophone1")?],
    )?;
    push::push(
        conn,
        &a2,
        &s2,
        &[envelope(draft, "chua", t + 60_000, "demophone2")?],
    )?;
    Ok(())
}

//! Who last wrote to each inspection, from which device and when: the answers' own stamps,
//! which every write (REST or a synced push) sets.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{answers, devices, users};
use crate::db::DbConn;

/// The last write to an inspection's answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub user_name: String,
    /// The device's name as it signed in, if it gave one.
    pub device: Option<String>,
    pub at: NaiveDateTime,
}

/// The last write per inspection id, in chunks small enough for any engine's parameter limit.
pub fn last_writes(
    conn: &mut DbConn,
    inspection_ids: &[String],
) -> QueryResult<HashMap<String, Activity>> {
    let mut last: HashMap<String, (String, Option<String>, NaiveDateTime)> = HashMap::new();
    for chunk in inspection_ids.chunks(500) {
        let rows: Vec<(String, String, Option<String>, NaiveDateTime)> = answers::table
            .filter(answers::inspection_id.eq_any(chunk))
            .select((
                answers::inspection_id,
                answers::updated_by,
                answers::updated_device,
                answers::updated_at,
            ))
            .load(conn)?;
        for (id, by, device, at) in rows {
            let newer = last.get(&id).is_none_or(|(_, _, seen)| at > *seen);
            if newer {
                last.insert(id, (by, device, at));
            }
        }
    }
    let user_ids: Vec<&String> = last.values().map(|(u, _, _)| u).collect();
    let device_ids: Vec<&String> = last.values().filter_map(|(_, d, _)| d.as_ref()).collect();
    let names: HashMap<String, String> = users::table
        .filter(users::id.eq_any(&user_ids))
        .select((users::id, users::full_name))
        .load(conn)?
        .into_iter()
        .collect();
    let device_names: HashMap<String, Option<String>> = devices::table
        .filter(devices::id.eq_any(&device_ids))
        .select((devices::id, devices::name))
        .load(conn)?
        .into_iter()
        .collect();
    Ok(last
        .into_iter()
        .map(|(id, (by, device, at))| {
            let activity = Activity {
                user_name: names.get(&by).cloned().unwrap_or_default(),
                device: device.and_then(|d| device_names.get(&d).cloned().flatten()),
                at,
            };
            (id, activity)
        })
        .collect())
}

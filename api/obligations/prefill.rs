//! Suggestions for an inspection's checklist from what the unit sent (docs/unit-reports.md):
//! `nv1.chuong_trinh` "yes" when the year's programme was received, `nv1.gui_dung_han` "yes"
//! or "no" by whether it came on time, `nv1.ngay_gui` the local date received. They are shown
//! beside the answers (`prefill` of `GET /inspections/{id}`), never written as answers: an
//! inspector's own answer always wins, nothing reaches sync, so nothing can conflict. The
//! inspector confirms one by saving it as an answer.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Datelike;
use serde::Serialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::kind::Kind;
use super::service::{self, Obligation};
use super::status::Status;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::store::InspectionRow;

pub const PROGRAMME_SENT: &str = "nv1.chuong_trinh";
pub const ON_TIME: &str = "nv1.gui_dung_han";
pub const DATE_SENT: &str = "nv1.ngay_gui";

/// One suggested answer.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(as = PrefillAnswer)]
pub struct Prefill {
    /// The value to show, as the item's answer would hold it.
    #[schema(value_type = Object)]
    pub value: Value,
    /// `unit_report`: from the document the unit sent.
    pub source: String,
    /// Why, in Vietnamese.
    pub note: String,
}

/// The suggestions the programme obligation gives (pure): none when nothing was received.
pub fn suggest(o: &Obligation) -> BTreeMap<String, Prefill> {
    let Some(first) = o.first_submitted_at else {
        return BTreeMap::new();
    };
    let day = crate::time::local_date(first);
    let note = format!(
        "Điền sẵn từ báo cáo đơn vị đã nộp ngày {} (hạn {}).",
        crate::time::date_vn(day),
        crate::time::date_vn(o.due_on)
    );
    let p = |v: Value| Prefill {
        value: v,
        source: "unit_report".into(),
        note: note.clone(),
    };
    let on_time = if o.status == Status::OnTime {
        "yes"
    } else {
        "no"
    };
    BTreeMap::from([
        (PROGRAMME_SENT.to_owned(), p(json!("yes"))),
        (ON_TIME.to_owned(), p(json!(on_time))),
        (
            DATE_SENT.to_owned(),
            p(json!(day.format("%Y-%m-%d").to_string())),
        ),
    ])
}

/// The suggestions for an inspection: the unit's programme for the round's year, for the
/// items its checklist has and the inspector has not answered.
pub fn for_inspection(
    conn: &mut DbConn,
    row: &InspectionRow,
    answered: &BTreeSet<String>,
) -> Result<BTreeMap<String, Prefill>, DomainError> {
    let Some(round) = crate::rounds::store::find(conn, &row.round_id)? else {
        return Ok(BTreeMap::new());
    };
    let today = crate::time::today_local();
    let Some(o) = service::one(
        conn,
        &row.unit_id,
        round.starts_on.year(),
        Kind::Programme,
        today,
    )?
    else {
        return Ok(BTreeMap::new());
    };
    let mut s = suggest(&o);
    if s.is_empty() {
        return Ok(s);
    }
    let t = crate::inspections::service::template_of(conn, row)?;
    let items: BTreeSet<&str> = t.items().map(|i| i.id.as_str()).collect();
    s.retain(|k, _| items.contains(k.as_str()) && !answered.contains(k));
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn obligation(first: Option<chrono::NaiveDateTime>, status: Status) -> Obligation {
        Obligation {
            unit_id: "u".into(),
            unit_code: "U".into(),
            unit_name: "U".into(),
            unit_kind: "commune".into(),
            year: 2026,
            kind: Kind::Programme,
            kind_label: String::new(),
            due_on: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
            due_overridden: false,
            status,
            status_label: String::new(),
            overdue: false,
            first_submitted_at: first,
            submissions: Vec::new(),
        }
    }

    #[test]
    fn nothing_received_suggests_nothing() {
        assert!(suggest(&obligation(None, Status::NotSubmitted)).is_empty());
    }

    #[test]
    fn received_late_says_no_with_the_local_date() {
        // 20:00 UTC on 11/3 is 03:00 on 12/3 in Vietnam.
        let t = NaiveDate::from_ymd_opt(2026, 3, 11)
            .unwrap()
            .and_hms_opt(20, 0, 0)
            .unwrap();
        let s = suggest(&obligation(Some(t), Status::Late));
        assert_eq!(s[PROGRAMME_SENT].value, json!("yes"));
        assert_eq!(s[ON_TIME].value, json!("no"));
        assert_eq!(s[DATE_SENT].value, json!("2026-03-12"));
        let on_time = suggest(&obligation(Some(t), Status::OnTime));
        assert_eq!(on_time[ON_TIME].value, json!("yes"));
    }
}

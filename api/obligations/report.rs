//! The round report's section on the reports the inspected units owe under the plan: for each
//! unit the report covers, whether its programme, half-year and year reports and its "Dân vận"
//! article were received for the round's year, on time or late, as of the day the report is
//! made. The committee asks for these by fixed dates (the plan's closing paragraph), so the
//! report states them beside the findings rather than leaving them to the dashboard.

use std::collections::HashMap;

use chrono::Datelike;

use super::kind::Kind;
use super::service::{self, Filter, Obligation};
use super::status::Status;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::rounds::store::RoundRow;
use crate::section::Section;
use crate::time::date_vn;

pub const KEY: &str = "unit_reports";

/// One cell: the status, with the day received when something was.
pub fn cell(o: &Obligation) -> String {
    let received = o
        .first_submitted_at
        .map(|t| date_vn(crate::time::local_date(t)));
    match (o.status, received) {
        (Status::OnTime, Some(d)) => format!("Đúng hạn ({d})"),
        (Status::Late, Some(d)) => format!("Muộn ({d})"),
        (Status::NotSubmitted, _) if o.overdue => "Quá hạn, chưa nộp".to_owned(),
        (Status::NotSubmitted, _) => format!("Chưa nộp (hạn {})", date_vn(o.due_on)),
        (status, None) => status.label().to_owned(),
    }
}

pub fn section(
    conn: &mut DbConn,
    round: &RoundRow,
    teams: Option<&[String]>,
) -> Result<Section, DomainError> {
    let mut units = crate::recommendations::earlier::units_of_round(conn, &round.id, teams)?;
    units.sort();
    units.dedup();
    let year = round.starts_on.year();
    let today = crate::time::today_local();
    // By unit name in Vietnamese order, then the kinds in the plan's order.
    let mut by_unit: HashMap<String, (String, Vec<Obligation>)> = HashMap::new();
    if !units.is_empty() {
        let all = service::list(conn, &service::everyone(), year, &Filter::default(), today)?;
        for o in all
            .into_iter()
            .filter(|o| units.binary_search(&o.unit_id).is_ok())
        {
            by_unit
                .entry(o.unit_id.clone())
                .or_insert_with(|| (o.unit_name.clone(), Vec::new()))
                .1
                .push(o);
        }
    }
    let mut by_unit: Vec<(String, (String, Vec<Obligation>))> = by_unit.into_iter().collect();
    by_unit.sort_by(|(a_id, (a, _)), (b_id, (b, _))| {
        crate::collate::cmp(a, b).then_with(|| a_id.cmp(b_id))
    });
    let rows = by_unit
        .into_iter()
        .map(|(_, (name, list))| {
            let mut row = vec![name];
            for k in Kind::ALL {
                row.push(
                    list.iter()
                        .find(|o| o.kind == k)
                        .map(cell)
                        .unwrap_or_default(),
                );
            }
            row
        })
        .collect();
    let mut columns = vec![("Đơn vị".to_owned(), 20)];
    columns.extend(Kind::ALL.into_iter().map(|k| (k.column().to_owned(), 20)));
    Ok(Section {
        key: KEY,
        title: "TÌNH HÌNH GỬI CHƯƠNG TRÌNH, BÁO CÁO CỦA CÁC ĐƠN VỊ".into(),
        intro: Some(format!(
            "Các văn bản đơn vị được kiểm tra phải gửi về Sở Nội vụ năm {year} theo Chương trình công tác của Ban Chỉ đạo, tính đến ngày {}.",
            date_vn(today)
        )),
        columns,
        rows,
        empty: "Đợt kiểm tra chưa có đơn vị nào.".into(),
    })
}

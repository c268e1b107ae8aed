//! The round report's section "Kết quả thực hiện kiến nghị kỳ trước": for the units the
//! report covers, their recommendations from earlier rounds and how far each was carried out.

use super::earlier::{before, units_of_round};
use super::service::items;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::rounds::store::RoundRow;
use crate::section::Section;
use crate::time::date_vn;

pub const KEY: &str = "earlier_recommendations";

pub fn section(
    conn: &mut DbConn,
    round: &RoundRow,
    teams: Option<&[String]>,
) -> Result<Section, DomainError> {
    let mut units = units_of_round(conn, &round.id, teams)?;
    units.sort();
    units.dedup();
    let mut located = Vec::new();
    for u in &units {
        located.extend(before(conn, u, round)?);
    }
    // Unit by unit (by code), each unit's in round order as `before` reads them.
    located.sort_by(|a, b| a.unit_code.cmp(&b.unit_code));
    let rows = items(conn, located)?
        .into_iter()
        .map(|i| {
            vec![
                i.unit_name,
                i.content,
                i.due_on.map(date_vn).unwrap_or_default(),
                i.status_vi,
                i.latest_remedy.map(|r| r.note).unwrap_or_default(),
            ]
        })
        .collect();
    Ok(Section {
        key: KEY,
        title: "KẾT QUẢ THỰC HIỆN KIẾN NGHỊ KỲ TRƯỚC".into(),
        intro: Some(
            "Các kiến nghị của các đợt kiểm tra trước đối với các đơn vị được kiểm tra trong đợt này và kết quả thực hiện."
                .into(),
        ),
        columns: [
            ("Đơn vị", 20),
            ("Kiến nghị", 34),
            ("Thời hạn", 12),
            ("Tình trạng", 14),
            ("Kết quả khắc phục", 30),
        ]
        .into_iter()
        .map(|(c, w)| (c.to_owned(), w))
        .collect(),
        rows,
        empty: "Các đơn vị được kiểm tra không có kiến nghị nào từ các đợt kiểm tra trước.".into(),
    })
}

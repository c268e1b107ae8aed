//! The round report's section "Điểm sáng công tác dân vận": the bright spots of the units the
//! report covers, with their status and this round's evaluation.

use std::collections::HashMap;

use super::status::{ReviewResult, Status};
use super::store::{self, Filter};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::rounds::store::RoundRow;
use crate::section::Section;
use crate::time::date_vn;

pub const KEY: &str = "bright_spots";

pub fn section(
    conn: &mut DbConn,
    round: &RoundRow,
    teams: Option<&[String]>,
) -> Result<Section, DomainError> {
    let mut units = crate::recommendations::earlier::units_of_round(conn, &round.id, teams)?;
    units.sort();
    units.dedup();
    let located = if units.is_empty() {
        Vec::new()
    } else {
        let f = Filter {
            units_in: Some(units),
            ..Filter::default()
        };
        store::located(conn, &f)?
    };
    let ids: Vec<String> = located.iter().map(|l| l.spot.id.clone()).collect();
    // In time order, so the latest review of the round stays per bright spot.
    let mut latest = HashMap::new();
    for r in store::reviews_in_round(conn, &round.id, &ids)? {
        latest.insert(r.bright_spot_id.clone(), r);
    }
    let rows = located
        .into_iter()
        .map(|l| {
            let review = latest.remove(&l.spot.id);
            let status = Status::parse(&l.spot.status).map(Status::label_vi);
            vec![
                l.unit_name,
                l.spot.name,
                l.spot.field,
                date_vn(l.spot.registered_on),
                status.unwrap_or_default().to_owned(),
                review
                    .as_ref()
                    .and_then(|r| ReviewResult::parse(&r.result))
                    .map(|r| r.label_vi().to_owned())
                    .unwrap_or_else(|| "Chưa đánh giá".to_owned()),
                review.map(|r| r.comment).unwrap_or_default(),
            ]
        })
        .collect();
    Ok(Section {
        key: KEY,
        title: "ĐIỂM SÁNG CÔNG TÁC DÂN VẬN".into(),
        intro: Some(
            "Các điểm sáng về công tác dân vận chính quyền do các đơn vị được kiểm tra trong đợt này đăng ký, tình trạng và kết quả đánh giá trong đợt."
                .into(),
        ),
        columns: [
            ("Đơn vị", 16),
            ("Điểm sáng", 22),
            ("Lĩnh vực", 14),
            ("Ngày đăng ký", 11),
            ("Tình trạng", 12),
            ("Đánh giá đợt này", 12),
            ("Nhận xét", 20),
        ]
        .into_iter()
        .map(|(c, w)| (c.to_owned(), w))
        .collect(),
        rows,
        empty: "Các đơn vị được kiểm tra trong đợt chưa đăng ký điểm sáng nào.".into(),
    })
}

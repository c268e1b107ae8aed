//! The round report's section "KẾT QUẢ TỰ KIỂM TRA CỦA ĐƠN VỊ": per unit the report covers,
//! the self-score beside the inspected score, and the items where they differ.

use diesel::prelude::*;

use super::compare::{compare, short_label};
use super::store;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::rounds::store::RoundRow;
use crate::section::Section;
use crate::text::score as fmt;

/// How long a differing item's label may be in the report's list.
const LABEL: usize = 60;

fn cell(x: Option<f64>) -> String {
    x.map_or("—".into(), fmt)
}

/// One row per unit of `teams` (`None`: every team) in the round, by unit name.
pub fn section(
    conn: &mut DbConn,
    round: &RoundRow,
    teams: Option<&[String]>,
) -> Result<Section, DomainError> {
    use crate::db::schema::{assignments, units};
    let mut q = assignments::table
        .inner_join(units::table.on(units::id.eq(assignments::unit_id)))
        .filter(assignments::round_id.eq(&round.id))
        .into_boxed();
    if let Some(t) = teams {
        q = q.filter(assignments::team_id.eq_any(t.to_vec()));
    }
    let covered: Vec<(String, String)> = q
        .order(units::name.asc())
        .select((units::id, units::name))
        .load(conn)?;
    let mut rows = Vec::new();
    for (unit_id, name) in covered {
        let Some(own) = store::find(conn, &round.id, &unit_id)?.filter(|s| s.status == "submitted")
        else {
            rows.push(vec![
                name,
                "Chưa gửi".into(),
                String::new(),
                String::new(),
                String::new(),
            ]);
            continue;
        };
        let mine = store::answers_of(&store::answer_rows(conn, &own.id)?);
        let Some(ins) = crate::inspections::store::find_for_unit(conn, &round.id, &unit_id)? else {
            let line = vec![
                name,
                cell(own.score),
                "Chưa kiểm tra".into(),
                String::new(),
                String::new(),
            ];
            rows.push(line);
            continue;
        };
        let (inspected, _) = crate::inspections::service::report(conn, &ins)?;
        let t = crate::inspections::service::template_of(conn, &ins)?;
        let c = compare(&t, Some(&mine), &inspected);
        let which: Vec<String> = c
            .items
            .iter()
            .filter(|i| i.differs)
            .map(|i| short_label(&i.label, LABEL))
            .collect();
        rows.push(vec![
            name,
            cell(c.self_score),
            cell(c.inspected_score),
            c.differing.to_string(),
            which.join("; "),
        ]);
    }
    Ok(Section {
        key: "self_assessment",
        title: "KẾT QUẢ TỰ KIỂM TRA CỦA ĐƠN VỊ".into(),
        intro: Some(
            "Điểm đơn vị tự chấm trên cùng phiếu kiểm tra của đợt, so với điểm đoàn kiểm tra \
             chấm; các mục đơn vị và đoàn đánh giá khác nhau."
                .into(),
        ),
        columns: vec![
            ("Đơn vị".into(), 3),
            ("Điểm tự chấm".into(), 2),
            ("Điểm kiểm tra".into(), 2),
            ("Số mục khác".into(), 1),
            ("Các mục khác nhau".into(), 5),
        ],
        rows,
        empty: "Không có đơn vị nào trong phạm vi báo cáo.".into(),
    })
}

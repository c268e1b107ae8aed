//! What the demo teams found: the answers of a complete phiếu, and the findings and kiến nghị
//! written where inspectors write them (the inspection's own fields and recommendation rows),
//! so the summary, the DOCX and the biên bản quote them.

use chrono::NaiveDate;
use serde_json::{json, Value};

use crate::audit::Actor;
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::service::{self as inspections, Findings, RecommendationInput};
use crate::scope::Scope;
use crate::templates::{Answer, Answers, Template};

pub fn answers(pairs: &[(&str, Value)]) -> Answers {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Answer::value(v.clone())))
        .collect()
}

const STRENGTHS: &str = "Thực hiện tốt công tác tiếp công dân, giải quyết đơn thư đúng hạn.";
const SHORTCOMINGS: &str = "Chưa xây dựng Chương trình công tác dân vận chính quyền năm 2026; \
     chưa đăng ký điểm sáng.";
const CAUSES: &str = "Thay đổi tổ chức bộ máy, cán bộ phụ trách mới.";

/// A complete phiếu for a year round inspected in the autumn, with the answers an honest demo
/// can submit without photos: items whose "yes" needs photo evidence are answered "no", and
/// the year-end duties not yet due are "không áp dụng". Only items `template` has are kept,
/// so the demo submits under whichever version of the default checklist is published.
pub fn complete_answers(template: &Template) -> Answers {
    let full = json!("day_du");
    let part = json!("mot_phan");
    let mut a = answers(&[
        ("nv1.chuong_trinh", json!("no")),
        ("nv1.quan_triet", full.clone()),
        ("nv1.kl_114", full.clone()),
        ("nv1.ct_33", part.clone()),
        ("nv1.ct_13", full.clone()),
        ("nv1.da_04", part.clone()),
        ("nv2.lanh_dao_cap_uy", full.clone()),
        ("nv2.phoi_hop", full.clone()),
        ("nv2.nghi_quyet", part.clone()),
        ("nv2.bau_cu", full.clone()),
        ("nv2.chi_tieu", part.clone()),
        ("nv3.cai_cach", full.clone()),
        ("nv3.trung_tam_hcc", full.clone()),
        ("nv4.co_che", full.clone()),
        ("nv4.lay_y_kien", part.clone()),
        ("nv4.don_thu", full.clone()),
        ("nv4.tiep_cong_dan", full.clone()),
        ("nv4.doi_thoai", json!("no")),
        ("nv4.kien_nghi_nhan_dan", full.clone()),
        ("nv4.dang_vien_noi_cu_tru", part.clone()),
        ("nv5.dang_ky_diem_sang", json!("no")),
        ("nv6.ky_luat", full),
        ("nv7.tap_huan_can_bo", json!("no")),
        ("nv8.doi_ngu", part),
        ("nv9.tu_kiem_tra", json!("yes")),
        ("nv9.bao_cao_so_ket", json!("no")),
        // Until a version without them is published, the findings are also asked as
        // checklist text items; they hold the same words as the inspection's fields.
        ("ket_qua.uu_diem", json!(STRENGTHS)),
        ("ket_qua.han_che", json!(SHORTCOMINGS)),
        ("ket_qua.nguyen_nhan", json!(CAUSES)),
    ]);
    for not_yet_due in [
        "nv1.hoc_tap_bai_bao",
        "nv8.kien_toan_bcd",
        "nv9.bao_cao_tong_ket",
        "nv9.phuong_huong_2027",
    ] {
        a.insert(not_yet_due.into(), Answer::na());
    }
    a.retain(|id, answer| {
        template
            .item(id)
            .is_some_and(|item| !answer.na || item.allow_na)
    });
    a
}

/// Fills a draft: the complete answers, the team's findings, and one kiến nghị with the person
/// responsible for it and its due date.
pub fn fill(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    inspection_id: &str,
    template: &Template,
    responsible: &str,
) -> Result<(), DomainError> {
    let answers = complete_answers(template);
    inspections::save_answers(conn, actor, scope, inspection_id, &answers, None)?;
    write(conn, actor, scope, inspection_id, responsible)
}

/// The biên bản's record: the unit's address, a morning in the round, the team as it stands
/// and the unit's head (named in `responsible`) with an officer beside them.
fn record(
    conn: &mut DbConn,
    inspection_id: &str,
    responsible: &str,
) -> Result<Findings, DomainError> {
    use crate::inspections::store as rows;
    let row = rows::find(conn, inspection_id)?.ok_or(DomainError::NotFound)?;
    let unit = crate::units::store::find(conn, &row.unit_id)?.ok_or(DomainError::NotFound)?;
    let team = crate::teams::store::find(conn, &row.team_id)?.ok_or(DomainError::NotFound)?;
    let name = |conn: &mut DbConn, id: &str| -> Result<String, DomainError> {
        let full = crate::users::store::find_by_id(conn, id)?
            .map(|u| u.full_name)
            .unwrap_or_default();
        // Demo names carry their role after a dash ("… – Trưởng đoàn 1 (demo)").
        Ok(full.split(" – ").next().unwrap_or_default().to_owned())
    };
    let mut members = vec![json!({"name": name(conn, &team.lead_id)?, "title": "Trưởng đoàn"})];
    for id in crate::teams::store::members(conn, &team.id)? {
        if id != team.lead_id {
            members.push(json!({"name": name(conn, &id)?, "title": "Thành viên"}));
        }
    }
    let attendees = json!([
        {"name": "Nguyễn Thị Hoa", "title": responsible},
        {"name": "Phan Văn Đức", "title": "Công chức Văn phòng - Thống kê"},
    ]);
    Ok(Findings {
        place: Some(format!(
            "Trụ sở {}, {}",
            unit.name.trim_end_matches(" [demo]"),
            unit.address.unwrap_or_default()
        )),
        held_at: Some("2026-11-10T01:30:00Z".into()),
        members: Some(Value::Array(members).to_string()),
        attendees: Some(attendees.to_string()),
        ..Findings::default()
    })
}

fn write(
    conn: &mut DbConn,
    actor: &Actor,
    scope: &Scope,
    inspection_id: &str,
    responsible: &str,
) -> Result<(), DomainError> {
    let record = record(conn, inspection_id, responsible)?;
    inspections::update_findings(
        conn,
        actor,
        scope,
        inspection_id,
        &Findings {
            strengths: Some(STRENGTHS.into()),
            shortcomings: Some(SHORTCOMINGS.into()),
            causes: Some(CAUSES.into()),
            ..record
        },
        None,
    )?;
    inspections::add_recommendation(
        conn,
        actor,
        scope,
        inspection_id,
        &crate::db::new_id(),
        &RecommendationInput {
            content: Some(
                "Xây dựng, ban hành Chương trình công tác dân vận chính quyền năm 2026 và \
                 đăng ký điểm sáng về dân vận chính quyền; gửi Sở Nội vụ, Ban Tuyên giáo và \
                 Dân vận Tỉnh ủy."
                    .into(),
            ),
            responsible_unit_id: None,
            responsible: Some(responsible.to_owned()),
            due_on: NaiveDate::from_ymd_opt(2026, 12, 31),
            follow_up: None,
        },
    )?;
    Ok(())
}

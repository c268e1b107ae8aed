//! The demo domain data: the 2026 checklist published, some real-looking Nghệ An units
//! (every one marked `[demo]` and coded `DEMO-…`), two teams, an open round with assignments,
//! and inspections in each review state. Loaded through the same services as real data, so
//! it is validated and audited like anything else; each step is skipped when already there.

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::audit::Actor;
use crate::db::schema::{rounds, teams};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::{service as inspections, workflow::Action};
use crate::role::Role;
use crate::rounds::service::{self as round_service, RoundInput};
use crate::scope::Scope;
use crate::teams::service::{self as team_service, TeamInput};
use crate::templates::{service as templates, store as template_store, DEFAULT_2026};
use crate::units::{csv_import, service as unit_service};
use crate::users::store as users;

const UNITS_CSV: &str = "code,name,kind,address
DEMO-SO-NV,Sở Nội vụ [demo],department,Thành phố Vinh
DEMO-SO-TC,Sở Tài chính [demo],department,Thành phố Vinh
DEMO-SO-YT,Sở Y tế [demo],department,Thành phố Vinh
DEMO-P-TRUONGVINH,Phường Trường Vinh [demo],ward,Nghệ An
DEMO-P-THANHVINH,Phường Thành Vinh [demo],ward,Nghệ An
DEMO-X-NGHILOC,Xã Nghi Lộc [demo],commune,Nghệ An
DEMO-X-DIENCHAU,Xã Diễn Châu [demo],commune,Nghệ An
DEMO-X-QUYNHLUU,Xã Quỳnh Lưu [demo],commune,Nghệ An
";

pub const ROUND_NAME: &str = "Kiểm tra công tác dân vận chính quyền năm 2026 [demo]";

fn user_id(conn: &mut DbConn, username: &str) -> Result<String, DomainError> {
    users::find_by_username(conn, username)?
        .map(|u| u.id)
        .ok_or(DomainError::NotFound)
}

fn team(
    conn: &mut DbConn,
    actor: &Actor,
    name: &str,
    lead: &str,
    members: &[&str],
) -> Result<String, DomainError> {
    if let Some(id) = teams::table
        .filter(teams::name.eq(name))
        .select(teams::id)
        .first::<String>(conn)
        .optional()?
    {
        return Ok(id);
    }
    let member_ids = members
        .iter()
        .map(|m| user_id(conn, m))
        .collect::<Result<Vec<_>, _>>()?;
    let input = TeamInput {
        name: name.into(),
        lead_id: user_id(conn, lead)?,
        member_ids,
    };
    Ok(team_service::create(conn, actor, &input)?.id)
}

fn answers(pairs: &[(&str, Value)]) -> crate::templates::Answers {
    pairs
        .iter()
        .map(|(k, v)| {
            (
                (*k).to_owned(),
                crate::templates::Answer {
                    value: v.clone(),
                    na: false,
                },
            )
        })
        .collect()
}

/// A complete phiếu with the answers an honest demo can submit without photos: items whose
/// "yes" needs photo evidence are answered "no" until evidence uploads exist.
fn complete_answers() -> crate::templates::Answers {
    let full = json!("day_du");
    let part = json!("mot_phan");
    let mut a = answers(&[
        ("nv1.chuong_trinh", json!("no")),
        ("nv1.quan_triet", full.clone()),
        ("nv1.hoc_tap_bai_bao", json!("no")),
        ("nv2.phoi_hop", full.clone()),
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
        ("nv6.ky_luat", full.clone()),
        ("nv7.tap_huan", json!("no")),
        ("nv8.doi_ngu", part),
        ("nv9.tu_kiem_tra", json!("yes")),
        ("nv9.bao_cao_so_ket", json!("no")),
        ("nv9.bao_cao_tong_ket", json!("no")),
        ("nv9.phuong_huong_2027", json!("yes")),
        ("ket_qua.uu_diem", json!("Thực hiện tốt công tác tiếp công dân, giải quyết đơn thư đúng hạn.")),
        ("ket_qua.han_che", json!("Chưa xây dựng Chương trình công tác dân vận chính quyền năm 2026; chưa đăng ký điểm sáng.")),
        ("ket_qua.nguyen_nhan", json!("Thay đổi tổ chức bộ máy, cán bộ phụ trách mới.")),
    ]);
    a.insert("nv8.kien_toan_bcd".into(), crate::templates::Answer::na());
    a
}

/// Loads whatever part is missing.
pub fn load(conn: &mut DbConn) -> Result<(), DomainError> {
    let admin = Actor {
        user_id: Some(user_id(conn, "demo.admin")?),
        device_id: None,
    };

    let version_id = match template_store::find_by_code(conn, "dvcq-2026")? {
        Some(t) => match template_store::latest_published(conn, &t.id)? {
            Some(v) => v.id,
            None => templates::publish(conn, &admin, &t.id)?.id,
        },
        None => {
            let doc: Value = serde_json::from_str(DEFAULT_2026)
                .map_err(|e| DomainError::Db(crate::db::DbError::Corrupt(e.to_string())))?;
            let (t, _) = templates::create(conn, &admin, &doc)?;
            templates::publish(conn, &admin, &t.id)?.id
        }
    };

    let rows = csv_import::parse(UNITS_CSV.as_bytes()).map_err(DomainError::Invalid)?;
    unit_service::import(conn, &admin, &rows)?;
    let unit = |conn: &mut DbConn, code: &str| -> Result<String, DomainError> {
        crate::units::store::find_by_code(conn, code)?
            .map(|u| u.id)
            .ok_or(DomainError::NotFound)
    };

    let team1 = team(
        conn,
        &admin,
        "Đoàn kiểm tra số 1 [demo]",
        "demo.truongdoan1",
        &["demo.kiemtra1", "demo.kiemtra2"],
    )?;
    let team2 = team(
        conn,
        &admin,
        "Đoàn kiểm tra số 2 [demo]",
        "demo.truongdoan2",
        &["demo.kiemtra3"],
    )?;

    if rounds::table
        .filter(rounds::name.eq(ROUND_NAME))
        .count()
        .get_result::<i64>(conn)?
        > 0
    {
        return Ok(());
    }
    let date = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|e| DomainError::Db(crate::db::DbError::Corrupt(e.to_string())))
    };
    let round = round_service::create(
        conn,
        &admin,
        &RoundInput {
            name: ROUND_NAME.into(),
            kind: "year".into(),
            template_version_id: version_id,
            starts_on: date("2026-09-01")?,
            ends_on: date("2026-11-25")?,
            due_on: date("2026-11-30")?,
            status: "open".into(),
            plan_number: None,
            plan_date: None,
        },
    )?;
    let plan = [
        ("DEMO-SO-NV", &team1),
        ("DEMO-SO-TC", &team1),
        ("DEMO-P-TRUONGVINH", &team1),
        ("DEMO-X-NGHILOC", &team1),
        ("DEMO-SO-YT", &team2),
        ("DEMO-P-THANHVINH", &team2),
        ("DEMO-X-DIENCHAU", &team2),
        ("DEMO-X-QUYNHLUU", &team2),
    ];
    let mut pairs = Vec::new();
    for (code, team) in plan {
        pairs.push((unit(conn, code)?, team.clone()));
    }
    crate::rounds::assign::assign(conn, &admin, &round.id, &pairs)?;

    // One inspection in each state, as the people of the teams would make them.
    let as_user =
        |conn: &mut DbConn, name: &str, role: Role| -> Result<(Actor, Scope), DomainError> {
            let id = user_id(conn, name)?;
            Ok((
                Actor {
                    user_id: Some(id.clone()),
                    device_id: None,
                },
                Scope::for_user(conn, &id, role)?,
            ))
        };
    let (i1, s1) = as_user(conn, "demo.kiemtra1", Role::Inspector)?;
    let (l1, ls1) = as_user(conn, "demo.truongdoan1", Role::Lead)?;
    let (i3, s3) = as_user(conn, "demo.kiemtra3", Role::Inspector)?;
    let (l2, ls2) = as_user(conn, "demo.truongdoan2", Role::Lead)?;
    let start = |conn: &mut DbConn,
                 actor: &Actor,
                 scope: &Scope,
                 code: &str|
     -> Result<String, DomainError> {
        let id = crate::db::new_id();
        let u = unit(conn, code)?;
        inspections::create(conn, actor, scope, &id, &round.id, &u)?;
        Ok(id)
    };

    let draft = start(conn, &i1, &s1, "DEMO-X-NGHILOC")?;
    inspections::save_answers(
        conn,
        &i1,
        &s1,
        &draft,
        &answers(&[
            ("nv1.quan_triet", json!("day_du")),
            ("nv2.phoi_hop", json!("mot_phan")),
        ]),
        None,
    )?;

    let approved = start(conn, &i1, &s1, "DEMO-SO-NV")?;
    inspections::save_answers(conn, &i1, &s1, &approved, &complete_answers(), None)?;
    inspections::act(conn, &i1, &s1, &approved, Action::Submit, None)?;
    inspections::act(conn, &l1, &ls1, &approved, Action::Approve, None)?;

    let submitted = start(conn, &i3, &s3, "DEMO-X-DIENCHAU")?;
    inspections::save_answers(conn, &i3, &s3, &submitted, &complete_answers(), None)?;
    inspections::act(conn, &i3, &s3, &submitted, Action::Submit, None)?;

    let returned = start(conn, &i3, &s3, "DEMO-P-THANHVINH")?;
    inspections::save_answers(conn, &i3, &s3, &returned, &complete_answers(), None)?;
    inspections::act(conn, &i3, &s3, &returned, Action::Submit, None)?;
    inspections::act(
        conn,
        &l2,
        &ls2,
        &returned,
        Action::Return,
        Some("Đề nghị bổ sung minh chứng về tiếp xúc, đối thoại với Nhân dân."),
    )?;
    Ok(())
}

//! The demo's earlier round (issue 18, the follow-up): Xã Nghi Lộc inspected by team 1 in
//! 2025 and approved, with kiến nghị in every state of their follow-up (one overdue, one under
//! way with the lead's note, one done by the unit's own note, one new), and the unit's
//! submitted self-assessment; then the round closed. So `/kien-nghi` has work in it for the
//! lead and for `demo.donvi`, the 2026 inspection of Nghi Lộc shows the earlier round's open
//! recommendations, and `/tu-kiem-tra` a self-assessment already sent. Through the same
//! services as real data; skipped when the round is there.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use super::dataset::as_user;
use super::findings;
use super::DemoError;
use crate::db::schema::{rounds, teams};
use crate::db::{Db, DbConn};
use crate::domain::DomainError;
use crate::inspections::service::{self as inspections, RecommendationInput};
use crate::inspections::workflow::Action;
use crate::media::Media;
use crate::recommendations::service::{self as follow, RemedyInput};
use crate::role::Role;
use crate::rounds::service::{self as round_service, RoundInput};
use crate::templates::Answer;

pub const ROUND_NAME: &str = "Kiểm tra dân vận chính quyền năm 2025 [demo]";
const UNIT: &str = "DEMO-X-NGHILOC";
const TEAM: &str = "Đoàn kiểm tra số 1 [demo]";

/// The recommendations written on the 2025 inspection: (content, due date).
const RECOMMENDATIONS: [(&str, &str); 3] = [
    (
        "Tổ chức đối thoại trực tiếp giữa Chủ tịch UBND xã với Nhân dân ít nhất 01 lần trong \
         năm, có biên bản và thông báo kết quả.",
        "2026-06-30",
    ),
    (
        "Kiện toàn Ban Chỉ đạo công tác dân vận chính quyền xã sau sắp xếp đơn vị hành chính.",
        "2026-03-31",
    ),
    (
        "Lập sổ theo dõi tiếp công dân, giải quyết đơn thư theo mẫu; công khai kết quả tại \
         trụ sở.",
        "2027-03-31",
    ),
];

fn date(s: &str) -> Result<NaiveDate, DomainError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| DomainError::Db(crate::db::DbError::Corrupt(e.to_string())))
}

/// Loads the earlier round when it is missing (after the 2026 dataset and `demo.donvi`).
pub async fn load(db: &Db, media: &Media) -> Result<(), DemoError> {
    let Some(staged) = db.write(start).await? else {
        return Ok(());
    };
    // The checklist requires a meeting photo to submit, as for the 2026 inspections.
    // Seed 5: the 2026 inspections take 0 to 4 (photo.rs adds 20 per seed to a u8).
    super::photo::attach(media, db, &staged.inspection, "demo.kiemtra1", 5).await?;
    db.write(move |c| conclude(c, &staged)).await?;
    Ok(())
}

struct Staged {
    round: String,
    inspection: String,
    recommendations: Vec<String>,
}

/// The round, its assignment and the filled inspection; `None` when the round exists.
fn start(conn: &mut DbConn) -> Result<Option<Staged>, DomainError> {
    let taken: i64 = rounds::table
        .filter(rounds::name.eq(ROUND_NAME))
        .count()
        .get_result(conn)?;
    let later: Option<String> = rounds::table
        .filter(rounds::name.eq(super::dataset::ROUND_NAME))
        .select(rounds::template_version_id)
        .first(conn)
        .optional()?;
    let (0, Some(version)) = (taken, later) else {
        return Ok(None);
    };
    let (admin, _) = as_user(conn, "demo.admin", Role::Admin)?;
    let round = round_service::create(
        conn,
        &admin,
        &RoundInput {
            name: ROUND_NAME.into(),
            kind: "year".into(),
            template_version_id: version.clone(),
            starts_on: date("2025-09-01")?,
            ends_on: date("2025-11-25")?,
            due_on: date("2025-11-30")?,
            status: "open".into(),
            plan_number: None,
            plan_date: None,
        },
    )?;
    let team: String = teams::table
        .filter(teams::name.eq(TEAM))
        .select(teams::id)
        .first(conn)?;
    let unit = crate::units::store::find_by_code(conn, UNIT)?.ok_or(DomainError::NotFound)?;
    crate::rounds::assign::assign(conn, &admin, &round.id, &[(unit.id.clone(), team)])?;

    let (i1, s1) = as_user(conn, "demo.kiemtra1", Role::Inspector)?;
    let inspection = crate::db::new_id();
    inspections::create(conn, &i1, &s1, &inspection, &round.id, &unit.id)?;
    let (_, template) = crate::templates::service::published_template(conn, &version)?;
    findings::fill(
        conn,
        &i1,
        &s1,
        &inspection,
        &template,
        "Chủ tịch UBND xã Nghi Lộc",
    )?;
    let mut recommendations = Vec::new();
    for (content, due) in RECOMMENDATIONS {
        let id = crate::db::new_id();
        let input = RecommendationInput {
            content: Some(content.into()),
            responsible_unit_id: Some(unit.id.clone()),
            responsible: Some("UBND xã Nghi Lộc".into()),
            due_on: Some(date(due)?),
            follow_up: None,
        };
        inspections::add_recommendation(conn, &i1, &s1, &inspection, &id, &input)?;
        recommendations.push(id);
    }
    Ok(Some(Staged {
        round: round.id,
        inspection,
        recommendations,
    }))
}

/// Submitted and approved; the lead's and the unit's khắc phục notes; the unit's
/// self-assessment sent; the round closed.
fn conclude(conn: &mut DbConn, s: &Staged) -> Result<(), DomainError> {
    let (i1, s1) = as_user(conn, "demo.kiemtra1", Role::Inspector)?;
    let (l1, ls1) = as_user(conn, "demo.truongdoan1", Role::Lead)?;
    let (u, us) = as_user(conn, super::unit::USERNAME, Role::Unit)?;
    inspections::act(conn, &i1, &s1, &s.inspection, Action::Submit, None)?;
    inspections::act(conn, &l1, &ls1, &s.inspection, Action::Approve, None)?;
    let note = |note: &str, follow_up: &str| RemedyInput {
        note: note.into(),
        follow_up: follow_up.into(),
        version: None,
        device_id: None,
    };
    let done = note(
        "UBND xã đã ban hành Quyết định kiện toàn Ban Chỉ đạo công tác dân vận chính quyền \
         ngày 15/02/2026.",
        "done",
    );
    let id = crate::db::new_id();
    follow::add_remedy(conn, &u, &us, &s.recommendations[1], &id, &done)?;
    let under_way = note(
        "Đoàn đã kiểm tra lại: xã đã lập sổ theo dõi, chưa công khai kết quả tại trụ sở.",
        "in_progress",
    );
    let id = crate::db::new_id();
    follow::add_remedy(conn, &l1, &ls1, &s.recommendations[2], &id, &under_way)?;

    // The unit saw itself more kindly than the team did on two items (neither shows others).
    let row = crate::rounds::store::find(conn, &s.round)?.ok_or(DomainError::NotFound)?;
    let (_, template) =
        crate::templates::service::published_template(conn, &row.template_version_id)?;
    let mut answers = findings::complete_answers(&template);
    for item in ["nv4.lay_y_kien", "nv2.nghi_quyet"] {
        if template.item(item).is_some() {
            answers.insert(item.into(), Answer::value(json!("day_du")));
        }
    }
    // Items shown by another's answer after it: one at a time, a hidden one is refused.
    let mut ordered: Vec<(String, Answer)> = answers.into_iter().collect();
    ordered.sort_by_key(|(id, _)| template.item(id).is_some_and(|i| i.visible_if.is_some()));
    for (item, answer) in ordered {
        crate::selfcheck::service::save_answer(conn, &u, &us, &s.round, &item, answer, None)?;
    }
    crate::selfcheck::service::submit(conn, &u, &us, &s.round, None)?;

    let (admin, _) = as_user(conn, "demo.admin", Role::Admin)?;
    let closed = RoundInput {
        name: row.name.clone(),
        kind: row.kind.clone(),
        template_version_id: row.template_version_id.clone(),
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        due_on: row.due_on,
        status: "closed".into(),
        plan_number: row.plan_number.clone(),
        plan_date: row.plan_date,
    };
    round_service::update(conn, &admin, &row, &closed, None)?;
    Ok(())
}

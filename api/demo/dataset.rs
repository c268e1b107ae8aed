//! The demo domain data: the 2026 checklist published, some real-looking Nghệ An units
//! (every one marked `[demo]` and coded `DEMO-…`), two teams, an open round with assignments,
//! and inspections in each review state. Loaded through the same services as real data, so
//! it is validated and audited like anything else; each step is skipped when already there.

use diesel::prelude::*;
use serde_json::json;

use crate::audit::Actor;
use crate::db::schema::{rounds, teams};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::inspections::{service as inspections, workflow::Action};
use crate::role::Role;
use crate::rounds::service::{self as round_service, RoundInput};
use crate::scope::Scope;
use crate::teams::service::{self as team_service, TeamInput};
use crate::templates::install::install_default;
use crate::templates::service as templates;
use crate::templates::Template;
use crate::units::{csv_import, service as unit_service};
use crate::users::store as users;

use super::findings::{self, answers};

// Addresses follow the 2025 reorganisation: no district level, and the former city of Vinh is
// now wards (Trường Vinh, Thành Vinh, Vinh Hưng, Vinh Phú, Vinh Lộc, …).
const UNITS_CSV: &str = "code,name,kind,address
DEMO-SO-NV,Sở Nội vụ [demo],department,\"Phường Thành Vinh, tỉnh Nghệ An\"
DEMO-SO-TC,Sở Tài chính [demo],department,\"Phường Thành Vinh, tỉnh Nghệ An\"
DEMO-SO-YT,Sở Y tế [demo],department,\"Phường Trường Vinh, tỉnh Nghệ An\"
DEMO-P-TRUONGVINH,Phường Trường Vinh [demo],ward,\"Phường Trường Vinh, tỉnh Nghệ An\"
DEMO-P-THANHVINH,Phường Thành Vinh [demo],ward,\"Phường Thành Vinh, tỉnh Nghệ An\"
DEMO-X-NGHILOC,Xã Nghi Lộc [demo],commune,\"Xã Nghi Lộc, tỉnh Nghệ An\"
DEMO-X-DIENCHAU,Xã Diễn Châu [demo],commune,\"Xã Diễn Châu, tỉnh Nghệ An\"
DEMO-X-QUYNHLUU,Xã Quỳnh Lưu [demo],commune,\"Xã Quỳnh Lưu, tỉnh Nghệ An\"
";

pub const ROUND_NAME: &str = "Kiểm tra công tác dân vận chính quyền năm 2026 [demo]";

fn unit_id(conn: &mut DbConn, code: &str) -> Result<String, DomainError> {
    crate::units::store::find_by_code(conn, code)?
        .map(|u| u.id)
        .ok_or(DomainError::NotFound)
}

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

/// Someone of the demo, acting with their scope.
pub fn as_user(conn: &mut DbConn, name: &str, role: Role) -> Result<(Actor, Scope), DomainError> {
    let id = user_id(conn, name)?;
    Ok((
        Actor {
            user_id: Some(id.clone()),
            device_id: None,
        },
        Scope::for_user(conn, &id, role)?,
    ))
}

/// Loads whatever part is missing. The inspections it starts are returned staged: filled,
/// still drafts, waiting for their photos.
pub fn load(conn: &mut DbConn) -> Result<Option<Staged>, DomainError> {
    let admin = Actor {
        user_id: Some(user_id(conn, "demo.admin")?),
        device_id: None,
    };

    // The published default as it is, even when an administrator has since published another
    // version of it: the demo never changes a real checklist.
    let version_id = install_default(conn, &admin, false)?.version_id;
    let (_, template) = templates::published_template(conn, &version_id)?;

    let rows = csv_import::parse(UNITS_CSV.as_bytes()).map_err(DomainError::Invalid)?;
    unit_service::import(conn, &admin, &rows)?;

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

    let Some(round_id) = open_round(conn, &admin, version_id, &team1, &team2)? else {
        return Ok(None);
    };
    start_inspections(conn, &round_id, &template).map(Some)
}

/// The demo round and its assignments; `None` when it is already there.
fn open_round(
    conn: &mut DbConn,
    admin: &Actor,
    version_id: String,
    team1: &str,
    team2: &str,
) -> Result<Option<String>, DomainError> {
    if rounds::table
        .filter(rounds::name.eq(ROUND_NAME))
        .count()
        .get_result::<i64>(conn)?
        > 0
    {
        return Ok(None);
    }
    let date = |s: &str| {
        chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|e| DomainError::Db(crate::db::DbError::Corrupt(e.to_string())))
    };
    let round = round_service::create(
        conn,
        admin,
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
        ("DEMO-SO-NV", team1),
        ("DEMO-SO-TC", team1),
        ("DEMO-P-TRUONGVINH", team1),
        ("DEMO-X-NGHILOC", team1),
        ("DEMO-SO-YT", team2),
        ("DEMO-P-THANHVINH", team2),
        ("DEMO-X-DIENCHAU", team2),
        ("DEMO-X-QUYNHLUU", team2),
    ];
    let mut pairs = Vec::new();
    for (code, team) in plan {
        pairs.push((unit_id(conn, code)?, team.to_owned()));
    }
    crate::rounds::assign::assign(conn, admin, &round.id, &pairs)?;

    Ok(Some(round.id))
}

/// One inspection in each state, as the people of the teams would make them.
fn start_inspections(
    conn: &mut DbConn,
    round_id: &str,
    template: &Template,
) -> Result<Staged, DomainError> {
    let (i1, s1) = as_user(conn, "demo.kiemtra1", Role::Inspector)?;
    let (i3, s3) = as_user(conn, "demo.kiemtra3", Role::Inspector)?;
    let start = |conn: &mut DbConn,
                 actor: &Actor,
                 scope: &Scope,
                 code: &str|
     -> Result<String, DomainError> {
        let id = crate::db::new_id();
        let u = unit_id(conn, code)?;
        inspections::create(conn, actor, scope, &id, round_id, &u)?;
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
    findings::fill(conn, &i1, &s1, &approved, template, "Giám đốc Sở Nội vụ")?;
    let submitted = start(conn, &i3, &s3, "DEMO-X-DIENCHAU")?;
    findings::fill(
        conn,
        &i3,
        &s3,
        &submitted,
        template,
        "Chủ tịch UBND xã Diễn Châu",
    )?;
    let (i2, s2) = as_user(conn, "demo.kiemtra2", Role::Inspector)?;
    let waiting = start(conn, &i2, &s2, "DEMO-SO-TC")?;
    findings::fill(conn, &i2, &s2, &waiting, template, "Giám đốc Sở Tài chính")?;
    let also_waiting = start(conn, &i1, &s1, "DEMO-P-TRUONGVINH")?;
    findings::fill(
        conn,
        &i1,
        &s1,
        &also_waiting,
        template,
        "Chủ tịch UBND phường Trường Vinh",
    )?;
    let returned = start(conn, &i3, &s3, "DEMO-P-THANHVINH")?;
    findings::fill(
        conn,
        &i3,
        &s3,
        &returned,
        template,
        "Chủ tịch UBND phường Thành Vinh",
    )?;
    super::conflict::stage(conn, &draft)?;
    Ok(Staged {
        approved,
        submitted,
        waiting,
        also_waiting,
        returned,
    })
}

/// The three inspections that go on to be submitted, once their meeting photo is attached
/// (the checklist requires one, and the demo keeps the rules like real data).
pub struct Staged {
    pub approved: String,
    pub submitted: String,
    /// Team 1's two inspections waiting for their lead's review.
    pub waiting: String,
    pub also_waiting: String,
    pub returned: String,
}

impl Staged {
    /// Each staged inspection with the inspector who made it.
    pub fn photographers(&self) -> [(&str, &'static str); 5] {
        [
            (&self.approved, "demo.kiemtra1"),
            (&self.submitted, "demo.kiemtra3"),
            (&self.waiting, "demo.kiemtra2"),
            (&self.also_waiting, "demo.kiemtra1"),
            (&self.returned, "demo.kiemtra3"),
        ]
    }
}

/// Submits the staged inspections, approves one and returns another, as their teams would.
pub fn conclude(conn: &mut DbConn, staged: &Staged) -> Result<(), DomainError> {
    let (i1, s1) = as_user(conn, "demo.kiemtra1", Role::Inspector)?;
    let (l1, ls1) = as_user(conn, "demo.truongdoan1", Role::Lead)?;
    let (i3, s3) = as_user(conn, "demo.kiemtra3", Role::Inspector)?;
    let (l2, ls2) = as_user(conn, "demo.truongdoan2", Role::Lead)?;
    inspections::act(conn, &i1, &s1, &staged.approved, Action::Submit, None)?;
    inspections::act(conn, &l1, &ls1, &staged.approved, Action::Approve, None)?;
    inspections::act(conn, &i3, &s3, &staged.submitted, Action::Submit, None)?;
    let (i2, s2) = as_user(conn, "demo.kiemtra2", Role::Inspector)?;
    inspections::act(conn, &i2, &s2, &staged.waiting, Action::Submit, None)?;
    inspections::act(conn, &i1, &s1, &staged.also_waiting, Action::Submit, None)?;
    inspections::act(conn, &i3, &s3, &staged.returned, Action::Submit, None)?;
    inspections::act(
        conn,
        &l2,
        &ls2,
        &staged.returned,
        Action::Return,
        Some("Đề nghị bổ sung minh chứng về tiếp xúc, đối thoại với Nhân dân."),
    )?;
    Ok(())
}

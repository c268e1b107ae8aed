//! Reminders (đôn đốc): the round's missing list turned into notifications. Inspectors of the
//! unit's team hear of work not started, late or short of evidence; the team's lead of
//! inspections waiting for approval past the deadline. One per person, unit, reason and local
//! day: the dedupe key says so, so asking again the same day (or two processes asking at once)
//! adds nothing.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use super::store::{notify, NewNotification};
use crate::audit::{self, Actor};
use crate::db::schema::{team_members, teams, users};
use crate::db::DbConn;
use crate::domain::DomainError;
use crate::reports::missing::{self, MissingUnit, Reason};
use crate::role::Role;
use crate::scope::Scope;

/// Who asks: a person (their scope decides which units) or the daily run (every unit whose own
/// deadline has passed).
pub enum Sender<'a> {
    Person(&'a Scope),
    Daily,
}

/// Who is told of `reason`: the lead for an approval, the team's inspectors otherwise.
pub fn recipients(reason: Reason, lead: &str, members: &[String]) -> Vec<String> {
    match reason {
        Reason::AwaitingApprovalPastDue => vec![lead.to_owned()],
        _ => members.iter().filter(|m| *m != lead).cloned().collect(),
    }
}

/// The key that makes a reminder once a day per person, round, unit and reason.
pub fn dedupe_key(user: &str, round: &str, unit: &str, reason: Reason, day: NaiveDate) -> String {
    let reason = serde_json::to_value(reason)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    format!("reminder:{user}:{round}:{unit}:{reason}:{day}")
}

/// The reminder's title, body and link, in Vietnamese.
pub fn text(round_name: &str, u: &MissingUnit, reason: Reason) -> (String, String, String) {
    let title = format!("Đôn đốc: {} – {}", u.name, reason.vi());
    let body = format!(
        "Đợt kiểm tra «{round_name}»: đơn vị {} ({}) – {}. Hạn hoàn thành: {}.",
        u.name,
        u.team_name,
        reason.vi().to_lowercase(),
        crate::time::date_vn(u.due_on),
    );
    let link = match (&u.inspection_id, reason) {
        (Some(id), Reason::AwaitingApprovalPastDue) => format!("/phieu/{id}"),
        _ => "/thong-bao".to_owned(),
    };
    (title, body, link)
}

/// Active members of `team` and its lead.
fn team_people(conn: &mut DbConn, team: &str) -> Result<(String, Vec<String>), DomainError> {
    let lead: String = teams::table.find(team).select(teams::lead_id).first(conn)?;
    let members: Vec<String> = team_members::table
        .inner_join(users::table.on(users::id.eq(team_members::user_id)))
        .filter(team_members::team_id.eq(team))
        .filter(users::disabled.eq(false))
        .select(team_members::user_id)
        .load(conn)?;
    Ok((lead, members))
}

/// Sends the round's reminders for `today`; returns how many notifications were made (those
/// already sent today are not counted again). Leads remind only for the teams they lead; a
/// lead with no such team in the round is told the round is not found.
pub fn send(
    conn: &mut DbConn,
    actor: &Actor,
    sender: Sender<'_>,
    round_id: &str,
    today: NaiveDate,
) -> Result<usize, DomainError> {
    let scope = match &sender {
        Sender::Person(s) => Some(*s),
        Sender::Daily => None,
    };
    let round = crate::rounds::store::find(conn, round_id)?.ok_or(DomainError::NotFound)?;
    let board = crate::reports::service::board(conn, scope, round_id, today)?;
    // Only an open round has work to chase: a planned one is hidden from its inspectors (a
    // reminder would tell them of it), a closed one can no longer be written.
    if round.status != "open" {
        return Err(DomainError::conflict(
            "round_not_open",
            "Reminders are sent only for an open round.",
            "Chỉ gửi nhắc nhở cho đợt kiểm tra đang mở.",
        ));
    }
    let list = missing::compile(&board);
    let led = |team: &str| match scope {
        Some(s) if s.role == Role::Lead => s.led_team_ids.iter().any(|t| t == team),
        _ => true,
    };
    if !board.progress.teams.iter().any(|t| led(&t.team_id)) {
        return Err(DomainError::NotFound);
    }
    let mut made = 0;
    let mut people = std::collections::HashMap::new();
    for u in list.units.iter().filter(|u| led(&u.team_id)) {
        if matches!(sender, Sender::Daily) && today <= u.due_on {
            continue;
        }
        if !people.contains_key(&u.team_id) {
            people.insert(u.team_id.clone(), team_people(conn, &u.team_id)?);
        }
        let (lead, members) = &people[&u.team_id];
        for &reason in &u.reasons {
            let (title, body, link) = text(&round.name, u, reason);
            for user in recipients(reason, lead, members) {
                let n = NewNotification {
                    dedupe_key: dedupe_key(&user, round_id, &u.unit_id, reason, today),
                    user_id: user,
                    kind: "reminder".into(),
                    title: title.clone(),
                    body: body.clone(),
                    link: link.clone(),
                    round_id: Some(round_id.to_owned()),
                    unit_id: Some(u.unit_id.clone()),
                };
                if notify(conn, &n)? {
                    made += 1;
                }
            }
        }
    }
    if made > 0 {
        audit::append(
            conn,
            actor,
            "remind",
            "round",
            round_id,
            None,
            Some(&json!({"notifications": made, "day": today})),
        )?;
    }
    Ok(made)
}

/// The daily run: every open round, each unit whose own deadline has passed. Returns how many
/// notifications were made.
pub fn daily(conn: &mut DbConn, today: NaiveDate) -> Result<usize, DomainError> {
    use crate::db::schema::rounds;
    let open: Vec<String> = rounds::table
        .filter(rounds::status.eq("open"))
        .select(rounds::id)
        .load(conn)?;
    let mut made = 0;
    for id in open {
        match send(conn, &Actor::cli(), Sender::Daily, &id, today) {
            Ok(n) => made += n,
            // A round with no assignment yet has nobody to remind.
            Err(DomainError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approvals_go_to_the_lead_the_rest_to_the_inspectors() {
        let members = vec!["lead".to_owned(), "a".to_owned(), "b".to_owned()];
        assert_eq!(
            recipients(Reason::AwaitingApprovalPastDue, "lead", &members),
            ["lead"]
        );
        assert_eq!(recipients(Reason::NotStarted, "lead", &members), ["a", "b"]);
        assert_eq!(
            recipients(Reason::SubmittedShortOfEvidence, "lead", &members),
            ["a", "b"]
        );
    }

    #[test]
    fn one_key_per_person_unit_reason_and_day() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let k = dedupe_key("u", "r", "x", Reason::NotStarted, d);
        assert_eq!(k, "reminder:u:r:x:not_started:2026-12-02");
        assert_ne!(
            k,
            dedupe_key("u", "r", "x", Reason::NotStarted, d.succ_opt().unwrap())
        );
        assert_ne!(k, dedupe_key("u", "r", "x", Reason::InProgressPastDue, d));
    }
}

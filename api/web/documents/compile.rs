//! The lead's compilation from the page: the team's conclusion (`POST /dot/{id}/ket-luan`)
//! and the report's recommendations (`POST /dot/{id}/kien-nghi`, `…/kien-nghi/{rid}`,
//! `…/kien-nghi/{rid}/xoa`). Each calls the service `PUT /rounds/{id}/teams/{team}/
//! conclusion` and the report-recommendation endpoints call: the team's lead and
//! administrators write, others are refused with the API's words.

use actix_web::{web, HttpResponse};

use super::{answer, back, form_date, form_version, Fields};
use crate::db::DbConn;
use crate::domain::{parse_id, DomainError};
use crate::reports::conclusions::{self, ReportRecommendationInput};
use crate::reports::documents::service::team_names;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::csrf::Action;
use crate::web::WebError;

fn team_name(c: &mut DbConn, team_id: &str) -> Result<String, DomainError> {
    Ok(team_names(c, team_id)?.map_or_else(|| "đoàn".into(), |(n, _)| n))
}

/// A form's team id: a malformed one is a team nobody sees.
fn team_of(f: &Fields) -> Result<String, WebError> {
    Ok(parse_id(f.get("doan"))?)
}

/// `POST /dot/{id}/ket-luan`: writes the team's conclusion.
pub async fn conclusion(
    state: web::Data<AppState>,
    path: web::Path<String>,
    a: Action<Fields>,
) -> Result<HttpResponse, WebError> {
    let round = parse_id(&path)?;
    let to = back(&round);
    let me = a.user.me.clone();
    let actor = me.actor();
    let f = a.form;
    let result = state
        .db
        .write(move |c| -> Result<String, WebError> {
            let team = team_of(&f)?;
            let scope = Scope::load(c, &me)?;
            let version = form_version(f.get("phien-ban"));
            let body = f.get("noi-dung");
            conclusions::put_conclusion(c, &actor, &scope, &round, &team, body, version)?;
            Ok(format!("Đã lưu kết luận của {}.", team_name(c, &team)?))
        })
        .await;
    Ok(answer(&to, result))
}

/// The fields a recommendation form sends, as the service's input. Every field is sent, so
/// each replaces what was stored (a blank one clears it); the ticked boxes are the inspectors'
/// recommendations the row stands for.
fn input(f: &Fields) -> Result<ReportRecommendationInput, WebError> {
    Ok(ReportRecommendationInput {
        replaces: Some(f.all("thay")),
        grouping: Some(f.opt("nhom")),
        content: Some(f.get("noi-dung").to_owned()),
        responsible_unit_id: None,
        responsible: Some(f.opt("trach-nhiem")),
        due_on: Some(form_date("/due_on", f.get("han"))?),
    })
}

/// `POST /dot/{id}/kien-nghi`: adds a recommendation to the team's report.
pub async fn add(
    state: web::Data<AppState>,
    path: web::Path<String>,
    a: Action<Fields>,
) -> Result<HttpResponse, WebError> {
    let round = parse_id(&path)?;
    let to = back(&round);
    let me = a.user.me.clone();
    let actor = me.actor();
    let f = a.form;
    let result = state
        .db
        .write(move |c| -> Result<String, WebError> {
            let team = team_of(&f)?;
            let mut input = input(&f)?;
            // As the API's create: no unit named is none (not "unchanged").
            input.responsible_unit_id = Some(None);
            let scope = Scope::load(c, &me)?;
            conclusions::add_recommendation(c, &actor, &scope, &round, &team, &input)?;
            Ok(format!(
                "Đã thêm kiến nghị vào báo cáo của {}.",
                team_name(c, &team)?
            ))
        })
        .await;
    Ok(answer(&to, result))
}

/// The report recommendation `id`, if it belongs to this round (the page's address names
/// the round; a row of another round is not found here, as the API says for rows one may
/// not see).
fn of_round(c: &mut DbConn, round: &str, id: &str) -> Result<(), WebError> {
    match conclusions::find_recommendation(c, id)? {
        Some(r) if r.round_id == round => Ok(()),
        _ => Err(DomainError::NotFound.into()),
    }
}

/// `POST /dot/{id}/kien-nghi/{rid}`: changes a report recommendation.
pub async fn update(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    a: Action<Fields>,
) -> Result<HttpResponse, WebError> {
    let (round, id) = path.into_inner();
    let round = parse_id(&round)?;
    let to = back(&round);
    let me = a.user.me.clone();
    let actor = me.actor();
    let f = a.form;
    let result = state
        .db
        .write(move |c| -> Result<String, WebError> {
            let id = parse_id(&id)?;
            let input = input(&f)?;
            let scope = Scope::load(c, &me)?;
            of_round(c, &round, &id)?;
            let version = form_version(f.get("phien-ban"));
            conclusions::update_recommendation(c, &actor, &scope, &id, &input, version)?;
            Ok("Đã sửa kiến nghị.".to_owned())
        })
        .await;
    Ok(answer(&to, result))
}

/// `POST /dot/{id}/kien-nghi/{rid}/xoa`: removes a report recommendation; the inspectors'
/// ones it stood for show again.
pub async fn delete(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    a: Action<Fields>,
) -> Result<HttpResponse, WebError> {
    let (round, id) = path.into_inner();
    let round = parse_id(&round)?;
    let to = back(&round);
    let me = a.user.me.clone();
    let actor = me.actor();
    let result = state
        .db
        .write(move |c| -> Result<String, WebError> {
            let id = parse_id(&id)?;
            let scope = Scope::load(c, &me)?;
            of_round(c, &round, &id)?;
            conclusions::delete_recommendation(c, &actor, &scope, &id)?;
            Ok(
                "Đã xóa kiến nghị; các kiến nghị trong phiếu mà nó thay thế hiện lại trong báo cáo."
                    .to_owned(),
            )
        })
        .await;
    Ok(answer(&to, result))
}

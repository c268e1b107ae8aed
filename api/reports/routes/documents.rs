//! `GET`/`PUT /rounds/{id}/documents/{issuer}`: how an issuer's documents of the round are
//! numbered, dated and signed, and who receives them (Nghị định 30/2020/NĐ-CP).

use actix_web::{get, put, web, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::Actor;
use crate::auth::CurrentUser;
use crate::domain::{parse_id, DomainError, Faults};
use crate::error::ApiError;
use crate::reports::documents::issuer::{self, DocKind, Issuer, Settings};
use crate::reports::documents::service::{self as documents, Use};
use crate::reports::service::today;
use crate::scope::Scope;
use crate::state::AppState;

/// An issuer's settings for the round as documents print them (defaults filled in).
#[derive(Serialize, ToSchema)]
pub struct DocumentSettings {
    pub round_id: String,
    /// `snv`, `bcd` or `team:{team_id}`.
    #[schema(example = "snv")]
    pub issuer: String,
    #[schema(example = "UBND TỈNH NGHỆ AN")]
    pub parent_body: String,
    #[schema(example = "SỞ NỘI VỤ")]
    pub issuer_name: String,
    /// The report's symbol (a biên bản's is `BB-…`).
    #[schema(example = "BC-SNV")]
    pub symbol: String,
    /// Blank: left for the clerk to fill by hand.
    pub number: String,
    /// The document's date; `null`: the day it is downloaded.
    pub issued_on: Option<NaiveDate>,
    #[schema(example = "Nghệ An")]
    pub place: String,
    /// TM., KT., TL., TUQ. or Q. followed by the head's title; `null`: signing in one's own
    /// name.
    #[schema(example = "KT. GIÁM ĐỐC")]
    pub signer_authority: Option<String>,
    #[schema(example = "PHÓ GIÁM ĐỐC")]
    pub signer_title: String,
    /// `null`: the line is left for the name to be written by hand.
    pub signer_name: Option<String>,
    /// Nơi nhận, one line each (the renderer adds "- " and the punctuation).
    pub recipients: Vec<String>,
    /// 0 until first saved; send it back to be told of a concurrent edit.
    pub version: i64,
}

/// New settings: each field absent or `null` takes the issuer's default.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutDocumentSettings {
    pub parent_body: Option<String>,
    pub issuer_name: Option<String>,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub place: Option<String>,
    /// An empty string removes the default authority.
    pub signer_authority: Option<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    pub recipients: Option<Vec<String>>,
    /// The version you edited (0 for the first save); absent: overwrite.
    pub version: Option<i64>,
}

const AUTHORITIES: [&str; 5] = ["TM. ", "KT. ", "TL. ", "TUQ. ", "Q. "];

fn check(b: &PutDocumentSettings) -> Result<Settings, DomainError> {
    let mut f = Faults::default();
    let mut text = |pointer: &str, v: &Option<String>, max: usize| -> Option<String> {
        let v = v.as_deref().map(str::trim)?;
        if v.chars().count() > max {
            f.text(pointer, v, max);
        }
        Some(v.to_owned())
    };
    let s = Settings {
        parent_body: text("/parent_body", &b.parent_body, 200),
        issuer_name: text("/issuer_name", &b.issuer_name, 200),
        number: text("/number", &b.number, 20),
        issued_on: b.issued_on,
        place: text("/place", &b.place, 100),
        signer_authority: text("/signer_authority", &b.signer_authority, 100),
        signer_title: text("/signer_title", &b.signer_title, 100),
        signer_name: text("/signer_name", &b.signer_name, 100),
        recipients: b.recipients.as_ref().map(|r| {
            r.iter()
                .map(|l| l.trim().to_owned())
                .filter(|l| !l.is_empty())
                .collect()
        }),
    };
    let authority = s.signer_authority.as_deref().unwrap_or("");
    if !authority.is_empty()
        && !AUTHORITIES
            .iter()
            .any(|a| authority.to_uppercase().starts_with(a))
    {
        f.push(
            "/signer_authority",
            "invalid_authority",
            "TM., KT., TL., TUQ. or Q. followed by a title, or empty.",
            "TM., KT., TL., TUQ. hoặc Q. rồi đến chức danh; hoặc để trống.",
        );
    }
    let lines = s.recipients.as_deref().unwrap_or_default();
    if lines.len() > 30 || lines.iter().any(|l| l.chars().count() > 300) {
        f.push(
            "/recipients",
            "invalid_recipients",
            "At most 30 lines of 300 characters.",
            "Tối đa 30 dòng, mỗi dòng 300 ký tự.",
        );
    }
    f.finish()?;
    Ok(s)
}

/// The issuer named in a path (`snv`, `bcd`, `team:{id}`), as the API and the web app read it.
pub fn issuer_in_path(raw: &str) -> Result<Issuer, ApiError> {
    Issuer::parse(raw)
        .ok_or_else(|| ApiError::InvalidPath(format!("issuer `{raw}`: snv, bcd or team:<team id>")))
}

fn view(
    c: &mut crate::db::DbConn,
    round_id: &str,
    issuer: &Issuer,
) -> Result<DocumentSettings, DomainError> {
    let row = documents::stored(c, round_id, issuer)?;
    let stored = row.as_ref().map(|r| r.settings()).unwrap_or_default();
    let l = documents::letterhead(c, round_id, issuer, DocKind::Report, today())?;
    Ok(DocumentSettings {
        round_id: round_id.to_owned(),
        issuer: issuer.key(),
        parent_body: l.parent_body,
        issuer_name: l.issuer,
        symbol: l.symbol,
        number: l.number,
        issued_on: stored.issued_on,
        place: l.place,
        signer_authority: l.signer.authority,
        signer_title: l.signer.title,
        signer_name: l.signer.name,
        recipients: issuer::recipient_lines(&l.recipients)
            .into_iter()
            .map(|r| {
                r.trim_start_matches("- ")
                    .trim_end_matches([';', '.'])
                    .to_owned()
            })
            .collect(),
        version: row.map_or(0, |r| r.version),
    })
}

/// The body of `GET /rounds/{id}/documents/{issuer}`, shared with the web app's page.
pub fn read_settings(
    c: &mut crate::db::DbConn,
    scope: &Scope,
    round_id: &str,
    issuer: &Issuer,
) -> Result<DocumentSettings, DomainError> {
    documents::access(c, Some(scope), round_id, issuer, Use::Read)?;
    view(c, round_id, issuer)
}

/// The body of `PUT /rounds/{id}/documents/{issuer}`, shared with the web app's form.
pub fn write_settings(
    c: &mut crate::db::DbConn,
    actor: &Actor,
    scope: &Scope,
    round_id: &str,
    issuer: &Issuer,
    b: &PutDocumentSettings,
) -> Result<DocumentSettings, DomainError> {
    documents::access(c, Some(scope), round_id, issuer, Use::Write)?;
    let s = check(b)?;
    documents::put(c, actor, scope, round_id, issuer, &s, b.version)?;
    view(c, round_id, issuer)
}

/// An issuer's document settings for the round, defaults filled in (administrators and
/// viewers for `snv` and `bcd`; the team's lead and administrators for `team:{id}`).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = String, Path, description = "Round id"), ("issuer" = String, Path, description = "snv, bcd or team:{team_id}")), responses((status = 200, body = DocumentSettings)))]
#[get("/rounds/{id}/documents/{issuer}")]
pub async fn get_document_settings(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (round, raw) = path.into_inner();
    let (round, issuer) = (parse_id(&round)?, issuer_in_path(&raw)?);
    let v = state
        .db
        .read(move |c| {
            let scope = Scope::load(c, &me)?;
            read_settings(c, &scope, &round, &issuer)
        })
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

/// Replace an issuer's document settings for the round (administrators for `snv` and `bcd`;
/// the team's lead and administrators for `team:{id}`). Audited.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = String, Path, description = "Round id"), ("issuer" = String, Path, description = "snv, bcd or team:{team_id}")), request_body = PutDocumentSettings, responses((status = 200, body = DocumentSettings)))]
#[put("/rounds/{id}/documents/{issuer}")]
pub async fn put_document_settings(
    state: web::Data<AppState>,
    me: CurrentUser,
    path: web::Path<(String, String)>,
    body: web::Json<PutDocumentSettings>,
) -> Result<HttpResponse, ApiError> {
    let (round, raw) = path.into_inner();
    let (round, issuer) = (parse_id(&round)?, issuer_in_path(&raw)?);
    let b = body.into_inner();
    let actor = me.actor();
    let v = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            write_settings(c, &actor, &scope, &round, &issuer, &b)
        })
        .await?;
    Ok(HttpResponse::Ok().json(v))
}

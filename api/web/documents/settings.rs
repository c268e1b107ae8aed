//! Document settings per issuer (Sở Nội vụ, Ban Chỉ đạo, each team): number, date, place,
//! signer and recipients of the round's documents. Shown for every issuer the caller may
//! read, as a form where they may write (`POST /dot/{id}/van-ban/{issuer}`); the rules and
//! checks are `GET`/`PUT /rounds/{id}/documents/{issuer}`'s own.

use actix_web::{web, HttpResponse};

use super::{answer, back, form_date, form_version, Fields};
use crate::db::DbConn;
use crate::domain::{parse_id, DomainError};
use crate::reports::documents::service::{self as documents, Use};
use crate::reports::documents::Issuer;
use crate::reports::routes::documents::{
    issuer_in_path, read_settings, write_settings, DocumentSettings, PutDocumentSettings,
};
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::csrf::Action;
use crate::web::format;
use crate::web::WebError;

/// One issuer's settings as the page shows them.
pub struct IssuerBlock {
    /// Makes the form's field ids unique on the page.
    pub n: usize,
    pub key: String,
    pub label: String,
    pub editable: bool,
    pub s: DocumentSettings,
    pub issued_on: String,
    pub issued_on_iso: String,
    pub recipients_text: String,
}

/// How people name an issuer.
pub fn label(issuer: &Issuer, teams: &[(String, String)]) -> String {
    match issuer {
        Issuer::Snv => "Sở Nội vụ".into(),
        Issuer::Bcd => "Ban Chỉ đạo".into(),
        Issuer::Team(id) => teams
            .iter()
            .find(|(t, _)| t == id)
            .map_or_else(|| "Đoàn kiểm tra".into(), |(_, n)| n.clone()),
    }
}

/// Sở Nội vụ, the committee, then the teams in view.
pub fn issuers(teams: &[(String, String)]) -> Vec<Issuer> {
    let mut out = vec![Issuer::Snv, Issuer::Bcd];
    out.extend(teams.iter().map(|(id, _)| Issuer::Team(id.clone())));
    out
}

/// Whether the service lets the caller `use_` the issuer's documents; other errors pass.
pub fn allowed(
    c: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    issuer: &Issuer,
    use_: Use,
) -> Result<bool, DomainError> {
    match documents::access(c, Some(scope), round_id, issuer, use_) {
        Ok(_) => Ok(true),
        Err(DomainError::Forbidden | DomainError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Every issuer whose settings the caller may read, and whether they may write them.
pub fn blocks(
    c: &mut DbConn,
    scope: &Scope,
    round_id: &str,
    teams: &[(String, String)],
) -> Result<Vec<IssuerBlock>, DomainError> {
    let mut out = Vec::new();
    for issuer in issuers(teams) {
        let s = match read_settings(c, scope, round_id, &issuer) {
            Ok(s) => s,
            Err(DomainError::Forbidden | DomainError::NotFound) => continue,
            Err(e) => return Err(e),
        };
        out.push(IssuerBlock {
            n: out.len() + 1,
            key: issuer.key(),
            label: label(&issuer, teams),
            editable: allowed(c, scope, round_id, &issuer, Use::Write)?,
            issued_on: s.issued_on.map(format::date).unwrap_or_default(),
            issued_on_iso: s.issued_on.map(|d| d.to_string()).unwrap_or_default(),
            recipients_text: s.recipients.join("\n"),
            s,
        });
    }
    Ok(out)
}

/// The form's fields as the API's body: every field sent (a blank one takes the issuer's
/// default; a blank authority removes the default one, as in the API).
fn body(f: &Fields) -> Result<PutDocumentSettings, WebError> {
    let text = |name: &str| Some(f.get(name).to_owned());
    Ok(PutDocumentSettings {
        parent_body: text("co-quan-chu-quan"),
        issuer_name: text("co-quan"),
        number: text("so"),
        issued_on: form_date("/issued_on", f.get("ngay"))?,
        place: text("dia-diem"),
        signer_authority: text("tham-quyen"),
        signer_title: text("chuc-vu"),
        signer_name: text("nguoi-ky"),
        recipients: Some(f.get("noi-nhan").lines().map(str::to_owned).collect()),
        version: form_version(f.get("phien-ban")),
    })
}

/// `POST /dot/{id}/van-ban/{issuer}`.
pub async fn save(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    a: Action<Fields>,
) -> Result<HttpResponse, WebError> {
    let (round, raw) = path.into_inner();
    let round = parse_id(&round)?;
    let to = back(&round);
    let me = a.user.me.clone();
    let actor = me.actor();
    let result = match (issuer_in_path(&raw), body(&a.form)) {
        (Err(e), _) => Err(WebError::Api(e)),
        (_, Err(e)) => Err(e),
        (Ok(issuer), Ok(b)) => {
            state
                .db
                .write(move |c| -> Result<String, WebError> {
                    let scope = Scope::load(c, &me)?;
                    write_settings(c, &actor, &scope, &round, &issuer, &b)?;
                    let name = match issuer.team_id() {
                        Some(t) => documents::team_names(c, t)?.map(|(n, _)| n),
                        None => None,
                    };
                    let teams: Vec<(String, String)> = issuer
                        .team_id()
                        .zip(name)
                        .map(|(t, n)| (t.to_owned(), n))
                        .into_iter()
                        .collect();
                    Ok(format!(
                        "Đã lưu thiết lập văn bản của {}.",
                        label(&issuer, &teams)
                    ))
                })
                .await
        }
    };
    Ok(answer(&to, result))
}

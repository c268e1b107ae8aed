//! `POST /tu-kiem-tra/{id}/tep`: evidence for an item of the unit's self-assessment, through
//! the API's own rule (`selfcheck::files`) and the attachments' checks.

use actix_multipart::form::MultipartForm;
use actix_web::{web, HttpResponse, ResponseError};

use crate::attachments::OwnerKind;
use crate::domain::parse_id;
use crate::scope::Scope;
use crate::state::AppState;
use crate::web::attach::{self, FileForm};
use crate::web::{WebError, WebUser};

pub async fn attach_file(
    state: web::Data<AppState>,
    user: WebUser,
    id: web::Path<String>,
    form: Result<MultipartForm<FileForm>, actix_web::Error>,
) -> HttpResponse {
    let round = match parse_id(&id) {
        Ok(r) => r,
        Err(e) => return WebError::from(e).error_response(),
    };
    let page = super::page::back(&round);
    let done = async {
        let (me, r2, db) = (user.me.clone(), round.clone(), state.db.clone());
        let allowed = |item: String| async move {
            db.read(move |c| {
                let scope = Scope::load(c, &me)?;
                crate::selfcheck::files::may_attach(c, &scope, &r2, &item)
            })
            .await?;
            Ok(())
        };
        let owner = OwnerKind::SelfAssessmentItem;
        let sent = attach::receive(&state, &user, form, owner, allowed).await?;
        let ids = (round.clone(), sent.item, sent.id);
        let me = user.me.clone();
        let (f, _) = crate::selfcheck::files::store(&state, me, ids, sent.name, sent.file).await?;
        Ok::<_, WebError>(f)
    }
    .await;
    attach::finish(&page, done)
}

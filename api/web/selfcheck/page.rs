//! The unit's page: its rounds, and the chosen round's checklist as a form (every item kind
//! the checklist has), saved as a whole and then submitted.

use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use serde::Deserialize;

use super::form;
use crate::attachments::listing::FileView;
use crate::domain::{parse_id, DomainError};
use crate::scope::Scope;
use crate::selfcheck::service::{self, SelfAssessmentView};
use crate::state::AppState;
use crate::templates::model::{Answer, Answers, ItemType};
use crate::web::attach::FileLine;
use crate::web::csrf::Action;
use crate::web::flash::{self, Flash};
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

/// One choice of a choice item.
pub struct ChoiceView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One item of the form.
pub struct FieldView {
    pub id: String,
    pub field: String,
    pub na_field: String,
    pub label: String,
    pub help: Option<String>,
    /// `yes_no`, `single_choice`, `multi_choice`, `text`, `number`, `date`, `rating`, `photo`.
    pub kind: &'static str,
    pub required: bool,
    pub allow_na: bool,
    pub na: bool,
    /// The current value of a text, number or date field.
    pub text: String,
    pub choices: Vec<ChoiceView>,
    pub min: String,
    pub max: String,
    /// Its evidence files.
    pub files: Vec<FileLine>,
}

pub struct SectionView {
    pub title: String,
    pub fields: Vec<FieldView>,
}

pub struct RoundLink {
    pub href: String,
    pub name: String,
    pub status: &'static str,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "selfcheck.html")]
struct SelfCheckPage {
    layout: Layout,
    rounds: Vec<RoundLink>,
    chosen: Option<SelfAssessmentView>,
    status: &'static str,
    editable: bool,
    score: String,
    sections: Vec<SectionView>,
    /// A fresh id for the file form, so a form sent twice attaches one file.
    file_id: String,
}

fn status_vi(s: &str) -> &'static str {
    match s {
        "submitted" => "Đã gửi",
        "draft" => "Đang điền",
        _ => "Chưa điền",
    }
}

fn kind(k: ItemType) -> &'static str {
    match k {
        ItemType::YesNo => "yes_no",
        ItemType::SingleChoice => "single_choice",
        ItemType::MultiChoice => "multi_choice",
        ItemType::Text => "text",
        ItemType::Number => "number",
        ItemType::Date => "date",
        ItemType::Rating => "rating",
        ItemType::Photo => "photo",
    }
}

fn field_view(
    item: &crate::templates::model::Item,
    a: Option<&Answer>,
    files: Option<&Vec<FileView>>,
) -> FieldView {
    let a = a.cloned().unwrap_or_default();
    let chosen: Vec<String> = a.chosen().into_iter().map(str::to_owned).collect();
    let mut choices: Vec<ChoiceView> = match item.kind {
        ItemType::YesNo => vec![("yes", "Có"), ("no", "Không")]
            .into_iter()
            .map(|(v, l)| ChoiceView {
                value: v.into(),
                label: l.into(),
                checked: false,
            })
            .collect(),
        _ => item
            .options()
            .iter()
            .map(|o| ChoiceView {
                value: o.value.clone(),
                label: o.label.clone(),
                checked: false,
            })
            .collect(),
    };
    choices
        .iter_mut()
        .for_each(|c| c.checked = chosen.contains(&c.value));
    let text = match &a.value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        v => v.to_string(),
    };
    let (min, max) = match (&item.scale, item.min, item.max) {
        (Some(s), _, _) => (s.min.to_string(), s.max.to_string()),
        (None, min, max) => (
            min.map(|m| m.to_string()).unwrap_or_default(),
            max.map(|m| m.to_string()).unwrap_or_default(),
        ),
    };
    FieldView {
        id: item.id.clone(),
        field: form::field(&item.id),
        na_field: form::na_field(&item.id),
        label: item.label.clone(),
        help: item.help.clone(),
        kind: kind(item.kind),
        required: item.required,
        allow_na: item.allow_na,
        na: a.na,
        text,
        choices,
        min,
        max,
        files: files.into_iter().flatten().map(FileLine::of).collect(),
    }
}

fn answers_of(v: &SelfAssessmentView) -> Answers {
    v.answers
        .iter()
        .filter_map(|(k, a)| Some((k.clone(), serde_json::from_value(a.clone()).ok()?)))
        .collect()
}

#[derive(Deserialize)]
pub struct Chosen {
    /// The round to show (`dot`); the newest open one otherwise.
    #[serde(default)]
    dot: Option<String>,
}

pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    q: web::Query<Chosen>,
) -> Result<HttpResponse, WebError> {
    let me = user.me.clone();
    let wanted = q.into_inner().dot;
    let (all, sections) = state
        .db
        .read(move |c| -> Result<_, WebError> {
            let scope = Scope::load(c, &me)?;
            let all = service::list_own(c, &scope)?;
            let pick = all
                .iter()
                .find(|v| Some(&v.round_id) == wanted.as_ref())
                .or_else(|| all.iter().find(|v| v.round_status == "open"))
                .or(all.first())
                .map(|v| v.round_id.clone());
            let mut sections = Vec::new();
            if let Some(v) = pick
                .as_ref()
                .and_then(|id| all.iter().find(|v| &v.round_id == id))
            {
                let (_, t) =
                    crate::templates::service::published_template(c, &v.template_version_id)?;
                let answers = answers_of(v);
                sections = t
                    .sections
                    .iter()
                    .map(|s| SectionView {
                        title: s.title.clone(),
                        fields: s
                            .items
                            .iter()
                            .map(|i| field_view(i, answers.get(&i.id), v.files.get(&i.id)))
                            .collect(),
                    })
                    .collect();
            }
            Ok((
                all.into_iter()
                    .map(|v| (pick.clone(), v))
                    .collect::<Vec<_>>(),
                sections,
            ))
        })
        .await?;
    let rounds = all
        .iter()
        .map(|(pick, v)| RoundLink {
            href: format!("/tu-kiem-tra?dot={}", v.round_id),
            name: v.round_name.clone(),
            status: status_vi(&v.status),
            current: pick.as_ref() == Some(&v.round_id),
        })
        .collect();
    let chosen = all
        .into_iter()
        .find(|(pick, v)| pick.as_ref() == Some(&v.round_id))
        .map(|(_, v)| v);
    let page = SelfCheckPage {
        layout: Layout::new(&req, &user, "Tự kiểm tra của đơn vị"),
        rounds,
        status: chosen.as_ref().map_or("", |v| status_vi(&v.status)),
        editable: chosen
            .as_ref()
            .is_some_and(|v| v.round_status == "open" && v.status != "submitted"),
        score: chosen
            .as_ref()
            .and_then(|v| v.score)
            .map(crate::reports::labels::score)
            .unwrap_or_default(),
        chosen,
        sections,
        file_id: crate::db::new_id(),
    };
    Ok(render::page(&req, &page))
}

pub(super) fn back(round: &str) -> String {
    format!("/tu-kiem-tra?dot={round}")
}

/// After an action: its message on the page; a lost session signs in again, and a round the
/// unit is not in answers as the page would (404).
fn answer(round: &str, done: Result<String, WebError>) -> HttpResponse {
    match done {
        Ok(said) => flash::redirect(&back(round), Flash::ok(said)),
        Err(e) if e.needs_sign_in() || e.status_code().as_u16() == 404 => e.error_response(),
        Err(e) => flash::redirect(&back(round), Flash::err(e.message())),
    }
}

/// Saves every answer the form changes, in one transaction.
pub async fn save(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<Vec<(String, String)>>,
) -> HttpResponse {
    let Action { user, form: fields } = action;
    let round = match parse_id(&id) {
        Ok(r) => r,
        Err(e) => return WebError::from(e).error_response(),
    };
    let version = fields
        .iter()
        .find(|(k, _)| k == "version")
        .and_then(|(_, v)| v.parse::<i64>().ok());
    let (me, actor, r) = (user.me.clone(), user.me.actor(), round.clone());
    let done = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            let current = service::get_own(c, &scope, &r)?;
            let (_, t) =
                crate::templates::service::published_template(c, &current.template_version_id)?;
            let changed = form::changes(&t, &answers_of(&current), &fields);
            let mut expected = version;
            for (item, a) in &changed {
                service::save_answer(c, &actor, &scope, &r, item, a.clone(), expected.take())?;
            }
            Ok::<_, DomainError>(changed.len())
        })
        .await
        .map_err(WebError::from)
        .map(|n| match n {
            0 => "Không có thay đổi nào.".to_owned(),
            n => format!("Đã lưu {n} câu trả lời."),
        });
    answer(&round, done)
}

#[derive(Deserialize)]
pub struct SubmitForm {
    #[serde(default)]
    version: Option<i64>,
}

pub async fn submit(
    state: web::Data<AppState>,
    id: web::Path<String>,
    action: Action<SubmitForm>,
) -> HttpResponse {
    let Action { user, form } = action;
    let round = match parse_id(&id) {
        Ok(r) => r,
        Err(e) => return WebError::from(e).error_response(),
    };
    let (me, actor, r) = (user.me.clone(), user.me.actor(), round.clone());
    let done = state
        .db
        .write(move |c| {
            let scope = Scope::load(c, &me)?;
            service::submit(c, &actor, &scope, &r, form.version)?;
            Ok::<_, DomainError>("Đã gửi phiếu tự kiểm tra.".to_owned())
        })
        .await
        .map_err(WebError::from);
    answer(&round, done)
}

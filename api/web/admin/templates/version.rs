//! `/quan-tri/mau-phieu/{id}/phien-ban/{version_id}`: one version's items, section by
//! section, in words: type, required, điểm liệt, maximum points, options, when the item is
//! shown and what evidence it needs. Read as `GET /api/v1/template-versions/{id}` reads it.

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::{status_label, version_label};
use crate::db::DbError;
use crate::domain::{parse_id, DomainError};
use crate::reports::labels::score;
use crate::state::AppState;
use crate::templates::model::{Item, ItemType, Scoring, Template as Checklist};
use crate::templates::routes::templates::readable_version;
use crate::templates::scoring::item_points;
use crate::templates::store;
use crate::web::format;
use crate::web::render::{self, Layout};
use crate::web::{WebError, WebUser};

pub struct ItemView {
    pub id: String,
    pub kind: &'static str,
    pub label: String,
    pub help: String,
    pub required: bool,
    pub critical: bool,
    pub allow_na: bool,
    pub max_points: String,
    pub options: Vec<String>,
    /// Number bounds, rating scale, text length.
    pub range: String,
    pub condition: String,
    pub evidence: String,
}

pub struct SectionView {
    pub id: String,
    pub title: String,
    pub help: String,
    pub weight: String,
    pub items: Vec<ItemView>,
}

#[derive(Template)]
#[template(path = "admin_templates_version.html")]
struct VersionPage {
    layout: Layout,
    template_id: String,
    family_title: String,
    /// The version's own title and description (a draft may rename the template).
    title: String,
    description: String,
    code: String,
    label: String,
    status_code: String,
    status: &'static str,
    published: String,
    hash: String,
    scoring: Vec<(String, String)>,
    sections: Vec<SectionView>,
    item_count: usize,
}

/// The item's type as the checklist's readers call it.
pub fn type_vi(t: ItemType) -> &'static str {
    match t {
        ItemType::YesNo => "Có/Không",
        ItemType::SingleChoice => "Chọn một",
        ItemType::MultiChoice => "Chọn nhiều",
        ItemType::Text => "Văn bản",
        ItemType::Number => "Số",
        ItemType::Date => "Ngày",
        ItemType::Rating => "Thang đánh giá",
        ItemType::Photo => "Ảnh",
    }
}

/// How an answer value of `item` reads: "Có", "Không", or the option's label.
fn value_vi(item: Option<&Item>, value: &str) -> String {
    match (item.map(|i| i.kind), value) {
        (Some(ItemType::YesNo), "yes") => "Có".into(),
        (Some(ItemType::YesNo), "no") => "Không".into(),
        _ => item
            .and_then(|i| i.options().iter().find(|o| o.value == value))
            .map(|o| o.label.clone())
            .unwrap_or_else(|| value.to_owned()),
    }
}

fn quoted(values: &[String]) -> String {
    let q: Vec<String> = values.iter().map(|v| format!("«{v}»")).collect();
    q.join(", ")
}

fn condition(t: &Checklist, item: &Item) -> String {
    let Some(c) = &item.visible_if else {
        return String::new();
    };
    let target = t.item(&c.item);
    let name = target.map(|i| i.label.as_str()).unwrap_or(c.item.as_str());
    let values: Vec<String> = c.values().iter().map(|v| value_vi(target, v)).collect();
    let how = if values.len() == 1 {
        "là"
    } else {
        "là một trong"
    };
    format!(
        "Chỉ hiện khi câu trả lời mục {} «{name}» {how} {}.",
        c.item,
        quoted(&values)
    )
}

/// The evidence rule, as `answers::submission` applies it.
fn evidence(item: &Item) -> String {
    let rule = item.evidence.as_ref();
    let min = rule.and_then(|r| r.min_photos).unwrap_or(0);
    if item.kind == ItemType::Photo {
        let needed = min.max(u32::from(item.required));
        return match needed {
            0 => "Ảnh không bắt buộc.".into(),
            n => format!("Cần ít nhất {n} ảnh."),
        };
    }
    let when = rule.and_then(|r| r.required_when.as_ref());
    match (when, min) {
        (Some(w), _) if !w.is_empty() => {
            let values: Vec<String> = w.iter().map(|v| value_vi(Some(item), v)).collect();
            let mut s = format!(
                "Cần ít nhất {} ảnh minh chứng khi trả lời {}.",
                min.max(1),
                quoted(&values)
            );
            if min > 0 {
                s.push_str(&format!(" Câu trả lời khác: ít nhất {min} ảnh."));
            }
            s
        }
        (_, 0) => String::new(),
        (_, n) => format!("Cần ít nhất {n} ảnh minh chứng khi đã trả lời."),
    }
}

fn range(item: &Item) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &item.scale {
        parts.push(format!("Thang từ {} đến {}", s.min, s.max));
    }
    match (item.min, item.max) {
        (Some(a), Some(b)) => parts.push(format!("Từ {} đến {}", score(a), score(b))),
        (Some(a), None) => parts.push(format!("Không nhỏ hơn {}", score(a))),
        (None, Some(b)) => parts.push(format!("Không lớn hơn {}", score(b))),
        (None, None) => {}
    }
    if let Some(n) = item.max_length {
        parts.push(format!("Tối đa {n} ký tự"));
    }
    parts.join("; ")
}

fn item_view(t: &Checklist, item: &Item) -> ItemView {
    let (max, _) = item_points(item, None);
    let options = item
        .options()
        .iter()
        .map(|o| match o.points {
            Some(p) => format!("{} ({} điểm)", o.label, score(p)),
            None => o.label.clone(),
        })
        .collect();
    ItemView {
        id: item.id.clone(),
        kind: type_vi(item.kind),
        label: item.label.clone(),
        help: item.help.clone().unwrap_or_default(),
        required: item.required,
        critical: item.critical,
        allow_na: item.allow_na,
        max_points: if item.kind.is_scorable() && max > 0.0 {
            score(max)
        } else {
            String::new()
        },
        options,
        range: range(item),
        condition: condition(t, item),
        evidence: evidence(item),
    }
}

fn scoring_facts(s: &Scoring) -> Vec<(String, String)> {
    let bands: Vec<String> = s
        .bands
        .iter()
        .map(|b| format!("{} từ {} điểm", b.label, score(b.min)))
        .collect();
    let mut out = vec![
        ("Điểm tối đa".to_owned(), score(s.max_score)),
        ("Xếp loại".to_owned(), bands.join("; ")),
    ];
    if let Some(cap) = &s.critical_cap {
        let label = s
            .bands
            .iter()
            .find(|b| &b.code == cap)
            .map(|b| b.label.clone())
            .unwrap_or_else(|| cap.clone());
        out.push((
            "Điểm liệt".to_owned(),
            format!("Mục điểm liệt đạt 0 điểm thì xếp loại không cao hơn «{label}»"),
        ));
    }
    out.push(("Thang điểm".to_owned(), s.scheme_note().to_owned()));
    out
}

fn sections(t: &Checklist) -> Vec<SectionView> {
    t.sections
        .iter()
        .map(|s| SectionView {
            id: s.id.clone(),
            title: s.title.clone(),
            help: s.help.clone().unwrap_or_default(),
            weight: s.weight.map(score).unwrap_or_default(),
            items: s.items.iter().map(|i| item_view(t, i)).collect(),
        })
        .collect()
}

pub async fn version(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: WebUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, WebError> {
    let (id, vid) = path.into_inner();
    let (id, vid) = (parse_id(&id)?, parse_id(&vid)?);
    let (family, v) = state
        .db
        .read(move |c| {
            let v = readable_version(c, &vid, true)?;
            // A version is shown under its own template only.
            let family = store::find(c, &id)?
                .filter(|f| f.id == v.template_id)
                .ok_or(DomainError::NotFound)?;
            Ok::<_, DomainError>((family, v))
        })
        .await?;
    let t: Checklist =
        serde_json::from_str(&v.content).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let label = version_label(v.number);
    let layout = Layout::new(&req, &user, format!("{} · {label}", family.title));
    let sections = sections(&t);
    let page = VersionPage {
        layout,
        template_id: family.id,
        family_title: family.title,
        title: t.title.clone(),
        description: t.description.clone().unwrap_or_default(),
        code: family.code,
        status: status_label(&v.status),
        status_code: v.status,
        published: format::datetime_opt(v.published_at),
        hash: v.content_hash.unwrap_or_default(),
        scoring: t.scoring.as_ref().map(scoring_facts).unwrap_or_default(),
        item_count: sections.iter().map(|s| s.items.len()).sum(),
        sections,
        label,
    };
    Ok(render::page(&req, &page))
}

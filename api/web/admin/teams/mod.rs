//! Sở Nội vụ's team pages: the teams with their lead and members, a new team, one team's
//! form and its removal. The same service and rules as `/api/v1/teams` (`teams::service`):
//! the lead must be an active lead (or administrator), members active people who inspect,
//! and a team with assignments cannot be deleted.

pub mod edit;
pub mod list;

use std::collections::{BTreeSet, HashMap};

use crate::role::Role;
use crate::teams::service::TeamInput;
use crate::users::UserRow;
use crate::web::admin::units::labelled_message;
use crate::web::WebError;

/// A person in a picker.
pub struct Person {
    pub id: String,
    pub label: String,
    pub chosen: bool,
}

/// Who can be chosen: leads (active leads and administrators) and members (active people
/// who inspect), the current ones marked; a current lead or member who no longer qualifies
/// is still listed, so the form shows the truth (the service refuses to keep them).
pub struct Pickers {
    pub leads: Vec<Person>,
    pub members: Vec<Person>,
}

fn label(u: &UserRow) -> String {
    let mut l = format!("{} ({})", u.full_name, u.username);
    if u.disabled {
        l.push_str(" · đã khóa");
    }
    l
}

pub fn pickers(users: &[UserRow], lead: Option<&str>, members: &[String]) -> Pickers {
    let is_member = |id: &str| members.iter().any(|m| m == id);
    let leads = users
        .iter()
        .filter(|u| {
            (!u.disabled && matches!(u.role(), Role::Lead | Role::Admin))
                || Some(u.id.as_str()) == lead
        })
        .map(|u| Person {
            id: u.id.clone(),
            label: label(u),
            chosen: Some(u.id.as_str()) == lead,
        })
        .collect();
    let members = users
        .iter()
        .filter(|u| {
            (!u.disabled && !matches!(u.role(), Role::Viewer | Role::Unit)) || is_member(&u.id)
        })
        .map(|u| Person {
            id: u.id.clone(),
            label: label(u),
            chosen: is_member(&u.id),
        })
        .collect();
    Pickers { leads, members }
}

/// Names by user id, for the lists.
pub fn names(users: &[UserRow]) -> HashMap<String, String> {
    users
        .iter()
        .map(|u| (u.id.clone(), u.full_name.clone()))
        .collect()
}

/// The team form: `name`, `lead_id`, a `member` per ticked box (repeated keys, so the form
/// arrives as pairs), and the `version` the form was opened at.
pub fn input_of(pairs: &[(String, String)]) -> (TeamInput, Option<i64>) {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let members: BTreeSet<String> = pairs
        .iter()
        .filter(|(k, v)| k == "member" && !v.is_empty())
        .map(|(_, v)| v.clone())
        .collect();
    let input = TeamInput {
        name: get("name"),
        lead_id: get("lead_id"),
        member_ids: members.into_iter().collect(),
    };
    (input, get("version").trim().parse().ok())
}

fn field_vi(name: &str) -> &'static str {
    match name {
        "name" => "Tên đoàn",
        "lead_id" => "Trưởng đoàn",
        "member_ids" => "Thành viên",
        _ => "Dữ liệu",
    }
}

pub fn message(lead: &str, e: &WebError) -> String {
    labelled_message(lead, e, field_vi)
}

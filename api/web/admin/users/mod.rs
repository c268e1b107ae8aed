//! Sở Nội vụ's user pages: the accounts, a new account (with a generated password shown
//! once), and one account's page: name and role, locking, a password reset, signing out of
//! every device. The same checks and service as `/api/v1/users` (`create_user::prepare`,
//! `update_user::prepare`, `users::service`): the last active administrator cannot be
//! locked or demoted, here as there.

pub mod edit;
pub mod list;

use askama::Template;

use crate::role::Role;
use crate::web::admin::units::labelled_message;
use crate::web::render::{role_vi, Layout};
use crate::web::WebError;

/// A role option of a picker.
pub struct RoleOption {
    pub code: &'static str,
    pub label: &'static str,
}

pub fn role_options() -> Vec<RoleOption> {
    Role::ALL
        .iter()
        .map(|r| RoleOption {
            code: r.as_str(),
            label: role_vi(*r),
        })
        .collect()
}

/// A unit of the picker for a unit's representative (`Role::Unit`).
pub struct UnitOption {
    pub id: String,
    pub label: String,
}

/// Every unit, by name: a province has hundreds, not thousands.
pub fn unit_options(conn: &mut crate::db::DbConn) -> diesel::QueryResult<Vec<UnitOption>> {
    use crate::db::schema::units;
    use diesel::prelude::*;
    let rows: Vec<(String, String, String)> = units::table
        .order(units::name.asc())
        .select((units::id, units::code, units::name))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name)| UnitOption {
            id,
            label: format!("{name} ({code})"),
        })
        .collect())
}

fn field_vi(name: &str) -> &'static str {
    match name {
        "username" => "Tên đăng nhập",
        "full_name" => "Họ và tên",
        "role" => "Vai trò",
        "password" => "Mật khẩu",
        "unit_id" => "Đơn vị",
        "email" => "Thư điện tử",
        _ => "Dữ liệu",
    }
}

/// The problem, each invalid field by its name on the form.
pub fn message(lead: &str, e: &WebError) -> String {
    labelled_message(lead, e, field_vi)
}

/// A password the server made, shown this once: the answer to the form itself, never a
/// message cookie, so it is stored nowhere and a reload does not bring it back.
#[derive(Template)]
#[template(path = "admin_users_password.html")]
pub struct PasswordPage {
    pub layout: Layout,
    pub heading: String,
    pub user_id: String,
    pub username: String,
    pub password: String,
    pub note: &'static str,
}

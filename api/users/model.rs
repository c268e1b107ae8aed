//! Users as stored and as shown, and the rules a username, name and password must meet.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::schema::users;
use crate::error::{FieldError, Text};
use crate::role::Role;

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub role: String,
    pub password_hash: String,
    pub disabled: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Where notifications are e-mailed when SMTP is configured; optional, not unique.
    pub email: Option<String>,
    /// The unit a unit's representative speaks for; `None` for every other role.
    pub unit_id: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub id: &'a str,
    pub username: &'a str,
    pub full_name: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
    pub disabled: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub email: Option<&'a str>,
    pub unit_id: Option<&'a str>,
}

impl UserRow {
    /// A stored role outside the four is impossible (CHECK constraint); read it as the
    /// least-privileged role rather than fail, should it ever happen.
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Viewer)
    }
}

/// A user as the API shows it; never the password hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: uuid::Uuid,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    /// The unit of a unit's representative (role `unit`); `null` for every other role.
    pub unit_id: Option<uuid::Uuid>,
    /// Where the user's notifications are e-mailed when SMTP is configured (`null`: none).
    pub email: Option<String>,
    pub disabled: bool,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&UserRow> for UserView {
    fn from(r: &UserRow) -> Self {
        UserView {
            id: uuid::Uuid::parse_str(&r.id).unwrap_or_default(),
            username: r.username.clone(),
            full_name: r.full_name.clone(),
            role: r.role(),
            unit_id: r
                .unit_id
                .as_deref()
                .and_then(|u| uuid::Uuid::parse_str(u).ok()),
            email: r.email.clone(),
            disabled: r.disabled,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// Usernames compare without case or surrounding space.
pub fn normalize_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

pub fn check_username(pointer: &str, raw: &str) -> Result<String, FieldError> {
    let u = normalize_username(raw);
    let ok_chars = u
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !(3..=64).contains(&u.len()) || !ok_chars {
        return Err(FieldError::new(
            pointer,
            "invalid_username",
            Text::new(
                "3 to 64 characters: latin letters without diacritics, digits, '.', '_' or '-'.",
                "Từ 3 đến 64 ký tự: chữ cái không dấu, chữ số, '.', '_' hoặc '-'.",
            ),
        ));
    }
    Ok(u)
}

pub fn check_full_name(pointer: &str, raw: &str) -> Result<String, FieldError> {
    let n = raw.trim();
    let len = n.chars().count();
    if len == 0 || len > 200 {
        return Err(FieldError::new(
            pointer,
            "invalid_full_name",
            Text::new("1 to 200 characters.", "Từ 1 đến 200 ký tự."),
        ));
    }
    Ok(crate::domain::nfc(n))
}

/// NIST SP 800-63B: length matters, composition rules do not.
pub fn check_password(pointer: &str, p: &str) -> Result<(), FieldError> {
    let len = p.chars().count();
    if !(8..=256).contains(&len) {
        return Err(FieldError::new(
            pointer,
            "weak_password",
            Text::new("8 to 256 characters.", "Mật khẩu từ 8 đến 256 ký tự."),
        ));
    }
    Ok(())
}

pub fn check_role(pointer: &str, raw: &str) -> Result<Role, FieldError> {
    Role::parse(raw).ok_or_else(|| {
        FieldError::new(
            pointer,
            "invalid_role",
            Text::new(
                "One of admin, lead, inspector, viewer, unit.",
                "Một trong các vai trò: admin, lead, inspector, viewer, unit.",
            ),
        )
    })
}

/// An e-mail address, trimmed; blank means none. Checked by lettre's parser (the one that
/// will send to it), so an address kept here is one the outbox can put in `To:`. Not unique:
/// one person may hold two accounts, and a unit may share one mailbox.
pub fn check_email(pointer: &str, raw: &str) -> Result<Option<String>, FieldError> {
    let e = raw.trim();
    if e.is_empty() {
        return Ok(None);
    }
    let parsed = e.parse::<lettre::Address>();
    if e.len() > 254 || parsed.is_err() || !e.is_ascii() {
        return Err(FieldError::new(
            pointer,
            "invalid_email",
            Text::new(
                "An e-mail address such as name@example.vn (latin letters, at most 254 characters).",
                "Địa chỉ thư điện tử dạng ten@vidu.vn (chữ không dấu, tối đa 254 ký tự).",
            ),
        ));
    }
    Ok(Some(e.to_owned()))
}

/// A role and a unit go together: a unit's representative needs their unit, and nobody else
/// has one (the CHECK of `users` says the same). `unit_id` is the value after the change.
pub fn check_unit(role: Role, unit_id: Option<&str>) -> Result<(), FieldError> {
    match (role, unit_id) {
        (Role::Unit, None) => Err(FieldError::new(
            "/unit_id",
            "unit_required",
            Text::new(
                "A unit's representative needs the unit they speak for.",
                "Tài khoản của đơn vị phải chọn đơn vị.",
            ),
        )),
        (Role::Unit, Some(_)) | (_, None) => Ok(()),
        (_, Some(_)) => Err(FieldError::new(
            "/unit_id",
            "unit_not_allowed",
            Text::new(
                "Only a unit's representative (role unit) has a unit.",
                "Chỉ tài khoản của đơn vị (vai trò unit) mới gắn với đơn vị.",
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_normalized_and_checked() {
        assert_eq!(check_username("/u", "  NguyenVanA ").unwrap(), "nguyenvana");
        assert!(check_username("/u", "ab").is_err());
        assert!(check_username("/u", "nguyễn").is_err());
        assert!(check_username("/u", "a b c").is_err());
        assert_eq!(
            check_username("/u", "tran.thi-b_2").unwrap(),
            "tran.thi-b_2"
        );
    }

    #[test]
    fn names_and_passwords() {
        assert_eq!(
            check_full_name("/n", " Nguyễn Văn A ").unwrap(),
            "Nguyễn Văn A"
        );
        assert!(check_full_name("/n", "   ").is_err());
        assert!(check_password("/p", "short").is_err());
        assert!(check_password("/p", "đủ tám ký").is_ok());
        assert_eq!(check_role("/r", "lead").unwrap(), Role::Lead);
        assert_eq!(check_role("/r", "unit").unwrap(), Role::Unit);
        assert!(check_unit(Role::Unit, None).is_err());
        assert!(check_unit(Role::Unit, Some("u")).is_ok());
        assert!(check_unit(Role::Lead, Some("u")).is_err());
        assert!(check_unit(Role::Lead, None).is_ok());
        assert!(check_role("/r", "Lead").is_err());
    }

    #[test]
    fn emails_are_optional_and_checked() {
        assert_eq!(
            check_email("/e", " a.b@nghean.gov.vn ").unwrap().as_deref(),
            Some("a.b@nghean.gov.vn")
        );
        assert_eq!(check_email("/e", "  ").unwrap(), None);
        for bad in [
            "no-at",
            "a@",
            "@b.vn",
            "a b@c.vn",
            "nguyễn@c.vn",
            "a@b.vn>, x@y.vn",
        ] {
            assert!(check_email("/e", bad).is_err(), "{bad}");
        }
        assert!(check_email("/e", &format!("{}@b.vn", "a".repeat(260))).is_err());
    }
}

//! Units as stored and shown, their kinds, and the rules an input must meet.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::fold::fold;
use crate::db::schema::units;
use crate::domain::Faults;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Sở, ban, ngành cấp tỉnh.
    Department,
    /// Xã.
    Commune,
    /// Phường.
    Ward,
    Other,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Department => "department",
            UnitKind::Commune => "commune",
            UnitKind::Ward => "ward",
            UnitKind::Other => "other",
        }
    }

    /// Accepts the API codes and the Vietnamese words a spreadsheet would hold.
    pub fn parse(s: &str) -> Option<UnitKind> {
        match fold(s).as_str() {
            "department" | "so" | "ban" | "nganh" | "so, ban, nganh" | "so ban nganh" => {
                Some(UnitKind::Department)
            }
            "commune" | "xa" => Some(UnitKind::Commune),
            "ward" | "phuong" => Some(UnitKind::Ward),
            "other" | "khac" => Some(UnitKind::Other),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, PartialEq)]
#[diesel(table_name = units)]
pub struct UnitRow {
    pub id: String,
    pub code: String,
    pub name: String,
    pub name_folded: String,
    pub kind: String,
    pub parent_id: Option<String>,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitView {
    pub id: String,
    /// Stable code (mã đơn vị), unique; the key of CSV imports.
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<String>,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub version: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<&UnitRow> for UnitView {
    fn from(r: &UnitRow) -> Self {
        UnitView {
            id: r.id.clone(),
            code: r.code.clone(),
            name: r.name.clone(),
            kind: UnitKind::parse(&r.kind).unwrap_or(UnitKind::Other),
            parent_id: r.parent_id.clone(),
            address: r.address.clone(),
            latitude: r.latitude,
            longitude: r.longitude,
            version: r.version,
            created_at: r.created_at.and_utc(),
            updated_at: r.updated_at.and_utc(),
        }
    }
}

/// A unit's fields as a client or a spreadsheet gave them.
pub struct RawUnit<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    pub address: Option<&'a str>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// A unit's editable fields, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitFields {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

impl UnitFields {
    /// Checks raw values; faults carry `prefix` + field name as their pointer.
    pub fn check(f: &mut Faults, prefix: &str, raw: RawUnit<'_>) -> UnitFields {
        let RawUnit {
            code,
            name,
            kind,
            address,
            latitude,
            longitude,
        } = raw;
        let code = code.trim().to_owned();
        if code.is_empty()
            || code.len() > 64
            || !code
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        {
            f.push(
                &format!("{prefix}code"),
                "invalid_code",
                "1 to 64 characters: latin letters, digits, '.', '_', '-'.",
                "Từ 1 đến 64 ký tự: chữ cái không dấu, chữ số, '.', '_', '-'.",
            );
        }
        let name = f.text(&format!("{prefix}name"), name, 300);
        let parsed = UnitKind::parse(kind);
        if parsed.is_none() {
            f.push(
                &format!("{prefix}kind"),
                "invalid_kind",
                "One of department (sở, ban, ngành), commune (xã), ward (phường), other.",
                "Một trong: department (sở, ban, ngành), commune (xã), ward (phường), other.",
            );
        }
        if latitude.is_some_and(|v| !(-90.0..=90.0).contains(&v)) {
            f.push(
                &format!("{prefix}latitude"),
                "out_of_range",
                "Latitude is between -90 and 90.",
                "Vĩ độ nằm trong khoảng -90 đến 90.",
            );
        }
        if longitude.is_some_and(|v| !(-180.0..=180.0).contains(&v)) {
            f.push(
                &format!("{prefix}longitude"),
                "out_of_range",
                "Longitude is between -180 and 180.",
                "Kinh độ nằm trong khoảng -180 đến 180.",
            );
        }
        let address = address
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(crate::domain::nfc);
        if address.as_ref().is_some_and(|a| a.chars().count() > 500) {
            f.push(
                &format!("{prefix}address"),
                "invalid_text",
                "At most 500 characters.",
                "Tối đa 500 ký tự.",
            );
        }
        UnitFields {
            code,
            name,
            kind: parsed.unwrap_or(UnitKind::Other),
            address,
            latitude,
            longitude,
        }
    }

    /// True when a stored row already holds exactly these fields and parent.
    pub fn same_as(&self, row: &UnitRow, parent_id: Option<&str>) -> bool {
        row.code == self.code
            && row.name == self.name
            && row.kind == self.kind.as_str()
            && row.address == self.address
            && row.latitude == self.latitude
            && row.longitude == self.longitude
            && row.parent_id.as_deref() == parent_id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_accept_vietnamese_words() {
        assert_eq!(UnitKind::parse("Xã"), Some(UnitKind::Commune));
        assert_eq!(UnitKind::parse("phường"), Some(UnitKind::Ward));
        assert_eq!(UnitKind::parse("Sở"), Some(UnitKind::Department));
        assert_eq!(UnitKind::parse("department"), Some(UnitKind::Department));
        assert_eq!(UnitKind::parse("huyện"), None);
    }
}

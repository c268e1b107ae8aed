//! Sở Nội vụ's units pages: the list with its diacritic-blind search, one unit's form, and
//! the CSV import with a preview. They call the units service the API calls
//! (`units::service`), with the same field rules (`UnitFields::check`).

pub mod edit;
pub mod import;
pub mod list;

use serde::Deserialize;

use crate::db::DbConn;
use crate::domain::{DomainError, Faults};
use crate::error::FieldError;
use crate::units::model::{RawUnit, UnitFields, UnitKind};
use crate::units::store;
use crate::web::WebError;

/// The kinds, with the words people use, in the order the pickers show them.
pub const KINDS: [(UnitKind, &str); 4] = [
    (UnitKind::Commune, "Xã"),
    (UnitKind::Ward, "Phường"),
    (UnitKind::Department, "Sở, ban, ngành"),
    (UnitKind::Other, "Khác"),
];

/// A stored kind code (`commune`, …) as people say it.
pub fn kind_vi(code: &str) -> &'static str {
    let kind = UnitKind::parse(code).unwrap_or(UnitKind::Other);
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("Khác", |(_, label)| label)
}

/// A field's name on the form and in the CSV's columns, for messages.
pub fn field_vi(name: &str) -> &'static str {
    match name {
        "code" => "Mã đơn vị",
        "name" => "Tên đơn vị",
        "kind" => "Loại",
        "parent_code" | "parent_id" => "Mã đơn vị cấp trên",
        "address" => "Địa chỉ",
        "latitude" => "Vĩ độ",
        "longitude" => "Kinh độ",
        _ => "Dữ liệu",
    }
}

/// The unit form, as the browser sends it (create and edit share it).
#[derive(Deserialize, Default)]
pub struct UnitForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub parent_code: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub latitude: String,
    #[serde(default)]
    pub longitude: String,
    /// The version the form was opened at: a change made meanwhile is refused.
    #[serde(default)]
    pub version: Option<i64>,
}

/// A coordinate as typed: empty is none; a decimal comma is fine, as in the CSV.
fn number(faults: &mut Faults, name: &str, raw: &str) -> Option<f64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.replace(',', ".").parse::<f64>() {
        Ok(v) if v.is_finite() => Some(v),
        _ => {
            faults.push(
                &format!("/{name}"),
                "not_a_number",
                format!("`{raw}` is not a number."),
                format!("`{raw}` không phải là số."),
            );
            None
        }
    }
}

/// The form checked by the API's rules, and the parent named by its code resolved to its id
/// (people know codes, not ids; the service checks the parent again).
pub fn fields_of(
    conn: &mut DbConn,
    f: &UnitForm,
) -> Result<(UnitFields, Option<String>), DomainError> {
    let mut faults = Faults::default();
    let latitude = number(&mut faults, "latitude", &f.latitude);
    let longitude = number(&mut faults, "longitude", &f.longitude);
    let raw = RawUnit {
        code: &f.code,
        name: &f.name,
        kind: &f.kind,
        address: Some(f.address.as_str()),
        latitude,
        longitude,
    };
    let fields = UnitFields::check(&mut faults, "/", raw);
    let parent_code = f.parent_code.trim();
    let mut parent = None;
    if !parent_code.is_empty() {
        match store::find_by_code(conn, parent_code)? {
            Some(p) => parent = Some(p.id),
            None => faults.push(
                "/parent_code",
                "unknown_parent",
                format!("No unit has code `{parent_code}`."),
                format!("Không có đơn vị nào mang mã `{parent_code}`."),
            ),
        }
    }
    faults.finish()?;
    Ok((fields, parent))
}

/// What a person reads when a unit is not saved: each invalid field by its name.
pub fn message(lead: &str, e: &WebError) -> String {
    labelled_message(lead, e, field_vi)
}

/// `lead`, then the problem in the API's Vietnamese words; for invalid input, each field's
/// fault after its name on the form (`field_name` of the pointer's last part). Shared by
/// the units, users and teams pages.
pub fn labelled_message(lead: &str, e: &WebError, field_name: fn(&str) -> &'static str) -> String {
    let WebError::Api(crate::error::ApiError::Invalid(fields)) = e else {
        return format!("{lead} {}", e.message());
    };
    let parts: Vec<String> = fields
        .iter()
        .map(|f: &FieldError| {
            let name = f.pointer.rsplit('/').find(|p| p.parse::<usize>().is_err());
            format!("{}: {}", field_name(name.unwrap_or("")), f.message.vi)
        })
        .collect();
    format!("{lead} {}", parts.join(" "))
}

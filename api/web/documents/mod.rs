//! `/dot/{id}/ket-luan`: what a round ends with. The teams' conclusions (kết luận) and the
//! report's recommendations (kiến nghị) as the leads compile them, how each issuer's documents
//! are numbered, dated and signed, and the downloads: the round report (DOCX, PDF per issuer),
//! the spreadsheet, the CSV, the evidence ZIP and each inspection's biên bản.
//!
//! Every action calls the service the JSON API calls (`reports::conclusions`, the document
//! settings' `read_settings`/`write_settings`, the export and biên bản bodies), so the page
//! refuses exactly what the API refuses, with the same Vietnamese words.
//!
//! - `page`: the GET page;
//! - `compile`: conclusion and report recommendation forms;
//! - `settings`: the document settings form;
//! - `downloads`: the files.

pub mod compile;
pub mod downloads;
pub mod page;
pub mod settings;

use actix_web::{HttpResponse, ResponseError};
use chrono::NaiveDate;

use crate::error::{ApiError, FieldError, Text};
use crate::web::flash::{self, Flash};
use crate::web::WebError;

/// The page every form of the area comes back to.
pub fn back(round_id: &str) -> String {
    format!("/dot/{round_id}/ket-luan")
}

/// The answer to a form: back to the page with `ok`, or with the problem's Vietnamese words.
pub fn answer(to: &str, result: Result<String, WebError>) -> HttpResponse {
    match result {
        Ok(message) => flash::redirect(to, Flash::ok(message)),
        Err(e) if e.needs_sign_in() => e.error_response(),
        Err(e) => flash::redirect(to, Flash::err(e.message())),
    }
}

/// A date from a form: empty is none; `yyyy-mm-dd` (a date picker) or `dd/mm/yyyy` (typed).
pub fn form_date(pointer: &str, raw: &str) -> Result<Option<NaiveDate>, WebError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%d/%m/%Y"))
        .map(Some)
        .map_err(|_| {
            let vi = format!("Ngày “{raw}” không hợp lệ: hãy ghi theo dạng dd/mm/yyyy.");
            let en = format!("Date \"{raw}\" is invalid: write it as dd/mm/yyyy.");
            WebError::Api(ApiError::Invalid(vec![FieldError::new(
                pointer,
                "invalid_date",
                Text::new(en, vi),
            )]))
        })
}

/// A form's optional version field: empty or absent is none (overwrite).
pub fn form_version(raw: &str) -> Option<i64> {
    raw.trim().parse().ok()
}

/// A urlencoded form with repeated names (checkbox lists), as name/value pairs.
#[derive(serde::Deserialize, Default)]
#[serde(transparent)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The trimmed value of `name`, none when blank.
    pub fn opt(&self, name: &str) -> Option<String> {
        let v = self.get(name).trim();
        (!v.is_empty()).then(|| v.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_come_from_pickers_or_typed_the_vietnamese_way() {
        let d = NaiveDate::from_ymd_opt(2027, 3, 31);
        assert_eq!(form_date("/d", "2027-03-31").ok().flatten(), d);
        assert_eq!(form_date("/d", " 31/03/2027 ").ok().flatten(), d);
        assert_eq!(form_date("/d", "").ok().flatten(), None);
        let e = form_date("/d", "31.03.2027").err().map(|e| e.message());
        assert!(e.unwrap_or_default().contains("dd/mm/yyyy"));
    }

    #[test]
    fn repeated_fields_are_kept() {
        let f: Fields = serde_urlencoded::from_str("thay=a&noi-dung=x&thay=b").unwrap_or_default();
        assert_eq!(f.all("thay"), ["a", "b"]);
        assert_eq!(f.get("noi-dung"), "x");
        assert_eq!(f.opt("khac"), None);
    }
}

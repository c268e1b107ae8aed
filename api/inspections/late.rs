//! A round past its end date (`ends_on`, a local date in Vietnam): new inspections are still
//! taken with a warning, or refused, as the operator chose (`late_inspections`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::DomainError;

// The setting is the configuration's; the rule that reads it is here.
pub use crate::config::LateInspections;

/// Something the caller should know although the request succeeded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Warning {
    /// Stable, e.g. `round_ended`.
    pub code: String,
    /// Vietnamese, for people.
    pub detail: String,
}

/// The round's end date has passed `today` (both local dates): a warning, or the refusal.
pub fn check(
    ends_on: NaiveDate,
    today: NaiveDate,
    policy: LateInspections,
) -> Result<Option<Warning>, DomainError> {
    if today <= ends_on {
        return Ok(None);
    }
    let day = ends_on.format("%d/%m/%Y");
    match policy {
        LateInspections::Warn => Ok(Some(Warning {
            code: "round_ended".into(),
            detail: format!(
                "Đợt kiểm tra đã kết thúc ngày {day}; phiếu vẫn được lập nhưng là phiếu lập sau thời hạn."
            ),
        })),
        LateInspections::Refuse => Err(DomainError::conflict(
            "round_ended",
            format!("The round ended on {day}; no new inspections."),
            format!("Đợt kiểm tra đã kết thúc ngày {day}; không lập thêm phiếu kiểm tra."),
        )),
    }
}

/// Today's date in Vietnam, the calendar the round's dates are kept in (one place, so a
/// configurable zone reaches this check too).
pub fn today() -> NaiveDate {
    crate::time::today_local()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_last_day_is_still_on_time() {
        let end = d("2026-11-20");
        assert_eq!(check(end, end, LateInspections::Refuse).unwrap(), None);
        let w = check(end, d("2026-11-21"), LateInspections::Warn)
            .unwrap()
            .unwrap();
        assert_eq!(w.code, "round_ended");
        assert!(w.detail.contains("20/11/2026"), "{}", w.detail);
        assert!(matches!(
            check(end, d("2026-11-21"), LateInspections::Refuse),
            Err(DomainError::Conflict {
                code: "round_ended",
                ..
            })
        ));
    }
}

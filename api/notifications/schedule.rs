//! The daily reminder run: a task started with the server that, once a day at the configured
//! local hour (`KIEMTRA_REMINDERS__HOUR`), sends the reminders of every open round for units
//! past their deadline. Several processes may run it: the dedupe key keeps one notification
//! per person, unit, reason and day.

use std::time::Duration;

use chrono::{NaiveDate, Timelike};

use crate::config::RemindersSettings;
use crate::db::Db;

/// Whether the run is due now: at or after the hour, and not yet today in this process.
pub fn due(hour: u32, now_hour: u32, today: NaiveDate, last: Option<NaiveDate>) -> bool {
    now_hour >= hour && last != Some(today)
}

pub fn start(settings: &RemindersSettings, db: Db) {
    if !settings.enabled {
        return;
    }
    let hour = settings.hour.min(23);
    tokio::spawn(async move {
        let mut last: Option<NaiveDate> = None;
        loop {
            let now = crate::time::local(crate::db::now());
            let today = now.date_naive();
            if due(hour, now.hour(), today, last) {
                last = Some(today);
                match db.write(move |c| super::reminders::daily(c, today)).await {
                    Ok(n) => tracing::info!(notifications = n, "daily reminders sent"),
                    Err(e) => tracing::warn!(error = %e, "daily reminders failed"),
                }
                crate::obligations::remind::daily(&db, today).await;
            }
            tokio::time::sleep(Duration::from_secs(60)).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_a_day_from_the_hour() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert!(!due(8, 7, d, None));
        assert!(due(8, 8, d, None));
        assert!(
            due(8, 15, d, None),
            "a process started after the hour still runs"
        );
        assert!(!due(8, 9, d, Some(d)));
        assert!(due(8, 9, d.succ_opt().unwrap(), Some(d)));
    }
}

//! The checks: leaks (headers, body and every file of a ZIP), the statuses each caller must
//! get, the positive control, and team 2's data before and after each caller's writes.

use std::io::Read;

use serde_json::Value;

use super::plan::Probe;
use super::run::Outcome;
use super::table::Report;
use super::units::{UNIT_ALSO, UNIT_FOLLOW_UP, UNIT_OWN};
use super::world::{Fixture, Secret};
use super::{Caller, Reach, CREATOR_ONLY, IN_ZIP, KINDS, OWN_TOKEN, SESSION_WRITES, SYNC_WRITES};
use crate::helpers::TestApp;

impl Outcome {
    /// Everything readable in the response: headers, body, and each file of a ZIP body
    /// (DOCX, XLSX and the evidence archive are ZIPs, their parts deflated).
    pub(super) fn texts(&self) -> Result<Vec<(String, String)>, String> {
        let mut out = vec![
            ("headers".to_owned(), self.headers.clone()),
            (
                "body".to_owned(),
                String::from_utf8_lossy(&self.body).into_owned(),
            ),
        ];
        if self.body.starts_with(b"PK\x03\x04") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&self.body))
                .map_err(|e| format!("a ZIP body that cannot be read to scan it: {e}"))?;
            for i in 0..zip.len() {
                let mut file = zip.by_index(i).map_err(|e| format!("ZIP entry {i}: {e}"))?;
                let name = file
                    .name()
                    .map_or_else(|_| format!("#{i}"), |n| n.into_owned());
                let mut bytes = Vec::new();
                file.read_to_end(&mut bytes)
                    .map_err(|e| format!("ZIP entry {name}: {e}"))?;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                out.push((format!("ZIP entry {name}"), text));
            }
        }
        Ok(out)
    }
}

/// Up to 60 characters either side of `needle` in `text`.
fn around(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let mut start = at.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + needle.len() + 60).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text[start..end].replace('\n', " ")
}

pub(super) fn note_seen(
    fx: &Fixture,
    caller: Caller,
    texts: &[(String, String)],
    report: &mut Report,
) {
    for kind in KINDS {
        let marked = format!("{}-{kind}", fx.two.marker);
        if texts.iter().any(|(_, t)| t.contains(&marked)) {
            report.seen.insert((caller, kind));
        }
    }
    let zipped =
        |(place, t): &(String, String)| place.starts_with("ZIP") && t.contains(&fx.two.marker);
    if texts.iter().any(zipped) {
        report.seen.insert((caller, IN_ZIP));
    }
}

/// Secrets of `caller` found in the response, unless the request itself carried them: one
/// line naming them all, with the first one in context.
pub(super) fn leaks(
    fx: &Fixture,
    caller: Caller,
    probe: &Probe,
    texts: &[(String, String)],
) -> Option<String> {
    let request = probe.request_text();
    let mut found: Vec<(Secret, &str, &str)> = Vec::new();
    for s in fx.secrets_for(caller) {
        if request.contains(&s.value) {
            continue;
        }
        if let Some((place, text)) = texts.iter().find(|(_, t)| t.contains(&s.value)) {
            found.push((s, place, text));
        }
    }
    let (first, place, text) = found.first()?;
    let mut labels: Vec<&str> = found.iter().map(|(s, _, _)| s.label.as_str()).collect();
    labels.dedup();
    Some(format!(
        "LEAKED {} secret(s) [{}]; first in {place}: …{}…",
        found.len(),
        labels.join(", "),
        around(text, &first.value)
    ))
}

/// Areas only administrators use: users and audit entirely, and the writes that manage units,
/// teams, checklists and rounds (a round's `teams/{team_id}/…` is the lead's compilation).
pub(super) fn admin_only(probe: &Probe) -> bool {
    let segments: Vec<&str> = probe.template.split('/').skip(3).collect();
    let write = !probe.is_read();
    match segments.first().copied().unwrap_or_default() {
        "users" | "audit" => true,
        "units" | "teams" | "templates" | "template-versions" => write,
        // A lead reads their teams of a round, and sends reminders for them.
        "rounds" => write && !matches!(segments.get(2), Some(&"teams") | Some(&"reminders")),
        _ => false,
    }
}

fn may_read(caller: Caller, reach: Reach) -> bool {
    match caller {
        Caller::Unit2 | Caller::UnitX => false,
        Caller::Admin | Caller::Viewer => true,
        Caller::Lead1 | Caller::Insp1 => reach <= Reach::Team1,
        Caller::Loner => reach == Reach::Everyone,
        Caller::Anonymous => false,
    }
}

/// The status `caller` must (not) get.
pub(super) fn status_rule(caller: Caller, probe: &Probe, out: &Outcome) -> Option<String> {
    let s = out.status;
    let op = probe.op.as_str();
    let allowed_write = SESSION_WRITES.contains(&op) || SYNC_WRITES.contains(&op);
    let why = match caller {
        _ if OWN_TOKEN.contains(&op) && out.ok() => "opened without its own token",
        _ if OWN_TOKEN.contains(&op) => return None,
        Caller::Anonymous if probe.secured && s != 401 => "must be 401 without a token",
        Caller::Anonymous => return None,
        _ if UNIT_OWN.contains(&op) => return unit_own_rule(caller, probe, out),
        // Judged by `units::follow_up_rule`.
        Caller::Unit2 | Caller::UnitX if UNIT_FOLLOW_UP.contains(&op) => return None,
        Caller::Unit2 | Caller::UnitX
            if !probe.secured || UNIT_ALSO.contains(&op) || SESSION_WRITES.contains(&op) =>
        {
            return None
        }
        Caller::Unit2 | Caller::UnitX if s != 403 => {
            "a unit's representative must be refused (403) outside its own self-assessment"
        }
        Caller::Unit2 | Caller::UnitX => return None,
        Caller::Admin if probe.is_read() && !out.ok() && !CREATOR_ONLY.contains(&op) => {
            "an administrator must be able to read it (is the id real?)"
        }
        Caller::Admin => return None,
        _ if admin_only(probe) && s != 403 && s != 404 => {
            "must be 403 (or 404): administrators only"
        }
        _ if admin_only(probe) => return None,
        _ if !probe.is_read() && out.ok() && !allowed_write => {
            "a write outside the caller's rights was ACCEPTED"
        }
        _ if !probe.is_read() => return None,
        Caller::Viewer if !out.ok() && !CREATOR_ONLY.contains(&op) => {
            "viewers read everything: must be 2xx"
        }
        _ if out.ok() && !may_read(caller, probe.reach) => {
            "read of another team's object was ALLOWED"
        }
        _ => return None,
    };
    Some(format!("{s}: {why}; body: {}", out.excerpt()))
}

/// The unit's own routes: refused (403) to every other role; a unit in no round reaches
/// nothing there (404); unit C's representative reads its own (its writes are refused by
/// the state of its submitted self-assessment, and checked by the tests of the area).
fn unit_own_rule(caller: Caller, probe: &Probe, out: &Outcome) -> Option<String> {
    let s = out.status;
    let why = match caller {
        Caller::Anonymous if s != 401 => "must be 401 without a token",
        Caller::Unit2 | Caller::Anonymous => return None,
        Caller::UnitX if out.ok() && probe.template != "/api/v1/self-assessments" => {
            "a unit in no round reached a round's self-assessment"
        }
        Caller::UnitX => return None,
        _ if s != 403 => "only a unit's representative may call it: must be 403",
        _ => return None,
    };
    Some(format!("{s}: {why}; body: {}", out.excerpt()))
}

impl Report {
    /// Administrators and viewers read team 2's data: each kind of marked text must have shown
    /// up for them, or the matrix could not notice it leaking.
    pub(super) fn positive_control(&mut self) {
        for caller in [Caller::Admin, Caller::Viewer] {
            for kind in KINDS.into_iter().chain([IN_ZIP]) {
                if !self.seen.contains(&(caller, kind)) {
                    self.failures.push(format!(
                        "positive control: {caller:?} never read team 2's marked {kind}; the \
                         matrix cannot tell whether it leaks"
                    ));
                }
            }
        }
    }
}

/// Team 2's data as an administrator reads it.
pub(super) async fn snapshot(app: &TestApp, fx: &Fixture) -> Vec<(String, Value)> {
    let (w, two) = (&fx.w, &fx.two);
    let mut paths: Vec<String> = two
        .inspections()
        .iter()
        .map(|i| format!("/api/v1/inspections/{i}"))
        .collect();
    paths.extend([
        format!("/api/v1/inspections/{}/comments", two.draft),
        format!("/api/v1/inspections/{}/evidence", two.draft),
        format!("/api/v1/conflicts?inspection_id={}", two.draft),
        format!("/api/v1/teams/{}", two.team),
        format!("/api/v1/users/{}", fx.insp2_id),
        format!("/api/v1/rounds/{}/assignments", w.round),
        format!("/api/v1/rounds/{}", two.round2.clone().unwrap_or_default()),
        format!("/api/v1/rounds/{}/summary", w.round),
        format!("/api/v1/units/{}", two.unit),
        format!("/api/v1/templates/{}", w.template),
        format!("/api/v1/bright-spots/{}", two.bright_spot),
    ]);
    let mut out = Vec::new();
    for p in paths {
        let v: Value = app.get_json(&p, &w.admin).await;
        out.push((p, v));
    }
    out
}

pub(super) fn compare_snapshots(
    caller: Caller,
    before: &[(String, Value)],
    after: &[(String, Value)],
    report: &mut Report,
) {
    let short = |v: &Value| v.to_string().chars().take(700).collect::<String>();
    for ((path, a), (_, b)) in before.iter().zip(after) {
        if a == b {
            continue;
        }
        let change = match (a.as_array(), b.as_array()) {
            (Some(old), Some(new)) => {
                let added: Vec<&Value> = new.iter().filter(|x| !old.contains(x)).collect();
                let gone = old.iter().filter(|x| !new.contains(x)).count();
                let shown: Vec<String> = added.iter().map(|x| short(x)).collect();
                format!(
                    "{gone} gone, {} added:\n        {}",
                    added.len(),
                    shown.join("\n        ")
                )
            }
            _ => format!("before: {}\n        after:  {}", short(a), short(b)),
        };
        report.failures.push(format!(
            "{caller:?}'s writes CHANGED team 2's data (nobody outside team 2 may): GET {path}\n        {change}"
        ));
    }
}

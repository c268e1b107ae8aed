//! The report: every request's status (printed as the matrix) and every violation.

use std::collections::{BTreeMap, BTreeSet};

use super::plan::Probe;
use super::{Caller, Side};
use crate::helpers::Engine;

#[derive(Default)]
pub(super) struct Report {
    pub(super) failures: Vec<String>,
    pub(super) requests: usize,
    /// (caller, kind) of team 2's marked texts seen by administrators and viewers.
    pub(super) seen: BTreeSet<(Caller, &'static str)>,
    /// Per operation and caller, the statuses answered (printed as the matrix).
    pub(super) statuses: BTreeMap<String, BTreeMap<Caller, BTreeSet<u16>>>,
}

impl Report {
    pub(super) fn record(&mut self, caller: Caller, probe: &Probe, status: u16) {
        self.requests += 1;
        let side = if probe.side == Side::Team2 {
            ""
        } else {
            " (own/collide)"
        };
        let row = self.statuses.entry(format!("{}{side}", probe.op));
        row.or_default().entry(caller).or_default().insert(status);
    }

    pub(super) fn fail(&mut self, caller: Caller, probe: &Probe, what: String) {
        let side = match probe.side {
            Side::Team2 => "",
            Side::Collide => " [team 1's object, an id of team 2's in the body]",
            Side::Team1 => " [own team's object]",
        };
        self.failures.push(format!(
            "{caller:?} {}{}{side}\n      {} {} -> {what}",
            probe.op, probe.note, probe.method, probe.url
        ));
    }
}

impl Report {
    /// The statuses each caller got, per operation.
    fn print_matrix(&self) {
        let callers = [
            Caller::Lead1,
            Caller::Insp1,
            Caller::Loner,
            Caller::Viewer,
            Caller::Anonymous,
            Caller::Admin,
            Caller::Unit2,
            Caller::UnitX,
        ];
        let head: Vec<String> = callers
            .iter()
            .map(|c| format!("{:<14}", format!("{c:?}")))
            .collect();
        eprintln!("{:<62} {}", "operation", head.join(""));
        for (op, row) in &self.statuses {
            let cells: Vec<String> = callers
                .iter()
                .map(|c| {
                    let codes = row
                        .get(c)
                        .map(|s| s.iter().map(u16::to_string).collect::<Vec<_>>());
                    format!("{:<14}", codes.map_or("-".to_owned(), |c| c.join(",")))
                })
                .collect();
            eprintln!("{op:<62} {}", cells.join(""));
        }
    }

    pub(super) fn finish(self, engine: Engine, elapsed: std::time::Duration) {
        self.print_matrix();
        eprintln!(
            "security matrix on {engine:?}: {} requests in {:.1} s, {} violation(s)",
            self.requests,
            elapsed.as_secs_f64(),
            self.failures.len()
        );
        assert!(
            self.failures.is_empty(),
            "{} violation(s) of the security matrix on {engine:?}:\n\n  {}\n",
            self.failures.len(),
            self.failures.join("\n\n  ")
        );
    }
}

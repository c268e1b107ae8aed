//! The plan: concrete requests (probes) for every documented operation and side.

use reqwest::Method;
use serde_json::Value;

use super::bodies::{concrete_body, concrete_headers};
use super::operations::{concrete_paths, concrete_queries, operations, Op};
use super::world::Fixture;
use super::{Reach, Side};

#[derive(Clone)]
pub(super) enum Body {
    None,
    Json(Value),
    Bytes(String, Vec<u8>),
}

#[derive(Clone)]
pub(super) struct Probe {
    /// `METHOD /template`, as in the OpenAPI document.
    pub(super) op: String,
    /// Added to messages (e.g. "after the rounds closed").
    pub(super) note: &'static str,
    pub(super) template: String,
    pub(super) method: Method,
    pub(super) url: String,
    pub(super) reach: Reach,
    pub(super) secured: bool,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Body,
    pub(super) side: Side,
}

impl Probe {
    pub(super) fn is_read(&self) -> bool {
        is_read(&self.method)
    }

    /// Everything the caller sends: ids found here may be echoed back.
    pub(super) fn request_text(&self) -> String {
        let mut t = self.url.clone();
        for (k, v) in &self.headers {
            t.push_str(&format!("\n{k}: {v}"));
        }
        match &self.body {
            Body::None => {}
            Body::Json(v) => t.push_str(&v.to_string()),
            Body::Bytes(_, b) => t.push_str(&String::from_utf8_lossy(b)),
        }
        t
    }

    /// A plain GET of a sync surface, outside the plan.
    pub(super) fn get(template: &str, url: String, note: &'static str) -> Probe {
        Probe {
            op: format!("GET {template}"),
            note,
            template: template.to_owned(),
            method: Method::GET,
            url,
            reach: Reach::Everyone,
            secured: true,
            headers: Vec::new(),
            body: Body::None,
            side: Side::Team2,
        }
    }
}

pub(super) fn is_read(method: &Method) -> bool {
    [Method::GET, Method::HEAD, Method::OPTIONS].contains(method)
}

/// Whether a body of `op` can name another team's existing object (`id`, `replaces`).
fn names_existing(op: &Op) -> bool {
    op.body.as_ref().is_some_and(|(_, s)| {
        ["id", "replaces"]
            .iter()
            .any(|f| s["properties"].get(*f).is_some())
    })
}

/// Every request of the matrix.
pub(super) struct Plan {
    /// Every operation against team 2's objects (and lists filtered by them).
    pub(super) team2: Vec<Probe>,
    /// Creations in team 1's objects under ids of team 2's existing objects.
    pub(super) collide: Vec<Probe>,
    /// Reads of team 1's own objects: the control.
    pub(super) team1: Vec<Probe>,
}

impl Plan {
    pub(super) fn from_openapi(fx: &Fixture, doc: &Value) -> Plan {
        let ops = operations(doc);
        assert!(ops.len() > 50, "the document lists the API: {}", ops.len());
        let mut plan = Plan {
            team2: Vec::new(),
            collide: Vec::new(),
            team1: Vec::new(),
        };
        let mut unmapped = Vec::new();
        for op in &ops {
            let has_params = op.template.contains('{');
            let mut add = |side: Side, into: &mut Vec<Probe>| match probes(fx, op, side) {
                Ok(p) => into.extend(p),
                Err(e) => unmapped.push(e),
            };
            add(Side::Team2, &mut plan.team2);
            if !is_read(&op.method) && names_existing(op) {
                add(Side::Collide, &mut plan.collide);
            }
            if is_read(&op.method) && has_params {
                add(Side::Team1, &mut plan.team1);
            }
        }
        unmapped.sort();
        unmapped.dedup();
        assert!(
            unmapped.is_empty(),
            "operations the matrix cannot map to real objects (teach path_targets, \
             query_targets, concrete_headers or body_field about them):\n  {}",
            unmapped.join("\n  ")
        );
        plan
    }
}

/// The requests for one operation and side.
fn probes(fx: &Fixture, op: &Op, side: Side) -> Result<Vec<Probe>, String> {
    let paths = concrete_paths(fx, op, side)?;
    let queries = concrete_queries(fx, op, side)?;
    let headers = concrete_headers(fx, op, side)?;
    let body = concrete_body(fx, op, side)?;
    let mut out = Vec::new();
    for (path, reach) in &paths {
        for q in &queries {
            let url = if q.is_empty() {
                path.clone()
            } else {
                format!("{path}?{q}")
            };
            out.push(Probe {
                op: op.name(),
                note: "",
                template: op.template.clone(),
                method: op.method.clone(),
                url,
                reach: *reach,
                secured: op.secured,
                headers: headers.clone(),
                body: body.clone(),
                side,
            });
        }
    }
    Ok(out)
}

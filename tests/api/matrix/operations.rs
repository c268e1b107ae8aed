//! The operations of the OpenAPI document, and real ids for their path and query parameters.

use reqwest::Method;
use serde_json::Value;

use super::world::Fixture;
use super::{Reach, Side};

/// One documented operation.
pub(super) struct Op {
    pub(super) method: Method,
    pub(super) template: String,
    pub(super) params: Vec<Value>,
    /// Content type and (resolved) schema of the request body.
    pub(super) body: Option<(String, Value)>,
    pub(super) secured: bool,
}

impl Op {
    pub(super) fn name(&self) -> String {
        format!("{} {}", self.method, self.template)
    }
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.rsplit('/').next().unwrap_or_default();
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

/// Every (method, path) of the document.
pub(super) fn operations(doc: &Value) -> Vec<Op> {
    let methods = [
        ("get", Method::GET),
        ("head", Method::HEAD),
        ("options", Method::OPTIONS),
        ("post", Method::POST),
        ("put", Method::PUT),
        ("patch", Method::PATCH),
        ("delete", Method::DELETE),
        ("trace", Method::TRACE),
    ];
    let mut ops = Vec::new();
    for (template, item) in doc["paths"].as_object().expect("paths") {
        let shared = item["parameters"].as_array().cloned().unwrap_or_default();
        for (key, method) in &methods {
            let Some(op) = item.get(*key) else { continue };
            let mut params = shared.clone();
            params.extend(op["parameters"].as_array().cloned().unwrap_or_default());
            let body = op["requestBody"]["content"]
                .as_object()
                .and_then(|c| c.iter().next())
                .map(|(ct, c)| (ct.clone(), resolve(doc, &c["schema"]).clone()));
            ops.push(Op {
                method: method.clone(),
                template: template.clone(),
                params,
                body,
                secured: op["security"].as_array().is_some_and(|s| !s.is_empty()),
            });
        }
    }
    ops
}

/// String values of an `enum`, also inside `oneOf`/`anyOf` (nullable enums).
fn enum_values(schema: &Value) -> Vec<String> {
    let mut out: Vec<String> = schema["enum"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for key in ["oneOf", "anyOf"] {
        for s in schema[key].as_array().into_iter().flatten() {
            out.extend(enum_values(s));
        }
    }
    out
}

/// Real ids for a path parameter, by what it names: `{id}` by the segment before it
/// (`inspections`), any other as `<segment before>/{name}` (`teams/{team_id}`). Team 1's ids
/// for the other sides. `None`: unmapped, which fails the test naming the operation.
fn path_targets(fx: &Fixture, key: &str, side: Side) -> Option<Vec<(String, Reach)>> {
    let (w, one, two) = (&fx.w, &fx.one, &fx.two);
    let theirs = |ids: Vec<String>| ids.into_iter().map(|i| (i, Reach::Team2)).collect();
    let shared = |id: &String| (vec![id.clone()], vec![(id.clone(), Reach::Everyone)]);
    let (mine, theirs): (Vec<String>, Vec<(String, Reach)>) = match key {
        "inspections" => (vec![one.draft.clone()], theirs(two.inspections())),
        "evidence" => (
            vec![one.evidence.clone()],
            theirs(vec![two.evidence.clone()]),
        ),
        "conflicts" => (one.conflicts.clone(), theirs(two.conflicts.clone())),
        "recommendations" => (
            one.recommendations.clone(),
            theirs(two.recommendations.clone()),
        ),
        "report-recommendations" => (
            vec![one.report_rec.clone()],
            theirs(vec![two.report_rec.clone()]),
        ),
        "rounds" => {
            let round2 = two.round2.clone().unwrap_or_default();
            (
                vec![w.round.clone()],
                vec![(w.round.clone(), Reach::Team1), (round2, Reach::Team2)],
            )
        }
        // A unit's own self-assessment is named by its round.
        "self-assessments" => {
            let round2 = two.round2.clone().unwrap_or_default();
            (
                vec![w.round.clone()],
                vec![(w.round.clone(), Reach::Team1), (round2, Reach::Team2)],
            )
        }
        "answers/{item_id}" => shared(&"a".to_owned()),
        "bright-spots" => (
            vec![one.bright_spot.clone()],
            theirs(vec![two.bright_spot.clone()]),
        ),
        // Unit reports: this year's; a unit's file is unit C's (team 2's unit).
        "unit-reports/{year}" | "due-dates/{year}" => {
            shared(&chrono::Datelike::year(&chrono::Utc::now()).to_string())
        }
        "{year}/{kind}" => shared(&"programme".to_owned()),
        // An attachment: unit C's report. An upload naming it with other bytes is refused
        // (409) wherever the caller may write, so no probe adds a file.
        "files" | "attachments" | "files/{file_id}" => {
            (Vec::new(), theirs(vec![fx.unit_report.clone()]))
        }
        // Unit C's own khắc phục note on its (team 2's) recommendation.
        "remedies/{remedy_id}" => (
            Vec::new(),
            theirs(vec![super::units::UNIT2_REMEDY.to_owned()]),
        ),
        // Unit C: team 2's in the shared round and in round 2.
        "units/{unit_id}" => (vec![one.unit.clone()], theirs(vec![w.unit_c.clone()])),
        "teams" | "teams/{team_id}" => (vec![one.team.clone()], theirs(vec![two.team.clone()])),
        "documents/{issuer}" => (
            vec![format!("team:{}", one.team)],
            theirs(vec![format!("team:{}", two.team)]),
        ),
        "units" | "assignments/{unit_id}" => (
            vec![one.unit.clone()],
            vec![(two.unit.clone(), Reach::Everyone)],
        ),
        "users" => (vec![fx.insp1_id.clone()], theirs(vec![fx.insp2_id.clone()])),
        // The planted world has no notification; an id that names none stands in (each
        // person's own are tested in tests/api/reminders.rs, with real ones).
        "notifications" => (Vec::new(), theirs(vec![fx.insp2_id.clone()])),
        "devices/{device}" => (Vec::new(), theirs(vec![fx.insp2_device.clone()])),
        "templates" => shared(&w.template),
        "template-versions" => shared(&w.version),
        "uploads" => (vec![one.upload.clone()], theirs(vec![two.upload.clone()])),
        "schemas/{name}" => {
            let names = ["checklist-template", "default-template-2026"].map(str::to_owned);
            (
                names.to_vec(),
                names.into_iter().map(|n| (n, Reach::Everyone)).collect(),
            )
        }
        _ => return None,
    };
    Some(match side {
        Side::Team2 => theirs,
        Side::Collide | Side::Team1 => mine.into_iter().map(|v| (v, Reach::Team1)).collect(),
    })
}

/// Concrete paths of `op` for `side`, each with who may read it; every combination of the
/// parameters' ids.
pub(super) fn concrete_paths(
    fx: &Fixture,
    op: &Op,
    side: Side,
) -> Result<Vec<(String, Reach)>, String> {
    let mut paths = vec![(String::new(), Reach::Everyone)];
    let segments: Vec<&str> = op.template.split('/').collect();
    for (i, seg) in segments.iter().enumerate().skip(1) {
        let Some(name) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            paths
                .iter_mut()
                .for_each(|(p, _)| p.push_str(&format!("/{seg}")));
            continue;
        };
        let schema = op
            .params
            .iter()
            .find(|p| p["in"] == "path" && p["name"] == name)
            .map(|p| p["schema"].clone())
            .unwrap_or_default();
        let before = segments[i - 1];
        let key = if name == "id" {
            before.to_owned()
        } else {
            format!("{before}/{seg}")
        };
        let values = match enum_values(&schema) {
            e if !e.is_empty() => e.into_iter().map(|v| (v, Reach::Everyone)).collect(),
            _ => path_targets(fx, &key, side)
                .ok_or_else(|| format!("{}: path parameter {{{name}}} ({key})", op.name()))?,
        };
        paths = paths
            .iter()
            .flat_map(|(p, r)| {
                values
                    .iter()
                    .map(move |(v, r2)| (format!("{p}/{v}"), *r.max(r2)))
            })
            .collect();
    }
    Ok(paths)
}

enum Query {
    Always(String),
    Variants(Vec<String>),
    Skip,
}

/// Values for a query parameter: filters get team 2's ids (one request each), enums every
/// value, the schema version always; the rest (paging, cursors, search) are left out.
fn query_targets(fx: &Fixture, name: &str, schema: &Value, side: Side) -> Query {
    let (one, two) = (&fx.one, &fx.two);
    let pick = |mine: &String, theirs: &String| {
        Query::Variants(vec![if side == Side::Team2 { theirs } else { mine }.clone()])
    };
    let values = enum_values(schema);
    if !values.is_empty() {
        return Query::Variants(values);
    }
    match name {
        "schema_version" => Query::Always("1".into()),
        "dry_run" => Query::Always("true".into()),
        "round_id" if side == Side::Team2 => {
            let mut v = vec![fx.w.round.clone()];
            v.extend(two.round2.iter().cloned());
            Query::Variants(v)
        }
        "round_id" => Query::Variants(vec![fx.w.round.clone()]),
        "inspection_id" | "entity_id" => pick(&one.draft, &two.draft),
        "team_id" => pick(&one.team, &two.team),
        "unit_id" => pick(&one.unit, &two.unit),
        "actor_id" => pick(&fx.insp1_id, &fx.insp2_id),
        "entity" => Query::Variants(vec!["inspection".into()]),
        _ => Query::Skip,
    }
}

/// The query strings of `op`: the fixed parameters alone, then once per targeted value.
pub(super) fn concrete_queries(fx: &Fixture, op: &Op, side: Side) -> Result<Vec<String>, String> {
    let mut always = Vec::new();
    let mut variants = Vec::new();
    for p in op.params.iter().filter(|p| p["in"] == "query") {
        let name = p["name"].as_str().unwrap_or_default();
        match query_targets(fx, name, &p["schema"], side) {
            Query::Always(v) => always.push(format!("{name}={v}")),
            Query::Variants(vs) => variants.extend(vs.into_iter().map(|v| format!("{name}={v}"))),
            Query::Skip if p["required"] == true => {
                return Err(format!("{}: required query parameter {name}", op.name()))
            }
            Query::Skip => {}
        }
    }
    let base = always.join("&");
    let mut out = vec![base.clone()];
    if side == Side::Team2 {
        for v in variants {
            out.push(if base.is_empty() {
                v
            } else {
                format!("{base}&{v}")
            });
        }
    }
    Ok(out)
}

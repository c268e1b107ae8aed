//! Request headers and bodies: required headers, JSON fields naming team 2's objects, files.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use reqwest::Method;
use serde_json::{json, Map, Value};

use super::operations::Op;
use super::plan::Body;
use super::sync::{hostile_mutations, hostile_watermelon};
use super::world::Fixture;
use super::Side;

/// Headers: the required ones the document declares, and `Tus-Resumable` on every tus request
/// (the protocol needs it on all but OPTIONS; the document declares it on creation only).
pub(super) fn concrete_headers(
    fx: &Fixture,
    op: &Op,
    side: Side,
) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    if op.template.starts_with("/api/v1/uploads") && op.method != Method::OPTIONS {
        out.push(("tus-resumable".to_owned(), "1.0.0".to_owned()));
    }
    let evidence = match side {
        Side::Team2 => &fx.two.evidence_upload,
        _ => &fx.one.evidence_upload,
    };
    for p in op
        .params
        .iter()
        .filter(|p| p["in"] == "header" && p["required"] == true)
    {
        let name = p["name"].as_str().unwrap_or_default().to_ascii_lowercase();
        let value = match name.as_str() {
            "tus-resumable" => continue,
            "upload-length" => fx.png.len().to_string(),
            "upload-offset" => "0".to_owned(),
            "upload-metadata" => format!("evidence_id {}", STANDARD.encode(evidence)),
            _ => return Err(format!("{}: required header {name}", op.name())),
        };
        out.push((name, value));
    }
    Ok(out)
}

/// A value for a JSON body field, by its name; `None` leaves it out. References name team 2's
/// objects, or (side `Collide`) team 1's, except `id` and `replaces`, which name team 2's
/// existing objects. Team 1's users ask to join team 2, take its unit, become administrators.
fn body_field(fx: &Fixture, op: &Op, field: &str, side: Side) -> Option<Value> {
    let (w, one, two) = (&fx.w, &fx.one, &fx.two);
    let ours = if side == Side::Team2 { two } else { one };
    let area = op.template.split('/').nth(3).unwrap_or_default();
    let last = op.template.rsplit('/').next().unwrap_or_default();
    let v = match field {
        "id" => match last {
            "inspections" => json!(two.draft),
            "comments" => json!(two.comment),
            "recommendations" => json!(two.recommendations[0]),
            "evidence" => json!(two.evidence),
            "bright-spots" => json!(two.bright_spot),
            "reviews" => json!(two.bright_spot_review),
            "remedies" => json!(super::units::UNIT2_REMEDY),
            _ => return None,
        },
        "replaces" => json!(two.recommendations),
        "round_id" => json!(w.round),
        "unit_id" | "responsible_unit_id" => json!(ours.unit),
        "inspection_id" => json!(ours.draft),
        "team_id" => json!(ours.team),
        "template_version_id" => json!(w.version),
        "lead_id" => json!(fx.lead1_id),
        "member_ids" => json!([fx.lead1_id, fx.insp1_id]),
        "assignments" => json!([{"unit_id": two.unit, "team_id": one.team}]),
        "answers" => json!({"b": {"value": "none"}}),
        "schema_version" => json!(1),
        "mutations" => json!(hostile_mutations(fx)
            .into_iter()
            .map(|(_, m)| m)
            .collect::<Vec<_>>()),
        "changes" => hostile_watermelon(fx),
        "username" => json!("probe-nobody"),
        "password" => json!("probe-password-123"),
        "refresh_token" => json!("kt1.probe-not-a-token"),
        "role" => json!("admin"),
        "take" => json!("device"),
        "item_id" => json!("a"),
        "kind" if area == "rounds" => json!("year"),
        "kind" if area == "units" => json!("commune"),
        "kind" if area == "unit-reports" => json!("programme"),
        "status" => json!("open"),
        "code" => json!("PROBE-UNIT"),
        "taken_at" => json!("2026-09-02T08:00:00Z"),
        "latitude" => json!(18.7),
        "longitude" => json!(105.7),
        "starts_on" => json!("2026-09-01"),
        "ends_on" => json!("2026-11-20"),
        "due_on" => json!("2026-12-31"),
        "follow_up" => json!("done"),
        "result" if area == "bright-spots" => json!("recognised"),
        "registered_on" if area == "bright-spots" => json!("2026-03-01"),
        "field" | "description" | "comment" if area == "bright-spots" => json!("probe"),
        "value" | "body" | "content" | "caption" | "reason" | "name" | "full_name"
        | "responsible" | "grouping" | "address" | "strengths" | "shortcomings" | "causes"
        | "note" => {
            json!("probe")
        }
        _ => return None,
    };
    Some(v)
}

/// A minimal body for `op`: its declared fields that `body_field` knows (every required one),
/// a CSV for imports, the test PNG for image and tus bodies.
pub(super) fn concrete_body(fx: &Fixture, op: &Op, side: Side) -> Result<Body, String> {
    let Some((ct, schema)) = &op.body else {
        return Ok(Body::None);
    };
    match ct.as_str() {
        "application/json" => {}
        "text/csv" => {
            let csv = "code,name,kind\nPROBE-CSV,Đơn vị thử,commune\n";
            return Ok(Body::Bytes(ct.clone(), csv.as_bytes().to_vec()));
        }
        "application/pdf" | "application/octet-stream" => {
            return Ok(Body::Bytes(ct.clone(), crate::unit_reports::pdf("probe")));
        }
        "application/offset+octet-stream" | "image/jpeg" | "image/png" | "image/webp" => {
            return Ok(Body::Bytes(ct.clone(), fx.png.clone()));
        }
        other => return Err(format!("{}: request body type {other}", op.name())),
    }
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut body = Map::new();
    for field in schema["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k)
    {
        match body_field(fx, op, field, side) {
            Some(v) => {
                body.insert(field.clone(), v);
            }
            None if required.contains(&field.as_str()) => {
                return Err(format!("{}: required body field {field}", op.name()))
            }
            None => {}
        }
    }
    Ok(Body::Json(Value::Object(body)))
}

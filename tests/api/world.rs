//! A small world for domain tests: two teams (each a lead and an inspector), a viewer, an
//! administrator, three units, a published checklist and an open round assigning unit A to
//! team 1 and units B, C to team 2.

use kiemtra::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::TestApp;

pub struct World {
    pub admin: String,
    pub lead1: String,
    pub insp1: String,
    pub lead2: String,
    pub insp2: String,
    pub viewer: String,
    pub team1: String,
    pub team2: String,
    pub unit_a: String,
    pub unit_b: String,
    pub unit_c: String,
    pub template: String,
    pub version: String,
    pub round: String,
}

pub fn test_template() -> Value {
    json!({
        "code": "thu-nghiem", "title": "Phiếu thử nghiệm",
        "scoring": {"max_score": 100, "critical_cap": "tb", "bands": [
            {"code": "tot", "label": "Tốt", "min": 85}, {"code": "kha", "label": "Khá", "min": 70},
            {"code": "tb", "label": "Trung bình", "min": 50}, {"code": "yeu", "label": "Yếu", "min": 0}]},
        "sections": [
            {"id": "s1", "title": "Phần 1", "weight": 2, "items": [
                {"id": "a", "type": "yes_no", "label": "Có chương trình công tác?", "required": true, "max_points": 10, "critical": true},
                {"id": "b", "type": "single_choice", "label": "Tiếp công dân", "required": true, "options": [
                    {"value": "full", "label": "Đầy đủ", "points": 10}, {"value": "part", "label": "Một phần", "points": 5}, {"value": "none", "label": "Không", "points": 0}]},
                {"id": "c", "type": "text", "label": "Lý do chưa có", "required": true, "visible_if": {"item": "a", "equals": "no"}}
            ]},
            {"id": "s2", "title": "Phần 2", "items": [
                {"id": "d", "type": "rating", "label": "Đánh giá chung", "scale": {"min": 1, "max": 5}, "max_points": 20},
                {"id": "e", "type": "number", "label": "Số cuộc đối thoại", "min": 0, "max": 100},
                {"id": "f", "type": "yes_no", "label": "Trung tâm hành chính công", "max_points": 10, "allow_na": true}
            ]}
        ]
    })
}

async fn json_of(res: reqwest::Response) -> Value {
    let status = res.status();
    let v: Value = res.json().await.unwrap();
    assert!(status.is_success(), "{status}: {v}");
    v
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        Self::build_with_template(app, test_template()).await
    }

    /// The same world, with another checklist.
    pub async fn build_with_template(app: &TestApp, template: Value) -> World {
        let (_, admin) = app.token_for("admin1", Role::Admin).await;
        let (lead1_id, lead1) = app.token_for("lead1", Role::Lead).await;
        let (insp1_id, insp1) = app.token_for("insp1", Role::Inspector).await;
        let (lead2_id, lead2) = app.token_for("lead2", Role::Lead).await;
        let (insp2_id, insp2) = app.token_for("insp2", Role::Inspector).await;
        let (_, viewer) = app.token_for("viewer1", Role::Viewer).await;
        let post =
            |path: &str, body: Value| app.authed(Method::POST, path, &admin).json(&body).send();
        let team1 = json_of(
            post(
                "/api/v1/teams",
                json!({"name": "Đoàn 1", "lead_id": lead1_id, "member_ids": [insp1_id]}),
            )
            .await
            .unwrap(),
        )
        .await;
        let team2 = json_of(
            post(
                "/api/v1/teams",
                json!({"name": "Đoàn 2", "lead_id": lead2_id, "member_ids": [insp2_id]}),
            )
            .await
            .unwrap(),
        )
        .await;
        let mut units = Vec::new();
        for (code, name) in [
            ("XA-A", "Xã Nghi Lộc"),
            ("XA-B", "Xã Diễn Châu"),
            ("SO-C", "Sở Tài chính"),
        ] {
            let kind = if code.starts_with("SO") {
                "department"
            } else {
                "commune"
            };
            units.push(
                json_of(
                    post(
                        "/api/v1/units",
                        json!({"code": code, "name": name, "kind": kind}),
                    )
                    .await
                    .unwrap(),
                )
                .await["id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        let draft = json_of(post("/api/v1/templates", template).await.unwrap()).await;
        let template = draft["template_id"].as_str().unwrap().to_owned();
        let published = json_of(
            post(
                &format!("/api/v1/templates/{template}/publish"),
                json!(null),
            )
            .await
            .unwrap(),
        )
        .await;
        let version = published["id"].as_str().unwrap().to_owned();
        let round = json_of(
            post("/api/v1/rounds", json!({"name": "Kiểm tra năm 2026", "kind": "year", "template_version_id": version, "starts_on": "2026-09-01", "ends_on": "2026-11-20", "due_on": "2026-11-30", "status": "open"}))
                .await
                .unwrap(),
        )
        .await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (t1, t2) = (
            team1["id"].as_str().unwrap().to_owned(),
            team2["id"].as_str().unwrap().to_owned(),
        );
        let res = app
            .authed(Method::PUT, &format!("/api/v1/rounds/{round}/assignments"), &admin)
            .json(&json!({"assignments": [
                {"unit_id": units[0], "team_id": t1}, {"unit_id": units[1], "team_id": t2}, {"unit_id": units[2], "team_id": t2}]}))
            .send()
            .await
            .unwrap();
        json_of(res).await;
        World {
            admin,
            lead1,
            insp1,
            lead2,
            insp2,
            viewer,
            team1: t1,
            team2: t2,
            unit_a: units[0].clone(),
            unit_b: units[1].clone(),
            unit_c: units[2].clone(),
            template,
            version,
            round,
        }
    }
}

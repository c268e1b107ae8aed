//! Recommendations followed across rounds: status with time, the scoped list and its filters,
//! remedies (khắc phục), re-inspection, the round report's section and sync.

use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};
use crate::reports::{act, ok, post};
use crate::world::World;

both_engines!(
    recommendations_are_followed_across_rounds,
    a_unit_follows_up_its_own_recommendations,
    the_web_list_pages_and_keeps_its_filters,
);

/// Inspects `unit` in `round` (by `insp`) with `recs`, and has `lead` approve it; returns the
/// inspection and the recommendations' ids.
pub(crate) async fn approved(
    app: &TestApp,
    (insp, lead): (&str, &str),
    round: &str,
    unit: &str,
    recs: &[Value],
) -> (String, Vec<String>) {
    let id = inspect(app, insp, round, unit).await;
    let mut ids = Vec::new();
    for r in recs {
        let path = format!("/api/v1/inspections/{id}/recommendations");
        let v = ok(post(app, insp, &path, r.clone()).await).await;
        ids.push(v["id"].as_str().unwrap().to_owned());
    }
    act(app, insp, &id, "submit").await;
    act(app, lead, &id, "approve").await;
    (id, ids)
}

/// Starts and fills the unit's inspection (ready to submit); returns its id.
async fn inspect(app: &TestApp, insp: &str, round: &str, unit: &str) -> String {
    let body = json!({"round_id": round, "unit_id": unit});
    let x = ok(post(app, insp, "/api/v1/inspections", body).await).await;
    let id = x["id"].as_str().unwrap().to_owned();
    let answers = json!({"answers": {"a": {"value": "yes"}, "b": {"value": "full"}}});
    let path = format!("/api/v1/inspections/{id}/answers");
    ok(app
        .authed(Method::PATCH, &path, insp)
        .json(&answers)
        .send()
        .await
        .unwrap())
    .await;
    crate::findings::write_findings(app, insp, &id).await;
    id
}

fn ids(page: &Value) -> Vec<String> {
    let mut v: Vec<String> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect();
    v.sort();
    v
}

fn sorted(v: &[&String]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| (*s).clone()).collect();
    v.sort();
    v
}

async fn remedy(app: &TestApp, token: &str, rec: &str, body: Value) -> reqwest::Response {
    post(
        app,
        token,
        &format!("/api/v1/recommendations/{rec}/remedies"),
        body,
    )
    .await
}

/// The text of a DOCX body (the round report's sections are read through it).
pub(crate) fn docx_text(bytes: &[u8]) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    // Text runs only: drop the tags.
    let mut out = String::new();
    let mut inside = false;
    for ch in xml.chars() {
        match ch {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

async fn report_text(app: &TestApp, token: &str, round: &str) -> String {
    let path = format!("/api/v1/rounds/{round}/exports/docx");
    let res = app.authed(Method::GET, &path, token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    docx_text(&res.bytes().await.unwrap())
}

async fn pull(app: &TestApp, token: &str, cursor: Option<&str>) -> Value {
    let mut path = "/api/v1/sync/pull?schema_version=1&limit=5000".to_owned();
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={c}"));
    }
    app.get_json(&path, token).await
}

/// The earlier-recommendation rows of a pull: (recommendation id, live).
fn earlier_rows(page: &Value) -> Vec<(String, bool)> {
    let mut v: Vec<(String, bool)> = page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["entity"] == "earlier_recommendation")
        .map(|c| {
            let id = c["id"].as_str().unwrap();
            let rec = id.split_once('/').unwrap().1.to_owned();
            (rec, !c["deleted"].as_bool().unwrap())
        })
        .collect();
    v.sort();
    v
}

async fn recommendations_are_followed_across_rounds(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let today = kiemtra::time::today_local();
    let yesterday = today.pred_opt().unwrap();
    // Unit A (team 1): one due yesterday (overdue since local midnight), one due today (in
    // time until the end of the local day), one far ahead, one without a due date.
    let (_, a) = approved(
        &app,
        (&w.insp1, &w.lead1),
        &w.round,
        &w.unit_a,
        &[
            json!({"content": "Quá hạn hôm qua", "due_on": yesterday}),
            json!({"content": "Hạn hôm nay", "due_on": today}),
            json!({"content": "Xây dựng điểm sáng dân vận", "due_on": "2099-03-31"}),
            json!({"content": "Không có thời hạn"}),
        ],
    )
    .await;
    let (over, due_today, far, open) = (&a[0], &a[1], &a[2], &a[3]);
    // Unit B (team 2); and unit C's inspection is never approved: its recommendation is not
    // official and is listed nowhere.
    let (_, b) = approved(
        &app,
        (&w.insp2, &w.lead2),
        &w.round,
        &w.unit_b,
        &[json!({"content": "Kiến nghị của xã Diễn Châu", "due_on": "2099-01-01"})],
    )
    .await;
    let rec_b = &b[0];
    let c = inspect(&app, &w.insp2, &w.round, &w.unit_c).await;
    let path = format!("/api/v1/inspections/{c}/recommendations");
    let unofficial = ok(post(&app, &w.insp2, &path, json!({"content": "Chưa duyệt"})).await).await;
    let unofficial = unofficial["id"].as_str().unwrap().to_owned();

    // Statuses and labels.
    let all: Value = app.get_json("/api/v1/recommendations", &w.admin).await;
    assert_eq!(all["total"], 5, "{all}");
    assert_eq!(ids(&all), sorted(&[over, due_today, far, open, rec_b]));
    let item = |id: &str| {
        all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(item(over)["status"], "overdue");
    assert_eq!(item(over)["status_vi"], "Quá hạn");
    assert_eq!(item(due_today)["status"], "new");
    assert_eq!(item(due_today)["status_vi"], "Mới");
    assert_eq!(item(open)["status"], "new");
    assert_eq!(item(far)["unit_id"], w.unit_a.as_str());
    assert_eq!(item(far)["round_id"], w.round.as_str());
    assert_eq!(item(far)["unit_name"], "Xã Nghi Lộc");
    assert!(item(far)["latest_remedy"].is_null());

    // Filters and paging.
    let get = |q: &str, t: &str| {
        let (app, q, t) = (&app, q.to_owned(), t.to_owned());
        async move {
            app.get_json::<Value>(&format!("/api/v1/recommendations{q}"), &t)
                .await
        }
    };
    assert_eq!(
        ids(&get("?overdue=true", &w.viewer).await),
        vec![over.clone()]
    );
    assert_eq!(
        ids(&get("?status=overdue", &w.viewer).await),
        vec![over.clone()]
    );
    assert_eq!(get("?overdue=false", &w.viewer).await["total"], 4);
    assert_eq!(get("?status=new", &w.viewer).await["total"], 4);
    let q = format!("?unit_id={}", w.unit_b);
    assert_eq!(ids(&get(&q, &w.admin).await), vec![rec_b.clone()]);
    let q = format!("?round_id={}&limit=2&offset=1", w.round);
    let p = get(&q, &w.admin).await;
    assert_eq!(
        (p["total"].as_i64(), p["items"].as_array().unwrap().len()),
        (Some(5), 2)
    );
    let res = app
        .authed(
            Method::GET,
            "/api/v1/recommendations?status=qua_han",
            &w.admin,
        )
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "validation_failed").await;

    // Scope: each team reads its units' only, never the other's.
    assert_eq!(ids(&get("", &w.lead2).await), vec![rec_b.clone()]);
    assert_eq!(ids(&get("", &w.insp2).await), vec![rec_b.clone()]);
    assert_eq!(
        ids(&get("", &w.lead1).await),
        sorted(&[over, due_today, far, open])
    );
    assert_eq!(
        get(&format!("?unit_id={}", w.unit_a), &w.lead2).await["total"],
        0
    );
    for (token, id) in [(&w.lead2, far), (&w.insp1, rec_b), (&w.lead1, &unofficial)] {
        let res = app
            .authed(Method::GET, &format!("/api/v1/recommendations/{id}"), token)
            .send()
            .await
            .unwrap();
        assert_problem(res, 404, "not_found").await;
    }

    // One not approved yet is read as its inspection is, and not followed up yet.
    let d: Value = app
        .get_json(&format!("/api/v1/recommendations/{unofficial}"), &w.lead2)
        .await;
    assert_eq!(
        (d["id"].as_str(), d["can_follow_up"].as_bool()),
        (Some(unofficial.as_str()), Some(false))
    );
    let note = json!({"note": "Sớm", "follow_up": "done"});
    let res = remedy(&app, &w.admin, &unofficial, note).await;
    assert_problem(res, 409, "recommendation_not_official").await;

    // Remedies: the team's lead writes, idempotently by id.
    let rid = "7b0e3c1a-52a4-4c43-9f6c-0d6f1b9f2a11";
    let body = json!({"id": rid, "note": "Đã xây dựng kế hoạch", "follow_up": "in_progress"});
    let res = remedy(&app, &w.lead1, far, body.clone()).await;
    assert_eq!(res.status(), 201);
    let res = remedy(&app, &w.lead1, far, body.clone()).await;
    assert_eq!(res.status(), 200, "the same id again is the same remedy");
    assert_eq!(ok(res).await["id"], rid);
    let other = json!({"id": rid, "note": "Nội dung khác", "follow_up": "in_progress"});
    assert_problem(remedy(&app, &w.lead1, far, other).await, 409, "id_taken").await;
    let d: Value = app
        .get_json(&format!("/api/v1/recommendations/{far}"), &w.lead1)
        .await;
    assert_eq!(d["remedies"].as_array().unwrap().len(), 1, "{d}");
    assert_eq!(d["status"], "in_progress");
    assert_eq!(d["status_vi"], "Đang thực hiện");
    assert_eq!(d["version"], 2);
    assert_eq!(d["can_follow_up"], true);
    assert_eq!(d["latest_remedy"]["note"], "Đã xây dựng kế hoạch");
    let stale = json!({"note": "x", "follow_up": "done", "version": 1});
    assert_problem(
        remedy(&app, &w.lead1, far, stale).await,
        409,
        "version_mismatch",
    )
    .await;
    let bad = json!({"note": "x", "follow_up": "finished"});
    assert_problem(
        remedy(&app, &w.lead1, far, bad).await,
        422,
        "validation_failed",
    )
    .await;
    // Done: no longer overdue.
    let done = json!({"note": "Đã hoàn thành", "follow_up": "done"});
    assert_eq!(remedy(&app, &w.admin, over, done).await.status(), 201);
    assert_eq!(get("?overdue=true", &w.viewer).await["total"], 0);
    let audit: Value = app.get_json("/api/v1/audit?entity=remedy", &w.admin).await;
    assert!(audit.to_string().contains(rid), "remedies are audited");

    // Refusals: who can see it but may not write, 403; who cannot see it, 404.
    let note = json!({"note": "Ghi chú", "follow_up": "done"});
    for t in [&w.viewer, &w.insp1] {
        assert_problem(remedy(&app, t, far, note.clone()).await, 403, "forbidden").await;
    }
    for (t, id) in [(&w.lead2, far), (&w.insp2, far), (&w.lead1, rec_b)] {
        assert_problem(remedy(&app, t, id, note.clone()).await, 404, "not_found").await;
    }
    let d: Value = app
        .get_json(&format!("/api/v1/recommendations/{far}"), &w.insp1)
        .await;
    assert_eq!(d["can_follow_up"], false);

    // The next round: unit A goes to team 2, whose people now read (and its lead follows up)
    // A's recommendations from the earlier round; team 1 still reads them through round 1.
    let round2 = next_round(&app, &w).await;
    assert_eq!(
        ids(&get("", &w.lead2).await),
        sorted(&[over, due_today, far, open, rec_b])
    );
    assert_eq!(get("", &w.lead1).await["total"], 4);
    let later = json!({"note": "Đoàn 2 ghi nhận", "follow_up": "in_progress"});
    assert_eq!(remedy(&app, &w.lead2, open, later).await.status(), 201);

    // Re-inspection: the unit's earlier recommendations not done, for whoever reads it.
    let a2 = inspect(&app, &w.insp2, &round2, &w.unit_a).await;
    let path = format!("/api/v1/inspections/{a2}/earlier-recommendations");
    let e: Value = app.get_json(&path, &w.insp2).await;
    assert_eq!(ids(&e), sorted(&[due_today, far, open]), "{e}");
    let res = app
        .authed(Method::GET, &path, &w.insp1)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;

    // Sync: team 2's devices get them as rows of their round-2 assignments; team 1's none.
    let first = pull(&app, &w.insp2, None).await;
    let mut want: Vec<(String, bool)> = [due_today, far, open, rec_b]
        .iter()
        .map(|id| ((*id).clone(), true))
        .collect();
    want.sort();
    assert_eq!(earlier_rows(&first), want);
    let row = first["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["entity"] == "earlier_recommendation"
                && c["data"]["recommendation_id"] == far.as_str()
        })
        .unwrap();
    assert_eq!(row["data"]["status"], "in_progress");
    assert_eq!(row["data"]["for_round_id"], round2.as_str());
    assert!(earlier_rows(&pull(&app, &w.insp1, None).await).is_empty());
    // Done later: the device's row goes.
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let done = json!({"note": "Xong", "follow_up": "done"});
    assert_eq!(remedy(&app, &w.lead2, due_today, done).await.status(), 201);
    let next = pull(&app, &w.insp2, Some(&cursor)).await;
    assert_eq!(earlier_rows(&next), [(due_today.clone(), false)]);
    // Remedies themselves travel with their recommendation's inspection (team 1, round 1).
    let team1 = pull(&app, &w.lead1, None).await;
    let remedies = team1["changes"].as_array().unwrap().iter();
    let remedies: Vec<&Value> = remedies.filter(|c| c["entity"] == "remedy").collect();
    assert_eq!(remedies.len(), 4, "{remedies:?}");
    assert!(remedies
        .iter()
        .all(|c| c["data"]["inspection_id"].is_string()));
    assert!(!next.to_string().contains("\"remedy\""), "not team 2's");

    // The round-2 report prints them with how far each went; round 1's has none before it.
    let text = report_text(&app, &w.admin, &round2).await;
    assert!(
        text.contains("KẾT QUẢ THỰC HIỆN KIẾN NGHỊ KỲ TRƯỚC"),
        "{text}"
    );
    assert!(text.contains("Xây dựng điểm sáng dân vận"), "{text}");
    assert!(text.contains("31/03/2099"), "{text}");
    assert!(text.contains("Đang thực hiện") && text.contains("Đã xây dựng kế hoạch"));
    assert!(text.contains("Kiến nghị của xã Diễn Châu"));
    let text1 = report_text(&app, &w.admin, &w.round).await;
    assert!(text1.contains("KẾT QUẢ THỰC HIỆN KIẾN NGHỊ KỲ TRƯỚC"));
    assert!(text1.contains("không có kiến nghị nào từ các đợt kiểm tra trước"));

    // The web app: the list with its filters, the detail with its form, and the review page's
    // section, all in the lead's scope.
    use crate::web::client::WebClient;
    let mut lead2 = WebClient::world_user(&app, "lead2").await;
    let (status, page) = lead2.get("/kien-nghi?overdue=true").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Xây dựng điểm sáng dân vận"), "{page}");
    let (_, page) = lead2.get(&format!("/kien-nghi?unit_id={}", w.unit_a)).await;
    assert!(page.contains("Xây dựng điểm sáng dân vận") && page.contains("Đang thực hiện"));
    let (status, page) = lead2.get(&format!("/kien-nghi/{far}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Đã xây dựng kế hoạch") && page.contains("khac-phuc"));
    let form = [
        ("id", "3f1c2b7e-8a9d-4e6f-b1a2-c3d4e5f60718"),
        ("note", "Ghi qua web"),
        ("follow_up", "done"),
    ];
    let res = lead2
        .post(&format!("/kien-nghi/{far}/khac-phuc"), &form)
        .await;
    let (_, page) = lead2.follow(res).await;
    assert!(
        page.contains("Ghi qua web") && page.contains("Đã thực hiện"),
        "{page}"
    );
    let (_, page) = lead2.get(&format!("/phieu/{a2}")).await;
    assert!(page.contains("Kiến nghị kỳ trước chưa hoàn thành"));
    assert!(page.contains("Không có thời hạn") && !page.contains("Xây dựng điểm sáng dân vận"));
    let mut viewer = WebClient::world_user(&app, "viewer1").await;
    let (_, page) = viewer.get(&format!("/kien-nghi/{far}")).await;
    assert!(!page.contains("khac-phuc"), "viewers do not follow up");
    let mut lead1 = WebClient::world_user(&app, "lead1").await;
    let (status, _) = lead1.get(&format!("/kien-nghi/{rec_b}")).await;
    assert_eq!(status, 404);
}

/// A later round assigning units A and B to team 2.
async fn next_round(app: &TestApp, w: &World) -> String {
    let body = json!({"name": "Kiểm tra năm 2027", "kind": "year", "template_version_id": w.version, "starts_on": "2027-01-05", "ends_on": "2027-11-20", "due_on": "2027-11-30", "status": "open"});
    let r = ok(post(app, &w.admin, "/api/v1/rounds", body).await).await;
    let id = r["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/rounds/{id}/assignments");
    let body = json!({"assignments": [{"unit_id": w.unit_a, "team_id": w.team2}, {"unit_id": w.unit_b, "team_id": w.team2}]});
    ok(app
        .authed(Method::PUT, &path, &w.admin)
        .json(&body)
        .send()
        .await
        .unwrap())
    .await;
    id
}

async fn a_unit_follows_up_its_own_recommendations(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let (insp_a, a) = approved(
        &app,
        (&w.insp1, &w.lead1),
        &w.round,
        &w.unit_a,
        &[json!({"content": "Kiện toàn tổ dân vận xã", "due_on": "2099-03-31"})],
    )
    .await;
    let (_, b) = approved(
        &app,
        (&w.insp2, &w.lead2),
        &w.round,
        &w.unit_b,
        &[json!({"content": "Việc riêng của xã Diễn Châu"})],
    )
    .await;
    let (rec_a, rec_b) = (&a[0], &b[0]);
    // Unit C's inspection is not approved: its recommendation is not official yet.
    let c = inspect(&app, &w.insp2, &w.round, &w.unit_c).await;
    let path = format!("/api/v1/inspections/{c}/recommendations");
    let unofficial = ok(post(&app, &w.insp2, &path, json!({"content": "Chưa duyệt"})).await).await;
    let unofficial = unofficial["id"].as_str().unwrap().to_owned();
    let unit_a = crate::self_assessment::unit_user(&app, &w.admin, "donvi.a", &w.unit_a).await;
    let unit_c = crate::self_assessment::unit_user(&app, &w.admin, "donvi.c", &w.unit_c).await;

    // Its own unit's only, from every round; another unit's filter finds nothing.
    let mine: Value = app.get_json("/api/v1/recommendations", &unit_a).await;
    assert_eq!(ids(&mine), vec![rec_a.clone()], "{mine}");
    let q = format!("/api/v1/recommendations?unit_id={}", w.unit_b);
    assert_eq!(app.get_json::<Value>(&q, &unit_a).await["total"], 0);
    let none: Value = app.get_json("/api/v1/recommendations", &unit_c).await;
    assert_eq!(none["total"], 0, "C's only one is not approved: {none}");
    let d: Value = app
        .get_json(&format!("/api/v1/recommendations/{rec_a}"), &unit_a)
        .await;
    assert_eq!(d["can_follow_up"], true, "{d}");
    for (token, id) in [(&unit_a, rec_b), (&unit_a, &unofficial), (&unit_c, rec_a)] {
        let res = app
            .authed(Method::GET, &format!("/api/v1/recommendations/{id}"), token)
            .send()
            .await
            .unwrap();
        assert_problem(res, 404, "not_found").await;
    }

    // Its khắc phục note: written by the unit, read by the team's lead, synced to the team.
    let first = pull(&app, &w.insp1, None).await;
    let cursor = first["next_cursor"].as_str().unwrap().to_owned();
    let rid = "5d7a4a9e-1f0b-4c8e-9a51-0c2b8f3e6d41";
    let body =
        json!({"id": rid, "note": "Đã kiện toàn, có quyết định kèm theo", "follow_up": "done"});
    assert_eq!(
        remedy(&app, &unit_a, rec_a, body.clone()).await.status(),
        201
    );
    assert_eq!(
        remedy(&app, &unit_a, rec_a, body).await.status(),
        200,
        "idempotent"
    );
    let d: Value = app
        .get_json(&format!("/api/v1/recommendations/{rec_a}"), &w.lead1)
        .await;
    assert_eq!(d["status"], "done");
    assert_eq!(
        d["latest_remedy"]["note"],
        "Đã kiện toàn, có quyết định kèm theo"
    );
    let next = pull(&app, &w.insp1, Some(&cursor)).await;
    assert!(
        next["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["entity"] == "remedy" && c["id"] == rid),
        "{next}"
    );
    // Never another unit's, never one not official: 404, nothing written.
    let note = json!({"note": "Thử", "follow_up": "done"});
    for (token, id) in [(&unit_a, rec_b), (&unit_a, &unofficial), (&unit_c, rec_a)] {
        assert_problem(
            remedy(&app, token, id, note.clone()).await,
            404,
            "not_found",
        )
        .await;
    }
    let d: Value = app
        .get_json(&format!("/api/v1/recommendations/{rec_b}"), &w.admin)
        .await;
    assert_eq!(d["remedies"], json!([]));
    // The inspection's own edit shares the pattern of the detail route: refused by method.
    let res = app
        .authed(
            Method::PATCH,
            &format!("/api/v1/recommendations/{rec_a}"),
            &unit_a,
        )
        .json(&json!({"content": "Đơn vị tự sửa"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 403, "forbidden").await;
    // The rest stays closed to units, the inspection included.
    for path in [
        format!("/api/v1/inspections/{insp_a}/earlier-recommendations"),
        format!("/api/v1/inspections/{insp_a}"),
        "/api/v1/sync/pull".to_owned(),
    ] {
        let res = app
            .authed(Method::GET, &path, &unit_a)
            .send()
            .await
            .unwrap();
        assert_problem(res, 403, "forbidden").await;
    }

    // The web app: its list, the detail with the form (no link to the team's phiếu), a note.
    use crate::web::client::WebClient;
    let mut web = WebClient::sign_in(&app, "donvi.a", "pw-donvi.a-123").await;
    let (status, page) = web.get("/kien-nghi").await;
    assert_eq!(status, 200);
    assert!(page.contains("Kiện toàn tổ dân vận xã"), "{page}");
    assert!(!page.contains("Việc riêng của xã Diễn Châu"));
    assert!(
        page.contains("href=\"/tu-kiem-tra\""),
        "the menu keeps tự kiểm tra"
    );
    let (status, page) = web.get(&format!("/kien-nghi/{rec_a}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("khac-phuc") && !page.contains("/phieu/"),
        "{page}"
    );
    let form = [
        ("id", "9e0c7d55-3b1a-4f2e-8c6d-7a5b4c3d2e10"),
        ("note", "Đơn vị bổ sung biên bản họp"),
        ("follow_up", "in_progress"),
    ];
    let res = web
        .post(&format!("/kien-nghi/{rec_a}/khac-phuc"), &form)
        .await;
    let (_, page) = web.follow(res).await;
    assert!(page.contains("Đơn vị bổ sung biên bản họp"), "{page}");
    assert!(page.contains("Đang thực hiện"));
    for path in [
        format!("/kien-nghi/{rec_b}"),
        format!("/kien-nghi/{unofficial}"),
    ] {
        assert_eq!(web.get(&path).await.0, 404, "{path}");
    }
    let res = web
        .post(&format!("/kien-nghi/{rec_b}/khac-phuc"), &form)
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(web.get("/dot").await.0, 403);
    assert_eq!(web.get(&format!("/phieu/{insp_a}")).await.0, 403);
}

/// `/kien-nghi` shows 50 a page; the pager keeps the filters.
async fn the_web_list_pages_and_keeps_its_filters(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let yesterday = kiemtra::time::today_local().pred_opt().unwrap();
    let recs: Vec<Value> = (1..=53)
        .map(|i| {
            let due = if i <= 52 {
                json!(yesterday)
            } else {
                json!("2099-01-01")
            };
            json!({"content": format!("Kiến nghị số {i:02}"), "due_on": due})
        })
        .collect();
    approved(&app, (&w.insp1, &w.lead1), &w.round, &w.unit_a, &recs).await;
    use crate::web::client::WebClient;
    let mut lead = WebClient::world_user(&app, "lead1").await;
    let rows = |page: &str| page.matches("href=\"/kien-nghi/").count();
    let (status, first) = lead.get("/kien-nghi").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&first), 50, "{first}");
    assert!(first.contains("53 kiến nghị · trang 1/2"), "{first}");
    assert!(first.contains("href=\"/kien-nghi?trang=2\""), "{first}");
    let (_, second) = lead.get("/kien-nghi?trang=2").await;
    assert_eq!(rows(&second), 3);
    assert!(second.contains("Kiến nghị số 53") && !second.contains("Kiến nghị số 01"));
    assert!(second.contains("href=\"/kien-nghi?trang=1\""));
    // Filtered: 52 overdue, two pages, the filter carried in the pager's link.
    let (_, overdue) = lead.get("/kien-nghi?overdue=true").await;
    assert!(overdue.contains("52 kiến nghị · trang 1/2"), "{overdue}");
    let pager = &overdue[overdue.find("class=\"actions pager\"").unwrap()..];
    assert!(
        pager.contains("overdue=true") && pager.contains("trang=2"),
        "{pager}"
    );
    let (_, last) = lead.get("/kien-nghi?overdue=true&trang=2").await;
    assert_eq!(rows(&last), 2);
    assert!(!last.contains("Kiến nghị số 53"));
    // The filter offers the unit though the page shows a part of the list.
    assert!(last.contains(&format!("value=\"{}\"", w.unit_a)));
    // Out of range: an empty page, not an error.
    let (status, far) = lead.get("/kien-nghi?trang=9").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&far), 0);
}

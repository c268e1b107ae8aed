//! Teams: a new team with its lead and members, changed on its page, and removal.

use super::{id_after, user_id};
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::web::client::WebClient;
use crate::world::World;

both_engines!(an_admin_creates_edits_and_deletes_a_team);

async fn an_admin_creates_edits_and_deletes_a_team(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let (lead1, lead2) = (
        user_id(&app, &w, "lead1").await,
        user_id(&app, &w, "lead2").await,
    );
    let (insp1, insp2) = (
        user_id(&app, &w, "insp1").await,
        user_id(&app, &w, "insp2").await,
    );
    let viewer = user_id(&app, &w, "viewer1").await;
    let mut c = WebClient::world_user(&app, "admin1").await;

    let (status, page) = c.get("/quan-tri/doan").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Đoàn 1") && page.contains("Người dùng insp1"),
        "{page}"
    );
    assert!(
        page.contains(&format!("value=\"{lead1}\""))
            && !page.contains(&format!("name=\"member\" value=\"{viewer}\"")),
        "leads to choose; no viewer among members: {page}"
    );

    // A lead and two members.
    let res = c
        .post(
            "/quan-tri/doan",
            &[
                ("name", "Đoàn kiểm tra số 3"),
                ("lead_id", &lead1),
                ("member", &insp1),
                ("member", &insp2),
            ],
        )
        .await;
    let to = res.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã tạo Đoàn kiểm tra số 3 với 2 thành viên."),
        "{page}"
    );
    assert!(
        page.contains(&format!("value=\"{lead1}\" selected")),
        "{page}"
    );
    assert!(
        page.contains(&format!("value=\"{insp2}\" checked")),
        "{page}"
    );
    let id = id_after(&to, "/quan-tri/doan/");
    let (_, list) = c.get("/quan-tri/doan").await;
    assert!(list.contains("Đoàn kiểm tra số 3"), "{list}");
    assert!(
        list.contains("Người dùng insp1, Người dùng insp2"),
        "{list}"
    );

    // Renamed, another lead, one member fewer.
    let res = c
        .post(
            &to,
            &[
                ("name", "Đoàn kiểm tra số 3 (bổ sung)"),
                ("lead_id", &lead2),
                ("member", &insp2),
                ("version", "1"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã lưu Đoàn kiểm tra số 3 (bổ sung): 1 thành viên."),
        "{page}"
    );
    let team: serde_json::Value = app.get_json(&format!("/api/v1/teams/{id}"), &w.admin).await;
    assert_eq!(team["lead_id"], lead2.as_str());
    assert_eq!(team["member_ids"], serde_json::json!([insp2]));

    // The API's rules, in its words: a viewer is no member, an inspector no lead, a stale form.
    let res = c
        .post(
            &to,
            &[
                ("name", "X"),
                ("lead_id", &insp1),
                ("member", &viewer),
                ("version", "2"),
            ],
        )
        .await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("Chưa lưu được đoàn."), "{page}");
    assert!(
        page.contains("Trưởng đoàn: Trưởng đoàn phải là người dùng đang hoạt động"),
        "{page}"
    );
    assert!(
        page.contains("Thành viên: Thành viên phải là người dùng"),
        "{page}"
    );
    let res = c
        .post(&to, &[("name", "X"), ("lead_id", &lead2), ("version", "1")])
        .await;
    let (_, page) = c.follow(res).await;
    assert!(page.contains("người khác sửa"), "{page}");

    // A team with assignments stays; one without goes.
    let res = c
        .post(&format!("/quan-tri/doan/{}/xoa", w.team1), &[])
        .await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đoàn đang được phân công trong đợt kiểm tra"),
        "{page}"
    );
    let (_, page) = c.get(&to).await;
    assert!(
        page.contains("data-confirm=\"Xóa Đoàn kiểm tra số 3 (bổ sung)?"),
        "{page}"
    );
    let res = c.post(&format!("{to}/xoa"), &[]).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã xóa Đoàn kiểm tra số 3 (bổ sung)."),
        "{page}"
    );
    assert!(!page.contains(&id), "{page}");
    assert_eq!(c.get(&to).await.0, 404);
}

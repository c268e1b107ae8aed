//! Rounds: created from the page (a date out of order refused in Vietnamese), unit A
//! assigned to team 1 (twice refused), edited, opened, closed, and the unit unassigned.

use reqwest::Method;
use serde_json::Value;

use super::location;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::web::client::WebClient;
use crate::world::World;

/// The first `value` after `marker` in `html`.
fn value_after(html: &str, marker: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {html}"));
    let rest = &html[at..];
    let v = rest.find("value=\"").unwrap() + 7;
    rest[v..v + rest[v..].find('"').unwrap()].to_owned()
}

both_engines!(a_round_is_created_assigned_opened_and_closed);

async fn a_round_is_created_assigned_opened_and_closed(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mut c = WebClient::world_user(&app, "admin1").await;
    let (status, page) = c.get("/quan-tri/dot").await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Kiểm tra năm 2026") && page.contains("Tổng kết năm"),
        "{page}"
    );
    assert!(page.contains("Phiếu thử nghiệm — phiên bản 1"), "{page}");

    let mut form = vec![
        ("name", "Sơ kết 6 tháng đầu năm 2027"),
        ("kind", "half_year"),
        ("template_version_id", w.version.as_str()),
        ("starts_on", "2027-03-01"),
        ("ends_on", "2027-02-01"),
        ("due_on", "2027-06-30"),
        ("plan_number", "12/KH-BCĐ"),
        ("plan_date", ""),
    ];
    // Refused in place, with everything typed still in the form.
    let res = c.post("/quan-tri/dot", &form).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Chưa tạo được đợt kiểm tra")
            && page.contains("Ngày kết thúc trước ngày bắt đầu."),
        "{page}"
    );
    for kept in [
        r#"value="Sơ kết 6 tháng đầu năm 2027""#,
        r#"<option value="half_year" selected>"#,
        r#"name="ends_on" type="date" required value="2027-02-01""#,
        r#"name="due_on" type="date" required value="2027-06-30""#,
        "12/KH-BCĐ",
    ] {
        assert!(page.contains(kept), "{kept}: {page}");
    }
    assert!(
        page.contains(&format!(r#"<option value="{}" selected>"#, w.version)),
        "{page}"
    );
    form[4].1 = "2027-05-31";
    let res = c.post("/quan-tri/dot", &form).await;
    let round = location(&res);
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã tạo đợt kiểm tra «Sơ kết 6 tháng đầu năm 2027» (chưa mở)"),
        "{page}"
    );
    assert!(
        page.contains("Chưa mở")
            && page.contains("Sơ kết 6 tháng")
            && page.contains("Số 12/KH-BCĐ"),
        "{page}"
    );
    let rid = round.rsplit('/').next().unwrap().to_owned();

    // Unit A to team 1, from the page; twice is refused by name.
    let assign = format!("{round}/phan-cong");
    let fields = [("team", w.team1.as_str()), ("unit", w.unit_a.as_str())];
    let res = c.post(&assign, &fields).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã phân công 1 đơn vị cho «Đoàn 1»: Xã Nghi Lộc."),
        "{page}"
    );
    assert!(page.contains("Đoàn 1 (1 đơn vị)"), "{page}");
    let api: Value = app
        .authed(
            Method::GET,
            &format!("/api/v1/rounds/{rid}/assignments"),
            &w.admin,
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api.as_array().unwrap().len(), 1);
    assert_eq!(
        (api[0]["unit_id"].as_str(), api[0]["team_id"].as_str()),
        (Some(w.unit_a.as_str()), Some(w.team1.as_str()))
    );
    let res = c.post(&assign, &fields).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đơn vị «Xã Nghi Lộc» đã được phân công cho «Đoàn 1» trong đợt này."),
        "{page}"
    );
    let res = c.post(&assign, &[("team", w.team2.as_str())]).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Hãy chọn ít nhất một đơn vị để phân công."),
        "{page}"
    );
    // The picker searches without diacritics.
    let (_, page) = c.get(&format!("{round}?q=dien+chau")).await;
    assert!(page.contains(&format!("value=\"{}\"", w.unit_b)), "{page}");
    assert!(!page.contains(&format!("value=\"{}\"", w.unit_c)), "{page}");

    // Edit, open, close; a move the rules refuse is said in Vietnamese.
    let (_, page) = c.get(&round).await;
    let version = value_after(&page, "name=\"version\"");
    let mut edit = form.clone();
    edit[0].1 = "Sơ kết 6 tháng năm 2027";
    edit.push(("version", version.as_str()));
    let res = c.post(&round, &edit).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã lưu thông tin đợt «Sơ kết 6 tháng năm 2027»."),
        "{page}"
    );
    let res = c.post(&round, &edit).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Chưa lưu được."),
        "a stale version is refused: {page}"
    );
    for (to, said) in [
        ("open", "Đã mở đợt «Sơ kết 6 tháng năm 2027»"),
        ("closed", "Đã đóng đợt «Sơ kết 6 tháng năm 2027»."),
    ] {
        let (_, page) = c.get(&round).await;
        let version = value_after(&page, "name=\"version\"");
        let res = c
            .post(
                &format!("{round}/trang-thai"),
                &[("status", to), ("version", &version)],
            )
            .await;
        let (_, page) = c.follow(res).await;
        assert!(page.contains(said), "{said}: {page}");
        let r: Value = app
            .authed(Method::GET, &format!("/api/v1/rounds/{rid}"), &w.admin)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(r["status"], to);
    }
    let (_, page) = c.get(&round).await;
    assert!(
        page.contains("Đã đóng") && page.contains("Mở lại đợt kiểm tra"),
        "{page}"
    );
    let res = c
        .post(&format!("{round}/trang-thai"), &[("status", "planned")])
        .await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đợt kiểm tra không thể chuyển từ &#34;đã đóng&#34; sang &#34;chưa mở&#34;."),
        "{page}"
    );

    let res = c
        .post(&format!("{round}/phan-cong/{}/xoa", w.unit_a), &[])
        .await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Đã bỏ phân công đơn vị «Xã Nghi Lộc» khỏi đợt này."),
        "{page}"
    );
    assert!(
        page.contains("Chưa phân công đơn vị nào trong đợt này."),
        "{page}"
    );
}

//! The audit log: newest first, filtered and paged; the chain verified with its count, and
//! an altered entry found.

use diesel::prelude::*;

use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::web::client::WebClient;
use crate::world::World;

both_engines!(the_audit_log_is_browsed_and_its_chain_verified);

async fn the_audit_log_is_browsed_and_its_chain_verified(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let w = World::build(&app).await;
    let mut c = WebClient::world_user(&app, "admin1").await;
    let (status, page) = c.get("/quan-tri/nhat-ky").await;
    assert_eq!(status, 200);
    for want in [
        "Người dùng admin1",
        "Tạo mới",
        "Ban hành",
        "Đợt kiểm tra",
        "Phân công",
        "<details>",
        "&#34;name&#34;: &#34;Kiểm tra năm 2026&#34;",
    ] {
        assert!(page.contains(want), "{want}: {page}");
    }
    // Newest first: the assignments were the last changes, the first team the first.
    let first_seq = |p: &str| value_in(p, "<td data-label=\"Số\" class=\"num\">");
    let top = first_seq(&page);
    assert!(top > 5, "{page}");
    let (_, filtered) = c
        .get(&format!(
            "/quan-tri/nhat-ky?entity=round&entity_id={}",
            w.round
        ))
        .await;
    assert_eq!(
        filtered.matches("<td data-label=\"Số\"").count(),
        1,
        "{filtered}"
    );
    assert!(filtered.contains(&w.round));
    let (_, older) = c.get("/quan-tri/nhat-ky?truoc=3").await;
    assert_eq!(older.matches("<td data-label=\"Số\"").count(), 2, "{older}");
    assert_eq!(first_seq(&older), 2);
    assert!(older.contains("« Mới nhất"));

    let count: i64 = app
        .db
        .read(|conn| {
            kiemtra::db::schema::audit_log::table
                .count()
                .get_result(conn)
                .map_err(kiemtra::error::ApiError::from)
        })
        .await
        .unwrap();
    assert_eq!(count, top);
    let res = c.post("/quan-tri/nhat-ky/kiem-tra", &[]).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains(&format!(
            "Chuỗi nhật ký toàn vẹn: đã kiểm tra {count} bản ghi."
        )),
        "{page}"
    );

    app.db
        .write(|conn| {
            diesel::sql_query("UPDATE audit_log SET after = '{\"name\":\"giả mạo\"}' WHERE seq = 2")
                .execute(conn)
                .map_err(kiemtra::error::ApiError::from)
        })
        .await
        .unwrap();
    let res = c.post("/quan-tri/nhat-ky/kiem-tra", &[]).await;
    let (_, page) = c.follow(res).await;
    assert!(
        page.contains("Chuỗi nhật ký bị phá vỡ tại bản ghi số 2: mã băm không khớp"),
        "{page}"
    );
}

fn value_in(html: &str, marker: &str) -> i64 {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("{marker}: {html}"))
        + marker.len();
    html[at..at + html[at..].find('<').unwrap()]
        .trim()
        .parse()
        .unwrap()
}

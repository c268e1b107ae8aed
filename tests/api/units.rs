//! Units: CRUD for administrators, reading for everyone, diacritic-blind search, and the
//! all-or-nothing, idempotent CSV import.

use kiemtra::auth::Role;
use reqwest::Method;
use serde_json::{json, Value};

use crate::both_engines;
use crate::helpers::{assert_problem, Engine, TestApp};

both_engines!(
    crud_and_search,
    csv_import_is_idempotent_and_all_or_nothing,
    only_admins_change_units
);

async fn crud_and_search(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let mk = |body: Value| {
        app.authed(Method::POST, "/api/v1/units", &admin)
            .json(&body)
            .send()
    };
    let huyen: Value = mk(json!({"code": "NGHI-LOC", "name": "Khu vực Nghi Lộc", "kind": "other"}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let res = mk(json!({"code": "XA-NGHILOC", "name": "Xã Nghi Lộc", "kind": "commune", "parent_id": huyen["id"], "latitude": 18.8, "longitude": 105.7})).await.unwrap();
    assert_eq!(res.status(), 201);
    let xa: Value = res.json().await.unwrap();
    assert_eq!(xa["kind"], "commune");
    mk(json!({"code": "SO-NV", "name": "Sở Nội vụ", "kind": "department"}))
        .await
        .unwrap();
    mk(json!({"code": "BAN-DV", "name": "Ban Dân vận", "kind": "department"}))
        .await
        .unwrap();
    mk(json!({"code": "X-DO-LUONG", "name": "Xã Đô Lương", "kind": "commune"}))
        .await
        .unwrap();

    let (_, viewer) = app.token_for("viewer1", Role::Viewer).await;
    let search = |q: &str| {
        let url = format!("/api/v1/units?q={}", urlencode(q));
        let req = app.authed(Method::GET, &url, &viewer);
        async move { req.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let names = |v: &Value| {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&search("nghi loc").await),
        ["Xã Nghi Lộc", "Khu vực Nghi Lộc"],
        "ordered by kind, then name"
    );
    assert_eq!(names(&search("NGHI LỘC").await).len(), 2);
    assert_eq!(names(&search("dan van").await), ["Ban Dân vận"]);
    assert_eq!(
        names(&search("do luong").await),
        ["Xã Đô Lương"],
        "đ matches d"
    );
    assert_eq!(
        names(&search("so-nv").await),
        ["Sở Nội vụ"],
        "codes match too"
    );
    assert_eq!(
        names(&search("100%").await).len(),
        0,
        "LIKE wildcards are literal"
    );
    let depts: Value = app.get_json("/api/v1/units?kind=department", &viewer).await;
    assert_eq!(depts["total"], 2);

    let id = xa["id"].as_str().unwrap();
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/units/{id}"), &admin)
        .json(&json!({"name": "Xã Nghi Lộc mới", "version": 1}))
        .send()
        .await
        .unwrap();
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["parent_id"], huyen["id"], "absent fields are kept");
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/units/{id}"), &admin)
        .json(&json!({"name": "X", "version": 1}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "version_mismatch").await;
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/units/{id}"), &admin)
        .json(&json!({"code": "SO-NV"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "unit_code_taken").await;
    let res = app
        .authed(Method::PATCH, &format!("/api/v1/units/{id}"), &admin)
        .json(&json!({"parent_id": null}))
        .send()
        .await
        .unwrap();
    assert!(
        res.json::<Value>().await.unwrap()["parent_id"].is_null(),
        "null clears the parent"
    );

    let res = mk(json!({"code": "bad code", "name": "", "kind": "huyện", "latitude": 200}))
        .await
        .unwrap();
    let body = assert_problem(res, 422, "validation_failed").await;
    let pointers: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["pointer"].as_str().unwrap())
        .collect();
    assert_eq!(pointers, ["/code", "/name", "/kind", "/latitude"]);

    let res = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/units/{}", huyen["id"].as_str().unwrap()),
            &admin,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204, "no children any more");
    let res = app
        .authed(Method::DELETE, &format!("/api/v1/units/{id}"), &admin)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);
    let res = app
        .authed(Method::GET, &format!("/api/v1/units/{id}"), &viewer)
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, "not_found").await;
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn import(app: &TestApp, token: &str, csv: &str, dry_run: bool) -> reqwest::Response {
    let path = if dry_run {
        "/api/v1/units/import?dry_run=true"
    } else {
        "/api/v1/units/import"
    };
    app.authed(Method::POST, path, token)
        .header("content-type", "text/csv")
        .body(csv.to_owned())
        .send()
        .await
        .unwrap()
}

async fn csv_import_is_idempotent_and_all_or_nothing(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let csv = "\u{feff}Mã,Tên đơn vị,Loại,Mã đơn vị cấp trên,Địa chỉ\n\
               XA-A,Xã Diễn Châu,xã,KV-1,\n\
               KV-1,Khu vực phía Bắc,khác,,\n\
               SO-TC,Sở Tài chính,sở,,\"Số 1, đường Trường Thi\"\n";
    let dry: Value = import(&app, &admin, csv, true).await.json().await.unwrap();
    assert_eq!(
        dry,
        json!({"created": 3, "updated": 0, "unchanged": 0, "dry_run": true})
    );
    let page: Value = app.get_json("/api/v1/units", &admin).await;
    assert_eq!(page["total"], 0, "a dry run writes nothing");

    let first: Value = import(&app, &admin, csv, false).await.json().await.unwrap();
    assert_eq!(
        first,
        json!({"created": 3, "updated": 0, "unchanged": 0, "dry_run": false})
    );
    let again: Value = import(&app, &admin, csv, false).await.json().await.unwrap();
    assert_eq!(
        again,
        json!({"created": 0, "updated": 0, "unchanged": 3, "dry_run": false})
    );

    let page: Value = app.get_json("/api/v1/units?q=dien chau", &admin).await;
    let xa = &page["items"][0];
    assert_eq!(xa["version"], 1);
    let kv: Value = app.get_json("/api/v1/units?q=KV-1", &admin).await;
    assert_eq!(
        xa["parent_id"], kv["items"][0]["id"],
        "parent resolved by code, even when listed later"
    );
    let so: Value = app.get_json("/api/v1/units?q=tai chinh", &admin).await;
    assert_eq!(so["items"][0]["address"], "Số 1, đường Trường Thi");

    let changed = csv.replace("Xã Diễn Châu", "Xã Diễn Châu (mới)");
    let r: Value = import(&app, &admin, &changed, false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        r,
        json!({"created": 0, "updated": 1, "unchanged": 2, "dry_run": false})
    );

    // One bad line anywhere rejects the file: nothing of the good lines is written either.
    let bad = "code,name,kind,parent_code\nNEW-1,Xã Mới,xã,\nNEW-2,,phường,\nNEW-3,Xã Ba,huyện,\nNEW-4,Xã Bốn,xã,KHONG-CO\n";
    let res = import(&app, &admin, bad, false).await;
    let body = assert_problem(res, 422, "validation_failed").await;
    let faults: Vec<(String, String)> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["pointer"].as_str().unwrap().to_owned(),
                e["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        faults,
        [
            ("/lines/3/name".to_owned(), "invalid_text".to_owned()),
            ("/lines/4/kind".to_owned(), "invalid_kind".to_owned())
        ]
    );
    let only_parent = "code,name,kind,parent_code\nNEW-1,Xã Mới,xã,\nNEW-4,Xã Bốn,xã,KHONG-CO\n";
    let body = assert_problem(
        import(&app, &admin, only_parent, false).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["pointer"], "/lines/3/parent_code");
    let page: Value = app.get_json("/api/v1/units?q=NEW", &admin).await;
    assert_eq!(page["total"], 0, "nothing written");
}

async fn only_admins_change_units(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    let (_, admin) = app.token_for("admin1", Role::Admin).await;
    let unit: Value = app
        .authed(Method::POST, "/api/v1/units", &admin)
        .json(&json!({"code": "U1", "name": "Xã Một", "kind": "commune"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = unit["id"].as_str().unwrap();
    for (name, role) in [
        ("lead1", Role::Lead),
        ("insp1", Role::Inspector),
        ("viewer1", Role::Viewer),
    ] {
        let (_, t) = app.token_for(name, role).await;
        assert_eq!(
            app.authed(Method::GET, "/api/v1/units", &t)
                .send()
                .await
                .unwrap()
                .status(),
            200,
            "{role} reads"
        );
        assert_eq!(
            app.authed(Method::GET, &format!("/api/v1/units/{id}"), &t)
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let attempts = [
            app.authed(Method::POST, "/api/v1/units", &t)
                .json(&json!({"code": "U2", "name": "X", "kind": "commune"})),
            app.authed(Method::PATCH, &format!("/api/v1/units/{id}"), &t)
                .json(&json!({"name": "Y"})),
            app.authed(Method::DELETE, &format!("/api/v1/units/{id}"), &t),
            app.authed(Method::POST, "/api/v1/units/import", &t)
                .header("content-type", "text/csv")
                .body("code,name,kind\nU3,Z,xa\n"),
        ];
        for req in attempts {
            assert_problem(req.send().await.unwrap(), 403, "forbidden").await;
        }
    }
    assert_problem(
        app.req(Method::GET, "/api/v1/units").send().await.unwrap(),
        401,
        "unauthenticated",
    )
    .await;
    let after: Value = app.get_json(&format!("/api/v1/units/{id}"), &admin).await;
    assert_eq!(after["version"], 1);
}

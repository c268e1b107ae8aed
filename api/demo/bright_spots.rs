//! Demo bright spots (điểm sáng): two registered (Xã Nghi Lộc, Phường Thành Vinh) and one
//! recognised in the demo round (Xã Diễn Châu). Fixed ids: the services' idempotency makes a
//! second start change nothing.

use super::DemoError;
use crate::audit::Actor;
use crate::brightspots::review::{self, ReviewInput};
use crate::brightspots::service::{self, SpotInput};
use crate::brightspots::store;
use crate::db::{Db, DbConn};
use crate::domain::DomainError;
use crate::role::Role;
use crate::scope::Scope;

struct Demo {
    id: &'static str,
    unit: &'static str,
    name: &'static str,
    field: &'static str,
    description: &'static str,
    registered_on: (i32, u32, u32),
    /// The review that recognised it in the demo round, if any: (id, comment).
    recognised: Option<(&'static str, &'static str)>,
}

const SPOTS: [Demo; 3] = [
    Demo {
        id: "6d0c8f9e-0b1a-4c52-9a51-000000000b01",
        unit: "DEMO-X-NGHILOC",
        name: "Bộ phận một cửa thân thiện, vì Nhân dân phục vụ",
        field: "Cải cách hành chính",
        description: "Công chức một cửa hướng dẫn tận tình, trả kết quả đúng hẹn; Nhân dân đánh giá sự hài lòng qua phiếu khảo sát hằng tháng.",
        registered_on: (2026, 3, 5),
        recognised: None,
    },
    Demo {
        id: "6d0c8f9e-0b1a-4c52-9a51-000000000b02",
        unit: "DEMO-P-THANHVINH",
        name: "Đối thoại định kỳ giữa Chủ tịch UBND phường với Nhân dân",
        field: "Tiếp công dân, đối thoại",
        description: "Mỗi quý một buổi đối thoại theo chuyên đề; kiến nghị của Nhân dân được trả lời bằng văn bản trong 15 ngày.",
        registered_on: (2026, 3, 12),
        recognised: None,
    },
    Demo {
        id: "6d0c8f9e-0b1a-4c52-9a51-000000000b03",
        unit: "DEMO-X-DIENCHAU",
        name: "Dân vận khéo trong giải phóng mặt bằng",
        field: "Xây dựng nông thôn mới",
        description: "Vận động Nhân dân hiến đất mở rộng đường giao thông nông thôn, không phát sinh khiếu nại.",
        registered_on: (2026, 2, 20),
        recognised: Some((
            "6d0c8f9e-0b1a-4c52-9a51-000000000c03",
            "Mô hình hiệu quả, được Nhân dân đồng tình; đề nghị nhân rộng.",
        )),
    },
];

/// Registers the demo bright spots (as the demo administrator) and recognises the third in
/// the round its unit is assigned to.
pub async fn load(db: &Db) -> Result<(), DemoError> {
    db.write(|c| {
        let admin = crate::users::store::find_by_username(c, "demo.admin")?;
        let Some(admin) = admin else {
            return Ok(());
        };
        let scope = Scope::for_user(c, &admin.id, Role::Admin)?;
        let actor = Actor {
            user_id: Some(admin.id.clone()),
            device_id: None,
        };
        for d in &SPOTS {
            one(c, &actor, &scope, d)?;
        }
        Ok::<_, DemoError>(())
    })
    .await
}

fn one(c: &mut DbConn, actor: &Actor, scope: &Scope, d: &Demo) -> Result<(), DemoError> {
    let Some(unit) = crate::units::store::find_by_code(c, d.unit)? else {
        return Ok(());
    };
    let (y, m, day) = d.registered_on;
    let input = SpotInput {
        name: Some(d.name.into()),
        field: Some(d.field.into()),
        description: Some(d.description.into()),
        evidence: Some(String::new()),
        registered_on: chrono::NaiveDate::from_ymd_opt(y, m, day),
    };
    service::create(c, actor, scope, d.id, Some(unit.id.clone()), &input)?;
    let Some((review_id, comment)) = d.recognised else {
        return Ok(());
    };
    let Some((round, _, _)) = store::rounds_of_unit(c, &unit.id)?.into_iter().next() else {
        return Ok(());
    };
    let r = ReviewInput {
        round_id: round,
        result: "recognised".into(),
        comment: comment.into(),
        version: None,
    };
    match review::review(c, actor, scope, d.id, review_id, &r) {
        Ok(_) => Ok(()),
        Err(DomainError::Conflict { .. }) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

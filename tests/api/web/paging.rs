//! The paged lists read `?trang=` as a page number whatever is sent: past the end, negative,
//! not a number, or past i64's reach once multiplied (a 500 from an overflowing offset).

use super::client::WebClient;
use crate::both_engines;
use crate::helpers::{Engine, TestApp};
use crate::world::World;

both_engines!(any_page_number_is_read);

async fn any_page_number_is_read(engine: Engine) {
    let Some(app) = TestApp::spawn(engine).await else {
        return;
    };
    World::build(&app).await;
    let mut admin = WebClient::world_user(&app, "admin1").await;
    for list in ["/kien-nghi", "/quan-tri/don-vi", "/quan-tri/nguoi-dung"] {
        for n in [
            "9223372036854775807",
            "4611686018427387904",
            "-3",
            "hai",
            "2",
        ] {
            let (status, page) = admin.get(&format!("{list}?trang={n}")).await;
            assert_eq!(status, 200, "{list}?trang={n}: {page}");
        }
    }
}

//! `/`: readers go to their rounds; inspectors, whose work is on the phone, are told where
//! it is.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use crate::role::Role;
use crate::web::render::{self, Layout};
use crate::web::WebUser;

#[derive(Template)]
#[template(path = "home_inspector.html")]
struct InspectorHome {
    layout: Layout,
}

pub async fn home(req: HttpRequest, user: WebUser) -> HttpResponse {
    if user.me.role == Role::Inspector {
        let layout = Layout::new(&req, &user, "Trang của thành viên đoàn");
        return render::page(&req, &InspectorHome { layout });
    }
    // A unit's representative has one page: the unit's self-assessment.
    let to = if user.me.role == Role::Unit {
        "/tu-kiem-tra"
    } else {
        "/dot"
    };
    let mut res = HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish();
    // Keep the message a form left for the page the person lands on.
    if let Some(c) = req.cookie("kt_bao") {
        let _ = res.add_cookie(&c);
    }
    res
}

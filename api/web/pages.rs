//! The page table: every page and form action of the web app, with the roles that may use it.
//!
//! One macro writes both the router's registrations and `PAGES`, so the table cannot drift
//! from what is served: `WebUser` refuses a request whose route is missing from the table,
//! and the security matrix test (tests/api/web_matrix/) walks `PAGES` for every role.

use actix_web::{guard, web};

use super::{account, admin, rounds};
use crate::role::Role;

/// One page or form action.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The actix pattern, e.g. `/dot/{id}`.
    pub path: &'static str,
    /// Who may use it; empty for the public sign-in page.
    pub roles: &'static [Role],
}

/// Anyone, signed in or not.
pub const PUBLIC: &[Role] = &[];
/// Every signed-in person.
pub const SIGNED_IN: &[Role] = &[
    Role::Admin,
    Role::Lead,
    Role::Inspector,
    Role::Viewer,
    Role::Unit,
];
/// A unit's representative: their unit's self-assessment (web/selfcheck).
pub const UNITS: &[Role] = &[Role::Unit];
/// Who reads rounds, inspections and documents: Sở Nội vụ, leads (their teams), the committee.
pub const READERS: &[Role] = &[Role::Admin, Role::Lead, Role::Viewer];
/// Who reviews and writes findings: the team's lead and Sở Nội vụ.
pub const REVIEWERS: &[Role] = &[Role::Admin, Role::Lead];
/// Who reads bright spots (web/brightspots): the readers, and a unit's representative (their
/// own unit's).
pub const SPOT_READERS: &[Role] = &[Role::Admin, Role::Lead, Role::Viewer, Role::Unit];
/// Who registers and edits bright spots: Sở Nội vụ, and a unit's representative (their own).
pub const SPOT_WRITERS: &[Role] = &[Role::Admin, Role::Unit];
/// Sở Nội vụ only.
pub const ADMINS: &[Role] = &[Role::Admin];
/// Who reads recommendations on the web: readers, and a unit's representative (their own
/// unit's, which they follow up themselves).
pub const FOLLOW_UP_READERS: &[Role] = &[Role::Admin, Role::Lead, Role::Viewer, Role::Unit];
/// Who writes khắc phục notes: Sở Nội vụ, the team's lead, and the unit itself.
pub const FOLLOW_UP_WRITERS: &[Role] = &[Role::Admin, Role::Lead, Role::Unit];

macro_rules! pages {
    ($( $method:ident $path:literal $roles:ident => $handler:path; )*) => {
        /// Every page and action, in the order the router tries them.
        pub const PAGES: &[Page] = &[
            $( Page { method: pages!(@m $method), path: $path, roles: $roles }, )*
        ];

        /// Registers every row of the table with its handler.
        pub fn register(cfg: &mut web::ServiceConfig) {
            $( cfg.route($path, pages!(@route $method).to($handler)); )*
        }
    };
    // A page answers HEAD as it answers GET (the server sends the head alone): link checkers,
    // proxies and `curl -I` ask that way.
    (@route get) => { web::route().guard(guard::Any(guard::Get()).or(guard::Head())) };
    (@route post) => { web::post() };
    (@m get) => { "GET" };
    (@m post) => { "POST" };
}

pages! {
    get  "/dang-nhap"            PUBLIC    => account::login::form;
    post "/dang-nhap"            PUBLIC    => account::login::submit;
    post "/dang-xuat"            SIGNED_IN => account::login::sign_out;
    get  "/mat-khau"             SIGNED_IN => account::password::form;
    post "/mat-khau"             SIGNED_IN => account::password::submit;
    get  "/"                     SIGNED_IN => rounds::home::home;
    get  "/dot"                  READERS   => rounds::list::list;
    get  "/dot/{id}"             READERS   => rounds::dashboard::dashboard;
    get  "/dot/{id}/con-thieu"   READERS   => rounds::missing::missing;
    get  "/dot/{id}/so-sanh"     READERS   => rounds::compare::compare;
    get  "/dot/{id}/so-sanh/tai-ve" READERS => rounds::compare::download;
    post "/dot/{id}/nhac-nho"    REVIEWERS => crate::web::notifications::remind;
    get  "/thong-bao"            SIGNED_IN => crate::web::notifications::list;
    post "/thong-bao/doc-het"    SIGNED_IN => crate::web::notifications::read_all;
    post "/thong-bao/{id}/doc"   SIGNED_IN => crate::web::notifications::read;

    // Inspection review (web/review) and conflicts (web/conflicts).
    // (review rows)
    get  "/phieu/{id}"              READERS   => crate::web::review::page::inspection;
    post "/phieu/{id}/tra-lai"      REVIEWERS => crate::web::review::actions::return_to_team;
    post "/phieu/{id}/duyet"        REVIEWERS => crate::web::review::actions::approve;
    post "/phieu/{id}/binh-luan"    REVIEWERS => crate::web::review::actions::add_comment;
    get  "/minh-chung/{id}/anh-nho" READERS   => crate::web::review::photos::small;
    get  "/minh-chung/{id}/anh"     READERS   => crate::web::review::photos::large;
    get  "/dot/{id}/xung-dot"       READERS   => crate::web::conflicts::list::round_conflicts;
    post "/xung-dot/{id}"           REVIEWERS => crate::web::conflicts::resolve::resolve;

    // Conclusions, document settings and downloads (web/documents).
    // (documents rows)
    get  "/dot/{id}/ket-luan"            READERS   => super::documents::page::page;
    post "/dot/{id}/ket-luan"            REVIEWERS => super::documents::compile::conclusion;
    post "/dot/{id}/kien-nghi"           REVIEWERS => super::documents::compile::add;
    post "/dot/{id}/kien-nghi/{rid}"     REVIEWERS => super::documents::compile::update;
    post "/dot/{id}/kien-nghi/{rid}/xoa" REVIEWERS => super::documents::compile::delete;
    post "/dot/{id}/van-ban/{issuer}"    REVIEWERS => super::documents::settings::save;
    get  "/dot/{id}/tai-ve"              READERS   => super::documents::downloads::round;
    get  "/phieu/{id}/bien-ban"          READERS   => super::documents::downloads::record;

    // Recommendations followed across rounds (web/recommendations).
    get  "/kien-nghi"                 FOLLOW_UP_READERS => super::recommendations::list::list;
    get  "/kien-nghi/{id}"            FOLLOW_UP_READERS => super::recommendations::detail::detail;
    post "/kien-nghi/{id}/khac-phuc"  FOLLOW_UP_WRITERS => super::recommendations::detail::add_remedy;
    post "/kien-nghi/{id}/khac-phuc/{rid}/tep" FOLLOW_UP_WRITERS => super::recommendations::detail::attach_file;

    // Bright spots (web/brightspots).
    get  "/diem-sang"                 SPOT_READERS => super::brightspots::list::list;
    post "/diem-sang"                 SPOT_WRITERS => super::brightspots::form::create;
    get  "/diem-sang/moi"             SPOT_WRITERS => super::brightspots::form::new_form;
    get  "/diem-sang/{id}"            SPOT_READERS => super::brightspots::detail::detail;
    post "/diem-sang/{id}"            SPOT_WRITERS => super::brightspots::form::update;
    post "/diem-sang/{id}/danh-gia"   REVIEWERS    => super::brightspots::detail::review;
    post "/diem-sang/{id}/tep"        SPOT_WRITERS => super::brightspots::detail::attach_file;

    // Unit reports owed under the plan (web/unit_reports).
    get  "/bao-cao-don-vi"           READERS   => super::unit_reports::dashboard::page;
    post "/bao-cao-don-vi/han-nop"   ADMINS    => super::unit_reports::dashboard::save_dues;
    get  "/bao-cao"                  UNITS     => super::unit_reports::own::page;
    post "/bao-cao/nop"              UNITS     => super::unit_reports::own::upload;
    get  "/bao-cao/tep/{id}"         SIGNED_IN => super::unit_reports::download;
    // Any attachment (a remedy's, a self-assessment item's, a bright spot's; web/attach.rs),
    // to whoever may read its owner.
    get  "/tep/{id}"                 SIGNED_IN => super::attach::download;

    // Administration: units, users, teams (web/admin/{units,users,teams}.rs).
    // (admin people rows)
    get  "/quan-tri/don-vi"                    ADMINS => crate::web::admin::units::list::list;
    post "/quan-tri/don-vi"                    ADMINS => crate::web::admin::units::edit::create;
    post "/quan-tri/don-vi/nhap"               ADMINS => crate::web::admin::units::import::upload;
    post "/quan-tri/don-vi/nhap-xac-nhan"      ADMINS => crate::web::admin::units::import::confirm;
    get  "/quan-tri/don-vi/{id}"               ADMINS => crate::web::admin::units::edit::form;
    post "/quan-tri/don-vi/{id}"               ADMINS => crate::web::admin::units::edit::save;
    get  "/quan-tri/nguoi-dung"                ADMINS => crate::web::admin::users::list::list;
    post "/quan-tri/nguoi-dung"                ADMINS => crate::web::admin::users::list::create;
    get  "/quan-tri/nguoi-dung/{id}"           ADMINS => crate::web::admin::users::edit::form;
    post "/quan-tri/nguoi-dung/{id}"           ADMINS => crate::web::admin::users::edit::save;
    post "/quan-tri/nguoi-dung/{id}/mat-khau"  ADMINS => crate::web::admin::users::edit::reset_password;
    post "/quan-tri/nguoi-dung/{id}/dang-xuat" ADMINS => crate::web::admin::users::edit::sign_out;
    get  "/quan-tri/doan"                      ADMINS => crate::web::admin::teams::list::list;
    post "/quan-tri/doan"                      ADMINS => crate::web::admin::teams::list::create;
    get  "/quan-tri/doan/{id}"                 ADMINS => crate::web::admin::teams::edit::form;
    post "/quan-tri/doan/{id}"                 ADMINS => crate::web::admin::teams::edit::save;
    post "/quan-tri/doan/{id}/xoa"             ADMINS => crate::web::admin::teams::edit::delete;

    // Administration: templates, rounds, audit (web/admin/{templates,rounds,audit}.rs).
    // (admin config rows)
    get  "/quan-tri/mau-phieu"                              ADMINS => admin::templates::list::list;
    get  "/quan-tri/mau-phieu/nhap"                         ADMINS => admin::templates::import::form;
    post "/quan-tri/mau-phieu/nhap"                         ADMINS => admin::templates::import::import;
    get  "/quan-tri/mau-phieu/{id}"                         ADMINS => admin::templates::family::family;
    post "/quan-tri/mau-phieu/{id}/ban-hanh"                ADMINS => admin::templates::family::publish;
    get  "/quan-tri/mau-phieu/{id}/phien-ban/{version_id}"  ADMINS => admin::templates::version::version;
    get  "/quan-tri/dot"                                    ADMINS => admin::rounds::list::list;
    post "/quan-tri/dot"                                    ADMINS => admin::rounds::list::create;
    get  "/quan-tri/dot/{id}"                               ADMINS => admin::rounds::edit::page;
    post "/quan-tri/dot/{id}"                               ADMINS => admin::rounds::edit::save;
    post "/quan-tri/dot/{id}/trang-thai"                    ADMINS => admin::rounds::edit::status;
    post "/quan-tri/dot/{id}/phan-cong"                     ADMINS => admin::rounds::assign::assign_units;
    post "/quan-tri/dot/{id}/phan-cong/{unit_id}/xoa"       ADMINS => admin::rounds::assign::unassign;
    post "/quan-tri/dot/{id}/phan-cong/{unit_id}/han"       ADMINS => admin::rounds::assign::set_due;
    get  "/quan-tri/nhat-ky"                                ADMINS => admin::audit::list;

    // A unit's self-assessment (web/selfcheck).
    get  "/tu-kiem-tra"           UNITS => super::selfcheck::page::page;
    post "/tu-kiem-tra/{id}/luu"  UNITS => super::selfcheck::page::save;
    post "/tu-kiem-tra/{id}/gui"  UNITS => super::selfcheck::page::submit;
    post "/tu-kiem-tra/{id}/tep"  UNITS => super::selfcheck::files::attach_file;
    post "/quan-tri/nhat-ky/kiem-tra"                       ADMINS => admin::audit::verify;

    // The inspectors' offline app (web/field): public shells, no data in them; the data comes
    // through the API with the app's bearer token.
    get  "/thuc-dia"                       PUBLIC => super::field::redirect;
    get  "/thuc-dia/"                      PUBLIC => super::field::shell;
    get  "/thuc-dia/sw.js"                 PUBLIC => super::field::worker;
    get  "/thuc-dia/manifest.webmanifest"  PUBLIC => super::field::manifest;
    get  "/thuc-dia/tai-nguyen/{name}"     PUBLIC => super::field::asset;
}

impl Page {
    /// The table's row for a matched route pattern and method.
    pub fn find(method: &str, pattern: &str) -> Option<&'static Page> {
        let method = if method == "HEAD" { "GET" } else { method };
        PAGES
            .iter()
            .find(|p| p.method == method && p.path == pattern)
    }

    pub fn is_public(&self) -> bool {
        self.roles.is_empty()
    }
}

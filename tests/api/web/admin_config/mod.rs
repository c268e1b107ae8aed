//! Sở Nội vụ's configuration pages: checklist templates (import with every fault by its
//! JSON pointer, publish, items in words), rounds (create, assign, open, close) and the
//! audit log (browse, verify the chain); and no one else gets in. One file per area; the
//! page helpers they share are here.

mod audit;
mod roles;
mod rounds;
mod templates;

use reqwest::Response;

/// The address a 303 points to.
fn location(res: &Response) -> String {
    res.headers()["location"].to_str().unwrap().to_owned()
}

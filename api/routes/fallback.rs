//! What to answer for a request no route took: 405 with `Allow` when the path exists under
//! other methods, 404 otherwise. actix answers both with 404 (its method guards make a wrong
//! method look like a missing route), so the route index is built from the OpenAPI document,
//! which lists every path and method the service has.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::ApiError;

pub struct RouteIndex {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl RouteIndex {
    pub fn from_openapi(doc: &utoipa::openapi::OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let segments = path.split('/').map(str::to_owned).collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, has)| *has)
                .map(|(m, _)| m.to_owned())
                .collect();
                (segments, methods)
            })
            .collect();
        RouteIndex { routes }
    }

    /// The methods a path accepts, or `None` when no route has this path.
    pub fn allowed(&self, path: &str) -> Option<Vec<String>> {
        let parts: Vec<&str> = path.split('/').collect();
        let mut methods: Vec<String> = self
            .routes
            .iter()
            .filter(|(segments, _)| {
                segments.len() == parts.len()
                    && segments.iter().zip(&parts).all(|(s, p)| {
                        (s.starts_with('{') && s.ends_with('}') && !p.is_empty()) || s == p
                    })
            })
            .flat_map(|(_, m)| m.iter().cloned())
            .collect();
        if methods.is_empty() {
            return None;
        }
        methods.sort();
        methods.dedup();
        Some(methods)
    }
}

/// A person's browser asking for a page that does not exist (a mistyped address, an old
/// bookmark) gets the web app's page saying so; API clients get problem+json.
fn wants_page(req: &HttpRequest) -> bool {
    let accepts_html = req
        .headers()
        .get(actix_web::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    accepts_html && !req.path().starts_with("/api/")
}

pub async fn no_route(
    req: HttpRequest,
    index: web::Data<RouteIndex>,
) -> Result<HttpResponse, ApiError> {
    if wants_page(&req) {
        let page = crate::web::WebError::Api(ApiError::RouteNotFound);
        return Ok(actix_web::ResponseError::error_response(&page));
    }
    Err(match index.allowed(req.path()) {
        Some(allow) => ApiError::MethodNotAllowed { allow },
        None => ApiError::RouteNotFound,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(routes: &[(&str, &[&str])]) -> RouteIndex {
        RouteIndex {
            routes: routes
                .iter()
                .map(|(p, m)| {
                    (
                        p.split('/').map(str::to_owned).collect(),
                        m.iter().map(|s| (*s).to_owned()).collect(),
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn matches_templates_and_merges_methods() {
        let idx = index(&[
            ("/api/v1/users", &["GET", "POST"]),
            ("/api/v1/users/{id}", &["GET", "PATCH"]),
        ]);
        assert_eq!(
            idx.allowed("/api/v1/users"),
            Some(vec!["GET".into(), "POST".into()])
        );
        assert_eq!(
            idx.allowed("/api/v1/users/abc"),
            Some(vec!["GET".into(), "PATCH".into()])
        );
        assert_eq!(idx.allowed("/api/v1/users/"), None);
        assert_eq!(idx.allowed("/api/v1/users/abc/x"), None);
        assert_eq!(idx.allowed("/api/v1/nope"), None);
    }
}

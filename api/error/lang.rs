//! Which language a client wants its error messages in.
//!
//! Only Vietnamese and English exist; `Accept-Language` is read by q-value and the first of
//! the two that the client ranks highest wins. Anything else, or no header, means English:
//! field apps send `vi` explicitly, and machine clients get a stable default.

use actix_web::http::header::{HeaderMap, ACCEPT_LANGUAGE};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Vi,
}

impl Lang {
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        headers
            .get(ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    }

    /// Parses an `Accept-Language` value (RFC 9110 §12.5.4).
    pub fn from_accept_language(value: &str) -> Lang {
        let mut ranked: Vec<(f32, usize, &str)> = value
            .split(',')
            .enumerate()
            .filter_map(|(pos, part)| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let mut q = 1.0_f32;
                for param in pieces {
                    if let Some(v) = param.trim().strip_prefix("q=") {
                        q = v.trim().parse().unwrap_or(0.0);
                    }
                }
                (q > 0.0 && !tag.is_empty()).then_some((q, pos, tag))
            })
            .collect();
        // Highest q first; among equals, the client's own order.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, _, tag) in ranked {
            let primary = tag.split('-').next().unwrap_or("").to_ascii_lowercase();
            match primary.as_str() {
                "vi" => return Lang::Vi,
                "en" => return Lang::En,
                _ => {}
            }
        }
        Lang::En
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_by_quality_then_order() {
        assert_eq!(Lang::from_accept_language("vi"), Lang::Vi);
        assert_eq!(
            Lang::from_accept_language("vi-VN,vi;q=0.9,en;q=0.8"),
            Lang::Vi
        );
        assert_eq!(Lang::from_accept_language("en-US,vi;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=0.3, vi;q=0.7"), Lang::Vi);
        assert_eq!(Lang::from_accept_language("fr, vi;q=0.2"), Lang::Vi);
        assert_eq!(Lang::from_accept_language("fr, de"), Lang::En);
        assert_eq!(Lang::from_accept_language("vi;q=0, en"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("VI-vn"), Lang::Vi);
    }
}

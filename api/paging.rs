//! `limit`/`offset` paging shared by list endpoints.

use serde::Deserialize;
use utoipa::IntoParams;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageParams {
    /// Items per page (1–500, default 50).
    pub limit: Option<i64>,
    /// Items to skip (default 0).
    pub offset: Option<i64>,
}

impl PageParams {
    /// Out-of-range values are clamped rather than refused: a client asking for 10,000 gets
    /// the maximum, and sees it in the response's `limit`.
    pub fn clamped(&self) -> (i64, i64) {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        let offset = self.offset.unwrap_or(0).max(0);
        (limit, offset)
    }
}

/// The last page number a web list accepts: far past any real list, and small enough that
/// `(page - 1) * per_page` cannot overflow.
pub const MAX_PAGE: i64 = 1_000_000;

/// A web list's `?trang=` as a page number: 1 when missing or unreadable, clamped to
/// 1..=[`MAX_PAGE`] (`?trang=9223372036854775807` overflowed the offset, a 500).
pub fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|t| t.trim().parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, MAX_PAGE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps() {
        let p = |limit, offset| PageParams { limit, offset }.clamped();
        assert_eq!(p(None, None), (50, 0));
        assert_eq!(p(Some(0), Some(-5)), (1, 0));
        assert_eq!(p(Some(10_000), Some(20)), (500, 20));
    }

    #[test]
    fn page_numbers() {
        assert_eq!(page_number(None), 1);
        assert_eq!(page_number(Some(" 3 ")), 3);
        assert_eq!(page_number(Some("-2")), 1);
        assert_eq!(page_number(Some("x")), 1);
        assert_eq!(page_number(Some("9223372036854775807")), MAX_PAGE);
        assert!((page_number(Some("9223372036854775807")) - 1)
            .checked_mul(500)
            .is_some());
    }
}

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
}

//! The kinds of report a unit owes each year, and their default due dates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[schema(as = ObligationKind)]
pub enum Kind {
    /// Chương trình (kế hoạch) công tác dân vận chính quyền năm: due 10/3 by the plan.
    Programme,
    /// Báo cáo sơ kết 6 tháng.
    HalfYear,
    /// Báo cáo tổng kết năm.
    Year,
    /// Học tập, làm theo bài báo "Dân vận" của Chủ tịch Hồ Chí Minh: due 15/10 by the plan.
    DanVanArticle,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Programme,
        Kind::HalfYear,
        Kind::Year,
        Kind::DanVanArticle,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Programme => "programme",
            Kind::HalfYear => "half_year",
            Kind::Year => "year",
            Kind::DanVanArticle => "dan_van_article",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Programme => "Chương trình công tác dân vận chính quyền năm",
            Kind::HalfYear => "Báo cáo sơ kết 6 tháng",
            Kind::Year => "Báo cáo tổng kết năm",
            Kind::DanVanArticle => "Báo cáo học tập bài báo \"Dân vận\"",
        }
    }

    /// A table column's heading, where four kinds sit beside the unit's name (the round
    /// report's section).
    pub fn column(self) -> &'static str {
        match self {
            Kind::Programme => "Chương trình năm",
            Kind::HalfYear => "Báo cáo 6 tháng đầu năm",
            Kind::Year => "Báo cáo năm",
            Kind::DanVanArticle => "Học tập bài báo \"Dân vận\"",
        }
    }

    /// The due date when Sở Nội vụ has set none for the year. The programme (10/3) and the
    /// article (15/10) are the plan's; the half-year (15/6) and year (15/11) reports are
    /// defaults only: the BCĐ's guidance decides, and an administrator sets them.
    pub fn default_due(self, year: i32) -> Option<NaiveDate> {
        let (m, d) = match self {
            Kind::Programme => (3, 10),
            Kind::HalfYear => (6, 15),
            Kind::Year => (11, 15),
            Kind::DanVanArticle => (10, 15),
        };
        NaiveDate::from_ymd_opt(year, m, d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_defaults_follow_the_plan() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("quarter"), None);
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d);
        assert_eq!(Kind::Programme.default_due(2026), d(3, 10));
        assert_eq!(Kind::DanVanArticle.default_due(2026), d(10, 15));
    }
}

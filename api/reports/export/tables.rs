//! The report's tables (units, every answer, recommendations, findings, conclusions) as typed
//! cells, shared by the XLSX and CSV exports so the two always hold the same figures. Dates
//! are local calendar days (`crate::time`): an approval at 05:21 on 02/12 in Vietnam is 02/12,
//! whatever the UTC date.

use chrono::NaiveDate;

use super::CsvTable;
use crate::reports::labels;
use crate::reports::service::Report;

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    fn opt_text(s: Option<&str>) -> Cell {
        s.map_or(Cell::Empty, Cell::text)
    }

    fn opt_number(x: Option<f64>) -> Cell {
        x.map_or(Cell::Empty, Cell::Number)
    }

    fn opt_date(d: Option<NaiveDate>) -> Cell {
        d.map_or(Cell::Empty, Cell::Date)
    }
}

pub struct Table {
    /// The sheet's name (Excel allows 31 characters).
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    /// Column widths in characters.
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<Cell>>,
}

pub fn slug(t: CsvTable) -> &'static str {
    match t {
        CsvTable::Units => "don-vi",
        CsvTable::Answers => "cau-tra-loi",
        CsvTable::Recommendations => "kien-nghi",
        CsvTable::Findings => "nhan-xet",
        CsvTable::Conclusions => "ket-luan",
    }
}

pub fn table(t: CsvTable, r: &Report) -> Table {
    match t {
        CsvTable::Units => units(r),
        CsvTable::Answers => answers(r),
        CsvTable::Recommendations => recommendations(r),
        CsvTable::Findings => findings(r),
        CsvTable::Conclusions => conclusions(r),
    }
}

pub fn units(r: &Report) -> Table {
    let rows = r
        .summary
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            vec![
                Cell::Number((i + 1) as f64),
                Cell::text(&u.code),
                Cell::text(&u.name),
                Cell::text(labels::unit_kind(&u.kind)),
                Cell::text(&u.team_name),
                Cell::text(labels::status(&u.status)),
                Cell::opt_number(u.score),
                Cell::opt_text(u.band_label.as_deref()),
                Cell::opt_date(u.submitted_at.map(crate::time::local_date)),
                Cell::opt_date(u.approved_at.map(crate::time::local_date)),
                Cell::opt_text(labels::timeliness(u)),
            ]
        })
        .collect();
    Table {
        name: "Đơn vị",
        headers: vec![
            "STT",
            "Mã đơn vị",
            "Tên đơn vị",
            "Loại",
            "Đoàn kiểm tra",
            "Trạng thái",
            "Điểm",
            "Xếp loại",
            "Ngày nộp",
            "Ngày duyệt",
            "Thời hạn",
        ],
        widths: vec![
            6.0, 12.0, 36.0, 14.0, 18.0, 16.0, 8.0, 12.0, 12.0, 12.0, 22.0,
        ],
        rows,
    }
}

pub fn answers(r: &Report) -> Table {
    let rows = r
        .answers
        .iter()
        .map(|a| {
            vec![
                Cell::text(&a.unit_code),
                Cell::text(&a.unit_name),
                Cell::text(&a.team_name),
                Cell::text(&a.section),
                Cell::text(&a.item_id),
                Cell::text(&a.item_label),
                Cell::text(&a.answer),
                Cell::opt_number(a.number),
                Cell::opt_date(a.date),
                Cell::opt_number(a.points),
                Cell::opt_number(a.max_points),
            ]
        })
        .collect();
    Table {
        name: "Câu trả lời",
        headers: vec![
            "Mã đơn vị",
            "Tên đơn vị",
            "Đoàn kiểm tra",
            "Phần",
            "Mã mục",
            "Nội dung kiểm tra",
            "Trả lời",
            "Giá trị số",
            "Ngày",
            "Điểm đạt",
            "Điểm tối đa",
        ],
        widths: vec![
            12.0, 30.0, 16.0, 30.0, 18.0, 50.0, 30.0, 10.0, 12.0, 9.0, 10.0,
        ],
        rows,
    }
}

pub fn recommendations(r: &Report) -> Table {
    let rows = r
        .summary
        .recommendations
        .iter()
        .enumerate()
        .map(|(i, x)| {
            vec![
                Cell::Number((i + 1) as f64),
                Cell::opt_text(x.unit_name.as_deref()),
                Cell::text(&x.team_name),
                Cell::opt_text(x.grouping.as_deref()),
                Cell::text(&x.content),
                Cell::opt_text(x.responsible.as_deref()),
                Cell::opt_date(x.due_on),
                Cell::text(labels::follow_up(&x.follow_up)),
                Cell::text(labels::source(&x.source)),
            ]
        })
        .collect();
    Table {
        name: "Kiến nghị",
        headers: vec![
            "STT",
            "Đơn vị được kiểm tra",
            "Đoàn kiểm tra",
            "Nhóm",
            "Nội dung kiến nghị",
            "Trách nhiệm thực hiện",
            "Thời hạn",
            "Tình hình thực hiện",
            "Nguồn",
        ],
        widths: vec![6.0, 30.0, 16.0, 20.0, 60.0, 28.0, 12.0, 18.0, 22.0],
        rows,
    }
}

/// What each approved inspection found, in the inspectors' words.
pub fn findings(r: &Report) -> Table {
    let rows = r
        .summary
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            vec![
                Cell::Number((i + 1) as f64),
                Cell::text(&f.unit_name),
                Cell::text(&f.team_name),
                Cell::opt_text(f.strengths.as_deref()),
                Cell::opt_text(f.shortcomings.as_deref()),
                Cell::opt_text(f.causes.as_deref()),
            ]
        })
        .collect();
    Table {
        name: "Nhận xét",
        headers: vec![
            "STT",
            "Đơn vị được kiểm tra",
            "Đoàn kiểm tra",
            "Ưu điểm",
            "Hạn chế",
            "Nguyên nhân",
        ],
        widths: vec![6.0, 30.0, 18.0, 50.0, 50.0, 50.0],
        rows,
    }
}

/// Each team lead's conclusion.
pub fn conclusions(r: &Report) -> Table {
    let rows = r
        .summary
        .conclusions
        .iter()
        .enumerate()
        .map(|(i, c)| {
            vec![
                Cell::Number((i + 1) as f64),
                Cell::text(&c.team_name),
                Cell::text(&c.body),
                Cell::Date(crate::time::local_date(c.updated_at)),
            ]
        })
        .collect();
    Table {
        name: "Kết luận",
        headers: vec![
            "STT",
            "Đoàn kiểm tra",
            "Kết luận của trưởng đoàn",
            "Cập nhật",
        ],
        widths: vec![6.0, 24.0, 90.0, 12.0],
        rows,
    }
}

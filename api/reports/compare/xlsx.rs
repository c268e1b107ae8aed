//! The comparison as a workbook: a sheet of units (a column per section and its change since
//! the previous round), a sheet of means by unit kind, and a native column chart of the mean
//! total by kind on that sheet. Numbers are written as numbers; empty figures stay empty.

use rust_xlsxwriter::{Chart, ChartType, Format, FormatBorder, Workbook, Worksheet};

use super::{Comparison, Means};
use crate::reports::export::ExportError;
use crate::reports::labels;

pub const UNITS_SHEET: &str = "Đơn vị";
pub const KINDS_SHEET: &str = "Theo loại đơn vị";
/// A file name without diacritics, so every browser and mail client keeps it.
pub const FILE_NAME: &str = "so-sanh-ket-qua.xlsx";
pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct Formats {
    header: Format,
    number: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color("#D9E1F2")
                .set_border(FormatBorder::Thin),
            number: Format::new().set_num_format("0.00"),
        }
    }
}

fn headers(ws: &mut Worksheet, f: &Formats, heads: &[String]) -> Result<(), ExportError> {
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header)?;
        ws.set_column_width(c as u16, if c < 2 { 28.0 } else { 12.0 })?;
    }
    ws.set_row_height(0, 45)?;
    ws.set_freeze_panes(1, 2)?;
    Ok(())
}

fn number(
    ws: &mut Worksheet,
    f: &Formats,
    r: u32,
    c: u16,
    x: Option<f64>,
) -> Result<(), ExportError> {
    if let Some(x) = x {
        ws.write_number_with_format(r, c, x, &f.number)?;
    }
    Ok(())
}

fn units_sheet(cmp: &Comparison, f: &Formats) -> Result<Worksheet, ExportError> {
    let mut ws = Worksheet::new();
    ws.set_name(UNITS_SHEET)?;
    let mut heads: Vec<String> = ["Đơn vị", "Mã", "Loại", "Đoàn", "Trạng thái"]
        .map(String::from)
        .to_vec();
    for c in &cmp.columns {
        heads.push(format!("{} (%)", c.title));
        heads.push(format!("{}: thay đổi", c.title));
    }
    heads.extend(
        [
            "Tổng điểm",
            "Xếp loại",
            "Tổng điểm: thay đổi",
            "Kỳ trước",
            "Tổng điểm kỳ trước",
        ]
        .map(String::from),
    );
    headers(&mut ws, f, &heads)?;
    for (i, u) in cmp.units.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, &u.name)?;
        ws.write_string(r, 1, &u.code)?;
        ws.write_string(r, 2, labels::unit_kind(&u.kind))?;
        ws.write_string(r, 3, &u.team_name)?;
        ws.write_string(r, 4, labels::status(&u.status))?;
        let mut c = 5u16;
        for s in &u.sections {
            number(&mut ws, f, r, c, s.percent)?;
            number(&mut ws, f, r, c + 1, s.delta)?;
            c += 2;
        }
        number(&mut ws, f, r, c, u.total)?;
        if let Some(b) = &u.band_label {
            ws.write_string(r, c + 1, b)?;
        }
        number(&mut ws, f, r, c + 2, u.total_delta)?;
        if let Some(p) = &u.previous {
            ws.write_string(r, c + 3, &p.round_name)?;
            number(&mut ws, f, r, c + 4, p.total)?;
        }
    }
    ws.autofilter(0, 0, cmp.units.len() as u32, heads.len() as u16 - 1)?;
    Ok(ws)
}

fn means_row(
    ws: &mut Worksheet,
    f: &Formats,
    r: u32,
    label: &str,
    m: &Means,
) -> Result<(), ExportError> {
    ws.write_string(r, 0, label)?;
    ws.write_number(r, 1, m.units as f64)?;
    ws.write_number(r, 2, m.counted as f64)?;
    let mut c = 3u16;
    for s in &m.sections {
        number(ws, f, r, c, *s)?;
        c += 1;
    }
    number(ws, f, r, c, m.total)?;
    number(ws, f, r, c + 1, m.total_delta)
}

fn kinds_sheet(cmp: &Comparison, f: &Formats) -> Result<Worksheet, ExportError> {
    let mut ws = Worksheet::new();
    ws.set_name(KINDS_SHEET)?;
    let mut heads: Vec<String> = ["Loại đơn vị", "Số đơn vị", "Đã duyệt"]
        .map(String::from)
        .to_vec();
    heads.extend(
        cmp.columns
            .iter()
            .map(|c| format!("{}: trung bình (%)", c.title)),
    );
    heads.push("Tổng điểm trung bình".into());
    heads.push("Thay đổi trung bình".into());
    headers(&mut ws, f, &heads)?;
    for (i, k) in cmp.kinds.iter().enumerate() {
        means_row(&mut ws, f, i as u32 + 1, &k.label, &k.means)?;
    }
    let last = cmp.kinds.len() as u32;
    means_row(&mut ws, f, last + 1, "Chung", &cmp.overall)?;
    if !cmp.kinds.is_empty() {
        let total_col = 3 + cmp.columns.len() as u16;
        let mut chart = Chart::new(ChartType::Column);
        chart
            .add_series()
            .set_name("Tổng điểm trung bình")
            .set_categories((KINDS_SHEET, 1, 0, last, 0))
            .set_values((KINDS_SHEET, 1, total_col, last, total_col));
        chart
            .title()
            .set_name("Tổng điểm trung bình theo loại đơn vị");
        chart.y_axis().set_name("Điểm");
        chart.legend().set_hidden();
        chart.set_alt_text(
            "Biểu đồ cột: tổng điểm trung bình của đơn vị đã duyệt, theo loại đơn vị",
        );
        ws.insert_chart(last + 3, 0, &chart)?;
    }
    Ok(ws)
}

pub fn render(cmp: &Comparison) -> Result<Vec<u8>, ExportError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    wb.push_worksheet(units_sheet(cmp, &f)?);
    wb.push_worksheet(kinds_sheet(cmp, &f)?);
    Ok(wb.save_to_buffer()?)
}

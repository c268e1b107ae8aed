//! The workbook: one sheet per table (units, every answer, recommendations, findings, the
//! leads' conclusions), numbers written as numbers and dates as date cells of the local day,
//! the header row frozen and filtered, long texts wrapped.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use super::tables::{self, Cell, Table};
use super::ExportError;
use crate::reports::service::Report;

fn sheet(t: &Table) -> Result<Worksheet, ExportError> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("#D9E1F2")
        .set_border(FormatBorder::Thin);
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let number = Format::new().set_num_format("0.00");
    // Columns made wide for prose (findings, conclusions, recommendations) wrap it.
    let prose = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let is_prose = |c: u16| t.widths.get(usize::from(c)).is_some_and(|w| *w >= 40.0);
    let mut ws = Worksheet::new();
    ws.set_name(t.name)?;
    for (c, h) in t.headers.iter().enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, *h, &header)?;
        if let Some(w) = t.widths.get(c as usize) {
            ws.set_column_width(c, *w)?;
        }
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = (r + 1) as u32;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) if is_prose(c) => {
                    ws.write_string_with_format(r, c, s, &prose)?;
                }
                Cell::Text(s) => {
                    ws.write_string(r, c, s)?;
                }
                Cell::Number(x) if x.fract() == 0.0 => {
                    ws.write_number(r, c, *x)?;
                }
                Cell::Number(x) => {
                    ws.write_number_with_format(r, c, *x, &number)?;
                }
                Cell::Date(d) => {
                    ws.write_date_with_format(r, c, d, &date)?;
                }
                Cell::Empty => {}
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let last_col = t.headers.len().saturating_sub(1) as u16;
    ws.autofilter(0, 0, t.rows.len() as u32, last_col)?;
    Ok(ws)
}

pub fn render(r: &Report) -> Result<Vec<u8>, ExportError> {
    let mut wb = Workbook::new();
    wb.push_worksheet(sheet(&tables::units(r))?);
    wb.push_worksheet(sheet(&tables::answers(r))?);
    wb.push_worksheet(sheet(&tables::recommendations(r))?);
    wb.push_worksheet(sheet(&tables::findings(r))?);
    wb.push_worksheet(sheet(&tables::conclusions(r))?);
    Ok(wb.save_to_buffer()?)
}

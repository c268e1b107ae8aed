//! Tables: the bordered grids of the body. Their header row repeats on every page the table
//! spans (`tblHeader`), and their widths are fixed so that "STT" and a dd/mm/yyyy date never
//! break inside a word.

use docx_rs::{
    AlignmentType, LineSpacing, Paragraph, Table, TableCell, TableLayoutType, TableRow, WidthType,
};

use super::page::{heading, text, tight, TABLE_TEXT, TEXT_WIDTH};
use crate::reports::labels;
use crate::reports::service::Report;

/// Column widths in twips (12 pt Liberation Serif / Times New Roman, 0.19 cm cell margins
/// each side): "STT" in bold needs about 680, "31/12/2026" about 1310.
pub(super) const STT: usize = 850;
pub(super) const DATE: usize = 1500;

/// docx-rs cannot write `<w:tblHeader/>`; a header row carries this height instead (1 twip,
/// "at least": no effect on layout), and `package` turns it into the header mark.
pub(super) const HEADER_MARK: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;

pub(super) fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new(), TableCell::add_paragraph)
        .width(width, WidthType::Dxa)
}

fn grid_row(values: &[String], widths: &[usize], header: bool) -> TableRow {
    let row = TableRow::new(
        values
            .iter()
            .zip(widths)
            .map(|(v, w)| {
                let r = text(v.clone(), TABLE_TEXT);
                let p = tight(Paragraph::new().add_run(if header { r.bold() } else { r }));
                let p = if header {
                    p.align(AlignmentType::Center)
                } else {
                    p
                };
                cell(vec![p], *w)
            })
            .collect(),
    );
    // A row never breaks across pages; a header row also repeats on each.
    if header {
        row.row_height(1.0).cant_split()
    } else {
        row.cant_split()
    }
}

/// A bordered table filling the text width; `widths` must add up to [`TEXT_WIDTH`].
pub(super) fn grid(headers: &[&str], rows: Vec<Vec<String>>, widths: &[usize]) -> Table {
    let head: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    let mut t = Table::new(vec![grid_row(&head, widths, true)]).set_grid(widths.to_vec());
    for r in rows {
        t = t.add_row(grid_row(&r, widths, false));
    }
    t.layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

pub(super) fn note(s: &str) -> Paragraph {
    Paragraph::new()
        .add_run(text(s, TABLE_TEXT).italic())
        .line_spacing(LineSpacing::new().before(60).after(120))
}

pub(super) fn results(r: &Report) -> (Table, Paragraph) {
    let rows = r
        .summary
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let standing = u
                .band_label
                .clone()
                .unwrap_or_else(|| labels::status(&u.status).to_owned());
            // Late marks beside the rating; "Đúng hạn" would only crowd the column.
            let standing = match labels::timeliness(u).filter(|t| *t != "Đúng hạn") {
                Some(late) => format!("{standing} ({})", late.to_lowercase()),
                None => standing,
            };
            vec![
                (i + 1).to_string(),
                u.name.clone(),
                u.team_name.clone(),
                u.score.map(labels::score).unwrap_or_default(),
                standing,
            ]
        })
        .collect();
    let widths = [STT, 3400, 2204, 1100, 1800];
    let table = grid(
        &["STT", "Đơn vị", "Đoàn kiểm tra", "Điểm", "Xếp loại"],
        rows,
        &widths,
    );
    (
        table,
        note(&format!(
            "Ghi chú: đơn vị chưa có phiếu được duyệt ghi trạng thái thay cho xếp loại. {}",
            r.summary.scheme_note
        )),
    )
}

pub(super) fn recommendations(r: &Report, number: &str) -> (Paragraph, Table) {
    let rows = r
        .summary
        .recommendations
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let content = match &x.grouping {
                Some(g) => format!("[{g}] {}", x.content),
                None => x.content.clone(),
            };
            vec![
                (i + 1).to_string(),
                content,
                x.unit_name.clone().unwrap_or_else(|| x.team_name.clone()),
                x.responsible.clone().unwrap_or_default(),
                x.due_on
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
                labels::follow_up(&x.follow_up).to_owned(),
            ]
        })
        .collect();
    (
        heading(&format!("{number}. KIẾN NGHỊ")),
        grid(
            &[
                "STT",
                "Nội dung kiến nghị",
                "Đơn vị được kiểm tra",
                "Trách nhiệm",
                "Thời hạn",
                "Tình hình",
            ],
            rows,
            &[STT, 2904, 1500, 1500, DATE, 1100],
        ),
    )
}

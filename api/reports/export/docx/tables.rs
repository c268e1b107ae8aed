//! Tables: the bordered grids of the body (units' results, recommendations).

use docx_rs::{AlignmentType, LineSpacing, Paragraph, Table, TableCell, TableRow, WidthType};

use super::page::{heading, text, tight, TABLE_TEXT, TEXT_WIDTH};
use crate::reports::labels;
use crate::reports::service::Report;

pub(super) fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new(), TableCell::add_paragraph)
        .width(width, WidthType::Dxa)
}

fn grid_row(values: &[String], widths: &[usize], header: bool) -> TableRow {
    TableRow::new(
        values
            .iter()
            .zip(widths)
            .map(|(v, w)| {
                let r = text(v.clone(), TABLE_TEXT);
                let p = tight(Paragraph::new().add_run(if header { r.bold() } else { r }));
                cell(
                    vec![if header {
                        p.align(AlignmentType::Center)
                    } else {
                        p
                    }],
                    *w,
                )
            })
            .collect(),
    )
}

pub(super) fn grid(headers: &[&str], rows: Vec<Vec<String>>, widths: &[usize]) -> Table {
    let head: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    let mut t = Table::new(vec![grid_row(&head, widths, true)]).set_grid(widths.to_vec());
    for r in rows {
        t = t.add_row(grid_row(&r, widths, false));
    }
    t.width(TEXT_WIDTH, WidthType::Dxa)
}

pub(super) fn results(r: &Report) -> (Table, Paragraph) {
    let rows = r
        .summary
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            vec![
                (i + 1).to_string(),
                u.name.clone(),
                u.team_name.clone(),
                u.score.map(labels::score).unwrap_or_default(),
                u.band_label
                    .clone()
                    .unwrap_or_else(|| labels::status(&u.status).to_owned()),
            ]
        })
        .collect();
    let table = grid(
        &["STT", "Đơn vị", "Đoàn kiểm tra", "Điểm", "Xếp loại"],
        rows,
        &[700, 3900, 2154, 1100, 1500],
    );
    let note = Paragraph::new()
        .add_run(
            text(
                "Ghi chú: đơn vị chưa có phiếu được duyệt ghi trạng thái thay cho xếp loại.",
                TABLE_TEXT,
            )
            .italic(),
        )
        .line_spacing(LineSpacing::new().before(60).after(120));
    (table, note)
}

pub(super) fn recommendations(r: &Report) -> (Paragraph, Table) {
    let number = if r.summary.conclusions.is_empty() {
        "V"
    } else {
        "VI"
    };
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
            &[600, 3300, 1700, 1500, 1150, 1104],
        ),
    )
}

//! The top of page 1: the issuing body beside the national motto, number and symbol, place
//! and date.

use chrono::Datelike;
use docx_rs::{Table, TableRow, WidthType};

use super::page::{centred, text, tight, TEXT_WIDTH};
use super::tables::cell;
use super::Letterhead;
use crate::reports::service::Report;

pub(super) fn letterhead(l: &Letterhead, r: &Report) -> Table {
    let (left, right) = (3600, TEXT_WIDTH - 3600);
    let d = r.issued_on;
    let top = TableRow::new(vec![
        cell(
            vec![
                tight(centred(text(l.parent_body, 26))),
                tight(centred(text(l.issuer, 26).bold())),
                tight(centred(text("──────", 20))),
            ],
            left,
        ),
        cell(
            vec![
                tight(centred(
                    text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 24).bold(),
                )),
                tight(centred(
                    text("Độc lập - Tự do - Hạnh phúc", 26)
                        .bold()
                        .underline("single"),
                )),
            ],
            right,
        ),
    ]);
    let second = TableRow::new(vec![
        cell(
            vec![centred(text(format!("Số:        /{}", l.symbol), 26))],
            left,
        ),
        cell(
            vec![centred(
                text(
                    format!(
                        "{}, ngày {:02} tháng {:02} năm {}",
                        l.place,
                        d.day(),
                        d.month(),
                        d.year()
                    ),
                    26,
                )
                .italic(),
            )],
            right,
        ),
    ]);
    Table::without_borders(vec![top, second])
        .set_grid(vec![left, right])
        .width(TEXT_WIDTH, WidthType::Dxa)
}

//! The top of page 1: the issuing body beside the national motto, number and symbol beside
//! place and date; then the document's type and its trích yếu.

use docx_rs::{LineSpacing, Paragraph, Table, TableLayoutType, TableRow, WidthType};

use super::page::{centred, text, tight, BODY, HEADING, TEXT_WIDTH};
use super::tables::cell;
use crate::reports::documents::{nd30, Letterhead};

/// Left column: wide enough for "UBND TỈNH NGHỆ AN" on one line and a committee's name on two.
const LEFT: usize = 3700;

/// A short solid rule under a heading line, drawn as characters so it centres with the text.
fn rule(chars: usize) -> Paragraph {
    tight(centred(text("─".repeat(chars), 20)))
}

pub(super) fn letterhead(l: &Letterhead) -> Table {
    let right = TEXT_WIDTH - LEFT;
    let top = TableRow::new(vec![
        cell(
            vec![
                tight(centred(text(&l.parent_body, 24))),
                tight(centred(text(&l.issuer, 24).bold())),
                rule(6),
            ],
            LEFT,
        ),
        cell(
            vec![
                tight(centred(
                    text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 24).bold(),
                )),
                tight(centred(text("Độc lập - Tự do - Hạnh phúc", HEADING).bold())),
                rule(23),
            ],
            right,
        ),
    ]);
    let number = if l.number.is_empty() {
        "        ".to_owned()
    } else {
        l.number.clone()
    };
    let second = TableRow::new(vec![
        cell(
            vec![centred(text(format!("Số: {number}/{}", l.symbol), HEADING))],
            LEFT,
        ),
        cell(
            vec![centred(
                text(nd30::place_and_date(&l.place, l.date), HEADING).italic(),
            )],
            right,
        ),
    ]);
    Table::without_borders(vec![top, second])
        .set_grid(vec![LEFT, right])
        .layout(TableLayoutType::Fixed)
        .width(TEXT_WIDTH, WidthType::Dxa)
}

/// "BÁO CÁO" / the trích yếu / a short rule.
pub(super) fn title(kind: &str, subject: &str) -> Vec<Paragraph> {
    vec![
        centred(text(kind, BODY).bold()).line_spacing(LineSpacing::new().before(360).after(0)),
        tight(centred(text(subject, BODY).bold())),
        centred(text("─".repeat(8), 20)).line_spacing(LineSpacing::new().before(0).after(240)),
    ]
}

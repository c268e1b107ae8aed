//! The bottom of the document: recipients (Nơi nhận) beside the signature block.

use docx_rs::{Paragraph, Table, TableRow, WidthType};

use super::page::{centred, text, tight, TEXT_WIDTH};
use super::tables::cell;
use super::Letterhead;

pub(super) fn signature(l: &Letterhead) -> Table {
    let (left, right) = (4800, TEXT_WIDTH - 4800);
    let mut recipients = vec![tight(
        Paragraph::new().add_run(text("Nơi nhận:", 24).bold().italic()),
    )];
    recipients.extend(
        l.recipients
            .iter()
            .map(|r| tight(Paragraph::new().add_run(text(format!("- {r}"), 22)))),
    );
    let signer = vec![
        tight(centred(text(l.signer_authority, 26).bold())),
        tight(centred(text(l.signer_title, 26).bold())),
        tight(centred(text("(Ký, ghi rõ họ tên, đóng dấu)", 24).italic())),
    ];
    Table::without_borders(vec![TableRow::new(vec![
        cell(recipients, left),
        cell(signer, right),
    ])])
    .set_grid(vec![left, right])
    .width(TEXT_WIDTH, WidthType::Dxa)
}

//! The bottom of a document: recipients (Nơi nhận) beside the signer, or the two sides of a
//! biên bản side by side. Each signer: authority (when signing for another), title, space for
//! the signature and seal, and the name.

use docx_rs::{Paragraph, Table, TableLayoutType, TableRow, WidthType};

use super::page::{centred, text, tight, TEXT_WIDTH};
use super::tables::cell;
use crate::reports::documents::issuer::recipient_lines;
use crate::reports::documents::{Letterhead, Signer};

/// Lines left blank for the signature and seal.
const SIGNATURE_SPACE: usize = 4;

pub(super) fn signer_block(s: &Signer) -> Vec<Paragraph> {
    let mut out = Vec::new();
    if let Some(a) = &s.authority {
        out.push(tight(centred(text(a.to_uppercase(), 26).bold())));
    }
    out.push(tight(centred(text(s.title.to_uppercase(), 26).bold())));
    for _ in 0..SIGNATURE_SPACE {
        out.push(tight(centred(text("", 26))));
    }
    // No name: the line stays empty for one to be written by hand.
    out.push(tight(centred(
        text(s.name.clone().unwrap_or_default(), 28).bold(),
    )));
    out
}

fn two_columns(left: Vec<Paragraph>, right: Vec<Paragraph>, split: usize) -> Table {
    Table::without_borders(vec![TableRow::new(vec![
        cell(left, split),
        cell(right, TEXT_WIDTH - split),
    ])
    .cant_split()])
    .set_grid(vec![split, TEXT_WIDTH - split])
    .layout(TableLayoutType::Fixed)
    .width(TEXT_WIDTH, WidthType::Dxa)
}

pub(super) fn signature(l: &Letterhead) -> Table {
    let mut recipients = vec![tight(
        Paragraph::new().add_run(text("Nơi nhận:", 24).bold().italic()),
    )];
    recipients.extend(
        recipient_lines(&l.recipients)
            .into_iter()
            .map(|r| tight(Paragraph::new().add_run(text(r, 22)))),
    );
    two_columns(recipients, signer_block(&l.signer), 4800)
}

/// The two sides of a biên bản, each under its heading.
pub(super) fn both_sides(left: &Signer, right: &Signer) -> Table {
    two_columns(signer_block(left), signer_block(right), TEXT_WIDTH / 2)
}

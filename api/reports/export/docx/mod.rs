//! Word documents in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I): the committee's
//! report of a round and the biên bản of an inspection. The issuing body and the national
//! motto side by side, number and symbol, place and date, the title, the body, recipients
//! (Nơi nhận) and the signer; Times New Roman on A4 with the decree's margins, page numbers
//! from page 2, table headers repeated on every page, and core properties naming the issuer.

mod heading;
mod package;
mod page;
mod record;
mod sections;
mod signing;
mod tables;

use chrono::Datelike;
use docx_rs::{LineSpacing, Paragraph};

use super::ExportError;
use crate::reports::documents::issuer::{self, DocKind, Issuer, Settings};
use crate::reports::documents::nd30::{self, Plan};
pub use crate::reports::documents::Letterhead;
use crate::reports::service::Report;

/// Sở Nội vụ's default letterhead, dated the report's day (what `kiemtra export` and callers
/// with no settings get).
pub fn default_letterhead(r: &Report) -> Letterhead {
    issuer::resolve(
        &Issuer::Snv,
        DocKind::Report,
        &Settings::default(),
        None,
        r.issued_on,
    )
}

/// The report as Sở Nội vụ's, with its default settings and no plan cited.
pub fn render(r: &Report) -> Result<Vec<u8>, ExportError> {
    let plan = Plan {
        number: None,
        date: None,
    };
    render_with(&default_letterhead(r), &plan, r)
}

pub fn render_with(l: &Letterhead, plan: &Plan, r: &Report) -> Result<Vec<u8>, ExportError> {
    let round = &r.summary.round;
    let subject = nd30::report_subject(&round.kind, &round.name, round.starts_on.year());
    let mut doc = page::document().add_table(heading::letterhead(l));
    for p in heading::title("BÁO CÁO", &subject) {
        doc = doc.add_paragraph(p);
    }
    for p in sections::overview(r, plan) {
        doc = doc.add_paragraph(p);
    }
    let (table, note) = tables::results(r);
    doc = doc
        .add_paragraph(page::heading("II. KẾT QUẢ KIỂM TRA THEO ĐƠN VỊ"))
        .add_table(table)
        .add_paragraph(note);
    for p in sections::chart_paragraphs(r)? {
        doc = doc.add_paragraph(p);
    }
    for p in sections::findings(r) {
        doc = doc.add_paragraph(p);
    }
    // III and IV are the findings, V the teams' conclusions when there are any.
    let mut next = if r.summary.conclusions.is_empty() {
        5
    } else {
        6
    };
    for x in &r.extra {
        doc = sections::extra(doc, x, next);
        next += 1;
    }
    let (head, table) = tables::recommendations(r, sections::roman(next));
    doc = doc
        .add_paragraph(head)
        .add_table(table)
        .add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().after(240)))
        .add_table(signing::signature(l));
    package::finish(doc, l.author(), &format!("Báo cáo {subject}"))
}

pub use record::render as render_record;

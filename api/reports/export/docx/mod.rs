//! The committee's report as a Word document in the layout of Nghị định 30/2020/NĐ-CP
//! (Phụ lục I): the issuing body and the national motto side by side, number and symbol,
//! place and date, the title, the body, recipients (Nơi nhận) and the signature block;
//! Times New Roman on A4 with the decree's margins (top and bottom 20 mm, left 30 mm,
//! right 15 mm).

mod heading;
mod package;
mod page;
mod sections;
mod signing;
mod tables;

use std::io::Cursor;

use chrono::Datelike;
use docx_rs::{Docx, LineSpacing, PageMargin, Paragraph};

use super::ExportError;
use crate::reports::service::Report;
use page::{centred, fonts, heading, text, tight, A4, BODY, MM};

/// Who issues and signs the report. The defaults are Sở Nội vụ's, which compiles the
/// province's report for the steering committee.
pub struct Letterhead {
    pub parent_body: &'static str,
    pub issuer: &'static str,
    pub symbol: &'static str,
    pub place: &'static str,
    pub recipients: &'static [&'static str],
    pub signer_authority: &'static str,
    pub signer_title: &'static str,
}

pub const SO_NOI_VU: Letterhead = Letterhead {
    parent_body: "UBND TỈNH NGHỆ AN",
    issuer: "SỞ NỘI VỤ",
    symbol: "BC-SNV",
    place: "Nghệ An",
    recipients: &[
        "Ban Chỉ đạo thực hiện công tác dân vận chính quyền tỉnh (để b/c);",
        "UBND tỉnh (để b/c);",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy;",
        "Thành viên, Tổ giúp việc BCĐ tỉnh;",
        "Các sở, ban, ngành cấp tỉnh; UBND các xã, phường;",
        "Lưu: VT, XDCQ.",
    ],
    signer_authority: "KT. GIÁM ĐỐC",
    signer_title: "PHÓ GIÁM ĐỐC",
};

pub fn render(r: &Report) -> Result<Vec<u8>, ExportError> {
    render_with(&SO_NOI_VU, r)
}

pub fn render_with(l: &Letterhead, r: &Report) -> Result<Vec<u8>, ExportError> {
    let year = r.summary.round.starts_on.year();
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin {
            top: (20.0 * MM) as i32,
            bottom: (20.0 * MM) as i32,
            left: (30.0 * MM) as i32,
            right: (15.0 * MM) as i32,
            header: (10.0 * MM) as i32,
            footer: (10.0 * MM) as i32,
            gutter: 0,
        })
        .default_fonts(fonts())
        .default_size(BODY)
        .add_table(heading::letterhead(l, r))
        .add_paragraph(
            centred(text("BÁO CÁO", BODY).bold())
                .line_spacing(LineSpacing::new().before(360).after(0)),
        )
        .add_paragraph(tight(centred(
            text(
                format!("Kết quả kiểm tra công tác dân vận chính quyền năm {year}"),
                BODY,
            )
            .bold(),
        )))
        .add_paragraph(
            centred(text("──────", 20)).line_spacing(LineSpacing::new().before(0).after(240)),
        );
    for p in sections::overview(r) {
        doc = doc.add_paragraph(p);
    }
    let (table, note) = tables::results(r);
    doc = doc
        .add_paragraph(heading("II. KẾT QUẢ KIỂM TRA THEO ĐƠN VỊ"))
        .add_table(table)
        .add_paragraph(note);
    for p in sections::chart_paragraphs(r)? {
        doc = doc.add_paragraph(p);
    }
    for p in sections::findings(r) {
        doc = doc.add_paragraph(p);
    }
    let (head, table) = tables::recommendations(r);
    doc = doc
        .add_paragraph(head)
        .add_table(table)
        .add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().after(240)))
        .add_table(signing::signature(l));
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ExportError::Docx(e.to_string()))?;
    package::deflated(&out.into_inner())
}

//! The page and the text: A4 with the decree's margins, Times New Roman, page numbers centred
//! in the top margin from page 2 on, and the few paragraph shapes every document is built
//! from.

use docx_rs::{
    AlignmentType, Docx, Header, LineSpacing, PageMargin, PageNum, Paragraph, Run, RunFonts,
    SpecialIndentType,
};

// Twentieths of a point (twips) and half-points, as OOXML counts.
pub(super) const A4: (u32, u32) = (11906, 16838);
pub(super) const MM: f64 = 56.7;
pub(super) const TEXT_WIDTH: usize = 11906 - 1701 - 851;
pub(super) const BODY: usize = 28;
pub(super) const TABLE_TEXT: usize = 24;
/// The heading's names and the "Số" line (12–13 pt).
pub(super) const HEADING: usize = 26;
/// Page numbers: 13–14 pt.
const PAGE_NUMBER: usize = 26;

pub(super) fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .east_asia("Times New Roman")
}

pub(super) fn text(s: impl Into<String>, size: usize) -> Run {
    Run::new().add_text(s).size(size).fonts(fonts())
}

pub(super) fn centred(run: Run) -> Paragraph {
    Paragraph::new().add_run(run).align(AlignmentType::Center)
}

pub(super) fn tight(p: Paragraph) -> Paragraph {
    p.line_spacing(LineSpacing::new().before(0).after(0))
}

/// A body paragraph: justified, first line indented 1 cm, 6 pt after.
pub(super) fn body(s: impl Into<String>) -> Paragraph {
    Paragraph::new()
        .add_run(text(s, BODY))
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(567)), None, None)
        .line_spacing(LineSpacing::new().before(0).after(120))
}

pub(super) fn heading(s: &str) -> Paragraph {
    Paragraph::new()
        .add_run(text(s, BODY).bold())
        .indent(None, Some(SpecialIndentType::FirstLine(567)), None, None)
        .line_spacing(LineSpacing::new().before(120).after(120))
        .keep_next(true)
}

/// An empty document on the decree's page: A4, margins top and bottom 20 mm, left 30 mm,
/// right 15 mm; the page number centred in the top margin on every page but the first (a
/// distinct, empty first-page header: `titlePg`).
pub(super) fn document() -> Docx {
    let number = Paragraph::new()
        .add_run(Run::new().size(PAGE_NUMBER).fonts(fonts()))
        .add_page_num(PageNum::new())
        .align(AlignmentType::Center);
    Docx::new()
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
        .header(Header::new().add_paragraph(number))
        .first_header(Header::new().add_paragraph(Paragraph::new()))
        .title_pg()
}

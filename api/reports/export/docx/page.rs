//! The page and the text: A4 with the decree's margins, Times New Roman, and the few
//! paragraph shapes every part of the document is built from.

use docx_rs::{AlignmentType, LineSpacing, Paragraph, Run, RunFonts, SpecialIndentType};

// Twentieths of a point (twips) and half-points, as OOXML counts.
pub(super) const A4: (u32, u32) = (11906, 16838);
pub(super) const MM: f64 = 56.7;
pub(super) const TEXT_WIDTH: usize = 11906 - 1701 - 851;
pub(super) const BODY: usize = 28;
pub(super) const TABLE_TEXT: usize = 24;

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

//! The body's sections: the overview, the chart, strengths, shortcomings and causes, the
//! teams' conclusions.

use docx_rs::{Docx, LineSpacing, Paragraph, Pic, Run};

use super::super::{chart, ExportError};
use super::page::{body, centred, heading, text, TABLE_TEXT, TEXT_WIDTH};
use super::tables::grid;
use crate::reports::documents::nd30::{self, Plan};

use crate::reports::extra::Section;
use crate::reports::labels;
use crate::reports::service::Report;

pub(super) fn overview(r: &Report, plan: &Plan) -> Vec<Paragraph> {
    let s = &r.summary;
    let c = &s.counts;
    let status_count = |code: &str| s.units.iter().filter(|u| u.status == code).count();
    let mut teams: Vec<&str> = s.units.iter().map(|u| u.team_id.as_str()).collect();
    teams.sort_unstable();
    teams.dedup();
    let who = if teams.len() > 1 {
        "các đoàn kiểm tra"
    } else {
        "đoàn kiểm tra"
    };
    let mut out = vec![
        heading("I. KHÁI QUÁT CHUNG"),
        body(format!(
            "{}, {who} đã tiến hành đợt {} (từ ngày {}, hạn báo cáo ngày {}) tại {} đơn vị, theo {}.",
            nd30::basis(plan),
            nd30::mid_sentence(&s.round.name),
            s.round.starts_on.format("%d/%m/%Y"),
            s.round.due_on.format("%d/%m/%Y"),
            c.assigned,
            nd30::mid_sentence(&r.checklist)
        )),
        body(format!(
            "Đến ngày {}, có {} phiếu kiểm tra đã được trưởng đoàn duyệt; {} đơn vị chưa có kết quả chính thức (chưa kiểm tra: {}; đang kiểm tra: {}; chờ duyệt: {}; trả lại để bổ sung: {}). Số liệu trong báo cáo này chỉ tính các phiếu đã được duyệt.",
            r.issued_on.format("%d/%m/%Y"),
            c.approved,
            c.pending,
            c.not_started,
            status_count("draft"),
            status_count("submitted"),
            status_count("returned"),
        )),
    ];
    if let Some(mean) = s.mean_score {
        let bands: Vec<String> = s
            .distribution
            .iter()
            .map(|b| {
                format!(
                    "{} {} đơn vị ({})",
                    b.label,
                    b.count,
                    labels::percent(b.share)
                )
            })
            .collect();
        out.push(body(format!(
            "Điểm bình quân đạt {} điểm. Kết quả xếp loại: {}. {}",
            labels::score(mean),
            bands.join("; "),
            // Points and bands are the committee's choice, never the plan's rating.
            s.scheme_note
        )));
    }
    out
}

pub(super) fn chart_paragraphs(r: &Report) -> Result<Vec<Paragraph>, ExportError> {
    let png = chart::png(&r.summary)?;
    // At the width the chart's font sizes were chosen for; EMU: 36,000 per millimetre.
    let w_mm = chart::PRINTED_WIDTH_MM;
    let h_mm = w_mm * f64::from(chart::HEIGHT) / f64::from(chart::WIDTH);
    let pic = Pic::new_with_dimensions(png, chart::WIDTH, chart::HEIGHT)
        .size((w_mm * 36_000.0) as u32, (h_mm * 36_000.0) as u32);
    Ok(vec![
        centred(Run::new().add_image(pic)),
        centred(
            text(
                "Biểu đồ: kết quả xếp loại và những nội dung nhiều đơn vị chưa đạt",
                TABLE_TEXT,
            )
            .italic(),
        )
        .line_spacing(LineSpacing::new().before(0).after(120)),
    ])
}

fn quoted(
    r: &Report,
    pick: fn(&crate::reports::summary::FindingsLine) -> Option<&String>,
) -> Vec<Paragraph> {
    let lines: Vec<Paragraph> = r
        .summary
        .findings
        .iter()
        .filter_map(|f| {
            pick(f)
                .map(|t| t.trim())
                .filter(|t| !t.is_empty())
                .map(|t| body(format!("- {}: {}", f.unit_name, t)))
        })
        .collect();
    if lines.is_empty() {
        vec![body("(Chưa có nội dung từ các phiếu đã duyệt.)")]
    } else {
        lines
    }
}

pub(super) fn findings(r: &Report) -> Vec<Paragraph> {
    let mut out = vec![heading("III. ƯU ĐIỂM")];
    out.extend(quoted(r, |f| f.strengths.as_ref()));
    out.push(heading("IV. HẠN CHẾ VÀ NGUYÊN NHÂN"));
    out.push(heading("1. Hạn chế"));
    out.extend(quoted(r, |f| f.shortcomings.as_ref()));
    out.push(heading("2. Nguyên nhân"));
    out.extend(quoted(r, |f| f.causes.as_ref()));
    out.push(heading("3. Những nội dung nhiều đơn vị chưa đạt"));
    if r.summary.weakest.is_empty() {
        out.push(body(
            "(Không có nội dung nào chưa đạt trong các phiếu đã duyệt.)",
        ));
    }
    for w in &r.summary.weakest {
        out.push(body(format!(
            "- {}: {}/{} đơn vị chưa đạt ({}).",
            w.label,
            w.fell_short,
            w.counted,
            labels::percent(w.share)
        )));
    }
    if !r.summary.conclusions.is_empty() {
        out.push(heading("V. KẾT LUẬN CỦA CÁC ĐOÀN KIỂM TRA"));
        for c in &r.summary.conclusions {
            out.push(body(format!("- {}: {}", c.team_name, c.body.trim())));
        }
    }
    out
}

/// The body's heading numbers; a report has a dozen sections at most.
pub(super) fn roman(n: usize) -> &'static str {
    const R: [&str; 13] = [
        "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ];
    R.get(n).copied().unwrap_or("XII")
}

/// Column widths in twips from relative weights, adding up to the text width exactly.
fn widths(columns: &[(String, u32)]) -> Vec<usize> {
    let total: u32 = columns.iter().map(|c| c.1.max(1)).sum();
    let mut w: Vec<usize> = columns
        .iter()
        .map(|c| TEXT_WIDTH * c.1.max(1) as usize / total.max(1) as usize)
        .collect();
    let used: usize = w.iter().sum();
    if let Some(last) = w.last_mut() {
        *last += TEXT_WIDTH - used;
    }
    w
}

/// One of the plan's wider sections (`reports::extra`), numbered `n`, added to `doc`.
pub(super) fn extra(doc: Docx, x: &Section, n: usize) -> Docx {
    let mut doc = doc.add_paragraph(heading(&format!("{}. {}", roman(n), x.title)));
    if let Some(intro) = &x.intro {
        doc = doc.add_paragraph(body(intro.clone()));
    }
    if x.rows.is_empty() || x.columns.is_empty() {
        return doc.add_paragraph(body(x.empty.clone()));
    }
    let heads: Vec<&str> = x.columns.iter().map(|c| c.0.as_str()).collect();
    doc.add_table(grid(&heads, x.rows.clone(), &widths(&x.columns)))
        // A table directly before the next heading needs air, as the results table has.
        .add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().after(120)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fill_the_text_width() {
        let cols = vec![
            ("STT".to_owned(), 1),
            ("Đơn vị".to_owned(), 4),
            ("Nội dung".to_owned(), 7),
        ];
        let w = widths(&cols);
        assert_eq!(w.iter().sum::<usize>(), TEXT_WIDTH);
        assert!(w[2] > w[1] && w[1] > w[0]);
        assert_eq!(roman(5), "V");
        assert_eq!(roman(9), "IX");
    }
}

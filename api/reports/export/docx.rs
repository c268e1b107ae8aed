//! The committee's report as a Word document in the layout of Nghị định 30/2020/NĐ-CP
//! (Phụ lục I): the issuing body and the national motto side by side, number and symbol,
//! place and date, the title, the body, recipients (Nơi nhận) and the signature block;
//! Times New Roman on A4 with the decree's margins (top and bottom 20 mm, left 30 mm,
//! right 15 mm).

use std::io::Cursor;

use chrono::Datelike;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Pic, Run, RunFonts, SpecialIndentType,
    Table, TableCell, TableRow, WidthType,
};

use super::{chart, ExportError};
use crate::reports::labels;
use crate::reports::service::Report;

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

// Twentieths of a point (twips) and half-points, as OOXML counts.
const A4: (u32, u32) = (11906, 16838);
const MM: f64 = 56.7;
const TEXT_WIDTH: usize = 11906 - 1701 - 851;
const BODY: usize = 28;
const TABLE_TEXT: usize = 24;

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .cs("Times New Roman")
        .east_asia("Times New Roman")
}

fn text(s: impl Into<String>, size: usize) -> Run {
    Run::new().add_text(s).size(size).fonts(fonts())
}

fn centred(run: Run) -> Paragraph {
    Paragraph::new().add_run(run).align(AlignmentType::Center)
}

fn tight(p: Paragraph) -> Paragraph {
    p.line_spacing(LineSpacing::new().before(0).after(0))
}

/// A body paragraph: justified, first line indented 1 cm, 6 pt after.
fn body(s: impl Into<String>) -> Paragraph {
    Paragraph::new()
        .add_run(text(s, BODY))
        .align(AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(567)), None, None)
        .line_spacing(LineSpacing::new().before(0).after(120))
}

fn heading(s: &str) -> Paragraph {
    Paragraph::new()
        .add_run(text(s, BODY).bold())
        .indent(None, Some(SpecialIndentType::FirstLine(567)), None, None)
        .line_spacing(LineSpacing::new().before(120).after(120))
        .keep_next(true)
}

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
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

fn grid(headers: &[&str], rows: Vec<Vec<String>>, widths: &[usize]) -> Table {
    let head: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    let mut t = Table::new(vec![grid_row(&head, widths, true)]).set_grid(widths.to_vec());
    for r in rows {
        t = t.add_row(grid_row(&r, widths, false));
    }
    t.width(TEXT_WIDTH, WidthType::Dxa)
}

fn letterhead(l: &Letterhead, r: &Report) -> Table {
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

fn overview(r: &Report) -> Vec<Paragraph> {
    let s = &r.summary;
    let c = &s.counts;
    let status_count = |code: &str| s.units.iter().filter(|u| u.status == code).count();
    let mut out = vec![
        heading("I. KHÁI QUÁT CHUNG"),
        body(format!(
            "Thực hiện {} (từ {} đến hạn báo cáo {}), các đoàn kiểm tra đã được phân công kiểm tra {} đơn vị theo {}.",
            s.round.name,
            s.round.starts_on.format("%d/%m/%Y"),
            s.round.due_on.format("%d/%m/%Y"),
            c.assigned,
            r.checklist
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
            "Điểm bình quân đạt {} điểm. Kết quả xếp loại: {}.",
            labels::score(mean),
            bands.join("; ")
        )));
    }
    out
}

fn results(r: &Report) -> (Table, Paragraph) {
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

fn chart_paragraphs(r: &Report) -> Result<Vec<Paragraph>, ExportError> {
    let png = chart::png(&r.summary)?;
    // 160 mm wide, in proportion; EMU: 36,000 per millimetre.
    let w_mm = 160.0;
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

fn findings(r: &Report) -> Vec<Paragraph> {
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

fn recommendations(r: &Report) -> (Paragraph, Table) {
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

fn signature(l: &Letterhead) -> Table {
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
        .add_table(letterhead(l, r))
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
    for p in overview(r) {
        doc = doc.add_paragraph(p);
    }
    let (table, note) = results(r);
    doc = doc
        .add_paragraph(heading("II. KẾT QUẢ KIỂM TRA THEO ĐƠN VỊ"))
        .add_table(table)
        .add_paragraph(note);
    for p in chart_paragraphs(r)? {
        doc = doc.add_paragraph(p);
    }
    for p in findings(r) {
        doc = doc.add_paragraph(p);
    }
    let (head, table) = recommendations(r);
    doc = doc
        .add_paragraph(head)
        .add_table(table)
        .add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().after(240)))
        .add_table(signature(l));
    let mut out = Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ExportError::Docx(e.to_string()))?;
    deflated(&out.into_inner())
}

/// The same package with every part deflated: docx-rs stores them as they are, which makes a
/// province's report ten times the size it needs to be for a mail attachment.
fn deflated(stored: &[u8]) -> Result<Vec<u8>, ExportError> {
    use zip::write::SimpleFileOptions;
    let fail = |e: zip::result::ZipError| ExportError::Docx(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(stored)).map_err(fail)?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).map_err(fail)?;
        let name = part.name().map_err(fail)?.into_owned();
        if part.is_dir() {
            continue;
        }
        out.start_file(name, options).map_err(fail)?;
        std::io::copy(&mut part, &mut out).map_err(|e| ExportError::Docx(e.to_string()))?;
    }
    Ok(out.finish().map_err(fail)?.into_inner())
}

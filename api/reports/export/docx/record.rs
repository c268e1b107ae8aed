//! The biên bản kiểm tra of one inspection: heading, the time and place, I. who attended on
//! each side, II. the answers by section, III. the findings, IV. the recommendations, the
//! closing sentence and both sides' signatures. What was not recorded prints as dotted lines
//! to be filled in by hand.

use docx_rs::{LineSpacing, Paragraph};

use super::page::{self, body, heading};
use super::tables::{self, STT};
use super::{signing, ExportError};
use crate::reports::documents::nd30;
use crate::reports::documents::record::{Person, Record};
use crate::reports::documents::Signer;
use crate::reports::labels;

const DOTS: &str = "…………";

fn when_and_where(r: &Record) -> String {
    let time = match r.held_at {
        Some(t) => format!(
            "vào hồi {}, {}",
            nd30::clock_in_words(t),
            nd30::date_in_words(t.date())
        ),
        None => format!("vào hồi {DOTS} giờ {DOTS} phút, ngày {DOTS} tháng {DOTS} năm {DOTS}"),
    };
    let place = r.place.clone().unwrap_or_else(|| DOTS.repeat(4));
    format!(
        "Hôm nay, {time}, tại {place}, Đoàn kiểm tra tiến hành kiểm tra công tác dân vận chính quyền tại {}.",
        r.unit_name
    )
}

fn people(list: &Option<Vec<Person>>) -> Vec<Paragraph> {
    match list {
        Some(ps) => ps
            .iter()
            .map(|p| match p.title.trim() {
                "" => body(format!("- Ông/Bà {}.", p.name.trim())),
                t => body(format!("- Ông/Bà {} - {t}.", p.name.trim())),
            })
            .collect(),
        None => (0..3)
            .map(|_| body(format!("- Ông/Bà {} - {}", DOTS.repeat(3), DOTS.repeat(3))))
            .collect(),
    }
}

fn attendance(r: &Record) -> Vec<Paragraph> {
    let mut out = vec![heading("I. THÀNH PHẦN"), heading("1. Đoàn kiểm tra")];
    out.extend(people(&r.members));
    out.push(heading(&format!(
        "2. Đơn vị được kiểm tra: {}",
        r.unit_name
    )));
    out.extend(people(&r.attendees));
    out
}

fn points(l: &crate::reports::answer_sheet::AnswerLine) -> String {
    match (l.points, l.max_points) {
        (Some(p), Some(m)) => format!("{}/{}", labels::score(p), labels::score(m)),
        _ => String::new(),
    }
}

fn answers(r: &Record) -> Vec<Block> {
    let mut out = vec![para(heading("II. NỘI DUNG KIỂM TRA"))];
    let mut sections: Vec<&str> = r.answers.iter().map(|a| a.section.as_str()).collect();
    sections.dedup();
    for s in sections {
        out.push(para(heading(s)));
        let rows = r
            .answers
            .iter()
            .filter(|a| a.section == s)
            .enumerate()
            .map(|(i, a)| {
                vec![
                    (i + 1).to_string(),
                    a.item_label.clone(),
                    a.answer.clone(),
                    points(a),
                ]
            })
            .collect();
        out.push(Block::T(Box::new(tables::grid(
            &["STT", "Nội dung kiểm tra", "Kết quả", "Điểm"],
            rows,
            &[STT, 4500, 2504, 1500],
        ))));
    }
    let total = match (r.score, &r.band_label) {
        (Some(s), Some(b)) => format!(
            "Tổng điểm: {} điểm; xếp loại: {b}. {}",
            labels::score(s),
            r.scheme_note
        ),
        (Some(s), None) => format!("Tổng điểm: {} điểm. {}", labels::score(s), r.scheme_note),
        _ => "Tổng điểm: chưa có (chưa trả lời nội dung nào được tính điểm).".into(),
    };
    // Space above: it follows a table, which has none of its own.
    out.push(para(
        body(total).line_spacing(LineSpacing::new().before(120).after(120)),
    ));
    if r.status != "approved" {
        out.push(para(body(
            "Phiếu kiểm tra chưa được trưởng đoàn duyệt; điểm số là tạm tính.",
        )));
    }
    out
}

fn finding(title: &str, v: &Option<String>) -> Vec<Paragraph> {
    let text = v.as_deref().map(str::trim).filter(|t| !t.is_empty());
    vec![
        heading(title),
        body(text.map_or_else(|| DOTS.repeat(12), str::to_owned)),
    ]
}

fn recommendations(r: &Record) -> Vec<Block> {
    let mut out = vec![para(heading("IV. KIẾN NGHỊ"))];
    if r.recommendations.is_empty() {
        out.push(para(body("Không có kiến nghị.")));
        return out;
    }
    let rows = r
        .recommendations
        .iter()
        .enumerate()
        .map(|(i, x)| {
            vec![
                (i + 1).to_string(),
                x.content.clone(),
                x.responsible.clone().unwrap_or_default(),
                x.due_on
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    out.push(Block::T(Box::new(tables::grid(
        &[
            "STT",
            "Nội dung kiến nghị",
            "Trách nhiệm thực hiện",
            "Thời hạn",
        ],
        rows,
        &[STT, 4300, 2704, tables::DATE],
    ))));
    out
}

fn para(p: Paragraph) -> Block {
    Block::P(Box::new(p))
}

/// The body in order: paragraphs and tables interleaved.
enum Block {
    P(Box<Paragraph>),
    T(Box<docx_rs::Table>),
}

pub fn render(r: &Record) -> Result<Vec<u8>, ExportError> {
    let mut l = r.letterhead.clone();
    if let Some(t) = r.held_at {
        l.date = t.date();
    }
    let mut blocks: Vec<Block> = super::heading::title(
        "BIÊN BẢN KIỂM TRA",
        &format!("Công tác dân vận chính quyền tại {}", r.unit_name),
    )
    .into_iter()
    .map(para)
    .collect();
    blocks.push(para(body(format!("{};", nd30::basis(&r.plan)))));
    blocks.push(para(body(when_and_where(r))));
    blocks.extend(attendance(r).into_iter().map(para));
    blocks.extend(answers(r));
    blocks.push(para(heading("III. KẾT QUẢ, ĐÁNH GIÁ")));
    for (t, v) in [
        ("1. Ưu điểm", &r.strengths),
        ("2. Hạn chế", &r.shortcomings),
        ("3. Nguyên nhân", &r.causes),
    ] {
        blocks.extend(finding(t, v).into_iter().map(para));
    }
    blocks.extend(recommendations(r));
    // Space above: the closing sentence follows a table, which has no spacing of its own.
    blocks.push(para(body(format!(
        "Buổi kiểm tra kết thúc vào hồi {DOTS} giờ {DOTS} phút cùng ngày. Biên bản được lập thành 02 bản có giá trị như nhau, đơn vị được kiểm tra giữ 01 bản, Đoàn kiểm tra giữ 01 bản; đã đọc lại cho các thành phần tham dự cùng nghe và thống nhất ký tên."
    ))
    .line_spacing(LineSpacing::new().before(240).after(120))));
    let unit_side = Signer {
        authority: None,
        title: "ĐẠI DIỆN ĐƠN VỊ ĐƯỢC KIỂM TRA".into(),
        name: r
            .attendees
            .as_ref()
            .and_then(|a| a.first())
            .map(|p| p.name.clone()),
    };
    let team_side = Signer {
        authority: None,
        title: "TRƯỞNG ĐOÀN KIỂM TRA".into(),
        name: l.signer.name.clone(),
    };
    let mut doc = page::document().add_table(super::heading::letterhead(&l));
    for b in blocks {
        doc = match b {
            Block::P(p) => doc.add_paragraph(*p),
            Block::T(t) => doc.add_table(*t),
        };
    }
    doc = doc
        .add_paragraph(Paragraph::new().line_spacing(LineSpacing::new().after(240)))
        .add_table(signing::both_sides(&unit_side, &team_side));
    super::package::finish(
        doc,
        l.author(),
        &format!("Biên bản kiểm tra {}", r.unit_name),
    )
}

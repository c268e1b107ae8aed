//! The chart of a round: the rating distribution (top) and the items most often fallen short
//! of (below), drawn once and rendered as SVG or as PNG pixels. Text is laid out with the
//! embedded DejaVu Sans (Bitstream Vera licence, `fonts/LICENSE-DejaVu.txt`), which has every
//! Vietnamese letter, so the picture is the same on any server whatever fonts it has.
//!
//! Sizes are chosen for print: the DOCX embeds the picture [`PRINTED_WIDTH_MM`] wide, and
//! every label is at least 10 pt there (Nghị định 30/2020 wants table text of 11 pt or more;
//! a chart's labels are read the same way).

mod glyphs;

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use ab_glyph::FontRef;

use super::ExportError;
use crate::reports::labels;
use crate::reports::summary::Summary;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 1060;
/// The width the DOCX prints the chart at.
pub const PRINTED_WIDTH_MM: f64 = 160.0;
const FONT: &str = "sans-serif";
static DEJAVU: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// How many of the weakest items the chart shows (the summary lists more, and the report
/// names them all in its text).
const SHOWN: usize = 6;
/// Where the distribution ends and the weakest items begin.
const SPLIT: u32 = 420;

/// Pixels per printed point: the picture's width over the printed width (72 pt per inch).
pub fn px_per_pt() -> f64 {
    f64::from(WIDTH) / (PRINTED_WIDTH_MM / 25.4 * 72.0)
}

/// The em, in pixels, of text printed `points` high.
fn em(points: f64) -> f64 {
    (points * px_per_pt()).ceil()
}

/// Labels: 10.5 pt printed. Captions: 12 pt.
fn label_px() -> f64 {
    em(10.5)
}

fn caption_px() -> f64 {
    em(12.0)
}

const BAND_COLOURS: [RGBColor; 5] = [
    RGBColor(0x2e, 0x7d, 0x32),
    RGBColor(0x15, 0x65, 0xc0),
    RGBColor(0xf9, 0xa8, 0x25),
    RGBColor(0xc6, 0x28, 0x28),
    RGBColor(0x61, 0x61, 0x61),
];
const WEAK_COLOUR: RGBColor = RGBColor(0xc6, 0x28, 0x28);

/// The embedded font, registered with plotters (for SVG layout) and parsed for the PNG's
/// own text.
fn font() -> Result<&'static FontRef<'static>, ExportError> {
    static FONT_REF: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    FONT_REF
        .get_or_init(|| {
            plotters::style::register_font(FONT, FontStyle::Normal, DEJAVU).ok()?;
            FontRef::try_from_slice(DEJAVU).ok()
        })
        .as_ref()
        .ok_or_else(|| ExportError::Chart("embedded font unreadable".into()))
}

fn fail<E: std::fmt::Display>(e: E) -> ExportError {
    ExportError::Chart(e.to_string())
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), ExportError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(fail)?;
    let (top, bottom) = root.split_vertically(SPLIT);
    distribution(&top, s)?;
    weakest(&bottom, s)?;
    root.present().map_err(fail)
}

fn distribution<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Summary,
) -> Result<(), ExportError>
where
    DB::ErrorType: 'static,
{
    let bands = &s.distribution;
    let top = bands.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let n = bands.len().max(1) as i32;
    let label = label_px();
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("Xếp loại ({} đơn vị đã duyệt)", s.counts.approved),
            (FONT, caption_px()),
        )
        .margin(16)
        .x_label_area_size((label * 1.8) as u32)
        .y_label_area_size((label * 3.2) as u32)
        // Integer ranges are inclusive as discrete values: 0..n-1 is n segments. The head
        // room keeps the count above the tallest bar inside the picture.
        .build_cartesian_2d((0..n - 1).into_segmented(), 0..(top + top / 3 + 1))
        .map_err(fail)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .x_labels(bands.len().max(1))
        .y_labels(5)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => bands
                .get(*i as usize)
                .map(|b| b.label.clone())
                .unwrap_or_default(),
            SegmentValue::Last => String::new(),
        })
        .y_desc("Số đơn vị")
        .label_style((FONT, label))
        .axis_desc_style((FONT, label))
        .draw()
        .map_err(fail)?;
    chart
        .draw_series(bands.iter().enumerate().map(|(i, b)| {
            let colour = BAND_COLOURS[i.min(BAND_COLOURS.len() - 1)];
            let mut bar = Rectangle::new(
                [
                    (SegmentValue::Exact(i as i32), 0),
                    (SegmentValue::Exact(i as i32 + 1), b.count),
                ],
                colour.filled(),
            );
            bar.set_margin(0, 0, 24, 24);
            bar
        }))
        .map_err(fail)?;
    let above =
        TextStyle::from((FONT, label).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
    chart
        .draw_series(bands.iter().enumerate().map(|(i, b)| {
            Text::new(
                format!("{} ({})", b.count, labels::percent(b.share)),
                (SegmentValue::CenterOf(i as i32), b.count),
                above.clone(),
            )
        }))
        .map_err(fail)?;
    Ok(())
}

/// Each item's line: its label, shortened to fit the width, then its share and count.
fn item_line(w: &crate::reports::summary::WeakPoint, room: f32) -> Result<String, ExportError> {
    let suffix = format!(
        " — {} ({}/{})",
        labels::percent(w.share),
        w.fell_short,
        w.counted
    );
    let f = font()?;
    let left = room - glyphs::width(f, label_px(), &suffix);
    Ok(format!(
        "{}{suffix}",
        glyphs::fit(f, label_px(), &w.label, left)
    ))
}

fn weakest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Summary,
) -> Result<(), ExportError>
where
    DB::ErrorType: 'static,
{
    let items: Vec<_> = s.weakest.iter().take(SHOWN).collect();
    let rows = items.len().max(1) as f64;
    let label = label_px();
    let mut chart = ChartBuilder::on(area)
        .caption("Nội dung nhiều đơn vị chưa đạt nhất", (FONT, caption_px()))
        .margin(16)
        // Room beside the axis for its first and last tick labels ("0%", "100%") in full.
        .margin_left((label * 1.2) as u32)
        .margin_right((label * 1.6) as u32)
        .x_label_area_size((label * 3.4) as u32)
        .y_label_area_size(10)
        .build_cartesian_2d(0f64..100f64, 0f64..rows)
        .map_err(fail)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .y_labels(0)
        .x_labels(6)
        .x_label_formatter(&|x| format!("{x:.0}%"))
        .x_desc("Tỷ lệ đơn vị chưa đạt")
        .label_style((FONT, label))
        .axis_desc_style((FONT, label))
        .draw()
        .map_err(fail)?;
    if items.is_empty() {
        let centre =
            TextStyle::from((FONT, label).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
        chart
            .draw_series(std::iter::once(Text::new(
                "Chưa có nội dung nào chưa đạt trong các phiếu đã duyệt".to_owned(),
                (50.0, 0.5),
                centre,
            )))
            .map_err(fail)?;
        return Ok(());
    }
    let room = chart.plotting_area().dim_in_pixel().0 as f32 - 12.0;
    let lines = items
        .iter()
        .map(|w| item_line(w, room))
        .collect::<Result<Vec<_>, _>>()?;
    // Weakest at the top: row i occupies [rows-1-i, rows-i); bar below, its line above it.
    let y = |i: usize| rows - 1.0 - i as f64;
    chart
        .draw_series(items.iter().enumerate().map(|(i, w)| {
            Rectangle::new(
                [(0.0, y(i) + 0.06), (w.share * 100.0, y(i) + 0.42)],
                WEAK_COLOUR.mix(0.85).filled(),
            )
        }))
        .map_err(fail)?;
    let left = TextStyle::from((FONT, label).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    chart
        .draw_series(
            lines
                .into_iter()
                .enumerate()
                .map(|(i, line)| Text::new(line, (0.5, y(i) + 0.72), left.clone())),
        )
        .map_err(fail)?;
    Ok(())
}

pub fn svg(s: &Summary) -> Result<String, ExportError> {
    font()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, s)?;
    }
    Ok(out)
}

pub fn png(s: &Summary) -> Result<Vec<u8>, ExportError> {
    let f = font()?;
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let inner = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT));
        let root = glyphs::Glyphs { inner, font: f }.into_drawing_area();
        draw(&root, s)?;
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(fail)?;
    w.write_image_data(&pixels).map_err(fail)?;
    w.finish().map_err(fail)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_print_at_ten_points_or_more() {
        // 1200 px over 160 mm: about 2.65 px per point.
        assert!((px_per_pt() - 2.646).abs() < 0.01);
        assert!(label_px() / px_per_pt() >= 10.0);
        assert!(caption_px() > label_px());
    }

    #[test]
    fn spaces_keep_their_width_and_long_labels_are_fitted() {
        let f = font().unwrap();
        let joined = glyphs::width(f, 28.0, "SởNội");
        let spaced = glyphs::width(f, 28.0, "Sở Nội");
        assert!(spaced - joined > 7.0, "a space is about a third of an em");
        let long = "Xây dựng và đăng ký điểm sáng về công tác dân vận chính quyền ".repeat(3);
        let fitted = glyphs::fit(f, 28.0, &long, 600.0);
        assert!(fitted.ends_with('…'));
        assert!(glyphs::width(f, 28.0, &fitted) <= 600.0);
    }
}

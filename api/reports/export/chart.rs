//! The chart of a round: the rating distribution (left) and the items most often fallen short
//! of (right), drawn once and rendered as SVG or as PNG pixels. Text is laid out with the
//! embedded DejaVu Sans (Bitstream Vera licence, `fonts/LICENSE-DejaVu.txt`), which has every
//! Vietnamese letter, so the picture is the same on any server whatever fonts it has.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::ExportError;
use crate::reports::labels;
use crate::reports::summary::Summary;

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 600;
const FONT: &str = "sans-serif";
static DEJAVU: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");

/// How many of the weakest items the chart shows (the summary lists more).
const SHOWN: usize = 8;
const LABEL_CHARS: usize = 78;

const BAND_COLOURS: [RGBColor; 5] = [
    RGBColor(0x2e, 0x7d, 0x32),
    RGBColor(0x15, 0x65, 0xc0),
    RGBColor(0xf9, 0xa8, 0x25),
    RGBColor(0xc6, 0x28, 0x28),
    RGBColor(0x61, 0x61, 0x61),
];
const WEAK_COLOUR: RGBColor = RGBColor(0xc6, 0x28, 0x28);

fn font_ready() -> Result<(), ExportError> {
    static READY: OnceLock<bool> = OnceLock::new();
    let ok = *READY
        .get_or_init(|| plotters::style::register_font(FONT, FontStyle::Normal, DEJAVU).is_ok());
    if ok {
        Ok(())
    } else {
        Err(ExportError::Chart("embedded font unreadable".into()))
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn fail<E: std::fmt::Display>(e: E) -> ExportError {
    ExportError::Chart(e.to_string())
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), ExportError>
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(fail)?;
    let (left, right) = root.split_horizontally(WIDTH * 2 / 5);
    distribution(&left, s)?;
    weakest(&right, s)?;
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
    let mut chart = ChartBuilder::on(area)
        .caption(
            format!("Xếp loại ({} đơn vị đã duyệt)", s.counts.approved),
            (FONT, 24),
        )
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(50)
        // Integer ranges are inclusive as discrete values: 0..n-1 is n segments.
        .build_cartesian_2d((0..n - 1).into_segmented(), 0..(top + top / 5 + 1))
        .map_err(fail)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .x_labels(bands.len().max(1))
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => bands
                .get(*i as usize)
                .map(|b| b.label.clone())
                .unwrap_or_default(),
            SegmentValue::Last => String::new(),
        })
        .y_desc("Số đơn vị")
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 16))
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
            bar.set_margin(0, 0, 14, 14);
            bar
        }))
        .map_err(fail)?;
    let above = TextStyle::from((FONT, 16).into_font()).pos(Pos::new(HPos::Center, VPos::Bottom));
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

fn weakest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &Summary,
) -> Result<(), ExportError>
where
    DB::ErrorType: 'static,
{
    let items: Vec<_> = s.weakest.iter().take(SHOWN).collect();
    let rows = items.len().max(1) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption("Nội dung nhiều đơn vị chưa đạt nhất", (FONT, 24))
        .margin(16)
        .x_label_area_size(40)
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
        .label_style((FONT, 16))
        .axis_desc_style((FONT, 16))
        .draw()
        .map_err(fail)?;
    if items.is_empty() {
        let centre =
            TextStyle::from((FONT, 20).into_font()).pos(Pos::new(HPos::Center, VPos::Center));
        chart
            .draw_series(std::iter::once(Text::new(
                "Chưa có nội dung nào chưa đạt trong các phiếu đã duyệt".to_owned(),
                (50.0, 0.5),
                centre,
            )))
            .map_err(fail)?;
        return Ok(());
    }
    // Weakest at the top: row i occupies [rows-1-i, rows-i); bar below, label above it.
    let y = |i: usize| rows - 1.0 - i as f64;
    chart
        .draw_series(items.iter().enumerate().map(|(i, w)| {
            Rectangle::new(
                [(0.0, y(i) + 0.08), (w.share * 100.0, y(i) + 0.48)],
                WEAK_COLOUR.mix(0.85).filled(),
            )
        }))
        .map_err(fail)?;
    let label = TextStyle::from((FONT, 15).into_font()).pos(Pos::new(HPos::Left, VPos::Center));
    chart
        .draw_series(items.iter().enumerate().map(|(i, w)| {
            Text::new(
                shorten(&w.label, LABEL_CHARS),
                (0.5, y(i) + 0.74),
                label.clone(),
            )
        }))
        .map_err(fail)?;
    chart
        .draw_series(items.iter().enumerate().map(|(i, w)| {
            Text::new(
                format!(
                    "{} ({}/{})",
                    labels::percent(w.share),
                    w.fell_short,
                    w.counted
                ),
                (w.share * 100.0 + 1.0, y(i) + 0.28),
                label.clone(),
            )
        }))
        .map_err(fail)?;
    Ok(())
}

pub fn svg(s: &Summary) -> Result<String, ExportError> {
    font_ready()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, s)?;
    }
    Ok(out)
}

pub fn png(s: &Summary) -> Result<Vec<u8>, ExportError> {
    font_ready()?;
    let mut pixels = vec![0u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, (WIDTH, HEIGHT)).into_drawing_area();
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

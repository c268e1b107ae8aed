//! Text for the PNG chart, drawn glyph by glyph with ab_glyph. plotters' own bitmap text
//! places each glyph's outline at the pen without its left side bearing, so words run
//! together ("SởNội vụ"); this backend wraps another, passes every shape through, and lays
//! text out as the font says. A style's size is the em in pixels, as in SVG's `font-size`.

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

pub struct Glyphs<'f, B> {
    pub inner: B,
    pub font: &'f FontRef<'static>,
}

fn scale(font: &FontRef<'static>, em_px: f64) -> PxScale {
    font.pt_to_px_scale(em_px as f32)
        .unwrap_or(PxScale::from(em_px as f32))
}

/// Width of `text` at `em_px`, in pixels.
pub fn width(font: &FontRef<'static>, em_px: f64, text: &str) -> f32 {
    let f = font.as_scaled(scale(font, em_px));
    let mut w = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = f.glyph_id(c);
        if let Some(p) = prev {
            w += f.kern(p, id);
        }
        w += f.h_advance(id);
        prev = Some(id);
    }
    w
}

/// `text`, shortened with "…" until it is at most `max_px` wide.
pub fn fit(font: &FontRef<'static>, em_px: f64, text: &str, max_px: f32) -> String {
    if width(font, em_px, text) <= max_px {
        return text.to_owned();
    }
    let chars: Vec<char> = text.chars().collect();
    for n in (1..chars.len()).rev() {
        let cut: String = chars[..n].iter().collect();
        let candidate = format!("{}…", cut.trim_end());
        if width(font, em_px, &candidate) <= max_px {
            return candidate;
        }
    }
    "…".into()
}

impl<B: DrawingBackend> DrawingBackend for Glyphs<'_, B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        p: BackendCoord,
        c: BackendColor,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_pixel(p, c)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        a: BackendCoord,
        b: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_rect(a, b, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        let f = self.font.as_scaled(scale(self.font, style.size()));
        let h = f.ascent() - f.descent();
        Ok((
            width(self.font, style.size(), text).ceil() as u32,
            h.ceil() as u32,
        ))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let px = scale(self.font, style.size());
        let f = self.font.as_scaled(px);
        let (w, h) = (
            width(self.font, style.size(), text),
            f.ascent() - f.descent(),
        );
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -w / 2.0,
            HPos::Right => -w,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -h / 2.0,
            VPos::Bottom => -h,
        };
        let trans = style.transform();
        let mut pixels = Vec::new();
        let (mut pen, mut prev) = (0.0f32, None);
        for c in text.chars() {
            let id = f.glyph_id(c);
            if let Some(p) = prev {
                pen += f.kern(p, id);
            }
            let glyph = id.with_scale_and_position(px, point(pen + dx, f.ascent() + dy));
            if let Some(outline) = self.font.outline_glyph(glyph) {
                let b = outline.px_bounds();
                outline.draw(|x, y, coverage| {
                    let (gx, gy) = (b.min.x as i32 + x as i32, b.min.y as i32 + y as i32);
                    pixels.push((trans.transform(gx, gy), coverage));
                });
            }
            pen += f.h_advance(id);
            prev = Some(id);
        }
        for ((x, y), coverage) in pixels {
            if coverage > 0.0 {
                self.inner
                    .draw_pixel((pos.0 + x, pos.1 + y), color.mix(f64::from(coverage)))?;
            }
        }
        Ok(())
    }
}

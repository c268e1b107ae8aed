//! The comparison page's bar chart as plain geometry: horizontal bars, one per row, that the
//! template draws as inline SVG (presentation attributes only: the CSP allows no inline
//! style). Horizontal so long Vietnamese labels fit at 360 px.

/// The drawing's width in its own units; it scales to the page (`viewBox`).
pub const WIDTH: f64 = 460.0;
const LABEL_W: f64 = 150.0;
const VALUE_W: f64 = 80.0;
const ROW_H: f64 = 34.0;
const BAR_H: f64 = 22.0;
const TOP: f64 = 8.0;

pub struct Bar {
    pub label: String,
    /// The value as people read it (`76,67`), or `chưa có` when there is none.
    pub text: String,
    pub width: f64,
    pub y: f64,
    /// The baseline of the row's texts.
    pub text_y: f64,
    /// Where the value's text starts: after the bar.
    pub text_x: f64,
}

pub struct Chart {
    pub bars: Vec<Bar>,
    pub height: f64,
    pub bar_x: f64,
    pub bar_h: f64,
    /// The scale's maximum, as read (`100`).
    pub scale: String,
    /// The scale's end, in drawing units.
    pub scale_x: f64,
}

/// Bars for `(label, value)` on a scale from 0 to `max` (raised to the largest value, so a
/// bar never runs off the drawing).
pub fn bars(rows: &[(String, Option<f64>)], max: f64) -> Chart {
    let top = rows
        .iter()
        .filter_map(|(_, v)| *v)
        .fold(max, f64::max)
        .max(1.0);
    let span = WIDTH - LABEL_W - VALUE_W;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, (label, v))| {
            let y = TOP + i as f64 * ROW_H;
            let width = v.map_or(0.0, |v| (span * v.max(0.0) / top * 10.0).round() / 10.0);
            Bar {
                label: label.clone(),
                text: v.map_or("chưa có".into(), crate::reports::labels::score),
                width,
                y,
                text_y: y + BAR_H * 0.75,
                text_x: LABEL_W + width + 6.0,
            }
        })
        .collect();
    Chart {
        bars,
        height: TOP * 2.0 + rows.len() as f64 * ROW_H,
        bar_x: LABEL_W,
        bar_h: BAR_H,
        scale: crate::reports::labels::score(top),
        scale_x: LABEL_W + span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_scaled_to_the_maximum_and_an_empty_value_says_so() {
        let c = bars(
            &[
                ("Xã".into(), Some(50.0)),
                ("Phường".into(), None),
                ("Sở".into(), Some(100.0)),
            ],
            100.0,
        );
        let span = WIDTH - LABEL_W - VALUE_W;
        assert_eq!(c.bars[0].width, span / 2.0);
        assert_eq!(c.bars[1].width, 0.0);
        assert_eq!(c.bars[1].text, "chưa có");
        assert_eq!(c.bars[2].width, span);
        assert_eq!(c.bars[0].text, "50");
        assert_eq!(c.bars[2].y - c.bars[1].y, ROW_H);
        assert_eq!(c.scale, "100");
    }

    #[test]
    fn a_value_above_the_scale_raises_it() {
        let c = bars(&[("A".into(), Some(12.5))], 10.0);
        assert_eq!(c.scale, "12,5");
        assert_eq!(c.bars[0].width, WIDTH - LABEL_W - VALUE_W);
    }
}

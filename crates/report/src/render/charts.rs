//! Horizontal bar charts as SVG: readable in print, labelled for screen readers, in the font
//! the page uses. Small enough that a charting library would add more than it saves.

use crate::render::escape;

pub struct Bar {
    pub label: String,
    pub value: f64,
    /// What is printed at the end of the bar ("24" or "74.1%").
    pub shown: String,
}

const WIDTH: f64 = 640.0;
const LABEL_WIDTH: f64 = 260.0;
const ROW: f64 = 26.0;
const COLOUR: &str = "#1d70b8";

/// A chart's title is also its accessible name.
pub fn bar_chart(title: &str, bars: &[Bar], max: Option<f64>) -> String {
    let height = 40.0 + ROW * bars.len().max(1) as f64 + 10.0;
    let max = max
        .unwrap_or_else(|| bars.iter().map(|b| b.value).fold(0.0, f64::max))
        .max(1e-9);
    let plot = WIDTH - LABEL_WIDTH - 60.0;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{t}\" font-family=\"Arial, Helvetica, sans-serif\" font-size=\"13\">\
<title>{t}</title><rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\
<text x=\"0\" y=\"20\" font-size=\"15\" font-weight=\"bold\" fill=\"#0b0c0c\">{t}</text>",
        t = escape(title)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 36.0 + ROW * i as f64;
        let width = (bar.value / max * plot).max(if bar.value > 0.0 { 2.0 } else { 0.0 });
        let label: String = if bar.label.chars().count() > 38 {
            format!("{}…", bar.label.chars().take(37).collect::<String>())
        } else {
            bar.label.clone()
        };
        svg.push_str(&format!(
            "<text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\" fill=\"#0b0c0c\">{label}</text>\
<rect x=\"{bx}\" y=\"{y}\" width=\"{width:.1}\" height=\"{h}\" fill=\"{COLOUR}\"/>\
<text x=\"{vx:.1}\" y=\"{ty}\" fill=\"#0b0c0c\">{shown}</text>",
            lx = LABEL_WIDTH - 8.0,
            ty = y + 14.0,
            label = escape(&label),
            bx = LABEL_WIDTH,
            h = ROW - 8.0,
            vx = LABEL_WIDTH + width + 6.0,
            shown = escape(&bar.shown),
        ));
    }
    svg.push_str("</svg>");
    svg
}

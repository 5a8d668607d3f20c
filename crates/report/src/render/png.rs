//! Charts as PNG, for formats that cannot take SVG (Word).

use super::pdf::{SANS, SANS_BOLD};
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

fn options() -> &'static usvg::Options<'static> {
    static OPTIONS: OnceLock<usvg::Options<'static>> = OnceLock::new();
    OPTIONS.get_or_init(|| {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(SANS.to_vec());
        fonts.load_font_data(SANS_BOLD.to_vec());
        // The charts ask for Arial, then sans-serif: both become the shipped font.
        fonts.set_sans_serif_family("DejaVu Sans");
        usvg::Options {
            fontdb: Arc::new(fonts),
            font_family: "DejaVu Sans".into(),
            ..Default::default()
        }
    })
}

/// Renders at `scale` times the SVG's size; returns the PNG and its pixel size.
pub fn svg_to_png(svg: &str, scale: f32) -> Result<(Vec<u8>, u32, u32), String> {
    let tree = usvg::Tree::from_str(svg, options()).map_err(|e| e.to_string())?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("the chart has no size")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("the chart is empty")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().map_err(|e| e.to_string())?;
    Ok((png, size.width(), size.height()))
}

//! Renderers: each a pure function from the report model to bytes.

mod charts;
mod docx;
mod html;
mod narrative;
pub mod outline;
mod pdf;
mod png;
mod tables;

pub use docx::docx;
pub use html::html;
pub use pdf::pdf;
pub use tables::{csv, xlsx};

pub fn json(report: &crate::Report) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(report).expect("reports serialise");
    bytes.push(b'\n');
    bytes
}

/// Escapes text for HTML and SVG.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Why a document could not be made.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct RenderError(pub String);

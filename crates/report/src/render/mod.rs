//! Renderers: each a pure function from the report model to bytes.

mod charts;
mod docx;
mod html;
mod letter;
mod narrative;
pub mod outline;
mod pdf;
mod png;
mod tables;

pub use docx::docx;
pub use html::html;
pub use letter::{
    case_record_pdf, letter_docx, letter_pdf, CaseRecordDocument, Letter, RecordSection,
};
pub use pdf::pdf;
pub use tables::{csv, xlsx};

/// The formats a report comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Json,
    Html,
    Pdf,
    Docx,
    Csv,
    Xlsx,
}

impl Format {
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Html => "text/html; charset=utf-8",
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn parse(text: &str) -> Result<Format, String> {
        [
            Format::Json,
            Format::Html,
            Format::Pdf,
            Format::Docx,
            Format::Csv,
            Format::Xlsx,
        ]
        .into_iter()
        .find(|f| f.extension() == text)
        .ok_or_else(|| format!("'{text}' is not one of json, html, pdf, docx, csv, xlsx"))
    }

    /// Binary formats need a file, not a terminal.
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Pdf | Format::Docx | Format::Xlsx)
    }
}

/// The report in `format`.
pub fn render(report: &crate::Report, format: Format) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        Format::Json => json(report),
        Format::Html => html(report).into_bytes(),
        Format::Csv => csv(report).map_err(|e| RenderError(e.to_string()))?,
        Format::Xlsx => xlsx(report).map_err(|e| RenderError(e.to_string()))?,
        Format::Docx => docx(report)?,
        Format::Pdf => pdf(report)?,
    })
}

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

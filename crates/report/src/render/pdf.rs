//! PDF through typst, embedded: the outline goes in as JSON, `assets/report.typ` lays it out,
//! and the charts go in as SVG. The fonts ship in the binary, so nothing is read from the
//! machine it runs on.

use super::outline::{outline, Element};
use super::RenderError;
use crate::Report;
use typst::foundations::{Bytes, Dict, IntoValue};
use typst_as_lib::TypstEngine;

const TEMPLATE: &str = include_str!("../../assets/report.typ");
pub(crate) const SANS: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub(crate) const SANS_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

pub fn pdf(report: &Report) -> Result<Vec<u8>, RenderError> {
    let elements = outline(report);
    let title = elements
        .iter()
        .find_map(|e| match e {
            Element::Title(t) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_default();
    typeset(&title, &elements)
}

/// Any outline as PDF, on the report's layout: letters print through this too.
pub(crate) fn typeset(title: &str, elements: &[Element]) -> Result<Vec<u8>, RenderError> {
    let json = serde_json::to_vec(elements).map_err(|e| RenderError(e.to_string()))?;
    let mut inputs = Dict::new();
    inputs.insert("outline".into(), Bytes::new(json).into_value());
    inputs.insert("title".into(), title.into_value());
    let engine = TypstEngine::builder()
        .main_file(TEMPLATE)
        .fonts([SANS, SANS_BOLD])
        .build();
    let compiled = engine.compile_with_input(inputs);
    let document = compiled
        .output
        .map_err(|e| RenderError(format!("the PDF layout failed: {e:?}")))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|e| RenderError(format!("the PDF could not be written: {e:?}")))
}

//! A letter to a complainant, as PDF and Word: the council's name as its heading, then the
//! letter's Markdown as paragraphs and lists, printed by the report's own PDF and Word layouts.

use super::narrative::{blocks, Block};
use super::outline::Element;
use super::RenderError;

pub struct Letter<'a> {
    /// The council the letter comes from.
    pub council: &'a str,
    /// What the letter is, e.g. "Stage 1 response WCC-2026-0001": the PDF's title and footer.
    pub title: &'a str,
    /// The letter as Markdown.
    pub body: &'a str,
}

fn elements(letter: &Letter) -> Vec<Element> {
    let mut out = vec![Element::Heading(letter.council.to_string())];
    out.extend(blocks(letter.body).into_iter().map(|block| match block {
        Block::Paragraph(text) => Element::Paragraph(text),
        Block::Bullets(items) => Element::Bullets(items),
    }));
    out
}

pub fn letter_pdf(letter: &Letter) -> Result<Vec<u8>, RenderError> {
    super::pdf::typeset(letter.title, &elements(letter))
}

pub fn letter_docx(letter: &Letter) -> Result<Vec<u8>, RenderError> {
    super::docx::document(elements(letter))
}

/// A case's record printed for a subject access request: the council's name, the record's
/// title, an opening note, then its sections.
pub struct CaseRecordDocument<'a> {
    pub council: &'a str,
    /// E.g. "Case record WCC-2026-0001": the PDF's title and footer.
    pub title: &'a str,
    /// Paragraphs before the first section.
    pub intro: &'a [String],
    pub sections: &'a [RecordSection],
}

/// One part of a case record: its heading, paragraphs, then a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub items: Vec<String>,
}

fn record_elements(document: &CaseRecordDocument) -> Vec<Element> {
    let mut out = vec![
        Element::Heading(document.council.to_string()),
        Element::Subheading(document.title.to_string()),
    ];
    out.extend(document.intro.iter().cloned().map(Element::Paragraph));
    for section in document.sections {
        out.push(Element::Subheading(section.heading.clone()));
        out.extend(section.paragraphs.iter().cloned().map(Element::Paragraph));
        if !section.items.is_empty() {
            out.push(Element::Bullets(section.items.clone()));
        }
    }
    out
}

/// The record as PDF, on the letters' layout. The text is printed as it is, never read as
/// markup.
pub fn case_record_pdf(document: &CaseRecordDocument) -> Result<Vec<u8>, RenderError> {
    super::pdf::typeset(document.title, &record_elements(document))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_letter_prints_as_pdf_and_word() {
        let letter = Letter {
            council: "Westminster City Council",
            title: "Letter",
            body: "Dear Ms Smith,\n\nWe have your complaint.\n\n- one\n- two",
        };
        assert!(letter_pdf(&letter).unwrap().starts_with(b"%PDF"));
        assert!(letter_docx(&letter).unwrap().starts_with(b"PK"));
    }

    #[test]
    fn a_case_record_prints_as_pdf_with_markup_taken_literally() {
        let sections = [RecordSection {
            heading: "Personal details".into(),
            paragraphs: vec!["Complainant: Ms *Smith* #set [x]".into()],
            items: vec!["[REDACT: child's identifier] C-123".into()],
        }];
        let intro = ["Prepared for a subject access request.".to_string()];
        let document = CaseRecordDocument {
            council: "Westminster City Council",
            title: "Case record WCC-2026-0001",
            intro: &intro,
            sections: &sections,
        };
        assert!(case_record_pdf(&document).unwrap().starts_with(b"%PDF"));
    }
}

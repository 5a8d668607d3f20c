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
}

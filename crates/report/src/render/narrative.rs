//! Officer-written Markdown as blocks every format can print: paragraphs and bullet lists.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(String),
    Bullets(Vec<String>),
}

pub fn blocks(markdown: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut text = String::new();
    let mut items: Option<Vec<String>> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::List(_)) => items = Some(Vec::new()),
            Event::End(TagEnd::List(_)) => {
                if let Some(list) = items.take() {
                    blocks.push(Block::Bullets(list));
                }
            }
            Event::End(TagEnd::Item) => {
                if let Some(list) = items.as_mut() {
                    list.push(std::mem::take(&mut text).trim().to_string());
                }
            }
            Event::End(TagEnd::Paragraph) if items.is_none() => {
                let paragraph = std::mem::take(&mut text).trim().to_string();
                if !paragraph.is_empty() {
                    blocks.push(Block::Paragraph(paragraph));
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                blocks.push(Block::Paragraph(
                    std::mem::take(&mut text).trim().to_string(),
                ));
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    if !text.trim().is_empty() {
        blocks.push(Block::Paragraph(text.trim().to_string()));
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_lists() {
        let blocks = blocks("First *paragraph*\nwraps.\n\n- one\n- two **bold**\n\nLast.");
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph("First paragraph wraps.".into()),
                Block::Bullets(vec!["one".into(), "two bold".into()]),
                Block::Paragraph("Last.".into()),
            ]
        );
    }
}

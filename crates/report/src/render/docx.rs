//! A Word document an officer can edit: real Heading 1 and 2 styles (so the navigation pane
//! and a table of contents work), real tables, bullet lists, and charts as pictures.

use super::outline::{outline, Element};
use super::png::svg_to_png;
use super::RenderError;
use crate::Report;
use docx_rs::{
    AbstractNumbering, Docx, IndentLevel, Level, LevelJc, LevelText, NumberFormat, Numbering,
    NumberingId, Paragraph, Pic, Run, RunFonts, Shading, SpecialIndentType, Start, Style,
    StyleType, Table, TableCell, TableRow,
};

const FONT: &str = "Arial";
/// Docx::new() defines numbering 1 itself; ours starts at 2.
const BULLETS: usize = 2;
/// A4 text width, in EMU (1 cm = 360,000).
const PICTURE_WIDTH: u32 = 16 * 360_000;

fn heading_style(id: &str, name: &str, level: usize, half_points: usize) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on("Normal")
        .next("Normal")
        .q_format(true)
        .outline_lvl(level)
        .size(half_points)
        .bold()
        .color("1D70B8")
}

fn text(content: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(content))
}

fn cell(content: &str, bold: bool, header: bool) -> TableCell {
    let run = Run::new().add_text(content);
    let cell = TableCell::new().add_paragraph(Paragraph::new().add_run(if bold {
        run.bold()
    } else {
        run
    }));
    if header {
        cell.shading(Shading::new().fill("E8F1F8"))
    } else {
        cell
    }
}

pub fn docx(report: &Report) -> Result<Vec<u8>, RenderError> {
    document(outline(report))
}

/// Any outline as a Word file, in the report's styles: letters print through this too.
pub(crate) fn document(elements: Vec<Element>) -> Result<Vec<u8>, RenderError> {
    let bullets = AbstractNumbering::new(BULLETS).add_level(
        Level::new(
            0,
            Start::new(1),
            NumberFormat::new("bullet"),
            LevelText::new("•"),
            LevelJc::new("left"),
        )
        .indent(Some(720), Some(SpecialIndentType::Hanging(360)), None, None),
    );
    let mut doc = Docx::new()
        .default_fonts(RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT))
        .default_size(22)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .size(48)
                .bold()
                .color("1D70B8"),
        )
        .add_style(heading_style("Heading1", "heading 1", 0, 32))
        .add_style(heading_style("Heading2", "heading 2", 1, 26))
        .add_abstract_numbering(bullets)
        .add_numbering(Numbering::new(BULLETS, BULLETS));
    for element in elements {
        doc =
            match element {
                Element::Title(t) => doc.add_paragraph(text(&t).style("Title")),
                Element::Subtitle(t) => doc.add_paragraph(text(&t)),
                Element::Heading(t) => doc.add_paragraph(text(&t).style("Heading1")),
                Element::Subheading(t) => doc.add_paragraph(text(&t).style("Heading2")),
                Element::Paragraph(t) => doc.add_paragraph(text(&t)),
                Element::Bullets(items) => items.iter().fold(doc, |doc, item| {
                    doc.add_paragraph(
                        text(item).numbering(NumberingId::new(BULLETS), IndentLevel::new(0)),
                    )
                }),
                Element::Table(table) => {
                    let header =
                        TableRow::new(table.header.iter().map(|h| cell(h, true, true)).collect());
                    let mut rows = vec![header];
                    rows.extend(
                        table.rows.iter().map(|r| {
                            TableRow::new(r.iter().map(|c| cell(c, false, false)).collect())
                        }),
                    );
                    rows.extend(
                        table.total.iter().map(|r| {
                            TableRow::new(r.iter().map(|c| cell(c, true, false)).collect())
                        }),
                    );
                    doc.add_paragraph(
                        Paragraph::new().add_run(Run::new().add_text(&table.caption).bold()),
                    )
                    .add_table(Table::new(rows))
                    .add_paragraph(Paragraph::new())
                }
                Element::Chart(chart) => {
                    let (png, width, height) = svg_to_png(&chart.svg, 2.0).map_err(RenderError)?;
                    let picture = Pic::new_with_dimensions(png, width, height)
                        .size(PICTURE_WIDTH, PICTURE_WIDTH * height / width.max(1));
                    doc.add_paragraph(Paragraph::new().add_run(Run::new().add_image(picture)))
                }
            };
    }
    let mut bytes = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut bytes)
        .map_err(|e| RenderError(format!("the Word file could not be written: {e}")))?;
    Ok(bytes.into_inner())
}

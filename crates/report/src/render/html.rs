//! A self-contained HTML page: inline CSS and SVG charts, nothing fetched, readable by screen
//! readers (real headings, table captions and headers, chart titles) and laid out for print.

use super::escape;
use super::outline::{outline, Element};
use crate::Report;

const STYLE: &str = r#"
body { font-family: Arial, Helvetica, sans-serif; color: #0b0c0c; max-width: 960px; margin: 0 auto; padding: 24px; line-height: 1.45; }
h1 { font-size: 2rem; margin-bottom: 0.2em; }
h2 { font-size: 1.5rem; margin-top: 2em; border-bottom: 2px solid #1d70b8; padding-bottom: 0.2em; }
h3 { font-size: 1.15rem; margin-top: 1.4em; }
.subtitle { color: #505a5f; font-size: 1.1rem; }
table { border-collapse: collapse; margin: 1em 0 1.5em; min-width: 50%; }
caption { text-align: left; font-weight: bold; padding-bottom: 0.4em; }
th, td { border-bottom: 1px solid #b1b4b6; padding: 6px 12px 6px 0; text-align: left; vertical-align: top; }
td.number, th.number { text-align: right; }
tr.total td { font-weight: bold; border-top: 2px solid #0b0c0c; }
figure { margin: 1em 0; }
svg { max-width: 100%; height: auto; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-before: auto; break-after: avoid; }
  h3 { break-after: avoid; }
  table, figure { break-inside: avoid; }
}
"#;

fn is_number(cell: &str) -> bool {
    let trimmed = cell.trim_end_matches('%').trim_start_matches(['+', '-']);
    !trimmed.is_empty() && trimmed.chars().all(|c| c.is_ascii_digit() || c == '.')
}

pub fn html(report: &Report) -> String {
    let mut body = String::new();
    let mut title = String::new();
    for element in outline(report) {
        match element {
            Element::Title(text) => {
                title = text.clone();
                body.push_str(&format!("<h1>{}</h1>\n", escape(&text)));
            }
            Element::Subtitle(text) => {
                body.push_str(&format!("<p class=\"subtitle\">{}</p>\n", escape(&text)))
            }
            Element::Heading(text) => body.push_str(&format!("<h2>{}</h2>\n", escape(&text))),
            Element::Subheading(text) => body.push_str(&format!("<h3>{}</h3>\n", escape(&text))),
            Element::Paragraph(text) => body.push_str(&format!("<p>{}</p>\n", escape(&text))),
            Element::Bullets(items) => {
                body.push_str("<ul>\n");
                for item in items {
                    body.push_str(&format!("<li>{}</li>\n", escape(&item)));
                }
                body.push_str("</ul>\n");
            }
            Element::Table(table) => {
                body.push_str(&format!(
                    "<table>\n<caption>{}</caption>\n<thead><tr>",
                    escape(&table.caption)
                ));
                for (i, cell) in table.header.iter().enumerate() {
                    let class = if i > 0 { " class=\"number\"" } else { "" };
                    body.push_str(&format!("<th scope=\"col\"{class}>{}</th>", escape(cell)));
                }
                body.push_str("</tr></thead>\n<tbody>\n");
                let rows = table
                    .rows
                    .iter()
                    .map(|r| (r, false))
                    .chain(table.total.iter().map(|r| (r, true)));
                for (row, total) in rows {
                    body.push_str(if total {
                        "<tr class=\"total\">"
                    } else {
                        "<tr>"
                    });
                    for (i, cell) in row.iter().enumerate() {
                        if i == 0 {
                            body.push_str(&format!("<th scope=\"row\">{}</th>", escape(cell)));
                        } else {
                            let class = if is_number(cell) {
                                " class=\"number\""
                            } else {
                                ""
                            };
                            body.push_str(&format!("<td{class}>{}</td>", escape(cell)));
                        }
                    }
                    body.push_str("</tr>\n");
                }
                body.push_str("</tbody>\n</table>\n");
            }
            Element::Chart(chart) => body.push_str(&format!("<figure>{}</figure>\n", chart.svg)),
        }
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(&title)
    )
}

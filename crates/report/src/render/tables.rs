//! The data formats: every table of the report as CSV (one block per table) and as an Excel
//! workbook (one worksheet per table).

use super::outline::tables;
use crate::Report;
use rust_xlsxwriter::{Format, Workbook};

/// One CSV file: each table as a block headed by its caption, blocks separated by a blank line.
pub fn csv(report: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut writer = redress_interchange::SafeCsv::flexible(Vec::new());
    for (i, table) in tables(report).iter().enumerate() {
        if i > 0 {
            writer.write_record([""])?;
        }
        writer.write_record([format!("{}: {}", table.name, table.caption)])?;
        writer.write_record(&table.header)?;
        for row in table.rows.iter().chain(table.total.iter()) {
            writer.write_record(row)?;
        }
    }
    writer.flush()?;
    writer.into_inner()
}

fn number(cell: &str) -> Option<f64> {
    cell.trim_end_matches('%').parse().ok()
}

pub fn xlsx(report: &Report) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let caption = Format::new().set_bold().set_font_size(13);
    for table in tables(report) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(&table.name)?;
        sheet.write_string_with_format(0, 0, &table.caption, &caption)?;
        for (column, heading) in table.header.iter().enumerate() {
            sheet.write_string_with_format(1, column as u16, heading, &bold)?;
        }
        let rows = table
            .rows
            .iter()
            .map(|r| (r, false))
            .chain(table.total.iter().map(|r| (r, true)));
        for (i, (row, total)) in rows.enumerate() {
            for (column, cell) in row.iter().enumerate() {
                let (r, c) = (i as u32 + 2, column as u16);
                match (number(cell), total) {
                    (Some(n), true) if column > 0 => {
                        sheet.write_number_with_format(r, c, n, &bold)?
                    }
                    (Some(n), false) if column > 0 && !cell.ends_with('%') => {
                        sheet.write_number(r, c, n)?
                    }
                    (_, true) => sheet.write_string_with_format(r, c, cell, &bold)?,
                    _ => sheet.write_string(r, c, cell)?,
                };
            }
        }
        sheet.set_column_width(0, 42)?;
        sheet.set_column_width(1, 16)?;
    }
    workbook.save_to_buffer()
}

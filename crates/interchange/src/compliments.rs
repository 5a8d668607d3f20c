//! The compliments CSV: `received_on, team, summary` and an optional `consent_to_publish`.

use crate::cells::{open, Cells};
use crate::{RowError, RowErrors};
use chrono::NaiveDate;
use std::io;

pub const COMPLIMENT_COLUMNS: [&str; 4] = ["received_on", "team", "summary", "consent_to_publish"];
const REQUIRED: [&str; 3] = ["received_on", "team", "summary"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplimentRow {
    pub line: u64,
    pub received_on: NaiveDate,
    pub team: String,
    pub summary: String,
    pub consent_to_publish: bool,
}

pub fn parse_compliments(input: impl io::Read) -> Result<Vec<ComplimentRow>, RowErrors> {
    let (mut reader, header, mut errors) = open(input, &COMPLIMENT_COLUMNS, &REQUIRED)?;
    let mut rows = Vec::new();
    for result in reader.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(RowError {
                    line,
                    column: None,
                    field: "row".into(),
                    message: e.to_string(),
                });
                break;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |p| p.line());
        let mut cells = Cells::new(line, &header, &record, &mut errors);
        let received_on = cells.required_date("received_on");
        let team = cells.text("team").to_string();
        if team.is_empty() {
            cells.fail("team", "must not be empty");
        }
        let summary = cells.text("summary").to_string();
        if summary.is_empty() {
            cells.fail("summary", "must not be empty");
        }
        let consent_to_publish = cells.flag("consent_to_publish");
        if let (Some(received_on), false) = (received_on, cells.failed) {
            rows.push(ComplimentRow {
                line,
                received_on,
                team,
                summary,
                consent_to_publish,
            });
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

pub fn write_compliments<'a>(
    output: impl io::Write,
    rows: impl IntoIterator<Item = (NaiveDate, &'a str, &'a str, bool)>,
) -> Result<(), csv::Error> {
    let mut writer = crate::SafeCsv::new(output);
    writer.write_record(COMPLIMENT_COLUMNS)?;
    for (received_on, team, summary, consent) in rows {
        writer.write_record([
            received_on.to_string().as_str(),
            team,
            summary,
            if consent { "yes" } else { "no" },
        ])?;
    }
    writer.flush()?;
    Ok(())
}

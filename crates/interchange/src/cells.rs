//! Reading one CSV record by column name, collecting every fault with its line and column.

use crate::{RowError, RowErrors};
use chrono::NaiveDate;
use csv::StringRecord;
use redress_calendar::parse_iso_date;
use std::collections::HashMap;

/// The header of a file: where each known column is.
pub(crate) struct Header {
    positions: HashMap<&'static str, usize>,
}

/// Opens a CSV file and checks its header, or returns every fault in it.
pub(crate) fn open<R: std::io::Read>(
    input: R,
    known: &[&'static str],
    required: &[&'static str],
) -> Result<(csv::Reader<R>, Header, RowErrors), RowErrors> {
    let mut errors = RowErrors::new();
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header = match reader.headers() {
        Ok(h) => Header::read(h, known, required, &mut errors),
        Err(e) => {
            errors.push(RowError {
                line: 1,
                column: None,
                field: "header".into(),
                message: e.to_string(),
            });
            return Err(errors);
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((reader, header, errors))
}

impl Header {
    /// Checks the header row: every column known, none twice, the required ones present.
    pub(crate) fn read(
        header: &StringRecord,
        known: &[&'static str],
        required: &[&'static str],
        errors: &mut RowErrors,
    ) -> Header {
        let mut positions = HashMap::new();
        for (index, raw) in header.iter().enumerate() {
            let name = raw.trim().trim_start_matches('\u{feff}');
            match known.iter().find(|k| **k == name) {
                Some(known_name) => {
                    if positions.insert(*known_name, index).is_some() {
                        errors.push(RowError {
                            line: 1,
                            column: Some(index + 1),
                            field: name.to_string(),
                            message: "this column appears twice".into(),
                        });
                    }
                }
                None => errors.push(RowError {
                    line: 1,
                    column: Some(index + 1),
                    field: name.to_string(),
                    message: format!(
                        "unknown column '{name}': the columns are {}",
                        known.join(", ")
                    ),
                }),
            }
        }
        for name in required {
            if !positions.contains_key(name) {
                errors.push(RowError {
                    line: 1,
                    column: None,
                    field: (*name).to_string(),
                    message: format!("the required column '{name}' is missing"),
                });
            }
        }
        Header { positions }
    }
}

/// One record, read by column name.
pub(crate) struct Cells<'a> {
    pub line: u64,
    header: &'a Header,
    record: &'a StringRecord,
    pub errors: &'a mut RowErrors,
    pub failed: bool,
}

impl<'a> Cells<'a> {
    pub(crate) fn new(
        line: u64,
        header: &'a Header,
        record: &'a StringRecord,
        errors: &'a mut RowErrors,
    ) -> Self {
        Cells {
            line,
            header,
            record,
            errors,
            failed: false,
        }
    }

    /// The trimmed cell, or "" when the column is absent; a formula-safe `'` that Redress's
    /// export added is taken off.
    pub(crate) fn text(&self, name: &str) -> &'a str {
        self.header
            .positions
            .get(name)
            .and_then(|i| self.record.get(*i))
            .map(|cell| crate::unescape_formula(cell.trim()))
            .unwrap_or("")
    }

    pub(crate) fn optional(&self, name: &str) -> Option<String> {
        let text = self.text(name);
        (!text.is_empty()).then(|| text.to_string())
    }

    pub(crate) fn fail(&mut self, name: &str, message: impl Into<String>) {
        self.failed = true;
        let column = self.header.positions.get(name).map(|i| i + 1);
        self.errors.push(RowError {
            line: self.line,
            column,
            field: name.to_string(),
            message: message.into(),
        });
    }

    pub(crate) fn date(&mut self, name: &str) -> Option<NaiveDate> {
        let text = self.text(name);
        if text.is_empty() {
            return None;
        }
        match parse_iso_date(text) {
            Ok(date) => Some(date),
            Err(e) => {
                self.fail(name, e.to_string());
                None
            }
        }
    }

    pub(crate) fn required_date(&mut self, name: &str) -> Option<NaiveDate> {
        if self.text(name).is_empty() {
            self.fail(name, "must not be empty");
            return None;
        }
        self.date(name)
    }

    /// `yes` or `no`; empty is `no`.
    pub(crate) fn flag(&mut self, name: &str) -> bool {
        match self.text(name).to_ascii_lowercase().as_str() {
            "" | "no" => false,
            "yes" => true,
            other => {
                let message = format!("'{other}' is not yes or no");
                self.fail(name, message);
                false
            }
        }
    }

    /// A vocabulary value; `default` when empty (or an error when there is none).
    pub(crate) fn value<T>(
        &mut self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, String>,
        default: Option<T>,
    ) -> Option<T> {
        let text = self.text(name);
        if text.is_empty() {
            if default.is_none() {
                self.fail(name, "must not be empty");
            }
            return default;
        }
        match parse(text) {
            Ok(value) => Some(value),
            Err(message) => {
                self.fail(name, message);
                None
            }
        }
    }
}

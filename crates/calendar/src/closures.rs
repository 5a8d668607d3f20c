use crate::{parse_iso_date, CalendarError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A day an organisation is closed on top of the national bank holidays.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    pub date: NaiveDate,
    pub label: String,
}

/// Reads a closures file: one `YYYY-MM-DD` a line, optionally followed by a label. Blank lines
/// and lines starting with `#` are skipped.
pub fn parse_closures(text: &str) -> Result<Vec<Closure>, CalendarError> {
    let mut closures = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let indent = raw.len() - raw.trim_start().len();
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (date_text, label) = match line.split_once(char::is_whitespace) {
            Some((date, label)) => (date, label.trim()),
            None => (line, ""),
        };
        let date = parse_iso_date(date_text).map_err(|e| CalendarError::Closure {
            line: index + 1,
            column: indent + 1,
            message: e.to_string(),
        })?;
        closures.push(Closure {
            date,
            label: if label.is_empty() {
                "organisation closure day".to_string()
            } else {
                label.to_string()
            },
        });
    }
    Ok(closures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dates_labels_and_comments() {
        let closures =
            parse_closures("# office shut\n2021-12-29 Christmas closure\n\n2021-12-30\n").unwrap();
        assert_eq!(closures.len(), 2);
        assert_eq!(closures[0].label, "Christmas closure");
        assert_eq!(closures[1].label, "organisation closure day");
    }

    #[test]
    fn a_bad_line_is_named_with_its_line_and_column() {
        let err = parse_closures("2021-12-29\n  2021-12-32\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "closures line 2, column 3: '2021-12-32' is not a real date: December 2021 has 31 days"
        );
    }
}

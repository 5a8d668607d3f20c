use crate::{parse_iso_date, CalendarError, Division};
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;

/// The copy of gov.uk's `bank-holidays.json` shipped in the binary (2015 to 2028).
const BUILT_IN: &str = include_str!("../data/bank-holidays.json");

/// One bank holiday as gov.uk lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Holiday {
    #[serde(deserialize_with = "iso_date")]
    pub date: NaiveDate,
    pub title: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Deserialize)]
struct DivisionEvents {
    events: Vec<Holiday>,
}

#[derive(Deserialize)]
struct GovUkFile {
    #[serde(rename = "england-and-wales")]
    england_and_wales: Option<DivisionEvents>,
    scotland: Option<DivisionEvents>,
    #[serde(rename = "northern-ireland")]
    northern_ireland: Option<DivisionEvents>,
    #[serde(flatten)]
    other: BTreeMap<String, serde::de::IgnoredAny>,
}

/// Bank holidays for each division, as read from a gov.uk-format file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidaySource {
    divisions: BTreeMap<Division, Vec<Holiday>>,
}

fn iso_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse_iso_date(&text).map_err(serde::de::Error::custom)
}

impl HolidaySource {
    /// The built-in data. It is checked by the test suite, so failure here is a build defect.
    pub fn built_in() -> Self {
        static PARSED: std::sync::OnceLock<HolidaySource> = std::sync::OnceLock::new();
        PARSED
            .get_or_init(|| {
                Self::from_gov_uk_json(BUILT_IN).expect("built-in bank-holiday data is valid")
            })
            .clone()
    }

    /// Reads the gov.uk format: `{"england-and-wales": {"division": ..., "events": [...]}, ...}`.
    /// Keys other than the three divisions are ignored so that gov.uk may add fields.
    pub fn from_gov_uk_json(text: &str) -> Result<Self, CalendarError> {
        let file: GovUkFile = serde_json::from_str(text).map_err(json_error)?;
        let divisions = [
            (Division::EnglandAndWales, file.england_and_wales),
            (Division::Scotland, file.scotland),
            (Division::NorthernIreland, file.northern_ireland),
        ]
        .into_iter()
        .filter_map(|(division, events)| events.map(|e| (division, sorted(e.events))))
        .collect::<BTreeMap<_, _>>();
        if divisions.is_empty() {
            let found: Vec<&str> = file.other.keys().map(String::as_str).collect();
            return Err(CalendarError::Format {
                message: format!(
                    "none of england-and-wales, scotland, northern-ireland is present (found: {})",
                    if found.is_empty() {
                        "nothing".to_string()
                    } else {
                        found.join(", ")
                    }
                ),
                line: 1,
                column: 1,
            });
        }
        Ok(HolidaySource { divisions })
    }

    pub fn holidays(&self, division: Division) -> Result<&[Holiday], CalendarError> {
        self.divisions
            .get(&division)
            .map(Vec::as_slice)
            .ok_or_else(|| CalendarError::MissingDivision(division.to_string()))
    }
}

fn sorted(mut events: Vec<Holiday>) -> Vec<Holiday> {
    events.sort_by_key(|h| h.date);
    events
}

fn json_error(err: serde_json::Error) -> CalendarError {
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let full = err.to_string();
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
    let (line, column) = (err.line(), err.column());
    match err.classify() {
        serde_json::error::Category::Data => CalendarError::Format {
            message,
            line,
            column,
        },
        _ => CalendarError::Json {
            message,
            line,
            column,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_data_has_all_three_divisions() {
        let source = HolidaySource::built_in();
        for division in Division::ALL {
            assert!(source.holidays(division).unwrap().len() > 100);
        }
    }

    #[test]
    fn syntax_errors_name_line_and_column() {
        let err = HolidaySource::from_gov_uk_json("{\n  \"scotland\": [\n").unwrap_err();
        assert!(matches!(err, CalendarError::Json { line: 3, .. }), "{err}");
    }

    #[test]
    fn a_bad_event_date_is_a_format_error_at_its_line() {
        let text = r#"{"scotland": {"division": "scotland", "events": [
            {"title": "New Year's Day", "date": "2021-01-01"},
            {"title": "Bad", "date": "2021-02-30"}
        ]}}"#;
        let err = HolidaySource::from_gov_uk_json(text).unwrap_err();
        match err {
            CalendarError::Format { message, line, .. } => {
                assert_eq!(line, 3);
                assert!(message.contains("February 2021 has 28 days"), "{message}");
            }
            other => panic!("expected a format error, got {other}"),
        }
    }

    #[test]
    fn a_file_without_divisions_says_what_it_found() {
        let err = HolidaySource::from_gov_uk_json(r#"{"wales": {"events": []}}"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("found: wales"), "{err}");
    }
}

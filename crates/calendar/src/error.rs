use chrono::{Datelike, NaiveDate};
use thiserror::Error;

/// A date the loaded bank-holiday data does not reach. Treating it as a year without holidays
/// would silently put deadlines on Christmas Day, so the caller is told to load newer data.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("no bank-holiday data for {year} (the calendar covers {first} to {last}): load a newer calendar")]
pub struct OutOfCoverage {
    pub year: i32,
    pub first: i32,
    pub last: i32,
}

impl OutOfCoverage {
    pub(crate) fn for_date(date: NaiveDate, first: NaiveDate, last: NaiveDate) -> Self {
        OutOfCoverage {
            year: date.year(),
            first: first.year(),
            last: last.year(),
        }
    }
}

/// Why a calendar could not be read or built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    #[error("calendar is not valid JSON: {message} at line {line}, column {column}")]
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("calendar is not in the gov.uk bank-holidays format: {message} at line {line}, column {column}")]
    Format {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("calendar has no '{0}' division")]
    MissingDivision(String),
    #[error("calendar's {division} division has no bank holidays")]
    Empty { division: String },
    #[error(
        "calendar's {division} division has no bank holidays in {year}: the file looks incomplete"
    )]
    Gap { division: String, year: i32 },
    #[error("closure day {date} is outside the calendar's coverage ({first} to {last})")]
    ClosureOutOfCoverage {
        date: NaiveDate,
        first: i32,
        last: i32,
    },
    #[error("closures line {line}, column {column}: {message}")]
    Closure {
        line: usize,
        column: usize,
        message: String,
    },
}

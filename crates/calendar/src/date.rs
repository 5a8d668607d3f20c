use chrono::NaiveDate;
use thiserror::Error;

/// Why a piece of text is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    #[error("'{0}' is not a date in the form YYYY-MM-DD")]
    Format(String),
    #[error("'{0}' is not a real date: {1}")]
    Impossible(String, String),
}

/// Parses a strict ISO date (`2021-02-28`). Impossible days such as `2021-02-30` are named as
/// such, because "input is out of range" does not tell a clerk what to fix.
pub fn parse_iso_date(text: &str) -> Result<NaiveDate, DateError> {
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return Err(DateError::Format(text.to_string()));
    }
    let year: i32 = text[0..4].parse().expect("four digits");
    let month: u32 = text[5..7].parse().expect("two digits");
    let day: u32 = text[8..10].parse().expect("two digits");
    if !(1..=12).contains(&month) {
        return Err(DateError::Impossible(
            text.to_string(),
            format!("there is no month {month}"),
        ));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let days_in_month = (28..=31)
            .rev()
            .find(|d| NaiveDate::from_ymd_opt(year, month, *d).is_some())
            .unwrap_or(28);
        let month_name = NaiveDate::from_ymd_opt(year, month, 1)
            .map(|d| d.format("%B %Y").to_string())
            .unwrap_or_default();
        DateError::Impossible(
            text.to_string(),
            format!("{month_name} has {days_in_month} days"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_dates_and_names_impossible_ones() {
        assert_eq!(
            parse_iso_date("2020-02-29"),
            Ok(NaiveDate::from_ymd_opt(2020, 2, 29).unwrap())
        );
        assert_eq!(
            parse_iso_date("2021-02-30").unwrap_err().to_string(),
            "'2021-02-30' is not a real date: February 2021 has 28 days"
        );
        assert_eq!(
            parse_iso_date("2021-13-01").unwrap_err().to_string(),
            "'2021-13-01' is not a real date: there is no month 13"
        );
        assert!(matches!(
            parse_iso_date("1/2/2021"),
            Err(DateError::Format(_))
        ));
        assert!(matches!(
            parse_iso_date("2021-1-01"),
            Err(DateError::Format(_))
        ));
    }
}

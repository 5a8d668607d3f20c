use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// A reporting period: a financial year (1 April to 31 March) or one of its quarters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// `2020/21`, or `2020/21 Q1`.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The financial year's first calendar year: 2020 for 2020/21.
    pub year: i32,
    pub quarter: Option<u8>,
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a real date")
}

impl Period {
    pub fn financial_year(year: i32) -> Period {
        Period {
            label: format!("{year}/{:02}", (year + 1).rem_euclid(100)),
            from: date(year, 4, 1),
            to: date(year + 1, 3, 31),
            year,
            quarter: None,
        }
    }

    /// Quarter 1 is April to June.
    pub fn quarter(year: i32, quarter: u8) -> Result<Period, String> {
        if !(1..=4).contains(&quarter) {
            return Err(format!("quarter must be 1, 2, 3 or 4, not {quarter}"));
        }
        let start_month = 4 + (quarter as u32 - 1) * 3;
        let (from_year, from_month) = if start_month > 12 {
            (year + 1, start_month - 12)
        } else {
            (year, start_month)
        };
        let from = date(from_year, from_month, 1);
        let next = if from_month + 3 > 12 {
            date(from_year + 1, from_month + 3 - 12, 1)
        } else {
            date(from_year, from_month + 3, 1)
        };
        Ok(Period {
            label: format!("{} Q{quarter}", Period::financial_year(year).label),
            from,
            to: next.pred_opt().expect("a day before"),
            year,
            quarter: Some(quarter),
        })
    }

    /// The same period a year earlier.
    pub fn previous(&self) -> Period {
        match self.quarter {
            None => Period::financial_year(self.year - 1),
            Some(q) => Period::quarter(self.year - 1, q).expect("a valid quarter"),
        }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The quarter (1 to 4) of the financial year a date falls in.
    pub fn quarter_of(day: NaiveDate) -> u8 {
        match day.month() {
            4..=6 => 1,
            7..=9 => 2,
            10..=12 => 3,
            _ => 4,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn financial_years_and_quarters() {
        let year = Period::financial_year(2020);
        assert_eq!(year.label, "2020/21");
        assert_eq!((year.from, year.to), (date(2020, 4, 1), date(2021, 3, 31)));
        let q4 = Period::quarter(2020, 4).unwrap();
        assert_eq!((q4.from, q4.to), (date(2021, 1, 1), date(2021, 3, 31)));
        assert_eq!(q4.label, "2020/21 Q4");
        assert_eq!(Period::quarter(2020, 3).unwrap().to, date(2020, 12, 31));
        assert_eq!(q4.previous().label, "2019/20 Q4");
        assert_eq!(Period::financial_year(1999).label, "1999/00");
        assert!(Period::quarter(2020, 5).is_err());
    }
}

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
    /// The day its open work is judged on: the earlier of today and `to`, so a period not yet
    /// over counts nothing as overdue that is not overdue yet (LGSCO Code 10.4: report what
    /// happened, not what may).
    pub judged_on: NaiveDate,
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
            judged_on: date(year + 1, 3, 31),
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
        let to = next.pred_opt().expect("a day before");
        Ok(Period {
            label: format!("{} Q{quarter}", Period::financial_year(year).label),
            from,
            to,
            year,
            quarter: Some(quarter),
            judged_on: to,
        })
    }

    /// The period judged as of `today`: its open work as of the earlier of today and its end.
    pub fn judged_as_of(mut self, today: NaiveDate) -> Period {
        self.judged_on = today.min(self.to);
        self
    }

    /// The same period a year earlier, judged no later than this one.
    pub fn previous(&self) -> Period {
        let previous = match self.quarter {
            None => Period::financial_year(self.year - 1),
            Some(q) => Period::quarter(self.year - 1, q).expect("a valid quarter"),
        };
        previous.judged_as_of(self.judged_on)
    }

    /// Quarter `quarter` of this period's financial year, judged no later than this period.
    pub fn quarter_of_year(&self, quarter: u8) -> Result<Period, String> {
        Ok(Period::quarter(self.year, quarter)?.judged_as_of(self.judged_on))
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

    #[test]
    fn a_period_not_yet_over_is_judged_today() {
        let today = date(2026, 12, 5);
        let year = Period::financial_year(2026).judged_as_of(today);
        assert_eq!(year.judged_on, today);
        assert_eq!(year.previous().judged_on, date(2026, 3, 31));
        assert_eq!(
            year.quarter_of_year(2).unwrap().judged_on,
            date(2026, 9, 30)
        );
        assert_eq!(year.quarter_of_year(4).unwrap().judged_on, today);
        let past = Period::financial_year(2020).judged_as_of(today);
        assert_eq!(past.judged_on, date(2021, 3, 31));
    }
}

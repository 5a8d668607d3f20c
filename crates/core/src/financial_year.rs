//! A council reports by financial year (1 April to 31 March) and its quarters. Both are parsed
//! once, at the edge, into types that cannot hold a year or quarter the reports cannot count.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A financial year, named by its first calendar year: 2020 is 2020/21.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i32", into = "i32")]
pub struct FinancialYear(i32);

impl FinancialYear {
    /// The years Redress reports on: the statutory procedure dates from 2006, and dates past
    /// 2100 are beyond any bank-holiday list a council could load.
    pub const FIRST: i32 = 2000;
    pub const LAST: i32 = 2100;

    pub fn new(year: i32) -> Result<Self, String> {
        if (Self::FIRST..=Self::LAST).contains(&year) {
            Ok(FinancialYear(year))
        } else {
            Err(format!(
                "{year} is not a financial year Redress reports on: give its first year, from {} to {}",
                Self::FIRST,
                Self::LAST
            ))
        }
    }

    /// "2020" (for 2020/21).
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let year: i32 = text.parse().map_err(|_| {
            format!("'{text}' is not a financial year: give its first year, e.g. 2020 for 2020/21")
        })?;
        Self::new(year)
    }

    pub fn first_year(self) -> i32 {
        self.0
    }
}

impl TryFrom<i32> for FinancialYear {
    type Error = String;
    fn try_from(year: i32) -> Result<Self, String> {
        Self::new(year)
    }
}

impl From<FinancialYear> for i32 {
    fn from(year: FinancialYear) -> i32 {
        year.0
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

/// A quarter of the financial year: 1 is April to June, 4 is January to March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Quarter(u8);

impl Quarter {
    pub fn new(quarter: u8) -> Result<Self, String> {
        if (1..=4).contains(&quarter) {
            Ok(Quarter(quarter))
        } else {
            Err(format!("quarter must be 1, 2, 3 or 4, not {quarter}"))
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        text.parse::<u8>()
            .map_err(|_| format!("quarter must be 1, 2, 3 or 4, not '{text}'"))
            .and_then(Self::new)
    }

    pub fn number(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Quarter {
    type Error = String;
    fn try_from(quarter: u8) -> Result<Self, String> {
        Self::new(quarter)
    }
}

impl From<Quarter> for u8 {
    fn from(quarter: Quarter) -> u8 {
        quarter.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_outside_the_range_are_refused_with_the_range() {
        assert!(FinancialYear::parse("300000")
            .unwrap_err()
            .contains("2000 to 2100"));
        assert!(FinancialYear::parse("1999").is_err());
        assert!(FinancialYear::parse("twenty")
            .unwrap_err()
            .contains("'twenty'"));
        assert_eq!(FinancialYear::parse("2020").unwrap().to_string(), "2020/21");
        assert_eq!(FinancialYear::parse("2099").unwrap().to_string(), "2099/00");
    }

    #[test]
    fn quarters_are_one_to_four() {
        assert!(Quarter::parse("5").unwrap_err().contains("not 5"));
        assert!(Quarter::parse("0").is_err());
        assert!(Quarter::parse("x").is_err());
        assert_eq!(Quarter::parse("4").unwrap().number(), 4);
    }

    #[test]
    fn serde_refuses_what_new_refuses() {
        assert!(serde_json::from_str::<FinancialYear>("300000").is_err());
        assert!(serde_json::from_str::<Quarter>("5").is_err());
        assert_eq!(serde_json::from_str::<Quarter>("2").unwrap().number(), 2);
    }
}

//! Today's date, as the UK counts it. Deadlines are civil dates in England, so "today" is the
//! date in Europe/London, whatever time zone the server runs in: at 23:30 UTC on 30 June it is
//! already 1 July in London (BST).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;
use std::sync::Arc;

/// Where "now" comes from: the system clock, or a fixed instant that tests set.
#[derive(Clone, Default)]
pub struct Clock {
    fixed: Option<Arc<DateTime<Utc>>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock { fixed: None }
    }

    /// A clock stopped at one instant, for tests.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock {
            fixed: Some(Arc::new(at)),
        }
    }

    /// A clock stopped at noon, London time, on a date.
    pub fn on(date: NaiveDate) -> Self {
        let noon = date.and_hms_opt(12, 0, 0).unwrap_or_default();
        Clock::fixed(noon.and_utc())
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.fixed {
            Some(at) => **at,
            None => Utc::now(),
        }
    }

    /// Today's date in Europe/London.
    pub fn today(&self) -> NaiveDate {
        london_date(self.now())
    }
}

/// The date in Europe/London at an instant: the day a council counts it as.
pub fn london_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&London).date_naive()
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.fixed {
            Some(at) => write!(f, "Clock(fixed at {at})"),
            None => write!(f, "Clock(system)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn half_past_eleven_utc_on_30_june_is_1_july_in_london() {
        let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 6, 30, 23, 30, 0).unwrap());
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
    }

    #[test]
    fn in_winter_london_is_on_utc() {
        let clock = Clock::fixed(Utc.with_ymd_and_hms(2026, 12, 31, 23, 30, 0).unwrap());
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
        );
    }

    #[test]
    fn a_date_clock_gives_that_date() {
        let date = NaiveDate::from_ymd_opt(2024, 3, 29).unwrap();
        assert_eq!(Clock::on(date).today(), date);
    }
}

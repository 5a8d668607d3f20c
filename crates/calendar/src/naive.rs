//! The day-by-day reference: obviously right, slow. The index in [`crate::Calendar`] is
//! tested against it and benchmarked against it.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::HashSet;

pub fn is_working_day(date: NaiveDate, non_working: &HashSet<NaiveDate>) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && !non_working.contains(&date)
}

/// The `n`th working day strictly after `date`; `n == 0` is the date itself.
pub fn add(date: NaiveDate, n: u32, non_working: &HashSet<NaiveDate>) -> NaiveDate {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = day + Days::new(1);
        if is_working_day(day, non_working) {
            left -= 1;
        }
    }
    day
}

/// Working days in `(from, to]`, negative when `to` is before `from`.
pub fn between(from: NaiveDate, to: NaiveDate, non_working: &HashSet<NaiveDate>) -> i64 {
    let (low, high, sign) = if from <= to {
        (from, to, 1)
    } else {
        (to, from, -1)
    };
    low.iter_days()
        .skip(1)
        .take_while(|d| *d <= high)
        .filter(|d| is_working_day(*d, non_working))
        .count() as i64
        * sign
}

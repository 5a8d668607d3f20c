use crate::{CalendarError, Closure, Division, HolidaySource, OutOfCoverage};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// What kind of day a date is, and so why it is or is not a working day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DayKind {
    Working,
    Saturday,
    Sunday,
    /// A bank holiday of the division: its gov.uk title, and its notes (e.g. "Substitute day").
    BankHoliday {
        title: String,
        notes: String,
    },
    /// One of the organisation's own closure days.
    Closure {
        label: String,
    },
}

impl DayKind {
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Working)
    }
}

impl fmt::Display for DayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DayKind::Working => f.write_str("working day"),
            DayKind::Saturday => f.write_str("Saturday"),
            DayKind::Sunday => f.write_str("Sunday"),
            DayKind::BankHoliday { title, notes } if notes.is_empty() => f.write_str(title),
            DayKind::BankHoliday { title, notes } => {
                write!(f, "{title} ({})", notes.to_lowercase())
            }
            DayKind::Closure { label } => write!(f, "{label} (closure day)"),
        }
    }
}

/// A working-day calendar for one division plus an organisation's closure days.
///
/// Built once into a prefix count over every day of the data's coverage, so that adding and
/// counting working days are two array reads whatever the distance, instead of a walk. The
/// index is shared, so a clone is cheap: every organisation on the national list shares one.
#[derive(Debug, Clone)]
pub struct Calendar {
    division: Division,
    first: NaiveDate,
    last: NaiveDate,
    first_day_number: i32,
    /// `working_up_to[i]`: working days in `[first, first + i]`.
    working_up_to: Arc<[u32]>,
    /// Every working day in the coverage, in order.
    working_days: Arc<[NaiveDate]>,
    /// Why each non-weekend, non-working day is not a working day.
    closed: Arc<HashMap<NaiveDate, DayKind>>,
}

impl Calendar {
    /// The built-in national list for `division`, without closures.
    /// Built once per process and division: a command's start-up loads every organisation.
    pub fn built_in(division: Division) -> Self {
        static BUILT: [OnceLock<Calendar>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
        let slot = match division {
            Division::EnglandAndWales => 0,
            Division::Scotland => 1,
            Division::NorthernIreland => 2,
        };
        BUILT[slot]
            .get_or_init(|| {
                Self::new(&HolidaySource::built_in(), division, &[])
                    .expect("built-in bank-holiday data covers every division")
            })
            .clone()
    }

    /// Builds the index. Coverage runs from 1 January of the first year with a bank holiday to
    /// 31 December of the last; a year in between with none means the file is incomplete.
    pub fn new(
        source: &HolidaySource,
        division: Division,
        closures: &[Closure],
    ) -> Result<Self, CalendarError> {
        let holidays = source.holidays(division)?;
        let (Some(first_holiday), Some(last_holiday)) = (holidays.first(), holidays.last()) else {
            return Err(CalendarError::Empty {
                division: division.to_string(),
            });
        };
        let (first_year, last_year) = (first_holiday.date.year(), last_holiday.date.year());
        for year in first_year..=last_year {
            if !holidays.iter().any(|h| h.date.year() == year) {
                return Err(CalendarError::Gap {
                    division: division.to_string(),
                    year,
                });
            }
        }
        let first = NaiveDate::from_ymd_opt(first_year, 1, 1).expect("1 January exists");
        let last = NaiveDate::from_ymd_opt(last_year, 12, 31).expect("31 December exists");

        let mut closed = HashMap::new();
        for closure in closures {
            if closure.date < first || closure.date > last {
                return Err(CalendarError::ClosureOutOfCoverage {
                    date: closure.date,
                    first: first_year,
                    last: last_year,
                });
            }
            closed.insert(
                closure.date,
                DayKind::Closure {
                    label: closure.label.clone(),
                },
            );
        }
        // Bank holidays go in last so that a closure on a bank holiday reports the holiday.
        for holiday in holidays {
            closed.insert(
                holiday.date,
                DayKind::BankHoliday {
                    title: holiday.title.clone(),
                    notes: holiday.notes.clone(),
                },
            );
        }

        let mut working_up_to = Vec::new();
        let mut working_days = Vec::new();
        for day in first.iter_days().take_while(|d| *d <= last) {
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            if !weekend && !closed.contains_key(&day) {
                working_days.push(day);
            }
            working_up_to.push(working_days.len() as u32);
        }
        Ok(Calendar {
            division,
            first,
            last,
            first_day_number: first.num_days_from_ce(),
            working_up_to: working_up_to.into(),
            working_days: working_days.into(),
            closed: Arc::new(closed),
        })
    }

    pub fn division(&self) -> Division {
        self.division
    }

    /// First and last dates the calendar can answer for.
    pub fn coverage(&self) -> (NaiveDate, NaiveDate) {
        (self.first, self.last)
    }

    fn index(&self, date: NaiveDate) -> Result<usize, OutOfCoverage> {
        let offset = date.num_days_from_ce() - self.first_day_number;
        if offset < 0 || offset as usize >= self.working_up_to.len() {
            return Err(OutOfCoverage::for_date(date, self.first, self.last));
        }
        Ok(offset as usize)
    }

    /// The `n`th working day strictly after `date` (the date itself is day zero).
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, OutOfCoverage> {
        let index = self.index(date)?;
        if n == 0 {
            return Ok(date);
        }
        let position = self.working_up_to[index] as usize + n as usize - 1;
        self.working_days
            .get(position)
            .copied()
            .ok_or(OutOfCoverage {
                year: self.last.year() + 1,
                first: self.first.year(),
                last: self.last.year(),
            })
    }

    /// Working days in `(from, to]`; negative when `to` is before `from`.
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<i64, OutOfCoverage> {
        let (a, b) = (self.index(from)?, self.index(to)?);
        Ok(self.working_up_to[b] as i64 - self.working_up_to[a] as i64)
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> Result<NaiveDate, OutOfCoverage> {
        self.add_working_days(date, 1)
    }

    /// Whether `date` is a working day, and if not, why not.
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, OutOfCoverage> {
        self.index(date)?;
        if let Some(kind) = self.closed.get(&date) {
            return Ok(kind.clone());
        }
        Ok(match date.weekday() {
            Weekday::Sat => DayKind::Saturday,
            Weekday::Sun => DayKind::Sunday,
            _ => DayKind::Working,
        })
    }

    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, OutOfCoverage> {
        self.day_kind(date).map(|k| k.is_working())
    }

    /// Every date closed by a bank holiday or a closure (weekends aside).
    pub fn closed_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.closed.keys().copied()
    }
}

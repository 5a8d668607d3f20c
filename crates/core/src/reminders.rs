//! When a deadline earns a reminder: at each of the organisation's points (working days
//! before it), on the day, and once it is missed. Decided here, on the calendar the deadline
//! is counted on, so the store and the command line only ask.

use crate::timescale::working_days_left;
use crate::{Case, Deadline, Procedure, TimescaleError};
use chrono::NaiveDate;
use redress_calendar::Calendar;

/// The points used when an organisation has set none: a working week before, and the day before.
pub const DEFAULT_POINTS: [u32; 2] = [5, 1];

/// "Due soon" in the lists and the counts: within this many working days (a working week,
/// as the council's weekly digest counts it).
pub const DUE_SOON_WORKING_DAYS: u32 = 5;

/// A reminder's place before or after a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderPoint {
    /// This many working days before.
    Before(u32),
    OnTheDay,
    Breached,
}

impl ReminderPoint {
    /// Its name in a message's key: `5`, `day`, `breach`.
    pub fn key(self) -> String {
        match self {
            ReminderPoint::Before(n) => n.to_string(),
            ReminderPoint::OnTheDay => "day".into(),
            ReminderPoint::Breached => "breach".into(),
        }
    }

    pub fn describe(self) -> String {
        match self {
            ReminderPoint::Before(1) => "is due in 1 working day".into(),
            ReminderPoint::Before(n) => format!("is due in {n} working days"),
            ReminderPoint::OnTheDay => "is due today".into(),
            ReminderPoint::Breached => "is overdue".into(),
        }
    }
}

/// The point a deadline has reached on `today`: the nearest point not yet passed, so that a
/// day on which no reminder was run loses nothing (each point is sent once, by its key).
/// None while the deadline is further off than every point.
pub fn reminder_point(
    calendar: &Calendar,
    due_on: NaiveDate,
    today: NaiveDate,
    points: &[u32],
) -> Result<Option<ReminderPoint>, TimescaleError> {
    let left = working_days_left(calendar, due_on, today)?;
    Ok(match left {
        l if l < 0 => Some(ReminderPoint::Breached),
        0 => Some(ReminderPoint::OnTheDay),
        l => points
            .iter()
            .copied()
            .filter(|p| *p > 0 && l <= *p as i64)
            .min()
            .map(ReminderPoint::Before),
    })
}

/// The deadline a case's reminders count from on `today`, worked out from its facts rather
/// than a stored due date, which goes stale while a clock is stopped. None when nothing is due,
/// or while the open stage's clock is stopped: a paused clock is neither due nor overdue
/// (its due date moves on each day it stays stopped; `Deadline::paused`).
pub fn deadline_in_force(
    case: &Case,
    procedure: &Procedure,
    calendar: &Calendar,
    today: NaiveDate,
) -> Result<Option<Deadline>, TimescaleError> {
    if case.open_stage().is_some_and(|s| s.clock_stopped()) && !case.status.is_final() {
        return Ok(None);
    }
    Ok(case
        .due_on(procedure, calendar, today)?
        .map(|due_on| Deadline {
            due_on,
            paused: false,
        }))
}

/// How a deadline reads in the daily digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DigestBand {
    Overdue,
    DueToday,
    /// Within five working days.
    DueSoon,
}

/// The digest's band for a deadline, or None when it is further off than five working days.
pub fn digest_band(
    calendar: &Calendar,
    due_on: NaiveDate,
    today: NaiveDate,
) -> Result<Option<DigestBand>, TimescaleError> {
    let left = working_days_left(calendar, due_on, today)?;
    Ok(match left {
        l if l < 0 => Some(DigestBand::Overdue),
        0 => Some(DigestBand::DueToday),
        1..=5 => Some(DigestBand::DueSoon),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use redress_calendar::Division;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_stopped_clock_has_no_deadline_to_remind_of() {
        use crate::{Case, Channel, ClockStop, ComplainantRole, Stage, Status};
        let calendar = Calendar::built_in(Division::EnglandAndWales);
        let corporate = Procedure::presets()
            .into_iter()
            .find(|p| p.name == "corporate")
            .unwrap();
        let mut case = Case::received(
            "T-1".into(),
            "corporate".into(),
            day("2026-11-02"),
            Channel::Email,
            ComplainantRole::Parent,
        );
        case.status = Status::InStage;
        let mut stage = Stage::opened(1, day("2026-11-02"));
        stage.clock_stops.push(ClockStop {
            stopped_on: day("2026-11-10"),
            restarted_on: None,
            reason: "waiting".into(),
            recorded_on: None,
        });
        case.stages.push(stage);
        // Due Monday 16 November as stored when it stopped; still stopped on the 20th: none.
        let at = |case: &Case, d: &str| deadline_in_force(case, &corporate, &calendar, day(d));
        assert_eq!(at(&case, "2026-11-20").unwrap(), None);
        // Restarted Monday 23 November: 9 working days stopped, due Friday 27 November.
        case.stages[0].clock_stops[0].restarted_on = Some(day("2026-11-23"));
        let due = at(&case, "2026-12-04").unwrap().unwrap();
        assert_eq!(due.due_on, day("2026-11-27"));
        let point = reminder_point(&calendar, due.due_on, day("2026-12-04"), &DEFAULT_POINTS);
        assert_eq!(point.unwrap(), Some(ReminderPoint::Breached));
    }

    #[test]
    fn each_point_then_the_day_then_the_breach() {
        let calendar = Calendar::built_in(Division::EnglandAndWales);
        // Friday 11 December 2026; the Friday before is 5 working days earlier.
        let due = day("2026-12-11");
        let at = |d: &str| reminder_point(&calendar, due, day(d), &DEFAULT_POINTS).unwrap();
        assert_eq!(at("2026-12-01"), None);
        assert_eq!(at("2026-12-04"), Some(ReminderPoint::Before(5)));
        // A missed run is caught up: three days left still owes the five-day reminder.
        assert_eq!(at("2026-12-08"), Some(ReminderPoint::Before(5)));
        assert_eq!(at("2026-12-10"), Some(ReminderPoint::Before(1)));
        assert_eq!(at("2026-12-11"), Some(ReminderPoint::OnTheDay));
        assert_eq!(at("2026-12-14"), Some(ReminderPoint::Breached));
    }
}

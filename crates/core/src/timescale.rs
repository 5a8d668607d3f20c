//! Due dates, timeliness and working days left, from a stage's rule and its clock.

use crate::procedure::{ClockStart, PanelRule, StageRule};
use chrono::NaiveDate;
use redress_calendar::{Calendar, OutOfCoverage};
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TimescaleError {
    #[error("'{stage}' may be extended to {max} working days at most, not {asked}")]
    ExtensionBeyondCap { stage: String, asked: u32, max: u32 },
    #[error("an extension to {asked} working days is not longer than the {limit} already allowed for '{stage}'")]
    ExtensionNotLonger {
        stage: String,
        asked: u32,
        limit: u32,
    },
    #[error("the clock was restarted on {restarted_on}, before it was stopped on {stopped_on}")]
    RestartBeforeStop {
        stopped_on: NaiveDate,
        restarted_on: NaiveDate,
    },
    #[error(transparent)]
    Calendar(#[from] OutOfCoverage),
}

/// A period the clock did not run, e.g. while the complainant agreed the statement of
/// complaint. The working days in `(stopped_on, restarted_on]` are added to the deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ClockStop {
    pub stopped_on: NaiveDate,
    /// `None` while the clock is still stopped.
    pub restarted_on: Option<NaiveDate>,
    #[serde(default)]
    pub reason: String,
}

/// What is known of one stage's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageClock<'a> {
    /// The day the complaint or the request for this stage was received.
    pub started_on: NaiveDate,
    pub acknowledged_on: Option<NaiveDate>,
    /// The response limit after an extension, in working days.
    pub extended_to: Option<u32>,
    pub stops: &'a [ClockStop],
}

impl<'a> StageClock<'a> {
    pub fn started(started_on: NaiveDate) -> Self {
        StageClock {
            started_on,
            acknowledged_on: None,
            extended_to: None,
            stops: &[],
        }
    }
}

/// The deadline in force for a stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Deadline {
    pub due_on: NaiveDate,
    /// The clock is stopped now, so `due_on` will move when it restarts.
    pub paused: bool,
}

impl StageRule {
    /// The response limit in force: the extension if one was granted, within the cap.
    pub fn limit_in_force(&self, extended_to: Option<u32>) -> Result<u32, TimescaleError> {
        match extended_to {
            None => Ok(self.respond_within),
            Some(asked) if asked > self.max_extended_to => {
                Err(TimescaleError::ExtensionBeyondCap {
                    stage: self.name.clone(),
                    asked,
                    max: self.max_extended_to,
                })
            }
            Some(asked) if asked <= self.respond_within => {
                Err(TimescaleError::ExtensionNotLonger {
                    stage: self.name.clone(),
                    asked,
                    limit: self.respond_within,
                })
            }
            Some(asked) => Ok(asked),
        }
    }

    /// The day the response clock starts. Under an acknowledgement-based code, before the
    /// acknowledgement is sent the clock is taken to start at the latest permitted one.
    pub fn clock_starts_on(
        &self,
        calendar: &Calendar,
        clock: &StageClock,
    ) -> Result<NaiveDate, TimescaleError> {
        match (self.clock_start, clock.acknowledged_on) {
            (ClockStart::Receipt, _) => Ok(clock.started_on),
            (ClockStart::Acknowledgement, Some(acknowledged)) => Ok(acknowledged),
            (ClockStart::Acknowledgement, None) => Ok(calendar
                .add_working_days(clock.started_on, self.acknowledge_within.unwrap_or(0))?),
        }
    }

    /// The due date in force on `as_of`. An open clock stop counts as running until `as_of`.
    pub fn deadline(
        &self,
        calendar: &Calendar,
        clock: &StageClock,
        as_of: NaiveDate,
    ) -> Result<Deadline, TimescaleError> {
        let limit = self.limit_in_force(clock.extended_to)?;
        let mut paused_days = 0i64;
        let mut paused = false;
        for stop in clock.stops {
            let restarted_on = match stop.restarted_on {
                Some(r) if r < stop.stopped_on => {
                    return Err(TimescaleError::RestartBeforeStop {
                        stopped_on: stop.stopped_on,
                        restarted_on: r,
                    })
                }
                Some(r) => r,
                None => {
                    paused = true;
                    as_of.max(stop.stopped_on)
                }
            };
            paused_days += calendar.working_days_between(stop.stopped_on, restarted_on)?;
        }
        let start = self.clock_starts_on(calendar, clock)?;
        let total = limit as i64 + paused_days;
        let due_on = calendar.add_working_days(start, total as u32)?;
        Ok(Deadline { due_on, paused })
    }

    /// Whether a response sent on `responded_on` met the deadline in force. A Stage 3 panel is
    /// judged by [`PanelRule::within_timescale`] instead.
    pub fn responded_within_timescale(
        &self,
        calendar: &Calendar,
        clock: &StageClock,
        responded_on: NaiveDate,
    ) -> Result<bool, TimescaleError> {
        Ok(responded_on <= self.deadline(calendar, clock, responded_on)?.due_on)
    }

    /// Whether a request for the next stage, made on `requested_on`, came inside this stage's
    /// window after its response. Always true when the procedure sets no window.
    pub fn next_stage_requested_in_time(
        &self,
        calendar: &Calendar,
        responded_on: NaiveDate,
        requested_on: NaiveDate,
    ) -> Result<bool, TimescaleError> {
        match self.request_next_within {
            None => Ok(true),
            Some(window) => Ok(requested_on <= calendar.add_working_days(responded_on, window)?),
        }
    }
}

impl PanelRule {
    /// Stage 3 is within timescale when the panel met within `meet_within` working days of the
    /// request and the council's response went out within `report_within + respond_within`
    /// working days of the panel.
    pub fn within_timescale(
        &self,
        calendar: &Calendar,
        requested_on: NaiveDate,
        panel_on: NaiveDate,
        responded_on: NaiveDate,
    ) -> Result<bool, TimescaleError> {
        let panel_due = calendar.add_working_days(requested_on, self.meet_within)?;
        let response_due = calendar.add_working_days(panel_on, self.response_after_panel())?;
        Ok(panel_on <= panel_due && responded_on <= response_due)
    }
}

/// Working days from `today` to `due_on`: positive when there is time left, negative when
/// overdue (by that many working days), zero on the day itself.
pub fn working_days_left(
    calendar: &Calendar,
    due_on: NaiveDate,
    today: NaiveDate,
) -> Result<i64, TimescaleError> {
    Ok(calendar.working_days_between(today, due_on)?)
}

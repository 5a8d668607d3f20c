//! Due dates, timeliness and working days left, from a stage's rule and its clock.

use crate::procedure::{AgreedPeriodRule, ClockStart, PanelRule, StageRule};
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
    /// The day the stop was recorded, when after `stopped_on`: a backdated stop is kept, and
    /// shown as recorded late.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_on: Option<NaiveDate>,
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
    /// Response periods agreed with the complainant, where the rule has them.
    pub response_periods: &'a [crate::ResponsePeriod],
}

impl<'a> StageClock<'a> {
    pub fn started(started_on: NaiveDate) -> Self {
        StageClock {
            started_on,
            acknowledged_on: None,
            extended_to: None,
            stops: &[],
            response_periods: &[],
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

    /// The day the response clock starts. Under an acknowledgement-based code (LGSCO Code
    /// paras 5.1 and 6.2) it is the actual acknowledgement, or the acknowledgement limit when
    /// the acknowledgement is late or not yet sent: a late acknowledgement never buys time.
    pub fn clock_starts_on(
        &self,
        calendar: &Calendar,
        clock: &StageClock,
    ) -> Result<NaiveDate, TimescaleError> {
        if self.clock_start == ClockStart::Receipt {
            return Ok(clock.started_on);
        }
        let limit =
            calendar.add_working_days(clock.started_on, self.acknowledge_within.unwrap_or(0))?;
        Ok(match clock.acknowledged_on {
            Some(acknowledged) if acknowledged <= limit => acknowledged.max(clock.started_on),
            _ => limit,
        })
    }

    /// The due date in force on `as_of`. An open clock stop counts as running until `as_of`.
    pub fn deadline(
        &self,
        calendar: &Calendar,
        clock: &StageClock,
        as_of: NaiveDate,
    ) -> Result<Deadline, TimescaleError> {
        if let Some(agreed) = self.agreed_period {
            return agreed_deadline(agreed, calendar, clock, as_of);
        }
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

/// SI 2009/309 reg. 14(2): the response is due in the period agreed with the complainant (the
/// latest agreement made by `as_of`), or, where none is agreed, within the period of six
/// months beginning on the day the complaint was received, so ending the day before the same
/// date six months on. The Regulations count that period in calendar months, not working days.
fn agreed_deadline(
    rule: AgreedPeriodRule,
    calendar: &Calendar,
    clock: &StageClock,
    as_of: NaiveDate,
) -> Result<Deadline, TimescaleError> {
    let due_on = match clock
        .response_periods
        .iter()
        .rfind(|p| p.agreed_on <= as_of)
    {
        Some(period) => calendar.add_working_days(period.agreed_on, period.working_days)?,
        None => default_period_end(rule, clock.started_on),
    };
    Ok(Deadline {
        due_on,
        paused: false,
    })
}

/// The last day of the default period: `default_months` beginning on `received_on`.
pub(crate) fn default_period_end(rule: AgreedPeriodRule, received_on: NaiveDate) -> NaiveDate {
    received_on
        .checked_add_months(chrono::Months::new(rule.default_months))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// How a review panel stage is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PanelJudgement {
    pub in_time: bool,
    /// The report date was unknown, so the response was judged against 20 working days from
    /// the panel instead of the three limits.
    pub fallback: bool,
}

impl PanelRule {
    /// Regs. 19 and 20: the panel meets within `meet_within` (30) working days of the request,
    /// reports within `report_within` (5) of meeting, and the council responds within
    /// `respond_within` (15) of the report. All three must hold. Where the report's date is
    /// unknown (imported history), the response is judged against `report_within +
    /// respond_within` (20) working days of the panel, and the judgement says so.
    pub fn judge(
        &self,
        calendar: &Calendar,
        requested_on: NaiveDate,
        panel_on: NaiveDate,
        report_on: Option<NaiveDate>,
        responded_on: NaiveDate,
    ) -> Result<PanelJudgement, TimescaleError> {
        let panel_in_time =
            panel_on <= calendar.add_working_days(requested_on, self.meet_within)?;
        match report_on {
            Some(report_on) => {
                let report_in_time =
                    report_on <= calendar.add_working_days(panel_on, self.report_within)?;
                let response_in_time =
                    responded_on <= calendar.add_working_days(report_on, self.respond_within)?;
                Ok(PanelJudgement {
                    in_time: panel_in_time && report_in_time && response_in_time,
                    fallback: false,
                })
            }
            None => {
                let response_due =
                    calendar.add_working_days(panel_on, self.response_after_panel())?;
                Ok(PanelJudgement {
                    in_time: panel_in_time && responded_on <= response_due,
                    fallback: true,
                })
            }
        }
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

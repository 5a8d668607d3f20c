//! What a case's page and its API answer both show of its timescales, worked out once: the
//! deadline in force today, and each answered stage's timeliness, every stage judged by the
//! definition it ran under (`judged_under`). A deadline that cannot be worked out is an error
//! to show, never a silent blank.

use crate::{judged_under, working_days_left, Case, ProcedureBook, TimescaleError};
use chrono::NaiveDate;
use serde::Serialize;

/// The deadline in force on the open stage, or on Stage 1 before it is opened (reg. 14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct DeadlineInForce {
    pub stage: u8,
    pub due_on: NaiveDate,
    /// Working days left; negative when overdue.
    pub working_days_left: i64,
    /// The clock is stopped, so the date will move when it restarts.
    pub paused: bool,
    /// Whether the council's closure days count (a corporate procedure), or only bank holidays
    /// (reg. 2: the statutory procedure).
    pub closure_days_count: bool,
}

/// Whether an answered stage met its timescale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct StageTimeliness {
    pub number: u8,
    /// Whether the response met the deadline in force; null while open or withdrawn.
    pub within_timescale: Option<bool>,
}

impl Case {
    /// The deadline in force on `today`: none when the case has ended, no stage is open, or
    /// its procedure is unknown to `book`; an error when the calendar does not reach it.
    pub fn deadline_in_force<B: ProcedureBook + ?Sized>(
        &self,
        book: &B,
        today: NaiveDate,
    ) -> Result<Option<DeadlineInForce>, TimescaleError> {
        let Some(stage) = self
            .stage1_not_opened()
            .or_else(|| self.open_stage().cloned())
        else {
            return Ok(None);
        };
        let (Some(procedure), calendar) = judged_under(book, self, &stage) else {
            return Ok(None);
        };
        let Some(deadline) = self.deadline(procedure, calendar, today)? else {
            return Ok(None);
        };
        Ok(Some(DeadlineInForce {
            stage: stage.number,
            due_on: deadline.due_on,
            working_days_left: working_days_left(calendar, deadline.due_on, today)?,
            paused: deadline.paused,
            closure_days_count: procedure.closure_days_count(),
        }))
    }

    /// Each stage's timeliness, judged by the definition it ran under; none where it cannot be
    /// judged (the reports name such a stage).
    pub fn timeliness<B: ProcedureBook + ?Sized>(&self, book: &B) -> Vec<StageTimeliness> {
        self.stages
            .iter()
            .map(|stage| {
                let judged = stage.first_round();
                let (procedure, calendar) = judged_under(book, self, judged);
                StageTimeliness {
                    number: stage.number,
                    within_timescale: procedure
                        .and_then(|p| judged.within_timescale(p, calendar).ok().flatten()),
                }
            })
            .collect()
    }
}

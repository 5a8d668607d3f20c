//! Reopening: a case that ended, or a stage that was answered, taken up again. Nothing on
//! record is erased: the ending moves to `Case::reopenings`, and an answered stage keeps its
//! round in `Stage::earlier_rounds`.

use super::{not_allowed, required, CaseError};
use crate::case::Case;
use crate::vocabulary::{Outcome, Status};
use chrono::NaiveDate;

impl Case {
    /// Reopens a case that ended, or a stage that was answered, on `today`. Nothing recorded
    /// is erased: the ending moves to `reopenings`, and an answered stage keeps its round in
    /// `earlier_rounds` while a new round runs. A rejected or withdrawn case may be reopened
    /// too, for example when the ombudsman finds the complaint was closed prematurely.
    pub(super) fn reopen(&mut self, reason: &str, today: NaiveDate) -> Result<(), CaseError> {
        required("reason", reason)?;
        let was = self.status;
        if !matches!(
            was,
            Status::Closed
                | Status::ResolvedAtInitialContact
                | Status::StageResponded
                | Status::Rejected
                | Status::Withdrawn
        ) {
            return Err(not_allowed(format!(
                "cannot reopen: the case is {}",
                was.as_str().replace('_', " ")
            )));
        }
        let mut record = crate::case::Reopening {
            reopened_on: today,
            was,
            resolved_on: None,
            rejected_on: None,
            rejected_reason: None,
            withdrawn_on: None,
            closed_on: self.closed_on.take(),
        };
        self.status = match was {
            // Closing is administrative: reopening returns the case to how it had ended.
            Status::Closed => {
                if self.resolved_on.is_some() {
                    Status::ResolvedAtInitialContact
                } else if self.rejected_on.is_some() {
                    Status::Rejected
                } else if self.withdrawn_on.is_some() {
                    Status::Withdrawn
                } else if self.stages.last().is_some_and(|s| !s.is_open()) {
                    Status::StageResponded
                } else if self.acknowledged_on.is_some() {
                    Status::Acknowledged
                } else {
                    Status::Received
                }
            }
            Status::ResolvedAtInitialContact => {
                record.resolved_on = self.resolved_on.take();
                Status::Acknowledged
            }
            Status::StageResponded => {
                let stage = self
                    .stages
                    .last_mut()
                    .ok_or_else(|| not_allowed("the case has no stage to reopen"))?;
                stage.reopen(today);
                Status::InStage
            }
            _ => {
                record.rejected_on = self.rejected_on.take();
                record.rejected_reason = self.rejected_reason.take();
                record.withdrawn_on = self.withdrawn_on.take();
                match self.stages.last_mut() {
                    // The stage the rejection or withdrawal ended runs again.
                    Some(stage)
                        if stage.outcome.is_some_and(|o| {
                            matches!(o, Outcome::Rejected | Outcome::Withdrawn)
                        }) =>
                    {
                        stage.reopen(today);
                        Status::InStage
                    }
                    Some(stage) if !stage.is_open() => Status::StageResponded,
                    Some(_) => Status::InStage,
                    None if self.acknowledged_on.is_some() => Status::Acknowledged,
                    None => Status::Received,
                }
            }
        };
        self.reopenings.push(record);
        Ok(())
    }
}

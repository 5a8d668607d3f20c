//! A case as its record stood on a day: the facts dated after it left out. Every judgement
//! "as of" a day can be made on this view, so a fact added later (a response, a rejection, a
//! reopening, an ombudsman decision) never changes what was true then.

use crate::case::{Case, Stage};
use crate::vocabulary::Status;
use chrono::NaiveDate;

impl Case {
    /// The case as known at the end of `day`, or `None` if it was not yet received.
    pub fn as_known_on(&self, day: NaiveDate) -> Option<Case> {
        if self.received_on > day {
            return None;
        }
        let mut case = self.clone();
        // A reopening after `day` had not happened: the ending it undid was in force.
        while case.reopenings.last().is_some_and(|r| r.reopened_on > day) {
            let undone = case.reopenings.pop().expect("checked above");
            // What the reopening undid wins over anything recorded since (all of it later).
            case.resolved_on = undone.resolved_on.or(case.resolved_on);
            if undone.rejected_on.is_some() {
                case.rejected_on = undone.rejected_on;
                case.rejected_reason = undone.rejected_reason;
            }
            case.withdrawn_on = undone.withdrawn_on.or(case.withdrawn_on);
            case.closed_on = undone.closed_on.or(case.closed_on);
        }
        // A change of procedure after `day` had not happened.
        while case
            .procedure_changes
            .last()
            .is_some_and(|c| c.changed_on > day)
        {
            case.procedure = case.procedure_changes.pop().expect("checked above").from;
        }
        case.stages.retain(|s| s.first_round().known_from() <= day);
        for stage in &mut case.stages {
            stage.unwind_to(day);
        }
        let after = |date: Option<NaiveDate>| date.filter(|d| *d <= day);
        case.acknowledged_on = after(case.acknowledged_on);
        case.resolved_on = after(case.resolved_on);
        case.rejected_on = after(case.rejected_on);
        if case.rejected_on.is_none() {
            case.rejected_reason = None;
        }
        case.withdrawn_on = after(case.withdrawn_on);
        case.closed_on = after(case.closed_on);
        case.ombudsman.retain(|o| o.decided_on <= day);
        for remedy in case
            .ombudsman
            .iter_mut()
            .flat_map(|o| o.remedies.iter_mut())
        {
            remedy.completed_on = after(remedy.completed_on);
        }
        for action in &mut case.actions {
            action.completed_on = after(action.completed_on);
        }
        if let Some(draft) = &mut case.draft {
            draft.accepted_on = after(draft.accepted_on);
            draft.not_a_complaint.take_if(|n| n.decided_on > day);
        }
        case.status = case.status_from_facts();
        Some(case)
    }

    /// The status the dated facts give: how the case ended, else where its stages are.
    pub(crate) fn status_from_facts(&self) -> Status {
        if let Some(draft) = &self.draft {
            if draft.not_a_complaint.is_some() {
                return Status::NotAComplaint;
            }
            if draft.accepted_on.is_none() {
                return Status::Draft;
            }
        }
        if self.closed_on.is_some() {
            Status::Closed
        } else if self.withdrawn_on.is_some() {
            Status::Withdrawn
        } else if self.rejected_on.is_some() {
            Status::Rejected
        } else if self.resolved_on.is_some() {
            Status::ResolvedAtInitialContact
        } else if let Some(stage) = self.stages.last() {
            if stage.is_open() {
                Status::InStage
            } else {
                Status::StageResponded
            }
        } else if self.acknowledged_on.is_some() {
            Status::Acknowledged
        } else {
            Status::Received
        }
    }
}

impl Stage {
    /// The day the stage entered the record: the day it was opened, or, for a Stage 1 closed
    /// as overdue before anyone opened it, the day of that escalation.
    fn known_from(&self) -> NaiveDate {
        match (self.number, self.opened_on, self.outcome, self.responded_on) {
            (1, None, Some(crate::Outcome::NotRespondedInTime), Some(on)) => on,
            _ => self.opened_or_started_on(),
        }
    }

    /// The stage as known at the end of `day`: a round begun later is undone, and the
    /// response, extension, stops and panel dated later are left out.
    fn unwind_to(&mut self, day: NaiveDate) {
        while self.started_on > day {
            let Some(earlier) = self.earlier_rounds.pop() else {
                break;
            };
            let rounds = std::mem::take(&mut self.earlier_rounds);
            *self = earlier;
            self.earlier_rounds = rounds;
        }
        let after = |date: Option<NaiveDate>| date.filter(|d| *d <= day);
        if self.responded_on.is_some_and(|r| r > day) {
            self.responded_on = None;
            self.outcome = None;
        }
        let agreed = self
            .extension_agreed_on
            .or(self.extension_recorded_on)
            .or(self.extension_notified_on);
        if agreed.is_some_and(|a| a > day) {
            self.extended_to = None;
            self.extension_reason = None;
            self.extension_agreed_on = None;
            self.extension_notified_on = None;
            self.extension_recorded_on = None;
            self.extension_length_unknown = false;
        }
        self.extension_notified_on = after(self.extension_notified_on);
        self.clock_stops.retain(|s| s.stopped_on <= day);
        for stop in &mut self.clock_stops {
            stop.restarted_on = after(stop.restarted_on);
        }
        self.acknowledged_on = after(self.acknowledged_on);
        self.panel_on = after(self.panel_on);
        self.panel_report_on = after(self.panel_report_on);
    }
}

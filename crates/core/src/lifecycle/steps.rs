//! Each step applied to a case: first the guard (what the state allows), then the values the
//! step was given. A refused step leaves the case exactly as it was.

use super::{not_allowed, not_before, required, CaseError, Rules, Transition};
use crate::case::{Action, Case, OmbudsmanCase, Remedy, Stage, SufficientInterest};
use crate::vocabulary::{Outcome, RemedyKind, Status};
use crate::ClockStop;
use chrono::{Months, NaiveDate};

fn trimmed(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

impl Case {
    /// Applies one transition, or refuses it and leaves the case as it was.
    pub fn apply(&mut self, transition: &Transition, rules: &Rules) -> Result<(), CaseError> {
        transition.check_lengths()?;
        self.guard(transition.step(), rules)?;
        let mut next = self.clone();
        next.apply_in_place(transition, rules)?;
        *self = next;
        Ok(())
    }

    fn open_stage_mut(&mut self) -> Result<&mut Stage, CaseError> {
        self.stages
            .last_mut()
            .filter(|s| s.is_open())
            .ok_or_else(|| not_allowed("no stage is open"))
    }

    fn apply_in_place(&mut self, transition: &Transition, rules: &Rules) -> Result<(), CaseError> {
        match transition {
            Transition::Acknowledge { on } => self.acknowledge(*on),
            Transition::ResolveAtInitialContact { on } => {
                not_before("on", *on, self.received_on, "the day of receipt")?;
                self.resolved_on = Some(*on);
                self.status = Status::ResolvedAtInitialContact;
                Ok(())
            }
            Transition::Reject { on, reason } => {
                required("reason", reason)?;
                not_before("on", *on, self.received_on, "the day of receipt")?;
                self.rejected_on = Some(*on);
                self.rejected_reason = Some(reason.trim().to_string());
                self.status = Status::Rejected;
                Ok(())
            }
            Transition::OpenStage1 {
                on,
                reason,
                late_complaint_grounds,
            } => self.open_stage1(*on, reason, late_complaint_grounds, rules),
            Transition::Respond { on, outcome } => self.respond(*on, *outcome, rules),
            Transition::Escalate {
                requested_on,
                late_reason,
                skip_agreed,
                reason,
            } => self.escalate(*requested_on, late_reason, *skip_agreed, reason, rules),
            Transition::Extend {
                to_working_days,
                reason,
                on,
                notified_on,
            } => self.extend(*to_working_days, reason, *on, *notified_on, rules),
            Transition::StopClock { on, reason } => self.stop_clock(*on, reason, rules),
            Transition::RestartClock { on } => {
                let stop = self
                    .open_stage_mut()?
                    .clock_stops
                    .last_mut()
                    .filter(|s| s.restarted_on.is_none())
                    .ok_or_else(|| not_allowed("the clock is not stopped"))?;
                not_before("on", *on, stop.stopped_on, "the day it was stopped")?;
                stop.restarted_on = Some(*on);
                Ok(())
            }
            Transition::AppointInvestigator {
                investigating_officer,
                independent_person,
            } => self.appoint(investigating_officer, independent_person, rules),
            Transition::RecordPanel {
                panel_on,
                report_on,
                members,
                chair,
            } => self.record_panel(*panel_on, *report_on, members, chair, rules),
            Transition::Withdraw { on } => {
                not_before("on", *on, self.received_on, "the day of receipt")?;
                if let Some(stage) = self.stages.last_mut().filter(|s| s.is_open()) {
                    close_stop(stage, *on);
                    stage.responded_on = Some(*on);
                    stage.outcome = Some(Outcome::Withdrawn);
                }
                self.withdrawn_on = Some(*on);
                self.status = Status::Withdrawn;
                Ok(())
            }
            Transition::Close { on } => {
                not_before("on", *on, self.received_on, "the day of receipt")?;
                self.closed_on = Some(*on);
                self.status = Status::Closed;
                Ok(())
            }
            Transition::Reopen { reason } => self.reopen(reason),
            Transition::ChangeProcedure { procedure, reason } => {
                required("reason", reason)?;
                let to = rules
                    .procedures
                    .iter()
                    .find(|p| p.name == *procedure)
                    .ok_or_else(|| {
                        CaseError::invalid(
                            "procedure",
                            format!("'{procedure}' is not one of the organisation's procedures"),
                        )
                    })?;
                if to.name == self.procedure {
                    return Err(CaseError::invalid(
                        "procedure",
                        "the case is already under it",
                    ));
                }
                let reached = self.stages.last().map_or(0, |s| s.number as usize);
                if to.stages.len() < reached {
                    return Err(CaseError::invalid(
                        "procedure",
                        format!(
                            "the case is at Stage {reached}, and the {} procedure has {} stages",
                            to.name,
                            to.stages.len()
                        ),
                    ));
                }
                self.procedure = to.name.clone();
                Ok(())
            }
            Transition::DecideSufficientInterest { sufficient, reason } => {
                if !sufficient {
                    required("reason", reason)?;
                }
                self.sufficient_interest = Some(SufficientInterest {
                    decided: *sufficient,
                    reason: reason.trim().to_string(),
                });
                Ok(())
            }
            Transition::RecordOmbudsmanDecision {
                decision,
                decided_on,
                lgsco_reference,
                remedies,
            } => {
                not_before(
                    "decided_on",
                    *decided_on,
                    self.received_on,
                    "the day of receipt",
                )?;
                let mut recorded = Vec::new();
                for (i, remedy) in remedies.iter().enumerate() {
                    not_before(
                        &format!("remedies[{i}].due_on"),
                        remedy.due_on,
                        *decided_on,
                        "the decision",
                    )?;
                    match (remedy.kind, remedy.amount_pence) {
                        (RemedyKind::Payment, None) => {
                            return Err(CaseError::invalid(
                                &format!("remedies[{i}].amount_pence"),
                                "a payment needs an amount",
                            ))
                        }
                        (_, Some(amount)) if amount <= 0 => {
                            return Err(CaseError::invalid(
                                &format!("remedies[{i}].amount_pence"),
                                "must be more than 0",
                            ))
                        }
                        _ => {}
                    }
                    recorded.push(Remedy {
                        kind: remedy.kind,
                        description: remedy.description.trim().to_string(),
                        amount_pence: remedy.amount_pence,
                        due_on: remedy.due_on,
                        completed_on: None,
                    });
                }
                self.ombudsman.push(OmbudsmanCase {
                    decision: *decision,
                    decided_on: *decided_on,
                    lgsco_reference: trimmed(lgsco_reference),
                    remedies: recorded,
                });
                Ok(())
            }
            Transition::CompleteRemedy {
                ombudsman,
                remedy,
                on,
            } => {
                let case = self
                    .ombudsman
                    .get_mut(*ombudsman)
                    .ok_or_else(|| CaseError::invalid("ombudsman", "no such ombudsman case"))?;
                let decided_on = case.decided_on;
                let item = case
                    .remedies
                    .get_mut(*remedy)
                    .ok_or_else(|| CaseError::invalid("remedy", "no such remedy"))?;
                if item.completed_on.is_some() {
                    return Err(not_allowed("the remedy is already complete"));
                }
                not_before("on", *on, decided_on, "the decision")?;
                item.completed_on = Some(*on);
                Ok(())
            }
            Transition::AddAction {
                kind,
                description,
                owner_team,
                due_on,
            } => {
                required("description", description)?;
                required("owner_team", owner_team)?;
                not_before("due_on", *due_on, self.received_on, "the day of receipt")?;
                self.actions.push(Action {
                    kind: *kind,
                    description: description.trim().to_string(),
                    owner_team: owner_team.trim().to_string(),
                    due_on: *due_on,
                    completed_on: None,
                });
                Ok(())
            }
            Transition::CompleteAction { action, on } => {
                let received_on = self.received_on;
                let item = self
                    .actions
                    .get_mut(*action)
                    .ok_or_else(|| CaseError::invalid("action", "no such action"))?;
                if item.completed_on.is_some() {
                    return Err(not_allowed("the action is already complete"));
                }
                not_before("on", *on, received_on, "the day of receipt")?;
                item.completed_on = Some(*on);
                Ok(())
            }
        }
    }

    fn acknowledge(&mut self, on: NaiveDate) -> Result<(), CaseError> {
        if self.status == Status::Received {
            not_before("on", on, self.received_on, "the day of receipt")?;
            self.acknowledged_on = Some(on);
            self.status = Status::Acknowledged;
            return Ok(());
        }
        let stage = self.open_stage_mut()?;
        not_before("on", on, stage.started_on, "the request")?;
        stage.acknowledged_on = Some(on);
        Ok(())
    }

    /// What must hold before a statutory complaint is considered at all: a team to answer it,
    /// the one-year limit of reg. 9 (or the grounds to consider it late, reg. 9(2)), and a
    /// complainant entitled by s26(3) or found to have sufficient interest.
    fn check_may_consider(
        &mut self,
        late_complaint_grounds: &Option<String>,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        if self.team.is_none() {
            return Err(CaseError::invalid(
                "team",
                "a case needs a team before Stage 1",
            ));
        }
        if !rules.procedure.is_statutory() {
            return Ok(());
        }
        if let Some(arose) = self.matter_arose_on {
            let year_later = arose.checked_add_months(Months::new(12)).unwrap_or(arose);
            if self.received_on > year_later {
                match trimmed(late_complaint_grounds) {
                    Some(grounds) => self.late_complaint_grounds = Some(grounds),
                    None => {
                        return Err(CaseError::invalid(
                            "late_complaint_grounds",
                            format!(
                                "the complaint came more than a year after the matter arose ({arose}): record why it is considered all the same (reg. 9(2)), or reject it as out of time"
                            ),
                        ))
                    }
                }
            }
        }
        if !self.complainant_role.may_complain_as_of_right() {
            match &self.sufficient_interest {
                Some(d) if d.decided => {}
                Some(_) => {
                    return Err(not_allowed(
                        "the council decided the complainant has no sufficient interest: move the complaint to the corporate procedure or reject it",
                    ))
                }
                None => {
                    return Err(CaseError::invalid(
                        "sufficient_interest",
                        format!(
                            "a {} is not listed in s26(3): record whether they have sufficient interest in the child's welfare first",
                            self.complainant_role.as_str().replace('_', " ")
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    fn open_stage1(
        &mut self,
        on: Option<NaiveDate>,
        reason: &Option<String>,
        late_complaint_grounds: &Option<String>,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        let on = on.unwrap_or(self.received_on);
        not_before("on", on, self.received_on, "the day of receipt")?;
        // Reg. 14: Stage 1 runs from receipt; starting it later needs a recorded reason.
        let late_start = trimmed(reason);
        if on > self.received_on && late_start.is_none() {
            return Err(CaseError::invalid(
                "reason",
                format!(
                    "Stage 1 runs from the day of receipt ({}): record why it opens later",
                    self.received_on
                ),
            ));
        }
        self.check_may_consider(late_complaint_grounds, rules)?;
        let mut stage = Stage::opened(1, on);
        stage.late_request_reason = late_start;
        stage.acknowledged_on = self.acknowledged_on;
        self.stages.push(stage);
        self.status = Status::InStage;
        Ok(())
    }

    fn respond(&mut self, on: NaiveDate, outcome: Outcome, rules: &Rules) -> Result<(), CaseError> {
        if outcome == Outcome::NotRespondedInTime {
            return Err(CaseError::invalid(
                "outcome",
                "a stage is closed as not responded in time by escalating it",
            ));
        }
        let panel_stage = {
            let stage = self.open_stage_mut()?;
            rules
                .procedure
                .stage(stage.number as usize)
                .and_then(|r| r.panel)
                .is_some()
        };
        let stage = self.open_stage_mut()?;
        not_before("on", on, stage.started_on, "the stage's start")?;
        if panel_stage && stage.panel_on.is_none() && outcome.is_response() {
            return Err(not_allowed(format!(
                "Stage {} cannot be responded to before the panel has met: record the panel first",
                stage.number
            )));
        }
        if let Some(panel_on) = stage.panel_on {
            not_before("on", on, panel_on, "the panel")?;
        }
        if let Some(report_on) = stage.panel_report_on {
            not_before("on", on, report_on, "the panel's report")?;
        }
        close_stop(stage, on);
        stage.responded_on = Some(on);
        stage.outcome = Some(outcome);
        self.status = if outcome.is_response() {
            Status::StageResponded
        } else {
            self.withdrawn_on = Some(on);
            Status::Withdrawn
        };
        Ok(())
    }

    fn escalate(
        &mut self,
        requested_on: NaiveDate,
        late_reason: &Option<String>,
        skip_agreed: bool,
        reason: &Option<String>,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        let late_reason = trimmed(late_reason);
        match self.status {
            // GBfC 3.9: Stage 1 may be skipped where the council and the complainant agree.
            Status::Acknowledged => {
                if !skip_agreed {
                    return Err(not_allowed(
                        "Stage 1 has not opened: open it, or skip it by agreement (skip_agreed, with a reason)",
                    ));
                }
                let why = trimmed(reason).ok_or_else(|| {
                    CaseError::invalid("reason", "say why Stage 1 is skipped by agreement")
                })?;
                not_before(
                    "requested_on",
                    requested_on,
                    self.received_on,
                    "the day of receipt",
                )?;
                self.check_may_consider(&None, rules)?;
                let mut stage = Stage::opened(2, requested_on);
                stage.late_request_reason = Some(format!("Stage 1 skipped by agreement: {why}"));
                self.stages.push(stage);
            }
            // GBfC 3.9: a complainant whose Stage 1 response is overdue may ask for Stage 2.
            Status::InStage => {
                let stage = self.open_stage_mut()?;
                not_before(
                    "requested_on",
                    requested_on,
                    stage.started_on,
                    "the stage's start",
                )?;
                let number = stage.number;
                let due = stage
                    .deadline(rules.procedure, rules.calendar, requested_on)
                    .map_err(|e| CaseError::timescale("requested_on", e))?;
                if due.is_none_or(|d| requested_on <= d.due_on) {
                    return Err(CaseError::invalid(
                        "requested_on",
                        format!("Stage {number} was not yet overdue on {requested_on}"),
                    ));
                }
                close_stop(stage, requested_on);
                stage.responded_on = Some(requested_on);
                stage.outcome = Some(Outcome::NotRespondedInTime);
                self.stages.push(Stage::opened(number + 1, requested_on));
            }
            // After a response, within the procedure's window or late with a reason; after
            // closure an in-time request reopens the case without a separate step.
            _ => {
                let current = self
                    .stages
                    .last()
                    .ok_or_else(|| not_allowed("the case has no stage to escalate from"))?;
                let number = current.number;
                let rule = rules.procedure.stage(number as usize).ok_or_else(|| {
                    not_allowed(format!(
                        "the {} procedure has no Stage {number}",
                        rules.procedure.name
                    ))
                })?;
                let responded_on = current
                    .responded_on
                    .ok_or_else(|| not_allowed(format!("Stage {number} has no response yet")))?;
                not_before("requested_on", requested_on, responded_on, "the response")?;
                let in_time = rule
                    .next_stage_requested_in_time(rules.calendar, responded_on, requested_on)
                    .map_err(|e| CaseError::timescale("requested_on", e))?;
                if !in_time && late_reason.is_none() {
                    let window = rule.request_next_within.unwrap_or_default();
                    return Err(CaseError::invalid(
                        "late_reason",
                        format!(
                            "the request came after the {window} working days allowed from the Stage {number} response: record why it is accepted"
                        ),
                    ));
                }
                let mut stage = Stage::opened(number + 1, requested_on);
                stage.late_request_reason = late_reason;
                self.stages.push(stage);
                self.closed_on = None;
            }
        }
        self.status = Status::InStage;
        Ok(())
    }

    fn extend(
        &mut self,
        to_working_days: u32,
        reason: &str,
        on: Option<NaiveDate>,
        notified_on: Option<NaiveDate>,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        required("reason", reason)?;
        let agreed_on = on.unwrap_or(rules.today);
        let stage = self.open_stage_mut()?;
        let number = stage.number;
        let rule = rules.procedure.stage(number as usize).ok_or_else(|| {
            not_allowed(format!(
                "the {} procedure has no Stage {number}",
                rules.procedure.name
            ))
        })?;
        rule.limit_in_force(Some(to_working_days))
            .map_err(|e| CaseError::timescale("to_working_days", e))?;
        not_before("on", agreed_on, stage.started_on, "the stage's start")?;
        // Regs. 14(2), 17(2): an extension is agreed while the limit runs; one agreed after
        // the deadline in force would turn a late response into an on-time one.
        let due = stage
            .deadline(rules.procedure, rules.calendar, agreed_on)
            .map_err(|e| CaseError::timescale("on", e))?;
        if let Some(d) = due.filter(|d| agreed_on > d.due_on) {
            return Err(CaseError::invalid(
                "on",
                format!(
                    "an extension agreed on {agreed_on} comes after the deadline in force ({}): the response is already late",
                    d.due_on
                ),
            ));
        }
        if let Some(told) = notified_on {
            not_before("notified_on", told, agreed_on, "the day it was agreed")?;
        }
        stage.extended_to = Some(to_working_days);
        stage.extension_reason = Some(reason.trim().to_string());
        stage.extension_agreed_on = Some(agreed_on);
        stage.extension_notified_on = notified_on;
        Ok(())
    }

    fn stop_clock(&mut self, on: NaiveDate, reason: &str, rules: &Rules) -> Result<(), CaseError> {
        required("reason", reason)?;
        let stage = self.open_stage_mut()?;
        not_before("on", on, stage.started_on, "the stage's start")?;
        if let Some(last) = stage.clock_stops.last().and_then(|s| s.restarted_on) {
            not_before("on", on, last, "the last restart")?;
        }
        let due = stage
            .deadline(rules.procedure, rules.calendar, on)
            .map_err(|e| CaseError::timescale("on", e))?;
        if let Some(d) = due.filter(|d| on > d.due_on) {
            return Err(CaseError::invalid(
                "on",
                format!(
                    "the clock cannot be stopped after the deadline in force ({})",
                    d.due_on
                ),
            ));
        }
        stage.clock_stops.push(ClockStop {
            stopped_on: on,
            restarted_on: None,
            reason: reason.trim().to_string(),
        });
        Ok(())
    }

    fn appoint(
        &mut self,
        investigating_officer: &str,
        independent_person: &str,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        required("investigating_officer", investigating_officer)?;
        // Reg. 17(2): on the statutory procedure an Independent Person takes part in the
        // consideration; a council's own procedure may do without one.
        if rules.procedure.is_statutory() {
            required("independent_person", independent_person)?;
        }
        if independent_person.trim() == investigating_officer.trim() {
            return Err(CaseError::invalid(
                "independent_person",
                "the Independent Person must not be the Investigating Officer",
            ));
        }
        let stage = self.open_stage_mut()?;
        stage.investigating_officer = Some(investigating_officer.trim().to_string());
        stage.independent_person =
            Some(independent_person.trim().to_string()).filter(|p| !p.is_empty());
        Ok(())
    }

    fn record_panel(
        &mut self,
        panel_on: NaiveDate,
        report_on: Option<NaiveDate>,
        members: &[String],
        chair: &Option<String>,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        let members: Vec<String> = members.iter().map(|m| m.trim().to_string()).collect();
        if let Some(blank) = members.iter().position(String::is_empty) {
            return Err(CaseError::invalid(
                &format!("members[{blank}]"),
                "must not be empty",
            ));
        }
        let chair = trimmed(chair);
        // Reg. 19: a panel of three, one of them an independent chair; the Independent Person
        // of Stage 2 may not sit on it.
        if rules.procedure.is_statutory() {
            if members.len() != 3 {
                return Err(CaseError::invalid(
                    "members",
                    format!(
                        "a review panel has three members (reg. 19), not {}",
                        members.len()
                    ),
                ));
            }
            let same = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
            let Some(chair_name) = &chair else {
                return Err(CaseError::invalid(
                    "chair",
                    "name the independent chair (reg. 19)",
                ));
            };
            if !members.iter().any(|m| same(m, chair_name)) {
                return Err(CaseError::invalid(
                    "chair",
                    "the chair must be one of the three members",
                ));
            }
            let stage_two_ip = self
                .stages
                .iter()
                .find(|s| s.number == 2)
                .and_then(|s| s.independent_person.clone());
            if let Some(ip) = stage_two_ip {
                if let Some(i) = members.iter().position(|m| same(m, &ip)) {
                    return Err(CaseError::invalid(
                        &format!("members[{i}]"),
                        "the Stage 2 Independent Person may not sit on the review panel (reg. 19)",
                    ));
                }
            }
        }
        let stage = self.open_stage_mut()?;
        not_before("panel_on", panel_on, stage.started_on, "the request")?;
        if let Some(report_on) = report_on {
            not_before("report_on", report_on, panel_on, "the panel")?;
        }
        stage.panel_on = Some(panel_on);
        stage.panel_report_on = report_on;
        if !members.is_empty() {
            stage.panel_members = members;
            stage.panel_chair = chair;
        }
        Ok(())
    }

    /// Puts the case back where it was before it was closed or resolved.
    fn reopen(&mut self, reason: &str) -> Result<(), CaseError> {
        required("reason", reason)?;
        match self.status {
            Status::Closed => {
                self.closed_on = None;
                self.status = if self.resolved_on.is_some() {
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
                };
            }
            Status::ResolvedAtInitialContact => {
                self.resolved_on = None;
                self.status = Status::Acknowledged;
            }
            Status::StageResponded => {
                let stage = self
                    .stages
                    .last_mut()
                    .ok_or_else(|| not_allowed("the case has no stage to reopen"))?;
                stage.responded_on = None;
                stage.outcome = None;
                self.status = Status::InStage;
            }
            status => {
                return Err(not_allowed(format!(
                    "cannot reopen: the case is {}",
                    status.as_str().replace('_', " ")
                )))
            }
        }
        Ok(())
    }
}

/// A response or withdrawal while the clock is stopped restarts it that day.
fn close_stop(stage: &mut Stage, on: NaiveDate) {
    if let Some(stop) = stage
        .clock_stops
        .last_mut()
        .filter(|s| s.restarted_on.is_none())
    {
        stop.restarted_on = Some(on.max(stop.stopped_on));
    }
}

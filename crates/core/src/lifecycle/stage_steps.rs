//! The steps within and between stages: responses, escalation (after a response, when overdue,
//! by agreement), extensions, clock stops, Stage 2 appointments, the review panel, reopening.

use super::steps::{close_stop, trimmed};
use super::{not_allowed, not_before, required, CaseError, Rules};
use crate::case::{Case, Stage};
use crate::vocabulary::{Outcome, Status};
use crate::{ClockStop, ProcedureKind};
use chrono::NaiveDate;

/// A skip of Stage 1 agreed by the council and the complainant (GBfC 3.9), with why, and the
/// reg. 9(2) grounds where the complaint was made more than a year after the matter arose.
pub(super) struct SkipAgreed<'a> {
    pub reason: &'a Option<String>,
    pub late_complaint_grounds: &'a Option<String>,
}

impl Case {
    pub(super) fn respond(
        &mut self,
        on: NaiveDate,
        outcome: Outcome,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        if outcome == Outcome::NotRespondedInTime {
            return Err(CaseError::invalid(
                "outcome",
                "a stage is closed as not responded in time by escalating it",
            ));
        }
        if outcome == Outcome::Rejected {
            return Err(CaseError::invalid(
                "outcome",
                "a stage is closed as rejected by rejecting the complaint (the reject step)",
            ));
        }
        let (panel_stage, statutory_investigation) = {
            let stage = self.open_stage_mut()?;
            let panel = rules
                .procedure
                .stage(stage.number as usize)
                .and_then(|r| r.panel)
                .is_some();
            (
                panel,
                rules.procedure.is_statutory() && stage.number == 2 && !panel,
            )
        };
        let stage = self.open_stage_mut()?;
        not_before("on", on, stage.opened_or_started_on(), "the stage's start")?;
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
        // Reg. 17(1)-(2): a statutory Stage 2 is considered by an Investigating Officer with an
        // Independent Person; it cannot be answered on its merits before both are appointed.
        if statutory_investigation
            && outcome.is_response()
            && (stage.investigating_officer.is_none() || stage.independent_person.is_none())
        {
            return Err(not_allowed(format!(
                "Stage {} cannot be answered before an Investigating Officer and an Independent Person are appointed (reg. 17)",
                stage.number
            )));
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

    pub(super) fn escalate(
        &mut self,
        requested_on: NaiveDate,
        late_reason: &Option<String>,
        skip: Option<SkipAgreed>,
        late_complaint_grounds: &Option<String>,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        let late_reason = trimmed(late_reason);
        let stage_one_open = self.open_stage().is_some_and(|s| s.number == 1);
        match self.status {
            // GBfC 3.9: Stage 1 may be skipped where the council and the complainant agree,
            // before it opens or while it runs.
            Status::Acknowledged | Status::InStage
                if skip.is_some() && (self.status == Status::Acknowledged || stage_one_open) =>
            {
                let skip = skip.expect("checked above");
                let why = trimmed(skip.reason).ok_or_else(|| {
                    CaseError::invalid("reason", "say why Stage 1 is skipped by agreement")
                })?;
                not_before(
                    "requested_on",
                    requested_on,
                    self.received_on,
                    "the day of receipt",
                )?;
                self.check_may_consider(skip.late_complaint_grounds, rules)?;
                if let Ok(stage) = self.open_stage_mut() {
                    not_before(
                        "requested_on",
                        requested_on,
                        stage.started_on,
                        "the stage's start",
                    )?;
                    // Closed by agreement: neither a response nor late, so no outcome.
                    close_stop(stage, requested_on);
                    stage.responded_on = Some(requested_on);
                }
                let mut stage = Stage::opened(2, requested_on);
                stage.late_request_reason = Some(format!("Stage 1 skipped by agreement: {why}"));
                self.stages.push(stage);
            }
            // Reg. 14 and GBfC 3.9: Stage 1's 10 working days run from receipt whether or not it
            // was opened, so once they have passed the complainant may ask for Stage 2. Stage 1
            // is recorded as started on receipt and closed as not responded in time; the
            // admission checks (team, reg. 9, s26(3)) still apply.
            Status::Received | Status::Acknowledged => {
                let stage1 = self
                    .stage1_not_opened()
                    .ok_or_else(|| not_allowed("the case has no Stage 1 to escalate from"))?;
                not_before(
                    "requested_on",
                    requested_on,
                    self.received_on,
                    "the day of receipt",
                )?;
                overdue_when_requested(
                    &stage1,
                    requested_on,
                    rules,
                    ": open it, or skip it by agreement (skip_agreed, with a reason)",
                )?;
                self.check_may_consider(late_complaint_grounds, rules)?;
                let mut stage1 = stage1;
                stage1.responded_on = Some(requested_on);
                stage1.outcome = Some(Outcome::NotRespondedInTime);
                self.stages.push(stage1);
                self.stages.push(Stage::opened(2, requested_on));
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
                let skip_hint = if number == 1 {
                    " (or skip Stage 1 by agreement: skip_agreed, with a reason)"
                } else {
                    ""
                };
                overdue_when_requested(stage, requested_on, rules, skip_hint)?;
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

    pub(super) fn extend(
        &mut self,
        to_working_days: u32,
        reason: &str,
        on: Option<NaiveDate>,
        notified_on: Option<NaiveDate>,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        required("reason", reason)?;
        let today = rules.today;
        let agreed_on = on.unwrap_or(today);
        let statutory = rules.procedure.is_statutory();
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
        // Regs. 14(3), 17(3): the complainant is told in writing of the extension, and why;
        // so too under Wales's, Scotland's and Northern Ireland's procedures.
        if rules.procedure.extension_needs_notice() && notified_on.is_none() {
            return Err(CaseError::invalid(
                "notified_on",
                if statutory {
                    "a statutory extension needs the day the complainant was told in writing, and why (regs. 14(3), 17(3))".to_string()
                } else {
                    format!(
                        "an extension under the {} procedure needs the day the complainant was told why, and the new date",
                        rules.procedure.name
                    )
                },
            ));
        }
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
            // Regs. 14(2)-(3), 17(2)-(3): told within the limit in force, not after it.
            if let Some(d) = due.filter(|d| told > d.due_on) {
                return Err(CaseError::invalid(
                    "notified_on",
                    format!(
                        "the complainant was told on {told}, after the deadline in force ({}): the response was already late",
                        d.due_on
                    ),
                ));
            }
        }
        let recorded_on = recorded_late(stage, agreed_on, rules)?;
        if let Some(cap) = extra_days_cap(rules, number) {
            // LGSCO Code: the extension and the days stopped share the 10 extra days.
            let stopped = stopped_days(rules, stage, agreed_on)?;
            let extra = i64::from(to_working_days.saturating_sub(rule.respond_within));
            if extra + stopped > i64::from(cap) {
                return Err(CaseError::invalid(
                    "to_working_days",
                    format!(
                        "the Complaint Handling Code allows {cap} extra working days at Stage {number}, clock stops included: with {stopped} stopped, {} working days at most",
                        i64::from(rule.respond_within) + (i64::from(cap) - stopped).max(0)
                    ),
                ));
            }
        }
        stage.extended_to = Some(to_working_days);
        stage.extension_reason = Some(reason.trim().to_string());
        stage.extension_agreed_on = Some(agreed_on);
        stage.extension_notified_on = notified_on;
        stage.extension_recorded_on = recorded_on;
        Ok(())
    }

    pub(super) fn stop_clock(
        &mut self,
        on: NaiveDate,
        reason: &str,
        rules: &Rules,
    ) -> Result<(), CaseError> {
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
        // Backdated: kept, with the day it was recorded.
        let recorded_on = (on < rules.today).then_some(rules.today);
        if let Some(cap) = extra_days_cap(rules, stage.number) {
            // LGSCO Code: nothing left of the 10 extra days, so no stop can add any.
            if extra_days_used(rules, stage, on)? >= i64::from(cap) {
                return Err(CaseError::invalid(
                    "on",
                    format!(
                        "the Complaint Handling Code allows {cap} extra working days at Stage {}, extensions and clock stops together, and they are used",
                        stage.number
                    ),
                ));
            }
        }
        stage.clock_stops.push(ClockStop {
            stopped_on: on,
            restarted_on: None,
            reason: reason.trim().to_string(),
            recorded_on,
        });
        Ok(())
    }

    pub(super) fn restart_clock(&mut self, on: NaiveDate, rules: &Rules) -> Result<(), CaseError> {
        let stage = self.open_stage_mut()?;
        let number = stage.number;
        let stopped_on = stage
            .clock_stops
            .last()
            .filter(|s| s.restarted_on.is_none())
            .ok_or_else(|| not_allowed("the clock is not stopped"))?
            .stopped_on;
        not_before("on", on, stopped_on, "the day it was stopped")?;
        if let Some(cap) = extra_days_cap(rules, number) {
            // LGSCO Code: the stop may not take the stage past its 10 extra working days.
            let used = extra_days_used(rules, stage, on)?;
            if used > i64::from(cap) {
                let this_stop = rules
                    .calendar
                    .working_days_between(stopped_on, on)
                    .map_err(|e| CaseError::invalid("on", e.to_string()))?;
                let left = u32::try_from(i64::from(cap) - (used - this_stop)).unwrap_or(0);
                let latest = rules
                    .calendar
                    .add_working_days(stopped_on, left)
                    .map_err(|e| CaseError::invalid("on", e.to_string()))?;
                return Err(CaseError::invalid(
                    "on",
                    format!(
                        "the Complaint Handling Code allows {cap} extra working days at Stage {number}, extensions and clock stops together: restart on {latest} at the latest"
                    ),
                ));
            }
        }
        if let Some(stop) = stage.clock_stops.last_mut() {
            stop.restarted_on = Some(on);
        }
        Ok(())
    }

    pub(super) fn appoint(
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

    pub(super) fn record_panel(
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
        // Reg. 19: a panel of three people, one of them an independent chair; neither the
        // Stage 2 Investigating Officer nor its Independent Person may sit on it. Names are
        // compared after folding case and spaces, so "Ann  Chair" and "ann chair" are one.
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
            let folded: Vec<String> = members.iter().map(|m| person_key(m)).collect();
            for (i, key) in folded.iter().enumerate() {
                if folded[..i].contains(key) {
                    return Err(CaseError::invalid(
                        &format!("members[{i}]"),
                        "the panel's three members must be three different people (reg. 19)",
                    ));
                }
            }
            let Some(chair_name) = &chair else {
                return Err(CaseError::invalid(
                    "chair",
                    "name the independent chair (reg. 19)",
                ));
            };
            if !folded.contains(&person_key(chair_name)) {
                return Err(CaseError::invalid(
                    "chair",
                    "the chair must be one of the three members",
                ));
            }
            let stage_two = self.stages.iter().rev().find(|s| s.number == 2);
            let investigators = [
                (
                    stage_two.and_then(|s| s.investigating_officer.as_deref()),
                    "the Stage 2 Investigating Officer",
                ),
                (
                    stage_two.and_then(|s| s.independent_person.as_deref()),
                    "the Stage 2 Independent Person",
                ),
            ];
            for (name, who) in investigators {
                let Some(name) = name else { continue };
                if let Some(i) = folded.iter().position(|m| *m == person_key(name)) {
                    return Err(CaseError::invalid(
                        &format!("members[{i}]"),
                        format!("{who} may not sit on the review panel (reg. 19)"),
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
}

/// GBfC 3.9: overdue work may go to the next stage only once the stage's deadline in force
/// has passed on the day of the request; refused otherwise, with the due date and `hint`.
fn overdue_when_requested(
    stage: &Stage,
    requested_on: NaiveDate,
    rules: &Rules,
    hint: &str,
) -> Result<(), CaseError> {
    let due = stage
        .deadline(rules.procedure, rules.calendar, requested_on)
        .map_err(|e| CaseError::timescale("requested_on", e))?;
    if due.is_some_and(|d| requested_on > d.due_on) {
        return Ok(());
    }
    let due = due.map_or(String::new(), |d| format!(" (due {})", d.due_on));
    Err(CaseError::invalid(
        "requested_on",
        format!(
            "Stage {}{due} was not yet overdue on {requested_on}{hint}",
            stage.number
        ),
    ))
}

/// A person's name as compared for the panel's checks: lower case, spaces folded to one.
fn person_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// An extension dated before the day it is recorded (backdated) is kept with the day recorded,
/// but only while the deadline in force on the recording day has not passed: recorded later,
/// it would make a response already late on that day an in-time one (regs. 14(2), 17(2)).
fn recorded_late(
    stage: &Stage,
    dated: NaiveDate,
    rules: &Rules,
) -> Result<Option<NaiveDate>, CaseError> {
    let today = rules.today;
    if dated >= today {
        return Ok(None);
    }
    let due = stage
        .deadline(rules.procedure, rules.calendar, today)
        .map_err(|e| CaseError::invalid("on", e.to_string()))?;
    if let Some(d) = due.filter(|d| today > d.due_on) {
        return Err(not_allowed(format!(
            "an extension dated {dated} is recorded on {today}, after the deadline in force ({}): the response is already late",
            d.due_on
        )));
    }
    Ok(Some(today))
}

/// The extra working days a stage may gain from extensions and clock stops together: the
/// LGSCO Complaint Handling Code lets a Stage 1 or Stage 2 response be extended by no more
/// than 10 working days (the preset's `max_extended_to` less `respond_within`). None where
/// stops are not capped (a council's own procedure; the statutory one has no stops).
fn extra_days_cap(rules: &Rules, number: u8) -> Option<u32> {
    let rule = rules.procedure.stage(number as usize)?;
    (rules.procedure.kind == Some(ProcedureKind::ComplaintHandlingCode))
        .then(|| rule.max_extended_to.saturating_sub(rule.respond_within))
}

/// Working days the stage's clock has been stopped, an open stop counted to `as_of`.
fn stopped_days(rules: &Rules, stage: &Stage, as_of: NaiveDate) -> Result<i64, CaseError> {
    let mut days = 0;
    for stop in &stage.clock_stops {
        let until = stop.restarted_on.unwrap_or(as_of.max(stop.stopped_on));
        days += rules
            .calendar
            .working_days_between(stop.stopped_on, until)
            .map_err(|e| CaseError::invalid("on", e.to_string()))?;
    }
    Ok(days)
}

/// Extra working days used by the extension and the stops, an open stop counted to `as_of`.
fn extra_days_used(rules: &Rules, stage: &Stage, as_of: NaiveDate) -> Result<i64, CaseError> {
    let respond_within = rules
        .procedure
        .stage(stage.number as usize)
        .map_or(0, |r| r.respond_within);
    let extension = stage
        .extended_to
        .map_or(0, |to| to.saturating_sub(respond_within));
    Ok(i64::from(extension) + stopped_days(rules, stage, as_of)?)
}

impl Case {
    /// SI 2009/309 regs. 13(7) and 14(2): the response period agreed with the complainant. It
    /// is agreed before the period in force runs out (reg. 14(2): "such longer period as may
    /// be agreed before the expiry of that period"); a later agreement moves the date only
    /// forward, with why and the day the complainant was told.
    pub(super) fn agree_response_period(
        &mut self,
        agreed_on: NaiveDate,
        working_days: u32,
        reason: &Option<String>,
        notified_on: Option<NaiveDate>,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        let reason = super::steps::trimmed(reason);
        let today = rules.today;
        let stage = self.open_stage_mut()?;
        not_before(
            "agreed_on",
            agreed_on,
            stage.started_on,
            "the day of receipt",
        )?;
        if agreed_on > today {
            return Err(CaseError::invalid(
                "agreed_on",
                format!("{agreed_on} is in the future"),
            ));
        }
        let in_force = stage
            .deadline(rules.procedure, rules.calendar, agreed_on)
            .map_err(|e| CaseError::timescale("agreed_on", e))?;
        if let Some(due) = in_force.filter(|d| agreed_on > d.due_on) {
            return Err(CaseError::invalid(
                "agreed_on",
                format!(
                    "a period agreed on {agreed_on} comes after the one in force ran out ({}): the response is already late (reg. 14(2))",
                    due.due_on
                ),
            ));
        }
        let new_due = rules
            .calendar
            .add_working_days(agreed_on, working_days)
            .map_err(|e| CaseError::invalid("working_days", e.to_string()))?;
        if let Some(earlier) = stage.response_periods.last() {
            if agreed_on < earlier.agreed_on {
                return Err(CaseError::invalid(
                    "agreed_on",
                    format!(
                        "{agreed_on} is before the period already agreed on {}",
                        earlier.agreed_on
                    ),
                ));
            }
            let due = in_force.map(|d| d.due_on);
            if due.is_some_and(|d| new_due <= d) {
                return Err(CaseError::invalid(
                    "working_days",
                    format!(
                        "the new date ({new_due}) is not later than the one agreed ({}): a period once agreed is not shortened",
                        due.unwrap_or(new_due)
                    ),
                ));
            }
            if reason.is_none() {
                return Err(CaseError::invalid(
                    "reason",
                    "say why the agreed date will be missed (reg. 14(2))",
                ));
            }
            let Some(told) = notified_on else {
                return Err(CaseError::invalid(
                    "notified_on",
                    "give the day the complainant was told the new date, and why (reg. 14(2))",
                ));
            };
            not_before("notified_on", told, agreed_on, "the day it was agreed")?;
        }
        if let Some(told) = notified_on {
            not_before("notified_on", told, stage.started_on, "the day of receipt")?;
            if told > today {
                return Err(CaseError::invalid(
                    "notified_on",
                    format!("{told} is in the future"),
                ));
            }
        }
        stage.response_periods.push(crate::ResponsePeriod {
            agreed_on,
            working_days,
            reason,
            notified_on,
        });
        Ok(())
    }
}

//! Each step applied to a case: first the guard (what the state allows), then the values the
//! step was given. A refused step leaves the case exactly as it was.

use super::stage_steps::SkipAgreed;
use super::{not_allowed, not_before, required, CaseError, Rules, Transition};
use crate::case::{Action, Case, OmbudsmanCase, Remedy, Stage, SufficientInterest};
use crate::vocabulary::{Outcome, RemedyKind, Status};
use chrono::NaiveDate;

pub(super) fn trimmed(text: &Option<String>) -> Option<String> {
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
        // Stages answered before this step ran under the procedure as it was; the open stage
        // and any the step opens run under the procedure the case is under afterwards.
        next.stamp_procedure(rules.procedure);
        next.apply_in_place(transition, rules)?;
        let now_under = rules
            .procedures
            .iter()
            .find(|p| p.name == next.procedure)
            .unwrap_or(rules.procedure);
        next.stamp_procedure(now_under);
        *self = next;
        Ok(())
    }

    pub(super) fn open_stage_mut(&mut self) -> Result<&mut Stage, CaseError> {
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
                // A stage open when the complaint is rejected ends that day, as rejected: its
                // round keeps its own dated outcome whatever happens to the case later.
                if let Some(stage) = self.stages.last_mut().filter(|s| s.is_open()) {
                    not_before("on", *on, stage.started_on, "the stage's start")?;
                    close_stop(stage, *on);
                    stage.responded_on = Some(*on);
                    stage.outcome = Some(Outcome::Rejected);
                }
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
                late_complaint_grounds,
            } => self.escalate(
                *requested_on,
                late_reason,
                (*skip_agreed).then_some(SkipAgreed {
                    reason,
                    late_complaint_grounds,
                }),
                late_complaint_grounds,
                rules,
            ),
            Transition::Extend {
                to_working_days,
                reason,
                on,
                notified_on,
            } => self.extend(to_working_days.get(), reason, *on, *notified_on, rules),
            Transition::AgreeResponsePeriod {
                agreed_on,
                working_days,
                reason,
                notified_on,
            } => self.agree_response_period(
                *agreed_on,
                working_days.get(),
                reason,
                *notified_on,
                rules,
            ),
            Transition::StopClock { on, reason } => self.stop_clock(*on, reason, rules),
            Transition::RestartClock { on } => self.restart_clock(*on, rules),
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
                    not_before("on", *on, stage.started_on, "the stage's start")?;
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
            Transition::Reopen { reason } => self.reopen(reason, rules.today),
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
                // The new procedure's limits apply to the open stage and those after it: an
                // extension past its cap cannot be carried over.
                for stage in &self.stages {
                    let rule = to.stage(stage.number as usize);
                    if let (Some(asked), Some(rule)) = (stage.extended_to, rule) {
                        if asked > rule.max_extended_to {
                            return Err(CaseError::invalid(
                                "procedure",
                                format!(
                                    "Stage {} was extended to {asked} working days, and the {} procedure allows {} at most",
                                    stage.number, to.name, rule.max_extended_to
                                ),
                            ));
                        }
                    }
                }
                // SI 2006/1738 has no clock stop (regs. 14, 17): a stop made under a council's
                // own procedure does not carry into a procedure that allows none.
                if !to.allows_clock_stops() {
                    if let Some(stage) = self.stages.last_mut().filter(|s| s.is_open()) {
                        stage.clock_stops.clear();
                    }
                }
                // A case considered under the statutory procedure passes its admission checks
                // whichever way it arrives there: a team, reg. 9 and s26(3).
                if to.is_statutory() && !self.stages.is_empty() {
                    let statutory = Rules {
                        procedure: to,
                        ..*rules
                    };
                    let grounds = self.late_complaint_grounds.clone();
                    self.check_may_consider(&grounds, &statutory)?;
                }
                self.procedure_changes.push(crate::case::ProcedureChange {
                    changed_on: rules.today,
                    from: std::mem::replace(&mut self.procedure, to.name.clone()),
                });
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
            Transition::AcceptDraft {
                on,
                procedure,
                complainant_role,
                team,
                reason,
            } => {
                not_before("on", *on, self.received_on, "the day the message arrived")?;
                if !rules.procedures.iter().any(|p| &p.name == procedure) {
                    return Err(CaseError::invalid(
                        "procedure",
                        format!("'{procedure}' is not one of the organisation's procedures"),
                    ));
                }
                self.procedure = procedure.clone();
                self.complainant_role = *complainant_role;
                self.team = trimmed(team);
                self.reason = trimmed(reason);
                if let Some(draft) = &mut self.draft {
                    draft.accepted_on = Some(*on);
                }
                self.status = Status::Received;
                Ok(())
            }
            Transition::NotAComplaint { on, reason } => {
                required("reason", reason)?;
                not_before("on", *on, self.received_on, "the day the message arrived")?;
                if let Some(draft) = &mut self.draft {
                    draft.not_a_complaint = Some(crate::case::NotAComplaint {
                        decided_on: *on,
                        reason: reason.trim().to_string(),
                    });
                }
                self.status = Status::NotAComplaint;
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
}

/// A response or withdrawal while the clock is stopped restarts it that day.
pub(super) fn close_stop(stage: &mut Stage, on: NaiveDate) {
    if let Some(stop) = stage
        .clock_stops
        .last_mut()
        .filter(|s| s.restarted_on.is_none())
    {
        stop.restarted_on = Some(on.max(stop.stopped_on));
    }
}

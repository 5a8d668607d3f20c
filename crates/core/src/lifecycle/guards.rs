//! What a case allows now, and if not, why: the one answer the API, the pages and the reports
//! ask for. Each guard looks only at the case's state; the step itself then checks the values
//! it was given. Sources: SI 2006/1738 (the Regulations), DfES "Getting the Best from
//! Complaints" (GBfC, 2006), the LGSCO Complaint Handling Code (2024).

use super::{not_allowed, CaseError, Rules};
use crate::case::Case;
use crate::vocabulary::{OmbudsmanDecision, Status};
use serde::Serialize;

/// The steps a case can take, by the name the API and the audit log use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    Acknowledge,
    ResolveAtInitialContact,
    Reject,
    OpenStage1,
    Respond,
    Escalate,
    Extend,
    AgreeResponsePeriod,
    StopClock,
    RestartClock,
    AppointInvestigator,
    RecordPanel,
    Withdraw,
    Close,
    Reopen,
    ChangeProcedure,
    DecideSufficientInterest,
    RecordOmbudsmanDecision,
    CompleteRemedy,
    AddAction,
    CompleteAction,
    AcceptDraft,
    NotAComplaint,
}

impl StepName {
    pub const ALL: [StepName; 23] = [
        StepName::Acknowledge,
        StepName::ResolveAtInitialContact,
        StepName::Reject,
        StepName::OpenStage1,
        StepName::Respond,
        StepName::Escalate,
        StepName::Extend,
        StepName::AgreeResponsePeriod,
        StepName::StopClock,
        StepName::RestartClock,
        StepName::AppointInvestigator,
        StepName::RecordPanel,
        StepName::Withdraw,
        StepName::Close,
        StepName::Reopen,
        StepName::ChangeProcedure,
        StepName::DecideSufficientInterest,
        StepName::RecordOmbudsmanDecision,
        StepName::CompleteRemedy,
        StepName::AddAction,
        StepName::CompleteAction,
        StepName::AcceptDraft,
        StepName::NotAComplaint,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            StepName::Acknowledge => "acknowledge",
            StepName::ResolveAtInitialContact => "resolve_at_initial_contact",
            StepName::Reject => "reject",
            StepName::OpenStage1 => "open_stage1",
            StepName::Respond => "respond",
            StepName::Escalate => "escalate",
            StepName::Extend => "extend",
            StepName::AgreeResponsePeriod => "agree_response_period",
            StepName::StopClock => "stop_clock",
            StepName::RestartClock => "restart_clock",
            StepName::AppointInvestigator => "appoint_investigator",
            StepName::RecordPanel => "record_panel",
            StepName::Withdraw => "withdraw",
            StepName::Close => "close",
            StepName::Reopen => "reopen",
            StepName::ChangeProcedure => "change_procedure",
            StepName::DecideSufficientInterest => "decide_sufficient_interest",
            StepName::RecordOmbudsmanDecision => "record_ombudsman_decision",
            StepName::CompleteRemedy => "complete_remedy",
            StepName::AddAction => "add_action",
            StepName::CompleteAction => "complete_action",
            StepName::AcceptDraft => "accept_draft",
            StepName::NotAComplaint => "not_a_complaint",
        }
    }

    pub fn parse(text: &str) -> Option<StepName> {
        StepName::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// One step and whether the case allows it now; when not, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Step {
    pub name: StepName,
    pub allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

fn status_words(status: Status) -> String {
    status.as_str().replace('_', " ")
}

impl Case {
    /// Every step, allowed or refused with its reason.
    pub fn available_transitions(&self, rules: &Rules) -> Vec<Step> {
        StepName::ALL
            .into_iter()
            .map(|name| match self.guard(name, rules) {
                Ok(()) => Step {
                    name,
                    allowed: true,
                    reason: None,
                },
                Err(e) => Step {
                    name,
                    allowed: false,
                    reason: Some(e.to_string()),
                },
            })
            .collect()
    }

    fn status_is(&self, allowed: &[Status], doing: &str) -> Result<(), CaseError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(not_allowed(format!(
                "cannot {doing}: the case is {}",
                status_words(self.status)
            )))
        }
    }

    /// Whether the case's state allows the step at all.
    pub fn guard(&self, step: StepName, rules: &Rules) -> Result<(), CaseError> {
        // A draft is not yet a complaint: no procedure's step applies until an officer
        // accepts it, and one found not to be a complaint takes no step at all.
        let draft_step = matches!(step, StepName::AcceptDraft | StepName::NotAComplaint);
        if draft_step {
            return self.status_is(&[Status::Draft], "decide on a draft");
        }
        if self.status.is_unaccepted_draft() {
            return Err(not_allowed(format!(
                "cannot {}: the case is {}{}",
                step.as_str().replace('_', " "),
                status_words(self.status),
                if self.status == Status::Draft {
                    "; accept it as a complaint first"
                } else {
                    ""
                }
            )));
        }
        let open_stage = self.open_stage().filter(|_| self.status == Status::InStage);
        let stage_rule = open_stage.and_then(|s| rules.procedure.stage(s.number as usize));
        match step {
            // GBfC 3.3: acknowledge the complaint; the LGSCO Code (5.1, 6.2) acknowledges each
            // stage, so a later open stage may be acknowledged once.
            StepName::Acknowledge => match (self.status, open_stage) {
                (Status::Received, _) => Ok(()),
                (Status::InStage, Some(s)) if s.number > 1 && s.acknowledged_on.is_none() => Ok(()),
                _ => Err(not_allowed(format!(
                    "cannot acknowledge: the case is {}",
                    status_words(self.status)
                ))),
            },
            // GBfC 3.5: a complaint may be resolved informally before Stage 1 opens.
            StepName::ResolveAtInitialContact => {
                self.status_is(&[Status::Acknowledged], "resolve at initial contact")
            }
            // Reg. 8 (matters excluded, e.g. court proceedings) may come to light at any time.
            StepName::Reject => self.status_is(&Status::OPEN, "reject"),
            StepName::OpenStage1 => self.status_is(&[Status::Acknowledged], "open Stage 1"),
            StepName::Respond => {
                open_stage.map(|_| ()).ok_or_else(|| {
                    not_allowed(format!(
                        "cannot respond: the case has no stage open (it is {})",
                        status_words(self.status)
                    ))
                })
            }
            StepName::Escalate => self.escalation_guard(rules),
            // Regs. 14(2) and 17(2): a limit may be extended, up to the procedure's maximum.
            StepName::Extend => match (open_stage, stage_rule) {
                (Some(_), Some(rule)) if rule.panel.is_none() && rule.max_extended_to > rule.respond_within => Ok(()),
                (Some(s), _) => Err(not_allowed(format!("Stage {} cannot be extended", s.number))),
                _ => Err(not_allowed("cannot extend: no stage is open")),
            },
            // SI 2009/309 reg. 13(7), 14(2): a period agreed with the complainant.
            StepName::AgreeResponsePeriod => match (open_stage, stage_rule) {
                (Some(_), Some(rule)) if rule.agreed_period.is_some() => Ok(()),
                (Some(_), _) => Err(not_allowed(format!(
                    "the {} procedure sets its own response periods: none is agreed with the complainant",
                    rules.procedure.name
                ))),
                _ => Err(not_allowed("cannot agree a response period: no stage is open (open Stage 1 first)")),
            },
            // The Regulations have no clock stop: a statutory deadline never runs past its
            // maximum. A council's own procedure may stop the clock where its policy says so.
            StepName::StopClock => match open_stage {
                _ if !rules.procedure.allows_clock_stops() => Err(not_allowed(format!(
                    "the {} procedure has no clock stops: its limits are fixed (SI 2006/1738 regs. 14 and 17)",
                    rules.procedure.name
                ))),
                Some(s) if s.clock_stopped() => Err(not_allowed("the clock is already stopped")),
                Some(_) => Ok(()),
                None => Err(not_allowed("cannot stop the clock: no stage is open")),
            },
            StepName::RestartClock => match open_stage {
                Some(s) if s.clock_stopped() => Ok(()),
                _ => Err(not_allowed("the clock is not stopped")),
            },
            // Reg. 17: an Investigating Officer and an Independent Person at Stage 2.
            StepName::AppointInvestigator => match (open_stage, stage_rule) {
                (Some(s), Some(rule)) if s.number == 2 && rule.panel.is_none() => Ok(()),
                (Some(s), _) => Err(not_allowed(format!(
                    "an Investigating Officer is appointed at Stage 2, not Stage {}",
                    s.number
                ))),
                _ => Err(not_allowed("cannot appoint: no stage is open")),
            },
            // Regs. 19-20: the review panel.
            StepName::RecordPanel => match (open_stage, stage_rule) {
                (Some(_), Some(rule)) if rule.panel.is_some() => Ok(()),
                (Some(s), _) => Err(not_allowed(format!(
                    "Stage {} is not a review panel stage",
                    s.number
                ))),
                _ => Err(not_allowed("cannot record a panel: no stage is open")),
            },
            StepName::Withdraw => {
                if self.status.is_final() {
                    Err(not_allowed(format!(
                        "cannot withdraw: the case is already {}",
                        status_words(self.status)
                    )))
                } else {
                    Ok(())
                }
            }
            StepName::Close => self.status_is(
                &[
                    Status::StageResponded,
                    Status::ResolvedAtInitialContact,
                    Status::Rejected,
                    Status::Withdrawn,
                ],
                "close",
            ),
            // A case that ended may be reopened, whatever ended it (a rejection or withdrawal
            // too: the ombudsman may find it was closed prematurely).
            StepName::Reopen => self.status_is(
                &[
                    Status::Closed,
                    Status::ResolvedAtInitialContact,
                    Status::StageResponded,
                    Status::Rejected,
                    Status::Withdrawn,
                ],
                "reopen",
            ),
            StepName::ChangeProcedure => {
                let mut allowed = Status::OPEN.to_vec();
                allowed.push(Status::StageResponded);
                self.status_is(&allowed, "change the procedure")?;
                if rules.procedures.iter().any(|p| p.name != self.procedure) {
                    Ok(())
                } else {
                    Err(not_allowed("the organisation runs no other procedure"))
                }
            }
            // Children Act 1989 s26(3)(e): the council decides whether anyone not listed has
            // sufficient interest in the child's welfare, before Stage 1.
            // Under another procedure it may be decided at any open point, so that the case
            // can move to the statutory one.
            StepName::DecideSufficientInterest => {
                if self.complainant_role.may_complain_as_of_right() {
                    Err(not_allowed(format!(
                        "a {} may complain as of right (s26(3))",
                        self.complainant_role.as_str().replace('_', " ")
                    )))
                } else if rules.procedure.is_statutory() {
                    self.status_is(&[Status::Received, Status::Acknowledged], "decide sufficient interest")
                } else {
                    self.status_is(&Status::OPEN, "decide sufficient interest")
                }
            }
            StepName::RecordOmbudsmanDecision => {
                if self.status == Status::Received {
                    Err(not_allowed("cannot record an ombudsman decision: the case is received"))
                } else {
                    Ok(())
                }
            }
            StepName::CompleteRemedy => {
                let open = self
                    .ombudsman
                    .iter()
                    .any(|o| o.remedies.iter().any(|r| r.completed_on.is_none()));
                if open {
                    Ok(())
                } else {
                    Err(not_allowed("no remedy is waiting to be completed"))
                }
            }
            StepName::AddAction => Ok(()),
            StepName::AcceptDraft | StepName::NotAComplaint => unreachable!("decided above"),
            StepName::CompleteAction => {
                if self.actions.iter().any(|a| a.completed_on.is_none()) {
                    Ok(())
                } else {
                    Err(not_allowed("no action is waiting to be completed"))
                }
            }
        }
    }

    /// The routes to the next stage GBfC allows: after a response (within the window, or late
    /// with a reason); when the stage in force is overdue with no response, Stage 1 opened or
    /// not; by agreement, straight from acknowledgement to Stage 2; and after closure, by an
    /// in-time request.
    fn escalation_guard(&self, rules: &Rules) -> Result<(), CaseError> {
        let last = self.stages.last();
        let next = last.map_or(1, |s| s.number + 1);
        let has_next = |n: u8| rules.procedure.stage(n as usize).is_some();
        match self.status {
            // GBfC 3.9: acknowledged, Stage 1 may be skipped by agreement; and once Stage 1's
            // deadline from receipt has passed (reg. 14), opened or not, Stage 2 may be asked for.
            Status::Acknowledged if has_next(2) => Ok(()),
            Status::Received if has_next(2) => {
                let due = self
                    .deadline(rules.procedure, rules.calendar, rules.today)
                    .map_err(|e| CaseError::timescale("requested_on", e))?;
                match due {
                    Some(d) if d.due_on < rules.today => Ok(()),
                    Some(d) => Err(not_allowed(format!(
                        "Stage 2 cannot start before Stage 1's deadline ({}) has passed: acknowledge the complaint first",
                        d.due_on
                    ))),
                    None => Err(not_allowed("cannot escalate: the case is received")),
                }
            }
            Status::StageResponded | Status::Closed
                if last.is_some_and(|s| s.outcome.is_some_and(|o| o.is_response())) =>
            {
                if has_next(next) {
                    Ok(())
                } else {
                    Err(not_allowed(format!(
                        "the {} procedure has no Stage {next}: the complainant may go to the Local Government and Social Care Ombudsman",
                        rules.procedure.name
                    )))
                }
            }
            Status::InStage => {
                let stage = last.ok_or_else(|| not_allowed("no stage is open"))?;
                if !has_next(next) {
                    return Err(not_allowed(format!(
                        "the {} procedure has no Stage {next}",
                        rules.procedure.name
                    )));
                }
                // GBfC 3.9: Stage 1 may be skipped by agreement while it runs.
                if stage.number == 1 {
                    return Ok(());
                }
                let due = stage
                    .deadline(rules.procedure, rules.calendar, rules.today)
                    .map_err(|e| CaseError::timescale("requested_on", e))?;
                match due {
                    Some(d) if d.due_on < rules.today && !d.paused => Ok(()),
                    Some(d) => Err(not_allowed(format!(
                        "Stage {next} cannot start before Stage {} has a response, or its deadline ({}) has passed",
                        stage.number, d.due_on
                    ))),
                    None => Err(not_allowed(format!(
                        "Stage {next} cannot start before Stage {} has a response",
                        stage.number
                    ))),
                }
            }
            status => Err(not_allowed(format!(
                "cannot escalate: the case is {}",
                status_words(status)
            ))),
        }
    }

    /// The latest ombudsman decision referred the complaint back as premature: the council may
    /// reopen it at the right stage.
    pub fn referred_back_as_premature(&self) -> bool {
        self.ombudsman
            .last()
            .is_some_and(|o| o.decision == OmbudsmanDecision::Premature)
    }
}

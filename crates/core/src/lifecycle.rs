//! The lifecycle as explicit transitions. Each either changes the case or is refused with a
//! reason a person understands; nothing else changes a case's state.

use crate::case::{Action, Case, OmbudsmanCase, PersonalDetails, Remedy, Stage};
use crate::limits;
use crate::vocabulary::{
    ActionKind, Channel, ComplainantRole, OmbudsmanDecision, Outcome, RemedyKind, Status,
};
use crate::{ClockStop, Procedure, TimescaleError};
use chrono::NaiveDate;
use redress_calendar::Calendar;
use serde::{Deserialize, Serialize};
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CaseError {
    /// The transition does not fit where the case is now.
    #[error("{0}")]
    NotAllowed(String),
    /// A value is wrong; `field` names it as the API and CSV name it.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
}

impl CaseError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        CaseError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }

    fn timescale(field: &str, err: TimescaleError) -> Self {
        CaseError::invalid(field, err.to_string())
    }
}

/// Everything needed to record a new complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewCase {
    /// Given by the council's old system on import; generated when absent.
    #[serde(default)]
    pub reference: Option<String>,
    pub procedure: String,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub complainant_role: ComplainantRole,
    #[serde(default)]
    pub child_complained: bool,
    #[serde(default)]
    pub advocacy_offered: bool,
    #[serde(default)]
    pub advocacy_taken_up: bool,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub personal: PersonalDetails,
}

impl NewCase {
    /// Checks the facts that do not need the store and makes the received case.
    pub fn into_case(self, reference: String, today: NaiveDate) -> Result<Case, CaseError> {
        if self.received_on > today {
            return Err(CaseError::invalid(
                "received_on",
                format!("{} is in the future", self.received_on),
            ));
        }
        if self.advocacy_taken_up && !self.advocacy_offered {
            return Err(CaseError::invalid(
                "advocacy_taken_up",
                "advocacy cannot be taken up without being offered",
            ));
        }
        limits::within(
            "reference",
            self.reference.as_deref().unwrap_or(""),
            limits::NAME,
        )?;
        limits::within("team", self.team.as_deref().unwrap_or(""), limits::NAME)?;
        limits::within("reason", self.reason.as_deref().unwrap_or(""), limits::NAME)?;
        self.personal.check_lengths()?;
        Ok(Case {
            child_complained: self.child_complained,
            advocacy_offered: self.advocacy_offered,
            advocacy_taken_up: self.advocacy_taken_up,
            team: self.team.filter(|t| !t.trim().is_empty()),
            reason: self.reason.filter(|r| !r.trim().is_empty()),
            personal: self.personal,
            ..Case::received(
                reference,
                self.procedure,
                self.received_on,
                self.channel,
                self.complainant_role,
            )
        })
    }
}

/// A remedy as the LGSCO sets it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewRemedy {
    pub kind: RemedyKind,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub amount_pence: Option<i64>,
    pub due_on: NaiveDate,
}

/// Every change a case can go through. The tag `transition` names it in the API and the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "transition", rename_all = "snake_case")]
pub enum Transition {
    Acknowledge {
        on: NaiveDate,
    },
    ResolveAtInitialContact {
        on: NaiveDate,
    },
    Reject {
        on: NaiveDate,
        reason: String,
    },
    /// Opens Stage 1; `on` defaults to the day of receipt.
    OpenStage1 {
        on: Option<NaiveDate>,
    },
    Respond {
        on: NaiveDate,
        outcome: Outcome,
    },
    /// The complainant asks for the next stage.
    Escalate {
        requested_on: NaiveDate,
        late_reason: Option<String>,
    },
    Extend {
        to_working_days: u32,
        reason: String,
    },
    StopClock {
        on: NaiveDate,
        reason: String,
    },
    RestartClock {
        on: NaiveDate,
    },
    AppointInvestigator {
        investigating_officer: String,
        independent_person: String,
    },
    RecordPanel {
        panel_on: NaiveDate,
        report_on: Option<NaiveDate>,
        /// The panel's members (an independent chair and two others), by name or sign-in email.
        #[serde(default)]
        members: Vec<String>,
    },
    Withdraw {
        on: NaiveDate,
    },
    Close {
        on: NaiveDate,
    },
    RecordOmbudsmanDecision {
        decision: OmbudsmanDecision,
        decided_on: NaiveDate,
        lgsco_reference: Option<String>,
        #[serde(default)]
        remedies: Vec<NewRemedy>,
    },
    /// Marks remedy `remedy` (counting from 0) of ombudsman case `ombudsman` done.
    CompleteRemedy {
        ombudsman: usize,
        remedy: usize,
        on: NaiveDate,
    },
    AddAction {
        kind: ActionKind,
        description: String,
        owner_team: String,
        due_on: NaiveDate,
    },
    /// Marks action `action` (counting from 0) done.
    CompleteAction {
        action: usize,
        on: NaiveDate,
    },
}

impl Transition {
    /// The name used in the audit log.
    pub fn name(&self) -> &'static str {
        match self {
            Transition::Acknowledge { .. } => "acknowledge",
            Transition::ResolveAtInitialContact { .. } => "resolve_at_initial_contact",
            Transition::Reject { .. } => "reject",
            Transition::OpenStage1 { .. } => "open_stage1",
            Transition::Respond { .. } => "respond",
            Transition::Escalate { .. } => "escalate",
            Transition::Extend { .. } => "extend",
            Transition::StopClock { .. } => "stop_clock",
            Transition::RestartClock { .. } => "restart_clock",
            Transition::AppointInvestigator { .. } => "appoint_investigator",
            Transition::RecordPanel { .. } => "record_panel",
            Transition::Withdraw { .. } => "withdraw",
            Transition::Close { .. } => "close",
            Transition::RecordOmbudsmanDecision { .. } => "record_ombudsman_decision",
            Transition::CompleteRemedy { .. } => "complete_remedy",
            Transition::AddAction { .. } => "add_action",
            Transition::CompleteAction { .. } => "complete_action",
        }
    }
}

fn required(field: &str, text: &str) -> Result<(), CaseError> {
    if text.trim().is_empty() {
        Err(CaseError::invalid(field, "must not be empty"))
    } else {
        Ok(())
    }
}

fn not_before(
    field: &str,
    date: NaiveDate,
    earliest: NaiveDate,
    what: &str,
) -> Result<(), CaseError> {
    if date < earliest {
        Err(CaseError::invalid(
            field,
            format!("{date} is before {what} ({earliest})"),
        ))
    } else {
        Ok(())
    }
}

fn not_allowed(message: impl Into<String>) -> CaseError {
    CaseError::NotAllowed(message.into())
}

impl Case {
    fn open_stage_mut(&mut self, doing: &str) -> Result<&mut Stage, CaseError> {
        if self.status != Status::InStage {
            return Err(not_allowed(format!(
                "cannot {doing}: the case has no stage open (it is {})",
                self.status.as_str().replace('_', " ")
            )));
        }
        self.stages
            .last_mut()
            .filter(|s| s.is_open())
            .ok_or_else(|| not_allowed(format!("cannot {doing}: no stage is open")))
    }

    fn require_status(&self, allowed: &[Status], doing: &str) -> Result<(), CaseError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(not_allowed(format!(
                "cannot {doing}: the case is {}",
                self.status.as_str().replace('_', " ")
            )))
        }
    }

    /// Applies one transition, or refuses it and leaves the case as it was.
    pub fn apply(
        &mut self,
        transition: &Transition,
        procedure: &Procedure,
        calendar: &Calendar,
    ) -> Result<(), CaseError> {
        transition.check_lengths()?;
        let mut next = self.clone();
        next.apply_in_place(transition, procedure, calendar)?;
        *self = next;
        Ok(())
    }

    fn apply_in_place(
        &mut self,
        transition: &Transition,
        procedure: &Procedure,
        calendar: &Calendar,
    ) -> Result<(), CaseError> {
        match transition {
            Transition::Acknowledge { on } => {
                self.require_status(&[Status::Received], "acknowledge")?;
                not_before("on", *on, self.received_on, "the day of receipt")?;
                self.acknowledged_on = Some(*on);
                self.status = Status::Acknowledged;
            }
            Transition::ResolveAtInitialContact { on } => {
                self.require_status(&[Status::Acknowledged], "resolve at initial contact")?;
                not_before("on", *on, self.received_on, "the day of receipt")?;
                self.resolved_on = Some(*on);
                self.status = Status::ResolvedAtInitialContact;
            }
            Transition::Reject { on, reason } => {
                self.require_status(&[Status::Acknowledged], "reject")?;
                required("reason", reason)?;
                not_before("on", *on, self.received_on, "the day of receipt")?;
                self.rejected_on = Some(*on);
                self.rejected_reason = Some(reason.trim().to_string());
                self.status = Status::Rejected;
            }
            Transition::OpenStage1 { on } => {
                self.require_status(&[Status::Acknowledged], "open Stage 1")?;
                let on = on.unwrap_or(self.received_on);
                not_before("on", on, self.received_on, "the day of receipt")?;
                if self.team.is_none() {
                    return Err(CaseError::invalid(
                        "team",
                        "a case needs a team before Stage 1",
                    ));
                }
                self.stages.push(Stage::opened(1, on));
                self.status = Status::InStage;
            }
            Transition::Respond { on, outcome } => {
                let stage = self.open_stage_mut("respond")?;
                not_before("on", *on, stage.started_on, "the stage's start")?;
                if procedure
                    .stage(stage.number as usize)
                    .and_then(|r| r.panel)
                    .is_some()
                    && stage.panel_on.is_none()
                    && outcome.is_response()
                {
                    return Err(not_allowed(format!(
                        "Stage {} cannot be responded to before the panel has met: record the panel first",
                        stage.number
                    )));
                }
                if let Some(panel_on) = stage.panel_on {
                    not_before("on", *on, panel_on, "the panel")?;
                }
                close_stop(stage, *on);
                stage.responded_on = Some(*on);
                stage.outcome = Some(*outcome);
                self.status = if outcome.is_response() {
                    Status::StageResponded
                } else {
                    self.withdrawn_on = Some(*on);
                    Status::Withdrawn
                };
            }
            Transition::Escalate {
                requested_on,
                late_reason,
            } => {
                let current = self.stages.last();
                let next_number = current.map_or(1, |s| s.number + 1);
                if self.status != Status::StageResponded {
                    return Err(not_allowed(match current {
                        Some(s) if s.is_open() => format!(
                            "Stage {next_number} cannot start before Stage {} has a response",
                            s.number
                        ),
                        _ => format!(
                            "cannot escalate: the case is {}",
                            self.status.as_str().replace('_', " ")
                        ),
                    }));
                }
                let current =
                    current.ok_or_else(|| not_allowed("the case has no stage to escalate from"))?;
                let rule = procedure.stage(current.number as usize).ok_or_else(|| {
                    not_allowed(format!(
                        "the {} procedure has no Stage {}",
                        procedure.name, current.number
                    ))
                })?;
                if procedure.stage(next_number as usize).is_none() {
                    return Err(not_allowed(format!(
                        "the {} procedure has no Stage {next_number}",
                        procedure.name
                    )));
                }
                let responded_on = current.responded_on.ok_or_else(|| {
                    not_allowed(format!("Stage {} has no response yet", current.number))
                })?;
                not_before("requested_on", *requested_on, responded_on, "the response")?;
                let late_reason = late_reason
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty());
                let in_time = rule
                    .next_stage_requested_in_time(calendar, responded_on, *requested_on)
                    .map_err(|e| CaseError::timescale("requested_on", e))?;
                if !in_time && late_reason.is_none() {
                    let window = rule.request_next_within.unwrap_or_default();
                    return Err(CaseError::invalid(
                        "late_reason",
                        format!(
                            "the request came after the {window} working days allowed from the Stage {} response: record why it is accepted",
                            current.number
                        ),
                    ));
                }
                let mut stage = Stage::opened(next_number, *requested_on);
                stage.late_request_reason = late_reason.map(str::to_string);
                self.stages.push(stage);
                self.status = Status::InStage;
            }
            Transition::Extend {
                to_working_days,
                reason,
            } => {
                required("reason", reason)?;
                let stage = self.open_stage_mut("extend")?;
                let number = stage.number;
                let rule = procedure.stage(number as usize).ok_or_else(|| {
                    not_allowed(format!(
                        "the {} procedure has no Stage {number}",
                        procedure.name
                    ))
                })?;
                rule.limit_in_force(Some(*to_working_days))
                    .map_err(|e| CaseError::timescale("to_working_days", e))?;
                stage.extended_to = Some(*to_working_days);
                stage.extension_reason = Some(reason.trim().to_string());
            }
            Transition::StopClock { on, reason } => {
                required("reason", reason)?;
                let stage = self.open_stage_mut("stop the clock")?;
                if stage.clock_stopped() {
                    return Err(not_allowed("the clock is already stopped"));
                }
                not_before("on", *on, stage.started_on, "the stage's start")?;
                if let Some(last) = stage.clock_stops.last().and_then(|s| s.restarted_on) {
                    not_before("on", *on, last, "the last restart")?;
                }
                stage.clock_stops.push(ClockStop {
                    stopped_on: *on,
                    restarted_on: None,
                    reason: reason.trim().to_string(),
                });
            }
            Transition::RestartClock { on } => {
                let stage = self.open_stage_mut("restart the clock")?;
                let stop = stage
                    .clock_stops
                    .last_mut()
                    .filter(|s| s.restarted_on.is_none())
                    .ok_or_else(|| not_allowed("the clock is not stopped"))?;
                not_before("on", *on, stop.stopped_on, "the day it was stopped")?;
                stop.restarted_on = Some(*on);
            }
            Transition::AppointInvestigator {
                investigating_officer,
                independent_person,
            } => {
                required("investigating_officer", investigating_officer)?;
                required("independent_person", independent_person)?;
                let stage = self.open_stage_mut("appoint an Investigating Officer")?;
                if stage.number != 2 {
                    return Err(not_allowed(format!(
                        "an Investigating Officer and an Independent Person are appointed at Stage 2, not Stage {}",
                        stage.number
                    )));
                }
                if investigating_officer.trim() == independent_person.trim() {
                    return Err(CaseError::invalid(
                        "independent_person",
                        "the Independent Person must not be the Investigating Officer",
                    ));
                }
                stage.investigating_officer = Some(investigating_officer.trim().to_string());
                stage.independent_person = Some(independent_person.trim().to_string());
            }
            Transition::RecordPanel {
                panel_on,
                report_on,
                members,
            } => {
                let stage = self.open_stage_mut("record the panel")?;
                if procedure
                    .stage(stage.number as usize)
                    .and_then(|r| r.panel)
                    .is_none()
                {
                    return Err(not_allowed(format!(
                        "Stage {} is not a review panel stage",
                        stage.number
                    )));
                }
                not_before("panel_on", *panel_on, stage.started_on, "the request")?;
                if let Some(report_on) = report_on {
                    not_before("report_on", *report_on, *panel_on, "the panel")?;
                }
                if let Some(blank) = members.iter().position(|m| m.trim().is_empty()) {
                    return Err(CaseError::invalid(
                        &format!("members[{blank}]"),
                        "must not be empty",
                    ));
                }
                stage.panel_on = Some(*panel_on);
                stage.panel_report_on = *report_on;
                if !members.is_empty() {
                    stage.panel_members = members.iter().map(|m| m.trim().to_string()).collect();
                }
            }
            Transition::Withdraw { on } => {
                if self.status.is_final() {
                    return Err(not_allowed(format!(
                        "cannot withdraw: the case is already {}",
                        self.status.as_str().replace('_', " ")
                    )));
                }
                not_before("on", *on, self.received_on, "the day of receipt")?;
                if let Some(stage) = self.stages.last_mut().filter(|s| s.is_open()) {
                    close_stop(stage, *on);
                    stage.responded_on = Some(*on);
                    stage.outcome = Some(Outcome::Withdrawn);
                }
                self.withdrawn_on = Some(*on);
                self.status = Status::Withdrawn;
            }
            Transition::Close { on } => {
                if self.status == Status::Closed {
                    return Err(not_allowed("the case is already closed"));
                }
                if matches!(
                    self.status,
                    Status::Received | Status::Acknowledged | Status::InStage
                ) {
                    return Err(not_allowed(format!(
                        "cannot close: the case is {}; respond, resolve, reject or withdraw it first",
                        self.status.as_str().replace('_', " ")
                    )));
                }
                not_before("on", *on, self.received_on, "the day of receipt")?;
                self.closed_on = Some(*on);
                self.status = Status::Closed;
            }
            Transition::RecordOmbudsmanDecision {
                decision,
                decided_on,
                lgsco_reference,
                remedies,
            } => {
                self.require_status(
                    &[
                        Status::Acknowledged,
                        Status::ResolvedAtInitialContact,
                        Status::Rejected,
                        Status::InStage,
                        Status::StageResponded,
                        Status::Withdrawn,
                        Status::Closed,
                    ],
                    "record an ombudsman decision",
                )?;
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
                    lgsco_reference: lgsco_reference.clone().filter(|r| !r.trim().is_empty()),
                    remedies: recorded,
                });
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

/// A change to a case's recorded facts (not its lifecycle). Absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseUpdate {
    pub channel: Option<Channel>,
    pub complainant_role: Option<ComplainantRole>,
    pub child_complained: Option<bool>,
    pub advocacy_offered: Option<bool>,
    pub advocacy_taken_up: Option<bool>,
    pub team: Option<String>,
    pub reason: Option<String>,
    pub personal: Option<PersonalDetails>,
}

impl Case {
    pub fn update(&mut self, update: &CaseUpdate) -> Result<(), CaseError> {
        let mut next = self.clone();
        if let Some(channel) = update.channel {
            next.channel = channel;
        }
        if let Some(role) = update.complainant_role {
            next.complainant_role = role;
        }
        if let Some(flag) = update.child_complained {
            next.child_complained = flag;
        }
        if let Some(flag) = update.advocacy_offered {
            next.advocacy_offered = flag;
        }
        if let Some(flag) = update.advocacy_taken_up {
            next.advocacy_taken_up = flag;
        }
        if let Some(team) = &update.team {
            required("team", team)?;
            limits::within("team", team, limits::NAME)?;
            next.team = Some(team.trim().to_string());
        }
        if let Some(reason) = &update.reason {
            required("reason", reason)?;
            limits::within("reason", reason, limits::NAME)?;
            next.reason = Some(reason.trim().to_string());
        }
        if let Some(personal) = &update.personal {
            personal.check_lengths()?;
            next.personal = personal.clone();
        }
        if next.advocacy_taken_up && !next.advocacy_offered {
            return Err(CaseError::invalid(
                "advocacy_taken_up",
                "advocacy cannot be taken up without being offered",
            ));
        }
        *self = next;
        Ok(())
    }
}

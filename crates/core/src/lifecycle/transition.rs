//! Every change a case can go through, as the API and the audit log name it.

use super::NewRemedy;
use crate::values::WorkingDays;
use crate::vocabulary::{ActionKind, ComplainantRole, OmbudsmanDecision, Outcome};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Every change a case can go through. The tag `transition` names it in the API and the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "transition", rename_all = "snake_case", deny_unknown_fields)]
pub enum Transition {
    /// The complaint's acknowledgement; on an open later stage, that stage's own (LGSCO Code).
    Acknowledge {
        on: NaiveDate,
    },
    ResolveAtInitialContact {
        on: NaiveDate,
    },
    /// Refuses the complaint at any open status, e.g. when court proceedings come to light.
    Reject {
        on: NaiveDate,
        reason: String,
    },
    /// Opens Stage 1; `on` defaults to the day of receipt, and a later day needs `reason`.
    /// Its clock runs from receipt whatever the day (reg. 14); `on` is kept as `opened_on`.
    /// A statutory complaint made more than a year after the matter arose needs
    /// `late_complaint_grounds` (reg. 9(2)).
    OpenStage1 {
        on: Option<NaiveDate>,
        #[serde(default)]
        reason: Option<String>,
        #[serde(default)]
        late_complaint_grounds: Option<String>,
    },
    Respond {
        on: NaiveDate,
        outcome: Outcome,
    },
    /// The complainant asks for the next stage: after a response, or when the stage in force
    /// is overdue (it is closed as not responded in time; a Stage 1 never opened is recorded
    /// as started on receipt and closed so), or, with `skip_agreed` and a
    /// `reason`, straight to Stage 2 when the council and the complainant agree: before Stage 1
    /// opens, or while it is open (it is closed then, with no outcome).
    Escalate {
        requested_on: NaiveDate,
        #[serde(default)]
        late_reason: Option<String>,
        #[serde(default)]
        skip_agreed: bool,
        #[serde(default)]
        reason: Option<String>,
        /// For a skip by agreement, or Stage 1 overdue before it was opened, of a complaint
        /// made more than a year after the matter arose: why it is considered all the same
        /// (reg. 9(2)).
        #[serde(default)]
        late_complaint_grounds: Option<String>,
    },
    /// Extends the stage's limit; `on` is the day it was agreed (today when absent).
    Extend {
        #[schema(value_type = u32, minimum = 1, maximum = 261)]
        to_working_days: WorkingDays,
        reason: String,
        #[serde(default)]
        on: Option<NaiveDate>,
        /// The day the complainant was told, in writing, why (reg. 17(3)).
        #[serde(default)]
        notified_on: Option<NaiveDate>,
    },
    /// Records the response period agreed with the complainant (SI 2009/309 reg. 13(7)):
    /// the response is due `working_days` after `agreed_on`. A later agreement, when the date
    /// in force will be missed, needs `reason` and the day the complainant was told
    /// (`notified_on`, reg. 14(2)).
    AgreeResponsePeriod {
        agreed_on: NaiveDate,
        #[schema(value_type = u32, minimum = 1, maximum = 261)]
        working_days: WorkingDays,
        #[serde(default)]
        reason: Option<String>,
        #[serde(default)]
        notified_on: Option<NaiveDate>,
    },
    StopClock {
        on: NaiveDate,
        reason: String,
    },
    RestartClock {
        on: NaiveDate,
    },
    /// The Investigating Officer, and the Independent Person (required on the statutory
    /// procedure, optional on a council's own).
    AppointInvestigator {
        investigating_officer: String,
        #[serde(default)]
        independent_person: String,
    },
    RecordPanel {
        panel_on: NaiveDate,
        report_on: Option<NaiveDate>,
        /// The panel's three members, by name or sign-in email (reg. 19).
        #[serde(default)]
        members: Vec<String>,
        /// The independent chair, one of `members`.
        #[serde(default)]
        chair: Option<String>,
    },
    Withdraw {
        on: NaiveDate,
    },
    Close {
        on: NaiveDate,
    },
    /// Puts a closed or resolved case back where it was, with the reason.
    Reopen {
        reason: String,
    },
    /// Moves the case to another of the organisation's procedures; the stages keep their
    /// dates and the deadlines are counted under the new one.
    ChangeProcedure {
        procedure: String,
        reason: String,
    },
    /// The council's decision whether a complainant not listed in s26(3) has sufficient
    /// interest in the child's welfare; `no` needs a reason.
    DecideSufficientInterest {
        sufficient: bool,
        #[serde(default)]
        reason: String,
    },
    RecordOmbudsmanDecision {
        decision: OmbudsmanDecision,
        decided_on: NaiveDate,
        /// The ombudsman's own reference (LGSCO, PSOW, SPSO or NIPSO); also accepted as
        /// `ombudsman_reference`.
        #[serde(alias = "ombudsman_reference")]
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
    /// Accepts a case drafted from an email as a complaint under `procedure`: it becomes
    /// received, on the day the message arrived.
    AcceptDraft {
        on: NaiveDate,
        procedure: String,
        complainant_role: ComplainantRole,
        #[serde(default)]
        team: Option<String>,
        #[serde(default)]
        reason: Option<String>,
    },
    /// Records that a drafted message is not a complaint (a compliment, a service request,
    /// spam), with why.
    NotAComplaint {
        on: NaiveDate,
        reason: String,
    },
}

impl Transition {
    /// The name used in the API, the audit log and the pages.
    pub fn name(&self) -> &'static str {
        self.step().as_str()
    }

    pub fn step(&self) -> super::StepName {
        use super::StepName as S;
        match self {
            Transition::Acknowledge { .. } => S::Acknowledge,
            Transition::ResolveAtInitialContact { .. } => S::ResolveAtInitialContact,
            Transition::Reject { .. } => S::Reject,
            Transition::OpenStage1 { .. } => S::OpenStage1,
            Transition::Respond { .. } => S::Respond,
            Transition::Escalate { .. } => S::Escalate,
            Transition::Extend { .. } => S::Extend,
            Transition::AgreeResponsePeriod { .. } => S::AgreeResponsePeriod,
            Transition::StopClock { .. } => S::StopClock,
            Transition::RestartClock { .. } => S::RestartClock,
            Transition::AppointInvestigator { .. } => S::AppointInvestigator,
            Transition::RecordPanel { .. } => S::RecordPanel,
            Transition::Withdraw { .. } => S::Withdraw,
            Transition::Close { .. } => S::Close,
            Transition::Reopen { .. } => S::Reopen,
            Transition::ChangeProcedure { .. } => S::ChangeProcedure,
            Transition::DecideSufficientInterest { .. } => S::DecideSufficientInterest,
            Transition::RecordOmbudsmanDecision { .. } => S::RecordOmbudsmanDecision,
            Transition::CompleteRemedy { .. } => S::CompleteRemedy,
            Transition::AddAction { .. } => S::AddAction,
            Transition::CompleteAction { .. } => S::CompleteAction,
            Transition::AcceptDraft { .. } => S::AcceptDraft,
            Transition::NotAComplaint { .. } => S::NotAComplaint,
        }
    }
}

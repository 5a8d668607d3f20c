//! A complaint and everything that happens to it: its stages, ombudsman cases and actions.

use crate::vocabulary::{
    ActionKind, Channel, ComplainantRole, OmbudsmanDecision, Outcome, RemedyKind, Status,
};
use crate::{CaseFacts, ClockStop, Deadline, Procedure, StageClock, TimescaleError};
use chrono::NaiveDate;
use redress_calendar::Calendar;
use serde::{Deserialize, Serialize};

/// The personal data of a case, kept apart from the facts the statistics need so that a
/// retention schedule can erase it and keep every count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PersonalDetails {
    #[schema(max_length = 200)]
    pub complainant_name: String,
    #[schema(max_length = 254)]
    pub contact_email: String,
    #[schema(max_length = 40)]
    pub contact_phone: String,
    #[schema(max_length = 1000)]
    pub contact_address: String,
    /// The children concerned, by their ids in the council's social care system (at most 50).
    #[schema(max_items = 50)]
    pub children: Vec<String>,
    #[schema(max_length = 20000)]
    pub summary: String,
    #[schema(max_length = 20000)]
    pub outcome_wanted: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stage {
    pub number: u8,
    /// The day the stage's clock starts from: for Stage 1 always the day of receipt (reg. 14:
    /// 10 working days from receipt, however late it was opened); for Stage 2 and 3 the day
    /// the request was received (regs. 17(1), 18(1)).
    pub started_on: NaiveDate,
    /// The day Stage 1 was actually opened, kept apart from `started_on` so a late opening is a
    /// fact on the record and never moves the deadline. `None` for later stages (opened the day
    /// they start) and for a Stage 1 closed as overdue before anyone opened it.
    #[serde(default)]
    pub opened_on: Option<NaiveDate>,
    /// Why a request made outside the procedure's window was accepted.
    pub late_request_reason: Option<String>,
    pub extended_to: Option<u32>,
    pub extension_reason: Option<String>,
    pub clock_stops: Vec<ClockStop>,
    pub responded_on: Option<NaiveDate>,
    pub outcome: Option<Outcome>,
    pub investigating_officer: Option<String>,
    pub independent_person: Option<String>,
    pub panel_on: Option<NaiveDate>,
    pub panel_report_on: Option<NaiveDate>,
    /// The review panel's members; those named by a sign-in email may see the case.
    #[serde(default)]
    pub panel_members: Vec<String>,
    /// The panel's independent chair, one of `panel_members` (reg. 19).
    #[serde(default)]
    pub panel_chair: Option<String>,
    /// When this stage was acknowledged: for Stage 1 the complaint's acknowledgement; for a
    /// later stage its own (the LGSCO Code acknowledges each stage).
    #[serde(default)]
    pub acknowledged_on: Option<NaiveDate>,
    /// When the extension was agreed; one agreed after the deadline in force is refused.
    #[serde(default)]
    pub extension_agreed_on: Option<NaiveDate>,
    /// When the complainant was told of the extension, and why (reg. 17(3)).
    #[serde(default)]
    pub extension_notified_on: Option<NaiveDate>,
    /// The day the extension was recorded, when after the day it was agreed: a backdated
    /// extension is kept, and shown as recorded late.
    #[serde(default)]
    pub extension_recorded_on: Option<NaiveDate>,
    /// Extended, by an amount the record does not give (an import's `extended: yes`):
    /// `extended_to` stays empty rather than inventing a length.
    #[serde(default)]
    pub extension_length_unknown: bool,
    /// The stage as it stood each time it was answered and then reopened, oldest first: a
    /// reopening never erases a response. The first round is the one reports judge.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub earlier_rounds: Vec<Stage>,
    /// The procedure and version the stage ran under: an answered stage is judged by it
    /// whatever changes later (a change of procedure, a preset's new version, a procedure
    /// removed). An open stage follows its case's procedure as it stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ran_under: Option<RanUnder>,
    /// The response periods agreed with the complainant, oldest first (SI 2009/309 reg.
    /// 14(2)); the latest agreed by a day is the one in force that day.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub response_periods: Vec<ResponsePeriod>,
}

/// A response period agreed with the complainant: the response is due `working_days` after
/// the day it was agreed. A later agreement (the agreed date will be missed) says why and
/// when the complainant was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ResponsePeriod {
    pub agreed_on: NaiveDate,
    pub working_days: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notified_on: Option<NaiveDate>,
}

/// A procedure by name and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RanUnder {
    pub procedure: String,
    pub version: u32,
}

impl Stage {
    pub fn opened(number: u8, started_on: NaiveDate) -> Self {
        Stage {
            number,
            started_on,
            opened_on: None,
            late_request_reason: None,
            extended_to: None,
            extension_reason: None,
            clock_stops: Vec::new(),
            responded_on: None,
            outcome: None,
            investigating_officer: None,
            independent_person: None,
            panel_on: None,
            panel_report_on: None,
            panel_members: Vec::new(),
            panel_chair: None,
            acknowledged_on: None,
            extension_agreed_on: None,
            extension_notified_on: None,
            extension_recorded_on: None,
            extension_length_unknown: false,
            earlier_rounds: Vec::new(),
            ran_under: None,
            response_periods: Vec::new(),
        }
    }

    /// The stage as first answered (or as it stands, if never reopened): what the reports
    /// count and judge, so a later reopening never changes a published figure.
    pub fn first_round(&self) -> &Stage {
        self.earlier_rounds.first().unwrap_or(self)
    }

    /// The day the stage was last reopened, if it was.
    pub fn reopened_on(&self) -> Option<NaiveDate> {
        self.earlier_rounds.last().map(|_| self.started_on)
    }

    /// Opens a closed stage again on `on` as a new round: the round that ended is kept whole
    /// in `earlier_rounds`, and the new one runs its own clock from the reopening (the
    /// council's policy: the stage's timescale again, as for a new request). The people
    /// appointed stay appointed.
    pub(crate) fn reopen(&mut self, on: NaiveDate) {
        let mut round = Stage::opened(self.number, on);
        round.acknowledged_on = Some(on);
        round.investigating_officer = self.investigating_officer.clone();
        round.independent_person = self.independent_person.clone();
        round.panel_members = self.panel_members.clone();
        round.panel_chair = self.panel_chair.clone();
        round.ran_under = self.ran_under.clone();
        let mut ended = std::mem::replace(self, round);
        self.earlier_rounds = std::mem::take(&mut ended.earlier_rounds);
        self.earlier_rounds.push(ended);
    }

    /// Whether the stage was extended, by a known length or not.
    pub fn extended(&self) -> bool {
        self.extended_to.is_some() || self.extension_length_unknown
    }

    pub fn is_open(&self) -> bool {
        self.responded_on.is_none()
    }

    /// The day work on the stage began: the day it was opened, or its start.
    pub fn opened_or_started_on(&self) -> NaiveDate {
        self.opened_on
            .unwrap_or(self.started_on)
            .max(self.started_on)
    }

    pub fn clock_stopped(&self) -> bool {
        self.clock_stops.iter().any(|s| s.restarted_on.is_none())
    }

    /// The stage's clock. An extension of unknown length is judged against the most the
    /// stage may be extended to (regs. 14(2), 17(2); the Code's 10 working days): the record
    /// says it was extended, and no lawful extension ran longer, so a response within it is
    /// not called late on a guess.
    fn clock(&self, rule: &crate::StageRule) -> StageClock<'_> {
        let extended_to = self.extended_to.or(self
            .extension_length_unknown
            .then_some(rule.max_extended_to)
            .filter(|max| *max > rule.respond_within));
        StageClock {
            started_on: self.started_on,
            acknowledged_on: self.acknowledged_on,
            extended_to,
            stops: &self.clock_stops,
            response_periods: &self.response_periods,
        }
    }

    /// The deadline in force on `as_of`. On a panel stage it is the panel's date until the
    /// panel has met, then the council's response.
    pub fn deadline(
        &self,
        procedure: &Procedure,
        calendar: &Calendar,
        as_of: NaiveDate,
    ) -> Result<Option<Deadline>, TimescaleError> {
        let Some(rule) = procedure.stage(self.number as usize) else {
            return Ok(None);
        };
        if let Some(panel) = rule.panel {
            // Regs. 19-20: the panel meets within 30 working days of the request; the council
            // responds within 15 of receiving the report, or, while the report's date is not
            // known, within 20 of the panel (5 to report, 15 to respond).
            let due_on = match (self.panel_on, self.panel_report_on) {
                (None, _) => calendar.add_working_days(self.started_on, panel.meet_within)?,
                (Some(_), Some(report)) => {
                    calendar.add_working_days(report, panel.respond_within)?
                }
                (Some(met), None) => {
                    calendar.add_working_days(met, panel.response_after_panel())?
                }
            };
            return Ok(Some(Deadline {
                due_on,
                paused: false,
            }));
        }
        rule.deadline(calendar, &self.clock(rule), as_of).map(Some)
    }

    /// Whether a responded stage met its timescale; `None` while open, withdrawn or closed
    /// without a response. A review panel is judged by all three of regs. 19 and 20.
    pub fn within_timescale(
        &self,
        procedure: &Procedure,
        calendar: &Calendar,
    ) -> Result<Option<bool>, TimescaleError> {
        let (Some(responded_on), Some(outcome)) = (self.responded_on, self.outcome) else {
            return Ok(None);
        };
        if outcome == crate::Outcome::NotRespondedInTime {
            return Ok(Some(false));
        }
        if !outcome.is_response() {
            return Ok(None);
        }
        let Some(rule) = procedure.stage(self.number as usize) else {
            return Ok(None);
        };
        match (rule.panel, self.panel_on) {
            (Some(panel), Some(panel_on)) => panel
                .judge(
                    calendar,
                    self.started_on,
                    panel_on,
                    self.panel_report_on,
                    responded_on,
                )
                .map(|j| Some(j.in_time)),
            (Some(_), None) => Ok(Some(false)),
            (None, _) => rule
                .responded_within_timescale(calendar, &self.clock(rule), responded_on)
                .map(Some),
        }
    }

    /// A responded review panel whose report date is unknown (as in imported history), judged
    /// by the fallback of 20 working days from the panel to the response.
    pub fn panel_judged_by_fallback(&self, procedure: &Procedure) -> bool {
        let panel_stage = procedure
            .stage(self.number as usize)
            .is_some_and(|r| r.panel.is_some());
        panel_stage
            && self.panel_on.is_some()
            && self.panel_report_on.is_none()
            && self.responded_on.is_some()
            && self.outcome.is_some_and(|o| o.is_response())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Remedy {
    pub kind: RemedyKind,
    #[serde(default)]
    pub description: String,
    /// For a payment, the amount in pence.
    #[serde(default)]
    pub amount_pence: Option<i64>,
    pub due_on: NaiveDate,
    #[serde(default)]
    pub completed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OmbudsmanCase {
    pub decision: OmbudsmanDecision,
    pub decided_on: NaiveDate,
    #[serde(default)]
    pub lgsco_reference: Option<String>,
    #[serde(default)]
    pub remedies: Vec<Remedy>,
}

/// A recommendation or learning, followed until it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Action {
    pub kind: ActionKind,
    pub description: String,
    pub owner_team: String,
    pub due_on: NaiveDate,
    #[serde(default)]
    pub completed_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Case {
    pub(crate) reference: String,
    pub(crate) procedure: String,
    pub(crate) received_on: NaiveDate,
    pub(crate) channel: Channel,
    pub(crate) complainant_role: ComplainantRole,
    pub(crate) child_complained: bool,
    pub(crate) advocacy_offered: bool,
    pub(crate) advocacy_taken_up: bool,
    pub(crate) team: Option<String>,
    pub(crate) reason: Option<String>,
    pub(crate) status: Status,
    pub(crate) acknowledged_on: Option<NaiveDate>,
    pub(crate) resolved_on: Option<NaiveDate>,
    pub(crate) rejected_on: Option<NaiveDate>,
    pub(crate) rejected_reason: Option<String>,
    pub(crate) withdrawn_on: Option<NaiveDate>,
    pub(crate) closed_on: Option<NaiveDate>,
    pub(crate) stages: Vec<Stage>,
    pub(crate) ombudsman: Vec<OmbudsmanCase>,
    pub(crate) actions: Vec<Action>,
    pub(crate) personal: PersonalDetails,
    /// The language the complainant is written to in.
    #[serde(default)]
    pub(crate) language: crate::Language,
    /// When the matter complained about arose (reg. 9: a complaint more than a year later is
    /// out of time unless the council accepts it).
    #[serde(default)]
    pub(crate) matter_arose_on: Option<NaiveDate>,
    /// Why a complaint out of time is considered all the same (reg. 9(2)).
    #[serde(default)]
    pub(crate) late_complaint_grounds: Option<String>,
    /// For a complainant not listed in s26(3), the council's decision whether they have
    /// sufficient interest in the child's welfare.
    #[serde(default)]
    pub(crate) sufficient_interest: Option<SufficientInterest>,
    /// Each reopening of the case, with the ending it undid: the dates stay on the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) reopenings: Vec<Reopening>,
    /// Each change of procedure, with the day and the procedure it left.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) procedure_changes: Vec<ProcedureChange>,
    /// For a case drafted from an email, what an officer decided about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) draft: Option<Draft>,
}

/// A case drafted from a message to the council's complaints mailbox. It waits for an officer
/// to accept it as a complaint (choosing its procedure) or to find it is not one. Its
/// received date is the message's arrival, and every clock runs from that day however late it
/// is accepted (reg. 14(1): Stage 1 runs from the day the representations are received).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Draft {
    #[serde(default)]
    pub accepted_on: Option<NaiveDate>,
    #[serde(default)]
    pub not_a_complaint: Option<NotAComplaint>,
}

/// An officer's finding that a drafted message is not a complaint (a compliment, a service
/// request, spam), with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NotAComplaint {
    pub decided_on: NaiveDate,
    pub reason: String,
}

/// A case moved on `changed_on` from procedure `from` to the one that followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ProcedureChange {
    pub changed_on: NaiveDate,
    pub from: String,
}

/// A case reopened on `reopened_on`, and how it had ended: resolved, rejected, withdrawn or
/// closed on those dates, or a stage answered (the stage keeps that round itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reopening {
    pub reopened_on: NaiveDate,
    /// The status the case had before it was reopened.
    pub was: Status,
    #[serde(default)]
    pub resolved_on: Option<NaiveDate>,
    #[serde(default)]
    pub rejected_on: Option<NaiveDate>,
    #[serde(default)]
    pub rejected_reason: Option<String>,
    #[serde(default)]
    pub withdrawn_on: Option<NaiveDate>,
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
}

/// The council's decision on "sufficient interest" (Children Act 1989 s26(3)(e)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SufficientInterest {
    pub decided: bool,
    /// Why: required when the answer is no.
    #[serde(default)]
    pub reason: String,
}

impl Case {
    /// The sign-in emails (lower case, no repeats) of everyone appointed to the case: each
    /// stage's Investigating Officer, Independent Person and panel members. Names that are
    /// not emails appoint nobody who can sign in.
    pub fn appointee_emails(&self) -> Vec<String> {
        let mut emails: Vec<String> = self
            .stages
            .iter()
            .flat_map(|s| {
                s.investigating_officer
                    .iter()
                    .chain(s.independent_person.iter())
                    .chain(s.panel_members.iter())
            })
            .map(|name| name.trim().to_lowercase())
            .filter(|name| name.contains('@'))
            .collect();
        emails.sort();
        emails.dedup();
        emails
    }

    /// Whether advocacy is owed and not yet offered ([`advocacy_owed`]).
    pub fn advocacy_owed(&self) -> bool {
        advocacy_owed(
            self.child_complained,
            self.complainant_role,
            self.advocacy_offered,
        )
    }

    /// A complaint just received: no stages, no decisions, no personal details yet.
    pub fn received(
        reference: String,
        procedure: String,
        received_on: NaiveDate,
        channel: Channel,
        complainant_role: ComplainantRole,
    ) -> Self {
        Case::from_row(
            CaseFacts::received(reference, procedure, received_on, channel, complainant_role),
            Status::Received,
        )
    }

    /// A message to the complaints mailbox, drafted as a case under `procedure` (the
    /// organisation's first, until the officer who accepts it chooses): received by email,
    /// the complainant's role not yet known.
    pub fn drafted(procedure: String, received_on: NaiveDate, personal: PersonalDetails) -> Self {
        let mut facts = CaseFacts::received(
            String::new(),
            procedure,
            received_on,
            Channel::Email,
            ComplainantRole::Other,
        );
        facts.personal = personal;
        facts.draft = Some(Draft::default());
        Case::from_row(facts, Status::Draft)
    }

    /// The day the case became final (resolved, rejected, withdrawn or closed), while it is:
    /// the earliest of those dates it holds. A judgement as of an earlier day sees it open. A
    /// final case with no such date (imported history) counts as final since its receipt.
    pub fn final_on(&self) -> Option<NaiveDate> {
        if !self.status.is_final() {
            return None;
        }
        [
            self.resolved_on,
            self.rejected_on,
            self.withdrawn_on,
            self.closed_on,
            self.draft
                .as_ref()
                .and_then(|d| d.not_a_complaint.as_ref())
                .map(|n| n.decided_on),
        ]
        .into_iter()
        .flatten()
        .min()
        .or(Some(self.received_on))
    }

    /// Records the procedure each stage runs under: every open stage, and any answered stage
    /// not yet stamped (imported history, or answered by the step just taken), takes
    /// `procedure`'s name and version. An answered stage that has one keeps it.
    pub fn stamp_procedure(&mut self, procedure: &Procedure) {
        let current = RanUnder {
            procedure: procedure.name.clone(),
            version: procedure.version,
        };
        for stage in &mut self.stages {
            if stage.is_open() || stage.ran_under.is_none() {
                stage.ran_under = Some(current.clone());
            }
        }
    }

    /// The stage being worked on or last responded to.
    pub fn current_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    pub fn open_stage(&self) -> Option<&Stage> {
        self.stages.last().filter(|s| s.is_open())
    }

    /// Stage 1 as it stands before anyone opens it: reg. 14 gives the council 10 working days
    /// from receipt whether or not Stage 1 was formally opened, so a complaint received or
    /// acknowledged and left alone has that deadline (and, under the LGSCO Code 5.1 and 6.2,
    /// it counts from the acknowledgement). `None` once a stage exists or the case is final.
    pub fn stage1_not_opened(&self) -> Option<Stage> {
        if !matches!(self.status, Status::Received | Status::Acknowledged) {
            return None;
        }
        self.unopened_stage1()
    }

    /// Stage 1 as reg. 14 runs it for a case with no stage on record, whatever its status: a
    /// judgement as of an earlier day (a report's) needs it for a case that has ended since.
    pub fn unopened_stage1(&self) -> Option<Stage> {
        if !self.stages.is_empty() {
            return None;
        }
        let mut stage = Stage::opened(1, self.received_on);
        stage.acknowledged_on = self.acknowledged_on;
        Some(stage)
    }

    /// The deadline in force on `as_of` of the open stage, or of Stage 1 not yet opened.
    pub fn deadline(
        &self,
        procedure: &Procedure,
        calendar: &Calendar,
        as_of: NaiveDate,
    ) -> Result<Option<Deadline>, TimescaleError> {
        if self.status.is_final() {
            return Ok(None);
        }
        if let Some(stage) = self.stage1_not_opened() {
            return stage.deadline(procedure, calendar, as_of);
        }
        match self.open_stage() {
            Some(stage) => stage.deadline(procedure, calendar, as_of),
            None => Ok(None),
        }
    }

    /// The due date of the open stage, or of Stage 1 not yet opened (reg. 14 runs from
    /// receipt), which the store keeps indexed for "due" and "overdue".
    pub fn due_on(
        &self,
        procedure: &Procedure,
        calendar: &Calendar,
        as_of: NaiveDate,
    ) -> Result<Option<NaiveDate>, TimescaleError> {
        Ok(self.deadline(procedure, calendar, as_of)?.map(|d| d.due_on))
    }

    /// The due date lists and reminders filter on: none while the clock is stopped, since the
    /// deadline then moves with every day stopped and a stopped clock is never overdue (the
    /// stored date would go stale). It is worked out again when the clock restarts.
    pub fn listed_due_on(
        &self,
        procedure: &Procedure,
        calendar: &Calendar,
        as_of: NaiveDate,
    ) -> Result<Option<NaiveDate>, TimescaleError> {
        Ok(self
            .deadline(procedure, calendar, as_of)?
            .filter(|d| !d.paused)
            .map(|d| d.due_on))
    }

    /// The date the complainant is told to expect a response by: the open stage's due date,
    /// or, before any stage is opened, Stage 1's (counted from receipt, day zero).
    pub fn respond_by(
        &self,
        procedure: &Procedure,
        calendar: &Calendar,
        as_of: NaiveDate,
    ) -> Result<Option<NaiveDate>, TimescaleError> {
        self.due_on(procedure, calendar, as_of)
    }
}

/// Whether advocacy is owed and not yet offered: Children Act 1989 s26A requires the council to
/// provide advocacy for a child or young person who makes or intends to make a representation,
/// care leavers included (s26(3)(a), (3A)). The complainant's role counts as well as the "a
/// child complained" box.
pub fn advocacy_owed(
    child_complained: bool,
    complainant_role: ComplainantRole,
    advocacy_offered: bool,
) -> bool {
    let young_complainant = child_complained
        || matches!(
            complainant_role,
            ComplainantRole::Child
                | ComplainantRole::CareLeaver
                | ComplainantRole::SpecialGuardianshipChild
        );
    young_complainant && !advocacy_offered
}

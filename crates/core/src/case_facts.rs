//! The ways into and out of a [`Case`] from outside core. Its fields are private so that only
//! core's lifecycle moves a case and only core decides its status: another system's history, a
//! generator's or a database row comes in as a [`CaseFacts`], and the facts are read back
//! through the accessors below.

use chrono::NaiveDate;

use crate::case::{
    Action, Case, Draft, OmbudsmanCase, PersonalDetails, ProcedureChange, Reopening, Stage,
    SufficientInterest,
};
use crate::vocabulary::{Channel, ComplainantRole, Status};

/// A case's dated facts as they are handed to core, without a status: core works that out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    pub reference: String,
    pub procedure: String,
    pub received_on: NaiveDate,
    pub channel: Channel,
    pub complainant_role: ComplainantRole,
    pub child_complained: bool,
    pub advocacy_offered: bool,
    pub advocacy_taken_up: bool,
    pub team: Option<String>,
    pub reason: Option<String>,
    pub acknowledged_on: Option<NaiveDate>,
    pub resolved_on: Option<NaiveDate>,
    pub rejected_on: Option<NaiveDate>,
    pub rejected_reason: Option<String>,
    pub withdrawn_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub stages: Vec<Stage>,
    pub ombudsman: Vec<OmbudsmanCase>,
    pub actions: Vec<Action>,
    pub personal: PersonalDetails,
    pub language: crate::Language,
    pub matter_arose_on: Option<NaiveDate>,
    pub late_complaint_grounds: Option<String>,
    pub sufficient_interest: Option<SufficientInterest>,
    pub reopenings: Vec<Reopening>,
    pub procedure_changes: Vec<ProcedureChange>,
    pub draft: Option<Draft>,
}

impl CaseFacts {
    /// The record of a complaint just received, to which a history's facts are added.
    pub fn received(
        reference: String,
        procedure: String,
        received_on: NaiveDate,
        channel: Channel,
        complainant_role: ComplainantRole,
    ) -> Self {
        CaseFacts {
            reference,
            procedure,
            received_on,
            channel,
            complainant_role,
            child_complained: false,
            advocacy_offered: false,
            advocacy_taken_up: false,
            team: None,
            reason: None,
            acknowledged_on: None,
            resolved_on: None,
            rejected_on: None,
            rejected_reason: None,
            withdrawn_on: None,
            closed_on: None,
            stages: Vec::new(),
            ombudsman: Vec::new(),
            actions: Vec::new(),
            personal: PersonalDetails::default(),
            language: crate::Language::En,
            matter_arose_on: None,
            late_complaint_grounds: None,
            sufficient_interest: None,
            reopenings: Vec::new(),
            procedure_changes: Vec::new(),
            draft: None,
        }
    }
}

impl Case {
    /// A history from an import or a generator: the status follows from its dated facts.
    pub fn from_history(facts: CaseFacts) -> Case {
        let mut case = Case::with_status(facts, Status::Received);
        case.status = case.status_from_facts();
        case
    }

    /// A case as the database holds it: the status is the one core's lifecycle last wrote.
    pub fn from_row(facts: CaseFacts, status: Status) -> Case {
        Case::with_status(facts, status)
    }

    fn with_status(facts: CaseFacts, status: Status) -> Case {
        let CaseFacts {
            reference,
            procedure,
            received_on,
            channel,
            complainant_role,
            child_complained,
            advocacy_offered,
            advocacy_taken_up,
            team,
            reason,
            acknowledged_on,
            resolved_on,
            rejected_on,
            rejected_reason,
            withdrawn_on,
            closed_on,
            stages,
            ombudsman,
            actions,
            personal,
            language,
            matter_arose_on,
            late_complaint_grounds,
            sufficient_interest,
            reopenings,
            procedure_changes,
            draft,
        } = facts;
        Case {
            reference,
            procedure,
            received_on,
            channel,
            complainant_role,
            child_complained,
            advocacy_offered,
            advocacy_taken_up,
            team,
            reason,
            status,
            acknowledged_on,
            resolved_on,
            rejected_on,
            rejected_reason,
            withdrawn_on,
            closed_on,
            stages,
            ombudsman,
            actions,
            personal,
            language,
            matter_arose_on,
            late_complaint_grounds,
            sufficient_interest,
            reopenings,
            procedure_changes,
            draft,
        }
    }

    /// The case's facts, without its status: to build a changed history through
    /// [`Case::from_history`], which works the status out again.
    pub fn into_facts(self) -> CaseFacts {
        CaseFacts {
            reference: self.reference,
            procedure: self.procedure,
            received_on: self.received_on,
            channel: self.channel,
            complainant_role: self.complainant_role,
            child_complained: self.child_complained,
            advocacy_offered: self.advocacy_offered,
            advocacy_taken_up: self.advocacy_taken_up,
            team: self.team,
            reason: self.reason,
            acknowledged_on: self.acknowledged_on,
            resolved_on: self.resolved_on,
            rejected_on: self.rejected_on,
            rejected_reason: self.rejected_reason,
            withdrawn_on: self.withdrawn_on,
            closed_on: self.closed_on,
            stages: self.stages,
            ombudsman: self.ombudsman,
            actions: self.actions,
            personal: self.personal,
            language: self.language,
            matter_arose_on: self.matter_arose_on,
            late_complaint_grounds: self.late_complaint_grounds,
            sufficient_interest: self.sufficient_interest,
            reopenings: self.reopenings,
            procedure_changes: self.procedure_changes,
            draft: self.draft,
        }
    }

    /// A case recorded without a reference takes the next in the organisation's series when
    /// it is stored (the council's numbering policy).
    pub fn assign_reference(&mut self, reference: crate::Reference) {
        self.reference = reference.into();
    }

    /// The personal details, taken out of the case (for a subject access bundle).
    pub fn into_personal(self) -> PersonalDetails {
        self.personal
    }
}

/// Read-only accessors, one per fact.
impl Case {
    pub fn reference(&self) -> &str {
        &self.reference
    }
    pub fn procedure(&self) -> &str {
        &self.procedure
    }
    pub fn received_on(&self) -> NaiveDate {
        self.received_on
    }
    pub fn channel(&self) -> Channel {
        self.channel
    }
    pub fn complainant_role(&self) -> ComplainantRole {
        self.complainant_role
    }
    pub fn child_complained(&self) -> bool {
        self.child_complained
    }
    pub fn advocacy_offered(&self) -> bool {
        self.advocacy_offered
    }
    pub fn advocacy_taken_up(&self) -> bool {
        self.advocacy_taken_up
    }
    pub fn team(&self) -> Option<&str> {
        self.team.as_deref()
    }
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
    pub fn status(&self) -> Status {
        self.status
    }
    pub fn acknowledged_on(&self) -> Option<NaiveDate> {
        self.acknowledged_on
    }
    pub fn resolved_on(&self) -> Option<NaiveDate> {
        self.resolved_on
    }
    pub fn rejected_on(&self) -> Option<NaiveDate> {
        self.rejected_on
    }
    pub fn rejected_reason(&self) -> Option<&str> {
        self.rejected_reason.as_deref()
    }
    pub fn withdrawn_on(&self) -> Option<NaiveDate> {
        self.withdrawn_on
    }
    pub fn closed_on(&self) -> Option<NaiveDate> {
        self.closed_on
    }
    pub fn stages(&self) -> &[Stage] {
        &self.stages
    }
    pub fn ombudsman(&self) -> &[OmbudsmanCase] {
        &self.ombudsman
    }
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }
    pub fn personal(&self) -> &PersonalDetails {
        &self.personal
    }
    pub fn language(&self) -> crate::Language {
        self.language
    }
    pub fn matter_arose_on(&self) -> Option<NaiveDate> {
        self.matter_arose_on
    }
    pub fn late_complaint_grounds(&self) -> Option<&str> {
        self.late_complaint_grounds.as_deref()
    }
    pub fn sufficient_interest(&self) -> Option<&SufficientInterest> {
        self.sufficient_interest.as_ref()
    }
    pub fn reopenings(&self) -> &[Reopening] {
        &self.reopenings
    }
    pub fn procedure_changes(&self) -> &[ProcedureChange] {
        &self.procedure_changes
    }
    pub fn draft(&self) -> Option<&Draft> {
        self.draft.as_ref()
    }
}

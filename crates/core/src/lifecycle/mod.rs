//! The lifecycle as explicit transitions. Each either changes the case or is refused with a
//! reason a person understands; nothing else changes a case's state.

mod admission;
mod guards;
mod reopening;
mod stage_steps;
mod steps;
mod transition;

pub use guards::{Step, StepName};
pub use transition::Transition;

use crate::case::{Case, PersonalDetails};
use crate::limits;
use crate::vocabulary::{Channel, ComplainantRole, RemedyKind};
use crate::PersonalPatch;
use crate::{Procedure, TimescaleError};
use chrono::NaiveDate;
use redress_calendar::Calendar;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What the rules need besides the case: its procedure, the calendar its deadlines are counted
/// on (with or without the council's closure days, as the procedure says), the organisation's
/// other procedures (to move a case between them), and today's date.
#[derive(Debug, Clone, Copy)]
pub struct Rules<'a> {
    pub procedure: &'a Procedure,
    pub calendar: &'a Calendar,
    pub procedures: &'a [Procedure],
    pub today: NaiveDate,
}

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

    pub(crate) fn timescale(field: &str, err: TimescaleError) -> Self {
        CaseError::invalid(field, err.to_string())
    }
}

/// Everything needed to record a new complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
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
    /// When the matter complained about arose, where known (reg. 9's one-year limit).
    #[serde(default)]
    pub matter_arose_on: Option<NaiveDate>,
    /// The language the complainant is written to in: `en` (default) or `cy`.
    #[serde(default)]
    pub language: crate::Language,
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
            matter_arose_on: self.matter_arose_on,
            language: self.language,
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
#[serde(deny_unknown_fields)]
pub struct NewRemedy {
    pub kind: RemedyKind,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub amount_pence: Option<i64>,
    pub due_on: NaiveDate,
}

pub(crate) fn required(field: &str, text: &str) -> Result<(), CaseError> {
    if text.trim().is_empty() {
        Err(CaseError::invalid(field, "must not be empty"))
    } else {
        Ok(())
    }
}

pub(crate) fn not_before(
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

pub(crate) fn not_allowed(message: impl Into<String>) -> CaseError {
    CaseError::NotAllowed(message.into())
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
    /// Only the personal fields sent change (RFC 7396).
    #[serde(default, skip_serializing_if = "PersonalPatch::is_empty")]
    pub personal: PersonalPatch,
    /// When the matter complained about arose (reg. 9).
    pub matter_arose_on: Option<NaiveDate>,
    /// The language the complainant is written to in.
    pub language: Option<crate::Language>,
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
        if let Some(matter_arose_on) = update.matter_arose_on {
            if matter_arose_on > next.received_on {
                return Err(CaseError::invalid(
                    "matter_arose_on",
                    format!("{matter_arose_on} is after the complaint was received"),
                ));
            }
            next.matter_arose_on = Some(matter_arose_on);
        }
        if let Some(language) = update.language {
            next.language = language;
        }
        next.personal = update.personal.apply(&next.personal);
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

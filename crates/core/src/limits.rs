//! How long each piece of text may be: one limit per kind of field, enforced here for the API,
//! the pages and the import alike, and stated in the OpenAPI document and on the forms. They
//! are generous for their purpose and stop a form from carrying megabytes into the database.

use crate::lifecycle::{CaseError, Transition};
use crate::PersonalDetails;

/// A person's name, a team, a reason, a label: 200 characters.
pub const NAME: usize = 200;
/// An email address (RFC 5321's limit on a path).
pub const EMAIL: usize = 254;
pub const PHONE: usize = 40;
pub const ADDRESS: usize = 1_000;
/// A complaint's summary, the outcome wanted, a note, a compliment: 20,000 characters.
pub const LONG_TEXT: usize = 20_000;
/// Children named on one case.
pub const CHILDREN: usize = 50;

/// Refuses text longer than `max` characters, naming the field.
pub fn within(field: &str, text: &str, max: usize) -> Result<(), CaseError> {
    if text.chars().count() > max {
        Err(CaseError::invalid(
            field,
            format!("must be {max} characters or fewer"),
        ))
    } else {
        Ok(())
    }
}

impl PersonalDetails {
    pub fn check_lengths(&self) -> Result<(), CaseError> {
        within("complainant_name", &self.complainant_name, NAME)?;
        within("contact_email", &self.contact_email, EMAIL)?;
        within("contact_phone", &self.contact_phone, PHONE)?;
        within("contact_address", &self.contact_address, ADDRESS)?;
        within("summary", &self.summary, LONG_TEXT)?;
        within("outcome_wanted", &self.outcome_wanted, LONG_TEXT)?;
        if self.children.len() > CHILDREN {
            return Err(CaseError::invalid(
                "children",
                format!("at most {CHILDREN} children may be named on one case"),
            ));
        }
        for (i, child) in self.children.iter().enumerate() {
            within(&format!("children[{i}]"), child, NAME)?;
        }
        Ok(())
    }
}

impl Transition {
    /// Every text a step carries, within its limit.
    pub fn check_lengths(&self) -> Result<(), CaseError> {
        match self {
            Transition::Reject { reason, .. }
            | Transition::NotAComplaint { reason, .. }
            | Transition::Extend { reason, .. }
            | Transition::StopClock { reason, .. } => within("reason", reason, LONG_TEXT),
            Transition::Escalate {
                late_reason,
                reason,
                late_complaint_grounds,
                ..
            } => {
                within(
                    "late_reason",
                    late_reason.as_deref().unwrap_or(""),
                    LONG_TEXT,
                )?;
                within("reason", reason.as_deref().unwrap_or(""), LONG_TEXT)?;
                within(
                    "late_complaint_grounds",
                    late_complaint_grounds.as_deref().unwrap_or(""),
                    LONG_TEXT,
                )
            }
            Transition::AppointInvestigator {
                investigating_officer,
                independent_person,
            } => {
                within("investigating_officer", investigating_officer, NAME)?;
                within("independent_person", independent_person, NAME)
            }
            Transition::RecordPanel { members, chair, .. } => {
                within("chair", chair.as_deref().unwrap_or(""), NAME)?;
                for (i, member) in members.iter().enumerate() {
                    within(&format!("members[{i}]"), member, NAME)?;
                }
                Ok(())
            }
            Transition::RecordOmbudsmanDecision {
                lgsco_reference,
                remedies,
                ..
            } => {
                within(
                    "lgsco_reference",
                    lgsco_reference.as_deref().unwrap_or(""),
                    NAME,
                )?;
                for (i, remedy) in remedies.iter().enumerate() {
                    within(
                        &format!("remedies[{i}].description"),
                        &remedy.description,
                        LONG_TEXT,
                    )?;
                }
                Ok(())
            }
            Transition::AgreeResponsePeriod { reason, .. } => {
                within("reason", reason.as_deref().unwrap_or(""), LONG_TEXT)
            }
            Transition::AcceptDraft {
                procedure,
                team,
                reason,
                ..
            } => {
                within("procedure", procedure, NAME)?;
                within("team", team.as_deref().unwrap_or(""), NAME)?;
                within("reason", reason.as_deref().unwrap_or(""), NAME)
            }
            Transition::AddAction {
                description,
                owner_team,
                ..
            } => {
                within("description", description, LONG_TEXT)?;
                within("owner_team", owner_team, NAME)
            }
            Transition::OpenStage1 {
                reason,
                late_complaint_grounds,
                ..
            } => {
                within("reason", reason.as_deref().unwrap_or(""), LONG_TEXT)?;
                within(
                    "late_complaint_grounds",
                    late_complaint_grounds.as_deref().unwrap_or(""),
                    LONG_TEXT,
                )
            }
            Transition::Reopen { reason }
            | Transition::ChangeProcedure { reason, .. }
            | Transition::DecideSufficientInterest { reason, .. } => {
                within("reason", reason, LONG_TEXT)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_characters_not_bytes_and_name_the_field() {
        assert!(within("summary", &"é".repeat(LONG_TEXT), LONG_TEXT).is_ok());
        let err = within("summary", &"x".repeat(LONG_TEXT + 1), LONG_TEXT).unwrap_err();
        assert!(err.to_string().contains("summary"), "{err}");
        let personal = PersonalDetails {
            complainant_name: "n".repeat(NAME + 1),
            ..PersonalDetails::default()
        };
        assert!(personal
            .check_lengths()
            .unwrap_err()
            .to_string()
            .contains("complainant_name"));
    }
}

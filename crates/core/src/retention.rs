//! The retention schedule: when a case's or a compliment's personal data is due for erasure.
//! The figures (counts, stages, outcomes, teams, reasons, ombudsman decisions, actions) are
//! kept; only the personal details go.

use crate::{Case, Status};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Years after a complaint is concluded that its personal data is kept, when the council has
/// set nothing: the LGA/IRMS Retention Guidelines for Local Authorities (Local Government
/// Retention Schedule, "Complaints": closure of the complaint + 6 years), which follow the
/// Limitation Act 1980's six years for a claim.
pub const DEFAULT_COMPLAINT_YEARS: u32 = 6;

/// Years after receipt that a compliment's personal data is kept, when the council has set
/// nothing: the same guidelines keep compliments for the current year + 2 (they are kept
/// only for the annual report).
pub const DEFAULT_COMPLIMENT_YEARS: u32 = 2;

/// The longest period a council may set: a complaint file kept beyond 25 years (the period
/// for a looked-after child's own record, Arrangements for Placement of Children Regulations
/// 2010 reg. 50) would outlast every purpose it was kept for.
pub const MAX_YEARS: u32 = 25;

/// One line of a council's schedule: erase `years` after the starting point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetentionRule {
    /// A procedure's name, or `compliments`.
    pub applies_to: String,
    pub years: u32,
}

impl RetentionRule {
    /// The default of a procedure, or of compliments (`applies_to` = `compliments`).
    pub fn default_for(applies_to: &str) -> RetentionRule {
        RetentionRule {
            applies_to: applies_to.to_string(),
            years: if applies_to == COMPLIMENTS {
                DEFAULT_COMPLIMENT_YEARS
            } else {
                DEFAULT_COMPLAINT_YEARS
            },
        }
    }

    /// What the rule says, for the audit log and for people: "statutory: 6 years after the
    /// case was concluded".
    pub fn describe(&self) -> String {
        let starting = if self.applies_to == COMPLIMENTS {
            "received"
        } else {
            "the case was concluded"
        };
        format!("{}: {} years after {starting}", self.applies_to, self.years)
    }
}

/// The name of the compliments' line in a schedule.
pub const COMPLIMENTS: &str = "compliments";

/// Why a rule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct RetentionError {
    pub field: &'static str,
    pub message: String,
}

/// Checks a schedule line: a known procedure or `compliments`, and 1 to [`MAX_YEARS`] years.
pub fn check_rule(rule: &RetentionRule, procedures: &[&str]) -> Result<(), RetentionError> {
    if rule.applies_to != COMPLIMENTS && !procedures.contains(&rule.applies_to.as_str()) {
        return Err(RetentionError {
            field: "applies_to",
            message: format!(
                "'{}' is not one of this organisation's procedures ({}) or 'compliments'",
                rule.applies_to,
                procedures.join(", ")
            ),
        });
    }
    if rule.years == 0 || rule.years > MAX_YEARS {
        return Err(RetentionError {
            field: "years",
            message: format!("keep personal data for 1 to {MAX_YEARS} years"),
        });
    }
    Ok(())
}

/// The day a case's retention period starts: the day it was concluded, or later if the
/// ombudsman decided on it afterwards (the file is needed while the ombudsman's remedies run).
/// A case still being worked on has none. A responded stage that the complainant did not take
/// further counts from the response: an escalation later moves the day on.
pub fn concluded_on(case: &Case) -> Option<NaiveDate> {
    let ended = match case.status {
        Status::Received | Status::Acknowledged | Status::InStage | Status::Draft => return None,
        Status::StageResponded => case.stages.iter().filter_map(|s| s.responded_on).max(),
        Status::ResolvedAtInitialContact => case.resolved_on,
        Status::Rejected => case.rejected_on,
        Status::Withdrawn => case.withdrawn_on,
        Status::Closed => case.closed_on,
        // A message found not to be a complaint is kept like any other ended case (council policy: the retention schedule applies to the whole file).
        Status::NotAComplaint => case
            .draft
            .as_ref()
            .and_then(|d| d.not_a_complaint.as_ref())
            .map(|n| n.decided_on),
    }?;
    let last_decision = case.ombudsman.iter().map(|o| o.decided_on).max();
    let last_remedy = case
        .ombudsman
        .iter()
        .flat_map(|o| o.remedies.iter())
        .map(|r| r.completed_on.unwrap_or(r.due_on))
        .max();
    Some(
        [Some(ended), last_decision, last_remedy]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(ended),
    )
}

/// The same day `years` later (29 February becomes 28 February).
pub fn years_after(day: NaiveDate, years: u32) -> NaiveDate {
    let year = day.year() + years as i32;
    day.with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, 2, 28))
        .unwrap_or(NaiveDate::MAX)
}

/// The day a case's personal data falls due for erasure under `rule`, if it is concluded.
pub fn case_erasure_due(case: &Case, rule: &RetentionRule) -> Option<NaiveDate> {
    concluded_on(case).map(|day| years_after(day, rule.years))
}

/// The day a compliment's personal data falls due for erasure under `rule`.
pub fn compliment_erasure_due(received_on: NaiveDate, rule: &RetentionRule) -> NaiveDate {
    years_after(received_on, rule.years)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn leap_days_fall_back_to_the_28th() {
        assert_eq!(years_after(day("2020-02-29"), 6), day("2026-02-28"));
        assert_eq!(years_after(day("2020-03-01"), 6), day("2026-03-01"));
    }

    #[test]
    fn defaults_are_six_years_for_complaints_and_two_for_compliments() {
        assert_eq!(RetentionRule::default_for("statutory").years, 6);
        assert_eq!(RetentionRule::default_for("compliments").years, 2);
    }

    #[test]
    fn rules_name_their_field() {
        let procedures = ["statutory", "corporate"];
        let unknown = RetentionRule {
            applies_to: "nope".into(),
            years: 6,
        };
        assert_eq!(
            check_rule(&unknown, &procedures).unwrap_err().field,
            "applies_to"
        );
        let zero = RetentionRule {
            applies_to: "statutory".into(),
            years: 0,
        };
        assert_eq!(check_rule(&zero, &procedures).unwrap_err().field, "years");
        assert!(check_rule(&RetentionRule::default_for("compliments"), &procedures).is_ok());
    }
}

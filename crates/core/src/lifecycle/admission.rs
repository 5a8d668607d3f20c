//! Whether a complaint is considered at all, and Stage 1 opening: a team to answer it, the
//! one-year limit of reg. 9 and its exception, and who may complain (Children Act 1989 s26(3)).

use super::steps::trimmed;
use super::{not_allowed, not_before, CaseError, Rules};
use crate::case::{Case, Stage};
use crate::vocabulary::Status;
use chrono::{Months, NaiveDate};

impl Case {
    /// What must hold before a statutory complaint is considered at all: a team to answer it,
    /// the one-year limit of reg. 9 (or the grounds to consider it late, reg. 9(2)), and a
    /// complainant entitled by s26(3) or found to have sufficient interest.
    pub(super) fn check_may_consider(
        &mut self,
        late_complaint_grounds: &Option<String>,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        if self.team.is_none() {
            return Err(CaseError::invalid(
                "team",
                "a case needs a team before Stage 1",
            ));
        }
        if !rules.procedure.is_statutory() {
            return Ok(());
        }
        if let Some(arose) = self.matter_arose_on {
            let year_later = arose.checked_add_months(Months::new(12)).unwrap_or(arose);
            if self.received_on > year_later {
                match trimmed(late_complaint_grounds) {
                    Some(grounds) => self.late_complaint_grounds = Some(grounds),
                    None => {
                        return Err(CaseError::invalid(
                            "late_complaint_grounds",
                            format!(
                                "the complaint came more than a year after the matter arose ({arose}): record why it is considered all the same (reg. 9(2)), or reject it as out of time"
                            ),
                        ))
                    }
                }
            }
        }
        if !self.complainant_role.may_complain_as_of_right() {
            match &self.sufficient_interest {
                Some(d) if d.decided => {}
                Some(_) => {
                    return Err(not_allowed(
                        "the council decided the complainant has no sufficient interest: move the complaint to the corporate procedure or reject it",
                    ))
                }
                None => {
                    return Err(CaseError::invalid(
                        "sufficient_interest",
                        format!(
                            "a {} is not listed in s26(3): record whether they have sufficient interest in the child's welfare first",
                            self.complainant_role.as_str().replace('_', " ")
                        ),
                    ))
                }
            }
        }
        Ok(())
    }

    pub(super) fn open_stage1(
        &mut self,
        on: Option<NaiveDate>,
        reason: &Option<String>,
        late_complaint_grounds: &Option<String>,
        rules: &Rules,
    ) -> Result<(), CaseError> {
        let on = on.unwrap_or(self.received_on);
        not_before("on", on, self.received_on, "the day of receipt")?;
        // Reg. 14: Stage 1 runs from receipt; opening it later needs a recorded reason, and the
        // clock still counts from receipt (a late opening never buys time).
        let late_start = trimmed(reason);
        if on > self.received_on && late_start.is_none() {
            return Err(CaseError::invalid(
                "reason",
                format!(
                    "Stage 1 runs from the day of receipt ({}): record why it opens later",
                    self.received_on
                ),
            ));
        }
        self.check_may_consider(late_complaint_grounds, rules)?;
        let mut stage = Stage::opened(1, self.received_on);
        stage.opened_on = Some(on);
        stage.late_request_reason = late_start;
        stage.acknowledged_on = self.acknowledged_on;
        self.stages.push(stage);
        self.status = Status::InStage;
        Ok(())
    }
}

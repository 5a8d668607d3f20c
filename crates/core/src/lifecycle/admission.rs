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
        // The time limit with discretion: reg. 9 (children, England), reg. 12 of SI 2009/309
        // (adults, England), and the Welsh, Scottish and Northern Irish schemes' own, as the
        // procedure's data gives it.
        if let (Some(arose), Some(months)) = (
            self.matter_arose_on,
            rules.procedure.complaint_within_months(),
        ) {
            let limit = arose
                .checked_add_months(Months::new(months))
                .unwrap_or(arose);
            if self.received_on > limit {
                match trimmed(late_complaint_grounds) {
                    Some(grounds) => self.late_complaint_grounds = Some(grounds),
                    None => {
                        let basis = if rules.procedure.is_statutory() {
                            "reg. 9(2)".to_string()
                        } else {
                            format!("the {} procedure's time limit", rules.procedure.name)
                        };
                        return Err(CaseError::invalid(
                            "late_complaint_grounds",
                            format!(
                                "the complaint came more than {months} months after the matter arose ({arose}): record why it is considered all the same ({basis}), or reject it as out of time"
                            ),
                        ));
                    }
                }
            }
        }
        if !rules.procedure.is_statutory() {
            return Ok(());
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

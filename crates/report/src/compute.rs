//! The report's counts from whole cases, judged one by one in memory. Slower than the store's
//! grouped queries over the statistics table, and kept to check them: both are assembled by
//! [`crate::assemble`]. Pure: the caller reads the records into a [`Source`].

use crate::assemble::{from_counts, TimelinessError};
use crate::input::{self, Source};
use crate::model::Report;
use crate::Period;
use redress_core::report_counts::{
    ComplaintCounts, PreviousCounts, ReportCounts, StageCounts, Unjudged,
};
use redress_core::statistics::{
    is_rejected, overdue_on, responded, response_in_time, working_days_to_respond,
};
use redress_core::{judged_under, Case, Outcome, Procedure, ProcedureBook};
use std::collections::BTreeMap;

struct Scope<'a> {
    period: &'a Period,
    team: Option<&'a str>,
    organisation: &'a input::Organisation,
}

/// Counts by name, in no particular order (the report sorts them).
fn count_names<K: Ord>(names: impl Iterator<Item = K>) -> Vec<(K, u64)> {
    let mut counts: BTreeMap<K, u64> = BTreeMap::new();
    for name in names {
        *counts.entry(name).or_default() += 1;
    }
    counts.into_iter().collect()
}

fn unjudged(case: &Case, message: String) -> Unjudged {
    Unjudged {
        reference: case.reference().to_string(),
        message,
    }
}

impl<'a> Scope<'a> {
    fn in_team(&self, case: &Case) -> bool {
        self.team.is_none_or(|t| case.team() == Some(t))
    }

    fn received(&self, cases: &'a [Case]) -> Vec<&'a Case> {
        cases
            .iter()
            .filter(|c| self.period.contains(c.received_on()) && self.in_team(c))
            .collect()
    }

    /// The case's procedure as it stands, from every definition the organisation has run (a
    /// procedure it no longer runs still counts its cases as they were).
    fn procedure(&self, case: &Case) -> Option<&'a Procedure> {
        self.organisation
            .definitions()
            .iter()
            .filter(|p| p.name == case.procedure())
            .max_by_key(|p| p.version)
    }

    /// Stage `number`'s counts; the first case whose timeliness cannot be worked out stops
    /// the count and is named.
    fn stage(&self, cases: &[Case], number: u8) -> StageCounts {
        let mut counts = StageCounts::default();
        for case in cases.iter().filter(|c| self.in_team(c)) {
            // A reopened stage is counted and judged by its first round.
            let Some(stage) = case
                .stages()
                .iter()
                .map(|s| s.first_round())
                .find(|s| s.number == number && self.period.contains(s.started_on))
            else {
                continue;
            };
            counts.started += 1;
            // Judged by the definition the stage ran under (core's `judged_under`).
            let (procedure, calendar) = judged_under(self.organisation, case, stage);
            // Statutory by the procedure's kind, never its name.
            if procedure.is_some_and(|p| p.is_statutory()) {
                counts.statutory += 1;
            }
            if stage.extended() {
                counts.extended += 1;
            }
            counts.clock_stops += stage.clock_stops.len() as u64;
            match overdue_on(case, stage, procedure, calendar, self.period.judged_on) {
                Ok(true) => counts.open_overdue += 1,
                Ok(false) => {}
                Err(message) => {
                    counts.unjudged = Some(unjudged(case, message));
                    break;
                }
            }
            // A stage's outcome counts with the year it started, whenever it came (as the
            // council's published figures do); only open work is judged as of `judged_on`.
            match stage.outcome {
                Some(Outcome::NotRespondedInTime) => counts.not_responded_in_time += 1,
                Some(Outcome::Upheld) => counts.upheld += 1,
                Some(Outcome::PartiallyUpheld) => counts.partially_upheld += 1,
                Some(Outcome::NotUpheld) => counts.not_upheld += 1,
                Some(Outcome::Withdrawn) => counts.withdrawn += 1,
                // Counted with the case's rejection (row 0), not as a stage outcome.
                Some(Outcome::Rejected) | None => {}
            }
            if !responded(stage) {
                continue;
            }
            counts.responded += 1;
            if let Some(days) = working_days_to_respond(stage, calendar) {
                counts.working_days += days;
                counts.responses_with_working_days += 1;
            }
            match response_in_time(stage, procedure, calendar) {
                Ok(Some(true)) => counts.within_timescale += 1,
                Ok(_) => {}
                Err(message) => {
                    counts.unjudged = Some(unjudged(case, message));
                    break;
                }
            }
            if procedure.is_some_and(|p| stage.panel_judged_by_fallback(p)) {
                counts.judged_by_fallback += 1;
            }
        }
        if number == 1 {
            counts.open_overdue += self.unopened_stage1_overdue(cases);
        }
        counts
    }

    /// Complaints received in the period with no stage on record whose Stage 1 (reg. 14: 10
    /// working days from receipt, opened or not) was open and overdue on `judged_on`: counted
    /// against timeliness, not as started.
    fn unopened_stage1_overdue(&self, cases: &[Case]) -> u64 {
        cases
            .iter()
            .filter(|c| self.in_team(c) && self.period.contains(c.received_on()))
            .filter_map(|case| {
                let stage = case.unopened_stage1()?;
                let (procedure, calendar) = judged_under(self.organisation, case, &stage);
                overdue_on(case, &stage, procedure, calendar, self.period.judged_on).ok()
            })
            .filter(|overdue| *overdue)
            .count() as u64
    }

    fn stages(&self, cases: &[Case]) -> [StageCounts; 3] {
        [1, 2, 3].map(|n| self.stage(cases, n))
    }

    fn ombudsman_decisions(&self, cases: &[Case]) -> u64 {
        cases
            .iter()
            .filter(|c| self.in_team(c))
            .flat_map(|c| c.ombudsman().iter())
            .filter(|o| self.period.contains(o.decided_on))
            .count() as u64
    }

    fn compliments(&self, source: &'a Source) -> Vec<&'a input::Compliment> {
        source
            .compliments
            .iter()
            .filter(|c| {
                self.period.contains(c.received_on)
                    && self.team.is_none_or(|t| c.team.as_deref() == Some(t))
            })
            .collect()
    }
}

/// The report's counts, from the cases and compliments in `source`.
pub fn counts_from_cases(source: &Source, period: &Period, team: Option<&str>) -> ReportCounts {
    let organisation = &source.organisation;
    let scope = Scope {
        period,
        team,
        organisation,
    };
    let previous_period = period.previous();
    let previous = Scope {
        period: &previous_period,
        ..scope
    };
    let cases = &source.cases;
    let received = scope.received(cases);
    let not_rejected: Vec<&Case> = received
        .iter()
        .copied()
        .filter(|c| !is_rejected(c))
        .collect();
    let statutory = |c: &&&Case| scope.procedure(c).is_some_and(|p| p.is_statutory());
    let complaints = ComplaintCounts {
        received: received.len() as u64,
        statutory: received.iter().filter(statutory).count() as u64,
        resolved_at_initial_contact: received
            .iter()
            .filter(|c| c.resolved_on().is_some())
            .count() as u64,
        rejected: (received.len() - not_rejected.len()) as u64,
        child_complained: received.iter().filter(|c| c.child_complained()).count() as u64,
        advocacy_offered: received.iter().filter(|c| c.advocacy_offered()).count() as u64,
        advocacy_taken_up: received.iter().filter(|c| c.advocacy_taken_up()).count() as u64,
        rejected_reasons: count_names(
            received
                .iter()
                .filter_map(|c| c.rejected_reason().map(str::to_string)),
        ),
        by_team: count_names(not_rejected.iter().map(|c| c.team().map(str::to_string))),
        by_reason: count_names(not_rejected.iter().map(|c| c.reason().map(str::to_string))),
        by_channel: count_names(received.iter().map(|c| c.channel().as_str().to_string())),
        by_complainant_role: count_names(
            received
                .iter()
                .map(|c| c.complainant_role().as_str().to_string()),
        ),
    };
    let stage1_by_quarter = (1..=4u8)
        .filter(|q| period.quarter.is_none_or(|only| only == *q))
        .filter_map(|q| period.quarter_of_year(q).ok().map(|p| (q, p)))
        .map(|(q, quarter)| {
            let counts = Scope {
                period: &quarter,
                ..scope
            }
            .stage(cases, 1);
            (q, counts)
        })
        .collect();
    let in_scope = |c: &&Case| scope.in_team(c);
    let ombudsman = cases
        .iter()
        .filter(in_scope)
        .flat_map(|c| {
            c.ombudsman()
                .iter()
                .filter(|o| period.contains(o.decided_on))
                .map(|o| (c.reference().to_string(), o.clone()))
        })
        .collect();
    // Actions on the cases the period counts: received in it, or with a stage started in it.
    let actions = cases
        .iter()
        .filter(in_scope)
        .filter(|c| {
            period.contains(c.received_on())
                || c.stages().iter().any(|s| period.contains(s.started_on))
        })
        .flat_map(|c| {
            c.actions()
                .iter()
                .map(|a| (c.reference().to_string(), a.clone()))
        })
        .collect();
    let compliments = scope.compliments(source);
    ReportCounts {
        complaints,
        stages: scope.stages(cases),
        stage1_by_quarter,
        ombudsman,
        actions,
        compliments_received: compliments.len() as u64,
        compliments_by_team: count_names(compliments.iter().map(|c| c.team.clone())),
        quotations: compliments
            .iter()
            .filter_map(|c| Some((c.team.clone(), c.published_quotation.clone()?)))
            .take(10)
            .collect(),
        previous: PreviousCounts {
            received: previous.received(cases).len() as u64,
            stages: previous.stages(cases),
            ombudsman_decisions: previous.ombudsman_decisions(cases),
            compliments_received: previous.compliments(source).len() as u64,
        },
    }
}

/// The report computed from whole cases: the check on the grouped queries.
pub fn compute(
    source: &Source,
    period: &Period,
    team: Option<&str>,
) -> Result<Report, TimelinessError> {
    let counts = counts_from_cases(source, period, team);
    from_counts(
        &source.organisation,
        &counts,
        &source.narrative,
        period,
        team,
    )
}

#[cfg(test)]
mod tests;

//! From the records to the report model. Pure: the caller reads the records into a [`Source`].

use crate::input::{self, Compliment, Source};
use crate::model::*;
use crate::{sentences, Period};
use redress_core::privacy;
use redress_core::{Case, OmbudsmanDecision, Outcome, Procedure, Status};
use std::collections::{BTreeMap, HashMap};

pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub(crate) fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round1(part as f64 * 100.0 / whole as f64))
}

/// Counts by name, largest first (ties by name), with each share of the total.
fn tally<'a>(names: impl Iterator<Item = &'a str>) -> Vec<NameCount> {
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for name in names {
        *counts.entry(name).or_default() += 1;
    }
    let total: u64 = counts.values().sum();
    let mut rows: Vec<NameCount> = counts
        .into_iter()
        .map(|(name, count)| NameCount {
            name: name.to_string(),
            count,
            percent: percent(count, total).unwrap_or(0.0),
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    rows
}

/// The top `keep` rows and the rest as "Other".
fn top_and_other(mut rows: Vec<NameCount>, keep: usize) -> Vec<NameCount> {
    if rows.len() <= keep {
        return rows;
    }
    let rest = rows.split_off(keep);
    let count: u64 = rest.iter().map(|r| r.count).sum();
    let total: u64 = rows.iter().map(|r| r.count).sum::<u64>() + count;
    rows.push(NameCount {
        name: "Other".into(),
        count,
        percent: percent(count, total).unwrap_or(0.0),
    });
    rows
}

pub fn decision_label(decision: OmbudsmanDecision) -> &'static str {
    match decision {
        OmbudsmanDecision::OutOfJurisdiction => "Out of jurisdiction",
        OmbudsmanDecision::AssessedAndClosed => "Assessed and closed",
        OmbudsmanDecision::Premature => "Referred back for local resolution (premature)",
        OmbudsmanDecision::NoFault => "Investigated: no fault",
        OmbudsmanDecision::FaultNoInjustice => "Investigated: fault, no injustice",
        OmbudsmanDecision::FaultInjustice => "Investigated: fault causing injustice",
    }
}

struct Scope<'a> {
    period: &'a Period,
    team: Option<&'a str>,
    procedures: HashMap<&'a str, &'a Procedure>,
    organisation: &'a input::Organisation,
}

impl<'a> Scope<'a> {
    fn in_team(&self, case: &Case) -> bool {
        self.team.is_none_or(|t| case.team.as_deref() == Some(t))
    }

    fn received(&self, cases: &'a [Case]) -> Vec<&'a Case> {
        cases
            .iter()
            .filter(|c| self.period.contains(c.received_on) && self.in_team(c))
            .collect()
    }

    /// A stage's figures; an error names a case whose timeliness cannot be worked out, which
    /// is never counted as late in silence.
    fn stage(&self, cases: &[Case], number: u8) -> Result<StageFigures, TimelinessError> {
        let mut figures = StageFigures {
            started: 0,
            responded: 0,
            within_timescale: 0,
            within_timescale_percent: None,
            extended: 0,
            upheld: 0,
            partially_upheld: 0,
            not_upheld: 0,
            withdrawn: 0,
            upheld_or_partially_percent: None,
            average_working_days_to_respond: None,
            statutory: 0,
            non_statutory: 0,
            open_overdue: 0,
            not_responded_in_time: 0,
            judged_by_fallback: 0,
            clock_stops: 0,
        };
        let mut working_days = Vec::new();
        for case in cases.iter().filter(|c| self.in_team(c)) {
            let Some(stage) = case
                .stages
                .iter()
                .find(|s| s.number == number && self.period.contains(s.started_on))
            else {
                continue;
            };
            figures.started += 1;
            let procedure = self.procedures.get(case.procedure.as_str()).copied();
            // Statutory by the procedure's kind, never its name.
            if procedure.is_some_and(|p| p.is_statutory()) {
                figures.statutory += 1;
            } else {
                figures.non_statutory += 1;
            }
            if stage.extended_to.is_some() {
                figures.extended += 1;
            }
            figures.clock_stops += stage.clock_stops.len() as u64;
            let calendar = procedure.map_or(&self.organisation.calendar, |p| {
                self.organisation.calendar_for(p)
            });
            let unknown = |e: String| TimelinessError {
                reference: case.reference.clone(),
                stage: number,
                message: e,
            };
            // Open at the end of the period and past its deadline: counted, so the
            // timeliness figures do not flatter.
            let open_at_end =
                stage.responded_on.is_none_or(|r| r > self.period.to) && !case.status.is_final();
            if open_at_end {
                if let Some(p) = procedure {
                    let due = stage
                        .deadline(p, calendar, self.period.to)
                        .map_err(|e| unknown(e.to_string()))?;
                    if due.is_some_and(|d| d.due_on < self.period.to) {
                        figures.open_overdue += 1;
                    }
                }
            }
            match stage.outcome {
                Some(Outcome::NotRespondedInTime) => figures.not_responded_in_time += 1,
                Some(Outcome::Upheld) => figures.upheld += 1,
                Some(Outcome::PartiallyUpheld) => figures.partially_upheld += 1,
                Some(Outcome::NotUpheld) => figures.not_upheld += 1,
                Some(Outcome::Withdrawn) => figures.withdrawn += 1,
                None => {}
            }
            if let (Some(outcome), Some(responded_on)) = (stage.outcome, stage.responded_on) {
                if outcome.is_response() {
                    figures.responded += 1;
                    if let Ok(days) = calendar.working_days_between(stage.started_on, responded_on)
                    {
                        working_days.push(days as f64);
                    }
                    if let Some(p) = procedure {
                        let within = stage
                            .within_timescale(p, calendar)
                            .map_err(|e| unknown(e.to_string()))?
                            .ok_or_else(|| {
                                unknown("the stage has a response but no judgement".into())
                            })?;
                        if within {
                            figures.within_timescale += 1;
                        }
                        if stage.panel_judged_by_fallback(p) {
                            figures.judged_by_fallback += 1;
                        }
                    }
                }
            }
        }
        // Stages overdue with no response count against timeliness.
        figures.within_timescale_percent = percent(
            figures.within_timescale,
            figures.responded + figures.open_overdue + figures.not_responded_in_time,
        );
        figures.upheld_or_partially_percent =
            percent(figures.upheld + figures.partially_upheld, figures.responded);
        figures.average_working_days_to_respond = (!working_days.is_empty())
            .then(|| round1(working_days.iter().sum::<f64>() / working_days.len() as f64));
        Ok(figures)
    }
}

/// A stage whose timeliness cannot be worked out (its dates fall outside the calendar, or its
/// procedure's rule cannot judge it): the report stops and names the case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the timeliness of {reference} Stage {stage} cannot be worked out: {message}")]
pub struct TimelinessError {
    pub reference: String,
    pub stage: u8,
    pub message: String,
}

fn count_change(previous: u64, current: u64) -> CountChange {
    CountChange {
        previous,
        current,
        percent: (previous > 0)
            .then(|| round1((current as f64 - previous as f64) * 100.0 / previous as f64)),
    }
}

fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

pub fn compute(
    source: &Source,
    period: &Period,
    team: Option<&str>,
) -> Result<Report, TimelinessError> {
    let organisation = &source.organisation;
    let procedures: HashMap<&str, &Procedure> = organisation
        .procedures
        .iter()
        .map(|p| (p.name.as_str(), p))
        .collect();
    let scope = Scope {
        period,
        team,
        procedures: procedures.clone(),
        organisation,
    };
    let previous_period = period.previous();
    let previous = Scope {
        period: &previous_period,
        team,
        procedures,
        organisation,
    };
    let cases = &source.cases;
    let received = scope.received(cases);
    let not_rejected: Vec<&Case> = received
        .iter()
        .copied()
        .filter(|c| c.status != Status::Rejected && c.rejected_on.is_none())
        .collect();

    // Statutory by the procedure's kind, never its name.
    let statutory = |c: &&&Case| {
        scope
            .procedures
            .get(c.procedure.as_str())
            .is_some_and(|p| p.is_statutory())
    };
    let complaints = Complaints {
        received: received.len() as u64,
        statutory: received.iter().filter(statutory).count() as u64,
        non_statutory: received.iter().filter(|c| !statutory(c)).count() as u64,
        resolved_at_initial_contact: received.iter().filter(|c| c.resolved_on.is_some()).count()
            as u64,
        rejected: (received.len() - not_rejected.len()) as u64,
        rejected_reasons: tally(received.iter().filter_map(|c| c.rejected_reason.as_deref())),
        by_team: tally(
            not_rejected
                .iter()
                .map(|c| c.team.as_deref().unwrap_or("No team recorded")),
        ),
        by_reason: top_and_other(
            tally(
                not_rejected
                    .iter()
                    .map(|c| c.reason.as_deref().unwrap_or("No reason recorded")),
            ),
            10,
        ),
        by_channel: tally(received.iter().map(|c| c.channel.as_str())),
        by_complainant_role: tally(received.iter().map(|c| c.complainant_role.as_str())),
        child_complained: received.iter().filter(|c| c.child_complained).count() as u64,
        advocacy_offered: received.iter().filter(|c| c.advocacy_offered).count() as u64,
        advocacy_taken_up: received.iter().filter(|c| c.advocacy_taken_up).count() as u64,
    };
    let stage1 = scope.stage(cases, 1)?;
    let stage2 = scope.stage(cases, 2)?;
    let stage3 = scope.stage(cases, 3)?;

    let stage1_by_quarter = (1..=4u8)
        .filter(|q| period.quarter.is_none_or(|only| only == *q))
        .map(|q| {
            let quarter = Period::quarter(period.year, q).expect("quarters 1 to 4");
            let figures = Scope {
                period: &quarter,
                team,
                procedures: scope.procedures.clone(),
                organisation,
            }
            .stage(cases, 1)?;
            Ok(QuarterTimeliness {
                quarter: format!("Q{q}"),
                responded: figures.responded,
                within_timescale: figures.within_timescale,
                within_timescale_percent: figures.within_timescale_percent,
            })
        })
        .collect::<Result<Vec<_>, TimelinessError>>()?;

    let ombudsman = ombudsman(cases, &scope);
    let actions = actions(cases, &scope);
    let compliments_now: Vec<&Compliment> = source
        .compliments
        .iter()
        .filter(|c| {
            period.contains(c.received_on) && team.is_none_or(|t| c.team.as_deref() == Some(t))
        })
        .collect();
    let compliments_before = source
        .compliments
        .iter()
        .filter(|c| {
            previous_period.contains(c.received_on)
                && team.is_none_or(|t| c.team.as_deref() == Some(t))
        })
        .count() as u64;
    let compliments = Compliments {
        received: compliments_now.len() as u64,
        by_team: tally(
            compliments_now
                .iter()
                .map(|c| c.team.as_deref().unwrap_or("No team recorded")),
        ),
        quotations: compliments_now
            .iter()
            .filter(|c| c.consent_to_publish)
            .take(10)
            .map(|c| Quotation {
                team: c.team.clone().unwrap_or_default(),
                text: c.summary.clone(),
            })
            .collect(),
    };

    let before_received = previous.received(cases).len() as u64;
    let before_stage1 = previous.stage(cases, 1)?;
    let before_stage2 = previous.stage(cases, 2)?;
    let before_stage3 = previous.stage(cases, 3)?;
    let before_decisions = ombudsman_decisions_in(cases, &previous);
    let previous_year = PreviousYear {
        label: previous_period.label.clone(),
        received: before_received,
        stage1_responded: before_stage1.responded,
        stage1_within_timescale: before_stage1.within_timescale,
        stage1_within_timescale_percent: before_stage1.within_timescale_percent,
        stage2_started: before_stage2.started,
        stage3_started: before_stage3.started,
        ombudsman_decisions: before_decisions,
        compliments_received: compliments_before,
        changes: Changes {
            received: count_change(before_received, complaints.received),
            stage1_responded: count_change(before_stage1.responded, stage1.responded),
            stage1_within_timescale_percent: {
                let before = rate(before_stage1.within_timescale, before_stage1.responded);
                let now = rate(stage1.within_timescale, stage1.responded);
                RateChange {
                    previous: before.map(round1),
                    current: now.map(round1),
                    points: before.zip(now).map(|(b, n)| round1(n - b)),
                }
            },
            stage2_started: count_change(before_stage2.started, stage2.started),
            stage3_started: count_change(before_stage3.started, stage3.started),
            ombudsman_decisions: count_change(before_decisions, ombudsman.total),
            compliments_received: count_change(compliments_before, compliments.received),
        },
    };

    let narrative = source
        .narrative
        .iter()
        .map(|(section, body)| {
            let body = if section == "compliment_quotations" {
                privacy::names_to_initials(body)
            } else {
                body.clone()
            };
            (section.clone(), body)
        })
        .collect();
    let procedures = organisation
        .procedures
        .iter()
        .map(|p| ProcedureAppendix {
            name: p.name.clone(),
            title: p.title.clone(),
            source: p.source.clone(),
            stages: p.describe(),
        })
        .collect();
    let mut report = Report {
        organisation: Organisation {
            slug: organisation.slug.clone(),
            name: organisation.name.clone(),
        },
        period: period.clone(),
        team: team.map(str::to_string),
        complaints,
        stage1,
        stage2,
        stage3,
        stage1_by_quarter,
        ombudsman,
        actions,
        compliments,
        previous_year,
        summary: Vec::new(),
        notes: Vec::new(),
        narrative,
        procedures,
    };
    report.summary = sentences::summary(&report);
    report.notes = sentences::notes(&report, &organisation.procedures);
    Ok(report)
}

fn ombudsman_decisions_in(cases: &[Case], scope: &Scope) -> u64 {
    cases
        .iter()
        .filter(|c| scope.in_team(c))
        .flat_map(|c| c.ombudsman.iter())
        .filter(|o| scope.period.contains(o.decided_on))
        .count() as u64
}

fn ombudsman(cases: &[Case], scope: &Scope) -> Ombudsman {
    let mut counts: BTreeMap<usize, (OmbudsmanDecision, u64)> = BTreeMap::new();
    let mut remedy_lines = Vec::new();
    let as_of = scope.period.to;
    for case in cases.iter().filter(|c| scope.in_team(c)) {
        for decision in case
            .ombudsman
            .iter()
            .filter(|o| scope.period.contains(o.decided_on))
        {
            let order = OmbudsmanDecision::VARIANTS_IN_ORDER
                .iter()
                .position(|d| *d == decision.decision)
                .unwrap_or(0);
            counts.entry(order).or_insert((decision.decision, 0)).1 += 1;
            for remedy in &decision.remedies {
                let status = match remedy.completed_on {
                    Some(done) if done <= remedy.due_on => "on_time",
                    Some(_) => "late",
                    None if remedy.due_on < as_of => "overdue",
                    None => "outstanding",
                };
                remedy_lines.push(RemedyLine {
                    case_reference: case.reference.clone(),
                    kind: remedy.kind.as_str().to_string(),
                    description: remedy.description.clone(),
                    amount_pence: remedy.amount_pence,
                    due_on: remedy.due_on,
                    completed_on: remedy.completed_on,
                    status: status.to_string(),
                });
            }
        }
    }
    let count = |status: &str| remedy_lines.iter().filter(|r| r.status == status).count() as u64;
    let remedies = RemedyCompliance {
        total: remedy_lines.len() as u64,
        completed_on_time: count("on_time"),
        completed_late: count("late"),
        outstanding: count("outstanding"),
        overdue: count("overdue"),
        compliance_percent: percent(count("on_time"), remedy_lines.len() as u64),
    };
    let decisions: Vec<DecisionCount> = counts
        .into_values()
        .map(|(decision, count)| DecisionCount {
            decision: decision.as_str().to_string(),
            label: decision_label(decision).to_string(),
            count,
        })
        .collect();
    Ombudsman {
        total: decisions.iter().map(|d| d.count).sum(),
        decisions,
        remedies,
        remedy_lines,
    }
}

/// Actions on the cases the period counts: received in it, or with a stage started in it.
fn actions(cases: &[Case], scope: &Scope) -> Actions {
    let as_of = scope.period.to;
    let mut items = Vec::new();
    for case in cases.iter().filter(|c| scope.in_team(c)) {
        let active = scope.period.contains(case.received_on)
            || case
                .stages
                .iter()
                .any(|s| scope.period.contains(s.started_on));
        if !active {
            continue;
        }
        for action in &case.actions {
            let status = match action.completed_on {
                Some(_) => "completed",
                None if action.due_on < as_of => "overdue",
                None => "open",
            };
            items.push(ActionLine {
                case_reference: case.reference.clone(),
                kind: action.kind.as_str().to_string(),
                description: action.description.clone(),
                owner_team: action.owner_team.clone(),
                due_on: action.due_on,
                completed_on: action.completed_on,
                status: status.to_string(),
            });
        }
    }
    let status = |kind: &str| {
        let of_kind: Vec<&ActionLine> = items.iter().filter(|i| i.kind == kind).collect();
        let count = |s: &str| of_kind.iter().filter(|i| i.status == s).count() as u64;
        ActionStatus {
            total: of_kind.len() as u64,
            completed: count("completed"),
            open: count("open"),
            overdue: count("overdue"),
        }
    };
    Actions {
        recommendations: status("recommendation"),
        learning: status("learning"),
        items,
    }
}

#[cfg(test)]
mod tests;

//! From a period's counts to the report model. The counts come from grouped queries over the
//! statistics table (the store) or from whole cases ([`crate::compute`]); both are assembled
//! here, so the two ways agree on everything but the counting.

use crate::input::Organisation;
use crate::model::*;
use crate::{sentences, Period};
use redress_core::privacy;
use redress_core::report_counts::{ReportCounts, StageCounts};
use redress_core::{OmbudsmanDecision, Procedure, ProcedureKind};
use std::collections::{BTreeMap, HashMap};

pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub(crate) fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round1(part as f64 * 100.0 / whole as f64))
}

/// Counts by name, largest first (ties by name), with each share of the total. The same name
/// given twice is counted once.
fn tally(counts: impl Iterator<Item = (String, u64)>) -> Vec<NameCount> {
    let mut merged: HashMap<String, u64> = HashMap::new();
    for (name, count) in counts.filter(|(_, count)| *count > 0) {
        *merged.entry(name).or_default() += count;
    }
    let total: u64 = merged.values().sum();
    let mut rows: Vec<NameCount> = merged
        .into_iter()
        .map(|(name, count)| NameCount {
            name,
            count,
            percent: percent(count, total).unwrap_or(0.0),
        })
        .collect();
    rows.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    rows
}

/// A tally of names that may be missing, the missing ones under `missing`.
fn tally_or<'a>(counts: &'a [(Option<String>, u64)], missing: &'a str) -> Vec<NameCount> {
    tally(
        counts
            .iter()
            .map(|(name, count)| (name.as_deref().unwrap_or(missing).to_string(), *count)),
    )
}

fn tally_of(counts: &[(String, u64)]) -> Vec<NameCount> {
    tally(counts.iter().cloned())
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

/// A stage whose timeliness cannot be worked out (its dates fall outside the calendar, or its
/// procedure's rule cannot judge it): the report stops and names the case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the timeliness of {reference} Stage {stage} cannot be worked out: {message}")]
pub struct TimelinessError {
    pub reference: String,
    pub stage: u8,
    pub message: String,
}

/// A stage's timeliness: in time as a share of the stages judged. Stages overdue with no
/// response count against it. The national roll-up uses it too, rows and totals alike.
pub(crate) fn within_timescale_percent(counts: &StageCounts) -> Option<f64> {
    percent(
        counts.within_timescale,
        counts.responded + counts.open_overdue + counts.not_responded_in_time,
    )
}

/// A stage's figures from its counts; an error when a case in them cannot be judged, which is
/// never counted as late in silence.
fn stage_figures(counts: &StageCounts, number: u8) -> Result<StageFigures, TimelinessError> {
    if let Some(unjudged) = &counts.unjudged {
        return Err(TimelinessError {
            reference: unjudged.reference.clone(),
            stage: number,
            message: unjudged.message.clone(),
        });
    }
    Ok(StageFigures {
        started: counts.started,
        responded: counts.responded,
        within_timescale: counts.within_timescale,
        within_timescale_percent: within_timescale_percent(counts),
        extended: counts.extended,
        upheld: counts.upheld,
        partially_upheld: counts.partially_upheld,
        not_upheld: counts.not_upheld,
        withdrawn: counts.withdrawn,
        upheld_or_partially_percent: percent(
            counts.upheld + counts.partially_upheld,
            counts.responded,
        ),
        average_working_days_to_respond: (counts.responses_with_working_days > 0).then(|| {
            round1(counts.working_days as f64 / counts.responses_with_working_days as f64)
        }),
        statutory: counts.statutory,
        non_statutory: counts.started - counts.statutory.min(counts.started),
        open_overdue: counts.open_overdue,
        not_responded_in_time: counts.not_responded_in_time,
        judged_by_fallback: counts.judged_by_fallback,
        clock_stops: counts.clock_stops,
    })
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

/// The report for `period` (a team's when `team` is set) from its counts.
pub fn from_counts(
    organisation: &Organisation,
    counts: &ReportCounts,
    narrative: &BTreeMap<String, String>,
    period: &Period,
    team: Option<&str>,
) -> Result<Report, TimelinessError> {
    let c = &counts.complaints;
    let complaints = Complaints {
        received: c.received,
        statutory: c.statutory,
        non_statutory: c.received - c.statutory.min(c.received),
        resolved_at_initial_contact: c.resolved_at_initial_contact,
        rejected: c.rejected,
        rejected_reasons: tally_of(&c.rejected_reasons),
        by_team: tally_or(&c.by_team, "No team recorded"),
        by_reason: top_and_other(tally_or(&c.by_reason, "No reason recorded"), 10),
        by_channel: tally_of(&c.by_channel),
        by_complainant_role: tally_of(&c.by_complainant_role),
        child_complained: c.child_complained,
        advocacy_offered: c.advocacy_offered,
        advocacy_taken_up: c.advocacy_taken_up,
    };
    let [stage1, stage2, stage3] =
        [1u8, 2, 3].map(|n| stage_figures(&counts.stages[n as usize - 1], n));
    let (stage1, stage2, stage3) = (stage1?, stage2?, stage3?);
    let stage1_by_quarter = counts
        .stage1_by_quarter
        .iter()
        .map(|(q, quarter)| {
            let figures = stage_figures(quarter, 1)?;
            Ok(QuarterTimeliness {
                quarter: format!("Q{q}"),
                responded: figures.responded,
                within_timescale: figures.within_timescale,
                within_timescale_percent: figures.within_timescale_percent,
            })
        })
        .collect::<Result<Vec<_>, TimelinessError>>()?;
    let ombudsman = ombudsman(counts, period);
    let actions = actions(counts, period);
    let compliments = Compliments {
        received: counts.compliments_received,
        by_team: tally_or(&counts.compliments_by_team, "No team recorded"),
        quotations: counts
            .quotations
            .iter()
            .map(|(team, text)| Quotation {
                team: team.clone().unwrap_or_default(),
                text: text.clone(),
            })
            .collect(),
    };

    let previous_period = period.previous();
    let before = &counts.previous;
    let [before1, before2, before3] =
        [1u8, 2, 3].map(|n| stage_figures(&before.stages[n as usize - 1], n));
    let (before1, before2, before3) = (before1?, before2?, before3?);
    let previous_year = PreviousYear {
        label: previous_period.label.clone(),
        received: before.received,
        stage1_responded: before1.responded,
        stage1_within_timescale: before1.within_timescale,
        stage1_within_timescale_percent: before1.within_timescale_percent,
        stage2_started: before2.started,
        stage3_started: before3.started,
        ombudsman_decisions: before.ombudsman_decisions,
        compliments_received: before.compliments_received,
        changes: Changes {
            received: count_change(before.received, complaints.received),
            stage1_responded: count_change(before1.responded, stage1.responded),
            stage1_within_timescale_percent: {
                let was = rate(before1.within_timescale, before1.responded);
                let now = rate(stage1.within_timescale, stage1.responded);
                RateChange {
                    previous: was.map(round1),
                    current: now.map(round1),
                    points: was.zip(now).map(|(b, n)| round1(n - b)),
                }
            },
            stage2_started: count_change(before2.started, stage2.started),
            stage3_started: count_change(before3.started, stage3.started),
            ombudsman_decisions: count_change(before.ombudsman_decisions, ombudsman.total),
            compliments_received: count_change(before.compliments_received, compliments.received),
        },
    };

    let narrative = narrative
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
    let mut report = Report {
        organisation: crate::model::Organisation {
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
        procedures: appendix(&organisation.procedures),
        report_title: None,
        spso_indicators: None,
    };
    if organisation
        .procedures
        .iter()
        .any(|p| p.kind() == ProcedureKind::ModelComplaintsHandling)
    {
        report.spso_indicators = Some(crate::spso_indicators::indicators(
            report.complaints.received,
            &report.stage1,
            &report.stage2,
        ));
    }
    report.summary = sentences::summary(&report);
    report.notes = sentences::notes(&report, &organisation.procedures);
    Ok(report)
}

fn appendix(procedures: &[Procedure]) -> Vec<ProcedureAppendix> {
    procedures
        .iter()
        .map(|p| ProcedureAppendix {
            name: p.name.clone(),
            title: p.title.clone(),
            source: p.source.clone(),
            stages: p.describe(),
        })
        .collect()
}

fn ombudsman(counts: &ReportCounts, period: &Period) -> Ombudsman {
    let mut by_decision: BTreeMap<usize, (OmbudsmanDecision, u64)> = BTreeMap::new();
    let mut remedy_lines = Vec::new();
    let as_of = period.judged_on;
    for (reference, decision) in &counts.ombudsman {
        let order = OmbudsmanDecision::VARIANTS_IN_ORDER
            .iter()
            .position(|d| *d == decision.decision)
            .unwrap_or(0);
        by_decision.entry(order).or_insert((decision.decision, 0)).1 += 1;
        for remedy in &decision.remedies {
            let status = match remedy.completed_on {
                Some(done) if done <= remedy.due_on => "on_time",
                Some(_) => "late",
                None if remedy.due_on < as_of => "overdue",
                None => "outstanding",
            };
            remedy_lines.push(RemedyLine {
                case_reference: reference.clone(),
                kind: remedy.kind.as_str().to_string(),
                description: remedy.description.clone(),
                amount_pence: remedy.amount_pence,
                due_on: remedy.due_on,
                completed_on: remedy.completed_on,
                status: status.to_string(),
            });
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
    let decisions: Vec<DecisionCount> = by_decision
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

fn actions(counts: &ReportCounts, period: &Period) -> Actions {
    let as_of = period.judged_on;
    let items: Vec<ActionLine> = counts
        .actions
        .iter()
        .map(|(reference, action)| {
            let status = match action.completed_on {
                Some(_) => "completed",
                None if action.due_on < as_of => "overdue",
                None => "open",
            };
            ActionLine {
                case_reference: reference.clone(),
                kind: action.kind.as_str().to_string(),
                description: action.description.clone(),
                owner_team: action.owner_team.clone(),
                due_on: action.due_on,
                completed_on: action.completed_on,
                status: status.to_string(),
            }
        })
        .collect();
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

//! The report as plain data. Every renderer is a function of this; it also serialises to JSON,
//! whose field names are a public contract.

use crate::Period;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameCount {
    pub name: String,
    pub count: u64,
    /// Share of the table's total, to one decimal place.
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Organisation {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Complaints {
    /// Every complaint received, including those resolved at initial contact and rejected.
    pub received: u64,
    pub statutory: u64,
    pub non_statutory: u64,
    pub resolved_at_initial_contact: u64,
    pub rejected: u64,
    /// Why complaints were rejected, with counts.
    pub rejected_reasons: Vec<NameCount>,
    /// Excludes rejected complaints; largest first.
    pub by_team: Vec<NameCount>,
    /// The top 10 and "Other", excluding rejected complaints; largest first.
    pub by_reason: Vec<NameCount>,
    pub by_channel: Vec<NameCount>,
    pub by_complainant_role: Vec<NameCount>,
    pub child_complained: u64,
    pub advocacy_offered: u64,
    pub advocacy_taken_up: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageFigures {
    pub started: u64,
    /// Responses on the merits: upheld, partially upheld or not upheld.
    pub responded: u64,
    pub within_timescale: u64,
    /// `within_timescale` as a share of `responded`.
    pub within_timescale_percent: Option<f64>,
    pub extended: u64,
    pub upheld: u64,
    pub partially_upheld: u64,
    pub not_upheld: u64,
    pub withdrawn: u64,
    /// Upheld or partially upheld, as a share of `responded`.
    pub upheld_or_partially_percent: Option<f64>,
    pub average_working_days_to_respond: Option<f64>,
    pub statutory: u64,
    pub non_statutory: u64,
    /// Open at the end of the period and past the deadline in force.
    pub open_overdue: u64,
    /// Closed with no response when the complainant went on to the next stage.
    pub not_responded_in_time: u64,
    /// Review panels judged by the fallback (no report date): 20 working days from the panel.
    pub judged_by_fallback: u64,
    /// Times the clock was stopped (the council's own procedures only); the deadlines judged
    /// include the days stopped.
    pub clock_stops: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuarterTimeliness {
    pub quarter: String,
    pub responded: u64,
    pub within_timescale: u64,
    pub within_timescale_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionCount {
    pub decision: String,
    /// The decision as a person reads it ("Fault causing injustice").
    pub label: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemedyLine {
    pub case_reference: String,
    pub kind: String,
    pub description: String,
    pub amount_pence: Option<i64>,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    /// on_time, late, outstanding or overdue.
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RemedyCompliance {
    pub total: u64,
    pub completed_on_time: u64,
    pub completed_late: u64,
    /// Not yet done and not yet due.
    pub outstanding: u64,
    /// Not done and past due.
    pub overdue: u64,
    pub compliance_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ombudsman {
    pub decisions: Vec<DecisionCount>,
    pub total: u64,
    pub remedies: RemedyCompliance,
    pub remedy_lines: Vec<RemedyLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionLine {
    pub case_reference: String,
    pub kind: String,
    pub description: String,
    pub owner_team: String,
    pub due_on: NaiveDate,
    pub completed_on: Option<NaiveDate>,
    /// completed, open or overdue (on the report's end date).
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionStatus {
    pub total: u64,
    pub completed: u64,
    pub open: u64,
    pub overdue: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actions {
    pub recommendations: ActionStatus,
    pub learning: ActionStatus,
    pub items: Vec<ActionLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compliments {
    pub received: u64,
    pub by_team: Vec<NameCount>,
    /// The quotations the council approved for publication (given with the person's consent).
    pub quotations: Vec<Quotation>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quotation {
    pub team: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountChange {
    pub previous: u64,
    pub current: u64,
    /// Percentage change on the previous figure; none when it was 0.
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateChange {
    pub previous: Option<f64>,
    pub current: Option<f64>,
    /// Difference in percentage points.
    pub points: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changes {
    pub received: CountChange,
    pub stage1_responded: CountChange,
    pub stage1_within_timescale_percent: RateChange,
    pub stage2_started: CountChange,
    pub stage3_started: CountChange,
    pub ombudsman_decisions: CountChange,
    pub compliments_received: CountChange,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviousYear {
    pub label: String,
    pub received: u64,
    pub stage1_responded: u64,
    pub stage1_within_timescale: u64,
    pub stage1_within_timescale_percent: Option<f64>,
    pub stage2_started: u64,
    pub stage3_started: u64,
    pub ombudsman_decisions: u64,
    pub compliments_received: u64,
    pub changes: Changes,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProcedureAppendix {
    pub name: String,
    pub title: String,
    pub source: String,
    pub stages: Vec<(String, Vec<String>)>,
}

/// The SPSO's core performance indicators (MCHP 2020, Part 5), for a council running the
/// Model Complaints Handling Procedure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpsoIndicators {
    /// Complaints received in the period (indicator 4's numerator).
    pub received: u64,
    pub population: Option<u64>,
    /// Indicator 4: received per 1,000 population, where the population is given.
    pub per_thousand_population: Option<f64>,
    /// Stage 1 (frontline) and Stage 2 (investigation).
    pub stages: Vec<SpsoStage>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpsoStage {
    pub stage: u8,
    /// Indicator 5: closed at this stage, and as a share of all closed.
    pub closed: u64,
    pub closed_percent: Option<f64>,
    /// Indicator 6: outcomes at this stage.
    pub upheld: u64,
    pub partially_upheld: u64,
    pub not_upheld: u64,
    /// Indicator 7: average working days to close.
    pub average_working_days: Option<f64>,
    /// Indicator 8: closed within the timescale (5 or 20 working days, or the date extended to).
    pub within_timescale: u64,
    pub within_timescale_percent: Option<f64>,
    /// Indicator 9: extensions authorised, and as a share of those closed.
    pub extended: u64,
    pub extended_percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub organisation: Organisation,
    pub period: Period,
    /// Set on a team's report.
    pub team: Option<String>,
    pub complaints: Complaints,
    pub stage1: StageFigures,
    pub stage2: StageFigures,
    pub stage3: StageFigures,
    pub stage1_by_quarter: Vec<QuarterTimeliness>,
    pub ombudsman: Ombudsman,
    pub actions: Actions,
    pub compliments: Compliments,
    pub previous_year: PreviousYear,
    /// The executive summary: the figures in sentences.
    pub summary: Vec<String>,
    /// Counting rules and why totals differ.
    pub notes: Vec<String>,
    /// Officer-written sections, by name.
    pub narrative: BTreeMap<String, String>,
    pub procedures: Vec<ProcedureAppendix>,
    /// The title of one scheme's report (e.g. reg. 18's adult social care report); absent on
    /// the organisation's whole report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_title: Option<String>,
    /// Set where the organisation runs the SPSO Model Complaints Handling Procedure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spso_indicators: Option<SpsoIndicators>,
}

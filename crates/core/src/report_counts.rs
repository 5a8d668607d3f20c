//! What an organisation's report counts for a period, as plain numbers and short lists: the
//! store fills it from grouped queries over the statistics table, and the report crate can
//! fill it from whole cases to check them. Rules live in [`crate::statistics`]; this only holds
//! their tallies.

use crate::{Action, OmbudsmanCase};

/// A stage whose timeliness cannot be worked out: the report names it rather than guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unjudged {
    pub reference: String,
    pub message: String,
}

/// One stage's counts over a period (stages started in it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageCounts {
    pub started: u64,
    pub responded: u64,
    pub within_timescale: u64,
    pub extended: u64,
    pub upheld: u64,
    pub partially_upheld: u64,
    pub not_upheld: u64,
    pub withdrawn: u64,
    pub statutory: u64,
    pub open_overdue: u64,
    pub not_responded_in_time: u64,
    pub judged_by_fallback: u64,
    pub clock_stops: u64,
    /// Total working days to respond, over the responses with a count.
    pub working_days: i64,
    pub responses_with_working_days: u64,
    /// The first case (in the order cases were stored) whose timeliness cannot be judged.
    pub unjudged: Option<Unjudged>,
}

/// The complaints received in a period. Names are `None` where none was recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComplaintCounts {
    pub received: u64,
    pub statutory: u64,
    pub resolved_at_initial_contact: u64,
    pub rejected: u64,
    pub child_complained: u64,
    pub advocacy_offered: u64,
    pub advocacy_taken_up: u64,
    pub rejected_reasons: Vec<(String, u64)>,
    /// Not rejected.
    pub by_team: Vec<(Option<String>, u64)>,
    /// Not rejected.
    pub by_reason: Vec<(Option<String>, u64)>,
    pub by_channel: Vec<(String, u64)>,
    pub by_complainant_role: Vec<(String, u64)>,
}

/// Everything a report counts for a period, and the same figures of the period a year before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportCounts {
    pub complaints: ComplaintCounts,
    /// Stages 1, 2 and 3.
    pub stages: [StageCounts; 3],
    /// Stage 1 in each quarter the report shows, in order.
    pub stage1_by_quarter: Vec<(u8, StageCounts)>,
    /// Ombudsman decisions made in the period, with their case's reference, in the order the
    /// cases were stored.
    pub ombudsman: Vec<(String, OmbudsmanCase)>,
    /// Actions of the cases received or with a stage started in the period.
    pub actions: Vec<(String, Action)>,
    pub compliments_received: u64,
    pub compliments_by_team: Vec<(Option<String>, u64)>,
    /// The first ten quotations the council approved for publication, of compliments received
    /// in the period: (team, quotation).
    pub quotations: Vec<(Option<String>, String)>,
    pub previous: PreviousCounts,
}

/// The period a year before.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreviousCounts {
    pub received: u64,
    pub stages: [StageCounts; 3],
    pub ombudsman_decisions: u64,
    pub compliments_received: u64,
}

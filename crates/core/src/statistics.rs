//! The figures of one case, one row per stage (and a row 0 for the case itself), as the
//! statistics table keeps them: what reports count, judged by the same rules the reports use
//! (a stage's timeliness is `Stage::within_timescale`, on the procedure's calendar). No
//! personal data.

use crate::{Case, Procedure, ProcedureKind};
use chrono::NaiveDate;
use redress_calendar::Calendar;
use serde::{Deserialize, Serialize};

/// One row of the statistics table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageFigures {
    /// 0 for the case itself; 1 to 3 for its stages.
    pub stage: u8,
    pub procedure_kind: ProcedureKind,
    pub received_on: NaiveDate,
    /// The stage's start (row 0: the day received).
    pub started_on: NaiveDate,
    /// The deadline in force (open stages; none when the procedure has no limit).
    pub due_on: Option<NaiveDate>,
    pub responded_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    /// A response on the merits (upheld, partially upheld, not upheld).
    pub responded: bool,
    /// For a response: whether it came within the timescale in force; none otherwise, or
    /// when it cannot be judged (the report names such a case rather than guess).
    pub within_timescale: Option<bool>,
    pub extended: bool,
    pub clock_stopped: bool,
    /// Whether the case is closed, resolved, rejected or withdrawn (no stage work can follow):
    /// an open stage of such a case is not overdue.
    pub case_final: bool,
    /// Row 0 only: how the case ended before any stage.
    pub resolved_at_initial_contact: bool,
    pub rejected: bool,
}

/// The rows of `case` (its procedure, if known, and that procedure's calendar), as of `today`
/// for the deadline in force.
pub fn stage_figures(
    case: &Case,
    procedure: Option<&Procedure>,
    calendar: &Calendar,
    today: NaiveDate,
) -> Vec<StageFigures> {
    let kind = procedure.map_or(ProcedureKind::Corporate, |p| p.kind());
    let mut rows = vec![StageFigures {
        stage: 0,
        procedure_kind: kind,
        received_on: case.received_on,
        started_on: case.received_on,
        due_on: None,
        responded_on: None,
        outcome: None,
        responded: false,
        within_timescale: None,
        extended: false,
        clock_stopped: false,
        case_final: case.status.is_final(),
        resolved_at_initial_contact: case.resolved_on.is_some(),
        rejected: case.rejected_on.is_some(),
    }];
    for stage in &case.stages {
        let responded = stage
            .outcome
            .is_some_and(|o| o.is_response() && stage.responded_on.is_some());
        let (within, due) = match procedure {
            Some(p) => (
                stage.within_timescale(p, calendar).ok().flatten(),
                stage
                    .deadline(p, calendar, today)
                    .ok()
                    .flatten()
                    .map(|d| d.due_on),
            ),
            None => (None, None),
        };
        rows.push(StageFigures {
            stage: stage.number,
            procedure_kind: kind,
            received_on: case.received_on,
            started_on: stage.started_on,
            due_on: due,
            responded_on: stage.responded_on,
            outcome: stage.outcome.map(|o| o.as_str().to_string()),
            responded,
            within_timescale: if responded { within } else { None },
            extended: stage.extended_to.is_some(),
            clock_stopped: !stage.clock_stops.is_empty(),
            case_final: case.status.is_final(),
            resolved_at_initial_contact: false,
            rejected: false,
        });
    }
    rows
}

//! The figures of one case, one row per stage (and a row 0 for the case itself), as the
//! statistics table keeps them: what reports count, judged by the same rules the reports use
//! (a stage's timeliness is `Stage::within_timescale`, on the procedure's calendar). No
//! personal data.

use crate::{
    judged_under, Case, Channel, ComplainantRole, Procedure, ProcedureBook, ProcedureKind, Stage,
    Status,
};
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
    /// The deadline in force (open stages; none when the procedure has no limit). On row 0,
    /// Stage 1's deadline from receipt while the case has no stage on record.
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
    /// Since when ([`Case::final_on`]): a judgement as of an earlier day sees the case open.
    pub case_final_on: Option<NaiveDate>,
    /// Row 0 only: how the case ended before any stage.
    pub resolved_at_initial_contact: bool,
    pub rejected: bool,
    // The case's own facts, on every row, for the complaints section.
    pub channel: Channel,
    pub complainant_role: ComplainantRole,
    pub child_complained: bool,
    pub advocacy_offered: bool,
    pub advocacy_taken_up: bool,
    /// For a response: working days from the start to the response.
    pub working_days_to_respond: Option<i64>,
    /// A review panel judged by the fallback (no report date).
    pub judged_by_fallback: bool,
    /// How many times the clock was stopped.
    pub clock_stops: u32,
    /// The clock is stopped now: the deadline in force moves with the day it is judged on, so
    /// `due_on` holds only for today and a report judges the stage from the case.
    pub clock_paused: bool,
    /// Why the deadline in force cannot be worked out (procedure known).
    pub deadline_error: Option<String>,
    /// Why a response's timeliness cannot be judged (procedure known).
    pub timeliness_error: Option<String>,
}

/// A response on the merits: upheld, partially upheld or not upheld, with its date.
/// Of a reopened stage, its first round: the figures never change with a reopening.
pub fn responded(stage: &Stage) -> bool {
    let stage = stage.first_round();
    stage
        .outcome
        .is_some_and(|o| o.is_response() && stage.responded_on.is_some())
}

/// Whether a response came within the timescale in force (`Stage::within_timescale`: the
/// procedure's stage rule, e.g. SI 2006/1738 regs. 14, 17, 19 and 20). None when the stage is
/// not a response or its procedure is unknown; an error when the rules cannot judge it, which
/// a report names rather than count as late.
pub fn response_in_time(
    stage: &Stage,
    procedure: Option<&Procedure>,
    calendar: &Calendar,
) -> Result<Option<bool>, String> {
    let stage = stage.first_round();
    let Some(procedure) = procedure.filter(|_| responded(stage)) else {
        return Ok(None);
    };
    match stage.within_timescale(procedure, calendar) {
        Err(e) => Err(e.to_string()),
        Ok(None) => Err("the stage has a response but no judgement".into()),
        Ok(Some(within)) => Ok(Some(within)),
    }
}

/// Whether a stage open on `as_of` (no response by then, in a case not final by then) is past
/// the deadline in force that day: counted against timeliness, so open work does not flatter
/// it, and a later rejection or withdrawal does not rewrite a closed year. A stage of an
/// unknown procedure is not judged; an error says why it cannot be.
pub fn overdue_on(
    case: &Case,
    stage: &Stage,
    procedure: Option<&Procedure>,
    calendar: &Calendar,
    as_of: NaiveDate,
) -> Result<bool, String> {
    // The first round is the one judged: a reopening after `as_of` changes nothing then.
    let stage = stage.first_round();
    let open =
        stage.responded_on.is_none_or(|r| r > as_of) && case.final_on().is_none_or(|f| f > as_of);
    let Some(procedure) = procedure.filter(|_| open) else {
        return Ok(false);
    };
    let due = stage
        .deadline(procedure, calendar, as_of)
        .map_err(|e| e.to_string())?;
    Ok(due.is_some_and(|d| d.due_on < as_of))
}

/// Working days from a stage's start to its response on the procedure's calendar (reg. 2's
/// working days for the statutory procedure); none without a response on the merits or
/// outside the calendar.
pub fn working_days_to_respond(stage: &Stage, calendar: &Calendar) -> Option<i64> {
    let stage = stage.first_round();
    let responded_on = stage.responded_on.filter(|_| responded(stage))?;
    calendar
        .working_days_between(stage.started_on, responded_on)
        .ok()
}

/// Rejected at receipt (not accepted for consideration): by its status or its date.
pub fn is_rejected(case: &Case) -> bool {
    case.status == Status::Rejected || case.rejected_on.is_some()
}

/// Row 0's due date: for a case with no stage on record, reg. 14's Stage 1 deadline from
/// receipt, so a report counts a Stage 1 never opened as open and overdue once it is (as of
/// its day, and only while the case had not ended). None otherwise, or where the calendar
/// does not reach.
fn unopened_stage1_due_on<B: ProcedureBook + ?Sized>(
    case: &Case,
    book: &B,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let stage = case.unopened_stage1()?;
    let (procedure, calendar) = judged_under(book, case, &stage);
    let deadline = stage.deadline(procedure?, calendar, today).ok()??;
    Some(deadline.due_on)
}

/// The rows of `case`, each stage judged by the definition it ran under (`judged_under`), as
/// of `today` for the deadline in force.
pub fn stage_figures<B: ProcedureBook + ?Sized>(
    case: &Case,
    book: &B,
    today: NaiveDate,
) -> Vec<StageFigures> {
    // A message not accepted as a complaint is no complaint received: no report counts it.
    if case.status.is_unaccepted_draft() {
        return Vec::new();
    }
    let case_procedure = book
        .definitions()
        .iter()
        .filter(|p| p.name == case.procedure)
        .max_by_key(|p| p.version);
    let kind = case_procedure.map_or(ProcedureKind::Corporate, |p| p.kind());
    let case_row = StageFigures {
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
        case_final_on: case.final_on(),
        resolved_at_initial_contact: case.resolved_on.is_some(),
        rejected: is_rejected(case),
        channel: case.channel,
        complainant_role: case.complainant_role,
        child_complained: case.child_complained,
        advocacy_offered: case.advocacy_offered,
        advocacy_taken_up: case.advocacy_taken_up,
        working_days_to_respond: None,
        judged_by_fallback: false,
        clock_stops: 0,
        clock_paused: false,
        deadline_error: None,
        timeliness_error: None,
    };
    let mut rows = vec![StageFigures {
        due_on: unopened_stage1_due_on(case, book, today),
        ..case_row.clone()
    }];
    for live in &case.stages {
        // The figures are the first round's: reopening a stage never changes them.
        let stage = live.first_round();
        let (procedure, calendar) = judged_under(book, case, stage);
        let responded = responded(stage);
        let deadline = procedure.map(|p| stage.deadline(p, calendar, today));
        let judgement = response_in_time(stage, procedure, calendar);
        rows.push(StageFigures {
            stage: stage.number,
            procedure_kind: procedure.map_or(kind, |p| p.kind()),
            started_on: stage.started_on,
            due_on: deadline
                .clone()
                .and_then(|d| d.ok().flatten())
                .map(|d| d.due_on),
            responded_on: stage.responded_on,
            outcome: stage.outcome.map(|o| o.as_str().to_string()),
            responded,
            within_timescale: judgement.clone().ok().flatten(),
            extended: stage.extended(),
            clock_stopped: !stage.clock_stops.is_empty(),
            resolved_at_initial_contact: false,
            rejected: false,
            working_days_to_respond: working_days_to_respond(stage, calendar),
            judged_by_fallback: responded
                && procedure.is_some_and(|p| stage.panel_judged_by_fallback(p)),
            clock_stops: stage.clock_stops.len() as u32,
            clock_paused: stage.clock_stopped(),
            deadline_error: deadline.and_then(|d| d.err()).map(|e| e.to_string()),
            timeliness_error: judgement.err(),
            ..case_row.clone()
        });
    }
    rows
}

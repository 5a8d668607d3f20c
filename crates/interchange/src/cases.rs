//! The cases CSV: one row a complaint, its stages as columns.

use crate::cells::{open, Cells, Header};
use crate::references::{References, Seen};
use crate::RowErrors;
use chrono::NaiveDate;
use redress_core::{
    Case, CaseFacts, Channel, ComplainantRole, OmbudsmanCase, OmbudsmanDecision, Outcome,
    Procedure, Stage,
};
use std::io;

/// Every column, in the order an export writes them.
pub const CASE_COLUMNS: [&str; 28] = [
    "reference",
    "received_on",
    "procedure",
    "team",
    "reason",
    "channel",
    "complainant_role",
    "child_complained",
    "advocacy_offered",
    "advocacy_taken_up",
    "resolved_at_initial_contact",
    "rejected_reason",
    "stage1_started_on",
    "stage1_extended",
    "stage1_responded_on",
    "stage1_outcome",
    "stage2_started_on",
    "stage2_extended",
    "stage2_responded_on",
    "stage2_outcome",
    "stage3_started_on",
    "stage3_panel_on",
    "stage3_responded_on",
    "stage3_outcome",
    "ombudsman_decision",
    "ombudsman_decided_on",
    "withdrawn_on",
    "closed_on",
];

const REQUIRED: [&str; 3] = ["reference", "received_on", "procedure"];

/// A parsed row and the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    pub line: u64,
    pub case: Case,
}

/// Reads a whole cases file. Either every row is good and all are returned, or every fault
/// found is returned. `progress` is called with the number of rows read so far.
pub fn parse_cases(
    input: impl io::Read,
    procedures: &[Procedure],
    mut progress: impl FnMut(u64),
) -> Result<Vec<CaseRow>, RowErrors> {
    let mut reader = CaseReader::open(input, procedures)?;
    let mut rows = Vec::new();
    let mut reported = 0;
    while let Some(row) = reader.next_case() {
        rows.push(row);
        if reader.rows_read() / PROGRESS_EVERY > reported {
            reported = reader.rows_read() / PROGRESS_EVERY;
            progress(reader.rows_read());
        }
    }
    progress(reader.rows_read());
    reader.finish().map(|_| rows)
}

const PROGRESS_EVERY: u64 = 100_000;

/// Reads a cases file one row at a time with the checks of [`parse_cases`], holding no more
/// than the row in hand (and the references seen, to refuse one used twice), so a file of
/// any size can be checked whole and then read again to be written.
pub struct CaseReader<'p, R: io::Read> {
    reader: csv::Reader<R>,
    header: Header,
    record: csv::StringRecord,
    procedures: &'p [Procedure],
    errors: RowErrors,
    references: Option<References>,
    rows_read: u64,
    ended: bool,
}

impl<'p, R: io::Read> CaseReader<'p, R> {
    /// Reads and checks the header; every fault in it is returned.
    pub fn open(input: R, procedures: &'p [Procedure]) -> Result<Self, RowErrors> {
        let (reader, header, errors) = open(input, &CASE_COLUMNS, &REQUIRED)?;
        Ok(CaseReader {
            reader,
            header,
            record: csv::StringRecord::new(),
            procedures,
            errors,
            references: Some(References::new()),
            rows_read: 0,
            ended: false,
        })
    }

    /// Leaves out the check for a reference used twice, for a second reading of a file that
    /// passed it: nothing is kept from row to row. (The database refuses a repeat anyway.)
    pub fn without_repeat_check(mut self) -> Self {
        self.references = None;
        self
    }

    /// The next good row, or `None` at the end of the file. Faulty rows are passed over and
    /// their faults kept for [`CaseReader::finish`] (or seen at once with
    /// [`CaseReader::faults`]); a fault in the CSV itself ends the reading.
    pub fn next_case(&mut self) -> Option<CaseRow> {
        while !self.ended {
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => {
                    self.ended = true;
                    break;
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    self.errors.push(crate::RowError {
                        line,
                        column: None,
                        field: "row".into(),
                        message: e.to_string(),
                    });
                    self.ended = true;
                    break;
                }
            }
            self.rows_read += 1;
            if let Some(row) = self.check_record() {
                return Some(row);
            }
        }
        None
    }

    /// The record in hand as a case, or `None` when it is blank or faulty.
    fn check_record(&mut self) -> Option<CaseRow> {
        let record = &self.record;
        let line = record.position().map_or(0, |p| p.line());
        if record.iter().all(|c| c.trim().is_empty()) {
            return None;
        }
        let mut cells = Cells::new(line, &self.header, record, &mut self.errors);
        let reference = cells.text("reference").to_string();
        if reference.is_empty() {
            cells.fail("reference", "must not be empty");
        } else if let Some(references) = &mut self.references {
            match references.see(&reference, line) {
                Seen::First => {}
                Seen::Again(first) => cells.fail(
                    "reference",
                    format!("{reference} appears again (first on line {first})"),
                ),
                Seen::TooMany => cells.fail(
                    "reference",
                    "the file is too large to check for references used twice",
                ),
            }
        }
        let case = read_case(&mut cells, reference, self.procedures)?;
        (!cells.failed).then_some(CaseRow { line, case })
    }

    /// How many records have been read (blank and faulty ones too).
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// The faults found so far.
    pub fn faults(&self) -> &RowErrors {
        &self.errors
    }

    /// Every fault found, if there were any.
    pub fn finish(self) -> Result<(), RowErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

fn read_case(cells: &mut Cells, reference: String, procedures: &[Procedure]) -> Option<Case> {
    let received_on = cells.required_date("received_on");
    let procedure_name = cells.text("procedure");
    let procedure = procedures.iter().find(|p| p.name == procedure_name);
    if procedure.is_none() {
        let known: Vec<&str> = procedures.iter().map(|p| p.name.as_str()).collect();
        let message = if procedure_name.is_empty() {
            "must not be empty".to_string()
        } else {
            format!("'{procedure_name}' is not one of {}", known.join(", "))
        };
        cells.fail("procedure", message);
    }
    let channel = cells.value("channel", Channel::parse, Some(Channel::Other));
    let role = cells.value(
        "complainant_role",
        ComplainantRole::parse,
        Some(ComplainantRole::Other),
    );
    let child_complained = cells.flag("child_complained");
    let advocacy_offered = cells.flag("advocacy_offered");
    let advocacy_taken_up = cells.flag("advocacy_taken_up");
    if advocacy_taken_up && !advocacy_offered {
        cells.fail(
            "advocacy_taken_up",
            "advocacy cannot be taken up without being offered",
        );
    }
    let resolved = cells.flag("resolved_at_initial_contact");
    let rejected_reason = cells.optional("rejected_reason");
    let team = cells.optional("team");
    let reason = cells.optional("reason");
    if rejected_reason.is_none() {
        if team.is_none() {
            cells.fail(
                "team",
                "must not be empty unless the complaint was rejected",
            );
        }
        if reason.is_none() {
            cells.fail(
                "reason",
                "must not be empty unless the complaint was rejected",
            );
        }
    }
    if resolved && rejected_reason.is_some() {
        cells.fail(
            "rejected_reason",
            "a complaint resolved at initial contact was not rejected",
        );
    }
    let withdrawn_on = cells.date("withdrawn_on");
    let closed_on = cells.date("closed_on");
    let (received_on, procedure) = (received_on?, procedure?);

    let mut case = CaseFacts {
        child_complained,
        advocacy_offered,
        advocacy_taken_up,
        team,
        reason,
        ..CaseFacts::received(
            reference,
            procedure.name.clone(),
            received_on,
            channel?,
            role?,
        )
    };

    let staged = (1..=3).any(|n| has_stage_columns(cells, n));
    if resolved || rejected_reason.is_some() {
        if staged {
            let field = if resolved {
                "resolved_at_initial_contact"
            } else {
                "rejected_reason"
            };
            cells.fail(
                field,
                "a complaint resolved at initial contact or rejected has no stages",
            );
        }
        if resolved {
            case.resolved_on = Some(received_on);
        } else {
            case.rejected_on = Some(received_on);
            case.rejected_reason = rejected_reason;
        }
    } else {
        read_stages(cells, &mut case, procedure);
    }

    read_ombudsman(cells, &mut case);

    if let Some(on) = withdrawn_on {
        if on < received_on {
            cells.fail(
                "withdrawn_on",
                format!("{on} is before received_on ({received_on})"),
            );
        }
        if let Some(stage) = case.stages.last_mut().filter(|s| s.responded_on.is_none()) {
            stage.responded_on = Some(on);
            stage.outcome = Some(Outcome::Withdrawn);
        }
        case.withdrawn_on = Some(on);
    }
    if let Some(on) = closed_on {
        if case.withdrawn_on.is_none() && case.stages.last().is_some_and(Stage::is_open) {
            cells.fail(
                "closed_on",
                "a case with a stage still open cannot be closed",
            );
        }
        if on < received_on {
            cells.fail(
                "closed_on",
                format!("{on} is before received_on ({received_on})"),
            );
        }
        case.closed_on = Some(on);
    }
    Some(Case::from_history(case))
}

fn stage_columns(number: u8) -> &'static [&'static str] {
    match number {
        1 => &[
            "stage1_started_on",
            "stage1_extended",
            "stage1_responded_on",
            "stage1_outcome",
        ],
        2 => &[
            "stage2_started_on",
            "stage2_extended",
            "stage2_responded_on",
            "stage2_outcome",
        ],
        _ => &[
            "stage3_started_on",
            "stage3_panel_on",
            "stage3_responded_on",
            "stage3_outcome",
        ],
    }
}

fn has_stage_columns(cells: &Cells, number: u8) -> bool {
    stage_columns(number).iter().any(|c| {
        let text = cells.text(c);
        let unextended = c.ends_with("_extended") && text.eq_ignore_ascii_case("no");
        !text.is_empty() && !unextended
    })
}

fn read_stages(cells: &mut Cells, case: &mut CaseFacts, procedure: &Procedure) {
    let mut previous_response: Option<NaiveDate> = None;
    let mut previous_open = false;
    for number in 1..=3u8 {
        let columns = stage_columns(number);
        let started_column = columns[0];
        // Stage 1 always exists on a row that was neither resolved nor rejected.
        if number > 1 && !has_stage_columns(cells, number) {
            continue;
        }
        let Some(rule) = procedure.stage(number as usize) else {
            cells.fail(
                started_column,
                format!("the {} procedure has no Stage {number}", procedure.name),
            );
            return;
        };
        if number > 1 && (previous_open || previous_response.is_none()) {
            cells.fail(
                started_column,
                format!(
                    "Stage {number} cannot start before Stage {} has a response",
                    number - 1
                ),
            );
            return;
        }
        let started_on = match cells.date(started_column) {
            Some(d) => d,
            None if number == 1 && cells.text(started_column).is_empty() => case.received_on,
            None => {
                if cells.text(started_column).is_empty() {
                    cells.fail(
                        started_column,
                        format!("Stage {number} needs the date it started"),
                    );
                }
                return;
            }
        };
        let earliest = previous_response.unwrap_or(case.received_on);
        if started_on < earliest {
            let what = if number == 1 {
                "received_on".to_string()
            } else {
                format!("the Stage {} response", number - 1)
            };
            cells.fail(
                started_column,
                format!("{started_on} is before {what} ({earliest})"),
            );
        }
        // Reg. 14: Stage 1's clock runs from receipt; a later date in the file is the day it
        // was opened, kept as that fact and never as the start of its clock.
        let mut stage = if number == 1 {
            let mut stage = Stage::opened(1, case.received_on);
            stage.opened_on = Some(started_on).filter(|on| *on > case.received_on);
            stage
        } else {
            Stage::opened(number, started_on)
        };
        if number < 3 {
            let extended_column = columns[1];
            // The extended limit in working days where the file gives it; a bare "yes" keeps
            // the extension with its length unknown rather than inventing the maximum.
            let text = cells.text(extended_column).trim().to_string();
            if let Ok(days) = text.parse::<u32>() {
                match rule.limit_in_force(Some(days)) {
                    Ok(days) => stage.extended_to = Some(days),
                    Err(e) => cells.fail(extended_column, e.to_string()),
                }
            } else if cells.flag(extended_column) {
                if rule.max_extended_to > rule.respond_within {
                    stage.extension_length_unknown = true;
                } else {
                    cells.fail(
                        extended_column,
                        format!(
                            "Stage {number} of the {} procedure cannot be extended",
                            procedure.name
                        ),
                    );
                }
            }
        } else {
            stage.panel_on = cells.date(columns[1]);
            if let Some(panel_on) = stage.panel_on {
                if panel_on < started_on {
                    cells.fail(
                        columns[1],
                        format!("{panel_on} is before stage3_started_on ({started_on})"),
                    );
                }
            }
        }
        let responded_column = columns[2];
        let outcome_column = columns[3];
        let responded_on = cells.date(responded_column);
        let outcome_empty = cells.text(outcome_column).is_empty();
        let outcome = if outcome_empty {
            None
        } else {
            cells.value(outcome_column, stage_outcome, None)
        };
        if responded_on.is_some() && outcome_empty {
            cells.fail(
                outcome_column,
                format!("Stage {number} has a response date but no outcome"),
            );
        }
        if !outcome_empty && cells.text(responded_column).is_empty() {
            cells.fail(
                responded_column,
                format!("Stage {number} has an outcome but no response date"),
            );
        }
        if let Some(responded) = responded_on {
            if responded < started_on {
                cells.fail(
                    responded_column,
                    format!("{responded} is before {started_column} ({started_on})"),
                );
            }
        }
        stage.responded_on = responded_on.filter(|_| outcome.is_some());
        stage.outcome = outcome.filter(|_| responded_on.is_some());
        previous_open = stage.responded_on.is_none();
        previous_response = stage.responded_on;
        case.stages.push(stage);
    }
    // A last stage answered "withdrawn" ends the case on that day.
    if let Some(last) = case.stages.last() {
        if last.outcome == Some(Outcome::Withdrawn) {
            case.withdrawn_on = last.responded_on;
        }
    }
}

/// A stage's outcome as a row may give it. A rejection belongs to the case, in
/// `rejected_reason`, and only core's `reject` step sets it on a stage: a row naming it as a
/// stage outcome would make a stage answered "rejected" on a case that was never rejected.
fn stage_outcome(text: &str) -> Result<Outcome, String> {
    match Outcome::parse(text)? {
        Outcome::Rejected => Err(
            "'rejected' is not a stage outcome here: a rejected complaint has rejected_reason and no stages"
                .into(),
        ),
        outcome => Ok(outcome),
    }
}

fn read_ombudsman(cells: &mut Cells, case: &mut CaseFacts) {
    let decision_text = cells.text("ombudsman_decision");
    let decided_on = cells.date("ombudsman_decided_on");
    if decision_text.is_empty() {
        if decided_on.is_some() {
            cells.fail(
                "ombudsman_decision",
                "ombudsman_decided_on is set but the decision is empty",
            );
        }
        return;
    }
    let decision = match OmbudsmanDecision::parse(decision_text) {
        Ok(d) => d,
        Err(message) => {
            cells.fail("ombudsman_decision", message);
            return;
        }
    };
    let Some(decided_on) = decided_on else {
        if cells.text("ombudsman_decided_on").is_empty() {
            cells.fail(
                "ombudsman_decided_on",
                "an ombudsman decision needs the date it was made",
            );
        }
        return;
    };
    if decided_on < case.received_on {
        cells.fail(
            "ombudsman_decided_on",
            format!("{decided_on} is before received_on ({})", case.received_on),
        );
    }
    case.ombudsman.push(OmbudsmanCase {
        decision,
        decided_on,
        lgsco_reference: None,
        remedies: Vec::new(),
    });
}

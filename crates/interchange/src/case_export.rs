//! Writing cases in the import format, so an export can be read back.

use crate::cases::CASE_COLUMNS;
use chrono::NaiveDate;
use redress_core::{Case, Outcome, Procedure};
use std::borrow::Borrow;
use std::io;

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "yes"
    } else {
        "no"
    }
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// Writes cases in the import format. What the format cannot carry (clock stops, actions,
/// remedies, personal details) is left out. The procedures are no longer needed: an
/// extension is written by its length.
pub fn write_cases<C: Borrow<Case>>(
    output: impl io::Write,
    cases: impl IntoIterator<Item = C>,
    _procedures: &[Procedure],
) -> Result<(), csv::Error> {
    let mut writer = crate::SafeCsv::new(output);
    writer.write_record(CASE_COLUMNS)?;
    for case in cases {
        let case = case.borrow();
        let stage = |n: u8| case.stages().iter().find(|s| s.number == n);
        // The extended limit where known, "yes" where its length is not, else "no".
        let extended = |n: u8| match stage(n) {
            Some(s) if s.extended_to.is_some() => s.extended_to.unwrap_or_default().to_string(),
            Some(s) => yes_no(s.extension_length_unknown).to_string(),
            None => String::new(),
        };
        let outcome = |n: u8| {
            stage(n)
                .and_then(|s| s.outcome)
                .map(|o| o.as_str())
                .unwrap_or("")
        };
        let ombudsman = case.ombudsman().first();
        // A withdrawal recorded as a stage outcome is carried by that stage's columns.
        let withdrawn_on = case.withdrawn_on().filter(|_| {
            !case
                .stages()
                .iter()
                .any(|s| s.outcome == Some(Outcome::Withdrawn))
        });
        let record: [String; 28] = [
            case.reference().to_string(),
            case.received_on().to_string(),
            case.procedure().to_string(),
            case.team().unwrap_or_default().to_string(),
            case.reason().unwrap_or_default().to_string(),
            case.channel().as_str().to_string(),
            case.complainant_role().as_str().to_string(),
            yes_no(case.child_complained()).into(),
            yes_no(case.advocacy_offered()).into(),
            yes_no(case.advocacy_taken_up()).into(),
            yes_no(case.resolved_on().is_some()).into(),
            case.rejected_reason().unwrap_or_default().to_string(),
            date(stage(1).map(|s| s.opened_or_started_on())),
            extended(1),
            date(stage(1).and_then(|s| s.responded_on)),
            outcome(1).into(),
            date(stage(2).map(|s| s.started_on)),
            extended(2),
            date(stage(2).and_then(|s| s.responded_on)),
            outcome(2).into(),
            date(stage(3).map(|s| s.started_on)),
            date(stage(3).and_then(|s| s.panel_on)),
            date(stage(3).and_then(|s| s.responded_on)),
            outcome(3).into(),
            ombudsman
                .map(|o| o.decision.as_str().to_string())
                .unwrap_or_default(),
            date(ombudsman.map(|o| o.decided_on)),
            date(withdrawn_on),
            date(case.closed_on()),
        ];
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}

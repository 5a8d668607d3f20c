//! The cases CSV, column by column: a good row reads, and a wrong value in any column is
//! refused naming its line, its column number and its name. What is written reads back the same.

use redress_core::Procedure;
use redress_interchange::{parse_cases, write_cases, CASE_COLUMNS};

/// A complete, valid row: received, Stage 1 and 2 responded, closed.
fn good() -> Vec<(&'static str, &'static str)> {
    vec![
        ("reference", "TCC-2024-0001"),
        ("received_on", "2024-01-08"),
        ("procedure", "statutory"),
        ("team", "Access & Assessment Team"),
        ("reason", "Communication"),
        ("channel", "email"),
        ("complainant_role", "parent"),
        ("child_complained", "no"),
        ("advocacy_offered", "yes"),
        ("advocacy_taken_up", "no"),
        ("resolved_at_initial_contact", "no"),
        ("rejected_reason", ""),
        ("stage1_started_on", "2024-01-08"),
        ("stage1_extended", "no"),
        ("stage1_responded_on", "2024-01-15"),
        ("stage1_outcome", "not_upheld"),
        ("stage2_started_on", "2024-01-20"),
        ("stage2_extended", "yes"),
        ("stage2_responded_on", "2024-03-01"),
        ("stage2_outcome", "partially_upheld"),
        ("stage3_started_on", ""),
        ("stage3_panel_on", ""),
        ("stage3_responded_on", ""),
        ("stage3_outcome", ""),
        ("ombudsman_decision", "no_fault"),
        ("ombudsman_decided_on", "2024-06-03"),
        ("withdrawn_on", ""),
        ("closed_on", "2024-03-04"),
    ]
}

fn csv(rows: &[Vec<(&str, &str)>]) -> String {
    let mut text = CASE_COLUMNS.join(",");
    text.push('\n');
    for row in rows {
        let cells: Vec<String> = CASE_COLUMNS
            .iter()
            .map(|column| {
                let value = row.iter().find(|(c, _)| c == column).map_or("", |(_, v)| v);
                format!("\"{}\"", value.replace('"', "\"\""))
            })
            .collect();
        text.push_str(&cells.join(","));
        text.push('\n');
    }
    text
}

fn with(column: &'static str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    good()
        .into_iter()
        .map(|(c, v)| (c, if c == column { value } else { v }))
        .collect()
}

fn presets() -> Vec<Procedure> {
    Procedure::presets()
}

#[test]
fn a_good_row_reads_with_every_column() {
    let rows = parse_cases(csv(&[good()]).as_bytes(), &presets(), |_| {}).unwrap();
    let case = &rows[0].case;
    assert_eq!(rows[0].line, 2);
    assert_eq!(case.reference(), "TCC-2024-0001");
    assert_eq!(case.team(), Some("Access & Assessment Team"));
    assert_eq!(case.stages().len(), 2);
    // Issue 24: "yes" alone keeps the extension with its length unknown, not the maximum.
    assert_eq!(case.stages()[1].extended_to, None);
    assert!(case.stages()[1].extension_length_unknown && case.stages()[1].extended());
    assert_eq!(case.ombudsman().len(), 1);
    assert!(case.advocacy_offered() && !case.advocacy_taken_up());
    assert_eq!(
        case.closed_on().map(|d| d.to_string()).as_deref(),
        Some("2024-03-04")
    );
}

#[test]
fn a_wrong_value_in_any_column_names_its_line_column_and_name() {
    let cases: [(&str, &str); 19] = [
        ("received_on", "2024-02-30"),
        ("procedure", "imaginary"),
        ("channel", "carrier pigeon"),
        ("complainant_role", "stranger"),
        ("child_complained", "perhaps"),
        ("advocacy_offered", "2"),
        ("advocacy_taken_up", "maybe"),
        ("resolved_at_initial_contact", "x"),
        ("stage1_started_on", "08/01/2024"),
        ("stage1_extended", "sometimes"),
        ("stage1_responded_on", "yesterday"),
        ("stage1_outcome", "thrown out"),
        ("stage2_started_on", "2024-13-01"),
        ("stage2_outcome", "unclear"),
        ("stage2_responded_on", "soon"),
        ("ombudsman_decision", "lost"),
        ("ombudsman_decided_on", "2024-06-31"),
        ("closed_on", "never"),
        ("reference", ""),
    ];
    for (column, value) in cases {
        let errors = parse_cases(
            csv(&[good(), with(column, value)]).as_bytes(),
            &presets(),
            |_| {},
        )
        .expect_err(column);
        let error = errors
            .errors
            .iter()
            .find(|e| e.field == column)
            .unwrap_or_else(|| panic!("{column}={value:?} is refused by name: {errors:?}"));
        assert_eq!(error.line, 3, "{column}");
        let position = CASE_COLUMNS.iter().position(|c| *c == column).unwrap() + 1;
        assert_eq!(error.column, Some(position), "{column}");
        assert!(!error.message.is_empty());
    }
}

#[test]
fn a_stage_outcome_of_rejected_is_refused_by_name() {
    // A rejection is the case's (rejected_reason), set on a stage by core's reject step alone.
    let errors = parse_cases(
        csv(&[with("stage1_outcome", "rejected")]).as_bytes(),
        &presets(),
        |_| {},
    )
    .expect_err("refused");
    let error = errors
        .errors
        .iter()
        .find(|e| e.field == "stage1_outcome")
        .unwrap_or_else(|| panic!("refused naming stage1_outcome: {errors:?}"));
    assert_eq!(error.line, 2);
    assert!(
        error.message.contains("rejected_reason"),
        "{}",
        error.message
    );
}

#[test]
fn a_header_with_an_unknown_or_missing_column_is_refused() {
    let errors = parse_cases(
        "reference,received_on,colour\n".as_bytes(),
        &presets(),
        |_| {},
    )
    .unwrap_err();
    assert!(errors
        .errors
        .iter()
        .any(|e| e.field == "colour" && e.line == 1));
    assert!(
        errors.errors.iter().any(|e| e.field == "procedure"),
        "{errors:?}"
    );
}

#[test]
fn a_reference_used_twice_is_refused() {
    let errors = parse_cases(csv(&[good(), good()]).as_bytes(), &presets(), |_| {}).unwrap_err();
    assert!(
        errors
            .errors
            .iter()
            .any(|e| e.field == "reference" && e.line == 3),
        "{errors:?}"
    );
}

#[test]
fn what_is_written_reads_back_the_same() {
    let presets = presets();
    let rows = parse_cases(csv(&[good()]).as_bytes(), &presets, |_| {}).unwrap();
    let cases: Vec<_> = rows.iter().map(|r| r.case.clone()).collect();
    let mut written = Vec::new();
    write_cases(&mut written, &cases, &presets).unwrap();
    let again = parse_cases(&written[..], &presets, |_| {}).unwrap();
    assert_eq!(again[0].case, cases[0]);
}

#[test]
fn a_stage_one_opened_late_starts_on_receipt_and_keeps_its_opening_day() {
    // Reg. 14: Stage 1 runs from receipt (8 January); the file's 19 February is the day it
    // was opened, kept as that, and written back the same.
    let presets = presets();
    let row = with("stage1_started_on", "2024-02-19");
    let row: Vec<_> = row
        .into_iter()
        .map(|(c, v)| match c {
            "stage1_responded_on" => (c, "2024-02-20"),
            _ if c.starts_with("stage2_") => (c, ""),
            _ => (c, v),
        })
        .collect();
    let rows = parse_cases(csv(&[row]).as_bytes(), &presets, |_| {}).unwrap();
    let stage = &rows[0].case.stages()[0];
    assert_eq!(stage.started_on.to_string(), "2024-01-08");
    assert_eq!(
        stage.opened_on.map(|d| d.to_string()).as_deref(),
        Some("2024-02-19")
    );
    let cases: Vec<_> = rows.iter().map(|r| r.case.clone()).collect();
    let mut written = Vec::new();
    write_cases(&mut written, &cases, &presets).unwrap();
    assert!(String::from_utf8_lossy(&written).contains("2024-02-19"));
    let again = parse_cases(&written[..], &presets, |_| {}).unwrap();
    assert_eq!(again[0].case, cases[0]);
}

/// Issue 24: the import carries the extension's length where the file gives it, as the
/// extended limit in working days; a bare "yes" is extended with the length unknown.
#[test]
fn an_extension_carries_its_length_where_given() {
    let presets = presets();
    let statutory = presets.iter().find(|p| p.name == "statutory").unwrap();
    let calendar =
        redress_calendar::Calendar::built_in(redress_calendar::Division::EnglandAndWales);
    // Stage 2 from Saturday 20 January 2024, responded Friday 1 March: 29 working days.
    let read = |value: &'static str| {
        parse_cases(
            csv(&[with("stage2_extended", value)]).as_bytes(),
            &presets,
            |_| {},
        )
    };
    let thirty = read("30").unwrap();
    let stage = &thirty[0].case.stages()[1];
    assert_eq!(stage.extended_to, Some(30));
    assert!(!stage.extension_length_unknown);
    // Extended to 30 working days: the response on the 29th is in time.
    assert_eq!(
        stage.within_timescale(statutory, &calendar).unwrap(),
        Some(true)
    );
    let twenty_eight = read("28").unwrap();
    // To 28: the response on the 29th is late.
    assert_eq!(
        twenty_eight[0].case.stages()[1]
            .within_timescale(statutory, &calendar)
            .unwrap(),
        Some(false)
    );
    // Length unknown: judged against the most Stage 2 may run (65 working days), in time.
    let yes = read("yes").unwrap();
    let stage = &yes[0].case.stages()[1];
    assert_eq!(
        stage.within_timescale(statutory, &calendar).unwrap(),
        Some(true)
    );
    // Past the cap, or no longer than the limit: refused naming the column.
    for (value, says) in [("70", "65"), ("25", "25")] {
        let errors = read(value).unwrap_err();
        assert!(
            errors
                .errors
                .iter()
                .any(|e| e.field == "stage2_extended" && e.message.contains(says)),
            "{value}: {errors:?}"
        );
    }
    // Written back as the number, or "yes" where the length is unknown.
    for (rows, expected) in [(thirty, "30"), (yes, "yes")] {
        let cases: Vec<_> = rows.iter().map(|r| r.case.clone()).collect();
        let mut written = Vec::new();
        write_cases(&mut written, &cases, &presets).unwrap();
        let text = String::from_utf8(written.clone()).unwrap();
        let line = text.lines().nth(1).unwrap();
        assert!(line.contains(&format!(",{expected},2024-03-01,")), "{line}");
        let again = parse_cases(&written[..], &presets, |_| {}).unwrap();
        assert_eq!(again[0].case, cases[0]);
    }
}

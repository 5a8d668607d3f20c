//! The compliments CSV: each column's wrong value is refused by line, column and name, and an
//! export reads back the same, formula-safe quoting included.

use redress_interchange::{parse_compliments, write_compliments};

const HEADER: &str = "received_on,team,summary,consent_to_publish\n";

#[test]
fn a_wrong_value_in_any_column_names_its_line_column_and_name() {
    for (row, field) in [
        ("2024-02-30,Fostering,Thank you,yes", "received_on"),
        (",Fostering,Thank you,yes", "received_on"),
        ("2024-02-01,,Thank you,yes", "team"),
        ("2024-02-01,Fostering,,yes", "summary"),
        (
            "2024-02-01,Fostering,Thank you,perhaps",
            "consent_to_publish",
        ),
    ] {
        let text = format!("{HEADER}2024-02-01,Fostering,Fine,no\n{row}\n");
        let errors = parse_compliments(text.as_bytes()).expect_err(row);
        let error = errors
            .errors
            .iter()
            .find(|e| e.field == field)
            .unwrap_or_else(|| panic!("{row}: {errors:?}"));
        assert_eq!(error.line, 3, "{row}");
        let expected = ["received_on", "team", "summary", "consent_to_publish"]
            .iter()
            .position(|c| *c == field)
            .unwrap()
            + 1;
        assert_eq!(error.column, Some(expected), "{row}");
    }
}

#[test]
fn an_export_reads_back_the_same() {
    let day = redress_calendar::parse_iso_date("2024-02-01").unwrap();
    let summary = "=1+1 said the grateful parent";
    let mut written = Vec::new();
    write_compliments(&mut written, [(day, "Fostering", summary, true)]).unwrap();
    let rows = parse_compliments(&written[..]).unwrap();
    assert_eq!(rows[0].summary, summary);
    assert_eq!(rows[0].team, "Fostering");
    assert!(rows[0].consent_to_publish);
    assert_eq!(rows[0].received_on, day);
}

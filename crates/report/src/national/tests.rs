//! The roll-up on plain counts: each row is its organisation's report, and the totals are
//! the report's own figures of the summed counts.

use super::*;
use crate::input::Organisation;
use redress_calendar::{Calendar, Division};
use redress_core::report_counts::ReportCounts;

fn organisation(slug: &str) -> Organisation {
    let calendar = Calendar::built_in(Division::EnglandAndWales);
    Organisation {
        slug: slug.into(),
        name: slug.to_uppercase(),
        procedures: Vec::new(),
        procedure_history: Vec::new(),
        calendar: calendar.clone(),
        bank_holiday_calendar: calendar,
    }
}

/// An organisation's report whose Stage 1 has these counts.
fn report(slug: &str, stage1: StageCounts, received: u64) -> Report {
    let mut counts = ReportCounts::default();
    counts.complaints.received = received;
    counts.complaints.statutory = received;
    counts.stages[0] = stage1;
    crate::from_counts(
        &organisation(slug),
        &counts,
        &Default::default(),
        &Period::financial_year(2024),
        None,
    )
    .expect("a report")
}

fn stage1(responded: u64, in_time: u64, open_overdue: u64, not_responded: u64) -> StageCounts {
    StageCounts {
        started: responded + open_overdue + not_responded,
        responded,
        within_timescale: in_time,
        open_overdue,
        not_responded_in_time: not_responded,
        ..StageCounts::default()
    }
}

/// Issue 24: with one organisation its row showed 55.6% and the totals 100.0%, the totals
/// dividing in-time by responded and dropping the stages overdue.
#[test]
fn one_organisation_totals_are_its_row() {
    let one = report("one", stage1(5, 5, 3, 1), 9);
    assert_eq!(one.stage1.within_timescale_percent, Some(55.6));
    let national = national(&Period::financial_year(2024), &[one], &[]);
    let row = &national.organisations[0].figures;
    assert_eq!(row.stage1_within_timescale_percent, Some(55.6));
    assert_eq!(
        national.totals, *row,
        "the totals of one organisation are its row"
    );
    assert_eq!(national.totals.stage1_within_timescale_percent, Some(55.6));
    assert_eq!(national.totals_note, None);
}

/// The totals are the report's figures of the summed counts: not an average of the rows, nor
/// a different denominator.
#[test]
fn totals_are_the_figures_of_the_summed_counts() {
    let (a, b) = (stage1(10, 9, 0, 0), stage1(2, 0, 6, 2));
    let reports = [report("a", a.clone(), 10), report("b", b.clone(), 10)];
    let national = national(&Period::financial_year(2024), &reports, &[]);
    for (row, report) in national.organisations.iter().zip(&reports) {
        assert_eq!(
            row.figures.stage1_within_timescale_percent,
            report.stage1.within_timescale_percent
        );
        assert_eq!(row.figures.stage1_responded, report.stage1.responded);
        assert_eq!(row.figures.stage1_open_overdue, report.stage1.open_overdue);
    }
    let summed = stage1(12, 9, 6, 2);
    let whole = report("all", summed, 20);
    // 9 of 20 judged: 45.0%; the average of 90.0% and 0.0% would be 45.0% too, so check
    // the old denominator's 75.0% is gone and the figure is the report's own.
    assert_eq!(
        national.totals.stage1_within_timescale_percent,
        whole.stage1.within_timescale_percent
    );
    assert_eq!(national.totals.stage1_within_timescale_percent, Some(45.0));
    assert_eq!(national.totals.received, 20);
    assert_eq!(national.totals.stage1_responded, 12);
    assert_eq!(national.totals.stage1_open_overdue, 6);
    assert_eq!(national.totals.stage1_not_responded_in_time, 2);

    // Unequal sizes: the summed counts' figure, not the average of the rows.
    let reports = [
        report("a", stage1(100, 90, 0, 0), 100),
        report("b", stage1(1, 0, 1, 0), 2),
    ];
    let national = super::national(&Period::financial_year(2024), &reports, &[]);
    let whole = report("all", stage1(101, 90, 1, 0), 102);
    assert_eq!(national.totals.stage1_within_timescale_percent, Some(88.2));
    assert_eq!(
        national.totals.stage1_within_timescale_percent,
        whole.stage1.within_timescale_percent
    );
}

/// An organisation whose report cannot be judged is named with the reason, not summed, and
/// the totals say so.
#[test]
fn an_unjudged_organisation_is_named_not_summed() {
    let judged = report("judged", stage1(4, 3, 1, 0), 5);
    let error = TimelinessError {
        reference: "C-1".into(),
        stage: 1,
        message: "an extension past the procedure's limit".into(),
    };
    let counts = [
        HeadlineCounts {
            slug: "bad".into(),
            name: "Badshire".into(),
            received: 50,
            stage1_responded: 50,
            stage1_within_timescale: 50,
            unjudged: Some(error.clone()),
            ..HeadlineCounts::default()
        },
        HeadlineCounts::of_report(&judged),
    ];
    let national = national_from_counts(&Period::financial_year(2024), &counts);
    assert_eq!(national.organisations.len(), 1);
    assert_eq!(national.organisations[0].slug, "judged");
    assert_eq!(
        national.unjudged,
        vec![UnjudgedOrganisation {
            slug: "bad".into(),
            name: "Badshire".into(),
            reason: error.to_string(),
        }]
    );
    assert!(national.unjudged[0].reason.contains("C-1 Stage 1"));
    assert_eq!(national.totals, national.organisations[0].figures);
    assert_eq!(national.totals.stage1_within_timescale_percent, Some(60.0));
    let note = national
        .totals_note
        .expect("the totals say what they leave out");
    assert!(note.contains("Badshire"), "{note}");

    // The same from whole reports.
    let slow = super::national(
        &Period::financial_year(2024),
        &[judged],
        &[("bad".into(), "Badshire".into(), error)],
    );
    assert_eq!(slow.unjudged, national.unjudged);
    assert_eq!(slow.totals, national.totals);
}

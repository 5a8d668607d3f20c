//! The counting rules, each a table of named cases built from plain values: no database.

use super::compute;
use crate::input::{Organisation, Source};
use crate::{Period, Report};
use chrono::NaiveDate;
use redress_calendar::{Calendar, Division};
use redress_core::{Case, CaseFacts, Channel, ComplainantRole, Outcome, Procedure, Stage};

fn day(text: &str) -> NaiveDate {
    text.parse().expect("an ISO date")
}

fn calendar() -> Calendar {
    Calendar::built_in(Division::EnglandAndWales)
}

/// The working day `n` working days after `start` (the day of receipt is day zero).
fn working_day(start: &str, n: u32) -> NaiveDate {
    calendar().add_working_days(day(start), n).expect("covered")
}

fn year_2020() -> Period {
    Period::financial_year(2020)
}

/// A statutory complaint received on `received_on`, with Stage 1 opened on `started_on`.
fn stage1_case(received_on: &str, started_on: &str) -> Case {
    let mut facts = CaseFacts::received(
        format!("C-{received_on}-{started_on}"),
        "statutory".into(),
        day(received_on),
        Channel::Email,
        ComplainantRole::Parent,
    );
    facts.stages.push(Stage::opened(1, day(started_on)));
    Case::from_history(facts)
}

/// `case` with some of its facts changed, as an imported history would hold them.
fn changed(case: Case, change: impl FnOnce(&mut CaseFacts)) -> Case {
    let mut facts = case.into_facts();
    change(&mut facts);
    Case::from_history(facts)
}

/// `case` with Stage 1 answered on `responded_on`.
fn answered(case: Case, responded_on: NaiveDate, outcome: Outcome) -> Case {
    changed(case, |facts| {
        let stage = facts.stages.last_mut().expect("a stage");
        stage.responded_on = Some(responded_on);
        stage.outcome = Some(outcome);
    })
}

fn report(cases: Vec<Case>, period: &Period) -> Report {
    try_report(cases, period).expect("the report computes")
}

fn try_report(cases: Vec<Case>, period: &Period) -> Result<Report, super::TimelinessError> {
    let source = Source {
        organisation: Organisation {
            slug: "testshire".into(),
            name: "Testshire".into(),
            procedures: vec![Procedure::preset("statutory").expect("a preset")],
            procedure_history: Vec::new(),
            calendar: calendar(),
            bank_holiday_calendar: calendar(),
        },
        cases,
        compliments: Vec::new(),
        narrative: Default::default(),
    };
    compute(&source, period, None)
}

#[test]
fn a_stage_counts_in_the_financial_year_it_started() {
    // (case, received, Stage 1 started, Stage 1 started in 2020/21)
    let rows = [
        (
            "received and started in the year",
            "2020-06-01",
            "2020-06-01",
            1,
        ),
        (
            "received the year before, started in it",
            "2020-03-20",
            "2020-04-01",
            1,
        ),
        (
            "started on the year's last day",
            "2021-03-22",
            "2021-03-31",
            1,
        ),
        (
            "received in the year, started the next",
            "2021-03-25",
            "2021-04-01",
            0,
        ),
        (
            "started the day before the year",
            "2020-03-25",
            "2020-03-31",
            0,
        ),
    ];
    for (name, received, started, expected) in rows {
        let r = report(vec![stage1_case(received, started)], &year_2020());
        assert_eq!(r.stage1.started, expected, "{name}");
    }
}

#[test]
fn a_withdrawn_stage_is_neither_a_response_nor_late() {
    let start = "2020-06-01";
    // (case, outcome, answered after n working days, responded, withdrawn, % in time)
    let rows = [
        ("upheld in time", Outcome::Upheld, 5, 1, 0, Some(100.0)),
        ("upheld late", Outcome::Upheld, 30, 1, 0, Some(0.0)),
        ("withdrawn in time", Outcome::Withdrawn, 5, 0, 1, None),
        (
            "withdrawn after the deadline",
            Outcome::Withdrawn,
            30,
            0,
            1,
            None,
        ),
    ];
    for (name, outcome, after, responded, withdrawn, percent) in rows {
        let mut case = answered(
            stage1_case(start, start),
            working_day(start, after),
            outcome,
        );
        if outcome == Outcome::Withdrawn {
            case = changed(case, |f| f.withdrawn_on = f.stages[0].responded_on);
        }
        let s = report(vec![case], &year_2020()).stage1;
        assert_eq!(
            (s.responded, s.withdrawn, s.within_timescale_percent),
            (responded, withdrawn, percent),
            "{name}"
        );
    }
}

#[test]
fn an_extension_moves_the_deadline_and_a_response_after_it_is_late() {
    let start = "2020-06-01";
    // Statutory Stage 1: 10 working days, extended to 20 at most.
    // (case, extended to, answered after n working days, extended, within timescale)
    let rows = [
        ("on the tenth day, not extended", None, 10, 0, 1),
        ("a day late, not extended", None, 11, 0, 0),
        ("after ten days, within an extension", Some(20), 15, 1, 1),
        ("on the extension's last day", Some(20), 20, 1, 1),
        ("after the extension ran out", Some(20), 21, 1, 0),
    ];
    for (name, extended_to, after, extended, within) in rows {
        let mut case = answered(
            stage1_case(start, start),
            working_day(start, after),
            Outcome::NotUpheld,
        );
        case = changed(case, |f| f.stages[0].extended_to = extended_to);
        let s = report(vec![case], &year_2020()).stage1;
        assert_eq!(
            (s.extended, s.within_timescale),
            (extended, within),
            "{name}"
        );
    }
}

#[test]
fn an_extension_beyond_the_procedure_stops_the_report_naming_the_case() {
    let mut case = answered(
        stage1_case("2020-06-01", "2020-06-01"),
        working_day("2020-06-01", 25),
        Outcome::Upheld,
    );
    case = changed(case, |f| f.stages[0].extended_to = Some(25));
    let error = try_report(vec![case], &year_2020()).expect_err("never counted in silence");
    assert_eq!(
        (error.reference.as_str(), error.stage),
        ("C-2020-06-01-2020-06-01", 1)
    );
}

#[test]
fn a_stage_open_and_overdue_at_the_year_end_counts_against_timeliness() {
    // (case, Stage 1 started, answered on, case withdrawn, open and overdue on 31 March 2021)
    let rows = [
        (
            "open, due before the year ended",
            "2021-02-01",
            None,
            false,
            1,
        ),
        (
            "open, due after the year ended",
            "2021-03-25",
            None,
            false,
            0,
        ),
        (
            "answered late, after the year ended",
            "2021-02-01",
            Some("2021-04-20"),
            false,
            1,
        ),
        (
            "answered in time, before the year ended",
            "2021-02-01",
            Some("2021-02-05"),
            false,
            0,
        ),
        ("withdrawn with no answer", "2021-02-01", None, true, 0),
        // Withdrawn after the year ended: open and overdue on 31 March all the same.
        (
            "withdrawn after the year ended",
            "2021-02-01",
            None,
            true,
            1,
        ),
    ];
    for (name, started, answered_on, withdrawn, expected) in rows {
        let mut case = stage1_case(started, started);
        if let Some(on) = answered_on {
            case = answered(case, day(on), Outcome::Upheld);
        }
        if withdrawn {
            let on = day(if name.contains("after the year") {
                "2021-04-20"
            } else {
                "2021-02-10"
            });
            case = changed(case, |f| f.withdrawn_on = Some(on));
        }
        let s = report(vec![case], &year_2020()).stage1;
        assert_eq!(s.open_overdue, expected, "{name}");
    }
    // One answered in time and one open and overdue: half within timescale, not all.
    let in_time = answered(
        stage1_case("2021-02-01", "2021-02-01"),
        day("2021-02-05"),
        Outcome::Upheld,
    );
    let overdue = stage1_case("2021-02-02", "2021-02-02");
    let s = report(vec![in_time, overdue], &year_2020()).stage1;
    assert_eq!(s.within_timescale_percent, Some(50.0));
}

/// `n` complaints received on `on`, none with a stage.
fn received(n: usize, on: &str) -> Vec<Case> {
    (0..n)
        .map(|i| {
            Case::received(
                format!("R-{on}-{i}"),
                "statutory".into(),
                day(on),
                Channel::Web,
                ComplainantRole::Parent,
            )
        })
        .collect()
}

#[test]
fn the_change_on_the_previous_year_is_a_share_of_the_previous_figure() {
    // (case, received in 2019/20, received in 2020/21, change in percent)
    let rows = [
        ("the seed's fall from 85 to 58", 85, 58, Some(-31.8)),
        ("a rise by half", 10, 15, Some(50.0)),
        ("no change", 7, 7, Some(0.0)),
        ("none the year before", 0, 5, None),
    ];
    for (name, before, now, percent) in rows {
        let mut cases = received(before, "2019-06-01");
        cases.extend(received(now, "2020-06-01"));
        let change = report(cases, &year_2020()).previous_year.changes.received;
        assert_eq!(
            (change.previous, change.current, change.percent),
            (before as u64, now as u64, percent),
            "{name}"
        );
    }
}

/// `total` Stage 1 responses started on `start`, `in_time` of them within 10 working days.
fn responses(total: usize, in_time: usize, start: &str) -> Vec<Case> {
    (0..total)
        .map(|i| {
            let after = if i < in_time { 5 } else { 30 };
            let case = answered(
                stage1_case(start, start),
                working_day(start, after),
                Outcome::Upheld,
            );
            changed(case, |f| f.reference = format!("S-{start}-{i}"))
        })
        .collect()
}

#[test]
fn the_change_in_a_rate_is_in_percentage_points() {
    // (case, (responses, in time) in 2019/20, the same in 2020/21, change in points)
    let rows = [
        (
            "the seed's 79% to 74% is 5 points",
            (100, 79),
            (100, 74),
            Some(-5.0),
        ),
        ("half to all is 50 points", (4, 2), (2, 2), Some(50.0)),
        ("no responses the year before", (0, 0), (3, 3), None),
    ];
    for (name, before, now, points) in rows {
        let mut cases = responses(before.0, before.1, "2019-06-03");
        cases.extend(responses(now.0, now.1, "2020-06-01"));
        let change = report(cases, &year_2020())
            .previous_year
            .changes
            .stage1_within_timescale_percent;
        assert_eq!(change.points, points, "{name}");
    }
}

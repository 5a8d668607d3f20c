//! The presets' timescales and the deadline arithmetic a council is judged on.

use chrono::NaiveDate;
use redress_calendar::{Calendar, Division};
use redress_core::{working_days_left, ClockStop, Procedure, StageClock, TimescaleError};

fn d(text: &str) -> NaiveDate {
    redress_calendar::parse_iso_date(text).unwrap()
}

fn cal() -> Calendar {
    Calendar::built_in(Division::EnglandAndWales)
}

#[test]
fn presets_carry_the_published_timescales() {
    let statutory = Procedure::preset("statutory").unwrap();
    let limits: Vec<(u32, u32, Option<u32>)> = statutory
        .stages
        .iter()
        .map(|s| (s.respond_within, s.max_extended_to, s.request_next_within))
        .collect();
    assert_eq!(limits[..2], [(10, 20, Some(20)), (25, 65, Some(20))]);
    let panel = statutory.stages[2].panel.unwrap();
    assert_eq!(
        (panel.meet_within, panel.report_within, panel.respond_within),
        (30, 5, 15)
    );

    let corporate = Procedure::preset("corporate").unwrap();
    assert_eq!(corporate.stages.len(), 2);
    assert_eq!(
        (
            corporate.stages[0].respond_within,
            corporate.stages[0].max_extended_to
        ),
        (10, 20)
    );
    assert_eq!(corporate.stages[1].respond_within, 10);

    let code = Procedure::preset("lgsco-code").unwrap();
    assert_eq!(code.stages[0].acknowledge_within, Some(5));
    assert_eq!(
        (
            code.stages[0].respond_within,
            code.stages[0].max_extended_to
        ),
        (10, 20)
    );
    assert_eq!(code.stages[1].respond_within, 20);
    assert!(Procedure::preset("housing").is_none());
}

#[test]
fn stage_one_due_date_and_extension() {
    let rule = &Procedure::preset("statutory").unwrap().stages[0];
    let clock = StageClock::started(d("2020-12-18"));
    assert_eq!(
        rule.deadline(&cal(), &clock, d("2020-12-18"))
            .unwrap()
            .due_on,
        d("2021-01-06")
    );
    let extended = StageClock {
        extended_to: Some(20),
        ..clock
    };
    assert_eq!(
        rule.deadline(&cal(), &extended, d("2020-12-18"))
            .unwrap()
            .due_on,
        d("2021-01-20")
    );
    let too_far = StageClock {
        extended_to: Some(21),
        ..clock
    };
    assert_eq!(
        rule.deadline(&cal(), &too_far, d("2020-12-18"))
            .unwrap_err(),
        TimescaleError::ExtensionBeyondCap {
            stage: "Local resolution".into(),
            asked: 21,
            max: 20
        }
    );
}

#[test]
fn timeliness_is_judged_against_the_deadline_in_force() {
    let rule = &Procedure::preset("statutory").unwrap().stages[0];
    let clock = StageClock::started(d("2020-12-18"));
    assert!(rule
        .responded_within_timescale(&cal(), &clock, d("2021-01-06"))
        .unwrap());
    assert!(!rule
        .responded_within_timescale(&cal(), &clock, d("2021-01-07"))
        .unwrap());
    let extended = StageClock {
        extended_to: Some(20),
        ..clock
    };
    assert!(rule
        .responded_within_timescale(&cal(), &extended, d("2021-01-07"))
        .unwrap());
}

#[test]
fn clock_stops_move_the_deadline_by_the_working_days_paused() {
    let rule = &Procedure::preset("statutory").unwrap().stages[1];
    // Thu 9 Apr 2020 + 25 = Tue 19 May 2020. Stopped Mon 27 Apr, restarted Fri 1 May: 4 days.
    let stops = [ClockStop {
        stopped_on: d("2020-04-27"),
        restarted_on: Some(d("2020-05-01")),
        reason: "agreeing the statement of complaint".into(),
        recorded_on: None,
    }];
    let clock = StageClock {
        stops: &stops,
        ..StageClock::started(d("2020-04-09"))
    };
    let deadline = rule.deadline(&cal(), &clock, d("2020-05-01")).unwrap();
    assert_eq!(deadline.due_on, d("2020-05-26"));
    assert!(!deadline.paused);

    let open = [ClockStop {
        stopped_on: d("2020-04-27"),
        restarted_on: None,
        reason: "agreeing the statement of complaint".into(),
        recorded_on: None,
    }];
    let clock = StageClock {
        stops: &open,
        ..StageClock::started(d("2020-04-09"))
    };
    let deadline = rule.deadline(&cal(), &clock, d("2020-04-29")).unwrap();
    assert!(deadline.paused);
    assert_eq!(deadline.due_on, d("2020-05-21"));
}

#[test]
fn lgsco_code_counts_from_acknowledgement() {
    let rule = &Procedure::preset("lgsco-code").unwrap().stages[0];
    let acknowledged = StageClock {
        acknowledged_on: Some(d("2026-06-03")),
        ..StageClock::started(d("2026-06-01"))
    };
    assert_eq!(
        rule.deadline(&cal(), &acknowledged, d("2026-06-03"))
            .unwrap()
            .due_on,
        d("2026-06-17")
    );
    // Not yet acknowledged: the clock is taken to start at the latest permitted acknowledgement.
    let pending = StageClock::started(d("2026-06-01"));
    assert_eq!(
        rule.deadline(&cal(), &pending, d("2026-06-01"))
            .unwrap()
            .due_on,
        d("2026-06-22")
    );
}

/// Regs. 19-20: the panel within 30 working days of the request, its report within 5 of the
/// panel, the response within 15 of the report; without a report date, 20 from the panel.
#[test]
fn stage_three_is_in_time_only_when_all_three_limits_hold() {
    let panel = Procedure::preset("statutory").unwrap().stages[2]
        .panel
        .unwrap();
    let request = d("2021-01-04");
    let panel_due = cal().add_working_days(request, 30).unwrap();
    let report_due = cal().add_working_days(panel_due, 5).unwrap();
    let response_due = cal().add_working_days(report_due, 15).unwrap();
    let judge = |panel_on, report_on, responded_on| {
        panel
            .judge(&cal(), request, panel_on, report_on, responded_on)
            .unwrap()
    };
    assert!(judge(panel_due, Some(report_due), response_due).in_time);
    // A late panel.
    let late_panel = cal().add_working_days(panel_due, 1).unwrap();
    assert!(!judge(late_panel, Some(late_panel), late_panel).in_time);
    // A late report (6 working days after the panel), the response on its day.
    let late_report = cal().add_working_days(panel_due, 6).unwrap();
    assert!(!judge(panel_due, Some(late_report), late_report).in_time);
    // The report on day 1, the response 16 working days after it: late, though it is within
    // 20 working days of the panel.
    let early_report = cal().add_working_days(panel_due, 1).unwrap();
    let sixteen = cal().add_working_days(early_report, 16).unwrap();
    assert!(sixteen <= cal().add_working_days(panel_due, 20).unwrap());
    assert!(!judge(panel_due, Some(early_report), sixteen).in_time);
    // No report date: the fallback of 20 from the panel, and the judgement says so.
    let fallback = judge(
        panel_due,
        None,
        cal().add_working_days(panel_due, 20).unwrap(),
    );
    assert!(fallback.in_time && fallback.fallback);
    assert!(
        !judge(
            panel_due,
            None,
            cal().add_working_days(panel_due, 21).unwrap()
        )
        .in_time
    );
}

#[test]
fn escalation_window_and_days_left() {
    let rule = &Procedure::preset("statutory").unwrap().stages[0];
    let responded = d("2021-01-06");
    let last_day = cal().add_working_days(responded, 20).unwrap();
    assert!(rule
        .next_stage_requested_in_time(&cal(), responded, last_day)
        .unwrap());
    assert!(!rule
        .next_stage_requested_in_time(&cal(), responded, cal().next_working_day(last_day).unwrap())
        .unwrap());

    assert_eq!(
        working_days_left(&cal(), d("2021-01-06"), d("2020-12-18")).unwrap(),
        10
    );
    assert_eq!(
        working_days_left(&cal(), d("2021-01-06"), d("2021-01-08")).unwrap(),
        -2
    );
}

#[test]
fn descriptions_come_from_the_rules() {
    let lines = Procedure::preset("statutory").unwrap().describe();
    assert_eq!(lines[0].0, "Stage 1: Local resolution");
    assert_eq!(
        lines[0].1[0],
        "respond within 10 working days of receipt; may be extended to 20 working days at most"
    );
    assert!(lines[2].1[0].starts_with("the panel meets within 30 working days of the request"));
}

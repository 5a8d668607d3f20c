//! Worked deadlines for the UK-wide presets, each counted on its own nation's bank holidays and
//! citing the rule it applies. The dates were counted by hand against gov.uk's lists.

use redress_calendar::{Calendar, Division};
use redress_core::{Case, Channel, ComplainantRole, OneCalendarBook, Procedure, Rules, StepName};
use serde_json::json;

mod common;
use common::{d, ok, step, with};

fn on(division: Division) -> Calendar {
    Calendar::built_in(division)
}

fn received(procedure: &str, on: &str) -> Case {
    let case = Case::received(
        "UK-1".into(),
        procedure.into(),
        d(on),
        Channel::Email,
        ComplainantRole::Relative,
    );
    common::changed(case, |f| f.team = Some("Adults".into()))
}

/// A complaint received on `on`, acknowledged on `acknowledged_on`, with Stage 1 open.
fn opened(procedure: &str, on: &str, acknowledged_on: &str, rules: &Rules) -> Case {
    let mut case = received(procedure, on);
    ok(
        &mut case,
        rules,
        json!({"transition": "acknowledge", "on": acknowledged_on}),
    );
    ok(&mut case, rules, json!({"transition": "open_stage1"}));
    case
}

fn due(case: &Case, procedures: &[Procedure], calendar: &Calendar, as_of: &str) -> String {
    let book = OneCalendarBook {
        definitions: procedures,
        calendar,
    };
    case.deadline_in_force(&book, d(as_of))
        .unwrap()
        .map(|d| d.due_on.to_string())
        .unwrap_or_default()
}

fn in_time(case: &Case, procedures: &[Procedure], calendar: &Calendar) -> Vec<Option<bool>> {
    let book = OneCalendarBook {
        definitions: procedures,
        calendar,
    };
    case.timeliness(&book)
        .into_iter()
        .map(|t| t.within_timescale)
        .collect()
}

/// SI 2009/309 reg. 14(2): without an agreed period the response is due within six months
/// beginning on the day of receipt; reg. 13(2): acknowledged within 3 working days.
#[test]
fn adult_social_care_defaults_to_six_months_from_receipt() {
    let adult = Procedure::preset("adult-social-care").unwrap();
    assert_eq!(adult.stages.len(), 1, "one stage (reg. 14)");
    assert_eq!(adult.stages[0].acknowledge_within, Some(3));
    assert_eq!(adult.complaint_within_months(), Some(12), "reg. 12");
    let procedures = Procedure::presets();
    let calendar = on(Division::EnglandAndWales);
    let rules = with(&procedures, &calendar, "adult-social-care", "2026-03-04");
    let case = opened("adult-social-care", "2026-03-02", "2026-03-04", &rules);
    // Received Monday 2 March 2026: six months beginning that day end on 1 September 2026.
    assert_eq!(
        due(&case, &procedures, &calendar, "2026-03-04"),
        "2026-09-01"
    );
}

/// Reg. 13(7) and 14(2): the period agreed with the complainant, then a later date agreed
/// when it will be missed (with why and the day they were told). Each judgement is as of
/// its day: before the second agreement the first date is in force.
#[test]
fn adult_social_care_agreed_period_and_its_extension() {
    let procedures = Procedure::presets();
    let calendar = on(Division::EnglandAndWales);
    let early = with(&procedures, &calendar, "adult-social-care", "2026-03-04");
    let mut case = opened("adult-social-care", "2026-03-02", "2026-03-04", &early);
    // Extend is not this procedure's way: the date is agreed, not extended.
    let steps = case.available_transitions(&early);
    let allowed = |name: StepName| steps.iter().any(|s| s.name == name && s.allowed);
    assert!(allowed(StepName::AgreeResponsePeriod));
    assert!(!allowed(StepName::Extend));
    assert!(!allowed(StepName::StopClock), "no clock stops");

    // Agreed on Wednesday 4 March: 40 working days, over Good Friday (3 April) and Easter
    // Monday (6 April), end on Friday 1 May 2026.
    ok(
        &mut case,
        &early,
        json!({"transition": "agree_response_period", "agreed_on": "2026-03-04", "working_days": 40}),
    );
    assert_eq!(
        due(&case, &procedures, &calendar, "2026-03-04"),
        "2026-05-01"
    );

    let later = with(&procedures, &calendar, "adult-social-care", "2026-04-21");
    // A second agreement must say why and when the complainant was told.
    let mut refused = case.clone();
    let err = step(
        &mut refused,
        &later,
        json!({"transition": "agree_response_period", "agreed_on": "2026-04-20", "working_days": 60}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("reason:"), "{err}");
    let err = step(
        &mut refused,
        &later,
        json!({"transition": "agree_response_period", "agreed_on": "2026-04-20", "working_days": 60, "reason": "Awaiting the provider's records"}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("notified_on:"), "{err}");
    // A period that ends sooner than the one agreed is refused, naming it.
    let err = step(
        &mut refused,
        &later,
        json!({"transition": "agree_response_period", "agreed_on": "2026-04-20", "working_days": 5, "reason": "x", "notified_on": "2026-04-20"}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("working_days:"), "{err}");
    assert_eq!(refused, case, "a refused step changes nothing");

    // Agreed on Monday 20 April: 60 working days, over the May bank holidays (4 and 25
    // May), end on Wednesday 15 July 2026.
    ok(
        &mut case,
        &later,
        json!({"transition": "agree_response_period", "agreed_on": "2026-04-20", "working_days": 60,
               "reason": "Awaiting the provider's records", "notified_on": "2026-04-21"}),
    );
    assert_eq!(
        due(&case, &procedures, &calendar, "2026-04-20"),
        "2026-07-15"
    );
    // As known on 17 April, before the new date was agreed, the first date was in force.
    assert_eq!(
        due(&case, &procedures, &calendar, "2026-04-17"),
        "2026-05-01"
    );

    // A response on 10 June, after the first date but inside the one agreed later, is in
    // time; one on 16 July is not.
    let answered = with(&procedures, &calendar, "adult-social-care", "2026-07-16");
    let mut on_time = case.clone();
    ok(
        &mut on_time,
        &answered,
        json!({"transition": "respond", "on": "2026-06-10", "outcome": "upheld"}),
    );
    assert_eq!(in_time(&on_time, &procedures, &calendar), [Some(true)]);
    let mut late = case.clone();
    ok(
        &mut late,
        &answered,
        json!({"transition": "respond", "on": "2026-07-16", "outcome": "upheld"}),
    );
    assert_eq!(in_time(&late, &procedures, &calendar), [Some(false)]);
}

/// Reg. 14(2): a longer period is agreed "before the expiry of that period"; one agreed after
/// the six months ran out is refused, naming the day.
#[test]
fn adult_social_care_period_agreed_after_the_default_ran_out_is_refused() {
    let procedures = Procedure::presets();
    let calendar = on(Division::EnglandAndWales);
    let rules = with(&procedures, &calendar, "adult-social-care", "2026-09-10");
    let mut case = opened("adult-social-care", "2026-03-02", "2026-03-04", &rules);
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "agree_response_period", "agreed_on": "2026-09-02", "working_days": 20}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("agreed_on:"), "{err}");
    assert!(err.to_string().contains("2026-09-01"), "{err}");
}

/// Reg. 12: a complaint more than 12 months after the matter needs recorded grounds.
#[test]
fn adult_social_care_twelve_month_limit_with_discretion() {
    let procedures = Procedure::presets();
    let calendar = on(Division::EnglandAndWales);
    let rules = with(&procedures, &calendar, "adult-social-care", "2026-03-04");
    let mut case = common::changed(received("adult-social-care", "2026-03-02"), |f| {
        f.matter_arose_on = Some(d("2025-01-15"))
    });
    ok(
        &mut case,
        &rules,
        json!({"transition": "acknowledge", "on": "2026-03-02"}),
    );
    let err = step(&mut case, &rules, json!({"transition": "open_stage1"})).unwrap_err();
    assert!(
        err.to_string().starts_with("late_complaint_grounds:"),
        "{err}"
    );
    assert!(err.to_string().contains("12 months"), "{err}");
    ok(
        &mut case,
        &rules,
        json!({"transition": "open_stage1", "late_complaint_grounds": "In hospital for most of the year"}),
    );
}

/// Wales 2014: Stage 1 acknowledged within 2 working days and resolved within 10 working days
/// of the acknowledgement; Stage 2 answered within 25 working days of its start.
#[test]
fn wales_local_resolution_runs_from_the_acknowledgement_over_christmas() {
    let procedures = Procedure::presets();
    let calendar = on(Division::EnglandAndWales);
    let wales = Procedure::preset("wales-social-services").unwrap();
    assert_eq!(wales.stages[0].acknowledge_within, Some(2));
    assert_eq!(
        (
            wales.stages[1].respond_within,
            wales.stages[0].respond_within
        ),
        (25, 10)
    );
    let rules = with(
        &procedures,
        &calendar,
        "wales-social-services",
        "2026-12-18",
    );
    // Received Thursday 17 December 2026; acknowledged Friday 18th. Ten working days from the
    // acknowledgement skip Christmas Day, Boxing Day (moved to Monday 28th) and New Year's
    // Day: due Wednesday 6 January 2027.
    let mut case = opened("wales-social-services", "2026-12-17", "2026-12-18", &rules);
    assert_eq!(
        due(&case, &procedures, &calendar, "2026-12-18"),
        "2027-01-06"
    );

    // Not acknowledged: the clock starts at the acknowledgement limit, Monday 21 December (a
    // late acknowledgement never buys time).
    let later = with(
        &procedures,
        &calendar,
        "wales-social-services",
        "2026-12-24",
    );
    let mut unacknowledged = received("wales-social-services", "2026-12-17");
    ok(
        &mut unacknowledged,
        &later,
        json!({"transition": "acknowledge", "on": "2026-12-24"}),
    );
    ok(
        &mut unacknowledged,
        &later,
        json!({"transition": "open_stage1"}),
    );
    assert_eq!(
        due(&unacknowledged, &procedures, &calendar, "2026-12-24"),
        "2027-01-07"
    );

    // Stage 2 asked for on Monday 11 January 2027: 25 working days, due Monday 15 February.
    let rules = with(
        &procedures,
        &calendar,
        "wales-social-services",
        "2027-01-11",
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "respond", "on": "2027-01-05", "outcome": "not_upheld"}),
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2027-01-11"}),
    );
    assert_eq!(
        due(&case, &procedures, &calendar, "2027-01-11"),
        "2027-02-15"
    );
    // The extension needs the day the complainant was told why and when.
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "extend", "to_working_days": 35, "reason": "Awaiting records", "on": "2027-01-11"}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("notified_on:"), "{err}");
}

/// The 2020 VE Day move: the early May bank holiday was Friday 8 May, not Monday 4 May, in
/// every UK division, so 4 May counts as a working day and 8 May does not.
#[test]
fn the_2020_ve_day_move_counts_in_every_division() {
    let procedures = Procedure::presets();
    for division in [
        Division::EnglandAndWales,
        Division::Scotland,
        Division::NorthernIreland,
    ] {
        let calendar = on(division);
        let rules = with(
            &procedures,
            &calendar,
            "wales-social-services",
            "2020-05-01",
        );
        let case = opened("wales-social-services", "2020-04-30", "2020-05-01", &rules);
        // Ten working days from Friday 1 May: 4-7 May, 11-15 May and 18 May.
        assert_eq!(
            due(&case, &procedures, &calendar, "2020-05-01"),
            "2020-05-18",
            "{division}"
        );
    }
}

/// SPSO MCHP Part 3: Stage 1 in 5 working days, extendable to 10. St Andrew's Day, Monday 30
/// November 2026, is a Scottish bank holiday and not an English one.
#[test]
fn spso_stage_1_skips_st_andrews_day() {
    let procedures = Procedure::presets();
    let scotland = on(Division::Scotland);
    let rules = with(&procedures, &scotland, "spso-mchp", "2026-11-26");
    let mut case = opened("spso-mchp", "2026-11-26", "2026-11-26", &rules);
    assert_eq!(
        due(&case, &procedures, &scotland, "2026-11-26"),
        "2026-12-04"
    );
    let england = on(Division::EnglandAndWales);
    assert_eq!(
        due(&case, &procedures, &england, "2026-11-26"),
        "2026-12-03",
        "without St Andrew's Day it would be a day earlier"
    );
    // Extended to the most Stage 1 allows, 10 working days: Friday 11 December.
    ok(
        &mut case,
        &rules,
        json!({"transition": "extend", "to_working_days": 10, "reason": "Complex", "on": "2026-11-27", "notified_on": "2026-11-27"}),
    );
    assert_eq!(
        due(&case, &procedures, &scotland, "2026-11-27"),
        "2026-12-11"
    );
    let mut beyond = case.clone();
    let err = step(
        &mut beyond,
        &rules,
        json!({"transition": "extend", "to_working_days": 11, "reason": "More", "on": "2026-11-27", "notified_on": "2026-11-27"}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("to_working_days:"), "{err}");
}

/// SPSO MCHP Part 4: Stage 2 acknowledged in 3 working days and answered in 20. Over
/// Christmas Scotland keeps 2 January too (Saturday in 2027, so Monday 4 January).
#[test]
fn spso_stage_2_over_the_scottish_new_year() {
    let procedures = Procedure::presets();
    let scotland = on(Division::Scotland);
    let spso = Procedure::preset("spso-mchp").unwrap();
    assert_eq!(spso.stages[1].acknowledge_within, Some(3));
    let rules = with(&procedures, &scotland, "spso-mchp", "2026-12-21");
    let mut case = opened("spso-mchp", "2026-12-14", "2026-12-14", &rules);
    ok(
        &mut case,
        &rules,
        json!({"transition": "respond", "on": "2026-12-18", "outcome": "not_upheld"}),
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2026-12-21"}),
    );
    // Monday 21 December + 20 working days, skipping 25 and 28 December, 1 and 4 January:
    // Friday 22 January 2027 (in England, with no 4 January holiday, Thursday 21st).
    assert_eq!(
        due(&case, &procedures, &scotland, "2026-12-21"),
        "2027-01-22"
    );
    let england = on(Division::EnglandAndWales);
    assert_eq!(
        due(&case, &procedures, &england, "2026-12-21"),
        "2027-01-21"
    );
}

/// SPSO MCHP: straight to Stage 2 where appropriate (the complaint is complex).
#[test]
fn spso_complaint_may_go_straight_to_stage_2() {
    let procedures = Procedure::presets();
    let scotland = on(Division::Scotland);
    let rules = with(&procedures, &scotland, "spso-mchp", "2026-07-30");
    let mut case = received("spso-mchp", "2026-07-30");
    ok(
        &mut case,
        &rules,
        json!({"transition": "acknowledge", "on": "2026-07-30"}),
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2026-07-30", "skip_agreed": true, "reason": "Complex: several services involved"}),
    );
    assert_eq!(case.open_stage().map(|s| s.number), Some(2));
    // Thursday 30 July + 20 working days, skipping Scotland's summer holiday (3 August):
    // Friday 28 August 2026.
    assert_eq!(
        due(&case, &procedures, &scotland, "2026-07-30"),
        "2026-08-28"
    );
}

/// NI HSC: acknowledged in 2 working days, answered in 20; the Twelfth (Monday 12 July 2027)
/// is a Northern Irish bank holiday.
#[test]
fn ni_hsc_skips_the_twelfth() {
    let procedures = Procedure::presets();
    let ni = on(Division::NorthernIreland);
    let hsc = Procedure::preset("ni-hsc").unwrap();
    assert_eq!(hsc.stages.len(), 1);
    assert_eq!(hsc.stages[0].acknowledge_within, Some(2));
    let rules = with(&procedures, &ni, "ni-hsc", "2027-07-08");
    let mut case = opened("ni-hsc", "2027-07-08", "2027-07-09", &rules);
    // Thursday 8 July + 20 working days, skipping Monday 12 July: Friday 6 August 2027.
    assert_eq!(due(&case, &procedures, &ni, "2027-07-08"), "2027-08-06");
    let england = on(Division::EnglandAndWales);
    assert_eq!(
        due(&case, &procedures, &england, "2027-07-08"),
        "2027-08-05"
    );
    // More time: the complainant is told why and the new date.
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "extend", "to_working_days": 30, "reason": "Awaiting a GP's report", "on": "2027-07-20"}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("notified_on:"), "{err}");
    ok(
        &mut case,
        &rules,
        json!({"transition": "extend", "to_working_days": 30, "reason": "Awaiting a GP's report", "on": "2027-07-20", "notified_on": "2027-07-20"}),
    );
    assert_eq!(due(&case, &procedures, &ni, "2027-07-20"), "2027-08-20");
}

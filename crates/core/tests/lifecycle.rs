//! Every step from every status of a statutory case, with no database: allowed, or refused
//! with its reason. Then the routes and timings the Regulations allow, worked to the date.

use redress_core::{Case, CaseError, Channel, ComplainantRole, Outcome, Rules, Status, StepName};
use serde_json::json;

mod common;
use common::*;

/// The steps each status allows; every other step is refused with a reason.
#[test]
fn every_step_from_every_status() {
    use StepName::*;
    let table: [(&str, Status, &[StepName]); 8] = [
        (
            "received",
            Status::Received,
            &[Acknowledge, Reject, Withdraw, ChangeProcedure, AddAction],
        ),
        (
            "acknowledged",
            Status::Acknowledged,
            &[
                ResolveAtInitialContact,
                Reject,
                OpenStage1,
                Escalate,
                Withdraw,
                ChangeProcedure,
                RecordOmbudsmanDecision,
                AddAction,
            ],
        ),
        (
            "stage1",
            Status::InStage,
            &[
                Reject,
                Respond,
                Escalate,
                Extend,
                Withdraw,
                ChangeProcedure,
                RecordOmbudsmanDecision,
                AddAction,
            ],
        ),
        (
            "responded1",
            Status::StageResponded,
            &[
                Escalate,
                Withdraw,
                Close,
                Reopen,
                ChangeProcedure,
                RecordOmbudsmanDecision,
                AddAction,
            ],
        ),
        (
            "resolved",
            Status::ResolvedAtInitialContact,
            &[Close, Reopen, RecordOmbudsmanDecision, AddAction],
        ),
        (
            "rejected",
            Status::Rejected,
            &[Close, Reopen, RecordOmbudsmanDecision, AddAction],
        ),
        (
            "withdrawn",
            Status::Withdrawn,
            &[Close, Reopen, RecordOmbudsmanDecision, AddAction],
        ),
        (
            "closed",
            Status::Closed,
            &[Escalate, Reopen, RecordOmbudsmanDecision, AddAction],
        ),
    ];
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", TODAY);
    for (name, status, allowed) in table {
        let case = at(name);
        assert_eq!(case.status(), status, "{name}");
        for step in case.available_transitions(&rules) {
            let expected = allowed.contains(&step.name);
            assert_eq!(
                step.allowed, expected,
                "{name}: {:?} {:?}",
                step.name, step.reason
            );
            if !step.allowed {
                let reason = step.reason.unwrap_or_default();
                assert!(
                    reason.len() > 10,
                    "{name}: {:?} is refused with a reason",
                    step.name
                );
            }
        }
    }
}

#[test]
fn a_statutory_case_stops_no_clock_but_a_corporate_one_may() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", TODAY);
    let mut case = at("stage1");
    let refused = step(
        &mut case,
        &rules,
        json!({"transition": "stop_clock", "on": "2024-01-09", "reason": "waiting"}),
    );
    assert!(refused.unwrap_err().to_string().contains("no clock stops"));

    let rules = with(&procedures, &calendar, "corporate", TODAY);
    let mut case = received("corporate");
    ok(
        &mut case,
        &rules,
        json!({"transition": "acknowledge", "on": "2024-01-08"}),
    );
    ok(&mut case, &rules, json!({"transition": "open_stage1"}));
    // Due 22 January; a stop before the stage, after the deadline, or a restart before the
    // stop is refused, naming the field.
    for (on, field) in [("2024-01-05", "on"), ("2024-01-23", "on")] {
        let err = step(
            &mut case,
            &rules,
            json!({"transition": "stop_clock", "on": on, "reason": "waiting"}),
        )
        .unwrap_err();
        assert!(
            matches!(&err, CaseError::Invalid { field: f, .. } if f == field),
            "{on}: {err}"
        );
    }
    ok(
        &mut case,
        &rules,
        json!({"transition": "stop_clock", "on": "2024-01-10", "reason": "waiting"}),
    );
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "restart_clock", "on": "2024-01-09"}),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("before the day it was stopped"),
        "{err}"
    );
}

#[test]
fn an_extension_agreed_after_the_deadline_is_refused() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-02-01");
    let mut case = at("stage1");
    // Stage 1 was due on 22 January 2024.
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "extend", "to_working_days": 20, "reason": "complex", "notified_on": "2024-02-01"}),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("comes after the deadline in force (2024-01-22)"),
        "{err}"
    );
    // Issue 24: agreed on the 22nd but recorded on 1 February, when the response was already
    // late, it is refused (it once made a late response an in-time one).
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "extend", "to_working_days": 20, "reason": "complex", "on": "2024-01-22", "notified_on": "2024-01-22"}),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CaseError::NotAllowed(m) if m.contains("recorded on 2024-02-01, after the deadline in force (2024-01-22)")),
        "{err}"
    );
    assert_eq!(case.stages()[0].extended_to, None, "nothing changed");
    // Recorded on the 22nd itself, it stands.
    let rules = with(&procedures, &calendar, "statutory", "2024-01-22");
    ok(
        &mut case,
        &rules,
        json!({"transition": "extend", "to_working_days": 20, "reason": "complex", "on": "2024-01-22", "notified_on": "2024-01-22"}),
    );
    let stage = &case.stages()[0];
    assert_eq!(stage.extension_agreed_on, Some(d("2024-01-22")));
    assert_eq!(stage.extension_recorded_on, None, "recorded on the day");
    assert_eq!(
        stage
            .deadline(rules.procedure, &calendar, rules.today)
            .unwrap()
            .unwrap()
            .due_on,
        d("2024-02-05")
    );
}

#[test]
fn an_overdue_stage_one_can_go_to_stage_two() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-01-31");
    let mut case = at("stage1");
    // Due 22 January: a request on the 22nd is too soon, on the 23rd the stage is overdue.
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-22"}),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CaseError::Invalid { field, .. } if field == "requested_on"),
        "{err}"
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-23"}),
    );
    assert_eq!(case.stages()[0].outcome, Some(Outcome::NotRespondedInTime));
    assert_eq!(
        case.stages()[0]
            .within_timescale(rules.procedure, &calendar)
            .unwrap(),
        Some(false)
    );
    assert_eq!(case.stages()[1].started_on, d("2024-01-23"));
    // Stage 2: 25 working days from the request.
    assert_eq!(
        case.due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-02-27"))
    );
}

#[test]
fn stage_one_may_be_skipped_by_agreement() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", TODAY);
    let mut case = at("acknowledged");
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-09", "skip_agreed": true}),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CaseError::Invalid { field, .. } if field == "reason"),
        "{err}"
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-09", "skip_agreed": true, "reason": "both agree an investigation is needed"}),
    );
    assert_eq!(case.stages().len(), 1);
    assert_eq!(case.stages()[0].number, 2);
    assert!(case.stages()[0]
        .late_request_reason
        .as_deref()
        .unwrap()
        .starts_with("Stage 1 skipped by agreement"));
}

#[test]
fn a_closed_case_reopens_where_it_was_and_takes_an_in_time_request() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", TODAY);
    let mut case = at("closed");
    ok(
        &mut case,
        &rules,
        json!({"transition": "reopen", "reason": "closed in error"}),
    );
    assert_eq!(case.status(), Status::StageResponded);
    assert_eq!(case.closed_on(), None);
    ok(
        &mut case,
        &rules,
        json!({"transition": "reopen", "reason": "the response missed a point"}),
    );
    assert_eq!(case.status(), Status::InStage);
    // Closed again after a response: an in-time request for Stage 2 needs no reopen.
    let mut case = at("closed");
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-10"}),
    );
    assert_eq!(case.status(), Status::InStage);
    assert_eq!(case.closed_on(), None);
}

#[test]
fn a_case_can_change_procedure_and_keep_its_dates() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", TODAY);
    let mut case = at("stage1");
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "change_procedure", "procedure": "nonsense", "reason": "x"}),
    )
    .unwrap_err();
    assert!(matches!(&err, CaseError::Invalid { field, .. } if field == "procedure"));
    ok(
        &mut case,
        &rules,
        json!({"transition": "change_procedure", "procedure": "corporate", "reason": "not about a looked-after child"}),
    );
    assert_eq!(case.procedure(), "corporate");
    assert_eq!(case.stages()[0].started_on, d("2024-01-08"));
}

#[test]
fn reg_9_and_sufficient_interest_are_checked_before_stage_one() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", TODAY);
    let mut case = at("acknowledged");
    case = changed(case, |f| f.matter_arose_on = Some(d("2022-11-01")));
    let err = step(&mut case, &rules, json!({"transition": "open_stage1"})).unwrap_err();
    assert!(
        matches!(&err, CaseError::Invalid { field, .. } if field == "late_complaint_grounds"),
        "{err}"
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "open_stage1", "late_complaint_grounds": "the child only recently learned of it"}),
    );
    assert!(case.late_complaint_grounds().is_some());

    let mut case = at("acknowledged");
    case = changed(case, |f| f.complainant_role = ComplainantRole::Relative);
    let err = step(&mut case, &rules, json!({"transition": "open_stage1"})).unwrap_err();
    assert!(
        matches!(&err, CaseError::Invalid { field, .. } if field == "sufficient_interest"),
        "{err}"
    );
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "decide_sufficient_interest", "sufficient": false}),
    )
    .unwrap_err();
    assert!(matches!(&err, CaseError::Invalid { field, .. } if field == "reason"));
    ok(
        &mut case,
        &rules,
        json!({"transition": "decide_sufficient_interest", "sufficient": true, "reason": "the grandmother cares for him"}),
    );
    ok(&mut case, &rules, json!({"transition": "open_stage1"}));
}

#[test]
fn opening_stage_one_late_needs_a_reason() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", TODAY);
    let mut case = at("acknowledged");
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "open_stage1", "on": "2024-01-09"}),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CaseError::Invalid { field, .. } if field == "reason"),
        "{err}"
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "open_stage1", "on": "2024-01-09", "reason": "received at the wrong office"}),
    );
}

#[test]
fn a_panel_has_three_members_a_chair_and_not_the_independent_person() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-03-01");
    let mut case = at("responded1");
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-10"}),
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "appoint_investigator", "investigating_officer": "Ida Officer", "independent_person": "Ivan Person"}),
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "respond", "on": "2024-02-01", "outcome": "partially_upheld"}),
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-02-02"}),
    );
    for (members, chair, field) in [
        (json!(["Ann", "Bob"]), json!("Ann"), "members"),
        (json!(["Ann", "Bob", "Cat"]), json!("Dan"), "chair"),
        (json!(["Ann", "Bob", "Cat"]), json!(null), "chair"),
        (
            json!(["Ann", "ivan person", "Cat"]),
            json!("Ann"),
            "members[1]",
        ),
    ] {
        let err = step(&mut case, &rules, json!({"transition": "record_panel", "panel_on": "2024-02-20", "members": members, "chair": chair})).unwrap_err();
        assert!(
            matches!(&err, CaseError::Invalid { field: f, .. } if f == field),
            "{field}: {err}"
        );
    }
    ok(
        &mut case,
        &rules,
        json!({"transition": "record_panel", "panel_on": "2024-02-20", "members": ["Ann", "Bob", "Cat"], "chair": "Ann"}),
    );
}

#[test]
fn the_lgsco_code_counts_from_the_actual_acknowledgement_or_its_limit() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "lgsco-code", TODAY);
    // Received Monday 8 January 2024. Acknowledged on day 1 (9 Jan): 10 working days from
    // then, 23 January.
    let mut early = received("lgsco-code");
    ok(
        &mut early,
        &rules,
        json!({"transition": "acknowledge", "on": "2024-01-09"}),
    );
    ok(&mut early, &rules, json!({"transition": "open_stage1"}));
    assert_eq!(
        early
            .due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-01-23"))
    );
    // Acknowledged on day 7 (17 Jan), after the 5-day limit (15 Jan): the clock runs from the
    // limit, so 29 January.
    let mut late = received("lgsco-code");
    ok(
        &mut late,
        &rules,
        json!({"transition": "acknowledge", "on": "2024-01-17"}),
    );
    ok(&mut late, &rules, json!({"transition": "open_stage1"}));
    assert_eq!(
        late.due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-01-29"))
    );
    // Each stage may be extended by up to 10 working days: Stage 2 to 30.
    let stage2 = &rules.procedure.stages[1];
    assert_eq!((stage2.respond_within, stage2.max_extended_to), (20, 30));
}

/// A statutory case at Stage 2 (requested 10 January 2024), with `appointed` on it.
fn at_stage_two(rules: &Rules, appointed: Option<(&str, &str)>) -> Case {
    let mut case = at("responded1");
    ok(
        &mut case,
        rules,
        json!({"transition": "escalate", "requested_on": "2024-01-10"}),
    );
    if let Some((officer, person)) = appointed {
        ok(
            &mut case,
            rules,
            json!({"transition": "appoint_investigator", "investigating_officer": officer, "independent_person": person}),
        );
    }
    case
}

#[test]
fn a_statutory_stage_two_is_answered_only_after_both_appointments() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-03-01");
    let mut case = at_stage_two(&rules, None);
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "respond", "on": "2024-02-01", "outcome": "upheld"}),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CaseError::NotAllowed(m) if m.contains("reg. 17")),
        "{err}"
    );
    assert!(
        case.open_stage().is_some(),
        "a refused answer changes nothing"
    );
    // A withdrawal is not an answer on the merits: it needs no investigation.
    ok(
        &mut case,
        &rules,
        json!({"transition": "respond", "on": "2024-02-01", "outcome": "withdrawn"}),
    );
    let mut appointed = at_stage_two(&rules, Some(("Ida Officer", "Ivan Person")));
    ok(
        &mut appointed,
        &rules,
        json!({"transition": "respond", "on": "2024-02-01", "outcome": "upheld"}),
    );
}

#[test]
fn a_panel_is_three_different_people_and_not_the_stage_two_investigators() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-03-01");
    let mut case = at_stage_two(&rules, Some(("Ida Officer", "Ivan Person")));
    ok(
        &mut case,
        &rules,
        json!({"transition": "respond", "on": "2024-02-01", "outcome": "partially_upheld"}),
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-02-02"}),
    );
    for (members, chair, field) in [
        (
            json!(["Ann Chair", "ann chair", "ANN  CHAIR"]),
            json!("Ann Chair"),
            "members[1]",
        ),
        (json!(["Ann", "Bob", " BOB "]), json!("Ann"), "members[2]"),
        (
            json!(["Ann", "IDA   officer", "Cat"]),
            json!("Ann"),
            "members[1]",
        ),
        (json!(["Ann", "Bob", "Cat"]), json!("cat "), "ok"),
    ] {
        let result = step(
            &mut case.clone(),
            &rules,
            json!({"transition": "record_panel", "panel_on": "2024-02-20", "members": members, "chair": chair}),
        );
        match (field, result) {
            ("ok", Ok(())) => {}
            (field, Err(err)) => assert!(
                matches!(&err, CaseError::Invalid { field: f, .. } if f == field),
                "{field}: {err}"
            ),
            (field, Ok(())) => panic!("{members} accepted; expected a refusal naming {field}"),
        }
    }
}

#[test]
fn stage_three_is_due_fifteen_working_days_after_the_report() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-03-01");
    let mut case = at_stage_two(&rules, Some(("Ida Officer", "Ivan Person")));
    ok(
        &mut case,
        &rules,
        json!({"transition": "respond", "on": "2024-02-01", "outcome": "partially_upheld"}),
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-02-02"}),
    );
    // Panel on Tuesday 20 February: before the report, 20 working days from the panel.
    ok(
        &mut case,
        &rules,
        json!({"transition": "record_panel", "panel_on": "2024-02-20", "members": ["Ann", "Bob", "Cat"], "chair": "Ann"}),
    );
    assert_eq!(
        case.due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-03-19"))
    );
    // The report on Wednesday 21 February: reg. 20(2), 15 working days from it, 13 March.
    ok(
        &mut case,
        &rules,
        json!({"transition": "record_panel", "panel_on": "2024-02-20", "report_on": "2024-02-21", "members": ["Ann", "Bob", "Cat"], "chair": "Ann"}),
    );
    assert_eq!(
        case.due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-03-13"))
    );
}

#[test]
fn stage_one_may_be_skipped_by_agreement_while_it_runs_with_late_grounds() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-01-12");
    // A complaint made more than a year after the matter arose needs reg. 9(2) grounds to skip
    // Stage 1 as much as to open it.
    let mut late = received("statutory");
    late = changed(late, |f| f.matter_arose_on = Some(d("2022-06-01")));
    ok(
        &mut late,
        &rules,
        json!({"transition": "acknowledge", "on": "2024-01-08"}),
    );
    let skip = json!({"transition": "escalate", "requested_on": "2024-01-09", "skip_agreed": true, "reason": "agreed"});
    let err = step(&mut late, &rules, skip.clone()).unwrap_err();
    assert!(
        matches!(&err, CaseError::Invalid { field, .. } if field == "late_complaint_grounds"),
        "{err}"
    );
    let mut with_grounds = skip.clone();
    with_grounds["late_complaint_grounds"] = json!("the child could not complain earlier");
    ok(&mut late, &rules, with_grounds);
    assert_eq!(late.stages()[0].number, 2);

    // Stage 1 open and not overdue: refused without agreement, allowed with it; Stage 1 is
    // closed that day with no outcome (neither answered nor late).
    let mut case = at("stage1");
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-11"}),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CaseError::Invalid { field, .. } if field == "requested_on"),
        "{err}"
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-11", "skip_agreed": true, "reason": "both agree"}),
    );
    assert_eq!(case.stages()[0].responded_on, Some(d("2024-01-11")));
    assert_eq!(case.stages()[0].outcome, None);
    assert_eq!(
        case.stages()[0]
            .within_timescale(rules.procedure, &calendar)
            .unwrap(),
        None
    );
    assert_eq!(
        (case.stages()[1].number, case.status()),
        (2, Status::InStage)
    );
}

#[test]
fn advocacy_is_owed_to_a_child_or_care_leaver_until_offered() {
    for (role, child_box, offered, owed) in [
        (ComplainantRole::Child, false, false, true),
        (ComplainantRole::CareLeaver, false, false, true),
        (ComplainantRole::Parent, true, false, true),
        (ComplainantRole::Parent, false, false, false),
        (ComplainantRole::CareLeaver, false, true, false),
    ] {
        let mut case = Case::received(
            "T-1".into(),
            "statutory".into(),
            d("2024-01-08"),
            Channel::Email,
            role,
        );
        case = changed(case, |f| f.child_complained = child_box);
        case = changed(case, |f| f.advocacy_offered = offered);
        assert_eq!(case.advocacy_owed(), owed, "{role:?} {child_box} {offered}");
    }
}

#[test]
fn a_change_of_procedure_runs_the_admission_checks_and_drops_stops_it_does_not_allow() {
    let procedures = presets();
    let calendar = cal();
    let corporate = with(&procedures, &calendar, "corporate", "2024-03-01");
    let statutory = with(&procedures, &calendar, "statutory", "2024-03-01");

    // A corporate stop carried into the statutory procedure would pause Stage 1 for ever: it
    // is dropped, and the statutory deadline runs (22 January) and has passed.
    let mut case = received("corporate");
    ok(
        &mut case,
        &corporate,
        json!({"transition": "acknowledge", "on": "2024-01-08"}),
    );
    ok(&mut case, &corporate, json!({"transition": "open_stage1"}));
    ok(
        &mut case,
        &corporate,
        json!({"transition": "stop_clock", "on": "2024-01-10", "reason": "awaiting the complainant"}),
    );
    ok(
        &mut case,
        &corporate,
        json!({"transition": "change_procedure", "procedure": "statutory", "reason": "about a looked-after child"}),
    );
    assert!(case.stages()[0].clock_stops.is_empty());
    let due = &case.stages()[0]
        .deadline(statutory.procedure, &calendar, statutory.today)
        .unwrap()
        .unwrap();
    assert_eq!((due.due_on, due.paused), (d("2024-01-22"), false));
    assert!(case.guard(StepName::Escalate, &statutory).is_ok());

    // No sufficient interest (s26(3)): out to corporate, Stage 1 there, and back is refused.
    let mut case = received("statutory");
    case = changed(case, |f| f.complainant_role = ComplainantRole::Relative);
    ok(
        &mut case,
        &statutory,
        json!({"transition": "acknowledge", "on": "2024-01-08"}),
    );
    ok(
        &mut case,
        &statutory,
        json!({"transition": "decide_sufficient_interest", "sufficient": false, "reason": "a neighbour"}),
    );
    ok(
        &mut case,
        &statutory,
        json!({"transition": "change_procedure", "procedure": "corporate", "reason": "no sufficient interest"}),
    );
    ok(&mut case, &corporate, json!({"transition": "open_stage1"}));
    let err = step(
        &mut case,
        &corporate,
        json!({"transition": "change_procedure", "procedure": "statutory", "reason": "try again"}),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CaseError::NotAllowed(m) if m.contains("no sufficient interest")),
        "{err}"
    );
    assert_eq!(
        case.procedure(),
        "corporate",
        "a refused change changes nothing"
    );
    // Decided again under corporate, the move is allowed.
    ok(
        &mut case,
        &corporate,
        json!({"transition": "decide_sufficient_interest", "sufficient": true, "reason": "she is the child's kinship carer after all"}),
    );
    ok(
        &mut case,
        &corporate,
        json!({"transition": "change_procedure", "procedure": "statutory", "reason": "decided"}),
    );

    // A statutory Stage 2 extended to 40 days cannot move to a procedure allowing 10.
    let mut case = at_stage_two(&statutory, Some(("Ida Officer", "Ivan Person")));
    let on_the_day = with(&procedures, &calendar, "statutory", "2024-01-22");
    ok(
        &mut case,
        &on_the_day,
        json!({"transition": "extend", "to_working_days": 40, "reason": "complex", "on": "2024-01-22", "notified_on": "2024-01-22"}),
    );
    let err = step(
        &mut case,
        &statutory,
        json!({"transition": "change_procedure", "procedure": "corporate", "reason": "x"}),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CaseError::Invalid { field, message } if field == "procedure" && message.contains("extended to 40")),
        "{err}"
    );
}

#[test]
fn stage_one_opened_six_weeks_late_still_runs_from_receipt() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-04-05");
    // Received and acknowledged Monday 8 January 2024; Stage 1 opened six weeks later.
    let mut case = at("acknowledged");
    ok(
        &mut case,
        &rules,
        json!({"transition": "open_stage1", "on": "2024-02-19", "reason": "lost in the post room"}),
    );
    let stage = &case.stages()[0];
    assert_eq!(stage.started_on, d("2024-01-08"));
    assert_eq!(stage.opened_on, Some(d("2024-02-19")));
    assert_eq!(
        stage.late_request_reason.as_deref(),
        Some("lost in the post room")
    );
    // Reg. 14: 10 working days from receipt, 22 January, not from the opening (4 March).
    assert_eq!(
        case.due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-01-22"))
    );
    // A response 62 working days after receipt (5 April, after Easter) is late.
    ok(
        &mut case,
        &rules,
        json!({"transition": "respond", "on": "2024-04-05", "outcome": "upheld"}),
    );
    assert_eq!(
        case.stages()[0]
            .within_timescale(rules.procedure, &calendar)
            .unwrap(),
        Some(false)
    );
}

#[test]
fn the_lgsco_code_counts_from_the_acknowledgement_despite_a_late_opening() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "lgsco-code", "2024-03-01");
    // Received 8 January 2024, acknowledged 9 January, opened 19 February: due 23 January
    // (10 working days from the acknowledgement), not 4 March.
    let mut case = received("lgsco-code");
    ok(
        &mut case,
        &rules,
        json!({"transition": "acknowledge", "on": "2024-01-09"}),
    );
    ok(
        &mut case,
        &rules,
        json!({"transition": "open_stage1", "on": "2024-02-19", "reason": "waited for the file"}),
    );
    assert_eq!(
        case.due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-01-23"))
    );
    // Acknowledged late (17 January, after the 15 January limit), opened 19 February: the
    // clock runs from the limit, so due 29 January.
    let mut late = received("lgsco-code");
    ok(
        &mut late,
        &rules,
        json!({"transition": "acknowledge", "on": "2024-01-17"}),
    );
    ok(
        &mut late,
        &rules,
        json!({"transition": "open_stage1", "on": "2024-02-19", "reason": "waited for the file"}),
    );
    assert_eq!(
        late.due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-01-29"))
    );
}

#[test]
fn a_stage_one_never_opened_is_due_from_receipt_and_escalates_once_overdue() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-01-31");
    // Received and acknowledged 8 January 2024, Stage 1 never opened: due 22 January.
    let mut case = at("acknowledged");
    assert_eq!(
        case.due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-01-22"))
    );
    // A request on the 22nd is too soon; on the 23rd Stage 1 is overdue.
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-22"}),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CaseError::Invalid { field, .. } if field == "requested_on"),
        "{err}"
    );
    assert_eq!(case, at("acknowledged"), "a refused step changes nothing");
    ok(
        &mut case,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-23"}),
    );
    assert_eq!(case.status(), Status::InStage);
    let stage1 = &case.stages()[0];
    assert_eq!(
        (stage1.number, stage1.started_on, stage1.opened_on),
        (1, d("2024-01-08"), None)
    );
    assert_eq!(stage1.responded_on, Some(d("2024-01-23")));
    assert_eq!(stage1.outcome, Some(Outcome::NotRespondedInTime));
    assert_eq!(
        (case.stages()[1].number, case.stages()[1].started_on),
        (2, d("2024-01-23"))
    );
    // Stage 2: 25 working days from the request, 27 February.
    assert_eq!(
        case.due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-02-27"))
    );

    // Never acknowledged either: the same deadline; escalate is refused on 22 January and
    // allowed from the 23rd.
    let received_only = at("received");
    assert_eq!(
        received_only
            .due_on(rules.procedure, &calendar, rules.today)
            .unwrap(),
        Some(d("2024-01-22"))
    );
    let on_the_day = with(&procedures, &calendar, "statutory", "2024-01-22");
    assert!(matches!(
        received_only.guard(StepName::Escalate, &on_the_day),
        Err(CaseError::NotAllowed(_))
    ));
    let mut overdue = received_only.clone();
    ok(
        &mut overdue,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-23"}),
    );
    assert_eq!(overdue.stages().len(), 2);

    // The admission checks still apply: no team, no Stage 2.
    let mut no_team = at("acknowledged");
    no_team = changed(no_team, |f| f.team = None);
    let err = step(
        &mut no_team,
        &rules,
        json!({"transition": "escalate", "requested_on": "2024-01-23"}),
    )
    .unwrap_err();
    assert!(
        matches!(&err, CaseError::Invalid { field, .. } if field == "team"),
        "{err}"
    );
}

fn invalid_field(err: &CaseError) -> &str {
    match err {
        CaseError::Invalid { field, .. } => field,
        other => panic!("expected a 422 naming a field, got {other}"),
    }
}

/// Regs. 14(2)-(3), 17(2)-(3): a statutory extension records the day the complainant was told
/// in writing, and why: not before the day agreed, not after the deadline in force.
#[test]
fn a_statutory_extension_needs_notice_in_time() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-01-15");
    // Received Monday 8 January 2024: Stage 1 due Monday 22 January.
    let mut case = at("stage1");
    let extend = |notified: Option<&str>| {
        let mut t = json!({"transition": "extend", "to_working_days": 20, "reason": "complex", "on": "2024-01-15"});
        if let Some(n) = notified {
            t["notified_on"] = json!(n);
        }
        t
    };
    for (notified, why) in [
        (
            None,
            "a statutory extension needs the day the complainant was told",
        ),
        (Some("2024-01-12"), "before the day it was agreed"),
        (
            Some("2024-01-23"),
            "after the deadline in force (2024-01-22)",
        ),
    ] {
        let err = step(&mut case, &rules, extend(notified)).unwrap_err();
        assert_eq!(invalid_field(&err), "notified_on", "{err}");
        assert!(err.to_string().contains(why), "{err}");
        assert_eq!(case.stages()[0].extended_to, None, "nothing changed");
    }
    // Told on the 22nd, the last day: extended to 20 working days, due Monday 5 February.
    ok(&mut case, &rules, extend(Some("2024-01-22")));
    let stage = &case.stages()[0];
    assert_eq!(stage.extension_notified_on, Some(d("2024-01-22")));
    assert_eq!(stage.extension_recorded_on, None);
    let due = stage
        .deadline(rules.procedure, &calendar, rules.today)
        .unwrap();
    assert_eq!(due.unwrap().due_on, d("2024-02-05"));
}

/// An extension dated before the day it is recorded is kept with that day, while the response
/// is not yet late on it.
#[test]
fn a_backdated_extension_is_kept_as_recorded_late() {
    let procedures = presets();
    let calendar = cal();
    // Agreed Monday 15 January, told the 16th, recorded Friday 19th (due the 22nd).
    let rules = with(&procedures, &calendar, "statutory", "2024-01-19");
    let mut case = at("stage1");
    ok(
        &mut case,
        &rules,
        json!({"transition": "extend", "to_working_days": 20, "reason": "complex", "on": "2024-01-15", "notified_on": "2024-01-16"}),
    );
    let stage = &case.stages()[0];
    assert_eq!(stage.extension_agreed_on, Some(d("2024-01-15")));
    assert_eq!(stage.extension_recorded_on, Some(d("2024-01-19")));
    let due = stage
        .deadline(rules.procedure, &calendar, rules.today)
        .unwrap();
    assert_eq!(due.unwrap().due_on, d("2024-02-05"));
}

/// A case on `procedure` acknowledged on Monday 8 January 2024, with Stage 1 open.
fn stage1_on(procedure: &str) -> Case {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, procedure, "2024-01-08");
    let mut case = received(procedure);
    ok(
        &mut case,
        &rules,
        json!({"transition": "acknowledge", "on": "2024-01-08"}),
    );
    ok(&mut case, &rules, json!({"transition": "open_stage1"}));
    case
}

/// A clock stop dated before the day it is recorded is kept with that day.
#[test]
fn a_backdated_clock_stop_is_kept_as_recorded_late() {
    let procedures = presets();
    let calendar = cal();
    // Corporate Stage 1 from Monday 8 January 2024: due Monday 22 January.
    let rules = with(&procedures, &calendar, "corporate", "2024-01-17");
    let mut case = stage1_on("corporate");
    ok(
        &mut case,
        &rules,
        json!({"transition": "stop_clock", "on": "2024-01-15", "reason": "waiting for records"}),
    );
    let stop = &case.stages()[0].clock_stops[0];
    assert_eq!(stop.recorded_on, Some(d("2024-01-17")));
    // Recorded on its own day, it is not late.
    let rules = with(&procedures, &calendar, "corporate", "2024-01-15");
    let mut same_day = stage1_on("corporate");
    ok(
        &mut same_day,
        &rules,
        json!({"transition": "stop_clock", "on": "2024-01-15", "reason": "waiting for records"}),
    );
    assert_eq!(same_day.stages()[0].clock_stops[0].recorded_on, None);
}

/// An `lgsco-code` case acknowledged Monday 8 January 2024, its clock stopped on Wednesday 10th.
fn lgsco_stopped_on_the_10th() -> Case {
    let procedures = presets();
    let calendar = cal();
    let mut case = stage1_on("lgsco-code");
    ok(
        &mut case,
        &with(&procedures, &calendar, "lgsco-code", "2024-01-10"),
        json!({"transition": "stop_clock", "on": "2024-01-10", "reason": "waiting for the complainant"}),
    );
    case
}

/// LGSCO Complaint Handling Code: a Stage 1 response may be extended by no more than 10
/// working days, and clock stops count against the same 10.
#[test]
fn lgsco_stops_and_extensions_share_ten_extra_days() {
    let procedures = presets();
    let calendar = cal();
    let on = |day: &str| with(&procedures, &calendar, "lgsco-code", day);
    // Acknowledged Monday 8 January 2024: Stage 1 due Monday 22 January.
    let mut case = lgsco_stopped_on_the_10th();
    // Stopped Wednesday 10 to Wednesday 17 January: 5 working days.
    ok(
        &mut case,
        &on("2024-01-17"),
        json!({"transition": "restart_clock", "on": "2024-01-17"}),
    );
    let err = step(
        &mut case,
        &on("2024-01-18"),
        json!({"transition": "extend", "to_working_days": 20, "reason": "complex", "on": "2024-01-18"}),
    )
    .unwrap_err();
    assert_eq!(invalid_field(&err), "to_working_days", "{err}");
    assert!(err.to_string().contains("15 working days at most"), "{err}");
    assert_eq!(case.stages()[0].extended_to, None, "nothing changed");
    ok(
        &mut case,
        &on("2024-01-18"),
        json!({"transition": "extend", "to_working_days": 15, "reason": "complex", "on": "2024-01-18"}),
    );
    // 5 stopped and 5 extended: the 10 are used, so no further stop.
    let err = step(
        &mut case,
        &on("2024-01-19"),
        json!({"transition": "stop_clock", "on": "2024-01-19", "reason": "waiting again"}),
    )
    .unwrap_err();
    assert_eq!(invalid_field(&err), "on", "{err}");
    assert_eq!(case.stages()[0].clock_stops.len(), 1, "nothing changed");
    // Due 15 working days from the 8th plus 5 stopped: Monday 5 February.
    let due = &case.stages()[0]
        .deadline(on("2024-01-19").procedure, &calendar, d("2024-01-19"))
        .unwrap();
    assert_eq!(due.unwrap().due_on, d("2024-02-05"));
}

/// LGSCO Code: one stop alone may not pass the 10 extra working days; the refusal names the
/// latest restart.
#[test]
fn lgsco_a_stop_past_ten_extra_days_cannot_restart_late() {
    let procedures = presets();
    let calendar = cal();
    let on = |day: &str| with(&procedures, &calendar, "lgsco-code", day);
    let mut case = lgsco_stopped_on_the_10th();
    // Wednesday 10 to Friday 26 January is 12 working days.
    let err = step(
        &mut case,
        &on("2024-01-26"),
        json!({"transition": "restart_clock", "on": "2024-01-26"}),
    )
    .unwrap_err();
    assert_eq!(invalid_field(&err), "on", "{err}");
    assert!(
        err.to_string()
            .contains("restart on 2024-01-24 at the latest"),
        "{err}"
    );
    assert!(case.stages()[0].clock_stops[0].restarted_on.is_none());
    ok(
        &mut case,
        &on("2024-01-26"),
        json!({"transition": "restart_clock", "on": "2024-01-24"}),
    );
    // Due 22 January plus 10 stopped: Monday 5 February.
    let due = &case.stages()[0]
        .deadline(on("2024-01-26").procedure, &calendar, d("2024-01-26"))
        .unwrap();
    assert_eq!(due.unwrap().due_on, d("2024-02-05"));
}

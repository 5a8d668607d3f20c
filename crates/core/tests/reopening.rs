//! Reopening, rejecting and withdrawing add to a case's history and never erase it: an
//! answered stage keeps its response and its judgement, a rejection closes the open stage with
//! its own dated outcome, and a rejected or withdrawn case can be reopened.

use redress_core::statistics::{overdue_on, response_in_time, stage_figures};
use redress_core::{OneCalendarBook, Outcome, Status};
use serde_json::json;

mod common;
use common::*;

#[test]
fn reopening_an_answered_stage_keeps_the_response_and_runs_a_new_round() {
    let procedures = presets();
    let calendar = cal();
    let statutory = procedures.iter().find(|p| p.name == "statutory").unwrap();
    // Received 8 January 2024, answered on the 9th, reopened on 20 February.
    let mut case = at("responded1");
    let later = with(&procedures, &calendar, "statutory", "2024-02-20");
    ok(
        &mut case,
        &later,
        json!({"transition": "reopen", "reason": "the response missed a point"}),
    );
    assert_eq!(case.status(), Status::InStage);
    let stage = &case.stages()[0];
    assert_eq!(stage.earlier_rounds.len(), 1);
    let first = stage.first_round();
    assert_eq!(first.responded_on, Some(d("2024-01-09")));
    assert_eq!(first.outcome, Some(Outcome::NotUpheld));
    assert_eq!(first.started_on, d("2024-01-08"));
    // The new round runs 10 working days from the reopening (20 Feb + 10 = 5 March), not
    // from receipt, which would make it weeks overdue the day it reopened.
    let due = case.due_on(statutory, &calendar, d("2024-02-20")).unwrap();
    assert_eq!(due, Some(d("2024-03-05")));
    // The answered round is still in time, and nothing about it is overdue as of any day.
    assert_eq!(
        response_in_time(stage, Some(statutory), &calendar),
        Ok(Some(true))
    );
    for as_of in ["2024-01-31", "2024-02-21", "2024-03-29"] {
        assert_eq!(
            overdue_on(&case, stage, Some(statutory), &calendar, d(as_of)),
            Ok(false),
            "{as_of}"
        );
    }
    let book = OneCalendarBook {
        definitions: &procedures,
        calendar: &calendar,
    };
    let figures = stage_figures(&case, &book, d("2024-03-29"));
    assert_eq!(figures[1].responded_on, Some(d("2024-01-09")));
    assert_eq!(figures[1].within_timescale, Some(true));
    assert_eq!(figures[1].working_days_to_respond, Some(1));

    // Answered again: the first answer is still the one on record for the figures; the
    // second is the stage's current answer.
    ok(
        &mut case,
        &later,
        json!({"transition": "respond", "on": "2024-02-27", "outcome": "partially_upheld"}),
    );
    let stage = &case.stages()[0];
    assert_eq!(stage.outcome, Some(Outcome::PartiallyUpheld));
    assert_eq!(stage.first_round().outcome, Some(Outcome::NotUpheld));
    // Reopened twice: both earlier rounds are kept, oldest first.
    ok(
        &mut case,
        &with(&procedures, &calendar, "statutory", "2024-03-01"),
        json!({"transition": "reopen", "reason": "again"}),
    );
    let rounds: Vec<_> = case.stages()[0]
        .earlier_rounds
        .iter()
        .map(|r| r.responded_on)
        .collect();
    assert_eq!(rounds, [Some(d("2024-01-09")), Some(d("2024-02-27"))]);
}

#[test]
fn a_rejection_closes_the_open_stage_with_its_own_date_and_outcome() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-03-01");
    let mut case = at("stage1");
    ok(
        &mut case,
        &rules,
        json!({"transition": "reject", "on": "2024-02-01", "reason": "court proceedings"}),
    );
    assert_eq!(case.status(), Status::Rejected);
    assert_eq!(case.stages()[0].responded_on, Some(d("2024-02-01")));
    assert_eq!(case.stages()[0].outcome, Some(Outcome::Rejected));
    // A rejection dated before the stage began is refused, and changes nothing.
    let mut case = at("stage1");
    let before = case.clone();
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "reject", "on": "2024-01-07", "reason": "x"}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("on:"), "{err}");
    assert_eq!(case, before);
    // The rejected outcome is the reject step's alone: a response cannot claim it.
    let mut case = at("stage1");
    let err = step(
        &mut case,
        &rules,
        json!({"transition": "respond", "on": "2024-01-10", "outcome": "rejected"}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("outcome:"), "{err}");
}

#[test]
fn a_stage_open_and_overdue_at_the_year_end_stays_so_after_a_later_rejection() {
    let procedures = presets();
    let calendar = cal();
    let statutory = procedures.iter().find(|p| p.name == "statutory").unwrap();
    let mut case = at("stage1");
    ok(
        &mut case,
        &with(&procedures, &calendar, "statutory", "2024-04-10"),
        json!({"transition": "reject", "on": "2024-04-02", "reason": "court proceedings"}),
    );
    let stage = &case.stages()[0];
    // Due 22 January 2024; still open on 31 March, so overdue then; not after the rejection.
    assert_eq!(
        overdue_on(&case, stage, Some(statutory), &calendar, d("2024-03-31")),
        Ok(true)
    );
    assert_eq!(
        overdue_on(&case, stage, Some(statutory), &calendar, d("2024-04-05")),
        Ok(false)
    );
}

#[test]
fn a_rejected_or_withdrawn_case_reopens_and_keeps_how_it_had_ended() {
    let procedures = presets();
    let calendar = cal();
    let later = with(&procedures, &calendar, "statutory", "2024-06-03");
    // Rejected at receipt, then the ombudsman finds the rejection premature.
    let mut case = at("rejected");
    ok(
        &mut case,
        &later,
        json!({"transition": "reopen", "reason": "LGSCO: premature, to be considered"}),
    );
    assert_eq!(case.status(), Status::Received);
    assert_eq!(case.rejected_on(), None);
    let record = &case.reopenings()[0];
    assert_eq!(record.was, Status::Rejected);
    assert_eq!(record.rejected_on, Some(d("2024-01-08")));
    assert_eq!(record.rejected_reason.as_deref(), Some("court proceedings"));
    assert_eq!(record.reopened_on, d("2024-06-03"));

    // Rejected during Stage 1: the stage runs again as a new round from the reopening.
    let mut case = at("stage1");
    ok(
        &mut case,
        &with(&procedures, &calendar, "statutory", "2024-01-12"),
        json!({"transition": "reject", "on": "2024-01-12", "reason": "court proceedings"}),
    );
    ok(
        &mut case,
        &later,
        json!({"transition": "reopen", "reason": "proceedings ended"}),
    );
    assert_eq!(case.status(), Status::InStage);
    assert_eq!(case.stages()[0].started_on, d("2024-06-03"));
    assert_eq!(
        case.stages()[0].first_round().outcome,
        Some(Outcome::Rejected)
    );

    // Withdrawn while Stage 1 ran: the same.
    let mut case = at("stage1");
    ok(
        &mut case,
        &with(&procedures, &calendar, "statutory", "2024-01-12"),
        json!({"transition": "withdraw", "on": "2024-01-11"}),
    );
    ok(
        &mut case,
        &later,
        json!({"transition": "reopen", "reason": "wants it looked at"}),
    );
    assert_eq!(case.status(), Status::InStage);
    assert_eq!(case.withdrawn_on(), None);
    assert_eq!(case.reopenings()[0].withdrawn_on, Some(d("2024-01-11")));
    assert_eq!(
        case.stages()[0].first_round().outcome,
        Some(Outcome::Withdrawn)
    );
    // A reopening needs a reason.
    let mut case = at("withdrawn");
    let err = step(
        &mut case,
        &later,
        json!({"transition": "reopen", "reason": " "}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("reason:"), "{err}");
}

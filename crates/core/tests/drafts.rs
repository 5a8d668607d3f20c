//! A case drafted from an email is not yet a complaint: it takes no procedure's step until an
//! officer accepts it, its clock runs from the day the email arrived, no report counts it
//! until it is accepted, and a judgement as of a day before the acceptance sees a draft.

use redress_core::statistics::stage_figures;
use redress_core::{Case, OneCalendarBook, PersonalDetails, Status, StepName};
use serde_json::json;

mod common;
use common::*;

/// A draft of an email that reached the council on Monday 8 January 2024.
fn drafted() -> Case {
    Case::drafted(
        "corporate".into(),
        d("2024-01-08"),
        PersonalDetails {
            contact_email: "ann@example.org".into(),
            ..PersonalDetails::default()
        },
    )
}

#[test]
fn a_draft_allows_only_its_own_two_steps() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "corporate", "2024-01-10");
    let case = drafted();
    assert_eq!(case.status(), Status::Draft);
    let allowed: Vec<StepName> = case
        .available_transitions(&rules)
        .into_iter()
        .filter(|s| s.allowed)
        .map(|s| s.name)
        .collect();
    assert_eq!(allowed, [StepName::AcceptDraft, StepName::NotAComplaint]);
    let mut refused = case.clone();
    let err = step(
        &mut refused,
        &rules,
        json!({"transition": "withdraw", "on": "2024-01-10"}),
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("accept it as a complaint first"),
        "{err}"
    );
    assert_eq!(refused, case, "a refused step changes nothing");
}

#[test]
fn accepted_a_week_later_its_clock_still_runs_from_the_email() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "corporate", "2024-01-15");
    let mut case = drafted();
    ok(
        &mut case,
        &rules,
        json!({"transition": "accept_draft", "on": "2024-01-15", "procedure": "statutory",
               "complainant_role": "parent", "team": "Team"}),
    );
    assert_eq!(case.status(), Status::Received);
    assert_eq!(case.procedure(), "statutory");
    assert_eq!(case.received_on(), d("2024-01-08"));
    // Stage 1 opens from receipt: 10 working days from 8 January is 22 January.
    let statutory = procedures.iter().find(|p| p.name == "statutory").unwrap();
    let later = with(&procedures, &calendar, "statutory", "2024-01-15");
    ok(
        &mut case,
        &later,
        json!({"transition": "acknowledge", "on": "2024-01-15"}),
    );
    ok(&mut case, &later, json!({"transition": "open_stage1"}));
    assert_eq!(
        case.due_on(statutory, &calendar, d("2024-01-15")).unwrap(),
        Some(d("2024-01-22"))
    );
    // As known before it was accepted, it was a draft, and no report counted it then.
    let before = case.as_known_on(d("2024-01-12")).unwrap();
    assert_eq!(before.status(), Status::Draft);
    let book = OneCalendarBook {
        definitions: &procedures,
        calendar: &calendar,
    };
    assert!(stage_figures(&before, &book, d("2024-01-12")).is_empty());
    assert!(!stage_figures(&case, &book, d("2024-01-15")).is_empty());
    // The procedure must be one of the organisation's.
    let mut other = drafted();
    let err = step(
        &mut other,
        &rules,
        json!({"transition": "accept_draft", "on": "2024-01-15", "procedure": "no-such",
               "complainant_role": "parent"}),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("procedure:"), "{err}");
}

#[test]
fn not_a_complaint_is_final_dated_and_counted_nowhere() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "corporate", "2024-01-09");
    let mut case = drafted();
    ok(
        &mut case,
        &rules,
        json!({"transition": "not_a_complaint", "on": "2024-01-09", "reason": "a compliment"}),
    );
    assert_eq!(case.status(), Status::NotAComplaint);
    assert!(case.status().is_final());
    assert_eq!(case.final_on(), Some(d("2024-01-09")));
    assert_eq!(
        redress_core::retention::concluded_on(&case),
        Some(d("2024-01-09"))
    );
    // The day before, it was still a draft waiting for an officer.
    assert_eq!(
        case.as_known_on(d("2024-01-08")).unwrap().status(),
        Status::Draft
    );
    let book = OneCalendarBook {
        definitions: &procedures,
        calendar: &calendar,
    };
    assert!(stage_figures(&case, &book, d("2024-01-09")).is_empty());
    // A history rebuilt from its facts comes to the same status.
    let rebuilt = Case::from_history(case.clone().into_facts());
    assert_eq!(rebuilt.status(), Status::NotAComplaint);
}

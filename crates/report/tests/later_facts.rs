//! A report judged as of its period's end is a function of the facts dated by then: for
//! random case histories, adding the steps dated after the end (responses, rejections,
//! withdrawals, reopenings, changes of procedure, ombudsman decisions) changes nothing in it.

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use redress_calendar::{Calendar, Division};
use redress_core::{Case, CaseFacts, Channel, ComplainantRole, Procedure, Rules, Transition};
use redress_report::input::Organisation;
use redress_report::{counts_from_cases, Period, Source};
use serde_json::json;

const END: &str = "2025-03-31";

fn day(text: &str) -> NaiveDate {
    text.parse().expect("an ISO date")
}

/// One step of a history: which transition, how many days after the one before, and a
/// choice among its values.
#[derive(Debug, Clone)]
struct Step {
    kind: u8,
    gap: u8,
    choice: u8,
}

fn transition(step: &Step, on: NaiveDate) -> serde_json::Value {
    let outcome =
        ["upheld", "partially_upheld", "not_upheld", "withdrawn"][step.choice as usize % 4];
    match step.kind % 12 {
        0 => json!({"transition": "acknowledge", "on": on}),
        1 => {
            json!({"transition": "open_stage1", "on": on, "reason": "opened when the team had it"})
        }
        2 | 3 => json!({"transition": "respond", "on": on, "outcome": outcome}),
        4 => json!({"transition": "escalate", "requested_on": on, "late_reason": "asked late"}),
        5 => {
            json!({"transition": "extend", "to_working_days": 15 + step.choice % 10, "reason": "complex", "on": on, "notified_on": on})
        }
        6 => json!({"transition": "reject", "on": on, "reason": "court proceedings"}),
        7 => json!({"transition": "withdraw", "on": on}),
        8 => json!({"transition": "close", "on": on}),
        9 => json!({"transition": "reopen", "reason": "missed a point"}),
        10 => {
            json!({"transition": "change_procedure", "procedure": if step.choice.is_multiple_of(2) { "corporate" } else { "statutory" }, "reason": "moved"})
        }
        _ => json!({"transition": "stop_clock", "on": on, "reason": "waiting for the complainant"}),
    }
}

/// The case after the steps dated on or before `until`, each taken on its own day (refused
/// steps are skipped, as a person would be refused and move on).
fn history(
    received_on: NaiveDate,
    steps: &[Step],
    until: NaiveDate,
    procedures: &[Procedure],
    calendar: &Calendar,
) -> Case {
    let mut facts = CaseFacts::received(
        "P-1".into(),
        "statutory".into(),
        received_on,
        Channel::Email,
        ComplainantRole::Parent,
    );
    facts.team = Some("Team".into());
    let mut case = Case::from_history(facts);
    let mut on = received_on;
    for step in steps {
        on += Duration::days(i64::from(step.gap));
        if on > until {
            break;
        }
        let rules = Rules {
            procedure: procedures
                .iter()
                .find(|p| p.name == case.procedure())
                .expect("a preset"),
            calendar,
            procedures,
            today: on,
        };
        let transition: Transition =
            serde_json::from_value(transition(step, on)).expect("a well-formed step");
        let _ = case.apply(&transition, &rules);
    }
    case
}

fn counts(
    cases: &[Case],
    procedures: &[Procedure],
    calendar: &Calendar,
) -> redress_core::report_counts::ReportCounts {
    let end = day(END);
    let source = Source {
        organisation: Organisation {
            slug: "testshire".into(),
            name: "Testshire".into(),
            procedures: procedures.to_vec(),
            procedure_history: Vec::new(),
            calendar: calendar.clone(),
            bank_holiday_calendar: calendar.clone(),
        },
        cases: cases.iter().filter_map(|c| c.as_known_on(end)).collect(),
        compliments: Vec::new(),
        narrative: Default::default(),
    };
    counts_from_cases(&source, &Period::financial_year(2024), None)
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(
        (any::<u8>(), 0u8..40, any::<u8>()).prop_map(|(kind, gap, choice)| Step {
            kind,
            gap,
            choice,
        }),
        0..14,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn later_facts_never_change_a_report_as_of_its_end(
        histories in prop::collection::vec((0i64..420, steps()), 1..6),
    ) {
        let calendar = Calendar::built_in(Division::EnglandAndWales);
        let procedures = vec![
            Procedure::preset("statutory").expect("a preset"),
            Procedure::preset("corporate").expect("a preset"),
        ];
        let first = day("2024-03-01");
        let end = day(END);
        let far = day("2026-03-31");
        let known: Vec<Case> = histories
            .iter()
            .map(|(offset, s)| history(first + Duration::days(*offset), s, end, &procedures, &calendar))
            .collect();
        let later: Vec<Case> = histories
            .iter()
            .map(|(offset, s)| history(first + Duration::days(*offset), s, far, &procedures, &calendar))
            .collect();
        prop_assert_eq!(
            counts(&known, &procedures, &calendar),
            counts(&later, &procedures, &calendar)
        );
    }
}

/// The property is not empty: the same later facts do change the figures when the report
/// is not judged as of its end (a response in April counts with its stage's year).
#[test]
fn a_later_response_shows_only_when_judged_later() {
    let calendar = Calendar::built_in(Division::EnglandAndWales);
    let procedures = vec![Procedure::preset("statutory").expect("a preset")];
    let steps = [
        Step {
            kind: 0,
            gap: 0,
            choice: 0,
        },
        Step {
            kind: 1,
            gap: 0,
            choice: 0,
        },
        Step {
            kind: 2,
            gap: 20,
            choice: 0,
        },
    ];
    let received = day("2025-03-20");
    let known = history(received, &steps, day(END), &procedures, &calendar);
    let later = history(received, &steps, day("2025-06-30"), &procedures, &calendar);
    assert_ne!(known, later, "the response is dated after the year's end");
    assert_eq!(
        counts(&[known], &procedures, &calendar),
        counts(std::slice::from_ref(&later), &procedures, &calendar)
    );
    let source = Source {
        organisation: Organisation {
            slug: "testshire".into(),
            name: "Testshire".into(),
            procedures: procedures.clone(),
            procedure_history: Vec::new(),
            calendar: calendar.clone(),
            bank_holiday_calendar: calendar.clone(),
        },
        cases: vec![later],
        compliments: Vec::new(),
        narrative: Default::default(),
    };
    let unfiltered = counts_from_cases(&source, &Period::financial_year(2024), None);
    assert_eq!(unfiltered.stages[0].responded, 1);
}

//! Each stage is judged by the procedure and version it ran under: a change of procedure, a
//! preset's new version or a procedure the organisation stops running never re-judges a stage
//! already answered. An open stage follows the case's procedure as it stands.

use redress_core::statistics::stage_figures;
use redress_core::{judged_under, OneCalendarBook, Procedure, RanUnder, StageRule};
use serde_json::json;

mod common;
use common::*;

/// Corporate Stage 1 answered on the 20th working day (extension allowed to 20), Stage 2
/// answered on its 20th working day: late under corporate (10 at most), in time under the
/// statutory procedure (25). Then the case moves to the statutory procedure.
#[test]
fn an_answered_stage_keeps_its_judgement_after_a_change_of_procedure() {
    let procedures = presets();
    let calendar = cal();
    let corporate = with(&procedures, &calendar, "corporate", "2024-04-30");
    let mut case = received("corporate");
    for step in [
        json!({"transition": "acknowledge", "on": "2024-01-08"}),
        json!({"transition": "open_stage1"}),
        json!({"transition": "respond", "on": "2024-01-15", "outcome": "not_upheld"}),
        json!({"transition": "escalate", "requested_on": "2024-01-16"}),
        json!({"transition": "respond", "on": "2024-02-13", "outcome": "not_upheld"}),
    ] {
        ok(&mut case, &corporate, step);
    }
    let book = OneCalendarBook {
        definitions: &procedures,
        calendar: &calendar,
    };
    let before = stage_figures(&case, &book, d("2024-04-30"));
    assert_eq!(
        before[2].within_timescale,
        Some(false),
        "late under corporate"
    );
    ok(
        &mut case,
        &corporate,
        json!({"transition": "change_procedure", "procedure": "statutory", "reason": "about a looked-after child"}),
    );
    assert_eq!(case.procedure(), "statutory");
    assert_eq!(
        case.stages()[1].ran_under,
        Some(RanUnder {
            procedure: "corporate".into(),
            version: 1
        })
    );
    let after = stage_figures(&case, &book, d("2024-04-30"));
    assert_eq!(after[2].within_timescale, Some(false), "still late");
    assert_eq!(after[2].procedure_kind, before[2].procedure_kind);
}

#[test]
fn an_open_stage_runs_under_the_procedure_it_moves_to() {
    let procedures = presets();
    let calendar = cal();
    let corporate = with(&procedures, &calendar, "corporate", "2024-01-09");
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
        json!({"transition": "change_procedure", "procedure": "statutory", "reason": "about a looked-after child"}),
    );
    let book = OneCalendarBook {
        definitions: &procedures,
        calendar: &calendar,
    };
    let (procedure, _) = judged_under(&book, &case, &case.stages()[0]);
    assert_eq!(procedure.map(|p| p.name.as_str()), Some("statutory"));
    assert_eq!(
        case.stages()[0].ran_under.as_ref().unwrap().procedure,
        "statutory"
    );
}

/// A preset's new version (here Stage 1 cut to 5 working days) judges new and open stages;
/// a stage answered under version 1 is judged by version 1. Dropping the procedure from the
/// book's current list does not matter while its definitions are kept.
#[test]
fn a_new_version_never_re_judges_a_stage_answered_under_the_old_one() {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", "2024-01-31");
    let mut answered = received("statutory");
    for step in [
        json!({"transition": "acknowledge", "on": "2024-01-08"}),
        json!({"transition": "open_stage1"}),
        json!({"transition": "respond", "on": "2024-01-19", "outcome": "upheld"}),
    ] {
        ok(&mut answered, &rules, step);
    }
    let mut open = received("statutory");
    ok(
        &mut open,
        &rules,
        json!({"transition": "acknowledge", "on": "2024-01-08"}),
    );
    ok(&mut open, &rules, json!({"transition": "open_stage1"}));

    let mut v2 = Procedure::preset("statutory").unwrap();
    v2.version = 2;
    v2.stages[0] = StageRule {
        respond_within: 5,
        ..v2.stages[0].clone()
    };
    let mut definitions = procedures.clone();
    definitions.push(v2);
    let book = OneCalendarBook {
        definitions: &definitions,
        calendar: &calendar,
    };
    // Answered on the 9th working day: in time under version 1 (10), late under 2 (5).
    let figures = stage_figures(&answered, &book, d("2024-01-31"));
    assert_eq!(figures[1].within_timescale, Some(true));
    // The open stage is due on 15 January under version 2.
    let figures = stage_figures(&open, &book, d("2024-01-31"));
    assert_eq!(figures[1].due_on, Some(d("2024-01-15")));
    // The organisation no longer runs the statutory procedure: its kept definitions still judge.
    let kept: Vec<Procedure> = definitions
        .iter()
        .filter(|p| p.name == "statutory")
        .cloned()
        .collect();
    let book = OneCalendarBook {
        definitions: &kept,
        calendar: &calendar,
    };
    let figures = stage_figures(&answered, &book, d("2024-01-31"));
    assert_eq!(figures[1].within_timescale, Some(true));
}

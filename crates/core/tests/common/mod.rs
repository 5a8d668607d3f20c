//! What the lifecycle tests share: dates, the presets on the England calendar, and a
//! statutory case brought to a status through its own steps.
#![allow(dead_code)]

use chrono::NaiveDate;
use redress_calendar::{Calendar, Division};
use redress_core::{
    Case, CaseError, CaseFacts, Channel, ComplainantRole, Procedure, Rules, Transition,
};
use serde_json::json;

pub fn d(text: &str) -> NaiveDate {
    redress_calendar::parse_iso_date(text).unwrap()
}

pub fn cal() -> Calendar {
    Calendar::built_in(Division::EnglandAndWales)
}

pub fn presets() -> Vec<Procedure> {
    Procedure::presets()
}

pub const TODAY: &str = "2024-01-09";

pub fn with<'a>(
    procedures: &'a [Procedure],
    calendar: &'a Calendar,
    name: &str,
    today: &str,
) -> Rules<'a> {
    Rules {
        procedure: procedures.iter().find(|p| p.name == name).unwrap(),
        calendar,
        procedures,
        today: d(today),
    }
}

pub fn step(
    case: &mut Case,
    rules: &Rules,
    transition: serde_json::Value,
) -> Result<(), CaseError> {
    let transition: Transition = serde_json::from_value(transition).unwrap();
    case.apply(&transition, rules)
}

pub fn ok(case: &mut Case, rules: &Rules, transition: serde_json::Value) {
    step(case, rules, transition.clone()).unwrap_or_else(|e| panic!("{transition}: {e}"));
}

pub fn received(procedure: &str) -> Case {
    let case = Case::received(
        "T-1".into(),
        procedure.into(),
        d("2024-01-08"),
        Channel::Email,
        ComplainantRole::Parent,
    );
    changed(case, |f| f.team = Some("Team".into()))
}

/// The case with one of its facts changed, as an imported history would hold it.
pub fn changed(case: Case, change: impl FnOnce(&mut CaseFacts)) -> Case {
    let mut facts = case.into_facts();
    change(&mut facts);
    Case::from_history(facts)
}

/// A statutory case brought to `status` through its own steps.
pub fn at(status: &str) -> Case {
    let procedures = presets();
    let calendar = cal();
    let rules = with(&procedures, &calendar, "statutory", TODAY);
    let mut case = received("statutory");
    let steps: Vec<serde_json::Value> = match status {
        "received" => vec![],
        "acknowledged" => vec![json!({"transition": "acknowledge", "on": "2024-01-08"})],
        "resolved" => vec![
            json!({"transition": "acknowledge", "on": "2024-01-08"}),
            json!({"transition": "resolve_at_initial_contact", "on": "2024-01-09"}),
        ],
        "rejected" => {
            vec![json!({"transition": "reject", "on": "2024-01-08", "reason": "court proceedings"})]
        }
        "stage1" => vec![
            json!({"transition": "acknowledge", "on": "2024-01-08"}),
            json!({"transition": "open_stage1"}),
        ],
        "responded1" | "closed" => vec![
            json!({"transition": "acknowledge", "on": "2024-01-08"}),
            json!({"transition": "open_stage1"}),
            json!({"transition": "respond", "on": "2024-01-09", "outcome": "not_upheld"}),
        ],
        "withdrawn" => vec![json!({"transition": "withdraw", "on": "2024-01-09"})],
        _ => unreachable!(),
    };
    for s in steps {
        ok(&mut case, &rules, s);
    }
    if status == "closed" {
        ok(
            &mut case,
            &rules,
            json!({"transition": "close", "on": "2024-01-09"}),
        );
    }
    case
}

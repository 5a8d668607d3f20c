//! Every step an officer can take on a case, as a form: which steps the case's state offers
//! and the fields each needs (`posted_step` turns a posted form back into a `Transition`). The
//! lifecycle itself (what is allowed when) stays in `redress_core`.

use super::case_list::choices;
use super::Choice;
use redress_core::{ActionKind, Case, OmbudsmanDecision, RemedyKind, Rules, Status, StepName};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Kind {
    Date,
    Text,
    LongText,
    Number,
    /// Comma-separated, posted as a list.
    List,
    Select,
    /// A yes or no choice, posted as true or false.
    Bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct FieldSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub kind: &'static str,
    pub hint: String,
    pub options: Vec<Choice>,
    pub value: String,
    #[serde(skip)]
    pub(crate) parse: Kind,
    #[serde(skip)]
    pub(crate) required: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionSpec {
    pub name: &'static str,
    pub label: &'static str,
    /// A label that depends on the case (the overdue stage, the ombudsman's referral).
    pub label_text: Option<String>,
    pub button: &'static str,
    pub fields: Vec<FieldSpec>,
    pub open: bool,
}

fn field(name: &'static str, label: &'static str, parse: Kind) -> FieldSpec {
    FieldSpec {
        name,
        label,
        kind: match parse {
            Kind::Date => "date",
            Kind::LongText => "textarea",
            Kind::Select | Kind::Bool => "select",
            _ => "text",
        },
        hint: String::new(),
        options: Vec::new(),
        value: String::new(),
        parse,
        required: true,
    }
}

impl FieldSpec {
    fn optional(mut self) -> Self {
        self.required = false;
        self
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = hint.into();
        self
    }

    fn options(mut self, options: Vec<Choice>) -> Self {
        self.options = options;
        self
    }

    fn value(mut self, value: impl Into<String>) -> Self {
        self.value = value.into();
        self
    }
}

fn action(
    name: &'static str,
    label: &'static str,
    button: &'static str,
    fields: Vec<FieldSpec>,
) -> ActionSpec {
    ActionSpec {
        name,
        label,
        label_text: None,
        button,
        fields,
        open: false,
    }
}

/// The steps a case offers: exactly those `redress_core` allows now (each a form), plus the
/// page's own two, setting the team and reason and adding a note. The lifecycle is decided in
/// core alone.
pub fn available(
    case: &Case,
    rules: &Rules,
    teams: &[String],
    reasons: &[String],
) -> Vec<ActionSpec> {
    let mut steps = vec![action(
        "update_details",
        "Set the team and reason",
        "Save",
        vec![
            field("team", "Team", Kind::Select)
                .options(Choice::same(teams))
                .value(case.team().unwrap_or_default().to_string()),
            field("reason", "Reason", Kind::Select)
                .options(Choice::same(reasons))
                .value(case.reason().unwrap_or_default().to_string()),
        ],
    )];
    for step in case.available_transitions(rules) {
        if step.allowed {
            steps.push(form_for(step.name, case, rules, teams));
        }
    }
    steps.push(action(
        "note",
        "Add a note",
        "Add note",
        vec![field("text", "Note", Kind::LongText)],
    ));
    steps
}

/// The ombudsman step names the ombudsman of the organisation's nation (LGSCO, PSOW, SPSO or
/// NIPSO), with the shape of its references.
pub fn name_the_ombudsman(steps: &mut [ActionSpec], ombudsman: &redress_core::Ombudsman) {
    for step in steps
        .iter_mut()
        .filter(|s| s.name == "record_ombudsman_decision")
    {
        step.label_text = Some(format!(
            "Record a decision of the {} ({})",
            ombudsman.name, ombudsman.short_name
        ));
        for field in step
            .fields
            .iter_mut()
            .filter(|f| f.name == "lgsco_reference")
        {
            field.hint = format!(
                "The {}'s reference, {}",
                ombudsman.short_name, ombudsman.reference_hint
            );
        }
    }
}

/// The data protection steps an administrator or complaints officer has on a case: a legal
/// hold, or lifting it; erasure on request, which a hold refuses (the store decides both).
pub fn data_protection_steps(held: bool, erased: bool) -> Vec<ActionSpec> {
    if erased {
        return Vec::new();
    }
    if held {
        return vec![action(
            "lift_legal_hold",
            "Lift the legal hold",
            "Lift hold",
            vec![],
        )];
    }
    vec![
        action(
            "legal_hold",
            "Place a legal hold",
            "Place hold",
            vec![field("reason", "Why the case must be kept", Kind::LongText)
                .hint("For example litigation, or an open ombudsman investigation. The retention schedule leaves the case alone until the hold is lifted.")],
        ),
        action(
            "erase_personal_data",
            "Erase personal data now",
            "Erase personal data",
            vec![field("reason", "Why (the person's request)", Kind::LongText)
                .hint("Erases the names, contact details, children's identifiers, summary, notes, files and mail of this case. The figures stay. This cannot be undone.")],
        ),
    ]
}

/// The form for one step, with today's date filled in where a date is asked for.
fn form_for(name: StepName, case: &Case, rules: &Rules, teams: &[String]) -> ActionSpec {
    let today = rules.today.to_string();
    let on = || field("on", "Date", Kind::Date).value(today.clone());
    let yes_no = || vec![Choice::new("yes", "Yes"), Choice::new("no", "No")];
    match name {
        StepName::Acknowledge => action("acknowledge", "Acknowledge", "Acknowledge", vec![on()]),
        StepName::ResolveAtInitialContact => action(
            "resolve_at_initial_contact",
            "Resolve at initial contact",
            "Record as resolved",
            vec![on()],
        ),
        StepName::Reject => action(
            "reject",
            "Reject",
            "Reject",
            vec![on(), field("reason", "Why it cannot be considered", Kind::LongText)],
        ),
        StepName::OpenStage1 => action(
            "open_stage1",
            "Start Stage 1",
            "Start Stage 1",
            vec![
                field("on", "Date", Kind::Date)
                    .optional()
                    .hint("Leave blank for the day it was received"),
                field("reason", "Why Stage 1 starts after the day of receipt", Kind::LongText)
                    .optional()
                    .hint("Only if it starts later than the day the complaint was received"),
                field("late_complaint_grounds", "Why a complaint made more than a year after the matter is considered", Kind::LongText)
                    .optional()
                    .hint("Only for a complaint made more than a year after the matter arose (regulation 9)"),
            ],
        ),
        StepName::Respond => action(
            "respond",
            "Respond with an outcome",
            "Record response",
            vec![
                on(),
                field("outcome", "Outcome", Kind::Select).options(choices(&redress_core::Outcome::response_names())),
            ],
        ),
        StepName::Escalate => {
            let mut fields = vec![
                field("requested_on", "Date the complainant asked", Kind::Date).value(today.clone()),
                field("late_reason", "Why a late request is accepted", Kind::LongText)
                    .optional()
                    .hint("Only if the request came after the time allowed"),
            ];
            let stage_one_open = case.open_stage().is_some_and(|s| s.number == 1);
            if case.status() == Status::Acknowledged || stage_one_open {
                let skip = if case.status() == Status::Acknowledged { "yes" } else { "no" };
                fields.push(
                    field("skip_agreed", "Skip Stage 1 by agreement", Kind::Bool)
                        .options(yes_no())
                        .value(skip),
                );
                fields.push(field("reason", "Why Stage 1 is skipped", Kind::LongText).optional());
                fields.push(
                    field("late_complaint_grounds", "Why a complaint made more than a year after the matter is considered", Kind::LongText)
                        .optional()
                        .hint("Only for a complaint made more than a year after the matter arose (regulation 9)"),
                );
            }
            let label = match (case.status(), case.open_stage()) {
                (Status::InStage, Some(s)) if s.number == 1 => "Go to Stage 2: Stage 1 is overdue, or skipped by agreement".to_string(),
                (Status::InStage, Some(s)) => format!("Stage {} is overdue: go to the next stage", s.number),
                (Status::Acknowledged, _) => "Go to Stage 2: Stage 1 is overdue, or skipped by agreement".to_string(),
                (Status::Received, _) => "Go to Stage 2: Stage 1 is overdue".to_string(),
                _ => "Escalate to the next stage".to_string(),
            };
            ActionSpec {
                label_text: Some(label),
                ..action("escalate", "Escalate to the next stage", "Escalate", fields)
            }
        }
        StepName::Extend => action(
            "extend",
            "Extend the deadline",
            "Extend",
            vec![
                field("to_working_days", "Extend to (working days)", Kind::Number).hint(
                    "The procedure's limit applies, for example 20 at Stage 1 or 65 at Stage 2",
                ),
                field("reason", "Reason for the extension", Kind::LongText),
                field("on", "Date it was agreed", Kind::Date).value(today.clone()),
                field("notified_on", "Date the complainant was told why", Kind::Date).optional(),
            ],
        ),
        StepName::AgreeResponsePeriod => action(
            "agree_response_period",
            "Agree the response period with the complainant",
            "Record the agreed period",
            vec![
                field("agreed_on", "Date it was agreed", Kind::Date).value(today.clone()),
                field("working_days", "Respond within (working days of that date)", Kind::Number)
                    .hint("Without an agreed period the response is due 6 months from receipt (regulation 14(2))"),
                field("reason", "Why the agreed date will be missed", Kind::LongText)
                    .optional()
                    .hint("Only when a period was agreed before and the new one replaces it"),
                field("notified_on", "Date the complainant was told", Kind::Date).optional(),
            ],
        ),
        StepName::StopClock => action(
            "stop_clock",
            "Stop the clock",
            "Stop",
            vec![on(), field("reason", "Why the clock stops", Kind::LongText)],
        ),
        StepName::RestartClock => action("restart_clock", "Restart the clock", "Restart", vec![on()]),
        StepName::AppointInvestigator => {
            let independent = field("independent_person", "Independent Person", Kind::Text);
            action(
                "appoint_investigator",
                "Appoint an Investigating Officer and Independent Person",
                "Appoint",
                vec![
                    field("investigating_officer", "Investigating Officer", Kind::Text)
                        .hint("Their sign-in email gives them access to this case and no other"),
                    if rules.procedure.is_statutory() {
                        independent
                    } else {
                        independent.optional()
                    },
                ],
            )
        }
        StepName::RecordPanel => action(
            "record_panel",
            "Record the review panel",
            "Record panel",
            vec![
                field("panel_on", "Panel date", Kind::Date),
                field("report_on", "Panel report date", Kind::Date).optional(),
                field("members", "Panel members", Kind::List)
                    .hint("Three people, separated by commas: names or sign-in emails"),
                field("chair", "Independent chair", Kind::Text).hint("One of the three members"),
            ],
        ),
        StepName::Withdraw => action("withdraw", "Record withdrawal", "Withdraw", vec![on()]),
        StepName::Close => action("close", "Close the case", "Close", vec![on()]),
        StepName::Reopen => {
            let label = if case.referred_back_as_premature() {
                "Reopen: the ombudsman referred it back as premature"
            } else {
                "Reopen the case"
            };
            ActionSpec {
                label_text: Some(label.to_string()),
                ..action("reopen", "Reopen the case", "Reopen", vec![field("reason", "Why it is reopened", Kind::LongText)])
            }
        }
        StepName::ChangeProcedure => action(
            "change_procedure",
            "Move to another procedure",
            "Move",
            vec![
                field("procedure", "Procedure", Kind::Select).options(
                    rules
                        .procedures
                        .iter()
                        .filter(|p| p.name != case.procedure())
                        .map(|p| Choice::new(p.name.clone(), p.title.clone()))
                        .collect(),
                ),
                field("reason", "Why it moves", Kind::LongText),
            ],
        ),
        StepName::DecideSufficientInterest => action(
            "decide_sufficient_interest",
            "Decide whether the complainant has sufficient interest",
            "Record decision",
            vec![
                field("sufficient", "Sufficient interest in the child's welfare", Kind::Bool).options(yes_no()),
                field("reason", "Why", Kind::LongText)
                    .optional()
                    .hint("Needed when the answer is no"),
            ],
        ),
        StepName::RecordOmbudsmanDecision => action(
            "record_ombudsman_decision",
            "Record an ombudsman decision",
            "Record decision",
            vec![
                field("decision", "Decision", Kind::Select)
                    .options(choices(OmbudsmanDecision::names())),
                field("decided_on", "Date of the decision", Kind::Date).value(today.clone()),
                field("lgsco_reference", "Ombudsman's reference", Kind::Text).optional(),
                field("remedy_kind", "Remedy (if any)", Kind::Select)
                    .optional()
                    .options(
                        [Choice::new("", "No remedy")]
                            .into_iter()
                            .chain(choices(RemedyKind::names()))
                            .collect(),
                    ),
                field("remedy_description", "What the remedy is", Kind::LongText).optional(),
                field("remedy_amount", "Payment in pounds", Kind::Text).optional(),
                field("remedy_due_on", "Remedy due by", Kind::Date).optional(),
            ],
        ),
        StepName::CompleteRemedy => {
            let remedies: Vec<Choice> = case
                .ombudsman()
                .iter()
                .enumerate()
                .flat_map(|(o, decision)| {
                    decision
                        .remedies
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| r.completed_on.is_none())
                        .map(move |(r, remedy)| {
                            Choice::new(
                                format!("{o}:{r}"),
                                format!("{} (due {})", remedy.description, remedy.due_on),
                            )
                        })
                })
                .collect();
            action(
                "complete_remedy",
                "Mark a remedy done",
                "Mark done",
                vec![field("remedy", "Remedy", Kind::Select).options(remedies), on()],
            )
        }
        StepName::AddAction => action(
            "add_action",
            "Add an action or learning",
            "Add",
            vec![
                field("kind", "Kind", Kind::Select).options(choices(ActionKind::names())),
                field("description", "What is to be done", Kind::LongText),
                field("owner_team", "Owner", Kind::Select).options(Choice::same(teams)),
                field("due_on", "Due by", Kind::Date),
            ],
        ),
        StepName::AcceptDraft => action(
            "accept_draft",
            "Accept as a complaint",
            "Accept",
            vec![
                on().hint("The clocks run from the day the email arrived, whatever day it is accepted"),
                field("procedure", "Procedure", Kind::Select).options(
                    rules
                        .procedures
                        .iter()
                        .map(|p| Choice::new(p.name.clone(), p.title.clone()))
                        .collect(),
                ),
                field("complainant_role", "The complainant is", Kind::Select)
                    .options(choices(redress_core::ComplainantRole::names())),
                field("team", "Team", Kind::Select).options(Choice::same(teams)).optional(),
                field("reason", "Reason for the complaint", Kind::Text).optional(),
            ],
        ),
        StepName::NotAComplaint => action(
            "not_a_complaint",
            "Not a complaint",
            "Record as not a complaint",
            vec![
                on(),
                field("reason", "What it is instead", Kind::LongText)
                    .hint("For example a compliment, a request for a service, or spam"),
            ],
        ),
        StepName::CompleteAction => {
            let open_actions: Vec<Choice> = case
                .actions()
                .iter()
                .enumerate()
                .filter(|(_, a)| a.completed_on.is_none())
                .map(|(i, a)| Choice::new(i.to_string(), format!("{} (due {})", a.description, a.due_on)))
                .collect();
            action(
                "complete_action",
                "Mark an action done",
                "Mark done",
                vec![field("action", "Action", Kind::Select).options(open_actions), on()],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redress_calendar::{Calendar, Division};
    use redress_core::{Channel, ComplainantRole, Procedure, Transition};
    use serde_json::json;

    /// For a case in every status, the page offers exactly the steps core allows (and its own
    /// two: setting the team and reason, and a note).
    #[test]
    fn the_page_offers_exactly_the_steps_core_allows() {
        let procedures = Procedure::presets();
        let calendar = Calendar::built_in(Division::EnglandAndWales);
        let today = redress_calendar::parse_iso_date("2024-02-20").unwrap();
        let steps: [&[serde_json::Value]; 9] = [
            &[],
            &[json!({"transition": "acknowledge", "on": "2024-01-08"})],
            &[
                json!({"transition": "acknowledge", "on": "2024-01-08"}),
                json!({"transition": "open_stage1"}),
            ],
            &[
                json!({"transition": "acknowledge", "on": "2024-01-08"}),
                json!({"transition": "open_stage1"}),
                json!({"transition": "respond", "on": "2024-01-09", "outcome": "upheld"}),
            ],
            &[
                json!({"transition": "acknowledge", "on": "2024-01-08"}),
                json!({"transition": "resolve_at_initial_contact", "on": "2024-01-09"}),
            ],
            &[json!({"transition": "reject", "on": "2024-01-08", "reason": "court proceedings"})],
            &[json!({"transition": "withdraw", "on": "2024-01-08"})],
            &[
                json!({"transition": "withdraw", "on": "2024-01-08"}),
                json!({"transition": "close", "on": "2024-01-09"}),
            ],
            &[
                json!({"transition": "acknowledge", "on": "2024-01-08"}),
                json!({"transition": "open_stage1"}),
                json!({"transition": "escalate", "requested_on": "2024-01-23"}),
                json!({"transition": "record_ombudsman_decision", "decision": "premature", "decided_on": "2024-02-01",
                     "remedies": [{"kind": "apology", "due_on": "2024-03-01"}]}),
                json!({"transition": "add_action", "kind": "learning", "description": "x", "owner_team": "Team", "due_on": "2024-03-01"}),
            ],
        ];
        let mut seen = std::collections::HashSet::new();
        for (procedure, transitions) in ["statutory", "corporate", "lgsco-code"]
            .into_iter()
            .flat_map(|p| steps.iter().map(move |t| (p, t)))
        {
            let rules = Rules {
                procedure: procedures.iter().find(|p| p.name == procedure).unwrap(),
                calendar: &calendar,
                procedures: &procedures,
                today,
            };
            let mut facts = redress_core::CaseFacts::received(
                "T-1".into(),
                procedure.into(),
                redress_calendar::parse_iso_date("2024-01-08").unwrap(),
                Channel::Email,
                ComplainantRole::Relative,
            );
            facts.team = Some("Team".into());
            facts.sufficient_interest = Some(redress_core::SufficientInterest {
                decided: true,
                reason: "grandmother".into(),
            });
            let mut case = Case::from_history(facts);
            for t in transitions.iter() {
                let transition: Transition = serde_json::from_value(t.clone()).unwrap();
                case.apply(&transition, &rules)
                    .unwrap_or_else(|e| panic!("{procedure} {t}: {e}"));
            }
            seen.insert(case.status());
            let offered: Vec<&str> = available(&case, &rules, &["Team".into()], &["Reason".into()])
                .iter()
                .map(|s| s.name)
                .filter(|n| !["update_details", "note"].contains(n))
                .collect();
            let allowed: Vec<&str> = case
                .available_transitions(&rules)
                .into_iter()
                .filter(|s| s.allowed)
                .map(|s| s.name.as_str())
                .collect();
            assert_eq!(offered, allowed, "{procedure} at {:?}", case.status());
            // Every form's name is a step the API takes.
            for name in &offered {
                assert!(StepName::parse(name).is_some(), "{name}");
            }
        }
        assert_eq!(seen.len(), 8, "every status was tried: {seen:?}");
    }
}

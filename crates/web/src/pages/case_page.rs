//! One case: its summary, complainant, stages with deadlines in working days, timeline,
//! attachments and every step that can be taken on it.

use super::case_actions::{available, data_protection_steps, name_the_ombudsman};
use super::posted_step::transition_of;
use super::{
    capitalise, days_text, long_date, render, words, FieldError, PageError, Staff, StaffForm,
    StaffUpload,
};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use redress_core::{CaseError, CaseUpdate, Status};
use redress_store::attachments::{type_label, MAX_ATTACHMENT_BYTES};
use redress_store::{CaseFile, StoreError};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct Row {
    key: &'static str,
    value: String,
}

fn row(key: &'static str, value: impl Into<String>) -> Row {
    Row {
        key,
        value: value.into(),
    }
}

fn yes_no(flag: bool) -> &'static str {
    if flag {
        "Yes"
    } else {
        "No"
    }
}

#[derive(Serialize)]
struct TimelineEntry {
    what: String,
    when: String,
    actor: String,
    detail: String,
}

fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Received => "blue",
        Status::Acknowledged | Status::InStage => "yellow",
        Status::StageResponded => "purple",
        Status::Closed | Status::ResolvedAtInitialContact => "green",
        Status::Rejected | Status::Withdrawn | Status::NotAComplaint => "grey",
        Status::Draft => "orange",
    }
}

fn case_id(raw: &str) -> Result<i64, PageError> {
    raw.parse::<redress_core::CaseId>()
        .map(redress_core::CaseId::get)
        .map_err(|_| PageError::NotFound)
}

/// Renders the case page, with errors and a step left open when a form was refused.
async fn page(
    state: &AppState,
    staff: &Staff,
    file: CaseFile,
    errors: Vec<FieldError>,
    open_step: Option<&str>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let CaseFile {
        record,
        events,
        attachments,
    } = file;
    let organisation = state.store.organisation_of(&record).await?;
    let procedure = organisation.procedure(record.case.procedure()).ok();
    let today = state.clock().today();
    let case = &record.case;
    // Core's deadline in force, as the API shows it; an error is shown, never dropped.
    let (deadline, deadline_error) = match case.deadline_in_force(organisation.as_ref(), today) {
        Ok(deadline) => (deadline, None),
        Err(e) => (None, Some(e.to_string())),
    };
    let deadline = deadline.map(|d| {
        context! {
            stage_label => format!("Stage {}", d.stage),
            due_on_long => long_date(d.due_on),
            days_left => d.working_days_left,
            days_text => days_text(d.working_days_left),
            paused => d.paused,
            counted_on => if d.closure_days_count {
                "Counted in working days on the bank-holiday calendar and the council's own closure days."
            } else {
                "Counted in working days on the bank-holiday calendar only: the council's closure days do not lengthen a statutory deadline (regulation 2)."
            },
        }
    });
    let advocacy_missing = case.advocacy_owed();
    let stages: Vec<_> = case
        .stages()
        .iter()
        .map(|s| {
            // Each stage under the definition it ran under (core's `judged_under`).
            let due = match redress_core::judged_under(organisation.as_ref(), case, s) {
                (Some(p), calendar) => s.deadline(p, calendar, today).ok().flatten(),
                (None, _) => None,
            }
            .map(|d| d.due_on.to_string())
            .unwrap_or_default();
            let mut notes = Vec::new();
            for round in &s.earlier_rounds {
                notes.push(format!(
                    "Answered {} ({}), then reopened",
                    round.responded_on.map(long_date).unwrap_or_default(),
                    round.outcome.map(|o| words(o.as_str())).unwrap_or_default()
                ));
            }
            if let Some(io) = &s.investigating_officer {
                notes.push(format!("Investigating Officer: {io}"));
            }
            if let Some(ip) = &s.independent_person {
                notes.push(format!("Independent Person: {ip}"));
            }
            if let Some(days) = s.extended_to {
                let mut note = format!(
                    "Extended to {days} working days: {}",
                    s.extension_reason.clone().unwrap_or_default()
                );
                if let Some(agreed) = s.extension_agreed_on {
                    note.push_str(&format!(" (agreed {agreed}"));
                    if let Some(told) = s.extension_notified_on {
                        note.push_str(&format!(", complainant told {told}"));
                    }
                    note.push(')');
                }
                if let Some(recorded) = s.extension_recorded_on {
                    note.push_str(&format!("; recorded late, on {recorded}"));
                }
                notes.push(note);
            } else if s.extension_length_unknown {
                notes.push("Extended, by a length the imported record does not give".into());
            }
            for stop in &s.clock_stops {
                let mut note = match stop.restarted_on {
                    Some(r) => format!("Clock stopped {} to {r}: {}", stop.stopped_on, stop.reason),
                    None => format!("Clock stopped since {}: {}", stop.stopped_on, stop.reason),
                };
                if let Some(recorded) = stop.recorded_on {
                    note.push_str(&format!("; recorded late, on {recorded}"));
                }
                notes.push(note);
            }
            if let Some(panel) = s.panel_on {
                notes.push(format!("Panel on {panel}"));
            }
            if !s.panel_members.is_empty() {
                notes.push(format!("Panel: {}", s.panel_members.join(", ")));
            }
            context! {
                label => format!("Stage {}", s.number),
                started_on => s.started_on.to_string(),
                due,
                responded_on => s.responded_on.map(|d| d.to_string()).unwrap_or_default(),
                outcome => s.outcome.map(|o| words(o.as_str())).unwrap_or_default(),
                notes => notes.join(". "),
            }
        })
        .collect();
    let ombudsman: Vec<_> = case
        .ombudsman()
        .iter()
        .map(|o| {
            context! {
                decision => words(o.decision.as_str()),
                decided_on => o.decided_on.to_string(),
                reference => o.lgsco_reference.clone(),
                remedies => o.remedies.iter().map(|r| {
                    let done = r.completed_on.map(|d| format!(", done {d}")).unwrap_or_else(|| {
                        if r.due_on < today { ", OVERDUE".into() } else { String::new() }
                    });
                    let amount = r.amount_pence.map(|p| format!(" (£{:.2})", p as f64 / 100.0)).unwrap_or_default();
                    format!("{}: {}{amount}, due {}{done}", words(r.kind.as_str()), r.description, r.due_on)
                }).collect::<Vec<_>>(),
            }
        })
        .collect();
    let actions: Vec<String> = case
        .actions()
        .iter()
        .map(|a| {
            let state = match a.completed_on {
                Some(d) => format!("done {d}"),
                None if a.due_on < today => format!("due {}, overdue", a.due_on),
                None => format!("due {}", a.due_on),
            };
            format!(
                "{}: {} ({}, {state})",
                words(a.kind.as_str()),
                a.description,
                a.owner_team
            )
        })
        .collect();
    let personal = &case.personal();
    let summary = vec![
        row("Received", long_date(case.received_on())),
        row(
            "Procedure",
            procedure.map_or(case.procedure().to_string(), |p| p.title.clone()),
        ),
        row(
            "Team",
            case.team()
                .map(str::to_string)
                .unwrap_or_else(|| "Not set".into()),
        ),
        row(
            "Reason",
            case.reason()
                .map(str::to_string)
                .unwrap_or_else(|| "Not set".into()),
        ),
        row("How it came in", words(case.channel().as_str())),
        row("Summary", personal.summary.clone()),
        row("Outcome wanted", personal.outcome_wanted.clone()),
    ];
    let complainant = vec![
        row("Name", personal.complainant_name.clone()),
        row("Complainant is", words(case.complainant_role().as_str())),
        row("Email", personal.contact_email.clone()),
        row("Phone", personal.contact_phone.clone()),
        row("Address", personal.contact_address.clone()),
        row("Children", personal.children.join(", ")),
        row("A child complained", yes_no(case.child_complained())),
        row("Advocacy offered", yes_no(case.advocacy_offered())),
        row("Advocacy taken up", yes_no(case.advocacy_taken_up())),
    ];
    let timeline: Vec<TimelineEntry> = events
        .iter()
        .rev()
        .map(|e| TimelineEntry {
            what: words(&e.kind),
            when: e.occurred_at.format("%-d %b %Y %H:%M").to_string(),
            actor: e.actor.clone(),
            detail: match e.kind.as_str() {
                "note" => e
                    .after
                    .as_ref()
                    .and_then(|a| a["text"].as_str())
                    .unwrap_or_default()
                    .to_string(),
                // An email on the case: who sent it, its subject and words, its files, and
                // whether it came after the case had ended (it does not reopen it).
                "correspondence" => e
                    .after
                    .as_ref()
                    .map(|a| {
                        let text = |key: &str| a[key].as_str().unwrap_or_default().to_string();
                        let files: Vec<&str> = a["files"]
                            .as_array()
                            .map(|f| f.iter().filter_map(|n| n.as_str()).collect())
                            .unwrap_or_default();
                        let mut detail = format!(
                            "From {}: {}\n\n{}",
                            text("from"),
                            text("subject"),
                            text("text")
                        );
                        if !files.is_empty() {
                            detail.push_str(&format!("\n\nFiles: {}", files.join(", ")));
                        }
                        if let Some(refused) = a["not_kept"].as_array().filter(|r| !r.is_empty()) {
                            let refused: Vec<&str> =
                                refused.iter().filter_map(|n| n.as_str()).collect();
                            detail.push_str(&format!("\n\nNot kept: {}", refused.join("; ")));
                        }
                        if let Some(status) = a["case_was"].as_str() {
                            detail.push_str(&format!(
                                "\n\nThis arrived after the case was {}: it has not been reopened.",
                                status.replace('_', " ")
                            ));
                        }
                        detail
                    })
                    .unwrap_or_default(),
                "attachment_added" => e
                    .after
                    .as_ref()
                    .and_then(|a| a["name"].as_str())
                    .unwrap_or_default()
                    .to_string(),
                "letter_sent" => e
                    .after
                    .as_ref()
                    .and_then(|a| {
                        let kind = crate::letters::LetterKind::parse(a["kind"].as_str()?).ok()?;
                        Some(format!("{}, dated {}", kind.label(), a["date"].as_str()?))
                    })
                    .unwrap_or_default(),
                _ => String::new(),
            },
        })
        .collect();
    let attachments: Vec<_> = attachments
        .into_iter()
        .map(|a| {
            context! {
                id => a.id, name => a.name, kind => type_label(&a.content_type),
                size => format!("{} KB", (a.size + 1023) / 1024),
                added_by => a.added_by, added_at => a.added_at.format("%-d %b %Y").to_string(),
            }
        })
        .collect();
    let (teams, reasons) = state.store.teams_and_reasons(&organisation.slug).await?;
    let rules = organisation.rules_of(case, today)?;
    let mut steps = available(case, &rules, &teams, &reasons);
    name_the_ombudsman(&mut steps, organisation.nation.ombudsman());
    let hold = data_protection_of(state, staff, &record).await?;
    if let Some((held, _)) = &hold {
        steps.extend(data_protection_steps(
            held.is_some(),
            record.erased_on.is_some(),
        ));
    }
    for step in &mut steps {
        step.open = open_step == Some(step.name);
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let own = context! {
        case => context! {
            id => record.id,
            reference => case.reference().to_string(),
            version => record.version,
            procedure_name => procedure.map_or(case.procedure().to_string(), |p| p.title.clone()),
            status_label => words(case.status().as_str()),
            status_colour => status_colour(case.status()),
        },
        deadline,
        deadline_error,
        erased_on => record.erased_on.map(long_date),
        legal_hold => hold.and_then(|(h, _)| h).map(|h| context! {
            reason => h.reason, placed_by => h.placed_by,
            placed_on => long_date(h.placed_at.date_naive()),
        }),
        advocacy_missing,
        summary,
        complainant,
        stages,
        ombudsman,
        actions,
        attachments,
        timeline,
        actions_available => steps,
        errors,
        notice,
        max_upload => format!("{} MB", MAX_ATTACHMENT_BYTES / 1024 / 1024),
        letter_kinds => crate::letters::LetterKind::ALL
            .iter()
            .map(|k| context! { value => k.slug(), label => k.label() })
            .collect::<Vec<_>>(),
    };
    Ok((status, render("case.html", staff.common(), own)?).into_response())
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let file = state
        .store
        .case_file(&staff.principal.access, case_id(&id)?)
        .await?;
    state
        .store
        .record_view(&staff.principal.actor, &file.record)
        .await?;
    let record = &file.record;
    // The banner is chosen by key from a fixed list: a link cannot put its own words there.
    let notice = query.get("done").and_then(|step| match step.as_str() {
        "received" => Some(format!("Complaint recorded as {}", record.case.reference())),
        "note" => Some("Note added".to_string()),
        "attachment" => Some("File added".to_string()),
        "letter" => Some("Letter kept on the case as PDF and Word".to_string()),
        "update_details" => Some("Team and reason saved".to_string()),
        "legal_hold" => Some("Legal hold placed".to_string()),
        "lift_legal_hold" => Some("Legal hold lifted".to_string()),
        "erase_personal_data" => Some("Personal data erased".to_string()),
        // Every lifecycle step core knows announces itself: the list is core's, not a copy.
        step if redress_core::StepName::parse(step).is_some() => {
            Some(format!("{} recorded", words(step)))
        }
        _ => None,
    });
    page(&state, &staff, file, Vec::new(), None, notice).await
}

pub async fn act(
    State(state): State<AppState>,
    Path((id, step)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    let access = &staff.principal.access;
    let id = case_id(&id)?;
    let file = state.store.case_file(access, id).await?;
    let record = &file.record;
    let (teams, reasons) = state.store.teams_and_reasons(&record.organisation).await?;
    let organisation = state.store.organisation_of(record).await?;
    let rules = organisation.rules_of(&record.case, state.clock().today())?;
    let mut steps = available(&record.case, &rules, &teams, &reasons);
    if let Some((held, _)) = data_protection_of(&state, &staff, record).await? {
        steps.extend(data_protection_steps(
            held.is_some(),
            record.erased_on.is_some(),
        ));
    }
    let Some(spec) = steps.iter().find(|s| s.name == step) else {
        let error = FieldError::new(
            "main-content",
            format!("{} is not possible at this point", words(&step)),
        );
        return page(&state, &staff, file, vec![error], None, None).await;
    };
    if spec.name == "note" {
        let text = fields.text("note-text");
        return match state
            .store
            .add_note(access, id, &text, &staff.principal.actor)
            .await
        {
            Ok(()) => Ok(Redirect::to(&format!("/cases/{id}?done=note")).into_response()),
            Err(StoreError::Invalid { .. }) => {
                let error = FieldError::new("note-text", "Write the note");
                page(&state, &staff, file, vec![error], Some("note"), None).await
            }
            Err(e) => Err(e.into()),
        };
    }
    if let Some(result) = data_protection_step(&state, &staff, id, spec.name, &fields).await {
        return match result {
            Ok(()) => Ok(Redirect::to(&format!("/cases/{id}?done={}", spec.name)).into_response()),
            Err(StoreError::Invalid { field, message }) => {
                let target = if field == "reason" {
                    format!("{}-reason", spec.name)
                } else {
                    "main-content".to_string()
                };
                let error = FieldError::new(&target, capitalise(&message));
                let current = state.store.case_file(access, id).await?;
                page(&state, &staff, current, vec![error], Some(spec.name), None).await
            }
            Err(e) => Err(e.into()),
        };
    }
    let version: i64 = fields.text("version").parse().unwrap_or(record.version);
    let actor = &staff.principal.actor;
    let result = if spec.name == "update_details" {
        let update = CaseUpdate {
            team: fields.optional("update_details-team"),
            reason: fields.optional("update_details-reason"),
            ..CaseUpdate::default()
        };
        state
            .store
            .update_case(access, id, version, &update, actor, state.clock().today())
            .await
    } else {
        let transition = match transition_of(spec, &fields) {
            Ok(t) => t,
            Err(error) => {
                return page(&state, &staff, file, vec![error], Some(spec.name), None).await
            }
        };
        state
            .store
            .transition(
                access,
                id,
                version,
                &transition,
                actor,
                state.clock().today(),
            )
            .await
    };
    let field_of = |field: &str| format!("{}-{field}", spec.name);
    let error = match result {
        Ok(_) => return Ok(Redirect::to(&format!("/cases/{id}?done={}", spec.name)).into_response()),
        Err(StoreError::Conflict { .. }) => FieldError::new(
            "main-content",
            "Someone else changed this case while you had it open. Their change is shown below: check it, then try again.",
        ),
        Err(StoreError::Case(CaseError::NotAllowed(reason))) => {
            FieldError::new(&field_of(spec.fields.first().map_or("on", |f| f.name)), capitalise(&reason))
        }
        Err(StoreError::Invalid { field, message }) => {
            let known = spec.fields.iter().any(|f| f.name == field);
            let target = if known { field_of(&field) } else { field_of(spec.fields.first().map_or("on", |f| f.name)) };
            FieldError::new(&target, capitalise(&message))
        }
        Err(other) => return Err(other.into()),
    };
    // Show the case as it now is, so a concurrent change is seen before trying again.
    let current = state.store.case_file(access, id).await?;
    page(&state, &staff, current, vec![error], Some(spec.name), None).await
}

/// Whether the user does data protection work here (administrator or complaints officer), and
/// if so the case's legal hold: `Some((hold, ()))`.
async fn data_protection_of(
    state: &AppState,
    staff: &Staff,
    record: &redress_store::CaseRecord,
) -> Result<Option<(Option<redress_store::LegalHold>, ())>, PageError> {
    let access = &staff.principal.access;
    let allowed = state
        .store
        .authorise(
            access,
            &record.organisation,
            redress_store::Permission::HandlePersonalData,
        )
        .await
        .is_ok();
    if !allowed {
        return Ok(None);
    }
    Ok(Some((state.store.legal_hold(access, record.id).await?, ())))
}

/// Carries out a data protection step, or `None` when `step` is not one.
async fn data_protection_step(
    state: &AppState,
    staff: &Staff,
    id: i64,
    step: &str,
    fields: &super::extract::Fields,
) -> Option<Result<(), StoreError>> {
    let access = &staff.principal.access;
    let actor = &staff.principal.actor;
    let reason = fields.text(&format!("{step}-reason"));
    Some(match step {
        "legal_hold" => state
            .store
            .place_legal_hold(access, id, &reason, actor)
            .await
            .map(|_| ()),
        "lift_legal_hold" => state.store.lift_legal_hold(access, id, actor).await,
        "erase_personal_data" => state
            .store
            .erase_on_request(access, id, &reason, actor, state.clock().today())
            .await
            .map(|_| ()),
        _ => return None,
    })
}

pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<String>,
    upload: StaffUpload,
) -> Result<Response, PageError> {
    let StaffUpload {
        staff,
        name,
        content,
    } = upload;
    let id = case_id(&id)?;
    let access = &staff.principal.access;
    match state
        .store
        .add_attachment(access, id, &name, &content, &staff.principal.actor)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}?done=attachment")).into_response()),
        Err(StoreError::Invalid { message, .. }) => {
            let file = state.store.case_file(access, id).await?;
            let message = if content.is_empty() && name.is_empty() {
                "Choose a file to upload".to_string()
            } else {
                capitalise(&message)
            };
            page(
                &state,
                &staff,
                file,
                vec![FieldError::new("file", message)],
                None,
                None,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, attachment)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let attachment: i64 = attachment.parse().map_err(|_| PageError::NotFound)?;
    let (info, content) = state
        .store
        .attachment(&staff.principal.access, case_id(&id)?, attachment)
        .await?;
    Ok(crate::api::attachments::file_response(&info, content))
}

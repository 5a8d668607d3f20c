//! The case list (filters, search, sorting, pages) and recording a new complaint.

use super::dashboard::rows;
use super::filters::Filters;
use super::{render, words, Choice, FieldError, Fields, PageError, Staff, StaffForm};
use crate::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use redress_core::{Channel, ComplainantRole, NewCase, PersonalDetails, Status};
use redress_store::{CaseFilter, CaseOrder, Permission, StoreError};
use std::collections::HashMap;

const PAGE_SIZE: i64 = 50;

fn statuses() -> Vec<Choice> {
    [
        Status::Received,
        Status::Acknowledged,
        Status::InStage,
        Status::StageResponded,
        Status::ResolvedAtInitialContact,
        Status::Rejected,
        Status::Withdrawn,
        Status::Closed,
    ]
    .iter()
    .map(|s| Choice::new(s.as_str(), words(s.as_str())))
    .collect()
}

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    if !staff.may(Permission::ReadCases) {
        return Err(PageError::Forbidden(
            "your role does not give access to cases".into(),
        ));
    }
    let mut filters = Filters::new(&query);
    let today = state.clock().today();
    let organisations = staff.organisations_where(Permission::ReadCases);
    // Teams and working days come from the organisation, when the user works in just one.
    let single = (organisations.len() == 1).then(|| organisations[0].clone());
    let mut filter = CaseFilter {
        organisation: single.clone(),
        q: filters.text("q"),
        reference: filters.text("reference"),
        team: filters.text("team"),
        limit: Some(PAGE_SIZE),
        ..CaseFilter::default()
    };
    filter.stage = filters.read("stage", "a stage (1, 2 or 3)", |s| {
        s.parse().ok().filter(|n| (1..=3).contains(n))
    });
    filter.status = filters.read("status", "a status in the list", |s| Status::parse(s).ok());
    let due = filters.one_of(
        "due",
        "a due date in the list",
        &["overdue", "today", "week"],
    );
    match due.as_deref() {
        Some("overdue") => filter.overdue = Some(true),
        Some("today") => filter.due_before = Some(today),
        Some(_) => match &single {
            Some(slug) => {
                let organisation = state.store.organisation(slug).await?;
                filter.due_before = organisation
                    .calendar
                    .add_working_days(today, redress_core::reminders::DUE_SOON_WORKING_DAYS)
                    .ok();
            }
            // Working days are counted in one organisation's calendar.
            None => filters.refuse(
                "due",
                "the next 5 working days need one organisation's calendar",
            ),
        },
        None => {}
    }
    filter.order = match filters
        .one_of("sort", "an order in the list", &["newest", "oldest", "due"])
        .as_deref()
    {
        Some("due") => CaseOrder::DueSoonest,
        Some("oldest") => CaseOrder::Oldest,
        _ => CaseOrder::Newest,
    };
    // Bounded, so the offset cannot overflow: 100,000 pages is five million cases.
    let page: i64 = filters
        .read("page", "a page number", |p| {
            let n: u64 = p.parse().ok().filter(|n| *n >= 1)?;
            Some(n.min(100_000) as i64)
        })
        .unwrap_or(1);
    filter.offset = Some((page - 1) * PAGE_SIZE);
    let errors = filters.summary();
    // An unreadable filter shows no cases rather than all of them.
    let cases = match errors.is_empty() {
        true => {
            state
                .store
                .list_cases(&staff.principal.access, &filter, today)
                .await?
                .0
        }
        false => Vec::new(),
    };
    let more = cases.len() as i64 == PAGE_SIZE;
    let rows = rows(&state.store, &cases, state.clock().today()).await?;
    let link_to = |page: i64| {
        let mut params: Vec<(String, String)> = query
            .iter()
            .filter(|(k, _)| k.as_str() != "page")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        params.sort();
        params.push(("page".into(), page.to_string()));
        format!(
            "/cases?{}",
            serde_urlencoded::to_string(params).unwrap_or_default()
        )
    };
    let teams = match &single {
        Some(slug) => Choice::same(&state.store.names(slug, true).await?),
        None => Vec::new(),
    };
    let first = (page - 1) * PAGE_SIZE + 1;
    let shown = if rows.is_empty() {
        String::new()
    } else {
        format!(
            "Showing cases {} to {}",
            first,
            first + rows.len() as i64 - 1
        )
    };
    let own = context! {
        filter => context! {
            q => filters.text("q"), reference => filters.text("reference"), status => filters.text("status"),
            stage => filters.text("stage"), team => filters.text("team"), due => filters.text("due"),
            sort => filters.text("sort").unwrap_or_else(|| "newest".into()),
        },
        statuses => statuses(),
        stage_options => vec![Choice::new("1", "Stage 1"), Choice::new("2", "Stage 2"), Choice::new("3", "Stage 3")],
        teams,
        due_options => vec![
            Choice::new("overdue", "Overdue"),
            Choice::new("today", "Due today or overdue"),
            Choice::new("week", "Due in the next 5 working days"),
        ],
        sort_options => vec![
            Choice::new("newest", "Newest first"),
            Choice::new("oldest", "Oldest first"),
            Choice::new("due", "Soonest due first"),
        ],
        my_cases => rows,
        shown,
        can_record => staff.may(Permission::RecordCases),
        next_href => more.then(|| link_to(page + 1)),
        previous_href => (page > 1).then(|| link_to(1)),
    };
    let status = match errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::BAD_REQUEST,
    };
    let own = context! { errors, ..own };
    Ok((status, render("cases.html", staff.common(), own)?).into_response())
}

/// Options for a vocabulary, from its snake_case names.
pub(crate) fn choices(names: &[&str]) -> Vec<Choice> {
    names.iter().map(|n| Choice::new(*n, words(n))).collect()
}

async fn new_case_page(
    state: &AppState,
    staff: &Staff,
    fields: &Fields,
    errors: Vec<FieldError>,
) -> Result<minijinja::Value, PageError> {
    let organisations = staff.organisations_where(Permission::RecordCases);
    let slug = fields
        .optional("organisation")
        .filter(|s| organisations.contains(s))
        .or_else(|| organisations.first().cloned())
        .ok_or_else(|| PageError::Forbidden(Permission::RecordCases.refusal().into()))?;
    let organisation = state.store.organisation(&slug).await?;
    let procedures: Vec<Choice> = organisation
        .procedures
        .iter()
        .map(|p| Choice::new(p.name.clone(), p.title.clone()))
        .collect();
    Ok(context! {
        form => fields.to_value(),
        errors,
        today => state.clock().today().to_string(),
        organisations => staff.organisation_choices(Permission::RecordCases),
        procedures,
        channels => choices(Channel::names()),
        languages => vec![Choice::new("en", "English"), Choice::new("cy", "Welsh (Cymraeg)")],
        roles => choices(ComplainantRole::names()),
        teams => Choice::same(&state.store.names(&slug, true).await?),
        reasons => Choice::same(&state.store.names(&slug, false).await?),
    })
}

pub async fn new_form(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    let own = new_case_page(&state, &staff, &Fields::default(), Vec::new()).await?;
    Ok(render("new_case.html", staff.common(), own)?.into_response())
}

/// Reads the form into a new case, naming the field of the first fault.
fn new_case_of(fields: &Fields) -> Result<NewCase, FieldError> {
    let date = |name: &str, label: &str| {
        fields
            .text(name)
            .parse()
            .map_err(|_| FieldError::new(name, format!("Enter the date {label} as YYYY-MM-DD")))
    };
    let pick = |name: &str, label: &str| -> Result<String, FieldError> {
        fields
            .optional(name)
            .ok_or_else(|| FieldError::new(name, format!("Select {label}")))
    };
    let channel = Channel::parse(&pick("channel", "how it came in")?)
        .map_err(|e| FieldError::new("channel", e))?;
    let complainant_role = ComplainantRole::parse(&pick("complainant_role", "who complained")?)
        .map_err(|e| FieldError::new("complainant_role", e))?;
    Ok(NewCase {
        reference: None,
        procedure: pick("procedure", "the procedure")?,
        received_on: date("received_on", "it was received")?,
        channel,
        complainant_role,
        child_complained: fields.ticked("child_complained"),
        advocacy_offered: fields.ticked("advocacy_offered"),
        advocacy_taken_up: fields.ticked("advocacy_taken_up"),
        team: fields.optional("team"),
        reason: fields.optional("reason"),
        language: match fields.optional("language") {
            Some(tag) => redress_core::Language::parse(&tag)
                .ok_or_else(|| FieldError::new("language", "Choose English or Welsh"))?,
            None => redress_core::Language::En,
        },
        matter_arose_on: match fields.optional("matter_arose_on") {
            Some(text) => Some(
                redress_calendar::parse_iso_date(&text)
                    .map_err(|e| FieldError::new("matter_arose_on", e.to_string()))?,
            ),
            None => None,
        },
        personal: PersonalDetails {
            complainant_name: fields.text("complainant_name"),
            contact_email: fields.text("contact_email"),
            contact_phone: fields.text("contact_phone"),
            contact_address: fields.text("contact_address"),
            children: fields
                .text("children")
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            summary: fields.text("summary"),
            outcome_wanted: fields.text("outcome_wanted"),
        },
    })
}

pub async fn create(State(state): State<AppState>, form: StaffForm) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    let slug = fields.text("organisation");
    let result = match new_case_of(&fields) {
        Err(e) => Err(e),
        Ok(case) => state
            .store
            .create_case(
                &staff.principal.access,
                &slug,
                case,
                &staff.principal.actor,
                state.clock().today(),
            )
            .await
            .map_err(|e| match e {
                StoreError::Invalid { field, message } => {
                    FieldError::new(&field, super::capitalise(&message))
                }
                other => FieldError::new("organisation", other.to_string()),
            }),
    };
    match result {
        Ok(record) => {
            Ok(Redirect::to(&format!("/cases/{}?done=received", record.id)).into_response())
        }
        Err(error) => {
            let own = new_case_page(&state, &staff, &fields, vec![error]).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                render("new_case.html", staff.common(), own)?,
            )
                .into_response())
        }
    }
}

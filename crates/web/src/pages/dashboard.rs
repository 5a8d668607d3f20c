//! The first page staff see: what is overdue, due today and due this week, per stage and in
//! working days, their open cases, and what changed lately. Without a session, the public
//! start page.

use super::{days_text, long_date, render, words, PageError, Staff};
use crate::AppState;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use redress_core::working_days_left;
use redress_store::{CaseFilter, CaseOrder, CaseSummary, Permission, Store};
use serde::Serialize;

/// A staff member if signed in; otherwise the visitor is shown the public start page.
pub struct MaybeStaff(Option<Staff>);

impl FromRequestParts<AppState> for MaybeStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if crate::auth::session_id(&parts.headers).is_none() {
            return Ok(MaybeStaff(None));
        }
        Staff::from_request_parts(parts, state)
            .await
            .map(|s| MaybeStaff(Some(s)))
    }
}

/// A case as the tables show it.
#[derive(Debug, Serialize)]
pub struct CaseRow {
    pub id: i64,
    pub reference: String,
    pub received_on: String,
    pub procedure: String,
    pub stage: String,
    pub team: String,
    pub due_on: Option<String>,
    pub days_left: Option<i64>,
    pub days_text: String,
    /// A child complained and was not offered an advocate (s26A).
    pub advocacy_missing: bool,
}

/// "Stage 1", "Received", "Responded at Stage 1".
fn stage_label(case: &CaseSummary) -> String {
    use redress_core::Status;
    match (case.status, case.current_stage) {
        (Status::InStage, Some(n)) => format!("Stage {n}"),
        (Status::StageResponded, Some(n)) => format!("Responded at Stage {n}"),
        (status, _) => words(status.as_str()),
    }
}

/// Table rows for cases, with working days left counted on each organisation's calendar.
pub async fn rows(
    store: &Store,
    cases: &[CaseSummary],
    today: chrono::NaiveDate,
) -> Result<Vec<CaseRow>, PageError> {
    let mut rows = Vec::with_capacity(cases.len());
    for case in cases {
        let organisation = store.organisation(&case.organisation).await?;
        let days_left = case
            .due_on
            .filter(|_| case.status == redress_core::Status::InStage)
            .and_then(|due| {
                let calendar = organisation
                    .procedure(&case.procedure)
                    .map_or(&organisation.calendar, |p| organisation.calendar_for(p));
                working_days_left(calendar, due, today).ok()
            });
        rows.push(CaseRow {
            advocacy_missing: case.advocacy_missing,
            id: case.id,
            reference: case.reference.clone(),
            received_on: case.received_on.to_string(),
            procedure: words(&case.procedure),
            stage: stage_label(case),
            team: case.team.clone().unwrap_or_default(),
            due_on: case.due_on.map(|d| d.to_string()),
            days_left,
            days_text: days_left.map(days_text).unwrap_or_default(),
        });
    }
    Ok(rows)
}

#[derive(Serialize, Default)]
struct StageRow {
    label: String,
    open: i64,
    overdue: i64,
    today: i64,
    week: i64,
}

#[derive(Serialize)]
struct Tile {
    label: &'static str,
    count: i64,
    href: &'static str,
    warn: bool,
}

/// A case drafted from an email, waiting for an officer: how long, in working days.
#[derive(Serialize)]
struct DraftRow {
    id: i64,
    reference: String,
    received_on: String,
    age: String,
}

/// The drafts the access reaches, oldest first, with their age in working days on each
/// organisation's calendar (the statutory clock has run since the email arrived).
async fn draft_rows(
    store: &Store,
    access: &redress_store::Access,
    today: chrono::NaiveDate,
) -> Result<(Vec<DraftRow>, bool), PageError> {
    let filter = CaseFilter {
        status: Some(redress_core::Status::Draft),
        order: CaseOrder::Oldest,
        limit: Some(SHOWN),
        ..CaseFilter::default()
    };
    let (drafts, more) = store.list_cases(access, &filter, today).await?;
    let mut rows = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let organisation = store.organisation(&draft.organisation).await?;
        let age = organisation
            .calendar
            .working_days_between(draft.received_on, today)
            .map_or_else(
                |_| String::new(),
                |n| match n {
                    0 => "arrived today".to_string(),
                    1 => "1 working day".to_string(),
                    n => format!("{n} working days"),
                },
            );
        rows.push(DraftRow {
            id: draft.id,
            reference: draft.reference,
            received_on: long_date(draft.received_on),
            age,
        });
    }
    Ok((rows, more.is_some()))
}

#[derive(Serialize)]
struct Activity {
    case_id: i64,
    reference: String,
    what: String,
    actor: String,
    when: String,
}

/// Open cases listed on the dashboard.
const SHOWN: i64 = 25;

pub async fn show(
    State(state): State<AppState>,
    MaybeStaff(staff): MaybeStaff,
) -> Result<Response, PageError> {
    let Some(staff) = staff else {
        return landing();
    };
    let today = state.clock().today();
    let access = &staff.principal.access;
    let mut own = context! {
        role_summary => staff.role_summary(),
        today_long => long_date(today),
    };
    if staff.may(Permission::ReadCases) {
        // The counts come from the database, so they cover every open case however many;
        // only the list below is a page.
        let filter = CaseFilter {
            open: true,
            order: CaseOrder::DueSoonest,
            limit: Some(SHOWN),
            ..CaseFilter::default()
        };
        let (open, _) = state.store.list_cases(access, &filter, today).await?;
        let rows = rows(&state.store, &open, state.clock().today()).await?;
        let mut stages: Vec<StageRow> = [
            "Received, not yet at a stage",
            "Stage 1",
            "Stage 2",
            "Stage 3",
        ]
        .iter()
        .map(|label| StageRow {
            label: label.to_string(),
            ..StageRow::default()
        })
        .collect();
        let (mut overdue, mut due_today, mut week) = (0, 0, 0);
        for count in state.store.open_case_counts(access, today).await? {
            let stage = &mut stages[count.stage.clamp(0, 3) as usize];
            stage.open += count.open;
            stage.overdue += count.overdue;
            stage.today += count.due_today;
            stage.week += count.due_this_week;
            overdue += count.overdue;
            due_today += count.due_today;
            week += count.due_this_week;
        }
        let tiles = vec![
            Tile {
                label: "overdue",
                count: overdue,
                href: "/cases?due=overdue&sort=due",
                warn: true,
            },
            Tile {
                label: "due today",
                count: due_today,
                href: "/cases?due=today&sort=due",
                warn: false,
            },
            Tile {
                label: "due in the next 5 working days",
                count: week,
                href: "/cases?due=week&sort=due",
                warn: false,
            },
        ];
        let changes = state.store.recent_changes(access, 10).await?;
        let activity: Vec<Activity> = changes
            .into_iter()
            .map(|c| Activity {
                case_id: c.case_id,
                reference: c.reference,
                what: words(&c.kind),
                actor: c.actor,
                when: c.occurred_at.format("%-d %b %Y %H:%M").to_string(),
            })
            .collect();
        let shown = rows;
        let (drafts, more_drafts) = draft_rows(&state.store, access, today).await?;
        own = context! {
            drafts,
            more_drafts,
            deadline_tiles => tiles,
            stages,
            my_cases => shown,
            my_cases_title => "Your open cases, soonest due first",
            activity,
            ..own
        };
    } else {
        own = context! {
            my_cases_title => "Cases",
            deadline_tiles => Vec::<Tile>::new(),
            stages => Vec::<StageRow>::new(),
            activity => Vec::<Activity>::new(),
            ..own
        };
    }
    Ok(render("dashboard.html", staff.common(), own)?.into_response())
}

/// The public start page.
fn landing() -> Result<Response, PageError> {
    let common = context! { service_name => "Redress", home => "/" };
    let own = context! {
        heading => "Complaints and compliments about children's services",
        lines => vec![
            "If you are unhappy with a service for children and young people, you can make a complaint. You can also tell us when something went well.",
        ],
        links => vec![
            context! { href => "/complain", label => "Make a complaint" },
            context! { href => "/compliment", label => "Pay a compliment" },
            context! { href => "/sign-in", label => "Staff sign in" },
        ],
    };
    Ok(render("message.html", common, own)?.into_response())
}

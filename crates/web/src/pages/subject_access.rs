//! Subject access for information governance: search for one person, see what is held about
//! them, export the bundle (the API's download, which the session reaches), and hold, release
//! or erase a case found (the API's legal hold and erasure): information governance opens no
//! case pages, so these are done here.

use super::{capitalise, render, words, FieldError, PageError, Staff, StaffForm};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use redress_store::{Permission, StoreError};
use std::collections::HashMap;

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let done = query.get("done").and_then(|d| done_text(d));
    page(
        &state,
        &staff,
        &slug,
        query.get("q").cloned(),
        Vec::new(),
        done,
    )
    .await
}

/// The steps this page takes on a case found, and what it says once one is done.
fn done_text(step: &str) -> Option<&'static str> {
    match step {
        "legal_hold" => Some("Legal hold placed"),
        "lift_legal_hold" => Some("Legal hold lifted"),
        "erase_personal_data" => Some("Personal data erased"),
        _ => None,
    }
}

/// Places or lifts a legal hold on a case the search found, or erases its personal data on
/// request (UK GDPR Art. 17, 18), then back to the search.
pub async fn act(
    State(state): State<AppState>,
    Path((slug, id, step)): Path<(String, String, String)>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    let id: i64 = id.parse().map_err(|_| PageError::NotFound)?;
    done_text(&step).ok_or(PageError::NotFound)?;
    let access = &staff.principal.access;
    let actor = &staff.principal.actor;
    // The case must be this organisation's, as the path says.
    let organisation = state
        .store
        .authorise(access, &slug, Permission::HandlePersonalData)
        .await?;
    let q = fields.text("q");
    let field = format!("case-{id}-{step}-reason");
    let reason = fields.text(&field);
    let record = state
        .store
        .case(&redress_store::Access::System, id)
        .await
        .ok()
        .filter(|r| r.organisation == organisation.slug)
        .ok_or(PageError::NotFound)?;
    let result = match step.as_str() {
        "legal_hold" => state
            .store
            .place_legal_hold(access, record.id, &reason, actor)
            .await
            .map(|_| ()),
        "lift_legal_hold" => state.store.lift_legal_hold(access, record.id, actor).await,
        _ => state
            .store
            .erase_on_request(access, record.id, &reason, actor, state.clock().today())
            .await
            .map(|_| ()),
    };
    match result {
        Ok(()) => {
            let back = serde_urlencoded::to_string([("q", q.as_str()), ("done", step.as_str())])
                .unwrap_or_default();
            Ok(
                Redirect::to(&format!("/organisations/{slug}/subject-access?{back}"))
                    .into_response(),
            )
        }
        Err(StoreError::Invalid { message, .. }) => {
            let errors = vec![FieldError::new(&field, capitalise(&message))];
            page(&state, &staff, &slug, Some(q), errors, None).await
        }
        Err(StoreError::NotFound(_)) if step == "lift_legal_hold" => {
            let errors = vec![FieldError::new(&field, "No legal hold stands on this case")];
            page(&state, &staff, &slug, Some(q), errors, None).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn page(
    state: &AppState,
    staff: &Staff,
    slug: &str,
    q: Option<String>,
    mut errors: Vec<FieldError>,
    done: Option<&str>,
) -> Result<Response, PageError> {
    let organisation = state
        .store
        .authorise(
            &staff.principal.access,
            slug,
            Permission::HandlePersonalData,
        )
        .await?;
    let mut found = None;
    if let Some(q) = &q {
        match state
            .store
            .subject_search(&staff.principal.access, slug, q, &staff.principal.actor)
            .await
        {
            Ok(matches) => found = Some(matches),
            Err(StoreError::Invalid { message, .. }) => {
                errors.push(FieldError::new("q", capitalise(&message)));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let matches = found.clone().unwrap_or_default();
    let mut cases = Vec::new();
    for c in &matches.cases {
        let hold = state
            .store
            .legal_hold(&staff.principal.access, c.id)
            .await?;
        cases.push(context! {
            id => c.id,
            reference => c.reference.clone(),
            received_on => c.received_on.format("%-d %b %Y").to_string(),
            status => words(c.status.as_str()),
            matched => c.matched.iter().map(|m| words(m)).collect::<Vec<_>>().join(", "),
            hold => hold.map(|h| h.reason),
        });
    }
    let own = context! {
        slug,
        organisation_name => organisation.name.clone(),
        q => q.unwrap_or_default(),
        errors,
        done,
        searched => found.is_some(),
        cases,
        compliments => matches.compliments.iter().map(|c| context! {
            received_on => c.received_on.format("%-d %b %Y").to_string(),
            team => c.team.clone(),
            summary => c.summary.clone(),
        }).collect::<Vec<_>>(),
        messages => matches.messages.iter().map(|m| context! {
            created => m.created_at.format("%-d %b %Y %H:%M").to_string(),
            recipient => m.recipient.clone(),
            subject => m.subject.clone(),
            status => words(&m.status),
            case_id => m.case_id,
        }).collect::<Vec<_>>(),
    };
    Ok((status, render("subject_access.html", staff.common(), own)?).into_response())
}

//! Subject access for information governance: search for one person, see what
//! is held about them, and export the bundle (the API's download, which the session reaches).

use super::{capitalise, render, words, FieldError, PageError, Staff};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minijinja::context;
use redress_store::{Permission, StoreError};
use std::collections::HashMap;

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let organisation = state
        .store
        .authorise(
            &staff.principal.access,
            &slug,
            Permission::HandlePersonalData,
        )
        .await?;
    let q = query.get("q").cloned();
    let mut errors = Vec::new();
    let mut found = None;
    if let Some(q) = &q {
        match state
            .store
            .subject_search(&staff.principal.access, &slug, q, &staff.principal.actor)
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
    let own = context! {
        slug,
        organisation_name => organisation.name.clone(),
        q => q.unwrap_or_default(),
        errors,
        searched => found.is_some(),
        cases => matches.cases.iter().map(|c| context! {
            id => c.id,
            reference => c.reference.clone(),
            received_on => c.received_on.format("%-d %b %Y").to_string(),
            status => words(c.status.as_str()),
            matched => c.matched.iter().map(|m| words(m)).collect::<Vec<_>>().join(", "),
        }).collect::<Vec<_>>(),
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

//! The compliments log: the latest compliments, and logging one that came by phone or letter.

use super::{render, Choice, FieldError, PageError, Staff, StaffForm};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use redress_store::{Compliment, Permission, StoreError};

/// Compliments are for those who handle them (the store narrows a team manager's to their
/// teams').
fn organisation_of(staff: &Staff) -> Result<String, PageError> {
    staff
        .organisations_where(Permission::ReadCompliments)
        .into_iter()
        .next()
        .ok_or_else(|| PageError::Forbidden(Permission::ReadCompliments.refusal().into()))
}

async fn page(
    state: &AppState,
    staff: &Staff,
    errors: Vec<FieldError>,
    form: minijinja::Value,
) -> Result<Response, PageError> {
    let slug = organisation_of(staff)?;
    let mut logged = state
        .store
        .logged_compliments(&staff.principal.access, &slug)
        .await?;
    logged.truncate(200);
    let compliments: Vec<Compliment> = logged.into_iter().map(|l| l.compliment).collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let own = context! {
        compliments => minijinja::Value::from_serialize(&compliments),
        teams => Choice::same(&state.store.names(&slug, true).await?),
        can_record => staff.may(Permission::RecordCases),
        today => state.clock().today().to_string(),
        errors, form,
    };
    Ok((status, render("compliments.html", staff.common(), own)?).into_response())
}

pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<Response, PageError> {
    page(&state, &staff, Vec::new(), context! {}).await
}

pub async fn log(State(state): State<AppState>, form: StaffForm) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    let slug = staff
        .organisations_where(Permission::RecordCases)
        .into_iter()
        .next()
        .ok_or_else(|| PageError::Forbidden(Permission::RecordCases.refusal().into()))?;
    let received_on = match fields.text("received_on").parse() {
        Ok(date) => date,
        Err(_) => {
            let errors = vec![FieldError::new(
                "received_on",
                "Enter the date it was received as YYYY-MM-DD",
            )];
            return page(&state, &staff, errors, fields.to_value()).await;
        }
    };
    let compliment = Compliment {
        received_on,
        team: fields.optional("team"),
        summary: fields.text("summary"),
        consent_to_publish: fields.ticked("consent"),
        published_quotation: fields.optional("published_quotation"),
    };
    match state
        .store
        .log_compliment(
            &staff.principal.access,
            &slug,
            compliment,
            &staff.principal.actor,
        )
        .await
    {
        Ok(_) => Ok(Redirect::to("/compliments").into_response()),
        Err(StoreError::Invalid { field, message }) => {
            let errors = vec![FieldError::new(&field, super::capitalise(&message))];
            page(&state, &staff, errors, fields.to_value()).await
        }
        Err(e) => Err(e.into()),
    }
}

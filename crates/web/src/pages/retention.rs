//! The retention schedule's switch for administrators: a dry run of what it would erase
//! today, by year and procedure, and the form that records the council's approval (or
//! switches it off). The rules are the store's; this page only shows and carries them.

use super::errors::FieldError;
use super::{render, PageError, Staff, StaffForm};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use redress_store::StoreError;

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    page(&state, &staff, &slug, Vec::new()).await
}

async fn page(
    state: &AppState,
    staff: &Staff,
    slug: &str,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    let preview = state
        .store
        .retention_preview(&staff.principal.access, slug, state.clock().today())
        .await?;
    let organisation = state.store.organisation(slug).await?;
    let status = match errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let own = context! {
        slug,
        organisation_name => organisation.name.clone(),
        on => preview.on.format("%-d %B %Y").to_string(),
        approval => preview.approval.as_ref().map(|a| context! {
            approved_on => a.approved_on.format("%-d %B %Y").to_string(),
            approved_by => a.approved_by.clone(),
            recorded_by => a.recorded_by.clone(),
        }),
        lines => preview.lines.iter().map(|l| context! {
            year => l.year, applies_to => super::words(&l.applies_to), records => l.records,
        }).collect::<Vec<_>>(),
        total => preview.total,
        held => preview.held,
        errors,
    };
    Ok((status, render("retention.html", staff.common(), own)?).into_response())
}

/// Records the council's approval, switching the schedule on.
pub async fn approve(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let StaffForm { staff, fields } = form;
    let date = fields.text("approved-on");
    let Ok(approved_on) = redress_calendar::parse_iso_date(date.trim()) else {
        let error = FieldError::new(
            "approved-on",
            "Enter the date of approval, for example 2026-11-30",
        );
        return page(&state, &staff, &slug, vec![error]).await;
    };
    let Ok(confirm) = fields.text("confirm-erasures").trim().parse::<usize>() else {
        let error = FieldError::new(
            "confirm-erasures",
            "Enter the number of records the dry run finds, to confirm you have read it",
        );
        return page(&state, &staff, &slug, vec![error]).await;
    };
    let approved = state
        .store
        .approve_retention(
            &staff.principal.access,
            &slug,
            approved_on,
            &fields.text("approved-by"),
            confirm,
            state.clock().today(),
            &staff.principal.actor,
        )
        .await;
    match approved {
        Ok(_) => Ok(Redirect::to(&format!("/admin/{slug}/retention/approval")).into_response()),
        Err(StoreError::Invalid { field, message }) => {
            let error = FieldError::new(&field.replace('_', "-"), super::capitalise(&message));
            page(&state, &staff, &slug, vec![error]).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Switches the schedule off.
pub async fn switch_off(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    form: StaffForm,
) -> Result<Response, PageError> {
    state
        .store
        .withdraw_retention_approval(
            &form.staff.principal.access,
            &slug,
            &form.staff.principal.actor,
        )
        .await?;
    Ok(Redirect::to(&format!("/admin/{slug}/retention/approval")).into_response())
}

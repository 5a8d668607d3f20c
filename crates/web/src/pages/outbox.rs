//! An organisation's outbox for its administrators and complaints officers: each message,
//! whether it went, and why not; a failed one can be resent. Recipients' addresses are shown
//! to complaints officers only.

use super::{render, PageError, Staff, StaffForm};
use crate::api::outbox::OutboxEntry;
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use redress_store::Permission;

pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let organisation = state
        .store
        .authorise(&staff.principal.access, &slug, Permission::UseOutbox)
        .await?;
    let withheld = !state
        .store
        .reads_recipients(&staff.principal.access, &slug)
        .await;
    let messages: Vec<OutboxEntry> = state
        .store
        .outbox(&staff.principal.access, &slug)
        .await?
        .into_iter()
        .map(|m| OutboxEntry::of(m, state.mail_configured, withheld))
        .collect();
    let own = context! {
        slug,
        organisation_name => organisation.name.clone(),
        mail_configured => state.mail_configured,
        messages => messages.iter().map(|m| context! {
            id => m.id,
            created => m.created_at.format("%-d %b %Y %H:%M").to_string(),
            kind => super::words(m.kind.as_str()),
            recipient => match (&m.recipient, m.recipient_withheld) {
                (_, true) => "withheld".to_string(),
                (Some(recipient), false) => recipient.clone(),
                (None, false) => "no one".to_string(),
            },
            subject => m.subject.clone(),
            status => m.status_text.clone(),
            failed => m.status == redress_core::MessageStatus::Failed,
            reply => m.last_reply.clone(),
            case_id => m.case_id,
        }).collect::<Vec<_>>(),
    };
    Ok(render("outbox.html", staff.common(), own)?.into_response())
}

/// Queues a failed message again (the API's `resend`), then back to the outbox.
pub async fn resend(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    form: StaffForm,
) -> Result<Response, PageError> {
    let id: i64 = id.parse().map_err(|_| {
        PageError::from(redress_store::StoreError::NotFound(format!("message {id}")))
    })?;
    state
        .store
        .resend(&form.staff.principal.access, &slug, id)
        .await?;
    Ok(Redirect::to(&format!("/admin/{slug}/outbox")).into_response())
}

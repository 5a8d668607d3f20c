//! An organisation's outbox, for its administrators and complaints officers: what was sent,
//! what is waiting and why, and resending a message that failed. The recipients' addresses
//! are shown to complaints officers only (the store withholds them from anyone else).

use crate::error::{ApiError, Problem};
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::Json;
use chrono::{DateTime, Utc};
use redress_store::OutboxMessage;
use serde::Serialize;

/// A message in the outbox.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutboxEntry {
    pub id: i64,
    pub kind: redress_core::MessageKind,
    /// None when there was no one to send it to, or when it is withheld.
    pub recipient: Option<String>,
    /// The addresses are complainants' personal data: only complaints officers read them.
    pub recipient_withheld: bool,
    pub subject: String,
    pub body: String,
    pub case_id: Option<i64>,
    pub status: redress_core::MessageStatus,
    /// The status in words, e.g. "not sent: no mail server configured".
    pub status_text: String,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    /// The mail server's last answer, or why it was not sent.
    pub last_reply: Option<String>,
    pub message_id: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl OutboxEntry {
    pub(crate) fn of(m: OutboxMessage, mail_configured: bool, recipient_withheld: bool) -> Self {
        OutboxEntry {
            recipient_withheld,
            status_text: crate::mail::describe(&m, mail_configured),
            id: m.id,
            kind: m.kind,
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            case_id: m.case_id,
            status: m.status,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_reply: m.last_reply,
            message_id: m.message_id,
            created_at: m.created_at,
            sent_at: m.sent_at,
        }
    }
}

/// The organisation's outbox, newest first (at most 200).
#[utoipa::path(get, path = "/organisations/{slug}/outbox", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Vec<OutboxEntry>), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Json<Vec<OutboxEntry>>, ApiError> {
    let messages = state.store.outbox(&principal.access, &slug).await?;
    let configured = state.mail_configured;
    let withheld = !state.store.reads_recipients(&principal.access, &slug).await;
    Ok(Json(
        messages
            .into_iter()
            .map(|m| OutboxEntry::of(m, configured, withheld))
            .collect(),
    ))
}

/// Queue a failed message again, to go now. Only a failed message may be resent (404 for any
/// other), so a message is never queued twice at once.
#[utoipa::path(post, path = "/organisations/{slug}/outbox/{id}/resend", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug"), ("id" = i64, Path, description = "Message id")),
    responses((status = 200, body = OutboxEntry), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn resend(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<OutboxEntry>, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found(&format!("message {id}")))?;
    let message = state.store.resend(&principal.access, &slug, id).await?;
    let withheld = !state.store.reads_recipients(&principal.access, &slug).await;
    Ok(Json(OutboxEntry::of(
        message,
        state.mail_configured,
        withheld,
    )))
}

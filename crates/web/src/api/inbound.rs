//! The mail gate: a council's mail server hands in each message to the complaints mailbox
//! here, raw, the way Request Tracker's `rt-mailgate` does (`redress mailgate` pipes one in).
//! The intake files it once; a second delivery answers how it was filed the first time.

use crate::error::{ApiError, Problem};
use crate::{AppState, Principal};
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use redress_app::intake::{self, message::MAX_MESSAGE_BYTES, IntakeError};
use redress_store::{Filed, InboundRecord};
use serde::{Deserialize, Serialize};

/// A message as it was filed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InboundView {
    /// The message's Message-ID, as `<id>`.
    pub message_id: String,
    /// `draft` (a new draft case), `reply` (on its case's timeline) or `ignored` (an
    /// autoreply, a bounce or a list message: no case, no reply).
    pub disposition: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub case_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The IMAP mailbox it was read from; absent from the mail gate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mailbox: Option<String>,
    pub received_at: DateTime<Utc>,
    /// True when the organisation already had this message: nothing new was made.
    pub duplicate: bool,
}

impl InboundView {
    fn of(record: InboundRecord, duplicate: bool) -> Self {
        InboundView {
            message_id: record.message_id,
            disposition: record.disposition,
            reason: record.reason,
            case_id: record.case_id,
            reference: record.reference,
            mailbox: record.mailbox,
            received_at: record.received_at,
            duplicate,
        }
    }
}

/// The raw message, as RFC 5322 bytes.
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)]
#[schema(value_type = String, format = Binary)]
pub struct RawMessage(Vec<u8>);

/// Hand in one message to the organisation's complaints mailbox (a `mail_gate` token). A new
/// message makes a draft case (201); a reply joins its case; an autoreply, bounce or list
/// message is recorded without a case. The same Message-ID again changes nothing (200).
#[utoipa::path(post, path = "/organisations/{slug}/inbound", tag = "organisations",
    request_body(content = RawMessage, content_type = "message/rfc822"),
    params(("slug" = String, Path, description = "Organisation")),
    responses((status = 201, body = InboundView), (status = 200, body = InboundView, description = "Already filed"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 413, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json", description = "The message cannot be read, or a file it carries is too large: the reason says which")))]
pub async fn file(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, ApiError> {
    // Who may hand in mail is settled before the body is read.
    state
        .store
        .mail_organisation(&principal.access, &slug)
        .await?;
    let raw = Bytes::from_request(request, &state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::too_large(
                "message",
                format!(
                    "the message must be {} MB or smaller",
                    MAX_MESSAGE_BYTES / 1024 / 1024
                ),
            )
        } else {
            ApiError::invalid_body("message", e.body_text())
        }
    })?;
    let filed = intake::file_message(
        &state.store,
        &principal.access,
        &slug,
        &raw,
        None,
        &principal.actor,
    )
    .await
    .map_err(|e| match e {
        IntakeError::Unreadable(why) => ApiError::invalid("message", why),
        IntakeError::Store(e) => e.into(),
    })?;
    let Filed { record, duplicate } = filed;
    let status = if duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(InboundView::of(record, duplicate))).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InboundQuery {
    /// How many, newest first (1 to 500; default 100).
    pub limit: Option<u16>,
}

/// The organisation's latest messages and what became of each (its administrators).
#[utoipa::path(get, path = "/organisations/{slug}/inbound", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation"), InboundQuery),
    responses((status = 200, body = Vec<InboundView>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    Query(query): Query<InboundQuery>,
) -> Result<Json<Vec<InboundView>>, ApiError> {
    let limit = match query.limit {
        None => 100,
        Some(n @ 1..=500) => i64::from(n),
        Some(_) => return Err(ApiError::bad_query("limit", "give 1 to 500")),
    };
    let records = state
        .store
        .inbound_records(&principal.access, &slug, limit)
        .await?;
    Ok(Json(
        records
            .into_iter()
            .map(|r| InboundView::of(r, false))
            .collect(),
    ))
}

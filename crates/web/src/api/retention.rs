//! The retention schedule's switch through the API: a dry run of what it would erase, and the
//! council's approval that turns it on. Until approved, the schedule erases nothing.

use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use redress_store::{RetentionApproval, RetentionPreview};
use serde::{Deserialize, Serialize};

/// The council's approval of its schedule.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ApprovalView {
    /// The date the council approved the schedule.
    pub approved_on: NaiveDate,
    /// Who approved it.
    pub approved_by: String,
    /// The administrator who switched it on, and when.
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

impl From<RetentionApproval> for ApprovalView {
    fn from(a: RetentionApproval) -> Self {
        ApprovalView {
            approved_on: a.approved_on,
            approved_by: a.approved_by,
            recorded_by: a.recorded_by,
            recorded_at: a.recorded_at,
        }
    }
}

/// How many records of one year and procedure the schedule would erase.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PreviewLineView {
    /// The year the complaint or compliment was received.
    pub year: i32,
    /// A procedure's name, or `compliments`.
    pub applies_to: String,
    pub records: usize,
}

/// A dry run: what the schedule would erase today, and whether it is on.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PreviewView {
    pub on: NaiveDate,
    /// `true` once the council's approval is recorded; until then nothing is erased.
    pub switched_on: bool,
    pub approval: Option<ApprovalView>,
    pub lines: Vec<PreviewLineView>,
    /// Every record the schedule would erase today: the number an approval must confirm.
    pub total: usize,
    /// Cases due but kept by a legal hold.
    pub held: usize,
}

impl From<RetentionPreview> for PreviewView {
    fn from(p: RetentionPreview) -> Self {
        PreviewView {
            on: p.on,
            switched_on: p.approval.is_some(),
            approval: p.approval.map(Into::into),
            lines: p
                .lines
                .into_iter()
                .map(|l| PreviewLineView {
                    year: l.year,
                    applies_to: l.applies_to,
                    records: l.records,
                })
                .collect(),
            total: p.total,
            held: p.held,
        }
    }
}

/// The council's decision to apply its schedule.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovalInput {
    /// The date the council approved the schedule: today or earlier.
    pub approved_on: NaiveDate,
    /// Who approved it ("Information Governance Board").
    pub approved_by: String,
    /// The dry run's `total` today: switching on is refused unless it matches.
    pub confirm_erasures: usize,
}

/// What the retention schedule would erase today, counted by year and procedure, and whether
/// it is switched on (administrators).
#[utoipa::path(get, path = "/organisations/{slug}/retention/preview", tag = "data protection",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = PreviewView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn preview(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Json<PreviewView>, ApiError> {
    let preview = state
        .store
        .retention_preview(&principal.access, &slug, state.clock().today())
        .await?;
    Ok(Json(preview.into()))
}

/// Switch the schedule on, recording the council's approval (administrators). Refused (422 on
/// `confirm_erasures`) unless it confirms the number the dry run finds today.
#[utoipa::path(put, path = "/organisations/{slug}/retention/approval", tag = "data protection", request_body = ApprovalInput,
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = ApprovalView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn approve(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ApprovalInput>,
) -> Result<Json<ApprovalView>, ApiError> {
    let approval = state
        .store
        .approve_retention(
            &principal.access,
            &slug,
            input.approved_on,
            &input.approved_by,
            input.confirm_erasures,
            state.clock().today(),
            &principal.actor,
        )
        .await?;
    Ok(Json(approval.into()))
}

/// Switch the schedule off: nothing more is erased by it until it is approved again.
#[utoipa::path(delete, path = "/organisations/{slug}/retention/approval", tag = "data protection",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 204), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn switch_off(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<StatusCode, ApiError> {
    state
        .store
        .withdraw_retention_approval(&principal.access, &slug, &principal.actor)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

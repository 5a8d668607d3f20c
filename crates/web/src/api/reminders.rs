//! When deadline reminders go: an organisation's reminder points, for its administrators.

use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::Json;
use serde::{Deserialize, Serialize};

/// Working days before a deadline at which its reminders go; a reminder also goes on the day
/// and once it is missed. Default 5 and 1.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderPoints {
    /// Each 1 to 30 working days, at most five; answered largest first.
    #[schema(max_items = 5)]
    pub points: Vec<u32>,
}

/// The organisation's reminder points.
#[utoipa::path(get, path = "/organisations/{slug}/reminders", tag = "organisations",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = ReminderPoints), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn get(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Json<ReminderPoints>, ApiError> {
    let points = state
        .store
        .reminder_points(&principal.access, &slug)
        .await?;
    Ok(Json(ReminderPoints { points }))
}

/// Set the organisation's reminder points (`redress notify run` uses them from its next run).
#[utoipa::path(put, path = "/organisations/{slug}/reminders", tag = "organisations", request_body = ReminderPoints,
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = ReminderPoints), (status = 401, body = Problem, content_type = "application/problem+json"), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ReminderPoints>,
) -> Result<Json<ReminderPoints>, ApiError> {
    let points = state
        .store
        .set_reminder_points(&principal.access, &slug, &input.points, &principal.actor)
        .await?;
    Ok(Json(ReminderPoints { points }))
}

//! Compliments logged by staff (a phone call, a letter), as the compliments page logs them.

use crate::error::{ApiError, Problem};
use crate::json::ApiJson;
use crate::{AppState, Principal};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use redress_store::{Compliment, LoggedCompliment};
use serde::{Deserialize, Serialize};

/// A compliment to log.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplimentInput {
    pub received_on: NaiveDate,
    /// The team complimented: one of the organisation's teams.
    #[serde(default)]
    pub team: Option<String>,
    /// What was said.
    pub summary: String,
    /// The person agreed that it may be published.
    #[serde(default)]
    pub consent_to_publish: bool,
    /// The text the council approved for publication (only with consent): the one text a
    /// report quotes, kept when the compliment is erased.
    #[serde(default)]
    pub published_quotation: Option<String>,
}

/// The quotation approved for publication; `null` withdraws it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotationInput {
    pub published_quotation: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ComplimentView {
    pub id: i64,
    pub received_on: NaiveDate,
    pub team: Option<String>,
    pub summary: String,
    pub consent_to_publish: bool,
    pub published_quotation: Option<String>,
    pub logged_at: DateTime<Utc>,
}

impl From<LoggedCompliment> for ComplimentView {
    fn from(logged: LoggedCompliment) -> Self {
        let LoggedCompliment {
            id,
            logged_at,
            compliment,
        } = logged;
        ComplimentView {
            id,
            received_on: compliment.received_on,
            team: compliment.team,
            summary: compliment.summary,
            consent_to_publish: compliment.consent_to_publish,
            published_quotation: compliment.published_quotation,
            logged_at,
        }
    }
}

/// The organisation's compliments, newest received first: complaints officers, and team
/// managers their own teams'.
#[utoipa::path(get, path = "/organisations/{slug}/compliments", tag = "compliments",
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 200, body = Vec<ComplimentView>), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
) -> Result<Json<Vec<ComplimentView>>, ApiError> {
    let logged = state
        .store
        .logged_compliments(&principal.access, &slug)
        .await?;
    Ok(Json(logged.into_iter().map(Into::into).collect()))
}

/// Log a compliment (complaints officers).
#[utoipa::path(post, path = "/organisations/{slug}/compliments", tag = "compliments", request_body = ComplimentInput,
    params(("slug" = String, Path, description = "Organisation slug")),
    responses((status = 201, body = ComplimentView, headers(("Location" = String))), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    Path(slug): Path<String>,
    ApiJson(input): ApiJson<ComplimentInput>,
) -> Result<Response, ApiError> {
    let compliment = Compliment {
        received_on: input.received_on,
        team: input.team.filter(|t| !t.trim().is_empty()),
        summary: input.summary,
        consent_to_publish: input.consent_to_publish,
        published_quotation: input.published_quotation,
    };
    let logged = state
        .store
        .log_compliment(&principal.access, &slug, compliment, &principal.actor)
        .await?;
    let location = format!("/api/v1/organisations/{slug}/compliments/{}", logged.id);
    let mut response = (StatusCode::CREATED, Json(ComplimentView::from(logged))).into_response();
    if let Ok(value) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    Ok(response)
}

/// One compliment; another organisation's id is not found.
#[utoipa::path(get, path = "/organisations/{slug}/compliments/{compliment}", tag = "compliments",
    params(("slug" = String, Path, description = "Organisation slug"), ("compliment" = i64, Path, description = "Compliment id")),
    responses((status = 200, body = ComplimentView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json")))]
pub async fn read(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Json<ComplimentView>, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found(&format!("compliment {id}")))?;
    let logged = state.store.compliment(&principal.access, &slug, id).await?;
    Ok(Json(logged.into()))
}

/// Set the quotation the council approved for publication from a compliment, or withdraw it
/// with `null` (complaints officers; only with the person's consent).
#[utoipa::path(put, path = "/organisations/{slug}/compliments/{compliment}/published-quotation", tag = "compliments", request_body = QuotationInput,
    params(("slug" = String, Path, description = "Organisation slug"), ("compliment" = i64, Path, description = "Compliment id")),
    responses((status = 200, body = ComplimentView), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json")))]
pub async fn set_quotation(
    State(state): State<AppState>,
    principal: Principal,
    Path((slug, id)): Path<(String, String)>,
    ApiJson(input): ApiJson<QuotationInput>,
) -> Result<Json<ComplimentView>, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::not_found(&format!("compliment {id}")))?;
    let logged = state
        .store
        .set_published_quotation(
            &principal.access,
            &slug,
            id,
            input.published_quotation.as_deref(),
            &principal.actor,
        )
        .await?;
    Ok(Json(logged.into()))
}
